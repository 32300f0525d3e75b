"""``tf.strings``: case, length, strip, join, substr, regex, segment join and format.

String tensors are object arrays of ``bytes``; there are no NumPy ufuncs for them, so each
kernel maps a Python function over the flat array (``_map``). Regular expressions are in
``string_ops_regex``, conversions in ``string_ops_convert`` (to_number, as_string), hashing in ``string_ops_hash``, Unicode and
splitting kernels in ``string_ops_unicode``; the ops returning RaggedTensors (split, ngrams,
unicode_decode ...) are public in ``tensorlet/ragged_tensors/ragged_string_ops.py``.

Elementwise string functions accept RaggedTensors and map their ``flat_values`` (TF's ragged
dispatch).
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_format import print_format
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import shape_rules as R
from tensorlet.ops.array_ops import py_value
from tensorlet.ops.op_def import apply, defop, dtype_mismatch

D = dtypes


# ---------------------------------------------------------------- kernel helpers


def to_object(values, shape):
    """An object array of ``shape`` holding the Python list ``values``."""
    out = xp.empty(len(values), dtype=object)
    out[:] = values
    return out.reshape(shape)


def ragged_map(fn, input):
    """Elementwise string ops apply to a RaggedTensor's flat values (TF's ragged dispatch)."""
    if hasattr(input, "flat_values") and hasattr(input, "with_flat_values"):
        return input.with_flat_values(fn(input.flat_values))
    return fn(convert_to_tensor(input))


def _map(fn, arr):
    return to_object([fn(s) for s in arr.ravel().tolist()], arr.shape)


def string_input(out=D.string, n=1):
    """Dtype rule: the first ``n`` inputs are strings; the output dtype is ``out``."""
    outs = (out,)

    def rule(op, inputs, attrs):
        for i in range(min(n, len(inputs))):
            if inputs[i].dtype != D.string:
                raise dtype_mismatch(op, i, D.string, inputs[i].dtype)
        return outs

    return rule


def attr_in(op_name, attr, value, allowed):
    if value not in allowed:
        listed = ", ".join(f'"{a}"' for a in allowed)
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"Value for attr '{attr}' of \"{value}\" is not in the list of "
            f"allowed values: {listed}",
        )
    return value


def _strings(x, name=None):
    return convert_to_tensor(x, dtype=D.string) if not isinstance(x, Tensor) else x


def utf8_starts(s):
    """Byte offsets of the UTF-8 characters of ``s`` (non-continuation bytes)."""
    return [i for i, b in enumerate(s) if b & 0xC0 != 0x80]


# ---------------------------------------------------------------- lower / upper / strip / length


def _case(method):
    def kernel(x, encoding):
        if encoding == "":  # ASCII only: bytes.lower() leaves non-ASCII bytes alone
            return _map(getattr(bytes, method), x)
        return _map(
            lambda s: getattr(s.decode("utf-8", "surrogateescape"), method)().encode(
                "utf-8", "surrogateescape"
            ),
            x,
        )

    return kernel


string_lower_op = defop(
    "StringLower", _case("lower"), dtype_rule=string_input(), shape_rule=R.unchanged
)
string_upper_op = defop(
    "StringUpper", _case("upper"), dtype_rule=string_input(), shape_rule=R.unchanged
)


def _encoding(op_name, encoding):
    encoding = encoding or ""
    if encoding not in ("", "utf-8"):
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"only utf-8 or '' (no encoding) is supported, received {encoding}",
        )
    return encoding


@tf_export("strings.lower")
def lower(input, encoding="", name=None):
    """Lower-cases every string: ASCII only, or full Unicode with ``encoding='utf-8'``.

    Example:
      >>> tf.strings.lower("CamelCase string and ALL CAPS").numpy()
      b'camelcase string and all caps'
    """
    encoding = _encoding("StringLower", encoding)
    return ragged_map(lambda x: apply(string_lower_op, x, encoding=encoding, name=name), input)


@tf_export("strings.upper")
def upper(input, encoding="", name=None):
    """Upper-cases every string: ASCII only, or full Unicode with ``encoding='utf-8'``
    (``'ß'`` becomes ``'SS'``)."""
    encoding = _encoding("StringUpper", encoding)
    return ragged_map(lambda x: apply(string_upper_op, x, encoding=encoding, name=name), input)


string_strip_op = defop(
    "StringStrip", lambda x: _map(bytes.strip, x), dtype_rule=string_input(), shape_rule=R.unchanged
)


@tf_export("strings.strip", "compat.v1.string_strip")
def strip(input, name=None):
    """Strips leading and trailing ASCII whitespace (not Unicode spaces such as U+3000)."""
    return ragged_map(lambda x: apply(string_strip_op, x, name=name), input)


def _length_kernel(x, unit):
    if unit == "BYTE":
        fn = len
    else:

        def fn(s):
            return sum(1 for b in s if b & 0xC0 != 0x80)

    flat = [fn(s) for s in x.ravel().tolist()]
    return xp.array(flat, dtype=xp.int32).reshape(x.shape)


string_length_op = defop(
    "StringLength", _length_kernel, dtype_rule=string_input(D.int32), shape_rule=R.unchanged
)


@tf_export("strings.length")
def length(input, unit="BYTE", name=None):
    """int32 length of every string in bytes, or in UTF-8 characters (``unit='UTF8_CHAR'``)."""
    unit = attr_in("StringLength", "unit", unit, ("BYTE", "UTF8_CHAR"))
    return ragged_map(lambda x: apply(string_length_op, x, unit=unit, name=name), input)


@tf_export("compat.v1.strings.length")
def length_v1(input, name=None, unit="BYTE"):
    return length(input, unit=unit, name=name)


# ---------------------------------------------------------------- join / reduce_join


def _join_shape(op, inputs, attrs):
    shape = TensorShape([])
    for t in inputs:
        if t.shape.rank == 0:
            continue
        if shape.rank == 0:
            shape = t.shape
        elif not shape.is_compatible_with(t.shape):
            raise errors.op_error(
                errors.InvalidArgumentError,
                op.name,
                f"Input shapes do not match: {R._brackets(shape)} vs. {R._brackets(t.shape)}",
            )
    return (shape,)


def _join_kernel(*inputs, separator):
    shape = ()
    for a in inputs:
        if a.ndim:
            if shape and a.shape != shape:
                raise ValueError("shape mismatch")
            shape = a.shape
    cols = [xp.broadcast_to(a, shape).ravel().tolist() for a in inputs]
    return to_object([separator.join(parts) for parts in zip(*cols)], shape)


def _join_dtypes(op, inputs, attrs):
    for i, t in enumerate(inputs):
        if t.dtype != D.string:
            raise dtype_mismatch(op, i, D.string, t.dtype)
    return (D.string,)


string_join_op = defop("StringJoin", _join_kernel, dtype_rule=_join_dtypes, shape_rule=_join_shape)


def _sep(separator):
    return separator.encode("utf-8") if isinstance(separator, str) else bytes(separator)


@tf_export("strings.join", "compat.v1.string_join")
def join(inputs, separator="", name=None):
    """Joins same-shaped string tensors (scalars broadcast) elementwise with ``separator``.

    Example:
      >>> tf.strings.join(["a", ["b", "c"]], separator="-").numpy()
      array([b'a-b', b'a-c'], dtype=object)
    """
    if isinstance(inputs, Tensor):
        inputs = [inputs]
    inputs = [_strings(x) for x in inputs]
    if not inputs:
        raise ValueError("inputs must be a non-empty list of string tensors")
    return apply(string_join_op, *inputs, separator=_sep(separator), name=name)


def _reduce_join_kernel(x, axes, keep_dims, separator):
    rank = x.ndim
    kept = [d for d in range(rank) if d not in axes]
    moved = xp.transpose(x, kept + list(reversed(axes)))  # first listed axis varies fastest
    out_shape = tuple(x.shape[d] for d in kept)
    rows = moved.reshape(out_shape + (-1,)) if moved.size else xp.empty(out_shape + (0,), object)
    flat = (
        rows.reshape(-1, rows.shape[-1]).tolist()
        if rows.size
        else [[]] * int(xp.prod(out_shape, dtype=xp.int64))
    )
    out = to_object([separator.join(r) for r in flat], out_shape)
    if keep_dims:
        out = out.reshape(tuple(1 if d in axes else x.shape[d] for d in range(rank)))
    return out


def _reduce_join_shape(op, inputs, attrs):
    shape = inputs[0].shape
    axes, keep = attrs["axes"], attrs["keep_dims"]
    if shape.rank is None:
        return (TensorShape(None),)
    dims = shape.as_list()
    if keep:
        return (TensorShape([1 if d in axes else n for d, n in enumerate(dims)]),)
    return (TensorShape([n for d, n in enumerate(dims) if d not in axes]),)


reduce_join_op = defop(
    "ReduceJoin", _reduce_join_kernel, dtype_rule=string_input(), shape_rule=_reduce_join_shape
)


def _reduce_axes(axis, rank):
    if axis is None:
        return tuple(range(rank - 1, -1, -1))
    raw = py_value(axis)
    raw = [raw] if not isinstance(raw, (list, tuple)) else raw
    axes = []
    for a in raw:
        a = int(a)
        if not -rank <= a < max(rank, 1) or rank == 0:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "ReduceJoin",
                f"Invalid reduction dimension {a} for input with {rank} dimensions",
            )
        a %= rank
        if a in axes:
            raise errors.op_error(
                errors.InvalidArgumentError, "ReduceJoin", f"Duplicate reduction dimension {a}"
            )
        axes.append(a)
    return tuple(axes)


@tf_export("strings.reduce_join")
def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    """Joins the strings along ``axis`` (all axes when None, last axis varying fastest).

    Example:
      >>> tf.strings.reduce_join([["a", "b"], ["c", "d"]], axis=0).numpy()
      array([b'ac', b'bd'], dtype=object)
    """
    x = _strings(inputs)
    axes = _reduce_axes(axis, x.shape.rank)
    return apply(
        reduce_join_op, x, axes=axes, keep_dims=bool(keepdims), separator=_sep(separator), name=name
    )


@tf_export("compat.v1.strings.reduce_join", "compat.v1.reduce_join")
def reduce_join_v1(
    inputs,
    axis=None,
    keep_dims=None,
    separator="",
    name=None,
    reduction_indices=None,
    keepdims=None,
):
    axis = reduction_indices if axis is None else axis
    keep = keepdims if keepdims is not None else bool(keep_dims)
    return reduce_join(inputs, axis, keep, separator, name)


# ---------------------------------------------------------------- unsorted_segment_join


def _segment_join_kernel(x, ids, num_segments, separator):
    n = int(num_segments)
    lead = ids.ndim
    inner = x.shape[lead:]
    rows = x.reshape((-1,) + inner) if x.size else xp.empty((ids.size,) + inner, object)
    flat_ids = ids.reshape(-1).tolist()
    bad = [i for i in flat_ids if i >= n]
    if bad:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "UnsortedSegmentJoin",
            f"segment_ids[{flat_ids.index(bad[0])}] = {bad[0]} is out of range [0, {n})",
        )
    width = int(xp.prod(inner, dtype=xp.int64))
    parts = [[[] for _ in range(width)] for _ in range(n)]
    for row, seg in zip(rows.reshape(len(flat_ids), width).tolist(), flat_ids):
        if seg >= 0:
            for j, s in enumerate(row):
                parts[seg][j].append(s)
    flat = [separator.join(p) for seg in parts for p in seg]
    return to_object(flat, (n,) + inner)


def _segment_join_dtypes(op, inputs, attrs):
    if inputs[0].dtype != D.string:
        raise dtype_mismatch(op, 0, D.string, inputs[0].dtype)
    if inputs[1].dtype not in (D.int32, D.int64):
        raise errors.op_error(
            errors.InvalidArgumentError,
            op.name,
            f"Value for attr 'Tindices' of {inputs[1].dtype.name} is not in "
            "the list of allowed values: int32, int64",
        )
    return (D.string,)


def _segment_join_shape(op, inputs, attrs):
    x, ids = inputs[0].shape, inputs[1].shape
    n = getattr(inputs[2], "_value", None)
    if x.rank is None or ids.rank is None:
        return (TensorShape(None),)
    if not TensorShape(x.as_list()[: ids.rank]).is_compatible_with(ids):
        raise errors.op_error(
            errors.InvalidArgumentError,
            op.name,
            "segment_ids.shape = " + R._brackets(ids) + " does not match the "
            "prefix of input.shape = " + R._brackets(x),
        )
    return (TensorShape([None if n is None else int(n)] + x.as_list()[ids.rank :]),)


unsorted_segment_join_op = defop(
    "UnsortedSegmentJoin",
    _segment_join_kernel,
    dtype_rule=_segment_join_dtypes,
    shape_rule=_segment_join_shape,
)


@tf_export("strings.unsorted_segment_join")
def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """Joins the strings of each segment (in input order); empty segments give ``''``.

    Example:
      >>> tf.strings.unsorted_segment_join(["a", "b", "c"], [1, 0, 1], 2).numpy()
      array([b'b', b'ac'], dtype=object)
    """
    x = _strings(inputs)
    ids = convert_to_tensor(segment_ids)
    n = convert_to_tensor(num_segments)
    return apply(unsorted_segment_join_op, x, ids, n, separator=_sep(separator), name=name)


# ---------------------------------------------------------------- substr


def _substr_kernel(x, pos, length, unit):
    shape = xp.broadcast_shapes(x.shape, pos.shape, length.shape)
    xs = xp.broadcast_to(x, shape).ravel().tolist()
    ps = xp.broadcast_to(pos, shape).ravel().tolist()
    ls = xp.broadcast_to(length, shape).ravel().tolist()
    out = []
    for i, (s, p, n) in enumerate(zip(xs, ps, ls)):
        starts = utf8_starts(s) + [len(s)] if unit == "UTF8_CHAR" else None
        size = len(s) if starts is None else len(starts) - 1
        if abs(p) > size:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "Substr",
                f"pos {p} out of range for string b'{s.decode('utf-8', 'replace')}' at index {i}",
            )
        p = p + size if p < 0 else p
        end = size if n < 0 else min(size, p + n)
        out.append(s[p:end] if starts is None else s[starts[p] : starts[end]])
    return to_object(out, shape)


def _substr_dtypes(op, inputs, attrs):
    if inputs[0].dtype != D.string:
        raise dtype_mismatch(op, 0, D.string, inputs[0].dtype)
    if inputs[1].dtype not in (D.int32, D.int64):
        raise errors.op_error(
            errors.InvalidArgumentError,
            op.name,
            f"Value for attr 'T' of {inputs[1].dtype.name} is not in the list "
            "of allowed values: int32, int64",
        )
    if inputs[2].dtype != inputs[1].dtype:
        raise dtype_mismatch(op, 2, inputs[1].dtype, inputs[2].dtype)
    return (D.string,)


def _substr_shape(op, inputs, attrs):
    pos, n = inputs[1].shape, inputs[2].shape
    if not pos.is_compatible_with(n):
        raise ValueError(
            f"Shapes must be equal rank, but are {pos.rank} and {n.rank} for "
            f"'{{{{node Substr}}}} = Substr[T=DT_INT32, unit=\"BYTE\"]'"
            if pos.rank != n.rank
            else f"Dimensions must be equal, but are {pos} and {n}"
        )
    return R.broadcast(op, inputs, attrs)


substr_op = defop("Substr", _substr_kernel, dtype_rule=_substr_dtypes, shape_rule=_substr_shape)


@tf_export("strings.substr")
def substr(input, pos, len, unit="BYTE", name=None):
    """Substrings ``[pos, pos + len)`` in bytes or UTF-8 characters (``unit``); a negative
    ``pos`` counts from the end, a negative or too long ``len`` takes the rest.

    Example:
      >>> tf.strings.substr(["Hello", "World"], 1, 3).numpy()
      array([b'ell', b'orl'], dtype=object)
    """
    unit = attr_in("Substr", "unit", unit, ("BYTE", "UTF8_CHAR"))

    def run(x):
        p = convert_to_tensor(pos)
        n = convert_to_tensor(len, dtype_hint=p.dtype)
        _substr_shape(substr_op, [x, p, n], {})
        return apply(substr_op, x, p, n, unit=unit, name=name)

    return ragged_map(run, input)


@tf_export("compat.v1.substr", "compat.v1.strings.substr")
def substr_v1(input, pos, len, name=None, unit="BYTE"):
    return substr(input, pos, len, unit=unit, name=name)


# ---------------------------------------------------------------- format


def _format_kernel(*inputs, template, placeholder, summarize, dtypes_):
    pieces = template.split(placeholder)
    out = [pieces[0]]
    for arr, dtype_name, piece in zip(inputs, dtypes_, pieces[1:]):
        out.append(print_format(arr, dtype_name, summarize))
        out.append(piece)
    return xp.array("".join(out).encode("utf-8", "surrogateescape"), dtype=object)


string_format_op = defop(
    "StringFormat", _format_kernel, dtype_rule=R.fixed(D.string), shape_rule=R.scalar
)


@tf_export("strings.format")
def string_format(template, inputs, placeholder="{}", summarize=3, name=None):
    """Formats ``inputs`` (a tensor or a list of tensors) into ``template``'s placeholders the
    way ``tf.print`` does (``summarize`` first/last entries per dimension).

    Example:
      >>> tf.strings.format("x={}", tf.constant([1, 2])).numpy()
      b'x=[1 2]'
    """
    if isinstance(inputs, Tensor) or getattr(inputs, "_is_tensor_like", False):
        inputs = [inputs]
    count = template.count(placeholder)
    if count != len(inputs):
        raise ValueError(
            f"The template expects {count} tensors, but the inputs only has "
            f"{len(inputs)}. Please ensure the number of placeholders in template "
            "matches inputs length."
        )
    tensors = [convert_to_tensor(t) for t in inputs]
    return apply(
        string_format_op,
        *tensors,
        template=template,
        placeholder=placeholder,
        summarize=int(summarize),
        dtypes_=tuple(t.dtype.name for t in tensors),
        name=name,
    )
