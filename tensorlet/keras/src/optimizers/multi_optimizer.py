"""``keras.optimizers.MultiOptimizer`` / ``OptimizerMap``: one optimizer per group of
variables (chosen by variable path)."""

import re
from collections.abc import MutableMapping

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.optimizers.loss_scale_optimizer import LossScaleOptimizer
from tensorlet.keras.src.optimizers.optimizer import Optimizer
from tensorlet.keras.src.saving import serialization_lib


@keras_export("keras.optimizers.OptimizerMap")
class OptimizerMap(MutableMapping):
    """Maps variable paths (exact, else a unique ``re.fullmatch`` pattern) to optimizers,
    falling back to ``default_optimizer``; calling it with a variable returns its optimizer.

    Args:
        default_optimizer: the optimizer of unmatched variables.
        optimizer_map: ``{path or pattern: optimizer}``.
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(
                "default_optimizer must be a Keras Optimizer instance. "
                f"Received: {default_optimizer}"
            )
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"optimizer_map must be a dictionary. Received: {optimizer_map}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = optimizer_map or {}

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matching = [p for p in self._optimizer_map if re.fullmatch(p, key)]
        if len(matching) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key}.")
        if len(matching) == 1:
            return self._optimizer_map[matching[0]]
        return self.default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(
                f"'{key}' already exists in the OptimizerMap with value "
                f"{self._optimizer_map[key]}. Please make sure to not use duplicated keys."
            )
        if not isinstance(key, str):
            raise ValueError(f"key must be a string. Received: {key}")  # noqa: TRY004
        if not isinstance(optimizer, Optimizer):
            raise ValueError(  # noqa: TRY004 (Keras' class)
                f"optimizer must be a Keras Optimizer instance. Received: {optimizer}"
            )
        if isinstance(optimizer, LossScaleOptimizer):
            raise ValueError("optimizer cannot be LossScaleOptimizer.")  # noqa: TRY004
        if isinstance(optimizer, MultiOptimizer):
            raise ValueError("optimizer cannot be MultiOptimizer.")  # noqa: TRY004
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self):
        return {
            "default_optimizer": serialization_lib.serialize_keras_object(self._default_optimizer),
            "optimizer_map": serialization_lib.serialize_keras_object(self._optimizer_map),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        default_optimizer = serialization_lib.deserialize_keras_object(
            config["default_optimizer"], custom_objects=custom_objects
        )
        optimizer_map = serialization_lib.deserialize_keras_object(
            config["optimizer_map"], custom_objects=custom_objects
        )
        return cls(default_optimizer, optimizer_map)


@keras_export("keras.optimizers.MultiOptimizer")
class MultiOptimizer(Optimizer):
    """Applies each variable's gradient with the optimizer ``optimizer_map(variable)`` gives
    (an ``OptimizerMap`` or any callable ``variable -> optimizer``).

    Args:
        optimizer_map: the map.
        loss_scale_factor: passed on to every inner optimizer.
        name: the name.
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        inner = []
        if hasattr(self._optimizer_map, "values"):
            for opt in self._optimizer_map.values():
                if opt not in inner:
                    opt.loss_scale_factor = loss_scale_factor
                    inner.append(opt)
        default_opt = getattr(self._optimizer_map, "default_optimizer", None)
        if default_opt is not None and default_opt not in inner:
            default_opt.loss_scale_factor = loss_scale_factor
            inner.append(default_opt)
        self.__dict__["_inner_optimizers"] = inner

    def build(self, var_list):
        if self.built:
            return
        self._var_to_optimizer_idx = {}
        self.__dict__["_trainable_variables_indices"] = {}
        optimizer_vars = [[] for _ in self._inner_optimizers]
        for i, var in enumerate(var_list):
            opt = self._optimizer_map(var)
            if not isinstance(opt, Optimizer):
                raise ValueError(  # noqa: TRY004 (Keras' class)
                    f"Optimizer for variable {var} is not an Optimizer instance."
                )
            if isinstance(opt, LossScaleOptimizer):
                raise ValueError(  # noqa: TRY004 (Keras' class)
                    "LossScaleOptimizer cannot be used inside an MultiOptimizer."
                )
            if isinstance(opt, MultiOptimizer):
                raise ValueError(  # noqa: TRY004 (Keras' class)
                    "MultiOptimizer cannot be used inside an MultiOptimizer."
                )
            if opt not in self._inner_optimizers:
                opt.loss_scale_factor = self.loss_scale_factor
                self._inner_optimizers.append(opt)
                optimizer_vars.append([])
            idx = self._inner_optimizers.index(opt)
            self._var_to_optimizer_idx[self._var_key(var)] = idx
            self._trainable_variables_indices[self._var_key(var)] = i
            optimizer_vars[idx].append(var)
        for opt, variables in zip(self._inner_optimizers, optimizer_vars):
            if variables:
                opt.build(variables)
        super().build(var_list)

    @property
    def optimizers(self):
        return self._inner_optimizers

    @property
    def variables(self):
        out = self._variables[:]
        for opt in self._inner_optimizers:
            out.extend(opt.variables)
        return out

    @property
    def learning_rate(self):
        raise AttributeError(
            "Learning rate cannot be accessed on a MultiOptimizer. Access the "
            "learning rate on the individual sub-optimizers instead."
        )

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError(
            "Learning rate cannot be set on a MultiOptimizer. Set the learning "
            "rate on the individual sub-optimizers instead."
        )

    @property
    def loss_scale_factor(self):
        return self.__dict__.get("_loss_scale_factor")

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self.__dict__["_loss_scale_factor"] = value
        for opt in self.__dict__.get("_inner_optimizers", ()):
            opt.loss_scale_factor = value

    @property
    def iterations(self):
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must "
                    "already be built on a list of variables. Call "
                    "`optimizer.build(trainable_variables)` first."
                )
            trainable_variables = self._trainable_variables
        if not self.built:
            self.build(list(trainable_variables))
            self.built = True
        if len(grads) != len(self._trainable_variables_indices):
            raise ValueError(
                f"Gradients must match trainable variables one-to-one. Received "
                f"{len(grads)} gradients and {len(self._trainable_variables_indices)} "
                "variables."
            )
        grads_and_vars = [[] for _ in self._inner_optimizers]
        for grad, var in zip(grads, trainable_variables):
            grads_and_vars[self._var_to_optimizer_idx[self._var_key(var)]].append((grad, var))
        for opt, sub in zip(self._inner_optimizers, grads_and_vars):
            if sub:
                sub_grads, sub_vars = zip(*sub)
                opt.apply(list(sub_grads), list(sub_vars))
        self._iterations.assign_add(1)

    def finalize_variable_values(self, var_list):
        optimizer_vars = [[] for _ in self._inner_optimizers]
        for var in var_list:
            optimizer_vars[self._var_to_optimizer_idx[self._var_key(var)]].append(var)
        for opt, variables in zip(self._inner_optimizers, optimizer_vars):
            if variables:
                opt.finalize_variable_values(variables)

    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet "
                "been built. Please call `optimizer.build(trainable_variables)` to "
                "create the optimizer weights before calling `set_weights()`."
            )
        own = len(self._variables)
        for i in range(own):
            self._variables[i].assign(weights[i])
        idx = own
        for opt in self._inner_optimizers:
            n = len(opt.variables)
            if n > 0:
                opt.set_weights(weights[idx : idx + n])
                idx += n

    def get_config(self):
        return {
            "optimizer_map": serialization_lib.serialize_keras_object(self._optimizer_map),
            "loss_scale_factor": self.loss_scale_factor,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = config.copy()
        config["optimizer_map"] = serialization_lib.deserialize_keras_object(
            config["optimizer_map"], custom_objects=custom_objects
        )
        return cls(**config)
