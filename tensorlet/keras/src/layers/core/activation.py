"""``keras.layers.Activation``: applies an activation function."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import activations
from tensorlet.keras.src.layers.layer import Layer


@keras_export("keras.layers.Activation")
class Activation(Layer):
    """``activation(inputs)``.

    Args:
        activation: an activation function or the name of one (``'relu'``, ``'softmax'``).

    Example:
        >>> keras.layers.Activation('relu')(tf.constant([-1.0, 2.0])).numpy()
        array([0., 2.], dtype=float32)
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)
        self._build_at_init()

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {"activation": activations.serialize(self.activation)}
        return {**super().get_config(), **config}
