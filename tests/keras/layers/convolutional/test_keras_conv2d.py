"""keras.layers.Conv2D."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras


@pytest.mark.parametrize(
    "kwargs,input_shape,output_shape",
    [
        ({"filters": 3, "kernel_size": (3, 2), "activation": "relu"}, (2, 6, 5, 2), (2, 4, 4, 3)),
        (
            {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
            (2, 7, 7, 2),
            (2, 4, 4, 3),
        ),
        (
            {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same"},
            (1, 7, 7, 1),
            (1, 7, 7, 2),
        ),
        ({"filters": 4, "kernel_size": 3, "groups": 2}, (1, 5, 5, 4), (1, 3, 3, 4)),
    ],
)
def test_layer(kwargs, input_shape, output_shape):
    run_layer_test(
        keras.layers.Conv2D,
        kwargs,
        input_shape,
        output_shape,
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
    )


def test_values_match_tf_nn_conv2d():
    layer = keras.layers.Conv2D(3, 2, padding="same", bias_initializer="ones")
    x = tf.random.stateless_normal((1, 4, 4, 2), [1, 2])
    out = layer(x)
    want = tf.nn.conv2d(x, layer.kernel, 1, "SAME") + 1.0
    np.testing.assert_allclose(out.numpy(), want.numpy(), rtol=1e-6, atol=1e-6)
    assert layer.kernel.shape == (2, 2, 2, 3)


def test_grouped_convolution_is_per_group():
    layer = keras.layers.Conv2D(4, 1, groups=2, use_bias=False)
    x = tf.random.stateless_normal((1, 2, 2, 4), [1, 2])
    out = layer(x).numpy()
    k = layer.kernel.numpy()  # (1, 1, 2, 4)
    xs = x.numpy()
    want = np.concatenate([xs[..., :2] @ k[0, 0, :, :2], xs[..., 2:] @ k[0, 0, :, 2:]], axis=-1)
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-6)


def test_config_and_errors():
    config = keras.layers.Conv2D(4, 3).get_config()
    assert config["kernel_size"] == (3, 3) and config["strides"] == (1, 1)
    assert config["data_format"] == "channels_last" and "activity_regularizer" in config
    assert repr(keras.layers.Conv2D(4, 3)).startswith("<Conv2D name=conv2d")
    with pytest.raises(ValueError, match="evenly divisible by the number of groups"):
        keras.layers.Conv2D(3, 3, groups=2)
    with pytest.raises(ValueError, match="strictly positive"):
        keras.layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match="kernel_size"):
        keras.layers.Conv2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="negative"):
        keras.layers.Conv2D(2, 5)(tf.ones((1, 3, 3, 1)))
