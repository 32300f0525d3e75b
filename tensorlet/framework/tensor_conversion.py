"""``tf.convert_to_tensor``: Python values, NumPy arrays and tensor-likes to EagerTensors.

TF's rules (``py_seq_tensor.cc`` / ``pywrap_tensor.cc``), which differ from NumPy's:
- the dtype of a Python (nested) sequence is inferred from its *first* leaf: a Python float
  gives float32 (a ``np.float64`` leaf float64), an int int32 (int64 when some value needs it,
  float32 when a float follows), a bool bool, a complex complex128; the other leaves must fit
  that type ("mixed types" otherwise: ``[True, 1]`` fails but ``[1.0, True]`` is fine);
- NumPy arrays and scalars keep their dtype, and a requested dtype force-casts them;
- with a requested dtype, Python ints wrap around (``constant(-1, uint8)`` is 255) while Python
  floats refuse to become integers (TypeError); ints and floats are "compatible" with floats,
  everything numeric with complex; bools only become ints through the int32/int64 converters.

Also here: the two ways ops convert their operands (``args_to_matching`` = TF's
``args_to_matching_eager``, used by generated op wrappers; ``convert_pair_hint`` = ``tf.add``'s
"y takes x's dtype as a hint"), shared by the op modules.
"""
import builtins
import math

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_shape import Dimension, TensorShape

D = dtypes
_float, _int, _bool, _complex = builtins.float, builtins.int, builtins.bool, builtins.complex
_str, _bytes = builtins.str, builtins.bytes
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_F32_OVERFLOW = 3.4028235677973366e38  # the smallest double that rounds to float32 inf
_INF = _float("inf")

# TF's messages (py_seq_tensor.cc)
ERR_RECTANGULAR = "Can't convert non-rectangular Python sequence to Tensor."
ERR_MIXED = "Can't convert Python sequence with mixed types to Tensor."
ERR_RANGE = "Can't convert Python sequence with out-of-range integer to Tensor."
ERR_RANGE_DOUBLE = ("Can't convert Python sequence with a value out of range for a "
                    "double-precision float.")

# requested dtypes with their own Python converter in TF (others convert, then Cast)
_CONVERTERS = frozenset([D.float32, D.float64, D.float16, D.int64, D.int32, D.uint64,
                         D.complex128, D.string, D.bool])


class _Fail(Exception):
    """A converter rejected the value (TF then tries the inferred dtype plus a Cast)."""


# ---------------------------------------------------------------- leaf inference

_EMPTY = object()


def _first_leaf(value):
    """(leaf, depth) of the first scalar of a nested sequence; leaf is _EMPTY when empty."""
    v, depth = value, 0
    while True:
        t = type(v)
        if t is list or t is tuple or t is range or (
                t is not xp.ndarray and isinstance(v, (list, tuple))):
            if len(v) == 0:
                return _EMPTY, depth + 1
            v, depth = v[0], depth + 1
        elif t is xp.ndarray:
            if v.ndim == 0:
                return v[()], depth
            if v.size == 0:
                return _EMPTY, depth + v.ndim
            return v.reshape(-1)[0], depth + v.ndim
        else:
            return v, depth


def _leaf_kind(v):
    """TF's inferred type of one scalar: 'string', 'double', 'half', 'float', 'bool', 'int',
    'complex' or a DType (a nested tensor)."""
    if isinstance(v, (_str, _bytes)):
        return "string"
    if isinstance(v, xp.float64):
        return "double"
    if isinstance(v, xp.float16):
        return "half"
    if isinstance(v, (_float, xp.floating)):
        return "float"
    if isinstance(v, (_bool, xp.bool_)):
        return "bool"
    if isinstance(v, (_int, xp.integer, Dimension)):
        return "int"
    if isinstance(v, (_complex, xp.complexfloating)):
        return "complex"
    if isinstance(v, Tensor) or getattr(v, "_is_tensor_like", False):
        return v.dtype
    if type(v).__name__ == "bfloat16":
        return D.bfloat16
    raise ValueError(f"Attempt to convert a value ({v!r}) with an unsupported type "
                     f"({type(v)!r}) to a Tensor.")


def _as_array(value, depth):
    """NumPy's array of a nested sequence, with TF's rectangularity error."""
    try:
        arr = xp.array(value)
    except (ValueError, TypeError) as e:
        raise ValueError(ERR_RECTANGULAR) from e
    if arr.ndim < depth:
        raise ValueError(ERR_RECTANGULAR)
    return arr


def _leaf_types(value):
    """The set of Python types among the leaves (slow; only used to explain odd arrays)."""
    found = set()

    def walk(v):
        if isinstance(v, (list, tuple, range)):
            for x in v:
                walk(x)
        elif type(v) is xp.ndarray:
            found.add(v.dtype.kind)
        else:
            found.add("bool" if isinstance(v, (_bool, xp.bool_)) else
                      "int" if isinstance(v, (_int, xp.integer)) else
                      "float" if isinstance(v, (_float, xp.floating)) else "other")

    walk(value)
    return found


# ---------------------------------------------------------------- converters

def _ints(arr, value, lo, hi, err_range):
    """An integer array from ``arr`` (numpy's view of ``value``) within [lo, hi]."""
    k = arr.dtype.kind
    if k in "iub":
        if arr.size and k != "b":
            mn, mx = int(arr.min()), int(arr.max())
            if mn < lo or mx > hi:
                raise _Fail(err_range if (mn < _INT64_MIN or mx > _INT64_MAX) else "int64")
        return arr
    if k in "fO":
        kinds = _leaf_types(value)
        if kinds <= {"int", "bool", "i", "u", "b"}:  # Python ints beyond int64
            raise _Fail(ERR_RANGE)
        if kinds <= {"int", "bool", "float", "i", "u", "b", "f"}:
            raise _Fail("float")
    raise _Fail(ERR_MIXED)


def _floats(arr, np_t, check_overflow, value=None):
    k = arr.dtype.kind
    if k not in "iubf":
        # object arrays: Python ints beyond int64 are fine, anything else (None ...) is not
        if k != "O" or not _leaf_types(value) <= {"int", "bool", "float", "i", "u", "b", "f"}:
            raise _Fail(ERR_MIXED)
        try:
            arr = arr.astype(xp.float64)
        except (TypeError, ValueError, OverflowError):
            raise _Fail(ERR_MIXED) from None
    if check_overflow and k == "f" and arr.size:
        limit = _F32_OVERFLOW if np_t == xp.float32 else 65520.0
        if not (-limit < arr.min() and arr.max() < limit):  # (also taken for nan/inf)
            with xp.errstate(over="ignore", invalid="ignore"):
                if (xp.isinf(arr.astype(np_t)) & xp.isfinite(arr)).any():
                    raise _Fail(ERR_RANGE_DOUBLE)
    with xp.errstate(over="ignore", invalid="ignore"):
        return arr.astype(np_t)


def _strings(value, arr):
    if arr.dtype.kind in "US":
        return _encode_strings(arr)
    if arr.dtype.kind == "O":
        return _encode_strings(arr, strict=True)
    raise _Fail(ERR_MIXED)


def _convert_as(dtype, value, arr):
    """TF's converter for ``dtype`` (one of _CONVERTERS) applied to ``value``."""
    if dtype is D.int32:
        return _ints(arr, value, _INT32_MIN, _INT32_MAX, ERR_RANGE).astype(xp.int32)
    if dtype is D.int64:
        return _ints(arr, value, _INT64_MIN, _INT64_MAX, ERR_RANGE).astype(xp.int64)
    if dtype is D.uint64:
        return _ints(arr, value, _INT64_MIN, 2**64 - 1, ERR_RANGE).astype(xp.uint64)
    if dtype is D.float32:
        return _floats(arr, xp.float32, True, value)
    if dtype is D.float64:
        return _floats(arr, xp.float64, False, value)
    if dtype is D.float16:
        return _floats(arr, xp.float16, True, value)
    if dtype is D.complex128:
        if arr.dtype.kind == "c":
            return arr.astype(xp.complex128)
        return _floats(arr, xp.complex128, False, value)
    if dtype is D.bool:
        if arr.dtype.kind != "b":
            raise _Fail(ERR_MIXED)
        return arr
    if dtype is D.string:
        return _strings(value, arr)
    raise _Fail(ERR_MIXED)


def _convert_inferred(value, kind, arr, requested):
    """The inferred conversion (TF's second switch); returns (array, DType)."""
    try:
        if kind == "float":
            if requested is None:
                return _floats(arr, xp.float32, True, value), D.float32
            return _floats(arr, xp.float64, False, value), D.float64
        if kind == "double":
            return _floats(arr, xp.float64, False, value), D.float64
        if kind == "half":
            return _floats(arr, xp.float16, True, value), D.float16
        if kind == "int":
            if requested is None:
                try:
                    return _convert_as(D.int32, value, arr), D.int32
                except _Fail as e:
                    if str(e) == "int64":
                        return _convert_as(D.int64, value, arr), D.int64
                    if str(e) == "float":
                        return _floats(arr, xp.float32, True, value), D.float32
                    raise
            try:
                return _convert_as(D.int64, value, arr), D.int64
            except _Fail as e:
                if str(e) == "float":
                    return _floats(arr, xp.float64, False, value), D.float64
                raise
        if kind == "bool":
            return _convert_as(D.bool, value, arr), D.bool
        if kind == "complex":
            return _convert_as(D.complex128, value, arr), D.complex128
        if kind == "string":
            return _strings(value, arr), D.string
    except _Fail as e:
        msg = str(e)
        raise ValueError(ERR_RANGE if msg == "int64" else msg) from None
    # a sequence holding tensors: TF packs them (their dtype wins)
    return arr.astype(kind._np) if kind._np is not None else arr, kind


def _compatible(desired, got):
    """TF's IsCompatible: can the inferred dtype be Cast to the requested one."""
    if desired is got:
        return True
    if desired.is_integer:
        return got.is_integer
    if desired.is_floating:
        return got.is_floating or got.is_integer
    if desired.is_complex:
        return got.is_complex or got.is_floating or got.is_integer
    return False


def _convert_sequence(value, dtype):
    """A Python scalar or nested sequence to an EagerTensor (requested ``dtype`` or None)."""
    leaf, depth = _first_leaf(value)
    if leaf is _EMPTY:  # empty: float32 unless a dtype is requested
        shape = _as_array(value, depth).shape
        d = dtype or D.float32
        return EagerTensor(xp.zeros(shape, dtype=d._np if d is not D.string else object), d)
    kind = _leaf_kind(leaf)
    if kind == "string":
        arr = xp.array(value, dtype=object)
        if arr.ndim != depth:
            raise ValueError(ERR_RECTANGULAR)
    else:
        arr = _as_array(value, depth)
    if dtype is not None and dtype in _CONVERTERS:
        try:
            return EagerTensor(_convert_as(dtype, value, arr), dtype)
        except _Fail:
            pass
    out, got = _convert_inferred(value, kind, arr, dtype)
    if dtype is None or got is dtype:
        return EagerTensor(out, got)
    if not _compatible(dtype, got):
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
    return EagerTensor(cast_array(out, got, dtype), dtype)


def cast_array(arr, src, dst):
    """NumPy cast with TF's Cast semantics for the cases conversion needs (wrap-around ints)."""
    return _astype(arr, dst._np)


def _astype(arr, np_t):
    """A silent NumPy cast: complex drops its imaginary part, overflow gives inf / wraps."""
    if arr.dtype.kind == "c" and np_t.kind != "c":
        arr = arr.real
    with xp.errstate(over="ignore", invalid="ignore"):
        return arr.astype(np_t)


# ---------------------------------------------------------------- strings

def _encode_strings(arr, strict=False):
    """Object array of bytes (str encoded as UTF-8); ``strict``: a sequence's converter."""
    out = xp.empty(arr.shape, dtype=object)
    flat_in, flat_out = arr.reshape(-1), out.reshape(-1)
    for i, s in enumerate(flat_in):
        if isinstance(s, _str):
            s = s.encode("utf-8")
        elif isinstance(s, _bytes):
            s = _bytes(s)
        elif strict:
            raise _Fail(ERR_MIXED)
        else:
            raise ValueError(f"Failed to convert a NumPy array to a Tensor (Unsupported object "
                             f"type {type(s).__name__}).")
        flat_out[i] = s
    return out


# ---------------------------------------------------------------- NumPy values

def _from_numpy(value, dtype):
    """NumPy arrays keep their dtype; a requested dtype force-casts (TF uses NumPy for it)."""
    k = value.dtype.kind
    if k in "SUO":
        if dtype is not None and dtype is not D.string:
            if k == "O":
                raise ValueError("Failed to convert a NumPy array to a Tensor (Unsupported "
                                 "object type str).")
            return EagerTensor(_astype(value, dtype._np), dtype)
        return EagerTensor(_encode_strings(value), D.string)
    if dtype is None:
        return EagerTensor(value, D.from_numpy(value.dtype))
    if dtype is D.string:
        raise ValueError(f"Failed to convert a NumPy array to a Tensor (Unsupported object type "
                         f"{value.dtype.type.__name__}).")
    if value.dtype is dtype._np or value.dtype == dtype._np:
        return EagerTensor(value, dtype)
    return EagerTensor(_astype(value, dtype._np), dtype)


# ---------------------------------------------------------------- Python scalars (fast paths)

def _from_float(value, dtype):
    if value == 0.0:
        # TF caches the tensors of Python scalars keyed by value, and -0.0 == 0.0: in practice
        # tf.constant(-0.0) returns the cached +0.0 (its repr fixture shows 0.0)
        value = 0.0
    if dtype is None or dtype is D.float32:
        if not -_F32_OVERFLOW < value < _F32_OVERFLOW and not math.isnan(value):
            if dtype is None and not math.isinf(value):  # TF's FloatConverter refuses it
                raise ValueError(ERR_RANGE_DOUBLE)
            value = math.copysign(_INF, value)  # requested float32: converted, then Cast
        return EagerTensor(xp.array(value, xp.float32), D.float32)
    if dtype._kind in "fc":
        with xp.errstate(over="ignore"):
            return EagerTensor(xp.array(value, dtype._np), dtype)
    raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")


def _from_int(value, dtype):
    if dtype is None or dtype is D.int32:
        if _INT32_MIN <= value <= _INT32_MAX:
            return EagerTensor(xp.array(value, xp.int32), D.int32)
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise ValueError(ERR_RANGE)
        if dtype is None:
            return EagerTensor(xp.array(value, xp.int64), D.int64)
        return EagerTensor(xp.array(value, xp.int64).astype(xp.int32), D.int32)
    k = dtype._kind
    if k in "iu":
        if dtype is D.uint64 and 0 <= value < 2**64:
            return EagerTensor(xp.array(value, xp.uint64), dtype)
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise ValueError(ERR_RANGE)
        return EagerTensor(xp.array(value, xp.int64).astype(dtype._np), dtype)
    if k in "fc":
        try:
            f = _float(value)
        except OverflowError:
            raise ValueError(ERR_RANGE_DOUBLE) from None
        with xp.errstate(over="ignore"):
            return EagerTensor(xp.array(f, dtype._np), dtype)
    raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")


def _from_bool(value, dtype):
    if dtype is None or dtype is D.bool:
        return EagerTensor(xp.array(value), D.bool)
    if dtype in _CONVERTERS and dtype is not D.string:  # the int/float converters take bools
        return EagerTensor(xp.array(_int(value), dtype._np), dtype)
    raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")


_SCALAR_CONVERTERS = {_float: _from_float, _int: _from_int, _bool: _from_bool}


def convert_to_eager_tensor(value, dtype=None):
    """TF's ``ConvertToEagerTensor``: a non-tensor value to an EagerTensor of ``dtype``.

    This is what ``tf.constant`` does with its value; ``convert_to_tensor`` uses it for
    anything that is not already a tensor.
    """
    t = type(value)
    conv = _SCALAR_CONVERTERS.get(t)
    if conv is not None:
        return conv(value, dtype)
    if t is xp.ndarray:
        return _from_numpy(value, dtype)
    if isinstance(value, xp.generic):
        return _from_numpy(xp.asarray(value), dtype)
    if t is TensorShape:
        return _from_shape(value, dtype)
    if not isinstance(value, (list, tuple, range, _str, _bytes)) and hasattr(value, "__array__"):
        return _from_numpy(xp.asarray(value), dtype)
    return _convert_sequence(value, dtype)


def _from_shape(shape, dtype):
    if not shape.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
    dims = shape.as_list()
    if dtype is None:
        dtype = D.int64 if any(d >= 2**31 for d in dims) else D.int32
    return EagerTensor(xp.array(dims, dtype=dtype._np), dtype)


# ---------------------------------------------------------------- the public conversion

_REGISTRY = []  # (base_type, conversion_func, priority) from register_tensor_conversion_function


@tf_export("convert_to_tensor")
def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """Converts ``value`` to a ``tf.Tensor``.

    ``dtype`` is required (a tensor of another dtype raises ValueError; Python values that
    cannot become it raise TypeError). ``dtype_hint`` is only a preference: when the value cannot
    be converted to it, the value's own dtype is used.

    Example:
      >>> tf.convert_to_tensor([1, 2.5]).dtype
      tf.float32
      >>> tf.convert_to_tensor(1, dtype_hint=tf.float32).dtype
      tf.float32
    """
    t = type(value)
    if t is EagerTensor:
        if dtype is not None and value._dtype is not dtypes.as_dtype(dtype):
            raise _dtype_request_error(value, dtypes.as_dtype(dtype))
        return value
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    conv = _SCALAR_CONVERTERS.get(t)
    if conv is not None:  # Python scalars: the common case in operators
        if dtype is None and dtype_hint is not None:
            try:
                return conv(value, dtypes.as_dtype(dtype_hint))
            except (TypeError, ValueError):
                pass
        return conv(value, dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype != dtype:
            raise _dtype_request_error(value, dtype)
        return value
    conv = getattr(value, "__tf_tensor__", None)
    if conv is not None and not isinstance(value, type):
        return _checked(conv(dtype, name), dtype)
    if _REGISTRY and t not in _SCALAR_CONVERTERS:
        out = _convert_registered(value, dtype, dtype_hint, name)
        if out is not None:
            return out
    if dtype is None and dtype_hint is not None:
        hint = dtypes.as_dtype(dtype_hint)
        try:
            return convert_to_eager_tensor(value, hint)
        except (TypeError, ValueError):
            pass
    return convert_to_eager_tensor(value, dtype)


@tf_export("compat.v1.convert_to_tensor")
def convert_to_tensor_v1(value, dtype=None, name=None, preferred_dtype=None, dtype_hint=None):
    """TF1's signature: ``preferred_dtype`` is the old name of ``dtype_hint``."""
    return convert_to_tensor(value, dtype, dtype_hint or preferred_dtype, name)


def _dtype_request_error(value, dtype):
    return ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                      f"{value.dtype.name}: {value!r}")


def _checked(out, dtype):
    if dtype is not None and out.dtype != dtype:
        raise _dtype_request_error(out, dtype)
    return out


@tf_export("register_tensor_conversion_function")
def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    """Registers ``conversion_func(value, dtype=None, name=None, as_ref=False)`` for
    ``base_type`` (a type or tuple of types); lower priorities are tried first."""
    types = base_type if isinstance(base_type, tuple) else (base_type,)
    if any(ty in (_int, _float, _bool, _str, _bytes, list, tuple) or
           (isinstance(ty, type) and issubclass(ty, (xp.ndarray, xp.generic))) for ty in types):
        raise TypeError("Cannot register conversions for Python numeric types and NumPy scalars "
                        "and arrays.")
    _REGISTRY.append((types, conversion_func, priority))
    _REGISTRY.sort(key=lambda e: e[2])


def _convert_registered(value, dtype, dtype_hint, name):
    for types, func, _ in _REGISTRY:
        if not isinstance(value, types):
            continue
        out = None
        if dtype is None and dtype_hint is not None:
            try:
                out = func(value, dtype=dtypes.as_dtype(dtype_hint), name=name, as_ref=False)
            except (TypeError, ValueError):
                out = None
        if out is None:
            out = func(value, dtype=dtype, name=name, as_ref=False)
        if out is NotImplemented:
            continue
        return _checked(out, dtype)
    return None


# ---------------------------------------------------------------- operand conversion for ops

def _dtype_of(v):
    """The dtype that fixes the other operands: tensors and tensor-likes (Variables)."""
    if isinstance(v, Tensor):
        return v.dtype
    if getattr(v, "_is_tensor_like", False) or hasattr(v, "__tf_tensor__"):
        return getattr(v, "dtype", None)
    return None


def args_to_matching(values):
    """TF's ``args_to_matching_eager``: the first tensor's dtype converts the other operands
    (strictly: ``tf.multiply(tf.constant([1]), 2.5)`` is a TypeError); without tensors the
    first operand's inferred dtype does."""
    dtype = None
    for v in values:
        dtype = _dtype_of(v)
        if dtype is not None:
            break
    out = []
    for v in values:
        if type(v) is not EagerTensor:
            if dtype is None:
                v = convert_to_tensor(v)
                dtype = v.dtype
            elif not isinstance(v, Tensor):
                v = convert_to_tensor(v, dtype=dtype)
        out.append(v)
    return out


def convert_pair(x, y):
    """``args_to_matching`` for two operands (the common case, kept cheap)."""
    if type(x) is EagerTensor:
        if type(y) is not EagerTensor and not isinstance(y, Tensor):
            y = convert_to_tensor(y, dtype=x._dtype)
        return x, y
    if type(y) is EagerTensor and not _dtype_of(x):
        return convert_to_tensor(x, dtype=y._dtype), y
    x, y = args_to_matching((x, y))
    return x, y


def convert_pair_hint(x, y):
    """``tf.add``'s rule: ``x`` converts on its own, ``y`` with x's dtype as a hint only, so a
    mismatch reaches the op (``tf.add(1, 2.5)`` is an InvalidArgumentError, not a TypeError)."""
    if type(x) is not EagerTensor:
        x = convert_to_tensor(x)
    if type(y) is not EagerTensor and not isinstance(y, Tensor):
        y = convert_to_tensor(y, dtype_hint=x.dtype)
    return x, y
