"""The ops that only exist in graphs: ``Placeholder``, ``Const``, ``ReadVariableOp``, ``PrintV2``.

``Placeholder`` is never executed (the executor binds graph inputs); ``Const`` holds its array in
the ``value`` attr (an ndarray, so graph passes must key it by identity); ``ReadVariableOp``
reads ``node.variable`` at run time (stateful, program order); ``PrintV2`` is ``tf.print`` inside
a graph: a stateful node with no outputs that formats its tensor inputs every call.
"""

from tensorlet.framework import dtypes
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops.op_def import defop

D = dtypes


def _attr_dtype(op, inputs, attrs):
    return (attrs["dtype"],)


def _attr_shape(op, inputs, attrs):
    return (attrs["shape"],)


def _no_kernel(**attrs):
    raise RuntimeError("a Placeholder has no kernel: feed it (graph input)")


placeholder_op = defop(
    "Placeholder", _no_kernel, dtype_rule=_attr_dtype, shape_rule=_attr_shape, stateful=True
)


def _const(value, dtype):
    return value


def _const_shape(op, inputs, attrs):
    return (TensorShape._from_tuple(attrs["value"].shape),)


const_op = defop("Const", _const, dtype_rule=_attr_dtype, shape_rule=_const_shape)


def _read_variable(**attrs):
    raise RuntimeError("ReadVariableOp runs through node.variable (executor/replay)")


read_variable_op = defop(
    "ReadVariableOp", _read_variable, dtype_rule=_attr_dtype, shape_rule=_attr_shape, stateful=True
)


# ---------------------------------------------------------------- tf.print in graphs


class PrintTemplate:
    """The non-tensor part of a ``tf.print`` call (hashable by identity: an attr)."""

    __slots__ = ("kwargs", "structure")

    def __init__(self, structure, kwargs):
        self.structure = structure  # the inputs with tensors replaced by _TENSOR markers
        self.kwargs = kwargs


_TENSOR = object()


def _print_v2(*arrays, template, input_dtypes):
    from tensorlet.framework import nest, tensor_format
    from tensorlet.framework.context import state
    from tensorlet.framework.tensor import EagerTensor

    values = iter([EagerTensor(a, d) for a, d in zip(arrays, input_dtypes)])
    flat = [next(values) if leaf is _TENSOR else leaf for leaf in nest.flatten(template.structure)]
    inputs = nest.pack_sequence_as(template.structure, flat)
    graph, state.graph = state.graph, None  # (a tf.compat.v1 Session runs with its graph set)
    try:
        tensor_format.tf_print(*inputs, **template.kwargs)
    finally:
        state.graph = graph
    return ()


def _no_outputs(op, inputs, attrs):
    return ()


print_v2_op = defop(
    "PrintV2",
    _print_v2,
    dtype_rule=_no_outputs,
    shape_rule=_no_outputs,
    stateful=True,
    num_outputs=0,
)


def print_v2(inputs, kwargs):
    """``tf.print(*inputs, **kwargs)`` while tracing: adds a PrintV2 node (runs every call)."""
    from tensorlet.framework import nest
    from tensorlet.framework.tensor import Tensor
    from tensorlet.ops.op_def import apply

    flat = nest.flatten(list(inputs))
    tensors = [x for x in flat if isinstance(x, Tensor) or getattr(x, "_is_variable", False)]
    tensors = [x.value() if getattr(x, "_is_variable", False) else x for x in tensors]
    structure = nest.pack_sequence_as(
        list(inputs),
        [
            _TENSOR if isinstance(x, Tensor) or getattr(x, "_is_variable", False) else x
            for x in flat
        ],
    )
    template = PrintTemplate(structure, kwargs)
    apply(print_v2_op, *tensors, template=template, input_dtypes=tuple(t.dtype for t in tensors))
