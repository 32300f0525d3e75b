"""``keras.layers.UpSampling2D``: enlarges images by integer factors."""

from tensorlet.framework.export import keras_export
from tensorlet.image_ops import resize as image_resize
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.convolutional.base_conv import standardize_tuple
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import array_ops, gather_ops

_INTERPOLATIONS = ("bicubic", "bilinear", "lanczos3", "lanczos5", "nearest")


@keras_export("keras.layers.UpSampling2D")
class UpSampling2D(Layer):
    """Repeats rows and columns (``'nearest'``) or resizes with ``tf.image.resize``.

    Args:
        size: int or pair, the row and column factors (default ``(2, 2)``).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        interpolation: ``'nearest'`` (default), ``'bilinear'``, ``'bicubic'``, ``'lanczos3'``
            or ``'lanczos5'``.

    Example:
        >>> keras.layers.UpSampling2D((2, 3))(tf.ones((1, 2, 2, 1))).shape
        TensorShape([1, 4, 6, 1])
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.size = standardize_tuple(size, 2, "size")
        self.interpolation = interpolation.lower()
        if self.interpolation not in _INTERPOLATIONS:
            raise ValueError(
                "`interpolation` argument should be one of: "
                f'"bicubic", "bilinear", "lanczos3", "lanczos5", "nearest". '
                f"Received: interpolation={interpolation}"
            )
        self.input_spec = InputSpec(ndim=4)
        self._build_at_init()

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.data_format == "channels_first":
            h, w = input_shape[2], input_shape[3]
        else:
            h, w = input_shape[1], input_shape[2]
        h = h * self.size[0] if h is not None else None
        w = w * self.size[1] if w is not None else None
        if self.data_format == "channels_first":
            return (input_shape[0], input_shape[1], h, w)
        return (input_shape[0], h, w, input_shape[3])

    def call(self, inputs):
        x = backend.convert_to_tensor(inputs)
        if self.data_format == "channels_first":
            x = array_ops.transpose(x, [0, 2, 3, 1])
        if self.interpolation == "nearest":
            x = gather_ops.repeat(x, self.size[0], axis=1)
            x = gather_ops.repeat(x, self.size[1], axis=2)
        else:
            shape = array_ops.shape(x)
            new_size = array_ops.stack([shape[1] * self.size[0], shape[2] * self.size[1]])
            if x.shape[1] is not None and x.shape[2] is not None:
                new_size = [x.shape[1] * self.size[0], x.shape[2] * self.size[1]]
            x = backend.cast(
                image_resize.resize_images_v2(x, new_size, method=self.interpolation), x.dtype.name
            )
        if self.data_format == "channels_first":
            x = array_ops.transpose(x, [0, 3, 1, 2])
        return x

    def get_config(self):
        config = {
            "size": self.size,
            "data_format": self.data_format,
            "interpolation": self.interpolation,
        }
        return {**super().get_config(), **config}
