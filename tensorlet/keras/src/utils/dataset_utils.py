"""``keras.utils.split_dataset`` and the directory indexing used by the
``*_dataset_from_directory`` utilities."""

import os
import random
import time
import warnings

from tensorlet.backend import xp
from tensorlet.data_ops import options as data_options
from tensorlet.data_ops import structure
from tensorlet.data_ops.dataset import DatasetV2
from tensorlet.framework.export import keras_export
from tensorlet.framework.tensor import Tensor


@keras_export("keras.utils.split_dataset")
def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Splits a dataset into a left half and a right half (e.g. train / test).

    Args:
        dataset: a ``tf.data.Dataset``, a NumPy array, or a list/tuple of arrays of one length.
        left_size: a float in (0, 1) (a fraction of the samples) or an int (a count) for the
            left split; None: the complement of ``right_size``.
        right_size: the same for the right split.
        shuffle: shuffle the samples before splitting (Python ``random`` with ``seed``).
        seed: the shuffling seed.

    Returns:
        ``(left, right)``: two ``tf.data.Dataset``s (batched like ``dataset`` if it was batched).

    Example:
        >>> left, right = keras.utils.split_dataset(np.arange(10), left_size=0.3)
        >>> int(left.cardinality()), int(right.cardinality())
        (3, 7)
    """
    spec = _get_type_spec(dataset)
    if spec is None:
        raise TypeError(
            "The `dataset` argument must be either a `tf.data.Dataset`, a "
            "`torch.utils.data.Dataset`object, or a list/tuple of arrays. "
            f"Received: dataset={dataset} of type {type(dataset)}"
        )
    if right_size is None and left_size is None:
        raise ValueError(
            "At least one of the `left_size` or `right_size` must be specified. "
            "Received: left_size=None and right_size=None"
        )
    samples = _dataset_to_list(dataset, spec)
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(1e6))
        random.seed(seed)
        random.shuffle(samples)
    total = len(samples)
    left_size, right_size = _rescale_split_sizes(left_size, right_size, total)
    left = _restore(list(samples[:left_size]), spec)
    right = _restore(list(samples[-right_size:]), spec)
    left_ds = DatasetV2.from_tensor_slices(left)
    right_ds = DatasetV2.from_tensor_slices(right)
    batch_size = (
        getattr(dataset, "_size", None) if spec is DatasetV2 and _is_batched(dataset) else None
    )
    if batch_size is not None:
        left_ds, right_ds = left_ds.batch(batch_size), right_ds.batch(batch_size)
    return left_ds.prefetch(data_options.AUTOTUNE), right_ds.prefetch(data_options.AUTOTUNE)


def _is_batched(dataset):
    from tensorlet.data_ops.batching import _BatchDataset

    return isinstance(dataset, _BatchDataset)


def _get_type_spec(dataset):
    if isinstance(dataset, tuple):
        return tuple
    if isinstance(dataset, list):
        return list
    if isinstance(dataset, xp.ndarray):
        return xp.ndarray
    if isinstance(dataset, DatasetV2):
        return DatasetV2
    return None


def _iterate(dataset, spec):
    if spec in (list, tuple):
        kind = "list" if spec is list else "tuple"
        if len(dataset) == 0:
            raise ValueError(
                f"Received an empty {kind} dataset. Please provide a non-empty {kind} of arrays."
            )
        expected = None
        for i, element in enumerate(dataset):
            if not isinstance(element, xp.ndarray):
                raise ValueError(  # noqa: TRY004 - Keras raises ValueError here
                    f"Expected a {kind} of `numpy.ndarray` objects,Received: "
                    f"{type(element)} at index {i}."
                )
            if expected is None:
                expected = element.shape
            elif element.shape[0] != expected[0]:
                raise ValueError(
                    f"Received a {kind} of NumPy arrays with different lengths.Mismatch found at "
                    f"index {i}, Expected shape={expected} Received shape={element.shape}."
                    f"Please provide a {kind} of NumPy arrays of the same length."
                )
        return iter(zip(*dataset))
    if spec is DatasetV2:
        if _is_batched(dataset):
            dataset = dataset.unbatch()
        return iter(dataset)
    return iter(dataset)


def _dataset_to_list(dataset, spec):
    it = _iterate(dataset, spec)
    start = time.time()
    try:
        first = next(it)
    except StopIteration:
        raise ValueError(
            "Received an empty dataset. Argument `dataset` must be a non-empty "
            "list/tuple of `numpy.ndarray` objects or `tf.data.Dataset` "
            "objects."
        ) from None
    check = isinstance(first, (Tensor, xp.ndarray))
    first_shape = xp.asarray(first).shape if check else None
    out = [first]
    warn = True
    for i, sample in enumerate(it):
        if check and first_shape != xp.asarray(sample).shape:
            raise ValueError(
                f"All `dataset` samples must have same shape, Expected shape: "
                f"{first_shape} Received shape: {xp.asarray(sample).shape} at "
                f"index {i}."
            )
        if warn and i % 10 == 0 and int(time.time() - start) > 10:
            warnings.warn(
                "The dataset is taking longer than 10 seconds to iterate over. This "
                "may be due to the size of the dataset. Keep in mind that the "
                "`split_dataset` utility is only for small in-memory dataset (e.g. < "
                "10,000 samples).",
                category=ResourceWarning,
                stacklevel=2,
            )
            warn = False
        out.append(sample)
    return out


def _rescale_split_sizes(left_size, right_size, total_length):
    lt, rt = type(left_size), type(right_size)
    if (left_size is not None and lt not in (int, float)) and (
        right_size is not None and rt not in (int, float)
    ):
        raise TypeError(
            "Invalid `left_size` and `right_size` Types. Expected: integer or float "
            f"or None, Received: type(left_size)={lt} and type(right_size)={rt}"
        )
    if left_size is not None and lt not in (int, float):
        raise TypeError(
            f"Invalid `left_size` Type. Expected: int or float or None, Received: "
            f"type(left_size)={lt}.  "
        )
    if right_size is not None and rt not in (int, float):
        raise TypeError(
            f"Invalid `right_size` Type. Expected: int or float or None,Received: "
            f"type(right_size)={rt}."
        )
    if left_size == 0 and right_size == 0:
        raise ValueError(
            "Both `left_size` and `right_size` are zero. At least one of the split "
            "sizes must be non-zero."
        )
    if (lt is int and (left_size <= 0 or left_size >= total_length)) or (
        lt is float and (left_size <= 0 or left_size >= 1)
    ):
        raise ValueError(
            f"`left_size` should be either a positive integer smaller than "
            f"{total_length}, or a float within the range `[0, 1]`. Received: "
            f"left_size={left_size}"
        )
    if (rt is int and (right_size <= 0 or right_size >= total_length)) or (
        rt is float and (right_size <= 0 or right_size >= 1)
    ):
        raise ValueError(
            f"`right_size` should be either a positive integer and smaller than "
            f"{total_length} or a float within the range `[0, 1]`. Received: "
            f"right_size={right_size}"
        )
    if rt is lt is float and right_size + left_size > 1:
        raise ValueError(
            "The sum of `left_size` and `right_size` is greater than 1. It must be "
            "less than or equal to 1."
        )
    left = (
        round(left_size * total_length)
        if lt is float
        else (float(left_size) if lt is int else None)
    )
    right = (
        round(right_size * total_length)
        if rt is float
        else (float(right_size) if rt is int else None)
    )
    if left is None:
        left = total_length - right
    elif right is None:
        right = total_length - left
    if left + right > total_length:
        raise ValueError(
            f"The sum of `left_size` and `right_size` should be smaller than the "
            f"{total_length}. Received: left_size + right_size = {left + right}and "
            f"total_length = {total_length}"
        )
    for split, side in ((left, "left"), (right, "right")):
        if split == 0:
            raise ValueError(
                f"With `dataset` of length={total_length}, `left_size`={left} and "
                f"`right_size`={right}.Resulting {side} side dataset split will be "
                "empty. Adjust any of the aforementioned parameters"
            )
    return int(left), int(right)


def _restore(samples, spec):
    """The samples as arrays, one per component, in the samples' structure."""
    if spec in (list, tuple, DatasetV2):
        first = samples[0]
        flat = [_flatten(s) for s in samples]
        cols = [xp.array([_np(v) for v in col]) for col in zip(*flat)]
        return _pack(first, cols)
    return samples


def _np(v):
    return v.numpy() if hasattr(v, "numpy") else v


def _flatten(sample):
    if isinstance(sample, (list, tuple, dict)):
        return structure.flatten(tuple(sample) if isinstance(sample, list) else sample)
    return [sample]


def _pack(like, cols):
    if isinstance(like, (list, tuple, dict)):
        return structure.pack_sequence_as(tuple(like) if isinstance(like, list) else like, cols)
    return cols[0]


def index_directory(
    directory,
    labels,
    formats,
    class_names=None,
    shuffle=True,
    seed=None,
    follow_links=False,
    verbose=True,
):
    """``(file_paths, labels, class_names)`` of the files of ``directory`` with a suffix in
    ``formats``; class labels inferred from subdirectories (sorted), as Keras does."""
    if labels == "inferred":
        subdirs = sorted(
            d
            for d in os.listdir(directory)
            if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")
        )
        if class_names is not None:
            if not set(class_names).issubset(set(subdirs)):
                raise ValueError(
                    "The `class_names` passed did not match the names of the "
                    "subdirectories of the target directory. Expected: "
                    f"{subdirs} (or a subset of it), but received: "
                    f"class_names={class_names}"
                )
            subdirs = list(class_names)
    else:
        subdirs = [""]
        if class_names is not None:
            if labels is None:
                raise ValueError(
                    "When `labels=None` (no labels), argument `class_names` cannot be specified."
                )
            raise ValueError(
                "When argument `labels` is specified, argument `class_names` "
                "cannot be specified (the `class_names` will be the sorted list of "
                "labels)."
            )
    class_names = subdirs
    filenames, label_list = [], []
    for index, sub in enumerate(subdirs):
        dirpath = os.path.join(directory, sub)
        for root, _, files in sorted(
            os.walk(dirpath, followlinks=follow_links), key=lambda w: w[0]
        ):
            for fname in sorted(files):
                if fname.lower().endswith(formats):
                    rel = os.path.join(
                        os.path.basename(dirpath),
                        os.path.relpath(os.path.join(root, fname), dirpath),
                    )
                    filenames.append(rel)
                    label_list.append(index)
    if labels == "inferred":
        labels = xp.array(label_list, dtype="int32")
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError(
                f"Expected the lengths of `labels` to match the number of files in "
                f"the target directory. len(labels) is {len(labels)} while we found "
                f"{len(filenames)} files in directory {directory}."
            )
        class_names = [str(label) for label in sorted(set(labels))]
    if verbose:
        if labels is None:
            print(f"Found {len(filenames)} files.")
        else:
            print(f"Found {len(filenames)} files belonging to {len(class_names)} classes.")
    file_paths = [os.path.join(directory, f) for f in filenames]
    if shuffle:
        if seed is None:
            seed = xp.random.randint(1e6)
        xp.random.RandomState(seed).shuffle(file_paths)
        if labels is not None:
            xp.random.RandomState(seed).shuffle(labels)
    return file_paths, labels, class_names
