"""``keras.optimizers.ScheduleFreeAdamW`` (Defazio et al. 2024): AdamW without a schedule."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.optimizers import _ops as ops
from tensorlet.keras.src.optimizers.optimizer import Optimizer


@keras_export("keras.optimizers.ScheduleFreeAdamW")
class ScheduleFreeAdamW(Optimizer):
    """Schedule-free AdamW: the ``momentum`` slot holds the base iterate ``z`` (initialised to
    the variable), the variable holds the interpolation ``y`` between ``z`` and the running
    average ``x``: ``z -= lr * g / (sqrt(v / (1 - beta_2**t)) + eps)``,
    ``x = (1 - 1/t) * x + z / t``, ``y = (1 - beta_1) * z + beta_1 * x``.

    As in Keras' TF backend, ``x`` is recovered from ``y`` with the momentum slot read *after*
    its update (Keras reads the live variable).

    Args:
        learning_rate: float, schedule or callable (default 0.0025).
        beta_1, beta_2: interpolation and second-moment rates (0.9, 0.999).
        epsilon: small constant for numerical stability (1e-8).
        warmup_steps: linear learning-rate warmup (0).
        **kwargs: the base Optimizer arguments.
    """

    def __init__(
        self,
        learning_rate=0.0025,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        warmup_steps=0,
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
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.warmup_steps = warmup_steps

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )
        for momentum, var in zip(self._momentums, var_list):
            if momentum is not None:
                self.assign(momentum, ops._read(var))

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        local_step = ops.cast(self.iterations + 1, dtype)
        beta_1 = ops.cast(self.beta_1, dtype)
        beta_2 = ops.cast(self.beta_2, dtype)
        epsilon = ops.cast(self.epsilon, dtype)
        if self.warmup_steps > 0:
            warmup_steps = ops.cast(self.warmup_steps, dtype)
            lr = lr * ops.minimum(local_step / warmup_steps, 1.0)
        index = self._get_variable_index(variable)
        momentum = self._momentums[index]
        velocity = self._velocities[index]
        bias_correction_2 = 1 - ops.power(beta_2, local_step)
        self.assign_add(
            velocity, ops.multiply(ops.subtract(ops.square(gradient), velocity), 1 - beta_2)
        )
        denom = ops.add(ops.sqrt(ops.divide(velocity, bias_correction_2)), epsilon)
        grad_scaled = ops.divide(ops.multiply(lr, gradient), denom)
        self.assign_sub(momentum, grad_scaled)
        weight = 1.0 / local_step
        z = momentum._read()
        x_old = ops.divide(ops.subtract(variable, ops.multiply(1 - beta_1, z)), beta_1)
        x_new = ops.add(ops.multiply(1 - weight, x_old), ops.multiply(weight, z))
        y_new = ops.add(ops.multiply(1 - beta_1, z), ops.multiply(beta_1, x_new))
        self.assign(variable, y_new)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "beta_1": self.beta_1,
                "beta_2": self.beta_2,
                "epsilon": self.epsilon,
                "warmup_steps": self.warmup_steps,
            }
        )
        return config
