"""Weight / activity penalties: ``L1``, ``L2``, ``L1L2`` and ``OrthogonalRegularizer``.

A regularizer is a callable ``x -> scalar`` whose result a layer adds to ``layer.losses``.
"""

import math

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.ops import array_ops, linalg_ops, math_ops, nn_impl, reduction_ops, unary_math_ops


@keras_export("keras.Regularizer", "keras.regularizers.Regularizer")
class Regularizer:
    """Base class of regularizers: ``__call__(x)`` returns a scalar penalty (here 0).

    Example:
        >>> class L2Reg(keras.regularizers.Regularizer):
        ...     def __call__(self, x):
        ...         return 0.5 * tf.reduce_sum(tf.square(x))
        >>> float(L2Reg()(tf.ones((2, 2))))
        2.0
    """

    def __call__(self, x):
        return 0.0

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_config(self):
        raise NotImplementedError(f"{self} does not implement get_config()")


def _weighted_sum(factor, values, dtype):
    # Keras keeps the factor as given (its config shows 0.01, not float32's 0.0099999998)
    return math_ops.multiply(
        backend.convert_to_tensor(factor, dtype=dtype), reduction_ops.reduce_sum(values)
    )


@keras_export("keras.regularizers.L1L2", "keras.regularizers.l1_l2")
class L1L2(Regularizer):
    """``l1 * sum(abs(x)) + l2 * sum(square(x))``.

    Args:
        l1: float >= 0, the L1 factor (default 0.0; ``'l1_l2'`` as a string means 0.01/0.01).
        l2: float >= 0, the L2 factor (default 0.0).

    Example:
        >>> float(keras.regularizers.L1L2(l1=0.5, l2=1.0)(tf.constant([1.0, -2.0])))
        6.5
    """

    def __init__(self, l1=0.0, l2=0.0):
        l1 = 0.0 if l1 is None else l1
        l2 = 0.0 if l2 is None else l2
        validate_float_arg(l1, name="l1")
        validate_float_arg(l2, name="l2")
        self.l1 = float(l1)
        self.l2 = float(l2)

    def __call__(self, x):
        x = backend.convert_to_tensor(x)
        dtype = x.dtype.name
        regularization = backend.convert_to_tensor(0.0, dtype=dtype)
        if self.l1:
            regularization = math_ops.add(
                regularization, _weighted_sum(self.l1, unary_math_ops.abs(x), dtype)
            )
        if self.l2:
            regularization = math_ops.add(
                regularization, _weighted_sum(self.l2, unary_math_ops.square(x), dtype)
            )
        return regularization

    def get_config(self):
        return {"l1": float(self.l1), "l2": float(self.l2)}


@keras_export("keras.regularizers.L1", "keras.regularizers.l1")
class L1(Regularizer):
    """``l1 * sum(abs(x))`` (default ``l1=0.01``)."""

    def __init__(self, l1=0.01):
        l1 = 0.01 if l1 is None else l1
        validate_float_arg(l1, name="l1")
        self.l1 = float(l1)

    def __call__(self, x):
        x = backend.convert_to_tensor(x)
        return _weighted_sum(self.l1, unary_math_ops.abs(x), x.dtype.name)

    def get_config(self):
        return {"l1": float(self.l1)}


@keras_export("keras.regularizers.L2", "keras.regularizers.l2")
class L2(Regularizer):
    """``l2 * sum(square(x))`` (default ``l2=0.01``).

    Example:
        >>> float(keras.regularizers.L2(2.0)(tf.ones((5, 5))))
        50.0
    """

    def __init__(self, l2=0.01):
        l2 = 0.01 if l2 is None else l2
        validate_float_arg(l2, name="l2")
        self.l2 = float(l2)

    def __call__(self, x):
        x = backend.convert_to_tensor(x)
        return _weighted_sum(self.l2, unary_math_ops.square(x), x.dtype.name)

    def get_config(self):
        return {"l2": float(self.l2)}


@keras_export(
    "keras.regularizers.OrthogonalRegularizer", "keras.regularizers.orthogonal_regularizer"
)
class OrthogonalRegularizer(Regularizer):
    """``factor * 0.5 * mean |<u_i, u_j>|`` over pairs ``i != j`` of L2-normalised rows
    (``mode='rows'``, default) or columns (``mode='columns'``) of a rank-2 input.

    Args:
        factor: float >= 0 (default 0.01).
        mode: ``'rows'`` or ``'columns'``.
    """

    def __init__(self, factor=0.01, mode="rows"):
        validate_float_arg(factor, name="factor")
        self.factor = float(factor)
        if mode not in {"rows", "columns"}:
            raise ValueError(
                "Invalid value for argument `mode`. Expected one of "
                f'{{"rows", "columns"}}. Received: mode={mode}'
            )
        self.mode = mode

    def __call__(self, inputs):
        inputs = backend.convert_to_tensor(inputs)
        if inputs.shape.rank != 2:
            raise ValueError(
                "Inputs to OrthogonalRegularizer must have rank 2. Received: "
                f"inputs.shape={tuple(inputs.shape.as_list())}"
            )
        if self.mode == "rows":
            inputs = nn_impl.l2_normalize(inputs, axis=1, epsilon=1e-12)
            product = linalg_ops.matmul(inputs, array_ops.transpose(inputs))
            size = inputs.shape[0]
        else:
            inputs = nn_impl.l2_normalize(inputs, axis=0, epsilon=1e-12)
            product = linalg_ops.matmul(array_ops.transpose(inputs), inputs)
            size = inputs.shape[1]
        off_diagonal = math_ops.multiply(
            product, math_ops.subtract(1.0, linalg_ops.eye(size, dtype=inputs.dtype))
        )
        num_pairs = size * (size - 1.0) / 2.0
        total = reduction_ops.reduce_sum(unary_math_ops.abs(off_diagonal))
        return math_ops.multiply(self.factor * 0.5, math_ops.truediv(total, num_pairs))

    def get_config(self):
        return {"factor": float(self.factor), "mode": self.mode}


def validate_float_arg(value, name):
    """``float(value)``; ValueError unless a finite non-negative number."""
    if not isinstance(value, (float, int)) or (math.isinf(value) or math.isnan(value)) or value < 0:
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative float."
            f"Received: {name}={value}"
        )
    return float(value)
