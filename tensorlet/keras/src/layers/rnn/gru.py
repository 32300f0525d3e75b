"""``keras.layers.GRUCell`` / ``GRU`` (Cho et al. 2014).

Gates in Keras' order ``z, r, h`` (update, reset, candidate), each ``units`` wide:
``h' = z h + (1 - z) tanh(x W_h + r * (h U_h + b_h))`` with ``reset_after=True`` (the default,
bias of shape ``(2, 3 units)``: input and recurrent rows), or ``tanh(x W_h + (r h) U_h)`` with
``reset_after=False`` (one bias row).
"""

from tensorlet.framework import nest
from tensorlet.framework.export import keras_export
from tensorlet.keras.src import activations, backend
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.rnn import cell_utils, rnn_loop
from tensorlet.keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from tensorlet.keras.src.layers.rnn.rnn import RNN
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import array_creation_ops, array_ops, linalg_ops, math_ops


@keras_export("keras.layers.GRUCell")
class GRUCell(Layer, DropoutRNNCell):
    """One GRU step; the state is ``h``.

    Args:
        units: positive int, the output size.
        activation: default ``'tanh'``; recurrent_activation: default ``'sigmoid'``.
        use_bias: default True.
        kernel_initializer, recurrent_initializer, bias_initializer: defaults
            ``'glorot_uniform'``, ``'orthogonal'``, ``'zeros'``.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional.
        kernel_constraint, recurrent_constraint, bias_constraint: optional.
        dropout, recurrent_dropout: fractions of inputs / states to drop while training.
        reset_after: apply the reset gate after the recurrent product (default True).
        seed: seed of the dropout masks.

    Example:
        >>> cell = keras.layers.GRUCell(3)
        >>> h, new_state = cell(tf.ones((2, 4)), tf.zeros((2, 3)))
        >>> h.shape
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
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        reset_after=True,
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
            self.dropout_mask_count = 3
        self.seed = seed
        self.seed_generator = SeedGenerator(seed=seed)
        self.reset_after = reset_after
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        units = self.units
        self.kernel = cell_utils.cell_weight(self, "kernel", "kernel", (input_shape[-1], units * 3))
        self.recurrent_kernel = cell_utils.cell_weight(
            self, "recurrent", "recurrent_kernel", (units, units * 3)
        )
        if self.use_bias:
            shape = (2, 3 * units) if self.reset_after else (3 * units,)
            self.bias = cell_utils.cell_weight(self, "bias", "bias", shape)
        else:
            self.bias = None

    def _biases(self):
        """(input bias, recurrent bias or None), or (None, None) without bias."""
        if not self.use_bias:
            return None, None
        bias = backend.convert_to_tensor(self.bias)
        if not self.reset_after:
            return bias, None
        rows = array_ops.split(bias, bias.shape[0], axis=0)
        return tuple(array_ops.squeeze(e, axis=0) for e in rows)

    def call(self, inputs, states, training=False):
        h_tm1 = states[0] if nest.is_nested(states) else states
        input_bias, recurrent_bias = self._biases()
        kernel = backend.convert_to_tensor(self.kernel)
        recurrent_kernel = backend.convert_to_tensor(self.recurrent_kernel)
        if self.implementation == 1:
            hh, z = self._call_split(
                inputs, h_tm1, kernel, recurrent_kernel, input_bias, recurrent_bias, training
            )
        else:
            if training and 0.0 < self.dropout < 1.0:
                inputs = inputs * self.get_dropout_mask(inputs)
            matrix_x = linalg_ops.matmul(inputs, kernel)
            if input_bias is not None:
                matrix_x = math_ops.add(matrix_x, input_bias)
            hh, z = self._gates(matrix_x, h_tm1, recurrent_kernel, recurrent_bias)
        h = z * h_tm1 + (1 - z) * hh
        new_state = [h] if nest.is_nested(states) else h
        return h, new_state

    def _gates(self, matrix_x, h_tm1, recurrent_kernel, recurrent_bias):
        """Fused kernels: the candidate ``hh`` and the update gate ``z``."""
        u = self.units
        x_z, x_r, x_h = array_ops.split(matrix_x, 3, axis=-1)
        if self.reset_after:
            matrix_inner = linalg_ops.matmul(h_tm1, recurrent_kernel)
            if recurrent_bias is not None:
                matrix_inner = matrix_inner + recurrent_bias
        else:
            matrix_inner = linalg_ops.matmul(h_tm1, recurrent_kernel[:, : 2 * u])
        recurrent_z = matrix_inner[:, :u]
        recurrent_r = matrix_inner[:, u : u * 2]
        z = self.recurrent_activation(x_z + recurrent_z)
        r = self.recurrent_activation(x_r + recurrent_r)
        if self.reset_after:
            recurrent_h = r * matrix_inner[:, u * 2 :]
        else:
            recurrent_h = linalg_ops.matmul(r * h_tm1, recurrent_kernel[:, 2 * u :])
        return self.activation(x_h + recurrent_h), z

    def _call_split(self, inputs, h_tm1, kernel, recurrent_kernel, input_bias, rec_bias, training):
        """Implementation 1: one product per gate, each with its own dropout masks."""
        u = self.units
        if training and 0.0 < self.dropout < 1.0:
            xs = [inputs * m for m in self.get_dropout_mask(inputs)]
        else:
            xs = [inputs] * 3
        x = [linalg_ops.matmul(a, kernel[:, k * u : (k + 1) * u]) for k, a in enumerate(xs)]
        if input_bias is not None:
            x = [a + input_bias[k * u : (k + 1) * u] for k, a in enumerate(x)]
        if training and 0.0 < self.recurrent_dropout < 1.0:
            hs = [h_tm1 * m for m in self.get_recurrent_dropout_mask(h_tm1)]
        else:
            hs = [h_tm1] * 3
        rk = [recurrent_kernel[:, k * u : (k + 1) * u] for k in range(3)]
        rec_z = linalg_ops.matmul(hs[0], rk[0])
        rec_r = linalg_ops.matmul(hs[1], rk[1])
        if self.reset_after and rec_bias is not None:
            rec_z = rec_z + rec_bias[:u]
            rec_r = rec_r + rec_bias[u : u * 2]
        z = self.recurrent_activation(x[0] + rec_z)
        r = self.recurrent_activation(x[1] + rec_r)
        if self.reset_after:
            rec_h = linalg_ops.matmul(hs[2], rk[2])
            if rec_bias is not None:
                rec_h = rec_h + rec_bias[u * 2 :]
            rec_h = r * rec_h
        else:
            rec_h = linalg_ops.matmul(r * hs[2], rk[2])
        return self.activation(x[2] + rec_h), z

    def _sequence_step(self, sequences, training):
        """The input projections of all steps at once, and the recurrent part per step."""
        if type(self).call is not GRUCell.call or not self.built or self.implementation == 1:
            return None
        if training and 0.0 < self.dropout < 1.0:
            mask = self.get_dropout_mask(sequences[:, 0])
            sequences = sequences * array_ops.expand_dims(mask, 1)
        input_bias, recurrent_bias = self._biases()
        projected = rnn_loop.project(sequences, backend.convert_to_tensor(self.kernel))
        if input_bias is not None:
            projected = math_ops.add(projected, input_bias)
        recurrent_kernel = backend.convert_to_tensor(self.recurrent_kernel)

        def step(matrix_x, states):
            h_tm1 = states[0]
            hh, z = self._gates(matrix_x, h_tm1, recurrent_kernel, recurrent_bias)
            h = z * h_tm1 + (1 - z) * hh
            return h, [h]

        return projected, step

    def get_initial_state(self, batch_size=None):
        return [array_creation_ops.zeros((batch_size, self.state_size), dtype=self.compute_dtype)]

    def get_config(self):
        config = {
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            **cell_utils.weight_args_config(self),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "reset_after": self.reset_after,
            "seed": self.seed,
        }
        return {**super().get_config(), **config}


@keras_export("keras.layers.GRU")
class GRU(RNN):
    """Gated Recurrent Unit layer (Cho et al. 2014): a ``GRUCell`` run over time.

    Args:
        units, activation, recurrent_activation, use_bias, *_initializer, *_regularizer,
            *_constraint, dropout, recurrent_dropout, reset_after, seed: as in ``GRUCell``.
        activity_regularizer: optional regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as in ``RNN``.
        use_cudnn: ``'auto'``, True or False (no cuDNN here: True raises at call time).

    Example:
        >>> keras.layers.GRU(4, return_sequences=True)(tf.ones((2, 5, 3))).shape
        TensorShape([2, 5, 4])
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
        reset_after=True,
        use_cudnn="auto",
        **kwargs,
    ):
        cell = GRUCell(
            units,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
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
            reset_after=reset_after,
            dtype=kwargs.get("dtype", None),
            trainable=kwargs.get("trainable", True),
            name="gru_cell",
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
        extra = ("recurrent_activation", "reset_after", "seed")
        return {**base, **cell_utils.layer_config(self, *extra)}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


cell_utils.forward_to_cell(
    GRU, cell_utils.CELL_PROPERTIES + ("recurrent_activation", "reset_after")
)
