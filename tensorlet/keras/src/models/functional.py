"""``Functional``: a model defined by a graph of layer calls on KerasTensors.

``keras.Model(inputs, outputs)`` walks back from ``outputs`` through each tensor's
``_keras_history`` to the inputs, keeps the nodes in execution order, and replays them on real
tensors in ``call``.
"""

from tensorlet.framework import nest
from tensorlet.keras.src.backend.keras_tensor import KerasTensor
from tensorlet.keras.src.layers.core.input_layer import InputLayer
from tensorlet.keras.src.models.model import Model


class Functional(Model):
    """A model from ``inputs`` and ``outputs`` KerasTensors (see ``keras.Model``)."""

    def __init__(self, inputs, outputs, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        flat_inputs, flat_outputs = nest.flatten(inputs), nest.flatten(outputs)
        for x in flat_inputs + flat_outputs:
            if not isinstance(x, KerasTensor):
                raise ValueError(  # noqa: TRY004 (Keras' class)
                    "All `inputs` and `outputs` values must be KerasTensors. "
                    f"Received: inputs={inputs}, outputs={outputs}"
                )
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._nodes = _nodes_in_order(flat_inputs, flat_outputs)
        operations = []
        for node in self._nodes:
            if node.operation not in operations:
                operations.append(node.operation)
        self._operations = operations
        self.built = True

    @property
    def _layers(self):
        return list(self._operations)

    @property
    def inputs(self):
        return nest.flatten(self._inputs_struct)

    @property
    def outputs(self):
        return nest.flatten(self._outputs_struct)

    @property
    def output_names(self):
        """The names of the layers producing the outputs (keys of per-output logs)."""
        return [kt._keras_history.operation.name for kt in self.outputs]

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    def call(self, inputs, training=None, mask=None):
        flat_in = nest.flatten(inputs)
        if len(flat_in) != len(self.inputs):
            raise ValueError(
                f"Functional model '{self.name}' expects {len(self.inputs)} "
                f"input(s), but it received {len(flat_in)} input tensors."
            )
        values = {id(kt): x for kt, x in zip(self.inputs, flat_in)}
        for node in self._nodes:
            if isinstance(node.operation, InputLayer):
                continue
            args, kwargs = nest.map_structure(
                lambda x: values[id(x)] if isinstance(x, KerasTensor) else x, node.arguments
            )
            info = getattr(node.operation, "_call_info", None)
            if info is not None and info.has_training and training is not None:
                kwargs = dict(kwargs, training=training)
            outputs = node.operation(*args, **kwargs)
            for kt, out in zip(node.output_tensors, nest.flatten(outputs)):
                values[id(kt)] = out
        return nest.pack_sequence_as(self._outputs_struct, [values[id(kt)] for kt in self.outputs])


def _nodes_in_order(inputs, outputs):
    """The nodes between ``inputs`` and ``outputs``, each after the nodes it depends on."""
    input_ids = {id(x) for x in inputs}
    order, done = [], set()

    def visit(tensor, path):
        history = tensor._keras_history
        if history is None:
            raise ValueError(
                f"Output tensors of a Functional model must be the output of a "
                f"Keras layer. Received: {tensor}"
            )
        node = history.operation._inbound_nodes[history.node_index]
        if id(node) in done:
            return
        if id(node) in path:
            raise ValueError("The graph of layer calls has a cycle.")
        path = path | {id(node)}
        if id(tensor) not in input_ids:
            for parent in node.input_tensors:
                visit(parent, path)
        done.add(id(node))
        order.append(node)

    for x in inputs + outputs:
        visit(x, frozenset())
    return order
