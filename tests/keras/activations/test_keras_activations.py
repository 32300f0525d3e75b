"""keras.activations against NumPy references (the TF-backend formulas)."""

import math

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras
A = keras.activations
X = np.array([-4.0, -1.5, -0.5, 0.0, 0.25, 1.0, 3.0, 7.0], dtype=np.float32)
_erf = np.vectorize(math.erf)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softplus(x):
    return np.log1p(np.exp(x))


REFERENCES = [
    (A.relu, lambda x: np.maximum(x, 0)),
    (
        lambda x: A.relu(x, negative_slope=0.1, max_value=5.0, threshold=0.5),
        lambda x: np.where(x > 0.5, np.minimum(x, 5.0), 0) - 0.1 * np.maximum(-x + 0.5, 0),
    ),
    (lambda x: A.relu(x, max_value=6.0), lambda x: np.clip(x, 0, 6)),
    (A.leaky_relu, lambda x: np.where(x >= 0, x, 0.2 * x)),
    (A.relu6, lambda x: np.clip(x, 0, 6)),
    (lambda x: A.elu(x, alpha=0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x))),
    (A.softplus, _softplus),
    (A.softsign, lambda x: x / (1 + np.abs(x))),
    (A.soft_shrink, lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0))),
    (A.sparse_plus, lambda x: np.where(x <= -1, 0, np.where(x < 1, (x + 1) ** 2 / 4, x))),
    (A.silu, lambda x: x * _sigmoid(x)),
    (A.squareplus, lambda x: (x + np.sqrt(x * x + 4)) / 2),
    (A.gelu, lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    (A.celu, lambda x: np.maximum(x, 0) + np.expm1(np.minimum(x, 0))),
    (A.tanh, np.tanh),
    (A.tanh_shrink, lambda x: x - np.tanh(x)),
    (A.hard_tanh, lambda x: np.clip(x, -1, 1)),
    (A.sigmoid, _sigmoid),
    (A.exponential, np.exp),
    (A.hard_sigmoid, lambda x: np.clip(x + 3, 0, 6) / 6),
    (A.hard_silu, lambda x: x * np.clip(x + 3, 0, 6) / 6),
    (A.linear, lambda x: x),
    (A.mish, lambda x: x * np.tanh(_softplus(x))),
    (lambda x: A.threshold(x, 0.5, -1.0), lambda x: np.where(x > 0.5, x, -1.0)),
    (A.hard_shrink, lambda x: np.where(np.abs(x) > 0.5, x, 0)),
    (A.log_sigmoid, lambda x: np.log(_sigmoid(x))),
]


@pytest.mark.parametrize("fn,ref", REFERENCES)
def test_elementwise(fn, ref):
    np.testing.assert_allclose(
        np.asarray(fn(tf.constant(X))), ref(X.astype(np.float64)), rtol=1e-5, atol=1e-6
    )


def test_softmax_family():
    x = X.reshape(2, 4)
    e = np.exp(x - x.max(-1, keepdims=True))
    np.testing.assert_allclose(
        A.softmax(tf.constant(x)).numpy(), e / e.sum(-1, keepdims=True), rtol=1e-6
    )
    np.testing.assert_allclose(
        A.log_softmax(tf.constant(x)).numpy(),
        np.log(e / e.sum(-1, keepdims=True)),
        rtol=1e-5,
        atol=1e-6,
    )
    glu = A.glu(tf.constant(x)).numpy()
    np.testing.assert_allclose(glu, x[:, :2] * _sigmoid(x[:, 2:]), rtol=1e-6)
    # one-element support: the projection on the simplex
    np.testing.assert_allclose(A.sparsemax(tf.constant([[0.0, 3.0, 0.1]])).numpy(), [[0, 1, 0]])
    # larger supports: Keras 3.15 sums the cumulative sums over the support (TF's fixture values)
    s = A.sparsemax(tf.constant([[0.0, 0.5, 0.1]])).numpy()
    np.testing.assert_allclose(s, [[0.0, 0.5 - 0.7 / 3, 0.0]], rtol=1e-6)


def test_get_and_serialize():
    assert A.get("relu") is A.relu and A.get(None) is A.linear
    assert A.get("swish") is A.silu
    assert A.serialize(A.relu) == "relu" and A.serialize(A.linear) == "linear"
    with pytest.raises(ValueError, match="Could not interpret activation"):
        A.get("not_an_activation")
