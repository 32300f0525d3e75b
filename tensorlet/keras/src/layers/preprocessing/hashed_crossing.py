"""``keras.layers.HashedCrossing``: a pair of categorical features crossed and hashed into
``num_bins`` bins (``tf.sparse.cross_hashed``)."""

from tensorlet.framework import dtypes
from tensorlet.framework.export import keras_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.preprocessing.encoding import encode_categorical_inputs
from tensorlet.ops import array_ops
from tensorlet.ragged_tensors import ragged_cross_ops
from tensorlet.sparse_tensors import sparse_ops


@keras_export("keras.layers.HashedCrossing")
class HashedCrossing(Layer):
    """Crosses categorical features (ints or strings of shape ``()``, ``(batch,)`` or
    ``(batch, 1)``) and hashes each combination into ``[0, num_bins)``.

    Args:
        num_bins: number of hash bins.
        output_mode: ``'int'`` (int64 bins) or ``'one_hot'``.
        sparse: not supported (dense outputs only).

    Example:
        >>> layer = keras.layers.HashedCrossing(num_bins=5)
        >>> layer((tf.constant(["A", "B", "A"]), tf.constant([1, 2, 1]))).numpy()
        array([0, 1, 0])
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype)
        if output_mode not in ("int", "one_hot"):
            raise ValueError(
                "Unknown value for `output_mode`. Allowed values are: ('int', 'one_hot'). "
                f"Received: output_mode={output_mode}"
            )
        if sparse:
            raise NotImplementedError("sparse outputs are not supported by tensorlet yet")
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse
        self._build_at_init()

    def _convert_input(self, x):
        return x

    def compute_output_shape(self, input_shape):
        if (
            not len(input_shape) == 2
            or not isinstance(input_shape[0], tuple)
            or not isinstance(input_shape[1], tuple)
        ):
            raise ValueError(
                f"Expected as input a list/tuple of 2 tensors. Received input_shape={input_shape}"
            )
        if input_shape[0][-1] != input_shape[1][-1]:
            raise ValueError(
                "Expected the two input tensors to have identical shapes. Received "
                f"input_shape={input_shape}"
            )
        if self.output_mode == "int":
            return input_shape[0]
        if input_shape[0][-1] != 1:
            return tuple(input_shape[0]) + (self.num_bins,)
        return tuple(input_shape[0])[:-1] + (self.num_bins,)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(  # noqa: TRY004 (Keras' class)
                "`HashedCrossing` should be called on a list or tuple of inputs. Received: "
                f"inputs={inputs}"
            )
        if len(inputs) < 2:
            raise ValueError(
                "`HashedCrossing` should be called on at least two inputs. Received: "
                f"inputs={inputs}"
            )
        inputs = [convert_to_tensor(x) for x in inputs]
        _check_inputs(inputs)
        rank = inputs[0].shape.rank
        for _ in range(2 - rank):
            inputs = [array_ops.expand_dims(x, -1) for x in inputs]
        crossed = ragged_cross_ops.sparse_cross_hashed(inputs, self.num_bins)
        outputs = sparse_ops.to_dense(crossed)
        outputs = array_ops.reshape(outputs, {2: [-1, 1], 1: [-1], 0: []}[rank])
        return encode_categorical_inputs(
            outputs, self.output_mode, self.num_bins, self.compute_dtype
        )

    def get_config(self):
        return {
            "num_bins": self.num_bins,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }


def _check_inputs(inputs):
    first = tuple(inputs[0].shape.as_list())
    if len(first) > 2 or (len(first) == 2 and first[-1] != 1):
        raise ValueError(
            "All `HashedCrossing` inputs should have shape `()`, `(batch_size)` or "
            f"`(batch_size, 1)`. Received: inputs={inputs}"
        )
    if not all(tuple(x.shape.as_list()) == first for x in inputs[1:]):
        raise ValueError(
            f"All `HashedCrossing` inputs should have equal shape. Received: inputs={inputs}"
        )
    if not all(x.dtype.is_integer or x.dtype == dtypes.string for x in inputs):
        raise ValueError(
            "All `HashedCrossing` inputs should have an integer or string dtype. Received: "
            f"inputs={inputs}"
        )
