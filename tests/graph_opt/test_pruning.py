import numpy as np
from graph_opt_testing import optimize, run, trace, types

import tensorlet as tf
from tensorlet.graph_opt import pruning

S3 = tf.TensorSpec([3], tf.float32)


def test_unused_nodes_are_dropped():
    def f(x, unused):
        tf.exp(x) * 2.0  # dead
        return x + 1.0

    c = trace(f, S3, S3)
    g = optimize(c, pruning.prune)
    assert types(c.graph) == ["Placeholder", "Placeholder", "Exp", "Const", "Mul", "Const", "AddV2"]
    assert types(g) == ["Placeholder", "Placeholder", "Const", "AddV2"]  # inputs stay
    assert len(g.inputs) == 2
    np.testing.assert_array_equal(run(g, np.ones(3, np.float32), np.ones(3, np.float32))[0], 2.0)


def test_stateful_nodes_and_their_inputs_are_kept(capfd):
    v = tf.Variable(0.0)

    def f(x):
        tf.print("sum:", tf.reduce_sum(x * 2.0))
        v.assign_add(tf.reduce_max(x))
        tf.random.uniform([2], seed=1)  # unused, but it advances the random stream
        return tf.constant(1.0)

    c = trace(f, S3)
    g = optimize(c, pruning.prune)
    kept = types(g)
    for t in ("PrintV2", "Sum", "Mul", "AssignAddVariableOp", "Max", "RandomUniform"):
        assert t in kept
    run(g, np.array([1.0, 2.0, 3.0], np.float32))
    assert capfd.readouterr().err.strip() == "sum: 12"
    assert float(v.numpy()) == 3.0
