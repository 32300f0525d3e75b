"""Casts and complex numbers: ``tf.cast``, ``saturate_cast``, ``bitcast``, ``complex``, ``real``,
``imag``, ``conj``, ``angle``.

``Cast`` reproduces TF's x86 CPU results for float -> integer: NaN, +-inf and out-of-range values
become the "integer indefinite" INT_MIN of the 32- or 64-bit conversion the compiler uses, and
narrower types keep its low bits (``cast(300.0, uint8) = 44``, ``cast(-1.0, uint8) = 255``,
``cast(nan, int32) = -2147483648``); integer -> integer wraps around.
"""
import builtins

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop

D = dtypes
_DIFFERENTIABLE = frozenset([D.float16, D.float32, D.float64, D.bfloat16, D.complex64,
                             D.complex128])


# ---------------------------------------------------------------- Cast

def _float_to_int64(x):
    """cvttsd2si semantics: NaN and values outside [-2^63, 2^63) give INT64_MIN."""
    x = xp.asarray(x, xp.float64)
    bad = ~((x >= -9.223372036854775808e18) & (x < 9.223372036854775808e18))
    if bad.any():
        x = xp.where(bad, -9.223372036854775808e18, x)
    return xp.trunc(x).astype(xp.int64)


def _float_to_int32(x):
    x = xp.asarray(x, xp.float64)
    bad = ~((x > -2147483649.0) & (x < 2147483648.0))
    if bad.any():
        x = xp.where(bad, -2147483648.0, x)
    return xp.trunc(x).astype(xp.int32)


def _float_to_int(x, dst):
    if x.dtype.kind == "c":
        x = x.real
    if dst == xp.int64:
        return _float_to_int64(x)
    if dst == xp.uint64:  # the compiler's two-branch conversion around 2^63
        big = x >= 9.223372036854775808e18
        lo = _float_to_int64(xp.where(big, 0, x)).view(xp.uint64)
        if big.any():
            hi = _float_to_int64(xp.where(big, x - 9.223372036854775808e18, 0)).view(xp.uint64)
            lo = xp.where(big, hi ^ xp.uint64(1 << 63), lo)
        return lo
    if dst == xp.uint32:
        return _float_to_int64(x).astype(xp.uint32)
    return _float_to_int32(x).astype(dst)


def _cast(x, DstT, Truncate=False):
    dst = DstT._np
    src = x.dtype
    if src.kind == "c" and dst.kind != "c":  # TF drops the imaginary part
        x = x.real
        src = x.dtype
    if src == dst:
        return x
    if dst.kind in "iu" and src.kind not in "iub":  # floats (and bfloat16, kind 'V')
        return _float_to_int(x if src.kind == "f" else x.astype(xp.float32), dst)
    if src.kind in "fV" and dst.kind in "fV" and dst.itemsize <= src.itemsize:
        with xp.errstate(over="ignore", invalid="ignore"):  # overflow gives inf, as in TF
            return x.astype(dst)
    return x.astype(dst)


def _cast_rule(op, inputs, attrs):
    src, dst = inputs[0].dtype, attrs["DstT"]
    if (src is D.string) != (dst is D.string) or src._np is None or dst._np is None:
        raise errors.op_error(errors.UnimplementedError, "Cast",
                              f"Cast {src.name} to {dst.name} is not supported")
    return (dst,)


def _cast_grad(op, dy):
    """Casts dy back to the source dtype between float/complex types; None otherwise."""
    src = op.inputs[0].dtype
    if src in _DIFFERENTIABLE and dy.dtype in _DIFFERENTIABLE:
        return [cast(dy, src)]
    return [None]


cast_op = defop("Cast", _cast, dtype_rule=_cast_rule, shape_rule=R.unchanged, grad=_cast_grad)


@tf_export("cast", "dtypes.cast")
def cast(x, dtype, name=None):
    """Casts a tensor to ``dtype``: floats truncate toward zero, ints wrap around.

    Example:
      >>> tf.cast(tf.constant([1.8, -1.8]), tf.int32).numpy()
      array([ 1, -1], dtype=int32)
    """
    base = dtypes.as_dtype(dtype)
    if isinstance(x, Tensor) and x.dtype is base:
        return x
    if not isinstance(x, Tensor):
        conv = getattr(x, "__tf_tensor__", None)
        if conv is not None and getattr(x, "dtype", None) is base:
            return convert_to_tensor(x)
        x = convert_to_tensor(x)
    if x.dtype is base:
        return x
    return apply(cast_op, x, DstT=base, name=name)


@tf_export("dtypes.saturate_cast", "saturate_cast")
def saturate_cast(value, dtype, name=None):
    """Casts to ``dtype`` after clamping to its range (limits nudged inside the output range when
    the input type cannot represent them: float32 -> int32 clamps at 2147483520)."""
    from tensorlet.ops import math_ops
    value = convert_to_tensor(value)
    dtype = dtypes.as_dtype(dtype)
    in_dtype = value.dtype
    if in_dtype.is_complex:
        if dtype.is_complex:
            return cast(value, dtype, name=name)
        value = real(value)
        in_dtype = in_dtype.real_dtype
    out_real = dtype.real_dtype
    if in_dtype is D.bool or out_real is D.bool:
        return cast(value, dtype, name=name)
    lo = _limit(builtins.max(in_dtype.min, out_real.min), in_dtype, out_real)
    hi = _limit(builtins.min(in_dtype.max, out_real.max), in_dtype, out_real)
    value = math_ops.minimum(math_ops.maximum(value, lo), hi)
    return cast(value, dtype, name=name)


def _limit(v, in_dtype, out_dtype):
    """``v`` in the input dtype, nudged toward 0 when rounding pushed it outside out_dtype."""
    np_t = in_dtype._np
    with xp.errstate(over="ignore"):
        c = xp.asarray(v, np_t)
    if in_dtype.is_floating and not out_dtype.min <= float(c) <= out_dtype.max:
        c = xp.nextafter(c, xp.asarray(0, np_t))
    return EagerTensor(c, in_dtype)


# ---------------------------------------------------------------- Bitcast

def _bitcast(x, type):
    dst = type._np
    if x.dtype.itemsize == dst.itemsize:
        return x.view(dst)
    if x.dtype.itemsize > dst.itemsize:
        return xp.ascontiguousarray(x).view(dst).reshape(x.shape + (-1,))
    return xp.ascontiguousarray(x).view(dst).reshape(x.shape[:-1])


def _bitcast_rule(op, inputs, attrs):
    src, dst = inputs[0].dtype, attrs["type"]
    allowed = R.NUMERIC
    for d in (src, dst):
        if d not in allowed:
            from tensorlet.ops.op_def import dtype_not_allowed
            raise dtype_not_allowed(op, d, R._ordered(allowed))
    return (dst,)


def _bitcast_shape(op, inputs, attrs):
    shape = inputs[0].shape
    a, b = inputs[0].dtype.size, attrs["type"].size
    if a == b or shape.rank is None:
        return (shape if a == b else TensorShape(None),)
    if a > b:
        return (shape.concatenate([a // b]),)
    dims = shape.as_list()
    if not dims or (dims[-1] is not None and dims[-1] != b // a):
        raise errors.op_error(errors.InvalidArgumentError, "Bitcast",
                              "Cannot bitcast from " + _bitcast_name(inputs[0].dtype) + " to "
                              + _bitcast_name(attrs["type"]) + ": shape " + R._brackets(shape))
    return (TensorShape(dims[:-1]),)


def _bitcast_name(d):
    return {"float32": "float", "float64": "double", "float16": "half"}.get(d.name, d.name)


bitcast_op = defop("Bitcast", _bitcast, dtype_rule=_bitcast_rule, shape_rule=_bitcast_shape)


@tf_export("bitcast", "dtypes.bitcast")
def bitcast(input, type, name=None):
    """Reinterprets the bytes of ``input`` as ``type`` (a last dimension is added or consumed
    when the element sizes differ)."""
    return apply(bitcast_op, convert_to_tensor(input), type=dtypes.as_dtype(type), name=name)


# ---------------------------------------------------------------- complex numbers

def _complex(real, imag, Tout):
    re, im = xp.broadcast_arrays(real, imag)
    out = xp.empty(re.shape, Tout._np)
    out.real = re
    out.imag = im
    return out


_complex_inputs = R.same_dtype((D.float32, D.float64))


def _complex_rule(op, inputs, attrs):
    _complex_inputs(op, inputs, attrs)
    return (attrs["Tout"],)


def _complex_grad(op, dy):
    return [real(dy), imag(dy)]


def _part_rule(op, inputs, attrs):
    d = inputs[0].dtype
    if d not in (D.complex64, D.complex128):
        from tensorlet.ops.op_def import dtype_not_allowed
        raise dtype_not_allowed(op, d, [D.complex64, D.complex128])
    return (attrs["Tout"],)


def _real_grad(op, dy):
    return [complex(dy, _zeros(dy))]


def _imag_grad(op, dy):
    return [complex(_zeros(dy), dy)]


def _zeros(t):
    from tensorlet.ops import array_ops
    return array_ops.zeros_like(t)


def _angle_grad(op, dy):
    """Returns -dy / (Im(x) + i Re(x))."""
    from tensorlet.ops import math_ops
    x = op.inputs[0]
    z = math_ops.reciprocal(complex(imag(x), real(x)))
    return [math_ops.negative(complex(dy, _zeros(dy))) * z]


complex_op = defop("Complex", _complex, dtype_rule=_complex_rule, shape_rule=R.broadcast,
                   grad=_complex_grad)
real_op = defop("Real", lambda x, Tout: xp.real(x), dtype_rule=_part_rule, shape_rule=R.unchanged, grad=_real_grad)
imag_op = defop("Imag", lambda x, Tout: xp.imag(x), dtype_rule=_part_rule, shape_rule=R.unchanged, grad=_imag_grad)
angle_op = defop("Angle", lambda x, Tout: xp.angle(x), dtype_rule=_part_rule, shape_rule=R.unchanged,
                 grad=_angle_grad)
conj_op = defop("Conj", xp.conj, dtype_rule=R.same_dtype((D.complex64, D.complex128, D.variant)),
                shape_rule=R.unchanged, grad=lambda op, dy: [conj(dy)])


@tf_export("dtypes.complex", "complex")
def complex(real, imag, name=None):
    """Builds ``real + imag * 1j`` (float32 -> complex64, float64 -> complex128)."""
    real = convert_to_tensor(real)
    imag = convert_to_tensor(imag)
    types = (real.dtype, imag.dtype)
    if types == (D.float64, D.float64):
        tout = D.complex128
    elif types == (D.float32, D.float32):
        tout = D.complex64
    else:
        raise TypeError(f"The `real` and `imag` components have incorrect types: "
                        f"{real.dtype.name} {imag.dtype.name}. They must be consistent, and one "
                        f"of {[D.float32, D.float64]}")
    return apply(complex_op, real, imag, Tout=tout, name=name)


@tf_export("math.real")
def real(input, name=None):
    """The real part of a complex tensor; real tensors are returned as they are."""
    input = convert_to_tensor(input)
    if input.dtype.is_complex:
        return apply(real_op, input, Tout=input.dtype.real_dtype, name=name)
    return input


@tf_export("math.imag")
def imag(input, name=None):
    """The imaginary part of a complex tensor; zeros for real tensors."""
    input = convert_to_tensor(input)
    if input.dtype.is_complex:
        return apply(imag_op, input, Tout=input.dtype.real_dtype, name=name)
    return _zeros(input)


@tf_export("math.angle")
def angle(input, name=None):
    """The argument of a complex tensor; pi for negative reals, 0 otherwise."""
    input = convert_to_tensor(input)
    if input.dtype.is_complex:
        return apply(angle_op, input, Tout=input.dtype.real_dtype, name=name)
    from tensorlet.ops import math_ops
    pi = EagerTensor(xp.asarray(xp.pi, input.dtype._np), input.dtype)
    return math_ops.multiply(cast(math_ops.less(input, _zeros(input)), input.dtype), pi)


@tf_export("math.conj")
def conj(x, name=None):
    """The complex conjugate; real tensors are returned as they are."""
    x = x if isinstance(x, Tensor) else convert_to_tensor(x)
    if x.dtype.is_complex or x.dtype is D.variant:
        return apply(conj_op, x, name=name)
    if x.dtype.is_numeric:
        return x
    raise TypeError(f"Expected numeric or variant tensor, got dtype {x.dtype!r}")


__all__ = ["angle", "bitcast", "cast", "complex", "conj", "imag", "real", "saturate_cast"]
