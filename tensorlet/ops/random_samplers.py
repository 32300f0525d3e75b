"""TF's rejection samplers (gamma, poisson, binomial, parameterized truncated normal).

Pure kernels on ``(key, counter)`` like ``random_kernels``; they mirror
tensorlet's reading of random_gamma_op.cc, random_poisson_op.cc,
random_binomial_op.cc and parameterized_truncated_normal_op.cc (CPU, one
intra-op thread). Each output element of gamma/poisson/binomial has its own
Philox sub-stream at ``counter + skip * output_index`` and consumes whole
calls; the loops per element are inherently sequential (rejection), so words
are prefetched in bulk and the per-element logic runs on Python floats, which
use the same libm as TF's double arithmetic.
"""
import math

from tensorlet.backend import xp
from tensorlet.ops import random_kernels as K

__all__ = ["batch_layout", "binomial", "gamma", "parameterized_truncated_normal", "poisson"]

_PREFETCH = 2  # Philox calls fetched per element up front (most samples need 1-2)
_MAX_ITERATIONS = 1000  # parameterized truncated normal's kMaxIterations
_RANDN_BOUND = 1.3  # kStdDevsInsideBoundsToUseRandnSampler


class _Stream:
    """One sequential Philox stream: yields calls (4 words) starting at ``counter + start``."""

    def __init__(self, key, counter, start, prefetched=()):
        self.key, self.counter, self.next = key, counter, start + len(prefetched)
        self.buf = list(prefetched)

    def call(self):
        if not self.buf:
            self.buf = K.philox(self.key, self.counter, 8, self.next).tolist()
            self.next += 8
        return self.buf.pop(0)


def _streams(key, counter, starts):
    """Streams starting at ``counter + starts[i]``, their first calls fetched at once."""
    starts = xp.asarray(starts, dtype=xp.uint64).reshape(-1)
    if starts.size == 0:
        return []
    off = starts[:, None] + xp.arange(_PREFETCH, dtype=xp.uint64)
    first = K.philox_at(key, counter, off).tolist()
    return [_Stream(key, counter, int(s), f) for s, f in zip(starts.tolist(), first)]


def _per_output(n, skip):
    return xp.arange(n, dtype=xp.uint64) * xp.uint64(skip)


def _u64_double(x0, x1):
    return (((x0 & 0xFFFFF) << 32) | x1) / 4503599627370496.0  # exact: mantissa * 2**-52


class _Draws:
    """TF's ``UNIFORM(x)`` macro (double, last element first) and a double normal source."""

    def __init__(self, stream):
        self.stream, self.uniforms, self.normals = stream, [], []

    def uniform(self):
        if not self.uniforms:
            w = self.stream.call()
            self.uniforms = [_u64_double(w[0], w[1]), _u64_double(w[2], w[3])]
        return self.uniforms.pop()

    def normal(self):
        if not self.normals:
            w = self.stream.call()
            u1 = max(_u64_double(w[0], w[1]), 1e-7)
            v1 = 2 * math.pi * _u64_double(w[2], w[3])
            r = math.sqrt(-2.0 * math.log(u1))
            self.normals = [math.sin(v1) * r, math.cos(v1) * r]
        return self.normals.pop()


def batch_layout(shape, param_shape):
    """``(num_batches, samples_per_batch)`` when ``shape`` ends with the params' shape."""
    shape, param_shape = tuple(shape), tuple(param_shape)
    if param_shape and shape[len(shape) - len(param_shape):] != param_shape:
        raise ValueError("Shape passed in must end with broadcasted shape.")
    batches = math.prod(param_shape)
    return batches, (math.prod(shape) // batches if batches else 0)


def _scatter(values, num_batches, per_batch):
    """Element ``i = batch * per_batch + sample`` goes to ``sample * num_batches + batch``."""
    i = xp.arange(len(values))
    out = xp.empty(len(values), dtype=xp.float64)
    out[(i % max(per_batch, 1)) * num_batches + i // max(per_batch, 1)] = values
    return out


# ------------------------------------------------------------------------ gamma
def _gamma_one(alpha, draws):
    if alpha == 1.0:
        return -math.log1p(-draws.uniform())
    below_one = alpha < 1
    d = alpha + (2.0 / 3 if below_one else -1.0 / 3)
    c = 1.0 / 3 / math.sqrt(d)
    while True:  # Marsaglia-Tsang
        x = draws.normal()
        v = 1 + c * x
        if v <= 0:
            continue
        v = v * v * v
        u = draws.uniform()
        # the squeeze test first (dodges the logs for ~91% of the accepted area)
        if (u < 1 - 0.0331 * (x * x) * (x * x)
                or math.log(u) < 0.5 * x * x + d * (1 - v + math.log(v))):
            res = d * v
            return res * draws.uniform() ** (1 / alpha) if below_one else res


def gamma(key, counter, shape, alpha, dtype="float32"):
    """Gamma(alpha, 1) samples of shape ``shape + alpha.shape`` (``RandomGamma``)."""
    alpha = xp.asarray(alpha)
    n_alpha, n_samples = alpha.size, math.prod(shape)
    flat = alpha.astype(xp.float64).reshape(-1).tolist()
    streams = _streams(key, counter, _per_output(n_alpha * n_samples, 256))
    vals = [_gamma_one(flat[i // n_samples], _Draws(s)) for i, s in enumerate(streams)]
    out = _scatter(xp.asarray(vals, dtype=xp.float64), n_alpha, n_samples)
    return out.astype(K._dtype(dtype)).reshape(tuple(shape) + alpha.shape)


# ---------------------------------------------------------------------- poisson
def _poisson_one(rate, draws, highest):
    if rate < 10:  # Knuth: multiply uniforms until below exp(-rate)
        limit, prod, x = math.exp(-rate), 1.0, 0.0
        while True:
            prod *= draws.uniform()
            if prod <= limit and x <= highest:
                return x
            x += 1
    log_rate = math.log(rate)  # Hormann's transformed rejection (PTRS)
    b = 0.931 + 2.53 * math.sqrt(rate)
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = draws.uniform() - 0.5
        v = draws.uniform()
        us = 0.5 - abs(u)
        k = math.floor((2 * a / us + b) * u + rate + 0.43)
        if k > highest:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        if k < 0:
            continue
        s = math.log(v * inv_alpha / (a / (us * us) + b))
        if s <= -rate + k * log_rate - math.lgamma(k + 1):
            return k


def _highest(dt):
    dt = K._dtype(dt)
    return float(xp.finfo(dt).max) if dt.kind == "f" else float(xp.iinfo(dt).max)


def poisson(key, counter, shape, lam, dtype="float32"):
    """Poisson(lam) samples of shape ``shape + lam.shape`` (``RandomPoissonV2``)."""
    lam = xp.asarray(lam)
    n_rate, n_samples = lam.size, math.prod(shape)
    flat, top = lam.astype(xp.float64).reshape(-1).tolist(), _highest(dtype)
    streams = _streams(key, counter, _per_output(n_rate * n_samples, 256))
    vals = [_poisson_one(flat[i // n_samples], _Draws(s), top) for i, s in enumerate(streams)]
    out = _scatter(xp.asarray(vals, dtype=xp.float64), n_rate, n_samples)
    return out.astype(K._dtype(dtype)).reshape(tuple(shape) + lam.shape)


# --------------------------------------------------------------------- binomial
def _stirling_tail(k):
    tail = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509,
            0.0166446911898211, 0.0138761288230707, 0.0118967099458917, 0.0104112652619720,
            0.00925546218271273, 0.00833056343336287)
    if k <= 9:
        return tail[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _binomial_inversion(count, prob, draws):
    geom_sum, num_geom = 0.0, 0
    while True:
        geom_sum += math.ceil(math.log(draws.uniform()) / math.log1p(-prob))
        if geom_sum > count:
            return num_geom
        num_geom += 1


def _btrs(count, prob, draws):
    """Hormann's BTRS (with TF's deviation: log of the ratio, see random_binomial_op.cc)."""
    stddev = math.sqrt(count * prob * (1 - prob))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * prob
    c = count * prob + 0.5
    v_r = 0.92 - 4.2 / b
    r = prob / (1 - prob)
    alpha = (2.83 + 5.1 / b) * stddev
    m = math.floor((count + 1) * prob)
    while True:
        u = draws.uniform() - 0.5
        v = draws.uniform()
        us = 0.5 - abs(u)
        k = math.floor((2 * a / us + b) * u + c)
        if us >= 0.07 and v <= v_r:
            return k
        if k < 0 or k > count:
            continue
        v = math.log(v * alpha / (a / (us * us) + b))
        bound = ((m + 0.5) * math.log((m + 1) / (r * (count - m + 1)))
                 + (count + 1) * math.log((count - m + 1) / (count - k + 1))
                 + (k + 0.5) * math.log(r * (count - k + 1) / (k + 1))
                 + _stirling_tail(m) + _stirling_tail(count - m)
                 - _stirling_tail(k) - _stirling_tail(count - k))
        if v <= bound:
            return k


def _binomial_plan(count, prob, t):
    """``(kind, p)`` of one batch member: 'zero', 'count', 'nan', or a sampler and its prob."""
    if float(count) <= 0.0 or float(prob) <= 0.0:
        return "zero", None
    if float(prob) >= 1.0:
        return "count", None
    if math.isnan(float(prob)):
        return "nan", None
    flip = float(prob) > 0.5
    q = t(1) - prob if flip else prob
    big = float(count * q) >= 10  # TF compares in the params' dtype
    return ("btrs" if big else "inversion") + ("_flip" if flip else ""), float(q)


def _binomial_value(kind, count, p, draws):
    if kind in ("zero", "count", "nan"):
        return {"zero": 0.0, "count": count, "nan": math.nan}[kind]
    k = (_btrs if kind.startswith("btrs") else _binomial_inversion)(count, p, draws)
    return count - k if kind.endswith("_flip") else float(k)


def binomial(key, counter, shape, counts, probs, dtype="int32"):
    """Binomial(counts, probs) samples; params broadcast to the trailing dims of ``shape``.

    Output ``i`` uses the sub-stream at ``counter + skip * i`` with skip 256 for
    BTRS and 42 for inversion (42 calls cover 10 sd's of a mean <= 10).
    """
    counts, probs = xp.broadcast_arrays(xp.asarray(counts), xp.asarray(probs))
    num_batches, per_batch = batch_layout(shape, counts.shape)
    t = counts.dtype.type
    plans = [_binomial_plan(c, p, t) for c, p in zip(counts.reshape(-1), probs.reshape(-1))]
    n = num_batches * per_batch
    skips = [256 if plans[i // per_batch][0].startswith("btrs") else 42 for i in range(n)]
    streams = _streams(key, counter, xp.asarray(skips, dtype=xp.uint64) * _per_output(n, 1))
    counts_f = counts.reshape(-1).astype(xp.float64).tolist()
    vals = [_binomial_value(plans[i // per_batch][0], counts_f[i // per_batch],
                            plans[i // per_batch][1], _Draws(s)) for i, s in enumerate(streams)]
    out = _scatter(xp.asarray(vals, dtype=xp.float64), num_batches, per_batch)
    return out.astype(K._dtype(dtype)).reshape(tuple(shape))


# ------------------------------------------------ parameterized truncated normal
def _calls(stream, t, kind):
    """One distribution call in dtype ``t``: 4 (float) or 2 (double) values, in order."""
    w = xp.asarray([stream.call()], dtype=xp.uint32)
    if kind == "normal":
        return K._normal_pairs(w, xp.dtype(t)).reshape(-1).astype(t).tolist()
    if t == xp.float64:
        return K.bits_to_unit_float(w.reshape(2, 2), t).tolist()
    return K.bits_to_unit_float(w.reshape(-1), t).tolist()


def _ptn_batch(stream, t, mean, sd, lo, hi, n):
    """``n`` samples of one batch member (TruncatedNormalFunctorV2's three samplers)."""
    if (math.isinf(lo) and lo < 0) or hi < mean:
        lo, hi, sd = hi, lo, -sd
    lo_n, hi_n = t((t(lo) - t(mean)) / t(sd)), t((t(hi) - t(mean)) / t(sd))
    out = []
    if (lo_n < -_RANDN_BOUND and hi_n >= 0) or (hi_n > _RANDN_BOUND and lo_n <= 0):
        while len(out) < n:
            for z in _calls(stream, t, "normal"):
                if lo_n <= z <= hi_n:
                    out.append(t(z) * t(sd) + t(mean))
                    if len(out) >= n:
                        break
        return out
    sqrt_factor = t(math.sqrt(lo_n * lo_n + 4))
    cutoff = t(2 * math.exp(0.5 + (lo_n * (lo_n - sqrt_factor)) / 4) / (lo_n + sqrt_factor))
    diff, tries = t(hi_n - lo_n), 0
    if diff < cutoff:  # uniform proposals on [lo_n, hi_n]
        plus = t(0) if lo_n < 0 else t(lo_n * lo_n)
        while len(out) < n:
            zs = [t(r * diff + lo_n) for r in _calls(stream, t, "uniform")]
            for z, u in zip(zs, _calls(stream, t, "uniform")):
                if u <= math.exp((plus - z * z) / 2) or tries + 1 >= _MAX_ITERATIONS:
                    out.append(t(z * t(sd) + t(mean)))
                    tries = 0
                    if len(out) >= n:
                        break
                else:
                    tries += 1
        return out
    alpha = t((lo_n + math.sqrt(lo_n * lo_n + 4)) / 2)  # exponential proposals
    while len(out) < n:
        rand = _calls(stream, t, "uniform")
        for i in range(0, len(rand) - 1, 2):
            z = t(-math.log(rand[i]) / alpha + lo_n)
            x = alpha - z if lo_n < alpha else lo_n - alpha
            if (rand[i + 1] <= math.exp(-x * x / 2) and z < hi_n) or tries + 1 >= _MAX_ITERATIONS:
                out.append(t(z * t(sd) + t(mean)))
                tries = 0
                if len(out) >= n:
                    break
            else:
                tries += 1
    return out


def parameterized_truncated_normal(key, counter, shape, means, stddevs, minvals, maxvals,
                                   dtype="float32"):
    """Normal(means, stddevs) truncated to [minvals, maxvals]; one stream for all batches.

    Raises:
      ValueError: for invalid parameters (stddev <= 0, minval >= maxval, both bounds infinite).
    """
    t = K._dtype(dtype).type
    params = xp.broadcast_arrays(*(xp.asarray(p, dtype=t) for p in (means, stddevs, minvals,
                                                                   maxvals)))
    num_batches, per_batch = batch_layout(shape, params[0].shape)
    flat = [p.reshape(-1).tolist() for p in params]
    stream, vals = _Stream(key, counter, 0), []
    for b in range(num_batches):
        mean, sd, lo, hi = (t(f[b]) for f in flat)
        if not (sd > 0 and lo < hi and (math.isfinite(lo) or math.isfinite(hi))):
            raise ValueError("Invalid parameters")
        vals.extend(_ptn_batch(stream, t, mean, sd, lo, hi, per_batch))
    out = _scatter(xp.asarray(vals, dtype=xp.float64), num_batches, per_batch)
    return out.astype(t).reshape(tuple(shape))
