"""``RaggedTensor.__getitem__``: ints, slices, ``...`` and ``tf.newaxis`` (TF's rules).

The outer (row) dimension takes ints and slices; an inner *ragged* dimension takes slices only
(TF: "Cannot index into an inner ragged dimension"); uniform inner dimensions are indexed on
the dense values with the tensor's own ``__getitem__``.
"""

import operator

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.tensor import EagerTensor
from tensorlet.ops import gather_ops
from tensorlet.ragged_tensors.ragged_tensor import RaggedTensor, _int_tensor

D = dtypes


def ragged_tensor_getitem(rt, key):
    keys = list(key) if isinstance(key, tuple) else [key]
    return _getitem(rt, keys)


def _expand_ellipsis(keys, rank):
    i = keys.index(Ellipsis)
    if Ellipsis in keys[i + 1 :]:
        raise ValueError("Multiple ellipses are not allowed.")
    used = sum(1 for k in keys if k is not None and k is not Ellipsis)
    return keys[:i] + [slice(None)] * (rank - used) + keys[i + 1 :]


def _getitem(rt, keys):
    if not keys:
        return rt
    if Ellipsis in keys:
        return _getitem(rt, _expand_ellipsis(keys, rt.shape.rank))
    key, inner = keys[0], keys[1:]
    if key is None:  # tf.newaxis: one row holding everything
        result = _getitem(rt, inner)
        n = int(result.shape[0]) if not isinstance(result, RaggedTensor) else result.nrows_int()
        return RaggedTensor.from_uniform_row_length(result, n, nrows=1)
    if isinstance(key, slice):
        return _inner(_slice_rows(rt, key), inner)
    try:
        i = operator.index(key)
    except TypeError:
        raise TypeError(
            f"Ragged __getitem__ expects an int, slice, Ellipsis or tf.newaxis; got {key!r}"
        ) from None
    n = rt.nrows_int()
    if not -n <= i < n:
        raise IndexError(f"Row key {i} out of bounds")
    s = rt._splits()
    i %= n
    row = _take_range(rt.values, int(s[i]), int(s[i + 1]))
    if isinstance(row, RaggedTensor):
        return _getitem(row, inner)
    return row[tuple(inner)] if inner else row


def _take_range(values, start, stop):
    if isinstance(values, RaggedTensor):
        return gather_rows(values, xp.arange(start, stop))
    return values[start:stop]


def _slice_rows(rt, key):
    if key.start is None and key.stop is None and key.step is None:
        return rt
    rows = xp.arange(rt.nrows_int())[key]
    result = gather_rows(rt, rows)
    if rt._uniform_row_length is not None:
        result._uniform_row_length = rt._uniform_row_length
    return result


def _inner(rt, keys):
    """Applies ``keys`` to dimensions 1.. of ``rt`` (every row)."""
    if not keys:
        return rt
    key, rest = keys[0], keys[1:]
    if Ellipsis in keys:
        return _inner(rt, _expand_ellipsis([slice(None)] + keys, rt.shape.rank)[1:])
    if key is None:
        raise ValueError("tf.newaxis is only supported as the first index of a RaggedTensor")
    if not isinstance(key, slice):
        raise ValueError("Cannot index into an inner ragged dimension.")  # noqa: TRY004 (TF)
    if key.start is None and key.stop is None and key.step is None:
        return rt.with_values(_values_getitem(rt.values, rest))
    sliced = _slice_columns(rt, key)
    return sliced.with_values(_values_getitem(sliced.values, rest))


def _values_getitem(values, keys):
    if not keys:
        return values
    if isinstance(values, RaggedTensor):
        return _inner(values, keys)
    return values[(slice(None),) + tuple(keys)]


def _slice_columns(rt, key):
    """Python slicing of every row of ``rt`` (vectorised ``slice.indices``)."""
    for bound in (key.start, key.stop, key.step):
        if bound is not None and not hasattr(bound, "__index__"):
            raise TypeError("slice offsets must be integers or None")
    step = 1 if key.step is None else operator.index(key.step)
    if step == 0:
        raise ValueError("slice step cannot be zero")
    s = rt._splits().astype(xp.int64)
    lengths = s[1:] - s[:-1]
    lo, hi = (0, lengths) if step > 0 else (-1, lengths - 1)
    start = _bound(key.start, lengths, lo, hi, default=lo if step > 0 else hi)
    stop = _bound(key.stop, lengths, lo, hi, default=lengths if step > 0 else -1)
    span = (stop - start) if step > 0 else (start - stop)
    count = xp.maximum(0, -(-span // abs(step)))
    rowids = xp.repeat(xp.arange(lengths.shape[0]), count)
    offsets = xp.arange(int(count.sum())) - xp.repeat(xp.cumsum(count) - count, count)
    idx = s[:-1][rowids] + start[rowids] + offsets * step
    values = gather_rows(rt.values, idx)
    splits = xp.zeros(count.shape[0] + 1, dtype=xp.int64)
    xp.cumsum(count, out=splits[1:])
    uniform = int(count[0]) if rt._uniform_row_length is not None and count.size else None
    return RaggedTensor._make(values, _int_tensor(splits, rt.row_splits.dtype), uniform)


def _bound(value, lengths, lo, hi, default):
    if value is None:
        return xp.broadcast_to(xp.asarray(default), lengths.shape).astype(xp.int64)
    v = operator.index(value)
    v = lengths + v if v < 0 else xp.full(lengths.shape, v, dtype=xp.int64)
    return xp.clip(v, lo, hi)


def gather_rows(values, idx):
    """``values[idx]`` along the rows, for dense and ragged ``values`` (idx: int array)."""
    idx = xp.asarray(idx, dtype=xp.int64)
    if not isinstance(values, RaggedTensor):
        return gather_ops.gather(values, EagerTensor(idx, D.int64))
    s = values._splits().astype(xp.int64)
    starts, lengths = s[:-1][idx], (s[1:] - s[:-1])[idx]
    splits = xp.zeros(idx.shape[0] + 1, dtype=xp.int64)
    xp.cumsum(lengths, out=splits[1:])
    inner = xp.repeat(starts - splits[:-1], lengths) + xp.arange(splits[-1])
    return RaggedTensor._make(
        gather_rows(values.values, inner), _int_tensor(splits, values.row_splits.dtype)
    )
