"""tf.debugging: assertions (eager checks, TF's error classes and messages) and CheckNumerics."""
import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework import errors
from tensorlet.ops import math_ops

IAE = errors.InvalidArgumentError
# the element-wise asserts run the comparison ops of math_ops
needs_comparisons = pytest.mark.skipif(not hasattr(math_ops, "greater_equal"),
                                       reason="comparison ops not available yet")


@needs_comparisons
# ---------------------------------------------------------------- binary asserts

@pytest.mark.parametrize("fn,x,y,ok", [
    (tf.debugging.assert_equal, [1, 2], [1, 2], True),
    (tf.debugging.assert_equal, [1, 2], [1, 3], False),
    (tf.debugging.assert_equal, [[1, 2]], 1, False),           # broadcasting
    (tf.debugging.assert_none_equal, [1, 2], [3, 4], True),
    (tf.debugging.assert_none_equal, [1, 2], [1, 4], False),
    (tf.debugging.assert_less, [1, 2], [2, 3], True),
    (tf.debugging.assert_less, [1, 2], [2, 2], False),
    (tf.debugging.assert_less_equal, [1, 2], [1, 2], True),
    (tf.debugging.assert_less_equal, [1, 3], [1, 2], False),
    (tf.debugging.assert_greater, [2.0], [1.0], True),
    (tf.debugging.assert_greater, [1.0], [1.0], False),
    (tf.debugging.assert_greater_equal, [1.0], [1.0], True),
    (tf.debugging.assert_greater_equal, [0.0], [1.0], False),
    (tf.debugging.assert_equal, [], [], True),                 # empty: trivially true
])
def test_binary_asserts(fn, x, y, ok):
    if ok:
        assert fn(tf.constant(x), tf.constant(y)) is None
    else:
        with pytest.raises(IAE):
            fn(tf.constant(x), tf.constant(y))


@needs_comparisons
def test_assert_equal_message_lists_the_differences():
    with pytest.raises(IAE) as e:
        tf.debugging.assert_equal(tf.constant([1, 2, 3, 4]), tf.constant([1, 0, 3, 0]),
                                  message="custom")
    assert str(e.value) == ("custom\nCondition x == y did not hold.\n"
                            "Indices of first 2 different values:\n[[1]\n [3]]\n"
                            "Corresponding x values:\n[2 4]\nCorresponding y values:\n[0 0]\n"
                            "First 3 elements of x:\n[1 2 3]\nFirst 3 elements of y:\n[1 0 3]")


@needs_comparisons
def test_binary_assert_dtype_and_shape_errors_come_from_the_comparison_op():
    with pytest.raises(IAE):
        tf.debugging.assert_equal(tf.constant(1), 1.0)
    with pytest.raises(IAE):
        tf.debugging.assert_less(tf.constant([1, 2]), tf.constant([1, 2, 3]))


def test_top_level_aliases():
    assert tf.assert_equal is tf.debugging.assert_equal
    assert tf.assert_less is tf.debugging.assert_less
    assert tf.assert_greater is tf.debugging.assert_greater
    assert tf.assert_rank is tf.debugging.assert_rank
    assert tf.Assert is tf.debugging.Assert


@needs_comparisons
# ---------------------------------------------------------------- sign asserts

@pytest.mark.parametrize("fn,good,bad,cond", [
    (tf.debugging.assert_positive, [1, 2], [1, 0], "x > 0"),
    (tf.debugging.assert_negative, [-1, -2], [-1, 0], "x < 0"),
    (tf.debugging.assert_non_negative, [0, 2], [0, -1], "x >= 0"),
    (tf.debugging.assert_non_positive, [0, -2], [0, 1], "x <= 0"),
])
def test_sign_asserts(fn, good, bad, cond):
    assert fn(tf.constant(good)) is None
    with pytest.raises(IAE) as e:
        fn(tf.constant(bad), message="m")
    text = str(e.value)
    assert text.startswith("m.  \nCondition %s did not hold element-wise:" % cond)
    assert "x (shape=(2,) dtype=int32) = " in text and text.endswith(str([str(v) for v in bad]))


@needs_comparisons
# ---------------------------------------------------------------- assert_near / Assert

def test_assert_near():
    assert tf.debugging.assert_near(tf.constant([1.0, 2.0]), [1.0, 2.0 + 1e-7]) is None
    with pytest.raises(IAE) as e:
        tf.debugging.assert_near(tf.constant([1.0, 2.0]), [1.0, 2.1])
    assert str(e.value).startswith("Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true.")
    assert "x and y not equal to tolerance rtol = tf.Tensor(" in str(e.value)
    assert tf.debugging.assert_near(tf.constant([1.0]), [1.05], atol=0.1) is None
    with pytest.raises(ValueError):  # integers have no eps
        tf.debugging.assert_near(tf.constant([1]), [1])


def test_assert_summarizes_data():
    assert tf.debugging.Assert(True, ["never shown"]) is None
    with pytest.raises(IAE) as e:
        tf.debugging.Assert(False, ["msg", tf.constant([1, 2, 3, 4])], summarize=2)
    assert str(e.value) == "Expected 'False' to be true. Summarized data: b'msg'\n1, 2, ..."


# ---------------------------------------------------------------- static asserts

def test_rank_asserts():
    x = tf.zeros([2, 3])
    assert tf.debugging.assert_rank(x, 2) is None
    with pytest.raises(ValueError) as e:
        tf.debugging.assert_rank(x, 1, message="r")
    assert str(e.value) == "r.  Tensor  must have rank 1.  Received rank 2, shape (2, 3)"
    assert tf.debugging.assert_rank_at_least(x, 1) is None
    with pytest.raises(ValueError, match="must have rank at least 3"):
        tf.debugging.assert_rank_at_least(x, 3)
    assert tf.debugging.assert_rank_in(x, [1, 2]) is None
    with pytest.raises(ValueError, match=r"must have rank in \(0, 1\)"):
        tf.debugging.assert_rank_in(x, [0, 1])
    with pytest.raises(ValueError, match="Rank must be a scalar"):
        tf.debugging.assert_rank(x, [2])
    with pytest.raises(TypeError, match="must be of type tf.int32"):
        tf.debugging.assert_rank(x, tf.constant(2, tf.int64))


def test_type_asserts():
    assert tf.debugging.assert_type(tf.Variable(1.0), tf.float32) is None
    with pytest.raises(TypeError) as e:
        tf.debugging.assert_type(tf.constant(21), tf_type=tf.bool)
    assert str(e.value) == "tensor must be of type tf.bool; got tf.int32"
    assert tf.debugging.assert_integer(tf.constant(1)) is None
    with pytest.raises(TypeError, match='Expected "x" to be integer type.  Found: tensor'):
        tf.debugging.assert_integer(tf.constant(1.0))
    assert tf.debugging.assert_scalar(tf.constant(1)) is None
    with pytest.raises(ValueError, match=r"Expected scalar shape, saw shape: \(2,\)."):
        tf.debugging.assert_scalar(tf.constant([1, 2]))
    assert tf.debugging.assert_same_float_dtype([tf.constant(1.0), None]) == tf.float32
    assert tf.debugging.assert_same_float_dtype() == tf.float32
    with pytest.raises(ValueError):
        tf.debugging.assert_same_float_dtype([tf.constant(1.0), tf.constant(1.0, tf.float64)])
    with pytest.raises(ValueError, match="Expected floating point type"):
        tf.debugging.assert_same_float_dtype(dtype=tf.int32)


def test_assert_shapes():
    x, y, p = tf.zeros([10, 3]), tf.ones([10, 7]), tf.Variable([1.0, 2.0, 3.0])
    assert tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("N", "D")), (p, ("Q",)),
                                       (1.0, ())]) is None
    assert tf.debugging.assert_shapes({x: (..., 3)} if False else [(x, ("*", 3))]) is None
    with pytest.raises(ValueError) as e:
        tf.debugging.assert_shapes([(x, ("N", "D")), (y, ("N", "D"))])
    assert str(e.value) == ("Specified by tensor shape=(10, 3) dtype=float32 dimension 1.  Tensor "
                            "shape=(10, 7) dtype=float32 dimension 1 must have size 3.  Received "
                            "size 7, shape (10, 7)")
    with pytest.raises(ValueError, match="Specified explicitly"):
        tf.debugging.assert_shapes([(x, (10, 4))])
    with pytest.raises(ValueError, match="must have rank 3"):
        tf.debugging.assert_shapes([(x, ("a", "b", "c"))])
    with pytest.raises(ValueError, match="only allowed as the first entry"):
        tf.debugging.assert_shapes([(x, ("a", ...))])


def test_iterables_and_numeric_checks():
    tf.debugging.assert_proper_iterable([1, 2])
    for bad in (tf.constant([1]), np.array([1]), "ab", b"ab"):
        with pytest.raises(TypeError, match="proper"):
            tf.debugging.assert_proper_iterable(bad)
    with pytest.raises(TypeError, match="to be iterable"):
        tf.debugging.assert_proper_iterable(3)
    assert tf.debugging.is_numeric_tensor(tf.constant(1.0))
    assert not tf.debugging.is_numeric_tensor(tf.constant("a"))
    assert not tf.debugging.is_numeric_tensor(np.array(1.0))


@needs_comparisons
def test_monotonic_checks():
    assert bool(tf.math.is_non_decreasing([1.0, 1.0, 3.0]))
    assert not bool(tf.math.is_non_decreasing([3.0, 1.0]))
    assert bool(tf.math.is_strictly_increasing([[1, 2], [3, 4]]))
    assert not bool(tf.math.is_strictly_increasing([1, 1]))
    assert bool(tf.math.is_strictly_increasing([5]))


# ---------------------------------------------------------------- CheckNumerics

@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_check_numerics_passes_finite_values_through(dtype):
    x = np.array([[1.0, -2.0], [0.0, 3.5]], dtype)
    out = tf.debugging.check_numerics(x, "msg")
    assert out.dtype == tf.as_dtype(dtype) and out.shape == (2, 2)
    np.testing.assert_array_equal(out.numpy(), x)
    np.testing.assert_array_equal(tf.debugging.assert_all_finite(x, "m").numpy(), x)


@pytest.mark.parametrize("values,status", [
    ([1.0, np.nan], "NaN"), ([np.inf, 1.0], "Inf"), ([-np.inf, np.nan], "Inf and NaN")])
def test_check_numerics_errors(values, status):
    with pytest.raises(IAE) as e:
        tf.debugging.check_numerics(tf.constant(values), "bad")
    assert str(e.value) == f"bad : Tensor had {status} values [Op:CheckNumerics]"


def test_check_numerics_rejects_non_float_dtypes():
    with pytest.raises(IAE, match="Value for attr 'T' of int32 is not in the list"):
        tf.debugging.check_numerics(tf.constant([1]), "m")


def test_check_numerics_gradient_is_checked_identity():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.debugging.check_numerics(x * 2.0, "m")
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [2.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.debugging.check_numerics(x, "fwd")
    with pytest.raises(IAE, match="detected in gradient. fwd : Tensor had NaN"):
        tape.gradient(y, x, output_gradients=tf.constant([np.nan, 1.0]))


def test_check_numerics_toggles():
    tf.debugging.enable_check_numerics()
    tf.debugging.disable_check_numerics()


# ---------------------------------------------------------------- inside tf.function


def _graph_error(fn, *args):
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        fn(*args)
    return str(e.value)


def test_value_asserts_in_tf_function_check_every_call():
    """Run-time conditions become an Assert node with TF's graph-mode message."""

    @tf.function
    def f(x):
        tf.debugging.assert_positive(x)
        tf.debugging.assert_less(x, 10.0, message="too big")
        tf.debugging.assert_near(x, x + 1e-9)
        return x * 2

    np.testing.assert_allclose(f(tf.constant([1.0, 2.0, 3.0])).numpy(), [2, 4, 6])
    msg = _graph_error(f, tf.constant([1.0, -2.0, 3.0]))
    assert msg.startswith(
        "assertion failed: [] [Condition x > 0 did not hold element-wise:] [x (x:0) = ] [1 -2 3]"
    )
    msg = _graph_error(f, tf.constant([1.0, 20.0, 3.0]))
    assert msg.startswith(
        "assertion failed: [too big] [Condition x < y did not hold element-wise:] "
        "[x (x:0) = ] [1 20 3] [y (Const:0) = ] [10]"
    )
    # same trace, passing again
    np.testing.assert_allclose(f(tf.constant([4.0, 5.0, 6.0])).numpy(), [8, 10, 12])


def test_tf_assert_in_graph_summarizes_data():
    @tf.function
    def g(x):
        tf.debugging.Assert(tf.reduce_all(x > 0), ["bad", x], summarize=2)
        return x

    assert _graph_error(g, tf.constant([[1, -1], [2, 3]])).startswith(
        "assertion failed: [bad] [[1 -1]...]"
    )
    np.testing.assert_array_equal(g(tf.constant([[1, 1], [2, 3]])).numpy(), [[1, 1], [2, 3]])


def test_assert_conditions_known_while_tracing_fail_at_trace_time():
    @tf.function
    def h(x):
        tf.debugging.assert_equal(tf.constant(2), 3, message="static")
        return x

    msg = _graph_error(h, tf.constant(1))
    assert msg.splitlines()[:2] == ["static", "Condition x == y did not hold element-wise:"]


def test_assert_node_rejects_non_bool_condition():
    @tf.function
    def bad(x):
        tf.debugging.Assert(x, ["data"])
        return x

    with pytest.raises(TypeError, match="bool"):  # graph construction: TF's TypeError
        bad(tf.constant(1))


@pytest.mark.parametrize(
    "value, dtype, summarize, text",
    [
        (np.array([1, 2, 3, 4]), "int32", 3, "1 2 3..."),
        (np.array([[1, 2], [3, 4]]), "int32", 3, "[1 2][3...]..."),
        (np.array([[1, 2], [3, 4]]), "int32", -1, "[1 2][3 4]"),
        (np.array(7), "int64", 3, "7"),
        (np.array([1.5, 0.1, 1e-7], np.float32), "float32", 3, "1.5 0.1 1e-07"),
        (np.array([True, False]), "bool", 3, "1 0"),
        (np.array([b'a"b', b"c\n"], object), "string", 3, 'a\\"b c\\n'),
    ],
)
def test_summarize_value_is_tf_legacy_format(value, dtype, summarize, text):
    from tensorlet.framework.tensor_format import summarize_value

    assert summarize_value(value, dtype, summarize) == text
