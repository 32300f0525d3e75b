"""Hinge metrics: the means of the hinge losses."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.losses.hinge_losses import categorical_hinge, hinge, squared_hinge
from tensorlet.keras.src.metrics.reduction_metrics import MeanMetricWrapper


class _HingeMean(MeanMetricWrapper):
    def __init__(self, fn, name, dtype):
        super().__init__(fn=fn, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras_export("keras.metrics.Hinge")
class Hinge(_HingeMean):
    """The mean of ``mean(maximum(1 - y_true * y_pred, 0), axis=-1)`` (0/1 labels -> -1/1).

    Example:
        >>> m = keras.metrics.Hinge()
        >>> m.update_state([[0., 1.], [0., 0.]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        1.3
    """

    def __init__(self, name="hinge", dtype=None):
        super().__init__(hinge, name, dtype)


@keras_export("keras.metrics.SquaredHinge")
class SquaredHinge(_HingeMean):
    """The mean of ``mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)``."""

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name, dtype)


@keras_export("keras.metrics.CategoricalHinge")
class CategoricalHinge(_HingeMean):
    """The mean of ``maximum(neg - pos + 1, 0)`` (see ``keras.losses.categorical_hinge``)."""

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name, dtype)
