"""``tf.lookup.StaticHashTable``: an immutable table filled once by an initializer.

``LookupInterface`` is what every table shares (dtypes, ``resource_handle``, ``table[keys]``);
``InitializableLookupTableBase`` adds the default value and initialization on creation.
Lookups accept dense, ``SparseTensor`` (values looked up, indices kept) and ``RaggedTensor``
keys and run eagerly, in ``tf.function`` and in ``tf.data`` transformations.
"""

from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.lookup_ops import table_ops, table_resources
from tensorlet.ragged_tensors.ragged_tensor import RaggedTensor
from tensorlet.sparse_tensors.sparse_tensor import SparseTensor

D = dtypes


def split_keys(keys, key_dtype):
    """``(key tensor, rebuild)``: the dense keys of ``keys`` and how to put values back."""
    if isinstance(keys, SparseTensor):
        return keys.values, keys.with_values
    if isinstance(keys, RaggedTensor):
        return keys.flat_values, keys.with_flat_values
    if not isinstance(keys, Tensor):
        keys = convert_to_tensor(keys, dtype_hint=key_dtype)
    return keys, None


def check_keys_dtype(keys, key_dtype):
    if keys.dtype.base_dtype != key_dtype:
        raise TypeError(f"Dtype of argument `keys` must be {key_dtype}, received: {keys.dtype}")


class LookupInterface:
    """A lookup table that persists across steps (TF's ``LookupInterface``)."""

    def __init__(self, key_dtype, value_dtype):
        self._key_dtype = dtypes.as_dtype(key_dtype)
        self._value_dtype = dtypes.as_dtype(value_dtype)

    @property
    def key_dtype(self):
        """The table key dtype."""
        return self._key_dtype

    @property
    def value_dtype(self):
        """The table value dtype."""
        return self._value_dtype

    @property
    def name(self):
        """The name of the table (None for tables created eagerly)."""
        return None

    @property
    def resource_handle(self):
        """The table's scalar ``resource`` tensor (input 0 of the lookup ops)."""
        return self._resource_handle

    def size(self, name=None):
        """Compute the number of elements in this table."""
        raise NotImplementedError

    def lookup(self, keys, name=None):
        """Looks up `keys` in a table, outputs the corresponding values."""
        raise NotImplementedError

    def __getitem__(self, keys):
        """Looks up ``keys`` in the table (``table.lookup(keys)``)."""
        return self.lookup(keys)


class InitializableLookupTableBase(LookupInterface):
    """A table filled once by ``initializer`` on creation, with a scalar ``default_value``."""

    def __init__(self, default_value, initializer):
        super().__init__(initializer.key_dtype, initializer.value_dtype)
        self._default_value = table_ops.eager_constant(default_value, self._value_dtype)
        self._default_value.shape.merge_with(TensorShape([]))
        self._initializer = initializer
        self._resource_handle = self._create_resource()
        self._init_op = self._initialize()

    def _initialize(self):
        return self._initializer.initialize(self)

    @property
    def default_value(self):
        """The default value of the table."""
        return self._default_value

    def size(self, name=None):
        """The number of elements in the table: a scalar int64 tensor."""
        return table_ops.size(self.resource_handle, name=name)

    def lookup(self, keys, name=None):
        """Values of ``keys`` (``default_value`` for missing keys): a tensor of the keys' shape,
        or a ``SparseTensor`` / ``RaggedTensor`` when ``keys`` is one.

        Raises:
          TypeError: when ``keys`` has another dtype than the table's keys.
        """
        key_tensor, rebuild = split_keys(keys, self._key_dtype)
        check_keys_dtype(key_tensor, self._key_dtype)
        values = table_ops.find(self.resource_handle, key_tensor, self._default_value, name=name)
        return values if rebuild is None else rebuild(values)


@tf_export("lookup.StaticHashTable")
class StaticHashTable(InitializableLookupTableBase):
    """A generic hash table that is immutable once initialized.

    Example:
        >>> table = tf.lookup.StaticHashTable(
        ...     tf.lookup.KeyValueTensorInitializer(['a', 'b', 'c'], [7, 8, 9]), default_value=-1)
        >>> table.lookup(tf.constant(['a', 'f'])).numpy()
        array([ 7, -1], dtype=int32)
        >>> table[tf.constant([['a', 'b'], ['c', 'd']])].numpy()
        array([[ 7,  8],
               [ 9, -1]], dtype=int32)
    """

    def __init__(self, initializer, default_value, name=None, experimental_is_anonymous=False):
        self._initializer = initializer
        self._default_value = default_value
        self._is_anonymous = experimental_is_anonymous
        self._name = name or "hash_table"
        super().__init__(default_value, initializer)
        self._value_shape = self._default_value.shape

    def _create_resource(self):
        key, value = self._initializer.key_dtype, self._initializer.value_dtype
        table_resources.check_kernel("HashTableV2", key, value)
        return table_ops.make_handle(table_resources.HashTable(key, value))

    def export(self, name=None):
        """``(keys, values)``: tensors of all the table's keys and values."""
        return table_ops.export(self.resource_handle, self._key_dtype, self._value_dtype, name=name)


@tf_export("compat.v1.lookup.StaticHashTable")
class StaticHashTableV1(StaticHashTable):
    """TF 1's ``StaticHashTable``: also exposes its ``initializer`` op."""

    @property
    def initializer(self):
        return self._init_op


__all__ = [
    "InitializableLookupTableBase",
    "LookupInterface",
    "StaticHashTable",
    "StaticHashTableV1",
    "check_keys_dtype",
    "split_keys",
]
