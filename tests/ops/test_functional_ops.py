"""tf.map_fn / tf.scan / tf.foldl / tf.foldr / tf.vectorized_map: values, structures, dtypes,
errors, traced (static and run-time lengths) and gradients."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.testing import gradient_check


def test_map_fn_values_structures_and_signatures():
    np.testing.assert_array_equal(tf.map_fn(lambda x: x * x, tf.constant([1, 2, 3])), [1, 4, 9])
    a, b = tf.map_fn(lambda p: (p[0] + p[1], p[0]),
                     (tf.constant([1, 2]), tf.constant([3, 4])))
    np.testing.assert_array_equal(a, [4, 6])
    np.testing.assert_array_equal(b, [1, 2])
    out = tf.map_fn(lambda x: tf.cast(x, tf.float32) / 2, tf.constant([1, 2]),
                    fn_output_signature=tf.float32)
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out, [0.5, 1.0])
    rows = tf.map_fn(lambda x: x[::-1], tf.reshape(tf.range(6), [3, 2]))
    np.testing.assert_array_equal(rows, [[1, 0], [3, 2], [5, 4]])
    ragged = tf.map_fn(lambda n: tf.range(n), tf.constant([1, 2, 3]),
                       fn_output_signature=tf.RaggedTensorSpec(shape=[None], dtype=tf.int32))
    assert ragged.to_list() == [[0], [0, 1], [0, 1, 2]]
    empty = tf.map_fn(lambda x: x * 2, tf.zeros([0, 3]))
    assert empty.shape == (0, 3) and empty.dtype == tf.float32
    np.testing.assert_array_equal(tf.vectorized_map(lambda x: x + 1, tf.constant([1, 2])), [2, 3])


def test_map_fn_errors():
    with pytest.raises(ValueError, match="1\\+ dimensional"):
        tf.map_fn(lambda x: x, tf.constant(1))
    with pytest.raises(ValueError, match="same size along axis 0"):
        tf.map_fn(lambda p: p[0], (tf.ones([2]), tf.ones([3])))
    with pytest.raises(TypeError, match="does not match the dtype"):
        tf.map_fn(lambda x: x, tf.constant([1, 2]), fn_output_signature=tf.float32)


def test_map_fn_in_tf_function_static_and_run_time_lengths():
    @tf.function
    def static(x):
        return tf.map_fn(lambda v: v * 2.0, x)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def dynamic(x):
        return tf.map_fn(lambda v: v * 2.0, x)

    np.testing.assert_allclose(static(tf.constant([1.0, 2.0])), [2.0, 4.0])
    np.testing.assert_allclose(dynamic(tf.constant([1.0, 2.0, 3.0])), [2.0, 4.0, 6.0])
    np.testing.assert_allclose(dynamic(tf.constant([5.0])), [10.0])


def test_map_fn_and_scan_gradients():
    x = np.array([0.5, -1.5, 2.0])
    gradient_check.check_vjp(lambda t: tf.map_fn(lambda v: v * v * v, t), [x])
    gradient_check.check_vjp(lambda t: tf.scan(lambda a, v: a * v + 1.0, t), [x])
    gradient_check.check_vjp(lambda t: tf.foldl(lambda a, v: a * v, t), [x])


def test_scan_fold_semantics():
    np.testing.assert_array_equal(tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3, 4])),
                                  [1, 3, 6, 10])
    np.testing.assert_allclose(
        tf.scan(lambda a, x: a * x, tf.constant([1.0, 2.0, 3.0]), initializer=tf.constant(2.0),
                reverse=True), [12.0, 12.0, 6.0])
    acc = tf.scan(lambda a, x: (a[0] + x, a[1] * x), tf.constant([1, 2, 3]),
                  initializer=(tf.constant(0), tf.constant(1)))
    np.testing.assert_array_equal(acc[0], [1, 3, 6])
    np.testing.assert_array_equal(acc[1], [1, 2, 6])
    assert int(tf.foldl(lambda a, x: a + x, tf.constant([1, 2, 3]))) == 6
    assert int(tf.foldr(lambda a, x: a - x, tf.constant([1, 2, 3]), initializer=10)) == 4
    assert int(tf.foldl(lambda a, x: a * 10 + x, tf.constant([1, 2, 3]))) == 123
    assert int(tf.foldr(lambda a, x: a * 10 + x, tf.constant([1, 2, 3]))) == 321
    with pytest.raises(ValueError, match="non-empty"):
        tf.foldl(lambda a, x: a + x, tf.zeros([0]))
