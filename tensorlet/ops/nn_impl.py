"""``tf.nn`` building blocks above the activations: bias_add, L2Loss, LRN, FusedBatchNormV3,
DepthToSpace/SpaceToDepth, SpaceToBatchND/BatchToSpaceND (ops), and the composites moments,
batch_normalization, l2_normalize, dropout, embedding lookups and the sigmoid/weighted/Poisson
losses (plain functions over ops, as in TF's nn_impl.py).
"""

import math

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import array_ops, math_ops, nn_ops, reduction_ops
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop

D = dtypes
FLOATS = (D.float16, D.bfloat16, D.float32, D.float64)


def _t(x, dtype=None):
    if isinstance(x, Tensor):
        return x
    return convert_to_tensor(x, dtype=dtype)


def _invalid(op_name, message):
    return errors.op_error(errors.InvalidArgumentError, op_name, message)


def _dims(s):
    return "[" + ",".join("?" if d is None else str(d) for d in s) + "]"


def _const(v, dtype):
    return convert_to_tensor(v, dtype=dtype)


# ---------------------------------------------------------------- BiasAdd


def _channel_axis(rank, data_format):
    return 1 if data_format.startswith("NC") and rank >= 3 else rank - 1


def _bias_add_forward(x, b, data_format):
    if data_format.startswith("NC") and x.ndim >= 3:
        return x + b.reshape((-1,) + (1,) * (x.ndim - 2))
    return x + b


def _bias_add_shape(op, inputs, attrs):
    x, b = inputs[0].shape, inputs[1].shape
    if x.rank is not None and x.rank < 2:
        raise _invalid(op.name, f"Input tensor must be at least 2D: {_dims(x)}")
    if b.rank is not None and b.rank != 1:
        raise _invalid(op.name, f"Biases must be 1D: {_dims(b)}")
    if x.rank is not None and b.rank is not None:
        nc = attrs["data_format"].startswith("NC")
        c = x[_channel_axis(x.rank, attrs["data_format"])]
        if c is not None and b[0] is not None and c != b[0]:
            where = "channel" if nc else "last"
            raise _invalid(
                op.name,
                f"Must provide as many biases as the {where} dimension of the "
                f"input tensor: {_dims(b)} vs. {_dims(x)}",
            )
    return (x,)


def _bias_add_grad_forward(dy, data_format):
    axis = _channel_axis(dy.ndim, data_format)
    axes = tuple(i for i in range(dy.ndim) if i != axis)
    acc = dy.astype(xp.float32) if dy.dtype.itemsize < 4 and dy.dtype.kind == "f" else dy
    return xp.sum(acc, axis=axes)


def _bias_add_grad_shape(op, inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return (TensorShape([None]),)
    if s.rank < 2:
        raise _invalid(op.name, f"Input tensor must be at least 2D: {_dims(s)}")
    return (TensorShape([s[_channel_axis(s.rank, attrs["data_format"])]]),)


def _bias_add_grad_grad(op, g):
    """Broadcasts the bias gradient's gradient back over out_backprop's shape."""
    dy = op.inputs[0]
    rank = dy.shape.rank
    axis = _channel_axis(rank, op.attrs["data_format"])
    shape = [1] * rank
    shape[axis] = -1
    return [array_ops.broadcast_to(array_ops.reshape(g, shape), array_ops.shape(dy))]


bias_add_grad_op = defop(
    "BiasAddGrad",
    _bias_add_grad_forward,
    dtype_rule=R.same_dtype(R.NUMERIC),
    shape_rule=_bias_add_grad_shape,
    grad=_bias_add_grad_grad,
)
bias_add_op = defop(
    "BiasAdd",
    _bias_add_forward,
    dtype_rule=R.same_dtype(R.NUMERIC),
    shape_rule=_bias_add_shape,
    grad=lambda op, dy: [dy, apply(bias_add_grad_op, dy, data_format=op.attrs["data_format"])],
)


@tf_export("nn.bias_add")
def bias_add(value, bias, data_format=None, name=None):
    """Adds the 1-D ``bias`` along the channel dimension (last, or 1 for "NC..." formats)."""
    if data_format is not None:
        if data_format.startswith("NC"):
            data_format = "NCHW"
        elif data_format.startswith("N") and data_format.endswith("C"):
            data_format = "NHWC"
        else:
            raise ValueError(
                "`data_format` must be of the form `N...C` or `NC...`. "
                f"Received: data_format={data_format}"
            )
    x = _t(value)
    b = _t(bias, x.dtype)
    return apply(bias_add_op, x, b, data_format=data_format or "NHWC", name=name)


# ---------------------------------------------------------------- L2Loss, l2_normalize


def _l2_loss_forward(x):
    acc = x.astype(xp.float32) if x.dtype.itemsize < 4 else x
    return xp.sum(acc * acc) / 2


l2_loss_op = defop(
    "L2Loss",
    _l2_loss_forward,
    dtype_rule=R.same_dtype(FLOATS),
    shape_rule=R.scalar,
    grad=lambda op, dy: [math_ops.multiply(op.inputs[0], dy)],
)


@tf_export("nn.l2_loss")
def l2_loss(t, name=None):
    """sum(t ** 2) / 2."""
    return apply(l2_loss_op, _t(t), name=name)


@tf_export("math.l2_normalize", "linalg.l2_normalize", "nn.l2_normalize")
def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x ** 2, axis), epsilon)) (all axes when ``axis`` is None)."""
    axis = dim if axis is None else axis
    x = _t(x)
    if x.dtype.is_complex:
        raise NotImplementedError("l2_normalize of complex tensors")
    square_sum = reduction_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
    inv = math_ops.rsqrt(math_ops.maximum(square_sum, _const(epsilon, x.dtype)))
    return math_ops.multiply(x, inv)


# ---------------------------------------------------------------- LRN


def _window_sum_depth(a, r):
    """sum(a[..., d - r : d + r + 1]) along the last axis (clipped at the ends)."""
    c = a.shape[-1]
    cs = xp.concatenate([xp.zeros(a.shape[:-1] + (1,), a.dtype), xp.cumsum(a, axis=-1)], axis=-1)
    hi = xp.minimum(xp.arange(c) + r + 1, c)
    lo = xp.maximum(xp.arange(c) - r, 0)
    return cs[..., hi] - cs[..., lo]


def _lrn_forward(x, depth_radius, bias, alpha, beta):
    xf = x.astype(xp.float32) if x.dtype.itemsize < 4 else x
    norm = bias + alpha * _window_sum_depth(xf * xf, depth_radius)
    return xf * norm**-beta


def _lrn_grad_forward(dy, x, y, depth_radius, bias, alpha, beta):
    """dx_j = dy_j n_j^-b - 2ab x_j sum_{i near j} dy_i x_i n_i^(-b-1)."""
    f = xp.float32 if x.dtype.itemsize < 4 else x.dtype
    dy, x = dy.astype(f), x.astype(f)
    norm = bias + alpha * _window_sum_depth(x * x, depth_radius)
    inner = _window_sum_depth(dy * x * norm ** (-beta - 1), depth_radius)
    return dy * norm**-beta - 2 * alpha * beta * x * inner


def _lrn_shape(op, inputs, attrs):
    s = inputs[0].shape
    if s.rank is not None and s.rank != 4:
        raise _invalid(op.name, f"input must be 4-dimensional{_dims(s)}")
    return (s,)


_LRN_TYPES = (D.float16, D.bfloat16, D.float32)
lrn_grad_op = defop(
    "LRNGrad",
    _lrn_grad_forward,
    dtype_rule=R.same_dtype(_LRN_TYPES),
    shape_rule=lambda op, inputs, attrs: (inputs[1].shape,),
)
lrn_op = defop(
    "LRN",
    _lrn_forward,
    dtype_rule=R.same_dtype(_LRN_TYPES),
    shape_rule=_lrn_shape,
    grad=lambda op, dy: [apply(lrn_grad_op, dy, op.inputs[0], op.outputs[0], **op.attrs)],
)


@tf_export("nn.local_response_normalization", "nn.lrn")
def local_response_normalization(input, depth_radius=5, bias=1, alpha=1, beta=0.5, name=None):
    """input / (bias + alpha * sum(input ** 2 over depth_radius channels)) ** beta."""
    return apply(
        lrn_op,
        _t(input),
        depth_radius=int(depth_radius),
        bias=float(bias),
        alpha=float(alpha),
        beta=float(beta),
        name=name,
    )


# ---------------------------------------------------------------- depth <-> space


def _block_size(op_name, bs):
    if bs < 2:
        raise _invalid(op_name, f"Value for attr 'block_size' of {bs} must be at least minimum 2")


def _d2s_forward(x, block_size, data_format):
    b, h, w, c = x.shape
    bs = block_size
    y = x.reshape(b, h, w, bs, bs, c // (bs * bs)).transpose(0, 1, 3, 2, 4, 5)
    return y.reshape(b, h * bs, w * bs, c // (bs * bs))


def _s2d_forward(x, block_size, data_format):
    b, h, w, c = x.shape
    bs = block_size
    y = x.reshape(b, h // bs, bs, w // bs, bs, c).transpose(0, 1, 3, 2, 4, 5)
    return y.reshape(b, h // bs, w // bs, bs * bs * c)


def _d2s_shape(op, inputs, attrs):
    s, bs = inputs[0].shape, attrs["block_size"]
    _block_size(op.name, bs)
    if s.rank is None:
        return (TensorShape([None] * 4),)
    if s.rank != 4:
        raise _invalid(op.name, f"input rank should be 4 instead of {s.rank}")
    b, h, w, c = s
    if c is not None and c % (bs * bs):
        raise _invalid(op.name, f"Input depth dimension {c} should be divisible by: {bs * bs}")
    mul = lambda v, k: None if v is None else v * k
    return (TensorShape([b, mul(h, bs), mul(w, bs), None if c is None else c // (bs * bs)]),)


def _s2d_shape(op, inputs, attrs):
    s, bs = inputs[0].shape, attrs["block_size"]
    _block_size(op.name, bs)
    if s.rank is None:
        return (TensorShape([None] * 4),)
    if s.rank != 4:
        raise _invalid(op.name, f"input rank should be 4 instead of {s.rank}")
    b, h, w, c = s
    if (h is not None and h % bs) or (w is not None and w % bs):
        raise _invalid(
            op.name, f"Image width {w} and height {h} should be divisible by block_size: {bs}"
        )
    div = lambda v: None if v is None else v // bs
    return (TensorShape([b, div(h), div(w), None if c is None else c * bs * bs]),)


depth_to_space_op = defop(
    "DepthToSpace", _d2s_forward, dtype_rule=R.same_dtype(), shape_rule=_d2s_shape
)
space_to_depth_op = defop(
    "SpaceToDepth", _s2d_forward, dtype_rule=R.same_dtype(), shape_rule=_s2d_shape
)
depth_to_space_op.grad = lambda op, dy: [apply(space_to_depth_op, dy, **op.attrs)]
space_to_depth_op.grad = lambda op, dy: [apply(depth_to_space_op, dy, **op.attrs)]


def _check_nhwc(data_format, op_name):
    if data_format != "NHWC":
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"Only NHWC data_format is supported on CPU; got {data_format}",
        )


@tf_export("nn.depth_to_space")
def depth_to_space(input, block_size, data_format="NHWC", name=None):
    """Moves depth blocks into spatial blocks (DCR order)."""
    _check_nhwc(data_format, "DepthToSpace")
    return apply(
        depth_to_space_op, _t(input), block_size=int(block_size), data_format=data_format, name=name
    )


@tf_export("nn.space_to_depth")
def space_to_depth(input, block_size, data_format="NHWC", name=None):
    """Moves spatial blocks into depth."""
    _check_nhwc(data_format, "SpaceToDepth")
    return apply(
        space_to_depth_op, _t(input), block_size=int(block_size), data_format=data_format, name=name
    )


@tf_export("compat.v1.depth_to_space", "compat.v1.nn.depth_to_space")
def depth_to_space_v1(input, block_size, name=None, data_format="NHWC"):
    return depth_to_space(input, block_size, data_format, name)


@tf_export("compat.v1.space_to_depth", "compat.v1.nn.space_to_depth")
def space_to_depth_v1(input, block_size, name=None, data_format="NHWC"):
    return space_to_depth(input, block_size, data_format, name)


# ---------------------------------------------------------------- space <-> batch (N-D)


def _s2b_forward(x, block_shape, paddings):
    m = len(block_shape)
    pads = ((0, 0),) + tuple(tuple(p) for p in paddings) + ((0, 0),) * (x.ndim - 1 - m)
    x = xp.pad(x, pads)
    b = x.shape[0]
    shape = [b]
    for i, bs in enumerate(block_shape):
        shape += [x.shape[1 + i] // bs, bs]
    rest = list(x.shape[1 + m :])
    y = x.reshape(shape + rest)
    perm = (
        [2 + 2 * i for i in range(m)]
        + [0]
        + [1 + 2 * i for i in range(m)]
        + list(range(1 + 2 * m, 1 + 2 * m + len(rest)))
    )
    y = y.transpose(perm)
    return y.reshape(
        [b * math.prod(block_shape)]
        + [x.shape[1 + i] // bs for i, bs in enumerate(block_shape)]
        + rest
    )


def _b2s_forward(x, block_shape, crops):
    m = len(block_shape)
    prod = math.prod(block_shape)
    b = x.shape[0] // prod
    spatial = list(x.shape[1 : 1 + m])
    rest = list(x.shape[1 + m :])
    y = x.reshape(list(block_shape) + [b] + spatial + rest)
    perm = [m]
    for i in range(m):
        perm += [m + 1 + i, i]
    perm += list(range(2 * m + 1, 2 * m + 1 + len(rest)))
    y = y.transpose(perm).reshape([b] + [s * bs for s, bs in zip(spatial, block_shape)] + rest)
    sl = tuple(slice(c0, y.shape[1 + i] - c1) for i, (c0, c1) in enumerate(crops))
    return y[(slice(None),) + sl]


def _s2b_shape(op, inputs, attrs):
    s, block, pads = inputs[0].shape, attrs["block_shape"], attrs["paddings"]
    m = len(block)
    if any(b < 1 for b in block):
        raise _invalid(
            op.name,
            f"All values in block_shape must be positive, got value, "
            f"{min(block)} at index {list(block).index(min(block))}.",
        )
    if s.rank is None:
        return (TensorShape(None),)
    if s.rank < m + 1:
        raise _invalid(op.name, f"input rank should be >= {m + 1} instead of {s.rank}")
    dims = list(s)
    out = [None if dims[0] is None else dims[0] * math.prod(block)]
    for i, (bs, (p0, p1)) in enumerate(zip(block, pads)):
        d = dims[1 + i]
        if d is None:
            out.append(None)
            continue
        padded = d + p0 + p1
        if padded % bs:
            raise _invalid(
                op.name, f"padded_shape[{i}]={padded} is not divisible by block_shape[{i}]={bs}"
            )
        out.append(padded // bs)
    return (TensorShape(out + dims[1 + m :]),)


def _b2s_shape(op, inputs, attrs):
    s, block, crops = inputs[0].shape, attrs["block_shape"], attrs["crops"]
    m = len(block)
    if s.rank is None:
        return (TensorShape(None),)
    if s.rank < m + 1:
        raise _invalid(op.name, f"input rank should be >= {m + 1} instead of {s.rank}")
    dims = list(s)
    prod = math.prod(block)
    if dims[0] is not None and dims[0] % prod:
        raise _invalid(
            op.name,
            f"Input batch dimension ({dims[0]}) is not divisible by product "
            f"of block sizes ({prod})",
        )
    out = [None if dims[0] is None else dims[0] // prod]
    for i, (bs, (c0, c1)) in enumerate(zip(block, crops)):
        d = dims[1 + i]
        if d is not None and c0 + c1 > d * bs:
            raise _invalid(
                op.name,
                f"crops must be less than or equal to the corresponding "
                f"dimension: {c0 + c1} vs {d * bs}",
            )
        out.append(None if d is None else d * bs - c0 - c1)
    return (TensorShape(out + dims[1 + m :]),)


space_to_batch_nd_op = defop(
    "SpaceToBatchND", _s2b_forward, dtype_rule=R.same_dtype(), shape_rule=_s2b_shape
)
batch_to_space_nd_op = defop(
    "BatchToSpaceND", _b2s_forward, dtype_rule=R.same_dtype(), shape_rule=_b2s_shape
)
space_to_batch_nd_op.grad = lambda op, dy: [
    apply(batch_to_space_nd_op, dy, block_shape=op.attrs["block_shape"], crops=op.attrs["paddings"])
]
batch_to_space_nd_op.grad = lambda op, dy: [
    apply(space_to_batch_nd_op, dy, block_shape=op.attrs["block_shape"], paddings=op.attrs["crops"])
]


def _int_tuple(v):
    if isinstance(v, Tensor):
        v = array_ops.host_array(v)
    return tuple(int(a) for a in xp.asarray(v).reshape(-1).tolist())


def _pairs(v, m):
    flat = _int_tuple(v)
    if len(flat) != 2 * m:
        raise ValueError(f"paddings/crops must have shape [{m}, 2], got {len(flat)} values")
    return tuple((flat[2 * i], flat[2 * i + 1]) for i in range(m))


@tf_export("space_to_batch_nd", "compat.v1.manip.space_to_batch_nd")
def space_to_batch_nd(input, block_shape, paddings, name=None):
    """Zero-pads the spatial dims and moves ``block_shape`` blocks into the batch dimension."""
    block = _int_tuple(block_shape)
    return apply(
        space_to_batch_nd_op,
        _t(input),
        block_shape=block,
        paddings=_pairs(paddings, len(block)),
        name=name,
    )


@tf_export("space_to_batch", "nn.space_to_batch")
def space_to_batch(input, block_shape, paddings, name=None):
    """``space_to_batch_nd`` (the TF2 name)."""
    return space_to_batch_nd(input, block_shape, paddings, name)


@tf_export("compat.v1.batch_to_space_nd", "compat.v1.manip.batch_to_space_nd")
def batch_to_space_nd(input, block_shape, crops, name=None):
    """Inverse of ``space_to_batch_nd``: moves batch blocks back into space, then crops."""
    block = _int_tuple(block_shape)
    return apply(
        batch_to_space_nd_op,
        _t(input),
        block_shape=block,
        crops=_pairs(crops, len(block)),
        name=name,
    )


@tf_export("batch_to_space")
def batch_to_space(input, block_shape, crops, name=None):
    """``batch_to_space_nd`` (an int ``block_shape`` means the same block for 2 dims)."""
    if isinstance(block_shape, int):
        block_shape = [block_shape, block_shape]
    return batch_to_space_nd(input, block_shape, crops, name)


# ---------------------------------------------------------------- FusedBatchNormV3


def _fbn_forward(
    x, scale, offset, mean, variance, epsilon, exponential_avg_factor, data_format, is_training
):
    f = xp.float32 if x.dtype.itemsize < 4 else x.dtype
    xf = x.astype(f)
    axis = 1 if data_format.startswith("NC") else x.ndim - 1
    axes = tuple(i for i in range(x.ndim) if i != axis)
    bshape = [1] * x.ndim
    bshape[axis] = -1
    if is_training:
        n = x.size // x.shape[axis] if x.shape[axis] else 0
        m = xp.mean(xf, axis=axes)
        v = xp.mean(xp.square(xf - m.reshape(bshape)), axis=axes)
        unbiased = v * (n / max(n - 1, 1))
        if exponential_avg_factor != 1.0 and mean.size:
            k = exponential_avg_factor
            out_mean = (1 - k) * mean + k * m
            out_var = (1 - k) * variance + k * unbiased
        else:
            out_mean, out_var = m, unbiased
    else:
        m, v = mean.astype(f), variance.astype(f)
        out_mean, out_var = mean, variance
    inv = 1 / xp.sqrt(v + xp.asarray(epsilon, dtype=f))
    y = (xf - m.reshape(bshape)) * (inv * scale).reshape(bshape) + offset.reshape(bshape)
    return (
        y.astype(x.dtype),
        out_mean.astype(scale.dtype),
        out_var.astype(scale.dtype),
        m.astype(scale.dtype),
        v.astype(scale.dtype),
        xp.zeros((0,), scale.dtype),
    )


def _fbn_dtype(op, inputs, attrs):
    x, s = inputs[0].dtype, inputs[1].dtype
    if x not in (D.float16, D.bfloat16, D.float32):
        raise R.dtype_not_allowed(op, x, (D.float16, D.bfloat16, D.float32))
    return (x, s, s, s, s, s)


def _fbn_shape(op, inputs, attrs):
    x = inputs[0].shape
    if x.rank is not None and x.rank not in (4, 5):
        raise _invalid(op.name, f"input must be 4 or 5-dimensional{_dims(x)}")
    c = None if x.rank is None else x[1 if attrs["data_format"].startswith("NC") else -1]
    for name, t in zip(("scale", "offset"), inputs[1:3]):
        if t.shape.rank is not None and t.shape.rank != 1:
            raise _invalid(op.name, f"{name} must be 1-dimensional{_dims(t.shape)}")
    vec = TensorShape([c])
    return (x, vec, vec, vec, vec, TensorShape([None]))


def _fbn_grad(op, dy, *unused):
    """TF's _FusedBatchNormGrad: only y's gradient is used (batch statistics get none)."""
    x, scale = op.inputs[0], op.inputs[1]
    rank = x.shape.rank
    axis = 1 if op.attrs["data_format"].startswith("NC") else rank - 1
    axes = [i for i in range(rank) if i != axis]
    bshape = [1] * rank
    bshape[axis] = -1
    eps = op.attrs["epsilon"]
    work = D.float32 if x.dtype in (D.float16, D.bfloat16) else x.dtype
    xf, g = math_ops.cast(x, work), math_ops.cast(dy, work)
    if op.attrs["is_training"]:
        mean, var = op.outputs[3], op.outputs[4]
    else:
        mean, var = op.inputs[3], op.inputs[4]
    mean, var = math_ops.cast(mean, work), math_ops.cast(var, work)
    inv = math_ops.rsqrt(math_ops.add(var, _const(eps, work)))
    centered = math_ops.subtract(xf, array_ops.reshape(mean, bshape))
    sum_dy = reduction_ops.reduce_sum(g, axes)
    sum_dy_xc = reduction_ops.reduce_sum(math_ops.multiply(g, centered), axes)
    k = math_ops.multiply(math_ops.cast(scale, work), inv)
    if op.attrs["is_training"]:
        n = _const(x.shape.num_elements() // x.shape[axis], work)
        corr = math_ops.add(
            math_ops.divide(sum_dy, n),
            math_ops.multiply(
                centered,
                array_ops.reshape(
                    math_ops.divide(math_ops.multiply(sum_dy_xc, math_ops.square(inv)), n), bshape
                ),
            ),
        )
        dx = math_ops.multiply(array_ops.reshape(k, bshape), math_ops.subtract(g, corr))
    else:
        dx = math_ops.multiply(g, array_ops.reshape(k, bshape))
    dscale = math_ops.multiply(sum_dy_xc, inv)
    return [
        math_ops.cast(dx, x.dtype),
        math_ops.cast(dscale, scale.dtype),
        math_ops.cast(sum_dy, scale.dtype),
        None,
        None,
    ]


fused_batch_norm_op = defop(
    "FusedBatchNormV3",
    _fbn_forward,
    dtype_rule=_fbn_dtype,
    shape_rule=_fbn_shape,
    grad=_fbn_grad,
    num_outputs=6,
)


@tf_export("compat.v1.nn.fused_batch_norm")
def fused_batch_norm(
    x,
    scale,
    offset,
    mean=None,
    variance=None,
    epsilon=0.001,
    data_format="NHWC",
    is_training=True,
    name=None,
    exponential_avg_factor=1.0,
):
    """Batch normalization in one op; training returns the unbiased (n-1) batch variance."""
    if (not is_training or exponential_avg_factor != 1.0) and (mean is None or variance is None):
        raise ValueError(
            "Both `mean` and `variance` must be a 1D tensor when is_training is "
            "False or exponential_avg_factor != 1.0. Received: "
            f"`mean` {mean!r} and `variance` {variance!r}"
        )
    x = _t(x)
    scale, offset = _t(scale), _t(offset)
    mean = _t(mean if mean is not None else xp.zeros((0,), xp.float32))
    variance = _t(variance if variance is not None else xp.zeros((0,), xp.float32))
    epsilon = max(float(epsilon), 1.001e-5)
    y, m, v, _, _, _ = apply(
        fused_batch_norm_op,
        x,
        scale,
        offset,
        mean,
        variance,
        epsilon=epsilon,
        exponential_avg_factor=float(exponential_avg_factor),
        data_format=data_format,
        is_training=bool(is_training),
        name=name,
    )
    return y, m, v


# ---------------------------------------------------------------- moments, batch_normalization


def _axes_list(axes):
    return list(array_ops.py_ints(axes))


@tf_export("nn.moments")
def moments(x, axes, shift=None, keepdims=False, name=None):
    """Mean and (biased) variance of ``x`` over ``axes``; float16 is computed in float32."""
    x = _t(x)
    axes = _axes_list(axes)
    y = math_ops.cast(x, D.float32) if x.dtype == D.float16 else x
    mean = reduction_ops.reduce_mean(y, axes, keepdims=True)
    var = reduction_ops.reduce_mean(
        math_ops.squared_difference(y, array_ops.stop_gradient(mean)), axes, keepdims=True
    )
    if not keepdims:
        mean = array_ops.squeeze(mean, axes)
        var = array_ops.squeeze(var, axes)
    if x.dtype == D.float16:
        return math_ops.cast(mean, D.float16), math_ops.cast(var, D.float16)
    return mean, var


@tf_export("compat.v1.nn.moments")
def moments_v1(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    return moments(x, axes, shift, bool(keepdims if keepdims is not None else keep_dims), name)


@tf_export("nn.weighted_moments")
def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    """Frequency-weighted mean and variance over ``axes`` (div_no_nan by the weight sum)."""
    x, w = _t(x), _t(frequency_weights)
    axes = _axes_list(axes)
    cast16 = x.dtype == D.float16
    if cast16:
        x = math_ops.cast(x, D.float32)
    if w.dtype != x.dtype:
        w = math_ops.cast(w, x.dtype)
    wsum_x = reduction_ops.reduce_sum(math_ops.multiply(w, x), axes, keepdims=True)
    wb = math_ops.add(w, array_ops.zeros_like(x))
    wsum = reduction_ops.reduce_sum(wb, axes, keepdims=True)
    mean = math_ops.div_no_nan(wsum_x, wsum)
    dist = reduction_ops.reduce_sum(
        math_ops.multiply(w, math_ops.squared_difference(x, mean)), axes, keepdims=True
    )
    var = math_ops.div_no_nan(dist, wsum)
    if not keepdims:
        mean, var = array_ops.squeeze(mean, axes), array_ops.squeeze(var, axes)
    if cast16:
        mean, var = math_ops.cast(mean, D.float16), math_ops.cast(var, D.float16)
    return mean, var


@tf_export("nn.sufficient_statistics")
def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    """(count, sum(x - shift), sum((x - shift) ** 2), shift) over ``axes``."""
    x = _t(x)
    axes = _axes_list(axes)
    dims = x.shape.as_list()
    counts = _const(math.prod(dims[a] for a in axes), x.dtype)
    if shift is not None:
        shift = _t(shift, x.dtype)
        m_ss = math_ops.subtract(x, shift)
        v_ss = math_ops.squared_difference(x, shift)
    else:
        m_ss, v_ss = x, math_ops.square(x)
    m_ss = reduction_ops.reduce_sum(m_ss, axes, keepdims=keepdims)
    v_ss = reduction_ops.reduce_sum(v_ss, axes, keepdims=keepdims)
    return counts, m_ss, v_ss, shift


@tf_export("nn.normalize_moments")
def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """Mean and variance from sufficient statistics."""
    mean_ss = _t(mean_ss)
    counts, variance_ss = _t(counts, mean_ss.dtype), _t(variance_ss, mean_ss.dtype)
    divisor = math_ops.reciprocal(counts)
    shifted_mean = math_ops.multiply(mean_ss, divisor)
    mean = shifted_mean if shift is None else math_ops.add(shifted_mean, _t(shift, mean_ss.dtype))
    var = math_ops.subtract(math_ops.multiply(variance_ss, divisor), math_ops.square(shifted_mean))
    return mean, var


@tf_export("nn.batch_normalization")
def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) * scale / sqrt(variance + epsilon) + offset, as x * inv + (offset - mean * inv)."""
    x = _t(x)
    mean, variance = _t(mean, x.dtype), _t(variance, x.dtype)
    inv = math_ops.rsqrt(math_ops.add(variance, _const(variance_epsilon, variance.dtype)))
    if scale is not None:
        inv = math_ops.multiply(inv, _t(scale, inv.dtype))
    shift = (
        math_ops.negative(math_ops.multiply(mean, inv))
        if offset is None
        else math_ops.subtract(_t(offset, inv.dtype), math_ops.multiply(mean, inv))
    )
    return math_ops.add(
        math_ops.multiply(x, math_ops.cast(inv, x.dtype)), math_ops.cast(shift, x.dtype)
    )


# ---------------------------------------------------------------- losses


@tf_export("nn.sigmoid_cross_entropy_with_logits")
def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """max(x, 0) - x * z + log(1 + exp(-|x|)) for logits x and labels z (stable form)."""
    logits = _t(logits)
    labels = _t(labels, logits.dtype)
    if not labels.shape.is_compatible_with(logits.shape):
        raise ValueError(
            "`logits` and `labels` must have the same shape, received "
            f"({logits.shape} vs {labels.shape})."
        )
    zeros = array_ops.zeros_like(logits)
    cond = math_ops.greater_equal(logits, zeros)
    relu_logits = array_ops.where(cond, logits, zeros)
    neg_abs = array_ops.where(cond, math_ops.negative(logits), logits)
    return math_ops.add(
        math_ops.subtract(relu_logits, math_ops.multiply(logits, labels)),
        math_ops.log1p(math_ops.exp(neg_abs)),
    )


@tf_export("nn.weighted_cross_entropy_with_logits")
def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    """Sigmoid cross-entropy with positive examples weighted by ``pos_weight``."""
    logits = _t(logits)
    labels = _t(labels, logits.dtype)
    one = _const(1, logits.dtype)
    pw = _t(pos_weight, logits.dtype)
    log_weight = math_ops.add(one, math_ops.multiply(math_ops.subtract(pw, one), labels))
    soft = math_ops.add(
        math_ops.log1p(math_ops.exp(math_ops.negative(math_ops.abs(logits)))),
        nn_ops.relu(math_ops.negative(logits)),
    )
    return math_ops.add(
        math_ops.multiply(math_ops.subtract(one, labels), logits),
        math_ops.multiply(log_weight, soft),
    )


@tf_export("nn.log_poisson_loss")
def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """exp(log_input) - log_input * targets, plus Stirling's term when ``compute_full_loss``."""
    log_input = _t(log_input)
    targets = _t(targets, log_input.dtype)
    result = math_ops.subtract(math_ops.exp(log_input), math_ops.multiply(log_input, targets))
    if compute_full_loss:
        dt = targets.dtype
        stirling = math_ops.add(
            math_ops.subtract(math_ops.multiply(targets, math_ops.log(targets)), targets),
            math_ops.multiply(
                _const(0.5, dt), math_ops.log(math_ops.multiply(_const(2 * math.pi, dt), targets))
            ),
        )
        zeros = array_ops.zeros_like(targets)
        cond = math_ops.logical_and(
            math_ops.greater_equal(targets, zeros),
            math_ops.less_equal(targets, array_ops.ones_like(targets)),
        )
        result = math_ops.add(result, array_ops.where(cond, zeros, stirling))
    return result


@tf_export("nn.compute_average_loss")
def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    """sum(per_example_loss * sample_weight) / global_batch_size (default: the batch size)."""
    loss = _t(per_example_loss)
    dtype = loss.dtype
    if loss.shape.rank == 0:
        raise ValueError(
            "Invalid value passed for `per_example_loss`. Expected a tensor with at "
            f"least rank 1. Received: {loss}"
        )
    if sample_weight is not None:
        w = _t(sample_weight, dtype)
        loss = math_ops.multiply(loss, math_ops.cast(w, dtype))
    if global_batch_size is None:
        global_batch_size = loss.shape[0]
    if isinstance(global_batch_size, float) or (
        isinstance(global_batch_size, Tensor) and not global_batch_size.dtype.is_integer
    ):
        raise TypeError("global_batch_size must be an integer.")
    if int(global_batch_size) <= 0:
        raise errors.InvalidArgumentError(None, None, "global_batch_size must be positive.")
    return math_ops.divide(
        reduction_ops.reduce_sum(loss), math_ops.cast(_t(global_batch_size), dtype)
    )


@tf_export("nn.scale_regularization_loss")
def scale_regularization_loss(regularization_loss):
    """sum(regularization_loss) / number of replicas (1 without a distribution strategy)."""
    loss = reduction_ops.reduce_sum(_t(regularization_loss))
    return math_ops.divide(loss, _const(1, loss.dtype))


@tf_export("math.zero_fraction", "nn.zero_fraction")
def zero_fraction(value, name=None):
    """The fraction of zeros in ``value`` (float32)."""
    value = _t(value)
    zero = _const(0, value.dtype)
    nonzero = reduction_ops.count_nonzero(math_ops.not_equal(value, zero), dtype=D.int64)
    size = math.prod(value.shape.as_list())
    frac = math_ops.cast(nonzero, D.float64) if size else _const(0.0, D.float64)
    frac = math_ops.divide(frac, _const(max(size, 1), D.float64))
    return math_ops.cast(math_ops.subtract(_const(1.0, D.float64), frac), D.float32)


# ---------------------------------------------------------------- dropout


@tf_export("nn.dropout")
def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Zeroes elements with probability ``rate`` and scales the rest by 1 / (1 - rate)."""
    from tensorlet.ops import random_ops

    return random_ops.dropout(x, rate, noise_shape=noise_shape, seed=seed, name=name)


@tf_export("compat.v1.nn.dropout")
def dropout_v1(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """TF1 dropout: ``keep_prob`` = 1 - rate."""
    if keep_prob is not None:
        if rate is not None:
            raise ValueError("You cannot specify both 'rate' and 'keep_prob'.")
        rate = 1 - keep_prob
    return dropout(x, rate, noise_shape, seed, name)


# ---------------------------------------------------------------- embeddings


def _clip_rows(emb, ids, max_norm):
    """clip_by_norm over the embedding axes (TF's _clip)."""
    if max_norm is None:
        return emb
    from tensorlet.ops import clip_ops

    axes = list(range(ids.shape.rank, emb.shape.rank))
    return clip_ops.clip_by_norm(emb, max_norm, axes=axes)


@tf_export("nn.embedding_lookup")
def embedding_lookup(params, ids, max_norm=None, name=None):
    """Rows of ``params`` (or of a list of shards, "div"-partitioned) at ``ids``; the gradient
    w.r.t. ``params`` is an IndexedSlices."""
    return _embedding_lookup(params, ids, "div", max_norm)


def _embedding_lookup(params, ids, strategy, max_norm):
    from tensorlet.ops import gather_ops

    ids = _t(ids)
    if isinstance(params, (list, tuple)):
        if not params:
            raise ValueError("`params` must be specified and non-empty.")
        if len(params) > 1:
            return _clip_rows(_sharded_lookup(list(params), ids, strategy), ids, max_norm)
        params = params[0]
    return _clip_rows(gather_ops.gather(params, ids), ids, max_norm)


def _sharded_lookup(shards, ids, strategy):
    """One gather per shard, then the rows put back in the order of ``ids``."""
    from tensorlet.ops import gather_ops

    if strategy not in ("mod", "div"):
        raise ValueError("Unrecognized partition strategy: " + strategy)
    n = len(shards)
    shards = [_t(p) for p in shards]
    flat = xp.asarray(ids.numpy()).reshape(-1).astype(xp.int64)
    if strategy == "mod":
        part, new = flat % n, flat // n
    else:
        total = sum(p.shape[0] for p in shards)
        per, extras = total // n, total % n
        part = xp.maximum(flat // (per + 1), (flat - extras) // max(per, 1))
        first = part < extras
        new = xp.where(first, flat % (per + 1), (flat - extras) % max(per, 1))
    pieces, order = [], []
    for s in range(n):
        idx = xp.nonzero(part == s)[0]
        if idx.size:
            pieces.append(gather_ops.gather(shards[s], convert_to_tensor(new[idx])))
            order.append(idx)
    rows = array_ops.concat(pieces, 0) if len(pieces) > 1 else pieces[0]
    inverse = xp.argsort(xp.concatenate(order), kind="stable")
    rows = gather_ops.gather(rows, convert_to_tensor(inverse.astype(xp.int64)))
    return array_ops.reshape(rows, ids.shape.as_list() + rows.shape.as_list()[1:])


@tf_export("compat.v1.nn.embedding_lookup")
def embedding_lookup_v1(
    params, ids, partition_strategy="mod", name=None, validate_indices=True, max_norm=None
):
    """TF1 embedding_lookup: shards are "mod"-partitioned by default."""
    return _embedding_lookup(params, ids, partition_strategy, max_norm)


@tf_export("nn.embedding_lookup_sparse")
def embedding_lookup_sparse(
    params, sp_ids, sp_weights, combiner=None, max_norm=None, name=None, allow_fast_lookup=False
):
    """Combines (sum / mean / sqrtn) the embeddings of each row of the SparseTensor ``sp_ids``."""
    from tensorlet.ops import gather_ops, segment_ops, sort_ops

    combiner = "mean" if combiner is None else combiner
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    segment_ids = math_ops.cast(
        array_ops.reshape(gather_ops.gather(sp_ids.indices, [0], axis=1), [-1]), D.int32
    )
    ids, idx = sort_ops.unique(sp_ids.values)
    emb = embedding_lookup(params, ids, max_norm)
    if sp_weights is None:
        fn = {
            "sum": segment_ops.sparse_segment_sum,
            "mean": segment_ops.sparse_segment_mean,
            "sqrtn": segment_ops.sparse_segment_sqrt_n,
        }[combiner]
        return fn(emb, idx, segment_ids)
    emb = gather_ops.gather(emb, idx)
    w = math_ops.cast(sp_weights.values, emb.dtype)
    w = array_ops.reshape(w, w.shape.as_list() + [1] * (emb.shape.rank - 1))
    emb = math_ops.multiply(emb, w)
    total = segment_ops.segment_sum(emb, segment_ids)
    if combiner == "sum":
        return total
    if combiner == "mean":
        return math_ops.div_no_nan(total, segment_ops.segment_sum(w, segment_ids))
    wsq = segment_ops.segment_sum(math_ops.square(w), segment_ids)
    return math_ops.div_no_nan(total, math_ops.sqrt(wsq))


@tf_export("nn.batch_norm_with_global_normalization")
def batch_norm_with_global_normalization(
    input,
    mean,
    variance,
    beta,
    gamma,
    variance_epsilon,
    scale_after_normalization,
    name=None,
):
    """batch_normalization with ``gamma`` applied only when ``scale_after_normalization``."""
    return batch_normalization(
        input, mean, variance, beta, gamma if scale_after_normalization else None, variance_epsilon
    )
