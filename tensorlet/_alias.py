"""Import aliases: make TensorFlow-ecosystem imports resolve to tensorlet's own modules.

After ``install()``::

    import tensorflow as tf               -> tensorlet
    import tensorflow.keras.layers        -> tensorlet.keras.layers
    from tensorflow import keras          -> tensorlet.keras
    import keras / tf_keras               -> tensorlet.keras
    import tensorflow_model_optimization  -> tensorlet.model_optimization
    import keras_tuner                    -> tensorlet.tuner

Every alias is bound to the *same module object* as its target
(``sys.modules['tensorflow'] is sys.modules['tensorlet']``), so classes exist once and
``isinstance`` checks work across spellings.  A target is resolved through attributes first
(``tensorlet.keras`` is whatever ``tf.keras`` is, even if it is a module-valued attribute
rather than an importable submodule) and imported otherwise.  Used by ``tensorlet run``.
"""
import importlib
import importlib.abc
import importlib.util
import sys
import types

DEFAULT_ALIASES = (
    ("tensorflow_model_optimization", "tensorlet.model_optimization"),
    ("keras_tuner", "tensorlet.tuner"),
    ("tensorflow", "tensorlet"),
    ("tf_keras", "tensorlet.keras"),
    ("keras", "tensorlet.keras"),
)


def _match(name, table):
    for src, dst in table:
        if name == src or name.startswith(src + "."):
            return dst + name[len(src):]
    return None


def resolve(target):
    """The module object for dotted `target`: attributes of the parent first, then an import."""
    parts = target.split(".")
    module = importlib.import_module(parts[0])
    for i, part in enumerate(parts[1:], 1):
        obj = getattr(module, part, None)
        if isinstance(obj, types.ModuleType):
            module = obj
            continue
        # not (yet) an attribute: import it as a submodule of the module found so far
        try:
            module = importlib.import_module(module.__name__ + "." + part)
        except ModuleNotFoundError as e:
            logical = ".".join(parts[: i + 1])
            if e.name not in (module.__name__ + "." + part, module.__name__):
                raise
            try:
                module = importlib.import_module(logical)
            except ModuleNotFoundError:
                raise ModuleNotFoundError("No module named %r (tensorlet has no %r)" % (target, logical),
                                          name=target) from None
    return module


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target):
        self.target = target
        self._spec = None

    def create_module(self, spec):
        module = resolve(self.target)
        self._spec = getattr(module, "__spec__", None)
        return module

    def exec_module(self, module):
        # the import system stamped the alias spec on the shared module; give it its own back
        if self._spec is not None:
            try:
                module.__spec__ = self._spec
            except AttributeError:
                pass


class AliasFinder(importlib.abc.MetaPathFinder):
    """Meta-path finder mapping alias names (longest prefix first) to tensorlet modules."""

    def __init__(self, table=DEFAULT_ALIASES):
        self.table = tuple(sorted(table, key=lambda p: -len(p[0])))

    def find_spec(self, fullname, path=None, target=None):
        dst = _match(fullname, self.table)
        if dst is None or dst == fullname:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(dst))

    def __repr__(self):
        return "<tensorlet AliasFinder %s>" % ", ".join("%s=%s" % p for p in self.table)


def parse_table(text):
    """'src=dst,src2=dst2' -> table (for TENSORLET_ALIASES)."""
    table = []
    for item in text.split(","):
        item = item.strip()
        if item:
            src, dst = item.split("=", 1)
            table.append((src.strip(), dst.strip()))
    return tuple(table)


def install(table=None):
    """Put an AliasFinder first on sys.meta_path (idempotent) and return it.

    Alias names already imported under their own name (a real `keras` loaded before) are
    removed from sys.modules so that the next import resolves to tensorlet."""
    for f in sys.meta_path:
        if isinstance(f, AliasFinder):
            return f
    finder = AliasFinder(table or DEFAULT_ALIASES)
    for name in list(sys.modules):
        dst = _match(name, finder.table)
        if dst is not None and not getattr(sys.modules[name], "__name__", "").startswith("tensorlet"):
            del sys.modules[name]
    sys.meta_path.insert(0, finder)
    return finder


def uninstall():
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, AliasFinder)]
