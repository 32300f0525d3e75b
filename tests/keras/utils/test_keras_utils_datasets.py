"""keras.utils.timeseries_dataset_from_array and keras.utils.split_dataset."""

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras


def test_timeseries_with_targets():
    ds = keras.utils.timeseries_dataset_from_array(
        np.arange(10),
        targets=np.arange(10) * 10,
        sequence_length=3,
        sequence_stride=2,
        batch_size=2,
    )
    out = [(a.tolist(), b.tolist()) for a, b in ds.as_numpy_iterator()]
    assert out == [([[0, 1, 2], [2, 3, 4]], [0, 20]), ([[4, 5, 6], [6, 7, 8]], [40, 60])]


def test_timeseries_sampling_rate_and_indices():
    ds = keras.utils.timeseries_dataset_from_array(
        np.arange(12), None, sequence_length=3, sampling_rate=2, batch_size=4
    )
    out = [a.tolist() for a in ds.as_numpy_iterator()]
    assert out[0] == [[0, 2, 4], [1, 3, 5], [2, 4, 6], [3, 5, 7]]
    assert out[1][-1] == [7, 9, 11]
    feats = np.arange(20, dtype=np.float32).reshape(10, 2)
    ds = keras.utils.timeseries_dataset_from_array(
        feats, None, 4, start_index=2, end_index=9, batch_size=None
    )
    first = next(iter(ds)).numpy()
    np.testing.assert_array_equal(first, feats[2:6])
    assert len(list(ds)) == 4


def test_timeseries_shuffle_and_errors():
    ds = keras.utils.timeseries_dataset_from_array(
        np.arange(50), None, 5, batch_size=8, shuffle=True, seed=3
    )
    starts = sorted(int(w[0]) for b in ds.as_numpy_iterator() for w in b)
    assert starts == list(range(46))
    with pytest.raises(ValueError, match="`sampling_rate` must be higher than 0"):
        keras.utils.timeseries_dataset_from_array(np.arange(5), None, 2, sampling_rate=0)
    with pytest.raises(ValueError, match="`start_index` must be lower"):
        keras.utils.timeseries_dataset_from_array(np.arange(5), None, 2, start_index=7)


def test_split_dataset():
    left, right = keras.utils.split_dataset(np.arange(10), left_size=0.3)
    assert list(left.as_numpy_iterator()) == [0, 1, 2]
    assert [type(v) for v in right.as_numpy_iterator()] == [np.int32] * 7
    x, y = np.arange(8).reshape(4, 2), np.arange(4)
    left, right = keras.utils.split_dataset((x, y), right_size=1)
    assert int(left.cardinality()) == 3
    ((rx, ry),) = list(right.as_numpy_iterator())
    assert rx.tolist() == [6, 7] and ry == 3
    batched = tf.data.Dataset.range(10).batch(2)
    left, _ = keras.utils.split_dataset(batched, left_size=4)
    assert [b.tolist() for b in left.as_numpy_iterator()] == [[0, 1], [2, 3]]
    with pytest.raises(ValueError, match="At least one of the `left_size`"):
        keras.utils.split_dataset(np.arange(3))
    with pytest.raises(TypeError, match="must be either"):
        keras.utils.split_dataset(3, left_size=1)


@pytest.mark.parametrize(
    "module", ["numerical_utils", "sequence_utils", "timeseries_dataset_utils", "dataset_utils"]
)
def test_docstring_examples(module):
    import doctest
    import importlib

    mod = importlib.import_module("tensorlet.keras.src.utils." + module)
    globs = {"tf": tf, "np": np, "keras": keras}
    assert doctest.testmod(mod, extraglobs=globs).failed == 0
