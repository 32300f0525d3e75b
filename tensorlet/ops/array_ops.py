"""Shape and array manipulation ops: reshape, identity, shape queries."""
from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop


def _reshape_shape(op, inputs, attrs):
    x, shape = inputs[0], attrs["shape"]
    dims = list(shape)
    n = x.shape.num_elements()
    if -1 in dims and n is not None:
        known = 1
        for d in dims:
            if d != -1:
                known *= d
        dims = [(n // known if known else 0) if d == -1 else d for d in dims]
    out = TensorShape(dims)
    if n is not None and out.num_elements() is not None and n != out.num_elements():
        from tensorlet.framework import errors
        raise errors.op_error(errors.InvalidArgumentError, op.name,
                              f"Input to reshape is a tensor with {n} values, but the requested "
                              f"shape has {out.num_elements()}")
    return (out,)


reshape_op = defop("Reshape", lambda x, shape: xp.reshape(x, shape), dtype_rule=R.same_dtype(),
                   shape_rule=_reshape_shape,
                   grad=lambda op, dy: [reshape(dy, op.inputs[0].shape.as_list())])
identity_op = defop("Identity", lambda x: x, dtype_rule=R.same_dtype(), shape_rule=R.unchanged,
                    grad=lambda op, dy: [dy])


@tf_export("reshape")
def reshape(tensor, shape, name=None):
    """Reshapes ``tensor`` to ``shape`` (one dimension may be -1)."""
    shape = tuple(int(d) for d in (shape.numpy() if hasattr(shape, "numpy") else shape))
    return apply(reshape_op, convert_to_tensor(tensor), shape=shape, name=name)


@tf_export("identity")
def identity(input, name=None):
    """Returns a tensor with the same shape and contents as ``input``."""
    return apply(identity_op, convert_to_tensor(input), name=name)


def _zeros_of(shape, dtype):
    from tensorlet.framework.tensor import EagerTensor
    return EagerTensor(xp.zeros(shape, dtype=dtype.as_numpy_dtype), dtype)
