"""Keras 3 object configs: ``{"module", "class_name", "config", "registered_name"}``.

Built-in classes are named by their first public Keras name (``keras.initializers.GlorotUniform``
-> module ``'keras.initializers'``), found in the ``keras_export`` registry.
"""

import inspect

from tensorlet.framework import export
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.saving import object_registration

PLAIN_TYPES = (str, int, float, bool)
_PUBLIC_NAMES = {}  # id(object) -> its first keras.* name
_INDEXED = [0]  # how many registry entries _PUBLIC_NAMES covers


def public_name(obj):
    """The first ``keras.*`` name ``obj`` is exported under, or None."""
    if _INDEXED[0] != len(export.OBJECTS):
        _PUBLIC_NAMES.clear()
        for name, o in export.OBJECTS.items():
            if name.startswith("keras.") and not isinstance(o, PLAIN_TYPES):
                _PUBLIC_NAMES.setdefault(id(o), name)
        _INDEXED[0] = len(export.OBJECTS)
    return _PUBLIC_NAMES.get(id(obj))


@keras_export("keras.saving.serialize_keras_object", "keras.utils.serialize_keras_object")
def serialize_keras_object(obj):
    """A JSON-friendly config of ``obj`` (None, plain values, lists, dicts, Keras objects)."""
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return _serialize_function(obj)
    if inspect.isclass(obj):
        name = public_name(obj)
        return {
            "module": name.rpartition(".")[0] if name else obj.__module__,
            "class_name": "__class__",
            "config": obj.__name__,
            "registered_name": object_registration.get_registered_name(obj),
        }
    if hasattr(obj, "get_config"):
        return _serialize_object(obj)
    if hasattr(obj, "numpy") and hasattr(obj, "dtype"):  # tensors
        return {
            "class_name": "__tensor__",
            "config": {"value": obj.numpy().tolist(), "dtype": obj.dtype.name},
        }
    raise TypeError(
        f"Cannot serialize object {obj} of type {type(obj)}. To be serializable, a "
        "class must implement the `get_config()` method."
    )


def _serialize_function(fn):
    name = public_name(fn)
    if name is not None:
        return {
            "module": name.rpartition(".")[0],
            "class_name": "function",
            "config": name.rpartition(".")[2],
            "registered_name": name.rpartition(".")[2],
        }
    registered = object_registration.get_registered_name(fn)
    return {
        "module": fn.__module__,
        "class_name": "function",
        "config": registered,
        "registered_name": registered,
    }


def _serialize_object(obj):
    config = obj.get_config()
    if not isinstance(config, dict):
        raise TypeError(
            f"The `get_config()` method of {obj} should return a dict. It returned: {config}"
        )
    config = serialize_keras_object(config)
    name = public_name(obj.__class__)
    if name is not None:
        out = {
            "module": name.rpartition(".")[0],
            "class_name": name.rpartition(".")[2],
            "config": config,
            "registered_name": None,
        }
    else:
        out = {
            "module": obj.__class__.__module__,
            "class_name": obj.__class__.__name__,
            "config": config,
            "registered_name": object_registration.get_registered_name(obj.__class__),
        }
    build_config = getattr(obj, "get_build_config", lambda: None)()
    if build_config is not None:
        out["build_config"] = serialize_keras_object(build_config)
    return out


@keras_export("keras.saving.deserialize_keras_object", "keras.utils.deserialize_keras_object")
def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """The object described by ``config`` (the inverse of ``serialize_keras_object``)."""
    module_objects = kwargs.pop("module_objects", None)
    if config is None or isinstance(config, PLAIN_TYPES) and not isinstance(config, str):
        return config
    if isinstance(config, str):
        obj = object_registration.get_registered_object(config, custom_objects, module_objects)
        return obj if obj is not None else config
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(x, custom_objects, safe_mode) for x in config]
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config}")
    if "class_name" not in config or "config" not in config:
        return {
            k: deserialize_keras_object(v, custom_objects, safe_mode) for k, v in config.items()
        }
    class_name, inner = config["class_name"], config["config"]
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__tensor__":
        from tensorlet.keras.src.backend import convert_to_tensor

        return convert_to_tensor(inner["value"], dtype=inner["dtype"])
    if class_name == "function":
        return retrieve(
            config.get("registered_name") or inner,
            config.get("module"),
            custom_objects,
            module_objects,
            inner,
        )
    cls = retrieve(
        config.get("registered_name") or class_name,
        config.get("module"),
        custom_objects,
        module_objects,
        class_name,
    )
    if class_name == "__class__":
        return cls
    if hasattr(cls, "from_config"):
        instance = cls.from_config(inner or {})
    else:
        instance = cls(**(inner or {}))
    build_config = config.get("build_config")
    if (
        build_config
        and hasattr(instance, "build_from_config")
        and not getattr(instance, "built", 1)
    ):
        instance.build_from_config(build_config)
    return instance


def retrieve(registered_name, module, custom_objects=None, module_objects=None, class_name=None):
    """The class or function for a config entry: custom objects first, then Keras' names."""
    for name in (registered_name, class_name):
        if name is None:
            continue
        obj = object_registration.get_registered_object(name, custom_objects, module_objects)
        if obj is not None:
            return obj
    if module and module.startswith("keras"):
        obj = export.OBJECTS.get(f"{module}.{class_name}")
        if obj is not None:
            return obj
    for public, obj in export.OBJECTS.items():  # a built-in under another namespace
        if public.startswith("keras.") and public.rpartition(".")[2] == class_name:
            return obj
    raise TypeError(
        f"Could not locate class '{class_name}'. Make sure custom classes are "
        "decorated with `@keras.saving.register_keras_serializable()`. Full object "
        f"config: {{'module': {module!r}, 'class_name': {class_name!r}}}"
    )


class SerializableDict:
    """A dict of Keras objects serialized together (``Model.get_compile_config``)."""

    def __init__(self, **config):
        self.config = config

    def serialize(self):
        return serialize_keras_object(self.config)
