"""TF1 graph mode on tf.function's IR: default graph, ``placeholder``, eager switch, initializers.

``disable_eager_execution()`` makes the default ``Graph`` the active graph (``state.graph``), so
every op adds a node to it; a ``Session`` then runs the nodes. Variables still hold their value
from creation (their initial value is computed when they are created), so the initializer ops
are ``NoOp`` nodes that exist for API compatibility.
"""

from tensorlet.framework import dtypes
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.function.func_graph import Graph
from tensorlet.ops.op_def import REGISTRY, OpDef

_default_graph = None
_eager_disabled = False


def _no_outputs(op, inputs, attrs):
    return ()


def _nothing(*inputs):
    return ()


# Used only while tf.no_op (control_flow_ops) cannot make the node; not registered, so the
# registry's "NoOp" stays control flow's.
_FALLBACK_NO_OP = OpDef("NoOp", _nothing, _no_outputs, _no_outputs, None, True, 0)


@tf_export("compat.v1.get_default_graph")
def get_default_graph():
    """The graph ops are added to: the innermost ``as_default`` graph, else the global one."""
    if isinstance(state.graph, Graph) and not state.graph.building_function:
        return state.graph
    global _default_graph
    if _default_graph is None:
        _default_graph = Graph()
    return _default_graph


@tf_export("compat.v1.reset_default_graph")
def reset_default_graph():
    """Replaces the global default graph by a new, empty one."""
    global _default_graph
    if state.graph is not None and state.graph is not _default_graph:
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you "
            "need a cleared graph, exit the nesting and create a new graph."
        )
    _default_graph = Graph()
    if _eager_disabled:
        state.graph = _default_graph


@tf_export("compat.v1.disable_eager_execution", "compat.v1.disable_v2_behavior")
def disable_eager_execution():
    """TF1 mode: ops build nodes of the default graph, run by ``tf.compat.v1.Session``."""
    global _eager_disabled
    _eager_disabled = True
    if state.graph is None:
        state.graph = get_default_graph()


@tf_export("compat.v1.enable_eager_execution", "compat.v1.enable_v2_behavior")
def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """Back to eager execution (the TF2 default)."""
    global _eager_disabled
    if _eager_disabled and state.graph is _default_graph:
        state.graph = None
    _eager_disabled = False


@tf_export("compat.v1.executing_eagerly")
def executing_eagerly():
    return state.graph is None


@tf_export("compat.v1.placeholder")
def placeholder(dtype, shape=None, name=None):
    """A graph input, given a value by ``Session.run(..., feed_dict={placeholder: value})``."""
    if state.graph is None:
        raise RuntimeError("tf.placeholder() is not compatible with eager execution.")
    return state.graph.placeholder(dtypes.as_dtype(dtype), shape, name=name or "Placeholder")


@tf_export("compat.v1.placeholder_with_default")
def placeholder_with_default(input, shape, name=None):
    """``input`` unless fed (a tensor of the graph that ``feed_dict`` may replace)."""
    from tensorlet.ops import array_ops

    return array_ops.identity(input, name=name)


def _noop(name):
    if state.graph is None:
        return None
    op = REGISTRY.get("NoOp", _FALLBACK_NO_OP)
    return state.graph.add_node(op, [], {}, (), (), name)


@tf_export("compat.v1.global_variables_initializer", "compat.v1.initialize_all_variables")
def global_variables_initializer():
    """The op that initializes variables (variables are initialized at creation here)."""
    return _noop("init")


@tf_export("compat.v1.local_variables_initializer", "compat.v1.initialize_local_variables")
def local_variables_initializer():
    return _noop("init_1")


@tf_export("compat.v1.variables_initializer", "compat.v1.initialize_variables")
def variables_initializer(var_list, name="init"):
    return _noop(name)


@tf_export("compat.v1.tables_initializer")
def tables_initializer(name="init_all_tables"):
    return _noop(name)


__all__ = [
    "disable_eager_execution",
    "enable_eager_execution",
    "get_default_graph",
    "global_variables_initializer",
    "placeholder",
    "reset_default_graph",
]
