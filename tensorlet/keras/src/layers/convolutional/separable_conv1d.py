"""``keras.layers.SeparableConv1D``: 1-D separable convolution: a depthwise convolution then a 1x1 convolution"""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.convolutional.base_separable_conv import BaseSeparableConv


@keras_export("keras.layers.SeparableConv1D", "keras.layers.SeparableConvolution1D")
class SeparableConv1D(BaseSeparableConv):
    """1-D separable convolution: a depthwise convolution then a 1x1 convolution
    mixing the ``in_channels * depth_multiplier`` channels into ``filters``.

    Args:
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: int or 1-tuple (strides/dilation default 1).
        padding: ``'valid'`` (default) or ``'same'``.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        depth_multiplier: depthwise filters per input channel (default 1).
        activation, use_bias: as Dense.
        depthwise_*, pointwise_*, bias_*: initializers / regularizers / constraints of the
        ``depthwise_kernel``, ``pointwise_kernel`` and ``bias`` weights.

    Example:
        >>> keras.layers.SeparableConv1D(2, 3, padding='same')(tf.ones((1, 6, 3))).shape
        TensorShape([1, 6, 2])
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            rank=1,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            depth_multiplier=depth_multiplier,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
