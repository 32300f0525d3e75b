"""Categorical encodings shared by the preprocessing layers (Keras'
``numerical_utils.encode_categorical_inputs`` on the TensorFlow backend).

Indices outside ``[0, depth)`` encode to nothing, so a padding index (``-1``) or the lookup
layers' dropped mask value (the largest int64) never reach the output.
"""

from tensorlet.framework import dtypes
from tensorlet.keras.src import backend
from tensorlet.ops import array_creation_ops, array_ops, cast_ops, reduction_ops, segment_ops


def encode_categorical_inputs(inputs, output_mode, depth, dtype="float32", count_weights=None):
    """``'int'``: a cast; ``'one_hot'``: one row per index; ``'multi_hot'`` / ``'count'``: one
    row per sample (the last axis), presence or number (or summed ``count_weights``)."""
    if output_mode == "int":
        return backend.cast(inputs, dtype)
    rank = inputs.shape.rank
    if rank == 0:
        inputs = array_ops.expand_dims(inputs, -1)
    elif rank > 2 and output_mode not in ("multi_hot", "one_hot"):
        raise ValueError(
            "When output_mode is anything other than `'multi_hot', 'one_hot', or 'int'`, the "
            f"rank must be 2 or less. Received output_mode: {output_mode} and input shape: "
            f"{tuple(inputs.shape.as_list())}, which would result in output rank {rank}."
        )
    if output_mode == "one_hot":
        return backend.cast(array_creation_ops.one_hot(inputs, depth), dtype)
    if output_mode == "multi_hot":
        hot = array_creation_ops.one_hot(inputs, depth, dtype=dtypes.bool)
        return backend.cast(reduction_ops.reduce_any(hot, axis=-2), dtype)
    if count_weights is not None:
        return _weighted_count(inputs, depth, dtype, count_weights)
    hot = array_creation_ops.one_hot(inputs, depth, dtype=backend.standardize_dtype(dtype))
    return reduction_ops.reduce_sum(hot, axis=-2)


def _weighted_count(inputs, depth, dtype, count_weights):
    """``tf.math.bincount`` along the last axis (TF's ``DenseBincount``: no gradient)."""
    counts = segment_ops.bincount(
        cast_ops.cast(inputs, dtypes.int32)
        if inputs.dtype not in (dtypes.int32, dtypes.int64)
        else inputs,
        weights=count_weights,
        minlength=depth,
        maxlength=depth,
        axis=-1,
    )
    return backend.cast(counts, dtype)
