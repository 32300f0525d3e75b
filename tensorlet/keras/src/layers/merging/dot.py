"""``keras.layers.Dot``: batch-wise dot products of two tensors."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.merging.base_merge import Merge
from tensorlet.ops import array_ops, linalg_ops, math_ops, reduction_ops, unary_math_ops

_LETTERS = "bcdefghijklmnopqrstuvwxyz"


def batch_dot(x, y, axes):
    """Sum of ``x * y`` over ``axes[0]`` of x and ``axes[1]`` of y, per batch element; the
    result keeps x's other axes then y's (a lone batch axis gets a trailing size-1 axis)."""
    xr, yr = x.shape.rank, y.shape.rank
    xs = ["a"] + [_LETTERS[i] for i in range(xr - 1)]
    ys = ["a"] + [_LETTERS[xr - 1 + i] for i in range(yr - 1)]
    ys[axes[1]] = xs[axes[0]]
    out = [c for i, c in enumerate(xs) if i != axes[0]]
    out += [c for i, c in enumerate(ys) if i not in (0, axes[1])]
    result = linalg_ops.einsum(f"{''.join(xs)},{''.join(ys)}->{''.join(out)}", x, y)
    if len(out) == 1:
        result = array_ops.expand_dims(result, 1)
    return result


def _l2_normalize(x, axis):
    square_sum = reduction_ops.reduce_sum(unary_math_ops.square(x), axis=axis, keepdims=True)
    inv_norm = math_ops.truediv(
        1.0, unary_math_ops.sqrt(math_ops.maximum(square_sum, backend.epsilon()))
    )
    return math_ops.multiply(x, inv_norm)


@keras_export("keras.layers.Dot")
class Dot(Merge):
    """Dot product of two samples-batched tensors along ``axes``.

    Args:
        axes: int or pair of ints, the axis of each input to contract.
        normalize: L2-normalise both inputs along ``axes`` first (cosine proximity).

    Example:
        >>> keras.layers.Dot(axes=1)([tf.constant([[1.0, 2.0]]), tf.constant([[3.0, 4.0]])]).numpy()
        array([[11.]], dtype=float32)
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(
                    f"Invalid type for argument `axes`: it should be a list or an int. "
                    f"Received: axes={axes}"
                )
            if len(axes) != 2:
                raise ValueError(
                    "Invalid format for argument `axes`: it should contain two elements. "
                    f"Received: axes={axes}"
                )
            if not isinstance(axes[0], int) or not isinstance(axes[1], int):
                raise ValueError(  # noqa: TRY004 (Keras' class)
                    "Invalid format for argument `axes`: list elements should be integers. "
                    f"Received: axes={axes}"
                )
        self.axes = axes
        self.normalize = normalize
        self.supports_masking = True
        self._reshape_required = False

    def _resolved_axes(self, ranks):
        if isinstance(self.axes, int):
            return (
                [self.axes % ranks[0], self.axes % ranks[1]] if self.axes < 0 else [self.axes] * 2
            )
        return [a % r if a < 0 else a for a, r in zip(self.axes, ranks)]

    def build(self, input_shape):
        if not isinstance(input_shape[0], (tuple, list)) or len(input_shape) != 2:
            raise ValueError(
                "A `Dot` layer should be called on a list of 2 inputs. "
                f"Received: input_shape={input_shape}"
            )
        shape1, shape2 = input_shape
        if shape1 is None or shape2 is None:
            return
        axes = self._resolved_axes([len(shape1), len(shape2)])
        n1, n2 = shape1[axes[0]], shape2[axes[1]]
        if n1 is not None and n2 is not None and n1 != n2:
            raise ValueError(
                "Incompatible input shapes: "
                f"axis values {n1} (at axis {axes[0]}) != {n2} (at axis {axes[1]}). "
                f"Full input shapes: {shape1}, {shape2}"
            )

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(
                f"A `Dot` layer should be called on exactly 2 inputs. Received: inputs={inputs}"
            )
        x1, x2 = inputs
        axes = self._resolved_axes([x1.shape.rank, x2.shape.rank])
        if self.normalize:
            x1 = _l2_normalize(x1, axes[0])
            x2 = _l2_normalize(x2, axes[1])
        return batch_dot(x1, x2, axes)

    def call(self, inputs):
        return self._merge_function([backend.convert_to_tensor(x) for x in inputs])

    def compute_output_shape(self, input_shape):
        shape1, shape2 = list(input_shape[0]), list(input_shape[1])
        axes = self._resolved_axes([len(shape1), len(shape2)])
        shape1.pop(axes[0])
        shape2.pop(axes[1])
        shape2.pop(0)
        out = shape1 + shape2
        if len(out) == 1:
            out += [1]
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        config = {"axes": self.axes, "normalize": self.normalize}
        return {**super().get_config(), **config}


@keras_export("keras.layers.dot")
def dot(inputs, axes=-1, **kwargs):
    """Functional interface to ``keras.layers.Dot``."""
    return Dot(axes=axes, **kwargs)(inputs)
