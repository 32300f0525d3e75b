"""Array ops (array_ops.py, gather_ops.py): forward vs NumPy, dtypes, TF's errors, gradients.

Test mode (conftest) checks every op's static shape inference against its eager result.
"""

import numpy as np
import pytest
from _gradcheck import check_grad

import tensorlet as tf

RNG = np.random.default_rng(0)
X = RNG.standard_normal((2, 3, 4)).astype(np.float32)
M = RNG.standard_normal((3, 4)).astype(np.float32)
IDX = np.array([[2, 0], [1, 1]], np.int32)


def _pad_ref(mode, cv=0):
    return lambda x: np.pad(
        x, [[1, 2], [2, 1]], mode=mode, **({"constant_values": cv} if mode == "constant" else {})
    )


def _one_hot_ref(idx, depth):
    out = np.zeros(np.shape(idx) + (depth,), np.float32)
    for pos, i in np.ndenumerate(np.asarray(idx)):
        if 0 <= i < depth:
            out[pos + (i,)] = 1
    return out


def _scatter_add_ref(t, idx, upd):
    out = t.copy()
    np.add.at(out, tuple(idx.T), upd)
    return out


FORWARD = [  # (id, tensorlet call on inputs, NumPy reference, inputs)
    ("reshape", lambda x: tf.reshape(x, [4, -1]), lambda x: x.reshape(4, -1), [X]),
    (
        "reshape_tensor_shape",
        lambda x: tf.reshape(x, tf.constant([6, 4])),
        lambda x: x.reshape(6, 4),
        [X],
    ),
    (
        "reshape_empty",
        lambda x: tf.reshape(x, [0, -1]),
        lambda x: x.reshape(0, 3),
        [np.zeros((0, 3), np.float32)],
    ),
    ("transpose", lambda x: tf.transpose(x), lambda x: x.T, [X]),
    ("transpose_perm", lambda x: tf.transpose(x, [2, 0, 1]), lambda x: x.transpose(2, 0, 1), [X]),
    ("matrix_transpose", tf.linalg.matrix_transpose, lambda x: x.swapaxes(-1, -2), [X]),
    (
        "transpose_conjugate",
        lambda x: tf.transpose(x, conjugate=True),
        lambda x: x.conj().T,
        [np.array([[1 + 2j, 3 - 1j]], np.complex64)],
    ),
    (
        "adjoint",
        tf.linalg.adjoint,
        lambda x: x.conj().swapaxes(-1, -2),
        [np.array([[[1 + 2j, 3 - 1j]]], np.complex128)],
    ),
    ("expand_dims", lambda x: tf.expand_dims(x, -2), lambda x: np.expand_dims(x, -2), [X]),
    (
        "squeeze",
        lambda x: tf.squeeze(x, [0, 2]),
        lambda x: x.squeeze((0, 2)),
        [np.ones((1, 3, 1, 2), np.float32)],
    ),
    ("squeeze_all", tf.squeeze, np.squeeze, [np.ones((1, 3, 1, 2), np.float32)]),
    ("concat", lambda a, b: tf.concat([a, b], -1), lambda a, b: np.concatenate([a, b], -1), [X, X]),
    ("stack", lambda a, b: tf.stack([a, b], axis=1), lambda a, b: np.stack([a, b], 1), [X, X]),
    ("unstack", lambda x: tf.unstack(x, axis=1), lambda x: list(np.moveaxis(x, 1, 0)), [X]),
    ("split_num", lambda x: tf.split(x, 2, axis=2), lambda x: np.split(x, 2, 2), [X]),
    (
        "split_sizes",
        lambda x: tf.split(x, [1, -1, 1], axis=2),
        lambda x: np.split(x, [1, 3], 2),
        [X],
    ),
    ("tile", lambda x: tf.tile(x, [2, 1, 3]), lambda x: np.tile(x, (2, 1, 3)), [X]),
    ("repeat_scalar", lambda x: tf.repeat(x, 2, axis=1), lambda x: np.repeat(x, 2, 1), [M]),
    (
        "repeat_vector",
        lambda x: tf.repeat(x, [1, 0, 2], axis=0),
        lambda x: np.repeat(x, [1, 0, 2], 0),
        [M],
    ),
    ("repeat_flat", lambda x: tf.repeat(x, 2), lambda x: np.repeat(x, 2), [M]),
    ("pad_constant", lambda x: tf.pad(x, [[1, 2], [2, 1]]), _pad_ref("constant"), [M]),
    (
        "pad_value",
        lambda x: tf.pad(x, [[1, 2], [2, 1]], constant_values=-7.5),
        _pad_ref("constant", -7.5),
        [M],
    ),
    ("pad_reflect", lambda x: tf.pad(x, [[1, 2], [2, 1]], "reflect"), _pad_ref("reflect"), [M]),
    (
        "pad_symmetric",
        lambda x: tf.pad(x, [[1, 2], [2, 1]], "SYMMETRIC"),
        _pad_ref("symmetric"),
        [M],
    ),
    (
        "invert_permutation",
        lambda: tf.math.invert_permutation([2, 0, 1]),
        lambda: np.argsort([2, 0, 1]),
        [],
    ),
    ("reverse", lambda x: tf.reverse(x, [0, -1]), lambda x: x[::-1, :, ::-1], [X]),
    ("roll", lambda x: tf.roll(x, [1, 1], [1, 1]), lambda x: np.roll(x, 2, 1), [X]),
    (
        "broadcast_to",
        lambda x: tf.broadcast_to(x, [2, 3, 4]),
        lambda x: np.broadcast_to(x, (2, 3, 4)),
        [M[:, :1]],
    ),
    (
        "where3",
        lambda c, a, b: tf.where(c, a, b),
        np.where,
        [np.array([True, False, True, False]), M, np.float32(0)],
    ),
    ("where1", tf.where, np.argwhere, [np.array([[0.0, 1.5], [-0.0, np.nan]], np.float32)]),
    (
        "boolean_mask",
        lambda x, m: tf.boolean_mask(x, m),
        lambda x, m: x[m],
        [M, np.array([True, False, True])],
    ),
    (
        "boolean_mask_axis",
        lambda x, m: tf.boolean_mask(x, m, axis=1),
        lambda x, m: x[:, m],
        [M, np.array([True, False, True, True])],
    ),
    (
        "gather",
        lambda p: tf.gather(p, [[0, 2], [1, 1]], axis=1),
        lambda p: p[:, [[0, 2], [1, 1]]],
        [M],
    ),
    (
        "gather_batch",
        lambda p, i: tf.gather(p, i, batch_dims=1),
        lambda p, i: np.stack([p[b][i[b]] for b in range(2)]),
        [X, IDX],
    ),
    (
        "gather_batch_axis2",
        lambda p, i: tf.gather(p, i, axis=2, batch_dims=1),
        lambda p, i: np.stack([p[b][:, i[b]] for b in range(2)]),
        [X, IDX],
    ),
    ("gather_nd", lambda p: tf.gather_nd(p, [[0, 1], [2, 3]]), lambda p: p[[0, 2], [1, 3]], [M]),
    (
        "gather_nd_batch",
        lambda p: tf.gather_nd(p, [[[0, 1]], [[2, 3]]], batch_dims=1),
        lambda p: np.stack([p[0, 0, 1], p[1, 2, 3]])[:, None],
        [X],
    ),
    (
        "scatter_nd",
        lambda u: tf.scatter_nd([[4], [1], [1]], u, [5]),
        lambda u: np.array([0, u[1] + u[2], 0, 0, u[0]]),
        [np.array([1, 2, 3], np.float32)],
    ),
    (
        "tensor_scatter_add",
        lambda t, u: tf.tensor_scatter_nd_add(t, [[0, 0], [2, 1], [0, 0]], u),
        lambda t, u: _scatter_add_ref(t, np.array([[0, 0], [2, 1], [0, 0]]), u),
        [M, np.array([10, 20, 30], np.float32)],
    ),
    (
        "tensor_scatter_update",
        lambda t, u: tf.tensor_scatter_nd_update(t, [[1], [2]], u),
        lambda t, u: np.concatenate([t[:1], u, t[3:]]),
        [M, M[:2] + 1],
    ),
    ("one_hot", lambda: tf.one_hot([0, 2, -1, 5], 3), lambda: _one_hot_ref([0, 2, -1, 5], 3), []),
    ("one_hot_axis0", lambda: tf.one_hot([1, 0], 3, axis=0), lambda: _one_hot_ref([1, 0], 3).T, []),
    ("identity", tf.identity, lambda x: x, [X]),
    ("identity_n", lambda a, b: tf.identity_n([a, b]), lambda a, b: [a, b], [X, M]),
    ("stop_gradient", tf.stop_gradient, lambda x: x, [X]),
    ("ensure_shape", lambda x: tf.ensure_shape(x, [2, None, 4]), lambda x: x, [X]),
    (
        "reverse_sequence",
        lambda x: tf.reverse_sequence(x, [1, 2, 3], seq_axis=1, batch_axis=0),
        lambda x: np.stack([np.concatenate([r[:n][::-1], r[n:]]) for r, n in zip(x, [1, 2, 3])]),
        [M],
    ),
    (
        "dynamic_partition",
        lambda x: tf.dynamic_partition(x, [0, 1, 0, 2], 3),
        lambda x: [x[[0, 2]], x[[1]], x[[3]]],
        [M[0]],
    ),
    (
        "dynamic_stitch",
        lambda a, b: tf.dynamic_stitch([[0, 2], [1, 3]], [a, b]),
        lambda a, b: np.array([a[0], b[0], a[1], b[1]]),
        [M[0, :2], M[1, :2]],
    ),
    (
        "searchsorted",
        lambda: tf.searchsorted([1, 2, 3], [0, 2, 5], side="right"),
        lambda: np.searchsorted([1, 2, 3], [0, 2, 5], side="right"),
        [],
    ),
    (
        "searchsorted_left",
        lambda: tf.searchsorted([[1.0, 2.0, 3.0]], [[0.0, 2.0, 5.0]]),
        lambda: np.searchsorted([1.0, 2.0, 3.0], [0.0, 2.0, 5.0])[None],
        [],
    ),
    (
        "unravel_index",
        lambda: tf.unravel_index([5, 7], [2, 4]),
        lambda: np.stack(np.unravel_index([5, 7], (2, 4))),
        [],
    ),
    (
        "sequence_mask",
        lambda: tf.sequence_mask([1, 3, 0], 4),
        lambda: np.arange(4) < np.array([1, 3, 0])[:, None],
        [],
    ),
    (
        "meshgrid_xy",
        lambda: tf.meshgrid([1, 2, 3], [4, 5]),
        lambda: np.meshgrid([1, 2, 3], [4, 5]),
        [],
    ),
    (
        "meshgrid_ij",
        lambda: tf.meshgrid([1.0, 2.0], [3.0], [4.0, 5.0, 6.0], indexing="ij"),
        lambda: np.meshgrid([1.0, 2.0], [3.0], [4.0, 5.0, 6.0], indexing="ij"),
        [],
    ),
    ("linspace", lambda: tf.linspace(0.0, 1.0, 5), lambda: np.linspace(0, 1, 5), []),
    (
        "linspace_nd",
        lambda: tf.linspace([0.0, 1.0], [1.0, 3.0], 3, axis=1),
        lambda: np.linspace([0.0, 1.0], [1.0, 3.0], 3, axis=1),
        [],
    ),
    ("range", lambda: tf.range(5, 0, -2), lambda: np.arange(5, 0, -2), []),
    ("range_float", lambda: tf.range(-1.5, 1.5), lambda: np.arange(-1.5, 1.5), []),
    ("fill", lambda: tf.fill([2, 3], 9), lambda: np.full((2, 3), 9), []),
    ("zeros", lambda: tf.zeros([2, 0]), lambda: np.zeros((2, 0)), []),
    ("ones_like", lambda x: tf.ones_like(x), np.ones_like, [X]),
    ("zeros_like", lambda x: tf.zeros_like(x), np.zeros_like, [X]),
    ("constant_shape", lambda: tf.constant(7, shape=[2, 2]), lambda: np.full((2, 2), 7), []),
    ("shape", tf.shape, lambda x: np.array(x.shape), [X]),
    (
        "shape_n",
        lambda a, b: tf.shape_n([a, b]),
        lambda a, b: [np.array(a.shape), np.array(b.shape)],
        [X, M],
    ),
    ("size", tf.size, np.size, [X]),
    ("rank", tf.rank, np.ndim, [X]),
    (
        "broadcast_dynamic_shape",
        lambda: tf.broadcast_dynamic_shape([2, 1, 3], [4, 1]),
        lambda: np.array([2, 4, 3]),
        [],
    ),
    (
        "strided_slice",
        lambda x: x[1:, ::-2, None, ..., -1],
        lambda x: x[1:, ::-2, None, ..., -1],
        [X],
    ),
    ("slice", lambda x: tf.slice(x, [0, 1, 1], [2, -1, 2]), lambda x: x[0:2, 1:, 1:3], [X]),
]


def _listify(v):
    return [np.asarray(t) for t in v] if isinstance(v, (list, tuple)) else np.asarray(v)


@pytest.mark.parametrize("call,ref,inputs", [c[1:] for c in FORWARD], ids=[c[0] for c in FORWARD])
def test_forward_matches_numpy(call, ref, inputs):
    out = call(*[tf.constant(a) for a in inputs])
    want = ref(*inputs)
    got = _listify(out)
    if isinstance(want, list):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=1e-6)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-6)


DTYPES = [  # (call, expected dtype)
    (lambda: tf.range(5), tf.int32),
    (lambda: tf.range(0, 1, 0.3), tf.float32),
    (lambda: tf.range(1, 2, 0.25, dtype=tf.float64), tf.float64),
    (lambda: tf.range(tf.constant(4, tf.int64)), tf.int64),
    (lambda: tf.linspace(0, 10, 4), tf.float64),
    (lambda: tf.one_hot([1, 0], 2, dtype=tf.int32), tf.int32),
    (lambda: tf.one_hot([1, 0], 2, on_value=1, off_value=0), tf.int32),
    (lambda: tf.fill([2], 1.5), tf.float32),
    (lambda: tf.zeros([2], tf.bool), tf.bool),
    (lambda: tf.zeros_like(tf.constant([1.0]), dtype=tf.int32), tf.int32),
    (lambda: tf.ones((2, 1), tf.int8), tf.int8),
    (lambda: tf.constant(-1, tf.uint8), tf.uint8),
    (lambda: tf.where([[True, False]]), tf.int64),
    (lambda: tf.shape(X, tf.int64), tf.int64),
    (lambda: tf.stack([1, 2.0]), tf.float32),
    (lambda: tf.concat([[1, 2], [3]], 0), tf.int32),
    (lambda: tf.where([True, False], 1, 2), tf.int32),
]


@pytest.mark.parametrize("call,dtype", DTYPES)
def test_result_dtypes(call, dtype):
    assert call().dtype == dtype


def test_constant_rules():
    assert int(tf.constant(-1, dtype=tf.uint8)) == 255
    with pytest.raises(TypeError):
        tf.constant(1.0, dtype=tf.int32)
    with pytest.raises(TypeError):
        tf.constant(tf.constant(1), dtype=tf.float32)
    with pytest.raises(TypeError):
        tf.constant([1, 2, 3], shape=[2, 2])
    np.testing.assert_array_equal(tf.constant([1, 2, 3, 4], shape=[2, 2]).numpy(), [[1, 2], [3, 4]])
    a = np.array([1.0, 2.0])
    t = tf.constant(a)
    a[0] = 9.0
    assert t.numpy()[0] == 1.0  # a constant does not alias the caller's array


IAE = tf.errors.InvalidArgumentError
ERRORS = [  # (call, exception class, message fragment)
    (lambda: tf.reshape(X, [5, -1]), IAE, "requires a multiple of 5"),
    (lambda: tf.reshape(X, [-1, -1]), IAE, "Only one input size may be -1"),
    (lambda: tf.reshape(X, [0, -1]), IAE, "requested shape has 0"),
    (lambda: tf.expand_dims(X, 4), IAE, "Tried to expand dim index 4"),
    (lambda: tf.squeeze(X, 1), IAE, "Can not squeeze dim[1]"),
    (lambda: tf.concat([M, M], 2), IAE, "[-2, 2), but got 2"),
    (
        lambda: tf.concat([M, np.ones((2, 5), np.float32)], 0),
        IAE,
        "Dimension 1 in both shapes must be equal",
    ),
    (
        lambda: tf.concat([tf.constant(M), tf.ones([1, 4], tf.int32)], 0),
        IAE,
        "expected to be a float",
    ),
    (lambda: tf.split(X, 3, axis=2), IAE, "evenly divide"),
    (lambda: tf.split(X, [1, 2], axis=2), IAE, "Determined shape must either match"),
    (lambda: tf.tile(X, [2]), IAE, "vector of length 3 but got length 1"),
    (lambda: tf.pad(M, [[3, 0], [0, 0]], "REFLECT"), IAE, "must be less than the dimension"),
    (lambda: tf.pad(M, [[4, 0], [0, 0]], "SYMMETRIC"), IAE, "no greater than the dimension"),
    (lambda: tf.pad(M, [[-1, 0], [0, 0]]), IAE, "Paddings must be non-negative: -1 0"),
    (lambda: tf.pad(M, [[1, 0], [0, 0]], "wrap"), ValueError, "mode"),
    (lambda: tf.gather(M, [3]), IAE, "indices[0] = 3 is not in [0, 3)"),
    (lambda: tf.gather(M, [-1]), IAE, "is not in [0, 3)"),
    (lambda: tf.gather(M, [1.0]), IAE, "'Tindices' of float"),
    (lambda: tf.gather_nd(M, [[9, 0]]), IAE, "does not index into param shape [3,4]"),
    (lambda: tf.scatter_nd([[3]], [1.0], [3]), IAE, "does not index into shape [3]"),
    (lambda: tf.tensor_scatter_nd_update(M, [[7]], [[1.0] * 4]), IAE, "does not index"),
    (lambda: tf.where([True], tf.constant([1]), tf.constant([1.0])), IAE, "SelectV2"),
    (lambda: tf.one_hot([1.0], 2), IAE, "'TI' of float"),
    (lambda: tf.range(5, 1), IAE, "Requires start <= limit when delta > 0: 5/1"),
    (lambda: tf.range(0, 5, 0), IAE, "Requires delta != 0"),
    (lambda: tf.range(0.0, 1.0, 0.1, dtype=tf.int32), TypeError, "Cannot convert"),
    (lambda: tf.broadcast_to(M[0], [2, 2]), IAE, "Incompatible shapes: [4] vs. [2,2]"),
    (
        lambda: tf.broadcast_static_shape(tf.TensorShape([2]), tf.TensorShape([3])),
        ValueError,
        "Incompatible shapes",
    ),
    (lambda: tf.reverse(X, [0, 0]), IAE, "axis 0 specified more than once"),
    (lambda: tf.ensure_shape(X, [2, 3, 5]), IAE, "is not compatible with expected shape"),
    (lambda: tf.unstack(X, num=3), IAE, "must equal 3"),
    (lambda: tf.fill([-1], 1.0), IAE, "must be nonnegative"),
    (lambda: tf.dynamic_partition(M[0], [0, 5, 0, 0], 2), IAE, "is not in [0, 2)"),
]


@pytest.mark.parametrize("call,cls,fragment", ERRORS)
def test_errors(call, cls, fragment):
    with pytest.raises(cls) as ei:
        call()
    assert fragment in str(ei.value)


def test_transpose_negative_perm_forward_ok_grad_fails():
    x = tf.constant(X.astype(np.float64))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.transpose(x, [-1, 0, 1])
    assert y.shape == (4, 2, 3)
    with pytest.raises(IAE, match="-1 is not between 0 and 3"):
        tape.gradient(y, x)


def test_gather_axis0_gradient_is_indexed_slices():
    p = tf.constant(M.astype(np.float64))
    with tf.GradientTape() as tape:
        tape.watch(p)
        y = tf.gather(p, [0, 0, 2])
    g = tape.gradient(y, p)
    assert isinstance(g, tf.IndexedSlices)
    np.testing.assert_allclose(tf.convert_to_tensor(g).numpy(), [[2] * 4, [0] * 4, [1] * 4])


D64 = RNG.standard_normal((2, 3, 4))
M64 = RNG.standard_normal((3, 4))
GRADS = [  # (id, fn, args) checked by central differences in float64
    ("reshape", lambda x: tf.reshape(x, [4, -1]), [D64]),
    ("transpose", lambda x: tf.transpose(x, [2, 0, 1]), [D64]),
    ("expand_squeeze", lambda x: tf.squeeze(tf.expand_dims(x, 1), [1]), [D64]),
    ("concat", lambda a, b: tf.concat([a, b], 1), [D64, D64[:, :2]]),
    ("stack_unstack", lambda a, b: tf.unstack(tf.stack([a, b], 2), axis=1), [D64, D64]),
    ("split", lambda x: tf.split(x, [1, -1], axis=2), [D64]),
    ("split_num", lambda x: tf.split(x, 2, axis=0)[1], [D64]),
    ("tile", lambda x: tf.tile(x, [2, 1, 3]), [D64]),
    ("repeat", lambda x: tf.repeat(x, [2, 0, 1], axis=0), [M64]),
    ("repeat_scalar", lambda x: tf.repeat(x, 3, axis=1), [M64]),
    ("pad", lambda x: tf.pad(x, [[1, 0], [2, 1]], constant_values=2.0), [M64]),
    ("pad_reflect", lambda x: tf.pad(x, [[2, 1], [3, 1]], "REFLECT"), [M64]),
    ("pad_symmetric", lambda x: tf.pad(x, [[3, 0], [1, 4]], "SYMMETRIC"), [M64]),
    ("reverse_roll", lambda x: tf.roll(tf.reverse(x, [1]), [1, -1], [0, 2]), [D64]),
    ("broadcast_to", lambda x: tf.broadcast_to(x, [2, 3, 4]), [M64[:, :1]]),
    ("where", lambda a, b: tf.where([[True], [False], [True]], a, b), [M64, M64[0]]),
    ("boolean_mask", lambda x: tf.boolean_mask(x, [[True, False, True, True]] * 3), [M64]),
    ("gather_axis1", lambda p: tf.gather(p, [[0, 3], [1, 1]], axis=1), [M64]),
    ("gather_batch", lambda p: tf.gather(p, IDX, axis=2, batch_dims=1), [D64]),
    ("gather_nd", lambda p: tf.gather_nd(p, [[0, 1], [0, 1], [2]][:2]), [M64]),
    ("gather_nd_batch", lambda p: tf.gather_nd(p, [[[0, 1]], [[2, 3]]], batch_dims=1), [D64]),
    ("scatter_nd", lambda u: tf.scatter_nd([[1], [3], [1]], u, [4, 3]), [M64[:, :3]]),
    (
        "tensor_scatter_update",
        lambda t, u: tf.tensor_scatter_nd_update(t, [[0], [2]], u),
        [M64, M64[:2] * 2],
    ),
    (
        "tensor_scatter_add",
        lambda t, u: tf.tensor_scatter_nd_add(t, [[0, 0], [0, 0]], u),
        [M64, np.array([1.0, 2.0])],
    ),
    (
        "tensor_scatter_sub",
        lambda t, u: tf.tensor_scatter_nd_sub(t, [[1, 2]], u),
        [M64, np.array([1.0])],
    ),
    (
        "tensor_scatter_max",
        lambda t, u: tf.tensor_scatter_nd_max(t, [[1], [2]], u),
        [M64, M64[:2] + 0.3],
    ),
    (
        "tensor_scatter_min",
        lambda t, u: tf.tensor_scatter_nd_min(t, [[1], [2]], u),
        [M64, M64[:2] + 0.3],
    ),
    ("strided_slice", lambda x: x[:, ::-2, None, 1:3], [D64]),
    ("strided_slice_fn", lambda x: tf.strided_slice(x, [0, 1], [2, 3], [1, 2], end_mask=1), [M64]),
    ("slice", lambda x: tf.slice(x, [1, 1], [2, -1]), [M64]),
    ("fill", lambda v: tf.fill([2, 3], v), [np.array(1.5)]),
    ("identity_n", lambda a, b: tf.identity_n([a, b]), [M64, D64]),
    ("ensure_shape", lambda x: tf.ensure_shape(x, [3, 4]), [M64]),
    (
        "reverse_sequence",
        lambda x: tf.reverse_sequence(x, [1, 2, 4], seq_axis=1, batch_axis=0),
        [M64],
    ),
    ("dynamic_partition", lambda x: tf.dynamic_partition(x, [0, 1, 0], 2), [M64]),
    ("dynamic_stitch", lambda a, b: tf.dynamic_stitch([[0, 2], [1]], [a, b]), [M64[:2], M64[2:]]),
    ("meshgrid", lambda a, b: tf.meshgrid(a, b), [M64[0], M64[1, :2]]),
]


@pytest.mark.parametrize("fn,args", [g[1:] for g in GRADS], ids=[g[0] for g in GRADS])
def test_gradients_numerically(fn, args):
    check_grad(fn, *args)


def test_second_order_through_strided_slice_and_mirror_pad():
    x = tf.constant(M64)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(tf.pad(x[::2, 1:], [[1, 1], [2, 0]], "REFLECT") ** 2)
        g = inner.gradient(y, x)
        z = tf.reduce_sum(g * g)
    gg = outer.gradient(z, x)
    assert gg.shape == x.shape


def test_stop_gradient_is_none():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.stop_gradient(x) * x
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [1.0, 2.0])


def test_unused_unstack_outputs_get_zero_gradients():
    x = tf.constant(M64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.unstack(x)[1]
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [[0] * 4, [1] * 4, [0] * 4])


def test_shape_inference_with_unknown_dims():
    from tensorlet.framework.tensor_shape import TensorShape
    from tensorlet.ops import array_ops as A

    class Spec:
        def __init__(self, dims, dtype=tf.float32):
            self.shape, self.dtype, self._dtype = TensorShape(dims), dtype, dtype

    assert A.reshape_op.shape_rule(A.reshape_op, [Spec([None, 4])], {"shape": (-1, 2)})[
        0
    ].as_list() == [None, 2]
    assert A.concat_op.shape_rule(A.concat_op, [Spec([None, 4]), Spec([2, 4])], {"axis": 0})[
        0
    ].as_list() == [None, 4]
    assert A.tile_op.shape_rule(A.tile_op, [Spec([None, 4])], {"multiples": (2, 2)})[
        0
    ].as_list() == [None, 8]


def test_variables_in_lists_stay_differentiable():
    v, w = tf.Variable([1.0, 2.0]), tf.Variable([3.0, 4.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.stack([v, w]) * tf.constant([[1.0], [2.0]]))
        y += tf.reduce_sum(tf.concat([v, w], 0))
    gv, gw = tape.gradient(y, [v, w])
    np.testing.assert_allclose(gv.numpy(), [2, 2])
    np.testing.assert_allclose(gw.numpy(), [3, 3])


def test_array_ops_namespace_reexports():
    from tensorlet.ops import array_ops

    assert array_ops.gather is tf.gather and array_ops.zeros_like is tf.zeros_like
    assert array_ops.slice is tf.slice and array_ops.strided_slice is tf.strided_slice
    with pytest.raises(AttributeError):
        array_ops.no_such_op  # noqa: B018


@pytest.mark.parametrize(
    "module",
    [
        "array_ops",
        "array_creation_ops",
        "gather_ops",
        "indexing",
        "linalg_ops",
        "linalg_decomp_ops",
        "clip_ops",
    ],
)
def test_docstring_examples(module):
    import doctest
    import importlib

    mod = importlib.import_module("tensorlet.ops." + module)
    assert doctest.testmod(mod, extraglobs={"tf": tf}).failed == 0


def test_expand_dims_accepts_one_element_axis():
    assert tf.expand_dims(X, [1]).shape == (2, 1, 3, 4)
    assert tf.expand_dims(X, tf.constant(-1)).shape == (2, 3, 4, 1)
