"""tf.gradients (graph mode: tf.function and compat.v1 graphs) and tf.init_scope."""

import numpy as np
import pytest

import tensorlet as tf


def test_gradients_in_tf_function_match_the_tape():
    v = tf.Variable(2.0)

    @tf.function
    def f(x):
        y = x * x * v + tf.sin(x)
        dx, dv = tf.gradients(y, [x, v])
        (scaled,) = tf.gradients(y, x, grad_ys=tf.constant(2.0))
        (none,) = tf.gradients(y, tf.constant(1.0))
        (zero,) = tf.gradients(y, tf.constant(1.0), unconnected_gradients="zero")
        return dx, dv, scaled, none, zero

    x = tf.constant(3.0)
    dx, dv, scaled, none, zero = f(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x * v + tf.sin(x)
    want = tape.gradient(y, [x, v])
    np.testing.assert_allclose(dx, want[0], rtol=1e-6)
    np.testing.assert_allclose(dv, want[1], rtol=1e-6)
    np.testing.assert_allclose(scaled, 2 * want[0].numpy(), rtol=1e-6)
    assert none is None and float(zero) == 0.0


def test_gradients_stop_gradients_and_compat_v1_graphs():
    @tf.function
    def f(x):
        h = x * 3.0
        y = h * x
        return tf.gradients(y, x, stop_gradients=[h])[0]

    np.testing.assert_allclose(f(tf.constant(2.0)), 6.0)  # h treated as a constant: d(h*x)/dx = h
    g = tf.compat.v1.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [3])
        (dx,) = tf.compat.v1.gradients(tf.reduce_sum(x * x), [x])
        with tf.compat.v1.Session() as sess:
            np.testing.assert_allclose(sess.run(dx, {x: [1.0, 2.0, 3.0]}), [2.0, 4.0, 6.0])


def test_gradients_eagerly_is_an_error():
    with pytest.raises(RuntimeError, match="Use tf.GradientTape instead"):
        tf.gradients(tf.constant(1.0), tf.constant(2.0))


def test_init_scope_runs_eagerly_inside_a_trace():
    seen = []

    @tf.function
    def f(x):
        with tf.init_scope():
            seen.append(tf.executing_eagerly())
            c = tf.constant(5.0)
        return x + c

    assert float(f(tf.constant(1.0))) == 6.0
    assert seen == [True]
