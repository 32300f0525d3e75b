"""``keras.optimizers.Adafactor`` (Shazeer & Stern 2018): factored second moments."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.optimizers import _ops as ops
from tensorlet.keras.src.optimizers.optimizer import Optimizer


@keras_export("keras.optimizers.Adafactor")
class Adafactor(Optimizer):
    """Adafactor: the second moment of a matrix is kept as row and column means (``r`` over
    the last axis, ``c`` over the second last), with decay ``beta_2_t = 1 - t**beta_2_decay``;
    updates are clipped to an RMS of ``clip_threshold`` and scaled by ``max(epsilon_2,
    rms(var)) * min(lr, 1 / sqrt(t))``.

    Variables of rank < 2 are not factored: their ``r`` and ``c`` are int32 scalar placeholders.

    Args:
        learning_rate: float, schedule or callable (default 0.001).
        beta_2_decay: decay exponent (-0.8).
        epsilon_1: added to squared gradients (1e-30).
        epsilon_2: floor of the parameter scale (1e-3).
        clip_threshold: update clipping threshold (1.0).
        relative_step: with a constant learning rate, use ``min(lr, 1 / sqrt(t))`` (True).
        **kwargs: the base Optimizer arguments.
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay=-0.8,
        epsilon_1=1e-30,
        epsilon_2=1e-3,
        clip_threshold=1.0,
        relative_step=True,
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
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._r = []
        self._c = []
        self._v = []
        for var in var_list:
            if len(var.shape) < 2:
                # not factored: placeholders keep the per-variable lists aligned
                self._r.append(backend.Variable(0, name=var.name, trainable=False))
                self._c.append(backend.Variable(0, name=var.name, trainable=False))
            elif self._overwrite_variable_with_gradient(var):
                self._r.append(None)
                self._c.append(None)
            else:
                shape = tuple(var.shape)
                r_shape = shape[:-1]
                c_shape = shape[:-2] + (shape[-1],)
                self._r.append(self.add_variable(shape=r_shape, dtype=var.dtype, name=var.name))
                self._c.append(self.add_variable(shape=c_shape, dtype=var.dtype, name=var.name))
            if self._overwrite_variable_with_gradient(var):
                self._v.append(None)
            else:
                self._v.append(self.add_variable_from_reference(var, name="velocity"))

    def _rms(self, x):
        return ops.sqrt(ops.mean(ops.square(x)))

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        epsilon_2 = ops.cast(self.epsilon_2, dtype)
        one = ops.cast(1.0, dtype)
        local_step = ops.cast(self.iterations + 1, dtype)
        if not callable(self._learning_rate) and self.relative_step:
            lr = ops.minimum(lr, 1 / ops.sqrt(local_step))
        index = self._get_variable_index(variable)
        r = self._r[index]
        c = self._c[index]
        v = self._v[index]
        rho_t = ops.minimum(lr, 1 / ops.sqrt(local_step))
        alpha_t = ops.maximum(epsilon_2, self._rms(variable)) * rho_t
        regulated_grad_square = ops.add(ops.square(gradient), self.epsilon_1)
        beta_2_t = ops.subtract(1, ops.power(local_step, self.beta_2_decay))
        if len(variable.shape) >= 2:
            self.assign(
                r,
                ops.add(
                    ops.multiply(beta_2_t, r),
                    ops.multiply(
                        ops.subtract(1, beta_2_t), ops.mean(regulated_grad_square, axis=-1)
                    ),
                ),
            )
            self.assign(
                c,
                ops.add(
                    ops.multiply(beta_2_t, c),
                    ops.multiply(
                        ops.subtract(1, beta_2_t), ops.mean(regulated_grad_square, axis=-2)
                    ),
                ),
            )
            self.assign(
                v,
                ops.multiply(
                    ops.expand_dims(ops.divide(r, ops.mean(r, axis=-1, keepdims=True)), axis=-1),
                    ops.expand_dims(c, -2),
                ),
            )
        else:
            self.assign(
                v,
                ops.add(
                    ops.multiply(beta_2_t, v),
                    ops.multiply(ops.subtract(1, beta_2_t), regulated_grad_square),
                ),
            )
        u_t = ops.divide(gradient, ops.sqrt(v))
        u_t_hat = ops.divide(u_t, ops.maximum(one, ops.divide(self._rms(u_t), self.clip_threshold)))
        self.assign_sub(variable, ops.multiply(alpha_t, u_t_hat))

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1,
                "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold,
                "relative_step": self.relative_step,
            }
        )
        return config
