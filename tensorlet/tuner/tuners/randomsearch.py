"""Random search: every trial draws fresh random values."""

from tensorlet.tuner.engine import oracle as oracle_module
from tensorlet.tuner.engine import trial as trial_module
from tensorlet.tuner.engine import tuner as tuner_module


class RandomSearchOracle(oracle_module.Oracle):
    """Draws each trial's values at random (never the same values twice; stops when 20 draws
    in a row collide or after ``max_trials``). The arguments are ``Oracle``'s
    (``max_trials`` defaults to 10)."""

    def __init__(
        self,
        objective=None,
        max_trials=10,
        seed=None,
        hyperparameters=None,
        allow_new_entries=True,
        tune_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
    ):
        super().__init__(
            objective=objective,
            max_trials=max_trials,
            hyperparameters=hyperparameters,
            tune_new_entries=tune_new_entries,
            allow_new_entries=allow_new_entries,
            seed=seed,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )

    def populate_space(self, trial_id):
        values = self._random_values()
        if values is None:
            return {"status": trial_module.TrialStatus.STOPPED, "values": None}
        return {"status": trial_module.TrialStatus.RUNNING, "values": values}


class RandomSearch(tuner_module.Tuner):
    """Random search over the hypermodel's space.

    Args:
        hypermodel: a ``HyperModel`` or a callable ``build(hp)`` returning a compiled model.
        objective: the metric to optimize (``'val_loss'``, ``Objective(...)``, a list).
        max_trials: the number of trials (default 10).
        seed, hyperparameters, tune_new_entries, allow_new_entries, max_retries_per_trial,
        max_consecutive_failed_trials: see ``Oracle``.
        **kwargs: ``Tuner`` arguments (``directory``, ``project_name``, ``overwrite``,
            ``executions_per_trial`` ...).

    Example:
        >>> tuner = RandomSearch(build_model, objective="val_loss", max_trials=5)
        >>> tuner.search(x, y, epochs=3, validation_data=(x_val, y_val))
        >>> best_model = tuner.get_best_models(1)[0]
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_trials=10,
        seed=None,
        hyperparameters=None,
        tune_new_entries=True,
        allow_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
        **kwargs,
    ):
        self.seed = seed
        oracle = RandomSearchOracle(
            objective=objective,
            max_trials=max_trials,
            seed=seed,
            hyperparameters=hyperparameters,
            tune_new_entries=tune_new_entries,
            allow_new_entries=allow_new_entries,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )
        super().__init__(oracle, hypermodel, **kwargs)
