"""Overlap losses for segmentation: Dice and Tversky (``1 - overlap score``), reduced over
``axis`` (all axes by default, giving one value for the whole batch)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.losses.regression_losses import promote_to_float
from tensorlet.ops import math_ops, reduction_ops


@keras_export("keras.losses.dice")
def dice(y_true, y_pred, axis=None):
    """``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)`` over ``axis``.

    Example:
        >>> float(keras.losses.dice([[1., 0.]], [[0., 1.]]))
        1.0
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true, y_pred = promote_to_float(backend.cast(y_true, y_pred.dtype), y_pred)
    intersection = reduction_ops.reduce_sum(y_true * y_pred, axis=axis)
    score = math_ops.divide(
        2.0 * intersection,
        reduction_ops.reduce_sum(y_true, axis=axis)
        + reduction_ops.reduce_sum(y_pred, axis=axis)
        + backend.epsilon(),
    )
    return 1 - score


@keras_export("keras.losses.tversky")
def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """``1 - TP / (TP + alpha * FP + beta * FN + epsilon)`` with soft counts over ``axis``
    (Salehi et al. 2017); ``alpha = beta = 0.5`` is the Dice loss.

    Example:
        >>> float(keras.losses.tversky([[1., 0.]], [[0., 1.]]))
        1.0
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true, y_pred = promote_to_float(backend.cast(y_true, y_pred.dtype), y_pred)
    intersection = reduction_ops.reduce_sum(y_true * y_pred, axis=axis)
    fp = reduction_ops.reduce_sum((1 - y_pred) * y_true, axis=axis)
    fn = reduction_ops.reduce_sum(y_pred * (1 - y_true), axis=axis)
    score = math_ops.divide(intersection, intersection + fp * alpha + fn * beta + backend.epsilon())
    return 1 - score
