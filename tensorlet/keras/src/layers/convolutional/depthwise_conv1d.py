"""``keras.layers.DepthwiseConv1D``: 1-D depthwise convolution: each input channel convolved with its own"""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


@keras_export("keras.layers.DepthwiseConv1D")
class DepthwiseConv1D(BaseDepthwiseConv):
    """1-D depthwise convolution: each input channel convolved with its own
    ``depth_multiplier`` filters (``in_channels * depth_multiplier`` outputs).

    Args:
        kernel_size, strides, dilation_rate: int or 1-tuple (strides/dilation default 1).
        padding: ``'valid'`` (default) or ``'same'``.
        depth_multiplier: filters per input channel (default 1).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        activation, use_bias: as Dense.
        depthwise_initializer, bias_initializer, depthwise_regularizer, bias_regularizer,
        activity_regularizer, depthwise_constraint, bias_constraint: for the kernel
        (weight name ``kernel``, shape ``kernel_size + (in_channels, depth_multiplier)``) and bias.

    Example:
        >>> keras.layers.DepthwiseConv1D(3, depth_multiplier=2)(tf.ones((1, 6, 2))).shape
        TensorShape([1, 4, 4])
    """

    def __init__(
        self,
        kernel_size,
        strides=1,
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            rank=1,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            depth_multiplier=depth_multiplier,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
