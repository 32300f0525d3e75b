"""Reductions: reduce_sum, reduce_mean, ... (TF keeps these in math_ops; they are a family here)."""
from tensorlet.backend import xp
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop


def _axes(axis):
    if axis is None:
        return None
    if hasattr(axis, "numpy"):
        axis = axis.numpy()
    if isinstance(axis, (list, tuple)) or getattr(axis, "ndim", 0) > 0:
        return tuple(int(a) for a in axis)
    return int(axis)


def _sum_forward(x, axis, keepdims):
    return xp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _sum_grad(op, dy):
    """Broadcasts dy back over the reduced axes."""
    from tensorlet.ops import array_ops
    x = op.inputs[0]
    shape = x.shape.as_list()
    if not op.get_attr("keepdims"):
        kept = list(shape)
        axis = op.get_attr("axis")
        axes = range(len(shape)) if axis is None else (axis if isinstance(axis, tuple) else (axis,))
        for a in axes:
            kept[a % len(shape)] = 1
        dy = array_ops.reshape(dy, kept)
    return [broadcast_to_shape(dy, shape)]


def broadcast_to_shape(t, shape):
    """``t`` broadcast to ``shape`` with tensorlet ops (so it is differentiable)."""
    from tensorlet.ops import math_ops
    from tensorlet.ops.array_ops import _zeros_of
    return math_ops.add(t, _zeros_of(shape, t.dtype))


sum_op = defop("Sum", _sum_forward, dtype_rule=R.same_dtype(R.NUMERIC), shape_rule=R.reduced,
               grad=_sum_grad)


@tf_export("math.reduce_sum", "reduce_sum")
def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Sum of elements across ``axis`` (all axes when None)."""
    return apply(sum_op, convert_to_tensor(input_tensor), axis=_axes(axis),
                 keepdims=bool(keepdims), name=name)
