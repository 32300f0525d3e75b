"""Transformations of order and count: shuffle, repeat, take, skip, shard, unique, cache,
prefetch, ignore_errors, assert_cardinality, with_options."""

import itertools
import os
import pickle

from tensorlet.backend import xp
from tensorlet.data_ops import options as options_lib
from tensorlet.data_ops import structure
from tensorlet.data_ops.dataset import UnaryUnchangedStructureDataset
from tensorlet.data_ops.sources import PhiloxStream, SeedGenerator
from tensorlet.framework import dtypes, errors
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_spec import TensorSpec

INF, UNK = options_lib.INFINITE, options_lib.UNKNOWN


def _int64(value, what="count"):
    t = convert_to_tensor(value, dtype=dtypes.int64)
    return int(t._value)


class _OptionsDataset(UnaryUnchangedStructureDataset):
    """``with_options``: the input with options attached."""

    def __init__(self, input_dataset, options):
        super().__init__(input_dataset)
        if not isinstance(options, options_lib.Options):
            raise TypeError(f"`options` must be a `tf.data.Options`, got {type(options)}.")
        self._own_options = options

    def _iterator(self):
        return self._input._iterator()


# --------------------------------------------------------------------------------- shuffle


class _ShuffleDataset(UnaryUnchangedStructureDataset):
    """``shuffle``: TF's ShuffleDatasetV3, bit for bit.

    The buffer holds up to ``buffer_size`` elements; each output is the element at a uniform
    offset (``philox() % size``) of the buffer, whose first element then takes its place. Each
    new iterator gets its Philox seeds from the dataset's seed generator: the op seeds
    themselves when ``reshuffle_each_iteration=False``, else the next two draws of a Philox
    stream seeded by them (so every epoch has a new order).
    """

    def __init__(self, input_dataset, buffer_size, seed=None, reshuffle_each_iteration=None):
        super().__init__(input_dataset)
        from tensorlet.ops import random_ops

        self._buffer_size = _int64(buffer_size)
        if self._buffer_size <= 0 and self._buffer_size != UNK:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "ShuffleDatasetV3",
                "buffer_size must be greater than zero.",
            )
        s, s2 = random_ops.get_seed(seed)
        reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)
        self._seeds = SeedGenerator(s, s2, reshuffle)

    def _stream(self):
        from tensorlet.data_ops.mapping import peeking

        return PhiloxStream(*self._seeds.next_seeds(advance=not peeking()))

    def _iterator(self):
        return _shuffle(self._input._iterator(), self._buffer_size, self._stream())

    def _batches(self, batch_size, drop_remainder):
        """Batches of a shuffled dense ``from_tensor_slices`` (the fast path of ``batch``): the
        row indices are shuffled (the same order as the rows) and each batch is one gather."""
        src = self._input
        order = _shuffle(iter(range(src._n)), self._buffer_size, self._stream())
        arrays = [(xp.asarray(v._value), v._dtype) for v in src._leaves]
        el, nested = src._element, structure.is_nested(src._element)
        while True:
            idx = list(itertools.islice(order, batch_size))
            if not idx or (drop_remainder and len(idx) < batch_size):
                return
            row = [EagerTensor(a[idx], d) for a, d in arrays]
            yield structure.pack_sequence_as(el, row) if nested else row[0]

    @property
    def _dense_slices(self):
        from tensorlet.data_ops.sources import _TensorSliceDataset

        return type(self._input) is _TensorSliceDataset and self._input._dense


def _shuffle(inputs, buffer_size, random):
    size = buffer_size if buffer_size > 0 else 1 << 62
    buf, head = [], 0
    done = False
    while True:
        while not done and len(buf) - head < size:
            try:
                buf.append(next(inputs))
            except StopIteration:
                done = True
        n = len(buf) - head
        if n == 0:
            return
        i = head + random() % n
        out = buf[i]
        buf[i] = buf[head]
        buf[head] = None
        head += 1
        if head > 1024 and head * 2 > len(buf):
            del buf[:head]
            head = 0
        yield out


# ------------------------------------------------------------------------- count and order


class _RepeatDataset(UnaryUnchangedStructureDataset):
    """``repeat(count)``: ``count`` passes (forever for None/-1; an empty input stays empty)."""

    def __init__(self, input_dataset, count=None):
        super().__init__(input_dataset)
        self._count = -1 if count is None else _int64(count)

    def _cardinality(self):
        n, c = self._input._cardinality(), self._count
        if c < 0:
            return 0 if n == 0 else INF
        if c == 0:
            return 0
        return n if n in (INF, UNK) else n * c

    def _iterator(self):
        count = self._count
        first = self._input._iterator()

        def gen(it=first):
            epoch = 0
            while count < 0 or epoch < count:
                if it is None:
                    it = self._input._iterator()
                produced = False
                for el in it:
                    produced = True
                    yield el
                it = None
                epoch += 1
                if not produced and count < 0:
                    return

        return gen() if count != 0 else iter(())


class _TakeDataset(UnaryUnchangedStructureDataset):
    """``take(count)``: the first ``count`` elements (all of them for a negative count)."""

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _int64(count)

    def _cardinality(self):
        n, c = self._input._cardinality(), self._count
        if n == UNK:
            return UNK
        if n == INF:
            return c
        return n if c < 0 else min(n, c)

    def _iterator(self):
        c = self._count
        it = self._input._iterator()
        if c < 0:
            return it
        return _take(it, c)


def _take(it, c):
    for _ in range(c):
        try:
            yield next(it)
        except StopIteration:
            return


class _SkipDataset(UnaryUnchangedStructureDataset):
    """``skip(count)``: all but the first ``count`` elements (none for a negative count)."""

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _int64(count)

    def _cardinality(self):
        n, c = self._input._cardinality(), self._count
        if n in (INF, UNK):
            return n
        return 0 if c < 0 else max(0, n - c)

    def _iterator(self):
        c = self._count
        it = self._input._iterator()

        def gen():
            skipped = 0
            while c < 0 or skipped < c:
                try:
                    next(it)
                except StopIteration:
                    return
                skipped += 1
            yield from it

        return gen()


class _ShardDataset(UnaryUnchangedStructureDataset):
    """``shard(num_shards, index)``: elements ``index, index + num_shards, ...``."""

    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset)
        self._n, self._i = _int64(num_shards), _int64(index)
        if self._n <= 0:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "ShardDataset",
                (f"Number of shards must be greater than zero (currently num_shards = {self._n})."),
            )
        if not 0 <= self._i < self._n:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "ShardDataset",
                (f"Index must be between 0 and {self._n - 1} (currently index = {self._i})."),
            )

    def _cardinality(self):
        n = self._input._cardinality()
        if n in (INF, UNK):
            return n
        return n // self._n + (1 if self._i < n % self._n else 0)

    def _iterator(self):
        num, idx = self._n, self._i
        return (el for k, el in enumerate(self._input._iterator()) if k % num == idx)


class _UniqueDataset(UnaryUnchangedStructureDataset):
    """``unique()``: first occurrences of scalar int32/int64/string elements."""

    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        spec = input_dataset._spec_or_none()
        if spec is not None:
            _check_unique(spec)

    def _cardinality(self):
        n = self._input._cardinality()
        return INF if n == INF else (0 if n == 0 else UNK)

    def _iterator(self):
        seen = set()
        checked = self._input._spec_or_none() is not None
        for el in self._input._iterator():
            if not checked:
                _check_unique(structure.spec_of(el))
                checked = True
            v = el._value
            key = (v.shape, v.tobytes() if v.dtype != object else tuple(v.reshape(-1).tolist()))
            if key not in seen:
                seen.add(key)
                yield el


def _check_unique(spec):
    if not isinstance(spec, TensorSpec):
        raise TypeError(
            "`tf.data.Dataset.unique` only supports inputs with a single `tf.Tensor` component."
        )
    if spec.dtype not in (dtypes.int32, dtypes.int64, dtypes.string):
        raise TypeError(f"`tf.data.Dataset.unique` does not support type {spec.dtype} inputs.")


class _PrefetchDataset(UnaryUnchangedStructureDataset):
    """``prefetch``: elements are computed on demand (no background thread in tensorlet)."""

    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset)
        n = _int64(buffer_size)
        if n < options_lib.AUTOTUNE:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "PrefetchDataset",
                "buffer_size must be >= 0 or set buffer_size to be AUTOTUNE.",
            )

    def _iterator(self):
        return self._input._iterator()


class _IgnoreErrorsDataset(UnaryUnchangedStructureDataset):
    """``ignore_errors``: drops the elements whose computation raised."""

    def __init__(self, input_dataset, log_warning=False):
        super().__init__(input_dataset)
        self._log = log_warning

    def _cardinality(self):
        return UNK

    def _iterator(self):
        it = self._input._iterator()

        def gen():
            while True:
                try:
                    el = next(it)
                except StopIteration:
                    return
                except Exception as e:  # noqa: BLE001 - that is the transformation
                    if self._log:
                        import logging

                        logging.getLogger("tensorflow").warning(
                            "Error raised with error message %s", e
                        )
                    continue
                yield el

        return gen()


class _AssertCardinalityDataset(UnaryUnchangedStructureDataset):
    """``assert_cardinality(n)``: the input, failing when it has another number of elements."""

    def __init__(self, input_dataset, expected_cardinality):
        super().__init__(input_dataset)
        self._expected = _int64(expected_cardinality)

    def _cardinality(self):
        return self._expected

    def _iterator(self):
        expected = self._expected

        def gen():
            n = 0
            for el in self._input._iterator():
                n += 1
                if expected != INF and n > expected:
                    raise errors.op_error(
                        errors.FailedPreconditionError,
                        "AssertCardinalityDataset",
                        (
                            f"Input dataset was expected to contain {_elements(expected)} but "
                            f"contained at least {_elements(n)}."
                        ),
                    )
                yield el
            if n != expected:
                raise errors.op_error(
                    errors.FailedPreconditionError,
                    "AssertCardinalityDataset",
                    (
                        f"Input dataset was expected to contain {_elements(expected)} but contained "
                        f"only {_elements(n)}."
                    ),
                )

        return gen()


def _elements(n):
    if n == INF:
        return "an infinite number of elements"
    return f"{n} element" + ("" if n == 1 else "s")


# ----------------------------------------------------------------------------------- cache


class _CacheDataset(UnaryUnchangedStructureDataset):
    """``cache(filename)``: the first complete pass is recorded, later passes replay it.

    In memory (``filename=""``) or in the files ``<filename>.index`` and
    ``<filename>.data-00000-of-00001`` (tensorlet's own format: NumPy arrays, written to a
    temporary file then renamed). An existing cache file is read, as TF does.
    """

    def __init__(self, input_dataset, filename=""):
        super().__init__(input_dataset)
        t = convert_to_tensor(filename, dtype=dtypes.string)
        self._filename = os.fsdecode(t.numpy())
        self._memory = None

    def _iterator(self):
        if self._filename:
            index = self._filename + ".index"
            if os.path.exists(index):
                return self._read_file()
        elif self._memory is not None:
            return iter(self._memory)
        return self._record(self._input._iterator())

    def _record(self, it):
        seen = []
        for el in it:
            seen.append(el)
            yield el
        if self._filename:
            self._write_file(seen)
        elif self._memory is None:
            self._memory = seen

    def _data_path(self):
        return self._filename + ".data-00000-of-00001"

    def _write_file(self, elements):
        rows = []
        for el in elements:
            row = []
            for v in structure.flatten(el):
                if v is not None and not isinstance(v, EagerTensor):
                    raise TypeError(
                        f"tensorlet's file cache stores dense tensors only; got {type(v).__name__}"
                    )
                row.append(None if v is None else (v._dtype.name, xp.asarray(v._value)))
            rows.append(row)
        os.makedirs(os.path.dirname(os.path.abspath(self._filename)), exist_ok=True)
        data = self._data_path()
        for path, payload in (
            (data, {"format": "tensorlet-cache-1", "rows": rows}),
            (self._filename + ".index", {"format": "tensorlet-cache-1", "count": len(rows)}),
        ):
            with open(path + ".tmp", "wb") as f:
                pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(path + ".tmp", path)

    def _read_file(self):
        with open(self._data_path(), "rb") as f:
            payload = pickle.load(f)
        spec = self._input.element_spec
        for row in payload["rows"]:
            flat = [None if v is None else EagerTensor(v[1], dtypes.as_dtype(v[0])) for v in row]
            yield structure.pack_sequence_as(spec, flat) if structure.is_nested(spec) else flat[0]
