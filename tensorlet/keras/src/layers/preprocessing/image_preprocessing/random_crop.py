"""``keras.layers.RandomCrop``: a random ``(height, width)`` crop while training."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.preprocessing.image_preprocessing import image_ops
from tensorlet.keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator, make_default_seed


@keras_export("keras.layers.RandomCrop")
class RandomCrop(BaseImagePreprocessingLayer):
    """Crops a random ``(height, width)`` window (the same offsets for the whole batch) while
    training; an input not larger than the target is center-cropped to its aspect ratio and
    resized. Inference returns the input unchanged.

    Args:
        height, width: the output size.
        seed: int seed of the layer's ``SeedGenerator`` (default: a random one).
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> keras.layers.RandomCrop(3, 4, seed=1)(tf.ones((2, 5, 6, 3)), training=True).shape
        TensorShape([2, 3, 4, 3])
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(name=name, data_format=data_format, **kwargs)
        self.height = height
        self.width = width
        self.seed = seed if seed is not None else make_default_seed()
        self.generator = SeedGenerator(seed)
        first = self.data_format == "channels_first"
        self.height_axis, self.width_axis = (-2, -1) if first else (-3, -2)

    def get_random_transformation(self, data, training=True, seed=None):
        seed = seed if seed is not None else self.generator
        images = data["images"] if isinstance(data, dict) else data
        shape = tuple(images.shape)
        height, width = shape[self.height_axis], shape[self.width_axis]
        if height is None or width is None:
            raise ValueError(
                "RandomCrop requires the input to have a fully defined height and width. "
                f"Received: images.shape={shape}"
            )
        if training and height > self.height and width > self.width:
            h0 = random.uniform((), 0, maxval=float(height - self.height + 1), seed=seed)
            w0 = random.uniform((), 0, maxval=float(width - self.width + 1), seed=seed)
            return backend.cast(h0, "int32"), backend.cast(w0, "int32")
        h0, w0, _, _ = image_ops._crop_box(height, width, self.height, self.width)
        return h0, w0

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = backend.cast(images, self.compute_dtype)
        images = self._crop(images, transformation, "bilinear")
        return backend.cast(images, self.compute_dtype)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        masks = backend.convert_to_tensor(segmentation_masks)
        if training:
            masks = self._crop(masks, transformation, "nearest")
        return masks

    def _crop(self, images, transformation, interpolation):
        h0, w0 = transformation
        rows, cols = slice(h0, h0 + self.height), slice(w0, w0 + self.width)
        if self.data_format == "channels_last":
            images = images[..., rows, cols, :]
        else:
            images = images[..., rows, cols]
        shape = images.shape.as_list()
        if shape[self.height_axis] != self.height or shape[self.width_axis] != self.width:
            images = image_ops.resize(
                images,
                size=(self.height, self.width),
                interpolation=interpolation,
                data_format=self.data_format,
            )
        return images

    def compute_output_shape(self, input_shape, *args, **kwargs):
        shape = list(input_shape)
        shape[self.height_axis] = self.height
        shape[self.width_axis] = self.width
        return tuple(shape)

    def get_config(self):
        config = {"height": self.height, "width": self.width, "seed": self.seed}
        return {**super().get_config(), **config}
