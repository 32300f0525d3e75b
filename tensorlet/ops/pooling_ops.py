"""Pooling (channels-last): MaxPool/AvgPool (2-D and 3-D), MaxPoolWithArgmax, their gradient
ops, and the public ``tf.nn.*pool*`` functions (1-D pooling runs through the 2-D ops, as in TF).

Kernels visit the window by kernel offset (one vectorised strided slice per offset), never by
pixel. TF semantics kept: SAME puts the extra padding at the bottom/right; ``avg_pool`` divides
by the number of valid (unpadded) cells; max pooling ignores NaN and its gradient goes to the
first maximum of each window.
"""

import collections
import functools
import math

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import shape_rules as R
from tensorlet.ops.conv_ops import (
    _compute_dtype,
    _dims_str,
    _known_batch,
    _ndindex,
    _padding_str,
    convert_padding,
    geometry,
    get_sequence,
    offset_slices,
    out_size,
    pad_spatial,
)
from tensorlet.ops.kernel_threads import parallel_for as _parallel_for
from tensorlet.ops.op_def import apply, defop

D = dtypes
FLOATS = (D.float16, D.bfloat16, D.float32, D.float64)
MAX_POOL_TYPES = FLOATS + (D.int32, D.int64, D.uint8, D.int16, D.int8, D.uint16)


# ---------------------------------------------------------------- kernels

# Non-overlapping windows (ksize == strides, no padding: the usual 2x2/2 pooling) take a fast
# path: the input is viewed, without a copy, as (batch, o0, k0, o1, k1, ..., C) blocks and
# reduced one window axis at a time, outermost first, so the first reduction runs over long
# contiguous rows (measured on 128x24x24x64, 2x2: max 2.5 -> 1.2 ms, avg 2.0 -> 1.0 ms, grads
# 2-4x faster: no zero-filled padded gradient, no read-modify-write scatter).  Results are
# those of the general path (max: fmax, NaN ignored, the gradient to the first maximum found
# in row-major window order, by the same comparisons; avg: the same division).


def _geo(x_shape, ksize, strides, padding, explicit):
    nd = len(ksize)
    g = geometry(
        "Pool",
        tuple(x_shape[1 : 1 + nd]),
        tuple(ksize),
        tuple(strides),
        (1,) * nd,
        padding,
        explicit,
    )
    return tuple(v[0] for v in g), [v[1:] for v in g]


def _tiles(ksize, strides, pads):
    """True when the windows tile the input: ksize == strides and no padding."""
    return tuple(ksize) == tuple(strides) and not any(b or a for b, a in pads)


def _blocks(x, ksize, out):
    """View ``(batch, o0, k0, o1, k1, ..., C)`` of the windows of a tiled pooling."""
    crop = x[(slice(None),) + tuple(slice(0, o * k) for o, k in zip(out, ksize))]
    shape = (x.shape[0],) + tuple(v for o, k in zip(out, ksize) for v in (o, k)) + (x.shape[-1],)
    return crop.reshape(shape)


def _block_offsets(ksize):
    """Per kernel offset (row-major), the index of its cells in a ``_blocks`` view."""
    return [
        (slice(None),) + tuple(v for j in koff for v in (slice(None), j)) + (slice(None),)
        for koff in _ndindex(ksize)
    ]


def _reduce_blocks(v, nd, ufunc, out=None):
    """Reduces the window axes of a ``_blocks`` view with a binary ufunc (into ``out``)."""
    ks = [v.shape[2 + 2 * i] for i in range(nd)]
    v = v[
        (slice(None),) + tuple(x for k in ks for x in (slice(None), 0 if k == 1 else slice(None)))
    ]
    steps = [i for i, k in enumerate(ks) if k > 1]
    if not steps:
        return v.copy() if out is None else (xp.copyto(out, v), out)[1]
    for i in steps:
        lead = (slice(None),) * (2 + i)  # window axis of dim i once dims < i are reduced
        acc = ufunc(v[lead + (0,)], v[lead + (1,)], out=out if i == steps[-1] else None)
        for j in range(2, ks[i]):
            ufunc(acc, v[lead + (j,)], out=acc)
        v = acc
    return v


_POOL_BUDGET = 1 << 20  # input bytes per chunk of the tiled pooling kernels (measured best)


def _pool_chunks(batch, per_image):
    """Batch slices of about _POOL_BUDGET input bytes, each run by one thread."""
    step = max(1, _POOL_BUDGET // max(per_image, 1))
    return [slice(i, min(i + step, batch)) for i in range(0, batch, step)]


def _tiled_reduce(x, ksize, out, ufunc):
    """Window reductions of a tiled pooling, a few images at a time (the intermediate of a
    multi-axis window stays in cache)."""
    y = xp.empty((x.shape[0],) + tuple(out) + (x.shape[-1],), x.dtype)

    def run(b):
        _reduce_blocks(_blocks(x[b], ksize, out), len(ksize), ufunc, out=y[b])

    _parallel_for(run, _pool_chunks(x.shape[0], x[:1].nbytes), x.nbytes)
    return y


def _zero_tail(dx, ksize, out):
    """Zeroes the input cells a tiled pooling's windows do not cover (VALID remainders)."""
    for i, (o, k) in enumerate(zip(out, ksize)):
        if o * k < dx.shape[1 + i]:
            dx[(slice(None),) * (1 + i) + (slice(o * k, None),)] = 0


def _lowest(dt):
    return -xp.inf if dt.kind in "fV" else xp.iinfo(dt).min


def max_pool_kernel(x, ksize, strides, padding, explicit=None):
    """Window maxima; NaN is ignored (TF keeps ``acc < v ? v : acc``)."""
    out, pads = _geo(x.shape, ksize, strides, padding, explicit)
    x = _compute_dtype(x)
    big = xp.fmax if x.dtype.kind == "f" else xp.maximum
    if _tiles(ksize, strides, pads) and all(out):
        return _tiled_reduce(x, ksize, out, big)
    xpad = pad_spatial(x, pads, _lowest(x.dtype))
    acc = None
    for _, sl in offset_slices(ksize, strides, (1,) * len(ksize), out):
        if acc is None:
            acc = xpad[sl].copy()
        else:
            big(acc, xpad[sl], out=acc)
    if acc is None:
        acc = xp.zeros((x.shape[0],) + out + (x.shape[-1],), x.dtype)
    return acc


def _first_max(views, big):
    """(max, index of the first maximum) over a sequence of same-shape views."""
    best = arg = None
    for i, v in enumerate(views):
        if best is None:
            best = v.copy()
            arg = xp.zeros(v.shape, xp.int32)
        else:
            # offsets increase, so "i where v > best" is max(arg, i * (v > best)); masked
            # copies (np.where/copyto) are several times slower than this arithmetic
            xp.maximum(arg, xp.multiply(xp.greater(v, best), i, dtype=xp.int32), out=arg)
            big(best, v, out=best)
    return best, arg


def _argmax_offsets(x, ksize, strides, padding, explicit):
    """(max, kernel-offset index of the first maximum) per output cell, and the geometry."""
    out, pads = _geo(x.shape, ksize, strides, padding, explicit)
    xpad = pad_spatial(_compute_dtype(x), pads, _lowest(x.dtype))
    big = xp.fmax if xpad.dtype.kind == "f" else xp.maximum
    best, arg = _first_max(
        (xpad[sl] for _, sl in offset_slices(ksize, strides, (1,) * len(ksize), out)), big
    )
    return best, arg, out, pads, xpad.shape


def _route(dy, hit, finite, out=None):
    """dy where ``hit``, else 0 (``where`` keeps inf/NaN out of the zeros)."""
    if finite:
        return xp.multiply(dy, hit, out=out)
    if out is None:
        return xp.where(hit, dy, 0)
    xp.copyto(out, xp.where(hit, dy, 0))
    return out


def max_pool_grad_kernel(x, dy, ksize, strides, padding, explicit=None):
    """Routes each output gradient to the first maximum of its window."""
    out, pads = _geo(x.shape, ksize, strides, padding, explicit)
    dy = _compute_dtype(dy)
    finite = bool(xp.isfinite(dy).all()) if dy.dtype.kind == "f" else True
    if _tiles(ksize, strides, pads) and all(out):
        xc = _compute_dtype(x)
        big = xp.fmax if xc.dtype.kind == "f" else xp.maximum
        index = _block_offsets(ksize)
        dx = xp.empty(x.shape, dy.dtype)
        _zero_tail(dx, ksize, out)

        def run(b):
            blocks = _blocks(xc[b], ksize, out)
            _, arg = _first_max((blocks[ix] for ix in index), big)
            dxb = _blocks(dx[b], ksize, out)
            for i, ix in enumerate(index):
                _route(dy[b], arg == i, finite, out=dxb[ix])

        _parallel_for(run, _pool_chunks(x.shape[0], xc[:1].nbytes), xc.nbytes)
        return dx
    _, arg, out, pads, padded = _argmax_offsets(x, ksize, strides, padding, explicit)
    dx = xp.zeros(padded, dy.dtype)
    if arg is not None:
        for i, (_, sl) in enumerate(offset_slices(ksize, strides, (1,) * len(ksize), out)):
            dx[sl] += _route(dy, arg == i, finite)
    return _crop(dx, pads)


def _crop(dx, pads):
    sl = tuple(slice(b, dx.shape[1 + i] - a) for i, (b, a) in enumerate(pads))
    return dx[(slice(None),) + sl + (slice(None),)]


@functools.lru_cache(maxsize=256)
def _valid_counts(spatial, ksize, strides, out, pads):
    """Number of unpadded cells per output position, shaped to broadcast (1, *out, 1).

    Cached (arguments are tuples): callers must not modify the result."""
    counts = None
    for i, (n, k, s, o, (pb, _)) in enumerate(zip(spatial, ksize, strides, out, pads)):
        start = xp.arange(o) * s - pb
        c = xp.minimum(start + k, n) - xp.maximum(start, 0)
        shape = [1] * (len(out) + 2)
        shape[1 + i] = o
        c = c.reshape(shape)
        counts = c if counts is None else counts * c
    return counts


def avg_pool_kernel(x, ksize, strides, padding):
    out, pads = _geo(x.shape, ksize, strides, padding, None)
    x = _compute_dtype(x)
    if _tiles(ksize, strides, pads) and all(out):
        acc = _tiled_reduce(x, ksize, out, xp.add)
        return xp.divide(acc, x.dtype.type(math.prod(ksize)), out=acc)
    xpad = pad_spatial(x, pads)
    acc = xp.zeros((x.shape[0],) + out + (x.shape[-1],), x.dtype)
    for _, sl in offset_slices(ksize, strides, (1,) * len(ksize), out):
        acc += xpad[sl]
    counts = _valid_counts(x.shape[1:-1], ksize, strides, out, tuple(pads))
    return acc / counts.astype(x.dtype)


def avg_pool_grad_kernel(shape, dy, ksize, strides, padding):
    out, pads = _geo(shape, ksize, strides, padding, None)
    dy = _compute_dtype(dy)
    if _tiles(ksize, strides, pads) and all(out):
        g = dy / dy.dtype.type(math.prod(ksize))
        dx = xp.empty(tuple(shape), dy.dtype)
        _zero_tail(dx, ksize, out)
        index = _block_offsets(ksize)

        def run(b):
            dxb = _blocks(dx[b], ksize, out)
            for ix in index:
                dxb[ix] = g[b]

        _parallel_for(run, _pool_chunks(dx.shape[0], dx[:1].nbytes), dx.nbytes)
        return dx
    counts = _valid_counts(tuple(shape[1:-1]), ksize, strides, out, tuple(pads))
    g = dy / counts.astype(dy.dtype)
    dx = xp.zeros(
        (shape[0],) + tuple(n + b + a for n, (b, a) in zip(shape[1:-1], pads)) + (shape[-1],),
        dy.dtype,
    )
    for _, sl in offset_slices(ksize, strides, (1,) * len(ksize), out):
        dx[sl] += g
    return _crop(dx, pads)


def argmax_kernel(x, ksize, strides, padding, include_batch_in_index):
    """Max and the flat input index of the first maximum: ``((b*H + y)*W + x)*C + c``."""
    best, arg, out, pads, _ = _argmax_offsets(x, ksize, strides, padding, None)
    b, h, w, c = x.shape
    kh_i, kw_i = xp.divmod(arg, ksize[1])
    yy = (xp.arange(out[0]) * strides[0] - pads[0][0]).reshape(1, -1, 1, 1) + kh_i
    xx = (xp.arange(out[1]) * strides[1] - pads[1][0]).reshape(1, 1, -1, 1) + kw_i
    idx = (yy.astype(xp.int64) * w + xx) * c + xp.arange(c).reshape(1, 1, 1, c)
    if include_batch_in_index:
        idx = idx + (xp.arange(b) * (h * w * c)).reshape(-1, 1, 1, 1)
    return best, idx


def argmax_grad_kernel(x_shape, dy, argmax, include_batch_in_index):
    b = x_shape[0]
    per = int(xp.prod(x_shape[1:]))
    idx = argmax.astype(xp.int64)
    if not include_batch_in_index:
        idx = idx + (xp.arange(b) * per).reshape((-1,) + (1,) * (idx.ndim - 1))
    dx = xp.bincount(idx.ravel(), weights=dy.ravel().astype(xp.float64), minlength=b * per)
    return dx.reshape(x_shape)


# ---------------------------------------------------------------- attrs, shapes


def _pool_spec(op_name, ksize, strides, data_format, nd):
    if len(ksize) != nd + 2:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"Sliding window ksize field must specify {nd + 2} dimensions",
        )
    if len(strides) != nd + 2:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"Sliding window stride field must specify {nd + 2} dimensions",
        )
    if data_format.startswith("NC"):
        kind = "Pooling3D" if nd == 3 else ("MaxPooling" if "Max" in op_name else "AvgPooling")
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"Default {kind}Op only supports N{'DHW'[3 - nd :]}C on device type CPU",
        )
    if ksize[0] != 1 or strides[0] != 1:
        raise errors.op_error(
            errors.UnimplementedError,
            op_name,
            "Pooling is not yet supported on the batch dimension.",
        )
    if ksize[-1] != 1 or strides[-1] != 1:
        raise errors.op_error(
            errors.UnimplementedError,
            op_name,
            "Pooling is not yet supported on the depth dimension.",
        )
    return tuple(ksize[1:-1]), tuple(strides[1:-1])


def _explicit(attrs, nd):
    e = attrs.get("explicit_paddings", ())
    if attrs["padding"] != "EXPLICIT":
        return None
    return tuple(tuple(e[2 * i : 2 * i + 2]) for i in range(1, nd + 1))


def _pool_shape(nd, input_index=0):
    def rule(op, inputs, attrs):
        x = (
            inputs[input_index].shape
            if "orig_input_shape" not in attrs
            else TensorShape(attrs["orig_input_shape"])
        )
        if x.rank is not None and x.rank != nd + 2:
            raise errors.op_error(
                errors.InvalidArgumentError,
                op.name,
                f"input must be {nd + 2}-dimensional{_dims_str(x)}",
            )
        k, s = _pool_spec(
            op.name, attrs["ksize"], attrs["strides"], attrs.get("data_format", "NHWC"), nd
        )
        if x.rank is None:
            return (TensorShape([None] * (nd + 2)),)
        xl = list(x)
        ex = _explicit(attrs, nd)
        outs = [
            out_size(op.name, n, kk, ss, 1, attrs["padding"], ex[i] if ex else None)[0]
            for i, (n, kk, ss) in enumerate(zip(xl[1:-1], k, s))
        ]
        return (TensorShape([xl[0]] + outs + [xl[-1]]),)

    return rule


def _same_as_input(index):
    def rule(op, inputs, attrs):
        return (inputs[index].shape,)

    return rule


def _attr_shape(name):
    def rule(op, inputs, attrs):
        return (TensorShape(attrs[name]),)

    return rule


# ---------------------------------------------------------------- ops


def _max_pool_forward(nd, op_name):
    def forward(x, ksize, strides, padding, data_format, explicit_paddings=()):
        k, s = _pool_spec(op_name, ksize, strides, data_format, nd)
        ex = _explicit({"padding": padding, "explicit_paddings": explicit_paddings}, nd)
        return max_pool_kernel(x, k, s, padding, ex)

    return forward


def _max_pool_grad_forward(nd, op_name):
    def forward(x, y, dy, ksize, strides, padding, data_format, explicit_paddings=()):
        k, s = _pool_spec(op_name, ksize, strides, data_format, nd)
        ex = _explicit({"padding": padding, "explicit_paddings": explicit_paddings}, nd)
        return max_pool_grad_kernel(x, dy, k, s, padding, ex)

    return forward


def _avg_pool_forward(nd, op_name):
    def forward(x, ksize, strides, padding, data_format):
        k, s = _pool_spec(op_name, ksize, strides, data_format, nd)
        return avg_pool_kernel(x, k, s, padding)

    return forward


def _avg_pool_grad_forward(nd, op_name):
    def forward(dy, orig_input_shape, ksize, strides, padding, data_format):
        k, s = _pool_spec(op_name, ksize, strides, data_format, nd)
        return avg_pool_grad_kernel(_known_batch(orig_input_shape, dy), dy, k, s, padding)

    return forward


def _max_pool_grad(grad_op):
    def grad(op, dy):
        """Returns MaxPoolGrad(x, y, dy): dy goes to the first maximum of each window."""
        return [apply(grad_op, op.inputs[0], op.outputs[0], dy, **op.attrs)]

    return grad


def _avg_pool_grad(grad_op):
    def grad(op, dy):
        """Returns AvgPoolGrad: dy / count spread over each window's valid cells."""
        from tensorlet.ops import array_ops  # noqa: PLC0415 (import cycle)
        return [
            apply(grad_op, dy, orig_input_shape=tuple(array_ops.shape_ints(op.inputs[0])), **op.attrs)
        ]

    return grad


def _avg_pool_grad_grad(pool_op):
    def grad(op, ddx):
        a = {k: v for k, v in op.attrs.items() if k != "orig_input_shape"}
        return [apply(pool_op, ddx, **a)]

    return grad


def _gather_at_argmax(g, argmax, include_batch_in_index):
    """g's value at each window's recorded maximum (TF's MaxPoolGradGrad[WithArgmax])."""
    from tensorlet.ops import array_creation_ops, array_ops, gather_ops

    if not include_batch_in_index:  # indices count within one image: add each image's offset
        n = g.shape[0]
        per = g.shape.num_elements() // max(n, 1)
        offsets = array_ops.reshape(
            array_creation_ops.range(0, n * per, per, dtype=argmax.dtype),
            [n] + [1] * (argmax.shape.rank - 1),
        )
        argmax = argmax + offsets
    return gather_ops.gather(array_ops.reshape(g, [-1]), argmax)


def _max_pool_grad_grad(op, ggrad):
    """MaxPoolGrad(x, y, dy) is linear in dy: its gradient routes ggrad back through each
    window's first maximum (as MaxPoolGrad routed dy); x and y get zeros, as in TF."""
    from tensorlet.ops import array_ops

    x, y, _ = op.inputs
    a = op.attrs
    if a.get("explicit_paddings") or a.get("data_format", "NHWC") != "NHWC":
        raise LookupError("gradient registry has no entry for: MaxPoolGrad with explicit padding")
    _, argmax = apply(
        max_pool_with_argmax_op,
        x,
        ksize=a["ksize"],
        strides=a["strides"],
        padding=a["padding"],
        include_batch_in_index=True,
        Targmax=dtypes.int64,
    )
    return [
        array_ops.zeros_like(x),
        array_ops.zeros_like(y),
        _gather_at_argmax(ggrad, argmax, True),
    ]


def _max_pool_grad_with_argmax_grad(op, ggrad):
    """Gradient of MaxPoolGradWithArgmax(x, dy, argmax) w.r.t. dy: ggrad gathered at argmax."""
    from tensorlet.ops import array_ops

    x, _, argmax = op.inputs
    return [
        array_ops.zeros_like(x),
        _gather_at_argmax(ggrad, argmax, op.attrs["include_batch_in_index"]),
        None,
    ]


max_pool_grad_op = defop(
    "MaxPoolGrad",
    _max_pool_grad_forward(2, "MaxPoolGrad"),
    dtype_rule=R.same_dtype(MAX_POOL_TYPES),
    shape_rule=_same_as_input(0),
    grad=_max_pool_grad_grad,
)
max_pool_op = defop(
    "MaxPool",
    _max_pool_forward(2, "MaxPool"),
    dtype_rule=R.same_dtype(MAX_POOL_TYPES),
    shape_rule=_pool_shape(2),
    grad=_max_pool_grad(max_pool_grad_op),
)
avg_pool_op = defop(
    "AvgPool",
    _avg_pool_forward(2, "AvgPool"),
    dtype_rule=R.same_dtype(FLOATS),
    shape_rule=_pool_shape(2),
)
avg_pool_grad_op = defop(
    "AvgPoolGrad",
    _avg_pool_grad_forward(2, "AvgPoolGrad"),
    dtype_rule=R.same_dtype(FLOATS),
    shape_rule=_attr_shape("orig_input_shape"),
    grad=_avg_pool_grad_grad(avg_pool_op),
)
avg_pool_op.grad = _avg_pool_grad(avg_pool_grad_op)

max_pool3d_grad_op = defop(
    "MaxPool3DGrad",
    _max_pool_grad_forward(3, "MaxPool3DGrad"),
    dtype_rule=R.same_dtype(FLOATS),
    shape_rule=_same_as_input(0),
)
max_pool3d_op = defop(
    "MaxPool3D",
    _max_pool_forward(3, "MaxPool3D"),
    dtype_rule=R.same_dtype(FLOATS),
    shape_rule=_pool_shape(3),
    grad=_max_pool_grad(max_pool3d_grad_op),
)
avg_pool3d_op = defop(
    "AvgPool3D",
    _avg_pool_forward(3, "AvgPool3D"),
    dtype_rule=R.same_dtype(FLOATS),
    shape_rule=_pool_shape(3),
)
avg_pool3d_grad_op = defop(
    "AvgPool3DGrad",
    _avg_pool_grad_forward(3, "AvgPool3DGrad"),
    dtype_rule=R.same_dtype(FLOATS),
    shape_rule=_attr_shape("orig_input_shape"),
    grad=_avg_pool_grad_grad(avg_pool3d_op),
)
avg_pool3d_op.grad = _avg_pool_grad(avg_pool3d_grad_op)


def _argmax_forward(x, ksize, strides, padding, include_batch_in_index, Targmax):
    k, s = _pool_spec("MaxPoolWithArgmax", ksize, strides, "NHWC", 2)
    best, idx = argmax_kernel(x, k, s, padding, include_batch_in_index)
    return best, idx.astype(Targmax.as_numpy_dtype)


def _argmax_dtype(op, inputs, attrs):
    d = inputs[0].dtype
    if d not in FLOATS:
        raise R.dtype_not_allowed(op, d, FLOATS)
    return (d, attrs["Targmax"])


def _argmax_shape(op, inputs, attrs):
    s = _pool_shape(2)(op, inputs, attrs)[0]
    return (s, s)


def _argmax_grad_forward(x, dy, argmax, ksize, strides, padding, include_batch_in_index):
    return argmax_grad_kernel(x.shape, dy, argmax, include_batch_in_index)


def _argmax_grad_dtype(op, inputs, attrs):
    return (inputs[0].dtype,)


def _max_pool_with_argmax_grad(op, dy, dargmax=None):
    """Scatters dy to the recorded argmax positions (MaxPoolGradWithArgmax)."""
    return [
        apply(
            max_pool_grad_with_argmax_op,
            op.inputs[0],
            dy,
            op.outputs[1],
            ksize=op.attrs["ksize"],
            strides=op.attrs["strides"],
            padding=op.attrs["padding"],
            include_batch_in_index=op.attrs["include_batch_in_index"],
        )
    ]


max_pool_grad_with_argmax_op = defop(
    "MaxPoolGradWithArgmax",
    _argmax_grad_forward,
    dtype_rule=_argmax_grad_dtype,
    shape_rule=_same_as_input(0),
    grad=_max_pool_grad_with_argmax_grad,
)
max_pool_with_argmax_op = defop(
    "MaxPoolWithArgmax",
    _argmax_forward,
    dtype_rule=_argmax_dtype,
    shape_rule=_argmax_shape,
    grad=_max_pool_with_argmax_grad,
    num_outputs=2,
)


# ---------------------------------------------------------------- public functions


def _pool_args(ksize, strides, nd, data_format):
    ch = 1 if data_format.startswith("NC") else nd + 1
    return (
        tuple(get_sequence(ksize, nd, ch, "ksize")),
        tuple(get_sequence(strides, nd, ch, "strides")),
    )


def _reshape_insert(t, axis):
    from tensorlet.ops import array_ops

    return array_ops.expand_dims(t, axis)


def _reshape_remove(t, axis):
    from tensorlet.ops import array_ops

    return array_ops.squeeze(t, [axis])


@tf_export("nn.max_pool2d")
def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """2-D max pooling of NHWC ``input``; ``padding`` may be an explicit list."""
    k, s = _pool_args(ksize, strides, 2, data_format)
    padding, explicit = convert_padding(padding)
    return apply(
        max_pool_op,
        convert_to_tensor(input),
        ksize=k,
        strides=s,
        padding=padding,
        explicit_paddings=explicit,
        data_format=data_format,
        name=name,
    )


@tf_export("nn.avg_pool2d")
def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """2-D average pooling; SAME divides by the number of valid cells in each window."""
    k, s = _pool_args(ksize, strides, 2, data_format)
    return apply(
        avg_pool_op,
        convert_to_tensor(input),
        ksize=k,
        strides=s,
        padding=_padding_str(padding),
        data_format=data_format,
        name=name,
    )


def _pool1d(op, input, ksize, strides, padding, data_format):
    if data_format in ("NWC", "NHWC", None):
        fmt, expand, ch = "NHWC", -3, 2
    elif data_format in ("NCW", "NCHW"):
        fmt, expand, ch = "NCHW", -2, 1
    else:
        raise ValueError(
            f"`data_format` must be 'NWC' or 'NCW'. Received: data_format={data_format}"
        )
    k = (1,) + tuple(get_sequence(ksize, 1, ch, "ksize"))
    s = (1,) + tuple(get_sequence(strides, 1, ch, "strides"))
    x = _reshape_insert(convert_to_tensor(input), expand)
    attrs = {"ksize": k, "strides": s, "data_format": fmt}
    if op is max_pool_op:
        padding, explicit = convert_padding(padding, 3)
        attrs["explicit_paddings"] = (0, 0) + explicit if explicit else ()
    else:
        padding = _padding_str(padding)
    y = apply(op, x, padding=padding, **attrs)
    return _reshape_remove(y, expand)


@tf_export("nn.max_pool1d")
def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """1-D max pooling of [batch, width, channels] through MaxPool."""
    return _pool1d(max_pool_op, input, ksize, strides, padding, data_format)


@tf_export("nn.avg_pool1d")
def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """1-D average pooling through AvgPool."""
    return _pool1d(avg_pool_op, input, ksize, strides, padding, data_format)


@tf_export("nn.max_pool3d")
def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):
    """3-D max pooling of NDHWC ``input``."""
    k, s = _pool_args(ksize, strides, 3, data_format)
    return apply(
        max_pool3d_op,
        convert_to_tensor(input),
        ksize=k,
        strides=s,
        padding=_padding_str(padding),
        data_format=data_format,
        name=name,
    )


@tf_export("nn.avg_pool3d")
def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):
    """3-D average pooling of NDHWC ``input``."""
    k, s = _pool_args(ksize, strides, 3, data_format)
    return apply(
        avg_pool3d_op,
        convert_to_tensor(input),
        ksize=k,
        strides=s,
        padding=_padding_str(padding),
        data_format=data_format,
        name=name,
    )


def _rank_dispatch(input, fns, data_format):
    x = convert_to_tensor(input)
    n = x.shape.rank - 2 if x.shape.rank is not None else None
    if n not in (1, 2, 3):
        raise ValueError(
            "`input.shape.rank` must be 3, 4 or 5. Received: "
            f"input.shape={x.shape} of rank {x.shape.rank}"
        )
    return x, fns[n - 1]


@tf_export("nn.max_pool")
def max_pool(input, ksize, strides, padding, data_format=None, name=None):
    """N-D max pooling (N = rank - 2)."""
    x, fn = _rank_dispatch(input, (max_pool1d, max_pool2d, max_pool3d), data_format)
    if data_format is None:
        return fn(x, ksize, strides, padding)
    return fn(x, ksize, strides, padding, data_format)


@tf_export("nn.avg_pool")
def avg_pool(input, ksize, strides, padding, data_format=None, name=None):
    """N-D average pooling (N = rank - 2)."""
    x, fn = _rank_dispatch(input, (avg_pool1d, avg_pool2d, avg_pool3d), data_format)
    if data_format is None:
        return fn(x, ksize, strides, padding)
    return fn(x, ksize, strides, padding, data_format)


@tf_export("compat.v1.nn.max_pool")
def max_pool_v1(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
    """TF1 max_pool (4-D, full-rank ksize/strides)."""
    return max_pool2d(value if input is None else input, ksize, strides, padding, data_format)


@tf_export("compat.v1.nn.avg_pool", "compat.v1.nn.avg_pool2d")
def avg_pool_v1(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
    """TF1 avg_pool (4-D, full-rank ksize/strides)."""
    return avg_pool2d(value if input is None else input, ksize, strides, padding, data_format)


MaxPoolWithArgmax = collections.namedtuple("MaxPoolWithArgmax", ["output", "argmax"])


@tf_export("nn.max_pool_with_argmax")
def max_pool_with_argmax(
    input,
    ksize,
    strides,
    padding,
    data_format="NHWC",
    output_dtype=dtypes.int64,
    include_batch_in_index=False,
    name=None,
):
    """Max pooling that also returns the flat index of each maximum."""
    if data_format != "NHWC":
        raise ValueError(
            "`data_format` values other  than 'NHWC' are not supported. "
            f"Received: data_format={data_format}"
        )
    k, s = _pool_args(ksize, strides, 2, "NHWC")
    out, arg = apply(
        max_pool_with_argmax_op,
        convert_to_tensor(input),
        ksize=k,
        strides=s,
        padding=_padding_str(padding),
        include_batch_in_index=bool(include_batch_in_index),
        Targmax=dtypes.as_dtype(output_dtype),
        name=name,
    )
    return MaxPoolWithArgmax(out, arg)


@tf_export("nn.pool")
def pool(
    input,
    window_shape,
    pooling_type,
    strides=None,
    padding="VALID",
    data_format=None,
    dilations=None,
    name=None,
):
    """Generic N-D max/avg pooling with optional dilation (through space-to-batch)."""
    from tensorlet.ops import conv_ops

    x = convert_to_tensor(input)
    window_shape = [int(w) for w in window_shape]
    n = len(window_shape)
    if n < 1 or n > 3:
        raise ValueError(
            "`len(window_shape)` must be 1, 2, or 3. Received: "
            f"window_shape={window_shape} of length {n}"
        )
    strides = xp.array([1] * n if strides is None else [int(v) for v in strides])
    rate = xp.array([1] * n if dilations is None else [int(v) for v in dilations])
    if xp.any(strides < 1):
        raise ValueError(f"all values in `strides` must be positive. Received: strides={strides}")
    if xp.any(rate < 1):
        raise ValueError(
            f"all values in `dilation_rate` must be positive. Received: dilation_rate={rate}"
        )
    if xp.any(strides > window_shape):
        raise ValueError(
            "`strides` > `window_shape` not supported due to inconsistency "
            "between CPU and GPU implementations. Received: "
            f"strides={strides} and window_shape={window_shape}"
        )
    if pooling_type not in ("MAX", "AVG"):
        raise ValueError(f"{pooling_type!r} is not a valid `pooling_type`")
    if xp.any(rate > 1) and xp.any(strides > 1):
        raise ValueError(
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={strides} and dilation_rate={rate}"
        )
    if padding == "SAME" and xp.any(rate > 1):
        raise ValueError(
            "pooling with 'SAME' padding is not implemented for `dilation_rate` > 1. "
            f"Received: padding={padding} and dilation_rate={rate}"
        )
    fn = max_pool if pooling_type == "MAX" else avg_pool

    def op(inp, _, pad):
        return fn(inp, window_shape, strides.tolist(), pad, data_format)

    return conv_ops.with_space_to_batch(
        x, rate.tolist(), padding, op, filter_shape=window_shape, data_format=data_format
    )


# ---------------------------------------------------------------- fractional pooling


def _pooling_sequence(n_in, n_out, key, counter, start, pseudo_random):
    """TF's GeneratePoolingSequence: cumulative region boundaries, ``n_out + 1`` values.

    Random: ``n_out`` steps of ``n_in // n_out`` (the first ``n_in % n_out`` one longer),
    shuffled with Philox words from ``counter + start`` (RandomShuffle, ``w % (n - i)``).
    Pseudo-random (Graham's a_i = ceil(alpha (i + u)) - 1, u from one RandDouble)."""
    from tensorlet.ops import random_kernels as K

    if pseudo_random:
        alpha = n_in / n_out
        k = n_in // n_out
        max_u = min((k + 2) / alpha - 1, (n_in + 1 - k) / alpha - (n_out - 1))
        w = K.words(key, counter, 2, start=start)
        u = float(K.bits_to_unit_float(w.reshape(1, 2), "float64")[0]) * max_u
        seq = [0] + [int(xp.ceil(alpha * (i + u)) - 1) for i in range(1, n_out)] + [n_in]
        return xp.asarray(seq, xp.int64)
    k, extra = divmod(n_in, n_out)
    diff = [k + 1 if i < extra else k for i in range(n_out)]
    w = K.words(key, counter, max(n_out - 1, 1), start=start)
    for i in range(n_out - 1):
        j = i + int(w[i]) % (n_out - i)
        diff[i], diff[j] = diff[j], diff[i]
    return xp.concatenate([[0], xp.cumsum(diff)]).astype(xp.int64)


def _regions(seq, n_in, overlapping):
    """(index [n_out, kmax] of the input rows of each region, validity mask)."""
    starts = seq[:-1]
    ends = xp.minimum(seq[1:], n_in - 1) if overlapping else seq[1:] - 1
    lengths = ends - starts + 1
    kmax = int(lengths.max()) if lengths.size else 0
    offs = xp.arange(kmax)
    idx = xp.minimum(starts[:, None] + offs[None, :], ends[:, None])
    return idx, offs[None, :] < lengths[:, None]


def _gather_regions(x, row_seq, col_seq, overlapping):
    """``x`` viewed as (B, Ho, Wo, KH*KW, C) regions, with the validity mask (Ho, Wo, K, 1)."""
    ri, rv = _regions(row_seq, x.shape[1], overlapping)
    ci, cv = _regions(col_seq, x.shape[2], overlapping)
    g = x[:, ri][:, :, :, ci]  # (B, Ho, KH, Wo, KW, C)
    b, ho, kh, wo, kw, c = g.shape
    g = g.transpose(0, 1, 3, 2, 4, 5).reshape(b, ho, wo, kh * kw, c)
    valid = (rv[:, None, :, None] & cv[None, :, None, :]).reshape(ho, wo, kh * kw, 1)
    flat = (ri[:, None, :, None] * x.shape[2] + ci[None, :, None, :]).reshape(ho, wo, kh * kw)
    return g, valid, flat


def _fractional_geometry(op_name, shape, ratio):
    if len(ratio) != 4:
        raise errors.op_error(
            errors.InvalidArgumentError, op_name, "pooling_ratio field must specify 4 dimensions"
        )
    if ratio[0] != 1 or ratio[3] != 1:
        raise errors.op_error(
            errors.UnimplementedError,
            op_name,
            "Fractional average pooling is not yet supported on the batch nor channel dimension.",
        )
    out = []
    for i in (1, 2):
        if ratio[i] < 1:
            raise errors.op_error(
                errors.InvalidArgumentError,
                op_name,
                "pooling_ratio cannot be smaller than 1, got: " + str(ratio[i]),
            )
        o = None if shape[i] is None else int(shape[i] // ratio[i])
        if o is not None and o <= 0:
            raise errors.op_error(
                errors.InvalidArgumentError, op_name, f"out_size must be positive, but got {o}"
            )
        out.append(o)
    return out


def _fractional_forward(kind):
    def forward(x, pooling_ratio, pseudo_random, overlapping, deterministic, seed, seed2):
        from tensorlet.ops import random_ops

        ho, wo = _fractional_geometry(f"Fractional{kind}Pool", x.shape, pooling_ratio)
        # Each sequence reserves ceil(words / 4) Philox calls of the kernel's generator, which
        # TF keeps with the cached eager kernel: repeated calls continue the stream.
        n_rows = (2 if pseudo_random else ho) + 3
        n_cols = (2 if pseudo_random else wo) + 3
        cache_key = (
            f"Fractional{kind}Pool",
            seed,
            seed2,
            pooling_ratio,
            pseudo_random,
            overlapping,
            x.dtype.str,
        )
        key, counter = random_ops._reserve(cache_key, seed, seed2, n_rows // 4 + n_cols // 4)
        rows = _pooling_sequence(x.shape[1], ho, key, counter, 0, pseudo_random)
        cols = _pooling_sequence(x.shape[2], wo, key, counter, n_rows // 4, pseudo_random)
        g, valid, _ = _gather_regions(_compute_dtype(x), rows, cols, overlapping)
        if kind == "Max":
            low = _lowest(g.dtype)
            y = (xp.fmax if g.dtype.kind == "f" else xp.maximum).reduce(
                xp.where(valid[None], g, low), axis=3
            )
        else:
            y = (g * valid[None]).sum(3) / valid.sum(2)[None].astype(g.dtype)
        return y, rows, cols

    return forward


def _fractional_dtype(allowed):
    def rule(op, inputs, attrs):
        d = inputs[0].dtype
        if d not in allowed:
            raise R.dtype_not_allowed(op, d, allowed)
        return (d, D.int64, D.int64)

    return rule


def _fractional_shape(op, inputs, attrs):
    s = inputs[0].shape
    if s.rank is not None and s.rank != 4:
        raise errors.op_error(
            errors.InvalidArgumentError, op.name, f"input must be 4-dimensional{_dims_str(s)}"
        )
    dims = list(s) if s.rank is not None else [None] * 4
    ho, wo = _fractional_geometry(op.name, dims, attrs["pooling_ratio"])
    return (
        TensorShape([dims[0], ho, wo, dims[3]]),
        TensorShape([None if ho is None else ho + 1]),
        TensorShape([None if wo is None else wo + 1]),
    )


def _fmp_grad_forward(x, y, dy, rows, cols, overlapping):
    """Each output gradient goes to the first maximum of its region."""
    g, valid, flat = _gather_regions(_compute_dtype(x), rows, cols, overlapping)
    arg = xp.argmax(xp.where(valid[None], g, _lowest(g.dtype)), axis=3)  # (B, Ho, Wo, C)
    b, h, w, c = x.shape
    pos = xp.take_along_axis(
        flat[None, :, :, :, None].repeat(b, 0).repeat(1, 4), arg[:, :, :, None, :], axis=3
    )[:, :, :, 0, :]
    idx = (xp.arange(b)[:, None, None, None] * (h * w) + pos) * c + xp.arange(c)
    dx = xp.bincount(
        idx.ravel(), weights=_compute_dtype(dy).ravel().astype(xp.float64), minlength=x.size
    )
    return dx.reshape(x.shape)


def _fap_grad_forward(dy, rows, cols, orig_input_shape, overlapping):
    """Each output gradient spread evenly over its region's (valid) cells."""
    b, h, w, c = orig_input_shape
    proxy = xp.zeros((1, h, w, 1), xp.float32)
    _, valid, flat = _gather_regions(proxy, rows, cols, overlapping)
    count = valid.sum(2)  # (Ho, Wo, 1)
    share = _compute_dtype(dy) / count[None].astype(xp.float64)  # (B, Ho, Wo, C)
    dx = xp.zeros((b, h * w, c))
    for k in range(flat.shape[2]):  # one add per region slot
        m = valid[:, :, k, 0]
        xp.add.at(dx, (slice(None), flat[:, :, k][m]), share[:, m])
    return dx.reshape(b, h, w, c)


def _fractional_grad(kind):
    def grad(op, dy, *unused):
        from tensorlet.ops import array_ops  # noqa: PLC0415 (import cycle)
        rows, cols = op.outputs[1], op.outputs[2]
        ov = op.attrs["overlapping"]
        if kind == "Max":
            return [
                apply(
                    fractional_max_pool_grad_op,
                    op.inputs[0],
                    op.outputs[0],
                    dy,
                    rows,
                    cols,
                    overlapping=ov,
                )
            ]
        return [
            apply(
                fractional_avg_pool_grad_op,
                dy,
                rows,
                cols,
                orig_input_shape=tuple(array_ops.shape_ints(op.inputs[0])),
                overlapping=ov,
            )
        ]

    return grad


fractional_max_pool_grad_op = defop(
    "FractionalMaxPoolGrad",
    _fmp_grad_forward,
    dtype_rule=lambda op, i, a: (i[0].dtype,),
    shape_rule=_same_as_input(0),
)
fractional_avg_pool_grad_op = defop(
    "FractionalAvgPoolGrad",
    _fap_grad_forward,
    dtype_rule=lambda op, i, a: (i[0].dtype,),
    shape_rule=_attr_shape("orig_input_shape"),
)
_FMP_TYPES = (D.float32, D.float64, D.int32, D.int64)
fractional_max_pool_op = defop(
    "FractionalMaxPool",
    _fractional_forward("Max"),
    dtype_rule=_fractional_dtype(_FMP_TYPES),
    shape_rule=_fractional_shape,
    grad=_fractional_grad("Max"),
    num_outputs=3,
    stateful=True,
)
fractional_avg_pool_op = defop(
    "FractionalAvgPool",
    _fractional_forward("Avg"),
    dtype_rule=_fractional_dtype(_FMP_TYPES),
    shape_rule=_fractional_shape,
    grad=_fractional_grad("Avg"),
    num_outputs=3,
    stateful=True,
)


def _fractional(op, value, pooling_ratio, pseudo_random, overlapping, seed):
    from tensorlet.ops import random_ops

    x = convert_to_tensor(value)
    ratio = get_sequence_float(pooling_ratio, x.shape.rank)
    if seed == 0:
        s1 = s2 = 0
        det = False
    else:
        s1, s2 = random_ops.get_seed(seed)
        det = True
    return apply(
        op,
        x,
        pooling_ratio=ratio,
        pseudo_random=bool(pseudo_random),
        overlapping=bool(overlapping),
        deterministic=det,
        seed=int(s1),
        seed2=int(s2),
    )


def get_sequence_float(value, rank):
    """pooling_ratio as 4 floats (a scalar or 2 values mean the spatial dims)."""
    if isinstance(value, (int, float)):
        value = [value] * 2
    value = [float(v) for v in value]
    return tuple([1.0] + value + [1.0] if len(value) == 2 else value)


FractionalMaxPool = collections.namedtuple(
    "FractionalMaxPool", ["output", "row_pooling_sequence", "col_pooling_sequence"]
)
FractionalAvgPool = collections.namedtuple(
    "FractionalAvgPool", ["output", "row_pooling_sequence", "col_pooling_sequence"]
)


@tf_export("nn.fractional_max_pool")
def fractional_max_pool(
    value, pooling_ratio, pseudo_random=False, overlapping=False, seed=0, name=None
):
    """Max pooling over random regions of 1 or 2 (``pooling_ratio`` in [1, 2)) rows/cols.

    Returns ``(output, row_pooling_sequence, col_pooling_sequence)``; ``seed`` (with the global
    seed) makes the regions deterministic."""
    return FractionalMaxPool(
        *_fractional(fractional_max_pool_op, value, pooling_ratio, pseudo_random, overlapping, seed)
    )


@tf_export("nn.fractional_avg_pool")
def fractional_avg_pool(
    value, pooling_ratio, pseudo_random=False, overlapping=False, seed=0, name=None
):
    """Average pooling over the regions of ``fractional_max_pool``."""
    return FractionalAvgPool(
        *_fractional(fractional_avg_pool_op, value, pooling_ratio, pseudo_random, overlapping, seed)
    )


# ---------------------------------------------------------------- morphological dilation


def _dilation_argmax(x, f, strides, rates, padding):
    """max over the window of x + filter, and the kernel-offset index of the first maximum."""
    ksize = f.shape[:2]
    geo = geometry("Dilation2D", x.shape[1:3], ksize, strides, rates, padding, None)
    out, pads = tuple(g[0] for g in geo), [g[1:] for g in geo]
    xpad = pad_spatial(_compute_dtype(x), pads, _lowest(x.dtype))
    f = _compute_dtype(f)
    best = arg = None
    for i, (koff, sl) in enumerate(offset_slices(ksize, strides, rates, out)):
        v = xpad[sl] + f[koff]
        if best is None:
            best, arg = v, xp.zeros(v.shape, xp.int32)
        else:
            xp.maximum(arg, xp.multiply(xp.greater(v, best), i, dtype=xp.int32), out=arg)
            xp.maximum(best, v, out=best)
    return best, arg, out, pads, xpad.shape


def _dilation_forward(x, f, strides, rates, padding):
    return _dilation_argmax(x, f, tuple(strides[1:3]), tuple(rates[1:3]), padding)[0]


def _dilation_backprop_input(x, f, dy, strides, rates, padding):
    s, r = tuple(strides[1:3]), tuple(rates[1:3])
    _, arg, out, pads, padded = _dilation_argmax(x, f, s, r, padding)
    dx = xp.zeros(padded, _compute_dtype(dy).dtype)
    for i, (_, sl) in enumerate(offset_slices(f.shape[:2], s, r, out)):
        dx[sl] += xp.where(arg == i, dy, 0)
    return _crop(dx, pads)


def _dilation_backprop_filter(x, f, dy, strides, rates, padding):
    s, r = tuple(strides[1:3]), tuple(rates[1:3])
    _, arg, out, _, _ = _dilation_argmax(x, f, s, r, padding)
    df = xp.zeros(f.shape, _compute_dtype(dy).dtype)
    for i, (koff, _) in enumerate(offset_slices(f.shape[:2], s, r, out)):
        df[koff] = xp.where(arg == i, dy, 0).sum(axis=(0, 1, 2))
    return df


def _dilation_shape(op, inputs, attrs):
    x, f = inputs[0].shape, inputs[1].shape
    if x.rank is not None and x.rank != 4:
        raise errors.op_error(
            errors.InvalidArgumentError, op.name, f"input must be 4-dimensional{_dims_str(x)}"
        )
    if f.rank is not None and f.rank != 3:
        raise errors.op_error(
            errors.InvalidArgumentError, op.name, f"filter must be 3-dimensional{_dims_str(f)}"
        )
    if x.rank is None or f.rank is None:
        return (TensorShape([None] * 4),)
    xl, fl = list(x), list(f)
    s, r = attrs["strides"][1:3], attrs["rates"][1:3]
    outs = [
        None if n is None or k is None else out_size(op.name, n, k, ss, rr, attrs["padding"])[0]
        for n, k, ss, rr in zip(xl[1:3], fl[:2], s, r)
    ]
    return (TensorShape([xl[0]] + outs + [xl[3]]),)


def _dilation_grad(op, dy):
    """Routes dy to the first maximising (input, filter) pair of each window."""
    x, f = op.inputs
    return [
        apply(dilation2d_backprop_input_op, x, f, dy, **op.attrs),
        apply(dilation2d_backprop_filter_op, x, f, dy, **op.attrs),
    ]


_MORPH_TYPES = R.REAL
dilation2d_backprop_input_op = defop(
    "Dilation2DBackpropInput",
    _dilation_backprop_input,
    dtype_rule=R.same_dtype(_MORPH_TYPES),
    shape_rule=_same_as_input(0),
)
dilation2d_backprop_filter_op = defop(
    "Dilation2DBackpropFilter",
    _dilation_backprop_filter,
    dtype_rule=R.same_dtype(_MORPH_TYPES),
    shape_rule=_same_as_input(1),
)
dilation2d_op = defop(
    "Dilation2D",
    _dilation_forward,
    dtype_rule=R.same_dtype(_MORPH_TYPES),
    shape_rule=_dilation_shape,
    grad=_dilation_grad,
)


@tf_export("nn.dilation2d")
def dilation2d(input, filters, strides, padding, data_format, dilations, name=None):
    """Grayscale morphological dilation: max over the window of input + filters[dy, dx, c].

    ``filters`` is [height, width, depth]; ``strides``/``dilations`` have length 4."""
    if data_format != "NHWC":
        raise ValueError("Data formats other than NHWC are not yet supported")
    x = convert_to_tensor(input)
    f = convert_to_tensor(filters, dtype=x.dtype)
    return apply(
        dilation2d_op,
        x,
        f,
        strides=tuple(int(v) for v in strides),
        rates=tuple(int(v) for v in dilations),
        padding=_padding_str(padding),
        name=name,
    )


@tf_export("nn.erosion2d")
def erosion2d(value, filters, strides, padding, data_format, dilations, name=None):
    """Grayscale erosion: -dilation2d(-value, filters reversed in space)."""
    from tensorlet.ops import array_ops, math_ops

    if data_format != "NHWC":
        raise ValueError("Data formats other than NHWC are not yet supported")
    x = convert_to_tensor(value)
    f = array_ops.reverse(convert_to_tensor(filters, dtype=x.dtype), [0, 1])
    return math_ops.negative(
        dilation2d(math_ops.negative(x), f, strides, padding, data_format, dilations)
    )
