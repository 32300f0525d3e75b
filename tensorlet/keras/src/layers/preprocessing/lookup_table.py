"""``VocabularyTable``: the immutable key -> value table behind the lookup layers.

It plays the part of TF's ``StaticHashTable`` with tensorlet ops only, so that lookups run
eagerly, inside ``tf.function`` and in ``tf.data`` maps: integer keys are kept sorted and found
with ``searchsorted``; string keys are sorted by their FarmHash64 fingerprint (the hash of
``tf.strings.to_hash_bucket_fast``), found the same way, and confirmed by comparing the strings,
so a lookup is exact.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.keras.src.backend import core
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    cast_ops,
    comparison_ops,
    gather_ops,
    math_ops,
    string_ops_hash,
)
from tensorlet.ops.op_def import apply

_HASH_BUCKETS = 2**63 - 1


def _hash(strings):
    return string_ops_hash.string_to_hash_bucket_fast(strings, _HASH_BUCKETS)


class VocabularyTable:
    """Maps ``keys`` to ``values`` (1-D arrays of equal length); other keys give ``default``.

    Args:
        keys: strings (``str``/``bytes``) or integers.
        values: int64 indices or (for inverse lookups) strings / integers.
        key_dtype, value_dtype: ``'string'``, ``'int64'``, ``'int32'``.
        default_value: the value of missing keys.
        initialized: False for the placeholder table of a lookup layer without vocabulary:
            looking it up raises ``FailedPreconditionError`` (TF's uninitialized table).
    """

    def __init__(self, keys, values, key_dtype, value_dtype, default_value, initialized=True):
        self.initialized = initialized
        self.key_dtype = key_dtype
        self.value_dtype = value_dtype
        self.default_value = default_value
        self._keys = keys
        self._values = values
        with core.init_scope():
            self._build(keys, values)

    def _build(self, keys, values):
        n = len(keys)
        self._n = n
        if n == 0:
            return
        if self.key_dtype == "string":
            key_tensor = convert_to_tensor(_as_bytes(keys), dtype=dtypes.string)
            sort_keys = _hash(key_tensor).numpy()
        else:
            sort_keys = xp.asarray(keys, dtype=xp.int64)
        order = xp.argsort(sort_keys, kind="stable")
        self._sorted = convert_to_tensor(sort_keys[order][None, :], dtype=dtypes.int64)
        self._sorted_flat = array_ops.reshape(self._sorted, [-1])
        if self.key_dtype == "string":
            self._sorted_strings = convert_to_tensor(_as_bytes(keys)[order], dtype=dtypes.string)
        self._sorted_values = convert_to_tensor(
            _values_array(values, self.value_dtype)[order], dtype=_dtype(self.value_dtype)
        )

    def size(self):
        return self._n

    def export(self):
        """``(keys, values)`` as NumPy arrays, in insertion order."""
        return self._keys, self._values

    def lookup(self, inputs):
        """The values of ``inputs`` (a dense tensor), ``default_value`` where missing."""
        if not self.initialized:
            raise errors.FailedPreconditionError(None, None, "Table not initialized.")
        inputs = convert_to_tensor(inputs)
        default = convert_to_tensor(self.default_value, dtype=_dtype(self.value_dtype))
        if self._n == 0:
            return array_creation_ops.fill(array_ops.shape(inputs), default)
        if self.key_dtype == "string":
            keys = _hash(inputs)
        else:
            keys = cast_ops.cast(inputs, dtypes.int64)
        flat = array_ops.reshape(keys, [1, -1])
        pos = search_sorted(self._sorted, flat, "left", dtypes.int64)
        pos = math_ops.minimum(array_ops.reshape(pos, [-1]), self._n - 1)
        hit = comparison_ops.equal(
            gather_ops.gather(self._sorted_flat, pos), array_ops.reshape(keys, [-1])
        )
        if self.key_dtype == "string":
            same = comparison_ops.equal(
                gather_ops.gather(self._sorted_strings, pos), array_ops.reshape(inputs, [-1])
            )
            hit = comparison_ops.logical_and(hit, same)
        found = array_ops.where(hit, gather_ops.gather(self._sorted_values, pos), default)
        return array_ops.reshape(found, array_ops.shape(inputs))


def search_sorted(sorted_2d, values_2d, side, out_type):
    """``tf.searchsorted`` on ``[1, n]`` / ``[1, m]`` tensors, run as TF's ``LowerBound`` /
    ``UpperBound`` op directly: the public wrapper needs static shapes, and the lengths of
    traced values (``tf.data`` maps of strings) are unknown."""
    op = gather_ops.lower_bound_op if side == "left" else gather_ops.upper_bound_op
    return apply(op, sorted_2d, values_2d, out_type=out_type)


def _dtype(name):
    return dtypes.string if name == "string" else dtypes.as_dtype(name)


def _as_bytes(strings):
    return xp.array(
        [s.encode("utf-8") if isinstance(s, str) else bytes(s) for s in strings], dtype=object
    )


def _values_array(values, dtype):
    if dtype == "string":
        return _as_bytes(values)
    return xp.asarray(values, dtype=dtype)
