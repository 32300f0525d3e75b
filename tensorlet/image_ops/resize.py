"""Resizing: the ResizeBilinear / ResizeNearestNeighbor / ResizeBicubic / ResizeArea /
ScaleAndTranslate ops with TF's gradient ops, and ``tf.image.resize`` (v2, all eight methods,
antialias) plus the ``tf.compat.v1.image`` resize functions (align_corners / half_pixel_centers).

TF2 ``resize`` samples at half-pixel centres and returns float32 for every method but
``nearest`` (which keeps the dtype). ``antialias`` switches bilinear/bicubic to the
ScaleAndTranslate op (triangle / Keys cubic kernels, scaled when downsampling); lanczos3/5,
gaussian and mitchellcubic always use it. ``nearest`` and ``area`` ignore ``antialias``.
"""

from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.image_ops import resize_kernels as K
from tensorlet.ops import array_ops
from tensorlet.ops import shape_rules as R
from tensorlet.ops.array_ops import py_value
from tensorlet.ops.op_def import apply, defop

D = dtypes
_REAL = (
    D.int8,
    D.uint8,
    D.int16,
    D.uint16,
    D.int32,
    D.int64,
    D.bfloat16,
    D.float16,
    D.float32,
    D.float64,
)
_NN = _REAL  # ResizeNearestNeighbor keeps T


def _invalid(op, msg):
    return errors.op_error(errors.InvalidArgumentError, op, msg)


def _no_gradient(name):
    def grad(op, *dys):
        raise LookupError(f"gradient registry has no entry for: {name}")

    return grad


# ---------------------------------------------------------------- shape / dtype rules


def _check_resize(op_name, images, size, align_corners=False, half_pixel_centers=False):
    if images.shape.rank is not None and images.shape.rank != 4:
        raise _invalid(op_name, f"input must be 4-dimensional{list(images.shape)}")
    if half_pixel_centers and align_corners:
        raise _invalid(op_name, "If half_pixel_centers is True, align_corners must be False.")
    if len(size) != 2:
        raise _invalid(op_name, "shape_t must have two elements")
    if size[0] <= 0 or size[1] <= 0:
        raise _invalid(op_name, "output dimensions must be positive")


def _resize_shape(op, inputs, attrs):
    x = inputs[0]
    _check_resize(
        op.name,
        x,
        attrs["size"],
        attrs.get("align_corners", False),
        attrs.get("half_pixel_centers", False),
    )
    if x.shape.rank is None:
        return (TensorShape([None, *attrs["size"], None]),)
    return (TensorShape([x.shape[0], *attrs["size"], x.shape[3]]),)


def _like_input(index):
    def rule(op, inputs, attrs):
        return (inputs[index].shape,)

    return rule


def _grad_size_shape(op, inputs, attrs):
    g = inputs[0].shape
    return (TensorShape([g[0], *attrs["size"], g[3]]) if g.rank else TensorShape(None),)


def _float_out(allowed):
    return R.fixed(D.float32, allowed=allowed)


def _second_input_dtype(allowed):
    def rule(op, inputs, attrs):
        d = inputs[1].dtype
        if d not in allowed:
            from tensorlet.ops.op_def import dtype_not_allowed

            raise dtype_not_allowed(op, d, allowed)
        return (d,)

    return rule


# ---------------------------------------------------------------- forwards


def _bilinear_fwd(x, size, align_corners, half_pixel_centers):
    return K.resize_bilinear(x, size, align_corners, half_pixel_centers)


def _nearest_fwd(x, size, align_corners, half_pixel_centers):
    return K.resize_nearest(x, size, align_corners, half_pixel_centers)


def _bicubic_fwd(x, size, align_corners, half_pixel_centers):
    h, w = x.shape[1:3]
    my = K.bicubic_matrix(h, size[0], align_corners, half_pixel_centers)
    mx = K.bicubic_matrix(w, size[1], align_corners, half_pixel_centers)
    return K.separable(x.astype(K.F32, copy=False), my, mx)


def _bicubic_grad_fwd(grads, original, align_corners, half_pixel_centers):
    h, w = original.shape[1:3]
    my = K.bicubic_matrix(h, grads.shape[1], align_corners, half_pixel_centers)
    mx = K.bicubic_matrix(w, grads.shape[2], align_corners, half_pixel_centers)
    return K.separable(grads.astype(K.F32, copy=False), my.T, mx.T).astype(original.dtype)


def _area_fwd(x, size, align_corners):
    return K.resize_area(x, size, align_corners)


def _st_fwd(x, scale, translation, size, kernel_type, antialias):
    my, mx = K.scale_and_translate_matrices(
        x.shape[1:3], size, scale.tolist(), translation.tolist(), kernel_type, antialias
    )
    return K.separable(x.astype(K.F32, copy=False), my, mx)


def _st_grad_fwd(grads, original, scale, translation, kernel_type, antialias):
    size = grads.shape[1:3]
    my, mx = K.scale_and_translate_matrices(
        original.shape[1:3], size, scale.tolist(), translation.tolist(), kernel_type, antialias
    )
    return K.separable(grads.astype(K.F32, copy=False), my.T, mx.T)


# ---------------------------------------------------------------- gradients


def _bilinear_grad(op, dy):
    return [
        apply(
            resize_bilinear_grad_op,
            dy,
            op.inputs[0],
            align_corners=op.get_attr("align_corners"),
            half_pixel_centers=op.get_attr("half_pixel_centers"),
        )
    ]


def _nearest_grad(op, dy):
    x = op.inputs[0]
    return [
        apply(
            resize_nearest_neighbor_grad_op,
            dy,
            size=tuple(x.shape[1:3]),
            align_corners=op.get_attr("align_corners"),
            half_pixel_centers=op.get_attr("half_pixel_centers"),
        )
    ]


def _bicubic_grad(op, dy):
    x = op.inputs[0]
    if x.dtype not in (D.float32, D.float64):
        return [None]
    return [
        apply(
            resize_bicubic_grad_op,
            dy,
            x,
            align_corners=op.get_attr("align_corners"),
            half_pixel_centers=op.get_attr("half_pixel_centers"),
        )
    ]


def _st_grad(op, dy):
    x, scale, translation = op.inputs
    g = apply(
        scale_and_translate_grad_op,
        dy,
        x,
        scale,
        translation,
        kernel_type=op.get_attr("kernel_type"),
        antialias=op.get_attr("antialias"),
    )
    return [g, None, None]


def _st_shape(op, inputs, attrs):
    x = inputs[0]
    size = attrs["size"]
    if size[0] <= 0 or size[1] <= 0:
        raise _invalid(op.name, "output dimensions must be positive")
    if attrs["kernel_type"] not in K.SAMPLING_KERNELS:
        raise _invalid(op.name, f"Unrecognized kernel type: {attrs['kernel_type']}")
    return (
        TensorShape(
            [x.shape[0] if x.shape.rank else None, *size, x.shape[3] if x.shape.rank else None]
        ),
    )


resize_bilinear_grad_op = defop(
    "ResizeBilinearGrad",
    K.resize_bilinear_grad,
    dtype_rule=_second_input_dtype((D.float32, D.bfloat16, D.float16, D.float64)),
    shape_rule=_like_input(1),
)
resize_bilinear_op = defop(
    "ResizeBilinear",
    _bilinear_fwd,
    dtype_rule=_float_out(_REAL),
    shape_rule=_resize_shape,
    grad=_bilinear_grad,
)
resize_nearest_neighbor_grad_op = defop(
    "ResizeNearestNeighborGrad",
    K.resize_nearest_grad,
    dtype_rule=R.same_dtype(
        (D.uint8, D.int8, D.int32, D.float16, D.bfloat16, D.float32, D.float64)
    ),
    shape_rule=_grad_size_shape,
)
resize_nearest_neighbor_op = defop(
    "ResizeNearestNeighbor",
    _nearest_fwd,
    dtype_rule=R.same_dtype(_NN),
    shape_rule=_resize_shape,
    grad=_nearest_grad,
)
resize_bicubic_grad_op = defop(
    "ResizeBicubicGrad",
    _bicubic_grad_fwd,
    dtype_rule=_second_input_dtype((D.float32, D.float64)),
    shape_rule=_like_input(1),
)
resize_bicubic_op = defop(
    "ResizeBicubic",
    _bicubic_fwd,
    dtype_rule=_float_out(_REAL),
    shape_rule=_resize_shape,
    grad=_bicubic_grad,
)
resize_area_op = defop(
    "ResizeArea",
    _area_fwd,
    dtype_rule=_float_out(_REAL),
    shape_rule=_resize_shape,
    grad=_no_gradient("ResizeArea"),
)
scale_and_translate_grad_op = defop(
    "ScaleAndTranslateGrad",
    _st_grad_fwd,
    dtype_rule=_second_input_dtype((D.float32,)),
    shape_rule=_like_input(1),
)
scale_and_translate_op = defop(
    "ScaleAndTranslate", _st_fwd, dtype_rule=_float_out(_REAL), shape_rule=_st_shape, grad=_st_grad
)


# ---------------------------------------------------------------- public: methods


@tf_export("image.ResizeMethod")
class ResizeMethod:
    """``tf.image.resize`` methods (strings)."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


@tf_export("compat.v1.image.ResizeMethod")
class ResizeMethodV1:
    """TF1 resize methods (ints)."""

    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


_SCALE_AND_TRANSLATE = ("lanczos3", "lanczos5", "gaussian", "mitchellcubic")


def _size_tuple(size):
    try:
        v = py_value(size)
    except TypeError:
        raise ValueError("'size' must be a 1-D int32 Tensor") from None
    if isinstance(size, Tensor) and not size.dtype.is_integer:
        raise ValueError("'size' must be a 1-D int32 Tensor")
    if not isinstance(v, (list, tuple)) or len(v) != 2:
        raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
    if any(isinstance(s, float) for s in v):
        raise ValueError("'size' must be a 1-D int32 Tensor")
    return (int(v[0]), int(v[1]))


def _raw_size(size):
    v = py_value(size)
    return tuple(int(s) for s in (v if isinstance(v, (list, tuple)) else [v]))


def _resize_common(images, resizer, size, preserve_aspect_ratio, skip_if_same):
    images = convert_to_tensor(images)
    rank = images.shape.rank
    if rank is None:
        raise ValueError("'images' contains no shape.")
    if rank not in (3, 4):
        raise ValueError("'images' must have either 3 or 4 dimensions.")
    is_batch = rank == 4
    if not is_batch:
        images = array_ops.expand_dims(images, 0)
    h, w = images.shape[1], images.shape[2]
    size = _size_tuple(size)
    if preserve_aspect_ratio:
        f32 = K.F32
        factor = min(f32(size[0]) / f32(h), f32(size[1]) / f32(w))
        size = (int(K.xp.rint(factor * f32(h))), int(K.xp.rint(factor * f32(w))))
    if skip_if_same and (h, w) == size:
        return images if is_batch else array_ops.squeeze(images, [0])
    out = resizer(images, size)
    return out if is_batch else array_ops.squeeze(out, [0])


def _scale_and_translate(images, size, kernel, antialias):
    h, w = images.shape[1], images.shape[2]
    scale = convert_to_tensor([K.F32(size[0]) / K.F32(h), K.F32(size[1]) / K.F32(w)], D.float32)
    return apply(
        scale_and_translate_op,
        images,
        scale,
        convert_to_tensor([0.0, 0.0]),
        size=size,
        kernel_type=kernel,
        antialias=bool(antialias),
    )


@tf_export("image.resize")
def resize_images_v2(
    images,
    size,
    method=ResizeMethod.BILINEAR,
    preserve_aspect_ratio=False,
    antialias=False,
    name=None,
):
    """Resizes ``images`` (``[batch,] height, width, channels``) to ``size`` with ``method``.

    Half-pixel centres; float32 output except for ``nearest``, which keeps the dtype.
    """

    def resizer(x, size):
        if method == ResizeMethod.BILINEAR:
            if antialias:
                return _scale_and_translate(x, size, "triangle", True)
            return apply(
                resize_bilinear_op, x, size=size, align_corners=False, half_pixel_centers=True
            )
        if method == ResizeMethod.NEAREST_NEIGHBOR:
            return apply(
                resize_nearest_neighbor_op,
                x,
                size=size,
                align_corners=False,
                half_pixel_centers=True,
            )
        if method == ResizeMethod.BICUBIC:
            if antialias:
                return _scale_and_translate(x, size, "keyscubic", True)
            return apply(
                resize_bicubic_op, x, size=size, align_corners=False, half_pixel_centers=True
            )
        if method == ResizeMethod.AREA:
            return apply(resize_area_op, x, size=size, align_corners=False)
        if method in _SCALE_AND_TRANSLATE:
            return _scale_and_translate(x, size, method, antialias)
        raise ValueError(f"Resize method is not implemented: {method}")

    return _resize_common(images, resizer, size, preserve_aspect_ratio, skip_if_same=False)


@tf_export("compat.v1.image.resize", "compat.v1.image.resize_images")
def resize_images(
    images,
    size,
    method=ResizeMethodV1.BILINEAR,
    align_corners=False,
    preserve_aspect_ratio=False,
    name=None,
):
    """TF1 resize: corner-aligned sampling options, no half-pixel centres, skip when same size."""

    def resizer(x, size):
        if method in (ResizeMethodV1.BILINEAR, "bilinear"):
            return apply(
                resize_bilinear_op,
                x,
                size=size,
                align_corners=bool(align_corners),
                half_pixel_centers=False,
            )
        if method in (ResizeMethodV1.NEAREST_NEIGHBOR, "nearest"):
            return apply(
                resize_nearest_neighbor_op,
                x,
                size=size,
                align_corners=bool(align_corners),
                half_pixel_centers=False,
            )
        if method in (ResizeMethodV1.BICUBIC, "bicubic"):
            return apply(
                resize_bicubic_op,
                x,
                size=size,
                align_corners=bool(align_corners),
                half_pixel_centers=False,
            )
        if method in (ResizeMethodV1.AREA, "area"):
            return apply(resize_area_op, x, size=size, align_corners=bool(align_corners))
        raise ValueError("Resize method is not implemented: %s" % method)

    return _resize_common(images, resizer, size, preserve_aspect_ratio, skip_if_same=True)


@tf_export("compat.v1.image.resize_bilinear", "raw_ops.ResizeBilinear")
def resize_bilinear(images, size, align_corners=False, half_pixel_centers=False, name=None):
    """The ResizeBilinear op (float32 output)."""
    return apply(
        resize_bilinear_op,
        images,
        size=_raw_size(size),
        align_corners=bool(align_corners),
        half_pixel_centers=bool(half_pixel_centers),
    )


@tf_export("compat.v1.image.resize_nearest_neighbor", "raw_ops.ResizeNearestNeighbor")
def resize_nearest_neighbor(images, size, align_corners=False, half_pixel_centers=False, name=None):
    """The ResizeNearestNeighbor op (keeps the dtype)."""
    return apply(
        resize_nearest_neighbor_op,
        images,
        size=_raw_size(size),
        align_corners=bool(align_corners),
        half_pixel_centers=bool(half_pixel_centers),
    )


@tf_export("compat.v1.image.resize_bicubic", "raw_ops.ResizeBicubic")
def resize_bicubic(images, size, align_corners=False, half_pixel_centers=False, name=None):
    """The ResizeBicubic op: Keys a=-0.5 with half-pixel centres, a=-0.75 otherwise."""
    return apply(
        resize_bicubic_op,
        images,
        size=_raw_size(size),
        align_corners=bool(align_corners),
        half_pixel_centers=bool(half_pixel_centers),
    )


@tf_export("compat.v1.image.resize_area", "raw_ops.ResizeArea")
def resize_area(images, size, align_corners=False, name=None):
    """The ResizeArea op (pixel-coverage averaging; no gradient)."""
    return apply(resize_area_op, images, size=_raw_size(size), align_corners=bool(align_corners))


@tf_export("raw_ops.ScaleAndTranslate")
def scale_and_translate(
    images, size, scale, translation, kernel_type="lanczos3", antialias=True, name=None
):
    """The ScaleAndTranslate op: ``out(x) = sum_i k((i + 0.5 - ((x + 0.5) - t) / s) / ks) in_i``."""
    return apply(
        scale_and_translate_op,
        images,
        convert_to_tensor(scale, D.float32),
        convert_to_tensor(translation, D.float32),
        size=_raw_size(size),
        kernel_type=str(kernel_type),
        antialias=bool(antialias),
    )
