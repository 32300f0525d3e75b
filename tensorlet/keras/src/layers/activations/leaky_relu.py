"""``keras.layers.LeakyReLU``: ``x`` for ``x >= 0``, ``negative_slope * x`` otherwise."""

import warnings

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import activations
from tensorlet.keras.src.layers.layer import Layer


@keras_export("keras.layers.LeakyReLU")
class LeakyReLU(Layer):
    """Leaky ReLU. Note Keras' default slope 0.3 (``tf.nn.leaky_relu`` uses 0.2).

    Args:
        negative_slope: float >= 0 (default 0.3).

    Example:
        >>> keras.layers.LeakyReLU()(tf.constant([-1.0, 2.0])).numpy()
        array([-0.3,  2. ], dtype=float32)
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn(
                "Argument `alpha` is deprecated. Use `negative_slope` instead.", stacklevel=2
            )
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                "The negative_slope value of a Leaky ReLU layer cannot be None or "
                f"negative value. Expected a float. Received: negative_slope={negative_slope}"
            )
        self.negative_slope = negative_slope
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}
