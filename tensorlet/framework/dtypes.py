"""``tf.DType``: TensorFlow's data types, each a singleton mapped to a NumPy dtype."""
import builtins

from tensorlet.backend import bfloat16 as _np_bfloat16
from tensorlet.backend import ml_dtypes as _ml
from tensorlet.backend import xp
from tensorlet.framework.export import tf_export


_INSTANCES = []


@tf_export("dtypes.DType", "DType")
class DType:
    """A TensorFlow element type (``tf.float32``); compares equal to its name and NumPy type."""

    __slots__ = ("_name", "_enum", "_np", "_kind", "_index")

    def __init__(self, name, enum, np_type, kind):
        self._name = name
        self._enum = enum
        self._np = xp.dtype(np_type) if np_type is not None else None
        self._index = len(_INSTANCES)  # position in _INSTANCES: rule tables index lists by it
        _INSTANCES.append(self)
        self._kind = kind  # 'f' float, 'i' signed int, 'u' unsigned, 'b' bool, 'c' complex, 'S' string, 'R' resource

    name = property(lambda self: self._name)
    as_datatype_enum = property(lambda self: self._enum)
    is_floating = property(lambda self: self._kind == "f")
    is_integer = property(lambda self: self._kind in "iu")
    is_unsigned = property(lambda self: self._kind in "ub")
    is_complex = property(lambda self: self._kind == "c")
    is_bool = property(lambda self: self._kind == "b")
    is_numeric = property(lambda self: self._kind in "fiuc")
    is_quantized = property(lambda self: False)
    base_dtype = property(lambda self: self)
    experimental_is_string = property(lambda self: self._kind == "S")

    @property
    def as_numpy_dtype(self):
        return self._np.type if self._kind != "S" else object

    @property
    def is_numpy_compatible(self):
        """False for the handle types (resource, variant) NumPy cannot hold."""
        return self._name not in ("resource", "variant")

    @property
    def real_dtype(self):
        return {"complex64": float32, "complex128": float64}.get(self._name, self)

    @property
    def size(self):
        return self._np.itemsize if self._kind not in "SR" else 1

    @property
    def min(self):
        return self._limits()[0]

    @property
    def max(self):
        return self._limits()[1]

    @property
    def limits(self):
        return self._limits()

    def _limits(self):
        if self._kind == "b":
            return False, True
        if self._kind in "iu":
            info = xp.iinfo(self._np)
            return int(info.min), int(info.max)
        if self._kind == "f":  # TF returns NumPy scalars of the type itself for floats
            info = _ml.finfo(self._np) if self._name == "bfloat16" else xp.finfo(self._np)
            return self._np.type(info.min), self._np.type(info.max)
        raise TypeError(f"Cannot find minimum value of {self!r}.")

    def is_compatible_with(self, other):
        return self == as_dtype(other)

    def __eq__(self, other):
        if other is self:
            return True
        if other is None:
            return False
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return "tf." + self._name

    def __str__(self):
        return f"<dtype: '{self._name}'>"

    def __reduce__(self):
        return as_dtype, (self._name,)


_ALL = [
    # name, enum, numpy type, kind
    ("float16", 19, xp.float16, "f"), ("bfloat16", 14, _np_bfloat16, "f"),
    ("float32", 1, xp.float32, "f"), ("float64", 2, xp.float64, "f"),
    ("int8", 6, xp.int8, "i"), ("int16", 5, xp.int16, "i"), ("int32", 3, xp.int32, "i"),
    ("int64", 9, xp.int64, "i"), ("uint8", 4, xp.uint8, "u"), ("uint16", 17, xp.uint16, "u"),
    ("uint32", 22, xp.uint32, "u"), ("uint64", 23, xp.uint64, "u"), ("bool", 10, xp.bool_, "b"),
    ("complex64", 8, xp.complex64, "c"), ("complex128", 18, xp.complex128, "c"),
    ("string", 7, object, "S"), ("resource", 20, None, "R"), ("variant", 21, None, "R"),
]
_BY_NAME = {}
_BY_ENUM = {}
_BY_NP = {}
for _name, _enum, _np_t, _kind in _ALL:
    _d = DType(_name, _enum, _np_t, _kind)
    globals()[_name] = _d
    _BY_NAME[_name] = _BY_ENUM[_enum] = _d
    if _np_t is not None:
        _BY_NP[xp.dtype(_np_t)] = _d
    tf_export.constant(__name__, _name, "dtypes." + _name, _name)
_BY_NAME.update(half=float16, float=float32, double=float64, bool_=bool)
half, double = float16, float64
tf_export.constant(__name__, "half", "dtypes.half", "half")
tf_export.constant(__name__, "double", "dtypes.double", "double")
_BY_NP[xp.dtype(xp.str_)] = _BY_NP[xp.dtype(xp.bytes_)] = string
# NB: below this point the module-level name ``bool`` is tf.bool; Python's is builtins.bool
# TF maps only these Python types (`tf.as_dtype(int)` and `tf.as_dtype(str)` raise TypeError)
_PY_TYPES = {builtins.float: float32, builtins.bool: bool, builtins.object: string}


@tf_export("dtypes.as_dtype", "as_dtype")
def as_dtype(type_value):
    """Converts ``type_value`` (DType, name, NumPy dtype/type, enum) to a ``tf.DType``."""
    if type(type_value) is DType:
        return type_value
    if isinstance(type_value, str):
        d = _BY_NAME.get(type_value)
        if d is not None:
            return d
    elif isinstance(type_value, int) and not isinstance(type_value, builtins.bool):
        d = _BY_ENUM.get(type_value)
        if d is not None:
            return d
    elif type_value in _PY_TYPES:
        return _PY_TYPES[type_value]
    elif type_value is builtins.int or type_value is builtins.str:
        pass  # NumPy would accept them; TF does not
    else:
        try:
            np_dtype = xp.dtype(type_value)
        except (TypeError, ValueError):  # e.g. a TensorSpec: TF's TypeError below
            np_dtype = None
        if np_dtype is not None:
            d = _BY_NP.get(np_dtype) or (string if np_dtype.kind in "SUO" else None)
            if d is not None:
                return d
    raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.")


def from_numpy(np_dtype):
    """The DType of a NumPy dtype (fast path used when wrapping kernel results)."""
    d = _BY_NP.get(np_dtype)
    if d is None:
        d = as_dtype(np_dtype)
    return d


FLOATS = (float16, bfloat16, float32, float64)
INTS = (int8, int16, int32, int64, uint8, uint16, uint32, uint64)
COMPLEX = (complex64, complex128)
NUMERIC = FLOATS + INTS + COMPLEX
