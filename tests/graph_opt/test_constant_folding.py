import numpy as np
import pytest
from graph_opt_testing import assert_same, optimize, run, trace, types

import tensorlet as tf
from tensorlet.framework import errors
from tensorlet.graph_opt import constant_folding, pruning

F32 = tf.TensorSpec([3], tf.float32)


def fold(c):
    return optimize(c, constant_folding.fold_constants, pruning.prune)


def test_const_subexpression_folds():
    c = trace(lambda x: x * (tf.constant(2.0) * 3.0 + tf.exp(tf.constant(0.5))), F32)
    assert types(c.graph) == [
        "Placeholder",
        "Const",
        "Const",
        "Mul",
        "Const",
        "Exp",
        "AddV2",
        "Mul",
    ]
    g = fold(c)
    assert types(g) == ["Placeholder", "Const", "Mul"]
    folded = g.get_operation_by_name("AddV2")  # keeps its name, now a Const
    assert folded.type == "Const"
    np.testing.assert_allclose(folded.get_attr("value"), 6.0 + np.exp(np.float32(0.5)))
    x = np.array([1.0, -2.0, 0.5], np.float32)
    assert_same(run(g, x)[0], run(c.graph, x)[0])


def test_static_shape_computations_fold():
    def f(x):
        return tf.reshape(x, [tf.shape(x)[0] * 2, -1])

    c = trace(f, tf.TensorSpec([4, 6], tf.float32))
    g = fold(c)
    assert "Shape" in types(c.graph) and "Shape" not in types(g)
    x = np.arange(24, dtype=np.float32).reshape(4, 6)
    assert_same(run(g, x)[0], x.reshape(8, 3))


def test_unknown_shapes_do_not_fold():
    c = trace(lambda x: tf.shape(x) * 2, tf.TensorSpec([None, 3], tf.float32))
    g = fold(c)
    assert "Shape" in types(g)
    assert_same(run(g, np.zeros((5, 3), np.float32))[0], np.array([10, 6], np.int32))


def test_stateful_ops_do_not_fold():
    def f():
        tf.print(tf.constant(1.0) + 1.0)
        return tf.random.uniform([2], seed=1) + tf.constant(1.0)

    g = fold(trace(f))
    assert {"PrintV2", "RandomUniform"} <= set(types(g))
    assert "AddV2" in types(g)  # its input is random: not known


def test_huge_results_do_not_fold():
    c = trace(lambda x: x + tf.zeros([1000, 1000]), tf.TensorSpec([1000, 1000], tf.float32))
    g = fold(c)
    assert "Fill" in types(g)  # 4 MB: computed when the graph runs
    for n in g.get_operations():
        if n.type == "Const":
            assert n.get_attr("value").nbytes <= constant_folding.MAX_BYTES


def test_failing_ops_stay_runtime_errors():
    def f(x):
        return x + tf.gather(tf.constant([1.0, 2.0]), 5)

    c = trace(f, tf.TensorSpec([], tf.float32))
    g = fold(c)
    assert "GatherV2" in types(g)
    with pytest.raises(errors.InvalidArgumentError):
        run(g, np.float32(1.0))


def test_dtypes_and_negative_zero_are_kept():
    def f(x):
        # (a Python -0.0 becomes +0.0, as TF's scalar cache does; a NumPy -0.0 stays)
        neg_zero = tf.cast(tf.constant(np.float32(-0.0)), tf.float16)
        return x + neg_zero * tf.constant(1.0, tf.float16)

    c = trace(f, tf.TensorSpec([2], tf.float16))
    g = fold(c)
    const = [n for n in g.get_operations() if n.type == "Const"][-1]
    assert const.get_attr("value").dtype == np.float16
    assert np.signbit(const.get_attr("value"))
    x = np.array([-0.0, 1.0], np.float16)
    assert_same(run(g, x)[0], run(c.graph, x)[0])


def test_multi_output_nodes_fold_to_one_const_per_output():
    def f(x):
        a, b = tf.split(tf.constant([1.0, 2.0, 3.0, 4.0]), 2)
        return x * a + b

    c = trace(f, tf.TensorSpec([2], tf.float32))
    g = fold(c)
    assert "Split" not in types(g)
    assert_same(run(g, np.ones(2, np.float32))[0], np.array([4.0, 6.0], np.float32))


def test_returned_values_are_computed_each_call():
    c = trace(lambda x: (tf.shape(x) * 2, x + tf.shape(x)[0] * 2), tf.TensorSpec([3], tf.int32))
    g = fold(c)
    assert g.outputs[0].op.type == "Mul"  # the returned node stays; its inputs folded
    assert "Shape" not in types(g)
    first, second = run(g, np.ones(3, np.int32))[0], run(g, np.ones(3, np.int32))[0]
    assert first is not second
    assert_same(first, np.array([6], np.int32))
