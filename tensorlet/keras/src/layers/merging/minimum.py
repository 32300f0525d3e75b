"""``keras.layers.Minimum``: the element-wise minimum of a list of tensors."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.merging.base_merge import Merge
from tensorlet.ops import math_ops


@keras_export("keras.layers.Minimum")
class Minimum(Merge):
    """the element-wise minimum of a list of tensors.

    Example:
        >>> keras.layers.Minimum()([tf.constant([[1.0, 5.0]]), tf.constant([[3.0, 2.0]])]).numpy()
        array([[1., 2.]], dtype=float32)
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = math_ops.minimum(output, x)
        return output


@keras_export("keras.layers.minimum")
def minimum(inputs, **kwargs):
    """Functional interface to ``keras.layers.Minimum``: ``Minimum(**kwargs)(inputs)``."""
    return Minimum(**kwargs)(inputs)
