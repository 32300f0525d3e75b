"""tf.sparse.SparseTensor and tf.sparse ops against dense NumPy references; gradients."""

import numpy as np
import pytest

import tensorlet as tf

IND = [[0, 1], [1, 2], [2, 0]]
VAL = [1.0, 2.0, 3.0]
SHAPE = [3, 4]


def st(values=VAL, indices=IND, shape=SHAPE):
    return tf.sparse.SparseTensor(indices, values, shape)


def dense(sp):
    out = np.zeros(sp.dense_shape.numpy(), dtype=sp.values.dtype.as_numpy_dtype)
    for i, v in zip(sp.indices.numpy(), sp.values.numpy()):
        out[tuple(i)] += v
    return out


def test_class_and_repr():
    x = tf.sparse.SparseTensor(indices=[[0, 1], [1, 2]], values=[1.0, 2.0], dense_shape=[2, 3])
    assert x.indices.dtype == tf.int64 and x.dense_shape.dtype == tf.int64
    assert x.dtype == tf.float32 and x.shape.as_list() == [2, 3]
    assert (
        repr(x)
        == str(x)
        == (
            "SparseTensor(indices=tf.Tensor(\n[[0 1]\n [1 2]], shape=(2, 2), dtype=int64), "
            "values=tf.Tensor([1. 2.], shape=(2,), dtype=float32), "
            "dense_shape=tf.Tensor([2 3], shape=(2,), dtype=int64))"
        )
    )
    assert tf.SparseTensor is tf.sparse.SparseTensor
    assert (x * 2.0).values.numpy().tolist() == [2.0, 4.0]
    spec = tf.SparseTensorSpec([2, 3], tf.float32)
    assert repr(spec) == "SparseTensorSpec(TensorShape([2, 3]), tf.float32)"
    assert spec.is_compatible_with(x) and x._type_spec == spec
    with pytest.raises(ValueError):
        tf.sparse.SparseTensor([[0, 1]], [1.0, 2.0], [2, 3])
    with pytest.raises(ValueError):
        tf.sparse.SparseTensor([0, 1], [1.0], [2, 3])


def test_to_dense_from_dense():
    np.testing.assert_array_equal(tf.sparse.to_dense(st()).numpy(), dense(st()))
    out = tf.sparse.to_dense(st(), default_value=-1.0).numpy()
    assert out[0, 0] == -1.0 and out[0, 1] == 1.0
    strings = tf.sparse.SparseTensor([[0, 0]], ["a"], [1, 2])
    assert tf.sparse.to_dense(strings).numpy().tolist() == [[b"a", b""]]
    d = np.array([[0, 3], [4, 0]], np.int32)
    sp = tf.sparse.from_dense(d)
    np.testing.assert_array_equal(sp.indices.numpy(), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(sp.values.numpy(), [3, 4])
    np.testing.assert_array_equal(tf.sparse.to_dense(sp).numpy(), d)


@pytest.mark.parametrize(
    "indices,match",
    [
        ([[1, 0], [0, 1]], "out of order"),
        ([[0, 1], [0, 1]], "repeated"),
        ([[0, 9], [1, 0]], "out of bounds"),
    ],
)
def test_to_dense_validation(indices, match):
    sp = tf.sparse.SparseTensor(indices, [1.0, 2.0], [2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        tf.sparse.to_dense(sp)


def test_reorder_reshape_transpose_expand():
    sp = st([1.0, 2.0], [[1, 0], [0, 1]], [2, 2])
    r = tf.sparse.reorder(sp)
    np.testing.assert_array_equal(r.indices.numpy(), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(r.values.numpy(), [2.0, 1.0])
    rs = tf.sparse.reshape(st(), [2, -1])
    np.testing.assert_array_equal(tf.sparse.to_dense(rs).numpy(), dense(st()).reshape(2, -1))
    with pytest.raises(ValueError):
        tf.sparse.reshape(st(), [5, 5])
    t = tf.sparse.transpose(st())
    np.testing.assert_array_equal(tf.sparse.to_dense(t).numpy(), dense(st()).T)
    e = tf.sparse.expand_dims(st(), 0)
    assert e.dense_shape.numpy().tolist() == [1, 3, 4]
    eye = tf.sparse.eye(2, 3)
    np.testing.assert_array_equal(tf.sparse.to_dense(eye).numpy(), np.eye(2, 3))


def test_slice_concat_retain_fill():
    s = tf.sparse.slice(st(), [1, 0], [5, 3])
    np.testing.assert_array_equal(tf.sparse.to_dense(s).numpy(), dense(st())[1:, :3])
    c = tf.sparse.concat(1, [st(), st()])
    np.testing.assert_array_equal(
        tf.sparse.to_dense(c).numpy(), np.concatenate([dense(st())] * 2, axis=1)
    )
    c0 = tf.sparse.concat(0, [st(), st([5.0], [[0, 0]], [1, 4])])
    np.testing.assert_array_equal(
        tf.sparse.to_dense(c0).numpy(), np.concatenate([dense(st()), [[5, 0, 0, 0]]])
    )
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.sparse.concat(0, [st(), st([5.0], [[0, 0]], [1, 5])])
    r = tf.sparse.retain(st(), [True, False, True])
    np.testing.assert_array_equal(r.values.numpy(), [1.0, 3.0])
    out, empty = tf.sparse.fill_empty_rows(st([5.0], [[1, 1]], [3, 2]), -1.0)
    np.testing.assert_array_equal(out.indices.numpy(), [[0, 0], [1, 1], [2, 0]])
    np.testing.assert_array_equal(out.values.numpy(), [-1.0, 5.0, -1.0])
    np.testing.assert_array_equal(empty.numpy(), [True, False, True])


def test_add_and_matmul():
    a = st()
    b = st([10.0, -2.0], [[1, 2], [2, 3]])
    np.testing.assert_array_equal(
        tf.sparse.to_dense(tf.sparse.add(a, b)).numpy(), dense(a) + dense(b)
    )
    dropped = tf.sparse.add(a, b, threshold=0.5 + 12.0)  # only coinciding entries are tested
    assert dropped.indices.numpy().tolist() == [[0, 1], [2, 0], [2, 3]]
    d = np.arange(12, dtype=np.float32).reshape(3, 4)
    np.testing.assert_array_equal(tf.sparse.add(a, d).numpy(), dense(a) + d)
    m = np.arange(8, dtype=np.float32).reshape(4, 2)
    np.testing.assert_allclose(tf.sparse.sparse_dense_matmul(a, m).numpy(), dense(a) @ m)
    np.testing.assert_allclose(
        tf.sparse.sparse_dense_matmul(a, m.T, adjoint_b=True).numpy(), dense(a) @ m
    )
    np.testing.assert_allclose(
        tf.sparse.sparse_dense_matmul(a, np.ones((3, 2), np.float32), adjoint_a=True).numpy(),
        dense(a).T @ np.ones((3, 2)),
    )
    np.testing.assert_allclose(
        tf.sparse.sparse_dense_matmul(np.ones((2, 3), np.float32), a).numpy(),
        np.ones((2, 3)) @ dense(a),
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="inner dimension"):
        tf.sparse.sparse_dense_matmul(a, np.ones((3, 2), np.float32))


@pytest.mark.parametrize(
    "axis,keepdims", [(None, False), (0, False), (1, True), (-1, False), ([0, 1], False)]
)
def test_reduce_sum(axis, keepdims):
    out = tf.sparse.reduce_sum(st(), axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(
        out.numpy(),
        dense(st()).sum(axis=tuple(axis) if isinstance(axis, list) else axis, keepdims=keepdims),
    )
    sp = tf.sparse.reduce_sum(st(), axis=axis, keepdims=keepdims, output_is_sparse=True)
    np.testing.assert_allclose(tf.sparse.to_dense(sp).numpy(), out.numpy())


def _grad(fn, values):
    v = tf.constant(np.asarray(values, np.float64))
    with tf.GradientTape() as tape:
        tape.watch(v)
        y = fn(v)
    return tf.convert_to_tensor(tape.gradient(y, v)).numpy()


def test_gradients():
    w = np.arange(12, dtype=np.float64).reshape(3, 4)
    g = _grad(lambda v: tf.reduce_sum(tf.sparse.to_dense(st(v)) * w), VAL)
    np.testing.assert_allclose(g, [w[0, 1], w[1, 2], w[2, 0]])
    g = _grad(lambda v: tf.reduce_sum(tf.sparse.sparse_dense_matmul(st(v), np.ones((4, 2)))), VAL)
    np.testing.assert_allclose(g, [2.0, 2.0, 2.0])
    g = _grad(lambda v: tf.reduce_sum(tf.sparse.reduce_sum(st(v), 1) ** 2), VAL)
    np.testing.assert_allclose(g, [2.0, 4.0, 6.0])
    g = _grad(lambda v: tf.reduce_sum(tf.sparse.reorder(st(v, IND[::-1])).values * [1, 2, 3]), VAL)
    np.testing.assert_allclose(g, [3.0, 2.0, 1.0])


def test_reduce_max_softmax_max_min_map_values():
    x = tf.sparse.SparseTensor([[0, 0], [0, 2], [1, 1]], [-7, 0, 3], [2, 3])
    np.testing.assert_array_equal(tf.sparse.reduce_max(x, 0).numpy(), [-7, 3, 0])
    np.testing.assert_array_equal(tf.sparse.reduce_max(x, 1).numpy(), [0, 3])
    assert int(tf.sparse.reduce_max(x)) == 3
    empty_col = tf.sparse.reduce_max(st(), 0).numpy()
    assert empty_col[3] == np.finfo(np.float32).min
    sm = tf.sparse.softmax(st([1.0, 1.0, 2.0], [[0, 0], [0, 2], [1, 1]], [2, 3]))
    np.testing.assert_allclose(sm.values.numpy(), [0.5, 0.5, 1.0])
    a = tf.sparse.SparseTensor([[0], [2]], [-1, 5], [4])
    b = tf.sparse.SparseTensor([[1], [2]], [1, 7], [4])
    mx, mn = tf.sparse.maximum(a, b), tf.sparse.minimum(a, b)
    assert mx.indices.numpy().ravel().tolist() == [0, 1, 2]
    assert mx.values.numpy().tolist() == [0, 1, 7] and mn.values.numpy().tolist() == [-1, 0, 5]
    sq = tf.sparse.map_values(tf.math.multiply, st(), st())
    np.testing.assert_array_equal(sq.values.numpy(), np.square(VAL))
    with pytest.raises(ValueError):
        tf.sparse.map_values(tf.math.square, 3.0)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.sparse.map_values(tf.math.add, st(), st(indices=[[0, 0], [1, 2], [2, 0]]))


def test_split_reset_shape_to_indicator():
    parts = tf.sparse.split(sp_input=st(), num_split=3, axis=1)
    assert [p.dense_shape.numpy().tolist() for p in parts] == [[3, 2], [3, 1], [3, 1]]
    np.testing.assert_array_equal(
        np.concatenate([tf.sparse.to_dense(p).numpy() for p in parts], axis=1), dense(st())
    )
    assert tf.sparse.reset_shape(st()).dense_shape.numpy().tolist() == [3, 3]
    assert tf.sparse.reset_shape(st(), [5, 5]).dense_shape.numpy().tolist() == [5, 5]
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.sparse.reset_shape(st(), [1, 1])
    ind = tf.sparse.to_indicator(
        tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0]], [2, 0, 1], [2, 2]), 3
    )
    assert ind.numpy().tolist() == [[True, False, True], [False, True, False]]


def test_softmax_gradient_matches_dense_reference():
    vals = np.array([0.3, -1.2, 2.0], np.float64)
    up = np.array([1.0, 2.0, -1.0])

    def f(v):
        return tf.reduce_sum(tf.sparse.softmax(st(v, [[0, 0], [0, 2], [1, 1]], [2, 3])).values * up)

    g = _grad(f, vals)
    e = np.exp(vals[:2] - vals[:2].max())
    s = e / e.sum()
    expected = s * (up[:2] - (s * up[:2]).sum())
    np.testing.assert_allclose(g, [expected[0], expected[1], 0.0], atol=1e-12)
