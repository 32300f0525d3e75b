"""``keras.layers.GroupedQueryAttention``: attention where groups of query heads share one
key/value head."""

import math

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend, initializers
from tensorlet.keras.src.backend.keras_tensor import KerasTensor
from tensorlet.keras.src.layers.activations.softmax import Softmax
from tensorlet.keras.src.layers.attention.multi_head_attention import (
    MultiHeadAttention,
    _bool,
    _shape,
)
from tensorlet.keras.src.layers.core.einsum_dense import EinsumDense
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.layer_utils import get_optional
from tensorlet.keras.src.layers.regularization.dropout import Dropout
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_ops, gather_ops, linalg_ops, math_ops


@keras_export("keras.layers.GroupQueryAttention", "keras.layers.GroupedQueryAttention")
class GroupedQueryAttention(Layer):
    """``num_query_heads`` query heads attend with ``num_key_value_heads`` key/value heads,
    each shared by ``num_query_heads // num_key_value_heads`` query heads; scores are
    ``softmax(q k^T / sqrt(head_dim))``.

    Args:
        head_dim: size of each head.
        num_query_heads, num_key_value_heads: head counts (the second divides the first).
        dropout, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, seed:
        as MultiHeadAttention.

    Call arguments: query ``(B, T, dim)``, value ``(B, S, dim)``, key (default value),
    query/value/key masks, attention_mask, return_attention_scores, training,
    use_causal_mask.

    Example:
        >>> layer = keras.layers.GroupQueryAttention(2, 4, 2)
        >>> layer(tf.ones((2, 3, 4)), tf.ones((2, 5, 4))).shape
        TensorShape([2, 3, 4])
    """

    def __init__(
        self,
        head_dim,
        num_query_heads,
        num_key_value_heads,
        dropout=0.0,
        use_bias=True,
        flash_attention=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        seed=None,
        use_gate=False,
        sliding_window=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError("`num_query_heads` must be divisible by `num_key_value_heads`.")
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = use_bias
        self._flash_attention = flash_attention or False
        if use_gate:
            raise NotImplementedError("GroupedQueryAttention(use_gate=True) is not supported yet")
        if sliding_window is not None:
            raise NotImplementedError(
                "GroupedQueryAttention(sliding_window=...) is not supported yet"
            )
        self.use_gate = use_gate
        self.sliding_window = sliding_window
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = get_optional("regularizers", kernel_regularizer)
        self.bias_regularizer = get_optional("regularizers", bias_regularizer)
        self._activity_regularizer = get_optional("regularizers", activity_regularizer)
        self.kernel_constraint = get_optional("constraints", kernel_constraint)
        self.bias_constraint = get_optional("constraints", bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(self.head_dim))
        self._return_attention_scores = False

    def __call__(self, query, value, key=None, **kwargs):
        if not self.built:  # build from all three input shapes, as Keras does
            self.build(_shape(query), _shape(value), _shape(key))
        return super().__call__(query, value, key=key, **kwargs)

    def _common_kwargs(self):
        return {
            "kernel_regularizer": self.kernel_regularizer,
            "bias_regularizer": self.bias_regularizer,
            "activity_regularizer": self._activity_regularizer,
            "kernel_constraint": self.kernel_constraint,
            "bias_constraint": self.bias_constraint,
            "dtype": self.dtype_policy,
            "kernel_initializer": self.kernel_initializer.__class__.from_config(
                self.kernel_initializer.get_config()
            ),
            "bias_initializer": self.bias_initializer.__class__.from_config(
                self.bias_initializer.get_config()
            ),
        }

    def _dense(self, equation, output_shape, bias_axes, name):
        return EinsumDense(
            equation,
            output_shape=output_shape,
            bias_axes=bias_axes if self.use_bias else None,
            name=name,
            **self._common_kwargs(),
        )

    def build(self, query_shape, value_shape=None, key_shape=None):
        value_shape = query_shape if value_shape is None else value_shape
        key_shape = value_shape if key_shape is None else key_shape
        self.feature_dim = query_shape[-1]
        self._query_dense = self._dense(
            "bqm,muh->bquh", (None, self.num_query_heads, self.head_dim), "uh", "query"
        )
        self._query_dense.build(query_shape)
        self._key_dense = self._dense(
            "bkm,mvh->bkvh", (None, self.num_key_value_heads, self.head_dim), "vh", "key"
        )
        self._key_dense.build(key_shape)
        self._value_dense = self._dense(
            "bkm,mvh->bkvh", (None, self.num_key_value_heads, self.head_dim), "vh", "value"
        )
        self._value_dense.build(value_shape)
        self._softmax = Softmax(axis=-1, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(rate=self.dropout, dtype=self.dtype_policy, seed=self.seed)
        self._dot_product_equation = "bquh,bkuh->buqk"
        self._combine_equation = "buqk,bkuh->bquh"
        self._output_dense = self._dense(
            "bquh,uhm->bqm", (None, self.feature_dim), "m", "attention_output"
        )
        self._output_dense.build((None, None, self.num_query_heads, self.head_dim))

    def call(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        if key is None:
            key = value
        attention_mask = MultiHeadAttention._compute_attention_mask(
            self,
            query,
            value,
            query_mask=query_mask,
            value_mask=value_mask,
            key_mask=key_mask,
            attention_mask=attention_mask,
            use_causal_mask=use_causal_mask,
        )
        query = self._query_dense(query)
        key = self._key_dense(key)
        value = self._value_dense(value)
        key = gather_ops.repeat(key, self.num_repeats, axis=2)
        value = gather_ops.repeat(value, self.num_repeats, axis=2)
        output, scores = self._compute_attention(
            query, key, value, attention_mask=attention_mask, training=training
        )
        output = self._output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    _compute_causal_mask = MultiHeadAttention._compute_causal_mask

    def _compute_attention(self, query, key, value, attention_mask=None, training=None):
        query = math_ops.multiply(
            query, backend.cast(self._inverse_sqrt_head_dim, query.dtype.name)
        )
        scores = linalg_ops.einsum(self._dot_product_equation, query, key)
        if attention_mask is not None:
            attention_mask = array_ops.expand_dims(_bool(attention_mask), axis=-3)
        scores = self._softmax(scores, mask=attention_mask)
        if self.dropout > 0.0:
            dropped = self._dropout_layer(scores, training=training)
        else:
            dropped = scores
        return linalg_ops.einsum(self._combine_equation, dropped, value), scores

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        return tuple(query_shape)

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False, **kwargs):
        output = KerasTensor(tuple(query.shape), dtype=self.compute_dtype)
        if return_attention_scores:
            scores = KerasTensor(
                (query.shape[0], self.num_query_heads, query.shape[1], value.shape[1]),
                dtype=self.compute_dtype,
            )
            return output, scores
        return output

    def get_config(self):
        ser = serialization_lib.serialize_keras_object
        config = {
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": ser(self.kernel_regularizer),
            "bias_regularizer": ser(self.bias_regularizer),
            "activity_regularizer": ser(self._activity_regularizer),
            "kernel_constraint": ser(self.kernel_constraint),
            "bias_constraint": ser(self.bias_constraint),
            "seed": self.seed,
        }
        return {**super().get_config(), **config}
