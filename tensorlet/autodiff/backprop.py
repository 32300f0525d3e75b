"""The reverse walk over a tape's records, with un-broadcasting done in one place.

Gradient rules (``OpDef.grad``) return gradients shaped like the op's output broadcast; this
module sums them back to each input's shape, so no rule handles broadcasting itself.
"""
from tensorlet.framework import dtypes
from tensorlet.framework.indexed_slices import IndexedSlices


def _differentiable(dtype):
    return dtype.is_floating or dtype.is_complex


def backward(records, seeds):
    """Propagates ``seeds`` ({id(tensor): gradient}) back through ``records`` (in call order).

    Returns the dict of accumulated gradients keyed by ``id`` of every reached tensor.
    """
    from tensorlet.ops import array_ops, math_ops

    grads = dict(seeds)
    for rec in reversed(records):
        outs = rec.outputs
        gs = [grads.get(id(o)) for o in outs]
        if all(g is None for g in gs):
            continue
        gs = [_dense(g) for g in gs]
        grad_fn = rec.opdef.grad
        if grad_fn is None:
            continue
        if len(outs) > 1:
            gs = [g if g is not None else array_ops.zeros_like(o) if _differentiable(o.dtype) else None
                  for g, o in zip(gs, outs)]
        in_grads = grad_fn(rec, *gs)
        for x, g in zip(rec.inputs, in_grads):
            if g is None or not _differentiable(x.dtype):
                continue
            k = id(x)
            prev = grads.get(k)
            if isinstance(g, IndexedSlices):
                grads[k] = g if prev is None else aggregate(prev, g)
                continue
            g = unbroadcast(g, x)
            grads[k] = g if prev is None else aggregate(prev, g)
    return grads


def aggregate(a, b):
    """Sums two gradient contributions; two IndexedSlices stay sparse (rows concatenated)."""
    from tensorlet.framework.tensor_conversion import convert_to_tensor
    from tensorlet.ops import array_ops, math_ops

    if isinstance(a, IndexedSlices) and isinstance(b, IndexedSlices):
        return IndexedSlices(array_ops.concat([a.values, b.values], 0),
                             array_ops.concat([a.indices, b.indices], 0), a.dense_shape)
    if isinstance(a, IndexedSlices):
        a = convert_to_tensor(a)
    if isinstance(b, IndexedSlices):
        b = convert_to_tensor(b)
    return math_ops.add(a, b)


def _dense(g):
    if isinstance(g, IndexedSlices):  # an op's output gradient: rules expect dense tensors
        from tensorlet.framework.tensor_conversion import convert_to_tensor
        return convert_to_tensor(g)
    return g


def unbroadcast(g, x):
    """Sums ``g`` over the axes along which ``x`` was broadcast, then reshapes to x's shape."""
    from tensorlet.ops import array_ops, reduction_ops

    gshape, xshape = tuple(g.shape), tuple(x.shape)
    if gshape == xshape:
        return g
    lead = len(gshape) - len(xshape)
    axes = list(range(lead))
    for i, d in enumerate(xshape):
        if d == 1 and gshape[lead + i] != 1:
            axes.append(lead + i)
    if axes:
        g = reduction_ops.reduce_sum(g, axis=axes, keepdims=False)
    if tuple(g.shape) != xshape:
        g = array_ops.reshape(g, list(xshape))
    return g


__all__ = ["backward", "unbroadcast", "dtypes"]
