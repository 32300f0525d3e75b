"""The reverse walk over a tape's records, with un-broadcasting done in one place.

Gradient rules (``OpDef.grad``) return gradients shaped like the op's output broadcast; this
module sums them back to each input's shape, so no rule handles broadcasting itself.
"""
from tensorlet.framework import dtypes
from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.framework.tensor import EagerTensor

_ops = None


def _lazy_ops():
    """The op modules sit above autodiff in import order; bind them once, on first use."""
    global _ops
    if _ops is None:
        from tensorlet.framework.tensor_conversion import convert_to_tensor
        from tensorlet.ops import array_ops, math_ops, reduction_ops
        _ops = (array_ops, math_ops, reduction_ops, convert_to_tensor)
    return _ops


def _differentiable(dtype):
    # variant: TensorList handles (graph TensorArrays) carry their elements' gradients
    return dtype.is_floating or dtype.is_complex or dtype is dtypes.variant


def backward(records, seeds, needed=None):
    """Propagates ``seeds`` ({id(tensor): gradient}) back through ``records`` (in call order).

    ``needed`` (ids of tensors that lead to a source, e.g. a tape's watched set) lets rules skip
    inputs nobody asked about, through ``op.skip_input_indices`` as in TF eager.
    Returns the dict of accumulated gradients keyed by ``id`` of every reached tensor.
    """
    array_ops = _lazy_ops()[0]
    grads = dict(seeds)
    for rec in reversed(records):
        outs = rec.outputs
        gs = [grads.get(id(o)) for o in outs]
        if all(g is None for g in gs):
            continue
        grad_fn = rec.opdef.grad
        if grad_fn is None:
            continue
        gs = [_dense(g) for g in gs]
        if len(outs) > 1:
            gs = [g if g is not None else array_ops.zeros_like(o) if _differentiable(o.dtype) else None
                  for g, o in zip(gs, outs)]
        if needed is not None:
            rec.skip_input_indices = tuple(i for i, x in enumerate(rec.inputs) if id(x) not in needed)
        in_grads = grad_fn(rec, *gs)
        for x, g in zip(rec.inputs, in_grads):
            if g is None or not _differentiable(x.dtype) or (needed is not None and id(x) not in needed):
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
    array_ops, math_ops, _, convert_to_tensor = _lazy_ops()
    if isinstance(a, IndexedSlices) and isinstance(b, IndexedSlices):
        return IndexedSlices(array_ops.concat([a.values, b.values], 0),
                             array_ops.concat([a.indices, b.indices], 0), a.dense_shape)
    if isinstance(a, IndexedSlices):
        a = convert_to_tensor(a)
    if isinstance(b, IndexedSlices):
        b = convert_to_tensor(b)
    if a.dtype is dtypes.variant:
        from tensorlet.ops import list_ops
        return list_ops.add_lists(a, b)
    return math_ops.add(a, b)


def _dense(g):
    if isinstance(g, IndexedSlices):  # an op's output gradient: rules expect dense tensors
        return _lazy_ops()[3](g)
    return g


def unbroadcast(g, x):
    """Sums ``g`` over the axes along which ``x`` was broadcast, then reshapes to x's shape."""
    if type(g) is EagerTensor and type(x) is EagerTensor:
        gshape, xshape = g._value.shape, x._value.shape
    else:
        if g.shape.rank is None or x.shape.rank is None:
            return g  # unknown rank (a v1 placeholder): no static broadcasting to undo
        gshape, xshape = tuple(g.shape), tuple(x.shape)
    if gshape == xshape:
        return g
    array_ops, _, reduction_ops, _ = _lazy_ops()
    lead = len(gshape) - len(xshape)
    axes = list(range(lead))
    for i, d in enumerate(xshape):
        if d == 1 and gshape[lead + i] != 1:
            axes.append(lead + i)
    if axes:
        g = reduction_ops.reduce_sum(g, axis=axes, keepdims=False)
    if tuple(g.shape) != xshape:
        # unknown dims (a relaxed trace): the run-time shape, read while tracing
        g = array_ops.reshape(g, array_ops.shape_ints(x) if None in xshape else list(xshape))
    return g


__all__ = ["backward", "unbroadcast", "dtypes"]
