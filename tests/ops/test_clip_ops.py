"""clip_by_value / clip_by_norm / clip_by_global_norm / global_norm."""

import numpy as np
import pytest
from _gradcheck import check_grad

import tensorlet as tf

CL = np.array([[-3, -1, 0, 0.5, 2, 7]], np.float32)


def test_clip_by_value():
    np.testing.assert_array_equal(tf.clip_by_value(CL, -1.0, 2.0).numpy(), np.clip(CL, -1, 2))
    lo = np.array([-5, 0, 0, 0, 0, 0], np.float32)
    np.testing.assert_array_equal(
        tf.clip_by_value(tf.constant(CL), lo, 1.0).numpy(), np.minimum(np.maximum(CL, lo), 1)
    )
    np.testing.assert_array_equal(tf.clip_by_value(CL, 2.0, -1.0).numpy(), np.full_like(CL, 2))
    out = tf.clip_by_value(tf.constant([-2, 1, 9]), 0, 3)
    assert out.dtype == tf.int32 and out.numpy().tolist() == [0, 1, 3]
    nan = tf.clip_by_value(tf.constant([np.nan, np.inf, -np.inf]), -1.0, 1.0).numpy()
    assert np.isnan(nan[0]) and nan[1:].tolist() == [1.0, -1.0]


def test_clip_by_value_errors():
    with pytest.raises(TypeError, match="Cannot convert 0.5"):
        tf.clip_by_value(tf.constant([-2, 1, 9]), 0.5, 3)
    with pytest.raises(ValueError):  # bounds must not broadcast the input
        tf.clip_by_value(tf.constant([1.0]), [0.0, 0.0], 1.0)


def test_clip_by_value_gradient_passes_at_boundary():
    x = tf.constant([-1.0, 0.5, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.clip_by_value(x, -1.0, 2.0)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [1, 1, 1, 0])


def test_clip_by_norm():
    x = 2 * np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32)
    n = np.sqrt((x * x).sum())
    np.testing.assert_allclose(tf.clip_by_norm(x, 1.0).numpy(), x / n, rtol=1e-6)
    np.testing.assert_allclose(tf.clip_by_norm(x, 100.0).numpy(), x, rtol=1e-6)
    rows = np.sqrt((x * x).sum(1, keepdims=True))
    np.testing.assert_allclose(
        tf.clip_by_norm(x, 1.0, axes=[1]).numpy(), x / np.maximum(rows, 1.0), rtol=1e-6
    )
    zero = tf.constant(np.zeros(3, np.float32))
    with tf.GradientTape() as tape:
        tape.watch(zero)
        y = tf.clip_by_norm(zero, 1.0)
    assert y.numpy().tolist() == [0, 0, 0]
    assert np.isfinite(tape.gradient(y, zero).numpy()).all()


def test_global_norm_and_clip_by_global_norm():
    a, b = np.ones((2, 2), np.float32), np.full((3,), 2.0, np.float32)
    gn = np.sqrt(4 + 12)
    np.testing.assert_allclose(tf.linalg.global_norm([a, b]).numpy(), gn, rtol=1e-6)
    (ca, cb), norm = tf.clip_by_global_norm([a, b], 1.0)
    np.testing.assert_allclose(norm.numpy(), gn, rtol=1e-6)
    np.testing.assert_allclose(ca.numpy(), a / gn, rtol=1e-6)
    np.testing.assert_allclose(cb.numpy(), b / gn, rtol=1e-6)
    (c, none), _ = tf.clip_by_global_norm([a, None], 0.5)
    assert none is None
    (c,), n = tf.clip_by_global_norm([np.array([np.nan, 1.0], np.float32)], 1.0)
    assert np.isnan(c.numpy()).all() and np.isnan(n.numpy())
    with pytest.raises(AttributeError):  # TF reads use_norm.dtype
        tf.clip_by_global_norm([a], 1.0, use_norm=5.0)
    with pytest.raises(TypeError):
        tf.clip_by_global_norm(tf.constant(a), 1.0)
    assert not hasattr(tf, "clip_by_average_norm")


def test_indexed_slices_stay_sparse():
    s = tf.IndexedSlices(tf.constant([[3.0, 4.0]]), tf.constant([1]), tf.constant([3, 2]))
    out = tf.clip_by_norm(s, 1.0)
    assert isinstance(out, tf.IndexedSlices)
    np.testing.assert_allclose(out.values.numpy(), [[0.6, 0.8]], rtol=1e-6)


R = np.random.default_rng(2)


@pytest.mark.parametrize(
    "fn,args",
    [
        (lambda x: tf.clip_by_value(x, -0.5, 0.7), [R.standard_normal((3, 4))]),
        (
            lambda x, lo: tf.clip_by_value(x, lo, 0.7),
            [R.standard_normal((3, 4)), R.standard_normal(4) - 1],
        ),
        (lambda x: tf.clip_by_norm(x, 1.0), [R.standard_normal((3, 4))]),
        (lambda x: tf.clip_by_norm(x, 1.0, axes=[0]), [R.standard_normal((3, 4))]),
        (
            lambda a, b: tf.clip_by_global_norm([a, b], 1.0),
            [R.standard_normal(3), R.standard_normal((2, 2))],
        ),
    ],
    ids=["value", "value_tensor_bound", "norm", "norm_axes", "global_norm"],
)
def test_gradients(fn, args):
    check_grad(fn, *args)
