"""``tf.custom_gradient``, ``tf.RegisterGradient`` and ``tf.no_gradient``."""
import functools

from tensorlet.framework import nest
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import op_def
from tensorlet.ops.op_def import OpRecord


class _CustomGradOp:
    """Stands in for an OpDef on the tape: its ``grad`` calls the user's grad function."""

    name = "CustomGradient"

    def __init__(self, grad_fn, n_inputs, variables):
        self._grad_fn = grad_fn
        self._n_inputs = n_inputs
        self._variables = variables

    def grad(self, rec, *dys):
        dy = dys[0] if len(dys) == 1 else list(dys)
        if self._variables:
            in_grads, var_grads = self._grad_fn(dy, variables=self._variables)
            in_grads = nest.flatten(in_grads)
            return list(in_grads) + list(var_grads)
        return nest.flatten(self._grad_fn(dy))


class _ReadRecorder:
    """A pseudo-tape that only notes the variables read while the user's function runs."""

    _recording = True

    def __init__(self):
        self.variables = {}

    def _variable_read(self, var, tensor):
        if getattr(var, "trainable", False):
            self.variables.setdefault(id(var), var)

    def _should_record(self, inputs):
        return False


@tf_export("custom_gradient")
def custom_gradient(f=None):
    """Decorator: ``f(*x)`` returns ``(y, grad_fn)``; tapes use ``grad_fn(dy)`` for x's gradient."""
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        inputs = [a if isinstance(a, Tensor) else convert_to_tensor(a) for a in args]
        tapes, recorder = state.tapes, _ReadRecorder()
        state.tapes = [recorder]
        try:
            y, grad_fn = f(*inputs, **kwargs)
        finally:
            state.tapes = tapes
        flat_y = [convert_to_tensor(v) for v in nest.flatten(y)]
        variables = list(recorder.variables.values())
        if tapes:
            var_reads = [v.value() for v in variables]  # links the variables on each tape
            rec = OpRecord(_CustomGradOp(grad_fn, len(inputs), variables),
                           tuple(inputs) + tuple(var_reads), {}, tuple(flat_y))
            for tape in tapes:
                if tape._recording and tape._should_record(rec.inputs):
                    tape._push(rec)
        return nest.pack_sequence_as(y, flat_y)

    return wrapped


@tf_export("RegisterGradient")
class RegisterGradient:
    """Decorator registering ``fn(op, *grads)`` as the gradient of the TF op ``op_type``."""

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        opdef = op_def.REGISTRY.get(self._op_type)
        if opdef is None:
            raise KeyError(f"Unknown op type {self._op_type!r}")
        opdef.grad = fn
        return fn


@tf_export("no_gradient", "NotDifferentiable")
def no_gradient(op_type):
    """Declares the op ``op_type`` not differentiable (its gradient is None)."""
    opdef = op_def.REGISTRY.get(op_type)
    if opdef is None:
        raise KeyError(f"Unknown op type {op_type!r}")
    opdef.grad = None
