"""Probabilistic loss functions: crossentropies (plain, focal, generalized), KL divergence and
Poisson. Each returns one value per sample (the last axis reduced), unreduced over the batch.

The three crossentropy kernels follow Keras' TensorFlow backend: probabilities are clipped to
``[epsilon, 1 - epsilon]`` before the log; a prediction that is the output of a softmax/sigmoid
(a Keras activation's remembered logits, or a Softmax/Sigmoid node while tracing) is turned back
into logits and the fused ``tf.nn.*_cross_entropy_with_logits`` op is used instead.
"""

import warnings

from tensorlet.framework.export import keras_export
from tensorlet.framework.tensor import EagerTensor
from tensorlet.keras.src import backend
from tensorlet.keras.src.losses.regression_losses import promote_to_float
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    cast_ops,
    clip_ops,
    comparison_ops,
    math_ops,
    nn_impl,
    nn_ops,
    reduction_ops,
    unary_math_ops,
)


# ---------------------------------------------------------------- backend kernels (TF backend)
def _get_logits(output, from_logits, op_type, fn_name):
    """``(logits, True)`` when ``output`` is known to be ``op_type(logits)``, else unchanged."""
    logits = getattr(output, "_keras_logits", None)
    if logits is None and not isinstance(output, EagerTensor):
        op = getattr(output, "op", None)
        if op is not None and getattr(op, "type", None) == op_type and len(op.inputs) == 1:
            logits = op.inputs[0]
    if logits is None:
        return output, from_logits
    if from_logits:
        warnings.warn(
            f'"`{fn_name}` received `from_logits=True`, but the `output` argument was '
            f"produced by a {op_type} activation and thus does not represent logits. "
            "Was this intended?",
            stacklevel=3,
        )
    return logits, True


def _check_same_shape(target, output, what="the same shape"):
    if target.shape.rank != output.shape.rank:
        raise ValueError(
            "Arguments `target` and `output` must have the same rank (ndim). Received: "
            f"target.shape={target.shape}, output.shape={output.shape}"
        )
    for e1, e2 in zip(target.shape.as_list(), output.shape.as_list()):
        if e1 is not None and e2 is not None and e1 != e2:
            raise ValueError(
                f"Arguments `target` and `output` must have {what}. Received: "
                f"target.shape={target.shape}, output.shape={output.shape}"
            )


def _clip_probabilities(output):
    eps = backend.epsilon()
    return clip_ops.clip_by_value(output, eps, 1.0 - eps)


def binary_crossentropy_kernel(target, output, from_logits=False):
    """Element-wise ``-(t log p + (1 - t) log(1 - p))`` (``keras.ops.binary_crossentropy``)."""
    target = backend.convert_to_tensor(target)
    output = backend.convert_to_tensor(output)
    _check_same_shape(target, output)
    output, from_logits = _get_logits(output, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        return nn_impl.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    output = _clip_probabilities(output)
    bce = target * unary_math_ops.log(output)
    bce += (1 - target) * unary_math_ops.log(1 - output)
    return -bce


def categorical_crossentropy_kernel(target, output, from_logits=False, axis=-1):
    """``-sum(t * log(p / sum(p)), axis)`` (``keras.ops.categorical_crossentropy``)."""
    target = backend.convert_to_tensor(target)
    output = backend.convert_to_tensor(output)
    if target.shape.rank is not None and target.shape.rank < 1:
        raise ValueError(
            "Arguments `target` and `output` must be at least rank 1. Received: "
            f"target.shape={target.shape}, output.shape={output.shape}"
        )
    _check_same_shape(target, output)
    output, from_logits = _get_logits(output, from_logits, "Softmax", "categorical_crossentropy")
    if from_logits:
        return nn_ops.softmax_cross_entropy_with_logits(labels=target, logits=output, axis=axis)
    output = output / reduction_ops.reduce_sum(output, axis, keepdims=True)
    output = _clip_probabilities(output)
    return -reduction_ops.reduce_sum(target * unary_math_ops.log(output), axis)


def sparse_categorical_crossentropy_kernel(target, output, from_logits=False, axis=-1):
    """Crossentropy of integer labels (``keras.ops.sparse_categorical_crossentropy``)."""
    if axis != -1 and axis != output.shape.rank - 1:
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    output, from_logits = _get_logits(
        output, from_logits, "Softmax", "sparse_categorical_crossentropy"
    )
    target = cast_ops.cast(backend.convert_to_tensor(target), "int64")
    output = backend.convert_to_tensor(output)
    if target.shape.rank == output.shape.rank and target.shape[-1] == 1:
        target = array_ops.squeeze(target, axis=-1)
    if output.shape.rank < 1:
        raise ValueError(
            f"Argument `output` must be at least rank 1. Received: output.shape={output.shape}"
        )
    if target.shape.rank != output.shape.rank - 1:
        raise ValueError(
            "Argument `output` must have rank (ndim) `target.ndim - 1`. Received: "
            f"target.shape={target.shape}, output.shape={output.shape}"
        )
    for e1, e2 in zip(target.shape.as_list(), output.shape.as_list()[:-1]):
        if e1 is not None and e2 is not None and e1 != e2:
            raise ValueError(
                "Arguments `target` and `output` must have the same shape up until the last "
                f"dimension: target.shape={target.shape}, output.shape={output.shape}"
            )
    if not from_logits:
        output = unary_math_ops.log(_clip_probabilities(output))
    return nn_ops.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)


# ---------------------------------------------------------------- loss functions
def _check_axis(axis):
    if isinstance(axis, bool):
        raise ValueError(  # noqa: TRY004 - Keras raises ValueError
            f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}"
        )


def _warn_single_class(fn_name, y_pred):
    if y_pred.shape.rank and y_pred.shape[-1] == 1:
        warnings.warn(
            f"In loss {fn_name}, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={tuple(y_pred.shape.as_list())}. "
            "Consider using 'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning,
            stacklevel=3,
        )


def _smooth_categorical(y_true, y_pred, label_smoothing):
    num_classes = cast_ops.cast(array_ops.shape(y_true)[-1], y_pred.dtype)
    return y_true * (1.0 - label_smoothing) + (label_smoothing / num_classes)


@keras_export(
    "keras.losses.kl_divergence",
    "keras.metrics.kl_divergence",
    "keras.losses.KLD",
    "keras.losses.kld",
    "keras.losses.kullback_leibler_divergence",
    "keras.metrics.KLD",
    "keras.metrics.kld",
    "keras.metrics.kullback_leibler_divergence",
)
def kl_divergence(y_true, y_pred):
    """``sum(y_true * log(y_true / y_pred), axis=-1)``, both clipped to ``[epsilon, 1]``.

    Example:
        >>> keras.losses.kl_divergence([[0.0, 1.0]], [[0.5, 0.5]]).numpy()
        array([0.69314563], dtype=float32)
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, y_pred.dtype)
    y_true = clip_ops.clip_by_value(y_true, backend.epsilon(), 1)
    y_pred = clip_ops.clip_by_value(y_pred, backend.epsilon(), 1)
    return reduction_ops.reduce_sum(y_true * unary_math_ops.log(y_true / y_pred), axis=-1)


@keras_export("keras.losses.poisson", "keras.metrics.poisson")
def poisson(y_true, y_pred):
    """``mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)``.

    Example:
        >>> keras.losses.poisson([[1.0, 0.0]], [[1.0, 1.0]]).numpy()
        array([0.99999994], dtype=float32)
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, dtype=y_pred.dtype)
    # in the prediction's dtype: 0 for integer predictions, as in Keras
    epsilon = backend.convert_to_tensor(backend.epsilon(), dtype=y_pred.dtype)
    y_true, y_pred, epsilon = promote_to_float(y_true, y_pred, epsilon)
    return reduction_ops.reduce_mean(y_pred - y_true * unary_math_ops.log(y_pred + epsilon), -1)


@keras_export("keras.losses.binary_crossentropy", "keras.metrics.binary_crossentropy")
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """The mean binary crossentropy along ``axis``; labels smoothed towards 0.5 by
    ``label_smoothing`` (``t * (1 - s) + s / 2``).

    Example:
        >>> keras.losses.binary_crossentropy([[0.0, 1.0]], [[0.4, 0.6]]).numpy()
        array([0.5108256], dtype=float32)
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.cast(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return reduction_ops.reduce_mean(
        binary_crossentropy_kernel(y_true, y_pred, from_logits=from_logits), axis=axis
    )


@keras_export("keras.losses.binary_focal_crossentropy", "keras.metrics.binary_focal_crossentropy")
def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """Binary crossentropy scaled by the focal factor ``(1 - p_t) ** gamma`` (Lin et al. 2018),
    optionally by ``alpha`` for class 1 and ``1 - alpha`` for class 0; mean along ``axis``."""
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.cast(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = unary_math_ops.sigmoid(y_pred)
    bce = binary_crossentropy_kernel(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal_bce = math_ops.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        weight = y_true * alpha + (1 - y_true) * (1 - alpha)
        focal_bce = weight * focal_bce
    return reduction_ops.reduce_mean(focal_bce, axis=axis)


@keras_export("keras.losses.categorical_crossentropy", "keras.metrics.categorical_crossentropy")
def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """``-sum(y_true * log(y_pred), axis)`` for one-hot labels; ``label_smoothing`` mixes the
    labels with the uniform distribution (``t * (1 - s) + s / num_classes``).

    Example:
        >>> keras.losses.categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.5]]).numpy()
        array([0.6931472], dtype=float32)
    """
    _check_axis(axis)
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.cast(y_true, y_pred.dtype)
    _warn_single_class("categorical_crossentropy", y_pred)
    if label_smoothing:
        y_true = _smooth_categorical(y_true, y_pred, label_smoothing)
    return categorical_crossentropy_kernel(y_true, y_pred, from_logits=from_logits, axis=axis)


@keras_export(
    "keras.losses.categorical_focal_crossentropy",
    "keras.metrics.categorical_focal_crossentropy",
)
def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """``sum(alpha * (1 - p) ** gamma * -y_true * log(p), axis)`` with ``p`` the normalized,
    clipped prediction (Lin et al. 2018)."""
    _check_axis(axis)
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.cast(y_true, y_pred.dtype)
    _warn_single_class("categorical_focal_crossentropy", y_pred)
    if label_smoothing:
        y_true = _smooth_categorical(y_true, y_pred, label_smoothing)
    if from_logits:
        y_pred = nn_ops.softmax(y_pred, axis=axis)
    output = y_pred / reduction_ops.reduce_sum(y_pred, axis=axis, keepdims=True)
    output = _clip_probabilities(output)
    cce = -y_true * unary_math_ops.log(output)
    weighting_factor = math_ops.pow(1.0 - output, gamma) * alpha
    return reduction_ops.reduce_sum(weighting_factor * cce, axis=axis)


@keras_export(
    "keras.losses.sparse_categorical_crossentropy",
    "keras.metrics.sparse_categorical_crossentropy",
)
def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Crossentropy of integer labels ``y_true`` against the class scores ``y_pred``;
    entries labelled ``ignore_class`` give 0 and are masked out of reductions.

    Example:
        >>> keras.losses.sparse_categorical_crossentropy([1], [[0.5, 0.5]]).numpy()
        array([0.6931472], dtype=float32)
    """
    from tensorlet.keras.src.losses.loss import set_keras_mask

    y_true = backend.convert_to_tensor(y_true)
    y_pred = backend.convert_to_tensor(y_pred)
    if y_true.shape.rank == y_pred.shape.rank and y_true.shape[-1] == 1:
        y_true = array_ops.squeeze(y_true, axis=-1)
    if ignore_class is not None:
        res_shape = array_ops.shape(y_pred)[:-1]
        valid_mask = comparison_ops.not_equal(y_true, backend.cast(ignore_class, y_true.dtype))
        y_true = y_true * cast_ops.cast(valid_mask, y_true.dtype)
        y_pred = y_pred * cast_ops.cast(array_ops.expand_dims(valid_mask, -1), y_pred.dtype)
    res = sparse_categorical_crossentropy_kernel(y_true, y_pred, from_logits=from_logits, axis=axis)
    if ignore_class is not None:
        valid_mask = array_ops.reshape(valid_mask, res_shape)
        res = array_ops.where(valid_mask, res, array_creation_ops.zeros_like(res))
        set_keras_mask(res, valid_mask)
    return res


@keras_export("keras.losses.categorical_generalized_cross_entropy")
def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """``(1 - p ** q) / q`` with ``p`` the predicted probability of the integer label
    (Zhang & Sabuncu 2018); ``q`` in (0, 1) moves it from crossentropy towards MAE."""
    y_pred = backend.convert_to_tensor(y_pred)
    y_true_one_hot = array_creation_ops.one_hot(
        backend.cast(y_true, "int64"), y_pred.shape[-1], dtype=y_pred.dtype
    )
    p = reduction_ops.reduce_sum(y_pred * y_true_one_hot, axis=-1)
    return (1 - math_ops.pow(p, q)) / q
