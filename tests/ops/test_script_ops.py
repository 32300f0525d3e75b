"""tf.py_function / tf.numpy_function / tf.compat.v1.py_func: eager calls, graph ops, gradients,
error classes (TF's py_func.cc mapping), tf.data."""

import doctest

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework import errors
from tensorlet.ops import script_ops
from tensorlet.testing import gradient_check

IAE = errors.InvalidArgumentError


def _op_types(conc):
    return [op.type for op in conc.graph.get_operations()]


# ---------------------------------------------------------------- py_function: eager values


def test_py_function_single_dtype_returns_a_tensor():
    seen = []

    def f(x, y):
        seen.append((type(x).__name__, x.dtype, y.dtype))
        return x + y

    out = tf.py_function(f, [tf.constant([1.0, 2.0]), 3.0], tf.float32)
    assert isinstance(out, tf.Tensor) and out.dtype == tf.float32
    np.testing.assert_array_equal(out.numpy(), [4.0, 5.0])
    assert seen == [("EagerTensor", tf.float32, tf.float32)]  # Python values become tensors


def test_py_function_list_tout_returns_a_list():
    out = tf.py_function(lambda x: (x, x * 2), [tf.constant(2)], [tf.int32, tf.int32])
    assert isinstance(out, list) and [int(t) for t in out] == [2, 4]
    one = tf.py_function(lambda x: [x], [tf.constant(2)], [tf.int32])
    assert isinstance(one, list) and len(one) == 1


def test_py_function_converts_results_to_tout():
    out = tf.py_function(lambda: np.array([1.5, 2.5]), [], tf.float32)  # float64 array -> float32
    assert out.dtype == tf.float32
    assert tf.py_function(lambda: 3, [], tf.float64).numpy() == 3.0
    with pytest.raises(IAE, match="ValueError: Tensor conversion requested dtype float32"):
        tf.py_function(lambda: tf.constant([1]), [], tf.float32)


def test_py_function_no_outputs():
    calls = []
    assert tf.py_function(lambda x: calls.append(int(x)), [tf.constant(5)], []) == []
    assert calls == [5]
    with pytest.raises(IAE, match=r"pyfunc_\d+ returns 0 values, but expects to see 1 values."):
        tf.py_function(lambda: None, [], tf.float32)


def test_py_function_count_mismatch_and_extra_results():
    with pytest.raises(IAE, match=r"returns 1 values, but expects to see 2 values\. \[Op:Eager"):
        tf.py_function(lambda: [1.0], [], [tf.float32, tf.float32])
    # like TF, extra results are dropped (zip with Tout)
    assert len(tf.py_function(lambda: [1.0, 2.0], [], [tf.float32])) == 1


def test_py_function_reads_variables_and_rejects_returning_them():
    v = tf.Variable([1.0, 2.0])
    out = tf.py_function(lambda x: x * 2, [v], tf.float32)
    np.testing.assert_array_equal(out.numpy(), [2.0, 4.0])
    with pytest.raises(errors.UnknownError, match="RuntimeError: Attempting to return a variable"):
        tf.py_function(lambda: v, [], tf.float32)


def test_py_function_decorator_form():
    @tf.py_function(Tout=tf.float32)
    def double(x):
        return x * 2

    assert double.__name__ == "double"
    assert float(double(tf.constant(1.5))) == 3.0


def test_py_function_argument_errors():
    with pytest.raises(TypeError, match="Missing required argument: 'Tout'"):
        tf.py_function(lambda: 1, [])
    with pytest.raises(TypeError, match="Don't set the `inp` argument"):
        tf.py_function(inp=[1], Tout=tf.float32)
    with pytest.raises(TypeError, match="Missing argument `inp`"):
        tf.py_function(lambda: 1, Tout=tf.float32)
    with pytest.raises(ValueError, match="Expected func to be callable"):
        tf.py_function(3, [], tf.float32)


def _raise(exc):
    def f(*args):
        raise exc

    return f


@pytest.mark.parametrize(
    "exc,cls",
    [
        (ValueError("bad"), errors.InvalidArgumentError),
        (TypeError("bad"), errors.InvalidArgumentError),
        (
            UnicodeDecodeError("utf-8", b"x", 0, 1, "bad"),
            errors.InvalidArgumentError,
        ),  # a ValueError
        (StopIteration("bad"), errors.OutOfRangeError),
        (MemoryError("bad"), errors.ResourceExhaustedError),
        (NotImplementedError("bad"), errors.UnimplementedError),
        (KeyError("bad"), errors.UnknownError),
        (ZeroDivisionError("bad"), errors.UnknownError),
        (
            errors.InvalidArgumentError(None, None, "bad"),
            errors.UnknownError,
        ),  # TF's own errors too
    ],
)
@pytest.mark.parametrize("api", ["py_function", "numpy_function_graph"])
def test_exceptions_map_to_tf_error_classes(exc, cls, api):
    if api == "py_function":
        call = lambda: tf.py_function(_raise(exc), [tf.constant(1.0)], tf.float32)
    else:
        call = tf.function(lambda x: tf.numpy_function(_raise(exc), [x], tf.float32))
    with pytest.raises(cls) as e:
        call() if api == "py_function" else call(tf.constant(1.0))
    assert type(e.value) is cls
    assert str(e.value).startswith(f"{type(exc).__name__}: ")
    assert "Traceback (most recent call last):" in str(e.value)


# ---------------------------------------------------------------- py_function: gradients


def _log_huber(x, m):
    if tf.abs(x) <= m:
        return x**2
    return m**2 * (1 - 2 * tf.math.log(m) + tf.math.log(x**2))


def test_py_function_gradient_reruns_nothing_and_uses_the_tape():
    x, m = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch([x, m])
        y = tf.py_function(func=_log_huber, inp=[x, m], Tout=tf.float32)
    dx, dm = t.gradient(y, [x, m])
    assert float(y) == 1.0 and float(dx) == 2.0 and float(dm) == 0.0


def test_py_function_gradient_numeric():
    def f(x, y):
        return tf.py_function(lambda a, b: tf.sin(a) * b + a * a, [x, y], tf.float64)

    rng = np.random.default_rng(0)
    args = [rng.standard_normal((2, 3)), rng.standard_normal((2, 3))]
    gradient_check.check_vjp(f, args, wrt=(0, 1))


def test_py_function_gradient_of_unconnected_input_is_zeros():
    x, y = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])
    with tf.GradientTape() as t:
        t.watch([x, y])
        out = tf.py_function(lambda a, b: a * 2, [x, y], tf.float32)
    gx, gy = t.gradient(out, [x, y])
    np.testing.assert_array_equal(gx.numpy(), [2.0, 2.0])
    np.testing.assert_array_equal(gy.numpy(), [0.0, 0.0])


def test_py_function_gradient_with_an_integer_input_fails_as_in_tf():
    # TF's gradient EagerPyFunc makes constant(0.0, dtype=int32) for the int input's None
    x = tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.py_function(lambda a, n: a * tf.cast(n, tf.float32), [x, 3], tf.float32)
    with pytest.raises(IAE, match="Cannot convert 0.0 to EagerTensor of dtype int32"):
        t.gradient(y, x)


def test_py_function_gradient_of_several_outputs():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        a, b = tf.py_function(lambda v: (v * v, v * 5), [x], [tf.float32, tf.float32])
    assert float(t.gradient(a, x)) == 6.0  # b's gradient is filled with zeros
    assert float(t.gradient([a, b], x)) == 11.0  # the kept tape answers again


def test_py_function_in_tf_function_runs_every_call_with_unknown_shape():
    calls = []

    @tf.function
    def f(x):
        y = tf.py_function(lambda v: calls.append(1) or v + 1, [x], tf.float32)
        assert y.shape.rank is None
        return y

    for _ in range(3):
        np.testing.assert_array_equal(f(tf.constant([1.0])).numpy(), [2.0])
    assert len(calls) == 3
    assert "EagerPyFunc" in _op_types(f.get_concrete_function(tf.constant([1.0])))


def test_py_function_gradient_inside_and_through_tf_function():
    @tf.function
    def inside(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = tf.py_function(lambda a: a * a * a, [x], tf.float32)
        return t.gradient(y, x)

    np.testing.assert_allclose(inside(tf.constant([1.0, 2.0])).numpy(), [3.0, 12.0])

    @tf.function
    def through(x):
        return tf.py_function(lambda a: a * a * a, [x], tf.float32)

    x = tf.constant([1.0, 2.0])
    for _ in range(2):  # the second call uses the already traced backward graph
        with tf.GradientTape() as t:
            t.watch(x)
            y = through(x)
        np.testing.assert_allclose(t.gradient(y, x).numpy(), [3.0, 12.0])


def test_py_function_tf_gradients_in_graph():
    @tf.function
    def f(x):
        y = tf.py_function(lambda a: a * 4.0, [x], tf.float32)
        return tf.gradients(y, x)[0]

    assert float(f(tf.constant(1.0))) == 4.0


def test_py_function_no_outputs_in_graph_returns_the_operation():
    calls = []

    @tf.function
    def f(x):
        op = tf.py_function(lambda v: calls.append(float(v)), [x], [])
        assert isinstance(op, tf.Operation) and op.type == "EagerPyFunc"
        return x

    f(tf.constant(1.0))
    f(tf.constant(2.0))
    assert calls == [1.0, 2.0]


def test_py_function_in_dataset_map():
    ds = tf.data.Dataset.range(4).map(lambda i: tf.py_function(lambda v: v * 10, [i], tf.int64))
    assert ds.element_spec == tf.TensorSpec(None, tf.int64)
    assert [int(v) for v in ds] == [0, 10, 20, 30]


def test_py_function_composite_values():
    rt = tf.RaggedTensor.from_row_splits([1.0, 2.0, 3.0], [0, 2, 3])
    spec = tf.RaggedTensorSpec([None, None], tf.float32, 1)
    seen = []

    def f(r):
        seen.append(type(r).__name__)
        return r * 2

    out = tf.py_function(f, [rt], spec)
    assert seen == ["RaggedTensor"] and isinstance(out, tf.RaggedTensor)
    assert out.to_list() == [[2.0, 4.0], [6.0]]
    with pytest.raises(IAE, match="is not compatible with"):
        tf.py_function(lambda r: tf.constant(1.0), [rt], spec)
    with pytest.raises(IAE, match="is not a Tensor"):
        tf.py_function(lambda r: r, [rt], tf.TensorSpec(None, tf.float32))
    plain = tf.py_function(lambda: tf.constant([1, 2]), [], tf.TensorSpec(None, tf.int32))
    assert plain.dtype == tf.int32


# ---------------------------------------------------------------- numpy_function


def test_numpy_function_eager_calls_func_with_arrays_and_ignores_tout():
    seen = []

    def f(x, y):
        seen.append((type(x), x.dtype, np.ndim(y)))
        return x * 2

    out = tf.numpy_function(f, [tf.constant([1, 2]), 3.0], tf.float32)
    assert out.dtype == tf.int32  # eagerly TF neither checks nor casts to Tout
    assert seen == [(np.ndarray, np.int32, 0)]


def test_numpy_function_eager_structure_and_exceptions():
    assert tf.numpy_function(lambda: None, [], []) is None
    assert len(tf.numpy_function(lambda: (1, 2), [], [tf.int32, tf.int32])) == 2
    single = tf.numpy_function(lambda: [1.0], [], [tf.float32])
    assert isinstance(single, tf.Tensor)  # a one-element result is unwrapped
    with pytest.raises(ZeroDivisionError):  # eagerly the original exception
        tf.numpy_function(lambda: 1 / 0, [], tf.float32)


def test_numpy_function_in_graph():
    seen = []

    def f(x):
        seen.append(type(x))
        return np.sinh(x)

    g = tf.function(lambda x: tf.numpy_function(f, [x], tf.float32))
    np.testing.assert_allclose(float(g(tf.constant(1.0))), np.sinh(1.0), rtol=1e-6)
    assert seen == [np.float32]  # a scalar arrives as a NumPy scalar (PyArray_Return)
    assert "PyFunc" in _op_types(g.get_concrete_function(tf.constant(1.0)))
    stateless = tf.function(lambda x: tf.numpy_function(f, [x], tf.float32, stateful=False))
    assert "PyFuncStateless" in _op_types(stateless.get_concrete_function(tf.constant(1.0)))
    np.testing.assert_allclose(float(stateless(tf.constant(1.0))), np.sinh(1.0), rtol=1e-6)


def test_numpy_function_graph_checks_dtypes_and_counts():
    g = tf.function(lambda x: tf.numpy_function(lambda v: v * 1.5, [x], tf.float32))
    with pytest.raises(
        IAE, match=r"0-th value returned by pyfunc_\d+ is double, but expects float"
    ):
        g(tf.constant(1.0, tf.float64))
    h = tf.function(lambda x: tf.numpy_function(lambda v: [v], [x], [tf.float32, tf.float32]))
    with pytest.raises(IAE, match="returns 1 values, but expects to see 2 values."):
        h(tf.constant(1.0))


def test_numpy_function_graph_strings_none_and_bytes():
    s = tf.function(lambda x: tf.numpy_function(lambda v: v + b"!", [x], tf.string))
    assert s(tf.constant("hi")).numpy() == b"hi!"
    u = tf.function(lambda: tf.numpy_function(lambda: np.array(["a", "bc"]), [], tf.string))
    assert list(u().numpy()) == [b"a", b"bc"]
    calls = []
    n = tf.function(lambda x: (tf.numpy_function(lambda v: calls.append(v), [x], []), x)[1])
    n(tf.constant(1))
    assert len(calls) == 1
    bad = tf.function(lambda: tf.numpy_function(lambda: [None], [], [tf.string]))
    with pytest.raises(errors.UnimplementedError, match="Unsupported object type NoneType"):
        bad()


def test_numpy_function_decorator_and_errors():
    @tf.numpy_function(Tout=tf.float32)
    def f(x):
        return np.float32(x) + 1

    assert float(f(1.0)) == 2.0
    with pytest.raises(TypeError, match="Missing required argument: 'Tout'"):
        tf.numpy_function(lambda: 1, [])
    g = tf.function(lambda: tf.numpy_function(lambda: 1.0, [], tf.TensorSpec([], tf.float32)))
    with pytest.raises(TypeError, match="Expected DataType for argument 'Tout'"):
        g()


def test_numpy_function_is_not_differentiable():
    x = tf.constant(2.0)

    @tf.function
    def f(v):
        return tf.numpy_function(lambda a: a * a, [v], tf.float32)

    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x)
    assert t.gradient(y, x) is None


def test_numpy_function_in_dataset_map():
    ds = tf.data.Dataset.from_tensor_slices([1.0, 2.0]).map(
        lambda v: tf.numpy_function(lambda a: (a * 2).astype(np.float32), [v], tf.float32)
    )
    assert [float(v) for v in ds] == [2.0, 4.0]


def test_compat_v1_py_func():
    assert tf.compat.v1.py_func is script_ops.py_func
    assert tf.compat.v1.numpy_function is tf.numpy_function
    out = tf.compat.v1.py_func(lambda x: x + 1, [tf.constant([1.0])], tf.float32, stateful=False)
    np.testing.assert_array_equal(out.numpy(), [2.0])
    g = tf.function(lambda x: tf.compat.v1.py_func(lambda v: v + 1, [x], tf.float32))
    assert float(g(tf.constant(1.0))) == 2.0


def test_doctests():
    assert doctest.testmod(script_ops, extraglobs={"tf": tf, "np": np}).failed == 0
