"""``keras.layers.Cropping2D``: removes entries at both ends of the rows and columns."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.reshaping.padding_utils import spatial_axes, standardize_pairs


@keras_export("keras.layers.Cropping2D")
class Cropping2D(Layer):
    """Crops the rows and columns.

    Args:
        cropping: int, ``(rows, cols)`` or ``((top, bottom), (left, right))`` (default 0).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.

    Example:
        >>> keras.layers.Cropping2D(((1, 0), (1, 2)))(tf.ones((1, 4, 5, 1))).shape
        TensorShape([1, 3, 2, 1])
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.cropping = standardize_pairs(cropping, 2, "cropping")
        self.input_spec = InputSpec(ndim=4)
        self._build_at_init()

    def _pairs(self):
        return self.cropping

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for axis, (a, b) in zip(spatial_axes(self.data_format, 2), self._pairs()):
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
        index = [slice(None)] * 4
        for axis, (a, b) in zip(spatial_axes(self.data_format, 2), self._pairs()):
            index[axis] = slice(a, -b if b else None)
        return inputs[tuple(index)]

    def get_config(self):
        config = {"cropping": self.cropping, "data_format": self.data_format}
        return {**super().get_config(), **config}
