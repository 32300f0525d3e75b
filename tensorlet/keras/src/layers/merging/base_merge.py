"""``Merge``: the base of layers that combine a list of tensors element-wise."""

from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.ops import array_ops, reduction_ops


class Merge(Layer):
    """Checks the list of inputs in ``build`` and applies ``_merge_function`` in ``call``;
    inputs of lower rank get size-1 axes after the batch axis."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _merge_function(self, inputs):
        raise NotImplementedError

    def _compute_elemwise_op_output_shape(self, shape1, shape2):
        """Broadcast of two shapes without their batch axis (None for unknown)."""
        if None in (shape1, shape2):
            return None
        if len(shape1) < len(shape2):
            return self._compute_elemwise_op_output_shape(shape2, shape1)
        if not shape2:
            return shape1
        out = list(shape1[: -len(shape2)])
        for i, j in zip(shape1[-len(shape2) :], shape2):
            if i is None or j is None:
                out.append(None)
            elif i == 1:
                out.append(j)
            elif j == 1:
                out.append(i)
            else:
                if i != j:
                    raise ValueError(
                        f"Inputs have incompatible shapes. Received shapes {shape1} and {shape2}"
                    )
                out.append(i)
        return tuple(out)

    def build(self, input_shape):
        if not isinstance(input_shape[0], (tuple, list)):
            raise ValueError(  # noqa: TRY004 (Keras' class)
                "A merge layer should be called on a list of inputs. "
                f"Received: input_shape={input_shape} (not a list of shapes)"
            )
        if len(input_shape) < 1:
            raise ValueError(
                "A merge layer should be called on a list of at least 1 input. "
                f"Got {len(input_shape)} inputs. Full input_shape received: {input_shape}"
            )
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                "Cannot merge tensors with different batch sizes. "
                f"Received tensors with shapes {[tuple(s) for s in input_shape]}"
            )
        self.compute_output_shape(input_shape)

    def call(self, inputs):
        inputs = [backend.convert_to_tensor(x) for x in inputs]
        ranks = [x.shape.rank for x in inputs]
        if None not in ranks and len(set(ranks)) > 1:
            top = max(ranks)
            reshaped = []
            for x, r in zip(inputs, ranks):
                for _ in range(top - r):
                    x = array_ops.expand_dims(x, axis=1)
                reshaped.append(x)
            inputs = reshaped
        return self._merge_function(inputs)

    def compute_output_shape(self, input_shape):
        output_shape = tuple(input_shape[0][1:]) if input_shape[0] is not None else None
        for shape in input_shape[1:]:
            shape = tuple(shape[1:]) if shape is not None else None
            output_shape = self._compute_elemwise_op_output_shape(output_shape, shape)
        batch_sizes = {s[0] for s in input_shape if s is not None} - {None}
        batch = next(iter(batch_sizes)) if len(batch_sizes) == 1 else None
        return (batch,) + tuple(output_shape) if output_shape is not None else None

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (tuple, list)):
            raise ValueError(f"`mask` should be a list. Received: mask={mask}")  # noqa: TRY004
        if not isinstance(inputs, (tuple, list)):
            raise ValueError(f"`inputs` should be a list. Received: inputs={inputs}")  # noqa: TRY004
        if len(mask) != len(inputs):
            raise ValueError(
                "The lists `inputs` and `mask` should have the same length. "
                f"Received: inputs={inputs} of length {len(inputs)}, and "
                f"mask={mask} of length {len(mask)}"
            )
        masks = [array_ops.expand_dims(m, axis=0) for m in mask if m is not None]
        if not masks:
            return None
        return reduction_ops.reduce_all(array_ops.concat(masks, axis=0), axis=0)

    def get_config(self):
        return super().get_config()
