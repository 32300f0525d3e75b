"""``tf.sets``: set operations along the last dimension (``intersection``, ``union``,
``difference``, ``size``).

A rank-n input holds one set per index of its first n-1 dimensions (its *group*): the elements
of a dense tensor's last dimension, or the values of a ``SparseTensor`` sharing those indices.
The results are ``SparseTensor``s whose group ``g`` lists its members in ascending order (bytes
order for strings) at ``[*g, 0..k)``, with dense shape ``group_shape + [largest k]``, as TF's
``DenseToDenseSetOperation`` / ``DenseToSparseSetOperation`` / ``SparseToSparseSetOperation``
and ``SetSize`` kernels. Sets hold integers (8-64 bit, uint8/16) or strings; none of the ops is
differentiable.

Kernels work on ``group * n_values + value_code`` integer keys (codes from sorting all values),
so a whole batch of sets is one sorted ``union1d`` / ``intersect1d`` / ``setdiff1d``.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops.op_def import apply, defop, dtype_mismatch, dtype_not_allowed
from tensorlet.sparse_tensors.sparse_tensor import SparseTensor

D = dtypes
_VALID = (D.int8, D.int16, D.int32, D.int64, D.uint8, D.uint16, D.string)
_OPERATIONS = ("a-b", "b-a", "intersection", "union")


def _fail(op_name, message, cls=errors.InvalidArgumentError):
    raise errors.op_error(cls, op_name, message)


def _dims(shape):
    return "[" + ",".join(str(int(d)) for d in shape) + "]"


# ---------------------------------------------------------------- members of the sets


def _dense_members(op_name, a):
    """``(group shape, group id per element, values)`` of a dense input."""
    if a.ndim < 2:
        _fail(op_name, f"Shape {_dims(a.shape)} has rank {a.ndim} < 2")
    n = a.shape[-1]
    groups = int(xp.prod(a.shape[:-1]))
    return tuple(a.shape[:-1]), xp.repeat(xp.arange(groups, dtype=xp.int64), n), a.reshape(-1)


def _check_indices(op_name, idx, shape):
    """TF's ``SparseTensor::IndicesValid``: in bounds, row-major order, no repeats."""
    n = idx.shape[0]
    if n == 0:
        return
    oob = ((idx < 0) | (idx >= shape)).any(axis=1)
    diff = idx[1:] - idx[:-1]
    nonzero = diff != 0
    first = xp.argmax(nonzero, axis=1) if idx.shape[1] else xp.zeros(n - 1, xp.int64)
    moved = nonzero.any(axis=1)
    sign = diff[xp.arange(n - 1), first] if idx.shape[1] else xp.zeros(n - 1, xp.int64)
    bad_order = xp.concatenate([[False], ~moved | (sign < 0)])
    bad = xp.flatnonzero(oob | bad_order)
    if bad.size:
        i = int(bad[0])
        text = f"indices[{i}] = {_dims(idx[i])}"
        if oob[i]:
            _fail(op_name, f"{text} is out of bounds: need 0 <= index < {_dims(shape)}")
        if moved[i - 1]:
            _fail(
                op_name,
                f"{text} is out of order. Many sparse ops require sorted indices.\n"
                "    Use `tf.sparse.reorder` to create a correctly ordered copy.\n\n",
            )
        _fail(op_name, f"{text} is repeated")


def _sparse_members(op_name, indices, values, shape, validate):
    """``(group shape, group id per value, values)`` of a sparse input (TF's checks)."""
    if shape.ndim != 1:
        _fail(op_name, "Shape must be a 1D tensor.")
    shape = shape.astype(xp.int64)
    if shape.size < 2:
        _fail(op_name, f"Invalid rank {shape.size}.")
    idx = indices.astype(xp.int64).reshape(-1, shape.size)
    if validate:
        _check_indices(op_name, idx, shape)
    else:  # TF's CheckGroup on each group
        for j in range(shape.size):
            col = idx[:, j]
            if col.size and shape[j] <= 0:
                _fail(op_name, f"Invalid dim_size[{j}] = {int(shape[j])}.", errors.InternalError)
            over = xp.flatnonzero((col >= shape[j]) | (col < 0))
            if over.size:
                i = int(over[0])
                _fail(
                    op_name,
                    f"indices[{i}, {j}] expected < {int(shape[j])}, got {int(col[i])}.",
                    errors.InternalError,
                )
    group_shape = tuple(int(d) for d in shape[:-1])
    gid = (
        xp.ravel_multi_index(tuple(idx[:, :-1].T), group_shape)
        if idx.shape[0]
        else xp.zeros(0, xp.int64)
    )
    return group_shape, gid.astype(xp.int64), values.reshape(-1)


def _check_groups(op_name, g1, g2):
    if g1 != g2:
        _fail(op_name, f"Mismatched shapes {_dims(g1)} vs {_dims(g2)}")


# ---------------------------------------------------------------- the set operation


def _codes(*value_arrays):
    """Sorted distinct values of all arrays and each array's values as indices into them."""
    both = xp.concatenate(value_arrays) if value_arrays else xp.zeros(0)
    uniq, inv = xp.unique(both, return_inverse=True)
    out, start = [], 0
    for v in value_arrays:
        out.append(inv.reshape(-1)[start : start + v.size].astype(xp.int64))
        start += v.size
    return uniq, out


def _apply(op_name, set_operation, group_shape, m1, m2, dtype):
    """The result (indices, values, dense_shape) of ``set_operation`` on two member lists."""
    (g1, v1), (g2, v2) = m1, m2
    uniq, (c1, c2) = _codes(v1, v2)
    u = max(len(uniq), 1)
    k1, k2 = xp.unique(g1 * u + c1), xp.unique(g2 * u + c2)
    keys = {
        "a-b": lambda: xp.setdiff1d(k1, k2, True),
        "b-a": lambda: xp.setdiff1d(k2, k1, True),
        "intersection": lambda: xp.intersect1d(k1, k2, True),
        "union": lambda: xp.union1d(k1, k2),
    }[set_operation]()
    n = keys.shape[0]
    rank = len(group_shape) + 1
    if n == 0:
        return (
            xp.zeros((0, rank), xp.int64),
            xp.zeros(0, dtype),
            xp.array(list(group_shape) + [0], xp.int64),
        )
    g, c = keys // u, keys % u
    pos = xp.arange(n) - xp.searchsorted(g, g, side="left")
    idx = xp.stack(list(xp.unravel_index(g, group_shape)) + [pos], axis=1).astype(xp.int64)
    shape = xp.array(list(group_shape) + [int(pos.max()) + 1], xp.int64)
    return idx, uniq[c].astype(dtype, copy=False), shape


def _set_operation_attr(op_name, set_operation):
    s = set_operation.lower()
    if s not in _OPERATIONS:
        _fail(op_name, f"Invalid set_operation {s}.")
    return s


def _dense_to_dense(set1, set2, set_operation, validate_indices):
    name = "DenseToDenseSetOperation"
    s = _set_operation_attr(name, set_operation)
    gs1, g1, v1 = _dense_members(name, set1)
    gs2, g2, v2 = _dense_members(name, set2)
    _check_groups(name, gs1, gs2)
    return _apply(name, s, gs1, (g1, v1), (g2, v2), set1.dtype)


def _dense_to_sparse(set1, i2, v2, s2, set_operation, validate_indices):
    name = "DenseToSparseSetOperation"
    s = _set_operation_attr(name, set_operation)
    gs2, g2, v2 = _sparse_members(name, i2, v2, s2, validate_indices)
    gs1, g1, v1 = _dense_members(name, set1)
    _check_groups(name, gs1, gs2)
    return _apply(name, s, gs1, (g1, v1), (g2, v2), set1.dtype)


def _sparse_to_sparse(i1, v1, s1, i2, v2, s2, set_operation, validate_indices):
    name = "SparseToSparseSetOperation"
    s = _set_operation_attr(name, set_operation)
    gs1, g1, v1 = _sparse_members(name, i1, v1, s1, validate_indices)
    gs2, g2, v2 = _sparse_members(name, i2, v2, s2, validate_indices)
    _check_groups(name, gs1, gs2)
    return _apply(name, s, gs1, (g1, v1), (g2, v2), v1.dtype)


def _set_size(indices, values, shape, validate_indices):
    group_shape, g, v = _sparse_members("SetSize", indices, values, shape, validate_indices)
    groups = int(xp.prod(group_shape))
    uniq, (c,) = _codes(v)
    keys = xp.unique(g * max(len(uniq), 1) + c)
    counts = (
        xp.bincount(keys // max(len(uniq), 1), minlength=groups)
        if keys.size
        else (xp.zeros(groups, xp.int64))
    )
    return counts.astype(xp.int32).reshape(group_shape)


# ---------------------------------------------------------------- rules


def _values_rule(*value_inputs, out):
    """Inputs ``value_inputs`` share a dtype in ``_VALID``; the others are int64."""

    def rule(op, inputs, attrs):
        d = inputs[value_inputs[0]]._dtype
        if d not in _VALID:
            raise dtype_not_allowed(op, d, _VALID)
        for i, t in enumerate(inputs):
            want = d if i in value_inputs else D.int64
            if t._dtype is not want:
                raise dtype_mismatch(op, i, want, t._dtype)
        return out(d)

    return rule


def _shape_error(op, message):
    return errors.op_error(errors.InvalidArgumentError, op.name, message)


def _rank_at_least_2(op, shape):
    if shape.rank is not None and shape.rank < 2:
        raise _shape_error(op, f"Shape must be at least rank 2 but is rank {shape.rank}")


def _outputs(rank):
    return TensorShape([None, rank]), TensorShape([None]), TensorShape([rank])


def _dense_to_dense_shape(op, inputs, attrs):
    s0, s1 = inputs[0].shape, inputs[1].shape
    _rank_at_least_2(op, s0)
    _rank_at_least_2(op, s1)
    if s0.rank is None:
        return _outputs(s1.rank)
    if s1.rank is not None:
        if s1.rank != s0.rank:
            raise _shape_error(op, f"Shape must be rank {s0.rank} but is rank {s1.rank}")
        for i, (a, b) in enumerate(zip(s0.as_list()[:-1], s1.as_list()[:-1])):
            if a is not None and b is not None and a != b:
                raise _shape_error(
                    op,
                    f"Dimension {i} in both shapes must be equal, but are "
                    f"{a} and {b}. Shapes are {s0[:-1]} and {s1[:-1]}.",
                )
    return _outputs(s0.rank)


def _sparse_rank(shape_input):
    """The rank of a sparse input: the static length of its dense_shape vector."""
    s = shape_input.shape
    return s[0] if s.rank == 1 else None


def _dense_to_sparse_shape(op, inputs, attrs):
    s0, r1 = inputs[0].shape, _sparse_rank(inputs[3])
    _rank_at_least_2(op, s0)
    if s0.rank is None:
        return _outputs(r1)
    if r1 is not None and r1 != s0.rank:
        raise _shape_error(op, f"Dimension must be {s0.rank} but is {r1}")
    return _outputs(s0.rank)


def _sparse_to_sparse_shape(op, inputs, attrs):
    r0, r1 = _sparse_rank(inputs[2]), _sparse_rank(inputs[5])
    for k, r in ((0, r0), (1, r1)):
        if r is not None and r < 2:
            raise _shape_error(op, f"Input {k}, expected rank >= 2, got {r}.")
    if r0 is not None and r1 is not None and r0 != r1:
        raise _shape_error(op, f"Dimension must be {r0} but is {r1}")
    return _outputs(r0 if r0 is not None else r1)


def _unknown(op, inputs, attrs):
    return (TensorShape(None),)


def _set_outputs(d):
    return (D.int64, d, D.int64)


set_size_op = defop(
    "SetSize", _set_size, dtype_rule=_values_rule(1, out=lambda d: (D.int32,)), shape_rule=_unknown
)
dense_to_dense_set_operation_op = defop(
    "DenseToDenseSetOperation",
    _dense_to_dense,
    dtype_rule=_values_rule(0, 1, out=_set_outputs),
    shape_rule=_dense_to_dense_shape,
    num_outputs=3,
)
dense_to_sparse_set_operation_op = defop(
    "DenseToSparseSetOperation",
    _dense_to_sparse,
    dtype_rule=_values_rule(0, 2, out=_set_outputs),
    shape_rule=_dense_to_sparse_shape,
    num_outputs=3,
)
sparse_to_sparse_set_operation_op = defop(
    "SparseToSparseSetOperation",
    _sparse_to_sparse,
    dtype_rule=_values_rule(1, 4, out=_set_outputs),
    shape_rule=_sparse_to_sparse_shape,
    num_outputs=3,
)


# ---------------------------------------------------------------- public functions


def _tensor_or_sparse(x):
    return x if isinstance(x, SparseTensor) else convert_to_tensor(x)


def _convert(a, b):
    """Converted ``(a, b, flipped)``; a sparse ``a`` with a dense ``b`` is flipped."""
    a = _tensor_or_sparse(a)
    if a.dtype.base_dtype not in _VALID:
        raise TypeError(f"'a' invalid dtype {a.dtype}.")
    b = _tensor_or_sparse(b)
    if b.dtype.base_dtype != a.dtype.base_dtype:
        raise TypeError(f"Types don't match, {a.dtype} vs {b.dtype}.")
    if isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        return b, a, True
    return a, b, False


def _set_operation(a, b, set_operation, validate_indices):
    attrs = {"set_operation": set_operation, "validate_indices": bool(validate_indices)}
    if isinstance(a, SparseTensor):
        if not isinstance(b, SparseTensor):
            raise ValueError(  # noqa: TRY004 (TF's class)
                "Sparse,Dense is not supported, but Dense,Sparse is. Please flip the order of "
                "your inputs."
            )
        out = apply(
            sparse_to_sparse_set_operation_op,
            a.indices,
            a.values,
            a.dense_shape,
            b.indices,
            b.values,
            b.dense_shape,
            **attrs,
        )
    elif isinstance(b, SparseTensor):
        out = apply(
            dense_to_sparse_set_operation_op, a, b.indices, b.values, b.dense_shape, **attrs
        )
    else:
        out = apply(dense_to_dense_set_operation_op, a, b, **attrs)
    return SparseTensor(*out)


@tf_export("sets.size", "compat.v1.sets.set_size")
def set_size(a, validate_indices=True):
    """Number of distinct elements along the last dimension of the ``SparseTensor`` ``a``.

    Returns an int32 tensor of shape ``a.dense_shape[:-1]``.

    Example:
        >>> st = tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0]], [3, 3, 4], [2, 3])
        >>> tf.sets.size(st).numpy()
        array([1, 1], dtype=int32)
    """
    a = _tensor_or_sparse(a)
    if not isinstance(a, SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {a!s}.")  # str(): TF uses %s
    if a.values.dtype.base_dtype not in _VALID:
        raise TypeError(f"Invalid dtype {a.values.dtype}.")
    return apply(
        set_size_op, a.indices, a.values, a.dense_shape, validate_indices=bool(validate_indices)
    )


@tf_export("sets.intersection", "compat.v1.sets.set_intersection")
def set_intersection(a, b, validate_indices=True):
    """Intersection of the sets along the last dimension of ``a`` and ``b`` (a SparseTensor).

    Example:
        >>> r = tf.sets.intersection([[1, 2, 2], [3, 4, 5]], [[2, 1, 0], [6, 6, 6]])
        >>> tf.sparse.to_dense(r).numpy()
        array([[1, 2],
               [0, 0]], dtype=int32)
    """
    a, b, _ = _convert(a, b)
    return _set_operation(a, b, "intersection", validate_indices)


@tf_export("sets.difference", "compat.v1.sets.set_difference")
def set_difference(a, b, aminusb=True, validate_indices=True):
    """``a - b`` (``b - a`` when ``aminusb`` is False) of the sets along the last dimension.

    Example:
        >>> r = tf.sets.difference([[1, 2, 3]], [[2, 5, 5]])
        >>> tf.sparse.to_dense(r).numpy()
        array([[1, 3]], dtype=int32)
    """
    a, b, flipped = _convert(a, b)
    if flipped:
        aminusb = not aminusb
    return _set_operation(a, b, "a-b" if aminusb else "b-a", validate_indices)


@tf_export("sets.union", "compat.v1.sets.set_union")
def set_union(a, b, validate_indices=True):
    """Union of the sets along the last dimension of ``a`` and ``b`` (a SparseTensor).

    Example:
        >>> r = tf.sets.union([[2, 3, 5, 7], [7, 9, 0, 0]], [[4, 5, 6], [9, 10, 0]])
        >>> tf.sparse.to_dense(r).numpy()
        array([[ 2,  3,  4,  5,  6,  7],
               [ 0,  7,  9, 10,  0,  0]], dtype=int32)
    """
    a, b, _ = _convert(a, b)
    return _set_operation(a, b, "union", validate_indices)


__all__ = [
    "dense_to_dense_set_operation_op",
    "dense_to_sparse_set_operation_op",
    "set_difference",
    "set_intersection",
    "set_size",
    "set_size_op",
    "set_union",
    "sparse_to_sparse_set_operation_op",
]
