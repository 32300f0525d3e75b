"""``keras.datasets.fashion_mnist``: 70,000 28x28 grayscale clothing images, 10 classes."""

import gzip
import os

from tensorlet.backend import xp
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.utils.file_utils import get_file

BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)


@keras_export("keras.datasets.fashion_mnist.load_data")
def load_data():
    """``(x_train, y_train), (x_test, y_test)`` as uint8 arrays (Keras' cache:
    ``~/.keras/datasets/fashion-mnist/<the four .gz files>``)."""
    dirname = os.path.join("datasets", "fashion-mnist")
    paths = [get_file(f, origin=BASE + f, cache_subdir=dirname) for f in FILES]
    with gzip.open(paths[0], "rb") as f:
        y_train = xp.frombuffer(f.read(), xp.uint8, offset=8)
    with gzip.open(paths[1], "rb") as f:
        x_train = xp.frombuffer(f.read(), xp.uint8, offset=16).reshape(len(y_train), 28, 28)
    with gzip.open(paths[2], "rb") as f:
        y_test = xp.frombuffer(f.read(), xp.uint8, offset=8)
    with gzip.open(paths[3], "rb") as f:
        x_test = xp.frombuffer(f.read(), xp.uint8, offset=16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
