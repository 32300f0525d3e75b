"""``keras.layers.Cropping3D``: removes entries at both ends of the three spatial axes."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.reshaping.padding_utils import spatial_axes, standardize_pairs


@keras_export("keras.layers.Cropping3D")
class Cropping3D(Layer):
    """Crops the three spatial axes.

    Args:
        cropping: int, triple of ints or triple of ``(start, end)`` pairs (default 1).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.

    Example:
        >>> keras.layers.Cropping3D(1)(tf.ones((1, 3, 4, 3, 1))).shape
        TensorShape([1, 1, 2, 1, 1])
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.cropping = standardize_pairs(cropping, 3, "cropping")
        self.input_spec = InputSpec(ndim=5)
        self._build_at_init()

    def _pairs(self):
        return self.cropping

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for axis, (a, b) in zip(spatial_axes(self.data_format, 3), self._pairs()):
            if out[axis] is not None:
                if out[axis] - a - b <= 0:
                    raise ValueError(
                        "Values in `cropping` argument should be smaller than the "
                        f"corresponding spatial dimension of the input. Received: "
                        f"input_shape={tuple(input_shape)}, cropping={self.cropping}"
                    )
                out[axis] -= a + b
        return tuple(out)

    def call(self, inputs):
        inputs = backend.convert_to_tensor(inputs)
        self.compute_output_shape(inputs.shape.as_list())
        index = [slice(None)] * 5
        for axis, (a, b) in zip(spatial_axes(self.data_format, 3), self._pairs()):
            index[axis] = slice(a, -b if b else None)
        return inputs[tuple(index)]

    def get_config(self):
        config = {"cropping": self.cropping, "data_format": self.data_format}
        return {**super().get_config(), **config}
