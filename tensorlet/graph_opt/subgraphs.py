"""Sub-graph optimization: the branches of ``If``/``Case`` and the bodies of ``While`` nodes.

Control-flow kernels run their sub-graphs with ``graph.as_function()`` (the executor), once per
branch taken or loop iteration, so a loop body profits from the pipeline as much as the function
does. Every graph held in a node's attrs (``body_graph``, ``cond_graph``, the ``branches``
tuple) is replaced, in this (already copied) node only, by an optimized copy: the traced graph's
nodes keep the traced sub-graphs, which gradients and op-by-op replay use. A copy keeps its
``inputs`` and ``outputs`` one to one, which is all the kernels rely on; its outputs are graph
outputs, so a loop body never writes into the buffers it returns or receives. A sub-graph
shared by several nodes is optimized once.
"""

from tensorlet.function.func_graph import Graph


def optimize_subgraphs(graph, optimize):
    """Replaces the sub-graphs in ``graph``'s node attrs by ``optimize(copy)``; returns graph."""
    done = {}

    def optimized(sub):
        new = done.get(id(sub))
        if new is None:
            copy = sub.copy()
            copy.__dict__.pop("_as_function", None)  # (copy() shares the original's executor)
            new = done[id(sub)] = optimize(copy)
        return new

    for node in graph.get_operations():
        attrs = node.attrs
        for key, value in attrs.items():
            if isinstance(value, Graph):
                attrs[key] = optimized(value)
            elif isinstance(value, tuple) and value and all(isinstance(v, Graph) for v in value):
                attrs[key] = tuple(optimized(v) for v in value)
    return graph


__all__ = ["optimize_subgraphs"]
