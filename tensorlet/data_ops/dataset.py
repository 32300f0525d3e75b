"""``tf.data.Dataset``: the base class (spec, iteration, cardinality, options) and its methods.

A dataset is a lazy recipe. Iterating it builds a chain of Python iterators, one per dataset,
each pulling elements from its inputs; an element is a nested structure (tuples, dicts) of
tensors. The transformations live in sibling modules (``sources``, ``mapping``, ``batching``,
``ordering``, ``combining``, ``readers``) and the methods here only forward to them, so this file
reads as the public API.

``element_spec`` is computed on first use. A user function given to ``map`` (``filter``, ...)
is traced into a graph when it can be (TF traces it: ``element_spec`` then comes from the trace,
and Python side effects run once); when tracing fails (an op without a graph form, ``.numpy()``
in the function) it runs eagerly per element and the spec is taken from the first output with
its dimensions relaxed to ``None``.
"""

import os

from tensorlet.data_ops import options as options_lib
from tensorlet.data_ops import structure
from tensorlet.framework import dtypes
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor

_COMMON = ("name",)


@tf_export("data.Dataset")
class DatasetV2:
    """A potentially large set of elements, consumed by iteration.

    Example:
      >>> ds = tf.data.Dataset.range(5).map(lambda x: x * 2).batch(2)
      >>> [b.tolist() for b in ds.as_numpy_iterator()]
      [[0, 2], [4, 6], [8]]
    """

    _is_dataset = True
    _inputs = ()

    # ------------------------------------------------------------------ the protocol
    # subclasses set self._inputs and implement _iterator(), _compute_spec(peek), _cardinality()

    def _iterator(self):
        """A fresh Python iterator over the elements (does TF's ``Initialize`` work now)."""
        raise NotImplementedError

    def _compute_spec(self, peek):
        """The element spec; None when it needs a peek at the data and ``peek`` is False."""
        raise NotImplementedError

    def _cardinality(self):
        return options_lib.UNKNOWN

    def _input_spec(self, peek, i=0):
        ds = self._inputs[i]
        return ds.element_spec if peek else ds._spec_or_none()

    def _spec_or_none(self):
        s = self.__dict__.get("_spec")
        if s is None:
            s = self._compute_spec(False)
            if s is not None:
                self._spec = s
        return s

    # ------------------------------------------------------------------ public API
    @property
    def element_spec(self):
        """The type specification of an element (a nested structure of ``TypeSpec``s)."""
        s = self.__dict__.get("_spec")
        if s is None:
            s = self._spec = self._compute_spec(True)
        return s

    def __iter__(self):
        """An iterator over the elements (inside ``tf.function`` too: the loop is unrolled at
        trace time and the elements become constants of the graph)."""
        from tensorlet.data_ops.iterator import OwnedIterator

        return OwnedIterator(self)

    def __bool__(self):
        return True  # never fall back to __len__

    def __len__(self):
        if state.graph is not None:
            raise TypeError(
                "`tf.data.Dataset` only supports `len` in eager mode. Use "
                "`tf.data.Dataset.cardinality()` instead."
            )
        n = self._cardinality()
        if n == options_lib.INFINITE:
            raise TypeError("The dataset is infinite.")
        if n == options_lib.UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __repr__(self):
        return f"<{type(self).__name__} element_spec={self.element_spec!r}>"

    __str__ = __repr__

    def __class_getitem__(cls, item):
        return cls

    def as_numpy_iterator(self):
        """An iterator over the elements converted to NumPy (read-only arrays, bytes, scalars).

        Example:
          >>> list(tf.data.Dataset.range(3).as_numpy_iterator())
          [np.int64(0), np.int64(1), np.int64(2)]
        """
        from tensorlet.data_ops.iterator import NumpyIterator

        return NumpyIterator(self)

    def cardinality(self):
        """The number of elements: an int64 scalar, ``INFINITE`` (-1) or ``UNKNOWN`` (-2)."""
        return EagerTensor(_int64(self._cardinality()), dtypes.int64)

    def options(self):
        """The ``tf.data.Options`` of this dataset (set on it or any of its inputs)."""
        out = options_lib.Options()
        for ds in self._inputs:
            out = out.merge(ds.options())
        own = self.__dict__.get("_own_options")
        return out.merge(own) if own is not None else out

    def with_options(self, options, name=None):
        """This dataset with ``options`` merged into its options."""
        from tensorlet.data_ops.ordering import _OptionsDataset

        return _OptionsDataset(self, options)

    def apply(self, transformation_func):
        """``transformation_func(self)``, which must return a dataset."""
        ds = transformation_func(self)
        if not isinstance(ds, DatasetV2):
            raise TypeError(
                f"`transformation_func` must return a `tf.data.Dataset` object. Got {type(ds)}."
            )
        return ds

    def reduce(self, initial_state, reduce_func, name=None):
        """Folds ``reduce_func(state, element)`` over the elements; returns the final state.

        Example:
          >>> tf.data.Dataset.range(5).reduce(np.int64(0), lambda s, x: s + x).numpy()
          np.int64(10)
        """
        from tensorlet.data_ops import mapping

        return mapping.reduce_dataset(self, initial_state, reduce_func)

    def get_single_element(self, name=None):
        """The only element of the dataset (InvalidArgumentError for 0 or more elements)."""
        from tensorlet.framework import errors

        it = self._iterator()
        try:
            first = next(it)
        except StopIteration:
            raise errors.op_error(
                errors.InvalidArgumentError, "DatasetToSingleElement", "Dataset was empty."
            ) from None
        try:
            next(it)
        except StopIteration:
            return first
        raise errors.op_error(
            errors.InvalidArgumentError,
            "DatasetToSingleElement",
            "Dataset had more than one element.",
        )

    # ------------------------------------------------------------------ sources
    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset with ``tensors`` as its single element."""
        from tensorlet.data_ops import sources

        return sources._TensorDataset(tensors)

    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """A dataset of the slices of ``tensors`` along their first dimension.

        Example:
          >>> list(tf.data.Dataset.from_tensor_slices([1, 2]).as_numpy_iterator())
          [np.int32(1), np.int32(2)]
        """
        from tensorlet.data_ops import sources

        return sources._TensorSliceDataset(tensors)

    @staticmethod
    def range(*args, **kwargs):
        """``range(stop)``, ``range(start, stop[, step])`` as int64 (or ``output_type``)."""
        from tensorlet.data_ops import sources

        return sources._RangeDataset(*args, **kwargs)

    @staticmethod
    def from_generator(
        generator,
        output_types=None,
        output_shapes=None,
        args=None,
        output_signature=None,
        name=None,
    ):
        """A dataset of the values produced by calling ``generator(*args)``."""
        from tensorlet.data_ops import sources

        return sources.from_generator(
            generator, output_types, output_shapes, args, output_signature
        )

    @staticmethod
    def zip(*args, datasets=None, name=None):
        """A dataset of tuples (or the nesting of ``datasets``) of the inputs' elements."""
        from tensorlet.data_ops import combining

        if datasets is not None:
            if args:
                raise TypeError("Both `*args` and `datasets` cannot be set.")
            return combining._ZipDataset(datasets)
        if not args:
            raise TypeError("Must pass at least one dataset to `zip`.")
        return combining._ZipDataset(args[0] if len(args) == 1 else args)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None):
        """The files matching ``file_pattern`` (shuffled unless ``shuffle=False``)."""
        from tensorlet.data_ops import readers

        return readers.list_files(file_pattern, shuffle, seed)

    @staticmethod
    def counter(start=0, step=1, dtype=dtypes.int64, name=None):
        """``start, start + step, ...`` forever."""
        from tensorlet.data_ops import sources

        return sources.counter(start, step, dtype)

    @staticmethod
    def random(seed=None, rerandomize_each_iteration=None, name=None):
        """Pseudo-random int64 values in ``[0, 2**32)``, TF's stream for a given seed."""
        from tensorlet.data_ops import sources

        return sources._RandomDataset(seed, rerandomize_each_iteration)

    @staticmethod
    def sample_from_datasets(
        datasets,
        weights=None,
        seed=None,
        stop_on_empty_dataset=False,
        rerandomize_each_iteration=None,
    ):
        """Elements drawn from ``datasets`` at random with probabilities ``weights``."""
        from tensorlet.data_ops import combining

        return combining.sample_from_datasets(
            datasets, weights, seed, stop_on_empty_dataset, rerandomize_each_iteration
        )

    @staticmethod
    def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
        """Elements taken from ``datasets[i]`` for each ``i`` of ``choice_dataset``."""
        from tensorlet.data_ops import combining

        return combining.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)

    @staticmethod
    def load(path, element_spec=None, compression=None, reader_func=None, wait=False):
        from tensorlet.data_ops import snapshot

        return snapshot.load(path, element_spec, compression, reader_func)

    def save(self, path, compression=None, shard_func=None, checkpoint_args=None):
        from tensorlet.data_ops import snapshot

        return snapshot.save(self, path, compression)

    # ------------------------------------------------------------------ element-wise
    def map(
        self,
        map_func,
        num_parallel_calls=None,
        deterministic=None,
        synchronous=None,
        use_unbounded_threadpool=False,
        name=None,
    ):
        """Applies ``map_func`` to each element (run in order: ``num_parallel_calls`` and
        ``deterministic`` change nothing in tensorlet).

        Example:
          >>> list(tf.data.Dataset.range(3).map(lambda x: x * x).as_numpy_iterator())
          [np.int64(0), np.int64(1), np.int64(4)]
        """
        from tensorlet.data_ops import mapping

        return mapping.map_dataset(self, map_func, num_parallel_calls)

    def filter(self, predicate, name=None):
        """The elements for which ``predicate`` is True."""
        from tensorlet.data_ops import mapping

        return mapping._FilterDataset(self, predicate)

    def flat_map(self, map_func, name=None):
        """The concatenation of the datasets ``map_func`` returns for the elements."""
        from tensorlet.data_ops import mapping

        return mapping._FlatMapDataset(self, map_func)

    def interleave(
        self,
        map_func,
        cycle_length=None,
        block_length=None,
        num_parallel_calls=None,
        deterministic=None,
        name=None,
    ):
        """Interleaves ``block_length`` elements at a time from ``cycle_length`` datasets."""
        from tensorlet.data_ops import mapping

        return mapping.interleave(self, map_func, cycle_length, block_length, num_parallel_calls)

    def scan(self, initial_state, scan_func, name=None):
        """Running state: ``scan_func(state, element) -> (new_state, output)``."""
        from tensorlet.data_ops import mapping

        return mapping._ScanDataset(self, initial_state, scan_func)

    def take_while(self, predicate, name=None):
        """The elements up to (excluding) the first one for which ``predicate`` is False."""
        from tensorlet.data_ops import mapping

        return mapping._TakeWhileDataset(self, predicate)

    def ignore_errors(self, log_warning=False, name=None):
        """The elements, skipping those whose computation raised an error."""
        from tensorlet.data_ops import ordering

        return ordering._IgnoreErrorsDataset(self, log_warning)

    # ------------------------------------------------------------------ batching
    def batch(
        self,
        batch_size,
        drop_remainder=False,
        num_parallel_calls=None,
        deterministic=None,
        name=None,
    ):
        """Stacks ``batch_size`` consecutive elements (the last batch may be smaller)."""
        from tensorlet.data_ops import batching

        return batching.batch(self, batch_size, drop_remainder, num_parallel_calls)

    def padded_batch(
        self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False, name=None
    ):
        """Batches elements of different shapes, padding each component to ``padded_shapes``
        (``None`` dims: the longest in the batch)."""
        from tensorlet.data_ops import batching

        return batching.padded_batch(
            self, batch_size, padded_shapes, padding_values, drop_remainder
        )

    def ragged_batch(
        self, batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64, name=None
    ):
        """Batches elements of different shapes into ``RaggedTensor``s."""
        from tensorlet.data_ops import batching

        return batching._DenseToRaggedDataset(self, batch_size, drop_remainder, row_splits_dtype)

    def sparse_batch(self, batch_size, row_shape, name=None):
        """Batches elements of different shapes into ``SparseTensor``s of ``row_shape``."""
        from tensorlet.data_ops import batching

        return batching._DenseToSparseBatchDataset(self, batch_size, row_shape)

    def unbatch(self, name=None):
        """Splits every element into its rows."""
        from tensorlet.data_ops import batching

        return batching._UnbatchDataset(self)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        """Re-slices batched elements into batches of ``batch_size`` (an int or a list cycled
        through)."""
        from tensorlet.data_ops import batching

        return batching._RebatchDataset(self, batch_size, drop_remainder)

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        """Windows of ``size`` elements (each a dataset, per component) every ``shift``."""
        from tensorlet.data_ops import grouping

        return grouping._WindowDataset(self, size, shift, stride, drop_remainder)

    def group_by_window(
        self, key_func, reduce_func, window_size=None, window_size_func=None, name=None
    ):
        """Groups elements by ``key_func`` into windows reduced by ``reduce_func``."""
        from tensorlet.data_ops import grouping

        return grouping._GroupByWindowDataset(
            self, key_func, reduce_func, window_size, window_size_func
        )

    def bucket_by_sequence_length(
        self,
        element_length_func,
        bucket_boundaries,
        bucket_batch_sizes,
        padded_shapes=None,
        padding_values=None,
        pad_to_bucket_boundary=False,
        no_padding=False,
        drop_remainder=False,
        name=None,
    ):
        """Batches elements of similar length together (buckets by ``element_length_func``)."""
        from tensorlet.data_ops import grouping

        return grouping.bucket_by_sequence_length(
            self,
            element_length_func,
            bucket_boundaries,
            bucket_batch_sizes,
            padded_shapes,
            padding_values,
            pad_to_bucket_boundary,
            no_padding,
            drop_remainder,
        )

    # ------------------------------------------------------------------ order and count
    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None, name=None):
        """Shuffles with a buffer of ``buffer_size`` elements (TF's exact order for a seed)."""
        from tensorlet.data_ops import ordering

        return ordering._ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None, name=None):
        """The elements ``count`` times (forever for ``None`` or -1)."""
        from tensorlet.data_ops import ordering

        return ordering._RepeatDataset(self, count)

    def take(self, count, name=None):
        """The first ``count`` elements (all for -1)."""
        from tensorlet.data_ops import ordering

        return ordering._TakeDataset(self, count)

    def skip(self, count, name=None):
        """All but the first ``count`` elements (none for -1)."""
        from tensorlet.data_ops import ordering

        return ordering._SkipDataset(self, count)

    def shard(self, num_shards, index, name=None):
        """Every ``num_shards``-th element starting at ``index``."""
        from tensorlet.data_ops import ordering

        return ordering._ShardDataset(self, num_shards, index)

    def enumerate(self, start=0, name=None):
        """``(i, element)`` pairs with ``i`` counting from ``start`` (int64)."""
        from tensorlet.data_ops import combining, sources

        return combining._ZipDataset((sources._RangeDataset(start, dtypes.int64.max), self))

    def concatenate(self, dataset, name=None):
        """This dataset's elements followed by ``dataset``'s."""
        from tensorlet.data_ops import combining

        return combining._ConcatenateDataset(self, dataset)

    def unique(self, name=None):
        """The elements without repetitions (first occurrences, scalar int/string elements)."""
        from tensorlet.data_ops import ordering

        return ordering._UniqueDataset(self)

    def prefetch(self, buffer_size, name=None):
        """The same elements (tensorlet produces elements on demand: no background thread)."""
        from tensorlet.data_ops import ordering

        return ordering._PrefetchDataset(self, buffer_size)

    def cache(self, filename="", name=None):
        """Caches the elements in memory (or in the files ``filename.*``) on the first full
        pass; later passes read the cache."""
        from tensorlet.data_ops import ordering

        return ordering._CacheDataset(self, filename)

    def assert_cardinality(self, expected_cardinality):
        from tensorlet.data_ops import ordering

        return ordering._AssertCardinalityDataset(self, expected_cardinality)

    def rejection_resample(self, class_func, target_dist, initial_dist=None, seed=None, name=None):
        from tensorlet.data_ops import combining

        return combining.rejection_resample(self, class_func, target_dist, initial_dist, seed)

    def distribute(self, processing_mode, service, **kwargs):
        raise NotImplementedError("tf.data service is not available in tensorlet")

    @property
    def _variant_tensor(self):
        raise AttributeError("tensorlet datasets have no variant tensor")

    @property
    def _type_spec(self):
        return structure.DatasetSpec(self.element_spec)


def _int64(n):
    from tensorlet.backend import xp

    return xp.array(int(n), dtype=xp.int64)


def num_cpus():
    """TF's ``port::MaxParallelism()``: the schedulable CPUs (AUTOTUNE cycle_length)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# Dataset classes that take one input: self._input / self._inputs
class UnaryDataset(DatasetV2):
    """A dataset computed from one input dataset."""

    def __init__(self, input_dataset):
        if not isinstance(input_dataset, DatasetV2):
            raise TypeError(f"Expected a `tf.data.Dataset`, got {type(input_dataset)}.")
        self._input = input_dataset
        self._inputs = (input_dataset,)

    def _cardinality(self):
        return self._input._cardinality()


class UnaryUnchangedStructureDataset(UnaryDataset):
    """A unary dataset whose elements have the input's spec."""

    def _compute_spec(self, peek):
        return self._input_spec(peek)


def call_user_function(fn, element):
    """``fn(*element)`` for a tuple element, else ``fn(element)`` (TF's unpacking rule)."""
    if type(element) is tuple:
        return fn(*element)
    return fn(element)
