"""Rebuilding a Sequential or functional Keras model with some layers replaced.

``clone_model(model, clone_function)`` builds a new model of the same structure where each layer
is ``clone_function(layer)`` (called once per layer; the input layers are recreated). This is
Keras' ``clone_model`` with a ``clone_function``, which tfmot uses to add and strip wrappers: the
returned layers may be the original objects, so the weights are shared.
"""

from tensorlet.framework import nest
from tensorlet.keras.src.backend.keras_tensor import KerasTensor
from tensorlet.keras.src.layers.core.input_layer import InputLayer
from tensorlet.keras.src.models.functional import Functional
from tensorlet.keras.src.models.model import Model
from tensorlet.keras.src.models.sequential import Sequential


def is_sequential_or_functional(model):
    return isinstance(model, (Sequential, Functional))


def _clone_input_layer(layer):
    return InputLayer.from_config(layer.get_config())


def clone_model(model, clone_function):
    """A Sequential or functional copy of ``model`` with each layer mapped by
    ``clone_function``."""
    if isinstance(model, Sequential):
        layers = [
            _clone_input_layer(layer) if isinstance(layer, InputLayer) else clone_function(layer)
            for layer in model._layers_list
        ]
        return Sequential(layers, name=model.name, trainable=model.trainable)
    if isinstance(model, Functional):
        return _clone_functional(model, clone_function)
    raise ValueError(
        "Arguments clone_function and call_function are only supported for Sequential models "
        f"or Functional models. Received model of type '{model.__class__.__name__}', with "
        f"clone_function={clone_function}"
    )


def _clone_functional(model, clone_function):
    values = {}
    new_inputs = []
    for kt in model.inputs:
        new_kt = _clone_input_layer(kt._keras_history.operation).output
        values[id(kt)] = new_kt
        new_inputs.append(new_kt)
    clones = {}
    for node in model._nodes:
        layer = node.operation
        if isinstance(layer, InputLayer):
            continue
        if id(layer) not in clones:
            clones[id(layer)] = clone_function(layer)
        args, kwargs = nest.map_structure(
            lambda x: values[id(x)] if isinstance(x, KerasTensor) else x, node.arguments
        )
        outputs = clones[id(layer)](*args, **kwargs)
        for kt, out in zip(node.output_tensors, nest.flatten(outputs)):
            values[id(kt)] = out
    inputs = nest.pack_sequence_as(model._inputs_struct, new_inputs)
    outputs = nest.pack_sequence_as(model._outputs_struct, [values[id(kt)] for kt in model.outputs])
    return Model(inputs=inputs, outputs=outputs, name=model.name, trainable=model.trainable)
