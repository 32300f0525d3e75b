"""keras.layers Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot and the
functional forms."""

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras
RNG = np.random.default_rng(0)
A, B, C = (RNG.standard_normal((2, 3)).astype(np.float32) for _ in range(3))


@pytest.mark.parametrize(
    "cls,fn,ref",
    [
        ("Add", "add", lambda *xs: sum(xs)),
        ("Multiply", "multiply", lambda a, b, c: a * b * c),
        ("Average", "average", lambda *xs: sum(xs) / 3),
        ("Maximum", "maximum", lambda *xs: np.maximum.reduce(xs)),
        ("Minimum", "minimum", lambda *xs: np.minimum.reduce(xs)),
    ],
)
def test_elementwise_merge(cls, fn, ref):
    out = getattr(keras.layers, cls)()([A, B, C]).numpy()
    np.testing.assert_allclose(out, ref(A, B, C), rtol=1e-6)
    np.testing.assert_allclose(getattr(keras.layers, fn)([A, B, C]).numpy(), out)
    sym = getattr(keras.layers, cls)()([keras.Input((3,)), keras.Input((3,))])
    assert sym.shape == (None, 3)


def test_subtract_and_errors():
    np.testing.assert_allclose(keras.layers.Subtract()([A, B]).numpy(), A - B)
    np.testing.assert_allclose(keras.layers.subtract([A, B]).numpy(), A - B)
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        keras.layers.Subtract()([A, B, C])
    with pytest.raises(ValueError, match="different batch sizes"):
        keras.layers.Add()([A, A[:1]])


def test_merge_rank_broadcast():
    out = keras.layers.Add()([np.ones((2, 3, 4), np.float32), np.ones((2, 4), np.float32)])
    assert out.shape == (2, 3, 4)


@pytest.mark.parametrize("axis", [-1, 1, 0])
def test_concatenate(axis):
    a = RNG.standard_normal((2, 3, 2)).astype(np.float32)
    b = RNG.standard_normal((2, 3, 2)).astype(np.float32)
    layer = keras.layers.Concatenate(axis=axis)
    np.testing.assert_array_equal(layer([a, b]).numpy(), np.concatenate([a, b], axis=axis))
    assert layer.get_config()["axis"] == axis
    np.testing.assert_array_equal(
        keras.layers.concatenate([a, b], axis=axis).numpy(), np.concatenate([a, b], axis=axis)
    )
    with pytest.raises(ValueError, match="matching shapes"):
        keras.layers.Concatenate(axis=axis)([a, np.ones((2, 4, 3), np.float32)])


def test_concatenate_mask():
    layer = keras.layers.Concatenate(axis=1)
    m = layer.compute_mask(
        [tf.ones((1, 2, 3)), tf.ones((1, 1, 3))], [tf.constant([[True, False]]), None]
    )
    np.testing.assert_array_equal(m.numpy(), [[True, False, True]])


@pytest.mark.parametrize(
    "axes,sa,sb,equation",
    [
        (1, (2, 3), (2, 3), "bi,bi->b"),
        ((2, 2), (2, 3, 4), (2, 5, 4), "bij,bkj->bik"),
        ((1, 2), (2, 3, 4), (2, 5, 3), "bij,bki->bjk"),
        (-1, (2, 3, 4), (2, 3, 4), "bij,bkj->bik"),
    ],
)
def test_dot(axes, sa, sb, equation):
    a = RNG.standard_normal(sa).astype(np.float32)
    b = RNG.standard_normal(sb).astype(np.float32)
    out = keras.layers.Dot(axes=axes)([a, b]).numpy()
    ref = np.einsum(equation, a, b)
    if ref.ndim == 1:
        ref = ref[:, None]
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)
    sym = keras.layers.Dot(axes=axes)([keras.Input(sa[1:]), keras.Input(sb[1:])])
    assert sym.shape == (None,) + ref.shape[1:]


def test_dot_normalize():
    out = keras.layers.dot([A, B], axes=1, normalize=True).numpy()
    ref = (A * B).sum(1) / np.linalg.norm(A, axis=1) / np.linalg.norm(B, axis=1)
    np.testing.assert_allclose(out[:, 0], ref, rtol=1e-5)
    with pytest.raises(ValueError, match="two elements"):
        keras.layers.Dot(axes=(1, 2, 3))


def test_merge_gradients():
    a, b = tf.constant(A), tf.constant(B)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = tf.reduce_sum(keras.layers.Maximum()([a, b]))
    ga, gb = tape.gradient(y, [a, b])
    np.testing.assert_array_equal(ga.numpy() + gb.numpy(), np.ones((2, 3)))
