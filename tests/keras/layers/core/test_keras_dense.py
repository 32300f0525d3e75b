"""keras.layers.Dense."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


@pytest.mark.parametrize(
    "kwargs,input_shape,output_shape,n_weights",
    [
        ({"units": 3}, (2, 4), (2, 3), 2),
        ({"units": 2, "activation": "relu", "use_bias": False}, (2, 4), (2, 2), 1),
        ({"units": 2, "activation": "tanh"}, (2, 3, 4), (2, 3, 2), 2),
    ],
)
def test_layer(kwargs, input_shape, output_shape, n_weights):
    run_layer_test(
        keras.layers.Dense,
        kwargs,
        input_shape,
        output_shape,
        expected_num_trainable_weights=n_weights,
        expected_num_non_trainable_weights=0,
    )


def test_values():
    layer = keras.layers.Dense(
        3,
        activation="relu",
        kernel_initializer=keras.initializers.GlorotUniform(seed=7),
        bias_initializer=keras.initializers.Constant(0.5),
    )
    x = np.random.default_rng(0).standard_normal((4, 2)).astype(np.float32)
    out = layer(x).numpy()
    kernel = keras.initializers.GlorotUniform(seed=7)((2, 3)).numpy()
    np.testing.assert_allclose(out, np.maximum(x @ kernel + 0.5, 0), rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(layer.kernel.numpy(), kernel)


def test_weights_and_repr():
    layer = keras.layers.Dense(2)
    assert repr(layer) == "<Dense name=dense, built=False>"
    layer.build((None, 3))
    assert repr(layer) == "<Dense name=dense, built=True>"
    assert layer.kernel.path == "dense/kernel" and layer.bias.path == "dense/bias"
    assert layer.kernel.shape == (3, 2) and layer.count_params() == 8
    assert (
        repr(layer.bias) == "<Variable path=dense/bias, shape=(2,), dtype=float32, value=[0. 0.]>"
    )


def test_int_inputs_are_computed_in_float():
    layer = keras.layers.Dense(2)
    assert layer(tf.constant([[1, 2, 3]])).dtype == tf.float32


def test_config():
    config = keras.layers.Dense(3).get_config()
    assert list(config) == [
        "name",
        "trainable",
        "dtype",
        "units",
        "activation",
        "use_bias",
        "kernel_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "bias_regularizer",
        "kernel_constraint",
        "bias_constraint",
        "quantization_config",
    ]
    assert config["activation"] == "linear"
    assert config["kernel_initializer"]["class_name"] == "GlorotUniform"


def test_errors():
    with pytest.raises(ValueError, match="expected a positive integer. Received: units=0"):
        keras.layers.Dense(0)
    layer = keras.layers.Dense(2)
    layer(tf.ones((1, 3)))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(tf.ones((1, 4)))
    with pytest.raises(ValueError, match="expected min_ndim=2"):
        keras.layers.Dense(2)(tf.ones((3,)))


def test_kernel_after_set_random_seed_is_reproducible():
    keras.utils.set_random_seed(1)
    a = keras.layers.Dense(3)
    a.build((None, 2))
    keras.utils.set_random_seed(1)
    b = keras.layers.Dense(3)
    b.build((None, 2))
    np.testing.assert_array_equal(a.kernel.numpy(), b.kernel.numpy())
