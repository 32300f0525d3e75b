"""``keras.layers.StackedRNNCells``: a list of cells run as one cell, each feeding the next."""

from tensorlet.framework import nest
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.call_context import call_info
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_creation_ops


@keras_export("keras.layers.StackedRNNCells")
class StackedRNNCells(Layer):
    """Wraps a list of RNN cells so that they behave as a single cell: at each step the output
    of cell ``i`` is the input of cell ``i + 1``; the states are the list of the cells' states.

    Args:
        cells: list of RNN cell instances.

    Example:
        >>> cells = [keras.layers.LSTMCell(4), keras.layers.GRUCell(3)]
        >>> keras.layers.RNN(keras.layers.StackedRNNCells(cells))(tf.ones((2, 5, 2))).shape
        TensorShape([2, 3])
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if "call" not in dir(cell):
                raise ValueError(
                    "All cells must have a `call` method. "
                    f"Received cell without a `call` method: {cell}"
                )
            if "state_size" not in dir(cell):
                raise ValueError(
                    "All cells must have a `state_size` attribute. "
                    f"Received cell without a `state_size`: {cell}"
                )
        self.cells = cells

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        if getattr(last, "output_size", None) is not None:
            return last.output_size
        if isinstance(last.state_size, (list, tuple)):
            return last.state_size[0]
        return last.state_size

    def get_initial_state(self, batch_size=None):
        initial_states = []
        for cell in self.cells:
            fn = getattr(cell, "get_initial_state", None)
            if fn is not None:
                initial_states.append(fn(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                initial_states.append(self._zeros(batch_size, cell.state_size))
            else:
                initial_states.append([self._zeros(batch_size, d) for d in cell.state_size])
        return initial_states

    def _zeros(self, batch_size, size):
        return array_creation_ops.zeros((batch_size, size), dtype=self.compute_dtype)

    def call(self, inputs, states, training=False, **kwargs):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            state_is_list = nest.is_nested(cell_states)
            cell_states = list(cell_states) if state_is_list else [cell_states]
            if isinstance(cell, Layer) and call_info(type(cell)).has_training:
                kwargs["training"] = training
            else:
                kwargs.pop("training", None)
            call_fn = cell.__call__ if callable(cell) else cell.call
            inputs, cell_states = call_fn(inputs, cell_states, **kwargs)
            if len(cell_states) == 1 and not state_is_list:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        if len(new_states) == 1:
            new_states = new_states[0]
        return inputs, new_states

    def build(self, input_shape):
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
                cell.built = True
            if getattr(cell, "output_size", None) is not None:
                output_dim = cell.output_size
            elif isinstance(cell.state_size, (list, tuple)):
                output_dim = cell.state_size[0]
            else:
                output_dim = cell.state_size
            batch_size = nest.flatten(input_shape)[0]
            input_shape = (batch_size, output_dim)

    def get_config(self):
        cells = [serialization_lib.serialize_keras_object(cell) for cell in self.cells]
        return {**super().get_config(), "cells": cells}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cells = [
            serialization_lib.deserialize_keras_object(c, custom_objects=custom_objects)
            for c in config.pop("cells")
        ]
        return cls(cells, **config)
