"""``tf.lookup.StaticVocabularyTable``: key -> id, with hash buckets for unknown keys.

A key found in the vocabulary gets its id; any other key gets
``Fingerprint64(str(key)) % num_oov_buckets + vocab_size`` (``tf.strings.to_hash_bucket_fast``
of the key, integers formatted by ``tf.strings.as_string``), so the out-of-vocabulary ids range
over ``[size, size + num_oov_buckets)`` whatever the vocabulary's ids are.
``IdTableWithHashBuckets`` (TF 1's variant, used by ``table_from_dataset``) also takes the
legacy or keyed ("strong") hash through a ``HasherSpec``.
"""

import collections
import functools

from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.lookup_ops.static_tables import (
    LookupInterface,
    StaticHashTableV1,
    check_keys_dtype,
    split_keys,
)
from tensorlet.ops import array_ops, cast_ops, comparison_ops, math_ops, string_ops_hash
from tensorlet.ops.string_ops_convert import as_string

D = dtypes


class HasherSpec(collections.namedtuple("HasherSpec", ["hasher", "key"])):
    """Which hash makes the out-of-vocabulary buckets: ``fasthash``, ``legacy``, ``stronghash``."""

    __slots__ = ()


FastHashSpec = HasherSpec("fasthash", None)


class StrongHashSpec(HasherSpec):
    """The keyed ``stronghash`` (SipHash) with a key of two unsigned integers."""

    __slots__ = ()

    def __new__(cls, key):
        if len(key) != 2:
            raise ValueError(f"`key` must have size 2, received {len(key)}")
        if not isinstance(key[0], int) or not isinstance(key[1], int):
            raise TypeError(f"Invalid key {key}. Must be unsigned integer values.")
        return super(cls, StrongHashSpec).__new__(cls, "stronghash", key)


def _hash_fn(hasher_spec):
    if not isinstance(hasher_spec, HasherSpec):
        raise TypeError(f"`hasher_spec` must be of type HasherSpec, got {type(hasher_spec)}.")
    if hasher_spec.hasher == "fasthash":
        return string_ops_hash.string_to_hash_bucket_fast
    if hasher_spec.hasher == "legacy":
        return string_ops_hash.string_to_hash_bucket
    if hasher_spec.hasher == "stronghash":
        return functools.partial(string_ops_hash.string_to_hash_bucket_strong, key=hasher_spec.key)
    raise ValueError(f"Found unknown hasher {hasher_spec.hasher} in `hasher_spec`")


class _BucketedTable(LookupInterface):
    """An int64 id table (or none) plus ``num_oov_buckets`` hash buckets."""

    _hasher_spec = FastHashSpec

    @property
    def resource_handle(self):
        return self._table.resource_handle if self._table is not None else None

    @property
    def name(self):
        return self._table_name

    def _initialize(self):
        return self._table._initialize() if self._table is not None else None

    def size(self, name=None):
        """Vocabulary size plus ``num_oov_buckets``: a scalar int64 tensor."""
        if self._table is not None:
            tsize = self._table.size()
        else:
            tsize = convert_to_tensor(0, dtype=D.int64)
        return math_ops.add(tsize, self._num_oov_buckets)

    def lookup(self, keys, name=None):
        """Ids of ``keys``: vocabulary ids, else hash bucket ids after the vocabulary.

        Raises:
          TypeError: when ``keys`` has another dtype than ``lookup_key_dtype``.
        """
        values, rebuild = split_keys(keys, self._key_dtype)
        check_keys_dtype(values, self._key_dtype)
        if self._table is not None and self._table.key_dtype.base_dtype == D.int64:
            values = cast_ops.cast(values, D.int64)
        if self._num_oov_buckets == 0:
            ids = self._table.lookup(values, name=name)
        else:
            text = values if values.dtype == D.string else as_string(values)
            buckets = _hash_fn(self._hasher_spec)(
                text, num_buckets=self._num_oov_buckets, name="hash_bucket"
            )
            if self._table is not None:
                ids = self._table.lookup(values)
                buckets = math_ops.add(buckets, self._table.size())
                found = comparison_ops.not_equal(ids, self._table.default_value)
                ids = array_ops.where_v2(found, ids, buckets)
            else:
                ids = buckets
        return ids if rebuild is None else rebuild(ids)

    def _check_table(self, table, key_dtype, message):
        supported = (D.int64, D.string)
        if table.key_dtype not in supported:
            raise TypeError(message(supported, table.key_dtype))
        if table.key_dtype.is_integer != key_dtype.is_integer:
            kind = "integer" if key_dtype.is_integer else "non-integer"
            raise TypeError(f"Invalid `key_dtype`, expected {kind} but got {table.key_dtype}.")


def _as_table_name(name):
    return name.split("/")[-1] if name is not None else None


@tf_export("lookup.StaticVocabularyTable")
class StaticVocabularyTable(_BucketedTable):
    """String (or integer) to id table with hash buckets for out-of-vocabulary keys.

    Example:
        >>> init = tf.lookup.KeyValueTensorInitializer(
        ...     keys=tf.constant(['emerson', 'lake', 'palmer']),
        ...     values=tf.constant([0, 1, 2], dtype=tf.int64))
        >>> table = tf.lookup.StaticVocabularyTable(init, num_oov_buckets=5)
        >>> table[tf.constant(['emerson', 'lake', 'palmer', 'king', 'crimson'])].numpy()
        array([0, 1, 2, 6, 7])
    """

    def __init__(
        self,
        initializer,
        num_oov_buckets,
        lookup_key_dtype=None,
        name=None,
        experimental_is_anonymous=False,
    ):
        if num_oov_buckets <= 0:
            raise ValueError("`num_oov_buckets` must be > 0; use StaticHashTable.")
        if name:
            name = name.rstrip("/")
        if initializer:
            if lookup_key_dtype is None:
                lookup_key_dtype = initializer.key_dtype
            lookup_key_dtype = D.as_dtype(lookup_key_dtype)
            self._check_table(
                initializer,
                lookup_key_dtype,
                lambda s, k: f"Invalid `key_dtype`, expected one of {s}, but got {k}.",
            )
            if initializer.value_dtype != D.int64:
                raise TypeError(
                    f"Invalid `value_dtype`, expected {D.int64} but got {initializer.value_dtype}."
                )
            self._initializer = initializer
            self._table = StaticHashTableV1(
                initializer, default_value=-1, experimental_is_anonymous=experimental_is_anonymous
            )
            name = name or self._table.name
        else:
            lookup_key_dtype = D.string
            self._table = None
            name = name or "hash_bucket"
        if not lookup_key_dtype.is_integer and lookup_key_dtype != D.string:
            raise TypeError(
                f"Invalid `key_dtype`, expected integer or string, got {lookup_key_dtype}"
            )
        self._num_oov_buckets = num_oov_buckets
        self._table_name = _as_table_name(name)
        super().__init__(lookup_key_dtype, D.int64)


@tf_export("compat.v1.lookup.StaticVocabularyTable")
class StaticVocabularyTableV1(StaticVocabularyTable):
    """TF 1's ``StaticVocabularyTable``: also exposes its ``initializer`` op."""

    @property
    def initializer(self):
        return self._table._init_op if self._table is not None else None


class IdTableWithHashBuckets(_BucketedTable):
    """TF 1's id table (``table``, may be None) with ``num_oov_buckets`` hashed by
    ``hasher_spec``; ids of out-of-vocabulary keys follow the table's size."""

    def __init__(self, table, num_oov_buckets, hasher_spec=FastHashSpec, name=None, key_dtype=None):
        if name:
            name = name.rstrip("/")
        if table:
            key_dtype = table.key_dtype if key_dtype is None else D.as_dtype(key_dtype)
            self._check_table(
                table,
                key_dtype,
                lambda s, k: f"Invalid `key_dtype`, expected one of {s}, received {key_dtype}.",
            )
            if table.value_dtype != D.int64:
                raise TypeError(
                    f"Invalid `value_dtype`: expected int64 but got {table.value_dtype}"
                )
            self._table = table
            name = name or table.name
        else:
            if num_oov_buckets <= 0:
                raise ValueError("`oov_buckets` must be > 0 if no `table` is supplied.")
            key_dtype = D.string if key_dtype is None else D.as_dtype(key_dtype)
            self._table = None
            name = name or "hash_bucket"
        if not key_dtype.is_integer and key_dtype != D.string:
            raise TypeError(f"Invalid `key_dtype`, expected integer or string, got {key_dtype}.")
        self._num_oov_buckets = num_oov_buckets
        _hash_fn(hasher_spec)
        self._hasher_spec = hasher_spec
        self._table_name = _as_table_name(name)
        super().__init__(key_dtype, D.int64)

    @property
    def initializer(self):
        return self._table._init_op if self._table is not None else None


__all__ = [
    "FastHashSpec",
    "HasherSpec",
    "IdTableWithHashBuckets",
    "StaticVocabularyTable",
    "StaticVocabularyTableV1",
    "StrongHashSpec",
]
