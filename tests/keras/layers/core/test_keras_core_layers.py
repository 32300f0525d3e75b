"""keras.layers core: EinsumDense, Embedding, Activation, Identity, Lambda, Masking, Wrapper."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.testing.layer_test import run_layer_test

keras = tf.keras


@pytest.mark.parametrize(
    "kwargs,input_shape,output_shape,kernel_shape,bias_shape",
    [
        (
            {"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "c"},
            (2, 3),
            (2, 4),
            (3, 4),
            (4,),
        ),
        (
            {"equation": "abc,cd->abd", "output_shape": (None, 2), "bias_axes": "d"},
            (2, 3, 4),
            (2, 3, 2),
            (4, 2),
            (2,),
        ),
        (
            {"equation": "abc,cde->abde", "output_shape": (3, 2, 5), "bias_axes": "de"},
            (2, 3, 4),
            (2, 3, 2, 5),
            (4, 2, 5),
            (2, 5),
        ),
        ({"equation": "...b,bc->...c", "output_shape": 5}, (2, 3, 4), (2, 3, 5), (4, 5), None),
    ],
)
def test_einsum_dense(kwargs, input_shape, output_shape, kernel_shape, bias_shape):
    layer = run_layer_test(
        keras.layers.EinsumDense,
        kwargs,
        input_shape,
        expected_output_shape=output_shape,
        expected_num_trainable_weights=1 if bias_shape is None else 2,
    )
    assert layer.kernel.shape == kernel_shape
    if bias_shape is not None:
        assert layer.bias.shape == bias_shape


def test_einsum_dense_values_and_errors():
    layer = keras.layers.EinsumDense("ab,bc->ac", output_shape=2, bias_axes="c", activation="relu")
    x = np.arange(6, dtype=np.float32).reshape(2, 3) - 2
    out = layer(x)
    k, b = layer.get_weights()
    np.testing.assert_allclose(out.numpy(), np.maximum(x @ k + b, 0), rtol=1e-6)
    assert layer.get_config()["output_shape"] == (2,)
    with pytest.raises(ValueError, match="Invalid einsum equation"):
        keras.layers.EinsumDense("ab->b", output_shape=2)(x)


def test_embedding():
    run_layer_test(
        keras.layers.Embedding,
        {"input_dim": 5, "output_dim": 3},
        (2, 4),
        input_dtype="int32",
        expected_output_shape=(2, 4, 3),
        expected_num_trainable_weights=1,
        run_training_check=False,
    )
    layer = keras.layers.Embedding(5, 2, mask_zero=True)
    ids = tf.constant([[0, 4, 2]])
    out = layer(ids)
    np.testing.assert_array_equal(out.numpy()[0], layer.embeddings.numpy()[[0, 4, 2]])
    np.testing.assert_array_equal(layer.compute_mask(ids).numpy(), [[False, True, True]])
    assert keras.layers.Embedding(5, 2).compute_mask(ids) is None
    # float ids are truncated to int32
    np.testing.assert_array_equal(
        layer(tf.constant([[1.7, 3.2]])).numpy()[0], layer.embeddings.numpy()[[1, 3]]
    )
    with pytest.raises(tf.errors.InvalidArgumentError):
        layer(tf.constant([[5]]))
    assert layer.get_config()["embeddings_initializer"]["class_name"] == "RandomUniform"


def test_embedding_gradient_and_weights_arg():
    layer = keras.layers.Embedding(4, 2, weights=[np.ones((4, 2), np.float32)])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(layer(tf.constant([[1, 1, 3]])))
    g = tf.convert_to_tensor(tape.gradient(y, layer.embeddings))
    np.testing.assert_array_equal(g.numpy(), [[0, 0], [2, 2], [0, 0], [1, 1]])


@pytest.mark.parametrize("name,fn", [("relu", lambda x: np.maximum(x, 0)), ("tanh", np.tanh)])
def test_activation(name, fn):
    run_layer_test(
        keras.layers.Activation, {"activation": name}, (2, 3), expected_output_shape=(2, 3)
    )
    x = np.linspace(-2, 2, 6, dtype=np.float32)
    np.testing.assert_allclose(keras.layers.Activation(name)(x).numpy(), fn(x), rtol=1e-6)
    assert keras.layers.Activation(name).get_config()["activation"] == name


def test_identity():
    run_layer_test(keras.layers.Identity, {}, (2, 3), expected_output_shape=(2, 3))
    x = tf.constant([1.0, 2.0])
    a, _ = keras.layers.Identity()([x, x])
    np.testing.assert_array_equal(a.numpy(), x.numpy())


def test_lambda():
    layer = keras.layers.Lambda(lambda x, k: x * k, arguments={"k": 3.0})
    np.testing.assert_array_equal(layer(tf.constant([1.0, 2.0])).numpy(), [3.0, 6.0])
    config = layer.get_config()
    assert config["function"]["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match="safe_mode"):
        keras.layers.Lambda.from_config(config)
    clone = keras.layers.Lambda.from_config(config, safe_mode=False)
    np.testing.assert_array_equal(clone(tf.constant([1.0])).numpy(), [3.0])
    out = keras.layers.Lambda(lambda x: x[:, :2], output_shape=(2,))(keras.Input((5,)))
    assert out.shape == (None, 2)
    masked = keras.layers.Lambda(tf.identity, mask=lambda x, m: m)
    assert masked.compute_mask(None, "m") == "m"


def test_masking():
    run_layer_test(
        keras.layers.Masking, {"mask_value": 0.0}, (2, 3, 4), expected_output_shape=(2, 3, 4)
    )
    x = tf.constant([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]])
    layer = keras.layers.Masking()
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())
    np.testing.assert_array_equal(layer.compute_mask(x).numpy(), [[True, False, True]])
    y = keras.layers.Masking(mask_value=3.0)(tf.constant([[[3.0, 3.0], [3.0, 1.0]]]))
    np.testing.assert_array_equal(y.numpy(), [[[0.0, 0.0], [3.0, 1.0]]])


def test_wrapper():
    class Twice(keras.layers.Wrapper):
        def call(self, x):
            return self.layer(x) * 2.0

    dense = keras.layers.Dense(2)
    layer = Twice(dense)
    out = layer(tf.ones((1, 3)))
    assert out.shape == (1, 2)
    prefix = f"{layer.name}/{dense.name}"
    assert [w.path for w in layer.weights] == [f"{prefix}/kernel", f"{prefix}/bias"]
    assert layer.get_config()["layer"]["class_name"] == "Dense"
    with pytest.raises(ValueError, match="supported layer type"):
        Twice(3)


def test_lambda_without_output_shape_on_keras_tensors():
    inputs = keras.Input((3,))
    out = keras.layers.Lambda(lambda x: x[:, :2] * 2.0)(inputs)
    assert out.shape == (None, 2)
    model = keras.Model(inputs, out)
    np.testing.assert_allclose(model(tf.ones((1, 3))).numpy(), [[2.0, 2.0]])
