"""``keras.layers.Reshape``: reshapes each sample to ``target_shape``."""

import math

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import array_ops


@keras_export("keras.layers.Reshape")
class Reshape(Layer):
    """``reshape(inputs, (batch_size,) + target_shape)``; one entry may be -1 (inferred).

    Args:
        target_shape: tuple of ints, the new shape without the batch axis.

    Example:
        >>> keras.layers.Reshape((-1, 2))(tf.ones((2, 3, 4))).shape
        TensorShape([2, 6, 2])
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(target_shape)
        if target_shape.count(-1) > 1:
            raise ValueError(
                "The `target_shape` argument must not contain more than one `-1` value. "
                f"Received: target_shape={target_shape}"
            )
        self.target_shape = target_shape
        self._build_at_init()

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        target = list(self.target_shape)
        if -1 in target:
            known = input_shape[1:]
            if None in known:
                target[target.index(-1)] = None
            else:
                other = math.prod(d for d in target if d != -1)
                target[target.index(-1)] = math.prod(known) // other if other else 0
        return (input_shape[0],) + tuple(target)

    def call(self, inputs):
        inputs = backend.convert_to_tensor(inputs)
        batch = inputs.shape[0]
        if batch is None:
            batch = array_ops.shape(inputs)[0]
            return array_ops.reshape(inputs, array_ops.concat([[batch], self.target_shape], 0))
        return array_ops.reshape(inputs, (batch,) + self.target_shape)

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}
