"""``keras.layers.PReLU``: leaky ReLU with a learned slope per element."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import activations, initializers
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.layer_utils import get_optional
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import math_ops


@keras_export("keras.layers.PReLU")
class PReLU(Layer):
    """``relu(x) - alpha * relu(-x)`` with a trainable ``alpha`` of shape ``input_shape[1:]``
    (size 1 along ``shared_axes``).

    Args:
        alpha_initializer: default ``'Zeros'``.
        alpha_regularizer, alpha_constraint: optional.
        shared_axes: axes (1-based, batch excluded) that share one slope, e.g. ``[1, 2]`` for
            images.

    Example:
        >>> layer = keras.layers.PReLU(shared_axes=[1])
        >>> layer(tf.ones((2, 3, 2))).shape, layer.alpha.shape
        (TensorShape([2, 3, 2]), (1, 2))
    """

    def __init__(
        self,
        alpha_initializer="Zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = get_optional("regularizers", alpha_regularizer)
        self.alpha_constraint = get_optional("constraints", alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        if self.shared_axes is not None:
            for i in self.shared_axes:
                param_shape[i - 1] = 1
        self.alpha = self.add_weight(
            shape=tuple(param_shape),
            name="alpha",
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )
        axes = {}
        if self.shared_axes:
            for i in range(1, len(input_shape)):
                if i not in self.shared_axes:
                    axes[i] = input_shape[i]
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)

    def call(self, inputs):
        pos = activations.relu(inputs)
        neg = math_ops.multiply(
            math_ops.multiply(-1.0, self.alpha.value()),
            activations.relu(math_ops.multiply(-1.0, inputs)),
        )
        return math_ops.add(pos, neg)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        ser = serialization_lib.serialize_keras_object
        config = {
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": ser(self.alpha_regularizer),
            "alpha_constraint": ser(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
        return {**super().get_config(), **config}
