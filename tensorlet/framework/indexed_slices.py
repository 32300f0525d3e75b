"""``tf.IndexedSlices``: a sparse set of rows of a dense tensor (gather/embedding gradients).

``values[i]`` is the slice at row ``indices[i]`` of a tensor of shape ``dense_shape``; repeated
indices add up. Converting to a tensor densifies (as TF does, summing duplicates).
"""
from tensorlet.framework.export import tf_export


@tf_export("IndexedSlices")
class IndexedSlices:
    """A sparse representation of a set of tensor slices at given indices."""

    _is_tensor_like = True

    def __init__(self, values, indices, dense_shape=None):
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    values = property(lambda self: self._values)
    indices = property(lambda self: self._indices)
    dense_shape = property(lambda self: self._dense_shape)
    dtype = property(lambda self: self._values.dtype)
    device = property(lambda self: self._values.device)

    @property
    def shape(self):
        from tensorlet.framework.tensor_shape import TensorShape
        from tensorlet.framework.tensor_util import constant_value_as_shape
        if self._dense_shape is None:
            return TensorShape([None] + self._values.shape.as_list()[1:])
        return constant_value_as_shape(self._dense_shape)  # also inside tf.function

    def __tf_tensor__(self, dtype=None, name=None):
        """Densifies (summing repeated indices); the row count may be symbolic."""
        from tensorlet.ops import segment_ops
        rows = self._dense_shape[0] if self._dense_shape is not None else None
        return segment_ops.unsorted_segment_sum(self._values, self._indices, rows)

    def __neg__(self):
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    def __str__(self):
        # !s: str() of the tensors (an f-string would call Tensor.__format__, the NumPy text)
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape!s}"
        return f"IndexedSlices(indices={self._indices!s}, values={self._values!s}{shape})"

    def __repr__(self):  # TF shows the default object repr, with TF's module path
        return f"<tensorflow.python.framework.indexed_slices.IndexedSlices object at {hex(id(self))}>"
