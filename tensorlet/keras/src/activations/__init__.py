"""``keras.activations``: ``get`` / ``serialize`` / ``deserialize`` and the name table."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.activations.activations import (
    celu,
    elu,
    exponential,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparsemax,
    squareplus,
    tanh,
    tanh_shrink,
    threshold,
)
from tensorlet.keras.src.saving import serialization_lib

ALL_OBJECTS = (
    relu,
    leaky_relu,
    relu6,
    softmax,
    celu,
    elu,
    selu,
    softplus,
    softsign,
    soft_shrink,
    squareplus,
    sparse_plus,
    silu,
    gelu,
    glu,
    tanh,
    tanh_shrink,
    threshold,
    sigmoid,
    exponential,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    hard_shrink,
    linear,
    mish,
    log_softmax,
    log_sigmoid,
    sparsemax,
)
ALL_OBJECTS_DICT = {fn.__name__: fn for fn in ALL_OBJECTS}
ALL_OBJECTS_DICT["swish"] = silu
ALL_OBJECTS_DICT["hard_swish"] = hard_silu


@keras_export("keras.activations.serialize")
def serialize(activation):
    """The name of a built-in activation (``'relu'``), else its config."""
    name = getattr(activation, "__name__", None)
    if name in ALL_OBJECTS_DICT and ALL_OBJECTS_DICT[name] is activation:
        return name
    config = serialization_lib.serialize_keras_object(activation)
    if not isinstance(config, dict) or "config" not in config:
        raise ValueError(
            f"Unknown activation function '{activation}' cannot be serialized due "
            f"to invalid function name. Make sure to use an activation name that "
            f"matches the references defined in activations.py or use "
            f"`@keras.saving.register_keras_serializable()` to register any custom "
            f"activations. config={config}"
        )
    return config


@keras_export("keras.activations.deserialize")
def deserialize(config, custom_objects=None):
    """The activation function described by ``config`` (a name or a config dict)."""
    return serialization_lib.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT
    )


@keras_export("keras.activations.get")
def get(identifier):
    """An activation function from a name, config or callable (None -> ``linear``).

    Example:
        >>> keras.activations.get('relu') is keras.activations.relu
        True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        obj = deserialize(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret activation function identifier: {identifier}")
