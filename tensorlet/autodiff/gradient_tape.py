"""``tf.GradientTape``: records the ops run on watched tensors and differentiates them."""
import contextlib
import logging

from tensorlet.autodiff.backprop import _differentiable, aggregate, backward
from tensorlet.framework import nest
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor


_logger = logging.getLogger("tensorflow")


def _warn_not_floating(what, dtype, when=""):
    """TF logs (does not raise) when a watched/source/target tensor is not floating."""
    if not (dtype.is_floating or dtype.is_complex):
        _logger.warning("The dtype of the %s must be floating (e.g. tf.float32)%s, got %r",
                        what, when, dtype)


def _is_variable(x):
    return getattr(type(x), "_is_variable", False)


@tf_export("UnconnectedGradients")
class UnconnectedGradients:
    """What ``gradient`` returns for sources the target does not depend on."""

    NONE = "none"
    ZERO = "zero"


@tf_export("GradientTape", "autodiff.GradientTape")
class GradientTape:
    """Records operations for automatic differentiation.

    Example:
        >>> x = tf.Variable(3.0)
        >>> with tf.GradientTape() as tape:
        ...     y = x ** 2
        >>> float(tape.gradient(y, x))
        6.0
    """

    def __repr__(self):  # as TF prints it (the module path is TF's)
        return f"<tensorflow.python.eager.backprop.GradientTape object at {hex(id(self))}>"

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables
        self._records = []
        self._watched = {}        # id -> tensor: tensors the recorded values depend on
        self._watched_vars = {}   # id -> variable, in watch order
        self._var_reads = {}      # id(variable) -> [tensors read from it while recording]
        self._recording = False
        self._used = False

    # ---- context
    def __enter__(self):
        state.tapes.append(self)
        self._recording = True
        return self

    def __exit__(self, *exc):
        if self in state.tapes:
            state.tapes.remove(self)
        self._recording = False

    @contextlib.contextmanager
    def stop_recording(self):
        """Temporarily stops recording operations on this tape."""
        was = self._recording
        self._recording = False
        try:
            yield
        finally:
            self._recording = was

    def reset(self):
        """Clears everything recorded so far."""
        self._records.clear()
        self._watched.clear()
        self._watched_vars.clear()
        self._var_reads.clear()

    # ---- recording (called by apply / Variable)
    def watch(self, tensor):
        """Ensures ``tensor`` (a tensor, variable or nested structure of them) is traced."""
        for t in nest.flatten(tensor):
            if _is_variable(t):
                _warn_not_floating("watched tensor", t.dtype)
                self._watched_vars[id(t)] = t
            elif isinstance(t, Tensor):
                _warn_not_floating("watched tensor", t.dtype)
                self._watched[id(t)] = t
            else:
                raise ValueError(f"Passed in object {t!r} of type {type(t).__name__!r}, "
                                 "not tf.Tensor or tf.Variable or ExtensionType.")

    def _should_record(self, inputs):
        w = self._watched
        for t in inputs:
            if id(t) in w:
                return True
        return False

    def _push(self, rec):
        self._records.append(rec)
        for o in rec.outputs:
            self._watched[id(o)] = o

    def _variable_read(self, var, tensor):
        if not self._recording:
            return
        k = id(var)
        if k not in self._watched_vars:
            if not (self._watch_accessed and getattr(var, "trainable", False)):
                return
            self._watched_vars[k] = var
        self._var_reads.setdefault(k, []).append(tensor)
        self._watched[id(tensor)] = tensor

    def watched_variables(self):
        """The variables this tape watched, in the order they were first watched."""
        return tuple(self._watched_vars.values())

    # ---- differentiation
    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """d(sum of ``target``)/d ``sources``, weighted by ``output_gradients``; same structure as sources."""
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one set "
                               "of gradients (or jacobians)")
        self._used = True
        targets = nest.flatten(target)
        flat_sources = nest.flatten(sources)
        ups = [None] * len(targets) if output_gradients is None else nest.flatten(output_gradients)
        with self.stop_recording():
            seeds = {}
            for t, up in zip(targets, ups):
                t = t.value() if _is_variable(t) else t
                _warn_not_floating("target tensor", t.dtype, " when calling GradientTape.gradient")
                g = _ones_like(t) if up is None else convert_to_tensor(up, dtype=t.dtype)
                k = id(t)
                seeds[k] = g if k not in seeds else seeds[k] + g
            grads = backward(self._records, seeds, self._watched)
            result = [self._source_grad(s, grads, unconnected_gradients) for s in flat_sources]
        if not self._persistent:
            self._records = []
        return nest.pack_sequence_as(sources, result)

    def _source_grad(self, source, grads, unconnected):
        if _is_variable(source):
            parts = [grads[id(t)] for t in self._var_reads.get(id(source), ()) if id(t) in grads]
            dtype = source.dtype
        elif isinstance(source, Tensor):
            parts = [grads[id(source)]] if id(source) in grads else []
            dtype = source.dtype
        else:
            raise ValueError(f"Argument `sources` must be a Tensor or Variable, got {source!r}")
        if not _differentiable(dtype):
            _warn_not_floating("source tensor", dtype, " when calling GradientTape.gradient")
            return None
        if not parts:
            if unconnected == UnconnectedGradients.ZERO:
                from tensorlet.ops import array_ops
                return array_ops.zeros_like(source.value() if _is_variable(source) else source)
            return None
        g = parts[0]
        for p in parts[1:]:
            g = aggregate(g, p)
        return g

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """Full Jacobian of ``target`` w.r.t. each source: shape target.shape + source.shape."""
        from tensorlet.ops import array_ops
        persistent, self._persistent = self._persistent, True
        try:
            n = int(target.shape.num_elements())
            flat_sources = nest.flatten(sources)
            rows = [[] for _ in flat_sources]
            for i in range(n):
                up = array_ops.reshape(array_ops.one_hot(i, n, dtype=target.dtype), target.shape.as_list())
                gs = nest.flatten(self.gradient(target, sources, output_gradients=up,
                                                unconnected_gradients=unconnected_gradients))
                for r, g, s in zip(rows, gs, flat_sources):
                    r.append(g if g is not None else array_ops.zeros_like(s))
            out = [array_ops.reshape(array_ops.stack(r), target.shape.as_list() + s.shape.as_list())
                   for r, s in zip(rows, flat_sources)]
        finally:
            self._persistent = persistent
        return nest.pack_sequence_as(sources, out)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example Jacobians: target [b, ...y] and source [b, ...x] give [b, ...y, ...x].

        Assumes, as TF does, that example i of the target depends only on example i of the source.
        """
        from tensorlet.ops import array_ops
        persistent, self._persistent = self._persistent, True
        try:
            tshape, sshape = target.shape.as_list(), source.shape.as_list()
            batch, n = tshape[0], 1
            for d in tshape[1:]:
                n *= d
            cols = []
            for j in range(n):
                up = array_ops.reshape(array_ops.one_hot(array_ops.fill([batch], j), n,
                                                         dtype=target.dtype), tshape)
                g = self.gradient(target, source, output_gradients=up,
                                  unconnected_gradients=unconnected_gradients)
                cols.append(g if g is not None else array_ops.zeros_like(source))
            out = array_ops.stack(cols, axis=1)  # [b, n, ...x]
        finally:
            self._persistent = persistent
        return array_ops.reshape(out, tshape + sshape[1:])


def _ones_like(t):
    from tensorlet.ops import array_ops
    return array_ops.ones_like(t)



