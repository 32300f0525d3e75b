"""``keras.datasets.mnist``: 70,000 28x28 grayscale digits (uint8), labels 0-9."""

from tensorlet.backend import xp
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"


@keras_export("keras.datasets.mnist.load_data")
def load_data(path="mnist.npz"):
    """``(x_train, y_train), (x_test, y_test)``: (60000, 28, 28) / (10000, 28, 28) uint8 images.

    Reads ``~/.keras/datasets/<path>`` (Keras' cache file); tensorlet does not download it.
    """
    path = get_file(fname=path, origin=ORIGIN)
    with xp.load(path, allow_pickle=True) as f:
        x_train, y_train = f["x_train"], f["y_train"]
        x_test, y_test = f["x_test"], f["y_test"]
    return (x_train, y_train), (x_test, y_test)
