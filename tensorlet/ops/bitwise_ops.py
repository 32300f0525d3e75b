"""``tf.bitwise``: and/or/xor/invert and shifts on integer tensors.

Shifts clamp the shift amount to [0, bits - 1] as TF's CPU kernels do, so
``left_shift(1, 32) == 1 << 31`` and ``right_shift(-16, 40) == -1``; shifted-out bits are lost.
"""
from tensorlet.backend import xp
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_conversion import convert_pair, convert_to_tensor
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop

_INT = R.INT


def _clamped(x, y):
    return xp.clip(y, 0, x.dtype.itemsize * 8 - 1).astype(x.dtype)


def _left_shift(x, y):
    return xp.left_shift(x, _clamped(x, y))


def _right_shift(x, y):
    return xp.right_shift(x, _clamped(x, y))


def _population_count(x):
    u = x.view(xp.dtype(f"u{x.dtype.itemsize}"))
    return xp.bitwise_count(u).astype(xp.uint8)


def _binop(name, kernel):
    return defop(name, kernel, dtype_rule=R.same_dtype(_INT), shape_rule=R.broadcast)


bitwise_and_op = _binop("BitwiseAnd", xp.bitwise_and)
bitwise_or_op = _binop("BitwiseOr", xp.bitwise_or)
bitwise_xor_op = _binop("BitwiseXor", xp.bitwise_xor)
left_shift_op = _binop("LeftShift", _left_shift)
right_shift_op = _binop("RightShift", _right_shift)
invert_op = defop("Invert", xp.invert, dtype_rule=R.same_dtype(_INT), shape_rule=R.unchanged)
population_count_op = defop("PopulationCount", _population_count,
                            dtype_rule=R.same_dtype(_INT, out=R.D.uint8),
                            shape_rule=R.unchanged)


@tf_export("bitwise.bitwise_and")
def bitwise_and(x, y, name=None):
    """Elementwise x & y of integer tensors."""
    x, y = convert_pair(x, y)
    return apply(bitwise_and_op, x, y, name=name)


@tf_export("bitwise.bitwise_or")
def bitwise_or(x, y, name=None):
    """Elementwise x | y of integer tensors."""
    x, y = convert_pair(x, y)
    return apply(bitwise_or_op, x, y, name=name)


@tf_export("bitwise.bitwise_xor")
def bitwise_xor(x, y, name=None):
    """Elementwise x ^ y of integer tensors."""
    x, y = convert_pair(x, y)
    return apply(bitwise_xor_op, x, y, name=name)


@tf_export("bitwise.left_shift")
def left_shift(x, y, name=None):
    """Elementwise x << y (y clamped to [0, bits - 1])."""
    x, y = convert_pair(x, y)
    return apply(left_shift_op, x, y, name=name)


@tf_export("bitwise.right_shift")
def right_shift(x, y, name=None):
    """Elementwise x >> y, arithmetic for signed types (y clamped to [0, bits - 1])."""
    x, y = convert_pair(x, y)
    return apply(right_shift_op, x, y, name=name)


@tf_export("bitwise.invert")
def invert(x, name=None):
    """Flips all bits: ~x (for unsigned x: max - x)."""
    x = x if type(x) is EagerTensor else convert_to_tensor(x)
    return apply(invert_op, x, name=name)


@tf_export("raw_ops.PopulationCount")
def population_count(x, name=None):
    """Number of set bits of each element, as uint8 (only ``tf.raw_ops`` exposes it)."""
    return apply(population_count_op, convert_to_tensor(x), name=name)
