"""Variable update ops: assign, assign_add/sub, strided-slice assign, scatter updates.

Each op's ``forward`` receives the variable's current value (input 0, standing for TF's resource
handle) and returns the *new* array; ``Variable`` stores it. Kernels never write into their
inputs, so tensors read from a variable earlier keep their values. All are ``stateful``: a traced
graph must neither fold nor deduplicate them.
"""
from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.ops import indexing
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import defop, dtype_mismatch, dtype_not_allowed

_INDEX_DTYPES = (dtypes.int32, dtypes.int64)


def _debug_shape(shape):
    """TensorShape::DebugString: ``[4,3]``."""
    return "[" + ",".join(str(d) for d in shape) + "]"


def _fail(op_name, message):
    raise errors.op_error(errors.InvalidArgumentError, op_name, message)


# ---------------------------------------------------------------- rules

def _ref_and_update_dtype(allowed):
    """(ref, update) or (ref, indices, updates): ``updates`` must have ref's dtype."""
    allowed = frozenset(allowed)

    def rule(op, inputs, attrs):
        d = inputs[0]._dtype
        if d not in allowed:
            raise dtype_not_allowed(op, d, R._ordered(allowed))
        if len(inputs) == 3 and inputs[1]._dtype not in _INDEX_DTYPES:
            raise dtype_not_allowed(op, inputs[1]._dtype, _INDEX_DTYPES)
        if inputs[-1]._dtype is not d:
            raise dtype_mismatch(op, len(inputs) - 1, d, inputs[-1]._dtype)
        return (d,)

    return rule


def _value_shape(op, inputs, attrs):
    """AssignVariableOp: the variable takes the value's shape."""
    return (inputs[1].shape,)


# ---------------------------------------------------------------- kernels

def _assign(ref, value):
    return value


def _update(op_name, combine):
    def forward(ref, delta):
        if xp.shape(ref) != xp.shape(delta):
            _fail(op_name, f"Cannot update variable with shape {_debug_shape(xp.shape(ref))} "
                           f"using a Tensor with shape {_debug_shape(xp.shape(delta))}, "
                           "shapes must be equal.")
        return combine(ref, delta)

    return forward


def _strided_slice_assign(ref, value, **attrs):
    """Writes ``value``, broadcast to the slice's final shape, into a copy of ``ref``."""
    slices, processing, final = indexing._spec_of(xp.shape(ref), attrs)  # TF's validation
    if 0 in processing:
        return ref
    try:
        value = xp.broadcast_to(value, final).reshape(processing)
    except ValueError:
        _fail("ResourceStridedSliceAssign",
              f"Cannot broadcast input shape {_debug_shape(xp.shape(value))} into final shape "
              f"{_debug_shape(final)}")
    out = xp.array(ref, copy=True)
    out[slices] = value
    return out


def _scatter_nd(op_name, combine):
    def forward(ref, indices, updates):
        ref = xp.asarray(ref)
        indices = xp.asarray(indices)
        if indices.ndim == 1:  # TF: rank-1 indices are [N] positions along dimension 0
            indices = indices[:, None]
        _check_scatter_nd(op_name, ref.shape, indices, xp.shape(updates))
        out = ref.copy()
        idx = tuple(indices[..., k] for k in range(indices.shape[-1]))
        if combine is None:
            out[idx] = updates
        else:
            combine.at(out, idx, updates)
        return out

    return forward


def _check_scatter_nd(op_name, shape, indices, upd_shape):
    k, batch = indices.shape[-1], indices.shape[:-1]
    if k > len(shape):
        _fail(op_name, f"Output must be at least {k}-D, got shape: {_debug_shape(shape)}")
    if tuple(upd_shape) != tuple(batch) + tuple(shape[k:]):
        nb = len(batch)
        if tuple(upd_shape[:nb]) != tuple(batch):
            _fail(op_name, f"Dimensions [0,{nb}) of indices[shape={_debug_shape(indices.shape)}] "
                           f"must match dimensions [0,{nb}) of updates[shape="
                           f"{_debug_shape(upd_shape)}]")
        _fail(op_name, f"Dimensions [{k},{len(shape)}) of input[shape={_debug_shape(shape)}] must "
                       f"match dimensions [{nb},{len(upd_shape)}) of updates[shape="
                       f"{_debug_shape(upd_shape)}]")
    flat = indices.reshape(-1, k)
    bad = xp.nonzero(((flat < 0) | (flat >= xp.asarray(shape[:k]))).any(axis=1))[0]
    if bad.size:
        i = int(bad[0])
        pos = xp.unravel_index(i, batch) if batch else ()
        _fail(op_name, f"indices{_debug_shape(pos)} = [{', '.join(str(int(v)) for v in flat[i])}] "
                       f"does not index into shape {_debug_shape(shape)}")


def _scatter(op_name, combine):
    def forward(ref, indices, updates):
        ref = xp.asarray(ref)
        indices = xp.asarray(indices)
        n = ref.shape[0] if ref.ndim else 0
        bad = xp.nonzero((indices.reshape(-1) < 0) | (indices.reshape(-1) >= n))[0]
        if bad.size:
            i = int(bad[0])
            _fail(op_name, f"indices[{i}] = {int(indices.reshape(-1)[i])} is not in [0, {n})")
        want = indices.shape + ref.shape[1:]
        if xp.ndim(updates) != 0 and xp.shape(updates) != want:
            _fail(op_name, "updates must be either a scalar or have shape indices.shape + "
                           f"params.shape[1:], got updates.shape {_debug_shape(xp.shape(updates))}"
                           f", indices.shape {_debug_shape(indices.shape)}, params.shape "
                           f"{_debug_shape(ref.shape)}")
        out = ref.copy()
        if combine is None:
            out[indices] = updates
        else:
            combine.at(out, indices, updates)
        return out

    return forward


# ---------------------------------------------------------------- ops

_NUM = R.NUMERIC
_ALL = R.ALL

assign_variable_op = defop("AssignVariableOp", _assign, dtype_rule=_ref_and_update_dtype(_ALL),
                           shape_rule=_value_shape, stateful=True)
assign_add_variable_op = defop(
    "AssignAddVariableOp", _update("AssignAddVariableOp", xp.add),
    dtype_rule=_ref_and_update_dtype(_NUM), shape_rule=R.unchanged, stateful=True)
assign_sub_variable_op = defop(
    "AssignSubVariableOp", _update("AssignSubVariableOp", xp.subtract),
    dtype_rule=_ref_and_update_dtype(_NUM), shape_rule=R.unchanged, stateful=True)
resource_strided_slice_assign_op = defop(
    "ResourceStridedSliceAssign", _strided_slice_assign, dtype_rule=_ref_and_update_dtype(_ALL),
    shape_rule=R.unchanged, stateful=True)

_SCATTER_ND = [  # (TF op name, combine ufunc; None = overwrite)
    ("ResourceScatterNdUpdate", None), ("ResourceScatterNdAdd", xp.add),
    ("ResourceScatterNdSub", xp.subtract), ("ResourceScatterNdMax", xp.maximum),
    ("ResourceScatterNdMin", xp.minimum),
]
_SCATTER = [
    ("ResourceScatterUpdate", None), ("ResourceScatterAdd", xp.add),
    ("ResourceScatterSub", xp.subtract), ("ResourceScatterMul", xp.multiply),
    ("ResourceScatterDiv", xp.divide), ("ResourceScatterMax", xp.maximum),
    ("ResourceScatterMin", xp.minimum),
]
SCATTER_OPS = {}  # TF op name -> OpDef
for _name, _combine in _SCATTER_ND:
    SCATTER_OPS[_name] = defop(_name, _scatter_nd(_name, _combine),
                               dtype_rule=_ref_and_update_dtype(_ALL if _combine is None else _NUM),
                               shape_rule=R.unchanged, stateful=True)
for _name, _combine in _SCATTER:
    SCATTER_OPS[_name] = defop(_name, _scatter(_name, _combine),
                               dtype_rule=_ref_and_update_dtype(_ALL if _combine is None else _NUM),
                               shape_rule=R.unchanged, stateful=True)


# ---------------------------------------------------------------- slice specs

def strided_slice_attrs(slice_spec):
    """A Python index (``v[1:3, ..., None, 0]``) as StridedSlice attrs, as TF's _slice_helper.

    Returns a dict with ``begin``, ``end``, ``strides`` (tuples of ints) and the five masks.
    A list is read as a tuple of indices (``x[[0, 1]]`` is ``x[0, 1]``).
    """
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    begin, end, strides = [], [], []
    masks = {"begin_mask": 0, "end_mask": 0, "ellipsis_mask": 0, "new_axis_mask": 0,
             "shrink_axis_mask": 0}
    for i, s in enumerate(slice_spec):
        bit = 1 << i
        if isinstance(s, slice):
            begin.append(0 if s.start is None else indexing._index_int(s.start))
            end.append(0 if s.stop is None else indexing._index_int(s.stop))
            strides.append(1 if s.step is None else indexing._index_int(s.step))
            masks["begin_mask"] |= bit if s.start is None else 0
            masks["end_mask"] |= bit if s.stop is None else 0
        elif s is Ellipsis or s is None:
            begin.append(0)
            end.append(0)
            strides.append(1)
            masks["ellipsis_mask" if s is Ellipsis else "new_axis_mask"] |= bit
        else:
            b = indexing._index_int(s)
            begin.append(b)
            end.append(b + 1)
            strides.append(1)
            masks["shrink_axis_mask"] |= bit
    return {"begin": tuple(begin), "end": tuple(end), "strides": tuple(strides), **masks}


# ---------------------------------------------------------------- TF1 function forms

@tf_export("compat.v1.assign")
def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """Assigns ``value`` to the variable ``ref``; returns the updated variable."""
    return ref.assign(value, name=name)


@tf_export("compat.v1.assign_add")
def assign_add(ref, value, use_locking=None, name=None):
    """Adds ``value`` to the variable ``ref``; returns the updated variable."""
    return ref.assign_add(value, name=name)


@tf_export("compat.v1.assign_sub")
def assign_sub(ref, value, use_locking=None, name=None):
    """Subtracts ``value`` from the variable ``ref``; returns the updated variable."""
    return ref.assign_sub(value, name=name)


__all__ = [
    "SCATTER_OPS",
    "assign_add_variable_op",
    "assign_sub_variable_op",
    "assign_variable_op",
    "resource_strided_slice_assign_op",
]
