"""``keras.layers.ZeroPadding1D``: adds zeros at both ends of the steps axis."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.reshaping.padding_utils import spatial_axes, standardize_pairs
from tensorlet.ops import array_ops


@keras_export("keras.layers.ZeroPadding1D")
class ZeroPadding1D(Layer):
    """Pads the steps axis with zeros.

    Args:
        padding: int (both sides) or ``(left, right)`` (default 1).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.

    Example:
        >>> keras.layers.ZeroPadding1D((1, 2))(tf.ones((1, 3, 2))).shape
        TensorShape([1, 6, 2])
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        if isinstance(padding, int):
            padding = (padding, padding)
        self.padding = standardize_pairs((tuple(padding),), 1, "padding")[0]
        self.input_spec = InputSpec(ndim=3)
        self._build_at_init()

    def _pairs(self):
        return (self.padding,)

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for axis, (a, b) in zip(spatial_axes(self.data_format, 1), self._pairs()):
            if out[axis] is not None:
                out[axis] += a + b
        return tuple(out)

    def call(self, inputs):
        paddings = [[0, 0]] * 3
        for axis, pair in zip(spatial_axes(self.data_format, 1), self._pairs()):
            paddings[axis] = list(pair)
        return array_ops.pad(backend.convert_to_tensor(inputs), paddings)

    def get_config(self):
        config = {"padding": self.padding, "data_format": self.data_format}
        return {**super().get_config(), **config}
