"""``keras.utils.text_dataset_from_directory``: a dataset of text files (and labels) from a
directory with one subdirectory per class."""

from tensorlet.backend import xp
from tensorlet.data_ops import options as data_options
from tensorlet.data_ops.dataset import DatasetV2
from tensorlet.framework.export import keras_export
from tensorlet.io_ops import file_io
from tensorlet.keras.src.utils import dataset_utils
from tensorlet.keras.src.utils.image_dataset_utils import (
    check_validation_split_arg,
    get_training_or_validation_split,
    labels_to_dataset,
)


@keras_export(
    "keras.utils.text_dataset_from_directory", "keras.preprocessing.text_dataset_from_directory"
)
def text_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    max_length=None,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    verbose=True,
):
    """A ``tf.data.Dataset`` of the ``.txt`` files of ``directory`` (strings) and labels.

    Args: as ``image_dataset_from_directory``; ``max_length`` keeps the first ``max_length``
    bytes of every text.

    Returns:
        A dataset of ``(texts, labels)`` (or texts) with a ``class_names`` attribute; for
        ``subset="both"`` a ``(train, validation)`` pair.
    """
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                "`labels` argument should be a list/tuple of integer labels, of the same size as "
                "the number of text files in the target directory. If you wish to infer the "
                'labels from the subdirectory names in the target directory, pass `labels="'
                'inferred"`. If you wish to get a dataset that only contains text (no labels), '
                f"pass `labels=None`. Received: labels={labels}"
            )
        if class_names:
            raise ValueError(
                "You can only pass `class_names` if `labels='inferred'`. Received: "
                f"labels={labels}, and class_names={class_names}"
            )
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError(
            '`label_mode` argument must be one of "int", "categorical", "binary", '
            f"or None. Received: label_mode={label_mode}"
        )
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = xp.random.randint(1e6)
    paths, labels, class_names = dataset_utils.index_directory(
        directory,
        labels,
        formats=(".txt",),
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
        verbose=verbose,
    )
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 '
            f"class_names. Received: class_names={class_names}"
        )
    buffer = batch_size * 8 if batch_size is not None else 1024

    def build(subset_name):
        p, lab = get_training_or_validation_split(paths, labels, validation_split, subset_name)
        if not p:
            raise ValueError(f"No text files found in directory {directory}. Allowed format: .txt")
        ds = DatasetV2.from_tensor_slices(p)
        if label_mode:
            ds = DatasetV2.zip((ds, labels_to_dataset(lab, label_mode, len(class_names))))
        if shuffle:
            ds = ds.shuffle(buffer_size=buffer, seed=seed)
        if label_mode:
            ds = ds.map(
                lambda x, y: (_read(x, max_length), y), num_parallel_calls=data_options.AUTOTUNE
            )
        else:
            ds = ds.map(lambda x: _read(x, max_length), num_parallel_calls=data_options.AUTOTUNE)
        if batch_size is not None:
            ds = ds.batch(batch_size)
        ds = ds.prefetch(data_options.AUTOTUNE)
        ds.class_names = class_names
        return ds

    if subset == "both":
        return build("training"), build("validation")
    return build(subset)


def _read(path, max_length):
    from tensorlet.ops import string_ops

    txt = file_io.read_file(path)
    if max_length is not None:
        txt = string_ops.substr(txt, 0, max_length)
    return txt
