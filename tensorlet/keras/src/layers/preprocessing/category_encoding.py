"""``keras.layers.CategoryEncoding``: integer indices to one-hot, multi-hot or count vectors."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.backend.keras_tensor import KerasTensor
from tensorlet.keras.src.layers.preprocessing.encoding import encode_categorical_inputs
from tensorlet.keras.src.layers.preprocessing.tf_data_layer import TFDataLayer


@keras_export("keras.layers.CategoryEncoding")
class CategoryEncoding(TFDataLayer):
    """Encodes integer features of ``num_tokens`` categories (indices in ``[0, num_tokens)``;
    others encode to nothing).

    Args:
        num_tokens: the number of categories.
        output_mode: ``'multi_hot'`` (default: one row per sample, 1 where an index occurs),
            ``'one_hot'`` (one row per index) or ``'count'`` (occurrences per sample).
        sparse: not supported (dense outputs only).

    Call arguments:
        inputs: 1D or 2D integer indices.
        count_weights: weights summed instead of 1 in ``'count'`` mode.

    Example:
        >>> layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="count")
        >>> layer(tf.constant([[0, 1], [2, 2]])).numpy()
        array([[1., 1., 0., 0.],
               [0., 0., 2., 0.]], dtype=float32)
    """

    _convert_in_graph = False

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens is not "
                "known beforehand, use the IntegerLookup layer instead."
            )
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        if sparse:
            raise NotImplementedError("sparse outputs are not supported by tensorlet yet")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse
        self._build_at_init()

    def compute_output_shape(self, input_shape):
        if input_shape is not None and len(input_shape) == 0:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and (input_shape[-1] != 1 or len(input_shape) == 1):
            return tuple(input_shape) + (self.num_tokens,)
        return tuple(input_shape[:-1]) + (self.num_tokens,)

    def compute_output_spec(self, inputs, count_weights=None):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.compute_dtype)

    def call(self, inputs, count_weights=None):
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    "`count_weights` is not used when `output_mode` is not `'count'`. "
                    f"Received `count_weights={count_weights}`."
                )
            count_weights = backend.convert_to_tensor(count_weights, dtype=self.compute_dtype)
        inputs = backend.convert_to_tensor(inputs)
        return encode_categorical_inputs(
            inputs, self.output_mode, self.num_tokens, self.dtype, count_weights
        )

    def get_config(self):
        config = {"num_tokens": self.num_tokens, "output_mode": self.output_mode}
        return {**super().get_config(), **config}
