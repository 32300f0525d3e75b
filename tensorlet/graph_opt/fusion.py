"""Elementwise fusion: connected groups of fusable float ops become one ``_FusedElementwise`` node.

Fusable nodes (``elementwise.is_fusable``: a ufunc kernel, no attrs, one float dtype) are grouped
walking the graph backwards: a node joins the group of its consumers when *all* of them belong
to one group and its output is not a graph output, so only the group's root (its last node)
is read from outside. Such a group is convex (no path leaves it and comes back), so replacing
it by one node at the root's position keeps the program order valid; stateful nodes never
move. Groups of two or more nodes are fused: the root node is turned into the fused node in
place (same name and output tensor), the other members are removed, and ``Const`` operands are
baked into the kernel.

The fused kernel evaluates the steps with NumPy ``out=`` buffers (``elementwise``): one
allocation for a chain instead of one per op, and one executor line instead of one per op.
Results are bit-for-bit the unfused ones (the same ufunc loops run on the same values).

Gradients never see fused nodes: a tape around a call and the backward graph use the traced
graph; a tape *inside* a function is traced into the graph before the optimizer runs, so the
backward ops are fused like any others. ``_FusedElementwise`` still has a gradient that
re-expands its steps.
"""

from tensorlet.graph_opt import rewrite as R
from tensorlet.graph_opt.elementwise import FusedOp, is_fusable

MIN_GROUP = 2


def fuse(graph):
    """Fuses the elementwise groups of ``graph`` (edited in place); returns ``graph``."""
    nodes = graph.get_operations()
    groups = _groups(graph, nodes)
    drop = set()
    for members in groups.values():
        if len(members) >= MIN_GROUP:
            _fuse_group(members[::-1])
            drop.update(id(m) for m in members[1:])
    if drop:
        graph.set_operations([n for n in nodes if id(n) not in drop])
    return graph


def _groups(graph, nodes):
    """``{root id: [root, ..., first member]}`` (members in reverse program order)."""
    uses, outs = R.consumers(graph), R.output_ids(graph)
    group_of, groups = {}, {}
    for node in reversed(nodes):
        if not is_fusable(node) or isinstance(node.op, FusedOp):
            continue
        t = node.outputs[0]
        gids = {group_of.get(id(c)) for c in uses.get(id(t), ())}
        if id(t) not in outs and len(gids) == 1 and None not in gids:
            gid = gids.pop()
        else:
            gid = id(node)
            groups[gid] = []
        group_of[id(node)] = gid
        groups[gid].append(node)
    return groups


def _fuse_group(members):
    """Turns the root (last member) into the fused node of ``members`` (program order)."""
    step_of = {id(m.outputs[0]): j for j, m in enumerate(members)}
    inputs, input_of, consts, const_of, steps = [], {}, [], {}, []
    for m in members:
        refs = []
        for t in m.inputs:
            if id(t) in step_of:
                refs.append(("s", step_of[id(t)]))
                continue
            value = R.const_value(t)
            if value is not None:
                k = const_of.setdefault(id(t), len(consts))
                if k == len(consts):
                    consts.append(value)
                refs.append(("c", k))
            else:
                k = input_of.setdefault(id(t), len(inputs))
                if k == len(inputs):
                    inputs.append(t)
                refs.append(("i", k))
        steps.append((m.op, tuple(refs), m.outputs[0]._shape))
    root = members[-1]
    dtype = root.outputs[0]._dtype
    root.op = FusedOp(steps, consts, [t._shape for t in inputs], dtype)
    root.inputs = inputs
    root.attrs = {}


__all__ = ["MIN_GROUP", "fuse"]
