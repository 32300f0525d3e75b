"""Conversions between RaggedTensor and dense / sparse tensors, and ``merge_dims``.

Index maps are computed with NumPy from the row partitions; values move with ``gather`` /
``boolean_mask`` / ``reshape`` so gradients reach ``flat_values``.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import array_ops, gather_ops
from tensorlet.ragged_tensors.ragged_tensor import (
    RaggedTensor,
    _int_tensor,
    _normalize_axis,
    _np,
)

D = dtypes


# ---------------------------------------------------------------- index maps


def flat_coords(rt):
    """Coordinates of every flat value in the bounding shape: one int64 array per dimension
    ``0..ragged_rank`` (each of length ``len(flat_values)``)."""
    coords = None
    for splits in reversed(rt.nested_row_splits):
        s = _np(splits).astype(xp.int64)
        n = s.shape[0] - 1
        rowids = xp.repeat(xp.arange(n), s[1:] - s[:-1])
        pos = xp.arange(s[-1]) - s[:-1][rowids]
        if coords is None:
            coords = [rowids, pos]
        else:  # the inner coordinates are per value of this level: index them through rowids
            coords = [rowids[coords[0]], pos[coords[0]]] + coords[1:]
    return coords


def _dense_index(rt, dims):
    """An int array of shape ``dims[:ragged_rank + 1]``: the flat value at each position, or
    ``len(flat_values)`` (the default value) where the row is shorter."""
    nflat = int(rt.flat_values.shape[0])
    coords = flat_coords(rt)
    idx = xp.full(dims[: len(coords)], nflat, dtype=xp.int64)
    keep = xp.ones(nflat, dtype=bool)
    for c, d in zip(coords, dims):
        keep &= c < d
    idx[tuple(c[keep] for c in coords)] = xp.arange(nflat)[keep]
    return idx


def _default(default_value, dtype, inner):
    if default_value is None:
        fill = b"" if dtype == D.string else 0
        arr = xp.full(inner, fill, dtype=object if dtype == D.string else dtype._np)
        return EagerTensor(arr, dtype)
    default = convert_to_tensor(default_value, dtype=dtype)
    return array_ops.broadcast_to(default, inner)


def to_tensor(rt, default_value=None, shape=None):
    flat = rt.flat_values
    inner = flat.shape.as_list()[1:]
    dims = rt._bounding_dims()
    nr = rt.ragged_rank + 1
    if shape is not None:
        want = _shape_list(shape, len(dims))
        if want is not None:
            for i, d in enumerate(want):
                if d is not None and i >= nr and d != dims[i]:
                    raise errors.InvalidArgumentError(
                        None,
                        None,
                        f"Incompatible shapes: inner dimension {i} is {dims[i]}, requested {d}",
                    )
                if d is not None:
                    dims[i] = d
    idx = _dense_index(rt, dims)
    pad = array_ops.expand_dims(_default(default_value, rt.dtype, inner), 0)
    table = array_ops.concat([flat, pad], 0)
    return gather_ops.gather(table, _int_tensor(idx, D.int64))


def _shape_list(shape, rank):
    if hasattr(shape, "numpy") and not hasattr(shape, "as_list"):
        shape = [None if d < 0 else int(d) for d in shape.numpy().tolist()]
    dims = (
        shape.as_list()
        if hasattr(shape, "as_list") and shape.rank is not None
        else (None if hasattr(shape, "as_list") else list(shape))
    )
    if dims is None:
        return None
    if len(dims) != rank:
        raise ValueError(
            f"rt_input.shape and shape={shape} are incompatible: rt_input.rank = "
            f"{rank} but shape.rank = {len(dims)}"
        )
    return [None if d is None or d < 0 else int(d) for d in dims]


def to_sparse(rt):
    from tensorlet.sparse_tensors.sparse_tensor import SparseTensor

    flat = rt.flat_values
    coords = flat_coords(rt)
    inner = flat.shape.as_list()[1:]
    dims = rt._bounding_dims()
    if inner:  # every element of the uniform inner dimensions is an entry
        n = int(flat.shape[0])
        grid = xp.indices(inner).reshape(len(inner), -1)
        per = grid.shape[1]
        coords = [xp.repeat(c, per) for c in coords] + [xp.tile(g, n) for g in grid]
        values = array_ops.reshape(flat, [-1])
    else:
        values = flat
    indices = xp.stack(coords, axis=1) if coords else xp.zeros((0, len(dims)), xp.int64)
    return SparseTensor(
        _int_tensor(indices.reshape(-1, len(dims)), D.int64), values, _int_tensor(dims, D.int64)
    )


# ---------------------------------------------------------------- from dense / sparse


def from_tensor(tensor, lengths, padding, ragged_rank, splits_dtype):
    if lengths is not None and padding is not None:
        raise ValueError("Specify argument `lengths` or `padding`, but not both.")
    if not isinstance(ragged_rank, int):
        raise TypeError(f"Argument `ragged_rank` must be an int. Received {ragged_rank}.")
    if ragged_rank <= 0:
        raise ValueError(
            f"Argument `ragged_rank` must be greater than 0. Received ragged_rank={ragged_rank}."
        )
    tensor = convert_to_tensor(tensor)
    rank = tensor.shape.rank
    if rank <= ragged_rank:
        raise ValueError(
            f"Rank of input tensor ({rank}) must be greater than ragged_rank ({ragged_rank})"
        )
    dims = tensor.shape.as_list()
    if isinstance(lengths, (list, tuple)) and lengths and not isinstance(lengths[0], int):
        return _from_tensor_nested_lengths(tensor, list(lengths), splits_dtype)
    if ragged_rank > 1:
        outer = int(xp.prod(dims[:ragged_rank]))
        flat = array_ops.reshape(tensor, [outer] + dims[ragged_rank:])
        result = from_tensor(flat, lengths, padding, 1, splits_dtype)
        n = outer
        for axis in range(ragged_rank - 1, 0, -1):
            n //= dims[axis]
            result = RaggedTensor.from_uniform_row_length(
                result, _int_tensor(dims[axis], splits_dtype), nrows=n, validate=False
            )
        return result
    nrows, ncols = dims[0], dims[1]
    if lengths is None and padding is None:
        values = array_ops.reshape(tensor, [nrows * ncols] + dims[2:])
        splits = xp.arange(nrows + 1, dtype=xp.int64) * ncols
        return RaggedTensor._make(values, _int_tensor(splits, splits_dtype), ncols)
    if padding is not None:
        lengths = _lengths_from_padding(tensor, padding)
    else:
        lengths = xp.clip(xp.asarray(_np(convert_to_tensor(lengths, dtype_hint=D.int64))), 0, ncols)
    mask = xp.arange(ncols)[None, :] < lengths[:, None]
    values = gather_ops.boolean_mask(tensor, EagerTensor(mask, D.bool))
    return RaggedTensor.from_row_lengths(values, _int_tensor(lengths, splits_dtype), validate=False)


def _lengths_from_padding(tensor, padding):
    padding = convert_to_tensor(padding, dtype=tensor.dtype)
    arr, pad = tensor._value, padding._value
    if pad.ndim > arr.ndim - 2:
        raise ValueError("Shapes of padding and tensor are incompatible")
    eq = arr == pad
    if eq.ndim > 2:
        eq = eq.reshape(eq.shape[0], eq.shape[1], -1).all(axis=2)
    # length = index after the last non-padding element of each row
    nonpad = ~eq
    ncols = arr.shape[1]
    last = ncols - xp.argmax(nonpad[:, ::-1], axis=1)
    return xp.where(nonpad.any(axis=1), last, 0)


def _from_tensor_nested_lengths(tensor, lengths, splits_dtype):
    """``from_tensor(t, lengths=[l1, l2, ...])``: nested row lengths of the leading dims (the
    kept positions are a ragged all-True mask densified, as TF does)."""
    lengths = [convert_to_tensor(x, dtype_hint=D.int64) for x in lengths]
    n = int(_np(lengths[-1]).sum())
    ones = EagerTensor(xp.ones(n, dtype=bool), D.bool)
    mask = RaggedTensor.from_nested_row_lengths(ones, lengths, validate=False)
    dense = to_tensor(mask, False, tensor.shape.as_list()[: len(lengths) + 1])
    values = gather_ops.boolean_mask(tensor, dense)
    splits = [_int_tensor(_np(x), splits_dtype) for x in lengths]
    return RaggedTensor.from_nested_row_lengths(values, splits, validate=False)


def from_sparse(st, splits_dtype):
    indices, dense_shape = st._np_parts()
    if dense_shape.shape[0] != 2:
        raise ValueError("rank(st_input) must be 2.")
    rows, cols = indices[:, 0], indices[:, 1]
    nrows = int(dense_shape[0])
    if rows.size:
        ordered = (rows[1:] > rows[:-1]) | ((rows[1:] == rows[:-1]) & (cols[1:] == cols[:-1] + 1))
        first = xp.ones(rows.shape, dtype=bool)
        first[1:] = rows[1:] != rows[:-1]
        if not ordered.all() or (cols[first] != 0).any():
            raise errors.InvalidArgumentError(None, None, "SparseTensor is not right-ragged")
    counts = xp.bincount(rows, minlength=nrows)[:nrows] if rows.size else xp.zeros(nrows, int)
    return RaggedTensor.from_row_lengths(
        st.values, _int_tensor(counts, splits_dtype), validate=False
    )


# ---------------------------------------------------------------- merge_dims


def merge_dims(rt, outer_axis, inner_axis):
    rank = rt.shape.rank
    outer_axis = _normalize_axis(outer_axis, rank, "outer_axis")
    inner_axis = _normalize_axis(inner_axis, rank, "inner_axis")
    if outer_axis > inner_axis:
        raise ValueError(
            f"Expected outer_axis ({outer_axis}) to be less than or equal to "
            f"inner_axis ({inner_axis})"
        )
    return _merge(rt, outer_axis, inner_axis)


def _merge(x, outer, inner):
    if outer == inner:
        return x
    if not isinstance(x, RaggedTensor):
        dims = x.shape.as_list()
        merged = 1
        for d in dims[outer : inner + 1]:
            merged *= d
        return array_ops.reshape(x, dims[:outer] + [merged] + dims[inner + 1 :])
    if outer == 0:  # x's dims 0 and 1 are already one dimension in `values`
        return _merge(x.values, 0, inner - 1)
    if outer == 1:  # rows of x now index the merged values
        splits = _merged_offsets(x.values, inner - 1)[_np(x.row_splits)]
        return RaggedTensor._make(
            _merge(x.values, 0, inner - 1), _int_tensor(splits, x.row_splits.dtype)
        )
    return x.with_values(_merge(x.values, outer - 1, inner - 1))


def _merged_offsets(v, k):
    """Where each row of ``v`` starts once ``v``'s dims ``0..k`` are merged (length nrows+1)."""
    n = v.nrows_int() if isinstance(v, RaggedTensor) else int(v.shape[0])
    if k == 0:
        return xp.arange(n + 1)
    if isinstance(v, RaggedTensor):
        return _merged_offsets(v.values, k - 1)[_np(v.row_splits)]
    per = 1
    for d in v.shape.as_list()[1 : k + 1]:
        per *= d
    return xp.arange(n + 1) * per
