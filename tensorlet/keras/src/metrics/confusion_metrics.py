"""Threshold metrics built on confusion-matrix counts: TruePositives/... , Precision, Recall
and the "X at Y" family (SensitivityAtSpecificity, PrecisionAtRecall, ...)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.metrics import metrics_utils
from tensorlet.keras.src.metrics.metric import Metric
from tensorlet.ops import array_creation_ops, array_ops, comparison_ops, math_ops, reduction_ops

CM = metrics_utils.ConfusionMatrix


def _rate(numerator, other):
    """``numerator / (numerator + other)``, 0 where both are 0."""
    return math_ops.divide_no_nan(numerator._read(), numerator._read() + other._read())


class _ConfusionMatrixConditionCount(Metric):
    """The (weighted) count of one confusion-matrix condition at each threshold."""

    def __init__(self, confusion_matrix_cond, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._confusion_matrix_cond = confusion_matrix_cond
        self.init_thresholds = thresholds
        self.thresholds = metrics_utils.parse_init_thresholds(thresholds, default_threshold=0.5)
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed_thresholds(
            self.thresholds
        )
        self.accumulator = self.add_variable(
            shape=(len(self.thresholds),), initializer="zeros", name="accumulator"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's counts (``sample_weight`` broadcastable to ``y_true``)."""
        return metrics_utils.update_confusion_matrix_variables(
            {self._confusion_matrix_cond: self.accumulator},
            y_true,
            y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight,
        )

    def result(self):
        # one threshold: a scalar; several: the variable itself (as Keras' TF backend returns)
        if len(self.thresholds) == 1:
            return self.accumulator[0]
        return self.accumulator

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


@keras_export("keras.metrics.FalsePositives")
class FalsePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false positives: label 0, prediction above the threshold.

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5); one count each.

    Example:
        >>> m = keras.metrics.FalsePositives()
        >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
        >>> float(m.result())
        2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(CM.FALSE_POSITIVES, thresholds=thresholds, name=name, dtype=dtype)


@keras_export("keras.metrics.FalseNegatives")
class FalseNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false negatives: label 1, prediction at or below the threshold.

    Example:
        >>> m = keras.metrics.FalseNegatives()
        >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(CM.FALSE_NEGATIVES, thresholds=thresholds, name=name, dtype=dtype)


@keras_export("keras.metrics.TrueNegatives")
class TrueNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true negatives: label 0, prediction at or below the threshold.

    Example:
        >>> m = keras.metrics.TrueNegatives()
        >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(CM.TRUE_NEGATIVES, thresholds=thresholds, name=name, dtype=dtype)


@keras_export("keras.metrics.TruePositives")
class TruePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true positives: label 1, prediction above the threshold.

    Example:
        >>> m = keras.metrics.TruePositives()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> float(m.result())
        2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(CM.TRUE_POSITIVES, thresholds=thresholds, name=name, dtype=dtype)


class _PrecisionRecall(Metric):
    """``tp / (tp + <other>)`` at each threshold, optionally restricted to the top ``k``
    predictions and/or to the class ``class_id``."""

    _other = None  # (ConfusionMatrix condition, variable name)

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else metrics_utils.NEG_INF
        self.thresholds = metrics_utils.parse_init_thresholds(thresholds, default_threshold=default)
        self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed_thresholds(
            self.thresholds
        )
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        other_name = self._other[1]
        self._other_var = self.add_variable(shape, "zeros", name=other_name)
        setattr(self, other_name, self._other_var)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's counts (``y_pred`` in [0, 1], ``y_true`` cast to bool)."""
        metrics_utils.update_confusion_matrix_variables(
            {CM.TRUE_POSITIVES: self.true_positives, self._other[0]: self._other_var},
            y_true,
            y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            top_k=self.top_k,
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def result(self):
        result = _rate(self.true_positives, self._other_var)
        return result[0] if len(self.thresholds) == 1 else result

    def reset_state(self):
        n = len(self.thresholds)
        self.true_positives.assign(array_creation_ops.zeros((n,)))
        self._other_var.assign(array_creation_ops.zeros((n,)))

    def get_config(self):
        config = {
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }
        return {**super().get_config(), **config}


@keras_export("keras.metrics.Precision")
class Precision(_PrecisionRecall):
    """``true_positives / (true_positives + false_positives)``.

    Args:
        thresholds: a float or list in [0, 1]; default 0.5 (or, with ``top_k``, no threshold).
        top_k: only the ``k`` largest predictions of each row count as positive.
        class_id: compute the binary metric of this class (the last axis) only.

    Example:
        >>> m = keras.metrics.Precision()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> round(float(m.result()), 4)
        0.6667
    """

    _other = (CM.FALSE_POSITIVES, "false_positives")


@keras_export("keras.metrics.Recall")
class Recall(_PrecisionRecall):
    """``true_positives / (true_positives + false_negatives)``.

    Args:
        thresholds, top_k, class_id: as in ``Precision``.

    Example:
        >>> m = keras.metrics.Recall()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> round(float(m.result()), 4)
        0.6667
    """

    _other = (CM.FALSE_NEGATIVES, "false_negatives")


class SensitivitySpecificityBase(Metric):
    """Four confusion counts at ``num_thresholds`` evenly spaced thresholds in [0, 1]; results
    maximize one rate subject to a constraint on another."""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if num_thresholds <= 0:
            raise ValueError(
                "Argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds}"
            )
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds_distributed_evenly = True
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's four counts."""
        metrics_utils.update_confusion_matrix_variables(
            {
                CM.TRUE_POSITIVES: self.true_positives,
                CM.TRUE_NEGATIVES: self.true_negatives,
                CM.FALSE_POSITIVES: self.false_positives,
                CM.FALSE_NEGATIVES: self.false_negatives,
            },
            y_true,
            y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def reset_state(self):
        n = len(self.thresholds)
        for v in self.variables:
            v.assign(array_creation_ops.zeros((n,)))

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id}

    def _sensitivities(self):
        return _rate(self.true_positives, self.false_negatives)

    def _specificities(self):
        return _rate(self.true_negatives, self.false_positives)

    def _precisions(self):
        return _rate(self.true_positives, self.false_positives)

    def _find_max_under_constraint(self, constrained, dependent):
        """The largest ``dependent`` value where ``constrained >= value`` (0 if none)."""
        feasible = comparison_ops.greater_equal(constrained, self.value)
        candidates = array_ops.where(feasible, dependent, array_creation_ops.zeros_like(dependent))
        return math_ops.maximum(reduction_ops.reduce_max(candidates), 0.0)


@keras_export("keras.metrics.SensitivityAtSpecificity")
class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity ``tp / (tp + fn)`` where specificity ``tn / (tn + fp)`` is at least
    ``specificity``.

    Args:
        specificity: in [0, 1].
        num_thresholds: how many thresholds to try (default 200).
        class_id: compute the binary metric of this class only.
    """

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        if specificity < 0 or specificity > 1:
            raise ValueError(
                "Argument `specificity` must be in the range [0, 1]. "
                f"Received: specificity={specificity}"
            )
        self.specificity = specificity
        self.num_thresholds = num_thresholds
        super().__init__(specificity, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        return self._find_max_under_constraint(self._specificities(), self._sensitivities())

    def get_config(self):
        config = {"num_thresholds": self.num_thresholds, "specificity": self.specificity}
        return {**super().get_config(), **config}


@keras_export("keras.metrics.SpecificityAtSensitivity")
class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity where sensitivity is at least ``sensitivity``.

    Args:
        sensitivity: in [0, 1].
        num_thresholds, class_id: as in ``SensitivityAtSpecificity``.
    """

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        if sensitivity < 0 or sensitivity > 1:
            raise ValueError(
                "Argument `sensitivity` must be in the range [0, 1]. "
                f"Received: sensitivity={sensitivity}"
            )
        self.sensitivity = sensitivity
        self.num_thresholds = num_thresholds
        super().__init__(sensitivity, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        return self._find_max_under_constraint(self._sensitivities(), self._specificities())

    def get_config(self):
        config = {"num_thresholds": self.num_thresholds, "sensitivity": self.sensitivity}
        return {**super().get_config(), **config}


@keras_export("keras.metrics.PrecisionAtRecall")
class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision where recall is at least ``recall``.

    Args:
        recall: in [0, 1].
        num_thresholds, class_id: as in ``SensitivityAtSpecificity``.
    """

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        if recall < 0 or recall > 1:
            raise ValueError(
                f"Argument `recall` must be in the range [0, 1]. Received: recall={recall}"
            )
        self.recall = recall
        self.num_thresholds = num_thresholds
        super().__init__(recall, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        return self._find_max_under_constraint(self._sensitivities(), self._precisions())

    def get_config(self):
        config = {"num_thresholds": self.num_thresholds, "recall": self.recall}
        return {**super().get_config(), **config}


@keras_export("keras.metrics.RecallAtPrecision")
class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall where precision is at least ``precision`` (0 if unreachable).

    Args:
        precision: in [0, 1].
        num_thresholds, class_id: as in ``SensitivityAtSpecificity``.
    """

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        if precision < 0 or precision > 1:
            raise ValueError(
                f"Argument `precision` must be in the range [0, 1]. Received: precision={precision}"
            )
        self.precision = precision
        self.num_thresholds = num_thresholds
        super().__init__(precision, num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        return self._find_max_under_constraint(self._precisions(), self._sensitivities())

    def get_config(self):
        config = {"num_thresholds": self.num_thresholds, "precision": self.precision}
        return {**super().get_config(), **config}
