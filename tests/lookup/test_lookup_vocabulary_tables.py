"""tf.lookup.StaticVocabularyTable: vocabulary ids, Fingerprint64 out-of-vocabulary buckets
(``Fingerprint64(key) % num_oov_buckets + vocab_size``), integer keys, errors."""

import os

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.ops.string_ops_hash import fingerprint64


def _init(keys=("emerson", "lake", "palmer"), values=(0, 1, 2)):
    return tf.lookup.KeyValueTensorInitializer(
        tf.constant(list(keys)), tf.constant(list(values), tf.int64)
    )


def _bucket(key, n, size):
    return fingerprint64(key.encode() if isinstance(key, str) else key) % n + size


def test_tf_documented_mapping():
    table = tf.lookup.StaticVocabularyTable(_init(), num_oov_buckets=5)
    out = table[tf.constant(["emerson", "lake", "palmer", "king", "crimson"])]
    assert out.dtype == tf.int64 and out.numpy().tolist() == [0, 1, 2, 6, 7]
    assert table.size().numpy() == 8 and table.size().dtype == tf.int64
    assert table.key_dtype == tf.string and table.value_dtype == tf.int64


def test_oov_ids_follow_the_size_not_the_values():
    table = tf.lookup.StaticVocabularyTable(_init(values=(1, 2, 3)), num_oov_buckets=1)
    out = table[tf.constant(["emerson", "lake", "palmer", "king"])]
    assert out.numpy().tolist() == [1, 2, 3, 3]  # TF's documented collision


def test_text_file_vocabulary(tmp_path):
    path = os.path.join(tmp_path, "vocab.txt")
    with open(path, "w") as f:
        f.write("emerson\nlake\npalmer\ncrimnson")
    init = tf.lookup.TextFileInitializer(
        path,
        tf.string,
        tf.lookup.TextFileIndex.WHOLE_LINE,
        tf.int64,
        tf.lookup.TextFileIndex.LINE_NUMBER,
    )
    table = tf.lookup.StaticVocabularyTable(init, 3)
    out = table.lookup(tf.constant(["palmer", "crimnson", "king", "tarkus", "black", "moon"]))
    assert out.numpy().tolist() == [2, 3, 5, 6, 6, 4]  # TF's documented output


@pytest.mark.parametrize("n", [1, 2, 7, 1000])
def test_buckets_are_fingerprint64(n):
    table = tf.lookup.StaticVocabularyTable(_init(), n)
    words = ["", "a", "king", "x" * 40, "crimson", "héllo"]
    out = table.lookup(tf.constant(words)).numpy().tolist()
    assert out == [_bucket(w, n, 3) for w in words]


def test_integer_keys_hash_their_decimal_text():
    init = tf.lookup.KeyValueTensorInitializer(
        tf.constant([10, 20], tf.int64), tf.constant([0, 1], tf.int64)
    )
    table = tf.lookup.StaticVocabularyTable(init, 4, lookup_key_dtype=tf.int32)
    assert table.key_dtype == tf.int32
    out = table.lookup(tf.constant([20, 10, -5, 7], tf.int32))
    assert out.numpy().tolist() == [1, 0, _bucket("-5", 4, 2), _bucket("7", 4, 2)]
    with pytest.raises(TypeError, match="must be <dtype: 'int32'>, received: <dtype: 'int64'>"):
        table.lookup(tf.constant([1], tf.int64))


def test_without_initializer_only_buckets():
    table = tf.lookup.StaticVocabularyTable(None, 3, lookup_key_dtype=tf.int64)
    assert table.key_dtype == tf.string  # TF ignores lookup_key_dtype without an initializer
    assert table.name == "hash_bucket" and table.resource_handle is None
    out = table.lookup(tf.constant(["a", "b"]))
    assert out.numpy().tolist() == [_bucket("a", 3, 0), _bucket("b", 3, 0)]
    assert table.size().numpy() == 3


def test_sparse_and_ragged_keys():
    table = tf.lookup.StaticVocabularyTable(_init(), 2)
    sp = table.lookup(tf.sparse.SparseTensor([[0, 1], [3, 0]], ["lake", "zz"], [4, 2]))
    assert sp.values.numpy().tolist() == [1, _bucket("zz", 2, 3)]
    assert sp.dense_shape.numpy().tolist() == [4, 2]
    rt = table.lookup(tf.ragged.constant([["palmer"], ["emerson", "lake"]]))
    assert rt.to_list() == [[2], [0, 1]]


def test_constructor_errors():
    with pytest.raises(ValueError, match=r"`num_oov_buckets` must be > 0; use StaticHashTable\."):
        tf.lookup.StaticVocabularyTable(_init(), 0)
    int32_values = tf.lookup.KeyValueTensorInitializer(["a"], [1])
    with pytest.raises(
        TypeError,
        match=r"Invalid `value_dtype`, expected <dtype: 'int64'> but got "
        r"<dtype: 'int32'>\.",
    ):
        tf.lookup.StaticVocabularyTable(int32_values, 1)
    int32_keys = tf.lookup.KeyValueTensorInitializer([1], tf.constant([1], tf.int64))
    with pytest.raises(
        TypeError,
        match=r"Invalid `key_dtype`, expected one of \(tf.int64, "
        r"tf.string\), but got <dtype: 'int32'>\.",
    ):
        tf.lookup.StaticVocabularyTable(int32_keys, 1)
    with pytest.raises(
        TypeError,
        match=r"Invalid `key_dtype`, expected integer but got "
        r"<dtype: 'string'>\.",
    ):
        tf.lookup.StaticVocabularyTable(_init(), 1, lookup_key_dtype=tf.int64)
    with pytest.raises(TypeError, match="`key_dtype`, expected non-integer but got"):
        init = tf.lookup.KeyValueTensorInitializer(
            tf.constant([1], tf.int64), tf.constant([1], tf.int64)
        )
        tf.lookup.StaticVocabularyTable(init, 1, lookup_key_dtype=tf.string)


def test_v1_class_exposes_its_initializer():
    table = tf.compat.v1.lookup.StaticVocabularyTable(_init(), 1)
    assert table.initializer is None
    assert np.array_equal(table.lookup(tf.constant(["lake"])).numpy(), [1])
