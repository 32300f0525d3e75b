"""What ``fit`` / ``evaluate`` / ``predict`` accept as data, turned into batches of tensors.

* arrays: NumPy arrays, tensors, Python lists, and lists / tuples / dicts of them, sliced into
  batches of ``batch_size`` (default 32; the last batch may be partial), reshuffled every epoch
  with NumPy's global generator (``shuffle=True``; ``"batch"`` shuffles whole batches). Float
  arrays become ``keras.config.floatx()`` tensors, as in Keras.
* a ``tf.data.Dataset`` of ``x`` / ``(x, y)`` / ``(x, y, sample_weight)`` batches;
* a ``keras.utils.PyDataset`` (or any object with ``__len__`` and ``__getitem__`` returning
  batches, such as Keras 2's ``Sequence``);
* a Python generator / iterator of batches.

Each adapter yields tuples ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``.
"""

import math

from tensorlet.backend import xp
from tensorlet.data_ops.dataset import DatasetV2
from tensorlet.framework import nest
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.keras.src import backend

# ---------------------------------------------------------------- (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from a batch: a 1-3 tuple, or anything else as ``x``."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
        f"found: {data}"
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    if y is None:
        return x if isinstance(x, tuple) else (x,)
    if sample_weight is None:
        return x, y
    return x, y, sample_weight


def class_weight_to_sample_weights(y, class_weight):
    """Per-sample weights ``class_weight[class of sample]`` (one-hot ``y``: its argmax)."""
    y = _to_array(y)
    if y.ndim > 1 and y.shape[-1] > 1:
        classes = xp.argmax(y, axis=-1)
    else:
        classes = y.reshape(y.shape[0], -1)[:, 0] if y.ndim > 1 else y
    classes = xp.round(classes).astype(xp.int64)
    weights = xp.ones(classes.shape, backend.floatx())
    for cls, w in class_weight.items():
        weights[classes == int(cls)] = w
    return weights


# ---------------------------------------------------------------- arrays


def _is_array(v):
    return isinstance(v, (xp.ndarray, Tensor)) or (
        hasattr(v, "__array__") and not isinstance(v, (str, bytes, dict))
    )


def _to_array(v):
    if isinstance(v, Tensor):
        return v.numpy()
    arr = xp.asarray(v)
    return arr


def _standardize(arr):
    """Float data in ``floatx`` (Keras casts float64 NumPy inputs)."""
    if arr.dtype.kind == "f" and arr.dtype != xp.dtype(backend.floatx()):
        return arr.astype(backend.floatx())
    return arr


def _as_arrays(structure):
    """The structure with every leaf as a NumPy array (lists of numbers become one array)."""
    if structure is None:
        return None
    if isinstance(structure, (list, tuple)) and structure and not any(
        isinstance(e, (xp.ndarray, Tensor, list, tuple, dict)) for e in structure
    ):
        return _standardize(xp.asarray(structure))
    return nest.map_structure(lambda v: _standardize(_to_array(v)), structure)


def can_slice(x):
    """True for the inputs ``ArrayDataAdapter`` takes (arrays, tensors and nests of them)."""
    if x is None:
        return True
    if isinstance(x, DatasetV2):
        return False
    flat = nest.flatten(x)
    return bool(flat) and all(_is_array(v) or isinstance(v, (int, float)) for v in flat)


def train_validation_split(arrays, validation_split):
    """Splits ``(x, y, sample_weight)`` arrays: the last ``validation_split`` of the samples
    become the validation data (before any shuffling), as Keras does."""
    flat = [a for a in nest.flatten(arrays) if a is not None]
    if not all(_is_array(a) for a in flat):
        raise ValueError(
            "`validation_split` is only supported for Tensors or NumPy arrays, found following "
            f"types in the input: {[type(a) for a in flat]}"
        )
    arrays = tuple(_as_arrays(a) for a in arrays)
    n = int(nest.flatten([a for a in arrays if a is not None])[0].shape[0])
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"Training data contains {n} samples, which is not sufficient to split it into a "
            f"validation and training set as specified by `validation_split={validation_split}`."
            " Either provide more data, or a different value for the `validation_split` argument."
        )

    def part(sl):
        return tuple(
            None if a is None else nest.map_structure(lambda v: v[sl], a) for a in arrays
        )

    return part(slice(0, split_at)), part(slice(split_at, n))


class ArrayDataAdapter:
    """Batches of in-memory arrays."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None,
                 shuffle=False, class_weight=None):
        self._x, self._y = _as_arrays(x), _as_arrays(y)
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError(
                    "You cannot `class_weight` and `sample_weight` at the same time."
                )
            if self._y is None or nest.is_nested(self._y):
                raise ValueError(
                    "`class_weight` is only supported for Models with a single output."
                )
            sample_weight = class_weight_to_sample_weights(self._y, class_weight)
        self._sw = _as_arrays(sample_weight)
        sizes = {int(a.shape[0]) for a in nest.flatten((self._x, self._y, self._sw))
                 if a is not None and a.ndim}
        if len(sizes) > 1:
            raise ValueError(
                "Data cardinality is ambiguous. Make sure all arrays contain the same number "
                f"of samples.'x' sizes: {', '.join(str(int(a.shape[0])) for a in nest.flatten(self._x))}\n"
                + (f"'y' sizes: {', '.join(str(int(a.shape[0])) for a in nest.flatten(self._y))}\n"
                   if self._y is not None else "")
            )
        self.num_samples = sizes.pop() if sizes else 1
        self.batch_size = batch_size or 32
        self._num_batches = steps or max(1, math.ceil(self.num_samples / self.batch_size))
        self._shuffle = shuffle

    @property
    def num_batches(self):
        return self._num_batches

    @property
    def has_partial_batch(self):
        return self.num_samples % self.batch_size != 0

    def get_iterator(self):
        n, bs = self.num_samples, self.batch_size
        order = None
        if self._shuffle == "batch":
            starts = xp.arange(0, n, bs)
            xp.random.shuffle(starts)
            batches = [xp.arange(s, min(s + bs, n)) for s in starts]
        else:
            if self._shuffle:
                order = xp.random.permutation(n)
            batches = [
                (order[s : s + bs] if order is not None else slice(s, min(s + bs, n)))
                for s in range(0, n, bs)
            ]
        for idx in batches[: self._num_batches]:
            yield pack_x_y_sample_weight(
                *(None if a is None else nest.map_structure(
                    lambda v, i=idx: convert_to_tensor(v[i]), a)
                  for a in (self._x, self._y, self._sw))
            )

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass


# ---------------------------------------------------------------- datasets, PyDatasets, generators


class DatasetAdapter:
    """A ``tf.data.Dataset`` of batches."""

    def __init__(self, dataset, class_weight=None):
        if class_weight is not None:
            dataset = dataset.map(_class_weight_map_fn(class_weight))
        self._dataset = dataset
        n = int(dataset.cardinality())
        self._num_batches = n if n >= 0 else None
        self.batch_size = None

    @property
    def num_batches(self):
        return self._num_batches

    def get_iterator(self):
        for batch in self._dataset:
            yield batch if isinstance(batch, tuple) else (batch,)

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass


def _class_weight_map_fn(class_weight):
    import tensorlet as tf

    keys = sorted(class_weight)
    table = tf.constant([class_weight.get(k, 1.0) for k in range(max(keys) + 1)], tf.float32)

    def fn(*data):
        x, y, sw = unpack_x_y_sample_weight(data)
        if sw is not None:
            raise ValueError("You cannot `class_weight` and `sample_weight` at the same time.")
        classes = tf.argmax(y, axis=-1) if y.shape.rank and y.shape[-1] != 1 else tf.reshape(
            tf.cast(tf.round(tf.cast(y, tf.float32)), tf.int64), [-1])
        return x, y, tf.gather(table, classes)

    return fn


class PyDatasetAdapter:
    """An object with ``__len__`` and ``__getitem__`` returning batches (``PyDataset``)."""

    def __init__(self, data, shuffle=False, class_weight=None):
        self._data = data
        self._shuffle = shuffle
        self._class_weight = class_weight
        self.batch_size = None

    @property
    def num_batches(self):
        n = len(self._data)
        return n if n is not None else None

    def get_iterator(self):
        order = list(range(len(self._data)))
        if self._shuffle:
            xp.random.shuffle(order)
        for i in order:
            yield _as_batch(self._data[i], self._class_weight)

    def on_epoch_begin(self):
        fn = getattr(self._data, "on_epoch_begin", None)
        if fn is not None:
            fn()

    def on_epoch_end(self):
        fn = getattr(self._data, "on_epoch_end", None)
        if fn is not None:
            fn()


class GeneratorAdapter:
    """A Python generator/iterator of batches (consumed across epochs, as in Keras), or a
    re-iterable object (e.g. a distributed dataset: iterated afresh each epoch)."""

    def __init__(self, generator, class_weight=None):
        self._generator = generator
        self._class_weight = class_weight
        self.batch_size = None

    @property
    def num_batches(self):
        return None

    def get_iterator(self):
        source = self._generator if hasattr(self._generator, "__next__") else iter(
            self._generator)
        for batch in source:
            yield _as_batch(batch, self._class_weight)

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass


def _as_batch(batch, class_weight=None):
    x, y, sw = unpack_x_y_sample_weight(batch)
    if class_weight is not None and y is not None:
        sw = class_weight_to_sample_weights(y, class_weight)
    return pack_x_y_sample_weight(
        *(None if a is None else nest.map_structure(
            lambda v: v if isinstance(v, Tensor) else convert_to_tensor(_standardize(xp.asarray(v))),
            a) for a in (x, y, sw))
    )


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None,
                     shuffle=False, class_weight=None):
    """The adapter for ``x`` (see the module docstring); errors as Keras gives them."""
    if isinstance(x, DatasetV2):
        _no_targets(y, sample_weight, "a `tf.data.Dataset`")
        return DatasetAdapter(x, class_weight=class_weight)
    if hasattr(x, "__getitem__") and hasattr(x, "__len__") and not can_slice(x) and not isinstance(
            x, (list, tuple, dict)):
        _no_targets(y, sample_weight, "a PyDataset")
        return PyDatasetAdapter(x, shuffle=shuffle, class_weight=class_weight)
    if hasattr(x, "__next__") or (hasattr(x, "__iter__") and not can_slice(x)
                                  and not isinstance(x, (list, tuple, dict))):
        _no_targets(y, sample_weight, "a Python generator")
        return GeneratorAdapter(x, class_weight=class_weight)
    if can_slice(x):
        return ArrayDataAdapter(x, y, sample_weight=sample_weight, batch_size=batch_size,
                                steps=steps_per_epoch, shuffle=shuffle, class_weight=class_weight)
    raise ValueError(f"Unrecognized data type: x={x} (of type {type(x)})")


def _no_targets(y, sample_weight, what):
    if y is not None:
        raise ValueError(
            f"When providing `x` as {what}, `y` should not be passed. Instead, the targets "
            "should be included as part of the dataset `x`."
        )
    if sample_weight is not None:
        raise ValueError(
            f"When providing `x` as {what}, `sample_weight` should not be passed. Instead, "
            "the sample weights should be included as part of the dataset `x`."
        )
