"""tf.RaggedTensor: factories, structure, conversions, indexing, operators, spec, gradients."""

import numpy as np
import pytest

import tensorlet as tf

RT = [[1, 2, 3], [4], [], [5, 6]]


def rt():
    return tf.ragged.constant(RT)


# ---------------------------------------------------------------- construction


@pytest.mark.parametrize(
    "make",
    [
        lambda: tf.RaggedTensor.from_row_splits([1, 2, 3, 4, 5, 6], [0, 3, 4, 4, 6]),
        lambda: tf.RaggedTensor.from_row_lengths([1, 2, 3, 4, 5, 6], [3, 1, 0, 2]),
        lambda: tf.RaggedTensor.from_value_rowids([1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 3, 3], nrows=4),
        lambda: tf.RaggedTensor.from_row_starts([1, 2, 3, 4, 5, 6], [0, 3, 4, 4]),
        lambda: tf.RaggedTensor.from_row_limits([1, 2, 3, 4, 5, 6], [3, 4, 4, 6]),
        lambda: tf.RaggedTensor.from_tensor(
            [[1, 2, 3], [4, 0, 0], [0, 0, 0], [5, 6, 0]], lengths=[3, 1, 0, 2]
        ),
        lambda: tf.RaggedTensor.from_tensor(
            [[1, 2, 3], [4, 0, 0], [0, 0, 0], [5, 6, 0]], padding=0
        ),
        lambda: tf.ragged.constant(RT),
    ],
)
def test_factories(make):
    x = make()
    assert x.to_list() == RT
    assert x.shape.as_list() == [4, None] and x.ragged_rank == 1
    assert x.dtype == tf.int32 and x.row_splits.dtype == tf.int64
    np.testing.assert_array_equal(x.row_splits.numpy(), [0, 3, 4, 4, 6])


def test_structure():
    x = rt()
    np.testing.assert_array_equal(x.row_lengths().numpy(), [3, 1, 0, 2])
    np.testing.assert_array_equal(x.value_rowids().numpy(), [0, 0, 0, 1, 3, 3])
    np.testing.assert_array_equal(x.row_starts().numpy(), [0, 3, 4, 4])
    np.testing.assert_array_equal(x.row_limits().numpy(), [3, 4, 4, 6])
    np.testing.assert_array_equal(x.bounding_shape().numpy(), [4, 3])
    assert int(x.nrows()) == 4 and x.nrows().dtype == tf.int64
    assert x.with_row_splits_dtype(tf.int32).row_splits.dtype == tf.int32


def test_nested():
    x = tf.ragged.constant([[[1, 2], [3]], [[4]], []])
    assert x.ragged_rank == 2 and x.shape.as_list() == [3, None, None]
    assert len(x.nested_row_splits) == 2
    np.testing.assert_array_equal(x.flat_values.numpy(), [1, 2, 3, 4])
    y = tf.RaggedTensor.from_nested_row_lengths([1, 2, 3, 4], [[2, 1, 0], [2, 1, 1]])
    assert y.to_list() == x.to_list()
    assert x.row_lengths(axis=2).to_list() == [[2, 1], [1], []]
    np.testing.assert_array_equal(x.bounding_shape().numpy(), [3, 2, 2])


def test_constant_inference():
    assert isinstance(tf.ragged.constant([1, 2]), tf.Tensor)
    x = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert x.shape.as_list() == [2, None, 2]
    assert tf.ragged.constant([[], []]).dtype == tf.float32
    assert tf.ragged.constant([["a"], ["b", "c"]]).to_list() == [[b"a"], [b"b", b"c"]]
    assert tf.ragged.constant([[1]], row_splits_dtype=tf.int32).row_splits.dtype == tf.int32
    with pytest.raises(ValueError, match="same nesting depth"):
        tf.ragged.constant([[1, [2]]])


@pytest.mark.parametrize(
    "call,cls",
    [
        (lambda: tf.RaggedTensor.from_row_splits([1, 2], [0, 3]), tf.errors.InvalidArgumentError),
        (lambda: tf.RaggedTensor.from_row_splits([1, 2], [1, 2]), tf.errors.InvalidArgumentError),
        (lambda: tf.RaggedTensor.from_row_lengths([1, 2], [1, 2]), tf.errors.InvalidArgumentError),
        (lambda: tf.RaggedTensor.from_value_rowids([1, 2], [1, 0]), tf.errors.InvalidArgumentError),
        (lambda: tf.RaggedTensor([1], [0, 1]), ValueError),
        (lambda: tf.RaggedTensor.from_row_splits([1.0], tf.constant([0.0, 1.0])), ValueError),
        (lambda: tf.RaggedTensor.from_tensor([[1]], lengths=[1], padding=0), ValueError),
    ],
)
def test_factory_errors(call, cls):
    with pytest.raises(cls):
        call()


# ---------------------------------------------------------------- conversions


def test_to_tensor_and_back():
    x = rt()
    np.testing.assert_array_equal(
        x.to_tensor().numpy(), [[1, 2, 3], [4, 0, 0], [0, 0, 0], [5, 6, 0]]
    )
    np.testing.assert_array_equal(
        x.to_tensor(default_value=-1, shape=[2, 2]).numpy(), [[1, 2], [4, -1]]
    )
    np.testing.assert_array_equal(x.to_tensor(shape=[None, 4]).numpy()[0], [1, 2, 3, 0])
    s = tf.ragged.constant([["a"], []]).to_tensor()
    assert s.numpy().tolist() == [[b"a"], [b""]]


def test_to_sparse_and_from_sparse():
    st = rt().to_sparse()
    np.testing.assert_array_equal(
        st.indices.numpy(), [[0, 0], [0, 1], [0, 2], [1, 0], [3, 0], [3, 1]]
    )
    np.testing.assert_array_equal(st.dense_shape.numpy(), [4, 3])
    assert tf.RaggedTensor.from_sparse(st).to_list() == RT
    with pytest.raises(tf.errors.InvalidArgumentError, match="right-ragged"):
        tf.RaggedTensor.from_sparse(tf.sparse.SparseTensor([[0, 1]], [1], [1, 2]))


def test_numpy_and_repr():
    x = rt()
    arr = x.numpy()
    assert arr.dtype == object and arr.shape == (4,)
    np.testing.assert_array_equal(arr[0], [1, 2, 3])
    assert repr(x) == str(x) == "<tf.RaggedTensor [[1, 2, 3], [4], [], [5, 6]]>"
    assert (
        repr(tf.ragged.constant([[1.5], [], [2.0, 3.0]]))
        == "<tf.RaggedTensor [[1.5], [], [2.0, 3.0]]>"
    )


def test_merge_dims():
    x = tf.ragged.constant([[[1, 2], [3]], [[4]], []])
    assert x.merge_dims(1, 2).to_list() == [[1, 2, 3], [4], []]
    assert x.merge_dims(0, 1).to_list() == [[1, 2], [3], [4]]
    np.testing.assert_array_equal(x.merge_dims(0, -1).numpy(), [1, 2, 3, 4])
    y = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert y.merge_dims(1, 2).to_list() == [[1, 2, 3, 4], [5, 6]]


# ---------------------------------------------------------------- indexing


@pytest.mark.parametrize(
    "key,expected",
    [
        (0, [1, 2, 3]),
        (-1, [5, 6]),
        (slice(1, 3), [[4], []]),
        (slice(None, None, 2), [[1, 2, 3], []]),
        ((slice(None), slice(None, 2)), [[1, 2], [4], [], [5, 6]]),
        ((slice(None), slice(1, None)), [[2, 3], [], [], [6]]),
        ((slice(None), slice(None, None, -1)), [[3, 2, 1], [4], [], [6, 5]]),
        ((slice(None), slice(-1, None)), [[3], [4], [], [6]]),
        ((Ellipsis, slice(0, 1)), [[1], [4], [], [5]]),
        ((0, 1), 2),
    ],
)
def test_getitem(key, expected):
    out = rt()[key]
    got = out.to_list() if isinstance(out, tf.RaggedTensor) else out.numpy().tolist()
    assert got == expected


def test_getitem_errors_and_iteration():
    with pytest.raises(IndexError):
        rt()[4]
    with pytest.raises(ValueError, match="inner ragged dimension"):
        rt()[:, 0]
    assert [r.numpy().tolist() for r in rt()] == RT
    x = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert x[:, :, 1].to_list() == [[2, 4], [6]]


# ---------------------------------------------------------------- operators / ops


def test_operators():
    x = rt()
    assert (x + 1).to_list() == [[2, 3, 4], [5], [], [6, 7]]
    assert (2 * x - x).to_list() == RT
    assert (x * x).to_list() == [[1, 4, 9], [16], [], [25, 36]]
    assert (-x).to_list() == [[-1, -2, -3], [-4], [], [-5, -6]]
    assert (x > 2).to_list() == [[False, False, True], [True], [], [True, True]]
    assert (x == 2).to_list() == [[False, True, False], [False], [], [False, False]]
    assert (x == tf.ragged.constant([[1]])) is False
    assert (x + tf.constant([[10], [20], [30], [40]])).to_list() == [
        [11, 12, 13],
        [24],
        [],
        [45, 46],
    ]
    with pytest.raises(tf.errors.InvalidArgumentError):
        x + tf.ragged.constant([[1, 2], [3, 4], [], [5, 6]])
    with pytest.raises(TypeError):
        hash(x)


def test_map_flat_values_range_boolean_mask():
    x = rt()
    assert tf.ragged.map_flat_values(tf.math.square, x).to_list() == [[1, 4, 9], [16], [], [25, 36]]
    with pytest.raises(ValueError, match="outer-dimension"):
        tf.ragged.map_flat_values(lambda v: v[:1], x)
    assert tf.ragged.range([3, 5, 2]).to_list() == [[0, 1, 2], [0, 1, 2, 3, 4], [0, 1]]
    r = tf.ragged.range([0.0, 1.0], 3.0)
    assert r.dtype == tf.float32 and r.to_list() == [[0.0, 1.0, 2.0], [1.0, 2.0]]
    assert tf.ragged.range(5, 0, -2).to_list() == [[5, 3, 1]]
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.ragged.range(1, 5, 0)
    m = tf.ragged.boolean_mask([[1, 2, 3], [4, 5, 6]], [[True, False, True], [False] * 3])
    assert m.to_list() == [[1, 3], []]
    assert tf.ragged.boolean_mask(x, [True, False, False, True]).to_list() == [[1, 2, 3], [5, 6]]
    mask = tf.ragged.constant([[True, False, True], [False], [], [True, True]])
    assert tf.ragged.boolean_mask(x, mask).to_list() == [[1, 3], [], [], [5, 6]]
    np.testing.assert_array_equal(
        tf.ragged.row_splits_to_segment_ids([0, 2, 2, 3]).numpy(), [0, 0, 2]
    )
    np.testing.assert_array_equal(
        tf.ragged.segment_ids_to_row_splits([0, 0, 2]).numpy(), [0, 2, 2, 3]
    )


def test_print_and_spec():
    spec = tf.RaggedTensorSpec([2, None], tf.int32)
    assert (
        repr(spec) == str(spec) == "RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64)"
    )
    assert spec.is_compatible_with(tf.ragged.constant([[1], [2, 3]]))
    assert not spec.is_compatible_with(tf.ragged.constant([[1.0]]))
    assert spec == tf.RaggedTensorSpec([2, None], tf.int32, 1)
    assert rt()._type_spec.shape.as_list() == [4, None]
    with pytest.raises(ValueError):
        tf.RaggedTensorSpec(None, tf.int32)


def test_tf_print_ragged(capfd):
    tf.print(tf.ragged.constant([[1], [2, 3]]))
    assert capfd.readouterr().err == "[[1], [2, 3]]\n"


# ---------------------------------------------------------------- gradients


def _grad(fn, values):
    v = tf.constant(values)
    with tf.GradientTape() as tape:
        tape.watch(v)
        y = fn(v)
    return tf.convert_to_tensor(tape.gradient(y, v)).numpy()


def test_gradients_reach_flat_values():
    splits = [0, 2, 3]
    w = tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float64)
    g = _grad(
        lambda v: tf.reduce_sum(tf.RaggedTensor.from_row_splits(v, splits).to_tensor() * w),
        np.array([1.0, 2.0, 3.0]),
    )
    np.testing.assert_allclose(g, [1.0, 2.0, 3.0])
    g = _grad(
        lambda v: tf.reduce_sum(
            (tf.RaggedTensor.from_row_splits(v, splits)[:, 1:] * 3.0).flat_values
        ),
        np.array([1.0, 2.0, 3.0]),
    )
    np.testing.assert_allclose(g, [0.0, 3.0, 0.0])
    g = _grad(
        lambda v: tf.reduce_sum(
            tf.ragged.boolean_mask(
                tf.RaggedTensor.from_row_splits(v, splits), [False, True]
            ).flat_values
            ** 2
        ),
        np.array([1.0, 2.0, 3.0]),
    )
    np.testing.assert_allclose(g, [0.0, 0.0, 6.0])


def test_stack():
    assert tf.ragged.stack([tf.range(1), tf.range(2)]).to_list() == [[0], [0, 1]]
    out = tf.ragged.stack([tf.ragged.constant([[1], [2, 3]]), tf.constant([[4, 5]])])
    assert out.to_list() == [[[1], [2, 3]], [[4, 5]]] and out.ragged_rank == 2
    with pytest.raises(ValueError):
        tf.ragged.stack([tf.range(1), tf.zeros([1, 1], tf.int32)])


def test_from_tensor_uniform_and_nested_lengths():
    x = tf.RaggedTensor.from_tensor([[5, 7, 0], [0, 3, 0]])
    assert x.shape.as_list() == [2, 3] and x.ragged_rank == 1
    assert x[:, 1:].shape.as_list() == [2, 2]
    dt = tf.constant([[[5, 0], [7, 0], [0, 0]], [[0, 0], [3, 0], [0, 0]], [[6, 0], [0, 0], [0, 0]]])
    out = tf.RaggedTensor.from_tensor(dt, lengths=([2, 0, 3], [1, 1, 2, 0, 1]))
    assert out.to_list() == [[[5], [7]], [], [[6, 0], [], [0]]]


def test_stack_dynamic_partitions_and_cross():
    out = tf.ragged.stack_dynamic_partitions(["a", "b", "c", "d"], [1, 0, 1, 1], 3)
    assert out.to_list() == [[b"b"], [b"a", b"c", b"d"], []]
    crossed = tf.ragged.cross(
        [
            tf.ragged.constant([["a"], ["b", "c"]]),
            tf.constant([[1], [2]], tf.int64),
            tf.sparse.SparseTensor([[0, 0], [1, 0]], ["x", "y"], [2, 1]),
        ]
    )
    assert crossed.to_list() == [[b"a_X_1_X_x"], [b"b_X_2_X_y", b"c_X_2_X_y"]]
