"""keras.utils.to_categorical and keras.utils.normalize (values and dtypes as Keras 3)."""

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras


@pytest.mark.parametrize(
    "x, num_classes, expected",
    [
        ([0, 2, 1], None, np.eye(3)[[0, 2, 1]]),
        ([0, 2, 1], 5, np.eye(5)[[0, 2, 1]]),
        ([[0], [2]], None, np.eye(3)[[0, 2]]),
        ([[0, 1], [2, 2]], None, np.eye(3)[[[0, 1], [2, 2]]]),
        ([1.0, 2.0], None, np.eye(3)[[1, 2]]),
        ([-1, 1], 3, np.eye(3)[[-1, 1]]),
    ],
)
def test_to_categorical_numpy(x, num_classes, expected):
    out = keras.utils.to_categorical(x, num_classes)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    np.testing.assert_array_equal(out, expected)


def test_to_categorical_tensor_and_errors():
    out = keras.utils.to_categorical(tf.constant([[1], [0]]), 3)
    assert out.dtype == tf.float32 and out.numpy().tolist() == [[0, 1, 0], [1, 0, 0]]
    with pytest.raises(ValueError, match="Attempt to convert a value \\(None\\)"):
        keras.utils.to_categorical(tf.constant([1, 0]))
    with pytest.raises(IndexError):
        keras.utils.to_categorical([3], num_classes=2)
    with pytest.raises(ValueError, match="zero-size array"):
        keras.utils.to_categorical([])


def _ref(x, axis, order):
    norm = np.sum(np.abs(x) ** order, axis=axis, keepdims=True) ** (1.0 / order)
    return x / np.maximum(norm, 1e-7)


@pytest.mark.parametrize("axis, order", [(-1, 2), (0, 2), (-1, 1), (0, 1), (-1, 3)])
def test_normalize(axis, order):
    x = np.random.default_rng(0).normal(size=(2, 3)).astype(np.float32)
    out = keras.utils.normalize(tf.constant(x), axis=axis, order=order)
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), _ref(x, axis, order), rtol=1e-5)


def test_normalize_edge_cases():
    assert keras.utils.normalize(np.zeros((1, 3), np.float32)).numpy().tolist() == [[0, 0, 0]]
    out = keras.utils.normalize(np.array([[3.0, 4.0]]))
    assert out.dtype == tf.float64 and np.allclose(out.numpy(), [[0.6, 0.8]])
    with pytest.raises(ValueError, match="must be an int >= 1"):
        keras.utils.normalize(np.ones(2), order=0)
