"""keras.Layer: building, weight tracking and order, training flag, config, errors."""

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


class Linear(keras.layers.Layer):
    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), name="w")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")
        self.steps = self.add_weight(shape=(), initializer="zeros", trainable=False, name="steps")

    def call(self, x):
        return tf.matmul(x, self.w) + self.b


class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = [Linear(3), Linear(2)]
        self.dropout = keras.layers.Dropout(0.5, seed=1)

    def call(self, x, training=None):
        for layer in self.inner:
            x = layer(x)
        return self.dropout(x, training=training)


def test_build_on_first_call_and_paths():
    layer = Linear(name="lin")
    assert not layer.built and repr(layer) == "<Linear name=lin, built=False>"
    out = layer(tf.ones((4, 3)))
    assert layer.built and out.shape == (4, 2)
    assert [w.path for w in layer.weights] == ["lin/w", "lin/b", "lin/steps"]
    assert [w.name for w in layer.trainable_weights] == ["w", "b"]
    assert [w.name for w in layer.non_trainable_weights] == ["steps"]
    assert layer.count_params() == 3 * 2 + 2 + 1
    assert layer.get_build_config() == {"input_shape": (4, 3)}


def test_nested_layers_in_lists_are_tracked_depth_first():
    block = Block()
    block(tf.ones((1, 4)))
    assert [w.path for w in block.weights] == [
        "block/linear/w",
        "block/linear/b",
        "block/linear/steps",
        "block/linear_1/w",
        "block/linear_1/b",
        "block/linear_1/steps",
    ]
    assert len(block.trainable_variables) == 4
    # the seed generator state is a variable but not a weight
    assert len(block.variables) == len(block.weights) + 1
    block.trainable = False
    assert block.trainable_weights == [] and all(not w.trainable for w in block.weights)


def test_training_flag_reaches_nested_layers():
    block = Block()
    x = tf.ones((2, 4))
    inference = block(x)
    np.testing.assert_array_equal(block(x, training=False).numpy(), inference.numpy())
    dropped = block(x, training=True).numpy()
    assert not np.array_equal(dropped, inference.numpy())


def test_get_weights_set_weights():
    layer = Linear()
    layer(tf.ones((1, 3)))
    values = [np.full(w.shape, 0.5, dtype=np.float32) for w in layer.weights]
    layer.set_weights(values)
    for got, want in zip(layer.get_weights(), values):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="expecting 3 weights"):
        layer.set_weights(values[:2])
    with pytest.raises(ValueError, match="not compatible"):
        layer.set_weights([np.zeros((1, 1))] + values[1:])


def test_count_params_needs_a_built_layer():
    with pytest.raises(ValueError, match="isn't built"):
        Linear().count_params()


def test_auto_config_of_subclasses():
    layer = Linear(units=4, name="lin", trainable=False)
    config = layer.get_config()
    assert config["units"] == 4 and config["name"] == "lin" and config["trainable"] is False
    assert config["dtype"]["class_name"] == "DTypePolicy"
    clone = Linear.from_config(config)
    assert clone.units == 4 and clone.name == "lin"


def test_non_serializable_args_need_get_config():
    class Holder(keras.layers.Layer):
        def __init__(self, thing, **kwargs):
            super().__init__(**kwargs)
            self.thing = thing

    with pytest.raises(NotImplementedError, match="get_config"):
        Holder(object()).get_config()


def test_unknown_kwargs_and_missing_super():
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        keras.layers.Dense(2, foo=1)

    class NoSuper(keras.layers.Layer):
        def __init__(self):
            pass

        def call(self, x):
            return x

    with pytest.raises(RuntimeError, match="super"):
        NoSuper()(tf.ones((1,)))


def test_numpy_inputs_are_converted_and_float64_cast():
    layer = keras.layers.Dense(2)
    out = layer(np.ones((1, 3)))
    assert out.dtype == tf.float32


def test_symbolic_call_records_a_node():
    x = keras.Input((3,))
    layer = Linear()
    y = layer(x)
    assert isinstance(y, keras.KerasTensor) and y.shape == (None, 2)
    assert layer.input is x and layer.output is y
    assert layer.compute_output_shape((None, 3)) == (None, 2)


def test_add_loss_and_losses():
    class WithLoss(keras.layers.Layer):
        def call(self, x):
            self.add_loss(tf.reduce_sum(x))
            return x

    layer = WithLoss()
    layer(tf.ones((2,)))
    assert [float(v) for v in layer.losses] == [2.0]


def test_state_cache_follows_list_mutations():
    class Stack(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.blocks = []

        def call(self, x):
            for b in self.blocks:
                x = b(x)
            return x

    shared = keras.layers.Dense(2)
    shared.build((None, 2))
    stack = Stack()
    assert stack.weights == []
    stack.blocks.append(shared)  # an existing layer: no creation happens here
    assert [w.path for w in stack.weights] == ["dense/kernel", "dense/bias"]
    stack.blocks.pop()
    assert stack.weights == []
    stack.extra = {"b": shared}
    assert len(stack.weights) == 2
    del stack.extra["b"]
    assert stack.weights == []
