"""tf.sets: intersection / union / difference / size on dense and sparse inputs against Python
sets (sorted members, dense shapes), TF's documented examples, validation, dtypes, errors, the
graph shape rules, tf.function and non-differentiability."""

import collections

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.ops import set_ops

RNG = np.random.default_rng(3)
OPS = {
    "intersection": (tf.sets.intersection, lambda a, b: a & b),
    "union": (tf.sets.union, lambda a, b: a | b),
    "a-b": (tf.sets.difference, lambda a, b: a - b),
    "b-a": (lambda a, b: tf.sets.difference(a, b, aminusb=False), lambda a, b: b - a),
}


def _dense_sets(x):
    """{group index tuple: set} of a dense array (sets along the last axis)."""
    return {g: set(x[g].tolist()) for g in np.ndindex(*x.shape[:-1])}


def _sparse_sets(st_indices, st_values, group_shape):
    out = {g: set() for g in np.ndindex(*group_shape)}
    for idx, v in zip(st_indices, st_values):
        out[tuple(idx[:-1])].add(v)
    return out


def _expected(sets_a, sets_b, fn, group_shape):
    """(indices, values, dense_shape) of TF's result: groups in row-major order, sorted."""
    indices, values, width = [], [], 0
    for g in np.ndindex(*group_shape):
        members = sorted(fn(sets_a[g], sets_b[g]))
        width = max(width, len(members))
        for i, v in enumerate(members):
            indices.append(list(g) + [i])
            values.append(v)
    return (
        np.array(indices, np.int64).reshape(-1, len(group_shape) + 1),
        values,
        list(group_shape) + [width],
    )


def _check(result, expected, dtype):
    indices, values, shape = expected
    assert isinstance(result, tf.sparse.SparseTensor)
    assert result.indices.dtype == tf.int64 and result.dense_shape.dtype == tf.int64
    assert result.values.dtype == dtype
    np.testing.assert_array_equal(result.indices.numpy(), indices)
    assert result.values.numpy().tolist() == values
    assert result.dense_shape.numpy().tolist() == shape


def _to_sparse(x, keep):
    """A sparse copy of dense ``x`` holding the elements where ``keep`` (row-major order)."""
    idx = np.argwhere(keep)
    return tf.sparse.SparseTensor(idx, x[keep], x.shape), idx, x[keep].tolist()


@pytest.mark.parametrize("op", list(OPS))
@pytest.mark.parametrize(
    "shape_a,shape_b",
    [
        ((3, 4), (3, 5)),
        ((2, 3, 4), (2, 3, 2)),
        ((1, 6), (1, 1)),
        ((4, 0), (4, 3)),
        ((0, 3), (0, 2)),
    ],
)
@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16])
def test_dense_dense_matches_python_sets(op, shape_a, shape_b, dtype):
    fn, ref = OPS[op]
    a = RNG.integers(0, 6, shape_a).astype(dtype)
    b = RNG.integers(0, 6, shape_b).astype(dtype)
    out = fn(tf.constant(a), tf.constant(b))
    _check(out, _expected(_dense_sets(a), _dense_sets(b), ref, a.shape[:-1]), tf.as_dtype(dtype))


@pytest.mark.parametrize("op", list(OPS))
@pytest.mark.parametrize("kind", ["dense_sparse", "sparse_sparse", "sparse_dense"])
def test_sparse_inputs_match_python_sets(op, kind):
    fn, ref = OPS[op]
    a = RNG.integers(0, 5, (3, 2, 4)).astype(np.int64)
    b = RNG.integers(0, 5, (3, 2, 3)).astype(np.int64)
    sa, ia, va = _to_sparse(a, RNG.random(a.shape) < 0.6)
    sb, ib, vb = _to_sparse(b, RNG.random(b.shape) < 0.6)
    sets_a = _dense_sets(a) if kind == "dense_sparse" else _sparse_sets(ia, va, (3, 2))
    sets_b = _sparse_sets(ib, vb, (3, 2)) if kind != "sparse_dense" else _dense_sets(b)
    # sparse,dense is flipped to dense,sparse (difference flips ``aminusb``)
    args = {"dense_sparse": (a, sb), "sparse_sparse": (sa, sb), "sparse_dense": (sa, b)}[kind]
    out = fn(*args)
    _check(out, _expected(sets_a, sets_b, ref, (3, 2)), tf.int64)


def test_strings_sort_by_bytes():
    a = tf.constant([["b", "a", "B", "ab"], ["", "z", "z", "é"]])
    b = tf.constant([["a", "c"], ["é", ""]])
    out = tf.sets.union(a, b)
    assert out.values.numpy().tolist() == [
        b"B",
        b"a",
        b"ab",
        b"b",
        b"c",
        b"",
        b"z",
        "é".encode(),
    ]  # unsigned bytes: 'z' < 0xc3
    assert out.dense_shape.numpy().tolist() == [2, 5]
    inter = tf.sets.intersection(a, b)
    assert inter.values.numpy().tolist() == [b"a", b"", "é".encode()]
    np.testing.assert_array_equal(inter.indices.numpy(), [[0, 0], [1, 0], [1, 1]])


def _doc_sparse(entries, shape):
    d = collections.OrderedDict(entries)
    return tf.sparse.SparseTensor(list(d.keys()), list(d.values()), dense_shape=shape)


DOC_A = _doc_sparse(
    [
        ((0, 0, 0), 1),
        ((0, 0, 1), 2),
        ((0, 1, 0), 3),
        ((1, 0, 0), 4),
        ((1, 1, 0), 5),
        ((1, 1, 1), 6),
    ],
    [2, 2, 2],
)
DOC_B = _doc_sparse(
    [
        ((0, 0, 0), 1),
        ((0, 0, 1), 3),
        ((0, 1, 0), 2),
        ((1, 0, 0), 4),
        ((1, 0, 1), 5),
        ((1, 1, 0), 5),
        ((1, 1, 1), 6),
        ((1, 1, 2), 7),
        ((1, 1, 3), 8),
    ],
    [2, 2, 4],
)


def test_tf_documented_examples():
    diff = tf.sets.difference(DOC_A, DOC_B)  # [[{2}, {3}], [{}, {}]]
    assert diff.indices.numpy().tolist() == [[0, 0, 0], [0, 1, 0]]
    assert diff.values.numpy().tolist() == [2, 3] and diff.dense_shape.numpy().tolist() == [2, 2, 1]
    union = tf.sets.union(DOC_A, DOC_B)  # [[{1, 2, 3}, {2, 3}], [{4, 5}, {5, 6, 7, 8}]]
    assert union.values.numpy().tolist() == [1, 2, 3, 2, 3, 4, 5, 5, 6, 7, 8]
    assert union.dense_shape.numpy().tolist() == [2, 2, 4]
    b = _doc_sparse(
        [
            ((0, 0, 0), 1),
            ((1, 0, 0), 4),
            ((1, 1, 0), 5),
            ((1, 1, 1), 6),
            ((1, 1, 2), 7),
            ((1, 1, 3), 8),
        ],
        [2, 2, 4],
    )
    inter = tf.sets.intersection(DOC_A, b)  # [[{1}, {}], [{4}, {5, 6}]]
    assert inter.indices.numpy().tolist() == [[0, 0, 0], [1, 0, 0], [1, 1, 0], [1, 1, 1]]
    assert inter.values.numpy().tolist() == [1, 4, 5, 6]
    assert inter.dense_shape.numpy().tolist() == [2, 2, 2]
    dense = tf.sparse.to_dense(tf.sets.union([[2, 3, 5, 7], [7, 9, 0, 0]], [[4, 5, 6], [9, 10, 0]]))
    np.testing.assert_array_equal(dense.numpy(), [[2, 3, 4, 5, 6, 7], [0, 7, 9, 10, 0, 0]])


def test_empty_result_has_zero_width():
    out = tf.sets.intersection([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    assert out.indices.shape == (0, 2) and out.values.shape == (0,)
    assert out.dense_shape.numpy().tolist() == [2, 0]


@pytest.mark.parametrize("validate", [True, False])
def test_set_size(validate):
    assert tf.sets.size(DOC_A, validate).numpy().tolist() == [[2, 1], [1, 2]]
    st = tf.sparse.SparseTensor([[0, 0, 0], [0, 0, 1], [1, 1, 0]], ["x", "x", "y"], [2, 3, 5])
    out = tf.sets.size(st, validate_indices=validate)
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [[1, 0, 0], [0, 1, 0]])
    empty = tf.sparse.SparseTensor(np.zeros((0, 2), np.int64), tf.constant([], tf.int32), [0, 3])
    assert tf.sets.size(empty).shape == (0,)


def test_public_names():
    assert tf.sets.size is set_ops.set_size and tf.compat.v1.sets.set_size is set_ops.set_size
    assert tf.compat.v1.sets.set_intersection is tf.sets.intersection
    assert tf.compat.v1.sets.set_union is tf.sets.union is tf.compat.v1.sets.union
    assert tf.compat.v1.sets.set_difference is tf.sets.difference
    assert not hasattr(tf.sets, "set_union")  # TF 2 has only the short names


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("fn", [tf.sets.union, tf.sets.intersection, tf.sets.difference])
def test_python_level_type_errors(fn):
    with pytest.raises(TypeError, match=r"'a' invalid dtype <dtype: 'float32'>\."):
        fn([[1.0]], [[2.0]])
    with pytest.raises(
        TypeError,
        match=r"Types don't match, <dtype: 'int32'> vs "
        r"<dtype: 'int64'>\.",
    ):
        fn([[1]], tf.constant([[2]], tf.int64))


def test_set_size_type_errors():
    with pytest.raises(TypeError, match="Expected `SparseTensor`, got tf.Tensor"):
        tf.sets.size([[1, 2]])
    st = tf.sparse.SparseTensor([[0, 0]], [1.0], [1, 1])
    with pytest.raises(TypeError, match=r"Invalid dtype <dtype: 'float32'>\."):
        tf.sets.size(st)


@pytest.mark.parametrize(
    "a,b,message",
    [
        ([1, 2], [[1]], r"Shape \[2\] has rank 1 < 2 \[Op:DenseToDenseSetOperation\]"),
        ([[1, 2]], [[1], [2]], r"Mismatched shapes \[1\] vs \[2\] \[Op:DenseToDenseSetOperation\]"),
        ([[[1]], [[2]]], [[[1]]], r"Mismatched shapes \[2,1\] vs \[1,1\]"),
    ],
)
def test_dense_kernel_errors(a, b, message):
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        tf.sets.union(a, b)


def test_sparse_kernel_errors():
    rank1 = tf.sparse.SparseTensor([[0]], [1], [3])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"^Invalid rank 1\. \[Op:SetSize\]"):
        tf.sets.size(rank1)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Invalid rank 1\. "
        r"\[Op:DenseToSparseSetOperation\]",
    ):
        tf.sets.union([[1]], rank1)
    st = tf.sparse.SparseTensor([[0, 0]], [1], [2, 2])
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Mismatched shapes \[3\] vs \[2\] \[Op:DenseToSparseSetOperation\]",
    ):
        tf.sets.union([[1], [2], [3]], st)
    with pytest.raises(ValueError, match="Sparse,Dense is not supported, but Dense,Sparse is"):
        set_ops._set_operation(st, tf.constant([[1]]), "union", True)


@pytest.mark.parametrize(
    "indices,message",
    [
        (
            [[0, 1], [0, 0]],
            (
                r"indices\[1\] = \[0,0\] is out of order\. Many sparse ops require "
                r"sorted indices\.\n    Use `tf.sparse.reorder` to create a correctly "
                r"ordered copy\.\n\n \[Op:SetSize\]"
            ),
        ),
        ([[0, 1], [0, 1]], r"indices\[1\] = \[0,1\] is repeated \[Op:SetSize\]"),
        ([[0, 0], [2, 1]], r"indices\[1\] = \[2,1\] is out of bounds: need 0 <= index < \[2,3\]"),
        ([[1, 0], [0, 5]], r"indices\[1\] = \[0,5\] is out of bounds"),  # bounds before order
    ],
)
def test_validate_indices(indices, message):
    st = tf.sparse.SparseTensor(indices, [1, 2], [2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        tf.sets.size(st)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=message.replace("SetSize", "SparseToSparse.*")
    ):
        tf.sets.union(st, st)


def test_unvalidated_unsorted_indices_still_group_by_set():
    st = tf.sparse.SparseTensor([[1, 0], [0, 1], [0, 0]], [7, 5, 5], [2, 3])
    assert tf.sets.size(st, validate_indices=False).numpy().tolist() == [1, 1]
    out = tf.sets.union(st, st, validate_indices=False)
    assert out.values.numpy().tolist() == [5, 7]


def test_raw_op_dtype_rules():
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="Value for attr 'T' of float is not in the list of allowed values: "
        "int8, int16, int32, int64, uint8, uint16, string",
    ):
        set_ops.apply(
            set_ops.dense_to_dense_set_operation_op,
            [[1.0]],
            [[1.0]],
            set_operation="union",
            validate_indices=True,
        )
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid set_operation xor"):
        set_ops.apply(
            set_ops.dense_to_dense_set_operation_op,
            [[1]],
            [[1]],
            set_operation="XOR",
            validate_indices=True,
        )
    out = set_ops.apply(
        set_ops.dense_to_dense_set_operation_op,
        [[1]],
        [[2]],
        set_operation="UNION",
        validate_indices=True,
    )
    assert out[1].numpy().tolist() == [1, 2]


# ---------------------------------------------------------------- graphs


def test_graph_shapes_and_construction_errors():
    @tf.function(
        input_signature=[tf.TensorSpec([None, 3], tf.int32), tf.TensorSpec([None, None], tf.int32)]
    )
    def f(a, b):
        out = tf.sets.union(a, b)
        assert out.indices.shape.as_list() == [None, 2]
        assert out.values.shape.as_list() == [None]
        assert out.dense_shape.shape.as_list() == [2]
        return tf.sparse.to_dense(out)

    np.testing.assert_array_equal(
        f(tf.constant([[3, 1, 1]]), tf.constant([[2, 2]])).numpy(), [[1, 2, 3]]
    )

    @tf.function(input_signature=[tf.TensorSpec([3], tf.int32)])
    def g(a):
        return tf.sets.union(a, a).values

    with pytest.raises(ValueError, match="Shape must be at least rank 2 but is rank 1"):
        g.get_concrete_function()

    @tf.function(input_signature=[tf.TensorSpec([2, 3], tf.int32), tf.TensorSpec([3, 3], tf.int32)])
    def h(a, b):
        return tf.sets.intersection(a, b).values

    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal"):
        h.get_concrete_function()


def test_sparse_inputs_in_tf_function():
    @tf.function
    def f():
        return tf.sets.size(DOC_A), tf.sets.difference(DOC_A, DOC_B).values

    size, values = f()
    assert size.numpy().tolist() == [[2, 1], [1, 2]] and values.numpy().tolist() == [2, 3]


def test_not_differentiable():
    for op in (
        set_ops.set_size_op,
        set_ops.dense_to_dense_set_operation_op,
        set_ops.dense_to_sparse_set_operation_op,
        set_ops.sparse_to_sparse_set_operation_op,
    ):
        assert op.grad is None


def test_every_set_operation_name_is_valid():
    for name in set_ops._OPERATIONS:
        out = set_ops.apply(
            set_ops.dense_to_dense_set_operation_op,
            [[1, 2]],
            [[2, 3]],
            set_operation=name,
            validate_indices=True,
        )
        assert out[1].dtype == tf.int32


def test_docstring_examples():
    import doctest

    assert doctest.testmod(set_ops, extraglobs={"tf": tf}).failed == 0
