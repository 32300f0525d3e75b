"""``keras.losses``: ``get`` / ``serialize`` / ``deserialize`` and the name table."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.losses.loss import Loss
from tensorlet.keras.src.losses.losses import (
    LossFunctionWrapper,
    MeanSquaredError,
    mean_squared_error,
)
from tensorlet.keras.src.saving import serialization_lib

ALL_OBJECTS = {Loss, LossFunctionWrapper, MeanSquaredError, mean_squared_error}
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({"mse": mean_squared_error, "MSE": mean_squared_error})


@keras_export("keras.losses.serialize")
def serialize(loss):
    return serialization_lib.serialize_keras_object(loss)


@keras_export("keras.losses.deserialize")
def deserialize(name, custom_objects=None):
    return serialization_lib.deserialize_keras_object(
        name, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


@keras_export("keras.losses.get")
def get(identifier):
    """A loss function or object from a name (``'mse'``), a config dict or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
        if obj is None:
            raise ValueError(f"Could not interpret loss identifier: {identifier}")
    else:
        obj = identifier
    if callable(obj):
        if isinstance(obj, type):
            obj = obj()
        return obj
    raise ValueError(f"Could not interpret loss identifier: {identifier}")
