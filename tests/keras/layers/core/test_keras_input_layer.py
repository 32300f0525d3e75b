"""keras.Input / keras.layers.InputLayer."""

import pytest

import tensorlet as tf

keras = tf.keras


def test_input():
    keras.backend.clear_session()
    x = keras.Input((3,))
    assert str(x) == (
        "<KerasTensor shape=(None, 3), dtype=float32, sparse=False, ragged=False, "
        "name=keras_tensor>"
    )
    layer = x._keras_history.operation
    assert isinstance(layer, keras.layers.InputLayer) and layer.name == "input_layer"
    assert layer.batch_shape == (None, 3) and layer.built
    y = keras.Input(batch_shape=(2, 5), dtype="int32", name="ids")
    assert y.shape == (2, 5) and y.dtype == "int32" and y.name == "ids"
    assert keras.Input((4,), batch_size=8).shape == (8, 4)


def test_input_errors():
    with pytest.raises(ValueError, match="must pass a `shape`"):
        keras.Input()
    with pytest.raises(ValueError, match="both `shape` and `batch_shape`"):
        keras.Input((3,), batch_shape=(None, 3))
