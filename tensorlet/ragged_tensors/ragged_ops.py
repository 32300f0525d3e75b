"""``tf.ragged`` ops and the elementwise operators of ``tf.RaggedTensor``.

Elementwise operators apply the dense tensor operator to ``flat_values`` (so dtype rules and
errors are the dense ones): ragged (op) ragged needs identical row partitions, ragged (op)
scalar maps the values, ragged (op) dense broadcasts the dense operand to every value.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import array_ops, cast_ops, comparison_ops, gather_ops, math_ops  # noqa: F401
from tensorlet.ragged_tensors import ragged_conversion
from tensorlet.ragged_tensors.ragged_getitem import gather_rows
from tensorlet.ragged_tensors.ragged_tensor import (
    RaggedTensor,
    _int_tensor,
    _np,
    _splits_dtype,
)

D = dtypes


# ---------------------------------------------------------------- map_flat_values


def _same_partitions(a, b):
    sa, sb = a.nested_row_splits, b.nested_row_splits
    return len(sa) == len(sb) and all(
        x is y or (x.shape == y.shape and (_np(x) == _np(y)).all()) for x, y in zip(sa, sb)
    )


def _check_partitions(ragged):
    first = ragged[0]
    for other in ragged[1:]:
        if other.ragged_rank != first.ragged_rank:
            raise ValueError(
                "Input RaggedTensors have mismatched ragged_rank: "
                f"{first.ragged_rank} vs {other.ragged_rank}"
            )
        if not _same_partitions(first, other):
            raise errors.InvalidArgumentError(
                None, None, "Inputs must have identical ragged splits."
            )


def _replace_ragged(structure, found):
    if isinstance(structure, RaggedTensor):
        found.append(structure)
        return structure.flat_values
    if isinstance(structure, (list, tuple)):
        items = [_replace_ragged(x, found) for x in structure]
        return (
            type(structure)(items) if not hasattr(structure, "_fields") else type(structure)(*items)
        )
    if isinstance(structure, dict):
        return {k: _replace_ragged(v, found) for k, v in structure.items()}
    return structure


@tf_export("ragged.map_flat_values")
def map_flat_values(op, *args, **kwargs):
    """Applies ``op`` to the ``flat_values`` of the ragged arguments (same partitions) and
    rebuilds a RaggedTensor with the first ragged argument's partition.

    Example:
      >>> rt = tf.ragged.constant([[1, 2], [3]])
      >>> tf.ragged.map_flat_values(tf.math.square, rt)
      <tf.RaggedTensor [[1, 4], [9]]>
    """
    found = []
    args = _replace_ragged(list(args), found)
    kwargs = _replace_ragged(kwargs, found)
    if not found:
        return op(*args, **kwargs)
    _check_partitions(found)
    out = op(*args, **kwargs)
    nvals = int(found[0].flat_values.shape[0])
    out_n = (
        out.nrows_int()
        if isinstance(out, RaggedTensor)
        else (int(out.shape[0]) if out.shape.rank else None)
    )
    if out_n != nvals:
        raise ValueError(
            "tf.ragged.map_flat_values requires that the output of `op` have the "
            "same outer-dimension size as flat_values of any ragged inputs. (output "
            f"shape: {out.shape}; expected outer dimension size: {nvals})"
        )
    return found[0].with_flat_values(out)


# ---------------------------------------------------------------- elementwise operators


def _dense_for_values(rt, t):
    """The dense operand ``t`` broadcast to one entry per flat value of ``rt`` (plus the inner
    dimensions), or ``t`` itself when it only broadcasts over the inner dimensions."""
    inner_rank = rt.flat_values.shape.rank - 1
    rank = t.shape.rank
    if rank <= inner_rank:
        return t
    outer = rank - inner_rank  # dense dims that line up with rt's outer (ragged) dims
    rt_outer = rt.ragged_rank + 1
    if outer > rt_outer:
        raise ValueError(
            f"Incompatible shapes: ragged tensor of rank {rt.shape.rank} and dense "
            f"tensor of rank {rank}"
        )
    coords = ragged_conversion.flat_coords(rt)[rt_outer - outer :]
    dims = t.shape.as_list()[:outer]
    index = []
    for c, d in zip(coords, dims):
        if d == 1:
            index.append(xp.zeros_like(c))
        elif c.size and c.max() >= d:
            raise errors.InvalidArgumentError(
                None,
                None,
                f"Incompatible shapes: dense operand dimension {d} does not match the ragged rows",
            )
        else:
            index.append(c)
    idx = xp.stack(index, axis=1) if index else xp.zeros((0, 0), xp.int64)
    return gather_ops.gather_nd(t, EagerTensor(idx.astype(xp.int64), D.int64))


def _elementwise(dense_op, x, y):
    """``dense_op(x, y)`` where ``x`` is the RaggedTensor operand."""
    if isinstance(y, RaggedTensor):
        _check_partitions([x, y])
        return x.with_flat_values(dense_op(x.flat_values, y.flat_values))
    if isinstance(y, Tensor) or hasattr(y, "shape") or isinstance(y, (list, tuple)):
        t = y if isinstance(y, Tensor) else convert_to_tensor(y, dtype_hint=x.dtype)
        if t.shape.rank:
            y = _dense_for_values(x, t)
    return x.with_flat_values(dense_op(x.flat_values, y))


def _binary(name):
    dense_op = getattr(Tensor, name)

    def method(self, other):
        return _elementwise(dense_op, self, other)

    method.__name__ = name
    return method


def _eq(negate):
    def method(self, other):
        if other is None:
            return negate
        try:
            fn = comparison_ops.not_equal if negate else comparison_ops.equal
            return _elementwise(fn, self, other)
        except (ValueError, TypeError, errors.InvalidArgumentError):
            return negate

    return method


def _unary(name):
    dense_op = getattr(Tensor, name)

    def method(self):
        return self.with_flat_values(dense_op(self.flat_values))

    method.__name__ = name
    return method


for _name in (
    "__add__",
    "__radd__",
    "__sub__",
    "__rsub__",
    "__mul__",
    "__rmul__",
    "__truediv__",
    "__rtruediv__",
    "__floordiv__",
    "__rfloordiv__",
    "__mod__",
    "__rmod__",
    "__pow__",
    "__rpow__",
    "__and__",
    "__rand__",
    "__or__",
    "__ror__",
    "__xor__",
    "__rxor__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
):
    if hasattr(Tensor, _name):
        setattr(RaggedTensor, _name, _binary(_name))
for _name in ("__neg__", "__abs__", "__invert__"):
    if hasattr(Tensor, _name):
        setattr(RaggedTensor, _name, _unary(_name))
RaggedTensor.__eq__ = _eq(False)
RaggedTensor.__ne__ = _eq(True)
RaggedTensor.__hash__ = None


# ---------------------------------------------------------------- tf.ragged.range

_RANGE_DTYPES = (D.int32, D.int64, D.float32, D.float64)


@tf_export("ragged.range")
def range(starts, limits=None, deltas=1, dtype=None, name=None, row_splits_dtype=D.int64):
    """One ``tf.range(starts[i], limits[i], deltas[i])`` per row (inputs broadcast).

    Example:
      >>> tf.ragged.range([3, 5, 2])
      <tf.RaggedTensor [[0, 1, 2], [0, 1, 2, 3, 4], [0, 1]]>
    """
    splits_dtype = _splits_dtype(row_splits_dtype)
    if limits is None:
        starts, limits = 0, starts
    ts = [convert_to_tensor(v, dtype=dtype) for v in (starts, limits, deltas)]
    if dtype is None:
        best = max(
            (t.dtype for t in ts),
            key=lambda d: _RANGE_DTYPES.index(d) if d in _RANGE_DTYPES else -1,
        )
        ts = [t if t.dtype == best else cast_ops.cast(t, best) for t in ts]
    out_dtype = ts[0].dtype
    if out_dtype not in _RANGE_DTYPES + (D.bfloat16, D.float16, D.int16, D.int8, D.uint8):
        raise TypeError(
            f"Value for attr 'T' of {out_dtype.name} is not in the list of allowed values"
        )
    for t in ts:
        if t.shape.rank > 1:
            raise errors.InvalidArgumentError(None, None, "starts must be a scalar or vector")
    s, l, d = xp.broadcast_arrays(*[xp.atleast_1d(t._value) for t in ts])
    if (d == 0).any():
        raise errors.InvalidArgumentError(None, None, "Requires delta != 0 [Op:RaggedRange]")
    with xp.errstate(all="ignore"):
        size = xp.ceil(xp.abs((l - s) / d.astype(xp.float64)))
    size = xp.where(((d > 0) & (l > s)) | ((d < 0) & (l < s)), size, 0).astype(xp.int64)
    rowids = xp.repeat(xp.arange(size.shape[0]), size)
    pos = xp.arange(int(size.sum())) - xp.repeat(xp.cumsum(size) - size, size)
    values = (s[rowids] + pos.astype(s.dtype) * d[rowids]).astype(out_dtype._np)
    splits = xp.zeros(size.shape[0] + 1, dtype=xp.int64)
    xp.cumsum(size, out=splits[1:])
    return RaggedTensor._make(EagerTensor(values, out_dtype), _int_tensor(splits, splits_dtype))


# ---------------------------------------------------------------- tf.ragged.boolean_mask


@tf_export("ragged.boolean_mask")
def boolean_mask(data, mask, name=None):
    """Removes the elements of ``data`` where ``mask`` is False (``mask`` has ``data``'s
    outer shape, ragged or dense); the masked dimension becomes ragged.

    Example:
      >>> tf.ragged.boolean_mask([[1, 2, 3], [4, 5, 6]], [[True, False, True], [False, False, True]])
      <tf.RaggedTensor [[1, 3], [6]]>
    """
    if not isinstance(data, RaggedTensor):
        data = convert_to_tensor(data)
    if not isinstance(mask, RaggedTensor):
        mask = convert_to_tensor(mask, dtype=D.bool)
    elif mask.dtype != D.bool:
        raise ValueError("mask.dtype must be bool")
    return _mask(data, mask)


def _mask(data, mask):
    if not isinstance(mask, RaggedTensor):
        if mask.shape.rank == 1:
            keep = xp.flatnonzero(mask._value)
            return gather_rows(data, keep)
        mask = ragged_conversion.from_tensor(mask, None, None, mask.shape.rank - 1, D.int64)
    if not isinstance(data, RaggedTensor):
        lengths = mask.row_lengths() if mask.ragged_rank == 1 else list(mask.nested_row_lengths())
        data = ragged_conversion.from_tensor(data, lengths, None, mask.ragged_rank, D.int64)
    if data.ragged_rank < mask.ragged_rank or not _outer_match(data, mask):
        raise errors.InvalidArgumentError(
            None, None, "mask and data have incompatible row partitions"
        )
    if isinstance(mask.values, RaggedTensor):
        return data.with_values(_mask(data.values, mask.values))
    kept = _mask(data.values, mask.values)
    m = mask.values._value
    s = _np(mask.row_splits).astype(xp.int64)
    csum = xp.concatenate([[0], xp.cumsum(m)])
    return RaggedTensor.from_row_splits(
        kept, _int_tensor(csum[s], data.row_splits.dtype), validate=False
    )


def _outer_match(data, mask):
    a, b = _np(data.row_splits), _np(mask.row_splits)
    return a.shape == b.shape and (a == b).all()


# ---------------------------------------------------------------- segment ids <-> row splits


@tf_export("ragged.row_splits_to_segment_ids")
def row_splits_to_segment_ids(splits, name=None, out_type=None):
    """``[0, 0, 1, 3] -> [0, 0, 2]``: the row of every value."""
    splits = convert_to_tensor(splits, dtype_hint=D.int64)
    if splits.dtype not in (D.int32, D.int64):
        raise ValueError("splits must have dtype int32 or int64")
    out = splits.dtype if out_type is None else D.as_dtype(out_type)
    s = _np(splits)
    return _int_tensor(xp.repeat(xp.arange(s.shape[0] - 1), s[1:] - s[:-1]), out)


@tf_export("ragged.segment_ids_to_row_splits")
def segment_ids_to_row_splits(segment_ids, num_segments=None, out_type=None, name=None):
    """``[0, 0, 2] -> [0, 2, 2, 3]``: row splits from sorted segment ids."""
    ids = convert_to_tensor(segment_ids, dtype_hint=D.int64)
    out = ids.dtype if out_type is None else D.as_dtype(out_type)
    v = _np(ids).astype(xp.int64)
    n = (int(v.max()) + 1 if v.size else 0) if num_segments is None else int(num_segments)
    counts = xp.bincount(v, minlength=n)[:n] if v.size else xp.zeros(n, xp.int64)
    return _int_tensor(xp.concatenate([[0], xp.cumsum(counts)]), out)


# ---------------------------------------------------------------- tf.ragged.stack / concat


def concat(values, axis, name=None):
    """``tf.concat`` of ragged and dense tensors of one rank (TF dispatches ``tf.concat`` here
    when an input is ragged): ``result[i0...iaxis]`` is the concatenation of
    ``[rt[i0...iaxis] for rt in values]``; ``result.ragged_rank = max(axis, max ragged_rank)``.

    Example:
      >>> t1 = tf.ragged.constant([[1, 2], [3, 4, 5]])
      >>> t2 = tf.ragged.constant([[6], [7, 8, 9]])
      >>> concat([t1, t2], axis=1)
      <tf.RaggedTensor [[1, 2, 6], [3, 4, 5, 7, 8, 9]]>
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    return _stack_concat(values, axis, stack_values=False)


@tf_export("ragged.stack")
def stack(values, axis=0, name=None):
    """Stacks rank-R dense or ragged tensors (any sizes) into a rank-(R+1) RaggedTensor:
    ``result[i0...iaxis]`` is ``[value[i0...iaxis] for value in values]``. Rank-0 inputs, or
    dense inputs stacked at the last axis, give a dense ``tf.stack`` result.

    Example:
      >>> t1 = tf.ragged.constant([[1, 2], [3, 4, 5]])
      >>> t2 = tf.ragged.constant([[6], [7, 8, 9]])
      >>> tf.ragged.stack([t1, t2], axis=1)
      <tf.RaggedTensor [[[1, 2], [6]], [[3, 4, 5], [7, 8, 9]]]>
      >>> tf.ragged.stack([tf.constant([[1, 2, 3], [4, 5, 6]]), tf.constant([[5], [6], [7]])])
      <tf.RaggedTensor [[[1, 2, 3], [4, 5, 6]], [[5], [6], [7]]]>
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    return _stack_concat(values, axis, stack_values=True)


def _stack_concat(values, axis, stack_values):
    """TF's _ragged_stack_concat_helper: dense inputs become ragged (ragged_rank 1, then up to
    the largest ragged_rank), axis 0 and 1 are combined directly, deeper axes recurse into the
    values (whose row partitions must then agree)."""
    if not values:
        raise ValueError("rt_inputs may not be empty.")
    rts = [v if isinstance(v, RaggedTensor) else convert_to_tensor(v) for v in values]
    splits_dtype = _match_row_splits_dtypes(rts)
    if len(rts) == 1 and not stack_values:
        return rts[0]
    ndims = rts[0].shape.rank
    for rt in rts[1:]:
        if rt.shape.rank != ndims:
            raise ValueError(f"Shape {rt.shape} must have rank {ndims}")
    out_ndims = ndims + 1 if stack_values else ndims
    if not isinstance(axis, int):  # TF: the axis must be known statically
        raise TypeError(f"axis must be an int; got {type(axis).__name__}")
    if not -out_ndims <= axis < out_ndims:
        raise ValueError(f"axis={axis} out of bounds: expected {-out_ndims}<=axis<{out_ndims}")
    axis %= out_ndims
    if stack_values and ndims == 1 and axis == 0:
        # TF: row lengths from tf.shape, so the row splits are int32 here
        lengths = [int(rt.shape[0]) for rt in rts]
        return RaggedTensor.from_row_lengths(
            array_ops.concat(rts, 0), _int_tensor(lengths, D.int32), validate=False
        )
    if not any(isinstance(rt, RaggedTensor) for rt in rts) and axis in (out_ndims - 1, ndims - 1):
        return array_ops.stack(rts, axis) if stack_values else array_ops.concat(rts, axis)
    rts = [
        rt if isinstance(rt, RaggedTensor)
        else ragged_conversion.from_tensor(rt, None, None, 1, splits_dtype)
        for rt in rts
    ]  # fmt: skip
    ragged_rank = max(max(rt.ragged_rank for rt in rts), 1)
    rts = [_increase_ragged_rank_to(rt, ragged_rank, splits_dtype) for rt in rts]
    if axis == 0:
        return _stack_concat_axis_0(rts, stack_values)
    if axis == 1:
        return _stack_concat_axis_1(rts, stack_values)
    first = _np(rts[0].row_splits)
    for rt in rts[1:]:
        s = _np(rt.row_splits)
        if s.shape != first.shape or (s != first).any():
            raise errors.InvalidArgumentError(None, None, "Inputs must have identical ragged splits")
    inner = _stack_concat([rt.values for rt in rts], axis - 1, stack_values)
    return RaggedTensor.from_row_splits(inner, rts[0].row_splits, validate=False)


def _match_row_splits_dtypes(values):
    kinds = {v.row_splits.dtype for v in values if isinstance(v, RaggedTensor)}
    if len(kinds) > 1:
        raise ValueError(
            "Input RaggedTensors have mismatched row_splits dtypes; use "
            "RaggedTensor.with_row_splits_dtype() to convert them to compatible dtypes."
        )
    return D.int32 if kinds == {D.int32} else D.int64


def _increase_ragged_rank_to(rt, ragged_rank, splits_dtype):
    if ragged_rank > 0:
        if not isinstance(rt, RaggedTensor):
            rt = ragged_conversion.from_tensor(rt, None, None, 1, splits_dtype)
        if rt.ragged_rank < ragged_rank:
            rt = rt.with_values(_increase_ragged_rank_to(rt.values, ragged_rank - 1, splits_dtype))
    return rt


def _stack_concat_axis_0(rts, stack_values):
    flat = array_ops.concat([rt.flat_values for rt in rts], 0)
    dtype = rts[0].row_splits.dtype
    nested = []
    for dim in xp.arange(rts[0].ragged_rank).tolist():  # (``range`` is tf.ragged.range here)
        pieces, offset = [], 0
        for rt in rts:
            s = _np(rt.nested_row_splits[dim]).astype(xp.int64)
            pieces.append(s[1:] + offset if pieces else s)
            offset += int(s[-1])
        nested.append(_int_tensor(xp.concatenate(pieces), dtype))
    if stack_values:
        lengths = xp.array([rt.nrows_int() for rt in rts], xp.int64)
        nested.insert(0, _int_tensor(xp.concatenate([[0], xp.cumsum(lengths)]), dtype))
    return RaggedTensor.from_nested_row_splits(flat, nested, validate=False)


def _stack_concat_axis_1(rts, stack_values):
    n, nrows = len(rts), rts[0].nrows_int()
    if any(rt.nrows_int() != nrows for rt in rts[1:]):
        raise errors.InvalidArgumentError(None, None, "Input tensors have incompatible shapes.")
    rows = _stack_concat_axis_0(rts, stack_values=False)
    permuted = gather_rows(rows, xp.arange(nrows * n).reshape(n, nrows).T.reshape(-1))
    dtype = rts[0].row_splits.dtype
    if stack_values:
        splits = _int_tensor(xp.arange(0, nrows * n + 1, n), dtype)
        return RaggedTensor.from_row_splits(permuted, splits, validate=False)
    splits = _int_tensor(_np(permuted.row_splits)[::n], dtype)
    return RaggedTensor.from_row_splits(permuted.values, splits, validate=False)


@tf_export("ragged.stack_dynamic_partitions")
def stack_dynamic_partitions(data, partitions, num_partitions, name=None):
    """Row ``p`` holds the rows of ``data`` whose partition is ``p`` (in order).

    Example:
      >>> tf.ragged.stack_dynamic_partitions(["a", "b", "c", "d"], [1, 0, 1, 1], 3)
      <tf.RaggedTensor [[b'b'], [b'a', b'c', b'd'], []]>
    """
    if not isinstance(data, RaggedTensor):
        data = convert_to_tensor(data)
    parts = convert_to_tensor(partitions)
    if parts.dtype not in (D.int32, D.int64):
        raise TypeError("partitions must be int32 or int64")
    p = _np(parts).astype(xp.int64).reshape(-1)
    n = int(num_partitions)
    if p.size and (p.min() < 0 or p.max() >= n):
        raise errors.InvalidArgumentError(
            None, None, f"Every element in partitions must be in [0, {n})"
        )
    order = xp.argsort(p, kind="stable")
    counts = xp.bincount(p, minlength=n)[:n] if p.size else xp.zeros(n, xp.int64)
    return RaggedTensor.from_row_lengths(
        gather_rows(data, order), _int_tensor(counts, D.int64), validate=False
    )
