"""``keras.layers.GlobalAveragePooling2D``: the mean over the 2 spatial axes."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.pooling.base_global_pooling import BaseGlobalPooling
from tensorlet.ops import reduction_ops


@keras_export("keras.layers.GlobalAveragePooling2D", "keras.layers.GlobalAvgPool2D")
class GlobalAveragePooling2D(BaseGlobalPooling):
    """the mean over the 2 spatial axes.

    Args:
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        keepdims: keep the spatial axes with size 1 (default False).

    Example:
        >>> keras.layers.GlobalAveragePooling2D()(tf.ones((2, 3, 4, 2))).shape
        TensorShape([2, 2])
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs):
        axes = self._spatial_axes(len(inputs.shape))
        return reduction_ops.reduce_mean(inputs, axis=axes, keepdims=self.keepdims)
