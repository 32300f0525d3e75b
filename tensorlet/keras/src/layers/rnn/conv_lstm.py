"""``ConvLSTMCell`` / ``ConvLSTM``: an LSTM whose input and recurrent transformations are
convolutions (Shi et al. 2015); the base of ``ConvLSTM1D/2D/3D``.

Gates in Keras' order ``i, f, c, o`` along the last kernel axis (``filters`` each). The input
convolution uses the layer's strides / padding / dilation; the recurrent one is stride 1,
``'same'``. ``channels_first`` inputs are transposed around channels-last convolutions (TF's CPU
kernels are NHWC only).
"""

from tensorlet.keras.src import activations, backend, initializers
from tensorlet.keras.src.layers.convolutional.base_conv import (
    conv_output_length,
    standardize_padding,
    standardize_tuple,
)
from tensorlet.keras.src.layers.input_spec import InputSpec
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.rnn import cell_utils
from tensorlet.keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from tensorlet.keras.src.layers.rnn.rnn import RNN
from tensorlet.keras.src.random.seed_generator import SeedGenerator
from tensorlet.ops import array_creation_ops, array_ops, conv_ops, math_ops

_FORMATS = {1: "NWC", 2: "NHWC", 3: "NDHWC"}


class ConvLSTMCell(Layer, DropoutRNNCell):
    """One ConvLSTM step on ``(batch, *spatial, channels)`` (or channels first); states
    ``[h, c]`` have the shape of the input convolution's output.

    Args:
        rank: 1, 2 or 3. filters: output channels. kernel_size, strides, padding,
            data_format, dilation_rate: of the input convolution.
        activation, recurrent_activation, use_bias, *_initializer, unit_forget_bias,
            *_regularizer, *_constraint, dropout, recurrent_dropout, seed: as in ``LSTMCell``.
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        weight_args = dict(locals())
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed=seed)
        if rank > 3:
            raise ValueError(
                f"Rank {rank} convolutions are not currently implemented. Received: rank={rank}"
            )
        self.rank = rank
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = standardize_padding(padding)
        self.data_format = backend.standardize_data_format(data_format)
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Please "
                f"provide `strides=1` or `dilation_rate=1`. Received: strides={self.strides} "
                f"and dilation_rate={self.dilation_rate}"
            )
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        cell_utils.set_weight_args(self, weight_args)
        self.unit_forget_bias = unit_forget_bias
        self.dropout = cell_utils.clip_rate(dropout)
        self.recurrent_dropout = cell_utils.clip_rate(recurrent_dropout)
        self.dropout_mask_count = 4
        self.input_spec = InputSpec(ndim=rank + 2)
        self.state_size = -1  # the states' shapes depend on the input (see get_initial_state)

    def build(self, inputs_shape, states_shape=None):
        inputs_shape = tuple(inputs_shape)
        if self.data_format == "channels_first":
            channel_axis, self.spatial_dims = 1, inputs_shape[2:]
        else:
            channel_axis, self.spatial_dims = -1, inputs_shape[1:-1]
        if None in self.spatial_dims:
            raise ValueError(
                "ConvLSTM layers only support static input shapes for the spatial dimension. "
                f"Received invalid input shape: input_shape={inputs_shape}"
            )
        if inputs_shape[channel_axis] is None:
            raise ValueError(
                "The channel dimension of the inputs (last axis) should be defined. Found "
                f"None. Full input shape received: input_shape={inputs_shape}"
            )
        self.input_spec = InputSpec(ndim=self.rank + 3, shape=(None,) + inputs_shape[1:])
        self.input_dim = input_dim = inputs_shape[channel_axis]
        f4 = self.filters * 4
        self.kernel = cell_utils.cell_weight(
            self, "kernel", "kernel", self.kernel_size + (input_dim, f4)
        )
        self.recurrent_kernel = cell_utils.cell_weight(
            self, "recurrent", "recurrent_kernel", self.kernel_size + (self.filters, f4)
        )
        if not self.use_bias:
            self.bias = None
            return
        initializer = None
        if self.unit_forget_bias:
            base, filters = self.bias_initializer, self.filters

            def initializer(_, dtype=None):
                ones = initializers.get("ones")
                return array_ops.concat(
                    [
                        base((filters,), dtype=dtype),
                        ones((filters,), dtype=dtype),
                        base((filters * 2,), dtype=dtype),
                    ],
                    axis=0,
                )

        self.bias = cell_utils.cell_weight(self, "bias", "bias", (f4,), initializer)

    # ---------------------------------------------------------------- convolutions
    def _conv(self, x, w, strides, padding, dilations):
        first = self.data_format == "channels_first"
        if first:
            x = array_ops.transpose(x, [0] + list(range(2, self.rank + 2)) + [1])
        out = conv_ops.convolution(
            x,
            w,
            strides=list(strides),
            padding=padding.upper(),
            data_format=_FORMATS[self.rank],
            dilations=list(dilations),
        )
        if first:
            out = array_ops.transpose(out, [0, self.rank + 1] + list(range(1, self.rank + 1)))
        return out

    def input_conv(self, x, w, b=None, padding="valid"):
        out = self._conv(x, w, self.strides, padding, self.dilation_rate)
        if b is not None:
            n = w.shape[-1]
            if self.data_format == "channels_last":
                shape = (1,) * (self.rank + 1) + (n,)
            else:
                shape = (1, n) + (1,) * self.rank
            out = out + array_ops.reshape(b, shape)
        return out

    def recurrent_conv(self, x, w):
        return self._conv(x, w, (1,) * self.rank, "same", (1,) * self.rank)

    def _channel_split(self, x):
        axis = 1 if self.data_format == "channels_first" else -1
        return array_ops.split(x, 4, axis=axis)

    # ---------------------------------------------------------------- steps
    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        xs = [inputs] * 4
        if training and 0.0 < self.dropout < 1.0:
            xs = [inputs * m for m in self.get_dropout_mask(inputs)]
        hs = [h_tm1] * 4
        if training and 0.0 < self.recurrent_dropout < 1.0:
            hs = [h_tm1 * m for m in self.get_recurrent_dropout_mask(h_tm1)]
        axis = self.rank + 1
        ks = array_ops.split(backend.convert_to_tensor(self.kernel), 4, axis=axis)
        rks = array_ops.split(backend.convert_to_tensor(self.recurrent_kernel), 4, axis=axis)
        bs = [None] * 4
        if self.use_bias:
            bs = array_ops.split(backend.convert_to_tensor(self.bias), 4)
        x = [self.input_conv(a, k, b, padding=self.padding) for a, k, b in zip(xs, ks, bs)]
        h = [self.recurrent_conv(a, k) for a, k in zip(hs, rks)]
        i = self.recurrent_activation(x[0] + h[0])
        f = self.recurrent_activation(x[1] + h[1])
        c = f * c_tm1 + i * self.activation(x[2] + h[2])
        o = self.recurrent_activation(x[3] + h[3])
        h = o * self.activation(c)
        return h, [h, c]

    def _sequence_step(self, sequences, training):
        """The input convolution of all steps at once, and the recurrent one per step."""
        dropping = training and (self.dropout > 0 or self.recurrent_dropout > 0)
        if type(self).call is not ConvLSTMCell.call or not self.built or dropping:
            return None
        shape = sequences.shape.as_list()
        folded = array_ops.reshape(sequences, [-1] + shape[2:])
        bias = backend.convert_to_tensor(self.bias) if self.use_bias else None
        xz = self.input_conv(folded, backend.convert_to_tensor(self.kernel), bias, self.padding)
        lead = shape[:2] if None not in shape[:2] else None
        if lead is None:
            lead = array_ops.shape(sequences)[:2]
            xz = array_ops.reshape(xz, array_ops.concat([lead, array_ops.shape(xz)[1:]], 0))
        else:
            xz = array_ops.reshape(xz, lead + xz.shape.as_list()[1:])
        recurrent_kernel = backend.convert_to_tensor(self.recurrent_kernel)

        def step(z_x, states):
            h_tm1, c_tm1 = states[0], states[1]
            z = math_ops.add(z_x, self.recurrent_conv(h_tm1, recurrent_kernel))
            z0, z1, z2, z3 = self._channel_split(z)
            i = self.recurrent_activation(z0)
            f = self.recurrent_activation(z1)
            c = f * c_tm1 + i * self.activation(z2)
            o = self.recurrent_activation(z3)
            h = o * self.activation(c)
            return h, [h, c]

        return xz, step

    def compute_output_shape(self, inputs_shape, states_shape=None):
        inputs_shape = tuple(inputs_shape)
        first = self.data_format == "channels_first"
        spatial = inputs_shape[2:] if first else inputs_shape[1:-1]
        out = tuple(
            conv_output_length(s, k, self.padding, st, d)
            for s, k, st, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)
        )
        if first:
            shape = (inputs_shape[0], self.filters) + out
        else:
            shape = (inputs_shape[0],) + out + (self.filters,)
        return shape, [shape, shape]

    def get_initial_state(self, batch_size=None):
        if self.data_format == "channels_last":
            input_shape = (batch_size,) + tuple(self.spatial_dims) + (self.input_dim,)
        else:
            input_shape = (batch_size, self.input_dim) + tuple(self.spatial_dims)
        state_shape = self.compute_output_shape(input_shape)[0]
        zeros = array_creation_ops.zeros
        return [zeros(state_shape, dtype=self.compute_dtype) for _ in range(2)]

    def _conv_config(self):
        return {
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            **cell_utils.weight_args_config(self),
            "unit_forget_bias": self.unit_forget_bias,
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }

    def get_config(self):
        return {**super().get_config(), **self._conv_config()}


class ConvLSTM(RNN):
    """N-D convolutional LSTM over ``(batch, time, *spatial, channels)``: a ``ConvLSTMCell``
    run over time (see ``ConvLSTM1D/2D/3D``)."""

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        **kwargs,
    ):
        cell = ConvLSTMCell(
            rank=rank,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            name="conv_lstm_cell",
            dtype=kwargs.get("dtype"),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            **kwargs,
        )
        self.input_spec = InputSpec(ndim=rank + 3)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        return super().call(sequences, initial_state=initial_state, mask=mask, training=training)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        batch_size, steps = sequences_shape[0], sequences_shape[1]
        step_shape = (batch_size,) + sequences_shape[2:]
        state_shape = self.cell.compute_output_shape(step_shape)[0][1:]
        if self.return_sequences:
            output_shape = (batch_size, steps) + state_shape
        else:
            output_shape = (batch_size,) + state_shape
        if self.return_state:
            batched = (batch_size,) + state_shape
            return output_shape, batched, batched
        return output_shape

    def compute_mask(self, _, mask):
        mask = mask[0] if isinstance(mask, (list, tuple)) else mask
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask, None, None]
        return output_mask

    def get_config(self):
        base = super().get_config()
        del base["cell"]
        config = self.cell._conv_config()
        config["activity_regularizer"] = cell_utils.serialization_lib.serialize_keras_object(
            self.activity_regularizer
        )
        return {**base, **config}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


cell_utils.forward_to_cell(
    ConvLSTM,
    (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
        "recurrent_activation",
        "unit_forget_bias",
    )
    + cell_utils.CELL_PROPERTIES[1:],
)
