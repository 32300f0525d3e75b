"""``keras.layers.SpatialDropout1D/2D/3D``: drops whole feature maps (channels)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.regularization.dropout import Dropout
from tensorlet.keras.src.random import random
from tensorlet.ops import array_ops


class BaseSpatialDropout(Dropout):
    """Dropout whose mask is shared over the spatial axes (one draw per sample and channel)."""

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            inputs = backend.convert_to_tensor(inputs)
            return random.dropout(
                inputs,
                self.rate,
                noise_shape=self._get_noise_shape(inputs),
                seed=self.seed_generator,
            )
        return inputs

    def _shape(self, inputs):
        static = inputs.shape.as_list()
        if None not in static:
            return static
        dynamic = array_ops.shape(inputs)
        return [dynamic[i] if d is None else d for i, d in enumerate(static)]

    def get_config(self):
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}


@keras_export("keras.layers.SpatialDropout1D")
class SpatialDropout1D(BaseSpatialDropout):
    """Drops entire channels of ``(batch, steps, channels)`` inputs while training (noise
    shape ``(batch, 1, channels)``).

    Args:
        rate: float in [0, 1], the fraction of channels to drop.
        seed: int seed (default None).

    Example:
        >>> keras.layers.SpatialDropout1D(0.5)(tf.ones((2, 3, 4)), training=False).shape
        TensorShape([2, 3, 4])
    """

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.input_spec = InputSpec(ndim=3)

    def _get_noise_shape(self, inputs):
        shape = self._shape(inputs)
        return (shape[0], 1, shape[2])


@keras_export("keras.layers.SpatialDropout2D")
class SpatialDropout2D(BaseSpatialDropout):
    """Drops entire channels of images while training (noise shape ``(batch, 1, 1, channels)``
    for channels_last).

    Args:
        rate: float in [0, 1]. data_format: default ``'channels_last'``. seed: int or None.
    """

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=4)

    def _get_noise_shape(self, inputs):
        shape = self._shape(inputs)
        if self.data_format == "channels_first":
            return (shape[0], shape[1], 1, 1)
        return (shape[0], 1, 1, shape[3])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


@keras_export("keras.layers.SpatialDropout3D")
class SpatialDropout3D(BaseSpatialDropout):
    """Drops entire channels of volumes while training (noise shape
    ``(batch, 1, 1, 1, channels)`` for channels_last).

    Args:
        rate: float in [0, 1]. data_format: default ``'channels_last'``. seed: int or None.
    """

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=5)

    def _get_noise_shape(self, inputs):
        shape = self._shape(inputs)
        if self.data_format == "channels_first":
            return (shape[0], shape[1], 1, 1, 1)
        return (shape[0], 1, 1, 1, shape[4])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
