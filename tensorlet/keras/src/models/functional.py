"""``Functional``: a model defined by a graph of layer calls on KerasTensors.

``keras.Model(inputs, outputs)`` walks back from ``outputs`` through each tensor's
``_keras_history`` to the inputs, keeps the nodes in execution order, and replays them on real
tensors in ``call``.
"""

import copy
import inspect

from tensorlet.framework import nest
from tensorlet.keras.src.backend.keras_tensor import KerasTensor
from tensorlet.keras.src.layers.core.input_layer import InputLayer
from tensorlet.keras.src.models.model import Model
from tensorlet.keras.src.ops.node import KerasHistory
from tensorlet.keras.src.saving import serialization_lib


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
    def input_shape(self):
        shapes = [kt.shape for kt in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [kt.shape for kt in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

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
        flat_in = adjust_input_rank(flat_in, self.inputs)
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

    # ---------------------------------------------------------------- config
    def get_config(self):
        """Keras' functional config: each layer with its ``inbound_nodes`` (the calls that belong
        to this model), and ``input_layers`` / ``output_layers`` as ``[name, node, tensor]``."""
        if not functional_like_constructor(self.__class__):
            return Model.get_config(self)
        own = {id(node) for node in self._nodes}
        reindex = {}  # id(node) -> its index among the operation's nodes kept in the config
        for operation in self._operations:
            kept = 1 if isinstance(operation, Functional) else 0  # Keras: a built-in first node
            for node in operation._inbound_nodes:
                if id(node) in own:
                    reindex[id(node)] = kept
                    kept += 1
        legacy = serialization_lib.in_legacy_config()
        layer_configs = []
        for operation in self._operations:
            nodes = [
                _serialize_node(node, own)
                for node in operation._inbound_nodes
                if id(node) in own and node.input_tensors
            ]
            if legacy:
                from tensorlet.keras.src.saving import legacy_config

                layer_config = legacy_config.legacy_serialize(operation)
            else:
                layer_config = serialization_lib.serialize_keras_object(operation)
            layer_config["name"] = operation.name
            layer_config["inbound_nodes"] = nodes
            layer_configs.append(layer_config)

        def tensor_config(kt):
            operation, node_index, tensor_index = kt._keras_history
            node = operation._inbound_nodes[node_index]
            return [operation.name, reindex[id(node)], tensor_index]

        config = {"name": self.name, "trainable": self.trainable, "layers": layer_configs}
        config["input_layers"] = nest.map_structure(tensor_config, self._inputs_struct)
        config["output_layers"] = nest.map_structure(tensor_config, self._outputs_struct)
        return copy.deepcopy(config)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return functional_from_config(cls, config, custom_objects=custom_objects)


def functional_like_constructor(cls):
    """Whether ``cls.__init__`` takes Functional's arguments (then its config is functional)."""
    init_args = inspect.getfullargspec(cls.__init__).args[1:]
    return init_args == inspect.getfullargspec(Functional.__init__).args[1:]


def _serialize_node(node, own):
    """``{"args", "kwargs"}`` of a call, KerasTensors as ``__keras_tensor__`` whose history
    counts only the calls kept in the model's config."""

    def tensor(x):
        if not isinstance(x, KerasTensor) or x._keras_history is None:
            return x
        operation, node_index, tensor_index = x._keras_history
        skipped = sum(1 for n in operation._inbound_nodes[:node_index] if id(n) not in own)
        saved = x._keras_history
        x._keras_history = KerasHistory(operation, node_index - skipped, tensor_index)
        try:
            return serialization_lib.serialize_keras_object(x)
        finally:
            x._keras_history = saved

    args, kwargs = node.arguments
    return {
        "args": serialization_lib.serialize_keras_object(nest.map_structure(tensor, list(args))),
        "kwargs": serialization_lib.serialize_keras_object(nest.map_structure(tensor, kwargs)),
    }


def functional_from_config(cls, config, custom_objects=None):
    """A ``cls`` instance from a functional config: the layers are created, then called on
    each other's outputs in the recorded order (shared layers get several calls)."""
    from tensorlet.keras.src.saving import legacy_config

    config = dict(config)
    layers_data = config.pop("layers")
    input_layers, output_layers = config.pop("input_layers"), config.pop("output_layers")
    name, trainable = config.pop("name", None), config.pop("trainable", None)
    created, pending = {}, {}
    for layer_data in layers_data:
        if "module" not in layer_data:  # legacy (HDF5 / Keras 2) layer config
            layer = legacy_config.model_from_config(layer_data, custom_objects=custom_objects)
        else:
            layer = serialization_lib.deserialize_keras_object(
                layer_data, custom_objects=custom_objects
            )
        created[layer_data["name"]] = layer
        pending.setdefault(id(layer), []).extend(layer_data["inbound_nodes"])
    while any(pending.values()):
        progressed = False
        for layer_data in layers_data:
            layer = created[layer_data["name"]]
            queue = pending.get(id(layer))
            while queue:
                try:
                    args, kwargs = _deserialize_node(queue[0], created)
                except IndexError:
                    break
                layer(*args, **kwargs)
                queue.pop(0)
                progressed = True
        if not progressed:
            raise ValueError("Cannot deserialize the model: a layer call refers to a missing node.")

    def get_tensor(layer_name, node_index, tensor_index):
        layer = created[layer_name]
        if isinstance(layer, Functional):
            node_index -= 1  # Keras counts a built-in first node of nested functional models
        return layer._inbound_nodes[node_index].output_tensors[tensor_index]

    def map_tensors(tensors):
        if isinstance(tensors, list) and len(tensors) == 3 and isinstance(tensors[0], str):
            return get_tensor(*tensors)
        if isinstance(tensors, dict):
            return {k: map_tensors(v) for k, v in tensors.items()}
        if isinstance(tensors, tuple):
            return tuple(map_tensors(v) for v in tensors)
        return [map_tensors(v) for v in tensors]

    inputs, outputs = map_tensors(input_layers), map_tensors(output_layers)
    config.pop("input_spec", None)
    config.pop("compile_config", None)
    return cls(inputs=inputs, outputs=outputs, name=name, trainable=trainable, **config)


def _deserialize_node(node_data, created):
    """(args, kwargs) of a recorded call; IndexError while an input's node does not exist yet."""
    if not node_data:
        return [], {}
    if isinstance(node_data, list):  # Keras 2: [[layer name, node, tensor(, kwargs)], ...]
        tensors, kwargs = [], {}
        for entry in node_data:
            if len(entry) not in (3, 4):
                raise ValueError("Cannot deserialize the model (invalid config data?)")
            if len(entry) == 4:
                kwargs = entry[3]
            tensors.append(_node_output(created[entry[0]], entry[1], entry[2]))
        return [tensors[0] if len(tensors) == 1 else tensors], kwargs
    args = serialization_lib.deserialize_keras_object(node_data["args"])
    kwargs = serialization_lib.deserialize_keras_object(node_data["kwargs"])

    def revive(x):
        history = getattr(x, "_pre_serialization_keras_history", None)
        if not isinstance(x, KerasTensor) or history is None:
            return x
        layer = created.get(history[0])
        if layer is None:
            raise ValueError(f"Unknown layer: {history[0]}")
        return _node_output(layer, history[1], history[2])

    return nest.map_structure(revive, args), nest.map_structure(revive, kwargs)


def _node_output(layer, node_index, tensor_index):
    if len(layer._inbound_nodes) <= node_index:
        raise IndexError(
            f"Layer node index out of bounds.\ninbound_layer = {layer}\n"
            f"inbound_layer._inbound_nodes = {layer._inbound_nodes}\n"
            f"inbound_node_index = {node_index}"
        )
    return layer._inbound_nodes[node_index].output_tensors[tensor_index]


def adjust_input_rank(flat_inputs, ref_inputs):
    """Keras' input standardization: a trailing dimension of 1 is squeezed or added to match
    the model's Input rank; any other rank mismatch is Keras' ValueError."""
    from tensorlet.ops import array_ops

    out = []
    for x, ref in zip(flat_inputs, ref_inputs):
        if x is None or not hasattr(x, "shape") or x.shape.rank is None:
            out.append(x)
            continue
        ref_shape = tuple(ref.shape)
        rank, ref_rank = x.shape.rank, len(ref_shape)
        if rank == ref_rank:
            out.append(x)
        elif rank == ref_rank + 1 and x.shape[-1] == 1:
            out.append(array_ops.squeeze(x, axis=-1))
        elif rank == ref_rank - 1 and ref_shape[-1] == 1:
            out.append(array_ops.expand_dims(x, axis=-1))
        else:
            raise ValueError(
                f"Invalid input shape for input {x}. Expected shape {ref_shape}, but input has "
                f"incompatible shape {tuple(x.shape.as_list())}"
            )
    return out


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
