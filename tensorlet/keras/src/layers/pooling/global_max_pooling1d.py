"""``keras.layers.GlobalMaxPooling1D``: the maximum over the steps axis."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.pooling.base_global_pooling import BaseGlobalPooling
from tensorlet.ops import reduction_ops


@keras_export("keras.layers.GlobalMaxPooling1D", "keras.layers.GlobalMaxPool1D")
class GlobalMaxPooling1D(BaseGlobalPooling):
    """the maximum over the steps axis.

    Args:
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        keepdims: keep the spatial axes with size 1 (default False).

    Example:
        >>> keras.layers.GlobalMaxPooling1D()(tf.ones((2, 4, 3))).shape
        TensorShape([2, 3])
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        axes = self._spatial_axes(len(inputs.shape))
        return reduction_ops.reduce_max(inputs, axis=axes, keepdims=self.keepdims)
