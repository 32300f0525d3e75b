"""keras.layers Max/Average pooling 1D-3D and the global poolings."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras


@pytest.mark.parametrize(
    "cls,input_shape,kwargs,output_shape",
    [
        ("MaxPooling1D", (2, 7, 2), {}, (2, 3, 2)),
        ("AveragePooling1D", (2, 7, 2), {"padding": "same"}, (2, 4, 2)),
        ("MaxPooling2D", (1, 5, 6, 2), {"strides": 1}, (1, 4, 5, 2)),
        (
            "AveragePooling2D",
            (1, 6, 6, 1),
            {"pool_size": 3, "strides": 2, "padding": "same"},
            (1, 3, 3, 1),
        ),
        ("MaxPooling3D", (1, 3, 4, 5, 1), {"padding": "same"}, (1, 2, 2, 3, 1)),
        ("AveragePooling3D", (1, 3, 4, 5, 1), {}, (1, 1, 2, 2, 1)),
    ],
)
def test_pooling(cls, input_shape, kwargs, output_shape):
    layer = run_layer_test(
        getattr(keras.layers, cls), kwargs, input_shape, expected_output_shape=output_shape
    )
    assert layer.get_config()["strides"] == layer.strides


def test_pooling_values():
    x = np.arange(12, dtype=np.float32).reshape(1, 6, 2)
    np.testing.assert_array_equal(
        keras.layers.MaxPooling1D()(x).numpy(), x.reshape(1, 3, 2, 2).max(axis=2)
    )
    np.testing.assert_allclose(
        keras.layers.AveragePooling1D()(x).numpy(), x.reshape(1, 3, 2, 2).mean(axis=2)
    )
    y = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    np.testing.assert_array_equal(
        keras.layers.MaxPool2D()(y).numpy()[0, :, :, 0], [[5, 7], [13, 15]]
    )
    assert keras.layers.MaxPooling2D().get_config()["pool_size"] == (2, 2)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize(
    "cls,input_shape,axes",
    [
        ("GlobalAveragePooling1D", (2, 4, 3), (1,)),
        ("GlobalMaxPooling1D", (2, 4, 3), (1,)),
        ("GlobalAveragePooling2D", (2, 3, 4, 2), (1, 2)),
        ("GlobalMaxPooling2D", (2, 3, 4, 2), (1, 2)),
        ("GlobalAveragePooling3D", (1, 2, 3, 2, 2), (1, 2, 3)),
        ("GlobalMaxPooling3D", (1, 2, 3, 2, 2), (1, 2, 3)),
    ],
)
def test_global_pooling(cls, input_shape, axes, keepdims):
    x = np.random.default_rng(0).standard_normal(input_shape).astype(np.float32)
    fn = np.max if "Max" in cls else np.mean
    expected = fn(x, axis=axes, keepdims=keepdims)
    run_layer_test(
        getattr(keras.layers, cls),
        {"keepdims": keepdims},
        input_shape,
        expected_output_shape=expected.shape,
    )
    out = getattr(keras.layers, cls)(keepdims=keepdims)(x).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_global_average_pooling1d_mask_and_channels_first():
    x = np.random.default_rng(1).standard_normal((2, 4, 3)).astype(np.float32)
    m = np.array([[True, True, False, False], [True, True, True, True]])
    out = keras.layers.GlobalAveragePooling1D()(x, mask=m).numpy()
    np.testing.assert_allclose(out[0], x[0, :2].mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(out[1], x[1].mean(axis=0), rtol=1e-5)
    cf = keras.layers.GlobalMaxPooling2D(data_format="channels_first")(x[:, :, :, None]).numpy()
    np.testing.assert_allclose(cf, x.max(axis=2), rtol=1e-6)
