"""Table initializers: ``tf.lookup.KeyValueTensorInitializer``, ``TextFileInitializer``,
``TextFileIndex``.

``initializer.initialize(table)`` fills ``table`` through its resource handle
(``LookupTableImportV2`` / ``InitializeTableFromTextFileV2``). As tables created in TF 2 are
initialized on creation, the init op runs eagerly whenever its inputs are known (eager tensors,
Python values, constants of a trace); only inputs computed inside a graph (e.g. a
``tf.function`` argument) leave an init node in that graph, run on every call as TF runs it.
"""

import itertools

from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.lookup_ops import table_ops

D = dtypes
_uid = itertools.count(1)


def check_table_dtypes(table, key_dtype, value_dtype):
    """TypeError unless ``key_dtype``/``value_dtype`` are the table's."""
    if key_dtype.base_dtype != table.key_dtype:
        raise TypeError(
            f"Invalid key dtype for table, expected {table.key_dtype} but got {key_dtype}."
        )
    if value_dtype.base_dtype != table.value_dtype:
        raise TypeError(
            f"Invalid value dtype for table, expected {table.value_dtype} but got {value_dtype}."
        )


def run_init(fn, handle, *tensors, **kwargs):
    """``fn(handle, *tensors)`` eagerly when the tensors' values are known, else in the graph."""
    known = [table_ops.known_value(t) for t in tensors]
    if all(k is not None for k in known):
        with table_ops.init_scope():
            fn(handle, *known, **kwargs)
    else:
        fn(handle, *tensors, **kwargs)


class TableInitializerBase:
    """Base class of table initializers: the key and value dtypes they produce."""

    def __init__(self, key_dtype, value_dtype):
        self._key_dtype = dtypes.as_dtype(key_dtype)
        self._value_dtype = dtypes.as_dtype(value_dtype)

    @property
    def key_dtype(self):
        """The expected table key dtype."""
        return self._key_dtype

    @property
    def value_dtype(self):
        """The expected table value dtype."""
        return self._value_dtype

    def initialize(self, table):
        """Returns the table initialization op."""
        raise NotImplementedError

    @property
    def _shared_name(self):
        return str(next(_uid))


@tf_export("lookup.KeyValueTensorInitializer")
class KeyValueTensorInitializer(TableInitializerBase):
    """Table initializer from ``keys`` and ``values`` tensors (same shape, one pair each).

    Example:
        >>> init = tf.lookup.KeyValueTensorInitializer(['a', 'b', 'c'], [7, 8, 9])
        >>> table = tf.lookup.StaticHashTable(init, default_value=-1)
        >>> table.lookup(tf.constant(['a', 'f'])).numpy()
        array([ 7, -1], dtype=int32)
    """

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        self._keys = convert_to_tensor(keys, dtype=key_dtype, name="keys")
        self._values = convert_to_tensor(values, dtype=value_dtype, name="values")
        self._name = (name if name is not None else "key_value_init") + str(next(_uid))
        super().__init__(self._keys.dtype, self._values.dtype)

    def initialize(self, table):
        """Initializes ``table`` with the keys and values (TypeError on other dtypes)."""
        check_table_dtypes(table, self._keys.dtype, self._values.dtype)
        run_init(table_ops.import_values, table.resource_handle, self._keys, self._values)


@tf_export("lookup.TextFileIndex")
class TextFileIndex:
    """Which part of a line a ``TextFileInitializer`` takes: ``WHOLE_LINE`` (-2, the line),
    ``LINE_NUMBER`` (-1, its number from 0, int64) or a field index ``>= 0``."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


@tf_export("lookup.TextFileInitializer")
class TextFileInitializer(TableInitializerBase):
    """Table initializer from a text file: one ``(key, value)`` entry per line.

    ``key_index`` / ``value_index`` pick ``TextFileIndex.LINE_NUMBER`` (int64),
    ``TextFileIndex.WHOLE_LINE`` (string or integer) or the field of that index when the line
    is split at ``delimiter``. ``value_index_offset`` is added to line numbers.

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "vocab.txt")
        >>> with open(path, "w") as f:
        ...     _ = f.write("emerson 10\\nlake 20\\npalmer 30\\n")
        >>> init = tf.lookup.TextFileInitializer(path, tf.string, 0, tf.int64, 1, delimiter=" ")
        >>> table = tf.lookup.StaticHashTable(init, default_value=-1)
        >>> table.lookup(tf.constant(['palmer', 'lake', 'tarkus'])).numpy()
        array([30, 20, -1])
    """

    def __init__(
        self,
        filename,
        key_dtype,
        key_index,
        value_dtype,
        value_index,
        vocab_size=None,
        delimiter="\t",
        name=None,
        value_index_offset=0,
    ):
        if not isinstance(filename, Tensor) and not filename:
            raise ValueError("`filename` argument required for tf.lookup.TextFileInitializer")
        key_dtype, value_dtype = dtypes.as_dtype(key_dtype), dtypes.as_dtype(value_dtype)
        _check_index("key", key_index, key_dtype, "if `key_index` is", "for `key_index`")
        _check_index("value", value_index, value_dtype, "for `value_index`", "for `value_index`")
        if vocab_size is not None and vocab_size <= 0:
            raise ValueError(f"`vocab_size` should be > 0, received: {vocab_size}")
        self._filename_arg = filename
        self._filename = filename
        self._key_index = key_index
        self._value_index = value_index
        self._vocab_size = vocab_size
        self._delimiter = delimiter
        self._name = name
        self._offset = value_index_offset
        super().__init__(key_dtype, value_dtype)

    def initialize(self, table):
        """Initializes ``table`` from the file (TypeError on other dtypes)."""
        check_table_dtypes(table, self.key_dtype, self.value_dtype)
        filename = convert_to_tensor(self._filename, D.string, name="asset_filepath")
        run_init(
            table_ops.initialize_from_text_file,
            table.resource_handle,
            filename,
            key_index=self._key_index,
            value_index=self._value_index,
            vocab_size=-1 if self._vocab_size is None else self._vocab_size,
            delimiter=self._delimiter,
            offset=self._offset,
        )


def _check_index(what, index, dtype, line_number_words, whole_line_words):
    """TextFileInitializer's ValueErrors for an index that cannot give ``dtype``."""
    if index < -2:
        sep = "." if what == "key" else ""
        raise ValueError(f"`{what}_index` should be >= -2, received: {index}{sep}")
    if index == TextFileIndex.LINE_NUMBER and dtype != D.int64:
        raise ValueError(
            f"`{what}_dtype` must be int64 {line_number_words} "
            f"{TextFileIndex.LINE_NUMBER}, received: {dtype}"
        )
    if index == TextFileIndex.WHOLE_LINE and not dtype.is_integer and dtype != D.string:
        raise ValueError(
            f"`{what}_dtype` should be either integer or string {whole_line_words} "
            f"{TextFileIndex.WHOLE_LINE}, received: {dtype}"
        )


__all__ = [
    "KeyValueTensorInitializer",
    "TableInitializerBase",
    "TextFileIndex",
    "TextFileInitializer",
    "check_table_dtypes",
]
