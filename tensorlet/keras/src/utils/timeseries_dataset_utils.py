"""``keras.utils.timeseries_dataset_from_array``: sliding windows over a series as a dataset."""

from tensorlet.backend import xp
from tensorlet.data_ops import options as data_options
from tensorlet.data_ops.dataset import DatasetV2
from tensorlet.framework.export import keras_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import gather_ops, math_ops


@keras_export(
    "keras.utils.timeseries_dataset_from_array", "keras.preprocessing.timeseries_dataset_from_array"
)
def timeseries_dataset_from_array(
    data,
    targets,
    sequence_length,
    sequence_stride=1,
    sampling_rate=1,
    batch_size=128,
    shuffle=False,
    seed=None,
    start_index=None,
    end_index=None,
):
    """A dataset of sliding windows over ``data`` (rows ``start_index:end_index``).

    Window ``i`` starts at row ``i * sequence_stride`` and takes ``sequence_length`` rows
    ``sampling_rate`` apart; with ``targets``, it is paired with ``targets[start]`` (the target
    of the window's first row).

    Args:
        data: array-like of rows (axis 0 is time).
        targets: array-like of one target per row, or None.
        sequence_length: rows per window.
        sequence_stride: rows between the starts of consecutive windows.
        sampling_rate: rows between consecutive rows of a window.
        batch_size: windows per batch (None: unbatched windows).
        shuffle: shuffle the windows (NumPy ``RandomState(seed)``, then a
            ``batch_size * 8`` shuffle buffer).
        seed: the shuffling seed.
        start_index, end_index: the rows used (``end_index`` excluded).

    Returns:
        A ``tf.data.Dataset`` of windows (or ``(windows, targets)`` pairs).

    Example:
        >>> ds = keras.utils.timeseries_dataset_from_array(
        ...     np.arange(6), None, sequence_length=3, batch_size=2)
        >>> [b.tolist() for b in ds.as_numpy_iterator()]
        [[[0, 1, 2], [1, 2, 3]], [[2, 3, 4], [3, 4, 5]]]
    """
    _validate(data, start_index, end_index, sampling_rate, sequence_stride)
    start_index = start_index or 0
    end_index = len(data) if end_index is None else end_index
    num_seqs = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    index_dtype = "int32" if num_seqs < 2147483647 else "int64"
    start_positions = xp.arange(0, num_seqs, sequence_stride, dtype=index_dtype)
    if shuffle:
        if seed is None:
            seed = xp.random.randint(1e6)
        xp.random.RandomState(seed).shuffle(start_positions)
    offsets = convert_to_tensor(
        xp.arange(0, sequence_length * sampling_rate, sampling_rate, dtype=index_dtype)
    )
    rows = convert_to_tensor(xp.asarray(data)[start_index:end_index])
    positions = DatasetV2.from_tensor_slices(start_positions)
    dataset = positions.map(
        lambda p: gather_ops.gather(rows, math_ops.add(p, offsets)),
        num_parallel_calls=data_options.AUTOTUNE,
    )
    if targets is not None:
        target_rows = convert_to_tensor(xp.asarray(targets)[start_index:end_index])
        target_ds = positions.map(
            lambda p: gather_ops.gather(target_rows, p), num_parallel_calls=data_options.AUTOTUNE
        )
        dataset = DatasetV2.zip((dataset, target_ds))
    dataset = dataset.prefetch(data_options.AUTOTUNE)
    if batch_size is not None:
        if shuffle:
            dataset = dataset.shuffle(buffer_size=batch_size * 8, seed=seed)
        dataset = dataset.batch(batch_size)
    elif shuffle:
        dataset = dataset.shuffle(buffer_size=1024, seed=seed)
    return dataset


def _validate(data, start_index, end_index, sampling_rate, sequence_stride):
    if start_index:
        if start_index < 0:
            raise ValueError(
                f"`start_index` must be 0 or greater. Received: start_index={start_index}"
            )
        if start_index >= len(data):
            raise ValueError(
                f"`start_index` must be lower than the length of the data. "
                f"Received: start_index={start_index}, for data of length "
                f"{len(data)}"
            )
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(
                f"`end_index` must be higher than `start_index`. Received: "
                f"start_index={start_index}, and end_index={end_index} "
            )
        if end_index >= len(data):
            raise ValueError(
                f"`end_index` must be lower than the length of the data. Received: "
                f"end_index={end_index}, for data of length {len(data)}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    if sampling_rate <= 0:
        raise ValueError(
            f"`sampling_rate` must be higher than 0. Received: sampling_rate={sampling_rate}"
        )
    if sampling_rate >= len(data):
        raise ValueError(
            f"`sampling_rate` must be lower than the length of the data. Received: "
            f"sampling_rate={sampling_rate}, for data of length {len(data)}"
        )
    if sequence_stride <= 0:
        raise ValueError(
            f"`sequence_stride` must be higher than 0. Received: sequence_stride={sequence_stride}"
        )
    if sequence_stride >= len(data):
        raise ValueError(
            f"`sequence_stride` must be lower than the length of the data. "
            f"Received: sequence_stride={sequence_stride}, for data of length "
            f"{len(data)}"
        )
