"""``tf.image.extract_patches``: the ExtractImagePatches op (one gather through a precomputed
index map) and its gradient (a segment sum through the same map), as TF's ``_ExtractImagePatchesGrad``
scatters each patch element back to the pixel it came from.
"""

import functools

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.image_ops._common import invalid
from tensorlet.ops import array_ops, segment_ops
from tensorlet.ops import shape_rules as R
from tensorlet.ops.array_ops import py_ints
from tensorlet.ops.op_def import apply, defop

D = dtypes


def _out_and_pad(n, k, stride, rate, padding):
    eff = k + (k - 1) * (rate - 1)
    if padding == "VALID":
        return max((n - eff) // stride + 1, 0), 0
    out = -(-n // stride)
    return out, max((out - 1) * stride + eff - n, 0) // 2


def _axis_index(n, k, stride, rate, padding):
    """(out, k) source indices along one axis; -1 where the patch reads padding."""
    out, before = _out_and_pad(n, k, stride, rate, padding)
    idx = xp.arange(out)[:, None] * stride - before + xp.arange(k)[None, :] * rate
    return xp.where((idx >= 0) & (idx < n), idx, -1)


@functools.lru_cache(maxsize=64)
def _index_map(h, w, ksizes, strides, rates, padding):
    """Flat pixel index (h * w + col) per (out_r, out_c, k_r, k_c); h * w marks padding."""
    ri = _axis_index(h, ksizes[1], strides[1], rates[1], padding)
    ci = _axis_index(w, ksizes[2], strides[2], rates[2], padding)
    r = ri[:, None, :, None]
    c = ci[None, :, None, :]
    flat = r * w + c
    return xp.where((r < 0) | (c < 0), h * w, flat)


def _check(op_name, ksizes, strides, rates, padding):
    for name, v in (("ksizes", ksizes), ("strides", strides), ("rates", rates)):
        if len(v) != 4 or v[0] != 1 or v[3] != 1:
            raise invalid(op_name, f"Only support {name} across space.")
    if padding not in ("SAME", "VALID"):
        raise invalid(op_name, f"Unknown padding {padding}")


def _forward(images, ksizes, strides, rates, padding):
    b, h, w, c = images.shape
    m = _index_map(h, w, ksizes, strides, rates, padding)
    flat = images.reshape(b, h * w, c)
    flat = xp.concatenate([flat, xp.zeros((b, 1, c), images.dtype)], 1)
    out = flat[:, m]  # (b, out_r, out_c, k_r, k_c, c)
    orow, ocol = m.shape[:2]
    return out.reshape(b, orow, ocol, -1)


def _shape(op, inputs, attrs):
    x = inputs[0]
    _check(op.name, attrs["ksizes"], attrs["strides"], attrs["rates"], attrs["padding"])
    if x.shape.rank is not None and x.shape.rank != 4:
        raise invalid(op.name, f"input must be 4-dimensional{list(x.shape)}")
    if x.shape.rank is None:
        return (TensorShape(None),)
    b, h, w, c = x.shape
    dims = []
    for n, axis in ((h, 1), (w, 2)):
        dims.append(
            None
            if n is None
            else _out_and_pad(
                n,
                attrs["ksizes"][axis],
                attrs["strides"][axis],
                attrs["rates"][axis],
                attrs["padding"],
            )[0]
        )
    k = attrs["ksizes"][1] * attrs["ksizes"][2]
    return (TensorShape([b, *dims, None if c is None else k * c]),)


def _grad(op, dy):
    x = op.inputs[0]
    b, h, w, c = x.shape
    m = _index_map(
        h,
        w,
        op.get_attr("ksizes"),
        op.get_attr("strides"),
        op.get_attr("rates"),
        op.get_attr("padding"),
    )
    # (b, out_r, out_c, k_r, k_c, c) -> segments per flat pixel, the padding slot dropped
    g = array_ops.reshape(dy, [b, m.size, c])
    g = array_ops.transpose(g, [1, 0, 2])
    summed = segment_ops.unsorted_segment_sum(g, m.reshape(-1).astype(xp.int32), h * w + 1)
    summed = array_ops.transpose(summed[: h * w], [1, 0, 2])
    return [array_ops.reshape(summed, [b, h, w, c])]


extract_image_patches_op = defop(
    "ExtractImagePatches",
    _forward,
    dtype_rule=R.same_dtype(R.REAL + R.COMPLEX + (D.bool,)),
    shape_rule=_shape,
    grad=_grad,
)


@tf_export("image.extract_patches")
def extract_patches(images, sizes, strides, rates, padding, name=None):
    """Patches of ``sizes`` every ``strides`` (dilated by ``rates``), flattened into the depth
    axis in (row, column, channel) order."""
    return apply(
        extract_image_patches_op,
        images,
        ksizes=py_ints(sizes),
        strides=py_ints(strides),
        rates=py_ints(rates),
        padding=str(padding),
        name=name,
    )


@tf_export("compat.v1.image.extract_image_patches", "compat.v1.extract_image_patches")
def extract_image_patches(
    images, ksizes=None, strides=None, rates=None, padding=None, name=None, sizes=None
):
    """TF1 name of ``extract_patches`` (``ksizes``)."""
    return extract_patches(
        images, ksizes if ksizes is not None else sizes, strides, rates, padding, name
    )
