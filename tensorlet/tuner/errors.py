"""Errors a hypermodel or a tuner raises to steer the search (``keras_tuner.errors``).

A trial that raises an ordinary exception is marked ``INVALID`` (and retried up to
``max_retries_per_trial`` times); ``FailedTrialError`` marks it ``FAILED`` at once; a
``FatalError`` stops the whole search.
"""


class FailedTrialError(Exception):
    """Raised in ``HyperModel.build()`` / ``fit()`` / ``Tuner.run_trial()`` to fail a trial
    without retries."""


class FatalError(Exception):
    """Stops the search: the error is raised out of ``Tuner.search()``."""


class FatalValueError(FatalError, ValueError):
    """A ``FatalError`` that is also a ``ValueError``."""


class FatalTypeError(FatalError, TypeError):
    """A ``FatalError`` that is also a ``TypeError``."""


class FatalRuntimeError(FatalError, RuntimeError):
    """A ``FatalError`` that is also a ``RuntimeError``."""
