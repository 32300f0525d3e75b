"""The built-in tuners (``keras_tuner.tuners``)."""

from tensorlet.tuner.tuners.bayesian import BayesianOptimization
from tensorlet.tuner.tuners.gridsearch import GridSearch
from tensorlet.tuner.tuners.hyperband import Hyperband
from tensorlet.tuner.tuners.randomsearch import RandomSearch

__all__ = ["BayesianOptimization", "GridSearch", "Hyperband", "RandomSearch"]
