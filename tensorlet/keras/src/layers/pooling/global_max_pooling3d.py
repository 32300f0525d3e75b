"""``keras.layers.GlobalMaxPooling3D``: the maximum over the 3 spatial axes."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.pooling.base_global_pooling import BaseGlobalPooling
from tensorlet.ops import reduction_ops


@keras_export("keras.layers.GlobalMaxPooling3D", "keras.layers.GlobalMaxPool3D")
class GlobalMaxPooling3D(BaseGlobalPooling):
    """the maximum over the 3 spatial axes.

    Args:
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        keepdims: keep the spatial axes with size 1 (default False).

    Example:
        >>> keras.layers.GlobalMaxPooling3D()(tf.ones((1, 2, 3, 2, 2))).shape
        TensorShape([1, 2])
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        axes = self._spatial_axes(len(inputs.shape))
        return reduction_ops.reduce_max(inputs, axis=axes, keepdims=self.keepdims)
