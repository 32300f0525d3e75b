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
from tensorlet.ops.op_def import apply, kernel_error

_PLACEHOLDER, _CONST, _READ = graph_ops.placeholder_op, graph_ops.const_op, graph_ops.read_variable_op


def live_nodes(graph, outputs):
    """The nodes needed for ``outputs`` plus every stateful node, in program order."""
    live = set()
    stack = [t._op for t in outputs]
    stack.extend(n for n in graph._nodes if n.op.stateful and n.op is not _PLACEHOLDER)
    while stack:
        n = stack.pop()
        if id(n) in live:
            continue
        live.add(id(n))
        stack.extend(t._op for t in n.inputs)
    return [n for n in graph._nodes if id(n) in live]


class Executor:
    """Callable ``(*input arrays) -> tuple of output arrays`` for a graph."""

    def __init__(self, graph, inputs, outputs):
        self.graph = graph
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.nodes = live_nodes(graph, self.outputs)
        self._casts = None     # ids of nodes whose kernel result needs a cast (after 1st run)
        self._fast = None
        self.source = None     # the generated Python source (after the first call)

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
        for n in self.nodes:
            op = n.op
            if op is _PLACEHOLDER:
                if id(n.outputs[0]) not in values:
                    raise errors.InvalidArgumentError(
                        None, None, f"You must feed a value for placeholder tensor '{n.name}' with "
                                    f"dtype {n.outputs[0].dtype.name}")
                continue
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
                if type(r) is not xp.ndarray and not isinstance(r, xp.generic) or (
                        np_t is not None and r.dtype != np_t):
                    casts.add(id(n))
                    r = _cast(r, np_t)
                if state.check_infer and not t._shape.is_compatible_with(xp.shape(r)):
                    raise AssertionError(f"{n.name} ({op.name}): static shape {t._shape} but the "
                                         f"kernel gave {xp.shape(r)}")
                values[id(t)] = r
            if n.variable is not None and op is not _READ:
                n.variable._value = values[id(n.outputs[0])]
        if self._casts is None:
            self._casts = casts
        else:
            self._casts |= casts
        return tuple(values[id(t)] for t in self.outputs)

    # ---- code generation
    def _compile(self):
        src, env, lines = generate(self, self._casts or set())
        code = compile(src, f"<tf.function {self.graph.name}>", "exec")
        exec(code, env)
        run = env["run"]
        run_lines = lines

        def fast(*arrays):
            try:
                return run(*arrays)
            except errors.OpError:
                raise
            except Exception as e:
                raise _map_error(e, run_lines, self) from None

        self.source = src
        self._fast = fast


def generate(executor, casts):
    """(source, globals, {line number: (node, input names)}) of the executor's run function."""
    names = {}
    env = {"_cast": _cast}
    args = []
    for i, t in enumerate(executor.inputs):
        names[id(t)] = f"a{i}"
        args.append(f"a{i}")
    body, lines = [], {}
    for k, n in enumerate(executor.nodes):
        op = n.op
        if op is _PLACEHOLDER:
            if id(n.outputs[0]) not in names:  # an unfed placeholder: fails when reached
                raise errors.InvalidArgumentError(
                    None, None, f"You must feed a value for placeholder tensor '{n.name}' with "
                                f"dtype {n.outputs[0].dtype.name}")
            continue
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
        lines[len(body) + 2] = (n, ins)
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
            names[id(t)] = o
    rets = [names[id(t)] for t in executor.outputs]
    ret = "(" + "".join(r + ", " for r in rets) + ")"
    src = f"def run({', '.join(args)}):\n" + "".join(f"    {b}\n" for b in body)
    src += f"    return {ret}\n"
    return src, env, lines


def _cast(r, np_t):
    r = xp.asarray(r)
    return r if np_t is None or r.dtype == np_t else r.astype(np_t)


def _node_error(node, arrays, exc):
    inputs = [EagerTensor(xp.asarray(a), t._dtype) for a, t in zip(arrays, node.inputs)]
    return kernel_error(node.op, inputs, node.attrs, exc)


def _map_error(exc, lines, executor):
    tb = sys.exc_info()[2]
    frame_tb = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith("<tf.function"):
            frame_tb = tb
        tb = tb.tb_next
    if frame_tb is None:
        return exc
    hit = lines.get(frame_tb.tb_lineno)
    if hit is None:
        return exc
    node, ins = hit
    local = frame_tb.tb_frame.f_locals
    env = frame_tb.tb_frame.f_globals
    arrays = [local[i] if i in local else env[i] for i in ins]
    return _node_error(node, arrays, exc)


# ---------------------------------------------------------------- node-by-node through apply

def replay(graph, inputs, outputs=None):
    """Runs ``graph`` on tensors ``inputs`` (for ``graph.inputs``) through ``apply``.

    Eagerly, active tapes record every op (gradients through a function call); while tracing,
    the nodes are re-created in the current graph (inlining). Returns the output tensors.
    """
    outputs = graph.outputs if outputs is None else outputs
    values = {id(t): x for t, x in zip(graph.inputs, inputs)}
    for n in live_nodes(graph, outputs):
        op = n.op
        if op is _PLACEHOLDER:
            continue
        if op is _CONST:
            res = (EagerTensor(n.attrs["value"], n.attrs["dtype"]),)
        elif op is _READ:
            res = (n.variable.value(),)
        else:
            r = apply(op, *[values[id(t)] for t in n.inputs], **n.attrs)
            res = (r,) if op.num_outputs == 1 else tuple(r)
            if n.variable is not None:
                n.variable._write(res[0])
        for t, r in zip(n.outputs, res):
            values[id(t)] = r
    return [values[id(t)] for t in outputs]


def dump_graph(graph):
    """One line per node: ``name = Type(inputs) {attrs}`` (Const values abbreviated)."""
    out = []
    for n in graph._nodes:
        attrs = {k: ("<array %s>" % (xp.shape(v),) if k == "value" else v)
                 for k, v in n.attrs.items()}
        outs = ", ".join(f"{t.name}: {t.dtype.name}{t.shape}" for t in n.outputs)
        var = f" var={n.variable.name}" if n.variable is not None else ""
        ins = ", ".join(t.name for t in n.inputs)
        out.append(f"{n.name} = {n.op.name}({ins}) {attrs}{var} -> [{outs}]")
    return "\n".join(out)


__all__ = ["Executor", "replay", "generate", "live_nodes", "dump_graph"]
