"""tf.linalg decompositions and solvers (inv, det, slogdet, solve, triangular_solve, cholesky,
qr, svd, eigh, lu) with TF's gradient rules, the composites built on them (logdet,
cholesky_solve, pinv, lstsq, expm, matrix_rank) and the norms (norm, normalize).

Kernels loop over LAPACK through NumPy; results are compared with TF up to the sign freedom of
decompositions (QR / SVD / eigenvector columns).
"""

import collections

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import array_ops as A
from tensorlet.ops import linalg_ops as L
from tensorlet.ops import math_ops as M
from tensorlet.ops import reduction_ops
from tensorlet.ops import shape_rules as R
from tensorlet.ops.array_ops import invalid
from tensorlet.ops.op_def import apply, defop

D = dtypes
_LINALG_TYPES = (D.float16, D.float32, D.float64, D.complex64, D.complex128)
_SOLVE_TYPES = (D.float16, D.float32, D.float64, D.complex64, D.complex128)
_dtype_rule = R.same_dtype(_LINALG_TYPES)

Qr = collections.namedtuple("Qr", ["q", "r"])
Lu = collections.namedtuple("Lu", ["lu", "p"])
LogMatrixDeterminant = collections.namedtuple(
    "LogMatrixDeterminant", ["sign", "log_abs_determinant"]
)


def _square_shape(op, inputs, attrs):
    s = inputs[0].shape
    if s.rank is not None:
        d = s.as_list()
        if len(d) < 2:
            raise invalid(op.name, f"Input tensor 0 must have rank >= 2, got {len(d)}")
        if None not in d[-2:] and d[-1] != d[-2]:
            raise invalid(op.name, "Input matrix must be square.")
    return (s,)


def _const(v, dtype):
    return convert_to_tensor(v, dtype=dtype)


def _adj(x):
    return A.matrix_transpose(x, conjugate=True)


def _compute_dtype(x):
    """float16 matrices are factorised in float32 (LAPACK has no half precision)."""
    return xp.float32 if x.dtype == xp.float16 else x.dtype


# ---------------------------------------------------------------- inverse, determinants


def _inverse_forward(x, adjoint):
    _square_shape(matrix_inverse_op, (A.ArraySpec(x),), {})
    a = x.astype(_compute_dtype(x))
    if adjoint:
        a = xp.conj(xp.swapaxes(a, -1, -2))
    try:
        return xp.linalg.inv(a).astype(x.dtype)
    except xp.linalg.LinAlgError:
        raise invalid("MatrixInverse", "Input is not invertible.") from None


def _inverse_grad(op, dy):
    ainv = op.outputs[0]
    adj = op.get_attr("adjoint")
    return [
        M.negative(
            L.matmul(ainv, L.matmul(dy, ainv, adjoint_a=adj, adjoint_b=not adj), adjoint_a=not adj)
        )
    ]


matrix_inverse_op = defop(
    "MatrixInverse",
    _inverse_forward,
    dtype_rule=_dtype_rule,
    shape_rule=_square_shape,
    grad=_inverse_grad,
)


def _det_shape(op, inputs, attrs):
    s = _square_shape(op, inputs, attrs)[0]
    return (TensorShape(None) if s.rank is None else TensorShape(s.as_list()[:-2]),)


def _det_grad(op, dy):
    """d det(A) = det(A) * A^-H."""
    a, c = op.inputs[0], op.outputs[0]
    a_adj_inv = matrix_inverse(a, adjoint=True)
    mult = A.reshape(M.multiply(dy, c), c.shape.as_list() + [1, 1])
    return [M.multiply(mult, a_adj_inv)]


matrix_determinant_op = defop(
    "MatrixDeterminant",
    lambda x: xp.asarray(xp.linalg.det(x.astype(_compute_dtype(x)))).astype(x.dtype),
    dtype_rule=_dtype_rule,
    shape_rule=_det_shape,
    grad=_det_grad,
)


def _slogdet_forward(x):
    sign, logdet = xp.linalg.slogdet(x.astype(_compute_dtype(x)))
    return xp.asarray(sign).astype(x.dtype), xp.asarray(logdet).astype(x.dtype)


def _slogdet_grad(op, d_sign, d_logdet):
    a = op.inputs[0]
    a_adj_inv = matrix_inverse(a, adjoint=True)
    mult = A.reshape(d_logdet, d_logdet.shape.as_list() + [1, 1])
    return [M.multiply(M.cast(mult, a.dtype), a_adj_inv)]


log_matrix_determinant_op = defop(
    "LogMatrixDeterminant",
    _slogdet_forward,
    dtype_rule=lambda op, inputs, attrs: _dtype_rule(op, inputs, attrs) * 2,
    shape_rule=lambda op, inputs, attrs: _det_shape(op, inputs, attrs) * 2,
    grad=_slogdet_grad,
    num_outputs=2,
)


@tf_export("linalg.inv")
def matrix_inverse(input, adjoint=False, name=None):
    """The inverse of each innermost square matrix (of its adjoint when ``adjoint``)."""
    return apply(matrix_inverse_op, L._value_of(input), adjoint=bool(adjoint), name=name)


@tf_export("linalg.det")
def matrix_determinant(input, name=None):
    """The determinant of each innermost square matrix."""
    return apply(matrix_determinant_op, L._value_of(input), name=name)


@tf_export("linalg.slogdet")
def log_matrix_determinant(input, name=None):
    """``(sign, log|det|)`` of each innermost square matrix."""
    return LogMatrixDeterminant(*apply(log_matrix_determinant_op, L._value_of(input), name=name))


@tf_export("linalg.logdet")
def logdet(matrix, name=None):
    """log(det(matrix)) of Hermitian positive-definite matrices, via the Cholesky factor."""
    chol = cholesky(matrix)
    diag = M.real(L.matrix_diag_part(chol))
    s = reduction_ops.reduce_sum(M.log(diag), axis=[-1])
    return M.multiply(_const(2.0, s.dtype), s)


# ---------------------------------------------------------------- solvers


def _solve_shape(op, inputs, attrs):
    m, r = inputs[0].shape, inputs[1].shape
    _square_shape(op, (inputs[0],), attrs)
    if m.rank is None or r.rank is None:
        return (TensorShape(None),)
    dm, dr = m.as_list(), r.as_list()
    if len(dr) < 2:
        raise invalid(op.name, f"Input tensor 1 must have rank >= 2, got {len(dr)}")
    if dm[-1] is not None and dr[-2] is not None and dm[-1] != dr[-2]:
        raise invalid(
            op.name,
            f"Input matrix and right-hand side must have the same number of "
            f"rows: {dm[-1]} vs {dr[-2]}",
        )
    batch = R.broadcast_shapes(TensorShape(dm[:-2]), TensorShape(dr[:-2]), op.name)
    return (TensorShape(batch.as_list() + dr[-2:]),)


def _solve_forward(matrix, rhs, adjoint):
    if matrix.shape[-1] != rhs.shape[-2] or matrix.shape[-1] != matrix.shape[-2]:
        _solve_shape(matrix_solve_op, (A.ArraySpec(matrix), A.ArraySpec(rhs)), {})
    ct = _compute_dtype(matrix)
    a = matrix.astype(ct)
    if adjoint:
        a = xp.conj(xp.swapaxes(a, -1, -2))
    try:
        return xp.linalg.solve(a, rhs.astype(ct)).astype(matrix.dtype)
    except xp.linalg.LinAlgError:
        raise invalid("MatrixSolve", "Input matrix is not invertible.") from None


def _solve_grad(op, dy):
    a, c = op.inputs[0], op.outputs[0]
    adj = op.get_attr("adjoint")
    grad_b = matrix_solve(a, dy, adjoint=not adj)
    grad_a = L.matmul(c, grad_b, adjoint_b=True) if adj else L.matmul(grad_b, c, adjoint_b=True)
    return [
        A.unbroadcast(M.negative(grad_a), a),
        A.unbroadcast(grad_b, op.inputs[1]),
    ]


matrix_solve_op = defop(
    "MatrixSolve",
    _solve_forward,
    dtype_rule=R.same_dtype(_SOLVE_TYPES),
    shape_rule=_solve_shape,
    grad=_solve_grad,
)


def _tri_forward(matrix, rhs, lower, adjoint):
    if matrix.shape[-1] != rhs.shape[-2] or matrix.shape[-1] != matrix.shape[-2]:
        _solve_shape(matrix_triangular_solve_op, (A.ArraySpec(matrix), A.ArraySpec(rhs)), {})
    ct = _compute_dtype(matrix)
    a = xp.tril(matrix) if lower else xp.triu(matrix)
    a = a.astype(ct)
    if adjoint:
        a = xp.conj(xp.swapaxes(a, -1, -2))
    with xp.errstate(all="ignore"):
        try:
            return xp.linalg.solve(a, rhs.astype(ct)).astype(matrix.dtype)
        except xp.linalg.LinAlgError:  # a zero on the diagonal: TF's substitution gives inf/nan
            return _substitute(a, rhs.astype(ct), lower != bool(adjoint)).astype(matrix.dtype)


def _substitute(a, b, lower):
    """Plain forward/back substitution (IEEE inf/nan where the diagonal is zero)."""
    n = a.shape[-1]
    x = xp.zeros(xp.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:], dtype=b.dtype)
    order = range(n) if lower else range(n - 1, -1, -1)
    for i in order:
        acc = b[..., i, :] - xp.einsum("...j,...jk->...k", a[..., i, :], x)
        x[..., i, :] = acc / a[..., i, i][..., None]
    return x


def _tri_grad(op, dy):
    a, c = op.inputs[0], op.outputs[0]
    adj, lower = op.get_attr("adjoint"), op.get_attr("lower")
    grad_b = matrix_triangular_solve(a, dy, lower=lower, adjoint=not adj)
    grad_a = L.matmul(c, grad_b, adjoint_b=True) if adj else L.matmul(grad_b, c, adjoint_b=True)
    grad_a = (
        L.band_part(M.negative(grad_a), -1, 0) if lower else L.band_part(M.negative(grad_a), 0, -1)
    )
    return [
        A.unbroadcast(grad_a, a),
        A.unbroadcast(grad_b, op.inputs[1]),
    ]


matrix_triangular_solve_op = defop(
    "MatrixTriangularSolve",
    _tri_forward,
    dtype_rule=R.same_dtype(_SOLVE_TYPES),
    shape_rule=_solve_shape,
    grad=_tri_grad,
)


@tf_export("linalg.solve")
def matrix_solve(matrix, rhs, adjoint=False, name=None):
    """Solves ``matrix @ x = rhs`` (``adjoint(matrix) @ x = rhs`` when ``adjoint``)."""
    matrix, rhs = A.match_dtypes([L._value_of(matrix), L._value_of(rhs)])
    return apply(matrix_solve_op, matrix, rhs, adjoint=bool(adjoint), name=name)


@tf_export("linalg.triangular_solve")
def matrix_triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """Solves a triangular system; only the ``lower`` (or upper) triangle of matrix is read."""
    matrix, rhs = A.match_dtypes([L._value_of(matrix), L._value_of(rhs)])
    return apply(
        matrix_triangular_solve_op, matrix, rhs, lower=bool(lower), adjoint=bool(adjoint), name=name
    )


# ---------------------------------------------------------------- cholesky


def _cholesky_forward(x):
    _square_shape(cholesky_op, (A.ArraySpec(x),), {})
    a = x.astype(_compute_dtype(x))
    try:
        return xp.linalg.cholesky(a).astype(x.dtype)
    except xp.linalg.LinAlgError:  # TF does not raise: failed factorisations hold NaN
        flat = a.reshape((-1,) + a.shape[-2:])
        out = xp.empty_like(flat)
        for i, m in enumerate(flat):
            try:
                out[i] = xp.linalg.cholesky(m)
            except xp.linalg.LinAlgError:
                out[i] = xp.nan
        return out.reshape(a.shape).astype(x.dtype)


def _cholesky_grad(op, dy):
    """TF's rule (Murray 2016): grad_A = sym(L^-H Phi(L^H dL) L^-1) / 2."""
    l = op.outputs[0]
    dims = l.shape.as_list()
    l_inv = matrix_triangular_solve(l, L.eye(dims[-1], batch_shape=dims[:-2], dtype=l.dtype))
    middle = L.matmul(l, dy, adjoint_a=True)
    middle = L.matrix_set_diag(middle, M.multiply(_const(0.5, l.dtype), L.matrix_diag_part(middle)))
    middle = L.band_part(middle, -1, 0)
    grad_a = L.matmul(L.matmul(l_inv, middle, adjoint_a=True), l_inv)
    grad_a = M.add(grad_a, _adj(grad_a))
    return [M.multiply(grad_a, _const(0.5, l.dtype))]


cholesky_op = defop(
    "Cholesky",
    _cholesky_forward,
    dtype_rule=_dtype_rule,
    shape_rule=_square_shape,
    grad=_cholesky_grad,
)


@tf_export("linalg.cholesky")
def cholesky(input, name=None):
    """The lower Cholesky factor of each Hermitian positive-definite matrix (only the lower
    triangle is read; a failed factorisation gives NaN, TF does not raise)."""
    return apply(cholesky_op, L._value_of(input), name=name)


@tf_export("linalg.cholesky_solve")
def cholesky_solve(chol, rhs, name=None):
    """Solves ``A x = rhs`` given ``chol``, the Cholesky factor of A."""
    y = matrix_triangular_solve(chol, rhs, adjoint=False, lower=True)
    return matrix_triangular_solve(chol, y, adjoint=True, lower=True)


# ---------------------------------------------------------------- QR


def _qr_forward(x, full_matrices):
    q, r = xp.linalg.qr(
        x.astype(_compute_dtype(x)), mode="complete" if full_matrices else "reduced"
    )
    return q.astype(x.dtype), r.astype(x.dtype)


def _qr_shape(op, inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return (TensorShape(None),) * 2
    d = s.as_list()
    m, n = d[-2:]
    k = None if m is None or n is None else min(m, n)
    if attrs["full_matrices"]:
        return TensorShape(d[:-2] + [m, m]), TensorShape(d[:-2] + [m, n])
    return TensorShape(d[:-2] + [m, k]), TensorShape(d[:-2] + [k, n])


def _tri_solve_right(x, r):
    """x @ inverse(r)^H for upper-triangular r."""
    return _adj(matrix_triangular_solve(r, _adj(x), lower=False, adjoint=False))


def _qr_grad(op, dq, dr):
    """TF's rule (arXiv:2009.10071) for m >= n and for wide matrices (reduced)."""
    q, r = op.outputs
    m, n = q.shape.as_list()[-2], r.shape.as_list()[-1]
    if r.shape.as_list()[-2] > n and q.shape.as_list()[-2] == q.shape.as_list()[-1]:
        raise NotImplementedError(
            f"QrGrad not implemented when nrows > ncols and full_matrices is true. Received "
            f"r.shape={r.shape} with nrows={r.shape.as_list()[-2]} and ncols={n}."
        )
    if m >= n:
        return [_qr_grad_deep(q, r, dq, dr)]
    a = op.inputs[0]
    y = a[..., :, m:]
    u = r[..., :, :m]
    dv, du = dr[..., :, m:], dr[..., :, :m]
    dx = _qr_grad_deep(q, u, M.add(dq, L.matmul(y, dv, adjoint_b=True)), du)
    return [A.concat([dx, L.matmul(q, dv)], axis=-1)]


def _qr_grad_deep(q, r, dq, dr):
    qdq = L.matmul(q, dq, adjoint_a=True)
    qdq_ = M.subtract(qdq, _adj(qdq))
    rdr = L.matmul(r, dr, adjoint_b=True)
    rdr_ = M.subtract(rdr, _adj(rdr))
    tril = L.band_part(M.add(qdq_, rdr_), -1, 0)
    grad_a = L.matmul(q, M.add(dr, _tri_solve_right(tril, r)))
    grad_b = _tri_solve_right(M.subtract(dq, L.matmul(q, qdq)), r)
    ret = M.add(grad_a, grad_b)
    if q.dtype.is_complex:
        mm = M.subtract(rdr, _adj(qdq))
        eyem = L.matrix_set_diag(A.zeros_like(mm), L.matrix_diag_part(mm))
        correction = M.subtract(eyem, M.cast(M.real(eyem), q.dtype))
        ret = M.add(ret, _tri_solve_right(L.matmul(q, _adj(correction)), r))
    return ret


qr_op = defop(
    "Qr",
    _qr_forward,
    dtype_rule=lambda op, inputs, attrs: _dtype_rule(op, inputs, attrs) * 2,
    shape_rule=_qr_shape,
    grad=_qr_grad,
    num_outputs=2,
)


@tf_export("linalg.qr")
def qr(input, full_matrices=False, name=None):
    """QR decomposition ``input = q @ r`` (q orthonormal columns, r upper triangular)."""
    return Qr(*apply(qr_op, L._value_of(input), full_matrices=bool(full_matrices), name=name))


# ---------------------------------------------------------------- SVD


def _svd_forward(x, compute_uv, full_matrices):
    a = x.astype(_compute_dtype(x))
    if not compute_uv:
        s = xp.linalg.svd(a, compute_uv=False)
        empty = xp.zeros((0,), dtype=x.dtype)
        return s.astype(x.real.dtype if x.dtype.kind == "c" else x.dtype), empty, empty
    u, s, vh = xp.linalg.svd(a, full_matrices=full_matrices)
    v = xp.conj(xp.swapaxes(vh, -1, -2))
    u, v = _svd_signs(u, v, x.shape[-2] >= x.shape[-1])
    return (
        s.astype(x.real.dtype if x.dtype.kind == "c" else x.dtype),
        u.astype(x.dtype),
        v.astype(x.dtype),
    )


def _last_row_signs(m):
    """+1/-1 per column so that the column's last entry is non-negative."""
    return xp.where(m[..., -1:, :].real < 0, -1, 1).astype(m.dtype)


def _svd_signs(u, v, tall):
    """Column signs as TF's (Eigen) SVD gives them: for tall inputs the last row of v is
    non-negative (u follows v); the extra columns of a full u get the same rule; wide inputs
    mirror this with u."""
    if not tall:
        v, u = _svd_signs(v, u, True)
        return u, v
    k = min(v.shape[-1], u.shape[-1])
    sg = _last_row_signs(v[..., :, :k])
    v = v * sg if v.shape[-1] == k else xp.concatenate([v[..., :k] * sg, v[..., k:]], -1)
    u = xp.concatenate([u[..., :k] * sg, u[..., k:] * _last_row_signs(u[..., k:])], -1)
    return u, v


def _svd_dtypes(op, inputs, attrs):
    d = _dtype_rule(op, inputs, attrs)[0]
    return (d.real_dtype, d, d)


def _svd_shape(op, inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return (TensorShape(None),) * 3
    d = s.as_list()
    m, n = d[-2:]
    k = None if m is None or n is None else min(m, n)
    batch = d[:-2]
    if not attrs["compute_uv"]:
        return TensorShape(batch + [k]), TensorShape([0]), TensorShape([0])
    if attrs["full_matrices"]:
        return TensorShape(batch + [k]), TensorShape(batch + [m, m]), TensorShape(batch + [n, n])
    return TensorShape(batch + [k]), TensorShape(batch + [m, k]), TensorShape(batch + [n, k])


def _safe_reciprocal(x, epsilon=1e-20):
    return M.multiply(x, M.reciprocal(M.add(M.multiply(x, x), _const(epsilon, x.dtype))))


def _svd_grad(op, grad_s, grad_u, grad_v):
    """TF's SvdGrad (Giles; Townsend for the reduced case)."""
    a = op.inputs[0]
    grad_s = M.cast(grad_s, a.dtype)
    grad_s_mat = L.matrix_diag(grad_s)
    if not op.get_attr("compute_uv"):
        s, u, v = svd(a, compute_uv=True)
        return [L.matmul(u, L.matmul(grad_s_mat, v, adjoint_b=True))]
    full_matrices = op.get_attr("full_matrices")
    m, n = a.shape.as_list()[-2:]
    s, u, v = op.outputs
    s = M.cast(s, a.dtype)
    use_adjoint = m > n
    if use_adjoint:
        m, n = n, m
        u, v = v, u
        grad_u, grad_v = grad_v, grad_u
    if full_matrices and abs(m - n) > 1:
        raise NotImplementedError(
            "svd gradient is not implemented for abs(m - n) > 1 when full_matrices is True"
        )
    s_mat = L.matrix_diag(s)
    s_2 = M.square(s)
    f = L.matrix_set_diag(
        _safe_reciprocal(M.subtract(A.expand_dims(s_2, -2), A.expand_dims(s_2, -1))),
        A.zeros_like(s),
    )
    s_inv_mat = L.matrix_diag(_safe_reciprocal(s))
    v1 = v[..., :, :m]
    grad_v1 = grad_v[..., :, :m]
    u_gu = L.matmul(u, grad_u, adjoint_a=True)
    v_gv = L.matmul(v1, grad_v1, adjoint_a=True)
    f_u = M.multiply(f, u_gu)
    f_v = M.multiply(f, v_gv)
    term1_nouv = M.add(
        M.add(grad_s_mat, L.matmul(M.add(f_u, _adj(f_u)), s_mat)),
        L.matmul(s_mat, M.add(f_v, _adj(f_v))),
    )
    grad = L.matmul(u, L.matmul(term1_nouv, v1, adjoint_b=True))
    if m != n:
        gv1t = _adj(grad_v1)
        term2_nous = M.subtract(gv1t, L.matmul(L.matmul(gv1t, v1), v1, adjoint_b=True))
        if full_matrices:
            v2, grad_v2 = v[..., :, m:n], grad_v[..., :, m:n]
            term2_nous = M.subtract(
                term2_nous, L.matmul(L.matmul(v1, grad_v2, adjoint_a=True), v2, adjoint_b=True)
            )
        grad = M.add(grad, L.matmul(L.matmul(u, s_inv_mat), term2_nous))
    if a.dtype.is_complex:
        dims = s.shape.as_list()
        eye = L.eye(dims[-1], batch_shape=dims[:-1], dtype=a.dtype)
        lm = M.multiply(eye, v_gv)
        term3_nouv = L.matmul(s_inv_mat, M.subtract(_adj(lm), lm))
        term3 = L.matmul(u, L.matmul(term3_nouv, v1, adjoint_b=True))
        grad = M.add(grad, M.multiply(_const(0.5, a.dtype), term3))
    return [_adj(grad) if use_adjoint else grad]


svd_op = defop(
    "Svd",
    _svd_forward,
    dtype_rule=_svd_dtypes,
    shape_rule=_svd_shape,
    grad=_svd_grad,
    num_outputs=3,
)


@tf_export("linalg.svd")
def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """Singular values ``s`` and, when ``compute_uv``, ``(s, u, v)`` with
    ``tensor = u @ diag(s) @ adjoint(v)`` (note: TF's order, and ``v`` is not transposed)."""
    s, u, v = apply(
        svd_op,
        L._value_of(tensor),
        compute_uv=bool(compute_uv),
        full_matrices=bool(full_matrices),
        name=name,
    )
    return (s, u, v) if compute_uv else s


# ---------------------------------------------------------------- eigh


def _eigh_forward(x, compute_v):
    a = x.astype(_compute_dtype(x))
    if not compute_v:
        e = xp.linalg.eigvalsh(a)
        return e.astype(x.real.dtype if x.dtype.kind == "c" else x.dtype), xp.zeros(
            (0,), dtype=x.dtype
        )
    e, v = xp.linalg.eigh(a)
    v = v * _last_row_signs(v)  # Eigen's sign convention (as TF returns them)
    return e.astype(x.real.dtype if x.dtype.kind == "c" else x.dtype), v.astype(x.dtype)


def _eigh_shape(op, inputs, attrs):
    s = _square_shape(op, inputs, attrs)[0]
    if s.rank is None:
        return (TensorShape(None),) * 2
    d = s.as_list()
    return TensorShape(d[:-1]), (TensorShape(d) if attrs["compute_v"] else TensorShape([0]))


def _eigh_grad(op, grad_e, grad_v):
    """TF's SelfAdjointEigV2 gradient; symmetrised onto the lower triangle the op reads."""
    a = op.inputs[0]
    e = op.outputs[0]
    if op.get_attr("compute_v"):
        v = op.outputs[1]
        f = L.matrix_set_diag(
            _safe_reciprocal(M.subtract(A.expand_dims(e, -2), A.expand_dims(e, -1))),
            A.zeros_like(e),
        )
        f = M.cast(f, a.dtype)
        inner = M.add(
            L.matrix_diag(M.cast(grad_e, a.dtype)),
            M.multiply(f, L.matmul(v, grad_v, adjoint_a=True)),
        )
        grad_a = L.matmul(v, L.matmul(inner, v, adjoint_b=True))
    else:
        _, v = eigh(a)
        grad_a = L.matmul(v, L.matmul(L.matrix_diag(M.cast(grad_e, a.dtype)), v, adjoint_b=True))
    grad_a = L.band_part(M.add(grad_a, _adj(grad_a)), -1, 0)
    grad_a = L.matrix_set_diag(grad_a, M.multiply(_const(0.5, a.dtype), L.matrix_diag_part(grad_a)))
    return [grad_a]


self_adjoint_eig_v2_op = defop(
    "SelfAdjointEigV2",
    _eigh_forward,
    dtype_rule=lambda op, inputs, attrs: (
        _dtype_rule(op, inputs, attrs)[0].real_dtype,
        inputs[0].dtype,
    ),
    shape_rule=_eigh_shape,
    grad=_eigh_grad,
    num_outputs=2,
)


@tf_export("linalg.eigh")
def eigh(tensor, name=None):
    """Eigenvalues (ascending) and eigenvectors of self-adjoint matrices (lower triangle read)."""
    return tuple(apply(self_adjoint_eig_v2_op, L._value_of(tensor), compute_v=True, name=name))


@tf_export("linalg.eigvalsh")
def eigvalsh(tensor, name=None):
    """Eigenvalues (ascending) of self-adjoint matrices."""
    return apply(self_adjoint_eig_v2_op, L._value_of(tensor), compute_v=False, name=name)[0]


# ---------------------------------------------------------------- LU


def _lu_forward(x, output_idx_type):
    """Partial pivoting (first largest |pivot| in the column), as Eigen's PartialPivLU."""
    lu = x.astype(_compute_dtype(x)).copy()
    n = lu.shape[-1]
    flat = lu.reshape((-1, n, n))
    perm = xp.tile(xp.arange(n), (flat.shape[0], 1))
    rows = xp.arange(flat.shape[0])
    for k in range(n):
        piv = k + xp.argmax(xp.abs(flat[:, k:, k]), axis=1)
        flat[rows, [k], :], flat[rows, piv, :] = flat[rows, piv, :], flat[rows, [k], :].copy()
        perm[rows, k], perm[rows, piv] = perm[rows, piv], perm[rows, k].copy()
        pivot = flat[:, k, k][:, None]
        with xp.errstate(all="ignore"):
            factors = xp.where(pivot != 0, flat[:, k + 1 :, k] / xp.where(pivot != 0, pivot, 1), 0)
        flat[:, k + 1 :, k] = factors
        flat[:, k + 1 :, k + 1 :] -= factors[:, :, None] * flat[:, k, k + 1 :][:, None, :]
    return flat.reshape(lu.shape).astype(x.dtype), perm.reshape(lu.shape[:-1]).astype(
        output_idx_type._np
    )


def _lu_grad(op, *grads):
    raise LookupError("gradient registry has no entry for: Lu")


lu_op = defop(
    "Lu",
    _lu_forward,
    dtype_rule=lambda op, inputs, attrs: (
        _dtype_rule(op, inputs, attrs)[0],
        attrs["output_idx_type"],
    ),
    shape_rule=lambda op, inputs, attrs: (
        _square_shape(op, inputs, attrs)[0],
        TensorShape(None)
        if inputs[0].shape.rank is None
        else TensorShape(inputs[0].shape.as_list()[:-1]),
    ),
    grad=_lu_grad,
    num_outputs=2,
)


@tf_export("linalg.lu")
def lu(input, output_idx_type=D.int32, name=None):
    """LU decomposition with partial pivoting: ``lu`` packs L (unit diagonal) and U, ``p`` is
    the row permutation (``input[p] = L @ U``)."""
    return Lu(
        *apply(lu_op, L._value_of(input), output_idx_type=D.as_dtype(output_idx_type), name=name)
    )


# ---------------------------------------------------------------- composites


@tf_export("linalg.pinv")
def pinv(a, rcond=None, validate_args=False, name=None):
    """Moore-Penrose pseudo-inverse via the SVD; singular values below
    ``rcond * max(s)`` (default ``10 * max(m, n) * eps``) count as zero."""
    a = L._value_of(a)
    dtype = a.dtype
    if rcond is None:
        m, n = a.shape.as_list()[-2:]
        rcond = 10.0 * max(m, n) * float(xp.finfo(dtype._np).eps)
    rcond = _const(rcond, dtype)
    s, u, v = svd(a, full_matrices=False, compute_uv=True)
    cutoff = M.multiply(rcond, reduction_ops.reduce_max(s, axis=-1))
    s = A.where(M.greater(s, A.expand_dims(cutoff, -1)), s, _const(float("inf"), dtype))
    return L.matmul(M.truediv(v, A.expand_dims(s, -2)), u, adjoint_b=True)


@tf_export("linalg.lstsq")
def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """Least-squares solution of ``matrix @ x = rhs`` (regularised normal equations solved
    with a Cholesky factorisation, TF's ``fast`` path)."""
    matrix, rhs = A.match_dtypes([L._value_of(matrix), L._value_of(rhs)])
    m, n = matrix.shape.as_list()[-2:]
    batch = matrix.shape.as_list()[:-2]
    reg = _const(l2_regularizer, matrix.dtype)
    if m >= n:
        gram = L.matmul(matrix, matrix, adjoint_a=True)
        if l2_regularizer:
            gram = M.add(gram, M.multiply(reg, L.eye(n, batch_shape=batch, dtype=matrix.dtype)))
        return cholesky_solve(cholesky(gram), L.matmul(matrix, rhs, adjoint_a=True))
    gram = L.matmul(matrix, matrix, adjoint_b=True)
    if l2_regularizer:
        gram = M.add(gram, M.multiply(reg, L.eye(m, batch_shape=batch, dtype=matrix.dtype)))
    return L.matmul(matrix, cholesky_solve(cholesky(gram), rhs), adjoint_a=True)


@tf_export("linalg.matrix_rank")
def matrix_rank(a, tol=None, validate_args=False, name=None):
    """Number of singular values above ``tol`` (default ``eps * max(m, n) * max(s)``)."""
    a = convert_to_tensor(L._value_of(a), dtype_hint=D.float32)
    s = svd(a, compute_uv=False)
    if tol is None:
        m = max(a.shape.as_list()[-2:])
        eps = float(xp.finfo(a.dtype._np).eps)
        tol = M.multiply(
            _const(eps * m, a.dtype), reduction_ops.reduce_max(s, axis=-1, keepdims=True)
        )
    else:
        tol = _const(tol, s.dtype) if not hasattr(tol, "dtype") else tol
    return reduction_ops.reduce_sum(M.cast(M.greater(s, tol), D.int32), axis=-1)


_PADE = {
    3: [120.0, 60.0, 12.0],
    5: [30240.0, 15120.0, 3360.0, 420.0, 30.0],
    7: [17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0],
    9: [
        17643225600.0,
        8821612800.0,
        2075673600.0,
        302702400.0,
        30270240.0,
        2162160.0,
        110880.0,
        3960.0,
        90.0,
    ],
    13: [
        64764752532480000.0,
        32382376266240000.0,
        7771770303897600.0,
        1187353796428800.0,
        129060195264000.0,
        10559470521600.0,
        670442572800.0,
        33522128640.0,
        1323241920.0,
        40840800.0,
        960960.0,
        16380.0,
        182.0,
    ],
}


def _pade(matrix, order):
    """(U, V) of the [order/order] Padé approximant of exp, as in TF's expm."""
    dt = matrix.dtype
    b = [_const(x, dt) for x in _PADE[order]]
    dims = matrix.shape.as_list()
    ident = L.eye(dims[-1], batch_shape=dims[:-2], dtype=dt)
    m2 = L.matmul(matrix, matrix)
    mul, add = M.multiply, M.add
    if order == 13:
        m4 = L.matmul(m2, m2)
        m6 = L.matmul(m4, m2)
        tmp_u = add(
            add(
                add(
                    add(L.matmul(m6, add(add(m6, mul(b[11], m4)), mul(b[9], m2))), mul(b[7], m6)),
                    mul(b[5], m4),
                ),
                mul(b[3], m2),
            ),
            mul(b[1], ident),
        )
        tmp_v = add(add(mul(b[12], m6), mul(b[10], m4)), mul(b[8], m2))
        v = add(
            add(add(add(L.matmul(m6, tmp_v), mul(b[6], m6)), mul(b[4], m4)), mul(b[2], m2)),
            mul(b[0], ident),
        )
        return L.matmul(matrix, tmp_u), v
    powers = [ident, m2]
    for _ in range(order // 2 - 1):
        powers.append(L.matmul(powers[-1], m2))
    # tmp = m^(order-1) + b[order-2] m^(order-3) + ... + b[1] I ; v = b[order-1] m^(order-1) + ...
    top = order // 2
    tmp = powers[top]
    v = mul(b[order - 1], powers[top])
    for j in range(top - 1, -1, -1):
        tmp = add(tmp, mul(b[2 * j + 1], powers[j]))
        v = add(v, mul(b[2 * j], powers[j]))
    return L.matmul(matrix, tmp), v


@tf_export("linalg.expm")
def matrix_exponential(input, name=None):
    """Matrix exponential by scaling and squaring with Padé approximants (TF's algorithm:
    orders 3/5/7 for 32-bit types, 3/5/7/9/13 for 64-bit)."""
    matrix = L._value_of(input)
    dims = matrix.shape.as_list()
    if dims[-2:] == [0, 0]:
        return matrix
    matrix = A.reshape(matrix, [-1] + dims[-2:])
    l1 = reduction_ops.reduce_max(reduction_ops.reduce_sum(M.abs(matrix), axis=1), axis=-1)
    l1 = A.reshape(l1, [-1, 1, 1])
    dt = l1.dtype
    if matrix.dtype in (D.float16, D.float32, D.complex64):
        maxnorm, orders = 3.925724783138660, (3, 5, 7)
        conds = (4.258730016922831e-001, 1.880152677804762e000)
    else:
        maxnorm, orders = 5.371920351148152, (3, 5, 7, 9, 13)
        conds = (
            1.495585217958292e-002,
            2.539398330063230e-001,
            9.504178996162932e-001,
            2.097847961257068e000,
        )
    squarings = M.maximum(
        M.floor(M.truediv(M.log(M.truediv(l1, _const(maxnorm, dt))), M.log(_const(2.0, dt)))),
        _const(0.0, dt),
    )
    scaled = M.truediv(matrix, M.cast(M.pow(_const(2.0, dt), squarings), matrix.dtype))
    pairs = [_pade(matrix, o) for o in orders[:-1]] + [_pade(scaled, orders[-1])]
    u, v = pairs[-1]
    for c, (uc, vc) in zip(reversed(conds), reversed(pairs[:-1])):
        small = M.less(l1, _const(c, dt))
        u, v = A.where(small, uc, u), A.where(small, vc, v)
    result = matrix_solve(M.add(M.negative(u), v), M.add(u, v))
    n_sq = int(reduction_ops.reduce_max(squarings))
    for i in range(n_sq):
        result = A.where(M.less(_const(float(i), dt), squarings), L.matmul(result, result), result)
    return A.reshape(result, dims)


# ---------------------------------------------------------------- norms

_MATRIX_NORMS = ["euclidean", "fro", 1, 2, float("inf")]


def _check_norm_args(ord, axis):
    is_matrix = isinstance(axis, (tuple, list)) and len(axis) == 2
    if is_matrix:
        axis = tuple(axis)
        if not isinstance(axis[0], int) or not isinstance(axis[1], int) or axis[0] == axis[1]:
            raise ValueError(
                f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}"
            )
        if ord not in _MATRIX_NORMS:
            raise ValueError(
                f"'ord' must be a supported matrix norm in "
                f"['euclidean', 'fro', 1, 2, inf], got {ord}"
            )
    else:
        if not (isinstance(axis, int) or axis is None):
            raise ValueError(
                f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}"
            )
        if ord not in ("euclidean", 1, 2, float("inf")) and (
            isinstance(ord, str) or not isinstance(ord, (int, float)) or ord <= 0
        ):
            raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
        if axis is not None:
            axis = (axis,)
    return is_matrix, axis


@tf_export("norm", "linalg.norm")
def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):
    """Vector norms (``ord`` 'euclidean', 1, 2, inf or any p > 0) over ``axis`` (None: all
    elements) and matrix norms ('fro', 1, 2, inf) over a pair of axes."""
    axis = A.py_value(axis)
    if isinstance(axis, list) and len(axis) != 2:
        axis = tuple(axis)
    is_matrix, axis = _check_norm_args(ord, axis)
    tensor = L._value_of(tensor)
    rsum, rmax = reduction_ops.reduce_sum, reduction_ops.reduce_max
    if ord in ("fro", "euclidean", 2, 2.0):
        if is_matrix and ord in (2, 2.0):
            result = _matrix_2_norm(tensor, axis)
        else:
            ax = None if axis is None else list(axis)
            result = M.sqrt(rsum(M.multiply(tensor, L.conj(tensor)), ax, keepdims=True))
    else:
        result = M.abs(tensor)
        if ord == 1:
            result = rsum(result, None if axis is None else axis[0], keepdims=True)
            if is_matrix:
                result = rmax(result, axis[-1], keepdims=True)
        elif ord == float("inf"):
            if is_matrix:
                result = rsum(result, axis[1], keepdims=True)
            result = rmax(result, None if axis is None else axis[0], keepdims=True)
        else:
            p = _const(ord, result.dtype)
            result = M.pow(
                rsum(M.pow(result, p), None if axis is None else list(axis), keepdims=True),
                _const(1.0 / ord, result.dtype),
            )
    if not keepdims:
        result = A.squeeze(result, None if axis is None else list(axis))
    return result


def _matrix_2_norm(tensor, axis):
    """Largest singular value over the two ``axis`` dims (kept as size-1 dims)."""
    rank = tensor.shape.rank
    pos = [a % rank for a in axis]
    perm = [i for i in range(rank) if i not in pos] + pos
    inverse = [perm.index(i) for i in range(rank)]
    s = svd(A.transpose(tensor, perm), compute_uv=False)
    top = A.expand_dims(reduction_ops.reduce_max(M.abs(s), axis=-1, keepdims=True), -1)
    return A.transpose(top, inverse)


@tf_export("linalg.normalize")
def normalize(tensor, ord="euclidean", axis=None, name=None):
    """``(tensor / norm, norm)`` with the norm kept as size-1 dims."""
    tensor = L._value_of(tensor)
    n = M.cast(norm(tensor, ord, axis, keepdims=True), tensor.dtype)
    return M.truediv(tensor, n), n
