"""Confusion-matrix bookkeeping shared by the threshold metrics (Precision, Recall, AUC, ...)
and the IoU metrics.

At each threshold ``t`` a prediction counts as positive when ``y_pred > t``; true/false
positives/negatives are weighted sums added to the metric's variables. Evenly spaced thresholds
use bucketing (one segment sum and a reversed cumulative sum, O(T + N)) instead of comparing
every prediction with every threshold (O(T * N)).
"""

from enum import Enum

from tensorlet.backend import xp
from tensorlet.keras.src import backend
from tensorlet.keras.src.losses.loss import squeeze_or_expand_to_same_rank
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    cast_ops,
    clip_ops,
    comparison_ops,
    gather_ops,
    nn_ops,
    reduction_ops,
    segment_ops,
    sort_ops,
    unary_math_ops,
)

NEG_INF = -1e10


def to_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def assert_thresholds_range(thresholds):
    if thresholds is not None:
        invalid = [t for t in thresholds if t is None or t < 0 or t > 1]
        if invalid:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")


def parse_init_thresholds(thresholds, default_threshold=0.5):
    if thresholds is not None:
        assert_thresholds_range(to_list(thresholds))
    return to_list(default_threshold if thresholds is None else thresholds)


class ConfusionMatrix(Enum):
    TRUE_POSITIVES = "tp"
    FALSE_POSITIVES = "fp"
    TRUE_NEGATIVES = "tn"
    FALSE_NEGATIVES = "fn"


class AUCCurve(Enum):
    """The curve an ``AUC`` integrates: ROC or precision-recall."""

    ROC = "ROC"
    PR = "PR"

    @staticmethod
    def from_str(key):
        if key in ("pr", "PR"):
            return AUCCurve.PR
        if key in ("roc", "ROC"):
            return AUCCurve.ROC
        raise ValueError(f'Invalid AUC curve value: "{key}". Expected values are ["PR", "ROC"]')


class AUCSummationMethod(Enum):
    """The Riemann sum of an ``AUC``: mid-point interpolation, or lower/upper bounds."""

    INTERPOLATION = "interpolation"
    MAJORING = "majoring"
    MINORING = "minoring"

    @staticmethod
    def from_str(key):
        for method in AUCSummationMethod:
            if key in (method.value, method.value.capitalize()):
                return method
        raise ValueError(
            f'Invalid AUC summation method value: "{key}". '
            'Expected values are ["interpolation", "majoring", "minoring"]'
        )


def is_evenly_distributed_thresholds(thresholds):
    """True for at least 3 thresholds equal (within epsilon) to ``i / (n - 1)``."""
    n = len(thresholds)
    if n < 3:
        return False
    even = xp.arange(n, dtype=xp.float32) / (n - 1)
    return bool(xp.allclose(thresholds, even, atol=backend.epsilon()))


def _filter_top_k(x, k):
    """``x`` with everything but the top ``k`` of the last axis set to ``NEG_INF``."""
    _, top_k_idx = sort_ops.top_k(x, k)
    top_k_mask = reduction_ops.reduce_sum(
        array_creation_ops.one_hot(top_k_idx, x.shape[-1], axis=-1, dtype=x.dtype), axis=-2
    )
    return x * top_k_mask + NEG_INF * (1 - top_k_mask)


def _assign_add(variables, key, value):
    if key in variables:
        var = variables[key]
        var.assign(var + value)


def _update_bucketed(
    variables,
    y_true,
    y_pred,
    thresholds,
    multi_label,
    sample_weights,
    label_weights,
    thresholds_with_epsilon,
):
    """The O(T + N) update for evenly spaced thresholds (see the module docstring)."""
    num_thresholds = thresholds.shape[0]
    weights = 1.0
    if sample_weights is not None:
        weights = array_ops.broadcast_to(
            cast_ops.cast(sample_weights, y_pred.dtype), array_ops.shape(y_pred)
        )
        if not multi_label:
            weights = array_ops.reshape(weights, [-1])
    if label_weights is not None:
        lw = array_ops.broadcast_to(
            array_ops.expand_dims(label_weights, 0), array_ops.shape(y_pred)
        )
        if not multi_label:
            lw = array_ops.reshape(lw, [-1])
        weights = weights * lw
    if not isinstance(weights, float):
        weights = cast_ops.cast(weights, y_true.dtype)

    y_pred = clip_ops.clip_by_value(y_pred, 0.0, 1.0)
    y_true = cast_ops.cast(cast_ops.cast(y_true, "bool"), y_true.dtype)
    if not multi_label:
        y_true = array_ops.reshape(y_true, [-1])
        y_pred = array_ops.reshape(y_pred, [-1])
    true_labels = y_true * weights
    false_labels = (1.0 - y_true) * weights

    # A prediction must be strictly above a threshold: bucket = ceil(p * (T - 1)) - 1
    buckets = unary_math_ops.ceil(y_pred * float(num_thresholds - 1)) - 1
    if thresholds_with_epsilon:  # the first threshold is below 0: bucket 0 takes everything
        buckets = nn_ops.relu(buckets)
    buckets = cast_ops.cast(buckets, "int32")

    if multi_label:
        # one segment sum for every label: label j uses segments [j * T, (j + 1) * T)
        num_labels = y_pred.shape[-1]
        offsets = array_creation_ops.range(num_labels, dtype="int32") * num_thresholds
        ids = array_ops.where(buckets >= 0, buckets + offsets, -1)
        tp, fp = [
            array_ops.transpose(
                array_ops.reverse(
                    reduction_ops.cumsum(
                        array_ops.reverse(
                            array_ops.reshape(
                                segment_ops.unsorted_segment_sum(
                                    data, ids, num_labels * num_thresholds
                                ),
                                [num_labels, num_thresholds],
                            ),
                            [1],
                        ),
                        axis=1,
                    ),
                    [1],
                )
            )
            for data in (true_labels, false_labels)
        ]
    else:
        tp, fp = [
            array_ops.reverse(
                reduction_ops.cumsum(
                    array_ops.reverse(
                        segment_ops.unsorted_segment_sum(data, buckets, num_thresholds), [0]
                    )
                ),
                [0],
            )
            for data in (true_labels, false_labels)
        ]

    axis = 0 if multi_label else None
    _assign_add(variables, ConfusionMatrix.TRUE_POSITIVES, tp)
    _assign_add(variables, ConfusionMatrix.FALSE_POSITIVES, fp)
    if ConfusionMatrix.TRUE_NEGATIVES in variables:
        tn = reduction_ops.reduce_sum(false_labels, axis=axis) - fp
        _assign_add(variables, ConfusionMatrix.TRUE_NEGATIVES, tn)
    if ConfusionMatrix.FALSE_NEGATIVES in variables:
        fn = reduction_ops.reduce_sum(true_labels, axis=axis) - tp
        _assign_add(variables, ConfusionMatrix.FALSE_NEGATIVES, fn)


def _update_compared(
    variables, y_true, y_pred, thresholds, multi_label, sample_weight, label_weights
):
    """The general update: every prediction against every threshold."""
    if multi_label:  # (T, N, labels) against thresholds (T, 1, 1) or (T, 1, labels)
        th = array_ops.reshape(thresholds, [thresholds.shape[0], 1, -1])
        preds = array_ops.expand_dims(y_pred, 0)
        labels = array_ops.expand_dims(cast_ops.cast(y_true, "bool"), 0)
        sum_axis = 1
    else:  # (T, N * labels) against thresholds (T, 1)
        th = array_ops.reshape(thresholds, [-1, 1])
        preds = array_ops.reshape(y_pred, [1, -1])
        labels = array_ops.reshape(cast_ops.cast(y_true, "bool"), [1, -1])
        sum_axis = 1
    pred_is_pos = comparison_ops.greater(preds, th)
    label_is_pos = comparison_ops.logical_and(labels, array_creation_ops.ones_like(pred_is_pos))

    weights = None
    if sample_weight is not None:
        weights = array_ops.broadcast_to(
            cast_ops.cast(sample_weight, y_pred.dtype), array_ops.shape(y_pred)
        )
        weights = (
            array_ops.expand_dims(weights, 0)
            if multi_label
            else array_ops.reshape(weights, [1, -1])
        )
    if label_weights is not None and not multi_label:
        lw = array_ops.broadcast_to(
            array_ops.expand_dims(label_weights, 0), array_ops.shape(y_pred)
        )
        lw = array_ops.reshape(lw, [1, -1])
        weights = lw if weights is None else weights * lw

    def add(key, label, pred):
        if key not in variables:
            return
        var = variables[key]
        hits = cast_ops.cast(comparison_ops.logical_and(label, pred), var.dtype)
        if weights is not None:
            hits = hits * cast_ops.cast(weights, var.dtype)
        var.assign(var + reduction_ops.reduce_sum(hits, sum_axis))

    pred_is_neg = comparison_ops.logical_not(pred_is_pos)
    label_is_neg = comparison_ops.logical_not(label_is_pos)
    add(ConfusionMatrix.TRUE_POSITIVES, label_is_pos, pred_is_pos)
    add(ConfusionMatrix.FALSE_NEGATIVES, label_is_pos, pred_is_neg)
    add(ConfusionMatrix.FALSE_POSITIVES, label_is_neg, pred_is_pos)
    add(ConfusionMatrix.TRUE_NEGATIVES, label_is_neg, pred_is_neg)


def update_confusion_matrix_variables(
    variables_to_update,
    y_true,
    y_pred,
    thresholds,
    top_k=None,
    class_id=None,
    sample_weight=None,
    multi_label=False,
    label_weights=None,
    thresholds_distributed_evenly=False,
):
    """Adds the weighted TP/FP/TN/FN counts of this batch to ``variables_to_update``.

    Args:
        variables_to_update: ``{ConfusionMatrix.X: variable}``.
        y_true: labels (cast to bool), the shape of ``y_pred``.
        y_pred: scores in [0, 1].
        thresholds: a list of thresholds (``NEG_INF`` with ``top_k``).
        top_k: only the top ``k`` predictions of the last axis can be positive.
        class_id: restrict to this class (the last axis).
        sample_weight: weights broadcastable to ``y_true``.
        multi_label: keep the last axis (one count per label) instead of flattening.
        label_weights: per-label weights (flattened case only).
        thresholds_distributed_evenly: use the bucketed update.
    """
    if multi_label and label_weights is not None:
        raise ValueError(
            "`label_weights` for multilabel data should be handled outside of "
            "`update_confusion_matrix_variables` when `multi_label` is True."
        )
    if variables_to_update is None:
        return
    valid = list(ConfusionMatrix)
    if not any(key in valid for key in variables_to_update):
        raise ValueError(
            "Please provide at least one valid confusion matrix variable to update. Valid "
            f'variable key options are: "{valid}". Received: "{variables_to_update.keys()}"'
        )
    invalid = [key for key in variables_to_update if key not in valid]
    if invalid:
        raise ValueError(f'Invalid keys: "{invalid}". Valid variable key options are: "{valid}"')

    dtype = next(iter(variables_to_update.values())).dtype
    y_true = backend.cast(y_true, dtype)
    y_pred = backend.cast(y_pred, dtype)
    if thresholds_distributed_evenly:
        thresholds_with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
    thresholds = backend.convert_to_tensor(xp.asarray(thresholds), dtype=dtype)

    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = array_ops.expand_dims(backend.cast(sample_weight, dtype), axis=-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(
            y_true, sample_weight, expand_rank_1=False
        )
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.shape.rank == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape "
                f"(num_samples, num_classes), found shape: {y_pred.shape}"
            )
        y_true = y_true[..., class_id : class_id + 1]
        y_pred = y_pred[..., class_id : class_id + 1]
    if label_weights is not None:
        label_weights = backend.cast(label_weights, dtype)

    if thresholds_distributed_evenly:
        return _update_bucketed(
            variables_to_update,
            y_true,
            y_pred,
            thresholds,
            multi_label,
            sample_weight,
            label_weights,
            thresholds_with_epsilon,
        )
    return _update_compared(
        variables_to_update, y_true, y_pred, thresholds, multi_label, sample_weight, label_weights
    )


def confusion_matrix(labels, predictions, num_classes, weights=None, dtype="int32"):
    """The ``(num_classes, num_classes)`` matrix of (weighted) label/prediction pair counts:
    rows are labels, columns predictions (duplicates add up)."""
    labels = backend.convert_to_tensor(labels, dtype)
    predictions = backend.convert_to_tensor(predictions, dtype)
    labels, predictions = squeeze_or_expand_to_same_rank(labels, predictions)
    indices = cast_ops.cast(array_ops.stack([labels, predictions], axis=1), "int64")
    if weights is None:
        values = array_creation_ops.ones_like(predictions, dtype=dtype)
    else:
        values = backend.cast(weights, dtype)
    num_classes = int(num_classes)
    return gather_ops.scatter_nd(indices, values, (num_classes, num_classes))
