"""The fixture models of /work/shared/fixtures/formats/keras, built in code as the real Keras
built them (generate.py), with their inputs and expected outputs."""

import os

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras
FIXTURES = "/work/shared/fixtures/formats"
KDIR = os.path.join(FIXTURES, "keras")
K2DIR = os.path.join(FIXTURES, "keras2")
MODELS = ["a_mlp", "b_functional", "c_cnn", "d_rnn", "e_text", "f_custom", "g_adam"]
OUTPUT_NAMES = {"b_functional": ["regression", "classification"]}
INPUT_NAMES = {"b_functional": ["left", "right"]}


def fixture_path(*parts):
    path = os.path.join(KDIR, *parts)
    if not os.path.exists(path):
        pytest.skip(f"fixture {path} not available")
    return path


def layer(name):
    """``keras.layers.<name>``; the test is skipped while another helper is still writing it."""
    try:
        return getattr(keras.layers, name)
    except AttributeError:
        pytest.skip(f"layer {name} not available yet")


@keras.saving.register_keras_serializable(package="tensorlet_fixtures", name="MyDense")
class MyDense(keras.layers.Layer):
    """generate.py's custom layer: ``activation(x @ kernel + bias)``."""

    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel", shape=(input_shape[-1], self.units), initializer="glorot_uniform"
        )
        self.bias = self.add_weight(name="bias", shape=(self.units,), initializer="zeros")

    def call(self, inputs):
        return self.activation(tf.matmul(inputs, self.kernel) + self.bias)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"units": self.units, "activation": keras.activations.serialize(self.activation)}
        )
        return config


def build_a():
    return keras.Sequential(
        [
            keras.Input(shape=(784,), name="pixels"),
            layer("Dense")(32, activation="relu", name="hidden"),
            layer("Dropout")(0.2, name="dropout"),
            layer("Dense")(10, activation="softmax", name="probs"),
        ],
        name="a_mlp",
    )


def build_b():
    left = keras.Input(shape=(8,), name="left")
    right = keras.Input(shape=(8,), name="right")
    shared = layer("Dense")(16, activation="relu", name="shared_dense")
    merged = layer("Concatenate")(name="concat")([shared(left), shared(right)])
    regression = layer("Dense")(1, name="regression")(merged)
    classification = layer("Dense")(3, activation="softmax", name="classification")(merged)
    return keras.Model(
        inputs=[left, right], outputs=[regression, classification], name="b_functional"
    )


def build_c():
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1), name="image"),
            layer("Conv2D")(4, 3, activation="relu", name="conv1"),
            layer("BatchNormalization")(momentum=0.9, name="bn"),
            layer("MaxPooling2D")(name="pool"),
            layer("Conv2D")(8, 3, padding="same", name="conv2"),
            layer("GlobalAveragePooling2D")(name="gap"),
            layer("Dense")(10, name="logits"),
        ],
        name="c_cnn",
    )


def build_d():
    return keras.Sequential(
        [
            keras.Input(shape=(5, 3), name="sequence"),
            layer("LSTM")(4, return_sequences=True, name="lstm"),
            layer("GRU")(3, name="gru"),
            layer("Dense")(2, name="out"),
        ],
        name="d_rnn",
    )


def build_e():
    return keras.Sequential(
        [
            keras.Input(shape=(10,), dtype="int32", name="tokens"),
            layer("Embedding")(50, 8, name="embedding"),
            layer("GlobalAveragePooling1D")(name="gap"),
            layer("Dense")(1, activation="sigmoid", name="prob"),
        ],
        name="e_text",
    )


def build_f():
    inp = keras.Input(shape=(6, 4), name="sequence")
    x = layer("Bidirectional")(layer("LSTM")(5), name="bilstm")(inp)
    x = layer("LayerNormalization")(name="layernorm")(x)
    out = MyDense(3, activation="tanh", name="my_dense")(x)
    return keras.Model(inp, out, name="f_custom")


def build_g():
    return keras.Sequential(
        [
            keras.Input(shape=(4,), name="features"),
            layer("Dense")(8, activation="relu", name="dense1"),
            layer("Dense")(1, name="dense2"),
        ],
        name="g_adam",
    )


BUILDERS = {
    "a_mlp": build_a,
    "b_functional": build_b,
    "c_cnn": build_c,
    "d_rnn": build_d,
    "e_text": build_e,
    "f_custom": build_f,
    "g_adam": build_g,
}
# the layers each fixture needs (a missing one skips that fixture's tests)
NEEDS = {
    "a_mlp": ["Dense", "Dropout"],
    "b_functional": ["Dense", "Concatenate"],
    "c_cnn": ["Conv2D", "BatchNormalization", "MaxPooling2D", "GlobalAveragePooling2D", "Dense"],
    "d_rnn": ["LSTM", "GRU", "Dense"],
    "e_text": ["Embedding", "GlobalAveragePooling1D", "Dense"],
    "f_custom": ["Bidirectional", "LSTM", "LayerNormalization"],
    "g_adam": ["Dense"],
}


def require_layers(name):
    for cls_name in NEEDS[name]:
        layer(cls_name)


def compile_like_fixture(name, model):
    """The compile calls of generate.py, with the optimizer built (as after training)."""
    if name == "c_cnn":
        model.compile(
            optimizer=keras.optimizers.SGD(learning_rate=0.05),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
    elif name == "g_adam":
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse", metrics=["mae"]
        )
    else:
        return
    model.optimizer.build(model.trainable_variables)


def inputs(name):
    if name in INPUT_NAMES:
        return [np.load(fixture_path(f"{name}_input_{n}.npy")) for n in INPUT_NAMES[name]]
    return np.load(fixture_path(f"{name}_input.npy"))


def expected(name):
    if name in OUTPUT_NAMES:
        return [np.load(fixture_path(f"{name}_expected_{n}.npy")) for n in OUTPUT_NAMES[name]]
    return [np.load(fixture_path(f"{name}_expected.npy"))]


def outputs(model, name):
    out = model(inputs(name), training=False)
    return [np.asarray(o) for o in (out if isinstance(out, (list, tuple)) else [out])]


def assert_matches_expected(model, name):
    got, want = outputs(model, name), expected(name)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5)
