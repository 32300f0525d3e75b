"""Helpers of block and m-by-n pruning: block pooling, mask expansion, m-by-n masks."""

from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    gather_ops,
    indexing,
    pooling_ops,
    sort_ops,
    unary_math_ops,
)


def expand_tensor(tensor, block_size):
    """Repeats each element of the 2-D ``tensor`` into a ``block_size`` block (the Kronecker
    product with a block of ones).

    Example:
        >>> expand_tensor(tf.constant([[1, 2], [3, 4]]), [1, 2]).numpy().tolist()
        [[1, 1, 2, 2], [3, 3, 4, 4]]
    """
    if tensor.shape.rank != 2:
        raise ValueError("Input tensor must be rank 2")
    if len(block_size) != 2:
        raise ValueError("block_size must have 2 elements")
    block_height, block_width = block_size
    rows, cols = tensor.shape.as_list()
    expanded = array_ops.reshape(tensor, [rows, 1, cols, 1])
    expanded = array_ops.tile(expanded, [1, block_height, 1, block_width])
    return array_ops.reshape(expanded, [rows * block_height, cols * block_width])


def factorized_pool(input_tensor, window_shape, pooling_type, strides, padding, name=None):
    """``window_shape`` pooling of a 2-D tensor as a row pooling followed by a column pooling
    (``'AVG'`` or ``'MAX'``, ``'SAME'`` or ``'VALID'`` padding, as ``tf.nn.pool``)."""
    if input_tensor.shape.rank != 2:
        raise ValueError("factorized_pool() accepts tensors of rank 2 only")
    height, width = input_tensor.shape.as_list()
    aligned = array_ops.reshape(input_tensor, [1, 1, height, width])
    height_pooling = pooling_ops.pool(
        aligned,
        window_shape=[1, window_shape[0]],
        pooling_type=pooling_type,
        strides=[1, strides[0]],
        padding=padding,
    )
    swapped = array_ops.transpose(height_pooling, perm=[0, 1, 3, 2])
    width_pooling = pooling_ops.pool(
        swapped,
        window_shape=[1, window_shape[1]],
        pooling_type=pooling_type,
        strides=[1, strides[1]],
        padding=padding,
    )
    return array_ops.squeeze(array_ops.transpose(width_pooling, perm=[0, 1, 3, 2]))


def convert_to_tuple_of_two_int(value, name):
    """``value`` (an iterable of 2 ints) as a tuple; TF's ValueError otherwise."""
    try:
        value_tuple = tuple(value)
    except TypeError:
        raise ValueError(
            f"The {name} argument must be a tuple/list of 2 integers.received: {value!s}."
        ) from None
    if len(value_tuple) != 2:
        raise ValueError(
            f"The {name} argument must be a tuple/list of 2 integers.received: {value!s}."
        )
    for single_value in value_tuple:
        if not isinstance(single_value, int):
            raise ValueError(  # noqa: TRY004 (tfmot's class)
                f"The {name} argument must be a tuple/list of 2 integers."
                f"received: {value!s} including element {single_value!s} "
                f"of type {type(single_value)!s}."
            )
    return value_tuple


def weights_rearrange(weights):
    """The weights as a 2-D tensor whose last dimension is the input channel (TFLite's layout):
    ``[c_out, c_in]`` for a Dense kernel, ``[c_out * h * w, c_in]`` for a Conv2D kernel."""
    rank = weights.shape.rank
    if rank == 2:
        return array_ops.transpose(weights)
    if rank == 4:
        perm = array_ops.transpose(weights, perm=[3, 0, 1, 2])
        rows = 1
        for d in perm.shape.as_list()[:-1]:
            rows *= d
        return array_ops.reshape(perm, [rows, -1])
    raise ValueError(f"weight tensor with shape: {weights.shape} is not supported.")


def m_by_n_sparsity_mask_prepare(mask, weights_shape):
    """The mask of ``weights_rearrange``'s layout brought back to the weights' layout."""
    if mask.shape.rank != 2:
        raise ValueError(f"rank of mask(rank:{mask.shape.rank}) should be 2.")
    dims = list(weights_shape)
    if len(dims) == 2:
        return array_ops.transpose(mask)
    if len(dims) == 4:
        reshaped = array_ops.reshape(mask, [dims[-1], dims[0], dims[1], dims[2]])
        return array_ops.transpose(reshaped, perm=[1, 2, 3, 0])
    raise ValueError(f"weight tensor with shape: {weights_shape} is not supported.")


def generate_m_by_n_mask(weights, m_by_n=(2, 4)):
    """A 0/1 mask of the 2-D ``weights`` keeping the ``n - m`` largest magnitudes of every
    ``n`` consecutive values of a row (zero-padded at the end of the rows)."""
    num_zeros, block = m_by_n
    if not num_zeros < block:
        from tensorlet.framework import errors

        raise errors.InvalidArgumentError(
            None, None, f"Argument m_by_n received {m_by_n}, m be must smaller than n."
        )
    keep = block - num_zeros
    abs_weights = unary_math_ops.abs(weights)
    rows, cols = abs_weights.shape.as_list()
    pad_after = -(-cols // block) * block - cols
    padded = array_ops.pad(abs_weights, [[0, 0], [0, pad_after]], "CONSTANT")
    num_blocks = rows * (cols + pad_after) // block
    blocks = array_ops.reshape(padded, [num_blocks, block])
    _, top_indices = sort_ops.top_k(blocks, k=keep, sorted=False)
    ind_i, _ = array_creation_ops.meshgrid(
        array_creation_ops.range(num_blocks), array_creation_ops.range(keep), indexing="ij"
    )
    ind_ij = array_ops.stack([ind_i, top_indices], axis=-1)
    mask = gather_ops.scatter_nd(
        ind_ij, array_creation_ops.ones([num_blocks, keep]), [num_blocks, block]
    )
    mask = array_ops.reshape(mask, [rows, cols + pad_after])
    return indexing.slice(mask, [0, 0], [rows, cols])


def is_pruned_m_by_n(weights, m_by_n=(2, 4), last_channel="C_OUT"):
    """True if every ``n`` consecutive values along the last channel hold at most ``n - m``
    non-zeros (``last_channel``: ``'C_OUT'`` (TF layout) or ``'C_IN'``)."""
    from tensorlet.backend import xp
    from tensorlet.framework.tensor_conversion import convert_to_tensor

    weights = convert_to_tensor(weights)
    num_zeros, num_elem = m_by_n
    if num_zeros > num_elem:
        raise ValueError(
            "number of zeros can't be more than number elements. "
            f"received: {num_zeros} zeros in {num_elem} elements."
        )
    if last_channel.endswith("C_IN"):
        prepared = array_ops.reshape(weights, [-1, weights.shape[-1]])
    elif last_channel.endswith("C_OUT"):
        prepared = weights_rearrange(weights)
    else:
        raise ValueError("last_channel must be `C_IN` or `C_OUT`")
    arr = xp.asarray(prepared)
    for col in range(0, arr.shape[1], num_elem):
        if (xp.count_nonzero(arr[:, col : col + num_elem], axis=1) > num_elem - num_zeros).any():
            return False
    return True
