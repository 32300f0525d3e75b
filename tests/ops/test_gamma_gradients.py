"""Gamma samples' gradients (TF's implicit reparameterization): d sample / d alpha at a fixed
quantile, against SciPy's inverse regularized incomplete gamma; beta through the division."""

import numpy as np
import pytest

import tensorlet as tf

special = pytest.importorskip("scipy.special")


def _numeric(alpha, samples, eps=1e-6):
    al = np.broadcast_to(alpha, samples.shape)
    u = special.gammainc(al, samples)
    return (special.gammaincinv(al + eps, u) - special.gammaincinv(al - eps, u)) / (2 * eps)


@pytest.mark.parametrize("stateless", [True, False])
def test_alpha_gradient_matches_the_quantile_derivative(stateless):
    alpha = tf.constant([0.5, 2.0, 5.0], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(alpha)
        if stateless:
            s = tf.random.stateless_gamma([4], seed=[1, 2], alpha=alpha, dtype=tf.float64)
        else:
            s = tf.random.gamma([4], alpha=alpha, dtype=tf.float64, seed=7)
        y = tf.reduce_sum(s * tf.constant([1.0, 2.0, 3.0], tf.float64))
    got = tape.gradient(y, alpha).numpy()
    want = (_numeric(alpha.numpy(), s.numpy()) * [1.0, 2.0, 3.0]).sum(axis=0)
    np.testing.assert_allclose(got, want, rtol=1e-5)


def test_beta_gradient_and_broadcast_alpha():
    alpha = tf.constant(2.0, tf.float64)
    beta = tf.constant([1.0, 4.0], tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([alpha, beta])
        s = tf.random.stateless_gamma([3], seed=[5, 6], alpha=alpha, beta=beta,
                                      dtype=tf.float64)
    assert s.shape == (3, 2)
    np.testing.assert_allclose(tape.gradient(s, beta).numpy(),
                               -s.numpy().sum(axis=0) / beta.numpy(), rtol=1e-12)
    unscaled = s.numpy() * beta.numpy()
    want = (_numeric(2.0, unscaled) / beta.numpy()).sum()
    np.testing.assert_allclose(tape.gradient(s, alpha).numpy(), want, rtol=1e-5)
