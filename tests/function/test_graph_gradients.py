"""Gradients through graphs: a tape around a tf.function call and a tape inside one."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework.context import state


@pytest.fixture(params=["checked", "compiled"], autouse=True)
def mode(request):
    state.check_infer = request.param == "checked"
    yield request.param


def _ref_grad(fn, *xs):
    """The same gradient computed eagerly (no tf.function)."""
    xs = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        y = fn(*xs)
    return [g.numpy() for g in tape.gradient(y, xs)]


def body(x, y):
    return tf.reduce_sum(tf.sin(x) * y + tf.exp(x * 0.1) / (1.0 + y * y))


def test_tape_around_a_call():
    f = tf.function(body)
    rng = np.random.default_rng(0)
    xv, yv = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    x, y = tf.constant(xv), tf.constant(yv)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = f(x, y)
    gx, gy = tape.gradient(z, [x, y])
    rx, ry = _ref_grad(body, xv, yv)
    np.testing.assert_allclose(gx.numpy(), rx, rtol=1e-12)
    np.testing.assert_allclose(gy.numpy(), ry, rtol=1e-12)
    assert float(z) == pytest.approx(float(body(x, y)))


def test_tape_inside_a_function():
    @tf.function
    def grads(x, y):
        with tf.GradientTape() as tape:
            tape.watch([x, y])
            z = body(x, y)
        return tape.gradient(z, [x, y])

    rng = np.random.default_rng(1)
    xv, yv = rng.standard_normal(5), rng.standard_normal(5)
    gx, gy = grads(tf.constant(xv), tf.constant(yv))
    rx, ry = _ref_grad(body, xv, yv)
    np.testing.assert_allclose(gx.numpy(), rx, rtol=1e-12)
    np.testing.assert_allclose(gy.numpy(), ry, rtol=1e-12)
    types = {
        op.type
        for op in grads.get_concrete_function(
            tf.constant(xv), tf.constant(yv)
        ).graph.get_operations()
    }
    assert "Cos" in types  # the backward pass is in the graph


def test_second_order_inside_function():
    @tf.function
    def d2(x):
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = x * x * x
            dy = t1.gradient(y, x)
        return t2.gradient(dy, x)

    assert float(d2(tf.constant(2.0))) == pytest.approx(12.0)


def test_variables_read_inside_function_are_watched():
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    b = tf.Variable([0.5, -0.5])

    @tf.function
    def loss(x):
        return tf.reduce_sum(tf.square(tf.matmul(x, w) + b))

    x = tf.constant([[1.0, -1.0]])
    with tf.GradientTape() as tape:
        l1 = loss(x)
    gw, gb = tape.gradient(l1, [w, b])
    with tf.GradientTape() as tape:
        l2 = tf.reduce_sum(tf.square(tf.matmul(x, w) + b))
    rw, rb = tape.gradient(l2, [w, b])
    np.testing.assert_allclose(gw.numpy(), rw.numpy())
    np.testing.assert_allclose(gb.numpy(), rb.numpy())


def test_training_step_in_a_function():
    rng = np.random.default_rng(2)
    xv = rng.standard_normal((16, 3)).astype(np.float32)
    yv = (xv @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3).astype(np.float32)

    def make():
        return tf.Variable(tf.zeros([3, 1])), tf.Variable(tf.zeros([1]))

    def step(w, b, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        gw, gb = tape.gradient(loss, [w, b])
        w.assign_sub(0.1 * gw)
        b.assign_sub(0.1 * gb)
        return loss

    we, be = make()
    wg, bg = make()
    graph_step = tf.function(lambda x, y: step(wg, bg, x, y))
    x, y = tf.constant(xv), tf.constant(yv)
    for _ in range(20):
        le = step(we, be, x, y)
        lg = graph_step(x, y)
        np.testing.assert_allclose(lg.numpy(), le.numpy(), rtol=1e-5)
    np.testing.assert_allclose(wg.numpy(), we.numpy(), rtol=1e-5)
    assert graph_step.experimental_get_tracing_count() == 1


def test_no_tape_interest_uses_fast_path():
    f = tf.function(lambda x: x * 2.0)
    x, other = tf.constant(1.0), tf.constant(5.0)
    with tf.GradientTape() as tape:
        tape.watch(other)
        y = f(x)
    assert tape.gradient(y, other) is None


def test_tape_around_call_is_one_record():
    f = tf.function(body)
    x, y = tf.constant([0.5, 1.0]), tf.constant([2.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        z = f(x, y)
    assert [r.opdef.name for r in tape._records] == ["PartitionedCall"]
    g1 = tape.gradient(z, x)
    g2 = tape.gradient(z, x)  # a persistent tape reuses the record
    np.testing.assert_allclose(g1.numpy(), _ref_grad(body, x.numpy(), y.numpy())[0], rtol=1e-6)
    np.testing.assert_array_equal(g1.numpy(), g2.numpy())


def test_second_order_through_a_call():
    f = tf.function(lambda x: x * x * x)
    x = tf.constant(2.0)
    with tf.GradientTape() as t2:  # two tapes: the call is replayed op by op
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = f(x)
        dy = t1.gradient(y, x)
    assert float(dy) == pytest.approx(12.0)
    assert float(t2.gradient(dy, x)) == pytest.approx(12.0)


def test_gradient_recorded_by_a_later_tape():
    f = tf.function(lambda x: tf.sin(x) * 2.0)
    x = tf.constant(0.3)
    with tf.GradientTape() as t1:
        t1.watch(x)
        y = f(x)
    with tf.GradientTape() as t2:  # records the backward pass (replayed through apply)
        t2.watch(x)
        dy = t1.gradient(y, x)
    assert float(dy) == pytest.approx(2 * np.cos(0.3))
    assert float(t2.gradient(dy, x)) == pytest.approx(-2 * np.sin(0.3))


def test_forward_accumulator_through_a_call():
    f = tf.function(lambda x: tf.exp(x) * x)
    x = tf.constant([0.1, 0.2])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 0.0])) as acc:
        y = f(x)
    np.testing.assert_allclose(acc.jvp(y).numpy(), [np.exp(0.1) * 1.1, 0.0], rtol=1e-6)


def test_jacobian_through_a_call():
    f = tf.function(lambda x: x * x)
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = f(x)
    np.testing.assert_allclose(tape.jacobian(y, x).numpy(), [[2.0, 0.0], [0.0, 4.0]])


def test_variable_gradients_through_a_call_that_writes():
    v = tf.Variable(2.0)
    counter = tf.Variable(0.0, trainable=False)

    @tf.function
    def f(x):
        a = v * x
        counter.assign_add(1.0)
        return a + v * v

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = f(x)
    assert float(y) == 10.0 and float(counter) == 1.0
    assert float(tape.gradient(y, v)) == pytest.approx(3.0 + 4.0)


def test_random_ops_are_not_resampled_by_the_backward_pass():
    f = tf.function(lambda x: x * tf.random.uniform([3]))
    x = tf.constant([1.0, 1.0, 1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), y.numpy())
