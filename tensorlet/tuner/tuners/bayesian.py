"""Bayesian optimization with a Gaussian process (Matern 5/2 kernel) and a lower-confidence-
bound acquisition.

The first ``num_initial_points`` trials are random; afterwards a Gaussian process is fitted to
the completed trials (each embedded in the unit cube through ``value_to_prob``) and the next
trial minimizes ``mean - beta * std`` of its prediction. keras_tuner minimizes the acquisition
with L-BFGS-B from 50 random starts; here it is minimized over a few thousand random points
plus local perturbations of the best ones (no SciPy needed), which finds the same kind of
optimum on these low-dimensional spaces.
"""

import math

from tensorlet.backend import xp
from tensorlet.tuner.engine import hyperparameters as hp_module
from tensorlet.tuner.engine import oracle as oracle_module
from tensorlet.tuner.engine import trial as trial_module
from tensorlet.tuner.engine import tuner as tuner_module

_SQRT5 = math.sqrt(5.0)


def _matern52(a, b, length_scale=1.0):
    d = xp.sqrt(xp.maximum(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1), 0.0)) / length_scale
    return (1.0 + _SQRT5 * d + 5.0 / 3.0 * d**2) * xp.exp(-_SQRT5 * d)


class GaussianProcessRegressor:
    """A Gaussian process with a Matern 5/2 kernel, ``alpha`` added to the diagonal and
    normalized targets."""

    def __init__(self, alpha=1e-4, length_scale=1.0):
        self.alpha = alpha
        self.length_scale = length_scale

    def fit(self, x, y):
        x = xp.asarray(x, dtype="float64")
        y = xp.asarray(y, dtype="float64")
        self._x = x
        self._y_mean = float(y.mean())
        std = float(y.std())
        self._y_std = std if std > 0 else 1.0
        yn = (y - self._y_mean) / self._y_std
        k = _matern52(x, x, self.length_scale) + self.alpha * xp.eye(len(x))
        self._chol = xp.linalg.cholesky(k)
        self._weights = xp.linalg.solve(self._chol.T, xp.linalg.solve(self._chol, yn))
        return self

    def predict(self, x, return_std=False):
        x = xp.asarray(x, dtype="float64")
        ks = _matern52(x, self._x, self.length_scale)
        mean = ks @ self._weights * self._y_std + self._y_mean
        if not return_std:
            return mean
        v = xp.linalg.solve(self._chol, ks.T)
        var = xp.maximum(1.0 - (v**2).sum(0), 0.0)
        return mean, xp.sqrt(var) * self._y_std


class BayesianOptimizationOracle(oracle_module.Oracle):
    """Bayesian optimization oracle.

    Args:
        objective: the metric to optimize.
        max_trials: the number of trials (default 10).
        num_initial_points: random trials before the Gaussian process is used (default: 3 times
            the number of tuned entries, at least 3).
        alpha: the noise added to the kernel's diagonal (default 1e-4).
        beta: the exploration weight of the acquisition ``mean - beta * std`` (default 2.6).
        The other arguments are ``Oracle``'s.
    """

    def __init__(
        self,
        objective=None,
        max_trials=10,
        num_initial_points=None,
        alpha=1e-4,
        beta=2.6,
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
        self.num_initial_points = num_initial_points
        self.alpha = alpha
        self.beta = beta
        self._random_state = xp.random.RandomState(self.seed)
        self.gpr = GaussianProcessRegressor(alpha=self.alpha)

    def _nonfixed_space(self):
        return [hp for hp in self.hyperparameters.space if not isinstance(hp, hp_module.Fixed)]

    def populate_space(self, trial_id):
        completed = [
            t for t in self.trials.values() if t.status == trial_module.TrialStatus.COMPLETED
        ]
        dims = len(self.hyperparameters.space)
        initial = self.num_initial_points or max(3 * dims, 3)
        if len(completed) < initial or not self._nonfixed_space():
            return self._random_populate_space()
        x, y = self._vectorize_trials()
        x = xp.nan_to_num(x, posinf=0, neginf=0)
        y = xp.nan_to_num(y, posinf=0, neginf=0)
        self.gpr.fit(x, y)
        for vector in self._acquisition_ranking(x):
            values = self._vector_to_values(vector)
            if not self._duplicate(values):
                return {"status": trial_module.TrialStatus.RUNNING, "values": values}
        return self._random_populate_space()

    def _acquisition_ranking(self, x_seen, num_random=2000, num_local=500):
        """Candidate vectors, best acquisition first."""
        dims = x_seen.shape[1]
        rng = self._random_state
        candidates = [rng.uniform(0.0, 1.0, size=(num_random, dims))]
        # local perturbations of the best observed points
        mean = self.gpr.predict(x_seen)
        best = x_seen[xp.argsort(mean)[:5]]
        picks = best[rng.randint(0, len(best), size=num_local)]
        candidates.append(xp.clip(picks + rng.normal(0.0, 0.05, size=picks.shape), 0.0, 1 - 1e-9))
        candidates = xp.concatenate(candidates)
        mu, sigma = self.gpr.predict(candidates, return_std=True)
        order = xp.argsort(mu - self.beta * sigma)
        return candidates[order[:200]]

    def _random_populate_space(self):
        values = self._random_values()
        if values is None:
            return {"status": trial_module.TrialStatus.STOPPED, "values": None}
        return {"status": trial_module.TrialStatus.RUNNING, "values": values}

    def _vectorize_trials(self):
        x, y = [], []
        ongoing = {t.trial_id for t in self.ongoing_trials.values()}
        for trial in self.trials.values():
            if trial.trial_id in ongoing or trial.status != trial_module.TrialStatus.COMPLETED:
                continue
            hps = trial.hyperparameters
            vector = []
            for hp in self._nonfixed_space():
                if hps.is_active(hp) and hp.name in hps.values:
                    value = hps.values[hp.name]
                else:
                    value = hp.default
                vector.append(hp.value_to_prob(value))
            score = trial.score
            if self.objective.direction == "max":
                score = -score
            x.append(vector)
            y.append(score)
        return xp.asarray(x, dtype="float64"), xp.asarray(y, dtype="float64")

    def _vector_to_values(self, vector):
        hps = hp_module.HyperParameters()
        i = 0
        for hp in self.hyperparameters.space:
            hps.merge([hp])
            if isinstance(hp, hp_module.Fixed):
                value = hp.value
            else:
                value = hp.prob_to_value(float(vector[i]))
                i += 1
            if hps.is_active(hp):
                hps.values[hp.name] = value
        return hps.values

    def get_state(self):
        state = super().get_state()
        state.update(
            {"num_initial_points": self.num_initial_points, "alpha": self.alpha, "beta": self.beta}
        )
        return state

    def set_state(self, state):
        super().set_state(state)
        self.num_initial_points = state["num_initial_points"]
        self.alpha = state["alpha"]
        self.beta = state["beta"]
        self._random_state = xp.random.RandomState(self.seed)
        self.gpr = GaussianProcessRegressor(alpha=self.alpha)


class BayesianOptimization(tuner_module.Tuner):
    """The Bayesian-optimization tuner (Gaussian process).

    Args:
        hypermodel: a ``HyperModel`` or a callable ``build(hp)``.
        objective: the metric to optimize.
        max_trials: the number of trials (default 10).
        num_initial_points, alpha, beta: see ``BayesianOptimizationOracle``.
        The other arguments are ``Oracle``'s and ``Tuner``'s.
    """

    def __init__(
        self,
        hypermodel=None,
        objective=None,
        max_trials=10,
        num_initial_points=None,
        alpha=1e-4,
        beta=2.6,
        seed=None,
        hyperparameters=None,
        tune_new_entries=True,
        allow_new_entries=True,
        max_retries_per_trial=0,
        max_consecutive_failed_trials=3,
        **kwargs,
    ):
        oracle = BayesianOptimizationOracle(
            objective=objective,
            max_trials=max_trials,
            num_initial_points=num_initial_points,
            alpha=alpha,
            beta=beta,
            seed=seed,
            hyperparameters=hyperparameters,
            tune_new_entries=tune_new_entries,
            allow_new_entries=allow_new_entries,
            max_retries_per_trial=max_retries_per_trial,
            max_consecutive_failed_trials=max_consecutive_failed_trials,
        )
        super().__init__(oracle=oracle, hypermodel=hypermodel, **kwargs)
