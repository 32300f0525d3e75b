"""The AutoGraph API (to_code, to_graph, do_not_convert, ...), what gets converted (recursive
calls, methods, closures, lambdas), builtins overloads, and the runtime operators."""
import logging

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autograph import impl, operators
from tensorlet.autograph.transformer import ConversionError
from tensorlet.autograph.variables import Undefined, UndefinedReturnValue, ld, ldu


def negate_if_negative(x):
    if x < 0:
        x = -x
    return x


def loops(n):
    s = 0
    for i in tf.range(n):
        if i % 2 == 0:
            continue
        s += i
    return s


# ---------------------------------------------------------------- to_code / to_graph

def test_to_code_shows_the_converted_source():
    code = tf.autograph.to_code(negate_if_negative)
    assert code.startswith("def tf__negate_if_negative(x):")
    for part in ("ag__.FunctionScope('negate_if_negative', 'fscope', ag__.ConversionOptions("
                 "recursive=True, user_requested=True, optional_features=(), "
                 "internal_convert_user_code=True)) as fscope:",
                 "def get_state():", "def set_state(vars_):", "nonlocal x",
                 "def if_body():", "def else_body():",
                 "ag__.if_stmt(x < 0, if_body, else_body, get_state, set_state, ('x',), 1)",
                 "return fscope.ret(retval_, do_return)"):
        assert part in code, part
    code = tf.autograph.to_code(loops)
    for part in ("continue_ = False", "ag__.for_stmt(ag__.converted_call(tf.range, (n,), None, "
                 "fscope)", "def loop_body(itr):", "i = itr", "ag__.not_(continue_)"):
        assert part in code, part
    assert tf.compat.v1.autograph.to_code(loops, indentation="    ") == code
    compile(code, "<to_code>", "exec")


def test_to_graph_gives_a_function_usable_eagerly_and_traced():
    f = tf.autograph.to_graph(negate_if_negative)
    assert f(-3) == 3 and f(tf.constant(-2.0)).numpy() == 2.0
    assert tf.function(f)(tf.constant(-5)).numpy() == 5
    assert tf.compat.v1.autograph.to_graph(negate_if_negative)(4) == 4
    assert f.__name__ == "tf__negate_if_negative" and tf.autograph.to_graph(f) is not None


def test_to_graph_errors():
    with pytest.raises(ConversionError, match="try passing f.python_function instead"):
        tf.autograph.to_graph(tf.function(negate_if_negative))
    assert tf.autograph.to_code(tf.function(negate_if_negative).python_function).startswith(
        "def tf__negate_if_negative")

    def gen(x):
        yield x

    with pytest.raises(ConversionError, match="generators are not supported"):
        tf.autograph.to_graph(gen)


# ---------------------------------------------------------------- what gets converted

def helper(x):
    if x > 0:
        return x
    return -x


class Base:
    def scale(self, x):
        return x * 2


class Model(Base):
    def scale(self, x):
        if x > 0:
            y = super().scale(x)
        else:
            y = -x
        return y

    @tf.function
    def call(self, x):
        return self.scale(x) + 1


class Times10:
    def __call__(self, x):
        if x > 0:
            return x * 10
        return x


def test_called_user_functions_methods_and_objects_are_converted():
    @tf.function
    def f(x):
        return helper(x) + helper(-x) + Times10()(x)

    assert f(tf.constant(3)).numpy() == 36
    m = Model()
    assert m.call(tf.constant(3.0)).numpy() == 7.0 and m.call(tf.constant(-3.0)).numpy() == 4.0


def test_closures_nonlocal_and_lambdas():
    def make():
        total = 0

        def add(x):
            nonlocal total
            if x > 0:
                total = total + x
            else:
                total = total - x
            return total

        return add

    assert tf.function(make())(tf.constant(-2)).numpy() == 2
    absolute = lambda x: x if x > 0 else -x
    assert tf.function(absolute)(tf.constant(-4)).numpy() == 4


def test_do_not_convert():
    @tf.autograph.experimental.do_not_convert
    def raw(x):
        if x > 0:
            return x
        return -x

    assert raw(3) == 3 and raw.__name__ == "raw"
    with pytest.raises(TypeError, match="as a Python `bool` is not allowed"):
        tf.function(lambda x: raw(x))(tf.constant(1))
    assert tf.autograph.experimental.do_not_convert()(helper)(-1) == 1


def test_functions_that_cannot_be_converted_run_as_written(caplog):
    ns = {}
    exec("def dyn(x):\n    return x + 1\n", ns)  # no source file: not converted
    assert tf.function(ns["dyn"])(tf.constant(1)).numpy() == 2

    def with_else(l):
        s = 0
        for c in l:
            s += c
        else:  # noqa: PLW0120 -- the construct under test
            s = -s
        return s

    assert tf.function(with_else)([1, 2]).numpy() == -3
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        assert impl.convert(with_else) is with_else
    assert "AutoGraph could not transform" in caplog.text
    assert "for/else statement not yet supported" in caplog.text


def test_library_functions_are_not_converted():
    assert impl._allowlisted(tf.nn.relu)
    assert impl.convert(tf.nn.relu) is tf.nn.relu
    assert impl.convert(print) is print


def test_conversion_is_cached():
    assert impl.convert(helper) is impl.convert(helper)
    assert impl.convert(impl.convert(helper)) is impl.convert(helper)


# ---------------------------------------------------------------- print, assert, builtins

def test_print_runs_at_trace_time_and_tf_print_every_call(capfd):
    @tf.function
    def f(x):
        print("tracing")
        tf.print("running", x)
        return x + 1

    f(tf.constant(1))
    f(tf.constant(2))
    out = capfd.readouterr()
    assert out.out.count("tracing") == 1
    assert out.err.count("running") == 2


def checked(x):
    assert x > 0, "x must be positive"
    return x


def test_assert_statements_follow_the_optional_feature():
    # tf.function converts no assert by default (TF's ConversionOptions): a tensor test fails
    with pytest.raises(TypeError, match="as a Python `bool` is not allowed"):
        tf.function(checked)(tf.constant(1))
    conv = tf.autograph.to_graph(checked, experimental_optional_features=(
        tf.autograph.experimental.Feature.ASSERT_STATEMENTS,))
    assert conv(tf.constant(3)).numpy() == 3
    with pytest.raises(tf.errors.InvalidArgumentError, match="x must be positive"):
        conv(tf.constant(-3))
    with pytest.raises(AssertionError, match="x must be positive"):
        conv(-3)
    traced = tf.function(conv)
    assert traced(tf.constant(2)).numpy() == 2
    with pytest.raises(tf.errors.InvalidArgumentError, match="x must be positive"):
        traced(tf.constant(-2))


def test_builtin_overloads():
    @tf.function
    def f(x):
        s = 0
        for i in range(len(x)):
            s += int(tf.gather(x, i))
        return s, float(x[0]), abs(x[1]), len(x)

    s, fl, ab, n = f(tf.constant([3, -4, 5]))
    assert (s.numpy(), fl.numpy(), ab.numpy(), n.numpy()) == (4, 3.0, 4, 3)
    assert fl.dtype == tf.float32

    @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
    def g(x):
        s = 0
        for i in range(len(x)):  # len of an unknown dimension: a tensor, a staged loop
            s += tf.gather(x, i)
        return s

    assert g(tf.constant([1, 2, 3])).numpy() == 6


# ---------------------------------------------------------------- runtime operators

def test_logical_operators_dispatch():
    assert operators.and_(lambda: 1, lambda: 2) == 2
    assert operators.or_(lambda: 0, lambda: 3) == 3
    assert operators.not_(0) is True
    t, f = tf.constant(True), tf.constant(False)
    assert operators.and_(lambda: t, lambda: f).numpy() == False
    assert operators.or_(lambda: f, lambda: t).numpy() == True
    assert operators.not_(t).numpy() == False
    assert operators.if_exp(tf.constant(True), lambda: 1, lambda: 2, "c") == 1
    assert operators.if_exp(False, lambda: 1, lambda: 2, "c") == 2


def test_undefined_values():
    u = Undefined("x")
    assert repr(u) == "x" and u.foo is u and u[3] is u
    with pytest.raises(UnboundLocalError, match="'x' is used before assignment"):
        ld(u)
    assert ld(5) == 5
    assert isinstance(ldu(lambda: undefined_name, "y"), Undefined)  # noqa: F821
    fs = impl.FunctionScope("f", "fscope", impl.STD)
    assert fs.ret(UndefinedReturnValue(), False) is None and fs.ret(3, True) == 3


def test_if_stmt_operator_python_and_tensor():
    state = {"x": 1}

    def get_state():
        return (state["x"],)

    def set_state(v):
        state["x"] = v[0]

    def body():
        state["x"] = state["x"] + 10

    def orelse():
        state["x"] = state["x"] - 10

    operators.if_stmt(True, body, orelse, get_state, set_state, ("x",), 1)
    assert state["x"] == 11

    @tf.function(autograph=False)
    def staged(c):
        state["x"] = tf.constant(1)
        operators.if_stmt(c, body, orelse, get_state, set_state, ("x",), 1)
        return state["x"]

    assert staged(tf.constant(False)).numpy() == -9


def test_misc_api():
    tf.autograph.set_verbosity(0)
    tf.autograph.experimental.set_loop_options(maximum_iterations=3)  # a no-op outside loops
    features = tf.autograph.experimental.Feature
    assert features.ALL in features.all()
    assert features.ALL not in features.all_but(features.LISTS)
    opts = impl.ConversionOptions(optional_features=features.ALL)
    assert opts.uses(features.ASSERT_STATEMENTS)
    assert not impl.ConversionOptions().uses(features.ASSERT_STATEMENTS)
    ctx = impl.control_status_ctx()
    wrapped = impl.tf_convert(helper, ctx)
    assert wrapped(tf.constant(-2)).numpy() == 2
    with impl.ControlStatusCtx(impl.Status.DISABLED):
        assert impl.converted_call(helper, (-1,), None) == 1


def test_to_code_of_all_statement_kinds_compiles():
    def kitchen_sink(x, n):
        total = 0
        for i in tf.range(n):
            if i > 3:
                break
            j = i
            while j > 0:
                j -= 1
                if j == 2:
                    continue
                total += j
        else_val = 1 if total > 2 else 2
        return total + else_val if x > 0 else -total

    code = tf.autograph.to_code(kitchen_sink)
    compile(code, "<to_code>", "exec")
    got = tf.function(kitchen_sink)(tf.constant(1), tf.constant(6))
    assert got.numpy() == kitchen_sink(1, 6)
    assert np.asarray(got).dtype == np.int32


def test_docstring_examples():
    import doctest

    assert doctest.testmod(impl, extraglobs={"tf": tf}).failed == 0
