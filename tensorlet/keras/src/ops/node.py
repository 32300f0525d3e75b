"""``Node``: one call of an operation on KerasTensors (the edges of a functional graph)."""

import collections

from tensorlet.framework import nest
from tensorlet.keras.src.backend.keras_tensor import KerasTensor

KerasHistory = collections.namedtuple("KerasHistory", ["operation", "node_index", "tensor_index"])


class Node:
    """Records ``operation(*call_args, **call_kwargs) -> outputs`` on symbolic tensors and
    stamps each output with its ``_keras_history``."""

    def __init__(self, operation, call_args=None, call_kwargs=None, outputs=None):
        self.operation = operation
        self.arguments = (tuple(call_args or ()), dict(call_kwargs or {}))
        self.outputs = outputs
        self.input_tensors = [x for x in nest.flatten(self.arguments) if isinstance(x, KerasTensor)]
        self.output_tensors = [x for x in nest.flatten(outputs) if isinstance(x, KerasTensor)]
        if any(not x.record_history for x in self.input_tensors):
            return
        node_index = len(operation._inbound_nodes)
        operation._inbound_nodes.append(self)
        for kt in self.input_tensors:
            if kt._keras_history is not None:
                kt._keras_history.operation._outbound_nodes.append(self)
        for i, t in enumerate(self.output_tensors):
            t._keras_history = KerasHistory(operation, node_index, i)

    @property
    def parent_nodes(self):
        """The nodes that produced this node's inputs."""
        out = []
        for kt in self.input_tensors:
            if kt._keras_history is not None:
                op, node_index, _ = kt._keras_history
                node = op._inbound_nodes[node_index]
                if node not in out:
                    out.append(node)
        return out

    @property
    def is_input(self):
        return not self.input_tensors
