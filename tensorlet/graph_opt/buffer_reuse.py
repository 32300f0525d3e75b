"""Buffer reuse: an elementwise node writes its result into an input buffer whose life has ended.

Fusion already reuses buffers inside a fused chain; this pass does it across nodes. For an
elementwise node ``n`` (a fusable ufunc node or a ``_FusedElementwise`` node) an input tensor
``t`` is *donated* to ``n`` when all of these hold:

* ``t``'s buffer is owned by this call: it is made by an elementwise node (a fresh ufunc
  result, or an earlier donation's buffer) with static rank >= 1 (rank-0 ufunc results are
  NumPy scalars) -- never a Placeholder (the caller's array), a ``Const``, a variable's value
  (``ReadVariableOp``) or the output of a view op (``Reshape``, ``Identity``, ``Transpose``...);
* ``t`` is not a graph output (the caller receives that array);
* every other reader of ``t`` runs before ``n`` (program order is execution order) and keeps no
  reference to it: only elementwise nodes (fresh results) and ``PrintV2`` (formats at once) may
  read it; any other reader (a view op, a state op assigning it to a variable, control flow)
  keeps ``t`` from being donated;
* ``t`` has ``n``'s dtype.

The node is then rewritten in place to a ``_FusedElementwise`` kernel that lists ``t`` in
``donated``; the kernel writes into it only where shapes allow (``elementwise._fits``).
"""

from tensorlet.function import graph_ops
from tensorlet.graph_opt import rewrite as R
from tensorlet.graph_opt.elementwise import FusedOp, is_fusable

_HARMLESS_READERS = (graph_ops.print_v2_op,)  # read their inputs at once, keep nothing


def reuse_buffers(graph):
    """Donates dead input buffers to the elementwise nodes of ``graph``; returns ``graph``."""
    nodes = graph.get_operations()
    order = {id(n): i for i, n in enumerate(nodes)}
    uses, outs = R.consumers(graph), R.output_ids(graph)
    for node in nodes:
        if not is_fusable(node):
            continue
        donated = {k for k, t in enumerate(node.inputs) if _donatable(t, node, order, uses, outs)}
        if donated:
            _donate(node, donated)
    return graph


def _donatable(t, node, order, uses, outs):
    producer = t._op
    if id(t) in outs or t._dtype != node.outputs[0]._dtype:
        return False
    if not is_fusable(producer) or t._shape.rank is None or t._shape.rank < 1:
        return False
    at = order[id(node)]
    for reader in uses.get(id(t), ()):
        if reader is node:
            continue
        if order.get(id(reader), at) >= at:
            return False
        if not (is_fusable(reader) or reader.op in _HARMLESS_READERS):
            return False
    return True


def _donate(node, donated):
    op = node.op
    if isinstance(op, FusedOp):
        node.op = op.with_donated(op.donated | donated)
        return
    refs = tuple(("i", k) for k in range(len(node.inputs)))
    steps = [(op, refs, node.outputs[0]._shape)]
    node.op = FusedOp(steps, (), [t._shape for t in node.inputs], node.outputs[0]._dtype, donated)


__all__ = ["reuse_buffers"]
