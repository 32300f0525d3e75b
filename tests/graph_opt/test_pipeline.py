"""The whole pipeline: randomized equivalence with eager execution, switches, dumps."""

import copy

import numpy as np
import pytest
from graph_opt_testing import assert_same, special_values, trace, types, with_passes

import tensorlet as tf
from tensorlet.framework import config
from tensorlet.framework.context import state
from tensorlet.function import concrete_function
from tensorlet.graph_opt import elementwise, pipeline
from tensorlet.ops import random_ops

F32 = tf.float32


@pytest.fixture(params=["checked", "compiled"])
def mode(request):
    state.check_infer = request.param == "checked"
    yield request.param


def _arith(x, y):
    a = (x * 1.0 + 0.0) / 1.0 - 0.0
    b = tf.negative(-y) * tf.identity(a) + tf.cast(a, F32)
    c = tf.reshape(tf.transpose(tf.transpose(b)), [3, 4])
    d = tf.exp(-tf.abs(c)) * 0.5 + c * c
    return tf.reshape(d, [12]) - tf.sqrt(tf.abs(a)) * (x * 2.0 * 3.0)


def _broadcast(x, y):
    return tf.tanh(x * y + 1.0) - tf.abs(y) / (tf.abs(x) + 2.0) + x * y


def _reductions(x, y):
    z = x - tf.reduce_max(x, axis=-1, keepdims=True)
    soft = tf.exp(z) / tf.reduce_sum(tf.exp(z), axis=-1, keepdims=True)
    return soft * y + tf.reduce_mean(soft * y, axis=0), tf.reduce_sum(x * y)


def _matmul(x, w):
    h = tf.tanh(tf.matmul(x, w) + 1.0)
    return h * tf.tanh(tf.matmul(x, w) + 1.0) + tf.nn.relu(h - 0.5)


def _unknown(x, y):
    return tf.sqrt(tf.abs(x * 3.0 + 1.0)) * tf.math.log1p(tf.abs(y)) - x


def _mixed_dtypes(x, i):
    h = tf.cast(x, tf.float16) * tf.constant(2.0, tf.float16) + tf.constant(1.0, tf.float16)
    d = tf.cast(x, tf.float64) * 1e-3 + 1.0
    return tf.cast(h, F32) + tf.cast(d, F32) * tf.cast(i * 2 + 1, F32), i * i - 3


def _control_flow(x, y):
    s = tf.reduce_sum(x)
    out = tf.cond(s > 0.0, lambda: tf.exp(x) * 2.0 + y, lambda: tf.abs(y) * 3.0 - x)
    return out * out + 1.0


CASES = {  # name -> (function, input shapes (None: unknown dim), dtypes)
    "arithmetic chain": (_arith, ([12], [12]), (F32, F32)),
    "broadcasting": (_broadcast, ([3, 1], [4]), (F32, F32)),
    "reductions": (_reductions, ([5, 6], [5, 6]), (F32, F32)),
    "matmul": (_matmul, ([4, 3], [3, 5]), (F32, F32)),
    "unknown dims": (_unknown, ([None], [None]), (F32, F32)),
    "float16/float64/int": (_mixed_dtypes, ([6], [6]), (F32, tf.int32)),
    "control flow": (_control_flow, ([4], [4]), (F32, F32)),
}


def _inputs(rng, shapes, dtypes, n=7):
    out = []
    for shape, dtype in zip(shapes, dtypes):
        shape = [n if d is None else d for d in shape]
        if dtype.is_integer:
            out.append(rng.integers(-50, 50, shape).astype(dtype.as_numpy_dtype))
        else:
            out.append(special_values(rng, shape, dtype.as_numpy_dtype))
    return out


def _flat(result):
    return [np.asarray(t.numpy()) for t in tf.nest.flatten(result)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_optimized_graphs_match_eager_on_random_inputs(name, mode):
    fn, shapes, dtypes = CASES[name]
    specs = [tf.TensorSpec(s, d) for s, d in zip(shapes, dtypes)]
    fast = with_passes(trace(fn, *specs), [pipeline.optimize])
    assert len(fast.optimized_graph.get_operations()) < len(fast.graph.get_operations())
    rng = np.random.default_rng(sum(map(ord, name)))
    for _ in range(6):
        arrays = _inputs(rng, shapes, dtypes, n=int(rng.integers(1, 9)))
        copies = [a.copy() for a in arrays]
        got = _flat(fast(*[tf.constant(a) for a in arrays]))
        want = _flat(fn(*[tf.constant(a) for a in arrays]))
        for g, w in zip(got, want):
            assert_same(g, w)
        for a, a0 in zip(arrays, copies):
            assert_same(a, a0)


def test_stateful_random_and_variables_keep_their_order_and_values(mode):
    v = tf.Variable(tf.zeros([5]))

    def f(x):
        r = tf.random.uniform([5], seed=7)
        v.assign_add(x * 2.0 + r)
        a = v * 3.0 + 0.0
        v.assign(a - x * 1.0)
        r2 = tf.random.uniform([5], seed=7)  # a second, distinct draw
        return v.read_value() + a * r2, r, r2

    c = trace(f, tf.TensorSpec([5], F32))
    plain, fast = with_passes(c, []), with_passes(c, [pipeline.optimize])
    assert types(fast.optimized_graph).count("RandomUniform") == 2
    rng = np.random.default_rng(8)
    for _ in range(4):
        x = tf.constant(special_values(rng, [5]))
        v0, streams = v.numpy().copy(), copy.deepcopy(random_ops._seed_state.kernels)
        want = _flat(plain(x))
        v_want = v.numpy().copy()
        v.assign(v0)
        random_ops._seed_state.kernels = streams
        got = _flat(fast(x))
        for g, w in zip(got, want):
            assert_same(g, w)
        assert_same(v.numpy(), v_want)
        out, r, r2 = got  # and the arithmetic is eager's, given the draws
        v.assign(v0)
        v.assign_add(x * 2.0 + r)
        a = v * 3.0 + 0.0
        v.assign(a - x * 1.0)
        assert_same(out, (v.read_value() + a * r2).numpy())


def test_print_runs_every_call_with_the_optimized_values(capfd, mode):
    def f(x):
        y = tf.exp(x) * 1.0 + 2.0
        tf.print("y =", y, "s =", tf.reduce_sum(y * y))
        return y * 3.0

    fast = with_passes(trace(f, tf.TensorSpec([3], F32)), [pipeline.optimize])
    x = tf.constant([0.0, 1.0, -1.0])
    for _ in range(2):
        got = fast(x).numpy()
        graph_out = capfd.readouterr().err
        want = f(x).numpy()
        eager_out = capfd.readouterr().err
        assert_same(got, want)
        assert graph_out == eager_out and graph_out.startswith("y = [3 4.71828175 2.36787939]")


def test_install_makes_it_the_default_and_options_switch_passes():
    @tf.function
    def f(x):
        return tf.tanh(x * 2.0) + 1.0

    assert pipeline.optimize in concrete_function.GRAPH_PASSES  # `import tensorlet` installs it
    pipeline.uninstall()
    assert pipeline.optimize not in concrete_function.GRAPH_PASSES
    pipeline.install()
    try:
        c = f.get_concrete_function(tf.TensorSpec([3], F32))
        assert types(c.optimized_graph) == ["Placeholder", elementwise.NAME]
        saved = dict(config.config.optimizer_options)
        try:
            tf.config.optimizer.set_experimental_options({"remapping": False})
            c2 = f.get_concrete_function(tf.TensorSpec([4], F32))
            fused = [
                n.op for n in c2.optimized_graph.get_operations() if n.type == "_FusedElementwise"
            ]
            assert all(len(op.steps) == 1 for op in fused)  # buffer reuse only, no fusion
            tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
            c3 = f.get_concrete_function(tf.TensorSpec([5], F32))
            assert types(c3.optimized_graph) == types(c3.graph)
        finally:
            config.config.optimizer_options.clear()
            config.config.optimizer_options.update(saved)
    finally:
        if pipeline.optimize not in concrete_function.GRAPH_PASSES:
            pipeline.install()
    assert concrete_function.GRAPH_PASSES.count(pipeline.optimize) == 1  # install is idempotent


def test_dump_and_explain_show_the_optimized_graph():
    c = with_passes(trace(lambda x: tf.abs(tf.tanh(x * 2.0)), tf.TensorSpec([3], F32)), [])
    c.graph_passes = [pipeline.optimize]
    c(tf.constant([1.0, 2.0, 3.0]))
    text = pipeline.explain(c)
    assert "# traced graph" in text and "# optimized graph" in text and "def run(" in text
    dump = pipeline.dump(c.optimized_graph)
    assert "Abs = _FusedElementwise(x:0)" in dump
    assert "    | s0 = Mul(a0, c0)\n" in dump and "    | s2 = Abs(s1) -> s1" in dump


def test_enabled_reads_tf_option_names():
    assert pipeline.enabled("constant_folding", {})
    assert not pipeline.enabled("constant_folding", {"constant_folding": False})
    assert pipeline.enabled("disable_model_pruning", {})
    assert not pipeline.enabled("disable_model_pruning", {"disable_model_pruning": True})
    assert not pipeline.enabled("remapping", {"disable_meta_optimizer": True})
