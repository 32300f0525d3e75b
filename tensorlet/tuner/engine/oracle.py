"""The oracle: proposes hyperparameter values, records trials, keeps the search state.

Subclasses implement ``populate_space(trial_id)`` (random search, Hyperband, grid, Bayesian).
The oracle writes ``<directory>/<project_name>/oracle.json`` and one
``trial_<id>/trial.json`` per trial, in keras_tuner's JSON layout, and prints the search's
progress (``Search: Running Trial #1`` ...).
"""

import collections
import functools
import hashlib
import os
import random
import threading
from datetime import datetime

from tensorlet.tuner import utils
from tensorlet.tuner.engine import hyperparameters as hp_module
from tensorlet.tuner.engine import objective as obj_module
from tensorlet.tuner.engine import stateful
from tensorlet.tuner.engine import trial as trial_module

Objective = obj_module.Objective

_LOCKS = collections.defaultdict(threading.RLock)


def synchronized(func):
    """Serializes calls of the decorated ``Oracle`` methods per oracle (reentrant, so an
    overriding method may call the decorated base method)."""

    @functools.wraps(func)
    def wrapped(self, *args, **kwargs):
        with _LOCKS[id(self)]:
            return func(self, *args, **kwargs)

    return wrapped


class Display(stateful.Stateful):
    """Prints the start and end of each trial (with ``verbose >= 1``)."""

    def __init__(self, oracle, verbose=1):
        self.verbose = verbose
        self.oracle = oracle
        self.col_width = 18
        self.search_start = None
        self.trial_start = {}  # trial_id -> datetime
        self.trial_number = {}  # trial_id -> 1-based number

    def get_state(self):
        return {
            "search_start": self.search_start.isoformat() if self.search_start else None,
            "trial_start": {k: v.isoformat() for k, v in self.trial_start.items()},
            "trial_number": self.trial_number,
        }

    def set_state(self, state):
        start = state["search_start"]
        self.search_start = datetime.fromisoformat(start) if start is not None else None
        self.trial_start = {k: datetime.fromisoformat(v) for k, v in state["trial_start"].items()}
        self.trial_number = state["trial_number"]

    def on_trial_begin(self, trial):
        if self.verbose < 1:
            return
        start = datetime.now()
        self.trial_start[trial.trial_id] = start
        if self.search_start is None:
            self.search_start = start
        number = len(self.oracle.trials)
        self.trial_number[trial.trial_id] = number
        print()
        print(f"Search: Running Trial #{number}")
        print()
        self.show_hyperparameter_table(trial)
        print()

    def on_trial_end(self, trial):
        if self.verbose < 1:
            return
        utils.try_clear()
        taken = self.format_duration(datetime.now() - self.trial_start[trial.trial_id])
        print(f"Trial {self.trial_number[trial.trial_id]} Complete [{taken}]")
        if trial.score is not None:
            print(f"{self.oracle.objective.name}: {trial.score}")
        print()
        best = self.oracle.get_best_trials()
        best_score = best[0].score if best else None
        print(f"Best {self.oracle.objective.name} So Far: {best_score}")
        print(f"Total elapsed time: {self.format_duration(datetime.now() - self.search_start)}")

    def show_hyperparameter_table(self, trial):
        template = f"{{0:{self.col_width}}}|{{1:{self.col_width}}}|{{2}}"
        best = self.oracle.get_best_trials()
        best_trial = best[0] if best else None
        if not trial.hyperparameters.values:
            print("default configuration")
            return
        print(template.format("Value", "Best Value So Far", "Hyperparameter"))
        for name, value in trial.hyperparameters.values.items():
            best_value = best_trial.hyperparameters.values.get(name) if best_trial else "?"
            print(template.format(self.format_value(value), self.format_value(best_value), name))

    def format_value(self, val):
        if isinstance(val, (int, float)) and not isinstance(val, bool):
            return f"{val:.5g}"
        text = str(val)
        if len(text) > self.col_width:
            text = text[: self.col_width - 3] + "..."
        return text

    @staticmethod
    def format_duration(d):
        s = _py_round(d.total_seconds())
        days, s = divmod(s, 86400)
        h, s = divmod(s, 3600)
        m, s = divmod(s, 60)
        if days > 0:
            return f"{days:d}d {h:02d}h {m:02d}m {s:02d}s"
        return f"{h:02d}h {m:02d}m {s:02d}s"


_py_round = round


class Oracle(stateful.Stateful):
    """Implements a hyperparameter search algorithm.

    Args:
        objective: a metric name, an ``Objective``, or a list of them (their sum is optimized);
            optional when ``run_trial``/``HyperModel.fit`` return a single float to minimize.
        max_trials: the most trials to run (``None``: until the algorithm stops).
        hyperparameters: a ``HyperParameters`` to register (or override) entries in advance.
        allow_new_entries: whether the hypermodel may request entries not in
            ``hyperparameters``.
        tune_new_entries: whether such new entries are tuned (else they keep their defaults).
        seed: the random seed (default: drawn from Python's ``random``).
        max_retries_per_trial: how many times an invalid (crashed) trial is retried.
        max_consecutive_failed_trials: the search stops with a ``RuntimeError`` after this many
            failed trials in a row.
    """

    def __init__(
        self,
        objective=None,
        max_trials=None,
        hyperparameters=None,
        allow_new_entries=True,
        tune_new_entries=True,
        seed=None,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
    ):
        self.objective = obj_module.create_objective(objective)
        self.max_trials = max_trials
        if not hyperparameters:
            if not tune_new_entries:
                raise ValueError(
                    "If you set `tune_new_entries=False`, you must specify the search space "
                    "via the `hyperparameters` argument."
                )
            if not allow_new_entries:
                raise ValueError(
                    "If you set `allow_new_entries=False`, you must specify the search space "
                    "via the `hyperparameters` argument."
                )
            self.hyperparameters = hp_module.HyperParameters()
        else:
            self.hyperparameters = hyperparameters
        self.allow_new_entries = allow_new_entries
        self.tune_new_entries = tune_new_entries

        self.trials = {}  # trial_id -> Trial
        self.ongoing_trials = {}  # tuner_id -> Trial
        self.start_order = []
        self.end_order = []
        self._run_times = collections.defaultdict(int)
        self._retry_queue = []
        self.tuner_ids = set()

        self.seed = seed or random.randint(1, 10000)
        self._seed_state = self.seed
        self._tried_so_far = set()
        self._id_to_hash = collections.defaultdict(lambda: None)
        self._max_collisions = 20

        self._directory = None
        self._project_name = None
        self.multi_worker = False
        self.should_report = True

        self.max_retries_per_trial = max_retries_per_trial
        self.max_consecutive_failed_trials = max_consecutive_failed_trials
        self._display = Display(oracle=self)

    @property
    def verbose(self):
        return self._display.verbose

    @verbose.setter
    def verbose(self, value):
        self._display.verbose = 1 if value == "auto" else value

    # ---- to implement

    def populate_space(self, trial_id):
        """Values for a new trial: ``{"status": "RUNNING", "values": {...}}``, or status
        ``"IDLE"`` (wait) / ``"STOPPED"`` (the search is over)."""
        raise NotImplementedError

    def score_trial(self, trial):
        """Sets ``trial.score`` / ``trial.best_step`` from its metrics."""
        trial.score = trial.metrics.get_best_value(self.objective.name)
        trial.best_step = trial.metrics.get_best_step(self.objective.name)

    # ---- the trial protocol

    @synchronized
    def create_trial(self, tuner_id):
        """A new ``Trial`` for the tuner ``tuner_id`` (status ``STOPPED`` when the search is
        over)."""
        if tuner_id in self.ongoing_trials:
            return self.ongoing_trials[tuner_id]
        self.tuner_ids.add(tuner_id)

        if self._retry_queue:
            trial = self.trials[self._retry_queue.pop()]
            trial.status = trial_module.TrialStatus.RUNNING
            self.ongoing_trials[tuner_id] = trial
            self.save()
            self._display.on_trial_begin(trial)
            return trial

        trial_id = f"{{:0{len(str(self.max_trials))}d}}".format(len(self.trials))
        if self.max_trials and len(self.trials) >= self.max_trials:
            status, values = trial_module.TrialStatus.STOPPED, None
        else:
            response = self.populate_space(trial_id)
            status = response["status"]
            values = response.get("values")

        hyperparameters = self.hyperparameters.copy()
        hyperparameters.values = values or {}
        trial = trial_module.Trial(
            hyperparameters=hyperparameters, trial_id=trial_id, status=status
        )
        if status == trial_module.TrialStatus.RUNNING:
            self._record_values(trial)
            self.ongoing_trials[tuner_id] = trial
            self.trials[trial_id] = trial
            self.start_order.append(trial_id)
            self._save_trial(trial)
            self.save()
            self._display.on_trial_begin(trial)
        if status == trial_module.TrialStatus.STOPPED:
            self.tuner_ids.discard(tuner_id)
        return trial

    @synchronized
    def update_trial(self, trial_id, metrics, step=0):
        """Records reported ``metrics`` (a dict) of a running trial at ``step``."""
        trial = self.trials[trial_id]
        self._check_objective_found(metrics)
        for name, value in metrics.items():
            if not trial.metrics.exists(name):
                trial.metrics.register(name, direction=_direction_of(self.objective, name))
            trial.metrics.update(name, value, step=step)
        self._save_trial(trial)
        return trial

    @synchronized
    def end_trial(self, trial):
        """Ends ``trial`` (status ``COMPLETED``, ``INVALID`` or ``FAILED``): scores it, sends
        it for a retry if needed, saves and prints the result.

        Raises ``RuntimeError`` after ``max_consecutive_failed_trials`` failures in a row.
        """
        old = self.trials[trial.trial_id]
        old.hyperparameters = trial.hyperparameters
        old.status = trial.status
        old.message = trial.message
        trial = old

        self.update_space(trial.hyperparameters)
        if trial.status == trial_module.TrialStatus.COMPLETED:
            self.score_trial(trial)
            if trial.score is None or trial.score != trial.score:  # NaN
                trial.status = trial_module.TrialStatus.INVALID
        self._record_values(trial)
        self._run_times[trial.trial_id] += 1
        if not self._retry(trial):
            self.end_order.append(trial.trial_id)
            self._check_consecutive_failures()
        self._save_trial(trial)
        self.save()
        self._display.on_trial_end(trial)
        for tuner_id, ongoing in list(self.ongoing_trials.items()):
            if ongoing.trial_id == trial.trial_id:
                self.ongoing_trials.pop(tuner_id)
                break

    def _retry(self, trial):
        if trial.status != trial_module.TrialStatus.INVALID:
            return False
        max_runs = self.max_retries_per_trial + 1
        runs = self._run_times[trial.trial_id]
        if runs >= max_runs:
            trial.status = trial_module.TrialStatus.FAILED
            return False
        print(f"Trial {trial.trial_id} failed {runs} times. {max_runs - runs} retries left.")
        self._retry_queue.append(trial.trial_id)
        return True

    def _check_consecutive_failures(self):
        failures = 0
        for trial_id in self.end_order:
            trial = self.trials[trial_id]
            failures = failures + 1 if trial.status == trial_module.TrialStatus.FAILED else 0
            if failures == self.max_consecutive_failed_trials:
                raise RuntimeError(
                    "Number of consecutive failures exceeded the limit "
                    f"of {self.max_consecutive_failed_trials}.\n" + (trial.message or "")
                )

    def _check_objective_found(self, metrics):
        if isinstance(self.objective, obj_module.MultiObjective):
            names = list(self.objective.name_to_direction)
        else:
            names = [self.objective.name]
        missing = [n for n in names if n not in metrics]
        if missing:
            raise ValueError(
                "Objective value missing in metrics reported to the Oracle, "
                f"expected: {missing}, found: {metrics.keys()}"
            )

    # ---- the space

    def get_space(self):
        """A copy of the search space."""
        return self.hyperparameters.copy()

    def update_space(self, hyperparameters):
        """Adds the entries of ``hyperparameters`` not yet in the space."""
        new = [
            hp
            for hp in hyperparameters.space
            if not self.hyperparameters._exists(hp.name, hp.conditions)
        ]
        if new and not self.allow_new_entries:
            raise RuntimeError(f"`allow_new_entries` is `False`, but found new entries {new}")
        if not self.tune_new_entries:
            return
        self.hyperparameters.merge(new)

    def get_trial(self, trial_id):
        return self.trials[trial_id]

    def get_best_trials(self, num_trials=1):
        """The best completed trials (then the others), best first."""
        done = [t for t in self.trials.values() if t.status == trial_module.TrialStatus.COMPLETED]
        ranked = sorted(done, key=lambda t: t.score, reverse=self.objective.direction == "max")
        if len(ranked) < num_trials:
            ranked += [
                t for t in self.trials.values() if t.status != trial_module.TrialStatus.COMPLETED
            ]
        return ranked[:num_trials]

    def remaining_trials(self):
        return self.max_trials - len(self.trials) if self.max_trials else None

    # ---- random values

    def _random_values(self):
        """Random values for the active entries, different from every earlier trial (``None``
        when 20 draws in a row collided: the space is exhausted)."""
        collisions = 0
        while True:
            hps = hp_module.HyperParameters()
            for hp in self.hyperparameters.space:
                hps.merge([hp])
                if hps.is_active(hp):
                    hps.values[hp.name] = hp.random_sample(self._seed_state)
                    self._seed_state += 1
            if self._duplicate(hps.values):
                collisions += 1
                if collisions > self._max_collisions:
                    return None
                continue
            return hps.values

    def _compute_values_hash(self, values):
        s = "".join(f"{k}={values[k]}" for k in sorted(values))
        return hashlib.sha256(s.encode("utf-8")).hexdigest()[:32]

    def _duplicate(self, values):
        return self._compute_values_hash(values) in self._tried_so_far

    def _record_values(self, trial):
        hps = trial.hyperparameters
        hps.ensure_active_values()
        new_hash = self._compute_values_hash(hps.values)
        self._tried_so_far.add(new_hash)
        old_hash = self._id_to_hash[trial.trial_id]
        if old_hash != new_hash:
            self._id_to_hash[trial.trial_id] = new_hash
            self._tried_so_far.discard(old_hash)

    # ---- state

    def get_state(self):
        return {
            "ongoing_trials": {tid: t.trial_id for tid, t in self.ongoing_trials.items()},
            "hyperparameters": self.hyperparameters.get_config(),
            "start_order": self.start_order,
            "end_order": self.end_order,
            "run_times": self._run_times,
            "retry_queue": self._retry_queue,
            "seed": self.seed,
            "seed_state": self._seed_state,
            "tried_so_far": list(self._tried_so_far),
            "id_to_hash": self._id_to_hash,
            "display": self._display.get_state(),
        }

    def set_state(self, state):
        self.ongoing_trials = {
            tid: self.trials[trial_id] for tid, trial_id in state["ongoing_trials"].items()
        }
        self.hyperparameters = hp_module.HyperParameters.from_config(state["hyperparameters"])
        self.start_order = state["start_order"]
        self.end_order = state["end_order"]
        self._run_times = collections.defaultdict(int)
        self._run_times.update(state["run_times"])
        self._retry_queue = state["retry_queue"]
        self.seed = state["seed"]
        self._seed_state = state["seed_state"]
        self._tried_so_far = set(state["tried_so_far"])
        self._id_to_hash = collections.defaultdict(lambda: None)
        self._id_to_hash.update(state["id_to_hash"])
        self._display.set_state(state["display"])

    def _set_project_dir(self, directory, project_name, overwrite=False):
        """Sets where the state lives; reloads an existing project unless ``overwrite``."""
        self._directory = directory
        self._project_name = project_name
        if not overwrite and os.path.exists(self._get_oracle_fname()):
            print(f"Reloading Oracle from existing project {self._get_oracle_fname()}")
            self.reload()

    @property
    def _project_dir(self):
        dirname = os.path.join(str(self._directory), self._project_name)
        utils.create_directory(dirname)
        return dirname

    def save(self):
        super().save(self._get_oracle_fname())

    def reload(self):
        import glob

        for fname in sorted(glob.glob(os.path.join(self._project_dir, "trial_*", "trial.json"))):
            trial = trial_module.Trial.load(fname)
            self.trials[trial.trial_id] = trial
        try:
            super().reload(self._get_oracle_fname())
        except KeyError as e:
            raise RuntimeError(
                "Error reloading `Oracle` from existing project. If you did not mean to reload "
                "from an existing project, change the `project_name` or pass `overwrite=True` "
                f"when creating the `Tuner`. Found existing project at: {self._project_dir}"
            ) from e
        # trials that were running when the search stopped are run again
        for trial in self.ongoing_trials.values():
            self._retry_queue.append(trial.trial_id)
        self.ongoing_trials = {}

    def _get_oracle_fname(self):
        return os.path.join(self._project_dir, "oracle.json")

    def _get_trial_dir(self, trial_id):
        dirname = os.path.join(self._project_dir, f"trial_{trial_id}")
        utils.create_directory(dirname)
        return dirname

    def _save_trial(self, trial):
        trial.save(os.path.join(self._get_trial_dir(trial.trial_id), "trial.json"))


def _direction_of(objective, metric_name):
    objectives = (
        objective.objectives if isinstance(objective, obj_module.MultiObjective) else [objective]
    )
    return next((o.direction for o in objectives if o.name == metric_name), None)
