"""``keras.layers.RandomZoom``: images zoomed in or out at random while training."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.preprocessing.image_preprocessing import image_ops
from tensorlet.keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import array_creation_ops, array_ops

_FACTOR_ERROR = (
    "The `height_factor` and `width_factor` arguments should be a number (or a list of two "
    "numbers) in the range [-1.0, 1.0]. "
)


def factor_range(factor, name, error=_FACTOR_ERROR):
    """``(lower, upper)`` from a number (``-|f|, |f|``) or a pair, each in ``[-1, 1]``."""

    def check(value):
        if value > 1.0 or value < -1.0:
            raise ValueError(error + f"Received: input_number={value}")

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(error + f"Received: {name}={factor}")
        check(factor[0])
        check(factor[1])
        return tuple(sorted(factor))
    if isinstance(factor, (int, float)):
        check(factor)
        return -abs(factor), abs(factor)
    raise ValueError(error + f"Received: {name}={factor}")


@keras_export("keras.layers.RandomZoom")
class RandomZoom(BaseImagePreprocessingLayer):
    """Zooms each image by a random factor while training: the image is sampled with scale
    ``1 + U(lower, upper)`` about its center (positive factors zoom out).

    Args:
        height_factor: a float (``-f..f``) or a pair in ``[-1, 1]``: the vertical zoom range.
        width_factor: the horizontal range (default None: the vertical zoom, keeping the
            aspect ratio).
        fill_mode: ``'reflect'`` (default), ``'wrap'``, ``'constant'`` or ``'nearest'``.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        seed: int seed of the layer's ``SeedGenerator``.
        fill_value: the fill of ``'constant'`` mode.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> keras.layers.RandomZoom(0.2, seed=1)(tf.ones((2, 6, 6, 1))).shape
        TensorShape([2, 6, 6, 1])
    """

    _USE_BASE_FACTOR = False
    _SUPPORTED_FILL_MODE = ("reflect", "wrap", "constant", "nearest")
    _SUPPORTED_INTERPOLATION = ("nearest", "bilinear")

    def __init__(
        self,
        height_factor,
        width_factor=None,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = factor_range(height_factor, "height_factor")
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = factor_range(width_factor, "width_factor")
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
        batch = self._image_size(images)[0]
        shape = (1, 1) if batch is None else (batch, 1)
        seed = seed if seed is not None else self.generator
        height_zoom = random.uniform(
            shape, 1.0 + self.height_lower, 1.0 + self.height_upper, seed=seed
        )
        width_zoom = height_zoom
        if self.width_factor is not None:
            width_zoom = random.uniform(
                shape, 1.0 + self.width_lower, 1.0 + self.width_upper, seed=seed
            )
        return {"height_zoom": height_zoom, "width_zoom": width_zoom}

    def transform_images(self, images, transformation, training=True):
        images = backend.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        zooms = backend.cast(
            array_ops.concat([transformation["width_zoom"], transformation["height_zoom"]], axis=1),
            "float32",
        )
        _, height, width = self._image_size(images)
        return image_ops.affine_transform(
            images,
            zoom_matrix(zooms, height, width),
            interpolation=self.interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self.transform_images(segmentation_masks, transformation, training=training)

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


def zoom_matrix(zooms, height, width):
    """Transforms ``[zx, 0, x_off, 0, zy, y_off, 0, 0]`` scaling about the grid's center."""
    x_offset = (backend.cast(width, "float32") - 1.0) / 2.0 * (1.0 - zooms[:, 0:1])
    y_offset = (backend.cast(height, "float32") - 1.0) / 2.0 * (1.0 - zooms[:, 1:])
    zeros = array_creation_ops.zeros_like(zooms[:, 0:1])
    return array_ops.concat(
        [zooms[:, 0:1], zeros, x_offset, zeros, zooms[:, 1:], y_offset, zeros, zeros], axis=1
    )


def _check_modes(fill_mode, interpolation, layer):
    if fill_mode not in layer._SUPPORTED_FILL_MODE:
        raise NotImplementedError(
            f"Unknown `fill_mode` {fill_mode}. Expected of one {layer._SUPPORTED_FILL_MODE}."
        )
    if interpolation not in layer._SUPPORTED_INTERPOLATION:
        raise NotImplementedError(
            f"Unknown `interpolation` {interpolation}. Expected of one "
            f"{layer._SUPPORTED_INTERPOLATION}."
        )
