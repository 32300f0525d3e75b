"""Reducing metrics: ``Sum``, ``Mean`` and ``MeanMetricWrapper`` (the mean of a per-sample
function such as a loss)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend, losses
from tensorlet.keras.src.losses import loss as loss_module
from tensorlet.keras.src.metrics.metric import Metric
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_ops, cast_ops, math_ops, reduction_ops


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weights ``values`` and reduces them to one value per sample (Keras' rule): values are
    first reduced to the weights' rank, the weights broadcast and multiplied in, then both are
    reduced to rank 1."""
    dtype = dtype or backend.floatx()
    mask = loss_module.get_keras_mask(values)
    values = cast_ops.cast(backend.convert_to_tensor(values), dtype)
    if sample_weight is not None:
        sample_weight = backend.convert_to_tensor(sample_weight, dtype=dtype)
        if mask is not None:
            sample_weight = loss_module.apply_mask(sample_weight, mask, dtype, reduction="sum")
        values, sample_weight = loss_module.squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim, values_ndim = sample_weight.shape.rank, values.shape.rank
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=list(range(weight_ndim, values_ndim)))
        # broadcasting the weights does not change the product but the weight sum below
        sample_weight = array_ops.broadcast_to(sample_weight, array_ops.shape(values))
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=list(range(1, weight_ndim)))
    if values.shape.rank > 1:
        values = reduce_fn(values, axis=list(range(1, values.shape.rank)))
    return values, sample_weight


@keras_export("keras.metrics.Sum")
class Sum(Metric):
    """The (weighted) sum of the values seen (one variable, ``total``).

    Example:
        >>> m = keras.metrics.Sum()
        >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
        >>> float(m.result())
        4.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(
            values, sample_weight, reduce_fn=reduction_ops.reduce_sum, dtype=self.dtype
        )
        self.total.assign_add(reduction_ops.reduce_sum(values))

    def reset_state(self):
        self.total.assign(0)

    def result(self):
        return backend.cast(self.total._read(), self.dtype)


@keras_export("keras.metrics.Mean")
class Mean(Metric):
    """The (weighted) mean of the values seen: ``total / count``.

    Example:
        >>> m = keras.metrics.Mean()
        >>> m.update_state([1, 3, 5, 7])
        >>> float(m.result())
        4.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )
        self.count = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="count"
        )

    def update_state(self, values, sample_weight=None):
        if (
            isinstance(sample_weight, (int, float))
            and not isinstance(sample_weight, bool)
            and getattr(values, "shape", None) is not None
            and len(values.shape) == 0
        ):  # a scalar with a scalar weight: no broadcasting needed
            values = backend.cast(values, self.dtype)
            self.total.assign_add(values * sample_weight)
            self.count.assign_add(sample_weight)
            return
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, reduce_fn=reduction_ops.reduce_mean, dtype=self.dtype
        )
        self.total.assign_add(reduction_ops.reduce_sum(values))
        if sample_weight is not None:
            num_samples = reduction_ops.reduce_sum(sample_weight)
        elif values.shape.rank >= 1:
            num_samples = array_ops.shape(values)[0]
        else:
            num_samples = 1
        self.count.assign_add(backend.cast(num_samples, self.dtype))

    def reset_state(self):
        self.total.assign(0)
        self.count.assign(0)

    def result(self):
        return math_ops.divide_no_nan(
            self.total._read(), backend.cast(self.count._read(), self.dtype)
        )


@keras_export("keras.metrics.MeanMetricWrapper")
class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred, **kwargs)`` over all samples seen.

    Args:
        fn: the per-sample function ``fn(y_true, y_pred, **kwargs)``.
        name: the metric name.
        dtype: the dtype of the result.
        **kwargs: passed on to ``fn``.

    Example:
        >>> m = keras.metrics.MeanMetricWrapper(fn=keras.losses.mean_absolute_error)
        >>> m.update_state([[0.0, 2.0]], [[1.0, 1.0]])
        >>> float(m.result())
        1.0
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        # wrapping a Keras loss: the metric is minimized
        if fn in losses.ALL_OBJECTS or type(fn) in losses.ALL_OBJECTS:
            self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = loss_module.get_keras_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        sample_weight = loss_module.apply_mask(sample_weight, mask, self.dtype, reduction="sum")
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = {**super().get_config(), "fn": serialization_lib.serialize_keras_object(self._fn)}
        config.update(serialization_lib.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        if "fn" in config:
            config = dict(config, fn=serialization_lib.deserialize_keras_object(config["fn"]))
        return cls(**config)
