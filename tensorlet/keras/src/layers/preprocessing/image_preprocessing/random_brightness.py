"""``keras.layers.RandomBrightness``: image brightness shifted at random while training."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import clip_ops

_VALUE_RANGE_ERROR = "The `value_range` argument should be a list of two numbers. "


@keras_export("keras.layers.RandomBrightness")
class RandomBrightness(BaseImagePreprocessingLayer):
    """Adds ``U(factor[0], factor[1]) * (high - low)`` to each image while training, then
    clips to ``value_range``.

    Args:
        factor: a float (``-f..f``) or a pair in ``[-1, 1]``: the shift as a fraction of the
            value range.
        value_range: the ``[low, high]`` range of the pixel values (default ``(0, 255)``).
        seed: int seed of the layer's ``SeedGenerator``.

    Example:
        >>> keras.layers.RandomBrightness(0.2, seed=1)(tf.ones((1, 2, 2, 3))).shape
        TensorShape([1, 2, 2, 3])
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, **kwargs)
        self.seed = seed
        self.generator = SeedGenerator(seed)
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError(_VALUE_RANGE_ERROR + f"Received: value_range={value_range}")
        self.value_range = sorted(value_range)

    def get_random_transformation(self, data, training=True, seed=None):
        images = data["images"] if isinstance(data, dict) else data
        rank = len(images.shape)
        if rank not in (3, 4):
            raise ValueError(
                f"Expected the input image to be rank 3 or 4. Received inputs.shape={images.shape}"
            )
        if not training:
            return None
        batch = self._image_size(images)[0]
        shape = (1, 1, 1) if rank == 3 else [batch, 1, 1, 1]
        delta = random.uniform(
            shape,
            minval=self.factor[0],
            maxval=self.factor[1],
            seed=seed if seed is not None else self.generator,
        )
        return {"rgb_delta": delta * (self.value_range[1] - self.value_range[0])}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = images + backend.cast(transformation["rgb_delta"], images.dtype.name)
        return clip_ops.clip_by_value(images, self.value_range[0], self.value_range[1])

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {"factor": self.factor, "value_range": self.value_range, "seed": self.seed}
        return {**super().get_config(), **config}
