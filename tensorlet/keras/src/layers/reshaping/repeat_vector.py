"""``keras.layers.RepeatVector``: repeats a vector ``n`` times along a new axis 1."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import array_ops


@keras_export("keras.layers.RepeatVector")
class RepeatVector(Layer):
    """``(batch, features) -> (batch, n, features)``.

    Args:
        n: the number of repetitions.

    Example:
        >>> keras.layers.RepeatVector(3)(tf.ones((2, 5))).shape
        TensorShape([2, 3, 5])
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = n
        if not isinstance(n, int):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        self.input_spec = InputSpec(ndim=2)
        self._build_at_init()

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def call(self, inputs):
        inputs = backend.convert_to_tensor(inputs)
        return array_ops.tile(array_ops.expand_dims(inputs, 1), [1, self.n, 1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
