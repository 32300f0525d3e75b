"""``BaseConv``: the N-D convolution layer behind Conv1D/Conv2D/Conv3D."""

from tensorlet.keras.src import activations, backend, initializers
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.layer_utils import get_optional
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_ops, conv_ops, math_ops


def standardize_tuple(value, n, name, allow_zero=False):
    """``3`` -> ``(3, 3)``; validates a tuple of ``n`` positive (or zero) ints."""
    error_msg = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}"
    if isinstance(value, int):
        value_tuple = (value,) * n
    else:
        try:
            value_tuple = tuple(value)
        except TypeError:
            raise ValueError(error_msg) from None
        if len(value_tuple) != n:
            raise ValueError(error_msg)
        for v in value_tuple:
            if not isinstance(v, int):
                raise ValueError(f"{error_msg}including element {v} of type {type(v)}")  # noqa: TRY004 (Keras' class)
    if allow_zero:
        bad = [v for v in value_tuple if v < 0]
        req = ">= 0"
    else:
        bad = [v for v in value_tuple if v <= 0]
        req = "> 0"
    if bad:
        raise ValueError(
            f"{error_msg}, including values {set(bad)} that do not satisfy `value {req}`"
        )
    return value_tuple


def standardize_padding(value, allow_causal=False):
    if isinstance(value, (list, tuple)):
        return value
    padding = str(value).lower()
    allowed = {"valid", "same", "causal"} if allow_causal else {"valid", "same"}
    if padding not in allowed:
        raise ValueError(
            f"The `padding` argument must be a list/tuple or one of {allowed}. Received: {padding}"
        )
    return padding


def conv_output_length(size, kernel, padding, stride, dilation):
    if size is None:
        return None
    effective = (kernel - 1) * dilation + 1
    if padding in ("same", "causal"):
        return (size + stride - 1) // stride
    return (size - effective + stride) // stride


class BaseConv(Layer):
    """N-D convolution: ``activation(conv(inputs, kernel) + bias)``; kernel
    ``kernel_size + (in_channels // groups, filters)``."""

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        lora_rank=None,
        lora_alpha=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.filters = filters
        self.groups = groups
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding, allow_causal=rank == 1)
        self.data_format = backend.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = get_optional("regularizers", kernel_regularizer)
        self.bias_regularizer = get_optional("regularizers", bias_regularizer)
        self.kernel_constraint = get_optional("constraints", kernel_constraint)
        self.bias_constraint = get_optional("constraints", bias_constraint)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.input_spec = InputSpec(min_ndim=rank + 2)
        self._validate()

    def _validate(self):
        if self.filters is not None and self.filters <= 0:
            raise ValueError(
                "Invalid value for argument `filters`. Expected a strictly positive "
                f"value. Received filters={self.filters}."
            )
        if self.groups <= 0:
            raise ValueError(
                f"The number of groups must be a positive integer. Received: groups={self.groups}."
            )
        if self.filters is not None and self.filters % self.groups != 0:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of "
                f"groups. Received: groups={self.groups}, filters={self.filters}."
            )
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`."
                f" Received: strides={self.strides} and dilation_rate="
                f"{self.dilation_rate}"
            )

    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        axis = self._channel_axis()
        input_channel = input_shape[axis]
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={axis: input_channel})
        if input_channel % self.groups != 0:
            raise ValueError(
                "The number of input channels must be evenly divisible by the number "
                f"of groups. Received groups={self.groups}, but the input has "
                f"{input_channel} channels (full input shape is {input_shape})."
            )
        kernel_shape = self.kernel_size + (input_channel // self.groups, self.filters)
        self.compute_output_shape(input_shape)
        self._kernel = self.add_weight(
            name="kernel",
            shape=kernel_shape,
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
        self.built = True

    @property
    def kernel(self):
        return self._kernel

    def convolution_op(self, inputs, kernel):
        fmt = {1: "NWC", 2: "NHWC", 3: "NDHWC"}[self.rank]
        if self.data_format == "channels_first":
            fmt = {1: "NCW", 2: "NCHW", 3: "NCDHW"}[self.rank]
        padding = "VALID" if self.padding == "causal" else self.padding.upper()
        if self.groups == 1:
            return conv_ops.convolution(
                inputs,
                kernel,
                strides=list(self.strides),
                padding=padding,
                data_format=fmt,
                dilations=list(self.dilation_rate),
            )
        # TF runs grouped convolutions through XLA on CPU: one convolution per group here
        axis = self._channel_axis()
        xs = array_ops.split(inputs, self.groups, axis=axis)
        ks = array_ops.split(kernel, self.groups, axis=-1)
        outs = [
            conv_ops.convolution(
                x,
                k,
                strides=list(self.strides),
                padding=padding,
                data_format=fmt,
                dilations=list(self.dilation_rate),
            )
            for x, k in zip(xs, ks)
        ]
        return array_ops.concat(outs, axis=axis)

    def _causal_padding(self):
        left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        if self.data_format == "channels_last":
            return [[0, 0], [left, 0], [0, 0]]
        return [[0, 0], [0, 0], [left, 0]]

    def call(self, inputs):
        inputs = backend.convert_to_tensor(inputs)
        if self.padding == "causal":  # left-pad the time axis, then a VALID convolution
            inputs = array_ops.pad(inputs, self._causal_padding())
        outputs = self.convolution_op(inputs, self._kernel.value())
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
        input_shape = tuple(input_shape)
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        if len(spatial) != self.rank:
            raise ValueError(
                f"Input shape {input_shape} has the wrong rank for a {self.rank}D convolution."
            )
        out = []
        for i, size in enumerate(spatial):
            length = conv_output_length(
                size, self.kernel_size[i], self.padding, self.strides[i], self.dilation_rate[i]
            )
            if length is not None and length <= 0:
                raise ValueError(
                    "Computed output size would be negative. Received "
                    f"`inputs shape={input_shape}`, `kernel shape="
                    f"{self.kernel_size + (input_shape[self._channel_axis()], self.filters)}`"
                    f", `dilation_rate={self.dilation_rate}`."
                )
            out.append(length)
        if self.data_format == "channels_last":
            return (input_shape[0],) + tuple(out) + (self.filters,)
        return (input_shape[0], self.filters) + tuple(out)

    def get_config(self):
        config = {
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": serialization_lib.serialize_keras_object(self.kernel_regularizer),
            "bias_regularizer": serialization_lib.serialize_keras_object(self.bias_regularizer),
            "activity_regularizer": serialization_lib.serialize_keras_object(
                self.activity_regularizer
            ),
            "kernel_constraint": serialization_lib.serialize_keras_object(self.kernel_constraint),
            "bias_constraint": serialization_lib.serialize_keras_object(self.bias_constraint),
        }
        if self.lora_rank:
            config["lora_rank"] = self.lora_rank
            config["lora_alpha"] = self.lora_alpha
        return {**super().get_config(), **config}
