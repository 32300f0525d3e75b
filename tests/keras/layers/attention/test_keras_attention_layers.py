"""keras.layers Attention, AdditiveAttention, MultiHeadAttention, GroupedQueryAttention."""

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras
RNG = np.random.default_rng(0)
Q = RNG.standard_normal((2, 3, 4)).astype(np.float32)
V = RNG.standard_normal((2, 5, 4)).astype(np.float32)


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_attention_dot_and_masks():
    layer = keras.layers.Attention()
    out, scores = layer([Q, V], return_attention_scores=True)
    ref_scores = _softmax(Q @ V.transpose(0, 2, 1))
    np.testing.assert_allclose(scores.numpy(), ref_scores, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out.numpy(), ref_scores @ V, rtol=1e-5, atol=1e-6)
    m = np.array([[1, 1, 1, 0, 0], [1, 0, 0, 0, 0]], bool)
    _, scores = layer([Q, V], mask=[None, m], return_attention_scores=True)
    assert np.all(scores.numpy()[~np.broadcast_to(m[:, None, :], (2, 3, 5))] < 1e-6)
    _, causal = layer([Q, Q], use_causal_mask=True, return_attention_scores=True)
    np.testing.assert_allclose(np.triu(causal.numpy()[0], 1), 0, atol=1e-6)
    assert layer.get_config() == {**layer.get_config(), "use_scale": False, "score_mode": "dot"}
    with pytest.raises(ValueError, match="list of inputs"):
        layer(tf.constant(Q))


def test_attention_scale_concat_and_additive():
    scaled = keras.layers.Attention(use_scale=True)
    scaled([Q, V])
    assert [w.name for w in scaled.weights] == ["scale"]
    concat = keras.layers.Attention(score_mode="concat")
    out = concat([Q, V]).numpy()
    scores = np.tanh(Q[:, :, None, :] + V[:, None, :, :]).sum(-1)
    np.testing.assert_allclose(out, _softmax(scores) @ V, rtol=1e-5, atol=1e-6)
    additive = keras.layers.AdditiveAttention()
    additive([Q, V])
    assert additive.scale.shape == (4,)
    assert "score_mode" not in additive.get_config()
    with pytest.raises(ValueError, match="score_mode"):
        keras.layers.Attention(score_mode="x")


def test_multi_head_attention_weights_and_values():
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=2, output_shape=5)
    out, scores = layer(Q, V, return_attention_scores=True)
    assert out.shape == (2, 3, 5) and scores.shape == (2, 2, 3, 5)
    assert [w.path for w in layer.weights] == [
        f"multi_head_attention/{n}/{k}"
        for n in ("query", "key", "value", "attention_output")
        for k in ("kernel", "bias")
    ]
    wq, bq, wk, bk, wv, bv, wo, bo = layer.get_weights()
    q = np.einsum("btd,dnh->btnh", Q, wq) + bq
    k = np.einsum("bsd,dnh->bsnh", V, wk) + bk
    v = np.einsum("bsd,dnh->bsnh", V, wv) + bv
    s = _softmax(np.einsum("btnh,bsnh->bnts", q / np.sqrt(3.0), k))
    ref = np.einsum("bnts,bsnh->btnh", s, v)
    ref = np.einsum("btnh,nho->bto", ref, wo) + bo
    np.testing.assert_allclose(scores.numpy(), s, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-4, atol=1e-5)
    assert layer.get_config()["attention_axes"] == (1,)


def test_multi_head_attention_masks_and_symbolic():
    layer = keras.layers.MultiHeadAttention(num_heads=1, key_dim=2)
    m = np.array([[[1, 1, 0, 0, 0]] * 3, [[1, 1, 1, 1, 1]] * 3], bool)
    _, scores = layer(Q, V, attention_mask=m, return_attention_scores=True)
    np.testing.assert_allclose(scores.numpy()[0, 0, :, 2:], 0, atol=1e-6)
    _, causal = layer(Q, Q, use_causal_mask=True, return_attention_scores=True)
    np.testing.assert_allclose(np.triu(causal.numpy()[0, 0], 1), 0, atol=1e-6)
    sym = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)
    out = sym(keras.Input((3, 4)), keras.Input((5, 4)))
    assert out.shape == (None, 3, 4)
    axes = keras.layers.MultiHeadAttention(num_heads=1, key_dim=2, attention_axes=(1, 2))
    assert axes(tf.ones((1, 2, 3, 4)), tf.ones((1, 2, 3, 4))).shape == (1, 2, 3, 4)


def test_multi_head_attention_training_step():
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(layer(Q, V)))
    grads = tape.gradient(loss, layer.trainable_weights)
    assert len(grads) == 8 and all(g is not None for g in grads)


def test_grouped_query_attention():
    layer = keras.layers.GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=2)
    out, scores = layer(Q, V, return_attention_scores=True)
    assert out.shape == (2, 3, 4) and scores.shape == (2, 4, 3, 5)
    wq, bq, wk, bk, wv, bv, wo, bo = layer.get_weights()
    q = np.einsum("bqm,muh->bquh", Q, wq) + bq
    k = np.repeat(np.einsum("bkm,mvh->bkvh", V, wk) + bk, 2, axis=2)
    v = np.repeat(np.einsum("bkm,mvh->bkvh", V, wv) + bv, 2, axis=2)
    s = _softmax(np.einsum("bquh,bkuh->buqk", q / np.sqrt(2.0), k))
    ref = np.einsum("bquh,uhm->bqm", np.einsum("buqk,bkuh->bquh", s, v), wo) + bo
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-4, atol=1e-5)
    assert keras.layers.GroupedQueryAttention is keras.layers.GroupQueryAttention
    with pytest.raises(ValueError):
        keras.layers.GroupQueryAttention(2, 3, 2)
