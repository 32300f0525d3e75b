"""``tf.gradients`` (graph mode) and ``tf.init_scope``.

``tf.gradients(ys, xs)`` differentiates the graph being built (inside ``tf.function`` or a
``compat.v1`` graph): the same gradient rules the tape uses run over the graph's nodes between
``xs`` and ``ys``, adding the backward nodes to the graph. Eagerly it raises TF's RuntimeError
(use ``tf.GradientTape``).
"""

import contextlib

from tensorlet.autodiff import backprop
from tensorlet.autodiff.gradient_tape import UnconnectedGradients
from tensorlet.framework import nest
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops.op_def import OpRecord


def _graph_ops():
    from tensorlet.function import graph_ops

    return graph_ops.placeholder_op, graph_ops.const_op, graph_ops.read_variable_op


@tf_export("gradients", "compat.v1.gradients")
def gradients(ys, xs, grad_ys=None, name="gradients", gate_gradients=False,
              aggregation_method=None, stop_gradients=None,
              unconnected_gradients=UnconnectedGradients.NONE, colocate_gradients_with_ops=False):
    """Symbolic gradients of ``sum(ys)`` with respect to each of ``xs`` (tensors or variables)
    in the graph being built; ``grad_ys`` are the upstream gradients (default ones)."""
    del name, gate_gradients, aggregation_method, colocate_gradients_with_ops
    graph = state.graph
    if graph is None:
        raise RuntimeError(
            "tf.gradients is not supported when eager execution is enabled. Use "
            "tf.GradientTape instead.")
    from tensorlet.ops import array_ops, math_ops

    placeholder, const, read = _graph_ops()
    ys_list = [convert_to_tensor(y) for y in nest.flatten(ys)]
    xs_list = nest.flatten(xs)
    if grad_ys is None:
        grad_ys = [None] * len(ys_list)
    else:
        grad_ys = nest.flatten(grad_ys)
        if len(grad_ys) != len(ys_list):
            raise ValueError(
                f"Passed {len(grad_ys)} grad_ys for {len(ys_list)} ys")
    stops = {id(t) for t in nest.flatten(stop_gradients)} if stop_gradients is not None else set()
    # variables: gradients flow into the outputs of their reads in this graph
    sources = []
    for x in xs_list:
        if getattr(x, "_is_variable", False):
            reads = [n.outputs[0] for n in graph._nodes
                     if n.op is read and getattr(n, "variable", None) is x]
            sources.append(reads)
        else:
            sources.append([x])
    needed = {id(t) for group in sources for t in group}
    records = []
    for n in graph._nodes:
        if n.op in (placeholder, const, read):
            continue
        if any(id(t) in stops for t in n.outputs):
            continue
        records.append(OpRecord(n.op, list(n.inputs), n.attrs, tuple(n.outputs)))
        if any(id(t) in needed for t in n.inputs):
            needed.update(id(t) for t in n.outputs)
    seeds = {}
    for y, gy in zip(ys_list, grad_ys):
        g = array_ops.ones_like(y) if gy is None else convert_to_tensor(gy, dtype=y.dtype)
        seeds[id(y)] = g if id(y) not in seeds else math_ops.add(seeds[id(y)], g)
    grads = backprop.backward(records, seeds, needed)
    out = []
    for x, group in zip(xs_list, sources):
        parts = [grads.get(id(t)) for t in group]
        parts = [p for p in parts if p is not None]
        if not parts:
            zero = unconnected_gradients in (UnconnectedGradients.ZERO, "zero")
            out.append(array_ops.zeros_like(x) if zero else None)
            continue
        g = parts[0]
        for p in parts[1:]:
            g = math_ops.add(convert_to_tensor(g), convert_to_tensor(p))
        out.append(g if isinstance(g, IndexedSlices) else convert_to_tensor(g))
    return out


@tf_export("init_scope", "compat.v1.init_scope")
@contextlib.contextmanager
def init_scope():
    """Runs the block eagerly, outside any graph being built and any tape (TF lifts variable
    creation and other one-time setup out of ``tf.function`` this way)."""
    graph, tapes = state.graph, state.tapes
    state.graph, state.tapes = None, []
    try:
        yield
    finally:
        state.graph, state.tapes = graph, tapes
