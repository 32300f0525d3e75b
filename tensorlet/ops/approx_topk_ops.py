"""``tf.math.approx_max_k`` / ``approx_min_k`` (and the raw ``tf.approx_top_k``): op ApproxTopK.

TF has only XLA kernels for ApproxTopK; off TPU they lower to ``ApproxTopKFallback``, which is
exact: a sort along ``reduction_dimension`` (values descending for max-k, ascending for min-k;
equal values keep the lower index first) sliced to the output size. That size is ``k`` with
``aggregate_to_topk`` and otherwise XLA's ``ApproxTopKReductionOutputSize`` (the number of
candidates the TPU algorithm would keep, at least ``k``). Inputs: half, bfloat16, float32.
The gradient scatters the values' gradient back to the chosen positions (TF's
``_ApproxTopKGradient``).
"""

import collections
import math

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops.op_def import apply, defop

D = dtypes
ApproxTopK = collections.namedtuple("ApproxTopK", ["values", "indices"])

_TYPES = (D.float16, D.bfloat16, D.float32)
_TILING_RANK1, _TILING = 1024, 128  # XLA's kTpuChunkTiling (rank 1) and kTpuLaneTiling


def _invalid(message):
    return errors.op_error(errors.InvalidArgumentError, "ApproxTopK", message)


def _output_size(n, rank, k, recall_target, aggregate_to_topk, size_override):
    """XLA's ApproxTopKReductionOutputSize(...).first: how many sorted entries come back."""
    if aggregate_to_topk:
        return k
    recall_target = float(xp.float32(recall_target))  # a float attr: float32, as in TF
    tiling = _TILING_RANK1 if rank == 1 else _TILING
    if n <= tiling:
        return n
    if size_override >= 0 and n > size_override:
        raise _invalid(
            f"reduction_input_size_override: {size_override} should be greater equals to "
            f"operands[reduction_dim]: {n}"
        )
    logical = size_override if size_override >= 0 else n
    if k == 1:
        return tiling
    if recall_target == 1.0:
        return n
    if not 0.0 < recall_target <= 1.0:
        raise _invalid("recall_target should range in (0,1]")
    m = min(max(int((1.0 - k) / math.log(recall_target)), tiling), n)
    log2_reduction = _log2_floor(logical // m)
    if log2_reduction == 0:
        return n
    log2_reduction = min(log2_reduction, _log2_ceil(n // tiling))
    return _ceil_div(_ceil_div(n, tiling), 1 << log2_reduction) * tiling


def _log2_floor(v):
    return v.bit_length() - 1 if v > 0 else 0


def _log2_ceil(v):
    return (v - 1).bit_length() if v > 0 else 0


def _ceil_div(a, b):
    return -(-a // b)


def _axis(reduction_dimension, rank):
    dim = reduction_dimension + rank if reduction_dimension < 0 else reduction_dimension
    if rank == 0:
        raise _invalid("ApproxTopK operands must have rank 1+.")
    if not 0 <= dim < rank:
        raise _invalid(f"reduction_dim should range in [0,{rank})")
    return dim


def _approx_top_k(
    x,
    k,
    reduction_dimension,
    recall_target,
    is_max_k,
    reduction_input_size_override,
    aggregate_to_topk,
):
    dim = _axis(reduction_dimension, x.ndim)
    n = x.shape[dim]
    size = _output_size(
        n, x.ndim, k, recall_target, aggregate_to_topk, reduction_input_size_override
    )
    if size > n:
        raise _invalid(f"input must have last dimension >= k = {size} but is {n}")
    moved = xp.moveaxis(x, dim, -1)
    keys = moved.astype(xp.float32)  # half/bfloat16 order exactly as float32
    order = xp.argsort(-keys if is_max_k else keys, axis=-1, kind="stable")[..., :size]
    values = xp.take_along_axis(moved, order, axis=-1)
    return xp.moveaxis(values, -1, dim), xp.moveaxis(order.astype(xp.int32), -1, dim)


def _approx_top_k_dtypes(op, inputs, attrs):
    d = inputs[0].dtype
    if d not in _TYPES:
        raise _invalid(
            f"Value for attr 'T' of {_TF_NAMES.get(d.name, d.name)} is not in the list of "
            "allowed values: half, bfloat16, float\n\t; NodeDef: {{node ApproxTopK}}"
        )
    if attrs["k"] < 0:
        raise _invalid(f"Value for attr 'k' of {attrs['k']} must be at least minimum 0")
    return (d, D.int32)


_TF_NAMES = {"float64": "double", "float16": "half", "float32": "float"}


def _approx_top_k_shape(op, inputs, attrs):
    shape = inputs[0].shape
    if shape.rank is None:
        return (TensorShape(None),) * 2
    dim = _axis(attrs["reduction_dimension"], shape.rank)
    n = shape[dim]
    size = None
    if n is not None:
        size = _output_size(
            n,
            shape.rank,
            attrs["k"],
            attrs["recall_target"],
            attrs["aggregate_to_topk"],
            attrs["reduction_input_size_override"],
        )
        if size > n:
            raise _invalid(f"input must have last dimension >= k = {size} but is {n}")
    elif attrs["aggregate_to_topk"]:
        size = attrs["k"]
    dims = list(shape)
    dims[dim] = size
    out = TensorShape(dims)
    return out, out


def _approx_top_k_grad(op, dvalues, dindices):
    """Scatters ``dvalues`` to the selected positions along reduction_dimension."""
    from tensorlet.ops import array_ops, math_ops, segment_ops

    x, idx = op.inputs[0], op.outputs[1]
    shape = x.shape.as_list()
    rank = len(shape)
    dim = _axis(op.get_attr("reduction_dimension"), rank)
    perm = [i for i in range(rank) if i != dim] + [dim]
    if dim != rank - 1:
        idx, dvalues = array_ops.transpose(idx, perm), array_ops.transpose(dvalues, perm)
    n, m = shape[dim], idx.shape.as_list()[-1]
    rows = math.prod(shape[i] for i in perm[:-1])
    offsets = xp.arange(0, rows * n, n, dtype=xp.int32).reshape(-1, 1)
    flat_idx = math_ops.add(array_ops.reshape(idx, [rows, m]), convert_to_tensor(offsets))
    flat = segment_ops.unsorted_segment_sum(
        array_ops.reshape(dvalues, [-1]), array_ops.reshape(flat_idx, [-1]), rows * n
    )
    grad = array_ops.reshape(flat, [shape[i] for i in perm])
    if dim != rank - 1:
        grad = array_ops.transpose(grad, [perm.index(i) for i in range(rank)])
    return [grad]


approx_top_k_op = defop(
    "ApproxTopK",
    _approx_top_k,
    dtype_rule=_approx_top_k_dtypes,
    shape_rule=_approx_top_k_shape,
    grad=_approx_top_k_grad,
    num_outputs=2,
)


@tf_export("approx_top_k")
def approx_top_k(
    input,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    is_max_k=True,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """The raw ApproxTopK op: min/max ``k`` values of ``input`` along ``reduction_dimension``
    and their int32 indices (see ``tf.math.approx_max_k``)."""
    values, indices = apply(
        approx_top_k_op,
        convert_to_tensor(input),
        k=int(k),
        reduction_dimension=int(reduction_dimension),
        recall_target=float(recall_target),
        is_max_k=bool(is_max_k),
        reduction_input_size_override=int(reduction_input_size_override),
        aggregate_to_topk=bool(aggregate_to_topk),
        name=name,
    )
    return ApproxTopK(values, indices)


@tf_export("math.approx_max_k", "nn.approx_max_k")
def approx_max_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """The ``k`` largest values of ``operand`` along ``reduction_dimension`` (descending; equal
    values lower index first) and their int32 indices. Off TPU the result is exact.

    Example:
      >>> tf.math.approx_max_k([[1.0, 9.0, 3.0, 9.0]], 2).indices.numpy()
      array([[1, 3]], dtype=int32)
    """
    return approx_top_k(
        operand,
        k,
        reduction_dimension,
        recall_target,
        True,
        reduction_input_size_override,
        aggregate_to_topk,
        name,
    )


@tf_export("math.approx_min_k", "nn.approx_min_k")
def approx_min_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """The ``k`` smallest values of ``operand`` along ``reduction_dimension`` (ascending; equal
    values lower index first) and their int32 indices. Off TPU the result is exact.

    Example:
      >>> tf.math.approx_min_k([[4.0, 1.0, 3.0, 1.0]], 3).values.numpy()
      array([[1., 1., 3.]], dtype=float32)
    """
    return approx_top_k(
        operand,
        k,
        reduction_dimension,
        recall_target,
        False,
        reduction_input_size_override,
        aggregate_to_topk,
        name,
    )
