"""Index-driven array ops: gather / gather_nd, scatter_nd and tensor_scatter_*, boolean_mask,
repeat, dynamic_partition / dynamic_stitch, searchsorted and unravel_index.

Indices are checked on CPU as TF does: an out-of-range index is an InvalidArgumentError that
names its position (TF on GPU would silently give zeros).
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import array_ops as A
from tensorlet.ops import shape_rules as R
from tensorlet.ops.array_ops import attr_not_allowed, invalid, py_int
from tensorlet.ops.op_def import apply, defop, dtype_mismatch

D = dtypes
_GATHER_INDEX = (D.int16, D.int32, D.int64)
_SCATTER_INDEX = (D.int16, D.int32, D.int64, D.uint16)


def _prod(dims):
    n = 1
    for d in dims:
        n *= d
    return n


def _known(*shapes):
    return all(s.rank is not None for s in shapes)


def _position(pos):
    return ",".join(str(int(p)) for p in pos)


def _check_range(op_name, indices, n):
    """Raises TF's ``indices[i,j] = v is not in [0, n)`` for the first bad index."""
    bad = (indices < 0) | (indices >= n)
    if bad.any():
        pos = xp.argwhere(bad)[0]
        raise invalid(
            op_name, f"indices[{_position(pos)}] = {indices[tuple(pos)]} is not in [0, {n})"
        )


def _index_rule(allowed, index_pos, attr):
    """Output dtype = input 0's; input ``index_pos`` must be an allowed index type."""

    def rule(op, inputs, attrs):
        d = inputs[index_pos].dtype
        if d not in allowed:
            raise attr_not_allowed(op, attr, d, allowed)
        return (inputs[0].dtype,)

    return rule


# ---------------------------------------------------------------- gather


def _gather_shape(op, inputs, attrs):
    params, indices = inputs[0].shape, inputs[1].shape
    if not _known(params, indices):
        return (TensorShape(None),)
    p, i = params.as_list(), indices.as_list()
    axis, b = attrs["axis"], attrs["batch_dims"]
    if not 0 <= axis < len(p):
        raise invalid(op.name, f"Expected axis in the range [{-len(p)}, {len(p)}), but got {axis}")
    if b > axis:
        raise invalid(op.name, f"batch_dims ({b}) must be less than or equal to axis ({axis}).")
    if b > len(i):
        raise invalid(
            op.name, f"Expected batch_dims in the range [{-len(i)}, {len(i)}], but got {b}"
        )
    for k in range(b):
        if p[k] is not None and i[k] is not None and p[k] != i[k]:
            raise invalid(
                op.name, f"params.shape[{k}]: {p[k]} should be equal to indices.shape[{k}]: {i[k]}"
            )
    return (TensorShape(p[:axis] + i[b:] + p[axis + 1 :]),)


def _gather_forward(params, indices, axis, batch_dims):
    if (
        axis >= params.ndim
        or batch_dims > axis
        or batch_dims > indices.ndim
        or params.shape[:batch_dims] != indices.shape[:batch_dims]
    ):
        _gather_shape(
            gather_v2_op,
            (A.ArraySpec(params), A.ArraySpec(indices)),
            {"axis": axis, "batch_dims": batch_dims},
        )
    _check_range("GatherV2", indices, params.shape[axis])
    if batch_dims == 0:
        return xp.take(params, indices, axis=axis)
    b_shape = params.shape[:batch_dims]
    a_shape = params.shape[batch_dims:axis]
    c_shape = params.shape[axis + 1 :]
    i_shape = indices.shape[batch_dims:]
    nb, na, nc = _prod(b_shape), _prod(a_shape), _prod(c_shape)
    p = params.reshape(nb, na, params.shape[axis], nc)
    i = indices.reshape(nb, -1)
    out = p[xp.arange(nb)[:, None, None], xp.arange(na)[None, :, None], i[:, None, :]]
    return out.reshape(b_shape + a_shape + i_shape + c_shape)


def _gather_grad(op, dy):
    params, indices = op.inputs
    axis, b = op.get_attr("axis"), op.get_attr("batch_dims")
    p = params.shape.as_list()
    if axis == 0 and b == 0:  # TF's sparse gradient (densified on use)
        values = A.reshape(dy, [-1] + p[1:])
        return [IndexedSlices(values, A.reshape(indices, [-1]), A.shape(params)), None]
    return [_dense_gather_grad(dy, indices, p, axis, b), None]


def _dense_gather_grad(dy, indices, p, axis, b):
    """Scatter-adds dy back: [B, I, A, C] rows go to [B, N, A, C], then axis back in place."""
    i_rank = indices.shape.rank - b
    na = axis - b
    perm = (
        list(range(b))
        + list(range(b + na, b + na + i_rank))
        + list(range(b, b + na))
        + list(range(b + na + i_rank, dy.shape.rank))
    )
    nb, ni = _prod(p[:b]), _prod(indices.shape.as_list()[b:])
    rest = _prod(p[b:axis]) * _prod(p[axis + 1 :])
    upd = A.reshape(A.transpose(dy, perm), [nb, ni, rest])
    idx = A.reshape(indices, [nb, ni, 1])
    batch = A.broadcast_to(A.reshape(A.range(nb, dtype=indices.dtype), [nb, 1, 1]), [nb, ni, 1])
    g = scatter_nd(A.concat([batch, idx], -1), upd, [nb, p[axis], rest])
    g = A.reshape(g, p[:b] + [p[axis]] + p[b:axis] + p[axis + 1 :])
    back = list(range(b)) + list(range(b + 1, axis + 1)) + [b] + list(range(axis + 1, len(p)))
    return A.transpose(g, back)


gather_v2_op = defop(
    "GatherV2",
    _gather_forward,
    dtype_rule=_index_rule(_GATHER_INDEX, 1, "Tindices"),
    shape_rule=_gather_shape,
    grad=_gather_grad,
)


@tf_export("gather")
def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Gathers slices of ``params`` along ``axis`` at ``indices``; the first ``batch_dims``
    dimensions of params and indices are batch dimensions.

    Example:
        >>> tf.gather([10., 20., 30.], [2, 0]).numpy()
        array([30., 10.], dtype=float32)
    """
    if getattr(type(params), "_is_variable", False):
        params = params.value()
    params, indices = convert_to_tensor(params), convert_to_tensor(indices)
    b = py_int(batch_dims)
    axis = b if axis is None else py_int(axis)
    if b < 0 and indices.shape.rank is not None:
        b += indices.shape.rank
    if axis < 0 and params.shape.rank is not None:
        axis += params.shape.rank
    return apply(gather_v2_op, params, indices, axis=axis, batch_dims=b, name=name)


# ---------------------------------------------------------------- gather_nd


def _gather_nd_shape(op, inputs, attrs):
    params, indices = inputs[0].shape, inputs[1].shape
    if not _known(params, indices) or indices.as_list()[-1:] == [None]:
        return (TensorShape(None),)
    p, i, b = params.as_list(), indices.as_list(), attrs["batch_dims"]
    k = i[-1] if i else 0
    if k > len(p) - b:
        raise invalid(
            op.name,
            f"index innermost dimension length must be <= params rank; saw: {k} vs. {len(p) - b}",
        )
    return (TensorShape(i[:-1] + p[b + k :]),)


def _gather_nd_forward(params, indices, batch_dims):
    k = indices.shape[-1]
    b = batch_dims
    if k > params.ndim - b:
        _gather_nd_shape(
            gather_nd_op, (A.ArraySpec(params), A.ArraySpec(indices)), {"batch_dims": b}
        )
    nb = _prod(params.shape[:b])
    p = params.reshape((nb,) + params.shape[b:])
    idx = indices.reshape(nb, -1, k)
    limits = xp.array(params.shape[b : b + k], dtype=xp.int64)
    bad = ((idx < 0) | (idx >= limits)).any(-1)
    if bad.any():
        pos = int(xp.argwhere(bad.reshape(-1))[0][0])
        shape = ",".join(str(d) for d in params.shape)
        raise invalid(
            "GatherNd",
            f"indices[{pos}] = [{', '.join(map(str, idx.reshape(-1, k)[pos]))}]"
            f" does not index into param shape [{shape}], node name: "
            "GatherNd",
        )
    out = p[(xp.arange(nb)[:, None],) + tuple(idx[..., j] for j in range(k))]
    return out.reshape(indices.shape[:-1] + params.shape[b + k :])


def _gather_nd_grad(op, dy):
    params, indices = op.inputs
    b = op.get_attr("batch_dims")
    p = params.shape.as_list()
    if b == 0:
        return [scatter_nd(indices, dy, p), None]
    i = indices.shape.as_list()
    nb, ni, k = _prod(p[:b]), _prod(i[b:-1]), i[-1]
    idx = A.reshape(indices, [nb, ni, k])
    batch = A.broadcast_to(A.reshape(A.range(nb, dtype=indices.dtype), [nb, 1, 1]), [nb, ni, 1])
    upd = A.reshape(dy, [nb, ni] + p[b + k :])
    g = scatter_nd(A.concat([batch, idx], -1), upd, [nb] + p[b:])
    return [A.reshape(g, p), None]


gather_nd_op = defop(
    "GatherNd",
    _gather_nd_forward,
    dtype_rule=_index_rule(_GATHER_INDEX, 1, "Tindices"),
    shape_rule=_gather_nd_shape,
    grad=_gather_nd_grad,
)


@tf_export("gather_nd")
def gather_nd(params, indices, batch_dims=0, name=None):
    """Gathers slices of ``params`` addressed by the last dimension of ``indices``."""
    if getattr(type(params), "_is_variable", False):
        params = params.value()
    params, indices = convert_to_tensor(params), convert_to_tensor(indices)
    return apply(gather_nd_op, params, indices, batch_dims=py_int(batch_dims), name=name)


# ---------------------------------------------------------------- scatter_nd, tensor_scatter_*


def _scatter_positions(op_name, indices, shape):
    """Index tuples for NumPy, after TF's bounds check."""
    k = indices.shape[-1]
    flat = indices.reshape(-1, k)
    limits = xp.array(shape[:k], dtype=xp.int64)
    bad = ((flat < 0) | (flat >= limits)).any(-1)
    if bad.any():
        pos = int(xp.argwhere(bad)[0][0])
        raise invalid(
            op_name,
            f"indices[{pos}] = [{', '.join(map(str, flat[pos]))}] does not "
            f"index into shape [{','.join(str(d) for d in shape)}]",
        )
    return tuple(flat[:, j] for j in range(k)), flat.shape[0]


def _check_updates(op_name, indices, updates, shape):
    """indices / updates / shape: dims (tuples or known-rank TensorShapes)."""
    i, u = list(indices), list(updates)
    want = i[:-1] + list(shape[i[-1] :]) if i else list(shape)
    if None not in i and None not in u and u != want:
        raise invalid(
            op_name,
            f"Dimensions [0,{len(i) - 1}) of indices[shape={_b(i)}] = "
            f"{_b(i[:-1])} must match dimensions [0,{len(i) - 1}) of "
            f"updates[shape={_b(u)}] = {_b(u[: len(i) - 1])}",
        )


def _b(dims):
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def _scatter_nd_forward(indices, updates, shape):
    _check_updates("ScatterNd", indices.shape, updates.shape, shape)
    pos, n = _scatter_positions("ScatterNd", indices, shape)
    out = xp.zeros(shape, dtype=updates.dtype)
    k = indices.shape[-1]
    xp.add.at(out, pos, updates.reshape((n,) + tuple(shape[k:])))
    return out


def _scatter_nd_dtypes(op, inputs, attrs):
    if inputs[0].dtype not in _SCATTER_INDEX:
        raise attr_not_allowed(op, "Tindices", inputs[0].dtype, _SCATTER_INDEX)
    return (inputs[1].dtype,)


def _scatter_nd_shape(op, inputs, attrs):
    if _known(inputs[0].shape, inputs[1].shape):
        _check_updates(op.name, inputs[0].shape, inputs[1].shape, attrs["shape"])
    return (TensorShape(attrs["shape"]),)


scatter_nd_op = defop(
    "ScatterNd",
    _scatter_nd_forward,
    dtype_rule=_scatter_nd_dtypes,
    shape_rule=_scatter_nd_shape,
    grad=lambda op, dy: [None, gather_nd(dy, op.inputs[0])],
)


@tf_export("scatter_nd")
def scatter_nd(indices, updates, shape, name=None):
    """A zero tensor of ``shape`` with ``updates`` added at ``indices`` (duplicates sum)."""
    indices, updates = convert_to_tensor(indices), convert_to_tensor(updates)
    return apply(scatter_nd_op, indices, updates, shape=A.py_ints(shape), name=name)


_SCATTER_UFUNC = {
    "TensorScatterAdd": xp.add,
    "TensorScatterSub": xp.subtract,
    "TensorScatterMax": xp.maximum,
    "TensorScatterMin": xp.minimum,
}


def _tensor_scatter_kernel(name):
    ufunc = _SCATTER_UFUNC.get(name)

    def forward(tensor, indices, updates):
        _check_updates(name, indices.shape, updates.shape, tensor.shape)
        pos, n = _scatter_positions(name, indices, tensor.shape)
        upd = updates.reshape((n,) + tensor.shape[indices.shape[-1] :])
        out = tensor.copy()
        if ufunc is None:
            out[pos] = upd  # duplicates: the last update wins
        else:
            ufunc.at(out, pos, upd)
        return out

    return forward


def _tensor_scatter_dtypes(op, inputs, attrs):
    t, i, u = inputs
    if i.dtype not in _SCATTER_INDEX:
        raise attr_not_allowed(op, "Tindices", i.dtype, _SCATTER_INDEX)
    if u.dtype is not t.dtype:
        raise dtype_mismatch(op, 2, t.dtype, u.dtype)
    return (t.dtype,)


def _tensor_scatter_shape(op, inputs, attrs):
    t, i, u = (x.shape for x in inputs)
    if _known(t, i, u):
        _check_updates(op.name, i, u, t.as_list())
    return (t,)


def _update_grad(op, dy):
    indices, updates = op.inputs[1], op.inputs[2]
    return [
        tensor_scatter_nd_update(dy, indices, A.zeros_like(updates)),
        None,
        gather_nd(dy, indices),
    ]


def _add_grad(op, dy):
    return [dy, None, gather_nd(dy, op.inputs[1])]


def _sub_grad(op, dy):
    from tensorlet.ops import math_ops

    return [dy, None, math_ops.negative(gather_nd(dy, op.inputs[1]))]


def _min_max_grad(op, dy):
    """TF's rule: the gradient is split evenly between x and the updates that tie the result."""
    from tensorlet.ops import math_ops as M

    x, indices, y = op.inputs
    out = op.outputs[0]
    x_ind = M.cast(M.equal(x, out), dy.dtype)
    y_ind = M.cast(M.equal(y, gather_nd(out, indices)), dy.dtype)
    count = M.add(x_ind, scatter_nd(indices, y_ind, x.shape.as_list()))
    return [
        M.truediv(M.multiply(dy, x_ind), count),
        None,
        M.multiply(gather_nd(M.truediv(dy, count), indices), y_ind),
    ]


def _tensor_scatter_op(name, grad):
    return defop(
        name,
        _tensor_scatter_kernel(name),
        dtype_rule=_tensor_scatter_dtypes,
        shape_rule=_tensor_scatter_shape,
        grad=grad,
    )


tensor_scatter_update_op = _tensor_scatter_op("TensorScatterUpdate", _update_grad)
tensor_scatter_add_op = _tensor_scatter_op("TensorScatterAdd", _add_grad)
tensor_scatter_sub_op = _tensor_scatter_op("TensorScatterSub", _sub_grad)
tensor_scatter_max_op = _tensor_scatter_op("TensorScatterMax", _min_max_grad)
tensor_scatter_min_op = _tensor_scatter_op("TensorScatterMin", _min_max_grad)


def _tensor_scatter(op, tensor, indices, updates, name):
    tensor = convert_to_tensor(tensor)
    indices = convert_to_tensor(indices)
    updates = updates if isinstance(updates, Tensor) else convert_to_tensor(updates, tensor.dtype)
    return apply(op, tensor, indices, updates, name=name)


@tf_export("tensor_scatter_nd_update")
def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with the slices at ``indices`` replaced by ``updates``."""
    return _tensor_scatter(tensor_scatter_update_op, tensor, indices, updates, name)


@tf_export("tensor_scatter_nd_add")
def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with ``updates`` added at ``indices`` (duplicates add up)."""
    return _tensor_scatter(tensor_scatter_add_op, tensor, indices, updates, name)


@tf_export("tensor_scatter_nd_sub")
def tensor_scatter_nd_sub(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with ``updates`` subtracted at ``indices``."""
    return _tensor_scatter(tensor_scatter_sub_op, tensor, indices, updates, name)


@tf_export("tensor_scatter_nd_max")
def tensor_scatter_nd_max(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with the element-wise max of it and ``updates`` at ``indices``."""
    return _tensor_scatter(tensor_scatter_max_op, tensor, indices, updates, name)


@tf_export("tensor_scatter_nd_min")
def tensor_scatter_nd_min(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with the element-wise min of it and ``updates`` at ``indices``."""
    return _tensor_scatter(tensor_scatter_min_op, tensor, indices, updates, name)


# ---------------------------------------------------------------- boolean_mask, repeat


@tf_export("boolean_mask")
def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """The elements (or slices along ``axis``) of ``tensor`` where ``mask`` is true; the
    mask covers dimensions ``axis .. axis + rank(mask)`` and they are flattened into one."""
    tensor = convert_to_tensor(tensor)
    mask = convert_to_tensor(mask)
    m = mask.shape.as_list()
    if not m:
        raise ValueError("mask cannot be scalar.")
    dims = tensor.shape.as_list()
    axis = 0 if axis is None else py_int(axis)
    if axis < 0:
        axis += len(dims)
    covered = TensorShape(dims[axis : axis + len(m)])
    if not covered.is_compatible_with(TensorShape(m)):
        raise ValueError(f"Shapes {covered} and {TensorShape(m)} are incompatible")
    tensor = A.reshape(
        tensor, dims[:axis] + [_prod(dims[axis : axis + len(m)])] + dims[axis + len(m) :]
    )
    keep = A.squeeze(A.where(A.reshape(mask, [-1])), axis=[1])
    return gather(tensor, keep, axis=axis)


@tf_export("repeat")
def repeat(input, repeats, axis=None, name=None):
    """Repeats each element (or slice along ``axis``) ``repeats`` times; the input is flattened
    when ``axis`` is None."""
    input = convert_to_tensor(input)
    if axis is None:
        input, axis = A.reshape(input, [-1]), 0
    axis = py_int(axis)
    dims = input.shape.as_list()
    if axis < 0:
        axis += len(dims)
    reps = xp.asarray(A.py_value(repeats), dtype=xp.int64)
    if reps.size == 1:
        r = int(reps.reshape(()))
        tiled = A.tile(
            A.expand_dims(input, axis + 1),
            [r if i == axis + 1 else 1 for i in range(len(dims) + 1)],
        )
        return A.reshape(tiled, dims[:axis] + [dims[axis] * r] + dims[axis + 1 :])
    if reps.shape != (dims[axis],):
        raise invalid(
            "Repeat",
            f"repeats must have shape [{dims[axis]}] (or be a scalar), got {list(reps.shape)}",
        )
    src = xp.repeat(xp.arange(dims[axis]), reps)
    return gather(input, convert_to_tensor(src.astype(xp.int32)), axis=axis)


# ---------------------------------------------------------------- dynamic_partition / stitch


def _dynamic_partition_forward(data, partitions, num_partitions):
    bad = (partitions < 0) | (partitions >= num_partitions)
    if bad.any():
        pos = xp.argwhere(bad)[0]
        raise invalid(
            "DynamicPartition",
            f"partitions[{_position(pos)}] = "
            f"{partitions[tuple(pos)]} is not in [0, "
            f"{num_partitions})",
        )
    return tuple(data[partitions == i] for i in range(num_partitions))


def _dynamic_partition_shape(op, inputs, attrs):
    d, p = inputs[0].shape, inputs[1].shape
    rest = d.as_list()[p.rank :] if _known(d, p) else None
    return tuple(
        TensorShape(None if rest is None else [None] + rest) for _ in range(attrs["num_partitions"])
    )


def _dynamic_partition_grad(op, *dys):
    data, partitions = op.inputs
    n = op.get_attr("num_partitions")
    p_shape = partitions.shape.as_list()
    original = A.reshape(A.range(_prod(p_shape)), p_shape)
    parts = dynamic_partition(original, partitions, n)
    dys = A._fill_none(dys, op.outputs)
    return [A.reshape(dynamic_stitch(parts, dys), data.shape.as_list()), None]


dynamic_partition_op = defop(
    "DynamicPartition",
    _dynamic_partition_forward,
    dtype_rule=lambda op, inputs, attrs: (inputs[0].dtype,) * attrs["num_partitions"],
    shape_rule=_dynamic_partition_shape,
    grad=_dynamic_partition_grad,
    num_outputs=None,
)


@tf_export("dynamic_partition")
def dynamic_partition(data, partitions, num_partitions, name=None):
    """Splits ``data`` into ``num_partitions`` tensors by the partition id of each slice."""
    data = convert_to_tensor(data)
    partitions = (
        convert_to_tensor(partitions, dtype=D.int32)
        if not isinstance(partitions, Tensor)
        else partitions
    )
    return list(
        apply(
            dynamic_partition_op, data, partitions, num_partitions=py_int(num_partitions), name=name
        )
    )


def _dynamic_stitch_forward(*args, n):
    indices, data = args[:n], args[n:]
    size = max((int(i.max()) + 1 for i in indices if i.size), default=0)
    inner = data[0].shape[indices[0].ndim :]
    out = xp.zeros((size,) + inner, dtype=data[0].dtype)
    for i, d in zip(indices, data):
        out[i.reshape(-1)] = d.reshape((-1,) + inner)
    return out


def _dynamic_stitch_dtypes(op, inputs, attrs):
    n = attrs["n"]
    for j, t in enumerate(inputs[:n]):
        if t.dtype is not D.int32:
            raise dtype_mismatch(op, j, D.int32, t.dtype)
    d = inputs[n].dtype
    for j, t in enumerate(inputs[n:], n):
        if t.dtype is not d:
            raise dtype_mismatch(op, j, d, t.dtype)
    return (d,)


def _dynamic_stitch_shape(op, inputs, attrs):
    n = attrs["n"]
    i0, d0 = inputs[0].shape, inputs[n].shape
    if not _known(i0, d0):
        return (TensorShape(None),)
    return (TensorShape([None] + d0.as_list()[i0.rank :]),)


def _dynamic_stitch_grad(op, dy):
    n = op.get_attr("n")
    return [None] * n + [gather(dy, i) for i in op.inputs[:n]]


dynamic_stitch_op = defop(
    "DynamicStitch",
    _dynamic_stitch_forward,
    dtype_rule=_dynamic_stitch_dtypes,
    shape_rule=_dynamic_stitch_shape,
    grad=_dynamic_stitch_grad,
)


@tf_export("dynamic_stitch")
def dynamic_stitch(indices, data, name=None):
    """Interleaves ``data`` into one tensor: ``merged[indices[m][i]] = data[m][i]``."""
    indices = [
        convert_to_tensor(i, dtype=D.int32) if not isinstance(i, Tensor) else i for i in indices
    ]
    data = A.match_dtypes(list(data))
    return apply(dynamic_stitch_op, *indices, *data, n=len(indices), name=name)


# ---------------------------------------------------------------- searchsorted, unravel_index


def _bound_forward(side):
    def forward(sorted_inputs, values, out_type):
        if sorted_inputs.shape[0] != values.shape[0]:
            raise invalid(
                "LowerBound" if side == "left" else "UpperBound",
                "Leading dim_size of both tensors must match.",
            )
        out = xp.empty(values.shape, dtype=out_type._np)
        for r in range(values.shape[0]):
            out[r] = xp.searchsorted(sorted_inputs[r], values[r], side=side)
        return out

    return forward


def _bound_dtypes(op, inputs, attrs):
    if inputs[1].dtype is not inputs[0].dtype:
        raise dtype_mismatch(op, 1, inputs[0].dtype, inputs[1].dtype)
    return (attrs["out_type"],)


lower_bound_op = defop(
    "LowerBound",
    _bound_forward("left"),
    dtype_rule=_bound_dtypes,
    shape_rule=lambda op, inputs, attrs: (inputs[1].shape,),
    grad=A._not_differentiable,
)
upper_bound_op = defop(
    "UpperBound",
    _bound_forward("right"),
    dtype_rule=_bound_dtypes,
    shape_rule=lambda op, inputs, attrs: (inputs[1].shape,),
    grad=A._not_differentiable,
)


@tf_export("searchsorted")
def searchsorted(sorted_sequence, values, side="left", out_type=D.int32, name=None):
    """For each value, the index where it would be inserted into the innermost dimension of
    ``sorted_sequence`` (``side='left'``: first such index, ``'right'``: last)."""
    if side not in ("left", "right"):
        raise ValueError(
            f"Argument `side` must be either 'right' or 'left'. Received: `side` = '{side}'."
        )
    sorted_sequence, values = A.match_dtypes([sorted_sequence, values])
    seq = A.reshape(sorted_sequence, [-1, sorted_sequence.shape[-1]])
    vals = A.reshape(values, [-1, values.shape[-1]])
    op = lower_bound_op if side == "left" else upper_bound_op
    out = apply(op, seq, vals, out_type=D.as_dtype(out_type), name=name)
    return A.reshape(out, values.shape.as_list())


def _unravel_forward(indices, dims):
    total = _prod(dims.tolist())
    bad = (indices < 0) | (indices >= total)
    if bad.any():
        raise invalid(
            "UnravelIndex",
            f"index out of range: flat index "
            f"{indices[tuple(xp.argwhere(bad)[0])]} is not less than "
            f"the number of elements {total}",
        )
    return (
        xp.stack(xp.unravel_index(indices, dims.tolist())).astype(indices.dtype)
        if indices.ndim
        else xp.array(xp.unravel_index(indices, dims.tolist()), indices.dtype)
    )


unravel_index_op = defop(
    "UnravelIndex",
    _unravel_forward,
    dtype_rule=R.same_dtype((D.int32, D.int64)),
    shape_rule=lambda op, inputs, attrs: (
        TensorShape(
            [inputs[1].shape[0]] + (inputs[0].shape.as_list() if inputs[0].shape.rank else [])
        ),
    ),
    grad=A._not_differentiable,
)


@tf_export("unravel_index")
def unravel_index(indices, dims, name=None):
    """Converts flat ``indices`` into coordinate arrays for an array of shape ``dims``."""
    indices, dims = A.match_dtypes([indices, dims])
    return apply(unravel_index_op, indices, dims, name=name)
