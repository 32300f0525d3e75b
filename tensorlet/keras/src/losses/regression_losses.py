"""Regression loss functions: one value per sample (the last axis reduced), unreduced over the
batch. Labels are converted to the prediction's dtype and ranks are aligned as Keras does
(``squeeze_or_expand_to_same_rank``)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.losses.loss import squeeze_or_expand_to_same_rank
from tensorlet.keras.src.utils.numerical_utils import normalize
from tensorlet.ops import array_ops, cast_ops, math_ops, reduction_ops, unary_math_ops


def _pair(y_true, y_pred):
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return promote_to_float(*squeeze_or_expand_to_same_rank(y_true, y_pred))


def promote_to_float(*tensors):
    """Integer or bool tensors cast to ``floatx()``: Keras' ops promote them as soon as they
    meet a Python float or a mean, so computing in float gives Keras' values."""
    if backend.is_float_dtype(tensors[0].dtype.name):
        return tensors
    return tuple(cast_ops.cast(t, backend.floatx()) for t in tensors)


@keras_export(
    "keras.losses.mean_squared_error",
    "keras.metrics.mean_squared_error",
    "keras.losses.mse",
    "keras.losses.MSE",
    "keras.metrics.mse",
    "keras.metrics.MSE",
)
def mean_squared_error(y_true, y_pred):
    """``mean(square(y_true - y_pred), axis=-1)``: one loss per sample (no reduction).

    Example:
        >>> keras.losses.mean_squared_error([[0., 1.]], [[1., 1.]]).numpy()
        array([0.5], dtype=float32)
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return reduction_ops.reduce_mean(unary_math_ops.square(y_true - y_pred), axis=-1)


@keras_export(
    "keras.losses.mean_absolute_error",
    "keras.metrics.mean_absolute_error",
    "keras.losses.mae",
    "keras.losses.MAE",
    "keras.metrics.mae",
    "keras.metrics.MAE",
)
def mean_absolute_error(y_true, y_pred):
    """``mean(abs(y_true - y_pred), axis=-1)``.

    Example:
        >>> keras.losses.mean_absolute_error([[0., 1.]], [[1., 1.]]).numpy()
        array([0.5], dtype=float32)
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return reduction_ops.reduce_mean(unary_math_ops.abs(y_true - y_pred), axis=-1)


@keras_export(
    "keras.losses.mean_absolute_percentage_error",
    "keras.metrics.mean_absolute_percentage_error",
    "keras.losses.mape",
    "keras.losses.MAPE",
    "keras.metrics.mape",
    "keras.metrics.MAPE",
)
def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)``.

    Example:
        >>> keras.losses.mean_absolute_percentage_error([[1., 2.]], [[1., 1.]]).numpy()
        array([25.], dtype=float32)
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, dtype=y_pred.dtype)
    # in the prediction's dtype: 0 for integer predictions, as in Keras
    epsilon = backend.convert_to_tensor(backend.epsilon(), dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_true, y_pred, epsilon = promote_to_float(y_true, y_pred, epsilon)
    diff = unary_math_ops.abs(
        (y_true - y_pred) / math_ops.maximum(unary_math_ops.abs(y_true), epsilon)
    )
    return 100.0 * reduction_ops.reduce_mean(diff, axis=-1)


@keras_export(
    "keras.losses.mean_squared_logarithmic_error",
    "keras.metrics.mean_squared_logarithmic_error",
    "keras.losses.msle",
    "keras.losses.MSLE",
    "keras.metrics.msle",
    "keras.metrics.MSLE",
)
def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)``.

    Example:
        >>> keras.losses.mean_squared_logarithmic_error([[1.0]], [[1.0]]).numpy()
        array([0.], dtype=float32)
    """
    epsilon = backend.convert_to_tensor(backend.epsilon())
    y_true, y_pred = _pair(y_true, y_pred)
    epsilon = backend.cast(epsilon, y_pred.dtype)
    first_log = unary_math_ops.log(math_ops.maximum(y_pred, epsilon) + 1.0)
    second_log = unary_math_ops.log(math_ops.maximum(y_true, epsilon) + 1.0)
    return reduction_ops.reduce_mean(unary_math_ops.square(first_log - second_log), axis=-1)


@keras_export("keras.losses.cosine_similarity")
def cosine_similarity(y_true, y_pred, axis=-1):
    """``-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)``: -1 for parallel vectors,
    0 when either is a zero vector.

    Example:
        >>> keras.losses.cosine_similarity([[0., 1.]], [[0., 2.]]).numpy()
        array([-1.], dtype=float32)
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_pred = normalize(y_pred, axis=axis)
    y_true = normalize(y_true, axis=axis)
    return -reduction_ops.reduce_sum(y_true * y_pred, axis=axis)


@keras_export("keras.losses.huber", "keras.metrics.huber")
def huber(y_true, y_pred, delta=1.0):
    """``mean(0.5 * e**2 if |e| <= delta else delta * |e| - 0.5 * delta**2, axis=-1)`` with
    ``e = y_pred - y_true``.

    Example:
        >>> keras.losses.huber([[0., 0.]], [[0.5, 2.0]]).numpy()
        array([0.8125], dtype=float32)
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    # delta and 1/2 take the prediction's dtype (truncated for integers, as in Keras)
    delta = backend.convert_to_tensor(delta, dtype=y_pred.dtype)
    half = backend.convert_to_tensor(0.5, dtype=y_pred.dtype)
    y_true, y_pred, delta, half = promote_to_float(y_true, y_pred, delta, half)
    error = math_ops.subtract(y_pred, y_true)
    abs_error = unary_math_ops.abs(error)
    return reduction_ops.reduce_mean(
        array_ops.where(
            abs_error <= delta,
            half * unary_math_ops.square(error),
            delta * abs_error - half * unary_math_ops.square(delta),
        ),
        axis=-1,
    )


@keras_export(
    "keras.losses.log_cosh",
    "keras.metrics.log_cosh",
    "keras.losses.logcosh",
    "keras.metrics.logcosh",
)
def log_cosh(y_true, y_pred):
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed stably as
    ``x + softplus(-2x) - log(2)``.

    Example:
        >>> keras.losses.log_cosh([[0.]], [[0.]]).numpy()
        array([0.], dtype=float32)
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    # log(2) in the prediction's dtype (0 for integers, as in Keras)
    log2 = backend.convert_to_tensor(
        unary_math_ops.log(backend.convert_to_tensor(2.0)), dtype=y_pred.dtype
    )
    y_true, y_pred, log2 = promote_to_float(y_true, y_pred, log2)
    x = y_pred - y_true
    return reduction_ops.reduce_mean(x + unary_math_ops.softplus(x * -2.0) - log2, axis=-1)
