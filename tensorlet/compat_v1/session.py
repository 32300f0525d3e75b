"""``tf.compat.v1.Session``: runs the nodes of a ``Graph`` that given fetches need.

``run(fetches, feed_dict)`` takes a nested structure of tensors, operations, variables or their
names; it runs only the nodes the fetches depend on (fed tensors are not computed), with the
same generated-code executor as tf.function (one per fetch/feed combination and graph
version), and returns NumPy values in the fetches' structure (``None`` for operations).
"""

from tensorlet.backend import xp
from tensorlet.framework import errors, nest
from tensorlet.framework.export import tf_export
from tensorlet.framework.symbolic_tensor import SymbolicTensor
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.function.executor import Executor
from tensorlet.function.func_graph import Node

_session_stack = []


@tf_export("compat.v1.get_default_session")
def get_default_session():
    """The innermost session entered with ``with sess:`` / ``sess.as_default()``, or None."""
    return _session_stack[-1] if _session_stack else None


class _DefaultSession:
    def __init__(self, session):
        self._session = session

    def __enter__(self):
        _session_stack.append(self._session)
        return self._session

    def __exit__(self, *exc):
        _session_stack.remove(self._session)


@tf_export("compat.v1.Session")
class Session:
    """Runs graph nodes: ``Session(target='', graph=None, config=None)``."""

    def __init__(self, target="", graph=None, config=None):
        from tensorlet.compat_v1 import graph_mode

        self._graph = graph if graph is not None else graph_mode.get_default_graph()
        self._target = target
        self._config = config
        self._closed = False
        self._executors = {}

    @property
    def graph(self):
        return self._graph

    @property
    def graph_def(self):
        return self._graph

    @property
    def sess_str(self):
        return self._target

    def list_devices(self):
        from tensorlet.framework import device

        return device.list_logical_devices() if hasattr(device, "list_logical_devices") else []

    # ---- context
    def as_default(self):
        return _DefaultSession(self)

    def __enter__(self):
        _session_stack.append(self)
        self._graph_ctx = self._graph.as_default()
        self._graph_ctx.__enter__()
        return self

    def __exit__(self, *exc):
        self._graph_ctx.__exit__(*exc)
        if self in _session_stack:
            _session_stack.remove(self)
        self.close()

    def close(self):
        self._closed = True
        self._executors.clear()

    def __del__(self):
        pass

    # ---- running
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs the graph to compute ``fetches``; ``feed_dict`` maps tensors to values."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if not self._graph._nodes and not feed_dict:
            raise RuntimeError(
                "The Session graph is empty. Add operations to the graph before calling run()."
            )
        flat = [self._element(f) for f in nest.flatten(fetches)]
        feeds, arrays = self._feeds(feed_dict or {})
        tensors = [f for f in flat if isinstance(f, SymbolicTensor)]
        targets = [f for f in flat if isinstance(f, Node)]
        targets += [w for w in (self._last_write(f) for f in flat) if w is not None]
        key = (
            tuple(id(t) for t in tensors),
            tuple(id(n) for n in targets),
            tuple(id(t) for t in feeds),
            self._graph._version,
        )
        ex = self._executors.get(key)
        if ex is None:
            ex = Executor(self._graph, feeds, tensors, targets, all_stateful=False)
            self._executors[key] = ex
        results = iter(ex(*arrays))
        out = []
        for f in flat:
            if isinstance(f, SymbolicTensor):
                out.append(_numpy(next(results)))
            elif isinstance(f, Node):
                out.append(None)
            elif isinstance(f, EagerTensor):
                out.append(f.numpy())
            else:  # a variable
                out.append(f.numpy())
        if not nest.is_nested(fetches):
            return out[0]
        return nest.pack_sequence_as(fetches, out)

    def _element(self, fetch):
        if fetch is None:
            raise TypeError(
                f'Argument `fetch` = {fetch} has invalid type "NoneType". Cannot be None'
            )
        if isinstance(fetch, str):
            return self._graph.as_graph_element(fetch)
        if isinstance(fetch, (SymbolicTensor, Node, EagerTensor)):
            if isinstance(fetch, (SymbolicTensor, Node)) and fetch.graph is not self._graph:
                raise ValueError(
                    f"Fetch argument {fetch!r} cannot be interpreted as a Tensor. "
                    f"({fetch!r} is not an element of this graph.)"
                )
            return fetch
        if getattr(fetch, "_is_variable", False):
            return fetch
        raise TypeError(
            f"Fetch argument {fetch!r} has invalid type {type(fetch)}, must be a "
            "string or Tensor. (Can not convert a "
            f"{type(fetch).__name__} into a Tensor or Operation.)"
        )

    def _last_write(self, fetch):
        """For ``v.assign*(...)``'s result (an unread variable): the node that writes ``v``."""
        parent = getattr(fetch, "_parent", None)
        if parent is None or not getattr(fetch, "_is_variable", False):
            return None
        for n in reversed(self._graph._nodes):
            if n.variable is parent and n.outputs and n.op.name != "ReadVariableOp":
                return n
        return None

    def _feeds(self, feed_dict):
        feeds, arrays = [], []
        for key, value in feed_dict.items():
            t = self._graph.as_graph_element(key) if isinstance(key, str) else key
            if not isinstance(t, SymbolicTensor):
                raise TypeError(
                    f"The value of a feed cannot be a tf.Tensor object. Acceptable "
                    f"feed values include Python scalars, strings, lists, numpy "
                    f"ndarrays, or TensorHandles. For reference, the tensor object "
                    f"was {t} which was passed to the argument `feed_dict` with key "
                    f"{key}."
                )
            if isinstance(value, EagerTensor):
                value = value.numpy()
            np_t = t.dtype._np
            arr = xp.asarray(value, dtype=np_t if np_t is not None else object)
            if not t.shape.is_compatible_with(TensorShape(arr.shape)):
                raise ValueError(
                    f"Cannot feed value of shape {arr.shape} for Tensor {t.name}, "
                    f"which has shape {t.shape}"
                )
            feeds.append(t)
            arrays.append(arr)
        return feeds, arrays

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        feed_list = list(feed_list or [])

        def call(*values):
            return self.run(fetches, dict(zip(feed_list, values)))

        return call


@tf_export("compat.v1.InteractiveSession")
class InteractiveSession(Session):
    """A Session that makes itself the default session on creation."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        _session_stack.append(self)

    def close(self):
        super().close()
        if self in _session_stack:
            _session_stack.remove(self)


def _numpy(arr):
    a = xp.asarray(arr)
    return a[()] if a.ndim == 0 else a


def _session_for(session):
    s = session or get_default_session()
    if s is None:
        raise ValueError(
            "Cannot evaluate tensor using `eval()`: No default session is "
            "registered. Use `with sess.as_default()` or pass an explicit session to "
            "`eval(session=sess)`"
        )
    return s


def eval_tensor(tensor, feed_dict=None, session=None):
    """``tensor.eval()``: its value in ``session`` (or the default session)."""
    return _session_for(session).run(tensor, feed_dict)


def run_operation(op, feed_dict=None, session=None):
    """``op.run()``: runs the operation in ``session`` (or the default session)."""
    _session_for(session).run(op, feed_dict)


__all__ = ["InteractiveSession", "Session", "errors", "eval_tensor", "get_default_session"]
