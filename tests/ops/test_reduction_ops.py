"""Reductions and scans: forward vs NumPy, TF's integer/empty/NaN semantics, errors, gradients."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.ops import reduction_ops as ro

RNG = np.random.default_rng(0)
X = RNG.standard_normal((2, 3, 4))
AXES = [None, 0, 1, -1, [0, 2], (-1, -3), [], [0, 1, 2]]


def _logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis if axis is not None else None)


def _ax(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


REDUCTIONS = [  # (tensorlet fn, NumPy reference)
    (tf.math.reduce_sum, lambda x, a, k: np.sum(x, axis=_ax(a), keepdims=k)),
    (tf.math.reduce_mean, lambda x, a, k: np.mean(x, axis=_ax(a), keepdims=k)),
    (tf.math.reduce_prod, lambda x, a, k: np.prod(x, axis=_ax(a), keepdims=k)),
    (tf.math.reduce_max, lambda x, a, k: np.max(x, axis=_ax(a), keepdims=k)),
    (tf.math.reduce_min, lambda x, a, k: np.min(x, axis=_ax(a), keepdims=k)),
    (
        tf.math.reduce_euclidean_norm,
        lambda x, a, k: np.sqrt(np.sum(x * x, axis=_ax(a), keepdims=k)),
    ),
    (tf.math.reduce_variance, lambda x, a, k: np.var(x, axis=_ax(a), keepdims=k)),
    (tf.math.reduce_std, lambda x, a, k: np.std(x, axis=_ax(a), keepdims=k)),
    (tf.math.reduce_logsumexp, lambda x, a, k: _logsumexp(x, _ax(a) if a != [] else (), k)),
]


@pytest.mark.parametrize("fn,ref", REDUCTIONS, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_reductions_match_numpy(fn, ref, axis, keepdims, dtype):
    x = X.astype(dtype)
    out = fn(tf.constant(x), axis=axis, keepdims=keepdims)
    assert out.dtype == tf.as_dtype(dtype)
    np.testing.assert_allclose(
        out.numpy(),
        ref(x.astype(np.float64), axis, keepdims),
        rtol=1e-5 if dtype == np.float32 else 1e-12,
        atol=1e-6,
    )


def test_tensor_and_numpy_axes():
    x = tf.constant(X)
    np.testing.assert_allclose(tf.reduce_sum(x, axis=tf.constant([0, 2])).numpy(), X.sum((0, 2)))
    np.testing.assert_allclose(tf.reduce_sum(x, axis=np.int64(1)).numpy(), X.sum(1))
    np.testing.assert_allclose(tf.reduce_sum(x, 1, True).numpy(), X.sum(1, keepdims=True))


def test_top_level_aliases():
    for name in [
        "reduce_sum",
        "reduce_mean",
        "reduce_prod",
        "reduce_max",
        "reduce_min",
        "reduce_all",
        "reduce_any",
        "reduce_logsumexp",
        "argmax",
        "argmin",
        "cumsum",
    ]:
        assert getattr(tf, name) is getattr(tf.math, name)


INT_CASES = [  # (fn, input, expected, dtype) -- TF's recorded results
    (tf.math.reduce_mean, [-1, -2], -1, np.int32),  # truncates toward zero
    (tf.math.reduce_mean, [2147483647, 2147483647], 2147483647, np.int32),  # no overflow
    (tf.math.reduce_mean, [200, 100, 3], 101, np.uint8),
    (tf.math.reduce_mean, [2**62, 2**62, 2**62 + 3], 2**62 + 1, np.int64),
    (tf.math.reduce_mean, [-(2**62), -(2**62) - 1], -(2**62), np.int64),
    (tf.math.reduce_mean, [2**63, 2**63 + 3], 2**63 + 1, np.uint64),
    (tf.math.reduce_sum, [200, 100, 3], 47, np.uint8),  # wraps
    (tf.math.reduce_prod, [200, 100, 3], 96, np.uint8),
    (tf.math.reduce_sum, [], 0, np.int32),
    (tf.math.reduce_mean, [], 0, np.int32),
    (tf.math.reduce_prod, [], 1, np.int32),
    (tf.math.reduce_max, [], -(2**31), np.int32),
    (tf.math.reduce_min, [], 2**31 - 1, np.int32),
    (tf.math.reduce_max, [], -(2**63), np.int64),
    (tf.math.reduce_euclidean_norm, [3, 4], 5, np.int32),
]


@pytest.mark.parametrize("fn,x,expected,dtype", INT_CASES)
def test_integer_reductions(fn, x, expected, dtype):
    out = fn(tf.constant(np.array(x, dtype)))
    assert out.dtype == tf.as_dtype(dtype) and out.numpy() == np.array(expected, dtype)


def test_integer_mean_along_axes():
    x = np.array([[1, 2, 4], [-1, -2, -4], [7, 8, 10]], np.int32)
    np.testing.assert_array_equal(tf.reduce_mean(x, axis=0).numpy(), [2, 2, 3])
    np.testing.assert_array_equal(tf.reduce_mean(x, axis=1).numpy(), [2, -2, 8])


@pytest.mark.parametrize(
    "fn,expected",
    [
        (tf.math.reduce_sum, 0.0),
        (tf.math.reduce_prod, 1.0),
        (tf.math.reduce_max, -np.inf),
        (tf.math.reduce_min, np.inf),
        (tf.math.reduce_mean, np.nan),
        (tf.math.reduce_logsumexp, -np.inf),
        (tf.math.reduce_euclidean_norm, 0.0),
        (tf.math.reduce_variance, np.nan),
    ],
)
def test_empty_reductions(fn, expected):
    np.testing.assert_equal(
        fn(tf.constant(np.zeros((0,), np.float32))).numpy(), np.float32(expected)
    )
    assert fn(tf.constant(np.zeros((2, 0), np.float32)), axis=1).shape == [2]
    assert fn(tf.constant(np.zeros((0, 3), np.float32)), axis=0).shape == [3]


def test_nan_propagates_through_max_and_min():
    x = tf.constant([[1.0, np.nan, 2.0], [1.0, np.inf, 2.0]])
    np.testing.assert_equal(tf.reduce_max(x, axis=1).numpy(), [np.nan, np.inf])
    np.testing.assert_equal(tf.reduce_min(x, axis=1).numpy(), [np.nan, 1.0])


def test_float16_sum_rounds_like_tf():
    x = tf.constant(np.full((1000,), 0.1, np.float16))
    assert tf.reduce_sum(x).numpy() == np.float16(99.75)
    assert tf.reduce_mean(tf.constant(np.array([60000, 60000], np.float16))).numpy() == np.inf


def test_logsumexp_is_stable():
    x = tf.constant([[1000.0, 1000.0], [-1000.0, -1000.0], [-np.inf, -np.inf], [np.inf, 1.0]])
    np.testing.assert_allclose(
        tf.reduce_logsumexp(x, axis=1).numpy(),
        [1000.6931472, -999.3068528, -np.inf, np.inf],
        rtol=1e-6,
    )


@pytest.mark.parametrize(
    "call,error",
    [
        (lambda: tf.reduce_sum(tf.constant([True, False])), tf.errors.InvalidArgumentError),
        (lambda: tf.reduce_mean(tf.constant([True, False])), tf.errors.InvalidArgumentError),
        (lambda: tf.reduce_max(tf.constant([1 + 2j])), tf.errors.InvalidArgumentError),
        (lambda: tf.reduce_sum(tf.zeros((2, 3)), axis=2), tf.errors.InvalidArgumentError),
        (lambda: tf.reduce_any(tf.constant([0.0, 1.0])), tf.errors.InvalidArgumentError),
        (lambda: tf.reduce_all(tf.constant([0.0, 1.0])), tf.errors.InvalidArgumentError),
        (lambda: tf.math.reduce_variance(tf.constant([1, 2])), TypeError),
        (lambda: tf.math.reduce_std(tf.constant([1, 2])), TypeError),
        (lambda: tf.math.argmax(tf.zeros((0, 2)), axis=0), tf.errors.InvalidArgumentError),
        (lambda: tf.math.argmax(tf.zeros((2, 2)), axis=2), tf.errors.InvalidArgumentError),
        (lambda: tf.math.cumsum(tf.constant([True])), tf.errors.InvalidArgumentError),
        (lambda: tf.math.cumsum(tf.zeros((2,)), axis=3), tf.errors.InvalidArgumentError),
        (lambda: tf.math.cumulative_logsumexp(tf.constant([1, 2])), tf.errors.InvalidArgumentError),
    ],
)
def test_errors(call, error):
    with pytest.raises(error):
        call()


def test_sum_error_message_is_tfs():
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.reduce_sum(tf.zeros((2, 3)), axis=2)
    assert "Invalid reduction dimension (2 for input with 2 dimension(s)" in str(e.value)
    assert "[Op:Sum]" in str(e.value)


@pytest.mark.parametrize("fn", [tf.math.reduce_all, tf.math.reduce_any])
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_all_any(fn, axis):
    b = np.array([[True, False, True], [True, True, True]])
    ref = np.all if fn is tf.math.reduce_all else np.any
    np.testing.assert_array_equal(fn(tf.constant(b), axis=axis).numpy(), ref(b, axis=axis))
    assert fn(tf.constant(np.zeros((0,), bool))).numpy() == ref(np.zeros((0,), bool))


def test_count_nonzero():
    x = tf.constant([[1, 0, 4], [-1, 0, -4]])
    out = tf.math.count_nonzero(x, axis=1)
    assert out.dtype == tf.int64 and out.numpy().tolist() == [2, 2]
    assert tf.math.count_nonzero(tf.constant([0.0, -0.0, np.nan, 1.0])).numpy() == 2
    assert tf.math.count_nonzero(x, dtype=tf.int32).dtype == tf.int32


A = np.array([[1, 3, 3, 2], [np.nan, 1, 2, 0], [1, np.nan, 5, np.nan], [-np.inf] * 4], np.float32)


@pytest.mark.parametrize(
    "fn,axis,expected",
    [
        (tf.math.argmax, None, [0, 0, 2, 0]),
        (tf.math.argmax, 1, [1, 2, 2, 0]),
        (tf.math.argmax, -1, [1, 2, 2, 0]),
        (tf.math.argmin, None, [3, 3, 3, 3]),
        (tf.math.argmin, 1, [0, 3, 0, 0]),
    ],
)
def test_argmax_argmin_skip_nan_and_default_to_axis_0(fn, axis, expected):
    out = fn(tf.constant(A), axis=axis)
    assert out.dtype == tf.int64 and out.numpy().tolist() == expected
    assert fn(tf.constant(A), axis=1, output_type=tf.int32).dtype == tf.int32


def test_argmax_ties_ints_and_bools():
    assert tf.math.argmax(tf.constant([[3, 1, 3], [2, 2, 2]]), axis=1).numpy().tolist() == [0, 0]
    assert tf.math.argmin(tf.constant([False, True, True])).numpy() == 0
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    np.testing.assert_array_equal(tf.math.argmax(x, axis=1).numpy(), np.argmax(x, axis=1))


def _scan_ref(acc, identity):
    def ref(x, axis, exclusive, reverse):
        if reverse:
            x = np.flip(x, axis)
        out = acc(x, axis)
        if exclusive:
            out = np.concatenate(
                [np.full_like(np.take(x, [0], axis), identity), np.delete(out, -1, axis)], axis
            )
        return np.flip(out, axis) if reverse else out

    return ref


SCANS = [
    (tf.math.cumsum, _scan_ref(np.cumsum, 0)),
    (tf.math.cumprod, _scan_ref(np.cumprod, 1)),
    (tf.math.cumulative_logsumexp, _scan_ref(lambda x, a: np.logaddexp.accumulate(x, a), -np.inf)),
]


@pytest.mark.parametrize("fn,ref", SCANS, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_scans_match_numpy(fn, ref, axis, exclusive, reverse):
    x = RNG.standard_normal((3, 4))
    out = fn(tf.constant(x), axis=axis, exclusive=exclusive, reverse=reverse)
    np.testing.assert_allclose(out.numpy(), ref(x, axis, exclusive, reverse), rtol=1e-12)


def test_scan_edge_cases():
    assert tf.math.cumsum(
        tf.constant([1, 2, 3, 4]), exclusive=True, reverse=True
    ).numpy().tolist() == [9, 7, 4, 0]
    assert tf.math.cumsum(tf.zeros((0,))).shape == [0]
    assert tf.math.cumsum(tf.constant(np.array([200, 100], np.uint8))).numpy().tolist() == [200, 44]


# ---------------------------------------------------------------- gradients


def check_grad(f, x, eps=1e-6, seed=0):
    """VJP against a central-difference JVP on a random direction, in float64."""
    rng = np.random.default_rng(seed)
    x = np.asarray(x, np.float64)
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = f(t)
    u = rng.standard_normal(y.shape)
    u[~(np.abs(y.numpy()) < 1e30)] = 0  # -inf / lowest-value outputs (empty segments, exclusive)
    g = tape.gradient(y, t, output_gradients=tf.constant(u))
    v = rng.standard_normal(x.shape)

    def fu(z):
        return np.sum(np.where(u == 0, 0, f(tf.constant(z)).numpy() * u))

    numeric = (fu(x + eps * v) - fu(x - eps * v)) / (2 * eps)
    np.testing.assert_allclose(np.sum(g.numpy() * v), numeric, rtol=1e-5, atol=1e-8)


GRAD_FNS = [
    tf.math.reduce_sum,
    tf.math.reduce_mean,
    tf.math.reduce_prod,
    tf.math.reduce_max,
    tf.math.reduce_min,
    tf.math.reduce_euclidean_norm,
    tf.math.reduce_logsumexp,
    tf.math.reduce_variance,
    tf.math.reduce_std,
]


@pytest.mark.parametrize("fn", GRAD_FNS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("axis", [None, 1, [0, 2], (-1,)], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_gradients(fn, axis, keepdims):
    check_grad(lambda t: fn(t, axis=axis, keepdims=keepdims), X)


@pytest.mark.parametrize(
    "fn", [tf.math.cumsum, tf.math.cumprod, tf.math.cumulative_logsumexp], ids=lambda f: f.__name__
)
@pytest.mark.parametrize(
    "axis,exclusive,reverse",
    [(0, False, False), (1, True, False), (1, False, True), (-1, True, True)],
)
def test_scan_gradients(fn, axis, exclusive, reverse):
    x = RNG.uniform(0.5, 1.5, (3, 4))
    check_grad(lambda t: fn(t, axis=axis, exclusive=exclusive, reverse=reverse), x)


def _grad(f, x, up):
    t = tf.constant(np.asarray(x, np.float32))
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = f(t)
    return tape.gradient(y, t, output_gradients=tf.constant(np.asarray(up, np.float32))).numpy()


def test_max_gradient_is_split_among_ties():
    g = _grad(lambda t: tf.reduce_max(t, axis=1), [[1, 3, 3, 2], [5, 5, 5, 5]], [1.0, 2.0])
    np.testing.assert_allclose(g, [[0, 0.5, 0.5, 0], [0.5, 0.5, 0.5, 0.5]])


def test_prod_gradient_with_zeros():
    g = _grad(lambda t: tf.reduce_prod(t, axis=1), [[0, 2, 3], [0, 0, 3], [1, 2, 3]], [1, 1, 1])
    np.testing.assert_allclose(g, [[6, 0, 0], [0, 0, 0], [6, 3, 2]])


def test_cumprod_gradient_at_zero_is_tfs_div_no_nan():
    g = _grad(tf.math.cumprod, [2, 0, 3, 4], [1, 1, 1, 1])
    np.testing.assert_allclose(g, [1, 0, 0, 0])


def test_argmax_is_not_differentiable():
    t = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = tf.math.argmax(t)
    assert tape.gradient(y, t) is None


def test_broadcast_to_shape_helper():
    out = ro.broadcast_to_shape(tf.constant([[1.0], [2.0]]), [2, 3])
    np.testing.assert_array_equal(out.numpy(), [[1, 1, 1], [2, 2, 2]])


def test_docstring_examples():
    import doctest

    from tensorlet.ops import reduction_ops

    assert doctest.testmod(reduction_ops, extraglobs={"tf": tf}).failed == 0


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: tf.reduce_logsumexp(t, axis=1),
        lambda t: tf.reduce_prod(t, axis=[0, 1]),
        lambda t: tf.math.reduce_std(t, axis=1),
        lambda t: tf.math.reduce_euclidean_norm(t, axis=0),
        lambda t: tf.math.cumprod(t, axis=1, exclusive=True),
        lambda t: tf.math.cumulative_logsumexp(t, axis=1, reverse=True),
    ],
)
def test_second_order_gradients(fn):
    """The grad rules are tensorlet ops, so the gradient of a gradient is checked too."""

    def grad_norm(t):
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = tf.reduce_sum(fn(t) ** 3)
        g = tape.gradient(y, t)
        return tf.reduce_sum(g * g)

    check_grad(grad_norm, RNG.uniform(0.5, 1.5, (3, 4)))


def test_tf1_signatures():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    out = tf.compat.v1.reduce_sum(x, reduction_indices=1, keep_dims=True)
    assert out.numpy().tolist() == [[3.0], [7.0]]
    assert tf.compat.v1.math.reduce_max(x, 0).numpy().tolist() == [3.0, 4.0]
    assert tf.compat.v1.argmax(x, dimension=1).numpy().tolist() == [1, 1]
    assert int(tf.compat.v1.count_nonzero(input=x, reduction_indices=[0, 1])) == 4
    with pytest.raises(ValueError, match="Cannot specify both"):
        tf.compat.v1.reduce_mean(x, axis=0, reduction_indices=0)
