"""``BaseGlobalPooling``: max / average over all spatial axes."""

from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Reduces the spatial axes (``keepdims`` keeps them with size 1)."""

    def __init__(self, pool_dimensions, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self._build_at_init()

    def _spatial_axes(self, ndim):
        if self.data_format == "channels_last":
            return list(range(1, ndim - 1))
        return list(range(2, ndim))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        n = len(input_shape)
        channels_last = self.data_format == "channels_last"
        if self.keepdims:
            if channels_last:
                return (input_shape[0],) + (1,) * (n - 2) + (input_shape[-1],)
            return (input_shape[0], input_shape[1]) + (1,) * (n - 2)
        return (input_shape[0], input_shape[-1] if channels_last else input_shape[1])

    def get_config(self):
        config = {"data_format": self.data_format, "keepdims": self.keepdims}
        return {**super().get_config(), **config}
