"""``keras.optimizers.Optimizer``: the base class (Keras 3's BaseOptimizer + its TF backend).

An optimizer owns ``iterations`` (int64) and ``learning_rate`` (a float32 variable, or a
schedule evaluated at ``iterations`` before the step, or a callable), and per-variable slots
created by ``build`` on the first ``apply_gradients`` call (paths ``'<name>/<var path>_<slot>'``).
Each ``apply``: drop ``None`` gradients, overwrite ``overwrite_with_gradient`` variables, unscale
by ``loss_scale_factor``, then (every step, or every ``gradient_accumulation_steps`` with the
mean gradient) clip, apply weight decay and ``update_step`` per variable, update the EMA
averages, apply constraints, and finally ``iterations += 1``.

Every update is a variable assign op (``assign`` / ``assign_add`` / ``assign_sub``, scatters
for ``IndexedSlices``) and data-dependent branches are ``tf.cond``s, so a step runs eagerly and
inside ``tf.function`` alike.  Sparse gradients follow the TF backend's rules (``_ops``).
"""

import re
import warnings

from tensorlet.framework.export import keras_export
from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.keras.src import backend, initializers
from tensorlet.keras.src.optimizers import _ops
from tensorlet.keras.src.optimizers.schedules import learning_rate_schedule
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.keras.src.utils import tracking
from tensorlet.keras.src.utils.naming import auto_name, keras_object_repr
from tensorlet.ops import (
    array_ops,
    clip_ops,
    comparison_ops,
    control_flow_ops,
    math_ops,
    reduction_ops,
)


def _is_keras_variable(x):
    return getattr(x, "_is_keras_variable", False)


class _TrackedList(tracking.TrackedList):
    """A list attribute of an optimizer: Keras variables added to it join ``variables``."""

    __slots__ = ("_owner",)

    def __init__(self, values, owner):
        self._owner = owner
        super().__init__(values)
        for v in self:
            owner._track_value(v)

    def append(self, value):
        self._owner._track_value(value)
        super().append(value)

    def insert(self, index, value):
        self._owner._track_value(value)
        super().insert(index, value)

    def extend(self, values):
        values = list(values)
        for v in values:
            self._owner._track_value(v)
        super().extend(values)


class _TrackedDict(tracking.TrackedDict):
    """A dict attribute of an optimizer: Keras variables stored in it join ``variables``."""

    __slots__ = ("_owner",)

    def __init__(self, values, owner):
        self._owner = owner
        super().__init__(values)
        for v in self.values():
            owner._track_value(v)

    def __setitem__(self, key, value):
        self._owner._track_value(value)
        super().__setitem__(key, value)

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]


@keras_export(["keras.Optimizer", "keras.optimizers.Optimizer"])
class Optimizer:
    """Base class of optimizers: subclasses implement ``build``, ``update_step``, ``get_config``.

    Args:
        learning_rate: a float, a ``LearningRateSchedule`` or a callable returning the rate.
        weight_decay: decoupled weight decay (``var -= var * weight_decay * lr``), or None.
        clipnorm / clipvalue / global_clipnorm: gradient clipping (at most one).
        use_ema, ema_momentum, ema_overwrite_frequency: exponential moving average of weights.
        loss_scale_factor: gradients are divided by it before the update.
        gradient_accumulation_steps: update every N steps with the mean gradient.
        name: the name (default: the snake-cased class name, made unique).

    Example:
        >>> class PlainSGD(keras.optimizers.Optimizer):
        ...     def update_step(self, gradient, variable, learning_rate):
        ...         self.assign_sub(variable, gradient * learning_rate)
        >>> w = keras.Variable([1.0])
        >>> _ = PlainSGD(learning_rate=0.5).apply_gradients([(tf.constant([1.0]), w)])
        >>> w.numpy()
        array([0.5], dtype=float32)
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
        self._lock = False
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.")
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if name is None:
            name = auto_name(self.__class__.__name__)
        self.name = name
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
        # variable tracking: Keras variables set as attributes (or appended to list
        # attributes) join `variables`, in creation order
        self.__dict__["_variables"] = []
        self.__dict__["_tracked_ids"] = set()
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        with backend.name_scope(self.name, caller=self):
            iterations = backend.Variable(
                0, name="iteration", dtype="int", trainable=False, aggregation="only_first_replica"
            )
        self._track_variable(iterations)
        self._iterations = iterations
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or callable(
            learning_rate
        ):
            self._learning_rate = learning_rate
        else:
            if not isinstance(learning_rate, float):
                raise ValueError(  # noqa: TRY004 (Keras' class)
                    "Argument `learning_rate` should be float, or an instance "
                    "of LearningRateSchedule, or a callable "
                    "(that takes in the current iteration value "
                    "and returns the corresponding learning rate value). "
                    f"Received instead: learning_rate={learning_rate}"
                )
            with backend.name_scope(self.name, caller=self):
                learning_rate = backend.Variable(
                    learning_rate,
                    name="learning_rate",
                    dtype=backend.floatx(),
                    trainable=False,
                    aggregation="only_first_replica",
                )
            self._track_variable(learning_rate)
            self._learning_rate = learning_rate

    # ---------------------------------------------------------------- tracking
    def __setattr__(self, name, value):
        if name != "_lock":
            self._check_super_called()
        if "_tracked_ids" in self.__dict__:
            value = self._track_value(value)
        object.__setattr__(self, name, value)

    def _track_value(self, value):
        if _is_keras_variable(value):
            self._track_variable(value)
        elif type(value) is list:
            return _TrackedList(value, self)
        elif type(value) is dict:
            return _TrackedDict(value, self)
        elif type(value) is tuple:
            for v in value:
                self._track_value(v)
        return value

    def _track_variable(self, variable):
        if id(variable) not in self._tracked_ids:
            self._tracked_ids.add(id(variable))
            self._variables.append(variable)

    def _untrack_variable(self, variable):
        if id(variable) in self._tracked_ids:
            self._tracked_ids.discard(id(variable))
            self._variables[:] = [v for v in self._variables if v is not variable]

    def _check_super_called(self):
        if "_lock" not in self.__dict__:
            raise RuntimeError(
                f"In optimizer '{self.__class__.__name__}', you forgot to call "
                "`super().__init__()` as the first statement "
                "in the `__init__()` method. "
                "Go add it!"
            )

    # ---------------------------------------------------------------- state
    @property
    def iterations(self):
        if self.gradient_accumulation_steps:
            return math_ops.floordiv(self._iterations._read(), self.gradient_accumulation_steps)
        return self._iterations

    @property
    def variables(self):
        return self._variables[:]

    def _overwrite_variable_with_gradient(self, variable):
        return getattr(variable, "overwrite_with_gradient", False)

    def build(self, variables):
        """Creates the base slots of ``variables`` (EMA averages, gradient accumulators)."""
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(
                variables, "average"
            )
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = []
        for i, variable in enumerate(variables):
            self._trainable_variables_indices[self._var_key(variable)] = i
            if self.gradient_accumulation_steps:
                self._accumulated_gradients.append(
                    self.add_variable_from_reference(variable, name="gradient_accumulator")
                )
        # the model's variables: not tracked as optimizer variables
        self.__dict__["_trainable_variables"] = list(variables)
        self.built = True

    def _var_key(self, variable):
        """The backing ``tf.Variable``'s id: a Keras variable and its ``.value`` share it."""
        if _is_keras_variable(variable):
            variable = variable.value
        key = getattr(variable, "_unique_id", None)
        return id(variable) if key is None else key

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[self._var_key(variable)]

    def add_variable(
        self,
        shape,
        initializer="zeros",
        dtype=None,
        aggregation="none",
        layout=None,
        name=None,
    ):
        """A non-trainable optimizer variable under this optimizer's name scope."""
        self._check_super_called()
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
        self._track_variable(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A slot shaped like ``reference_variable``, named ``'<its path>_<name>'``."""
        name = name or "var"
        if hasattr(reference_variable, "path"):
            name = f"{reference_variable.path.replace('/', '_')}_{name}"
        else:
            sanitised = str(reference_variable.name).replace("/", "_").replace(":", "_")
            name = f"{sanitised}_{name}"
        shape = reference_variable.shape
        if hasattr(shape, "as_list"):
            shape = tuple(shape.as_list())
        return self.add_variable(
            shape=shape,
            initializer=initializer,
            dtype=_dtype_name(reference_variable),
            name=name,
        )

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """Slots for every variable: one list per name, the slots of one variable adjacent
        (``None`` for variables with ``overwrite_with_gradient``)."""
        if isinstance(name, str):
            names, inits = [name], [initializer]
        else:
            names = list(name)
            if isinstance(initializer, (str, initializers.Initializer)):
                inits = [initializer] * len(names)
            else:
                inits = list(initializer)
        if len(names) != len(inits):
            raise ValueError(
                "The number of provided names must match the number of "
                f"provided initializers.  Received name='{name}', "
                f"initializer='{initializer}'"
            )
        out = tuple([] for _ in names)
        for variable in trainable_variables:
            if self._overwrite_variable_with_gradient(variable):
                for lst in out:
                    lst.append(None)
                continue
            for lst, n, init in zip(out, names, inits):
                lst.append(self.add_variable_from_reference(variable, name=n, initializer=init))
        return out[0] if isinstance(name, str) else out

    def _check_variables_are_known(self, variables):
        for v in variables:
            if self._var_key(v) not in self._trainable_variables_indices:
                raise ValueError(
                    f"Unknown variable: {v}. This optimizer can only "
                    "be called for the variables it was originally built with. "
                    "When working with a new set of variables, you should "
                    "recreate a new optimizer instance."
                )

    # ---------------------------------------------------------------- variable updates
    def assign(self, variable, value):
        """``variable = value`` (an IndexedSlices value updates its rows only)."""
        variable = _tf_variable(variable)
        value = _ops.cast(value, variable.dtype)
        if isinstance(value, IndexedSlices):
            variable.scatter_update(value)
        else:
            variable.assign(value, read_value=False)

    def assign_add(self, variable, value):
        """``variable += value`` (an IndexedSlices value is scattered, duplicates summed)."""
        variable = _tf_variable(variable)
        value = _ops.cast(value, variable.dtype)
        if isinstance(value, IndexedSlices):
            variable.scatter_add(value)
        else:
            variable.assign_add(value, read_value=False)

    def assign_sub(self, variable, value):
        """``variable -= value`` (an IndexedSlices value is scattered, duplicates summed)."""
        variable = _tf_variable(variable)
        value = _ops.cast(value, variable.dtype)
        if isinstance(value, IndexedSlices):
            variable.scatter_sub(value)
        else:
            variable.assign_sub(value, read_value=False)

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
                    "When passing `grads` without `variables`, the optimizer "
                    "must already be built on a list of variables. "
                    "Call `optimizer.build(trainable_variables)` first. "
                )
            if len(grads) != len(self._trainable_variables_indices):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the "
                    "gradients must match `optimizer.variables` one-to-on. "
                    f"Received a list of {len(grads)} gradients, but the "
                    f"optimizer is tracking {len(self._trainable_variables)} "
                    "trainable variables."
                )
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                # slots are created eagerly (as Keras' TF backend creates variables), also
                # when the first step is traced by tf.function
                with backend.init_scope(), backend.name_scope(self.name, caller=self):
                    self.build(trainable_variables)
                self.built = True
            self._check_variables_are_known(trainable_variables)
        with backend.name_scope(self.name, caller=self):
            grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
            grads, trainable_variables = self._overwrite_variables_directly_with_gradients(
                grads, trainable_variables
            )
            if grads:
                scale = self.loss_scale_factor
                if scale is not None:
                    grads = [g if g is None else _ops.divide(g, scale) for g in grads]
                self._backend_apply_gradients(grads, trainable_variables)
                for variable in trainable_variables:
                    constraint = getattr(variable, "constraint", None)
                    if constraint is not None:
                        variable.assign(constraint(variable))
        self._iterations.assign_add(1)

    def _backend_apply_gradients(self, grads, trainable_variables):
        if self.gradient_accumulation_steps:
            steps = self.gradient_accumulation_steps
            is_update_step = comparison_ops.equal(
                math_ops.floormod(self._iterations._read() + 1, steps), 0
            )
            acc_grads = [
                self._accumulated_gradients[self._get_variable_index(v)]
                for v in trainable_variables
            ]

            def update():
                new_grads = [
                    _ops.divide(_ops.add(g, acc), steps) for g, acc in zip(grads, acc_grads)
                ]
                new_grads = self._clip_gradients(new_grads)
                self._apply_weight_decay(trainable_variables)
                self._backend_update_step(new_grads, trainable_variables, self.learning_rate)
                self._backend_reset_gradient_accumulators()

            control_flow_ops.cond(
                is_update_step,
                update,
                lambda: self._backend_increment_gradient_accumulators(grads, acc_grads),
            )
        else:
            grads = self._clip_gradients(grads)
            self._apply_weight_decay(trainable_variables)
            self._backend_update_step(grads, trainable_variables, self.learning_rate)
        if self.use_ema:
            self._update_model_variables_moving_average(self._trainable_variables)
            if self.ema_overwrite_frequency:
                iterations = _ops._read(self.iterations)
                should = comparison_ops.equal(
                    math_ops.floormod(iterations + 1, self.ema_overwrite_frequency), 0
                )
                control_flow_ops.cond(
                    should,
                    lambda: self._overwrite_model_variables_with_average_value(
                        self._trainable_variables
                    ),
                    lambda: None,
                )

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        for grad, var in zip(grads, trainable_variables):
            self.update_step(grad, var, learning_rate)

    def _backend_reset_gradient_accumulators(self):
        for acc in self._accumulated_gradients:
            if acc is not None:
                acc.assign(array_ops.zeros(acc.shape, dtype=acc.dtype))

    def _backend_increment_gradient_accumulators(self, grads, acc_grads):
        for g, acc in zip(grads, acc_grads):
            _tf_variable(acc).assign(_ops.add(acc, g), read_value=False)

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        raise ValueError(
            "stateless_apply is not supported with the TensorFlow backend "
            "(as it is incompatible with tf.distribute)."
        )

    def _overwrite_variables_directly_with_gradients(self, grads, variables):
        """Variables with ``overwrite_with_gradient`` take their gradient as value (the max
        over an accumulation period) and leave the list."""
        if not any(self._overwrite_variable_with_gradient(v) for v in variables):
            return grads, variables
        grads, variables = list(grads), list(variables)
        for i in range(len(grads) - 1, -1, -1):
            g, v = grads[i], variables[i]
            if not self._overwrite_variable_with_gradient(v):
                continue
            if self.gradient_accumulation_steps:
                steps = self.gradient_accumulation_steps
                is_update_step = comparison_ops.equal(
                    math_ops.floormod(self._iterations._read() + 1, steps), 0
                )
                acc = self._accumulated_gradients[self._get_variable_index(v)]
                g = _ops.densify(g)
                new_acc = control_flow_ops.cond(
                    is_update_step,
                    lambda g=g: array_ops.zeros_like(g),
                    lambda g=g, acc=acc: math_ops.maximum(g, acc._read()),
                )
                new_v = control_flow_ops.cond(
                    is_update_step,
                    lambda g=g, acc=acc: math_ops.maximum(g, acc._read()),
                    lambda v=v: _ops._read(v),
                )
                v.assign(new_v)
                acc.assign(new_acc)
            else:
                v.assign(_ops.densify(g))
            grads.pop(i)
            variables.pop(i)
        return grads, variables

    def _filter_empty_gradients(self, grads, variables):
        grads, variables = list(grads), list(variables)
        missing = []
        for i in range(len(grads) - 1, -1, -1):
            if grads[i] is None:
                grads.pop(i)
                v = variables.pop(i)
                missing.append(v.path if hasattr(v, "path") else v.name)
        if not grads:
            raise ValueError("No gradients provided for any variable.")
        if missing:
            warnings.warn(
                "Gradients do not exist for variables "
                f"{list(reversed(missing))} when minimizing the loss."
                " If using `model.compile()`, did you forget to provide a "
                "`loss` argument?"
            )
        return grads, variables

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            return [self._clip_by_norm(g) if g is not None else g for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            v = self.clipvalue
            return [
                clip_ops.clip_by_value(_ops._read(_ops.densify(g)), -v, v) if g is not None else g
                for g in grads
            ]
        return grads

    def _clip_by_norm(self, values, axes=None):
        # tf.clip_by_norm (the TF backend's choice): an IndexedSlices stays sparse and is
        # clipped by the norm of its values
        return clip_ops.clip_by_norm(values, self.clipnorm, axes)

    # ---------------------------------------------------------------- weight decay / EMA
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Excludes variables (or names matching any of ``var_names``) from weight decay."""
        if getattr(self, "_built", False):  # Keras tests `_built`, which it never sets
            raise ValueError(
                "`exclude_from_weight_decay()` can only be configured before "
                "the optimizer is built."
            )
        if var_list:
            self._exclude_from_weight_decay = {self._var_key(v) for v in var_list}
        else:
            self._exclude_from_weight_decay = set()
        if var_names and len(var_names) > 0:
            self._exclude_from_weight_decay_pattern = re.compile("|".join(set(var_names)))
        else:
            self._exclude_from_weight_decay_pattern = None
        self._exclude_from_weight_decay_cache = {}

    def _use_weight_decay(self, variable):
        key = self._var_key(variable)
        cache = self.__dict__.get("_exclude_from_weight_decay_cache")
        if cache is None:
            cache = self._exclude_from_weight_decay_cache = {}
        if key in cache:
            return cache[key]
        use = True
        if key in getattr(self, "_exclude_from_weight_decay", ()):
            use = False
        else:
            pattern = getattr(self, "_exclude_from_weight_decay_pattern", None)
            if pattern is not None and re.search(pattern, variable.name) is not None:
                use = False
        cache[key] = use
        return use

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        for variable in variables:
            # the TF backend decides on (and decays) the backing tf.Variable ("w:0")
            variable = _tf_variable(variable)
            if self._use_weight_decay(variable):
                dtype = variable.dtype
                lr = backend.cast(self.learning_rate, dtype)
                wd = backend.cast(self.weight_decay, dtype)
                variable.assign_sub(variable.value() * wd * lr, read_value=False)

    def _update_model_variables_moving_average(self, trainable_variables):
        if not self.use_ema:
            return
        not_first_step = comparison_ops.not_equal(_ops._read(self.iterations), 0)
        for var, average in zip(trainable_variables, self._model_variables_moving_average):
            if average is None:
                continue
            momentum = backend.cast(not_first_step, _dtype_name(var)) * self.ema_momentum
            average.assign(momentum * average._read() + (1 - momentum) * _ops._read(var))

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        for var, average in zip(trainable_variables, self._model_variables_moving_average):
            _tf_variable(var).assign(average._read(), read_value=False)

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
        prev = self._learning_rate if _is_keras_variable(self._learning_rate) else None
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or callable(
            learning_rate
        ):
            self._learning_rate = learning_rate
        else:
            if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
                raise TypeError(
                    "This optimizer was created with a `LearningRateSchedule`"
                    " object as its `learning_rate` constructor argument, "
                    "hence its learning rate is not settable. If you need the"
                    " learning rate to be settable, you should instantiate "
                    "the optimizer with a float `learning_rate` argument."
                )
            self._learning_rate.assign(learning_rate)
        if prev is not None and not _is_keras_variable(self._learning_rate):
            self._untrack_variable(prev)

    def _get_current_learning_rate(self):
        lr = self._learning_rate
        if isinstance(lr, learning_rate_schedule.LearningRateSchedule):
            return lr(self._iterations)
        if _is_keras_variable(lr):
            return lr
        if callable(lr):
            return lr()
        return lr

    def scale_loss(self, loss):
        """``loss * loss_scale_factor`` (when set)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # ---------------------------------------------------------------- weights / saving
    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not "
                "yet been built. Please call "
                "`optimizer.build(trainable_variables)` to create the "
                "optimizer weights before calling `set_weights()`."
            )
        for variable, weight in zip(self._variables, weights):
            shape = tuple(getattr(weight, "shape", ()))
            if tuple(variable.shape) != shape:
                raise ValueError(
                    f"Optimizer variable {self._var_key(variable)} has shape "
                    f"{variable.shape} not compatible with provided "
                    f"weight shape {shape}."
                )
            variable.assign(weight)

    def save_own_variables(self, store):
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        if len(store.keys()) != len(self.variables):
            msg = (
                f"Skipping variable loading for optimizer '{self.name}', "
                f"because it has {len(self.variables)} variables whereas "
                f"the saved optimizer has {len(store.keys())} variables. "
            )
            if len(self.variables) == 0:
                msg += "This is likely because the optimizer has not been called/built yet."
            warnings.warn(msg, stacklevel=2)
            return
        for i, variable in enumerate(self.variables):
            variable.assign(store[str(i)])

    def _obj_type(self):
        return "Optimizer"

    # ---------------------------------------------------------------- config
    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, learning_rate_schedule.LearningRateSchedule):
            learning_rate = learning_rate_schedule.serialize(lr)
        elif _is_keras_variable(lr):
            learning_rate = float(lr.numpy())
        elif backend.is_tensor(lr):
            learning_rate = float(lr)
        elif callable(lr):
            learning_rate = serialization_lib.serialize_keras_object(lr)
        else:
            learning_rate = lr
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
            "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can "
            f"be set. Received: clipnorm={clipnorm}, "
            f"clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
        )


def _dtype_name(variable):
    d = variable.dtype
    return d if isinstance(d, str) else d.name


def _tf_variable(variable):
    """The ``tf.Variable`` behind a Keras variable (a ``tf.Variable`` itself unchanged)."""
    return variable.value if _is_keras_variable(variable) else variable


def global_norm(value_list):
    """``sqrt(sum of squares)`` of all values (an IndexedSlices counts its values)."""
    squared = [_ops.sum(_ops.square(v)) for v in value_list if v is not None]
    return _ops.sqrt(reduction_ops.reduce_sum(array_ops.stack(squared)))


def clip_by_global_norm(value_list, clip_norm):
    """Keras' global-norm clipping (NaN scale when the norm is not finite)."""
    use_norm = global_norm(value_list)
    scale_for_finite = clip_norm * math_ops.minimum(1.0 / use_norm, 1.0 / clip_norm)
    scale = scale_for_finite + (use_norm - use_norm)
    return [_ops.densify(v) * scale if v is not None else v for v in value_list]


base_optimizer_keyword_args = """name: String. The name to use
            for momentum accumulator weights created by
            the optimizer.
        weight_decay: Float. If set, weight decay is applied.
        clipnorm: Float. If set, the gradient of each weight is individually
            clipped so that its norm is no higher than this value.
        clipvalue: Float. If set, the gradient of each weight is clipped to be
            no higher than this value.
        global_clipnorm: Float. If set, the gradient of all weights is clipped
            so that their global norm is no higher than this value.
        use_ema: Boolean, defaults to `False`. If `True`, exponential moving average
            (EMA) of the model's weights is maintained.
        ema_momentum: Float, defaults to 0.99. Only used if `use_ema=True`.
        ema_overwrite_frequency: Int or None, defaults to None. Only used if
            `use_ema=True`: every that many iterations the model variables are
            overwritten by their moving averages.
        loss_scale_factor: Float or `None`. Gradients are divided by it.
        gradient_accumulation_steps: Int or `None`. If an int, variables are updated
            every that many steps with the mean of the accumulated gradients.
"""
