"""``BasePooling``: max / average pooling over 1-3 spatial axes."""

from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.convolutional.base_conv import (
    conv_output_length,
    standardize_padding,
    standardize_tuple,
)
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import pooling_ops

_FORMATS = {
    ("channels_last", 1): "NWC",
    ("channels_last", 2): "NHWC",
    ("channels_last", 3): "NDHWC",
    ("channels_first", 1): "NCW",
    ("channels_first", 2): "NCHW",
    ("channels_first", 3): "NCDHW",
}


class BasePooling(Layer):
    """Pools windows of ``pool_size`` every ``strides`` (default ``pool_size``) with
    ``pool_mode`` ``'max'`` or ``'average'``."""

    def __init__(
        self,
        pool_size,
        strides,
        pool_dimensions,
        pool_mode="max",
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.pool_size = standardize_tuple(pool_size, pool_dimensions, "pool_size")
        strides = pool_size if strides is None else strides
        self.strides = standardize_tuple(strides, pool_dimensions, "strides", allow_zero=True)
        self.pool_mode = pool_mode
        self.padding = standardize_padding(padding)
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self._build_at_init()

    def call(self, inputs):
        inputs = backend.convert_to_tensor(inputs)
        rank = len(self.pool_size)
        pool = pooling_ops.max_pool if self.pool_mode == "max" else pooling_ops.avg_pool
        return pool(
            inputs,
            list(self.pool_size),
            list(self.strides),
            self.padding.upper(),
            data_format=_FORMATS[(self.data_format, rank)],
        )

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        channels_last = self.data_format == "channels_last"
        spatial = input_shape[1:-1] if channels_last else input_shape[2:]
        out = tuple(
            conv_output_length(n, self.pool_size[i], self.padding, self.strides[i], 1)
            for i, n in enumerate(spatial)
        )
        if channels_last:
            return (input_shape[0],) + out + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + out

    def get_config(self):
        config = {
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }
        return {**super().get_config(), **config}
