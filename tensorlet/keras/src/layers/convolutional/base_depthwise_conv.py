"""``BaseDepthwiseConv``: per-channel convolution behind DepthwiseConv1D/2D."""

from tensorlet.keras.src import activations, backend, initializers
from tensorlet.keras.src.layers.convolutional.base_conv import (
    conv_output_length,
    standardize_padding,
    standardize_tuple,
)
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.layer_utils import get_optional
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_ops, conv_ops, math_ops


def depthwise_conv(inputs, kernel, strides, padding, data_format, dilation_rate):
    """Keras' depthwise convolution on tf.nn.depthwise_conv2d (1-D runs as height-1 2-D)."""
    channels_last = data_format == "channels_last"
    tf_format = "NHWC" if channels_last else "NCHW"
    if len(strides) == 1:
        axis = 1 if channels_last else 2
        inputs = array_ops.expand_dims(inputs, axis)
        kernel = array_ops.expand_dims(kernel, 0)
        strides = strides * 2
        dilation_rate = (1,) + tuple(dilation_rate)
        out = conv_ops.depthwise_conv2d(
            inputs,
            kernel,
            _full_strides(strides, channels_last),
            padding.upper(),
            data_format=tf_format,
            dilations=list(dilation_rate),
        )
        return array_ops.squeeze(out, [axis])
    return conv_ops.depthwise_conv2d(
        inputs,
        kernel,
        _full_strides(strides, channels_last),
        padding.upper(),
        data_format=tf_format,
        dilations=list(dilation_rate),
    )


def _full_strides(strides, channels_last):
    return [1, *strides, 1] if channels_last else [1, 1, *strides]


def spatial_output_shape(layer, input_shape):
    """Output shape of a depthwise/separable layer with ``out_channels`` channels."""
    input_shape = tuple(input_shape)
    channels_last = layer.data_format == "channels_last"
    spatial = input_shape[1:-1] if channels_last else input_shape[2:]
    out = tuple(
        conv_output_length(
            n, layer.kernel_size[i], layer.padding, layer.strides[i], layer.dilation_rate[i]
        )
        for i, n in enumerate(spatial)
    )
    channels = layer._output_channels(input_shape)
    if channels_last:
        return (input_shape[0],) + out + (channels,)
    return (input_shape[0], channels) + out


class BaseDepthwiseConv(Layer):
    """``activation(depthwise_conv(inputs, kernel) + bias)``; kernel
    ``kernel_size + (in_channels, depth_multiplier)``, output channels
    ``in_channels * depth_multiplier``."""

    def __init__(
        self,
        rank,
        depth_multiplier,
        kernel_size,
        strides=1,
        padding="valid",
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
        trainable=True,
        name=None,
        **kwargs,
    ):
        super().__init__(
            trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs
        )
        self.rank = rank
        self.depth_multiplier = depth_multiplier
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        self.data_format = backend.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = get_optional("regularizers", depthwise_regularizer)
        self.bias_regularizer = get_optional("regularizers", bias_regularizer)
        self.depthwise_constraint = get_optional("constraints", depthwise_constraint)
        self.bias_constraint = get_optional("constraints", bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        if self.depth_multiplier is not None and self.depth_multiplier <= 0:
            raise ValueError(
                "Invalid value for argument `depth_multiplier`. Expected a strictly "
                f"positive value. Received depth_multiplier={self.depth_multiplier}."
            )
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )

    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def _output_channels(self, input_shape):
        return input_shape[self._channel_axis()] * self.depth_multiplier

    def build(self, input_shape):
        axis = self._channel_axis()
        input_channel = input_shape[axis]
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={axis: input_channel})
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_size + (input_channel, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.depth_multiplier * input_channel,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None

    def call(self, inputs):
        inputs = backend.convert_to_tensor(inputs)
        outputs = depthwise_conv(
            inputs,
            self.kernel.value(),
            self.strides,
            self.padding,
            self.data_format,
            self.dilation_rate,
        )
        if self.use_bias:
            n = self.bias.shape[0]
            if self.data_format == "channels_last":
                bias_shape = (1,) * (self.rank + 1) + (n,)
            else:
                bias_shape = (1, n) + (1,) * self.rank
            outputs = math_ops.add(outputs, array_ops.reshape(self.bias, bias_shape))
        if self.activation is not None:
            return self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return spatial_output_shape(self, input_shape)

    def get_config(self):
        ser = serialization_lib.serialize_keras_object
        config = {
            "depth_multiplier": self.depth_multiplier,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "depthwise_regularizer": ser(self.depthwise_regularizer),
            "bias_regularizer": ser(self.bias_regularizer),
            "activity_regularizer": ser(self.activity_regularizer),
            "depthwise_constraint": ser(self.depthwise_constraint),
            "bias_constraint": ser(self.bias_constraint),
        }
        return {**super().get_config(), **config}
