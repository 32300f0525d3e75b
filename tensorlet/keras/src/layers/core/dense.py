"""``keras.layers.Dense``: ``activation(inputs @ kernel + bias)``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import activations, backend, initializers
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.layer_utils import get_optional
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import linalg_ops, math_ops


@keras_export("keras.layers.Dense")
class Dense(Layer):
    """A densely-connected layer: ``output = activation(dot(input, kernel) + bias)``.

    Inputs of rank > 2 are multiplied along their last axis (batched matmul).

    Args:
        units: positive int, the output size.
        activation: activation function or name (default None: linear).
        use_bias: whether to add a bias vector (default True).
        kernel_initializer: initializer of the kernel (default ``'glorot_uniform'``).
        bias_initializer: initializer of the bias (default ``'zeros'``).
        kernel_regularizer, bias_regularizer, activity_regularizer: optional regularizers.
        kernel_constraint, bias_constraint: optional constraints.

    Input shape:
        ``(batch_size, ..., input_dim)``.

    Output shape:
        ``(batch_size, ..., units)``.

    Example:
        >>> layer = keras.layers.Dense(3)
        >>> layer(tf.ones((2, 4))).shape
        TensorShape([2, 3])
        >>> [w.path for w in layer.weights]
        ['dense/kernel', 'dense/bias']
    """

    def __init__(
        self,
        units,
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
        quantization_config=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                "Received an invalid value for `units`, expected a positive "
                f"integer. Received: units={units}"
            )
        self.units = units
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
        self.quantization_config = quantization_config
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self._kernel = self.add_weight(
            name="kernel",
            shape=(input_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True

    @property
    def kernel(self):
        return self._kernel

    def call(self, inputs, training=None):
        inputs = backend.convert_to_tensor(inputs)
        kernel = self._kernel.value()
        if inputs.dtype != kernel.dtype:  # Keras' matmul computes in the promoted (float) dtype
            inputs = backend.cast(inputs, kernel.dtype.name)
        x = linalg_ops.matmul(inputs, kernel)
        if self.bias is not None:
            x = math_ops.add(x, self.bias)
        if self.activation is not None:
            x = self.activation(x)
        return x

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)[:-1] + (self.units,)

    def get_config(self):
        config = {
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": serialization_lib.serialize_keras_object(self.kernel_regularizer),
            "bias_regularizer": serialization_lib.serialize_keras_object(self.bias_regularizer),
            "kernel_constraint": serialization_lib.serialize_keras_object(self.kernel_constraint),
            "bias_constraint": serialization_lib.serialize_keras_object(self.bias_constraint),
            "quantization_config": self.quantization_config,
        }
        if self.activity_regularizer is not None:  # Keras' base config adds it when set
            config["activity_regularizer"] = serialization_lib.serialize_keras_object(
                self.activity_regularizer
            )
        if self.lora_rank:
            config["lora_rank"] = self.lora_rank
            config["lora_alpha"] = self.lora_alpha
        return {**super().get_config(), **config}
