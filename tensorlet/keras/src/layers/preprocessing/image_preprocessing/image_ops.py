"""The image functions of Keras' TensorFlow backend that the image layers use: ``resize``
(with crop / pad to the target aspect ratio), ``smart_resize`` and ``affine_transform``
(``ImageProjectiveTransformV3``). Channels-first images are transposed around TF's NHWC ops."""

from tensorlet.framework import dtypes
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.image_ops import flip_rotate
from tensorlet.image_ops import resize as resize_ops
from tensorlet.keras.src import backend
from tensorlet.ops import array_creation_ops, array_ops, cast_ops

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")
AFFINE_INTERPOLATIONS = ("nearest", "bilinear")
AFFINE_FILL_MODES = ("constant", "nearest", "wrap", "reflect")


def to_channels_last(images, data_format):
    if data_format != "channels_first":
        return images
    return array_ops.transpose(images, (0, 2, 3, 1) if images.shape.rank == 4 else (1, 2, 0))


def from_channels_last(images, data_format):
    if data_format != "channels_first":
        return images
    return array_ops.transpose(images, (0, 3, 1, 2) if images.shape.rank == 4 else (2, 0, 1))


def _hw(images):
    """Height and width (Python ints when static) of channels-last images."""
    shape = images.shape.as_list()
    height, width = shape[-3], shape[-2]
    if height is None or width is None:
        dynamic = array_ops.shape(images)
        height = dynamic[-3] if height is None else height
        width = dynamic[-2] if width is None else width
    return height, width


def _crop_box(height, width, target_height, target_width):
    """The largest centred crop with the target aspect ratio (Keras' int arithmetic)."""
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    return (
        int(float(height - crop_height) / 2),
        int(float(width - crop_width) / 2),
        crop_height,
        crop_width,
    )


def _crop_hw(images, h0, w0, h, w):
    if images.shape.rank == 4:
        return images[:, h0 : h0 + h, w0 : w0 + w, :]
    return images[h0 : h0 + h, w0 : w0 + w, :]


def _pad_to_aspect_ratio(images, size, fill_value):
    height, width = _hw(images)
    target_height, target_width = size
    pad_height = max(height, int(float(width * target_height) / target_width))
    pad_width = max(width, int(float(height * target_width) / target_height))
    hstart = int(float(pad_height - height) / 2)
    wstart = int(float(pad_width - width) / 2)
    batched = images.shape.rank == 4
    lead = [array_ops.shape(images)[0]] if batched else []
    channels = array_ops.shape(images)[-1]
    if hstart > 0:
        block = array_creation_ops.ones(lead + [hstart, width, channels], dtype=images.dtype)
        block = block * fill_value
        images = array_ops.concat([block, images, block], axis=-3)
    if wstart > 0:
        block = array_creation_ops.ones(lead + [height, wstart, channels], dtype=images.dtype)
        block = block * fill_value
        images = array_ops.concat([block, images, block], axis=-2)
    return images


def resize(
    images,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_mode="constant",
    fill_value=0.0,
    data_format=None,
):
    """Keras' ``ops.image.resize``: optional centred crop / pad to the target aspect ratio,
    then ``tf.image.resize``."""
    data_format = backend.standardize_data_format(data_format)
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise ValueError(
            "Invalid value for argument `interpolation`. Expected of one "
            f"{RESIZE_INTERPOLATIONS}. Received: interpolation={interpolation}"
        )
    if fill_mode != "constant":
        raise ValueError(
            "Invalid value for argument `fill_mode`. Only `'constant'` is supported. "
            f"Received: fill_mode={fill_mode}"
        )
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError(
            "Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`."
        )
    if len(size) != 2:
        raise ValueError(
            f"Argument `size` must be a tuple of two elements (height, width). Received: size={size}"
        )
    size = tuple(size)
    images = convert_to_tensor(images)
    if images.shape.rank not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received input with shape: images.shape={images.shape}"
        )
    images = to_channels_last(images, data_format)
    if crop_to_aspect_ratio:
        height, width = _hw(images)
        images = _crop_hw(images, *_crop_box(height, width, *size))
    elif pad_to_aspect_ratio:
        images = _pad_to_aspect_ratio(images, size, fill_value)
    resized = resize_ops.resize_images_v2(images, size, method=interpolation, antialias=antialias)
    return from_channels_last(resized, data_format)


def smart_resize(images, size, interpolation="bilinear", data_format="channels_last"):
    """The largest centred crop with the aspect ratio of ``size``, resized to ``size``."""
    images = to_channels_last(convert_to_tensor(images), data_format)
    height, width = _hw(images)
    images = _crop_hw(images, *_crop_box(height, width, *size))
    resized = resize_ops.resize_images_v2(images, size, method=interpolation)
    return from_channels_last(resized, data_format)


def affine_transform(
    images,
    transform,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0,
    data_format=None,
):
    """Keras' ``ops.image.affine_transform``: output pixel ``(x, y)`` samples the input at
    ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)``, ``k = c0 x + c1 y + 1``."""
    data_format = backend.standardize_data_format(data_format)
    if interpolation not in AFFINE_INTERPOLATIONS:
        raise ValueError(
            "Invalid value for argument `interpolation`. Expected of one "
            f"{AFFINE_INTERPOLATIONS}. Received: interpolation={interpolation}"
        )
    if fill_mode not in AFFINE_FILL_MODES:
        raise ValueError(
            "Invalid value for argument `fill_mode`. Expected of one "
            f"{AFFINE_FILL_MODES}. Received: fill_mode={fill_mode}"
        )
    images = convert_to_tensor(images)
    squeeze = images.shape.rank == 3
    if squeeze:
        images = array_ops.expand_dims(images, 0)
    transform = convert_to_tensor(transform)
    if transform.shape.rank == 1:
        transform = array_ops.expand_dims(transform, 0)
    images = to_channels_last(images, data_format)
    out = flip_rotate.image_projective_transform_v3(
        images,
        cast_ops.cast(transform, dtypes.float32),
        output_shape=array_ops.shape(images)[1:-1],
        fill_value=fill_value,
        interpolation=interpolation.upper(),
        fill_mode=fill_mode.upper(),
    )
    out = from_channels_last(out, data_format)
    return array_ops.squeeze(out, 0) if squeeze else out
