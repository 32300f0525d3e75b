"""Constant initializers: ``Constant``, ``Zeros``, ``Ones``, ``Identity``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.initializers.initializer import Initializer
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_creation_ops, cast_ops, linalg_ops


@keras_export("keras.initializers.Constant", "keras.initializers.constant")
class Constant(Initializer):
    """Fills with the scalar ``value``.

    Example:
        >>> keras.initializers.Constant(3.0)((2,)).numpy()
        array([3., 3.], dtype=float32)
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dtype = backend.standardize_dtype(dtype)
        value = cast_ops.cast(backend.convert_to_tensor(self.value), dtype)
        return value * array_creation_ops.ones(shape, dtype=dtype)

    def get_config(self):
        return {"value": serialization_lib.serialize_keras_object(self.value)}

    @classmethod
    def from_config(cls, config):
        return cls(value=serialization_lib.deserialize_keras_object(config["value"]))


@keras_export("keras.initializers.Zeros", "keras.initializers.zeros")
class Zeros(Initializer):
    """Fills with zeros."""

    def __call__(self, shape, dtype=None):
        return array_creation_ops.zeros(shape, dtype=backend.standardize_dtype(dtype))


@keras_export("keras.initializers.Ones", "keras.initializers.ones")
class Ones(Initializer):
    """Fills with ones."""

    def __call__(self, shape, dtype=None):
        return array_creation_ops.ones(shape, dtype=backend.standardize_dtype(dtype))


@keras_export(
    "keras.initializers.Identity",
    "keras.initializers.identity",
    "keras.initializers.IdentityInitializer",
)
class Identity(Initializer):
    """``gain * I`` for a 2-D shape.

    Args:
        gain: the scale of the identity matrix (default 1.0).
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        dtype = backend.standardize_dtype(dtype)
        return self.gain * linalg_ops.eye(shape[0], shape[1], dtype=dtype)

    def get_config(self):
        return {"gain": self.gain}
