import numpy as np
import pytest
from graph_opt_testing import assert_same, optimize, run, special_values, trace, types

import tensorlet as tf
from tensorlet.graph_opt import arithmetic, pruning

NEG0 = np.float32(-0.0)  # (a Python -0.0 literal becomes +0.0, as in TF)
S3 = tf.TensorSpec([3], tf.float32)


def simplify(c):
    return optimize(c, arithmetic.simplify, pruning.prune)


# (function, input spec, op types left after simplification)
REMOVED = [
    (lambda x: x * 1.0, S3, []),
    (lambda x: 1.0 * x, S3, []),
    (lambda x: x / 1.0, S3, []),
    (lambda x: x + tf.constant(NEG0), S3, []),
    (lambda x: tf.constant(NEG0) + x, S3, []),
    (lambda x: x - 0.0, S3, []),
    (lambda x: x + 0, tf.TensorSpec([3], tf.int32), []),
    (lambda x: x * 1, tf.TensorSpec([3], tf.int64), []),
    (lambda x: tf.negative(-x), S3, []),
    (lambda x: tf.negative(tf.negative(-x)), S3, ["Neg"]),
    (lambda x: tf.logical_not(tf.logical_not(x)), tf.TensorSpec([3], tf.bool), []),
    (lambda x: tf.identity(tf.identity(tf.stop_gradient(x))), S3, []),
    (lambda x: tf.cast(x, tf.float32), S3, []),
    (lambda x: tf.reshape(x, [3]), S3, []),
    (lambda x: tf.reshape(tf.reshape(x, [3, 1]), [1, 3]), S3, ["Reshape"]),
    (lambda x: tf.transpose(tf.transpose(x)), tf.TensorSpec([2, 3], tf.float32), []),
    (lambda x: tf.transpose(x, [0, 1]), tf.TensorSpec([2, 3], tf.float32), []),
    (
        lambda x: tf.transpose(tf.transpose(x, [1, 2, 0]), [0, 2, 1]),
        tf.TensorSpec([2, 3, 4], tf.float32),
        ["Transpose"],
    ),
    (lambda x: tf.broadcast_to(x, [3]), S3, []),
    (lambda x: tf.add_n([x]), S3, []),
    (lambda x: tf.exp(x * 1.0) * 1.0, S3, ["Exp"]),
]

# (function, input spec): nothing may be simplified (the identity is not exact)
KEPT = [
    (lambda x: x + 0.0, S3),  # -0.0 + 0.0 = +0.0
    (lambda x: x - tf.constant(NEG0), S3),  # x - (-0.0) = x + 0.0
    (lambda x: x * 0.0, S3),  # nan, inf
    (lambda x: x - x, S3),  # nan, inf
    (lambda x: x * -1.0, S3),  # NaN sign
    (lambda x: x * tf.ones([2, 3]), S3),  # broadcasts x to a larger shape
    (lambda x: x * tf.constant([1.0, 1.0, 2.0]), S3),
    (lambda x: x * tf.constant(1 + 0j, tf.complex64), tf.TensorSpec([3], tf.complex64)),
    (lambda x: tf.cast(x, tf.float64), S3),
    (lambda x: tf.reshape(x, [3, 1]), S3),
    (lambda x: tf.reshape(x, [-1]), tf.TensorSpec([None], tf.float32)),  # shape unknown
]


def _input(spec, rng):
    dtype = spec.dtype.as_numpy_dtype
    shape = [4 if d is None else d for d in spec.shape.as_list()]
    if np.issubdtype(dtype, np.complexfloating):
        return (special_values(rng, shape) + 1j * special_values(rng, shape)).astype(dtype)
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if np.issubdtype(dtype, np.integer):
        return rng.integers(-100, 100, shape).astype(dtype)
    return special_values(rng, shape, dtype)


@pytest.mark.parametrize("fn, spec, left", REMOVED)
def test_identities_are_removed(fn, spec, left):
    c = trace(lambda x: tf.stack([fn(x)]), spec)  # (not returned directly: see below)
    g = simplify(c)
    assert [t for t in types(g) if t not in ("Placeholder", "Const")] == [*left, "Pack"]
    rng = np.random.default_rng(0)
    for _ in range(5):
        x = _input(spec, rng)
        assert_same(run(g, x)[0], run(c.graph, x)[0])


@pytest.mark.parametrize("fn, spec", KEPT)
def test_inexact_identities_are_kept(fn, spec):
    c = trace(fn, spec)
    g = simplify(c)
    assert types(g) == types(pruning.prune(c.graph.copy()))
    x = _input(spec, np.random.default_rng(1))
    assert_same(run(g, x)[0], run(c.graph, x)[0])


def test_negative_zero_is_why_x_plus_zero_stays():
    x = np.array([-0.0], np.float32)
    c = trace(lambda x: x + 0.0, tf.TensorSpec([1], tf.float32))
    assert not np.signbit(run(simplify(c), x)[0][0])  # what eager computes: +0.0


def test_returned_results_keep_a_buffer_of_their_own():
    v = tf.Variable([1.0, 2.0, 3.0])
    c = trace(lambda x: (x * 1.0, tf.exp(x) * 1.0, v * 1.0, tf.identity(x)), S3)
    g = simplify(c)
    # x * 1 and v * 1 would hand the caller its own input's / the variable's array
    assert [t for t in types(g) if t not in ("Placeholder", "Const")] == [
        "Mul",
        "Exp",
        "ReadVariableOp",
        "Mul",
    ]
    x = np.array([1.0, 2.0, 3.0], np.float32)
    out = run(g, x)
    assert out[0] is not x and out[3] is x  # (tf.identity returned x before too)
    out[2][0] = 7.0
    assert float(v.numpy()[0]) == 1.0


def test_rules_are_a_table():
    for pattern, condition, result in arithmetic.RULES:
        assert pattern.ops and (isinstance(result, str) or callable(result))
        assert condition is None or callable(condition)
