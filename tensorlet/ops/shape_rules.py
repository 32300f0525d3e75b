"""Shared dtype and shape rules for ``defop`` (one table entry per op uses these helpers).

A dtype rule is ``rule(op, inputs, attrs) -> tuple of DTypes`` and a shape rule is
``rule(op, inputs, attrs) -> tuple of TensorShapes``; ``inputs`` are tensors or specs.
"""
from tensorlet.framework import dtypes, errors
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops.op_def import dtype_mismatch, dtype_not_allowed, no_kernel

D = dtypes
FLOAT = (D.float16, D.bfloat16, D.float32, D.float64)
COMPLEX = (D.complex64, D.complex128)
INEXACT = FLOAT + COMPLEX
SIGNED_INT = (D.int8, D.int16, D.int32, D.int64)
UNSIGNED_INT = (D.uint8, D.uint16, D.uint32, D.uint64)
INT = SIGNED_INT + UNSIGNED_INT
REAL = FLOAT + INT
NUMERIC = REAL + COMPLEX
ALL = NUMERIC + (D.bool, D.string)


# ---------------------------------------------------------------- dtype rules

def same_dtype(allowed=ALL, kernels=None, out=None):
    """All inputs share input 0's dtype, which must be in ``allowed`` (op def: InvalidArgument)
    and in ``kernels`` (registered CPU kernels: NotFound). Output: that dtype, or ``out``."""
    allowed = frozenset(allowed)
    kernels = frozenset(kernels) if kernels is not None else allowed
    outs = [None] * len(dtypes._INSTANCES)  # indexed by DType._index (no __hash__ calls)
    for d in kernels:
        outs[d._index] = ((out if out is not None else d),)

    def rule(op, inputs, attrs):
        d = inputs[0]._dtype
        for t in inputs:
            if t._dtype is not d:
                i = next(i for i, t in enumerate(inputs) if t._dtype is not d)
                raise dtype_mismatch(op, i, d, inputs[i]._dtype)
        r = outs[d._index]
        if r is None:
            raise (dtype_not_allowed(op, d, _ordered(allowed)) if d not in allowed
                   else no_kernel(op, d))
        return r

    return rule


def fixed(*out_dtypes, allowed=None):
    """Outputs have fixed dtypes; input 0 must be in ``allowed`` when given."""
    out = tuple(out_dtypes)
    allowed = frozenset(allowed) if allowed is not None else None

    def rule(op, inputs, attrs):
        if allowed is not None and inputs and inputs[0].dtype not in allowed:
            raise dtype_not_allowed(op, inputs[0].dtype, _ordered(allowed))
        return out

    return rule


def from_attr(attr, allowed=None):
    """The output dtype is the ``attr`` attribute (e.g. Cast's ``DstT``)."""

    def rule(op, inputs, attrs):
        if allowed is not None and inputs and inputs[0].dtype not in allowed:
            raise dtype_not_allowed(op, inputs[0].dtype, _ordered(allowed))
        return (attrs[attr],)

    return rule


def _ordered(ds):
    order = [D.bfloat16, D.float16, D.float32, D.float64, D.int8, D.int16, D.int32, D.int64,
             D.uint8, D.uint16, D.uint32, D.uint64, D.complex64, D.complex128, D.bool, D.string]
    return [d for d in order if d in ds]


# ---------------------------------------------------------------- shape rules

def unchanged(op, inputs, attrs):
    """Output 0 has input 0's shape."""
    return (inputs[0].shape,)


def broadcast(op, inputs, attrs):
    """NumPy/TF broadcasting of all inputs' shapes."""
    shape = inputs[0].shape
    for t in inputs[1:]:
        shape = broadcast_shapes(shape, t.shape, op.name)
    return (shape,)


def broadcast_shapes(a, b, op_name=None):
    """Broadcasts two TensorShapes; raises TF's 'Incompatible shapes' error."""
    if a.rank is None or b.rank is None:
        return TensorShape(None)
    da, db = list(a), list(b)
    n = max(len(da), len(db))
    da = [1] * (n - len(da)) + da
    db = [1] * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1 or y == x:
            out.append(x)
        elif x is None or y is None:
            out.append(x if y is None else y)
        else:
            raise errors.op_error(errors.InvalidArgumentError, op_name,
                                  f"Incompatible shapes: {_brackets(a)} vs. {_brackets(b)}")
    return TensorShape(out)


def _brackets(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def scalar(op, inputs, attrs):
    return (TensorShape([]),)


def reduced(op, inputs, attrs):
    """Shape after reducing input 0 over attrs['axis'] (None: all) with attrs['keepdims']."""
    shape = inputs[0].shape
    axis, keep = attrs.get("axis"), attrs.get("keepdims", False)
    if shape.rank is None:
        return (TensorShape(None),)
    rank = shape.rank
    if axis is None:
        axes = set(range(rank))
    else:
        axes = set()
        for a in (axis if isinstance(axis, (list, tuple)) else [axis]):
            a = int(a)
            if not -rank <= a < max(rank, 1):
                raise errors.op_error(errors.InvalidArgumentError, op.name,
                                      f"Invalid reduction dimension ({a} for input with {rank} dimension(s)")
            axes.add(a % rank if rank else 0)
    dims = [(1 if keep else None) if i in axes else d for i, d in enumerate(shape)]
    return (TensorShape([d for i, d in enumerate(dims) if keep or i not in axes]),)
