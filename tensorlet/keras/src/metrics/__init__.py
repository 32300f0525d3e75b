"""``keras.metrics``: ``get`` / ``serialize`` / ``deserialize`` and the name table."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.metrics.accuracy_metrics import Accuracy, accuracy
from tensorlet.keras.src.metrics.metric import Metric
from tensorlet.keras.src.metrics.reduction_metrics import Mean, MeanMetricWrapper
from tensorlet.keras.src.saving import serialization_lib

ALL_OBJECTS = {Metric, Mean, MeanMetricWrapper, Accuracy}
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({"accuracy": accuracy, "acc": accuracy})


@keras_export("keras.metrics.serialize")
def serialize(metric):
    return serialization_lib.serialize_keras_object(metric)


@keras_export("keras.metrics.deserialize")
def deserialize(config, custom_objects=None):
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


@keras_export("keras.metrics.get")
def get(identifier):
    """A metric function or object from a name, a config dict or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if isinstance(obj, type) else obj
    raise ValueError(f"Could not interpret metric identifier: {identifier}")
