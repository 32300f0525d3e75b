"""Correlation metrics: Pearson and concordance correlation coefficients along an axis,
averaged over samples."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.losses.loss import squeeze_or_expand_to_same_rank
from tensorlet.keras.src.losses.regression_losses import promote_to_float
from tensorlet.keras.src.metrics.reduction_metrics import MeanMetricWrapper
from tensorlet.ops import reduction_ops, unary_math_ops


def _pair(y_true, y_pred):
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return promote_to_float(*squeeze_or_expand_to_same_rank(y_true, y_pred))


@keras_export("keras.metrics.pearson_correlation")
def pearson_correlation(y_true, y_pred, axis=-1):
    """``mean(z(y_true) * z(y_pred), axis)`` with ``z(x) = (x - mean) / (std + epsilon)``.

    Example:
        >>> round(float(keras.metrics.pearson_correlation([[0., 1., 2.]], [[0., 2., 4.]])[0]), 4)
        1.0
    """
    y_true, y_pred = _pair(y_true, y_pred)
    eps = backend.epsilon()
    t = y_true - reduction_ops.reduce_mean(y_true, axis=axis, keepdims=True)
    p = y_pred - reduction_ops.reduce_mean(y_pred, axis=axis, keepdims=True)
    t = t / (reduction_ops.reduce_std(t, axis=axis, keepdims=True) + eps)
    p = p / (reduction_ops.reduce_std(p, axis=axis, keepdims=True) + eps)
    return reduction_ops.reduce_mean(t * p, axis=axis)


@keras_export("keras.metrics.concordance_correlation")
def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance ``2 cov / (var_t + var_p + (mean_t - mean_p) ** 2)`` along ``axis``.

    Example:
        >>> keras.metrics.concordance_correlation([[0., 1., 2.]], [[0., 1., 2.]]).numpy()
        array([0.99999994], dtype=float32)
    """
    y_true, y_pred = _pair(y_true, y_pred)
    true_mean = reduction_ops.reduce_mean(y_true, axis=axis, keepdims=True)
    pred_mean = reduction_ops.reduce_mean(y_pred, axis=axis, keepdims=True)
    true_var = reduction_ops.reduce_variance(y_true - true_mean, axis=axis, keepdims=True)
    pred_var = reduction_ops.reduce_variance(y_pred - pred_mean, axis=axis, keepdims=True)
    covar = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + unary_math_ops.square(true_mean - pred_mean)
    return reduction_ops.reduce_mean(2 * covar / (norm + backend.epsilon()), axis=axis)


class _Correlation(MeanMetricWrapper):
    def __init__(self, fn, name, dtype, axis):
        super().__init__(fn=fn, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras_export("keras.metrics.PearsonCorrelation")
class PearsonCorrelation(_Correlation):
    """The mean Pearson correlation coefficient of labels and predictions along ``axis``."""

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name, dtype, axis)


@keras_export("keras.metrics.ConcordanceCorrelation")
class ConcordanceCorrelation(_Correlation):
    """The mean concordance correlation coefficient of labels and predictions along ``axis``."""

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name, dtype, axis)
