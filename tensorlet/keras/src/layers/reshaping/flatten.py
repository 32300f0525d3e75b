"""``keras.layers.Flatten``: flattens each sample to a vector."""

import math

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import array_ops


@keras_export("keras.layers.Flatten")
class Flatten(Layer):
    """``reshape(inputs, (batch_size, -1))``; a rank-1 input becomes ``(batch_size, 1)``.
    ``channels_first`` inputs are transposed to channels-last first, as in Keras.

    Args:
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.

    Example:
        >>> keras.layers.Flatten()(tf.ones((2, 3, 4))).shape
        TensorShape([2, 12])
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)
        self._channels_first = self.data_format == "channels_first"

    def build(self, input_shape):
        # Keras builds Flatten on its first call (so its build config records the input
        # shape), unlike the pooling layers, which are built at construction.
        pass

    def call(self, inputs):
        inputs = backend.convert_to_tensor(inputs)
        rank = inputs.shape.rank
        if self._channels_first and rank > 2:
            inputs = array_ops.transpose(inputs, [0] + list(range(2, rank)) + [1])
        batch = inputs.shape[0]
        if batch is None:
            batch = array_ops.shape(inputs)[0]
            return array_ops.reshape(inputs, array_ops.stack([batch, -1]))
        return array_ops.reshape(inputs, (batch, -1))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        rest = input_shape[1:]
        if not rest:
            return (input_shape[0], 1)
        size = None if None in rest else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
