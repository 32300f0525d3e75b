"""``Operation``: a named callable that runs eagerly on tensors and symbolically on KerasTensors.

Constructor arguments made of plain values are remembered (``_auto_config``) so that
``get_config()`` works for subclasses that do not define it, as in Keras 3.
"""

import inspect

from tensorlet.framework import nest
from tensorlet.keras.src import backend
from tensorlet.keras.src.ops.node import Node
from tensorlet.keras.src.utils.naming import auto_name

_PLAIN = (str, int, float, bool, type(None))


def default(method):
    """Marks a base-class method whose override-or-not matters (Keras' ``utils.default``)."""
    method._is_default = True
    return method


class Operation:
    def __new__(cls, *args, **kwargs):
        instance = super().__new__(cls)
        instance._auto_config = _auto_config(cls, args, kwargs)
        return instance

    def __init__(self, name=None):
        if name is None:
            name = auto_name(self.__class__.__name__)
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain character `/`. "
                f"Received: name={name} (of type {type(name)})"
            )
        self.name = name
        self._inbound_nodes = []
        self._outbound_nodes = []

    def __call__(self, *args, **kwargs):
        if backend.any_symbolic_tensors(args, kwargs):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def symbolic_call(self, *args, **kwargs):
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(operation=self, call_args=args, call_kwargs=kwargs, outputs=outputs)
        return outputs

    def call(self, *args, **kwargs):
        raise NotImplementedError

    def compute_output_spec(self, *args, **kwargs):
        return backend.compute_output_spec(self.call, *args, **kwargs)

    @default
    def get_config(self):
        """``{"name": ...}`` plus, for subclasses without get_config, the constructor args."""
        config = {"name": self.name}
        if not _inherits_default(self):
            return config
        auto = getattr(self, "_auto_config", None)
        if auto is None:
            raise NotImplementedError(
                f"Object {self.__class__.__name__} was created by passing non-serializable "
                "argument values in `__init__()`, and therefore the object must override "
                "`get_config()` in order to be serializable. Please implement `get_config()`."
            )
        config.update(auto)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    # ---- graph connectivity
    def _get_node_attribute(self, attr, what):
        if not self._inbound_nodes:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined {what}."
            )
        values = getattr(self._inbound_nodes[0], attr)
        return values[0] if len(values) == 1 else values

    @property
    def input(self):
        return self._get_node_attribute("input_tensors", "input")

    @property
    def output(self):
        return self._get_node_attribute("output_tensors", "output")


def _inherits_default(obj):
    """True when ``obj``'s get_config is a base default (so the auto-config applies)."""
    for klass in type(obj).__mro__:
        fn = klass.__dict__.get("get_config")
        if fn is not None:
            return getattr(fn, "_is_default", False)
    return True


def _auto_config(cls, args, kwargs):
    try:
        names = [
            p.name
            for p in inspect.signature(cls.__init__).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ][1:]
    except (TypeError, ValueError):
        return None
    config = dict(kwargs)
    config.update(zip(names, args))
    dtype = config.get("dtype")
    if dtype is not None and not isinstance(dtype, _PLAIN) and hasattr(dtype, "get_config"):
        from tensorlet.keras.src.saving import serialization_lib

        config["dtype"] = serialization_lib.serialize_keras_object(dtype)
    try:
        flat = nest.flatten(config)
    except TypeError:
        return None
    if all(isinstance(v, _PLAIN) for v in flat):
        return config
    return None
