"""``keras.layers.ActivityRegularization``: adds an L1/L2 penalty on its inputs to
``layer.losses``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.regularizers import regularizers


@keras_export("keras.layers.ActivityRegularization")
class ActivityRegularization(Layer):
    """Identity layer that adds ``(l1 * sum(|x|) + l2 * sum(x ** 2)) / batch_size`` to
    ``layer.losses`` on every call.

    Args:
        l1: L1 factor (default 0.0). l2: L2 factor (default 0.0).

    Example:
        >>> layer = keras.layers.ActivityRegularization(l1=0.1)
        >>> _ = layer(tf.ones((2, 3)))
        >>> float(layer.losses[0])
        0.30000001192092896
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2
        self._build_at_init()

    def call(self, inputs):
        return inputs  # Layer.__call__ adds the (batch-normalized) activity penalty

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
