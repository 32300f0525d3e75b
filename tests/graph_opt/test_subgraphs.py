import numpy as np
import pytest
from graph_opt_testing import assert_same, special_values, trace, types, with_passes

import tensorlet as tf
from tensorlet.framework.context import state
from tensorlet.graph_opt import elementwise, pipeline

S3 = tf.TensorSpec([3], tf.float32)


@pytest.fixture(params=["checked", "compiled"])
def mode(request):
    state.check_infer = request.param == "checked"
    yield request.param


def _loop(x):
    def body(i, a):
        return i + 1, tf.tanh(a * 2.0 + 1.0) * 1.0 - a * 0.5

    return tf.while_loop(lambda i, a: i < 4, body, (0, x))[1]


def _branches(x):
    return tf.cond(
        tf.reduce_sum(x) > 0.0,
        lambda: tf.exp(-tf.abs(x)) * 3.0 + 1.0,
        lambda: tf.identity(tf.abs(x) * 2.0 - 1.0),
    )


def _sub(graph, op_type, key):
    node = next(n for n in graph.get_operations() if n.type.endswith(op_type))
    return node.get_attr(key)


def test_loop_bodies_are_optimized_and_the_traced_ones_kept(mode):
    c = trace(_loop, S3)
    fast = with_passes(c, [pipeline.optimize])
    body = _sub(fast.optimized_graph, "While", "body_graph")
    traced = _sub(c.graph, "While", "body_graph")
    assert elementwise.NAME in types(body) and elementwise.NAME not in types(traced)
    rng = np.random.default_rng(0)
    for _ in range(4):
        x = tf.constant(special_values(rng, [3]))
        assert_same(fast(x).numpy(), _loop(x).numpy())


def test_branches_are_optimized(mode):
    c = trace(_branches, S3)
    fast = with_passes(c, [pipeline.optimize])
    for branch in _sub(fast.optimized_graph, "If", "branches"):
        assert elementwise.NAME in types(branch) and "Identity" not in types(branch)
    for x in ([1.0, -2.0, 3.0], [-1.0, -2.0, np.nan], [-0.0, 0.0, -np.inf]):
        x = tf.constant(np.array(x, np.float32))
        assert_same(fast(x).numpy(), _branches(x).numpy())


def test_gradients_through_an_optimized_loop_use_the_traced_body():
    c = trace(_loop, S3)
    fast = with_passes(c, [pipeline.optimize])
    x = tf.constant([0.3, -0.2, 1.0])
    fast(x)  # the optimized executor exists
    with tf.GradientTape() as t1:
        t1.watch(x)
        y1 = fast(x)
    with tf.GradientTape() as t2:
        t2.watch(x)
        y2 = _loop(x)
    assert_same(y1.numpy(), y2.numpy())
    np.testing.assert_allclose(t1.gradient(y1, x).numpy(), t2.gradient(y2, x).numpy(), rtol=1e-6)
