"""``keras.layers.MultiHeadAttention``: multi-head scaled dot-product attention."""

import collections.abc
import math
import string

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend, initializers
from tensorlet.keras.src.backend.keras_tensor import KerasTensor
from tensorlet.keras.src.layers.activations.softmax import Softmax
from tensorlet.keras.src.layers.attention.attention import causal_mask
from tensorlet.keras.src.layers.core.einsum_dense import EinsumDense
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.layer_utils import get_optional, shape_tuple
from tensorlet.keras.src.layers.regularization.dropout import Dropout
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_ops, comparison_ops, linalg_ops, math_ops


def _letter(i):
    return string.ascii_lowercase[i]


def build_attention_equation(rank, attn_axes):
    """(dot-product equation, combine equation, rank of the scores) for projected tensors
    ``(batch, <non-attention dims>, <attention dims>, num_heads, channels)``."""
    target = "".join(_letter(i) for i in range(rank))
    batch_dims = tuple(i for i in range(rank) if i not in attn_axes + (rank - 1,))
    offset = rank
    source = ""
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += _letter(offset)
            offset += 1
    product = "".join(
        [target[i] for i in batch_dims]
        + [target[i] for i in attn_axes]
        + [source[i] for i in attn_axes]
    )
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


def build_proj_equation(free_dims, bound_dims, output_dims):
    """(equation, bias axes, output rank) of an EinsumDense projection."""
    inputs = kernel = output = bias_axes = ""
    for i in range(free_dims):
        inputs += _letter(i)
        output += _letter(i)
    for i in range(bound_dims):
        c = _letter(free_dims + i)
        inputs += c
        kernel += c
    for i in range(output_dims):
        c = _letter(free_dims + bound_dims + i)
        kernel += c
        output += c
        bias_axes += c
    return f"{inputs},{kernel}->{output}", bias_axes, len(output)


def get_output_shape(output_rank, known_last_dims):
    return [None] * (output_rank - len(known_last_dims)) + list(known_last_dims)


def _shape(x):
    return None if x is None else shape_tuple(x)


@keras_export("keras.layers.MultiHeadAttention")
class MultiHeadAttention(Layer):
    """Projects query/key/value into ``num_heads`` heads (EinsumDense sub-layers ``query``,
    ``key``, ``value``), computes ``softmax(q k^T / sqrt(key_dim)) v`` per head over
    ``attention_axes`` and projects back with ``attention_output``.

    Args:
        num_heads: the number of heads. key_dim: size of each query/key head.
        value_dim: size of each value head (default ``key_dim``).
        dropout: dropout on the attention weights (training only).
        use_bias: whether the projections have biases (default True).
        output_shape: the output's last dimension(s) (default: the query's).
        attention_axes: the axes attention runs over (default: all but batch/heads/features).
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        activity_regularizer, kernel_constraint, bias_constraint: of the projections.
        seed: int seed of the dropout.

    Call arguments:
        query, value, key (default ``value``), attention_mask (``[B, T, S]`` booleans),
        return_attention_scores, training, use_causal_mask, and query/value/key masks.

    Example:
        >>> layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3)
        >>> layer(tf.ones((2, 3, 4)), tf.ones((2, 5, 4))).shape
        TensorShape([2, 3, 4])
    """

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        dropout=0.0,
        use_bias=True,
        output_shape=None,
        attention_axes=None,
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
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            try:
                output_shape = tuple(output_shape)
            except TypeError:
                raise ValueError(
                    f"Invalid `output_shape`: {output_shape}. When specified, the "
                    "`output_shape` should be of type tuple, list, or int."
                ) from None
        self._output_shape = output_shape
        self._flash_attention = flash_attention or False
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = get_optional("regularizers", kernel_regularizer)
        self._bias_regularizer = get_optional("regularizers", bias_regularizer)
        self._activity_regularizer = get_optional("regularizers", activity_regularizer)
        self._kernel_constraint = get_optional("constraints", kernel_constraint)
        self._bias_constraint = get_optional("constraints", bias_constraint)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes and not isinstance(attention_axes, collections.abc.Sized):
            raise ValueError(
                "`attention_axes` must be an int, list, or tuple."
                f"Received: attention_axes={attention_axes}"
            )
        self._attention_axes = tuple(attention_axes) if attention_axes else None
        if use_gate:
            raise NotImplementedError("MultiHeadAttention(use_gate=True) is not supported yet")
        if sliding_window is not None:
            raise NotImplementedError("MultiHeadAttention(sliding_window=...) is not supported yet")
        self._use_gate = use_gate
        self._sliding_window = sliding_window
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(self._key_dim))
        if self._flash_attention and self._dropout > 0.0:
            raise ValueError(
                "Dropout is not supported when flash attention is enabled. "
                "Please set dropout to 0.0 to use flash attention."
            )

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)
    query_dense = property(lambda self: self._query_dense)
    key_dense = property(lambda self: self._key_dense)
    value_dense = property(lambda self: self._value_dense)
    output_dense = property(lambda self: self._output_dense)

    def __call__(self, query, value, key=None, **kwargs):
        # Keras builds from the shapes of all three inputs (build(query_shape, value_shape,
        # key_shape)); the base class passes only the first argument's shape.
        if not self.built:
            self.build(_shape(query), _shape(value), _shape(key))
        return super().__call__(query, value, key=key, **kwargs)

    def get_config(self):
        ser = serialization_lib.serialize_keras_object
        config = {
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": ser(self._kernel_regularizer),
            "bias_regularizer": ser(self._bias_regularizer),
            "activity_regularizer": ser(self._activity_regularizer),
            "kernel_constraint": ser(self._kernel_constraint),
            "bias_constraint": ser(self._bias_constraint),
            "seed": self.seed,
        }
        return {**super().get_config(), **config}

    def _common_kwargs(self):
        kernel_initializer = self._kernel_initializer.__class__.from_config(
            self._kernel_initializer.get_config()
        )
        bias_initializer = self._bias_initializer.__class__.from_config(
            self._bias_initializer.get_config()
        )
        return {
            "kernel_regularizer": self._kernel_regularizer,
            "bias_regularizer": self._bias_regularizer,
            "activity_regularizer": self._activity_regularizer,
            "kernel_constraint": self._kernel_constraint,
            "bias_constraint": self._bias_constraint,
            "dtype": self.dtype_policy,
            "kernel_initializer": kernel_initializer,
            "bias_initializer": bias_initializer,
        }

    def _projection(self, rank, heads, size, name):
        equation, bias_axes, output_rank = build_proj_equation(rank - 1, 1, 2)
        return EinsumDense(
            equation,
            output_shape=get_output_shape(output_rank - 1, [heads, size]),
            bias_axes=bias_axes if self._use_bias else None,
            name=name,
            **self._common_kwargs(),
        )

    def build(self, query_shape, value_shape=None, key_shape=None):
        if value_shape is None:
            value_shape = query_shape
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. "
                f"Received: value_shape={value_shape} and key_shape={key_shape}"
            )
        self._query_dense = self._projection(
            len(query_shape), self._num_heads, self._key_dim, "query"
        )
        self._query_dense.build(query_shape)
        self._key_dense = self._projection(len(key_shape), self._num_heads, self._key_dim, "key")
        self._key_dense.build(key_shape)
        self._value_dense = self._projection(
            len(value_shape), self._num_heads, self._value_dim, "value"
        )
        self._value_dense.build(value_shape)
        output_rank = len(value_shape) + 1
        self._build_attention(output_rank)
        self._output_dense = self._make_output_dense(query_shape, "attention_output")
        dense_input = list(self._query_dense.compute_output_shape(query_shape))
        dense_input[-1] = self._value_dim
        self._output_dense.build(tuple(dense_input))

    def _make_output_dense(self, query_shape, name):
        output_shape = self._output_shape if self._output_shape else [query_shape[-1]]
        equation, bias_axes, output_rank = build_proj_equation(
            len(query_shape) - 1, 2, len(output_shape)
        )
        return EinsumDense(
            equation,
            output_shape=get_output_shape(output_rank - 1, output_shape),
            bias_axes=bias_axes if self._use_bias else None,
            name=name,
            **self._common_kwargs(),
        )

    def _build_attention(self, rank):
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(
                axis if axis >= 0 else (rank - 1) + axis for axis in self._attention_axes
            )
        self._dot_product_equation, self._combine_equation, scores_rank = build_attention_equation(
            rank, self._attention_axes
        )
        norm_axes = tuple(range(scores_rank - len(self._attention_axes), scores_rank))
        self._softmax = Softmax(axis=norm_axes, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(rate=self._dropout, dtype=self.dtype_policy, seed=self.seed)

    def _masked_softmax(self, scores, attention_mask=None):
        if attention_mask is not None:
            axis = -len(self._attention_axes) * 2 - 1
            for _ in range(scores.shape.rank - attention_mask.shape.rank):
                attention_mask = array_ops.expand_dims(attention_mask, axis=axis)
        return self._softmax(scores, mask=attention_mask)

    def _compute_attention(
        self, query, key, value, attention_mask=None, training=None, return_attention_scores=False
    ):
        query = math_ops.multiply(query, backend.cast(self._inverse_sqrt_key_dim, query.dtype.name))
        scores = linalg_ops.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        if self._dropout > 0.0:
            final_scores = self._dropout_layer(scores, training=training)
        else:
            final_scores = scores
        output = linalg_ops.einsum(self._combine_equation, final_scores, value)
        return output, scores

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
        attention_mask = self._compute_attention_mask(
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
        output, scores = self._compute_attention(
            query, key, value, attention_mask, training, return_attention_scores
        )
        output = self._output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    def _compute_attention_mask(
        self,
        query,
        value,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        use_causal_mask=False,
    ):
        auto_mask = None
        if query_mask is not None:
            auto_mask = array_ops.expand_dims(_bool(query_mask), -1)
        for m in (value_mask, key_mask):
            if m is not None:
                m = array_ops.expand_dims(_bool(m), -2)
                auto_mask = m if auto_mask is None else comparison_ops.logical_and(auto_mask, m)
        if use_causal_mask:
            m = self._compute_causal_mask(query, value)
            auto_mask = m if auto_mask is None else comparison_ops.logical_and(auto_mask, m)
        if attention_mask is not None:
            attention_mask = _bool(attention_mask)
        if auto_mask is not None:
            attention_mask = (
                auto_mask
                if attention_mask is None
                else comparison_ops.logical_and(attention_mask, auto_mask)
            )
        return attention_mask

    def _compute_causal_mask(self, query, value=None):
        q_len = backend.convert_to_tensor(query).shape[1]
        v_len = q_len if value is None else backend.convert_to_tensor(value).shape[1]
        return causal_mask(q_len, v_len)

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        value_shape = query_shape if value_shape is None else tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. "
                f"Received: value_shape={value_shape} and key_shape={key_shape}"
            )
        if self._output_shape:
            query_shape = query_shape[:-1] + self._output_shape
        return query_shape

    def compute_output_spec(self, query, value, key=None, return_attention_scores=False, **kwargs):
        key_shape = key.shape if key is not None else None
        output = KerasTensor(
            self.compute_output_shape(query.shape, value.shape, key_shape),
            dtype=self.compute_dtype,
        )
        if return_attention_scores:
            length = query.shape[1]
            scores = KerasTensor(
                (query.shape[0], self._num_heads, length, value.shape[1]),
                dtype=self.compute_dtype,
            )
            return output, scores
        return output


def _bool(mask):
    return backend.cast(backend.convert_to_tensor(mask), "bool")
