"""keras.layers BatchNormalization, LayerNormalization, GroupNormalization, UnitNormalization,
RMSNormalization, SpectralNormalization."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras
RNG = np.random.default_rng(0)


def test_batch_normalization_layer_test():
    layer = run_layer_test(
        keras.layers.BatchNormalization,
        {},
        (4, 3),
        expected_output_shape=(4, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=2,
    )
    assert [w.name for w in layer.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]


@pytest.mark.parametrize("axis,shape", [(-1, (4, 3)), (1, (2, 3, 4)), (-1, (2, 3, 3, 2))])
def test_batch_normalization_training(axis, shape):
    x = (RNG.standard_normal(shape) * 2 + 1).astype(np.float32)
    layer = keras.layers.BatchNormalization(axis=axis, momentum=0.5, epsilon=0.1)
    out = layer(x, training=True).numpy()
    axes = tuple(i for i in range(len(shape)) if i != axis % len(shape))
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)  # biased
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 0.1), rtol=1e-4, atol=1e-5)
    mm, mv = layer.moving_mean.numpy(), layer.moving_variance.numpy()
    np.testing.assert_allclose(mm, 0.5 * mean.reshape(-1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(mv, 0.5 + 0.5 * var.reshape(-1), rtol=1e-5)
    # the default call is inference: moving statistics, unchanged by the call
    out = layer(x).numpy()
    bshape = [1] * len(shape)
    bshape[axis] = shape[axis]
    ref = (x - mm.reshape(bshape)) / np.sqrt(mv.reshape(bshape) + 0.1)
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), mm)


def test_batch_normalization_mask_and_frozen():
    x = RNG.standard_normal((2, 3, 2)).astype(np.float32)
    mask = np.array([[True, True, False], [True, False, False]])
    layer = keras.layers.BatchNormalization(momentum=0.0, center=False, scale=False)
    layer(x, training=True, mask=mask)
    np.testing.assert_allclose(
        layer.moving_mean.numpy(), x[mask].mean(axis=0), rtol=1e-4, atol=1e-6
    )
    frozen = keras.layers.BatchNormalization()
    frozen.trainable = False
    frozen(x, training=True)
    np.testing.assert_array_equal(frozen.moving_mean.numpy(), [0.0, 0.0])
    with pytest.raises(NotImplementedError):
        keras.layers.BatchNormalization(renorm=True)


@pytest.mark.parametrize(
    "kwargs", [{}, {"axis": [1, 2], "epsilon": 1e-5}, {"center": False, "scale": False}]
)
def test_layer_normalization(kwargs):
    run_layer_test(
        keras.layers.LayerNormalization, kwargs, (2, 3, 4), expected_output_shape=(2, 3, 4)
    )
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    axes = tuple(kwargs.get("axis", [-1]))
    eps = kwargs.get("epsilon", 1e-3)
    ref = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
    np.testing.assert_allclose(
        keras.layers.LayerNormalization(**kwargs)(x).numpy(), ref, rtol=1e-4, atol=1e-5
    )


def test_layer_normalization_rms_scaling():
    layer = keras.layers.LayerNormalization(rms_scaling=True)
    x = RNG.standard_normal((2, 5)).astype(np.float32)
    out = layer(x).numpy()
    assert [w.name for w in layer.weights] == ["gamma"]
    ref = x / np.sqrt(x.var(axis=-1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("groups,shape", [(2, (2, 3, 4)), (1, (1, 2, 2, 4)), (4, (1, 3, 4))])
def test_group_normalization(groups, shape):
    run_layer_test(
        keras.layers.GroupNormalization, {"groups": groups}, shape, expected_output_shape=shape
    )
    x = RNG.standard_normal(shape).astype(np.float32)
    g = x.reshape(shape[:-1] + (groups, shape[-1] // groups))
    axes = tuple(range(1, len(shape) - 1)) + (len(shape),)
    ref = (g - g.mean(axis=axes, keepdims=True)) / np.sqrt(g.var(axis=axes, keepdims=True) + 1e-3)
    out = keras.layers.GroupNormalization(groups=groups)(x).numpy()
    np.testing.assert_allclose(out, ref.reshape(shape), rtol=1e-4, atol=1e-5)


def test_group_normalization_errors():
    with pytest.raises(ValueError, match="cannot be more than"):
        keras.layers.GroupNormalization(groups=8)(tf.ones((1, 2, 4)))
    with pytest.raises(ValueError, match="multiple"):
        keras.layers.GroupNormalization(groups=3)(tf.ones((1, 2, 4)))


def test_unit_and_rms_normalization():
    run_layer_test(keras.layers.UnitNormalization, {}, (2, 3), expected_output_shape=(2, 3))
    x = RNG.standard_normal((2, 4)).astype(np.float32)
    np.testing.assert_allclose(
        keras.layers.UnitNormalization()(x).numpy(),
        x / np.linalg.norm(x, axis=-1, keepdims=True),
        rtol=1e-5,
    )
    layer = run_layer_test(keras.layers.RMSNormalization, {}, (2, 4), expected_output_shape=(2, 4))
    assert layer.get_config()["axis"] == [-1]
    np.testing.assert_allclose(
        keras.layers.RMSNormalization()(x).numpy(),
        x / np.sqrt((x**2).mean(axis=-1, keepdims=True) + 1e-6),
        rtol=1e-5,
    )


def test_spectral_normalization():
    layer = keras.layers.SpectralNormalization(keras.layers.Dense(3), power_iterations=20)
    x = tf.ones((2, 4))
    layer(x, training=True)
    sigma = np.linalg.svd(layer.layer.kernel.numpy(), compute_uv=False)[0]
    np.testing.assert_allclose(sigma, 1.0, rtol=1e-3)
    assert [w.name for w in layer.non_trainable_weights] == ["vector_u"]
    assert layer.get_config()["power_iterations"] == 20
    with pytest.raises(ValueError):
        keras.layers.SpectralNormalization(keras.layers.Dense(3), power_iterations=0)
