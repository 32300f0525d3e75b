"""Python indexing of tensors (``x[1:, None, ..., ::-1]``) and ``tf.strided_slice`` / ``tf.slice``.

``Tensor.__getitem__`` follows TF's ``_slice_helper``: ints, slices, ``...`` and ``tf.newaxis``
become one ``StridedSlice`` op with begin/end/strides and five bit masks; a Python list is read
like a tuple (``x[[0, 1]]`` is ``x[0, 1]``); a boolean tensor or array is a ``boolean_mask``;
anything else (floats, rank-1 tensors) is a TypeError. Out-of-range slices clip, out-of-range
integer indices raise InvalidArgumentError.
"""

import builtins
import functools
import numbers

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import array_ops as A
from tensorlet.ops import shape_rules as R
from tensorlet.ops.array_ops import invalid, py_ints
from tensorlet.ops.op_def import apply, defop

D = dtypes
_NEW, _SHRINK = -1, -2
newaxis = None
tf_export.constant(__name__, "newaxis", "newaxis")
_SLICE_INDEX_TYPES = (D.int16, D.int32, D.int64)
_SLICE_TYPE_ERROR = (
    "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
    "scalar tf.int32/tf.int64 tensors are valid indices"
)


# ---------------------------------------------------------------- the strided-slice spec


@functools.lru_cache(maxsize=4096)
def _strided_spec(
    shape, begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask
):
    """TF's ValidateStridedSliceOp for a static ``shape`` (dims may be None).

    Returns ``(slices, processing_shape, final_shape)``: one Python slice per input dim (None
    where the dim is unknown), the shape the slices give, and the shape after new axes and
    shrinks.
    """
    n = len(begin)
    if not len(end) == n == len(strides):
        raise invalid(
            "StridedSlice",
            "Expected begin, end, and strides to be 1D equal size "
            "tensors, but got shapes "
            f"[{n}], [{len(end)}], and [{len(strides)}] instead.",
        )
    if ellipsis_mask & (ellipsis_mask - 1):
        raise invalid("StridedSlice", "Multiple ellipses in slice spec not allowed")
    after, seen = 0, False
    for i in builtins.range(n):
        if seen and (new_axis_mask >> i) & 1:
            after += 1
        if (ellipsis_mask >> i) & 1:
            seen = True
    if not seen:  # an implicit ellipsis at the end covers the remaining dims
        ellipsis_mask |= 1 << n
        begin, end, strides = begin + (0,), end + (0,), strides + (1,)
        n += 1
    dims = len(shape)
    dense, final, full = [], [], 0
    for i in builtins.range(n):
        if (ellipsis_mask >> i) & 1:
            stop = min(dims - (n - i) + 1 + after, dims)
            while full < stop:
                dense.append((0, 0, 1, True, True, False))
                final.append(full)
                full += 1
        elif (new_axis_mask >> i) & 1:
            final.append(_NEW)
        else:
            if full == dims:
                raise invalid(
                    "StridedSlice",
                    f"Index out of range using input dim {full}; input has only {dims} dims",
                )
            shrink = bool((shrink_axis_mask >> i) & 1)
            dense.append(
                (begin[i], end[i], strides[i], (begin_mask >> i) & 1, (end_mask >> i) & 1, shrink)
            )
            final.append(_SHRINK if shrink else full)
            full += 1
    slices, proc = [], []
    for i, (dim, (b, e, s, bm, em, shrink)) in enumerate(zip(shape, dense)):
        sl, size = _dense_dim(i, dim, b, e, s, bm, em, shrink)
        slices.append(sl)
        proc.append(size)
    final_shape = tuple(1 if g == _NEW else proc[g] for g in final if g != _SHRINK)
    return tuple(slices), tuple(proc), final_shape


def _dense_dim(i, dim, b, e, s, bm, em, shrink):
    """One dimension of the spec: its Python slice and its size."""
    if s == 0:
        raise invalid("StridedSlice", f"strides[{i}] must be non-zero")
    if shrink and s <= 0:
        raise invalid("StridedSlice", "only stride 1 allowed on non-range indexing.")
    if dim is None:
        return None, (1 if shrink else None)
    if shrink:
        x = b + dim if b < 0 else b
        if not 0 <= x < dim:
            raise invalid("StridedSlice", f"slice index {x} of dimension {i} out of bounds.")
        return builtins.slice(x, x + 1), 1
    lo, hi = (0, dim) if s > 0 else (-1, dim - 1)

    def canonical(x, masked, c):
        if masked:
            return (lo, hi)[c] if s > 0 else (lo, hi)[1 - c]
        x = x + dim if x < 0 else x
        return lo if x < lo else min(x, hi)

    b, e = canonical(b, bm, 0), canonical(e, em, 1)
    length = e - b
    if length == 0 or (length < 0) != (s < 0):
        return builtins.slice(0, 0), 0
    size = -(-builtins.abs(length) // builtins.abs(s))
    return builtins.slice(b, e if e >= 0 else None, s), size


def _spec_of(shape, attrs):
    return _strided_spec(
        tuple(shape),
        attrs["begin"],
        attrs["end"],
        attrs["strides"],
        attrs["begin_mask"],
        attrs["end_mask"],
        attrs["ellipsis_mask"],
        attrs["new_axis_mask"],
        attrs["shrink_axis_mask"],
    )


def _strided_slice_forward(x, **attrs):
    slices, _, final = _spec_of(x.shape, attrs)
    return x[slices].reshape(final)


def _strided_slice_shape(op, inputs, attrs):
    shape = inputs[0].shape
    if shape.rank is None:
        return (TensorShape(None),)
    return (TensorShape(list(_spec_of(shape.as_list(), attrs)[2])),)


def _strided_slice_grad(op, dy):
    from tensorlet.ops import array_ops  # noqa: PLC0415 (import cycle)
    return [apply(strided_slice_grad_op, dy, shape=tuple(array_ops.shape_ints(op.inputs[0])), **op.attrs)]


def _strided_slice_grad_forward(dy, shape, **attrs):
    slices, proc, _ = _spec_of(shape, attrs)
    out = xp.zeros(shape, dtype=dy.dtype)
    out[slices] = dy.reshape(proc)
    return out


strided_slice_op = defop(
    "StridedSlice",
    _strided_slice_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=_strided_slice_shape,
    grad=_strided_slice_grad,
)
strided_slice_grad_op = defop(
    "StridedSliceGrad",
    _strided_slice_grad_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=lambda op, inputs, attrs: (TensorShape(list(attrs["shape"])),),
    grad=lambda op, ddy: [
        apply(strided_slice_op, ddy, **{k: v for k, v in op.attrs.items() if k != "shape"})
    ],
)


@tf_export("strided_slice")
def strided_slice(
    input_,
    begin,
    end,
    strides=None,
    begin_mask=0,
    end_mask=0,
    ellipsis_mask=0,
    new_axis_mask=0,
    shrink_axis_mask=0,
    var=None,
    name=None,
):
    """Extracts ``input_[begin:end:strides]`` per dimension, with TF's bit masks: bit i of
    ``begin_mask``/``end_mask`` ignores begin[i]/end[i], ``ellipsis_mask`` marks ``...``,
    ``new_axis_mask`` inserts a dimension and ``shrink_axis_mask`` drops one (an int index)."""
    begin, end = py_ints(begin), py_ints(end)
    strides = (1,) * len(begin) if strides is None else py_ints(strides)
    return apply(
        strided_slice_op,
        input_,
        begin=begin,
        end=end,
        strides=strides,
        begin_mask=int(begin_mask),
        end_mask=int(end_mask),
        ellipsis_mask=int(ellipsis_mask),
        new_axis_mask=int(new_axis_mask),
        shrink_axis_mask=int(shrink_axis_mask),
        name=name,
    )


# ---------------------------------------------------------------- tf.slice


def _slice_sizes(op_name, shape, begin, size):
    if len(begin) != len(shape) or len(size) != len(shape):
        raise invalid(
            op_name,
            f"Expected begin and size arguments to be 1-D tensors of size "
            f"{len(shape)}, but got shapes [{len(begin)}] and [{len(size)}] "
            "instead.",
        )
    out = []
    for i, (d, b, s) in enumerate(zip(shape, begin, size)):
        if d is None:
            out.append(None if s == -1 else s)
            continue
        if s == -1:
            s = d - b
        if not 0 <= b <= d:
            raise invalid(op_name, f"Expected begin[{i}] in [0, {d}], but got {b}")
        if not 0 <= s <= d - b:
            raise invalid(op_name, f"Expected size[{i}] in [0, {d - b}], but got {s}")
        out.append(s)
    return out


def _slice_forward(x, begin, size):
    size = _slice_sizes("Slice", x.shape, begin, size)
    return x[tuple(builtins.slice(b, b + s) for b, s in zip(begin, size))]


def _slice_shape(op, inputs, attrs):
    shape = inputs[0].shape
    if shape.rank is None:
        return (TensorShape([None if s == -1 else s for s in attrs["size"]]),)
    return (TensorShape(_slice_sizes(op.name, shape.as_list(), attrs["begin"], attrs["size"])),)


def _slice_grad(op, dy):
    """Pads dy back to the input's shape."""
    from tensorlet.ops import array_ops  # noqa: PLC0415 (import cycle)
    dims = array_ops.shape_ints(op.inputs[0])
    begin = op.get_attr("begin")
    paddings = [[b, d - b - s] for d, b, s in zip(dims, begin, dy.shape.as_list())]
    return [A.pad(dy, paddings)]


slice_op = defop(
    "Slice", _slice_forward, dtype_rule=R.same_dtype(), shape_rule=_slice_shape, grad=_slice_grad
)


@tf_export("slice")
def slice(input_, begin, size, name=None):
    """The block of ``input_`` starting at ``begin`` with extent ``size`` (-1: to the end)."""
    return apply(slice_op, input_, begin=py_ints(begin), size=py_ints(size), name=name)


# ---------------------------------------------------------------- Tensor.__getitem__


def _check_index(idx):
    if isinstance(idx, numbers.Integral):
        return
    dtype = getattr(idx, "dtype", None)
    try:
        ok = dtype is not None and D.as_dtype(dtype) in _SLICE_INDEX_TYPES
    except TypeError:
        ok = False
    shape = getattr(idx, "shape", None)
    if not ok or (shape is not None and len(shape) == 1):
        raise TypeError(f"{_SLICE_TYPE_ERROR}, got {idx!r}")


def _index_int(v):
    _check_index(v)
    if isinstance(v, Tensor) and not hasattr(v, "numpy"):
        # a symbolic bound (x[i:j] in tf.function): strided_slice takes bounds as attrs, so use
        # the value tracing can compute, if any (the trace is then specialised to that value:
        # polymorphic_function._ValueSpecialized)
        try:
            value = v._value
        except AttributeError:
            value = None
        if value is not None and value.ndim == 0:
            return int(value)
    return int(v)


def _getitem(tensor, slice_spec):
    """``tensor[slice_spec]`` with TF's strided-slice semantics."""
    if (
        isinstance(slice_spec, builtins.bool)
        or (isinstance(slice_spec, Tensor) and slice_spec.dtype is D.bool)
        or (isinstance(slice_spec, xp.ndarray) and slice_spec.dtype == xp.bool_)
    ):
        from tensorlet.ops import gather_ops

        return gather_ops.boolean_mask(tensor, slice_spec)
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = (slice_spec,)
    dynamic = _dynamic_index_axis(slice_spec)
    if dynamic is not None:
        return _gather_dynamic(tensor, slice_spec[dynamic], dynamic)
    begin, end, strides = [], [], []
    begin_mask = end_mask = ellipsis_mask = new_axis_mask = shrink_axis_mask = 0
    for i, s in enumerate(slice_spec):
        bit = 1 << i
        if type(s) is builtins.slice:
            if s.start is not None:
                begin.append(_index_int(s.start))
            else:
                begin.append(0)
                begin_mask |= bit
            if s.stop is not None:
                end.append(_index_int(s.stop))
            else:
                end.append(0)
                end_mask |= bit
            strides.append(1 if s.step is None else _index_int(s.step))
        elif s is Ellipsis:
            begin.append(0), end.append(0), strides.append(1)
            ellipsis_mask |= bit
        elif s is None:
            begin.append(0), end.append(0), strides.append(1)
            new_axis_mask |= bit
        else:
            b = _index_int(s)
            begin.append(b), end.append(b + 1), strides.append(1)
            shrink_axis_mask |= bit
    return apply(
        strided_slice_op,
        tensor,
        begin=tuple(begin),
        end=tuple(end),
        strides=tuple(strides),
        begin_mask=begin_mask,
        end_mask=end_mask,
        ellipsis_mask=ellipsis_mask,
        new_axis_mask=new_axis_mask,
        shrink_axis_mask=shrink_axis_mask,
    )


def _dynamic_index_axis(spec):
    """The position of a scalar integer index known only when a graph runs (``x[i]``, ``x[:, i]``
    inside ``tf.function``), when every other entry is a full slice; else None."""
    from tensorlet.framework.tensor_util import constant_value

    found = None
    for pos, s in enumerate(spec):
        if isinstance(s, Tensor) and type(s).__name__ == "SymbolicTensor":
            if s.dtype not in _SLICE_INDEX_TYPES or s.shape.rank != 0 or found is not None:
                return None
            if constant_value(s) is not None:
                return None  # known while tracing: the static strided slice handles it
            found = pos
        elif not (type(s) is builtins.slice and s == builtins.slice(None)):
            return None
    return found


def _gather_dynamic(tensor, index, axis):
    """``tensor[..., index, ...]`` as a gather on ``axis`` (negative indices count from the end)."""
    from tensorlet.ops import array_ops, cast_ops, comparison_ops, gather_ops, math_ops

    n = tensor.shape[axis]
    size = n if n is not None else array_ops.shape(tensor, out_type=index.dtype)[axis]
    size = cast_ops.cast(size, index.dtype)
    wrapped = math_ops.add(index, math_ops.multiply(
        cast_ops.cast(comparison_ops.less(index, cast_ops.cast(0, index.dtype)), index.dtype),
        size))
    return gather_ops.gather(tensor, wrapped, axis=axis)


Tensor._override_operator("__getitem__", _getitem)
