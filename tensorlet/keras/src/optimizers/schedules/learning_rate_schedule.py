"""Learning-rate schedules: ``schedule(step) -> learning rate`` (Keras 3 formulas, float32)."""

import math

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.keras.src.utils.naming import keras_object_repr
from tensorlet.ops import array_ops, comparison_ops, control_flow_ops, math_ops, unary_math_ops


def _cast(x, dtype):
    return backend.cast(x, dtype)


@keras_export("keras.optimizers.schedules.LearningRateSchedule")
class LearningRateSchedule:
    """Base class: subclasses implement ``__call__(step)`` and ``get_config()``."""

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must "
            "override `__call__(self, step)`."
        )

    def get_config(self):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must "
            "override `get_config()` in order to be serializable."
        )

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return keras_object_repr(self)


@keras_export("keras.optimizers.schedules.ExponentialDecay")
class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)`` (floored if staircase)."""

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        decay_rate,
        staircase=False,
        name="ExponentialDecay",
    ):
        if decay_steps <= 0:
            raise ValueError(
                f"Argument `decay_steps` must be > 0. Received: decay_steps={decay_steps}"
            )
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        lr = backend.convert_to_tensor(self.initial_learning_rate)
        dtype = lr.dtype.name
        p = _cast(step, dtype) / _cast(self.decay_steps, dtype)
        if self.staircase:
            p = unary_math_ops.floor(p)
        return math_ops.multiply(lr, math_ops.pow(_cast(self.decay_rate, dtype), p))

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


@keras_export("keras.optimizers.schedules.PiecewiseConstantDecay")
class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[i]`` for ``boundaries[i-1] < step <= boundaries[i]`` (the boundary step keeps the
    earlier value)."""

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of "
                f"values. Received: boundaries={boundaries} of length "
                f"{len(boundaries)}, and values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        x = backend.convert_to_tensor(step)
        boundaries = [_cast(backend.convert_to_tensor(b), x.dtype.name) for b in self.boundaries]
        values = [backend.convert_to_tensor(v) for v in self.values]
        dtype = values[0].dtype.name
        result = _cast(x <= boundaries[0], dtype) * values[0]
        result = result + _cast(x > boundaries[-1], dtype) * values[-1]
        for low, high, value in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            in_range = comparison_ops.logical_and(x > low, x <= high)
            result = result + _cast(in_range, dtype) * value
        return result

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


@keras_export("keras.optimizers.schedules.PolynomialDecay")
class PolynomialDecay(LearningRateSchedule):
    """``(initial - end) * (1 - step / decay_steps) ** power + end``."""

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        end_learning_rate=0.0001,
        power=1.0,
        cycle=False,
        name="PolynomialDecay",
    ):
        if decay_steps <= 0:
            raise ValueError(
                f"Argument `decay_steps` must be > 0. Received: decay_steps={decay_steps}"
            )
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        lr = backend.convert_to_tensor(self.initial_learning_rate)
        dtype = lr.dtype.name
        end = _cast(self.end_learning_rate, dtype)
        power = _cast(self.power, dtype)
        step = _cast(step, dtype)
        decay_steps = _cast(self.decay_steps, dtype)
        if self.cycle:
            multiplier = array_ops.where(
                comparison_ops.equal(step, 0),
                _cast(1.0, dtype),
                unary_math_ops.ceil(step / self.decay_steps),
            )
            decay_steps = math_ops.multiply(decay_steps, multiplier)
        else:
            step = math_ops.minimum(step, decay_steps)
        p = math_ops.divide(step, decay_steps)
        return math_ops.add(math_ops.multiply(lr - end, math_ops.pow(1 - p, power)), end)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


@keras_export("keras.optimizers.schedules.InverseTimeDecay")
class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``."""

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        decay_rate,
        staircase=False,
        name="InverseTimeDecay",
    ):
        if decay_steps <= 0:
            raise ValueError(
                f"Argument `decay_steps` must be > 0. Received: decay_steps={decay_steps}"
            )
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        lr = backend.convert_to_tensor(self.initial_learning_rate)
        dtype = lr.dtype.name
        p = _cast(step, dtype) / _cast(self.decay_steps, dtype)
        if self.staircase:
            p = unary_math_ops.floor(p)
        denom = math_ops.add(_cast(1, dtype), math_ops.multiply(_cast(self.decay_rate, dtype), p))
        return math_ops.divide(lr, denom)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


@keras_export("keras.optimizers.schedules.CosineDecay")
class CosineDecay(LearningRateSchedule):
    """Cosine decay (Loshchilov & Hutter 2017) from ``initial_learning_rate`` (or, after a
    linear warmup of ``warmup_steps``, from ``warmup_target``) to ``alpha`` times it."""

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        alpha=0.0,
        name="CosineDecay",
        warmup_target=None,
        warmup_steps=0,
    ):
        if decay_steps <= 0:
            raise ValueError(
                f"Argument `decay_steps` must be > 0. Received: decay_steps={decay_steps}"
            )
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target

    def _decay(self, step, decay_steps, decay_from_lr, dtype):
        fraction = step / decay_steps
        pi = _cast(math.pi, dtype)
        cosine_decayed = 0.5 * (1.0 + unary_math_ops.cos(pi * fraction))
        decayed = (1 - self.alpha) * cosine_decayed + self.alpha
        return math_ops.multiply(decay_from_lr, decayed)

    def __call__(self, step):
        lr = backend.convert_to_tensor(self.initial_learning_rate)
        dtype = lr.dtype.name
        decay_steps = _cast(self.decay_steps, dtype)
        step = _cast(step, dtype)
        if self.warmup_target is None:
            return self._decay(math_ops.minimum(step, decay_steps), decay_steps, lr, dtype)
        target = _cast(self.warmup_target, dtype)
        warmup_steps = _cast(self.warmup_steps, dtype)
        step = math_ops.minimum(step, decay_steps + warmup_steps)
        return control_flow_ops.cond(
            step < warmup_steps,
            lambda: (target - lr) * (step / warmup_steps) + lr,
            lambda: self._decay(step - warmup_steps, decay_steps, target, dtype),
        )

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


@keras_export("keras.optimizers.schedules.CosineDecayRestarts")
class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): periods grow by ``t_mul``, peaks by ``m_mul``."""

    def __init__(
        self,
        initial_learning_rate,
        first_decay_steps,
        t_mul=2.0,
        m_mul=1.0,
        alpha=0.0,
        name="SGDRDecay",
    ):
        if first_decay_steps <= 0:
            raise ValueError(
                "Argument `first_decay_steps` must be > 0. Received: "
                f"first_decay_steps={first_decay_steps}"
            )
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        lr = backend.convert_to_tensor(self.initial_learning_rate)
        dtype = lr.dtype.name
        first = _cast(self.first_decay_steps, dtype)
        alpha = _cast(self.alpha, dtype)
        t_mul = _cast(self._t_mul, dtype)
        m_mul = _cast(self._m_mul, dtype)
        fraction = _cast(step, dtype) / first

        def compute_step(fraction, geometric):
            if geometric:
                i_restart = unary_math_ops.floor(
                    unary_math_ops.log(_cast(1.0 - fraction * (1.0 - t_mul), dtype))
                    / unary_math_ops.log(t_mul)
                )
                sum_r = math_ops.divide(1.0 - math_ops.pow(t_mul, i_restart), 1.0 - t_mul)
                fraction = math_ops.divide(fraction - sum_r, math_ops.pow(t_mul, i_restart))
            else:
                i_restart = unary_math_ops.floor(fraction)
                fraction = fraction - i_restart
            return i_restart, fraction

        i_restart, fraction = control_flow_ops.cond(
            comparison_ops.equal(t_mul, 1.0),
            lambda: compute_step(fraction, False),
            lambda: compute_step(fraction, True),
        )
        m_fac = math_ops.pow(m_mul, i_restart)
        cosine_decayed = 0.5 * m_fac * (1.0 + unary_math_ops.cos(_cast(math.pi, dtype) * fraction))
        decayed = (1 - alpha) * cosine_decayed + alpha
        return math_ops.multiply(lr, decayed)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


@keras_export("keras.optimizers.schedules.serialize")
def serialize(learning_rate_schedule):
    return serialization_lib.serialize_keras_object(learning_rate_schedule)


@keras_export("keras.optimizers.schedules.deserialize")
def deserialize(config, custom_objects=None):
    return serialization_lib.deserialize_keras_object(
        config,
        module_objects={
            c.__name__: c for c in (LearningRateSchedule, *LearningRateSchedule.__subclasses__())
        },
        custom_objects=custom_objects,
    )
