"""``TFDataLayer``: the base of preprocessing layers that run inside ``tf.data`` pipelines.

Keras 3 gives these layers a switchable backend so that they can run in ``tf.data`` under any
backend. tensorlet has one backend, so the layer only reproduces what Keras does inside a traced
function (a ``tf.data`` map or a ``tf.function``): the input is converted to the layer's input
dtype (the compute dtype, or floats for ``Discretization``).
"""

from tensorlet.framework import nest
from tensorlet.framework.context import state
from tensorlet.keras.src import backend
from tensorlet.keras.src.backend.keras_tensor import KerasTensor
from tensorlet.keras.src.layers.layer import Layer


class TFDataLayer(Layer):
    """A layer whose ``call`` uses only TF ops on a single input tensor."""

    _convert_in_graph = True

    def __call__(self, inputs, **kwargs):
        if (
            state.graph is not None
            and self._convert_in_graph
            and not isinstance(inputs, KerasTensor)
        ):
            inputs = nest.map_structure(
                lambda x: backend.convert_to_tensor(x, dtype=self.input_dtype), inputs
            )
        return super().__call__(inputs, **kwargs)

    def _get_seed_generator(self, backend_name=None):
        return self.generator
