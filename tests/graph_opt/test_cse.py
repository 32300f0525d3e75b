import numpy as np
from graph_opt_testing import assert_same, count, optimize, run, trace, types

import tensorlet as tf
from tensorlet.graph_opt import cse, pruning

S3 = tf.TensorSpec([3], tf.float32)


def dedup(c):
    return optimize(c, cse.eliminate_common_subexpressions, pruning.prune)


def test_repeated_subexpressions_merge():
    def f(x, y):
        return tf.exp(x * y) + tf.exp(x * y) * (x * y)

    c = trace(f, S3, S3)
    assert count(c.graph, "Mul") == 4 and count(c.graph, "Exp") == 2
    g = dedup(c)
    assert count(g, "Mul") == 2 and count(g, "Exp") == 1
    x, y = np.array([1.0, -2.0, 0.5], np.float32), np.array([3.0, 0.25, -1.0], np.float32)
    assert_same(run(g, x, y)[0], run(c.graph, x, y)[0])


def test_equal_constants_merge_but_signed_zeros_do_not():
    def f(x):
        return (x + 2.0) * (x - 2.0) + x * tf.constant(np.float32(-0.0)) + x * 0.0

    g = dedup(trace(f, S3))
    values = sorted(float(n.get_attr("value")) for n in g.get_operations() if n.type == "Const")
    assert len(values) == 3  # 2.0 once, -0.0 and +0.0 apart
    zeros = [n.get_attr("value") for n in g.get_operations() if n.type == "Const"]
    assert sorted(bool(np.signbit(z)) for z in zeros if z == 0) == [False, True]


def test_attrs_distinguish_nodes():
    def f(x):
        return tf.reduce_sum(x, 0) + tf.reduce_sum(x, 1)[0] + tf.reduce_sum(x, 0)

    g = dedup(trace(f, tf.TensorSpec([2, 2], tf.float32)))
    assert count(g, "Sum") == 2


def test_commuted_operands_are_not_assumed_equal():
    g = dedup(trace(lambda x, y: x * y + y * x, S3, S3))
    assert count(g, "Mul") == 2


def test_stateful_nodes_never_merge():
    v = tf.Variable([1.0, 2.0, 3.0])

    def f(x):
        a = tf.random.uniform([3], seed=3)
        b = tf.random.uniform([3], seed=3)
        r1 = v.read_value()
        v.assign_add(x)
        r2 = v.read_value()
        return a + b + r1 + r2

    c = trace(f, S3)
    g = dedup(c)
    assert count(g, "RandomUniform") == 2
    assert count(g, "ReadVariableOp") == count(c.graph, "ReadVariableOp")
    assert [t for t in types(g) if t in ("ReadVariableOp", "AssignAddVariableOp")] == [
        t for t in types(c.graph) if t in ("ReadVariableOp", "AssignAddVariableOp")
    ]


def test_returned_duplicates_keep_their_own_arrays():
    c = trace(lambda x: (x * 2.0, x * 2.0, (x * 2.0) + 1.0), S3)
    g = dedup(c)
    assert count(g, "Mul") == 2  # the third merges into the first
    a, b, _ = run(g, np.ones(3, np.float32))
    assert a is not b
