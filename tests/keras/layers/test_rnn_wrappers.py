"""keras.layers.Bidirectional and keras.layers.TimeDistributed."""

import doctest

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.layers.rnn import bidirectional, time_distributed
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras
X = np.random.default_rng(1).standard_normal((2, 4, 3)).astype(np.float32)


def _close(a, b):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("merge_mode, last", [("concat", 6), ("sum", 3), ("mul", 3), ("ave", 3)])
def test_bidirectional_layer(merge_mode, last):
    run_layer_test(
        keras.layers.Bidirectional,
        {"layer": keras.layers.LSTM(3, return_sequences=True), "merge_mode": merge_mode},
        (2, 4, 5),
        (2, 4, last),
        expected_num_trainable_weights=6,
    )


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_bidirectional_merges_forward_and_reversed_backward(merge_mode):
    keras.backend.clear_session()
    layer = keras.layers.Bidirectional(keras.layers.GRU(2, return_sequences=True), merge_mode)
    out = layer(X)
    fwd = layer.forward_layer(X).numpy()
    bwd = layer.backward_layer(X).numpy()[:, ::-1]
    want = {
        "concat": np.concatenate([fwd, bwd], -1),
        "sum": fwd + bwd,
        "mul": fwd * bwd,
        "ave": (fwd + bwd) / 2,
    }.get(merge_mode)
    if merge_mode is None:
        _close(out[0], fwd)
        _close(out[1], bwd)
    else:
        _close(out, want)
    assert layer.forward_layer.name == "forward_gru" and layer.backward_layer.go_backwards
    assert layer.forward_layer.zero_output_for_mask  # forced when returning sequences
    assert [w.path for w in layer.weights][:1] == ["bidirectional/forward_gru/gru_cell/kernel"]


def test_bidirectional_states_initial_state_and_backward_layer():
    layer = keras.layers.Bidirectional(keras.layers.LSTM(2, return_state=True))
    out, fh, _, bh, _ = layer(X)
    assert out.shape == (2, 4) and fh.shape == (2, 2)
    _close(out, np.concatenate([fh, bh], -1))
    states = [tf.ones((2, 2)) * k for k in range(1, 5)]
    with_state = layer(X, initial_state=states)
    _close(with_state[0][:, :2], layer.forward_layer(X, initial_state=states[:2])[0])
    backward = keras.layers.SimpleRNN(2, go_backwards=True, activation="relu")
    custom = keras.layers.Bidirectional(keras.layers.SimpleRNN(2), backward_layer=backward)
    assert custom.backward_layer is backward and custom(X).shape == (2, 4)
    clone = keras.layers.Bidirectional.from_config(custom.get_config())
    assert clone.backward_layer.get_config()["activation"] == "relu"
    assert custom.compute_output_shape((2, 4, 3)) == (2, 4)
    assert layer.compute_output_shape((2, 4, 3)) == ((2, 4), (2, 2), (2, 2), (2, 2), (2, 2))
    seq = keras.layers.Bidirectional(keras.layers.LSTM(2, return_sequences=True), merge_mode=None)
    assert seq.compute_output_shape((2, 4, 3)) == [(2, 4, 2), (2, 4, 2)]


def test_bidirectional_mask():
    mask = tf.constant([[True, True, False, False], [True, True, True, True]])
    layer = keras.layers.Bidirectional(keras.layers.SimpleRNN(2, return_sequences=True))
    out = layer(X, mask=mask).numpy()
    assert np.all(out[0, 2:] == 0)  # zero_output_for_mask on both directions
    assert layer.compute_mask(X, mask) is mask


def test_bidirectional_errors():
    with pytest.raises(ValueError, match="Invalid merge mode"):
        keras.layers.Bidirectional(keras.layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="different `go_backwards`"):
        keras.layers.Bidirectional(keras.layers.LSTM(2), backward_layer=keras.layers.LSTM(2))
    with pytest.raises(ValueError, match='same value for attribute "return_sequences"'):
        keras.layers.Bidirectional(
            keras.layers.LSTM(2),
            backward_layer=keras.layers.LSTM(2, go_backwards=True, return_sequences=True),
        )
    with pytest.raises(ValueError, match="Layer` instance"):
        keras.layers.Bidirectional("lstm")


def test_time_distributed_layer():
    run_layer_test(
        keras.layers.TimeDistributed,
        {"layer": keras.layers.Dense(2)},
        (2, 4, 3),
        (2, 4, 2),
        expected_num_trainable_weights=2,
    )


def test_time_distributed_matches_per_step_calls():
    conv = keras.layers.Conv2D(2, 2)
    layer = keras.layers.TimeDistributed(conv)
    x = tf.constant(np.random.default_rng(2).standard_normal((2, 3, 4, 4, 1)).astype(np.float32))
    out = layer(x)
    _close(out, tf.stack([conv(x[:, t]) for t in range(3)], 1))
    assert layer.compute_output_shape((None, 3, 4, 4, 1)) == (None, 3, 3, 3, 2)
    unknown = tf.function(layer, input_signature=[tf.TensorSpec([2, None, 4, 4, 1])])
    _close(unknown(x), out)
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        keras.layers.TimeDistributed(keras.layers.Dense(2)).build((2, 3))


def test_time_distributed_passes_mask_and_training():
    class Probe(keras.layers.Layer):
        def call(self, inputs, training=None, mask=None):
            self.seen = (training, None if mask is None else tuple(mask.shape))
            return inputs

    probe = Probe()
    layer = keras.layers.TimeDistributed(probe)
    layer(X, training=True, mask=tf.ones((2, 4), tf.bool))
    assert probe.seen == (True, (2,))
    with pytest.raises(ValueError, match="should be passed a `mask` of shape"):
        layer(X, mask=tf.ones((2, 3), tf.bool))


@pytest.mark.parametrize("module", [bidirectional, time_distributed])
def test_docstring_examples(module):
    assert doctest.testmod(module, extraglobs={"tf": tf, "keras": keras}).failed == 0
