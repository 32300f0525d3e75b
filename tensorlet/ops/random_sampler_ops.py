"""``tf.random`` gamma / poisson / binomial / parameterized truncated normal (ops + API).

Kernels are in ``random_samplers``; seeds follow ``random_ops`` (stateless seed scramble,
global/op seeds with the eager kernel cache). Gamma samples have TF's implicit
reparameterization gradients with respect to ``alpha`` and ``beta`` (``RandomGammaGrad``:
``d sample / d alpha = -(dP/dalpha) / (dP/dx)`` for the regularized incomplete gamma ``P``).
"""
from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import random_kernels as K
from tensorlet.ops import random_ops as R
from tensorlet.ops import random_samplers as S
from tensorlet.ops import shape_rules
from tensorlet.ops.op_def import apply, defop

D = dtypes
_FLOATS = (D.float16, D.float32, D.float64)


def _out_dtype(attr, allowed):
    return R._dtype_attr(attr, allowed)


def _shape_plus_param(op, inputs, attrs):
    """Gamma/poisson output shape: ``shape + param.shape``."""
    return (TensorShape(list(attrs["shape"]) + inputs[-1].shape.as_list()),)


def _invalid(op_name, fn, *args):
    try:
        return fn(*args)
    except ValueError as e:  # the samplers' parameter checks become TF's error
        raise errors.op_error(errors.InvalidArgumentError, op_name, str(e)) from None


# ---------------------------------------------------------------------- ops
def _random_gamma(alpha, seed, seed2, shape):
    n = R._num(shape) * alpha.size
    kc = R._reserve(("RandomGamma", seed, seed2, alpha.dtype.name), seed, seed2, K.stateful_skip(n))
    return S.gamma(*kc, shape, alpha, alpha.dtype)


def _stateless_gamma(seed, alpha, shape):
    kc = K.stateless_key_counter(R._seed_words("StatelessRandomGammaV2", seed))
    return S.gamma(*kc, shape, alpha, alpha.dtype)


def _gamma_sample_der_alpha(alpha, sample):
    """TF's RandomGammaGrad: d sample / d alpha at fixed quantile (tensorlet ops)."""
    from tensorlet.ops import math_ops as M
    from tensorlet.ops import special_math_ops as SM
    from tensorlet.ops import unary_math_ops as U

    d_cdf_d_alpha = apply(SM.igamma_grad_a_op, alpha, sample)
    log_pdf = M.subtract(M.multiply(M.subtract(alpha, 1.0), U.log(sample)),
                         M.add(sample, SM.lgamma(alpha)))
    return M.negative(M.multiply(d_cdf_d_alpha, U.exp(M.negative(log_pdf))))


def _gamma_grad(alpha_index):
    def grad(op, dy):
        from tensorlet.ops import array_ops as A
        from tensorlet.ops import reduction_ops as Red

        alpha, sample = op.inputs[alpha_index], op.outputs[0]
        n = len(op.attrs["shape"])
        alpha_b = A.reshape(alpha, [1] * n + A.shape_ints(alpha))
        partial = _gamma_sample_der_alpha(alpha_b, sample)
        g = dy * partial
        if n:
            g = Red.reduce_sum(g, axis=list(range(n)))
        out = [None] * len(op.inputs)
        out[alpha_index] = g
        return out

    return grad


random_gamma_op = defop("RandomGamma", _random_gamma, stateful=True,
                        dtype_rule=lambda op, inputs, attrs: (inputs[0].dtype,),
                        shape_rule=_shape_plus_param, grad=_gamma_grad(0))
stateless_gamma_op = defop("StatelessRandomGammaV2", _stateless_gamma,
                           dtype_rule=lambda op, inputs, attrs: (inputs[1].dtype,),
                           shape_rule=_shape_plus_param, grad=_gamma_grad(1))


def _rescale(samples, beta):
    tiny = xp.finfo(samples.dtype).tiny
    return xp.maximum(samples.dtype.type(tiny), (samples / beta).astype(samples.dtype))


# max(tiny, gamma / beta), which TF builds from RealDiv and Maximum
def _rescale_grad(op, dy):
    """max(tiny, samples / beta): through the division where the maximum took it."""
    from tensorlet.ops import comparison_ops as C
    from tensorlet.ops import math_ops as M

    samples, beta = op.inputs
    tiny = xp.finfo(samples.dtype.as_numpy_dtype).tiny
    mask = M.cast(C.greater(op.outputs[0], tiny), dy.dtype)
    g = M.multiply(dy, mask)
    return [M.divide(g, beta), M.negative(M.divide(M.multiply(g, samples), M.square(beta)))]


gamma_rescale_op = defop("TensorletGammaRescale", _rescale,
                         dtype_rule=lambda op, inputs, attrs: (inputs[0].dtype,),
                         shape_rule=shape_rules.broadcast, grad=_rescale_grad)


def _random_poisson(rate, seed, seed2, shape, dtype):
    n = R._num(shape) * rate.size
    key = ("RandomPoissonV2", seed, seed2, rate.dtype.name, dtype.name)
    kc = R._reserve(key, seed, seed2, K.stateful_skip(n))
    return S.poisson(*kc, shape, rate, R._np(dtype))


def _stateless_poisson(seed, lam, shape, dtype):
    kc = K.stateless_key_counter(R._seed_words("StatelessRandomPoisson", seed))
    return S.poisson(*kc, shape, lam, R._np(dtype))


_POISSON_OUT = _FLOATS + (D.int32, D.int64)
random_poisson_op = defop("RandomPoissonV2", _random_poisson, stateful=True,
                          dtype_rule=_out_dtype("dtype", _POISSON_OUT),
                          shape_rule=_shape_plus_param)
stateless_poisson_op = defop("StatelessRandomPoisson", _stateless_poisson,
                             dtype_rule=_out_dtype("dtype", _POISSON_OUT),
                             shape_rule=_shape_plus_param)


def _binomial(op_name, kc, counts, probs, shape, dtype):
    return _invalid(op_name, S.binomial, *kc, shape, counts, probs, R._np(dtype))


def _stateless_binomial(seed, counts, probs, shape, dtype):
    kc = K.stateless_key_counter(R._seed_words("StatelessRandomBinomial", seed))
    return _binomial("StatelessRandomBinomial", kc, counts, probs, shape, dtype)


def _generator_binomial(key, counter, counts, probs, shape, dtype):
    kc = K.key_counter_from_uint64(key, counter)
    return _binomial("StatefulRandomBinomial", kc, counts, probs, shape, dtype)


_BINOMIAL_OUT = _FLOATS + (D.int32, D.int64)
stateless_binomial_op = defop("StatelessRandomBinomial", _stateless_binomial,
                              dtype_rule=_out_dtype("dtype", _BINOMIAL_OUT),
                              shape_rule=R._shape_attr_rule)
# Generator.binomial: TF's StatefulRandomBinomial, here fed the key/counter read from the state
generator_binomial_op = defop("StatefulRandomBinomial", _generator_binomial,
                              dtype_rule=_out_dtype("dtype", _BINOMIAL_OUT),
                              shape_rule=R._shape_attr_rule)


def _stateless_ptn(seed, means, stddevs, minvals, maxvals, shape):
    kc = K.stateless_key_counter(R._seed_words("StatelessParameterizedTruncatedNormal", seed))
    return _invalid("StatelessParameterizedTruncatedNormal", S.parameterized_truncated_normal,
                    *kc, shape, means, stddevs, minvals, maxvals, means.dtype)


stateless_ptn_op = defop("StatelessParameterizedTruncatedNormal", _stateless_ptn,
                         dtype_rule=lambda op, inputs, attrs: (inputs[1].dtype,),
                         shape_rule=R._shape_attr_rule)


# ---------------------------------------------------------------------- API
def _gamma_params(alpha, beta, dtype):
    from tensorlet.ops import array_ops as A

    dtype = D.as_dtype(dtype)
    alpha = convert_to_tensor(alpha, dtype=dtype)
    beta = convert_to_tensor(beta if beta is not None else 1, dtype=dtype)
    shape = xp.broadcast_shapes(tuple(alpha.shape.as_list()), tuple(beta.shape.as_list()))
    if tuple(alpha.shape.as_list()) != shape:  # broadcast with an op: gradients reach alpha
        alpha = A.broadcast_to(alpha, list(shape))
    return alpha, beta


@tf_export("random.gamma")
def random_gamma(shape, alpha, beta=None, dtype=D.float32, seed=None, name=None):
    """Gamma(alpha, beta) samples of shape ``shape + broadcast(alpha, beta).shape``."""
    alpha, beta = _gamma_params(alpha, beta, dtype)
    s1, s2 = R._op_seeds(seed)
    samples = apply(random_gamma_op, alpha, seed=s1, seed2=s2, shape=R._shape_tuple(shape))
    return apply(gamma_rescale_op, samples, beta, name=name)


@tf_export("random.stateless_gamma")
def stateless_random_gamma(shape, seed, alpha, beta=None, dtype=D.float32, name=None):
    """Deterministic Gamma(alpha, beta) samples for ``seed``."""
    alpha, beta = _gamma_params(alpha, beta, dtype)
    samples = apply(stateless_gamma_op, convert_to_tensor(seed), alpha,
                    shape=R._shape_tuple(shape))
    return apply(gamma_rescale_op, samples, beta, name=name)


@tf_export("random.poisson")
def random_poisson(shape, lam, dtype=D.float32, seed=None, name=None):
    """Poisson(lam) samples of shape ``shape + lam.shape``."""
    lam = convert_to_tensor(lam, dtype_hint=D.float32)
    s1, s2 = R._op_seeds(seed)
    return apply(random_poisson_op, lam, seed=s1, seed2=s2, shape=R._shape_tuple(shape),
                 dtype=D.as_dtype(dtype), name=name)


@tf_export("random.stateless_poisson")
def stateless_random_poisson(shape, seed, lam, dtype=D.int32, name=None):
    """Deterministic Poisson(lam) samples for ``seed``."""
    return apply(stateless_poisson_op, convert_to_tensor(seed), convert_to_tensor(lam),
                 shape=R._shape_tuple(shape), dtype=D.as_dtype(dtype), name=name)


def _binomial_params(counts, probs):
    probs = convert_to_tensor(probs, dtype_hint=D.float32)
    return convert_to_tensor(counts, dtype_hint=probs.dtype), probs


@tf_export("random.stateless_binomial")
def stateless_random_binomial(shape, seed, counts, probs, output_dtype=D.int32, name=None):
    """Deterministic Binomial(counts, probs) samples; params broadcast to trailing dims."""
    counts, probs = _binomial_params(counts, probs)
    return apply(stateless_binomial_op, convert_to_tensor(seed), counts, probs,
                 shape=R._shape_tuple(shape), dtype=D.as_dtype(output_dtype), name=name)


def generator_binomial(key, counter, shape, counts, probs, dtype=D.int32, name=None):
    """``Generator.binomial`` given the key/counter tensors read from its state."""
    counts, probs = _binomial_params(counts, probs)
    return apply(generator_binomial_op, key, counter, counts, probs, shape=tuple(shape),
                 dtype=D.as_dtype(dtype), name=name)


@tf_export("random.stateless_parameterized_truncated_normal")
def stateless_parameterized_truncated_normal(shape, seed, means=0.0, stddevs=1.0, minvals=-2.0,
                                             maxvals=2.0, name=None):
    """Deterministic normal samples truncated to ``[minvals, maxvals]`` (params broadcast)."""
    params = [convert_to_tensor(p) for p in (means, stddevs, minvals, maxvals)]
    return apply(stateless_ptn_op, convert_to_tensor(seed), *params,
                 shape=R._shape_tuple(shape), name=name)
