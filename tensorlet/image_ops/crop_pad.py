"""Crops and pads: ``crop_to_bounding_box``, ``pad_to_bounding_box``, ``resize_with_crop_or_pad``,
``resize_with_pad``, ``central_crop`` (composites over Slice/Pad) and the CropAndResize op with
its two gradient ops (image and boxes), as TF computes them.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.image_ops import resize as resize_lib
from tensorlet.image_ops._common import (
    as_image,
    as_int,
    batch_image,
    check_at_least_3d,
    invalid,
    static_assert,
    unbatch,
)
from tensorlet.ops import array_ops, indexing
from tensorlet.ops import shape_rules as R
from tensorlet.ops.array_ops import py_value
from tensorlet.ops.op_def import apply, defop

D = dtypes
F32 = xp.float32


def _dims4(image):
    return [d for d in image.shape]


@tf_export("image.crop_to_bounding_box")
def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """Crops ``image[offset_h : offset_h + target_h, offset_w : offset_w + target_w]``."""
    image = as_image(image)
    check_at_least_3d(image)
    image, is_batch = batch_image(image)
    oh, ow, th, tw = (as_int(v) for v in (offset_height, offset_width, target_height, target_width))
    _, h, w, _ = _dims4(image)
    static_assert(ow >= 0, "offset_width must be >= 0.")
    static_assert(oh >= 0, "offset_height must be >= 0.")
    static_assert(tw > 0, "target_width must be > 0.")
    static_assert(th > 0, "target_height must be > 0.")
    static_assert(w >= tw + ow, "width must be >= target + offset.")
    static_assert(h >= th + oh, "height must be >= target + offset.")
    out = indexing.slice(image, [0, oh, ow, 0], [-1, th, tw, -1])
    return unbatch(out, is_batch)


@tf_export("image.pad_to_bounding_box")
def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """Zero-pads ``image`` to ``target_h x target_w`` with the image at the given offset."""
    image = as_image(image)
    check_at_least_3d(image)
    image, is_batch = batch_image(image)
    oh, ow, th, tw = (as_int(v) for v in (offset_height, offset_width, target_height, target_width))
    _, h, w, _ = _dims4(image)
    after_w, after_h = tw - ow - w, th - oh - h
    static_assert(oh >= 0, "offset_height must be >= 0")
    static_assert(ow >= 0, "offset_width must be >= 0")
    static_assert(after_w >= 0, "width must be <= target - offset")
    static_assert(after_h >= 0, "height must be <= target - offset")
    out = array_ops.pad(image, [[0, 0], [oh, after_h], [ow, after_w], [0, 0]])
    return unbatch(out, is_batch)


@tf_export("image.resize_with_crop_or_pad", "image.resize_image_with_crop_or_pad")
def resize_image_with_crop_or_pad(image, target_height, target_width):
    """Centrally crops and/or zero-pads ``image`` to ``target_height x target_width``."""
    image = as_image(image)
    rank = image.shape.rank
    if rank not in (3, 4):
        raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions." % (image.shape,))
    image, is_batch = batch_image(image)
    check_at_least_3d(image)
    th, tw = as_int(target_height), as_int(target_width)
    static_assert(tw > 0, "target_width must be > 0.")
    static_assert(th > 0, "target_height must be > 0.")
    _, h, w, _ = _dims4(image)
    wd, hd = tw - w, th - h
    cropped = crop_to_bounding_box(
        image, max(-hd // 2, 0), max(-wd // 2, 0), min(th, h), min(tw, w)
    )
    out = pad_to_bounding_box(cropped, max(hd // 2, 0), max(wd // 2, 0), th, tw)
    return unbatch(out, is_batch)


def _resize_with_pad_common(image, target_height, target_width, resize_fn):
    image = as_image(image)
    rank = image.shape.rank
    if rank not in (3, 4):
        raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions." % (image.shape,))
    image, is_batch = batch_image(image)
    check_at_least_3d(image)
    th, tw = as_int(target_height), as_int(target_width)
    static_assert(tw > 0, "target_width must be > 0.")
    static_assert(th > 0, "target_height must be > 0.")
    _, h, w, _ = _dims4(image)
    fh, fw, fth, ftw = F32(h), F32(w), F32(th), F32(tw)
    ratio = max(fw / ftw, fh / fth)
    rh, rw = fh / ratio, fw / ratio
    p_h = max(0, int(xp.floor((fth - rh) / F32(2))))
    p_w = max(0, int(xp.floor((ftw - rw) / F32(2))))
    resized = resize_fn(image, [int(xp.floor(rh)), int(xp.floor(rw))])
    out = pad_to_bounding_box(resized, p_h, p_w, th, tw)
    return unbatch(out, is_batch)


@tf_export("image.resize_with_pad")
def resize_image_with_pad_v2(
    image, target_height, target_width, method=resize_lib.ResizeMethod.BILINEAR, antialias=False
):
    """Resizes keeping the aspect ratio (float32 math, floor) then zero-pads to the target."""

    def fn(im, size):
        return resize_lib.resize_images_v2(im, size, method, antialias=antialias)

    return _resize_with_pad_common(image, target_height, target_width, fn)


@tf_export("compat.v1.image.resize_image_with_pad", "compat.v1.image.resize_with_pad")
def resize_image_with_pad_v1(
    image,
    target_height,
    target_width,
    method=resize_lib.ResizeMethodV1.BILINEAR,
    align_corners=False,
):
    """TF1 resize_with_pad (v1 resize semantics)."""

    def fn(im, size):
        return resize_lib.resize_images(im, size, method, align_corners=align_corners)

    return _resize_with_pad_common(image, target_height, target_width, fn)


@tf_export("image.central_crop")
def central_crop(image, central_fraction):
    """Crops the central ``central_fraction`` of each spatial dimension (Python float math)."""
    image = as_image(image)
    if central_fraction <= 0.0 or central_fraction > 1.0:
        raise ValueError("central_fraction must be within (0, 1]")
    if central_fraction == 1.0:
        return image
    check_at_least_3d(image, require_static=True)
    rank = image.shape.rank
    if rank not in (3, 4):
        raise ValueError(
            f"`image` should either be a Tensor with rank = 3 or rank = 4. Had rank = {rank}."
        )
    h, w = (image.shape[0], image.shape[1]) if rank == 3 else (image.shape[1], image.shape[2])
    hs = int((float(h) - float(h) * central_fraction) / 2)
    ws = int((float(w) - float(w) * central_fraction) / 2)
    if rank == 3:
        return indexing.slice(image, [hs, ws, 0], [h - 2 * hs, w - 2 * ws, -1])
    return indexing.slice(image, [0, hs, ws, 0], [-1, h - 2 * hs, w - 2 * ws, -1])


# ---------------------------------------------------------------- CropAndResize


def _sample_coords(v1, v2, size, crop):
    """Sampling positions (n, crop) in float32 as crop_and_resize_op.cc computes them."""
    v1, v2 = v1.astype(F32), v2.astype(F32)
    if crop > 1:
        scale = (v2 - v1) * F32(size - 1) / F32(crop - 1)
        return v1[:, None] * F32(size - 1) + xp.arange(crop, dtype=F32) * scale[:, None]
    return (0.5 * (v1.astype(xp.float64) + v2) * (size - 1)).astype(F32)[:, None]


def _grid(boxes, h, w, ch, cw):
    ys = _sample_coords(boxes[:, 0], boxes[:, 2], h, ch)
    xs = _sample_coords(boxes[:, 1], boxes[:, 3], w, cw)
    vy = (ys >= 0) & (ys <= h - 1)
    vx = (xs >= 0) & (xs <= w - 1)
    return ys, xs, vy, vx


def _check_boxes(op_name, image, boxes, box_ind):
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise invalid(op_name, f"boxes must be 2-D[num_boxes, 4]: {list(boxes.shape)}")
    if box_ind.ndim != 1 or box_ind.shape[0] != boxes.shape[0]:
        raise invalid(op_name, "box_index has incompatible shape")
    bad = (box_ind < 0) | (box_ind >= image.shape[0])
    if bad.any():
        raise invalid(op_name, "box_index has values outside [0, batch_size)")


def _crop_and_resize_fwd(image, boxes, box_ind, crop_size, method, extrapolation_value):
    _check_boxes("CropAndResize", image, boxes, box_ind)
    ch, cw = crop_size
    n, h, w, c = boxes.shape[0], *image.shape[1:]
    ys, xs, vy, vx = _grid(boxes, h, w, ch, cw)
    b = box_ind.astype(xp.int64)[:, None, None]
    if method == "nearest":
        yi = xp.clip(_roundf(ys), 0, max(h - 1, 0))[:, :, None]
        xi = xp.clip(_roundf(xs), 0, max(w - 1, 0))[:, None, :]
        out = image[b, yi, xi].astype(F32)
    else:
        ty = xp.clip(xp.floor(ys), 0, h - 1).astype(xp.int64)
        by = xp.clip(xp.ceil(ys), 0, h - 1).astype(xp.int64)
        lx = xp.clip(xp.floor(xs), 0, w - 1).astype(xp.int64)
        rx = xp.clip(xp.ceil(xs), 0, w - 1).astype(xp.int64)
        ylerp = (ys - xp.floor(ys)).astype(F32)[:, :, None, None]
        xlerp = (xs - xp.floor(xs)).astype(F32)[:, None, :, None]
        img = image.astype(F32)
        tl, tr = img[b, ty[:, :, None], lx[:, None, :]], img[b, ty[:, :, None], rx[:, None, :]]
        bl, br = img[b, by[:, :, None], lx[:, None, :]], img[b, by[:, :, None], rx[:, None, :]]
        top = tl + (tr - tl) * xlerp
        bot = bl + (br - bl) * xlerp
        out = top + (bot - top) * ylerp
    valid = (vy[:, :, None] & vx[:, None, :])[..., None]
    return xp.where(valid, out, F32(extrapolation_value)).astype(F32).reshape(n, ch, cw, c)


def _roundf(v):
    f = xp.floor(v)
    return (f + (v - f >= 0.5)).astype(xp.int64)


def _crop_grad_image_fwd(grads, boxes, box_ind, image_size, T, method):
    n_img, h, w, c = image_size
    _, ch, cw, _ = grads.shape
    ys, xs, vy, vx = _grid(boxes, h, w, ch, cw)
    out = xp.zeros((n_img * h * w, c), T._np)
    g = grads.astype(F32)
    b = box_ind.astype(xp.int64)[:, None, None]
    valid = vy[:, :, None] & vx[:, None, :]

    def add(yidx, xidx, vals):
        flat = (b * h + yidx[:, :, None]) * w + xidx[:, None, :]
        xp.add.at(out, flat[valid], vals[valid].astype(out.dtype))

    if method == "nearest":
        add(xp.clip(_roundf(ys), 0, h - 1), xp.clip(_roundf(xs), 0, w - 1), g)
    else:
        fy, fx = xp.floor(ys), xp.floor(xs)
        ty, by = (
            xp.clip(fy, 0, h - 1).astype(xp.int64),
            xp.clip(xp.ceil(ys), 0, h - 1).astype(xp.int64),
        )
        lx, rx = (
            xp.clip(fx, 0, w - 1).astype(xp.int64),
            xp.clip(xp.ceil(xs), 0, w - 1).astype(xp.int64),
        )
        ylerp = (ys - fy).astype(F32)[:, :, None, None]
        xlerp = (xs - fx).astype(F32)[:, None, :, None]
        dtop = (F32(1) - ylerp) * g
        dbot = ylerp * g
        add(ty, lx, (F32(1) - xlerp) * dtop)
        add(ty, rx, xlerp * dtop)
        add(by, lx, (F32(1) - xlerp) * dbot)
        add(by, rx, xlerp * dbot)
    return out.reshape(n_img, h, w, c)


def _crop_grad_boxes_fwd(grads, image, boxes, box_ind):
    n, ch, cw, c = grads.shape
    h, w = image.shape[1:3]
    ys, xs, vy, vx = _grid(boxes, h, w, ch, cw)
    b = box_ind.astype(xp.int64)[:, None, None]
    img = image.astype(F32)
    fy, fx = xp.floor(ys), xp.floor(xs)
    ty, by = xp.clip(fy, 0, h - 1).astype(xp.int64), xp.clip(xp.ceil(ys), 0, h - 1).astype(xp.int64)
    lx, rx = xp.clip(fx, 0, w - 1).astype(xp.int64), xp.clip(xp.ceil(xs), 0, w - 1).astype(xp.int64)
    ylerp = (ys - fy).astype(F32)[:, :, None, None]
    xlerp = (xs - fx).astype(F32)[:, None, :, None]
    tl, tr = img[b, ty[:, :, None], lx[:, None, :]], img[b, ty[:, :, None], rx[:, None, :]]
    bl, br = img[b, by[:, :, None], lx[:, None, :]], img[b, by[:, :, None], rx[:, None, :]]
    gy = ((F32(1) - xlerp) * (bl - tl) + xlerp * (br - tr)) * grads
    gx = ((F32(1) - ylerp) * (tr - tl) + ylerp * (br - bl)) * grads
    valid = (vy[:, :, None] & vx[:, None, :])[..., None]
    gy, gx = xp.where(valid, gy, 0), xp.where(valid, gx, 0)
    gy_row = gy.sum(axis=(2, 3))  # (n, ch)
    gx_col = gx.sum(axis=(1, 3))  # (n, cw)
    out = xp.zeros((n, 4), F32)
    if ch > 1:
        hr = F32(h - 1) / F32(ch - 1)
        yy = xp.arange(ch, dtype=F32) * hr
        out[:, 0] = (gy_row * (F32(h - 1) - yy)).sum(1)
        out[:, 2] = (gy_row * yy).sum(1)
    else:
        out[:, 0] = out[:, 2] = gy_row.sum(1) * F32(0.5 * (h - 1))
    if cw > 1:
        wr = F32(w - 1) / F32(cw - 1)
        xx = xp.arange(cw, dtype=F32) * wr
        out[:, 1] = (gx_col * (F32(w - 1) - xx)).sum(1)
        out[:, 3] = (gx_col * xx).sum(1)
    else:
        out[:, 1] = out[:, 3] = gx_col.sum(1) * F32(0.5 * (w - 1))
    return out


def _crop_shape(op, inputs, attrs):
    img, boxes = inputs[0], inputs[1]
    ch, cw = attrs["crop_size"]
    if ch <= 0 or cw <= 0:
        raise invalid(op.name, "crop dimensions must be positive")
    if img.shape.rank is not None and img.shape.rank != 4:
        raise invalid(op.name, f"input image must be 4-D{list(img.shape)}")
    n = boxes.shape[0] if boxes.shape.rank else None
    c = img.shape[3] if img.shape.rank else None
    return (TensorShape([n, ch, cw, c]),)


def _crop_and_resize_grad(op, dy):
    image, boxes, box_ind = op.inputs
    method = op.get_attr("method")
    g0 = None
    if image.dtype in (D.float16, D.float32, D.float64):
        g0 = apply(
            crop_and_resize_grad_image_op,
            dy,
            boxes,
            box_ind,
            image_size=tuple(image.shape),
            T=image.dtype,
            method=method,
        )
    g1 = apply(crop_and_resize_grad_boxes_op, dy, image, boxes, box_ind)
    return [g0, g1, None]


crop_and_resize_grad_image_op = defop(
    "CropAndResizeGradImage",
    _crop_grad_image_fwd,
    dtype_rule=R.from_attr("T"),
    shape_rule=lambda op, inputs, attrs: (TensorShape(list(attrs["image_size"])),),
)
crop_and_resize_grad_boxes_op = defop(
    "CropAndResizeGradBoxes",
    _crop_grad_boxes_fwd,
    dtype_rule=R.fixed(D.float32),
    shape_rule=lambda op, inputs, attrs: (inputs[2].shape,),
)
crop_and_resize_op = defop(
    "CropAndResize",
    _crop_and_resize_fwd,
    dtype_rule=R.fixed(
        D.float32,
        allowed=(
            D.uint8,
            D.uint16,
            D.int8,
            D.int16,
            D.int32,
            D.int64,
            D.float16,
            D.bfloat16,
            D.float32,
            D.float64,
        ),
    ),
    shape_rule=_crop_shape,
    grad=_crop_and_resize_grad,
)


@tf_export("image.crop_and_resize")
def crop_and_resize_v2(
    image, boxes, box_indices, crop_size, method="bilinear", extrapolation_value=0.0, name=None
):
    """Crops normalised ``boxes`` from ``image[box_indices]`` and resizes each to ``crop_size``.

    Box ``[y1, x1, y2, x2]`` is sampled at ``y1 * (h - 1) + i * (y2 - y1) * (h - 1) / (ch - 1)``
    (the box centre when ``ch == 1``); samples outside the image get ``extrapolation_value``.
    """
    if method not in ("bilinear", "nearest"):
        raise ValueError("method must be 'bilinear' or 'nearest'")
    size = tuple(int(s) for s in py_value(crop_size))
    return apply(
        crop_and_resize_op,
        image,
        convert_to_tensor(boxes, D.float32),
        convert_to_tensor(box_indices, D.int32),
        crop_size=size,
        method=method,
        extrapolation_value=float(extrapolation_value),
    )
