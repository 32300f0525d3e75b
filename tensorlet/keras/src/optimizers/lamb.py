"""``keras.optimizers.Lamb`` (You et al. 2019): Adam steps scaled by a layer-wise trust ratio."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.optimizers import _ops as ops
from tensorlet.keras.src.optimizers.optimizer import Optimizer
from tensorlet.ops import array_ops, comparison_ops


@keras_export("keras.optimizers.Lamb")
class Lamb(Optimizer):
    """LAMB: the bias-corrected Adam direction ``u``, applied as
    ``var -= lr * (||var|| / ||u||) * u`` (ratio 1 when either norm is 0).

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_1, beta_2: decay rates of the moment estimates (0.9, 0.999).
        epsilon: small constant for numerical stability (1e-7).
        **kwargs: the base Optimizer arguments.
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
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

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        local_step = ops.cast(self.iterations + 1, dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), local_step)
        beta_2_power = ops.power(ops.cast(self.beta_2, dtype), local_step)
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        self.assign_add(m, ops.multiply(ops.subtract(gradient, m), 1 - self.beta_1))
        self.assign_add(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1 - self.beta_2))
        m_t_hat = ops.divide(m, (1.0 - beta_1_power))
        v_sqrt = ops.add(ops.sqrt(ops.divide(v, (1.0 - beta_2_power))), self.epsilon)
        update = ops.divide(m_t_hat, v_sqrt)
        w_norm = ops.sqrt(ops.sum(ops.power(variable, 2)))
        g_norm = ops.sqrt(ops.sum(ops.power(update, 2)))
        one = ops.cast(1.0, w_norm.dtype)
        ratio = array_ops.where(
            comparison_ops.greater(w_norm, 0),
            array_ops.where(comparison_ops.greater(g_norm, 0), (w_norm / g_norm), one),
            one,
        )
        self.assign_sub(variable, ratio * lr * update)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
