"""``keras.layers.RandomFlip``: images flipped at random while training."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import array_ops, comparison_ops

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


@keras_export("keras.layers.RandomFlip")
class RandomFlip(BaseImagePreprocessingLayer):
    """Flips each image with probability 1/2 (``uniform <= 0.5``; with
    ``'horizontal_and_vertical'`` the same draw flips both ways). Inference: no flip.

    Args:
        mode: ``'horizontal'``, ``'vertical'`` or ``'horizontal_and_vertical'`` (default).
        seed: int seed of the layer's ``SeedGenerator``.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> layer = keras.layers.RandomFlip("horizontal", seed=1)
        >>> layer(tf.ones((2, 4, 4, 3)), training=True).shape
        TensorShape([2, 4, 4, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.seed = seed
        self.generator = SeedGenerator(seed)
        self.mode = mode

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        batch = self._image_size(backend.convert_to_tensor(images))[0]
        shape = (1, 1, 1) if batch is None else (batch, 1, 1, 1)
        draws = random.uniform(shape, seed=seed if seed is not None else self.generator)
        return {"flips": comparison_ops.less_equal(draws, 0.5)}

    def transform_images(self, images, transformation, training=True):
        images = backend.cast(images, self.compute_dtype)
        if training:
            return self._flip(images, transformation)
        return images

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if training:
            return self._flip(backend.convert_to_tensor(segmentation_masks), transformation)
        return segmentation_masks

    def _flip(self, inputs, transformation):
        if transformation is None:
            return inputs
        flips = transformation["flips"]
        first = self.data_format == "channels_first"
        out = inputs
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            out = array_ops.where(flips, array_ops.reverse(out, [-1 if first else -2]), out)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            out = array_ops.where(flips, array_ops.reverse(out, [-2 if first else -3]), out)
        return out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "seed": self.seed, "mode": self.mode}
