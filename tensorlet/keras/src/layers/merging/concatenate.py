"""``keras.layers.Concatenate``: joins a list of tensors along ``axis``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.merging.base_merge import Merge
from tensorlet.ops import array_creation_ops, array_ops, reduction_ops


@keras_export("keras.layers.Concatenate")
class Concatenate(Merge):
    """``concat(inputs, axis)``; all other axes must match.

    Args:
        axis: the concatenation axis (default -1).

    Example:
        >>> keras.layers.Concatenate()([tf.ones((2, 3)), tf.ones((2, 1))]).shape
        TensorShape([2, 4])
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def build(self, input_shape):
        if len(input_shape) < 1 or not isinstance(input_shape[0], (tuple, list)):
            raise ValueError(
                "A `Concatenate` layer should be called on a list of at least 1 input. "
                f"Received: input_shape={input_shape}"
            )
        if all(shape is None for shape in input_shape):
            return
        reduced = []
        for shape in input_shape:
            if shape is None:
                continue
            shape = list(shape)
            axis = self.axis % len(shape)
            del shape[axis]
            reduced.append(shape)
        ranks = {len(s) for s in reduced}
        ok = len(ranks) == 1
        if ok:
            for dims in zip(*reduced):
                known = {d for d in dims if d is not None}
                if len(known) > 1:
                    ok = False
        if not ok:
            raise ValueError(
                "A `Concatenate` layer requires inputs with matching shapes except for "
                f"the concatenation axis. Received: input_shape={input_shape}"
            )

    def _merge_function(self, inputs):
        return array_ops.concat(inputs, axis=self.axis)

    def call(self, inputs):
        return self._merge_function([backend.convert_to_tensor(x) for x in inputs])

    def compute_output_shape(self, input_shape):
        output_shape = list(input_shape[0])
        for shape in input_shape[1:]:
            if output_shape[self.axis] is None or shape[self.axis] is None:
                output_shape[self.axis] = None
                break
            output_shape[self.axis] += shape[self.axis]
        return tuple(output_shape)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            if m is None:
                masks.append(array_creation_ops.ones_like(x, dtype="bool"))
            elif m.shape.rank < x.shape.rank:
                masks.append(
                    array_ops.broadcast_to(array_ops.expand_dims(m, axis=-1), array_ops.shape(x))
                )
            else:
                masks.append(m)
        joined = array_ops.concat(masks, axis=self.axis)
        return reduction_ops.reduce_any(joined, axis=-1, keepdims=False)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


@keras_export("keras.layers.concatenate")
def concatenate(inputs, axis=-1, **kwargs):
    """Functional interface to ``keras.layers.Concatenate``."""
    return Concatenate(axis=axis, **kwargs)(inputs)
