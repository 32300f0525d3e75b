"""Activations, softmax and the softmax cross-entropy ops of ``tf.nn``.

Primitives (TF shows them as ops): Relu, Relu6, LeakyRelu, Elu, Selu with their ``*Grad`` ops,
Softmax, LogSoftmax, SoftmaxCrossEntropyWithLogits, SparseSoftmaxCrossEntropyWithLogits.
``gelu``, ``silu``/``swish`` and ``crelu`` are composites, as in TF. ``Sigmoid``/``Tanh``/
``Softplus``/``Softsign`` (also ``tf.nn.*``) live in ``unary_math_ops``.
"""

import collections

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import array_ops, math_ops, reduction_ops
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop

D = dtypes
FLOATS = (D.float16, D.bfloat16, D.float32, D.float64)
REAL = R.REAL
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


_HALF = frozenset({xp.dtype(xp.float16), xp.dtype(D.bfloat16.as_numpy_dtype)})


def _float_kernel(fn):
    """Runs ``fn`` in float32 for half types (NumPy has no fast half transcendental path),
    without NumPy's floating-point warnings (TF returns inf/NaN silently)."""

    def kernel(*arrays, **attrs):
        if arrays[0].dtype in _HALF:
            arrays = tuple(a.astype(xp.float32) for a in arrays)
        with xp.errstate(all="ignore"):
            return fn(*arrays, **attrs)

    return kernel


def _zeros_like(x):
    return array_ops.zeros_like(x)


# ---------------------------------------------------------------- ReLU family


def _relu(x):
    return xp.maximum(x.dtype.type(0), x)  # max(0, x) keeps -0.0 and NaN, as Eigen's max(x, 0)


def _relu_grad(dy, x):
    return dy * (x > 0)  # TF multiplies (inf * 0 = NaN), it does not select


def _relu6(x):
    t = x.dtype.type
    return xp.minimum(xp.maximum(t(0), x), t(6))


def _relu6_grad(dy, x):
    return dy * ((x > 0) & (x < 6))


def _leaky_relu(x, alpha):
    return xp.where(x > 0, x, x * x.dtype.type(alpha))


def _leaky_relu_grad(dy, x, alpha):
    return xp.where(x > 0, dy, dy * dy.dtype.type(alpha))


relu_grad_op = defop(
    "ReluGrad",
    _relu_grad,
    dtype_rule=R.same_dtype(REAL),
    shape_rule=R.unchanged,
    grad=lambda op, g: [apply(relu_grad_op, g, op.inputs[1]), _zeros_like(op.inputs[1])],
)
relu_op = defop(
    "Relu",
    _relu,
    dtype_rule=R.same_dtype(REAL),
    shape_rule=R.unchanged,
    grad=lambda op, dy: [apply(relu_grad_op, dy, op.outputs[0])],
)
relu6_grad_op = defop(
    "Relu6Grad",
    _relu6_grad,
    dtype_rule=R.same_dtype(REAL),
    shape_rule=R.unchanged,
    grad=lambda op, g: [apply(relu6_grad_op, g, op.inputs[1]), _zeros_like(op.inputs[1])],
)
relu6_op = defop(
    "Relu6",
    _relu6,
    dtype_rule=R.same_dtype(REAL),
    shape_rule=R.unchanged,
    grad=lambda op, dy: [apply(relu6_grad_op, dy, op.inputs[0])],
)
leaky_relu_grad_op = defop(
    "LeakyReluGrad",
    _leaky_relu_grad,
    dtype_rule=R.same_dtype(FLOATS),
    shape_rule=R.unchanged,
    grad=lambda op, g: [
        apply(leaky_relu_grad_op, g, op.inputs[1], alpha=op.attrs["alpha"]),
        _zeros_like(op.inputs[1]),
    ],
)
leaky_relu_op = defop(
    "LeakyRelu",
    _leaky_relu,
    dtype_rule=R.same_dtype(FLOATS),
    shape_rule=R.unchanged,
    grad=lambda op, dy: [apply(leaky_relu_grad_op, dy, op.inputs[0], alpha=op.attrs["alpha"])],
)


# ---------------------------------------------------------------- ELU, SELU


@_float_kernel
def _elu(x):
    return xp.where(x < 0, xp.expm1(xp.minimum(x, 0)), x)


def _elu_grad(dy, y):
    return xp.where(y < 0, dy * (y + y.dtype.type(1)), dy)


@_float_kernel
def _selu(x):
    neg = _SELU_SCALE * _SELU_ALPHA * xp.expm1(xp.minimum(x, 0))
    return xp.where(x < 0, neg.astype(x.dtype), x * x.dtype.type(_SELU_SCALE))


def _selu_grad(dy, y):
    t = y.dtype.type
    return xp.where(y < 0, dy * (y + t(_SELU_SCALE * _SELU_ALPHA)), dy * t(_SELU_SCALE))


def _elu_grad_grad(grad_op):
    def rule(op, g):
        dy, y = op.inputs
        return [
            apply(grad_op, g, y),
            array_ops.where(math_ops.less(y, 0), math_ops.multiply(g, dy), _zeros_like(y)),
        ]

    return rule


elu_grad_op = defop("EluGrad", _elu_grad, dtype_rule=R.same_dtype(FLOATS), shape_rule=R.unchanged)
elu_grad_op.grad = _elu_grad_grad(elu_grad_op)
elu_op = defop(
    "Elu",
    _elu,
    dtype_rule=R.same_dtype(FLOATS),
    shape_rule=R.unchanged,
    grad=lambda op, dy: [apply(elu_grad_op, dy, op.outputs[0])],
)
selu_grad_op = defop(
    "SeluGrad", _selu_grad, dtype_rule=R.same_dtype(FLOATS), shape_rule=R.unchanged
)
selu_grad_op.grad = _elu_grad_grad(selu_grad_op)
selu_op = defop(
    "Selu",
    _selu,
    dtype_rule=R.same_dtype(FLOATS),
    shape_rule=R.unchanged,
    grad=lambda op, dy: [apply(selu_grad_op, dy, op.outputs[0])],
)


# ---------------------------------------------------------------- softmax


def _softmax_shape(op, inputs, attrs):
    s = inputs[0].shape
    if s.rank == 0:
        raise errors.op_error(
            errors.InvalidArgumentError, op.name, "logits must have >= 1 dimension, got []"
        )
    return (s,)


@_float_kernel
def _softmax(x):
    if x.ndim == 0:
        raise ValueError("rank 0")
    e = xp.exp(x - xp.max(x, axis=-1, keepdims=True))
    return e / xp.sum(e, axis=-1, keepdims=True)


@_float_kernel
def _log_softmax(x):
    if x.ndim == 0:
        raise ValueError("rank 0")
    shifted = x - xp.max(x, axis=-1, keepdims=True)
    return shifted - xp.log(xp.sum(xp.exp(shifted), axis=-1, keepdims=True))


def _softmax_grad(op, dy):
    """Returns (dy - sum(dy * y, -1)) * y."""
    y = op.outputs[0]
    s = reduction_ops.reduce_sum(math_ops.multiply(dy, y), -1, keepdims=True)
    return [math_ops.multiply(math_ops.subtract(dy, s), y)]


def _log_softmax_grad(op, dy):
    """Returns dy - sum(dy, -1) * exp(y)."""
    y = op.outputs[0]
    s = reduction_ops.reduce_sum(dy, -1, keepdims=True)
    return [math_ops.subtract(dy, math_ops.multiply(s, math_ops.exp(y)))]


softmax_op = defop(
    "Softmax",
    _softmax,
    dtype_rule=R.same_dtype(FLOATS),
    shape_rule=_softmax_shape,
    grad=_softmax_grad,
)
log_softmax_op = defop(
    "LogSoftmax",
    _log_softmax,
    dtype_rule=R.same_dtype(FLOATS),
    shape_rule=_softmax_shape,
    grad=_log_softmax_grad,
)


# ---------------------------------------------------------------- cross-entropy ops


@_float_kernel
def _xent(logits, labels):
    logits, labels = xp.broadcast_arrays(logits, labels)
    shifted = logits - xp.max(logits, axis=-1, keepdims=True)
    e = xp.exp(shifted)
    s = xp.sum(e, axis=-1, keepdims=True)
    loss = xp.sum(labels * (xp.log(s) - shifted), axis=-1)
    return loss, e / s - labels


def _xent_dtype(op, inputs, attrs):
    d = R.same_dtype(FLOATS)(op, inputs, attrs)[0]
    return (d, d)


def _xent_shape(op, inputs, attrs):
    a, b = inputs[0].shape, inputs[1].shape
    if a.rank is not None and b.rank is not None:
        try:
            s = R.broadcast_shapes(a, b)
        except errors.OpError:
            raise errors.op_error(
                errors.InvalidArgumentError,
                op.name,
                f"logits and labels must be broadcastable: logits_size={_dims(a)} "
                f"labels_size={_dims(b)}",
            ) from None
        if s.rank != 2:
            raise errors.op_error(
                errors.InvalidArgumentError,
                op.name,
                "logits and labels must be either 2-dimensional, or "
                "broadcasted to be 2-dimensional",
            )
        return (TensorShape([s[0]]), s)
    return (TensorShape([None]), TensorShape([None, None]))


def _dims(s):
    return "[" + ",".join("?" if d is None else str(d) for d in s) + "]"


def _broadcast_mul(vec, mat):
    return math_ops.multiply(array_ops.expand_dims(vec, -1), mat)


def _second_order(logits, grad_grad):
    """The Hessian-vector term TF adds when the backprop output has a gradient."""
    sm = apply(softmax_op, logits)
    dot = reduction_ops.reduce_sum(math_ops.multiply(grad_grad, sm), -1, keepdims=True)
    return math_ops.multiply(math_ops.subtract(grad_grad, dot), sm)


def _xent_grad(op, grad_loss, grad_grad):
    """d/dlogits = grad_loss * (softmax - labels); d/dlabels = grad_loss * -log_softmax."""
    logits = op.inputs[0]
    grad = _broadcast_mul(grad_loss, op.outputs[1])
    if grad_grad is not None and not _all_zero(grad_grad):
        grad = math_ops.add(grad, _second_order(logits, grad_grad))
    return [grad, _broadcast_mul(grad_loss, math_ops.negative(apply(log_softmax_op, logits)))]


def _all_zero(t):
    v = getattr(t, "_value", None)
    return v is not None and not v.any()


softmax_xent_op = defop(
    "SoftmaxCrossEntropyWithLogits",
    _xent,
    dtype_rule=_xent_dtype,
    shape_rule=_xent_shape,
    grad=_xent_grad,
    num_outputs=2,
)


def _sparse_xent(logits, labels):
    n, k = logits.shape
    bad = (labels < 0) | (labels >= k)
    if bad.any():
        raise errors.op_error(
            errors.InvalidArgumentError,
            "SparseSoftmaxCrossEntropyWithLogits",
            f"Received a label value of {int(labels[bad][0])} which is outside the valid range "
            f"of [0, {k}).  Label values: {' '.join(str(int(v)) for v in labels)}",
        )
    x = logits.astype(xp.float32) if logits.dtype.itemsize < 4 else logits
    shifted = x - xp.max(x, axis=-1, keepdims=True)
    e = xp.exp(shifted)
    s = xp.sum(e, axis=-1, keepdims=True)
    rows = xp.arange(n)
    loss = xp.log(s[:, 0]) - shifted[rows, labels]
    back = e / s
    back[rows, labels] -= 1
    return loss, back


def _sparse_xent_dtype(op, inputs, attrs):
    d = inputs[0].dtype
    if d not in FLOATS:
        raise R.dtype_not_allowed(op, d, FLOATS)
    if inputs[1].dtype not in (D.int32, D.int64):
        raise array_ops.attr_not_allowed(op, "Tlabels", inputs[1].dtype, (D.int32, D.int64))
    return (d, d)


def _sparse_xent_shape(op, inputs, attrs):
    a, b = inputs[0].shape, inputs[1].shape
    if a.rank is not None and a.rank != 2:
        raise errors.op_error(
            errors.InvalidArgumentError, op.name, f"logits must be 2-D, but got shape {_dims(a)}"
        )
    if b.rank is not None and b.rank != 1:
        raise errors.op_error(
            errors.InvalidArgumentError, op.name, f"labels must be 1-D, but got shape {_dims(b)}"
        )
    if a.rank is not None and b.rank is not None and None not in (a[0], b[0]) and a[0] != b[0]:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op.name,
            "logits and labels must have the same first dimension, got "
            f"logits shape {_dims(a)} and labels shape {_dims(b)}",
        )
    n = a[0] if a.rank is not None else None
    return (TensorShape([n]), a if a.rank is not None else TensorShape([None, None]))


def _sparse_xent_grad(op, grad_loss, grad_grad):
    logits = op.inputs[0]
    grad = _broadcast_mul(grad_loss, op.outputs[1])
    if grad_grad is not None and not _all_zero(grad_grad):
        grad = math_ops.add(grad, _second_order(logits, grad_grad))
    return [grad, None]


sparse_softmax_xent_op = defop(
    "SparseSoftmaxCrossEntropyWithLogits",
    _sparse_xent,
    dtype_rule=_sparse_xent_dtype,
    shape_rule=_sparse_xent_shape,
    grad=_sparse_xent_grad,
    num_outputs=2,
)


# ---------------------------------------------------------------- public activations


def _t(x):
    return x if isinstance(x, Tensor) else convert_to_tensor(x)


@tf_export("nn.relu")
def relu(features, name=None):
    """Rectified linear: max(features, 0). The gradient at 0 is 0."""
    return apply(relu_op, _t(features), name=name)


@tf_export("nn.relu6")
def relu6(features, name=None):
    """min(max(features, 0), 6). The gradient at 0 and at 6 is 0."""
    return apply(relu6_op, _t(features), name=name)


@tf_export("nn.leaky_relu")
def leaky_relu(features, alpha=0.2, name=None):
    """features if features > 0 else alpha * features (integer inputs become float32)."""
    x = _t(features)
    if x.dtype.is_integer:
        x = math_ops.cast(x, D.float32)
    if hasattr(alpha, "item"):
        alpha = alpha.item()
    return apply(leaky_relu_op, x, alpha=float(alpha), name=name)


@tf_export("nn.elu")
def elu(features, name=None):
    """Exponential linear: features if > 0 else exp(features) - 1."""
    return apply(elu_op, _t(features), name=name)


@tf_export("nn.selu")
def selu(features, name=None):
    """Scaled ELU: scale * (features if > 0 else alpha * (exp(features) - 1))."""
    return apply(selu_op, _t(features), name=name)


@tf_export("nn.gelu")
def gelu(features, approximate=False, name=None):
    """Gaussian error linear unit: 0.5 x erfc(-x / sqrt(2)), or the tanh approximation
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) when ``approximate``."""
    x = _t(features)
    if not x.dtype.is_floating:
        raise ValueError(
            f"`features.dtype` must be a floating point tensor.Received:features.dtype={x.dtype}"
        )
    half = convert_to_tensor(0.5, dtype=x.dtype)
    one = convert_to_tensor(1.0, dtype=x.dtype)
    if approximate:
        # TF writes math_ops.cast(0.044715, dtype): the constant is float32 first
        coeff = convert_to_tensor(_f32(0.044715), dtype=x.dtype)
        cube = math_ops.pow(x, convert_to_tensor(3, dtype=x.dtype))
        inner = math_ops.multiply(
            convert_to_tensor(0.7978845608028654, dtype=x.dtype),
            math_ops.add(x, math_ops.multiply(coeff, cube)),
        )
        return math_ops.multiply(
            math_ops.multiply(half, x), math_ops.add(one, math_ops.tanh(inner))
        )
    # TF 2.21: 0.5 * x * erfc(-x * cast(0.7071067811865476)) (more accurate for x << 0)
    scaled = math_ops.multiply(
        math_ops.negative(x), convert_to_tensor(_f32(0.7071067811865476), dtype=x.dtype)
    )
    return math_ops.multiply(math_ops.multiply(half, x), math_ops.erfc(scaled))


def _f32(v):
    return float(xp.float32(v))


@tf_export("nn.silu", "nn.swish")
def silu(features, beta=1.0, name=None):
    """features * sigmoid(beta * features)."""
    x = _t(features)
    b = math_ops.cast(convert_to_tensor(beta), x.dtype)
    return math_ops.multiply(x, math_ops.sigmoid(math_ops.multiply(b, x)))


@tf_export("nn.crelu")
def crelu(features, axis=-1, name=None):
    """Concatenates relu(features) and relu(-features) along ``axis``."""
    x = _t(features)
    c = array_ops.concat([x, math_ops.negative(x)], axis)
    return relu(c)


def _swap_to_last(x, axis):
    rank = x.shape.rank
    axis = axis % rank
    if axis == rank - 1:
        return x, None
    perm = list(range(rank))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    return array_ops.transpose(x, perm), perm


def _softmax_along(op, logits, axis, name):
    x = _t(logits)
    axis = -1 if axis is None else array_ops.py_int(axis)
    if axis == -1:
        return apply(op, x, name=name)
    rank = x.shape.rank
    if rank is not None and not -rank <= axis < rank:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op.name,
            f"`axis` must be in the range [{-rank}, {rank}) where {rank} is "
            f"the number of dimensions in the input. Received: axis={axis}",
        )
    y, perm = _swap_to_last(x, axis)
    y = apply(op, y, name=name)
    return y if perm is None else array_ops.transpose(y, perm)


@tf_export("nn.softmax", "math.softmax")
def softmax(logits, axis=None, name=None):
    """exp(logits) / sum(exp(logits), axis) (the last axis by default)."""
    return _softmax_along(softmax_op, logits, axis, name)


@tf_export("nn.log_softmax", "math.log_softmax")
def log_softmax(logits, axis=None, name=None):
    """logits - log(sum(exp(logits), axis)) (the last axis by default)."""
    return _softmax_along(log_softmax_op, logits, axis, name)


@tf_export("compat.v1.nn.softmax", "compat.v1.math.softmax")
def softmax_v1(logits, axis=None, name=None, dim=None):
    return softmax(logits, axis if dim is None else dim, name)


@tf_export("compat.v1.nn.log_softmax", "compat.v1.math.log_softmax")
def log_softmax_v1(logits, axis=None, name=None, dim=None):
    return log_softmax(logits, axis if dim is None else dim, name)


# ---------------------------------------------------------------- public cross-entropies


def _reshape_dims(dims):
    """A static shape for reshape: one unknown (traced) dimension becomes -1."""
    return [-1 if d is None else d for d in dims] if dims.count(None) == 1 else dims


def _flatten_outer(x):
    shape = x.shape.as_list()
    return array_ops.reshape(x, [-1, shape[-1]]) if len(shape) != 2 else x


@tf_export("nn.softmax_cross_entropy_with_logits")
def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """-sum(labels * log_softmax(logits), axis); differentiable w.r.t. labels too."""
    labels, logits = convert_to_tensor(labels), convert_to_tensor(logits)
    half = logits.dtype in (D.float16, D.bfloat16)
    precise = math_ops.cast(logits, D.float32) if half else logits
    if labels.dtype != precise.dtype:
        labels = math_ops.cast(labels, precise.dtype)
    rank = precise.shape.rank
    if axis != -1 and axis != rank - 1:
        axis = axis % rank
        perm = [i for i in range(rank) if i != axis] + [axis]
        precise = array_ops.transpose(precise, perm)
        labels = array_ops.transpose(labels, perm)
    out_shape = precise.shape.as_list()[:-1]
    cost, _ = apply(softmax_xent_op, _flatten_outer(precise), _flatten_outer(labels), name=name)
    if len(out_shape) != 1:
        cost = array_ops.reshape(cost, _reshape_dims(out_shape))
    return math_ops.cast(cost, logits.dtype) if half else cost


@tf_export("compat.v1.nn.softmax_cross_entropy_with_logits_v2")
def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """TF1 spelling of ``softmax_cross_entropy_with_logits`` (``dim`` alias)."""
    axis = dim if axis is None else axis
    return softmax_cross_entropy_with_logits(labels, logits, -1 if axis is None else axis, name)


@tf_export("nn.sparse_softmax_cross_entropy_with_logits")
def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """-log_softmax(logits)[label] per example; ``labels`` int32/int64 in [0, num_classes)."""
    labels, logits = convert_to_tensor(labels), convert_to_tensor(logits)
    half = logits.dtype in (D.float16, D.bfloat16)
    precise = math_ops.cast(logits, D.float32) if half else logits
    ls, gs = labels.shape, logits.shape
    if gs.rank == 0:
        raise ValueError(f"`logits` cannot be a scalar. Received logits={logits}`")
    if gs.rank is not None and ls.rank is not None and ls.rank != gs.rank - 1:
        raise ValueError(
            "`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
            f"labels.shape={ls} of rank {ls.rank} and logits.shape={gs} of rank "
            f"{gs.rank}"
        )
    if ls.is_fully_defined() and gs.is_fully_defined() and ls.as_list() != gs.as_list()[:-1]:
        raise ValueError(
            "`labels.shape` must equal `logits.shape` except for the last "
            f"dimension. Received: labels.shape={ls} and logits.shape={gs}"
        )
    if gs.rank == 2:
        cost, _ = apply(sparse_softmax_xent_op, precise, labels, name=name)
    else:
        flat_logits = array_ops.reshape(precise, [-1, gs.as_list()[-1]])
        cost, _ = apply(
            sparse_softmax_xent_op, flat_logits, array_ops.reshape(labels, [-1]), name=name
        )
        cost = array_ops.reshape(cost, _reshape_dims(ls.as_list()))
    return math_ops.cast(cost, logits.dtype) if half else cost


@tf_export("compat.v1.nn.sparse_softmax_cross_entropy_with_logits")
def sparse_softmax_cross_entropy_with_logits_v1(
    _sentinel=None, labels=None, logits=None, name=None
):
    if _sentinel is not None:
        raise ValueError(
            "Only call `sparse_softmax_cross_entropy_with_logits` with named "
            "arguments (labels=..., logits=..., ...)."
        )
    return sparse_softmax_cross_entropy_with_logits(labels, logits, name)


# ---------------------------------------------------------------- isotonic regression


def _pav_decreasing(row):
    """Pool-adjacent-violators for a non-increasing fit: (fitted row, segment ids)."""
    sums, counts = [], []
    for v in row.tolist():
        s, c = v, 1
        while sums and s / c > sums[-1] / counts[-1]:
            s += sums.pop()
            c += counts.pop()
        sums.append(s)
        counts.append(c)
    means = xp.repeat(xp.array([s / c for s, c in zip(sums, counts)]), counts)
    segs = xp.repeat(xp.arange(len(counts), dtype=xp.int32), counts)
    return means, segs


def _isotonic_forward(x, output_dtype):
    flat = x.reshape(-1, x.shape[-1]) if x.ndim else x.reshape(1, 1)
    out = xp.empty(flat.shape, output_dtype.as_numpy_dtype)
    segs = xp.empty(flat.shape, xp.int32)
    for i, row in enumerate(flat.astype(xp.float64)):  # sequential by nature (one pass per row)
        out[i], segs[i] = _pav_decreasing(row)
    return out.reshape(x.shape), segs.reshape(x.shape)


def _isotonic_grad(op, dy, dsegments=None):
    """The mean of dy over each fitted segment (TF's _MeanAggregator)."""
    from tensorlet.ops import gather_ops, segment_ops

    segs = op.outputs[1]
    shape = segs.shape.as_list()
    n = shape[-1] if shape else 1
    rows = 1
    for d in shape[:-1]:
        rows *= d
    offsets = xp.arange(rows, dtype=xp.int32).reshape(-1, 1) * n
    ids = array_ops.reshape(
        math_ops.add(array_ops.reshape(segs, [rows, n]), convert_to_tensor(offsets)), [-1]
    )
    flat = array_ops.reshape(dy, [-1])
    means = segment_ops.unsorted_segment_mean(flat, ids, rows * n)
    return [array_ops.reshape(gather_ops.gather(means, ids), shape)]


def _isotonic_dtype(op, inputs, attrs):
    d = inputs[0].dtype
    if d not in REAL:
        raise R.dtype_not_allowed(op, d, REAL)
    return (attrs["output_dtype"], D.int32)


isotonic_regression_op = defop(
    "IsotonicRegression",
    _isotonic_forward,
    dtype_rule=_isotonic_dtype,
    shape_rule=lambda op, inputs, attrs: (inputs[0].shape, inputs[0].shape),
    grad=_isotonic_grad,
    num_outputs=2,
)

_ISO_TYPES = {
    D.float32: D.float32,
    D.float16: D.float16,
    D.bfloat16: D.bfloat16,
    D.int8: D.float32,
    D.int16: D.float32,
}


@tf_export("nn.isotonic_regression")
def isotonic_regression(inputs, decreasing=True, axis=-1):
    """Least-squares fit that is non-increasing (or non-decreasing) along ``axis``.

    Returns ``(output, segments)``: the fit and, per element, the index of its constant block."""
    x = _t(inputs)
    out_dtype = _ISO_TYPES.get(x.dtype, D.float64)
    y, perm = _swap_to_last(x, axis) if x.shape.rank else (x, None)
    if not decreasing:
        y = math_ops.negative(y)
    out, segs = apply(isotonic_regression_op, y, output_dtype=out_dtype)
    if not decreasing:
        out = math_ops.negative(out)
    if perm is not None:
        out, segs = array_ops.transpose(out, perm), array_ops.transpose(segs, perm)
    return _IsotonicRegression(out, segs)


_IsotonicRegression = collections.namedtuple("IsotonicRegression", ["output", "segments"])


# ---------------------------------------------------------------- CTC


def _logaddexp(*xs):
    out = xs[0]
    for x in xs[1:]:
        out = xp.logaddexp(out, x)
    return out


def _ctc_kernel(
    inputs,
    labels_indices,
    labels_values,
    sequence_length,
    preprocess_collapse_repeated,
    ctc_merge_repeated,
    ignore_longer_outputs_than_inputs,
):
    """TF's CTCLoss (blank = last class): loss = -log p(labels | inputs) per batch entry and
    its gradient w.r.t. the logits, by the forward-backward recursion in log space (vectorised
    over the batch and the label states; one step per time step)."""
    t_max, batch, ncls = inputs.shape
    blank = ncls - 1
    x = inputs.astype(xp.float64)
    with xp.errstate(all="ignore"):
        logp = x - x.max(-1, keepdims=True)
        logp = logp - xp.log(xp.exp(logp).sum(-1, keepdims=True))
    seqs = [[] for _ in range(batch)]
    for (b, _), v in zip(labels_indices.tolist(), labels_values.tolist()):
        seqs[b].append(v)
    if preprocess_collapse_repeated:
        seqs = [[v for i, v in enumerate(s) if i == 0 or v != s[i - 1]] for s in seqs]
    lens = xp.asarray(sequence_length, xp.int64)
    smax = 2 * max((len(s) for s in seqs), default=0) + 1
    ext = xp.full((batch, smax), blank, xp.int64)
    nstate = xp.zeros(batch, xp.int64)
    for b, s in enumerate(seqs):
        if s and (max(s) >= blank or min(s) < 0):
            raise errors.op_error(
                errors.InvalidArgumentError,
                "CTCLoss",
                f"Saw a non-null label (index >= num_classes - 1) following a "
                f"null label, batch: {b} num_classes: {ncls} labels: "
                f"{','.join(map(str, s))}",
            )
        ext[b, 1 : 2 * len(s) : 2] = s
        nstate[b] = 2 * len(s) + 1
        need = len(s) + sum(1 for i in range(1, len(s)) if s[i] == s[i - 1] and ctc_merge_repeated)
        if need > lens[b] and not ignore_longer_outputs_than_inputs:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "CTCLoss",
                "Not enough time for target transition sequence (required: "
                f"{need}, available: {int(lens[b])})0You can turn this error "
                "into a warning by using the flag "
                "ignore_longer_outputs_than_inputs",
            )
    states = xp.arange(smax)
    valid = states[None, :] < nstate[:, None]
    skip = xp.zeros((batch, smax), bool)  # s-2 -> s allowed (label differs from s-2's)
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    if not ctc_merge_repeated:
        skip[:, 2:] = ext[:, 2:] != blank
    rows = xp.arange(batch)[:, None]
    emit = logp[:, rows, ext]  # (T, B, S)
    neg = -xp.inf
    alpha = xp.full((t_max, batch, smax), neg)
    with xp.errstate(all="ignore"):
        alpha[0, :, 0] = emit[0, :, 0]
        alpha[0, :, 1] = xp.where(nstate > 1, emit[0, :, 1], neg)
        alpha[0] = xp.where(valid, alpha[0], neg)
        for t in range(1, t_max):
            prev = alpha[t - 1]
            s1 = xp.concatenate([xp.full((batch, 1), neg), prev[:, :-1]], 1)
            s2 = xp.concatenate([xp.full((batch, 2), neg), prev[:, :-2]], 1)
            a = _logaddexp(prev, s1, xp.where(skip, s2, neg)) + emit[t]
            alpha[t] = xp.where(valid & (t < lens)[:, None], a, neg)
        beta = xp.full((t_max, batch, smax), neg)
        last = xp.clip(lens - 1, 0, None)
        init = xp.where(
            (states[None, :] == nstate[:, None] - 1) | (states[None, :] == nstate[:, None] - 2),
            0.0,
            neg,
        )
        for t in range(t_max - 1, -1, -1):
            at_end = (t == last)[:, None]
            if t + 1 < t_max:
                nxt = beta[t + 1] + emit[t + 1]
                n1 = xp.concatenate([nxt[:, 1:], xp.full((batch, 1), neg)], 1)
                n2 = xp.concatenate([nxt[:, 2:], xp.full((batch, 2), neg)], 1)
                skip_next = xp.concatenate([skip[:, 2:], xp.zeros((batch, 2), bool)], 1)
                b_ = _logaddexp(nxt, n1, xp.where(skip_next, n2, neg))
            else:
                b_ = xp.full((batch, smax), neg)
            b_ = xp.where(at_end, init, b_)
            beta[t] = xp.where(valid & (t <= last)[:, None], b_, neg)
        ll = xp.full(batch, neg)
        for b in range(batch):
            if lens[b] > 0:
                tb = lens[b] - 1
                ll[b] = _logaddexp(
                    alpha[tb, b, nstate[b] - 1],
                    alpha[tb, b, nstate[b] - 2] if nstate[b] > 1 else neg,
                )
            else:
                ll[b] = 0.0 if nstate[b] == 1 else neg
        post = alpha + beta  # log of (paths through state s at t) * p
        occ = xp.full((t_max, batch, ncls), neg)
        for s in range(smax):
            idx = ext[:, s]
            cur = occ[:, xp.arange(batch), idx]
            occ[:, xp.arange(batch), idx] = xp.logaddexp(cur, post[:, :, s])
        grad = xp.exp(logp) - xp.exp(occ - ll[None, :, None])
        grad = xp.where((xp.arange(t_max)[:, None] < lens[None, :])[:, :, None], grad, 0.0)
        bad = ~xp.isfinite(ll)
        if bad.any():  # impossible alignments (ignored longer labels): TF returns inf, 0 grad
            grad[:, bad] = 0
    return (-ll).astype(inputs.dtype), grad.astype(inputs.dtype)


def _ctc_dtype(op, inputs, attrs):
    d = inputs[0].dtype
    if d not in (D.float32, D.float64):
        raise R.dtype_not_allowed(op, d, (D.float32, D.float64))
    return (d, d)


def _ctc_shape(op, inputs, attrs):
    s = inputs[0].shape
    if s.rank is not None and s.rank != 3:
        raise errors.op_error(errors.InvalidArgumentError, op.name, "inputs is not a 3-Tensor")
    dims = list(s) if s.rank is not None else [None] * 3
    return (TensorShape([dims[1]]), TensorShape(dims))


def _ctc_grad(op, grad_loss, _unused=None):
    """grad_loss (per batch entry) times the gradient the forward pass computed."""
    g = array_ops.stop_gradient(op.outputs[1])
    return [math_ops.multiply(array_ops.reshape(grad_loss, [1, -1, 1]), g), None, None, None]


ctc_loss_op = defop(
    "CTCLoss",
    _ctc_kernel,
    dtype_rule=_ctc_dtype,
    shape_rule=_ctc_shape,
    grad=_ctc_grad,
    num_outputs=2,
)


@tf_export("nn.ctc_loss")
def ctc_loss(
    labels,
    logits,
    label_length,
    logit_length,
    logits_time_major=True,
    unique=None,
    blank_index=None,
    name=None,
):
    """Connectionist temporal classification loss (-log p(labels | logits)) per batch entry.

    ``labels`` are dense [batch, max_label_length] with ``label_length``; ``blank_index``
    defaults to 0 (negative values count from the last class)."""
    if hasattr(labels, "indices") and hasattr(labels, "values"):
        return _ctc_sparse(labels, logits, logit_length, logits_time_major, blank_index)
    logits = _t(logits)
    orig = logits.dtype
    x = math_ops.cast(logits, D.float32) if orig in (D.float16, D.bfloat16) else logits
    if not logits_time_major:
        x = array_ops.transpose(x, [1, 0, 2])
    lab = xp.asarray(_t(labels).numpy())
    lens = xp.asarray(_t(label_length).numpy()).reshape(-1)
    indices, values = [], []
    for b in range(lab.shape[0]):
        for i in range(int(lens[b])):
            indices.append((b, i))
            values.append(int(lab[b, i]))
    loss = _ctc_call(
        x,
        xp.asarray(indices, xp.int64).reshape(-1, 2),
        xp.asarray(values, xp.int64),
        logit_length,
        0 if blank_index is None else blank_index,
    )
    return math_ops.cast(loss, orig) if orig != loss.dtype else loss


def _ctc_sparse(labels, logits, logit_length, logits_time_major, blank_index):
    if blank_index is None:
        raise ValueError(
            "Argument `blank_index` must be provided when `labels` is a `SparseTensor`."
        )
    x = _t(logits)
    if not logits_time_major:
        x = array_ops.transpose(x, [1, 0, 2])
    idx = xp.asarray(_t(labels.indices).numpy(), xp.int64).reshape(-1, 2)
    vals = xp.asarray(_t(labels.values).numpy(), xp.int64).reshape(-1)
    return _ctc_call(x, idx, vals, logit_length, blank_index)


def _ctc_call(x, indices, values, logit_length, blank_index):
    """Moves class ``blank_index`` last (TF's CTCLoss blank) and runs the op."""
    ncls = x.shape.as_list()[2]
    if blank_index < 0:
        blank_index += ncls
    if blank_index != ncls - 1:
        perm = [c for c in range(ncls) if c != blank_index] + [blank_index]
        x = _gather_last(x, perm)
        values = xp.where(values < blank_index, values, values - 1)
    seq = xp.asarray(_t(logit_length).numpy(), xp.int32).reshape(-1)
    loss, _ = apply(
        ctc_loss_op,
        x,
        convert_to_tensor(indices),
        convert_to_tensor(values.astype(xp.int32)),
        convert_to_tensor(seq),
        preprocess_collapse_repeated=False,
        ctc_merge_repeated=True,
        ignore_longer_outputs_than_inputs=False,
    )
    return loss


def _gather_last(x, perm):
    from tensorlet.ops import gather_ops

    return gather_ops.gather(x, perm, axis=2)


@tf_export("compat.v1.nn.softmax_cross_entropy_with_logits")
def softmax_cross_entropy_with_logits_v1(
    _sentinel=None, labels=None, logits=None, dim=-1, name=None, axis=None
):
    """TF1 softmax cross-entropy: no gradient flows into ``labels``."""
    if _sentinel is not None:
        raise ValueError(
            "Only call `softmax_cross_entropy_with_logits` with named arguments "
            "(labels=..., logits=..., ...)."
        )
    labels = array_ops.stop_gradient(_t(labels))
    return softmax_cross_entropy_with_logits(labels, logits, dim if axis is None else axis, name)
