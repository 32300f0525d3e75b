"""``tf.io.serialize_tensor`` / ``tf.io.parse_tensor``: tensors as TF's ``TensorProto`` bytes.

    message TensorProto {
      DataType dtype = 1; TensorShapeProto tensor_shape = 2; int32 version_number = 3;
      bytes tensor_content = 4; repeated int32 half_val = 13 [packed = true];
      repeated float float_val = 5; repeated double double_val = 6; repeated int32 int_val = 7;
      repeated bytes string_val = 8; repeated float scomplex_val = 9;
      repeated int64 int64_val = 10; repeated bool bool_val = 11;
      repeated double dcomplex_val = 12; repeated uint32 uint32_val = 16;
      repeated uint64 uint64_val = 17; }
    message TensorShapeProto { message Dim { int64 size = 1; string name = 2; }
                               repeated Dim dim = 2; bool unknown_rank = 3; }

``SerializeTensor`` writes what TF writes: ``dtype``, ``tensor_shape`` (always present, empty
for a scalar) then the raw little-endian ``tensor_content`` (omitted when empty), or one
``string_val`` per element for strings. ``ParseTensor`` also reads the typed ``*_val`` fields
(``tf.make_tensor_proto``'s form), where a short list is padded with its last value, as TF does.
``encode`` / ``decode`` are the plain-array halves, for other formats that embed TensorProtos.
"""

import struct

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.io_ops import wire
from tensorlet.io_ops._rules import as_bytes, require_rank, scalar_string, string_inputs
from tensorlet.io_ops.message import c_escape
from tensorlet.ops.op_def import apply, defop

D = dtypes
# DataTypeString: the names TF's messages use
TF_TYPE_NAMES = {
    D.float32: "float",
    D.float64: "double",
    D.float16: "half",
    D.bfloat16: "bfloat16",
    D.int8: "int8",
    D.int16: "int16",
    D.int32: "int32",
    D.int64: "int64",
    D.uint8: "uint8",
    D.uint16: "uint16",
    D.uint32: "uint32",
    D.uint64: "uint64",
    D.bool: "bool",
    D.complex64: "complex64",
    D.complex128: "complex128",
    D.string: "string",
    D.resource: "resource",
    D.variant: "variant",
}
_BY_ENUM = {d.as_datatype_enum: d for d in TF_TYPE_NAMES}

# typed value fields: field number -> (wire decoder, dtypes it may hold)
_F_FLOAT, _F_DOUBLE, _F_INT, _F_STRING, _F_SCOMPLEX = 5, 6, 7, 8, 9
_F_INT64, _F_BOOL, _F_DCOMPLEX, _F_HALF, _F_UINT32, _F_UINT64 = 10, 11, 12, 13, 16, 17
_INT_VAL_TYPES = (D.int32, D.int16, D.int8, D.uint8, D.uint16)
_VAL_FIELD = {
    D.float32: _F_FLOAT,
    D.float64: _F_DOUBLE,
    D.complex64: _F_SCOMPLEX,
    D.complex128: _F_DCOMPLEX,
    D.int64: _F_INT64,
    D.bool: _F_BOOL,
    D.float16: _F_HALF,
    D.bfloat16: _F_HALF,
    D.uint32: _F_UINT32,
    D.uint64: _F_UINT64,
    D.string: _F_STRING,
    **{d: _F_INT for d in _INT_VAL_TYPES},
}


class ProtoError(ValueError):
    """The bytes are not a TensorProto this library can turn into an array."""


# ---------------------------------------------------------------- encode / decode


def encode_shape(shape):
    dims = b"".join(wire.length_delimited(2, wire.varint_field(1, d) if d else b"") for d in shape)
    return dims


def encode(arr, dtype):
    """The TensorProto bytes of ``arr`` (a backend array) with TF dtype ``dtype``."""
    out = [
        wire.varint_field(1, dtype.as_datatype_enum),
        wire.length_delimited(2, encode_shape(arr.shape)),
    ]
    if dtype is D.string:
        out.extend(wire.length_delimited(_F_STRING, as_bytes(s)) for s in arr.reshape(-1))
    elif arr.size:
        data = xp.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("<")).tobytes()
        out.append(wire.length_delimited(4, data))
    return b"".join(out)


def _decode_shape(buf):
    dims, unknown = [], False
    for f, wt, v in wire.fields(buf):
        if f == 2 and wt == wire.LENGTH:
            size = 0
            for df, dwt, dv in wire.fields(v):
                if df == 1 and dwt == wire.VARINT:
                    size = wire.signed64(dv)
            dims.append(size)
        elif f == 3 and wt == wire.VARINT:
            unknown = bool(v)
    if unknown or any(d < 0 for d in dims):
        raise ProtoError("the shape is not fully defined")
    return tuple(dims)


def _typed_values(dtype, payloads):
    """The element list of the typed ``*_val`` field (packed or not)."""
    field_values = []
    for wt, v in payloads:
        if dtype is D.string:
            field_values.append(v)
        elif dtype in (D.float32, D.complex64):
            field_values.extend(
                wire.unpack_floats(v) if wt == wire.LENGTH else struct.unpack("<f", v)
            )
        elif dtype in (D.float64, D.complex128):
            field_values.extend(struct.unpack(f"<{len(v) // 8}d", v))
        else:
            raw = wire.packed_varints(v) if wt == wire.LENGTH else [v]
            field_values.extend(raw)
    return field_values


def _from_typed(dtype, values, shape, n):
    np_t = dtype._np if dtype is not D.string else object
    if dtype.is_complex:  # pairs of (real, imag)
        if len(values) % 2:
            raise ProtoError("odd number of complex components")
        values = [complex(values[i], values[i + 1]) for i in range(0, len(values), 2)]
    elif dtype in (D.float16, D.bfloat16):  # half_val holds the 16-bit patterns
        values = xp.array(values, dtype=xp.uint16).view(dtype._np).tolist()
    elif dtype.is_integer and dtype is not D.uint64:
        bits = dtype.size * 8
        values = [_signed(v, bits) if dtype.min < 0 else v & ((1 << bits) - 1) for v in values]
    elif dtype is D.bool:
        values = [bool(v) for v in values]
    if len(values) > n:
        raise ProtoError("more values than elements")
    if dtype is D.string:
        out = xp.empty(n, dtype=object)
        out[: len(values)] = values
        if values and len(values) < n:
            out[len(values) :] = values[-1]
        elif not values:
            out[:] = b""
        return out.reshape(shape)
    out = xp.zeros(n, dtype=np_t)
    if values:
        out[: len(values)] = values
        out[len(values) :] = values[-1]
    return out.reshape(shape)


def _signed(v, bits):
    v &= (1 << 64) - 1
    v = v - (1 << 64) if v >= 1 << 63 else v
    return ((v + (1 << (bits - 1))) % (1 << bits)) - (1 << (bits - 1))


def decode(buf):
    """``(dtype, array)`` from TensorProto bytes; raises ProtoError when they are not one."""
    try:
        enum, shape, content, typed = 0, (), None, {}
        for f, wt, v in wire.fields(buf):
            if f == 1 and wt == wire.VARINT:
                enum = v
            elif f == 2 and wt == wire.LENGTH:
                shape = _decode_shape(v)
            elif f == 4 and wt == wire.LENGTH:
                content = v
            elif f in (5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17):
                typed.setdefault(f, []).append((wt, v))
        dtype = _BY_ENUM.get(enum)
        if dtype is None or dtype in (D.resource, D.variant):
            raise ProtoError(f"unsupported dtype enum {enum}")
        n = 1
        for d in shape:
            n *= d
        if content is not None and dtype is not D.string:
            if len(content) != n * dtype.size:
                raise ProtoError("tensor_content has the wrong size")
            arr = xp.frombuffer(content, dtype=dtype._np.newbyteorder("<")).astype(dtype._np)
            return dtype, arr.reshape(shape)
        values = _typed_values(dtype, typed.get(_VAL_FIELD[dtype], []))
        return dtype, _from_typed(dtype, values, shape, n)
    except (wire.DecodeError, struct.error, OverflowError) as e:
        raise ProtoError(str(e)) from None


# ---------------------------------------------------------------- the ops


def _serialize_kernel(tensor, T):
    return scalar_string(encode(tensor, T))


def _serialize_dtypes(op, inputs, attrs):
    return (D.string,)


serialize_tensor_op = defop(
    "SerializeTensor",
    _serialize_kernel,
    dtype_rule=_serialize_dtypes,
    shape_rule=lambda op, inputs, attrs: (TensorShape([]),),
)


@tf_export("io.serialize_tensor", "compat.v1.io.serialize_tensor", "compat.v1.serialize_tensor")
def serialize_tensor(tensor, name=None):
    """Transforms a Tensor into a serialized TensorProto proto (a scalar string).

    Example:
      >>> t = tf.constant([1.0, 2.0])
      >>> tf.io.parse_tensor(tf.io.serialize_tensor(t), tf.float32).numpy()
      array([1., 2.], dtype=float32)
    """
    tensor = convert_to_tensor(tensor)
    return apply(serialize_tensor_op, tensor, T=tensor.dtype, name=name)


def _parse_kernel(serialized, out_type):
    if serialized.ndim != 0:
        raise ValueError("not a scalar")
    data = as_bytes(serialized[()])
    try:
        dtype, arr = decode(data)
    except ProtoError:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "ParseTensor",
            f"Could not parse `serialized` as TensorProto: '{c_escape(data)}'",
        ) from None
    if dtype is not out_type:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "ParseTensor",
            f"Type mismatch between parsed tensor ({TF_TYPE_NAMES[dtype]}) and "
            f"dtype ({TF_TYPE_NAMES[out_type]})",
        )
    return arr


def _parse_shape(op, inputs, attrs):
    require_rank(op, inputs[0].shape, (0,), "Expected `serialized` to be a scalar, got shape: ")
    return (TensorShape(None),)


def _parse_dtypes(op, inputs, attrs):
    return string_inputs(attrs["out_type"])(op, inputs, attrs)


parse_tensor_op = defop(
    "ParseTensor", _parse_kernel, dtype_rule=_parse_dtypes, shape_rule=_parse_shape
)


@tf_export("io.parse_tensor", "compat.v1.io.parse_tensor", "compat.v1.parse_tensor")
def parse_tensor(serialized, out_type, name=None):
    """Transforms a serialized TensorProto (scalar string) into a Tensor of type ``out_type``.

    Raises InvalidArgumentError when the bytes are not a TensorProto or hold another dtype.
    """
    return apply(parse_tensor_op, serialized, out_type=D.as_dtype(out_type), name=name)
