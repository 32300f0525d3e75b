"""tf.cond / tf.case / tf.switch_case / tf.while_loop / tf.group & co: eager and traced,
TF's errors, the If/Case/While nodes, and gradients (eager, tape around a call, tape inside)."""
import collections

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework.context import state
from tensorlet.ops import control_flow_v2
from tensorlet.ops.op_def import apply
from tensorlet.testing.gradient_check import check_second_order, check_vjp


def _graph_ops(fn, *args):
    return [n.op.name for n in fn.get_concrete_function(*args).graph.get_operations()]


# ---------------------------------------------------------------- cond

def test_cond_eager_runs_only_the_taken_branch():
    calls = []

    def t():
        calls.append("t")
        return tf.constant(1)

    def f():
        calls.append("f")
        return tf.constant(2)

    assert tf.cond(tf.constant(True), t, f).numpy() == 1
    assert tf.cond(False, t, f).numpy() == 2  # Python bools are accepted eagerly
    assert calls == ["t", "f"]


def test_cond_eager_structures_and_strict_v1():
    x = tf.constant(3)
    out = tf.cond(x > 1, lambda: {"a": x, "b": (x, x + 1)}, lambda: {"a": x, "b": (x, x)})
    assert out["b"][1].numpy() == 4
    assert isinstance(tf.cond(x > 1, lambda: [x], lambda: [x]), list)  # v2 is strict
    assert not isinstance(tf.compat.v1.cond(x > 1, lambda: [x], lambda: [x]), list)
    assert isinstance(tf.compat.v1.cond(x > 1, lambda: [x], lambda: [x], strict=True), list)


@pytest.mark.parametrize("args, msg", [
    ((True, None, lambda: 1), "cond(): 'true_fn' argument required"),
    ((True, lambda: 1, None), "cond(): 'false_fn' argument required"),
    ((True, 1, lambda: 1), "'true_fn' must be callable."),
    ((True, lambda: 1, 2), "'false_fn' must be callable."),
])
def test_cond_argument_errors(args, msg):
    with pytest.raises(TypeError, match=msg.replace("(", r"\(").replace(")", r"\)")):
        tf.cond(*args)


def test_cond_eager_non_scalar_pred_is_ambiguous():
    with pytest.raises(ValueError, match="ambiguous"):
        tf.cond(tf.constant([True, False]), lambda: 1, lambda: 2)


def test_cond_traced_builds_one_if_node_with_both_branches():
    traced = []

    @tf.function(autograph=False)
    def f(x):
        def t():
            traced.append("t")
            return x * 2.0

        def e():
            traced.append("f")
            return -x

        return tf.cond(x > 0, t, e)

    assert f(tf.constant(3.0)).numpy() == 6.0
    assert f(tf.constant(-2.0)).numpy() == 2.0
    assert traced == ["t", "f"]
    assert "StatelessIf" in _graph_ops(f, tf.constant(1.0))


def test_cond_traced_stateful_branch_is_an_if_node():
    v = tf.Variable(1.0)

    @tf.function(autograph=False)
    def f(x):
        return tf.cond(x > 0, lambda: v * x, lambda: x)

    assert "If" in _graph_ops(f, tf.constant(1.0))
    assert f(tf.constant(2.0)).numpy() == 2.0
    v.assign(5.0)
    assert f(tf.constant(2.0)).numpy() == 10.0


def test_cond_traced_nested_and_python_outputs():
    @tf.function(autograph=False)
    def f(x, y):
        return tf.cond(x > 0,
                       lambda: tf.cond(y > 0, lambda: (1, x + y), lambda: (2, x - y)),
                       lambda: (3, y))

    for x, y, want in ((1, 1, (1, 2)), (1, -1, (2, 2)), (-1, 5, (3, 5))):
        a, b = f(tf.constant(x), tf.constant(y))
        assert (a.numpy(), b.numpy()) == want


def test_cond_traced_output_shape_is_most_specific_compatible():
    @tf.function(autograph=False)
    def f(p):
        return tf.cond(p, lambda: tf.zeros([2, 3]), lambda: tf.zeros([4, 3]))

    out_shape = f.get_concrete_function(tf.constant(True)).graph.outputs[0].shape
    assert out_shape.as_list() == [None, 3]
    assert f(tf.constant(False)).shape == (4, 3)


@pytest.mark.parametrize("t, e, err, msg", [
    (lambda x: (x, x), lambda x: x, TypeError,
     "true_fn and false_fn arguments to tf.cond must have the same number, type, and overall "
     "structure of return values."),
    (lambda x: x, lambda x: tf.cast(x, tf.int32), TypeError, "have different types"),
    (lambda x: [x], lambda x: (x,), TypeError, "don't have the same sequence type"),
    (lambda x: x, lambda x: None, ValueError, "Lengths of branch outputs of cond must match."),
])
def test_cond_traced_mismatched_branches(t, e, err, msg):
    @tf.function(autograph=False)
    def f(x):
        return tf.cond(x > 0, lambda: t(x), lambda: e(x))

    with pytest.raises(err, match=msg.replace("(", r"\(").replace(")", r"\)")):
        f(tf.constant(1.0))


def test_cond_traced_python_bool_pred_is_an_error():
    @tf.function(autograph=False)
    def f(x):
        return tf.cond(True, lambda: x, lambda: x)

    with pytest.raises(TypeError, match="pred must not be a Python bool"):
        f(tf.constant(1.0))


def test_cond_traced_pred_of_one_element_is_squeezed():
    @tf.function(autograph=False)
    def f(p, x):
        return tf.cond(p, lambda: x + 1, lambda: x - 1)

    assert f(tf.constant([True]), tf.constant(1)).numpy() == 2


def test_if_node_rejects_non_scalar_predicate():
    @tf.function(autograph=False)
    def f(p, x):
        return tf.cond(p, lambda: x + 1, lambda: x - 1)

    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        f(tf.constant([True, False]), tf.constant(1))


def _cond_fn(x, y):
    return tf.cond(tf.reduce_sum(x) > 0, lambda: tf.sin(x) * y, lambda: x * x + y)


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_cond_gradients_eager_and_traced(sign):
    rng = np.random.default_rng(1)
    x, y = sign * (rng.random(3) + 0.5), rng.random(3)
    check_vjp(_cond_fn, [x, y])
    check_vjp(tf.function(_cond_fn), [x, y])  # tape around the call
    check_second_order(_cond_fn, [x, y])

    @tf.function
    def inside(x, y):  # tape inside the function
        with tf.GradientTape() as tape:
            tape.watch([x, y])
            out = _cond_fn(x, y)
        return tape.gradient(out, [x, y])

    with tf.GradientTape() as tape:
        xs = [tf.constant(x), tf.constant(y)]
        tape.watch(xs)
        want = tape.gradient(_cond_fn(*xs), xs)
    got = inside(tf.constant(x), tf.constant(y))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-12)


def test_cond_gradient_reaches_variables_read_in_branches():
    v = tf.Variable(3.0)

    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: v * x * x, lambda: v + x)

    for x, want in ((2.0, 4.0), (-2.0, 1.0)):
        with tf.GradientTape() as tape:
            y = f(tf.constant(x))
        assert tape.gradient(y, v).numpy() == want


# ---------------------------------------------------------------- case / switch_case

def test_case_picks_first_true_predicate():
    x, y = tf.constant(1), tf.constant(2)
    r = tf.case([(x > y, lambda: tf.constant(17)), (x < y, lambda: tf.constant(23)),
                 (x < 5, lambda: tf.constant(-5))], default=lambda: tf.constant(-1))
    assert r.numpy() == 23
    assert tf.case([(x > y, lambda: tf.constant(17))], default=lambda: tf.constant(-1)) == -1


def test_case_exclusive_and_no_default_errors():
    x, y = tf.constant(1), tf.constant(2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="exclusive=True"):
        tf.case([(x < y, lambda: x), (x < 5, lambda: y)], default=lambda: x, exclusive=True)
    assert tf.case([(x < y, lambda: x), (x > 5, lambda: y)], exclusive=True).numpy() == 1
    with pytest.raises(tf.errors.InvalidArgumentError, match="None of conditions evaluated"):
        tf.case([(x > y, lambda: x)])
    assert tf.case([(x < y, lambda: x)]).numpy() == 1  # the last pair doubles as default


def test_case_traced():
    @tf.function(autograph=False)
    def f(x, y, exclusive):
        return tf.case([(x < y, lambda: x + 10), (x > y + 5, lambda: y)], exclusive=exclusive)

    assert f(tf.constant(1), tf.constant(2), False).numpy() == 11
    assert f(tf.constant(9), tf.constant(2), True).numpy() == 2
    with pytest.raises(tf.errors.InvalidArgumentError, match="None of conditions evaluated"):
        f(tf.constant(4), tf.constant(2), False)

    @tf.function(autograph=False)
    def g(x):
        return tf.case([(x > 0, lambda: x), (x > 1, lambda: -x)], default=lambda: x * 0,
                       exclusive=True)

    assert g(tf.constant(-1)).numpy() == 0
    with pytest.raises(tf.errors.InvalidArgumentError, match="exclusive=True"):
        g(tf.constant(2))


def test_case_argument_errors():
    x = tf.constant(1)
    with pytest.raises(TypeError, match="'pred_fn_pairs' must be a list, tuple, or dict"):
        tf.case(x)
    with pytest.raises(TypeError, match="must be a 2-tuple"):
        tf.case([[x > 0, lambda: x]])
    with pytest.raises(TypeError, match="pred must be a Tensor, got: True"):
        tf.case([(True, lambda: x)])
    with pytest.raises(TypeError, match="Tensor is unhashable"):  # TF2: no tensor dict keys
        tf.compat.v1.case({x > 0: lambda: x})


def test_switch_case_eager_and_traced():
    branches = [lambda: tf.constant(17), lambda: tf.constant(31)]
    assert tf.switch_case(tf.constant(1), branches).numpy() == 31
    assert tf.switch_case(tf.constant(7), branches).numpy() == 31  # out of range: the last
    assert tf.switch_case(tf.constant(-1), branches, default=lambda: tf.constant(0)) == 0
    assert tf.switch_case(tf.constant(0), {1: branches[1], 0: branches[0]}) == 17

    @tf.function(autograph=False)
    def f(i, x):
        return tf.switch_case(i, [lambda: x * 2.0, lambda: x * 3.0], default=lambda: -x)

    assert [f(tf.constant(k), tf.constant(1.0)).numpy() for k in (0, 1, 2, -3)] == [2, 3, -1, -1]
    assert "StatelessCase" in _graph_ops(f, tf.constant(0), tf.constant(1.0))
    check_vjp(lambda x: f(tf.constant(1), x), [np.array(2.0)])


def test_switch_case_with_variables_is_a_case_node_and_differentiable():
    v = tf.Variable(2.0)

    @tf.function
    def f(i, x):
        return tf.switch_case(i, [lambda: v * x, lambda: v * v * x])

    assert "Case" in _graph_ops(f, tf.constant(0), tf.constant(1.0))
    for i, want in ((0, 3.0), (1, 12.0)):
        with tf.GradientTape() as tape:
            y = f(tf.constant(i), tf.constant(3.0))
        assert tape.gradient(y, v).numpy() == want


@pytest.mark.parametrize("index, fns, err, msg", [
    (1, [lambda: 1], TypeError, "'branch_index' must be a Tensor, got <class 'int'>"),
    (tf.constant(1.0), [lambda: 1], TypeError, "'branch_index' must be an integer Tensor"),
    (tf.constant(1), [], ValueError, "Must provide at least one item in 'branch_fns'"),
    (tf.constant(1), {0: lambda: 1, 2: lambda: 2}, ValueError,
     r"branch indices \(keys\) must form contiguous range of \[0 to 2\) but found \{0,2\}"),
    (tf.constant(1), [(0, 1)], TypeError, "fn for key 0 must be callable."),
])
def test_switch_case_errors(index, fns, err, msg):
    with pytest.raises(err, match=msg):
        tf.switch_case(index, fns)


# ---------------------------------------------------------------- while_loop eager

def test_while_loop_eager_basic_and_nested():
    i = tf.constant(0)
    assert tf.while_loop(lambda i: tf.less(i, 10), lambda i: (tf.add(i, 1),), [i])[0] == 10
    Pair = collections.namedtuple("Pair", "j, k")
    ijk = (tf.constant(0), Pair(tf.constant(1), tf.constant(2)))
    out = tf.while_loop(lambda i, p: i < 10, lambda i, p: (i + 1, Pair(p.j + p.k, p.j - p.k)), ijk)
    assert (out[1][0].numpy(), out[1][1].numpy()) == (32, 64)
    assert isinstance(out[1], Pair)


def test_while_loop_eager_return_structures():
    # v2 keeps the structure; v1 unpacks one loop variable; Python values become tensors
    assert isinstance(tf.while_loop(lambda i: i < 3, lambda i: [i + 1], [0]), list)
    r = tf.compat.v1.while_loop(lambda i: i < 3, lambda i: i + 1, [0])
    assert isinstance(r, tf.Tensor) and r.numpy() == 3
    r = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0])
    assert isinstance(r, list) and r[0].numpy() == 3
    r = tf.while_loop(lambda i: i < 0, lambda i: i + 1, (5,))
    assert isinstance(r, tuple) and r[0].numpy() == 5


def test_while_loop_maximum_iterations():
    body = lambda i, s: (i + 1, s + i)
    out = tf.while_loop(lambda i, s: i < 100, body, (0, 0), maximum_iterations=4)
    assert [t.numpy() for t in out] == [4, 6]

    @tf.function(autograph=False)
    def f(n):
        return tf.while_loop(lambda i, s: i < 100, body, (0, 0), maximum_iterations=n)

    assert [t.numpy() for t in f(tf.constant(4))] == [4, 6]
    with pytest.raises(ValueError, match="'maximum_iterations' must be a scalar"):
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0], maximum_iterations=[1, 2])


def test_while_loop_eager_shapes_may_change_but_structure_may_not():
    # eagerly TF only checks the structure after every iteration
    r = tf.while_loop(lambda x: tf.size(x) < 8, lambda x: [tf.concat([x, x], 0)],
                      [tf.ones([1])])
    assert r[0].shape == (8,)
    with pytest.raises(ValueError, match="don't have the same number of elements"):
        tf.while_loop(lambda x: x < 3, lambda x: [x + 1, x], [0])


@pytest.mark.parametrize("kwargs, err, msg", [
    (dict(cond=1, body=lambda i: i, loop_vars=[0]), TypeError, "'cond' must be callable."),
    (dict(cond=lambda i: i, body=1, loop_vars=[0]), TypeError, "'body' must be callable."),
    (dict(cond=lambda i: i, body=lambda i: i, loop_vars=[0], parallel_iterations=0), TypeError,
     "'parallel_iterations' must be a positive integer."),
    (dict(cond=lambda: True, body=lambda: (), loop_vars=[]), ValueError,
     "'loop_vars' must be provided."),
])
def test_while_loop_argument_errors(kwargs, err, msg):
    with pytest.raises(err, match=msg):
        tf.while_loop(**kwargs)


# ---------------------------------------------------------------- while_loop traced

def test_while_loop_traced_is_one_while_node():
    traced = []

    @tf.function(autograph=False)
    def f(n):
        def body(i, s):
            traced.append(1)
            return i + 1, s + i

        return tf.while_loop(lambda i, s: i < n, body, (0, 0))

    assert [t.numpy() for t in f(tf.constant(10))] == [10, 45]
    assert [t.numpy() for t in f(tf.constant(3))] == [3, 3]
    assert traced == [1]
    assert "StatelessWhile" in _graph_ops(f, tf.constant(1))


def test_while_loop_traced_shape_and_dtype_errors():
    @tf.function(autograph=False)
    def grows(x):
        return tf.while_loop(lambda i, m: i < 2, lambda i, m: [i + 1, tf.concat([m, m], 0)],
                             [0, x])

    with pytest.raises(ValueError, match=r"enters the loop with shape \(2, 2\), but has shape "
                                         r"\(4, 2\) after one iteration. To allow the shape to "
                                         "vary across iterations, use the `shape_invariants`"):
        grows(tf.ones([2, 2]))

    @tf.function(autograph=False)
    def relaxed(x):
        return tf.while_loop(lambda i, m: i < 2, lambda i, m: [i + 1, tf.concat([m, m], 0)],
                             [0, x], shape_invariants=[tf.TensorShape([]),
                                                       tf.TensorShape([None, 2])])

    out = relaxed(tf.ones([2, 2]))
    assert out[1].shape == (8, 2)
    assert relaxed.get_concrete_function(tf.ones([2, 2])).graph.outputs[1].shape.as_list() == [
        None, 2]

    @tf.function(autograph=False)
    def recast(x):
        return tf.while_loop(lambda i, m: i < 2, lambda i, m: [i + 1, tf.cast(m, tf.int32)],
                             [0, x])

    with pytest.raises(TypeError, match="enters the loop with type <dtype: 'float32'> but has "
                                        "type <dtype: 'int32'> after 1 iteration"):
        recast(tf.ones([2]))


def test_while_loop_traced_with_variables_and_captures():
    v = tf.Variable(2.0)

    @tf.function(autograph=False)
    def f(x, n):
        return tf.while_loop(lambda i, a: i < n, lambda i, a: (i + 1, a * v + x),
                             (0, tf.constant(1.0)))[1]

    assert f(tf.constant(1.0), tf.constant(3)).numpy() == 15.0
    assert "While" in _graph_ops(f, tf.constant(1.0), tf.constant(3))
    v.assign_add(1.0)
    assert f(tf.constant(0.0), tf.constant(2)).numpy() == 9.0


def test_while_loop_traced_back_prop_false_stops_gradients():
    @tf.function(autograph=False)
    def f(x):
        return tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x),
                             (0, tf.constant(1.0)), back_prop=False)[1]

    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    assert y.numpy() == 8.0 and tape.gradient(y, x) is None


def _power_loop(x, y):
    def body(i, a, b):
        return i + 1, a * x + b, tf.sin(b) * y

    return tf.while_loop(lambda i, a, b: i < 4, body, (0, tf.ones_like(x), y))[1:]


def test_while_loop_gradients_eager_tape_around_and_inside():
    rng = np.random.default_rng(2)
    x, y = rng.random(3) + 0.2, rng.random(3) + 0.2
    check_vjp(_power_loop, [x, y])
    check_vjp(tf.function(_power_loop), [x, y])
    check_second_order(_power_loop, [x, y])

    @tf.function
    def inside(x, y):
        with tf.GradientTape() as tape:
            tape.watch([x, y])
            out = _power_loop(x, y)
        return tape.gradient(out, [x, y])

    xs = [tf.constant(x), tf.constant(y)]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        want = tape.gradient(_power_loop(*xs), xs)
    for g, w in zip(inside(*xs), want):
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-12)


def test_while_loop_gradient_reaches_variables_in_body():
    v = tf.Variable(3.0)

    @tf.function
    def f(x):
        return tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * v), (0, x))[1]

    with tf.GradientTape() as tape:
        y = f(tf.constant(2.0))
    assert y.numpy() == 54.0 and tape.gradient(y, v).numpy() == 54.0


def test_nested_control_flow_in_traced_loops():
    @tf.function(autograph=False)
    def f(n):
        def outer(i, s):
            inner = tf.while_loop(lambda j, t: j < i, lambda j, t: (j + 1, t + j), (0, 0))[1]
            return i + 1, s + tf.cond(i % 2 == 0, lambda: inner, lambda: -inner)

        return tf.while_loop(lambda i, s: i < n, outer, (0, 0))[1]

    want = sum((1 if i % 2 == 0 else -1) * sum(range(i)) for i in range(6))
    assert f(tf.constant(6)).numpy() == want


# ---------------------------------------------------------------- the nodes, eagerly

def test_control_flow_nodes_run_eagerly_through_apply():
    """The If/Case/While kernels (what a replaying executor runs) work on eager tensors."""
    state.check_infer = True

    @tf.function(autograph=False)
    def f(x, i, n):
        a = tf.cond(x > 0, lambda: x + 1.0, lambda: x - 1.0)
        b = tf.switch_case(i, [lambda: x, lambda: x * 2.0])
        c = tf.while_loop(lambda k, s: k < n, lambda k, s: (k + 1, s * 2.0), (0, x))[1]
        return a, b, c

    args = (tf.constant(1.5), tf.constant(1), tf.constant(3))
    graph = f.get_concrete_function(*args).graph
    values = {id(p): a for p, a in zip(graph.inputs, args)}
    for node in graph.get_operations():
        if node.op.name in ("StatelessIf", "StatelessCase", "StatelessWhile"):
            ins = [values.get(id(t)) for t in node.inputs]
            if any(v is None for v in ins):
                continue
            outs = apply(node.op, *ins, **node.attrs)
            eager = control_flow_v2.EAGER_CALLS[node.op](ins, node.attrs)
            for o, e in zip(outs, eager):
                assert o.numpy() == e.numpy()
    assert [t.numpy() for t in f(*args)] == [2.5, 3.0, 12.0]


def test_control_flow_assert_node():
    apply(control_flow_v2.control_flow_assert_op, tf.constant(True), message="fine")
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"assertion failed: \[boom\]"):
        apply(control_flow_v2.control_flow_assert_op, tf.constant(False), message="boom")


# ---------------------------------------------------------------- group & co

def test_group_no_op_tuple_control_dependencies():
    x = tf.constant(1)
    assert tf.group(x, x) is None and tf.no_op() is None
    assert tf.tuple([x, x])[1] is x
    called = []
    with tf.control_dependencies([lambda: called.append(1), x]):
        y = x + 1
    assert called == [1] and y.numpy() == 2
    with pytest.raises(ValueError, match="Unknown keyword arguments: foo"):
        tf.function(lambda: tf.group(x, foo=1), autograph=False)()

    @tf.function(autograph=False)
    def f(x):
        with tf.control_dependencies([tf.group(x)]):
            a, b = tf.tuple([x + 1, x + 2])
        return a + b

    assert f(tf.constant(1)).numpy() == 5


def test_control_flow_v2_toggles():
    tf.compat.v1.enable_control_flow_v2()
    tf.compat.v1.disable_control_flow_v2()
    assert tf.compat.v1.control_flow_v2_enabled()


# ---------------------------------------------------------------- node gradient rules, eagerly

from tensorlet.testing.op_test import graph_node_call as _node_call  # noqa: E402


_V = tf.Variable(np.full([2, 3], 0.5))
_F64, _P, _I = tf.TensorSpec([2, 3], tf.float64), tf.TensorSpec([], tf.bool), tf.TensorSpec(
    [], tf.int32)


def _loop(x, y, v=1.0):
    return tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, tf.sin(a) * x * v + y), (0, y))


@pytest.mark.parametrize("op, fn, specs, lead", [
    ("StatelessIf", lambda p, x, y: tf.cond(p, lambda: tf.sin(x) * y, lambda: x * y),
     (_P, _F64, _F64), (True,)),
    ("StatelessIf", lambda p, x, y: tf.cond(p, lambda: tf.sin(x) * y, lambda: x * y),
     (_P, _F64, _F64), (False,)),
    ("If", lambda p, x, y: tf.cond(p, lambda: tf.sin(x) * y * _V, lambda: x * y),
     (_P, _F64, _F64), (True,)),
    ("StatelessCase", lambda i, x, y: tf.switch_case(i, [lambda: x * y, lambda: tf.sin(x) * y]),
     (_I, _F64, _F64), (1,)),
    ("Case", lambda i, x, y: tf.switch_case(i, [lambda: x * y * _V, lambda: tf.sin(x) * y]),
     (_I, _F64, _F64), (0,)),
    ("StatelessWhile", _loop, (_F64, _F64), ()),  # y is both a loop variable and a capture
    ("While", lambda x, y: _loop(x, y, _V), (_F64, _F64), ()),
])
def test_node_gradient_rules(op, fn, specs, lead):
    call = _node_call(op, fn, *specs)
    lead = [tf.constant(v) for v in lead]
    rng = np.random.default_rng(0)
    args = [rng.random((2, 3)) + 0.1 for _ in range(len(specs) - len(lead))]
    check_vjp(lambda *xs: call(*lead, *xs), args)
    check_second_order(lambda *xs: call(*lead, *xs), args)


def test_docstring_examples():
    import doctest

    from tensorlet.ops import control_flow_ops, tensor_array_ops

    for module in (control_flow_ops, tensor_array_ops):
        assert doctest.testmod(module, extraglobs={"tf": tf}).failed == 0
