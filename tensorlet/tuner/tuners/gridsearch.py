"""Grid search: every combination of values, in order, defaults first."""

import copy

from tensorlet.tuner.engine import oracle as oracle_module
from tensorlet.tuner.engine import trial as trial_module
from tensorlet.tuner.engine import tuner as tuner_module


class GridSearchOracle(oracle_module.Oracle):
    """Walks the grid of all value combinations deterministically: the first trial uses the
    defaults, each next one bumps the last entry that can still move (like an odometer).

    ``Float`` entries without ``step`` (and log-sampled ``Int`` without ``step``) contribute ten
    evenly spread values. ``max_trials`` defaults to ``None`` (the whole grid).
    """

    def __init__(
        self,
        objective=None,
        max_trials=None,
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
        self._ordered_ids = []  # trial ids sorted by their values' grid order
        self._populate_next = []  # trials whose successor combination is still to create

    def populate_space(self, trial_id):
        values = None
        if not self.start_order:
            self._ordered_ids.append(trial_id)
            hps = self.get_space()
            values = {hp.name: hp.default for hp in hps.space if hps.is_active(hp)}
            self._populate_next.append(trial_id)
        while self._populate_next and values is None:
            old_id = self._populate_next.pop(0)
            new_values = self._get_next_combination(self.trials[old_id].hyperparameters.values)
            if new_values is None:
                continue
            next_id = self._get_next_id(old_id)
            if next_id is not None:
                if self._compare(new_values, self.trials[next_id].hyperparameters.values) >= 0:
                    continue  # already tried
                self._ordered_ids.insert(self._ordered_ids.index(next_id), trial_id)
            else:
                self._ordered_ids.append(trial_id)
            values = new_values
        if values is not None:
            return {"status": trial_module.TrialStatus.RUNNING, "values": values}
        if self.ongoing_trials:
            return {"status": trial_module.TrialStatus.IDLE, "values": None}
        return {"status": trial_module.TrialStatus.STOPPED, "values": None}

    @staticmethod
    def _ordered_values(hp):
        values = list(hp.values)
        if hp.default in values:
            values.remove(hp.default)
        return [hp.default] + values

    def _compare(self, a, b):
        """-1, 0 or 1 as values ``a`` come before, equal or after ``b`` in the grid order."""
        for hp in self.get_space().space:
            if hp.name not in a or a[hp.name] == b.get(hp.name):
                continue
            order = self._ordered_values(hp)
            return -1 if order.index(a[hp.name]) < order.index(b[hp.name]) else 1
        return 0

    def _get_next_id(self, trial_id):
        i = self._ordered_ids.index(trial_id)
        return self._ordered_ids[i + 1] if i + 1 < len(self._ordered_ids) else None

    def _get_next_combination(self, values):
        hps = self.get_space()
        all_values = {hp.name: self._ordered_values(hp) for hp in hps.space}
        defaults = {hp.name: hp.default for hp in hps.space}
        hps.values = copy.deepcopy(values)
        bumped = False
        # the entries registered last (possibly conditional) move first
        for hp in reversed(hps.space):
            name = hp.name
            if hps.is_active(hp):
                value = hps.values[name]
                if value != all_values[name][-1]:
                    hps.values[name] = all_values[name][all_values[name].index(value) + 1]
                    bumped = True
                    break
            hps.values[name] = defaults[name]
        hps.ensure_active_values()
        return hps.values if bumped else None

    def end_trial(self, trial):
        super().end_trial(trial)
        self._populate_next.append(trial.trial_id)

    def get_state(self):
        state = super().get_state()
        state.update({"ordered_ids": self._ordered_ids, "populate_next": self._populate_next})
        return state

    def set_state(self, state):
        super().set_state(state)
        self._ordered_ids = state.get("ordered_ids", [])
        self._populate_next = state.get("populate_next", [])


class GridSearch(tuner_module.Tuner):
    """The grid-search tuner: tries every combination of the space's values.

    Args:
        hypermodel: a ``HyperModel`` or a callable ``build(hp)``.
        objective: the metric to optimize.
        max_trials: the most trials (default: the whole grid).
        The other arguments are ``GridSearchOracle``'s and ``Tuner``'s.
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_trials=None,
        seed=None,
        hyperparameters=None,
        tune_new_entries=True,
        allow_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
        **kwargs,
    ):
        self.seed = seed
        oracle = GridSearchOracle(
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
