"""``keras.layers.SimpleRNNCell`` / ``SimpleRNN``: ``h_t = activation(x_t W + b + h_{t-1} U)``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import activations, backend
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.rnn import cell_utils, rnn_loop
from tensorlet.keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from tensorlet.keras.src.layers.rnn.rnn import RNN
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import array_creation_ops, array_ops, linalg_ops, math_ops


@keras_export("keras.layers.SimpleRNNCell")
class SimpleRNNCell(Layer, DropoutRNNCell):
    """One step of a fully-connected RNN: ``output = activation(x @ kernel + bias +
    h_prev @ recurrent_kernel)``; the output is also the new state.

    Args:
        units: positive int, the output size.
        activation: default ``'tanh'`` (None: linear).
        use_bias: whether to add a bias (default True).
        kernel_initializer, recurrent_initializer, bias_initializer: defaults
            ``'glorot_uniform'``, ``'orthogonal'``, ``'zeros'``.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional.
        kernel_constraint, recurrent_constraint, bias_constraint: optional.
        dropout, recurrent_dropout: fractions of inputs / states to drop while training.
        seed: seed of the dropout masks.

    Example:
        >>> cell = keras.layers.SimpleRNNCell(3)
        >>> out, states = cell(tf.ones((2, 4)), [tf.zeros((2, 3))])
        >>> out.shape
        TensorShape([2, 3])
    """

    def __init__(
        self,
        units,
        activation="tanh",
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
        seed=None,
        **kwargs,
    ):
        cell_utils.check_units(units)
        weight_args = dict(locals())
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        cell_utils.set_weight_args(self, weight_args)
        self.dropout = cell_utils.clip_rate(dropout)
        self.recurrent_dropout = cell_utils.clip_rate(recurrent_dropout)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        self.kernel = cell_utils.cell_weight(
            self, "kernel", "kernel", (input_shape[-1], self.units)
        )
        self.recurrent_kernel = cell_utils.cell_weight(
            self, "recurrent", "recurrent_kernel", (self.units, self.units)
        )
        self.bias = (
            cell_utils.cell_weight(self, "bias", "bias", (self.units,)) if self.use_bias else None
        )

    def call(self, sequence, states, training=False):
        prev_output = states[0] if isinstance(states, (list, tuple)) else states
        dp_mask = self.get_dropout_mask(sequence)
        rec_dp_mask = self.get_recurrent_dropout_mask(prev_output)
        if training and dp_mask is not None:
            sequence = sequence * dp_mask
        h = linalg_ops.matmul(sequence, backend.convert_to_tensor(self.kernel))
        if self.bias is not None:
            h = math_ops.add(h, backend.convert_to_tensor(self.bias))
        if training and rec_dp_mask is not None:
            prev_output = prev_output * rec_dp_mask
        output = h + linalg_ops.matmul(
            prev_output, backend.convert_to_tensor(self.recurrent_kernel)
        )
        if self.activation is not None:
            output = self.activation(output)
        new_state = [output] if isinstance(states, (list, tuple)) else output
        return output, new_state

    def _sequence_step(self, sequences, training):
        """The input projections of all steps at once, and the recurrent part per step."""
        if type(self).call is not SimpleRNNCell.call or not self.built:
            return None
        dp_mask = self.get_dropout_mask(sequences[:, 0]) if training else None
        if dp_mask is not None:
            sequences = sequences * array_ops.expand_dims(dp_mask, 1)
        projected = rnn_loop.project(sequences, backend.convert_to_tensor(self.kernel))
        if self.bias is not None:
            projected = math_ops.add(projected, backend.convert_to_tensor(self.bias))
        recurrent_kernel = backend.convert_to_tensor(self.recurrent_kernel)
        rec_dp_mask = self.recurrent_dropout > 0 and training
        activation = self.activation

        def step(h, states):
            prev_output = states[0]
            if rec_dp_mask:
                prev_output = prev_output * self.get_recurrent_dropout_mask(prev_output)
            output = h + linalg_ops.matmul(prev_output, recurrent_kernel)
            if activation is not None:
                output = activation(output)
            return output, [output]

        return projected, step

    def get_initial_state(self, batch_size=None):
        return [array_creation_ops.zeros((batch_size, self.state_size), dtype=self.compute_dtype)]

    def get_config(self):
        config = {
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            **cell_utils.weight_args_config(self),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
        return {**super().get_config(), **config}


@keras_export("keras.layers.SimpleRNN")
class SimpleRNN(RNN):
    """A fully-connected RNN whose output is fed back as the next input state.

    Args:
        units, activation, use_bias, *_initializer, *_regularizer, *_constraint, dropout,
            recurrent_dropout, seed: as in ``SimpleRNNCell``.
        activity_regularizer: optional regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as in ``RNN``.

    Call arguments:
        sequences: ``(batch, timesteps, features)``; mask, training, initial_state as ``RNN``.

    Example:
        >>> keras.layers.SimpleRNN(4)(tf.ones((2, 5, 3))).shape
        TensorShape([2, 4])
    """

    def __init__(
        self,
        units,
        activation="tanh",
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
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        seed=None,
        **kwargs,
    ):
        cell = SimpleRNNCell(
            units,
            activation=activation,
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
            seed=seed,
            dtype=kwargs.get("dtype", None),
            trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell",
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
        self.input_spec = [InputSpec(ndim=3)]

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, mask=mask, training=training, initial_state=initial_state)

    def get_config(self):
        base = super().get_config()
        del base["cell"]
        return {**base, **cell_utils.layer_config(self)}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


cell_utils.forward_to_cell(SimpleRNN, cell_utils.CELL_PROPERTIES)
