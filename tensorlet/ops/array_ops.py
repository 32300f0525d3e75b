"""Shape and array manipulation ops: reshape, transpose, expand_dims/squeeze, concat/stack/split,
tile, pad, reverse/roll, broadcast_to, where and the shape queries.

TF's ``array_ops`` namespace also holds the constructors (``array_creation_ops``), the
gather/scatter family (``gather_ops``) and slicing (``indexing``); they are re-exported at the end.

Shape-like arguments (``shape``, ``axis``, ``perm``, ``multiples``, ``paddings``) are op inputs in
TF; here they are attrs, so the public functions turn them into Python ints first.
"""

import builtins

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape, as_shape
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import _tf_type_word, apply, defop, dtype_mismatch

D = dtypes
_pyrange = builtins.range  # `range` below is tf.range
_INDEX_TYPES = (D.int32, D.int64)


# ---------------------------------------------------------------- helpers shared by the family


def invalid(op_name, message):
    """TF's InvalidArgumentError for op ``op_name``."""
    return errors.op_error(errors.InvalidArgumentError, op_name, message)


def attr_not_allowed(op, attr, dtype, allowed):
    """TF's error for an input whose type attr (``Tindices``, ``TI`` ...) is not allowed."""
    names = ", ".join(_tf_type_word(d) for d in allowed)
    return invalid(
        op.name,
        f"Value for attr '{attr}' of {_tf_type_word(dtype)} is not in the list "
        f"of allowed values: {names}\n\t; NodeDef: {{{{node {op.name}}}}}",
    )


def py_value(v):
    """A Python/NumPy value from a tensor argument that TF reads as a host constant."""
    if isinstance(v, Tensor):
        if hasattr(v, "_value"):
            return v._value.tolist()
        from tensorlet.framework.tensor_util import constant_value

        known = constant_value(v)  # a symbolic tensor whose value tracing could compute
        if known is not None:
            return known.tolist()
        raise TypeError(
            f"{v!r}: a value known only when the function runs cannot be used here "
            "(tensorlet needs it while tracing)"
        )
    if isinstance(v, (xp.ndarray, xp.generic)):
        return v.tolist()
    if getattr(type(v), "_is_variable", False):
        return v.numpy().tolist()
    if isinstance(v, (list, tuple)):
        return [py_value(x) for x in v]
    if isinstance(v, TensorShape):
        return v.as_list()
    return v


def host_array(v):
    """A backend array from a tensor argument TF reads on the host (shapes, axes, strides):
    eager values, and symbolic values tracing can compute (see ``py_value``)."""
    return xp.asarray(py_value(v))


def shape_ints(t):
    """``t``'s shape as Python ints: the static shape, or where it has unknown dimensions the
    run-time shape read while tracing (tf.function then keeps one graph per shape). Gradient
    rules use it where TF's use ``tf.shape``."""
    dims = t.shape.as_list()
    if None not in dims:
        return dims
    try:
        return list(py_value(shape(t)))
    except (TypeError, AttributeError):
        return dims  # not known while tracing: callers fail as with the static shape


def py_ints(v):
    """A tuple of Python ints from a list / tuple / array / rank-1 tensor."""
    v = py_value(v)
    if isinstance(v, (list, tuple)):
        return tuple(_int(x) for x in v)
    return (_int(v),)


def py_int(v):
    return _int(py_value(v))


def _int(x):
    if isinstance(x, (builtins.bool, builtins.float)):
        raise TypeError(f"Expected int32 or int64, got {x!r} of type '{type(x).__name__}' instead.")
    return int(x)


def match_dtypes(values):
    """TF's conversion of a list that shares one dtype attr: non-tensors take the first tensor's
    dtype (the first value's inferred dtype when there is no tensor); tensors are kept as they
    are, so a mismatch is the op's InvalidArgumentError."""
    dtype = None
    for v in values:
        if isinstance(v, Tensor) or getattr(type(v), "_is_variable", False):
            dtype = v.dtype
            break
    out = []
    for v in values:
        if getattr(type(v), "_is_variable", False):
            v = v.value()
        elif not isinstance(v, Tensor):
            v = convert_to_tensor(v, dtype=dtype)
            if dtype is None:
                dtype = v.dtype
        out.append(v)
    return out


def _axis(axis, rank, op_name, what="axis"):
    if not -rank <= axis < rank:
        raise invalid(op_name, f"Expected {what} in the range [{-rank}, {rank}), but got {axis}")
    return axis % rank if rank else 0


class ArraySpec:
    """Shape/dtype view of a kernel's array, so a kernel can reuse its op's shape rule to raise
    TF's error for inputs NumPy would not reject (or would reject with its own message)."""

    __slots__ = ("dtype", "shape")

    def __init__(self, arr):
        self.shape = TensorShape._from_tuple(arr.shape)
        self.dtype = D.string if arr.dtype == object else D.from_numpy(arr.dtype)


def _not_differentiable(op, *dys):
    return [None] * len(op.inputs)


def _known(shape):
    return shape.rank is not None


def unbroadcast(g, shape):
    """Sums ``g`` down to the static ``shape`` it was broadcast from (for batch-broadcasting
    grads that must not rely on the caller)."""
    from tensorlet.ops import reduction_ops

    if isinstance(shape, Tensor):  # the input itself: its run-time shape if not static
        shape = shape_ints(shape)
    gs, xs = g.shape.as_list(), list(shape)
    if None in gs and len(gs) == len(xs) and None not in xs:
        g_rt = shape_ints(g)
        gs = g_rt if None not in g_rt else gs
    if gs == xs:
        return g
    lead = len(gs) - len(xs)
    axes = list(_pyrange(lead)) + [
        lead + i for i, d in enumerate(xs) if d == 1 and gs[lead + i] != 1
    ]
    if axes:
        g = reduction_ops.reduce_sum(g, axis=axes)
    return reshape(g, xs)


# ---------------------------------------------------------------- reshape, identity


def _reshape_dims(op_name, in_shape, dims):
    """TF's Reshape: resolves one -1 (zero-size dims are left out of the products so the -1
    of ``[0, -1]`` can still be inferred) and checks the element count."""
    unknown, product, has_zero = -1, 1, False
    for i, d in enumerate(dims):
        if d == -1:
            if unknown != -1:
                raise invalid(op_name, f"Only one input size may be -1, not both {unknown} and {i}")
            unknown = i
        elif d < 0:
            raise invalid(op_name, f"Size {i} must be non-negative, not {d}")
        elif d == 0:
            has_zero = True
        else:
            product *= d
    out = list(dims)
    if None in in_shape:
        if unknown != -1:
            out[unknown] = None
        return out
    if unknown != -1:
        n = _prod(d for d in in_shape if d > 0 or not has_zero)
        out[unknown] = n // product
        if product * out[unknown] != n:
            raise invalid(
                op_name,
                f"Input to reshape is a tensor with {n} values, but the "
                f"requested shape requires a multiple of {product}",
            )
    total, size = _prod(in_shape), _prod(out)
    if size != total:
        raise invalid(
            op_name,
            f"Input to reshape is a tensor with {total} values, but the requested shape has {size}",
        )
    return out


def _reshape_shape(op, inputs, attrs):
    shape = inputs[0].shape
    if shape.rank is None:
        return (TensorShape([None if d == -1 else d for d in attrs["shape"]]),)
    return (TensorShape(_reshape_dims(op.name, tuple(shape), attrs["shape"])),)


def _reshape_forward(x, shape):
    if -1 in shape or x.size != _prod(shape):
        shape = _reshape_dims("Reshape", x.shape, shape)
    return xp.reshape(x, shape)


def _prod(dims):
    n = 1
    for d in dims:
        n *= d
    return n


reshape_op = defop(
    "Reshape",
    _reshape_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=_reshape_shape,
    grad=lambda op, dy: [reshape(dy, shape_ints(op.inputs[0]))],
)
identity_op = defop(
    "Identity",
    lambda x: x,
    dtype_rule=R.same_dtype(),
    shape_rule=R.unchanged,
    grad=lambda op, dy: [dy],
)
stop_gradient_op = defop(
    "StopGradient", lambda x: x, dtype_rule=R.same_dtype(), shape_rule=R.unchanged, grad=None
)


def _identity_n_dtypes(op, inputs, attrs):
    return tuple(t.dtype for t in inputs)


identity_n_op = defop(
    "IdentityN",
    lambda *xs: tuple(xs),
    dtype_rule=_identity_n_dtypes,
    shape_rule=lambda op, inputs, attrs: tuple(t.shape for t in inputs),
    grad=lambda op, *dys: list(dys),
    num_outputs=None,
)


def _ensure_shape_shape(op, inputs, attrs):
    shape, want = inputs[0].shape, TensorShape(attrs["shape"])
    if not shape.is_compatible_with(want):
        raise invalid(
            op.name,
            f"Shape of tensor input {_brackets(shape)} is not compatible with "
            f"expected shape {_brackets(want)}.",
        )
    return (shape.merge_with(want),)


def _ensure_shape_forward(x, shape):
    if not TensorShape._from_tuple(x.shape).is_compatible_with(TensorShape(shape)):
        raise invalid(
            "EnsureShape",
            f"Shape of tensor input {_brackets(x.shape)} is not "
            f"compatible with expected shape {_brackets(shape)}.",
        )
    return x


def _brackets(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


ensure_shape_op = defop(
    "EnsureShape",
    _ensure_shape_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=_ensure_shape_shape,
    grad=lambda op, dy: [dy],
)


@tf_export("reshape")
def reshape(tensor, shape, name=None):
    """Reshapes ``tensor`` to ``shape``; one dimension may be -1 (inferred).

    Example:
        >>> tf.reshape(tf.range(6), [2, -1]).shape
        TensorShape([2, 3])
    """
    if type(shape) is not tuple:
        shape = py_ints(shape)
    return apply(reshape_op, tensor, shape=shape, name=name)


@tf_export("identity")
def identity(input, name=None):
    """Returns a tensor with the same shape and contents as ``input``."""
    if getattr(type(input), "_is_variable", False):
        input = input.value()
    return apply(identity_op, input, name=name)


@tf_export("identity_n")
def identity_n(input, name=None):
    """Returns the list of tensors ``input`` unchanged (one op, several outputs)."""
    return list(apply(identity_n_op, *[convert_to_tensor(t) for t in input], name=name))


@tf_export("stop_gradient")
def stop_gradient(input, name=None):
    """Returns ``input``; gradients do not flow through it (its gradient is None)."""
    return apply(stop_gradient_op, input, name=name)


@tf_export("ensure_shape")
def ensure_shape(x, shape, name=None):
    """Checks that ``x`` has a shape compatible with ``shape`` (None = any size)."""
    shape = tuple(None if d is None or d == -1 else int(d) for d in as_shape(shape).as_list())
    return apply(ensure_shape_op, x, shape=shape, name=name)


# ---------------------------------------------------------------- shape queries


def _out_type_rule(op, inputs, attrs):
    return (attrs["out_type"],)


shape_op = defop(
    "Shape",
    lambda x, out_type: xp.array(x.shape, dtype=out_type._np),
    dtype_rule=_out_type_rule,
    shape_rule=lambda op, inputs, attrs: (TensorShape([inputs[0].shape.rank]),),
    grad=_not_differentiable,
)
size_op = defop(
    "Size",
    lambda x, out_type: xp.array(x.size, dtype=out_type._np),
    dtype_rule=_out_type_rule,
    shape_rule=R.scalar,
    grad=_not_differentiable,
)
rank_op = defop(
    "Rank",
    lambda x: xp.array(x.ndim, dtype=xp.int32),
    dtype_rule=R.fixed(D.int32),
    shape_rule=R.scalar,
    grad=_not_differentiable,
)
shape_n_op = defop(
    "ShapeN",
    lambda *xs, out_type: tuple(xp.array(x.shape, dtype=out_type._np) for x in xs),
    dtype_rule=lambda op, inputs, attrs: (attrs["out_type"],) * len(inputs),
    shape_rule=lambda op, inputs, attrs: tuple(TensorShape([t.shape.rank]) for t in inputs),
    grad=_not_differentiable,
    num_outputs=None,
)


def _out_type(out_type):
    d = D.as_dtype(out_type) if out_type is not None else D.int32
    if d not in _INDEX_TYPES:
        raise TypeError(f"out_type must be int32 or int64, got {d!r}")
    return d


@tf_export("shape")
def shape(input, out_type=None, name=None):
    """The shape of ``input`` as a 1-D int32 (or ``out_type``) tensor."""
    return apply(shape_op, input, out_type=_out_type(out_type), name=name)


@tf_export("shape_n")
def shape_n(input, out_type=D.int32, name=None):
    """The shapes of the tensors in ``input``, as a list of 1-D tensors."""
    return list(
        apply(
            shape_n_op,
            *[convert_to_tensor(t) for t in input],
            out_type=_out_type(out_type),
            name=name,
        )
    )


@tf_export("size")
def size(input, out_type=None, name=None):
    """The number of elements of ``input`` (int32 scalar unless ``out_type``)."""
    return apply(size_op, input, out_type=_out_type(out_type), name=name)


@tf_export("rank")
def rank(input, name=None):
    """The number of dimensions of ``input`` (an int32 scalar)."""
    return apply(rank_op, input, name=name)


# ---------------------------------------------------------------- expand_dims, squeeze, transpose


def _expand_axis(op_name, rank, axis):
    if not -rank - 1 <= axis <= rank:
        raise invalid(
            op_name, f"Tried to expand dim index {axis} for tensor with {rank} dimensions."
        )
    return axis if axis >= 0 else axis + rank + 1


def _expand_dims_shape(op, inputs, attrs):
    shape = inputs[0].shape
    if not _known(shape):
        return (TensorShape(None),)
    dims = shape.as_list()
    dims.insert(_expand_axis(op.name, len(dims), attrs["axis"]), 1)
    return (TensorShape(dims),)


def _expand_dims_forward(x, axis):
    return xp.expand_dims(x, _expand_axis("ExpandDims", x.ndim, axis))


expand_dims_op = defop(
    "ExpandDims",
    _expand_dims_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=_expand_dims_shape,
    grad=lambda op, dy: [reshape(dy, shape_ints(op.inputs[0]))],
)


def _squeeze_axes(op_name, shape, axes):
    rank = len(shape)
    if not axes:
        return [i for i, d in enumerate(shape) if d == 1]
    out = []
    for a in axes:
        if not -rank <= a < rank:
            raise invalid(
                op_name, f"Tried to squeeze dim index {a} for tensor with {rank} dimensions."
            )
        a %= rank
        if shape[a] is not None and shape[a] != 1:
            raise invalid(
                op_name, f"Can not squeeze dim[{a}], expected a dimension of 1, got {shape[a]}"
            )
        out.append(a)
    return out


def _squeeze_shape(op, inputs, attrs):
    shape = inputs[0].shape
    if not _known(shape):
        return (TensorShape(None),)
    dims = shape.as_list()
    if not attrs["axis"] and None in dims:
        return (TensorShape(None),)
    drop = set(_squeeze_axes(op.name, dims, attrs["axis"]))
    return (TensorShape([d for i, d in enumerate(dims) if i not in drop]),)


def _squeeze_forward(x, axis):
    return xp.squeeze(x, axis=tuple(_squeeze_axes("Squeeze", x.shape, axis)))


squeeze_op = defop(
    "Squeeze",
    _squeeze_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=_squeeze_shape,
    grad=lambda op, dy: [reshape(dy, shape_ints(op.inputs[0]))],
)


@tf_export("expand_dims")
def expand_dims(input, axis, name=None):
    """Inserts a dimension of size 1 at index ``axis`` (in ``[-rank-1, rank]``)."""
    axis = py_value(axis)
    if isinstance(axis, list) and len(axis) == 1:  # TF accepts a 1-element axis vector
        axis = axis[0]
    return apply(expand_dims_op, input, axis=_int(axis), name=name)


@tf_export("squeeze")
def squeeze(input, axis=None, name=None):
    """Removes dimensions of size 1 (all of them, or those in ``axis``)."""
    axes = () if axis is None else py_ints(axis)
    return apply(squeeze_op, input, axis=axes, name=name)


def _perm(op_name, rank, perm):
    if len(perm) != rank:
        raise invalid(
            op_name,
            f"transpose expects a vector of size {rank}. But input(1) is a "
            f"vector of size {len(perm)}",
        )
    out = []
    for p in perm:
        if not -rank <= p < rank:
            raise invalid(op_name, f"{p} is out of range [0 .. {rank})")
        out.append(p % rank)
    if len(set(out)) != rank:
        raise invalid(op_name, f"{list(perm)} is not a permutation")
    return out


def _transpose_shape(op, inputs, attrs):
    shape = inputs[0].shape
    if not _known(shape):
        return (TensorShape(None),)
    dims = shape.as_list()
    return (TensorShape([dims[p] for p in _perm(op.name, len(dims), attrs["perm"])]),)


def _inverse_permutation(perm):
    """TF's InvertPermutation on a Python sequence (with its error for bad entries)."""
    n = len(perm)
    inverse = [-1] * n
    for i, p in enumerate(perm):
        if not 0 <= p < n:
            raise invalid("InvertPermutation", f"{p} is not between 0 and {n}")
        if inverse[p] != -1:
            raise invalid("InvertPermutation", f"{p} is duplicated in the input.")
        inverse[p] = i
    return inverse


def _transpose_grad(op, dy):
    return [apply(op.opdef, dy, perm=tuple(_inverse_permutation(op.get_attr("perm"))))]


invert_permutation_op = defop(
    "InvertPermutation",
    lambda x: xp.array(_inverse_permutation(x.tolist()), dtype=x.dtype),
    dtype_rule=R.same_dtype(_INDEX_TYPES),
    shape_rule=R.unchanged,
    grad=_not_differentiable,
)


@tf_export("math.invert_permutation")
def invert_permutation(x, name=None):
    """The inverse of the permutation ``x``: ``y[x[i]] = i``."""
    return apply(invert_permutation_op, x, name=name)


transpose_op = defop(
    "Transpose",
    lambda x, perm: xp.transpose(x, _perm("Transpose", x.ndim, perm)),
    dtype_rule=R.same_dtype(),
    shape_rule=_transpose_shape,
    grad=_transpose_grad,
)
conjugate_transpose_op = defop(
    "ConjugateTranspose",
    lambda x, perm: xp.conj(xp.transpose(x, _perm("ConjugateTranspose", x.ndim, perm))),
    dtype_rule=R.same_dtype(),
    shape_rule=_transpose_shape,
    grad=_transpose_grad,
)


@tf_export("transpose")
def transpose(a, perm=None, conjugate=False, name="transpose"):
    """Permutes the dimensions of ``a`` (reverses them when ``perm`` is None); conjugates too
    when ``conjugate`` and ``a`` is complex."""
    a = convert_to_tensor(a)
    if perm is None:
        perm = tuple(_pyrange(a.shape.rank - 1, -1, -1))
    else:
        perm = py_ints(perm)
    op = conjugate_transpose_op if conjugate and a.dtype.is_complex else transpose_op
    return apply(op, a, perm=perm, name=None if name == "transpose" else name)


@tf_export("linalg.matrix_transpose")
def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Transposes the last two dimensions of ``a``."""
    a = convert_to_tensor(a)
    n = a.shape.rank
    if n is not None and n < 2:
        raise ValueError(
            f"Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` "
            f"= {a} with shape: {a.shape}"
        )
    perm = tuple(_pyrange(n - 2)) + (n - 1, n - 2)
    return transpose(a, perm, conjugate=conjugate)


@tf_export("linalg.adjoint")
def adjoint(matrix, name=None):
    """The conjugate transpose of the last two dimensions of ``matrix``."""
    return matrix_transpose(matrix, conjugate=True)


# ---------------------------------------------------------------- concat, stack, unstack, split


def _concat_shape(op, inputs, attrs):
    shapes = [t.shape for t in inputs]
    if any(not _known(s) for s in shapes):
        return (TensorShape(None),)
    rank = shapes[0].rank
    if rank == 0:
        raise invalid(op.name, "Can't concatenate scalars (use tf.stack instead)")
    axis = attrs["axis"]
    if not -rank <= axis < rank:
        raise invalid(
            op.name,
            f"ConcatOp : Expected concatenating dimensions in the range "
            f"[{-rank}, {rank}), but got {axis}",
        )
    axis %= rank
    out = shapes[0].as_list()
    for i, s in enumerate(shapes[1:], 1):
        if s.rank != rank:
            raise invalid(
                op.name,
                f"ConcatOp : Ranks of all input tensors should match: shape[0] "
                f"= {_brackets(shapes[0])} vs. shape[{i}] = {_brackets(s)}",
            )
        for j, (a, b) in enumerate(zip(out, s.as_list())):
            if j == axis:
                out[j] = None if a is None or b is None else a + b
            elif a is not None and b is not None and a != b:
                raise invalid(
                    op.name,
                    f"ConcatOp : Dimension {j} in both shapes must be equal: "
                    f"shape[0] = {_brackets(shapes[0])} vs. shape[{i}] = "
                    f"{_brackets(s)}",
                )
            elif a is None:
                out[j] = b
    return (TensorShape(out),)


def _concat_grad(op, dy):
    axis = op.get_attr("axis")
    sizes = [t.shape[axis] for t in op.inputs]
    return split(dy, sizes, axis=axis)


concat_op = defop(
    "ConcatV2",
    lambda *xs, axis: xp.concatenate(xs, axis=axis),
    dtype_rule=R.same_dtype(),
    shape_rule=_concat_shape,
    grad=_concat_grad,
)


def _pack_axis(op_name, rank, axis):
    if not -rank - 1 <= axis <= rank:
        raise invalid(op_name, f"axis = {axis} not in [{-rank - 1}, {rank + 1})")
    return axis % (rank + 1)


def _pack_shape(op, inputs, attrs):
    shape = inputs[0].shape
    for i, t in enumerate(inputs[1:], 1):
        if not shape.is_compatible_with(t.shape):
            raise invalid(
                op.name,
                f"Shapes of all inputs must match: values[0].shape = "
                f"{_brackets(shape)} != values[{i}].shape = "
                f"{_brackets(t.shape)}",
            )
        shape = shape.merge_with(t.shape)
    if not _known(shape):
        return (TensorShape(None),)
    dims = shape.as_list()
    dims.insert(_pack_axis(op.name, len(dims), attrs["axis"]), len(inputs))
    return (TensorShape(dims),)


def _pack_forward(*xs, axis):
    return xp.stack(xs, axis=_pack_axis("Pack", xs[0].ndim, axis))


pack_op = defop(
    "Pack",
    _pack_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=_pack_shape,
    grad=lambda op, dy: unstack(dy, num=len(op.inputs), axis=op.get_attr("axis")),
)


def _unpack_shape(op, inputs, attrs):
    shape = inputs[0].shape
    if not _known(shape):
        return (TensorShape(None),) * attrs["num"]
    dims = shape.as_list()
    axis = _axis(attrs["axis"], len(dims), op.name)
    if dims[axis] is not None and dims[axis] != attrs["num"]:
        raise invalid(
            op.name,
            f"Input shape axis {axis} must equal {attrs['num']}, got shape {_brackets(dims)}",
        )
    del dims[axis]
    return (TensorShape(dims),) * attrs["num"]


def _unpack_forward(x, num, axis):
    axis = _axis(axis, x.ndim, "Unpack")
    if x.shape[axis] != num:
        raise invalid(
            "Unpack", f"Input shape axis {axis} must equal {num}, got shape {_brackets(x.shape)}"
        )
    return tuple(xp.moveaxis(x, axis, 0))


def _fill_none(dys, outputs):
    from tensorlet.ops.array_creation_ops import zeros_like

    return [d if d is not None else zeros_like(o) for d, o in zip(dys, outputs)]


unpack_op = defop(
    "Unpack",
    _unpack_forward,
    dtype_rule=lambda op, inputs, attrs: (inputs[0].dtype,) * attrs["num"],
    shape_rule=_unpack_shape,
    grad=lambda op, *dys: [stack(_fill_none(dys, op.outputs), axis=op.get_attr("axis"))],
    num_outputs=None,
)


def _is_ragged(v):
    return hasattr(v, "row_splits") and hasattr(v, "flat_values")


@tf_export("concat")
def concat(values, axis, name="concat"):
    """Concatenates tensors along dimension ``axis``.

    Example:
        >>> tf.concat([[1, 2], [3]], 0).numpy()
        array([1, 2, 3], dtype=int32)
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    if any(_is_ragged(v) for v in values):  # TF dispatches to tf.ragged's concat
        from tensorlet.ragged_tensors import ragged_ops

        return ragged_ops.concat(list(values), axis)
    values = match_dtypes(values)
    axis = py_int(axis)
    if len(values) == 1:  # TF skips the op for one input
        return identity(values[0])
    return apply(concat_op, *values, axis=axis, name=None if name == "concat" else name)


def _contains_tensor(v):
    if isinstance(v, Tensor) or getattr(type(v), "_is_variable", False):
        return True
    if isinstance(v, (list, tuple)):
        return any(_contains_tensor(x) for x in v)
    return False


@tf_export("stack")
def stack(values, axis=0, name="stack"):
    """Stacks a list of rank-R tensors into one rank-(R+1) tensor along ``axis``."""
    if isinstance(values, (list, tuple)) and any(_is_ragged(v) for v in values):
        from tensorlet.ragged_tensors import ragged_ops

        return ragged_ops.stack(list(values), axis)
    axis = py_int(axis)
    if axis == 0 and not _contains_tensor(values):
        try:  # a constant list converts to one constant, as in TF
            return convert_to_tensor(values)
        except (TypeError, ValueError):
            pass
    values = match_dtypes([_pack_nested(v) for v in values])
    rank = values[0].shape.rank
    if rank is not None and not -rank - 1 <= axis < rank + 1:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank - 1}, {rank + 1})")
    return apply(pack_op, *values, axis=axis, name=None if name == "stack" else name)


def _pack_nested(v):
    """A list holding tensors converts by packing (TF's autopacking), so it stays differentiable."""
    if isinstance(v, (list, tuple)) and _contains_tensor(v):
        return stack([_pack_nested(x) for x in v])
    return v


@tf_export("unstack")
def unstack(value, num=None, axis=0, name="unstack"):
    """Unpacks the dimension ``axis`` of ``value`` into a list of tensors."""
    value = convert_to_tensor(value)
    axis = py_int(axis)
    shape = value.shape
    if num is None:
        if not _known(shape):
            raise ValueError(f"Cannot infer argument `num` from shape {shape}")
        if not -shape.rank <= axis < shape.rank:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-shape.rank}, {shape.rank})")
        num = shape[axis]
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {shape}")
    return list(
        apply(unpack_op, value, num=int(num), axis=axis, name=None if name == "unstack" else name)
    )


def _split_sizes(op_name, dim, sizes):
    sizes = list(sizes)
    neg = [i for i, s in enumerate(sizes) if s == -1]
    if len(neg) > 1:
        raise invalid(op_name, "There can only be one -1 in the input.")
    known = builtins.sum(s for s in sizes if s != -1)
    if dim is None:
        return [None if s == -1 else s for s in sizes]
    if (neg and known > dim) or (not neg and known != dim):
        raise invalid(
            op_name,
            "Determined shape must either match input shape along split_dim "
            "exactly if fully specified, or be less than the size of the input "
            f"along split_dim if not fully specified.  Got: {known}",
        )
    if neg:
        sizes[neg[0]] = dim - known
    return sizes


def _split_shapes(op, inputs, attrs):
    shape = inputs[0].shape
    n = len(attrs["sizes"]) if "sizes" in attrs else attrs["num_split"]
    if not _known(shape):
        return (TensorShape(None),) * n
    dims = shape.as_list()
    axis = attrs["axis"]
    rank = len(dims)
    if not -rank <= axis < rank:
        raise invalid(
            op.name, f"-input rank(-{rank}) <= split_dim < input rank ({rank}), but got {axis}"
        )
    axis %= rank
    if "sizes" in attrs:
        sizes = _split_sizes(op.name, dims[axis], attrs["sizes"])
    else:
        if dims[axis] is not None and dims[axis] % n:
            raise invalid(
                op.name,
                "Number of ways to split should evenly divide the split "
                f"dimension, but got split_dim {axis} (size = {dims[axis]}) "
                f"and num_split {n}",
            )
        sizes = [None if dims[axis] is None else dims[axis] // n] * n
    return tuple(TensorShape(dims[:axis] + [s] + dims[axis + 1 :]) for s in sizes)


def _split_forward(x, num_split, axis):
    if not -x.ndim <= axis < x.ndim or x.shape[axis] % num_split:
        _split_shapes(split_op, (EagerTensor(x),), {"num_split": num_split, "axis": axis})
    return tuple(xp.split(x, num_split, axis=axis))


def _split_v_forward(x, sizes, axis):
    if not -x.ndim <= axis < x.ndim:
        _split_shapes(split_v_op, (EagerTensor(x),), {"sizes": sizes, "axis": axis})
    axis %= x.ndim
    sizes = _split_sizes("SplitV", x.shape[axis], sizes)
    cuts, at = [], 0
    for s in sizes[:-1]:
        at += s
        cuts.append(at)
    return tuple(xp.split(x, cuts, axis=axis))


def _split_grad(op, *dys):
    return [concat(_fill_none(dys, op.outputs), op.get_attr("axis"))]


split_op = defop(
    "Split",
    _split_forward,
    dtype_rule=lambda op, inputs, attrs: (inputs[0].dtype,) * attrs["num_split"],
    shape_rule=_split_shapes,
    grad=_split_grad,
    num_outputs=None,
)
split_v_op = defop(
    "SplitV",
    _split_v_forward,
    dtype_rule=lambda op, inputs, attrs: (inputs[0].dtype,) * len(attrs["sizes"]),
    shape_rule=_split_shapes,
    grad=_split_grad,
    num_outputs=None,
)


@tf_export("split")
def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits ``value`` along ``axis`` into ``num_or_size_splits`` equal parts, or into parts of
    the given sizes (one size may be -1)."""
    value = convert_to_tensor(value)
    axis = py_int(axis)
    sizes = py_value(num_or_size_splits)
    if isinstance(sizes, int):
        return list(apply(split_op, value, num_split=sizes, axis=axis))
    sizes = py_ints(sizes)
    return list(apply(split_v_op, value, sizes=sizes, axis=axis))


# ---------------------------------------------------------------- tile, pad, reverse, roll


def _tile_shape(op, inputs, attrs):
    shape, mult = inputs[0].shape, attrs["multiples"]
    if not _known(shape):
        return (TensorShape([None] * len(mult)),)
    if len(mult) != shape.rank:
        raise invalid(
            op.name,
            f"Expected multiples argument to be a vector of length "
            f"{shape.rank} but got length {len(mult)}",
        )
    for i, m in enumerate(mult):
        if m < 0:
            raise invalid(op.name, f"Expected multiples[{i}] >= 0, but got {m}")
    return (TensorShape([None if d is None else d * m for d, m in zip(shape.as_list(), mult)]),)


def _tile_forward(x, multiples):
    if len(multiples) != x.ndim or min(multiples, default=0) < 0:
        _tile_shape(tile_op, (EagerTensor(x),), {"multiples": multiples})
    return xp.tile(x, multiples)


def _tile_grad(op, dy):
    """Sums the tiles: dy viewed as [m0, d0, m1, d1, ...] reduced over the m axes."""
    from tensorlet.ops import reduction_ops

    dims = shape_ints(op.inputs[0])
    mult = op.get_attr("multiples")
    split_shape = [v for m, d in zip(mult, dims) for v in (m, d)]
    g = reduction_ops.reduce_sum(reshape(dy, split_shape), axis=list(_pyrange(0, 2 * len(dims), 2)))
    return [g]


tile_op = defop(
    "Tile", _tile_forward, dtype_rule=R.same_dtype(), shape_rule=_tile_shape, grad=_tile_grad
)


@tf_export("tile")
def tile(input, multiples, name=None):
    """Repeats ``input`` ``multiples[i]`` times along dimension i."""
    return apply(tile_op, input, multiples=py_ints(multiples), name=name)


_PAD_MODES = ("CONSTANT", "REFLECT", "SYMMETRIC")


def _check_paddings(op_name, shape, paddings, mode):
    if len(paddings) != len(shape):
        raise invalid(
            op_name,
            f"The first dimension of paddings must be the rank of inputs"
            f"[{len(paddings)},2] {_brackets(shape)}",
        )
    offset = 0 if mode == "REFLECT" else 1
    for (a, b), d in zip(paddings, shape):
        if a < 0 or b < 0:
            raise invalid(op_name, f"Paddings must be non-negative: {a} {b}")
        if mode != "CONSTANT" and d is not None and (a > d - 1 + offset or b > d - 1 + offset):
            if mode == "REFLECT":
                raise invalid(
                    op_name,
                    f"paddings must be less than the dimension size: {a}, {b} not less than {d}",
                )
            raise invalid(
                op_name,
                f"paddings must be no greater than the dimension size: {a}, {b} greater than {d}",
            )


def _pad_shape(op, inputs, attrs):
    shape, paddings = inputs[0].shape, attrs["paddings"]
    if not _known(shape):
        return (TensorShape([None] * len(paddings)),)
    _check_paddings(op.name, shape.as_list(), paddings, attrs.get("mode", "CONSTANT"))
    return (
        TensorShape(
            [None if d is None else d + a + b for d, (a, b) in zip(shape.as_list(), paddings)]
        ),
    )


def _pad_forward(x, c=None, *, paddings):
    _check_paddings("Pad" if c is None else "PadV2", x.shape, paddings, "CONSTANT")
    shape = tuple(d + a + b for d, (a, b) in zip(x.shape, paddings))
    out = xp.zeros(shape, x.dtype) if c is None else xp.full(shape, c, x.dtype)
    out[tuple(builtins.slice(a, a + d) for d, (a, _) in zip(x.shape, paddings))] = x
    return out


def _mirror_pad_forward(x, paddings, mode):
    _check_paddings("MirrorPad", x.shape, paddings, mode)
    return xp.pad(x, paddings, mode=mode.lower())


def _pad_grad(op, dy, *_):
    """The gradient of padding is the slice of the interior."""
    from tensorlet.ops import indexing

    begin = [a for a, _ in op.get_attr("paddings")]
    g = indexing.slice(dy, begin, shape_ints(op.inputs[0]))
    return [g] + [None] * (len(op.inputs) - 1)


def _mirror_pad_grad_forward(dy, paddings, mode):
    """Folds the mirrored borders back onto the interior, one axis at a time."""
    out = dy
    for axis, (a, b) in enumerate(paddings):
        n = out.shape[axis] - a - b
        src = xp.pad(xp.arange(n), (a, b), mode=mode.lower())
        moved = xp.moveaxis(out, axis, 0)
        acc = xp.zeros((n,) + moved.shape[1:], dtype=out.dtype)
        xp.add.at(acc, src, moved)
        out = xp.moveaxis(acc, 0, axis)
    return out


def _mirror_pad_grad_shape(op, inputs, attrs):
    shape, paddings = inputs[0].shape, attrs["paddings"]
    if not _known(shape):
        return (TensorShape([None] * len(paddings)),)
    return (
        TensorShape(
            [None if d is None else d - a - b for d, (a, b) in zip(shape.as_list(), paddings)]
        ),
    )


pad_op = defop(
    "Pad", _pad_forward, dtype_rule=R.same_dtype(), shape_rule=_pad_shape, grad=_pad_grad
)
pad_v2_op = defop(
    "PadV2", _pad_forward, dtype_rule=R.same_dtype(), shape_rule=_pad_shape, grad=_pad_grad
)
mirror_pad_op = defop(
    "MirrorPad",
    _mirror_pad_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=_pad_shape,
    grad=lambda op, dy: [apply(mirror_pad_grad_op, dy, **op.attrs)],
)
mirror_pad_grad_op = defop(
    "MirrorPadGrad",
    _mirror_pad_grad_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=_mirror_pad_grad_shape,
    grad=lambda op, dy: [apply(mirror_pad_op, dy, **op.attrs)],
)


@tf_export("pad")
def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """Pads ``tensor``: ``paddings[i] = [before, after]`` for dimension i; modes CONSTANT,
    REFLECT (mirror without the edge) and SYMMETRIC (mirror with the edge)."""
    m = mode.upper() if isinstance(mode, str) else mode
    if m not in _PAD_MODES:
        raise ValueError(
            'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", '
            f'or "SYMMETRIC". Received `mode` = {mode}'
        )
    tensor = convert_to_tensor(tensor)
    paddings = tuple(tuple(py_ints(p)) for p in py_value(paddings))
    if m == "CONSTANT":
        if not isinstance(constant_values, Tensor) and constant_values == 0:
            return apply(pad_op, tensor, paddings=paddings, name=name)
        c = convert_to_tensor(constant_values, dtype=tensor.dtype)
        return apply(pad_v2_op, tensor, c, paddings=paddings, name=name)
    return apply(mirror_pad_op, tensor, paddings=paddings, mode=m, name=name)


def _check_axes(op_name, rank, axes, what="axis"):
    seen = set()
    for a in axes:
        if not -rank <= a < rank:
            raise invalid(op_name, f"'axis'[{a}] = {a} is out of valid range [0, {rank - 1}")
        a %= rank
        if a in seen:
            raise invalid(op_name, f"{what} {a} specified more than once.")
        seen.add(a)
    return tuple(sorted(seen))


def _reverse_shape(op, inputs, attrs):
    shape = inputs[0].shape
    if _known(shape):
        _check_axes(op.name, shape.rank, attrs["axis"])
    return (shape,)


def _reverse_forward(x, axis):
    axes = _check_axes("ReverseV2", x.ndim, axis)
    return xp.flip(x, axes) if axes else x


reverse_op = defop(
    "ReverseV2",
    _reverse_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=_reverse_shape,
    grad=lambda op, dy: [apply(reverse_op, dy, axis=op.get_attr("axis"))],
)


def _roll_forward(x, shift, axis):
    for a in axis:
        if not -x.ndim <= a < x.ndim:
            raise invalid("Roll", f"axis {a} is out of range")
    return xp.roll(x, shift, axis) if x.size else x


roll_op = defop(
    "Roll",
    _roll_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=R.unchanged,
    grad=lambda op, dy: [
        apply(roll_op, dy, shift=tuple(-s for s in op.get_attr("shift")), axis=op.get_attr("axis"))
    ],
)


@tf_export("reverse")
def reverse(tensor, axis, name=None):
    """Reverses the dimensions listed in ``axis``."""
    return apply(reverse_op, tensor, axis=py_ints(axis), name=name)


@tf_export("roll")
def roll(input, shift, axis, name=None):
    """Rolls elements along ``axis`` by ``shift`` (shifts on a repeated axis add up)."""
    shift, axis = py_ints(shift), py_ints(axis)
    if len(shift) != len(axis):
        raise invalid("Roll", "shift and axis must have the same size")
    return apply(roll_op, input, shift=shift, axis=axis, name=name)


def _reverse_sequence_forward(x, seq_lengths, seq_axis, batch_axis):
    out = x.copy()
    xs = xp.moveaxis(x, (batch_axis, seq_axis), (0, 1))
    os_ = xp.moveaxis(out, (batch_axis, seq_axis), (0, 1))
    for b, n in enumerate(seq_lengths.tolist()):
        if not 0 <= n <= xs.shape[1]:
            raise invalid(
                "ReverseSequence",
                f"seq_lens(b) <= input.dims(seq_dim), but got seq_lens({b}) = {n}",
            )
        os_[b, :n] = xs[b, :n][::-1]
    return out


reverse_sequence_op = defop(
    "ReverseSequence",
    _reverse_sequence_forward,
    dtype_rule=lambda op, inputs, attrs: (inputs[0].dtype,),
    shape_rule=R.unchanged,
    grad=lambda op, dy: [apply(reverse_sequence_op, dy, op.inputs[1], **op.attrs), None],
)


@tf_export("reverse_sequence")
def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None):
    """Reverses the first ``seq_lengths[b]`` elements along ``seq_axis`` of each batch entry."""
    input = convert_to_tensor(input)
    seq_lengths = convert_to_tensor(seq_lengths, dtype_hint=D.int64)
    return apply(
        reverse_sequence_op,
        input,
        seq_lengths,
        seq_axis=py_int(seq_axis or 0),
        batch_axis=py_int(batch_axis or 0),
        name=name,
    )


# ---------------------------------------------------------------- broadcasting


def _broadcast_to_static(op, shape, target):
    if not _known(shape):
        return TensorShape(target)
    dims = shape.as_list()
    ok = len(dims) <= len(target) and all(
        d is None or d == 1 or d == t for d, t in zip(reversed(dims), reversed(target))
    )
    if not ok:
        raise invalid(op.name, f"Incompatible shapes: {_brackets(dims)} vs. {_brackets(target)}")
    return TensorShape(target)


def _broadcast_to_forward(x, shape):
    _broadcast_to_static(broadcast_to_op, TensorShape._from_tuple(x.shape), shape)
    return xp.broadcast_to(x, shape)


broadcast_to_op = defop(
    "BroadcastTo",
    _broadcast_to_forward,
    dtype_rule=R.same_dtype(),
    shape_rule=lambda op, inputs, attrs: (
        _broadcast_to_static(op, inputs[0].shape, attrs["shape"]),
    ),
    grad=lambda op, dy: [unbroadcast(dy, shape_ints(op.inputs[0]))],
)


def _broadcast_args_forward(s0, s1):
    shape = R.broadcast_shapes(TensorShape(s0.tolist()), TensorShape(s1.tolist()), "BroadcastArgs")
    return xp.array(shape.as_list(), dtype=s0.dtype)


broadcast_args_op = defop(
    "BroadcastArgs",
    _broadcast_args_forward,
    dtype_rule=R.same_dtype(_INDEX_TYPES),
    shape_rule=lambda op, inputs, attrs: (
        TensorShape([None])
        if None in (inputs[0].shape[0], inputs[1].shape[0])
        else TensorShape([builtins.max(inputs[0].shape[0], inputs[1].shape[0])]),
    ),
    grad=_not_differentiable,
)


@tf_export("broadcast_to")
def broadcast_to(input, shape, name=None):
    """Broadcasts ``input`` to ``shape`` (NumPy broadcasting rules)."""
    return apply(broadcast_to_op, input, shape=py_ints(shape), name=name)


@tf_export("broadcast_static_shape")
def broadcast_static_shape(shape_x, shape_y):
    """The broadcast of two ``TensorShape``s; raises ValueError when incompatible."""
    try:
        return R.broadcast_shapes(as_shape(shape_x), as_shape(shape_y))
    except errors.InvalidArgumentError:
        raise ValueError(f"Incompatible shapes for broadcasting: {shape_x} and {shape_y}") from None


@tf_export("broadcast_dynamic_shape")
def broadcast_dynamic_shape(shape_x, shape_y):
    """The broadcast of two shapes given as 1-D int tensors (a 1-D tensor)."""
    shape_x, shape_y = match_dtypes([shape_x, shape_y])
    return apply(broadcast_args_op, shape_x, shape_y)


# ---------------------------------------------------------------- where


def _select_dtypes(op, inputs, attrs):
    c, t, e = inputs
    if c.dtype is not D.bool:
        raise dtype_mismatch(op, 0, D.bool, c.dtype)
    if e.dtype is not t.dtype:
        raise dtype_mismatch(op, 2, t.dtype, e.dtype)
    return (t.dtype,)


def _select_grad(op, dy):
    from tensorlet.ops.array_creation_ops import _scalar

    c = op.inputs[0]
    zero = _scalar(0, dy.dtype)
    return [
        None,
        unbroadcast(where(c, dy, zero), op.inputs[1]),
        unbroadcast(where(c, zero, dy), op.inputs[2]),
    ]


select_v2_op = defop(
    "SelectV2", xp.where, dtype_rule=_select_dtypes, shape_rule=R.broadcast, grad=_select_grad
)
where_op = defop(
    "Where",
    lambda x: xp.argwhere(x).astype(xp.int64),
    dtype_rule=R.fixed(D.int64, allowed=R.NUMERIC + (D.bool,)),
    shape_rule=lambda op, inputs, attrs: (TensorShape([None, inputs[0].shape.rank]),),
    grad=_not_differentiable,
)


@tf_export("where")
def where(condition, x=None, y=None, name=None):
    """With ``x`` and ``y``: picks ``x`` where ``condition`` is true, else ``y`` (broadcasting).
    Alone: the int64 coordinates ``[n, rank]`` of the true (non-zero) elements."""
    if x is None and y is None:
        return apply(where_op, condition, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    c = condition if isinstance(condition, Tensor) else convert_to_tensor(condition, D.bool)
    x, y = match_dtypes([x, y])
    return apply(select_v2_op, c, x, y, name=name)


@tf_export("compat.v1.where")
def where_v1(condition, x=None, y=None, name=None):
    """TF 1's ``where``: ``condition`` has ``x``'s shape, or is a vector picking whole rows
    (``x``'s first dimension); no other broadcasting. Alone: as ``tf.where``."""
    if x is None and y is None:
        return where(condition, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    c = condition if isinstance(condition, Tensor) else convert_to_tensor(condition, D.bool)
    x, y = match_dtypes([x, y])
    if x.shape.rank is not None and y.shape.rank is not None and x.shape.rank != y.shape.rank:
        raise errors.InvalidArgumentError(
            None, None, f"'then' and 'else' must have the same size.  but received: "
            f"{x.shape} vs. {y.shape}")
    if c.shape.rank == 1 and x.shape.rank is not None and x.shape.rank > 1:
        c = reshape(c, [-1] + [1] * (x.shape.rank - 1))  # one value per row
    return apply(select_v2_op, c, x, y, name=name)


@tf_export("compat.v1.where_v2")
def where_v2(condition, x=None, y=None, name=None):
    return where(condition, x, y, name=name)


# ---------------------------------------------------------------- TF's array_ops namespace
# The constructors, the gather/scatter family and slicing live in their own modules (which import
# this one); TF code refers to them as ``array_ops.<name>``, so they resolve here lazily.
_ELSEWHERE = {
    "tensorlet.ops.array_creation_ops": (
        "_scalar",
        "_zeros_of",
        "constant",
        "fill",
        "linspace",
        "meshgrid",
        "one_hot",
        "ones",
        "ones_like",
        "range",
        "sequence_mask",
        "zeros",
        "zeros_like",
    ),
    "tensorlet.ops.gather_ops": (
        "boolean_mask",
        "dynamic_partition",
        "dynamic_stitch",
        "gather",
        "gather_nd",
        "repeat",
        "scatter_nd",
        "searchsorted",
        "tensor_scatter_nd_add",
        "tensor_scatter_nd_max",
        "tensor_scatter_nd_min",
        "tensor_scatter_nd_sub",
        "tensor_scatter_nd_update",
        "unravel_index",
    ),
    "tensorlet.ops.indexing": ("slice", "strided_slice"),
}
_WHERE = {name: mod for mod, names in _ELSEWHERE.items() for name in names}


def __getattr__(name):
    mod = _WHERE.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(mod), name)
    globals()[name] = value
    return value
