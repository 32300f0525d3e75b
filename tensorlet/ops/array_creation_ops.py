"""Tensor constructors: constant, zeros/ones/fill and their ``_like`` forms, range, linspace,
meshgrid, one_hot and sequence_mask.

``tf.constant`` follows TF's conversion rules (``tensor_conversion.convert_to_tensor``) plus its
own: a value with as many elements as ``shape`` is reshaped, a scalar is broadcast.
"""

import builtins

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape, as_shape
from tensorlet.ops import shape_rules as R
from tensorlet.ops.array_ops import (
    _int,
    _known,
    _not_differentiable,
    attr_not_allowed,
    broadcast_to,
    concat,
    expand_dims,
    invalid,
    py_int,
    py_ints,
    py_value,
    reshape,
)
from tensorlet.ops.op_def import apply, defop, dtype_mismatch

D = dtypes
_pyrange = builtins.range  # `range` below is tf.range
_INDEX_TYPES = (D.int32, D.int64)


# ---------------------------------------------------------------- one_hot, sequence_mask

_ONE_HOT_INDEX = (D.uint8, D.int8, D.int32, D.int64)


def _one_hot_dtypes(op, inputs, attrs):
    i, on, off = inputs
    if i.dtype not in _ONE_HOT_INDEX:
        raise attr_not_allowed(op, "TI", i.dtype, _ONE_HOT_INDEX)
    if off.dtype is not on.dtype:
        raise dtype_mismatch(op, 3, on.dtype, off.dtype)
    return (on.dtype,)


def _one_hot_shape(op, inputs, attrs):
    shape = inputs[0].shape
    if not _known(shape):
        return (TensorShape(None),)
    dims = shape.as_list()
    axis = attrs["axis"]
    if not -1 <= axis <= len(dims):
        raise invalid(
            op.name,
            f"Expected axis to be -1 or between [0, {len(dims) + 1}).  But received: {axis}",
        )
    dims.insert(len(dims) if axis == -1 else axis, attrs["depth"])
    return (TensorShape(dims),)


def _one_hot_forward(indices, on, off, depth, axis):
    if depth < 0:
        raise invalid("OneHot", f"depth must be non-negative, got: {depth}")
    hot = indices[..., None] == xp.arange(depth, dtype=indices.dtype)
    out = xp.where(hot, on, off)
    if axis != -1:
        out = xp.moveaxis(out, -1, axis)
    return out


one_hot_op = defop(
    "OneHot",
    _one_hot_forward,
    dtype_rule=_one_hot_dtypes,
    shape_rule=_one_hot_shape,
    grad=_not_differentiable,
)


@tf_export("one_hot")
def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """A one-hot tensor: ``on_value`` at ``indices`` along a new ``depth``-sized axis (last
    by default), ``off_value`` elsewhere; out-of-range indices give an all-off row."""
    indices = convert_to_tensor(indices)
    dtype = D.as_dtype(dtype) if dtype is not None else None
    if on_value is not None:
        on_value = convert_to_tensor(on_value, dtype_hint=dtype)
    if off_value is not None:
        off_value = convert_to_tensor(off_value, dtype_hint=dtype)
    present = [v for v in (on_value, off_value) if v is not None]
    if present:
        if dtype is not None:
            for v, what in ((on_value, "on_value"), (off_value, "off_value")):
                if v is not None and v.dtype != dtype:
                    raise TypeError(
                        f"dtype {v.dtype!r} of {what} does not match dtype parameter {dtype!r}"
                    )
        else:
            dtype = present[0].dtype
        if len(present) == 2 and on_value.dtype != off_value.dtype:
            raise TypeError(
                f"dtype {on_value.dtype!r} of on_value does not match dtype "
                f"{off_value.dtype!r} of off_value"
            )
    elif dtype is None:
        dtype = D.float32
    if on_value is None:
        on_value = _scalar(1, dtype)
    if off_value is None:
        off_value = _scalar(0, dtype)
    return apply(
        one_hot_op,
        indices,
        on_value,
        off_value,
        depth=py_int(depth),
        axis=-1 if axis is None else py_int(axis),
        name=name,
    )


def _sequence_mask(lengths, maxlen, dtype):
    from tensorlet.ops import math_ops, reduction_ops

    lengths = convert_to_tensor(lengths)
    if maxlen is None:
        maxlen = reduction_ops.reduce_max(lengths)
        maxlen = math_ops.maximum(_scalar(0, lengths.dtype), maxlen)
    else:
        maxlen = convert_to_tensor(maxlen)
    row = range(0, maxlen, 1, dtype=maxlen.dtype)
    if lengths.dtype is not maxlen.dtype:
        lengths = math_ops.cast(lengths, maxlen.dtype)
    mask = math_ops.less(row, expand_dims(lengths, -1))
    return mask if dtype == D.bool else math_ops.cast(mask, dtype)


@tf_export("sequence_mask")
def sequence_mask(lengths, maxlen=None, dtype=D.bool, name=None):
    """``mask[i..., j] = j < lengths[i...]`` with ``maxlen`` columns (max of lengths if None)."""
    return _sequence_mask(lengths, maxlen, D.as_dtype(dtype))


# ---------------------------------------------------------------- constructors


def _scalar(value, dtype):
    """A cached scalar constant of ``dtype`` (used for fills and one_hot defaults)."""
    key = (value, dtype)
    t = _SCALARS.get(key)
    if t is None:
        t = _SCALARS[key] = EagerTensor(_np_full((), value, dtype), dtype)
    return t


_SCALARS = {}


def _np_full(shape, value, dtype):
    if dtype is D.string:
        out = xp.empty(shape, dtype=object)
        out.fill(value)
        return out
    return xp.full(shape, value, dtype=dtype._np)


def _fill_forward(value, dims):
    for d in dims:
        if d < 0:
            raise invalid("Fill", f"dims[{list(dims).index(d)}] = {d} must be nonnegative.")
    return (
        xp.full(dims, value, dtype=value.dtype)
        if value.dtype != object
        else _np_full(dims, value.item(), D.string)
    )


def _fill_grad(op, dy):
    from tensorlet.ops import reduction_ops

    return [reduction_ops.reduce_sum(dy)]


fill_op = defop(
    "Fill",
    _fill_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=lambda op, inputs, attrs: (TensorShape(attrs["dims"]),),
    grad=_fill_grad,
)
zeros_like_op = defop(
    "ZerosLike",
    xp.zeros_like,
    dtype_rule=R.same_dtype(),
    shape_rule=R.unchanged,
    grad=_not_differentiable,
)
ones_like_op = defop(
    "OnesLike",
    xp.ones_like,
    dtype_rule=R.same_dtype(R.NUMERIC + (D.bool,)),
    shape_rule=R.unchanged,
    grad=_not_differentiable,
)


def _shape_arg(shape):
    if isinstance(shape, Tensor):
        return py_ints(shape) if shape.shape.rank else (py_int(shape),)
    if isinstance(shape, TensorShape):
        return tuple(shape.as_list())
    v = py_value(shape)
    return py_ints(v) if isinstance(v, (list, tuple)) else (_int(v),)


def _filled(shape, value, dtype, name=None):
    dims = _shape_arg(shape)
    if state.graph is None:
        for d in dims:
            if d < 0:
                raise invalid("Fill", f"dims[{dims.index(d)}] = {d} must be nonnegative.")
        return EagerTensor(_np_full(dims, value, dtype), dtype)
    return apply(fill_op, _scalar(value, dtype), dims=dims, name=name)


@tf_export("zeros")
def zeros(shape, dtype=D.float32, name=None, layout=None):
    """A tensor of ``shape`` filled with zeros (False / b'' for bool / string)."""
    dtype = D.as_dtype(dtype)
    return _filled(shape, b"" if dtype is D.string else 0, dtype, name)


@tf_export("ones")
def ones(shape, dtype=D.float32, name=None, layout=None):
    """A tensor of ``shape`` filled with ones."""
    return _filled(shape, 1, D.as_dtype(dtype), name)


@tf_export("fill")
def fill(dims, value, name=None, layout=None):
    """A tensor of shape ``dims`` filled with the scalar ``value``.

    Example:
        >>> tf.fill([2], 7).numpy()
        array([7, 7], dtype=int32)
    """
    return apply(fill_op, value, dims=_shape_arg(dims), name=name)


@tf_export("zeros_like")
def zeros_like(input, dtype=None, name=None, layout=None):
    """Zeros with the shape (and dtype, unless given) of ``input``."""
    input = (
        convert_to_tensor(input)
        if not getattr(type(input), "_is_variable", False)
        else input.value()
    )
    if dtype is not None and D.as_dtype(dtype) is not input.dtype:
        return zeros(input.shape.as_list(), D.as_dtype(dtype), name)
    return apply(zeros_like_op, input, name=name)


@tf_export("ones_like")
def ones_like(input, dtype=None, name=None, layout=None):
    """Ones with the shape (and dtype, unless given) of ``input``."""
    input = (
        convert_to_tensor(input)
        if not getattr(type(input), "_is_variable", False)
        else input.value()
    )
    if dtype is not None and D.as_dtype(dtype) is not input.dtype:
        return ones(input.shape.as_list(), D.as_dtype(dtype), name)
    return apply(ones_like_op, input, name=name)


def _zeros_of(shape, dtype):
    """Zeros of a static ``shape`` (used by the gradient tape for unconnected outputs)."""
    return zeros(shape, dtype)


@tf_export("constant")
def constant(value, dtype=None, shape=None, name="Const"):
    """A constant tensor from a Python value, NumPy array or tensor.

    With ``shape``, a value with as many elements is reshaped and a scalar is broadcast.
    Python ints wrap into unsigned types (``tf.constant(-1, tf.uint8)`` is 255) but Python
    floats do not become integers (TypeError).
    """
    if dtype is not None:
        dtype = D.as_dtype(dtype)
    if isinstance(value, EagerTensor):
        if dtype is not None and value.dtype is not dtype:
            raise TypeError(
                f"Expected tensor {value} with dtype {dtype!r}, but got dtype {value.dtype!r}."
            )
        t = value
    else:
        if isinstance(value, xp.ndarray):
            value = value.copy()  # a constant does not alias the caller's array
        t = convert_to_tensor(value, dtype=dtype)
    if shape is None:
        return t
    target = as_shape(shape)
    if t.shape == target:
        return t
    n, want = t.shape.num_elements(), target.num_elements()
    if n == want:
        return EagerTensor(xp.reshape(t._value, target.as_list()), t.dtype)
    if n == 1:
        return EagerTensor(xp.broadcast_to(t._value.reshape(()), target.as_list()).copy(), t.dtype)
    raise TypeError(
        f"Eager execution of tf.constant with unsupported shape. Tensor {t} "
        f"(converted from {value!r}) has {n} elements, but got `shape` "
        f"{target} with {want} elements)."
    )


def _range_forward(start, limit, delta):
    start, limit, delta = start[()], limit[()], delta[()]
    if delta == 0:
        raise invalid("Range", f"Requires delta != 0: {_fmt(delta)}")
    if delta > 0 and start > limit:
        raise invalid(
            "Range", f"Requires start <= limit when delta > 0: {_fmt(start)}/{_fmt(limit)}"
        )
    if delta < 0 and start < limit:
        raise invalid(
            "Range", f"Requires start >= limit when delta < 0: {_fmt(start)}/{_fmt(limit)}"
        )
    n = _range_size(start, limit, delta)
    return (start + xp.arange(n, dtype=start.dtype) * delta).astype(start.dtype)


def _range_size(start, limit, delta):
    if start.dtype.kind in "iu":
        return (builtins.abs(int(limit) - int(start)) + builtins.abs(int(delta)) - 1) // (
            builtins.abs(int(delta))
        )
    # TF computes the size in the element type: ceil(|(limit - start) / delta|)
    return int(xp.ceil(xp.abs((limit - start) / delta)))


def _range_shape(op, inputs, attrs):
    """(n,) when start/limit/delta are known while tracing (TF's shape function), else (None,)."""
    from tensorlet.framework.tensor_util import constant_value

    vals = [constant_value(t) for t in inputs]
    if any(v is None or xp.ndim(v) != 0 for v in vals):
        return (TensorShape([None]),)
    start, limit, delta = (xp.asarray(v)[()] for v in vals)
    if delta == 0 or (delta > 0 and start > limit) or (delta < 0 and start < limit):
        return (TensorShape([None]),)  # the kernel raises TF's error
    return (TensorShape([_range_size(start, limit, delta)]),)


def _fmt(v):
    v = v.item()
    return str(int(v)) if isinstance(v, builtins.float) and v.is_integer() else str(v)


range_op = defop(
    "Range",
    _range_forward,
    dtype_rule=R.same_dtype(
        (
            D.bfloat16,
            D.float16,
            D.float32,
            D.float64,
            D.int8,
            D.int16,
            D.int32,
            D.int64,
            D.uint16,
            D.uint32,
        )
    ),
    shape_rule=_range_shape,
    grad=_not_differentiable,
)
_RANGE_ORDER = (D.int32, D.int64, D.float16, D.bfloat16, D.float32, D.float64)


@tf_export("range")
def range(start, limit=None, delta=1, dtype=None, name="range"):
    """``[start, start + delta, ...]`` up to but excluding ``limit`` (``range(n)`` = 0..n-1).

    Example:
        >>> tf.range(2, 9, 3).numpy()
        array([2, 5, 8], dtype=int32)
    """
    if limit is None:
        start, limit = 0, start
    dtype = D.as_dtype(dtype) if dtype is not None else None
    args = [
        a if isinstance(a, Tensor) else convert_to_tensor(a, dtype=dtype)
        for a in (start, limit, delta)
    ]
    if dtype is None:
        dtype = builtins.max((a.dtype for a in args), key=_RANGE_ORDER.index)
    from tensorlet.ops import math_ops

    args = [a if a.dtype is dtype else math_ops.cast(a, dtype) for a in args]
    return apply(range_op, *args, name=None if name == "range" else name)


@tf_export("linspace")
def linspace(start, stop, num, name=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop`` (both included) along ``axis``;
    start/stop may be tensors (broadcast). Integer inputs give float64, like TF."""
    from tensorlet.ops import math_ops

    start = convert_to_tensor(start)
    stop = convert_to_tensor(stop, dtype=start.dtype)
    num = py_int(num)
    shape = R.broadcast_shapes(start.shape, stop.shape).as_list()
    start, stop = broadcast_to(start, shape), broadcast_to(stop, shape)
    rank = len(shape) + 1
    axis = axis % rank if -rank <= axis < rank else axis
    lo, hi = expand_dims(start, axis), expand_dims(stop, axis)
    n_steps = builtins.max(num - 1, 1)
    delta = math_ops.truediv(math_ops.subtract(hi, lo), convert_to_tensor(n_steps, lo.dtype))
    lo, hi = math_ops.cast(lo, delta.dtype), math_ops.cast(hi, delta.dtype)
    steps = math_ops.cast(range(1, n_steps, dtype=D.int64), delta.dtype)
    steps = reshape(steps, [builtins.max(num - 2, 0) if i == axis else 1 for i in _pyrange(rank)])
    inner = math_ops.add(lo, math_ops.multiply(delta, steps))
    out = concat([lo, inner, hi], axis)
    from tensorlet.ops import indexing

    size = [num if i == axis else d for i, d in enumerate(lo.shape.as_list())]
    return indexing.slice(out, [0] * rank, size)


@tf_export("meshgrid")
def meshgrid(*args, **kwargs):
    """Coordinate grids from 1-D ``args``; ``indexing='xy'`` (default) swaps the first two
    output dimensions, ``'ij'`` does not."""
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError(
            f"Argument `indexing` parameter must be either 'xy' or 'ij', got '{indexing}'"
        )
    args = [reshape(convert_to_tensor(a), [-1]) for a in args]
    n = len(args)
    sizes = [a.shape[0] for a in args]
    if indexing == "xy" and n > 1:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for i, a in enumerate(args):
        pos = i
        if indexing == "xy" and n > 1 and i < 2:
            pos = 1 - i
        s = [1] * n
        s[pos] = -1
        out.append(broadcast_to(reshape(a, s), sizes))
    return out
