"""tensorlet.tuner: KerasTuner 1.4 (``import keras_tuner as kt``) for tensorlet's Keras.

Hyperparameter search over Keras models: a hypermodel (a ``build(hp)`` function or a
``HyperModel``) declares its search space through ``hp.Int``, ``hp.Float``, ``hp.Choice``,
``hp.Boolean`` and ``hp.Fixed``; a tuner (``RandomSearch``, ``Hyperband``, ``GridSearch``,
``BayesianOptimization``) runs trials with ``search(x, y, ...)`` -- each builds a model and
calls ``model.fit`` -- and keeps the search state in ``<directory>/<project_name>``
(``oracle.json``, ``trial_<id>/trial.json``, checkpoints), so a search resumes where it stopped.

Example:
    >>> import keras_tuner as kt
    >>> def build_model(hp):
    ...     model = keras.Sequential([keras.layers.Dense(hp.Int("units", 32, 512, step=32),
    ...                                                  activation="relu"),
    ...                               keras.layers.Dense(10)])
    ...     model.compile(optimizer="adam", loss="mse")
    ...     return model
    >>> tuner = kt.RandomSearch(build_model, objective="val_loss", max_trials=5)
    >>> tuner.search(x, y, epochs=3, validation_data=(x_val, y_val))
    >>> best_hp = tuner.get_best_hyperparameters()[0]
"""

from tensorlet.tuner import config, engine, errors, oracles, tuners, utils  # noqa: F401
from tensorlet.tuner.engine.base_tuner import BaseTuner
from tensorlet.tuner.engine.hypermodel import HyperModel
from tensorlet.tuner.engine.hyperparameters import HyperParameter, HyperParameters
from tensorlet.tuner.engine.objective import Objective
from tensorlet.tuner.engine.oracle import Oracle, synchronized
from tensorlet.tuner.engine.tuner import Tuner
from tensorlet.tuner.tuners import BayesianOptimization, GridSearch, Hyperband, RandomSearch

__version__ = "1.4.7"

__all__ = [
    "BaseTuner",
    "BayesianOptimization",
    "GridSearch",
    "HyperModel",
    "HyperParameter",
    "HyperParameters",
    "Hyperband",
    "Objective",
    "Oracle",
    "RandomSearch",
    "Tuner",
    "synchronized",
]
