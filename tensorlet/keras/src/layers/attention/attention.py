"""``keras.layers.Attention``: dot-product (Luong) or concat attention over ``[query, value,
key]``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    comparison_ops,
    linalg_ops,
    math_ops,
    nn_ops,
    reduction_ops,
    unary_math_ops,
)


def causal_mask(length_q, length_v):
    """``[1, Tq, Tv]`` booleans, True where ``row >= column`` (Keras' cumsum construction)."""
    ones = array_creation_ops.ones((1, length_q, length_v), dtype="int32")
    rows = reduction_ops.cumsum(ones, axis=-2)
    cols = reduction_ops.cumsum(ones, axis=-1)
    return comparison_ops.greater_equal(rows, cols)


@keras_export("keras.layers.Attention")
class Attention(Layer):
    """``softmax(scores) @ value`` with ``scores = query @ key^T`` (``score_mode='dot'``,
    times ``scale`` if ``use_scale``) or ``concat_score_weight * sum(tanh(scale * (q + k)))``
    (``score_mode='concat'``).

    Args:
        use_scale: learn a scalar ``scale`` (default False).
        score_mode: ``'dot'`` (default) or ``'concat'``.
        dropout: dropout rate on the attention weights (training only).
        seed: int seed of the dropout.

    Call arguments:
        inputs: ``[query, value]`` or ``[query, value, key]`` (key defaults to value).
        mask: ``[query_mask, value_mask]`` booleans (optional).
        return_attention_scores: also return the attention weights.
        use_causal_mask: position ``i`` attends only to positions ``<= i``.

    Example:
        >>> q, v = tf.ones((2, 3, 4)), tf.ones((2, 5, 4))
        >>> keras.layers.Attention()([q, v]).shape
        TensorShape([2, 3, 4])
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if self.dropout > 0:
            self.seed_generator = SeedGenerator(seed=seed)
        if self.score_mode not in ["dot", "concat"]:
            raise ValueError(
                "Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
                f"Received: score_mode={score_mode}"
            )
        self.supports_masking = True

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(
                name="scale", shape=(), initializer="ones", dtype=self.dtype, trainable=True
            )
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                name="concat_score_weight",
                shape=(),
                initializer="ones",
                dtype=self.dtype,
                trainable=True,
            )

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = linalg_ops.matmul(query, array_ops.transpose(key, [0, 2, 1]))
            if self.scale is not None:
                scores = math_ops.multiply(scores, self.scale)
            return scores
        q = array_ops.expand_dims(query, axis=-2)
        k = array_ops.expand_dims(key, axis=-3)
        total = math_ops.add(q, k)
        if self.scale is not None:
            total = math_ops.multiply(self.scale, total)
        return math_ops.multiply(
            self.concat_score_weight,
            reduction_ops.reduce_sum(unary_math_ops.tanh(total), axis=-1),
        )

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        if scores_mask is not None:
            padding = backend.cast(comparison_ops.logical_not(scores_mask), scores.dtype.name)
            max_value = 65504.0 if scores.dtype.name == "float16" else 1.0e9
            scores = math_ops.subtract(scores, math_ops.multiply(max_value, padding))
        weights = nn_ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        return linalg_ops.matmul(weights, value), weights

    def _calculate_score_mask(self, scores, v_mask, use_causal_mask):
        if use_causal_mask:
            mask = causal_mask(scores.shape[-2], scores.shape[-1])
            if v_mask is not None:
                return comparison_ops.logical_and(array_ops.expand_dims(v_mask, axis=-2), mask)
            return mask
        if v_mask is not None:
            return array_ops.expand_dims(v_mask, axis=-2)
        return None

    def call(
        self,
        inputs,
        mask=None,
        training=False,
        return_attention_scores=False,
        use_causal_mask=False,
    ):
        self._validate_inputs(inputs=inputs, mask=mask)
        q = backend.convert_to_tensor(inputs[0])
        v = backend.convert_to_tensor(inputs[1])
        k = backend.convert_to_tensor(inputs[2]) if len(inputs) > 2 else v
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        if v_mask is not None:
            v_mask = backend.cast(backend.convert_to_tensor(v_mask), "bool")
        scores = self._calculate_scores(query=q, key=k)
        scores_mask = self._calculate_score_mask(scores, v_mask, use_causal_mask)
        result, attention_scores = self._apply_scores(
            scores=scores, value=v, scores_mask=scores_mask, training=training
        )
        if q_mask is not None:
            q_mask = array_ops.expand_dims(backend.convert_to_tensor(q_mask), axis=-1)
            result = math_ops.multiply(result, backend.cast(q_mask, result.dtype.name))
        if return_attention_scores:
            return result, attention_scores
        return result

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs=inputs, mask=mask)
        if mask is None or mask[0] is None:
            return None
        return backend.convert_to_tensor(mask[0])

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], input_shape[1][-1])

    def _validate_inputs(self, inputs, mask=None):
        name = self.__class__.__name__
        if not isinstance(inputs, list):
            raise ValueError(  # noqa: TRY004 (Keras' class)
                f"{name} layer must be called on a list of inputs, namely [query, value] "
                f"or [query, value, key]. Received: inputs={inputs}."
            )
        if len(inputs) < 2 or len(inputs) > 3:
            raise ValueError(
                f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] "
                f"or [query, value, key]. Received length: {len(inputs)}."
            )
        if mask is not None:
            if not isinstance(mask, list):
                raise ValueError(
                    f"{name} layer mask must be a list, namely [query_mask, value_mask]. "
                    f"Received: mask={mask}."
                )
            if len(mask) < 2 or len(mask) > 3:
                raise ValueError(
                    f"{name} layer accepts mask list of length 2 or 3. "
                    f"Received: inputs={inputs}, mask={mask}."
                )

    def get_config(self):
        config = {
            "use_scale": self.use_scale,
            "score_mode": self.score_mode,
            "dropout": self.dropout,
            "seed": self.seed,
        }
        return {**super().get_config(), **config}
