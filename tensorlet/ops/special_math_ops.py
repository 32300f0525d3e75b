"""Special functions: erf/erfc and inverses, lgamma/digamma/polygamma/zeta, incomplete gamma and
beta, Bessel I0/I1, and ``tf.math.special`` (Dawson, Ei, Fresnel, Spence).

Kernels are in ``special_kernels`` (float64 NumPy, no SciPy); gradients follow TF's
``math_grad.py``. Two float32 quirks of TF's CPU kernels are reproduced: denormal inputs read as
zero (so ``digamma``/``ndtri`` of a denormal are those of +-0), and ``lgamma``/``expint`` of a
denormal go through glibc's ``logf`` of a flushed input, which returns log(2^-150).
"""
from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_conversion import args_to_matching, convert_to_tensor
from tensorlet.ops import bessel_kernels as B
from tensorlet.ops import shape_rules as R
from tensorlet.ops import special_kernels as K
from tensorlet.ops.op_def import apply, defop
from tensorlet.ops.unary_math_ops import daz32

D = dtypes
_F = R.FLOAT
_F32_64 = (D.float32, D.float64)
_TINY32 = 1.1754943508222875e-38
_LOGF_FLUSHED = 2.0 ** -150   # exp(glibc logf(x)) for a denormal x read under DAZ


def _glibc_denormal(x):
    """float32 denormals -> +-2^-150 (in float64): what TF's lgamma/expint effectively see."""
    if x.dtype != xp.float32 or x.size == 0:
        return x
    ax = xp.abs(x)
    m = (ax < _TINY32) & (ax > 0)
    x = x.astype(xp.float64)
    if m.any():
        x = xp.where(m, xp.copysign(_LOGF_FLUSHED, x), x)
    return x


def _expint_input(x):
    """TF computes exp(x) in the input type: Ei overflows to inf once exp(x) does, and
    Ei(inf) is NaN."""
    big = xp.log(xp.finfo(x.dtype).max) if x.dtype.kind == "f" else 709.782712893384
    x = _glibc_denormal(x)
    with xp.errstate(invalid="ignore"):
        return xp.where(x == xp.inf, xp.nan, xp.where(x > big, xp.inf, x))


def _in_f64(fn, prep=None):
    """A kernel computing ``fn`` in float64 (the op casts back to the input dtype)."""
    def kernel(*xs):
        if prep is not None:
            xs = [prep(x) for x in xs]
        return fn(*[xp.asarray(x, xp.float64) for x in xs])

    kernel.__name__ = fn.__name__
    return kernel


# ---------------------------------------------------------------- gradients

def _m():
    from tensorlet.ops import math_ops
    return math_ops


def _c(value, like):
    return EagerTensor(xp.asarray(value, like.dtype._np), like.dtype)


def _where(cond, x, y):
    from tensorlet.ops import array_ops
    return array_ops.where(cond, x, y)


def _erf_grad(op, dy):
    m, x = _m(), op.inputs[0]
    return [dy * _c(2 / xp.sqrt(xp.pi), dy) * m.exp(m.negative(m.square(x)))]


def _erfc_grad(op, dy):
    m, x = _m(), op.inputs[0]
    return [dy * _c(-2 / xp.sqrt(xp.pi), dy) * m.exp(m.negative(m.square(x)))]


def _erfinv_grad(op, dy):
    m = _m()
    return [dy * _c(xp.sqrt(xp.pi) / 2, dy) * m.exp(m.square(op.outputs[0]))]


def _ndtri_grad(op, dy):
    m, y = _m(), op.outputs[0]
    return [dy * _c(xp.sqrt(2 * xp.pi), dy) * m.exp(m.square(y) / _c(2.0, y))]


def _lgamma_grad(op, dy):
    return [dy * digamma(op.inputs[0])]


def _digamma_grad(op, dy):
    x = op.inputs[0]
    return [dy * polygamma(_c(1, x), x)]


def _polygamma_grad(op, dy):
    n, x = op.inputs
    return [None, dy * polygamma(n + _c(1, n), x)]


def _zeta_grad(op, dy):
    x, q = op.inputs
    return [None, dy * _m().negative(x) * zeta(x + _c(1, x), q)]


def _igamma_partials(op):
    m = _m()
    a, x = op.inputs
    partial_a = apply(igamma_grad_a_op, a, x)
    partial_x = m.exp(m.negative(x) + (a - _c(1, a)) * m.log(x) - lgamma(a))
    return partial_a, partial_x


def _igamma_grad(op, dy):
    pa, px = _igamma_partials(op)
    return [pa * dy, px * dy]


def _igammac_grad(op, dy):
    pa, px = _igamma_partials(op)
    return [_m().negative(pa * dy), _m().negative(px * dy)]


def _betainc_grad(op, dy):
    """Only d/dx (TF has no gradient for a and b)."""
    m = _m()
    a, b, x = op.inputs
    log_beta = lgamma(a) + lgamma(b) - lgamma(a + b)
    one = _c(1, a)
    partial_x = m.exp(m.xlog1py(b - one, m.negative(x)) + m.xlogy(a - one, x) - log_beta)
    return [None, None, dy * partial_x]


def _bessel_i0e_grad(op, dy):
    x, y = op.inputs[0], op.outputs[0]
    return [dy * (bessel_i1e(x) - _m().sign(x) * y)]


def _bessel_i1e_grad(op, dy):
    m = _m()
    x, y = op.inputs[0], op.outputs[0]
    d = _where(m.equal(x, _c(0, x)), m.cast(_c(0.5, x), x.dtype),
               bessel_i0e(x) - y * (m.sign(x) + m.reciprocal(x)))
    return [dy * d]


def _bessel_i0_grad(op, dy):
    return [dy * bessel_i1(op.inputs[0])]


def _bessel_i1_grad(op, dy):
    m = _m()
    x, y = op.inputs[0], op.outputs[0]
    d = _where(m.equal(x, _c(0, x)), _c(1, x), bessel_i0(x) - m.div_no_nan(y, x))
    return [dy * d]


def _bessel_k0_grad(op, dy):
    return [dy * _m().negative(bessel_k1(op.inputs[0]))]


def _bessel_k0e_grad(op, dy):
    return [dy * (op.outputs[0] - bessel_k1e(op.inputs[0]))]


def _bessel_k1_grad(op, dy):
    m, x, y = _m(), op.inputs[0], op.outputs[0]
    return [dy * (m.negative(bessel_k0(x)) - m.divide(y, x))]


def _bessel_k1e_grad(op, dy):
    m, x, y = _m(), op.inputs[0], op.outputs[0]
    return [dy * (y * (_c(1, x) - m.reciprocal(x)) - bessel_k0e(x))]


def _bessel_j0_grad(op, dy):
    return [dy * _m().negative(bessel_j1(op.inputs[0]))]


def _bessel_j1_grad(op, dy):
    m, x, y = _m(), op.inputs[0], op.outputs[0]
    d = _where(m.equal(x, _c(0, x)), _c(0.5, x), bessel_j0(x) - m.div_no_nan(y, x))
    return [dy * d]


def _bessel_y0_grad(op, dy):
    return [dy * _m().negative(bessel_y1(op.inputs[0]))]


def _bessel_y1_grad(op, dy):
    m, x, y = _m(), op.inputs[0], op.outputs[0]
    return [dy * (bessel_y0(x) - m.divide(y, x))]


def _dawsn_grad(op, dy):
    x, y = op.inputs[0], op.outputs[0]
    return [dy * (_c(1, x) - _c(2, x) * x * y)]


def _expint_grad(op, dy):
    x = op.inputs[0]
    return [dy * _m().exp(x) / x]


def _fresnel_cos_grad(op, dy):
    m, x = _m(), op.inputs[0]
    return [dy * m.cos(_c(xp.pi / 2, x) * m.square(x))]


def _fresnel_sin_grad(op, dy):
    m, x = _m(), op.inputs[0]
    return [dy * m.sin(_c(xp.pi / 2, x) * m.square(x))]


def _spence_grad(op, dy):
    m, x = _m(), op.inputs[0]
    partial = m.log(x) / (_c(1, x) - x)
    from tensorlet.ops import array_ops
    partial = _where(m.equal(x, _c(1, x)), m.negative(array_ops.ones_like(x)), partial)
    return [dy * partial]


def _no_grad_registered(op, *dys):
    raise LookupError(f"gradient registry has no entry for: {op.type}")


# ---------------------------------------------------------------- op table

def _unop(name, kernel, grad, allowed=_F):
    return defop(name, kernel, dtype_rule=R.same_dtype(allowed), shape_rule=R.unchanged,
                 grad=grad)


def _nop(name, kernel, grad):
    return defop(name, kernel, dtype_rule=R.same_dtype(_F32_64), shape_rule=R.broadcast,
                 grad=grad)


erf_op = _unop("Erf", _in_f64(K.erf), _erf_grad)
erfc_op = _unop("Erfc", _in_f64(K.erfc), _erfc_grad)
erfinv_op = _unop("Erfinv", _in_f64(K.erfinv), _erfinv_grad)
ndtri_op = _unop("Ndtri", _in_f64(K.ndtri, daz32), _ndtri_grad)
lgamma_op = _unop("Lgamma", _in_f64(K.lgamma, _glibc_denormal), _lgamma_grad)
digamma_op = _unop("Digamma", _in_f64(K.digamma, daz32), _digamma_grad)
bessel_i0e_op = _unop("BesselI0e", _in_f64(B.bessel_i0e), _bessel_i0e_grad)
bessel_i1e_op = _unop("BesselI1e", _in_f64(B.bessel_i1e), _bessel_i1e_grad)
bessel_i0_op = _unop("BesselI0", _in_f64(B.bessel_i0), _bessel_i0_grad)
bessel_i1_op = _unop("BesselI1", _in_f64(B.bessel_i1), _bessel_i1_grad)
bessel_j0_op = _unop("BesselJ0", _in_f64(B.bessel_j0), _bessel_j0_grad)
bessel_j1_op = _unop("BesselJ1", _in_f64(B.bessel_j1), _bessel_j1_grad)
bessel_y0_op = _unop("BesselY0", _in_f64(B.bessel_y0), _bessel_y0_grad)
bessel_y1_op = _unop("BesselY1", _in_f64(B.bessel_y1), _bessel_y1_grad)
bessel_k0_op = _unop("BesselK0", _in_f64(B.bessel_k0), _bessel_k0_grad)
bessel_k0e_op = _unop("BesselK0e", _in_f64(B.bessel_k0e), _bessel_k0e_grad)
bessel_k1_op = _unop("BesselK1", _in_f64(B.bessel_k1), _bessel_k1_grad)
bessel_k1e_op = _unop("BesselK1e", _in_f64(B.bessel_k1e), _bessel_k1e_grad)
dawsn_op = _unop("Dawsn", _in_f64(K.dawsn), _dawsn_grad)
expint_op = _unop("Expint", _in_f64(K.expint, _expint_input), _expint_grad)
fresnel_cos_op = _unop("FresnelCos", _in_f64(K.fresnel_cos), _fresnel_cos_grad)
fresnel_sin_op = _unop("FresnelSin", _in_f64(K.fresnel_sin), _fresnel_sin_grad)
spence_op = _unop("Spence", _in_f64(K.spence, daz32), _spence_grad)
polygamma_op = _nop("Polygamma", _in_f64(K.polygamma, daz32), _polygamma_grad)
zeta_op = _nop("Zeta", _in_f64(K.zeta), _zeta_grad)
igamma_op = _nop("Igamma", _in_f64(K.igamma), _igamma_grad)
igammac_op = _nop("Igammac", _in_f64(K.igammac), _igammac_grad)
igamma_grad_a_op = _nop("IgammaGradA", _in_f64(K.igamma_grad_a), _no_grad_registered)
betainc_op = _nop("Betainc", _in_f64(K.betainc), _betainc_grad)


# ---------------------------------------------------------------- public functions

def _unary(op, doc, *names):
    def fn(x, name=None):
        return apply(op, x if type(x) is EagerTensor else convert_to_tensor(x), name=name)

    fn.__name__ = fn.__qualname__ = names[0].split(".")[-1]
    fn.__doc__ = doc
    fn.__module__ = __name__
    return tf_export(*names)(fn)


erf = _unary(erf_op, "Gauss error function, element-wise.", "math.erf")
erfc = _unary(erfc_op, "Complementary error function 1 - erf(x), element-wise.", "math.erfc")
erfinv = _unary(erfinv_op, "Inverse error function (+-inf at +-1).", "math.erfinv", "erfinv")
ndtri = _unary(ndtri_op, "Inverse of the standard normal CDF.", "math.ndtri", "ndtri")
lgamma = _unary(lgamma_op, "log|Gamma(x)| element-wise.", "math.lgamma")
digamma = _unary(digamma_op, "Psi, the derivative of lgamma, element-wise.", "math.digamma")
bessel_i0e = _unary(bessel_i0e_op, "Exponentially scaled modified Bessel function I0.",
                    "math.bessel_i0e", "math.special.bessel_i0e")
bessel_i1e = _unary(bessel_i1e_op, "Exponentially scaled modified Bessel function I1.",
                    "math.bessel_i1e", "math.special.bessel_i1e")
bessel_i0 = _unary(bessel_i0_op, "Modified Bessel function of order 0.", "math.bessel_i0",
                   "math.special.bessel_i0")
bessel_i1 = _unary(bessel_i1_op, "Modified Bessel function of order 1.", "math.bessel_i1",
                   "math.special.bessel_i1")
bessel_j0 = _unary(bessel_j0_op, "Bessel function of the first kind of order 0.",
                   "math.special.bessel_j0")
bessel_j1 = _unary(bessel_j1_op, "Bessel function of the first kind of order 1.",
                   "math.special.bessel_j1")
bessel_y0 = _unary(bessel_y0_op, "Bessel function of the second kind of order 0.",
                   "math.special.bessel_y0")
bessel_y1 = _unary(bessel_y1_op, "Bessel function of the second kind of order 1.",
                   "math.special.bessel_y1")
bessel_k0 = _unary(bessel_k0_op, "Modified Bessel function of the second kind of order 0.",
                   "math.special.bessel_k0")
bessel_k0e = _unary(bessel_k0e_op, "Exponentially scaled modified Bessel function K0.",
                    "math.special.bessel_k0e")
bessel_k1 = _unary(bessel_k1_op, "Modified Bessel function of the second kind of order 1.",
                   "math.special.bessel_k1")
bessel_k1e = _unary(bessel_k1e_op, "Exponentially scaled modified Bessel function K1.",
                    "math.special.bessel_k1e")
dawsn = _unary(dawsn_op, "Dawson's integral exp(-x^2) * int_0^x exp(t^2) dt.",
               "math.special.dawsn")
expint = _unary(expint_op, "The exponential integral Ei(x).", "math.special.expint")
fresnel_cos = _unary(fresnel_cos_op, "Fresnel cosine integral int_0^x cos(pi t^2 / 2) dt.",
                     "math.special.fresnel_cos")
fresnel_sin = _unary(fresnel_sin_op, "Fresnel sine integral int_0^x sin(pi t^2 / 2) dt.",
                     "math.special.fresnel_sin")
spence = _unary(spence_op, "Spence's function int_1^x log(t) / (1 - t) dt.",
                "math.special.spence")


@tf_export("math.erfcinv")
def erfcinv(x, name=None):
    """Inverse of erfc: ``-ndtri(x / 2) * sqrt(1/2)``."""
    x = convert_to_tensor(x)
    half = EagerTensor(xp.asarray(0.5, x.dtype._np), x.dtype)
    root_half = EagerTensor(xp.asarray(xp.sqrt(0.5), x.dtype._np), x.dtype)
    m = _m()
    return m.negative(ndtri(half * x)) * root_half


@tf_export("math.polygamma")
def polygamma(a, x, name=None):
    """The n-th derivative of digamma, psi^(a)(x), for integer-valued a >= 0."""
    a, x = args_to_matching((a, x))
    return apply(polygamma_op, a, x, name=name)


@tf_export("math.zeta")
def zeta(x, q, name=None):
    """Hurwitz zeta function sum_k (q + k)^-x."""
    x, q = args_to_matching((x, q))
    return apply(zeta_op, x, q, name=name)


@tf_export("math.igamma")
def igamma(a, x, name=None):
    """Regularized lower incomplete gamma function P(a, x)."""
    a, x = args_to_matching((a, x))
    return apply(igamma_op, a, x, name=name)


@tf_export("math.igammac")
def igammac(a, x, name=None):
    """Regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x)."""
    a, x = args_to_matching((a, x))
    return apply(igammac_op, a, x, name=name)


@tf_export("math.betainc")
def betainc(a, b, x, name=None):
    """Regularized incomplete beta function I_x(a, b)."""
    a, b, x = args_to_matching((a, b, x))
    return apply(betainc_op, a, b, x, name=name)


@tf_export("math.lbeta")
def lbeta(x, name=None):
    """log|Beta(x)| over the last axis: sum(lgamma(x)) - lgamma(sum(x))."""
    from tensorlet.ops import reduction_ops
    x = convert_to_tensor(x)
    log_prod_gamma_x = reduction_ops.reduce_sum(lgamma(x), axis=[-1])
    sum_x = reduction_ops.reduce_sum(x, axis=[-1])
    return log_prod_gamma_x - lgamma(sum_x)


__all__ = ["bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e", "bessel_j0", "bessel_j1",
           "bessel_k0", "bessel_k0e", "bessel_k1", "bessel_k1e", "bessel_y0", "bessel_y1",
           "betainc", "dawsn", "digamma", "erf", "erfc", "erfcinv", "erfinv", "expint",
           "fresnel_cos", "fresnel_sin", "igamma", "igammac", "lbeta", "lgamma", "ndtri",
           "polygamma", "spence", "zeta"]
