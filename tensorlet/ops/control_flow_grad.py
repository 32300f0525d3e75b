"""Gradients of the control-flow nodes (``If``/``Case``/``While``) and their op-by-op replays.

A gradient recomputes the sub-graph under a nested tape (``_pure_replay``: only the nodes the
outputs need, variable writes skipped): eagerly the taken branch or the executed iterations;
while tracing, a ``cond`` over per-branch gradients and, for ``While``, a forward loop that stores
each iteration's loop variables in TensorArrays followed by a reverse loop applying the body's
vector-Jacobian product. Node inputs past the captures are reads of the variables the sub-graphs
use: their gradients go to those variables.

``if_eager``/``case_eager``/``while_eager`` run a node's sub-graphs through ``apply`` op by op
(``control_flow_v2.EAGER_CALLS``), so a tape around a replayed graph records the ops inside.
"""
from tensorlet.framework import dtypes
from tensorlet.framework.context import state
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops.op_def import apply

D = dtypes


def _executor():
    from tensorlet.function import executor, graph_ops
    return executor, graph_ops


def _differentiable(dtype):
    from tensorlet.autodiff import backprop
    return backprop._differentiable(dtype)


# ---------------------------------------------------------------- replays

def _pure_replay(graph, inputs):
    """Runs ``graph``'s outputs from ``inputs`` through ``apply`` (recorded by tapes, inlined
    while tracing); stateful nodes not needed for the outputs and variable writes are skipped."""
    executor, graph_ops = _executor()
    values = {id(t): x for t, x in zip(graph.inputs, inputs)}
    for n in executor.live_nodes(graph, graph.outputs, fed=graph.inputs, all_stateful=False):
        op = n.op
        if op is graph_ops.placeholder_op:
            continue
        if op is graph_ops.const_op:
            res = (EagerTensor(n.attrs["value"], n.attrs["dtype"]),)
        elif op is graph_ops.read_variable_op:
            res = (n.variable.value(),)
        else:
            r = apply(op, *[values[id(t)] for t in n.inputs], **n.attrs)
            res = (r,) if op.num_outputs == 1 else tuple(r)
        for t, r in zip(n.outputs, res):
            values[id(t)] = r
    return [values[id(t)] for t in graph.outputs]


def _replay(graph, inputs):
    return _executor()[0].replay(graph, inputs)


# ---- eager calls: the same nodes run op by op (for a replaying executor under a tape)

def if_eager(inputs, attrs):
    caps = inputs[1:1 + attrs["n_caps"]]
    k = 0 if bool(inputs[0].numpy()) else 1
    return _replay(attrs["branches"][k], [caps[i] for i in attrs["idx"][k]])


def case_eager(inputs, attrs):
    caps = inputs[1:1 + attrs["n_caps"]]
    branches = attrs["branches"]
    k = int(inputs[0].numpy())
    if k < 0 or k >= len(branches):
        k = len(branches) - 1
    return _replay(branches[k], [caps[i] for i in attrs["idx"][k]])


def while_eager(inputs, attrs):
    n, n_caps = attrs["n"], attrs["n_caps"]
    vals = list(inputs[:n])
    caps = inputs[n:n + n_caps]
    cc = [caps[i] for i in attrs["cond_idx"]]
    bc = [caps[i] for i in attrs["body_idx"]]
    while bool(_replay(attrs["cond_graph"], vals + cc)[0].numpy()):
        vals = _replay(attrs["body_graph"], vals + bc)
    return vals


# ---------------------------------------------------------------- gradients

def _dense(g):
    from tensorlet.framework.indexed_slices import IndexedSlices
    return convert_to_tensor(g) if isinstance(g, IndexedSlices) else g


def _identity(t):
    """``t`` as a tensor of the graph being built (a capture), to watch on a nested tape."""
    g = state.graph
    return t if g is None else g.capture(t)


def _zeros_like(t):
    if t.dtype == D.variant:  # a TensorList gradient: the empty list stands for zeros
        from tensorlet.ops import list_ops
        return list_ops.zero_list()
    from tensorlet.ops import array_ops
    return array_ops.zeros_like(t)


def _add(a, b):
    if a.dtype == D.variant:
        from tensorlet.ops import list_ops
        return list_ops.add_lists(a, b)
    return a + b


def _gradient(tape, targets, sources, ups):
    """``tape.gradient`` with zeros (of the right kind) for unconnected sources, dense.

    A tensor fed to several inputs of the node gets its whole gradient at its first position
    and zeros at the others (the tape sums the node's input gradients per tensor)."""
    first = {}
    unique = [first.setdefault(id(s), s) for s in sources if id(s) not in first]
    grads = dict(zip(map(id, unique), tape.gradient(targets, unique, output_gradients=ups)))
    out, seen = [], set()
    for s in sources:
        g = grads[id(s)] if id(s) not in seen else None
        seen.add(id(s))
        out.append(_zeros_like(s.value() if getattr(type(s), "_is_variable", False) else s)
                   if g is None else _dense(g))
    return out


def _tape(**kw):
    from tensorlet.autodiff.gradient_tape import GradientTape
    return GradientTape(**kw)


def _branch_grads(op, dys, select):
    """Gradient of If/Case: per-branch gradients of the recomputed branch, selected at run time."""
    attrs = op.attrs
    n_caps = attrs["n_caps"]
    caps = list(op.inputs[1:1 + n_caps])
    variables = attrs["variables"].items
    diff = [i for i, c in enumerate(caps) if _differentiable(c.dtype)]
    sel = [j for j, (d, o) in enumerate(zip(dys, op.outputs))
           if d is not None and _differentiable(o.dtype)]
    result = [None] * len(op.inputs)
    if not sel or not (diff or variables):
        return result
    ups = [dys[j] for j in sel]

    def make(k):
        graph, idx = attrs["branches"][k], attrs["idx"][k]

        def fn():
            local = [_identity(c) if i in diff else c for i, c in enumerate(caps)]
            with _tape(watch_accessed_variables=False) as tape:
                for i in diff:
                    tape.watch(local[i])
                for v in variables:
                    tape.watch(v)
                outs = _pure_replay(graph, [local[i] for i in idx])
            return _gradient(tape, [outs[j] for j in sel],
                             [local[i] for i in diff] + list(variables), ups)

        return fn

    grads = select([make(k) for k in range(len(attrs["branches"]))])
    for k, i in enumerate(diff):
        result[1 + i] = grads[k]
    for k in range(len(variables)):
        result[1 + n_caps + k] = grads[len(diff) + k]
    return result


def if_grad(op, *dys):
    from tensorlet.ops import control_flow_ops
    pred = op.inputs[0]
    return _branch_grads(op, dys, lambda fns: control_flow_ops.cond_v1(
        pred, fns[0], fns[1], strict=True))


def case_grad(op, *dys):
    from tensorlet.ops import control_flow_ops
    index = op.inputs[0]
    return _branch_grads(op, dys, lambda fns: control_flow_ops.switch_case(index, fns))


def while_grad(op, *dys):
    attrs = op.attrs
    n, n_caps = attrs["n"], attrs["n_caps"]
    vals0 = list(op.inputs[:n])
    caps = list(op.inputs[n:n + n_caps])
    variables = list(attrs["variables"].items)
    dv = [i for i in range(n) if _differentiable(vals0[i].dtype)]
    dc = [i for i, c in enumerate(caps) if _differentiable(c.dtype)]
    sel = [j for j in dv if dys[j] is not None]
    result = [None] * len(op.inputs)
    if not sel:
        return result
    ups = [dys[j] if dys[j] is not None else _zeros_like(op.outputs[j]) for j in dv]
    eager = state.graph is None and all(isinstance(u, EagerTensor) for u in ups)
    impl = _while_grad_eager if eager else _while_grad_graph
    g_vals, g_caps, g_vars = impl(op, attrs, vals0, caps, variables, dv, dc, ups)
    for k, i in enumerate(dv):
        result[i] = g_vals[k]
    for k, i in enumerate(dc):
        result[n + i] = g_caps[k]
    for k in range(len(variables)):
        result[n + n_caps + k] = g_vars[k]
    return result


def _while_grad_eager(op, attrs, vals0, caps, variables, dv, dc, ups):
    local_vals = [_identity(v) if i in dv else v for i, v in enumerate(vals0)]
    local_caps = [_identity(c) if i in dc else c for i, c in enumerate(caps)]
    cc = [local_caps[i] for i in attrs["cond_idx"]]
    bc = [local_caps[i] for i in attrs["body_idx"]]
    with _tape(watch_accessed_variables=False) as tape:
        for i in dv:
            tape.watch(local_vals[i])
        for i in dc:
            tape.watch(local_caps[i])
        for v in variables:
            tape.watch(v)
        vals = local_vals
        while bool(_pure_replay(attrs["cond_graph"], vals + cc)[0].numpy()):
            vals = _pure_replay(attrs["body_graph"], vals + bc)
    sources = [local_vals[i] for i in dv] + [local_caps[i] for i in dc] + variables
    grads = _gradient(tape, [vals[j] for j in dv], sources, ups)
    return grads[:len(dv)], grads[len(dv):len(dv) + len(dc)], grads[len(dv) + len(dc):]


def _while_grad_graph(op, attrs, vals0, caps, variables, dv, dc, ups):
    """Traced gradient: a forward loop records every iteration's loop variables in
    TensorArrays, then a reverse loop applies the body's VJP iteration by iteration."""
    from tensorlet.ops import control_flow_ops, tensor_array_ops
    n = attrs["n"]
    cond_graph, body_graph = attrs["cond_graph"], attrs["body_graph"]
    shapes = [o.shape for o in op.outputs]
    cc = [caps[i] for i in attrs["cond_idx"]]
    bc = [caps[i] for i in attrs["body_idx"]]
    tas = [tensor_array_ops.TensorArray(v.dtype, size=0, dynamic_size=True, infer_shape=False,
                                        element_shape=shapes[i]) for i, v in enumerate(vals0)]

    def fcond(k, vals, tas):
        return _pure_replay(cond_graph, list(vals) + cc)[0]

    def fbody(k, vals, tas):
        tas = [ta.write(k, v) for ta, v in zip(tas, vals)]
        return k + 1, _pure_replay(body_graph, list(vals) + bc), tas

    count, _, tas = control_flow_ops.while_loop(
        fcond, fbody, (0, list(vals0), tas),
        shape_invariants=(TensorShape([]), shapes, [TensorShape(None)] * n))
    g_caps0 = [_zeros_like(caps[i]) for i in dc]
    g_vars0 = [_zeros_like(v.value()) for v in variables]

    def bcond(j, gv, gc, gw):
        return j > 0

    def bbody(j, gv, gc, gw):
        j = j - 1
        vals = [ta.read(j) for ta in tas]
        local = [_identity(v) if i in dv else v for i, v in enumerate(vals)]
        lcaps = [_identity(c) if i in dc else c for i, c in enumerate(caps)]
        with _tape(watch_accessed_variables=False) as tape:
            for i in dv:
                tape.watch(local[i])
            for i in dc:
                tape.watch(lcaps[i])
            for v in variables:
                tape.watch(v)
            new = _pure_replay(body_graph, local + [lcaps[i] for i in attrs["body_idx"]])
        srcs = [local[i] for i in dv] + [lcaps[i] for i in dc] + variables
        grads = _gradient(tape, [new[i] for i in dv], srcs, list(gv))
        nv, nc = len(dv), len(dc)
        gc = [_add(a, b) for a, b in zip(gc, grads[nv:nv + nc])]
        gw = [_add(a, b) for a, b in zip(gw, grads[nv + nc:])]
        return j, grads[:nv], gc, gw

    _, g_vals, g_caps, g_vars = control_flow_ops.while_loop(
        bcond, bbody, (count, list(ups), g_caps0, g_vars0),
        shape_invariants=(TensorShape([]), [shapes[i] for i in dv],
                          [caps[i].shape for i in dc], [v.shape for v in variables]))
    return g_vals, g_caps, g_vars



__all__ = ["case_eager", "case_grad", "if_eager", "if_grad", "while_eager", "while_grad"]
