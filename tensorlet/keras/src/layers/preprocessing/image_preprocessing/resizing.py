"""``keras.layers.Resizing``: images resized to ``(height, width)``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.preprocessing.image_preprocessing import image_ops
from tensorlet.keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from tensorlet.ops import cast_ops, math_ops


@keras_export("keras.layers.Resizing")
class Resizing(BaseImagePreprocessingLayer):
    """Resizes images to ``(height, width)`` (``tf.image.resize``); integer images are rounded
    and saturate-cast back to their dtype.

    Args:
        height, width: the output size.
        interpolation: ``'bilinear'`` (default), ``'nearest'``, ``'bicubic'``, ``'area'``,
            ``'lanczos3'``, ``'lanczos5'``.
        crop_to_aspect_ratio: first take the largest centred crop with the target aspect ratio.
        pad_to_aspect_ratio: first pad (with ``fill_value``) to the target aspect ratio.
        fill_mode: only ``'constant'``. fill_value: the padding value.
        antialias: use an anti-aliasing filter when downsampling.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> keras.layers.Resizing(2, 3)(tf.ones((1, 4, 6, 3))).shape
        TensorShape([1, 2, 3, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height,
        width,
        interpolation="bilinear",
        crop_to_aspect_ratio=False,
        pad_to_aspect_ratio=False,
        fill_mode="constant",
        fill_value=0.0,
        antialias=False,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = antialias

    def transform_images(self, images, transformation=None, training=True):
        resized = image_ops.resize(
            images,
            size=(self.height, self.width),
            interpolation=self.interpolation,
            antialias=self.antialias,
            data_format=self.data_format,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
        )
        if resized.dtype == images.dtype:
            return resized
        if backend.is_int_dtype(images.dtype.name):
            resized = math_ops.round(resized)
        return cast_ops.saturate_cast(resized, images.dtype)

    def transform_segmentation_masks(self, segmentation_masks, transformation=None, training=True):
        return self.transform_images(segmentation_masks)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        first = self.data_format == "channels_first"
        h = (2 if first else 1) if len(shape) == 4 else (1 if first else 0)
        shape[h], shape[h + 1] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        config = {
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
        }
        return {**super().get_config(), **config}
