"""``keras.optimizers.Optimizer``: the base class (Keras 3's BaseOptimizer + TF backend).

An optimizer owns ``iterations`` (int64) and ``learning_rate`` (a float32 variable, or a
schedule evaluated at ``iterations`` before the step), and per-variable slots created by
``build`` from the first ``apply_gradients`` call (paths ``'<name>/<var path>_<slot>'``). Each
step: unscale by ``loss_scale_factor``, clip, apply weight decay, ``update_step`` per variable,
update EMA averages, then ``iterations += 1``.
"""

import re
import warnings

from tensorlet.framework.export import keras_export
from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.keras.src import backend, initializers
from tensorlet.keras.src.optimizers.schedules import learning_rate_schedule
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.keras.src.utils.naming import auto_name, keras_object_repr
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    clip_ops,
    comparison_ops,
    control_flow_ops,
    math_ops,
    reduction_ops,
    unary_math_ops,
)


@keras_export("keras.optimizers.Optimizer", "keras.Optimizer")
class Optimizer:
    """Base class of optimizers: subclasses implement ``build`` and ``update_step``.

    Args:
        learning_rate: a float, a ``LearningRateSchedule`` or a callable returning the rate.
        weight_decay: decoupled weight decay (``var -= var * weight_decay * lr``), or None.
        clipnorm / clipvalue / global_clipnorm: gradient clipping (at most one).
        use_ema, ema_momentum, ema_overwrite_frequency: exponential moving average of weights.
        loss_scale_factor: gradients are divided by it before the update.
        gradient_accumulation_steps: update every N steps with the mean gradient.
        name: the name (default: the snake-cased class name, made unique).
    """

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.")
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        self.name = name if name is not None else auto_name(self.__class__.__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        _validate(
            gradient_accumulation_steps,
            use_ema,
            ema_momentum,
            ema_overwrite_frequency,
            clipnorm,
            clipvalue,
            global_clipnorm,
        )
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        with backend.name_scope(self.name, caller=self):
            self._iterations = backend.Variable(
                0, name="iteration", dtype="int", trainable=False, aggregation="only_first_replica"
            )
        self._variables.append(self._iterations)
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or callable(
            learning_rate
        ):
            self._learning_rate = learning_rate
        else:
            if not isinstance(learning_rate, float):
                raise ValueError(  # noqa: TRY004 (Keras' class)
                    "Argument `learning_rate` should be float, or an instance of "
                    "LearningRateSchedule, or a callable (that takes in the current "
                    "iteration value and returns the corresponding learning rate "
                    f"value). Received instead: learning_rate={learning_rate}"
                )
            with backend.name_scope(self.name, caller=self):
                self._learning_rate = backend.Variable(
                    learning_rate,
                    name="learning_rate",
                    dtype=backend.floatx(),
                    trainable=False,
                    aggregation="only_first_replica",
                )
            self._variables.append(self._learning_rate)

    # ---------------------------------------------------------------- state
    @property
    def iterations(self):
        if self.gradient_accumulation_steps:
            return math_ops.floordiv(self._iterations, self.gradient_accumulation_steps)
        return self._iterations

    @property
    def variables(self):
        return self._variables[:]

    def build(self, variables):
        """Creates the slots of ``variables`` (EMA averages, gradient accumulators here)."""
        if self.use_ema:
            self._model_variables_moving_average = []
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = []
        for i, variable in enumerate(variables):
            self._trainable_variables_indices[self._var_key(variable)] = i
            if self.use_ema:
                self._model_variables_moving_average.append(
                    self.add_variable_from_reference(variable, name="average")
                )
            if self.gradient_accumulation_steps:
                self._accumulated_gradients.append(
                    self.add_variable_from_reference(variable, name="gradient_accumulator")
                )
        self._trainable_variables = variables[:]
        self.built = True

    def _var_key(self, variable):
        return id(variable)

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[self._var_key(variable)]

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="mean", name=None):
        """A non-trainable slot variable under this optimizer's name scope."""
        initializer = initializers.get(initializer)
        with backend.name_scope(self.name, caller=self):
            variable = backend.Variable(
                initializer=initializer,
                shape=shape,
                dtype=dtype,
                trainable=False,
                aggregation=aggregation,
                name=name,
            )
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A zeros slot shaped like ``reference_variable``, named ``'<its path>_<name>'``."""
        name = name or "var"
        if hasattr(reference_variable, "path"):
            name = reference_variable.path.replace("/", "_") + "_" + name
        else:
            name = str(reference_variable.name).replace("/", "_").replace(":", "_") + "_" + name
        return self.add_variable(
            shape=tuple(reference_variable.shape.as_list())
            if hasattr(reference_variable.shape, "as_list")
            else reference_variable.shape,
            initializer=initializer,
            dtype=_dtype_name(reference_variable),
            name=name,
        )

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """Slots for every variable: one list per name (slots of one variable are adjacent)."""
        names = [name] if isinstance(name, str) else list(name)
        inits = [initializer] * len(names) if isinstance(initializer, str) else list(initializer)
        out = tuple([] for _ in names)
        for variable in trainable_variables:
            overwrite = getattr(variable, "overwrite_with_gradient", False)
            for i, (n, init) in enumerate(zip(names, inits)):
                out[i].append(
                    None
                    if overwrite
                    else self.add_variable_from_reference(variable, name=n, initializer=init)
                )
        return out[0] if isinstance(name, str) else out

    def _check_variables_are_known(self, variables):
        for v in variables:
            if self._var_key(v) not in self._trainable_variables_indices:
                raise ValueError(
                    f"Unknown variable: {v}. This optimizer can only be called for "
                    "the variables it was originally built with. When working with "
                    "a new set of variables, you should recreate a new optimizer "
                    "instance."
                )

    # ---------------------------------------------------------------- variable updates
    def assign(self, variable, value):
        if isinstance(value, IndexedSlices):
            _tf_variable(variable).scatter_update(value)
        else:
            variable.assign(value)

    def assign_add(self, variable, value):
        if isinstance(value, IndexedSlices):
            _tf_variable(variable).scatter_add(value)
        else:
            variable.assign_add(value)

    def assign_sub(self, variable, value):
        if isinstance(value, IndexedSlices):
            _tf_variable(variable).scatter_sub(value)
        else:
            variable.assign_sub(value)

    def update_step(self, gradient, variable, learning_rate):
        raise NotImplementedError

    # ---------------------------------------------------------------- applying
    def apply_gradients(self, grads_and_vars):
        """Applies ``[(gradient, variable), ...]``; returns ``iterations``."""
        grads, trainable_variables = zip(*grads_and_vars)
        self.apply(grads, trainable_variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Updates ``trainable_variables`` with ``grads`` (building the slots on first use)."""
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must "
                    "already be built on a list of variables. Call "
                    "`optimizer.build(trainable_variables)` first. "
                )
            if len(grads) != len(self._trainable_variables_indices):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the "
                    "gradients must match `optimizer.variables` one-to-on. Received "
                    f"a list of {len(grads)} gradients, but the optimizer is "
                    f"tracking {len(self._trainable_variables)} trainable variables."
                )
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                with backend.init_scope(), backend.name_scope(self.name, caller=self):
                    self.build(trainable_variables)
                self.built = True
            self._check_variables_are_known(trainable_variables)
        with backend.name_scope(self.name, caller=self):
            grads, trainable_variables = self._overwrite_variables_directly_with_gradients(
                grads, trainable_variables
            )
            grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
            if not grads:
                return
            if self.loss_scale_factor is not None:
                grads = [g / self.loss_scale_factor for g in grads]
            self._backend_apply_gradients(grads, trainable_variables)
            for variable in trainable_variables:
                if getattr(variable, "constraint", None) is not None:
                    variable.assign(variable.constraint(variable))

    def _backend_apply_gradients(self, grads, trainable_variables):
        if self.gradient_accumulation_steps:
            self._apply_accumulated(grads, trainable_variables)
        else:
            grads = self._clip_gradients(grads)
            self._apply_weight_decay(trainable_variables)
            self._backend_update_step(grads, trainable_variables, self.learning_rate)
        if self.use_ema:
            self._update_model_variables_moving_average(self._trainable_variables)
            if self.ema_overwrite_frequency:
                should = comparison_ops.equal(
                    math_ops.floormod(self.iterations + 1, self.ema_overwrite_frequency), 0
                )
                control_flow_ops.cond(
                    should,
                    lambda: self._overwrite_model_variables_with_average_value(
                        self._trainable_variables
                    ),
                    lambda: None,
                )
        self._iterations.assign_add(1)

    def _apply_accumulated(self, grads, trainable_variables):
        steps = self.gradient_accumulation_steps
        is_update_step = comparison_ops.equal(math_ops.floormod(self._iterations + 1, steps), 0)
        acc_grads = [
            self._accumulated_gradients[self._get_variable_index(v)] for v in trainable_variables
        ]

        def update():
            new_grads = [(g + acc) / steps for g, acc in zip(grads, acc_grads)]
            new_grads = self._clip_gradients(new_grads)
            self._apply_weight_decay(trainable_variables)
            self._backend_update_step(new_grads, trainable_variables, self.learning_rate)
            for acc in self._accumulated_gradients:
                acc.assign(array_creation_ops.zeros(acc.shape, dtype=acc.dtype))

        def accumulate():
            for g, acc in zip(grads, acc_grads):
                acc.assign(g + acc)

        control_flow_ops.cond(is_update_step, update, accumulate)

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        for grad, var in zip(grads, trainable_variables):
            self.update_step(grad, var, learning_rate)

    def _overwrite_variables_directly_with_gradients(self, grads, variables):
        grads, variables = list(grads), list(variables)
        if not variables or not hasattr(variables[0], "overwrite_with_gradient"):
            return grads, variables
        for i in range(len(grads) - 1, -1, -1):
            if variables[i].overwrite_with_gradient:
                variables[i].assign(grads[i])
                grads.pop(i)
                variables.pop(i)
        return grads, variables

    def _filter_empty_gradients(self, grads, variables):
        grads, variables = list(grads), list(variables)
        missing = []
        for i in range(len(grads) - 1, -1, -1):
            if grads[i] is None:
                grads.pop(i)
                missing.append(variables.pop(i).name)
        if not grads:
            raise ValueError("No gradients provided for any variable.")
        if missing:
            warnings.warn(
                f"Gradients do not exist for variables {list(reversed(missing))} when "
                "minimizing the loss. If using `model.compile()`, did you forget to "
                "provide a `loss` argument?"
            )
        return [_dense(g) for g in grads], variables

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            return [clip_ops.clip_by_norm(g, self.clipnorm) if g is not None else g for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            v = self.clipvalue
            return [clip_ops.clip_by_value(g, -v, v) if g is not None else g for g in grads]
        return grads

    # ---------------------------------------------------------------- weight decay / EMA
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Variables (or names matching any of ``var_names``) that weight decay skips."""
        if self.built:
            raise ValueError(
                "`exclude_from_weight_decay()` can only be configued before the optimizer is built."
            )
        self._exclude_from_weight_decay = {self._var_key(v) for v in var_list or ()}
        self._exclude_from_weight_decay_pattern = (
            re.compile("|".join(set(var_names))) if var_names else None
        )

    def _use_weight_decay(self, variable):
        if self._var_key(variable) in getattr(self, "_exclude_from_weight_decay", ()):
            return False
        pattern = getattr(self, "_exclude_from_weight_decay_pattern", None)
        return not (pattern is not None and re.search(pattern, variable.name) is not None)

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        for variable in variables:
            if self._use_weight_decay(variable):
                dtype = _dtype_name(variable)
                lr = backend.cast(self.learning_rate, dtype)
                wd = backend.cast(self.weight_decay, dtype)
                variable.assign_sub(_read(variable) * wd * lr)

    def _update_model_variables_moving_average(self, trainable_variables):
        for var, average in zip(trainable_variables, self._model_variables_moving_average):
            not_first_step = comparison_ops.not_equal(self.iterations, 0)
            momentum = backend.cast(not_first_step, _dtype_name(var)) * self.ema_momentum
            average.assign(momentum * _read(average) + (1 - momentum) * _read(var))

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        for var, average in zip(trainable_variables, self._model_variables_moving_average):
            var.assign(_read(average))

    def finalize_variable_values(self, var_list):
        """With EMA, sets the model variables to their moving averages."""
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(var_list)

    # ---------------------------------------------------------------- learning rate
    @property
    def learning_rate(self):
        return self._get_current_learning_rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or callable(
            learning_rate
        ):
            if getattr(self._learning_rate, "_is_keras_variable", False):
                self._variables.remove(self._learning_rate)
            self._learning_rate = learning_rate
        elif isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as "
                "its `learning_rate` constructor argument, hence its learning rate "
                "is not settable. If you need the learning rate to be settable, you "
                "should instantiate the optimizer with a float `learning_rate` "
                "argument."
            )
        else:
            self._learning_rate.assign(learning_rate)

    def _get_current_learning_rate(self):
        if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
            return self._learning_rate(self._iterations)
        if callable(self._learning_rate) and not getattr(
            self._learning_rate, "_is_keras_variable", False
        ):
            return self._learning_rate()
        return self._learning_rate

    def scale_loss(self, loss):
        """``loss * loss_scale_factor`` (when set)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # ---------------------------------------------------------------- config / weights
    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet "
                "been built. Please call `optimizer.build(trainable_variables)` to "
                "create the optimizer weights before calling `set_weights()`."
            )
        for variable, weight in zip(self._variables, weights):
            variable.assign(weight)

    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, learning_rate_schedule.LearningRateSchedule):
            learning_rate = learning_rate_schedule.serialize(lr)
        elif getattr(lr, "_is_keras_variable", False):
            learning_rate = float(lr.numpy())
        elif hasattr(lr, "numpy"):
            learning_rate = float(lr)
        else:
            learning_rate = serialization_lib.serialize_keras_object(lr)
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = serialization_lib.deserialize_keras_object(
                config["learning_rate"], custom_objects=custom_objects
            )
        return cls(**config)

    def __repr__(self):
        return keras_object_repr(self)


def _validate(
    accumulation,
    use_ema,
    ema_momentum,
    ema_overwrite_frequency,
    clipnorm,
    clipvalue,
    global_clipnorm,
):
    if accumulation and not accumulation >= 2:
        raise ValueError(
            "`gradient_accumulation_steps` must be an integer >= 2. Received: "
            f"gradient_accumulation_steps={accumulation}"
        )
    if use_ema:
        if ema_momentum > 1 or ema_momentum < 0:
            raise ValueError(
                f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}"
            )
        if ema_overwrite_frequency and (
            not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
        ):
            raise ValueError(
                "`ema_overwrite_frequency` must be an integer >= 1 or None. "
                f"Received: ema_overwrite_frequency={ema_overwrite_frequency}"
            )
    if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise ValueError(
            "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
            f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
            f"global_clipnorm={global_clipnorm}"
        )


def _dtype_name(variable):
    d = variable.dtype
    return d if isinstance(d, str) else d.name


def _read(variable):
    """A tensor of a Keras or TF variable's value."""
    return variable.value() if callable(getattr(variable, "value", None)) else variable.value


def _tf_variable(variable):
    return variable.value if getattr(variable, "_is_keras_variable", False) else variable


def _dense(g):
    return backend.convert_to_tensor(g) if isinstance(g, IndexedSlices) else g


def global_norm(value_list):
    squared = [
        reduction_ops.reduce_sum(unary_math_ops.square(v)) for v in value_list if v is not None
    ]
    return unary_math_ops.sqrt(reduction_ops.reduce_sum(array_ops.stack(squared)))


def clip_by_global_norm(value_list, clip_norm):
    """Keras' global-norm clipping (NaN scale when the norm is not finite)."""
    use_norm = global_norm(value_list)
    scale_for_finite = clip_norm * math_ops.minimum(1.0 / use_norm, 1.0 / clip_norm)
    scale = scale_for_finite + (use_norm - use_norm)
    return [v * scale if v is not None else v for v in value_list]


base_optimizer_keyword_args = """name: the optimizer name.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps: see Optimizer."""
