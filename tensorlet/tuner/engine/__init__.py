"""The tuner's engine (``keras_tuner.engine``): hyperparameters, hypermodels, oracles, trials
and the tuner base classes."""
