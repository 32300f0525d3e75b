"""``BaseSeparableConv``: depthwise then 1x1 pointwise convolution (SeparableConv1D/2D)."""

from tensorlet.keras.src import activations, backend, initializers
from tensorlet.keras.src.layers.convolutional.base_conv import (
    standardize_padding,
    standardize_tuple,
)
from tensorlet.keras.src.layers.convolutional.base_depthwise_conv import (
    _full_strides,
    spatial_output_shape,
)
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.layer_utils import get_optional
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_ops, conv_ops, math_ops


def separable_conv(inputs, depthwise, pointwise, strides, padding, data_format, dilation_rate):
    """tf.nn.separable_conv2d (1-D runs as a height-1 2-D convolution), as Keras does."""
    channels_last = data_format == "channels_last"
    tf_format = "NHWC" if channels_last else "NCHW"
    squeeze_axis = None
    if len(strides) == 1:
        squeeze_axis = 1 if channels_last else 2
        inputs = array_ops.expand_dims(inputs, squeeze_axis)
        depthwise = array_ops.expand_dims(depthwise, 0)
        pointwise = array_ops.expand_dims(pointwise, 0)
        strides = tuple(strides) * 2
        dilation_rate = (1,) + tuple(dilation_rate)
    out = conv_ops.separable_conv2d(
        inputs,
        depthwise,
        pointwise,
        _full_strides(strides, channels_last),
        padding.upper(),
        data_format=tf_format,
        dilations=list(dilation_rate),
    )
    return out if squeeze_axis is None else array_ops.squeeze(out, [squeeze_axis])


class BaseSeparableConv(Layer):
    """Depthwise kernel ``kernel_size + (in_channels, depth_multiplier)``, pointwise kernel
    ``(1,) * rank + (in_channels * depth_multiplier, filters)``, bias ``(filters,)``."""

    def __init__(
        self,
        rank,
        depth_multiplier,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        trainable=True,
        name=None,
        **kwargs,
    ):
        super().__init__(
            trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs
        )
        self.rank = rank
        self.depth_multiplier = depth_multiplier
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        self.data_format = backend.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = get_optional("regularizers", depthwise_regularizer)
        self.pointwise_regularizer = get_optional("regularizers", pointwise_regularizer)
        self.bias_regularizer = get_optional("regularizers", bias_regularizer)
        self.depthwise_constraint = get_optional("constraints", depthwise_constraint)
        self.pointwise_constraint = get_optional("constraints", pointwise_constraint)
        self.bias_constraint = get_optional("constraints", bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        if self.depth_multiplier is not None and self.depth_multiplier <= 0:
            raise ValueError(
                "Invalid value for argument `depth_multiplier`. Expected a strictly "
                f"positive value. Received depth_multiplier={self.depth_multiplier}."
            )
        if self.filters is not None and self.filters <= 0:
            raise ValueError(
                "Invalid value for argument `filters`. Expected a strictly positive "
                f"value. Received filters={self.filters}."
            )

    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def _output_channels(self, input_shape):
        return self.filters

    def build(self, input_shape):
        axis = self._channel_axis()
        input_channel = input_shape[axis]
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={axis: input_channel})
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel",
            shape=self.kernel_size + (input_channel, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(1,) * self.rank + (self.depth_multiplier * input_channel, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.filters,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None

    def call(self, inputs):
        outputs = separable_conv(
            backend.convert_to_tensor(inputs),
            self.depthwise_kernel.value(),
            self.pointwise_kernel.value(),
            self.strides,
            self.padding,
            self.data_format,
            self.dilation_rate,
        )
        if self.use_bias:
            if self.data_format == "channels_last":
                bias_shape = (1,) * (self.rank + 1) + (self.filters,)
            else:
                bias_shape = (1, self.filters) + (1,) * self.rank
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
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "depthwise_regularizer": ser(self.depthwise_regularizer),
            "pointwise_regularizer": ser(self.pointwise_regularizer),
            "bias_regularizer": ser(self.bias_regularizer),
            "activity_regularizer": ser(self.activity_regularizer),
            "depthwise_constraint": ser(self.depthwise_constraint),
            "pointwise_constraint": ser(self.pointwise_constraint),
            "bias_constraint": ser(self.bias_constraint),
        }
        return {**super().get_config(), **config}
