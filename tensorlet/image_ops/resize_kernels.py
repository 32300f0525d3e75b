"""NumPy kernels of TF's resize ops: per-axis sampling positions and weights, applied separably.

Each axis is resampled by a small weight matrix (out x in) built in float32 exactly as TF's
kernels compute their per-pixel weights (``resize_bilinear_op.cc``, ``resize_bicubic_op.cc``,
``resize_area_op.cc``, ``scale_and_translate_op.cc``); images are then resampled columns first,
rows second (TF's order), as two matrix products. Bilinear keeps TF's lerp form
``top + (bottom - top) * lerp`` on gathered pixels, so it is bit-exact.
"""

import math

from tensorlet.backend import xp

F32 = xp.float32
_TABLE = 1024  # resize_bicubic_op.cc kTableSize: weights are tabulated at 1/1024 pixel


def resize_scale(in_size, out_size, align_corners):
    """CalculateResizeScale: float32 ``(in-1)/(out-1)`` with align_corners, else ``in/out``."""
    if align_corners and out_size > 1:
        return F32(in_size - 1) / F32(out_size - 1)
    return F32(in_size) / F32(out_size)


def _positions(out_size, scale, half_pixel):
    i = xp.arange(out_size, dtype=F32)
    return (i + F32(0.5)) * scale - F32(0.5) if half_pixel else i * scale


# ---------------------------------------------------------------- bilinear


def bilinear_axis(in_size, out_size, align_corners, half_pixel):
    """(lower, upper, lerp) per output index (compute_interpolation_weights)."""
    pos = _positions(out_size, resize_scale(in_size, out_size, align_corners), half_pixel)
    fl = xp.floor(pos)
    lower = xp.maximum(fl.astype(xp.int64), 0)
    upper = xp.minimum(xp.ceil(pos).astype(xp.int64), in_size - 1)
    return lower, upper, (pos - fl).astype(F32)


def resize_bilinear(x, size, align_corners, half_pixel_centers):
    h, w = x.shape[1:3]
    yl, yu, ylerp = bilinear_axis(h, size[0], align_corners, half_pixel_centers)
    xl, xu, xlerp = bilinear_axis(w, size[1], align_corners, half_pixel_centers)
    x = x.astype(F32, copy=False)
    top, bot = x[:, yl], x[:, yu]
    xlerp = xlerp[:, None]
    tl, tr = top[:, :, xl], top[:, :, xu]
    bl, br = bot[:, :, xl], bot[:, :, xu]
    t = tl + (tr - tl) * xlerp
    b = bl + (br - bl) * xlerp
    return t + (b - t) * ylerp[:, None, None]


def _one_hot(idx, n, dtype):
    m = xp.zeros((len(idx), n), dtype)
    m[xp.arange(len(idx)), idx] = 1
    return m


def scatter2(term, iy, ix, h, w):
    """Adds term[b, i, j, c] into out[b, iy[i], ix[j], c] (exact: one-hot products)."""
    sy, sx = _one_hot(iy, h, term.dtype), _one_hot(ix, w, term.dtype)
    return separable(term, sy.T, sx.T)


def resize_bilinear_grad(grads, original, align_corners, half_pixel_centers):
    """ResizeBilinearGrad: float32 products ``g * wy * wx``, accumulated in the image dtype."""
    h, w = original.shape[1:3]
    ho, wo = grads.shape[1:3]
    yl, yu, ylerp = bilinear_axis(h, ho, align_corners, half_pixel_centers)
    xl, xu, xlerp = bilinear_axis(w, wo, align_corners, half_pixel_centers)
    g = grads.astype(F32, copy=False)
    iy, ix = F32(1) - ylerp, F32(1) - xlerp
    out_t = original.dtype
    out = xp.zeros(original.shape, out_t)
    for wy, ry in ((iy, yl), (ylerp, yu)):
        gy = g * wy[:, None, None]
        for wx, rx in ((ix, xl), (xlerp, xu)):
            out += scatter2((gy * wx[:, None]).astype(out_t), ry, rx, h, w)
    return out


# ---------------------------------------------------------------- nearest


def nearest_axis(in_size, out_size, align_corners, half_pixel):
    scale = resize_scale(in_size, out_size, align_corners)
    i = xp.arange(out_size, dtype=F32)
    pos = (i + F32(0.5)) * scale if half_pixel else i * scale
    idx = xp.floor(pos)
    if align_corners:  # roundf: half away from zero (positions are >= 0)
        idx = idx + (pos - idx >= F32(0.5))
    idx = xp.minimum(idx.astype(xp.int64), in_size - 1)
    return xp.maximum(idx, 0) if half_pixel else idx


def resize_nearest(x, size, align_corners, half_pixel_centers):
    h, w = x.shape[1:3]
    iy = nearest_axis(h, size[0], align_corners, half_pixel_centers)
    ix = nearest_axis(w, size[1], align_corners, half_pixel_centers)
    return x[:, iy][:, :, ix]


def resize_nearest_grad(grads, size, align_corners, half_pixel_centers):
    h, w = size
    iy = nearest_axis(h, grads.shape[1], align_corners, half_pixel_centers)
    ix = nearest_axis(w, grads.shape[2], align_corners, half_pixel_centers)
    return scatter2(grads, iy, ix, h, w)


# ---------------------------------------------------------------- bicubic


def _coeffs_table(a):
    x = (xp.arange(_TABLE + 1, dtype=xp.float64) / _TABLE).astype(F32).astype(xp.float64)
    t = xp.empty((_TABLE + 1, 2), F32)
    t[:, 0] = ((a + 2) * x - (a + 3)) * x * x + 1
    x1 = (x.astype(F32) + F32(1)).astype(xp.float64)
    t[:, 1] = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a
    return t


_TABLES = {}


def bicubic_matrix(in_size, out_size, align_corners, half_pixel):
    """Dense (out, in) float32 weights of ResizeBicubic (GetWeightsAndIndices)."""
    keys = bool(half_pixel)
    table = _TABLES.get(keys)
    if table is None:
        table = _TABLES[keys] = _coeffs_table(-0.5 if keys else -0.75)
    pos = _positions(out_size, resize_scale(in_size, out_size, align_corners), half_pixel)
    loc = xp.floor(pos).astype(xp.int64)
    off = xp.rint((pos - xp.floor(pos)) * F32(_TABLE)).astype(xp.int64)
    ws = xp.stack([table[off, 1], table[off, 0], table[_TABLE - off, 0], table[_TABLE - off, 1]], 1)
    raw = loc[:, None] + xp.arange(-1, 3)
    idx = xp.clip(raw, 0, in_size - 1)
    if keys:  # taps outside the image get weight 0, the rest are renormalised
        ws = xp.where(idx == raw, ws, F32(0)).astype(F32)
        total = ((ws[:, 0] + ws[:, 1]) + ws[:, 2]) + ws[:, 3]
        ok = xp.abs(total) >= F32(1000) * xp.finfo(F32).tiny
        inv = F32(1) / xp.where(ok, total, F32(1))
        ws = xp.where(ok[:, None], ws * inv[:, None], ws).astype(F32)
    m = xp.zeros((out_size, in_size), F32)
    rows = xp.repeat(xp.arange(out_size), 4)
    xp.add.at(m, (rows, idx.ravel()), ws.ravel())
    return m


# ---------------------------------------------------------------- area


def area_matrix(in_size, out_size, align_corners):
    """Dense (out, in) cell-coverage weights of ResizeArea (without the final 1/scale)."""
    scale = resize_scale(in_size, out_size, align_corners)
    m = xp.zeros((out_size, in_size), F32)
    for o in range(out_size):  # one row of weights per output index (not per pixel)
        lo, hi = F32(o) * scale, F32(o + 1) * scale
        start, end = int(math.floor(lo)), int(math.ceil(hi))
        i = xp.arange(start, end)
        fi = i.astype(F32)
        wt = xp.where(
            fi < lo,
            xp.where(fi + 1 > hi, scale, fi + 1 - lo),
            xp.where(fi + 1 > hi, hi - fi, F32(1)),
        ).astype(F32)
        xp.add.at(m[o], xp.minimum(i, in_size - 1), wt)
    return m, scale


def resize_area(x, size, align_corners):
    h, w = x.shape[1:3]
    my, sy = area_matrix(h, size[0], align_corners)
    mx, sx = area_matrix(w, size[1], align_corners)
    scale = F32(1.0 / float(sy * sx))
    return separable(x.astype(F32, copy=False), my, mx) * scale


# ---------------------------------------------------------------- scale and translate

_PI = F32(3.14159265359)


def _lanczos(radius):
    r = F32(radius)

    def k(x):
        with xp.errstate(divide="ignore", invalid="ignore"):
            v = r * xp.sin(_PI * x) * xp.sin(_PI * x / r) / (_PI * _PI * x * x)
        return xp.where(x > r, F32(0), xp.where(x <= F32(1e-3), F32(1), v)).astype(F32)

    return k, r


def _gaussian(x):
    sigma = F32(1.5) / F32(3.0)
    v = xp.exp(-(x * x).astype(xp.float64) / (2.0 * float(sigma) * float(sigma))).astype(F32)
    return xp.where(x >= F32(1.5), F32(0), v)


def _box(x):
    return xp.where(x < F32(0.5), F32(1), xp.where(x == F32(0.5), F32(0.5), F32(0))).astype(F32)


def _triangle(x):
    return xp.where(x < F32(1), F32(1) - x, F32(0)).astype(F32)


def _keys_cubic(x):
    far = ((F32(-0.5) * x + F32(2.5)) * x - F32(4.0)) * x + F32(2.0)
    near = ((F32(1.5) * x - F32(2.5)) * x) * x + F32(1.0)
    return xp.where(x >= F32(2), F32(0), xp.where(x >= F32(1), far, near)).astype(F32)


def _mitchell_cubic(x):
    far = ((F32(-7.0 / 18.0) * x + F32(2.0)) * x - F32(10.0 / 3.0)) * x + F32(16.0 / 9.0)
    near = ((F32(7.0 / 6.0) * x - F32(2.0)) * x) * x + F32(8.0 / 9.0)
    return xp.where(x >= F32(2), F32(0), xp.where(x >= F32(1), far, near)).astype(F32)


SAMPLING_KERNELS = {  # kernel_type -> (kernel function of |x|, radius)
    "lanczos1": _lanczos(1),
    "lanczos3": _lanczos(3),
    "lanczos5": _lanczos(5),
    "gaussian": (_gaussian, F32(1.5)),
    "box": (_box, F32(1)),
    "triangle": (_triangle, F32(1)),
    "keyscubic": (_keys_cubic, F32(2)),
    "mitchellcubic": (_mitchell_cubic, F32(2)),
}


def span_matrix(kernel_type, in_size, out_size, scale, translate, antialias):
    """Dense (out, in) weights of ScaleAndTranslate (ComputeSpansCore), normalised per row."""
    kernel, radius = SAMPLING_KERNELS[kernel_type]
    scale, translate = F32(scale), F32(translate)
    inv_scale = F32(1.0 / float(scale))
    inv_translate = -inv_scale * translate
    kscale = max(inv_scale, F32(1)) if antialias else F32(1)
    span = min(2 * int(math.ceil(float(radius * kscale))) + 1, in_size)
    sample = (xp.arange(out_size, dtype=F32) + F32(0.5)) * inv_scale + inv_translate
    valid = (sample >= 0) & (sample <= F32(in_size))
    start = xp.ceil(sample - radius * kscale - F32(0.5)).astype(xp.int64)
    end = xp.floor(sample + radius * kscale - F32(0.5)).astype(xp.int64)
    start = xp.clip(start, 0, in_size - 1)
    end = xp.clip(end, 0, in_size - 1) + 1
    src = start[:, None] + xp.arange(span)
    inside = (src < end[:, None]) & valid[:, None]
    pos = src.astype(F32) + F32(0.5) - sample[:, None]
    wts = xp.where(inside, kernel(xp.abs(pos * (F32(1) / kscale))), F32(0)).astype(F32)
    total = xp.zeros(out_size, F32)
    for j in range(span):  # TF's sequential float32 sum over the (short) span
        total = total + wts[:, j]
    ok = xp.abs(total) >= F32(1000) * xp.finfo(F32).tiny
    wts = xp.where(ok[:, None], wts * (F32(1) / xp.where(ok, total, F32(1)))[:, None], F32(0))
    m = xp.zeros((out_size, in_size), F32)
    rows = xp.repeat(xp.arange(out_size), span)
    xp.add.at(m, (rows, xp.clip(src, 0, in_size - 1).ravel()), xp.where(inside, wts, 0).ravel())
    return m


def scale_and_translate_matrices(in_hw, size, scale, translation, kernel_type, antialias):
    my = span_matrix(kernel_type, in_hw[0], size[0], scale[0], translation[0], antialias)
    mx = span_matrix(kernel_type, in_hw[1], size[1], scale[1], translation[1], antialias)
    return my, mx


# ---------------------------------------------------------------- separable application


def separable(x, my, mx):
    """out[b, i, j, c] = sum_{h, w} my[i, h] * mx[j, w] * x[b, h, w, c] (columns first)."""
    t = xp.tensordot(x, mx, axes=([2], [1]))  # (b, h, c, out_w)
    t = xp.tensordot(my, t, axes=([1], [1]))  # (out_h, b, c, out_w)
    return xp.ascontiguousarray(t.transpose(1, 0, 3, 2))
