"""Overloads of Python builtins in converted code (``len``, ``range``, ``int``, ``float``, ``abs``).

Each one behaves like the builtin on Python values and like the TF op on tensors, e.g.
``range(n)`` with a tensor ``n`` becomes ``tf.range(n)`` so that ``for i in range(n)`` is staged.
"""
import builtins

from tensorlet.framework import dtypes
from tensorlet.framework.tensor import EagerTensor, Tensor

UNSPECIFIED = object()


def _is_tensor(x):
    return isinstance(x, Tensor)


def _is_tensor_array(x):
    return getattr(type(x), "_is_tensor_array", False)


def abs_(x):
    if _is_tensor(x):
        from tensorlet.ops import math_ops
        return math_ops.abs(x)
    return builtins.abs(x)


def float_(x=0):
    if _is_tensor(x):
        from tensorlet.ops import cast_ops
        return cast_ops.cast(x, dtypes.float32)
    return builtins.float(x)


def int_(x=0, base=UNSPECIFIED):
    if _is_tensor(x):
        if base is not UNSPECIFIED:
            raise NotImplementedError("base argument not yet supported for tensors")
        from tensorlet.ops import cast_ops
        return cast_ops.cast(x, dtypes.int32)
    if base is UNSPECIFIED:
        return builtins.int(x)
    return builtins.int(x, base)


def len_(s):
    """``len``: a Python int when the first dimension is static, else a ``tf.shape`` element."""
    if _is_tensor_array(s):
        return s.size()
    if _is_tensor(s):
        if isinstance(s, EagerTensor):
            return builtins.len(s)
        shape = s.shape
        if shape.rank == 0:
            raise ValueError(f"len requires a non-scalar tensor, got one of shape {shape}")
        if shape.rank is not None and shape[0] is not None:
            return shape[0]
        from tensorlet.ops import array_ops
        return array_ops.shape(s)[0]
    return builtins.len(s)


def range_(start_or_stop, stop=UNSPECIFIED, step=UNSPECIFIED):
    """``range``: ``tf.range`` when any argument is a tensor."""
    if any(_is_tensor(s) for s in (start_or_stop, stop, step)):
        from tensorlet.ops import array_creation_ops
        if step is not UNSPECIFIED:
            return array_creation_ops.range(start_or_stop, stop, step)
        if stop is not UNSPECIFIED:
            return array_creation_ops.range(start_or_stop, stop)
        return array_creation_ops.range(start_or_stop)
    if step is not UNSPECIFIED:
        return builtins.range(start_or_stop, stop, step)
    if stop is not UNSPECIFIED:
        return builtins.range(start_or_stop, stop)
    return builtins.range(start_or_stop)


BUILTIN_FUNCTIONS_MAP = {
    builtins.abs: abs_,
    builtins.float: float_,
    builtins.int: int_,
    builtins.len: len_,
    builtins.range: range_,
}


def overload_of(f):
    """The AutoGraph overload of builtin ``f`` (``f`` itself when it has none)."""
    try:
        return BUILTIN_FUNCTIONS_MAP.get(f, f)
    except TypeError:  # unhashable callable
        return f
