"""tf.lookup.experimental.MutableHashTable and DenseHashTable: insert / remove / lookup / export
/ size, vector values, dynamic defaults, TF's bucket layout and errors."""

import numpy as np
import pytest

import tensorlet as tf

X = tf.lookup.experimental


def _sorted_export(table):
    keys, values = table.export()
    return sorted(zip(keys.numpy().tolist(), values.numpy().tolist()))


# ---------------------------------------------------------------- MutableHashTable


def test_mutable_documented_example():
    table = X.MutableHashTable(key_dtype=tf.string, value_dtype=tf.int64, default_value=-1)
    assert table.insert(tf.constant(["a", "b", "c"]), tf.constant([7, 8, 9], tf.int64)) is None
    assert table.lookup(tf.constant(["a", "f"])).numpy().tolist() == [7, -1]
    assert table.remove(tf.constant(["c"])) is None
    assert table.lookup(tf.constant(["a", "b", "c"])).numpy().tolist() == [7, 8, -1]
    assert _sorted_export(table) == [(b"a", 7), (b"b", 8)]
    assert table.size().numpy() == 2 and table.size().dtype == tf.int64


def test_mutable_updates_and_repeated_keys():
    table = X.MutableHashTable(tf.int64, tf.float32, 0.5)
    table.insert([1, 2, 1], [10.0, 20.0, 30.0])  # the last of a repeated key wins
    assert table.lookup(tf.constant([[1, 2], [3, 1]], tf.int64)).numpy().tolist() == [
        [30.0, 20.0],
        [0.5, 30.0],
    ]
    table.insert([2], [-1.0])
    table.remove(tf.constant([1, 99], tf.int64))  # missing keys are ignored
    assert _sorted_export(table) == [(2, -1.0)]
    for i in range(200):  # many inserts and removals (dead rows are dropped)
        table.insert([i], [float(i)])
        if i % 3:
            table.remove(tf.constant([i], tf.int64))
    assert table.size().numpy() == 67
    assert table.lookup(tf.constant([3, 4, 198], tf.int64)).numpy().tolist() == [3.0, 0.5, 198.0]


def test_mutable_vector_values_and_dynamic_defaults():
    table = X.MutableHashTable(tf.string, tf.int64, default_value=[-1, -1])
    table.insert(["a", "b"], [[1, 2], [3, 4]])
    out = table.lookup(tf.constant(["a", "c"]))
    assert out.shape == (2, 2) and out.numpy().tolist() == [[1, 2], [-1, -1]]
    out = table.lookup(["b", "z"], dynamic_default_values=[[9, 9], [8, 8]])
    assert out.numpy().tolist() == [[3, 4], [8, 8]]
    _, values = table.export()
    assert values.shape == (2, 2)
    scalar = X.MutableHashTable(tf.string, tf.float64, 0.0)
    scalar.insert(["q"], [1.0])
    out = scalar.lookup(["q", "r", "s"], dynamic_default_values=[5.0, 6.0, 7.0])
    assert out.numpy().tolist() == [1.0, 6.0, 7.0]


def test_mutable_errors():
    table = X.MutableHashTable(tf.string, tf.int64, -1)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Expected shape \[3\] for value, got \[2\] \[Op:LookupTableInsertV2\]",
    ):
        table.insert(["a", "b", "c"], [1, 2])
    with pytest.raises(
        TypeError,
        match=r"Dtype of argument `keys` must be <dtype: 'string'>, "
        r"received: <dtype: 'int32'>",
    ):
        table.remove(tf.constant([1]))
    with pytest.raises(ValueError, match="Tensor conversion requested dtype string"):
        table.lookup(tf.constant([1]))
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Expected shape \[\] or \[2\] for default value, got \[3\]",
    ):
        table.lookup(["a", "b"], dynamic_default_values=[1, 2, 3])
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Default value must be a vector, got shape \[2,2\] "
        r"\[Op:MutableHashTableOfTensorsV2\]",
    ):
        X.MutableHashTable(tf.string, tf.int64, [[1, 2], [3, 4]])
    with pytest.raises(tf.errors.NotFoundError, match="MutableHashTableV2"):
        X.MutableHashTable(tf.string, tf.string, "")  # no string -> string kernel


# ---------------------------------------------------------------- DenseHashTable


def test_dense_documented_example():
    table = X.DenseHashTable(
        key_dtype=tf.string, value_dtype=tf.int64, default_value=-1, empty_key="", deleted_key="$"
    )
    table.insert(tf.constant(["a", "b", "c"]), tf.constant([0, 1, 2], tf.int64))
    table.remove(tf.constant(["c"]))
    assert table.lookup(tf.constant(["a", "b", "c", "d"])).numpy().tolist() == [0, 1, -1, -1]
    assert table.size().numpy() == 2
    keys, values = table.export()  # the default 2**17 buckets
    assert keys.shape == (131072, 1) and values.shape == (131072, 1)


def test_dense_bucket_layout_follows_tf():
    # int64 keys hash to themselves: key & (num_buckets - 1), then quadratic probing
    table = X.DenseHashTable(
        tf.int64, tf.int64, -1, empty_key=-1, deleted_key=-2, initial_num_buckets=8
    )
    table.insert(tf.constant([1, 9, 17], tf.int64), tf.constant([10, 90, 170], tf.int64))
    keys, values = table.export()
    assert keys.numpy()[:, 0].tolist() == [-1, 1, 9, -1, 17, -1, -1, -1]
    assert values.numpy()[:, 0].tolist() == [0, 10, 90, 0, 170, 0, 0, 0]
    table.remove(tf.constant([9], tf.int64))  # bucket 2 becomes deleted_key ...
    assert table.lookup(tf.constant([17, 9], tf.int64)).numpy().tolist() == [170, -1]
    table.insert(tf.constant([25], tf.int64), tf.constant([250], tf.int64))  # ... and is reused
    keys, values = table.export()
    assert keys.numpy()[:, 0].tolist() == [-1, 1, 25, -1, 17, -1, -1, -1]
    assert values.numpy()[:, 0].tolist() == [0, 10, 250, 0, 170, 0, 0, 0]
    assert table.size().numpy() == 3


def test_dense_grows_before_passing_the_load_factor():
    table = X.DenseHashTable(
        tf.int64, tf.float32, 0.0, empty_key=-1, deleted_key=-2, initial_num_buckets=4
    )
    table.insert(tf.constant([0, 1, 2], tf.int64), tf.constant([0.0, 1.0, 2.0]))
    assert table.export()[0].shape == (4, 1)  # 3 <= 4 * 0.8
    table.insert(tf.constant([3], tf.int64), tf.constant([3.0]))
    keys, _ = table.export()
    assert keys.numpy()[:, 0].tolist() == [0, 1, 2, 3, -1, -1, -1, -1]
    assert table.lookup(tf.constant([3, 0, 7], tf.int64)).numpy().tolist() == [3.0, 0.0, 0.0]


def test_dense_vector_values_and_keys():
    table = X.DenseHashTable(
        tf.int64,
        tf.float32,
        [0.0, 0.0],
        empty_key=[-1, -1],
        deleted_key=[-2, -2],
        initial_num_buckets=16,
    )
    table.insert(tf.constant([[1, 2], [3, 4]], tf.int64), tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    out = table.lookup(tf.constant([[3, 4], [1, 1]], tf.int64))
    assert out.numpy().tolist() == [[3.0, 4.0], [0.0, 0.0]]
    keys, values = table.export()
    assert keys.shape == (16, 2) and values.shape == (16, 2)
    assert sorted(k for k in map(tuple, keys.numpy().tolist()) if k != (-1, -1)) == [(1, 2), (3, 4)]


def test_dense_erase_and_insert_or_assign_aliases():
    table = X.DenseHashTable(
        tf.string, tf.bool, False, empty_key="", deleted_key="-", initial_num_buckets=4
    )
    table.insert_or_assign(["x", "y"], [True, True])
    table.erase(tf.constant(["x"]))
    assert table.lookup(["x", "y"]).numpy().tolist() == [False, True]


def test_dense_errors():
    table = X.DenseHashTable(
        tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1, initial_num_buckets=8
    )
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Using the empty_key as a table key is not allowed "
        r"\[Op:LookupTableFindV2\]",
    ):
        table.lookup(tf.constant([5, 0], tf.int64))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Using the deleted_key as a table key is not allowed"
    ):
        table.insert(tf.constant([-1], tf.int64), tf.constant([3], tf.int64))
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Expected key shape \[2\] got "
        r"\[2,2\]",
    ):
        table.lookup(tf.constant([[1, 2], [3, 4]], tf.int64))
    with pytest.raises(
        TypeError,
        match=r"Signature mismatch. Keys must be dtype "
        r"<dtype: 'int64'>, got <dtype: 'int32'>\.",
    ):
        table.remove(tf.constant([1], tf.int32))
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Number of buckets must be at least 4 and a power of 2, got: 6 "
        r"\[Op:MutableDenseHashTableV2\]",
    ):
        X.DenseHashTable(tf.int64, tf.int64, -1, 0, -1, initial_num_buckets=6)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Empty and deleted keys cannot be equal"
    ):
        X.DenseHashTable(tf.int64, tf.int64, -1, 0, 0)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Empty and deleted keys must have same shape, got shapes: \[\] and "
        r"\[2\]",
    ):
        X.DenseHashTable(tf.int64, tf.int64, -1, 0, [1, 2])
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Empty value must be a scalar or a vector, got shape \[1,1\]",
    ):
        X.DenseHashTable(tf.int64, tf.int64, [[1]], 0, 1)


def test_export_values_are_copies():
    table = X.MutableHashTable(tf.int64, tf.int64, 0)
    table.insert([1], [2])
    _, values = table.export()
    table.insert([1], [5])
    assert values.numpy().tolist() == [2]
    assert np.array_equal(table.lookup([1]).numpy(), [5])
