"""``tf.sparse`` arithmetic and reductions: add, sparse_dense_matmul, maximum/minimum,
reduce_sum/reduce_max, softmax and map_values.

Index bookkeeping is NumPy; values move with ``gather`` / ``unsorted_segment_*`` /
``concat``, so gradients reach ``values`` (and the dense operands).
"""

import builtins

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import array_ops, gather_ops, math_ops, segment_ops, unary_math_ops
from tensorlet.sparse_tensors.sparse_ops import _i64, _idx_text, _linear, _parts, _sparse
from tensorlet.sparse_tensors.sparse_tensor import SparseTensor, int64_array

D = dtypes


# ---------------------------------------------------------------- arithmetic


@tf_export("sparse.add")
def add(a, b, threshold=0):
    """``a + b``: SparseTensor + SparseTensor is sparse (coinciding entries whose sum is below
    ``threshold`` in magnitude are dropped); with a dense operand the result is dense."""
    a_sp, b_sp = isinstance(a, SparseTensor), isinstance(b, SparseTensor)
    if not a_sp and not b_sp:
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add()?")
    if a_sp and b_sp:
        return _add_sparse(a, b, threshold)
    sp, dense = (a, b) if a_sp else (b, a)
    dense = convert_to_tensor(dense, dtype=sp.dtype)
    shape = [int(d) for d in sp.dense_shape._value]
    return math_ops.add(dense, gather_ops.scatter_nd(sp.indices, sp.values, shape))


def _add_sparse(a, b, threshold):
    ia, sa = _parts(a)
    ib, sb = _parts(b)
    if sa.shape != sb.shape or (sa != sb).any():
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Operands do not have the same ranks or shapes: {_idx_text(sa)} vs {_idx_text(sb)}",
        )
    indices = xp.concatenate([ia, ib])
    values = array_ops.concat([a.values, b.values], 0)
    lin = _linear(indices, sa)
    uniq, first, inverse, counts = xp.unique(
        lin, return_index=True, return_inverse=True, return_counts=True
    )
    sums = segment_ops.unsorted_segment_sum(values, _i64(inverse), int(uniq.shape[0]))
    thresh = float(xp.asarray(threshold._value if hasattr(threshold, "_value") else threshold))
    keep = xp.arange(uniq.shape[0])
    if thresh > 0 and (counts > 1).any():
        mag = xp.abs(sums.numpy())
        keep = xp.flatnonzero((counts == 1) | (mag >= thresh))
        sums = gather_ops.gather(sums, _i64(keep))
    return SparseTensor(_i64(indices[first[keep]]), sums, a.dense_shape)


@tf_export("sparse.sparse_dense_matmul")
def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """``sp_a @ b`` for a rank-2 SparseTensor and a dense matrix (either side may be sparse).

    Example:
      >>> st = tf.sparse.SparseTensor([[0, 1], [1, 0]], [2.0, 3.0], [2, 2])
      >>> tf.sparse.sparse_dense_matmul(st, tf.eye(2)).numpy()
      array([[0., 2.],
             [3., 0.]], dtype=float32)
    """
    if isinstance(b, SparseTensor) and not isinstance(sp_a, SparseTensor):
        # a @ sp_b == (sp_b^T @ a^T)^T
        out = sparse_dense_matmul(b, sp_a, adjoint_a=not adjoint_b, adjoint_b=not adjoint_a)
        return (
            array_ops.transpose(out)
            if not out.dtype.is_complex
            else array_ops.transpose(out, conjugate=True)
        )
    sp = _sparse(sp_a, "sparse_dense_matmul")
    indices, shape = _parts(sp)
    if shape.shape[0] != 2:
        raise ValueError(f"Shape {_idx_text(shape)} must have rank 2")
    b = convert_to_tensor(b, dtype_hint=sp.dtype)
    if b.shape.rank != 2:
        raise ValueError(f"Shape {b.shape} must have rank 2")
    rows, cols = (indices[:, 1], indices[:, 0]) if adjoint_a else (indices[:, 0], indices[:, 1])
    n_out, inner = (int(shape[1]), int(shape[0])) if adjoint_a else (int(shape[0]), int(shape[1]))
    values = sp.values
    if adjoint_a and values.dtype.is_complex:
        values = math_ops.conj(values)
    if adjoint_b:
        b = array_ops.transpose(b, conjugate=b.dtype.is_complex)
    if int(b.shape[0]) != inner:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Cannot multiply A and B because inner dimension does not match: "
            f"{inner} vs. {int(b.shape[0])}.  Did you forget a transpose?  Dimensions of A: "
            f"[{n_out}, {inner}).  Dimensions of B: {_idx_text(b.shape.as_list())}",
        )
    if cols.size and (cols.max() >= inner or cols.min() < 0):
        i = int(xp.flatnonzero((cols >= inner) | (cols < 0))[0])
        raise errors.InvalidArgumentError(
            None,
            None,
            f"k ({int(cols[i])}) from index[{i},{0 if adjoint_a else 1}] out of bounds (>={inner})",
        )
    if rows.size and (rows.max() >= n_out or rows.min() < 0):
        i = int(xp.flatnonzero((rows >= n_out) | (rows < 0))[0])
        raise errors.InvalidArgumentError(
            None,
            None,
            f"m ({int(rows[i])}) from index[{i},{1 if adjoint_a else 0}] out of bounds (>={n_out})",
        )
    picked = gather_ops.gather(b, _i64(cols))
    products = math_ops.multiply(array_ops.expand_dims(values, 1), picked)
    return segment_ops.unsorted_segment_sum(products, _i64(rows), n_out)


# ---------------------------------------------------------------- reductions


def _reduction_axes(axis, rank):
    if axis is None:
        return list(builtins.range(rank))
    axes = int64_array(axis).reshape(-1).tolist()
    for a in axes:
        if not -rank <= a < rank:
            raise errors.InvalidArgumentError(
                None, None, f"Invalid reduction dimension {a}, for input with {rank} dimensions."
            )
    return sorted({a % rank for a in axes})


@tf_export("sparse.reduce_sum")
def reduce_sum(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """Sums the entries over ``axis`` (all axes when None): dense result, or a SparseTensor of
    the non-empty groups with ``output_is_sparse``."""
    sp = _sparse(sp_input, "reduce_sum")
    return _reduce(sp, axis, keepdims, output_is_sparse, segment_ops.unsorted_segment_sum)


@tf_export("sparse.reduce_max")
def reduce_max(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """Maximum of the explicit entries over ``axis`` (implicit zeros are ignored; a group
    without entries is the dtype's lowest value)."""
    sp = _sparse(sp_input, "reduce_max")
    return _reduce(sp, axis, keepdims, output_is_sparse, segment_ops.unsorted_segment_max)


def _reduce(sp, axis, keepdims, output_is_sparse, segment_fn):
    indices, shape = _parts(sp)
    rank = shape.shape[0]
    axes = _reduction_axes(axis, rank)
    keep = [d for d in builtins.range(rank) if d not in axes]
    kept_shape = shape[keep]
    group = _linear(indices[:, keep], kept_shape)
    if keepdims:
        out_dims = [1 if d in axes else int(shape[d]) for d in builtins.range(rank)]
    else:
        out_dims = [int(d) for d in kept_shape]
    if output_is_sparse:
        uniq, inverse = xp.unique(group, return_inverse=True)
        values = segment_fn(sp.values, _i64(inverse), int(uniq.shape[0]))
        coords = (
            xp.stack(xp.unravel_index(uniq, tuple(int(d) for d in kept_shape)), axis=1)
            if keep
            else xp.zeros((uniq.shape[0], 0), xp.int64)
        )
        if keepdims:
            full = xp.zeros((uniq.shape[0], rank), xp.int64)
            full[:, keep] = coords
            coords = full
        return SparseTensor(_i64(coords.reshape(uniq.shape[0], -1)), values, _i64(out_dims))
    n = int(xp.prod(kept_shape)) if keep else 1
    return array_ops.reshape(segment_fn(sp.values, _i64(group), n), out_dims)


# ---------------------------------------------------------------- softmax / max / min / map


@tf_export("sparse.softmax")
def softmax(sp_input, name=None):
    """Softmax over the explicit entries of each innermost row (implicit entries stay empty).

    Example:
      >>> st = tf.sparse.SparseTensor([[0, 0], [0, 2]], [1.0, 1.0], [1, 3])
      >>> tf.sparse.softmax(st).values.numpy()
      array([0.5, 0.5], dtype=float32)
    """
    sp = _sparse(sp_input, "softmax")
    indices, shape = _parts(sp)
    if shape.shape[0] < 2:
        raise errors.InvalidArgumentError(None, None, "Input should have rank >= 2")
    rows = _linear(indices[:, :-1], shape[:-1])
    uniq, inverse = xp.unique(rows, return_inverse=True)
    ids, n = _i64(inverse), int(uniq.shape[0])
    shifted = sp.values - gather_ops.gather(
        segment_ops.unsorted_segment_max(sp.values, ids, n), ids
    )
    e = unary_math_ops.exp(shifted)
    total = gather_ops.gather(segment_ops.unsorted_segment_sum(e, ids, n), ids)
    return sp.with_values(math_ops.truediv(e, total))


def _union(a, b, fn):
    ia, sa = _parts(a)
    ib, sb = _parts(b)
    if sa.shape != sb.shape or (sa != sb).any():
        raise errors.InvalidArgumentError(
            None, None, f"Operands' shapes do not match: {_idx_text(sa)} vs {_idx_text(sb)}"
        )
    la, lb = _linear(ia, sa), _linear(ib, sb)
    lin = xp.union1d(la, lb)
    pick_a = xp.where(xp.isin(lin, la), xp.searchsorted(la, lin), la.shape[0])
    pick_b = xp.where(xp.isin(lin, lb), xp.searchsorted(lb, lin), lb.shape[0])
    zero = array_ops.zeros([1], a.dtype)
    va = gather_ops.gather(array_ops.concat([a.values, zero], 0), _i64(pick_a))
    vb = gather_ops.gather(array_ops.concat([b.values, zero], 0), _i64(pick_b))
    indices = xp.stack(xp.unravel_index(lin, tuple(int(d) for d in sa)), axis=1)
    return SparseTensor(_i64(indices.reshape(-1, sa.shape[0])), fn(va, vb), a.dense_shape)


@tf_export("sparse.maximum")
def maximum(sp_a, sp_b, name=None):
    """Elementwise maximum over the union of the entries (a missing entry counts as 0)."""
    return _union(_sparse(sp_a, "maximum"), _sparse(sp_b, "maximum"), math_ops.maximum)


@tf_export("sparse.minimum")
def minimum(sp_a, sp_b, name=None):
    """Elementwise minimum over the union of the entries (a missing entry counts as 0)."""
    return _union(_sparse(sp_a, "minimum"), _sparse(sp_b, "minimum"), math_ops.minimum)


def _find_sparse(structure, found):
    if isinstance(structure, SparseTensor):
        found.append(structure)
        return structure.values
    if isinstance(structure, (list, tuple)):
        return type(structure)(_find_sparse(x, found) for x in structure)
    if isinstance(structure, dict):
        return {k: _find_sparse(v, found) for k, v in structure.items()}
    return structure


@tf_export("sparse.map_values")
def map_values(op, *args, **kwargs):
    """Applies ``op`` to the ``values`` of the SparseTensor arguments (identical indices and
    shapes) and returns a SparseTensor with those indices.

    Example:
      >>> st = tf.sparse.SparseTensor([[0, 1]], [3], [2, 2])
      >>> tf.sparse.map_values(tf.math.square, st).values.numpy()
      array([9], dtype=int32)
    """
    found = []
    args = _find_sparse(list(args), found)
    kwargs = _find_sparse(kwargs, found)
    if not found:
        raise ValueError("No SparseTensor in argument list of map_values")
    first = found[0]
    for other in found[1:]:
        same = (
            first.indices.shape == other.indices.shape
            and (first.indices._value == other.indices._value).all()
            and (first.dense_shape._value == other.dense_shape._value).all()
        )
        if not same:
            raise errors.InvalidArgumentError(None, None, "Inputs must have identical indices.")
    return first.with_values(op(*args, **kwargs))
