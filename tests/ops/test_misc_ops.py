"""tf.timestamp, tf.guarantee_const, tf.make_tensor_proto, tf.TypeSpec / tf.OptionalSpec,
tf.recompute_grad, tf.nondifferentiable_batch_function."""

import doctest
import time

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.ops import misc_ops
from tensorlet.testing import gradient_check

# ---------------------------------------------------------------- timestamp / guarantee_const


def test_timestamp_is_float64_seconds_and_stateful():
    before = time.time()
    t = tf.timestamp()
    assert t.dtype == tf.float64 and t.shape == []
    assert before - 1e-3 <= float(t) <= time.time() + 1e-3
    assert float(t) * 1e6 == pytest.approx(round(float(t) * 1e6))  # microsecond resolution

    @tf.function
    def f():
        return tf.timestamp()

    first = float(f())
    time.sleep(0.002)
    assert float(f()) > first  # runs on every call (never folded while tracing)


@pytest.mark.parametrize("value", [[1, 2], [[1.5]], "s", True])
def test_guarantee_const_is_identity(value):
    x = tf.constant(value)
    y = tf.guarantee_const(x)
    assert y.dtype == x.dtype
    np.testing.assert_array_equal(y.numpy(), x.numpy())
    g = tf.function(lambda v: tf.guarantee_const(v))
    np.testing.assert_array_equal(g(x).numpy(), x.numpy())


def test_guarantee_const_has_no_gradient():
    x = tf.constant(1.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.guarantee_const(x) * 2
    assert t.gradient(y, x) is None


# ---------------------------------------------------------------- make_tensor_proto


@pytest.mark.parametrize(
    "values,kwargs,dtype,np_dtype",
    [
        ([1.0, 2.0], {}, tf.float32, np.float32),  # Python floats: float32
        ([1, 2], {}, tf.int32, np.int32),  # Python ints: int32 when they fit
        ([1, 2**40], {}, tf.int64, np.int64),
        (np.array([1.0, 2.0]), {}, tf.float64, np.float64),  # arrays keep their dtype
        (3, {"dtype": tf.float64}, tf.float64, np.float64),
        ([True, False], {}, tf.bool, np.bool_),
        ([[1, 2], [3, 4]], {"dtype": tf.uint8}, tf.uint8, np.uint8),
        (np.array([1 + 2j, 3j], np.complex64), {}, tf.complex64, np.complex64),
        (np.array([0.5, 1.5], np.float16), {}, tf.float16, np.float16),
        (tf.constant([[1, 2], [3, 4]]), {}, tf.int32, np.int32),
    ],
)
def test_make_tensor_proto_round_trips(values, kwargs, dtype, np_dtype):
    proto = tf.make_tensor_proto(values, **kwargs)
    assert proto.dtype == dtype.as_datatype_enum
    out = tf.make_ndarray(proto)
    assert out.dtype == np_dtype
    np.testing.assert_array_equal(out, np.asarray(values, dtype=np_dtype))


def test_make_tensor_proto_fields():
    raw = tf.make_tensor_proto([1.0, 2.0])
    assert raw.tensor_content == np.array([1, 2], "<f4").tobytes()
    assert str(raw).startswith("dtype: DT_FLOAT\ntensor_shape {\n  dim {\n    size: 2\n  }\n}")
    scalar = tf.make_tensor_proto(1.5)
    assert list(scalar.float_val) == [1.5] and not scalar.tensor_content
    assert "tensor_shape {\n}" in str(scalar)  # an empty shape is still set
    strings = tf.make_tensor_proto([["a", b"b"]])
    assert list(strings.string_val) == [b"a", b"b"]
    np.testing.assert_array_equal(tf.make_ndarray(strings), [[b"a", b"b"]])
    bools = tf.make_tensor_proto([True, False])  # bool is not raw content
    assert list(bools.bool_val) == [True, False]
    proto = tf.make_tensor_proto(tf.make_tensor_proto(1.0))
    assert list(proto.float_val) == [1.0]  # a TensorProto comes back as is


def test_make_tensor_proto_shapes():
    padded = tf.make_tensor_proto([1, 2, 3], shape=[2, 3])
    assert list(padded.int_val) == [1, 2, 3]
    np.testing.assert_array_equal(tf.make_ndarray(padded), [[1, 2, 3], [3, 3, 3]])
    np.testing.assert_array_equal(
        tf.make_ndarray(tf.make_tensor_proto(7.0, shape=[2], allow_broadcast=True)), [7.0, 7.0]
    )
    assert tf.make_ndarray(tf.make_tensor_proto([], shape=[0, 2])).shape == (0, 2)
    with pytest.raises(ValueError, match="Too many elements provided. Takes at most 2, but got 3"):
        tf.make_tensor_proto([1, 2, 3], shape=[2])
    with pytest.raises(TypeError, match=r"Expected Tensor's shape: \(3,\), but got \(2,\)."):
        tf.make_tensor_proto([1, 2], shape=[3], verify_shape=True)
    with pytest.raises(TypeError, match=r"Expected Tensor's shape: \(3,\), but got \(2,\)."):
        tf.make_tensor_proto([1, 2], shape=[3], allow_broadcast=True)
    with pytest.raises(ValueError, match="allow_broadcast and verify_shape are not both allowed"):
        tf.make_tensor_proto(1, verify_shape=True, allow_broadcast=True)


def test_make_tensor_proto_errors():
    with pytest.raises(ValueError, match="None values not supported."):
        tf.make_tensor_proto(None)
    with pytest.raises(TypeError, match="Expected int32, but got 1.5 of type 'float'."):
        tf.make_tensor_proto([1, 1.5], dtype=tf.int32)
    with pytest.raises(ValueError, match="inhomogeneous"):  # NumPy 2's error, as in TF
        tf.make_tensor_proto([[1, 2], [3]])
    with pytest.raises(TypeError, match="Expected binary or unicode string, got 1.0"):
        tf.make_tensor_proto(np.array([1.0]), dtype=tf.string)  # an object array of floats


# ---------------------------------------------------------------- TypeSpec / OptionalSpec


def test_type_spec_is_the_base_of_tensorlets_specs():
    for spec in (
        tf.TensorSpec([2]),
        tf.RaggedTensorSpec([2, None]),
        tf.SparseTensorSpec([2], tf.int32),
        tf.OptionalSpec(tf.TensorSpec([])),
    ):
        assert isinstance(spec, tf.TypeSpec)
    assert issubclass(tf.TensorSpec, tf.TypeSpec)
    assert not isinstance(tf.TensorShape([2]), tf.TypeSpec)
    assert not isinstance(tf.float32, tf.TypeSpec)
    with pytest.raises(TypeError):
        tf.TypeSpec()  # abstract
    assert tf.compat.v1.data.experimental.Structure is tf.TypeSpec


class _PairSpec(tf.TypeSpec):
    """A user subclass: only value_type and _serialize."""

    def __init__(self, shape, dtype):
        self.shape, self.dtype = tf.TensorShape(shape), dtype

    value_type = property(lambda self: tuple)

    def _serialize(self):
        return (self.shape, self.dtype)


def test_type_spec_subclass_behaviour_from_serialize():
    a, b = _PairSpec([2, 3], tf.float32), _PairSpec([None, 3], tf.float32)
    assert repr(a) == "_PairSpec(TensorShape([2, 3]), tf.float32)"
    assert a == _PairSpec([2, 3], tf.float32) and a != b
    assert hash(a) == hash(_PairSpec([2, 3], tf.float32))
    assert a.is_compatible_with(b) and b.is_compatible_with(a)
    assert not a.is_compatible_with(_PairSpec([2, 3], tf.int32))
    assert a.is_subtype_of(b) and not b.is_subtype_of(a)
    assert a.most_specific_common_supertype([_PairSpec([4, 3], tf.float32)]) == b
    assert a.most_specific_common_supertype([_PairSpec([4, 3], tf.int32)]) is None
    assert a.most_specific_common_supertype([tf.TensorSpec([2, 3])]) is None
    assert not a.is_compatible_with(tf.TensorSpec([2, 3]))


def test_optional_spec():
    spec = tf.OptionalSpec(tf.TensorSpec([], tf.int32))
    assert repr(spec) == "OptionalSpec(TensorSpec(shape=(), dtype=tf.int32, name=None),)"
    assert spec == tf.OptionalSpec(tf.TensorSpec([], tf.int32))
    assert spec != tf.OptionalSpec(tf.TensorSpec([], tf.int64))
    assert spec.value_type is tf.experimental.Optional
    opt = tf.experimental.Optional.from_value(5)
    assert tf.OptionalSpec.from_value(opt) == spec
    assert spec.is_compatible_with(opt)
    assert not spec.is_compatible_with(tf.experimental.Optional.from_value(5.0))
    wide = tf.OptionalSpec(tf.TensorSpec([None], tf.int32))
    narrow = tf.OptionalSpec(tf.TensorSpec([2], tf.int32))
    assert narrow.is_subtype_of(wide) and not wide.is_subtype_of(narrow)
    assert (
        narrow.most_specific_common_supertype([tf.OptionalSpec(tf.TensorSpec([3], tf.int32))])
        == wide
    )
    assert tf.compat.v1.data.experimental.OptionalStructure is tf.OptionalSpec


# ---------------------------------------------------------------- recompute_grad


def test_recompute_grad_values_and_gradients():
    calls = []

    def block(x, y):
        calls.append(1)
        return tf.sin(x) * y + x * x

    rblock = tf.recompute_grad(block)
    assert rblock.__name__ == "block"
    x, y = tf.constant([0.5, 1.0]), tf.constant([2.0, 3.0])
    np.testing.assert_allclose(rblock(x, y).numpy(), block(x, y).numpy())
    calls.clear()
    with tf.GradientTape() as t:
        t.watch([x, y])
        out = rblock(x, y)
    gx, gy = t.gradient(out, [x, y])
    assert len(calls) == 2  # the forward, then the recomputation in the gradient
    np.testing.assert_allclose(gx.numpy(), np.cos([0.5, 1.0]) * [2.0, 3.0] + [1.0, 2.0], rtol=1e-6)
    np.testing.assert_allclose(gy.numpy(), np.sin([0.5, 1.0]), rtol=1e-6)
    gradient_check.check_vjp(
        tf.recompute_grad(lambda a, b: tf.exp(a) * b),
        [np.array([0.1, 0.2]), np.array([1.0, 2.0])],
        wrt=(0, 1),
    )


def test_recompute_grad_with_variables_and_unconnected_inputs():
    v = tf.Variable([1.0, 2.0])
    f = tf.recompute_grad(lambda x, z: x * v)
    x, z = tf.constant([3.0, 4.0]), tf.constant(1.0)
    with tf.GradientTape() as t:
        t.watch([x, z])
        out = f(x, z)
    gx, gz, gv = t.gradient(out, [x, z, v])
    np.testing.assert_array_equal(gx.numpy(), [1.0, 2.0])
    assert float(gz) == 0.0  # unconnected inputs get zeros, as in TF
    np.testing.assert_array_equal(gv.numpy(), [3.0, 4.0])


# ---------------------------------------------------------------- batch function


def test_nondifferentiable_batch_function():
    @tf.nondifferentiable_batch_function(1, 2, 3)
    def layer(a, b):
        return {"sum": a + b, "prod": a * b}

    x = tf.constant([1.0, 2.0])
    out = layer(x, tf.constant([3.0, 4.0]))
    np.testing.assert_array_equal(out["sum"].numpy(), [4.0, 6.0])
    np.testing.assert_array_equal(out["prod"].numpy(), [3.0, 8.0])
    with tf.GradientTape() as t:
        t.watch(x)
        y = layer(x, x)["prod"]
    assert t.gradient(y, x) is None
    with pytest.raises(ValueError, match="are supposed to be Tensors; found array"):
        layer(np.array([1.0]), x)
    with pytest.raises(AttributeError):
        layer(1.0, x)


def test_doctests():
    assert doctest.testmod(misc_ops, extraglobs={"tf": tf}).failed == 0
