"""Dead-code pruning: drops the nodes that neither an output nor a stateful node needs.

Kept: every node an output depends on; every stateful node (variable reads and updates, random
ops, ``PrintV2``, asserts: they run in program order whether or not their outputs are used, as
in TF's ``tf.function``) with everything it depends on; every Placeholder (``graph.inputs``
keep their positions). Everything else is stateless and unused, so removing it cannot change
a result; a stateless node that would fail at run time stops failing once it is dropped, as in
TF, whose functions prune unused stateless ops too.
"""

from tensorlet.function import executor
from tensorlet.graph_opt import rewrite as R


def prune(graph):
    """Removes dead nodes from ``graph`` (edited in place); returns ``graph``."""
    live = {id(n) for n in executor.live_nodes(graph, graph.outputs)}
    nodes = [n for n in graph.get_operations() if id(n) in live or n.op is R.PLACEHOLDER]
    graph.set_operations(nodes)
    return graph


__all__ = ["prune"]
