"""tf.function: trace counts under TF's caching rules, side effects, variables, signatures."""

import functools
import logging

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework.context import state


@pytest.fixture(params=["checked", "compiled"])
def mode(request):
    """Runs a test with the test-mode interpreter and with the compiled fast path."""
    state.check_infer = request.param == "checked"
    yield request.param


def counting(fn=None, **kwargs):
    """A tf.function whose Python body appends to ``.traces`` each time it is traced."""

    def wrap(f):
        traces = []

        @functools.wraps(f)
        def body(*a, **k):
            traces.append(1)
            return f(*a, **k)

        tff = tf.function(body, **kwargs)
        tff.traces = traces
        return tff

    return wrap if fn is None else wrap(fn)


# ---------------------------------------------------------------- the cache key


def test_seed_example(mode):
    @tf.function
    def compute_function(x, y):
        return x * y + x

    r = compute_function(tf.constant(2.0), tf.constant(3.0))
    assert repr(r) == "<tf.Tensor: shape=(), dtype=float32, numpy=8.0>"
    assert float(compute_function(tf.constant(2.0), tf.constant(4.0))) == 10.0
    assert compute_function.experimental_get_tracing_count() == 1


@pytest.mark.parametrize(
    "calls, expected",
    [
        ([(1,), (1.0,), (True,)], 1),  # Python literals by value: 1 == 1.0 == True
        ([(1,), (2,)], 2),
        ([([1, 2],), ((1, 2),)], 2),  # a list and a tuple differ
        ([("a",), ("a",), ("b",)], 2),
        ([(None,), (None,)], 1),
    ],
)
def test_python_values_key_by_value(calls, expected):
    @counting
    def f(x):
        return tf.constant(0)

    for args in calls:
        f(*args)
    assert f.experimental_get_tracing_count() == expected == len(f.traces)


def test_tensors_key_by_dtype_and_shape(mode):
    @counting
    def f(x):
        return x + x

    f(tf.constant([1.0, 2.0]))
    f(tf.constant([3.0, 4.0]))
    assert len(f.traces) == 1
    f(tf.constant([1, 2]))
    assert len(f.traces) == 2
    f(tf.constant([1.0, 2.0, 3.0]))
    assert len(f.traces) == 3
    f(np.ones(3, np.float32))  # NumPy arrays are tensors
    f(np.zeros(3, np.float32))
    assert len(f.traces) == 3


def test_defaults_and_keywords_share_a_trace():
    @counting
    def g(x, y=2):
        return x + y

    g(1), g(1, 2), g(x=1), g(1, y=2)
    assert g.experimental_get_tracing_count() == 1
    g(tf.constant(1)), g(x=tf.constant(1))
    assert g.experimental_get_tracing_count() == 2


def test_variables_and_nested_structures():
    v1, v2 = tf.Variable(1.0), tf.Variable(2.0)

    @counting
    def f(d):
        return d["v"] + d["x"][0]

    assert float(f({"v": v1, "x": [tf.constant(1.0)]})) == 2.0
    assert float(f({"v": v1, "x": [tf.constant(5.0)]})) == 6.0
    assert len(f.traces) == 1
    v1.assign(10.0)
    assert float(f({"v": v1, "x": [tf.constant(1.0)]})) == 11.0  # captured by reference
    f({"v": v2, "x": [tf.constant(1.0)]})
    assert len(f.traces) == 2


def test_general_trace_is_reused():
    @counting
    def k(x):
        return x * 2

    c = k.get_concrete_function(tf.TensorSpec([None]))
    np.testing.assert_array_equal(k(tf.zeros([3])).numpy(), np.zeros(3))
    np.testing.assert_array_equal(k(tf.ones([5])).numpy(), 2 * np.ones(5))
    assert k.experimental_get_tracing_count() == 1
    assert k.get_concrete_function(tf.TensorSpec([None])) is c


def test_reduce_retracing_relaxes_shapes():
    @counting(reduce_retracing=True)
    def r(x):
        return x * 2

    for shape in ([1], [2], [3], [2, 2], [3, 3]):
        r(tf.zeros(shape))
    assert r.experimental_get_tracing_count() == 3  # (1,), (None,), <unknown>
    shapes = sorted(str(c.inputs[0].shape) for c in r._list_all_concrete_functions())
    assert shapes == ["(1,)", "(None,)", "<unknown>"]


def test_retracing_warning(caplog):
    @tf.function
    def h(x):
        return x * 2

    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        for n in range(1, 8):
            h(tf.zeros([n]))
    msgs = [r.getMessage() for r in caplog.records if "retracing" in r.getMessage()]
    assert len(msgs) == 2  # on the 5th and 6th trace, then no more
    assert msgs[0].startswith("5 out of the last 5 calls to <function ")
    assert "triggered tf.function retracing" in msgs[0]


# ---------------------------------------------------------------- Python side effects


def test_side_effects_only_while_tracing(capfd, mode):
    log = []

    @tf.function
    def f(x):
        log.append("py")
        tf.print("tf", x)
        return x

    f(1), f(1), f(tf.constant(1)), f(tf.constant(2))
    assert log == ["py", "py"]
    err = capfd.readouterr().err
    assert err.splitlines() == ["tf 1", "tf 1", "tf 1", "tf 2"]


def test_run_functions_eagerly():
    log = []

    @tf.function
    def f(x):
        log.append(tf.executing_eagerly())
        return x + 1

    tf.config.run_functions_eagerly(True)
    try:
        f(tf.constant(1)), f(tf.constant(1))
    finally:
        tf.config.run_functions_eagerly(False)
    assert log == [True, True]
    f(tf.constant(1))
    assert log == [True, True, False]


def test_symbolic_tensor_is_no_python_bool():
    @tf.function(autograph=False)
    def g(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="as a Python `bool`"):
        g(tf.constant(1.0))

    @tf.function(autograph=False)
    def it(x):
        return [y for y in x]

    with pytest.raises(TypeError, match="Iterating over a symbolic `tf.Tensor`"):
        it(tf.constant([1.0]))


def test_symbolic_tensor_properties():
    seen = {}

    @tf.function
    def f(x):
        y = x * 2
        seen.update(x=x, y=y)
        return y

    f(tf.constant([1.0, 2.0]))
    x, y = seen["x"], seen["y"]
    assert x.name == "x:0" and x.op.type == "Placeholder"
    assert repr(x) == "<tf.Tensor 'x:0' shape=(2,) dtype=float32>"
    assert str(x) == 'Tensor("x:0", shape=(2,), dtype=float32)'
    assert y.op.type == "Mul" and y.op.inputs[0] is x and y.graph is x.graph
    assert not hasattr(y, "numpy")
    with pytest.raises(ValueError):
        y.set_shape([3])
    with pytest.raises(TypeError, match="unhashable"):
        hash(y)


def test_trace_time_errors_are_tf_graph_errors():
    with pytest.raises(ValueError, match="Incompatible shapes|Dimensions"):
        tf.function(lambda x, y: x + y)(tf.ones([2]), tf.ones([3]))
    with pytest.raises(TypeError):
        tf.function(lambda x, y: tf.add(x, y))(tf.ones([2], tf.int32), tf.ones([2]))
    with pytest.raises(ValueError):
        tf.function(lambda x, y: tf.matmul(x, y))(tf.ones([2, 3]), tf.ones([2, 3]))


def test_runtime_kernel_errors_are_invalid_argument(mode):
    f = tf.function(lambda x, i: tf.gather(x, i))
    assert float(f(tf.constant([1.0, 2.0]), tf.constant(1))) == 2.0
    with pytest.raises(tf.errors.InvalidArgumentError):
        f(tf.constant([1.0, 2.0]), tf.constant(5))


# ---------------------------------------------------------------- variables


def test_variables_created_on_first_trace_only():
    class M(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = None
            self.traces = 0

        @tf.function
        def __call__(self, x):
            self.traces += 1
            if self.v is None:
                self.v = tf.Variable(tf.ones_like(x))
            return self.v * x

    m = M()
    np.testing.assert_array_equal(m(tf.constant([1.0, 2.0])).numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(m(tf.constant([3.0, 4.0])).numpy(), [3.0, 4.0])
    assert m.traces == 2 and m.__call__.experimental_get_tracing_count() == 2  # TF traces twice
    m2 = M()  # one Function per instance
    m2(tf.constant([1.0]))
    assert m2.__call__.experimental_get_tracing_count() == 2
    assert m.__call__.experimental_get_tracing_count() == 2

    @tf.function
    def bad(x):
        return tf.Variable(x) * 1.0

    with pytest.raises(ValueError, match="singleton tf.Variables created on the first call"):
        bad(tf.constant(1.0))


def test_variable_updates_run_in_program_order(mode):
    v = tf.Variable(1.0)

    @tf.function
    def step(x):
        a = v.read_value()
        v.assign_add(x)
        b = v.read_value()
        v.assign(b * 10.0)
        return a, b, v.read_value()

    a, b, c = step(tf.constant(2.0))
    assert (float(a), float(b), float(c)) == (1.0, 3.0, 30.0)
    a, b, c = step(tf.constant(1.0))
    assert (float(a), float(b), float(c)) == (30.0, 31.0, 310.0)
    assert float(v) == 310.0


def test_captured_eager_tensor_and_stateful_ops_not_folded(mode):
    c = tf.constant([1.0, 2.0])

    @tf.function
    def f():
        return c * 2.0, tf.random.uniform([2])

    (a1, r1), (_, r2) = f(), f()
    np.testing.assert_array_equal(a1.numpy(), [2.0, 4.0])
    assert not np.array_equal(r1.numpy(), r2.numpy())  # a random op runs every call


# ---------------------------------------------------------------- signatures and outputs


def test_input_signature():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def s(x):
        return x * 2

    np.testing.assert_array_equal(s([1.0, 2.0]).numpy(), [2.0, 4.0])
    s(tf.zeros([5]))
    assert s.experimental_get_tracing_count() == 1
    with pytest.raises(TypeError, match="Can not cast TensorSpec\\(shape=\\(2, 2\\)"):
        s(tf.zeros([2, 2]))
    with pytest.raises(TypeError, match="dtype=tf.int32"):
        s(tf.zeros([2], tf.int32))
    with pytest.raises(TypeError, match="too many positional arguments"):
        s(1.0, 2.0)
    with pytest.raises(TypeError, match="TensorSpec"):
        tf.function(lambda x: x, input_signature=[1])


def test_output_structures(mode):
    @tf.function
    def o(x):
        return {"a": x, "b": (x, 1, None)}

    out = o(tf.ones([2]))
    assert set(out) == {"a", "b"} and out["b"][2] is None
    assert out["b"][1].dtype == tf.int32 and int(out["b"][1]) == 1

    @tf.function
    def none(x):
        tf.print(x)

    assert none(tf.constant(1)) is None

    @tf.function
    def lst():
        return [2.0]

    r = lst()
    assert isinstance(r, list) and r[0].dtype == tf.float32


def test_concrete_function():
    @tf.function
    def f(x, y=2):
        return x * y

    c = f.get_concrete_function(tf.TensorSpec([None], tf.int32))
    assert c.structured_input_signature == ((tf.TensorSpec([None], tf.int32, name="x"), 2), {})
    assert [t.name for t in c.inputs] == ["x:0"]
    assert len(c.outputs) == 1 and c.outputs[0].dtype == tf.int32
    assert c.pretty_printed_signature() == (
        "Input Parameters:\n"
        "  x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(None,), dtype=tf.int32, name=None)\n"
        "  y (POSITIONAL_OR_KEYWORD): Literal[2]\n"
        "Output Type:\n"
        "  TensorSpec(shape=(None,), dtype=tf.int32, name=None)\n"
        "Captures:\n"
        "  None"
    )
    assert repr(c).startswith(
        "<ConcreteFunction (x: TensorSpec(shape=(None,), dtype=tf.int32, "
        "name=None), y: Literal[2]) -> TensorSpec("
    )
    np.testing.assert_array_equal(c(tf.constant([1, 2])).numpy(), [2, 4])
    with pytest.raises(TypeError, match="Can not cast"):
        c(tf.constant([1.0]))
    ops = [(op.name, op.type) for op in c.graph.get_operations()]
    assert ops[0] == ("x", "Placeholder") and ("Mul", "Mul") in ops
    assert "def run(" in c.executor_source
    # the default optimizer (tensorlet.graph_opt) works on a copy; the traced graph stays as traced
    assert c.optimized_graph is not c.graph


def test_graph_passes_hook():
    from tensorlet.function import concrete_function

    seen = []

    def recording_pass(graph):
        seen.append([op.type for op in graph.get_operations()])
        return graph

    @tf.function
    def f(x):
        return x + 1.0

    c = f.get_concrete_function(tf.TensorSpec([], tf.float32))
    c.graph_passes = [recording_pass]
    assert float(c(tf.constant(1.0))) == 2.0
    assert seen == [["Placeholder", "Const", "AddV2"]]
    from tensorlet.graph_opt import pipeline
    assert concrete_function.GRAPH_PASSES == [pipeline.optimize]  # installed by default


def test_nested_functions(mode):
    @counting
    def inner(a):
        return a * 2.0

    @tf.function
    def outer(a):
        return inner(a) + 1.0

    np.testing.assert_array_equal(outer(tf.constant([1.0, 2.0])).numpy(), [3.0, 5.0])
    np.testing.assert_array_equal(outer(tf.constant([2.0, 2.0])).numpy(), [5.0, 5.0])
    assert inner.experimental_get_tracing_count() == 1
    types = [
        op.type
        for op in outer.get_concrete_function(tf.constant([1.0, 2.0])).graph.get_operations()
    ]
    assert types.count("Mul") == 1  # inlined


def test_closure_over_outer_graph_tensor():
    @tf.function
    def outer(x):
        @tf.function
        def inner(y):
            return y + x

        return inner(x * 2.0)

    assert float(outer(tf.constant(1.0))) == 3.0


def test_methods_get_their_own_function():
    class A:
        def __init__(self, k):
            self.k = k

        @tf.function
        def mul(self, x):
            return x * self.k

    a, b = A(2.0), A(3.0)
    assert float(a.mul(tf.constant(1.0))) == 2.0
    assert float(b.mul(tf.constant(1.0))) == 3.0
    assert a.mul is a.mul and a.mul is not b.mul


def test_tensor_spec():
    s = tf.TensorSpec([2], name=None)
    assert repr(s) == "TensorSpec(shape=(2,), dtype=tf.float32, name=None)"
    assert repr(tf.TensorSpec(None, tf.int32, "a")) == (
        "TensorSpec(shape=<unknown>, dtype=tf.int32, name='a')"
    )
    assert s.is_compatible_with(tf.constant([1.0, 2.0]))
    assert not s.is_compatible_with(tf.constant([1, 2]))
    assert tf.TensorSpec([None]).is_compatible_with(tf.TensorSpec([5]))
    assert tf.TensorSpec.from_tensor(tf.constant([[1]])) == tf.TensorSpec([1, 1], tf.int32)
    assert hash(s) == hash(tf.TensorSpec([2]))


def test_get_static_value():
    seen = {}

    @tf.function
    def f(x):
        s = tf.shape(x)
        seen["shape"] = tf.get_static_value(s)
        seen["x"] = tf.get_static_value(x)
        seen["c"] = tf.get_static_value(tf.constant(3) * 2)
        return x

    f(tf.ones([2, 3]))
    np.testing.assert_array_equal(seen["shape"], [2, 3])
    assert seen["x"] is None and int(seen["c"]) == 6
    f.get_concrete_function(tf.TensorSpec([None, 3]))
    assert seen["shape"] is None
    np.testing.assert_array_equal(tf.get_static_value(tf.constant([1, 2])), [1, 2])
    assert tf.get_static_value(5) == 5


def test_capture_from_two_levels_up():
    @tf.function
    def f(x, n):
        y = x * 2.0
        acc = tf.constant(0.0)
        for i in tf.range(n):
            if i > 0:
                acc += y  # y: function graph -> while body -> cond branch
        return acc

    assert float(f(tf.constant(1.5), tf.constant(3))) == 6.0


def test_argument_values_read_while_tracing_specialise_the_trace(mode):
    """Shapes/bounds taken from argument values (static attrs in tensorlet) never reuse a graph
    that baked in another call's value: each value gets its own trace, results are TF's."""

    @counting
    def zeros(n):
        return tf.zeros([n])

    assert zeros(tf.constant(3)).shape == (3,)
    assert zeros(tf.constant(5)).shape == (5,)
    assert zeros(tf.constant(3)).shape == (3,)
    assert len(zeros.traces) == 2

    @counting(input_signature=[tf.TensorSpec([None, 2])])
    def rows(x):
        return tf.reshape(x, [tf.shape(x)[0], -1])

    assert rows(tf.ones([4, 2])).shape == (4, 2)
    assert rows(tf.ones([5, 2])).shape == (5, 2)

    @counting
    def window(x, i):
        return x[i:], x[: i + 1], tf.range(i)

    a, b, r = window(tf.range(6), tf.constant(2))
    np.testing.assert_array_equal(a.numpy(), [2, 3, 4, 5])
    np.testing.assert_array_equal(b.numpy(), [0, 1, 2])
    np.testing.assert_array_equal(r.numpy(), [0, 1])
    a, b, r = window(tf.range(6), tf.constant(4))
    np.testing.assert_array_equal(a.numpy(), [4, 5])
    np.testing.assert_array_equal(b.numpy(), [0, 1, 2, 3, 4])
    assert r.shape == (4,)
    # the concrete function of one call works for other values too
    cf = zeros.get_concrete_function(tf.constant(2))
    assert cf(tf.constant(7)).shape == (7,)
    # with no value to read (TensorSpec), tracing says so instead of guessing
    with pytest.raises(TypeError, match="known only when the function runs"):
        tf.function(lambda n: tf.zeros([n])).get_concrete_function(tf.TensorSpec([], tf.int32))


def test_variable_initial_values_from_arguments_do_not_specialise():
    """A variable created from the first call's argument (TF lifts its initializer) is created
    once; later calls with other values reuse the trace."""
    holder = []

    @counting
    def f(x):
        if not holder:
            holder.append(tf.Variable(tf.zeros_like(x) + x))
        return holder[0] + x

    np.testing.assert_allclose(f(tf.constant([1.0, 2.0])).numpy(), [2.0, 4.0])
    np.testing.assert_allclose(f(tf.constant([5.0, 6.0])).numpy(), [6.0, 8.0])
    assert len(f.traces) == 2  # TF traces twice when the first trace creates variables


def test_host_arguments_from_function_arguments(mode):
    """Axes, strides, gamma and frame steps passed as tensors to a tf.function reach the ops
    (tensorlet reads them while tracing, specialising the trace per value)."""

    @tf.function
    def f(x, g, ax, step):
        return (
            tf.image.adjust_gamma(x, g),
            tf.nn.softmax(x, axis=ax),
            tf.nn.moments(x, axes=[ax])[0],
            tf.signal.frame(tf.range(10.0), 3, step),
        )

    x = tf.constant(np.arange(1.0, 5.0, dtype=np.float32).reshape(2, 2, 1))
    for ax, step in ((0, 2), (1, 3)):
        gam, soft, mean, frames = f(x, tf.constant(2.0), tf.constant(ax), tf.constant(step))
        np.testing.assert_allclose(gam.numpy(), tf.image.adjust_gamma(x, 2.0).numpy())
        np.testing.assert_allclose(soft.numpy(), tf.nn.softmax(x, axis=ax).numpy())
        np.testing.assert_allclose(mean.numpy(), x.numpy().mean(axis=ax))
        np.testing.assert_array_equal(frames.numpy(), tf.signal.frame(tf.range(10.0), 3, step))


def test_range_of_known_values_has_a_static_shape():
    @tf.function
    def f():
        assert tf.range(10.0).shape == (10,)
        assert tf.range(1, 8, 3).shape == (3,)
        return tf.range(3)

    assert f().shape == (3,)


def test_shapes_of_relaxed_arguments_guard_the_shape_not_the_value():
    """tf.shape(x) of an argument traced with None dims is read from the call's shape: calls
    with the same shape and other values reuse the trace."""

    @counting(input_signature=[tf.TensorSpec([None, 2])])
    def h(x):
        return tf.random.uniform(tf.shape(x)) * 0 + tf.reshape(x, [tf.shape(x)[0], -1])

    assert h(tf.ones([4, 2])).shape == (4, 2)
    np.testing.assert_allclose(h(tf.ones([4, 2]) * 3).numpy(), np.full((4, 2), 3.0))
    assert len(h.traces) == 1
    assert h(tf.ones([5, 2])).shape == (5, 2)
    assert len(h.traces) == 2


def test_gradients_in_traces_with_unknown_batch_dimension():
    """Gradient rules that need an input's shape read the run-time shape when the traced one
    has None dims (reshape, slicing, reductions, broadcasting): training under an
    input_signature with a None batch works, one graph per batch size."""
    v = tf.Variable(tf.ones([4]))

    @counting(input_signature=[tf.TensorSpec([None, 4])])
    def step(x):
        with tf.GradientTape() as tape:
            y = (tf.reduce_sum(tf.reshape(x * v, [-1, 2])) + tf.reduce_sum(x[:, :2])
                 + tf.reduce_mean(x + v))
        return tape.gradient(y, v)

    np.testing.assert_allclose(step(tf.ones([3, 4])).numpy(), [3.25] * 4)
    np.testing.assert_allclose(step(tf.ones([5, 4])).numpy(), [5.25] * 4)
    np.testing.assert_allclose(step(tf.ones([3, 4]) * 2).numpy(), [6.25] * 4)
    assert len(step.traces) == 2


@pytest.mark.parametrize(
    "name, fn",
    [
        ("top_k", lambda x, n: tf.math.top_k(tf.cast(x, tf.float32), k=n).values),
        ("one_hot", lambda x, n: tf.one_hot(x, n)),
        ("sequence_mask", lambda x, n: tf.sequence_mask(x, maxlen=n)),
        ("bincount", lambda x, n: tf.math.bincount(x, minlength=n)),
        ("tile", lambda x, n: tf.tile(x, [n])),
        ("pad", lambda x, n: tf.pad(x, [[n, n]])),
        ("linspace", lambda x, n: tf.linspace(0.0, 1.0, n)),
        ("transpose", lambda x, n: tf.transpose(tf.reshape(tf.range(4), [2, 2]), [n % 2, (n + 1) % 2])),
        ("resize", lambda x, n: tf.image.resize(tf.ones([4, 4, 1]), [n, n])),
        ("repeat", lambda x, n: tf.repeat(x, n)),
        ("unsorted_segment_sum", lambda x, n: tf.math.unsorted_segment_sum(x, x, n + 1)),
    ],
)
def test_host_arguments_given_as_function_arguments(name, fn):
    """Arguments TF takes as tensors (sizes, depths, k...) work when they are tf.function
    arguments: the results equal the eager ones, for each value."""
    f = tf.function(fn)
    x = tf.constant([1, 0, 2])
    for n in (2, 3):
        got, want = f(x, tf.constant(n)), fn(x, tf.constant(n))
        np.testing.assert_allclose(got.numpy(), want.numpy())


def test_graph_mode_broadcast_error_is_tfs_shape_inference_message():
    @tf.function
    def f(a, b):
        return tf.equal(a, b)

    with pytest.raises(ValueError, match=r"^Dimensions must be equal, but are 64 and 28 for "
                       r"'\{\{node Equal\}\} = Equal\(a:0, b:0\)' with input shapes: \[64\], "
                       r"\[64,28\]\.$"):
        f(tf.ones([64]), tf.ones([64, 28]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Incompatible shapes"):
        tf.equal(tf.ones([64]), tf.ones([64, 28]))  # eagerly: the kernel's message
