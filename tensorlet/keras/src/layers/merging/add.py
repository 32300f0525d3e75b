"""``keras.layers.Add``: the element-wise sum of a list of tensors."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.merging.base_merge import Merge
from tensorlet.ops import math_ops


@keras_export("keras.layers.Add")
class Add(Merge):
    """the element-wise sum of a list of tensors.

    Example:
        >>> keras.layers.Add()([tf.constant([[1.0, 5.0]]), tf.constant([[3.0, 2.0]])]).numpy()
        array([[4., 7.]], dtype=float32)
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = math_ops.add(output, x)
        return output


@keras_export("keras.layers.add")
def add(inputs, **kwargs):
    """Functional interface to ``keras.layers.Add``: ``Add(**kwargs)(inputs)``."""
    return Add(**kwargs)(inputs)
