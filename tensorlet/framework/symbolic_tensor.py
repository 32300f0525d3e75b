"""``SymbolicTensor``: a tensor of a graph (tf.function tracing, tf.compat.v1 graphs).

It has a dtype and a static shape (a ``TensorShape`` with ``None`` for unknown dims) but no
value: it stands for output ``value_index`` of the graph node ``op``. When the value is known at
trace time (a ``Const`` node, ``tf.shape`` of a fully-defined shape, an op whose inputs are all
known) it is kept in ``_const`` (a backend array) so public functions that need Python values
for attributes can read it through ``tensor_util.constant_value`` / ``tf.get_static_value``.

As in TF, a symbolic tensor cannot be used as a Python ``bool`` nor iterated over
(``OperatorNotAllowedInGraphError``), and has no ``numpy()``.
"""

from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_shape import TensorShape, as_shape

_ADVICE = (
    " You can attempt the following resolutions to the problem: If you are running in Graph "
    "mode, use Eager execution mode or decorate this function with @tf.function. If you are "
    "using AutoGraph, you can try decorating this function with @tf.function. If that does "
    "not work, then you may be using an unsupported feature or your source code may not be "
    "visible to AutoGraph. See https://github.com/tensorflow/tensorflow/blob/master/tensorflow"
    "/python/autograph/g3doc/reference/limitations.md#access-to-source-code for more "
    "information."
)


@tf_export("errors.OperatorNotAllowedInGraphError")
class OperatorNotAllowedInGraphError(TypeError):
    """A Python operation (``bool``, iteration) that a symbolic tensor cannot support."""


OperatorNotAllowedInGraphError.__module__ = "tensorflow.python.framework.errors_impl"


class SymbolicTensor(Tensor):
    """Output ``value_index`` of the graph node ``op`` (TF's ``SymbolicTensor``)."""

    __slots__ = ("_const", "_op", "_shape", "_value_index")

    def __init__(self, op, value_index, dtype, shape, const=None):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape if isinstance(shape, TensorShape) else as_shape(shape)
        self._const = const

    # ---- graph identity
    @property
    def op(self):
        """The graph node (``Operation``) that produces this tensor."""
        return self._op

    @property
    def value_index(self):
        return self._value_index

    @property
    def graph(self):
        return self._op.graph

    @property
    def name(self):
        return f"{self._op.name}:{self._value_index}"

    @property
    def device(self):
        return ""

    def consumers(self):
        """The nodes of this tensor's graph that take it as an input."""
        return [n for n in self._op.graph.get_operations() if any(t is self for t in n.inputs)]

    # ---- static shape
    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        return self._shape

    def set_shape(self, shape):
        """Refines the static shape (TF's ValueError when incompatible)."""
        shape = as_shape(shape)
        if not self._shape.is_compatible_with(shape):
            raise ValueError(
                f"Tensor's shape {self._shape} is not compatible with supplied shape {shape}."
            )
        self._shape = self._shape.merge_with(shape)

    @property
    def ndim(self):
        return self._shape.rank

    def _shape_tuple(self):
        return None if self._shape.rank is None else tuple(self._shape)

    def _rank(self):
        return self._shape.rank

    # ---- TF1 graphs: tensors are hashable and compare by identity (feed_dict keys)
    def __hash__(self):
        if self._op.graph.building_function:
            raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")
        return id(self)

    def __eq__(self, other):
        if self._op.graph.building_function:
            return Tensor.__eq__(self, other)
        return self is other

    def __ne__(self, other):
        if self._op.graph.building_function:
            return Tensor.__ne__(self, other)
        return self is not other

    # ---- what a graph tensor refuses
    def __bool__(self):
        raise OperatorNotAllowedInGraphError(
            "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed." + _ADVICE
        )

    def __iter__(self):
        raise OperatorNotAllowedInGraphError(
            "Iterating over a symbolic `tf.Tensor` is not allowed." + _ADVICE
        )

    def __len__(self):
        raise TypeError(
            f"len is not well defined for a symbolic Tensor ({self.name}). Please call "
            "`x.shape` rather than `len(x)` for shape information."
        )

    # A value known while tracing (tensor_util.constant_value) may stand in where Python needs
    # one: integer attrs (axis=tf.rank(x) - 1), shapes (tf.shape(x) of a static shape). TF takes
    # those as op inputs; tensorlet's ops take them as attrs.
    def __index__(self):
        c = self._const
        if c is None or not self._dtype.is_integer or c.ndim != 0:
            raise TypeError(
                f"Only integer scalar tensors can be converted to an index, got "
                f"{self!r} (its value is only known when the graph runs)"
            )
        return int(c)

    def __int__(self):
        if self._const is None or self._const.ndim != 0:
            raise TypeError(
                f"int() of a symbolic tensor whose value is only known when the "
                f"graph runs: {self!r}"
            )
        return int(self._const)

    def __float__(self):
        if self._const is None or self._const.ndim != 0:
            raise TypeError(
                f"float() of a symbolic tensor whose value is only known when the "
                f"graph runs: {self!r}"
            )
        return float(self._const)

    def __array__(self, dtype=None, copy=None):
        c = self._const
        if c is None:
            raise NotImplementedError(
                f"Cannot convert a symbolic tf.Tensor ({self.name}) to a numpy array. This error "
                "may indicate that you're trying to pass a Tensor to a NumPy call, which is not "
                "supported."
            )
        return c if dtype is None else c.astype(dtype, copy=False)

    def eval(self, feed_dict=None, session=None):
        """TF1: the value in ``session`` (or the default session)."""
        from tensorlet.compat_v1 import session as session_lib

        return session_lib.eval_tensor(self, feed_dict, session)

    # ---- printing
    def __str__(self):
        return f'Tensor("{self.name}", shape={_shape_str(self._shape)}, dtype={self._dtype.name})'

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={_shape_str(self._shape)} dtype={self._dtype.name}>"


def _shape_str(shape):
    return str(shape)


__all__ = ["OperatorNotAllowedInGraphError", "SymbolicTensor"]
