"""``BaseConvTranspose``: the N-D transposed convolution behind Conv1D/2D/3DTranspose."""

from tensorlet.keras.src import activations, backend, initializers
from tensorlet.keras.src.layers.convolutional.base_conv import (
    standardize_padding,
    standardize_tuple,
)
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.layer_utils import get_optional
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_ops, conv_ops, math_ops

_FORMATS = {
    ("channels_last", 1): "NWC",
    ("channels_last", 2): "NHWC",
    ("channels_last", 3): "NDHWC",
    ("channels_first", 1): "NCW",
    ("channels_first", 2): "NCHW",
    ("channels_first", 3): "NCDHW",
}


def deconv_output_length(length, kernel_size, padding, output_padding, stride, dilation):
    """Keras' output length of a transposed convolution along one axis."""
    if length is None:
        return None
    kernel_size = kernel_size + (kernel_size - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(kernel_size - stride, 0)
        return length * stride
    pad = kernel_size // 2 if padding == "same" else 0
    return (length - 1) * stride + kernel_size - 2 * pad + output_padding


class BaseConvTranspose(Layer):
    """``activation(conv_transpose(inputs, kernel) + bias)``; kernel
    ``kernel_size + (filters, in_channels)``."""

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        trainable=True,
        name=None,
        **kwargs,
    ):
        super().__init__(
            trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs
        )
        self.rank = rank
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        if output_padding is None:
            self.output_padding = None
        else:
            self.output_padding = standardize_tuple(
                output_padding, rank, "output_padding", allow_zero=True
            )
        self.data_format = backend.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = get_optional("regularizers", kernel_regularizer)
        self.bias_regularizer = get_optional("regularizers", bias_regularizer)
        self.kernel_constraint = get_optional("constraints", kernel_constraint)
        self.bias_constraint = get_optional("constraints", bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        if self.filters is not None and self.filters <= 0:
            raise ValueError(
                "Invalid value for argument `filters`. Expected a strictly positive "
                f"value. Received filters={self.filters}."
            )

    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        axis = self._channel_axis()
        input_channel = input_shape[axis]
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={axis: input_channel})
        self.kernel = self.add_weight(
            name="kernel",
            shape=self.kernel_size + (self.filters, input_channel),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
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
        inputs = backend.convert_to_tensor(inputs)
        static = inputs.shape.as_list()
        if any(d is None for d in static):
            dynamic = array_ops.shape(inputs)
            static = [dynamic[i] if d is None else d for i, d in enumerate(static)]
        output_shape = self._output_shape(static)
        outputs = conv_ops.conv_transpose(
            inputs,
            self.kernel.value(),
            output_shape,
            list(self.strides),
            padding=self.padding.upper(),
            data_format=_FORMATS[(self.data_format, self.rank)],
            dilations=list(self.dilation_rate),
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

    def _output_shape(self, input_shape):
        channels_last = self.data_format == "channels_last"
        spatial = input_shape[1:-1] if channels_last else input_shape[2:]
        out = []
        for i, length in enumerate(spatial):
            out.append(
                deconv_output_length(
                    length,
                    self.kernel_size[i],
                    self.padding,
                    None if self.output_padding is None else self.output_padding[i],
                    self.strides[i],
                    self.dilation_rate[i],
                )
            )
        if channels_last:
            return [input_shape[0]] + out + [self.filters]
        return [input_shape[0], self.filters] + out

    def compute_output_shape(self, input_shape):
        return tuple(self._output_shape(list(input_shape)))

    def get_config(self):
        ser = serialization_lib.serialize_keras_object
        config = {
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "output_padding": self.output_padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": ser(self.kernel_regularizer),
            "bias_regularizer": ser(self.bias_regularizer),
            "activity_regularizer": ser(self.activity_regularizer),
            "kernel_constraint": ser(self.kernel_constraint),
            "bias_constraint": ser(self.bias_constraint),
        }
        return {**super().get_config(), **config}
