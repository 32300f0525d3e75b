"""``keras.layers.GlobalAveragePooling1D``: the mean over the steps axis (mask-aware)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.pooling.base_global_pooling import BaseGlobalPooling
from tensorlet.ops import array_ops, math_ops, reduction_ops


@keras_export("keras.layers.GlobalAveragePooling1D", "keras.layers.GlobalAvgPool1D")
class GlobalAveragePooling1D(BaseGlobalPooling):
    """The mean over the steps axis; with a ``mask`` ``(batch, steps)`` only unmasked steps
    count: ``sum(x * mask) / sum(mask)``.

    Args:
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        keepdims: keep the steps axis with size 1 (default False).

    Example:
        >>> x = tf.constant([[[1.0], [3.0], [9.0]]])
        >>> keras.layers.GlobalAveragePooling1D()(x, mask=tf.constant([[True, True, False]])).numpy()
        array([[2.]], dtype=float32)
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        steps_axis = 1 if self.data_format == "channels_last" else 2
        if mask is None:
            return reduction_ops.reduce_mean(inputs, axis=steps_axis, keepdims=self.keepdims)
        mask = backend.cast(backend.convert_to_tensor(mask), inputs.dtype.name)
        mask = array_ops.expand_dims(mask, 2 if self.data_format == "channels_last" else 1)
        inputs = math_ops.multiply(inputs, mask)
        return math_ops.truediv(
            reduction_ops.reduce_sum(inputs, axis=steps_axis, keepdims=self.keepdims),
            reduction_ops.reduce_sum(mask, axis=steps_axis, keepdims=self.keepdims),
        )

    def compute_mask(self, inputs, mask=None):
        return None
