"""TensorFlow's CPU random number streams, bit for bit, as pure array kernels.

Everything here is a pure function of ``(key, counter)`` plus shapes and dtypes;
no tensors, no global state.  The op layer (``random_ops.py``) decides where
key/counter come from (stateless seed, op seeds, ``tf.random.Generator`` state)
and by how much a stateful stream advances after each call.

Conventions:
  * ``key`` is a length-2 uint32 array ``(k0, k1)``; ``counter`` is a length-4
    uint32 array ``(c0, c1, c2, c3)``, ``c0`` least significant (TF's
    ``PhiloxRandom::Key`` / ``Counter``).
  * A "call" is one Philox4x32-10 evaluation: 4 uint32 words; the i-th call of a
    stream uses ``counter + i`` (128-bit addition).

The bit -> value mappings mirror tensorflow/core/lib/random/random_distributions.h
and the stream layouts mirror random_op_cpu.h (see the fixtures README, topic 06).
"""
import math

from tensorlet.backend import bfloat16, xp

__all__ = [
    "RESERVED_SAMPLES_PER_OUTPUT",
    "advance_generator_state",
    "bits_to_unit_float",
    "categorical",
    "categorical_skip",
    "counter_add",
    "dropout_mask",
    "generator_key_counter",
    "get_seed",
    "key_counter_as_uint64",
    "key_counter_from_uint64",
    "normal",
    "philox",
    "philox_at",
    "shuffle_permutation",
    "shuffle_skip",
    "stateful_key_counter",
    "stateful_skip",
    "stateless_fold_in",
    "stateless_key_counter",
    "stateless_split",
    "truncated_normal",
    "uniform",
    "uniform_full_int",
    "uniform_int",
    "words",
]

_M0, _M1 = 0xD2511F53, 0xCD9E8D57  # Philox round multipliers
_W0, _W1 = 0x9E3779B9, 0xBB67AE85  # Weyl key increments between rounds
_SEED_KEY = (0x3EC8F720, 0x02461E29)  # key used to scramble stateless seeds
_U32 = 0xFFFFFFFF
_U64 = 0xFFFFFFFFFFFFFFFF
_MAXINT32 = 2**31 - 1
_DEFAULT_GRAPH_SEED = 87654321

# TF reserves this many Philox calls per output element for stateful ops (so
# that rejection-sampling distributions never overlap between calls).
RESERVED_SAMPLES_PER_OUTPUT = 256

_FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")


def _dtype(dtype):
    """Returns the NumPy dtype for a dtype-like (name, NumPy dtype, tensorlet DType)."""
    if dtype is None:
        return xp.dtype("float32")
    name = getattr(dtype, "name", dtype)
    if name == "bfloat16" or dtype is bfloat16:
        return xp.dtype(bfloat16)
    as_np = getattr(dtype, "as_numpy_dtype", None)
    return xp.dtype(as_np if as_np is not None else dtype)


def _num_elements(shape):
    return int(math.prod(int(d) for d in shape))


# --------------------------------------------------------------------------- Philox
def _philox_rounds(key, c):
    """Runs Philox4x32-10 on counters ``c`` (tuple of 4 uint32 arrays)."""
    c0, c1, c2, c3 = c
    k0, k1 = int(key[0]) & _U32, int(key[1]) & _U32
    m0, m1 = xp.uint64(_M0), xp.uint64(_M1)
    for r in range(10):
        p0 = c0.astype(xp.uint64) * m0
        p1 = c2.astype(xp.uint64) * m1
        hi0, lo0 = (p0 >> xp.uint64(32)).astype(xp.uint32), p0.astype(xp.uint32)
        hi1, lo1 = (p1 >> xp.uint64(32)).astype(xp.uint32), p1.astype(xp.uint32)
        c0, c1, c2, c3 = hi1 ^ c1 ^ xp.uint32(k0), lo1, hi0 ^ c3 ^ xp.uint32(k1), lo0
        if r < 9:
            k0, k1 = (k0 + _W0) & _U32, (k1 + _W1) & _U32
    return xp.stack([c0, c1, c2, c3], axis=-1)


def counter_add(counter, offsets):
    """Adds 64-bit ``offsets`` to a 128-bit counter (TF's ``PhiloxRandom::Skip``).

    Args:
      counter: 4 uint32 words, least significant first.
      offsets: int or array of non-negative ints (< 2**64).

    Returns:
      uint32 array of shape ``offsets.shape + (4,)``.
    """
    c = [int(x) & _U32 for x in counter]
    lo64 = xp.uint64(c[0] | c[1] << 32)
    hi64 = xp.uint64(c[2] | c[3] << 32)
    off = xp.asarray(offsets, dtype=xp.uint64)
    lo = lo64 + off  # uint64 arrays wrap silently, which is the carry we want
    hi = hi64 + (lo < off).astype(xp.uint64)
    s32 = xp.uint64(32)
    return xp.stack([lo.astype(xp.uint32), (lo >> s32).astype(xp.uint32),
                     hi.astype(xp.uint32), (hi >> s32).astype(xp.uint32)], axis=-1)


def philox_at(key, counter, offsets):
    """Philox outputs at ``counter + offsets`` (any offsets shape) -> ``shape + (4,)`` uint32."""
    ctr = counter_add(counter, offsets)
    return _philox_rounds(key, tuple(ctr[..., i] for i in range(4)))


def philox(key, counter, n_calls, start=0):
    """Outputs of ``n_calls`` consecutive Philox calls starting at ``counter + start``.

    Returns:
      uint32 array of shape ``(n_calls, 4)``.
    """
    return philox_at(key, counter, xp.arange(start, start + n_calls, dtype=xp.uint64))


def words(key, counter, n, start=0):
    """The first ``n`` uint32 words of the stream (4 words per call), flat."""
    return philox(key, counter, -(-n // 4), start).reshape(-1)[:n]


# --------------------------------------------------------------------- key/counter
def stateless_key_counter(seed):
    """Scrambles a stateless seed pair into ``(key, counter)``.

    Same as ``StatelessRandomGetKeyCounter``: int32 seeds are sign-extended to
    64 bits, the pair forms the counter of one Philox call under a fixed key.

    Args:
      seed: two integers (int32 or int64 values).

    Returns:
      ``(key uint32[2], counter uint32[4])``.
    """
    s0, s1 = (int(s) & _U64 for s in seed)
    ctr = xp.array([s0 & _U32, s0 >> 32, s1 & _U32, s1 >> 32], dtype=xp.uint32)
    mix = philox(_SEED_KEY, ctr, 1)[0]
    key = xp.array(mix[:2], dtype=xp.uint32)
    return key, xp.array([0, 0, mix[2], mix[3]], dtype=xp.uint32)


def stateful_key_counter(seed, seed2):
    """Key/counter of a stateful op kernel built with attrs ``(seed, seed2)``."""
    s0, s1 = int(seed) & _U64, int(seed2) & _U64
    key = xp.array([s0 & _U32, s0 >> 32], dtype=xp.uint32)
    return key, xp.array([0, 0, s1 & _U32, s1 >> 32], dtype=xp.uint32)


def generator_key_counter(state):
    """Key/counter of a Philox ``tf.random.Generator`` state ``int64[3]``.

    The state is ``[counter_lo64, counter_hi64, key64]``.
    """
    c0, c1, k = (int(s) & _U64 for s in state[:3])
    key = xp.array([k & _U32, k >> 32], dtype=xp.uint32)
    return key, xp.array([c0 & _U32, c0 >> 32, c1 & _U32, c1 >> 32], dtype=xp.uint32)


def advance_generator_state(state, delta):
    """Philox Generator state ``[c_lo64, c_hi64, key64]`` with the counter advanced by ``delta``."""
    _, ctr = generator_key_counter(state)
    c = [int(x) for x in counter_add(ctr, int(delta))]
    words64 = [c[0] | c[1] << 32, c[2] | c[3] << 32] + [int(x) & _U64 for x in state[2:]]
    return xp.array(words64, dtype=xp.uint64).view(xp.int64)


def key_counter_from_uint64(key, counter):
    """Inverse of ``key_counter_as_uint64``: uint64 key[1]/counter[2] -> uint32 words."""
    k = int(xp.asarray(key).reshape(-1)[0]) & _U64
    c0, c1 = (int(c) & _U64 for c in xp.asarray(counter).reshape(-1)[:2])
    return (xp.array([k & _U32, k >> 32], dtype=xp.uint32),
            xp.array([c0 & _U32, c0 >> 32, c1 & _U32, c1 >> 32], dtype=xp.uint32))


def key_counter_as_uint64(key, counter):
    """``(key uint64[1], counter uint64[2])`` as returned by ``StatelessRandomGetKeyCounter``."""
    k = [int(x) for x in key]
    c = [int(x) for x in counter]
    return (xp.array([k[0] | k[1] << 32], dtype=xp.uint64),
            xp.array([c[0] | c[1] << 32, c[2] | c[3] << 32], dtype=xp.uint64))


# ------------------------------------------------------------------ bits -> floats
def bits_to_unit_float(bits, dtype):
    """Maps random words to floats in [0, 1) (exponent-stuffing, then minus one).

    Args:
      bits: uint32 words; for float64 an array ``(..., 2)`` of word pairs.
      dtype: float16, bfloat16, float32 or float64.
    """
    dt = _dtype(dtype)
    bits = xp.asarray(bits, dtype=xp.uint32)
    if dt == xp.float64:
        hi = (bits[..., 0] & xp.uint32(0xFFFFF)).astype(xp.uint64)
        man = (hi << xp.uint64(32)) | bits[..., 1].astype(xp.uint64)
        return (man | xp.uint64(0x3FF0000000000000)).view(xp.float64) - 1.0
    if dt == xp.float32:
        return (bits & xp.uint32(0x7FFFFF) | xp.uint32(0x3F800000)).view(xp.float32) - xp.float32(1)
    if dt == xp.float16:
        h = (bits & xp.uint32(0x3FF) | xp.uint32(15 << 10)).astype(xp.uint16)
        return h.view(xp.float16) - xp.float16(1)
    if dt == xp.dtype(bfloat16):
        h = (bits & xp.uint32(0x7F) | xp.uint32(127 << 7)).astype(xp.uint16)
        return h.view(bfloat16) - bfloat16(1)
    raise TypeError(f"unsupported float dtype {dt}")


def _unit_floats(key, counter, n, dt, start=0):
    """``n`` floats in [0, 1) with TF's stream layout (2 words per float64)."""
    if dt == xp.float64:
        w = philox(key, counter, -(-n // 2), start).reshape(-1, 2)[:n]
        return bits_to_unit_float(w, dt)
    return bits_to_unit_float(words(key, counter, n, start), dt)


def _scale(u, dt, minval, maxval):
    """``u * (maxval - minval) + minval`` with every step rounded to ``dt`` (as TF does)."""
    if minval is None and maxval is None:
        return u
    lo = xp.asarray(0 if minval is None else minval).astype(dt)
    hi = xp.asarray(1 if maxval is None else maxval).astype(dt)
    return (u * (hi - lo) + lo).astype(dt)


def uniform(key, counter, shape, dtype="float32", minval=None, maxval=None):
    """Uniform floats in [minval, maxval) (``StatelessRandomUniformV2`` + Python scaling).

    Args:
      key, counter: Philox key/counter.
      shape: output shape.
      dtype: float16, bfloat16, float32 or float64.
      minval, maxval: optional scalars/arrays broadcastable to ``shape``; when
        both are None the raw [0, 1) values are returned.
    """
    dt = _dtype(dtype)
    u = _unit_floats(key, counter, _num_elements(shape), dt).reshape(shape)
    return _scale(u, dt, minval, maxval)


# -------------------------------------------------------------------------- normal
def _box_muller_f32(x0, x1):
    """TF's ``BoxMullerFloat``: float32 math with correctly rounded log/sin/cos.

    log/sin/cos are evaluated in float64 and rounded, which is within 1 ulp of
    glibc's float versions TF calls (NumPy's own float32 SIMD versions are not).
    """
    f32, f64 = xp.float32, xp.float64
    u1 = xp.maximum(bits_to_unit_float(x0, f32), f32(1e-7))
    v1 = (2.0 * math.pi * bits_to_unit_float(x1, f32).astype(f64)).astype(f32)
    log_u1 = xp.log(u1.astype(f64)).astype(f32)
    r = xp.sqrt(f32(-2.0) * log_u1)
    v64 = v1.astype(f64)
    return xp.sin(v64).astype(f32) * r, xp.cos(v64).astype(f32) * r


def _box_muller_f64(x0, x1, x2, x3):
    """TF's ``BoxMullerDouble`` on four words."""
    f64 = xp.float64
    u1 = xp.maximum(bits_to_unit_float(xp.stack([x0, x1], -1), f64), 1e-7)
    v1 = 2.0 * math.pi * bits_to_unit_float(xp.stack([x2, x3], -1), f64)
    r = xp.sqrt(-2.0 * xp.log(u1))
    return xp.sin(v1) * r, xp.cos(v1) * r


def _normal_pairs(w, dt):
    """Box-Muller over calls ``w`` (m, 4) -> values (m, group) in call order."""
    if dt == xp.float64:
        s, c = _box_muller_f64(w[:, 0], w[:, 1], w[:, 2], w[:, 3])
        return xp.stack([s, c], axis=-1)
    s, c = _box_muller_f32(w[:, 0::2], w[:, 1::2])  # pairs (w0,w1), (w2,w3)
    return xp.stack([s, c], axis=-1).reshape(w.shape[0], 4)


def normal(key, counter, shape, dtype="float32", mean=None, stddev=None):
    """Normal values (``StatelessRandomNormalV2``; ``z * stddev + mean`` when given).

    float16/bfloat16 are the float32 Box-Muller values rounded to the dtype.
    """
    dt = _dtype(dtype)
    n = _num_elements(shape)
    group = 2 if dt == xp.float64 else 4
    z = _normal_pairs(philox(key, counter, -(-n // group)), dt).reshape(-1)[:n]
    z = z.astype(dt).reshape(shape)
    if mean is None and stddev is None:
        return z
    sd = xp.asarray(1 if stddev is None else stddev).astype(dt)
    mu = xp.asarray(0 if mean is None else mean).astype(dt)
    return (z * sd + mu).astype(dt)


def _truncated_groups(key, counter, groups, dt, n_calls):
    """Candidates for output ``groups`` from ``n_calls`` calls of each sub-stream.

    Returns:
      (values (G, n_cand), accepted mask (G, n_cand)) in TF's draw order.
    """
    group = 2 if dt == xp.float64 else 4
    skip = group * RESERVED_SAMPLES_PER_OUTPUT // 4
    off = groups.astype(xp.uint64)[:, None] * xp.uint64(skip) + xp.arange(n_calls, dtype=xp.uint64)
    w = philox_at(key, counter, off).reshape(len(groups) * n_calls, 4)
    z = _normal_pairs(w, dt).reshape(len(groups), -1)
    return z, xp.abs(z) < 2.0


def truncated_normal(key, counter, shape, dtype="float32", mean=None, stddev=None):
    """Truncated normal (|z| < 2) by rejection, as ``StatelessTruncatedNormalV2``.

    Output group ``g`` (4 values, 2 for float64) draws words one by one from its
    own sub-stream at ``counter + g * group * 64``; all groups are sampled at
    once and only the rare groups that need more draws are redone longer.
    """
    dt = _dtype(dtype)
    n = _num_elements(shape)
    group = 2 if dt == xp.float64 else 4
    n_groups = -(-n // group)
    out = xp.empty((n_groups, group), dtype=xp.float64 if dt == xp.float64 else xp.float32)
    todo = xp.arange(n_groups)
    n_calls = 3
    while todo.size:
        z, ok = _truncated_groups(key, counter, todo, dt, n_calls)
        done = ok.sum(axis=1) >= group
        first = xp.argsort(~ok[done], axis=1, kind="stable")[:, :group]
        out[todo[done]] = xp.take_along_axis(z[done], first, axis=1)
        todo, n_calls = todo[~done], n_calls * 2
    z = out.reshape(-1)[:n].astype(dt).reshape(shape)
    if mean is None and stddev is None:
        return z
    sd = xp.asarray(1 if stddev is None else stddev).astype(dt)
    mu = xp.asarray(0 if mean is None else mean).astype(dt)
    return (z * sd + mu).astype(dt)


# ------------------------------------------------------------------------ integers
def _int_bits(key, counter, n, dt):
    """``n`` raw values: one word each for 32-bit dtypes, ``lo | hi << 32`` for 64-bit."""
    if dt.itemsize == 8:
        w = philox(key, counter, -(-n // 2)).reshape(-1, 2)[:n].astype(xp.uint64)
        return w[:, 0] | (w[:, 1] << xp.uint64(32))
    return words(key, counter, n)


def uniform_full_int(key, counter, shape, dtype="int64"):
    """Full-range integers: the raw bits (``StatelessRandomUniformFullIntV2``)."""
    dt = _dtype(dtype)
    return _int_bits(key, counter, _num_elements(shape), dt).view(dt).reshape(shape)


def uniform_int(key, counter, shape, minval, maxval, dtype="int32"):
    """Integers in [minval, maxval): ``minval + bits % (maxval - minval)`` (bias kept).

    Args:
      minval, maxval: Python ints with ``minval < maxval`` (checked by the caller).
    """
    dt = _dtype(dtype)
    ut = xp.uint64 if dt.itemsize == 8 else xp.uint32
    mask = _U64 if dt.itemsize == 8 else _U32
    rng = ut((int(maxval) - int(minval)) & mask)
    bits = _int_bits(key, counter, _num_elements(shape), dt)
    return (ut(int(minval) & mask) + bits % rng).view(dt).reshape(shape)


# ------------------------------------------------------------- shuffle/categorical
def shuffle_permutation(n, key, counter):
    """Fisher-Yates permutation of ``range(n)`` as TF's ``RandomShuffle`` (n < 2**32).

    ``for i in 0..n-2: swap(i, i + word_i % (n - i))``; the swaps are
    inherently sequential, the words are generated in bulk.
    """
    perm = list(range(n))
    if n <= 1:
        return xp.asarray(perm, dtype=xp.int64)
    w = words(key, counter, n - 1).astype(xp.int64)
    js = (xp.arange(n - 1) + w % xp.arange(n, 1, -1)).tolist()
    for i, j in enumerate(js):
        perm[i], perm[j] = perm[j], perm[i]
    return xp.asarray(perm, dtype=xp.int64)


def _categorical_rows(cdf, total, key, counter, num_samples, start_row):
    """Samples for one shard of rows that share one word stream."""
    rows = cdf.shape[0]
    skip = start_row * (num_samples + 3) // 4  # TF: +3 keeps shards disjoint
    w = words(key, counter, 2 * rows * num_samples, start=skip).reshape(rows, num_samples, 2)
    to_find = bits_to_unit_float(w, xp.float64) * total[:, None]
    if cdf.size * num_samples <= 1 << 22:
        # upper_bound(cdf, u) == number of cdf entries <= u (cdf is non-decreasing)
        return (cdf[:, None, :] <= to_find[:, :, None]).sum(axis=-1)
    return xp.stack([xp.searchsorted(c, t, side="right") for c, t in zip(cdf, to_find)])


def categorical(logits, num_samples, key, counter, dtype="int64", shard_rows=None):
    """Class indices sampled from ``logits`` (``Multinomial`` CPU kernel).

    Args:
      logits: (batch, classes) float array.
      num_samples: samples per row.
      key, counter: Philox key/counter.
      dtype: output int dtype.
      shard_rows: rows per intra-op shard (TF restarts the stream per shard);
        None = one shard, what TF does with one intra-op thread.
    """
    lg = xp.asarray(logits)
    batch, classes = lg.shape
    out = xp.zeros((batch, num_samples), dtype=_dtype(dtype))
    if batch == 0 or num_samples == 0 or classes == 0:
        return out
    finite = xp.isfinite(lg)
    low = xp.finfo(lg.dtype).min if lg.dtype.kind == "f" else xp.iinfo(lg.dtype).min
    mx = xp.where(finite, lg, low).max(axis=1).astype(xp.float64)
    e = xp.exp(lg.astype(xp.float64) - mx[:, None])
    # non-finite logits add nothing: their cdf entry repeats the running total
    cdf = xp.cumsum(xp.where(finite, e, 0.0), axis=1)
    total = cdf[:, -1]
    step = batch if not shard_rows else int(shard_rows)
    for s in range(0, batch, step):
        sl = slice(s, min(s + step, batch))
        out[sl] = _categorical_rows(cdf[sl], total[sl], key, counter, num_samples, s)
    return out


# ------------------------------------------------------------------ seed utilities
def stateless_split(seed, num, dtype="int32"):
    """``tf.random.experimental.stateless_split``: full-range ints of shape [num, 2]."""
    return uniform_full_int(*stateless_key_counter(seed), (int(num), 2), dtype)


def stateless_fold_in(seed, data, dtype="int32"):
    """``tf.random.experimental.stateless_fold_in``: ``[full-range scalar, data]``."""
    first = uniform_full_int(*stateless_key_counter(seed), (), dtype)
    return xp.array([first, data], dtype=_dtype(dtype))


def dropout_mask(key, counter, noise_shape, dtype, rate):
    """Keep mask of (stateless) dropout: ``uniform(noise_shape, dtype) >= rate``."""
    dt = _dtype(dtype)
    return uniform(key, counter, noise_shape, dt) >= xp.asarray(rate).astype(dt)


def get_seed(global_seed, op_seed, rng=None):
    """``random_seed.get_seed``: the ``(seed, seed2)`` attrs of a stateful op.

    Args:
      global_seed: the ``tf.random.set_seed`` value or None.
      op_seed: the op's ``seed`` argument or None.
      rng: a ``random.Random(global_seed)``; consumed (one ``randint``) when
        a global seed is set and no op seed is given.

    Returns:
      ``(seed, seed2)``; ``(None, None)`` means non-deterministic.
    """
    if global_seed is not None:
        if op_seed is None:
            op_seed = rng.randint(0, _MAXINT32)
        seeds = (int(global_seed) % _MAXINT32, int(op_seed) % _MAXINT32)
    elif op_seed is not None:
        seeds = (_DEFAULT_GRAPH_SEED, int(op_seed) % _MAXINT32)
    else:
        seeds = (None, None)
    # (0, 0) would mean "non-deterministic" to the C++ kernels.
    return (0, _MAXINT32) if seeds == (0, 0) else seeds


def stateful_skip(num_elements):
    """Counter advance of a stateful op / Generator draw of ``num_elements`` values."""
    return int(num_elements) * RESERVED_SAMPLES_PER_OUTPUT


def shuffle_skip(n):
    """Counter advance of ``RandomShuffle`` on ``n`` rows (``ReserveSamples32(n - 1)``)."""
    return (max(int(n) - 1, 0) + 3) // 4 if n > 1 else 0


def categorical_skip(batch, num_samples):
    """Counter advance of a stateful ``Multinomial`` call."""
    return stateful_skip(int(batch) * (-(-int(num_samples) // 4) * 4))
