"""Flips, transposes and rotations: ``flip_left_right``, ``flip_up_down``, ``transpose``, ``rot90``
(composites over ReverseV2/Transpose), the ImageProjectiveTransformV3 op and ``rotate``.

``tf.image.rotate`` is a tensorlet addition (TF core has none; it is ``tfa.image.rotate``):
angles in radians counterclockwise, ``interpolation`` 'nearest' (tfa's default) or 'bilinear',
``fill_mode`` constant/reflect/wrap/nearest, computed like TF's ImageProjectiveTransformV3.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.image_ops._common import as_image, check_at_least_3d, invalid
from tensorlet.ops import array_ops
from tensorlet.ops.array_ops import py_value
from tensorlet.ops.op_def import apply, defop

D = dtypes
F32 = xp.float32


def _flip(image, axis_3d):
    image = as_image(image)
    check_at_least_3d(image)
    rank = image.shape.rank
    if rank == 3:
        return array_ops.reverse(image, [axis_3d])
    if rank == 4:
        return array_ops.reverse(image, [axis_3d + 1])
    raise ValueError("'image' must have either 3 or 4 dimensions.")


@tf_export("image.flip_left_right")
def flip_left_right(image):
    """Mirrors the width axis."""
    return _flip(image, 1)


@tf_export("image.flip_up_down")
def flip_up_down(image):
    """Mirrors the height axis."""
    return _flip(image, 0)


@tf_export("image.transpose", "image.transpose_image")
def transpose(image, name=None):
    """Swaps height and width."""
    image = as_image(image)
    check_at_least_3d(image)
    rank = image.shape.rank
    if rank == 3:
        return array_ops.transpose(image, [1, 0, 2])
    if rank == 4:
        return array_ops.transpose(image, [0, 2, 1, 3])
    raise ValueError("'image' must have either 3 or 4 dimensions.")


@tf_export("image.rot90")
def rot90(image, k=1, name=None):
    """Rotates by ``k * 90`` degrees counterclockwise."""
    image = as_image(image)
    check_at_least_3d(image)
    k = int(py_value(k)) % 4
    rank = image.shape.rank
    if rank not in (3, 4):
        raise ValueError("'image' must have either 3 or 4 dimensions.")
    h, perm = (0, [1, 0, 2]) if rank == 3 else (1, [0, 2, 1, 3])
    if k == 1:
        return array_ops.transpose(array_ops.reverse(image, [h + 1]), perm)
    if k == 2:
        return array_ops.reverse(image, [h, h + 1])
    if k == 3:
        return array_ops.reverse(array_ops.transpose(image, perm), [h + 1])
    return image


# ---------------------------------------------------------------- projective transform


def _map_coord(c, n, mode):
    """TF's MapCoordinate for one fill mode (float32 coordinates)."""
    if mode == "REFLECT":
        if n <= 1:
            return xp.zeros_like(c)
        sz2 = F32(2 * n)
        lo = c < 0
        cl = xp.where(c < -sz2, sz2 * xp.trunc(-c / sz2) + c, c)
        cl = xp.where(cl < -n, cl + sz2, -cl - 1)
        hi = c > n - 1
        ch = c - sz2 * xp.trunc(c / sz2)
        ch = xp.where(ch >= n, sz2 - ch - 1, ch)
        c = xp.where(lo, cl, xp.where(hi, ch, c))
    elif mode == "WRAP":
        if n <= 1:
            return xp.zeros_like(c)
        sz = F32(n - 1)
        c = xp.where(
            c < 0, c + n * (xp.trunc(-c / sz) + 1), xp.where(c > n - 1, c - n * xp.trunc(c / sz), c)
        )
    elif mode != "NEAREST":
        return c
    return xp.clip(c, 0, n - 1).astype(F32)


def _transform_fwd(images, transforms, fill_value, output_shape, interpolation, fill_mode):
    b, h, w, c = images.shape
    oh, ow = output_shape
    t = transforms.astype(F32)
    if t.shape[0] == 1:
        t = xp.repeat(t, b, 0)
    ys, xs = xp.meshgrid(xp.arange(oh, dtype=F32), xp.arange(ow, dtype=F32), indexing="ij")
    a = t[:, :, None, None]
    k = a[:, 6] * xs + a[:, 7] * ys + F32(1)
    px = (a[:, 0] * xs + a[:, 1] * ys + a[:, 2]) / k
    py = (a[:, 3] * xs + a[:, 4] * ys + a[:, 5]) / k
    px, py = _map_coord(px, w, fill_mode), _map_coord(py, h, fill_mode)
    fill = F32(fill_value)
    img = images.astype(F32)
    bi = xp.arange(b)[:, None, None]

    def read(yy, xx):
        ok = (yy >= 0) & (yy <= h - 1) & (xx >= 0) & (xx <= w - 1)
        yi = xp.clip(yy, 0, h - 1).astype(xp.int64)
        xi = xp.clip(xx, 0, w - 1).astype(xp.int64)
        return xp.where(ok[..., None], img[bi, yi, xi], fill)

    if interpolation == "NEAREST":
        out = read(xp.round(py), xp.round(px))
    else:
        y0, x0 = xp.floor(py), xp.floor(px)
        y1, x1 = y0 + 1, x0 + 1
        vy0 = (x1 - px)[..., None] * read(y0, x0) + (px - x0)[..., None] * read(y0, x1)
        vy1 = (x1 - px)[..., None] * read(y1, x0) + (px - x0)[..., None] * read(y1, x1)
        out = (y1 - py)[..., None] * vy0 + (py - y0)[..., None] * vy1
    valid_k = (k != 0)[..., None]
    out = xp.where(valid_k, out, fill)
    if images.dtype.kind in "iu":
        out = xp.round(out)
    return out.astype(images.dtype)


def _transform_shape(op, inputs, attrs):
    x = inputs[0]
    if x.shape.rank is not None and x.shape.rank != 4:
        raise invalid(op.name, "Input images must have rank 4")
    oh, ow = attrs["output_shape"]
    return (
        TensorShape(
            [x.shape[0] if x.shape.rank else None, oh, ow, x.shape[3] if x.shape.rank else None]
        ),
    )


def _transform_dtype(op, inputs, attrs):
    return (inputs[0].dtype,)


image_projective_transform_v3_op = defop(
    "ImageProjectiveTransformV3",
    _transform_fwd,
    dtype_rule=_transform_dtype,
    shape_rule=_transform_shape,
)


@tf_export("raw_ops.ImageProjectiveTransformV3")
def image_projective_transform_v3(
    images, transforms, output_shape, fill_value, interpolation, fill_mode="CONSTANT", name=None
):
    """Maps output ``(x, y)`` to input ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)``,
    ``k = c0 x + c1 y + 1``; samples outside use ``fill_mode``."""
    return apply(
        image_projective_transform_v3_op,
        images,
        convert_to_tensor(transforms, D.float32),
        output_shape=tuple(int(v) for v in py_value(output_shape)),
        fill_value=float(py_value(fill_value)),
        interpolation=str(interpolation).upper(),
        fill_mode=str(fill_mode).upper(),
    )


def angles_to_projective_transforms(angles, image_height, image_width):
    """tfa's rotation transforms (about the image centre), one row per angle."""
    a = xp.asarray(py_value(angles), F32).reshape(-1)
    cos, sin = xp.cos(a), xp.sin(a)
    w1, h1 = F32(image_width - 1), F32(image_height - 1)
    xo = (w1 - (cos * w1 - sin * h1)) / F32(2)
    yo = (h1 - (sin * w1 + cos * h1)) / F32(2)
    z = xp.zeros_like(a)
    return xp.stack([cos, -sin, xo, sin, cos, yo, z, z], 1)


@tf_export("image.rotate")
def rotate(
    images, angles, interpolation="nearest", fill_mode="constant", fill_value=0.0, name=None
):
    """Rotates ``images`` by ``angles`` (radians, counterclockwise) about their centres.

    A tensorlet addition (TF core has no ``tf.image.rotate``; this is ``tfa.image.rotate``).
    ``images``: ``[h, w]``, ``[h, w, c]`` or ``[b, h, w, c]``; ``angles``: a scalar or one per
    image. ``interpolation``: 'nearest' or 'bilinear'; ``fill_mode``: 'constant' (with
    ``fill_value``), 'reflect', 'wrap' or 'nearest'.
    """
    images = as_image(images)
    rank = images.shape.rank
    if rank not in (2, 3, 4):
        raise ValueError("Images should have rank between 2 and 4.")
    x = images
    if rank == 2:
        x = array_ops.expand_dims(array_ops.expand_dims(x, 0), -1)
    elif rank == 3:
        x = array_ops.expand_dims(x, 0)
    h, w = x.shape[1], x.shape[2]
    transforms = angles_to_projective_transforms(angles, h, w)
    out = image_projective_transform_v3(x, transforms, [h, w], fill_value, interpolation, fill_mode)
    if rank == 2:
        return array_ops.squeeze(out, [0, 3])
    if rank == 3:
        return array_ops.squeeze(out, [0])
    return out
