"""keras.datasets read Keras' cache files (no downloads)."""

import gzip
import json
import os
import pickle

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "datasets").mkdir()
    return tmp_path / "datasets"


def test_missing_file_says_where_to_put_it(cache):
    with pytest.raises(FileNotFoundError, match=str(cache / "mnist.npz")):
        keras.datasets.mnist.load_data()


def test_mnist(cache):
    x = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    np.savez(
        cache / "mnist.npz",
        x_train=x,
        y_train=np.array([1, 2], np.uint8),
        x_test=x[:1],
        y_test=np.array([3], np.uint8),
    )
    (xt, yt), (xs, ys) = keras.datasets.mnist.load_data()
    np.testing.assert_array_equal(xt, x)
    assert yt.tolist() == [1, 2] and xs.shape == (1, 28, 28) and ys.tolist() == [3]


def test_fashion_mnist(cache):
    d = cache / "fashion-mnist"
    d.mkdir()
    images = np.arange(2 * 784, dtype=np.uint8)
    for prefix in ("train", "t10k"):
        with gzip.open(d / f"{prefix}-labels-idx1-ubyte.gz", "wb") as f:
            f.write(b"\0" * 8 + bytes([4, 5]))
        with gzip.open(d / f"{prefix}-images-idx3-ubyte.gz", "wb") as f:
            f.write(b"\0" * 16 + images.tobytes())
    (xt, yt), _ = keras.datasets.fashion_mnist.load_data()
    assert xt.shape == (2, 28, 28) and yt.tolist() == [4, 5]


def test_cifar10(cache):
    d = cache / "cifar-10-batches-py-target_extracted" / "cifar-10-batches-py"
    d.mkdir(parents=True)
    for name, n in [(f"data_batch_{i}", 10000) for i in range(1, 6)] + [("test_batch", 10000)]:
        data = np.zeros((n, 3072), np.uint8)
        data[:, 0] = 7
        with open(d / name, "wb") as f:
            pickle.dump({b"data": data, b"labels": [1] * n}, f)
    (xt, yt), (xs, _ys) = keras.datasets.cifar10.load_data()
    assert xt.shape == (50000, 32, 32, 3) and yt.shape == (50000, 1) and xs.shape[0] == 10000
    assert xt[0, 0, 0, 0] == 7 and yt[0, 0] == 1


def test_boston_housing(cache):
    x = np.arange(10 * 13, dtype=np.float64).reshape(10, 13)
    np.savez(cache / "boston_housing.npz", x=x, y=np.arange(10.0))
    (xt, yt), (xs, _ys) = keras.datasets.boston_housing.load_data()
    assert xt.shape == (8, 13) and xs.shape == (2, 13)
    perm = np.arange(10)
    np.random.RandomState(113).shuffle(perm)
    np.testing.assert_array_equal(yt, perm[:8].astype(np.float64))


def test_imdb(cache):
    x = np.empty(2, dtype=object)
    x[0], x[1] = [1, 2, 3], [4, 50]
    np.savez(
        cache / "imdb.npz", x_train=x, y_train=np.array([0, 1]), x_test=x, y_test=np.array([1, 0])
    )
    (xt, _yt), _ = keras.datasets.imdb.load_data(num_words=10)
    assert sorted(len(s) for s in xt) == [3, 4] and all(s[0] == 1 for s in xt)
    assert all(w < 10 for s in xt for w in s)
    (cache / "imdb_word_index.json").write_text(json.dumps({"the": 1}))
    assert keras.datasets.imdb.get_word_index() == {"the": 1}
    assert os.path.exists(cache / "imdb.npz")
