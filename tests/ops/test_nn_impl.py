"""bias_add, L2 loss/normalize, LRN, fused and composite batch norm, moments, depth/space and
space/batch rearrangements, dropout, embedding lookups and the sigmoid/weighted/Poisson losses."""

import numpy as np
import pytest

import tensorlet as tf

RNG = np.random.default_rng(5)


def grad_check(fn, *args, eps=1e-6, tol=1e-6, seed=0):
    """<u, J v> from the tape (VJP) against central differences (float64)."""
    rng = np.random.default_rng(seed)
    xs = [tf.constant(np.asarray(a, np.float64)) for a in args]
    with tf.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        y = fn(*xs)
    ys = y if isinstance(y, (list, tuple)) else [y]
    us = [rng.standard_normal(t.shape) for t in ys]
    gs = tape.gradient(list(ys), xs, output_gradients=[tf.constant(u) for u in us])

    def dot(vals):
        vals = vals if isinstance(vals, (list, tuple)) else [vals]
        return sum(np.sum(u * t.numpy()) for u, t in zip(us, vals))

    for i, (x, g) in enumerate(zip(xs, gs)):
        v = rng.standard_normal(x.shape)
        plus, minus = list(xs), list(xs)
        plus[i] = tf.constant(x.numpy() + eps * v)
        minus[i] = tf.constant(x.numpy() - eps * v)
        num = (dot(fn(*plus)) - dot(fn(*minus))) / (2 * eps)
        ana = 0.0 if g is None else np.sum(np.asarray(tf.convert_to_tensor(g).numpy()) * v)
        assert abs(num - ana) <= tol * max(1.0, abs(num)), (i, num, ana)


# ---------------------------------------------------------------- bias_add, l2


def test_bias_add_formats_and_errors():
    x, b = RNG.standard_normal((2, 3, 4)), RNG.standard_normal(4)
    np.testing.assert_allclose(tf.nn.bias_add(x, b).numpy(), x + b)
    x4, b3 = RNG.standard_normal((2, 3, 2, 2)), RNG.standard_normal(3)
    np.testing.assert_allclose(
        tf.nn.bias_add(x4, b3, data_format="NCHW").numpy(), x4 + b3.reshape(1, 3, 1, 1)
    )
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"as many biases as the last dimension.*\[2\] vs. \[2,3\]",
    ):
        tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([2]))
    grad_check(lambda a, c: tf.nn.bias_add(a, c), x, b)
    grad_check(lambda a, c: tf.nn.bias_add(a, c, data_format="NCHW"), x4, b3)


def test_l2_loss_and_normalize():
    x = RNG.standard_normal((2, 3))
    np.testing.assert_allclose(tf.nn.l2_loss(x).numpy(), np.sum(x * x) / 2)
    grad_check(tf.nn.l2_loss, x)
    for axis in [None, 0, 1, [0, 1]]:
        ax = tuple(axis) if isinstance(axis, list) else axis
        want = x / np.sqrt(np.maximum(np.sum(x * x, axis=ax, keepdims=True), 1e-12))
        np.testing.assert_allclose(tf.math.l2_normalize(x, axis=axis).numpy(), want, rtol=1e-12)
        grad_check(lambda t, axis=axis: tf.math.l2_normalize(t, axis=axis), x)
    assert tf.nn.l2_normalize is tf.math.l2_normalize is tf.linalg.l2_normalize
    np.testing.assert_array_equal(tf.math.l2_normalize(tf.zeros([3])).numpy(), [0, 0, 0])


# ---------------------------------------------------------------- LRN


def ref_lrn(x, r, bias, alpha, beta):
    c = x.shape[-1]
    sq = np.zeros_like(x)
    for d in range(c):
        sq[..., d] = (x[..., max(0, d - r) : d + r + 1] ** 2).sum(-1)
    return x / (bias + alpha * sq) ** beta


def test_lrn():
    x = RNG.standard_normal((1, 2, 2, 7)).astype(np.float32)
    np.testing.assert_allclose(
        tf.nn.local_response_normalization(x).numpy(),
        ref_lrn(x.astype(np.float64), 5, 1, 1, 0.5),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        tf.nn.lrn(x, 2, 2.0, 0.5, 0.75).numpy(),
        ref_lrn(x.astype(np.float64), 2, 2.0, 0.5, 0.75),
        rtol=1e-5,
    )
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = tf.nn.lrn(xt, 2, 2.0, 0.5, 0.75)
    u = RNG.standard_normal(x.shape)
    g = tape.gradient(y, xt, output_gradients=tf.constant(u.astype(np.float32))).numpy()
    v = RNG.standard_normal(x.shape)
    e = 1e-4
    x64 = x.astype(np.float64)
    num = (
        np.sum(u * ref_lrn(x64 + e * v, 2, 2.0, 0.5, 0.75))
        - np.sum(u * ref_lrn(x64 - e * v, 2, 2.0, 0.5, 0.75))
    ) / (2 * e)
    np.testing.assert_allclose(np.sum(g * v), num, rtol=1e-3)


# ---------------------------------------------------------------- batch norm, moments


def test_fused_batch_norm_training_and_inference():
    x = RNG.standard_normal((2, 3, 3, 2)).astype(np.float32)
    scale, offset = (
        RNG.standard_normal(2).astype(np.float32),
        RNG.standard_normal(2).astype(np.float32),
    )
    y, m, v = tf.compat.v1.nn.fused_batch_norm(x, scale, offset, epsilon=1e-3, is_training=True)
    mean, var = x.mean((0, 1, 2)), x.var((0, 1, 2))
    np.testing.assert_allclose(m.numpy(), mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(v.numpy(), var * 18 / 17, rtol=1e-5)  # unbiased variance returned
    np.testing.assert_allclose(
        y.numpy(), (x - mean) / np.sqrt(var + 1e-3) * scale + offset, rtol=1e-4, atol=1e-5
    )
    mu, s2 = RNG.standard_normal(2).astype(np.float32), RNG.uniform(0.5, 2, 2).astype(np.float32)
    y, m, v = tf.compat.v1.nn.fused_batch_norm(
        x, scale, offset, mean=mu, variance=s2, is_training=False
    )
    np.testing.assert_allclose(
        y.numpy(), (x - mu) / np.sqrt(s2 + 1e-3) * scale + offset, rtol=1e-5, atol=1e-5
    )
    with pytest.raises(ValueError, match="must be a 1D tensor"):
        tf.compat.v1.nn.fused_batch_norm(x, scale, offset, is_training=False)


def test_fused_batch_norm_gradient_matches_composite():
    """Training gradient (only y's upstream is used) equals batch_normalization's with moments."""
    x = tf.constant(RNG.standard_normal((2, 3, 3, 2)).astype(np.float32))
    scale = tf.constant(RNG.standard_normal(2).astype(np.float32))
    offset = tf.constant(RNG.standard_normal(2).astype(np.float32))
    u = tf.constant(RNG.standard_normal((2, 3, 3, 2)).astype(np.float32))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, scale, offset])
        y, m, v = tf.compat.v1.nn.fused_batch_norm(x, scale, offset, epsilon=1e-3)
        mean, var = tf.nn.moments(x, [0, 1, 2])
        y2 = tf.nn.batch_normalization(x, mean, var, offset, scale, 1e-3)
    g1 = tape.gradient(
        [y, m, v], [x, scale, offset], output_gradients=[u, tf.ones([2]), tf.ones([2])]
    )
    g2 = tape.gradient(y2, [x, scale, offset], output_gradients=u)
    for a, b in zip(g1, g2):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("axes", [[0], [0, 1], [1, 2], [0, 1, 2]])
@pytest.mark.parametrize("keepdims", [False, True])
def test_moments(axes, keepdims):
    x = RNG.standard_normal((4, 2, 3))
    m, v = tf.nn.moments(x, axes=axes, keepdims=keepdims)
    np.testing.assert_allclose(m.numpy(), x.mean(tuple(axes), keepdims=keepdims), rtol=1e-12)
    np.testing.assert_allclose(v.numpy(), x.var(tuple(axes), keepdims=keepdims), rtol=1e-12)
    grad_check(lambda t: tf.nn.moments(t, axes=axes, keepdims=keepdims), x)


def test_weighted_moments_statistics_and_batch_normalization():
    x, w = RNG.standard_normal((4, 2, 3)), RNG.uniform(0, 2, (4, 1, 1))
    m, v = tf.nn.weighted_moments(x, axes=[0], frequency_weights=w)
    wm = (w * x).sum(0) / w.sum(0)
    np.testing.assert_allclose(m.numpy(), wm, rtol=1e-12)
    np.testing.assert_allclose(v.numpy(), (w * (x - wm) ** 2).sum(0) / w.sum(0), rtol=1e-12)
    grad_check(lambda a, b: tf.nn.weighted_moments(a, [0], b), x, w)
    c, ms, vs, shift = tf.nn.sufficient_statistics(x, axes=[0])
    assert float(c) == 4 and shift is None
    np.testing.assert_allclose(vs.numpy(), (x * x).sum(0))
    _, var = tf.nn.normalize_moments(c, ms, vs, shift=None)
    np.testing.assert_allclose(var.numpy(), x.var(0), rtol=1e-10)
    mu, s2, off, sc = (
        RNG.standard_normal(3),
        RNG.uniform(0.5, 2, 3),
        RNG.standard_normal(3),
        RNG.standard_normal(3),
    )
    xb = RNG.standard_normal((4, 3))
    np.testing.assert_allclose(
        tf.nn.batch_normalization(xb, mu, s2, off, sc, 1e-3).numpy(),
        (xb - mu) / np.sqrt(s2 + 1e-3) * sc + off,
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        tf.nn.batch_normalization(xb, mu, s2, None, None, 1e-3).numpy(),
        (xb - mu) / np.sqrt(s2 + 1e-3),
        rtol=1e-12,
    )
    grad_check(
        lambda *a: tf.nn.batch_normalization(a[0], a[1], a[2], a[3], a[4], 1e-3),
        xb,
        mu,
        s2,
        off,
        sc,
    )


# ---------------------------------------------------------------- depth/space, space/batch


def test_depth_to_space_dcr_and_inverse():
    x = np.arange(2 * 2 * 2 * 8, dtype=np.float32).reshape(2, 2, 2, 8)
    y = tf.nn.depth_to_space(x, 2).numpy()
    assert y.shape == (2, 4, 4, 2)
    assert y[0, 0, 1].tolist() == [2, 3] and y[0, 1, 0].tolist() == [
        4,
        5,
    ]  # DCR: depth = (r, c, ch)
    np.testing.assert_array_equal(tf.nn.space_to_depth(y, 2).numpy(), x)
    with pytest.raises(tf.errors.InvalidArgumentError, match="should be divisible by: 9"):
        tf.nn.depth_to_space(x, 3)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="Image width 6 and height 4 should be divisible by block_size: 4",
    ):
        tf.nn.space_to_depth(tf.zeros([1, 4, 6, 2]), 4)
    grad_check(lambda t: tf.nn.depth_to_space(t, 2), RNG.standard_normal((1, 2, 3, 4)))


def test_space_to_batch_round_trip():
    x = RNG.standard_normal((1, 4, 2, 1))
    y = tf.space_to_batch_nd(x, [2, 2], [[0, 0], [1, 1]])
    assert y.shape == (4, 2, 2, 1)
    back = tf.batch_to_space(y, [2, 2], [[0, 0], [1, 1]])
    np.testing.assert_array_equal(back.numpy(), x)
    # batch b = (r, c) block offset: element [r, c] of each 2x2 block lands in batch 2r + c
    z = np.arange(16.0).reshape(1, 4, 4, 1)
    np.testing.assert_array_equal(
        tf.space_to_batch(z, [2, 2], [[0, 0], [0, 0]]).numpy()[1, :, :, 0], [[1, 3], [9, 11]]
    )
    grad_check(lambda t: tf.space_to_batch_nd(t, [2, 2], [[0, 0], [1, 1]]), x)
    with pytest.raises(tf.errors.InvalidArgumentError, match="not divisible by block_shape"):
        tf.space_to_batch_nd(tf.zeros([1, 3, 2, 1]), [2, 2], [[0, 0], [0, 0]])


# ---------------------------------------------------------------- losses


def test_sigmoid_weighted_poisson_losses():
    labels = np.array([[0, 1, 0.3], [1, 0, 0.7]])
    logits = np.array([[-100, 2, 0], [100, -3, 0.5]])
    want = np.logaddexp(0, logits) - logits * labels  # -z log(s) - (1 - z) log(1 - s), stably
    got = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-40)
    z, x = RNG.uniform(0, 1, (3, 4)), RNG.standard_normal((3, 4))
    grad_check(lambda a, b: tf.nn.sigmoid_cross_entropy_with_logits(a, b), z, x)
    s = 1 / (1 + np.exp(-x))
    wce = -(2.5 * z * np.log(s) + (1 - z) * np.log(1 - s))
    np.testing.assert_allclose(
        tf.nn.weighted_cross_entropy_with_logits(z, x, 2.5).numpy(), wce, rtol=1e-12
    )
    grad_check(lambda a, b: tf.nn.weighted_cross_entropy_with_logits(a, b, 2.5), z, x)
    t, li = np.array([0.0, 1, 3]), np.array([0.1, -1, 2])
    np.testing.assert_allclose(tf.nn.log_poisson_loss(t, li).numpy(), np.exp(li) - li * t)
    full = (
        np.exp(li)
        - li * t
        + np.where(
            t > 1, t * np.log(np.maximum(t, 1)) - t + 0.5 * np.log(2 * np.pi * np.maximum(t, 1)), 0
        )
    )
    np.testing.assert_allclose(
        tf.nn.log_poisson_loss(t, li, compute_full_loss=True).numpy(), full, rtol=1e-12
    )
    with pytest.raises(ValueError, match="must have the same shape"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=np.zeros(3), logits=np.zeros(2))


def test_average_and_regularization_losses():
    x, w = RNG.standard_normal(4).astype(np.float32), RNG.uniform(0, 1, 4).astype(np.float32)
    np.testing.assert_allclose(
        tf.nn.compute_average_loss(x, global_batch_size=8).numpy(), x.sum() / 8, rtol=1e-6
    )
    np.testing.assert_allclose(
        tf.nn.compute_average_loss(x, sample_weight=w).numpy(), (x * w).sum() / 4, rtol=1e-6
    )
    r = tf.nn.scale_regularization_loss(np.float32(3.0))
    assert r.dtype == tf.float32 and float(r) == 3.0
    assert float(tf.math.zero_fraction(tf.constant([0, 1, 0, 2.0]))) == 0.5


# ---------------------------------------------------------------- dropout, embeddings


def test_dropout_scaling_and_errors():
    tf.random.set_seed(1)
    y = tf.nn.dropout(tf.ones([10, 10]), rate=0.25, seed=5).numpy()
    kept = y[y != 0]
    np.testing.assert_allclose(kept, np.float32(1 / 0.75), rtol=1e-7)
    assert 0 < kept.size < 100
    x = tf.constant(RNG.standard_normal(3).astype(np.float32))
    np.testing.assert_array_equal(tf.nn.dropout(x, rate=0.0).numpy(), x.numpy())
    with pytest.raises(ValueError, match="range \\[0, 1\\)"):
        tf.nn.dropout(x, rate=1.0)


def test_embedding_lookup_and_indexed_slices_gradient():
    params = tf.constant(RNG.standard_normal((5, 3)))
    ids = np.array([[0, 4], [2, 2]], np.int32)
    np.testing.assert_array_equal(tf.nn.embedding_lookup(params, ids).numpy(), params.numpy()[ids])
    with tf.GradientTape() as tape:
        tape.watch(params)
        y = tf.nn.embedding_lookup(params, ids)
    g = tape.gradient(y, params)
    assert isinstance(g, tf.IndexedSlices)
    dense = tf.convert_to_tensor(g).numpy()
    np.testing.assert_array_equal(dense.sum(1), [3, 0, 6, 0, 3])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"indices\[0\] = 5 is not in \[0, 5\)"
    ):
        tf.nn.embedding_lookup(params, np.array([5], np.int32))
    big = params * 3
    rows = tf.nn.embedding_lookup(big, [1, 3], max_norm=1.0).numpy()
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), [1, 1], rtol=1e-12)
    p = params.numpy()
    np.testing.assert_array_equal(tf.nn.embedding_lookup([p[:3], p[3:]], ids).numpy(), p[ids])
    np.testing.assert_array_equal(
        tf.compat.v1.nn.embedding_lookup([p[0::2], p[1::2]], ids).numpy(), p[ids]
    )


def test_batch_norm_with_global_normalization():
    x, m, v = RNG.standard_normal((4, 3)), RNG.standard_normal(3), RNG.uniform(0.5, 2, 3)
    beta, gamma = RNG.standard_normal(3), RNG.standard_normal(3)
    for scale in [True, False]:
        y = tf.nn.batch_norm_with_global_normalization(x, m, v, beta, gamma, 1e-3, scale)
        want = (x - m) / np.sqrt(v + 1e-3) * (gamma if scale else 1) + beta
        np.testing.assert_allclose(y.numpy(), want, rtol=1e-12)
