"""tf.bitwise: and/or/xor/invert and shifts (shift amounts clamped to [0, bits - 1] as TF's CPU
kernels do), over all integer types, the ``& | ^ ~`` operators and error classes."""
import numpy as np
import pytest

import tensorlet as tf

INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
R = np.random.default_rng(4)


def ints(dtype, n=8):
    info = np.iinfo(dtype)
    return R.integers(info.min, info.max, n, dtype=dtype, endpoint=True)


@pytest.mark.parametrize("dtype", INTS)
@pytest.mark.parametrize("fn,ref", [(tf.bitwise.bitwise_and, np.bitwise_and),
                                    (tf.bitwise.bitwise_or, np.bitwise_or),
                                    (tf.bitwise.bitwise_xor, np.bitwise_xor)])
def test_logic(dtype, fn, ref):
    x, y = ints(dtype), ints(dtype)
    out = fn(x, y)
    assert out.dtype == tf.as_dtype(dtype)
    np.testing.assert_array_equal(out.numpy(), ref(x, y))
    np.testing.assert_array_equal(fn(x[:, None], y[None, :3]).numpy(), ref(x[:, None], y[None, :3]))


@pytest.mark.parametrize("dtype", INTS)
def test_invert(dtype):
    x = ints(dtype)
    np.testing.assert_array_equal(tf.bitwise.invert(x).numpy(), np.invert(x))
    np.testing.assert_array_equal((~tf.constant(x)).numpy(), np.invert(x))


@pytest.mark.parametrize("dtype", INTS)
def test_shifts_clamp_the_amount(dtype):
    bits = np.iinfo(dtype).bits
    x = ints(dtype, 6)
    shifts = np.array([0, 1, bits - 1, bits, bits + 5, -1 if np.iinfo(dtype).min < 0 else 3],
                      dtype)
    clamped = np.clip(shifts.astype(np.int64), 0, bits - 1).astype(dtype)
    np.testing.assert_array_equal(tf.bitwise.left_shift(x, shifts).numpy(),
                                  np.left_shift(x, clamped))
    np.testing.assert_array_equal(tf.bitwise.right_shift(x, shifts).numpy(),
                                  np.right_shift(x, clamped))


def test_shift_fixture_values():
    x = np.array([1, 1, 1, 1, 1, 1, -16, -16], np.int32)
    y = np.array([0, 1, 31, 32, 33, -1, 40, 7], np.int32)
    np.testing.assert_array_equal(tf.bitwise.left_shift(x, y).numpy(),
                                  [1, 2, -2147483648, -2147483648, -2147483648, 1, 0, -2048])
    np.testing.assert_array_equal(tf.bitwise.right_shift(x, y).numpy(), [1, 0, 0, 0, 0, 1, -1, -1])


def test_operators_and_errors():
    x, y = tf.constant([12, -8]), tf.constant([10, 3])
    np.testing.assert_array_equal((x & y).numpy(), [8, 0])
    np.testing.assert_array_equal((x | y).numpy(), [14, -5])
    np.testing.assert_array_equal((x ^ y).numpy(), [6, -5])
    np.testing.assert_array_equal((5 & x).numpy(), [4, 0])
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.bitwise.bitwise_and(tf.constant([1.0]), tf.constant([1.0]))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.bitwise.bitwise_and(tf.constant([1]), tf.constant([1], tf.int64))
    with pytest.raises(TypeError):
        tf.constant([1]) & 1.5
    assert not hasattr(tf.bitwise, "population_count")


def test_population_count():
    x = np.array([0, 1, -1, 5, -8, 2147483647, -2147483648, 12], np.int32)
    out = tf.raw_ops.PopulationCount(x=x)
    assert out.dtype == tf.uint8
    np.testing.assert_array_equal(out.numpy(), [0, 1, 32, 2, 29, 31, 1, 2])
