"""tf.compat.v1 graphs and sessions on the tf.function IR."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework.context import state

v1 = tf.compat.v1


@pytest.fixture(autouse=True)
def _restore_eager():
    yield
    v1.enable_eager_execution()
    state.graph = None


def test_config_proto_like_the_seed():
    config = v1.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = v1.OptimizerOptions.ON_1
    config.gpu_options.allow_growth = True
    session = v1.Session(config=config)
    assert type(session).__name__ == "Session"
    assert (
        config.gpu_options.allow_growth,
        config.graph_options.optimizer_options.global_jit_level,
    ) == (True, 1)
    session.close()
    c = v1.ConfigProto(allow_soft_placement=True, gpu_options=v1.GPUOptions(allow_growth=True))
    assert str(c) == "gpu_options {\n  allow_growth: true\n}\nallow_soft_placement: true\n"
    with pytest.raises(ValueError):
        v1.ConfigProto(nope=1)


def test_placeholder_needs_a_graph():
    with pytest.raises(RuntimeError, match="not compatible with eager execution"):
        v1.placeholder(tf.float32)


def test_session_run_with_feeds():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, shape=[None, 2], name="x")
        w = tf.Variable([[1.0], [2.0]])
        y = tf.matmul(x, w)
        init = v1.global_variables_initializer()
        assert init.type == "NoOp" and init.name == "init"
        assert str(x) == 'Tensor("x:0", shape=(None, 2), dtype=float32)'
        assert not tf.executing_eagerly()
        with v1.Session() as sess:
            assert sess.run(init) is None
            out = sess.run(y, feed_dict={x: [[1, 1]]})
            assert isinstance(out, np.ndarray) and out.tolist() == [[3.0]]
            both = sess.run({"a": y, "b": [x]}, feed_dict={x: np.ones((1, 2))})
            assert both["a"].tolist() == [[3.0]] and both["b"][0].tolist() == [[1.0, 1.0]]
            s = sess.run(tf.reduce_sum(y), {x: [[1, 2]]})
            assert isinstance(s, np.float32) and s == 5.0
            with pytest.raises(
                tf.errors.InvalidArgumentError,
                match="You must feed a value for placeholder tensor 'x'",
            ):
                sess.run(y)
            with pytest.raises(ValueError, match="Cannot feed value of shape"):
                sess.run(y, {x: [1, 2]})
            assert sess.run("x:0", {x: [[3, 4]]}).tolist() == [[3.0, 4.0]]
            assert y.eval(feed_dict={x: [[1, 1]]}).tolist() == [[3.0]]
            assert sess.run(w.assign_add([[1.0], [1.0]])).tolist() == [[2.0], [3.0]]
    assert tf.executing_eagerly()


def test_session_runs_only_what_fetches_need():
    g = tf.Graph()
    v = None
    with g.as_default():
        v = tf.Variable(1.0)
        a = tf.constant(2.0) * 3.0
        upd = v.assign_add(1.0)  # noqa: F841 (not fetched: must not run)
        with v1.Session() as sess:
            assert sess.run(a) == 6.0
    assert float(v.numpy()) == 1.0


def test_disable_eager_execution():
    v1.disable_eager_execution()
    assert not tf.executing_eagerly()
    a = tf.constant(2.0)
    b = a * 3
    with v1.Session() as sess:
        assert sess.run(b) == 6.0
        assert [float(r) for r in sess.run([a, b])] == [2.0, 6.0]
    assert b.graph is v1.get_default_graph()
    v1.reset_default_graph()
    assert v1.get_default_graph().get_operations() == []
    v1.enable_eager_execution()
    assert tf.executing_eagerly()
