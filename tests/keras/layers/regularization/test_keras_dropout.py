"""keras.layers.Dropout."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras


def test_layer():
    run_layer_test(
        keras.layers.Dropout,
        {"rate": 0.5, "seed": 1},
        (2, 4),
        (2, 4),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_seed_generators=1,
    )


def test_training_uses_the_seed_generator():
    x = tf.ones((2, 4))
    layer = keras.layers.Dropout(0.5, seed=3)
    assert layer.built and repr(layer).endswith("built=True>")
    want = tf.nn.experimental.stateless_dropout(x, 0.5, seed=[3, 0]).numpy()
    np.testing.assert_array_equal(layer(x, training=True).numpy(), want)
    assert not np.array_equal(layer(x, training=True).numpy(), want)  # the state moved on
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x.numpy())


def test_rate_zero_and_errors():
    layer = keras.layers.Dropout(0.0)
    np.testing.assert_array_equal(layer(tf.ones((2,)), training=True).numpy(), [1.0, 1.0])
    with pytest.raises(ValueError, match="between 0 and 1"):
        keras.layers.Dropout(1.5)
    assert keras.layers.Dropout(0.3, noise_shape=(None, 1), seed=2).get_config()["noise_shape"] == (
        None,
        1,
    )
