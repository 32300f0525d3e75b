"""Datasets combining several inputs: zip, concatenate, sample_from_datasets,
choose_from_datasets."""

from tensorlet.backend import xp
from tensorlet.data_ops import options as options_lib
from tensorlet.data_ops import structure
from tensorlet.data_ops.dataset import DatasetV2
from tensorlet.data_ops.sources import PhiloxStream, SeedGenerator
from tensorlet.framework import dtypes, errors
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_spec import TensorSpec
from tensorlet.ops import random_kernels as K

INF, UNK = options_lib.INFINITE, options_lib.UNKNOWN


class _ZipDataset(DatasetV2):
    """``zip(datasets)``: elements of the inputs, in the nesting of ``datasets``."""

    def __init__(self, datasets):
        for ds in structure.flatten(datasets):
            if not isinstance(ds, DatasetV2):
                if isinstance(ds, list):
                    raise TypeError(
                        "Invalid `datasets`. `datasets` is expected to be a (nested) "
                        "structure of `tf.data.Dataset` objects. Python `list` is "
                        "not supported and you should use `tuple` instead."
                    )
                raise TypeError(
                    "Invalid `datasets`. `datasets` is expected to be a (nested) "
                    "structure of `tf.data.Dataset` objects but encountered object "
                    f"of type {type(ds)}."
                )
        self._datasets = datasets
        self._inputs = tuple(structure.flatten(datasets))

    def _compute_spec(self, peek):
        specs = [self._input_spec(peek, i) for i in range(len(self._inputs))]
        if any(s is None for s in specs):
            return None
        return structure.pack_sequence_as(self._datasets, specs)

    def _cardinality(self):
        result = INF
        for ds in self._inputs:
            n = ds._cardinality()
            if n == UNK:
                return UNK
            if n != INF and (result == INF or n < result):
                result = n
        return result

    def _iterator(self):
        its = [ds._iterator() for ds in self._inputs]
        like = self._datasets
        nested = structure.is_nested(like)

        def gen():
            while True:
                row = []
                for it in its:
                    try:
                        row.append(next(it))
                    except StopIteration:
                        return
                yield structure.pack_sequence_as(like, row) if nested else row[0]

        return gen()


class _ConcatenateDataset(DatasetV2):
    """``a.concatenate(b)``: a's elements then b's (specs: their common supertype)."""

    def __init__(self, input_dataset, dataset_to_concatenate):
        if not isinstance(dataset_to_concatenate, DatasetV2):
            raise TypeError(
                f"Invalid `dataset`. `dataset` must be a `tf.data.Dataset` but got "
                f"{type(dataset_to_concatenate)}."
            )
        self._inputs = (input_dataset, dataset_to_concatenate)
        self._spec_or_none()  # validates now when the specs are known without reading data

    def _compute_spec(self, peek):
        a, b = self._input_spec(peek, 0), self._input_spec(peek, 1)
        if a is None or b is None:
            return None
        return structure.common_structure(a, b)

    def _cardinality(self):
        a, b = (ds._cardinality() for ds in self._inputs)
        if INF in (a, b):
            return INF
        if UNK in (a, b):
            return UNK
        return a + b

    def _iterator(self):
        first = self._inputs[0]._iterator()
        second = self._inputs[1]

        def gen():
            yield from first
            yield from second._iterator()

        return gen()


class _DirectedInterleaveDataset(DatasetV2):
    """Elements of ``data_inputs[i]`` for each ``i`` the selector yields."""

    def __init__(self, selector, data_inputs, stop_on_empty_dataset):
        self._selector = selector
        self._data = list(data_inputs)
        self._stop = bool(stop_on_empty_dataset)
        self._inputs = tuple(self._data)
        self._spec_or_none()

    def _compute_spec(self, peek):
        specs = [self._input_spec(peek, i) for i in range(len(self._data))]
        if any(s is None for s in specs):
            return None
        out = specs[0]
        for s in specs[1:]:
            out = structure.common_structure(out, s)
        return out

    def _cardinality(self):
        return UNK

    def _iterator(self):
        selector = self._selector()
        its = [ds._iterator() for ds in self._data]
        n = len(its)
        stop = self._stop

        def gen():
            active = n
            while active:
                i = next(selector, None)
                if i is None:
                    return
                if not 0 <= i < n:
                    raise errors.op_error(
                        errors.InvalidArgumentError,
                        "DirectedInterleaveDataset",
                        f"Selector index out of range: {i} >= {n}",
                    )
                it = its[i]
                if it is None:
                    continue
                try:
                    el = next(it)
                except StopIteration:
                    if stop:
                        return
                    its[i] = None
                    active -= 1
                    continue
                yield el

        return gen()


def _check_datasets(datasets):
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    for ds in datasets:
        if not isinstance(ds, DatasetV2):
            raise TypeError(
                f"Invalid `datasets`. `datasets` must be a list of `tf.data.Dataset` "
                f"objects, but got {type(ds)}."
            )


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
    """Elements from ``datasets[i]`` for each int64 ``i`` of ``choice_dataset``."""
    datasets = list(datasets) if not isinstance(datasets, DatasetV2) else datasets
    _check_datasets(datasets)
    spec = choice_dataset._spec_or_none()
    if spec is not None and not (
        isinstance(spec, TensorSpec)
        and spec.dtype == dtypes.int64
        and spec.shape.is_compatible_with([])
    ):
        raise TypeError(
            f"Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar "
            f"`tf.int64` tensors but found {spec}."
        )

    def selector():
        return (int(t._value) for t in choice_dataset._iterator())

    return _DirectedInterleaveDataset(selector, datasets, stop_on_empty_dataset)


def sample_from_datasets(
    datasets, weights=None, seed=None, stop_on_empty_dataset=False, rerandomize_each_iteration=None
):
    """TF's selector: ``Dataset.random(seed).batch(2)`` gives each draw's stateless seed and
    ``stateless_multinomial(log(weights), 1, seed)`` picks the input."""
    from tensorlet.ops import random_ops

    datasets = list(datasets)
    _check_datasets(datasets)
    n = len(datasets)
    weights_ds = weights if isinstance(weights, DatasetV2) else None
    logits = None
    if weights is None:
        logits = xp.ones((1, n), dtype=xp.float32)
    elif weights_ds is None:
        w = convert_to_tensor(weights)
        if w.dtype not in (dtypes.float32, dtypes.float64):
            raise TypeError(
                f"Invalid `weights`. `weights` type must be either `tf.float32` or "
                f"`tf.float64` but is {w.dtype}."
            )
        if w.shape.as_list() != [n]:
            raise ValueError(
                f"Invalid `weights`. The shape of `weights` should be compatible "
                f"with `[len(datasets)]` but is {w.shape}."
            )
        with xp.errstate(divide="ignore"):
            logits = xp.log(xp.asarray(w._value))[None, :]
    if n == 1:
        return datasets[0]
    s, s2 = random_ops.get_seed(seed)
    seeds = SeedGenerator(s, s2, bool(rerandomize_each_iteration))

    def selector():
        from tensorlet.data_ops.mapping import peeking

        stream = PhiloxStream(*seeds.next_seeds(advance=not peeking()))
        w_it = weights_ds._iterator() if weights_ds is not None else None
        while True:
            lg = logits
            if w_it is not None:
                try:
                    w = next(w_it)
                except StopIteration:
                    return
                with xp.errstate(divide="ignore"):
                    lg = xp.log(xp.asarray(w._value))[None, :]
            key, counter = K.stateless_key_counter((stream(), stream()))
            yield int(K.categorical(lg, 1, key, counter)[0, 0])

    return _DirectedInterleaveDataset(selector, datasets, stop_on_empty_dataset)


def rejection_resample(dataset, class_func, target_dist, initial_dist=None, seed=None):
    raise NotImplementedError("Dataset.rejection_resample is not implemented in tensorlet")
