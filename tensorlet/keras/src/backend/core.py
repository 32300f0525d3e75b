"""Backend helpers shared by variables, layers and ops: conversions and the init scope."""

import contextlib

from tensorlet.framework import dtypes as tf_dtypes
from tensorlet.framework.context import state
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor as _tf_convert
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.keras.src.backend.dtypes import standardize_dtype
from tensorlet.ops import cast_ops


@contextlib.contextmanager
def init_scope():
    """Runs its block eagerly and unrecorded by tapes (TF's ``tf.init_scope``).

    Keras' TF backend creates variables (and runs their initializers) in ``tf.init_scope`` so
    that a layer built inside a ``tf.function`` trace gets eager variables.
    """
    graph, tapes = state.graph, state.tapes
    state.graph, state.tapes = None, []
    try:
        yield
    finally:
        state.graph, state.tapes = graph, tapes


def is_tensor(x):
    return isinstance(x, Tensor)


def convert_to_tensor(x, dtype=None):
    """Keras' TF-backend conversion: Python/NumPy values and variables become tensors;
    ``dtype`` casts an existing tensor (TF's ``convert_to_tensor`` would refuse)."""
    if dtype is not None:
        dtype = standardize_dtype(dtype)
    if getattr(x, "_is_keras_variable", False):
        x = x.value.value()
    if isinstance(x, Tensor):
        if dtype is not None and x.dtype.name != dtype:
            return cast_ops.cast(x, dtype)
        return x
    if dtype is None:
        return _tf_convert(x)
    try:
        return _tf_convert(x, dtype=dtype)
    except (TypeError, ValueError):  # e.g. a float64 NumPy array requested as float32
        return cast_ops.cast(_tf_convert(x), dtype)


def cast(x, dtype):
    dtype = standardize_dtype(dtype)
    x = convert_to_tensor(x)
    return x if x.dtype.name == dtype else cast_ops.cast(x, dtype)


def standardize_shape(shape):
    """A tuple of ints/None from a TensorShape, list or tuple; raises for bad entries."""
    if shape is None:
        raise ValueError("Undefined shapes are not supported.")
    if isinstance(shape, TensorShape):
        if shape.rank is None:
            raise ValueError("Undefined shapes are not supported.")
        shape = shape.as_list()
    if not hasattr(shape, "__iter__"):
        raise ValueError(f"Cannot convert '{shape}' to a shape.")
    out = []
    for e in shape:
        if e is None:
            out.append(None)
            continue
        if isinstance(e, bool) or not isinstance(e, int) and not hasattr(e, "__index__"):
            raise ValueError(
                f"Cannot convert '{shape}' to a shape. Found invalid entry '{e}' "
                f"of type '{type(e)}'. "
            )
        e = int(e)
        if e < 0:
            raise ValueError(
                f"Cannot convert '{shape}' to a shape. Negative dimensions are not allowed."
            )
        out.append(e)
    return tuple(out)


def tf_dtype(dtype):
    return tf_dtypes.as_dtype(standardize_dtype(dtype))
