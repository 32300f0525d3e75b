"""The fast convolution and pooling kernels (chunked im2col GEMMs, transposed-convolution input
gradients, tiled pooling, helper threads) against direct per-offset NumPy references, on every
code path: row and slab column layouts, batch and row-band chunks, per-chunk padding (VALID,
SAME, EXPLICIT larger than the kernel), strides, dilations, channel multipliers, tiled and
general pooling, NaN/inf, ties, and the helper-thread runner."""

import itertools
import os

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import backend
from tensorlet.ops import conv_ops, kernel_threads, pooling_ops

RNG = np.random.default_rng(7)


# ---------------------------------------------------------------- references (no kernel code)


def _out_pads(n, k, s, d, padding):
    eff = (k - 1) * d + 1
    if padding == "VALID":
        return (n - eff + s) // s, (0, 0)
    if padding == "SAME":
        out = (n + s - 1) // s
        total = max((out - 1) * s + eff - n, 0)
        return out, (total // 2, total - total // 2)
    pb, pa = padding
    return (n + pb + pa - eff + s) // s, (pb, pa)


def _geometry(spatial, ksize, s, d, padding):
    """Per dim (out, (pad_before, pad_after)); padding is VALID/SAME or per-dim pairs."""
    return [
        _out_pads(n, k, st, dl, padding if isinstance(padding, str) else padding[i])
        for i, (n, k, st, dl) in enumerate(zip(spatial, ksize, s, d))
    ]


def _slices(koff, s, d, out):
    return (
        (slice(None),)
        + tuple(
            slice(k * dl, k * dl + st * (o - 1) + 1, st) for k, dl, st, o in zip(koff, d, s, out)
        )
        + (slice(None),)
    )


def ref_conv(x, f, s, d, padding):
    nd = f.ndim - 2
    geo = _geometry(x.shape[1:-1], f.shape[:nd], s, d, padding)
    out = [g[0] for g in geo]
    xp_ = np.pad(x.astype(np.float64), [(0, 0)] + [g[1] for g in geo] + [(0, 0)])
    y = np.zeros([x.shape[0]] + out + [f.shape[-1]])
    for koff in itertools.product(*map(range, f.shape[:nd])):
        y += xp_[_slices(koff, s, d, out)] @ f[koff].astype(np.float64)
    return y


def ref_conv_grads(x, f, dy, s, d, padding):
    nd = f.ndim - 2
    geo = _geometry(x.shape[1:-1], f.shape[:nd], s, d, padding)
    out = [g[0] for g in geo]
    xp_ = np.pad(x.astype(np.float64), [(0, 0)] + [g[1] for g in geo] + [(0, 0)])
    dxp = np.zeros_like(xp_)
    df = np.zeros(f.shape)
    for koff in itertools.product(*map(range, f.shape[:nd])):
        sl = _slices(koff, s, d, out)
        dxp[sl] += dy @ f[koff].T.astype(np.float64)
        df[koff] = xp_[sl].reshape(-1, x.shape[-1]).T @ dy.reshape(-1, f.shape[-1])
    crop = (slice(None),) + tuple(
        slice(b, dxp.shape[1 + i] - a) for i, (_, (b, a)) in enumerate(geo)
    )
    return dxp[crop], df


def ref_depthwise(x, f, s, d, padding):
    kh, kw, c, m = f.shape
    full = np.zeros((kh, kw, c, c * m))
    for i in range(c):
        full[:, :, i, i * m : (i + 1) * m] = f[:, :, i, :]
    return ref_conv(x, full, s, d, padding), full


def _explicit(padding, nd):
    """Conv attrs for a reference padding: (padding string, explicit pairs or None)."""
    if isinstance(padding, str):
        return padding, None
    return "EXPLICIT", tuple(tuple(p) for p in padding)


# ---------------------------------------------------------------- convolution kernels

CONV_CASES = [
    # x shape, filter shape, strides, dilations, padding
    ((2, 7, 6, 1), (3, 3, 1, 4), (1, 1), (1, 1), "VALID"),  # slab layout, 1 channel
    ((2, 7, 6, 3), (3, 2, 3, 5), (1, 1), (1, 1), "SAME"),  # slab, 3 channels
    ((3, 6, 7, 5), (3, 3, 5, 4), (1, 1), (1, 1), "SAME"),  # row layout
    ((2, 9, 8, 6), (3, 3, 6, 3), (2, 2), (1, 1), "SAME"),  # strided: col2im input gradient
    ((2, 9, 8, 9), (2, 3, 9, 2), (2, 1), (1, 1), "VALID"),
    ((2, 9, 9, 8), (3, 3, 8, 4), (1, 1), (2, 2), "SAME"),  # dilated, transposed conv
    ((2, 9, 9, 2), (3, 3, 2, 4), (1, 1), (2, 1), "VALID"),  # dilated, col2im (few channels)
    ((2, 6, 6, 9), (3, 3, 9, 2), (1, 1), (1, 1), [(0, 3), (4, 1)]),  # pads > kernel - 1
    ((2, 6, 5, 9), (2, 2, 9, 3), (2, 2), (1, 1), [(3, 0), (1, 2)]),
    ((1, 3, 3, 8), (3, 3, 8, 2), (1, 1), (1, 1), "VALID"),  # 1x1 output
]


@pytest.fixture(params=["default", "tiny"])
def budget(request, monkeypatch):
    """Default chunks, and a budget so small that chunks are single row bands of one image."""
    if request.param == "tiny":
        monkeypatch.setattr(conv_ops, "_COLUMN_BUDGET", 64)
        monkeypatch.setattr(conv_ops, "_EW_BUDGET", 64)
        monkeypatch.setattr(pooling_ops, "_POOL_BUDGET", 64)
    return request.param


@pytest.mark.parametrize("xs,fs,s,d,padding", CONV_CASES)
def test_conv_kernels_match_reference(xs, fs, s, d, padding, budget):
    x = RNG.standard_normal(xs)
    f = RNG.standard_normal(fs)
    pad, explicit = _explicit(padding, 2)
    y = conv_ops.conv_kernel(x, f, s, d, pad, explicit)
    want = ref_conv(x, f, s, d, padding)
    np.testing.assert_allclose(y, want, rtol=1e-10, atol=1e-10)
    dy = RNG.standard_normal(want.shape)
    dx_want, df_want = ref_conv_grads(x, f, dy, s, d, padding)
    dx = conv_ops.conv_backprop_input_kernel(x.shape, f, dy, s, d, pad, explicit)
    df = conv_ops.conv_backprop_filter_kernel(x, f.shape, dy, s, d, pad, explicit)
    np.testing.assert_allclose(dx, dx_want, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(df, df_want, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("padding", ["VALID", "SAME"])
def test_conv3d_kernels_match_reference(padding, budget):
    x = RNG.standard_normal((2, 5, 4, 6, 3))
    f = RNG.standard_normal((2, 3, 2, 3, 4))
    s, d = (1, 2, 1), (1, 1, 1)
    want = ref_conv(x, f, s, d, padding)
    np.testing.assert_allclose(conv_ops.conv_kernel(x, f, s, d, padding, None), want, atol=1e-10)
    dy = RNG.standard_normal(want.shape)
    dx_want, df_want = ref_conv_grads(x, f, dy, s, d, padding)
    dx = conv_ops.conv_backprop_input_kernel(x.shape, f, dy, s, d, padding, None)
    df = conv_ops.conv_backprop_filter_kernel(x, f.shape, dy, s, d, padding, None)
    np.testing.assert_allclose(dx, dx_want, atol=1e-10)
    np.testing.assert_allclose(df, df_want, atol=1e-10)


def test_conv_float32_int32_and_empty():
    x = RNG.standard_normal((3, 6, 6, 8)).astype(np.float32)
    f = RNG.standard_normal((3, 3, 8, 16)).astype(np.float32)
    y = conv_ops.conv_kernel(x, f, (1, 1), (1, 1), "SAME", None)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, ref_conv(x, f, (1, 1), (1, 1), "SAME"), rtol=2e-5, atol=2e-5)
    xi, fi = (
        RNG.integers(-3, 4, (2, 5, 5, 2)).astype(np.int32),
        RNG.integers(-3, 4, (2, 2, 2, 3)).astype(np.int32),
    )
    yi = conv_ops.conv_kernel(xi, fi, (1, 1), (1, 1), "VALID", None)
    assert yi.dtype == np.int32
    np.testing.assert_array_equal(yi, ref_conv(xi, fi, (1, 1), (1, 1), "VALID"))
    for xs in [(0, 5, 5, 2), (2, 5, 5, 0)]:
        x0 = np.zeros(xs)
        f0 = np.ones((2, 2, xs[-1], 3))
        y0 = conv_ops.conv_kernel(x0, f0, (1, 1), (1, 1), "VALID", None)
        assert y0.shape == (xs[0], 4, 4, 3) and not y0.any()
        dy0 = np.ones(y0.shape)
        assert (
            conv_ops.conv_backprop_input_kernel(xs, f0, dy0, (1, 1), (1, 1), "VALID", None).shape
            == xs
        )
        assert not conv_ops.conv_backprop_filter_kernel(
            x0, f0.shape, dy0, (1, 1), (1, 1), "VALID", None
        ).any()


def test_results_do_not_alias_scratch():
    """Kernels reuse per-thread scratch buffers; what they return must stay intact."""
    x = RNG.standard_normal((2, 6, 6, 3))
    f = RNG.standard_normal((3, 3, 3, 2))
    first = conv_ops.conv_kernel(x, f, (1, 1), (1, 1), "SAME", None)
    keep = first.copy()
    conv_ops.conv_kernel(RNG.standard_normal((2, 6, 6, 3)), f, (1, 1), (1, 1), "SAME", None)
    conv_ops.depthwise_kernel(x, RNG.standard_normal((3, 3, 3, 1)), (1, 1), (1, 1), "SAME", None)
    np.testing.assert_array_equal(first, keep)


# ---------------------------------------------------------------- depthwise kernels

DW_CASES = [
    ((2, 7, 6, 3), (3, 3, 3, 1), (1, 1), (1, 1), "SAME"),  # stride 1, M=1: transposed path
    ((2, 7, 6, 3), (3, 3, 3, 2), (1, 1), (1, 1), "SAME"),  # multiplier 2
    ((2, 8, 7, 4), (3, 2, 4, 1), (2, 2), (1, 1), "VALID"),
    ((2, 9, 9, 2), (3, 3, 2, 1), (1, 1), (2, 2), "SAME"),
    ((2, 6, 6, 3), (2, 3, 3, 2), (1, 1), (1, 1), [(3, 0), (0, 2)]),
]


@pytest.mark.parametrize("xs,fs,s,d,padding", DW_CASES)
def test_depthwise_kernels_match_reference(xs, fs, s, d, padding, budget):
    x = RNG.standard_normal(xs)
    f = RNG.standard_normal(fs)
    pad, explicit = _explicit(padding, 2)
    want, full = ref_depthwise(x, f, s, d, padding)
    np.testing.assert_allclose(
        conv_ops.depthwise_kernel(x, f, s, d, pad, explicit), want, atol=1e-10
    )
    dy = RNG.standard_normal(want.shape)
    dx_want, dfull = ref_conv_grads(x, full, dy, s, d, padding)
    c, m = fs[2], fs[3]
    df_want = np.stack([dfull[:, :, i, i * m : (i + 1) * m] for i in range(c)], axis=2)
    dx = conv_ops.depthwise_backprop_input_kernel(x.shape, f, dy, s, d, pad, explicit)
    df = conv_ops.depthwise_backprop_filter_kernel(x, f.shape, dy, s, d, pad, explicit)
    np.testing.assert_allclose(dx, dx_want, atol=1e-10)
    np.testing.assert_allclose(df, df_want, atol=1e-10)


# ---------------------------------------------------------------- pooling kernels


def ref_pool(x, k, s, padding, kind):
    geo = _geometry(x.shape[1:-1], k, s, (1,) * len(k), padding)
    out = [g[0] for g in geo]
    fill = -np.inf if kind == "max" else np.nan
    xp_ = np.pad(
        x.astype(np.float64), [(0, 0)] + [g[1] for g in geo] + [(0, 0)], constant_values=fill
    )
    views = np.stack(
        [xp_[_slices(koff, s, (1,) * len(k), out)] for koff in itertools.product(*map(range, k))]
    )
    if kind == "max":
        return np.fmax.reduce(views, axis=0)
    return np.nanmean(views, axis=0)


POOL_CASES = [
    ((2, 8, 6, 3), (2, 2), (2, 2), "VALID"),  # tiled
    ((2, 9, 7, 3), (2, 2), (2, 2), "VALID"),  # tiled, uncovered remainder
    ((2, 9, 9, 2), (3, 3), (3, 3), "SAME"),  # tiled (no padding needed)
    ((2, 9, 7, 2), (3, 1), (3, 1), "VALID"),
    ((2, 7, 7, 2), (2, 2), (2, 2), "SAME"),  # padded: general path
    ((2, 7, 7, 2), (3, 3), (2, 2), "VALID"),  # overlapping: general path
]


@pytest.mark.parametrize("xs,k,s,padding", POOL_CASES)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool_kernels_match_reference(xs, k, s, padding, kind, budget):
    x = RNG.standard_normal(xs)
    if kind == "max":
        y = pooling_ops.max_pool_kernel(x, k, s, padding)
    else:
        y = pooling_ops.avg_pool_kernel(x, k, s, padding)
    np.testing.assert_allclose(y, ref_pool(x, k, s, padding, kind), rtol=1e-12)


def _general(monkeypatch):
    monkeypatch.setattr(pooling_ops, "_tiles", lambda *a: False)


@pytest.mark.parametrize(
    "xs,k", [((3, 8, 6, 4), (2, 2)), ((2, 9, 7, 3), (2, 3)), ((2, 4, 6, 6, 2), (2, 2, 3))]
)
def test_tiled_pooling_equals_general_path(xs, k, monkeypatch):
    """Ties (small integers), NaN (ignored by max) and non-finite upstream gradients give
    exactly the general path's results (first maximum in row-major window order)."""
    x = RNG.integers(0, 3, xs).astype(np.float32)
    x.flat[RNG.choice(x.size, x.size // 7, replace=False)] = np.nan
    x[0, : k[0], : k[1]] = np.nan  # an all-NaN window
    fast = {}
    for general in (False, True):
        if general:
            _general(monkeypatch)
        y = pooling_ops.max_pool_kernel(x, k, k, "VALID")
        dy = np.arange(y.size, dtype=np.float32).reshape(y.shape) + 1
        dy_inf = dy.copy()
        dy_inf.flat[::5] = np.inf
        got = (
            y,
            pooling_ops.max_pool_grad_kernel(x, dy, k, k, "VALID"),
            pooling_ops.max_pool_grad_kernel(x, dy_inf, k, k, "VALID"),
            pooling_ops.avg_pool_kernel(x, k, k, "VALID"),
            pooling_ops.avg_pool_grad_kernel(x.shape, dy, k, k, "VALID"),
        )
        if not general:
            fast = got
    for a, b in zip(fast, got):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.float16, np.float64])
def test_tiled_max_pool_dtypes(dtype):
    x = RNG.integers(0, 100, (2, 6, 4, 3)).astype(dtype)
    y = pooling_ops.max_pool_kernel(x, (2, 2), (2, 2), "VALID")
    np.testing.assert_array_equal(y, ref_pool(x, (2, 2), (2, 2), "VALID", "max").astype(y.dtype))


def test_public_ops_through_the_tape():
    """The public functions still give TF's dtypes and gradients with the fast kernels."""
    x = tf.constant(RNG.standard_normal((4, 8, 8, 3)).astype(np.float16))
    f = tf.constant(RNG.standard_normal((3, 3, 3, 2)).astype(np.float16))
    with tf.GradientTape() as tape:
        tape.watch([x, f])
        y = tf.nn.max_pool2d(tf.nn.conv2d(x, f, 1, "SAME"), 2, 2, "VALID")
    gx, gf = tape.gradient(y, [x, f])
    assert y.dtype == gx.dtype == gf.dtype == tf.float16
    assert y.shape == (4, 4, 4, 2) and gx.shape == x.shape and gf.shape == f.shape


# ---------------------------------------------------------------- helper threads


def test_parallel_for_runs_every_item_and_propagates_errors(monkeypatch):
    monkeypatch.setattr(kernel_threads, "PARALLEL_MIN_BYTES", 0)
    seen = []
    kernel_threads.parallel_for(seen.append, list(range(50)), 1)
    assert sorted(seen) == list(range(50))

    def boom(i):
        if i == 7:
            raise ValueError("item 7")

    with pytest.raises(ValueError, match="item 7"):
        kernel_threads.parallel_for(boom, list(range(20)), 1)

    nested = []
    kernel_threads.parallel_for(
        lambda i: kernel_threads.parallel_for(nested.append, [(i, j) for j in range(3)], 1),
        list(range(4)),
        1,
    )
    assert sorted(nested) == [(i, j) for i in range(4) for j in range(3)]


def test_threaded_kernels_match_serial(monkeypatch):
    x = RNG.standard_normal((16, 10, 10, 6))
    f = RNG.standard_normal((3, 3, 6, 2))
    want = (
        conv_ops.depthwise_kernel(x, f, (1, 1), (1, 1), "SAME", None),
        pooling_ops.max_pool_kernel(x, (2, 2), (2, 2), "VALID"),
    )
    monkeypatch.setattr(kernel_threads, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(conv_ops, "_EW_BUDGET", 64)
    monkeypatch.setattr(pooling_ops, "_POOL_BUDGET", 64)
    got = (
        conv_ops.depthwise_kernel(x, f, (1, 1), (1, 1), "SAME", None),
        pooling_ops.max_pool_kernel(x, (2, 2), (2, 2), "VALID"),
    )
    for a, b in zip(want, got):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_threaded_gemm_chunks_match_serial(monkeypatch):
    """Conv forward, input and filter gradients with chunks on several threads (BLAS held to
    one thread meanwhile) give the serial results; the filter gradient sums its chunks in a
    fixed order, so repeated calls agree bit for bit."""
    x = RNG.standard_normal((12, 9, 9, 8)).astype(np.float32)
    f = RNG.standard_normal((3, 3, 8, 5)).astype(np.float32)
    dy = RNG.standard_normal((12, 9, 9, 5)).astype(np.float32)

    def run():
        return (
            conv_ops.conv_kernel(x, f, (1, 1), (1, 1), "SAME", None),
            conv_ops.conv_backprop_input_kernel(x.shape, f, dy, (1, 1), (1, 1), "SAME", None),
            conv_ops.conv_backprop_filter_kernel(x, f.shape, dy, (1, 1), (1, 1), "SAME", None),
        )

    want = run()
    monkeypatch.setattr(kernel_threads, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(conv_ops, "_COLUMN_BUDGET", 4096)
    conv_ops._plan.cache_clear()
    try:
        got, again = run(), run()
    finally:
        conv_ops._plan.cache_clear()
    for a, b, c in zip(want, got, again):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-4)
        np.testing.assert_array_equal(b, c)
    if backend.blas_threads is not None:
        assert kernel_threads.workers(list(range(4)), 1 << 30, blas=True) > 1 or os.cpu_count() == 1


@pytest.mark.skipif(backend.blas_threads is None, reason="NumPy's BLAS is not OpenBLAS")
def test_blas_thread_limit_is_restored():
    bt = backend.blas_threads
    before = bt._get()
    with bt.limit(1):
        assert bt._get() == 1
        with bt.limit(1):  # nested / concurrent users: restored once, by the last one
            pass
        assert bt._get() == 1
    assert bt._get() == before

    def boom(i):
        raise ValueError("chunk failed")

    with pytest.raises(ValueError, match="chunk failed"):
        kernel_threads.parallel_for(boom, list(range(8)), 1 << 30, blas=True)
    assert bt._get() == before
