"""keras.Variable, KerasTensor, name scopes, clear_session, config and dtypes."""

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


def test_variable_repr_path_and_value():
    v = keras.Variable([1.0, 2.0], name="kv")
    assert repr(v) == str(v) == "<Variable path=kv, shape=(2,), dtype=float32, value=[1. 2.]>"
    assert isinstance(v.value, tf.Variable)
    assert v.shape == (2,) and v.ndim == 1 and v.dtype == "float32" and v.trainable
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


def test_variable_auto_names_and_scopes():
    a, b = keras.Variable(1.0), keras.Variable(2.0)
    assert (a.name, b.name) == ("variable", "variable_1")
    with keras.name_scope("outer"), keras.name_scope("inner"):
        c = keras.Variable(0.0, name="c")
    assert c.path == "outer/inner/c"
    assert c.value.name == "outer/inner/c:0"


def test_variable_from_initializer_and_dtypes():
    v = keras.Variable("ones", shape=(2, 3))
    assert v.dtype == "float32" and v.shape == (2, 3)
    i = keras.Variable(0, dtype="int")
    assert i.dtype == "int64"
    with pytest.raises(ValueError, match="shape"):
        keras.Variable("zeros")
    with pytest.raises(ValueError, match="cannot contain character"):
        keras.Variable(1.0, name="a/b")


def test_variable_assign_and_operators():
    v = keras.Variable([1.0, 2.0])
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub([0.5, 0.5])
    np.testing.assert_array_equal(v.numpy(), [3.5, 4.5])
    np.testing.assert_array_equal((v * 2).numpy(), [7.0, 9.0])
    np.testing.assert_array_equal((1 - v).numpy(), [-2.5, -3.5])
    np.testing.assert_array_equal(
        tf.matmul(tf.ones((1, 2)), tf.reshape(v, (2, 1))).numpy(), [[8.0]]
    )
    with pytest.raises(ValueError, match="must match"):
        v.assign([1.0, 2.0, 3.0])


def test_gradient_with_respect_to_keras_variables():
    v = keras.Variable([1.0, 2.0])
    w = keras.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v * v) * w
    gv, gw = tape.gradient(y, [v, w])
    np.testing.assert_allclose(gv.numpy(), [6.0, 12.0])
    np.testing.assert_allclose(gw.numpy(), 5.0)


def test_non_trainable_variable_is_not_watched():
    v = keras.Variable(2.0, trainable=False)
    with tf.GradientTape() as tape:
        y = v * v
    assert tape.gradient(y, v) is None


def test_keras_tensor_repr_and_operators():
    x = keras.Input((3,))
    assert repr(x) == (
        "<KerasTensor shape=(None, 3), dtype=float32, sparse=False, ragged=False, "
        "name=keras_tensor>"
    )
    y = x * 2  # a Python scalar counts as sparse for multiply (Keras' rule)
    assert (y.shape, y.dtype, y.sparse, y.name) == ((None, 3), "float32", True, "keras_tensor_1")
    z = x + keras.Input((1,))
    assert z.shape == (None, 3) and not z.sparse
    assert (x[:, 0]).shape == (None,)
    with pytest.raises(ValueError, match="cannot be used as input to a TensorFlow function"):
        tf.convert_to_tensor(x)


def test_clear_session_restarts_names():
    assert keras.layers.Dense(1).name == "dense"
    assert keras.layers.Dense(1).name == "dense_1"
    keras.backend.clear_session()
    assert keras.layers.Dense(1).name == "dense"


def test_config_functions():
    assert keras.config.floatx() == keras.backend.floatx() == "float32"
    assert keras.config.epsilon() == 1e-7
    assert keras.config.image_data_format() == "channels_last"
    assert keras.config.backend() == "tensorflow"
    with pytest.raises(ValueError):
        keras.config.set_floatx("int32")


def test_standardize_dtype():
    from tensorlet.keras.src.backend import standardize_dtype

    assert standardize_dtype(None) == "float32"
    assert standardize_dtype(tf.float64) == "float64"
    assert standardize_dtype(np.int32) == "int32"
    assert standardize_dtype(np.dtype("uint8")) == "uint8"
    assert standardize_dtype(int) == "int64" and standardize_dtype(bool) == "bool"
    with pytest.raises(ValueError, match="Invalid dtype"):
        standardize_dtype("float31")


def test_version():
    assert keras.__version__ == keras.version() == "3.15.1"


def test_tf_keras_is_lazy():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "import sys, tensorlet; print('tensorlet.keras' in sys.modules)"],
        capture_output=True,
        check=False,
        text=True,
    )
    assert out.stdout.strip() == "False"
