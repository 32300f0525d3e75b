"""keras.layers Reshape, Flatten, Permute, RepeatVector, UpSampling, ZeroPadding, Cropping."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras
X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


@pytest.mark.parametrize(
    "cls,kwargs,input_shape,output_shape,ref",
    [
        ("Reshape", {"target_shape": (4, 3)}, (2, 3, 4), (2, 4, 3), lambda x: x.reshape(2, 4, 3)),
        ("Reshape", {"target_shape": (-1, 2)}, (2, 3, 4), (2, 6, 2), lambda x: x.reshape(2, 6, 2)),
        ("Flatten", {}, (2, 3, 4), (2, 12), lambda x: x.reshape(2, 12)),
        ("Permute", {"dims": (2, 1)}, (2, 3, 4), (2, 4, 3), lambda x: x.transpose(0, 2, 1)),
        ("RepeatVector", {"n": 3}, (2, 4), (2, 3, 4), lambda x: np.repeat(x[:, None], 3, axis=1)),
        ("UpSampling1D", {"size": 2}, (2, 3, 4), (2, 6, 4), lambda x: np.repeat(x, 2, axis=1)),
        (
            "ZeroPadding1D",
            {"padding": (1, 2)},
            (2, 3, 4),
            (2, 6, 4),
            lambda x: np.pad(x, [(0, 0), (1, 2), (0, 0)]),
        ),
        ("Cropping1D", {"cropping": (1, 1)}, (2, 3, 4), (2, 1, 4), lambda x: x[:, 1:2]),
    ],
)
def test_reshaping(cls, kwargs, input_shape, output_shape, ref):
    run_layer_test(
        getattr(keras.layers, cls), kwargs, input_shape, expected_output_shape=output_shape
    )
    x = np.arange(np.prod(input_shape), dtype=np.float32).reshape(input_shape)
    np.testing.assert_array_equal(getattr(keras.layers, cls)(**kwargs)(x).numpy(), ref(x))


def test_flatten_rank1_and_channels_first():
    assert keras.layers.Flatten()(tf.ones((3,))).shape == (3, 1)
    x = np.arange(12, dtype=np.float32).reshape(1, 2, 3, 2)
    out = keras.layers.Flatten(data_format="channels_first")(x).numpy()
    np.testing.assert_array_equal(out, x.transpose(0, 2, 3, 1).reshape(1, -1))
    assert keras.layers.Flatten()(keras.Input((3, 4))).shape == (None, 12)


def test_reshape_symbolic_and_errors():
    assert keras.layers.Reshape((-1, 2))(keras.Input((3, 4))).shape == (None, 6, 2)
    with pytest.raises(ValueError, match="consecutive"):
        keras.layers.Permute((1, 3))
    with pytest.raises(TypeError):
        keras.layers.RepeatVector(2.5)


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear", "bicubic"])
def test_up_sampling2d(interpolation):
    layer = run_layer_test(
        keras.layers.UpSampling2D,
        {"size": (2, 3), "interpolation": interpolation},
        (1, 2, 2, 1),
        expected_output_shape=(1, 4, 6, 1),
    )
    assert layer.get_config()["size"] == (2, 3)
    x = np.arange(4, dtype=np.float32).reshape(1, 2, 2, 1)
    out = keras.layers.UpSampling2D((2, 3), interpolation=interpolation)(x).numpy()
    if interpolation == "nearest":
        np.testing.assert_array_equal(out, np.repeat(np.repeat(x, 2, 1), 3, 2))
    else:
        ref = tf.image.resize(x, (4, 6), method=interpolation).numpy()
        np.testing.assert_allclose(out, ref, rtol=1e-6)


def test_up_sampling3d_and_channels_first():
    x = np.arange(4, dtype=np.float32).reshape(1, 1, 2, 2, 1)
    out = keras.layers.UpSampling3D(2)(x).numpy()
    np.testing.assert_array_equal(out, np.repeat(np.repeat(np.repeat(x, 2, 1), 2, 2), 2, 3))
    cf = keras.layers.UpSampling2D(2, data_format="channels_first")(x[..., 0]).numpy()
    np.testing.assert_array_equal(cf, np.repeat(np.repeat(x[..., 0], 2, 2), 2, 3))
    with pytest.raises(ValueError, match="interpolation"):
        keras.layers.UpSampling2D(interpolation="area")


def test_zero_padding_and_cropping_2d_3d():
    x = np.arange(6, dtype=np.float32).reshape(1, 2, 3, 1)
    layer = keras.layers.ZeroPadding2D(((1, 0), (2, 1)))
    np.testing.assert_array_equal(layer(x).numpy(), np.pad(x, [(0, 0), (1, 0), (2, 1), (0, 0)]))
    assert layer.get_config()["padding"] == ((1, 0), (2, 1))
    assert keras.layers.ZeroPadding2D().get_config()["padding"] == ((1, 1), (1, 1))
    v = np.arange(36, dtype=np.float32).reshape(1, 3, 4, 3, 1)
    np.testing.assert_array_equal(keras.layers.Cropping3D(1)(v).numpy(), v[:, 1:-1, 1:-1, 1:-1])
    np.testing.assert_array_equal(
        keras.layers.ZeroPadding3D(1)(v).numpy(), np.pad(v, [(0, 0)] + [(1, 1)] * 3 + [(0, 0)])
    )
    y = np.arange(20, dtype=np.float32).reshape(1, 4, 5, 1)
    crop = keras.layers.Cropping2D(((1, 0), (1, 2)))
    np.testing.assert_array_equal(crop(y).numpy(), y[:, 1:, 1:3])
    assert crop(keras.Input((4, 5, 1))).shape == (None, 3, 2, 1)
    with pytest.raises(ValueError, match="smaller"):
        keras.layers.Cropping1D((2, 2))(tf.ones((1, 3, 1)))
