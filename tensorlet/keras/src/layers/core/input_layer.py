"""``keras.Input`` / ``keras.layers.InputLayer``: the symbolic entry point of a model."""

import warnings

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.ops.node import Node


@keras_export("keras.layers.InputLayer")
class InputLayer(Layer):
    """The layer whose output is a model's input KerasTensor (use ``keras.Input`` instead).

    Args:
        shape: the shape without the batch dimension, e.g. ``(3,)``.
        batch_size: optional fixed batch size.
        dtype: the input dtype (default ``floatx()``).
        sparse, ragged: whether the input is sparse / ragged.
        batch_shape: the full shape including the batch dimension (instead of ``shape``).
        input_tensor: an existing KerasTensor to wrap.
        name: the layer name.
    """

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        ragged=None,
        batch_shape=None,
        input_tensor=None,
        optional=False,
        name=None,
        **kwargs,
    ):
        super().__init__(name=name)
        if "input_shape" in kwargs:
            warnings.warn("Argument `input_shape` is deprecated. Use `shape` instead.")
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {list(kwargs.keys())}")
        if input_tensor is not None:
            if not isinstance(input_tensor, backend.KerasTensor):
                raise ValueError(
                    "Argument `input_tensor` must be a KerasTensor. Received "
                    f"invalid type: input_tensor={input_tensor} (of type "
                    f"{type(input_tensor)})"
                )
            shape, batch_shape = None, input_tensor.shape
        if shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
        if batch_size is not None and batch_shape is not None:
            raise ValueError(
                "You cannot pass both `batch_size` and `batch_shape` at the same time."
            )
        if shape is None and batch_shape is None:
            raise ValueError("You must pass a `shape` argument.")
        if shape is not None:
            batch_shape = (batch_size,) + backend.standardize_shape(shape)
        self._batch_shape = backend.standardize_shape(batch_shape)
        self._input_dtype = backend.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.optional = optional
        if input_tensor is None:
            input_tensor = backend.KerasTensor(
                self._batch_shape,
                dtype=self._input_dtype,
                sparse=self.sparse,
                ragged=self.ragged,
                name=name,
            )
        self._input_tensor = input_tensor
        Node(operation=self, call_args=(), call_kwargs={}, outputs=input_tensor)
        self.built = True

    def call(self):
        return

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def dtype(self):
        return self._input_dtype

    def get_config(self):
        return {
            "batch_shape": self._batch_shape,
            "dtype": self._input_dtype,
            "sparse": self.sparse,
            "ragged": self.ragged,
            "name": self.name,
            "optional": self.optional,
        }


@keras_export("keras.layers.Input", "keras.Input")
def Input(
    shape=None,
    batch_size=None,
    dtype=None,
    sparse=None,
    ragged=None,
    batch_shape=None,
    name=None,
    tensor=None,
    optional=False,
):
    """A symbolic KerasTensor standing for a model input.

    Args:
        shape: the shape without the batch dimension, e.g. ``(3,)``.
        batch_size, dtype, sparse, ragged, batch_shape, name, tensor, optional: see InputLayer.

    Example:
        >>> keras.Input((3,))
        <KerasTensor shape=(None, 3), dtype=float32, sparse=False, ragged=False, name=keras_tensor>
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        ragged=ragged,
        batch_shape=batch_shape,
        name=name,
        input_tensor=tensor,
        optional=optional,
    )
    return layer.output
