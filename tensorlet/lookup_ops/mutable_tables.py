"""``tf.lookup.experimental.MutableHashTable`` and ``DenseHashTable``: tables updated by
``insert`` / ``remove`` after creation.

``MutableHashTable`` is a plain hash map (vector values when ``default_value`` is a vector);
``DenseHashTable`` is TF's open-addressing table (``dense_table_resource.py``), whose ``export``
returns its bucket arrays. Every call is a stateful op, so updates and lookups keep their
program order inside ``tf.function``.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.lookup_ops import table_ops, table_resources
from tensorlet.lookup_ops.dense_table_resource import DenseHashTable as _DenseResource
from tensorlet.lookup_ops.static_tables import LookupInterface
from tensorlet.lookup_ops.table_resources import TableError

D = dtypes


def _create(op_name, make):
    try:
        return table_ops.make_handle(make())
    except TableError as e:
        raise errors.op_error(e.cls, op_name, e.message) from None


class _MutableTable(LookupInterface):
    """What both mutable tables share: size, export, keys' dtype checks."""

    def size(self, name=None):
        """The number of elements in the table: a scalar int64 tensor."""
        return table_ops.size(self.resource_handle, name=name)

    def export(self, name=None):
        """``(keys, values)``: tensors of the table's contents."""
        return table_ops.export(self.resource_handle, self._key_dtype, self._value_dtype, name=name)

    def _keys_for_remove(self, keys, message):
        if not isinstance(keys, Tensor):
            keys = convert_to_tensor(keys, dtype=self._key_dtype)
        if keys.dtype != self._key_dtype:
            raise TypeError(message % (self._key_dtype, keys.dtype))
        return keys

    def _serialize_to_tensors(self):
        keys, values = self.export()
        return {"-keys": keys, "-values": values}

    def _restore_from_tensors(self, restored_tensors):
        return table_ops.import_values(
            self.resource_handle, restored_tensors["-keys"], restored_tensors["-values"]
        )


@tf_export("lookup.experimental.MutableHashTable")
class MutableHashTable(_MutableTable):
    """A generic mutable hash table: ``insert``, ``remove``, ``lookup``, ``export``.

    Example:
        >>> table = tf.lookup.experimental.MutableHashTable(
        ...     key_dtype=tf.string, value_dtype=tf.int64, default_value=-1)
        >>> table.insert(tf.constant(['a', 'b', 'c']), tf.constant([7, 8, 9], dtype=tf.int64))
        >>> table.lookup(tf.constant(['a', 'f'])).numpy()
        array([ 7, -1])
        >>> table.remove(tf.constant(['c']))
        >>> table.lookup(tf.constant(['a', 'b', 'c'])).numpy()
        array([ 7,  8, -1])
    """

    def __init__(
        self,
        key_dtype,
        value_dtype,
        default_value,
        name="MutableHashTable",
        checkpoint=True,
        experimental_is_anonymous=False,
    ):
        self._default_value = table_ops.eager_constant(default_value, value_dtype)
        self._value_shape = self._default_value.shape
        self._checkpoint = checkpoint
        self._name = name
        self._is_anonymous = experimental_is_anonymous
        super().__init__(key_dtype, value_dtype)
        self._resource_handle = self._create_resource()

    def _create_resource(self):
        shape = tuple(self._value_shape.as_list())
        op_name = "MutableHashTableV2" if not shape else "MutableHashTableOfTensorsV2"
        table_resources.check_kernel(op_name, self._key_dtype, self._value_dtype)
        if len(shape) > 1:
            raise errors.op_error(
                errors.InvalidArgumentError,
                op_name,
                f"Default value must be a vector, got shape {table_resources.debug_shape(shape)}",
            )
        return _create(
            op_name,
            lambda: table_resources.MutableHashTable(self._key_dtype, self._value_dtype, shape),
        )

    def remove(self, keys, name=None):
        """Removes ``keys`` (missing keys are ignored)."""
        keys = self._keys_for_remove(keys, "Dtype of argument `keys` must be %s, received: %s")
        table_ops.remove(self.resource_handle, keys, name=name)

    def lookup(self, keys, dynamic_default_values=None, name=None):
        """Values of ``keys`` (shape ``keys.shape + value_shape``); missing keys get the default
        value, or their entry of ``dynamic_default_values`` (the output's shape)."""
        keys = convert_to_tensor(keys, dtype=self._key_dtype, name="keys")
        default = (
            self._default_value
            if dynamic_default_values is None
            else convert_to_tensor(dynamic_default_values, dtype_hint=self._value_dtype)
        )
        return table_ops.find(self.resource_handle, keys, default, name=name)

    def insert(self, keys, values, name=None):
        """Associates ``keys`` with ``values`` (shape ``keys.shape + value_shape``)."""
        keys = convert_to_tensor(keys, self._key_dtype, name="keys")
        values = convert_to_tensor(values, self._value_dtype, name="values")
        table_ops.insert(self.resource_handle, keys, values, name=name)


@tf_export("lookup.experimental.DenseHashTable")
class DenseHashTable(_MutableTable):
    """A mutable hash table with open addressing (quadratic probing) over bucket arrays.

    ``empty_key`` and ``deleted_key`` mark free and erased buckets and can never be used as
    keys. ``export()`` returns the buckets: keys ``[num_buckets, key_size]`` (free buckets hold
    ``empty_key``) and values ``[num_buckets, value_size]``.

    Example:
        >>> table = tf.lookup.experimental.DenseHashTable(
        ...     key_dtype=tf.string, value_dtype=tf.int64, default_value=-1,
        ...     empty_key='', deleted_key='$')
        >>> table.insert(tf.constant(['a', 'b', 'c']), tf.constant([0, 1, 2], dtype=tf.int64))
        >>> table.remove(tf.constant(['c']))
        >>> table.lookup(tf.constant(['a', 'b', 'c', 'd'])).numpy()
        array([ 0,  1, -1, -1])
    """

    def __init__(
        self,
        key_dtype,
        value_dtype,
        default_value,
        empty_key,
        deleted_key,
        initial_num_buckets=None,
        name="MutableDenseHashTable",
        checkpoint=True,
        experimental_is_anonymous=False,
    ):
        self._default_value = table_ops.eager_constant(
            default_value, value_dtype, name="default_value"
        )
        self._initial_num_buckets = initial_num_buckets
        self._value_shape = self._default_value.shape
        self._checkpoint = checkpoint
        self._name = name
        self._empty_key = empty_key
        self._deleted_key = deleted_key
        self._is_anonymous = experimental_is_anonymous
        super().__init__(key_dtype, value_dtype)
        self._resource_handle = self._create_resource()

    def _create_resource(self):
        empty = table_ops.eager_constant(self._empty_key, self._key_dtype, name="empty_key")
        deleted = table_ops.eager_constant(self._deleted_key, self._key_dtype, name="deleted_key")
        table_resources.check_kernel("MutableDenseHashTableV2", self._key_dtype, self._value_dtype)
        buckets = 131072 if self._initial_num_buckets is None else self._initial_num_buckets
        return _create(
            "MutableDenseHashTableV2",
            lambda: _DenseResource(
                self._key_dtype,
                self._value_dtype,
                xp.asarray(empty._value),
                xp.asarray(deleted._value),
                tuple(self._value_shape.as_list()),
                int(buckets),
            ),
        )

    def lookup(self, keys, name=None):
        """Values of ``keys`` (``default_value`` for missing keys)."""
        keys = convert_to_tensor(keys, dtype=self._key_dtype, name="keys")
        return table_ops.find(self.resource_handle, keys, self._default_value, name=name)

    def insert_or_assign(self, keys, values, name=None):
        """Associates ``keys`` with ``values``."""
        keys = convert_to_tensor(keys, dtype=self._key_dtype, name="keys")
        values = convert_to_tensor(values, dtype=self._value_dtype, name="values")
        table_ops.insert(self.resource_handle, keys, values, name=name)

    def insert(self, keys, values, name=None):
        """Associates ``keys`` with ``values`` (``insert_or_assign``)."""
        return self.insert_or_assign(keys, values, name)

    def erase(self, keys, name=None):
        """Removes ``keys`` (missing keys are ignored)."""
        keys = self._keys_for_remove(keys, "Signature mismatch. Keys must be dtype %s, got %s.")
        table_ops.remove(self.resource_handle, keys, name=name)

    def remove(self, keys, name=None):
        """Removes ``keys`` (``erase``)."""
        return self.erase(keys, name)


__all__ = ["DenseHashTable", "MutableHashTable"]
