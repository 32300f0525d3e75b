"""``keras.datasets.cifar10``: 60,000 32x32 colour images in 10 classes."""

import os
import pickle

from tensorlet.backend import xp
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.backend import config
from tensorlet.keras.src.utils.file_utils import get_file, keras_home

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"


def load_batch(fpath, label_key="labels"):
    """``(data (N, 3, 32, 32) uint8, labels)`` of one pickled CIFAR batch file."""
    with open(fpath, "rb") as f:
        d = pickle.load(f, encoding="bytes")
    d = {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in d.items()}
    data = d["data"].reshape(d["data"].shape[0], 3, 32, 32)
    return data, d[label_key]


def _batches_dir():
    """``cifar-10-batches-py`` in the cache (Keras 3 and Keras 2 layouts, or the tarball)."""
    base = os.path.join(keras_home(), "datasets")
    for d in ("cifar-10-batches-py-target_extracted", "cifar-10-batches-py-target", ""):
        p = os.path.join(base, d, "cifar-10-batches-py")
        if os.path.isdir(p):
            return p
    for tarball in ("cifar-10-batches-py-target", "cifar-10-python.tar.gz"):
        if os.path.isfile(os.path.join(base, tarball)):
            return os.path.join(
                get_file(tarball, origin=ORIGIN, extract=True), "cifar-10-batches-py"
            )
    get_file("cifar-10-batches-py-target", origin=ORIGIN)  # raises, saying where to put it
    return None


@keras_export("keras.datasets.cifar10.load_data")
def load_data():
    """``(x_train, y_train), (x_test, y_test)``: (50000, 32, 32, 3) / (10000, 32, 32, 3) uint8
    images (channels last unless ``image_data_format()`` is channels_first), (N, 1) labels."""
    path = _batches_dir()
    x_train = xp.empty((50000, 3, 32, 32), dtype="uint8")
    y_train = xp.empty((50000,), dtype="uint8")
    for i in range(1, 6):
        data, labels = load_batch(os.path.join(path, f"data_batch_{i}"))
        x_train[(i - 1) * 10000 : i * 10000] = data
        y_train[(i - 1) * 10000 : i * 10000] = labels
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    y_train = xp.reshape(y_train, (len(y_train), 1))
    y_test = xp.reshape(xp.asarray(y_test, dtype="uint8"), (len(y_test), 1))
    if config.image_data_format() == "channels_last":
        x_train = x_train.transpose(0, 2, 3, 1)
        x_test = x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test.astype(x_train.dtype), y_test)
