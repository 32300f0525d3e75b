"""``keras.layers.RMSNormalization``: ``x * scale / sqrt(mean(x ** 2) + epsilon)``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import math_ops, reduction_ops, unary_math_ops


@keras_export("keras.layers.RMSNormalization")
class RMSNormalization(Layer):
    """Root-mean-square normalisation over ``axis`` with a learned ``scale`` (ones).

    Args:
        axis: int or list of ints (default -1).
        epsilon: default 1e-6.

    Example:
        >>> keras.layers.RMSNormalization()(tf.constant([[3.0, 4.0]])).numpy().round(4)
        array([[0.8485, 1.1314]], dtype=float32)
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = epsilon

    def build(self, input_shape):
        if isinstance(self.axis, list):
            shape = tuple(input_shape[dim] for dim in self.axis)
        else:
            shape = (input_shape[self.axis],)
            self.axis = [self.axis]
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")

    def call(self, x):
        x = backend.convert_to_tensor(x)
        mean_square = reduction_ops.reduce_mean(
            unary_math_ops.square(x), axis=self.axis, keepdims=True
        )
        inv = math_ops.truediv(1.0, unary_math_ops.sqrt(math_ops.add(mean_square, self.epsilon)))
        return math_ops.multiply(math_ops.multiply(x, inv), self.scale)

    def compute_output_shape(self, input_shape):
        if isinstance(self.axis, int):
            axes = [self.axis]
        else:
            axes = self.axis
        for axis in axes:
            if axis >= len(input_shape) or axis < -len(input_shape):
                raise ValueError(
                    f"Axis {axis} is out of bounds for input shape {input_shape}. "
                    f"Received: axis={self.axis}"
                )
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
