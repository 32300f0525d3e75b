"""``tf.convert_to_tensor``: Python values, NumPy arrays and tensor-likes to EagerTensors.

TF's rules, which differ from NumPy's: Python floats become float32 and ints int32 (int64 when
they do not fit), NumPy arrays keep their dtype, and with a requested dtype Python ints wrap
around (``tf.constant(-1, tf.uint8)`` is 255) while Python floats refuse to become integers.
"""
import builtins

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_NP_SCALAR = xp.generic


def _infer_py_dtype(value):
    """TF's dtype for a Python scalar or nested list (None if it cannot tell, e.g. [])."""
    kinds = set()
    big = [False]

    def walk(v):
        t = type(v)
        if t is builtins.bool or t is xp.bool_:
            kinds.add("b")
        elif t is builtins.int or isinstance(v, xp.integer):
            kinds.add("i")
            if isinstance(v, builtins.int) and not (_INT32_MIN <= v <= _INT32_MAX):
                big[0] = True
            elif isinstance(v, xp.integer) and v.dtype.itemsize == 8:
                big[0] = True
        elif t is builtins.float or isinstance(v, xp.floating):
            kinds.add("f")
        elif t is builtins.complex or isinstance(v, xp.complexfloating):
            kinds.add("c")
        elif t is builtins.str or t is builtins.bytes:
            kinds.add("s")
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        elif isinstance(v, Tensor):
            kinds.add(v.dtype.name)
        elif isinstance(v, xp.ndarray):
            kinds.add(v.dtype.name)
        else:
            raise ValueError(f"Attempt to convert a value ({v!r}) with an unsupported type "
                             f"({type(v)}) to a Tensor.")

    walk(value)
    if not kinds:
        return None
    if "s" in kinds:
        if len(kinds) > 1:
            raise TypeError(f"Failed to convert elements of {value} to Tensor.")
        return dtypes.string
    for k in kinds:
        if len(k) > 1:  # a nested tensor / array: its dtype wins (TF packs them)
            return dtypes.as_dtype(k)
    if "c" in kinds:
        return dtypes.complex128
    if "f" in kinds:
        return dtypes.float32
    if "i" in kinds:
        return dtypes.int64 if big[0] else dtypes.int32
    return dtypes.bool


def _to_array(value, dtype):
    """Builds a backend array of ``dtype`` from a Python value, with TF's checks."""
    np_t = dtype._np if dtype is not dtypes.string else object
    if dtype is dtypes.string:
        arr = xp.array(value, dtype=object)
        return _encode_strings(arr)
    if dtype.is_integer or dtype.is_bool:
        _check_no_floats(value, dtype)
        if dtype.is_integer:
            arr = xp.array(value, dtype=object if _has_big_ints(value) else None)
            if arr.dtype == object or arr.dtype.kind in "iub":
                return _wrap_ints(arr, np_t)
    return xp.array(value, dtype=np_t)


def _has_big_ints(v):
    if isinstance(v, (list, tuple)):
        return any(_has_big_ints(x) for x in v)
    return type(v) is builtins.int and not (-(2**63) <= v < 2**63)


def _wrap_ints(arr, np_t):
    """Python ints wrap around into the requested integer type, as in TF's conversion."""
    if arr.dtype == object:
        bits = xp.dtype(np_t).itemsize * 8
        arr = xp.array([int(x) & ((1 << bits) - 1) for x in arr.ravel()], dtype=xp.uint64).reshape(arr.shape)
    return arr.astype(np_t)


def _check_no_floats(value, dtype):
    def walk(v):
        if isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        elif type(v) is builtins.float or type(v) is builtins.complex:
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
        elif type(v) is builtins.bool and not dtype.is_bool:
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
        elif isinstance(v, (builtins.str, builtins.bytes)):
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")

    walk(value)


def _encode_strings(arr):
    out = xp.empty(arr.shape, dtype=object)
    flat_in, flat_out = arr.ravel(), out.reshape(-1)
    for i, s in enumerate(flat_in):
        if isinstance(s, str):
            s = s.encode("utf-8")
        elif isinstance(s, xp.bytes_):
            s = bytes(s)
        elif not isinstance(s, bytes):
            raise TypeError(f"Failed to convert elements of {arr.tolist()} to Tensor.")
        flat_out[i] = s
    return out


def _from_numpy(value, dtype):
    if value.dtype.kind in "SUO":
        return EagerTensor(_encode_strings(value) if value.dtype.kind != "O" else value, dtypes.string)
    if dtype is None:
        return EagerTensor(value, dtypes.from_numpy(value.dtype))
    if dtype is dtypes.string:
        raise TypeError(f"Cannot convert array of dtype {value.dtype} to a string tensor")
    return EagerTensor(value.astype(dtype._np, copy=False), dtype)


@tf_export("convert_to_tensor")
def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """Converts ``value`` to a ``tf.Tensor`` of ``dtype`` (or inferred, preferring ``dtype_hint``)."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    t = type(value)
    if t is EagerTensor:
        if dtype is not None and value._dtype is not dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with "
                             f"dtype {value._dtype.name}: {value!r}")
        return value
    if isinstance(value, Tensor):
        return convert_to_tensor(value, dtype) if False else _check_tensor(value, dtype)
    conv = getattr(value, "__tf_tensor__", None)
    if conv is not None:
        return _check_tensor(conv(dtype, name), dtype)
    if t is xp.ndarray or isinstance(value, _NP_SCALAR):
        return _from_numpy(value if t is xp.ndarray else xp.asarray(value), dtype)
    if dtype is None:
        dtype = _infer_py_dtype(value)
        if dtype is None:
            dtype = dtypes.as_dtype(dtype_hint) if dtype_hint is not None else dtypes.float32
        elif dtype_hint is not None:
            hint = dtypes.as_dtype(dtype_hint)
            try:
                return EagerTensor(_to_array(value, hint), hint)
            except (TypeError, ValueError, OverflowError):
                pass
    try:
        arr = _to_array(value, dtype)
    except ValueError as e:
        raise ValueError(f"Can't convert non-rectangular Python sequence to Tensor.") from e
    return EagerTensor(arr, dtype)


def _check_tensor(value, dtype):
    if dtype is not None and value.dtype != dtype:
        raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with "
                         f"dtype {value.dtype.name}: {value!r}")
    return value
