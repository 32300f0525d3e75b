"""``keras.layers.Subtract``: ``inputs[0] - inputs[1]``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.merging.base_merge import Merge
from tensorlet.ops import math_ops


@keras_export("keras.layers.Subtract")
class Subtract(Merge):
    """The difference of exactly two tensors: ``inputs[0] - inputs[1]``.

    Example:
        >>> keras.layers.Subtract()([tf.constant([[1.0, 5.0]]), tf.constant([[3.0, 2.0]])]).numpy()
        array([[-2.,  3.]], dtype=float32)
    """

    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(
                "A `Subtract` layer should be called on exactly 2 inputs. "
                f"Received: input_shape={input_shape}"
            )

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(
                "A `Subtract` layer should be called on exactly 2 inputs. "
                f"Received: inputs={inputs}"
            )
        return math_ops.subtract(inputs[0], inputs[1])


@keras_export("keras.layers.subtract")
def subtract(inputs, **kwargs):
    """Functional interface to ``keras.layers.Subtract``."""
    return Subtract(**kwargs)(inputs)
