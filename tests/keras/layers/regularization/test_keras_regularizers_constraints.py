"""keras.regularizers and keras.constraints."""

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras
W = np.array([[3.0, -1.0], [4.0, 2.0]], np.float32)


@pytest.mark.parametrize(
    "reg,ref",
    [
        (keras.regularizers.L1(0.5), 0.5 * np.abs(W).sum()),
        (keras.regularizers.L2(0.5), 0.5 * (W**2).sum()),
        (keras.regularizers.L1L2(l1=0.1, l2=0.2), 0.1 * np.abs(W).sum() + 0.2 * (W**2).sum()),
        (keras.regularizers.L1L2(), 0.0),
    ],
)
def test_regularizer_values(reg, ref):
    np.testing.assert_allclose(float(reg(tf.constant(W))), ref, rtol=1e-6)
    clone = type(reg).from_config(reg.get_config())
    assert clone.get_config() == reg.get_config()


def test_regularizer_get():
    assert keras.regularizers.get("l2").get_config() == {"l2": 0.01}
    assert keras.regularizers.get("l1_l2").get_config() == {"l1": 0.01, "l2": 0.01}
    assert keras.regularizers.get(None) is None
    config = keras.regularizers.serialize(keras.regularizers.L1L2(l1=0.01, l2=0.1))
    assert config["class_name"] == "L1L2" and config["module"] == "keras.regularizers"
    assert keras.regularizers.deserialize(config).get_config() == {"l1": 0.01, "l2": 0.1}
    with pytest.raises(ValueError, match="non-negative"):
        keras.regularizers.L2(-1.0)


def test_orthogonal_regularizer():
    reg = keras.regularizers.OrthogonalRegularizer(factor=0.1)
    rows = W / np.linalg.norm(W, axis=1, keepdims=True)
    ref = 0.1 * 0.5 * np.abs(rows[0] @ rows[1]) * 2 / 1.0
    np.testing.assert_allclose(float(reg(tf.constant(W))), ref, rtol=1e-5)
    assert float(keras.regularizers.OrthogonalRegularizer(mode="columns")(tf.eye(3))) == 0.0
    with pytest.raises(ValueError, match="rank 2"):
        reg(tf.ones((2, 2, 2)))


def test_layer_regularization_losses():
    layer = keras.layers.Dense(
        2, kernel_regularizer=keras.regularizers.L1L2(l1=0.01, l2=0.1), bias_regularizer="l2"
    )
    layer(tf.ones((2, 3)))
    kernel, bias = layer.get_weights()
    losses = [float(v) for v in layer.losses]
    np.testing.assert_allclose(
        losses,
        [0.01 * np.abs(kernel).sum() + 0.1 * (kernel**2).sum(), 0.01 * (bias**2).sum()],
        rtol=1e-5,
    )
    assert layer.get_config()["bias_regularizer"]["config"] == {"l2": 0.01}


def test_constraints():
    w = tf.constant(W)
    norms = np.linalg.norm(W, axis=0, keepdims=True)
    np.testing.assert_allclose(
        keras.constraints.MaxNorm(2.0)(w).numpy(),
        W * np.clip(norms, 0, 2) / (norms + 1e-7),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        keras.constraints.UnitNorm()(w).numpy(), W / (norms + 1e-7), rtol=1e-5
    )
    np.testing.assert_array_equal(keras.constraints.NonNeg()(w).numpy(), np.maximum(W, 0))
    mm = keras.constraints.MinMaxNorm(min_value=3.0, max_value=4.0, rate=0.5)(w).numpy()
    desired = 0.5 * np.clip(norms, 3, 4) + 0.5 * norms
    np.testing.assert_allclose(mm, W * desired / (norms + 1e-7), rtol=1e-5)
    assert keras.constraints.get("non_neg").__class__ is keras.constraints.NonNeg
    assert keras.constraints.MaxNorm(3, axis=[0, 1]).get_config() == {
        "max_value": 3,
        "axis": [0, 1],
    }
    assert (
        keras.constraints.deserialize(
            keras.constraints.serialize(keras.constraints.UnitNorm(1))
        ).axis
        == 1
    )
