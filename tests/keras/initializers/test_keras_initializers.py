"""Keras initializers: values from stateless TF draws, fans, configs and lookups."""

import math
import random as python_random

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras
K = keras.initializers

# (initializer, shape, reference: stateless draw for seed [1, 0])
CASES = [
    (
        K.RandomNormal(mean=1.0, stddev=2.0, seed=1),
        (3, 4),
        lambda s: tf.random.stateless_normal(s, [1, 0], mean=1.0, stddev=2.0),
    ),
    (
        K.RandomUniform(minval=-2.0, maxval=5.0, seed=1),
        (2, 2),
        lambda s: tf.random.stateless_uniform(s, [1, 0], minval=-2.0, maxval=5.0),
    ),
    (
        K.TruncatedNormal(seed=1),
        (3, 4),
        lambda s: tf.random.stateless_truncated_normal(s, [1, 0], stddev=0.05),
    ),
    (
        K.GlorotUniform(seed=1),
        (3, 4),
        lambda s: tf.random.stateless_uniform(
            s, [1, 0], minval=-math.sqrt(6 / 7), maxval=math.sqrt(6 / 7)
        ),
    ),
    (
        K.GlorotNormal(seed=1),
        (3, 4),
        lambda s: tf.random.stateless_truncated_normal(
            s, [1, 0], stddev=math.sqrt(2 / 7) / 0.87962566103423978
        ),
    ),
    (
        K.HeNormal(seed=1),
        (3, 4),
        lambda s: tf.random.stateless_truncated_normal(
            s, [1, 0], stddev=math.sqrt(2 / 3) / 0.87962566103423978
        ),
    ),
    (
        K.HeUniform(seed=1),
        (3, 4),
        lambda s: tf.random.stateless_uniform(
            s, [1, 0], minval=-math.sqrt(2.0), maxval=math.sqrt(2.0)
        ),
    ),
    (
        K.LecunUniform(seed=1),
        (3, 4),
        lambda s: tf.random.stateless_uniform(s, [1, 0], minval=-1.0, maxval=1.0),
    ),
    (
        K.VarianceScaling(mode="fan_out", distribution="untruncated_normal", seed=1),
        (3, 4),
        lambda s: tf.random.stateless_normal(s, [1, 0], stddev=0.5),
    ),
    # conv kernel: fan_in = 3*3*2, fan_out = 3*3*4
    (
        K.GlorotUniform(seed=1),
        (3, 3, 2, 4),
        lambda s: tf.random.stateless_uniform(
            s, [1, 0], minval=-math.sqrt(6 / 54), maxval=math.sqrt(6 / 54)
        ),
    ),
]


@pytest.mark.parametrize("init,shape,ref", CASES, ids=lambda c: getattr(c, "__name__", None))
def test_values_match_stateless_draws(init, shape, ref):
    got = init(shape)
    assert got.dtype == tf.float32 and tuple(got.shape.as_list()) == shape
    np.testing.assert_allclose(got.numpy(), ref(shape).numpy(), rtol=1e-6, atol=0)
    np.testing.assert_array_equal(init(shape).numpy(), got.numpy())  # same values every call


def test_float64_dtype():
    assert K.GlorotUniform(seed=1)((2, 2), dtype="float64").dtype == tf.float64


def test_unseeded_initializers_draw_from_python_random():
    keras.utils.set_random_seed(1)
    expected = python_random.Random(1).randint(1, int(1e9))
    keras.utils.set_random_seed(1)
    init = K.GlorotUniform()
    assert init.seed == expected
    assert init.get_config()["seed"] is None


def test_orthogonal():
    for shape in [(3, 4), (5, 3), (3, 3)]:
        q = K.Orthogonal(gain=2.0, seed=1)(shape).numpy().astype(np.float64) / 2.0
        small = q @ q.T if shape[0] < shape[1] else q.T @ q
        np.testing.assert_allclose(small, np.eye(min(shape)), atol=1e-5)
    with pytest.raises(ValueError, match="at least two-dimensional"):
        K.Orthogonal(seed=1)((3,))


def test_constant_initializers():
    np.testing.assert_array_equal(K.Constant(3.0)((2,)).numpy(), [3.0, 3.0])
    np.testing.assert_array_equal(K.Zeros()((2,)).numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(K.Ones()((2,), dtype="int32").numpy(), [1, 1])
    np.testing.assert_array_equal(
        K.Identity(gain=2.0)((2, 3)).numpy(), [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]]
    )
    with pytest.raises(ValueError, match="2D matrices"):
        K.Identity()((2, 2, 2))


def test_get_serialize_deserialize():
    assert isinstance(K.get("glorot_uniform"), K.GlorotUniform)
    assert isinstance(K.get("GlorotUniform"), K.GlorotUniform)
    assert isinstance(K.get("uniform"), K.RandomUniform)
    assert K.get(None) is None
    config = K.serialize(K.GlorotUniform(seed=3))
    assert config == {
        "module": "keras.initializers",
        "class_name": "GlorotUniform",
        "config": {"seed": 3, "input_axes": None, "output_axes": None},
        "registered_name": None,
    }
    revived = K.deserialize(config)
    assert isinstance(revived, K.GlorotUniform) and revived.seed == 3
    assert K.get(K.serialize(K.Constant(2.0))).value == 2.0
    with pytest.raises(ValueError, match="Could not interpret initializer"):
        K.get(42)


def test_variance_scaling_validation_and_repr():
    with pytest.raises(ValueError, match="positive float"):
        K.VarianceScaling(scale=0.0)
    with pytest.raises(ValueError, match="Invalid `mode`"):
        K.VarianceScaling(mode="fan")
    assert K.VarianceScaling(distribution="normal").distribution == "truncated_normal"
    assert repr(K.GlorotUniform(seed=1)).startswith(
        "<keras.src.initializers.random_initializers.GlorotUniform object at 0x"
    )
