"""Argument helpers of the ``tf.signal`` composites: Python ints out of ints or tensors."""

from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops.array_ops import py_int


def scalar_int(value, name):
    """``value`` (an int or a scalar integer tensor) as a Python int; ValueError otherwise."""
    if isinstance(value, Tensor) or hasattr(value, "shape"):
        t = convert_to_tensor(value)
        if t.shape.rank != 0:
            raise ValueError(f"Shape {t.shape} must have rank 0")
        if not t.dtype.is_integer:
            raise ValueError(f"{name} must be an integer. Got {t.dtype}")
        return py_int(t)
    if isinstance(value, (list, tuple)):
        raise ValueError(f"Shape ({len(value)},) must have rank 0")  # noqa: TRY004
    return int(value)


def enclosing_power_of_two(value):
    """2**N for the smallest N with 2**N >= value (TF's ``_enclosing_power_of_two``)."""
    n = 1
    while n < value:
        n *= 2
    return n
