"""Convolutions: forward vs a naive NumPy reference, TF's padding/stride/dilation geometry,
static shape inference, CPU-only errors, and numeric gradient checks of the backprop ops."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import conv_ops

RNG = np.random.default_rng(4)


# ---------------------------------------------------------------- references


def _pads(n, k, s, d, padding):
    eff = (k - 1) * d + 1
    if padding == "VALID":
        return (n - eff + s) // s, 0
    out = -(-n // s)
    total = max((out - 1) * s + eff - n, 0)
    return out, total // 2


def ref_conv(x, f, strides, padding, dilations=None, explicit=None):
    """Naive channels-last N-d cross-correlation (loops over output cells)."""
    nd = f.ndim - 2
    dilations = dilations or (1,) * nd
    spatial = x.shape[1:-1]
    if explicit is not None:
        pads = [p[0] for p in explicit]
        xp_ = np.pad(x, [(0, 0)] + list(explicit) + [(0, 0)])
        outs = [
            (n + a + b - ((k - 1) * d + 1) + s) // s
            for n, (a, b), k, s, d in zip(spatial, explicit, f.shape[:nd], strides, dilations)
        ]
    else:
        geo = [
            _pads(n, k, s, d, padding)
            for n, k, s, d in zip(spatial, f.shape[:nd], strides, dilations)
        ]
        outs, pads = [g[0] for g in geo], [g[1] for g in geo]
        big = [
            (o - 1) * s + (k - 1) * d + 1
            for o, s, k, d in zip(outs, strides, f.shape[:nd], dilations)
        ]
        xp_ = np.zeros(
            (x.shape[0],)
            + tuple(max(b + p, n + p) for b, p, n in zip(big, pads, spatial))
            + (x.shape[-1],)
        )
        xp_[(slice(None),) + tuple(slice(p, p + n) for p, n in zip(pads, spatial))] = x
    y = np.zeros((x.shape[0],) + tuple(outs) + (f.shape[-1],))
    for o in np.ndindex(*outs):
        for k in np.ndindex(*f.shape[:nd]):
            idx = tuple(oo * s + kk * d for oo, s, kk, d in zip(o, strides, k, dilations))
            y[(slice(None),) + o] += xp_[(slice(None),) + idx] @ f[k]
    return y


def ref_depthwise(x, f, strides, padding, dilations=(1, 1)):
    c = f.shape[2]
    outs = []
    for ci in range(c):
        outs.append(
            ref_conv(x[..., ci : ci + 1], f[:, :, ci : ci + 1, :], strides, padding, dilations)
        )
    return np.concatenate(outs, axis=-1)  # channel ci*m + mi


def grad_check(fn, *args, eps=1e-6, tol=1e-6, seed=0):
    """<u, J v> from the tape (VJP) against central differences (float64)."""
    rng = np.random.default_rng(seed)
    xs = [tf.constant(np.asarray(a, np.float64)) for a in args]
    with tf.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        y = fn(*xs)
    u = rng.standard_normal(y.shape)
    gs = tape.gradient(y, xs, output_gradients=tf.constant(u))
    for i, (x, g) in enumerate(zip(xs, gs)):
        v = rng.standard_normal(x.shape)
        plus = list(xs)
        minus = list(xs)
        plus[i] = tf.constant(x.numpy() + eps * v)
        minus[i] = tf.constant(x.numpy() - eps * v)
        num = (np.sum(u * fn(*plus).numpy()) - np.sum(u * fn(*minus).numpy())) / (2 * eps)
        ana = np.sum(np.asarray(tf.convert_to_tensor(g).numpy()) * v)
        assert abs(num - ana) <= tol * max(1.0, abs(num)), (i, num, ana)


class Spec:
    def __init__(self, shape, dtype=tf.float32):
        self.shape, self.dtype, self._dtype = TensorShape(shape), dtype, dtype


# ---------------------------------------------------------------- conv2d forward

CONV2D = [  # (x shape, f shape, strides, padding, dilations)
    ((1, 5, 5, 2), (3, 3, 2, 3), 1, "SAME", 1),
    ((1, 5, 5, 2), (3, 3, 2, 3), 2, "SAME", 1),
    ((1, 6, 6, 2), (2, 2, 2, 3), 2, "SAME", 1),
    ((1, 6, 6, 2), (3, 3, 2, 3), 3, "VALID", 1),
    ((2, 7, 4, 2), (1, 3, 2, 3), 2, "SAME", 1),
    ((3, 6, 5, 3), (3, 3, 3, 4), 2, "SAME", 1),
    ((2, 7, 6, 2), (3, 2, 2, 2), 1, "SAME", 2),
    ((2, 7, 6, 2), (3, 2, 2, 2), 1, "VALID", 3),
    ((1, 5, 5, 1), (3, 3, 1, 2), [2, 1], "VALID", 1),
    ((1, 2, 2, 1), (3, 3, 1, 1), 1, "SAME", 1),
]


@pytest.mark.parametrize("xs,fs,s,pad,d", CONV2D)
def test_conv2d_matches_reference(xs, fs, s, pad, d):
    x, f = RNG.standard_normal(xs), RNG.standard_normal(fs)
    y = tf.nn.conv2d(tf.constant(x), tf.constant(f), strides=s, padding=pad, dilations=d)
    st = (s, s) if isinstance(s, int) else tuple(s)
    np.testing.assert_allclose(y.numpy(), ref_conv(x, f, st, pad, (d, d)), rtol=1e-10, atol=1e-12)


def test_conv2d_explicit_padding_and_full_strides():
    x, f = RNG.standard_normal((1, 4, 4, 2)), RNG.standard_normal((3, 3, 2, 1))
    y = tf.nn.conv2d(x, f, strides=[1, 1, 1, 1], padding=[[0, 0], [1, 2], [0, 1], [0, 0]])
    np.testing.assert_allclose(y.numpy(), ref_conv(x, f, (1, 1), None, explicit=[(1, 2), (0, 1)]))
    assert y.shape == (1, 5, 3, 1)


@pytest.mark.parametrize("dtype,tol", [(np.float16, 1e-2), (np.float32, 1e-5), (np.float64, 1e-12)])
def test_conv2d_dtypes(dtype, tol):
    x, f = RNG.standard_normal((2, 5, 5, 3)), RNG.standard_normal((3, 3, 3, 2))
    y = tf.nn.conv2d(tf.constant(x.astype(dtype)), tf.constant(f.astype(dtype)), 1, "SAME")
    assert y.dtype == tf.as_dtype(dtype)
    np.testing.assert_allclose(
        y.numpy().astype(np.float64),
        ref_conv(
            x.astype(dtype).astype(np.float64), f.astype(dtype).astype(np.float64), (1, 1), "SAME"
        ),
        rtol=tol,
        atol=tol,
    )


def test_conv2d_int32_and_numpy_filter_takes_input_dtype():
    x = np.arange(16, dtype=np.int32).reshape(1, 4, 4, 1)
    f = np.ones((2, 2, 1, 1), np.int32)
    y = tf.nn.conv2d(tf.constant(x), f, 1, "VALID")
    assert y.dtype == tf.int32
    np.testing.assert_array_equal(y.numpy(), ref_conv(x, f, (1, 1), "VALID").astype(np.int32))
    y = tf.nn.conv2d(
        tf.constant(np.ones((1, 3, 3, 1), np.float32)), np.ones((1, 1, 1, 1)), 1, "SAME"
    )
    assert y.dtype == tf.float32


def test_conv1d_and_conv3d():
    x, f = RNG.standard_normal((2, 7, 2)), RNG.standard_normal((3, 2, 3))
    for s, pad in [(1, "SAME"), (2, "VALID"), (2, "SAME")]:
        y = tf.nn.conv1d(x, f, stride=s, padding=pad)
        np.testing.assert_allclose(y.numpy(), ref_conv(x, f, (s,), pad), rtol=1e-10, atol=1e-12)
    x, f = RNG.standard_normal((1, 4, 5, 3, 2)), RNG.standard_normal((2, 3, 2, 2, 2))
    for s, pad in [(1, "SAME"), (2, "VALID"), (2, "SAME")]:
        y = tf.nn.conv3d(x, f, strides=[1, s, s, s, 1], padding=pad)
        np.testing.assert_allclose(
            y.numpy(), ref_conv(x, f, (s, s, s), pad), rtol=1e-10, atol=1e-12
        )


def test_convolution_and_atrous_equal_dilated_conv():
    x, f = RNG.standard_normal((2, 7, 6, 2)), RNG.standard_normal((3, 2, 2, 2))
    for pad in ["SAME", "VALID"]:
        want = ref_conv(x, f, (1, 1), pad, (2, 2))
        np.testing.assert_allclose(
            tf.nn.atrous_conv2d(x, f, rate=2, padding=pad).numpy(), want, rtol=1e-10, atol=1e-12
        )
        np.testing.assert_allclose(
            tf.nn.convolution(x, f, padding=pad, dilations=2).numpy(), want, rtol=1e-10, atol=1e-12
        )
    y = tf.nn.convolution(x, f, strides=2, padding="SAME")
    np.testing.assert_allclose(y.numpy(), ref_conv(x, f, (2, 2), "SAME"), rtol=1e-10, atol=1e-12)


def test_depthwise_channel_order_and_separable():
    x, f = RNG.standard_normal((1, 5, 6, 3)), RNG.standard_normal((3, 3, 3, 2))
    for s, pad in [(1, "SAME"), (2, "VALID"), (2, "SAME")]:
        y = tf.nn.depthwise_conv2d(x, f, strides=[1, s, s, 1], padding=pad)
        np.testing.assert_allclose(
            y.numpy(), ref_depthwise(x, f, (s, s), pad), rtol=1e-10, atol=1e-12
        )
    y = tf.nn.depthwise_conv2d(x, f, [1, 1, 1, 1], "SAME", dilations=[2, 2])
    np.testing.assert_allclose(y.numpy(), ref_depthwise(x, f, (1, 1), "SAME", (2, 2)), rtol=1e-10)
    pw = RNG.standard_normal((1, 1, 6, 4))
    y = tf.nn.separable_conv2d(x, f, pw, strides=[1, 1, 1, 1], padding="SAME")
    want = ref_depthwise(x, f, (1, 1), "SAME") @ pw[0, 0]
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-10, atol=1e-12)


TRANSPOSE = [
    (3, 2, 3, "SAME", 6),
    (3, 2, 3, "VALID", 7),
    (3, 2, 2, "VALID", 6),
    (4, 1, 3, "SAME", 4),
    (3, 2, 3, "SAME", 5),
    (3, 3, 2, "VALID", 9),
    (2, 2, 4, "SAME", 4),
]


@pytest.mark.parametrize("h,s,k,pad,out", TRANSPOSE)
def test_conv2d_transpose_is_the_adjoint_of_conv2d(h, s, k, pad, out):
    """<conv2d(z, f), x> == <z, conv2d_transpose(x, f)>; filter is [h, w, out, in]."""
    x, f = RNG.standard_normal((1, h, h, 3)), RNG.standard_normal((k, k, 2, 3))
    y = tf.nn.conv2d_transpose(x, f, output_shape=[1, out, out, 2], strides=s, padding=pad)
    assert y.shape == (1, out, out, 2)
    z = RNG.standard_normal((1, out, out, 2))
    lhs = np.sum(ref_conv(z, f, (s, s), pad) * x)
    np.testing.assert_allclose(lhs, np.sum(z * y.numpy()), rtol=1e-10)


def test_conv1d_conv3d_transpose_shapes():
    y = tf.nn.conv1d_transpose(
        RNG.standard_normal((1, 4, 3)),
        RNG.standard_normal((3, 2, 3)),
        output_shape=[1, 8, 2],
        strides=2,
        padding="SAME",
    )
    assert y.shape == (1, 8, 2)
    y = tf.nn.conv3d_transpose(
        RNG.standard_normal((1, 2, 2, 2, 2)),
        RNG.standard_normal((2, 2, 2, 1, 2)),
        output_shape=[1, 4, 4, 4, 1],
        strides=2,
        padding="SAME",
    )
    assert y.shape == (1, 4, 4, 4, 1)


# ---------------------------------------------------------------- shapes and errors


def test_static_shape_rule_with_unknown_dims():
    attrs = {
        "strides": (1, 2, 2, 1),
        "padding": "SAME",
        "explicit_paddings": (),
        "data_format": "NHWC",
        "dilations": (1, 1, 1, 1),
    }
    op = conv_ops.conv2d_op
    (s,) = op.shape_rule(op, [Spec([None, 7, None, 3]), Spec([3, 3, 3, 8])], attrs)
    assert s.as_list() == [None, 4, None, 8]
    (s,) = op.shape_rule(op, [Spec(None), Spec([3, 3, 3, 8])], attrs)
    assert s.rank == 4


def test_conv_errors():
    x = tf.constant(RNG.standard_normal((1, 2, 4, 4)).astype(np.float32))
    f = tf.constant(RNG.standard_normal((3, 3, 2, 1)).astype(np.float32))
    with pytest.raises(tf.errors.UnimplementedError, match="NHWC"):
        tf.nn.conv2d(x, f, 1, "SAME", data_format="NCHW")
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="evenly divisible by filter depth: 3 vs 2"
    ):
        tf.nn.conv2d(tf.zeros([1, 4, 4, 3]), f, 1, "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError, match="dilated rates of 1"):
        tf.nn.conv3d(
            tf.zeros([1, 5, 4, 3, 1]),
            tf.zeros([2, 2, 2, 1, 1]),
            [1] * 5,
            "SAME",
            dilations=[1, 2, 1, 1, 1],
        )
    with pytest.raises(tf.errors.InvalidArgumentError, match="Size of out_backprop doesn't match"):
        tf.nn.conv2d_transpose(
            tf.zeros([1, 3, 3, 3]), tf.zeros([3, 3, 2, 3]), [1, 9, 9, 2], 2, "SAME"
        )
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Computed output size would be negative"
    ):
        tf.nn.conv2d(tf.zeros([1, 2, 2, 1]), tf.zeros([4, 4, 1, 1]), 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot compute Conv2D"):
        tf.nn.conv2d(tf.zeros([1, 2, 2, 1]), tf.zeros([1, 1, 1, 1], tf.float64), 1, "VALID")
    with pytest.raises(ValueError, match="strides should be of length"):
        tf.nn.conv2d(tf.zeros([1, 2, 2, 1]), tf.zeros([1, 1, 1, 1]), [1, 1, 1], "VALID")
    assert tf.nn.conv2d(tf.zeros([1, 2, 2, 1]), tf.zeros([3, 3, 1, 1]), 1, "VALID").shape == (
        1,
        0,
        0,
        1,
    )


def test_dilated_conv2d_has_no_cpu_gradient_but_atrous_does():
    x, f = (
        tf.constant(RNG.standard_normal((1, 7, 6, 2))),
        tf.constant(RNG.standard_normal((3, 2, 2, 2))),
    )
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.conv2d(x, f, 1, "SAME", dilations=2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="dilation rates larger than 1"):
        tape.gradient(y, x)
    grad_check(lambda a, b: tf.nn.atrous_conv2d(a, b, 2, "SAME"), x.numpy(), f.numpy())


# ---------------------------------------------------------------- gradients


@pytest.mark.parametrize(
    "xs,fs,s,pad",
    [
        ((2, 5, 5, 2), (3, 3, 2, 3), 1, "SAME"),
        ((1, 6, 7, 2), (2, 3, 2, 2), 2, "SAME"),
        ((1, 7, 6, 3), (3, 3, 3, 2), 3, "VALID"),
    ],
)
def test_conv2d_gradients(xs, fs, s, pad):
    grad_check(
        lambda x, f: tf.nn.conv2d(x, f, s, pad), RNG.standard_normal(xs), RNG.standard_normal(fs)
    )


def test_conv_family_gradients():
    grad_check(
        lambda x, f: tf.nn.conv2d(x, f, 1, [[0, 0], [1, 2], [0, 1], [0, 0]]),
        RNG.standard_normal((1, 4, 4, 2)),
        RNG.standard_normal((3, 3, 2, 1)),
    )
    grad_check(
        lambda x, f: tf.nn.conv1d(x, f, 2, "SAME"),
        RNG.standard_normal((2, 7, 2)),
        RNG.standard_normal((3, 2, 3)),
    )
    grad_check(
        lambda x, f: tf.nn.conv3d(x, f, [1, 2, 2, 2, 1], "SAME"),
        RNG.standard_normal((1, 4, 5, 3, 2)),
        RNG.standard_normal((2, 3, 2, 2, 2)),
    )
    grad_check(
        lambda x, f: tf.nn.depthwise_conv2d(x, f, [1, 2, 2, 1], "SAME"),
        RNG.standard_normal((1, 5, 6, 3)),
        RNG.standard_normal((3, 3, 3, 2)),
    )
    grad_check(
        lambda x, f: tf.nn.depthwise_conv2d(x, f, [1, 1, 1, 1], "VALID", dilations=[2, 2]),
        RNG.standard_normal((1, 6, 6, 2)),
        RNG.standard_normal((3, 3, 2, 1)),
    )
    grad_check(
        lambda x, f: tf.nn.conv2d_transpose(x, f, [1, 7, 7, 2], 2, "VALID"),
        RNG.standard_normal((1, 3, 3, 3)),
        RNG.standard_normal((3, 3, 2, 3)),
    )
    grad_check(
        lambda x, d, p: tf.nn.separable_conv2d(x, d, p, [1, 2, 2, 1], "SAME"),
        RNG.standard_normal((1, 6, 6, 2)),
        RNG.standard_normal((3, 3, 2, 1)),
        RNG.standard_normal((1, 1, 2, 3)),
    )


def test_conv2d_second_order():
    """Gradients of the backprop ops (d/dx of a filter gradient) are defined."""
    x0, f0 = RNG.standard_normal((1, 5, 5, 2)), RNG.standard_normal((3, 3, 2, 2))

    def first(x, f):
        with tf.GradientTape() as t:
            t.watch(f)
            y = tf.nn.conv2d(x, f, 2, "SAME")
        return t.gradient(y, f, output_gradients=tf.constant(np.ones((1, 3, 3, 2))) * y)

    grad_check(first, x0, f0, tol=1e-5)


def test_conv2d_extra_batch_dims():
    x, f = RNG.standard_normal((2, 3, 5, 5, 2)), RNG.standard_normal((3, 3, 2, 4))
    y = tf.nn.conv2d(x, f, 1, "SAME")
    assert y.shape == (2, 3, 5, 5, 4)
    np.testing.assert_allclose(
        y.numpy()[1, 2], ref_conv(x[1, 2:3], f, (1, 1), "SAME")[0], rtol=1e-10
    )


def test_batch_chunked_im2col_matches(monkeypatch):
    """Big inputs are processed in batch chunks (bounded column matrix); results are unchanged."""
    x, f = RNG.standard_normal((5, 6, 6, 2)), RNG.standard_normal((3, 3, 2, 3))
    want = tf.nn.conv2d(x, f, 1, "SAME").numpy()
    u = RNG.standard_normal(want.shape)
    xt, ft = tf.constant(x), tf.constant(f)
    with tf.GradientTape() as tape:
        tape.watch(ft)
        y = tf.nn.conv2d(xt, ft, 1, "SAME")
    gf = tape.gradient(y, ft, output_gradients=tf.constant(u)).numpy()
    monkeypatch.setattr(conv_ops, "_COLUMN_BUDGET", 600)  # one image per chunk
    np.testing.assert_allclose(tf.nn.conv2d(x, f, 1, "SAME").numpy(), want, rtol=1e-12)
    with tf.GradientTape() as tape:
        tape.watch(ft)
        y = tf.nn.conv2d(xt, ft, 1, "SAME")
    np.testing.assert_allclose(
        tape.gradient(y, ft, output_gradients=tf.constant(u)).numpy(), gf, rtol=1e-12
    )
