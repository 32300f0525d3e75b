"""``keras.layers.AlphaDropout``: dropout that keeps SELU's self-normalising mean and
variance."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import array_ops, comparison_ops, math_ops

_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


@keras_export("keras.layers.AlphaDropout")
class AlphaDropout(Layer):
    """While training, dropped units are set to SELU's negative saturation
    ``-alpha * scale`` and the result is affinely rescaled (``a * x + b``) so the mean and
    variance are unchanged. Inference passes inputs through.

    Args:
        rate: float in [0, 1], the drop probability.
        noise_shape: shape of the keep mask (``None`` entries take the input's size).
        seed: int seed (default None).

    Example:
        >>> keras.layers.AlphaDropout(0.3)(tf.ones((2,))).numpy()
        array([1., 1.], dtype=float32)
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value "
                f"between 0 and 1. Received: rate={rate}"
            )
        self.rate = rate
        self.seed = seed
        self.noise_shape = noise_shape
        if rate > 0:
            self.seed_generator = SeedGenerator(seed)
        self.supports_masking = True
        self._build_at_init()

    def _concrete_noise_shape(self, inputs):
        static = inputs.shape.as_list()
        if self.noise_shape is None:
            shape = static
        else:
            shape = [n if n is not None else d for n, d in zip(self.noise_shape, static)]
        if None in shape:
            dynamic = array_ops.shape(inputs)
            shape = [dynamic[i] if d is None else d for i, d in enumerate(shape)]
        return shape

    def call(self, inputs, training=False):
        if training and 0 < self.rate < 1:
            inputs = backend.convert_to_tensor(inputs)
            dtype = inputs.dtype.name
            alpha_p = -_ALPHA * _SCALE
            uniform = random.uniform(self._concrete_noise_shape(inputs), seed=self.seed_generator)
            kept = backend.cast(comparison_ops.greater_equal(uniform, self.rate), dtype)
            a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
            b = -a * alpha_p * self.rate
            x = math_ops.add(
                math_ops.multiply(inputs, kept),
                math_ops.multiply(alpha_p, math_ops.subtract(1.0, kept)),
            )
            return math_ops.add(math_ops.multiply(a, x), b)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape}
        return {**super().get_config(), **config}
