"""Elementwise binary math, comparisons, logic and the arithmetic operators of ``tf.Tensor``.

Unary math lives in ``unary_math_ops``, casts and complex parts in ``cast_ops``, special
functions in ``special_math_ops``, bit operations in ``bitwise_ops``; the public functions of all
of them are re-exported here (``math_ops.exp``), as TF's ``math_ops`` does.

Operand conversion follows TF exactly (``tensor_conversion``): generated-op wrappers
(``tf.multiply``, ``tf.maximum``, ``tf.pow``, ``*``, ``-``, ``<``) convert the other operand to the
first tensor's dtype strictly (``tf.constant([1]) * 2.0`` is a TypeError), while ``tf.add``, ``+``
and ``/`` only use it as a hint, so mixed dtypes reach the op (``tf.constant(1) + 1.5`` is an
InvalidArgumentError).
"""
import builtins

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import (
    convert_pair,
    convert_pair_hint,
    convert_to_tensor,
)
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop

D = dtypes
_F, _C, _SI, _UI = R.FLOAT, R.COMPLEX, R.SIGNED_INT, R.UNSIGNED_INT
_INT = _SI + _UI
_REAL = _F + _INT
_ARITH = _F + _INT + _C                       # AddV2 / Sub / Mul / RealDiv / FloorDiv (op defs)
_MINMAX = _F + _INT                            # Maximum / Minimum / comparisons
_XLOGY = _F + _C


# ---------------------------------------------------------------- kernels

def _zero_division(y, op_name, cls, message):
    if not y.all():
        raise errors.op_error(cls, op_name, message)


def _floor_div(x, y):
    if x.dtype.kind in "iu":  # Python semantics: -7 // 2 == -4; INT_MIN // -1 wraps to INT_MIN
        _zero_division(y, "FloorDiv", errors.InvalidArgumentError, "Integer division by zero")
        with xp.errstate(over="ignore"):
            return xp.floor_divide(x, y)
    return xp.floor(xp.true_divide(x, y))  # TF: floor(x / y), so 5.0 // 0.0 = inf


_2_28 = float(2**28)


def _fmod(x, y):
    """C's fmod (exact, with the sign of x). NumPy's is slow (~15 ns per element): for float32
    and narrower, |x| - trunc(|x|/|y|) * |y| in float64 is exact while the quotient is < 2^28."""
    if x.dtype.kind != "f" or x.dtype.itemsize > 4 or (x.ndim == 0 and y.ndim == 0):
        with xp.errstate(invalid="ignore"):
            return xp.fmod(x, y)
    xd, yd = xp.broadcast_arrays(x.astype(xp.float64), y.astype(xp.float64))
    r, ay = xp.abs(xd), xp.abs(yd)
    with xp.errstate(all="ignore"):
        q = xp.divide(r, ay)
        xp.trunc(q, out=q)
        slow = ~((q < _2_28) & (ay < xp.inf))   # huge quotients, inf, nan, y == 0
        q *= ay
        r -= q                              # exact; q may be off by one next to an integer:
        m = r < 0                           # bring r back into [0, |y|) (arithmetic masks:
        xp.multiply(ay, m, out=q)           # np.where on data-dependent masks is ~10x slower)
        r += q
        xp.greater_equal(r, ay, out=m)
        xp.multiply(ay, m, out=q)
        r -= q
        xp.copysign(r, xd, out=r)
        if slow.any():
            r[slow] = xp.fmod(xd[slow], yd[slow])
    return r.astype(x.dtype)


def _floor_mod(x, y):
    if x.dtype.kind in "iu":
        _zero_division(y, "FloorMod", errors.InvalidArgumentError, "Integer division by zero")
        return xp.remainder(x, y)
    # TF: r = fmod(x, y), moved into y's sign when nonzero: keeps -0.0 % y == -0.0 and
    # gives 1 % -inf == -inf (NumPy's remainder differs on both)
    r = _fmod(x, y)
    fix = (r != 0) & ((y < 0) != (r < 0))
    if xp.isfinite(y).all():  # r + y where fix (without np.where's slow data-dependent mask)
        return xp.where(r == 0, r, r + y * fix)  # (keeps -0.0: -0.0 + 0.0 would be +0.0)
    return xp.where(fix, r + y, r)


_TRUNC_ERR = "Unexpected error in binary operator (only integer div and mod should have errors)"


def _truncate_div(x, y):
    if x.dtype.kind in "iu":
        _zero_division(y, "TruncateDiv", errors.InternalError, _TRUNC_ERR)
        with xp.errstate(over="ignore"):
            q = xp.floor_divide(x, y)
        if x.dtype.kind == "i":
            q = q + ((xp.remainder(x, y) != 0) & ((x < 0) != (y < 0))).astype(q.dtype)
        return q
    return xp.trunc(xp.true_divide(x, y))


def _truncate_mod(x, y):
    if x.dtype.kind in "iu":
        _zero_division(y, "TruncateMod", errors.InternalError, _TRUNC_ERR)
    return _fmod(x, y)


def _pow(x, y):
    if x.dtype.kind in "iu" and (y < 0).any():
        raise errors.op_error(errors.InvalidArgumentError, "Pow",
                              "Integers to negative integer powers are not allowed")
    return xp.power(x, y)


def _div_no_nan(x, y):
    y = daz32(y)  # TF sees a denormal divisor as 0 (flush-to-zero CPU mode)
    with xp.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return xp.where(y == 0, xp.zeros((), x.dtype), xp.true_divide(x, y))


def _mul_no_nan(x, y):
    return xp.where(y == 0, xp.zeros((), x.dtype), xp.multiply(x, y))


def _xlogy(x, y):
    return xp.where(x == 0, xp.zeros((), x.dtype), x * xp.log(y))


def _xlog1py(x, y):
    return xp.where(x == 0, xp.zeros((), x.dtype), x * xp.log1p(y))


def _xdivy(x, y):
    return xp.where(x == 0, xp.zeros((), x.dtype), xp.true_divide(x, y))


def _squared_difference(x, y):
    d = xp.subtract(x, y)
    return d * xp.conj(d) if d.dtype.kind == "c" else d * d


def _add_n(*xs):
    out = xs[0]
    for x in xs[1:]:
        out = out + x
    return out


# ---------------------------------------------------------------- dtype and shape rules

def _same_shapes(op, inputs, attrs):
    """AddN: every input has one shape (no broadcasting)."""
    shape = inputs[0].shape
    for i, t in enumerate(inputs[1:], 1):
        if not shape.is_compatible_with(t.shape):
            raise errors.op_error(
                errors.InvalidArgumentError, op.name,
                f"Inputs to operation AddN of type AddN must have the same size and shape.  "
                f"Input 0: {R._brackets(inputs[0].shape)} != input {i}: {R._brackets(t.shape)}")
        shape = shape.merge_with(t.shape)
    return (shape,)


# ---------------------------------------------------------------- gradients

def _where(cond, x, y):
    from tensorlet.ops import array_ops
    return array_ops.where(cond, x, y)


def _zeros_like(x):
    from tensorlet.ops import array_ops
    return array_ops.zeros_like(x)


def _conj(x):
    return conj(x) if x.dtype.is_complex else x


def _add_grad(op, dy):
    """Returns dy for both inputs (the tape un-broadcasts)."""
    return [dy, dy]


def _sub_grad(op, dy):
    return [dy, negative(dy)]


def _mul_grad(op, dy):
    x, y = op.inputs
    skip = op.skip_input_indices
    return [None if 0 in skip else multiply(dy, _conj(y)),
            None if 1 in skip else multiply(_conj(x), dy)]


def _real_div_grad(op, dy):
    """Returns dy / y and dy * (-x / y) / y."""
    x, y = _conj(op.inputs[0]), _conj(op.inputs[1])
    skip = op.skip_input_indices
    return [None if 0 in skip else realdiv(dy, y),
            None if 1 in skip else dy * realdiv(realdiv(negative(x), y), y)]


def _div_no_nan_grad(op, dy):
    x, y = _conj(op.inputs[0]), _conj(op.inputs[1])
    return [div_no_nan(dy, y), dy * div_no_nan(div_no_nan(negative(x), y), y)]


def _mul_no_nan_grad(op, dy):
    x, y = op.inputs
    return [apply(mul_no_nan_op, dy, y), apply(mul_no_nan_op, x, dy)]


def _floor_mod_grad(op, dy):
    """Returns dy and dy * -floor(x / y)."""
    x, y = _conj(op.inputs[0]), _conj(op.inputs[1])
    return [dy, dy * negative(floordiv(x, y))]


def _pow_grad(op, dy):
    """Returns dy * y * x^(y-1) and dy * z * log(x), with log(x) := 0 where x <= 0."""
    x, y = _conj(op.inputs[0]), _conj(op.inputs[1])
    z = _conj(op.outputs[0])
    skip = op.skip_input_indices
    gx = None if 0 in skip else dy * y * pow(x, y - _one(y))
    if 1 in skip:  # the exponent is a constant nobody differentiates: skip the log
        return [gx, None]
    mask = not_equal(x, _zero(x)) if x.dtype.is_complex else greater(x, _zero(x))
    safe_x = _where(mask, x, _ones_like(x))
    log_x = _where(mask, log(safe_x), _zeros_like(x))
    return [gx, dy * z * log_x]


def _one(t):
    return EagerTensor(xp.ones((), t.dtype._np), t.dtype)


def _zero(t):
    return EagerTensor(xp.zeros((), t.dtype._np), t.dtype)


def _ones_like(x):
    from tensorlet.ops import array_ops
    return array_ops.ones_like(x)


def _maximum_grad(op, dy):
    """Ties go to x: x gets dy where x >= y."""
    x, y = op.inputs
    mask = greater_equal(x, y)
    zeros = _zeros_like(dy)
    return [_where(mask, dy, zeros), _where(mask, zeros, dy)]


def _minimum_grad(op, dy):
    x, y = op.inputs
    mask = less_equal(x, y)
    zeros = _zeros_like(dy)
    return [_where(mask, dy, zeros), _where(mask, zeros, dy)]


def _squared_difference_grad(op, dy):
    x, y = op.inputs
    gx = scalar_mul(2.0, dy) * (x - y)
    return [gx, negative(gx)]


def _atan2_grad(op, dy):
    """y = inputs[0], x = inputs[1]: returns dy * x / (x^2 + y^2), dy * -y / (x^2 + y^2)."""
    y, x = op.inputs
    inv = dy / (square(x) + square(y))
    return [x * inv, negative(y) * inv]


def _not_zero(x):
    return cast(not_equal(x, _zero(x)), x.dtype)


def _xlogy_grad(op, dy):
    x, y = op.inputs
    return [apply(xlogy_op, _not_zero(x), y) * dy, apply(xdivy_op, x, y) * dy]


def _xlog1py_grad(op, dy):
    x, y = op.inputs
    return [apply(xlog1py_op, _not_zero(x), y) * dy, apply(xdivy_op, x, y + _one(y)) * dy]


def _xdivy_grad(op, dy):
    x, y = op.inputs
    return [apply(xdivy_op, _not_zero(x), y) * dy,
            apply(xdivy_op, negative(x), square(y)) * dy]


def _next_after_grad(op, dy):
    return [dy, _zeros_like(dy)]


def no_gradient_registered(op, *dys):
    """TF raises LookupError for ops without a registered gradient (e.g. TruncateMod)."""
    raise LookupError(f"gradient registry has no entry for: {op.type}")


# ---------------------------------------------------------------- op table

def _binop(name, kernel, allowed, kernels=None, grad=None, out=None):
    return defop(name, kernel, dtype_rule=R.same_dtype(allowed, kernels, out),
                 shape_rule=R.broadcast, grad=grad)


add_v2_op = _binop("AddV2", xp.add, _ARITH, grad=_add_grad)
add_op = _binop("Add", xp.add, _F + (D.uint8,) + _SI + _C + (D.string,), grad=_add_grad)
sub_op = _binop("Sub", xp.subtract, _ARITH, grad=_sub_grad)
mul_op = _binop("Mul", xp.multiply, _ARITH, grad=_mul_grad)
real_div_op = _binop("RealDiv", xp.true_divide, _ARITH, _F + _C, grad=_real_div_grad)
div_no_nan_op = _binop("DivNoNan", _div_no_nan, _F + _C, grad=_div_no_nan_grad)
mul_no_nan_op = _binop("MulNoNan", _mul_no_nan, _F + _C, grad=_mul_no_nan_grad)
floor_div_op = _binop("FloorDiv", _floor_div, _ARITH, _F + _INT)
floor_mod_op = _binop("FloorMod", _floor_mod, _F + _INT, grad=_floor_mod_grad)
truncate_div_op = _binop("TruncateDiv", _truncate_div, _ARITH, _F + _INT)
truncate_mod_op = _binop("TruncateMod", _truncate_mod, _F + _INT, grad=no_gradient_registered)
pow_op = _binop("Pow", _pow, _F + _SI + _C, grad=_pow_grad)
maximum_op = _binop("Maximum", xp.maximum, _MINMAX, grad=_maximum_grad)
minimum_op = _binop("Minimum", xp.minimum, _MINMAX, grad=_minimum_grad)
squared_difference_op = _binop("SquaredDifference", _squared_difference,
                               _F + (D.int32, D.int64) + _C, grad=_squared_difference_grad)
atan2_op = _binop("Atan2", xp.arctan2, _F, grad=_atan2_grad)
xlogy_op = _binop("Xlogy", _xlogy, _XLOGY, grad=_xlogy_grad)
xlog1py_op = _binop("Xlog1py", _xlog1py, _XLOGY, grad=_xlog1py_grad)
xdivy_op = _binop("Xdivy", _xdivy, _XLOGY, grad=_xdivy_grad)
next_after_op = _binop("NextAfter", xp.nextafter, (D.float32, D.float64), grad=_next_after_grad)
add_n_op = defop("AddN", _add_n, dtype_rule=R.same_dtype(_ARITH), shape_rule=_same_shapes,
                 grad=lambda op, dy: [dy] * len(op.inputs))


# ---------------------------------------------------------------- public functions

@tf_export("math.add", "add")
def add(x, y, name=None):
    """Returns x + y element-wise, with broadcasting (strings concatenate).

    ``y`` takes x's dtype only as a hint: ``tf.add(1, 2.5)`` is an InvalidArgumentError.
    """
    x, y = convert_pair_hint(x, y)
    if x.dtype is D.string:
        return apply(add_op, x, y, name=name)
    return apply(add_v2_op, x, y, name=name)


@tf_export("math.subtract", "subtract")
def subtract(x, y, name=None):
    """Returns x - y element-wise, with broadcasting."""
    x, y = convert_pair(x, y)
    return apply(sub_op, x, y, name=name)


@tf_export("math.multiply", "multiply")
def multiply(x, y, name=None):
    """Returns x * y element-wise, with broadcasting.

    Example:
      >>> tf.multiply(2, tf.constant(1.5)).numpy()
      3.0
    """
    x, y = convert_pair(x, y)
    return apply(mul_op, x, y, name=name)


_TRUEDIV_TABLE = {D.uint8: D.float32, D.int8: D.float32, D.uint16: D.float32,
                  D.int16: D.float32, D.uint32: D.float64, D.uint64: D.float64,
                  D.int32: D.float64, D.int64: D.float64, D.bfloat16: None, D.float16: None,
                  D.float32: None, D.float64: None, D.complex64: None, D.complex128: None}


@tf_export("math.truediv", "truediv")
def truediv(x, y, name=None):
    """Divides x / y elementwise; integers are cast first (int32/int64 to float64, smaller
    integers to float32), so ``tf.constant(7) / 2`` is 3.5 (float64)."""
    x, y = convert_pair_hint(x, y)
    xd, yd = x.dtype, y.dtype
    if xd is not yd:
        raise TypeError(f"`x` and `y` must have the same dtype, got {xd!r} != {yd!r}.")
    try:
        dtype = _TRUEDIV_TABLE[xd]
    except KeyError:
        raise TypeError(f"Invalid dtype {xd!r} in __truediv__. Expected one of "
                        f"{{{', '.join(repr(d) for d in _TRUEDIV_TABLE)}}}.") from None
    if dtype is not None:
        x, y = cast(x, dtype), cast(y, dtype)
    return apply(real_div_op, x, y, name=name)


@tf_export("math.divide", "divide")
def divide(x, y, name=None):
    """Computes Python style division of x by y (``x / y``)."""
    if not isinstance(x, Tensor):
        x = convert_to_tensor(x, dtype=y.dtype if isinstance(y, Tensor) else None)
    return truediv(x, y, name)


@tf_export("realdiv")
def realdiv(x, y, name=None):
    """Returns x / y element-wise for real (float/complex) types."""
    x, y = convert_pair(x, y)
    return apply(real_div_op, x, y, name=name)


@tf_export("math.divide_no_nan")
def div_no_nan(x, y, name=None):
    """Computes x / y, returning 0 where y is zero (even when x is 0, inf or NaN)."""
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype)
    return apply(div_no_nan_op, x, y, name=name)


divide_no_nan = div_no_nan


@tf_export("math.multiply_no_nan")
def multiply_no_nan(x, y, name=None):
    """Computes x * y, returning 0 where y is zero (even when x is inf or NaN)."""
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype)
    return apply(mul_no_nan_op, x, y, name=name)


@tf_export("math.floordiv")
def floordiv(x, y, name=None):
    """Divides x / y rounding toward the most negative integer (Python's ``//``)."""
    x, y = convert_pair(x, y)
    return apply(floor_div_op, x, y, name=name)


@tf_export("math.floormod", "math.mod")
def floormod(x, y, name=None):
    """Remainder of floor division, with the sign of y (Python's ``%``)."""
    x, y = convert_pair(x, y)
    return apply(floor_mod_op, x, y, name=name)


mod = floor_mod = floormod


@tf_export("truncatediv")
def truncatediv(x, y, name=None):
    """Divides x / y rounding toward zero (C semantics)."""
    x, y = convert_pair(x, y)
    return apply(truncate_div_op, x, y, name=name)


@tf_export("truncatemod")
def truncatemod(x, y, name=None):
    """Remainder of truncated division, with the sign of x (C's ``fmod``)."""
    x, y = convert_pair(x, y)
    return apply(truncate_mod_op, x, y, name=name)


@tf_export("math.pow", "pow")
def pow(x, y, name=None):
    """Computes x ** y element-wise; integers to negative powers raise InvalidArgumentError."""
    x, y = convert_pair(x, y)
    return apply(pow_op, x, y, name=name)


@tf_export("math.maximum", "maximum")
def maximum(x, y, name=None):
    """Returns max(x, y) element-wise (NaN propagates)."""
    x, y = convert_pair(x, y)
    return apply(maximum_op, x, y, name=name)


@tf_export("math.minimum", "minimum")
def minimum(x, y, name=None):
    """Returns min(x, y) element-wise (NaN propagates)."""
    x, y = convert_pair(x, y)
    return apply(minimum_op, x, y, name=name)


@tf_export("math.squared_difference")
def squared_difference(x, y, name=None):
    """Returns conj(x - y) * (x - y) element-wise."""
    x, y = convert_pair(x, y)
    return apply(squared_difference_op, x, y, name=name)


@tf_export("math.atan2", "atan2")
def atan2(y, x, name=None):
    """Element-wise arctangent of y / x, using the signs of both to pick the quadrant."""
    y, x = convert_pair(y, x)
    return apply(atan2_op, y, x, name=name)


@tf_export("math.xlogy")
def xlogy(x, y, name=None):
    """Returns 0 if x == 0, and x * log(y) otherwise."""
    x, y = convert_pair(x, y)
    return apply(xlogy_op, x, y, name=name)


@tf_export("math.xlog1py")
def xlog1py(x, y, name=None):
    """Returns 0 if x == 0, and x * log1p(y) otherwise."""
    x, y = convert_pair(x, y)
    return apply(xlog1py_op, x, y, name=name)


@tf_export("math.xdivy")
def xdivy(x, y, name=None):
    """Returns 0 if x == 0, and x / y otherwise."""
    x, y = convert_pair(x, y)
    return apply(xdivy_op, x, y, name=name)


@tf_export("math.nextafter")
def nextafter(x1, x2, name=None):
    """Returns the next representable value of x1 in the direction of x2."""
    x1, x2 = convert_pair(x1, x2)
    return apply(next_after_op, x1, x2, name=name)


@tf_export("math.add_n", "add_n")
def add_n(inputs, name=None):
    """Adds all input tensors element-wise (same dtype and shape, no broadcasting)."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices with "
                         "the same dtype and shape.")
    inputs = [convert_to_tensor(t) for t in inputs]
    if len(inputs) == 1:
        if name:
            from tensorlet.ops import array_ops
            return array_ops.identity(inputs[0], name=name)
        return inputs[0]
    return apply(add_n_op, *inputs, name=name)


@tf_export("math.accumulate_n")
def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """Deprecated alias of ``add_n`` (kept by TF 2 for compatibility)."""
    return add_n(inputs, name=name)


@tf_export("math.scalar_mul", "scalar_mul")
def scalar_mul(scalar, x, name=None):
    """Multiplies a scalar times a tensor (the scalar takes x's dtype)."""
    base = dtypes.as_dtype(x.dtype)
    scalar = convert_to_tensor(scalar, dtype=base)
    if scalar.shape.rank != 0:
        raise ValueError(f"The input scalar must be a 0-D value. Received shape {scalar.shape}.")
    if isinstance(x, IndexedSlices):  # stays sparse, as in TF (optimizers scale such gradients)
        return IndexedSlices(apply(mul_op, scalar, x.values), x.indices, x.dense_shape)
    return apply(mul_op, scalar, x if isinstance(x, Tensor) else convert_to_tensor(x),
                 name=name)


@tf_export("math.polyval")
def polyval(coeffs, x, name=None):
    """Evaluates ``coeffs[0] * x**(n-1) + ... + coeffs[n-1]`` by Horner's rule."""
    if not isinstance(coeffs, list):
        raise ValueError(  # noqa: TRY004 - TF's class
            f"Argument coeffs must be list type. Received type {type(coeffs)}.")
    x = convert_to_tensor(x)
    if not coeffs:
        return _zeros_like(x)
    coeffs = [convert_to_tensor(c) for c in coeffs]
    p = coeffs[0]
    for c in coeffs[1:]:
        p = c + p * x
    return p


# ---------------------------------------------------------------- Tensor operators

_STRING = D.string


def _add_operator(x, y):
    # the hottest path of the library: tensor + tensor goes straight to the op
    if type(y) is EagerTensor and x._dtype is not _STRING:
        return apply(add_v2_op, x, y)
    return _with_reflected_fallback(add, x, y, "__radd__")


_PLAIN_TYPES = (Tensor, builtins.int, builtins.float, builtins.complex, builtins.str,
                builtins.bytes, list, tuple, xp.ndarray, xp.generic)


def _with_reflected_fallback(fn, x, y, rname):
    """TF's binary_op_wrapper: if converting y fails, a tensor-aware y may implement the op."""
    try:
        return fn(x, y)
    except (TypeError, ValueError) as e:
        r = getattr(type(y), rname, None)
        if r is None or y is None or isinstance(y, _PLAIN_TYPES):
            raise
        try:
            out = r(y, x)
        except (TypeError, ValueError):
            raise e from None
        if out is NotImplemented:
            raise
        return out


def _operator(fn, name):
    rname = f"__r{name}__"

    def forward(x, y):
        if type(y) is EagerTensor:
            return fn(x, y)
        return _with_reflected_fallback(fn, x, y, rname)

    def reflected(y, x):  # ``x <op> y`` with y the tensor: x takes y's dtype strictly
        if not isinstance(x, Tensor):
            x = convert_to_tensor(x, dtype=y.dtype)
        return fn(x, y)

    forward.__name__, reflected.__name__ = f"__{name}__", rname
    return forward, reflected


def _fast_operator(op, fn, rname):
    """``x <op> y`` for the generated-op operators: tensor operands go straight to the op."""

    def forward(x, y):
        if type(y) is EagerTensor:
            return apply(op, x, y)
        return _with_reflected_fallback(fn, x, y, rname)

    return forward


def _and(x, y):
    if x.dtype is D.bool:
        return logical_and(x, y)
    return bitwise_ops.bitwise_and(x, y)


def _or(x, y):
    if x.dtype is D.bool:
        return logical_or(x, y)
    return bitwise_ops.bitwise_or(x, y)


def _xor(x, y):
    if x.dtype is D.bool:
        return logical_xor(x, y)
    return bitwise_ops.bitwise_xor(x, y)


def _invert(x):
    if x.dtype is D.bool:
        return logical_not(x)
    return bitwise_ops.invert(x)


def _install_operators():
    ops = [("add", add), ("sub", subtract), ("mul", multiply), ("truediv", truediv),
           ("floordiv", floordiv), ("mod", floormod), ("pow", pow), ("and", _and),
           ("or", _or), ("xor", _xor)]
    for name, fn in ops:
        fwd, ref = _operator(fn, name)
        Tensor._override_operator(f"__{name}__", fwd)
        Tensor._override_operator(f"__r{name}__", ref)
    Tensor._override_operator("__add__", _add_operator)
    Tensor._override_operator("__sub__", _fast_operator(sub_op, subtract, "__rsub__"))
    Tensor._override_operator("__mul__", _fast_operator(mul_op, multiply, "__rmul__"))
    for name, fn in [("lt", less), ("le", less_equal), ("gt", greater), ("ge", greater_equal)]:
        Tensor._override_operator(f"__{name}__", fn)
    Tensor._override_operator("__eq__", _tensor_equals)
    Tensor._override_operator("__ne__", _tensor_not_equals)
    Tensor._override_operator("__neg__", negative)
    Tensor._override_operator("__abs__", abs)
    Tensor._override_operator("__invert__", _invert)


# ---------------------------------------------------------------- the rest of TF's math_ops
# (imported last: those modules use this one's functions in their gradients)
from tensorlet.ops import bitwise_ops
from tensorlet.ops.cast_ops import angle, bitcast, cast, complex, conj, imag, real, saturate_cast  # noqa: F401
from tensorlet.ops.comparison_ops import *
from tensorlet.ops.comparison_ops import (
    _tensor_equals,
    _tensor_not_equals,
    greater,
    greater_equal,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    not_equal,
)
from tensorlet.ops.special_math_ops import *
from tensorlet.ops.unary_math_ops import *
from tensorlet.ops.unary_math_ops import abs, daz32, log, negative, square

_install_operators()
