"""``keras.layers.Average``: the element-wise mean of a list of tensors."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.merging.base_merge import Merge
from tensorlet.ops import math_ops


@keras_export("keras.layers.Average")
class Average(Merge):
    """the element-wise mean of a list of tensors.

    Example:
        >>> keras.layers.Average()([tf.constant([[1.0, 5.0]]), tf.constant([[3.0, 2.0]])]).numpy()
        array([[2. , 3.5]], dtype=float32)
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = math_ops.add(output, x)
        return math_ops.truediv(output, len(inputs))


@keras_export("keras.layers.average")
def average(inputs, **kwargs):
    """Functional interface to ``keras.layers.Average``: ``Average(**kwargs)(inputs)``."""
    return Average(**kwargs)(inputs)
