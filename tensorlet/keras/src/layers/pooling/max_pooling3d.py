"""``keras.layers.MaxPooling3D``: 3-D max pooling: the largest value of each window."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.pooling.base_pooling import BasePooling


@keras_export("keras.layers.MaxPooling3D", "keras.layers.MaxPool3D")
class MaxPooling3D(BasePooling):
    """3-D max pooling: the largest value of each window.

    Args:
        pool_size: int or 3-tuple, the window (default (2, 2, 2)).
        strides: int or 3-tuple (default None: ``pool_size``).
        padding: ``'valid'`` (default) or ``'same'``.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.

    Example:
        >>> keras.layers.MaxPooling3D()(tf.ones((1, 4, 4, 6, 1))).shape
        TensorShape([1, 2, 2, 3, 1])
    """

    def __init__(
        self,
        pool_size=(2, 2, 2),
        strides=None,
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=3,
            pool_mode="max",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )
