"""Runs a graph: generated straight-line Python over the nodes' ``OpDef.forward`` kernels.

``Executor(graph, inputs, outputs)`` is ``run(*arrays) -> tuple of arrays``. The first call is
interpreted node by node (``_interpret``): it checks every kernel result against the node's
dtype (and, in test mode, its static shape) and notes which nodes need a cast. Then the graph is
compiled to source text like::

    def run(a0, a1):
        o2 = F2(a0, a1)
        o3 = F3(o2, a0)
        return (o3,)

with kernels, attrs and constants bound as globals, so a call costs little more than the kernels.
Only nodes that reach an output or are stateful are emitted (stateful nodes in program order).
``ReadVariableOp`` becomes ``o4 = V4._value`` and a state op with ``node.variable`` set is followed
by ``V5._value = o5``. A kernel failure is mapped back (through the traceback's line number) to
its node and raised as TF's error, as ``apply`` does eagerly.

``replay(graph, inputs)`` runs a graph node by node through ``apply`` instead: eagerly under
active gradient tapes (which then record every op) and while tracing (inlining a graph).
"""

import sys

from tensorlet.backend import xp
from tensorlet.framework import errors
from tensorlet.framework.context import state
from tensorlet.framework.tensor import EagerTensor
from tensorlet.function import graph_ops
from tensorlet.ops.op_def import CHECKED, apply, kernel_error

_PLACEHOLDER, _CONST, _READ = (
    graph_ops.placeholder_op,
    graph_ops.const_op,
    graph_ops.read_variable_op,
)


def live_nodes(graph, outputs, targets=(), fed=(), all_stateful=True):
    """The nodes needed for ``outputs`` and ``targets`` (plus every stateful node when
    ``all_stateful``), in program order; tensors in ``fed`` are given, not computed."""
    fed_ids = {id(t) for t in fed}
    live = set()
    stack = [t._op for t in outputs if id(t) not in fed_ids] + list(targets)
    if all_stateful:
        stack.extend(n for n in graph._nodes if n.op.stateful and n.op is not _PLACEHOLDER)
    while stack:
        n = stack.pop()
        if id(n) in live:
            continue
        live.add(id(n))
        stack.extend(t._op for t in n.inputs if id(t) not in fed_ids)
    return [n for n in graph._nodes if id(n) in live]


class Executor:
    """Callable ``(*input arrays) -> tuple of output arrays`` for a graph.

    ``tensor_function(out_dtypes, pack)`` gives the compiled entry ``(*EagerTensors) -> result``
    that ``ConcreteFunction`` calls (unwrapping inputs and wrapping outputs inline; ``pack`` is
    None for a single output, else a function of the tuple of output tensors).
    """

    def __init__(self, graph, inputs, outputs, targets=(), all_stateful=True):
        self.graph = graph
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.nodes = live_nodes(graph, self.outputs, targets, self.inputs, all_stateful)
        self._casts = None  # ids of nodes whose kernel result needs a cast (after 1st run)
        self._fast = None
        self.source = None  # the generated Python source (after the first call)

    def __call__(self, *arrays):
        fast = self._fast
        if fast is not None and not state.check_infer:
            return fast(*arrays)
        result = self._interpret(arrays)
        if fast is None:
            self._compile()
        return result

    # ---- the interpreted (checked) run
    def _interpret(self, arrays):
        values = {id(t): a for t, a in zip(self.inputs, arrays)}
        casts = set()
        check = state.check_infer
        if check:  # test mode: fed values must fit the static shapes they stand for
            for t, a in zip(self.inputs, arrays):
                if not t._shape.is_compatible_with(xp.shape(a)):
                    raise AssertionError(f"{t.name}: fed shape {xp.shape(a)} for static {t._shape}")
                CHECKED.add(t._op.op.name)
        for n in self.nodes:
            op = n.op
            if n.outputs and all(id(t) in values for t in n.outputs):
                continue
            if op is _PLACEHOLDER:
                raise _unfed(n)
            if op is _CONST:
                res = (n.attrs["value"],)
            elif op is _READ:
                res = (n.variable._value,)
            else:
                ins = [values[id(t)] for t in n.inputs]
                try:
                    r = op.forward(*ins, **n.attrs)
                except errors.OpError:
                    raise
                except Exception as e:
                    raise _node_error(n, ins, e) from None
                res = (r,) if op.num_outputs == 1 else tuple(r)
            for t, r in zip(n.outputs, res):
                np_t = t._dtype._np
                if (type(r) is not xp.ndarray and not isinstance(r, xp.generic)) or (
                    np_t is not None and r.dtype != np_t
                ):
                    casts.add(id(n))
                    r = _cast(r, np_t)
                if check and not t._shape.is_compatible_with(xp.shape(r)):
                    raise AssertionError(
                        f"{n.name} ({op.name}): static shape {t._shape} but the "
                        f"kernel gave {xp.shape(r)}"
                    )
                values.setdefault(id(t), r)
            if n.variable is not None and op is not _READ:
                n.variable._value = values[id(n.outputs[0])]
            if check:
                CHECKED.add(op.name)
        self._casts = casts if self._casts is None else self._casts | casts
        return tuple(values[id(t)] for t in self.outputs)

    # ---- code generation
    def _compile(self):
        src, env = generate(self, self._casts or set())
        exec(compile(src, f"<tf.function {self.graph.name}>", "exec"), env)
        self.source = src
        self._fast = env["run"]

    def tensor_function(self, out_dtypes, pack):
        """The compiled ``(*tensors) -> result`` entry (compiles on first use)."""
        src, env = generate(self, self._casts or set(), out_dtypes, pack)
        exec(compile(src, f"<tf.function {self.graph.name}>", "exec"), env)
        if self.source is None:
            self.source = src
            self._fast = env["run"]
        return env["call"]


def generate(executor, casts, out_dtypes=None, pack=None):
    """(source, globals) of ``run(*arrays) -> tuple`` and, with ``out_dtypes``, of
    ``call(*tensors) -> result`` (EagerTensors in and out)."""
    names = {}
    env = {
        "__name__": __name__,  # warnings from generated code are attributed to tensorlet (silenced)
        "_cast": _cast,
        "_OpError": errors.OpError,
        "_EX": executor,
        "_new": object.__new__,
        "_ET": EagerTensor,
        "_pack": pack,
    }
    args = []
    for i, t in enumerate(executor.inputs):
        names[id(t)] = f"a{i}"
        args.append(f"a{i}")
    body, lines = [], {}
    for k, n in enumerate(executor.nodes):
        op = n.op
        if n.outputs and all(id(t) in names for t in n.outputs):
            continue  # fed
        if op is _PLACEHOLDER:
            raise _unfed(n)
        if op is _CONST:
            names[id(n.outputs[0])] = f"C{k}"
            env[f"C{k}"] = n.attrs["value"]
            continue
        outs = [f"o{k}" if len(n.outputs) == 1 else f"o{k}_{j}" for j in range(len(n.outputs))]
        if op is _READ:
            env[f"V{k}"] = n.variable
            body.append(f"o{k} = V{k}._value")
            names[id(n.outputs[0])] = f"o{k}"
            continue
        env[f"F{k}"] = op.forward
        ins = [names[id(t)] for t in n.inputs]
        call_args = list(ins)
        for key, value in n.attrs.items():
            env[f"K{k}_{key}"] = value
            call_args.append(f"{key}=K{k}_{key}")
        call = f"F{k}({', '.join(call_args)})"
        lines[len(body)] = (n, ins)
        if not outs:
            body.append(call)
        elif op.num_outputs == 1:
            body.append(f"{outs[0]} = {call}")
        else:
            body.append(f"{', '.join(outs)}, = {call}")
        if id(n) in casts:
            for j, (o, t) in enumerate(zip(outs, n.outputs)):
                env[f"D{k}_{j}"] = t._dtype._np
                body.append(f"{o} = _cast({o}, D{k}_{j})")
        if n.variable is not None:
            env[f"V{k}"] = n.variable
            body.append(f"V{k}._value = {outs[0]}")
        for t, o in zip(n.outputs, outs):
            names.setdefault(id(t), o)
    rets = [names[id(t)] for t in executor.outputs]
    env["_LINES"] = lines
    src = [f"def run({', '.join(args)}):", "    try:"]
    src += [f"        {b}" for b in body]
    src.append("        return (" + "".join(r + ", " for r in rets) + ")")
    src += _handler(len(src) - len(body) - 1, "run")
    if out_dtypes is not None:
        targs = [f"t{i}" for i in range(len(args))]
        src += ["", f"def call({', '.join(targs)}):", "    try:"]
        src += [f"        a{i} = t{i}._value" for i in range(len(args))]
        first = len(src)
        src += [f"        {b}" for b in body]
        for j, (r, d) in enumerate(zip(rets, out_dtypes)):
            env[f"DT{j}"] = d
            src += [
                f"        r{j} = _new(_ET)",
                f"        r{j}._value = {r}",
                f"        r{j}._dtype = DT{j}",
            ]
        if pack is None:
            src.append("        return r0" if rets else "        return None")
        else:
            src.append(
                "        return _pack((" + "".join(f"r{j}, " for j in range(len(rets))) + "))"
            )
        src += _handler(first, "call")
    return "\n".join(src) + "\n", env


def _handler(first_body_line, fn):
    """The except clause: maps the failing line (1-based) back to its node."""
    return [
        "    except _OpError:",
        "        raise",
        "    except Exception as e:",
        f"        raise _EX._error(e, _LINES, {first_body_line + 1}) from None",
    ]


def _cast(r, np_t):
    r = xp.asarray(r)
    return r if np_t is None or r.dtype == np_t else r.astype(np_t)


def _node_error(node, arrays, exc):
    inputs = [EagerTensor(xp.asarray(a), t._dtype) for a, t in zip(arrays, node.inputs)]
    return kernel_error(node.op, inputs, node.attrs, exc)


def _unfed(node):
    t = node.outputs[0]
    shape = (
        ""
        if t.shape.rank is None
        else " and shape [" + ",".join("?" if d is None else str(d) for d in t.shape) + "]"
    )
    return errors.InvalidArgumentError(
        None,
        None,
        f"You must feed a value for placeholder tensor '{node.name}' with dtype "
        f"{_TF_NAMES.get(t.dtype.name, t.dtype.name)}{shape}\n\t [[{{{{node "
        f"{node.name}}}}}]]",
    )


_TF_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _map_error(exc, lines, first_line):
    """TF's error for a kernel failure in generated code (found by the traceback line)."""
    tb = sys.exc_info()[2]
    frame_tb = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith("<tf.function"):
            frame_tb = tb
            break
        tb = tb.tb_next
    if frame_tb is None:
        return exc
    hit = lines.get(frame_tb.tb_lineno - first_line)
    if hit is None:
        return exc
    node, ins = hit
    local, env = frame_tb.tb_frame.f_locals, frame_tb.tb_frame.f_globals
    return _node_error(node, [local[i] if i in local else env[i] for i in ins], exc)


Executor._error = staticmethod(_map_error)


# ---------------------------------------------------------------- node-by-node through apply


def replay(graph, inputs, outputs=None):
    """Runs ``graph`` on tensors ``inputs`` (for ``graph.inputs``) through ``apply``.

    Eagerly, active tapes record every op (gradients through a function call); while tracing,
    the nodes are re-created in the current graph (inlining). Returns the output tensors.
    """
    outputs = graph.outputs if outputs is None else outputs
    values = {id(t): x for t, x in zip(graph.inputs, inputs)}
    eager_calls = _eager_calls() if state.graph is None else {}
    for n in live_nodes(graph, outputs):
        op = n.op
        if op is _PLACEHOLDER:
            continue
        if op is _CONST:
            res = (EagerTensor(n.attrs["value"], n.attrs["dtype"]),)
        elif op is _READ:
            res = (n.variable.value(),)
        elif op in eager_calls:  # control flow: its sub-graphs' ops, one by one, for the tapes
            res = tuple(eager_calls[op]([values[id(t)] for t in n.inputs], n.attrs))
        else:
            r = apply(op, *[values[id(t)] for t in n.inputs], **n.attrs)
            res = (r,) if op.num_outputs == 1 else tuple(r)
            if n.variable is not None:
                n.variable._write(res[0])
        for t, r in zip(n.outputs, res):
            values[id(t)] = r
    return [values[id(t)] for t in outputs]


_EAGER_CALLS = None


def _eager_calls():
    """{OpDef: fn(input tensors, attrs) -> output tensors} of ops that run sub-graphs
    (``control_flow_v2.EAGER_CALLS``): replayed op by op, so tapes see the ops inside."""
    global _EAGER_CALLS
    if _EAGER_CALLS is None:
        try:
            from tensorlet.ops.control_flow_v2 import EAGER_CALLS
        except Exception:  # not there (yet): control flow nodes run through apply
            return {}
        _EAGER_CALLS = EAGER_CALLS
    return _EAGER_CALLS


def dump_graph(graph):
    """One line per node: ``name = Type(inputs) {attrs}`` (Const values abbreviated)."""
    out = []
    for n in graph._nodes:
        attrs = {
            k: ("<array %s>" % (xp.shape(v),) if k == "value" else v) for k, v in n.attrs.items()
        }
        outs = ", ".join(f"{t.name}: {t.dtype.name}{t.shape}" for t in n.outputs)
        var = f" var={n.variable.name}" if n.variable is not None else ""
        ins = ", ".join(t.name for t in n.inputs)
        out.append(f"{n.name} = {n.op.name}({ins}) {attrs}{var} -> [{outs}]")
    return "\n".join(out)


__all__ = ["Executor", "dump_graph", "generate", "live_nodes", "replay"]
