"""Probabilistic metrics: the means of the crossentropy, KL-divergence and Poisson losses."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.losses.probabilistic_losses import (
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from tensorlet.keras.src.metrics.reduction_metrics import MeanMetricWrapper


class _LossMean(MeanMetricWrapper):
    """The mean of a loss function; config ``name``, ``dtype`` and the options ``_options``."""

    _options = ()

    def __init__(self, fn, name, dtype, **options):
        super().__init__(fn, name, dtype=dtype, **options)
        for key in self._options:
            setattr(self, key, options[key])
        self._direction = "down"

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype}
        config.update({key: getattr(self, key) for key in self._options})
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras_export("keras.metrics.KLDivergence")
class KLDivergence(_LossMean):
    """The mean of ``sum(y_true * log(y_true / y_pred), axis=-1)``.

    Example:
        >>> m = keras.metrics.KLDivergence()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        0.4581
    """

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name, dtype)


@keras_export("keras.metrics.Poisson")
class Poisson(_LossMean):
    """The mean of ``mean(y_pred - y_true * log(y_pred), axis=-1)``."""

    def __init__(self, name="poisson", dtype=None):
        super().__init__(poisson, name, dtype)


@keras_export("keras.metrics.BinaryCrossentropy")
class BinaryCrossentropy(_LossMean):
    """The mean binary crossentropy.

    Args:
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in [0, 1]; labels move towards 0.5.

    Example:
        >>> m = keras.metrics.BinaryCrossentropy()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        0.8149
    """

    _options = ("from_logits", "label_smoothing")

    def __init__(
        self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0
    ):
        super().__init__(
            binary_crossentropy,
            name,
            dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )


@keras_export("keras.metrics.CategoricalCrossentropy")
class CategoricalCrossentropy(_LossMean):
    """The mean categorical crossentropy of one-hot labels.

    Args:
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in [0, 1]; labels move towards uniform.
        axis: the class axis (default -1).
    """

    _options = ("from_logits", "label_smoothing", "axis")

    def __init__(
        self,
        name="categorical_crossentropy",
        dtype=None,
        from_logits=False,
        label_smoothing=0,
        axis=-1,
    ):
        super().__init__(
            categorical_crossentropy,
            name,
            dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


@keras_export("keras.metrics.SparseCategoricalCrossentropy")
class SparseCategoricalCrossentropy(_LossMean):
    """The mean crossentropy of integer labels.

    Args:
        from_logits: whether ``y_pred`` holds logits.
        axis: the class axis (default -1).
    """

    _options = ("from_logits", "axis")

    def __init__(
        self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, axis=-1
    ):
        super().__init__(
            sparse_categorical_crossentropy, name, dtype, from_logits=from_logits, axis=axis
        )
