"""Comparisons and logic: equal / not_equal (with TF2's ``==`` semantics), less / greater,
logical and / or / xor / not.

``t == u`` is elementwise in TF2 but never raises for incompatible shapes (it returns a scalar
False) and ``t == None`` is plain ``False``; ``tf.math.equal`` raises InvalidArgumentError for
incompatible shapes.
"""
from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_pair, convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop, dtype_mismatch

D = dtypes
_REAL = R.FLOAT + R.SIGNED_INT + R.UNSIGNED_INT


# ---------------------------------------------------------------- kernels and rules

def _equal(x, y, incompatible_shape_error=True):
    try:
        return xp.equal(x, y)
    except ValueError:  # shapes do not broadcast
        if incompatible_shape_error:
            raise
        return xp.array(False)


def _not_equal(x, y, incompatible_shape_error=True):
    try:
        return xp.not_equal(x, y)
    except ValueError:
        if incompatible_shape_error:
            raise
        return xp.array(True)


def _bools(op, inputs, attrs):
    """LogicalAnd/Or/Not take bool only (no type attr): TF reports the input as mismatched."""
    for i, t in enumerate(inputs):
        if t.dtype is not D.bool:
            raise dtype_mismatch(op, i, D.bool, t.dtype)
    return (D.bool,)


def _equal_shape(op, inputs, attrs):
    try:
        return R.broadcast(op, inputs, attrs)
    except errors.InvalidArgumentError:
        if attrs.get("incompatible_shape_error", True):
            raise
        return (TensorShape([]),)


# ---------------------------------------------------------------- ops

def _compare(name, kernel):
    return defop(name, kernel, dtype_rule=R.same_dtype(_REAL, out=D.bool), shape_rule=R.broadcast)


less_op = _compare("Less", xp.less)
less_equal_op = _compare("LessEqual", xp.less_equal)
greater_op = _compare("Greater", xp.greater)
greater_equal_op = _compare("GreaterEqual", xp.greater_equal)
equal_op = defop("Equal", _equal, dtype_rule=R.same_dtype(R.ALL, out=D.bool),
                 shape_rule=_equal_shape)
not_equal_op = defop("NotEqual", _not_equal, dtype_rule=R.same_dtype(R.ALL, out=D.bool),
                     shape_rule=_equal_shape)
logical_and_op = defop("LogicalAnd", xp.logical_and, dtype_rule=_bools, shape_rule=R.broadcast)
logical_or_op = defop("LogicalOr", xp.logical_or, dtype_rule=_bools, shape_rule=R.broadcast)
logical_not_op = defop("LogicalNot", xp.logical_not, dtype_rule=_bools,
                       shape_rule=R.unchanged)


# ---------------------------------------------------------------- public functions

@tf_export("math.equal", "equal")
def equal(x, y, name=None):
    """Returns the truth value of (x == y) element-wise (incompatible shapes raise)."""
    x, y = convert_pair(x, y)
    return apply(equal_op, x, y, incompatible_shape_error=True, name=name)


@tf_export("math.not_equal", "not_equal")
def not_equal(x, y, name=None):
    """Returns the truth value of (x != y) element-wise (incompatible shapes raise)."""
    x, y = convert_pair(x, y)
    return apply(not_equal_op, x, y, incompatible_shape_error=True, name=name)


@tf_export("math.less", "less")
def less(x, y, name=None):
    """Returns the truth value of (x < y) element-wise."""
    x, y = convert_pair(x, y)
    return apply(less_op, x, y, name=name)


@tf_export("math.less_equal", "less_equal")
def less_equal(x, y, name=None):
    """Returns the truth value of (x <= y) element-wise."""
    x, y = convert_pair(x, y)
    return apply(less_equal_op, x, y, name=name)


@tf_export("math.greater", "greater")
def greater(x, y, name=None):
    """Returns the truth value of (x > y) element-wise."""
    x, y = convert_pair(x, y)
    return apply(greater_op, x, y, name=name)


@tf_export("math.greater_equal", "greater_equal")
def greater_equal(x, y, name=None):
    """Returns the truth value of (x >= y) element-wise."""
    x, y = convert_pair(x, y)
    return apply(greater_equal_op, x, y, name=name)


@tf_export("math.logical_and", "logical_and")
def logical_and(x, y, name=None):
    """Returns the truth value of x AND y element-wise (bool tensors only)."""
    x, y = _as_bools(x, y)
    return apply(logical_and_op, x, y, name=name)


@tf_export("math.logical_or", "logical_or")
def logical_or(x, y, name=None):
    """Returns the truth value of x OR y element-wise (bool tensors only)."""
    x, y = _as_bools(x, y)
    return apply(logical_or_op, x, y, name=name)


@tf_export("math.logical_xor")
def logical_xor(x, y, name="LogicalXor"):
    """Returns (x | y) & ~(x & y) element-wise."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)))


def _as_bools(x, y):
    """LogicalAnd has fixed bool inputs: Python values convert to bool, tensors stay as they are."""
    if not isinstance(x, Tensor):
        x = convert_to_tensor(x, dtype=D.bool)
    if not isinstance(y, Tensor):
        y = convert_to_tensor(y, dtype=D.bool)
    return x, y


@tf_export("math.logical_not", "logical_not")
def logical_not(x, name=None):
    """Returns the truth value of NOT x element-wise (bool tensors only)."""
    if not isinstance(x, Tensor):
        x = convert_to_tensor(x, dtype=D.bool)
    return apply(logical_not_op, x, name=name)


# ---------------------------------------------------------------- == and != on tensors

def _tensor_equals(self, other):
    """``==``: elementwise; incompatible shapes give a scalar False; ``t == None`` is False."""
    if other is None:
        return False
    self, other = convert_pair(self, other)
    return apply(equal_op, self, other, incompatible_shape_error=False)


def _tensor_not_equals(self, other):
    if other is None:
        return True
    self, other = convert_pair(self, other)
    return apply(not_equal_op, self, other, incompatible_shape_error=False)


__all__ = ["equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
           "logical_not", "logical_or", "logical_xor", "not_equal"]
