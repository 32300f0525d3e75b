"""String hashing: ``tf.strings.to_hash_bucket*`` and ``tf.fingerprint``.

TF's hashes, re-implemented bit-exactly on Python ints (mod 2**64):
- ``fingerprint64``: FarmHash ``Fingerprint64`` (= ``farmhashna::Hash64``, Geoff Pike 2014),
  used by ``StringToHashBucketFast`` and ``Fingerprint`` (method ``farmhash64``);
- ``hash64``: TF's legacy ``Hash64`` (a MurmurHash2-64 variant, seed 0xDECAFCAFFE) used by
  ``StringToHashBucket``;
- ``siphash``: SipHash-2-4 (Aumasson & Bernstein 2012) keyed by two uint64 words, used by
  ``StringToHashBucketStrong``.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop
from tensorlet.ops.string_ops import ragged_map

D = dtypes
M64 = (1 << 64) - 1
K0, K1, K2 = 0xC3A5C85C97CB3127, 0xB492B66FBE98F273, 0x9AE16A3B2F90404F


# ---------------------------------------------------------------- FarmHash Fingerprint64


def _fetch64(s, i):
    return int.from_bytes(s[i : i + 8], "little")


def _fetch32(s, i):
    return int.from_bytes(s[i : i + 4], "little")


def _rot(v, shift):
    return v if shift == 0 else ((v >> shift) | (v << (64 - shift))) & M64


def _shift_mix(v):
    return v ^ (v >> 47)


def _hash_len16(u, v, mul):
    a = ((u ^ v) * mul) & M64
    a ^= a >> 47
    b = ((v ^ a) * mul) & M64
    b ^= b >> 47
    return (b * mul) & M64


def _hash_len0to16(s, n):
    if n >= 8:
        mul = K2 + n * 2
        a = (_fetch64(s, 0) + K2) & M64
        b = _fetch64(s, n - 8)
        c = (_rot(b, 37) * mul + a) & M64
        d = ((_rot(a, 25) + b) * mul) & M64
        return _hash_len16(c, d, mul)
    if n >= 4:
        mul = K2 + n * 2
        a = _fetch32(s, 0)
        return _hash_len16((n + (a << 3)) & M64, _fetch32(s, n - 4), mul)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return (_shift_mix(((y * K2) ^ (z * K0)) & M64) * K2) & M64
    return K2


def _hash_len17to32(s, n):
    mul = K2 + n * 2
    a = (_fetch64(s, 0) * K1) & M64
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & M64
    d = (_fetch64(s, n - 16) * K2) & M64
    return _hash_len16(
        (_rot((a + b) & M64, 43) + _rot(c, 30) + d) & M64,
        (a + _rot((b + K2) & M64, 18) + c) & M64,
        mul,
    )


def _hash_len33to64(s, n):
    mul = K2 + n * 2
    a = (_fetch64(s, 0) * K2) & M64
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & M64
    d = (_fetch64(s, n - 16) * K2) & M64
    y = (_rot((a + b) & M64, 43) + _rot(c, 30) + d) & M64
    z = _hash_len16(y, (a + _rot((b + K2) & M64, 18) + c) & M64, mul)
    e = (_fetch64(s, 16) * mul) & M64
    f = _fetch64(s, 24)
    g = ((y + _fetch64(s, n - 32)) * mul) & M64
    h = ((z + _fetch64(s, n - 24)) * mul) & M64
    return _hash_len16(
        (_rot((e + f) & M64, 43) + _rot(g, 30) + h) & M64,
        (e + _rot((f + a) & M64, 18) + g) & M64,
        mul,
    )


def _weak32(s, i, a, b):
    w, x, y, z = _fetch64(s, i), _fetch64(s, i + 8), _fetch64(s, i + 16), _fetch64(s, i + 24)
    a = (a + w) & M64
    b = _rot((b + a + z) & M64, 21)
    c = a
    a = (a + x + y) & M64
    b = (b + _rot(a, 44)) & M64
    return (a + z) & M64, (b + c) & M64


def fingerprint64(s):
    """FarmHash Fingerprint64 of the bytes ``s`` (an int in [0, 2**64))."""
    n = len(s)
    if n <= 16:
        return _hash_len0to16(s, n)
    if n <= 32:
        return _hash_len17to32(s, n)
    if n <= 64:
        return _hash_len33to64(s, n)
    seed = 81
    x = seed
    y = (seed * K1 + 113) & M64
    z = (_shift_mix((y * K2 + 113) & M64) * K2) & M64
    v0 = v1 = w0 = w1 = 0
    x = (x * K2 + _fetch64(s, 0)) & M64
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x = (_rot((x + y + v0 + _fetch64(s, i + 8)) & M64, 37) * K1) & M64
        y = (_rot((y + v1 + _fetch64(s, i + 48)) & M64, 42) * K1) & M64
        x ^= w1
        y = (y + v0 + _fetch64(s, i + 40)) & M64
        z = (_rot((z + w0) & M64, 33) * K1) & M64
        v0, v1 = _weak32(s, i, (v1 * K1) & M64, (x + w0) & M64)
        w0, w1 = _weak32(s, i + 32, (z + w1) & M64, (y + _fetch64(s, i + 16)) & M64)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = K1 + ((z & 0xFF) << 1)
    i = last64
    w0 = (w0 + ((n - 1) & 63)) & M64
    v0 = (v0 + w0) & M64
    w0 = (w0 + v0) & M64
    x = (_rot((x + y + v0 + _fetch64(s, i + 8)) & M64, 37) * mul) & M64
    y = (_rot((y + v1 + _fetch64(s, i + 48)) & M64, 42) * mul) & M64
    x ^= (w1 * 9) & M64
    y = (y + v0 * 9 + _fetch64(s, i + 40)) & M64
    z = (_rot((z + w0) & M64, 33) * mul) & M64
    v0, v1 = _weak32(s, i, (v1 * mul) & M64, (x + w0) & M64)
    w0, w1 = _weak32(s, i + 32, (z + w1) & M64, (y + _fetch64(s, i + 16)) & M64)
    z, x = x, z
    return _hash_len16(
        (_hash_len16(v0, w0, mul) + _shift_mix(y) * K0 + z) & M64,
        (_hash_len16(v1, w1, mul) + x) & M64,
        mul,
    )


# ---------------------------------------------------------------- TF's legacy Hash64


def hash64(s, seed=0xDECAFCAFFE):
    """TF's ``Hash64`` (core/lib/hash/hash.cc): MurmurHash2-64A with a fixed seed."""
    m, n = 0xC6A4A7935BD1E995, len(s)
    h = (seed ^ (n * m)) & M64
    body = n - n % 8
    for i in range(0, body, 8):
        k = (_fetch64(s, i) * m) & M64
        k ^= k >> 47
        k = (k * m) & M64
        h = ((h ^ k) * m) & M64
    rest = n - body
    if rest:
        for j in range(rest - 1, -1, -1):
            h ^= s[body + j] << (8 * j)
        h = (h * m) & M64
    h ^= h >> 47
    h = (h * m) & M64
    return h ^ (h >> 47)


# ---------------------------------------------------------------- SipHash-2-4


def _sip_round(v0, v1, v2, v3):
    v0 = (v0 + v1) & M64
    v1 = _rotl(v1, 13) ^ v0
    v0 = _rotl(v0, 32)
    v2 = (v2 + v3) & M64
    v3 = _rotl(v3, 16) ^ v2
    v0 = (v0 + v3) & M64
    v3 = _rotl(v3, 21) ^ v0
    v2 = (v2 + v1) & M64
    v1 = _rotl(v1, 17) ^ v2
    v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def _rotl(v, b):
    return ((v << b) | (v >> (64 - b))) & M64


def siphash(key0, key1, s):
    """SipHash-2-4 of the bytes ``s`` with the 128-bit key ``(key0, key1)``."""
    v0 = key0 ^ 0x736F6D6570736575
    v1 = key1 ^ 0x646F72616E646F6D
    v2 = key0 ^ 0x6C7967656E657261
    v3 = key1 ^ 0x7465646279746573
    n = len(s)
    tail = s[n - n % 8 :] + b"\0" * (7 - n % 8) + bytes([n & 0xFF])
    data = s[: n - n % 8] + tail
    for i in range(0, len(data), 8):
        m = _fetch64(data, i)
        v3 ^= m
        v0, v1, v2, v3 = _sip_round(*_sip_round(v0, v1, v2, v3))
        v0 ^= m
    v2 ^= 0xFF
    for _ in range(4):
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3


# ---------------------------------------------------------------- ops


def _buckets(hash_fn, arr, num_buckets):
    flat = [hash_fn(s) % num_buckets for s in arr.ravel().tolist()]
    return xp.array(flat, dtype=xp.int64).reshape(arr.shape)


def _check_buckets(num_buckets, op_name):
    if num_buckets < 1:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"Value for attr 'num_buckets' of {num_buckets} must be at least minimum 1",
        )
    return num_buckets


_STRING_TO_INT64 = R.fixed(D.int64, allowed=(D.string,))

string_to_hash_bucket_fast_op = defop(
    "StringToHashBucketFast",
    lambda x, num_buckets: _buckets(fingerprint64, x, num_buckets),
    dtype_rule=_STRING_TO_INT64,
    shape_rule=R.unchanged,
)
string_to_hash_bucket_op = defop(
    "StringToHashBucket",
    lambda x, num_buckets: _buckets(hash64, x, num_buckets),
    dtype_rule=_STRING_TO_INT64,
    shape_rule=R.unchanged,
)
string_to_hash_bucket_strong_op = defop(
    "StringToHashBucketStrong",
    lambda x, num_buckets, key: _buckets(lambda s: siphash(key[0], key[1], s), x, num_buckets),
    dtype_rule=_STRING_TO_INT64,
    shape_rule=R.unchanged,
)


@tf_export("strings.to_hash_bucket_fast", "compat.v1.string_to_hash_bucket_fast")
def string_to_hash_bucket_fast(input, num_buckets, name=None):
    """``Fingerprint64(s) % num_buckets`` (FarmHash) for every string, as int64.

    Example:
      >>> tf.strings.to_hash_bucket_fast(["Hello", "TensorFlow", "2.x"], 3).numpy()
      array([0, 2, 2])
    """
    n = _check_buckets(int(num_buckets), "StringToHashBucketFast")
    return ragged_map(
        lambda x: apply(string_to_hash_bucket_fast_op, x, num_buckets=n, name=name), input
    )


@tf_export("strings.to_hash_bucket_strong", "compat.v1.string_to_hash_bucket_strong")
def string_to_hash_bucket_strong(input, num_buckets, key, name=None):
    """``SipHash-2-4(key, s) % num_buckets`` for every string (``key``: two uint64 words)."""
    n = _check_buckets(int(num_buckets), "StringToHashBucketStrong")
    key = [int(k) for k in key]
    if len(key) != 2:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "StringToHashBucketStrong",
            f"Key must have 2 elements, got {len(key)}",
        )
    key = tuple(k & M64 for k in key)
    return ragged_map(
        lambda x: apply(string_to_hash_bucket_strong_op, x, num_buckets=n, key=key, name=name),
        input,
    )


@tf_export("strings.to_hash_bucket", "compat.v1.string_to_hash_bucket")
def string_to_hash_bucket(input, num_buckets, name=None):
    """``Hash64(s) % num_buckets`` with TF's legacy hash (use ``to_hash_bucket_fast``)."""
    n = _check_buckets(int(num_buckets), "StringToHashBucket")
    return ragged_map(lambda x: apply(string_to_hash_bucket_op, x, num_buckets=n, name=name), input)


# ---------------------------------------------------------------- Fingerprint


def _fingerprint_forward(data, method):
    n = data.shape[0]
    out = xp.empty((n, 8), dtype=xp.uint8)
    if data.dtype == object:
        rows = data.reshape(n, -1)
        for i in range(n):
            row = rows[i]
            if row.shape[0] == 1:
                h = fingerprint64(row[0])
            else:  # several strings: fingerprint of their fingerprints (TF's kernel)
                h = fingerprint64(b"".join(fingerprint64(s).to_bytes(8, "little") for s in row))
            out[i] = list(h.to_bytes(8, "little"))
        return out
    rows = xp.ascontiguousarray(data).reshape(n, -1)
    for i in range(n):
        out[i] = list(fingerprint64(rows[i].tobytes()).to_bytes(8, "little"))
    return out


def _fingerprint_dtypes(op, inputs, attrs):
    if attrs["method"] != "farmhash64":
        raise errors.op_error(
            errors.InvalidArgumentError,
            op.name,
            f"Unsupported fingerprint method is used: {attrs['method']}",
        )
    return (D.uint8,)


def _fingerprint_shape(op, inputs, attrs):
    shape = inputs[0].shape
    if shape.rank is not None and shape.rank < 1:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op.name,
            f"Shape must be at least rank 1 but is rank {shape.rank}",
        )
    return (TensorShape([shape[0] if shape.rank else None, 8]),)


fingerprint_op = defop(
    "Fingerprint",
    _fingerprint_forward,
    dtype_rule=_fingerprint_dtypes,
    shape_rule=_fingerprint_shape,
)


@tf_export("fingerprint")
def fingerprint(data, method="farmhash64", name=None):
    """uint8 ``[n, 8]``: the little-endian FarmHash Fingerprint64 of each row of ``data``.

    Example:
      >>> tf.fingerprint(tf.constant(["a"])).numpy()
      array([[227, 117, 223, 182, 101,  66,  69, 179]], dtype=uint8)
    """
    data = convert_to_tensor(data)
    _fingerprint_shape(fingerprint_op, [data], {})
    return apply(fingerprint_op, data, method=str(method), name=name)
