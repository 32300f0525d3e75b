"""``MutableDenseHashTableV2``: TF's open-addressing table, bucket for bucket.

Keys and values live in bucket arrays of shape ``[num_buckets, key_size]`` and
``[num_buckets, value_size]`` (what ``export`` returns). A key's first bucket is its hash masked
by ``num_buckets - 1`` (ints: the value as uint64; strings: TF's ``Hash64``; vector keys:
``Hash64Combine`` of the parts) and collisions probe quadratically (``+1, +2, +3, ...``). Free
buckets hold ``empty_key``, erased ones ``deleted_key`` (reused by later inserts). The table
doubles before an insert would pass ``max_load_factor``. A dict from key to bucket mirrors what
probing finds, so lookups of many keys are vectorized.
"""

from tensorlet.backend import xp
from tensorlet.framework import errors
from tensorlet.lookup_ops.table_resources import (
    LookupTable,
    TableError,
    debug_shape,
    gather_rows,
    invalid,
    np_dtype,
    zero_value,
)
from tensorlet.ops.string_ops_hash import hash64

_M64 = (1 << 64) - 1
_LOAD = float(xp.float32(0.8))  # max_load_factor attr (a float32)


def _combine(a, b):
    """TF's ``Hash64Combine``."""
    return a ^ ((b + 0x9E3779B97F4A7800 + (a << 10) + (a >> 4)) & _M64)


class DenseHashTable(LookupTable):
    """The state of a ``tf.lookup.experimental.DenseHashTable``."""

    op_name = "MutableDenseHashTableV2"

    def __init__(self, key_dtype, value_dtype, empty_key, deleted_key, value_shape, num_buckets):
        if len(value_shape) > 1:
            raise invalid(
                f"Empty value must be a scalar or a vector, got shape {debug_shape(value_shape)}"
            )
        if empty_key.ndim > 1:
            raise invalid(
                f"Empty key must be a scalar or a vector, got shape {debug_shape(empty_key.shape)}"
            )
        if deleted_key.shape != empty_key.shape:
            raise invalid(
                "Empty and deleted keys must have same shape, got shapes: "
                f"{debug_shape(empty_key.shape)} and {debug_shape(deleted_key.shape)}"
            )
        super().__init__(key_dtype, value_dtype, empty_key.shape, value_shape)
        self._string = key_dtype.name == "string"
        self._key_size = int(empty_key.size)
        self._value_size = int(xp.prod(value_shape)) if value_shape else 1
        self._empty = self._as_key(empty_key.reshape(-1).tolist())
        self._deleted = self._as_key(deleted_key.reshape(-1).tolist())
        if self._empty == self._deleted:
            raise invalid("Empty and deleted keys cannot be equal")
        self._allocate(num_buckets)

    # ---- keys: a Python scalar (scalar keys) or a tuple (vector keys)
    def _as_key(self, parts):
        return parts[0] if self._key_size == 1 else tuple(parts)

    def _keys_of(self, keys):
        rows = keys.reshape(-1, self._key_size).tolist()
        return [r[0] for r in rows] if self._key_size == 1 else [tuple(r) for r in rows]

    def _hash(self, key):
        parts = (key,) if self._key_size == 1 else key
        h = [hash64(p) if self._string else p & _M64 for p in parts]
        if self._key_size == 1:
            return h[0]
        out = 0
        for x in h:
            out = _combine(out, x)
        return out

    def _allocate(self, num_buckets):
        if num_buckets < 4 or num_buckets & (num_buckets - 1):
            raise invalid(
                f"Number of buckets must be at least 4 and a power of 2, got: {num_buckets}"
            )
        self._n = num_buckets
        self._entries = 0
        self._keys = [self._empty] * num_buckets  # bucket -> key
        self._values = xp.empty((num_buckets, self._value_size), np_dtype(self.value_dtype))
        self._values[...] = zero_value(self.value_dtype)
        self._where = {}  # key -> the bucket probing finds it in

    def size(self):
        return self._entries

    # ---- probing
    def _probe(self, key, stop_at_deleted):
        """First bucket of ``key``'s chain holding ``key``, or (when ``stop_at_deleted``) a
        free one; ``(bucket, found)``; ``(None, False)`` when the chain reaches an empty bucket
        while looking for the key only."""
        mask, b, probes = self._n - 1, self._hash(key) & (self._n - 1), 0
        while True:
            cur = self._keys[b]
            if cur == key:
                return b, True
            if cur == self._empty or (stop_at_deleted and cur == self._deleted):
                return (b if stop_at_deleted else None), False
            probes += 1
            b = (b + probes) & mask
            if probes >= self._n:
                raise TableError(
                    errors.InternalError, "Internal error in MutableDenseHashTable lookup"
                )

    def _check_key(self, key):
        if key == self._empty:
            raise invalid("Using the empty_key as a table key is not allowed")
        if key == self._deleted:
            raise invalid("Using the deleted_key as a table key is not allowed")

    def _check_batch(self, keys):
        n = 1 if keys.ndim == 0 else keys.shape[0]
        if keys.size != n * self._key_size:
            raise invalid(
                f"Expected key shape {debug_shape((n,) + self.key_shape)} got "
                f"{debug_shape(keys.shape)}"
            )
        return n

    # ---- the ops
    def find(self, keys, default):
        n = self._check_batch(keys)
        key_list = self._keys_of(keys)
        special = {self._empty, self._deleted}
        if not special.isdisjoint(key_list):  # TF reports the first such key
            self._check_key(next(k for k in key_list if k in special))
        rows = xp.fromiter((self._where.get(k, -1) for k in key_list), xp.int64, n)
        d = default.reshape(-1)[: self._value_size]
        out = gather_rows(self._values, rows, d, (self._value_size,))
        return out.reshape(tuple(keys.shape[: keys.ndim - len(self.key_shape)]) + self.value_shape)

    def insert(self, keys, values):
        n = self._check_batch(keys)
        pending = self._entries + n  # TF assumes every key is new
        if pending > self._n * _LOAD:
            size = self._n
            while pending > size * _LOAD:
                size <<= 1
            self._rebucket(size)
        self._insert(self._keys_of(keys), values.reshape(n, self._value_size), False)

    def _insert(self, key_list, value_rows, skip_special):
        for key, value in zip(key_list, value_rows):
            if skip_special and key in (self._empty, self._deleted):
                continue
            self._check_key(key)
            b, found = self._probe(key, True)
            if not found:
                self._entries += 1
                self._keys[b] = key
                self._where[key] = b
            self._values[b] = value

    def _rebucket(self, num_buckets):
        old = [
            (k, self._values[b])
            for b, k in enumerate(self._keys)
            if k != self._empty and k != self._deleted
        ]
        self._allocate(num_buckets)
        self._insert([k for k, _ in old], [v for _, v in old], True)

    def remove(self, keys):
        self._check_batch(keys)
        for key in self._keys_of(keys):
            self._check_key(key)
            b, found = self._probe(key, False)
            if found:
                self._entries -= 1
                self._keys[b] = self._deleted
                b, found = self._probe(key, False)  # a later copy of the key becomes visible
                if found:
                    self._where[key] = b
                else:
                    del self._where[key]

    def import_values(self, keys, values):
        n = keys.shape[0]
        self._n = n
        self._keys = self._keys_of(keys.reshape(n, self._key_size))
        self._values = values.reshape(n, self._value_size).copy()
        self._entries = sum(k != self._empty and k != self._deleted for k in self._keys)
        self._where = {}
        for b in range(n - 1, -1, -1):  # the first bucket of a repeated key wins
            k = self._keys[b]
            if k != self._empty and k != self._deleted:
                self._where[k] = b

    def check_import(self, keys, values, key_dtype, value_dtype):
        """Imported buckets are ``[n, key_size]`` / ``[n, value_size]`` (TF's export layout)."""
        self.check_types(key_dtype, value_dtype)
        self.check_key_shape(keys.shape)
        key_rank = max(len(self.key_shape), 1)
        want = tuple(keys.shape[: keys.ndim - key_rank]) + (self.value_shape or (1,))
        if tuple(values.shape) != want:
            raise invalid(
                f"Expected shape {debug_shape(want)} for value, got {debug_shape(values.shape)}"
            )

    def export(self):
        keys = xp.array(
            self._keys if self._key_size == 1 else [list(k) for k in self._keys],
            dtype=np_dtype(self.key_dtype),
        ).reshape(self._n, self._key_size)
        return keys, self._values.copy()


__all__ = ["DenseHashTable"]
