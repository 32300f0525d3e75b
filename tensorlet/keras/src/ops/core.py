"""``keras.ops`` core functions (the first few; the full ``keras.ops`` API is a later slice)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend


@keras_export("keras.ops.convert_to_tensor")
def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """``x`` as a tensor of ``dtype`` (casting an existing tensor, as Keras does)."""
    return backend.convert_to_tensor(x, dtype=dtype)


@keras_export("keras.ops.convert_to_numpy")
def convert_to_numpy(x):
    """``x`` as a NumPy array."""
    return backend.convert_to_tensor(x).numpy()
