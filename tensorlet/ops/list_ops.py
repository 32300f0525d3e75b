"""TensorList ops: the ``variant`` tensors behind ``tf.TensorArray`` inside graphs.

A TensorList value is a ``TList`` (items: arrays, ``None`` for never-written slots) boxed in a
0-d object array, so it flows through graphs, ``tf.while_loop`` variables and the executor like
any tensor. Every op returns a new list (value semantics, as TF's TensorList kernels).

Gradients: the gradient of a list is again a list (``None`` items are zeros), as in TF's
``list_ops`` gradients. ``add_lists`` sums two such gradients.
"""
from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape, as_shape
from tensorlet.ops.op_def import apply, defop

D = dtypes


class TList:
    """A TensorList value: element arrays (or None), the element shape and dtype."""

    __slots__ = ("dtype", "element_shape", "items")

    def __init__(self, items, element_shape, dtype):
        self.items = items
        self.element_shape = element_shape  # tuple with None for unknown dims, or None
        self.dtype = dtype

    def __repr__(self):
        return f"TensorList(len={len(self.items)}, element_dtype={self.dtype.name})"


def _box(tl):
    a = xp.empty((), dtype=object)
    a[()] = tl
    return a


def _unbox(a):
    v = a[()] if isinstance(a, xp.ndarray) else a
    if isinstance(v, TList):
        return v
    return TList([], None, None)  # a zero gradient (ZerosLike of a variant)


def _err(op_name, msg):
    return errors.op_error(errors.InvalidArgumentError, op_name, msg)


def _merge(a, b):
    if a is None:
        return b
    if b is None:
        return a
    if len(a) != len(b):
        return a
    return tuple(x if x is not None else y for x, y in zip(a, b))


def _fully_defined(shape):
    return shape is not None and None not in shape


def _zeros(tl, shape_attr, op_name, what="read an uninitialized tensor"):
    shape = _merge(tl.element_shape, shape_attr)
    if not _fully_defined(shape):
        raise _err(op_name, f"Trying to {what} but element_shape is not fully defined: "
                   f"{_shape_str(shape)} and no list elements are initialized.")
    return xp.zeros(shape, dtype=tl.dtype._np)


def _shape_str(shape):
    if shape is None:
        return "<unknown>"
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def _dims(shape):
    """A TensorShape as an attr: a tuple with None dims, or None for unknown rank."""
    shape = as_shape(shape)
    return None if shape.rank is None else tuple(shape.dims)


# ---------------------------------------------------------------- rules

def _variant(op, inputs, attrs):
    return (D.variant,)


def _scalar_shape(op, inputs, attrs):
    return (TensorShape([]),)


def _element_dtype(op, inputs, attrs):
    return (attrs["element_dtype"],)


def _element_shape_of(attrs, inputs=None):
    shape = attrs.get("element_shape")
    return TensorShape(None) if shape is None else TensorShape(list(shape))


def _item_shape(op, inputs, attrs):
    return (_element_shape_of(attrs),)


def _stacked_shape(op, inputs, attrs):
    n = attrs.get("num_elements", -1)
    return (TensorShape([None if n is None or n < 0 else n]).concatenate(
        _element_shape_of(attrs)),)


# ---------------------------------------------------------------- kernels

def _reserve(num_elements, element_shape, element_dtype):
    n = int(num_elements)
    if n < 0:
        raise _err("TensorListReserve", f"num_elements must be >= 0, got {n}")
    return _box(TList([None] * n, element_shape, element_dtype))


def _check_item(tl, item, op_name):
    shape = tl.element_shape
    if shape is not None and (len(shape) != item.ndim or any(
            d is not None and d != s for d, s in zip(shape, item.shape))):
        raise _err(op_name, f"Tried to set a tensor with incompatible shape at a list index. Item "
                   f"element shape: {_shape_str(item.shape)} list shape: {_shape_str(shape)}")


def _set_item(lst, index, item, resize_if_index_out_of_bounds=False):
    tl = _unbox(lst)
    i = int(index)
    items = list(tl.items)
    if i < 0 or i >= len(items):
        if not resize_if_index_out_of_bounds or i < 0:
            raise _err("TensorListSetItem", f"Trying to modify element {i} in a list with "
                       f"{len(items)} elements.")
        items.extend([None] * (i - len(items) + 1))
    if tl.dtype is not None:
        _check_item(tl, item, "TensorListSetItem")
    items[i] = item
    return _box(TList(items, tl.element_shape, tl.dtype))


def _get_item(lst, index, element_shape, element_dtype):
    tl = _unbox(lst)
    i = int(index)
    if i < 0 or i >= len(tl.items):
        raise _err("TensorListGetItem", f"Trying to access element {i} in a list with "
                   f"{len(tl.items)} elements.")
    v = tl.items[i]
    if v is None:
        return _zeros(TList(tl.items, tl.element_shape, element_dtype), element_shape,
                      "TensorListGetItem")
    return v


def _stack(lst, element_shape, element_dtype, num_elements=-1):
    tl = _unbox(lst)
    if num_elements is not None and num_elements >= 0 and num_elements != len(tl.items):
        raise _err("TensorListStack", f"Operation expected a list with {num_elements} elements "
                   f"but got a list with {len(tl.items)} elements.")
    known = next((v for v in tl.items if v is not None), None)
    if known is None:
        shape = _merge(tl.element_shape, element_shape)
        if not _fully_defined(shape):
            raise _err("TensorListStack", "Tried to stack elements of an empty list with "
                       f"non-fully-defined element_shape: {_shape_str(shape)}")
        return xp.zeros((len(tl.items),) + tuple(shape), dtype=element_dtype._np)
    rows = [v if v is not None else xp.zeros_like(known) for v in tl.items]
    return xp.stack(rows)


def _from_tensor(tensor, element_shape):
    dt = D.from_numpy(tensor.dtype) if tensor.dtype != object else D.string
    return _box(TList(list(tensor), element_shape, dt))


def _gather(lst, indices, element_shape, element_dtype):
    tl = _unbox(lst)
    rows = []
    for i in xp.reshape(indices, (-1,)):
        rows.append(_get_item(lst, i, element_shape, element_dtype))
    if not rows:
        shape = _merge(tl.element_shape, element_shape)
        return xp.zeros((0,) + tuple(shape or ()), dtype=element_dtype._np)
    return xp.stack(rows)


def _scatter(lst, tensor, indices):
    tl = _unbox(lst)
    items = list(tl.items)
    for row, i in zip(tensor, xp.reshape(indices, (-1,))):
        i = int(i)
        if i < 0:
            raise _err("TensorListScatterIntoExistingList", f"Trying to scatter to a negative "
                       f"index {i}")
        if i >= len(items):
            items.extend([None] * (i - len(items) + 1))
        items[i] = row
    return _box(TList(items, tl.element_shape, tl.dtype))


def _concat(lst, element_shape, element_dtype):
    tl = _unbox(lst)
    items = tl.items
    for k, v in enumerate(items):
        if v is not None and v.ndim == 0:
            raise _err("TensorListConcatV2", "Concat saw a scalar shape at index %d but requires "
                       "at least vectors." % k)
    known = next((v for v in items if v is not None), None)
    if known is None:
        shape = _merge(tl.element_shape, element_shape)
        if not _fully_defined(shape):
            raise _err("TensorListConcatV2", "All except the first dimension must be fully "
                       f"defined when concating an empty tensor list. element_shape: "
                       f"{_shape_str(shape)}")
        rows = [xp.zeros(shape, element_dtype._np) for _ in items]
    else:
        rows = [v if v is not None else xp.zeros_like(known) for v in items]
    if not rows:
        return xp.zeros((0,) + tuple(element_shape[1:] if element_shape else ()),
                        element_dtype._np), xp.zeros((0,), xp.int64)
    return xp.concatenate(rows, 0), xp.asarray([r.shape[0] for r in rows], dtype=xp.int64)


def _split(tensor, lengths, element_shape):
    lengths = [int(n) for n in lengths]
    if sum(lengths) != tensor.shape[0]:
        raise _err("TensorListSplit", f"Expected sum of lengths to be equal to values.shape[0], "
                   f"but sum of lengths is {sum(lengths)} and value's shape is: "
                   f"{list(tensor.shape)} ")
    offsets = xp.cumsum([0] + lengths)
    items = [tensor[offsets[k]:offsets[k + 1]] for k in range(len(lengths))]
    dt = D.from_numpy(tensor.dtype)
    return _box(TList(items, element_shape, dt))


def _length(lst):
    return xp.asarray(len(_unbox(lst).items), dtype=xp.int32)


def _push_back(lst, tensor):
    tl = _unbox(lst)
    return _box(TList(list(tl.items) + [tensor], tl.element_shape,
                      tl.dtype or D.from_numpy(tensor.dtype)))


# ---- gradient helpers (internal ops: they only appear in gradient computations)

def _add_lists(a, b):
    ta, tb = _unbox(a), _unbox(b)
    if not ta.items:
        return _box(tb)
    if not tb.items:
        return _box(ta)
    n = max(len(ta.items), len(tb.items))
    items = []
    for k in range(n):
        x = ta.items[k] if k < len(ta.items) else None
        y = tb.items[k] if k < len(tb.items) else None
        items.append(y if x is None else x if y is None else x + y)
    return _box(TList(items, ta.element_shape, ta.dtype))


def _item_grad(dlist, index, like):
    """d(item) of SetItem: the gradient list's entry at ``index`` (zeros when absent)."""
    tl = _unbox(dlist)
    i = int(index)
    v = tl.items[i] if 0 <= i < len(tl.items) else None
    return v if v is not None else xp.zeros_like(like)


def _clear_item(dlist, index):
    tl = _unbox(dlist)
    items = list(tl.items)
    i = int(index)
    if 0 <= i < len(items):
        items[i] = None
    return _box(TList(items, tl.element_shape, tl.dtype))


def _one_hot_list(lst, index, dy):
    """d(list) of GetItem: a list as long as ``lst`` holding ``dy`` at ``index``."""
    tl = _unbox(lst)
    items = [None] * len(tl.items)
    items[int(index)] = dy
    return _box(TList(items, tl.element_shape, D.from_numpy(dy.dtype)))


def _dense_like(dlist, like):
    """Stacks a gradient list into the shape of ``like`` (absent rows are zeros)."""
    tl = _unbox(dlist)
    out = xp.zeros_like(like)
    for k, v in enumerate(tl.items[:like.shape[0]]):
        if v is not None:
            out[k] = v
    return out


def _scatter_rows(lst, indices, dy):
    """d(list) of Gather: rows of ``dy`` added at ``indices``."""
    tl = _unbox(lst)
    items = [None] * len(tl.items)
    for row, i in zip(dy, xp.reshape(indices, (-1,))):
        i = int(i)
        items[i] = row if items[i] is None else items[i] + row
    return _box(TList(items, tl.element_shape, D.from_numpy(dy.dtype)))


def _gather_like(dlist, indices, like):
    tl = _unbox(dlist)
    out = xp.zeros_like(like)
    for k, i in enumerate(xp.reshape(indices, (-1,))):
        i = int(i)
        if 0 <= i < len(tl.items) and tl.items[i] is not None:
            out[k] = tl.items[i]
    return out


def _clear_items(dlist, indices):
    tl = _unbox(dlist)
    items = list(tl.items)
    for i in xp.reshape(indices, (-1,)):
        if 0 <= int(i) < len(items):
            items[int(i)] = None
    return _box(TList(items, tl.element_shape, tl.dtype))


def _concat_like(dlist, like, lengths):
    tl = _unbox(dlist)
    out = xp.zeros_like(like)
    start = 0
    for k, n in enumerate(lengths):
        n = int(n)
        v = tl.items[k] if k < len(tl.items) else None
        if v is not None:
            out[start:start + n] = v
        start += n
    return out


# ---------------------------------------------------------------- ops

def _like_dtype(index):
    return lambda op, inputs, attrs: (inputs[index].dtype,)


def _like_shape(index):
    return lambda op, inputs, attrs: (inputs[index].shape,)


def _set_item_grad(op, dlist):
    index, item = op.inputs[1], op.inputs[2]
    return [apply(clear_item_op, dlist, index), None, apply(item_grad_op, dlist, index, item)]


def _get_item_grad(op, dy):
    return [apply(one_hot_list_op, op.inputs[0], op.inputs[1], dy), None]


def _stack_grad(op, dy):
    return [apply(from_tensor_op, dy, element_shape=None)]


def _from_tensor_grad(op, dlist):
    return [apply(dense_like_op, dlist, op.inputs[0])]


def _gather_grad(op, dy):
    return [apply(scatter_rows_op, op.inputs[0], op.inputs[1], dy), None]


def _scatter_grad(op, dlist):
    indices, tensor = op.inputs[2], op.inputs[1]
    return [apply(clear_items_op, dlist, indices), apply(gather_like_op, dlist, indices, tensor),
            None]


def _concat_grad(op, dy, dlengths):
    return [apply(split_op, dy, op.outputs[1], element_shape=None)]


def _split_grad(op, dlist):
    return [apply(concat_like_op, dlist, op.inputs[0], op.inputs[1]), None]


reserve_op = defop("TensorListReserve", _reserve, dtype_rule=_variant, shape_rule=_scalar_shape)
set_item_op = defop("TensorListSetItem", _set_item, dtype_rule=_variant,
                    shape_rule=_scalar_shape, grad=_set_item_grad)
get_item_op = defop("TensorListGetItem", _get_item, dtype_rule=_element_dtype,
                    shape_rule=_item_shape, grad=_get_item_grad)
stack_op = defop("TensorListStack", _stack, dtype_rule=_element_dtype, shape_rule=_stacked_shape,
                 grad=_stack_grad)
from_tensor_op = defop("TensorListFromTensor", _from_tensor, dtype_rule=_variant,
                       shape_rule=_scalar_shape, grad=_from_tensor_grad)
gather_op = defop("TensorListGather", _gather, dtype_rule=_element_dtype,
                  shape_rule=_stacked_shape, grad=_gather_grad)
scatter_op = defop("TensorListScatterIntoExistingList", _scatter, dtype_rule=_variant,
                   shape_rule=_scalar_shape, grad=_scatter_grad)
concat_op = defop(
    "TensorListConcatV2", _concat, num_outputs=2,
    dtype_rule=lambda op, inputs, attrs: (attrs["element_dtype"], D.int64),
    shape_rule=lambda op, inputs, attrs: (
        TensorShape([None]).concatenate(_element_shape_of(attrs)[1:])
        if attrs.get("element_shape") is not None else TensorShape(None), TensorShape([None])),
    grad=_concat_grad)
split_op = defop("TensorListSplit", _split, dtype_rule=_variant, shape_rule=_scalar_shape,
                 grad=_split_grad)
length_op = defop("TensorListLength", _length, dtype_rule=lambda op, inputs, attrs: (D.int32,),
                  shape_rule=_scalar_shape)
push_back_op = defop("TensorListPushBack", _push_back, dtype_rule=_variant,
                     shape_rule=_scalar_shape)

add_lists_op = defop("TensorListAddLists", _add_lists, dtype_rule=_variant,
                     shape_rule=_scalar_shape)
item_grad_op = defop("TensorListItemGrad", _item_grad, dtype_rule=_like_dtype(2),
                     shape_rule=_like_shape(2))
clear_item_op = defop("TensorListClearItem", _clear_item, dtype_rule=_variant,
                      shape_rule=_scalar_shape)
one_hot_list_op = defop("TensorListOneHot", _one_hot_list, dtype_rule=_variant,
                        shape_rule=_scalar_shape)
dense_like_op = defop("TensorListDenseLike", _dense_like, dtype_rule=_like_dtype(1),
                      shape_rule=_like_shape(1))
scatter_rows_op = defop("TensorListScatterRows", _scatter_rows, dtype_rule=_variant,
                        shape_rule=_scalar_shape)
gather_like_op = defop("TensorListGatherLike", _gather_like, dtype_rule=_like_dtype(2),
                       shape_rule=_like_shape(2))
clear_items_op = defop("TensorListClearItems", _clear_items, dtype_rule=_variant,
                       shape_rule=_scalar_shape)
concat_like_op = defop("TensorListConcatLike", _concat_like, dtype_rule=_like_dtype(1),
                       shape_rule=_like_shape(1))


def zero_list():
    """The zero gradient of a TensorList: an empty list (absent items are zeros)."""
    from tensorlet.framework.tensor import EagerTensor
    return EagerTensor(_box(TList([], None, None)), D.variant)


def add_lists(a, b):
    """The sum of two TensorList gradients (element-wise; absent items are zeros)."""
    return apply(add_lists_op, a, b)


# ---------------------------------------------------------------- the graph TensorArray

def _int32(x):
    return x if getattr(x, "dtype", None) is D.int32 else convert_to_tensor(x, D.int32)


class GraphTensorArray:
    """``tf.TensorArray`` backed by a TensorList ``flow`` (TF's ``_GraphTensorArrayV2``)."""

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        self._dynamic_size = dynamic_size
        self._size = size
        if flow is not None and (not hasattr(flow, "dtype") or flow.dtype != D.variant):
            raise TypeError("flow must be a variant tensor")
        if flow is None and size is None:
            raise ValueError("Size must be provided if flow is not provided")
        if flow is not None and size is not None:
            raise ValueError("Cannot provide both a flow and size at the same time")
        if flow is not None and element_shape is not None:
            raise ValueError("Cannot provide both a flow and element_shape at the same time")
        self._dtype = D.as_dtype(dtype).base_dtype
        self._element_shape = [as_shape(element_shape)]
        self._infer_shape = infer_shape
        if flow is None:
            flow = apply(reserve_op, _int32(size), element_shape=_dims(element_shape),
                         element_dtype=self._dtype)
        self._flow = flow
        self.parent = None

    flow = property(lambda self: self._flow)
    dtype = property(lambda self: self._dtype)
    handle = property(lambda self: None)
    element_shape = property(lambda self: self._element_shape[0])

    def _check_element_shape(self, shape):
        if not shape.is_compatible_with(self.element_shape):
            raise ValueError("Inconsistent shapes: saw %s but expected %s "
                             % (shape, self.element_shape))
        if self._infer_shape:
            self._element_shape[0] = self.element_shape.merge_with(shape)

    def _with_flow(self, flow):
        from tensorlet.ops.tensor_array_ops import TensorArray
        ta = TensorArray(self._dtype, flow=flow, infer_shape=self._infer_shape)
        impl = ta._implementation
        impl._dynamic_size = self._dynamic_size
        impl._size = self._size
        impl._element_shape = self._element_shape  # shared, as in TF
        return ta

    def identity(self):
        from tensorlet.ops import array_ops
        return self._with_flow(array_ops.identity(self._flow))

    def grad(self, source, flow=None, name=None):
        raise NotImplementedError()

    def read(self, index, name=None):
        return apply(get_item_op, self._flow, _int32(index),
                     element_shape=_dims(self.element_shape), element_dtype=self._dtype)

    def write(self, index, value, name=None):
        value = convert_to_tensor(value, dtype_hint=self._dtype)
        self._check_element_shape(value.shape)
        flow = apply(set_item_op, self._flow, _int32(index), value,
                     resize_if_index_out_of_bounds=bool(self._dynamic_size))
        return self._with_flow(flow)

    def _static_size(self):
        if not self._dynamic_size and self._size is not None:
            from tensorlet.framework import tensor_util
            v = tensor_util.constant_value(convert_to_tensor(self._size))
            return -1 if v is None else int(v)
        return -1

    def stack(self, name=None):
        return apply(stack_op, self._flow, element_shape=_dims(self.element_shape),
                     element_dtype=self._dtype, num_elements=self._static_size())

    def gather(self, indices, name=None):
        return apply(gather_op, self._flow, _int32(indices),
                     element_shape=_dims(self.element_shape), element_dtype=self._dtype)

    def concat(self, name=None):
        shape = self.element_shape
        elem = None if shape.rank is None else (None,) + tuple(shape.dims[1:])
        return apply(concat_op, self._flow, element_shape=elem, element_dtype=self._dtype)[0]

    def unstack(self, value, name=None):
        value = convert_to_tensor(value, dtype_hint=self._dtype)
        self._check_element_shape(value.shape[1:])
        flow = apply(from_tensor_op, value, element_shape=_dims(value.shape[1:]))
        return self._with_flow(flow)

    def scatter(self, indices, value, name=None):
        value = convert_to_tensor(value, dtype_hint=self._dtype)
        self._check_element_shape(value.shape[1:])
        flow = apply(scatter_op, self._flow, value, _int32(indices))
        return self._with_flow(flow)

    def split(self, value, lengths, name=None):
        value = convert_to_tensor(value, dtype_hint=self._dtype)
        lengths = convert_to_tensor(lengths, D.int64) if not hasattr(lengths, "dtype") else lengths
        flow = apply(split_op, value, lengths, element_shape=_dims(self.element_shape))
        return self._with_flow(flow)

    def size(self, name=None):
        if not self._dynamic_size and self._size is not None:
            return convert_to_tensor(self._size, D.int32)
        return apply(length_op, self._flow)

    def close(self, name=None):
        return None


__all__ = ["GraphTensorArray", "TList", "add_lists"]
