"""Common-subexpression elimination: one node per distinct ``(op, inputs, attrs)``.

Two stateless nodes of the same ``OpDef`` reading the same tensors with equal attributes compute
the same values, so the later one is dropped and its outputs replaced by the earlier one's.
Stateful nodes (random ops, variable reads and writes, ``PrintV2``, Placeholders) are never
merged: each one runs. Attribute values compare by type and value (``1`` is not ``True``,
``0.0`` is not ``-0.0``); arrays (``Const`` values) by dtype, shape and bytes (so ``-0.0``,
NaN payloads and ``0.0`` stay apart), large ones by identity only. Unhashable attributes
make a node unique. A node whose output the function returns is never dropped (two returned
tensors sharing one array could be changed together through ``.numpy()``); it may still
replace later duplicates. Nodes visit in program order, so replacements are already resolved when a
later node is keyed, and ``x*y + x*y`` becomes one ``Mul`` feeding an ``AddV2`` twice.
"""

from tensorlet.backend import xp
from tensorlet.graph_opt import rewrite as R

MAX_CONST_BYTES = 1 << 16  # larger constants are only merged when they are the same array


def eliminate_common_subexpressions(graph):
    """Merges duplicate nodes of ``graph`` (edited in place); returns ``graph``."""
    seen, subst, out = {}, {}, []
    outs = R.output_ids(graph)
    for node in graph.get_operations():
        R.resolve_inputs(node, subst)
        key = _key(node)
        if key is not None:
            first = seen.setdefault(key, node)
            if first is not node and not any(id(t) in outs for t in node.outputs):
                for a, b in zip(node.outputs, first.outputs):
                    subst[id(a)] = b
                continue  # dropped: every use now reads `first`
        out.append(node)
    return R.finish(graph, subst, out)


def _key(node):
    if node.op.stateful or node.variable is not None or not node.outputs:
        return None
    try:
        attrs = tuple(sorted((k, _freeze(v)) for k, v in node.attrs.items()))
        key = (node.op, tuple(id(t) for t in node.inputs), attrs)
        hash(key)
    except TypeError:
        return None
    return key


def _freeze(v):
    """A hashable value that is equal only for attributes giving the same results."""
    if isinstance(v, xp.ndarray):
        if v.nbytes > MAX_CONST_BYTES or v.dtype.kind == "O":
            return ("array-id", id(v))
        return ("array", v.dtype.str, v.shape, v.tobytes())
    if isinstance(v, xp.generic):
        return ("scalar", v.dtype.str, v.tobytes())
    if isinstance(v, float):
        return ("float", v.hex())
    if isinstance(v, (tuple, list)):
        return (type(v).__name__, tuple(_freeze(e) for e in v))
    if isinstance(v, dict):
        return ("dict", tuple(sorted((k, _freeze(e)) for k, e in v.items())))
    return (type(v), v)


__all__ = ["MAX_CONST_BYTES", "eliminate_common_subexpressions"]
