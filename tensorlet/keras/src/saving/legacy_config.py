"""The legacy (HDF5 / Keras 2) form of configs: ``{"class_name", "config"}`` without module,
read as Keras 3 reads it (``batch_input_shape``, one-element ``axis`` lists, old ``Lambda``
functions converted), and the compile arguments of a legacy ``training_config``."""

import inspect

from tensorlet.framework import export
from tensorlet.keras.src.saving import object_registration, serialization_lib

LAMBDA_DEP_ARGS = ("module", "function_type", "output_shape_type", "output_shape_module")


def legacy_serialize(obj):
    """The legacy config of ``obj``: ``{"class_name": registered name, "config": get_config()}``
    (functions by name)."""
    if obj is None:
        return None
    if hasattr(obj, "get_config"):
        config = {}
        for key, item in obj.get_config().items():
            if isinstance(item, str) or not _is_keras_object(item):
                config[key] = item
                continue
            serialized = legacy_serialize(item)
            if isinstance(serialized, dict):
                serialized["__passive_serialization__"] = True
            config[key] = serialized
        return {
            "class_name": object_registration.get_registered_name(obj.__class__),
            "config": config,
        }
    if hasattr(obj, "__name__"):
        return object_registration.get_registered_name(obj)
    raise ValueError(f"Cannot serialize {obj} because it doesn't implement `get_config()`.")


def _is_keras_object(item):
    return hasattr(item, "get_config") and not isinstance(item, (dict, list, tuple, type))


def _layer_objects():
    serialization_lib._load_public_api()
    objects = {}
    for name, obj in export.OBJECTS.items():
        if name.startswith("keras.layers.") and inspect.isclass(obj):
            objects.setdefault(name.rpartition(".")[2], obj)
    from tensorlet.keras.src.models.functional import Functional
    from tensorlet.keras.src.models.model import Model
    from tensorlet.keras.src.models.sequential import Sequential

    objects.update(Functional=Functional, Model=Model, Sequential=Sequential)
    return objects


def model_from_config(config, custom_objects=None):
    """A layer or model from a legacy config (Keras 2 keys converted as Keras 3 does)."""
    if isinstance(config, list):
        raise TypeError(
            "`model_from_config` expects a dictionary, not a list. Received: config="
            f"{config}. Did you meant to use `Sequential.from_config(config)`?"
        )
    config = dict(config)
    inner = config["config"] = dict(config["config"])
    batch_input_shape = inner.pop("batch_input_shape", None)
    if batch_input_shape is not None:
        if config["class_name"] == "InputLayer":
            inner["batch_shape"] = batch_input_shape
        else:
            inner["input_shape"] = batch_input_shape
    axis = inner.pop("axis", None)
    if axis is not None:
        if isinstance(axis, list) and len(axis) == 1:
            inner["axis"] = int(axis[0])
        elif isinstance(axis, (int, float)):
            inner["axis"] = int(axis)
        else:
            inner["axis"] = axis
    if config["class_name"] == "Lambda":
        for arg in LAMBDA_DEP_ARGS:
            inner.pop(arg, None)
        function_config = inner["function"]
        if isinstance(function_config, list):
            inner["function"] = {
                "class_name": "__lambda__",
                "config": {
                    "code": function_config[0],
                    "defaults": function_config[1],
                    "closure": function_config[2],
                },
            }
    return legacy_deserialize(config, _layer_objects(), custom_objects, "layer")


def legacy_deserialize(identifier, module_objects=None, custom_objects=None, printable="object"):
    """An object from a legacy ``{"class_name", "config"}`` config (or a name)."""
    if identifier is None:
        return None
    custom_objects = custom_objects or {}
    if isinstance(identifier, dict):
        class_name = identifier["class_name"]
        cls = object_registration.get_registered_object(class_name, custom_objects, module_objects)
        if cls is None:
            raise ValueError(
                f"Unknown {printable}: '{class_name}'. Please ensure you are using a "
                "`keras.utils.custom_object_scope` and that this object is included in the "
                "scope. See https://www.tensorflow.org/guide/keras/save_and_serialize"
                "#registering_the_custom_object for details."
            )
        cls_config = identifier["config"]
        if isinstance(cls_config, dict):
            cls_config = dict(cls_config)
            for key, item in cls_config.items():
                if isinstance(item, dict) and item.get("__passive_serialization__"):
                    item = {k: v for k, v in item.items() if k != "__passive_serialization__"}
                    cls_config[key] = legacy_deserialize(item, module_objects, custom_objects)
                elif isinstance(item, str) and inspect.isfunction(
                    object_registration.get_registered_object(item, custom_objects)
                ):
                    cls_config[key] = object_registration.get_registered_object(
                        item, custom_objects
                    )
        if not hasattr(cls, "from_config"):
            return cls(**cls_config)
        if "custom_objects" in inspect.signature(cls.from_config).parameters:
            return cls.from_config(cls_config, custom_objects=custom_objects)
        with object_registration.CustomObjectScope(custom_objects):
            return cls.from_config(cls_config)
    if isinstance(identifier, str):
        obj = object_registration.get_registered_object(identifier, custom_objects, module_objects)
        if obj is None:
            raise ValueError(f"Unknown {printable}: '{identifier}'.")
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret serialized {printable}: {identifier}")


# --------------------------------------------------------------------------- compiling
def compile_args_from_training_config(training_config, custom_objects=None):
    """``model.compile`` arguments from a legacy training config."""
    from tensorlet.keras.src import losses, metrics, optimizers

    with object_registration.CustomObjectScope(custom_objects or {}):
        optimizer_config = training_config["optimizer_config"]
        optimizer = optimizers.deserialize(dict(optimizer_config))
        loss = None
        loss_config = training_config.get("loss")
        if loss_config is not None:
            loss = _deserialize_nested(_deserialize_loss, loss_config)
            loss = _resolve_compat(loss, loss_config, losses)
        metrics_value = None
        metrics_config = training_config.get("metrics")
        if metrics_config is not None:
            metrics_value = _deserialize_nested(_deserialize_metric, metrics_config)
            metrics_value = _resolve_compat(metrics_value, metrics_config, metrics)
        weighted = None
        weighted_config = training_config.get("weighted_metrics")
        if weighted_config is not None:
            weighted = _deserialize_nested(_deserialize_metric, weighted_config)
    return {
        "optimizer": optimizer,
        "loss": loss,
        "metrics": metrics_value,
        "weighted_metrics": weighted,
        "loss_weights": training_config.get("loss_weights"),
    }


def _deserialize_nested(fn, config):
    if config is None:
        return None
    if isinstance(config, str) or isinstance(config, dict) and "class_name" in config:
        return fn(config)
    if isinstance(config, dict):
        return {k: _deserialize_nested(fn, v) for k, v in config.items()}
    if isinstance(config, (list, tuple)):
        return [_deserialize_nested(fn, v) for v in config]
    raise ValueError(
        "Saved configuration not understood. Configuration should be a dictionary, string, "
        f"tuple or list. Received: config={config}."
    )


def _deserialize_loss(config):
    from tensorlet.keras.src import losses

    if isinstance(config, str):
        obj = losses.ALL_OBJECTS_DICT.get(config)
        if inspect.isfunction(obj) and obj.__name__ != config:
            # Keras 3.15 resolves a function alias ('mse', 'mae', ...) through the module of
            # the function (`keras.metrics`) and refuses it there: such files need compile=False
            raise ValueError(
                f"Could not deserialize 'keras.metrics.{config}' because it is not a "
                "KerasSaveable subclass"
            )
    return _instance(losses.deserialize(config))


def _deserialize_metric(config):
    from tensorlet.keras.src import metrics

    if config in ("accuracy", "acc", "crossentropy", "ce"):
        return config  # resolved by compile() from the model's outputs
    return _instance(metrics.deserialize(config))


def _instance(obj):
    """A class found by name stands for its default instance (``'MeanAbsoluteError'``)."""
    return obj() if inspect.isclass(obj) else obj


def _resolve_compat(obj, obj_config, module):
    """A name not known to Keras 3 (a Keras 2 object) is looked up by its config's name."""
    if (
        isinstance(obj, str)
        and obj not in module.ALL_OBJECTS_DICT
        and isinstance(obj_config, dict)
        and "config" in obj_config
    ):
        return module.get(obj_config["config"]["name"])
    return obj
