"""What a layer's attributes hold: variables, sub-layers, seed generators, metrics.

Containers (lists, tuples, dicts) are searched; other objects are not entered. Layers are
recognised by ``_is_keras_layer`` so that this module does not import the Layer class.
"""

from tensorlet.keras.src.random.seed_generator import SeedGenerator


def collect(value, found, seen, owner):
    if id(value) in seen:
        return
    if getattr(value, "_is_keras_layer", False):
        if value is not owner:
            seen.add(id(value))
            found[1].append(value)
    elif getattr(value, "_is_keras_variable", False):
        seen.add(id(value))
        found[0].append(value)
    elif isinstance(value, SeedGenerator):
        seen.add(id(value))
        found[2].append(value)
    elif getattr(value, "_is_keras_metric", False):
        seen.add(id(value))
        found[3].append(value)
    elif isinstance(value, (list, tuple)):
        seen.add(id(value))
        for v in value:
            collect(v, found, seen, owner)
    elif isinstance(value, dict):
        seen.add(id(value))
        for v in value.values():
            collect(v, found, seen, owner)


def trackable(value):
    return (
        isinstance(value, (SeedGenerator, list, tuple, dict))
        or getattr(value, "_is_keras_layer", False)
        or getattr(value, "_is_keras_variable", False)
        or getattr(value, "_is_keras_metric", False)
    )


def unique(items):
    seen, out = set(), []
    for x in items:
        if id(x) not in seen:
            seen.add(id(x))
            out.append(x)
    return out
