"""``keras.layers.BatchNormalization``: normalises with batch statistics (training) or moving
statistics (inference)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend, initializers
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.layer_utils import get_optional
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_ops, math_ops, nn_impl, reduction_ops, unary_math_ops


@keras_export("keras.layers.BatchNormalization")
class BatchNormalization(Layer):
    """``gamma * (x - mean) / sqrt(var + epsilon) + beta``.

    With ``training=True`` (and a trainable layer) ``mean``/``var`` are the batch's moments
    (the biased variance) and the moving statistics are updated:
    ``moving = moving * momentum + batch * (1 - momentum)``. Otherwise (the default) the
    moving statistics are used.

    Args:
        axis: the feature axis (default -1).
        momentum: default 0.99. epsilon: default 1e-3.
        center, scale: whether to use ``beta`` / ``gamma`` (default True).
        beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer: default zeros / ones / zeros / ones.
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: optional.
        synchronized: statistics over all replicas (one replica here: the same).
        renorm, renorm_clipping, renorm_momentum: batch renormalization (only
            ``renorm=False`` is supported).

    Call arguments:
        inputs, training, mask (optional, one dimension less than inputs: moments over the
        unmasked entries).

    Example:
        >>> layer = keras.layers.BatchNormalization()
        >>> layer(tf.ones((4, 3)), training=True).shape
        TensorShape([4, 3])
        >>> [w.name for w in layer.weights]
        ['gamma', 'beta', 'moving_mean', 'moving_variance']
    """

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        synchronized=False,
        renorm=False,
        renorm_clipping=None,
        renorm_momentum=0.99,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.axis = int(axis)
        self.synchronized = synchronized
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = get_optional("regularizers", beta_regularizer)
        self.gamma_regularizer = get_optional("regularizers", gamma_regularizer)
        self.beta_constraint = get_optional("constraints", beta_constraint)
        self.gamma_constraint = get_optional("constraints", gamma_constraint)
        if renorm:
            raise NotImplementedError("BatchNormalization(renorm=True) is not supported yet")
        self.renorm = renorm
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True

    def build(self, input_shape):
        shape = (input_shape[self.axis],)
        if self.scale:
            self.gamma = self.add_weight(
                shape=shape,
                name="gamma",
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                trainable=True,
                autocast=False,
            )
        if self.center:
            self.beta = self.add_weight(
                shape=shape,
                name="beta",
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                trainable=True,
                autocast=False,
            )
        self.moving_mean = self.add_weight(
            shape=shape,
            name="moving_mean",
            initializer=self.moving_mean_initializer,
            trainable=False,
            autocast=False,
        )
        self.moving_variance = self.add_weight(
            shape=shape,
            name="moving_variance",
            initializer=self.moving_variance_initializer,
            trainable=False,
            autocast=False,
        )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: input_shape[self.axis]})
        reduction_axes = list(range(len(input_shape)))
        del reduction_axes[self.axis]
        self._reduction_axes = reduction_axes

    def compute_output_shape(self, input_shape):
        return input_shape

    def call(self, inputs, training=None, mask=None):
        inputs = backend.convert_to_tensor(inputs)
        if mask is not None:
            mask = backend.convert_to_tensor(mask)
        if mask is not None and mask.shape.rank != inputs.shape.rank - 1:
            raise ValueError(
                "The mask provided should be one dimension less than the inputs. "
                f"Received: mask.shape={tuple(mask.shape.as_list())}, "
                f"inputs.shape={tuple(inputs.shape.as_list())}"
            )
        input_dtype = inputs.dtype.name
        if input_dtype in ("float16", "bfloat16"):  # statistics in float32, as Keras does
            inputs = backend.cast(inputs, "float32")
        dtype = inputs.dtype.name
        moving_mean = backend.cast(self.moving_mean.value(), dtype)
        moving_variance = backend.cast(self.moving_variance.value(), dtype)
        if training and self.trainable:
            mean, variance = self._moments(inputs, mask)
            self.moving_mean.assign(
                math_ops.add(
                    math_ops.multiply(moving_mean, self.momentum),
                    math_ops.multiply(mean, 1.0 - self.momentum),
                )
            )
            self.moving_variance.assign(
                math_ops.add(
                    math_ops.multiply(moving_variance, self.momentum),
                    math_ops.multiply(variance, 1.0 - self.momentum),
                )
            )
        else:
            mean, variance = moving_mean, moving_variance
        gamma = backend.cast(self.gamma.value(), dtype) if self.scale else None
        beta = backend.cast(self.beta.value(), dtype) if self.center else None
        outputs = self._normalize(inputs, mean, variance, beta, gamma)
        if input_dtype in ("float16", "bfloat16"):
            outputs = backend.cast(outputs, input_dtype)
        return outputs

    def _normalize(self, x, mean, variance, offset, scale):
        if self.axis != -1 and self.axis != x.shape.rank - 1:
            shape = [1] * x.shape.rank
            shape[self.axis] = x.shape[self.axis]
            mean = array_ops.reshape(mean, shape)
            variance = array_ops.reshape(variance, shape)
            offset = None if offset is None else array_ops.reshape(offset, shape)
            scale = None if scale is None else array_ops.reshape(scale, shape)
        return nn_impl.batch_normalization(x, mean, variance, offset, scale, self.epsilon)

    def _moments(self, inputs, mask):
        if mask is None:
            return nn_impl.moments(inputs, axes=self._reduction_axes)
        weights = array_ops.expand_dims(backend.cast(mask, inputs.dtype.name), axis=-1)
        weighted = math_ops.multiply(weights, inputs)
        total = reduction_ops.reduce_sum(weighted, self._reduction_axes, keepdims=True)
        count = math_ops.add(
            reduction_ops.reduce_sum(weights, self._reduction_axes, keepdims=True),
            backend.epsilon(),
        )
        mean = math_ops.truediv(total, count)
        sq = unary_math_ops.square(math_ops.subtract(weighted, mean))
        dist = reduction_ops.reduce_sum(
            math_ops.multiply(weights, sq), self._reduction_axes, keepdims=True
        )
        variance = math_ops.truediv(dist, count)
        return array_ops.squeeze(mean), array_ops.squeeze(variance)

    def get_config(self):
        ser = serialization_lib.serialize_keras_object
        config = {
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": ser(self.beta_regularizer),
            "gamma_regularizer": ser(self.gamma_regularizer),
            "beta_constraint": ser(self.beta_constraint),
            "gamma_constraint": ser(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }
        return {**super().get_config(), **config}
