"""What ``compile(loss=..., metrics=...)`` turns into: ``CompileLoss`` and ``CompileMetrics``.

Both are built on the first batch, when the shapes of ``y_true`` and ``y_pred`` are known:
``'accuracy'`` / ``'acc'`` become Binary/Sparse/Categorical accuracy and ``'crossentropy'`` /
``'ce'`` the matching cross-entropy, from those shapes, as Keras does. Several outputs take
lists (in output order) or dicts (by output name) of losses and metrics.
"""

from tensorlet.framework import nest
from tensorlet.keras.src import losses as losses_module
from tensorlet.keras.src import metrics as metrics_module
from tensorlet.ops import cast_ops, math_ops


def _object_name(obj):
    if hasattr(obj, "name") and isinstance(obj.name, str):
        return obj.name
    if hasattr(obj, "__name__"):
        return obj.__name__
    return type(obj).__name__.lower()


def is_binary_or_sparse_categorical(y_true, y_pred):
    t_rank, p_rank = len(y_true.shape), len(y_pred.shape)
    t_last, p_last = y_true.shape[-1] if t_rank else None, y_pred.shape[-1] if p_rank else None
    is_binary = p_last == 1
    is_sparse = t_rank < p_rank or (t_last == 1 and p_last is not None and p_last > 1)
    return is_binary, is_sparse


def get_metric(identifier, y_true, y_pred):
    """The metric object for one compile entry (``'accuracy'`` resolved from the shapes)."""
    if identifier is None:
        return None
    if str(identifier).lower() in ("accuracy", "acc"):
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        cls = (
            metrics_module.BinaryAccuracy
            if is_binary
            else metrics_module.SparseCategoricalAccuracy
            if is_sparse
            else metrics_module.CategoricalAccuracy
        )
        metric = cls(name=str(identifier))
    else:
        metric = metrics_module.get(identifier)
    name = identifier if isinstance(identifier, str) else _object_name(metric)
    if not isinstance(metric, metrics_module.Metric):
        metric = metrics_module.MeanMetricWrapper(metric)
    metric.name = name
    return metric


def get_loss(identifier, y_true, y_pred):
    """The Loss object for one compile entry (``'crossentropy'`` resolved from the shapes)."""
    if identifier is None:
        return None
    if str(identifier).lower() in ("crossentropy", "ce"):
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        loss = (
            losses_module.binary_crossentropy
            if is_binary
            else losses_module.sparse_categorical_crossentropy
            if is_sparse
            else losses_module.categorical_crossentropy
        )
    else:
        loss = losses_module.get(identifier)
    if not isinstance(loss, losses_module.Loss):
        name = identifier if isinstance(identifier, str) else _object_name(loss)
        loss = losses_module.LossFunctionWrapper(loss, name=name)
    return loss


def _output_names(output_names, y_pred):
    if output_names:
        return list(output_names)
    if isinstance(y_pred, dict):
        return sorted(y_pred)
    return None


def _flatten_y(y, output_names):
    if isinstance(y, dict) and output_names:
        return [y[name] for name in output_names if name in y]
    return nest.flatten(y)


def _per_output(spec, output_names, n, what):
    """``spec`` (one entry, a list in output order, or a dict by name) as one entry per output."""
    if isinstance(spec, dict):
        if output_names is None:
            raise ValueError(
                f"Argument `{what}` can only be provided as a dict when the model also "
                f"returns a dict of outputs. Received {what}={spec}"
            )
        for key in spec:
            if key not in output_names:
                raise ValueError(
                    f"In the dict argument `{what}`, key '{key}' does not correspond to any "
                    f"model output. Received:\n{what}={spec}"
                )
        return [spec.get(name) for name in output_names]
    if n > 1 and isinstance(spec, (list, tuple)):
        if len(spec) != n:
            raise ValueError(
                f"For a model with multiple outputs, when providing the `{what}` argument as a "
                f"list, it should have as many entries as the model has outputs. Received:\n"
                f"{what}={spec}\nof length {len(spec)} whereas the model has {n} outputs."
            )
        return list(spec)
    return [spec] * n if what == "loss" else [spec] + [None] * (n - 1)


class CompileMetrics(metrics_module.Metric):
    """The ``metrics`` and ``weighted_metrics`` of ``compile``, one list per model output."""

    def __init__(self, metrics, weighted_metrics, name="compile_metric", output_names=None):
        super().__init__(name=name)
        for arg, value in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if value and not isinstance(value, (list, tuple, dict)):
                raise ValueError(
                    f"Expected `{arg}` argument to be a list, tuple, or dict. Received instead: "
                    f"{arg}={value} of type {type(value)}"
                )
        self._user_metrics = metrics
        self._user_weighted_metrics = weighted_metrics
        self.output_names = output_names
        self.name = "compile_metrics"
        self.built = False
        self._flat_metrics = []
        self._flat_weighted_metrics = []

    @property
    def metrics(self):
        out = []
        for group in self._flat_metrics + self._flat_weighted_metrics:
            out.extend(m for _, m in group)
        return out

    @property
    def variables(self):
        return [v for m in self.metrics for v in m.variables]

    def build(self, y_true, y_pred):
        names = _output_names(self.output_names, y_pred)
        flat_pred = _flatten_y(y_pred, names)
        flat_true = _flatten_y(y_true, names)
        n = len(flat_pred)
        if names is None and n > 1 and all(hasattr(p, "_keras_history") for p in flat_pred):
            names = [p._keras_history.operation.name for p in flat_pred]
        self._output_names_used = names if n > 1 or isinstance(y_pred, dict) else None
        self._flat_metrics = self._build(self._user_metrics, names, n, flat_true, flat_pred,
                                         "metrics")
        self._flat_weighted_metrics = self._build(self._user_weighted_metrics, names, n,
                                                  flat_true, flat_pred, "weighted_metrics")
        self.built = True

    def _build(self, spec, names, n, flat_true, flat_pred, what):
        if not spec:
            return [[] for _ in range(n)]
        if n == 1:
            entries = [nest.flatten(spec) if isinstance(spec, dict) else spec]
        else:
            entries = _per_output(spec, names, n, what)
        groups = []
        for i, entry in enumerate(entries):
            if entry is None:
                groups.append([])
                continue
            entry = list(entry) if isinstance(entry, (list, tuple)) else [entry]
            prefix = self._output_names_used[i] if self._output_names_used else None
            groups.append([(prefix, get_metric(m, flat_true[i], flat_pred[i]))
                           for m in entry if m is not None])
        return groups

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        names = _output_names(self.output_names, y_pred)
        flat_true, flat_pred = _flatten_y(y_true, names), _flatten_y(y_pred, names)
        for group, yt, yp in zip(self._flat_metrics, flat_true, flat_pred):
            for _, m in group:
                m.update_state(yt, yp)
        if sample_weight is not None:
            sws = _flatten_y(sample_weight, names)
            if len(sws) < len(flat_true):
                sws = [sws[0]] * len(flat_true)
        else:
            sws = [None] * len(flat_true)
        for group, yt, yp, sw in zip(self._flat_weighted_metrics, flat_true, flat_pred, sws):
            for _, m in group:
                m.update_state(yt, yp, sample_weight=sw)

    def reset_state(self):
        for m in self.metrics:
            m.reset_state()

    def result(self):
        if not self.built:
            raise ValueError("Cannot get result() since the metric has not yet been built.")
        results, counts = {}, {}
        for weighted, groups in ((False, self._flat_metrics), (True, self._flat_weighted_metrics)):
            for group in groups:
                for prefix, m in group:
                    name = f"{prefix}_{m.name}" if prefix else m.name
                    if name in counts:
                        if weighted:
                            name = f"{prefix}_weighted_{m.name}" if prefix else f"weighted_{m.name}"
                        if name in counts:
                            counts[name] += 1
                            name = f"{name}_{counts[name] - 1}"
                    counts.setdefault(name, 1)
                    results[name] = m.result()
        return results

    def get_config(self):
        raise NotImplementedError

    @classmethod
    def from_config(cls, config):
        raise NotImplementedError


class CompileLoss(losses_module.Loss):
    """The ``loss`` (and ``loss_weights``) of ``compile``: the weighted sum over outputs; with
    several outputs each unweighted loss is also tracked as a ``<output>_loss`` metric."""

    def __init__(self, loss, loss_weights=None, reduction="sum_over_batch_size", output_names=None):
        if loss_weights and not isinstance(loss_weights, (list, tuple, dict, float)):
            raise ValueError(
                "Expected `loss_weights` argument to be a float (single output case) or a "
                "list, tuple, or dict (multiple output case). Received instead: "
                f"loss_weights={loss_weights} of type {type(loss_weights)}"
            )
        super().__init__(name="compile_loss", reduction=reduction)
        self._user_loss = loss
        self._user_loss_weights = loss_weights
        self.output_names = output_names
        self.built = False
        self._flat = []  # (loss object, weight, name) per output
        self.metrics = []

    @property
    def variables(self):
        return [v for m in self.metrics for v in m.variables]

    def build(self, y_true, y_pred):
        names = _output_names(self.output_names, y_pred)
        flat_pred = _flatten_y(y_pred, names)
        flat_true = _flatten_y(y_true, names)
        n = len(flat_pred)
        if len(flat_true) != n:
            raise ValueError(
                "y_true and y_pred have different structures.\n"
                f"y_true: {nest.map_structure(lambda _: '*', y_true)}\n"
                f"y_pred: {nest.map_structure(lambda _: '*', y_pred)}\n"
            )
        losses = _per_output(self._user_loss, names, n, "loss") if n > 1 or isinstance(
            self._user_loss, dict) else [self._user_loss]
        weights = self._user_loss_weights
        if weights is None:
            weights = [None] * n
        elif isinstance(weights, dict):
            weights = [weights.get(name) for name in names]
        elif not isinstance(weights, (list, tuple)):
            weights = [weights] * n
        if len(weights) != n:
            raise ValueError(
                f"`loss_weights` must match the number of losses, got {n} losses and "
                f"{len(weights)} weights."
            )
        self._flat = []
        for i, (loss, w) in enumerate(zip(losses, weights)):
            if loss is None:
                self._flat.append(None)
                continue
            obj = get_loss(loss, flat_true[i], flat_pred[i])
            name = names[i] if names else obj.name
            self._flat.append((obj, w, name))
        if sum(1 for f in self._flat if f is not None) > 1:
            self.metrics = [metrics_module.Mean(name=f[2] + "_loss") for f in self._flat if f]
        self._names = names
        self.built = True

    def __call__(self, y_true, y_pred, sample_weight=None):
        return self.call(y_true, y_pred, sample_weight)

    def call(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        names = self._names
        flat_true, flat_pred = _flatten_y(y_true, names), _flatten_y(y_pred, names)
        if sample_weight is not None and nest.is_nested(sample_weight):
            sws = _flatten_y(sample_weight, names)
        else:
            sws = [sample_weight] * len(flat_pred)
        total = None
        metrics = iter(self.metrics)
        for entry, yt, yp, sw in zip(self._flat, flat_true, flat_pred, sws):
            if entry is None:
                continue
            loss, weight, _ = entry
            value = cast_ops.cast(loss(yt, yp, sw), self.dtype)
            if self.metrics:
                next(metrics).update_state(value, sample_weight=nest.flatten(yp)[0].shape[0])
            if weight is not None:
                value = math_ops.multiply(value, weight)
            total = value if total is None else math_ops.add(total, value)
        return total

    def get_config(self):
        raise NotImplementedError

    @classmethod
    def from_config(cls, config):
        raise NotImplementedError
