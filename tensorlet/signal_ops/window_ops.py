"""Window functions of ``tf.signal``: Hann, Hamming, Kaiser, Kaiser-Bessel-derived, Vorbis.

They are computed in the requested dtype with the same operations as TF (so float32 windows
round the same way): raised-cosine windows are ``a - b * cos(2pi * n / N)`` with
``N = length - 1`` (symmetric) or ``length`` (periodic, even lengths only).
"""

import math

from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    cast_ops,
    math_ops,
    nn_ops,
    reduction_ops,
    special_math_ops,
    unary_math_ops,
)
from tensorlet.signal_ops._util import scalar_int

D = dtypes


def _check_dtype(dtype):
    dtype = D.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {dtype}")
    return dtype


def _raised_cosine(window_length, periodic, dtype, a, b):
    dtype = _check_dtype(dtype)
    n = scalar_int(window_length, "window_length")
    if n == 1:
        return array_creation_ops.ones([1], dtype=dtype)
    periodic = bool(convert_to_tensor(periodic, dtype=D.bool).numpy())
    denom = convert_to_tensor(float(n + (1 if periodic and n % 2 == 0 else 0) - 1), dtype=dtype)
    count = cast_ops.cast(array_creation_ops.range(n), dtype)
    two_pi = convert_to_tensor(2 * math.pi, dtype=dtype)
    cos_arg = math_ops.truediv(math_ops.multiply(two_pi, count), denom)
    return math_ops.subtract(
        convert_to_tensor(a, dtype=dtype),
        math_ops.multiply(convert_to_tensor(b, dtype=dtype), unary_math_ops.cos(cos_arg)),
    )


@tf_export("signal.hann_window")
def hann_window(window_length, periodic=True, dtype=D.float32, name=None):
    """A Hann window ``0.5 - 0.5 cos(2 pi n / N)`` of ``window_length`` samples.

    Example:
      >>> tf.signal.hann_window(4).numpy()
      array([0. , 0.5, 1. , 0.5], dtype=float32)
    """
    return _raised_cosine(window_length, periodic, dtype, 0.5, 0.5)


@tf_export("signal.hamming_window")
def hamming_window(window_length, periodic=True, dtype=D.float32, name=None):
    """A Hamming window ``0.54 - 0.46 cos(2 pi n / N)`` of ``window_length`` samples."""
    return _raised_cosine(window_length, periodic, dtype, 0.54, 0.46)


@tf_export("signal.kaiser_window")
def kaiser_window(window_length, beta=12.0, dtype=D.float32, name=None):
    """A Kaiser window: ``I0(beta * sqrt(1 - (2n/(N-1) - 1)^2)) / I0(beta)``."""
    dtype = _check_dtype(dtype)
    n = scalar_int(window_length, "window_length")
    if n == 1:
        return array_creation_ops.ones([1], dtype=dtype)
    half = convert_to_tensor((n - 1.0) / 2.0, dtype=D.float32)
    arg = array_creation_ops.range(-half, half + 0.1, dtype=D.float32)
    arg = cast_ops.cast(arg, dtype)
    beta = cast_ops.cast(convert_to_tensor(beta), dtype)
    half = cast_ops.cast(half, dtype)
    one = convert_to_tensor(1.0, dtype=dtype)
    ratio = math_ops.truediv(arg, half)
    num = math_ops.multiply(
        beta, unary_math_ops.sqrt(nn_ops.relu(math_ops.subtract(one, unary_math_ops.square(ratio))))
    )
    return math_ops.multiply(
        unary_math_ops.exp(math_ops.subtract(num, beta)),
        math_ops.truediv(special_math_ops.bessel_i0e(num), special_math_ops.bessel_i0e(beta)),
    )


@tf_export("signal.kaiser_bessel_derived_window")
def kaiser_bessel_derived_window(window_length, beta=12.0, dtype=D.float32, name=None):
    """A Kaiser-Bessel-derived window (power complementary; for the MDCT)."""
    dtype = _check_dtype(dtype)
    half = scalar_int(window_length, "window_length") // 2
    kaiser = kaiser_window(half + 1, beta, dtype=dtype)
    csum = reduction_ops.cumsum(kaiser)
    halfw = unary_math_ops.sqrt(math_ops.truediv(csum[:-1], csum[-1]))
    return array_ops.concat([halfw, array_ops.reverse(halfw, [0])], 0)


@tf_export("signal.vorbis_window")
def vorbis_window(window_length, dtype=D.float32, name=None):
    """The Vorbis power complementary window ``sin(pi/2 sin^2(pi (n + 0.5) / N))``."""
    dtype = _check_dtype(dtype)
    n = scalar_int(window_length, "window_length")
    arg = cast_ops.cast(array_creation_ops.range(n), dtype)
    step = math_ops.truediv(
        convert_to_tensor(math.pi, dtype=dtype), convert_to_tensor(float(n), dtype=dtype)
    )
    inner = unary_math_ops.sin(math_ops.multiply(step, math_ops.add(arg, 0.5)))
    return unary_math_ops.sin(
        math_ops.multiply(convert_to_tensor(math.pi / 2.0, dtype=dtype), math_ops.pow(inner, 2.0))
    )
