"""Convolutions (channels-last): Conv2D, Conv3D, DepthwiseConv2dNative and their backprop ops,
plus the public ``tf.nn.conv*`` functions (conv1d and the transposed convolutions are composites
over the 2-D/3-D ops, as in TF).

Kernels are BLAS matmuls over strided windows: the padded input is viewed as
``(batch, *out, *kernel, in_channels)`` with ``as_strided`` and multiplied by the filter as one
matrix product (im2col); the input gradient scatters the column gradient back with one strided
add per kernel offset (col2im). No Python loop runs over pixels.
"""

import functools
import math
import threading

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import shape_rules as R
from tensorlet.ops.array_ops import host_array
from tensorlet.ops.kernel_threads import parallel_for as _parallel_for
from tensorlet.ops.kernel_threads import scratch as _scratch
from tensorlet.ops.op_def import apply, defop

_as_strided = xp.lib.stride_tricks.as_strided
D = dtypes
CONV_TYPES = (D.float16, D.bfloat16, D.float32, D.float64)


# ---------------------------------------------------------------- geometry (shared with pooling)


def out_size(op_name, n, k, s, d, padding, pad=None):
    """TF's GetWindowedOutputSize: ``(out, pad_before, pad_after)`` for one spatial dim.

    ``n`` may be None (unknown); ``pad`` is the explicit (before, after) pair for EXPLICIT."""
    eff = (k - 1) * d + 1
    if n is None:
        return None, 0, 0
    if padding == "VALID":
        out = (n - eff + s) // s
        pb = pa = 0
    elif padding == "SAME":
        out = (n + s - 1) // s
        total = max((out - 1) * s + eff - n, 0)
        pb, pa = total // 2, total - total // 2
    else:  # EXPLICIT
        pb, pa = pad
        out = (n + pb + pa - eff + s) // s
    if out < 0:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"Computed output size would be negative: {out} [input_size: {n}, "
            f"effective_filter_size: {eff}, stride: {s}]",
        )
    return out, pb, pa


@functools.lru_cache(maxsize=1024)
def geometry(op_name, spatial, ksize, strides, dilations, padding, explicit):
    """Per spatial dim ``(out, pad_before, pad_after)`` for fully known ``spatial``."""
    return tuple(
        out_size(op_name, n, k, s, d, padding, explicit[i] if explicit else None)
        for i, (n, k, s, d) in enumerate(zip(spatial, ksize, strides, dilations))
    )


def pad_spatial(x, pads, value=0):
    """``x`` (batch, *spatial, channels) padded by ``pads`` = ((before, after), ...)."""
    if not any(b or a for b, a in pads):
        return x
    shape = (
        (x.shape[0],) + tuple(n + b + a for n, (b, a) in zip(x.shape[1:-1], pads)) + (x.shape[-1],)
    )
    out = xp.full(shape, value, x.dtype) if value else xp.zeros(shape, x.dtype)
    out[(slice(None),) + tuple(slice(b, b + n) for n, (b, _) in zip(x.shape[1:-1], pads))] = x
    return out


def windows(xpad, ksize, strides, dilations, out):
    """Read-only view ``(batch, *out, *ksize, channels)`` of the padded input's windows."""
    st = xpad.strides
    n = len(ksize)
    shape = (xpad.shape[0],) + tuple(out) + tuple(ksize) + (xpad.shape[-1],)
    strd = (
        (st[0],)
        + tuple(st[1 + i] * strides[i] for i in range(n))
        + tuple(st[1 + i] * dilations[i] for i in range(n))
        + (st[-1],)
    )
    return _as_strided(xpad, shape, strd, writeable=False)


@functools.lru_cache(maxsize=1024)
def offset_slices(ksize, strides, dilations, out):
    """For each kernel offset: (offset tuple, spatial slices of the padded input it reads).

    All arguments are tuples (the result is cached)."""
    result = []
    for koff in _ndindex(ksize):
        sl = tuple(
            slice(k * d, k * d + s * (o - 1) + 1, s)
            for k, d, s, o in zip(koff, dilations, strides, out)
        )
        result.append((koff, (slice(None),) + sl + (slice(None),)))
    return tuple(result)


def _ndindex(shape):
    idx = [()]
    for n in shape:
        idx = [i + (j,) for i in idx for j in range(n)]
    return idx


_HALF = frozenset({xp.dtype(xp.float16), xp.dtype(dtypes.bfloat16.as_numpy_dtype)})


def _compute_dtype(a):
    """Half types are computed in float32 (BLAS), then cast back by ``apply``."""
    return a.astype(xp.float32) if a.dtype in _HALF else a


def _col2im(dcols, padded_shape, ksize, strides, dilations, out, pads):
    """Sums the column gradient ``(batch, *out, *ksize, C)`` back into the unpadded input."""
    dx = xp.zeros(padded_shape, dcols.dtype)
    if all(o > 0 for o in out):
        n = len(ksize)
        lead = (slice(None),) * (1 + n)
        for koff, sl in offset_slices(ksize, strides, dilations, out):
            dx[sl] += dcols[lead + koff]
    crop = (slice(None),) + tuple(slice(b, dx.shape[1 + i] - a) for i, (b, a) in enumerate(pads))
    return dx[crop + (slice(None),)]


# ---------------------------------------------------------------- attribute parsing


def _spatial_attr(values, n, fmt_channels_first):
    """The spatial part of a full-rank ``strides``/``dilations`` attr list."""
    values = tuple(values)
    return values[2:] if fmt_channels_first else values[1 : 1 + n]


def _explicit_pairs(explicit, n, channels_first):
    if not explicit:
        return None
    pairs = [tuple(explicit[2 * i : 2 * i + 2]) for i in range(n + 2)]
    return tuple(pairs[2:] if channels_first else pairs[1 : 1 + n])


def _conv_spec(
    op_name, x_shape, f_shape, strides, padding, explicit_paddings, dilations, data_format, nd
):
    """Validates a convolution and returns (spatial ksize, strides, dilations, explicit, out)."""
    cf = data_format.startswith("NC")
    if len(strides) != nd + 2:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"Sliding window strides field must specify {nd + 2} dimensions",
        )
    if len(dilations) != nd + 2:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"Sliding window dilations field must specify {nd + 2} dimensions",
        )
    cidx = 1 if cf else nd + 1
    if strides[0] != 1 or strides[cidx] != 1:
        raise errors.op_error(
            errors.UnimplementedError if nd == 2 else errors.InvalidArgumentError,
            op_name,
            "Current implementation does not yet support strides in "
            "the batch and depth dimensions.",
        )
    if dilations[0] != 1 or dilations[cidx] != 1:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            "Current implementation does not yet support dilations in the "
            "batch and depth dimensions.",
        )
    s = _spatial_attr(strides, nd, cf)
    d = _spatial_attr(dilations, nd, cf)
    explicit = _explicit_pairs(explicit_paddings, nd, cf) if padding == "EXPLICIT" else None
    if padding == "EXPLICIT" and len(explicit_paddings) != 2 * (nd + 2):
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"explicit_paddings attribute must contain {2 * (nd + 2)} values, "
            f"but got: {len(explicit_paddings)}",
        )
    return s, d, explicit


def _check_rank(op_name, shape, rank, what):
    if shape.rank is not None and shape.rank != rank:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"{what} must be {rank}-dimensional{_dims_str(shape)}",
        )


def _dims_str(shape):
    return "[" + ",".join("?" if v is None else str(v) for v in shape) + "]"


# ---------------------------------------------------------------- Conv2D / Conv3D


def _conv_shape(nd):
    def rule(op, inputs, attrs):
        x, f = inputs[0].shape, inputs[1].shape
        _check_rank(op.name, x, nd + 2, "input")
        _check_rank(op.name, f, nd + 2, "filter")
        return (_conv_out_shape(op.name, x, f, attrs, nd),)

    return rule


def _conv_out_shape(op_name, x, f, attrs, nd, depthwise=False):
    fmt = attrs.get("data_format", "NHWC")
    cf = fmt.startswith("NC")
    s, d, explicit = _conv_spec(
        op_name,
        x,
        f,
        attrs["strides"],
        attrs["padding"],
        attrs.get("explicit_paddings", ()),
        attrs["dilations"],
        fmt,
        nd,
    )
    if x.rank is None:
        return TensorShape([None] * (nd + 2))
    xl, fl = list(x), list(f) if f.rank is not None else [None] * (nd + 2)
    cin = xl[1] if cf else xl[-1]
    if depthwise:
        if cin is not None and fl[nd] is not None and cin != fl[nd]:
            raise errors.op_error(
                errors.InvalidArgumentError,
                op_name,
                f"input and filter must have the same depth: {cin} vs {fl[nd]}",
            )
        cout = None if fl[nd] is None or fl[nd + 1] is None else fl[nd] * fl[nd + 1]
    else:
        if cin is not None and fl[nd] is not None and (fl[nd] == 0 or cin % fl[nd]):
            raise errors.op_error(
                errors.InvalidArgumentError,
                op_name,
                f"input depth must be evenly divisible by filter depth: {cin} vs {fl[nd]}",
            )
        cout = fl[nd + 1]
    spatial = xl[2:] if cf else xl[1 : 1 + nd]
    outs = [
        out_size(
            op_name,
            n,
            k if k is not None else 1,
            st,
            dl,
            attrs["padding"],
            explicit[i] if explicit else None,
        )[0]
        if k is not None
        else None
        for i, (n, k, st, dl) in enumerate(zip(spatial, fl[:nd], s, d))
    ]
    return TensorShape([xl[0], cout] + outs if cf else [xl[0]] + outs + [cout])


def _conv_forward_nd(nd, op_name):
    def forward(x, f, strides, padding, dilations, data_format, explicit_paddings=()):
        if data_format.startswith("NC"):
            raise errors.op_error(
                errors.UnimplementedError,
                op_name,
                f"The {op_name} op currently only supports the N{'DHW'[3 - nd :]}C tensor format "
                f"on the CPU. The op was given the format: {data_format}",
            )
        s, d, explicit = _conv_spec(
            op_name, None, None, strides, padding, explicit_paddings, dilations, data_format, nd
        )
        if x.shape[-1] != f.shape[nd]:
            if f.shape[nd] and x.shape[-1] % f.shape[nd] == 0:
                raise errors.op_error(
                    errors.UnimplementedError,
                    op_name,
                    "The Conv2D op currently does not support grouped convolutions on the CPU. "
                    "A grouped convolution was attempted to be run because the input depth of "
                    f"{x.shape[-1]} does not match the filter input depth of {f.shape[nd]}",
                )
            raise errors.op_error(
                errors.InvalidArgumentError,
                op_name,
                f"input depth must be evenly divisible by filter depth: {x.shape[-1]} vs {f.shape[nd]}",
            )
        if nd == 3 and any(v != 1 for v in d):
            raise errors.op_error(
                errors.InvalidArgumentError,
                op_name,
                "CPU implementation of Conv3D currently only supports dilated rates of 1.",
            )
        return conv_kernel(x, f, s, d, padding, explicit)

    return forward


# Kernel layout, measured on the project's 2-core AVX-512 VM (32->64 3x3 conv on 128x26x26,
# float32; TF 2.21 side by side in benchmarks/conv_bench.py, numbers in benchmarks/README.md):
# - Chunks, not one big GEMM: the (batch*out, K) column matrix is 85 MB; building it and
#   streaming it through sgemm costs two trips to memory (23.6 ms).  Chunks of a few images
#   (_COLUMN_BUDGET bytes of columns: 4 MiB 14.9 ms, 1 MiB 16.3 ms, 16 MiB 18.5 ms) are built
#   in a reused scratch buffer that stays in L2/L3 and multiplied at once into their rows of
#   the output, so the im2col copy costs little on top of the GEMM (~235 GFLOP/s per chunk).
#   Larger chunks suffer less when the machine is busy (OpenBLAS waits for its slowest thread
#   at the end of every call), but cost 10-25% on an idle machine.
# - Summing KH*KW small GEMMs over shifted views (no copy) was 5-10x slower: each one has an
#   inner dimension of C (32) and the output is re-read and re-written KH*KW times.
# - Padding is done per chunk into scratch (no padded copy of the whole input).
# - For few input channels (C <= _SLAB_CHANNELS, e.g. the 1-channel first layer) the column
#   matrix is built transposed, (K, rows), one contiguous output-row run per (offset, channel),
#   and handed to sgemm as a transposed operand: the row layout would copy 3-float runs
#   (1->32 forward: 2.2 ms -> 0.8 ms).
# - The stride-1 input gradient is the full correlation of dy with the flipped, in/out-swapped
#   filter, run by the forward kernel (one GEMM per chunk, K = KH*KW*O): 21 ms against 24 ms
#   (VALID) / 27.5 ms (SAME) for one GEMM dy @ f^T per chunk plus a col2im scatter, and 28 ms
#   for the former per-offset GEMMs.  With few input channels the GEMM output is too narrow
#   (1 channel: 4.7 ms vs 1.2 ms) and strided convolutions would multiply zeros, so those use
#   the col2im form.
# - The filter gradient is columns^T @ dy per chunk, summed (float32 accumulation, as TF).
# - Copying a chunk's columns on two threads while BLAS waits did not help (measured).  What
#   helps is running whole chunks (copy + GEMM) on every core with BLAS held to one thread
#   (kernel_threads.parallel_for(blas=True)): no core idles during a copy and BLAS's per-call
#   thread hand-off disappears.  With OpenBLAS's AVX-512 kernels: forward 10.3 -> 8.2 ms,
#   forward + both gradients 39 -> 31 ms (TF 2.21: 24-27 ms).

_COLUMN_BUDGET = 1 << 22  # column-matrix bytes per GEMM chunk (stays in L2/L3 with its output)
_SLAB_CHANNELS = 4  # at most this many input channels: transposed (slab) column layout
_TRANSPOSED_MIN_CIN = 8  # stride-1 input gradients with fewer input channels use col2im
def _chunk_plan(batch, out, bytes_per_pos, budget=None):
    return _plan(batch, tuple(out), bytes_per_pos, budget or _COLUMN_BUDGET)


@functools.lru_cache(maxsize=256)
def _plan(batch, out, bytes_per_pos, budget):
    """Index tuples over ``(batch, *out)``: batch slices of about ``budget`` bytes at
    ``bytes_per_pos`` per output position, or (one image, a band of first-dim rows) pieces when
    one image is larger than that."""
    per_image = math.prod(out) * bytes_per_pos
    if per_image <= budget or not out:
        step = max(1, budget // max(per_image, 1))
        return tuple((slice(i, min(i + step, batch)),) for i in range(0, batch, step))
    step = max(1, budget // max(math.prod(out[1:]) * bytes_per_pos, 1))
    return tuple(
        (slice(n, n + 1), slice(r, min(r + step, out[0])))
        for n in range(batch)
        for r in range(0, out[0], step)
    )


def _chunk_rows(ch, out):
    """(first, stop) output rows of dim 0 a chunk covers."""
    return (ch[1].start, ch[1].stop) if len(ch) > 1 else (0, out[0])


def _chunk_window(x, pads, ksize, s, d, out, ch, slot=1):
    """The ``(nb, *out_chunk, *ksize, C)`` windows of chunk ``ch``, read from ``x`` itself when
    unpadded, else from a zero-padded copy of just the input rows the chunk reads (scratch
    ``slot`` of the calling thread: valid until its next use there)."""
    r0, r1 = _chunk_rows(ch, out)
    if not any(b or a for b, a in pads):
        return windows(x, ksize, s, d, out)[ch]
    eff0 = (ksize[0] - 1) * d[0] + 1
    inner = tuple(n + b + a for n, (b, a) in zip(x.shape[2:-1], pads[1:]))
    inner_sl = tuple(slice(b, b + n) for n, (b, _) in zip(x.shape[2:-1], pads[1:]))
    pb0 = pads[0][0]
    lo, hi = r0 * s[0], (r1 - 1) * s[0] + eff0  # padded rows read
    shape = (ch[0].stop - ch[0].start, hi - lo) + inner + (x.shape[-1],)
    buf = _scratch(slot, math.prod(shape), x.dtype).reshape(shape)
    buf.fill(0)
    a, b = max(lo - pb0, 0), min(hi - pb0, x.shape[1])  # input rows inside
    if b > a:
        buf[(slice(None), slice(a + pb0 - lo, b + pb0 - lo)) + inner_sl] = x[ch[0], a:b]
    return windows(buf, ksize, s, d, (r1 - r0,) + out[1:])


def _columns(win, nd, slab, dtype):
    """The chunk's column matrix in scratch slot 0: ``(rows, K)``, or ``(K, rows)`` for slab."""
    lead = win.shape[: 1 + nd]
    rows = math.prod(lead)
    k = win.size // max(rows, 1)
    buf = _scratch(0, rows * k, dtype)
    if slab:  # (kernel offsets..., C, nb, *out): contiguous runs along the output rows
        perm = tuple(range(1 + nd, 2 + 2 * nd)) + tuple(range(1 + nd))
        xp.copyto(buf.reshape(win.shape[1 + nd :] + lead), win.transpose(perm))
        return buf.reshape(k, rows)
    xp.copyto(buf.reshape(win.shape), win)
    return buf.reshape(rows, k)


def _conv_core(x, f, s, d, pads, out):
    """Channels-last N-d cross-correlation of ``x`` (padded by ``pads``) with ``f``."""
    nd = len(out)
    ksize, cin, cout = f.shape[:nd], f.shape[-2], f.shape[-1]
    k = math.prod(ksize) * cin
    dt = xp.result_type(x, f)
    y = xp.empty((x.shape[0],) + tuple(out) + (cout,), dt)
    if y.size == 0 or k == 0:
        y.fill(0)
        return y
    f2 = xp.ascontiguousarray(f, dt).reshape(k, cout)
    x = x.astype(dt, copy=False)
    slab = cin <= _SLAB_CHANNELS

    def run(ch):
        cols = _columns(_chunk_window(x, pads, ksize, s, d, out, ch), nd, slab, dt)
        xp.matmul(cols.T if slab else cols, f2, out=y[ch].reshape(-1, cout))

    _parallel_for(run, _chunk_plan(x.shape[0], out, k * dt.itemsize), y.nbytes, blas=True)
    return y


def conv_kernel(x, f, s, d, padding, explicit):
    """Channels-last N-d convolution (cross-correlation) as chunked im2col GEMMs."""
    nd = f.ndim - 2
    ksize = f.shape[:nd]
    geo = geometry("Conv", x.shape[1 : 1 + nd], ksize, tuple(s), tuple(d), padding, explicit)
    x, f = _compute_dtype(x), _compute_dtype(f)
    return _conv_core(x, f, tuple(s), tuple(d), [g[1:] for g in geo], tuple(g[0] for g in geo))


def conv_backprop_input_kernel(input_sizes, f, dy, s, d, padding, explicit):
    """Gradient of ``conv_kernel`` w.r.t. its input of shape ``input_sizes``."""
    nd = f.ndim - 2
    ksize = f.shape[:nd]
    spatial = tuple(input_sizes[1 : 1 + nd])
    geo = geometry("Conv", spatial, ksize, tuple(s), tuple(d), padding, explicit)
    out = tuple(g[0] for g in geo)
    pads = [g[1:] for g in geo]
    f, dy = _compute_dtype(f), _compute_dtype(dy)
    dt = xp.result_type(f, dy)
    cin, cout = f.shape[-2], f.shape[-1]
    if all(v == 1 for v in s) and cin >= _TRANSPOSED_MIN_CIN:
        # dx[i] = sum_k dy[i + pb - k*d] f[k]^T: a VALID correlation of dy, padded by
        # eff-1-pb before and eff-1-pa' after, with the flipped filter (in/out swapped).
        flip = f[(slice(None, None, -1),) * nd].swapaxes(-1, -2)
        tpads, crop = [], [slice(None)]
        for n, o, k, dd, (pb, _) in zip(spatial, out, ksize, d, pads):
            p0 = (k - 1) * dd - pb
            p1 = n + (k - 1) * dd - o - p0
            crop.append(slice(max(-p0, 0), o - max(-p1, 0)))
            tpads.append((max(p0, 0), max(p1, 0)))
        if any(c.start or c.stop != o for c, o in zip(crop[1:], out)):
            dy = dy[tuple(crop)]
        dx = _conv_core(dy.astype(dt, copy=False), flip, (1,) * nd, tuple(d), tpads, spatial)
        return dx
    # strided: per chunk one GEMM dy @ f^T into columns, scattered back (col2im) in cache
    padded = (input_sizes[0],) + tuple(n + b + a for n, (b, a) in zip(spatial, pads)) + (cin,)
    dx = xp.zeros(padded, dt)
    k = math.prod(ksize) * cin
    if all(o > 0 for o in out) and dy.size and k:
        dy = xp.ascontiguousarray(dy, dt)
        f2t = xp.ascontiguousarray(f, dt).reshape(k, cout).T
        for ch in _chunk_plan(dy.shape[0], out, k * dt.itemsize):
            dyc = dy[ch]
            lead = dyc.shape[:-1]
            cols = _scratch(0, math.prod(lead) * k, dt).reshape(-1, k)
            xp.matmul(dyc.reshape(-1, cout), f2t, out=cols)
            cols = cols.reshape(lead + tuple(ksize) + (cin,))
            r0, r1 = _chunk_rows(ch, out)
            dxc = dx[ch[0]]
            for koff in _ndindex(ksize):
                sl = (slice(None),) + tuple(
                    slice(kk * dd + ss * o0, kk * dd + ss * (o1 - 1) + 1, ss)
                    for kk, dd, ss, o0, o1 in zip(
                        koff, d, s, (r0,) + (0,) * (nd - 1), (r1,) + out[1:]
                    )
                )
                dxc[sl] += cols[(Ellipsis,) + koff + (slice(None),)]
    crop = tuple(slice(b, dx.shape[1 + i] - a) for i, (b, a) in enumerate(pads))
    return dx[(slice(None),) + crop + (slice(None),)]


def conv_backprop_filter_kernel(x, filter_sizes, dy, s, d, padding, explicit):
    """Gradient of ``conv_kernel`` w.r.t. its filter: columns^T @ dy, summed over chunks."""
    nd = len(filter_sizes) - 2
    ksize = tuple(filter_sizes[:nd])
    geo = geometry("Conv", x.shape[1 : 1 + nd], ksize, tuple(s), tuple(d), padding, explicit)
    out = tuple(g[0] for g in geo)
    x, dy = _compute_dtype(x), _compute_dtype(dy)
    dt = xp.result_type(x, dy)
    cin, cout = filter_sizes[-2], filter_sizes[-1]
    k = math.prod(ksize) * cin
    df = None
    if all(o > 0 for o in out) and dy.size and k:
        x = x.astype(dt, copy=False)
        dy = xp.ascontiguousarray(dy, dt)
        slab = cin <= _SLAB_CHANNELS
        pads = [g[1:] for g in geo]
        plan = _chunk_plan(x.shape[0], out, k * dt.itemsize)
        parts = {}  # chunk number -> its (K, O) product, summed in chunk order (deterministic)

        def run(i):
            win = _chunk_window(x, pads, ksize, tuple(s), tuple(d), out, plan[i])
            cols = _columns(win, nd, slab, dt)
            parts[i] = xp.matmul(cols if slab else cols.T, dy[plan[i]].reshape(-1, cout))

        _parallel_for(run, range(len(plan)), x.nbytes, blas=True)
        df = parts[0]
        for i in range(1, len(plan)):
            df += parts[i]
    if df is None:
        df = xp.zeros((k, cout), dt)
    return df.reshape(tuple(filter_sizes))


def _known_batch(sizes, dy):
    """``sizes`` with an unknown (traced) batch dimension taken from ``dy``."""
    sizes = tuple(sizes)
    return sizes if sizes[0] is not None else (dy.shape[0],) + sizes[1:]


def _conv_attrs(op):
    a = op.attrs
    return {
        "strides": a["strides"],
        "padding": a["padding"],
        "dilations": a["dilations"],
        "data_format": a["data_format"],
        "explicit_paddings": a.get("explicit_paddings", ()),
    }


def _conv_grads(fwd, bprop_input, bprop_filter):
    """The gradient rules of a convolution family, given its three TF op names.

    Conv(x, f): [BackpropInput(f, dy), BackpropFilter(x, dy)] (TF's _Conv2DGrad);
    BackpropInput(f, dy): d/df = BackpropFilter(ddx, dy), d/ddy = Conv(ddx, f);
    BackpropFilter(x, dy): d/dx = BackpropInput(ddf, dy), d/ddy = Conv(x, ddf).
    Ops are looked up by name at call time, so the rules can be built before the ops.
    """
    from tensorlet.ops.op_def import REGISTRY

    def sizes(t):
        return tuple(t.shape.as_list())

    def conv_grad(op, dy):
        x, f = op.inputs
        a = _conv_attrs(op)
        return [
            apply(REGISTRY[bprop_input], f, dy, input_sizes=sizes(x), **a),
            apply(REGISTRY[bprop_filter], x, dy, filter_sizes=sizes(f), **a),
        ]

    def input_grad(op, ddx):
        f, dy = op.inputs
        a = _conv_attrs(op)
        return [
            apply(REGISTRY[bprop_filter], ddx, dy, filter_sizes=sizes(f), **a),
            apply(REGISTRY[fwd], ddx, f, **a),
        ]

    def filter_grad(op, ddf):
        x, dy = op.inputs
        a = _conv_attrs(op)
        return [
            apply(REGISTRY[bprop_input], ddf, dy, input_sizes=sizes(x), **a),
            apply(REGISTRY[fwd], x, ddf, **a),
        ]

    return conv_grad, input_grad, filter_grad


_conv2d_grad, _conv2d_backprop_input_grad, _conv2d_backprop_filter_grad = _conv_grads(
    "Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"
)
_conv3d_grad, _conv3d_backprop_input_grad, _conv3d_backprop_filter_grad = _conv_grads(
    "Conv3D", "Conv3DBackpropInputV2", "Conv3DBackpropFilterV2"
)
_depthwise_grad, _depthwise_bi_grad, _depthwise_bf_grad = _conv_grads(
    "DepthwiseConv2dNative",
    "DepthwiseConv2dNativeBackpropInput",
    "DepthwiseConv2dNativeBackpropFilter",
)


def _backprop_input_forward(nd, op_name, cpu_dilation_error):
    def forward(f, dy, input_sizes, strides, padding, dilations, data_format, explicit_paddings=()):
        if data_format.startswith("NC"):
            raise errors.op_error(
                errors.UnimplementedError,
                op_name,
                f"{op_name} only supports N{'DHW'[3 - nd :]}C on the CPU; got {data_format}",
            )
        s, d, explicit = _conv_spec(
            op_name, None, None, strides, padding, explicit_paddings, dilations, data_format, nd
        )
        if cpu_dilation_error and any(v != 1 for v in d):
            raise errors.op_error(
                errors.InvalidArgumentError,
                op_name,
                "Current CPU implementations do not yet support dilation rates larger than 1.",
            )
        return conv_backprop_input_kernel(
            _known_batch(input_sizes, dy), f, dy, s, d, padding, explicit
        )

    return forward


def _backprop_filter_forward(nd, op_name, cpu_dilation_error):
    def forward(
        x, dy, filter_sizes, strides, padding, dilations, data_format, explicit_paddings=()
    ):
        if data_format.startswith("NC"):
            raise errors.op_error(
                errors.UnimplementedError,
                op_name,
                f"{op_name} only supports N{'DHW'[3 - nd :]}C on the CPU; got {data_format}",
            )
        s, d, explicit = _conv_spec(
            op_name, None, None, strides, padding, explicit_paddings, dilations, data_format, nd
        )
        if cpu_dilation_error and any(v != 1 for v in d):
            raise errors.op_error(
                errors.InvalidArgumentError,
                op_name,
                "Current CPU implementations do not yet support dilation rates larger than 1.",
            )
        return conv_backprop_filter_kernel(x, tuple(filter_sizes), dy, s, d, padding, explicit)

    return forward


def _backprop_input_shape(nd, label):
    def rule(op, inputs, attrs):
        f, dy = inputs[0].shape, inputs[1].shape
        sizes = attrs["input_sizes"]
        _check_rank(op.name, f, nd + 2, "filter")
        _check_rank(op.name, dy, nd + 2, "out_backprop")
        if len(sizes) != nd + 2:
            raise errors.op_error(
                errors.InvalidArgumentError,
                op.name,
                f"input_sizes must be {nd + 2}-dimensional, got: {len(sizes)}",
            )
        _check_backprop_sizes(op.name, label, TensorShape(sizes), f, dy, attrs, nd)
        return (TensorShape(sizes),)

    return rule


def _backprop_filter_shape(nd, label):
    def rule(op, inputs, attrs):
        x, dy = inputs[0].shape, inputs[1].shape
        sizes = attrs["filter_sizes"]
        _check_rank(op.name, x, nd + 2, "input")
        _check_rank(op.name, dy, nd + 2, "out_backprop")
        _check_backprop_sizes(op.name, label, x, TensorShape(sizes), dy, attrs, nd)
        return (TensorShape(sizes),)

    return rule


def _check_backprop_sizes(op_name, label, x, f, dy, attrs, nd, depthwise=False):
    """TF's ConvBackpropComputeDimensions: out_backprop must match the forward output."""
    if x.rank is None or f.rank is None or dy.rank is None:
        return
    fmt = attrs.get("data_format", "NHWC")
    cf = fmt.startswith("NC")
    s, d, explicit = _conv_spec(
        op_name,
        x,
        f,
        attrs["strides"],
        attrs["padding"],
        attrs.get("explicit_paddings", ()),
        attrs["dilations"],
        fmt,
        nd,
    )
    xl, fl, yl = list(x), list(f), list(dy)
    xs, ys = (xl[2:], yl[2:]) if cf else (xl[1 : 1 + nd], yl[1 : 1 + nd])
    for i in range(nd):
        if xs[i] is None or fl[i] is None or ys[i] is None:
            continue
        computed = out_size(
            op_name, xs[i], fl[i], s[i], d[i], attrs["padding"], explicit[i] if explicit else None
        )[0]
        if computed != ys[i]:
            raise errors.op_error(
                errors.InvalidArgumentError,
                op_name,
                f"{label}: Size of out_backprop doesn't match computed: actual = {ys[i]}, "
                f"computed = {computed} spatial_dim: {i + 1} input: {xs[i]} filter: {fl[i]} "
                f"output: {ys[i]} stride: {s[i]} dilation: {d[i]}",
            )
    cin = xl[1] if cf else xl[-1]
    fin = fl[nd] * fl[nd + 1] if depthwise else fl[nd]
    if cin is not None and fl[nd] is not None and not depthwise and cin % max(fl[nd], 1):
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"{label}: input depth must be evenly divisible by filter depth",
        )
    cout = yl[1] if cf else yl[-1]
    fout = fin if depthwise else fl[nd + 1]
    if cout is not None and fout is not None and cout != fout:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"{label}: Size of out_backprop doesn't match computed: actual = {cout}, "
            f"computed = {fout}",
        )


conv2d_op = defop(
    "Conv2D",
    _conv_forward_nd(2, "Conv2D"),
    dtype_rule=R.same_dtype(CONV_TYPES + (D.int32,)),
    shape_rule=_conv_shape(2),
    grad=_conv2d_grad,
)
conv2d_backprop_input_op = defop(
    "Conv2DBackpropInput",
    _backprop_input_forward(2, "Conv2DBackpropInput", True),
    dtype_rule=R.same_dtype(CONV_TYPES + (D.int32,)),
    shape_rule=_backprop_input_shape(2, "Conv2DCustomBackpropInput"),
    grad=_conv2d_backprop_input_grad,
)
conv2d_backprop_filter_op = defop(
    "Conv2DBackpropFilter",
    _backprop_filter_forward(2, "Conv2DBackpropFilter", True),
    dtype_rule=R.same_dtype(CONV_TYPES),
    shape_rule=_backprop_filter_shape(2, "Conv2DCustomBackpropFilter"),
    grad=_conv2d_backprop_filter_grad,
)


conv3d_op = defop(
    "Conv3D",
    _conv_forward_nd(3, "Conv3D"),
    dtype_rule=R.same_dtype(CONV_TYPES),
    shape_rule=_conv_shape(3),
    grad=_conv3d_grad,
)
conv3d_backprop_input_op = defop(
    "Conv3DBackpropInputV2",
    _backprop_input_forward(3, "Conv3DBackpropInputV2", True),
    dtype_rule=R.same_dtype(CONV_TYPES),
    shape_rule=_backprop_input_shape(3, "Conv3DBackpropInputOp"),
    grad=_conv3d_backprop_input_grad,
)
conv3d_backprop_filter_op = defop(
    "Conv3DBackpropFilterV2",
    _backprop_filter_forward(3, "Conv3DBackpropFilterV2", True),
    dtype_rule=R.same_dtype(CONV_TYPES),
    shape_rule=_backprop_filter_shape(3, "Conv3DBackpropFilterOp"),
    grad=_conv3d_backprop_filter_grad,
)


# ---------------------------------------------------------------- depthwise


# One multiply and one add per kernel offset (and channel multiplier) over (batch, *out, C)
# pieces: a batched-over-channels matmul would need transposed copies of the whole column
# matrix and ran several times slower.  Measured speed-ups (fwd 128x26x26x32 3x3, 18 ms
# before): the filter row of each offset is tiled to (OW, C) so NumPy's inner loop runs over
# whole contiguous output rows instead of C-element pieces (a (C,) operand broadcast over OW
# keeps the loop at C elements): 12.6 -> 6.9 ms; the work runs in chunks of a few images
# (_EW_BUDGET: 256-512 KiB best, 8 MiB 50% slower) so the temporaries stay in cache; and the
# chunks are shared with a helper thread (_parallel_for): 7.7 -> 4.5 ms.

_EW_BUDGET = 1 << 19  # bytes of one (nb, *out, C) temporary in the depthwise kernels


def _depthwise_geometry(spatial, ksize, s, d, padding, explicit):
    geo = geometry(
        "DepthwiseConv2dNative", tuple(spatial), tuple(ksize), tuple(s), tuple(d), padding, explicit
    )
    return tuple(g[0] for g in geo), [g[1:] for g in geo]


def _split_multiplier(dy, c, m):
    """dy (batch, *out, C*M) as M contiguous (batch, *out, C) arrays (channel c*M + m)."""
    g = dy.reshape(dy.shape[:-1] + (c, m))
    return [g[..., 0]] if m == 1 else [xp.ascontiguousarray(g[..., k]) for k in range(m)]


def _tiled_filter(f, width):
    """(KH, KW, M, width, C): each offset's filter row repeated along the output width."""
    kh, kw, c, m = f.shape
    t = xp.moveaxis(f, 3, 2)[:, :, :, None, :]
    return xp.ascontiguousarray(xp.broadcast_to(t, (kh, kw, m, width, c)))


def _depthwise_core(x, f, s, d, pads, out):
    """out[..., c*M + m] = sum_k window[..., k, c] * f[k, c, m], chunk by chunk."""
    ksize, (c, m) = f.shape[:2], f.shape[2:]
    dt = xp.result_type(x, f)
    y = xp.empty((x.shape[0],) + out + (c * m,), dt)
    if y.size == 0:
        return y
    x = x.astype(dt, copy=False)
    ft = _tiled_filter(f.astype(dt, copy=False), out[1])
    y5 = y.reshape(y.shape[:-1] + (c, m))
    offsets = _ndindex(ksize)

    def run(ch):
        win = _chunk_window(x, pads, ksize, s, d, out, ch)
        cell = win.shape[:3] + (c,)
        tmp = _scratch(2, math.prod(cell), dt).reshape(cell)
        for k in range(m):
            acc = y[ch] if m == 1 else _scratch(3, tmp.size, dt).reshape(cell)
            for i, koff in enumerate(offsets):
                v = win[(Ellipsis,) + koff + (slice(None),)]
                if i == 0:
                    xp.multiply(v, ft[koff + (k,)], out=acc)
                else:
                    acc += xp.multiply(v, ft[koff + (k,)], out=tmp)
            if m > 1:
                y5[ch][..., k] = acc

    _parallel_for(run, _chunk_plan(x.shape[0], out, c * dt.itemsize, _EW_BUDGET), y.nbytes)
    return y


def depthwise_kernel(x, f, s, d, padding, explicit):
    ksize = f.shape[:2]
    out, pads = _depthwise_geometry(x.shape[1:3], ksize, s, d, padding, explicit)
    x, f = _compute_dtype(x), _compute_dtype(f)
    return _depthwise_core(x, f, tuple(s), tuple(d), pads, out)


def depthwise_backprop_input_kernel(input_sizes, f, dy, s, d, padding, explicit):
    ksize = f.shape[:2]
    spatial = tuple(input_sizes[1:3])
    out, pads = _depthwise_geometry(spatial, ksize, s, d, padding, explicit)
    f, dy = _compute_dtype(f), _compute_dtype(dy)
    c, m = f.shape[2], f.shape[3]
    if m == 1 and all(v == 1 for v in s) and dy.size:
        # stride 1: the full correlation of dy with the flipped filter (see conv_backprop_input)
        tpads, crop = [], [slice(None)]
        for n, o, k, dd, (pb, _) in zip(spatial, out, ksize, d, pads):
            p0 = (k - 1) * dd - pb
            p1 = n + (k - 1) * dd - o - p0
            crop.append(slice(max(-p0, 0), o - max(-p1, 0)))
            tpads.append((max(p0, 0), max(p1, 0)))
        if any(cr.start or cr.stop != o for cr, o in zip(crop[1:], out)):
            dy = dy[tuple(crop)]
        dt = xp.result_type(f, dy)
        return _depthwise_core(
            dy.astype(dt, copy=False), f[::-1, ::-1], (1, 1), tuple(d), tpads, spatial
        )
    gs = _split_multiplier(dy, c, m)
    padded = (
        (input_sizes[0],) + tuple(n + b + a for n, (b, a) in zip(input_sizes[1:3], pads)) + (c,)
    )
    dx = xp.zeros(padded, xp.result_type(f, dy))
    if all(o > 0 for o in out) and dy.size:
        tmp = xp.empty(gs[0].shape, dx.dtype)
        for koff, sl in offset_slices(ksize, tuple(s), tuple(d), out):
            view = dx[sl]
            for k in range(m):
                xp.multiply(gs[k], f[koff][:, k], out=tmp)
                view += tmp
    crop = tuple(slice(b, dx.shape[1 + i] - a) for i, (b, a) in enumerate(pads))
    return dx[(slice(None),) + crop + (slice(None),)]


def depthwise_backprop_filter_kernel(x, filter_sizes, dy, s, d, padding, explicit):
    """df[k, c, m] = sum over positions of window[..., k, c] * dy[..., c*M + m]: products are
    accumulated elementwise chunk by chunk into one (KH*KW*M, nb, *out, C) buffer and reduced
    once at the end (a per-chunk ``sum(axis=0)`` over C-element rows is several times slower)."""
    ksize = tuple(filter_sizes[:2])
    out, pads = _depthwise_geometry(x.shape[1:3], ksize, s, d, padding, explicit)
    x, dy = _compute_dtype(x), _compute_dtype(dy)
    c, m = filter_sizes[2], filter_sizes[3]
    dt = xp.result_type(x, dy)
    if not (all(o > 0 for o in out) and dy.size):
        return xp.zeros(tuple(filter_sizes), dt)
    x = x.astype(dt, copy=False)
    dy5 = dy.astype(dt, copy=False).reshape(dy.shape[:-1] + (c, m))
    offsets = _ndindex(ksize)
    plan = _chunk_plan(x.shape[0], out, c * dt.itemsize, _EW_BUDGET)
    r0, r1 = _chunk_rows(plan[0], out)  # the first chunk is the largest
    biggest = (plan[0][0].stop - plan[0][0].start, r1 - r0, out[1], c)
    accs = {}  # per thread: (offsets*M, *biggest) sums of products

    def run(ch):
        win = _chunk_window(x, pads, ksize, s, d, out, ch)
        cell = win.shape[:3] + (c,)
        acc = accs.get(threading.get_ident())
        if acc is None:
            acc = accs[threading.get_ident()] = xp.zeros((len(offsets) * m,) + biggest, dt)
        part = tuple(slice(0, v) for v in cell)
        tmp = _scratch(2, acc[0].size, dt).reshape(acc.shape[1:])[part]
        for k in range(m):
            g = dy5[ch][..., k]
            for i, koff in enumerate(offsets):
                acc[(i * m + k,) + part] += xp.multiply(
                    win[(Ellipsis,) + koff + (slice(None),)], g, out=tmp
                )

    _parallel_for(run, plan, x.nbytes)
    acc = functools.reduce(xp.add, accs.values())
    df = acc.reshape(len(offsets), m, -1, c).sum(axis=2)  # (offsets, M, C)
    return xp.ascontiguousarray(df.transpose(0, 2, 1)).reshape(tuple(filter_sizes))


def _depthwise_shape(op, inputs, attrs):
    x, f = inputs[0].shape, inputs[1].shape
    _check_rank(op.name, x, 4, "input")
    _check_rank(op.name, f, 4, "filter")
    return (_conv_out_shape(op.name, x, f, attrs, 2, depthwise=True),)


def _depthwise_forward(x, f, strides, padding, dilations, data_format, explicit_paddings=()):
    op_name = "DepthwiseConv2dNative"
    if data_format.startswith("NC"):
        raise errors.op_error(
            errors.UnimplementedError,
            op_name,
            "Depthwise convolution on CPU is only supported for NHWC format",
        )
    s, d, explicit = _conv_spec(
        op_name, None, None, strides, padding, explicit_paddings, dilations, data_format, 2
    )
    if x.shape[-1] != f.shape[2]:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"input and filter must have the same depth: {x.shape[-1]} vs {f.shape[2]}",
        )
    return depthwise_kernel(x, f, s, d, padding, explicit)


def _depthwise_bi_forward(
    f, dy, input_sizes, strides, padding, dilations, data_format, explicit_paddings=()
):
    s, d, explicit = _conv_spec(
        "DepthwiseConv2dNativeBackpropInput",
        None,
        None,
        strides,
        padding,
        explicit_paddings,
        dilations,
        data_format,
        2,
    )
    return depthwise_backprop_input_kernel(
        _known_batch(input_sizes, dy), f, dy, s, d, padding, explicit
    )


def _depthwise_bf_forward(
    x, dy, filter_sizes, strides, padding, dilations, data_format, explicit_paddings=()
):
    s, d, explicit = _conv_spec(
        "DepthwiseConv2dNativeBackpropFilter",
        None,
        None,
        strides,
        padding,
        explicit_paddings,
        dilations,
        data_format,
        2,
    )
    return depthwise_backprop_filter_kernel(x, tuple(filter_sizes), dy, s, d, padding, explicit)


def _depthwise_bi_shape(op, inputs, attrs):
    f, dy = inputs[0].shape, inputs[1].shape
    sizes = TensorShape(attrs["input_sizes"])
    _check_backprop_sizes(op.name, op.name, sizes, f, dy, attrs, 2, depthwise=True)
    return (sizes,)


def _depthwise_bf_shape(op, inputs, attrs):
    x, dy = inputs[0].shape, inputs[1].shape
    sizes = TensorShape(attrs["filter_sizes"])
    _check_backprop_sizes(op.name, op.name, x, sizes, dy, attrs, 2, depthwise=True)
    return (sizes,)


depthwise_op = defop(
    "DepthwiseConv2dNative",
    _depthwise_forward,
    dtype_rule=R.same_dtype(CONV_TYPES),
    shape_rule=_depthwise_shape,
    grad=_depthwise_grad,
)
depthwise_backprop_input_op = defop(
    "DepthwiseConv2dNativeBackpropInput",
    _depthwise_bi_forward,
    dtype_rule=R.same_dtype(CONV_TYPES),
    shape_rule=_depthwise_bi_shape,
    grad=_depthwise_bi_grad,
)
depthwise_backprop_filter_op = defop(
    "DepthwiseConv2dNativeBackpropFilter",
    _depthwise_bf_forward,
    dtype_rule=R.same_dtype(CONV_TYPES),
    shape_rule=_depthwise_bf_shape,
    grad=_depthwise_bf_grad,
)


# ---------------------------------------------------------------- public helpers


def convert_pair(a, b):
    """Converts two op inputs of one type attr: a non-tensor takes the tensor's dtype."""
    if isinstance(a, Tensor):
        return a, (b if isinstance(b, Tensor) else convert_to_tensor(b, dtype=a.dtype))
    if isinstance(b, Tensor):
        return convert_to_tensor(a, dtype=b.dtype), b
    a = convert_to_tensor(a)
    return a, convert_to_tensor(b, dtype=a.dtype)


def get_sequence(value, n, channel_index, name):
    """TF's _get_sequence: a full-rank attr list from an int / spatial list / full list."""
    if value is None:
        return [1] * (n + 2)
    if isinstance(value, (list, tuple)):
        value = list(value)
    elif isinstance(value, int):
        value = [value]
    elif isinstance(value, Tensor):
        value = host_array(value).reshape(-1).tolist()
    elif not hasattr(value, "__len__"):
        value = [value]
    else:
        value = list(value)
    value = [int(v) for v in value]
    if len(value) == n + 2:
        return value
    if len(value) == 1:
        value = value * n
    elif len(value) != n:
        raise ValueError(f"{name} should be of length 1, {n} or {n + 2} but was {len(value)}")
    return [1, 1] + value if channel_index == 1 else [1] + value + [1]


def convert_padding(padding, expected_length=4):
    """TF's convert_padding: (padding string, explicit_paddings list)."""
    explicit = []
    if padding == "EXPLICIT":
        raise ValueError(
            "'EXPLICIT' is not a valid value for `padding`. To use explicit "
            "padding, `padding` must be a list."
        )
    if isinstance(padding, (list, tuple)):
        for i, dim in enumerate(padding):
            if not isinstance(dim, (list, tuple)):
                raise ValueError(  # noqa: TRY004 (TF raises ValueError)"When `padding` is specified as a list, each element of "
                    "`padding` must be a list or tuple of size 2. Received: "
                    f"padding={padding} with element at index {i} of type "
                    f"{type(dim)}"
                )
            if len(dim) != 2:
                raise ValueError(
                    "When `padding` is specified as a list, each element of "
                    "`padding` must be a list or tuple of size 2. Received: "
                    f"padding={padding} with element at index {i} of size {len(dim)}"
                )
            explicit.extend(int(v) for v in dim)
        if len(padding) != expected_length:
            raise ValueError(
                f"When padding is a list, it must be of size {expected_length}. "
                f"Received: padding={padding} of size {len(padding)}"
            )
        return "EXPLICIT", tuple(explicit)
    return _padding_str(padding), ()


def _padding_str(padding):
    if isinstance(padding, bytes):
        padding = padding.decode()
    if padding not in ("SAME", "VALID"):
        up = padding.upper() if isinstance(padding, str) else padding
        if up in ("SAME", "VALID"):
            return up
        raise ValueError(
            f"Value for attr 'padding' of \"{padding}\" is not in the list of "
            'allowed values: "SAME", "VALID"'
        )
    return padding


def _backprop(op, a, out_backprop, strides, padding, data_format, dilations, name, **sizes):
    """The public Conv*Backprop* wrappers: ``op(a, out_backprop)`` with the sizes attr."""
    padding, explicit = convert_padding(padding)
    a, dy = convert_pair(a, out_backprop)
    ((size_attr, value),) = sizes.items()
    return apply(
        op,
        a,
        dy,
        strides=tuple(int(s) for s in strides),
        padding=padding,
        explicit_paddings=explicit,
        data_format=data_format,
        dilations=tuple(int(d) for d in dilations),
        name=name,
        **{size_attr: _sizes(value)},
    )


def _sizes(value):
    if isinstance(value, Tensor):
        value = host_array(value)
    if hasattr(value, "as_list"):
        value = value.as_list()
    return tuple(int(v) for v in xp.asarray(value).reshape(-1).tolist())


def _expand(t, axis):
    from tensorlet.ops import array_ops

    return array_ops.expand_dims(t, axis)


def _squeeze(t, axis):
    from tensorlet.ops import array_ops

    return array_ops.squeeze(t, [axis])


# ---------------------------------------------------------------- public: conv1d/2d/3d


@tf_export("nn.conv2d")
def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):
    """2-D cross-correlation of NHWC ``input`` with ``filters`` [h, w, in, out].

    ``padding`` is "SAME" (extra row/column at the bottom/right), "VALID" or an explicit list
    ``[[0, 0], [top, bottom], [left, right], [0, 0]]``.
    """
    ch = 1 if data_format.startswith("NC") else 3
    padding, explicit = convert_padding(padding)
    x, f = convert_pair(input, filters)
    shape = x.shape.as_list() if x.shape.rank is not None else None
    if shape is not None and len(shape) > 4:  # extra batch dims: TF's squeeze_batch_dims
        x = _reshape(x, [-1] + shape[-3:])
    y = apply(
        conv2d_op,
        x,
        f,
        strides=tuple(get_sequence(strides, 2, ch, "strides")),
        padding=padding,
        explicit_paddings=explicit,
        data_format=data_format,
        dilations=tuple(get_sequence(dilations, 2, ch, "dilations")),
        name=name,
    )
    if shape is not None and len(shape) > 4:
        y = _reshape(y, shape[:-3] + y.shape.as_list()[1:])
    return y


def _reshape(t, shape):
    from tensorlet.ops import array_ops

    return array_ops.reshape(t, shape)


@tf_export("compat.v1.nn.conv2d")
def conv2d_v1(
    input,
    filter=None,
    strides=None,
    padding=None,
    use_cudnn_on_gpu=True,
    data_format="NHWC",
    dilations=[1, 1, 1, 1],  # noqa: B006 (TF's signature)
    name=None,
    filters=None,
):
    """TF1 conv2d: ``filter`` (or ``filters``), full-rank ``strides``."""
    return conv2d(
        input,
        filters if filters is not None else filter,
        strides,
        padding,
        data_format,
        dilations,
        name,
    )


@tf_export("nn.conv1d")
def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None, name=None):
    """1-D convolution: ``input`` [batch, width, in] and ``filters`` [w, in, out] through Conv2D."""
    if data_format is None or data_format in ("NHWC", "NWC"):
        data_format, spatial_start, ch = "NHWC", -3, 2
    elif data_format in ("NCHW", "NCW"):
        data_format, spatial_start, ch = "NCHW", -2, 1
    else:
        raise ValueError(
            f"`data_format` must be 'NWC' or 'NCW'. Received: data_format={data_format}"
        )
    strides = [1] + get_sequence(stride, 1, ch, "stride")
    dilations = [1] + get_sequence(dilations, 1, ch, "dilations")
    x, f = convert_pair(input, filters)
    x = _expand(x, spatial_start)
    f = _expand(f, 0)
    padding, explicit = convert_padding(padding, 3)
    if explicit:
        explicit = (0, 0) + explicit if ch == 2 else explicit[:4] + (0, 0) + explicit[4:]
    y = apply(
        conv2d_op,
        x,
        f,
        strides=tuple(strides),
        padding=padding,
        explicit_paddings=explicit,
        data_format=data_format,
        dilations=tuple(dilations),
    )
    return _squeeze(y, spatial_start)


@tf_export("nn.conv3d")
def conv3d(input, filters, strides, padding, data_format="NDHWC", dilations=None, name=None):
    """3-D convolution of NDHWC ``input`` with ``filters`` [d, h, w, in, out]."""
    if dilations is None:
        dilations = [1, 1, 1, 1, 1]
    x, f = convert_pair(input, filters)
    return apply(
        conv3d_op,
        x,
        f,
        strides=tuple(int(s) for s in strides),
        padding=_padding_str(padding),
        data_format=data_format,
        dilations=tuple(int(d) for d in dilations),
        name=name,
    )


@tf_export("nn.convolution")
def convolution(
    input, filters, strides=None, padding="VALID", data_format=None, dilations=None, name=None
):
    """N-D convolution (N = rank(filters) - 2); dilation > 1 runs on the space-to-batch form."""
    x, f = convert_pair(input, filters)
    n = (f.shape.rank if f.shape.rank is not None else x.shape.rank) - 2
    if n not in (1, 2, 3):
        raise ValueError(
            f"`filters.shape.rank - 2` must be 1, 2 or 3. Received: filters.shape={f.shape}"
        )
    cf = data_format is not None and data_format.startswith("NC")
    ch = 1 if cf else n + 1
    strides = get_sequence(strides, n, ch, "strides")
    dilations = get_sequence(dilations, n, ch, "dilations")
    sp = slice(2, None) if cf else slice(1, n + 1)
    if all(d == 1 for d in dilations):
        return _non_atrous(x, f, n, strides[sp], padding, data_format)
    if any(s != 1 for s in strides[sp]):
        raise ValueError(
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={strides[sp]} and dilation_rate={dilations[sp]}"
        )
    return with_space_to_batch(
        x,
        dilations[sp],
        padding,
        lambda inp, _, pad: _non_atrous(inp, f, n, [1] * n, pad, data_format),
        filter_shape=f.shape.as_list()[:n],
        data_format=data_format,
    )


def _non_atrous(x, f, n, strides, padding, data_format):
    if n == 1:
        return conv1d(x, f, strides, padding, data_format or "NWC")
    if n == 2:
        return conv2d(x, f, strides, padding, data_format or "NHWC")
    return conv3d(x, f, [1] + list(strides) + [1], padding, data_format or "NDHWC")


@tf_export("compat.v1.nn.convolution")
def convolution_v1(
    input,
    filter,
    padding,
    strides=None,
    dilation_rate=None,
    name=None,
    data_format=None,
    filters=None,
    dilations=None,
):
    """TF1 convolution: ``dilation_rate`` / ``filter`` spelling."""
    f = filters if filters is not None else filter
    d = dilations if dilations is not None else dilation_rate
    return convolution(input, f, strides, padding, data_format, d, name)


@tf_export("nn.atrous_conv2d")
def atrous_conv2d(value, filters, rate, padding, name=None):
    """Dilated (atrous) 2-D convolution, computed on the space-to-batch form (differentiable)."""
    rate = int(rate)
    if rate < 1:
        raise ValueError(f"rate {rate} cannot be less than one")
    return convolution(value, filters, padding=padding, dilations=[rate, rate])


@tf_export("nn.with_space_to_batch")
def with_space_to_batch(
    input, dilation_rate, padding, op, filter_shape=None, spatial_dims=None, data_format=None
):
    """Runs ``op`` on the space-to-batch form of ``input`` (TF's atrous trick)."""
    from tensorlet.ops import nn_impl

    x = convert_to_tensor(input)
    rate = [
        int(r)
        for r in (dilation_rate.numpy() if hasattr(dilation_rate, "numpy") else dilation_rate)
    ]
    n = len(rate)
    if all(r == 1 for r in rate):
        return op(x, n, padding)
    cf = data_format is not None and data_format.startswith("NC")
    if cf:
        raise ValueError("with_space_to_batch: channels-first data_format is not supported")
    if padding == "SAME":
        if filter_shape is None:
            raise ValueError(
                "`filter_shape` must be specified for `padding='SAME'`. "
                f"Received: filter_shape={filter_shape} and padding={padding}"
            )
        fs = [int(v) for v in filter_shape]
        eff = [k + (k - 1) * (r - 1) for k, r in zip(fs, rate)]
        base = [((e - 1) // 2, (e - 1) - (e - 1) // 2) for e in eff]
    elif padding == "VALID":
        base = [(0, 0)] * n
    else:
        raise ValueError(f"Invalid padding method {padding!r}")
    spatial = x.shape.as_list()[1 : 1 + n]
    paddings, crops = [], []
    for size, (pb, pa), r in zip(spatial, base, rate):
        extra = (r - (size + pb + pa) % r) % r
        paddings.append([pb, pa + extra])
        crops.append([0, extra])
    converted = nn_impl.space_to_batch_nd(x, rate, paddings)
    result = op(converted, n, "VALID")
    return nn_impl.batch_to_space_nd(result, rate, crops)


# ---------------------------------------------------------------- public: transposed


@tf_export("nn.conv2d_transpose")
def conv2d_transpose(
    input,
    filters,
    output_shape,
    strides,
    padding="SAME",
    data_format="NHWC",
    dilations=None,
    name=None,
):
    """Transposed 2-D convolution (the gradient of conv2d); ``filters`` is [h, w, out, in]."""
    ch = 1 if data_format.startswith("NC") else 3
    padding, explicit = convert_padding(padding)
    f, x = convert_pair(filters, input)
    return apply(
        conv2d_backprop_input_op,
        f,
        x,
        input_sizes=_sizes(output_shape),
        strides=tuple(get_sequence(strides, 2, ch, "strides")),
        padding=padding,
        explicit_paddings=explicit,
        data_format=data_format,
        dilations=tuple(get_sequence(dilations, 2, ch, "dilations")),
        name=name,
    )


@tf_export("nn.conv1d_transpose")
def conv1d_transpose(
    input,
    filters,
    output_shape,
    strides,
    padding="SAME",
    data_format="NWC",
    dilations=None,
    name=None,
):
    """Transposed 1-D convolution through Conv2DBackpropInput; ``filters`` is [w, out, in]."""
    if data_format is None or data_format in ("NWC", "NHWC"):
        data_format, spatial_start, ch = "NHWC", -3, 2
    elif data_format in ("NCW", "NCHW"):
        data_format, spatial_start, ch = "NCHW", -2, 1
    else:
        raise ValueError(
            f"`data_format` must be 'NWC' or 'NCW'. Received: data_format={data_format}"
        )
    strides = [1] + get_sequence(strides, 1, ch, "stride")
    dilations = [1] + get_sequence(dilations, 1, ch, "dilations")
    f, x = convert_pair(filters, input)
    x = _expand(x, spatial_start)
    f = _expand(f, 0)
    sizes = list(_sizes(output_shape))
    sizes.insert(spatial_start % 4, 1)
    y = apply(
        conv2d_backprop_input_op,
        f,
        x,
        input_sizes=tuple(sizes),
        strides=tuple(strides),
        padding=_padding_str(padding),
        explicit_paddings=(),
        data_format=data_format,
        dilations=tuple(dilations),
    )
    return _squeeze(y, spatial_start)


@tf_export("nn.conv3d_transpose")
def conv3d_transpose(
    input,
    filters,
    output_shape,
    strides,
    padding="SAME",
    data_format="NDHWC",
    dilations=None,
    name=None,
):
    """Transposed 3-D convolution; ``filters`` is [d, h, w, out, in]."""
    ch = 1 if data_format.startswith("NC") else 4
    f, x = convert_pair(filters, input)
    return apply(
        conv3d_backprop_input_op,
        f,
        x,
        input_sizes=_sizes(output_shape),
        strides=tuple(get_sequence(strides, 3, ch, "strides")),
        padding=_padding_str(padding),
        data_format=data_format,
        dilations=tuple(get_sequence(dilations, 3, ch, "dilations")),
        name=name,
    )


@tf_export("nn.conv_transpose")
def conv_transpose(
    input,
    filters,
    output_shape,
    strides,
    padding="SAME",
    data_format=None,
    dilations=None,
    name=None,
):
    """Transposed N-D convolution, N from ``output_shape``'s length."""
    n = len(_sizes(output_shape)) - 2
    fn = {1: conv1d_transpose, 2: conv2d_transpose, 3: conv3d_transpose}.get(n)
    if fn is None:
        raise ValueError(
            "`output_shape` must be of length 3, 4 or 5. Received: "
            f"output_shape={output_shape} of length {n + 2}"
        )
    kwargs = {} if data_format is None else {"data_format": data_format}
    return fn(input, filters, output_shape, strides, padding=padding, dilations=dilations, **kwargs)


@tf_export("nn.atrous_conv2d_transpose")
def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    """Transposed atrous convolution: space-to-batch, conv2d_transpose, batch-to-space."""
    from tensorlet.ops import nn_impl

    rate = int(rate)
    if rate < 1:
        raise ValueError(f"`rate` cannot be less than one. Received: rate={rate}")
    if rate == 1:
        return conv2d_transpose(value, filters, output_shape, 1, padding)
    f, v = convert_pair(filters, value)
    out = _sizes(output_shape)
    kh, kw = f.shape.as_list()[:2]
    if padding == "SAME":
        ph, pw = (kh - 1) * rate, (kw - 1) * rate
        pads = [(ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2)]
    elif padding == "VALID":
        pads = [(0, 0), (0, 0)]
    else:
        raise ValueError(f"padding must be either VALID or SAME. Received: padding={padding}")
    ins = [out[1 + i] + pads[i][0] + pads[i][1] for i in range(2)]
    extra = [(rate - n % rate) % rate for n in ins]
    v = nn_impl.space_to_batch_nd(v, [rate, rate], [[0, extra[0]], [0, extra[1]]])
    sizes = [v.shape[0], (ins[0] + extra[0]) // rate, (ins[1] + extra[1]) // rate, out[3]]
    y = conv2d_transpose(v, f, sizes, 1, "VALID")
    crops = [[pads[i][0], pads[i][1] + extra[i]] for i in range(2)]
    return nn_impl.batch_to_space_nd(y, [rate, rate], crops)


@tf_export("compat.v1.nn.conv2d_backprop_input")
def conv2d_backprop_input(
    input_sizes,
    filter=None,
    out_backprop=None,
    strides=None,
    padding=None,
    use_cudnn_on_gpu=True,
    data_format="NHWC",
    dilations=[1, 1, 1, 1],  # noqa: B006 (TF signature)
    name=None,
    filters=None,
):
    """The gradient of conv2d w.r.t. its input (TF1 name)."""
    return _backprop(
        conv2d_backprop_input_op,
        filters if filters is not None else filter,
        out_backprop,
        input_sizes=input_sizes,
        strides=strides,
        padding=padding,
        data_format=data_format,
        dilations=dilations,
        name=name,
    )


@tf_export("compat.v1.nn.conv2d_backprop_filter")
def conv2d_backprop_filter(
    input,
    filter_sizes,
    out_backprop,
    strides,
    padding,
    use_cudnn_on_gpu=True,
    data_format="NHWC",
    dilations=[1, 1, 1, 1],  # noqa: B006 (TF signature)
    name=None,
):
    """The gradient of conv2d w.r.t. its filter (TF1 name)."""
    return _backprop(
        conv2d_backprop_filter_op,
        input,
        out_backprop,
        filter_sizes=filter_sizes,
        strides=strides,
        padding=padding,
        data_format=data_format,
        dilations=dilations,
        name=name,
    )


# ---------------------------------------------------------------- public: depthwise/separable


@tf_export("nn.depthwise_conv2d")
def depthwise_conv2d(input, filter, strides, padding, data_format=None, dilations=None, name=None):
    """Depthwise 2-D convolution; output channel ``c * multiplier + m``.

    ``filter`` is [h, w, in_channels, channel_multiplier]; ``strides`` has length 4."""
    x, f = convert_pair(input, filter)
    fmt = data_format or "NHWC"
    ch = 1 if fmt.startswith("NC") else 3
    rate = get_sequence(dilations, 2, ch, "dilations") if dilations is not None else [1, 1, 1, 1]
    padding, explicit = convert_padding(padding)
    return apply(
        depthwise_op,
        x,
        f,
        strides=tuple(int(s) for s in strides),
        padding=padding,
        explicit_paddings=explicit,
        data_format=fmt,
        dilations=tuple(rate),
        name=name,
    )


@tf_export("nn.depthwise_conv2d_backprop_input")
def depthwise_conv2d_native_backprop_input(
    input_sizes,
    filter,
    out_backprop,
    strides,
    padding,
    data_format="NHWC",
    dilations=[1, 1, 1, 1],  # noqa: B006 (TF signature)
    name=None,
):
    """The gradient of depthwise_conv2d w.r.t. its input."""
    return _backprop(
        depthwise_backprop_input_op,
        filter,
        out_backprop,
        input_sizes=input_sizes,
        strides=strides,
        padding=padding,
        data_format=data_format,
        dilations=dilations,
        name=name,
    )


@tf_export("nn.depthwise_conv2d_backprop_filter")
def depthwise_conv2d_native_backprop_filter(
    input,
    filter_sizes,
    out_backprop,
    strides,
    padding,
    data_format="NHWC",
    dilations=[1, 1, 1, 1],  # noqa: B006 (TF signature)
    name=None,
):
    """The gradient of depthwise_conv2d w.r.t. its filter."""
    return _backprop(
        depthwise_backprop_filter_op,
        input,
        out_backprop,
        filter_sizes=filter_sizes,
        strides=strides,
        padding=padding,
        data_format=data_format,
        dilations=dilations,
        name=name,
    )


@tf_export("nn.separable_conv2d")
def separable_conv2d(
    input,
    depthwise_filter,
    pointwise_filter,
    strides,
    padding,
    data_format=None,
    dilations=None,
    name=None,
):
    """Depthwise convolution followed by a 1x1 (pointwise) Conv2D."""
    x, dw = convert_pair(input, depthwise_filter)
    pw = convert_to_tensor(pointwise_filter, dtype=x.dtype)
    ps = pw.shape.as_list()
    if ps[0] != 1 or ps[1] != 1:
        raise ValueError(
            f"Dimension 0 in both shapes must be equal, but are {ps[0]} and 1. "
            f"Shapes are [{ps[0]}] and [1]."
        )
    y = depthwise_conv2d(x, dw, strides, padding, data_format, dilations)
    fmt = data_format or "NHWC"
    return apply(
        conv2d_op,
        y,
        pw,
        strides=(1, 1, 1, 1),
        padding="VALID",
        explicit_paddings=(),
        data_format=fmt,
        dilations=(1, 1, 1, 1),
        name=name,
    )
