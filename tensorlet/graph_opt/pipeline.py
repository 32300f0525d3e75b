"""The default optimizer pipeline, its switches, and ways to look at an optimized graph.

``optimize(graph)`` runs ``PASSES`` in order on ``graph`` (edited in place: the caller passes
a copy, as ``ConcreteFunction.optimized_graph`` does) and returns it. Each row can be turned
off with TF's grappler option of the same purpose through
``tf.config.optimizer.set_experimental_options`` (read when a function's graph is optimized,
i.e. at its first call); ``{"disable_meta_optimizer": True}`` turns all of them off.
``buffer_reuse`` is tensorlet's own key (grappler has no such pass); ``function_optimization``
(grappler's function pass) switches the optimization of control-flow sub-graphs.

Seeing the result::

    concrete = f.get_concrete_function(x)
    concrete.graph.get_operations()            # as traced
    concrete.optimized_graph.get_operations()  # after the passes (with passes installed)
    print(pipeline.dump(concrete.optimized_graph))  # one line per node, fused steps indented
    print(pipeline.explain(concrete))          # traced dump, optimized dump, executor source

``install()`` makes ``optimize`` the default pipeline of every ``tf.function``
(``concrete_function.GRAPH_PASSES``); ``uninstall()`` undoes it.
"""

from tensorlet.framework import config as config_lib
from tensorlet.function import concrete_function
from tensorlet.function.executor import dump_graph
from tensorlet.graph_opt import (
    arithmetic,
    buffer_reuse,
    constant_folding,
    cse,
    fusion,
    pruning,
    subgraphs,
)
from tensorlet.graph_opt.elementwise import FusedOp


def _subgraphs(graph):
    return subgraphs.optimize_subgraphs(graph, optimize)


PASSES = [
    # (option that switches it off,   pass)
    ("constant_folding", constant_folding.fold_constants),  # Const-only inputs -> Const
    ("arithmetic_optimization", arithmetic.simplify),  # x*1, --x, identity chains, ...
    ("constant_folding", constant_folding.fold_constants),  # what simplification exposed
    ("arithmetic_optimization", cse.eliminate_common_subexpressions),  # grappler: "dedup"
    ("disable_model_pruning", pruning.prune),  # drop dead nodes before fusing
    ("remapping", fusion.fuse),  # elementwise chains -> one kernel
    ("buffer_reuse", buffer_reuse.reuse_buffers),  # out= into dead buffers
    ("disable_model_pruning", pruning.prune),  # Consts baked into kernels
    ("function_optimization", _subgraphs),  # If/Case branches, While cond/body
]


def enabled(option, options=None):
    """Whether the pass switched by ``option`` runs under ``options`` (default: the config)."""
    options = config_lib.config.optimizer_options if options is None else options
    if options.get("disable_meta_optimizer"):
        return False
    if option == "disable_model_pruning":
        return not options.get(option, False)
    return options.get(option, True) is not False


def optimize(graph, options=None):
    """Runs every enabled pass of ``PASSES`` on ``graph``; returns the optimized graph."""
    for option, p in PASSES:
        if enabled(option, options):
            graph = p(graph)
    return graph


def install():
    """Makes ``optimize`` the pipeline of every ConcreteFunction without its own passes."""
    if optimize not in concrete_function.GRAPH_PASSES:
        concrete_function.GRAPH_PASSES.append(optimize)


def uninstall():
    while optimize in concrete_function.GRAPH_PASSES:
        concrete_function.GRAPH_PASSES.remove(optimize)


def dump(graph):
    """``Graph.dump()`` with the steps of fused nodes listed under them."""
    lines = []
    fused = {n.name: n.op for n in graph.get_operations() if isinstance(n.op, FusedOp)}
    for line in dump_graph(graph).splitlines():
        lines.append(line)
        op = fused.get(line.split(" = ", 1)[0])
        if op is not None:
            lines.extend("    | " + s for s in op.describe())
    return "\n".join(lines)


def explain(concrete):
    """The traced graph, the optimized graph and the executor's source of a ConcreteFunction."""
    return "\n".join(
        [
            "# traced graph",
            dump(concrete.graph),
            "# optimized graph",
            dump(concrete.optimized_graph),
            "# executor source",
            concrete.executor_source.rstrip(),
        ]
    )


__all__ = ["PASSES", "dump", "enabled", "explain", "install", "optimize", "uninstall"]
