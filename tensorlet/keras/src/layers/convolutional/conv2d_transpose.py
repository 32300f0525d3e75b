"""``keras.layers.Conv2DTranspose``: 2-D transposed convolution (the gradient of a convolution, "deconvolution")."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.convolutional.base_conv_transpose import BaseConvTranspose


@keras_export("keras.layers.Conv2DTranspose", "keras.layers.Convolution2DTranspose")
class Conv2DTranspose(BaseConvTranspose):
    """2-D transposed convolution (the gradient of a convolution, "deconvolution").

    Output length per spatial axis: ``length * stride + max(kernel - stride, 0)`` for
    ``'valid'``, ``length * stride`` for ``'same'``; with ``output_padding``:
    ``(length - 1) * stride + kernel - 2 * pad + output_padding``. The kernel has shape
    ``kernel_size + (filters, in_channels)``.

    Args:
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: int or 2-tuple (strides/dilation default 1).
        padding: ``'valid'`` (default) or ``'same'``.
        output_padding: int or 2-tuple, extra length on one side (default None).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint: as Dense.

    Example:
        >>> keras.layers.Conv2DTranspose(2, 3, strides=2)(tf.ones((1, 3, 4, 3))).shape
        TensorShape([1, 7, 9, 2])
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=(1, 1),
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
            rank=2,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            output_padding=output_padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
