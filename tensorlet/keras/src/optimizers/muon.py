"""``keras.optimizers.Muon``: orthogonalized momentum for matrices, AdamW for the rest."""

import math
import re

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.optimizers import _ops as ops
from tensorlet.keras.src.optimizers.optimizer import Optimizer
from tensorlet.ops import array_ops, linalg_ops, reduction_ops, unary_math_ops


@keras_export("keras.optimizers.Muon")
class Muon(Optimizer):
    """Muon (Jordan et al. 2024; Liu et al. 2025) for 2-D variables, AdamW for the others.

    A variable takes the AdamW step (learning rate ``lr * adam_lr_ratio``, weight decay
    ``adam_weight_decay``) when it is not 2-D, when ``exclude_embeddings`` and its path
    contains ``'embedding'``, or when its path matches one of ``exclude_layers``.  Other
    variables take the Muon step: Nesterov momentum orthogonalized by ``ns_steps`` quintic
    Newton-Schulz iterations (coefficients ``muon_a, muon_b, muon_c``), scaled by
    ``sqrt(max(rows, cols)) * rms_rate`` (unless ``rms_rate`` is None), with weight decay
    ``weight_decay``.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        adam_beta_1, adam_beta_2, epsilon: the AdamW step's constants (0.9, 0.999, 1e-7).
        adam_weight_decay: weight decay of AdamW-stepped variables (0.004).
        exclude_layers: regular expressions of variable paths that use AdamW.
        exclude_embeddings: whether embedding variables use AdamW (True).
        muon_a, muon_b, muon_c: Newton-Schulz coefficients (3.4445, -4.775, 2.0315).
        adam_lr_ratio: AdamW learning rate / learning rate (1).
        momentum: momentum of the Muon step (0.95).
        ns_steps: Newton-Schulz iterations (5).
        nesterov: Nesterov-style momentum (True).
        rms_rate: update RMS matching factor (0.2), or None.
        **kwargs: the other base Optimizer arguments.
    """

    def __init__(
        self,
        learning_rate=0.001,
        adam_beta_1=0.9,
        adam_beta_2=0.999,
        adam_weight_decay=0.004,
        epsilon=1e-7,
        weight_decay=0.004,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name="muon",
        exclude_layers=None,
        exclude_embeddings=True,
        muon_a=3.4445,
        muon_b=-4.7750,
        muon_c=2.0315,
        adam_lr_ratio=1,
        momentum=0.95,
        ns_steps=5,
        nesterov=True,
        rms_rate=0.2,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            name=name,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            **kwargs,
        )
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable):
        if len(variable.shape) != 2:
            return True
        path = _path(variable)
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(keyword, path) for keyword in self.exclude_layers)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.momentums = [None] * len(var_list)
        self.adam_velocities = [None] * len(var_list)
        for var in var_list:
            if self._overwrite_variable_with_gradient(var):
                continue
            index = self._get_variable_index(var)
            self.momentums[index] = self.add_variable_from_reference(var, name="momentum")
            if self._should_use_adamw(var):
                self.adam_velocities[index] = self.add_variable_from_reference(var, name="velocity")

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m = self.momentums[index]
        v = self.adam_velocities[index]
        if v is not None:
            self._adamw_update_step(gradient, variable, learning_rate * self.adam_lr_ratio, m, v)
        else:
            self._muon_update_step(gradient, variable, learning_rate, m)

    def _muon_update_step(self, gradient, variable, lr, m):
        self.assign_add(m, ops.add(gradient, m * (self.momentum - 1)))
        if self.nesterov:
            g = ops.add(gradient, self.momentum * m)
        else:
            g = m
        update = self.zeropower_via_newtonschulz5(ops.densify(ops._read(g)), self.ns_steps)
        self.assign_sub(variable, self.lr_adjust(lr * update))

    def _adamw_update_step(self, gradient, variable, learning_rate, m, v):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        local_step = ops.cast(self.iterations + 1, dtype)
        adam_beta_1_power = ops.power(ops.cast(self.adam_beta_1, dtype), local_step)
        adam_beta_2_power = ops.power(ops.cast(self.adam_beta_2, dtype), local_step)
        alpha = lr * ops.sqrt(1 - adam_beta_2_power) / (1 - adam_beta_1_power)
        self.assign_add(m, ops.multiply(ops.subtract(gradient, m), 1 - self.adam_beta_1))
        self.assign_add(
            v, ops.multiply(ops.subtract(ops.square(gradient), v), 1 - self.adam_beta_2)
        )
        self.assign_sub(
            variable, ops.divide(ops.multiply(m, alpha), ops.add(ops.sqrt(v), self.epsilon))
        )

    def transpose_last_axis(self, X):
        rank = len(X.shape)
        perm = list(range(rank))
        perm[-2], perm[-1] = rank - 1, rank - 2
        return array_ops.transpose(X, perm)

    def lr_adjust(self, x):
        """Scales a 2-D update by ``sqrt(max(rows, cols)) * rms_rate`` (Moonlight)."""
        if self.rms_rate is None:
            return x
        return x * math.sqrt(max(x.shape[0], x.shape[1])) * self.rms_rate

    def zeropower_via_newtonschulz5(self, x, steps: int):
        """Approximately orthogonalizes ``x`` (``U S' V^T`` for its SVD ``U S V^T``) with
        quintic Newton-Schulz iterations."""
        shape = tuple(x.shape)
        if len(shape) < 2:
            raise ValueError(
                "Expected gradient or momentum to have at least 2 dimensions. "
                f"Received: shape={shape}"
            )
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        tall = shape[-2] > shape[-1]
        if tall:
            x = self.transpose_last_axis(x)
        norm = unary_math_ops.sqrt(reduction_ops.reduce_sum(x * x, axis=(-2, -1), keepdims=True))
        x = x / (norm + 1e-7)
        for _ in range(steps):
            temp_a = linalg_ops.matmul(x, self.transpose_last_axis(x))
            temp_b = b * temp_a + linalg_ops.matmul(c * temp_a, temp_a)
            x = a * x + linalg_ops.matmul(temp_b, x)
        if tall:
            x = self.transpose_last_axis(x)
        return x

    def _apply_weight_decay(self, variables):
        for variable in variables:
            if not self._use_weight_decay(variable):
                continue
            if self._should_use_adamw(variable):
                weight_decay_value = self.adam_weight_decay
            else:
                weight_decay_value = self.weight_decay
            if weight_decay_value is None:
                continue
            wd = ops.cast(weight_decay_value, variable.dtype)
            lr = ops.cast(self.learning_rate, variable.dtype)
            value = ops._read(variable)
            variable.assign(value - value * wd * lr)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "adam_beta_1": self.adam_beta_1,
                "adam_beta_2": self.adam_beta_2,
                "epsilon": self.epsilon,
                "exclude_layers": self.exclude_layers,
                "muon_a": self.muon_a,
                "muon_b": self.muon_b,
                "muon_c": self.muon_c,
                "adam_lr_ratio": self.adam_lr_ratio,
                "momentum": self.momentum,
                "ns_steps": self.ns_steps,
                "nesterov": self.nesterov,
                "exclude_embeddings": self.exclude_embeddings,
                "adam_weight_decay": self.adam_weight_decay,
                "rms_rate": self.rms_rate,
            }
        )
        return config


def _path(variable):
    path = getattr(variable, "path", None)
    return path if path is not None else variable.name
