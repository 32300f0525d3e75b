"""``keras.layers.Cropping1D``: removes entries at both ends of the steps axis."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.reshaping.padding_utils import spatial_axes, standardize_pairs


@keras_export("keras.layers.Cropping1D")
class Cropping1D(Layer):
    """Crops the steps axis.

    Args:
        cropping: int or ``(start, end)`` (default ``(1, 1)``).

    Example:
        >>> keras.layers.Cropping1D((1, 2))(tf.ones((1, 6, 2))).shape
        TensorShape([1, 3, 2])
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.data_format = "channels_last"
        if isinstance(cropping, int):
            cropping = (cropping, cropping)
        self.cropping = standardize_pairs((tuple(cropping),), 1, "cropping")[0]
        self.input_spec = InputSpec(ndim=3)
        self._build_at_init()

    def _pairs(self):
        return (self.cropping,)

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for axis, (a, b) in zip(spatial_axes(self.data_format, 1), self._pairs()):
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
        index = [slice(None)] * 3
        for axis, (a, b) in zip(spatial_axes(self.data_format, 1), self._pairs()):
            index[axis] = slice(a, -b if b else None)
        return inputs[tuple(index)]

    def get_config(self):
        config = {"cropping": self.cropping}
        return {**super().get_config(), **config}
