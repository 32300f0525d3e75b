"""``keras.layers.RandomRotation``: images rotated by a random angle while training."""

import math

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.preprocessing.image_preprocessing import image_ops
from tensorlet.keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import array_creation_ops, array_ops, unary_math_ops


@keras_export("keras.layers.RandomRotation")
class RandomRotation(BaseImagePreprocessingLayer):
    """Rotates each image about its center by a random angle in
    ``[factor[0] * 360, factor[1] * 360]`` degrees (positive: counter-clockwise) while
    training, filling the corners by ``fill_mode``.

    Args:
        factor: a float (``-factor..factor``) or a pair, as fractions of a full turn.
        fill_mode: ``'reflect'`` (default), ``'wrap'``, ``'constant'`` or ``'nearest'``.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        seed: int seed of the layer's ``SeedGenerator``.
        fill_value: the fill of ``'constant'`` mode.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> layer = keras.layers.RandomRotation(0.1, seed=1)
        >>> layer(tf.ones((2, 5, 5, 1)), training=True).shape
        TensorShape([2, 5, 5, 1])
    """

    _SUPPORTED_FILL_MODE = ("reflect", "wrap", "constant", "nearest")
    _SUPPORTED_INTERPOLATION = ("nearest", "bilinear")

    def __init__(
        self,
        factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        self.seed = seed
        self.generator = SeedGenerator(seed)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value
        if fill_mode not in self._SUPPORTED_FILL_MODE:
            raise NotImplementedError(
                f"Unknown `fill_mode` {fill_mode}. Expected of one {self._SUPPORTED_FILL_MODE}."
            )
        if interpolation not in self._SUPPORTED_INTERPOLATION:
            raise NotImplementedError(
                f"Unknown `interpolation` {interpolation}. Expected of one "
                f"{self._SUPPORTED_INTERPOLATION}."
            )

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = backend.convert_to_tensor(data["images"] if isinstance(data, dict) else data)
        batch, height, width = self._image_size(images)
        batch = 1 if batch is None else batch
        angle = random.uniform(
            (batch,),
            minval=self.factor[0] * 360.0,
            maxval=self.factor[1] * 360.0,
            seed=seed if seed is not None else self.generator,
        )
        matrix = rotation_matrix(angle, height, width)
        if images.shape.rank == 3:
            matrix = array_ops.squeeze(matrix, 0)
        return {"rotation_matrix": matrix, "image_height": height, "image_width": width}

    def transform_images(self, images, transformation, training=True):
        images = backend.cast(images, self.compute_dtype)
        if training:
            return image_ops.affine_transform(
                images,
                transformation["rotation_matrix"],
                interpolation=self.interpolation,
                fill_mode=self.fill_mode,
                fill_value=self.fill_value,
                data_format=self.data_format,
            )
        return images

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self.transform_images(segmentation_masks, transformation, training=training)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {
            "factor": self.factor,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "interpolation": self.interpolation,
            "seed": self.seed,
        }
        return {**super().get_config(), **config}


def rotation_matrix(angle_degrees, height, width):
    """Projective transforms rotating by ``angle_degrees`` about the pixel grid's center
    ``((width - 1) / 2, (height - 1) / 2)``, one row per angle."""
    angle = angle_degrees * (math.pi / 180.0)
    cos, sin = unary_math_ops.cos(angle), unary_math_ops.sin(angle)
    w = backend.cast(width, angle.dtype) - 1.0
    h = backend.cast(height, angle.dtype) - 1.0
    x_offset = (w - (cos * w - sin * h)) / 2.0
    y_offset = (h - (sin * w + cos * h)) / 2.0
    zeros = array_creation_ops.zeros_like(angle)
    return array_ops.stack([cos, -sin, x_offset, sin, cos, y_offset, zeros, zeros], axis=1)
