"""``keras.layers.Conv3D``: 3-D convolution over volumes."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.convolutional.base_conv import BaseConv


@keras_export("keras.layers.Conv3D", "keras.layers.Convolution3D")
class Conv3D(BaseConv):
    """3-D convolution: ``activation(conv3d(inputs, kernel) + bias)``.

    Args:
        filters: the number of output channels.
        kernel_size: int or triple, the window size.
        strides: int or triple (default 1).
        padding: ``'valid'`` (default) or ``'same'`` (output size ``ceil(input / stride)``).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        dilation_rate: int or triple (default 1).
        groups: split the channels into this many independent groups (default 1).
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint: as Dense.

    Input shape:
        ``(batch_size, depth, height, width, channels)`` (channels_last).

    Output shape:
        ``(batch_size, new_depth, new_height, new_width, filters)``.

    Example:
        >>> keras.layers.Conv3D(4, 3)(tf.ones((1, 5, 5, 5, 2))).shape
        TensorShape([1, 3, 3, 3, 4])
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1, 1),
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            rank=3,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
