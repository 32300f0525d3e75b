"""``keras.layers.Softmax``: softmax along ``axis``, with an optional keep-mask."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import activations, backend
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import array_ops, comparison_ops, math_ops, reduction_ops, unary_math_ops


def large_negative_number(dtype):
    """The additive mask value Keras uses: -3e4 for float16, else -1e9."""
    return -3e4 if str(dtype) == "float16" else -1e9


@keras_export("keras.layers.Softmax")
class Softmax(Layer):
    """``exp(x) / sum(exp(x), axis)``; masked positions (``mask`` False) are excluded and
    get 0 (a fully masked row gives zeros).

    Args:
        axis: int or tuple of ints (default -1).

    Call arguments:
        inputs: a tensor. mask: optional boolean (or 0/1) tensor broadcastable to ``inputs``.

    Example:
        >>> keras.layers.Softmax()(tf.constant([0.0, 0.0]), mask=tf.constant([True, False])).numpy()
        array([1., 0.], dtype=float32)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, mask=None):
        inputs = backend.convert_to_tensor(inputs)
        dtype = inputs.dtype.name
        if mask is not None:
            mask = backend.convert_to_tensor(mask)
            if mask.dtype.name != "bool":
                mask = comparison_ops.greater(mask, backend.cast(0.5, mask.dtype.name))
            fill = backend.convert_to_tensor(large_negative_number(dtype), dtype=dtype)
            inputs = array_ops.where(mask, inputs, fill)
        if isinstance(self.axis, (tuple, list)) and len(self.axis) > 1:
            lse = reduction_ops.reduce_logsumexp(inputs, axis=list(self.axis), keepdims=True)
            outputs = unary_math_ops.exp(math_ops.subtract(inputs, lse))
        else:
            axis = self.axis[0] if isinstance(self.axis, (tuple, list)) else self.axis
            outputs = activations.softmax(inputs, axis=axis)
        if mask is not None:
            outputs = math_ops.multiply(outputs, backend.cast(mask, outputs.dtype.name))
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
