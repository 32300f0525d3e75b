"""``tf.signal.dct`` / ``idct``: DCT types I-IV over the innermost axis, through the RFFT as TF
computes them (type II: a ``2N``-point RFFT times ``2 exp(-i pi k / 2N)``; type III its inverse
through the IRFFT; type IV the odd bins of a ``2N``-point type II; type I an RFFT of the
mirrored signal). Matches ``scipy.fftpack.dct`` / ``idct``.
"""

import math

from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import array_creation_ops, array_ops, cast_ops, signal_ops, unary_math_ops


def _validate(x, dct_type, n, axis, norm):
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if n is not None and n < 1:
        raise ValueError("n should be a positive integer or None")
    if dct_type not in (1, 2, 3, 4):
        raise ValueError("Types I, II, III and IV (I)DCT are supported.")
    if dct_type == 1:
        if norm == "ortho":
            raise ValueError("Normalization is not supported for the Type-I DCT.")
        if x.shape[-1] is not None and x.shape[-1] < 2:
            raise ValueError("Type-I DCT requires the dimension to be greater than one.")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")


def _resize(x, n):
    length = x.shape[-1]
    if n is None or n == length:
        return x
    if n < length:
        return x[..., :n]
    return array_ops.pad(x, [[0, 0]] * (x.shape.rank - 1) + [[0, n - length]])


def _twiddle(length, dtype, sign):
    """``2 exp(sign * i * pi * k / (2N))`` for k in [0, N), in ``dtype``'s complex type."""
    k = array_creation_ops.range(convert_to_tensor(float(length), dtype=dtype))
    phase = k * (sign * math.pi) * 0.5 / float(length)
    return 2.0 * unary_math_ops.exp(cast_ops.complex(array_ops.zeros_like(phase), phase))


def _weights(first, rest, length):
    """[first, rest, rest, ...] of ``length``."""
    return array_ops.pad(array_ops.expand_dims(first, 0), [[0, length - 1]], constant_values=rest)


def _dct(x, dct_type, n, norm):
    x = _resize(convert_to_tensor(x), n)
    length = x.shape[-1]
    dtype = x.dtype
    length_f = convert_to_tensor(float(length), dtype=dtype)
    if dct_type == 1:
        mirrored = array_ops.concat([x, x[..., -2:0:-1]], axis=-1)
        return cast_ops.real(signal_ops.rfft(mirrored))
    if dct_type == 2:
        spectrum = signal_ops.rfft(x, fft_length=[2 * length])[..., :length]
        out = cast_ops.real(spectrum * _twiddle(length, dtype, -1.0))
        if norm == "ortho":
            n1 = 0.5 * unary_math_ops.rsqrt(length_f)
            out = out * _weights(n1, n1 * math.sqrt(2.0), length)
        return out
    if dct_type == 3:
        if norm == "ortho":
            n1 = unary_math_ops.sqrt(length_f)
            x = x * _weights(n1, n1 * math.sqrt(0.5), length)
        else:
            x = x * length_f
        spectrum = _twiddle(length, dtype, 1.0) * cast_ops.complex(x, array_ops.zeros_like(x))
        return cast_ops.real(signal_ops.irfft(spectrum, fft_length=[2 * length]))[..., :length]
    out = _dct(x, 2, 2 * length, None)[..., 1::2]
    if norm == "ortho":
        out = out * (math.sqrt(0.5) * unary_math_ops.rsqrt(length_f))
    return out


@tf_export("signal.dct", "compat.v1.signal.dct", "compat.v1.spectral.dct")
def dct(input, type=2, n=None, axis=-1, norm=None, name=None):
    """The 1D Discrete Cosine Transform (types I-IV) of the innermost dimension of ``input``
    (float32/float64); ``n`` truncates or zero-pads it first; ``norm``: None or "ortho".

    Example:
      >>> tf.round(tf.signal.dct(tf.constant([1.0, 2.0, 3.0])) * 1000).numpy() / 1000
      array([12.   , -3.464,  0.   ], dtype=float32)
    """
    x = convert_to_tensor(input)
    _validate(x, type, n, axis, norm)
    return _dct(x, type, n, norm)


@tf_export("signal.idct", "compat.v1.signal.idct", "compat.v1.spectral.idct")
def idct(input, type=2, n=None, axis=-1, norm=None, name=None):
    """The inverse DCT: type II's inverse is type III and back (``idct(dct(x)) = 2N x``
    without ``norm``; exact with ``norm="ortho"``)."""
    x = convert_to_tensor(input)
    _validate(x, type, n, axis, norm)
    return _dct(x, {1: 1, 2: 3, 3: 2, 4: 4}[type], n, norm)
