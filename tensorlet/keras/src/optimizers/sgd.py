"""``keras.optimizers.SGD``: gradient descent with optional (Nesterov) momentum."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.optimizers.optimizer import Optimizer


@keras_export("keras.optimizers.SGD")
class SGD(Optimizer):
    """Gradient descent: ``var -= lr * g``; with momentum ``m = momentum * m - lr * g``,
    ``var += m`` (Nesterov: ``var += momentum * m - lr * g``).

    Args:
        learning_rate: float, schedule or callable (default 0.01).
        momentum: float >= 0 (default 0.0).
        nesterov: whether to use Nesterov momentum (default False).
        **kwargs: the base Optimizer arguments (weight_decay, clipnorm, ...).
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
        dtype = variable.dtype if isinstance(variable.dtype, str) else variable.dtype.name
        learning_rate = backend.cast(learning_rate, dtype)
        gradient = backend.cast(gradient, dtype)
        if self.momentum != 0:
            m = self.momentums[self._get_variable_index(variable)]
            momentum = backend.cast(self.momentum, dtype)
            self.assign(m, m._read() * momentum - gradient * learning_rate)
            if self.nesterov:
                self.assign_add(variable, m._read() * momentum - gradient * learning_rate)
            else:
                self.assign_add(variable, m._read())
        else:
            self.assign_sub(variable, gradient * learning_rate)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
