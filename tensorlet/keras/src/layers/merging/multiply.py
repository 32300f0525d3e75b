"""``keras.layers.Multiply``: the element-wise product of a list of tensors."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.merging.base_merge import Merge
from tensorlet.ops import math_ops


@keras_export("keras.layers.Multiply")
class Multiply(Merge):
    """the element-wise product of a list of tensors.

    Example:
        >>> keras.layers.Multiply()([tf.constant([[1.0, 5.0]]), tf.constant([[3.0, 2.0]])]).numpy()
        array([[ 3., 10.]], dtype=float32)
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = math_ops.multiply(output, x)
        return output


@keras_export("keras.layers.multiply")
def multiply(inputs, **kwargs):
    """Functional interface to ``keras.layers.Multiply``: ``Multiply(**kwargs)(inputs)``."""
    return Multiply(**kwargs)(inputs)
