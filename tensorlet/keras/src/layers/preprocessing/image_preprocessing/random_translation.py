"""``keras.layers.RandomTranslation``: images shifted at random while training."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.preprocessing.image_preprocessing import image_ops
from tensorlet.keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from tensorlet.keras.src.layers.preprocessing.image_preprocessing.random_zoom import (
    _check_modes,
    factor_range,
)
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import array_creation_ops, array_ops

_FACTOR_ERROR = (
    "The `factor` argument should be a number (or a list of two numbers) in the range [-1.0, 1.0]. "
)


@keras_export("keras.layers.RandomTranslation")
class RandomTranslation(BaseImagePreprocessingLayer):
    """Shifts each image by random fractions of its height and width while training
    (vertical shift drawn first), filling the uncovered area by ``fill_mode``.

    Args:
        height_factor: a float (``-f..f``) or a pair in ``[-1, 1]``: the vertical shift range,
            as a fraction of the height (positive: down).
        width_factor: the horizontal range, as a fraction of the width (positive: right).
        fill_mode: ``'reflect'`` (default), ``'wrap'``, ``'constant'`` or ``'nearest'``.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        seed: int seed of the layer's ``SeedGenerator``.
        fill_value: the fill of ``'constant'`` mode.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> keras.layers.RandomTranslation(0.2, 0.2, seed=1)(tf.ones((1, 5, 5, 1))).shape
        TensorShape([1, 5, 5, 1])
    """

    _USE_BASE_FACTOR = False
    _SUPPORTED_FILL_MODE = ("reflect", "wrap", "constant", "nearest")
    _SUPPORTED_INTERPOLATION = ("nearest", "bilinear")

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = factor_range(
            height_factor, "height_factor", _FACTOR_ERROR
        )
        self.width_factor = width_factor
        self.width_lower, self.width_upper = factor_range(
            width_factor, "width_factor", _FACTOR_ERROR
        )
        _check_modes(fill_mode, interpolation, self)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = backend.convert_to_tensor(data["images"] if isinstance(data, dict) else data)
        batch, height, width = self._image_size(images)
        batch = 1 if batch is None else batch
        seed = seed if seed is not None else self.generator
        dy = random.uniform([batch, 1], self.height_lower, self.height_upper, seed=seed)
        dy = dy * backend.cast(height, dy.dtype)
        dx = random.uniform([batch, 1], self.width_lower, self.width_upper, seed=seed)
        dx = dx * backend.cast(width, dx.dtype)
        return {"translations": backend.cast(array_ops.concat([dx, dy], axis=1), "float32")}

    def transform_images(self, images, transformation, training=True):
        images = backend.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        return image_ops.affine_transform(
            images,
            translation_matrix(transformation["translations"]),
            interpolation=self.interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        masks = backend.convert_to_tensor(segmentation_masks)
        out = self.transform_images(masks, transformation, training=training)
        if out.dtype == masks.dtype:
            return out
        from tensorlet.ops import math_ops

        return backend.cast(math_ops.round(out), masks.dtype.name)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "seed": self.seed,
            "fill_value": self.fill_value,
        }
        return {**super().get_config(), **config}


def translation_matrix(translations):
    """Transforms ``[1, 0, -dx, 0, 1, -dy, 0, 0]``, one row per ``(dx, dy)``."""
    ones = array_creation_ops.ones_like(translations[:, 0:1])
    zeros = array_creation_ops.zeros_like(ones)
    return array_ops.concat(
        [ones, zeros, -translations[:, 0:1], zeros, ones, -translations[:, 1:], zeros, zeros],
        axis=1,
    )
