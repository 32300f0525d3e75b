"""Elementwise math, matmul, casts and the arithmetic operators of ``tf.Tensor``."""
from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop


def _binary_args(x, y):
    """Converts ``x, y`` for a binary op: a non-tensor takes the other operand's dtype."""
    if type(x) is EagerTensor:
        if type(y) is not EagerTensor:
            y = convert_to_tensor(y, dtype=x._dtype) if not isinstance(y, Tensor) else y
        return x, y
    if isinstance(y, Tensor):
        return convert_to_tensor(x, dtype=y.dtype) if not isinstance(x, Tensor) else x, y
    x = convert_to_tensor(x)
    return x, convert_to_tensor(y, dtype=x.dtype)


# ---------------------------------------------------------------- gradients

def _add_grad(op, dy):
    """Returns dy for both inputs (backprop un-broadcasts)."""
    return [dy, dy]


def _sub_grad(op, dy):
    return [dy, negative(dy)]


def _mul_grad(op, dy):
    x, y = op.inputs
    return [multiply(dy, _conj(y)), multiply(_conj(x), dy)]


def _conj(x):
    return x


# ---------------------------------------------------------------- ops

add_v2_op = defop("AddV2", xp.add, dtype_rule=R.same_dtype(R.NUMERIC + (dtypes.string,)),
                  shape_rule=R.broadcast, grad=_add_grad)
sub_op = defop("Sub", xp.subtract, dtype_rule=R.same_dtype(R.NUMERIC), shape_rule=R.broadcast,
               grad=_sub_grad)
mul_op = defop("Mul", xp.multiply, dtype_rule=R.same_dtype(R.NUMERIC), shape_rule=R.broadcast,
               grad=_mul_grad)
neg_op = defop("Neg", xp.negative, dtype_rule=R.same_dtype(R.FLOAT + R.SIGNED_INT + R.COMPLEX),
               shape_rule=R.unchanged, grad=lambda op, dy: [negative(dy)])


@tf_export("math.add", "add")
def add(x, y, name=None):
    """Returns x + y element-wise (broadcasting)."""
    x, y = _binary_args(x, y)
    return apply(add_v2_op, x, y, name=name)


@tf_export("math.subtract", "subtract")
def subtract(x, y, name=None):
    """Returns x - y element-wise (broadcasting)."""
    x, y = _binary_args(x, y)
    return apply(sub_op, x, y, name=name)


@tf_export("math.multiply", "multiply")
def multiply(x, y, name=None):
    """Returns x * y element-wise (broadcasting)."""
    x, y = _binary_args(x, y)
    return apply(mul_op, x, y, name=name)


@tf_export("math.negative", "negative")
def negative(x, name=None):
    """Returns -x element-wise."""
    return apply(neg_op, convert_to_tensor(x), name=name)


def _binary_operator(op):
    """``x <op> y`` and ``y <op> x`` for Tensor: the other operand takes the tensor's dtype."""

    def forward_op(x, y):
        if type(y) is not EagerTensor:
            x, y = _binary_args(x, y)
        return apply(op, x, y)

    def reflected_op(x, y):
        y, x = _binary_args(y, x)
        return apply(op, y, x)

    return forward_op, reflected_op


for _name, _op in [("add", add_v2_op), ("sub", sub_op), ("mul", mul_op)]:
    _fwd, _ref = _binary_operator(_op)
    Tensor._override_operator(f"__{_name}__", _fwd)
    Tensor._override_operator(f"__r{_name}__", _ref)
Tensor._override_operator("__neg__", negative)
