"""keras.layers ReLU, LeakyReLU, PReLU, ELU, Softmax."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras
X = np.linspace(-3, 8, 12, dtype=np.float32).reshape(2, 6)


def _relu_ref(x, negative_slope=0.0, max_value=None, threshold=0.0):
    y = np.where(x >= threshold, x, negative_slope * (x - threshold))
    return np.minimum(y, max_value) if max_value is not None else y


@pytest.mark.parametrize(
    "kwargs", [{}, {"max_value": 1.0}, {"negative_slope": 0.1}, {"threshold": 0.5}]
)
def test_relu(kwargs):
    run_layer_test(keras.layers.ReLU, kwargs, (2, 3), expected_output_shape=(2, 3))
    np.testing.assert_allclose(
        keras.layers.ReLU(**kwargs)(X).numpy(), _relu_ref(X, **kwargs), rtol=1e-6
    )


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"max_value": -1.0}, "max_value"),
        ({"negative_slope": -0.1}, "negative_slope"),
        ({"threshold": -1.0}, "threshold"),
    ],
)
def test_relu_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras.layers.ReLU(**kwargs)


def test_leaky_relu():
    run_layer_test(keras.layers.LeakyReLU, {}, (2, 3), expected_output_shape=(2, 3))
    np.testing.assert_allclose(
        keras.layers.LeakyReLU()(X).numpy(), np.where(X > 0, X, 0.3 * X), rtol=1e-6
    )
    assert keras.layers.LeakyReLU().get_config()["negative_slope"] == 0.3
    with pytest.raises(ValueError):
        keras.layers.LeakyReLU(negative_slope=-1)


def test_prelu():
    run_layer_test(
        keras.layers.PReLU,
        {"alpha_initializer": "ones"},
        (2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=1,
    )
    layer = keras.layers.PReLU(shared_axes=[1])
    x = np.linspace(-2, 2, 12, dtype=np.float32).reshape(2, 3, 2)
    layer(x)
    assert layer.alpha.shape == (1, 2)
    layer.set_weights([np.array([[0.5, 2.0]], np.float32)])
    alpha = np.array([[0.5, 2.0]], np.float32)
    np.testing.assert_allclose(layer(x).numpy(), np.where(x > 0, x, alpha * x), rtol=1e-6)


def test_elu():
    run_layer_test(keras.layers.ELU, {"alpha": 0.5}, (2, 3), expected_output_shape=(2, 3))
    np.testing.assert_allclose(
        keras.layers.ELU(alpha=0.5)(X).numpy(), np.where(X > 0, X, 0.5 * np.expm1(X)), rtol=1e-5
    )


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_softmax():
    run_layer_test(keras.layers.Softmax, {"axis": 1}, (2, 3, 2), expected_output_shape=(2, 3, 2))
    x = np.random.default_rng(0).standard_normal((2, 3, 2)).astype(np.float32)
    np.testing.assert_allclose(keras.layers.Softmax(axis=1)(x).numpy(), _softmax(x, 1), rtol=1e-5)
    both = keras.layers.Softmax(axis=(1, 2))(x).numpy()
    np.testing.assert_allclose(both.sum(axis=(1, 2)), [1, 1], rtol=1e-5)


def test_softmax_mask():
    x = np.array([[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]], np.float32)
    m = np.array([[True, True, False, True], [False, False, False, False]])
    out = keras.layers.Softmax()(x, mask=m).numpy()
    ref = _softmax(np.where(m[0], x[0], -1e9))
    np.testing.assert_allclose(out[0], ref * m[0], rtol=1e-5)
    np.testing.assert_array_equal(out[1], np.zeros(4))  # fully masked row
