"""Keras 3 object configs: ``{"module", "class_name", "config", "registered_name"}``.

Built-in classes are named by their first public Keras name (``keras.initializers.GlorotUniform``
-> module ``'keras.initializers'``), found in the ``keras_export`` registry. Functions are written
as Keras 3 writes them (``{"module": "builtins", "class_name": "function", "config": name,
"registered_name": "function"}``), lambdas as ``__lambda__`` (loaded only outside safe mode),
KerasTensors, tensors, NumPy arrays, bytes, slices and Ellipsis as ``__<kind>__`` entries.
Classes of tensorlet's Keras implementation that have no public name (``Functional``) are written
under Keras' module path (``keras.src.models.functional``), so files move both ways.

Inside an ``ObjectSharingScope`` (used when saving and loading models) an object serialized twice
gets a ``shared_object_id`` in both configs and is deserialized once.
"""

import base64
import importlib
import inspect
import marshal
import sys
import types
import warnings

from tensorlet.backend import xp
from tensorlet.framework import export
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.saving import object_registration
from tensorlet.keras.src.saving.scopes import (  # noqa: F401 (serialization_lib's API, as in Keras)
    LegacyConfigScope,
    ObjectSharingScope,
    SafeModeScope,
    enable_unsafe_deserialization,
    get_shared_object,
    in_legacy_config,
    in_safe_mode,
    record_object_after_deserialization,
    record_object_after_serialization,
)

PLAIN_TYPES = (str, int, float, bool)
# Keras modules searched for a built-in function written with module "builtins"
BUILTIN_MODULES = (
    "activations",
    "constraints",
    "initializers",
    "losses",
    "metrics",
    "optimizers",
    "regularizers",
)
_SRC_PREFIX = "tensorlet.keras.src."
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


def _load_public_api():
    """Imports ``tensorlet.keras`` so that every built-in Keras name is in the registry."""
    if "tensorlet.keras" not in sys.modules or "tensorlet.keras.layers" not in sys.modules:
        importlib.import_module("tensorlet.keras")


# --------------------------------------------------------------------------- serialize
@keras_export("keras.saving.serialize_keras_object", "keras.utils.serialize_keras_object")
def serialize_keras_object(obj):
    """A JSON-friendly config of ``obj`` (None, plain values, lists, dicts, Keras objects).

    Example:
        >>> keras.saving.serialize_keras_object(keras.initializers.Zeros())
        {'module': 'keras.initializers', 'class_name': 'Zeros', 'config': {}, 'registered_name': None}
    """
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return serialize_dict(obj)
    special = _serialize_special(obj)
    if special is not _NOT_SPECIAL:
        return special
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        warnings.warn(
            "The object being serialized includes a `lambda`. This is unsafe. In order to "
            "reload the object, you will have to pass `safe_mode=False` to the loading "
            "function. Please avoid using `lambda` in the future, and use named Python "
            f"functions instead. This is the `lambda` being serialized: {_lambda_source(obj)}",
            stacklevel=2,
        )
        return {"class_name": "__lambda__", "config": {"value": func_dump(obj)}}
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return {
            "module": "builtins",
            "class_name": "function",
            "config": object_registration.get_registered_name(obj),
            "registered_name": "function",
        }
    if inspect.isclass(obj):
        name = public_name(obj)
        return {
            "module": name.rpartition(".")[0] if name else _module_of(obj),
            "class_name": "__class__",
            "config": obj.__name__,
            "registered_name": object_registration.get_registered_name(obj),
        }
    if hasattr(obj, "get_config"):
        return _serialize_object(obj)
    raise TypeError(
        f"Cannot serialize object {obj} of type {type(obj)}. To be serializable, a "
        "class must implement the `get_config()` method."
    )


_NOT_SPECIAL = object()


def _serialize_special(obj):
    """Configs of values that are not Keras objects (tensors, arrays, shapes, bytes...)."""
    from tensorlet.framework.dtypes import DType
    from tensorlet.framework.tensor_shape import TensorShape
    from tensorlet.keras.src.backend.keras_tensor import KerasTensor

    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {
            "class_name": "__slice__",
            "config": {
                "start": serialize_keras_object(obj.start),
                "stop": serialize_keras_object(obj.stop),
                "step": serialize_keras_object(obj.step),
            },
        }
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, KerasTensor):
        history = getattr(obj, "_keras_history", None)
        if history:
            history = [history[0].name, history[1], history[2]]
        return {
            "class_name": "__keras_tensor__",
            "config": {"shape": list(obj.shape), "dtype": obj.dtype, "keras_history": history},
        }
    if isinstance(obj, TensorShape):
        return obj.as_list() if obj.rank is not None else None
    if isinstance(obj, DType):
        return obj.name
    if hasattr(obj, "numpy") and hasattr(obj, "dtype") and not hasattr(obj, "get_config"):
        value = obj.numpy()  # tensors and variables
        return {
            "class_name": "__tensor__",
            "config": {"value": value.tolist(), "dtype": _dtype_name(obj.dtype)},
        }
    if type(obj).__module__ == xp.__name__:
        if isinstance(obj, xp.ndarray) and obj.ndim > 0:
            return {
                "class_name": "__numpy__",
                "config": {"value": obj.tolist(), "dtype": str(obj.dtype)},
            }
        return obj.item()  # NumPy scalars are plain values
    return _NOT_SPECIAL


def _dtype_name(dtype):
    return dtype if isinstance(dtype, str) else getattr(dtype, "name", str(dtype))


def _module_of(cls):
    """``cls.__module__``, with tensorlet's implementation path written as Keras' own."""
    module = cls.__module__
    if module.startswith(_SRC_PREFIX):
        return "keras.src." + module[len(_SRC_PREFIX) :]
    return module


def serialize_dict(obj):
    return {key: serialize_keras_object(value) for key, value in obj.items()}


def _serialize_object(obj):
    config = obj.get_config()
    if not isinstance(config, dict):
        raise TypeError(
            f"The `get_config()` method of {obj} should return a dict. It returned: {config}"
        )
    config = serialize_dict(config)
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
            "module": _module_of(obj.__class__),
            "class_name": obj.__class__.__name__,
            "config": config,
            "registered_name": object_registration.get_registered_name(obj.__class__),
        }
    _add_build_and_compile_config(obj, out)
    record_object_after_serialization(obj, out)
    return out


def _add_build_and_compile_config(obj, config):
    if hasattr(obj, "get_build_config"):
        build_config = obj.get_build_config()
        if build_config is None and _is_functional(obj):
            build_config = {"input_shape": None}  # what Keras writes for a Functional model
        if build_config is not None:
            config["build_config"] = serialize_dict(build_config)
    if hasattr(obj, "get_compile_config"):
        compile_config = obj.get_compile_config()
        if compile_config is not None:
            config["compile_config"] = serialize_dict(compile_config)


def _is_functional(obj):
    return any(klass.__name__ == "Functional" for klass in type(obj).__mro__)


def func_dump(func):
    """``(code, defaults, closure)`` of a Python function: its bytecode in base64 (Keras'
    ``python_utils.func_dump`` format; only the same Python version can load it)."""
    code = base64.encodebytes(marshal.dumps(func.__code__)).decode("ascii")
    closure = tuple(c.cell_contents for c in func.__closure__) if func.__closure__ else None
    return code, func.__defaults__, closure


def func_load(code, defaults=None, closure=None, globs=None):
    """The function written by ``func_dump`` (also given as one ``[code, defaults, closure]``)."""
    if isinstance(code, (tuple, list)):
        code, defaults, closure = code
    if isinstance(defaults, list):
        defaults = tuple(defaults)
    if closure is not None:
        closure = tuple(_cell(value) for value in closure)
    raw = base64.decodebytes(code.encode("ascii"))
    code = marshal.loads(raw)
    return types.FunctionType(
        code, globs if globs is not None else globals(), code.co_name, defaults, closure
    )


def _cell(value):
    return (lambda: value).__closure__[0]


def _lambda_source(fn):
    try:
        return inspect.getsource(fn)
    except (OSError, TypeError):
        return repr(fn)


# --------------------------------------------------------------------------- deserialize
@keras_export("keras.saving.deserialize_keras_object", "keras.utils.deserialize_keras_object")
def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """The object described by ``config`` (the inverse of ``serialize_keras_object``).

    Args:
        config: a config dict (or a list of them, or a registered name).
        custom_objects: ``{name: class or function}`` searched before the built-ins.
        safe_mode: whether to refuse ``lambda`` deserialization (default True; a
            ``SafeModeScope`` or ``keras.config.enable_unsafe_deserialization()`` overrides it).
    """
    scope_safe_mode = in_safe_mode()
    safe_mode = scope_safe_mode if scope_safe_mode is not None else safe_mode
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
    special = _deserialize_special(config, class_name, inner or {}, custom_objects, safe_mode)
    if special is not _NOT_SPECIAL:
        return special
    module = config.get("module")
    if class_name == "function":
        return retrieve(
            config.get("registered_name"),
            module,
            custom_objects,
            module_objects,
            inner,
            obj_type="function",
            full_config=config,
        )
    if "shared_object_id" in config:
        obj = get_shared_object(config["shared_object_id"])
        if obj is not None:
            return obj
    cls = retrieve(
        config.get("registered_name", class_name),
        module,
        custom_objects,
        module_objects,
        class_name,
        full_config=config,
    )
    if class_name == "__class__" or isinstance(cls, types.FunctionType):
        return cls
    instance = _instantiate(cls, config, inner or {}, custom_objects, safe_mode)
    if "shared_object_id" in config:
        record_object_after_deserialization(instance, config["shared_object_id"])
    return instance


def _instantiate(cls, config, inner, custom_objects, safe_mode):
    if not hasattr(cls, "from_config"):
        try:
            return cls(**inner)
        except TypeError as e:
            raise TypeError(
                f"Unable to reconstruct an instance of '{config['class_name']}' because the "
                f"class is missing a `from_config()` method. Full object config: {config}"
            ) from e
    scope = object_registration.CustomObjectScope(custom_objects or {})
    with scope, SafeModeScope(safe_mode):
        try:
            instance = _call_from_config(cls, inner, safe_mode)
        except TypeError as e:
            raise TypeError(
                f"{cls} could not be deserialized properly. Please ensure that components that "
                "are Python object instances (layers, models, etc.) returned by `get_config()` "
                "are explicitly deserialized in the model's `from_config()` method."
                f"\n\nconfig={config}.\n\nException encountered: {e}"
            ) from e
        build_config = config.get("build_config")
        if build_config and not getattr(instance, "built", True):
            _build_from_config(instance, build_config)
            instance.built = True
        compile_config = config.get("compile_config")
        if compile_config and hasattr(instance, "compile_from_config"):
            instance.compile_from_config(compile_config)
            instance.compiled = True
    return instance


def _build_from_config(instance, build_config):
    """``instance.build_from_config``; a subclassed model without its own ``build`` is built
    by calling it on symbolic inputs of the recorded shape (Keras' ``Model.build_from_config``)."""
    default_build = getattr(type(instance).build, "_is_default", False)
    if default_build and hasattr(instance, "get_compile_config") and "input_shape" in build_config:
        shape = build_config["input_shape"]
        try:
            instance(_symbolic_inputs(shape))
            return
        except Exception:  # noqa: BLE001 (as Keras: warn, the model builds on first call)
            warnings.warn(
                f"Model '{instance.name}' had a build config, but the model cannot be built "
                "automatically in `build_from_config(config)`. You should implement "
                "`def build_from_config(self, config)`, and you might also want to implement "
                "the method that generates the config at saving time, "
                "`def get_build_config(self)`. The method `build_from_config()` is meant to "
                "create the state of the model (i.e. its variables) upon deserialization.",
                stacklevel=4,
            )
            return
    instance.build_from_config(build_config)


def _symbolic_inputs(shape):
    from tensorlet.keras.src.backend.keras_tensor import KerasTensor

    if _is_shape(shape):
        return KerasTensor(shape)
    if isinstance(shape, dict):
        return {k: _symbolic_inputs(v) for k, v in shape.items()}
    return [_symbolic_inputs(s) for s in shape]


def _is_shape(shape):
    return isinstance(shape, (list, tuple)) and all(d is None or isinstance(d, int) for d in shape)


def _call_from_config(cls, inner, safe_mode):
    # `from_config(config, custom_objects=None, safe_mode=None)` (Lambda) is told the mode
    if safe_mode is False:
        try:
            if "safe_mode" in inspect.signature(cls.from_config).parameters:
                return cls.from_config(inner, safe_mode=False)
        except (TypeError, ValueError):
            pass
    return cls.from_config(inner)


def _deserialize_special(config, class_name, inner, custom_objects, safe_mode):
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__tensor__":
        from tensorlet.keras.src.backend import convert_to_tensor

        return convert_to_tensor(inner["value"], dtype=inner["dtype"])
    if class_name == "__numpy__":
        return xp.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(
            *(
                deserialize_keras_object(inner[k], custom_objects, safe_mode)
                for k in ("start", "stop", "step")
            )
        )
    if class_name == "__keras_tensor__":
        from tensorlet.keras.src.backend.keras_tensor import KerasTensor

        tensor = KerasTensor(inner["shape"], dtype=inner["dtype"])
        tensor._pre_serialization_keras_history = inner["keras_history"]
        return tensor
    if class_name == "__lambda__":
        if safe_mode:
            raise ValueError(
                "Requested the deserialization of a `lambda` object. This carries a potential "
                "risk of arbitrary code execution and thus it is disallowed by default. If you "
                "trust the source of the saved model, you can pass `safe_mode=False` to the "
                "loading function in order to allow `lambda` loading, or call "
                "`keras.config.enable_unsafe_deserialization()`."
            )
        return func_load(inner["value"])
    return _NOT_SPECIAL


def retrieve(
    registered_name,
    module,
    custom_objects=None,
    module_objects=None,
    class_name=None,
    obj_type="class",
    full_config=None,
):
    """The class or function of a config entry: custom/registered objects first, then Keras'
    public names, then the module (Keras' ``_retrieve_class_or_fn``)."""
    for name in (registered_name, class_name):
        if name is None:
            continue
        obj = object_registration.get_registered_object(name, custom_objects, module_objects)
        if obj is not None:
            return obj
    if module:
        _load_public_api()
        if module == "keras" or module.startswith("keras."):
            obj = export.OBJECTS.get(f"{module}.{class_name}")
            if obj is not None:
                return obj
        if obj_type == "function" and module == "builtins":
            for mod in BUILTIN_MODULES:
                obj = export.OBJECTS.get(f"keras.{mod}.{class_name}")
                if obj is not None:
                    return obj
            for key, obj in _custom_objects(custom_objects).items():
                if key.endswith(str(class_name)):
                    return obj
        obj = _from_module(module, class_name, registered_name, full_config, obj_type)
        if obj is not None:
            return obj
        if module.startswith("keras"):  # a built-in exported under another namespace
            for public, obj in export.OBJECTS.items():
                if public.startswith("keras.") and public.rpartition(".")[2] == class_name:
                    return obj
    raise TypeError(
        f"Could not locate {obj_type} '{class_name}'. Make sure custom classes and functions "
        "are decorated with `@keras.saving.register_keras_serializable()`. If they are "
        "already decorated, make sure they are all imported so that the decorator is run "
        f"before trying to load them. Full object config: {full_config}"
    )


def _custom_objects(custom_objects):
    merged = dict(custom_objects or {})
    for scope in object_registration._SCOPE_STACK:
        merged.update(scope)
    merged.update(object_registration.GLOBAL_CUSTOM_OBJECTS)
    return merged


def _from_module(module, name, registered_name, full_config, obj_type):
    """``module.name`` for a module path; Keras' ``keras.src.*`` paths are tensorlet's own.

    As in Keras 3.15, a class found this way must be a Keras object (layer, model, loss...):
    importing arbitrary modules from a config is not allowed."""
    if module == "builtins":
        return None
    path = "tensorlet." + module if module.startswith("keras.src.") else module
    if module.startswith("keras") and not module.startswith("keras.src."):
        return None
    try:
        mod = importlib.import_module(path)
    except ImportError:
        if module.startswith("keras.src."):
            return None
        raise TypeError(
            f"Could not deserialize {obj_type} '{name}' because its parent module {module} "
            f"cannot be imported. Full object config: {full_config}"
        ) from None
    obj = vars(mod).get(name)
    if obj is None and registered_name is not None:
        obj = vars(mod).get(registered_name)
    if obj is not None and not _is_keras_saveable(obj):
        raise ValueError(
            f"Could not deserialize '{module}.{name}' because it is not a KerasSaveable subclass"
        )
    return obj


def _is_keras_saveable(obj):
    if not inspect.isclass(obj):
        return False
    for klass in obj.__mro__:
        if klass.__module__.startswith("tensorlet.keras.src.") and klass.__name__ in (
            "Layer",
            "Optimizer",
            "Loss",
            "Metric",
            "Initializer",
            "Regularizer",
            "Constraint",
            "LearningRateSchedule",
            "DTypePolicy",
        ):
            return True
    return False


class SerializableDict:
    """A dict of Keras objects serialized together (``Model.get_compile_config``)."""

    def __init__(self, **config):
        self.config = config

    def serialize(self):
        return serialize_keras_object(self.config)
