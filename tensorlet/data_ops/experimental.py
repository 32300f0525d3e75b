"""``tf.data.experimental``: functional forms of the transformations (``ds.apply(f)``) and
helpers (cardinality, get_single_element, Counter, TFRecordWriter, stats)."""

import time

from tensorlet.backend import xp
from tensorlet.data_ops import structure
from tensorlet.data_ops.dataset import DatasetV2, UnaryDataset
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_spec import TensorSpec


@tf_export("data.experimental.cardinality")
def cardinality(dataset):
    """``dataset.cardinality()``: int64 count, INFINITE_CARDINALITY or UNKNOWN_CARDINALITY."""
    return dataset.cardinality()


@tf_export("data.experimental.assert_cardinality")
def assert_cardinality(expected_cardinality):
    return lambda dataset: dataset.assert_cardinality(expected_cardinality)


@tf_export("data.experimental.get_single_element")
def get_single_element(dataset):
    """The only element of ``dataset``."""
    if not isinstance(dataset, DatasetV2):
        raise TypeError(
            f"Invalid `dataset`. Expected a `tf.data.Dataset` object but got {type(dataset)}."
        )
    return dataset.get_single_element()


@tf_export("data.experimental.get_structure")
def get_structure(dataset_or_iterator):
    """The element spec of a dataset or iterator."""
    try:
        return dataset_or_iterator.element_spec
    except AttributeError:
        raise TypeError(
            f"Invalid `dataset_or_iterator`. `dataset_or_iterator` must be a "
            f"`tf.data.Dataset` or tf.data.Iterator object, but got "
            f"{type(dataset_or_iterator)}."
        ) from None


@tf_export("data.experimental.scan")
def scan(initial_state, scan_func):
    return lambda dataset: dataset.scan(initial_state, scan_func)


@tf_export("data.experimental.enumerate_dataset")
def enumerate_dataset(start=0):
    return lambda dataset: dataset.enumerate(start)


@tf_export("data.experimental.unbatch")
def unbatch():
    return lambda dataset: dataset.unbatch()


@tf_export("data.experimental.unique")
def unique():
    return lambda dataset: dataset.unique()


@tf_export("data.experimental.ignore_errors")
def ignore_errors(log_warning=False):
    return lambda dataset: dataset.ignore_errors(log_warning)


@tf_export("data.experimental.take_while")
def take_while(predicate):
    return lambda dataset: dataset.take_while(predicate)


@tf_export("data.experimental.group_by_window")
def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
    return lambda dataset: dataset.group_by_window(
        key_func, reduce_func, window_size, window_size_func
    )


@tf_export("data.experimental.bucket_by_sequence_length")
def bucket_by_sequence_length(
    element_length_func,
    bucket_boundaries,
    bucket_batch_sizes,
    padded_shapes=None,
    padding_values=None,
    pad_to_bucket_boundary=False,
    no_padding=False,
    drop_remainder=False,
):
    return lambda dataset: dataset.bucket_by_sequence_length(
        element_length_func,
        bucket_boundaries,
        bucket_batch_sizes,
        padded_shapes,
        padding_values,
        pad_to_bucket_boundary,
        no_padding,
        drop_remainder,
    )


@tf_export("data.experimental.dense_to_ragged_batch")
def dense_to_ragged_batch(batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64):
    return lambda dataset: dataset.ragged_batch(batch_size, drop_remainder, row_splits_dtype)


@tf_export("data.experimental.dense_to_sparse_batch")
def dense_to_sparse_batch(batch_size, row_shape):
    return lambda dataset: dataset.sparse_batch(batch_size, row_shape)


@tf_export("data.experimental.shuffle_and_repeat")
def shuffle_and_repeat(buffer_size, count=None, seed=None):
    return lambda dataset: dataset.shuffle(buffer_size, seed).repeat(count)


@tf_export("data.experimental.map_and_batch")
def map_and_batch(
    map_func, batch_size, num_parallel_batches=None, drop_remainder=False, num_parallel_calls=None
):
    return lambda dataset: dataset.map(map_func).batch(batch_size, drop_remainder)


@tf_export("data.experimental.parallel_interleave")
def parallel_interleave(
    map_func,
    cycle_length,
    block_length=1,
    sloppy=False,
    buffer_output_elements=None,
    prefetch_input_elements=None,
):
    return lambda dataset: dataset.interleave(
        map_func, cycle_length, block_length, num_parallel_calls=cycle_length
    )


@tf_export("data.experimental.sample_from_datasets")
def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
    return DatasetV2.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)


@tf_export("data.experimental.choose_from_datasets")
def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
    return DatasetV2.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)


@tf_export("data.experimental.Counter")
def Counter(start=0, step=1, dtype=dtypes.int64):
    """``start, start + step, ...`` forever (``Dataset.counter``)."""
    return DatasetV2.counter(start, step, dtype)


@tf_export("data.experimental.RandomDataset")
def RandomDataset(seed=None):
    return DatasetV2.random(seed)


@tf_export("data.experimental.from_list")
def from_list(elements, name=None):
    """A dataset of the elements of a Python list (all of one structure)."""
    if not elements:
        raise ValueError("Invalid `elements`. `elements` should not be empty.")
    items = [structure.normalize_element(e) for e in elements]
    spec = structure.spec_of(items[0])
    for e in items[1:]:
        spec = structure.common_structure(spec, structure.spec_of(e))
    return _ListDataset(items, spec)


class _ListDataset(DatasetV2):
    """``from_list``: elements of a list."""

    def __init__(self, elements, spec):
        self._elements = elements
        self._spec = spec

    def _compute_spec(self, peek):
        return self._spec

    def _cardinality(self):
        return len(self._elements)

    def _iterator(self):
        return iter(self._elements)


@tf_export("data.experimental.copy_to_device")
def copy_to_device(target_device, source_device="/cpu:0"):
    """The dataset unchanged (tensorlet has one device)."""
    return lambda dataset: dataset


@tf_export("data.experimental.prefetch_to_device")
def prefetch_to_device(device, buffer_size=None):
    """The dataset unchanged (tensorlet has one device)."""
    return lambda dataset: dataset


@tf_export("data.experimental.TFRecordWriter")
class TFRecordWriter:
    """Writes a dataset of scalar strings to a TFRecord file."""

    def __init__(self, filename, compression_type=None, name=None):
        self._filename = filename
        self._compression = compression_type

    def write(self, dataset):
        from tensorlet.io_ops import tfrecord

        spec = dataset._spec_or_none()
        if spec is not None and spec != TensorSpec([], dtypes.string):
            raise TypeError(
                f"Invalid `dataset.element_spec`. Expected "
                f"`tf.TensorSpec(shape=(), dtype=tf.string)` but got {spec}."
            )
        options = tfrecord.TFRecordOptions(compression_type=self._compression or "")
        path = self._filename.numpy() if hasattr(self._filename, "numpy") else self._filename
        with tfrecord.TFRecordWriter(path, options) as w:
            for el in dataset._iterator():
                w.write(el.numpy())


# ------------------------------------------------------------------------ stats (TF 1.x era)


class _StatsElement(tuple):
    """An element of a stats dataset's ``(element, stat)`` pairs whose ``numpy()`` converts
    every component (the document's ``data.numpy()`` on a tuple element)."""

    def numpy(self):
        return tuple(structure.to_numpy(v) for v in self)


class _StatsDataset(UnaryDataset):
    """``(element, latency in µs)`` or ``(element, bytes)`` pairs.

    ``latency_stats`` / ``bytes_produced_stats`` were removed from TF 2 (they recorded into a
    StatsAggregator under a ``tag``). Given a ``tag`` the dataset is unchanged; without one it
    yields the pairs that documents written for them describe.
    """

    def __init__(self, input_dataset, kind, tag):
        super().__init__(input_dataset)
        self._kind = kind
        self._tag = tag

    def _compute_spec(self, peek):
        spec = self._input_spec(peek)
        if spec is None or self._tag is not None:
            return spec
        return (spec, TensorSpec([], dtypes.int64))

    def _iterator(self):
        it = self._input._iterator()
        if self._tag is not None:
            return it
        latency = self._kind == "latency"

        def gen():
            while True:
                t0 = time.perf_counter()
                try:
                    el = next(it)
                except StopIteration:
                    return
                if latency:
                    stat = int((time.perf_counter() - t0) * 1e6)
                else:
                    stat = sum(_nbytes(v) for v in structure.flatten(el))
                if type(el) is tuple:
                    el = _StatsElement(el)
                yield (el, EagerTensor(xp.array(stat, dtype=xp.int64), dtypes.int64))

        return gen()


def _nbytes(v):
    if v is None:
        return 0
    arr = xp.asarray(getattr(v, "_value", None) if hasattr(v, "_value") else v.numpy())
    if arr.dtype == object:
        return sum(len(b) for b in arr.reshape(-1).tolist())
    return int(arr.nbytes)


@tf_export("data.experimental.latency_stats")
def latency_stats(tag=None):
    """Pairs each element with the microseconds its computation took (TF 1.x API)."""
    return lambda dataset: _StatsDataset(dataset, "latency", tag)


@tf_export("data.experimental.bytes_produced_stats")
def bytes_produced_stats(tag=None):
    """Pairs each element with its size in bytes (TF 1.x API)."""
    return lambda dataset: _StatsDataset(dataset, "bytes", tag)
