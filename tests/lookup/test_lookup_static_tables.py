"""tf.lookup.StaticHashTable + KeyValueTensorInitializer: lookups of dense, sparse and ragged
keys, dtypes, size/export, TF's errors and kernel registrations."""

import numpy as np
import pytest

import tensorlet as tf


def _table(keys=("a", "b", "c"), values=(7, 8, 9), default=-1, **kw):
    return tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(keys, values, **kw), default
    )


def test_lookup_dense_keys_of_any_shape():
    table = _table()
    out = table.lookup(tf.constant(["a", "f"]))
    assert out.dtype == tf.int32 and out.numpy().tolist() == [7, -1]
    out = table[tf.constant([["a", "b"], ["c", "d"]])]
    assert out.shape == (2, 2) and out.numpy().tolist() == [[7, 8], [9, -1]]
    assert table.lookup(tf.constant("c")).numpy() == 9
    assert table.lookup(tf.constant([], tf.string)).shape == (0,)


def test_lookup_sparse_and_ragged_keys():
    table = _table()
    sp = tf.sparse.SparseTensor([[0, 0], [1, 2]], ["b", "zz"], [2, 3])
    out = table.lookup(sp)
    assert isinstance(out, tf.sparse.SparseTensor)
    assert out.values.numpy().tolist() == [8, -1]
    np.testing.assert_array_equal(out.indices.numpy(), [[0, 0], [1, 2]])
    assert out.dense_shape.numpy().tolist() == [2, 3]
    rt = tf.ragged.constant([["a", "c"], [], ["q"]])
    out = table.lookup(rt)
    assert isinstance(out, tf.RaggedTensor) and out.to_list() == [[7, 9], [], [-1]]


@pytest.mark.parametrize(
    "keys,values,key_dtype,value_dtype,probe,expected",
    [
        ([1, 2, 3], [1.5, 2.5, 3.5], tf.int64, tf.float32, [3, 4], [3.5, -1.0]),
        ([1, 2], ["x", "y"], tf.int64, tf.string, [2, 0], [b"y", b"?"]),
        ([10, 20], [1, 2], tf.int32, tf.int32, [20, 10, 0], [2, 1, -1]),
        (["x", "y"], [True, False], tf.string, tf.bool, ["y", "x", "z"], [False, True, False]),
        (["x", "y"], [1.0, 2.0], tf.string, tf.float64, ["y", "w"], [2.0, -1.0]),
        (["x"], ["X"], tf.string, tf.string, ["x", "y"], [b"X", b"?"]),
    ],
)
def test_key_and_value_dtypes(keys, values, key_dtype, value_dtype, probe, expected):
    default = {tf.string: "?", tf.bool: False}.get(value_dtype, -1)
    table = _table(keys, values, default, key_dtype=key_dtype, value_dtype=value_dtype)
    assert table.key_dtype == key_dtype and table.value_dtype == value_dtype
    out = table.lookup(tf.constant(probe, key_dtype))
    assert out.dtype == value_dtype
    assert out.numpy().tolist() == expected


def test_size_export_and_properties():
    table = _table()
    size = table.size()
    assert size.dtype == tf.int64 and size.numpy() == 3
    keys, values = table.export()
    assert keys.dtype == tf.string and values.dtype == tf.int32
    assert sorted(zip(keys.numpy().tolist(), values.numpy().tolist())) == [
        (b"a", 7),
        (b"b", 8),
        (b"c", 9),
    ]
    assert table.default_value.numpy() == -1 and table.default_value.dtype == tf.int32
    assert table.name is None
    assert table.resource_handle.dtype == tf.resource and table.resource_handle.shape == ()
    assert tf.compat.v1.lookup.StaticHashTable is not tf.lookup.StaticHashTable
    v1 = tf.compat.v1.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer([1], [2]), 0)
    assert v1.initializer is None  # the init op ran eagerly


def test_duplicate_keys():
    table = _table(["a", "a", "b"], [1, 1, 2])  # the same value twice is fine
    assert table.size().numpy() == 2
    with pytest.raises(
        tf.errors.FailedPreconditionError,
        match="HashTable has different value for same key. Key a has 1 and trying "
        r"to add value 2 \[Op:LookupTableImportV2\]",
    ):
        _table(["a", "b", "a"], [1, 5, 2])


def test_empty_table():
    table = _table(tf.constant([], tf.string), tf.constant([], tf.int64))
    assert table.size().numpy() == 0
    assert table.lookup(tf.constant(["a"])).numpy().tolist() == [-1]


def test_key_dtype_mismatch_is_a_type_error():
    table = _table()
    with pytest.raises(
        TypeError,
        match=r"Dtype of argument `keys` must be <dtype: 'string'>, "
        r"received: <dtype: 'int32'>",
    ):
        table.lookup(tf.constant([1, 2]))
    int_table = _table([1, 2], [3, 4], key_dtype=tf.int64)
    with pytest.raises(TypeError, match="must be <dtype: 'int64'>, received: <dtype: 'int32'>"):
        int_table.lookup(tf.constant([1], tf.int32))
    sp = tf.sparse.SparseTensor([[0]], [1.0], [2])
    with pytest.raises(TypeError, match="received: <dtype: 'float32'>"):
        int_table.lookup(sp)


def test_default_value_must_be_a_scalar_of_the_value_dtype():
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(\) are not compatible"):
        _table(default=[1, 2])
    with pytest.raises(TypeError):
        _table(default="x")


def test_unregistered_dtype_pair_is_not_found():
    init = tf.lookup.KeyValueTensorInitializer([1.0, 2.0], [1, 2])
    with pytest.raises(
        tf.errors.NotFoundError,
        match=r"Could not find device for node: \{\{node HashTableV2\}\} = "
        r"HashTableV2\[key_dtype=DT_FLOAT, value_dtype=DT_INT32\]",
    ):
        tf.lookup.StaticHashTable(init, -1)


class _WrongInitializer(tf.lookup.KeyValueTensorInitializer):
    @property
    def value_dtype(self):
        return tf.int64


def test_initializer_dtypes_must_match_the_table():
    with pytest.raises(
        TypeError,
        match=r"Invalid value dtype for table, expected "
        r"<dtype: 'int64'> but got <dtype: 'int32'>\.",
    ):
        tf.lookup.StaticHashTable(_WrongInitializer(["a"], [1]), -1)


def test_initializer_properties():
    init = tf.lookup.KeyValueTensorInitializer([1, 2], ["a", "b"], key_dtype=tf.int64)
    assert init.key_dtype == tf.int64 and init.value_dtype == tf.string
    with pytest.raises(ValueError, match="Tensor conversion requested dtype int64"):
        tf.lookup.KeyValueTensorInitializer(tf.constant([1]), [2], key_dtype=tf.int64)


def test_keys_given_as_python_values():
    table = _table([1, 2], [10, 20], key_dtype=tf.int64)
    assert table.lookup([2, 5]).numpy().tolist() == [20, -1]
