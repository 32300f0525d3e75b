"""``keras.dtype_policies``: the compute/variable dtypes of layers."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.dtype_policies.dtype_policy import (
    DTypePolicy,
    FloatDTypePolicy,
    dtype_policy,
)
from tensorlet.keras.src.saving import serialization_lib


@keras_export("keras.dtype_policies.serialize")
def serialize(policy):
    return serialization_lib.serialize_keras_object(policy)


@keras_export("keras.dtype_policies.deserialize")
def deserialize(config, custom_objects=None):
    return serialization_lib.deserialize_keras_object(
        config, module_objects={"DTypePolicy": DTypePolicy, "FloatDTypePolicy": FloatDTypePolicy}, custom_objects=custom_objects
    )


@keras_export("keras.dtype_policies.get")
def get(identifier):
    """A DTypePolicy from None (the global policy), a name, a config or a dtype."""
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    name = getattr(identifier, "name", None)
    if isinstance(name, str):
        return DTypePolicy(name)
    raise ValueError(
        f"Cannot interpret `dtype` argument. Expected a string or an instance of "
        f"DTypePolicy. Received: dtype={identifier}"
    )
