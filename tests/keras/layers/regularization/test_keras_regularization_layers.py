"""keras.layers SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout, AlphaDropout,
ActivityRegularization."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras


@pytest.mark.parametrize(
    "cls,kwargs,shape",
    [
        ("SpatialDropout1D", {"rate": 0.5}, (2, 3, 4)),
        ("SpatialDropout2D", {"rate": 0.5}, (2, 3, 3, 4)),
        ("SpatialDropout3D", {"rate": 0.5}, (2, 2, 2, 2, 4)),
        ("GaussianNoise", {"stddev": 0.5}, (2, 3)),
        ("GaussianDropout", {"rate": 0.3}, (2, 3)),
        ("AlphaDropout", {"rate": 0.3}, (2, 3)),
    ],
)
def test_noise_layers_inference_is_identity(cls, kwargs, shape):
    run_layer_test(getattr(keras.layers, cls), kwargs, shape, expected_output_shape=shape)
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    layer = getattr(keras.layers, cls)(**kwargs)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)


@pytest.mark.parametrize(
    "cls,shape,axes",
    [
        ("SpatialDropout1D", (4, 6, 8), (1,)),
        ("SpatialDropout2D", (4, 3, 3, 8), (1, 2)),
        ("SpatialDropout3D", (4, 2, 2, 2, 8), (1, 2, 3)),
    ],
)
def test_spatial_dropout_drops_whole_channels(cls, shape, axes):
    out = getattr(keras.layers, cls)(0.5, seed=1)(np.ones(shape, np.float32), training=True).numpy()
    assert set(np.unique(out)) <= {0.0, 2.0}
    np.testing.assert_array_equal(out.min(axis=axes), out.max(axis=axes))
    assert getattr(keras.layers, cls)(0.5, seed=1).get_config()["seed"] == 1


def test_spatial_dropout_config():
    config = keras.layers.SpatialDropout1D(0.5, seed=1).get_config()
    assert set(config) == {"rate", "seed", "name", "dtype"}
    assert (
        keras.layers.SpatialDropout2D(0.5, data_format="channels_first").get_config()["data_format"]
        == "channels_first"
    )


def test_training_noise_statistics():
    x = np.ones((200, 50), np.float32)
    noisy = keras.layers.GaussianNoise(0.5, seed=3)(x, training=True).numpy()
    assert abs(noisy.mean() - 1.0) < 0.05 and abs(noisy.std() - 0.5) < 0.05
    dropped = keras.layers.GaussianDropout(0.5, seed=3)(x, training=True).numpy()
    assert abs(dropped.mean() - 1.0) < 0.05 and abs(dropped.std() - 1.0) < 0.1
    alpha = keras.layers.AlphaDropout(0.2, seed=3)
    z = np.random.default_rng(0).standard_normal((200, 50)).astype(np.float32)
    out = alpha(z, training=True).numpy()
    assert abs(out.mean()) < 0.05 and abs(out.std() - 1.0) < 0.05
    with pytest.raises(ValueError):
        keras.layers.GaussianNoise(2.0)


def test_activity_regularization():
    x = np.random.default_rng(1).standard_normal((2, 3)).astype(np.float32)
    layer = keras.layers.ActivityRegularization(l1=0.1, l2=0.01)
    y = layer(x)
    np.testing.assert_array_equal(y.numpy(), x)
    (loss,) = layer.losses
    ref = (0.1 * np.abs(x).sum() + 0.01 * (x**2).sum()) / 2  # divided by the batch size
    np.testing.assert_allclose(float(loss), ref, rtol=1e-5)
    assert layer.get_config()["l1"] == 0.1
