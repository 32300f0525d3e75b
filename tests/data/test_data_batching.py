"""tf.data batching: batch, padded_batch, ragged_batch, sparse_batch, unbatch, rebatch, window,
group_by_window, bucket_by_sequence_length."""

import numpy as np
import pytest

import tensorlet as tf

D = tf.data.Dataset


def lists(ds):
    return [np.asarray(v).tolist() for v in ds.as_numpy_iterator()]


def fill(x):
    return tf.fill([x], x)


# ----------------------------------------------------------------------------------- batch


@pytest.mark.parametrize(
    "make",
    [
        lambda: D.range(10),
        lambda: D.range(10).map(lambda x: x),
        lambda: D.from_tensor_slices(np.arange(10)),
    ],
)
@pytest.mark.parametrize(
    "drop, expected",
    [
        (False, [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]),
        (True, [[0, 1, 2], [3, 4, 5], [6, 7, 8]]),
    ],
)
def test_batch(make, drop, expected):
    ds = make().batch(3, drop_remainder=drop)
    assert lists(ds) == expected  # the from_tensor_slices fast path gives the same batches
    assert int(ds.cardinality()) == len(expected)
    assert ds.element_spec.shape.as_list() == [3 if drop else None]


def test_batch_structures_and_errors():
    ds = D.from_tensor_slices(({"a": [1, 2, 3]}, ["x", "y", "z"])).batch(2)
    first = next(iter(ds))
    assert first[0]["a"].numpy().tolist() == [1, 2] and first[1].numpy().tolist() == [b"x", b"y"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Batch size must be greater"):
        D.range(4).batch(0)
    bad = D.range(1, 3).map(fill).batch(2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot batch tensors with different"):
        lists(bad)
    assert type(D.range(3).batch(2, num_parallel_calls=2)).__name__ == "_ParallelBatchDataset"
    assert lists(D.range(3).repeat(2).batch(4)) == [[0, 1, 2, 0], [1, 2]]


def test_batch_of_ragged_elements():
    ds = D.from_tensor_slices(tf.ragged.constant([[1], [2, 3], [4]])).batch(2)
    first = next(iter(ds))
    assert isinstance(first, tf.RaggedTensor) and first.to_list() == [[1], [2, 3]]


# ---------------------------------------------------------------------------- padded_batch


def test_padded_batch():
    ds = D.range(1, 6).map(fill).padded_batch(2)
    assert lists(ds) == [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]], [[5, 5, 5, 5, 5]]]
    ds = (
        D.range(1, 5)
        .map(fill)
        .padded_batch(2, padded_shapes=[5], padding_values=tf.constant(-1, tf.int64))
    )
    assert lists(ds)[0] == [[1, -1, -1, -1, -1], [2, 2, -1, -1, -1]]
    assert ds.element_spec == tf.TensorSpec([None, 5], tf.int64)
    ds = D.range(1, 6).map(fill).padded_batch(2, drop_remainder=True)
    assert len(lists(ds)) == 2 and ds.element_spec.shape.as_list() == [2, None]


def test_padded_batch_tuples_and_errors():
    ds = D.range(1, 3).map(lambda x: (fill(x), tf.strings.as_string(x)))
    out = next(iter(ds.padded_batch(2, padding_values=(tf.constant(9, tf.int64), "?"))))
    assert out[0].numpy().tolist() == [[1, 9], [2, 2]] and out[1].numpy().tolist() == [b"1", b"2"]
    scalars = D.from_generator(lambda: range(3), output_types=tf.int32)
    with pytest.raises(TypeError, match="If shallow structure is a sequence"):
        scalars.padded_batch(2, padded_shapes=([None], []), padding_values=(0.0, 0))
    with pytest.raises(ValueError, match="unknown rank"):
        scalars.padded_batch(2)
    with pytest.raises(ValueError, match="is not compatible with the shape"):
        D.from_tensors([1, 2, 3]).padded_batch(1, padded_shapes=[2])
    small = D.range(1, 4).map(fill).padded_batch(3, padded_shapes=[2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="pad to a smaller size"):
        lists(small)
    with pytest.raises(TypeError, match="does not match type"):
        D.from_tensors([1]).padded_batch(1, padding_values=0.5)


# ------------------------------------------------------------------------ ragged / sparse


def test_ragged_batch_and_unbatch():
    ds = D.range(1, 5).map(lambda x: tf.range(x)).ragged_batch(2)
    out = list(ds)
    assert all(isinstance(r, tf.RaggedTensor) for r in out)
    assert [r.to_list() for r in out] == [[[0], [0, 1]], [[0, 1, 2], [0, 1, 2, 3]]]
    assert isinstance(ds.element_spec, tf.RaggedTensorSpec)
    back = [v.tolist() for v in ds.unbatch().as_numpy_iterator()]
    assert back == [[0], [0, 1], [0, 1, 2], [0, 1, 2, 3]]
    dense = D.from_tensors([1, 2]).repeat(3).ragged_batch(2)
    assert dense.element_spec == tf.TensorSpec([None, 2], tf.int32)  # fixed shapes stay dense


def test_sparse_batch():
    ds = D.range(1, 3).map(fill).sparse_batch(2, [3])
    sp = next(iter(ds))
    assert sp.dense_shape.numpy().tolist() == [2, 3]
    assert tf.sparse.to_dense(sp).numpy().tolist() == [[1, 0, 0], [2, 2, 0]]


def test_unbatch_and_rebatch():
    assert lists(D.from_tensor_slices([[1, 2], [3, 4]]).unbatch()) == [1, 2, 3, 4]
    ds = D.range(10).batch(4)
    assert int(ds.unbatch().cardinality()) == -2
    assert int(D.range(8).batch(4, drop_remainder=True).unbatch().cardinality()) == 8
    assert lists(ds.rebatch(3)) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert lists(ds.rebatch([1, 2])) == [[0], [1, 2], [3], [4, 5], [6], [7, 8], [9]]
    assert lists(ds.rebatch(3, drop_remainder=True)) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    with pytest.raises(ValueError, match="scalar components"):
        D.range(3).unbatch()


# ---------------------------------------------------------------------------------- window


@pytest.mark.parametrize(
    "n, kwargs, expected",
    [
        (7, dict(size=3, shift=2), [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6]]),
        (7, dict(size=3, shift=2, drop_remainder=True), [[0, 1, 2], [2, 3, 4], [4, 5, 6]]),
        (
            8,
            dict(size=3, shift=1, stride=2, drop_remainder=True),
            [[0, 2, 4], [1, 3, 5], [2, 4, 6], [3, 5, 7]],
        ),
        (5, dict(size=2), [[0, 1], [2, 3], [4]]),
        (3, dict(size=5, drop_remainder=True), []),
    ],
)
def test_window(n, kwargs, expected):
    ds = D.range(n).window(**kwargs)
    assert int(ds.cardinality()) == len(expected)
    assert lists(ds.flat_map(lambda w: w.batch(10))) == expected


def test_window_structure_and_spec():
    ds = D.from_tensor_slices(([1, 2, 3], ["a", "b", "c"])).window(2)
    assert repr(ds.element_spec[0]) == (
        "DatasetSpec(TensorSpec(shape=(), dtype=tf.int32, name=None), TensorShape([]))"
    )
    a, b = next(iter(ds))
    assert list(a.as_numpy_iterator()) == [1, 2] and list(b.as_numpy_iterator()) == [b"a", b"b"]
    flat = D.range(7).window(3, shift=2).flat_map(lambda w: w.batch(3))
    assert flat.element_spec == tf.TensorSpec([None], tf.int64)
    with pytest.raises(TypeError, match="not supported for datasets that produce"):
        D.range(3).window(2).as_numpy_iterator()
    with pytest.raises(tf.errors.InvalidArgumentError, match="Window shift must be greater"):
        D.range(3).window(2, shift=0)


# -------------------------------------------------------------------------- group / bucket


def test_group_by_window_flushes_in_key_order():
    ds = D.range(10).group_by_window(
        key_func=lambda x: x % 2, reduce_func=lambda k, w: w.batch(3), window_size=3
    )
    assert lists(ds) == [[0, 2, 4], [1, 3, 5], [6, 8], [7, 9]]
    assert ds.element_spec == tf.TensorSpec([None], tf.int64)
    with pytest.raises(ValueError, match="must be specified"):
        D.range(3).group_by_window(lambda x: x, lambda k, w: w)


def test_bucket_by_sequence_length():
    seqs = [[1], [2, 2], [3, 3, 3], [4], [5, 5, 5, 5, 5], [6, 6]]
    ds = D.from_generator(lambda: seqs, output_signature=tf.TensorSpec([None], tf.int32))
    out = ds.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [2, 4], [2, 2, 2])
    assert lists(out) == [[[2, 2, 0], [3, 3, 3]], [[1], [4]], [[6, 6]], [[5, 5, 5, 5, 5]]]
    padded = D.from_generator(lambda: seqs[:4], output_signature=tf.TensorSpec([None], tf.int32))
    padded = padded.bucket_by_sequence_length(
        lambda x: tf.shape(x)[0], [3], [2, 2], pad_to_bucket_boundary=True
    )
    it = iter(padded)
    assert next(it).numpy().tolist() == [[1, 0], [2, 2]]
    with pytest.raises(tf.errors.InternalError, match="pad_to_bucket_boundary=True"):
        list(it)
    with pytest.raises(ValueError, match="must equal `len"):
        ds.bucket_by_sequence_length(len, [2], [1])


def test_shuffled_slices_fast_path_matches_element_path():
    x = np.arange(40).reshape(20, 2)
    fast = D.from_tensor_slices((x, np.arange(20))).shuffle(7, seed=3).batch(4)
    slow = D.from_tensor_slices((x, np.arange(20))).shuffle(7, seed=3).map(lambda a, b: (a, b))
    slow = slow.batch(4)
    for (a1, b1), (a2, b2) in zip(fast.as_numpy_iterator(), slow.as_numpy_iterator()):
        assert a1.tolist() == a2.tolist() and b1.tolist() == b2.tolist()
    assert sum(len(b) for _, b in fast.as_numpy_iterator()) == 20


def test_sparse_slices_batch_and_unbatch():
    sp = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[2, 3])
    ds = D.from_tensor_slices(sp)
    assert ds.element_spec == tf.SparseTensorSpec([3], tf.int32)
    rows = [tf.sparse.to_dense(r).numpy().tolist() for r in ds]
    assert rows == [[1, 0, 0], [0, 0, 2]]
    batched = next(iter(ds.batch(2)))
    assert tf.sparse.to_dense(batched).numpy().tolist() == [[1, 0, 0], [0, 0, 2]]
    value = list(ds.batch(2).unbatch().as_numpy_iterator())[1]
    assert value.indices.tolist() == [[2]] and value.dense_shape.tolist() == [3]


def test_batched_ragged_rows_keep_the_specs_row_splits_dtype():
    ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1, 2], [3], [4, 5, 6]])).batch(2)
    assert ds.element_spec.row_splits_dtype == tf.int64
    for batch in ds:
        assert batch.row_splits.dtype == tf.int64
    assert [b.to_list() for b in ds] == [[[1, 2], [3]], [[4, 5, 6]]]


def test_out_of_range_inside_a_map_function_is_invalid_argument():
    def fn(x):
        raise tf.errors.OutOfRangeError(None, None, "boom")

    ds = tf.data.Dataset.range(3).map(fn)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Function invocation produced OutOfRangeError: boom"):
        list(ds)
