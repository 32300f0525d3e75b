"""``keras.layers.Maximum``: the element-wise maximum of a list of tensors."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.merging.base_merge import Merge
from tensorlet.ops import math_ops


@keras_export("keras.layers.Maximum")
class Maximum(Merge):
    """the element-wise maximum of a list of tensors.

    Example:
        >>> keras.layers.Maximum()([tf.constant([[1.0, 5.0]]), tf.constant([[3.0, 2.0]])]).numpy()
        array([[3., 5.]], dtype=float32)
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = math_ops.maximum(output, x)
        return output


@keras_export("keras.layers.maximum")
def maximum(inputs, **kwargs):
    """Functional interface to ``keras.layers.Maximum``: ``Maximum(**kwargs)(inputs)``."""
    return Maximum(**kwargs)(inputs)
