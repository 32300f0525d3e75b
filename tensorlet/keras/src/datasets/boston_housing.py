"""``keras.datasets.boston_housing``: 506 samples of 13 house features and prices."""

from tensorlet.backend import xp
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz"


@keras_export("keras.datasets.boston_housing.load_data")
def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """``(x_train, y_train), (x_test, y_test)``, shuffled with ``RandomState(seed)`` then split."""
    if not 0 <= test_split < 1:
        raise ValueError(f"test_split should be between 0 and 1. Received: test_split={test_split}")
    path = get_file(path, origin=ORIGIN)
    with xp.load(path, allow_pickle=True) as f:
        x, y = f["x"], f["y"]
    rng = xp.random.RandomState(seed)
    indices = xp.arange(len(x))
    rng.shuffle(indices)
    x, y = x[indices], y[indices]
    n = int(len(x) * (1 - test_split))
    return (xp.array(x[:n]), xp.array(y[:n])), (xp.array(x[n:]), xp.array(y[n:]))
