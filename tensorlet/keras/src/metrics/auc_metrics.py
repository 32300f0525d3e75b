"""``keras.metrics.AUC``: the area under the ROC or precision-recall curve, as a Riemann sum
over confusion counts kept at fixed thresholds."""

from tensorlet.backend import xp
from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.metrics import metrics_utils
from tensorlet.keras.src.metrics.metric import Metric
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    comparison_ops,
    math_ops,
    reduction_ops,
    unary_math_ops,
)

CM = metrics_utils.ConfusionMatrix


@keras_export("keras.metrics.AUC")
class AUC(Metric):
    """Approximates the area under the ROC (default) or PR curve.

    Predictions are counted at ``num_thresholds`` thresholds (evenly spaced in [0, 1], plus
    ``-epsilon`` and ``1 + epsilon`` end points); the curve through those points is integrated
    by a Riemann sum.

    Args:
        num_thresholds: how many thresholds (> 1, default 200).
        curve: ``'ROC'`` or ``'PR'``.
        summation_method: ``'interpolation'`` (mid-point; for PR the Davis & Goadrich 2006
            interpolation), ``'minoring'`` (lower bound) or ``'majoring'`` (upper bound).
        name, dtype: as for every metric.
        thresholds: explicit thresholds in [0, 1] (``num_thresholds`` is then ignored).
        multi_label: one AUC per label (the last axis), averaged; else everything is flattened.
        num_labels: the number of labels (multi-label variables are otherwise made on the
            first update).
        label_weights: per-label weights (multi-label: for the average; else for the counts).
        from_logits: apply a sigmoid to ``y_pred`` first.

    Example:
        >>> m = keras.metrics.AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> float(m.result())
        0.75
    """

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        self._direction = "up"
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            thresholds = sorted(thresholds)
            self._thresholds_distributed_evenly = metrics_utils.is_evenly_distributed_thresholds(
                xp.array([0.0] + thresholds + [1.0])
            )
        else:
            if num_thresholds <= 1:
                raise ValueError(
                    "Argument `num_thresholds` must be an integer > 1. "
                    f"Received: num_thresholds={num_thresholds}"
                )
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        # end points below 0 and above 1 so that predictions of exactly 0 or 1 are counted
        eps = backend.epsilon()
        self._thresholds = xp.array([0.0 - eps] + thresholds + [1.0 + eps])
        self.curve = (
            curve
            if isinstance(curve, metrics_utils.AUCCurve)
            else metrics_utils.AUCCurve.from_str(curve)
        )
        self.summation_method = (
            summation_method
            if isinstance(summation_method, metrics_utils.AUCSummationMethod)
            else metrics_utils.AUCSummationMethod.from_str(summation_method)
        )
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (
            None
            if label_weights is None
            else backend.convert_to_tensor(label_weights, dtype=self.dtype)
        )
        self._from_logits = from_logits
        self._built = False
        if self.multi_label:
            if num_labels:
                self._build([None, num_labels])
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self):
        """The thresholds (Python floats, end points included)."""
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    "`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                    f"{len(shape)}. Full shape received for `y_pred`: {shape}"
                )
            self._num_labels = shape[1]
            variable_shape = [self.num_thresholds, self._num_labels]
        else:
            variable_shape = [self.num_thresholds]
        self._build_input_shape = shape
        self.true_positives = self.add_variable(variable_shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(variable_shape, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(variable_shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(variable_shape, "zeros", name="false_negatives")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's confusion counts at every threshold."""
        if not self._built:
            self._build(tuple(backend.convert_to_tensor(y_pred).shape.as_list()))
        if self._from_logits:
            y_pred = unary_math_ops.sigmoid(backend.convert_to_tensor(y_pred))
        metrics_utils.update_confusion_matrix_variables(
            {
                CM.TRUE_POSITIVES: self.true_positives,
                CM.TRUE_NEGATIVES: self.true_negatives,
                CM.FALSE_POSITIVES: self.false_positives,
                CM.FALSE_NEGATIVES: self.false_negatives,
            },
            y_true,
            y_pred,
            self._thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
        )

    def _average(self, per_threshold):
        """Sums the curve pieces; multi-label AUCs are averaged (weighted by label_weights)."""
        if not self.multi_label:
            return reduction_ops.reduce_sum(per_threshold)
        by_label = reduction_ops.reduce_sum(per_threshold, axis=0)
        if self.label_weights is None:
            return reduction_ops.reduce_mean(by_label)
        return math_ops.divide_no_nan(
            reduction_ops.reduce_sum(by_label * self.label_weights),
            reduction_ops.reduce_sum(self.label_weights),
        )

    def interpolate_pr_auc(self):
        """PR-AUC with TP and FP interpolated linearly between thresholds (Davis & Goadrich
        2006): within ``[A, B]``, ``precision dP`` integrates to
        ``slope * (dTP + intercept * log(P_B / P_A))`` with ``P = TP + FP``."""
        n = self.num_thresholds
        tp, fp, fn = (
            v._read() for v in (self.true_positives, self.false_positives, self.false_negatives)
        )
        dtp = tp[: n - 1] - tp[1:]
        p = tp + fp
        dp = p[: n - 1] - p[1:]
        prec_slope = math_ops.divide_no_nan(dtp, math_ops.maximum(dp, 0))
        intercept = tp[1:] - prec_slope * p[1:]
        safe_p_ratio = array_ops.where(
            comparison_ops.logical_and(p[: n - 1] > 0, p[1:] > 0),
            math_ops.divide_no_nan(p[: n - 1], math_ops.maximum(p[1:], 0)),
            array_creation_ops.ones_like(p[1:]),
        )
        pr_auc_increment = math_ops.divide_no_nan(
            prec_slope * (dtp + intercept * unary_math_ops.log(safe_p_ratio)),
            math_ops.maximum(tp[1:] + fn[1:], 0),
        )
        return self._average(pr_auc_increment)

    def result(self):
        if (
            self.curve == metrics_utils.AUCCurve.PR
            and self.summation_method == metrics_utils.AUCSummationMethod.INTERPOLATION
        ):
            return self.interpolate_pr_auc()
        n = self.num_thresholds
        tp, fp, tn, fn = (
            v._read()
            for v in (
                self.true_positives,
                self.false_positives,
                self.true_negatives,
                self.false_negatives,
            )
        )
        recall = math_ops.divide_no_nan(tp, tp + fn)
        if self.curve == metrics_utils.AUCCurve.ROC:
            x, y = math_ops.divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, math_ops.divide_no_nan(tp, tp + fp)
        method = self.summation_method
        if method == metrics_utils.AUCSummationMethod.INTERPOLATION:
            heights = (y[: n - 1] + y[1:]) / 2.0
        elif method == metrics_utils.AUCSummationMethod.MINORING:
            heights = math_ops.minimum(y[: n - 1], y[1:])
        else:
            heights = math_ops.maximum(y[: n - 1], y[1:])
        return self._average((x[: n - 1] - x[1:]) * heights)

    def reset_state(self):
        if self._built:
            for v in self.variables:
                v.assign(array_creation_ops.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        label_weights = self.label_weights
        if label_weights is not None:
            label_weights = label_weights.numpy().tolist()
        config = {
            "num_thresholds": self.num_thresholds,
            "curve": self.curve.value,
            "summation_method": self.summation_method.value,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": label_weights,
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            # without the end points, so that from_config rebuilds the same thresholds
            config["thresholds"] = self.thresholds[1:-1]
        return {**super().get_config(), **config}
