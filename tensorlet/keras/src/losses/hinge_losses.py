"""Hinge loss functions (maximum-margin classification): one value per sample.

``hinge`` and ``squared_hinge`` expect labels in {-1, 1}; labels that are all 0 or 1 are
converted to -1/1 first (a ``tf.cond`` on the data, so it also traces).
"""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.losses.regression_losses import promote_to_float
from tensorlet.ops import (
    comparison_ops,
    control_flow_ops,
    math_ops,
    reduction_ops,
    unary_math_ops,
)


def convert_binary_labels_to_hinge(y_true):
    """``2 * y_true - 1`` when every label is 0 or 1, else ``y_true`` unchanged."""
    is_binary = reduction_ops.reduce_all(
        comparison_ops.logical_or(comparison_ops.equal(y_true, 0), comparison_ops.equal(y_true, 1))
    )
    return control_flow_ops.cond(is_binary, lambda: 2.0 * y_true - 1.0, lambda: y_true)


def _margins(y_true, y_pred):
    y_pred = backend.convert_to_tensor(y_pred)
    y_true, y_pred = promote_to_float(backend.cast(y_true, y_pred.dtype), y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return math_ops.maximum(1.0 - y_true * y_pred, 0.0)


@keras_export("keras.losses.hinge", "keras.metrics.hinge")
def hinge(y_true, y_pred):
    """``mean(maximum(1 - y_true * y_pred, 0), axis=-1)``.

    Example:
        >>> keras.losses.hinge([[1., -1.]], [[0.5, 0.5]]).numpy()
        array([1.], dtype=float32)
    """
    return reduction_ops.reduce_mean(_margins(y_true, y_pred), axis=-1)


@keras_export("keras.losses.squared_hinge", "keras.metrics.squared_hinge")
def squared_hinge(y_true, y_pred):
    """``mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)``.

    Example:
        >>> keras.losses.squared_hinge([[1., -1.]], [[0.5, 0.5]]).numpy()
        array([1.25], dtype=float32)
    """
    return reduction_ops.reduce_mean(unary_math_ops.square(_margins(y_true, y_pred)), axis=-1)


@keras_export("keras.losses.categorical_hinge", "keras.metrics.categorical_hinge")
def categorical_hinge(y_true, y_pred):
    """``maximum(neg - pos + 1, 0)`` with ``pos = sum(y_true * y_pred)`` and
    ``neg = max((1 - y_true) * y_pred)`` along the last axis.

    Example:
        >>> keras.losses.categorical_hinge([[0., 1.]], [[0.3, 0.7]]).numpy()
        array([0.6], dtype=float32)
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true, y_pred = promote_to_float(backend.cast(y_true, y_pred.dtype), y_pred)
    pos = reduction_ops.reduce_sum(y_true * y_pred, axis=-1)
    neg = reduction_ops.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    zero = backend.cast(0.0, y_pred.dtype)
    return math_ops.maximum(neg - pos + 1.0, zero)
