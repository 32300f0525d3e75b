"""``keras.layers.SpectralNormalization``: divides a wrapped layer's kernel by its largest
singular value (power iteration)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend, initializers
from tensorlet.keras.src.layers.core.wrapper import Wrapper
from tensorlet.ops import array_ops, linalg_ops, math_ops, reduction_ops, unary_math_ops


def _normalize(x):
    return math_ops.multiply(
        x,
        math_ops.truediv(
            1.0,
            unary_math_ops.sqrt(
                math_ops.maximum(reduction_ops.reduce_sum(unary_math_ops.square(x)), 1e-12)
            ),
        ),
    )


@keras_export("keras.layers.SpectralNormalization")
class SpectralNormalization(Wrapper):
    """Spectral normalisation of ``layer.kernel``: while training, ``power_iterations``
    steps refine the singular vector ``vector_u`` and the kernel is replaced by
    ``kernel / sigma``.

    Args:
        layer: a layer with a ``kernel`` attribute (Dense, Conv2D, ...).
        power_iterations: default 1.

    Example:
        >>> layer = keras.layers.SpectralNormalization(keras.layers.Dense(2))
        >>> layer(tf.ones((1, 3)), training=True).shape
        TensorShape([1, 2])
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(
                "`power_iterations` should be greater than zero. Received: "
                f"`power_iterations={power_iterations}`"
            )
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        if not hasattr(self.layer, "kernel"):
            raise ValueError(
                "{self} object has no attribute 'kernel' nor 'embeddings'".replace(
                    "{self}", str(self.layer)
                )
            )
        self.kernel = self.layer.kernel
        self.kernel_shape = tuple(self.kernel.shape)
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            name="vector_u",
            dtype=self.kernel.dtype,
        )

    def call(self, inputs, training=False):
        if training:
            new_u, new_kernel = self.normalized_weights()
            self.vector_u.assign(new_u)
            self.kernel.assign(new_kernel)
        output = self.layer(inputs)
        return backend.cast(output, backend.convert_to_tensor(inputs).dtype.name)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def normalized_weights(self):
        weights = array_ops.reshape(self.kernel.value(), [-1, self.kernel_shape[-1]])
        vector_u = self.vector_u.value()
        vector_v = None
        for _ in range(self.power_iterations):
            vector_v = _normalize(linalg_ops.matmul(vector_u, array_ops.transpose(weights)))
            vector_u = _normalize(linalg_ops.matmul(vector_v, weights))
        vector_u = array_ops.stop_gradient(vector_u)
        vector_v = array_ops.stop_gradient(vector_v)
        sigma = linalg_ops.matmul(
            linalg_ops.matmul(vector_v, weights), array_ops.transpose(vector_u)
        )
        kernel = array_ops.reshape(math_ops.truediv(self.kernel.value(), sigma), self.kernel_shape)
        return vector_u, kernel

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
