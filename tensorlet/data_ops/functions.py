"""User functions of dataset transformations (TF's ``StructuredFunctionWrapper``).

TF traces the function once into a graph and runs the graph per element. tensorlet does the
same when it can: the function is traced (through AutoGraph) on placeholders of the input spec,
the output spec comes from the trace and every element runs the ``ConcreteFunction``. Tracing
fails for functions tensorlet cannot trace (an op that needs a value while tracing, such as
``tf.fill`` with a tensor shape, or code calling ``.numpy()``); such a function is called
eagerly on every element instead. The visible differences: Python side effects then happen per
element instead of once, and the output spec is taken from the first output with its
dimensions relaxed to ``None`` (its rank and dtypes are kept).
"""

import os
import traceback

from tensorlet.data_ops import structure
from tensorlet.framework import errors
from tensorlet.framework.context import state
from tensorlet.framework.symbolic_tensor import OperatorNotAllowedInGraphError
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_spec import TensorSpec

TRACE = True  # False: always call functions eagerly (debugging aid)
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _autograph(fn):
    """AutoGraph's conversion of ``fn`` (``fn`` itself when it cannot be converted)."""
    try:
        from tensorlet.autograph import impl  # the package (``tensorlet.autograph`` may name
    except Exception:  # noqa: BLE001 - the generated tf.autograph namespace); unavailable: as is
        return fn
    try:
        return impl.convert(fn)
    except Exception:  # noqa: BLE001 - as TF: a function AutoGraph cannot convert runs as is
        return fn


def _raised_by_user_code(error):
    """True when the frame that used a graph tensor as a bool / iterable is not tensorlet's own
    code (where it only means that the op has no graph form yet)."""
    frames = traceback.extract_tb(error.__traceback__)
    for i, frame in enumerate(frames):
        if frame.filename.endswith(os.path.join("framework", "symbolic_tensor.py")) and i:
            caller = os.path.abspath(frames[i - 1].filename)
            return not caller.startswith(_PACKAGE)
    return False


def _call(fn, args):
    """``fn(*args)`` for a tuple ``args``, else ``fn(args)`` (TF's ``_should_unpack``)."""
    return fn(*args) if type(args) is tuple else fn(args)


def _graph_output(ret):
    """Inside a trace: the returned structure with its leaves as tensors of the graph."""
    ret = tuple(ret) if type(ret) is list else ret
    leaves = structure.flatten(ret)
    out = []
    for v in leaves:
        if v is None or isinstance(v, Tensor):
            out.append(v)
        elif getattr(v, "_is_variable", False):
            out.append(v.value())
        elif hasattr(v, "_is_dataset"):
            raise TypeError("a dataset is not a graph output")
        else:
            from tensorlet.framework.tensor_conversion import convert_to_tensor

            out.append(convert_to_tensor(v))
    return structure.pack_sequence_as(ret, out)


class StructuredFunction:
    """``func`` applied to dataset elements; traced when possible (see the module doc).

    Args:
      func: the user function.
      input_spec: ``input_spec(peek)`` -> the spec of what ``func`` receives (None when
        unknown without a peek at the data).
      trace: False to always run eagerly (functions returning datasets).
    """

    def __init__(self, func, input_spec, trace=True, name="function"):
        if not callable(func):
            raise TypeError(f"`{name}` must be callable, got {func!r}.")
        self._func = func
        self._input_spec = input_spec
        self._mode = None if (trace and TRACE) else "eager"
        self._conc = None
        self._out_spec = None
        self._name = getattr(func, "__name__", "function")
        if self._mode is None:
            spec = input_spec(False)
            if spec is not None:
                self._decide(spec)

    @property
    def traced(self):
        return self._mode == "graph"

    def output_spec(self, peek_fn=None):
        """The output spec when it is known without a peek (traced), else ``peek_fn()``."""
        if self._mode is None:
            spec = self._input_spec(peek_fn is not None)
            if spec is None:
                return None
            self._decide(spec)
        if self._mode == "graph":
            return self._out_spec
        return None if peek_fn is None else peek_fn()

    def _decide(self, in_spec):
        self._mode = "eager"
        if not all(type(s) is TensorSpec for s in structure.flatten(in_spec)):
            return
        try:
            self._conc = self._trace(in_spec)
        except OperatorNotAllowedInGraphError as e:
            if _raised_by_user_code(e):
                raise  # TF's error too: a tensor used as a Python bool in the user's code
            self._conc = None
            return
        except Exception:  # noqa: BLE001 - not traceable in tensorlet: run eagerly
            self._conc = None
            return
        self._mode = "graph"
        so = self._conc.structured_outputs
        self._out_spec = structure.pack_sequence_as(
            so,
            [
                structure.NoneTensorSpec() if t is None else TensorSpec(t.shape, t.dtype)
                for t in structure.flatten(so)
            ],
        )

    def _trace(self, in_spec):
        from tensorlet.function import func_graph
        from tensorlet.function.concrete_function import ConcreteFunction

        fn = _autograph(self._func)
        args = in_spec if type(in_spec) is tuple else (in_spec,)
        saved_graph, saved_tapes = state.graph, state.tapes
        state.graph, state.tapes = None, []
        try:
            graph = func_graph.trace(lambda *a: _graph_output(fn(*a)), args, {}, name=self._name)
        finally:
            state.graph, state.tapes = saved_graph, saved_tapes
        if graph.created_variables:
            raise ValueError("variables created in a dataset function")
        return ConcreteFunction(graph, None, self._name)

    def __call__(self, element):
        if self._mode is None:
            spec = self._input_spec(False)
            if spec is None:
                spec = structure.relax(structure.spec_of(element))
            self._decide(spec)
        saved_graph, saved_tapes = state.graph, state.tapes
        state.graph, state.tapes = None, []
        try:
            if self._mode == "graph":
                return self._conc._call_flat(structure.flatten(element))
            return structure.normalize_output(_call(self._func, element))
        except errors.OutOfRangeError as e:  # TF's CapturedFunction: not an end of sequence
            raise errors.InvalidArgumentError(
                None, None, f"Function invocation produced OutOfRangeError: {e.message}"
            ) from None
        finally:
            state.graph, state.tapes = saved_graph, saved_tapes

    def call_raw(self, element):
        """``func(element)`` eagerly, without normalizing what it returns (datasets)."""
        saved_graph, saved_tapes = state.graph, state.tapes
        state.graph, state.tapes = None, []
        try:
            ret = _call(self._func, element)
        finally:
            state.graph, state.tapes = saved_graph, saved_tapes
        return ret
