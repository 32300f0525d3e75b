"""``keras.metrics.Metric``: stateful metrics (``update_state`` / ``result`` / ``reset_state``)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend, dtype_policies, initializers
from tensorlet.keras.src.utils.naming import auto_name
from tensorlet.ops import array_creation_ops


@keras_export("keras.Metric", "keras.metrics.Metric")
class Metric:
    """Base class: state variables made with ``add_variable``, updated by ``update_state``.

    Args:
        dtype: the dtype of the metric's computations (default ``floatx()``).
        name: the metric name.
    """

    _is_keras_metric = True

    def __init__(self, dtype=None, name=None):
        self.name = name or auto_name(self.__class__.__name__)
        self._dtype_policy = dtype_policies.get(dtype or backend.floatx())
        self._dtype = self._dtype_policy.compute_dtype
        self._variables = []
        self._metrics = []

    @property
    def dtype(self):
        return self._dtype

    def reset_state(self):
        """Sets every state variable back to zero."""
        for v in self.variables:
            v.assign(array_creation_ops.zeros(v.shape, dtype=v.dtype))

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """A non-trainable state variable (path ``'<metric name>/<name>'``)."""
        self._check_super_called()
        with backend.name_scope(self.name.replace("/", ">"), caller=self):
            variable = backend.Variable(
                initializer=initializers.get(initializer),
                shape=shape,
                dtype=dtype,
                trainable=False,
                aggregation=aggregation,
                synchronization="on_read",
                name=name,
            )
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    @property
    def variables(self):
        out = list(self._variables)
        for m in self._metrics:
            out.extend(m._variables)
        return out

    def __call__(self, *args, **kwargs):
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    def __setattr__(self, name, value):
        # metrics held as attributes contribute their variables (Keras' Tracker)
        if (
            isinstance(value, Metric)
            and "_metrics" in self.__dict__
            and not any(m is value for m in self._metrics)
        ):
            self._metrics.append(value)
        super().__setattr__(name, value)

    def _check_super_called(self):
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                "You forgot to call `super().__init__()` in the `__init__()` method. Go add it!"
            )

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}>"

    __str__ = __repr__
