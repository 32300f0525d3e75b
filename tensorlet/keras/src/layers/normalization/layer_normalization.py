"""``keras.layers.LayerNormalization``: normalises each sample over ``axis``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend, initializers
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.layer_utils import get_optional
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_ops, math_ops, nn_impl, unary_math_ops


def layer_norm(x, gamma, beta, axis, epsilon, rms_scaling=False):
    """Keras' layer normalisation: ``x * inv + (beta - mean * inv)``, ``inv = gamma /
    sqrt(var + epsilon)``; ``rms_scaling`` multiplies ``x`` by ``gamma / sqrt(var + eps)``
    (Keras uses the variance there, not the mean square)."""
    ndims = x.shape.rank
    shape = [1] * ndims
    for dim in axis:
        shape[dim] = x.shape[dim]

    def broadcast(v):
        if v is not None and v.shape.rank != ndims and axis != [ndims - 1]:
            return array_ops.reshape(v, shape)
        return v

    mean, variance = nn_impl.moments(x, axes=axis, keepdims=True)
    inv = math_ops.truediv(1.0, unary_math_ops.sqrt(math_ops.add(variance, epsilon)))
    if rms_scaling:
        return math_ops.multiply(math_ops.multiply(x, inv), broadcast(gamma))
    gamma, beta = broadcast(gamma), broadcast(beta)
    if gamma is not None:
        inv = math_ops.multiply(inv, gamma)
    res = math_ops.multiply(math_ops.multiply(mean, -1.0), inv)
    if beta is not None:
        res = math_ops.add(res, beta)
    return math_ops.add(math_ops.multiply(x, inv), res)


@keras_export("keras.layers.LayerNormalization")
class LayerNormalization(Layer):
    """``gamma * (x - mean) / sqrt(var + epsilon) + beta`` with moments over ``axis`` of
    each sample.

    Args:
        axis: int or list of ints (default -1).
        epsilon: default 1e-3.
        center, scale: use ``beta`` / ``gamma`` (default True).
        rms_scaling: only scale by ``gamma / sqrt(var + epsilon)`` (no centering, no beta).
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: as usual.

    Example:
        >>> keras.layers.LayerNormalization()(tf.constant([[1.0, 3.0]])).numpy().round(3)
        array([[-0.999,  0.999]], dtype=float32)
    """

    def __init__(
        self,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        rms_scaling=False,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(
                "Expected an int or a list/tuple of ints for the argument 'axis', "
                f"but received: {axis}"
            )
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = get_optional("regularizers", beta_regularizer)
        self.gamma_regularizer = get_optional("regularizers", gamma_regularizer)
        self.beta_constraint = get_optional("constraints", beta_constraint)
        self.gamma_constraint = get_optional("constraints", gamma_constraint)
        self.supports_masking = True
        self.autocast = False

    def build(self, input_shape):
        if isinstance(self.axis, list):
            shape = tuple(input_shape[dim] for dim in self.axis)
        else:
            shape = (input_shape[self.axis],)
            self.axis = [self.axis]
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                trainable=True,
                autocast=False,
            )
        else:
            self.gamma = None
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                trainable=True,
                autocast=False,
            )
        else:
            self.beta = None

    def call(self, inputs):
        inputs = backend.convert_to_tensor(inputs)
        input_dtype = inputs.dtype.name
        x = inputs if input_dtype in ("float32", "float64") else backend.cast(inputs, "float32")
        dtype = x.dtype.name
        gamma = None if self.gamma is None else backend.cast(self.gamma.value(), dtype)
        beta = None if self.beta is None else backend.cast(self.beta.value(), dtype)
        axis = [a % x.shape.rank for a in self.axis]
        outputs = layer_norm(x, gamma, beta, axis, self.epsilon, self.rms_scaling)
        return backend.cast(outputs, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        if isinstance(self.axis, int):
            axes = [self.axis]
        else:
            axes = self.axis
        for axis in axes:
            if axis >= len(input_shape) or axis < -len(input_shape):
                raise ValueError(
                    f"Axis {axis} is out of bounds for input shape {input_shape}. "
                    f"Received: axis={self.axis}"
                )
        return input_shape

    def get_config(self):
        ser = serialization_lib.serialize_keras_object
        config = {
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": ser(self.beta_regularizer),
            "gamma_regularizer": ser(self.gamma_regularizer),
            "beta_constraint": ser(self.beta_constraint),
            "gamma_constraint": ser(self.gamma_constraint),
        }
        return {**super().get_config(), **config}
