import numpy as np
import pytest

import tensorlet as tf


@pytest.mark.parametrize("name,enum,np_type", [
    ("float32", 1, np.float32), ("float64", 2, np.float64), ("int32", 3, np.int32),
    ("uint8", 4, np.uint8), ("int64", 9, np.int64), ("bool", 10, np.bool_),
    ("float16", 19, np.float16), ("complex128", 18, np.complex128), ("uint64", 23, np.uint64),
])
def test_dtype_identity_and_conversions(name, enum, np_type):
    d = getattr(tf, name)
    assert tf.as_dtype(name) is d and tf.as_dtype(enum) is d and tf.as_dtype(np_type) is d
    assert d.as_datatype_enum == enum and d.as_numpy_dtype is np_type
    assert d == name and d == np_type and d != "int16"
    assert str(d) == f"<dtype: '{name}'>" and repr(d) == f"tf.{name}"


def test_properties_and_limits():
    assert tf.int8.min == -128 and tf.uint8.max == 255 and tf.bool.max is True
    assert tf.float32.is_floating and not tf.int32.is_floating and tf.uint16.is_unsigned
    assert tf.complex64.real_dtype is tf.float32 and tf.complex64.is_complex
    assert tf.bfloat16.size == 2 and tf.bfloat16.name == "bfloat16"
    assert tf.as_dtype(float) is tf.float32 and tf.as_dtype(bool) is tf.bool
    assert tf.as_dtype(object) is tf.string and tf.string.as_numpy_dtype is object
    for t in (int, str):  # TF maps only float, bool and object
        with pytest.raises(TypeError):
            tf.as_dtype(t)
    assert type(tf.float16.max) is np.float16 and type(tf.int32.max) is int
    assert tf.half is tf.float16 and tf.double is tf.float64
    with pytest.raises(TypeError):
        tf.as_dtype("float31")
    with pytest.raises(TypeError):
        tf.string.min
