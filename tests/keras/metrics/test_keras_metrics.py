"""keras.metrics: Accuracy and Mean."""

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras


def test_accuracy():
    keras.backend.clear_session()
    m = keras.metrics.Accuracy()
    assert repr(m) == str(m) == "<Accuracy name=accuracy>"
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    assert float(m.result()) == 0.75
    m.update_state([[1], [2]], [[1], [0]], sample_weight=[1.0, 3.0])
    assert float(m.result()) == pytest.approx((3 + 1) / (4 + 4))
    assert [v.path for v in m.variables] == ["accuracy/total", "accuracy/count"]
    m.reset_state()
    assert float(m.result()) == 0.0
    assert m.get_config() == {"name": "accuracy", "dtype": "float32"}
    assert float(keras.metrics.Accuracy()([1, 2], [1, 1])) == 0.5


def test_mean():
    m = keras.metrics.Mean()
    m.update_state([1.0, 3.0, 5.0, 7.0])
    assert float(m.result()) == 4.0
    m.update_state(np.array([[2.0, 4.0]]), sample_weight=[2.0])
    np.testing.assert_allclose(float(m.result()), (16 + 6) / 6)


def test_metrics_in_layers_are_tracked():
    class WithMetric(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.acc = keras.metrics.Accuracy()

        def call(self, x):
            return x

    layer = WithMetric()
    assert layer.metrics == [layer.acc] and len(layer.metrics_variables) == 2
    assert layer.weights == []
