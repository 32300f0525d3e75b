"""``keras.layers.ELU``: ``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import activations
from tensorlet.keras.src.layers.layer import Layer


@keras_export("keras.layers.ELU")
class ELU(Layer):
    """Exponential linear unit.

    Args:
        alpha: the scale of the negative part (default 1.0).

    Example:
        >>> keras.layers.ELU(alpha=0.5)(tf.constant([1.0])).numpy()
        array([1.], dtype=float32)
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}
