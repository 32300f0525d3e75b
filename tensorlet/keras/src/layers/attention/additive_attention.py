"""``keras.layers.AdditiveAttention``: Bahdanau-style attention."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.attention.attention import Attention
from tensorlet.ops import array_ops, math_ops, reduction_ops, unary_math_ops


@keras_export("keras.layers.AdditiveAttention")
class AdditiveAttention(Attention):
    """``scores = sum(scale * tanh(query[:, :, None] + key[:, None]), axis=-1)``, then
    ``softmax(scores) @ value`` (``scale`` is a learned ``(dim,)`` vector if ``use_scale``).

    Args:
        use_scale: learn ``scale`` (default True).
        dropout: dropout rate on the attention weights (training only).

    Example:
        >>> q, v = tf.ones((2, 3, 4)), tf.ones((2, 5, 4))
        >>> keras.layers.AdditiveAttention()([q, v]).shape
        TensorShape([2, 3, 4])
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        dim = input_shape[0][-1]
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(
                name="scale",
                shape=[dim],
                initializer="glorot_uniform",
                dtype=self.dtype,
                trainable=True,
            )

    def _calculate_scores(self, query, key):
        q = array_ops.expand_dims(query, axis=-2)
        k = array_ops.expand_dims(key, axis=-3)
        t = unary_math_ops.tanh(math_ops.add(q, k))
        if self.scale is not None:
            t = math_ops.multiply(self.scale, t)
        return reduction_ops.reduce_sum(t, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
