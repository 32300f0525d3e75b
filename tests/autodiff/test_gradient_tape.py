import numpy as np
import pytest

import tensorlet as tf


def test_seed_example_polynomial():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x + 2 * x + 1
    assert float(tape.gradient(y, x)) == 8.0


def test_unbroadcast_sums_over_broadcast_axes():
    a = tf.constant([[1.0, 2.0, 3.0]])
    b = tf.constant([[1.0], [2.0]])
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = tf.reduce_sum(a * b)
    ga, gb = tape.gradient(y, [a, b])
    np.testing.assert_allclose(ga.numpy(), [[3.0, 3.0, 3.0]])
    np.testing.assert_allclose(gb.numpy(), [[6.0], [6.0]])


def test_second_order_with_nested_tapes():
    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x
        g = inner.gradient(y, x)
    assert float(g) == 27.0 and float(outer.gradient(g, x)) == 18.0


def test_non_persistent_tape_is_single_use_and_persistent_is_not():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError):
        tape.gradient(y, x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * x
    assert float(tape.gradient(y, x)) == 4.0 and float(tape.gradient(z, x)) == 12.0


def test_unwatched_and_unconnected_sources():
    x, u = tf.constant(2.0), tf.constant(5.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, u) is None
    assert float(tape.gradient(y, u, unconnected_gradients=tf.UnconnectedGradients.ZERO)) == 0.0


def test_output_gradients_weight_the_target_and_structure_is_kept():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    g = tape.gradient(y, {"x": x}, output_gradients=tf.constant([1.0, 10.0]))
    np.testing.assert_allclose(g["x"].numpy(), [2.0, 40.0])


def test_stop_recording():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tape.stop_recording():
            y = x * x
        z = x * 3.0
    assert tape.gradient(y, x) is None
    with tf.GradientTape() as tape:
        tape.watch(x)
        z = x * 3.0
    assert float(tape.gradient(z, x)) == 3.0


def test_custom_gradient_replaces_the_rule():
    @tf.custom_gradient
    def clipped_square(x):
        def grad(dy):
            return dy * 100.0
        return x * x, grad

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = clipped_square(x)
    assert float(y) == 9.0 and float(tape.gradient(y, x)) == 100.0


def test_register_gradient_overrides_by_op_name():
    from tensorlet.ops import op_def
    op = op_def.REGISTRY["Neg"]
    saved = op.grad
    try:
        tf.RegisterGradient("Neg")(lambda o, dy: [dy * 7.0])
        x = tf.constant(1.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = -x
        assert float(tape.gradient(y, x)) == 7.0
    finally:
        op.grad = saved


def test_integer_sources_warn_and_get_none(caplog):
    x = tf.constant(3)
    with caplog.at_level("WARNING", logger="tensorflow"):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        assert tape.gradient(y, x) is None
    for what in ("watched tensor", "target tensor", "source tensor"):
        assert f"The dtype of the {what} must be floating (e.g. tf.float32)" in caplog.text


def test_custom_gradient_with_variables():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def scaled(x):
        y = x * v

        def grad(dy, variables=None):
            return dy * v, [dy * x * 10.0]  # variable gradient deliberately scaled by 10

        return y, grad

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scaled(x)
    gx, gv = tape.gradient(y, [x, v])
    assert float(y) == 6.0 and float(gx) == 2.0 and float(gv) == 30.0
