"""Sequence losses: CTC (Connectionist Temporal Classification, Graves et al. 2006)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.ops import array_creation_ops, cast_ops, nn_ops, reduction_ops


@keras_export("keras.losses.ctc")
def ctc(y_true, y_pred):
    """CTC loss of padded integer labels ``y_true`` ``(batch, max_label_length)`` against
    unnormalized logits ``y_pred`` ``(batch, time, num_classes)``; class 0 is the blank and the
    padding (a label's length is its number of non-zero entries)."""
    if len(y_true.shape) != 2:
        raise ValueError(
            "Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` "
            f"in integer format. Received: y_true.shape={tuple(y_true.shape)}"
        )
    if len(y_pred.shape) != 3:
        raise ValueError(
            "Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, "
            f"num_classes)`. Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    y_true = backend.convert_to_tensor(y_true)
    y_pred = backend.convert_to_tensor(y_pred)
    batch, steps = y_pred.shape[0], y_pred.shape[1]
    logit_length = steps * array_creation_ops.ones((batch,), dtype="int32")
    label_length = cast_ops.cast(
        reduction_ops.reduce_sum(cast_ops.cast(y_true != 0, "int32"), axis=-1), "int32"
    )
    result_dtype = backend.result_type(y_pred.dtype, "float32")
    compute_dtype = "float32" if result_dtype == "float64" else result_dtype
    loss = nn_ops.ctc_loss(
        labels=cast_ops.cast(y_true, "int32"),
        logits=cast_ops.cast(y_pred, compute_dtype),
        label_length=label_length,
        logit_length=logit_length,
        blank_index=0,
        logits_time_major=False,
    )
    return cast_ops.cast(loss, result_dtype)
