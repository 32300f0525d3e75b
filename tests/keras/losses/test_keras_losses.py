"""keras.losses: mean_squared_error and MeanSquaredError with reductions and sample weights."""

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras
Y_TRUE = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 0.0]], np.float32)
Y_PRED = np.array([[0.5, 1.0], [0.0, 2.0], [2.0, 1.0]], np.float32)
PER_SAMPLE = ((Y_TRUE - Y_PRED) ** 2).mean(-1)


def test_function_and_aliases():
    np.testing.assert_allclose(keras.losses.mean_squared_error(Y_TRUE, Y_PRED).numpy(), PER_SAMPLE)
    assert keras.losses.mse is keras.losses.MSE is keras.losses.mean_squared_error
    assert keras.metrics.mean_squared_error is keras.losses.mean_squared_error
    # (batch,) vs (batch, 1): the labels are expanded
    out = keras.losses.mse(tf.constant([1.0, 2.0]), tf.constant([[1.0], [0.0]]))
    np.testing.assert_allclose(out.numpy(), [0.0, 4.0])


@pytest.mark.parametrize(
    "reduction,want",
    [
        ("sum_over_batch_size", PER_SAMPLE.mean()),
        ("mean", PER_SAMPLE.mean()),
        ("sum", PER_SAMPLE.sum()),
        ("none", PER_SAMPLE),
        (None, PER_SAMPLE),
        ("mean_with_sample_weight", PER_SAMPLE.mean()),
    ],
)
def test_reductions(reduction, want):
    got = keras.losses.MeanSquaredError(reduction=reduction)(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-6)


def test_sample_weight():
    sw = np.array([1.0, 0.0, 2.0], np.float32)
    loss = keras.losses.MeanSquaredError()
    np.testing.assert_allclose(
        float(loss(Y_TRUE, Y_PRED, sample_weight=sw)), (PER_SAMPLE * sw).sum() / 3, rtol=1e-6
    )
    wmean = keras.losses.MeanSquaredError(reduction="mean_with_sample_weight")
    np.testing.assert_allclose(
        float(wmean(Y_TRUE, Y_PRED, sample_weight=sw)),
        (PER_SAMPLE * sw).sum() / sw.sum(),
        rtol=1e-6,
    )
    assert float(loss(Y_TRUE, Y_PRED, sample_weight=np.zeros(3, np.float32))) == 0.0


def test_repr_config_and_errors():
    loss = keras.losses.MeanSquaredError()
    assert repr(loss).startswith("<LossFunctionWrapper(<function mean_squared_error at 0x")
    assert repr(loss).endswith(", kwargs={})>")
    assert loss.get_config() == {"name": "mean_squared_error", "reduction": "sum_over_batch_size"}
    assert (
        keras.losses.MeanSquaredError.from_config(loss.get_config()).reduction
        == "sum_over_batch_size"
    )
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        keras.losses.MeanSquaredError(reduction="avg")
    assert keras.losses.get("mse") is keras.losses.mean_squared_error
    assert float(keras.losses.MeanSquaredError()([[1, 2]], [[1.0, 3.0]])) == 0.5  # int labels
