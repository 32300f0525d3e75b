"""Helpers of the Keras tuner: result conversion, the tuner callbacks, model size."""

import collections
import math
import statistics

from tensorlet.backend import xp
from tensorlet.tuner import errors
from tensorlet.tuner.engine import objective as obj_module


def _keras():
    from tensorlet.keras.src.callbacks.callback import Callback
    from tensorlet.keras.src.callbacks.history import History

    return Callback, History


def _is_history(results):
    return isinstance(results, _keras()[1])


def _is_number(results):
    return isinstance(results, (int, float, xp.floating, xp.integer)) and not isinstance(
        results, bool
    )


def average_metrics_dicts(metrics_dicts):
    """Averages a list of ``{metric: value}`` dicts key by key."""
    collected = collections.defaultdict(list)
    for d in metrics_dicts:
        for name, value in d.items():
            collected[name].append(value)
    return {name: float(xp.mean(values)) for name, values in collected.items()}


def _best_epoch_metrics(history, objective):
    """(metrics of the best epoch, best epoch) of a ``History`` for ``objective``."""
    epochs = collections.defaultdict(dict)
    for name, values in history.history.items():
        for epoch, value in enumerate(values):
            epochs[epoch][name] = value
    best = 0
    for epoch, metrics in epochs.items():
        value = objective.get_value(metrics)  # KeyError when the objective is missing
        if objective.name not in metrics:  # a MultiObjective's combined value
            metrics[objective.name] = value
        if objective.better_than(value, epochs[best][objective.name]):
            best = epoch
    return epochs[best], best


def convert_to_metrics_dict(results, objective):
    """The ``{metric: value}`` dict of what ``run_trial``/``fit`` returned (a float, a dict, a
    ``History`` -- its best epoch -- or a list of these, averaged)."""
    if isinstance(results, list):
        return average_metrics_dicts([convert_to_metrics_dict(r, objective) for r in results])
    if _is_number(results):
        return {objective.name: float(results)}
    if isinstance(results, dict):
        return results
    if _is_history(results):
        return _best_epoch_metrics(results, objective)[0]
    return results


def validate_trial_results(results, objective, func_name):
    """Raises a ``Fatal*Error`` for results the tuner cannot use."""
    if isinstance(results, list):
        for r in results:
            validate_trial_results(r, objective, func_name)
        return
    if _is_number(results):
        return
    if results is None:
        raise errors.FatalTypeError(
            f"The return value of {func_name} is None. Did you forget to return the metrics? "
        )
    if isinstance(objective, obj_module.DefaultObjective) and not (
        isinstance(results, dict) and objective.name in results
    ):
        raise errors.FatalTypeError(
            f"Expected the return value of {func_name} to be a single float when `objective` "
            f"is left unspecified. Recevied return value: {results} of type {type(results)}."
        )
    if isinstance(results, dict):
        if objective.name not in results:
            raise errors.FatalValueError(
                f"Expected the returned dictionary from {func_name} to have the specified "
                f"objective, {objective.name}, as one of the keys. Received: {results}."
            )
        return
    if _is_history(results):
        return
    raise errors.FatalTypeError(
        f"Expected the return value of {func_name} to be one of float, dict, "
        "keras.callbacks.History, or a list of one of these types. "
        f"Recevied return value: {results} of type {type(results)}."
    )


def get_best_step(results, objective):
    """The best epoch of a ``History`` (averaged over a list); 0 otherwise."""
    if isinstance(results, list):
        return int(statistics.mean([get_best_step(r, objective) for r in results]))
    if _is_history(results):
        return _best_epoch_metrics(results, objective)[1]
    return 0


def get_max_epochs_and_steps(fit_args, fit_kwargs):
    x = fit_args[0] if fit_args else fit_kwargs.get("x")
    while isinstance(x, (list, tuple)) and x:
        x = x[0]
    batch_size = fit_kwargs.get("batch_size", 32)
    if hasattr(x, "__len__"):
        max_steps = math.ceil(float(len(x)) / batch_size)
    else:
        max_steps = fit_kwargs.get("steps")
    return fit_kwargs.get("epochs", 1), max_steps


def maybe_compute_model_size(model):
    """The number of trainable parameters of a built model (0 if not built)."""
    if getattr(model, "built", False):
        return int(sum(math.prod(tuple(w.shape)) for w in model.trainable_weights))
    return 0


_CALLBACKS = {}


def _callback_classes():
    """The Keras callbacks of the tuner, made on first use (``tensorlet.keras`` loads lazily)."""
    if _CALLBACKS:
        return _CALLBACKS
    Callback = _keras()[0]

    class TunerCallback(Callback):
        """Forwards the training events of a trial to the ``Tuner`` hooks."""

        def __init__(self, tuner, trial):
            super().__init__()
            self.tuner = tuner
            self.trial = trial

        def on_epoch_begin(self, epoch, logs=None):
            self.tuner.on_epoch_begin(self.trial, self.model, epoch, logs=logs)

        def on_batch_begin(self, batch, logs=None):
            self.tuner.on_batch_begin(self.trial, self.model, batch, logs)

        def on_batch_end(self, batch, logs=None):
            self.tuner.on_batch_end(self.trial, self.model, batch, logs)

        def on_epoch_end(self, epoch, logs=None):
            self.tuner.on_epoch_end(self.trial, self.model, epoch, logs=logs)

    class SaveBestEpoch(Callback):
        """Saves the model's weights to ``filepath`` whenever the objective improves (every
        epoch when the objective is not in the logs)."""

        def __init__(self, objective, filepath):
            super().__init__()
            self.objective = objective
            self.filepath = filepath
            self.best_value = float("-inf") if objective.direction == "max" else float("inf")

        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            if not self.objective.has_value(logs):
                self.model.save_weights(self.filepath)
                return
            value = self.objective.get_value(logs)
            if self.objective.better_than(value, self.best_value):
                self.best_value = value
                self.model.save_weights(self.filepath)

    _CALLBACKS.update(TunerCallback=TunerCallback, SaveBestEpoch=SaveBestEpoch)
    return _CALLBACKS


def __getattr__(name):
    if name in ("TunerCallback", "SaveBestEpoch"):
        return _callback_classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
