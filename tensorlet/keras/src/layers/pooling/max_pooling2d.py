"""``keras.layers.MaxPooling2D``: 2-D max pooling: the largest value of each window."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.pooling.base_pooling import BasePooling


@keras_export("keras.layers.MaxPooling2D", "keras.layers.MaxPool2D")
class MaxPooling2D(BasePooling):
    """2-D max pooling: the largest value of each window.

    Args:
        pool_size: int or 2-tuple, the window (default (2, 2)).
        strides: int or 2-tuple (default None: ``pool_size``).
        padding: ``'valid'`` (default) or ``'same'``.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.

    Example:
        >>> keras.layers.MaxPooling2D()(tf.ones((1, 4, 6, 2))).shape
        TensorShape([1, 2, 3, 2])
    """

    def __init__(
        self,
        pool_size=(2, 2),
        strides=None,
        padding="valid",
        data_format=None,
        name=None,
        **kwargs,
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=2,
            pool_mode="max",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )
