"""``keras.layers.LSTMCell`` / ``LSTM`` (Hochreiter & Schmidhuber 1997).

``z = x W + h U + b`` split into the gates ``i, f, c, o`` (Keras' order, each ``units`` wide):
``c' = σ(f) c + σ(i) tanh(c~)``, ``h' = σ(o) tanh(c')`` with σ the recurrent activation.
"""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import activations, backend, initializers
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.rnn import cell_utils, rnn_loop
from tensorlet.keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from tensorlet.keras.src.layers.rnn.rnn import RNN
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import array_creation_ops, array_ops, linalg_ops, math_ops


@keras_export("keras.layers.LSTMCell")
class LSTMCell(Layer, DropoutRNNCell):
    """One LSTM step; the states are ``[h, c]`` (memory and carry).

    Args:
        units: positive int, the output size.
        activation: default ``'tanh'``; recurrent_activation: default ``'sigmoid'``.
        use_bias: default True.
        kernel_initializer, recurrent_initializer, bias_initializer: defaults
            ``'glorot_uniform'``, ``'orthogonal'``, ``'zeros'``.
        unit_forget_bias: add 1 to the forget-gate bias at initialization (default True).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional.
        kernel_constraint, recurrent_constraint, bias_constraint: optional.
        dropout, recurrent_dropout: fractions of inputs / states to drop while training.
        seed: seed of the dropout masks.

    Example:
        >>> cell = keras.layers.LSTMCell(3)
        >>> h, (h2, c) = cell(tf.ones((2, 4)), [tf.zeros((2, 3)), tf.zeros((2, 3))])
        >>> c.shape
        TensorShape([2, 3])
    """

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        cell_utils.check_units(units)
        weight_args = dict(locals())
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        self.implementation = implementation
        self.units = units
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        cell_utils.set_weight_args(self, weight_args)
        self.dropout = cell_utils.clip_rate(dropout)
        self.recurrent_dropout = cell_utils.clip_rate(recurrent_dropout)
        if self.recurrent_dropout != 0.0:
            self.implementation = 1
        if self.implementation == 1:
            self.dropout_mask_count = 4
        self.seed = seed
        self.seed_generator = SeedGenerator(seed=seed)
        self.unit_forget_bias = unit_forget_bias
        self.state_size = [self.units, self.units]
        self.output_size = self.units

    def build(self, input_shape):
        units = self.units
        self.kernel = cell_utils.cell_weight(self, "kernel", "kernel", (input_shape[-1], units * 4))
        self.recurrent_kernel = cell_utils.cell_weight(
            self, "recurrent", "recurrent_kernel", (units, units * 4)
        )
        if not self.use_bias:
            self.bias = None
            return
        initializer = None
        if self.unit_forget_bias:
            base = self.bias_initializer

            def initializer(_, dtype=None):
                ones = initializers.get("ones")
                return array_ops.concat(
                    [
                        base((units,), dtype=dtype),
                        ones((units,), dtype=dtype),
                        base((units * 2,), dtype=dtype),
                    ],
                    axis=0,
                )

        self.bias = cell_utils.cell_weight(self, "bias", "bias", (units * 4,), initializer)

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        kernel = backend.convert_to_tensor(self.kernel)
        recurrent_kernel = backend.convert_to_tensor(self.recurrent_kernel)
        if self.implementation == 1:
            c, o = self._call_split(inputs, h_tm1, c_tm1, kernel, recurrent_kernel, training)
        else:
            if training and 0.0 < self.dropout < 1.0:
                inputs = inputs * self.get_dropout_mask(inputs)
            z = linalg_ops.matmul(inputs, kernel)
            c, o = self._gates(z, h_tm1, c_tm1, recurrent_kernel, self._bias())
        h = o * self.activation(c)
        return h, [h, c]

    def _bias(self):
        return backend.convert_to_tensor(self.bias) if self.use_bias else None

    def _gates(self, xz, h_tm1, c_tm1, recurrent_kernel, bias):
        """Fused kernels: ``z = x W + h U + b`` split into the four gates."""
        z = math_ops.add(xz, linalg_ops.matmul(h_tm1, recurrent_kernel))
        if bias is not None:
            z = math_ops.add(z, bias)
        z0, z1, z2, z3 = array_ops.split(z, 4, axis=1)
        i = self.recurrent_activation(z0)
        f = self.recurrent_activation(z1)
        c = f * c_tm1 + i * self.activation(z2)
        o = self.recurrent_activation(z3)
        return c, o

    def _call_split(self, inputs, h_tm1, c_tm1, kernel, recurrent_kernel, training):
        """Implementation 1: one product per gate, each with its own dropout masks."""
        if training and 0.0 < self.dropout < 1.0:
            dp = self.get_dropout_mask(inputs)
            xs = [inputs * m for m in dp]
        else:
            xs = [inputs] * 4
        ks = array_ops.split(kernel, 4, axis=1)
        x = [linalg_ops.matmul(a, k) for a, k in zip(xs, ks)]
        if self.use_bias:
            x = [a + b for a, b in zip(x, array_ops.split(self._bias(), 4, axis=0))]
        if training and 0.0 < self.recurrent_dropout < 1.0:
            hs = [h_tm1 * m for m in self.get_recurrent_dropout_mask(h_tm1)]
        else:
            hs = [h_tm1] * 4
        u = self.units
        rk = [recurrent_kernel[:, k * u : (k + 1) * u] for k in range(4)]
        i = self.recurrent_activation(x[0] + linalg_ops.matmul(hs[0], rk[0]))
        f = self.recurrent_activation(x[1] + linalg_ops.matmul(hs[1], rk[1]))
        c = f * c_tm1 + i * self.activation(x[2] + linalg_ops.matmul(hs[2], rk[2]))
        o = self.recurrent_activation(x[3] + linalg_ops.matmul(hs[3], rk[3]))
        return c, o

    def _sequence_step(self, sequences, training):
        """The input projections of all steps at once, and the recurrent part per step."""
        if type(self).call is not LSTMCell.call or not self.built or self.implementation == 1:
            return None
        if training and 0.0 < self.dropout < 1.0:
            mask = self.get_dropout_mask(sequences[:, 0])
            sequences = sequences * array_ops.expand_dims(mask, 1)
        projected = rnn_loop.project(sequences, backend.convert_to_tensor(self.kernel))
        recurrent_kernel = backend.convert_to_tensor(self.recurrent_kernel)
        bias = self._bias()
        activation = self.activation

        def step(xz, states):
            c, o = self._gates(xz, states[0], states[1], recurrent_kernel, bias)
            h = o * activation(c)
            return h, [h, c]

        return projected, step

    def get_initial_state(self, batch_size=None):
        return [
            array_creation_ops.zeros((batch_size, d), dtype=self.compute_dtype)
            for d in self.state_size
        ]

    def get_config(self):
        config = {
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "unit_forget_bias": self.unit_forget_bias,
            **cell_utils.weight_args_config(self),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
        return {**super().get_config(), **config}


@keras_export("keras.layers.LSTM")
class LSTM(RNN):
    """Long Short-Term Memory layer (Hochreiter 1997): an ``LSTMCell`` run over time.

    Args:
        units, activation, recurrent_activation, use_bias, *_initializer, unit_forget_bias,
            *_regularizer, *_constraint, dropout, recurrent_dropout, seed: as in ``LSTMCell``.
        activity_regularizer: optional regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as in ``RNN``.
        use_cudnn: ``'auto'``, True or False (no cuDNN here: True raises at call time).

    Call arguments:
        sequences ``(batch, timesteps, features)``, initial_state ``[h, c]``, mask, training.

    Example:
        >>> out, h, c = keras.layers.LSTM(4, return_state=True)(tf.ones((2, 5, 3)))
        >>> out.shape, c.shape
        (TensorShape([2, 4]), TensorShape([2, 4]))
    """

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        use_cudnn="auto",
        **kwargs,
    ):
        cell = LSTMCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            unit_forget_bias=unit_forget_bias,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            dtype=kwargs.get("dtype", None),
            trainable=kwargs.get("trainable", True),
            name="lstm_cell",
            seed=seed,
            implementation=kwargs.pop("implementation", 2),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        self.input_spec = InputSpec(ndim=3)
        if use_cudnn not in ("auto", True, False):
            raise ValueError(
                "Invalid valid received for argument `use_cudnn`. Expected one of "
                f"{{'auto', True, False}}. Received: use_cudnn={use_cudnn}"
            )
        self.use_cudnn = use_cudnn

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if self.use_cudnn is True:
            raise ValueError(
                "use_cudnn=True was specified, but cuDNN is not supported for this layer "
                "configuration with this backend. Pass use_cudnn='auto' to fallback to a "
                "non-cuDNN implementation."
            )
        return super().inner_loop(sequences, initial_state, mask=mask, training=training)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, mask=mask, training=training, initial_state=initial_state)

    def get_config(self):
        base = super().get_config()
        del base["cell"]
        extra = ("recurrent_activation", "unit_forget_bias", "seed")
        return {**base, **cell_utils.layer_config(self, *extra)}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


cell_utils.forward_to_cell(
    LSTM, cell_utils.CELL_PROPERTIES + ("recurrent_activation", "unit_forget_bias")
)
