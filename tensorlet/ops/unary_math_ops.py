"""Elementwise unary math: abs, sign, powers, exp/log, trigonometry, sigmoid/softplus, rounding.

Gradients follow TF's ``math_grad.py`` (special values included: ``abs'(0) = 0``,
``SqrtGrad`` returns 0 where the upstream gradient is 0, ``sign``'s gradient is zeros, rounding
ops have none). The ``*Grad`` ops (``SqrtGrad``, ``TanhGrad`` ...) are ops of their own, as in TF,
so second derivatives work.

TF's CPU kernels run with denormals flushed to zero (FTZ/DAZ). We emulate that only where it
changes results by more than a tolerance and the op is not a hot path (``floor``, ``ceil``,
``sign``): see ``daz32``.
"""
from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop

D = dtypes
_F, _C, _SI, _UI = R.FLOAT, R.COMPLEX, R.SIGNED_INT, R.UNSIGNED_INT
_FC = _F + _C
_TINY32 = 1.1754943508222875e-38   # smallest normal float32


def daz32(x):
    """float32 denormals read as (signed) zero, as TF's CPU kernels see them."""
    if x.dtype != xp.float32 or x.size == 0:
        return x
    m = xp.abs(x) < _TINY32
    if m.any():
        x = xp.where(m, x * xp.float32(0), x)
    return x


# ---------------------------------------------------------------- kernels

# smallest normal number: TF's CPU mode reads anything smaller as zero (float16 is computed in
# float32, where its denormals are normal)
_TINY = {xp.dtype(xp.float32): 1.1754943508222875e-38, xp.dtype(xp.float64): 2.2250738585072014e-308,
         xp.dtype(xp.float16): 5.960464477539063e-08}
# largest argument of exp that does not overflow
_EXP_MAX = {xp.dtype(xp.float16): 11.089866, xp.dtype(xp.float32): 88.72283,
            xp.dtype(xp.float64): 709.782712893384}


def _arr(v):
    """A writable array (ufuncs on 0-d arrays return NumPy scalars)."""
    return v if type(v) is xp.ndarray else xp.array(v)


def _sign(x):
    k = x.dtype.kind
    if k == "f":
        ax = xp.abs(x)
        # TF's vectorized sign returns |x| for (DAZ-)zero inputs: +0 for -0, |d| for denormals
        return xp.where(ax < _TINY.get(x.dtype, 0.0), ax, xp.sign(x))
    if k == "c":
        ax = xp.abs(x)
        return xp.where(ax == 0, xp.zeros((), x.dtype), x / xp.where(ax == 0, 1, ax))
    return xp.sign(x)


def _rsqrt(x):
    return 1 / xp.sqrt(x)


def _sigmoid(x):
    hi = _EXP_MAX.get(x.dtype)
    if hi is None:  # complex, bfloat16
        with xp.errstate(over="ignore"):
            return 1 / (1 + xp.exp(-x))
    t = _arr(xp.negative(x))       # 1 / (1 + exp(-x)), exp's argument capped below overflow
    xp.minimum(t, hi, out=t)
    xp.exp(t, out=t)
    t += 1
    xp.reciprocal(t, out=t)
    # below the smallest normal TF's result is 0 (flush to zero): sigmoid(-inf) * -inf is NaN
    return xp.where(t < _TINY[x.dtype], xp.zeros((), x.dtype), t)


def _softplus(x):
    # max(x, 0) + log1p(exp(-|x|)): within an ulp of TF's thresholded x / exp(x) / log(1+exp(x))
    t = _arr(xp.abs(x))
    xp.negative(t, out=t)
    xp.exp(t, out=t)
    xp.log1p(t, out=t)
    t += xp.maximum(x, 0)
    return t


def _softsign(x):
    return x / (1 + xp.abs(x))


def _round(x):
    return xp.round(x) if x.dtype.kind in "fc" else x


def _floor(x):
    return xp.floor(daz32(x))


def _ceil(x):
    return xp.ceil(daz32(x))


def _sqrt_grad(y, dy):
    with xp.errstate(divide="ignore", invalid="ignore"):
        return xp.where(dy == 0, xp.zeros((), dy.dtype), 0.5 * dy / xp.conj(y))


def _rsqrt_grad(y, dy):
    cy = xp.conj(y)
    with xp.errstate(invalid="ignore", over="ignore"):
        return xp.where(dy == 0, xp.zeros((), dy.dtype), -0.5 * dy * cy * cy * cy)


def _tanh_grad(y, dy):
    return dy * (1 - y * xp.conj(y)) if y.dtype.kind == "c" else dy * (1 - y * y)


def _sigmoid_grad(y, dy):
    return dy * y * (1 - y)


def _reciprocal_grad(y, dy):
    cy = xp.conj(y)
    return -dy * cy * cy


def _softplus_grad(dy, x):
    return dy * _sigmoid(x)


def _softsign_grad(dy, x):
    d = 1 + xp.abs(x)
    return dy / (d * d)


# ---------------------------------------------------------------- gradients

def _m():
    from tensorlet.ops import math_ops
    return math_ops


def _conj(x):
    return _m().conj(x) if x.dtype.is_complex else x


def _const(value, like):
    return EagerTensor(xp.asarray(value, like.dtype._np), like.dtype)


def _abs_grad(op, dy):
    """Returns dy * sign(x): 0 at x == 0."""
    return [dy * sign(op.inputs[0])]


def _complex_abs_grad(op, dy):
    m = _m()
    x, y = op.inputs[0], op.outputs[0]
    return [m.div_no_nan(m.complex(dy, _zeros_like(dy)) * x,
                         m.complex(y, _zeros_like(y)))]


def _zeros_like(x):
    from tensorlet.ops import array_ops
    return array_ops.zeros_like(x)


def _square_grad(op, dy):
    x = _conj(op.inputs[0])
    return [dy * (x * _const(2, x))]


def _sqrt_grad_fn(op, dy):
    return [apply(sqrt_grad_op, op.outputs[0], dy)]


def _sqrt_grad_grad(op, ddx):
    a, y = op.inputs[0], op.outputs[0]
    ga = ddx / a
    return [negative(_conj(ga)) * y, _const(0.5, ga) * ga]


def _rsqrt_grad_fn(op, dy):
    return [apply(rsqrt_grad_op, op.outputs[0], dy)]


def _rsqrt_grad_grad(op, ddx):
    a, b = op.inputs
    ca, cg = _conj(a), _conj(ddx)
    return [_const(-1.5, cg) * cg * b * square(ca), apply(rsqrt_grad_op, ca, ddx)]


def _exp_grad(op, dy):
    return [dy * _conj(op.outputs[0])]


def _expm1_grad(op, dy):
    return [dy * exp(_conj(op.inputs[0]))]


def _log_grad(op, dy):
    return [dy * reciprocal(_conj(op.inputs[0]))]


def _log1p_grad(op, dy):
    x = _conj(op.inputs[0])
    return [dy * reciprocal(_const(1, x) + x)]


def _sin_grad(op, dy):
    return [dy * cos(_conj(op.inputs[0]))]


def _cos_grad(op, dy):
    return [negative(dy) * sin(_conj(op.inputs[0]))]


def _tan_grad(op, dy):
    secx = reciprocal(cos(_conj(op.inputs[0])))
    return [square(secx) * dy]


def _one_minus_x2(x):
    return _const(1, x) - square(x)


def _asin_grad(op, dy):
    return [dy * reciprocal(sqrt(_one_minus_x2(_conj(op.inputs[0]))))]


def _acos_grad(op, dy):
    return [negative(dy) * reciprocal(sqrt(_one_minus_x2(_conj(op.inputs[0]))))]


def _atan_grad(op, dy):
    x = _conj(op.inputs[0])
    return [dy * reciprocal(_const(1, x) + square(x))]


def _sinh_grad(op, dy):
    return [dy * cosh(_conj(op.inputs[0]))]


def _cosh_grad(op, dy):
    return [dy * sinh(_conj(op.inputs[0]))]


def _tanh_grad_fn(op, dy):
    return [apply(tanh_grad_op, _conj(op.outputs[0]), dy)]


def _tanh_grad_grad(op, ddx):
    a, b = _conj(op.inputs[0]), _conj(op.inputs[1])
    return [ddx * _const(-2.0, ddx) * b * a, apply(tanh_grad_op, a, ddx)]


def _asinh_grad(op, dy):
    return [dy / cosh(_conj(op.outputs[0]))]


def _acosh_grad(op, dy):
    return [dy / sinh(_conj(op.outputs[0]))]


def _atanh_grad(op, dy):
    return [dy * reciprocal(_one_minus_x2(_conj(op.inputs[0])))]


def _sigmoid_grad_fn(op, dy):
    return [apply(sigmoid_grad_op, _conj(op.outputs[0]), dy)]


def _sigmoid_grad_grad(op, ddx):
    a, b = _conj(op.inputs[0]), _conj(op.inputs[1])
    gb = ddx * b
    return [gb - _const(2.0, gb) * gb * a, apply(sigmoid_grad_op, a, ddx)]


def _reciprocal_grad_fn(op, dy):
    return [apply(reciprocal_grad_op, op.outputs[0], dy)]


def _reciprocal_grad_grad(op, ddx):
    a, b = op.inputs
    ca, cg = _conj(a), _conj(ddx)
    return [cg * _const(-2.0, cg) * b * ca, apply(reciprocal_grad_op, ca, ddx)]


def _softplus_grad_fn(op, dy):
    return [apply(softplus_grad_op, dy, op.inputs[0])]


def _softplus_grad_grad(op, ddx):
    dy, x = op.inputs
    ddy = apply(softplus_grad_op, ddx, x)
    d2x = ddx * dy / (exp(negative(x)) + _const(2.0, x) + exp(x))
    return [ddy, d2x]


def _softsign_grad_fn(op, dy):
    return [apply(softsign_grad_op, dy, op.inputs[0])]


def _no_grad_registered(op, *dys):
    raise LookupError(f"gradient registry has no entry for: {op.type}")


def _sign_grad(op, dy):
    """Returns zeros (not None): TF's SignGrad."""
    x = op.inputs[0]
    return [_zeros_like(x)]


# ---------------------------------------------------------------- op table

def _unop(name, kernel, allowed, kernels=None, grad=None, out=None):
    return defop(name, kernel, dtype_rule=R.same_dtype(allowed, kernels, out),
                 shape_rule=R.unchanged, grad=grad)


def _gradop(name, kernel, allowed, grad=None):
    return defop(name, kernel, dtype_rule=R.same_dtype(allowed), shape_rule=R.broadcast,
                 grad=grad)


_UNARY = _F + _SI + _C                        # TF's UNARY() type list
abs_op = _unop("Abs", xp.abs, _F + _SI, grad=_abs_grad)
complex_abs_op = defop("ComplexAbs", lambda x, Tout: xp.abs(x), dtype_rule=R.from_attr("Tout", _C),
                       shape_rule=R.unchanged, grad=_complex_abs_grad)
neg_op = _unop("Neg", xp.negative, _UNARY, grad=lambda op, dy: [negative(dy)])
sign_op = _unop("Sign", _sign, _UNARY, grad=_sign_grad)
square_op = _unop("Square", xp.square, _F + _SI + _UI + _C, grad=_square_grad)
sqrt_op = _unop("Sqrt", xp.sqrt, _FC, grad=_sqrt_grad_fn)
rsqrt_op = _unop("Rsqrt", _rsqrt, _FC, grad=_rsqrt_grad_fn)
exp_op = _unop("Exp", xp.exp, _FC, grad=_exp_grad)
expm1_op = _unop("Expm1", xp.expm1, _FC, grad=_expm1_grad)
log_op = _unop("Log", xp.log, _FC, grad=_log_grad)
log1p_op = _unop("Log1p", xp.log1p, _FC, grad=_log1p_grad)
sin_op = _unop("Sin", xp.sin, _FC, grad=_sin_grad)
cos_op = _unop("Cos", xp.cos, _FC, grad=_cos_grad)
tan_op = _unop("Tan", xp.tan, _FC, grad=_tan_grad)
asin_op = _unop("Asin", xp.arcsin, _FC, grad=_asin_grad)
acos_op = _unop("Acos", xp.arccos, _FC, grad=_acos_grad)
atan_op = _unop("Atan", xp.arctan, _FC, grad=_atan_grad)
sinh_op = _unop("Sinh", xp.sinh, _FC, grad=_sinh_grad)
cosh_op = _unop("Cosh", xp.cosh, _FC, grad=_cosh_grad)
tanh_op = _unop("Tanh", xp.tanh, _FC, grad=_tanh_grad_fn)
asinh_op = _unop("Asinh", xp.arcsinh, _FC, grad=_asinh_grad)
acosh_op = _unop("Acosh", xp.arccosh, _FC, grad=_acosh_grad)
atanh_op = _unop("Atanh", xp.arctanh, _FC, grad=_atanh_grad)
sigmoid_op = _unop("Sigmoid", _sigmoid, _FC, grad=_sigmoid_grad_fn)
softplus_op = _unop("Softplus", _softplus, _F, grad=_softplus_grad_fn)
softsign_op = _unop("Softsign", _softsign, _F, grad=_softsign_grad_fn)
reciprocal_op = _unop("Reciprocal", xp.reciprocal, _UNARY, _FC, grad=_reciprocal_grad_fn)
round_op = _unop("Round", _round, _UNARY)
rint_op = _unop("Rint", xp.rint, _F)
floor_op = _unop("Floor", _floor, _F)
ceil_op = _unop("Ceil", _ceil, _F)
is_nan_op = _unop("IsNan", xp.isnan, _F, out=D.bool)
is_inf_op = _unop("IsInf", xp.isinf, _F, out=D.bool)
is_finite_op = _unop("IsFinite", xp.isfinite, _F, out=D.bool)

sqrt_grad_op = _gradop("SqrtGrad", _sqrt_grad, _FC, grad=_sqrt_grad_grad)
rsqrt_grad_op = _gradop("RsqrtGrad", _rsqrt_grad, _FC, grad=_rsqrt_grad_grad)
tanh_grad_op = _gradop("TanhGrad", _tanh_grad, _FC, grad=_tanh_grad_grad)
sigmoid_grad_op = _gradop("SigmoidGrad", _sigmoid_grad, _FC, grad=_sigmoid_grad_grad)
reciprocal_grad_op = _gradop("ReciprocalGrad", _reciprocal_grad, _FC, grad=_reciprocal_grad_grad)
softplus_grad_op = _gradop("SoftplusGrad", _softplus_grad, _F, grad=_softplus_grad_grad)
softsign_grad_op = _gradop("SoftsignGrad", _softsign_grad, _F, grad=_no_grad_registered)


# ---------------------------------------------------------------- public functions

def _t(x):
    return x if type(x) is EagerTensor or isinstance(x, Tensor) else convert_to_tensor(x)


@tf_export("math.abs", "abs")
def abs(x, name=None):
    """Absolute value element-wise; complex inputs give their magnitude (float)."""
    x = _t(x)
    if x.dtype.is_complex:
        return apply(complex_abs_op, x, Tout=x.dtype.real_dtype, name=name)
    return apply(abs_op, x, name=name)


def _unary(op, doc, *names):
    def fn(x, name=None):
        return apply(op, x if type(x) is EagerTensor else _t(x), name=name)

    fn.__name__ = fn.__qualname__ = names[0].split(".")[-1]
    fn.__doc__ = doc
    fn.__module__ = __name__
    return tf_export(*names)(fn)


negative = _unary(neg_op, "Computes -x element-wise.", "math.negative", "negative")
sign = _unary(sign_op, "Returns -1, 0 or 1 by the sign of x (NaN stays NaN; x/|x| for complex).",
              "math.sign", "sign")
square = _unary(square_op, "Computes x * x element-wise.", "math.square", "square")
sqrt = _unary(sqrt_op, "Computes the square root of x element-wise.", "math.sqrt", "sqrt")
rsqrt = _unary(rsqrt_op, "Computes 1 / sqrt(x) element-wise.", "math.rsqrt")
exp = _unary(exp_op, "Computes e^x element-wise.", "math.exp", "exp")
expm1 = _unary(expm1_op, "Computes e^x - 1 element-wise (accurate near 0).", "math.expm1")
log = _unary(log_op, "Computes the natural logarithm of x element-wise.", "math.log")
log1p = _unary(log1p_op, "Computes log(1 + x) element-wise (accurate near 0).", "math.log1p")
sin = _unary(sin_op, "Computes sine element-wise.", "math.sin", "sin")
cos = _unary(cos_op, "Computes cosine element-wise.", "math.cos", "cos")
tan = _unary(tan_op, "Computes tangent element-wise.", "math.tan", "tan")
asin = _unary(asin_op, "Computes arcsine element-wise.", "math.asin", "asin")
acos = _unary(acos_op, "Computes arccosine element-wise.", "math.acos", "acos")
atan = _unary(atan_op, "Computes arctangent element-wise.", "math.atan", "atan")
sinh = _unary(sinh_op, "Computes hyperbolic sine element-wise.", "math.sinh", "sinh")
cosh = _unary(cosh_op, "Computes hyperbolic cosine element-wise.", "math.cosh", "cosh")
tanh = _unary(tanh_op, "Computes hyperbolic tangent element-wise.", "math.tanh", "nn.tanh",
              "tanh")
asinh = _unary(asinh_op, "Computes inverse hyperbolic sine element-wise.", "math.asinh", "asinh")
acosh = _unary(acosh_op, "Computes inverse hyperbolic cosine element-wise.", "math.acosh",
               "acosh")
atanh = _unary(atanh_op, "Computes inverse hyperbolic tangent element-wise.", "math.atanh",
               "atanh")
sigmoid = _unary(sigmoid_op, "Computes 1 / (1 + exp(-x)) element-wise.", "math.sigmoid",
                 "nn.sigmoid", "sigmoid")
reciprocal = _unary(reciprocal_op, "Computes 1 / x element-wise.", "math.reciprocal")
rint = _unary(rint_op, "Rounds to the nearest integer, halves to even.", "math.rint")
floor = _unary(floor_op, "Rounds down to an integer-valued float.", "math.floor", "floor")
ceil = _unary(ceil_op, "Rounds up to an integer-valued float.", "math.ceil")
is_nan = _unary(is_nan_op, "Returns which elements of x are NaN.", "math.is_nan")
is_inf = _unary(is_inf_op, "Returns which elements of x are +-inf.", "math.is_inf")
is_finite = _unary(is_finite_op, "Returns which elements of x are finite.", "math.is_finite")


@tf_export("math.round", "round")
def round(x, name=None):
    """Rounds to the nearest integer, halves to even (``round(2.5) = 2``, ``round(-0.5) = -0``).

    Integer tensors are returned unchanged.
    """
    x = _t(x)
    if x.dtype.is_integer:
        return x
    return apply(round_op, x, name=name)


@tf_export("math.softplus", "nn.softplus")
def softplus(features, name=None):
    """Computes log(exp(features) + 1) element-wise, without overflow."""
    return apply(softplus_op, _t(features), name=name)


@tf_export("math.softsign", "nn.softsign")
def softsign(features, name=None):
    """Computes features / (abs(features) + 1) element-wise."""
    return apply(softsign_op, _t(features), name=name)


@tf_export("math.log_sigmoid")
def log_sigmoid(x, name=None):
    """Computes log(sigmoid(x)) = -softplus(-x) element-wise."""
    x = _t(x)
    return negative(softplus(negative(x)), name=name)


@tf_export("math.reciprocal_no_nan")
def reciprocal_no_nan(x, name=None):
    """Computes 1 / x, returning 0 where x is zero."""
    x = _t(x)
    return _m().div_no_nan(_const(1, x), x, name=name)


__all__ = [
    "abs",
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "ceil",
    "cos",
    "cosh",
    "exp",
    "expm1",
    "floor",
    "is_finite",
    "is_inf",
    "is_nan",
    "log",
    "log1p",
    "log_sigmoid",
    "negative",
    "reciprocal",
    "reciprocal_no_nan",
    "rint",
    "round",
    "rsqrt",
    "sigmoid",
    "sign",
    "sin",
    "sinh",
    "softplus",
    "softsign",
    "sqrt",
    "square",
    "tan",
    "tanh",
]
