"""``keras.layers.GroupNormalization``: normalises groups of channels of each sample."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend, initializers
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.layer_utils import get_optional
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_ops, math_ops, nn_impl, unary_math_ops


@keras_export("keras.layers.GroupNormalization")
class GroupNormalization(Layer):
    """Splits the ``axis`` channels into ``groups`` and normalises each group of each sample
    over its channels and all other non-batch axes; then ``gamma * x + beta`` per channel.
    ``groups=1`` is layer normalisation, ``groups=channels`` instance normalisation.

    Args:
        groups: the number of groups (default 32; must divide the channels).
        axis: the channel axis (default -1).
        epsilon: default 1e-3.
        center, scale: use ``beta`` / ``gamma`` (default True).
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: as usual.

    Example:
        >>> keras.layers.GroupNormalization(groups=2)(tf.ones((2, 3, 4))).shape
        TensorShape([2, 3, 4])
    """

    def __init__(
        self,
        groups=32,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = get_optional("regularizers", beta_regularizer)
        self.gamma_regularizer = get_optional("regularizers", gamma_regularizer)
        self.beta_constraint = get_optional("constraints", beta_constraint)
        self.gamma_constraint = get_optional("constraints", gamma_constraint)

    def build(self, input_shape):
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(
                f"Axis {self.axis} of input tensor should have a defined dimension but the "
                "layer received an input with shape "
                f"{input_shape}."
            )
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(
                f"Number of groups ({self.groups}) cannot be more than the number of "
                f"channels ({dim})."
            )
        if dim % self.groups != 0:
            raise ValueError(
                f"Number of groups ({self.groups}) must be a multiple of the number of "
                f"channels ({dim})."
            )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: dim})
        if self.scale:
            self.gamma = self.add_weight(
                shape=(dim,),
                name="gamma",
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        else:
            self.gamma = None
        if self.center:
            self.beta = self.add_weight(
                shape=(dim,),
                name="beta",
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        else:
            self.beta = None

    def _group_shape(self, shape):
        shape = list(shape)
        axis = self.axis % len(shape)
        shape[axis] = shape[axis] // self.groups
        shape.insert(axis, self.groups)
        return shape, axis

    def call(self, inputs):
        inputs = backend.convert_to_tensor(inputs)
        input_dtype = inputs.dtype.name
        static = inputs.shape.as_list()
        dynamic = array_ops.shape(inputs)
        full = [dynamic[i] if d is None else d for i, d in enumerate(static)]
        group_shape, axis = self._group_shape(full)
        group_shape[0] = -1
        x = array_ops.reshape(
            inputs, array_ops.stack(group_shape) if None in static else group_shape
        )
        if input_dtype not in ("float32", "float64"):  # statistics in float32, as Keras does
            x = backend.cast(x, "float32")
        reduction_axes = [i for i in range(1, len(group_shape)) if i != axis]
        mean, variance = nn_impl.moments(x, axes=reduction_axes, keepdims=True)
        inv = math_ops.truediv(1.0, unary_math_ops.sqrt(math_ops.add(variance, self.epsilon)))
        broadcast_shape, _ = self._group_shape([1] * len(static))
        broadcast_shape[axis + 1] = static[axis] // self.groups
        if self.scale:
            gamma = backend.cast(array_ops.reshape(self.gamma, broadcast_shape), x.dtype.name)
            inv = math_ops.multiply(inv, gamma)
        res = math_ops.multiply(math_ops.multiply(mean, -1.0), inv)
        if self.center:
            beta = backend.cast(array_ops.reshape(self.beta, broadcast_shape), x.dtype.name)
            res = math_ops.add(res, beta)
        out = backend.cast(math_ops.add(math_ops.multiply(x, inv), res), input_dtype)
        return array_ops.reshape(out, dynamic)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        ser = serialization_lib.serialize_keras_object
        config = {
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": ser(self.beta_regularizer),
            "gamma_regularizer": ser(self.gamma_regularizer),
            "beta_constraint": ser(self.beta_constraint),
            "gamma_constraint": ser(self.gamma_constraint),
        }
        return {**super().get_config(), **config}
