"""The graph IR and the generated-code executor: same results as eager, casts, errors, pruning."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework.context import state
from tensorlet.function import executor, func_graph


def chain(x):
    for _ in range(5):
        x = x * 0.5
        x = x + 1.0
        x = tf.tanh(x)
        x = tf.abs(x)
    return x


def mixed(x, y):
    a = tf.matmul(x, y, transpose_b=True)
    b = tf.reduce_sum(a, axis=1, keepdims=True)
    c = tf.concat([a, b], axis=1)
    d = tf.nn.relu(c) - tf.cast(tf.argmax(c, axis=1), tf.float32)[:, None]
    return tf.reduce_mean(d * d), tf.shape(d), tf.reverse(d, [0])


@pytest.mark.parametrize("fn, shapes", [(chain, [(1000,)]), (mixed, [(4, 3), (5, 3)])])
@pytest.mark.parametrize("checked", [True, False])
def test_graph_matches_eager_on_random_inputs(fn, shapes, checked):
    state.check_infer = checked
    g = tf.function(fn)
    rng = np.random.default_rng(0)
    for _ in range(3):
        args = [tf.constant(rng.standard_normal(s).astype(np.float32)) for s in shapes]
        want = tf.nest.flatten(fn(*args))
        got = tf.nest.flatten(g(*args))
        for w, o in zip(want, got):
            assert w.dtype == o.dtype and w.shape == o.shape
            np.testing.assert_allclose(o.numpy(), w.numpy(), rtol=1e-6)
    assert g.experimental_get_tracing_count() == 1


def test_generated_source_and_pruning():
    def f(x):
        unused = tf.exp(x)  # noqa: F841 (dead: pruned from the executor)
        return x * 2.0 + 1.0

    g = func_graph.trace(f, (tf.TensorSpec([3]),))
    ex = executor.Executor(g, g.inputs, g.outputs)
    out = ex(np.ones(3, np.float32))
    np.testing.assert_array_equal(out[0], [3.0, 3.0, 3.0])
    assert ex.source.startswith("def run(a0):")
    assert "Exp" in [op.type for op in g.get_operations()]
    assert [n.op.name for n in ex.nodes] == ["Const", "Mul", "Const", "AddV2"]
    assert "F" in ex.source and ex.source.count(" = F") == 2


def test_dtype_casts_are_applied():
    # float16 kernels compute in float32 and are cast back: the executor must cast too
    f = tf.function(lambda x: tf.sqrt(x) + tf.exp(x))
    x = tf.constant([1.0, 2.0], tf.float16)
    state.check_infer = False
    r1, r2 = f(x), f(x)
    assert r1.dtype == r2.dtype == tf.float16
    assert r2.numpy().dtype == np.float16
    np.testing.assert_array_equal(r2.numpy(), (tf.sqrt(x) + tf.exp(x)).numpy())


def test_kernel_error_names_the_node():
    state.check_infer = False
    f = tf.function(lambda x, y: tf.matmul(x, y))
    spec = tf.TensorSpec([None, None])
    c = f.get_concrete_function(spec, spec)
    np.testing.assert_array_equal(c(tf.ones([2, 3]), tf.ones([3, 1])).numpy(), 3 * np.ones((2, 1)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="MatMul|Matrix"):
        c(tf.ones([2, 3]), tf.ones([2, 3]))


def test_graph_api():
    g = func_graph.trace(lambda x: tf.identity(x * 3.0, name="out"), (tf.TensorSpec([2]),))
    op = g.get_operation_by_name("out")
    assert op.type == "Identity" and op.outputs[0] is g.outputs[0]
    assert g.get_tensor_by_name("out:0") is g.outputs[0]
    assert "Mul = Mul(" in g.dump()
    assert repr(op) == "<tf.Operation 'out' type=Identity>"
    with pytest.raises(KeyError):
        g.get_operation_by_name("nope")


def test_replay_inlines_and_records():
    g = func_graph.trace(lambda x: tf.sin(x) * x, (tf.TensorSpec([]),))
    x = tf.constant(0.5)
    with tf.GradientTape() as tape:
        tape.watch(x)
        (y,) = executor.replay(g, [x])
    assert float(tape.gradient(y, x)) == pytest.approx(np.cos(0.5) * 0.5 + np.sin(0.5))


def test_trace_time_constants():
    seen = {}

    def f(x):
        n = tf.size(x)
        seen["n"] = n
        seen["two_n"] = n * 2
        seen["dyn"] = tf.reduce_sum(x)
        return x

    func_graph.trace(f, (tf.TensorSpec([2, 3]),))
    assert int(seen["n"]._const) == 6 and int(seen["two_n"]._const) == 12
    assert seen["dyn"]._const is None


def test_subgraph_capture_and_as_function():
    outer = func_graph.FuncGraph("outer")
    with func_graph.tracing(outer):
        a = outer.placeholder(tf.float32, [2], "a")
        inner = func_graph.trace(lambda y: y + a, (tf.TensorSpec([2]),), name="inner")
    assert len(inner.captures) == 1 and inner.captures[0][0] is a
    assert len(inner.inputs) == 2
    run = inner.as_function()
    np.testing.assert_array_equal(
        run(np.ones(2, np.float32), np.full(2, 2.0, np.float32))[0], [3.0, 3.0]
    )
    # a tensor of an unrelated graph cannot be used
    other = func_graph.FuncGraph("other")
    with func_graph.tracing(other), pytest.raises(ValueError, match="out of scope"):
        a + 1.0


def test_passes_edit_a_copy_of_the_traced_graph():
    def drop_identity(g):
        for n in list(g.get_operations()):
            if n.type == "Identity":
                g.replace_uses(n.outputs[0], n.inputs[0])
                g.set_operations([m for m in g.get_operations() if m is not n])
        return g

    f = tf.function(lambda x: tf.identity(x * 2.0), autograph=False)
    c = f.get_concrete_function(tf.TensorSpec([2]))
    c.graph_passes = [drop_identity]
    np.testing.assert_array_equal(c(tf.constant([1.0, 2.0])).numpy(), [2.0, 4.0])
    assert [o.type for o in c.graph.get_operations()] == ["Placeholder", "Const", "Mul", "Identity"]
    assert [o.type for o in c.optimized_graph.get_operations()] == ["Placeholder", "Const", "Mul"]
    assert c.optimized_graph.get_operations()[2].graph is c.optimized_graph
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:  # gradients use the traced graph
        tape.watch(x)
        y = c(x)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [2.0, 2.0])


def test_as_graph_def():
    g = func_graph.trace(lambda x: x * 2.0 + x, (tf.TensorSpec([2]),))
    gd = g.as_graph_def()
    assert [(n.name, n.op, n.input) for n in gd.node] == [
        ("Placeholder", "Placeholder", []),
        ("Const", "Const", []),
        ("Mul", "Mul", ["Placeholder", "Const"]),
        ("AddV2", "AddV2", ["Mul", "Placeholder"]),
    ]
    assert 'node {\n  name: "Mul"\n  op: "Mul"\n  input: "Placeholder"\n' in str(gd)
