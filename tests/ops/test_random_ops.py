"""Fixture topic 06 (random) run through ``tensorlet`` exactly as TF ran it.

Each case's ``call`` string is executed with ``tf = tensorlet``. Random floats must be within
2 ulp of TF (normal-type streams; uniform ones are exact in practice), integers exact, errors of
the same class. Cases that need features outside ``tf.random`` which tensorlet does not have
yet are skipped with the missing name; Keras cases are skipped (Keras is another module).
"""
import ast
import re
import sys
from pathlib import Path

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework.tensor import Tensor

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "numerics"
if not (FIXTURES / "data" / "06_random.json").exists():
    pytest.skip("numeric fixtures not available", allow_module_level=True)
sys.path.insert(0, str(FIXTURES))
from load_fixtures import Fixtures

FX = Fixtures("06_random")
CASES = [c.name for c in FX.cases() if c.rec.get("kind") != "fact"]

NOT_IMPLEMENTED = ()  # every tf.random case is implemented
TF_NAME = re.compile(r"\btf\.([A-Za-z_][\w.]*)")


def exec_case(code, ns):
    """Same logic as the fixture generator: the last line is the result expression."""
    tree = ast.parse(code)
    *body, last = tree.body
    if not isinstance(last, ast.Expr):
        exec(compile(tree, "<case>", "exec"), ns)  # noqa: S102 (fixture call strings)
        return ns.get("result")
    exec(compile(ast.Module(body=body, type_ignores=[]), "<case>", "exec"), ns)  # noqa: S102
    return eval(compile(ast.Expression(last.value), "<case>", "eval"), ns)


def _missing_names(call):
    """``tf.*`` names in ``call`` that tensorlet does not export yet."""
    missing = []
    for dotted in TF_NAME.findall(call):
        obj = tf
        for part in dotted.split("."):
            if not hasattr(obj, part):
                if obj is tf or type(obj).__name__ == "module":
                    missing.append("tf." + dotted)
                break
            obj = getattr(obj, part)
    return missing


def _operators_missing(call):
    """Tensor ``==`` and slicing belong to other modules; the prefix case needs both."""
    needs = "==" in call or "[:" in call
    has = hasattr(Tensor, "__getitem__") and Tensor.__eq__ is not object.__eq__
    return needs and not has


def _skip_reason(case):
    if case.name.startswith("keras/"):
        return "Keras (tensorlet.keras) is not part of tf.random"
    if NOT_IMPLEMENTED and case.name.startswith(NOT_IMPLEMENTED):
        return "not implemented"
    missing = _missing_names(case.call)
    if missing:
        return f"needs {', '.join(sorted(set(missing)))} (outside tf.random, not available yet)"
    if _operators_missing(case.call):
        return "needs Tensor == and slicing (outside tf.random, not available yet)"
    return None


def _inputs(case):
    ns = {}
    for k, enc in case.rec.get("inputs", {}).items():
        v = case.input(k)
        ns[k] = tf.convert_to_tensor(v) if enc.get("as") == "tf.constant" else v
    return ns


def _leaves(value):
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _leaves(v)]
    if isinstance(value, dict):  # decoded namedtuples keep their field order
        return [x for v in value.values() for x in _leaves(v)]
    return [value]


def _as_array(value):
    if isinstance(value, (bool, int, float)):
        return value
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)


def _max_ulp(a, b):
    a = a.astype(b.dtype)
    if a.size == 0:
        return 0
    it = {2: np.int16, 4: np.int32, 8: np.int64}[b.dtype.itemsize]
    return int(np.max(np.abs(a.view(it).astype(np.int64) - b.view(it).astype(np.int64))))


def _encoded_dtypes(enc):
    if enc.get("kind") in ("list", "tuple"):
        return [d for e in enc["items"] for d in _encoded_dtypes(e)]
    return [enc.get("dtype")]


def assert_same(actual, case):
    expected = case.output()
    got, exp = _leaves(actual), _leaves(expected)
    assert len(got) == len(exp), f"{len(got)} results, expected {len(exp)}"
    for g, e, dt in zip(got, exp, _encoded_dtypes(case.rec["output"])):
        if isinstance(e, np.generic):
            e = np.asarray(e)
        if not isinstance(e, np.ndarray):
            assert g == e
            continue
        if dt is not None and hasattr(g, "dtype"):
            assert getattr(g.dtype, "name", str(g.dtype)) == dt
        g = _as_array(g)
        assert g.shape == e.shape
        if e.dtype.kind == "f":
            assert _max_ulp(g, e) <= 2, f"{g} vs {e}"
        else:
            np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("name", CASES)
def test_fixture_case(name):
    case = FX.case(name)
    reason = _skip_reason(case)
    if reason:
        pytest.skip(reason)
    ns = {"tf": tf, "np": np, **_inputs(case)}
    if case.error:
        with pytest.raises(Exception) as info:
            exec_case(case.call, ns)
        assert type(info.value).__name__ == case.error["type"], str(info.value)
        return
    assert_same(exec_case(case.call, ns), case)


# ------------------------------------------------ behaviour not covered by fixtures
def test_set_seed_restarts_streams_and_op_seed_sequence():
    tf.random.set_seed(3)
    a = [np.asarray(tf.random.uniform([4])) for _ in range(2)]
    b = np.asarray(tf.random.normal([2], seed=5))
    tf.random.set_seed(3)
    assert all(np.array_equal(x, np.asarray(tf.random.uniform([4]))) for x in a)
    assert np.array_equal(b, np.asarray(tf.random.normal([2], seed=5)))


def test_unseeded_ops_are_random_but_valid():
    tf.random.set_seed(None)
    x = np.asarray(tf.random.uniform([1000]))
    assert x.dtype == np.float32 and 0 <= x.min() and x.max() < 1 and x.std() > 0.2
    g = tf.random.get_global_generator()
    assert np.asarray(g.normal([3])).shape == (3,)


def test_uniform_int_errors_and_dtypes():
    with pytest.raises(ValueError, match="Must specify maxval"):
        tf.random.uniform([2], dtype=tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Need minval < maxval"):
        tf.random.uniform([2], minval=5, maxval=5, dtype=tf.int64)
    with pytest.raises(ValueError, match="invalid value"):
        tf.random.stateless_uniform([2], seed=[1, 2], dtype=tf.int8)
    for dt in (tf.float16, tf.bfloat16, tf.float64):
        assert tf.random.stateless_normal([3], seed=[1, 2], dtype=dt).dtype == dt
        assert tf.random.stateless_truncated_normal([3], seed=[1, 2], dtype=dt).dtype == dt


def test_generator_split_and_reset():
    g = tf.random.Generator.from_seed(7)
    first = np.asarray(g.uniform([3]))
    g.reset_from_seed(7)
    assert np.array_equal(first, np.asarray(g.uniform([3])))
    children = g.split(2)
    assert len(children) == 2 and np.asarray(children[0].state)[:2].tolist() == [0, 0]
    assert np.asarray(g.make_seeds(3)).shape == (2, 3)


def test_stateless_dropout_noise_shape_and_rate_zero():
    x = tf.convert_to_tensor(np.ones((2, 3), np.float32))
    y = np.asarray(tf.nn.experimental.stateless_dropout(x, 0.5, seed=[1, 2], noise_shape=[2, 1]))
    assert all(len(set(row.tolist())) == 1 for row in y)
    assert tf.nn.experimental.stateless_dropout(x, 0.0, seed=[1, 2]) is x


def test_every_random_op_runs_eagerly():
    """Runs each registered random op once (some fixture cases need ops from other modules)."""
    tf.random.set_seed(1)
    assert sorted(np.asarray(tf.random.shuffle([1, 2, 3])).tolist()) == [1, 2, 3]
    shuffled = tf.random.experimental.stateless_shuffle([[1, 2], [3, 4], [5, 6]], seed=[1, 2])
    assert sorted(np.asarray(shuffled)[:, 0].tolist()) == [1, 3, 5]
    assert np.asarray(tf.random.categorical([[0.0, 1.0]], 3, dtype=tf.int32)).shape == (1, 3)
    assert np.asarray(tf.random.stateless_categorical([[0.0, 1.0]], 3, seed=[1, 2])).shape == (1, 3)
    assert np.asarray(tf.random.truncated_normal([2, 2])).shape == (2, 2)
    ints = np.asarray(tf.random.uniform([50], minval=-2, maxval=4, dtype=tf.int32))
    assert ints.min() >= -2 and ints.max() < 4
    key, counter = tf.raw_ops.StatelessRandomGetKeyCounter(seed=[1, 2])
    assert key.dtype == tf.uint64 and np.asarray(counter).shape == (2,)
    g = tf.random.Generator.from_seed(5)
    assert g.truncated_normal([3]).dtype == tf.float32
    assert g.uniform([3], minval=0, maxval=7, dtype=tf.int64).dtype == tf.int64
    assert g.uniform_full_int([2]).dtype == tf.uint64


def _grad(fn, x, upstream):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return np.asarray(tape.gradient(y, x, output_gradients=tf.convert_to_tensor(upstream)))


def test_gradients_flow_through_scaling_and_dropout():
    x = tf.convert_to_tensor(np.arange(1, 9, dtype=np.float32).reshape(2, 4))
    up = np.full((2, 4), 3, np.float32)
    y = np.asarray(tf.nn.experimental.stateless_dropout(x, 0.5, seed=[1, 2]))
    g = _grad(lambda t: tf.nn.experimental.stateless_dropout(t, 0.5, seed=[1, 2]), x, up)
    np.testing.assert_array_equal(g, np.where(y != 0, np.float32(6), np.float32(0)))
    mean = tf.convert_to_tensor(np.float32(1.0))
    g = _grad(lambda m: tf.random.stateless_normal([3], seed=[1, 2], mean=m), mean,
              np.ones(3, np.float32))
    assert float(g) == 3.0
