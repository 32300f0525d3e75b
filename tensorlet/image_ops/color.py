"""Colour: ``convert_image_dtype`` (TF's scaling/saturation rules), brightness/contrast/gamma/hue/
saturation adjustments, grayscale, HSV/YIQ/YUV conversions, ``per_image_standardization``.

Ops with their own kernels, as in TF: AdjustContrastv2, AdjustHue, AdjustSaturation (no
gradients), RGBToHSV (TF's piecewise gradient), HSVToRGB (not differentiable). The rest are
composites over math ops.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes, tensor_util
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.image_ops._common import as_image, check_at_least_3d, invalid, no_gradient
from tensorlet.ops import array_ops, cast_ops, linalg_ops, math_ops, reduction_ops
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop

D = dtypes
F32 = xp.float32
_HALF_FLOAT = (D.float16, D.float32)


# ---------------------------------------------------------------- convert_image_dtype


@tf_export("image.convert_image_dtype")
def convert_image_dtype(image, dtype, saturate=False, name=None):
    """Converts between image dtypes: floats are in [0, 1], integers in [0, MAX].

    int -> int multiplies/floor-divides by the ratio of (max + 1)s; int -> float multiplies by
    ``1 / max``; float -> int multiplies by ``max + 0.5`` then casts (``saturate``: clipped).
    """
    image = as_image(image)
    dtype = D.as_dtype(dtype)
    if not dtype.is_floating and not dtype.is_integer:
        raise AttributeError("dtype must be either floating point or integer")
    src = image.dtype
    if not src.is_floating and not src.is_integer:
        raise AttributeError("image dtype must be either floating point or integer")
    if dtype == src:
        return array_ops.identity(image)
    if src.is_integer and dtype.is_integer:
        scale_in, scale_out = src.max, dtype.max
        if scale_in > scale_out:
            scaled = math_ops.floordiv(image, (scale_in + 1) // (scale_out + 1))
            return (cast_ops.saturate_cast if saturate else cast_ops.cast)(scaled, dtype)
        cast = (cast_ops.saturate_cast if saturate else cast_ops.cast)(image, dtype)
        return math_ops.multiply(cast, (scale_out + 1) // (scale_in + 1))
    if src.is_floating and dtype.is_floating:
        return cast_ops.cast(image, dtype)
    if src.is_integer:
        return math_ops.multiply(cast_ops.cast(image, dtype), 1.0 / src.max)
    scaled = math_ops.multiply(image, dtype.max + 0.5)
    return (cast_ops.saturate_cast if saturate else cast_ops.cast)(scaled, dtype)


def _to_float(image):
    image = as_image(image)
    return image, (image if image.dtype in _HALF_FLOAT else convert_image_dtype(image, D.float32))


# ---------------------------------------------------------------- adjustments


@tf_export("image.adjust_brightness")
def adjust_brightness(image, delta):
    """``image + delta`` in float, converted back (saturating) to the image dtype."""
    image, flt = _to_float(image)
    adjusted = math_ops.add(flt, cast_ops.cast(delta, flt.dtype))
    return convert_image_dtype(adjusted, image.dtype, saturate=True)


def _adjust_contrast_fwd(images, contrast_factor):
    x = images.astype(F32)
    mean = x.mean(axis=(-3, -2), keepdims=True, dtype=F32)
    return ((x - mean) * F32(contrast_factor) + mean).astype(images.dtype)


def _image_shape(op, inputs, attrs):
    x = inputs[0]
    if x.shape.rank is not None and x.shape.rank < 3:
        raise invalid(op.name, f"input must be at least 3-D, got shape{list(x.shape)}")
    return (x.shape,)


def _rgb_shape(op, inputs, attrs):
    x = inputs[0]
    if x.shape.rank is not None and (x.shape.rank < 1 or x.shape[-1] not in (3, None)):
        raise invalid(
            op.name, f"input must have 3 channels but input only has {x.shape[-1]} channels."
        )
    return (x.shape,)


adjust_contrastv2_op = defop(
    "AdjustContrastv2",
    _adjust_contrast_fwd,
    dtype_rule=R.same_dtype(_HALF_FLOAT),
    shape_rule=_image_shape,
    grad=no_gradient("AdjustContrastv2"),
)


@tf_export("image.adjust_contrast")
def adjust_contrast(images, contrast_factor):
    """``(x - mean) * contrast_factor + mean`` per image and channel (AdjustContrastv2)."""
    images, flt = _to_float(images)
    adjusted = apply(adjust_contrastv2_op, flt, convert_to_tensor(contrast_factor, D.float32))
    return convert_image_dtype(adjusted, images.dtype, saturate=True)


@tf_export("image.adjust_gamma")
def adjust_gamma(image, gamma=1, gain=1):
    """``gain * image ** gamma`` in float, converted back (saturating)."""
    image, flt = _to_float(image)
    g = tensor_util.constant_value(gamma)  # None: known only when a graph runs (no check)
    if g is not None and xp.any(xp.asarray(g) < 0):
        raise ValueError("Gamma should be a non-negative real number.")
    adjusted = math_ops.multiply(gain, math_ops.pow(flt, gamma))
    return convert_image_dtype(adjusted, image.dtype, saturate=True)


def _rgb_to_hv_range(r, g, b):
    """adjust_hue_op.cc rgb_to_hv_range: hue in [0, 6) plus min/max of the channels."""
    rg, gb, br = r < g, b < g, b > r
    cat = xp.where(
        rg, xp.where(b < r, 1, xp.where(b > g, 3, 2)), xp.where(b < g, 0, xp.where(b > r, 4, 5))
    )
    vmax = xp.where(
        rg, xp.where(b < r, g, xp.where(b > g, b, g)), xp.where(b < g, r, xp.where(b > r, b, r))
    )
    vmid = xp.where(
        rg, xp.where(b < r, r, xp.where(b > g, g, b)), xp.where(b < g, g, xp.where(b > r, r, b))
    )
    vmin = xp.where(rg, xp.where(b < r, b, r), xp.where(b < g, b, g))
    del gb, br
    with xp.errstate(divide="ignore", invalid="ignore"):
        ratio = (vmid - vmin) / (vmax - vmin)
    h = cat.astype(F32) + xp.where(cat % 2 == 0, ratio, F32(1) - ratio)
    return xp.where(vmax == vmin, F32(0), h).astype(F32), vmin, vmax


def _hv_range_to_rgb(h, vmin, vmax):
    cat = h.astype(xp.int64)
    ratio = h - cat
    ratio = xp.where(cat % 2 == 0, ratio, F32(1) - ratio)
    vmid = vmin + ratio * (vmax - vmin)
    choices_r = [vmax, vmid, vmin, vmin, vmid, vmax]
    choices_g = [vmid, vmax, vmax, vmid, vmin, vmin]
    choices_b = [vmin, vmin, vmid, vmax, vmax, vmid]
    c = xp.clip(cat, 0, 5)
    pick = [c == i for i in range(6)]
    return [xp.select(pick, ch) for ch in (choices_r, choices_g, choices_b)]


def _adjust_hue_fwd(images, delta):
    x = images.astype(F32)
    h, vmin, vmax = _rgb_to_hv_range(x[..., 0], x[..., 1], x[..., 2])
    h = h + F32(delta) * F32(6)
    # TF: while (h < 0) h += 6; while (h >= 6) h -= 6 (a pass or two: |delta| <= 1)
    for cond, step in ((lambda v: v < 0, F32(6)), (lambda v: v >= F32(6), F32(-6))):
        mask = cond(h)
        while mask.any():
            h = xp.where(mask, h + step, h)
            mask = cond(h)
    return xp.stack(_hv_range_to_rgb(h.astype(F32), vmin, vmax), -1).astype(images.dtype)


def _rgb_to_hsv_sat(r, g, b):
    """adjust_saturation_op.cc rgb_to_hsv (float32)."""
    vv = xp.maximum(r, xp.maximum(g, b))
    rng = vv - xp.minimum(r, xp.minimum(g, b))
    with xp.errstate(divide="ignore", invalid="ignore"):
        s = xp.where(vv > 0, rng / vv, F32(0))
        norm = F32(1) / (F32(6) * rng)
        hh = xp.where(
            r == vv,
            norm * (g - b),
            xp.where(g == vv, norm * (b - r) + F32(2.0 / 6.0), norm * (r - g) + F32(4.0 / 6.0)),
        )
    hh = xp.where(rng <= 0, F32(0), hh)
    hh = xp.where(hh < 0, hh + F32(1), hh)
    return hh.astype(F32), s.astype(F32), vv


def _hsv_to_rgb_sat(h, s, v):
    c = s * v
    m = v - c
    dh = h * F32(6)
    cat = dh.astype(xp.int64)
    fmodu = dh.copy()
    fmodu = xp.where(fmodu <= 0, fmodu + F32(2) * xp.ceil((-fmodu) / F32(2) + F32(1e-7)), fmodu)
    fmodu = xp.where(fmodu <= 0, fmodu + F32(2), fmodu)
    fmodu = xp.where(fmodu >= 2, fmodu - F32(2) * xp.floor(fmodu / F32(2)), fmodu)
    x = c * (F32(1) - xp.abs(fmodu - F32(1)))
    z = xp.zeros_like(c)
    pick = [cat == i for i in range(6)]
    rr = xp.select(pick, [c, x, z, z, x, c], z)
    gg = xp.select(pick, [x, c, c, x, z, z], z)
    bb = xp.select(pick, [z, z, x, c, c, x], z)
    return rr + m, gg + m, bb + m


def _adjust_saturation_fwd(images, scale):
    x = images.astype(F32)
    h, s, v = _rgb_to_hsv_sat(x[..., 0], x[..., 1], x[..., 2])
    s = xp.minimum(F32(1), xp.maximum(F32(0), s * F32(scale)))
    return xp.stack(_hsv_to_rgb_sat(h, s, v), -1).astype(images.dtype)


adjust_hue_op = defop(
    "AdjustHue",
    _adjust_hue_fwd,
    dtype_rule=R.same_dtype(_HALF_FLOAT),
    shape_rule=_rgb_shape,
    grad=no_gradient("AdjustHue"),
)
adjust_saturation_op = defop(
    "AdjustSaturation",
    _adjust_saturation_fwd,
    dtype_rule=R.same_dtype(_HALF_FLOAT),
    shape_rule=_rgb_shape,
    grad=no_gradient("AdjustSaturation"),
)


@tf_export("image.adjust_hue")
def adjust_hue(image, delta, name=None):
    """Rotates the hue by ``delta`` (a fraction of the colour circle, in [-1, 1])."""
    image, flt = _to_float(image)
    out = apply(adjust_hue_op, flt, convert_to_tensor(delta, D.float32))
    return convert_image_dtype(out, image.dtype)


@tf_export("image.adjust_saturation")
def adjust_saturation(image, saturation_factor, name=None):
    """Multiplies the HSV saturation by ``saturation_factor`` (clipped to [0, 1])."""
    image, flt = _to_float(image)
    out = apply(adjust_saturation_op, flt, convert_to_tensor(saturation_factor, D.float32))
    return convert_image_dtype(out, image.dtype)


# ---------------------------------------------------------------- HSV


def _rgb_to_hsv_fwd(x):
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    t = x.dtype.type
    v = x.max(-1)
    rng = v - x.min(-1)
    with xp.errstate(divide="ignore", invalid="ignore"):
        s = xp.where(v > 0, rng / v, t(0))
        norm = (t(1) / rng) * (t(1) / t(6))
        h = xp.where(
            r == v,
            norm * (g - b),
            xp.where(g == v, norm * (b - r) + t(2) / t(6), norm * (r - g) + t(4) / t(6)),
        )
    h = xp.where(rng > 0, h, t(0))
    h = xp.where(h < 0, h + t(1), h)
    return xp.stack([h, s, v], -1).astype(x.dtype)


def _hsv_to_rgb_fwd(x):
    t = x.dtype.type
    h, s, v = x[..., 0], x[..., 1], x[..., 2]
    dh = h * t(6)
    dr = xp.clip(xp.abs(dh - t(3)) - t(1), t(0), t(1))
    dg = xp.clip(-xp.abs(dh - t(2)) + t(2), t(0), t(1))
    db = xp.clip(-xp.abs(dh - t(4)) + t(2), t(0), t(1))
    one_s = -s + t(1)
    return xp.stack([(one_s + s * dr) * v, (one_s + s * dg) * v, (one_s + s * db) * v], -1).astype(
        x.dtype
    )


def _recip(x):
    return math_ops.div_no_nan(array_ops.ones_like(x), x)


def _rgb_to_hsv_grad(op, grad):
    """TF's _RGBToHSVGrad: piecewise partial derivatives (ties broken as TF does)."""
    x = op.inputs[0]
    dt = x.dtype
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    s, v = op.outputs[0][..., 1], op.outputs[0][..., 2]
    c = lambda t: cast_ops.cast(t, dt)
    from tensorlet.ops import comparison_ops as C

    ge, gt, lt, le = C.greater_equal, C.greater, C.less, C.less_equal
    land = C.logical_and
    r_big = c(land(ge(r, b), ge(r, g)))
    g_big = c(land(gt(g, r), ge(g, b)))
    b_big = c(land(gt(b, r), gt(b, g)))
    r_small = c(land(lt(r, b), lt(r, g)))
    g_small = c(land(le(g, r), lt(g, b)))
    b_small = c(land(le(b, r), le(b, g)))
    pos = lambda t: c(gt(t, 0))
    sq = math_ops.square
    ds_dr = pos(r) * (
        r_big * (g_small * g + b_small * b) * _recip(sq(r))
        + r_small * -_recip(g_big * g + b_big * b)
    )
    ds_dg = pos(g) * (
        g_big * (r_small * r + b_small * b) * _recip(sq(g))
        + g_small * -_recip(r_big * r + b_big * b)
    )
    ds_db = pos(b) * (
        b_big * (g_small * g + r_small * r) * _recip(sq(b))
        + b_small * -_recip(g_big * g + r_big * r)
    )
    inv_sv = _recip(sq(s)) * _recip(sq(v))
    dh_dr = (
        60 * (pos(r) * r_big * -1 * (g - b) * inv_sv)
        + 60 * (pos(g) * g_big * r_small * (b - g) * _recip(sq(r - g)))
        + 60 * (pos(g) * g_big * b_small * -1 * _recip(g - b))
        + 60 * (pos(b) * b_big * r_small * (b - g) * _recip(sq(b - r)))
        + 60 * (pos(b) * b_big * g_small * _recip(b - g))
    ) / 360
    dh_dg = (
        60 * (pos(g) * g_big * -1 * (b - r) * inv_sv)
        + 60 * (pos(r) * r_big * g_small * (r - b) * _recip(sq(r - g)))
        + 60 * (pos(r) * r_big * b_small * _recip(r - b))
        + 60 * (pos(b) * b_big * g_small * (r - b) * _recip(sq(b - g)))
        + 60 * (pos(b) * b_big * r_small * -1 * _recip(b - r))
    ) / 360
    dh_db = (
        60 * (pos(b) * b_big * -1 * (r - g) * inv_sv)
        + 60 * (pos(r) * r_big * b_small * (g - r) * _recip(sq(r - b)))
        + 60 * (pos(r) * r_big * g_small * -1 * _recip(r - g))
        + 60 * (pos(g) * g_big * b_small * (g - r) * _recip(sq(g - b)))
        + 60 * (pos(g) * g_big * r_small * _recip(g - r))
    ) / 360
    gh, gs, gv = grad[..., 0], grad[..., 1], grad[..., 2]
    dv = array_ops.stack([gv * r_big, gv * g_big, gv * b_big], -1)
    ds = array_ops.stack([gs * ds_dr, gs * ds_dg, gs * ds_db], -1)
    dh = array_ops.stack([gh * dh_dr, gh * dh_dg, gh * dh_db], -1)
    return [(dv + ds) + dh]


_HSV_TYPES = (D.float16, D.bfloat16, D.float32, D.float64)
rgb_to_hsv_op = defop(
    "RGBToHSV",
    _rgb_to_hsv_fwd,
    dtype_rule=R.same_dtype(_HSV_TYPES),
    shape_rule=_rgb_shape,
    grad=_rgb_to_hsv_grad,
)
hsv_to_rgb_op = defop(
    "HSVToRGB", _hsv_to_rgb_fwd, dtype_rule=R.same_dtype(_HSV_TYPES), shape_rule=_rgb_shape
)


@tf_export("image.rgb_to_hsv")
def rgb_to_hsv(images, name=None):
    """RGB in [0, 1] -> (hue, saturation, value), each in [0, 1]."""
    return apply(rgb_to_hsv_op, images, name=name)


@tf_export("image.hsv_to_rgb")
def hsv_to_rgb(images, name=None):
    """(hue, saturation, value) -> RGB (not differentiable, as in TF)."""
    return apply(hsv_to_rgb_op, images, name=name)


# ---------------------------------------------------------------- linear colour spaces

_RGB_TO_YIQ = [
    [0.299, 0.59590059, 0.2115],
    [0.587, -0.27455667, -0.52273617],
    [0.114, -0.32134392, 0.31119955],
]
_YIQ_TO_RGB = [
    [1, 1, 1],
    [0.95598634, -0.27201283, -1.10674021],
    [0.6208248, -0.64720424, 1.70423049],
]
_RGB_TO_YUV = [
    [0.299, -0.14714119, 0.61497538],
    [0.587, -0.28886916, -0.51496512],
    [0.114, 0.43601035, -0.10001026],
]
_YUV_TO_RGB = [[1, 1, 1], [0, -0.394642334, 2.03206185], [1.13988303, -0.58062185, 0]]


def _linear(images, kernel):
    images = as_image(images)
    k = convert_to_tensor(kernel, dtype=images.dtype)
    return linalg_ops.tensordot(images, k, axes=[[images.shape.rank - 1], [0]])


@tf_export("image.rgb_to_yiq")
def rgb_to_yiq(images):
    """RGB -> YIQ (a 3x3 matrix on the last axis)."""
    return _linear(images, _RGB_TO_YIQ)


@tf_export("image.yiq_to_rgb")
def yiq_to_rgb(images):
    """YIQ -> RGB."""
    return _linear(images, _YIQ_TO_RGB)


@tf_export("image.rgb_to_yuv")
def rgb_to_yuv(images):
    """RGB -> YUV."""
    return _linear(images, _RGB_TO_YUV)


@tf_export("image.yuv_to_rgb")
def yuv_to_rgb(images):
    """YUV -> RGB."""
    return _linear(images, _YUV_TO_RGB)


@tf_export("image.rgb_to_grayscale")
def rgb_to_grayscale(images, name=None):
    """``0.2989 R + 0.5870 G + 0.1140 B`` in float32, back to the image dtype (last dim 1)."""
    images = as_image(images)
    flt = convert_image_dtype(images, D.float32)
    gray = linalg_ops.tensordot(flt, convert_to_tensor([0.2989, 0.5870, 0.1140]), [-1, -1])
    return convert_image_dtype(array_ops.expand_dims(gray, -1), images.dtype)


@tf_export("image.grayscale_to_rgb")
def grayscale_to_rgb(images, name=None):
    """Repeats the single channel three times."""
    images = as_image(images)
    shape = images.shape
    if shape.rank is not None and (shape.rank < 2 or shape[-1] not in (1, None)):
        raise ValueError("Last dimension of a grayscale image should be size 1.")
    return array_ops.tile(images, [1] * (shape.rank - 1) + [3])


@tf_export("image.per_image_standardization")
def per_image_standardization(image):
    """``(x - mean) / max(stddev, 1 / sqrt(N))`` per image, in float32."""
    image = as_image(image)
    check_at_least_3d(image)
    image = cast_ops.cast(image, D.float32)
    n = 1
    for d in image.shape[-3:]:
        n *= d
    axes = [-1, -2, -3]
    mean = reduction_ops.reduce_mean(image, axis=axes, keepdims=True)
    std = reduction_ops.reduce_std(image, axis=axes, keepdims=True)
    min_std = math_ops.rsqrt(cast_ops.cast(n, D.float32))
    adjusted = math_ops.maximum(std, min_std)
    return math_ops.divide(image - mean, adjusted)
