"""Reductions and scans: reduce_sum/mean/prod/max/min/all/any, euclidean norm, argmax/argmin,
cumsum/cumprod/cumulative_logsumexp, and their composites (logsumexp, variance, std,
count_nonzero). TF keeps these in math_ops; they are one family here.

TF semantics matched on purpose: integer ``reduce_mean`` truncates toward zero without overflow
(the sum is taken in a wider type), integer ``reduce_sum``/``reduce_prod`` wrap, ``reduce_max``
/``reduce_min`` propagate NaN while ``argmax``/``argmin`` ignore it, empty reductions give the
reduction's identity (max: -inf / INT_MIN), and the max/min gradient is split equally among ties.
"""

import math

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop, dtype_mismatch

D = dtypes

# ---------------------------------------------------------------- dtype and shape rules

# fmt: off
# TF's `numbertypes` / `realnumbertypes` in its op-def order (the order of its error messages)
_NUMBER = (D.float32, D.float64, D.int32, D.uint8, D.int16, D.int8, D.complex64, D.int64,
           D.bfloat16, D.uint16, D.complex128, D.float16, D.uint32, D.uint64)
_NUMBER_NAMES = ("float, double, int32, uint8, int16, int8, complex64, int64, qint8, quint8, "
                 "qint32, bfloat16, qint16, quint16, uint16, complex128, half, uint32, uint64")
_REAL = tuple(d for d in _NUMBER if not d.is_complex)
_REAL_NAMES = ("float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
               "uint32, uint64, qint8, quint8, qint32, qint16, quint16")
_FLOAT_NAMES = "half, float, double"
_TF_NAME = {"float32": "float", "float64": "double", "float16": "half"}
# fmt: on


def invalid(op_name, message):
    """TF's InvalidArgumentError for op ``op_name``."""
    return errors.op_error(errors.InvalidArgumentError, op_name, message)


def type_rule(allowed, names, out=None):
    """Input 0's dtype must be in ``allowed`` (TF's message lists ``names``); output: it or ``out``."""
    outs = {d: ((out if out is not None else d),) for d in allowed}

    def rule(op, inputs, attrs):
        r = outs.get(inputs[0].dtype)
        if r is None:
            d = inputs[0].dtype
            raise invalid(op.name, f"Value for attr 'T' of {_TF_NAME.get(d.name, d.name)} is not "
                                   f"in the list of allowed values: {names}\n\t; NodeDef: "
                                   f"{{{{node {op.name}}}}}")  # fmt: skip
        return r

    return rule


def _bool_rule(op, inputs, attrs):
    d = inputs[0].dtype
    if d is not D.bool:
        raise dtype_mismatch(op, 0, D.bool, d)
    return (D.bool,)


def _arg_shape(op, inputs, attrs):
    """ArgMax/ArgMin: input shape without ``axis``."""
    shape, axis = inputs[0].shape, attrs["axis"]
    if shape.rank is None:
        return (TensorShape(None),)
    rank = shape.rank
    if not -rank <= axis < rank:
        raise invalid(op.name, f"Expected dimension in the range [{-rank}, {rank}), but got {axis}")
    dims = list(shape)
    del dims[axis % rank]
    return (TensorShape(dims),)


def _scan_shape(op, inputs, attrs):
    shape, axis = inputs[0].shape, attrs["axis"]
    rank = shape.rank
    if rank is not None and not -rank <= axis < max(rank, 1):
        raise invalid(op.name, f"Expected scan axis in the range [{-rank}, {rank}), but got {axis}")
    return (shape,)


# ---------------------------------------------------------------- kernels

_F16 = xp.dtype(xp.float16)


def _norm_axes(axis, rank):
    """An ``axis`` attr (None, int or tuple) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(rank))
    if not rank:
        return ()
    return tuple(sorted({a % rank for a in (axis if isinstance(axis, tuple) else (axis,))}))


def _count(shape, axis):
    """Number of elements reduced into each output element."""
    n = 1
    for a in _norm_axes(axis, len(shape)):
        n *= shape[a]
    return n


def _half_sum(x, axis, keepdims):
    """float16 sum the way TF's CPU kernel rounds it: 32 float16 lanes, summed in float32.

    (Eigen accumulates half packets lane by lane; ``reduce_sum`` of 1000 x 0.1 is 99.75 in TF.)
    The lanes are used for reductions over trailing axes, where the reduced elements are
    contiguous. Overflow to inf is silent, as in TF.
    """
    axes = _norm_axes(axis, x.ndim)
    with xp.errstate(over="ignore"):
        if x.size < 32 or not axes or axes != tuple(range(x.ndim - len(axes), x.ndim)):
            return xp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
        lead = x.shape[: x.ndim - len(axes)]
        rows = x.reshape(_prod(lead), -1)
        v = rows.shape[1] - rows.shape[1] % 32
        lanes = xp.add.reduce(rows[:, :v].reshape(rows.shape[0], v // 32, 32), axis=1)
        tail = xp.add.reduce(rows[:, v:], axis=1, dtype=_F16)
        out = (lanes.astype(xp.float32).sum(axis=1) + tail).astype(_F16)
    return out.reshape(lead + (1,) * len(axes) if keepdims else lead)


def _sum_forward(x, axis, keepdims):
    if x.dtype == _F16:
        return _half_sum(x, axis, keepdims)
    return xp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _mean_forward(x, axis, keepdims):
    n = _count(x.shape, axis)
    if x.dtype.kind in "iu":
        return _int_mean(x, axis, keepdims, n)
    s = _sum_forward(x, axis, keepdims)
    if n:
        return s / n
    with xp.errstate(invalid="ignore", divide="ignore"):  # empty: 0 / 0 is NaN, as in TF
        return s / n


def _int_mean(x, axis, keepdims, n):
    """Integer mean truncated toward zero, exact (no overflow) like TF's kernel."""
    if n == 0:
        return xp.zeros(xp.sum(x, axis=axis, keepdims=keepdims).shape, x.dtype)
    if x.dtype.itemsize < 8:
        s = xp.sum(x, axis=axis, keepdims=keepdims, dtype=xp.int64)
        q = s // n
        return q + ((q < 0) & (q * n != s))
    # 64-bit: floor(mean) = sum(x // n) + sum(x % n) // n, then truncate toward zero
    q = xp.sum(x // n, axis=axis, keepdims=keepdims, dtype=x.dtype)
    r = xp.sum(x % n, axis=axis, keepdims=keepdims, dtype=x.dtype)
    m = q + r // n
    if x.dtype.kind == "i":
        m = m + ((m < 0) & (r % n != 0))
    return m


def _lowest(dt):
    return xp.iinfo(dt).min if dt.kind in "iu" else -xp.inf


def _highest(dt):
    return xp.iinfo(dt).max if dt.kind in "iu" else xp.inf


def _prod_forward(x, axis, keepdims):
    return xp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _all_forward(x, axis, keepdims):
    return xp.all(x, axis=axis, keepdims=keepdims)


def _any_forward(x, axis, keepdims):
    return xp.any(x, axis=axis, keepdims=keepdims)


def _extremum(pick, init):
    def forward(x, axis, keepdims):
        if x.size == 0:
            return pick(x, axis=axis, keepdims=keepdims, initial=init(x.dtype))
        if x.dtype.kind == "V":  # bfloat16: NumPy warns on NaN; TF propagates it silently
            with xp.errstate(invalid="ignore"):
                return pick(x, axis=axis, keepdims=keepdims)
        return pick(x, axis=axis, keepdims=keepdims)

    return forward


_max_forward = _extremum(xp.max, _lowest)
_min_forward = _extremum(xp.min, _highest)


def _euclidean_norm_forward(x, axis, keepdims):
    if x.dtype.kind == "c":
        s = xp.sum((x * x.conj()).real, axis=axis, keepdims=keepdims)
        return xp.sqrt(s).astype(x.dtype)
    s = _sum_forward(x * x, axis, keepdims)
    if x.dtype.kind in "iu":
        return xp.floor(xp.sqrt(s.astype(xp.float64))).astype(x.dtype)
    return xp.sqrt(s)


def _arg_forward(pick, fill):
    def forward(x, axis, output_type):
        if x.shape[axis] == 0:
            dims = ",".join(str(d) for d in x.shape)
            name = "ArgMax" if pick is xp.argmax else "ArgMin"
            raise invalid(name, f"Reduction axis {axis} is empty in shape [{dims}]")
        if x.dtype.kind not in "iub":  # TF's arg reducers skip NaN
            nan = xp.isnan(x)
            if nan.any():
                x = xp.where(nan, fill, x)
        return pick(x, axis=axis)

    return forward


def _along(axis, ndim, sl):
    return (slice(None),) * (axis % ndim) + (sl,)


def _scan(accumulate, identity):
    def forward(x, axis, exclusive, reverse):
        if x.ndim == 0 or x.shape[axis] == 0:
            return x.copy()
        if reverse:
            x = xp.flip(x, axis)
        if exclusive:
            out = xp.empty_like(x)
            out[_along(axis, x.ndim, slice(0, 1))] = identity
            out[_along(axis, x.ndim, slice(1, None))] = accumulate(
                x[_along(axis, x.ndim, slice(0, -1))], axis
            )
        else:
            out = accumulate(x, axis)
        return xp.flip(out, axis) if reverse else out

    return forward


def _cumsum(x, axis):
    return xp.cumsum(x, axis=axis, dtype=x.dtype)


def _cumprod(x, axis):
    return xp.cumprod(x, axis=axis, dtype=x.dtype)


def _logcumsumexp(x, axis):
    if x.dtype.kind != "f":  # bfloat16 has no logaddexp loop
        return xp.logaddexp.accumulate(x.astype(xp.float32), axis=axis).astype(x.dtype)
    with xp.errstate(invalid="ignore"):
        return xp.logaddexp.accumulate(x, axis=axis)


# ---------------------------------------------------------------- gradients


def _axes_of(op):
    """The op's reduced axes as a sorted tuple of non-negative ints."""
    return _norm_axes(op.get_attr("axis"), op.inputs[0].shape.rank)


def _kept_shape(op):
    from tensorlet.ops import array_ops  # noqa: PLC0415 (import cycle)
    shape = array_ops.shape_ints(op.inputs[0])
    for a in _axes_of(op):
        shape[a] = 1
    return shape


def _keep(op, t):
    """``t`` (an output-shaped tensor) reshaped with the reduced axes kept as size 1."""
    from tensorlet.ops import array_ops

    if op.get_attr("keepdims"):
        return t
    return array_ops.reshape(t, _kept_shape(op))


def _sum_grad(op, dy):
    """Broadcasts dy back over the reduced axes."""
    from tensorlet.ops import array_ops  # noqa: PLC0415 (import cycle)
    return [broadcast_to_shape(_keep(op, dy), array_ops.shape_ints(op.inputs[0]))]


def broadcast_to_shape(t, shape):
    """``t`` broadcast to ``shape`` with tensorlet ops (so it is differentiable)."""
    from tensorlet.ops import array_ops, math_ops

    if list(t.shape) == list(shape):
        return t
    if hasattr(array_ops, "broadcast_to"):
        return array_ops.broadcast_to(t, shape)
    return math_ops.add(t, array_ops._zeros_of(shape, t.dtype))


def _mean_grad(op, dy):
    """Sum's gradient divided by the number of reduced elements."""
    from tensorlet.ops import math_ops

    from tensorlet.ops import array_ops  # noqa: PLC0415 (import cycle)

    n_in = math.prod(array_ops.shape_ints(op.inputs[0]))
    n_out = math.prod(array_ops.shape_ints(op.outputs[0]))
    factor = n_in // max(n_out, 1)
    g = _sum_grad(op, dy)[0]
    return [math_ops.divide(g, _scalar(factor, g.dtype))]


def _scalar(value, dtype):
    return convert_to_tensor(xp.asarray(value, dtype=dtype.as_numpy_dtype))


def _prod_grad(op, dy):
    """TF's _ProdGrad: products of all other entries via exclusive cumprods (handles zeros)."""
    from tensorlet.ops import array_ops, math_ops

    x = op.inputs[0]
    shape = x.shape.as_list()
    dy = broadcast_to_shape(_keep(op, dy), shape)
    reduced = list(_axes_of(op))
    other = [i for i in range(len(shape)) if i not in reduced]
    perm = reduced + other
    permuted = x if perm == sorted(perm) else array_ops.transpose(x, perm)
    reduced_num = _prod([shape[i] for i in reduced])
    other_num = _prod([shape[i] for i in other])
    flat = array_ops.reshape(permuted, [reduced_num, other_num])
    left = cumprod(flat, axis=0, exclusive=True)
    right = cumprod(flat, axis=0, exclusive=True, reverse=True)
    if x.dtype.is_complex:
        left, right = math_ops.conj(left), math_ops.conj(right)
    y = array_ops.reshape(math_ops.multiply(left, right), [shape[i] for i in perm])
    if perm != sorted(perm):
        y = array_ops.transpose(y, [perm.index(i) for i in range(len(perm))])
    return [math_ops.multiply(dy, y)]


def _prod(dims):
    n = 1
    for d in dims:
        n *= d
    return n


def _min_or_max_grad(op, dy):
    """Splits dy equally among the entries equal to the extremum (TF's _MinOrMaxGrad)."""
    from tensorlet.ops import math_ops

    x = op.inputs[0]
    y = _keep(op, op.outputs[0])
    dy = _keep(op, dy)
    indicators = math_ops.cast(math_ops.equal(y, x), dy.dtype)
    num_selected = reduce_sum(indicators, axis=_axes_of(op), keepdims=True)
    return [math_ops.multiply(math_ops.divide(indicators, num_selected), dy)]


def _euclidean_norm_grad(op, dy):
    """Returns x / (norm / dy)."""
    from tensorlet.ops import math_ops

    y = _keep(op, op.outputs[0])
    dy = _keep(op, dy)
    return [math_ops.divide(op.inputs[0], math_ops.divide(y, dy))]


def _cumsum_grad(op, dy):
    """A cumsum of dy in the opposite direction."""
    axis, ex, rev = op.get_attr("axis"), op.get_attr("exclusive"), op.get_attr("reverse")
    return [cumsum(dy, axis=axis, exclusive=ex, reverse=not rev)]


def _cumprod_grad(op, dy):
    """TF's _CumprodGrad: reverse cumsum of prod * dy, divided by x (0 where x == 0)."""
    from tensorlet.ops import math_ops

    axis, ex, rev = op.get_attr("axis"), op.get_attr("exclusive"), op.get_attr("reverse")
    out = cumsum(math_ops.multiply(op.outputs[0], dy), axis=axis, exclusive=ex, reverse=not rev)
    return [math_ops.div_no_nan(out, op.inputs[0])]


def _cumulative_logsumexp_grad(op, dy):
    """TF's rule: positive and negative parts of dy handled in log space."""
    from tensorlet.ops import array_ops, math_ops

    x, y = op.inputs[0], op.outputs[0]
    axis, ex, rev = op.get_attr("axis"), op.get_attr("exclusive"), op.get_attr("reverse")
    low = _scalar(dy.dtype.min, dy.dtype)
    zero = _scalar(0, dy.dtype)
    log_pos = array_ops.where(math_ops.greater(dy, zero), math_ops.log(dy), low)
    log_neg = array_ops.where(math_ops.less(dy, zero), math_ops.log(math_ops.negative(dy)), low)

    def part(log_g):
        s = cumulative_logsumexp(
            math_ops.subtract(log_g, y), axis=axis, exclusive=ex, reverse=not rev
        )
        return math_ops.exp(math_ops.add(s, x))

    return [math_ops.subtract(part(log_pos), part(log_neg))]


# ---------------------------------------------------------------- ops

_NUM = type_rule(_NUMBER, _NUMBER_NAMES)
_RE = type_rule(_REAL, _REAL_NAMES)
_ARG = R.from_attr("output_type", allowed=_REAL + (D.bool,))
_LSE = type_rule((D.float16, D.float32, D.float64), _FLOAT_NAMES)
_red = R.reduced
# fmt: off
sum_op = defop("Sum", _sum_forward, dtype_rule=_NUM, shape_rule=_red, grad=_sum_grad)
mean_op = defop("Mean", _mean_forward, dtype_rule=_NUM, shape_rule=_red, grad=_mean_grad)
prod_op = defop("Prod", _prod_forward, dtype_rule=_NUM, shape_rule=_red, grad=_prod_grad)
max_op = defop("Max", _max_forward, dtype_rule=_RE, shape_rule=_red, grad=_min_or_max_grad)
min_op = defop("Min", _min_forward, dtype_rule=_RE, shape_rule=_red, grad=_min_or_max_grad)
euclidean_norm_op = defop("EuclideanNorm", _euclidean_norm_forward, dtype_rule=_NUM,
                          shape_rule=_red, grad=_euclidean_norm_grad)
all_op = defop("All", _all_forward, dtype_rule=_bool_rule, shape_rule=_red)
any_op = defop("Any", _any_forward, dtype_rule=_bool_rule, shape_rule=_red)
arg_max_op = defop("ArgMax", _arg_forward(xp.argmax, -xp.inf), dtype_rule=_ARG,
                   shape_rule=_arg_shape)
arg_min_op = defop("ArgMin", _arg_forward(xp.argmin, xp.inf), dtype_rule=_ARG,
                   shape_rule=_arg_shape)
cumsum_op = defop("Cumsum", _scan(_cumsum, 0), dtype_rule=_NUM, shape_rule=_scan_shape,
                  grad=_cumsum_grad)
cumprod_op = defop("Cumprod", _scan(_cumprod, 1), dtype_rule=_NUM, shape_rule=_scan_shape,
                   grad=_cumprod_grad)
cumulative_logsumexp_op = defop("CumulativeLogsumexp", _scan(_logcumsumexp, -xp.inf),
                                dtype_rule=_LSE, shape_rule=_scan_shape,
                                grad=_cumulative_logsumexp_grad)
# fmt: on


# ---------------------------------------------------------------- public API


def _axes(axis):
    """A Python ``axis`` attr: None, an int, or a tuple of ints (from lists, arrays, tensors)."""
    if axis is None or type(axis) is int:
        return axis
    from tensorlet.ops.array_ops import py_value  # tensors: eager or known while tracing

    axis = py_value(axis)
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    return int(axis)


def _reduce(op, input_tensor, axis, keepdims, name):
    return apply(
        op, convert_to_tensor(input_tensor), axis=_axes(axis), keepdims=bool(keepdims), name=name
    )


@tf_export("math.reduce_sum", "reduce_sum")
def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Sum of elements across ``axis`` (all axes when None); integers wrap around.

    Example:
        >>> tf.reduce_sum([[1, 2], [3, 4]], axis=1).numpy()
        array([3, 7], dtype=int32)
    """
    return _reduce(sum_op, input_tensor, axis, keepdims, name)


@tf_export("math.reduce_mean", "reduce_mean")
def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """Mean of elements across ``axis``; integer means truncate toward zero.

    Example:
        >>> int(tf.reduce_mean([-1, -2]))
        -1
    """
    return _reduce(mean_op, input_tensor, axis, keepdims, name)


@tf_export("math.reduce_prod", "reduce_prod")
def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """Product of elements across ``axis`` (1 for empty reductions)."""
    return _reduce(prod_op, input_tensor, axis, keepdims, name)


@tf_export("math.reduce_max", "reduce_max")
def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    """Maximum across ``axis``; NaN propagates, empty reductions give the lowest value (-inf)."""
    return _reduce(max_op, input_tensor, axis, keepdims, name)


@tf_export("math.reduce_min", "reduce_min")
def reduce_min(input_tensor, axis=None, keepdims=False, name=None):
    """Minimum across ``axis``; NaN propagates, empty reductions give the highest value (+inf)."""
    return _reduce(min_op, input_tensor, axis, keepdims, name)


@tf_export("math.reduce_all", "reduce_all")
def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    """Logical and across ``axis`` (bool tensors only)."""
    return _reduce(all_op, input_tensor, axis, keepdims, name)


@tf_export("math.reduce_any", "reduce_any")
def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    """Logical or across ``axis`` (bool tensors only)."""
    return _reduce(any_op, input_tensor, axis, keepdims, name)


@tf_export("math.reduce_euclidean_norm")
def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """sqrt(sum(x * conj(x))) across ``axis``."""
    return _reduce(euclidean_norm_op, input_tensor, axis, keepdims, name)


@tf_export("math.reduce_logsumexp", "reduce_logsumexp")
def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """log(sum(exp(x))) across ``axis``, computed stably: max + log(sum(exp(x - max))).

    A non-finite max is replaced by 0 (so all -inf gives -inf, not NaN); the max is a constant
    for the gradient, as in TF.
    """
    from tensorlet.ops import array_ops, math_ops

    x = convert_to_tensor(input_tensor)
    raw_max = reduce_max(x, axis=axis, keepdims=True)
    my_max = array_ops.stop_gradient(
        array_ops.where(math_ops.is_finite(raw_max), raw_max, array_ops.zeros_like(raw_max))
    )
    result = math_ops.log(
        reduce_sum(math_ops.exp(math_ops.subtract(x, my_max)), axis=axis, keepdims=keepdims)
    )
    if not keepdims:
        my_max = array_ops.reshape(my_max, result.shape.as_list())
    return math_ops.add(result, my_max, name=name)


@tf_export("math.reduce_variance")
def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """mean(|x - mean(x)|^2) across ``axis`` (floating or complex inputs)."""
    from tensorlet.ops import math_ops

    x = convert_to_tensor(input_tensor)
    means = reduce_mean(x, axis=axis, keepdims=True)
    if means.dtype.is_integer:
        raise TypeError(
            f"Input must be either real or complex. Received integer type {means.dtype}."
        )
    diff = math_ops.subtract(x, means)
    if diff.dtype.is_complex:
        sq = math_ops.real(math_ops.multiply(math_ops.conj(diff), diff))
    else:
        sq = math_ops.square(diff)
    return reduce_mean(sq, axis=axis, keepdims=keepdims, name=name)


@tf_export("math.reduce_std")
def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """sqrt(reduce_variance(x)) across ``axis``."""
    from tensorlet.ops import math_ops

    return math_ops.sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims), name=name)


@tf_export("math.count_nonzero")
def count_nonzero(input, axis=None, keepdims=None, dtype=D.int64, name=None):
    """Number of non-zero elements across ``axis`` (NaN counts as non-zero)."""
    from tensorlet.ops import math_ops

    x = convert_to_tensor(input)
    zero = convert_to_tensor(xp.zeros((), x.dtype.as_numpy_dtype))
    counts = reduce_sum(
        math_ops.cast(math_ops.not_equal(x, zero), D.int64), axis=axis, keepdims=bool(keepdims)
    )
    return math_ops.cast(counts, dtype, name=name)


def _arg(op, input, axis, output_type, name):
    x = convert_to_tensor(input)
    axis = 0 if axis is None else int(_axes(axis))
    return apply(op, x, axis=axis, output_type=D.as_dtype(output_type), name=name)


@tf_export("math.argmax", "argmax")
def argmax(input, axis=None, output_type=D.int64, name=None):
    """Index of the largest value along ``axis`` (default 0, not flattened); NaN is skipped.

    Example:
        >>> tf.math.argmax([[1, 9], [5, 2]]).numpy()
        array([1, 0])
    """
    return _arg(arg_max_op, input, axis, output_type, name)


@tf_export("math.argmin", "argmin")
def argmin(input, axis=None, output_type=D.int64, name=None):
    """Index of the smallest value along ``axis`` (default 0, not flattened); NaN is skipped."""
    return _arg(arg_min_op, input, axis, output_type, name)


def _scan_call(op, x, axis, exclusive, reverse, name):
    x = convert_to_tensor(x)
    attrs = {"axis": int(_axes(axis)), "exclusive": bool(exclusive), "reverse": bool(reverse)}
    return apply(op, x, **attrs, name=name)


@tf_export("math.cumsum", "cumsum")
def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative sum along ``axis``; ``exclusive`` starts from 0, ``reverse`` runs backwards.

    Example:
        >>> tf.math.cumsum([1, 2, 3, 4], exclusive=True, reverse=True).numpy()
        array([9, 7, 4, 0], dtype=int32)
    """
    return _scan_call(cumsum_op, x, axis, exclusive, reverse, name)


@tf_export("math.cumprod")
def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative product along ``axis``; ``exclusive`` starts from 1."""
    return _scan_call(cumprod_op, x, axis, exclusive, reverse, name)


@tf_export("math.cumulative_logsumexp")
def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative log(sum(exp(x))) along ``axis``; ``exclusive`` starts from -inf."""
    return _scan_call(cumulative_logsumexp_op, x, axis, exclusive, reverse, name)


# ---------------------------------------------------------------- TF1 signatures (tf.compat.v1)


def _deprecated_alias(new, old, new_name, old_name):
    if old is not None:
        if new is not None:
            raise ValueError(f"Cannot specify both '{new_name}' and '{old_name}'.")
        return old
    return new


def _v1_reduction(fn):
    """``fn`` with TF1's extra ``reduction_indices`` / ``keep_dims`` aliases."""

    def v1(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
           keep_dims=None):  # fmt: skip
        axis = _deprecated_alias(axis, reduction_indices, "axis", "reduction_indices")
        keepdims = _deprecated_alias(keepdims, keep_dims, "keepdims", "keep_dims")
        return fn(input_tensor, axis=axis, keepdims=bool(keepdims), name=name)

    v1.__name__ = v1.__qualname__ = fn.__name__ + "_v1"
    v1.__doc__ = f"TF1 ``{fn.__name__}``: also accepts ``reduction_indices`` and ``keep_dims``."
    return v1


for _fn in (reduce_sum, reduce_mean, reduce_prod, reduce_max, reduce_min, reduce_all, reduce_any,
            reduce_logsumexp):  # fmt: skip
    _n = _fn.__name__
    globals()[_n + "_v1"] = tf_export(f"compat.v1.{_n}", f"compat.v1.math.{_n}")(_v1_reduction(_fn))


@tf_export("compat.v1.argmax", "compat.v1.math.argmax")
def argmax_v1(input, axis=None, name=None, dimension=None, output_type=D.int64):
    """TF1 ``argmax``: ``dimension`` is an alias of ``axis`` (default 0)."""
    axis = _deprecated_alias(axis, dimension, "axis", "dimension")
    return argmax(input, axis=axis, output_type=output_type, name=name)


@tf_export("compat.v1.argmin", "compat.v1.math.argmin")
def argmin_v1(input, axis=None, name=None, dimension=None, output_type=D.int64):
    """TF1 ``argmin``: ``dimension`` is an alias of ``axis`` (default 0)."""
    axis = _deprecated_alias(axis, dimension, "axis", "dimension")
    return argmin(input, axis=axis, output_type=output_type, name=name)


@tf_export("compat.v1.count_nonzero", "compat.v1.math.count_nonzero")
def count_nonzero_v1(input_tensor=None, axis=None, keepdims=None, dtype=D.int64, name=None,
                     reduction_indices=None, keep_dims=None, input=None):  # fmt: skip
    """TF1 ``count_nonzero``: ``input_tensor`` / ``input`` and the TF1 axis aliases."""
    input_tensor = _deprecated_alias(input_tensor, input, "input_tensor", "input")
    axis = _deprecated_alias(axis, reduction_indices, "axis", "reduction_indices")
    keepdims = _deprecated_alias(keepdims, keep_dims, "keepdims", "keep_dims")
    return count_nonzero(input_tensor, axis=axis, keepdims=keepdims, dtype=dtype, name=name)
