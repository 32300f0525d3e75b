"""``keras.layers.Permute``: permutes the non-batch axes."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import array_ops


@keras_export("keras.layers.Permute")
class Permute(Layer):
    """``transpose(inputs, (0,) + dims)``.

    Args:
        dims: a permutation of ``1..rank-1`` (the batch axis 0 stays first).

    Example:
        >>> keras.layers.Permute((2, 1))(tf.ones((2, 3, 4))).shape
        TensorShape([2, 4, 3])
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. "
                "The set of indices in `dims` must be consecutive and start from 1. "
                f"Received dims={dims}"
            )
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)
        self._build_at_init()

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def call(self, inputs):
        return array_ops.transpose(backend.convert_to_tensor(inputs), (0,) + self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}
