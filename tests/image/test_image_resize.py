"""tf.image.resize: every method against NumPy references (half-pixel centres, Keys cubic,
area coverage, ScaleAndTranslate kernels), dtype rules, v1 corner modes, errors, gradients."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.testing.gradient_check import check_vjp

RNG = np.random.default_rng(5)
X = RNG.uniform(0, 1, (2, 5, 6, 3)).astype(np.float32)


def ref_bilinear_axis(n_in, n_out, align=False, half=True):
    scale = (n_in - 1) / (n_out - 1) if align and n_out > 1 else n_in / n_out
    pos = (np.arange(n_out) + 0.5) * scale - 0.5 if half else np.arange(n_out) * scale
    m = np.zeros((n_out, n_in))
    lo = np.floor(pos)
    frac = pos - lo
    for i, (l, f) in enumerate(zip(lo.astype(int), frac)):
        m[i, max(l, 0)] += 1 - f
        m[i, min(l + 1, n_in - 1)] += f
    return m


def apply_sep(x, my, mx):
    return np.einsum("yh,bhwc,xw->byxc", my, x.astype(np.float64), mx)


@pytest.mark.parametrize("size", [(8, 9), (3, 4), (2, 11), (1, 1)])
def test_bilinear_matches_reference(size):
    got = tf.image.resize(X, size).numpy()
    want = apply_sep(X, ref_bilinear_axis(5, size[0]), ref_bilinear_axis(6, size[1]))
    np.testing.assert_allclose(got, want, atol=1e-6)
    assert got.dtype == np.float32


def test_nearest_keeps_dtype_and_picks_half_pixel_neighbours():
    x = np.arange(8, dtype=np.int32).reshape(1, 1, 8, 1)
    got = tf.image.resize(x, [1, 3], method="nearest")
    assert got.dtype == tf.int32
    np.testing.assert_array_equal(got.numpy().ravel(), [1, 4, 6])  # floor((i + .5) * 8/3)


def keys(x, a=-0.5):
    x = np.abs(x)
    return np.where(
        x < 1,
        ((a + 2) * x - (a + 3)) * x * x + 1,
        np.where(x < 2, ((a * x - 5 * a) * x + 8 * a) * x - 4 * a, 0),
    )


def test_bicubic_is_keys_with_renormalised_edges():
    n_in, n_out = 6, 9
    pos = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5
    m = np.zeros((n_out, n_in))
    for i, p in enumerate(pos):
        taps = np.floor(p) + np.arange(-1, 3)
        w = keys(p - taps)
        ok = (taps >= 0) & (taps < n_in)
        m[i, taps[ok].astype(int)] = w[ok] / w[ok].sum()
    x = X[:1, :1, :, :1]
    got = tf.image.resize(x, [1, n_out], method="bicubic").numpy().ravel()
    np.testing.assert_allclose(got, m @ x.ravel(), atol=2e-3)  # TF tabulates at 1/1024 px


def test_area_averages_covered_cells():
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    got = tf.image.resize(x, [2, 2], method="area").numpy()[0, ..., 0]
    np.testing.assert_allclose(got, [[2.5, 4.5], [10.5, 12.5]])


@pytest.mark.parametrize("method", ["lanczos3", "lanczos5", "gaussian", "mitchellcubic"])
def test_kernel_methods_preserve_constants(method):
    x = np.full((1, 5, 6, 2), 0.25, np.float32)
    for size in ([8, 9], [3, 4]):
        for aa in (False, True):
            got = tf.image.resize(x, size, method=method, antialias=aa).numpy()
            np.testing.assert_allclose(got, 0.25, rtol=1e-6)


def test_antialias_triangle_downsampling_averages():
    x = np.arange(8, dtype=np.float32).reshape(1, 1, 8, 1)
    got = tf.image.resize(x, [1, 4], antialias=True).numpy().ravel()
    # triangle of width 2 px (output scale): weights 1/4, 3/4, 3/4, 1/4 normalised
    want = [(0 * 3 + 1 * 3 + 2 * 1) / 7, 2.5, 4.5, (5 * 1 + 6 * 3 + 7 * 3) / 7]
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_uint8_input_gives_float32_except_nearest():
    x = (X * 255).astype(np.uint8)
    assert tf.image.resize(x, [3, 3]).dtype == tf.float32
    assert tf.image.resize(x, [3, 3], method="nearest").dtype == tf.uint8


def test_3d_input_and_preserve_aspect_ratio():
    assert tf.image.resize(X[0], [3, 3]).shape == (3, 3, 3)
    assert tf.image.resize(X, [10, 10], preserve_aspect_ratio=True).shape == (2, 8, 10, 3)


def test_v1_align_corners_hits_the_corners():
    x = np.arange(4, dtype=np.float32).reshape(1, 1, 4, 1)
    got = tf.compat.v1.image.resize_bilinear(x, [1, 7], align_corners=True).numpy().ravel()
    np.testing.assert_allclose(got, np.linspace(0, 3, 7), rtol=1e-6)
    legacy = tf.compat.v1.image.resize(x, [1, 8]).numpy().ravel()
    np.testing.assert_allclose(legacy, ref_bilinear_axis(4, 8, half=False) @ np.arange(4.0))


def test_errors():
    with pytest.raises(ValueError, match="not implemented"):
        tf.image.resize(X, [3, 3], method="cubic")
    with pytest.raises(tf.errors.InvalidArgumentError, match="positive"):
        tf.image.resize(X, [0, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="half_pixel_centers"):
        tf.compat.v1.image.resize_bilinear(X, [3, 3], align_corners=True, half_pixel_centers=True)


@pytest.mark.parametrize(
    "method,aa",
    [
        ("bilinear", False),
        ("nearest", False),
        ("bicubic", False),
        ("bicubic", True),
        ("lanczos3", True),
        ("mitchellcubic", False),
    ],
)
@pytest.mark.parametrize("size", [(7, 9), (3, 4)])
def test_gradients(method, aa, size):
    # ScaleAndTranslateGrad (antialias / kernel methods) has only a float32 kernel, as in TF
    st = aa or method not in ("bilinear", "nearest", "bicubic")
    x = X if st else X.astype(np.float64)
    check_vjp(
        lambda t: tf.image.resize(t, size, method=method, antialias=aa),
        [x],
        eps=1e-2 if st else 1e-3,
        rtol=1e-3 if st else 1e-4,
        atol=1e-3 if st else 1e-4,
    )


def test_v1_gradients_and_area_has_none():
    x = X.astype(np.float64)
    for fn in (
        tf.compat.v1.image.resize_bilinear,
        tf.compat.v1.image.resize_nearest_neighbor,
        tf.compat.v1.image.resize_bicubic,
    ):
        check_vjp(
            lambda t, fn=fn: fn(t, [7, 8], align_corners=True), [x], eps=1e-3, rtol=1e-4, atol=1e-4
        )
    t = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = tf.compat.v1.image.resize_area(t, [3, 3])
    with pytest.raises(LookupError, match="ResizeArea"):
        tape.gradient(y, t)


def test_scale_and_translate_raw_op():
    got = tf.raw_ops.ScaleAndTranslate(
        images=X, size=[7, 9], scale=[1.4, 1.5], translation=[0.2, -0.5], kernel_type="triangle"
    )
    assert got.shape == (2, 7, 9, 3)
    check_vjp(
        lambda t: tf.raw_ops.ScaleAndTranslate(
            images=t, size=[7, 9], scale=[1.4, 1.5], translation=[0.2, -0.5], kernel_type="lanczos3"
        ),
        [X],
        eps=1e-2,
        rtol=1e-3,
        atol=1e-3,
    )
