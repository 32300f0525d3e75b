"""tf.cast (TF's x86 float -> int results, wrap-around, bool, complex, bfloat16), saturate_cast,
bitcast and complex numbers (complex/real/imag/conj/angle), with their gradients."""
import numpy as np
import pytest
from _gradcheck import check_grad

import tensorlet as tf

R = np.random.default_rng(3)
IAE = tf.errors.InvalidArgumentError
SPECIAL = [np.nan, np.inf, -np.inf, 3e9, -3e9, 2147483520.0, -2147483648.0, 255.9, -1.0, 300.0,
           -0.5, 0.0]


@pytest.mark.parametrize("dst,want", [
    (tf.int32, [-2147483648, -2147483648, -2147483648, -2147483648, -2147483648, 2147483520,
                -2147483648, 255, -1, 300, 0, 0]),
    (tf.int64, [-2 ** 63, -2 ** 63, -2 ** 63, 3000000000, -3000000000, 2147483520, -2147483648,
                255, -1, 300, 0, 0]),
    (tf.uint8, [0, 0, 0, 0, 0, 128, 0, 255, 255, 44, 0, 0]),
    (tf.int8, [0, 0, 0, 0, 0, -128, 0, -1, -1, 44, 0, 0]),
    (tf.int16, [0, 0, 0, 0, 0, -128, 0, 255, -1, 300, 0, 0]),
    (tf.uint32, [0, 0, 0, 3000000000, 1294967296, 2147483520, 2147483648, 255, 4294967295, 300,
                 0, 0]),
])
def test_float_to_int_casts(dst, want):
    out = tf.cast(tf.constant(SPECIAL, tf.float32), dst)
    assert out.dtype == dst
    np.testing.assert_array_equal(out.numpy(), np.array(want, dtype=dst.as_numpy_dtype))


def test_casts_between_other_types():
    assert tf.cast(3.7, tf.int32).numpy() == 3 and tf.cast(-3.7, tf.int32).numpy() == -3
    assert tf.cast(300, tf.uint8).numpy() == 44 and tf.cast(-1, tf.uint8).numpy() == 255
    assert tf.cast(2 ** 31 + 5, tf.int32).numpy() == -2147483643
    assert tf.cast(tf.constant(-1), tf.uint32).numpy() == 4294967295
    np.testing.assert_array_equal(tf.cast([0.0, -0.0, np.nan, 2.0], tf.bool).numpy(),
                                  [False, False, True, True])
    np.testing.assert_array_equal(tf.cast([True, False], tf.float32).numpy(), [1, 0])
    assert tf.cast(tf.constant(16777217), tf.float32).numpy() == 16777216
    assert tf.cast(tf.constant(1e40, tf.float64), tf.float32).numpy() == np.inf
    assert tf.cast(tf.constant(70000.0), tf.float16).numpy() == np.inf
    assert tf.cast(tf.constant(1.0 + 2j), tf.float32).numpy() == 1.0
    assert tf.cast(tf.constant(2.5 + 1j), tf.int32).numpy() == 2
    assert float(tf.cast(tf.constant(3.14159), tf.bfloat16).numpy()) == 3.140625
    assert tf.cast(tf.cast(tf.constant(3.75), tf.bfloat16), tf.int32).numpy() == 3
    assert tf.cast(tf.constant([1, 2]), tf.complex64).dtype == tf.complex64
    with pytest.raises(tf.errors.UnimplementedError, match="Cast string to int32 is not supported"):
        tf.cast(tf.constant("1"), tf.int32)
    t = tf.constant([1.0])
    assert tf.cast(t, tf.float32) is t


def test_cast_gradients():
    x = R.standard_normal(3).astype(np.float32)
    check_grad(lambda t: tf.math.real(tf.cast(t, tf.complex128) * (1 + 2j)), x.astype(np.float64))
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = tf.cast(t, tf.int32)
    assert tape.gradient(y, t) is None
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = tf.cast(t, tf.float64) * 2.0
    g = tape.gradient(y, t)
    assert g.dtype == tf.float32 and np.allclose(g.numpy(), 2.0)


def test_saturate_cast():
    np.testing.assert_array_equal(tf.saturate_cast(tf.constant([300, -5]), tf.uint8).numpy(),
                                  [255, 0])
    np.testing.assert_array_equal(
        tf.saturate_cast(tf.constant([3e9, -3e9, np.nan]), tf.int32).numpy(),
        [2147483520, -2147483648, -2147483648])
    np.testing.assert_array_equal(
        tf.saturate_cast(tf.constant([1e40], tf.float64), tf.float32).numpy(),
        np.array([3.4028235e38], np.float32))
    np.testing.assert_array_equal(tf.saturate_cast(tf.constant([1, 2]), tf.float32).numpy(),
                                  [1, 2])
    assert tf.dtypes.saturate_cast is tf.saturate_cast


def test_bitcast():
    x = tf.constant([1.0, -2.0], tf.float32)
    np.testing.assert_array_equal(tf.bitcast(x, tf.int32).numpy(),
                                  np.array([1.0, -2.0], np.float32).view(np.int32))
    wide = tf.bitcast(x, tf.uint8)
    assert wide.shape == (2, 4)
    back = tf.bitcast(wide, tf.float32)
    np.testing.assert_array_equal(back.numpy(), [1.0, -2.0])
    assert tf.bitcast(tf.constant([[1, 2]], tf.int32), tf.int64).shape == (1,)
    with pytest.raises(IAE):
        tf.bitcast(tf.constant([1, 2, 3], tf.int32), tf.int64)
    with pytest.raises(IAE):
        tf.bitcast(tf.constant([True]), tf.int8)


def test_complex_parts():
    re, im = R.standard_normal(3).astype(np.float32), R.standard_normal(3).astype(np.float32)
    z = tf.complex(re, im)
    assert z.dtype == tf.complex64
    np.testing.assert_array_equal(z.numpy(), re + 1j * im)
    assert tf.complex(re.astype(np.float64), im.astype(np.float64)).dtype == tf.complex128
    with pytest.raises(TypeError, match="incorrect types"):
        tf.complex(re, im.astype(np.float64))
    np.testing.assert_array_equal(tf.math.real(z).numpy(), re)
    np.testing.assert_array_equal(tf.math.imag(z).numpy(), im)
    np.testing.assert_array_equal(tf.math.conj(z).numpy(), re - 1j * im)
    np.testing.assert_allclose(tf.math.angle(z).numpy(), np.angle(re + 1j * im), rtol=1e-6)
    assert tf.math.real(z).dtype == tf.float32
    x = tf.constant([-1.0, 2.0])
    assert tf.math.real(x) is x and tf.math.conj(x) is x
    np.testing.assert_array_equal(tf.math.imag(x).numpy(), [0, 0])
    np.testing.assert_allclose(tf.math.angle(x).numpy(), [np.pi, 0])
    assert tf.complex(tf.constant([1.0]), tf.constant(2.0)).shape == (1,)


def test_complex_gradients():
    re, im = R.standard_normal(3), R.standard_normal(3)
    check_grad(lambda a, b: tf.math.real(tf.complex(a, b) * tf.complex(b, a)), re, im)
    check_grad(lambda a, b: tf.math.imag(tf.math.conj(tf.complex(a, b)) * 2.0), re, im)
    check_grad(lambda a, b: tf.math.angle(tf.complex(a, b)), re, im)
    check_grad(lambda a, b: tf.math.abs(tf.complex(a, b)), re, im)
