"""``keras.layers.Masking``: masks timesteps whose features all equal ``mask_value``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import array_ops, comparison_ops, math_ops, reduction_ops


@keras_export("keras.layers.Masking")
class Masking(Layer):
    """Zeroes the timesteps whose features all equal ``mask_value`` and reports them in
    ``compute_mask`` (``any(inputs != mask_value, axis=-1)``).

    Args:
        mask_value: the padding value (default 0.0).

    Example:
        >>> x = tf.constant([[[1.0], [0.0]]])
        >>> keras.layers.Masking().compute_mask(x).numpy()
        array([[ True, False]])
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self._build_at_init()

    def compute_mask(self, inputs, mask=None):
        inputs = backend.convert_to_tensor(inputs)
        return reduction_ops.reduce_any(
            comparison_ops.not_equal(inputs, backend.cast(self.mask_value, inputs.dtype.name)),
            axis=-1,
        )

    def call(self, inputs):
        inputs = backend.convert_to_tensor(inputs)
        keep = reduction_ops.reduce_any(
            comparison_ops.not_equal(inputs, backend.cast(self.mask_value, inputs.dtype.name)),
            axis=-1,
            keepdims=True,
        )
        outputs = math_ops.multiply(inputs, backend.cast(keep, inputs.dtype.name))
        try:  # tensors that accept attributes carry the mask, as in Keras
            outputs._keras_mask = array_ops.squeeze(keep, axis=-1)
        except AttributeError:
            pass
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
