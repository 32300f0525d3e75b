"""``keras.ops`` NumPy-style functions (the first few; the rest is a later slice)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.ops import array_ops


@keras_export("keras.ops.stack", "keras.ops.numpy.stack")
def stack(x, axis=0):
    """Joins tensors of the same shape along a new ``axis``."""
    return array_ops.stack([backend.convert_to_tensor(t) for t in x], axis=axis)
