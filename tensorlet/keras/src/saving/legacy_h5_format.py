"""Keras' legacy HDF5 format (``model.save("x.h5")``, Keras 2 ``save_weights("x.h5")``), read and
written as Keras 3 does, and the legacy (Keras 2 / HDF5) form of configs.

File layout::

    /  @keras_version @backend @model_config (JSON: layers as {"class_name", "config"})
       @training_config (JSON, when compiled: loss, metrics, ..., optimizer_config)
      model_weights/  @layer_names @backend @keras_version
        <layer name>/  @weight_names = [variable paths]   datasets at those paths
        top_level_model_weights/  @weight_names
      optimizer_weights/  @weight_names = [optimizer variable paths]   (when compiled)

Weights are matched to the model's layers in order (only layers that have weights count), or
by layer name (``by_name=True``); within a layer, in ``@weight_names`` order (trainable weights
first). As in Keras 3, the optimizer of a loaded Sequential model is built on the model's own
variables only, so only ``iterations`` and ``learning_rate`` come back from ``optimizer_weights``.
"""

import json
import logging
import warnings

from tensorlet.backend import xp
from tensorlet.framework import nest
from tensorlet.keras.src.saving import object_registration, saving_lib, serialization_lib
from tensorlet.keras.src.saving.legacy_config import (
    compile_args_from_training_config,
    legacy_serialize,
    model_from_config,
)
from tensorlet.keras.src.version import __version__ as keras_version

HDF5_OBJECT_HEADER_LIMIT = 64512
logger = logging.getLogger("keras")


# --------------------------------------------------------------------------- saving
def save_model_to_hdf5(model, filepath, overwrite=True, include_optimizer=True):
    """Writes ``model`` (config, weights, compile config and optimizer state) to ``filepath``."""
    h5py = saving_lib.h5py_module(
        "`save_model()` using h5 format requires h5py. Could not import h5py."
    )
    if isinstance(filepath, h5py.File):
        _write_model(filepath, model, include_optimizer)
        return
    with saving_lib.atomic_write(str(filepath)) as fileobj, h5py.File(fileobj, mode="w") as f:
        _write_model(f, model, include_optimizer)


def _write_model(f, model, include_optimizer):
    with serialization_lib.LegacyConfigScope(True):
        metadata = model_metadata(model, include_optimizer)
        for key, value in metadata.items():
            if isinstance(value, (dict, list, tuple)):
                f.attrs[key] = json.dumps(value, default=_json_default).encode("utf8")
            else:
                f.attrs[key] = value
        save_weights_to_hdf5_group(f.create_group("model_weights"), model)
        optimizer = getattr(model, "optimizer", None)
        if include_optimizer and optimizer is not None:
            save_optimizer_weights_to_hdf5_group(f, optimizer)
    f.flush()


def model_metadata(model, include_optimizer=True):
    """``keras_version``, ``backend``, ``model_config`` and (compiled) ``training_config``."""
    metadata = {
        "keras_version": str(keras_version),
        "backend": "tensorflow",
        "model_config": {"class_name": model.__class__.__name__, "config": model.get_config()},
    }
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and include_optimizer and getattr(model, "compiled", False):
        training_config = dict(model._compile_config.config)
        training_config.pop("optimizer", None)  # written as optimizer_config below
        training_config = nest.map_structure(
            lambda x: legacy_serialize(x) if callable(x) else x, training_config
        )
        training_config["optimizer_config"] = {
            "class_name": object_registration.get_registered_name(optimizer.__class__),
            "config": optimizer.get_config(),
        }
        metadata["training_config"] = training_config
    return metadata


def _json_default(obj):
    if hasattr(obj, "item") and getattr(obj, "ndim", 1) == 0:
        return obj.item()
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if hasattr(obj, "as_list"):
        return obj.as_list()
    if hasattr(obj, "name") and hasattr(obj, "is_floating"):
        return obj.name
    raise TypeError(f"Not JSON Serializable: {obj}")


def save_weights_to_hdf5_group(f, model):
    """``layer_names`` and one group of datasets per layer (plus the model's own weights)."""
    save_attributes_to_hdf5_group(
        f, "layer_names", [layer.name.encode("utf8") for layer in model.layers]
    )
    f.attrs["backend"] = b"tensorflow"
    f.attrs["keras_version"] = str(keras_version).encode("utf8")
    for layer in sorted(model.layers, key=lambda x: x.name):
        save_subset_weights_to_hdf5_group(f.create_group(layer.name), _legacy_weights(layer))
    save_subset_weights_to_hdf5_group(
        f.create_group("top_level_model_weights"), _own_weights(model)
    )


def save_subset_weights_to_hdf5_group(f, weights):
    names = [str(w.path).encode("utf8") for w in weights]
    save_attributes_to_hdf5_group(f, "weight_names", names)
    for name, w in zip(names, weights):
        value = xp.asarray(w.numpy())
        dataset = f.create_dataset(name, value.shape, dtype=value.dtype)
        if value.shape:
            dataset[:] = value
        else:
            dataset[()] = value


def save_optimizer_weights_to_hdf5_group(f, optimizer):
    variables = optimizer.variables
    if not variables:
        return
    group = f.create_group("optimizer_weights")
    names = [str(v.path).encode("utf8") for v in variables]
    save_attributes_to_hdf5_group(group, "weight_names", names)
    for name, v in zip(names, variables):
        value = xp.asarray(v.numpy())
        dataset = group.create_dataset(name, value.shape, dtype=value.dtype)
        if value.shape:
            dataset[:] = value
        else:
            dataset[()] = value


def save_attributes_to_hdf5_group(group, name, data):
    """``group.attrs[name] = data``, split over ``name0``, ``name1``... when it is too large for
    one HDF5 object header."""
    too_large = [x for x in data if len(x) > HDF5_OBJECT_HEADER_LIMIT]
    if too_large:
        raise RuntimeError(
            "The following attributes cannot be saved to HDF5 file because they are larger "
            f"than {HDF5_OBJECT_HEADER_LIMIT} bytes: {too_large}"
        )
    data_npy = xp.asarray(data)
    num_chunks = 1
    chunks = xp.array_split(data_npy, num_chunks)
    while any(x.nbytes > HDF5_OBJECT_HEADER_LIMIT for x in chunks):
        num_chunks += 1
        chunks = xp.array_split(data_npy, num_chunks)
    if num_chunks > 1:
        for chunk_id, chunk in enumerate(chunks):
            group.attrs[f"{name}{chunk_id}"] = chunk
    else:
        group.attrs[name] = data


def load_attributes_from_hdf5_group(group, name):
    """The list saved by ``save_attributes_to_hdf5_group`` (strings decoded)."""
    if name in group.attrs:
        return [n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[name]]
    data, chunk_id = [], 0
    while f"{name}{chunk_id}" in group.attrs:
        data.extend(
            n.decode("utf8") if hasattr(n, "decode") else n
            for n in group.attrs[f"{name}{chunk_id}"]
        )
        chunk_id += 1
    return data


def _legacy_weights(layer):
    return layer.trainable_weights + layer.non_trainable_weights


def _own_weights(model):
    """The model's own variables (not its layers'), trainable first."""
    weights = {id(v) for v in model.weights}
    return [v for v in model._own_weights() if id(v) in weights]


# --------------------------------------------------------------------------- loading
def load_model_from_hdf5(filepath, custom_objects=None, compile=True, safe_mode=True):
    """The model of a legacy HDF5 file (compiled from its training config when ``compile``)."""
    h5py = saving_lib.h5py_module(
        "`load_model()` using h5 format requires h5py. Could not import h5py."
    )
    custom_objects = {
        **(custom_objects or {}),
        **object_registration.GLOBAL_CUSTOM_OBJECTS,
        **_scope_objects(),
    }
    opened = not isinstance(filepath, h5py.File)
    f = h5py.File(filepath, mode="r") if opened else filepath
    try:
        model_config = f.attrs.get("model_config")
        if model_config is None:
            raise ValueError(f"No model config found in the file at {filepath}.")
        model_config = json.loads(_decode(model_config))
        with serialization_lib.LegacyConfigScope(True), serialization_lib.SafeModeScope(safe_mode):
            model = model_from_config(model_config, custom_objects=custom_objects)
            load_weights_from_hdf5_group(f["model_weights"], model)
        if compile:
            training_config = f.attrs.get("training_config")
            if training_config is None:
                logger.warning(
                    "No training configuration found in the save file, so the model was "
                    "*not* compiled. Compile it manually."
                )
                return model
            training_config = json.loads(_decode(training_config))
            model.compile(**compile_args_from_training_config(training_config, custom_objects))
            if "optimizer_weights" in f:
                _restore_optimizer(model, f)
    finally:
        if opened:
            f.close()
    return model


def _restore_optimizer(model, f):
    # Keras 3 builds the optimizer on `model._trainable_variables`: the model's *own* trainable
    # variables, none for Sequential / Functional models (so the slots are not restored).
    own_trainable = [v for v in _own_weights(model) if v.trainable]
    try:
        model.optimizer.build(own_trainable)
    except (NotImplementedError, AttributeError):
        logger.warning(
            "Error when creating the weights of optimizer {}, making it impossible to "
            "restore the saved optimizer state. As a result, your model is starting with "
            "a freshly initialized optimizer."
        )
    group = f["optimizer_weights"]
    values = [
        xp.asarray(group[name]) for name in load_attributes_from_hdf5_group(group, "weight_names")
    ]
    try:
        model.optimizer.set_weights(values)
    except ValueError:
        logger.warning(
            "Error in loading the saved optimizer state. As a result, your model is "
            "starting with a freshly initialized optimizer."
        )


def _decode(value):
    return value.decode("utf-8") if hasattr(value, "decode") else value


def _scope_objects():
    merged = {}
    for scope in object_registration._SCOPE_STACK:
        merged.update(scope)
    return merged


def load_weights(model, filepath, by_name=False, skip_mismatch=False):
    """``model.load_weights`` of a legacy ``.h5`` file (a whole model or weights only)."""
    h5py = saving_lib.h5py_module(
        "Loading HDF5 files requires the h5py package. You can install it via `pip install h5py`"
    )
    with h5py.File(filepath, "r") as f:
        if "layer_names" not in f.attrs and "model_weights" in f:
            f = f["model_weights"]
        if by_name:
            load_weights_from_hdf5_group_by_name(f, model, skip_mismatch)
        else:
            load_weights_from_hdf5_group(f, model, skip_mismatch)


def load_subset_weights_from_hdf5_group(f):
    return [xp.asarray(f[name]) for name in load_attributes_from_hdf5_group(f, "weight_names")]


def load_weights_from_hdf5_group(f, model, skip_mismatch=False):
    """Topological loading: the i-th layer with weights gets the i-th saved layer with weights."""
    layers = [layer for layer in model.layers if _legacy_weights(layer)]
    names = [
        name
        for name in load_attributes_from_hdf5_group(f, "layer_names")
        if load_attributes_from_hdf5_group(f[name], "weight_names")
    ]
    if len(names) != len(layers):
        raise ValueError(
            "Layer count mismatch when loading weights from file. Model expected "
            f"{len(layers)} layers, found {len(names)} saved layers."
        )
    for k, (name, layer) in enumerate(zip(names, layers)):
        variables = _legacy_weights(layer)
        values = load_subset_weights_from_hdf5_group(f[name])
        if len(values) != len(variables):
            raise ValueError(
                f"Weight count mismatch for layer #{k} (named {layer.name} in the current "
                f"model, {name} in the save file). Layer expects {len(variables)} weight(s). "
                f"Received {len(values)} saved weight(s)"
            )
        _set_weights(variables, values, skip_mismatch, f"layer #{k} (named {layer.name})")
    if "top_level_model_weights" in f:
        variables = _own_weights(model)
        values = load_subset_weights_from_hdf5_group(f["top_level_model_weights"])
        if len(values) != len(variables):
            raise ValueError(
                "Weight count mismatch for top-level weights when loading weights from file. "
                f"Model expects {len(variables)} top-level weight(s). Received {len(values)} "
                "saved top-level weight(s)"
            )
        _set_weights(variables, values, skip_mismatch, "top-level model")


def load_weights_from_hdf5_group_by_name(f, model, skip_mismatch=False):
    """Loads each saved layer into the model's layers of the same name."""
    index = {}
    for layer in model.layers:
        index.setdefault(layer.name, []).append(layer)
    for k, name in enumerate(load_attributes_from_hdf5_group(f, "layer_names")):
        values = load_subset_weights_from_hdf5_group(f[name])
        for layer in index.get(name, []):
            variables = _legacy_weights(layer)
            if len(values) != len(variables):
                msg = (
                    f"Weight count mismatch for layer #{k} (named {layer.name}). Layer "
                    f"expects {len(variables)} weight(s). Received {len(values)} saved weight(s)"
                )
                if skip_mismatch:
                    warnings.warn(
                        f"Skipping loading of weights for layer #{k} (named "
                        f"{layer.name}) due to mismatch in number of weights. "
                        f"Layer expects {len(variables)} weight(s). Received "
                        f"{len(values)} saved weight(s)",
                        stacklevel=2,
                    )
                    continue
                raise ValueError(msg)
            _set_weights(variables, values, skip_mismatch, f"layer #{k} (named {layer.name})")
    if "top_level_model_weights" in f:
        variables = _own_weights(model)
        values = load_subset_weights_from_hdf5_group(f["top_level_model_weights"])
        if len(values) != len(variables):
            msg = (
                "Weight count mismatch for top-level weights of model. Model expects "
                f"{len(variables)} top-level weight(s). Received {len(values)} saved "
                "top-level weight(s)"
            )
            if not skip_mismatch:
                raise ValueError(msg)
            warnings.warn(msg, stacklevel=2)
        else:
            _set_weights(variables, values, skip_mismatch, "top-level model")


def _set_weights(variables, values, skip_mismatch, name):
    for variable, value in zip(variables, values):
        expected, received = tuple(variable.shape), tuple(value.shape)
        if expected != received:
            msg = (
                f"Shape mismatch in {name}for weight {variable.path}. Weight expects shape "
                f"{expected}. Received saved weight with shape {received}"
            )
            if skip_mismatch:
                warnings.warn(
                    f"Skipping loading weights for {name}due to mismatch in shape for weight "
                    f"{variable.path}. Weight expects shape {expected}. Received saved weight "
                    f"with shape {received}",
                    stacklevel=3,
                )
                continue
            raise ValueError(msg)
        variable.assign(value)
