"""keras.layers StringLookup / IntegerLookup / TextVectorization and their vocabulary table."""

import doctest

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.layers.preprocessing import (
    integer_lookup,
    string_lookup,
    text_vectorization,
)
from tensorlet.keras.src.layers.preprocessing.lookup_table import VocabularyTable

keras = tf.keras
CORPUS = [
    "The quick brown fox.",
    "the lazy dog!",
    "A quick, quick DOG jumps",
    "fox and dog and fox",
]


# ---------------------------------------------------------------- the table
def test_vocabulary_table_exact_lookups():
    words = [f"w{i}" for i in range(500)] + ["", "é", "a b"]
    table = VocabularyTable(
        np.array(words), np.arange(len(words)), "string", "int64", default_value=-1
    )
    queries = tf.constant([["w0", "w499", "zzz"], ["", "é", "a b"]])
    np.testing.assert_array_equal(table.lookup(queries).numpy(), [[0, 499, -1], [500, 501, 502]])
    traced = tf.function(table.lookup)(queries)
    np.testing.assert_array_equal(traced.numpy(), [[0, 499, -1], [500, 501, 502]])
    ints = VocabularyTable(np.array([7, -3, 12]), np.array([1, 2, 3]), "int64", "int64", 0)
    np.testing.assert_array_equal(ints.lookup(tf.constant([12, 5, -3, 7])).numpy(), [3, 0, 2, 1])
    inverse = VocabularyTable(np.array([1, 2]), np.array(["a", "b"]), "int64", "string", "[UNK]")
    assert inverse.lookup(tf.constant([2, 0, 1])).numpy().tolist() == [b"b", b"[UNK]", b"a"]
    empty = VocabularyTable([], [], "int64", "int64", 5)
    np.testing.assert_array_equal(empty.lookup(tf.constant([[1, 2]])).numpy(), [[5, 5]])
    with pytest.raises(tf.errors.FailedPreconditionError, match="Table not initialized"):
        VocabularyTable([], [], "string", "int64", 0, initialized=False).lookup(queries)


# ---------------------------------------------------------------- StringLookup
def test_string_lookup_modes():
    x = tf.constant([["a", "b"], ["c", "zzz"]])
    layer = keras.layers.StringLookup(vocabulary=["a", "b", "c"])
    np.testing.assert_array_equal(layer(x).numpy(), [[1, 2], [3, 0]])
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c"]
    assert layer.vocabulary_size() == 4
    multi = keras.layers.StringLookup(vocabulary=["a", "b", "c"], output_mode="multi_hot")
    out = multi(x)
    assert out.dtype == tf.int64
    np.testing.assert_array_equal(out.numpy(), [[0, 1, 1, 0], [1, 0, 0, 1]])
    count = keras.layers.StringLookup(vocabulary=["a"], output_mode="count")
    np.testing.assert_array_equal(count(tf.constant([["a", "a", "q"]])).numpy(), [[1, 2]])
    tf_idf = keras.layers.StringLookup(
        vocabulary=["a", "b"], output_mode="tf_idf", idf_weights=[1.0, 3.0]
    )
    np.testing.assert_allclose(tf_idf(tf.constant([["b", "b", "z"]])).numpy(), [[2.0, 0, 6.0]])
    one_hot = keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="one_hot")
    np.testing.assert_array_equal(one_hot(tf.constant(["b", "z"])).numpy(), [[0, 0, 1], [1, 0, 0]])


def test_string_lookup_special_tokens_invert_and_oov_hashing():
    masked = keras.layers.StringLookup(vocabulary=["a", "b"], mask_token="")
    np.testing.assert_array_equal(masked(tf.constant(["", "a", "q"])).numpy(), [0, 2, 1])
    assert masked.get_vocabulary() == ["", "[UNK]", "a", "b"]
    assert masked.get_vocabulary(include_special_tokens=False) == ["a", "b"]
    inverse = keras.layers.StringLookup(vocabulary=["a", "b"], invert=True)
    assert inverse(tf.constant([1, 0, 2, 9])).numpy().tolist() == [b"a", b"[UNK]", b"b", b"[UNK]"]
    two = keras.layers.StringLookup(vocabulary=["a"], num_oov_indices=2)
    oov = two(tf.constant(["x", "y", "a"])).numpy()
    want = tf.strings.to_hash_bucket_fast(["x", "y"], 2).numpy()
    np.testing.assert_array_equal(oov, list(want) + [2])
    with_specials = keras.layers.StringLookup(vocabulary=["[UNK]", "a", "b"])
    assert with_specials.get_vocabulary() == ["[UNK]", "a", "b"]


def test_string_lookup_adapt_order_and_sources():
    data = ["d", "c", "b", "a", "c", "a"]
    for source in (
        data,
        np.array(data),
        tf.constant(data),
        tf.data.Dataset.from_tensor_slices(data).batch(4),
    ):
        layer = keras.layers.StringLookup()
        layer.adapt(source)
        assert layer.get_vocabulary() == [
            "[UNK]",
            "c",
            "a",
            "d",
            "b",
        ]  # count, then token, descending
    capped = keras.layers.StringLookup(max_tokens=3)
    capped.adapt(data)
    assert capped.get_vocabulary() == ["[UNK]", "c", "a"]
    assert all(type(t).__name__ == "str_" for t in capped.get_vocabulary()[1:])


def test_string_lookup_tf_idf_adapt():
    layer = keras.layers.StringLookup(output_mode="tf_idf")
    layer.adapt(tf.constant([["a", "a", "b"], ["a", "c", "c"]]))
    # idf = log(1 + num_docs / (1 + doc_count)); the OOV weight is their mean
    idf = np.log(1 + 2 / (1 + np.array([2, 1, 1])))
    assert layer.get_vocabulary() == ["[UNK]", "a", "c", "b"]
    np.testing.assert_allclose(layer.idf_weights_const.numpy(), [idf.mean(), *idf], rtol=1e-6)


def test_string_lookup_config_round_trip_and_errors():
    layer = keras.layers.StringLookup(vocabulary=["a", "b"], mask_token="")
    config = layer.get_config()
    assert "vocabulary_dtype" not in config and config["encoding"] == "utf-8"
    assert config["vocabulary_size"] == 4 and config["vocabulary"] == ["a", "b"]
    clone = keras.layers.StringLookup.from_config(config)
    assert clone.get_vocabulary() == layer.get_vocabulary()
    with pytest.raises(ValueError, match="repeated term"):
        keras.layers.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="reserved mask token"):
        keras.layers.StringLookup(vocabulary=["a", ""], mask_token="")
    with pytest.raises(ValueError, match="must be `'int'` when `invert`"):
        keras.layers.StringLookup(invert=True, output_mode="count")
    with pytest.raises(ValueError, match="`idf_weights` argument must also be provided"):
        keras.layers.StringLookup(vocabulary=["a"], output_mode="tf_idf")
    with pytest.raises(RuntimeError, match="must set the layer's vocabulary"):
        keras.layers.StringLookup(output_mode="multi_hot")(tf.constant(["a"]))
    with pytest.raises(tf.errors.FailedPreconditionError, match="Table not initialized"):
        keras.layers.StringLookup()(tf.constant(["a"]))
    with pytest.raises(ValueError, match="Cannot adapt"):
        layer.adapt(["a"])


# ---------------------------------------------------------------- IntegerLookup
def test_integer_lookup():
    layer = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    x = tf.constant([[12, 1138, 42], [42, 1000, 36]], tf.int32)
    np.testing.assert_array_equal(layer(x).numpy(), [[1, 3, 4], [4, 0, 2]])
    vocab = layer.get_vocabulary()
    assert vocab[0] == -1 and type(vocab[0]) is int and type(vocab[1]).__name__ == "int64"
    masked = keras.layers.IntegerLookup(vocabulary=[12, 36], mask_token=0)
    np.testing.assert_array_equal(masked(tf.constant([0, 36, 5])).numpy(), [0, 3, 1])
    inverse = keras.layers.IntegerLookup(vocabulary=[12, 36], invert=True)
    np.testing.assert_array_equal(inverse(tf.constant([0, 1, 2, 7])).numpy(), [-1, 12, 36, -1])
    two = keras.layers.IntegerLookup(vocabulary=[12], num_oov_indices=2)
    np.testing.assert_array_equal(two(tf.constant([5, 6, 12])).numpy(), [1, 0, 2])  # floormod
    adapted = keras.layers.IntegerLookup()
    adapted.adapt(np.array([7, 7, 5, 3, 3, 3]))
    assert adapted.get_vocabulary() == [-1, 3, 7, 5]
    with pytest.raises(tf.errors.InvalidArgumentError, match="found OOV values"):
        keras.layers.IntegerLookup(vocabulary=[1, 2], num_oov_indices=0)(tf.constant([[1, 5]]))
    strict = keras.layers.IntegerLookup(vocabulary=[1, 2], num_oov_indices=0)
    np.testing.assert_array_equal(tf.function(strict)(tf.constant([2, 1])).numpy(), [1, 0])
    config = keras.layers.IntegerLookup(vocabulary=np.array([3, 4]), mask_token=0).get_config()
    assert config["vocabulary"] == [3, 4] and config["vocabulary_dtype"] == "int64"
    with pytest.raises(ValueError, match="Only `vocabulary_dtype='int64'`"):
        keras.layers.IntegerLookup(vocabulary_dtype="int32")


# ---------------------------------------------------------------- TextVectorization
def _adapted(**kwargs):
    layer = keras.layers.TextVectorization(**kwargs)
    layer.adapt(CORPUS)
    return layer


def test_text_vectorization_int_and_lengths():
    layer = _adapted()
    vocab = layer.get_vocabulary()
    assert vocab[:6] == ["", "[UNK]", "quick", "fox", "dog", "the"]
    out = layer(tf.constant(["the quick dog", "unknown words here fox", ""]))
    np.testing.assert_array_equal(out.numpy(), [[5, 2, 4, 0], [1, 1, 1, 3], [0, 0, 0, 0]])
    padded = _adapted(output_sequence_length=6)(tf.constant(["the quick dog"]))
    np.testing.assert_array_equal(padded.numpy(), [[5, 2, 4, 0, 0, 0]])
    cut = _adapted(output_sequence_length=2)(tf.constant([["the quick dog"]]))
    np.testing.assert_array_equal(cut.numpy(), [[5, 2]])
    ragged = _adapted(ragged=True)(tf.constant(["the quick dog", ""]))
    assert ragged.to_list() == [[5, 2, 4], []]
    whole = _adapted(split=None)(tf.constant(["fox and dog and fox", "x"]))
    np.testing.assert_array_equal(whole.numpy(), [4, 1])  # ties: descending strings


def test_text_vectorization_encodings_and_ngrams():
    multi = _adapted(output_mode="multi_hot", max_tokens=5)
    np.testing.assert_array_equal(multi(tf.constant(["dog dog zebra"])).numpy(), [[1, 0, 0, 1, 0]])
    count = _adapted(output_mode="count")
    assert count(tf.constant(["dog dog zebra"])).numpy()[0, :4].tolist() == [1, 0, 0, 2]
    padded = _adapted(output_mode="multi_hot", max_tokens=8, pad_to_max_tokens=True)
    assert padded(tf.constant(["dog"])).shape == (1, 8)
    bigrams = _adapted(ngrams=2)
    assert "quick brown" in bigrams.get_vocabulary()
    chars = _adapted(split="character", output_sequence_length=3)
    assert chars(tf.constant(["ab"])).shape == (1, 3)
    tf_idf = _adapted(output_mode="tf_idf")
    out = tf_idf(tf.constant(["dog dog"])).numpy()
    idf = tf_idf._lookup_layer.idf_weights_const.numpy()
    np.testing.assert_allclose(out[0, 3], 2 * idf[3], rtol=1e-6)
    assert tf_idf.get_weights() == []


def test_text_vectorization_in_tf_data_and_function():
    layer = _adapted(output_sequence_length=4)
    texts = ["the quick dog", "fox"]
    eager = layer(tf.constant(texts)).numpy()
    mapped = [x.numpy() for x in tf.data.Dataset.from_tensor_slices(texts).map(layer)]
    np.testing.assert_array_equal(np.stack(mapped), eager)
    batched = next(iter(tf.data.Dataset.from_tensor_slices(texts).batch(2).map(layer)))
    np.testing.assert_array_equal(batched.numpy(), eager)
    np.testing.assert_array_equal(tf.function(layer)(tf.constant(texts)).numpy(), eager)
    from_dataset = keras.layers.TextVectorization()
    from_dataset.adapt(tf.data.Dataset.from_tensor_slices(CORPUS).batch(3))
    assert from_dataset.get_vocabulary() == _adapted().get_vocabulary()
    symbolic = layer(keras.Input((), dtype="string"))
    assert symbolic.shape == (None, 4) and symbolic.dtype == "int64"


def test_text_vectorization_config_vocabulary_and_errors():
    layer = keras.layers.TextVectorization(vocabulary=["dog", "fox"], standardize="lower")
    np.testing.assert_array_equal(layer(tf.constant(["Dog cat"])).numpy(), [[2, 1]])
    config = layer.get_config()
    assert config["vocabulary"] == ["dog", "fox"] and config["vocabulary_size"] == 4
    clone = keras.layers.TextVectorization.from_config(_adapted(ngrams=(1, 2)).get_config())
    assert clone._ngrams == (1, 2)
    custom = keras.layers.TextVectorization(
        standardize=lambda t: tf.strings.regex_replace(t, "x", "y"), vocabulary=["y"]
    )
    np.testing.assert_array_equal(custom(tf.constant(["x"])).numpy(), [[2]])
    with pytest.raises(ValueError, match="If pad_to_max_tokens is True, must set `max_tokens`"):
        keras.layers.TextVectorization(pad_to_max_tokens=True)
    with pytest.raises(ValueError, match="`output_sequence_length` must not be set"):
        keras.layers.TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="the last shape dimension must be 1"):
        layer(tf.constant([["a", "b"]]))


@pytest.mark.parametrize("module", [string_lookup, integer_lookup, text_vectorization])
def test_docstring_examples(module):
    result = doctest.testmod(module, extraglobs={"tf": tf, "keras": keras, "np": np})
    assert result.failed == 0
