"""Pooling: forward vs a naive NumPy reference (SAME/VALID, strides, 1/2/3-D), TF's avg divisor,
NaN and tie semantics, argmax indices, shape inference, errors and numeric gradients."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import pooling_ops

RNG = np.random.default_rng(7)


def ref_pool(x, k, s, padding, kind):
    """Naive pooling over the spatial dims; padded cells are excluded (max and mean)."""
    nd = x.ndim - 2
    spatial = x.shape[1:-1]
    geo = []
    for n, kk, ss in zip(spatial, k, s):
        if padding == "VALID":
            geo.append(((n - kk + ss) // ss, 0))
        else:
            o = -(-n // ss)
            geo.append((o, max((o - 1) * ss + kk - n, 0) // 2))
    outs = [g[0] for g in geo]
    y = np.zeros((x.shape[0],) + tuple(outs) + (x.shape[-1],))
    for o in np.ndindex(*outs):
        sl = tuple(
            slice(max(oo * ss - p, 0), min(oo * ss - p + kk, n))
            for oo, ss, (_, p), kk, n in zip(o, s, geo, k, spatial)
        )
        win = x[(slice(None),) + sl].reshape(x.shape[0], -1, x.shape[-1])
        y[(slice(None),) + o] = win.max(1) if kind == "max" else win.mean(1)
    assert len(outs) == nd
    return y


def grad_check(fn, x, eps=1e-6, tol=1e-6, seed=0):
    rng = np.random.default_rng(seed)
    xt = tf.constant(np.asarray(x, np.float64))
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = fn(xt)
    u = rng.standard_normal(y.shape)
    g = tape.gradient(y, xt, output_gradients=tf.constant(u)).numpy()
    v = rng.standard_normal(xt.shape)
    num = (
        np.sum(u * fn(tf.constant(x + eps * v)).numpy())
        - np.sum(u * fn(tf.constant(x - eps * v)).numpy())
    ) / (2 * eps)
    assert abs(num - np.sum(g * v)) <= tol * max(1.0, abs(num)), (num, np.sum(g * v))


POOL2D = [
    ((1, 5, 5, 2), k, s, pad)
    for k, s in [(2, 2), (3, 2), (3, 1), (2, 1), (3, 3)]
    for pad in ["SAME", "VALID"]
] + [((2, 4, 7, 3), 3, 2, "SAME"), ((1, 6, 6, 1), 2, 2, "VALID")]


@pytest.mark.parametrize("shape,k,s,pad", POOL2D)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool2d_matches_reference(shape, k, s, pad, kind):
    x = RNG.standard_normal(shape)
    fn = tf.nn.max_pool2d if kind == "max" else tf.nn.avg_pool2d
    y = fn(tf.constant(x), ksize=k, strides=s, padding=pad)
    np.testing.assert_allclose(y.numpy(), ref_pool(x, (k, k), (s, s), pad, kind), rtol=1e-12)


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool_1d_3d_rect_and_generic(kind):
    x1, x3 = RNG.standard_normal((2, 7, 2)), RNG.standard_normal((1, 3, 4, 5, 2))
    f1 = tf.nn.max_pool1d if kind == "max" else tf.nn.avg_pool1d
    f3 = tf.nn.max_pool3d if kind == "max" else tf.nn.avg_pool3d
    for pad in ["SAME", "VALID"]:
        np.testing.assert_allclose(f1(x1, 3, 2, pad).numpy(), ref_pool(x1, (3,), (2,), pad, kind))
        np.testing.assert_allclose(
            f3(x3, 2, 2, pad).numpy(), ref_pool(x3, (2, 2, 2), (2, 2, 2), pad, kind)
        )
    x = RNG.standard_normal((2, 5, 6, 1))
    f2 = tf.nn.max_pool2d if kind == "max" else tf.nn.avg_pool2d
    np.testing.assert_allclose(
        f2(x, [2, 3], [1, 2], "SAME").numpy(), ref_pool(x, (2, 3), (1, 2), "SAME", kind)
    )
    generic = tf.nn.pool(x, [2, 2], kind.upper(), strides=[2, 2], padding="SAME")
    np.testing.assert_allclose(generic.numpy(), ref_pool(x, (2, 2), (2, 2), "SAME", kind))
    nd = (tf.nn.max_pool if kind == "max" else tf.nn.avg_pool)(x1, 3, 2, "VALID")
    np.testing.assert_allclose(nd.numpy(), ref_pool(x1, (3,), (2,), "VALID", kind))


def test_avg_pool_same_divides_by_valid_cells():
    y = tf.nn.avg_pool2d(tf.ones([1, 3, 3, 1]), 2, 2, "SAME")
    np.testing.assert_array_equal(y.numpy().ravel(), [1, 1, 1, 1])
    y = tf.nn.avg_pool2d(tf.constant(np.arange(9.0).reshape(1, 3, 3, 1)), 2, 2, "SAME")
    np.testing.assert_allclose(y.numpy().ravel(), [2, 3.5, 6.5, 8])


def test_max_pool_nan_ints_dtypes():
    y = tf.nn.max_pool2d(
        tf.constant(np.array([np.nan, 1, 2, 3], np.float32).reshape(1, 2, 2, 1)), 2, 2, "VALID"
    )
    assert y.numpy().ravel().tolist() == [3.0]  # TF ignores NaN in max pooling
    y = tf.nn.max_pool2d(
        tf.constant(np.arange(16, dtype=np.int32).reshape(1, 4, 4, 1)), 2, 2, "VALID"
    )
    assert y.dtype == tf.int32 and y.numpy().ravel().tolist() == [5, 7, 13, 15]
    x = RNG.standard_normal((1, 4, 4, 2))
    for dt in [np.float16, np.float32]:
        y = tf.nn.avg_pool2d(tf.constant(x.astype(dt)), 2, 1, "SAME")
        assert y.dtype == tf.as_dtype(dt)
        np.testing.assert_allclose(
            y.numpy(),
            ref_pool(x.astype(dt).astype(np.float64), (2, 2), (1, 1), "SAME", "avg"),
            rtol=2e-3,
            atol=2e-3,
        )


def test_max_pool_gradient_goes_to_first_max():
    x = tf.ones([1, 2, 4, 1])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.max_pool2d(x, 2, 2, "VALID")
    g = tape.gradient(y, x, output_gradients=tf.constant([[[[3.0], [5.0]]]]))
    np.testing.assert_array_equal(g.numpy().reshape(2, 4), [[3, 0, 5, 0], [0, 0, 0, 0]])


def test_max_pool_with_argmax():
    x = RNG.standard_normal((2, 3, 3, 2)).astype(np.float32)
    out, arg = tf.nn.max_pool_with_argmax(x, 2, 2, "SAME", include_batch_in_index=True)
    assert arg.dtype == tf.int64 and out.shape == (2, 2, 2, 2)
    np.testing.assert_array_equal(x.ravel()[arg.numpy()], out.numpy())
    _, arg2 = tf.nn.max_pool_with_argmax(x, 2, 2, "SAME")
    per = 3 * 3 * 2
    np.testing.assert_array_equal(
        arg2.numpy() + np.arange(2).reshape(2, 1, 1, 1) * per, arg.numpy()
    )
    grad_check(
        lambda t: tf.nn.max_pool_with_argmax(t, 2, 2, "VALID").output,
        RNG.standard_normal((2, 4, 4, 2)),
    )


def test_pool_shapes_and_errors():
    op = pooling_ops.max_pool_op

    class Spec:
        shape, dtype = TensorShape([None, 5, None, 3]), tf.float32

    attrs = {
        "ksize": (1, 2, 2, 1),
        "strides": (1, 2, 2, 1),
        "padding": "SAME",
        "explicit_paddings": (),
        "data_format": "NHWC",
    }
    assert op.shape_rule(op, [Spec], attrs)[0].as_list() == [None, 3, None, 3]
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'T' of int32"):
        tf.nn.avg_pool2d(tf.ones([1, 2, 2, 1], tf.int32), 2, 2, "VALID")
    with pytest.raises(
        ValueError, match="'SAME' padding is not implemented for `dilation_rate` > 1"
    ):
        tf.nn.pool(tf.ones([1, 5, 5, 1]), [2, 2], "AVG", padding="SAME", dilations=[2, 2])
    with pytest.raises(tf.errors.UnimplementedError, match="batch dimension"):
        tf.nn.max_pool2d(tf.ones([2, 2, 2, 1]), [2, 1, 1, 1], 1, "VALID")


def test_pool_dilation_valid_through_space_to_batch():
    x = RNG.standard_normal((1, 7, 7, 1))
    y = tf.nn.pool(x, [2, 2], "MAX", padding="VALID", dilations=[2, 2])
    want = np.maximum.reduce([x[:, i : i + 5, j : j + 5] for i in (0, 2) for j in (0, 2)])
    np.testing.assert_allclose(y.numpy(), want)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: tf.nn.max_pool2d(t, 3, 1, "SAME"),
        lambda t: tf.nn.max_pool2d(t, 2, 2, "VALID"),
        lambda t: tf.nn.avg_pool2d(t, 3, 2, "SAME"),
        lambda t: tf.nn.avg_pool2d(t, [2, 3], [1, 2], "VALID"),
    ],
)
def test_pool2d_gradients(fn):
    grad_check(fn, RNG.standard_normal((2, 5, 6, 2)))


def test_pool_1d_3d_gradients_and_avg_second_order():
    grad_check(lambda t: tf.nn.max_pool1d(t, 3, 2, "SAME"), RNG.standard_normal((2, 7, 2)))
    grad_check(lambda t: tf.nn.avg_pool1d(t, 3, 2, "SAME"), RNG.standard_normal((2, 7, 2)))
    grad_check(lambda t: tf.nn.max_pool3d(t, 2, 2, "SAME"), RNG.standard_normal((1, 3, 4, 5, 2)))
    grad_check(lambda t: tf.nn.avg_pool3d(t, 2, 1, "VALID"), RNG.standard_normal((1, 3, 4, 5, 2)))

    def avg_grad(t):
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = tf.nn.avg_pool2d(t, 2, 1, "SAME")
        return tape.gradient(y, t, output_gradients=y)

    grad_check(avg_grad, RNG.standard_normal((1, 4, 4, 1)))


def _region_reduce(x, rows, cols, fn):
    out = np.zeros((x.shape[0], len(rows) - 1, len(cols) - 1, x.shape[3]))
    for i in range(len(rows) - 1):
        for j in range(len(cols) - 1):
            out[:, i, j] = fn(
                x[:, rows[i] : rows[i + 1], cols[j] : cols[j + 1]].reshape(
                    x.shape[0], -1, x.shape[3]
                ),
                1,
            )
    return out


def test_fractional_pooling_regions_values_and_seed_stream():
    x = np.arange(36, dtype=np.float32).reshape(1, 6, 6, 1)
    tf.random.set_seed(1)
    out, rows, cols = tf.nn.fractional_max_pool(x, [1.0, 1.5, 1.5, 1.0], seed=1)
    # TF's Philox stream for seeds (1, 1): the recorded fixture sequences
    assert rows.numpy().tolist() == [0, 1, 3, 4, 6] and cols.numpy().tolist() == [0, 1, 3, 4, 6]
    np.testing.assert_array_equal(
        out.numpy(), _region_reduce(x, rows.numpy(), cols.numpy(), np.max)
    )
    again = tf.nn.fractional_max_pool(x, [1.0, 1.5, 1.5, 1.0], seed=1)
    assert again.row_pooling_sequence.shape == (5,)  # the cached kernel continues its stream
    z = RNG.standard_normal((2, 7, 9, 3))
    avg = tf.nn.fractional_avg_pool(z, [1, 1.4, 1.7, 1], seed=3)
    r, c = avg.row_pooling_sequence.numpy(), avg.col_pooling_sequence.numpy()
    assert set(np.diff(r).tolist()) <= {1, 2} and r[-1] == 7 and c[-1] == 9
    np.testing.assert_allclose(avg.output.numpy(), _region_reduce(z, r, c, np.mean), rtol=1e-12)


@pytest.mark.parametrize("fn", [tf.nn.fractional_max_pool, tf.nn.fractional_avg_pool])
def test_fractional_pooling_gradient(fn):
    z = tf.constant(RNG.standard_normal((2, 7, 6, 2)))
    with tf.GradientTape() as tape:
        tape.watch(z)
        out, rows, cols = fn(z, [1, 1.5, 1.3, 1], overlapping=True, seed=5)
    u = RNG.standard_normal(out.shape)
    g = tape.gradient(out, z, output_gradients=tf.constant(u)).numpy()
    r, c = rows.numpy(), cols.numpy()
    want = np.zeros(z.shape)
    zn = z.numpy()
    for i in range(len(r) - 1):
        for j in range(len(c) - 1):
            rs, cs = slice(r[i], min(r[i + 1] + 1, 7)), slice(c[j], min(c[j + 1] + 1, 6))
            region = zn[:, rs, cs]
            for b in range(2):
                for ch in range(2):
                    reg = region[b, :, :, ch]
                    if fn is tf.nn.fractional_max_pool:
                        a, bb = np.unravel_index(np.argmax(reg), reg.shape)
                        want[b, rs.start + a, cs.start + bb, ch] += u[b, i, j, ch]
                    else:
                        want[b, rs, cs, ch] += u[b, i, j, ch] / reg.size
    np.testing.assert_allclose(g, want, rtol=1e-12)


def ref_dilation(x, f, s, r, padding):
    kh, kw, _ = f.shape
    eff = [(kh - 1) * r + 1, (kw - 1) * r + 1]
    geo = []
    for n, e in zip(x.shape[1:3], eff):
        if padding == "VALID":
            geo.append(((n - e + s) // s, 0))
        else:
            o = -(-n // s)
            geo.append((o, max((o - 1) * s + e - n, 0) // 2))
    y = np.full((x.shape[0], geo[0][0], geo[1][0], x.shape[3]), -np.inf)
    for i in range(geo[0][0]):
        for j in range(geo[1][0]):
            for a in range(kh):
                for b in range(kw):
                    h, w = i * s + a * r - geo[0][1], j * s + b * r - geo[1][1]
                    if 0 <= h < x.shape[1] and 0 <= w < x.shape[2]:
                        y[:, i, j] = np.maximum(y[:, i, j], x[:, h, w] + f[a, b])
    return y


@pytest.mark.parametrize(
    "s,r,pad", [(1, 1, "SAME"), (2, 1, "VALID"), (1, 2, "SAME"), (2, 2, "VALID")]
)
def test_dilation2d_and_erosion2d(s, r, pad):
    x, f = RNG.standard_normal((2, 7, 6, 2)), RNG.standard_normal((3, 2, 2))
    y = tf.nn.dilation2d(x, f, [1, s, s, 1], pad, "NHWC", [1, r, r, 1])
    np.testing.assert_allclose(y.numpy(), ref_dilation(x, f, s, r, pad), rtol=1e-12)
    e = tf.nn.erosion2d(x, f, [1, s, s, 1], pad, "NHWC", [1, r, r, 1])
    np.testing.assert_allclose(e.numpy(), -ref_dilation(-x, f[::-1, ::-1], s, r, pad), rtol=1e-12)
    xt, ft = tf.constant(x), tf.constant(f)
    with tf.GradientTape() as tape:
        tape.watch([xt, ft])
        y = tf.nn.dilation2d(xt, ft, [1, s, s, 1], pad, "NHWC", [1, r, r, 1])
    gx, gf = tape.gradient(y, [xt, ft])
    eps = 1e-6
    v = RNG.standard_normal(x.shape)
    num = (
        ref_dilation(x + eps * v, f, s, r, pad).sum()
        - ref_dilation(x - eps * v, f, s, r, pad).sum()
    ) / (2 * eps)
    np.testing.assert_allclose(np.sum(gx.numpy() * v), num, rtol=1e-6)
    np.testing.assert_allclose(
        gf.numpy().sum(), y.numpy().size, rtol=1e-12
    )  # each output counts once
