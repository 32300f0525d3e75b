"""The graph IR and tracing: ``Graph``, ``Node`` (TF's ``Operation``), ``FuncGraph``, ``trace``.

The IR is deliberately plain:

* a ``Graph`` is a list of ``Node`` in topological *and program* order (``graph.get_operations()``);
  stateful nodes (``node.op.stateful``: variable reads/updates, random ops, ``PrintV2``) run in
  that order and must never be folded, deduplicated or reordered among themselves;
* a ``Node`` is ``op`` (the ``OpDef``, the same object eager execution uses), ``inputs`` (a list of
  ``SymbolicTensor`` of the same graph), ``attrs`` (the keyword arguments of ``op.forward``),
  ``outputs`` (a tuple of ``SymbolicTensor``), ``name`` (unique in the graph) and ``variable``
  (the ``tf.Variable`` a ``ReadVariableOp`` reads or a state op writes; else ``None``);
* special ops (``graph_ops.py``): ``Placeholder`` (graph inputs, ``graph.inputs``), ``Const``
  (``attrs["value"]`` is the array), ``ReadVariableOp`` (reads ``node.variable``), and every state
  op of ``ops/state_ops.py`` whose node has ``variable`` set writes its output into that variable;
* ``graph.inputs`` = argument placeholders then capture placeholders; ``graph.outputs`` = the flat
  output tensors; ``graph.captures`` = ``[(outer tensor, inner placeholder)]``.

Tracing a Python callable into a sub-graph (what ``tf.cond``/``tf.while_loop`` do)::

    from tensorlet.function import func_graph
    g = func_graph.trace(body, args=(spec_or_tensor, ...), name="while_body")
    # `args` leaves that are tensors or TensorSpecs become Placeholders (same dtype/shape; pass
    # TensorSpecs with None dims to relax shapes); other values are passed through. Inside, any
    # tensor of an enclosing graph (or an eager tensor) used by an op is captured: eager tensors
    # become Const nodes, enclosing-graph tensors become extra placeholders listed in
    # g.captures = [(outer_tensor, inner_placeholder), ...] (appended to g.inputs).
    g.outputs              # flat list of SymbolicTensors of g (Python values are converted)
    g.structured_outputs   # what `body` returned, tensors replaced by g's output tensors
    run = g.as_function()  # run(*arrays) -> tuple of arrays: arrays for g.inputs in order
                           # (args then captured values), executed by the fast executor

Adding a node whose kernel runs sub-graphs (an ``If``)::

    def _if_kernel(pred, *args, then_graph, else_graph):   # attrs: graphs (hashable by identity)
        return (then_graph if pred else else_graph).as_function()(*args)
    if_op = defop("If", _if_kernel, dtype_rule=..., shape_rule=..., grad=..., num_outputs=None)
    outs = apply(if_op, pred, *[outer for outer, _ in g.captures], then_graph=g1, else_graph=g2)

``apply`` works the same eagerly (the kernel runs the sub-graphs on arrays) and while tracing
(a node with the graphs as attrs is added). Variables read/written inside sub-graphs are listed
in every enclosing graph's ``variables`` (tapes around a call then know the function reads them).
A sub-graph kernel must set ``stateful=True`` when its sub-graphs hold stateful nodes
(``g.has_stateful_nodes()``).

``tf.function`` calls ``tensorlet.autograph.convert(fn)`` (when that module exists) before
tracing with ``autograph=True``.
"""

import contextlib

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors, nest
from tensorlet.framework.context import notify_variable_read, state
from tensorlet.framework.export import tf_export
from tensorlet.framework.module import current_name_scope
from tensorlet.framework.symbolic_tensor import SymbolicTensor
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape, as_shape
from tensorlet.function import graph_ops
from tensorlet.ops import state_ops
from tensorlet.ops.op_def import _record

_FOLD_LIMIT = 1 << 16  # fold ops at trace time when their constant inputs are at most this large
# ops whose outputs follow from their inputs' static shapes and dtypes alone
_SHAPE_ONLY = frozenset(["Shape", "ShapeN", "Size", "Rank", "OnesLike", "ZerosLike"])


class InaccessibleTensorError(ValueError):
    """A tensor of another (non-enclosing) graph was used (TF's InaccessibleTensorError)."""


# ---------------------------------------------------------------- nodes


@tf_export("Operation", "compat.v1.Operation")
class Operation:
    """One op in a graph (TF's ``tf.Operation``; ``Node`` in this package's docs)."""

    __slots__ = ("__weakref__", "attrs", "graph", "inputs", "name", "op", "outputs", "variable")

    def __init__(self, graph, op, inputs, attrs, name):
        self.graph = graph
        self.op = op
        self.inputs = inputs
        self.attrs = attrs
        self.name = name
        self.outputs = ()
        self.variable = None

    @property
    def type(self):
        return self.op.name

    @property
    def stateful(self):
        return self.op.stateful

    @property
    def control_inputs(self):
        return []

    @property
    def device(self):
        return ""

    def values(self):
        return self.outputs

    def get_attr(self, name):
        return self.attrs[name]

    def run(self, feed_dict=None, session=None):
        """TF1: runs this operation in ``session`` (or the default session)."""
        from tensorlet.compat_v1 import session as session_lib

        session_lib.run_operation(self, feed_dict, session)

    def __repr__(self):
        return f"<tf.Operation '{self.name}' type={self.op.name}>"


Node = Operation


# ---------------------------------------------------------------- graphs


@tf_export("Graph", "compat.v1.Graph")
class Graph:
    """A dataflow graph: nodes in program order, built by ``apply`` while the graph is active."""

    def __init__(self, name=None, outer_graph=None):
        self.name = name or "graph"
        self.outer_graph = outer_graph
        self._nodes = []
        self._by_name = {}
        self._name_counts = {}
        self._capture_map = {}  # id(external tensor) -> (external, internal)
        self.captures = []  # [(external tensor, internal placeholder)]
        self.inputs = []  # placeholders (arguments, then captures)
        self.outputs = []
        self.variables = {}  # id -> Variable read or written by this graph or its sub-graphs
        self.collections = {}
        self.seed = None
        self._version = 0
        self._examples = {}  # id(placeholder) -> (argument position, example value) while tracing
        # argument position -> value: the argument values this trace read (see ``evaluate``)
        self.value_guards = {}

    # ---- naming / lookup
    def unique_name(self, base, mark_as_used=True):
        base = current_name_scope() + base
        n = self._name_counts.get(base.lower())
        name = base if n is None else f"{base}_{n}"
        while name in self._by_name:
            n = (n or 0) + 1
            name = f"{base}_{n}"
        if mark_as_used:
            self._name_counts[base.lower()] = (n or 0) + 1
        return name

    def get_operations(self):
        """The nodes in program (topological) order."""
        return list(self._nodes)

    def get_operation_by_name(self, name):
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"The name '{name}' refers to an Operation not in the graph.") from None

    def get_tensor_by_name(self, name):
        op_name, _, index = name.rpartition(":")
        if not op_name:
            raise ValueError(
                f"The name '{name}' looks like an (invalid) Operation name, not a Tensor."
            )
        return self.get_operation_by_name(op_name).outputs[int(index)]

    def as_graph_element(self, obj):
        if isinstance(obj, (Node, SymbolicTensor)):
            return obj
        return self.get_tensor_by_name(obj) if ":" in obj else self.get_operation_by_name(obj)

    @property
    def version(self):
        return self._version

    @property
    def building_function(self):
        return False

    def finalize(self):
        pass

    @property
    def finalized(self):
        return False

    # ---- the default-graph context
    @contextlib.contextmanager
    def as_default(self):
        """Makes ops created in the ``with`` block nodes of this graph."""
        prev = state.graph
        state.graph = self
        try:
            yield self
        finally:
            state.graph = prev

    def is_ancestor_of(self, graph):
        while graph is not None:
            if graph is self:
                return True
            graph = graph.outer_graph
        return False

    # ---- building
    def add_op(self, op, inputs, attrs, name=None):
        """``apply`` while this graph is active: infers outputs, adds a node, records on tapes."""
        inputs = [
            t if type(t) is SymbolicTensor and t._op.graph is self else self.capture(t)
            for t in inputs
        ]
        try:
            out_dtypes = op.dtype_rule(op, inputs, attrs)
        except errors.InvalidArgumentError as e:  # graph construction: TF's TypeError
            raise TypeError(_construction_message(e, op, inputs, name, False)) from None
        try:
            shapes = op.shape_rule(op, inputs, attrs)
        except errors.InvalidArgumentError as e:  # shape inference: TF's ValueError
            raise ValueError(_construction_message(e, op, inputs, name, True)) from None
        node = self.add_node(op, inputs, attrs, out_dtypes, shapes, name)
        outputs = node.outputs
        if not op.stateful:
            _fold(node)
        if state.tapes:
            _record(op, inputs, attrs, outputs)
        return outputs[0] if op.num_outputs == 1 else outputs

    def add_node(self, op, inputs, attrs, out_dtypes, out_shapes, name=None):
        """Appends a node without running rules (for graph passes); returns it."""
        node = Node(self, op, inputs, attrs, self.unique_name(name or op.name))
        node.outputs = tuple(
            SymbolicTensor(node, i, d, s) for i, (d, s) in enumerate(zip(out_dtypes, out_shapes))
        )
        self._nodes.append(node)
        self._by_name[node.name] = node
        self._version += 1
        return node

    def placeholder(self, dtype, shape=None, name="Placeholder"):
        """A graph input of ``dtype``/``shape`` (appended to ``graph.inputs``)."""
        dtype = dtypes.as_dtype(dtype)
        shape = as_shape(shape)
        node = self.add_node(
            graph_ops.placeholder_op, [], {"dtype": dtype, "shape": shape}, (dtype,), (shape,), name
        )
        self.inputs.append(node.outputs[0])
        return node.outputs[0]

    def constant(self, value, dtype=None, name="Const"):
        """A ``Const`` node holding the backend array ``value``."""
        dtype = dtypes.from_numpy(value.dtype) if dtype is None else dtype
        node = self.add_node(
            graph_ops.const_op,
            [],
            {"value": value, "dtype": dtype},
            (dtype,),
            (TensorShape._from_tuple(xp.shape(value)),),
            name,
        )
        out = node.outputs[0]
        out._const = value
        return out

    def capture(self, tensor):
        """The tensor of this graph standing for ``tensor`` (eager, enclosing-graph or other)."""
        if type(tensor) is SymbolicTensor and tensor._op.graph is self:
            return tensor
        if not isinstance(tensor, Tensor):
            tensor = convert_to_tensor(tensor)
            if type(tensor) is SymbolicTensor and tensor._op.graph is self:
                return tensor
        hit = self._capture_map.get(id(tensor))
        if hit is not None:
            return hit[1]
        if isinstance(tensor, EagerTensor):
            internal = self.constant(tensor._value, tensor._dtype)
        elif isinstance(tensor, SymbolicTensor):
            internal = self._capture_symbolic(tensor)
        else:
            raise TypeError(f"Cannot use {tensor!r} in a graph")
        self._capture_map[id(tensor)] = (tensor, internal)
        return internal

    def _capture_symbolic(self, tensor):
        outer = self.outer_graph
        # the tensor must live in an enclosing graph (any number of levels up)
        if outer is None or not tensor._op.graph.is_ancestor_of(outer):
            raise InaccessibleTensorError(
                f"{tensor!r} is out of scope and cannot be used here. Use return values, explicit "
                "Python locals or TensorFlow collections to access it."
            )
        if tensor._const is not None:
            return self.constant(tensor._const, tensor._dtype)
        if tensor._op.graph is not outer:
            tensor = outer.capture(tensor)
        internal = self.placeholder(tensor._dtype, tensor._shape, name=tensor._op.name)
        self.captures.append((tensor, internal))
        return internal

    # ---- variables (called by tf.Variable while this graph is active)
    def read_variable(self, var):
        """A ``ReadVariableOp`` node: the variable's value when the node runs."""
        node = self.add_node(
            graph_ops.read_variable_op,
            [],
            {"dtype": var.dtype, "shape": var.shape},
            (var.dtype,),
            (var.shape,),
            "ReadVariableOp",
        )
        node.variable = var
        self._note_variable(var)
        out = node.outputs[0]
        if state.tapes:
            notify_variable_read(var, out)
        return out

    def write_variable(self, var, new):
        """Makes the state op that produced ``new`` write its output into ``var`` at run time."""
        node = new._op if type(new) is SymbolicTensor and new._op.graph is self else None
        if (
            node is None
            or not node.op.stateful
            or node.variable is not None
            or len(node.outputs) != 1
        ):
            new = self.add_op(state_ops.assign_variable_op, [self.read_variable(var), new], {})
            node = new._op
        node.variable = var
        self._note_variable(var)

    def _note_variable(self, var):
        g = self
        while g is not None:
            g.variables[id(var)] = var
            g = g.outer_graph

    def has_stateful_nodes(self):
        return any(n.op.stateful and n.op is not graph_ops.placeholder_op for n in self._nodes)

    # ---- editing (graph passes)
    def copy(self):
        """A copy with new nodes and tensors (same ops, attrs, variables); graph passes edit
        copies so that the traced graph (replay, gradients) stays as traced."""
        g = type(self).__new__(type(self))
        g.__dict__.update(self.__dict__)
        g.__dict__.pop("_as_function", None)  # a cached executor runs the original's nodes
        g._nodes, g._by_name = [], {}
        g._name_counts = dict(self._name_counts)
        m = {}
        for n in self._nodes:
            c = Operation(g, n.op, [m[id(t)] for t in n.inputs], dict(n.attrs), n.name)
            c.variable = n.variable
            c.outputs = tuple(
                SymbolicTensor(c, i, t._dtype, t._shape, t._const) for i, t in enumerate(n.outputs)
            )
            for t, ct in zip(n.outputs, c.outputs):
                m[id(t)] = ct
            g._nodes.append(c)
            g._by_name[c.name] = c

        def mapped(x):
            return m.get(id(x), x) if isinstance(x, SymbolicTensor) else x

        g.inputs = [m[id(t)] for t in self.inputs]
        g.outputs = [m[id(t)] for t in self.outputs]
        g.captures = [(outer, m[id(t)]) for outer, t in self.captures]
        g._capture_map = {k: (outer, m[id(t)]) for k, (outer, t) in self._capture_map.items()}
        g.variables = dict(self.variables)
        if getattr(self, "structured_outputs", None) is not None:
            g.structured_outputs = nest.map_structure(mapped, self.structured_outputs)
        if getattr(self, "structured_input_signature", None) is not None:
            g.structured_input_signature = nest.map_structure(
                mapped, self.structured_input_signature
            )
        return g

    def set_operations(self, nodes):
        """Replaces the node list (it must stay in topological and stateful program order)."""
        self._nodes = list(nodes)
        self._by_name = {n.name: n for n in self._nodes}
        for n in self._nodes:
            n.graph = self
        self._version += 1

    def replace_uses(self, old, new):
        """Makes every node input, graph output and structured output that is ``old`` be ``new``."""
        for n in self._nodes:
            if any(t is old for t in n.inputs):
                n.inputs = [new if t is old else t for t in n.inputs]
        self.outputs = [new if t is old else t for t in self.outputs]
        if getattr(self, "structured_outputs", None) is not None:
            self.structured_outputs = nest.map_structure(
                lambda x: new if x is old else x, self.structured_outputs
            )
        self._version += 1

    # ---- running
    def as_function(self):
        """``run(*arrays) -> tuple of arrays`` for ``self.inputs`` -> ``self.outputs``."""
        fn = getattr(self, "_as_function", None)
        if fn is None:
            from tensorlet.function import executor

            fn = self._as_function = executor.Executor(self, self.inputs, self.outputs)
        return fn

    def as_graph_def(self, from_version=None, add_shapes=False):
        """A ``GraphDef``-like record: ``.node`` = [NodeDef(name, op, input, attr)]."""
        return GraphDef([NodeDef(n) for n in self._nodes])

    # ---- printing
    def dump(self):
        """A text listing of the nodes (``name = Type(inputs) {attrs}``)."""
        from tensorlet.function.executor import dump_graph

        return dump_graph(self)

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name}, id={id(self)})"


class NodeDef:
    """TF's ``NodeDef`` fields of one node: ``name``, ``op``, ``input`` (tensor names, ``:0``
    dropped as TF does), ``attr`` and ``device``."""

    def __init__(self, node):
        self.name = node.name
        self.op = node.op.name
        self.input = [t._op.name if t._value_index == 0 else t.name for t in node.inputs]
        self.attr = dict(node.attrs)
        self.device = ""

    def __repr__(self):
        ins = "".join(f'\ninput: "{i}"' for i in self.input)
        return f'name: "{self.name}"\nop: "{self.op}"{ins}'


class GraphDef:
    """TF's ``GraphDef``: the list of ``NodeDef`` (``graph.as_graph_def().node``)."""

    def __init__(self, nodes):
        self.node = nodes

    def __str__(self):
        return "".join("node {\n  " + repr(n).replace("\n", "\n  ") + "\n}\n" for n in self.node)

    __repr__ = __str__


class FuncGraph(Graph):
    """The graph of a traced Python function (TF's ``FuncGraph``)."""

    def __init__(self, name, outer_graph=None):
        super().__init__(name, outer_graph)
        self.structured_input_signature = None
        self.structured_outputs = None
        self.created_variables = []

    @property
    def building_function(self):
        return True


def _broadcast_graph_message(inputs):
    """TF's graph-mode broadcasting error (shape inference), which differs from the eager
    kernel's 'Incompatible shapes: [a] vs. [b]': the first unequal pair of aligned dims."""
    a, b = (list(t.shape) for t in inputs[:2])
    n = max(len(a), len(b))
    a, b = [1] * (n - len(a)) + a, [1] * (n - len(b)) + b
    for x, y in zip(a, b):
        if x is not None and y is not None and x != y and x != 1 and y != 1:
            return f"Dimensions must be equal, but are {x} and {y}"
    return None


def _construction_message(e, op, inputs, name, with_shapes):
    msg = str(e)
    suffix = f" [Op:{op.name}]"
    msg = msg.removesuffix(suffix)
    if msg.startswith("Incompatible shapes:") and len(inputs) >= 2 and all(
        t.shape.rank is not None for t in inputs[:2]
    ):
        msg = _broadcast_graph_message(inputs) or msg
    if not with_shapes:
        return msg
    node = name or op.name
    ins = ", ".join(t.name for t in inputs)
    shapes = ", ".join(
        "<unknown>"
        if t.shape.rank is None
        else "[" + ",".join("?" if d is None else str(d) for d in t.shape) + "]"
        for t in inputs
    )
    return f"{msg} for '{{{{node {node}}}}} = {op.name}({ins})' with input shapes: {shapes}."


# ---------------------------------------------------------------- trace-time constants


def _fold(node):
    """Sets ``_const`` on the outputs of a stateless node whose value is known at trace time."""
    op, inputs = node.op, node.inputs
    if op.name in _SHAPE_ONLY:
        if not all(
            t._shape.is_fully_defined() and t._shape.num_elements() <= _FOLD_LIMIT for t in inputs
        ):
            return
        arrays = [_dummy(t) for t in inputs]
    else:
        if not inputs:
            return
        arrays = []
        for t in inputs:
            c = t._const
            if c is None or xp.size(c) > _FOLD_LIMIT:
                return
            arrays.append(c)
    try:
        result = op.forward(*arrays, **node.attrs)
    except Exception:  # the error (if any) is raised when the graph runs
        return
    outs = node.outputs
    results = (result,) if op.num_outputs == 1 else result
    for t, r in zip(outs, results):
        t._const = _as_dtype(r, t._dtype)


class ShapeGuard(tuple):
    """A ``value_guards`` entry that only needs the argument's shape (``tf.shape(x)`` of an
    argument whose traced shape has ``None`` dimensions)."""


def _example_of(t, examples):
    """(position, example value) when ``t`` is a traced argument with an example, else None."""
    if t._op.op is graph_ops.placeholder_op:
        return examples.get(id(t))
    return None


class _ShapeSpec:
    __slots__ = ("_const", "dtype", "shape")

    def __init__(self, shape, dtype, const=None):
        self.shape, self.dtype, self._const = shape, dtype, const


def _run_time_shape(t, examples, guards, memo):
    """``t``'s shape for this call, re-inferred with the shape rules from the arguments'
    example shapes (recording a shape guard per argument used); None when a shape rule cannot
    tell without values (data-dependent shapes, ops without rules)."""
    if t._shape.is_fully_defined():
        return tuple(t._shape.as_list())
    key = id(t)
    if key in memo:
        return memo[key]
    memo[key] = None
    ex = _example_of(t, examples)
    if ex is not None:
        guards.setdefault(ex[0], ex[1].shape)
        memo[key] = tuple(ex[1].shape)
        return memo[key]
    node = t._op
    rule = getattr(node.op, "shape_rule", None)
    if rule is None or node.op is graph_ops.placeholder_op:
        return None
    specs = []
    for i in node.inputs:
        shape = _run_time_shape(i, examples, guards, memo)
        if shape is None:
            return None
        specs.append(_ShapeSpec(TensorShape(list(shape)), i._dtype, i._const))
    try:
        out = rule(node.op, specs, node.attrs)
    except Exception:  # noqa: BLE001 (any failure: fall back to values)
        return None
    result = out[t._value_index] if out is not None else None
    if result is None or not result.is_fully_defined():
        return None
    memo[key] = tuple(result.as_list())
    return memo[key]


def _dummy(t):
    """An array with t's static shape and dtype (for ops that only look at those)."""
    return xp.broadcast_to(xp.zeros((), t._dtype._np or object), tuple(t._shape))


def _as_dtype(arr, dtype):
    np_t = dtype._np
    arr = xp.asarray(arr)
    if np_t is not None and arr.dtype != np_t:
        arr = arr.astype(np_t)
    return arr


def evaluate(tensor, guard=True):
    """The value of a symbolic tensor computed now, while tracing, from what is known: constants,
    variables' current values, fully defined shapes, and the actual arguments of the call being
    traced (``examples``).

    Used where TF needs a host value at graph-construction time: op attributes that tensorlet
    takes as static values (shapes, axes, sizes), and work TF lifts out of a function
    (``tf.Variable`` initial values).  A value read from an argument is recorded in
    ``graph.value_guards`` (``guard=True``): the trace is then valid only for calls with that
    argument value, and ``tf.function`` traces again for other values instead of reusing a graph
    that baked the first value in.  Variable initial values (``guard=False``) run once, as TF's
    lifted initializers do.  Raises ``ValueError`` when a value depends on an argument with no
    example (``get_concrete_function`` with TensorSpecs) or on a nested graph's input.
    """
    if tensor._const is not None:
        return tensor._const
    graph = tensor._op.graph
    examples = getattr(graph, "_examples", {})
    needed, stack = set(), [tensor._op]
    shape_only = {}  # node id -> (input shapes re-inferred from the examples' shapes, guards)
    while stack:
        n = stack.pop()
        if id(n) in needed:
            continue
        if n.op is graph_ops.placeholder_op and id(n.outputs[0]) not in examples:
            raise ValueError(
                f"{tensor!r} depends on a function input: its value is not known "
                "while tracing (create variables from values known outside the "
                "function)."
            )
        needed.add(id(n))
        if n.op.name in _SHAPE_ONLY and all(
            t._shape.is_fully_defined() or _example_of(t, examples) is not None for t in n.inputs
        ):
            continue
        if n.op.name in _SHAPE_ONLY and examples:
            guards, memo = {}, {}
            shapes = [_run_time_shape(t, examples, guards, memo) for t in n.inputs]
            if all(sh is not None for sh in shapes):
                shape_only[id(n)] = (shapes, guards)
                continue
        stack.extend(t._op for t in n.inputs)
    values = {}
    for n in graph._nodes:
        if id(n) not in needed:
            continue
        if n.op is graph_ops.placeholder_op:
            pos, value = examples[id(n.outputs[0])]
            if guard:
                graph.value_guards[pos] = value
            res = (value,)
        elif n.op is graph_ops.read_variable_op:
            res = (n.variable._value,)
        elif n.op is graph_ops.const_op:
            res = (n.attrs["value"],)
        elif id(n) in shape_only:
            shapes, guards = shape_only[id(n)]
            if guard:
                for pos, shape in guards.items():
                    if not isinstance(graph.value_guards.get(pos), xp.ndarray):
                        graph.value_guards[pos] = ShapeGuard(shape)
            ins = [xp.broadcast_to(xp.zeros((), t._dtype._np or object), sh)
                   for t, sh in zip(n.inputs, shapes)]
            r = n.op.forward(*ins, **n.attrs)
            res = (r,) if n.op.num_outputs == 1 else r
        else:
            if n.op.name in _SHAPE_ONLY and all(
                t._shape.is_fully_defined() or _example_of(t, examples) is not None
                for t in n.inputs
            ):
                # only the shapes matter: an argument's run-time shape is guarded, not its value
                ins = []
                for t in n.inputs:
                    if t._shape.is_fully_defined():
                        ins.append(_dummy(t))
                        continue
                    pos, value = _example_of(t, examples)
                    if guard and not isinstance(graph.value_guards.get(pos), xp.ndarray):
                        graph.value_guards[pos] = ShapeGuard(value.shape)
                    ins.append(xp.broadcast_to(xp.zeros((), value.dtype), value.shape))
            else:
                ins = [values[id(t)] for t in n.inputs]
            r = n.op.forward(*ins, **n.attrs)
            res = (r,) if n.op.num_outputs == 1 else r
        for t, r in zip(n.outputs, res):
            values[id(t)] = _as_dtype(r, t._dtype)
    return values[id(tensor)]


def _symbolic_value(self):
    """``t._value`` of a symbolic tensor: its value when computable at trace time."""
    try:
        return evaluate(self)
    except ValueError as e:
        raise AttributeError(f"{self!r} has no value while tracing: {e}") from None


SymbolicTensor._value = property(_symbolic_value)
SymbolicTensor._lifted_value = lambda self: evaluate(self, guard=False)


# ---------------------------------------------------------------- tracing


@contextlib.contextmanager
def tracing(graph):
    """Makes ``graph`` the graph ops go to; tapes from outside the trace are hidden."""
    prev_graph, prev_tapes = state.graph, state.tapes
    state.graph, state.tapes = graph, []
    try:
        yield graph
    finally:
        state.graph, state.tapes = prev_graph, prev_tapes


def _peek_variable_uid():
    """The next variable number (variables.py numbers variables with an itertools.count, whose
    repr is ``count(N)``): comparing it before and after a trace tells if variables were made."""
    from tensorlet.framework import variables

    return int(repr(variables._uid)[6:-1])


def _is_tensor_leaf(x):
    return isinstance(x, Tensor) or _is_spec(x) or type(x) is xp.ndarray


def _is_spec(x):
    return getattr(x, "_is_tensor_spec", False)


def placeholders_for(graph, structure, names=None, examples=None):
    """``structure`` with each tensor / TensorSpec leaf replaced by a new placeholder of graph.

    ``examples``: the call's actual tensors, one per tensor leaf; while tracing they give values
    to work lifted out of the function (variable initial values computed from the arguments).
    """
    flat = nest.flatten(structure)
    out = []
    examples = list(examples) if examples is not None else None
    pos = -1  # the tensor leaf's position among the call's flat tensors
    for i, leaf in enumerate(flat):
        if _is_tensor_leaf(leaf):
            pos += 1
            if type(leaf) is xp.ndarray:
                leaf = convert_to_tensor(leaf)
            name = (
                names[i]
                if names is not None and names[i]
                else getattr(leaf, "name", None)
                if _is_spec(leaf)
                else None
            ) or "Placeholder"
            ph = graph.placeholder(leaf.dtype, leaf.shape, name=name)
            if examples:
                ex = examples.pop(0)
                if isinstance(ex, EagerTensor):
                    graph._examples[id(ph)] = (pos, ex._value)
            out.append(ph)
        else:
            out.append(leaf)
    return nest.pack_sequence_as(structure, out)


def trace(
    python_function,
    args=(),
    kwargs=None,
    name=None,
    outer_graph=None,
    arg_names=None,
    allow_variable_creation=True,
    graph=None,
    examples=None,
):
    """Traces ``python_function(*args, **kwargs)`` into a new ``FuncGraph`` (see module doc).

    ``outer_graph`` defaults to the graph being traced now (``None`` when eager).
    """
    kwargs = kwargs or {}
    if graph is None:
        graph = FuncGraph(
            name or getattr(python_function, "__name__", "func"),
            state.graph if outer_graph is None else outer_graph,
        )
    with tracing(graph):
        graph._examples = {}
        p_args, p_kwargs = placeholders_for(graph, (tuple(args), dict(kwargs)), arg_names, examples)
        uid = _peek_variable_uid()
        result = python_function(*p_args, **p_kwargs)
        created = _peek_variable_uid() - uid
        if created and not allow_variable_creation:
            raise ValueError(
                "tf.function only supports singleton tf.Variables created on the first call. Make "
                "sure the tf.Variable is only created once or created outside tf.function. See "
                "https://www.tensorflow.org/guide/function#creating_tfvariables for more "
                "information."
            )
        graph.created_variables = created
        graph.structured_input_signature = (p_args, p_kwargs)
        set_outputs(graph, result)
    graph._examples = {}
    return graph


def set_outputs(graph, result):
    """Sets ``graph.outputs`` / ``structured_outputs`` from what the function returned.

    As in TF, ``None`` stays ``None`` and every other leaf becomes a tensor of the graph.
    """
    out, outputs = [], []
    for leaf in nest.flatten(result):
        if leaf is not None:
            if getattr(leaf, "_is_variable", False):
                with graph.as_default():
                    leaf = leaf.value()
            elif not isinstance(leaf, Tensor):
                try:
                    leaf = convert_to_tensor(leaf)
                except (TypeError, ValueError):
                    raise TypeError(
                        "To be compatible with tf.function, Python functions must return zero or "
                        "more Tensors or ExtensionTypes or None values; in compilation of "
                        f"{graph.name}, found return value of type {type(leaf).__name__}, which is "
                        "not a Tensor or ExtensionType."
                    ) from None
            leaf = graph.capture(leaf)
            outputs.append(leaf)
        out.append(leaf)
    graph.outputs = outputs
    graph.structured_outputs = (
        nest.pack_sequence_as(result, out) if nest.is_nested(result) else out[0]
    )


__all__ = [
    "FuncGraph",
    "Graph",
    "InaccessibleTensorError",
    "Node",
    "evaluate",
    "placeholders_for",
    "set_outputs",
    "trace",
    "tracing",
]
