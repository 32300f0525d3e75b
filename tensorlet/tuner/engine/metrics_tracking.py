"""Per-trial metric histories: one observation (a list of per-execution values) per step."""

from tensorlet.backend import xp


class MetricObservation:
    """The values of one metric at one step, one per execution of the trial."""

    def __init__(self, value, step):
        if not isinstance(value, list):
            value = [value]
        self.value = value
        self.step = step

    def append(self, value):
        if not isinstance(value, list):
            value = [value]
        self.value += value

    def mean(self):
        return float(xp.mean(self.value))

    def get_config(self):
        return {"value": self.value, "step": self.step}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        if not isinstance(other, MetricObservation):
            return False
        return other.value == self.value and other.step == self.step

    def __repr__(self):
        return f"MetricObservation(value={self.value}, step={self.step})"


class MetricHistory:
    """The observations of one metric, with the direction in which it improves."""

    def __init__(self, direction="min"):
        if direction not in {"min", "max"}:
            raise ValueError(f'`direction` should be one of {{"min", "max"}}, but got: {direction}')
        self.direction = direction
        self._observations = {}

    def update(self, value, step):
        if step in self._observations:
            self._observations[step].append(value)
        else:
            self._observations[step] = MetricObservation(value, step=step)

    def get_best_value(self):
        values = [obs.mean() for obs in self._observations.values()]
        if not values:
            return None
        best = xp.nanmin(values) if self.direction == "min" else xp.nanmax(values)
        return float(best)

    def get_best_step(self):
        best = self.get_best_value()
        if best is None:
            return None
        for obs in self._observations.values():
            if obs.mean() == best:
                return obs.step

    def get_history(self):
        return sorted(self._observations.values(), key=lambda obs: obs.step)

    def set_history(self, observations):
        for obs in observations:
            self.update(obs.value, step=obs.step)

    def get_statistics(self):
        values = [obs.mean() for obs in self.get_history()]
        if not values:
            return {}
        return {
            "min": float(xp.nanmin(values)),
            "max": float(xp.nanmax(values)),
            "mean": float(xp.nanmean(values)),
            "median": float(xp.nanmedian(values)),
            "var": float(xp.nanvar(values)),
            "std": float(xp.nanstd(values)),
        }

    def get_last_value(self):
        history = self.get_history()
        return history[-1].mean() if history else None

    def get_config(self):
        return {
            "direction": self.direction,
            "observations": [obs.get_config() for obs in self.get_history()],
        }

    @classmethod
    def from_config(cls, config):
        instance = cls(config["direction"])
        instance.set_history([MetricObservation.from_config(o) for o in config["observations"]])
        return instance


class MetricsTracker:
    """The ``MetricHistory`` of every metric a trial reported."""

    def __init__(self, metrics=None):
        self.metrics = {}
        for metric in metrics or []:
            self.register(metric.name)

    def exists(self, name):
        return name in self.metrics

    def register(self, name, direction=None):
        if self.exists(name):
            raise ValueError(f"Metric already exists: {name}")
        if direction is None:
            direction = infer_metric_direction(name) or "min"
        self.metrics[name] = MetricHistory(direction)

    def update(self, name, value, step=0):
        """Records ``value`` at ``step``; returns whether the best value changed."""
        value = float(value)
        if not self.exists(name):
            self.register(name)
        before = self.metrics[name].get_best_value()
        self.metrics[name].update(value, step=step)
        return self.metrics[name].get_best_value() != before

    def _assert_exists(self, name):
        if name not in self.metrics:
            raise ValueError(f"Unknown metric: {name}")

    def get_history(self, name):
        self._assert_exists(name)
        return self.metrics[name].get_history()

    def set_history(self, name, observations):
        if not self.exists(name):
            self.register(name)
        self.metrics[name].set_history(observations)

    def get_best_value(self, name):
        self._assert_exists(name)
        return self.metrics[name].get_best_value()

    def get_best_step(self, name):
        self._assert_exists(name)
        return self.metrics[name].get_best_step()

    def get_statistics(self, name):
        self._assert_exists(name)
        return self.metrics[name].get_statistics()

    def get_last_value(self, name):
        self._assert_exists(name)
        return self.metrics[name].get_last_value()

    def get_direction(self, name):
        self._assert_exists(name)
        return self.metrics[name].direction

    def get_config(self):
        return {"metrics": {name: h.get_config() for name, h in self.metrics.items()}}

    @classmethod
    def from_config(cls, config):
        instance = cls()
        instance.metrics = {
            name: MetricHistory.from_config(h) for name, h in config["metrics"].items()
        }
        return instance


_MAX_METRICS = (
    "Accuracy",
    "BinaryAccuracy",
    "CategoricalAccuracy",
    "SparseCategoricalAccuracy",
    "TopKCategoricalAccuracy",
    "SparseTopKCategoricalAccuracy",
    "TruePositives",
    "TrueNegatives",
    "Precision",
    "Recall",
    "AUC",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
    "PrecisionAtRecall",
    "RecallAtPrecision",
    "F1Score",
    "FBetaScore",
    "R2Score",
    "MeanIoU",
    "IoU",
    "BinaryIoU",
    "OneHotMeanIoU",
    "OneHotIoU",
)
_MAX_METRIC_FNS = (
    "accuracy",
    "categorical_accuracy",
    "binary_accuracy",
    "sparse_categorical_accuracy",
    "top_k_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
)


def infer_metric_direction(metric):
    """``'max'`` for accuracy-like metrics, ``'min'`` for losses and other known metrics,
    ``None`` when the name is unknown (``val_`` and ``weighted_`` prefixes are ignored)."""
    from tensorlet.keras.src import losses as keras_losses
    from tensorlet.keras.src import metrics as keras_metrics

    if isinstance(metric, str):
        name = metric
        name = name.removeprefix("val_")
        name = name.removeprefix("weighted_")
        if name in {"loss", "crossentropy", "ce"}:
            return "min"
        if name == "acc":
            return "max"
        try:
            metric = keras_metrics.get(name)
        except Exception:  # noqa: BLE001 (any lookup failure: try the losses)
            try:
                metric = keras_losses.get(name)
            except Exception:  # noqa: BLE001 (unknown name: no direction)
                return None
        if metric is None:
            return None
    if isinstance(metric, (keras_metrics.Metric, keras_losses.Loss)):
        name = metric.__class__.__name__
        if name == "MeanMetricWrapper":
            name = getattr(metric, "_fn", metric).__name__
    elif isinstance(metric, str):
        name = metric
    else:
        name = getattr(metric, "__name__", str(metric))
    if name in _MAX_METRICS or name in _MAX_METRIC_FNS:
        return "max"
    if hasattr(keras_metrics, name) or hasattr(keras_losses, name):
        return "min"
    return None
