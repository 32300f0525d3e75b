"""Hyperband (Li et al., 2018): successive halving over brackets of decreasing aggressiveness."""

import math

from tensorlet.tuner import utils
from tensorlet.tuner.engine import oracle as oracle_module
from tensorlet.tuner.engine import trial as trial_module
from tensorlet.tuner.engine import tuner as tuner_module


class HyperbandOracle(oracle_module.Oracle):
    """The Hyperband oracle.

    Each bracket starts random configurations with few epochs and trains the best ``1/factor``
    of each round ``factor`` times longer, continuing from the previous round's checkpoint.
    Trials carry the special values ``tuner/epochs``, ``tuner/initial_epoch``,
    ``tuner/bracket``, ``tuner/round`` (and ``tuner/trial_id`` of the trial they continue).

    Args:
        objective: the metric to optimize.
        max_epochs: the most epochs one model is trained (default 100).
        factor: the reduction factor of epochs and models per round (default 3, at least 2).
        hyperband_iterations: how many times the whole algorithm runs (default 1).
        The other arguments are ``Oracle``'s.
    """

    def __init__(
        self,
        objective=None,
        max_epochs=100,
        factor=3,
        hyperband_iterations=1,
        seed=None,
        hyperparameters=None,
        allow_new_entries=True,
        tune_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
    ):
        super().__init__(
            objective=objective,
            hyperparameters=hyperparameters,
            allow_new_entries=allow_new_entries,
            tune_new_entries=tune_new_entries,
            seed=seed,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )
        if factor < 2:
            raise ValueError("factor needs to be a int larger than 1.")
        self.hyperband_iterations = hyperband_iterations or float("inf")
        self.max_epochs = max_epochs
        self.min_epochs = 1
        self.factor = factor
        self._current_iteration = 0
        self._current_bracket = self._get_num_brackets() - 1  # the most aggressive first
        self._brackets = []
        self._start_new_bracket()

    def populate_space(self, trial_id):
        self._remove_completed_brackets()
        for bracket in self._brackets:
            num = bracket["bracket_num"]
            rounds = bracket["rounds"]
            if len(rounds[0]) < self._get_size(num, 0):
                return self._random_trial(trial_id, bracket)
            for round_num in range(1, len(rounds)):
                info = rounds[round_num]
                past_info = rounds[round_num - 1]
                size = self._get_size(num, round_num)
                past_size = self._get_size(num, round_num - 1)
                selected = [i["past_id"] for i in info]
                candidates = [self.trials[i["id"]] for i in past_info if i["id"] not in selected]
                candidates = [
                    t for t in candidates if t.status == trial_module.TrialStatus.COMPLETED
                ]
                # once more trials finished than the round drops, the best one moves up
                if len(candidates) > past_size - size:
                    best = sorted(
                        candidates, key=lambda t: t.score, reverse=self.objective.direction == "max"
                    )[0]
                    values = best.hyperparameters.values.copy()
                    values["tuner/trial_id"] = best.trial_id
                    values["tuner/epochs"] = self._get_epochs(num, round_num)
                    values["tuner/initial_epoch"] = self._get_epochs(num, round_num - 1)
                    values["tuner/bracket"] = self._current_bracket
                    values["tuner/round"] = round_num
                    info.append({"past_id": best.trial_id, "id": trial_id})
                    return {"status": trial_module.TrialStatus.RUNNING, "values": values}
        if self._current_bracket == 0 and self._current_iteration + 1 >= self.hyperband_iterations:
            if self.ongoing_trials:  # wait for the running brackets to finish
                return {"status": trial_module.TrialStatus.IDLE}
            self._increment_bracket_num()
            return {"status": trial_module.TrialStatus.STOPPED}
        self._increment_bracket_num()
        self._start_new_bracket()
        return self._random_trial(trial_id, self._brackets[-1])

    def _start_new_bracket(self):
        rounds = [[] for _ in range(self._get_num_rounds(self._current_bracket))]
        self._brackets.append({"bracket_num": self._current_bracket, "rounds": rounds})

    def _increment_bracket_num(self):
        self._current_bracket -= 1
        if self._current_bracket < 0:
            self._current_bracket = self._get_num_brackets() - 1
            self._current_iteration += 1
            if self._current_iteration > self.hyperband_iterations:
                self._current_bracket = 0

    def _remove_completed_brackets(self):
        def incomplete(bracket):
            last = len(bracket["rounds"]) - 1
            return len(bracket["rounds"][last]) != self._get_size(bracket["bracket_num"], last)

        self._brackets = [b for b in self._brackets if incomplete(b)]

    def _random_trial(self, trial_id, bracket):
        values = self._random_values()
        if values:
            values["tuner/epochs"] = self._get_epochs(bracket["bracket_num"], 0)
            values["tuner/initial_epoch"] = 0
            values["tuner/bracket"] = self._current_bracket
            values["tuner/round"] = 0
            bracket["rounds"][0].append({"past_id": None, "id": trial_id})
            return {"status": trial_module.TrialStatus.RUNNING, "values": values}
        if self.ongoing_trials:
            return {"status": trial_module.TrialStatus.IDLE}
        return {"status": trial_module.TrialStatus.STOPPED}

    def _get_size(self, bracket_num, round_num):
        # every bracket spends about the same number of epochs
        bracket0_end_size = math.ceil(1 + math.log(self.max_epochs, self.factor))
        end_size = bracket0_end_size / (bracket_num + 1)
        return math.ceil(end_size * self.factor ** (bracket_num - round_num))

    def _get_epochs(self, bracket_num, round_num):
        return math.ceil(self.max_epochs / self.factor ** (bracket_num - round_num))

    def _get_num_rounds(self, bracket_num):
        return bracket_num + 1

    def _get_num_brackets(self):
        epochs, brackets = self.max_epochs, 0
        while epochs >= self.min_epochs:
            epochs = epochs / self.factor
            brackets += 1
        return brackets

    def get_state(self):
        state = super().get_state()
        state.update(
            {
                "hyperband_iterations": self.hyperband_iterations,
                "max_epochs": self.max_epochs,
                "min_epochs": self.min_epochs,
                "factor": self.factor,
                "brackets": self._brackets,
                "current_bracket": self._current_bracket,
                "current_iteration": self._current_iteration,
            }
        )
        return state

    def set_state(self, state):
        super().set_state(state)
        self.hyperband_iterations = state["hyperband_iterations"]
        self.max_epochs = state["max_epochs"]
        self.min_epochs = state["min_epochs"]
        self.factor = state["factor"]
        self._brackets = state["brackets"]
        self._current_bracket = state["current_bracket"]
        self._current_iteration = state["current_iteration"]


class Hyperband(tuner_module.Tuner):
    """The Hyperband tuner: ``search`` trains each trial for ``tuner/epochs`` epochs (from
    ``tuner/initial_epoch``, on the weights of the trial it continues); the ``epochs`` passed to
    ``search`` are replaced.

    Args:
        hypermodel: a ``HyperModel`` or a callable ``build(hp)``.
        objective: the metric to optimize.
        max_epochs: the most epochs one model is trained (default 100).
        factor: the reduction factor (default 3).
        hyperband_iterations: how many times to run the algorithm (default 1).
        The other arguments are ``HyperbandOracle``'s and ``Tuner``'s.
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_epochs=100,
        factor=3,
        hyperband_iterations=1,
        seed=None,
        hyperparameters=None,
        tune_new_entries=True,
        allow_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
        **kwargs,
    ):
        oracle = HyperbandOracle(
            objective,
            max_epochs=max_epochs,
            factor=factor,
            hyperband_iterations=hyperband_iterations,
            seed=seed,
            hyperparameters=hyperparameters,
            tune_new_entries=tune_new_entries,
            allow_new_entries=allow_new_entries,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )
        super().__init__(oracle=oracle, hypermodel=hypermodel, **kwargs)

    def run_trial(self, trial, *fit_args, **fit_kwargs):
        hp = trial.hyperparameters
        if "tuner/epochs" in hp.values:
            fit_kwargs["epochs"] = hp.values["tuner/epochs"]
            fit_kwargs["initial_epoch"] = hp.values["tuner/initial_epoch"]
        return super().run_trial(trial, *fit_args, **fit_kwargs)

    def _build_hypermodel(self, hp):
        model = super()._build_hypermodel(hp)
        if "tuner/trial_id" in hp.values:
            trial_id = hp.values["tuner/trial_id"]
            fname = self._get_build_config_fname(trial_id)
            if not getattr(model, "built", True) and hasattr(model, "build_from_config"):
                import os

                if os.path.exists(fname):
                    model.build_from_config(utils.load_json(fname))
            model.load_weights(self._get_checkpoint_fname(trial_id))
        return model
