"""Segment reductions (sorted, unsorted, sparse), bincount and fixed-width histograms.

TF's edge cases kept: sorted ``segment_*`` give 0 for empty segments (1 for prod), while
``unsorted_segment_max``/``min`` give the lowest/highest finite value (-3.4028235e38 for float32)
and drop negative ids; ``unsorted_segment_mean``/``sqrt_n`` are composites (TF has no such ops).
"""
from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops.op_def import apply, defop
from tensorlet.ops.reduction_ops import _NUMBER, _NUMBER_NAMES, _REAL, _REAL_NAMES, type_rule

D = dtypes
_INDEX = (D.int32, D.int64)


def _err(op_name, message):
    return errors.op_error(errors.InvalidArgumentError, op_name, message)


def _data_rule(allowed, names):
    values = type_rule(allowed, names)

    def rule(op, inputs, attrs):
        for i, t in enumerate(inputs[1:], 1):
            if t.dtype not in _INDEX:
                raise errors.op_error(
                    errors.InvalidArgumentError, op.name,
                    f"Value for attr 'Tindices' of {t.dtype.name} is not in the list of allowed "
                    f"values: int32, int64\n\t; NodeDef: {{{{node {op.name}}}}}")
        return values(op, inputs, attrs)

    return rule


# ---------------------------------------------------------------- sorted segment ops

def _segment_shape(op, inputs, attrs):
    data, ids = inputs[0].shape, inputs[1].shape
    if ids.rank is not None and ids.rank != 1:
        raise _err(op.name, f"segment_ids should be a vector but received shape {list(ids)}")
    if data.rank is None:
        return (TensorShape(None),)
    if data.rank < 1:
        raise _err(op.name, "Shape must be at least rank 1 but is rank 0")
    if ids.rank == 1 and None not in (ids[0], data[0]) and ids[0] != data[0]:
        raise _err(op.name, f"segment_ids should be the same size as dimension 0 of input."
                            f" data.shape = {list(data)}, segment_ids.shape = {list(ids)}")
    return (TensorShape([None] + list(data)[1:]),)


def _segment_starts(op_name, ids):
    """Validates sorted ids; returns (number of segments, start of each run, the run's id)."""
    if ids.size and ids[0] < 0:
        raise _err(op_name, "segment ids must be >= 0")
    if ids.size > 1 and (ids[1:] < ids[:-1]).any():
        raise _err(op_name, "segment ids are not increasing")
    if ids.size == 0:
        return 0, ids, ids
    starts = xp.concatenate([[0], xp.nonzero(ids[1:] != ids[:-1])[0] + 1])
    return int(ids[-1]) + 1, starts, ids[starts]


def _segment_kernel(name, ufunc, empty, finish=None):
    def forward(data, ids):
        if ids.shape[0] != data.shape[0]:
            raise _err(name, "segment_ids should be the same size as dimension 0 of input.")
        n, starts, run_ids = _segment_starts(name, ids)
        out = xp.full((n,) + data.shape[1:], empty, data.dtype)
        if starts.size:
            out[run_ids] = ufunc.reduceat(data, starts, axis=0)
            if finish is not None:
                out[run_ids] = finish(out[run_ids], xp.diff(xp.append(starts, ids.size)))
        return out

    return forward


def _divide_counts(sums, counts):
    counts = counts.reshape((-1,) + (1,) * (sums.ndim - 1))
    if sums.dtype.kind in "iu":  # C integer division: truncates toward zero
        return (xp.sign(sums) * (xp.abs(sums) // counts)).astype(sums.dtype)
    return sums / counts.astype(sums.dtype)


def _gather(params, ids):
    from tensorlet.ops import array_ops
    return array_ops.gather(params, ids)


def _segment_sum_grad(op, dy):
    """Each row of data gets its segment's gradient."""
    return [_gather(dy, op.inputs[1]), None]


def _segment_mean_grad(op, dy):
    from tensorlet.ops import math_ops
    data, ids = op.inputs
    ones = _ones(ids.shape.as_list() + [1] * (data.shape.rank - 1), dy.dtype)
    return [_gather(math_ops.divide(dy, segment_sum(ones, ids)), ids), None]


def _ones(shape, dtype):
    return convert_to_tensor(xp.ones(shape, dtype.as_numpy_dtype))


def _segment_min_or_max_grad(op, dy):
    """Splits each segment's gradient equally among the rows equal to its extremum."""
    from tensorlet.ops import array_ops, math_ops
    data, ids = op.inputs
    is_selected = math_ops.equal(data, _gather(op.outputs[0], ids))
    num_selected = segment_sum(math_ops.cast(is_selected, dy.dtype), ids)
    grads = _gather(math_ops.divide(dy, num_selected), ids)
    return [array_ops.where(is_selected, grads, array_ops.zeros_like(data)), None]


def _segment_prod_grad(op, dy):
    """TF's _SegmentProdGrad: prod / x, with zeros handled via the product of non-zeros."""
    from tensorlet.ops import array_ops, math_ops
    data, ids = op.inputs
    is_zero = math_ops.equal(data, array_ops.zeros_like(data))
    num_zeros = segment_sum(math_ops.cast(is_zero, D.int32), ids)
    dy = array_ops.where(math_ops.greater(num_zeros, _scalar(1, D.int32)), array_ops.zeros_like(dy), dy)
    non_zero_data = array_ops.where(is_zero, array_ops.ones_like(data), data)
    non_zero_prod = segment_prod(non_zero_data, ids)
    by_el = math_ops.divide(_gather(op.outputs[0], ids), non_zero_data)
    partial = array_ops.where(is_zero, _gather(non_zero_prod, ids), by_el)
    return [math_ops.multiply(_gather(dy, ids), partial), None]


def _scalar(value, dtype):
    return convert_to_tensor(xp.asarray(value, dtype=dtype.as_numpy_dtype))


_SEG_NUM = _data_rule(_NUMBER, _NUMBER_NAMES)
_SEG_REAL = _data_rule(_REAL, _REAL_NAMES)
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
    if list(data)[:ids.rank] != list(ids) and None not in list(data)[:ids.rank] + list(ids):
        raise _err(op.name, f"data.shape = {list(data)} does not start with segment_ids.shape = "
                            f"{list(ids)}")
    return (TensorShape([n] + list(data)[ids.rank:]),)


def _unsorted_kernel(name, ufunc, init):
    def forward(data, ids, num_segments):
        inner = data.shape[ids.ndim:]
        flat_ids = ids.reshape(-1)
        bad = flat_ids >= num_segments
        if bad.any():
            i = int(xp.argmax(bad))
            raise _err(name, f"segment_ids[{i}] = {flat_ids[i]} is out of range [0, {num_segments})")
        out = xp.full((num_segments,) + inner, init(data.dtype), data.dtype)
        keep = flat_ids >= 0
        ufunc.at(out, flat_ids[keep], data.reshape((-1,) + inner)[keep])
        return out

    return forward


def _lowest_finite(dt):
    return xp.iinfo(dt).min if dt.kind in "iu" else xp.finfo(dt).min if dt.kind != "V" else -3.3895314e38


def _highest_finite(dt):
    return xp.iinfo(dt).max if dt.kind in "iu" else xp.finfo(dt).max if dt.kind != "V" else 3.3895314e38


def _gather_drop_negatives(params, ids, zero_clipped=None, is_positive=None):
    """TF's _GatherDropNegatives: gather at max(ids, 0), zeros where ids < 0."""
    from tensorlet.ops import array_ops, math_ops
    if zero_clipped is None:
        zero_clipped = math_ops.maximum(ids, array_ops.zeros_like(ids))
    gathered = _gather(params, zero_clipped)
    if is_positive is None:
        is_positive = math_ops.greater_equal(ids, array_ops.zeros_like(ids))
        extra = gathered.shape.rank - is_positive.shape.rank
        if extra:
            is_positive = array_ops.reshape(is_positive, is_positive.shape.as_list() + [1] * extra)
    zeros = array_ops.zeros_like(gathered)
    return array_ops.where(is_positive, gathered, zeros), zero_clipped, is_positive


def _unsorted_segment_sum_grad(op, dy):
    return [_gather_drop_negatives(dy, op.inputs[1])[0], None]


def _unsorted_segment_min_or_max_grad(op, dy):
    from tensorlet.ops import array_ops, math_ops
    data, ids = op.inputs
    gathered, clipped, is_positive = _gather_drop_negatives(op.outputs[0], ids)
    is_selected = math_ops.logical_and(math_ops.equal(data, gathered), is_positive)
    num_selected = unsorted_segment_sum(math_ops.cast(is_selected, dy.dtype), ids,
                                        op.get_attr("num_segments"))
    weighted = math_ops.divide(dy, num_selected)
    grads = _gather_drop_negatives(weighted, None, clipped, is_positive)[0]
    return [array_ops.where(is_selected, grads, array_ops.zeros_like(grads)), None]


def _unsorted_segment_prod_grad(op, dy):
    """TF's _UnsortedSegmentProdGrad (zeros handled like SegmentProd)."""
    from tensorlet.ops import array_ops, math_ops
    data, ids = op.inputs
    n = op.get_attr("num_segments")
    is_zero = math_ops.equal(data, array_ops.zeros_like(data))
    num_zeros = unsorted_segment_sum(math_ops.cast(is_zero, D.int32), ids, n)
    dy = array_ops.where(math_ops.greater(num_zeros, _scalar(1, D.int32)), array_ops.zeros_like(dy), dy)
    non_zero_data = array_ops.where(is_zero, array_ops.ones_like(data), data)
    non_zero_prod = unsorted_segment_prod(non_zero_data, ids, n)
    zero_clipped = math_ops.maximum(ids, array_ops.zeros_like(ids))
    by_el = math_ops.divide(_gather(op.outputs[0], zero_clipped), non_zero_data)
    partial = array_ops.where(is_zero, _gather(non_zero_prod, zero_clipped), by_el)
    return [math_ops.multiply(_gather_drop_negatives(dy, ids, zero_clipped)[0], partial), None]


unsorted_segment_sum_op = defop(
    "UnsortedSegmentSum", _unsorted_kernel("UnsortedSegmentSum", xp.add, lambda d: 0),
    dtype_rule=_SEG_NUM, shape_rule=_unsorted_shape, grad=_unsorted_segment_sum_grad)
unsorted_segment_max_op = defop(
    "UnsortedSegmentMax", _unsorted_kernel("UnsortedSegmentMax", xp.maximum, _lowest_finite),
    dtype_rule=_SEG_REAL, shape_rule=_unsorted_shape, grad=_unsorted_segment_min_or_max_grad)
unsorted_segment_min_op = defop(
    "UnsortedSegmentMin", _unsorted_kernel("UnsortedSegmentMin", xp.minimum, _highest_finite),
    dtype_rule=_SEG_REAL, shape_rule=_unsorted_shape, grad=_unsorted_segment_min_or_max_grad)
unsorted_segment_prod_op = defop(
    "UnsortedSegmentProd", _unsorted_kernel("UnsortedSegmentProd", xp.multiply, lambda d: 1),
    dtype_rule=_SEG_NUM, shape_rule=_unsorted_shape, grad=_unsorted_segment_prod_grad)


def _unsorted(op, data, segment_ids, num_segments, name):
    if hasattr(num_segments, "numpy"):
        num_segments = num_segments.numpy()
    return apply(op, convert_to_tensor(data), convert_to_tensor(segment_ids),
                 num_segments=int(num_segments), name=name)


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
    from tensorlet.ops import math_ops
    ones = _ones(segment_ids.shape.as_list(), data.dtype)
    n = unsorted_segment_sum(ones, segment_ids, num_segments)
    n = _reshape(n, [int(num_segments)] + [1] * (data.shape.rank - segment_ids.shape.rank))
    return math_ops.maximum(n, _scalar(1, data.dtype))


def _reshape(t, shape):
    from tensorlet.ops import array_ops
    return array_ops.reshape(t, shape)


@tf_export("math.unsorted_segment_mean")
def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """Mean by segment id (a composite: sum / count; integer data gives float64, as ``/``)."""
    from tensorlet.ops import math_ops
    data, segment_ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    n = _unsorted_segment_n(data, segment_ids, num_segments)
    return math_ops.truediv(unsorted_segment_sum(data, segment_ids, num_segments), n, name=name)


@tf_export("math.unsorted_segment_sqrt_n")
def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """Sum by segment id divided by sqrt(count)."""
    from tensorlet.ops import math_ops
    data, segment_ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    n = _unsorted_segment_n(data, segment_ids, num_segments)
    return math_ops.truediv(unsorted_segment_sum(data, segment_ids, num_segments),
                            math_ops.sqrt(n), name=name)


# ---------------------------------------------------------------- sparse segment ops

def _sparse_segment_shape(op, inputs, attrs):
    data = inputs[0].shape
    n = attrs["num_segments"]
    if data.rank is None:
        return (TensorShape(None),)
    return (TensorShape([n] + list(data)[1:]),)


def _sparse_segment_kernel(name, scale):
    def forward(data, indices, segment_ids, num_segments):
        if indices.shape != segment_ids.shape:
            raise _err(name, "segment_ids and indices should have same size.")
        bad = (indices < 0) | (indices >= data.shape[0])
        if bad.any():
            i = int(xp.argmax(bad))
            raise _err(name, f"Bad: indices[{i}] == {indices[i]} out of range [0, {data.shape[0]})")
        n, starts, run_ids = _segment_starts(name, segment_ids)
        n = n if num_segments is None else num_segments
        if run_ids.size and run_ids[-1] >= n:
            raise _err(name, f"segment ids must be < num_segments ({n})")
        out = xp.zeros((n,) + data.shape[1:], data.dtype)
        if starts.size:
            sums = xp.add.reduceat(data[indices], starts, axis=0)
            counts = xp.diff(xp.append(starts, segment_ids.size))
            out[run_ids] = scale(sums, counts) if scale else sums
        return out

    return forward


def _sqrt_counts(sums, counts):
    counts = counts.reshape((-1,) + (1,) * (sums.ndim - 1))
    return sums / xp.sqrt(counts).astype(sums.dtype)


def _sparse_segment_grad(grad_op):
    def grad(op, dy):
        data, indices, segment_ids = op.inputs
        dx = apply(grad_op, dy, indices, segment_ids, output_dim0=data.shape[0])
        return [dx, None, None]

    return grad


def _sparse_grad_kernel(weight):
    def forward(grad, indices, segment_ids, output_dim0):
        out = xp.zeros((output_dim0,) + grad.shape[1:], grad.dtype)
        rows = grad[segment_ids]
        if weight is not None and segment_ids.size:
            counts = xp.bincount(segment_ids)[segment_ids].astype(grad.dtype)
            rows = rows / weight(counts).reshape((-1,) + (1,) * (grad.ndim - 1))
        xp.add.at(out, indices, rows)
        return out

    return forward


def _sparse_grad_shape(op, inputs, attrs):
    g = inputs[0].shape
    return (TensorShape(None) if g.rank is None else TensorShape([attrs["output_dim0"]] + list(g)[1:]),)


_FLOATS = (D.float32, D.float64, D.float16, D.bfloat16)
_FLOAT_NAMES = "bfloat16, half, float, double"
_sparse_data_rule = _data_rule(_REAL, _REAL_NAMES)
_sparse_float_rule = _data_rule(_FLOATS, _FLOAT_NAMES)
sparse_segment_sum_grad_op = defop(
    "SparseSegmentSumGrad", _sparse_grad_kernel(None), dtype_rule=_sparse_float_rule,
    shape_rule=_sparse_grad_shape)
sparse_segment_mean_grad_op = defop(
    "SparseSegmentMeanGrad", _sparse_grad_kernel(lambda c: c), dtype_rule=_sparse_float_rule,
    shape_rule=_sparse_grad_shape)
sparse_segment_sqrt_n_grad_op = defop(
    "SparseSegmentSqrtNGrad", _sparse_grad_kernel(xp.sqrt), dtype_rule=_sparse_float_rule,
    shape_rule=_sparse_grad_shape)
sparse_segment_sum_op = defop(
    "SparseSegmentSum", _sparse_segment_kernel("SparseSegmentSum", None),
    dtype_rule=_sparse_data_rule, shape_rule=_sparse_segment_shape,
    grad=_sparse_segment_grad(sparse_segment_sum_grad_op))
sparse_segment_mean_op = defop(
    "SparseSegmentMean", _sparse_segment_kernel("SparseSegmentMean", _divide_counts),
    dtype_rule=_sparse_float_rule, shape_rule=_sparse_segment_shape,
    grad=_sparse_segment_grad(sparse_segment_mean_grad_op))
sparse_segment_sqrt_n_op = defop(
    "SparseSegmentSqrtN", _sparse_segment_kernel("SparseSegmentSqrtN", _sqrt_counts),
    dtype_rule=_sparse_float_rule, shape_rule=_sparse_segment_shape,
    grad=_sparse_segment_grad(sparse_segment_sqrt_n_grad_op))


def _sparse(op, data, indices, segment_ids, num_segments, name):
    data, indices, ids = (convert_to_tensor(t) for t in (data, indices, segment_ids))
    if num_segments is None:
        v = ids.numpy()
        num_segments = int(v[-1]) + 1 if v.size else 0
    elif hasattr(num_segments, "numpy"):
        num_segments = int(num_segments.numpy())
    return apply(op, data, indices, ids, num_segments=int(num_segments), name=name)


@tf_export("sparse.segment_sum")
def sparse_segment_sum(data, indices, segment_ids, num_segments=None, name=None,
                       sparse_gradient=False):
    """segment_sum over the rows ``data[indices]``."""
    return _sparse(sparse_segment_sum_op, data, indices, segment_ids, num_segments, name)


@tf_export("sparse.segment_mean")
def sparse_segment_mean(data, indices, segment_ids, num_segments=None, name=None,
                        sparse_gradient=False):
    """segment_mean over the rows ``data[indices]`` (empty segments are 0)."""
    return _sparse(sparse_segment_mean_op, data, indices, segment_ids, num_segments, name)


@tf_export("sparse.segment_sqrt_n")
def sparse_segment_sqrt_n(data, indices, segment_ids, num_segments=None, name=None,
                          sparse_gradient=False):
    """Segment sums over the rows ``data[indices]`` divided by sqrt(count)."""
    return _sparse(sparse_segment_sqrt_n_op, data, indices, segment_ids, num_segments, name)


# ---------------------------------------------------------------- bincount, histograms

def _dense_bincount_forward(x, weights, size, binary_output):
    if (x < 0).any():
        raise _err("DenseBincount", "Input arr must be non-negative!")
    one_d = x.ndim < 2
    x2 = x.reshape(1, -1) if one_d else x
    rows = x2.shape[0]
    keep = x2 < size
    flat = (x2 + xp.arange(rows, dtype=x2.dtype).reshape(-1, 1) * size)[keep]
    if binary_output or weights.size == 0:
        counts = xp.bincount(flat, minlength=rows * size)
        if binary_output:
            counts = counts > 0
    else:
        counts = xp.bincount(flat, weights=weights.reshape(x2.shape)[keep], minlength=rows * size)
    counts = counts.astype(weights.dtype).reshape(rows, size)
    return counts[0] if one_d else counts


def _dense_bincount_shape(op, inputs, attrs):
    s, size = inputs[0].shape, attrs["size"]
    if s.rank is None:
        return (TensorShape(None),)
    if s.rank > 2:
        raise _err(op.name, f"Shape must be at most rank 2 but is rank {s.rank}")
    return (TensorShape([size] if s.rank <= 1 else [s[0], size]),)


def _dense_bincount_dtypes(op, inputs, attrs):
    if inputs[0].dtype not in _INDEX:
        raise _err(op.name, f"Value for attr 'Tidx' of {inputs[0].dtype.name} is not in the list "
                            f"of allowed values: int32, int64")
    w = inputs[1].dtype
    if w not in (D.int32, D.int64, D.float32, D.float64):
        raise _err(op.name, f"Value for attr 'T' of {w.name} is not in the list of allowed "
                            f"values: int32, int64, float, double")
    return (w,)


def _no_gradient(name):
    def grad(op, *dys):
        raise LookupError(f"gradient registry has no entry for: {name}")

    return grad


dense_bincount_op = defop("DenseBincount", _dense_bincount_forward,
                          dtype_rule=_dense_bincount_dtypes, shape_rule=_dense_bincount_shape,
                          grad=_no_gradient("DenseBincount"))


@tf_export("math.bincount")
def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=D.int32, name=None,
             axis=None, binary_output=False):
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
                             "Please specify only one.")
    if not arr.dtype.is_integer:
        from tensorlet.ops import math_ops
        arr = math_ops.cast(arr, D.int32)
    axis = 0 if axis is None else axis
    if axis not in (0, -1):
        raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are "
                         f"currently supported.")
    values = arr.numpy()
    size = int(values.max()) + 1 if values.size else 0
    if minlength is not None:
        size = max(int(minlength), size)
    if maxlength is not None:
        size = min(int(maxlength), size)
    if axis == 0:
        arr = _reshape(arr, [-1])
        if weights is not None:
            weights = _reshape(weights, [-1])
    if weights is None:
        weights = convert_to_tensor(xp.zeros((0,), D.as_dtype(dtype).as_numpy_dtype))
    return apply(dense_bincount_op, arr, weights, size=max(size, 0),
                 binary_output=bool(binary_output), name=name)


@tf_export("compat.v1.math.bincount", "compat.v1.bincount")
def bincount_v1(arr, weights=None, minlength=None, maxlength=None, dtype=D.int32):
    """TF1 ``bincount``: 1-D counts (``tf.math.bincount`` without axis / binary_output)."""
    return bincount(arr, weights, minlength, maxlength, dtype)


def _histogram_forward(values, value_range, nbins, dtype):
    lo, hi = value_range[0], value_range[1]
    if nbins <= 0:
        raise _err("HistogramFixedWidth", f"nbins should be a positive number, but got '{nbins}'")
    if not lo < hi:
        raise _err("HistogramFixedWidth", "value_range should satisfy value_range[0] < "
                                          f"value_range[1], but got '[{lo}, {hi}]'")
    step = (float(hi) - float(lo)) / nbins  # TF: bin = min((max(x, lo) - lo) / step, nbins - 1)
    diff = (xp.maximum(values, lo) - lo).astype(xp.float64)
    bins = xp.minimum(diff / step, nbins - 1).astype(xp.int64).reshape(-1)
    return xp.bincount(bins, minlength=nbins)[:nbins]


def _histogram_dtypes(op, inputs, attrs):
    d = inputs[0].dtype
    if d not in (D.int32, D.int64, D.float32, D.float64):
        raise _err(op.name, f"Value for attr 'T' of {d.name} is not in the list of allowed "
                            f"values: int32, int64, float, double")
    if inputs[1].dtype is not d:
        raise _err(op.name, f"cannot compute {op.name} as input #1(zero-based) was expected to be "
                            f"a {d.name} tensor but is a {inputs[1].dtype.name} tensor")
    return (attrs["dtype"],)


histogram_fixed_width_op = defop(
    "HistogramFixedWidth", _histogram_forward, dtype_rule=_histogram_dtypes,
    shape_rule=lambda op, inputs, attrs: (TensorShape([attrs["nbins"]]),))


@tf_export("histogram_fixed_width")
def histogram_fixed_width(values, value_range, nbins=100, dtype=D.int32, name=None):
    """Counts of ``values`` in ``nbins`` equal bins over ``value_range`` (outliers go to the
    first / last bin)."""
    values = convert_to_tensor(values)
    value_range = convert_to_tensor(value_range, dtype=values.dtype)
    return apply(histogram_fixed_width_op, values, value_range, nbins=int(nbins),
                 dtype=D.as_dtype(dtype), name=name)


@tf_export("histogram_fixed_width_bins")
def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=D.int32, name=None):
    """The bin index of each of ``values`` (a composite, as in TF): floor(nbins * (x - lo) /
    (hi - lo)) clipped to [0, nbins - 1]."""
    from tensorlet.ops import math_ops
    values = convert_to_tensor(values)
    shape = values.shape.as_list()
    flat = _reshape(values, [-1])
    value_range = convert_to_tensor(value_range, dtype=values.dtype)
    lo = _reshape(_slice(value_range, 0), [])
    hi = _reshape(_slice(value_range, 1), [])
    nbins_f = _scalar(nbins, values.dtype)
    scaled = math_ops.truediv(math_ops.subtract(flat, lo), math_ops.subtract(hi, lo))
    indices = math_ops.floor(math_ops.multiply(nbins_f, scaled))
    indices = math_ops.maximum(math_ops.minimum(indices, math_ops.subtract(nbins_f, _scalar(1, values.dtype))),
                               _scalar(0, values.dtype))
    return _reshape(math_ops.cast(indices, D.int32), shape)


def _slice(t, i):
    from tensorlet.ops import array_ops
    return array_ops.gather(t, i)
