"""A tf.function call under one gradient tape: compiled forward, one tape record, traced backward.

When exactly one tape wants a call (it watches an input or a variable the graph reads), the call
runs a compiled forward that also returns every intermediate tensor, and the tape records the
whole call as a single op (TF's ``PartitionedCall``). Its inputs are the arguments plus one tensor
per variable read (linked to the variable as eager reads are); its gradient runs a backward graph
traced once per ConcreteFunction from the ops' gradient rules, fed with the saved intermediates.

If a tape is recording while that gradient is computed (higher-order derivatives, forward-mode
accumulators), the backward graph is replayed op by op through ``apply`` instead, with the
call's inputs as the real tensors, so the recording tape sees what it would see eagerly.
Several tapes wanting the same call use ``executor.replay`` for the whole call.
"""

from tensorlet.backend import xp
from tensorlet.framework.context import notify_variable_read, state
from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.function import executor as executor_lib
from tensorlet.function import func_graph, graph_ops
from tensorlet.ops.op_def import OpDef, OpRecord, _record

_PLACEHOLDER, _CONST, _READ = (
    graph_ops.placeholder_op,
    graph_ops.const_op,
    graph_ops.read_variable_op,
)
_new = object.__new__


def _call_grad(rec, *dys):
    return rec.attrs["call"].gradient(rec, dys)


# Never registered (the name is TF's); ``attrs["call"]`` is the CallGradient.
call_op = OpDef("PartitionedCall", None, None, None, _call_grad, True, None)


def _wrap(arr, dtype):
    t = _new(EagerTensor)
    t._value = arr
    t._dtype = dtype
    return t


class CallGradient:
    """The forward-with-intermediates executor and the backward graph of one ConcreteFunction."""

    def __init__(self, graph):
        self.graph = graph
        nodes = executor_lib.live_nodes(graph, graph.outputs)
        self.reads = [n for n in nodes if n.op is _READ]
        self.saved = [
            t for n in nodes if n.op is not _PLACEHOLDER and n.op is not _CONST for t in n.outputs
        ]
        self.n_out = len(graph.outputs)
        self.forward = executor_lib.Executor(graph, graph.inputs, list(graph.outputs) + self.saved)
        self._read_index = {id(n.outputs[0]): i for i, n in enumerate(self.reads)}
        self._saved_index = {id(t): i for i, t in enumerate(self.saved)}
        self._backward = None
        self._grad_slots = None  # per source: index into the backward outputs, or None

    # ---- the call
    def call(self, tensors):
        """Runs the forward and records one op; returns the flat output tensors."""
        res = self.forward(*[t._value for t in tensors])
        saved = res[self.n_out :]
        reads = []
        for n in self.reads:
            t = _wrap(saved[self._saved_index[id(n.outputs[0])]], n.outputs[0]._dtype)
            notify_variable_read(n.variable, t)
            reads.append(t)
        outputs = tuple(_wrap(a, t._dtype) for a, t in zip(res[: self.n_out], self.graph.outputs))
        _record(call_op, list(tensors) + reads, {"call": self, "saved": saved}, outputs)
        return outputs

    # ---- the gradient
    def gradient(self, rec, dys):
        bwd = self.backward_graph()
        dys = [dy if dy is not None else _zeros(o) for dy, o in zip(dys, rec.outputs)]
        saved = rec.attrs["saved"]
        recording = any(t._recording for t in state.tapes)
        if recording:  # higher order: the recording tape must see the backward ops
            ins = list(rec.inputs) + [_wrap(a, t._dtype) for a, t in zip(saved, self.saved)]
            outs = executor_lib.replay(bwd, ins + [convert_to_tensor(d) for d in dys])
        else:
            arrays = [t._value for t in rec.inputs] + list(saved)
            arrays += [convert_to_tensor(d)._value for d in dys]
            outs = [_wrap(a, t._dtype) for a, t in zip(bwd.as_function()(*arrays), bwd.outputs)]
        return [None if slot is None else outs[slot] for slot in self._grad_slots]

    def backward_graph(self):
        if self._backward is None:
            self._backward = self._trace_backward()
        return self._backward

    def _trace_backward(self):
        from tensorlet.autodiff import backprop

        g = self.graph
        fwd_sources = list(g.inputs) + [n.outputs[0] for n in self.reads]
        bwd = func_graph.FuncGraph(g.name + "_backward")
        with func_graph.tracing(bwd):
            m = {}
            for t in fwd_sources:
                m[id(t)] = bwd.placeholder(t._dtype, t._shape, "source")
            saved_ph = [bwd.placeholder(t._dtype, t._shape, "saved") for t in self.saved]
            for t, ph in zip(self.saved, saved_ph):
                m.setdefault(id(t), ph)
            dy_ph = [bwd.placeholder(t._dtype, t._shape, "dy") for t in g.outputs]
            records, needed = [], {id(m[id(t)]) for t in fwd_sources}
            for n in executor_lib.live_nodes(g, g.outputs):
                if n.op is _PLACEHOLDER or n.op is _READ:
                    continue
                if n.op is _CONST:
                    m[id(n.outputs[0])] = EagerTensor(n.attrs["value"], n.attrs["dtype"])
                    continue
                ins = [m[id(t)] for t in n.inputs]
                outs = tuple(m[id(t)] for t in n.outputs)
                records.append(OpRecord(n.op, ins, n.attrs, outs))
                if any(id(t) in needed for t in ins):
                    needed.update(id(t) for t in outs)
            seeds = {}
            for t, dy in zip(g.outputs, dy_ph):
                k = id(m[id(t)])
                seeds[k] = dy if k not in seeds else seeds[k] + dy
            grads = backprop.backward(records, seeds, needed)
            slots, outputs = [], []
            for t in fwd_sources:
                gr = grads.get(id(m[id(t)]))
                if gr is None or not backprop._differentiable(t._dtype):
                    slots.append(None)
                    continue
                if isinstance(gr, IndexedSlices):
                    gr = convert_to_tensor(gr)
                slots.append(len(outputs))
                outputs.append(bwd.capture(gr))
        bwd.outputs = outputs
        bwd.structured_outputs = list(outputs)
        self._grad_slots = slots
        return bwd


def _zeros(t):
    np_t = t._dtype._np
    return _wrap(xp.zeros(xp.shape(t._value), dtype=np_t if np_t is not None else object), t._dtype)


__all__ = ["CallGradient", "call_op"]
