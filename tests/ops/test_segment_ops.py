"""Segment reductions, bincount and histograms: forward vs NumPy, TF's empty-segment values,
errors and gradients."""

import numpy as np
import pytest

import tensorlet as tf

RNG = np.random.default_rng(2)
DATA = RNG.standard_normal((6, 2))
IDS = np.array([0, 0, 1, 3, 3, 3], np.int32)  # segment 2 is empty
UIDS = np.array([2, 0, 2, -1, 4, 0], np.int32)  # -1 dropped; segments 1 and 3 empty


def _ref_segments(data, ids, n, reduce, empty):
    out = np.full((n,) + data.shape[1:], empty, data.dtype)
    for s in range(n):
        rows = data[ids == s]
        if len(rows):
            out[s] = reduce(rows, axis=0)
    return out


def _trunc_mean(rows, axis):
    s = rows.sum(axis=axis)
    return np.sign(s) * (np.abs(s) // len(rows)) if rows.dtype.kind in "iu" else s / len(rows)


SORTED = [
    (tf.math.segment_sum, np.sum, 0),
    (tf.math.segment_mean, _trunc_mean, 0),
    (tf.math.segment_max, np.max, 0),
    (tf.math.segment_min, np.min, 0),
    (tf.math.segment_prod, np.prod, 1),
]


@pytest.mark.parametrize("fn,reduce,empty", SORTED, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_sorted_segment_ops(fn, reduce, empty, dtype):
    data = (DATA * 3).astype(dtype)
    out = fn(tf.constant(data), tf.constant(IDS))
    assert out.dtype == tf.as_dtype(dtype)
    np.testing.assert_allclose(out.numpy(), _ref_segments(data, IDS, 4, reduce, empty), rtol=1e-6)


def _lowest(d):
    return np.iinfo(d).min if np.dtype(d).kind in "iu" else np.finfo(d).min


def _highest(d):
    return np.iinfo(d).max if np.dtype(d).kind in "iu" else np.finfo(d).max


UNSORTED = [
    (tf.math.unsorted_segment_sum, np.sum, lambda d: 0),
    (tf.math.unsorted_segment_max, np.max, _lowest),
    (tf.math.unsorted_segment_min, np.min, _highest),
    (tf.math.unsorted_segment_prod, np.prod, lambda d: 1),
]


@pytest.mark.parametrize("fn,reduce,empty", UNSORTED, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("dtype", [np.float32, np.int32])
def test_unsorted_segment_ops(fn, reduce, empty, dtype):
    data = (DATA * 3).astype(dtype)
    out = fn(tf.constant(data), tf.constant(UIDS), num_segments=5)
    np.testing.assert_allclose(
        out.numpy(), _ref_segments(data, UIDS, 5, reduce, empty(dtype)), rtol=1e-6
    )


def test_unsorted_segment_mean_and_sqrt_n():
    counts = np.maximum(np.bincount(UIDS[UIDS >= 0], minlength=5), 1)[:, None]
    sums = _ref_segments(DATA, UIDS, 5, np.sum, 0)
    np.testing.assert_allclose(tf.math.unsorted_segment_mean(DATA, UIDS, 5).numpy(), sums / counts)
    np.testing.assert_allclose(
        tf.math.unsorted_segment_sqrt_n(DATA, UIDS, 5).numpy(), sums / np.sqrt(counts)
    )
    ints = tf.math.unsorted_segment_mean(np.arange(6, dtype=np.int32) - 2, UIDS, 5)
    assert ints.dtype == tf.float64 and ints.numpy().tolist() == [1.0, 0.0, -1.0, 0.0, 2.0]


def test_unsorted_segment_sum_multi_dim_ids():
    data = RNG.standard_normal((2, 3))
    ids = np.array([[0, 1, 0], [2, 2, 1]], np.int32)
    out = tf.math.unsorted_segment_sum(data, ids, num_segments=3)
    np.testing.assert_allclose(out.numpy(), [data[ids == s].sum() for s in range(3)])


@pytest.mark.parametrize(
    "fn,scale",
    [
        (tf.sparse.segment_sum, lambda c: 1.0),
        (tf.sparse.segment_mean, lambda c: 1.0 / c),
        (tf.sparse.segment_sqrt_n, lambda c: 1.0 / np.sqrt(c)),
    ],
    ids=["sum", "mean", "sqrt_n"],
)
def test_sparse_segment_ops(fn, scale):
    data = RNG.standard_normal((4, 2))
    indices, ids = np.array([0, 2, 2, 3], np.int32), np.array([0, 0, 2, 2], np.int32)
    expected = np.zeros((3, 2))
    for s in (0, 2):
        rows = data[indices[ids == s]]
        expected[s] = rows.sum(0) * scale(len(rows))
    np.testing.assert_allclose(fn(data, indices, ids).numpy(), expected)
    assert fn(data, indices, ids, num_segments=5).shape == [5, 2]


@pytest.mark.parametrize(
    "call",
    [
        lambda: tf.math.segment_sum(DATA, [1, 0, 1, 2, 2, 2]),  # not sorted
        lambda: tf.math.segment_sum(DATA, [0, 0, 1]),  # wrong length
        lambda: tf.math.unsorted_segment_sum(
            DATA[:3, 0], [0, 1, 5], num_segments=2
        ),  # id too large
        lambda: tf.math.segment_max(tf.constant([True, False]), [0, 0]),  # bool data
        lambda: tf.math.unsorted_segment_sqrt_n(tf.constant([1, 2]), [0, 0], 1),  # Sqrt of int
        lambda: tf.math.bincount(tf.constant([1, -1])),  # negative
        lambda: tf.sparse.segment_sum(DATA, [0, 9], [0, 0]),  # bad index
    ],
)
def test_errors_are_invalid_argument(call):
    with pytest.raises(tf.errors.InvalidArgumentError):
        call()


def test_error_messages():
    with pytest.raises(tf.errors.InvalidArgumentError, match="segment ids are not increasing"):
        tf.math.segment_sum(DATA, [1, 0, 1, 2, 2, 2])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"segment_ids\[2\] = 5 is out of range"
    ):
        tf.math.unsorted_segment_sum(DATA[:3, 0], [0, 1, 5], num_segments=2)


BC = np.array([1, 1, 3, 0, 5, 1], np.int32)


@pytest.mark.parametrize(
    "kwargs,expected,dtype",
    [
        ({}, [1, 3, 0, 1, 0, 1], tf.int32),
        ({"minlength": 8}, [1, 3, 0, 1, 0, 1, 0, 0], tf.int32),
        ({"maxlength": 3}, [1, 3, 0], tf.int32),
        ({"weights": np.array([0.5, 1, 2, 3, 4, 5], np.float32)}, [3, 6.5, 0, 2, 0, 4], tf.float32),
        ({"dtype": tf.float32}, [1, 3, 0, 1, 0, 1], tf.float32),
        ({"binary_output": True}, [1, 1, 0, 1, 0, 1], tf.int32),
    ],
)
def test_bincount(kwargs, expected, dtype):
    out = tf.math.bincount(BC, **kwargs)
    assert out.dtype == dtype and out.numpy().tolist() == expected


def test_bincount_axes_empty_and_int64():
    x = np.array([[0, 1, 1], [2, 2, 0]], np.int32)
    assert tf.math.bincount(x, axis=-1).numpy().tolist() == [[1, 2, 0], [1, 0, 2]]
    assert tf.math.bincount(x).numpy().tolist() == [2, 2, 2]
    assert tf.math.bincount(np.zeros((0,), np.int32)).shape == [0]
    assert tf.math.bincount(np.array([1, 2], np.int64)).dtype == tf.int32
    with pytest.raises(ValueError):
        tf.math.bincount(BC, weights=BC, binary_output=True)


def test_histograms():
    x = np.array([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0, 4.99], np.float32)
    assert tf.histogram_fixed_width(x, [0.0, 5.0], nbins=5).numpy().tolist() == [2, 1, 1, 0, 3]
    bins = tf.histogram_fixed_width_bins(x, [0.0, 5.0], nbins=5)
    assert bins.dtype == tf.int32 and bins.numpy().tolist() == [0, 0, 1, 2, 4, 4, 4]


# ---------------------------------------------------------------- gradients


def check_grad(f, x, eps=1e-6):
    """VJP against a central-difference JVP on a random direction, in float64."""
    x = np.asarray(x, np.float64)
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = f(t)
    u = RNG.standard_normal(y.shape)
    u[~(np.abs(y.numpy()) < 1e30)] = 0  # -inf / lowest-value outputs (empty segments, exclusive)
    g = tape.gradient(y, t, output_gradients=tf.constant(u)).numpy()
    v = RNG.standard_normal(x.shape)
    fu = lambda z: np.sum(np.where(u == 0, 0, f(tf.constant(z)).numpy() * u))
    numeric = (fu(x + eps * v) - fu(x - eps * v)) / (2 * eps)
    np.testing.assert_allclose(np.sum(g * v), numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize(
    "f",
    [
        lambda t: tf.math.segment_sum(t, IDS),
        lambda t: tf.math.segment_mean(t, IDS),
        lambda t: tf.math.segment_max(t, IDS),
        lambda t: tf.math.segment_min(t, IDS),
        lambda t: tf.math.segment_prod(t, IDS),
        lambda t: tf.math.unsorted_segment_sum(t, UIDS, 5),
        lambda t: tf.math.unsorted_segment_max(t, UIDS, 5),
        lambda t: tf.math.unsorted_segment_min(t, UIDS, 5),
        lambda t: tf.math.unsorted_segment_prod(t, UIDS, 5),
        lambda t: tf.math.unsorted_segment_mean(t, UIDS, 5),
        lambda t: tf.math.unsorted_segment_sqrt_n(t, UIDS, 5),
        lambda t: tf.sparse.segment_sum(t, [0, 2, 2, 3], [0, 0, 1, 1]),
        lambda t: tf.sparse.segment_mean(t, [0, 2, 2, 3], [0, 0, 2, 2]),
        lambda t: tf.sparse.segment_sqrt_n(t, [0, 1, 2, 3], [0, 0, 0, 1]),
    ],
)
def test_segment_gradients(f):
    check_grad(f, DATA)


def test_segment_max_gradient_split_among_ties():
    t = tf.constant([1.0, 3.0, 3.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = tf.math.unsorted_segment_max(t, [0, 0, 0, 1], num_segments=2)
    np.testing.assert_allclose(tape.gradient(y, t).numpy(), [0, 0.5, 0.5, 1])


def test_segment_prod_gradient_with_zeros():
    t = tf.constant([0.0, 2.0, 0.0, 0.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = tf.math.segment_prod(t, [0, 0, 1, 1, 1])
    np.testing.assert_allclose(tape.gradient(y, t).numpy(), [2, 0, 0, 0, 0])


def test_bincount_has_no_gradient():
    w = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(w)
        y = tf.math.bincount([0, 1], weights=w)
    with pytest.raises(LookupError, match="DenseBincount"):
        tape.gradient(y, w)


def test_docstring_examples():
    import doctest

    from tensorlet.ops import segment_ops

    assert doctest.testmod(segment_ops, extraglobs={"tf": tf}).failed == 0


def test_large_unsorted_segment_sum_path_matches_add_at():
    """Large float inputs take the bincount path: float64 equals np.add.at exactly, float32 is
    within float32 rounding; negative ids are dropped; inner dimensions are kept."""
    rng = np.random.default_rng(3)
    ids = rng.integers(-1, 50, 40000)
    for dtype, exact in ((np.float64, True), (np.float32, False)):
        data = rng.standard_normal((40000, 2, 2)).astype(dtype)
        got = tf.math.unsorted_segment_sum(data, ids, 50).numpy()
        want = np.zeros((50, 2, 2), dtype)
        np.add.at(want, ids[ids >= 0], data[ids >= 0])
        assert got.dtype == dtype and got.shape == (50, 2, 2)
        if exact:
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
