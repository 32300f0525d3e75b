"""top_k / in_top_k / sort / argsort / unique: forward vs NumPy, TF's NaN and tie behaviour,
errors and gradients."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.ops import sort_ops

RNG = np.random.default_rng(1)
NAN, INF = np.nan, np.inf


def _ref_top_k(x, k):
    """Stable descending order: value descending, ties by lower index."""
    idx = np.argsort(_descending_key(x), axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, idx, -1), idx


@pytest.mark.parametrize(
    "shape,k",
    [((5,), 2), ((3, 6), 1), ((3, 6), 3), ((3, 6), 6), ((2, 2, 4), 2), ((4, 0), 0), ((0, 3), 2)],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64, np.uint8])
def test_top_k_matches_stable_descending_sort(shape, k, dtype):
    x = RNG.integers(0, 4, shape).astype(dtype)  # many ties
    values, indices = tf.math.top_k(tf.constant(x), k=k)
    ev, ei = _ref_top_k(x, k)
    assert values.dtype == tf.as_dtype(dtype) and indices.dtype == tf.int32
    np.testing.assert_array_equal(values.numpy(), ev)
    np.testing.assert_array_equal(indices.numpy(), ei)


def test_top_k_namedtuple_aliases_and_index_type():
    out = tf.nn.top_k([1.0, 4.0, 2.0, 4.0], 2)
    assert type(out).__name__ == "TopKV2" and out.indices.numpy().tolist() == [1, 3]
    assert tf.math.top_k([1.0, 2.0], 1, index_type=tf.int64).indices.dtype == tf.int64


TK = np.array([[1, 5, 3, 5, 2], [NAN, 1, 2, 3, INF], [0, -0.0, 0, -1, -INF]], np.float32)


@pytest.mark.parametrize(
    "k,values,indices",
    [  # recorded from TF's CPU kernel
        (1, [[5], [INF], [0]], [[1], [4], [0]]),
        (2, [[5, 5], [NAN, INF], [0, -0.0]], [[1, 3], [0, 4], [0, 1]]),
        (
            5,
            [[5, 5, 3, 2, 1], [NAN, INF, 3, 2, 1], [0, -0.0, 0, -1, -INF]],
            [[1, 3, 2, 4, 0], [0, 4, 3, 2, 1], [0, 1, 2, 3, 4]],
        ),
    ],
)
def test_top_k_nan_rows_follow_tfs_kernel(k, values, indices):
    out = tf.math.top_k(TK, k=k)
    np.testing.assert_array_equal(out.values.numpy(), np.array(values, np.float32))
    np.testing.assert_array_equal(out.indices.numpy(), indices)


def test_top_k_unsorted_is_heap_order():
    x = np.array(
        [[-0.58, -1.53, -0.14, -1.39, -0.62, 1.68], [-1.45, -0.64, -0.35, 0.83, 0.07, 0.67]],
        np.float32,
    )
    out = tf.math.top_k(x, k=3, sorted=False)
    assert out.indices.numpy().tolist() == [[0, 2, 5], [4, 3, 5]]


def test_cpp_sort_replay_agrees_with_a_stable_sort_without_nan():
    for n in (3, 17, 40, 100):
        for k in (2, n // 2, n):
            v = RNG.integers(0, 5, n).astype(float).tolist()
            got = sort_ops._tf_top_k_row(v, k, True)
            assert got == _ref_top_k(np.array(v), k)[1].tolist()


@pytest.mark.parametrize(
    "call,error",
    [
        (lambda: tf.math.top_k(TK, k=6), tf.errors.InvalidArgumentError),
        (lambda: tf.math.top_k(TK, k=-1), tf.errors.InvalidArgumentError),
        (lambda: tf.math.top_k(tf.constant(1.0), k=1), tf.errors.InvalidArgumentError),
        (lambda: tf.math.top_k(tf.constant([True, False]), k=1), tf.errors.InvalidArgumentError),
        (lambda: tf.sort([3.0, 1.0], direction="UP"), ValueError),
        (lambda: tf.unique(tf.constant([[1, 2], [1, 2]])), tf.errors.InvalidArgumentError),
    ],
)
def test_errors(call, error):
    with pytest.raises(error):
        call()


def test_top_k_error_message():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Had 5, needed 6"):
        tf.math.top_k(TK, k=6)


def test_in_top_k():
    pred = np.array(
        [[0.1, 0.5, 0.5, 0.2], [0.3, 0.1, 0.3, 0.3], [NAN, 0.1, 0.2, 0.3], [0.1, 0.2, 0.3, 0.4]],
        np.float32,
    )
    out = tf.math.in_top_k(tf.constant([1, 3, 0, 7]), pred, k=2)
    assert out.dtype == tf.bool and out.numpy().tolist() == [True, True, False, False]
    assert tf.nn.in_top_k is tf.math.in_top_k


S = np.array([[3, 1, NAN, 2, -INF], [0, -0.0, 1, 1, 0]], np.float32)


@pytest.mark.parametrize(
    "direction,values,indices",
    [
        (
            "ASCENDING",
            [[-INF, 1, 3, NAN, 2], [0, -0.0, 0, 1, 1]],
            [[4, 1, 0, 2, 3], [0, 1, 4, 2, 3]],
        ),
        (
            "DESCENDING",
            [[3, 1, NAN, 2, -INF], [1, 1, 0, -0.0, 0]],
            [[0, 1, 2, 3, 4], [2, 3, 0, 1, 4]],
        ),
    ],
)
def test_sort_with_nan_and_signed_zero_like_tf(direction, values, indices):
    np.testing.assert_array_equal(
        tf.sort(S, direction=direction).numpy(), np.array(values, np.float32)
    )
    out = tf.argsort(S, direction=direction)
    assert out.dtype == tf.int32 and out.numpy().tolist() == indices


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64, np.uint8, np.int8])
@pytest.mark.parametrize("axis", [-1, 0, 1])
@pytest.mark.parametrize("direction", ["ASCENDING", "DESCENDING"])
def test_sort_argsort_match_numpy_stable(dtype, axis, direction):
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
    x = RNG.integers(0, 5, (3, 4, 5)).astype(dtype)
    if info is not None:
        x.flat[0], x.flat[1] = info.min, info.max
    key = x if direction == "ASCENDING" else _descending_key(x)
    idx = np.argsort(key, axis=axis, kind="stable")
    np.testing.assert_array_equal(tf.argsort(x, axis=axis, direction=direction).numpy(), idx)
    np.testing.assert_array_equal(
        tf.sort(x, axis=axis, direction=direction).numpy(), np.take_along_axis(x, idx, axis)
    )


def _descending_key(x):
    """-rank of each value: a key whose stable ascending sort is the stable descending sort."""
    return -np.unique(x.ravel(), return_inverse=True)[1].reshape(x.shape).astype(np.int64)


def test_sort_string_raises_from_neg():
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.sort(tf.constant(["b", "a"]))


@pytest.mark.parametrize(
    "x,y,idx",
    [
        ([3, 1, 3, 2, 1, 7], [3, 1, 2, 7], [0, 1, 0, 2, 1, 3]),
        ([], [], []),
        ([NAN, 0.0, -0.0, NAN, 1.0], [NAN, 0.0, NAN, 1.0], [0, 1, 1, 2, 3]),
    ],
)
def test_unique(x, y, idx):
    dtype = np.float32 if any(isinstance(v, float) for v in x) else np.int32
    out = tf.unique(tf.constant(np.array(x, dtype)))
    assert type(out).__name__ == "Unique"
    np.testing.assert_array_equal(out.y.numpy(), np.array(y, dtype))
    assert out.idx.dtype == tf.int32 and out.idx.numpy().tolist() == idx


def test_unique_strings_out_idx_and_counts():
    out = tf.unique(tf.constant(["b", "a", "b"]), out_idx=tf.int64)
    assert out.y.numpy().tolist() == [b"b", b"a"] and out.idx.dtype == tf.int64
    y, idx, count = tf.unique_with_counts(tf.constant([3, 1, 3, 2, 1, 7]))
    assert y.numpy().tolist() == [3, 1, 2, 7] and idx.numpy().tolist() == [0, 1, 0, 2, 1, 3]
    assert count.numpy().tolist() == [2, 2, 1, 1] and count.dtype == tf.int32


def test_unique_has_no_gradient():
    x = tf.constant([1.0, 2.0, 1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.unique(x).y
    with pytest.raises(LookupError, match="no entry for: Unique"):
        tape.gradient(y, x)


# ---------------------------------------------------------------- gradients


def _vjp(f, x, up):
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = f(t)
    return tape.gradient(y, t, output_gradients=tf.constant(up)).numpy()


@pytest.mark.parametrize(
    "f,shape",
    [
        (lambda t: tf.math.top_k(t, 2).values, (3, 5)),
        (lambda t: tf.math.top_k(t, 1).values, (2, 2, 4)),
        (lambda t: tf.math.top_k(t, 3, sorted=False).values, (2, 6)),
        (lambda t: tf.sort(t), (2, 4)),
        (lambda t: tf.sort(t, axis=0, direction="DESCENDING"), (3, 2)),
    ],
)
def test_selection_gradients_scatter_upstream(f, shape):
    """d sum(up * f(x)) / dx puts each upstream entry on the selected element."""
    x = RNG.standard_normal(shape)
    y = f(tf.constant(x)).numpy()
    up = RNG.standard_normal(y.shape)
    g = _vjp(f, x, up)
    expected = np.zeros_like(x)
    for pos in np.ndindex(*y.shape):  # selected values are distinct, so locate them in x
        expected[np.nonzero(x == y[pos])] += up[pos]
    np.testing.assert_allclose(g, expected)


def test_docstring_examples():
    import doctest

    from tensorlet.ops import sort_ops

    assert doctest.testmod(sort_ops, extraglobs={"tf": tf}).failed == 0
