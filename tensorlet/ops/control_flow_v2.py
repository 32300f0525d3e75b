"""Control flow inside graphs: ``If``/``Case``/``While`` nodes whose attrs are traced sub-graphs.

``tf.cond`` traces both branches into ``FuncGraph``s and adds one ``If`` node (``StatelessIf``
when no branch holds a stateful node); ``tf.switch_case`` adds a ``Case``; ``tf.while_loop``
traces ``cond`` and ``body`` with the loop variables as placeholders and adds a ``While`` whose
kernel loops over the sub-graph executors. Node inputs are the predicate / loop variables, then
the tensors the sub-graphs capture, then one read of each float variable the sub-graphs use
(so a gradient tape can link the node to those variables).

Gradients and op-by-op replays live in ``control_flow_grad``; ``EAGER_CALLS`` maps each node
type to its replay, for executors that replay a graph under an active tape.
"""
from tensorlet.framework import dtypes, errors, nest
from tensorlet.framework.context import state
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape, as_shape
from tensorlet.ops import control_flow_grad as cf_grad
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


# ---------------------------------------------------------------- the ops

def _defop(name, forward, shape_rule, grad, stateful):
    return defop(name, forward, dtype_rule=_out_dtypes, shape_rule=shape_rule, grad=grad,
                 stateful=stateful, num_outputs=None)


if_op = _defop("If", _if_forward, _if_shapes, cf_grad.if_grad, True)
stateless_if_op = _defop("StatelessIf", _if_forward, _if_shapes, cf_grad.if_grad, False)
case_op = _defop("Case", _case_forward, _case_shapes, cf_grad.case_grad, True)
stateless_case_op = _defop("StatelessCase", _case_forward, _case_shapes, cf_grad.case_grad,
                           False)
while_op = _defop("While", _while_forward, _while_shapes, cf_grad.while_grad, True)
stateless_while_op = _defop("StatelessWhile", _while_forward, _while_shapes, cf_grad.while_grad,
                            False)

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
EAGER_CALLS = {if_op: cf_grad.if_eager, stateless_if_op: cf_grad.if_eager,
               case_op: cf_grad.case_eager, stateless_case_op: cf_grad.case_eager,
               while_op: cf_grad.while_eager, stateless_while_op: cf_grad.while_eager}


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


__all__ = ["EAGER_CALLS", "cond_v2", "indexed_case", "scratch_graph", "while_loop"]
