"""``keras.utils.to_categorical`` and ``keras.utils.normalize``."""

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import keras_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.keras.src.backend import config
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    cast_ops,
    math_ops,
    reduction_ops,
    unary_math_ops,
)


@keras_export("keras.utils.to_categorical")
def to_categorical(x, num_classes=None):
    """Converts a class vector (integers) to a one-hot class matrix.

    A trailing dimension of size 1 is dropped first, so ``(n, 1)`` labels give ``(n, C)``.
    NumPy-like input returns a float64 NumPy array (``num_classes`` defaults to
    ``max(x) + 1``); a tensor returns a float32 tensor (``num_classes`` is then required).

    Args:
        x: array-like of class values (0 to ``num_classes - 1``).
        num_classes: total number of classes. Defaults to ``max(x) + 1``.

    Returns:
        A one-hot encoding of ``x``: shape ``x.shape + (num_classes,)``.

    Example:
        >>> keras.utils.to_categorical([0, 2, 1])
        array([[1., 0., 0.],
               [0., 0., 1.],
               [0., 1., 0.]])
    """
    if isinstance(x, Tensor):
        shape = x.shape
        if shape.rank is not None and shape.rank > 1 and shape[-1] == 1:
            x = array_ops.reshape(x, shape.as_list()[:-1])
        x = cast_ops.cast(x, dtypes.int64)  # Keras: convert_to_tensor(x, 'int64') casts
        depth = convert_to_tensor(num_classes)
        return array_creation_ops.one_hot(x, depth, dtype=dtypes.float32)
    x = xp.array(x, dtype="int64")
    input_shape = x.shape
    if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
        input_shape = tuple(input_shape[:-1])
    x = x.reshape(-1)
    if not num_classes:
        num_classes = xp.max(x) + 1
    batch_size = x.shape[0]
    categorical = xp.zeros((batch_size, num_classes))
    categorical[xp.arange(batch_size), x] = 1
    return xp.reshape(categorical, input_shape + (num_classes,))


@keras_export("keras.utils.normalize")
def normalize(x, axis=-1, order=2):
    """Normalizes an array along ``axis`` to unit ``order``-norm.

    ``x / max(||x||_order, epsilon)``; for ``order=2`` computed as
    ``x * min(rsqrt(sum(x**2)), 1 / epsilon)`` (Keras' formula: all-zero rows stay zero).

    Args:
        x: array-like or tensor.
        axis: axis along which to normalize.
        order: normalization order, an int >= 1 (2 for the L2 norm).

    Returns:
        The normalized tensor (the input's float dtype).

    Example:
        >>> keras.utils.normalize(np.array([[3.0, 4.0]])).numpy()
        array([[0.6, 0.8]])
    """
    if not isinstance(order, int) or not order >= 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    x = convert_to_tensor(x)
    if x.shape.rank == 0:
        x = array_ops.expand_dims(x, axis=0)
    eps = config.epsilon()
    if order == 2:
        square_sum = reduction_ops.reduce_sum(unary_math_ops.square(x), axis=axis, keepdims=True)
        inv_norm = math_ops.minimum(unary_math_ops.rsqrt(square_sum), 1.0 / eps)
        return math_ops.multiply(x, inv_norm)
    p = convert_to_tensor(order, dtype=x.dtype)
    total = reduction_ops.reduce_sum(
        math_ops.pow(unary_math_ops.abs(x), p), axis=axis, keepdims=True
    )
    norm = math_ops.pow(total, 1.0 / p)
    return math_ops.divide(x, math_ops.maximum(norm, eps))
