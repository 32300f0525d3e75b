"""Python indexing (StridedSlice), tf.strided_slice and tf.slice: NumPy semantics where TF
agrees with NumPy, TF's rules where it does not, errors and gradients."""

import numpy as np
import pytest
from _gradcheck import check_grad

import tensorlet as tf
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import indexing

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
T = tf.constant(X)

SAME_AS_NUMPY = [  # index expressions with identical results in TF and NumPy
    "[1]",
    "[-1]",
    "[:, 1]",
    "[..., 1]",
    "[:, None]",
    "[None, ..., None]",
    "[None, :, None]",
    "[::-1]",
    "[:, ::-2]",
    "[1:, :2, 1:3]",
    "[..., ::-1]",
    "[0, ..., None]",
    "[-1, -1, -1]",
    "[5:]",
    "[:, 10:]",
    "[1:0]",
    "[:, -100:100]",
    "[:, ::-1, 1::2]",
    "[..., -2:]",
    "[0, 1:, ::3]",
    "[:, 2:0:-1]",
    "[..., 0, :]",
    "[1, ...]",
    "[..., None, 2]",
    "[0, 1, 2]",
    "[:, :, :]",
    "[...]",
    "[None]",
    "[:, 1:2, None, -1]",
    "[-3:-1:1, ::-1, ::2]",
    "[:, -1:-5:-1]",
    "[::-3, 5:-9:-1]",
    "[:, :, 3:-100:-2]",
]


@pytest.mark.parametrize("expr", SAME_AS_NUMPY)
def test_index_matches_numpy(expr):
    got = eval("T" + expr)
    want = eval("X" + expr)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got.numpy(), want)


def test_tf_specific_index_forms():
    np.testing.assert_array_equal(T[[0, 1]].numpy(), X[0, 1])  # a list is a tuple
    np.testing.assert_array_equal(T[tf.constant(1)].numpy(), X[1])
    np.testing.assert_array_equal(T[np.int64(1)].numpy(), X[1])
    np.testing.assert_array_equal(T[:, tf.constant(0) : tf.constant(2)].numpy(), X[:, 0:2])
    np.testing.assert_array_equal(T[0][1][2].numpy(), X[0, 1, 2])
    np.testing.assert_array_equal(T[tf.newaxis, ...].numpy(), X[None])
    np.testing.assert_array_equal(T[np.array([True, False])].numpy(), X[[True, False]])
    assert [t.shape for t in T] == [(3, 4), (3, 4)]


IAE = tf.errors.InvalidArgumentError


@pytest.mark.parametrize(
    "key,cls,fragment",
    [
        (2, IAE, "slice index 2 of dimension 0 out of bounds."),
        ((0, 3), IAE, "slice index 3 of dimension 1 out of bounds."),
        (-3, IAE, "slice index -1 of dimension 0 out of bounds."),
        (1.0, TypeError, "Only integers, slices"),
        ((slice(None), slice(None, None, 0)), IAE, "strides[1] must be non-zero"),
        ((Ellipsis, Ellipsis), IAE, "Multiple ellipses in slice spec not allowed"),
        ((0, 0, 0, 0), IAE, "Index out of range using input dim 3"),
        ("a", TypeError, "Only integers"),
    ],
)
def test_index_errors(key, cls, fragment):
    with pytest.raises(cls) as ei:
        T[key]
    assert fragment in str(ei.value)


def test_rank1_tensor_index_is_type_error():
    with pytest.raises(TypeError, match="scalar tf.int32/tf.int64 tensors"):
        T[tf.constant([0, 1])]


def test_item_assignment_raises():
    with pytest.raises(TypeError):
        T[0] = 1.0


def test_strided_slice_masks():
    out = tf.strided_slice(T, [0, 1, 0], [2, 3, 4], [1, 1, 2], begin_mask=1, end_mask=4)
    np.testing.assert_array_equal(out.numpy(), X[:, 1:3, ::2])
    out = tf.strided_slice(T, [1, 0], [2, 3], shrink_axis_mask=1)
    np.testing.assert_array_equal(out.numpy(), X[1, 0:3])
    out = tf.strided_slice(
        T, [0, 0, 0], [0, 0, 0], ellipsis_mask=2, new_axis_mask=4, shrink_axis_mask=1
    )
    np.testing.assert_array_equal(out.numpy(), X[0, ..., None])


def test_slice():
    np.testing.assert_array_equal(tf.slice(T, [0, 1, 1], [2, -1, 2]).numpy(), X[:, 1:, 1:3])
    with pytest.raises(IAE, match=r"Expected size\[1\] in \[0, 2\], but got 3"):
        tf.slice(T, [0, 1, 1], [2, 3, 2])
    with pytest.raises(IAE, match=r"Expected begin\[0\] in \[0, 2\], but got 3"):
        tf.slice(T, [3, 0, 0], [0, 1, 1])


def test_static_shape_with_unknown_dims():
    spec = indexing._strided_spec((None, 3, 4), (0, 1), (0, 2), (1, 1), 1, 1, 0, 0, 2)
    assert spec[2] == (None, 4)

    class S:
        shape, dtype = TensorShape([None, 5]), tf.float32

    shape = indexing.slice_op.shape_rule(
        indexing.slice_op, [S()], {"begin": (0, 1), "size": (2, -1)}
    )[0]
    assert shape.as_list() == [2, 4]


def test_dtypes_kept():
    for dt in (tf.int32, tf.bool, tf.string, tf.complex64):
        t = tf.zeros([3, 2], dt)
        assert t[1:].dtype == dt and t[0, 1].dtype == dt


D = np.random.default_rng(1).standard_normal((2, 3, 4))


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: x[:, ::-2, 1:3],
        lambda x: x[1],
        lambda x: x[..., None, -1],
        lambda x: tf.slice(x, [1, 0, 1], [1, 3, -1]),
        lambda x: x[x > 0] * 2.0,
        lambda x: tf.strided_slice(x, [0, 2], [2, 0], [1, -1], shrink_axis_mask=0),
    ],
    ids=["strided", "int", "newaxis", "slice", "bool_mask", "strided_slice"],
)
def test_gradients(fn):
    check_grad(fn, D)


def test_index_known_only_when_the_graph_runs_gathers_on_that_axis():
    @tf.function
    def pick(x, i):
        return x[i], x[:, i]

    x = tf.constant([[1, 2, 3], [4, 5, 6]])
    rows, cols = pick(x, tf.constant(1))
    assert rows.numpy().tolist() == [4, 5, 6] and cols.numpy().tolist() == [2, 5]
    rows, cols = pick(x, tf.constant(-1))  # negative indices count from the end, as x[-1]
    assert rows.numpy().tolist() == [4, 5, 6] and cols.numpy().tolist() == [3, 6]
    with pytest.raises(tf.errors.InvalidArgumentError):
        pick(x, tf.constant(5))


def test_autograph_loop_indexes_with_the_loop_variable_and_differentiates():
    @tf.function
    def total(x):
        s = tf.constant(0.0)
        for i in tf.range(tf.shape(x)[0]):
            s += x[i] * x[i]
        return s

    x = tf.constant([1.0, 2.0, 3.0])
    assert float(total(x)) == 14.0
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = total(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0, 6.0])
