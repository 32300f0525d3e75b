"""``tf.py_function``, ``tf.numpy_function`` and ``tf.compat.v1.py_func``: Python code as ops.

Three ops, as in TF:

* ``EagerPyFunc`` (``tf.py_function``): the kernel calls ``func`` with EagerTensors, eagerly
  (also when the op sits in a ``tf.function`` / ``tf.data`` graph), and converts its results to
  ``Tout``. It is differentiable once: while a tape could record, the kernel runs ``func`` under a
  ``GradientTape`` and keeps it; the gradient is another ``EagerPyFunc`` that asks that tape
  (TF's ``_EagerPyFuncGrad``).
* ``PyFunc`` / ``PyFuncStateless`` (``tf.numpy_function``, ``tf.compat.v1.py_func``): NumPy
  arrays in and out, not differentiable. Eagerly TF calls ``func`` directly (no op, no ``Tout``
  check); in graphs the kernel checks the count and dtypes of the returned arrays.

The Python function rides on the node as an attr (a wrapper object, hashed by identity). Outputs
have unknown static shapes. An exception raised by ``func`` becomes TF's error class, as TF's
``py_func.cc`` maps it: ValueError/TypeError -> InvalidArgumentError, StopIteration ->
OutOfRangeError, MemoryError -> ResourceExhaustedError, NotImplementedError ->
UnimplementedError, anything else (TF's own OpErrors included) -> UnknownError; the message is
``"<ExceptionClass>: <message>"`` followed by the traceback.
"""

import functools
import itertools
import traceback

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors, nest
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops.op_def import _tf_type_word, apply, defop

D = dtypes
_UNKNOWN = TensorShape(None)
_TOKENS = itertools.count()

# Python exception class -> TF error class (py_func.cc DoCallPyFunc); first match wins
_ERROR_CLASSES = (
    ((ValueError, TypeError), errors.InvalidArgumentError),
    (StopIteration, errors.OutOfRangeError),
    (MemoryError, errors.ResourceExhaustedError),
    (NotImplementedError, errors.UnimplementedError),
)


def _py_error(exc, op_name):
    """TF's error for an exception raised by the Python function (``PyExceptionFetch``)."""
    cls = next((c for py, c in _ERROR_CLASSES if isinstance(exc, py)), errors.UnknownError)
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    text = f"{type(exc).__name__}: {exc}\n" + "".join(line + "\n" for line in lines)
    return errors.op_error(cls, op_name, text)


def _invalid(op_name, message):
    return errors.op_error(errors.InvalidArgumentError, op_name, message)


def _is_variable(x):
    return getattr(type(x), "_is_variable", False)


def _trainable(dtype):  # backprop_util.IsTrainable for tensors
    return dtype.is_floating or dtype.is_complex


# ---------------------------------------------------------------- the wrapped functions


class _EagerFunc:
    """``func`` of an ``EagerPyFunc`` node: EagerTensors in, EagerTensors of ``Tout`` out."""

    __slots__ = (
        "func",
        "is_grad_func",
        "out_dtypes",
        "support_graph_mode_gradient",
        "tape_cache",
        "token",
    )

    def __init__(self, func, out_dtypes, is_grad_func):
        self.func = func
        self.out_dtypes = tuple(out_dtypes)
        self.is_grad_func = is_grad_func
        self.token = f"pyfunc_{next(_TOKENS)}"
        self.tape_cache = None  # (tape, eager inputs, eager outputs) of the last recorded call
        # set by the gradient rule while tracing: the graph's runs must keep their tapes
        self.support_graph_mode_gradient = False

    def __repr__(self):
        return f"<EagerFunc {self.token}>"

    def run(self, arrays, in_dtypes):
        """The kernel: ``func`` on ``arrays``; returns the output arrays."""
        args = [EagerTensor(a, d) for a, d in zip(arrays, in_dtypes)]
        graph, state.graph = state.graph, None  # func runs eagerly (a v1 Session sets a graph)
        try:
            outputs = self._recorded_call(args)
        except Exception as e:  # noqa: BLE001 - every exception of func is mapped, as in TF
            raise _py_error(e, "EagerPyFunc") from None
        finally:
            state.graph = graph
        if outputs is None:
            outputs = []
        elif not isinstance(outputs, list):
            outputs = [outputs]
        return _check_outputs(
            self.token,
            "EagerPyFunc",
            [t._dtype for t in outputs],
            self.out_dtypes,
            [t._value for t in outputs],
        )

    def _recorded_call(self, args):
        if not (self.support_graph_mode_gradient or any(t._recording for t in state.tapes)):
            return self._call(args)
        from tensorlet.autodiff.gradient_tape import GradientTape

        # persistent: a persistent outer tape (or a jacobian) may ask for the gradient again
        tape = GradientTape(persistent=True)
        with tape:
            for t in args:
                if _trainable(t._dtype):
                    tape.watch(t)
            outputs = self._call(args)
        self.tape_cache = (tape, args, outputs)
        return outputs

    def _call(self, args):
        ret = self.func(*args)
        if isinstance(ret, (tuple, list)):
            return [self._convert(x, d) for x, d in zip(ret, self.out_dtypes)]
        if ret is None:
            return None
        return self._convert(ret, self.out_dtypes[0])

    def _convert(self, value, dtype):
        if _is_variable(value):
            raise RuntimeError(
                "Attempting to return a variable from an eagerly executed py_func. Only numeric "
                "data structures like Tensors or NumPy arrays should be returned; to return the "
                "value of a variable, make sure to obtain the Tensor backing it by calling "
                f"`.read_value()` on the variable in question: {value}"
            )
        if value is None and self.is_grad_func:
            value = 0.0  # TF: a None gradient becomes a zero of the input's dtype
        return convert_to_tensor(value, dtype=dtype)

    def cached_tape(self):
        if self.tape_cache is None:  # TF: tape_cache.pop(token) raises KeyError
            raise KeyError(self.token.encode())
        return self.tape_cache


class _NumpyFunc:
    """``func`` of a ``PyFunc`` node: NumPy arrays in and out."""

    __slots__ = ("func", "op_name", "token")

    def __init__(self, func, op_name):
        self.func = func
        self.op_name = op_name
        self.token = f"pyfunc_{next(_TOKENS)}"

    def __repr__(self):
        return f"<PyFunc {self.token}>"

    def run(self, arrays, out_dtypes):
        # TensorToNdarray + PyArray_Return: a 0-d array reaches func as a NumPy scalar
        args = [a[()] if xp.ndim(a) == 0 else a for a in arrays]
        graph, state.graph = state.graph, None
        try:
            ret = self.func(*args)
            if isinstance(ret, bytes):
                ret = [ret]
            if isinstance(ret, (tuple, list)):
                outs = [_as_ndarray(x) for x in ret]
            else:
                r = _as_ndarray(ret)
                outs = [] if _is_single_none(r) else [r]
        except Exception as e:  # noqa: BLE001 - every exception of func is mapped, as in TF
            raise _py_error(e, self.op_name) from None
        finally:
            state.graph = graph
        got = [_ndarray_dtype(a, self.op_name) for a in outs]
        return _check_outputs(self.token, self.op_name, got, out_dtypes, outs)


def _as_ndarray(value):
    """``FuncRegistry._convert``: C-ordered, strings as bytes objects (never padded S/U)."""
    result = xp.asarray(value, order="C")
    if result.dtype.char == "S" and result is not value:
        return xp.asarray(value, order="C", dtype=object)
    if result.dtype.char == "U":
        return xp.vectorize(lambda x: x.encode("utf8"), otypes=[object])(result)
    return result


def _is_single_none(a):
    return a.dtype == object and a.ndim == 0 and a[()] is None


def _ndarray_dtype(a, op_name):
    """The TF dtype ``NdarrayToTensor`` gives ``a`` (object arrays must hold strings)."""
    if a.dtype == object or a.dtype.char == "S":
        for x in a.flat:
            if not isinstance(x, (bytes, str)):
                raise errors.op_error(
                    errors.UnimplementedError,
                    op_name,
                    f"Unsupported object type {type(x).__name__}",
                )
        return D.string
    try:
        return D.as_dtype(a.dtype)
    except TypeError:
        raise _invalid(op_name, f"Unsupported numpy type: {a.dtype}") from None


def _check_outputs(token, op_name, got, expected, values):
    if len(got) != len(expected):
        raise _invalid(
            op_name,
            f"{token} returns {len(got)} values, but expects to see {len(expected)} values.",
        )
    for i, (g, e) in enumerate(zip(got, expected)):
        if g != e:
            raise _invalid(
                op_name,
                f"{i}-th value returned by {token} is {_tf_type_word(g)}, "
                f"but expects {_tf_type_word(e)}",
            )
    return tuple(values)


# ---------------------------------------------------------------- the ops


def _out_dtypes(op, inputs, attrs):
    return attrs["Tout"]


def _out_shapes(op, inputs, attrs):
    return tuple(_UNKNOWN for _ in attrs["Tout"])


def _eager_py_func(*arrays, func, token, Tin, Tout, is_async):
    return func.run(arrays, Tin)


def _py_func(*arrays, func, token, Tin, Tout):
    return func.run(arrays, Tout)


def _eager_py_func_grad(op, *dys):
    """TF's ``_EagerPyFuncGrad``: an ``EagerPyFunc`` asking the forward call's tape."""
    from tensorlet.ops import array_ops

    func = op.get_attr("func")
    if state.graph is not None:  # the graph's runs of the forward node must keep their tape
        func.support_graph_mode_gradient = True

    def eagerly_executed_grad(*dy):
        tape, eager_inputs, eager_outputs = func.cached_tape()
        grads = tape.gradient(eager_outputs, eager_inputs, output_gradients=list(dy))
        # TF returns a scalar 0 of the input's dtype for a None gradient (an error for integer
        # inputs, as in TF); here it is broadcast to the input's shape, so that the tape can
        # sum it like any other gradient
        return [
            array_ops.broadcast_to(convert_to_tensor(0.0, dtype=x.dtype), x.shape)
            if g is None
            else g
            for g, x in zip(grads, eager_inputs)
        ]

    dys = [array_ops.zeros_like(o) if dy is None else dy for dy, o in zip(dys, op.outputs)]
    grads = _internal_py_func(
        eagerly_executed_grad, dys, [t.dtype for t in op.inputs], eager=True, is_grad_func=True
    )
    if state.graph is not None:
        for g, x in zip(grads, op.inputs):
            g.set_shape(x.shape)
    return grads


eager_py_func_op = defop(
    "EagerPyFunc",
    _eager_py_func,
    dtype_rule=_out_dtypes,
    shape_rule=_out_shapes,
    grad=_eager_py_func_grad,
    stateful=True,
    num_outputs=None,
)
py_func_op = defop(
    "PyFunc",
    _py_func,
    dtype_rule=_out_dtypes,
    shape_rule=_out_shapes,
    stateful=True,
    num_outputs=None,
)
# Stateless for TF's optimizers; stateful here, because tensorlet folds stateless nodes with
# constant inputs while tracing, which would run the Python function at trace time.
py_func_stateless_op = defop(
    "PyFuncStateless",
    _py_func,
    dtype_rule=_out_dtypes,
    shape_rule=_out_shapes,
    stateful=True,
    num_outputs=None,
)


# ---------------------------------------------------------------- composite tensors


def _is_composite(v):
    return not isinstance(v, Tensor) and hasattr(type(v), "_type_spec")


def _is_type_spec(t):
    return (
        not isinstance(t, D.DType)
        and hasattr(t, "is_compatible_with")
        and hasattr(t, "dtype")
        and hasattr(t, "shape")
    )


def _is_tensor_spec(t):
    return getattr(type(t), "_is_tensor_spec", False)


def _components(value):
    if hasattr(value, "nested_row_splits"):  # RaggedTensor
        return [value.flat_values, *value.nested_row_splits]
    return [value.indices, value.values, value.dense_shape]  # SparseTensor


def _spec_dtypes(spec):
    """The dtypes of the components of a value of ``spec`` (flattened with expand_composites)."""
    if _is_tensor_spec(spec):
        return [spec.dtype]
    name = type(spec).__name__
    if name == "RaggedTensorSpec":
        return [spec.dtype] + [spec.row_splits_dtype] * spec.ragged_rank
    if name == "SparseTensorSpec":
        return [D.int64, spec.dtype, D.int64]
    raise TypeError(f"py_function does not support Tout={spec!r}")


def _from_components(kind, comps):
    if kind == "RaggedTensorSpec" or kind == "RaggedTensor":
        from tensorlet.ragged_tensors.ragged_tensor import RaggedTensor

        if len(comps) == 1:
            return comps[0]
        return RaggedTensor.from_nested_row_splits(comps[0], comps[1:], validate=False)
    from tensorlet.sparse_tensors.sparse_tensor import SparseTensor

    return SparseTensor(*comps)


def _wrap_for_composites(func, inp, Tout):
    """TF's ``_wrap_for_composites``: flat tensors through the op, structures for ``func``."""
    in_kinds = [type(v).__name__ if _is_composite(v) else None for v in inp]
    in_sizes = [len(_components(v)) if k else 1 for v, k in zip(inp, in_kinds)]
    flat_inp = [c for v, k in zip(inp, in_kinds) for c in (_components(v) if k else [v])]
    out_structure = Tout
    flat_tout = [d for t in Tout for d in (_spec_dtypes(t) if _is_type_spec(t) else [t])]

    def wrapped_func(*flat):
        args, pos = [], 0
        for kind, n in zip(in_kinds, in_sizes):
            part = list(flat[pos : pos + n])
            args.append(_from_components(kind, part) if kind else part[0])
            pos += n
        out = func(*args)
        if not out_structure:
            return []
        if not isinstance(out, (list, tuple)):
            out = [out]
        flat_out = []
        for elt, expected in zip(out, out_structure):
            if _is_type_spec(expected) and not _is_tensor_spec(expected):
                if not expected.is_compatible_with(elt):
                    raise ValueError(
                        f"py_function: func={func} returned {out!r}, which did not match "
                        f"Tout={out_structure!r}.\nIn particular, {elt!r} is not compatible with "
                        f"{expected!r}."
                    )
                flat_out.extend(_components(elt) if _is_composite(elt) else [elt])
            else:
                if _is_composite(elt):
                    raise ValueError(
                        f"py_function: func={func} returned {out!r}, which did not match "
                        f"Tout={out_structure!r}.\nIn particular, {elt!r} is not a Tensor."
                    )
                flat_out.append(elt)
        return flat_out

    return wrapped_func, flat_inp, flat_tout, out_structure


def _pack_composites(out_structure, flat):
    out, pos = [], 0
    for t in out_structure:
        if _is_type_spec(t) and not _is_tensor_spec(t):
            n = len(_spec_dtypes(t))
            out.append(_from_components(type(t).__name__, list(flat[pos : pos + n])))
            pos += n
        else:
            out.append(flat[pos])
            pos += 1
    return out


# ---------------------------------------------------------------- the public functions


def _as_dtype_or_type_spec(t):
    return t if _is_type_spec(t) else D.as_dtype(t)


def _internal_py_func(func, inp, Tout, stateful=None, eager=False, is_grad_func=False, name=None):
    """TF's ``_internal_py_func``: adds (or eagerly runs) the op; see the module docstring."""
    if not callable(func):
        raise ValueError(  # noqa: TRY004 - TF's class
            f"Expected func to be callable. Received func={func} of type {type(func)}."
        )
    inp = [x.value() if _is_variable(x) else x for x in list(inp)]
    is_list_or_tuple = isinstance(Tout, (list, tuple))
    Tout = list(Tout) if is_list_or_tuple else [Tout]
    if eager:
        Tout = [_as_dtype_or_type_spec(t) for t in Tout]
    else:
        Tout = [_tout_dtype(t) for t in Tout]
    composite = eager and (
        any(_is_composite(v) for v in inp) or any(_is_type_spec(t) for t in Tout)
    )
    if composite:
        func, inp, Tout, out_structure = _wrap_for_composites(func, inp, Tout)
    inputs = [x if isinstance(x, Tensor) else convert_to_tensor(x) for x in inp]
    if eager:
        op, wrapper = eager_py_func_op, _EagerFunc(func, Tout, is_grad_func)
        extra = {"is_async": False}
    else:
        op = py_func_op if stateful else py_func_stateless_op
        wrapper, extra = _NumpyFunc(func, op.name), {}
    result = apply(
        op,
        *inputs,
        name=name,
        func=wrapper,
        token=wrapper.token,
        Tin=tuple(t.dtype for t in inputs),
        Tout=tuple(Tout),
        **extra,
    )
    if not Tout and state.graph is not None:  # TF's generated op returns the Operation
        return state.graph._nodes[-1]
    result = list(result)
    if composite and Tout:
        result = _pack_composites(out_structure, result)
    return result if is_list_or_tuple else result[0]


def _tout_dtype(t):
    try:
        return D.as_dtype(t)
    except (TypeError, ValueError):
        raise TypeError(f"Expected DataType for argument 'Tout' not {t!r}.") from None


def _check_args_and_maybe_make_decorator(
    script_op, script_op_name, func=None, inp=None, Tout=None, **kwargs
):
    """The decorator form (``func=None``) of py_function / numpy_function, or None."""
    if Tout is None:
        raise TypeError(
            f"Missing required argument: 'Tout'\n  If using {script_op_name} as a "
            f"decorator, set `Tout`\n  **by name** above the function:\n  "
            f"`@{script_op_name}(Tout=tout)`"
        )
    if func is None:
        if inp is not None:
            raise TypeError(
                f"Don't set the `inp` argument when using {script_op_name} as a "
                "decorator (`func=None`)."
            )

        def py_function_decorator(fun):
            @functools.wraps(fun)
            def py_function_wrapper(*args):
                return script_op(fun, inp=args, Tout=Tout, **kwargs)

            return py_function_wrapper

        return py_function_decorator
    if inp is None:
        raise TypeError(
            "Missing argument `inp`:\n  You must set the `inp` argument (the list of "
            f"arguments to the\n  function), unless you use `{script_op_name}` as a "
            "decorator(`func=None`)."
        )
    return None


@tf_export("py_function")
def eager_py_func(func=None, inp=None, Tout=None, name=None):
    """Wraps a Python function into an op that runs it eagerly, also inside graphs.

    ``func`` receives EagerTensors and returns values convertible to ``Tout`` (a dtype, a
    ``tf.TypeSpec`` for composite results, a list of those, or ``[]`` for no result). Inside a
    ``tf.function`` or a ``tf.data`` transformation the op calls ``func`` each time the graph
    runs; the results have unknown static shapes. Differentiable once (a tape records ``func``).
    Without ``func`` it is a decorator (``@tf.py_function(Tout=tf.float32)``).

    Example:
        >>> def log_huber(x, m):
        ...   if tf.abs(x) <= m:
        ...     return x**2
        ...   return m**2 * (1 - 2 * tf.math.log(m) + tf.math.log(x**2))
        >>> x = tf.constant(1.0)
        >>> with tf.GradientTape() as t:
        ...   t.watch(x)
        ...   y = tf.py_function(func=log_huber, inp=[x, 2.0], Tout=tf.float32)
        >>> float(y), float(t.gradient(y, x))
        (1.0, 2.0)
    """
    decorator = _check_args_and_maybe_make_decorator(
        eager_py_func, "tf.py_function", func=func, inp=inp, Tout=Tout, name=name
    )
    if decorator is not None:
        return decorator
    return _internal_py_func(func, inp, Tout, eager=True, name=name)


def _np_array(x):
    if isinstance(x, EagerTensor):
        return xp.array(x._value)
    if _is_variable(x):
        return xp.array(x.numpy())
    return xp.array(x)


def py_func_common(func, inp, Tout, stateful=True, name=None):
    """``numpy_function`` / ``compat.v1.py_func``: eagerly a plain call, in graphs a PyFunc."""
    if state.graph is None:  # TF calls func directly: no op, no check of Tout
        result = nest.flatten(func(*[_np_array(x) for x in inp]))
        result = [x if x is None else convert_to_tensor(x) for x in result]
        if len(result) == 1:  # mimics the unwrapping of the graph op
            (result,) = result
        return result
    return _internal_py_func(func, inp, Tout, stateful=stateful, eager=False, name=name)


@tf_export("compat.v1.py_func")
def py_func(func, inp, Tout, stateful=True, name=None):
    """TF 1's ``tf.py_func``: ``tf.numpy_function`` with a ``stateful`` flag.

    Example:
        >>> tf.compat.v1.py_func(lambda x: x * 2, [tf.constant([1.0, 2.0])], tf.float32)
        <tf.Tensor: shape=(2,), dtype=float32, numpy=array([2., 4.], dtype=float32)>
    """
    return py_func_common(func, inp, Tout, stateful, name=name)


@tf_export("numpy_function")
def numpy_function(func=None, inp=None, Tout=None, stateful=True, name=None):
    """Wraps a Python function of NumPy arrays as an op (not differentiable).

    Eagerly ``func`` is simply called with NumPy arrays (``Tout`` is not checked). Inside a
    ``tf.function`` / ``tf.data`` graph a ``PyFunc`` op calls it each time the graph runs: it
    receives NumPy arrays (NumPy scalars for scalars) and must return arrays whose dtypes are
    exactly ``Tout``. Without ``func`` it is a decorator (``@tf.numpy_function(Tout=...)``).

    Example:
        >>> @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
        ... def f(x):
        ...   return tf.numpy_function(lambda a: np.sinh(a), [x], tf.float32)
        >>> f(tf.constant(1.0))
        <tf.Tensor: shape=(), dtype=float32, numpy=1.175201177597046>
    """
    decorator = _check_args_and_maybe_make_decorator(
        numpy_function,
        "tf.numpy_function",
        func=func,
        inp=inp,
        Tout=Tout,
        stateful=stateful,
        name=name,
    )
    if decorator is not None:
        return decorator
    return py_func_common(func, inp, Tout, stateful=stateful, name=name)


__all__ = ["eager_py_func", "numpy_function", "py_func"]
