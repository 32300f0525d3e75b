"""Values known before a graph runs: ``tf.get_static_value`` (TF's ``tensor_util.constant_value``).

Eager tensors know their value; a symbolic tensor knows it when tracing could compute it
(``SymbolicTensor._const``: ``Const`` nodes, ``tf.shape`` of a fully-defined shape, stateless ops
of known inputs); otherwise the answer is ``None``.
"""

from tensorlet.framework.export import tf_export
from tensorlet.framework.symbolic_tensor import SymbolicTensor
from tensorlet.framework.tensor import EagerTensor, is_tensor


@tf_export("get_static_value")
def constant_value(tensor, partial=False):
    """The value of ``tensor`` as a NumPy array when known now, else ``None``.

    Non-tensor arguments are returned unchanged (as TF does).

    Example:
        >>> tf.get_static_value(tf.constant([1, 2]))
        array([1, 2], dtype=int32)
    """
    if isinstance(tensor, EagerTensor):
        return tensor.numpy()
    if isinstance(tensor, SymbolicTensor):
        return tensor._const
    if not is_tensor(tensor):
        return tensor
    return None


def constant_value_as_shape(tensor):
    """A ``TensorShape`` from a 1-D shape tensor: known dims where its value is known."""
    from tensorlet.framework.tensor_shape import TensorShape

    value = constant_value(tensor)
    if value is not None:
        return TensorShape([None if d < 0 else int(d) for d in value.reshape(-1)])
    shape = tensor.shape
    if shape.rank == 1 and shape[0] is not None:
        return TensorShape([None] * shape[0])
    return TensorShape(None)


__all__ = ["constant_value", "constant_value_as_shape"]
