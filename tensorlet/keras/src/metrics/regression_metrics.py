"""Regression metrics: means of per-sample errors, RMSE, cosine similarity and R2."""

import warnings

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.losses.loss import squeeze_or_expand_to_same_rank
from tensorlet.keras.src.losses.regression_losses import (
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    promote_to_float,
)
from tensorlet.keras.src.metrics.metric import Metric
from tensorlet.keras.src.metrics.reduction_metrics import Mean, MeanMetricWrapper
from tensorlet.keras.src.utils.numerical_utils import normalize
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    cast_ops,
    reduction_ops,
    unary_math_ops,
)


class _ErrorMean(MeanMetricWrapper):
    """The mean of a per-sample error function; minimized; config ``name`` and ``dtype``."""

    def __init__(self, fn, name, dtype, direction="down", **kwargs):
        super().__init__(fn, name, dtype=dtype, **kwargs)
        self._direction = direction

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras_export("keras.metrics.MeanSquaredError")
class MeanSquaredError(_ErrorMean):
    """The mean of ``mean(square(y_true - y_pred), axis=-1)`` over the samples seen.

    Example:
        >>> m = keras.metrics.MeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> float(m.result())
        0.25
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name, dtype)


@keras_export("keras.metrics.MeanAbsoluteError")
class MeanAbsoluteError(_ErrorMean):
    """The mean of ``mean(abs(y_true - y_pred), axis=-1)`` over the samples seen.

    Example:
        >>> m = keras.metrics.MeanAbsoluteError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> float(m.result())
        0.25
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name, dtype)


@keras_export("keras.metrics.MeanAbsolutePercentageError")
class MeanAbsolutePercentageError(_ErrorMean):
    """The mean of ``100 * mean(abs((y_true - y_pred) / y_true), axis=-1)``."""

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name, dtype)


@keras_export("keras.metrics.MeanSquaredLogarithmicError")
class MeanSquaredLogarithmicError(_ErrorMean):
    """The mean of ``mean(square(log(y_true + 1) - log(y_pred + 1)), axis=-1)``."""

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name, dtype)


@keras_export("keras.metrics.LogCoshError")
class LogCoshError(_ErrorMean):
    """The mean of ``mean(log(cosh(y_pred - y_true)), axis=-1)``."""

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(log_cosh, name, dtype)


def cosine_similarity(y_true, y_pred, axis=-1):
    """``sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`` (the metric's sign)."""
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = promote_to_float(*squeeze_or_expand_to_same_rank(y_true, y_pred))
    return reduction_ops.reduce_sum(
        normalize(y_true, axis=axis) * normalize(y_pred, axis=axis), axis=axis
    )


@keras_export("keras.metrics.CosineSimilarity")
class CosineSimilarity(_ErrorMean):
    """The mean cosine similarity of labels and predictions along ``axis`` (default -1).

    Example:
        >>> m = keras.metrics.CosineSimilarity(axis=1)
        >>> m.update_state([[0., 1.], [1., 1.]], [[1., 0.], [1., 1.]])
        >>> round(float(m.result()), 4)
        0.5
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name, dtype, direction="up", axis=axis)
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


@keras_export("keras.metrics.RootMeanSquaredError")
class RootMeanSquaredError(Mean):
    """``sqrt(mean((y_pred - y_true) ** 2))`` over every value seen.

    Example:
        >>> m = keras.metrics.RootMeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = backend.convert_to_tensor(y_true, self._dtype)
        y_pred = backend.convert_to_tensor(y_pred, self._dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        error_sq = unary_math_ops.square(y_pred - y_true)
        return super().update_state(error_sq, sample_weight=sample_weight)

    def result(self):
        return unary_math_ops.sqrt(super().result())


@keras_export("keras.metrics.R2Score")
class R2Score(Metric):
    """The coefficient of determination ``1 - SS_res / SS_tot`` per output (last axis),
    optionally adjusted for ``num_regressors`` ("Adjusted R2").

    Args:
        class_aggregation: None (one score per output), ``'uniform_average'`` (default) or
            ``'variance_weighted_average'``.
        num_regressors: the number of independent regressors (default 0: plain R2).

    Example:
        >>> m = keras.metrics.R2Score()
        >>> m.update_state(np.array([[1], [4], [3]], np.float32),
        ...                np.array([[2], [4], [4]], np.float32))
        >>> round(float(m.result()), 4)
        0.5714
    """

    _AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")

    def __init__(
        self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if class_aggregation not in self._AGGREGATIONS:
            raise ValueError(
                "Invalid value for argument `class_aggregation`. Expected one of "
                f"{self._AGGREGATIONS}. Received: class_aggregation={class_aggregation}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received "
                f"input shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim), with "
                "output_dim fully defined (not None). Received input shapes: "
                f"y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        shape = [y_pred_shape[-1]]
        self.squared_sum = self.add_variable(shape, "zeros", name="squared_sum")
        self.sum = self.add_variable(shape, "zeros", name="sum")
        self.total_mse = self.add_variable(shape, "zeros", name="residual")
        self.count = self.add_variable(shape, "zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = backend.convert_to_tensor(y_true, dtype=self._dtype)
        y_pred = backend.convert_to_tensor(y_pred, dtype=self._dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(tuple(y_true.shape.as_list()), tuple(y_pred.shape.as_list()))
        if sample_weight is None:
            sample_weight = 1
        sample_weight = backend.convert_to_tensor(sample_weight, dtype=self.dtype)
        if sample_weight.shape.rank == 1:  # one weight per sample: add a features axis
            sample_weight = array_ops.expand_dims(sample_weight, axis=1)
        sample_weight = array_ops.broadcast_to(sample_weight, array_ops.shape(y_true))
        sample_weight = cast_ops.cast(sample_weight, y_true.dtype)
        weighted_y_true = y_true * sample_weight
        self.sum.assign_add(reduction_ops.reduce_sum(weighted_y_true, axis=0))
        self.squared_sum.assign_add(reduction_ops.reduce_sum(y_true * weighted_y_true, axis=0))
        self.total_mse.assign_add(
            reduction_ops.reduce_sum((y_true - y_pred) ** 2 * sample_weight, axis=0)
        )
        self.count.assign_add(reduction_ops.reduce_sum(sample_weight, axis=0))
        self.num_samples.assign_add(cast_ops.cast(array_ops.size(y_true), self.num_samples.dtype))

    def result(self):
        total_sum, count = self.sum._read(), self.count._read()
        mean = total_sum / count
        total = self.squared_sum._read() - total_sum * mean
        raw_scores = 1 - (self.total_mse._read() / total)
        raw_scores = array_ops.where(
            unary_math_ops.is_inf(raw_scores),
            array_creation_ops.zeros_like(raw_scores),
            raw_scores,
        )
        if self.class_aggregation == "uniform_average":
            r2_score = reduction_ops.reduce_mean(raw_scores)
        elif self.class_aggregation == "variance_weighted_average":
            r2_score = reduction_ops.reduce_sum(total * raw_scores) / reduction_ops.reduce_sum(
                total
            )
        else:
            r2_score = raw_scores
        if self.num_regressors != 0:
            num_samples = float(self.num_samples.numpy())
            if self.num_regressors > num_samples - 1:
                warnings.warn(
                    "More independent predictors than datapoints in adjusted R2 score. "
                    "Falling back to standard R2 score.",
                    stacklevel=2,
                )
            elif self.num_regressors == num_samples - 1:
                warnings.warn(
                    "Division by zero in Adjusted R2 score. Falling back to standard R2 score.",
                    stacklevel=2,
                )
            else:
                n = backend.convert_to_tensor(self.num_samples._read(), dtype="float32")
                p = backend.convert_to_tensor(self.num_regressors, dtype="float32")
                r2_score = 1.0 - ((1.0 - r2_score) * (n - 1.0)) / ((n - p) - 1.0)
        return r2_score

    def reset_state(self):
        for v in self.variables:
            v.assign(array_creation_ops.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        config = {
            "name": self.name,
            "dtype": self.dtype,
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
        return {**super().get_config(), **config}
