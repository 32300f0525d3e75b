"""``keras.layers.Rescaling``: ``inputs * scale + offset`` in the compute dtype."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.preprocessing.tf_data_layer import TFDataLayer
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_ops


@keras_export("keras.layers.Rescaling")
class Rescaling(TFDataLayer):
    """Rescales inputs: ``output = inputs * scale + offset`` (inputs of any int or float dtype,
    outputs in the compute dtype).

    Args:
        scale: float (or per-channel array), the scale.
        offset: float (or per-channel array), the offset (default 0.0).

    Example:
        >>> keras.layers.Rescaling(1 / 127.5, offset=-1)(tf.constant([0.0, 255.0])).numpy()
        array([-1.,  1.], dtype=float32)
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        dtype = self.compute_dtype
        scale = backend.cast(self.scale, dtype)
        offset = backend.cast(self.offset, dtype)
        rank = scale.shape.rank
        if rank and backend.image_data_format() == "channels_first":
            scale = array_ops.reshape(scale, scale.shape.as_list() + [1] * (3 - rank))
        return backend.cast(inputs, dtype) * scale + offset

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {
            "scale": serialization_lib.serialize_keras_object(self.scale),
            "offset": serialization_lib.serialize_keras_object(self.offset),
        }
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in ("scale", "offset"):
            config[key] = serialization_lib.deserialize_keras_object(
                config[key], custom_objects=custom_objects
            )
        return cls(**config)
