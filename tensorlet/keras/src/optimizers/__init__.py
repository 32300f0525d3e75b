"""``keras.optimizers``: ``get`` / ``serialize`` / ``deserialize`` and the name table."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.optimizers.adam import Adam
from tensorlet.keras.src.optimizers.optimizer import Optimizer
from tensorlet.keras.src.optimizers.sgd import SGD
from tensorlet.keras.src.saving import serialization_lib

ALL_OBJECTS = {Optimizer, Adam, SGD}
ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in ALL_OBJECTS}


@keras_export("keras.optimizers.serialize")
def serialize(optimizer):
    return serialization_lib.serialize_keras_object(optimizer)


@keras_export("keras.optimizers.deserialize")
def deserialize(config, custom_objects=None):
    if isinstance(config, dict) and config.get("class_name", "").lower() in ALL_OBJECTS_DICT:
        config = dict(config, class_name=config["class_name"].lower())
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


@keras_export("keras.optimizers.get")
def get(identifier):
    """An optimizer from a name (``'adam'``), a config dict or an Optimizer instance."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        cls = ALL_OBJECTS_DICT.get(identifier.lower())
        if cls is None:
            raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
        obj = cls()
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
