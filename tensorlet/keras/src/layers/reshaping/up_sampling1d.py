"""``keras.layers.UpSampling1D``: repeats each timestep ``size`` times."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import gather_ops


@keras_export("keras.layers.UpSampling1D")
class UpSampling1D(Layer):
    """``(batch, steps, features) -> (batch, steps * size, features)``.

    Args:
        size: the upsampling factor (default 2).

    Example:
        >>> keras.layers.UpSampling1D(2)(tf.ones((1, 3, 2))).shape
        TensorShape([1, 6, 2])
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = int(size)
        self.input_spec = InputSpec(ndim=3)
        self._build_at_init()

    def compute_output_shape(self, input_shape):
        steps = input_shape[1] * self.size if input_shape[1] is not None else None
        return (input_shape[0], steps, input_shape[2])

    def call(self, inputs):
        return gather_ops.repeat(backend.convert_to_tensor(inputs), self.size, axis=1)

    def get_config(self):
        return {**super().get_config(), "size": self.size}
