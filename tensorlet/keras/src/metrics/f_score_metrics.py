"""F-scores: the weighted harmonic mean of precision and recall, per class or averaged."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.metrics.metric import Metric
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    cast_ops,
    comparison_ops,
    math_ops,
    reduction_ops,
    unary_math_ops,
)


@keras_export("keras.metrics.FBetaScore")
class FBetaScore(Metric):
    """``(1 + b2) * precision * recall / (b2 * precision + recall)`` with ``b2 = beta ** 2``,
    from true/false positive and false negative counts per class (inputs
    ``(batch, num_classes)``).

    Args:
        average: None (one score per class), ``'micro'`` (global counts), ``'macro'``
            (unweighted mean of the class scores) or ``'weighted'`` (mean weighted by support).
        beta: the weight of recall (a Python float > 0, default 1.0).
        threshold: predictions above it are 1 (a float in (0, 1]); None marks each row's
            maximum.
        name, dtype: as for every metric.

    Example:
        >>> m = keras.metrics.FBetaScore(beta=2.0, threshold=0.5)
        >>> m.update_state(np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], np.int32),
        ...                np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]))
        >>> [round(float(v), 4) for v in m.result()]
        [0.3846, 0.9091, 0.8333]
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(
                "Invalid `average` argument value. Expected one of: "
                f"{{None, 'micro', 'macro', 'weighted'}}. Received: average={average}"
            )
        if not isinstance(beta, float):
            raise ValueError(  # noqa: TRY004 - Keras raises ValueError
                "Invalid `beta` argument value. It should be a Python float. "
                f"Received: beta={beta} of type '{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(
                f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}"
            )
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    "Invalid `threshold` argument value. It should be a Python float. "
                    f"Received: threshold={threshold} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    "Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
                    f"Received: threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received "
                f"input shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim), with "
                "output_dim fully defined (not None). Received input shapes: "
                f"y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        for name in (
            "true_positives",
            "false_positives",
            "false_negatives",
            "intermediate_weights",
        ):
            var = self.add_variable(shape=shape, initializer="zeros", dtype=self.dtype, name=name)
            setattr(self, name, var)
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = backend.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = backend.convert_to_tensor(y_pred, dtype=self.dtype)
        if not self._built:
            self._build(tuple(y_true.shape.as_list()), tuple(y_pred.shape.as_list()))
        if self.threshold is None:
            threshold = reduction_ops.reduce_max(y_pred, axis=-1, keepdims=True)
            # the row maximum is 1, but an all-zero row stays 0
            y_pred = comparison_ops.logical_and(
                y_pred >= threshold, unary_math_ops.abs(y_pred) > 1e-9
            )
        else:
            y_pred = y_pred > self.threshold
        y_pred = cast_ops.cast(y_pred, self.dtype)
        y_true = cast_ops.cast(y_true, self.dtype)
        if sample_weight is not None:
            sample_weight = backend.convert_to_tensor(sample_weight, dtype=self.dtype)

        def weighted_sum(val):
            if sample_weight is not None:
                val = val * array_ops.expand_dims(sample_weight, 1)
            return reduction_ops.reduce_sum(val, axis=self.axis)

        self.true_positives.assign_add(weighted_sum(y_pred * y_true))
        self.false_positives.assign_add(weighted_sum(y_pred * (1 - y_true)))
        self.false_negatives.assign_add(weighted_sum((1 - y_pred) * y_true))
        self.intermediate_weights.assign_add(weighted_sum(y_true))

    def result(self):
        eps = backend.epsilon()
        tp = self.true_positives._read()
        precision = math_ops.divide(tp, tp + self.false_positives._read() + eps)
        recall = math_ops.divide(tp, tp + self.false_negatives._read() + eps)
        b2 = self.beta**2
        mean = math_ops.divide(precision * recall, (b2 * precision) + recall + eps)
        f_score = mean * (1 + b2)
        if self.average == "weighted":
            w = self.intermediate_weights._read()
            f_score = reduction_ops.reduce_sum(
                f_score * math_ops.divide(w, reduction_ops.reduce_sum(w) + eps)
            )
        elif self.average is not None:  # micro, macro
            f_score = reduction_ops.reduce_mean(f_score)
        return f_score

    def get_config(self):
        config = {
            "name": self.name,
            "dtype": self.dtype,
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }
        return {**super().get_config(), **config}

    def reset_state(self):
        for v in self.variables:
            v.assign(array_creation_ops.zeros(v.shape, dtype=v.dtype))


@keras_export("keras.metrics.F1Score")
class F1Score(FBetaScore):
    """``2 * precision * recall / (precision + recall)`` (``FBetaScore`` with ``beta=1``).

    Args:
        average, threshold, name, dtype: as in ``FBetaScore``.
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
