"""``tf.nest``: flatten and rebuild nested structures (lists, tuples, namedtuples, dicts).

Dicts flatten in sorted-key order and namedtuples in field order, as TF does.
"""
from tensorlet.framework.export import tf_export


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_nested(x):
    return isinstance(x, (list, tuple, dict)) or _is_attrs(x)


def _is_attrs(x):
    return hasattr(type(x), "__attrs_attrs__")


def _children(x):
    if isinstance(x, dict):
        return [x[k] for k in _sorted_keys(x)]
    if _is_attrs(x):
        return [getattr(x, a.name) for a in type(x).__attrs_attrs__]
    return list(x)


def _sorted_keys(d):
    try:
        return sorted(d)
    except TypeError:
        return sorted(d, key=repr)


@tf_export("nest.flatten")
def flatten(structure, expand_composites=False):
    """Returns the leaves of ``structure`` in TF's order (``None`` is a leaf)."""
    if not is_nested(structure):
        return [structure]
    out = []
    for c in _children(structure):
        out.extend(flatten(c, expand_composites))
    return out


def _rebuild(like, items):
    if isinstance(like, dict):
        keys = _sorted_keys(like)
        rebuilt = dict(zip(keys, items))
        return type(like)((k, rebuilt[k]) for k in like) if type(like) is not dict else {k: rebuilt[k] for k in like}
    if _is_namedtuple(like):
        return type(like)(*items)
    if _is_attrs(like):
        return type(like)(*items)
    if isinstance(like, tuple):
        return tuple(items)
    return type(like)(items) if type(like) is not list else list(items)


@tf_export("nest.pack_sequence_as")
def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """Rebuilds ``structure`` with the leaves taken in order from ``flat_sequence``."""
    flat = list(flat_sequence)
    pos = [0]

    def build(s):
        if not is_nested(s):
            v = flat[pos[0]]
            pos[0] += 1
            return v
        return _rebuild(s, [build(c) for c in _children(s)])

    n = len(flatten(structure))
    if n != len(flat):
        raise ValueError(f"Structure had {n} atoms, but flat_sequence had {len(flat)} items.")
    return build(structure)


@tf_export("nest.map_structure")
def map_structure(func, *structure, **kwargs):
    """Applies ``func`` to corresponding leaves of the structures."""
    check = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    for s in structure[1:]:
        assert_same_structure(structure[0], s, check_types=check)
    flats = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*xs) for xs in zip(*flats)])


@tf_export("nest.assert_same_structure")
def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """Raises ValueError/TypeError when the two structures differ."""
    if is_nested(nest1) != is_nested(nest2):
        raise ValueError(f"The two structures don't have the same nested structure.\n\n"
                         f"First structure: {nest1}\n\nSecond structure: {nest2}")
    if not is_nested(nest1):
        return
    if check_types and type(nest1) is not type(nest2):
        raise TypeError(f"The two structures don't have the same sequence type. Input structure "
                        f"has type {type(nest1)}, while shallow structure has type {type(nest2)}.")
    if isinstance(nest1, dict) and set(nest1) != set(nest2):
        raise ValueError(f"The two dictionaries don't have the same set of keys. First structure "
                         f"has keys {list(nest1)}, while second structure has keys {list(nest2)}.")
    c1, c2 = _children(nest1), _children(nest2)
    if len(c1) != len(c2):
        raise ValueError(f"The two structures don't have the same number of elements.\n\n"
                         f"First structure: {nest1}\n\nSecond structure: {nest2}")
    for a, b in zip(c1, c2):
        assert_same_structure(a, b, check_types)


tf_export("nest.is_nested")(is_nested)
