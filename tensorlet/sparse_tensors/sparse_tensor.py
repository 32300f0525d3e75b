"""``tf.sparse.SparseTensor`` (COO: int64 ``indices`` [N, rank], ``values`` [N], int64
``dense_shape`` [rank]) and ``tf.SparseTensorSpec``.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape, as_shape

D = dtypes


def _dim_check(a, b):
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions {a} and {b} are not compatible")


def _static_shape(dense_shape):
    """``TensorShape`` from the dense_shape tensor's value (-1 entries are unknown dims)."""
    value = getattr(dense_shape, "_value", None)
    if value is None:
        n = dense_shape.shape[0]
        return TensorShape(None if n is None else [None] * n)
    return TensorShape([None if d < 0 else int(d) for d in value.tolist()])


@tf_export("sparse.SparseTensor", "SparseTensor")
class SparseTensor:
    """A sparse tensor: ``dense[indices[i]] = values[i]``, zero (or a default) elsewhere.

    Example:
      >>> st = tf.sparse.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[3, 4])
      >>> tf.sparse.to_dense(st).numpy()
      array([[1, 0, 0, 0],
             [0, 0, 2, 0],
             [0, 0, 0, 0]], dtype=int32)
    """

    _is_tensor_like = True
    __array_priority__ = 100

    def __init__(self, indices, values, dense_shape):
        indices = convert_to_tensor(indices, dtype=D.int64)
        values = convert_to_tensor(values)
        dense_shape = convert_to_tensor(dense_shape, dtype=D.int64)
        ind_shape = indices.shape.with_rank(2)
        val_shape = values.shape.with_rank(1)
        ds_shape = dense_shape.shape.with_rank(1)
        _dim_check(ind_shape[0], val_shape[0])
        _dim_check(ind_shape[1], ds_shape[0])
        self._indices = indices
        self._values = values
        self._dense_shape = dense_shape
        self._shape = _static_shape(dense_shape)

    @classmethod
    def from_value(cls, sparse_tensor_value):
        if isinstance(sparse_tensor_value, SparseTensor):
            return sparse_tensor_value
        return cls(
            sparse_tensor_value.indices, sparse_tensor_value.values, sparse_tensor_value.dense_shape
        )

    indices = property(lambda self: self._indices)
    values = property(lambda self: self._values)
    dense_shape = property(lambda self: self._dense_shape)
    dtype = property(lambda self: self._values.dtype)
    shape = property(lambda self: self._shape)

    def get_shape(self):
        return self._shape

    @property
    def _type_spec(self):
        return SparseTensorSpec(self._shape, self.dtype)

    def with_values(self, new_values):
        """The same indices and dense_shape with ``new_values`` (same length)."""
        return SparseTensor(self._indices, new_values, self._dense_shape)

    def _np_parts(self):
        return self._indices._value, self._dense_shape._value

    def __tf_tensor__(self, dtype=None, name=None):
        raise TypeError(
            f"Failed to convert elements of {self} to Tensor. Consider casting "
            "elements to a supported type. See "
            "https://www.tensorflow.org/api_docs/python/tf/dtypes for supported TF "
            "dtypes."
        )

    def __repr__(self):
        return (
            f"SparseTensor(indices={self._indices!s}, values={self._values!s}, "
            f"dense_shape={self._dense_shape!s})"
        )

    def __hash__(self):
        return id(self)

    # sparse (op) dense -> sparse, as TF's SparseDenseCwiseMul/Div/Add
    def _cwise(self, other, fn):
        from tensorlet.ops import array_ops, gather_ops

        other = convert_to_tensor(other, dtype_hint=self.dtype)
        if other.shape.rank == 0:
            return self.with_values(fn(self._values, other))
        full = array_ops.broadcast_to(other, self._dense_shape)
        return self.with_values(fn(self._values, gather_ops.gather_nd(full, self._indices)))

    def __mul__(self, other):
        from tensorlet.ops import math_ops

        return self._cwise(other, math_ops.multiply)

    def __truediv__(self, other):
        from tensorlet.ops import math_ops

        return self._cwise(other, math_ops.truediv)

    __div__ = __truediv__


def is_sparse(x):
    return isinstance(x, SparseTensor)


def int64_array(x):
    """The backend int64 array of ``x`` (a tensor or anything array-like)."""
    if isinstance(x, EagerTensor):
        return x._value.astype(xp.int64, copy=False)
    if isinstance(x, Tensor):
        return xp.asarray(x.numpy(), dtype=xp.int64)
    return xp.asarray(x, dtype=xp.int64)


@tf_export("SparseTensorSpec")
class SparseTensorSpec:
    """Type specification of a ``tf.sparse.SparseTensor``: its dense shape and dtype.

    Example:
      >>> tf.SparseTensorSpec([2, 3], tf.float32)
      SparseTensorSpec(TensorShape([2, 3]), tf.float32)
    """

    __slots__ = ("_dtype", "_shape")

    def __init__(self, shape=None, dtype=D.float32):
        self._shape = as_shape(shape)
        self._dtype = D.as_dtype(dtype)

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    value_type = property(lambda self: SparseTensor)

    @classmethod
    def from_value(cls, value):
        return cls(value.shape, value.dtype)

    def _serialize(self):
        return (self._shape, self._dtype)

    def is_compatible_with(self, spec_or_value):
        other = spec_or_value
        if isinstance(other, SparseTensor):
            other = SparseTensorSpec.from_value(other)
        return (
            isinstance(other, SparseTensorSpec)
            and self._dtype == other._dtype
            and self._shape.is_compatible_with(other._shape)
        )

    def __eq__(self, other):
        return type(other) is type(self) and self._serialize() == other._serialize()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        dims = None if self._shape.rank is None else tuple(self._shape.as_list())
        return hash((dims, self._dtype.name))

    def __repr__(self):
        return f"SparseTensorSpec{self._serialize()!r}"
