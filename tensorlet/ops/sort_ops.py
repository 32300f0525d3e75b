"""Sorting and selection: top_k, in_top_k, sort/argsort (composites over TopKV2, as in TF),
unique and unique_with_counts.

TF's CPU TopKV2 kernel is reproduced exactly, including its NaN behaviour: a full sort
(``k == n``, which ``tf.sort`` uses) is libstdc++ ``std::sort`` with ``a > b`` followed by
index-sorting of equal runs; ``k < n`` goes through ``gtl::TopN`` (a binary heap with a stable
comparator); ``k == 1`` is a NaN-skipping max. Without NaN every path equals a stable sort by
(value descending, index ascending), which is the NumPy fast path used here; rows holding NaN
(and ``sorted=False`` heap order) replay the C++ algorithms in Python (bottom of this file).
"""

import collections

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops.array_ops import py_int
from tensorlet.ops.op_def import apply, defop
from tensorlet.ops.reduction_ops import _REAL, _REAL_NAMES, type_rule

D = dtypes

TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])
Unique = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


# ---------------------------------------------------------------- TopKV2


def _top_k_shape(op, inputs, attrs):
    shape, k = inputs[0].shape, attrs["k"]
    if k < 0:
        raise errors.op_error(errors.InvalidArgumentError, op.name, f"Need k >= 0, got {k}")
    if shape.rank is None:
        return (TensorShape(None),) * 2
    if shape.rank < 1:
        raise errors.op_error(
            errors.InvalidArgumentError, op.name, f"input must be >= 1-D, got shape {list(shape)}"
        )
    n = shape[-1]
    if n is not None and n < k:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op.name,
            f"input must have at least k columns. Had {n}, needed {k}",
        )
    out = TensorShape(list(shape)[:-1] + [k])
    return out, out


def _top_k_dtypes(op, inputs, attrs):
    return _top_k_values_rule(op, inputs, attrs) + (attrs["index_type"],)


_top_k_values_rule = type_rule(_REAL, _REAL_NAMES)


def _descending_order(rows):
    """Per row: indices by value descending, ties by index ascending (a stable sort)."""
    n = rows.shape[1]
    return (n - 1) - xp.argsort(rows[:, ::-1], axis=1, kind="stable")[:, ::-1]


def _best_k(rows, k):
    """``_descending_order(rows)[:, :k]`` without sorting whole rows when k << n: partition at
    the k-th largest value, keep the lowest-index ties, then sort only the k winners."""
    n = rows.shape[1]
    if 4 * k >= n:
        return _descending_order(rows)[:, :k]
    kth = xp.partition(rows, n - k, axis=1)[:, n - k : n - k + 1]
    above, tie = rows > kth, rows == kth
    need = k - above.sum(axis=1, keepdims=True)
    idx = xp.nonzero(above | (tie & (xp.cumsum(tie, axis=1) <= need)))[1].reshape(-1, k)
    return xp.take_along_axis(idx, _descending_order(xp.take_along_axis(rows, idx, 1)), 1)


def _top_k_forward(x, k, sorted, index_type):
    if x.ndim == 0 or x.shape[-1] < k:
        raise ValueError("bad top_k input")  # the shape rule gives TF's message
    n = x.shape[-1]
    rows = x.reshape(_num(x.shape[:-1]), n)
    out_shape = x.shape[:-1] + (k,)
    if k == 0 or rows.shape[0] == 0:
        return xp.zeros(out_shape, x.dtype), xp.zeros(out_shape, xp.int64)
    floating = x.dtype.kind not in "iub"
    if k == 1:
        idx = _top_1(rows, floating)
    else:
        nan = xp.isnan(rows) if floating else None
        slow = nan.any(axis=1) if floating else xp.zeros(rows.shape[0], bool)
        if not sorted and k < n:  # heap order: always replayed
            slow[:] = True
            idx = xp.empty((rows.shape[0], k), xp.int64)
        else:  # NaN rows are replayed below; -inf keeps the fast path well-defined for them
            idx = _best_k(xp.where(nan, -xp.inf, rows) if slow.any() else rows, k)
        for r in xp.nonzero(slow)[0]:
            idx[r] = _tf_top_k_row(rows[r].tolist(), k, sorted)
    values = xp.take_along_axis(rows, idx, axis=1)
    return values.reshape(out_shape), idx.reshape(out_shape)


def _top_1(rows, floating):
    """k == 1: Eigen's max (which skips NaN), then the first column equal to it."""
    m = rows
    if floating:
        m = xp.where(xp.isnan(rows), -xp.inf, rows)
    best = m.max(axis=1)
    return xp.argmax(rows == best[:, None], axis=1)[:, None]


def _top_k_grad(op, dvalues, dindices):
    """Scatters the values' gradient to the selected positions (TF's _TopKGrad)."""
    from tensorlet.ops import array_ops, math_ops, segment_ops

    x, idx = op.inputs[0], op.outputs[1]
    shape = x.shape.as_list()
    n, k = shape[-1], op.get_attr("k")
    rows = _num(shape[:-1])
    offsets = xp.arange(0, rows * n, n, dtype=idx.dtype.as_numpy_dtype).reshape(-1, 1)
    flat_idx = array_ops.reshape(
        math_ops.add(array_ops.reshape(idx, [rows, k]), convert_to_tensor(offsets)), [-1]
    )
    flat = segment_ops.unsorted_segment_sum(array_ops.reshape(dvalues, [-1]), flat_idx, rows * n)
    return [array_ops.reshape(flat, shape)]


def _num(dims):
    n = 1
    for d in dims:
        n *= d
    return n


top_k_v2_op = defop(
    "TopKV2",
    _top_k_forward,
    dtype_rule=_top_k_dtypes,
    shape_rule=_top_k_shape,
    grad=_top_k_grad,
    num_outputs=2,
)


@tf_export("math.top_k", "nn.top_k")
def top_k(input, k=1, sorted=True, index_type=D.int32, name=None):
    """The ``k`` largest entries of the last axis and their indices (ties: lower index first).

    Example:
        >>> tf.math.top_k([1.0, 4.0, 2.0, 4.0], 2).indices.numpy()
        array([1, 3], dtype=int32)
    """
    x = convert_to_tensor(input)
    values, indices = apply(
        top_k_v2_op, x, k=py_int(k), sorted=bool(sorted), index_type=D.as_dtype(index_type),
        name=name,
    )
    return TopKV2(values, indices)


# ---------------------------------------------------------------- InTopKV2


def _in_top_k_forward(predictions, targets, k):
    n = predictions.shape[1]
    valid = (targets >= 0) & (targets < n)
    t = xp.where(valid, targets, 0)
    target_pred = predictions[xp.arange(predictions.shape[0]), t]
    finite = xp.isfinite(predictions).all(axis=1)
    more = (predictions > target_pred[:, None]).sum(axis=1)
    return valid & finite & (more < k)


def _in_top_k_shape(op, inputs, attrs):
    p, t = inputs[0].shape, inputs[1].shape
    if p.rank is not None and p.rank != 2:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op.name,
            f"predictions must be 2-dimensional, got {list(p)}",
        )
    if t.rank is not None and t.rank != 1:
        raise errors.op_error(
            errors.InvalidArgumentError, op.name, f"targets must be 1-dimensional, got {list(t)}"
        )
    return (TensorShape([p[0] if p.rank else None]),)


def _in_top_k_dtypes(op, inputs, attrs):
    if inputs[0].dtype is not D.float32:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op.name,
            f"cannot compute {op.name} as input #0(zero-based) was expected to "
            f"be a float tensor but is a {inputs[0].dtype.name} tensor",
        )
    return (D.bool,)


in_top_k_v2_op = defop(
    "InTopKV2", _in_top_k_forward, dtype_rule=_in_top_k_dtypes, shape_rule=_in_top_k_shape
)


@tf_export("math.in_top_k", "nn.in_top_k")
def in_top_k(targets, predictions, k, name=None):
    """Whether ``predictions[i, targets[i]]`` is finite and among the top ``k`` of row ``i``
    (ties straddling the boundary all count as in)."""
    return apply(
        in_top_k_v2_op,
        convert_to_tensor(predictions),
        convert_to_tensor(targets),
        k=int(k),
        name=name,
    )


# ---------------------------------------------------------------- sort / argsort (composites)

_DIRECTIONS = ("ASCENDING", "DESCENDING")


@tf_export("sort")
def sort(values, axis=-1, direction="ASCENDING", name=None):
    """Sorts ``values`` along ``axis`` (a TopKV2 over the whole axis, as TF does).

    Example:
        >>> tf.sort([3, -1, 2], direction="DESCENDING").numpy()
        array([ 3,  2, -1], dtype=int32)
    """
    return _sort_or_argsort(values, axis, direction, False)


@tf_export("argsort")
def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """int32 indices that sort ``values`` along ``axis`` (always stable, as TF's)."""
    return _sort_or_argsort(values, axis, direction, True)


def _sort_or_argsort(values, axis, direction, return_argsort):
    if direction not in _DIRECTIONS:
        raise ValueError(
            f"Argument `direction` should be one of {', '.join(_DIRECTIONS)}. "
            f"Received: direction={direction}"
        )
    from tensorlet.ops.array_ops import py_value  # tensors: eager or known while tracing

    axis = py_value(axis)
    if isinstance(axis, (list, tuple)) or axis is None:
        raise ValueError(f"Argument `axis` must be a constant scalar. Received: axis={axis}.")
    x = convert_to_tensor(values)
    if direction == "DESCENDING":
        return _descending_sort(x, int(axis), return_argsort)
    return _ascending_sort(x, int(axis), return_argsort)


def _descending_sort(x, axis, return_argsort):
    from tensorlet.ops import array_ops

    rank = x.shape.rank
    perm = None
    if not (axis == -1 or axis + 1 == rank):
        axis = axis % rank
        perm = list(range(rank))
        perm[axis], perm[-1] = rank - 1, axis
        x = array_ops.transpose(x, perm)
    values, indices = top_k(x, x.shape[-1])
    out = indices if return_argsort else values
    return array_ops.transpose(out, perm) if perm is not None else out


def _ascending_sort(x, axis, return_argsort):
    from tensorlet.ops import math_ops

    d = x.dtype
    if d.is_integer and d.min == 0:  # unsigned: reverse the order by max - x
        out = _descending_sort(math_ops.subtract(d.max, x), axis, return_argsort)
        return out if return_argsort else math_ops.subtract(d.max, out)
    if d.is_integer:  # -x - 1 maps INT_MIN to INT_MAX and keeps the sort stable
        out = _descending_sort(math_ops.subtract(math_ops.negative(x), 1), axis, return_argsort)
        return out if return_argsort else math_ops.subtract(math_ops.negative(out), 1)
    out = _descending_sort(math_ops.negative(x), axis, return_argsort)
    return out if return_argsort else math_ops.negative(out)


# ---------------------------------------------------------------- Unique


def _unique_shape(op, inputs, attrs):
    s = inputs[0].shape
    if s.rank is not None and s.rank != 1:
        raise errors.op_error(errors.InvalidArgumentError, op.name, "unique expects a 1D vector.")
    return (TensorShape([None]), s) + ((TensorShape([None]),) if op.num_outputs == 3 else ())


def _unique_dtypes(op, inputs, attrs):
    out = attrs["out_idx"]
    return (inputs[0].dtype, out) + ((out,) if op.num_outputs == 3 else ())


def _unique_kernel(x):
    """(y, idx) in order of first occurrence; each NaN is distinct, -0.0 == 0.0."""
    if x.ndim != 1:
        raise errors.op_error(errors.InvalidArgumentError, "Unique", "unique expects a 1D vector.")
    if x.dtype == object:  # strings: hash by value
        first = {}
        idx = xp.array([first.setdefault(v, len(first)) for v in x.tolist()], dtype=xp.int64)
        y = xp.empty(len(first), dtype=object)
        y[:] = list(first)
        return y, idx
    _, first, inverse = xp.unique(x, return_index=True, return_inverse=True, equal_nan=False)
    order = xp.argsort(first, kind="stable")
    rank = xp.empty_like(order)
    rank[order] = xp.arange(order.size)
    return x[first[order]], rank[inverse.reshape(-1)]


def _unique_forward(x, out_idx):
    return _unique_kernel(x)


def _unique_with_counts_forward(x, out_idx):
    y, idx = _unique_kernel(x)
    return y, idx, xp.bincount(idx, minlength=len(y))


def _no_gradient(name):
    def grad(op, *dys):
        raise LookupError(f"gradient registry has no entry for: {name}")

    return grad


unique_op = defop(
    "Unique",
    _unique_forward,
    dtype_rule=_unique_dtypes,
    shape_rule=_unique_shape,
    grad=_no_gradient("Unique"),
    num_outputs=2,
)
unique_with_counts_op = defop(
    "UniqueWithCounts",
    _unique_with_counts_forward,
    dtype_rule=_unique_dtypes,
    shape_rule=_unique_shape,
    grad=_no_gradient("UniqueWithCounts"),
    num_outputs=3,
)


@tf_export("unique")
def unique(x, out_idx=D.int32, name=None):
    """Unique elements of a 1-D tensor in order of first occurrence, and each element's index.

    Example:
        >>> y, idx = tf.unique([3, 1, 3, 2])
        >>> y.numpy(), idx.numpy()
        (array([3, 1, 2], dtype=int32), array([0, 1, 0, 2], dtype=int32))
    """
    return Unique(*apply(unique_op, convert_to_tensor(x), out_idx=D.as_dtype(out_idx), name=name))


@tf_export("unique_with_counts")
def unique_with_counts(x, out_idx=D.int32, name=None):
    """Like ``unique``, plus how many times each unique element occurs."""
    return UniqueWithCounts(
        *apply(unique_with_counts_op, convert_to_tensor(x), out_idx=D.as_dtype(out_idx), name=name)
    )


# ---------------------------------------------------------------- TF's CPU top-k, replayed
# Only rows holding NaN (where the comparators are not a strict weak order, so the result depends
# on the algorithm) and sorted=False heap order go through here; both are rare and small.


def _tf_top_k_row(v, k, sorted):
    """The column indices TF's TopKV2 CPU kernel picks for one row ``v`` (a list of floats)."""
    n = len(v)

    def comp(a, b):  # "a before b": v[b] < v[a]
        return v[b] < v[a]

    def stable_comp(a, b):
        return v[b] < v[a] or (not v[b] > v[a] and a < b)

    if k == n:
        order = list(range(n))
        _std_sort(order, comp)
        i = 0
        while i < n - 1:  # runs of equal values get increasing indices
            j = i + 1
            while j < n and v[order[j]] == v[order[i]]:
                j += 1
            order[i:j] = sorted_(order[i:j])
            i = j
        return order
    return _top_n(n, k, stable_comp, sorted)


sorted_ = sorted


def _top_n(n, k, cmp, want_sorted):
    """gtl::TopN fed 0..n-1 (k < n): a heap of the k best, extracted with sort_heap."""
    el = list(range(k + 1))
    _make_heap(el, k + 1, cmp)
    _pop_heap(el, k + 1, cmp)
    el.pop()
    for c in range(k + 1, n):
        if cmp(c, el[0]):
            _pop_heap(el, k, cmp)
            el[-1] = c
            _push_heap_hole(el, k - 1, 0, c, cmp)
    if want_sorted:
        _sort_heap(el, k, cmp)
    return el


# libstdc++'s heap primitives (bits/stl_heap.h), on a[0:length]
def _push_heap_hole(a, hole, top, value, cmp):
    parent = (hole - 1) // 2
    while hole > top and cmp(a[parent], value):
        a[hole] = a[parent]
        hole = parent
        parent = (hole - 1) // 2
    a[hole] = value


def _adjust_heap(a, hole, length, value, cmp):
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if cmp(a[child], a[child - 1]):
            child -= 1
        a[hole] = a[child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        a[hole] = a[child - 1]
        hole = child - 1
    _push_heap_hole(a, hole, top, value, cmp)


def _make_heap(a, length, cmp):
    if length < 2:
        return
    parent = (length - 2) // 2
    while True:
        _adjust_heap(a, parent, length, a[parent], cmp)
        if parent == 0:
            return
        parent -= 1


def _pop_heap(a, length, cmp):
    """Moves the top to a[length-1] and re-heaps a[0:length-1]."""
    if length > 1:
        last = length - 1
        value = a[last]
        a[last] = a[0]
        _adjust_heap(a, 0, last, value, cmp)


def _sort_heap(a, length, cmp):
    while length > 1:
        _pop_heap(a, length, cmp)
        length -= 1


# libstdc++'s std::sort (bits/stl_algo.h): introsort, then a final insertion sort
def _std_sort(a, cmp):
    n = len(a)
    if n > 1:
        _introsort_loop(a, 0, n, 2 * (n.bit_length() - 1), cmp)
        _final_insertion_sort(a, 0, n, cmp)


def _introsort_loop(a, first, last, depth, cmp):
    while last - first > 16:
        if depth == 0:  # heapsort the range (std::__partial_sort(first, last, last))
            sub = a[first:last]
            _make_heap(sub, len(sub), cmp)
            _sort_heap(sub, len(sub), cmp)
            a[first:last] = sub
            return
        depth -= 1
        mid = first + (last - first) // 2
        _move_median_to_first(a, first, first + 1, mid, last - 1, cmp)
        cut = _unguarded_partition(a, first + 1, last, first, cmp)
        _introsort_loop(a, cut, last, depth, cmp)
        last = cut


def _move_median_to_first(a, result, x, y, z, cmp):
    if cmp(a[x], a[y]):
        if cmp(a[y], a[z]):
            m = y
        elif cmp(a[x], a[z]):
            m = z
        else:
            m = x
    elif cmp(a[x], a[z]):
        m = x
    elif cmp(a[y], a[z]):
        m = z
    else:
        m = y
    a[result], a[m] = a[m], a[result]


def _unguarded_partition(a, first, last, pivot, cmp):
    hi = len(a) - 1
    while True:
        while first < hi and cmp(a[first], a[pivot]):
            first += 1
        last -= 1
        while last > 0 and cmp(a[pivot], a[last]):
            last -= 1
        if not first < last:
            return first
        a[first], a[last] = a[last], a[first]
        first += 1


def _final_insertion_sort(a, first, last, cmp):
    if last - first > 16:
        _insertion_sort(a, first, first + 16, cmp)
        for i in range(first + 16, last):
            _linear_insert(a, i, cmp)
    else:
        _insertion_sort(a, first, last, cmp)


def _insertion_sort(a, first, last, cmp):
    for i in range(first + 1, last):
        if cmp(a[i], a[first]):
            v = a[i]
            a[first + 1 : i + 1] = a[first:i]
            a[first] = v
        else:
            _linear_insert(a, i, cmp)


def _linear_insert(a, i, cmp):
    v = a[i]
    j = i - 1
    while j >= 0 and cmp(v, a[j]):
        a[j + 1] = a[j]
        j -= 1
    a[j + 1] = v
