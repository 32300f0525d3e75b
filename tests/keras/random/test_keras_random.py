"""keras.random: int seeds are stateless [s, 0] seeds, SeedGenerator and the global generator."""

import random as python_random

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras


def _stateless_seed(s):
    return [s % (2**31 - 2), 0]


@pytest.mark.parametrize("seed", [0, 42, -5, 2**40 + 3])
def test_int_seed_is_a_stateless_seed(seed):
    got = keras.random.normal((2, 3), seed=seed)
    want = tf.random.stateless_normal((2, 3), seed=_stateless_seed(seed))
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    np.testing.assert_array_equal(got.numpy(), keras.random.normal((2, 3), seed=seed).numpy())


def test_uniform_truncated_randint_categorical_gamma():
    u = keras.random.uniform((4,), minval=-1.0, maxval=1.0, seed=3)
    np.testing.assert_array_equal(
        u.numpy(), tf.random.stateless_uniform((4,), [3, 0], minval=-1.0, maxval=1.0).numpy()
    )
    t = keras.random.truncated_normal((5,), stddev=2.0, seed=3)
    np.testing.assert_array_equal(
        t.numpy(), tf.random.stateless_truncated_normal((5,), [3, 0], stddev=2.0).numpy()
    )
    r = keras.random.randint((6,), 0, 10, seed=3)
    assert r.dtype == tf.int32 and r.numpy().min() >= 0 and r.numpy().max() < 10
    c = keras.random.categorical(tf.math.log([[0.2, 0.8]]), 6, seed=3)
    assert c.dtype == tf.int32 and c.shape == (1, 6)
    g = keras.random.gamma((3,), alpha=2.0, seed=3)
    assert g.dtype == tf.float32 and (g.numpy() > 0).all()
    with pytest.raises(ValueError, match="floating point `dtype`"):
        keras.random.uniform((2,), dtype="int32", seed=1)
    with pytest.raises(ValueError, match="2-D tensor"):
        keras.random.categorical([0.1, 0.2], 2, seed=1)


def test_shuffle_is_the_argsort_of_uniform_keys():
    keys = tf.random.stateless_uniform((8,), [42, 0]).numpy()
    got = keras.random.shuffle(tf.range(8), seed=42).numpy()
    np.testing.assert_array_equal(got, np.argsort(keys))
    m = tf.reshape(tf.range(8), (2, 4))
    np.testing.assert_array_equal(
        keras.random.shuffle(m, axis=1, seed=42).numpy(),
        m.numpy()[:, np.argsort(tf.random.stateless_uniform((4,), [42, 0]).numpy())],
    )


def test_dropout_keeps_scaled_values():
    out = keras.random.dropout(tf.ones((4, 8)), 0.5, seed=7).numpy()
    assert set(np.unique(out)) <= {0.0, 2.0}
    same_cols = keras.random.dropout(tf.ones((4, 8)), 0.5, noise_shape=(1, None), seed=7).numpy()
    assert (same_cols == same_cols[:1]).all()


def test_seed_generator_state_advances():
    sg = keras.random.SeedGenerator(5)
    seeds = [sg.next().numpy().tolist() for _ in range(3)]
    assert seeds == [[5, 0], [5, 1], [5, 2]]
    assert sg.state.dtype == "int64" and sg.state.path.endswith("seed_generator_state")
    a = keras.random.normal((2,), seed=sg)
    b = keras.random.normal((2,), seed=sg)
    assert not np.array_equal(a.numpy(), b.numpy())
    with pytest.raises(ValueError, match="must be an integer"):
        keras.random.SeedGenerator(1.5)


def test_global_generator_after_set_random_seed():
    keras.utils.set_random_seed(1)
    first_seed = python_random.Random(1).randint(1, int(1e9))
    a = keras.random.normal((2,))
    np.testing.assert_array_equal(
        a.numpy(), tf.random.stateless_normal((2,), [first_seed, 0]).numpy()
    )
    state = keras.src.random.seed_generator.global_seed_generator().state.numpy().tolist()
    assert state == [(first_seed + 1) * 5387 % 933199, 5387]
    keras.utils.set_random_seed(1)
    np.testing.assert_array_equal(keras.random.normal((2,)).numpy(), a.numpy())


def test_set_random_seed_seeds_python_numpy_and_tf():
    keras.utils.set_random_seed(3)
    values = (python_random.random(), np.random.rand(), tf.random.normal([2]).numpy())
    keras.utils.set_random_seed(3)
    assert python_random.random() == values[0] and np.random.rand() == values[1]
    np.testing.assert_array_equal(tf.random.normal([2]).numpy(), values[2])
    with pytest.raises(ValueError, match="integer"):
        keras.utils.set_random_seed(1.0)
