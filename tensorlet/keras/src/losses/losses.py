"""Built-in losses: functions (per-sample values) and their ``Loss`` classes."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.losses.loss import Loss, squeeze_or_expand_to_same_rank
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import reduction_ops, unary_math_ops


class LossFunctionWrapper(Loss):
    """A ``Loss`` computing ``fn(y_true, y_pred, **kwargs)`` per sample."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"fn": serialization_lib.serialize_keras_object(self.fn)})
        config.update(serialization_lib.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        if "fn" in config:
            config = dict(config, fn=serialization_lib.deserialize_keras_object(config["fn"]))
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


@keras_export("keras.losses.MeanSquaredError")
class MeanSquaredError(LossFunctionWrapper):
    """Mean of squares of errors: ``loss = mean(square(y_true - y_pred), axis=-1)``, reduced.

    Args:
        reduction: see ``keras.losses.Loss`` (default ``'sum_over_batch_size'``).
        name: default ``'mean_squared_error'``.
        dtype: the computation dtype.

    Example:
        >>> float(keras.losses.MeanSquaredError()([[0., 1.]], [[1., 1.]]))
        0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)

    @classmethod
    def from_config(cls, config):
        return Loss.from_config.__func__(cls, config)


@keras_export(
    "keras.losses.mean_squared_error",
    "keras.metrics.mean_squared_error",
    "keras.losses.mse",
    "keras.losses.MSE",
    "keras.metrics.mse",
    "keras.metrics.MSE",
)
def mean_squared_error(y_true, y_pred):
    """``mean(square(y_true - y_pred), axis=-1)``: one loss per sample (no reduction).

    Example:
        >>> keras.losses.mean_squared_error([[0., 1.]], [[1., 1.]]).numpy()
        array([0.5], dtype=float32)
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, dtype=y_pred.dtype.name)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return reduction_ops.reduce_mean(unary_math_ops.square(y_true - y_pred), axis=-1)
