"""``keras.regularizers``: ``get`` / ``serialize`` / ``deserialize`` and the name table."""

import inspect

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.regularizers.regularizers import (
    L1,
    L1L2,
    L2,
    OrthogonalRegularizer,
    Regularizer,
)
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.keras.src.utils.naming import to_snake_case

ALL_OBJECTS = (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT["l1_l2"] = L1L2


@keras_export("keras.regularizers.serialize")
def serialize(regularizer):
    return serialization_lib.serialize_keras_object(regularizer)


@keras_export("keras.regularizers.deserialize")
def deserialize(config, custom_objects=None):
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


@keras_export("keras.regularizers.get")
def get(identifier):
    """A regularizer from a name (``'l2'`` -> ``L2(0.01)``), a config dict or a callable.

    Example:
        >>> keras.regularizers.get('l1_l2').get_config()
        {'l1': 0.01, 'l2': 0.01}
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
        if obj is None:
            obj = deserialize(identifier)
        if obj is L1L2:  # the string form means 0.01 for both factors
            return L1L2(l1=0.01, l2=0.01)
    else:
        obj = identifier
    if callable(obj):
        if inspect.isclass(obj):
            obj = obj()
        return obj
    raise ValueError(f"Could not interpret regularizer identifier: {identifier}")
