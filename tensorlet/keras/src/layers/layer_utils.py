"""Helpers of ``Layer``: shapes and specs of call arguments, optional regularizers/constraints."""

import importlib

from tensorlet.keras.src import backend
from tensorlet.keras.src.backend.keras_tensor import KerasTensor


def any_keras_tensor(args, kwargs):
    for a in args:
        if isinstance(a, KerasTensor):
            return True
        if isinstance(a, (list, tuple, dict)) and backend.any_symbolic_tensors((a,)):
            return True
    return bool(kwargs) and backend.any_symbolic_tensors((), kwargs)


def shape_tuple(x):
    shape = getattr(x, "shape", None)
    if shape is None:
        return None
    if hasattr(shape, "as_list"):
        return tuple(shape.as_list()) if shape.rank is not None else None
    return tuple(shape)


def is_shape(s):
    return isinstance(s, (tuple, list)) and all(d is None or isinstance(d, int) for d in s)


def specs(shapes, dtype):
    """KerasTensors for a shape or a nested structure of shapes."""
    if shapes is None or is_shape(shapes):
        return KerasTensor(shapes, dtype=dtype) if shapes is not None else None
    if isinstance(shapes, dict):
        return {k: specs(v, dtype) for k, v in shapes.items()}
    return type(shapes)(specs(s, dtype) for s in shapes)


def get_optional(kind, identifier):
    """A regularizer / constraint from an identifier (their modules may not exist yet)."""
    if identifier is None or callable(identifier):
        return identifier
    try:
        module = importlib.import_module(f"tensorlet.keras.src.{kind}")
    except ImportError:
        raise ValueError(
            f"Could not interpret {kind[:-1]} identifier: {identifier} "
            f"(keras.{kind} is not available in tensorlet yet)"
        ) from None
    return module.get(identifier)
