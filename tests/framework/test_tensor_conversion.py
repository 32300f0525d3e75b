"""tf.convert_to_tensor / tf.constant conversion rules: literal inference from the first leaf,
int32/int64/float32 promotion, wrap-around into requested integer types, refusals (floats to
ints, mixed types, ragged), NumPy force-casts, dtype_hint, tensor-likes, registered conversion
functions, and the operand conversion helpers of the op modules."""
import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework import tensor_conversion as tc


@pytest.mark.parametrize("value,dtype,expected", [
    (1, "int32", 1), (1.0, "float32", 1.0), ([1, 2.5], "float32", [1, 2.5]), (True, "bool", True),
    ("a", "string", b"a"), (b"a", "string", b"a"), (1j, "complex128", 1j),
    ([], "float32", []), ([[]], "float32", np.zeros((1, 0))),
    (2 ** 31 - 1, "int32", 2 ** 31 - 1), (2 ** 31, "int64", 2 ** 31), (-2 ** 31, "int32", -2 ** 31),
    (-2 ** 31 - 1, "int64", -2 ** 31 - 1), (2 ** 63 - 1, "int64", 2 ** 63 - 1),
    ([1, 2 ** 40], "int64", [1, 2 ** 40]), ([1.0, True], "float32", [1, 1]),
    ([1, True], "int32", [1, 1]), ([[1, 2], [3.5, 4]], "float32", [[1, 2], [3.5, 4]]),
    ([np.int64(1)], "int32", [1]), ([np.float64(1.0)], "float64", [1.0]),
    ([np.float32(1.0), 2], "float32", [1, 2]), ([np.float16(1.0)], "float16", [1.0]),
    ([np.array([1, 2]), np.array([3, 4])], "int32", [[1, 2], [3, 4]]),
    ([[1j, 2], [3, 4.5]], "complex128", [[1j, 2], [3, 4.5]]),
    (range(3), "int32", [0, 1, 2]), ((1, 2), "int32", [1, 2]), (["a", b"b"], "string", [b"a", b"b"]),
    (np.array([1.0, 2.0]), "float64", [1, 2]), (np.array([1, 2]), "int64", [1, 2]),
    (np.array([1, 2], np.int32), "int32", [1, 2]), (np.float32(1), "float32", 1),
    (np.float64(1), "float64", 1), (np.int64(1), "int64", 1), (np.array(True), "bool", True),
    (np.array(["a", "bc"]), "string", [b"a", b"bc"]), (np.uint8(7), "uint8", 7),
    (np.float16(1), "float16", 1), (tf.TensorShape([2, 3]), "int32", [2, 3]),
    ([tf.constant(1.0), 2.0], "float32", [1, 2]),
])
def test_literal_inference(value, dtype, expected):
    t = tf.convert_to_tensor(value)
    assert t.dtype.name == dtype
    got = np.asarray(t.numpy())
    np.testing.assert_array_equal(got, np.asarray(expected, dtype=object if dtype == "string" else
                                                  None).astype(got.dtype))
    assert tf.constant(value).dtype.name == dtype


@pytest.mark.parametrize("value,dtype,expected", [
    (1, tf.float32, 1.0), (-1, tf.uint8, 255), (300, tf.uint8, 44), (2 ** 40, tf.int32, 0),
    (2 ** 31 + 5, tf.int32, -2147483643), (np.array([1.5]), tf.int32, [1]),
    (np.array([1.5]), tf.float32, [1.5]), ([1, 2], tf.float64, [1, 2]),
    (np.array([1, 2]), tf.float32, [1, 2]), (True, tf.int32, 1), (True, tf.float32, 1.0),
    ([True, 1.0], tf.float32, [1, 1]), (1e40, tf.float32, np.inf), (1e5, tf.float16, np.inf),
    (1.5, tf.bfloat16, 1.5), (1.5, tf.complex64, 1.5), (2, tf.complex64, 2), (-1, tf.uint32,
                                                                              4294967295),
    (2 ** 63, tf.uint64, 2 ** 63), ([-1, 5], tf.int8, [-1, 5]), (np.array([np.nan]), tf.int32,
                                                                 [-2147483648]),
])
def test_requested_dtype(value, dtype, expected):
    t = tf.convert_to_tensor(value, dtype=dtype)
    assert t.dtype == dtype
    np.testing.assert_array_equal(np.asarray(t.numpy(), np.float64) if dtype != tf.uint64 else
                                  t.numpy(), np.asarray(expected, dtype=np.float64 if dtype !=
                                                        tf.uint64 else np.uint64))


@pytest.mark.parametrize("value,kw,cls,message", [
    (2 ** 63, {}, ValueError, "out-of-range integer"),
    (2 ** 64, {"dtype": tf.int32}, ValueError, "out-of-range integer"),
    (1.5, {"dtype": tf.int32}, TypeError, "Cannot convert 1.5 to EagerTensor of dtype int32"),
    (1.0, {"dtype": tf.int32}, TypeError, "Cannot convert 1.0 to EagerTensor of dtype int32"),
    ([1, 2.5], {"dtype": tf.int32}, TypeError, "Cannot convert"),
    (1, {"dtype": tf.bool}, TypeError, "Cannot convert 1 to EagerTensor of dtype bool"),
    (True, {"dtype": tf.int8}, TypeError, "dtype int8"),
    ("a", {"dtype": tf.int32}, TypeError, "Cannot convert 'a' to EagerTensor of dtype int32"),
    (1, {"dtype": tf.string}, TypeError, "dtype string"),
    (1j, {"dtype": tf.float32}, TypeError, "dtype float"),
    ([1, None], {}, ValueError, "mixed types"),
    ([[1, 2], [3]], {}, ValueError, "non-rectangular"),
    ([1, "a"], {}, ValueError, "mixed types"),
    ([True, 1], {}, ValueError, "mixed types"),
    ([1.0, 1j], {}, ValueError, "mixed types"),
    ([-1, 2 ** 63], {}, ValueError, "out-of-range integer"),
    (1e40, {}, ValueError, "out of range for a double-precision float"),
    (None, {}, ValueError, "Attempt to convert a value (None) with an unsupported type"),
    (object(), {}, ValueError, "unsupported type"),
    ([1, None], {"dtype": tf.float32}, ValueError, "mixed types"),
    (np.array([1, 2]), {"dtype": tf.string}, ValueError, "Failed to convert a NumPy array"),
    (tf.TensorShape([None, 2]), {}, ValueError, "partially known"),
])
def test_refusals(value, kw, cls, message):
    with pytest.raises(cls, match=message.replace("(", r"\(").replace(")", r"\)")):
        tf.convert_to_tensor(value, **kw)


def test_tensors_and_hints():
    t = tf.constant(1)
    assert tf.convert_to_tensor(t) is t
    assert tf.convert_to_tensor(t, dtype=tf.int32) is t
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32 for Tensor "
                                         "with dtype int32"):
        tf.convert_to_tensor(t, dtype=tf.float32)
    assert tf.convert_to_tensor(1, dtype_hint=tf.float32).dtype == tf.float32
    assert tf.convert_to_tensor(1.5, dtype_hint=tf.int32).dtype == tf.float32
    assert tf.convert_to_tensor(-1, dtype_hint=tf.uint8).numpy() == 255
    assert tf.convert_to_tensor(t, dtype_hint=tf.float32) is t
    assert tf.convert_to_tensor("a", dtype_hint=tf.float32).dtype == tf.string
    assert tf.compat.v1.convert_to_tensor(1, preferred_dtype=tf.int64).dtype == tf.int64
    assert tf.convert_to_tensor(1, dtype="float64").dtype == tf.float64
    assert tf.convert_to_tensor(1, dtype=np.int8).dtype == tf.int8


def test_python_negative_zero_is_the_cached_zero():
    assert not np.signbit(tf.constant(-0.0).numpy())
    assert np.signbit(tf.constant([-0.0]).numpy()[0])
    assert np.signbit(tf.constant(np.float32(-0.0)).numpy())


def test_numpy_inputs_do_not_change_type_silently():
    a = np.array([1, 2], np.int16)
    t = tf.convert_to_tensor(a)
    assert t.dtype == tf.int16
    assert tf.convert_to_tensor(a, dtype=tf.int16).numpy().dtype == np.int16
    assert tf.convert_to_tensor(np.array([1.7, -1.7]), tf.int32).numpy().tolist() == [1, -1]


def test_tensor_likes_and_registration():
    class Holder:
        def __init__(self, v):
            self.v = v

        def __tf_tensor__(self, dtype=None, name=None):
            return tf.constant(self.v, dtype=dtype)

    assert tf.convert_to_tensor(Holder(2.0)).numpy() == 2.0
    assert tf.convert_to_tensor(Holder(2), dtype=tf.float32).dtype == tf.float32

    class Meters:
        def __init__(self, v):
            self.v = v

    calls = []

    def convert(value, dtype=None, name=None, as_ref=False):
        calls.append(dtype)
        return tf.constant(value.v, dtype=dtype)

    tf.register_tensor_conversion_function(Meters, convert)
    try:
        assert tf.convert_to_tensor(Meters(3.0)).numpy() == 3.0
        assert tf.convert_to_tensor(Meters(3), dtype_hint=tf.float64).dtype == tf.float64
        assert (tf.constant(1.0) + Meters(2.0)).numpy() == 3.0
    finally:
        tc._REGISTRY[:] = [e for e in tc._REGISTRY if e[1] is not convert]
    with pytest.raises(TypeError):
        tf.register_tensor_conversion_function(int, convert)


def test_operand_helpers():
    x, y = tc.convert_pair(2, tf.constant(1.5))
    assert x.dtype == y.dtype == tf.float32
    x, y = tc.convert_pair(tf.constant([1]), np.array([1.9]))
    assert y.dtype == tf.int32 and y.numpy().tolist() == [1]
    with pytest.raises(TypeError):
        tc.convert_pair(tf.constant([1]), 2.5)
    with pytest.raises(TypeError):
        tc.convert_pair(1, 2.5)
    x, y = tc.convert_pair_hint(1, 2.5)
    assert (x.dtype, y.dtype) == (tf.int32, tf.float32)
    with pytest.raises(TypeError):
        tc.args_to_matching([1.0, tf.constant(2, tf.int64), 3])
    a, b, c = tc.args_to_matching([1, tf.constant(2, tf.int64), 3])
    assert (a.dtype, b.dtype, c.dtype) == (tf.int64,) * 3


def test_python_scalars_are_fast():
    import timeit
    t = min(timeit.repeat(lambda: tf.convert_to_tensor(1.5, dtype_hint=tf.float32), number=2000,
                          repeat=5)) / 2000
    assert t < 20e-6


def test_eager_set_shape_dtype_numpy_compatibility_and_as_dtype_of_a_spec():
    t = tf.constant([1, 2])
    t.set_shape([2])
    t.set_shape([None])
    with pytest.raises(ValueError, match=r"^Tensor's shape \(2,\) is not compatible with "
                                         r"supplied shape \[3\]$"):
        t.set_shape([3])
    assert tf.float32.is_numpy_compatible and not tf.variant.is_numpy_compatible
    with pytest.raises(TypeError, match="Cannot convert the argument `type_value`"):
        tf.as_dtype(tf.TensorSpec([1]))
