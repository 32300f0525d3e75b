import numpy as np
import pytest
from graph_opt_testing import assert_same, optimize, run, special_values, trace

import tensorlet as tf
from tensorlet.graph_opt import buffer_reuse, elementwise, pruning

S4 = tf.TensorSpec([4], tf.float32)


def reuse(c):
    return optimize(c, pruning.prune, buffer_reuse.reuse_buffers)


def donations(g):
    """{node name: sorted donated input positions} of the rewritten nodes."""
    return {
        n.name: sorted(n.op.donated)
        for n in g.get_operations()
        if isinstance(n.op, elementwise.FusedOp) and n.op.donated
    }


def check(c, g, *shapes, seed=0):
    rng = np.random.default_rng(seed)
    for _ in range(3):
        xs = [special_values(rng, s) for s in shapes]
        copies = [x.copy() for x in xs]
        for got, want in zip(run(g, *xs), run(c.graph, *xs)):
            assert_same(got, want)
        for x, x0 in zip(xs, copies):
            assert_same(x, x0)  # inputs are never written


def test_last_reader_writes_into_a_dead_buffer():
    def f(x):
        y = x * 2.0
        return tf.tanh(y), y + 1.0  # AddV2 reads y last

    c = trace(f, S4)
    g = reuse(c)
    assert donations(g) == {"AddV2": [0]}
    assert "AddV2 (in place)" in g.get_operation_by_name("AddV2").op.source
    check(c, g, [4])


def test_print_may_read_a_buffer_before_it_is_reused(capfd):
    def f(x):
        y = tf.exp(x)
        tf.print(y)
        return y * 3.0

    c = trace(f, S4)
    g = reuse(c)
    assert donations(g) == {"Mul": [0]}
    x = np.zeros(4, np.float32)
    assert_same(run(g, x)[0], np.full(4, 3.0, np.float32))
    assert capfd.readouterr().err.strip() == "[1 1 1 1]"


def _graph_output(x):
    y = tf.exp(x)
    return y, y * 2.0


def _view_reader(x):
    y = tf.exp(x)
    return tf.reshape(y, [2, 2]), y + 1.0


def _later_reader(x):
    y = tf.exp(x)
    return (y + 1.0) * tf.reduce_sum(y)


def _rank_0(x):
    s = tf.reduce_sum(x) * 2.0
    return tf.exp(s), s + 1.0


def _other_dtype(x):
    y = tf.exp(x)
    return tf.cast(y, tf.float64), y + 1.0


# name -> (function, the node that must not write into its input's buffer)
NOT_DONATED = {
    "input": (lambda x: x + 1.0, "AddV2"),
    "constant": (lambda x: tf.constant([1.0, 2.0, 3.0, 4.0]) + x, "AddV2"),
    "graph output": (_graph_output, "Mul"),
    "view reader": (_view_reader, "AddV2"),
    "later reader": (_later_reader, "AddV2"),
    "rank 0": (_rank_0, "AddV2"),
    "other dtype": (_other_dtype, "AddV2"),
}


@pytest.mark.parametrize("name", sorted(NOT_DONATED))
def test_buffers_that_are_not_dead_or_not_ours_are_never_reused(name):
    fn, node = NOT_DONATED[name]
    c = trace(fn, S4)
    g = reuse(c)
    assert node not in donations(g)
    assert g.get_operation_by_name(node).type != "_FusedElementwise"
    check(c, g, [4])


def test_variable_values_are_never_reused():
    v = tf.Variable(tf.ones([4]))

    def f(x):
        y = tf.exp(x)
        v.assign(y)  # the variable now holds y's buffer
        return y * 2.0 + v.read_value()

    c = trace(f, S4)
    g = reuse(c)
    assert donations(g) == {"AddV2": [0]}  # Mul's result; never Exp's (the variable's)
    x = np.zeros(4, np.float32)
    assert_same(run(g, x)[0], np.full(4, 3.0, np.float32))
    assert_same(v.numpy(), np.ones(4, np.float32))


def test_chained_donations():
    def f(x):
        a = tf.exp(x)
        b = tf.tanh(a) * a  # last reader of a
        c = b - tf.sqrt(tf.abs(b))  # last reader of b
        return c

    c = trace(f, S4)
    g = reuse(c)
    assert donations(g) == {"Mul": [0, 1], "Sqrt": [0], "Sub": [0, 1]}  # not Abs: b is read later
    check(c, g, [4])
