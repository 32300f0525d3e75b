"""Metric-learning losses on embeddings: Circle loss (Sun et al. 2020)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.losses.loss import set_keras_mask
from tensorlet.ops import (
    array_ops,
    cast_ops,
    comparison_ops,
    linalg_ops,
    math_ops,
    reduction_ops,
    unary_math_ops,
)


def build_pos_neg_masks(query_labels, key_labels=None, remove_diagonal=True):
    """``(positive, negative)`` boolean masks of equal / different label pairs; the diagonal
    (a sample with itself) is removed from the positives when ``remove_diagonal``."""
    if query_labels.shape.rank == 1:
        query_labels = array_ops.reshape(query_labels, (-1, 1))
    if key_labels is None:
        key_labels = query_labels
    if key_labels.shape.rank == 1:
        key_labels = array_ops.reshape(key_labels, (-1, 1))
    positive = comparison_ops.equal(query_labels, array_ops.transpose(key_labels))
    negative = comparison_ops.logical_not(positive)
    if remove_diagonal:
        rows, cols = query_labels.shape.num_elements(), key_labels.shape.num_elements()
        diagonal = cast_ops.cast(linalg_ops.eye(rows, cols), "bool")
        positive = comparison_ops.logical_and(positive, comparison_ops.logical_not(diagonal))
    return positive, negative


@keras_export("keras.losses.circle")
def circle(
    y_true,
    y_pred,
    ref_labels=None,
    ref_embeddings=None,
    remove_diagonal=True,
    gamma=80,
    margin=0.4,
):
    """Circle loss of integer labels ``y_true`` and L2-normalized embeddings ``y_pred``:
    ``softplus(logsumexp(-gamma * a_p * (m - d_p)) + logsumexp(gamma * a_n * (1 - m - d_n)))``
    over the positive / negative pairs, with cosine distances ``d`` and adaptive weights
    ``a_p = relu(m + d_p)``, ``a_n = relu(1 + m - d_n)``. Samples with a zero loss are masked.
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.cast(y_true, "int32")
    ref_embeddings = y_pred if ref_embeddings is None else backend.convert_to_tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else backend.cast(ref_labels, "int32")

    optim_pos, optim_neg = margin, 1 + margin
    delta_pos, delta_neg = margin, 1 - margin
    distances = 1 - linalg_ops.matmul(y_pred, array_ops.transpose(ref_embeddings))
    distances = math_ops.maximum(distances, 0.0)
    positive_mask, negative_mask = build_pos_neg_masks(
        y_true, ref_labels, remove_diagonal=remove_diagonal
    )
    pos_mask = cast_ops.cast(positive_mask, distances.dtype)
    neg_mask = cast_ops.cast(negative_mask, distances.dtype)
    pos_weights = math_ops.maximum((optim_pos + distances) * pos_mask, 0.0)
    neg_weights = math_ops.maximum((optim_neg - distances) * neg_mask, 0.0)
    pos_wdists = -1 * gamma * pos_weights * (delta_pos - distances)
    neg_wdists = gamma * neg_weights * (delta_neg - distances)
    p_loss = reduction_ops.reduce_logsumexp(
        array_ops.where(positive_mask, pos_wdists, float("-inf")), axis=1
    )
    n_loss = reduction_ops.reduce_logsumexp(
        array_ops.where(negative_mask, neg_wdists, float("-inf")), axis=1
    )
    loss = unary_math_ops.softplus(p_loss + n_loss)
    set_keras_mask(loss, loss > 0)
    return loss
