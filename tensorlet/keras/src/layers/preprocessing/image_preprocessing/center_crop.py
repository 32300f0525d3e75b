"""``keras.layers.CenterCrop``: the central ``(height, width)`` crop of images."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.preprocessing.image_preprocessing import image_ops
from tensorlet.keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
)


@keras_export("keras.layers.CenterCrop")
class CenterCrop(BaseImagePreprocessingLayer):
    """Crops the center ``(height, width)`` of images. An image smaller than the target is
    first cropped to the target aspect ratio and resized (``smart_resize``); with an odd
    difference the crop starts one pixel lower / further left.

    Args:
        height, width: the output size.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> x = tf.reshape(tf.range(30.0), (1, 5, 6, 1))
        >>> keras.layers.CenterCrop(2, 3)(x)[0, :, :, 0].numpy()
        array([[ 7.,  8.,  9.],
               [13., 14., 15.]], dtype=float32)
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width

    def transform_images(self, images, transformation=None, training=True):
        inputs = backend.cast(images, self.compute_dtype)
        shape = inputs.shape.as_list()
        first = self.data_format == "channels_first"
        init_height, init_width = (shape[-2], shape[-1]) if first else (shape[-3], shape[-2])
        if init_height is None or init_width is None:
            raise ValueError(
                "At this time, CenterCrop can only process images with a static spatial "
                f"shape. Received: inputs.shape={inputs.shape}"
            )
        h_diff, w_diff = init_height - self.height, init_width - self.width
        if h_diff >= 0 and w_diff >= 0:
            h0, w0 = int(h_diff / 2), int(w_diff / 2)
            rows, cols = slice(h0, h0 + self.height), slice(w0, w0 + self.width)
            if first:
                return inputs[..., rows, cols]
            return inputs[..., rows, cols, :]
        return image_ops.smart_resize(
            inputs, (self.height, self.width), data_format=self.data_format
        )

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self.transform_images(segmentation_masks, transformation, training=training)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        if len(shape) not in (3, 4) or isinstance(shape[0], (list, tuple)):
            raise ValueError(
                "`input_shape` must be a non-nested tuple or list of rank-1 with size 3 "
                "(unbatched) or 4 (batched). "
            )
        first = self.data_format == "channels_first"
        h = (2 if first else 1) if len(shape) == 4 else (1 if first else 0)
        shape[h], shape[h + 1] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
