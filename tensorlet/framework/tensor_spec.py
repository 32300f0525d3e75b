"""``tf.TensorSpec``: the dtype and (possibly partial) shape of a tensor, e.g. a function input."""

from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_shape import TensorShape, as_shape


@tf_export("TensorSpec")
class TensorSpec:
    """Describes a tensor: ``TensorSpec(shape, dtype=tf.float32, name=None)``.

    Example:
        >>> tf.TensorSpec([2, None], tf.int32)
        TensorSpec(shape=(2, None), dtype=tf.int32, name=None)
    """

    __slots__ = ("_dtype", "_name", "_shape")
    _is_tensor_spec = True

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self._shape = as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    @classmethod
    def from_tensor(cls, tensor, name=None):
        """The spec of ``tensor`` (its name when it has one and ``name`` is None)."""
        if name is None:
            try:
                name = tensor.op.name
            except (AttributeError, ValueError):
                name = None
        return cls(tensor.shape, tensor.dtype, name)

    @classmethod
    def from_spec(cls, spec, name=None):
        return cls(spec.shape, spec.dtype, spec.name if name is None else name)

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def name(self):
        return self._name

    @property
    def value_type(self):
        from tensorlet.framework.tensor import Tensor

        return Tensor

    def is_compatible_with(self, spec_or_tensor):
        """True when dtypes match and shapes are compatible (a tensor, spec or value)."""
        other = spec_or_tensor
        if not hasattr(other, "dtype") or not hasattr(other, "shape"):
            from tensorlet.framework.tensor_conversion import convert_to_tensor

            try:
                other = convert_to_tensor(other)
            except (TypeError, ValueError):
                return False
        return dtypes.as_dtype(other.dtype) == self._dtype and self._shape.is_compatible_with(
            other.shape
        )

    def is_subtype_of(self, other):
        """True when every tensor this spec describes is described by ``other``."""
        if type(other) is not type(self) or other._dtype != self._dtype:
            return False
        if other._shape.rank is None:
            return True
        if self._shape.rank != other._shape.rank:
            return False
        return all(b is None or a == b for a, b in zip(self._shape, other._shape))

    def most_specific_common_supertype(self, others):
        """The most specific spec that describes this spec and all ``others`` (or None)."""
        shape = self._shape
        for o in others:
            if type(o) is not type(self) or o._dtype != self._dtype:
                return None
            shape = shape.most_specific_compatible_shape(o._shape)
        return TensorSpec(shape, self._dtype, self._name)

    def _unbatch(self):
        return TensorSpec(self._shape[1:], self._dtype)

    def _batch(self, batch_size):
        return TensorSpec(TensorShape([batch_size]).concatenate(self._shape), self._dtype)

    def __eq__(self, other):
        return (
            type(other) is type(self)
            and self._dtype == other._dtype
            and self._shape == other._shape
            and self._name == other._name
        )

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(
            (self._dtype, None if self._shape.rank is None else tuple(self._shape), self._name)
        )

    def __reduce__(self):
        return TensorSpec, (self._shape, self._dtype, self._name)

    def __repr__(self):
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r})"


__all__ = ["TensorSpec"]
