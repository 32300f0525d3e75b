"""String decoding ops of ``tf.io``: ``DecodeRaw`` / ``DecodePaddedRaw`` (``decode_raw``),
``DecodeCSV`` (``decode_csv``), ``EncodeBase64`` / ``DecodeBase64`` (web-safe alphabet ``-_``)
and ``DecodeCompressed``.

These work element by element on bytes, as TF's kernels do; the CSV field splitter and the
number parsers follow TF's ``decode_csv_op.cc`` and ``safe_strto*`` rules (whitespace around
numbers allowed, ``inf``/``nan`` in any case, no ``_`` separators, 32+ character numbers
rejected).
"""

import base64 as _b64
import re
import zlib

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.io_ops._rules import as_bytes, require_rank, string_array, string_inputs
from tensorlet.io_ops.tensor_proto import TF_TYPE_NAMES
from tensorlet.ops.op_def import apply, defop, dtype_mismatch

D = dtypes


def _attr_not_allowed(op, attr, dtype, allowed):
    names = ", ".join(TF_TYPE_NAMES[d] for d in allowed)
    return errors.op_error(
        errors.InvalidArgumentError,
        op.name,
        f"Value for attr '{attr}' of {TF_TYPE_NAMES.get(dtype, dtype.name)} is not in the list "
        f"of allowed values: {names}\n\t; NodeDef: {{{{node {op.name}}}}}",
    )


# ---------------------------------------------------------------- DecodeRaw / DecodePaddedRaw

_RAW_TYPES = (
    D.float16,
    D.float32,
    D.float64,
    D.int32,
    D.uint16,
    D.uint8,
    D.int16,
    D.int8,
    D.int64,
    D.complex64,
    D.complex128,
    D.bool,
    D.bfloat16,
)
_PADDED_RAW_TYPES = (
    D.float16,
    D.float32,
    D.float64,
    D.int32,
    D.uint16,
    D.uint8,
    D.int16,
    D.int8,
    D.int64,
    D.bfloat16,
)


def _raw_array(buf, out_type, little_endian):
    np_t = xp.dtype(xp.uint8) if out_type is D.bool else out_type._np
    arr = xp.frombuffer(buf, dtype=np_t.newbyteorder("<" if little_endian else ">"))
    arr = arr.astype(np_t)
    return arr != 0 if out_type is D.bool else arr


def _decode_raw_kernel(input_bytes, out_type, little_endian):
    flat = [as_bytes(s) for s in input_bytes.reshape(-1)]
    size = out_type.size
    if not flat:
        return xp.zeros(input_bytes.shape + (0,), dtype=out_type._np)
    n = len(flat[0])
    for i, s in enumerate(flat):
        if len(s) != n:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "DecodeRaw",
                f"DecodeRaw requires input strings to all be the same size, but element {i} has "
                f"size {len(s)} != {n}",
            )
    if n % size:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "DecodeRaw",
            f"Input to DecodeRaw has length {n} that is not a multiple of {size}, the size of "
            f"{TF_TYPE_NAMES[out_type]}",
        )
    arr = _raw_array(b"".join(flat), out_type, little_endian)
    return arr.reshape(input_bytes.shape + (n // size,))


def _decode_raw_dtypes(op, inputs, attrs):
    out = attrs["out_type"]
    allowed = _RAW_TYPES if op.name == "DecodeRaw" else _PADDED_RAW_TYPES
    if out not in allowed:
        raise _attr_not_allowed(op, "out_type", out, allowed)
    if inputs[0].dtype is not D.string:
        raise dtype_mismatch(op, 0, D.string, inputs[0].dtype)
    if op.name == "DecodePaddedRaw" and inputs[1].dtype is not D.int32:
        raise dtype_mismatch(op, 1, D.int32, inputs[1].dtype)
    return (out,)


def _decode_raw_shape(op, inputs, attrs):
    return (inputs[0].shape.concatenate([None]),)


decode_raw_op = defop(
    "DecodeRaw", _decode_raw_kernel, dtype_rule=_decode_raw_dtypes, shape_rule=_decode_raw_shape
)


def _decode_padded_raw_kernel(input_bytes, fixed_length, out_type, little_endian):
    length = int(fixed_length)
    size = out_type.size
    if length % size:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "DecodePaddedRaw",
            f"fixed_length ({length}) must be a multiple of the size of out_type ({size})",
        )
    if length <= 0:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "DecodePaddedRaw",
            f"fixed_length ({length}) must be positive",
        )
    flat = [as_bytes(s)[:length].ljust(length, b"\0") for s in input_bytes.reshape(-1)]
    arr = _raw_array(b"".join(flat), out_type, little_endian)
    return arr.reshape(input_bytes.shape + (length // size,))


def _decode_padded_raw_shape(op, inputs, attrs):
    require_rank(op, inputs[1].shape, (0,), "fixed_length must be a scalar, got shape: ")
    return (inputs[0].shape.concatenate([None]),)


decode_padded_raw_op = defop(
    "DecodePaddedRaw",
    _decode_padded_raw_kernel,
    dtype_rule=_decode_raw_dtypes,
    shape_rule=_decode_padded_raw_shape,
)


@tf_export("io.decode_raw")
def decode_raw(input_bytes, out_type, little_endian=True, fixed_length=None, name=None):
    """Converts each string of ``input_bytes`` to a vector of ``out_type`` numbers: the output
    has shape ``input_bytes.shape + [bytes // out_type.size]``.

    All strings must have the same length unless ``fixed_length`` is given: then each string
    is cut or zero-padded to ``fixed_length`` bytes.

    Example:
      >>> tf.io.decode_raw(tf.constant([b"\\x01\\x00\\x02\\x01"]), tf.int16).numpy()
      array([[  1, 258]], dtype=int16)
    """
    out_type = D.as_dtype(out_type)
    if fixed_length is not None:
        return apply(
            decode_padded_raw_op,
            input_bytes,
            convert_to_tensor(fixed_length, D.int32),
            out_type=out_type,
            little_endian=bool(little_endian),
            name=name,
        )
    return apply(
        decode_raw_op, input_bytes, out_type=out_type, little_endian=bool(little_endian), name=name
    )


@tf_export("compat.v1.io.decode_raw", "compat.v1.decode_raw")
def decode_raw_v1(input_bytes=None, out_type=None, little_endian=True, name=None, bytes=None):
    """TF1's ``decode_raw`` (``bytes`` is the deprecated name of ``input_bytes``)."""
    if input_bytes is None:
        input_bytes = bytes
    return decode_raw(input_bytes, out_type, little_endian, name=name)


# ---------------------------------------------------------------- base64


def _encode_base64_kernel(input, pad):
    def enc(s):
        out = _b64.urlsafe_b64encode(as_bytes(s))
        return out if pad else out.rstrip(b"=")

    return string_array([enc(s) for s in input.reshape(-1)], input.shape)


_WEB_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _b64_decode(s):
    """TF's Base64Decode: web-safe alphabet only, optional padding in the last group."""
    if not s:
        return b""
    core = s
    if len(s) % 4 == 0:  # padding is only recognised in a final full group
        if s.endswith(b"=="):
            core = s[:-2]
        elif s.endswith(b"=") and s[-2:-1] != b"=":
            core = s[:-1]
    if any(c not in _WEB_SAFE for c in core):
        raise errors.op_error(
            errors.InvalidArgumentError, "DecodeBase64", "Invalid character found in base64."
        )
    if len(core) % 4 == 1:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "DecodeBase64",
            "Base64 string length cannot be 1 modulo 4.",
        )
    return _b64.urlsafe_b64decode(core + b"=" * (-len(core) % 4))


def _decode_base64_kernel(input):
    return string_array([_b64_decode(as_bytes(s)) for s in input.reshape(-1)], input.shape)


def _same_shape(op, inputs, attrs):
    return (inputs[0].shape,)


encode_base64_op = defop(
    "EncodeBase64",
    _encode_base64_kernel,
    dtype_rule=string_inputs(D.string),
    shape_rule=_same_shape,
)
decode_base64_op = defop(
    "DecodeBase64",
    _decode_base64_kernel,
    dtype_rule=string_inputs(D.string),
    shape_rule=_same_shape,
)


@tf_export("io.encode_base64", "compat.v1.io.encode_base64", "compat.v1.encode_base64")
def encode_base64(input, pad=False, name=None):
    """Encodes strings into web-safe base64 (``-`` and ``_`` instead of ``+`` and ``/``), with
    ``=`` padding only when ``pad=True``.

    Example:
      >>> tf.io.encode_base64(tf.constant([b"hello?>"])).numpy()
      array([b'aGVsbG8_Pg'], dtype=object)
    """
    return apply(encode_base64_op, input, pad=bool(pad), name=name)


@tf_export("io.decode_base64", "compat.v1.io.decode_base64", "compat.v1.decode_base64")
def decode_base64(input, name=None):
    """Decodes web-safe base64 strings (padded or not); InvalidArgumentError for characters
    outside the web-safe alphabet."""
    return apply(decode_base64_op, input, name=name)


# ---------------------------------------------------------------- DecodeCompressed


def _decode_compressed_kernel(bytes, compression_type):
    if compression_type == "":
        return bytes.copy()
    wbits = 31 if compression_type == "GZIP" else 15

    def inflate(s):
        try:
            return zlib.decompress(as_bytes(s), wbits)
        except zlib.error as e:
            raise errors.op_error(
                errors.DataLossError, "DecodeCompressed", f"inflate() failed: {e}"
            ) from None

    return string_array([inflate(s) for s in bytes.reshape(-1)], bytes.shape)


decode_compressed_op = defop(
    "DecodeCompressed",
    _decode_compressed_kernel,
    dtype_rule=string_inputs(D.string),
    shape_rule=_same_shape,
)


@tf_export("io.decode_compressed", "compat.v1.io.decode_compressed", "compat.v1.decode_compressed")
def decode_compressed(bytes, compression_type="", name=None):
    """Decompresses each string of ``bytes`` (``compression_type`` "", "ZLIB" or "GZIP")."""
    if compression_type not in ("", "ZLIB", "GZIP"):
        raise errors.InvalidArgumentError(
            None, None, f"Unsupported compression type: {compression_type}"
        )
    return apply(decode_compressed_op, bytes, compression_type=compression_type, name=name)


# ---------------------------------------------------------------- DecodeCSV

_CSV_TYPES = (D.float32, D.float64, D.int32, D.int64, D.string)
_INT_RE = re.compile(rb"\s*[+-]?\d+\s*\Z")
_FLOAT_RE = re.compile(
    rb"\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|nan|0x[0-9a-f]+)\s*\Z", re.IGNORECASE
)
_INT_LIMITS = {D.int32: (-(2**31), 2**31 - 1), D.int64: (-(2**63), 2**63 - 1)}


def _csv_fields(record, delim, use_quote, select):
    """TF's ExtractFields: the (selected) fields of one record."""
    out, i, n, parsed, sel = [], 0, len(record), 0, 0
    q = ord('"')
    while i < n:
        if record[i] in (10, 13):  # \n, \r between fields are skipped
            i += 1
            continue
        include = select is None or select[sel] == parsed
        quoted = use_quote and record[i] == q
        field = bytearray()
        if not quoted:
            while i < n and record[i] != delim:
                if (use_quote and record[i] == q) or record[i] in (10, 13):
                    raise _csv_error("Unquoted fields cannot have quotes/CRLFs inside")
                field.append(record[i])
                i += 1
            i += 1
        else:
            i += 1
            while i < n - 1 and (record[i] != q or record[i + 1] != delim):
                if record[i] != q:
                    field.append(record[i])
                    i += 1
                else:
                    if record[i + 1] != q:
                        raise _csv_error("Quote inside a string has to be escaped by another quote")
                    field.append(q)
                    i += 2
            if not (i < n and record[i] == q and (i == n - 1 or record[i + 1] == delim)):
                raise _csv_error("Quoted field has to end with quote followed by delim or end")
            i += 2
        parsed += 1
        if include:
            out.append(bytes(field))
            sel += 1
            if select is not None and sel == len(select):
                return out
    if n and record[n - 1] == delim and (select is None or select[sel] == parsed):
        out.append(b"")
    return out


def _csv_error(message):
    return errors.op_error(errors.InvalidArgumentError, "DecodeCSV", message)


def _csv_number(text, dtype, f, i):
    if dtype in _INT_LIMITS:
        ok = len(text) < 32 and _INT_RE.match(text)
        if ok:
            v = int(text)
            lo, hi = _INT_LIMITS[dtype]
            ok = lo <= v <= hi
    else:
        ok = len(text) < 32 and _FLOAT_RE.match(text)
        if ok:
            s = text.strip().lower()
            v = (
                float(int(s.lstrip(b"+-"), 16)) * (-1 if s.startswith(b"-") else 1)
                if b"0x" in s
                else float(s)
            )
    if not ok:
        word = {D.int32: "int32", D.int64: "int64", D.float32: "float", D.float64: "double"}
        raise _csv_error(
            f"Field {f} in record {i} is not a valid {word[dtype]}: "
            f"{text.decode('utf-8', 'replace')}"
        )
    return v


def _decode_csv_kernel(
    records, *defaults, OUT_TYPE, field_delim, use_quote_delim, na_value, select_cols
):
    for f, d in enumerate(defaults):
        if d.ndim > 1:
            raise _csv_error("Each record default should be at most rank 1")
        if d.size > 1:
            raise _csv_error(f"There should only be 1 default per field but field {f} has {d.size}")
    delim = field_delim.encode("utf-8")
    if len(delim) != 1:
        raise _csv_error("field_delim should be only 1 char")
    na = na_value.encode("utf-8")
    select = list(select_cols) or None
    flat = records.reshape(-1)
    columns = [[] for _ in OUT_TYPE]
    for i, rec in enumerate(flat):
        fields = _csv_fields(as_bytes(rec), delim[0], use_quote_delim, select)
        if len(fields) != len(OUT_TYPE):
            raise _csv_error(f"Expect {len(OUT_TYPE)} fields but have {len(fields)} in record {i}")
        for f, (text, dtype) in enumerate(zip(fields, OUT_TYPE)):
            if not text or text == na:
                if defaults[f].size != 1:
                    raise _csv_error(f"Field {f} is required but missing in record {i}!")
                columns[f].append(defaults[f].reshape(-1)[0])
            elif dtype is D.string:
                columns[f].append(text)
            else:
                columns[f].append(_csv_number(text, dtype, f, i))
    out = []
    for col, dtype in zip(columns, OUT_TYPE):
        if dtype is D.string:
            out.append(string_array(col, records.shape))
        else:
            out.append(xp.array(col, dtype=dtype._np).reshape(records.shape))
    return tuple(out)


def _decode_csv_dtypes(op, inputs, attrs):
    if inputs[0].dtype is not D.string:
        raise dtype_mismatch(op, 0, D.string, inputs[0].dtype)
    for d in attrs["OUT_TYPE"]:
        if d not in _CSV_TYPES:
            raise _attr_not_allowed(op, "OUT_TYPE", d, _CSV_TYPES)
    return attrs["OUT_TYPE"]


def _decode_csv_shape(op, inputs, attrs):
    for d in inputs[1:]:
        if d.shape.rank is not None and d.shape.rank > 1:
            raise _csv_error("Each record default should be at most rank 1")
    return (inputs[0].shape,) * (len(inputs) - 1)


decode_csv_op = defop(
    "DecodeCSV",
    _decode_csv_kernel,
    dtype_rule=_decode_csv_dtypes,
    shape_rule=_decode_csv_shape,
    num_outputs=None,
)


@tf_export("io.decode_csv")
def decode_csv(
    records,
    record_defaults,
    field_delim=",",
    use_quote_delim=True,
    na_value="",
    select_cols=None,
    name=None,
):
    """Converts CSV records to tensors: one tensor (shaped like ``records``) per column.

    ``record_defaults`` gives each column's type (float32, float64, int32, int64 or string) and
    its default: a scalar (or one-element vector) used for empty / ``na_value`` fields, or an
    empty vector when the field is required. ``select_cols`` (strictly increasing column indices)
    parses only those columns.

    Example:
      >>> a, b = tf.io.decode_csv(["1,x", "2,"], [[0], ["?"]])
      >>> a.numpy(), b.numpy()
      (array([1, 2], dtype=int32), array([b'x', b'?'], dtype=object))
    """
    if select_cols is not None:
        select_cols = [int(c) for c in select_cols]
        if any(select_cols[i] >= select_cols[i + 1] for i in range(len(select_cols) - 1)):
            raise ValueError("select_cols is not strictly increasing.")
        if select_cols and select_cols[0] < 0:
            raise ValueError("select_cols contains negative values.")
        if len(select_cols) != len(record_defaults):
            raise ValueError("Length of select_cols and record_defaults do not match.")
    defaults = [convert_to_tensor(d) for d in record_defaults]
    out = apply(
        decode_csv_op,
        records,
        *defaults,
        OUT_TYPE=tuple(d.dtype for d in defaults),
        field_delim=field_delim,
        use_quote_delim=bool(use_quote_delim),
        na_value=na_value,
        select_cols=tuple(select_cols or ()),
        name=name,
    )
    return list(out)


@tf_export("compat.v1.io.decode_csv", "compat.v1.decode_csv")
def decode_csv_v1(
    records,
    record_defaults,
    field_delim=",",
    use_quote_delim=True,
    name=None,
    na_value="",
    select_cols=None,
):
    """TF1's ``decode_csv`` (``name`` comes before ``na_value``)."""
    return decode_csv(
        records, record_defaults, field_delim, use_quote_delim, na_value, select_cols, name
    )
