"""``keras.layers.Identity``: returns its inputs unchanged (a placeholder layer)."""

from tensorlet.framework import nest
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import array_ops


@keras_export("keras.layers.Identity")
class Identity(Layer):
    """Identity layer: ``outputs = inputs`` (any structure of tensors).

    Example:
        >>> keras.layers.Identity()(tf.constant([1.0])).numpy()
        array([1.], dtype=float32)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._build_at_init()

    def call(self, inputs):
        return nest.map_structure(array_ops.identity, inputs)

    def compute_output_shape(self, input_shape):
        return input_shape
