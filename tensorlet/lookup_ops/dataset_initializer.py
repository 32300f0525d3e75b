"""Tables from ``tf.data`` datasets: ``tf.data.experimental.DatasetInitializer``,
``table_from_dataset`` and ``index_table_from_dataset``.

The dataset (of ``(key, value)`` scalar pairs) is read eagerly when the table is initialized,
in order, as TF's ``InitializeTableFromDataset`` kernel reads it.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_spec import TensorSpec
from tensorlet.lookup_ops import table_ops
from tensorlet.lookup_ops.initializers import TableInitializerBase, check_table_dtypes
from tensorlet.lookup_ops.static_tables import StaticHashTableV1
from tensorlet.lookup_ops.table_resources import np_dtype
from tensorlet.lookup_ops.vocabulary_tables import FastHashSpec, IdTableWithHashBuckets
from tensorlet.ops import cast_ops

D = dtypes
_BASE_ERROR = (
    "Datasets used to initialize lookup tables must produce elements in the form "
    "(key, value), where the keys and values are scalar tensors. "
)


def _check_element_spec(spec):
    """ValueError unless the dataset yields pairs of scalar tensors."""
    if not isinstance(spec, (tuple, list)) or len(spec) != 2:
        n = len(spec) if isinstance(spec, (tuple, list)) else 1
        raise ValueError(
            _BASE_ERROR + f"However, the given dataset produces {n} components "
            f"instead of two (key, value) components. Full dataset element spec: "
            f"{spec}."
        )
    for what, s in (("keys", spec[0]), ("values", spec[1])):
        if not isinstance(s, TensorSpec):
            raise ValueError(  # noqa: TRY004 (TF's class)
                _BASE_ERROR + f"However, the given dataset produces non-Tensor {what} of type "
                f"{type(s)}."
            )
    for what, s in (("key", spec[0]), ("value", spec[1])):
        if s.shape.rank not in (None, 0):
            raise ValueError(
                _BASE_ERROR + "However, the given dataset produces non-scalar "
                f"{what} Tensors of rank {s.shape.rank}."
            )


def _column(parts, dtype):
    arr = xp.concatenate(parts) if parts else xp.zeros(0, np_dtype(dtype))
    return EagerTensor(arr.astype(np_dtype(dtype), copy=False), dtype)


@tf_export("data.experimental.DatasetInitializer", "compat.v1.data.experimental.DatasetInitializer")
class DatasetInitializer(TableInitializerBase):
    """Table initializer from a ``tf.data.Dataset`` of ``(key, value)`` scalar pairs.

    Example:
        >>> keys = tf.data.Dataset.range(100)
        >>> values = tf.data.Dataset.range(100).map(lambda x: tf.strings.as_string(x * 2))
        >>> init = tf.data.experimental.DatasetInitializer(tf.data.Dataset.zip((keys, values)))
        >>> table = tf.lookup.StaticHashTable(init, "")
        >>> table.lookup(tf.constant([0, 1, 2], dtype=tf.int64)).numpy()
        array([b'0', b'2', b'4'], dtype=object)
    """

    def __init__(self, dataset):
        self.dataset = dataset
        spec = dataset.element_spec
        _check_element_spec(spec)
        super().__init__(spec[0].dtype, spec[1].dtype)

    def initialize(self, table):
        """Initializes ``table`` with the dataset's pairs."""
        check_table_dtypes(table, self._key_dtype, self._value_dtype)
        with table_ops.init_scope():
            keys, values = [], []
            for k, v in self.dataset:
                keys.append(xp.reshape(k._value, (1,)))
                values.append(xp.reshape(v._value, (1,)))
            table_ops.import_values(
                table.resource_handle,
                _column(keys, self._key_dtype),
                _column(values, self._value_dtype),
            )


@tf_export("data.experimental.table_from_dataset", "compat.v1.data.experimental.table_from_dataset")
def table_from_dataset(
    dataset=None,
    num_oov_buckets=0,
    vocab_size=None,
    default_value=None,
    hasher_spec=FastHashSpec,
    key_dtype=D.string,
    name=None,
):
    """A lookup table of the dataset's ``(key, value)`` pairs, with ``num_oov_buckets`` hash
    buckets for other keys (else ``default_value``, -1 by default for numeric values).

    Example:
        >>> keys = tf.data.Dataset.range(100)
        >>> values = tf.data.Dataset.range(100).map(lambda x: tf.strings.as_string(x * 2))
        >>> table = tf.data.experimental.table_from_dataset(
        ...     tf.data.Dataset.zip((keys, values)), default_value='n/a', key_dtype=tf.int64)
        >>> table.lookup(tf.constant([0, 1, 2], dtype=tf.int64)).numpy()
        array([b'0', b'2', b'4'], dtype=object)
    """
    spec = dataset.element_spec
    _check_element_spec(spec)
    if default_value is None:
        default_value = -1
        if not (spec[1].dtype.is_integer or spec[1].dtype.is_floating):
            raise ValueError(
                "`default_value` must be specified when creating a table from a "
                f"dataset that produces values of type {spec[1].dtype}."
            )
    if num_oov_buckets < 0:
        raise ValueError(
            f"`num_oov_buckets` must be greater than or equal to 0, got {num_oov_buckets}."
        )
    if not isinstance(vocab_size, Tensor) and vocab_size is not None and vocab_size < 1:
        raise ValueError(f"`vocab_size` must be greater than 0, got {vocab_size}.")
    key_dtype = D.as_dtype(key_dtype)
    if not key_dtype.is_integer and key_dtype != D.string:
        raise TypeError(
            f"`key_dtype` must be either an integer or string type, but got {key_dtype}"
        )
    if vocab_size is not None:
        if isinstance(vocab_size, Tensor):
            vocab_size = cast_ops.cast(vocab_size, D.int64)
        dataset = dataset.take(vocab_size).assert_cardinality(vocab_size)
    table = StaticHashTableV1(DatasetInitializer(dataset), default_value)
    if num_oov_buckets:
        table = IdTableWithHashBuckets(
            table, num_oov_buckets=num_oov_buckets, hasher_spec=hasher_spec, key_dtype=key_dtype
        )
    return table


@tf_export(
    "data.experimental.index_table_from_dataset",
    "compat.v1.data.experimental.index_table_from_dataset",
)
def index_table_from_dataset(
    dataset=None,
    num_oov_buckets=0,
    vocab_size=None,
    default_value=-1,
    hasher_spec=FastHashSpec,
    key_dtype=D.string,
    name=None,
):
    """A key -> index table of the dataset's elements (their positions, int64).

    Example:
        >>> ds = tf.data.Dataset.range(100).map(lambda x: tf.strings.as_string(x * 2))
        >>> table = tf.data.experimental.index_table_from_dataset(ds, key_dtype=tf.int64)
        >>> table.lookup(tf.constant(['0', '2', '4'], dtype=tf.string)).numpy()
        array([0, 1, 2])
    """
    return table_from_dataset(
        dataset.enumerate().map(lambda v, k: (k, v)),
        num_oov_buckets,
        vocab_size,
        default_value,
        hasher_spec,
        key_dtype,
        name,
    )


__all__ = ["DatasetInitializer", "index_table_from_dataset", "table_from_dataset"]
