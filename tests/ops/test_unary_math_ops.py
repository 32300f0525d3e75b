"""Elementwise unary math: values against NumPy in each float dtype, integer and complex
support, TF's special values (rounding halves, signed zeros, denormals), error classes,
numerical gradients and the special gradient values at kinks (abs'(0), sqrt'(0), SqrtGrad with
a zero upstream) and second derivatives through the *Grad ops."""
import numpy as np
import pytest
from _gradcheck import check_grad

import tensorlet as tf

R = np.random.default_rng(1)
IAE = tf.errors.InvalidArgumentError


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softplus(x):
    return np.logaddexp(0, x)


# name -> (fn, reference, domain lo, hi, differentiable)
UNARY = {
    "abs": (tf.math.abs, np.abs, -3, 3, True),
    "negative": (tf.math.negative, np.negative, -3, 3, True),
    "sign": (tf.math.sign, np.sign, -3, 3, True),
    "square": (tf.math.square, np.square, -3, 3, True),
    "sqrt": (tf.math.sqrt, np.sqrt, 0.05, 4, True),
    "rsqrt": (tf.math.rsqrt, lambda x: 1 / np.sqrt(x), 0.05, 4, True),
    "exp": (tf.math.exp, np.exp, -3, 3, True),
    "expm1": (tf.math.expm1, np.expm1, -3, 3, True),
    "log": (tf.math.log, np.log, 0.05, 4, True),
    "log1p": (tf.math.log1p, np.log1p, -0.9, 3, True),
    "sin": (tf.math.sin, np.sin, -4, 4, True),
    "cos": (tf.math.cos, np.cos, -4, 4, True),
    "tan": (tf.math.tan, np.tan, -1.4, 1.4, True),
    "asin": (tf.math.asin, np.arcsin, -0.95, 0.95, True),
    "acos": (tf.math.acos, np.arccos, -0.95, 0.95, True),
    "atan": (tf.math.atan, np.arctan, -4, 4, True),
    "sinh": (tf.math.sinh, np.sinh, -3, 3, True),
    "cosh": (tf.math.cosh, np.cosh, -3, 3, True),
    "tanh": (tf.math.tanh, np.tanh, -3, 3, True),
    "asinh": (tf.math.asinh, np.arcsinh, -3, 3, True),
    "acosh": (tf.math.acosh, np.arccosh, 1.05, 4, True),
    "atanh": (tf.math.atanh, np.arctanh, -0.95, 0.95, True),
    "sigmoid": (tf.math.sigmoid, sigmoid, -6, 6, True),
    "log_sigmoid": (tf.math.log_sigmoid, lambda x: -softplus(-x), -6, 6, True),
    "softplus": (tf.math.softplus, softplus, -20, 20, True),
    "softsign": (tf.math.softsign, lambda x: x / (1 + np.abs(x)), -6, 6, True),
    "reciprocal": (tf.math.reciprocal, np.reciprocal, 0.2, 3, True),
    "reciprocal_no_nan": (tf.math.reciprocal_no_nan, np.reciprocal, 0.2, 3, True),
    "round": (tf.math.round, np.round, -4, 4, False),
    "rint": (tf.math.rint, np.rint, -4, 4, False),
    "floor": (tf.math.floor, np.floor, -4, 4, False),
    "ceil": (tf.math.ceil, np.ceil, -4, 4, False),
    "is_nan": (tf.math.is_nan, np.isnan, -4, 4, False),
    "is_inf": (tf.math.is_inf, np.isinf, -4, 4, False),
    "is_finite": (tf.math.is_finite, np.isfinite, -4, 4, False),
}
TOL = {np.float16: 2e-3, np.float32: 2e-6, np.float64: 1e-13}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(), (5,), (2, 3)])
def test_unary_values(name, dtype, shape):
    fn, ref, lo, hi, _ = UNARY[name]
    x = R.uniform(lo, hi, shape).astype(dtype)
    out = fn(tf.constant(x))
    want = ref(x.astype(np.float64))
    if want.dtype.kind == "f":
        assert out.dtype == tf.as_dtype(dtype)
        np.testing.assert_allclose(out.numpy().astype(np.float64), want, rtol=TOL[dtype],
                                   atol=TOL[dtype])
    else:
        assert out.dtype == tf.bool
        np.testing.assert_array_equal(out.numpy(), want)
    assert out.shape == shape


@pytest.mark.parametrize("name", sorted(k for k, v in UNARY.items() if v[4]))
def test_unary_gradients(name):
    fn, _, lo, hi, _ = UNARY[name]
    x = R.uniform(lo, hi, (2, 3))
    if name in ("abs", "sign"):
        x = np.where(np.abs(x) < 0.1, 0.5, x)
    check_grad(fn, x, rtol=1e-5 if name == "tan" else 1e-6)


@pytest.mark.parametrize("name", ["square", "sqrt", "rsqrt", "exp", "log", "sin", "tanh", "sigmoid",
                                  "softplus", "reciprocal", "atan", "asinh"])
def test_second_derivatives(name):
    """Nested tapes differentiate the gradient rules (and the *Grad ops) again."""
    fn, _, lo, hi, _ = UNARY[name]
    x = R.uniform(lo, hi, (4,))
    check_grad(lambda t: _first_derivative(fn, t), x, rtol=1e-5)


def _first_derivative(fn, t):
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = fn(t)
    return tape.gradient(y, t)


def test_rounding_halves_and_signed_zeros():
    halves = np.array([-3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 4.5, -0.49999997, 0.49999997,
                       2.5000002, 1e7 + 0.5, -0.0], np.float32)
    for fn in (tf.math.round, tf.round, tf.math.rint):
        out = fn(halves).numpy()
        np.testing.assert_array_equal(out, np.round(halves))
        np.testing.assert_array_equal(np.signbit(out), np.signbit(np.round(halves)))
    np.testing.assert_array_equal(tf.cast(halves, tf.int32).numpy(), np.trunc(halves))
    assert tf.math.round(tf.constant([3, -3])).dtype == tf.int32


def test_sign_special_values():
    out = tf.math.sign(np.array([-0.0, 0.0, np.nan, -np.inf, 1e-40, -1e-40], np.float32)).numpy()
    np.testing.assert_array_equal(out[[0, 1, 3]], [0, 0, -1])
    assert not np.signbit(out[0]) and np.isnan(out[2])
    assert out[4] == out[5] and 0 <= out[4] < 1e-38  # TF returns |x| for denormals
    np.testing.assert_array_equal(tf.math.sign(tf.constant([-7, 0, 3])).numpy(), [-1, 0, 1])
    z = np.array([3 + 4j, 0j], np.complex64)
    np.testing.assert_allclose(tf.math.sign(z).numpy(), [0.6 + 0.8j, 0])


def test_flush_to_zero_in_floor_and_ceil():
    x = np.array([1e-40, -1e-40, -0.5], np.float32)
    np.testing.assert_array_equal(tf.math.floor(x).numpy(), [0, -0.0, -1])
    np.testing.assert_array_equal(tf.math.ceil(x).numpy(), [0, -0.0, -0.0])


def test_softplus_and_sigmoid_extremes():
    x = np.array([-100, -20, 0, 20, 100], np.float32)
    np.testing.assert_allclose(tf.math.softplus(x).numpy(), softplus(x.astype(np.float64)),
                               rtol=1e-6, atol=1e-30)
    np.testing.assert_allclose(tf.math.sigmoid(np.array([-100, -88, -20, 0, 20, 100], np.float32))
                               .numpy(), sigmoid(np.array([-100, -88, -20, 0, 20, 100.0])),
                               rtol=1e-6, atol=1e-30)
    s = tf.math.sigmoid(np.float32(-np.inf))
    assert s.numpy() == 0 and np.isnan((s * -np.inf).numpy())  # TF flushes tiny results to 0
    assert tf.math.log_sigmoid(np.float32(np.inf)).numpy() == 0
    assert tf.math.log_sigmoid(np.float32(-np.inf)).numpy() == -np.inf
    assert tf.math.softplus(np.float32(-np.inf)).numpy() == 0


def test_integer_unary_ops():
    ints = np.array([-2147483648, -7, -1, 0, 1, 7, 2147483647], np.int32)
    np.testing.assert_array_equal(tf.math.abs(ints).numpy(), np.abs(ints))
    np.testing.assert_array_equal(tf.math.negative(ints).numpy(), -ints)
    np.testing.assert_array_equal((-tf.constant(ints)).numpy(), -ints)
    np.testing.assert_array_equal(tf.math.square(ints).numpy(), ints * ints)
    u8 = np.array([0, 1, 127, 128, 255], np.uint8)
    np.testing.assert_array_equal(tf.math.square(u8).numpy(), u8 * u8)
    with pytest.raises(IAE, match="uint8 is not in the list of allowed values"):
        tf.math.negative(u8)
    with pytest.raises(IAE):
        tf.math.abs(u8)
    with pytest.raises(tf.errors.NotFoundError, match="Reciprocal"):
        tf.math.reciprocal(ints)
    with pytest.raises(IAE):
        tf.math.sqrt(tf.constant([4]))
    with pytest.raises(IAE):
        tf.math.is_nan(tf.constant([1]))


@pytest.mark.parametrize("fn,ref", [(tf.math.abs, np.abs), (tf.math.exp, np.exp),
                                    (tf.math.sqrt, np.sqrt), (tf.math.log, np.log),
                                    (tf.math.sin, np.sin), (tf.math.tanh, np.tanh),
                                    (tf.math.square, np.square), (tf.math.negative, np.negative),
                                    (tf.math.reciprocal, np.reciprocal),
                                    (tf.math.sigmoid, lambda z: 1 / (1 + np.exp(-z)))])
def test_complex_unary(fn, ref):
    z = (R.standard_normal(4) + 1j * R.standard_normal(4)).astype(np.complex64)
    out = fn(z)
    want = ref(z.astype(np.complex128))
    assert out.dtype == (tf.float32 if fn is tf.math.abs else tf.complex64)
    np.testing.assert_allclose(out.numpy(), want, rtol=2e-6)


def test_complex_gradients():
    z = R.standard_normal(3) + 1j * R.standard_normal(3)
    x = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.math.abs(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), z / np.abs(z))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.math.exp(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), np.conj(np.exp(z)))


# ---------------------------------------------------------------- gradients at special points

def grad(fn, x, upstream=None):
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = fn(t)
    up = None if upstream is None else tf.constant(upstream, dtype=y.dtype)
    g = tape.gradient(y, t, output_gradients=up)
    return None if g is None else g.numpy()


def test_gradients_at_kinks():
    np.testing.assert_array_equal(grad(tf.math.abs, np.array([-1, -0.0, 0, 1], np.float32)),
                                  [-1, 0, 0, 1])
    np.testing.assert_array_equal(grad(tf.math.sqrt, np.array([0, 1, 4], np.float32)),
                                  [np.inf, 0.5, 0.25])
    # SqrtGrad returns 0 where the upstream gradient is 0 (the tf.where / sqrt "NaN trap")
    np.testing.assert_array_equal(grad(tf.math.sqrt, np.array([0, 4.0]), np.array([0.0, 1.0])),
                                  [0, 0.25])
    np.testing.assert_array_equal(grad(tf.math.sign, np.array([-2.0, 0.0, 3.0])), [0, 0, 0])
    for fn in (tf.math.floor, tf.math.ceil, tf.math.round, tf.math.rint):
        assert grad(fn, np.array([1.5])) is None
    np.testing.assert_array_equal(grad(tf.math.reciprocal_no_nan, np.array([0.0, 2.0])),
                                  [0, -0.25])


def test_export_names():
    assert tf.nn.sigmoid is tf.math.sigmoid is tf.sigmoid
    assert tf.nn.softplus is tf.math.softplus
    assert tf.nn.softsign is tf.math.softsign
    assert tf.tanh is tf.math.tanh is tf.nn.tanh
    assert tf.abs is tf.math.abs and tf.floor is tf.math.floor and tf.round is tf.math.round
    assert not hasattr(tf, "log") and not hasattr(tf, "rsqrt")
