"""Pruning schedules: at training step ``step``, whether to prune and to which sparsity.

``schedule(step)`` returns ``(should_prune, sparsity)`` as a bool tensor and a float32 tensor.
Pruning happens on the steps ``begin_step, begin_step + frequency, ...`` up to ``end_step``
(``-1``: forever, where the schedule allows it).
"""

import abc

from tensorlet.framework import dtypes
from tensorlet.ops import array_creation_ops, cast_ops, comparison_ops, math_ops


class PruningSchedule(abc.ABC):
    """Specifies when to prune a layer and the sparsity (fraction of zeros) at each step.

    Subclasses implement ``__call__(step) -> (should_prune, sparsity)`` and ``get_config``.
    """

    def _should_prune_in_step(self, step, begin_step, end_step, frequency):
        """True on the steps in ``[begin_step, end_step]`` that are ``frequency`` apart."""
        in_range = comparison_ops.logical_and(
            comparison_ops.greater_equal(step, begin_step),
            # a negative end_step prunes forever
            comparison_ops.logical_or(
                comparison_ops.less_equal(step, end_step), comparison_ops.less(end_step, 0)
            ),
        )
        is_turn = comparison_ops.equal(
            math_ops.floormod(math_ops.subtract(step, begin_step), frequency), 0
        )
        return comparison_ops.logical_and(in_range, is_turn)

    def _validate_step(self, begin_step, end_step, frequency, allow_negative_1):
        if begin_step < 0:
            raise ValueError("begin_step should be >= 0")
        # a decaying schedule needs an end step
        if not allow_negative_1 and end_step == -1:
            raise ValueError("end_step cannot be -1.")
        if end_step != -1:
            if end_step < 0:
                raise ValueError("end_step can be -1 or >= 0")
            if end_step < begin_step:
                raise ValueError("begin_step should be <= end_step if end_step != -1")
        if frequency <= 0:
            raise ValueError("frequency should be > 0")

    def _validate_sparsity(self, sparsity, variable_name):
        if not 0.0 <= sparsity < 1.0:
            raise ValueError(f"{variable_name} must be in range [0,1)")

    @abc.abstractmethod
    def __call__(self, step):
        """``(should_prune, sparsity)`` at training step ``step``."""
        raise NotImplementedError("PruningSchedule implementation must override __call__")

    @abc.abstractmethod
    def get_config(self):
        raise NotImplementedError("PruningSchedule implementation override get_config")

    @classmethod
    def from_config(cls, config):
        """The schedule of ``config`` (the ``'config'`` part of ``get_config()``)."""
        return cls(**config)


class ConstantSparsity(PruningSchedule):
    """Prunes to ``target_sparsity`` every ``frequency`` steps from ``begin_step`` to
    ``end_step`` (``-1``: until the end of training).

    Example:
        >>> schedule = ConstantSparsity(0.5, begin_step=0, frequency=10)
        >>> [bool(schedule(tf.constant(s, tf.int64))[0]) for s in (0, 5, 10)]
        [True, False, True]
    """

    def __init__(self, target_sparsity, begin_step, end_step=-1, frequency=100):
        self.target_sparsity = target_sparsity
        self.begin_step = begin_step
        self.end_step = end_step
        self.frequency = frequency
        self._validate_step(self.begin_step, self.end_step, self.frequency, True)
        self._validate_sparsity(target_sparsity, "target_sparsity")

    def __call__(self, step):
        return (
            self._should_prune_in_step(step, self.begin_step, self.end_step, self.frequency),
            array_creation_ops.constant(self.target_sparsity, dtype=dtypes.float32),
        )

    def get_config(self):
        return {
            "class_name": self.__class__.__name__,
            "config": {
                "target_sparsity": self.target_sparsity,
                "begin_step": self.begin_step,
                "end_step": self.end_step,
                "frequency": self.frequency,
            },
        }


class PolynomialDecay(PruningSchedule):
    """Sparsity rising from ``initial_sparsity`` to ``final_sparsity`` between ``begin_step``
    and ``end_step``, fast at first then levelling off
    (`Zhu & Gupta, 2017 <https://arxiv.org/abs/1710.01878>`_)::

        sparsity = final + (initial - final) * (1 - (step - begin) / (end - begin)) ** power

    Example:
        >>> schedule = PolynomialDecay(0.5, 0.9, begin_step=0, end_step=1000)
        >>> round(float(schedule(tf.constant(100, tf.int64))[1]), 4)
        0.6084
    """

    def __init__(
        self, initial_sparsity, final_sparsity, begin_step, end_step, power=3, frequency=100
    ):
        self.initial_sparsity = initial_sparsity
        self.final_sparsity = final_sparsity
        self.power = power
        self.begin_step = begin_step
        self.end_step = end_step
        self.frequency = frequency
        self._validate_step(self.begin_step, self.end_step, self.frequency, False)
        self._validate_sparsity(initial_sparsity, "initial_sparsity")
        self._validate_sparsity(final_sparsity, "final_sparsity")

    def __call__(self, step):
        elapsed = cast_ops.cast(math_ops.subtract(step, self.begin_step), dtypes.float32)
        p = math_ops.minimum(
            1.0, math_ops.maximum(0.0, math_ops.divide(elapsed, self.end_step - self.begin_step))
        )
        sparsity = math_ops.add(
            math_ops.multiply(
                self.initial_sparsity - self.final_sparsity, math_ops.pow(1 - p, self.power)
            ),
            self.final_sparsity,
            name="sparsity",
        )
        return (
            self._should_prune_in_step(step, self.begin_step, self.end_step, self.frequency),
            sparsity,
        )

    def get_config(self):
        return {
            "class_name": self.__class__.__name__,
            "config": {
                "initial_sparsity": self.initial_sparsity,
                "final_sparsity": self.final_sparsity,
                "power": self.power,
                "begin_step": self.begin_step,
                "end_step": self.end_step,
                "frequency": self.frequency,
            },
        }
