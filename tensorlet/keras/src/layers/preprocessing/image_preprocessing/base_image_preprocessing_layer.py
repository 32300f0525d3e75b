"""``BaseImagePreprocessingLayer``: image layers that transform images (and labels,
segmentation masks) with one random transformation per call.

``call(data, training=True)`` draws ``get_random_transformation`` once, then applies
``transform_images`` to a batch (rank 4) or a single image (rank 3), or to the entries of a
dict ``{"images", "labels", "segmentation_masks"}``.
"""

from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.preprocessing.tf_data_layer import TFDataLayer
from tensorlet.ops import array_ops


class BaseImagePreprocessingLayer(TFDataLayer):
    _USE_BASE_FACTOR = True
    _FACTOR_BOUNDS = (-1, 1)

    def __init__(self, factor=None, bounding_box_format=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.bounding_box_format = bounding_box_format
        self.data_format = backend.standardize_data_format(data_format)
        if self._USE_BASE_FACTOR:
            self._set_factor(factor or 0.0)
        elif factor is not None:
            raise ValueError(
                f"Layer {self.__class__.__name__} does not take a `factor` argument. "
                f"Received: factor={factor}"
            )
        self._build_at_init()

    def _set_factor(self, factor):
        low, high = self._FACTOR_BOUNDS
        error_msg = (
            "The `factor` argument should be a number (or a list of two numbers) in the range "
            f"[{low}, {high}]. Received: factor={factor}"
        )
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or factor[0] > high or factor[1] < low:
                raise ValueError(error_msg)
            lower, upper = sorted(factor)
        elif isinstance(factor, (int, float)):
            if factor < low or factor > high:
                raise ValueError(error_msg)
            factor = abs(factor)
            lower, upper = [max(-factor, low), factor]
        else:
            raise ValueError(error_msg)  # noqa: TRY004 (Keras' class)
        self.factor = lower, upper

    # ---------------------------------------------------------------- overridden by layers
    def get_random_transformation(self, data, training=True, seed=None):
        return None

    def transform_images(self, images, transformation, training=True):
        raise NotImplementedError()

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        raise NotImplementedError()

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        raise NotImplementedError(
            f"{self.__class__.__name__}: bounding boxes are not supported by tensorlet yet"
        )

    # ---------------------------------------------------------------- dispatch
    def _single(self, fn, value, transformation, training):
        out = fn(array_ops.expand_dims(value, 0), transformation, training=training)
        return array_ops.squeeze(out, 0)

    def _is_batched(self, images):
        rank = len(images.shape)
        if rank in (3, 4):
            return rank == 4
        raise ValueError(
            "Expected image tensor to have rank 3 (single image) or 4 (batch of images). "
            f"Received: data.shape={tuple(images.shape)}"
        )

    def _apply(self, fn, value, transformation, training, batched):
        value = convert_to_tensor(value)
        if batched:
            return fn(value, transformation, training=training)
        return self._single(fn, value, transformation, training)

    def call(self, data, training=True):
        transformation = self.get_random_transformation(data, training=training)
        if not isinstance(data, dict):
            batched = self._is_batched(data)
            return self._apply(self.transform_images, data, transformation, training, batched)
        data = dict(data)
        batched = self._is_batched(data["images"])
        data["images"] = self._apply(
            self.transform_images, data["images"], transformation, training, batched
        )
        if "bounding_boxes" in data:
            if not self.bounding_box_format:
                raise ValueError(
                    "You passed an input with a 'bounding_boxes' key, but you didn't specify a "
                    "bounding box format. Pass a `bounding_box_format` argument to your "
                    f"{self.__class__.__name__} layer, e.g. `bounding_box_format='xyxy'`."
                )
            data["bounding_boxes"] = self.transform_bounding_boxes(
                data["bounding_boxes"], transformation, training=training
            )
        for key, fn in (
            ("labels", self.transform_labels),
            ("segmentation_masks", self.transform_segmentation_masks),
        ):
            if key in data:
                data[key] = self._apply(fn, data[key], transformation, training, batched)
        return data

    def get_config(self):
        config = {**super().get_config(), "data_format": self.data_format}
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config

    def _transform_value_range(self, images, original_range, target_range, dtype="float32"):
        """Linearly maps ``images`` from ``original_range`` to ``target_range``."""
        if original_range[0] == target_range[0] and original_range[1] == target_range[1]:
            return images
        images = backend.cast(images, dtype)
        low, high = (backend.cast(v, dtype) for v in original_range)
        target_low, target_high = (backend.cast(v, dtype) for v in target_range)
        images = (images - low) / (high - low)
        return images * (target_high - target_low) + target_low

    def _image_size(self, images):
        """``(batch or None, height, width)`` of ``images`` (static ints where known)."""
        shape = images.shape.as_list()
        dynamic = None
        if None in shape:
            dynamic = array_ops.shape(images)
        dims = [d if d is not None else dynamic[i] for i, d in enumerate(shape)]
        if self.data_format == "channels_first":
            height, width = dims[-2], dims[-1]
        else:
            height, width = dims[-3], dims[-2]
        return (dims[0] if len(dims) == 4 else None), height, width
