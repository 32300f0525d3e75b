"""Keras name scopes: the ``path`` of variables (``'dense/kernel'``, ``'adam/iteration'``).

A scope entered with ``caller=obj`` is not entered again while ``obj``'s scope is innermost, so
a layer's ``build`` called from its own ``__call__`` does not make ``'dense/dense/kernel'``.
As in Keras' TensorFlow backend, a Keras scope also opens a ``tf.name_scope`` (tf.Variable
names read ``'dense/kernel:0'``).
"""

from tensorlet.framework import module as tf_module
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.backend import global_state


@keras_export("keras.name_scope")
class name_scope:
    """Creates a sub-namespace for variable paths.

    Args:
        name: the name of the scope (no ``/``).
        caller: the object opening the scope; re-entering the same caller's scope is a no-op.
        deduplicate: whether to apply the rule above (default True).
        override_parent: a path that replaces the enclosing scopes.
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain character "
                f"`/`. Received: name={name}"
            )
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._pushed = False
        self._tf_scope = None

    def __enter__(self):
        stack = _stack()
        if (
            self.deduplicate
            and self.caller is not None
            and stack
            and stack[-1].caller is self.caller
        ):
            return self
        stack.append(self)
        self._pushed = True
        self._tf_scope = tf_module.name_scope(self.name)
        self._tf_scope.__enter__()
        return self

    def __exit__(self, *exc):
        if self._pushed:
            self._tf_scope.__exit__(*exc)
            _stack().pop()
            self._pushed = False
        return False


def _stack():
    return global_state.get_global_attribute("name_scope_stack", [], set_to_default=True)


def current_path():
    """``'outer/inner'`` for the active Keras scopes (``''`` outside any)."""
    parts = []
    for scope in _stack():
        if scope.override_parent is not None:
            parts = [p for p in scope.override_parent.split("/") if p]
        parts.append(scope.name)
    return "/".join(parts)
