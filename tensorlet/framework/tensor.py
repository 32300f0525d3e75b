"""``tf.Tensor``: immutable values. ``EagerTensor`` holds a backend array; ``SymbolicTensor``
(tf.function graphs) holds a graph node instead.

Operators (``+``, ``@``, ``[]`` ...) are installed by the op modules (``ops/math_ops.py``,
``ops/array_ops.py``) so this module, below ``ops`` in the layering, needs no math.
"""
from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.context import CPU_DEVICE
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_shape import TensorShape

_from_numpy = dtypes.from_numpy


@tf_export("Tensor")
class Tensor:
    """A multidimensional array of one dtype. Use ``tf.constant`` / ops to make one."""

    # _keras_mask / _keras_logits: attributes Keras sets on its layers' outputs (TF tensors take
    # arbitrary attributes; these two are the ones Keras uses)
    __slots__ = ("_dtype", "__weakref__", "_keras_mask", "_keras_logits")
    __array_priority__ = 100  # NumPy defers `ndarray + tensor` to Tensor.__radd__

    @property
    def dtype(self):
        return self._dtype

    @property
    def ndim(self):
        return len(self.shape)

    def get_shape(self):
        return self.shape

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def ref(self):
        """A hashable reference to this tensor (``tensor.ref().deref() is tensor``)."""
        return Reference(self)

    experimental_ref = ref

    def __pos__(self):  # TF has no unary plus: `+x` is a TypeError
        raise TypeError(f"bad operand type for unary +: '{_type_name(self)}'")

    def __round__(self, ndigits=None):
        # TF's EagerTensor has no NumPy methods; builtin round() ends in this AttributeError
        raise AttributeError(
            f"{type(self).__name__} object has no attribute 'astype'. \n        If you are "
            "looking for numpy-related methods, please run the following:\n        "
            "tf.experimental.numpy.experimental_enable_numpy_behavior()\n      ")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    @classmethod
    def _override_operator(cls, name, fn):
        """Installs an operator implemented by an op module (e.g. ``__add__``)."""
        setattr(cls, name, fn)


def _type_name(t):
    return "tensorflow.python.framework.ops.EagerTensor" if isinstance(t, EagerTensor) else type(t).__name__


class EagerTensor(Tensor):
    """A tensor with a concrete value: a backend array (or NumPy scalar for rank 0)."""

    __slots__ = ("_value",)

    def __init__(self, value, dtype=None):
        self._value = value
        self._dtype = _from_numpy(value.dtype) if dtype is None else dtype

    @property
    def shape(self):
        return TensorShape._from_tuple(self._value.shape)

    @property
    def ndim(self):
        return self._value.ndim

    def set_shape(self, shape):
        """Checks that ``shape`` is compatible with the (known) shape; ValueError if not."""
        from tensorlet.framework.tensor_shape import as_shape

        if not self.shape.is_compatible_with(as_shape(shape)):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied "
                             f"shape {shape}")

    @property
    def device(self):
        return CPU_DEVICE

    @property
    def backing_device(self):
        return CPU_DEVICE

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    @property
    def op(self):
        raise AttributeError("Tensor.op is undefined when eager execution is enabled.")

    @property
    def graph(self):
        raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")

    def numpy(self):
        """The value as a NumPy array (a NumPy scalar for rank 0); shares memory with the tensor."""
        v = self._value
        return v[()] if v.ndim == 0 and type(v) is xp.ndarray else v

    def __array__(self, dtype=None, copy=None):
        a = xp.asarray(self._value)
        return a if dtype is None else a.astype(dtype, copy=False)

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("len is not well defined for a rank-0 tensor.")
        return self._value.shape[0]

    def __iter__(self):
        if self._value.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        for i in range(self._value.shape[0]):
            yield self[i]

    def __bool__(self):
        return bool(self._value)

    def __int__(self):
        return int(self._value)

    def __float__(self):
        return float(self._value)

    def __complex__(self):
        return complex(self._value)

    def __index__(self):
        return self.numpy().__index__()  # as TF: float scalars raise AttributeError

    def __format__(self, format_spec):
        # TF formats the NumPy value: f"{t}" is "[1 2]", f"{t:.2f}" fails for non-scalars.
        return self.numpy().__format__(format_spec)

    def __str__(self):
        from tensorlet.framework import tensor_format
        return tensor_format.tensor_str(self._value, self._dtype.name)

    def __repr__(self):
        from tensorlet.framework import tensor_format
        return tensor_format.tensor_repr(self._value, self._dtype.name)

    def __reduce__(self):
        return EagerTensor, (xp.asarray(self._value), self._dtype)

    def _shape_tuple(self):
        return self._value.shape

    def _rank(self):
        return self._value.ndim

    def _numpy(self):
        return self._value


class Reference:
    """What ``Tensor.ref()`` returns: hashable by identity."""

    __slots__ = ("_t",)

    def __init__(self, t):
        self._t = t

    def deref(self):
        return self._t

    def __hash__(self):
        return id(self._t)

    def __eq__(self, other):
        return isinstance(other, Reference) and other._t is self._t

    def __repr__(self):
        return f"<Reference wrapping {self._t!r}>"


@tf_export("is_tensor")
def is_tensor(x):
    """True for ``tf.Tensor`` and tensor-like objects (Variables, composite tensors)."""
    return isinstance(x, Tensor) or getattr(x, "_is_tensor_like", False)
