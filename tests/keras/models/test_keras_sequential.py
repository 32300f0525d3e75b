"""keras.Sequential, keras.Model (functional) and model.summary()."""

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras

SUMMARY = (
    'Model: "seq"\n'
    "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n"
    "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n"
    "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n"
    "│ dense (Dense)                   │ (None, 3)              │            15 │\n"
    "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
    "│ dense_1 (Dense)                 │ (None, 2)              │             8 │\n"
    "└─────────────────────────────────┴────────────────────────┴───────────────┘\n"
    " Total params: 23 (92.00 B)\n"
    " Trainable params: 23 (92.00 B)\n"
    " Non-trainable params: 0 (0.00 B)\n"
)


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


def test_summary_text_matches_keras(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # Keras: min(88, terminal width - 4) columns
    m = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)], name="seq"
    )
    lines = []
    m.summary(print_fn=lambda s, line_break=None: lines.append(s))
    assert lines == [SUMMARY]


def test_summary_unbuilt_and_wide(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")
    m = keras.Sequential([keras.layers.Dense(2)])
    m.summary()
    text = capsys.readouterr().out
    assert "│ dense (Dense)" in text and "0 (unbuilt)" in text and " ? " in text
    assert max(len(line) for line in text.splitlines()) == 88


def test_build_from_input_and_count_params():
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    assert m.built and m.count_params() == 15
    assert m.input_shape == (None, 4) and m.output_shape == (None, 3)
    assert [w.path for w in m.weights] == ["sequential/dense/kernel", "sequential/dense/bias"]
    assert repr(m) == "<Sequential name=sequential, built=True>"


def test_build_on_first_call():
    m = keras.Sequential([keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
    assert repr(m) == "<Sequential name=sequential, built=False>"
    x = tf.ones((5, 3))
    out = m(x)
    assert out.shape == (5, 1) and m.built and len(m.trainable_variables) == 4
    w0, b0, w1, b1 = m.get_weights()
    np.testing.assert_allclose(out.numpy(), np.maximum(x.numpy() @ w0 + b0, 0) @ w1 + b1, rtol=1e-5)


def test_input_shape_argument_adds_an_input_layer():
    with pytest.warns(UserWarning, match="input_shape"):
        m = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    assert m.built and m.output_shape == (None, 2)


def test_add_pop_and_errors():
    m = keras.Sequential()
    m.add(keras.Input((2,)))
    m.add(keras.layers.Dense(3))
    assert m.built and m.output_shape == (None, 3)
    m.add(keras.layers.Dense(1))
    assert m.output_shape == (None, 1)
    m.pop()
    assert m.output_shape == (None, 3)
    with pytest.raises(ValueError, match="unique names"):
        m.add(m.layers[0])
    with pytest.raises(ValueError, match="Only instances of `keras.Layer`"):
        m.add("dense")


def test_config_round_trip():
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu")], name="s")
    config = m.get_config()
    assert config["name"] == "s" and config["build_input_shape"] == (None, 4)
    assert [c["class_name"] for c in config["layers"]] == ["InputLayer", "Dense"]
    clone = keras.Sequential.from_config(config)
    assert clone.built and clone.count_params() == m.count_params()


def test_functional_model():
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4, activation="relu")(inputs)
    outputs = keras.layers.Dense(2)(hidden) + hidden[:, :2]
    with pytest.raises(ValueError):
        keras.Model(inputs, "not a tensor")
    model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
    x = tf.ones((2, 3))
    assert model(x).shape == (2, 1)
    assert isinstance(model, keras.Model) and len(model.trainable_weights) == 4
    assert outputs.shape == (None, 2)


def test_training_step_in_tf_function():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
    opt = keras.optimizers.Adam(0.05)
    x = tf.random.normal([32, 3])
    y = tf.reduce_sum(x, axis=1, keepdims=True)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = keras.losses.MeanSquaredError()(y, model(x))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    losses = [float(step()) for _ in range(30)]
    assert losses[-1] < 0.5 * losses[0]
    assert int(opt.iterations) == 30
