"""``tf.name_scope`` and ``tf.Module``: named containers that find their variables.

In eager mode a name scope only prefixes names (variables: ``'outer/inner/w:0'``); names are
never uniquified. A ``tf.Module`` tracks variables and submodules through its attributes
(nested in lists, tuples and dicts), found on demand by walking ``vars(module)``.
"""
import functools
import re

from tensorlet.framework.export import tf_export


class _ScopeState:
    __slots__ = ("name",)

    def __init__(self):
        self.name = ""  # the current scope, "" or ending with "/"


_scope = _ScopeState()


def current_name_scope():
    """The active name scope: ``''`` or a string ending in ``'/'``."""
    return _scope.name


def _enter(name):
    """TF's eager scope rule: a trailing '/' makes ``name`` absolute; returns the new scope."""
    old = _scope.name
    if not name:
        new = ""
    elif name[-1] == "/":
        new = name
    else:
        new = old + name + "/"
    _scope.name = new
    return new, old


@tf_export("name_scope")
class name_scope:
    """A context manager that prefixes the names of variables (and ops) created inside it.

    Example:
        >>> with tf.name_scope("outer") as scope:
        ...     v = tf.Variable(1.0, name="v")
        >>> scope, v.name
        ('outer/', 'outer/v:0')
    """

    __slots__ = ("_name", "_old")

    def __init__(self, name):
        if not isinstance(name, str):
            raise ValueError("name for name_scope must be a string.")
        self._name = name
        self._old = []

    @property
    def name(self):
        return self._name

    def __enter__(self):
        new, old = _enter(self._name)
        self._old.append(old)
        return new

    def __exit__(self, *exc):
        _scope.name = self._old.pop()
        return False


@tf_export("compat.v1.name_scope")
class name_scope_v1:
    """TF1 ``name_scope(name, default_name=None, values=None)``."""

    __slots__ = ("_scope",)

    def __init__(self, name, default_name=None, values=None):
        if name is None and values is not None and default_name is None:
            raise ValueError(f"At least one of name ({name}) and default_name ({default_name}) "
                             "must be provided.")
        self._scope = name_scope(default_name if name is None else name)

    @property
    def name(self):
        return self._scope.name

    def __enter__(self):
        return self._scope.__enter__()

    def __exit__(self, *exc):
        return self._scope.__exit__(*exc)


# ---------------------------------------------------------------- tf.Module

_CAMEL_TO_SNAKE = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")
_VALID_IDENTIFIER = re.compile(r"^[a-zA-Z_]([a-zA-Z0-9_])*$")


def camel_to_snake(value):
    return _CAMEL_TO_SNAKE.sub(r"_\1", value).lower()


def _is_variable(obj):
    return getattr(type(obj), "_is_variable", False)


def _is_trainable_variable(obj):
    return _is_variable(obj) and getattr(obj, "trainable", False)


def _is_non_trainable_variable(obj):
    return _is_variable(obj) and not getattr(obj, "trainable", False)


def _is_module(obj):
    return isinstance(obj, Module)


@tf_export("Module")
class Module:
    """Base class for neural network modules: a named container of variables and submodules.

    Example:
        >>> class Dense(tf.Module):
        ...     def __init__(self, n_in, n_out, name=None):
        ...         super().__init__(name=name)
        ...         self.w = tf.Variable(tf.ones([n_in, n_out]), name="w")
        ...         self.b = tf.Variable(tf.zeros([n_out]), name="b")
        >>> d = Dense(2, 3)
        >>> [v.name for v in d.trainable_variables]
        ['b:0', 'w:0']
    """

    # (TF ignores two AutoTrackable bookkeeping attributes when flattening.)
    _TF_MODULE_IGNORED_PROPERTIES = frozenset((
        "_self_unconditional_checkpoint_dependencies", "_self_unconditional_dependency_names"))

    def __init__(self, name=None):
        if name is None:
            name = camel_to_snake(type(self).__name__)
        elif not _VALID_IDENTIFIER.match(name):
            raise ValueError(f"{name!r} is not a valid module name. Module names must be valid "
                             "Python identifiers (e.g. a valid class name).")
        self._name = name
        with name_scope(name) as scope_name:
            self._name_scope = name_scope(scope_name)

    @property
    def name(self):
        """The module's name (the class name in snake case unless given)."""
        return self._name

    @property
    def name_scope(self):
        """A ``tf.name_scope`` (absolute, e.g. ``'outer/my_module/'``) for this module."""
        return self._name_scope

    @property
    def variables(self):
        """All ``tf.Variable``s of this module and its submodules, without duplicates."""
        return tuple(self._flatten(predicate=_is_variable, expand_composites=True))

    @property
    def trainable_variables(self):
        return tuple(self._flatten(predicate=_is_trainable_variable, expand_composites=True))

    @property
    def non_trainable_variables(self):
        return tuple(self._flatten(predicate=_is_non_trainable_variable, expand_composites=True))

    @property
    def submodules(self):
        """All ``tf.Module``s reachable from this one (breadth of attributes first)."""
        return tuple(self._flatten(predicate=_is_module))

    def _flatten(self, recursive=True, predicate=None, attribute_traversal_key=None,
                 with_path=False, expand_composites=False):
        """Yields the objects reachable from attributes for which ``predicate`` is true."""
        return _flatten_module(self, recursive=recursive,
                               predicate=predicate or (lambda _: True),
                               attribute_traversal_key=attribute_traversal_key,
                               attributes_to_ignore=self._TF_MODULE_IGNORED_PROPERTIES,
                               with_path=with_path)

    @classmethod
    def with_name_scope(cls, method):
        """Decorator: runs ``method`` inside the module's name scope."""

        @functools.wraps(method)
        def method_with_name_scope(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)

        return method_with_name_scope


def _leaves_with_paths(value, path=()):
    """(path, leaf) pairs of a nest of lists/tuples/dicts (dict keys sorted, as tf.nest does)."""
    if isinstance(value, dict):
        try:
            keys = sorted(value)
        except TypeError:
            keys = list(value)
        for k in keys:
            yield from _leaves_with_paths(value[k], path + (k,))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _leaves_with_paths(v, path + (i,))
    else:
        yield path, value


def _flatten_module(module, recursive, predicate, attribute_traversal_key, attributes_to_ignore,
                    with_path, module_path=(), seen=None, recursion_stack=None):
    """TF's walk: this module's attributes (sorted) first, then each submodule's, recursively."""
    module_id = id(module)
    if seen is None:
        seen = {module_id}
    if recursion_stack is None:
        recursion_stack = []
    if module_id in recursion_stack:  # a cycle: don't follow the back edge
        recursive = False
    module_dict = vars(module)
    submodules = []
    for key in sorted(module_dict, key=attribute_traversal_key):
        if key in attributes_to_ignore:
            continue
        for leaf_path, leaf in _leaves_with_paths(module_dict[key], (key,)):
            if not with_path:
                if id(leaf) in seen:
                    continue
                seen.add(id(leaf))
            if predicate(leaf):
                yield (module_path + leaf_path, leaf) if with_path else leaf
            if recursive and _is_module(leaf):
                submodules.append((module_path + leaf_path, leaf))
    recursion_stack.append(module_id)
    for sub_path, sub in submodules:
        yield from _flatten_module(sub, recursive, predicate, attribute_traversal_key,
                                   attributes_to_ignore, with_path, sub_path, seen,
                                   recursion_stack)
    recursion_stack.pop()
