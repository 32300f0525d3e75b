"""The built-in oracles (``keras_tuner.oracles``)."""

from tensorlet.tuner.tuners.bayesian import BayesianOptimizationOracle
from tensorlet.tuner.tuners.gridsearch import GridSearchOracle
from tensorlet.tuner.tuners.hyperband import HyperbandOracle
from tensorlet.tuner.tuners.randomsearch import RandomSearchOracle

__all__ = [
    "BayesianOptimizationOracle",
    "GridSearchOracle",
    "HyperbandOracle",
    "RandomSearchOracle",
]
