"""Control flow inside graphs: ``If``/``Case``/``While`` nodes whose attrs are traced sub-graphs.

``tf.cond`` traces both branches into ``FuncGraph``s and adds one ``If`` node (``StatelessIf``
when no branch holds a stateful node); ``tf.switch_case`` adds a ``Case``; ``tf.while_loop``
traces ``cond`` and ``body`` with the loop variables as placeholders and adds a ``While`` whose
kernel loops over the sub-graph executors. Node inputs are the predicate / loop variables, then
the tensors the sub-graphs capture, then one read of each float variable the sub-graphs use
(so a gradient tape can link the node to those variables).

Gradients recompute the sub-graph under a nested tape (``_pure_replay``: only the nodes the
outputs need, variable writes skipped): eagerly the taken branch or the executed iterations,
while tracing a ``cond`` over per-branch gradients and, for ``While``, a forward loop that stores
each iteration's inputs in TensorArrays followed by a reverse loop.
``EAGER_CALLS`` runs the same nodes through ``apply`` op by op, for executors that replay a graph
under an active tape (the tape then records the ops inside the branches and bodies).
"""
import contextlib

from tensorlet.framework import dtypes, errors, nest
from tensorlet.framework.context import state
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape, as_shape
from tensorlet.ops.op_def import apply, defop

D = dtypes
_COND, _CASE = 1, 2


def _fg():
    from tensorlet.function import func_graph
    return func_graph


def _executor():
    from tensorlet.function import executor, graph_ops
    return executor, graph_ops


class _Objects:
    """A tuple of Python objects usable as an attr (hashed by identity)."""

    __slots__ = ("items",)

    def __init__(self, items):
        self.items = tuple(items)

    def __repr__(self):
        return f"<{len(self.items)} objects>"


# ---------------------------------------------------------------- branch and body graphs

_GRAPH_CLASS = None


def _graph_class():
    """``FuncGraph`` whose captures reach tensors of any enclosing graph (a branch nested in a
    loop body nested in a function captures through every level, as TF's control-flow graphs)."""
    global _GRAPH_CLASS
    if _GRAPH_CLASS is None:
        fg = _fg()

        class ControlFlowGraph(fg.FuncGraph):
            def _capture_symbolic(self, tensor):
                outer = self.outer_graph
                if outer is None or not tensor._op.graph.is_ancestor_of(outer):
                    raise fg.InaccessibleTensorError(
                        f"{tensor!r} is out of scope and cannot be used here. Use return values, "
                        "explicit Python locals or TensorFlow collections to access it.")
                if tensor._const is not None:
                    return self.constant(tensor._const, tensor._dtype)
                if tensor._op.graph is not outer:
                    tensor = outer.capture(tensor)
                internal = self.placeholder(tensor._dtype, tensor._shape, name=tensor._op.name)
                self.captures.append((tensor, internal))
                return internal

        _GRAPH_CLASS = ControlFlowGraph
    return _GRAPH_CLASS


def _trace(fn, args=(), name="graph"):
    return _fg().trace(fn, args, name=name, graph=_graph_class()(name, state.graph))


def scratch_graph():
    """A throwaway graph to trace into (TF's ``FuncGraph('tmp')``): ops go there, not here."""
    return _fg().tracing(_graph_class()("tmp", state.graph))


def placeholder(dtype, shape):
    return state.graph.placeholder(dtype, shape)


def no_op(name=None):
    """``tf.no_op``/``tf.group`` in a graph: nodes already run in program order, so nothing."""
    return


def _dims(shape):
    shape = as_shape(shape)
    return None if shape.rank is None else tuple(shape.dims)


def _shape(dims):
    return TensorShape(None) if dims is None else TensorShape(list(dims))


def _differentiable(dtype):
    from tensorlet.autodiff import backprop
    return backprop._differentiable(dtype)


def _is_tensor_array(x):
    return getattr(type(x), "_is_tensor_array", False)


def _name(t):
    try:
        return t.name
    except AttributeError:
        return repr(t)


def _is_subshape(left, right):
    if right.rank is None:
        return True
    if left.rank != right.rank:
        return False
    return all(r is None or l_ == r for l_, r in zip(left.dims, right.dims))


# ---------------------------------------------------------------- node rules and kernels

def _out_dtypes(op, inputs, attrs):
    return attrs["Tout"]


def _out_shapes(op, inputs, attrs):
    return tuple(_shape(s) for s in attrs["output_shapes"])


def _if_shapes(op, inputs, attrs):
    rank = inputs[0].shape.rank
    if rank is not None and rank != 0:
        raise errors.op_error(errors.InvalidArgumentError, op.name,
                              f"Shape must be rank 0 but is rank {rank}")
    return _out_shapes(op, inputs, attrs)


def _case_shapes(op, inputs, attrs):
    rank = inputs[0].shape.rank
    if rank is not None and rank != 0:
        raise errors.op_error(errors.InvalidArgumentError, op.name,
                              f"Shape must be rank 0 but is rank {rank}")
    return _out_shapes(op, inputs, attrs)


def _if_forward(pred, *args, branches, idx, n_caps, Tout, output_shapes, variables):
    k = 0 if pred else 1
    caps = args[:n_caps]
    return branches[k].as_function()(*[caps[i] for i in idx[k]])


def _case_forward(index, *args, branches, idx, n_caps, Tout, output_shapes, variables):
    k = int(index)
    if k < 0 or k >= len(branches):
        k = len(branches) - 1
    caps = args[:n_caps]
    return branches[k].as_function()(*[caps[i] for i in idx[k]])


def _while_forward(*args, cond_graph, body_graph, n, cond_idx, body_idx, n_caps, Tout,
                   output_shapes, variables):
    vals = args[:n]
    caps = args[n:n + n_caps]
    cc = tuple(caps[i] for i in cond_idx)
    bc = tuple(caps[i] for i in body_idx)
    cond_fn, body_fn = cond_graph.as_function(), body_graph.as_function()
    while cond_fn(*vals, *cc)[0]:
        vals = body_fn(*vals, *bc)
    return tuple(vals)


def _while_shapes(op, inputs, attrs):
    return _out_shapes(op, inputs, attrs)


# ---------------------------------------------------------------- replay

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

def _if_eager(inputs, attrs):
    caps = inputs[1:1 + attrs["n_caps"]]
    k = 0 if bool(inputs[0].numpy()) else 1
    return _replay(attrs["branches"][k], [caps[i] for i in attrs["idx"][k]])


def _case_eager(inputs, attrs):
    caps = inputs[1:1 + attrs["n_caps"]]
    branches = attrs["branches"]
    k = int(inputs[0].numpy())
    if k < 0 or k >= len(branches):
        k = len(branches) - 1
    return _replay(branches[k], [caps[i] for i in attrs["idx"][k]])


def _while_eager(inputs, attrs):
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


def _if_grad(op, *dys):
    from tensorlet.ops import control_flow_ops
    pred = op.inputs[0]
    return _branch_grads(op, dys, lambda fns: control_flow_ops.cond_v1(
        pred, fns[0], fns[1], strict=True))


def _case_grad(op, *dys):
    from tensorlet.ops import control_flow_ops
    index = op.inputs[0]
    return _branch_grads(op, dys, lambda fns: control_flow_ops.switch_case(index, fns))


def _while_grad(op, *dys):
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


# ---------------------------------------------------------------- the ops

def _defop(name, forward, shape_rule, grad, stateful):
    return defop(name, forward, dtype_rule=_out_dtypes, shape_rule=shape_rule, grad=grad,
                 stateful=stateful, num_outputs=None)


if_op = _defop("If", _if_forward, _if_shapes, _if_grad, True)
stateless_if_op = _defop("StatelessIf", _if_forward, _if_shapes, _if_grad, False)
case_op = _defop("Case", _case_forward, _case_shapes, _case_grad, True)
stateless_case_op = _defop("StatelessCase", _case_forward, _case_shapes, _case_grad, False)
while_op = _defop("While", _while_forward, _while_shapes, _while_grad, True)
stateless_while_op = _defop("StatelessWhile", _while_forward, _while_shapes, _while_grad, False)

def _assert_forward(condition, message):
    if not condition:
        raise errors.op_error(errors.InvalidArgumentError, "Assert",
                              f"assertion failed: [{message}]")
    return ()


# A run-time check inside graphs (AutoGraph's "loop must iterate at least once").
control_flow_assert_op = defop("ControlFlowAssert", _assert_forward,
                               dtype_rule=lambda op, inputs, attrs: (),
                               shape_rule=lambda op, inputs, attrs: (), stateful=True,
                               num_outputs=0)


def runtime_assert(condition, message):
    """Raises InvalidArgumentError(``assertion failed: [message]``) when the graph runs and
    ``condition`` is false."""
    apply(control_flow_assert_op, condition, message=message)


# opdef -> fn(input tensors, attrs) -> output tensors, running the sub-graphs op by op
EAGER_CALLS = {if_op: _if_eager, stateless_if_op: _if_eager, case_op: _case_eager,
               stateless_case_op: _case_eager, while_op: _while_eager,
               stateless_while_op: _while_eager}


# ---------------------------------------------------------------- building branch nodes

def _union_captures(graphs):
    union, index, idxs = [], {}, []
    for g in graphs:
        idx = []
        for outer, _ in g.captures:
            k = id(outer)
            if k not in index:
                index[k] = len(union)
                union.append(outer)
            idx.append(index[k])
        idxs.append(tuple(idx))
    return union, tuple(idxs)


def _variables(graphs):
    seen = {}
    for g in graphs:
        for k, v in g.variables.items():
            if v.dtype.is_floating or v.dtype.is_complex:
                seen.setdefault(k, v)
    return list(seen.values())


def _tokens(variables):
    return [v.value() for v in variables]


def _check_same_outputs(op_type, graphs):
    def error(b, detail):
        raise TypeError(
            "{b0} and {bn} arguments to {op} must have the same number, type, and overall "
            "structure of return values.\n\n{b0} output: {o0}\n{bn} output: {on}\n\nError "
            "details:\n{detail}".format(
                b0="true_fn" if op_type == _COND else "branches[0]",
                bn="false_fn" if op_type == _COND else f"branches[{b}]",
                op="tf.cond" if op_type == _COND else "tf.switch_case",
                o0=graphs[0].structured_outputs, on=graphs[b].structured_outputs,
                detail=detail))

    for b in range(1, len(graphs)):
        try:
            nest.assert_same_structure(graphs[0].structured_outputs, graphs[b].structured_outputs)
        except (ValueError, TypeError) as e:
            error(b, str(e))
        if len(graphs[0].outputs) != len(graphs[b].outputs):
            raise ValueError("Lengths of branch outputs of {} must match.\nlen(graphs[0].outputs): "
                             "{}\nlen(graphs[{}].outputs): {}\n".format(
                                 "cond" if op_type == _COND else "case", len(graphs[0].outputs),
                                 b, len(graphs[b].outputs)))
        for t0, tn in zip(graphs[0].outputs, graphs[b].outputs):
            if t0.dtype != tn.dtype:
                error(b, "%s and %s have different types" % (t0, tn))


def _pack_outputs(structured, outputs):
    """``structured`` (tensors and None) with its tensors replaced by ``outputs`` in order."""
    it = iter(outputs)
    flat = [None if leaf is None else next(it) for leaf in nest.flatten(structured)]
    if not nest.is_nested(structured):
        return flat[0]
    return nest.pack_sequence_as(structured, flat)


def _build_branches(ops, head, graphs, op_type):
    _check_same_outputs(op_type, graphs)
    union, idxs = _union_captures(graphs)
    variables = _variables(graphs)
    stateful = any(g.has_stateful_nodes() for g in graphs)
    shapes = []
    for outs in zip(*[g.outputs for g in graphs]):
        s = outs[0].shape
        for o in outs[1:]:
            s = s.most_specific_compatible_shape(o.shape)
        shapes.append(_dims(s))
    op = ops[1] if stateful else ops[0]
    outs = apply(op, head, *union, *_tokens(variables), branches=tuple(graphs), idx=idxs,
                 n_caps=len(union), Tout=tuple(t.dtype for t in graphs[0].outputs),
                 output_shapes=tuple(shapes), variables=_Objects(variables))
    return _pack_outputs(graphs[0].structured_outputs, outs)


def _trace_branch(fn, name):
    return _trace(fn, name=name)


def cond_v2(pred, true_fn, false_fn, name=None):
    """``tf.cond`` while tracing: one ``If`` node over the two traced branches."""
    if isinstance(pred, bool):
        raise TypeError("pred must not be a Python bool", pred)
    if not isinstance(pred, Tensor):
        pred = convert_to_tensor(pred)
    if pred.shape.rank is None or pred.shape.rank > 0:
        from tensorlet.ops import array_ops
        pred = array_ops.squeeze(pred)
    graphs = [_trace_branch(true_fn, "cond_true"), _trace_branch(false_fn, "cond_false")]
    return _build_branches((stateless_if_op, if_op), pred, graphs, _COND)


def indexed_case(branch_index, branch_fns, name=None):
    """``tf.switch_case`` while tracing: one ``Case`` node over the traced branches."""
    graphs = [_trace_branch(fn, f"branch{i}") for i, fn in enumerate(branch_fns)]
    return _build_branches((stateless_case_op, case_op), branch_index, graphs, _CASE)


# ---------------------------------------------------------------- while

def _flow_or_tensor(x):
    if _is_tensor_array(x):
        return x.flow
    t = x if isinstance(x, Tensor) else convert_to_tensor(x)
    return state.graph.capture(t) if state.graph is not None else t


def _rebuild(orig_leaf, t):
    if _is_tensor_array(orig_leaf):
        return orig_leaf._implementation._with_flow(t) if hasattr(
            orig_leaf._implementation, "_with_flow") else _ta_from_flow(orig_leaf, t)
    return t


def _ta_from_flow(ta, flow):
    from tensorlet.ops.tensor_array_ops import TensorArray
    new = TensorArray(ta.dtype, flow=flow, infer_shape=ta._infer_shape)
    impl = new._implementation
    impl._dynamic_size = ta.dynamic_size
    impl._element_shape = [ta.element_shape]
    return new


def _pack(structure, flat_orig, flat):
    return nest.pack_sequence_as(structure, [_rebuild(o, t) for o, t in zip(flat_orig, flat)])


def _spec(t, invariant):
    from tensorlet.framework.tensor_spec import TensorSpec
    shape = t.shape if invariant is None or t.dtype == D.variant else as_shape(invariant)
    return TensorSpec(shape, t.dtype)


def while_loop(cond, body, loop_vars, shape_invariants=None, maximum_iterations=None, name=None,
               return_same_structure=True, back_prop=True):
    """``tf.while_loop`` while tracing: one ``While`` node over the traced ``cond``/``body``."""
    from tensorlet.ops import array_ops, comparison_ops
    orig = loop_vars
    flat_orig = nest.flatten(orig)
    flat = [_flow_or_tensor(x) for x in flat_orig]
    if shape_invariants is not None:
        flat_inv = _flat_invariants(orig, shape_invariants)
    else:
        flat_inv = [None] * len(flat)
    specs = [_spec(t, i) for t, i in zip(flat, flat_inv)]
    max_iter = convert_to_tensor(-1 if maximum_iterations is None else maximum_iterations,
                                 D.int32)
    if max_iter.shape.rank not in (0, None):
        raise ValueError("'maximum_iterations' must be a scalar. "
                         f"Received shape: {max_iter.shape}")
    counter = convert_to_tensor(0, D.int32)
    from tensorlet.framework.tensor_spec import TensorSpec
    sig = [TensorSpec([], D.int32), TensorSpec([], D.int32)] + specs

    def wrapped_cond(i, limit, *args):
        pred = cond(*_pack(orig, flat_orig, args))
        if isinstance(pred, Tensor) and (pred.shape.rank is None or pred.shape.rank > 0):
            pred = array_ops.squeeze(pred)
        if maximum_iterations is None:
            return pred
        return comparison_ops.logical_and(i < limit, pred)

    def wrapped_body(i, limit, *args):
        outputs = body(*_pack(orig, flat_orig, args))
        if not nest.is_nested(outputs):
            outputs = [outputs]
        nest.assert_same_structure(outputs, orig, check_types=False)
        return [i + 1, limit] + [x.flow if _is_tensor_array(x) else x
                                 for x in nest.flatten(outputs)]

    cond_graph = _trace(wrapped_cond, sig, name="while_cond")
    body_graph = _trace(wrapped_body, sig, name="while_body")
    for t, spec, inp in zip(body_graph.outputs[2:], specs, flat):
        if not _is_subshape(t.shape, spec.shape):
            raise ValueError(
                f"Input tensor `{_name(inp)}` enters the loop with shape {spec.shape}, but has "
                f"shape {t.shape} after one iteration. To allow the shape to vary across "
                "iterations, use the `shape_invariants` argument of tf.while_loop to specify a "
                "less-specific shape.")
    for inp, out, loop_var in zip(body_graph.inputs[2:], body_graph.outputs[2:], flat):
        if inp.dtype != out.dtype:
            raise TypeError(f"Loop var {_name(loop_var)} enters the loop with type {inp.dtype} "
                            f"but has type {out.dtype} after 1 iteration. {_name(loop_var)} type "
                            "should remain constant.")
    union, (cond_idx, body_idx) = _union_captures([cond_graph, body_graph])
    variables = _variables([cond_graph, body_graph])
    stateful = cond_graph.has_stateful_nodes() or body_graph.has_stateful_nodes()
    op = while_op if stateful else stateless_while_op
    n = len(flat) + 2
    out_shapes = (TensorShape([]), TensorShape([])) + tuple(s.shape for s in specs)
    outs = apply(op, counter, max_iter, *flat, *union, *_tokens(variables),
                 cond_graph=cond_graph, body_graph=body_graph, n=n, cond_idx=cond_idx,
                 body_idx=body_idx, n_caps=len(union),
                 Tout=tuple(t.dtype for t in body_graph.inputs[:n]),
                 output_shapes=tuple(_dims(s) for s in out_shapes),
                 variables=_Objects(variables))
    results = list(outs[2:])
    if not back_prop:
        results = [array_ops.stop_gradient(t) if t.dtype != D.variant else t for t in results]
    packed = _pack(orig, flat_orig, results)
    if return_same_structure:
        return packed
    flat_out = nest.flatten(packed)
    return flat_out[0] if len(flat_out) == 1 else packed


def _flat_invariants(loop_vars, shape_invariants):
    """One invariant (or None) per flattened loop variable (TensorArray entries ignored)."""
    out = []

    def walk(v, inv):
        if nest.is_nested(v):
            if not nest.is_nested(inv) or len(nest._children(v)) != len(nest._children(inv)):
                if inv is None:
                    for leaf in nest.flatten(v):
                        out.append(None)
                    return
                raise ValueError(f"The two structures don't have the same nested structure.\n\n"
                                 f"First structure: {v}\n\nSecond structure: {inv}")
            for a, b in zip(nest._children(v), nest._children(inv)):
                walk(a, b)
        else:
            out.append(None if _is_tensor_array(v) else inv)

    walk(loop_vars, shape_invariants)
    return out


@contextlib.contextmanager
def _nothing():
    yield


__all__ = ["EAGER_CALLS", "cond_v2", "indexed_case", "scratch_graph", "while_loop"]
