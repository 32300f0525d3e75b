"""``keras.utils.image_dataset_from_directory``: a dataset of decoded, resized images (and labels)
from a directory with one subdirectory per class."""

from tensorlet.backend import xp
from tensorlet.data_ops import mapping
from tensorlet.data_ops import options as data_options
from tensorlet.data_ops.dataset import DatasetV2
from tensorlet.framework.export import keras_export
from tensorlet.framework.tensor_spec import TensorSpec
from tensorlet.image_ops import codecs, crop_pad, resize
from tensorlet.io_ops import file_io
from tensorlet.keras.src.backend import config
from tensorlet.keras.src.utils import dataset_utils
from tensorlet.ops import array_ops

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_INTERPOLATIONS = (
    "bilinear",
    "nearest",
    "bicubic",
    "area",
    "lanczos3",
    "lanczos5",
    "gaussian",
    "mitchellcubic",
)


@keras_export(
    "keras.utils.image_dataset_from_directory", "keras.preprocessing.image_dataset_from_directory"
)
def image_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    color_mode="rgb",
    batch_size=32,
    image_size=(256, 256),
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    interpolation="bilinear",
    follow_links=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    data_format=None,
    verbose=True,
):
    """A ``tf.data.Dataset`` of images (float32, resized to ``image_size``) and labels.

    ``directory/<class>/<image>`` gives the class of each image (``labels="inferred"``: the
    sorted subdirectory names). Files are shuffled with NumPy ``RandomState(seed)`` (then with a
    ``batch_size * 8`` shuffle buffer) and ``validation_split`` / ``subset`` take the last
    fraction of them for validation, as Keras does.

    Args:
        directory: the root directory.
        labels: ``"inferred"``, None, or a list of integer labels (in sorted file order).
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or None.
        class_names: explicit class subdirectories (and their order).
        color_mode: ``"rgb"``, ``"rgba"`` or ``"grayscale"``.
        batch_size: images per batch (None: unbatched).
        image_size: ``(height, width)`` after resizing.
        shuffle, seed: shuffling of the files.
        validation_split, subset: a fraction of the files and ``"training"``,
            ``"validation"`` or ``"both"``.
        interpolation: the resize method.
        follow_links: follow symbolic links to subdirectories.
        crop_to_aspect_ratio, pad_to_aspect_ratio: keep the aspect ratio by cropping the
            center / padding before resizing.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.
        verbose: print the number of files and classes found.

    Returns:
        A dataset of ``(images, labels)`` (or images), with ``class_names`` and ``file_paths``
        attributes; for ``subset="both"`` a ``(train, validation)`` pair.
    """
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                "`labels` argument should be a list/tuple of integer labels, of the same size as "
                "the number of image files in the target directory. If you wish to infer the "
                'labels from the subdirectory names in the target directory, pass `labels="'
                'inferred"`. If you wish to get a dataset that only contains images (no labels), '
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
    channels = {"rgb": 3, "rgba": 4, "grayscale": 1}.get(color_mode)
    if channels is None:
        raise ValueError(
            '`color_mode` must be one of {"rgb", "rgba", "grayscale"}. Received: '
            f"color_mode={color_mode}"
        )
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(
            "Invalid `image_size` value. Expected a tuple of 2 integers. Received: "
            f"image_size={image_size}"
        )
    interpolation = interpolation.lower()
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(
            f"Argument `interpolation` should be one of {_INTERPOLATIONS}. "
            f"Received: interpolation={interpolation}"
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be set to `True`."
        )
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = xp.random.randint(1e6)
    paths, labels, class_names = dataset_utils.index_directory(
        directory,
        labels,
        formats=ALLOWLIST_FORMATS,
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
    data_format = data_format or config.image_data_format()
    options = {
        "image_size": tuple(image_size),
        "channels": channels,
        "interpolation": interpolation,
        "crop": crop_to_aspect_ratio,
        "pad": pad_to_aspect_ratio,
        "data_format": data_format,
    }
    buffer = batch_size * 8 if batch_size is not None else 1024

    def build(subset_name):
        p, lab = get_training_or_validation_split(paths, labels, validation_split, subset_name)
        if not p:
            raise ValueError(
                f"No images found in directory {directory}. Allowed formats: {ALLOWLIST_FORMATS}"
            )
        ds = _paths_and_labels_to_dataset(
            p, lab, label_mode, len(class_names or ()), options, shuffle, buffer, seed
        )
        if batch_size is not None:
            ds = ds.batch(batch_size)
        ds = ds.prefetch(data_options.AUTOTUNE)
        ds.class_names = class_names
        ds.file_paths = p
        return ds

    if subset == "both":
        return build("training"), build("validation")
    return build(subset)


def _load_image(path, image_size, channels, interpolation, crop, pad, data_format):
    img = codecs.decode_image(file_io.read_file(path), channels=channels, expand_animations=False)
    h, w = image_size
    if crop:
        img = _center_crop_to_aspect(img, h, w)
        img = resize.resize_images_v2(img, image_size, method=interpolation)
    elif pad:
        img = crop_pad.resize_image_with_pad_v2(img, h, w, method=interpolation)
    else:
        img = resize.resize_images_v2(img, image_size, method=interpolation)
    if data_format == "channels_first":
        img = array_ops.transpose(img, (2, 0, 1))
    return img


def _center_crop_to_aspect(img, height, width):
    """Keras' smart_resize crop: the largest centered window with the target aspect ratio."""
    h, w = int(img.shape[0]), int(img.shape[1])
    crop_h = min(h, int(w * height / width))
    crop_w = min(w, int(h * width / height))
    crop_h, crop_w = max(crop_h, 1), max(crop_w, 1)
    return crop_pad.crop_to_bounding_box(img, (h - crop_h) // 2, (w - crop_w) // 2, crop_h, crop_w)


def _paths_and_labels_to_dataset(
    paths, labels, label_mode, num_classes, options, shuffle, buffer, seed
):
    ds = DatasetV2.from_tensor_slices(paths)
    if label_mode:
        ds = DatasetV2.zip((ds, labels_to_dataset(labels, label_mode, num_classes)))
    if shuffle:
        ds = ds.shuffle(buffer_size=buffer, seed=seed)
    h, w = options["image_size"]
    c = options["channels"]
    shape = (h, w, c) if options["data_format"] == "channels_last" else (c, h, w)
    image_spec = TensorSpec(shape, "float32")  # Keras: img.set_shape(...)
    auto = data_options.AUTOTUNE
    if label_mode:
        label_spec = ds.element_spec[1]
        return mapping.map_dataset(
            ds, lambda x, y: (_load_image(x, **options), y), auto, (image_spec, label_spec)
        )
    return mapping.map_dataset(ds, lambda x: _load_image(x, **options), auto, image_spec)


def labels_to_dataset(labels, label_mode, num_classes):
    """The labels as a dataset: int32, float32 ``[1]`` (binary) or one-hot (categorical)."""
    from tensorlet.ops import array_creation_ops, cast_ops

    ds = DatasetV2.from_tensor_slices(labels)
    if label_mode == "binary":
        return ds.map(
            lambda x: array_ops.expand_dims(cast_ops.cast(x, "float32"), axis=-1),
            num_parallel_calls=data_options.AUTOTUNE,
        )
    if label_mode == "categorical":
        return ds.map(
            lambda x: array_creation_ops.one_hot(x, num_classes),
            num_parallel_calls=data_options.AUTOTUNE,
        )
    return ds


def get_training_or_validation_split(samples, labels, validation_split, subset):
    """The last ``validation_split`` of the samples for ``"validation"``, the rest for
    ``"training"`` (everything without a split)."""
    if not validation_split:
        return samples, labels
    n_val = int(validation_split * len(samples))
    if subset == "training":
        print(f"Using {len(samples) - n_val} files for training.")
        return samples[:-n_val], None if labels is None else labels[:-n_val]
    if subset == "validation":
        print(f"Using {n_val} files for validation.")
        return samples[-n_val:], None if labels is None else labels[-n_val:]
    raise ValueError(f'`subset` must be either "training" or "validation", received: {subset}')


def check_validation_split_arg(validation_split, subset, shuffle, seed):
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"`validation_split` must be between 0 and 1, received: {validation_split}"
        )
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(
            f'`subset` must be either "training", "validation" or "both", received: {subset}'
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "If using `validation_split` and shuffling the data, you must provide a "
            "`seed` argument, to make sure that there is no overlap between the "
            "training and validation subset."
        )
