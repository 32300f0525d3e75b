"""ApproxTopK (tf.math.approx_max_k / approx_min_k / tf.approx_top_k): exact sorted top-k on
CPU as TF's XLA fallback gives, ties lower index first, output sizes, dtypes, errors, gradient."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework import errors
from tensorlet.ops import approx_topk_ops

RNG = np.random.default_rng(5)


def _ref(x, k, axis, is_max):
    moved = np.moveaxis(x, axis, -1).astype(np.float32)
    order = np.argsort(-moved if is_max else moved, axis=-1, kind="stable")[..., :k]
    vals = np.take_along_axis(np.moveaxis(x, axis, -1), order, -1)
    return np.moveaxis(vals, -1, axis), np.moveaxis(order, -1, axis)


@pytest.mark.parametrize(
    "shape,k,axis", [((7,), 3, -1), ((3, 6), 1, -1), ((3, 6), 6, 1), ((4, 5), 2, 0),
                     ((2, 3, 4), 2, 1), ((2, 3, 4), 4, -1), ((3, 0), 0, -1)]
)  # fmt: skip
@pytest.mark.parametrize("dtype", [np.float32, np.float16, tf.bfloat16.as_numpy_dtype])
@pytest.mark.parametrize("is_max", [True, False])
def test_matches_stable_sort_with_ties(shape, k, axis, dtype, is_max):
    x = RNG.integers(0, 4, shape).astype(dtype)  # many ties: the lower index comes first
    fn = tf.math.approx_max_k if is_max else tf.math.approx_min_k
    out = fn(x, k, reduction_dimension=axis)
    ev, ei = _ref(x, k, axis, is_max)
    assert type(out).__name__ == "ApproxTopK" and out._fields == ("values", "indices")
    assert out.values.dtype == tf.as_dtype(dtype) and out.indices.dtype == tf.int32
    np.testing.assert_array_equal(out.values.numpy().astype(np.float32), ev.astype(np.float32))
    np.testing.assert_array_equal(out.indices.numpy(), ei)


def test_hand_checked_examples_and_aliases():
    x = tf.constant([[1.0, 9.0, 3.0, 9.0, -2.0], [0.5, -1.0, 0.5, 7.0, 0.5]])
    v, i = tf.nn.approx_max_k(x, 2)
    np.testing.assert_array_equal(v.numpy(), [[9, 9], [7, 0.5]])
    np.testing.assert_array_equal(i.numpy(), [[1, 3], [3, 0]])
    v, i = tf.nn.approx_min_k(x, 3)
    np.testing.assert_array_equal(v.numpy(), [[-2, 1, 3], [-1, 0.5, 0.5]])
    np.testing.assert_array_equal(i.numpy(), [[4, 0, 2], [1, 0, 2]])
    v, i = tf.math.approx_max_k(x, 1, reduction_dimension=0)
    np.testing.assert_array_equal(i.numpy(), [[0, 0, 0, 0, 1]])
    assert tf.nn.approx_max_k is tf.math.approx_max_k
    raw = tf.approx_top_k(x, 2, is_max_k=False)
    np.testing.assert_array_equal(raw.indices.numpy(), [[4, 0], [1, 0]])


@pytest.mark.parametrize(
    "shape,k,recall,override,want",
    [
        ((2, 100), 5, 0.95, -1, 100),  # n <= 128 (rank 2): everything, sorted
        ((2, 300), 5, 0.95, -1, 256),  # m = 128 windows -> 2 x 128
        ((3000,), 5, 0.95, -1, 2048),  # rank 1 tiles by 1024
        ((2, 300), 1, 0.95, -1, 128),  # k == 1: one tile
        ((2, 300), 5, 1.0, -1, 300),  # exact recall: no reduction
        ((2, 1000), 10, 0.9, -1, 256),  # m = 128: 1000 // 128 = 7 -> 2 halvings of 8 tiles
        ((2, 1000), 10, 0.9, 4000, 128),  # logical 4000: capped at log2_ceil(1000 // 128)
    ],
)
def test_unaggregated_output_size_is_xlas(shape, k, recall, override, want):
    x = RNG.standard_normal(shape).astype(np.float32)
    v, i = tf.math.approx_max_k(x, k, recall_target=recall, aggregate_to_topk=False,
                                reduction_input_size_override=override)  # fmt: skip
    assert v.shape[-1] == want
    ev, ei = _ref(x, want, -1, True)
    np.testing.assert_array_equal(v.numpy(), ev)
    np.testing.assert_array_equal(i.numpy(), ei)


def test_fixture_like_case_and_static_shape_in_function():
    x = RNG.standard_normal((2, 6)).astype(np.float32)

    @tf.function
    def f(t):
        out = tf.math.approx_max_k(t, 2)
        assert out.values.shape.as_list() == [2, 2]
        return out

    v, i = f(tf.constant(x))
    ev, ei = _ref(x, 2, -1, True)
    np.testing.assert_array_equal(v.numpy(), ev)
    np.testing.assert_array_equal(i.numpy(), ei)


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: tf.math.approx_max_k(np.zeros((2, 3)), 1), "attr 'T' of double"),
        (lambda: tf.math.approx_max_k(np.zeros((2, 3), np.int32), 1), "attr 'T' of int32"),
        (lambda: tf.math.approx_max_k(np.zeros((2, 3), np.float32), 4), "dimension >= k = 4"),
        (lambda: tf.math.approx_max_k(np.zeros((2, 3), np.float32), 1, reduction_dimension=2),
         r"reduction_dim should range in \[0,2\)"),
        (lambda: tf.math.approx_max_k(np.float32(1.0), 1), "rank 1"),
        (lambda: tf.math.approx_max_k(np.zeros((1, 300), np.float32), 2, recall_target=1.5,
                                      aggregate_to_topk=False), r"range in \(0,1\]"),
        (lambda: tf.math.approx_max_k(np.zeros((1, 300), np.float32), 2,
                                      reduction_input_size_override=10,
                                      aggregate_to_topk=False), "should be greater equals"),
    ],
)  # fmt: skip
def test_errors(call, match):
    with pytest.raises(errors.InvalidArgumentError, match=match):
        call()


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_gradient_scatters_to_the_chosen_indices(axis):
    x = tf.constant(RNG.permutation(24).reshape(2, 3, 4).astype(np.float32))
    dy = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = tf.math.approx_min_k(x, 2, reduction_dimension=axis)
        dy_k = tf.constant(np.take(dy, range(2), axis=axis))
        loss = tf.reduce_sum(out.values * dy_k)
    g = tape.gradient(loss, x).numpy()
    want = np.zeros_like(dy)
    idx = out.indices.numpy()
    np.put_along_axis(want, idx, dy_k.numpy(), axis=axis)
    np.testing.assert_array_equal(g, want)


def test_gradient_numerically():
    x = tf.constant(RNG.permutation(12).reshape(3, 4).astype(np.float32) * 0.5)
    theoretical, numerical = tf.test.compute_gradient(
        lambda t: tf.math.approx_max_k(t, 2, reduction_dimension=0).values, [x], delta=1e-2
    )
    np.testing.assert_allclose(theoretical[0], numerical[0], atol=1e-2)


def test_docstring_examples():
    import doctest

    assert doctest.testmod(approx_topk_ops, extraglobs={"tf": tf}).failed == 0
