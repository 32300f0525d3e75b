"""``tf.function``: a Python function traced once per input signature into ``ConcreteFunction``s.

A call binds its arguments to the Python signature (defaults applied, so ``f(1)``, ``f(x=1)`` and
``f(1, y=2)`` are one call), computes the cache key (``trace_type.make_key``: tensors by dtype and
shape, Python values by value) and runs the cached trace, tracing on a miss:

* an exact key hit is a dict lookup; otherwise a trace with more general shapes (``None`` dims:
  ``get_concrete_function(TensorSpec([None]))``, ``reduce_retracing``) that describes the call is
  reused; otherwise the function is traced (with ``reduce_retracing``, with the shapes relaxed to
  the most specific ones describing this call and the earlier traces);
* the first trace may create ``tf.Variable``s: the function is then traced a second time, when
  creating variables raises TF's ValueError (as later traces do);
* calls made while another function is traced are keyed by that graph too and inlined into it;
* TF's retracing warning is logged on the 5th and 6th trace among the last calls.
"""

import functools
import inspect
import logging
import weakref

from tensorlet.framework import nest
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_spec import TensorSpec
from tensorlet.function import func_graph, trace_type
from tensorlet.function.concrete_function import ConcreteFunction

_WARN_THRESHOLD = 5
_MAX_CALL_HISTORY = 10
_MAX_WARNINGS = 2


class _CallCounter:
    """TF's frequent-tracing detector for one Python function."""

    def __init__(self):
        self.calls_per_tracing = []
        self.call_count = 0
        self.warnings = 0

    def called_with_tracing(self, function_name):
        self.call_count += 1
        self.calls_per_tracing.append(1)
        while self.calls_per_tracing and (
            self.call_count - self.calls_per_tracing[0] > _MAX_CALL_HISTORY
        ):
            self.call_count -= self.calls_per_tracing.pop(0)
        if len(self.calls_per_tracing) >= _WARN_THRESHOLD and self.warnings < _MAX_WARNINGS:
            self.warnings += 1
            logging.getLogger("tensorflow").warning(
                f"{len(self.calls_per_tracing)} out of the last {self.call_count} calls to "
                f"{function_name} triggered tf.function retracing. Tracing is expensive and the "
                "excessive number of tracings could be due to (1) creating @tf.function repeatedly "
                "in a loop, (2) passing tensors with different shapes, (3) passing Python objects "
                "instead of tensors. For (1), please define your @tf.function outside of the loop. "
                "For (2), @tf.function has reduce_retracing=True option that can avoid unnecessary "
                "retracing. For (3), please refer to https://www.tensorflow.org/guide/"
                "function#controlling_retracing and https://www.tensorflow.org/api_docs/python/"
                "tf/function for  more details."
            )

    def called_without_tracing(self):
        if not self.calls_per_tracing:
            self.calls_per_tracing = [0]
        self.calls_per_tracing[-1] += 1
        self.call_count += 1


_COUNTERS = weakref.WeakKeyDictionary()  # python function -> _CallCounter (shared by wrappers)


def _counter_for(fn):
    key = getattr(fn, "__func__", fn)
    try:
        c = _COUNTERS.get(key)
        if c is None:
            c = _COUNTERS[key] = _CallCounter()
    except TypeError:
        c = _CallCounter()
    return c


def _parameters(fn):
    """[(name, kind name, default)] of fn's parameters, TF's way of showing kinds."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None, []
    params = list(sig.parameters.values())
    has_var = any(p.kind is p.VAR_POSITIONAL for p in params)
    out = []
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        kind = p.kind.name
        if has_var and kind == "POSITIONAL_OR_KEYWORD":
            kind = "POSITIONAL_ONLY"
        out.append((p.name, kind, p.default))
    return sig, out


class Function:
    """A callable that traces ``python_function`` into graphs (TF's ``PolymorphicFunction``)."""

    def __init__(
        self,
        python_function,
        name=None,
        input_signature=None,
        autograph=True,
        jit_compile=None,
        reduce_retracing=False,
        experimental_attributes=None,
    ):
        self._python_function = python_function
        self._name = name or getattr(python_function, "__name__", "function")
        if input_signature is not None:
            if not isinstance(input_signature, (list, tuple)):
                raise TypeError(
                    "input_signature must be either a tuple or a list, got "
                    f"{type(input_signature)}."
                )
            for spec in nest.flatten(list(input_signature)):
                if not getattr(spec, "_is_tensor_spec", False):
                    raise TypeError(
                        "input_signature must be a possibly nested sequence of "
                        f"TensorSpec objects, got invalid args {spec!r} with type "
                        f"{type(spec)}."
                    )
            input_signature = tuple(input_signature)
        self._input_signature = input_signature
        self._autograph = autograph
        self._jit_compile = jit_compile
        self._reduce_retracing = reduce_retracing
        self._experimental_attributes = experimental_attributes
        self._sig, self._params = _parameters(python_function)
        self._simple_arity = self._simple_positional_count()
        self._cache = {}  # (structure, shapes) -> ConcreteFunction
        self._fast_cache = {}  # (dtype index, shape, ...) of all-EagerTensor calls -> same
        self._by_structure = {}  # structure -> [ConcreteFunction] (shape-generalizing lookup)
        self._tracing_count = 0
        self._traced_once = False
        self._converted = None
        self._bound = {}  # id(instance) -> bound Function (methods)
        self._counter = _counter_for(python_function)
        functools.update_wrapper(self, python_function, updated=())

    def _simple_positional_count(self):
        """n when the function takes exactly n plain positional parameters and nothing else."""
        if self._sig is None:
            return -1
        ps = list(self._sig.parameters.values())
        if all(p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty for p in ps):
            return len(ps)
        return -1

    # ---- public attributes
    @property
    def python_function(self):
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    @property
    def function_spec(self):
        return self._sig

    def experimental_get_tracing_count(self):
        """How many times the function was traced."""
        return self._tracing_count

    # ---- calling
    def __call__(self, *args, **kwargs):
        st = state
        if not kwargs and not (
            st.tapes or st.graph is not None or st.run_functions_eagerly or st.check_infer
        ):
            key = []  # the fast path: eager tensors only, nothing recording, no graph
            for a in args:
                if type(a) is not EagerTensor:
                    break
                key.append(a._dtype._index)
                key.append(a._value.shape)
            else:
                conc = self._fast_cache.get(tuple(key))
                if conc is not None:
                    c = self._counter
                    c.call_count += 1
                    c.calls_per_tracing[-1] += 1
                    return conc._call_tensors(*args)
                conc = self._concrete_for_call(args, kwargs)[0]
                if self._input_signature is None:
                    self._fast_cache[tuple(key)] = conc
                return conc._call_flat(args)
        return self._call(args, kwargs)

    def _concrete_for_call(self, args, kwargs):
        if kwargs or len(args) != self._simple_arity:
            args, kwargs = self._bind(args, kwargs)
        tensors = []
        if self._input_signature is not None:
            return self._signature_call(args, kwargs)
        key = trace_type.make_key(args, kwargs, tensors)
        if state.graph is not None:
            key = (key, state.graph)
        conc = self._cache.get(key)
        if conc is None:
            conc = self._lookup_or_trace(key, args, kwargs, tensors, counted=True)
        else:
            self._counter.called_without_tracing()
        return conc, tensors

    def _call(self, args, kwargs):
        if state.run_functions_eagerly:
            return self._python_function(*args, **kwargs)
        conc, tensors = self._concrete_for_call(args, kwargs)
        return conc._call_flat(tensors)

    def _bind(self, args, kwargs):
        if self._sig is None:
            return args, kwargs
        try:
            bound = self._sig.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(
                f"Binding inputs to tf.function failed due to `{e}`. Received args: "
                f"{args} and kwargs: {kwargs} for signature: {self._sig}."
            ) from None
        bound.apply_defaults()
        return bound.args, bound.kwargs

    def _lookup_or_trace(self, key, args, kwargs, tensors, counted):
        (struct, shapes) = key[0] if state.graph is not None else key
        skey = (struct, state.graph) if state.graph is not None else struct
        candidates = self._by_structure.setdefault(skey, [])
        for c in candidates:
            if trace_type.shapes_subtype(shapes, c._shapes):
                self._cache[key] = c
                if counted:
                    self._counter.called_without_tracing()
                return c
        if self._reduce_retracing and candidates:
            shapes = trace_type.common_shapes(shapes, [c._shapes for c in candidates])
        conc = self._trace(args, kwargs, shapes, tensors)
        conc._shapes = shapes
        candidates.insert(0, conc)
        self._cache[key] = conc
        if counted:
            self._counter.called_with_tracing(repr(self._python_function))
        return conc

    # ---- tracing
    def _function_to_trace(self):
        if self._converted is None:
            fn = self._python_function
            if self._autograph:
                fn = _autograph_convert(fn)
            self._converted = fn
        return self._converted

    def _trace(self, args, kwargs, shapes, examples=None):
        spec_args, spec_kwargs = trace_type.to_specs((tuple(args), dict(kwargs)), shapes)
        conc = self._trace_specs(spec_args, spec_kwargs, examples)
        if conc.graph.value_guards:
            return _ValueSpecialized(self, spec_args, spec_kwargs, conc)
        return conc

    def _trace_specs(self, spec_args, spec_kwargs, examples=None):
        names = self._leaf_names(spec_args, spec_kwargs)
        fn = self._function_to_trace()
        first = not self._traced_once
        self._traced_once = True
        graph = func_graph.trace(
            fn,
            spec_args,
            spec_kwargs,
            name=self._name,
            arg_names=names,
            allow_variable_creation=first,
            examples=examples,
        )
        self._tracing_count += 1
        if first and graph.created_variables:
            # TF traces again: a function must create its variables only on the first call
            graph = func_graph.trace(
                fn,
                spec_args,
                spec_kwargs,
                name=self._name,
                arg_names=names,
                allow_variable_creation=False,
                examples=examples,
            )
            self._tracing_count += 1
        return ConcreteFunction(graph, self._params, self._name)

    def _leaf_names(self, args, kwargs):
        """Placeholder names: the parameter name, then name_1, name_2 for nested leaves."""
        names = []
        pnames = [p[0] for p in self._params]
        for i, a in enumerate(args):
            base = pnames[i] if i < len(pnames) else f"args_{i - len(pnames)}"
            names.extend(_numbered(base, len(nest.flatten(a))))
        for k in sorted(kwargs):
            names.extend(_numbered(k, len(nest.flatten(kwargs[k]))))
        return names

    def _trace_variant(self, spec_args, spec_kwargs, tensors):
        """Another trace of a value-specialized function (see ``_ValueSpecialized``)."""
        conc = self._trace_specs(spec_args, spec_kwargs, tensors)
        self._counter.called_with_tracing(repr(self._python_function))
        return conc

    # ---- input_signature
    def _signature_call(self, args, kwargs):
        sig = self._input_signature
        values = list(args)
        if kwargs:
            pnames = [p[0] for p in self._params]
            for name in pnames[len(values) : len(sig)]:
                if name in kwargs:
                    values.append(kwargs.pop(name))
        if len(values) > len(sig) or kwargs:
            raise TypeError(
                f"Binding inputs to tf.function failed due to `too many positional "
                f"arguments`. Received args: {args} and kwargs: {kwargs} for "
                f"signature: {self._signature_string()}."
            )
        tensors = []
        for spec_part, value in zip(sig, values):
            specs = nest.flatten(spec_part)
            leaves = nest.flatten(value) if nest.is_nested(spec_part) else [value]
            for spec, leaf in zip(specs, leaves):
                t = leaf if isinstance(leaf, Tensor) else convert_to_tensor(leaf, dtype=spec.dtype)
                if t.dtype != spec.dtype or not spec.shape.is_compatible_with(t.shape):
                    raise TypeError(
                        f"Binding inputs to tf.function failed due to `Can not cast "
                        f"{TensorSpec(t.shape, t.dtype)!r} to "
                        f"{TensorSpec(spec.shape, spec.dtype)!r}`. Received args: {args} and "
                        f"kwargs: {kwargs} for signature: {self._signature_string()}."
                    )
                tensors.append(t)
        key = ("signature", state.graph)
        conc = self._cache.get(key)
        if conc is None:
            spec_args = list(sig) + list(values[len(sig) :])
            shapes = tuple(s.shape._dims for s in nest.flatten(list(sig)))
            conc = self._trace(tuple(spec_args), {}, shapes, tensors)
            conc._shapes = shapes
            self._cache[key] = conc
            self._counter.called_with_tracing(repr(self._python_function))
        else:
            self._counter.called_without_tracing()
        return conc, tensors

    def _signature_string(self):
        names = [p[0] for p in self._params]
        parts = [
            f"{n}: {TensorSpec(s.shape, s.dtype)!r}"
            if getattr(s, "_is_tensor_spec", False)
            else f"{n}: {s!r}"
            for n, s in zip(names, self._input_signature)
        ]
        return "(" + ", ".join(parts) + ")"

    # ---- concrete functions
    def get_concrete_function(self, *args, **kwargs):
        """The ConcreteFunction for these arguments (tensors, TensorSpecs or Python values)."""
        if self._input_signature is not None and not args and not kwargs:
            args = self._input_signature
        if self._input_signature is not None:
            key = ("signature", state.graph)
            conc = self._cache.get(key)
            if conc is None:
                shapes = tuple(s.shape._dims for s in nest.flatten(list(self._input_signature)))
                conc = self._trace(tuple(self._input_signature), {}, shapes)
                conc._shapes = shapes
                self._cache[key] = conc
            return conc
        args, kwargs = self._bind(args, kwargs)
        tensors = []
        key = trace_type.make_key(args, kwargs, tensors)
        if state.graph is not None:
            key = (key, state.graph)
        conc = self._cache.get(key)
        if conc is None:
            conc = self._lookup_or_trace(key, args, kwargs, tensors, counted=False)
        return conc

    def experimental_get_compiler_ir(self, *args, **kwargs):
        raise NotImplementedError("XLA compiler IR is not available in tensorlet")

    def _list_all_concrete_functions(self):
        seen, out = set(), []
        for c in self._cache.values():
            if id(c) not in seen:
                seen.add(id(c))
                out.append(c)
        return out

    _list_all_concrete_functions_for_serialization = _list_all_concrete_functions

    # ---- methods: one Function per instance
    def __get__(self, instance, owner):
        if instance is None:
            return self
        key = id(instance)
        bound = self._bound.get(key)
        if bound is None:
            bound = self._bind_to(instance, owner)
            self._bound[key] = bound
            try:  # the bound function holds the instance weakly: dropped with it
                weakref.finalize(instance, self._bound.pop, key, None)
            except TypeError:
                pass
        return bound

    def _bind_to(self, instance, owner):
        fn = self._python_function
        try:
            method = _WeakMethod(fn, instance)
        except TypeError:  # not weakly referenceable: a plain bound method
            method = fn.__get__(instance, owner)
        bound = Function(
            method,
            name=self._name,
            input_signature=self._input_signature,
            autograph=self._autograph,
            jit_compile=self._jit_compile,
            reduce_retracing=self._reduce_retracing,
        )
        if isinstance(method, _WeakMethod) and self._autograph:
            bound._converted = _WeakMethod(self._function_to_trace(), instance)
        return bound

    def __repr__(self):  # TF's class path, as tensorlet's other reprs use
        return (
            "<tensorflow.python.eager.polymorphic_function.polymorphic_function.Function "
            f"object at 0x{id(self):x}>"
        )


class _WeakMethod:
    """``fn`` bound to ``instance`` through a weak reference (as TF's method tf.functions)."""

    def __init__(self, fn, instance):
        self._ref = weakref.ref(instance)
        self._fn = fn
        self.__name__ = getattr(fn, "__name__", "method")
        self.__qualname__ = getattr(fn, "__qualname__", self.__name__)
        self.__doc__ = getattr(fn, "__doc__", None)
        try:
            sig = inspect.signature(fn)
            self.__signature__ = sig.replace(parameters=list(sig.parameters.values())[1:])
        except (TypeError, ValueError):
            pass

    @property
    def __self__(self):
        return self._ref()

    @property
    def __func__(self):
        return self._fn

    def __call__(self, *args, **kwargs):
        return self._fn(self._ref(), *args, **kwargs)

    def __repr__(self):
        return f"<bound method {self.__qualname__} of {self._ref()!r}>"


class _ValueSpecialized:
    """The traces of one trace key whose graphs depend on argument *values*.

    tensorlet's ops take shapes, axes and sizes as static attributes, so a trace that needs one
    computed from an argument (``tf.zeros([n])``, ``x[:k]``, ``tf.range(n)`` with a tensor
    argument) reads the call's actual value while tracing (``func_graph.evaluate``) and records
    it in ``graph.value_guards``.  Such a graph is only valid for that value: calls with another
    value trace again (TF runs one graph for all values; the results are the same, the tracing
    count differs).  Behaves as the first trace's ConcreteFunction otherwise.
    """

    def __init__(self, function, spec_args, spec_kwargs, first):
        self._function = function
        self._specs = (spec_args, spec_kwargs)
        self._primary = first
        self._variants = [first]

    def __getattr__(self, name):  # everything else: the first trace's ConcreteFunction
        return getattr(self._primary, name)

    def _select(self, tensors):
        for conc in self._variants:
            if all(_same_value(tensors[p], v) for p, v in conc.graph.value_guards.items()):
                return conc
        conc = self._function._trace_variant(*self._specs, list(tensors))
        conc._shapes = self._primary._shapes
        self._variants.append(conc)
        return conc

    def _call_tensors(self, *tensors):
        return self._select(tensors)._call_tensors(*tensors)

    def _call_flat(self, tensors):
        return self._select(tensors)._call_flat(tensors)

    def __call__(self, *args, **kwargs):
        from tensorlet.function.concrete_function import _bind_to_signature

        sig_args, sig_kwargs = self._primary.graph.structured_input_signature
        return self._call_flat(_bind_to_signature(self._primary, sig_args, sig_kwargs, args, kwargs))

    def __repr__(self):
        return repr(self._primary)


def _same_value(tensor, value):
    try:
        v = tensor._value  # a symbolic tensor (a call inlined into another trace): traced value
    except AttributeError:
        raise TypeError(
            f"{tensor!r}: this function's graph needs the value of this argument while tracing "
            "(tensorlet takes shapes, axes and sizes as static values), and it is not known here"
        ) from None
    if isinstance(value, func_graph.ShapeGuard):
        return v.shape == tuple(value)
    return v.shape == value.shape and v.dtype == value.dtype and (v == value).all()


def _numbered(base, n):
    return [base if i == 0 else f"{base}_{i}" for i in range(n)]


def _autograph_convert(fn):
    """``tensorlet.autograph.convert(fn)`` (``to_graph`` as a fallback) when AutoGraph is
    available; else ``fn``."""
    try:  # the implementation module: `tensorlet.autograph` is the public tf.autograph namespace
        from tensorlet.autograph import impl as autograph
    except Exception:  # broken mid-edit: trace the function as written
        return fn
    convert = getattr(autograph, "convert", None) or getattr(autograph, "to_graph", None)
    if convert is None:
        return fn
    try:
        return convert(fn)
    except Exception:  # as TF: a function AutoGraph cannot convert runs as written
        return fn


@tf_export("function")
def function(
    func=None,
    input_signature=None,
    autograph=True,
    jit_compile=None,
    reduce_retracing=False,
    experimental_implements=None,
    experimental_autograph_options=None,
    experimental_attributes=None,
    experimental_relax_shapes=None,
    experimental_compile=None,
    experimental_follow_type_hints=None,
):
    """Compiles a function into a callable graph (decorator or call).

    Example:
        >>> @tf.function
        ... def f(x, y):
        ...     return x * y + x
        >>> f(tf.constant(2.0), tf.constant(3.0))
        <tf.Tensor: shape=(), dtype=float32, numpy=8.0>
    """
    if experimental_relax_shapes:
        reduce_retracing = True
    if jit_compile is None and experimental_compile is not None:
        jit_compile = experimental_compile

    def decorate(f):
        fn = Function(
            f,
            input_signature=input_signature,
            autograph=autograph,
            jit_compile=jit_compile,
            reduce_retracing=reduce_retracing,
            experimental_attributes=experimental_attributes,
        )
        return fn

    return decorate if func is None else decorate(func)


__all__ = ["EagerTensor", "Function", "function"]
