"""``keras.layers.AveragePooling1D``: 1-D average pooling: the mean of each window."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.pooling.base_pooling import BasePooling


@keras_export("keras.layers.AveragePooling1D", "keras.layers.AvgPool1D")
class AveragePooling1D(BasePooling):
    """1-D average pooling: the mean of each window.

    Args:
        pool_size: int or 1-tuple, the window (default 2).
        strides: int or 1-tuple (default None: ``pool_size``).
        padding: ``'valid'`` (default) or ``'same'`` (windows at the border average only real inputs).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.

    Example:
        >>> keras.layers.AveragePooling1D()(tf.ones((1, 6, 2))).shape
        TensorShape([1, 3, 2])
    """

    def __init__(
        self,
        pool_size=2,
        strides=None,
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=1,
            pool_mode="average",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )
