"""Invalidation of the cached state of layers (their variables and sub-layers).

A layer finds its state by walking its attributes, and caches the result. Any change that can
alter some layer's state bumps ``generation``: creating a layer or a variable, setting an
attribute to (or over) a layer, variable or container, and mutating a list or dict held by a
layer attribute (those are wrapped in ``TrackedList`` / ``TrackedDict``, as in Keras).
"""

generation = [0]


def bump():
    generation[0] += 1


def _mutator(name, base):
    method = getattr(base, name)

    def wrapper(self, *args, **kwargs):
        generation[0] += 1
        return method(self, *args, **kwargs)

    wrapper.__name__ = name
    return wrapper


class TrackedList(list):
    """A list whose mutations invalidate the cached state of layers."""

    __slots__ = ()


for _name in (
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "clear",
    "sort",
    "reverse",
    "__setitem__",
    "__delitem__",
    "__iadd__",
    "__imul__",
):
    setattr(TrackedList, _name, _mutator(_name, list))


class TrackedDict(dict):
    """A dict whose mutations invalidate the cached state of layers."""

    __slots__ = ()


for _name in ("__setitem__", "__delitem__", "pop", "popitem", "clear", "update", "setdefault"):
    setattr(TrackedDict, _name, _mutator(_name, dict))


def wrap(value):
    """Plain lists / dicts become tracked containers (other values are returned unchanged)."""
    if type(value) is list:
        return TrackedList(value)
    if type(value) is dict:
        return TrackedDict(value)
    return value
