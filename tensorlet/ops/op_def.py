"""The one op mechanism: ``OpDef`` + ``defop`` + ``apply``.

Each TF op type (``"AddV2"``, ``"Exp"``, ``"MatMul"``) is defined once, by ``defop``, with
- ``forward``: the kernel, a function of backend arrays and attrs returning an array (or a tuple
  of arrays for multi-output ops);
- ``dtype_rule(op, inputs, attrs) -> tuple of DTypes``: validates input dtypes with TF's error
  and gives the output dtypes. It is cheap and runs on every call, eager or traced;
- ``shape_rule(op, inputs, attrs) -> tuple of TensorShapes``: the static shapes. It runs when
  tracing, in test mode (checked against eager results), and when a kernel fails, to turn a
  NumPy error into TF's error naming the op, the shapes and the dtypes;
- ``grad(op, *output_grads) -> list`` (TF's ``@RegisterGradient`` signature) written with
  tensorlet ops, so higher-order gradients and tf.function backward passes work. ``None``
  means not differentiable.

``apply(op, *inputs, **attrs)`` is the only way an op runs: eager execution calls ``forward``;
tracing adds a node to the current graph; active gradient tapes record the call.
"""
from tensorlet.framework import dtypes, errors
from tensorlet.framework.context import state
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor

REGISTRY = {}  # TF op name -> OpDef


class OpDef:
    """One TF op type. See the module docstring for the fields."""

    __slots__ = ("name", "forward", "dtype_rule", "shape_rule", "grad", "stateful",
                 "num_outputs", "error_cls")

    def __init__(self, name, forward, dtype_rule, shape_rule, grad, stateful, num_outputs):
        self.name = name
        self.forward = forward
        self.dtype_rule = dtype_rule
        self.shape_rule = shape_rule
        self.grad = grad
        self.stateful = stateful
        self.num_outputs = num_outputs

    def infer(self, inputs, attrs):
        """Output ``(dtypes, shapes)`` for input tensors/specs (anything with .dtype/.shape)."""
        out_dtypes = self.dtype_rule(self, inputs, attrs)
        out_shapes = self.shape_rule(self, inputs, attrs) if self.shape_rule else None
        return out_dtypes, out_shapes

    def __repr__(self):
        return f"<OpDef {self.name}>"


def defop(name, forward, *, dtype_rule, shape_rule=None, grad=None, stateful=False,
          num_outputs=1):
    """Defines and registers the op ``name``; returns its ``OpDef``."""
    if name in REGISTRY:
        raise ValueError(f"Op {name!r} is already defined")
    op = OpDef(name, forward, dtype_rule, shape_rule, grad, stateful, num_outputs)
    REGISTRY[name] = op
    return op


class OpRecord:
    """One executed op, as a gradient function sees it (TF's ``op`` argument)."""

    __slots__ = ("opdef", "inputs", "attrs", "outputs", "skip_input_indices")

    def __init__(self, opdef, inputs, attrs, outputs):
        self.opdef = opdef
        self.inputs = inputs
        self.attrs = attrs
        self.outputs = outputs
        # set by backprop, as in TF eager: inputs whose gradient nobody needs (a rule may skip them)
        self.skip_input_indices = ()

    type = property(lambda self: self.opdef.name)
    name = property(lambda self: self.opdef.name)

    def get_attr(self, name):
        return self.attrs[name]


def apply(op, *inputs, name=None, **attrs):
    """Runs ``op`` on ``inputs`` (tensors; other values are converted) with ``attrs``."""
    st = state
    if st.graph is not None:
        return st.graph.add_op(op, [_as_tensor(t) for t in inputs], attrs, name)
    for t in inputs:
        if type(t) is not EagerTensor:
            inputs = tuple(_as_tensor(t) for t in inputs)
            break
    out_dtypes = op.dtype_rule(op, inputs, attrs)
    n = len(inputs)
    try:  # (arity-specialised calls: this is the hottest line of the library)
        if attrs:
            result = op.forward(*[t._value for t in inputs], **attrs)
        elif n == 2:
            result = op.forward(inputs[0]._value, inputs[1]._value)
        elif n == 1:
            result = op.forward(inputs[0]._value)
        else:
            result = op.forward(*[t._value for t in inputs], **attrs)
    except errors.OpError:
        raise
    except Exception as e:  # a kernel failure becomes TF's error naming op, shapes and dtypes
        raise kernel_error(op, inputs, attrs, e) from None
    if op.num_outputs == 1:
        d = out_dtypes[0]
        if result.dtype is not d._np and d._np is not None and result.dtype != d._np:
            result = result.astype(d._np)
        outputs = _new_eager(EagerTensor)
        outputs._value = result
        outputs._dtype = d
        if st.tapes:
            _record(op, inputs, attrs, (outputs,))
        if st.check_infer:
            _check_infer(op, inputs, attrs, (outputs,))
        return outputs
    outputs = tuple(_wrap(r, d) for r, d in zip(result, out_dtypes))
    if st.tapes:
        _record(op, inputs, attrs, outputs)
    if st.check_infer:
        _check_infer(op, inputs, attrs, outputs)
    return outputs


_new_eager = object.__new__


def _as_tensor(t):
    return t if isinstance(t, Tensor) else convert_to_tensor(t)


def _wrap(arr, dtype):
    np_t = dtype._np
    if arr.dtype is not np_t and np_t is not None and arr.dtype != np_t:
        arr = arr.astype(np_t)
    return EagerTensor(arr, dtype)


def _record(op, inputs, attrs, outputs):
    rec = None
    for tape in state.tapes:
        if tape._recording and tape._should_record(inputs):
            if rec is None:
                rec = OpRecord(op, inputs, attrs, outputs)
            tape._push(rec)


def kernel_error(op, inputs, attrs, exc):
    """Turns a kernel exception into TF's error: the shape rule's error if it has one."""
    if op.shape_rule is not None:
        try:
            op.shape_rule(op, inputs, attrs)
        except (errors.OpError, ValueError, TypeError) as e:
            return e
    desc = ", ".join(f"{t.dtype.name}{list(t.shape)}" for t in inputs)
    return errors.op_error(errors.InvalidArgumentError, op.name,
                           f"{type(exc).__name__}: {exc} (inputs: {desc})")


CHECKED = set()  # names of the ops whose inference was checked in test mode


def _check_infer(op, inputs, attrs, outputs):
    """Test mode: the static inference must agree with what the kernel produced."""
    if op.shape_rule is None:
        return
    shapes = op.shape_rule(op, inputs, attrs)
    CHECKED.add(op.name)
    for out, shape in zip(outputs, shapes):
        if not shape.is_compatible_with(out.shape):
            raise AssertionError(f"{op.name}: inferred shape {shape} but the kernel gave {out.shape}")


# ---- the standard dtype errors, shared by the rule helpers in shape_rules.py ----

def dtype_mismatch(op, index, expected, got):
    return errors.op_error(
        errors.InvalidArgumentError, op.name,
        f"cannot compute {op.name} as input #{index}(zero-based) was expected to be a "
        f"{expected.name} tensor but is a {_tf_type_word(got)} tensor")


def dtype_not_allowed(op, dtype, allowed):
    names = ", ".join(_TF_ATTR_NAMES.get(d.name, d.name) for d in allowed)
    return errors.op_error(
        errors.InvalidArgumentError, op.name,
        f"Value for attr 'T' of {_TF_ATTR_NAMES.get(dtype.name, dtype.name)} is not in the list "
        f"of allowed values: {names}\n\t; NodeDef: {{{{node {op.name}}}}}")


def no_kernel(op, dtype):
    return errors.op_error(
        errors.NotFoundError, op.name,
        f"Could not find device for node: {{{{node {op.name}}}}} = {op.name}[T=DT_{dtype.name.upper()}]"
        f"\nAll kernels registered for op {op.name}:")


_TF_ATTR_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _tf_type_word(d):
    return _TF_ATTR_NAMES.get(d.name, d.name)


def is_float(d):
    return d.is_floating or d.is_complex


__all__ = ["OpDef", "OpRecord", "defop", "apply", "REGISTRY", "dtypes"]
