"""``tf.TensorArray``: a list of same-dtype tensors, written once per index, usable in loops.

Eagerly it is a Python list of tensors (TF's ``_EagerTensorArray``): ``write`` mutates the array
and returns the same object, and gradients flow through the ordinary ops (``stack``, ``unstack``,
``concat``) that the tape records. Inside ``tf.function`` it is backed by a TensorList: a scalar
``variant`` tensor (the ``flow``) that ``TensorList*`` nodes consume and produce, so a
TensorArray can be a ``tf.while_loop`` variable (``list_ops``).
"""
from tensorlet.framework import dtypes, errors
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape, as_shape


def _py_index(index):
    if isinstance(index, EagerTensor):
        return int(index.numpy())
    return index


def _ops():
    from tensorlet.ops import array_creation_ops, array_ops
    return array_ops, array_creation_ops


class _EagerTensorArray:
    """The eager implementation: a Python list with ``None`` for unwritten slots."""

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        if handle is not None:
            raise ValueError("TensorArray handles are not supported when eager execution is "
                             "enabled.")
        if size is None:
            raise ValueError("Size must be declared for TensorArrays when eager execution is "
                             "enabled.")
        self._handle = None
        self._flow = None
        self._infer_shape = infer_shape
        self._element_shape = as_shape(element_shape)
        self._colocate_with_first_write_call = colocate_with_first_write_call
        self._dtype = dtypes.as_dtype(dtype).base_dtype
        self._dynamic_size = dynamic_size or False
        self._clear_after_read = True if clear_after_read is None else clear_after_read
        self._previously_read_indices = []
        self._tensor_array = [None] * int(_py_index(size))
        self.parent = None

    @property
    def flow(self):
        """For compatibility; an eager TensorArray has no meaningful flow."""
        if self._flow is None:
            self._flow = convert_to_tensor(0, dtypes.int32)
        return self._flow

    @property
    def dtype(self):
        return self._dtype

    @property
    def handle(self):
        return self._handle

    @property
    def element_shape(self):
        return self._element_shape

    def identity(self):
        return self.parent()

    def grad(self, source, flow=None, name=None):
        raise NotImplementedError(
            "TensorArray.grad is not supported when executing eagerly; eager's gradient "
            "implementation does not use/need this function to compute gradients of operations "
            "that use TensorArrays.")

    def read(self, index, name=None):
        index = _py_index(index)
        if index < 0:
            raise errors.OutOfRangeError(
                None, None, "Reading from negative indices (index %d) is not allowed." % index)
        if index >= len(self._tensor_array):
            raise errors.OutOfRangeError(None, None, "Tried to read from index %d but array size "
                                         "is: %d" % (index, len(self._tensor_array)))
        tensor = self._tensor_array[index]
        if tensor is None:
            if index in self._previously_read_indices:
                raise errors.InvalidArgumentError(
                    None, None, "Could not read index %d twice because it was cleared after a "
                    "previous read (perhaps try setting clear_after_read = false?)" % index)
            tensor = self._maybe_zero(index)
        if self._clear_after_read:
            self._tensor_array[index] = None
            self._previously_read_indices.append(index)
        return tensor

    def _write(self, index, value):
        index = _py_index(index)
        if index < 0:
            raise errors.OutOfRangeError(
                None, None, "Writing to negative indices (index %d) is not allowed." % index)
        size = len(self._tensor_array)
        if index >= size:
            if not self._dynamic_size:
                raise errors.OutOfRangeError(
                    None, None, "Tried to write to index %d but array is not resizeable and size "
                    "is: %d" % (index, size))
            self._tensor_array.extend([None] * (index - size + 1))
        if not isinstance(value, EagerTensor):
            value = convert_to_tensor(value, dtype_hint=self._dtype)
        if self._dtype != value.dtype:
            raise errors.InvalidArgumentError(
                None, None, "TensorArray dtype is %s but Op is trying to write dtype %s"
                % (self._dtype.name, value.dtype.name))
        if not self._element_shape.is_compatible_with(value.shape):
            raise ValueError("Incompatible shape for value (%s), expected (%s)"
                             % (value.shape, self._element_shape))
        if self._infer_shape:
            self._element_shape = self._element_shape.merge_with(value.shape)
        self._tensor_array[index] = value

    def write(self, index, value, name=None):
        self._write(index, value)
        return self.parent()

    def _maybe_zero(self, ix):
        val = self._tensor_array[ix]
        if val is None:
            val = self._tensor_array[ix] = _ops()[1].zeros(
                shape=self._element_shape.as_list(), dtype=self._dtype)
        return val

    def stack(self, name=None):
        array_ops, creation = _ops()
        for ix in range(len(self._tensor_array)):
            self._maybe_zero(ix)
        if not self._tensor_array:
            if self._element_shape.is_fully_defined():
                return creation.zeros([0] + self._element_shape.as_list(), self._dtype)
            return convert_to_tensor([], self._dtype)
        return array_ops.stack(self._tensor_array)

    def gather(self, indices, name=None):
        if isinstance(indices, EagerTensor):
            indices = indices.numpy()
        return _ops()[0].stack([self._maybe_zero(int(i)) for i in indices])

    def concat(self, name=None):
        try:
            return _ops()[0].concat(
                [self._maybe_zero(ix) for ix in range(len(self._tensor_array))], 0)
        except errors.OpError:
            ndims = [t.shape.rank for t in self._tensor_array]
            if 0 in ndims:
                raise errors.InvalidArgumentError(
                    None, None, "Concat saw a scalar shape at index %d but requires at least "
                    "vectors." % ndims.index(0)) from None
            raise

    def unstack(self, value, name=None):
        tensors = _ops()[0].unstack(value)
        if len(tensors) > len(self._tensor_array) and not self._dynamic_size:
            raise ValueError("Cannot unstack %d tensors into a TensorArray of static size %d"
                             % (len(tensors), len(self._tensor_array)))
        self._tensor_array = list(tensors)
        return self.parent()

    def scatter(self, indices, value, name=None):
        if isinstance(indices, EagerTensor):
            indices = indices.numpy()
        for index, val in zip(indices, _ops()[0].unstack(value)):
            self._write(int(index), val)
        return self.parent()

    def split(self, value, lengths, name=None):
        from tensorlet.ops import reduction_ops
        value = convert_to_tensor(value, dtype_hint=self._dtype)
        lengths = convert_to_tensor(lengths)
        sum_lengths = int(reduction_ops.reduce_sum(lengths).numpy())
        if lengths.shape.rank != 1:
            raise errors.InvalidArgumentError(
                None, None, "Expected lengths to be a vector, received shape: %s"
                % lengths.shape.as_list())
        if value.shape.rank == 0:
            raise errors.InvalidArgumentError(
                None, None, "Expected value to be at least a vector, but received shape: %s"
                % value.shape.as_list())
        if sum_lengths != value.shape.as_list()[0]:
            raise errors.InvalidArgumentError(
                None, None, "Expected sum of lengths to be equal to values.shape[0], but sum of "
                "lengths is %d and value's shape is: %s " % (sum_lengths, value.shape.as_list()))
        if not self._dynamic_size and lengths.shape[0] != len(self._tensor_array):
            raise errors.InvalidArgumentError(
                None, None, "TensorArray's size is not equal to the size of lengths (%d vs. %d), "
                "and the TensorArray is not marked as dynamically resizeable"
                % (len(self._tensor_array), lengths.shape[0]))
        self._tensor_array = list(_ops()[0].split(value, lengths))
        return self.parent()

    def size(self, name=None):
        return convert_to_tensor(len(self._tensor_array), dtypes.int32)

    def close(self, name=None):
        del self._tensor_array[:]


@tf_export("TensorArray", "compat.v1.TensorArray")
class TensorArray:
    """A dynamically sized, per-index write-once array of tensors, for loops.

    Example:
        >>> ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True, clear_after_read=False)
        >>> ta = ta.write(0, 10.)
        >>> ta = ta.write(1, 20.)
        >>> ta.stack().numpy()
        array([10., 20.], dtype=float32)
    """

    _is_tensor_array = True

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        if state.graph is None and (flow is None or flow.dtype != dtypes.variant):
            impl = _EagerTensorArray
        else:
            from tensorlet.ops import list_ops
            impl = list_ops.GraphTensorArray
        self._implementation = impl(
            dtype, size=size, dynamic_size=dynamic_size, clear_after_read=clear_after_read,
            tensor_array_name=tensor_array_name, handle=handle, flow=flow,
            infer_shape=infer_shape, element_shape=element_shape,
            colocate_with_first_write_call=colocate_with_first_write_call, name=name)
        me = self
        self._implementation.parent = lambda: me

    @property
    def flow(self):
        """The flow tensor (a ``variant`` TensorList in graphs) carrying the array's state."""
        return self._implementation.flow

    @property
    def dtype(self):
        return self._implementation.dtype

    @property
    def handle(self):
        return self._implementation.handle

    @property
    def element_shape(self):
        return self._implementation.element_shape

    @property
    def dynamic_size(self):
        return self._implementation._dynamic_size

    @property
    def _infer_shape(self):
        return self._implementation._infer_shape

    def identity(self):
        """A TensorArray with the same content (use it for all subsequent operations)."""
        return self._implementation.identity()

    def grad(self, source, flow=None, name=None):
        return self._implementation.grad(source, flow=flow, name=name)

    def read(self, index, name=None):
        """The tensor at ``index`` (zeros of the element shape if never written)."""
        return self._implementation.read(index, name=name)

    def write(self, index, value, name=None):
        """Writes ``value`` at ``index``; returns the TensorArray to use from now on."""
        return self._implementation.write(index, value, name=name)

    def stack(self, name=None):
        """All elements stacked along a new first axis."""
        return self._implementation.stack(name=name)

    def gather(self, indices, name=None):
        """The elements at ``indices``, stacked."""
        return self._implementation.gather(indices, name=name)

    def concat(self, name=None):
        """All elements concatenated along their first axis."""
        return self._implementation.concat(name=name)

    def unstack(self, value, name=None):
        """Fills the array with ``value`` split along its first axis."""
        return self._implementation.unstack(value, name=name)

    def scatter(self, indices, value, name=None):
        """Writes the rows of ``value`` at ``indices``."""
        return self._implementation.scatter(indices, value, name=name)

    def split(self, value, lengths, name=None):
        """Fills the array with pieces of ``value`` of the given ``lengths`` (first axis)."""
        return self._implementation.split(value, lengths, name=name)

    def size(self, name=None):
        """The number of elements, an int32 scalar tensor."""
        return self._implementation.size(name=name)

    def close(self, name=None):
        return self._implementation.close(name=name)

    def __repr__(self):
        return f"<tensorlet.TensorArray dtype={self.dtype.name}>"


@tf_export("TensorArraySpec", "compat.v1.TensorArraySpec")
class TensorArraySpec:
    """The type of a ``tf.TensorArray``: element shape, dtype, ``dynamic_size``."""

    __slots__ = ("_dtype", "_dynamic_size", "_element_shape", "_infer_shape")

    def __init__(self, element_shape=None, dtype=dtypes.float32, dynamic_size=False,
                 infer_shape=True):
        self._element_shape = as_shape(element_shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = dynamic_size
        self._infer_shape = infer_shape

    value_type = property(lambda self: TensorArray)
    element_shape = property(lambda self: self._element_shape)
    dtype = property(lambda self: self._dtype)
    dynamic_size = property(lambda self: self._dynamic_size)

    @staticmethod
    def from_value(value):
        if not isinstance(value, TensorArray):
            raise TypeError(f"Expected value to be a TensorArray, but saw: {type(value)}")
        return TensorArraySpec(value.element_shape, value.dtype, value.dynamic_size,
                               value._infer_shape)

    def is_compatible_with(self, other):
        if not isinstance(other, TensorArraySpec):
            other = TensorArraySpec.from_value(other)
        return (self._dtype == other._dtype and self._dynamic_size == other._dynamic_size
                and self._element_shape.is_compatible_with(other._element_shape))

    def most_specific_compatible_type(self, other):
        if not self.is_compatible_with(other):
            raise ValueError("Types are not compatible")
        return TensorArraySpec(self._element_shape.most_specific_compatible_shape(
            other._element_shape), self._dtype, self._dynamic_size,
            self._infer_shape and other._infer_shape)

    def _key(self):
        dims = self._element_shape.dims
        return (None if dims is None else tuple(dims), self._dtype.name, self._dynamic_size,
                self._infer_shape)

    def __eq__(self, other):
        return isinstance(other, TensorArraySpec) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        return (f"TensorArraySpec(element_shape={self._element_shape!r}, dtype={self._dtype!r}, "
                f"dynamic_size={self._dynamic_size}, infer_shape={self._infer_shape})")


__all__ = ["Tensor", "TensorArray", "TensorArraySpec", "TensorShape"]
