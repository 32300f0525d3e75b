"""``keras.layers.Dropout``: zeroes inputs at ``rate`` while training, scaling the rest up."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator


@keras_export("keras.layers.Dropout")
class Dropout(Layer):
    """Sets input units to 0 with probability ``rate`` during training; kept units are scaled by
    ``1 / (1 - rate)`` so that the expected sum is unchanged. Inference passes inputs through.

    Args:
        rate: float in [0, 1), the fraction of units to drop.
        noise_shape: the shape of the binary mask (``None`` entries take the input's size),
            e.g. ``(batch_size, 1, features)`` to drop the same features at every timestep.
        seed: int seed of the layer's ``SeedGenerator`` (default None).

    Call arguments:
        inputs: a tensor of any rank.
        training: whether to drop (default False).

    Example:
        >>> layer = keras.layers.Dropout(0.5, seed=3)
        >>> layer(tf.ones((2, 4)), training=False).numpy().sum()
        8.0
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(
                f"Invalid value received for argument `rate`. Expected a float "
                f"value between 0 and 1. Received: rate={rate}"
            )
        self.rate = rate
        self.seed = seed
        self.noise_shape = noise_shape
        if rate > 0:
            self.seed_generator = SeedGenerator(seed)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(
                inputs, self.rate, noise_shape=self.noise_shape, seed=self.seed_generator
            )
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape}
        return {**super().get_config(), **config}
