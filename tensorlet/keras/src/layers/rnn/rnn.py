"""``keras.layers.RNN``: runs a recurrent cell over the time axis of ``(batch, time, features)``."""

from tensorlet.framework import nest
from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.call_context import call_info
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.rnn import rnn_loop
from tensorlet.keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from tensorlet.keras.src.layers.rnn.stacked_rnn_cells import StackedRNNCells
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_creation_ops, array_ops


class _States:
    """Holds the state variables of a stateful RNN out of the layer's weights (as Keras)."""

    __slots__ = ("values",)

    def __init__(self, values):
        self.values = values


@keras_export("keras.layers.RNN")
class RNN(Layer):
    """Base class for recurrent layers: ``cell(input_t, states) -> (output_t, new_states)``
    applied at every time step.

    Args:
        cell: an RNN cell (a layer with ``call(inputs, states)``, ``state_size`` and optionally
            ``output_size`` / ``get_initial_state``), or a list of cells (stacked).
        return_sequences: return the whole output sequence (default False: the last output).
        return_state: also return the last states (default False).
        go_backwards: process the sequence backwards and return the reversed sequence.
        stateful: keep the last states of each batch as the next batch's initial states.
        unroll: unroll the time loop (needs a known number of time steps).
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Call arguments:
        sequences: ``(batch, timesteps, features)``.
        initial_state: list of initial state tensors (default zeros).
        mask: boolean ``(batch, timesteps)``; False steps are skipped.
        training: passed to the cell (dropout).

    Example:
        >>> layer = keras.layers.RNN(keras.layers.SimpleRNNCell(4), return_sequences=True)
        >>> layer(tf.ones((2, 3, 5))).shape
        TensorShape([2, 3, 4])
    """

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        **kwargs,
    ):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if "call" not in dir(cell):
            raise ValueError(f"Argument `cell` should have a `call` method. Received: cell={cell}")
        if "state_size" not in dir(cell):
            raise ValueError(
                "The RNN cell should have a `state_size` attribute (single integer or list "
                f"of integers, one integer per RNN state). Received: cell={cell}"
            )
        super().__init__(**kwargs)
        self.zero_output_for_mask = zero_output_for_mask
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.supports_masking = True
        self.input_spec = None
        self.__dict__["_states"] = None
        state_size = getattr(self.cell, "state_size", None)
        if state_size is None:
            raise ValueError("state_size must be specified as property on the RNN cell.")
        if not isinstance(state_size, (list, tuple, int)):
            raise ValueError(  # noqa: TRY004 (Keras' class)
                "state_size must be an integer, or a list/tuple of integers "
                "(one for each state tensor)."
            )
        self.single_state = isinstance(state_size, int)
        self.state_size = [state_size] if self.single_state else list(state_size)

    @property
    def states(self):
        holder = self.__dict__.get("_states")
        return None if holder is None else holder.values

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch_size, length = sequences_shape[0], sequences_shape[1]
        states_shape = []
        for size in self.state_size:
            if isinstance(size, int):
                states_shape.append((batch_size, size))
            else:
                states_shape.append([(batch_size, s) for s in size])
        output_size = getattr(self.cell, "output_size", None)
        if output_size is None:
            output_size = self.state_size[0]
        if not isinstance(output_size, int):
            raise ValueError("output_size must be an integer.")  # noqa: TRY004 (Keras' class)
        if self.return_sequences:
            output_shape = (batch_size, length, output_size)
        else:
            output_shape = (batch_size, output_size)
        if self.return_state:
            return (output_shape, *states_shape)
        return output_shape

    def compute_mask(self, _, mask):
        mask = nest.flatten(mask)[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None for _ in self.state_size]
        return output_mask

    def build(self, sequences_shape, initial_state_shape=None):
        step_input_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_input_shape)
            self.cell.built = True
        if self.stateful:
            if self.states is not None:
                self.reset_state()
            else:
                if sequences_shape[0] is None:
                    raise ValueError(
                        "When using `stateful=True` in a RNN, the batch size must be "
                        f"static. Found dynamic batch size: sequence.shape={sequences_shape}"
                    )
                self._create_state_variables(sequences_shape[0])

    def _create_state_variables(self, batch_size):
        with backend.name_scope(self.name, caller=self):
            values = nest.map_structure(
                lambda value: backend.Variable(
                    value, trainable=False, dtype=self.variable_dtype, name="rnn_state"
                ),
                self.get_initial_state(batch_size),
            )
        self.__dict__["_states"] = _States(values)

    def get_initial_state(self, batch_size):
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is None:
            dtype = self.cell.compute_dtype
            return [array_creation_ops.zeros((batch_size, d), dtype=dtype) for d in self.state_size]
        init_state = fn(batch_size=batch_size)
        if not nest.is_nested(init_state):
            init_state = [init_state]
        return list(init_state)

    def reset_states(self):
        self.reset_state()

    def reset_state(self):
        """Zeroes the state variables of a stateful layer."""
        if self.states is not None:
            for v in nest.flatten(self.states):
                v.assign(array_creation_ops.zeros(v.shape, dtype=v.dtype))

    # ---------------------------------------------------------------- the loop
    def _cell_kwargs(self, training):
        cell = self.cell
        if isinstance(cell, Layer) and call_info(type(cell)).has_training:
            return {"training": training}
        return {}

    def inner_loop(self, sequences, initial_state, mask, training=False):
        """``(last_output, outputs, states)`` of the cell run over ``sequences``."""
        fused = getattr(self.cell, "_sequence_step", None)
        step = fused(sequences, training) if fused is not None else None
        if step is not None:
            sequences, step_function = step
        else:
            cell_kwargs = self._cell_kwargs(training)
            cell = self.cell

            def step_function(inputs, states):
                output, new_states = cell(inputs, states, **cell_kwargs)
                if not nest.is_nested(new_states):
                    new_states = [new_states]
                return output, new_states

        if not nest.is_nested(initial_state):
            initial_state = [initial_state]
        return rnn_loop.rnn(
            step_function,
            sequences,
            initial_state,
            go_backwards=self.go_backwards,
            mask=mask,
            unroll=self.unroll,
            input_length=sequences.shape[1],
            zero_output_for_mask=self.zero_output_for_mask,
            return_all_outputs=self.return_sequences,
        )

    def call(self, sequences, initial_state=None, mask=None, training=False):
        timesteps = sequences.shape[1]
        if self.unroll and timesteps is None:
            raise ValueError(
                "Cannot unroll a RNN if the time dimension is undefined. \n"
                "- If using a Sequential model, specify the time dimension by passing an "
                "`Input()` as your first layer.\n"
                "- If using the functional API, specify the time dimension by passing a "
                "`shape` or `batch_shape` argument to your `Input()`."
            )
        if initial_state is None:
            if self.stateful:
                initial_state = self.states
            else:
                batch = sequences.shape[0]
                if batch is None:
                    batch = array_ops.shape(sequences)[0]
                initial_state = self.get_initial_state(batch_size=batch)
        if not nest.is_nested(initial_state):
            initial_state = [initial_state]
        initial_state = nest.map_structure(
            lambda x: backend.convert_to_tensor(x, dtype=self.cell.compute_dtype),
            list(initial_state),
        )
        if mask is not None and nest.is_nested(mask):
            mask = nest.flatten(mask)[0]
        self._maybe_config_dropout_masks(self.cell, sequences, initial_state)
        try:
            last_output, outputs, states = self.inner_loop(
                sequences=sequences, initial_state=initial_state, mask=mask, training=training
            )
        finally:
            self._maybe_reset_dropout_masks(self.cell)
        dtype = self.compute_dtype
        last_output = backend.cast(last_output, dtype)
        outputs = backend.cast(outputs, dtype)
        states = nest.map_structure(lambda x: backend.cast(x, dtype), states)
        if self.stateful:
            for variable, value in zip(nest.flatten(self.states), nest.flatten(states)):
                variable.assign(value)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *states)
        return output

    def _maybe_config_dropout_masks(self, cell, sequences, input_state):
        """Draws the cells' dropout masks before the loop (the same masks at every step)."""
        if not _has_dropout(cell):
            return
        state = input_state[0] if isinstance(input_state, (list, tuple)) else input_state
        step_input = sequences[:, 0]
        if isinstance(cell, DropoutRNNCell):
            cell.get_dropout_mask(step_input)
            cell.get_recurrent_dropout_mask(nest.flatten(state)[0])
        if isinstance(cell, StackedRNNCells):
            for c, s in zip(cell.cells, input_state):
                self._maybe_config_dropout_masks(c, sequences, s)
                s = list(s) if nest.is_nested(s) else [s]
                step_output, _ = c(step_input, s)
                sequences = array_ops.expand_dims(step_output, 1)
                step_input = step_output

    def _maybe_reset_dropout_masks(self, cell):
        if isinstance(cell, DropoutRNNCell):
            cell.reset_dropout_mask()
            cell.reset_recurrent_dropout_mask()
        if isinstance(cell, StackedRNNCells):
            for c in cell.cells:
                self._maybe_reset_dropout_masks(c)

    def get_config(self):
        config = {
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
        }
        config["cell"] = serialization_lib.serialize_keras_object(self.cell)
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cell = serialization_lib.deserialize_keras_object(
            config.pop("cell"), custom_objects=custom_objects
        )
        return cls(cell, **config)


def _has_dropout(cell):
    if isinstance(cell, StackedRNNCells):
        return any(_has_dropout(c) for c in cell.cells)
    return isinstance(cell, DropoutRNNCell) and (
        getattr(cell, "dropout", 0) > 0 or getattr(cell, "recurrent_dropout", 0) > 0
    )
