"""Clipping: clip_by_value, clip_by_norm, clip_by_global_norm and global_norm.

All are composites of elementwise ops, as in TF, so their gradients come from those ops:
``clip_by_value`` is ``maximum(minimum(t, max), min)``, which passes the gradient to ``t`` at the
exact boundary (ties go to the first operand).
"""

import collections.abc

from tensorlet.framework.export import tf_export
from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import array_ops as A
from tensorlet.ops import math_ops as M
from tensorlet.ops import reduction_ops


def _values(t):
    if isinstance(t, IndexedSlices):
        return t.values
    if getattr(type(t), "_is_variable", False):
        return t.value()
    return convert_to_tensor(t)


def _like(t, values):
    """Re-wraps clipped values as IndexedSlices when the input was one."""
    if isinstance(t, IndexedSlices):
        return IndexedSlices(values, t.indices, t.dense_shape)
    return values


def _check_no_broadcast(values, result):
    if not values.shape.is_compatible_with(result.shape):
        raise ValueError(f"Shapes {values.shape} and {result.shape} are incompatible")


@tf_export("clip_by_value")
def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clips ``t`` to ``[clip_value_min, clip_value_max]`` element-wise (NaN stays NaN).

    Example:
        >>> tf.clip_by_value([-3., 0.5, 7.], -1., 2.).numpy()
        array([-1. ,  0.5,  2. ], dtype=float32)
    """
    values = _values(t)
    t_min = M.minimum(values, clip_value_max)
    _check_no_broadcast(values, t_min)
    t_max = M.maximum(t_min, clip_value_min)
    _check_no_broadcast(values, t_max)
    return _like(t, t_max)


@tf_export("clip_by_norm")
def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Rescales ``t`` so that its L2 norm over ``axes`` (all axes when None) is at most
    ``clip_norm``: ``t * clip_norm / max(l2norm(t), clip_norm)``."""
    values = _values(t)
    l2sum = reduction_ops.reduce_sum(values * values, axes, keepdims=True)
    pred = l2sum > 0
    # the two-where trick keeps the gradient finite at a zero norm
    l2sum_safe = A.where(pred, l2sum, A.ones_like(l2sum))
    l2norm = A.where(pred, M.sqrt(l2sum_safe), l2sum)
    intermediate = values * clip_norm
    _check_no_broadcast(values, intermediate)
    clipped = A.identity(intermediate / M.maximum(l2norm, clip_norm))
    return _like(t, clipped)


@tf_export("linalg.global_norm")
def global_norm(t_list, name=None):
    """``sqrt(sum of squared L2 norms)`` of the tensors in ``t_list`` (None entries skipped)."""
    if not isinstance(t_list, collections.abc.Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    from tensorlet.ops import nn_impl

    halves = [nn_impl.l2_loss(_values(t)) for t in t_list if t is not None]
    half = reduction_ops.reduce_sum(A.stack(halves))
    return M.sqrt(half * convert_to_tensor(2.0, dtype=half.dtype))


@tf_export("clip_by_global_norm")
def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scales every tensor of ``t_list`` by ``clip_norm / max(global_norm, clip_norm)``;
    returns ``(clipped list, global_norm)``. A non-finite norm makes every value NaN."""
    if not isinstance(t_list, collections.abc.Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    t_list = list(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    one = convert_to_tensor(1.0, dtype=use_norm.dtype)
    scale_for_finite = clip_norm * M.minimum(1.0 / use_norm, one / clip_norm)
    # NaN for an infinite or NaN norm, a no-op otherwise
    scale = scale_for_finite + (use_norm - use_norm)
    clipped = []
    for t in t_list:
        if t is None:
            clipped.append(None)
            continue
        v = _values(t)
        clipped.append(_like(t, A.identity(v * M.cast(scale, v.dtype))))
    return clipped, use_norm
