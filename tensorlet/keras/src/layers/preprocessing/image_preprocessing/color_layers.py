"""Colour augmentations: ``AutoContrast``, ``Solarization``, ``RandomInvert`` and
``RandomGrayscale`` (one transformation drawn per call from the layer's ``SeedGenerator``)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from tensorlet.keras.src.layers.preprocessing.image_preprocessing.random_zoom import factor_range
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import (
    array_ops,
    cast_ops,
    clip_ops,
    comparison_ops,
    linalg_ops,
    math_ops,
    reduction_ops,
    unary_math_ops,
)

_VALUE_RANGE_ERROR = "The `value_range` argument should be a list of two numbers. "


def _value_range(value_range):
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError(_VALUE_RANGE_ERROR + f"Received: value_range={value_range}")
    return sorted(value_range)


def _restore_dtype(results, dtype):
    if results.dtype == dtype:
        return results
    if dtype.is_integer:
        results = math_ops.round(results)
    return cast_ops.saturate_cast(results, dtype)


def _batch_shape(layer, images):
    batch = layer._image_size(images)[0]
    return (1, 1, 1) if images.shape.rank == 3 else (batch, 1, 1, 1)


@keras_export("keras.layers.AutoContrast")
class AutoContrast(BaseImagePreprocessingLayer):
    """Stretches each image channel so that its minimum maps to the low end and its maximum
    to the high end of ``value_range`` (channels with NaN results are left unchanged).

    Args:
        value_range: the ``(low, high)`` range of the pixel values (default ``(0, 255)``).

    Example:
        >>> x = tf.constant([[[[10.0], [20.0]], [[30.0], [40.0]]]])
        >>> keras.layers.AutoContrast()(x)[0, :, :, 0].numpy()
        array([[  0.,  85.],
               [170., 255.]], dtype=float32)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = _value_range(value_range)

    def transform_images(self, images, transformation=None, training=True):
        original = images
        dtype = self.compute_dtype
        images = self._transform_value_range(images, self.value_range, (0, 255), dtype)
        images = backend.cast(images, dtype)
        low = reduction_ops.reduce_min(images, axis=(1, 2), keepdims=True)
        high = reduction_ops.reduce_max(images, axis=(1, 2), keepdims=True)
        scale = 255.0 / (high - low)
        results = clip_ops.clip_by_value(images * scale - low * scale, 0.0, 255.0)
        results = self._transform_value_range(results, (0, 255), self.value_range, dtype)
        results = array_ops.where(
            unary_math_ops.is_nan(results), backend.cast(original, dtype), results
        )
        return _restore_dtype(results, original.dtype)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range}


@keras_export("keras.layers.Solarization")
class Solarization(BaseImagePreprocessingLayer):
    """Adds a random value in ``[0, addition_factor * 255]`` to each image, then inverts
    (``255 - x``) the pixels above a random threshold in ``[0, threshold_factor * 255]``.

    Args:
        addition_factor: a float (``0..f``) or a pair in ``[0, 1]``.
        threshold_factor: a float (``0..f``) or a pair in ``[0, 1]``.
        value_range: the ``(low, high)`` range of the pixel values (default ``(0, 255)``).
        seed: int seed of the layer's ``SeedGenerator``.

    Example:
        >>> layer = keras.layers.Solarization(threshold_factor=0.0)
        >>> layer(tf.constant([[[[10.0]]]]), training=True).numpy().ravel()
        array([245.], dtype=float32)
    """

    _USE_BASE_FACTOR = False
    _FACTOR_ERROR = (
        "The `addition_factor` and `threshold_factor` arguments should be a number (or a list "
        "of two numbers) in the range [0, 1]. "
    )

    def __init__(
        self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs
    ):
        super().__init__(**kwargs)
        self.seed = seed
        self.generator = SeedGenerator(seed)
        self.addition_factor = self._unit_range(addition_factor, "addition_factor")
        self.threshold_factor = self._unit_range(threshold_factor, "threshold_factor")
        self.value_range = _value_range(value_range)

    def _unit_range(self, factor, name):
        if isinstance(factor, (int, float)) and not isinstance(factor, bool):
            if factor > 1.0 or factor < 0:
                raise ValueError(self._FACTOR_ERROR + f"Received: input_number={factor}")
            return 0, factor
        lower, upper = factor_range(factor, name, self._FACTOR_ERROR)
        if lower < 0:
            raise ValueError(self._FACTOR_ERROR + f"Received: input_number={lower}")
        return lower, upper

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = backend.convert_to_tensor(data["images"] if isinstance(data, dict) else data)
        shape = _batch_shape(self, images)
        seed = seed if seed is not None else self.generator
        draw = [
            random.uniform(shape, f[0], f[1] * 255, dtype=self.compute_dtype, seed=seed)
            for f in (self.addition_factor, self.threshold_factor)
        ]
        return {"additions": draw[0], "thresholds": draw[1]}

    def transform_images(self, images, transformation, training=True):
        original_dtype = images.dtype
        dtype = self.compute_dtype
        images = backend.cast(images, dtype)
        if transformation is None:
            return images
        images = self._transform_value_range(images, self.value_range, (0, 255), dtype)
        results = clip_ops.clip_by_value(images + transformation["additions"], 0, 255)
        results = array_ops.where(
            comparison_ops.less(results, transformation["thresholds"]), results, 255 - results
        )
        results = self._transform_value_range(results, (0, 255), self.value_range, dtype)
        return _restore_dtype(results, original_dtype) if original_dtype.is_integer else results

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {
            "value_range": self.value_range,
            "addition_factor": self.addition_factor,
            "threshold_factor": self.threshold_factor,
            "seed": self.seed,
        }
        return {**super().get_config(), **config}


@keras_export("keras.layers.RandomInvert")
class RandomInvert(BaseImagePreprocessingLayer):
    """Inverts images (``high - x``) with a probability drawn from ``factor`` while training.

    Args:
        factor: a float (``0..f``) or a pair in ``[0, 1]``: the range of the inversion
            probability (default 1.0).
        value_range: the ``(low, high)`` range of the pixel values (default ``(0, 255)``).
        seed: int seed of the layer's ``SeedGenerator``.

    Example:
        >>> keras.layers.RandomInvert(seed=1)(tf.ones((2, 2, 2, 3))).shape
        TensorShape([2, 2, 2, 3])
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = value_range
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = backend.convert_to_tensor(data["images"] if isinstance(data, dict) else data)
        if images.shape.rank not in (3, 4):
            raise ValueError(
                f"Expected the input image to be rank 3 or 4. Received inputs.shape={images.shape}"
            )
        batch = 1 if images.shape.rank == 3 else self._image_size(images)[0]
        seed = seed if seed is not None else self.generator
        probability = random.uniform((batch,), self.factor[0], self.factor[1], seed=seed)
        threshold = random.uniform((batch,), 0, 1, seed=seed)
        return {"apply_inversion": comparison_ops.less(threshold, probability)}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = backend.cast(images, self.compute_dtype)
        apply = array_ops.reshape(transformation["apply_inversion"], [-1, 1, 1, 1])
        return array_ops.where(apply, self.value_range[1] - images, images)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {"factor": self.factor, "value_range": self.value_range, "seed": self.seed}
        return {**super().get_config(), **config}


@keras_export("keras.layers.RandomGrayscale")
class RandomGrayscale(BaseImagePreprocessingLayer):
    """Turns each image to grayscale (``0.2989 R + 0.5870 G + 0.1140 B`` in every channel)
    with probability ``factor`` while training.

    Args:
        factor: the probability, in ``[0, 1]`` (default 0.5).
        seed: int seed of the layer's ``SeedGenerator``.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> layer = keras.layers.RandomGrayscale(factor=1.0)
        >>> layer(tf.constant([[[[255.0, 0.0, 0.0]]]]), training=True).numpy().round(2)
        array([[[[76.22, 76.22, 76.22]]]], dtype=float32)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if factor < 0 or factor > 1:
            raise ValueError(f"`factor` should be between 0 and 1. Received: factor={factor}")
        self.factor = factor
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = backend.convert_to_tensor(data["images"] if isinstance(data, dict) else data)
        batch = 1 if images.shape.rank == 3 else self._image_size(images)[0]
        draws = random.uniform((batch,), 0, 1, seed=seed if seed is not None else self.generator)
        return array_ops.reshape(comparison_ops.less(draws, self.factor), [-1, 1, 1, 1])

    def transform_images(self, images, transformation, training=True):
        images = backend.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        axis = -3 if self.data_format == "channels_first" else -1
        weights = backend.convert_to_tensor([0.2989, 0.5870, 0.1140], dtype=images.dtype)
        gray = linalg_ops.tensordot(images, weights, axes=[[images.shape.rank + axis], [0]])
        gray = array_ops.expand_dims(gray, axis)
        return array_ops.where(transformation, gray * array_ops.ones_like(images), images)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "seed": self.seed}
