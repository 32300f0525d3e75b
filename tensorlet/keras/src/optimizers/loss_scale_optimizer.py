"""``keras.optimizers.LossScaleOptimizer``: dynamic loss scaling around another optimizer."""

from tensorlet.framework.export import keras_export
from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.keras.src import backend, initializers
from tensorlet.keras.src.optimizers import _ops as ops
from tensorlet.keras.src.optimizers.optimizer import Optimizer
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import (
    array_ops,
    comparison_ops,
    control_flow_ops,
    reduction_ops,
    unary_math_ops,
)

_BASE_DEFAULTS = {
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


@keras_export(["keras.optimizers.LossScaleOptimizer", "keras.mixed_precision.LossScaleOptimizer"])
class LossScaleOptimizer(Optimizer):
    """Wraps ``inner_optimizer``: losses are multiplied by a dynamic scale (``scale_loss``)
    and gradients divided by it.  Finite gradients are applied by the inner optimizer and,
    after ``dynamic_growth_steps`` such steps in a row, the scale doubles; non-finite gradients
    are skipped and halve the scale.

    Args:
        inner_optimizer: the ``keras.optimizers.Optimizer`` to wrap.
        initial_scale: the starting scale (``2**15``).
        dynamic_growth_steps: finite steps before the scale doubles (2000).
        name: the name.
    """

    def __init__(
        self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000, name=None, **kwargs
    ):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. "
                "Instead, simply set `loss_scale_factor` directly on the "
                "`inner_optimizer`."
            )
        for arg_name, default_value in _BASE_DEFAULTS.items():
            if arg_name not in kwargs:
                continue
            arg_value = kwargs.pop(arg_name)
            if (default_value is None and arg_value is not None) or arg_value != default_value:
                raise ValueError(
                    f"LossScaleOptimizer does not support `{arg_name}`. "
                    f"Instead, set `{arg_name}` on the `inner_optimizer`."
                )
        if kwargs:
            raise ValueError(
                f"LossScaleOptimizer does not support arguments: `{'`, `'.join(kwargs.keys())}`."
            )
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        # the inner optimizer must not scale again
        self.inner_optimizer.loss_scale_factor = None

    def build(self, var_list):
        self.__dict__["step_counter"] = self.add_variable(
            shape=(),
            dtype="int",
            initializer=initializers.Zeros(),
            aggregation="none",
            name="step_counter",
        )
        self.__dict__["dynamic_scale"] = self.add_variable(
            shape=(),
            dtype="float32",
            initializer=initializers.Constant(self.initial_scale),
            aggregation="none",
            name="dynamic_scale",
        )
        self.inner_optimizer.build(var_list)
        super().build(var_list)

    @property
    def variables(self):
        return self._variables + self.inner_optimizer.variables

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        raise ValueError(
            "stateless_apply is not supported with the TensorFlow backend "
            "(as it is incompatible with tf.distribute)."
        )

    def apply(self, grads, trainable_variables=None):
        if not self.built:
            with backend.init_scope(), backend.name_scope(self.name, caller=self):
                self.build(trainable_variables)
            self.built = True
        finite = self.check_finite(grads)
        control_flow_ops.cond(
            finite,
            lambda: self._stateful_handle_finite_grads(grads, trainable_variables),
            self._stateful_handle_non_finite_grads,
        )

    def _stateful_handle_finite_grads(self, grads, trainable_variables):
        scale = self.dynamic_scale
        tvs = trainable_variables or self._trainable_variables
        unscaled = [
            g if g is None or self._overwrite_variable_with_gradient(v) else ops.divide(g, scale)
            for g, v in zip(grads, tvs)
        ]
        self.inner_optimizer.apply(unscaled, trainable_variables=trainable_variables)

        def upscale():
            self.step_counter.assign(0)
            self.dynamic_scale.assign(self.dynamic_scale._read() * 2.0)

        def increment():
            self.step_counter.assign_add(1)

        control_flow_ops.cond(
            comparison_ops.equal(self.step_counter._read(), self.dynamic_growth_steps - 1),
            upscale,
            increment,
        )

    def _stateful_handle_non_finite_grads(self):
        self.step_counter.assign(0)
        self.dynamic_scale.assign(self.dynamic_scale._read() * 0.5)

    def check_finite(self, grads):
        finite = [
            reduction_ops.reduce_all(
                unary_math_ops.is_finite(g.values if isinstance(g, IndexedSlices) else ops._read(g))
            )
            for g in grads
            if g is not None
        ]
        return reduction_ops.reduce_all(array_ops.stack(finite))

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self.inner_optimizer.learning_rate = learning_rate

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        scale = self.dynamic_scale if self.built else self.initial_scale
        return ops.multiply(loss, scale)

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        return {
            "name": self.name,
            "inner_optimizer": serialization_lib.serialize_keras_object(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        inner_optimizer = serialization_lib.deserialize_keras_object(
            config.pop("inner_optimizer"), custom_objects=custom_objects
        )
        return cls(inner_optimizer, **config)
