"""``keras.layers.GaussianNoise``: adds zero-centred Gaussian noise while training."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import array_ops, math_ops


@keras_export("keras.layers.GaussianNoise")
class GaussianNoise(Layer):
    """``inputs + normal(0, stddev)`` when ``training``; inputs unchanged otherwise.

    Args:
        stddev: float in [0, 1], the noise's standard deviation.
        seed: int seed (default None).

    Example:
        >>> keras.layers.GaussianNoise(0.1)(tf.ones((2,)), training=False).numpy()
        array([1., 1.], dtype=float32)
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= stddev <= 1:
            raise ValueError(
                "Invalid value received for argument `stddev`. Expected a float value "
                f"between 0 and 1. Received: stddev={stddev}"
            )
        self.stddev = stddev
        self.seed = seed
        if stddev > 0:
            self.seed_generator = SeedGenerator(seed)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            inputs = backend.convert_to_tensor(inputs)
            noise = random.normal(
                shape=array_ops.shape(inputs),
                mean=0.0,
                stddev=self.stddev,
                dtype=inputs.dtype.name,
                seed=self.seed_generator,
            )
            return math_ops.add(inputs, noise)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
