"""``ConcreteFunction``: one traced graph of a ``tf.function``, callable on tensors.

A call runs the graph one of three ways:

* eagerly, no tape interested: the generated-code executor (``executor.Executor``) on arrays;
* eagerly, a tape watches an input or a variable the graph reads: node by node through ``apply``
  (``executor.replay``), so the tape records every op and gradients flow through the call;
* while tracing another function: the nodes are replayed into that graph (inlining).

Optimizer hook: before the executor is built, ``graph_passes`` (default: the module-level
``GRAPH_PASSES``) run in order on a copy of the traced graph (``Graph.copy()``). A pass is
``graph -> graph`` and may return the same graph edited (``set_operations``, ``replace_uses``,
``add_node``, ``constant``) or a new one, whose ``inputs`` and ``outputs`` lists correspond one to
one (same order, dtypes) to the traced graph's. ``optimized_graph`` and ``executor_source`` show
the result. The traced graph itself is what gradients and inlining use.
"""

import itertools

from tensorlet.framework import nest
from tensorlet.framework.context import state
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_spec import TensorSpec
from tensorlet.function import call_gradient
from tensorlet.function import executor as executor_lib

GRAPH_PASSES = []  # the default optimizer pipeline: callables graph -> graph (graph_opt fills it)

_uid = itertools.count(1)
_new = object.__new__


class ConcreteFunction:
    """A traced graph with its input/output structure (TF's ``ConcreteFunction``)."""

    def __init__(self, graph, parameters=None, function_name=None):
        self.graph = graph
        self._parameters = parameters or []  # [(name, kind, default-or-_EMPTY)] for printing
        self._name = f"__inference_{function_name or graph.name}_{next(_uid)}"
        self.graph_passes = None  # None: GRAPH_PASSES
        self._optimized = None
        self._executor = None
        self._variables = tuple(graph.variables.values())
        self._shapes = None  # the shape key this trace answers (set by Function)
        outs = graph.outputs
        self._out_dtypes = tuple(t._dtype for t in outs)
        so = graph.structured_outputs
        self._single = len(outs) == 1 and so is outs[0]
        self._call_tensors = self._first_call  # then the compiled entry: (*EagerTensors) -> result
        self._call_gradient = None

    # ---- TF's properties
    @property
    def name(self):
        return self._name.encode()

    @property
    def inputs(self):
        return list(self.graph.inputs)

    @property
    def outputs(self):
        return list(self.graph.outputs)

    @property
    def structured_outputs(self):
        return self.graph.structured_outputs

    @property
    def structured_input_signature(self):
        args, kwargs = self.graph.structured_input_signature
        return _specs(args), _specs(kwargs)

    @property
    def captured_inputs(self):
        return [outer for outer, _ in self.graph.captures]

    @property
    def variables(self):
        return self._variables

    @property
    def trainable_variables(self):
        return tuple(v for v in self._variables if v.trainable)

    @property
    def function_type(self):
        return self.pretty_printed_signature(verbose=False)

    # ---- optimized graph / executor
    @property
    def optimized_graph(self):
        """The graph after the optimizer pipeline (what the executor runs)."""
        if self._optimized is None:
            g = self.graph
            passes = GRAPH_PASSES if self.graph_passes is None else self.graph_passes
            if passes:
                g = g.copy()  # the traced graph stays as traced (replay and gradients use it)
            for p in passes:
                g = p(g)
            self._optimized = g
        return self._optimized

    def _build(self):
        g = self.optimized_graph
        self._executor = executor_lib.Executor(g, g.inputs, g.outputs)
        return self._executor

    @property
    def executor_source(self):
        """The Python source the executor runs (compiled on the first call)."""
        ex = self._executor or self._build()
        if ex.source is None:
            ex._compile()
        return ex.source

    # ---- calling
    def __call__(self, *args, **kwargs):
        """Calls the graph on tensors matching ``structured_input_signature``."""
        sig_args, sig_kwargs = self.graph.structured_input_signature
        tensors = _bind_to_signature(self, sig_args, sig_kwargs, args, kwargs)
        return self._call_flat(tensors)

    def _call_flat(self, tensors):
        st = state
        if st.graph is not None:
            return self._inline(tensors)
        if st.tapes:
            wanting = self._tapes_wanting(tensors)
            if wanting == 1:  # compiled forward, one tape record, traced backward
                cg = self._call_gradient
                if cg is None:
                    cg = self._call_gradient = call_gradient.CallGradient(self.graph)
                return self._pack_tensors(cg.call(tensors))
            if wanting:
                return self._pack_tensors(executor_lib.replay(self.graph, tensors))
        if st.check_infer:  # test mode: the checked interpreter, every call
            run = self._executor or self._build()
            return self._pack_arrays(run(*[t._value for t in tensors]))
        return self._call_tensors(*tensors)

    def _first_call(self, *tensors):
        """Runs the checked interpreter once (learning casts), then compiles the fast entry."""
        run = self._executor or self._build()
        result = self._pack_arrays(run(*[t._value for t in tensors]))
        self._call_tensors = run.tensor_function(
            self._out_dtypes, None if self._single else self._pack_tensors
        )
        return result

    def _tapes_wanting(self, tensors):
        """How many recording tapes watch an input or a variable the graph reads."""
        n = 0
        for tape in state.tapes:
            if not tape._recording:
                continue
            if tape._should_record(tensors):
                n += 1
                continue
            for v in self._variables:
                if id(v) in tape._watched_vars or (tape._watch_accessed and v.trainable):
                    n += 1
                    break
        return n

    def _inline(self, tensors):
        captures = [outer for outer, _ in self.graph.captures]
        return self._pack_tensors(executor_lib.replay(self.graph, list(tensors) + captures))

    def _pack_arrays(self, res):
        flat = []
        for r, d in zip(res, self._out_dtypes):
            t = _new(EagerTensor)
            t._value = r
            t._dtype = d
            flat.append(t)
        return self._pack_tensors(flat)

    def _pack_tensors(self, flat):
        so = self.graph.structured_outputs
        if self._single:
            return flat[0]
        it = iter(flat)
        leaves = [None if leaf is None else next(it) for leaf in nest.flatten(so)]
        if not nest.is_nested(so):
            return leaves[0]
        return nest.pack_sequence_as(so, leaves)

    # ---- printing
    def pretty_printed_signature(self, verbose=True):
        """TF's multi-line description of the inputs, output type and captures."""
        lines = ["Input Parameters:"]
        for name, kind, value in self._parameter_types():
            lines.append(f"  {name} ({kind}): {value}")
        lines.append("Output Type:")
        lines.append("  " + type_string(self.graph.structured_outputs))
        lines.append("Captures:")
        caps = [f"  {id(outer)}: {type_string(outer)}" for outer, _ in self.graph.captures]
        caps += [
            f"  {id(v)}: TensorSpec(shape=(), dtype=tf.resource, name=None)"
            for v in self._variables
        ]
        lines.extend(caps or ["  None"])
        if not verbose:
            return self._short_signature()
        return "\n".join(lines)

    def _parameter_types(self):
        args, kwargs = self.graph.structured_input_signature
        out = []
        pos = [p for p in self._parameters if p[1] in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")]
        for (name, kind, _), value in zip(pos, args):
            out.append((name, kind, type_string(value)))
        for name, value in kwargs.items():
            kind = next((k for n, k, _ in self._parameters if n == name), "KEYWORD_ONLY")
            out.append((name, kind, type_string(value)))
        return out

    def _short_signature(self):
        params = ", ".join(f"{n}: {v}" for n, _, v in self._parameter_types())
        return f"({params}) -> {type_string(self.graph.structured_outputs)}"

    def __str__(self):
        return "ConcreteFunction " + self.pretty_printed_signature()

    def __repr__(self):
        return f"<ConcreteFunction {self._short_signature()} at 0x{id(self):X}>"


def _specs(structure):
    def conv(x):
        if isinstance(x, Tensor):
            name = x.op.name if x.op.type == "Placeholder" else None
            return TensorSpec(x.shape, x.dtype, name)
        return x

    return nest.map_structure(conv, structure)


def type_string(x):
    """TF's printed trace type of a structure: TensorSpec(...), Literal[...], List[...]."""
    if isinstance(x, Tensor) or getattr(x, "_is_tensor_spec", False):
        return repr(TensorSpec(x.shape, x.dtype))
    if getattr(x, "_is_variable", False):
        return "TensorSpec(shape=(), dtype=tf.resource, name=None)"
    if isinstance(x, list):
        return "List[" + ", ".join(type_string(e) for e in x) + "]"
    if isinstance(x, tuple) and hasattr(type(x), "_fields"):
        return type(x).__name__ + "[" + ", ".join(type_string(e) for e in x) + "]"
    if isinstance(x, tuple):
        return "Tuple[" + ", ".join(type_string(e) for e in x) + "]"
    if isinstance(x, dict):
        return "Dict[" + ", ".join(f"[{k!r}, {type_string(v)}]" for k, v in x.items()) + "]"
    return f"Literal[{x!r}]"


def _bind_to_signature(conc, sig_args, sig_kwargs, args, kwargs):
    """Flat tensors for a direct ConcreteFunction call (TF's structured-call checks)."""
    tensors = []
    if len(args) > len(sig_args):
        raise TypeError(
            f"{conc!r} takes {len(sig_args)} positional arguments but {len(args)} were given"
        )
    names = [p[0] for p in conc._parameters]
    full = list(args)
    for i in range(len(args), len(sig_args)):
        name = names[i] if i < len(names) else None
        if name in kwargs:
            full.append(kwargs.pop(name))
        elif not _has_tensor(sig_args[i]):
            full.append(sig_args[i])
        else:
            raise TypeError(
                f"Binding inputs to tf.function failed due to `missing a required "
                f"argument: '{name}'`. Received args: {tuple(args)} and kwargs: "
                f"{kwargs} for signature: {conc._short_signature()}."
            )
    for spec_part, value in list(zip(sig_args, full)) + [
        (sig_kwargs[k], kwargs.get(k, sig_kwargs[k])) for k in sig_kwargs
    ]:
        for spec, leaf in zip(nest.flatten(spec_part), nest.flatten(value)):
            if isinstance(spec, Tensor):
                t = (
                    convert_to_tensor(leaf, dtype=spec.dtype)
                    if not isinstance(leaf, Tensor)
                    else leaf
                )
                if t.dtype != spec.dtype or not spec.shape.is_compatible_with(t.shape):
                    raise TypeError(
                        f"Binding inputs to tf.function failed due to `Can not cast "
                        f"{TensorSpec(t.shape, t.dtype)!r} to {TensorSpec(spec.shape, spec.dtype)!r}"
                        f"`. Received args: {tuple(args)} and kwargs: {kwargs} for signature: "
                        f"{conc._short_signature()}."
                    )
                tensors.append(t)
    return tensors


def _has_tensor(x):
    return any(isinstance(e, Tensor) for e in nest.flatten(x))


__all__ = ["GRAPH_PASSES", "ConcreteFunction", "type_string"]
