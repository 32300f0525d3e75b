"""``keras.layers.UnitNormalization``: scales each sample to unit L2 norm along ``axis``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import math_ops, reduction_ops, unary_math_ops


@keras_export("keras.layers.UnitNormalization")
class UnitNormalization(Layer):
    """``x / sqrt(max(sum(x ** 2, axis), 1e-12))``.

    Args:
        axis: int or list of ints (default -1).

    Example:
        >>> keras.layers.UnitNormalization()(tf.constant([[3.0, 4.0]])).numpy()
        array([[0.6, 0.8]], dtype=float32)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(
                "Invalid value for `axis` argument: expected an int or a list/tuple of ints. "
                f"Received: axis={axis}"
            )
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        x = backend.convert_to_tensor(inputs)
        square_sum = reduction_ops.reduce_sum(
            unary_math_ops.square(x), axis=self.axis, keepdims=True
        )
        inv = math_ops.truediv(1.0, unary_math_ops.sqrt(math_ops.maximum(square_sum, 1e-12)))
        return math_ops.multiply(x, inv)

    def compute_output_shape(self, input_shape):
        if isinstance(self.axis, int):
            axes = [self.axis]
        else:
            axes = self.axis
        for axis in axes:
            if axis >= len(input_shape) or axis < -len(input_shape):
                raise ValueError(
                    f"Axis {self.axis} is out of bounds for input shape {input_shape}."
                )
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
