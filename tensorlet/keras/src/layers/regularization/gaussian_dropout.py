"""``keras.layers.GaussianDropout``: multiplies by ``normal(1, sqrt(rate / (1 - rate)))``
while training."""

import math

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import array_ops, math_ops


@keras_export("keras.layers.GaussianDropout")
class GaussianDropout(Layer):
    """Multiplicative 1-centred Gaussian noise (training only).

    Args:
        rate: float in [0, 1], the drop probability (noise stddev ``sqrt(rate/(1-rate))``).
        seed: int seed (default None).

    Example:
        >>> keras.layers.GaussianDropout(0.3)(tf.ones((2,))).numpy()
        array([1., 1.], dtype=float32)
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value "
                f"between 0 and 1. Received: rate={rate}"
            )
        self.rate = rate
        self.seed = seed
        if rate > 0:
            self.seed_generator = SeedGenerator(seed)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            inputs = backend.convert_to_tensor(inputs)
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            noise = random.normal(
                shape=array_ops.shape(inputs),
                mean=1.0,
                stddev=stddev,
                dtype=inputs.dtype.name,
                seed=self.seed_generator,
            )
            return math_ops.multiply(inputs, noise)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
