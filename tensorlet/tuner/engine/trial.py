"""A trial: one set of hyperparameter values, its status, metrics and score."""

import hashlib
import random
import time

from tensorlet.tuner.engine import hyperparameters as hp_module
from tensorlet.tuner.engine import metrics_tracking, stateful


class TrialStatus:
    """The states of a trial (``Oracle.populate_space`` also answers ``IDLE``/``STOPPED``)."""

    RUNNING = "RUNNING"  # being evaluated
    IDLE = "IDLE"  # the oracle is waiting for other trials
    INVALID = "INVALID"  # crashed or gave invalid results; may be retried
    STOPPED = "STOPPED"  # the oracle finished the search
    COMPLETED = "COMPLETED"  # evaluated and scored
    FAILED = "FAILED"  # failed for good (retries exhausted or FailedTrialError)


class Trial(stateful.Stateful):
    """The hyperparameters of one evaluation with what came of it.

    Attributes:
        trial_id: the id (``'0'``, ``'00'`` ... padded to the width of ``max_trials``).
        hyperparameters: a ``HyperParameters`` holding the trial's values.
        metrics: a ``MetricsTracker`` with the reported metrics.
        score: the objective's best value (set when the trial completes).
        best_step: the step (epoch) of that best value.
        status: a ``TrialStatus`` value.
        message: the error (traceback) of a failed or invalid trial.
    """

    def __init__(self, hyperparameters, trial_id=None, status=TrialStatus.RUNNING, message=None):
        self.hyperparameters = hyperparameters
        self.trial_id = generate_trial_id() if trial_id is None else trial_id
        self.metrics = metrics_tracking.MetricsTracker()
        self.score = None
        self.best_step = 0
        self.status = status
        self.message = message

    def summary(self):
        """Prints the trial's id, values, score and message."""
        print(f"Trial {self.trial_id} summary")
        print("Hyperparameters:")
        self.display_hyperparameters()
        if self.score is not None:
            print(f"Score: {self.score}")
        if self.message is not None:
            print(self.message)

    def display_hyperparameters(self):
        if self.hyperparameters.values:
            for hp, value in self.hyperparameters.values.items():
                print(f"{hp}:", value)
        else:
            print("default configuration")

    def get_state(self):
        return {
            "trial_id": self.trial_id,
            "metrics": self.metrics.get_config(),
            "hyperparameters": self.hyperparameters.get_config(),
            "score": self.score,
            "best_step": self.best_step,
            "status": self.status,
            "message": self.message,
        }

    def set_state(self, state):
        self.trial_id = state["trial_id"]
        self.hyperparameters = hp_module.HyperParameters.from_config(state["hyperparameters"])
        self.metrics = metrics_tracking.MetricsTracker.from_config(state["metrics"])
        self.score = state["score"]
        self.best_step = state["best_step"]
        self.status = state["status"]
        self.message = state.get("message")

    @classmethod
    def from_state(cls, state):
        trial = cls(hyperparameters=None)
        trial.set_state(state)
        return trial

    @classmethod
    def load(cls, fname):
        trial = cls(hyperparameters=None)
        trial.reload(fname)
        return trial


def generate_trial_id():
    s = str(time.time()) + str(random.randint(1, int(1e7)))
    return hashlib.sha256(s.encode("utf-8")).hexdigest()[:32]
