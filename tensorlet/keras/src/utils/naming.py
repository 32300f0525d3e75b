"""Auto-generated names: ``Dense`` -> ``dense``, ``dense_1``, ... (reset by ``clear_session``)."""

import collections
import re

from tensorlet.keras.src.backend import global_state


def to_snake_case(name):
    """``'Conv2D'`` -> ``'conv2d'``, ``'KerasTensor'`` -> ``'keras_tensor'`` (Keras' rule)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    return name


def uniquify(name):
    """``name`` the first time, then ``name_1``, ``name_2``..."""
    uids = global_state.get_global_attribute(
        "object_name_uids", collections.defaultdict(int), set_to_default=True
    )
    unique = f"{name}_{uids[name]}" if name in uids else name
    uids[name] += 1
    return unique


def auto_name(prefix):
    return uniquify(to_snake_case(prefix))


def get_uid(prefix=""):
    """A per-prefix counter starting at 1 (``keras.backend.get_uid``)."""
    uids = global_state.get_global_attribute(
        "object_name_uids_int", collections.defaultdict(int), set_to_default=True
    )
    uids[prefix] += 1
    return uids[prefix]


def keras_object_repr(obj):
    """Python's default repr, with tensorlet's Keras modules spelled as Keras' own
    (``<keras.src.optimizers.adam.Adam object at 0x...>``)."""
    module = type(obj).__module__
    if module.startswith("tensorlet.keras.src."):
        module = module[len("tensorlet.") :]
    return f"<{module}.{type(obj).__qualname__} object at {hex(id(obj))}>"
