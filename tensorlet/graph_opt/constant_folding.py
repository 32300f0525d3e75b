"""Constant folding: nodes whose value is known before the graph runs become ``Const`` nodes.

A node folds when it is stateless, has outputs, and either every input comes from a ``Const``
node (the node's own ``forward`` computes the value now, exactly as the executor would, cast
to the node's dtypes) or tracing already knew every output's value (``SymbolicTensor._const``:
``tf.shape`` of a fully-defined shape and what is computed from it). Never folded: stateful
nodes (random ops, variable reads and updates, ``PrintV2``), Placeholders, nodes whose forward
raises (the error stays a run-time error, as in TF), and nodes whose outputs are not fully
defined or would take more than ``MAX_BYTES`` (a huge ``tf.zeros`` stays a computation), and
nodes whose outputs the function returns (each call returns a new array, as before: a shared
``Const`` array could be changed through ``.numpy()`` by the caller). Their inputs still fold.

A single-output node is turned into a ``Const`` in place (it keeps its name and output tensor,
as grappler's folded nodes do); multi-output nodes get one new ``Const`` per output. Folded
inputs that nothing else reads are left for ``pruning``.

Example: ``x * (2.0 * 3.0)`` traces to ``Mul(x, Mul(Const, Const))``; after folding, the inner
``Mul`` is ``Const(6.0)``.
"""

from tensorlet.backend import xp
from tensorlet.graph_opt import rewrite as R

MAX_BYTES = 1 << 20  # largest folded value (TF's grappler uses 10 MB; our graphs are smaller)


def fold_constants(graph, max_bytes=MAX_BYTES):
    """Folds every foldable node of ``graph`` (edited in place); returns ``graph``."""
    subst, out = {}, []
    outs = R.output_ids(graph)
    for node in graph.get_operations():
        R.resolve_inputs(node, subst)
        returned = any(id(t) in outs for t in node.outputs)
        values = None if returned else _values(node, max_bytes)
        if values is None:
            out.append(node)
        elif len(values) == 1:
            _make_const(node, values[0])
            out.append(node)
        else:
            out.append(node)  # unused once its outputs are replaced: pruning drops it
            for t, v in zip(node.outputs, values):
                c = graph.constant(v, t._dtype, name=node.name + "/folded")
                out.append(c._op)
                subst[id(t)] = c
    return R.finish(graph, subst, out)


def _foldable(node, max_bytes):
    op = node.op
    if op.stateful or op is R.CONST or not node.outputs or node.variable is not None:
        return False
    for t in node.outputs:
        np_t = t._dtype._np
        if np_t is None or not t._shape.is_fully_defined():
            return False
        if t._shape.num_elements() * xp.dtype(np_t).itemsize > max_bytes:
            return False
    return True


def _values(node, max_bytes):
    """The node's output arrays when it folds, else ``None``."""
    if not _foldable(node, max_bytes):
        return None
    known = [t._const for t in node.outputs]
    if all(v is not None for v in known):
        values = known
    else:
        arrays = [R.const_value(t) for t in node.inputs]
        if not arrays or any(a is None for a in arrays):
            return None
        try:
            result = node.op.forward(*arrays, **node.attrs)
        except Exception:  # noqa: BLE001 (raised again when the graph runs)
            return None
        values = [result] if node.op.num_outputs == 1 else list(result)
        if len(values) != len(node.outputs):
            return None
    out = []
    for t, v in zip(node.outputs, values):
        v = xp.asarray(v)
        np_t = t._dtype._np
        if v.dtype != np_t:
            v = v.astype(np_t)
        if not t._shape.is_compatible_with(v.shape):
            return None
        out.append(v)
    return out


def _make_const(node, value):
    """Turns ``node`` into ``Const(value)`` in place (same name, same output tensor)."""
    node.op = R.CONST
    node.inputs = []
    node.attrs = {"value": value, "dtype": node.outputs[0]._dtype}
    node.outputs[0]._const = value


__all__ = ["MAX_BYTES", "fold_constants"]
