"""``keras.layers.UpSampling3D``: repeats voxels along the three spatial axes."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.convolutional.base_conv import standardize_tuple
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import gather_ops


@keras_export("keras.layers.UpSampling3D")
class UpSampling3D(Layer):
    """Repeats along dim1, dim2, dim3 by ``size``.

    Args:
        size: int or triple (default ``(2, 2, 2)``).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.

    Example:
        >>> keras.layers.UpSampling3D(2)(tf.ones((1, 1, 2, 2, 1))).shape
        TensorShape([1, 2, 4, 4, 1])
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.size = standardize_tuple(size, 3, "size")
        self.input_spec = InputSpec(ndim=5)
        self._build_at_init()

    def _axes(self):
        return (1, 2, 3) if self.data_format == "channels_last" else (2, 3, 4)

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for axis, factor in zip(self._axes(), self.size):
            out[axis] = out[axis] * factor if out[axis] is not None else None
        return tuple(out)

    def call(self, inputs):
        x = backend.convert_to_tensor(inputs)
        for axis, factor in zip(self._axes(), self.size):
            x = gather_ops.repeat(x, factor, axis=axis)
        return x

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}
