"""Matrix products, einsum, diagonals, decompositions, solvers and norms: values against NumPy,
TF's conventions (svd order, v not transposed), errors and numerical gradients."""

import numpy as np
import pytest
from _gradcheck import check_grad

import tensorlet as tf

R = np.random.default_rng(0)


def n(*shape, dtype=np.float64):
    return R.standard_normal(shape).astype(dtype)


def spd(k, batch=()):
    m = n(*batch, k, k)
    return m @ np.swapaxes(m, -1, -2) + k * np.eye(k)


A, B = n(2, 3), n(3, 4)
IAE = tf.errors.InvalidArgumentError


# ---------------------------------------------------------------- matmul


@pytest.mark.parametrize(
    "kw,a,b",
    [
        ({}, A, B),
        ({"transpose_a": True}, A.T, B),
        ({"transpose_b": True}, A, B.T),
        ({"transpose_a": True, "transpose_b": True}, A.T, B.T),
        ({"adjoint_a": True}, A.T, B),
        ({"adjoint_b": True}, A, B.T),
        ({}, n(2, 1, 2, 3), n(3, 3, 4)),
        ({"transpose_a": True}, n(2, 3, 2), n(3, 4)),
    ],
)
def test_matmul(kw, a, b):
    out = tf.linalg.matmul(a, b, **kw)
    ta = kw.get("transpose_a") or kw.get("adjoint_a")
    tb = kw.get("transpose_b") or kw.get("adjoint_b")
    want = np.matmul(np.swapaxes(a, -1, -2) if ta else a, np.swapaxes(b, -1, -2) if tb else b)
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-12)


def test_matmul_variants():
    a, b = n(2, 3, 4), n(4, 5)
    np.testing.assert_allclose(tf.matmul(a, b, transpose_a=False).numpy(), a @ b, rtol=1e-12)
    np.testing.assert_allclose(tf.matmul(a, n(2, 5, 4)[0], transpose_b=True).shape, (2, 3, 5))
    np.testing.assert_allclose((tf.constant(A) @ B).numpy(), A @ B, rtol=1e-12)
    np.testing.assert_allclose((A @ tf.constant(B)).numpy(), A @ B, rtol=1e-12)
    c = (n(2, 2) + 1j * n(2, 2)).astype(np.complex64)
    d = (n(2, 2) + 1j * n(2, 2)).astype(np.complex64)
    np.testing.assert_allclose(tf.matmul(c, d, adjoint_a=True).numpy(), c.conj().T @ d, rtol=1e-5)
    np.testing.assert_allclose(
        tf.matmul(c[None], d, adjoint_a=True).numpy()[0], c.conj().T @ d, rtol=1e-5
    )
    assert tf.matmul([[1, 2]], [[3], [4]]).dtype == tf.int32
    np.testing.assert_allclose(tf.linalg.matvec(A, B[:, 0]).numpy(), A @ B[:, 0], rtol=1e-12)


@pytest.mark.parametrize(
    "a,b,kw,cls,frag",
    [
        (n(3), n(3), {}, IAE, "ndims must be == 2"),
        (n(2, 3), n(2, 3), {}, IAE, "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3]"),
        (n(2, 2, 3), n(2, 2, 3), {}, IAE, "In[0] mismatch In[1] shape: 3 vs. 2"),
        (n(2, 3, 4), n(5, 4, 3), {}, IAE, "compatible batch dimensions"),
        (n(2, 3), n(3, 2), {"transpose_a": True, "adjoint_a": True}, ValueError, "Only one of"),
    ],
)
def test_matmul_errors(a, b, kw, cls, frag):
    with pytest.raises(cls) as ei:
        tf.matmul(a, b, **kw)
    assert frag in str(ei.value)


# ---------------------------------------------------------------- einsum / tensordot / cross

S, V, W, P, Q = n(3, 3), n(3), n(3), n(2, 2, 3), n(2, 3, 2)
EINSUM = [
    ("ij,jk->ik", [A, B]),
    ("ij->ji", [A]),
    ("ij->", [A]),
    ("ij->j", [A]),
    ("ii->i", [S]),
    ("ii", [S]),
    ("i,i->", [V, W]),
    ("i,j->ij", [V, W]),
    ("bij,bjk->bik", [P, Q]),
    ("...ij,...jk->...ik", [P, Q]),
    ("bij,jk->bik", [P, n(3, 2)]),
    ("ij,ij->ij", [A, A]),
    ("ijk->kji", [P]),
    ("ab,cd->abcd", [S, S]),
    ("ij,jk", [A, B]),
    ("ba,ca->bc", [A, A]),
    ("...ij,...jk->...ik", [n(1, 2, 3), n(4, 3, 2)]),
    ("iij->ij", [n(2, 2, 3)]),
    ("ij,jk,kl->il", [A, B, n(4, 2)]),
]


@pytest.mark.parametrize("eq,args", EINSUM, ids=[e for e, _ in EINSUM])
def test_einsum(eq, args):
    out = tf.einsum(eq, *args)
    np.testing.assert_allclose(out.numpy(), np.einsum(eq, *args), rtol=1e-10, atol=1e-12)
    check_grad(lambda *xs: tf.einsum(eq, *xs), *args)


def test_einsum_int_and_errors():
    out = tf.einsum("ij,jk->ik", np.array([[1, 2]], np.int32), np.array([[3], [4]], np.int32))
    assert out.dtype == tf.int32 and out.numpy().tolist() == [[11]]
    with pytest.raises((ValueError, IAE)):
        tf.einsum("ij,jk->ik", A, A)


@pytest.mark.parametrize(
    "axes,a,b",
    [
        (1, A, B),
        ([[1], [0]], A, B),
        (0, A, n(4, 5)),
        ([[0, 1], [1, 0]], A, n(3, 2)),
    ],
)
def test_tensordot(axes, a, b):
    np.testing.assert_allclose(
        tf.tensordot(a, b, axes).numpy(), np.tensordot(a, b, axes), rtol=1e-10
    )
    check_grad(lambda x, y: tf.tensordot(x, y, axes), a, b)


def test_cross():
    a, b = n(2, 3), n(2, 3)
    np.testing.assert_allclose(tf.linalg.cross(a, b).numpy(), np.cross(a, b), rtol=1e-12)
    check_grad(tf.linalg.cross, a, b)


# ---------------------------------------------------------------- diagonals

MAT = n(3, 4)


def test_diag_ops():
    v = n(3)
    np.testing.assert_array_equal(tf.linalg.diag(v).numpy(), np.diag(v))
    np.testing.assert_array_equal(tf.linalg.diag(v, k=1).numpy(), np.diag(v, 1))
    rect = tf.linalg.diag(v, k=-1, num_rows=4, num_cols=3, padding_value=9).numpy()
    want = np.full((4, 3), 9.0)
    want[[1, 2, 3], [0, 1, 2]] = v
    np.testing.assert_array_equal(rect, want)
    np.testing.assert_array_equal(tf.linalg.diag(n(2, 3)).shape, (2, 3, 3))
    np.testing.assert_array_equal(tf.linalg.diag_part(MAT).numpy(), np.diagonal(MAT))
    np.testing.assert_array_equal(tf.linalg.diag_part(MAT, k=1).numpy(), np.diagonal(MAT, 1))
    band = tf.linalg.diag_part(MAT, k=(-1, 1)).numpy()  # RIGHT_LEFT alignment
    np.testing.assert_array_equal(band[0], np.diagonal(MAT, 1))
    np.testing.assert_array_equal(band[1], np.diagonal(MAT, 0))
    np.testing.assert_array_equal(band[2], np.r_[np.diagonal(MAT, -1), 0])
    left = tf.linalg.diag_part(MAT, k=(-1, 1), align="LEFT_LEFT").numpy()
    np.testing.assert_array_equal(left[2], np.r_[np.diagonal(MAT, -1), 0])
    d = n(3)
    want = MAT.copy()
    want[range(3), range(3)] = d
    np.testing.assert_array_equal(tf.linalg.set_diag(MAT, d).numpy(), want)
    np.testing.assert_array_equal(tf.linalg.tensor_diag([1.0, 2.0]).numpy(), np.diag([1.0, 2.0]))
    np.testing.assert_array_equal(tf.compat.v1.diag(v).numpy(), np.diag(v))
    np.testing.assert_array_equal(tf.linalg.tensor_diag_part(S).numpy(), np.diagonal(S))
    np.testing.assert_allclose(tf.linalg.trace(n(2, 3, 3)).shape, (2,))
    np.testing.assert_allclose(tf.linalg.trace(MAT).numpy(), np.trace(MAT))


def test_eye():
    np.testing.assert_array_equal(tf.eye(3).numpy(), np.eye(3))
    np.testing.assert_array_equal(tf.eye(2, 4).numpy(), np.eye(2, 4))
    np.testing.assert_array_equal(tf.eye(2, batch_shape=[2]).numpy(), np.stack([np.eye(2)] * 2))
    assert tf.eye(3, dtype=tf.int32).dtype == tf.int32 and tf.eye(0).shape == (0, 0)


@pytest.mark.parametrize("lo,up", [(0, -1), (-1, 0), (1, 1), (0, 0), (2, 0)])
def test_band_part(lo, up):
    i, j = np.indices(MAT.shape)
    keep = ((lo < 0) | (i - j <= lo)) & ((up < 0) | (j - i <= up))
    np.testing.assert_array_equal(tf.linalg.band_part(MAT, lo, up).numpy(), MAT * keep)


@pytest.mark.parametrize(
    "fn,args",
    [
        (tf.linalg.diag, [n(2, 3)]),
        (lambda v: tf.linalg.diag(v, k=(-1, 0)), [n(2, 3)]),
        (lambda m: tf.linalg.diag_part(m, k=(-1, 1)), [MAT]),
        (tf.linalg.set_diag, [MAT, n(3)]),
        (tf.linalg.tensor_diag, [n(2)]),
        (tf.linalg.tensor_diag_part, [S]),
        (lambda m: tf.linalg.band_part(m, 1, 0), [MAT]),
        (tf.linalg.trace, [S]),
    ],
    ids=[
        "diag",
        "diag_range",
        "diag_part",
        "set_diag",
        "tensor_diag",
        "tensor_diag_part",
        "band_part",
        "trace",
    ],
)
def test_diag_gradients(fn, args):
    check_grad(fn, *args)


# ---------------------------------------------------------------- decompositions and solvers

SQ = n(3, 3) + 3 * np.eye(3)


def test_inverse_det_solve():
    np.testing.assert_allclose(tf.linalg.inv(SQ).numpy(), np.linalg.inv(SQ), rtol=1e-10)
    np.testing.assert_allclose(
        tf.linalg.inv(SQ, adjoint=True).numpy(), np.linalg.inv(SQ.T), rtol=1e-10
    )
    np.testing.assert_allclose(tf.linalg.det(SQ).numpy(), np.linalg.det(SQ), rtol=1e-10)
    sign, logabs = tf.linalg.slogdet(n(2, 3, 3))
    assert sign.shape == (2,) and logabs.shape == (2,)
    rhs = n(3, 2)
    np.testing.assert_allclose(
        tf.linalg.solve(SQ, rhs).numpy(), np.linalg.solve(SQ, rhs), rtol=1e-10
    )
    np.testing.assert_allclose(
        tf.linalg.solve(SQ, rhs, adjoint=True).numpy(), np.linalg.solve(SQ.T, rhs), rtol=1e-10
    )
    low = np.tril(SQ)
    np.testing.assert_allclose(
        tf.linalg.triangular_solve(SQ, rhs).numpy(), np.linalg.solve(low, rhs), rtol=1e-10
    )
    np.testing.assert_allclose(
        tf.linalg.triangular_solve(SQ, rhs, lower=False).numpy(),
        np.linalg.solve(np.triu(SQ), rhs),
        rtol=1e-10,
    )
    with pytest.raises(IAE, match="Input is not invertible."):
        tf.linalg.inv(np.array([[1.0, 2.0], [2.0, 4.0]]))
    assert float(tf.linalg.det(np.array([[1.0, 2.0], [2.0, 4.0]]))) == 0.0


def test_logdet():
    m = spd(3)
    np.testing.assert_allclose(tf.linalg.logdet(m).numpy(), np.linalg.slogdet(m)[1], rtol=1e-10)


def test_cholesky():
    m = spd(3, (2,))
    l = tf.linalg.cholesky(m).numpy()
    np.testing.assert_allclose(l, np.linalg.cholesky(m), rtol=1e-10)
    bad = tf.linalg.cholesky(np.array([[1.0, 2.0], [2.0, 1.0]], np.float32))
    assert bool(tf.reduce_any(tf.math.is_nan(bad)))
    rhs = n(2, 3, 1)
    np.testing.assert_allclose(
        tf.linalg.cholesky_solve(l, rhs).numpy(), np.linalg.solve(m, rhs), rtol=1e-10
    )


def test_qr_svd_eigh_conventions():
    m = n(4, 3)
    q, r = tf.linalg.qr(m)
    assert q.shape == (4, 3) and r.shape == (3, 3)
    np.testing.assert_allclose((q @ r).numpy(), m, atol=1e-12)
    q, r = tf.linalg.qr(m, full_matrices=True)
    assert q.shape == (4, 4) and r.shape == (4, 3)
    s, u, v = tf.linalg.svd(m)
    assert s.shape == (3,) and u.shape == (4, 3) and v.shape == (3, 3)
    np.testing.assert_allclose((u * s @ tf.transpose(v)).numpy(), m, atol=1e-12)
    np.testing.assert_allclose(
        tf.linalg.svd(m, compute_uv=False).numpy(), np.linalg.svd(m, compute_uv=False), rtol=1e-12
    )
    s, u, v = tf.linalg.svd(n(3, 2), full_matrices=True)
    assert u.shape == (3, 3) and v.shape == (2, 2)
    h = spd(3)
    e, vec = tf.linalg.eigh(h)
    np.testing.assert_allclose(e.numpy(), np.linalg.eigvalsh(h), rtol=1e-12)
    np.testing.assert_allclose((vec * e @ tf.transpose(vec)).numpy(), h, atol=1e-10)
    np.testing.assert_allclose(tf.linalg.eigvalsh(h).numpy(), np.linalg.eigvalsh(h), rtol=1e-12)
    c = n(2, 2) + 1j * n(2, 2)
    h = c @ c.conj().T
    e, _ = tf.linalg.eigh(h)
    assert e.dtype == tf.float64


def test_lu():
    m = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]])
    lu, p = tf.linalg.lu(m)
    assert p.dtype == tf.int32
    lu = lu.numpy()
    low, up = np.tril(lu, -1) + np.eye(3), np.triu(lu)
    np.testing.assert_allclose(low @ up, m[p.numpy()], atol=1e-12)
    assert p.numpy().tolist() == [2, 0, 1]
    x = tf.constant(m)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = tf.linalg.lu(x).lu
    with pytest.raises(LookupError, match="no entry for: Lu"):
        tape.gradient(out, x)


def test_composites():
    m = n(3, 2)
    np.testing.assert_allclose(tf.linalg.pinv(m).numpy(), np.linalg.pinv(m), rtol=1e-10)
    a, b = n(4, 2), n(4, 1)
    np.testing.assert_allclose(
        tf.linalg.lstsq(a, b).numpy(), np.linalg.lstsq(a, b, rcond=None)[0], rtol=1e-8
    )
    wide = n(2, 4)
    np.testing.assert_allclose(
        tf.linalg.lstsq(wide, b[:2]).numpy(), np.linalg.lstsq(wide, b[:2], rcond=None)[0], rtol=1e-8
    )
    assert int(tf.linalg.matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]], np.float32))) == 1
    import scipy.linalg

    for scale in (0.5, 3.0, 40.0):
        x = n(3, 3) * scale
        np.testing.assert_allclose(tf.linalg.expm(x).numpy(), scipy.linalg.expm(x), rtol=1e-8)
    x32 = (n(3, 3) * 2).astype(np.float32)
    np.testing.assert_allclose(tf.linalg.expm(x32).numpy(), scipy.linalg.expm(x32), rtol=1e-4)


GRADS = [
    ("inv", tf.linalg.inv, [SQ]),
    ("inv_batched", tf.linalg.inv, [spd(2, (2,))]),
    ("det", tf.linalg.det, [SQ]),
    ("slogdet", tf.linalg.slogdet, [n(3, 3)]),
    ("logdet", lambda m: tf.linalg.logdet((m + tf.transpose(m)) / 2), [spd(3)]),
    ("solve", tf.linalg.solve, [SQ, n(3, 2)]),
    ("solve_adjoint", lambda m, r: tf.linalg.solve(m, r, adjoint=True), [SQ, n(3, 1)]),
    ("triangular", tf.linalg.triangular_solve, [np.tril(SQ), n(3, 2)]),
    (
        "triangular_upper_adj",
        lambda m, r: tf.linalg.triangular_solve(m, r, lower=False, adjoint=True),
        [np.triu(SQ), n(3, 2)],
    ),
    ("cholesky", lambda m: tf.linalg.cholesky((m + tf.transpose(m)) / 2), [spd(3)]),
    (
        "cholesky_solve",
        lambda m, r: tf.linalg.cholesky_solve(tf.linalg.cholesky((m + tf.transpose(m)) / 2), r),
        [spd(3), n(3, 1)],
    ),
    ("qr", tf.linalg.qr, [n(4, 3)]),
    ("qr_wide", tf.linalg.qr, [n(2, 4)]),
    ("qr_square_full", lambda m: tf.linalg.qr(m, full_matrices=True), [n(3, 3)]),
    ("svd", tf.linalg.svd, [n(4, 3)]),
    ("svd_wide", tf.linalg.svd, [n(2, 3)]),
    ("svd_values", lambda m: tf.linalg.svd(m, compute_uv=False), [n(3, 4)]),
    ("eigh", lambda m: tf.linalg.eigh((m + tf.transpose(m)) / 2), [spd(3)]),
    ("eigvalsh", lambda m: tf.linalg.eigvalsh((m + tf.transpose(m)) / 2), [spd(3)]),
    ("pinv", tf.linalg.pinv, [n(3, 2)]),
    ("lstsq", tf.linalg.lstsq, [n(4, 2), n(4, 1)]),
    ("expm", tf.linalg.expm, [n(3, 3) * 0.5]),
    ("expm_scaled", tf.linalg.expm, [n(3, 3) * 5]),
    ("normalize", tf.linalg.normalize, [n(2, 3)]),
    ("matmul_batch_broadcast", tf.matmul, [n(2, 1, 2, 3), n(3, 3, 4)]),
    (
        "matmul_transposed",
        lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
        [n(3, 2), n(4, 3)],
    ),
    (
        "matmul_adjoint_batch",
        lambda a, b: tf.matmul(a, b, adjoint_a=True, adjoint_b=True),
        [n(2, 3, 2), n(2, 4, 3)],
    ),
    ("matvec", tf.linalg.matvec, [n(2, 3), n(3)]),
]


@pytest.mark.parametrize("fn,args", [g[1:] for g in GRADS], ids=[g[0] for g in GRADS])
def test_gradients(fn, args):
    check_grad(fn, *args, rtol=1e-5)


def test_qr_full_deep_grad_not_implemented():
    x = tf.constant(n(4, 3))
    with tf.GradientTape() as tape:
        tape.watch(x)
        q, r = tf.linalg.qr(x, full_matrices=True)
    with pytest.raises(NotImplementedError, match="nrows > ncols and full_matrices"):
        tape.gradient([q, r], x)


# ---------------------------------------------------------------- norms

VEC = n(2, 3)


@pytest.mark.parametrize("ord", ["euclidean", 1, 2, np.inf, 0.5, 3])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_vector_norms(ord, axis):
    p = 2 if ord == "euclidean" else ord
    if axis is None:
        want = np.linalg.norm(VEC.reshape(-1), p)
    else:
        want = (
            np.sum(np.abs(VEC) ** p, axis=axis) ** (1 / p)
            if np.isfinite(p)
            else np.max(np.abs(VEC), axis=axis)
        )
    np.testing.assert_allclose(tf.norm(VEC, ord=ord, axis=axis).numpy(), want, rtol=1e-10)
    check_grad(lambda x: tf.norm(x, ord=ord, axis=axis), VEC)


@pytest.mark.parametrize("ord", ["euclidean", "fro", 1, 2, np.inf])
def test_matrix_norms(ord):
    want = np.linalg.norm(VEC, "fro" if ord == "euclidean" else ord)
    np.testing.assert_allclose(tf.norm(VEC, ord=ord, axis=[0, 1]).numpy(), want, rtol=1e-10)
    np.testing.assert_allclose(
        tf.linalg.norm(VEC, ord=ord, axis=[-2, -1], keepdims=True).shape, (1, 1)
    )


@pytest.mark.parametrize(
    "ord,axis", [(-np.inf, None), ("fro", 0), (0.5, [0, 1]), (3, [0, 1]), (2, [0, 0])]
)
def test_norm_errors(ord, axis):
    with pytest.raises(ValueError, match="'ord' must be|'axis' must be"):
        tf.norm(VEC, ord=ord, axis=axis)


def test_norm_keepdims_and_origin_gradient():
    assert tf.norm(VEC, axis=1, keepdims=True).shape == (2, 1)
    x = tf.constant(np.zeros(3))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.norm(x)
    assert np.isnan(tape.gradient(y, x).numpy()).all()  # as TF: sqrt'(0) * 0
