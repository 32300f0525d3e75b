"""``keras.ops`` neural-network functions (the first few; the rest is a later slice)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.ops import array_creation_ops


@keras_export("keras.ops.one_hot", "keras.ops.nn.one_hot")
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot rows of ``num_classes`` for integer ``x`` (out-of-range indices give zeros)."""
    if sparse:
        raise NotImplementedError("sparse one_hot is not supported by tensorlet yet")
    dtype = backend.standardize_dtype(dtype)
    return array_creation_ops.one_hot(
        backend.convert_to_tensor(x), num_classes, axis=axis, dtype=dtype
    )
