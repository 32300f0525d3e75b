"""``keras.saving.save_model`` / ``load_model`` / ``save_weights`` / ``load_weights`` and
``keras.models.model_from_json``: the file format is chosen by the file name, as in Keras 3.

* ``.keras``: the Keras 3 zip (``saving_lib``), the recommended format;
* ``.h5`` / ``.hdf5``: the legacy HDF5 format (``legacy_h5_format``), read and written;
* ``.weights.h5``: weights only (``save_weights`` accepts nothing else).

Anything else (a SavedModel directory, ``.tf``, a TF checkpoint prefix) is refused with Keras'
errors; ``model.export()`` is the way to a SavedModel.
"""

import json
import logging
import os
import zipfile

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.saving import legacy_h5_format, saving_lib, serialization_lib
from tensorlet.keras.src.utils import io_utils

logger = logging.getLogger("keras")


@keras_export("keras.saving.save_model", "keras.models.save_model")
def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Saves ``model`` (architecture, weights, optimizer state) to a ``.keras`` or ``.h5`` file.

    Args:
        model: the model to save.
        filepath: a ``.keras`` path (or ``.h5`` / ``.hdf5`` for the legacy HDF5 format).
        overwrite: whether to replace an existing file (else the user is asked).
        zipped: only True (a zip archive) is supported.
        include_optimizer: (legacy ``.h5`` only) whether to save the optimizer state.

    Example:
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
        >>> model.save(path)
        >>> keras.saving.load_model(path).count_params()
        8
    """
    include_optimizer = kwargs.pop("include_optimizer", True)
    save_format = kwargs.pop("save_format", False)
    path = str(filepath)
    if save_format:
        if path.endswith((".h5", ".hdf5", ".keras")):
            logger.warning(
                "The `save_format` argument is deprecated in Keras 3. We recommend removing "
                "this argument as it can be inferred from the file path. "
                f"Received: save_format={save_format}"
            )
        else:
            raise ValueError(
                "The `save_format` argument is deprecated in Keras 3. Please remove this "
                "argument and pass a file path with either `.keras` or `.h5` extension."
                f"Received: save_format={save_format}"
            )
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs.keys())}")
    if path.endswith((".h5", ".hdf5")):
        logger.warning(
            "You are saving your model as an HDF5 file via `model.save()` or "
            "`keras.saving.save_model(model)`. This file format is considered legacy. We "
            "recommend using instead the native Keras format, e.g. "
            "`model.save('my_model.keras')` or `keras.saving.save_model(model, "
            "'my_model.keras')`. "
        )
    if zipped is None:
        zipped = True
    if not zipped:
        raise NotImplementedError("tensorlet saves `.keras` models as zip archives only.")
    try:
        exists = os.path.exists(filepath)
    except TypeError:
        exists = False
    if exists and not overwrite and not ask_to_proceed_with_overwrite(path):
        return
    if path.endswith(".keras"):
        return saving_lib.save_model(model, filepath)
    if path.endswith((".h5", ".hdf5")):
        return legacy_h5_format.save_model_to_hdf5(model, filepath, True, include_optimizer)
    raise ValueError(
        "Invalid filepath extension for saving. Please add either a `.keras` extension for "
        "the native Keras format (recommended) or a `.h5` extension. Use "
        "`model.export(filepath)` if you want to export a SavedModel for use with "
        f"TFLite/TFServing/etc. Received: filepath={filepath}."
    )


@keras_export("keras.saving.load_model", "keras.models.load_model")
def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with ``model.save()`` (``.keras``, or legacy ``.h5``).

    Args:
        filepath: the file.
        custom_objects: ``{name: class or function}`` for custom objects not registered with
            ``@keras.saving.register_keras_serializable()``.
        compile: whether to compile the model (and restore the optimizer state) as saved.
        safe_mode: whether to refuse ``lambda`` deserialization (``.keras`` files).

    Returns:
        The model, compiled when it was saved compiled and ``compile`` is True.
    """
    path = str(filepath)
    is_keras_zip = path.endswith(".keras") and zipfile.is_zipfile(filepath)
    is_keras_dir = os.path.isdir(path) and os.path.exists(os.path.join(path, "config.json"))
    if is_keras_zip:
        return saving_lib.load_model(
            filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
        )
    if is_keras_dir:
        raise NotImplementedError("tensorlet reads `.keras` models from zip archives only.")
    if path.endswith((".h5", ".hdf5")):
        return legacy_h5_format.load_model_from_hdf5(
            filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
        )
    if path.endswith(".keras"):
        raise ValueError(
            f"File not found: filepath={filepath}. Please ensure the file is an accessible "
            "`.keras` zip file."
        )
    raise ValueError(
        f"File format not supported: filepath={filepath}. Keras 3 only supports V3 `.keras` "
        "files, legacy H5 format files (`.h5` extension). Note that the legacy SavedModel "
        "format is not supported by `load_model()` in Keras 3. In order to reload a "
        "TensorFlow SavedModel as an inference-only layer in Keras 3, use "
        f"`keras.layers.TFSMLayer({filepath}, call_endpoint='serving_default')` (note that "
        "your `call_endpoint` might have a different name)."
    )


@keras_export("keras.saving.save_weights")
def save_weights(model, filepath, overwrite=True, max_shard_size=None, **kwargs):
    """Saves the weights of ``model`` (and its optimizer state) to a ``.weights.h5`` file."""
    path = str(filepath)
    if max_shard_size is not None:
        raise NotImplementedError("tensorlet does not write sharded weights (`max_shard_size`).")
    if path.endswith(".h5") and not path.endswith(".weights.h5"):
        # Keras 2's HDF5 weights file (Keras 3 refuses the name; the seed document, written for
        # Keras 2, uses it): layer_names + one group per layer, read back by load_weights
        if os.path.exists(path) and not overwrite and not ask_to_proceed_with_overwrite(path):
            return
        from tensorlet.keras.src.saving import legacy_h5_format

        h5py = saving_lib.h5py_module(
            "`save_weights` requires h5py. You can install it via `pip install h5py`")
        with saving_lib.atomic_write(path) as fileobj, h5py.File(fileobj, mode="w") as f:
            legacy_h5_format.save_weights_to_hdf5_group(f, model)
        return
    if not path.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={path}")
    try:
        exists = os.path.exists(filepath)
    except TypeError:
        exists = False
    if exists and not overwrite and not ask_to_proceed_with_overwrite(path):
        return
    saving_lib.save_weights_only(model, filepath, **kwargs)


@keras_export("keras.saving.load_weights")
def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Loads weights from a ``.weights.h5``, ``.keras`` or legacy ``.h5`` file.

    ``.weights.h5`` and ``.keras`` files are matched by the model's structure (layer paths);
    legacy ``.h5`` files by the order of the layers that have weights, or by layer name with
    ``by_name=True``.
    """
    path = str(filepath)
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    by_name = kwargs.pop("by_name", None)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    if path.endswith(".keras"):
        if objects_to_skip is not None:
            raise ValueError(
                f"`objects_to_skip` only supports loading '.weights.h5' files.Received: {filepath}"
            )
        if by_name is not None:
            raise ValueError(
                "`by_name` only supports loading legacy '.h5' or '.hdf5' files. "
                f"Received: {filepath}"
            )
        saving_lib.load_weights_only(model, filepath, skip_mismatch=skip_mismatch)
    elif path.endswith((".weights.h5", ".weights.json")):
        if by_name is not None:
            raise ValueError(
                "`by_name` only supports loading legacy '.h5' or '.hdf5' files. "
                f"Received: {filepath}"
            )
        saving_lib.load_weights_only(
            model, filepath, skip_mismatch=skip_mismatch, objects_to_skip=objects_to_skip
        )
    elif path.endswith((".h5", ".hdf5")):
        if objects_to_skip is not None:
            raise ValueError(
                f"`objects_to_skip` only supports loading '.weights.h5' files.Received: {filepath}"
            )
        legacy_h5_format.load_weights(model, filepath, by_name=by_name, skip_mismatch=skip_mismatch)
    else:
        raise ValueError(
            f"File format not supported: filepath={filepath}. Keras 3 only supports V3 "
            "`.keras` files, `.weights.h5` files, legacy H5 format files (`.h5` extension), "
            "or Orbax checkpoints."
        )


@keras_export("keras.models.model_from_json")
def model_from_json(json_string, custom_objects=None):
    """The (uncompiled unless its config says otherwise) model of a ``model.to_json()`` string.

    Example:
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> keras.models.model_from_json(model.to_json()).count_params()
        8
    """
    config = json.loads(json_string)
    return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)


@keras_export("keras.models.model_from_yaml")
def model_from_yaml(yaml_string, custom_objects=None):
    """Keras 2's counterpart of ``model.to_yaml()`` (removed in Keras 3; kept because the seed
    document uses it): PyYAML's ``safe_load`` when installed, else JSON (which is YAML)."""
    try:
        import yaml

        config = yaml.safe_load(yaml_string)
    except ImportError:
        config = json.loads(yaml_string)
    return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)


def ask_to_proceed_with_overwrite(filepath):
    """Asks on the console whether ``filepath`` may be overwritten (Keras' prompt)."""
    answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "n":
        return False
    io_utils.print_msg("[TIP] Next time specify overwrite=True!")
    return True
