"""Keras dtype names: every dtype is a string (``'float32'``); Python types map as Keras' TF backend."""

from tensorlet.framework import dtypes as tf_dtypes
from tensorlet.keras.src.backend import config

ALLOWED_DTYPES = (
    "float16",
    "float32",
    "float64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "int8",
    "int16",
    "int32",
    "int64",
    "bfloat16",
    "bool",
    "string",
    "float8_e4m3fn",
    "float8_e5m2",
    "complex64",
    "complex128",
)
FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
# TF backend: Python int is int64 ("int" resolves to int64, as for the optimizer's iterations)
PYTHON_DTYPES_MAP = {
    bool: "bool",
    int: "int64",
    float: "float32",
    str: "string",
    "int": "int64",
    complex: "complex128",
}


def standardize_dtype(dtype):
    """The Keras name of ``dtype`` (None -> floatx); raises ValueError for unknown dtypes."""
    if dtype is None:
        return config.floatx()
    if isinstance(dtype, str) and dtype in ALLOWED_DTYPES:
        return str(dtype)
    dtype = PYTHON_DTYPES_MAP.get(dtype, dtype)
    if isinstance(dtype, tf_dtypes.DType):
        dtype = dtype.name
    elif hasattr(dtype, "name") and isinstance(dtype.name, str):
        dtype = dtype.name  # numpy dtypes
    elif hasattr(dtype, "__name__"):
        dtype = dtype.__name__  # numpy scalar types
    if dtype == "str":
        dtype = "string"
    if dtype not in ALLOWED_DTYPES:
        raise ValueError(f"Invalid dtype: {dtype}")
    return str(dtype)


def is_float_dtype(dtype):
    return standardize_dtype(dtype) in FLOAT_TYPES


def is_int_dtype(dtype):
    return standardize_dtype(dtype) in INT_TYPES


def dtype_size(dtype):
    """Bits per element (Keras' ``dtype_utils.dtype_size``)."""
    dtype = standardize_dtype(dtype)
    if dtype == "bool":
        return 1
    if dtype == "string":
        return 8
    return tf_dtypes.as_dtype(dtype).size * 8


def result_type(*dtypes):
    """A small version of Keras' type promotion: Python scalars are weak, floats beat ints."""
    strong = [standardize_dtype(d) for d in dtypes if d not in (int, float, bool, complex)]
    weak = [d for d in dtypes if d in (int, float, bool, complex)]
    if not strong:
        return standardize_dtype(weak[0]) if weak != [int] else "int32"
    out = strong[0]
    for d in strong[1:]:
        out = _promote(out, d)
    if float in weak and out not in FLOAT_TYPES:
        out = config.floatx()
    return out


def _promote(a, b):
    if a == b:
        return a
    a_float, b_float = a in FLOAT_TYPES, b in FLOAT_TYPES
    if a_float != b_float:
        return a if a_float else b
    return a if tf_dtypes.as_dtype(a).size >= tf_dtypes.as_dtype(b).size else b


class DTypeName(str):
    """A Keras dtype string (``'float32'``) that also answers ``tf.DType`` questions.

    Keras reports ``variable.dtype`` as a string; tensorlet's tape and ops also read
    ``.is_floating`` / ``.as_numpy_dtype`` from it, as TF does through the variable handle.
    """

    __slots__ = ()

    def __getattr__(self, name):
        return getattr(tf_dtypes.as_dtype(str(self)), name)
