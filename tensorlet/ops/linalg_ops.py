"""Matrix products and matrix structure: matmul (``@``), matvec, einsum, tensordot, cross, the
diagonal ops (diag, diag_part, set_diag, band_part, trace) and eye.

Decompositions and solvers live in ``linalg_decomp_ops``; norms there too.
"""

import functools
import string

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import array_ops as A
from tensorlet.ops import shape_rules as R
from tensorlet.ops.array_ops import invalid, py_int, py_ints
from tensorlet.ops.op_def import apply, defop

D = dtypes
_pyrange = range


def _brackets(dims):
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def conj(x):
    """``x`` conjugated when complex (real tensors are returned as they are)."""
    if x.dtype.is_complex:
        from tensorlet.ops import math_ops

        return math_ops.conj(x)
    return x


# ---------------------------------------------------------------- matmul


def _matmul_dims(a, b, ta, tb):
    m, k = (a[1], a[0]) if ta else (a[0], a[1])
    k2, n = (b[1], b[0]) if tb else (b[0], b[1])
    return m, k, k2, n


def _matmul_shape(op, inputs, attrs):
    a, b = inputs[0].shape, inputs[1].shape
    if a.rank is None or b.rank is None:
        return (TensorShape([None, None]),)
    if a.rank != 2 or b.rank != 2:
        raise invalid(
            op.name, f"In[0] and In[1] ndims must be == 2: {a.rank if a.rank != 2 else b.rank}"
        )
    m, k, k2, n = _matmul_dims(a.as_list(), b.as_list(), attrs["transpose_a"], attrs["transpose_b"])
    if k is not None and k2 is not None and k != k2:
        raise invalid(
            op.name, f"Matrix size-incompatible: In[0]: {_brackets(a)}, In[1]: {_brackets(b)}"
        )
    return (TensorShape([m, n]),)


def _matmul_forward(a, b, transpose_a, transpose_b):
    if (
        a.ndim != 2
        or b.ndim != 2
        or a.shape[0 if transpose_a else 1] != b.shape[1 if transpose_b else 0]
    ):
        _matmul_shape(
            mat_mul_op,
            (A.ArraySpec(a), A.ArraySpec(b)),
            {"transpose_a": transpose_a, "transpose_b": transpose_b},
        )
    return xp.matmul(a.T if transpose_a else a, b.T if transpose_b else b)


def _matmul_grad(op, dy):
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    a, b = conj(op.inputs[0]), conj(op.inputs[1])
    if not ta and not tb:
        return [matmul(dy, b, transpose_b=True), matmul(a, dy, transpose_a=True)]
    if not ta and tb:
        return [matmul(dy, b), matmul(dy, a, transpose_a=True)]
    if ta and not tb:
        return [matmul(b, dy, transpose_b=True), matmul(a, dy)]
    return [
        matmul(b, dy, transpose_a=True, transpose_b=True),
        matmul(dy, a, transpose_a=True, transpose_b=True),
    ]


_MATMUL_TYPES = R.NUMERIC
mat_mul_op = defop(
    "MatMul",
    _matmul_forward,
    dtype_rule=R.same_dtype(_MATMUL_TYPES),
    shape_rule=_matmul_shape,
    grad=_matmul_grad,
)


def _batch_matmul_shape(op, inputs, attrs):
    a, b = inputs[0].shape, inputs[1].shape
    if a.rank is None or b.rank is None:
        return (TensorShape(None),)
    for i, s in enumerate((a, b)):
        if s.rank < 2:
            raise invalid(op.name, f"In[{i}] ndims must be >= 2: {s.rank}")
    da, db = a.as_list(), b.as_list()
    m, k = (da[-1], da[-2]) if attrs["adj_x"] else (da[-2], da[-1])
    k2, n = (db[-1], db[-2]) if attrs["adj_y"] else (db[-2], db[-1])
    try:
        batch = R.broadcast_shapes(TensorShape(da[:-2]), TensorShape(db[:-2]), op.name)
    except errors.InvalidArgumentError:
        raise invalid(
            op.name,
            f"In[0] and In[1] must have compatible batch dimensions: "
            f"{_brackets(da)} vs. {_brackets(db)}",
        ) from None
    if k is not None and k2 is not None and k != k2:
        raise invalid(
            op.name,
            f"In[0] mismatch In[1] shape: {k} vs. {k2}: {_brackets(da)} "
            f"{_brackets(db)} {int(attrs['adj_x'])} {int(attrs['adj_y'])}",
        )
    return (TensorShape(batch.as_list() + [m, n]),)


def _adjoint_last(x):
    x = xp.swapaxes(x, -1, -2)
    return xp.conj(x) if x.dtype.kind == "c" else x


def _batch_matmul_forward(x, y, adj_x, adj_y):
    if x.ndim < 2 or y.ndim < 2 or x.shape[-2 if adj_x else -1] != y.shape[-1 if adj_y else -2]:
        _batch_matmul_shape(
            batch_mat_mul_v2_op, (A.ArraySpec(x), A.ArraySpec(y)), {"adj_x": adj_x, "adj_y": adj_y}
        )
    try:
        return xp.matmul(_adjoint_last(x) if adj_x else x, _adjoint_last(y) if adj_y else y)
    except ValueError:
        _batch_matmul_shape(
            batch_mat_mul_v2_op, (A.ArraySpec(x), A.ArraySpec(y)), {"adj_x": adj_x, "adj_y": adj_y}
        )
        raise


def _batch_matmul_grad(op, dy):
    x, y = op.inputs
    ax, ay = op.get_attr("adj_x"), op.get_attr("adj_y")
    if not ax:
        if not ay:
            gx, gy = matmul(dy, y, adjoint_b=True), matmul(x, dy, adjoint_a=True)
        else:
            gx, gy = matmul(dy, y), matmul(dy, x, adjoint_a=True)
    elif not ay:
        gx, gy = matmul(y, dy, adjoint_b=True), matmul(x, dy)
    else:
        gx, gy = (
            matmul(y, dy, adjoint_a=True, adjoint_b=True),
            matmul(dy, x, adjoint_a=True, adjoint_b=True),
        )
    return [A.unbroadcast(gx, x), A.unbroadcast(gy, y)]


batch_mat_mul_v2_op = defop(
    "BatchMatMulV2",
    _batch_matmul_forward,
    dtype_rule=R.same_dtype(_MATMUL_TYPES),
    shape_rule=_batch_matmul_shape,
    grad=_batch_matmul_grad,
)


@tf_export("linalg.matmul", "matmul")
def matmul(
    a,
    b,
    transpose_a=False,
    transpose_b=False,
    adjoint_a=False,
    adjoint_b=False,
    a_is_sparse=False,
    b_is_sparse=False,
    output_type=None,
    grad_a=False,
    grad_b=False,
    name=None,
):
    """Matrix product ``a @ b`` of the innermost two dimensions, batch dimensions broadcast.

    ``transpose_*``/``adjoint_*`` transpose (and conjugate) an operand first; rank-2 inputs use
    the ``MatMul`` op, higher ranks ``BatchMatMulV2``. ``*_is_sparse`` are hints, ignored.

    Example:
        >>> tf.matmul([[1., 2.]], [[3.], [4.]]).numpy()
        array([[11.]], dtype=float32)
    """
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")
    if type(a) is not EagerTensor:
        a = _value_of(a)
    if type(b) is not EagerTensor:
        b = _value_of(b, a.dtype)
    ra, rb = a.shape.rank, b.shape.rank
    if ra is None or rb is None or ra > 2 or rb > 2:
        if transpose_a:
            a, adjoint_a = conj(a), True
        if transpose_b:
            b, adjoint_b = conj(b), True
        out = apply(
            batch_mat_mul_v2_op, a, b, adj_x=bool(adjoint_a), adj_y=bool(adjoint_b), name=name
        )
    else:
        if adjoint_a:
            a, transpose_a = conj(a), True
        if adjoint_b:
            b, transpose_b = conj(b), True
        out = apply(
            mat_mul_op,
            a,
            b,
            transpose_a=bool(transpose_a),
            transpose_b=bool(transpose_b),
            name=name,
        )
    if output_type is not None and D.as_dtype(output_type) is not out.dtype:
        from tensorlet.ops import math_ops

        out = math_ops.cast(out, output_type)
    return out


def _value_of(x, dtype_hint=None):
    if getattr(type(x), "_is_variable", False):
        return x.value()
    if isinstance(x, Tensor):
        return x
    return convert_to_tensor(x, dtype_hint=dtype_hint)


Tensor._override_operator("__matmul__", lambda a, b: matmul(a, b))
Tensor._override_operator("__rmatmul__", lambda a, b: matmul(b, a))


@tf_export("linalg.matvec")
def matvec(
    a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None
):
    """Matrix-vector product ``a @ b`` on the innermost dimensions (batch dims broadcast)."""
    a = _value_of(a)
    b = _value_of(b, a.dtype)
    out = matmul(a, A.expand_dims(b, -1), transpose_a=transpose_a, adjoint_a=adjoint_a)
    return A.squeeze(out, axis=[-1])


# ---------------------------------------------------------------- cross


def _cross_shape(op, inputs, attrs):
    a, b = inputs[0].shape, inputs[1].shape
    if a.rank is not None and b.rank is not None:
        if not a.is_compatible_with(b):
            raise invalid(
                op.name, f"Both inputs must be of same shape: {_brackets(a)} vs. {_brackets(b)}"
            )
        if a.as_list()[-1:] not in ([3], [None]):
            raise invalid(
                op.name,
                f"Trailing dimension must be of size 3 but is "
                f"{a.as_list()[-1] if a.rank else 'none'}",
            )
    return (a.merge_with(b),)


def _cross_forward(a, b):
    if a.shape != b.shape or a.shape[-1:] != (3,):
        _cross_shape(cross_op, (A.ArraySpec(a), A.ArraySpec(b)), {})
    return xp.cross(a, b)


cross_op = defop(
    "Cross",
    _cross_forward,
    dtype_rule=R.same_dtype(R.REAL),
    shape_rule=_cross_shape,
    grad=lambda op, dy: [cross(op.inputs[1], dy), cross(dy, op.inputs[0])],
)


@tf_export("linalg.cross")
def cross(a, b, name=None):
    """Pairwise cross product of 3-vectors (the last dimension)."""
    a, b = A.match_dtypes([a, b])
    return apply(cross_op, a, b, name=name)


# ---------------------------------------------------------------- einsum

_ELL = "..."


def _parse_einsum(equation, ranks):
    """Labels of each operand and of the output; ellipsis dims become ('.', j) labels with j
    counted so that all operands' ellipses align on the right."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ranks):
        raise ValueError(f"Expected {len(terms)} input tensors but got {len(ranks)}")
    n_ell = []
    for t, r in zip(terms, ranks):
        n_ell.append(r - (len(t) - 3) if _ELL in t else 0)
    e_max = max(n_ell, default=0)
    labels = []
    for t, r, ne in zip(terms, ranks, n_ell):
        if _ELL in t:
            pre, _, post = t.partition(_ELL)
            if ne < 0:
                raise ValueError(
                    f"Expected input of rank {len(t) - 3} or more for subscripts {t}, got {r}"
                )
            labels.append(list(pre) + [(".", j) for j in _pyrange(e_max - ne, e_max)] + list(post))
        else:
            if len(t) != r:
                raise ValueError(
                    f"Expected {r} subscripts for input of rank {r} in equation "
                    f"{equation}, but got {len(t)}: {t}"
                )
            labels.append(list(t))
    ell = [(".", j) for j in _pyrange(e_max)]
    if arrow:
        if _ELL in rhs:
            pre, _, post = rhs.partition(_ELL)
            out = list(pre) + ell + list(post)
        else:
            out = list(rhs)
    else:
        counts = {}
        for ls in labels:
            for l in ls:
                if isinstance(l, str):
                    counts[l] = counts.get(l, 0) + 1
        out = ell + sorted(l for l, c in counts.items() if c == 1)
    return labels, out


def _einsum_sizes(op_name, labels, shapes):
    sizes = {}
    for ls, shape in zip(labels, shapes):
        for l, d in zip(ls, shape):
            prev = sizes.get(l)
            if prev is None or prev == 1:
                sizes[l] = d if prev is None or d is not None else prev
            elif d is not None and d != 1 and d != prev:
                raise invalid(
                    op_name,
                    f"Expected dimension {prev} at axis "
                    f"{ls.index(l)} of the input shaped "
                    f"{_brackets(shape)} but got dimension {d}",
                )
    return sizes


def _einsum_shape(op, inputs, attrs):
    shapes = [t.shape for t in inputs]
    if any(s.rank is None for s in shapes):
        return (TensorShape(None),)
    dims = [s.as_list() for s in shapes]
    labels, out = _parse_einsum(attrs["equation"], [len(d) for d in dims])
    sizes = _einsum_sizes(op.name, labels, dims)
    for l in out:
        if l not in sizes:
            raise invalid(op.name, f"Output subscript {l} does not appear in the inputs")
    return (TensorShape([sizes[l] for l in out]),)


def _letters(labels_list):
    """A letter for every label (ellipsis labels get unused letters) for NumPy's einsum."""
    used = {l for ls in labels_list for l in ls if isinstance(l, str)}
    free = iter(c for c in string.ascii_letters if c not in used)
    mapping = {}
    for ls in labels_list:
        for l in ls:
            if l not in mapping:
                mapping[l] = l if isinstance(l, str) else next(free)
    return mapping, free


@functools.lru_cache(maxsize=1024)
def _einsum_plan(equation, shapes):
    """NumPy's contraction path when the loop volume is large enough for BLAS to pay off
    (False, the plain C loop, otherwise)."""
    if len(shapes) < 2:
        return False
    labels, _ = _parse_einsum(equation, [len(s) for s in shapes])
    sizes = {}
    for ls, shape in zip(labels, shapes):
        for l, d in zip(ls, shape):
            sizes[l] = max(sizes.get(l, 1), d)
    if _prod(sizes.values()) < 1 << 14:
        return False
    views = [xp.broadcast_to(xp.empty((), xp.float32), s) for s in shapes]
    return xp.einsum_path(equation, *views, optimize="greedy")[0]


@functools.lru_cache(maxsize=1024)
def _matmul_plan(equation, sa, sb):
    """A two-operand einsum as one batched matmul: ``(sum_a, sum_b, perm_a, perm_b, shape_a,
    shape_b, out_shape, out_perm)``, or None when labels repeat or broadcast."""
    (la, lb), out = _parse_einsum(equation, [len(sa), len(sb)])
    if len(set(la)) != len(la) or len(set(lb)) != len(lb) or len(set(out)) != len(out):
        return None
    size = {}
    for ls, shape in ((la, sa), (lb, sb)):
        for l, d in zip(ls, shape):
            if size.setdefault(l, d) != d:
                return None
    in_a, in_b, in_out = set(la), set(lb), set(out)
    if not in_out <= in_a | in_b:
        return None
    sum_a = tuple(i for i, l in enumerate(la) if l not in in_b and l not in in_out)
    sum_b = tuple(i for i, l in enumerate(lb) if l not in in_a and l not in in_out)
    la = [l for i, l in enumerate(la) if i not in sum_a]
    lb = [l for i, l in enumerate(lb) if i not in sum_b]
    batch = [l for l in out if l in in_a and l in in_b]
    a_free = [l for l in out if l in in_a and l not in in_b]
    b_free = [l for l in out if l in in_b and l not in in_a]
    contract = [l for l in la if l in in_b and l not in in_out]
    dims = [_prod(size[l] for l in g) for g in (batch, a_free, contract, b_free)]
    order = batch + a_free + b_free
    return (
        sum_a,
        sum_b,
        tuple(la.index(l) for l in batch + a_free + contract),
        tuple(lb.index(l) for l in batch + contract + b_free),
        (dims[0], dims[1], dims[2]),
        (dims[0], dims[2], dims[3]),
        tuple(size[l] for l in order),
        tuple(order.index(l) for l in out),
    )


def _einsum_matmul(plan, a, b):
    sum_a, sum_b, perm_a, perm_b, shape_a, shape_b, out_shape, out_perm = plan
    if sum_a:
        a = a.sum(axis=sum_a)
    if sum_b:
        b = b.sum(axis=sum_b)
    c = xp.matmul(a.transpose(perm_a).reshape(shape_a), b.transpose(perm_b).reshape(shape_b))
    return c.reshape(out_shape).transpose(out_perm)


def _einsum_forward(*xs, equation):
    try:
        if len(xs) == 2:
            plan = _matmul_plan(equation, xs[0].shape, xs[1].shape)
            if plan is not None:
                return _einsum_matmul(plan, *xs)
        plan = _einsum_plan(equation, tuple(x.shape for x in xs))
        return xp.einsum(equation, *xs, optimize=plan)
    except ValueError:
        _einsum_shape(einsum_op, [A.ArraySpec(x) for x in xs], {"equation": equation})
        raise


def _einsum_grad(op, dy):
    """d/d x_k = einsum(dy, other operands -> labels of x_k), then broadcast over labels summed
    only inside x_k (and broadcast size-1 dims), then put back repeated (diagonal) labels."""
    xs = op.inputs
    shapes = [x.shape.as_list() for x in xs]
    labels, out = _parse_einsum(op.get_attr("equation"), [len(s) for s in shapes])
    sizes = _einsum_sizes(op.name, labels, shapes)
    mapping, free = _letters(labels + [out])
    grads = []
    for k, x in enumerate(xs):
        if not (x.dtype.is_floating or x.dtype.is_complex):
            grads.append(None)
            continue
        grads.append(_einsum_operand_grad(dy, xs, k, labels, out, shapes, sizes, mapping, free))
    return grads


def _einsum_operand_grad(dy, xs, k, labels, out, shapes, sizes, mapping, free):
    mine = labels[k]
    unique = list(dict.fromkeys(mine))
    elsewhere = set(out).union(*[set(ls) for j, ls in enumerate(labels) if j != k])
    own_dim = {l: d for l, d in zip(mine, shapes[k])}
    kept = [l for l in unique if l in elsewhere and not (own_dim[l] == 1 and sizes[l] != 1)]
    others = [conj(x) for j, x in enumerate(xs) if j != k]
    terms = ["".join(mapping[l] for l in out)] + [
        "".join(mapping[l] for l in ls) for j, ls in enumerate(labels) if j != k
    ]
    g = einsum(",".join(terms) + "->" + "".join(mapping[l] for l in kept), dy, *others)
    if len(kept) != len(unique):
        g = A.reshape(g, [own_dim[l] if l in kept else 1 for l in unique])
        g = A.broadcast_to(g, [own_dim[l] for l in unique])
    if len(unique) != len(mine):
        return _expand_diagonals(g, unique, mine, own_dim, mapping, free)
    return g


def _expand_diagonals(g, unique, mine, dims, mapping, free):
    """Places g (labels ``unique``) on the diagonals of the repeated labels of ``mine``."""
    seen, target, eyes, eye_terms = set(), [], [], []
    for l in mine:
        if l in seen:
            new = next(free)
            target.append(new)
            eyes.append(eye(dims[l], dtype=g.dtype))
            eye_terms.append(mapping[l] + new)
        else:
            seen.add(l)
            target.append(mapping[l])
    src = "".join(mapping[l] for l in unique)
    return einsum(",".join([src] + eye_terms) + "->" + "".join(target), g, *eyes)


einsum_op = defop(
    "Einsum",
    _einsum_forward,
    dtype_rule=R.same_dtype(R.NUMERIC),
    shape_rule=_einsum_shape,
    grad=_einsum_grad,
)


@tf_export("einsum", "linalg.einsum")
def einsum(equation, *inputs, **kwargs):
    """Tensor contraction by Einstein summation, e.g. ``'ij,jk->ik'`` (matmul), ``'ii'``
    (trace), ``'...ij,...jk->...ik'`` (batched); without ``->`` the output holds the labels
    that appear once, in alphabetical order."""
    name = kwargs.pop("name", None)
    kwargs.pop("optimize", None)
    if kwargs:
        raise TypeError(
            f"Invalid keyword arguments for this function: "
            f"{', '.join(sorted(kwargs))}. Expected: name, optimize"
        )
    inputs = A.match_dtypes(
        [_value_of(x) if getattr(type(x), "_is_variable", False) else x for x in inputs]
    )
    return apply(einsum_op, *inputs, equation=str(equation), name=name)


# ---------------------------------------------------------------- tensordot


def _tensordot_axes(a_rank, b_rank, axes):
    axes = A.py_value(axes)
    if isinstance(axes, int):
        if axes < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {axes}.")
        if axes > a_rank or axes > b_rank:
            raise ValueError(
                f"`axes` must not be larger than the number of dimensions of "
                f"tensor {a_rank if axes > a_rank else b_rank}.  Received {axes}, "
                f"vs tensor dimensions {a_rank}."
            )
        return list(_pyrange(a_rank - axes, a_rank)), list(_pyrange(axes))
    if len(axes) != 2:
        raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
    a_axes, b_axes = axes
    a_axes = [a_axes] if isinstance(a_axes, int) else list(a_axes)
    b_axes = [b_axes] if isinstance(b_axes, int) else list(b_axes)
    if len(a_axes) != len(b_axes):
        raise ValueError(
            f"Different number of contraction axes `a` and `b`, {len(a_axes)} != {len(b_axes)}."
        )
    return [x % a_rank for x in a_axes], [x % b_rank for x in b_axes]


@tf_export("tensordot", "linalg.tensordot")
def tensordot(a, b, axes, name=None):
    """Sums the products of ``a`` and ``b`` over ``axes`` (an int N: the last N of a with the
    first N of b; or a pair of axis lists). Built as transpose + reshape + matmul, like TF."""
    a = _value_of(a)
    b = _value_of(b, a.dtype)
    da, db = a.shape.as_list(), b.shape.as_list()
    a_axes, b_axes = _tensordot_axes(len(da), len(db), axes)
    a_free = [i for i in _pyrange(len(da)) if i not in a_axes]
    b_free = [i for i in _pyrange(len(db)) if i not in b_axes]
    a_mat = A.reshape(
        A.transpose(a, a_free + a_axes),
        [_prod([da[i] for i in a_free]), _prod([da[i] for i in a_axes])],
    )
    b_mat = A.reshape(
        A.transpose(b, b_axes + b_free),
        [_prod([db[i] for i in b_axes]), _prod([db[i] for i in b_free])],
    )
    out = matmul(a_mat, b_mat)
    return A.reshape(out, [da[i] for i in a_free] + [db[i] for i in b_free])


def _prod(dims):
    n = 1
    for d in dims:
        n *= d
    return n


# ---------------------------------------------------------------- diagonals and bands


def _diag_len(rows, cols, d):
    return min(rows + min(0, d), cols - max(0, d))


def _diag_offset(d, max_len, rows, cols, align):
    sup, sub = align.split("_")
    left = (d >= 0 and sup == "LEFT") or (d <= 0 and sub == "LEFT")
    return 0 if left else max_len - _diag_len(rows, cols, d)


def _check_k(op_name, k, rows, cols):
    lo, hi = k
    if lo > hi:
        raise invalid(
            op_name, f"lower_diag_index must not be larger than upper_diag_index: {lo} > {hi}"
        )
    if (
        rows is not None
        and cols is not None
        and not ((-rows < lo < cols or lo == 0) and (-rows < hi < cols or hi == 0))
    ):
        raise invalid(
            op_name, f"The diagonal indices must be in the range [{-rows}, {cols}), got {k}"
        )


def _diag_part_forward(x, pad, k, align):
    rows, cols = x.shape[-2:]
    _check_k("MatrixDiagPartV3", k, rows, cols)
    lo, hi = k
    max_len = max(_diag_len(rows, cols, d) for d in _pyrange(lo, hi + 1))
    out = xp.full(x.shape[:-2] + (hi - lo + 1, max_len), pad, dtype=x.dtype)
    for i, d in enumerate(_pyrange(hi, lo - 1, -1)):
        n = _diag_len(rows, cols, d)
        r = xp.arange(max(0, -d), max(0, -d) + n)
        off = _diag_offset(d, max_len, rows, cols, align)
        out[..., i, off : off + n] = x[..., r, r + d]
    return out[..., 0, :] if lo == hi else out


def _diag_part_shape(op, inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return (TensorShape(None),)
    dims = s.as_list()
    if len(dims) < 2:
        raise invalid(op.name, f"input must be at least 2-dim, received shape: {_brackets(dims)}")
    rows, cols = dims[-2:]
    lo, hi = attrs["k"]
    _check_k(op.name, attrs["k"], rows, cols)
    if rows is None or cols is None:
        max_len = None
    else:
        max_len = max(_diag_len(rows, cols, d) for d in _pyrange(lo, hi + 1))
    return (TensorShape(dims[:-2] + ([] if lo == hi else [hi - lo + 1]) + [max_len]),)


def _diag_dims(k, max_len, num_rows, num_cols):
    lo, hi = k
    min_rows, min_cols = max_len - min(hi, 0), max_len + max(lo, 0)
    if num_rows == -1 and num_cols == -1:
        num_rows = num_cols = max(min_rows, min_cols)
    elif num_rows == -1:
        num_rows = min_rows
    elif num_cols == -1:
        num_cols = min_cols
    return num_rows, num_cols


def _diag_forward(diagonal, pad, k, num_rows, num_cols, align):
    lo, hi = k
    if lo == hi:
        diagonal = diagonal[..., None, :]
    max_len = diagonal.shape[-1]
    rows, cols = _diag_dims(k, max_len, num_rows, num_cols)
    out = xp.full(diagonal.shape[:-2] + (rows, cols), pad, dtype=diagonal.dtype)
    for i, d in enumerate(_pyrange(hi, lo - 1, -1)):
        n = _diag_len(rows, cols, d)
        r = xp.arange(max(0, -d), max(0, -d) + n)
        off = _diag_offset(d, max_len, rows, cols, align)
        out[..., r, r + d] = diagonal[..., i, off : off + n]
    return out


def _diag_shape(op, inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return (TensorShape(None),)
    dims = s.as_list()
    lo, hi = attrs["k"]
    batch = dims[:-1] if lo == hi else dims[:-2]
    max_len = dims[-1]
    if max_len is None:
        return (TensorShape(batch + [None, None]),)
    rows, cols = _diag_dims(attrs["k"], max_len, attrs["num_rows"], attrs["num_cols"])
    return (TensorShape(batch + [rows, cols]),)


def _set_diag_forward(x, diagonal, k, align):
    rows, cols = x.shape[-2:]
    _check_k("MatrixSetDiagV3", k, rows, cols)
    lo, hi = k
    if lo == hi:
        diagonal = diagonal[..., None, :]
    max_len = diagonal.shape[-1]
    out = x.copy()
    for i, d in enumerate(_pyrange(hi, lo - 1, -1)):
        n = _diag_len(rows, cols, d)
        r = xp.arange(max(0, -d), max(0, -d) + n)
        off = _diag_offset(d, max_len, rows, cols, align)
        out[..., r, r + d] = diagonal[..., i, off : off + n]
    return out


def _diag_part_grad(op, dy, *_):
    from tensorlet.ops import array_ops  # noqa: PLC0415 (import cycle)
    dims = array_ops.shape_ints(op.inputs[0])
    k, align = op.get_attr("k"), op.get_attr("align")
    return [
        apply(
            matrix_diag_v3_op,
            dy,
            _zero(dy.dtype),
            k=k,
            num_rows=dims[-2],
            num_cols=dims[-1],
            align=align,
        ),
        None,
    ]


def _diag_grad(op, dy):
    return [
        apply(
            matrix_diag_part_v3_op,
            dy,
            _zero(dy.dtype),
            k=op.get_attr("k"),
            align=op.get_attr("align"),
        ),
        None,
    ]


def _set_diag_grad(op, dy):
    k, align = op.get_attr("k"), op.get_attr("align")
    diag = op.inputs[1]
    return [
        apply(matrix_set_diag_v3_op, dy, A.zeros_like(diag), k=k, align=align),
        apply(matrix_diag_part_v3_op, dy, _zero(dy.dtype), k=k, align=align),
    ]


def _zero(dtype):
    return A._scalar(0, dtype)


def _same_first(op, inputs, attrs):
    d = inputs[0].dtype
    for i, t in enumerate(inputs[1:], 1):
        if t.dtype is not d:
            from tensorlet.ops.op_def import dtype_mismatch

            raise dtype_mismatch(op, i, d, t.dtype)
    return (d,)


matrix_diag_part_v3_op = defop(
    "MatrixDiagPartV3",
    _diag_part_forward,
    dtype_rule=_same_first,
    shape_rule=_diag_part_shape,
    grad=_diag_part_grad,
)
matrix_diag_v3_op = defop(
    "MatrixDiagV3", _diag_forward, dtype_rule=_same_first, shape_rule=_diag_shape, grad=_diag_grad
)
matrix_set_diag_v3_op = defop(
    "MatrixSetDiagV3",
    _set_diag_forward,
    dtype_rule=_same_first,
    shape_rule=lambda op, inputs, attrs: (inputs[0].shape,),
    grad=_set_diag_grad,
)

_ALIGNS = ("LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT")


def _k_attr(k):
    k = py_ints(k)
    return (k[0], k[0]) if len(k) == 1 else (k[0], k[1])


def _align(align):
    if align not in _ALIGNS:
        raise ValueError(
            f"Attr 'align' of '{align}' is not in the list of allowed values: "
            + ", ".join(f'"{a}"' for a in _ALIGNS)
        )
    return align


@tf_export("linalg.diag")
def matrix_diag(
    diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"
):
    """A batched matrix with ``diagonal`` on diagonal ``k`` (a (lo, hi) range takes a
    ``[..., num_diags, max_len]`` input), ``padding_value`` elsewhere."""
    diagonal = _value_of(diagonal)
    pad = convert_to_tensor(padding_value, dtype=diagonal.dtype)
    return apply(
        matrix_diag_v3_op,
        diagonal,
        pad,
        k=_k_attr(k),
        num_rows=py_int(num_rows),
        num_cols=py_int(num_cols),
        align=_align(align),
    )


@tf_export("linalg.diag_part")
def matrix_diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):
    """The diagonal ``k`` (or the diagonals of a (lo, hi) range) of batched matrices."""
    input = _value_of(input)
    pad = convert_to_tensor(padding_value, dtype=input.dtype)
    return apply(matrix_diag_part_v3_op, input, pad, k=_k_attr(k), align=_align(align))


@tf_export("linalg.set_diag")
def matrix_set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):
    """``input`` with diagonal ``k`` (or a range of diagonals) replaced by ``diagonal``."""
    input, diagonal = A.match_dtypes([_value_of(input), diagonal])
    return apply(matrix_set_diag_v3_op, input, diagonal, k=_k_attr(k), align=_align(align))


def _tensor_diag_forward(d):
    out = xp.zeros(d.shape + d.shape, dtype=d.dtype)
    out.reshape(d.size, d.size)[xp.arange(d.size), xp.arange(d.size)] = d.reshape(-1)
    return out


def _tensor_diag_part_forward(x):
    h = x.ndim // 2
    if x.ndim % 2 or x.shape[:h] != x.shape[h:]:
        raise invalid(
            "DiagPart",
            f"Invalid shape {_brackets(x.shape)}: dimensions must be [d1, ..., dk, d1, ..., dk]",
        )
    n = _prod(x.shape[:h])
    return x.reshape(n, n)[xp.arange(n), xp.arange(n)].reshape(x.shape[:h])


diag_op = defop(
    "Diag",
    _tensor_diag_forward,
    dtype_rule=R.same_dtype(R.NUMERIC),
    shape_rule=lambda op, inputs, attrs: (inputs[0].shape.concatenate(inputs[0].shape),),
    grad=lambda op, dy: [tensor_diag_part(dy)],
)
diag_part_op = defop(
    "DiagPart",
    _tensor_diag_part_forward,
    dtype_rule=R.same_dtype(R.NUMERIC),
    shape_rule=lambda op, inputs, attrs: (
        TensorShape(None)
        if inputs[0].shape.rank is None
        else TensorShape(inputs[0].shape.as_list()[: inputs[0].shape.rank // 2]),
    ),
    grad=lambda op, dy: [tensor_diag(dy)],
)


@tf_export("linalg.tensor_diag", "compat.v1.diag")
def tensor_diag(diagonal, name=None):
    """A tensor of shape ``D + D`` with ``diagonal`` (shape D) on its diagonal."""
    return apply(diag_op, diagonal, name=name)


@tf_export("linalg.tensor_diag_part", "compat.v1.diag_part")
def tensor_diag_part(input, name=None):
    """The diagonal of a tensor of shape ``D + D`` (the inverse of ``tensor_diag``)."""
    return apply(diag_part_op, input, name=name)


def _band_forward(x, num_lower, num_upper):
    rows, cols = x.shape[-2:]
    if num_lower > rows:
        raise invalid(
            "MatrixBandPart",
            f"num_lower must be negative or less or equal to number "
            f"of rows ({rows}) got: {num_lower}",
        )
    if num_upper > cols:
        raise invalid(
            "MatrixBandPart",
            f"num_upper must be negative or less or equal to number "
            f"of columns ({cols}) got: {num_upper}",
        )
    i = xp.arange(rows)[:, None]
    j = xp.arange(cols)[None, :]
    keep = ((num_lower < 0) | (i - j <= num_lower)) & ((num_upper < 0) | (j - i <= num_upper))
    return xp.where(keep, x, xp.zeros((), dtype=x.dtype))


matrix_band_part_op = defop(
    "MatrixBandPart",
    _band_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=R.unchanged,
    grad=lambda op, dy: [apply(matrix_band_part_op, dy, **op.attrs)],
)


@tf_export("linalg.band_part")
def band_part(input, num_lower, num_upper, name=None):
    """Keeps ``num_lower`` sub- and ``num_upper`` super-diagonals (negative: all), zeroes the
    rest: ``band_part(x, -1, 0)`` is the lower triangle."""
    return apply(
        matrix_band_part_op,
        _value_of(input),
        num_lower=py_int(num_lower),
        num_upper=py_int(num_upper),
        name=name,
    )


@tf_export("linalg.trace")
def trace(x, name=None):
    """Sum of the main diagonal of each innermost matrix."""
    from tensorlet.ops import reduction_ops

    return reduction_ops.reduce_sum(matrix_diag_part(x), [-1], name=name)


@tf_export("eye", "linalg.eye")
def eye(num_rows, num_columns=None, batch_shape=None, dtype=D.float32, name=None):
    """An identity matrix (``num_rows x num_columns``, optionally batched)."""
    dtype = D.as_dtype(dtype)
    num_rows = py_int(num_rows)
    batch = [] if batch_shape is None else list(py_ints(batch_shape))
    cols = num_rows if num_columns is None else py_int(num_columns)
    ones = A.ones(batch + [min(num_rows, cols)], dtype)
    if num_columns is None:
        return matrix_diag(ones)
    return matrix_diag(ones, num_rows=num_rows, num_cols=cols)
