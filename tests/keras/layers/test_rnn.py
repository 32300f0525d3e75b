"""keras.layers RNN / SimpleRNN / LSTM / GRU (+ cells, StackedRNNCells) and the time loop."""

import doctest

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.layers.rnn import (
    conv_lstm1d,
    conv_lstm2d,
    conv_lstm3d,
    gru,
    lstm,
    rnn,
    rnn_loop,
    simple_rnn,
    stacked_rnn_cells,
)
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras
RNG = np.random.default_rng(0)
X = RNG.standard_normal((2, 5, 3)).astype(np.float32)
MASK = np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1]], bool)


# ---------------------------------------------------------------- NumPy references
def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _simple_step(w, x, states):
    k, u, b = w
    h = np.tanh(x @ k + b + states[0] @ u)
    return h, [h]


def _lstm_step(w, x, states):
    k, u, b = w
    h, c = states
    i, f, g, o = np.split(x @ k + h @ u + b, 4, axis=-1)
    c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    h = _sigmoid(o) * np.tanh(c)
    return h, [h, c]


def _gru_step(w, x, states, reset_after=True):
    k, u, b = w
    h = states[0]
    n = h.shape[-1]
    bx, bh = (b[0], b[1]) if reset_after else (b, np.zeros_like(b))
    xz, xr, xh = np.split(x @ k + bx, 3, axis=-1)
    if reset_after:
        hz, hr, hh = np.split(h @ u + bh, 3, axis=-1)
        z, r = _sigmoid(xz + hz), _sigmoid(xr + hr)
        cand = np.tanh(xh + r * hh)
    else:
        z = _sigmoid(xz + h @ u[:, :n])
        r = _sigmoid(xr + h @ u[:, n : 2 * n])
        cand = np.tanh(xh + (r * h) @ u[:, 2 * n :])
    h = z * h + (1 - z) * cand
    return h, [h]


def _reference(step, x, states, mask=None, go_backwards=False, zero_output_for_mask=False):
    order = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    outputs, prev = [], np.zeros_like(states[0])
    for t in order:
        out, new = step(x[:, t], states)
        if mask is not None:
            m = mask[:, t][:, None]
            out = np.where(m, out, 0 if zero_output_for_mask else prev)
            new = [np.where(m, a, b) for a, b in zip(new, states)]
        prev, states = out, new
        outputs.append(out)
    return np.stack(outputs, 1), states


def _weights(layer):
    return [w.numpy() for w in layer.weights]


def _close(a, b):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=2e-5, atol=2e-6)


# ---------------------------------------------------------------- layer checks
@pytest.mark.parametrize(
    "cls, kwargs, n_weights",
    [
        (keras.layers.SimpleRNN, {"units": 3}, 3),
        (keras.layers.SimpleRNN, {"units": 3, "return_sequences": True, "use_bias": False}, 2),
        (keras.layers.LSTM, {"units": 3, "return_sequences": True}, 3),
        (keras.layers.LSTM, {"units": 2, "go_backwards": True, "unroll": True}, 3),
        (keras.layers.GRU, {"units": 3}, 3),
        (keras.layers.GRU, {"units": 3, "reset_after": False, "return_sequences": True}, 3),
    ],
)
def test_layer(cls, kwargs, n_weights):
    seq = kwargs.get("return_sequences")
    run_layer_test(
        cls,
        kwargs,
        (2, 4, 5),
        (2, 4, kwargs["units"]) if seq else (2, kwargs["units"]),
        expected_num_trainable_weights=n_weights,
        expected_num_non_trainable_weights=0,
    )


def test_rnn_with_cells_layer():
    run_layer_test(
        keras.layers.RNN,
        {"cell": keras.layers.LSTMCell(2), "return_sequences": True},
        (2, 4, 3),
        (2, 4, 2),
        expected_num_trainable_weights=3,
    )
    run_layer_test(
        keras.layers.RNN,
        {"cell": [keras.layers.LSTMCell(2), keras.layers.GRUCell(3)]},
        (2, 4, 3),
        (2, 3),
        expected_num_trainable_weights=6,
    )


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("name", ["simple", "lstm", "gru", "gru_before"])
def test_values_against_numpy(name, masked, go_backwards):
    make, step, n_states = {
        "simple": (lambda **k: keras.layers.SimpleRNN(4, **k), _simple_step, 1),
        "lstm": (lambda **k: keras.layers.LSTM(4, **k), _lstm_step, 2),
        "gru": (lambda **k: keras.layers.GRU(4, **k), _gru_step, 1),
        "gru_before": (
            lambda **k: keras.layers.GRU(4, reset_after=False, **k),
            lambda w, x, s: _gru_step(w, x, s, reset_after=False),
            1,
        ),
    }[name]
    layer = make(return_sequences=True, return_state=True, go_backwards=go_backwards)
    mask = MASK if masked else None
    out = layer(X, mask=mask)
    want_seq, want_states = _reference(
        lambda x, s: step(_weights(layer), x, s),
        X,
        [np.zeros((2, 4), np.float32)] * n_states,
        mask,
        go_backwards,
    )
    assert len(out) == 1 + n_states
    _close(out[0], want_seq)
    for got, want in zip(out[1:], want_states):
        _close(got, want)


def test_last_output_initial_state_and_bias_layout():
    keras.backend.clear_session()
    layer = keras.layers.LSTM(3, kernel_initializer="ones", bias_initializer="zeros")
    h0, c0 = RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3))
    out = layer(X, initial_state=[tf.constant(h0), tf.constant(c0)])
    _, (h, _) = _reference(lambda x, s: _lstm_step(_weights(layer), x, s), X, [h0, c0])
    _close(out, h)
    # unit_forget_bias: ones on the forget gate's slice (Keras' i, f, c, o order)
    np.testing.assert_array_equal(layer.cell.bias.numpy(), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    assert [w.path for w in layer.weights] == [
        "lstm/lstm_cell/kernel",
        "lstm/lstm_cell/recurrent_kernel",
        "lstm/lstm_cell/bias",
    ]
    g = keras.layers.GRU(2)
    g.build((1, 3, 4))
    assert [tuple(w.shape) for w in g.weights] == [(4, 6), (2, 6), (2, 6)]


def test_zero_output_for_mask_and_unroll_match_loop():
    for unroll in (False, True):
        layer = keras.layers.SimpleRNN(3, return_sequences=True, unroll=unroll)
        layer.zero_output_for_mask = True
        out = layer(X, mask=MASK).numpy()
        weights = _weights(layer)
        want, _ = _reference(
            lambda x, s, w=weights: _simple_step(w, x, s),
            X,
            [np.zeros((2, 3), np.float32)],
            MASK,
            zero_output_for_mask=True,
        )
        _close(out, want)
        assert np.all(out[~MASK] == 0)


def _loss_and_grads(layer, x, mask):
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = layer(x, mask=mask)
        loss = sum(tf.reduce_sum(o * o) for o in tf.nest.flatten(out))
    return [loss, *tape.gradient(loss, [x, *layer.trainable_weights])]


@pytest.mark.parametrize(
    "make",
    [
        lambda: keras.layers.LSTM(3, return_sequences=True, return_state=True, go_backwards=True),
        lambda: keras.layers.GRU(3, return_state=True, reset_after=False),
        lambda: keras.layers.RNN([keras.layers.SimpleRNNCell(2), keras.layers.GRUCell(3)]),
    ],
)
def test_while_loop_matches_python_loop(make, monkeypatch):
    """Inside tf.function: unrolled graph, tf.while_loop (long or unknown time axis), eager."""
    layer = make()
    x, mask = tf.constant(X), tf.constant(MASK)
    eager = _loss_and_grads(layer, x, mask)
    unrolled = tf.function(_loss_and_grads)(layer, x, mask)
    monkeypatch.setattr(rnn_loop, "UNROLL_IN_GRAPH_MAX", 0)
    looped = tf.function(_loss_and_grads)(layer, x, mask)
    for results in (unrolled, looped):
        for a, b in zip(eager, results):
            _close(a, b)
    # an unknown time axis (forward only: gradients through ops whose static shape has
    # unknown dimensions are not supported by the autodiff spine yet)
    unknown_time = tf.function(
        lambda x, m: tf.nest.flatten(layer(x, mask=m)),
        input_signature=[tf.TensorSpec([2, None, 3]), tf.TensorSpec([2, None], tf.bool)],
    )(x, mask)
    for a, b in zip(tf.nest.flatten(layer(x, mask=mask)), unknown_time):
        _close(a, b)


def test_unroll_needs_a_known_time_axis():
    layer = keras.layers.SimpleRNN(2, unroll=True)
    fn = tf.function(layer, input_signature=[tf.TensorSpec([1, None, 3])])
    with pytest.raises(ValueError, match="Cannot unroll a RNN"):
        fn(tf.ones((1, 4, 3)))


def test_stateful_keeps_states_between_calls():
    layer = keras.layers.GRU(2, stateful=True)
    first = layer(X).numpy()
    second = layer(X).numpy()
    assert not np.allclose(first, second)
    assert len(layer.states) == 1 and layer.weights == layer.trainable_weights
    _close(layer.states[0].numpy(), second)
    layer.reset_state()
    _close(layer(X), first)
    with pytest.raises(ValueError, match="batch size must be static"):
        keras.layers.LSTM(2, stateful=True).build((None, 3, 2))


def test_dropout_masks_are_seeded_and_training_only():
    layer = keras.layers.LSTM(3, dropout=0.5, recurrent_dropout=0.3, seed=4)
    inference = layer(X).numpy()
    _close(layer(X, training=False), inference)
    a = layer(X, training=True).numpy()
    b = layer(X, training=True).numpy()
    assert not np.allclose(a, inference) and not np.allclose(a, b)
    assert layer.cell.implementation == 1
    assert layer.cell._dropout_mask is None  # dropped after the call
    simple = keras.layers.SimpleRNN(3, dropout=0.5, seed=1)
    assert not np.allclose(simple(X, training=True), simple(X))


def test_symbolic_and_compute_output_shape():
    inp = keras.Input((None, 3))
    out, h, c = keras.layers.LSTM(4, return_sequences=True, return_state=True)(inp)
    assert out.shape == (None, None, 4) and h.shape == (None, 4) and c.shape == (None, 4)
    layer = keras.layers.RNN([keras.layers.LSTMCell(2), keras.layers.GRUCell(3)], return_state=True)
    assert layer.compute_output_shape((2, 5, 3)) == ((2, 3), [(2, 2), (2, 2)], (2, 3))
    assert keras.layers.GRU(2).compute_mask(None, tf.constant(MASK)) is None
    assert keras.layers.GRU(2, return_sequences=True).compute_mask(None, MASK) is MASK


def test_cells_direct_calls_and_configs():
    cell = keras.layers.GRUCell(3, reset_after=False)
    h, state = cell(tf.constant(X[:, 0]), tf.zeros((2, 3)))
    want, _ = _gru_step(_weights(cell), X[:, 0], [np.zeros((2, 3))], reset_after=False)
    _close(h, want)
    assert not isinstance(state, list)
    config = keras.layers.LSTMCell(2, unit_forget_bias=False).get_config()
    assert config["unit_forget_bias"] is False and config["recurrent_activation"] == "sigmoid"
    stacked = keras.layers.StackedRNNCells(
        [keras.layers.LSTMCell(2), keras.layers.SimpleRNNCell(3)]
    )
    clone = keras.layers.StackedRNNCells.from_config(stacked.get_config())
    assert [type(c).__name__ for c in clone.cells] == ["LSTMCell", "SimpleRNNCell"]
    assert stacked.state_size == [[2, 2], 3] and stacked.output_size == 3
    assert "seed" not in keras.layers.SimpleRNN(2).get_config()
    assert (
        keras.layers.LSTM(2).units == 2
        and keras.layers.GRU(2, reset_after=False).reset_after is False
    )


def test_errors():
    with pytest.raises(ValueError, match="expected a positive integer"):
        keras.layers.LSTM(0)
    with pytest.raises(ValueError, match="should have a `call` method"):
        keras.layers.RNN(object())
    with pytest.raises(ValueError, match="use_cudnn"):
        keras.layers.GRU(2, use_cudnn="yes")
    with pytest.raises(ValueError, match="cuDNN is not supported"):
        keras.layers.LSTM(2, use_cudnn=True)(X)
    with pytest.raises(ValueError, match="expected ndim=3"):
        keras.layers.LSTM(2)(tf.ones((2, 3)))


def test_custom_cell():
    keras.backend.clear_session()

    class MinimalCell(keras.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

        def call(self, inputs, states):
            out = tf.matmul(inputs, self.kernel) + states[0]
            return out, [out]

    layer = keras.layers.RNN(MinimalCell(2), return_sequences=True)
    out = layer(X)
    k = layer.weights[0].numpy()
    _close(out, np.cumsum(X @ k, axis=1))
    assert layer.weights[0].path == "rnn/minimal_cell/kernel"


@pytest.mark.parametrize(
    "cls, shape, out_shape",
    [
        (keras.layers.ConvLSTM1D, (2, 3, 6, 2), (2, 5, 4)),
        (keras.layers.ConvLSTM2D, (1, 3, 5, 4, 2), (1, 4, 3, 4)),
        (keras.layers.ConvLSTM3D, (1, 2, 3, 3, 3, 1), (1, 2, 2, 2, 4)),
    ],
)
def test_conv_lstm(cls, shape, out_shape):
    filters = out_shape[-1]
    run_layer_test(
        cls,
        {"filters": filters, "kernel_size": 2},
        shape,
        out_shape,
        expected_num_trainable_weights=3,
    )


def test_conv_lstm_against_per_step_cell():
    layer = keras.layers.ConvLSTM2D(2, 3, padding="same", return_sequences=True, return_state=True)
    x = tf.constant(RNG.standard_normal((2, 3, 4, 5, 2)).astype(np.float32))
    seq, h, c = layer(x, mask=tf.constant([[True, False, True], [True, True, True]]))
    states = layer.cell.get_initial_state(2)
    outs, prev = [], tf.zeros_like(states[0])
    mask = [[True, False, True], [True, True, True]]
    for t in range(3):
        out, new = layer.cell.call(x[:, t], states)  # the per-gate convolutions of Keras
        m = tf.reshape(tf.constant([row[t] for row in mask]), (2, 1, 1, 1))
        out = tf.where(m, out, prev)
        states = [tf.where(m, a, b) for a, b in zip(new, states)]
        prev = out
        outs.append(out)
    _close(seq, tf.stack(outs, 1))
    _close(h, states[0])
    _close(c, states[1])
    first = keras.layers.ConvLSTM1D(2, 2, data_format="channels_first", return_sequences=True)
    xs = tf.constant(RNG.standard_normal((1, 3, 2, 5)).astype(np.float32))
    assert first(xs).shape == (1, 3, 2, 4)
    last = keras.layers.ConvLSTM1D(2, 2, return_sequences=True)
    last(tf.transpose(xs, [0, 1, 3, 2]))
    last.set_weights(first.get_weights())
    _close(first(xs), tf.transpose(last(tf.transpose(xs, [0, 1, 3, 2])), [0, 1, 3, 2]))


@pytest.mark.parametrize(
    "module", [rnn, simple_rnn, lstm, gru, stacked_rnn_cells, conv_lstm1d, conv_lstm2d, conv_lstm3d]
)
def test_docstring_examples(module):
    result = doctest.testmod(module, extraglobs={"tf": tf, "keras": keras, "np": np})
    assert result.failed == 0
