"""The protobuf wire format, by hand: what TFRecords, ``tf.train.Example`` and ``TensorProto`` use.

A message is a sequence of fields ``key = (field_number << 3) | wire_type`` followed by the
payload: 0 = varint, 1 = 8 little-endian bytes, 2 = length-delimited (a varint length, then the
bytes: strings, sub-messages and packed repeated scalars), 5 = 4 little-endian bytes.
Negative int32/int64 values are varints of their two's-complement 64-bit pattern (10 bytes).
"""

import struct

VARINT, FIXED64, LENGTH, FIXED32 = 0, 1, 2, 5
_MASK64 = (1 << 64) - 1


class DecodeError(ValueError):
    """The bytes are not a well-formed message."""


def varint(n):
    """Encodes ``n`` (negative: as its 64-bit two's complement) as a varint."""
    n &= _MASK64
    if n < 0x80:
        return bytes((n,))
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def key(field, wire_type):
    return varint((field << 3) | wire_type)


def length_delimited(field, payload):
    return key(field, LENGTH) + varint(len(payload)) + payload


def varint_field(field, n):
    return key(field, VARINT) + varint(n)


def read_varint(buf, pos):
    """Returns ``(value, new_pos)``; raises DecodeError when the bytes end inside the varint."""
    result = shift = 0
    n = len(buf)
    while True:
        if pos >= n or shift > 63:
            raise DecodeError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result & _MASK64, pos
        shift += 7


def signed64(u):
    """The int64 whose two's-complement pattern is the unsigned ``u``."""
    return u - (1 << 64) if u >= 1 << 63 else u


def fields(buf):
    """Yields ``(field_number, wire_type, value)`` of a message: ints for varints, bytes for the
    other wire types (the raw 4/8 bytes of fixed fields)."""
    pos, n = 0, len(buf)
    while pos < n:
        k, pos = read_varint(buf, pos)
        field, wt = k >> 3, k & 7
        if field == 0:
            raise DecodeError("field number 0")
        if wt == VARINT:
            v, pos = read_varint(buf, pos)
        elif wt == LENGTH:
            size, pos = read_varint(buf, pos)
            if pos + size > n:
                raise DecodeError("truncated length-delimited field")
            v, pos = bytes(buf[pos : pos + size]), pos + size
        elif wt == FIXED64 or wt == FIXED32:
            size = 8 if wt == FIXED64 else 4
            if pos + size > n:
                raise DecodeError("truncated fixed field")
            v, pos = bytes(buf[pos : pos + size]), pos + size
        else:  # groups (3, 4) and reserved types are not used by TF's messages
            raise DecodeError(f"unsupported wire type {wt}")
        yield field, wt, v


def packed_varints(payload):
    """The unsigned values of a packed repeated varint field."""
    out, pos, n = [], 0, len(payload)
    while pos < n:
        v, pos = read_varint(payload, pos)
        out.append(v)
    return out


def pack_varints(values):
    return b"".join(varint(int(v)) for v in values)


def pack_floats(values):
    return struct.pack(f"<{len(values)}f", *values)


def unpack_floats(payload):
    if len(payload) % 4:
        raise DecodeError("packed float field with a partial element")
    return list(struct.unpack(f"<{len(payload) // 4}f", payload))
