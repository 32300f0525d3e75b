"""``tf.ragged.constant``: a RaggedTensor from nested Python lists."""

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.ops import array_creation_ops
from tensorlet.ragged_tensors.ragged_tensor import RaggedTensor, _int_tensor, _splits_dtype

D = dtypes


def _is_scalar(x):
    return not isinstance(x, (list, tuple)) and xp.ndim(x) == 0


def _scalar_and_max_depth(pylist):
    """``(depth of the scalars or None when there are none, depth of the deepest list)``."""
    if _is_scalar(pylist):
        return 0, 0
    scalar_depth, max_depth = None, 1
    for child in pylist:
        d, m = _scalar_and_max_depth(child)
        if d is not None:
            if scalar_depth is not None and scalar_depth != d + 1:
                raise ValueError("all scalar values must have the same nesting depth")
            scalar_depth = d + 1
        max_depth = max(max_depth, m + 1)
    return scalar_depth, max_depth


def _inner_shape_of(item):
    if _is_scalar(item):
        return ()
    return (len(item),) + _inner_shape_of(item[0]) if len(item) else (0,)


def _check_inner_shape(item, shape):
    nested = not _is_scalar(item)
    if nested != bool(shape) or (nested and shape[0] != len(item)):
        raise ValueError("inner values have inconsistent shape")
    if nested:
        for child in item:
            _check_inner_shape(child, shape[1:])


def _default_inner_shape(pylist, ragged_rank):
    flat = pylist
    for dim in range(ragged_rank):
        if not all(not _is_scalar(v) for v in flat):
            raise ValueError(
                f"pylist has scalar values depth {dim + 1}, but ragged_rank="
                f"{ragged_rank} requires scalar value depth greater than "
                f"{ragged_rank}"
            )
        flat = [x for v in flat for x in v]
    inner = _inner_shape_of(flat)[1:]
    _check_inner_shape(flat, (len(flat),) + inner)
    return inner


@tf_export("ragged.constant")
def constant(
    pylist, dtype=None, ragged_rank=None, inner_shape=None, name=None, row_splits_dtype=D.int64
):
    """Constructs a constant RaggedTensor from a nested Python list.

    ``ragged_rank`` defaults to the scalar depth minus one (minus ``len(inner_shape)``); a list
    of depth one (or ``ragged_rank=0``) gives a dense ``tf.Tensor``.

    Example:
      >>> tf.ragged.constant([[1, 2], [3]])
      <tf.RaggedTensor [[1, 2], [3]]>
    """
    splits_dtype = _splits_dtype(row_splits_dtype)
    if isinstance(pylist, RaggedTensor):
        raise TypeError("pylist may not be a RaggedTensor or RaggedTensorValue.")
    if _is_scalar(pylist):
        if ragged_rank is not None and ragged_rank != 0:
            raise ValueError(
                f"Invalid pylist={pylist!r}: incompatible with ragged_rank={ragged_rank}"
            )
        if inner_shape:
            raise ValueError(
                f"Invalid pylist={pylist!r}: incompatible with dim(inner_shape)={len(inner_shape)}"
            )
        return array_creation_ops.constant(pylist, dtype=dtype)
    if ragged_rank is not None and ragged_rank < 0:
        raise ValueError(f"Invalid ragged_rank={ragged_rank!r}: must be nonnegative")
    scalar_depth, max_depth = _scalar_and_max_depth(pylist)
    if scalar_depth is not None:
        if max_depth > scalar_depth:
            raise ValueError(
                f"Invalid pylist={pylist!r}: empty list nesting is greater than "
                "scalar value nesting"
            )
        if ragged_rank is not None and max_depth < ragged_rank:
            raise ValueError(
                f"Invalid pylist={pylist}, max depth smaller than ragged_rank={ragged_rank}"
            )
    if inner_shape is not None and ragged_rank is not None:
        expected = ragged_rank + len(inner_shape) + 1
        if (scalar_depth is not None and expected != scalar_depth) or (
            scalar_depth is None and expected < max_depth
        ):
            raise ValueError(
                f"Invalid pylist={pylist!r}: incompatible with ragged_rank="
                f"{ragged_rank} and dim(inner_shape)={len(inner_shape)}"
            )
    if ragged_rank == 0 or (
        ragged_rank is None
        and (max_depth < 2 or (inner_shape is not None and max_depth - len(inner_shape) < 2))
    ):
        return array_creation_ops.constant(pylist, dtype=dtype, shape=inner_shape)
    if inner_shape is None:
        inner_shape = () if ragged_rank is None else _default_inner_shape(pylist, ragged_rank)
    inner_shape = tuple(inner_shape)
    if ragged_rank is None:
        depth = max_depth - 1 if scalar_depth is None else scalar_depth - 1 - len(inner_shape)
        ragged_rank = max(1, depth)
    nested_lengths, values = [], pylist
    for _ in range(ragged_rank):
        nested_lengths.append([len(row) for row in values])
        values = [x for row in values for x in row]
    values = array_creation_ops.constant(values, dtype=dtype, shape=(len(values),) + inner_shape)
    for lengths in reversed(nested_lengths):
        splits = xp.zeros(len(lengths) + 1, dtype=splits_dtype._np)
        xp.cumsum(lengths, out=splits[1:])
        values = RaggedTensor._make(values, _int_tensor(splits, splits_dtype))
    return values
