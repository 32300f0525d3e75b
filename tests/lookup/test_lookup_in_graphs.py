"""Tables inside tf.function and tf.data: captured resource handles, program order of updates,
initialization in a graph, shape inference; the raw ops' kernel checks; no gradients."""

import os

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.lookup_ops import table_ops, table_resources
from tensorlet.ops.op_def import REGISTRY


def _static():
    return tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2]), -1)


def test_lookups_in_tf_function():
    static = _static()
    vocab = tf.lookup.StaticVocabularyTable(
        tf.lookup.KeyValueTensorInitializer(["a"], tf.constant([0], tf.int64)), 2
    )

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def f(keys):
        out = static.lookup(keys)
        assert out.shape.as_list() == [None]
        size = static.size()
        assert size.shape.as_list() == []
        keys_out, values_out = static.export()
        assert keys_out.shape.as_list() == [None] and values_out.shape.as_list() == [None]
        return out, vocab.lookup(keys), size

    out, ids, size = f(tf.constant(["b", "q", "a"]))
    assert out.numpy().tolist() == [2, -1, 1] and size.numpy() == 2
    assert ids.numpy().tolist()[::2] == [ids.numpy()[0], 0]
    assert f(tf.constant(["a"]))[0].numpy().tolist() == [1]


def test_mutable_updates_keep_program_order_in_tf_function():
    table = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)

    @tf.function
    def step(key, value):
        table.insert(key, value)
        first = table.lookup(key)
        table.remove(key)
        return first, table.lookup(key), table.size()

    first, after, size = step(tf.constant(["k"]), tf.constant([5], tf.int64))
    assert first.numpy().tolist() == [5] and after.numpy().tolist() == [-1] and size.numpy() == 0

    @tf.function
    def add(key, value):
        table.insert(key, value)
        return table.size()

    assert add(tf.constant(["x"]), tf.constant([1], tf.int64)).numpy() == 1
    assert add(tf.constant(["y"]), tf.constant([2], tf.int64)).numpy() == 2  # runs every call
    assert table.lookup(["x", "y"]).numpy().tolist() == [1, 2]


def test_dense_table_in_tf_function_has_static_shapes():
    table = tf.lookup.experimental.DenseHashTable(
        tf.int64, tf.float32, [0.0, 0.0], -1, -2, initial_num_buckets=8
    )

    @tf.function
    def f(k):
        table.insert(k, tf.ones([2, 2]))
        out = table.lookup(k)
        assert out.shape.as_list() == [2, 2]
        keys, values = table.export()
        assert keys.shape.as_list() == [None, 1] and values.shape.as_list() == [None, 2]
        return out

    assert f(tf.constant([3, 4], tf.int64)).numpy().tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_table_initialized_inside_a_graph():
    tables = []

    @tf.function
    def f(keys, values):
        table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(keys, values), -1)
        tables.append(table)
        return table.lookup(tf.constant(["a", "b"]))

    conc = f.get_concrete_function(tf.TensorSpec([2], tf.string), tf.TensorSpec([2], tf.int32))
    with pytest.raises(
        tf.errors.FailedPreconditionError, match=r"Table not initialized\. \[Op:LookupTableFindV2\]"
    ):
        tables[0].lookup(tf.constant(["a"]))  # the init op has not run yet
    assert conc(tf.constant(["a", "c"]), tf.constant([1, 2])).numpy().tolist() == [1, -1]
    assert tables[0].lookup(tf.constant(["c"])).numpy().tolist() == [2]
    # TF's re-initialization check compares sizes only: same-size data is accepted (and ignored)
    assert conc(tf.constant(["b", "c"]), tf.constant([5, 6])).numpy().tolist() == [1, -1]


def test_constant_initializer_in_tf_function_initializes_eagerly(tmp_path):
    path = os.path.join(tmp_path, "v.txt")
    with open(path, "w") as f:
        f.write("x\ny\n")
    made = []

    @tf.function
    def f(k):
        if not made:
            made.append(
                tf.lookup.StaticHashTable(
                    tf.lookup.TextFileInitializer(path, tf.string, -2, tf.int64, -1), -1
                )
            )
            made.append(_static())
        return made[0].lookup(k)

    assert f(tf.constant(["y", "z"])).numpy().tolist() == [1, -1]
    assert made[1].lookup(tf.constant(["b"])).numpy().tolist() == [2]  # usable eagerly too


def test_lookup_in_dataset_map():
    table = _static()
    vocab = tf.lookup.StaticVocabularyTable(
        tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([0, 1], tf.int64)), 1
    )
    ds = tf.data.Dataset.from_tensor_slices(["a", "c", "b"]).map(
        lambda s: (table.lookup(s), vocab.lookup(s))
    )
    assert [(int(x), int(y)) for x, y in ds.as_numpy_iterator()] == [(1, 0), (-1, 2), (2, 1)]
    ragged = tf.data.Dataset.from_tensor_slices(tf.constant([["a", "b"], ["b", "q"]])).map(
        table.lookup
    )
    assert [r.tolist() for r in ragged.as_numpy_iterator()] == [[1, 2], [2, -1]]


def test_dataset_initializer():
    keys = tf.data.Dataset.range(100)
    values = tf.data.Dataset.range(100).map(lambda x: tf.strings.as_string(x * 2))
    init = tf.data.experimental.DatasetInitializer(tf.data.Dataset.zip((keys, values)))
    assert init.key_dtype == tf.int64 and init.value_dtype == tf.string
    table = tf.lookup.StaticHashTable(init, "")
    assert table.lookup(tf.constant([0, 1, 2], tf.int64)).numpy().tolist() == [b"0", b"2", b"4"]
    assert table.size().numpy() == 100
    with pytest.raises(ValueError, match="produces 1 components instead of two"):
        tf.data.experimental.DatasetInitializer(keys)
    pairs = tf.data.Dataset.from_tensor_slices(([[1]], [[2]]))
    with pytest.raises(ValueError, match="non-scalar key Tensors of rank 1"):
        tf.data.experimental.DatasetInitializer(pairs)


def test_table_from_dataset():
    keys = tf.data.Dataset.range(10)
    values = tf.data.Dataset.range(10).map(lambda x: tf.strings.as_string(x * 2))
    table = tf.data.experimental.table_from_dataset(
        tf.data.Dataset.zip((keys, values)), default_value="n/a", key_dtype=tf.int64
    )
    assert table.lookup(tf.constant([0, 1, 20], tf.int64)).numpy().tolist() == [b"0", b"2", b"n/a"]
    words = tf.data.Dataset.range(10).map(lambda x: tf.strings.as_string(x * 2))
    index = tf.data.experimental.index_table_from_dataset(words, key_dtype=tf.int64)
    assert index.lookup(tf.constant(["0", "2", "4", "5"])).numpy().tolist() == [0, 1, 2, -1]
    index = tf.data.experimental.index_table_from_dataset(words, num_oov_buckets=2, vocab_size=3)
    ids = index.lookup(tf.constant(["0", "4", "6"])).numpy().tolist()
    assert ids[:2] == [0, 2] and ids[2] in (3, 4) and index.size().numpy() == 5
    with pytest.raises(ValueError, match="`default_value` must be specified"):
        tf.data.experimental.table_from_dataset(tf.data.Dataset.zip((keys, values)))


# ---------------------------------------------------------------- the raw ops


def test_kernel_signature_check():
    table = _static()
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Signature mismatch, have: resource, int32, int32->int32 expected: "
        r"resource, string, int32->int32 \[Op:LookupTableFindV2\]",
    ):
        table_ops.find(table.resource_handle, tf.constant([1]), tf.constant(0))
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Expected shape \[\] or \[1\] for default value, got \[2\]",
    ):
        table_ops.find(table.resource_handle, tf.constant(["a"]), tf.constant([0, 0]))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Signature mismatch, have: resource, string, int64->"
    ):
        table_ops.insert(table.resource_handle, tf.constant(["a"]), tf.constant([1], tf.int64))
    with pytest.raises(
        tf.errors.UnimplementedError,
        match="Insert not supported by InitializableLookupTable implementations",
    ):
        table_ops.insert(table.resource_handle, tf.constant(["z"]), tf.constant([1]))
    with pytest.raises(tf.errors.UnimplementedError, match="Remove not supported"):
        table_ops.remove(table.resource_handle, tf.constant(["z"]))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="cannot compute LookupTableSizeV2 as input #0"
    ):
        table_ops.size(tf.constant(1.0))


def test_uninitialized_table():
    handle = table_ops.make_handle(table_resources.HashTable(tf.string, tf.int64))
    assert table_ops.size(handle).numpy() == 0
    with pytest.raises(tf.errors.FailedPreconditionError, match=r"Table not initialized\."):
        table_ops.find(handle, tf.constant(["a"]), tf.constant(0, tf.int64))
    with pytest.raises(tf.errors.AbortedError, match=r"HashTable is not initialized\."):
        table_ops.export(handle, tf.string, tf.int64)
    table_ops.import_values(handle, tf.constant(["a"]), tf.constant([4], tf.int64))
    table_ops.import_values(handle, tf.constant(["q"]), tf.constant([7], tf.int64))  # same size
    with pytest.raises(
        tf.errors.FailedPreconditionError,
        match="Table was already initialized with different data.",
    ):
        table_ops.import_values(handle, tf.constant(["a", "b"]), tf.constant([1, 2], tf.int64))
    assert table_ops.find(
        handle, tf.constant(["a", "q"]), tf.constant(0, tf.int64)
    ).numpy().tolist() == [4, 0]


def test_import_restores_mutable_tables():
    table = tf.lookup.experimental.MutableHashTable(tf.int64, tf.int64, -1)
    table.insert([1, 2], [10, 20])
    saved = table._serialize_to_tensors()
    table.insert([3], [30])
    table._restore_from_tensors(saved)
    assert sorted(table.export()[0].numpy().tolist()) == [1, 2]
    dense = tf.lookup.experimental.DenseHashTable(
        tf.int64, tf.int64, -1, -1, -2, initial_num_buckets=4
    )
    dense.insert([5], [50])
    saved = dense._serialize_to_tensors()
    other = tf.lookup.experimental.DenseHashTable(
        tf.int64, tf.int64, -1, -1, -2, initial_num_buckets=16
    )
    other._restore_from_tensors(saved)
    assert other.size().numpy() == 1 and other.lookup([5, 6]).numpy().tolist() == [50, -1]
    assert other.export()[0].shape == (4, 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="not initializable"):
        table_ops.initialize_from_text_file(
            table.resource_handle, tf.constant("f"), -2, -1, -1, "\t", 0
        )


def test_lookups_are_not_differentiable():
    table = tf.lookup.experimental.MutableHashTable(tf.string, tf.float32, 0.0)
    table.insert(["a"], [2.0])
    defaults = tf.constant([5.0, 6.0])
    values = tf.constant([1.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([defaults, values])
        y = table.lookup(["a", "b"], dynamic_default_values=defaults)
        table.insert(["c"], values)
    assert tape.gradient(y, defaults) is None
    for name in (
        "LookupTableFindV2",
        "LookupTableInsertV2",
        "LookupTableImportV2",
        "LookupTableRemoveV2",
        "LookupTableSizeV2",
        "LookupTableExportV2",
        "InitializeTableFromTextFileV2",
    ):
        assert REGISTRY[name].grad is None and REGISTRY[name].stateful, name
    assert np.array_equal(y.numpy(), [2.0, 6.0])


@pytest.mark.parametrize(
    "module",
    ["initializers", "static_tables", "vocabulary_tables", "mutable_tables", "dataset_initializer"],
)
def test_docstring_examples(module):
    import doctest
    import importlib

    mod = importlib.import_module(f"tensorlet.lookup_ops.{module}")
    assert doctest.testmod(mod, extraglobs={"tf": tf}).failed == 0


def test_tables_made_in_a_trace_outlive_it():
    made = []

    @tf.function
    def f(x):
        default = tf.add(tf.constant(-2), 1)  # a traced constant
        table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a"], [5]), default)
        mutable = tf.lookup.experimental.MutableHashTable(tf.string, tf.int32, default)
        made.extend([table, mutable])
        return table.lookup(x)

    assert f(tf.constant(["a", "b"])).numpy().tolist() == [5, -1]
    assert made[0].lookup(tf.constant(["q"])).numpy().tolist() == [-1]  # used eagerly afterwards
    assert made[1].lookup(tf.constant(["q"])).numpy().tolist() == [-1]
    assert tf.compat.v1.data.experimental.DatasetInitializer is (
        tf.data.experimental.DatasetInitializer
    )
