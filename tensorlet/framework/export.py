"""The export registry: ``@tf_export`` / ``@keras_export`` record public names.

``tools/gen_api.py`` reads the registry and writes ``tensorlet/_api`` (one ``__init__.py`` per
namespace). Keras serialization also resolves ``class_name`` through ``keras_export`` names.
"""

# public name ("math.exp", "keras.layers.Dense") -> (module name, attribute name)
REGISTRY = {}
# the object behind each public name, for lookups such as Keras deserialization
OBJECTS = {}


class _Exporter:
    """A decorator factory: ``@tf_export("math.exp", "exp")``."""

    def __init__(self, prefix=""):
        self._prefix = prefix

    def __call__(self, *names):
        if len(names) == 1 and isinstance(names[0], (list, tuple)):  # Keras' list form
            names = tuple(names[0])

        def decorate(obj):
            for n in names:
                self._record(self._prefix + n, obj.__module__, obj.__name__, obj)
            return obj

        return decorate

    def constant(self, module_name, attr_name, *names):
        """Exports a module-level value (a DType, an int) under ``names``."""
        import sys

        value = getattr(sys.modules[module_name], attr_name)
        for n in names:
            self._record(self._prefix + n, module_name, attr_name, value)

    def _record(self, name, module, attr, obj):
        old = REGISTRY.get(name)
        if old is not None and old != (module, attr):
            raise ValueError(f"Public name {name!r} exported twice: {old} and {(module, attr)}")
        REGISTRY[name] = (module, attr)
        OBJECTS[name] = obj


tf_export = _Exporter()
keras_export = _Exporter()  # names are given in full: "keras.layers.Dense"
