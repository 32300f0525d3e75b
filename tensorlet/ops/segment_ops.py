"""Segment reductions (sorted, unsorted, sparse), bincount and fixed-width histograms.

TF's edge cases kept: sorted ``segment_*`` give 0 for empty segments (1 for prod), while
``unsorted_segment_max``/``min`` give the lowest/highest finite value (-3.4028235e38 for float32)
and drop negative ids; ``unsorted_segment_mean``/``sqrt_n`` are composites (TF has no such ops).
Gradients follow TF's rules (``_SegmentMinOrMaxGrad`` splits among ties, ``_SegmentProdGrad``
handles zeros); the sparse ops' gradients are TF's ``SparseSegment*Grad`` ops.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import array_ops as A
from tensorlet.ops import math_ops as M
from tensorlet.ops.op_def import apply, defop
from tensorlet.ops.reduction_ops import (
    _NUMBER,
    _NUMBER_NAMES,
    _REAL,
    _REAL_NAMES,
    invalid,
    type_rule,
)

D = dtypes
_INDEX = (D.int32, D.int64)
_FLOATS = (D.float32, D.float64, D.float16, D.bfloat16)


def _data_rule(allowed, names):
    """Data (input 0) in ``allowed``; ids and indices (the other inputs) int32/int64."""
    values = type_rule(allowed, names)

    def rule(op, inputs, attrs):
        for t in inputs[1:]:
            if t.dtype not in _INDEX:
                raise invalid(op.name, f"Value for attr 'Tindices' of {t.dtype.name} is not in "
                                       "the list of allowed values: int32, int64")  # fmt: skip
        return values(op, inputs, attrs)

    return rule


_SEG_NUM = _data_rule(_NUMBER, _NUMBER_NAMES)
_SEG_REAL = _data_rule(_REAL, _REAL_NAMES)
_SEG_FLOAT = _data_rule(_FLOATS, "bfloat16, half, float, double")


def _scalar(value, dtype):
    return convert_to_tensor(xp.asarray(value, dtype=dtype.as_numpy_dtype))


def _rows(counts, ndim):
    """Per-segment counts shaped to broadcast against (segments, ...) data."""
    return counts.reshape((-1,) + (1,) * (ndim - 1))


# ---------------------------------------------------------------- sorted segment ops


def _segment_shape(op, inputs, attrs):
    data, ids = inputs[0].shape, inputs[1].shape
    if ids.rank is not None and ids.rank != 1:
        raise invalid(op.name, f"segment_ids should be a vector but received shape {list(ids)}")
    if data.rank is None:
        return (TensorShape(None),)
    if data.rank < 1:
        raise invalid(op.name, "Shape must be at least rank 1 but is rank 0")
    if ids.rank == 1 and None not in (ids[0], data[0]) and ids[0] != data[0]:
        raise invalid(op.name, "segment_ids should be the same size as dimension 0 of input.")
    return (TensorShape([None] + list(data)[1:]),)


def _segment_runs(op_name, ids):
    """Validates sorted ids; returns (number of segments, start of each run, the run's id)."""
    if ids.size and ids[0] < 0:
        raise invalid(op_name, "segment ids must be >= 0")
    if ids.size > 1 and (ids[1:] < ids[:-1]).any():
        raise invalid(op_name, "segment ids are not increasing")
    if ids.size == 0:
        return 0, ids, ids
    starts = xp.concatenate([[0], xp.nonzero(ids[1:] != ids[:-1])[0] + 1])
    return int(ids[-1]) + 1, starts, ids[starts]


def _segment_kernel(name, ufunc, empty, finish=None):
    def forward(data, ids):
        if ids.shape[0] != data.shape[0]:
            raise invalid(name, "segment_ids should be the same size as dimension 0 of input.")
        n, starts, run_ids = _segment_runs(name, ids)
        out = xp.full((n,) + data.shape[1:], empty, data.dtype)
        if starts.size:
            reduced = ufunc.reduceat(data, starts, axis=0)
            out[run_ids] = (
                finish(reduced, xp.diff(xp.append(starts, ids.size))) if finish else reduced
            )
        return out

    return forward


def _divide_counts(sums, counts):
    counts = _rows(counts, sums.ndim)
    if sums.dtype.kind in "iu":  # C integer division truncates toward zero
        return (xp.sign(sums) * (xp.abs(sums) // counts)).astype(sums.dtype)
    return sums / counts.astype(sums.dtype)


def _segment_sum_grad(op, dy):
    """Each row of data gets its segment's gradient."""
    return [A.gather(dy, op.inputs[1]), None]


def _segment_mean_grad(op, dy):
    data, ids = op.inputs
    ones = convert_to_tensor(xp.ones([ids.shape[0]] + [1] * (data.shape.rank - 1),
                                     dy.dtype.as_numpy_dtype))  # fmt: skip
    return [A.gather(M.divide(dy, segment_sum(ones, ids)), ids), None]


def _segment_min_or_max_grad(op, dy):
    """Splits each segment's gradient equally among the rows equal to its extremum."""
    data, ids = op.inputs
    is_selected = M.equal(data, A.gather(op.outputs[0], ids))
    num_selected = segment_sum(M.cast(is_selected, dy.dtype), ids)
    grads = A.gather(M.divide(dy, num_selected), ids)
    return [A.where(is_selected, grads, A.zeros_like(data)), None]


def _prod_partials(op, dy, reduce_sum, reduce_prod, gather):
    """TF's prod gradient: prod / x, with zeros handled through the product of non-zeros
    (a segment with two or more zeros has zero gradient)."""
    data = op.inputs[0]
    is_zero = M.equal(data, A.zeros_like(data))
    num_zeros = reduce_sum(M.cast(is_zero, D.int32))
    dy = A.where(M.greater(num_zeros, _scalar(1, D.int32)), A.zeros_like(dy), dy)
    non_zero_data = A.where(is_zero, A.ones_like(data), data)
    by_el = M.divide(gather(op.outputs[0]), non_zero_data)
    partial = A.where(is_zero, gather(reduce_prod(non_zero_data)), by_el)
    return [M.multiply(gather(dy), partial), None] + [None] * (len(op.inputs) - 2)


def _segment_prod_grad(op, dy):
    ids = op.inputs[1]
    return _prod_partials(op, dy, lambda t: segment_sum(t, ids), lambda t: segment_prod(t, ids),
                          lambda t: A.gather(t, ids))  # fmt: skip


# fmt: off
segment_sum_op = defop("SegmentSum", _segment_kernel("SegmentSum", xp.add, 0),
                       dtype_rule=_SEG_NUM, shape_rule=_segment_shape, grad=_segment_sum_grad)
segment_mean_op = defop("SegmentMean", _segment_kernel("SegmentMean", xp.add, 0, _divide_counts),
                        dtype_rule=_SEG_NUM, shape_rule=_segment_shape, grad=_segment_mean_grad)
segment_max_op = defop("SegmentMax", _segment_kernel("SegmentMax", xp.maximum, 0),
                       dtype_rule=_SEG_REAL, shape_rule=_segment_shape,
                       grad=_segment_min_or_max_grad)
segment_min_op = defop("SegmentMin", _segment_kernel("SegmentMin", xp.minimum, 0),
                       dtype_rule=_SEG_REAL, shape_rule=_segment_shape,
                       grad=_segment_min_or_max_grad)
segment_prod_op = defop("SegmentProd", _segment_kernel("SegmentProd", xp.multiply, 1),
                        dtype_rule=_SEG_NUM, shape_rule=_segment_shape, grad=_segment_prod_grad)
# fmt: on


def _segment(op, data, segment_ids, name):
    return apply(op, convert_to_tensor(data), convert_to_tensor(segment_ids), name=name)


@tf_export("math.segment_sum")
def segment_sum(data, segment_ids, name=None):
    """Sums rows of ``data`` sharing a (sorted) segment id; empty segments are 0.

    Example:
        >>> tf.math.segment_sum([1, 2, 3], [0, 0, 2]).numpy()
        array([3, 0, 3], dtype=int32)
    """
    return _segment(segment_sum_op, data, segment_ids, name)


@tf_export("math.segment_mean")
def segment_mean(data, segment_ids, name=None):
    """Mean of each (sorted) segment; empty segments are 0, integer means truncate."""
    return _segment(segment_mean_op, data, segment_ids, name)


@tf_export("math.segment_max")
def segment_max(data, segment_ids, name=None):
    """Maximum of each (sorted) segment; empty segments are 0."""
    return _segment(segment_max_op, data, segment_ids, name)


@tf_export("math.segment_min")
def segment_min(data, segment_ids, name=None):
    """Minimum of each (sorted) segment; empty segments are 0."""
    return _segment(segment_min_op, data, segment_ids, name)


@tf_export("math.segment_prod")
def segment_prod(data, segment_ids, name=None):
    """Product of each (sorted) segment; empty segments are 1."""
    return _segment(segment_prod_op, data, segment_ids, name)


# ---------------------------------------------------------------- unsorted segment ops


def _unsorted_shape(op, inputs, attrs):
    data, ids, n = inputs[0].shape, inputs[1].shape, attrs["num_segments"]
    if data.rank is None or ids.rank is None:
        return (TensorShape(None),)
    if not TensorShape(list(data)[: ids.rank]).is_compatible_with(ids):
        raise invalid(op.name, f"data.shape = {list(data)} does not start with segment_ids.shape"
                               f" = {list(ids)}")  # fmt: skip
    return (TensorShape([n] + list(data)[ids.rank :]),)


def _unsorted_kernel(name, ufunc, init):
    def forward(data, ids, num_segments):
        inner = data.shape[ids.ndim :]
        flat_ids = ids.reshape(-1)
        bad = flat_ids >= num_segments
        if bad.any():
            i = int(xp.argmax(bad))
            raise invalid(
                name, f"segment_ids[{i}] = {flat_ids[i]} is out of range [0, {num_segments})"
            )
        keep = flat_ids >= 0  # negative ids are dropped
        rows = data.reshape((-1,) + inner)
        if ufunc is xp.add and data.dtype.kind == "f" and data.size >= _BINCOUNT_MIN:
            return _bincount_sum(flat_ids, rows, keep, num_segments, inner, data.dtype)
        out = xp.full((num_segments,) + inner, init(data.dtype), data.dtype)
        ufunc.at(out, flat_ids[keep], rows[keep])
        return out

    return forward


# Large float segment sums (embedding gradients densified by optimizers: ~130k rows of 16)
# use one np.bincount per column, ~4x faster than np.add.at; bincount accumulates in float64
# (float32 results can differ from TF's float32 running sums in the last bits).
_BINCOUNT_MIN = 1 << 16


def _bincount_sum(ids, rows, keep, num_segments, inner, dtype):
    if not keep.all():
        ids, rows = ids[keep], rows[keep]
    cols = rows.reshape(rows.shape[0], -1)
    out = xp.empty((num_segments, cols.shape[1]), dtype)
    for j in range(cols.shape[1]):
        out[:, j] = xp.bincount(ids, weights=cols[:, j], minlength=num_segments)
    return out.reshape((num_segments,) + inner)


def _finite_limits(dt):
    """The dtype's (lowest, highest) finite values: TF's unsorted max/min of an empty segment."""
    if dt.kind in "iu":
        return xp.iinfo(dt).min, xp.iinfo(dt).max
    info = xp.finfo(dt) if dt.kind != "V" else xp.finfo(xp.float32)  # bfloat16
    return info.min, info.max


def _gather_drop_negatives(params, ids, zero_clipped=None, is_positive=None):
    """TF's _GatherDropNegatives: gather at max(ids, 0), zeros where ids < 0."""
    if zero_clipped is None:
        zero_clipped = M.maximum(ids, A.zeros_like(ids))
    gathered = A.gather(params, zero_clipped)
    if is_positive is None:
        is_positive = M.greater_equal(ids, A.zeros_like(ids))
        extra = gathered.shape.rank - is_positive.shape.rank
        if extra:
            is_positive = A.reshape(is_positive, is_positive.shape.as_list() + [1] * extra)
    return A.where(is_positive, gathered, A.zeros_like(gathered)), zero_clipped, is_positive


def _unsorted_segment_sum_grad(op, dy):
    return [_gather_drop_negatives(dy, op.inputs[1])[0], None]


def _unsorted_segment_min_or_max_grad(op, dy):
    data, ids = op.inputs
    gathered, clipped, is_positive = _gather_drop_negatives(op.outputs[0], ids)
    is_selected = M.logical_and(M.equal(data, gathered), is_positive)
    n = op.get_attr("num_segments")
    weighted = M.divide(dy, unsorted_segment_sum(M.cast(is_selected, dy.dtype), ids, n))
    grads = _gather_drop_negatives(weighted, None, clipped, is_positive)[0]
    return [A.where(is_selected, grads, A.zeros_like(grads)), None]


def _unsorted_segment_prod_grad(op, dy):
    ids, n = op.inputs[1], op.get_attr("num_segments")
    clipped = M.maximum(ids, A.zeros_like(ids))
    return _prod_partials(
        op, dy, lambda t: unsorted_segment_sum(t, ids, n),
        lambda t: unsorted_segment_prod(t, ids, n),
        lambda t: _gather_drop_negatives(t, ids, clipped)[0])  # fmt: skip


# fmt: off
unsorted_segment_sum_op = defop(
    "UnsortedSegmentSum", _unsorted_kernel("UnsortedSegmentSum", xp.add, lambda d: 0),
    dtype_rule=_SEG_NUM, shape_rule=_unsorted_shape, grad=_unsorted_segment_sum_grad)
unsorted_segment_max_op = defop(
    "UnsortedSegmentMax",
    _unsorted_kernel("UnsortedSegmentMax", xp.maximum, lambda d: _finite_limits(d)[0]),
    dtype_rule=_SEG_REAL, shape_rule=_unsorted_shape, grad=_unsorted_segment_min_or_max_grad)
unsorted_segment_min_op = defop(
    "UnsortedSegmentMin",
    _unsorted_kernel("UnsortedSegmentMin", xp.minimum, lambda d: _finite_limits(d)[1]),
    dtype_rule=_SEG_REAL, shape_rule=_unsorted_shape, grad=_unsorted_segment_min_or_max_grad)
unsorted_segment_prod_op = defop(
    "UnsortedSegmentProd", _unsorted_kernel("UnsortedSegmentProd", xp.multiply, lambda d: 1),
    dtype_rule=_SEG_NUM, shape_rule=_unsorted_shape, grad=_unsorted_segment_prod_grad)
# fmt: on


def _unsorted(op, data, segment_ids, num_segments, name):
    data, segment_ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    from tensorlet.ops.array_ops import py_int  # noqa: PLC0415 (import cycle)

    # a host value TF takes as an input; also a symbolic one tracing can compute
    return apply(op, data, segment_ids, num_segments=py_int(num_segments), name=name)


@tf_export("math.unsorted_segment_sum")
def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """Sums ``data`` by segment id (any order; negative ids are dropped).

    Example:
        >>> tf.math.unsorted_segment_sum([1, 2, 3], [2, 0, 2], num_segments=3).numpy()
        array([2, 0, 4], dtype=int32)
    """
    return _unsorted(unsorted_segment_sum_op, data, segment_ids, num_segments, name)


@tf_export("math.unsorted_segment_max")
def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    """Maximum by segment id; empty segments are the dtype's lowest finite value."""
    return _unsorted(unsorted_segment_max_op, data, segment_ids, num_segments, name)


@tf_export("math.unsorted_segment_min")
def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    """Minimum by segment id; empty segments are the dtype's highest finite value."""
    return _unsorted(unsorted_segment_min_op, data, segment_ids, num_segments, name)


@tf_export("math.unsorted_segment_prod")
def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    """Product by segment id; empty segments are 1."""
    return _unsorted(unsorted_segment_prod_op, data, segment_ids, num_segments, name)


def _unsorted_segment_n(data, segment_ids, num_segments):
    """Rows per segment (at least 1), shaped to broadcast against the segment sums."""
    ones = convert_to_tensor(xp.ones(segment_ids.shape.as_list(), data.dtype.as_numpy_dtype))
    n = unsorted_segment_sum(ones, segment_ids, num_segments)
    n = A.reshape(n, [int(num_segments)] + [1] * (data.shape.rank - segment_ids.shape.rank))
    return M.maximum(n, _scalar(1, data.dtype))


@tf_export("math.unsorted_segment_mean")
def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """Mean by segment id (a composite: sum / count; integer data gives float64, as ``/``)."""
    data, segment_ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    n = _unsorted_segment_n(data, segment_ids, num_segments)
    return M.truediv(unsorted_segment_sum(data, segment_ids, num_segments), n, name=name)


@tf_export("math.unsorted_segment_sqrt_n")
def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """Sum by segment id divided by sqrt(count)."""
    data, segment_ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    n = _unsorted_segment_n(data, segment_ids, num_segments)
    summed = unsorted_segment_sum(data, segment_ids, num_segments)
    return M.truediv(summed, M.sqrt(n), name=name)


# ---------------------------------------------------------------- sparse segment ops


def _sparse_shape(op, inputs, attrs):
    data, n = inputs[0].shape, attrs.get("num_segments", attrs.get("output_dim0"))
    return (TensorShape(None) if data.rank is None else TensorShape([n] + list(data)[1:]),)


def _sparse_kernel(name, scale):
    def forward(data, indices, segment_ids, num_segments):
        if indices.shape != segment_ids.shape:
            raise invalid(name, "segment_ids and indices should have same size.")
        bad = (indices < 0) | (indices >= data.shape[0])
        if bad.any():
            i = int(xp.argmax(bad))
            raise invalid(
                name, f"Bad: indices[{i}] == {indices[i]} out of range [0, {data.shape[0]})"
            )
        _, starts, run_ids = _segment_runs(name, segment_ids)
        if run_ids.size and run_ids[-1] >= num_segments:
            raise invalid(name, f"segment ids must be < num_segments ({num_segments})")
        out = xp.zeros((num_segments,) + data.shape[1:], data.dtype)
        if starts.size:
            sums = xp.add.reduceat(data[indices], starts, axis=0)
            counts = xp.diff(xp.append(starts, segment_ids.size))
            out[run_ids] = sums if scale is None else sums / _rows(scale(counts), sums.ndim)
        return out

    return forward


def _sparse_grad_kernel(scale):
    """TF's SparseSegment{Sum,Mean,SqrtN}Grad: each grad row goes back to its data row."""

    def forward(grad, indices, segment_ids, output_dim0):
        out = xp.zeros((output_dim0,) + grad.shape[1:], grad.dtype)
        rows = grad[segment_ids]
        if scale is not None and segment_ids.size:
            rows = rows / _rows(scale(xp.bincount(segment_ids)[segment_ids]), grad.ndim)
        xp.add.at(out, indices, rows.astype(grad.dtype))
        return out

    return forward


def _sparse_grad(grad_op):
    def grad(op, dy):
        data, indices, segment_ids = op.inputs
        return [apply(grad_op, dy, indices, segment_ids, output_dim0=data.shape[0]), None, None]

    return grad


def _count(c):
    return c.astype(xp.float64)


def _sqrt_count(c):
    return xp.sqrt(c.astype(xp.float64))


# fmt: off
sparse_segment_sum_grad_op = defop("SparseSegmentSumGrad", _sparse_grad_kernel(None),
                                   dtype_rule=_SEG_FLOAT, shape_rule=_sparse_shape)
sparse_segment_mean_grad_op = defop("SparseSegmentMeanGrad", _sparse_grad_kernel(_count),
                                    dtype_rule=_SEG_FLOAT, shape_rule=_sparse_shape)
sparse_segment_sqrt_n_grad_op = defop("SparseSegmentSqrtNGrad", _sparse_grad_kernel(_sqrt_count),
                                      dtype_rule=_SEG_FLOAT, shape_rule=_sparse_shape)
sparse_segment_sum_op = defop("SparseSegmentSum", _sparse_kernel("SparseSegmentSum", None),
                              dtype_rule=_SEG_REAL, shape_rule=_sparse_shape,
                              grad=_sparse_grad(sparse_segment_sum_grad_op))
sparse_segment_mean_op = defop("SparseSegmentMean", _sparse_kernel("SparseSegmentMean", _count),
                               dtype_rule=_SEG_FLOAT, shape_rule=_sparse_shape,
                               grad=_sparse_grad(sparse_segment_mean_grad_op))
sparse_segment_sqrt_n_op = defop("SparseSegmentSqrtN",
                                 _sparse_kernel("SparseSegmentSqrtN", _sqrt_count),
                                 dtype_rule=_SEG_FLOAT, shape_rule=_sparse_shape,
                                 grad=_sparse_grad(sparse_segment_sqrt_n_grad_op))
# fmt: on


def _sparse(op, data, indices, segment_ids, num_segments, name):
    data, indices, ids = (convert_to_tensor(t) for t in (data, indices, segment_ids))
    if num_segments is None:  # the last (largest) segment id + 1
        v = ids.numpy()
        num_segments = int(v[-1]) + 1 if v.size else 0
    return apply(op, data, indices, ids, num_segments=int(num_segments), name=name)


@tf_export("sparse.segment_sum")
def sparse_segment_sum(data, indices, segment_ids, num_segments=None, name=None,
                       sparse_gradient=False):  # fmt: skip
    """``segment_sum`` over the rows ``data[indices]``."""
    return _sparse(sparse_segment_sum_op, data, indices, segment_ids, num_segments, name)


@tf_export("sparse.segment_mean")
def sparse_segment_mean(data, indices, segment_ids, num_segments=None, name=None,
                        sparse_gradient=False):  # fmt: skip
    """``segment_mean`` over the rows ``data[indices]`` (empty segments are 0)."""
    return _sparse(sparse_segment_mean_op, data, indices, segment_ids, num_segments, name)


@tf_export("sparse.segment_sqrt_n")
def sparse_segment_sqrt_n(data, indices, segment_ids, num_segments=None, name=None,
                          sparse_gradient=False):  # fmt: skip
    """Segment sums over the rows ``data[indices]`` divided by sqrt(count)."""
    return _sparse(sparse_segment_sqrt_n_op, data, indices, segment_ids, num_segments, name)


# ---------------------------------------------------------------- bincount, histograms


def _dense_bincount_forward(x, weights, size, binary_output):
    if (x < 0).any():
        raise invalid("DenseBincount", "Input arr must be non-negative!")
    one_d = x.ndim < 2
    x2 = x.reshape(1, -1) if one_d else x
    rows = x2.shape[0]
    keep = x2 < size  # values >= size (maxlength) are skipped
    flat = (x2 + xp.arange(rows, dtype=x2.dtype).reshape(-1, 1) * size)[keep]
    if binary_output or weights.size == 0:
        counts = xp.bincount(flat, minlength=rows * size)
        counts = counts > 0 if binary_output else counts
    else:
        counts = xp.bincount(flat, weights=weights.reshape(x2.shape)[keep], minlength=rows * size)
    counts = counts.astype(weights.dtype).reshape(rows, size)
    return counts[0] if one_d else counts


def _dense_bincount_shape(op, inputs, attrs):
    s, size = inputs[0].shape, attrs["size"]
    if s.rank is None:
        return (TensorShape(None),)
    if s.rank > 2:
        raise invalid(op.name, f"Shape must be at most rank 2 but is rank {s.rank}")
    return (TensorShape([size] if s.rank <= 1 else [s[0], size]),)


def _dense_bincount_dtypes(op, inputs, attrs):
    if inputs[0].dtype not in _INDEX:
        raise invalid(op.name, f"Value for attr 'Tidx' of {inputs[0].dtype.name} is not in the "
                               "list of allowed values: int32, int64")  # fmt: skip
    w = inputs[1].dtype
    if w not in (D.int32, D.int64, D.float32, D.float64):
        raise invalid(op.name, f"Value for attr 'T' of {w.name} is not in the list of allowed "
                               "values: int32, int64, float, double")  # fmt: skip
    return (w,)


def _no_gradient(op, *dys):
    raise LookupError(f"gradient registry has no entry for: {op.type}")


dense_bincount_op = defop("DenseBincount", _dense_bincount_forward,
                          dtype_rule=_dense_bincount_dtypes, shape_rule=_dense_bincount_shape,
                          grad=_no_gradient)  # fmt: skip


@tf_export("math.bincount")
def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=D.int32, name=None,
             axis=None, binary_output=False):  # fmt: skip
    """Counts occurrences of each value in a non-negative integer tensor.

    The length is ``max(arr) + 1`` (0 for an empty ``arr``), raised to ``minlength`` and capped
    at ``maxlength`` (larger values are skipped). With ``weights`` the bins sum weights and take
    their dtype. ``axis=-1`` counts each row of a 2-D ``arr`` separately.

    Example:
        >>> tf.math.bincount([1, 1, 3]).numpy()
        array([0, 2, 0, 1], dtype=int32)
    """
    arr = convert_to_tensor(arr)
    if weights is not None:
        weights = convert_to_tensor(weights)
        if binary_output:
            raise ValueError("Arguments `binary_output` and `weights` are mutually exclusive. "
                             "Please specify only one.")  # fmt: skip
    if not arr.dtype.is_integer:
        arr = M.cast(arr, D.int32)
    axis = 0 if axis is None else axis
    if axis not in (0, -1):
        raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are "
                         "currently supported.")  # fmt: skip
    if minlength is not None and maxlength is not None and A.py_int(minlength) == A.py_int(
            maxlength):
        size = A.py_int(minlength)  # known without looking at the data
    else:
        # the output length depends on the data: read while tracing, one graph per value
        values = A.host_array(arr)
        size = int(values.max()) + 1 if values.size else 0
        size = max(A.py_int(minlength), size) if minlength is not None else size
        size = min(A.py_int(maxlength), size) if maxlength is not None else size
    if axis == 0:
        arr = A.reshape(arr, [-1])
        weights = None if weights is None else A.reshape(weights, [-1])
    if weights is None:
        weights = convert_to_tensor(xp.zeros((0,), D.as_dtype(dtype).as_numpy_dtype))
    attrs = {"size": max(size, 0), "binary_output": bool(binary_output)}
    return apply(dense_bincount_op, arr, weights, **attrs, name=name)


@tf_export("compat.v1.math.bincount", "compat.v1.bincount")
def bincount_v1(arr, weights=None, minlength=None, maxlength=None, dtype=D.int32):
    """TF1 ``bincount``: 1-D counts (``tf.math.bincount`` without axis / binary_output)."""
    return bincount(arr, weights, minlength, maxlength, dtype)


def _histogram_forward(values, value_range, nbins, dtype):
    lo, hi = value_range[0], value_range[1]
    if nbins <= 0:
        raise invalid(
            "HistogramFixedWidth", f"nbins should be a positive number, but got '{nbins}'"
        )
    if not lo < hi:
        raise invalid("HistogramFixedWidth", "value_range should satisfy value_range[0] < "
                                             f"value_range[1], but got '[{lo}, {hi}]'")  # fmt: skip
    step = (float(hi) - float(lo)) / nbins  # TF: bin = min((max(x, lo) - lo) / step, nbins - 1)
    diff = (xp.maximum(values, lo) - lo).astype(xp.float64)
    bins = xp.minimum(diff / step, nbins - 1).astype(xp.int64).reshape(-1)
    return xp.bincount(bins, minlength=nbins)[:nbins]


def _histogram_dtypes(op, inputs, attrs):
    d = inputs[0].dtype
    if d not in (D.int32, D.int64, D.float32, D.float64):
        raise invalid(op.name, f"Value for attr 'T' of {d.name} is not in the list of allowed "
                               "values: int32, int64, float, double")  # fmt: skip
    if inputs[1].dtype is not d:
        raise invalid(op.name, f"cannot compute {op.name} as input #1(zero-based) was expected to "
                               f"be a {d.name} tensor but is a {inputs[1].dtype.name} tensor")  # fmt: skip
    return (attrs["dtype"],)


def _histogram_shape(op, inputs, attrs):
    return (TensorShape([attrs["nbins"]]),)


histogram_fixed_width_op = defop("HistogramFixedWidth", _histogram_forward,
                                 dtype_rule=_histogram_dtypes, shape_rule=_histogram_shape)  # fmt: skip


@tf_export("histogram_fixed_width")
def histogram_fixed_width(values, value_range, nbins=100, dtype=D.int32, name=None):
    """Counts of ``values`` in ``nbins`` equal bins over ``value_range`` (outliers go to the
    first / last bin).

    Example:
        >>> tf.histogram_fixed_width([-1.0, 0.5, 1.5, 9.0], [0.0, 2.0], nbins=2).numpy()
        array([2, 2], dtype=int32)
    """
    values = convert_to_tensor(values)
    value_range = convert_to_tensor(value_range, dtype=values.dtype)
    attrs = {"nbins": int(nbins), "dtype": D.as_dtype(dtype)}
    return apply(histogram_fixed_width_op, values, value_range, **attrs, name=name)


@tf_export("histogram_fixed_width_bins")
def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=D.int32, name=None):
    """The int32 bin index of each of ``values`` (a composite, as in TF): floor(nbins * (x - lo)
    / (hi - lo)) clipped to [0, nbins - 1]."""
    values = convert_to_tensor(values)
    shape = values.shape.as_list()
    value_range = convert_to_tensor(value_range, dtype=values.dtype)
    lo, hi = A.gather(value_range, 0), A.gather(value_range, 1)
    nbins_f = _scalar(nbins, values.dtype)
    scaled = M.truediv(M.subtract(A.reshape(values, [-1]), lo), M.subtract(hi, lo))
    indices = M.floor(M.multiply(nbins_f, scaled))
    top = M.subtract(nbins_f, _scalar(1, values.dtype))
    indices = M.maximum(M.minimum(indices, top), _scalar(0, values.dtype))
    return A.reshape(M.cast(indices, D.int32), shape)
