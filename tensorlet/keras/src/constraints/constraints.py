"""Weight constraints: projections applied to a variable after each optimizer update."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.ops import clip_ops, math_ops, reduction_ops, unary_math_ops


@keras_export("keras.constraints.Constraint")
class Constraint:
    """Base class: ``__call__(w)`` returns the projected weight (here ``w`` unchanged)."""

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _norms(w, axis):
    return unary_math_ops.sqrt(
        reduction_ops.reduce_sum(unary_math_ops.square(w), axis=axis, keepdims=True)
    )


def _rescale(w, norms, desired):
    scale = math_ops.truediv(desired, math_ops.add(norms, backend.epsilon()))
    return math_ops.multiply(backend.cast(w, norms.dtype.name), scale)


@keras_export("keras.constraints.MaxNorm", "keras.constraints.max_norm")
class MaxNorm(Constraint):
    """Rescales each slice along ``axis`` to a norm of at most ``max_value``:
    ``w * clip(norm, 0, max_value) / (epsilon + norm)``.

    Args:
        max_value: the largest norm (default 2).
        axis: int or list of ints, the axes the norm runs over (default 0).

    Example:
        >>> keras.constraints.MaxNorm(1.0)(tf.constant([[3.0], [4.0]])).numpy().round(3)
        array([[0.6],
               [0.8]], dtype=float32)
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = backend.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = clip_ops.clip_by_value(norms, 0.0, float(self.max_value))
        return _rescale(w, norms, desired)

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


@keras_export("keras.constraints.NonNeg", "keras.constraints.non_neg")
class NonNeg(Constraint):
    """``maximum(w, 0)``."""

    def __call__(self, w):
        w = backend.convert_to_tensor(w)
        return math_ops.maximum(w, backend.convert_to_tensor(0, dtype=w.dtype.name))


@keras_export("keras.constraints.UnitNorm", "keras.constraints.unit_norm")
class UnitNorm(Constraint):
    """``w / (epsilon + norm(w, axis))``: unit norm along ``axis`` (default 0)."""

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = backend.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        return math_ops.truediv(
            backend.cast(w, norms.dtype.name), math_ops.add(norms, backend.epsilon())
        )

    def get_config(self):
        return {"axis": self.axis}


@keras_export("keras.constraints.MinMaxNorm", "keras.constraints.min_max_norm")
class MinMaxNorm(Constraint):
    """Rescales the norm along ``axis`` towards ``[min_value, max_value]``:
    ``desired = rate * clip(norm, min_value, max_value) + (1 - rate) * norm``.

    Args:
        min_value: default 0.0. max_value: default 1.0.
        rate: 1.0 (default) enforces strictly; smaller moves part of the way.
        axis: default 0.
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = backend.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        clipped = clip_ops.clip_by_value(norms, float(self.min_value), float(self.max_value))
        desired = math_ops.add(
            math_ops.multiply(float(self.rate), clipped),
            math_ops.multiply(float(1 - self.rate), norms),
        )
        return _rescale(w, norms, desired)

    def get_config(self):
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }
