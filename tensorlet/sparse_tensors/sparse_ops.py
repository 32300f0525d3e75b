"""``tf.sparse``: conversions, reordering/reshaping, arithmetic and reductions of SparseTensors.

``SparseToDense`` is an op (TF's gradient: ``gather_nd`` of the upstream for the values); the
other functions compute the new indices with NumPy (index data, no gradient) and move the
values with ``gather`` / ``unsorted_segment_sum`` / ``concat``, so gradients reach ``values``.
"""

import builtins
import itertools

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import array_ops, gather_ops, reduction_ops
from tensorlet.ops.op_def import apply, defop
from tensorlet.sparse_tensors.sparse_tensor import SparseTensor, int64_array

D = dtypes


def _i64(arr):
    return EagerTensor(xp.asarray(arr, dtype=xp.int64), D.int64)


def _sparse(x, fn):
    if not isinstance(x, SparseTensor):
        raise TypeError(f"Input must be a SparseTensor. Received: {type(x).__name__} ({fn})")
    return x


def _parts(sp):
    return sp.indices._value, sp.dense_shape._value


def _idx_text(row):
    return "[" + ",".join(str(int(v)) for v in row) + "]"


def _zero_of(dtype):
    if dtype == D.string:
        return EagerTensor(xp.array(b"", dtype=object), dtype)
    return EagerTensor(xp.zeros((), dtype=dtype._np), dtype)


# ---------------------------------------------------------------- SparseToDense (an op)


def _validate(indices, shape):
    bad = ((indices < 0) | (indices >= shape)).any(axis=1)
    if bad.any():
        i = int(xp.flatnonzero(bad)[0])
        raise errors.op_error(
            errors.InvalidArgumentError,
            "SparseToDense",
            f"indices[{i}] = {_idx_text(indices[i])} is out of bounds: need 0 <= index < "
            f"{_idx_text(shape)}",
        )
    if indices.shape[0] > 1:
        lin = (
            xp.ravel_multi_index(tuple(indices.T), tuple(int(d) for d in shape))
            if indices.shape[1]
            else xp.zeros(indices.shape[0], xp.int64)
        )
        step = lin[1:] - lin[:-1]
        if (step <= 0).any():
            i = int(xp.flatnonzero(step <= 0)[0]) + 1
            what = (
                "is repeated"
                if step[i - 1] == 0
                else (
                    "is out of order. Many sparse ops require sorted indices.\n    Use "
                    "`tf.sparse.reorder` to create a correctly ordered copy.\n\n"
                )
            )
            raise errors.op_error(
                errors.InvalidArgumentError,
                "SparseToDense",
                f"indices[{i}] = {_idx_text(indices[i])} {what}",
            )


def _sparse_to_dense_forward(indices, output_shape, values, default_value, validate_indices):
    shape = output_shape.astype(xp.int64).reshape(-1)
    idx = indices.astype(xp.int64)
    if idx.ndim == 0:  # one index of a rank-1 output
        idx = idx.reshape(1, 1)
    elif idx.ndim == 1:  # N indices of a rank-1 output
        idx = idx[:, None]
    if validate_indices:
        _validate(idx, shape)
    out = xp.empty(tuple(int(d) for d in shape), dtype=values.dtype)
    out[...] = default_value
    if idx.shape[0] and idx.shape[1] == 0:  # rank-0 output: the last value wins
        out[()] = values.reshape(-1)[-1]
    elif idx.shape[0]:
        out[tuple(idx.T)] = values
    return out


def _sparse_to_dense_dtypes(op, inputs, attrs):
    if inputs[2].dtype != inputs[3].dtype:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op.name,
            f"default_value should have dtype {inputs[2].dtype.name}",
        )
    return (inputs[2].dtype,)


def _sparse_to_dense_shape(op, inputs, attrs):
    value = getattr(inputs[1], "_value", None)
    if value is not None:
        return (TensorShape([int(d) for d in value.reshape(-1)]),)
    n = inputs[1].shape[0] if inputs[1].shape.rank else 0
    return (TensorShape(None if n is None else [None] * n),)


def _sparse_to_dense_grad(op, dy):
    """TF's ``_SparseToDenseGrad``: values get ``gather_nd(dy, indices)``, the default the rest."""
    values_grad = gather_ops.gather_nd(dy, op.inputs[0])
    default_grad = reduction_ops.reduce_sum(dy) - reduction_ops.reduce_sum(values_grad)
    return [None, None, values_grad, default_grad]


sparse_to_dense_op = defop(
    "SparseToDense",
    _sparse_to_dense_forward,
    dtype_rule=_sparse_to_dense_dtypes,
    shape_rule=_sparse_to_dense_shape,
    grad=_sparse_to_dense_grad,
)


@tf_export("sparse.to_dense")
def to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense tensor of ``sp_input``: ``default_value`` (zero) where no value is given.

    Example:
      >>> st = tf.sparse.SparseTensor([[0, 1], [1, 0]], [5, 6], [2, 2])
      >>> tf.sparse.to_dense(st).numpy()
      array([[0, 5],
             [6, 0]], dtype=int32)
    """
    sp = _sparse(sp_input, "to_dense")
    default = (
        _zero_of(sp.dtype)
        if default_value is None
        else convert_to_tensor(default_value, dtype=sp.dtype)
    )
    return apply(
        sparse_to_dense_op,
        sp.indices,
        sp.dense_shape,
        sp.values,
        default,
        validate_indices=bool(validate_indices),
        name=name,
    )


@tf_export("sparse.from_dense")
def from_dense(tensor, name=None):
    """A SparseTensor of the nonzero (non-empty) entries of ``tensor``, in row-major order."""
    tensor = convert_to_tensor(tensor)
    arr = xp.asarray(tensor._value)
    nz = arr != (b"" if tensor.dtype == D.string else 0)
    indices = _i64(
        xp.argwhere(xp.atleast_1d(nz) if arr.ndim else nz.reshape(())).reshape(-1, arr.ndim)
    )
    values = (
        gather_ops.gather_nd(tensor, indices)
        if arr.ndim
        else array_ops.reshape(tensor, [-1])[: int(nz)]
    )
    return SparseTensor(indices, values, _i64(arr.shape))


# ---------------------------------------------------------------- reordering / reshaping


def _permuted(sp, perm, indices=None, dense_shape=None):
    ind = _parts(sp)[0][perm] if indices is None else indices
    shape = sp.dense_shape if dense_shape is None else dense_shape
    return SparseTensor(_i64(ind), gather_ops.gather(sp.values, _i64(perm)), shape)


def _row_major_order(indices):
    if indices.shape[0] == 0 or indices.shape[1] == 0:
        return xp.arange(indices.shape[0])
    return xp.lexsort(indices.T[::-1])


@tf_export("sparse.reorder")
def reorder(sp_input, name=None):
    """The same SparseTensor with its indices in canonical row-major order."""
    sp = _sparse(sp_input, "reorder")
    return _permuted(sp, _row_major_order(_parts(sp)[0]))


@tf_export("sparse.reshape")
def reshape(sp_input, shape, name=None):
    """Reshapes the dense shape (one ``-1`` is inferred) keeping row-major element order."""
    sp = _sparse(sp_input, "reshape")
    indices, old = _parts(sp)
    new = int64_array(shape).reshape(-1).copy()
    total = int(xp.prod(old)) if old.size else 1
    unknown = xp.flatnonzero(new == -1)
    if unknown.size > 1:
        raise errors.InvalidArgumentError(
            None,
            None,
            "only one output dimension may be -1, not "
            f"both {int(unknown[0])} and {int(unknown[1])}",
        )
    known = int(xp.prod(new[new != -1])) if (new != -1).any() else 1
    if unknown.size:
        if known == 0 or total % known:
            raise errors.InvalidArgumentError(
                None,
                None,
                f"Input to reshape is a SparseTensor with {total} dense values, but "
                f"the requested shape requires a multiple of {known}. inputShape="
                f"{_idx_text(old)} outputShape={_idx_text(new)}",
            )
        new[unknown[0]] = total // known
    elif known != total:
        raise ValueError(
            f"Cannot reshape a tensor with {total} elements to shape "
            f"{_idx_text(new)} ({known} elements)."
        )
    lin = _linear(indices, old)
    out = (
        xp.stack(xp.unravel_index(lin, tuple(int(d) for d in new)), axis=1)
        if new.size
        else xp.zeros((indices.shape[0], 0), xp.int64)
    )
    return SparseTensor(_i64(out.reshape(indices.shape[0], new.size)), sp.values, _i64(new))


def _linear(indices, shape):
    if indices.shape[1] == 0:
        return xp.zeros(indices.shape[0], xp.int64)
    return xp.ravel_multi_index(tuple(indices.T), tuple(int(d) for d in shape))


@tf_export("sparse.transpose")
def transpose(sp_input, perm=None, name=None):
    """Permutes the dimensions (default: reversed); the result is reordered row-major."""
    sp = _sparse(sp_input, "transpose")
    indices, shape = _parts(sp)
    rank = shape.shape[0]
    perm = list(xp.arange(rank)[::-1]) if perm is None else [int(p) for p in int64_array(perm)]
    if sorted(perm) != list(builtins.range(rank)):
        raise errors.InvalidArgumentError(None, None, f"{perm} is not a valid permutation")
    new = indices[:, perm]
    order = _row_major_order(new)
    return _permuted(sp, order, new[order], _i64(shape[perm]))


@tf_export("sparse.expand_dims")
def expand_dims(sp_input, axis=None, name=None):
    """Inserts a dimension of size 1 at ``axis`` (default -1)."""
    sp = _sparse(sp_input, "expand_dims")
    indices, shape = _parts(sp)
    rank = shape.shape[0]
    axis = -1 if axis is None else int(int64_array(axis))
    if not -rank - 1 <= axis <= rank:
        raise ValueError(f"Axis {axis} out of range for sparse tensor of rank {rank}")
    axis %= rank + 1
    new = xp.insert(indices, axis, 0, axis=1)
    return SparseTensor(_i64(new), sp.values, _i64(xp.insert(shape, axis, 1)))


@tf_export("sparse.eye")
def eye(num_rows, num_columns=None, dtype=D.float32, name=None):
    """An identity matrix as a SparseTensor (``min(rows, cols)`` ones on the diagonal)."""
    rows = int(int64_array(num_rows))
    cols = rows if num_columns is None else int(int64_array(num_columns))
    n = min(rows, cols)
    diag = xp.arange(n)
    dtype = D.as_dtype(dtype)
    return SparseTensor(
        _i64(xp.stack([diag, diag], axis=1)),
        EagerTensor(xp.ones(n, dtype=dtype._np), dtype),
        _i64([rows, cols]),
    )


# ---------------------------------------------------------------- selections


@tf_export("sparse.retain")
def retain(sp_input, to_retain):
    """Keeps the entries where ``to_retain`` (a bool vector, one per value) is True."""
    sp = _sparse(sp_input, "retain")
    mask = xp.asarray(convert_to_tensor(to_retain, dtype=D.bool)._value)
    n = int(sp.indices.shape[0])
    if mask.ndim != 1 or mask.shape[0] != n:
        raise ValueError(f"Shapes ({n},) and {tuple(mask.shape)} are incompatible")
    keep = xp.flatnonzero(mask)
    return _permuted(sp, keep)


@tf_export("sparse.slice")
def slice(sp_input, start, size, name=None):
    """The entries inside the box ``[start, start + size)``, re-indexed from ``start``."""
    sp = _sparse(sp_input, "slice")
    indices, shape = _parts(sp)
    start, size = int64_array(start).reshape(-1), int64_array(size).reshape(-1)
    if start.shape != shape.shape or size.shape != shape.shape:
        raise errors.InvalidArgumentError(
            None, None, f"Expected start and size to have {shape.shape[0]} elements each"
        )
    stop = start + size
    keep = xp.flatnonzero(((indices >= start) & (indices < stop)).all(axis=1))
    new_shape = xp.maximum(0, xp.minimum(stop, shape) - start)
    return _permuted(sp, keep, indices[keep] - start, _i64(new_shape))


@tf_export("sparse.concat")
def concat(axis, sp_inputs, expand_nonconcat_dims=False, name=None):
    """Concatenates SparseTensors along ``axis`` (other dims equal, or the largest with
    ``expand_nonconcat_dims``); the result is in row-major order."""
    inputs = [_sparse(s, "concat") for s in sp_inputs]
    if not inputs:
        raise ValueError("sp_inputs must be a non-empty list of SparseTensors")
    shapes = [_parts(s)[1] for s in inputs]
    rank = shapes[0].shape[0]
    axis = int(int64_array(axis))
    if not -rank <= axis < rank:
        raise errors.InvalidArgumentError(None, None, f"Concat dimension out of range: {axis}")
    axis %= rank
    out_shape = shapes[0].copy()
    if expand_nonconcat_dims:
        out_shape = xp.max(xp.stack(shapes), axis=0)
    else:
        for i, s in enumerate(shapes):
            other = xp.delete(s, axis) != xp.delete(shapes[0], axis)
            if s.shape[0] != rank or other.any():
                raise errors.InvalidArgumentError(
                    None,
                    None,
                    f"Input shapes must match: expected {_idx_text(shapes[0])} but "
                    f"got {_idx_text(s)} at position {i}",
                )
    offsets = xp.concatenate([[0], xp.cumsum([int(s[axis]) for s in shapes])])
    out_shape[axis] = offsets[-1]
    moved = []
    for off, s in zip(offsets, inputs):
        ind = _parts(s)[0].copy()
        ind[:, axis] += off
        moved.append(ind)
    indices = xp.concatenate(moved) if moved else xp.zeros((0, rank), xp.int64)
    values = array_ops.concat([s.values for s in inputs], 0)
    order = _row_major_order(indices)
    return SparseTensor(
        _i64(indices[order]), gather_ops.gather(values, _i64(order)), _i64(out_shape)
    )


@tf_export("sparse.fill_empty_rows")
def fill_empty_rows(sp_input, default_value, name=None):
    """Adds ``[row, 0, ...] = default_value`` for every row without entries.

    Returns ``(sp_output, empty_row_indicator)``; the output is ordered by row.
    """
    sp = _sparse(sp_input, "fill_empty_rows")
    indices, shape = _parts(sp)
    default = convert_to_tensor(default_value, dtype=sp.dtype)
    nrows, n = int(shape[0]), indices.shape[0]
    counts = xp.bincount(indices[:, 0], minlength=nrows)[:nrows] if n else xp.zeros(nrows, int)
    empty = counts == 0
    empty_rows = xp.flatnonzero(empty)
    filler = xp.zeros((empty_rows.shape[0], shape.shape[0]), xp.int64)
    filler[:, 0] = empty_rows
    all_indices = xp.concatenate([indices, filler])
    order = xp.argsort(all_indices[:, 0], kind="stable")
    table = array_ops.concat([sp.values, array_ops.reshape(default, [1])], 0)
    take = xp.where(order < n, order, n)
    out = SparseTensor(
        _i64(all_indices[order]), gather_ops.gather(table, _i64(take)), sp.dense_shape
    )
    return out, EagerTensor(empty, D.bool)


@tf_export("sparse.reset_shape")
def reset_shape(sp_input, new_shape=None):
    """The same entries with dense shape ``new_shape`` (default: the tight bounding box)."""
    sp = _sparse(sp_input, "reset_shape")
    indices, shape = _parts(sp)
    if new_shape is None:
        tight = indices.max(axis=0) + 1 if indices.shape[0] else xp.zeros_like(shape)
        return SparseTensor(sp.indices, sp.values, _i64(tight))
    new = int64_array(new_shape).reshape(-1)
    if new.shape != shape.shape:
        raise ValueError(f"Shapes must be equal rank, but are {new.shape[0]} and {shape.shape[0]}")
    if (new < shape).any():
        raise errors.InvalidArgumentError(
            None,
            None,
            "Condition x >= y did not hold: new_shape must not be smaller than "
            f"the current shape {_idx_text(shape)}",
        )
    return SparseTensor(sp.indices, sp.values, _i64(new))


@tf_export("sparse.split")
def split(sp_input=None, num_split=None, axis=None, name=None):
    """Splits along ``axis`` into ``num_split`` SparseTensors (the first ``size % num_split``
    pieces are one larger)."""
    sp = _sparse(sp_input, "split")
    if num_split is None or axis is None:
        raise ValueError("num_split and axis are required")
    indices, shape = _parts(sp)
    rank = shape.shape[0]
    axis = int(int64_array(axis))
    if not -rank <= axis < rank:
        raise errors.InvalidArgumentError(None, None, f"Split dim out of range: {axis}")
    axis %= rank
    num_split, size = int(num_split), int(shape[axis])
    if num_split < 1 or num_split > max(size, 1):
        raise errors.InvalidArgumentError(
            None, None, f"Requested more splits than dimension size: {num_split} > {size}"
        )
    sizes = [size // num_split + (1 if i < size % num_split else 0) for i in range(num_split)]
    bounds = xp.concatenate([[0], xp.cumsum(sizes)])
    out = []
    for lo, hi in itertools.pairwise(bounds.tolist()):
        keep = xp.flatnonzero((indices[:, axis] >= lo) & (indices[:, axis] < hi))
        moved = indices[keep].copy()
        moved[:, axis] -= lo
        piece_shape = shape.copy()
        piece_shape[axis] = hi - lo
        out.append(_permuted(sp, keep, moved, _i64(piece_shape)))
    return out


@tf_export("sparse.to_indicator")
def to_indicator(sp_input, vocab_size, name=None):
    """Dense bool ``[..., vocab_size]``: True at ``[i..., values[k]]`` for every entry."""
    sp = _sparse(sp_input, "to_indicator")
    if not sp.dtype.is_integer:
        raise TypeError(f"sp_input.values must be integers, got {sp.dtype.name}")
    indices, shape = _parts(sp)
    n = int(int64_array(vocab_size))
    values = xp.asarray(sp.values._value, dtype=xp.int64)
    if values.size and (values.min() < 0 or values.max() >= n):
        raise errors.InvalidArgumentError(
            None,
            None,
            f"indices[{int(xp.flatnonzero((values < 0) | (values >= n))[0])}] is out "
            f"of bounds: need 0 <= index < {n}",
        )
    out = xp.zeros(tuple(int(d) for d in shape[:-1]) + (n,), dtype=bool)
    out[tuple(indices[:, :-1].T) + (values,)] = True
    return EagerTensor(out, D.bool)
