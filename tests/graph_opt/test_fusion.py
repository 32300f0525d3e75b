import numpy as np
import pytest
from graph_opt_testing import (
    assert_same,
    count,
    optimize,
    run,
    special_values,
    trace,
    types,
    with_passes,
)

import tensorlet as tf
from tensorlet.framework import errors
from tensorlet.framework.context import state
from tensorlet.function import executor
from tensorlet.graph_opt import cse, elementwise, fusion, pipeline, pruning

FUSED = elementwise.NAME


def fuse(c):
    passes = (cse.eliminate_common_subexpressions, pruning.prune, fusion.fuse, pruning.prune)
    return optimize(c, *passes)


def chain(x):
    for _ in range(5):
        x = x * 0.5
        x = x + 1.0
        x = tf.tanh(x)
        x = tf.abs(x)
    return x


@pytest.fixture(params=["checked", "compiled"])
def mode(request):
    state.check_infer = request.param == "checked"
    yield request.param


def test_twenty_op_chain_becomes_one_kernel_with_one_allocation(mode):
    c = trace(chain, tf.TensorSpec([1000], tf.float32))
    g = fuse(c)
    assert types(g) == ["Placeholder", FUSED]
    op = g.get_operations()[1].op
    assert len(op.steps) == 20
    assert op.source.count("(in place)") == 19  # only the first step allocates
    x = special_values(np.random.default_rng(0), [1000])
    x0 = x.copy()
    assert_same(run(g, x)[0], run(c.graph, x)[0])
    assert_same(x, x0)  # the caller's array is never written
    fast = with_passes(c, [pipeline.optimize])
    for _ in range(3):
        assert_same(fast(tf.constant(x)).numpy(), chain(tf.constant(x)).numpy())


def test_intermediates_read_outside_stay_outputs_of_their_own_nodes():
    def f(x):
        a = x * 2.0
        b = tf.tanh(a) + 1.0
        return a, b * b

    c = trace(f, tf.TensorSpec([4], tf.float32))
    g = fuse(c)
    assert types(g) == ["Placeholder", "Const", "Mul", FUSED]
    x = special_values(np.random.default_rng(1), [4])
    for got, want in zip(run(g, x), run(c.graph, x)):
        assert_same(got, want)


def test_a_value_read_twice_in_a_group_is_overwritten_only_at_its_last_use():
    def f(x):
        y = x * 2.0
        return (tf.tanh(y) + y) * y - tf.exp(y)

    c = trace(f, tf.TensorSpec([8], tf.float32))
    g = fuse(c)
    assert types(g) == ["Placeholder", FUSED]
    x = special_values(np.random.default_rng(2), [8])
    assert_same(run(g, x)[0], run(c.graph, x)[0])


def test_non_elementwise_ops_split_groups():
    def f(x):
        s = tf.reduce_sum(tf.exp(x) * 2.0)
        return tf.tanh(x) * s + 1.0

    c = trace(f, tf.TensorSpec([5], tf.float32))
    g = fuse(c)
    assert count(g, FUSED) == 2 and count(g, "Sum") == 1
    x = special_values(np.random.default_rng(3), [5])
    assert_same(run(g, x)[0], run(c.graph, x)[0])


@pytest.mark.parametrize(
    "shapes",
    [([3, 1], [1, 4]), ([3, 1], [4]), ([4], [3, 1]), ([], [2, 3]), ([2, 3], [])],
)
def test_broadcasting_groups(shapes):
    def f(x, y):
        return tf.sqrt(tf.abs(x * 3.0 + y)) - y * x

    specs = [tf.TensorSpec(s, tf.float32) for s in shapes]
    c = trace(f, *specs)
    g = fuse(c)
    assert types(g)[-1] == FUSED
    rng = np.random.default_rng(4)
    for _ in range(3):
        xs = [special_values(rng, s) for s in shapes]
        assert_same(run(g, *xs)[0], run(c.graph, *xs)[0])


def test_unknown_dims_only_reuse_buffers_that_cannot_grow():
    def f(x, y):
        return tf.tanh(x * 2.0) + y

    c = trace(f, tf.TensorSpec([None], tf.float32), tf.TensorSpec([None], tf.float32))
    g = fuse(c)
    src = g.get_operations()[-1].op.source
    assert "Tanh (in place)" in src and "AddV2 (in place)" not in src
    x, y = np.ones(3, np.float32), np.ones(1, np.float32)
    assert_same(run(g, x, y)[0], run(c.graph, x, y)[0])  # y broadcasts: a new buffer
    with pytest.raises(errors.InvalidArgumentError, match=r"Incompatible shapes: \[3\] vs. \[2\]"):
        run(g, x, np.ones(2, np.float32))


@pytest.mark.parametrize("dtype", [tf.float16, tf.float64])
def test_other_float_dtypes(dtype):
    c = trace(chain, tf.TensorSpec([7], dtype))
    g = fuse(c)
    assert types(g) == ["Placeholder", FUSED]
    x = special_values(np.random.default_rng(5), [7], dtype.as_numpy_dtype)
    assert_same(run(g, x)[0], run(c.graph, x)[0])


def test_integer_and_mixed_ops_are_not_fused():
    c = trace(lambda x: (x * 3 + 1) * x, tf.TensorSpec([3], tf.int32))
    assert FUSED not in types(fuse(c))
    c = trace(lambda x: tf.cast(x * 2.0, tf.float64) + 1.0, tf.TensorSpec([3], tf.float32))
    assert FUSED not in types(fuse(c))


def test_scalars_fuse_without_in_place_writes():
    c = trace(lambda x, y: x * y + x, tf.TensorSpec([], tf.float32), tf.TensorSpec([], tf.float32))
    g = fuse(c)
    assert types(g) == ["Placeholder", "Placeholder", FUSED]
    assert "in place" not in g.get_operations()[-1].op.source
    assert_same(run(g, np.float32(2), np.float32(3))[0], np.float32(8))


def test_fused_nodes_have_the_gradient_of_their_steps():
    def f(x, y):
        return tf.tanh(x * y + 1.0) * x

    spec = tf.TensorSpec([4], tf.float64)
    c = trace(f, spec, spec)
    g = fuse(c)
    assert types(g)[-1] == FUSED
    x = tf.constant([0.1, -0.5, 2.0, 1.5], tf.float64)
    y = tf.constant([1.0, 3.0, -0.2, 0.0], tf.float64)
    with tf.GradientTape() as t1:
        t1.watch([x, y])
        out1 = executor.replay(g, [x, y])[0]  # the fused node through apply
    with tf.GradientTape() as t2:
        t2.watch([x, y])
        out2 = f(x, y)
    assert_same(out1.numpy(), out2.numpy())
    for a, b in zip(t1.gradient(out1, [x, y]), t2.gradient(out2, [x, y])):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)


def test_backward_ops_of_a_tape_inside_the_function_are_fused(mode):
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.tanh(x * 2.0 + 1.0) * x)
        return tape.gradient(y, x)

    c = trace(f, tf.TensorSpec([6], tf.float32))
    fast = with_passes(c, [pipeline.optimize])
    assert count(fast.optimized_graph, FUSED) >= 2
    x = tf.constant(special_values(np.random.default_rng(6), [6]))
    assert_same(fast(x).numpy(), f(x).numpy())
