"""keras numeric / categorical preprocessing layers: Rescaling, Normalization, Discretization,
CategoryEncoding, Hashing, HashedCrossing."""

import doctest

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.layers.preprocessing import (
    category_encoding,
    discretization,
    hashed_crossing,
    hashing,
    normalization,
    rescaling,
)
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras
RNG = np.random.default_rng(0)


def _map(layer, values, batch=None):
    ds = tf.data.Dataset.from_tensor_slices(values)
    if batch:
        ds = ds.batch(batch)
    return [x.numpy() for x in ds.map(layer)]


# ---------------------------------------------------------------- Rescaling
def test_rescaling():
    run_layer_test(keras.layers.Rescaling, {"scale": 0.5, "offset": 1.0}, (2, 3), (2, 3))
    x = np.array([[0, 128, 255]], np.uint8)
    out = keras.layers.Rescaling(1 / 255.0)(x)
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), x / 255.0, rtol=1e-6)
    per_channel = keras.layers.Rescaling(np.array([1.0, 2.0, 3.0], "float32"))
    np.testing.assert_allclose(per_channel(tf.ones((1, 2, 3))).numpy()[0, 0], [1, 2, 3])
    clone = keras.layers.Rescaling.from_config(per_channel.get_config())
    np.testing.assert_allclose(clone(tf.ones((1, 3))).numpy(), [[1, 2, 3]])
    assert _map(keras.layers.Rescaling(2.0), np.array([1, 2], np.uint8))[1] == 4.0


# ---------------------------------------------------------------- Normalization
def test_normalization_adapt_sources_agree():
    data = RNG.standard_normal((40, 3)).astype("float32") * [1, 2, 3] + [1, -2, 5]
    want_mean, want_var = data.mean(0), data.var(0)
    sources = [
        data,
        tf.constant(data),
        tf.data.Dataset.from_tensor_slices(data).batch(7),
        [data[:15], data[15:]],
    ]
    for source in sources:
        layer = keras.layers.Normalization()
        layer.adapt(source)
        np.testing.assert_allclose(layer.adapt_mean.numpy(), want_mean, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(layer.adapt_variance.numpy(), want_var, rtol=1e-4)
        x = data[:4]
        want = (x - want_mean) / np.sqrt(want_var)
        np.testing.assert_allclose(layer(x).numpy(), want, rtol=1e-4, atol=1e-5)
    assert [w.name for w in layer.weights] == ["mean", "variance", "count"]
    assert [w.dtype for w in layer.weights] == ["float32", "float32", "int64"]
    assert layer.trainable_weights == []


def test_normalization_given_stats_axis_invert_and_epsilon():
    layer = keras.layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 0.0])
    out = layer(tf.constant([[3.0, 2.0]])).numpy()
    np.testing.assert_allclose(out, [[1.0, 0.0]])
    inverted = keras.layers.Normalization(mean=3.0, variance=4.0, invert=True)
    np.testing.assert_allclose(inverted(tf.constant([[1.0], [-1.0]])).numpy(), [[5.0], [1.0]])
    per_row = keras.layers.Normalization(axis=(1, 2))
    per_row.adapt(RNG.standard_normal((10, 2, 3)).astype("float32"))
    assert per_row.adapt_mean.shape == (2, 3)
    everything = keras.layers.Normalization(axis=None)
    everything.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0], "float32"))
    assert everything.get_config()["axis"] == ()
    run_layer_test(
        keras.layers.Normalization,
        {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]},
        (2, 3),
        (2, 3),
        run_training_check=False,
    )


def test_normalization_errors():
    with pytest.raises(ValueError, match="both `mean` and `variance` must be set"):
        keras.layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="must have the same shape"):
        keras.layers.Normalization(mean=[1.0, 2.0], variance=[1.0])
    with pytest.raises(ValueError, match=r"range \[-ndim, ndim\)"):
        keras.layers.Normalization(axis=3).build((2, 3))
    layer = keras.layers.Normalization()
    layer.adapt(np.ones((4, 3), "float32"))
    with pytest.raises(ValueError, match="incompatible shape"):
        layer.adapt(np.ones((4, 2), "float32"))


# ---------------------------------------------------------------- Discretization
def test_discretization_bins_like_bucketize():
    layer = keras.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    x = np.array([[-1.5, 0.0, 0.5, 1.0, 2.5, np.nan]], "float32")
    out = layer(x)
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [[0, 1, 1, 2, 3, 3]])
    np.testing.assert_array_equal(tf.function(layer)(x).numpy(), out.numpy())
    one_hot = keras.layers.Discretization(bin_boundaries=[0.0], output_mode="one_hot")
    np.testing.assert_array_equal(one_hot(tf.constant([-1.0, 1.0])).numpy(), [[1, 0], [0, 1]])
    count = keras.layers.Discretization(bin_boundaries=[0.0], output_mode="count")
    np.testing.assert_array_equal(count(tf.constant([[-1.0, 1.0, 2.0]])).numpy(), [[1, 2]])


def test_discretization_adapt_quantiles():
    layer = keras.layers.Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(np.arange(16, dtype="float32") / 4)
    assert layer.bin_boundaries == [0.75, 1.75, 2.75]
    batched = keras.layers.Discretization(num_bins=4, epsilon=0.01)
    batched.adapt(tf.data.Dataset.from_tensor_slices(np.arange(16, dtype="float32") / 4).batch(5))
    assert len(batched.bin_boundaries) == 3
    config = layer.get_config()
    assert config["dtype"] == "float32" and config["num_bins"] == 4
    clone = keras.layers.Discretization.from_config(config)
    assert clone.bin_boundaries == [0.75, 1.75, 2.75]
    with pytest.raises(ValueError, match="Cannot adapt"):
        keras.layers.Discretization(bin_boundaries=[1.0]).adapt([1.0])
    with pytest.raises(ValueError, match="either `num_bins` or `bin_boundaries`"):
        keras.layers.Discretization()
    with pytest.raises(ValueError, match="should not be set"):
        keras.layers.Discretization(bin_boundaries=[1.0], num_bins=2)


# ---------------------------------------------------------------- CategoryEncoding
@pytest.mark.parametrize(
    "mode, x, want",
    [
        ("one_hot", [3, 0], [[0, 0, 0, 1], [1, 0, 0, 0]]),
        ("multi_hot", [[0, 1, 1], [3, 3, 5]], [[1, 1, 0, 0], [0, 0, 0, 1]]),
        ("count", [[0, 1, 1], [3, 3, 2]], [[1, 2, 0, 0], [0, 0, 1, 2]]),
    ],
)
def test_category_encoding(mode, x, want):
    layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode=mode)
    out = layer(tf.constant(x))
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(out.numpy(), want)
    np.testing.assert_array_equal(tf.function(layer)(tf.constant(x)).numpy(), want)
    assert layer.compute_output_shape(np.shape(x)) == np.shape(want)


def test_category_encoding_count_weights_and_errors():
    layer = keras.layers.CategoryEncoding(num_tokens=3, output_mode="count")
    out = layer(tf.constant([[0, 2, 2]]), count_weights=tf.constant([[0.5, 1.0, 2.0]]))
    np.testing.assert_allclose(out.numpy(), [[0.5, 0.0, 3.0]])
    with pytest.raises(ValueError, match="`count_weights` is not used"):
        keras.layers.CategoryEncoding(3, output_mode="one_hot")([1], count_weights=[1.0])
    with pytest.raises(ValueError, match="num_tokens must be set"):
        keras.layers.CategoryEncoding()
    with pytest.raises(ValueError, match="Unknown arg for output_mode"):
        keras.layers.CategoryEncoding(3, output_mode="sum")
    assert keras.layers.CategoryEncoding(3, "binary").output_mode == "multi_hot"
    assert keras.layers.CategoryEncoding(3).get_config()["num_tokens"] == 3


# ---------------------------------------------------------------- Hashing, HashedCrossing
def test_hashing_matches_tf_hash_buckets():
    x = tf.constant([["a", "b"], ["", "zzz"]])
    np.testing.assert_array_equal(
        keras.layers.Hashing(num_bins=5)(x).numpy(),
        tf.strings.to_hash_bucket_fast(x, 5).numpy(),
    )
    np.testing.assert_array_equal(
        keras.layers.Hashing(num_bins=5, salt=[7, 11])(x).numpy(),
        tf.strings.to_hash_bucket_strong(x, 5, key=[7, 11]).numpy(),
    )
    masked = keras.layers.Hashing(num_bins=5, mask_value="")(x).numpy()
    assert masked[1, 0] == 0 and masked[0, 0] == tf.strings.to_hash_bucket_fast("a", 4) + 1
    ints = keras.layers.Hashing(num_bins=5)(tf.constant([3, 1000000], tf.int64))
    np.testing.assert_array_equal(ints.numpy(), tf.strings.to_hash_bucket_fast(["3", "1000000"], 5))
    floats = keras.layers.Hashing(num_bins=5)(tf.constant([3.7]))
    assert floats.numpy()[0] == ints.numpy()[0]
    assert _map(keras.layers.Hashing(num_bins=5), ["a", "b"]) == list(
        tf.strings.to_hash_bucket_fast(["a", "b"], 5).numpy()
    )


def test_hashing_modes_config_and_errors():
    layer = keras.layers.Hashing(num_bins=4, output_mode="multi_hot")
    out = layer(tf.constant([["a", "a"]]))
    assert out.dtype == tf.float32 and out.numpy().sum() == 1
    assert keras.layers.Hashing(3, salt=5).get_config()["salt"] == [5, 5]
    assert keras.layers.Hashing(3).get_config()["dtype"]["config"]["name"] == "int64"
    with pytest.raises(ValueError, match="cannot be `None` or non-positive"):
        keras.layers.Hashing(0)
    with pytest.raises(ValueError, match="can only be a tuple of size 2"):
        keras.layers.Hashing(3, salt="x")
    with pytest.raises(ValueError, match="should be an integer type"):
        keras.layers.Hashing(3, dtype="float32")


def test_hashed_crossing():
    layer = keras.layers.HashedCrossing(num_bins=5)
    a, b = tf.constant(["A", "B", "A"]), tf.constant([1, 2, 1], tf.int64)
    out = layer((a, b))
    crossed = tf.sparse.cross_hashed([a[:, None], b[:, None]], 5)
    np.testing.assert_array_equal(out.numpy(), tf.sparse.to_dense(crossed).numpy().reshape(-1))
    one_hot = keras.layers.HashedCrossing(num_bins=5, output_mode="one_hot")((a, b))
    assert one_hot.shape == (3, 5)
    assert layer.get_config() == {
        "num_bins": 5,
        "output_mode": "int",
        "sparse": False,
        "name": layer.name,
        "dtype": "int64",
    }
    with pytest.raises(ValueError, match="at least two inputs"):
        layer((a,))
    with pytest.raises(ValueError, match="equal shape"):
        layer((a, tf.constant([1, 2])))


@pytest.mark.parametrize(
    "module",
    [rescaling, normalization, discretization, category_encoding, hashing, hashed_crossing],
)
def test_docstring_examples(module):
    result = doctest.testmod(module, extraglobs={"tf": tf, "keras": keras, "np": np})
    assert result.failed == 0
