"""``keras.layers.RandomContrast``: image contrast changed at random while training."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import clip_ops, reduction_ops


@keras_export("keras.layers.RandomContrast")
class RandomContrast(BaseImagePreprocessingLayer):
    """Scales each image's deviation from its per-channel mean by a random factor in
    ``[1 - factor[0], 1 + factor[1]]`` while training, then clips to ``value_range``.

    Args:
        factor: a float (``0..f``) or a pair in ``[0, 1]``.
        value_range: the ``[low, high]`` range of the pixel values (default ``(0, 255)``).
        seed: int seed of the layer's ``SeedGenerator``.

    Example:
        >>> keras.layers.RandomContrast(0.5, seed=1)(tf.ones((1, 3, 3, 3))).shape
        TensorShape([1, 3, 3, 3])
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self._set_factor(factor)
        self.value_range = value_range
        self.seed = seed
        self.generator = SeedGenerator(seed)

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
        factor = random.uniform(
            shape,
            minval=1.0 - self.factor[0],
            maxval=1.0 + self.factor[1],
            seed=seed if seed is not None else self.generator,
            dtype=self.compute_dtype,
        )
        return {"contrast_factor": factor}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        first = self.data_format == "channels_first"
        h_axis, w_axis = (-2, -1) if first else (-3, -2)
        mean = reduction_ops.reduce_mean(images, axis=h_axis, keepdims=True)
        mean = reduction_ops.reduce_mean(mean, axis=w_axis, keepdims=True)
        outputs = (images - mean) * transformation["contrast_factor"] + mean
        return clip_ops.clip_by_value(outputs, self.value_range[0], self.value_range[1])

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {"factor": self.factor, "value_range": self.value_range, "seed": self.seed}
        return {**super().get_config(), **config}
