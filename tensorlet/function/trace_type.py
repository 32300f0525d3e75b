"""Cache keys of ``tf.function`` calls (TF's ``trace_type``).

A call's arguments give ``(structure, shapes)``:

* ``structure``: everything but tensor shapes: containers by type (a list and a tuple differ),
  dict keys, tensor leaves by dtype, Python values by value (``1``, ``1.0`` and ``True`` are equal,
  as TF's ``Literal`` types are), ``tf.Variable`` by identity, other objects by hash or identity;
* ``shapes``: the shape tuple of each tensor leaf (``None`` dims for TensorSpecs / relaxed traces).

Tensor leaves (tensors, NumPy arrays, TensorSpecs) are collected, in the order the trace makes
its placeholders (``nest.flatten`` order: dicts by sorted key).
"""

from tensorlet.backend import xp
from tensorlet.framework.symbolic_tensor import SymbolicTensor
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.framework.tensor_spec import TensorSpec

_LITERALS = frozenset([int, float, bool, str, bytes, complex, type(None)])
_LIST, _TUPLE, _DICT = "L", "T", "D"


class _ById:
    """Key part of an unhashable object: equal only to itself (TF's weakref type)."""

    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    def __eq__(self, other):
        return type(other) is _ById and other.obj is self.obj

    def __hash__(self):
        return id(self.obj)


class _Var:
    """Key part of a tf.Variable argument (by identity; the trace captures it)."""

    __slots__ = ("var",)

    def __init__(self, var):
        self.var = var

    def __eq__(self, other):
        return type(other) is _Var and other.var is self.var

    def __hash__(self):
        return id(self.var)


def make_key(args, kwargs, tensors):
    """``(structure, shapes)`` of a call; appends the tensor leaves to ``tensors``."""
    struct = _walk(args, tensors)
    if kwargs:
        struct = (struct, _walk(kwargs, tensors))
    return struct, tuple(shape_of(t) for t in tensors)


def shape_of(t):
    if type(t) is EagerTensor:
        return t._value.shape
    return t.shape._dims


def _walk(x, tensors):
    t = type(x)
    if t is EagerTensor or t is SymbolicTensor:
        tensors.append(x)
        return x._dtype
    if t in _LITERALS:
        return x
    if t is tuple:
        return (_TUPLE,) + tuple([_walk(e, tensors) for e in x])
    if t is list:
        return (_LIST,) + tuple([_walk(e, tensors) for e in x])
    if t is dict or isinstance(x, dict):
        keys = _sorted(x)
        return (_DICT, t) + tuple([(k, _walk(x[k], tensors)) for k in keys])
    if isinstance(x, tuple):  # namedtuples
        return (t,) + tuple([_walk(e, tensors) for e in x])
    if isinstance(x, Tensor) or getattr(x, "_is_tensor_spec", False):
        tensors.append(x)
        return x.dtype
    if t is xp.ndarray:
        x = convert_to_tensor(x)
        tensors.append(x)
        return x._dtype
    if getattr(x, "_is_variable", False):
        return _Var(x)
    if isinstance(x, xp.generic):  # NumPy scalars are literals
        return x.item() if x.dtype.kind in "biufc" else x
    try:
        hash(x)
    except TypeError:
        return _ById(x)
    return x


def _sorted(d):
    try:
        return sorted(d)
    except TypeError:
        return sorted(d, key=repr)


def flatten_tensors(structure):
    """The tensor leaves of ``structure`` in key order (NumPy arrays converted)."""
    out = []
    _walk(structure, out)
    return out


# ---------------------------------------------------------------- shape relations


def shapes_subtype(shapes, general):
    """True when each shape in ``shapes`` is described by the one in ``general``."""
    for s, g in zip(shapes, general):
        if g is None or s is g:
            continue
        if s is None or len(s) != len(g):
            return False
        for a, b in zip(s, g):
            if b is not None and a != b:
                return False
    return True


def common_shapes(shapes, others):
    """The most specific shapes describing ``shapes`` and every entry of ``others``."""
    out = list(shapes)
    for other in others:
        for i, (a, b) in enumerate(zip(out, other)):
            if a is None or b is None or len(a) != len(b):
                out[i] = None
            else:
                out[i] = tuple(x if x == y else None for x, y in zip(a, b))
    return tuple(out)


def to_specs(structure, shapes, names=None):
    """``structure`` with its tensor leaves replaced by TensorSpecs of ``shapes``."""
    it = iter(shapes)

    def conv(x):
        t = type(x)
        if t is tuple or t is list:
            return t(conv(e) for e in x)
        if isinstance(x, dict):  # (leaves in sorted-key order, as _walk visits them)
            done = {k: conv(x[k]) for k in _sorted(x)}
            return type(x)((k, done[k]) for k in x)
        if isinstance(x, tuple):
            return t(*[conv(e) for e in x])
        if isinstance(x, Tensor) or getattr(x, "_is_tensor_spec", False) or t is xp.ndarray:
            dtype = convert_to_tensor(x).dtype if t is xp.ndarray else x.dtype
            return TensorSpec(TensorShape(next(it)), dtype)
        return x

    return conv(structure)


__all__ = ["common_shapes", "flatten_tensors", "make_key", "shapes_subtype", "to_specs"]
