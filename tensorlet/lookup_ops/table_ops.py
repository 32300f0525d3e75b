"""The lookup table ops, each taking the table's ``resource`` handle as input 0.

``LookupTableFindV2``, ``LookupTableInsertV2``, ``LookupTableRemoveV2``, ``LookupTableSizeV2``,
``LookupTableExportV2``, ``LookupTableImportV2`` and ``InitializeTableFromTextFileV2`` as in TF
(inputs, ``Tin``/``Tout`` attrs, kernel checks and messages). The handle is an eager scalar
``resource`` tensor holding the table object (``table_resources.py``): eager calls pass it
straight to the kernel, and a ``tf.function`` / ``tf.data`` trace captures it as a constant, so
the same kernels run the graph. All the ops are ``stateful`` (never folded, deduplicated or
reordered) and, as in TF (``lookup_grad.py``), not differentiable.
"""

import contextlib

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.context import state
from tensorlet.framework.symbolic_tensor import SymbolicTensor
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.lookup_ops import text_file
from tensorlet.lookup_ops.table_resources import HashTable, TableError
from tensorlet.ops.op_def import _tf_type_word, apply, defop, dtype_mismatch

D = dtypes


# ---------------------------------------------------------------- handles


def make_handle(table):
    """A scalar ``resource`` tensor standing for the kernel-side ``table``."""
    cell = xp.empty((), dtype=object)
    cell[()] = table
    return EagerTensor(cell, D.resource)


def static_table(handle):
    """The table behind ``handle`` when known without running (eager or captured), else None."""
    value = getattr(handle, "_value", None) if type(handle) is EagerTensor else None
    if value is None and type(handle) is SymbolicTensor:
        value = handle._const
    return None if value is None else value[()]


@contextlib.contextmanager
def init_scope():
    """Runs the block eagerly, outside any graph and tape (TF lifts table setup the same way)."""
    graph, tapes = state.graph, state.tapes
    state.graph, state.tapes = None, []
    try:
        yield
    finally:
        state.graph, state.tapes = graph, tapes


def known_value(t):
    """``t`` as an eager tensor when its value is known now (eager or a traced constant)."""
    if type(t) is EagerTensor:
        return t
    if type(t) is SymbolicTensor and t._const is not None:
        return EagerTensor(t._const, t._dtype)
    return None


def eager_constant(value, dtype=None, name=None):
    """``value`` as a tensor that outlives any trace (eager when its value is known now)."""
    if isinstance(value, Tensor):
        t = convert_to_tensor(value, dtype=dtype, name=name)
    else:
        with init_scope():
            t = convert_to_tensor(value, dtype=dtype, name=name)
    known = known_value(t)
    return t if known is None else known


# ---------------------------------------------------------------- kernels


def _signature(op_name, have, expected):
    """OpKernelContext::MatchSignature."""
    if tuple(have[0]) != tuple(expected[0]) or tuple(have[1]) != tuple(expected[1]):

        def text(ds):
            return ", ".join(_tf_type_word(d) for d in ds)

        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"Signature mismatch, have: {text(have[0])}->{text(have[1])} expected: "
            f"{text(expected[0])}->{text(expected[1])}",
        )


def _kernel(op_name, body):
    """A kernel running ``body(table, *arrays, **attrs)``; TableErrors become TF's errors."""

    def forward(handle, *arrays, **attrs):
        try:
            return body(handle[()], *arrays, **attrs)
        except TableError as e:
            raise errors.op_error(e.cls, op_name, e.message) from None

    return forward


def _find(table, keys, default, Tin, Tout):
    r, k, v = D.resource, table.key_dtype, table.value_dtype
    _signature("LookupTableFindV2", ((r, Tin, Tout), (Tout,)), ((r, k, v), (v,)))
    table.check_find(keys, default, Tin, Tout)
    return table.find(keys, default)


def _insert(table, keys, values, Tin, Tout):
    r = D.resource
    _signature(
        "LookupTableInsertV2", ((r, Tin, Tout), ()), ((r, table.key_dtype, table.value_dtype), ())
    )
    table.check_insert(keys, values, Tin, Tout)
    table.insert(keys, values)
    return ()


def _import(table, keys, values, Tin, Tout):
    r = D.resource
    _signature(
        "LookupTableImportV2", ((r, Tin, Tout), ()), ((r, table.key_dtype, table.value_dtype), ())
    )
    table.check_import(keys, values, Tin, Tout)
    table.import_values(keys, values)
    return ()


def _remove(table, keys, Tin):
    _signature("LookupTableRemoveV2", ((D.resource, Tin), ()), ((D.resource, table.key_dtype), ()))
    table.check_remove(keys, Tin)
    table.remove(keys)
    return ()


def _size(table):
    return xp.asarray(table.size(), dtype=xp.int64)


def _export(table, Tkeys, Tvalues):
    return table.export()


def _init_from_text_file(table, filename, key_index, value_index, vocab_size, delimiter, offset):
    if xp.ndim(filename) != 0:
        raise TableError(
            errors.InvalidArgumentError,
            "filename should be a single string, but "
            f"got [{','.join(str(d) for d in xp.shape(filename))}]",
        )
    name = filename[()]
    name = name.decode() if isinstance(name, bytes) else str(name)
    if not name:
        raise TableError(errors.InvalidArgumentError, "filename cannot be empty.")
    if not isinstance(table, HashTable):
        table.initialize((), 0)  # raises "... is not initializable"
    text_file.check_indices(table.key_dtype, key_index, table.value_dtype, value_index)
    pairs = text_file.pairs(
        name,
        table.key_dtype,
        key_index,
        table.value_dtype,
        value_index,
        vocab_size,
        delimiter,
        offset,
    )
    if table.initialized:  # TF reads the first line, then ignores the initialization
        next(pairs, None)
        return ()
    table.initialize(pairs, 0)
    return ()


# ---------------------------------------------------------------- rules


def _handle_first(out):
    """Checks input 0 is a resource; the outputs' dtypes are ``out(inputs, attrs)``."""

    def rule(op, inputs, attrs):
        if inputs[0]._dtype is not D.resource:
            raise dtype_mismatch(op, 0, D.resource, inputs[0]._dtype)
        return out(inputs, attrs)

    return rule


def _find_shape(op, inputs, attrs):
    table, keys = static_table(inputs[0]), inputs[1].shape
    if table is None or keys.rank is None or keys.rank < len(table.key_shape):
        return (TensorShape(None),)
    return (
        TensorShape(keys.as_list()[: keys.rank - len(table.key_shape)]).concatenate(
            TensorShape(list(table.value_shape))
        ),
    )


def _export_shape(op, inputs, attrs):
    table = static_table(inputs[0])
    if table is None:
        return TensorShape(None), TensorShape(None)
    if table.op_name == "MutableDenseHashTableV2":  # the bucket arrays
        return TensorShape([None, table._key_size]), TensorShape([None, table._value_size])
    return TensorShape([None]), TensorShape([None] + list(table.value_shape))


def _no_outputs(op, inputs, attrs):
    return ()


def _scalar(op, inputs, attrs):
    return (TensorShape([]),)


def _op(name, body, dtypes_of, shape_rule, num_outputs=1):
    return defop(
        name,
        _kernel(name, body),
        dtype_rule=_handle_first(dtypes_of),
        shape_rule=shape_rule,
        stateful=True,
        num_outputs=num_outputs,
    )


lookup_table_find_v2_op = _op("LookupTableFindV2", _find, lambda i, a: (a["Tout"],), _find_shape)
lookup_table_insert_v2_op = _op("LookupTableInsertV2", _insert, lambda i, a: (), _no_outputs, 0)
lookup_table_import_v2_op = _op("LookupTableImportV2", _import, lambda i, a: (), _no_outputs, 0)
lookup_table_remove_v2_op = _op("LookupTableRemoveV2", _remove, lambda i, a: (), _no_outputs, 0)
lookup_table_size_v2_op = _op("LookupTableSizeV2", _size, lambda i, a: (D.int64,), _scalar)
lookup_table_export_v2_op = _op(
    "LookupTableExportV2", _export, lambda i, a: (a["Tkeys"], a["Tvalues"]), _export_shape, 2
)
initialize_table_from_text_file_v2_op = _op(
    "InitializeTableFromTextFileV2", _init_from_text_file, lambda i, a: (), _no_outputs, 0
)


# ---------------------------------------------------------------- calls (gen_lookup_ops)


def find(handle, keys, default_value, name=None):
    keys, default_value = convert_to_tensor(keys), convert_to_tensor(default_value)
    return apply(
        lookup_table_find_v2_op,
        handle,
        keys,
        default_value,
        name=name,
        Tin=keys.dtype,
        Tout=default_value.dtype,
    )


def insert(handle, keys, values, name=None):
    keys, values = convert_to_tensor(keys), convert_to_tensor(values)
    apply(
        lookup_table_insert_v2_op,
        handle,
        keys,
        values,
        name=name,
        Tin=keys.dtype,
        Tout=values.dtype,
    )


def import_values(handle, keys, values, name=None):
    keys, values = convert_to_tensor(keys), convert_to_tensor(values)
    apply(
        lookup_table_import_v2_op,
        handle,
        keys,
        values,
        name=name,
        Tin=keys.dtype,
        Tout=values.dtype,
    )


def remove(handle, keys, name=None):
    keys = convert_to_tensor(keys)
    apply(lookup_table_remove_v2_op, handle, keys, name=name, Tin=keys.dtype)


def size(handle, name=None):
    return apply(lookup_table_size_v2_op, handle, name=name)


def export(handle, key_dtype, value_dtype, name=None):
    return apply(lookup_table_export_v2_op, handle, name=name, Tkeys=key_dtype, Tvalues=value_dtype)


def initialize_from_text_file(
    handle, filename, key_index, value_index, vocab_size, delimiter, offset, name=None
):
    if len(delimiter) != 1:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "InitializeTableFromTextFileV2",
            "delimiter should be only 1 char",
        )
    apply(
        initialize_table_from_text_file_v2_op,
        handle,
        filename,
        name=name,
        key_index=int(key_index),
        value_index=int(value_index),
        vocab_size=int(vocab_size),
        delimiter=delimiter,
        offset=int(offset),
    )


__all__ = [
    "eager_constant",
    "export",
    "find",
    "import_values",
    "init_scope",
    "initialize_from_text_file",
    "insert",
    "known_value",
    "make_handle",
    "remove",
    "size",
    "static_table",
]
