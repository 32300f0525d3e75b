"""``keras.optimizers.SGD``: gradient descent with optional (Nesterov) momentum."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.optimizers import _ops as ops
from tensorlet.keras.src.optimizers.optimizer import Optimizer


@keras_export("keras.optimizers.SGD")
class SGD(Optimizer):
    """Gradient descent: ``var -= lr * g``; with momentum ``m = momentum * m - lr * g``,
    ``var += m`` (Nesterov: ``var += momentum * m - lr * g``).

    Args:
        learning_rate: float, schedule or callable (default 0.01).
        momentum: float in [0, 1] (default 0.0).
        nesterov: whether to use Nesterov momentum (default False).
        **kwargs: the base Optimizer arguments (weight_decay, clipnorm, ...).

    Example:
        >>> opt = keras.optimizers.SGD(learning_rate=0.1)
        >>> w = keras.Variable([1.0])
        >>> _ = opt.apply_gradients([(tf.constant([2.0]), w)])
        >>> w.numpy()
        array([0.8], dtype=float32)
    """

    def __init__(
        self,
        learning_rate=0.01,
        momentum=0.0,
        nesterov=False,
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
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        learning_rate = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        m = None
        if self.momentum != 0:
            m = self.momentums[self._get_variable_index(variable)]
        if m is not None:
            momentum = ops.cast(self.momentum, dtype)
            self.assign(
                m,
                ops.subtract(ops.multiply(m, momentum), ops.multiply(gradient, learning_rate)),
            )
            if self.nesterov:
                self.assign_add(
                    variable,
                    ops.subtract(ops.multiply(m, momentum), ops.multiply(gradient, learning_rate)),
                )
            else:
                self.assign_add(variable, m)
        else:
            self.assign_sub(variable, ops.multiply(gradient, learning_rate))

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
