"""tf.io.serialize_tensor / parse_tensor: TensorProto bytes as TF writes them."""

import struct

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.io_ops import tensor_proto

# (value, dtype, the bytes TF 2 writes)
GOLDEN = [
    ([1.0, 2.0], tf.float32, b'\x08\x01\x12\x04\x12\x02\x08\x02"\x08\x00\x00\x80?\x00\x00\x00@'),
    (3, tf.int32, b'\x08\x03\x12\x00"\x04\x03\x00\x00\x00'),
    ([[b"a", b"bc"]], tf.string, b"\x08\x07\x12\x08\x12\x02\x08\x01\x12\x02\x08\x02B\x01aB\x02bc"),
    ([True, False], tf.bool, b'\x08\n\x12\x04\x12\x02\x08\x02"\x02\x01\x00'),
    (np.zeros((0, 2)), tf.float64, b"\x08\x02\x12\x06\x12\x00\x12\x02\x08\x02"),
]


@pytest.mark.parametrize("value,dtype,golden", GOLDEN)
def test_serialize_bytes(value, dtype, golden):
    s = tf.io.serialize_tensor(tf.constant(value, dtype=dtype))
    assert s.dtype == tf.string and s.shape == () and s.numpy() == golden
    back = tf.io.parse_tensor(golden, dtype)
    assert back.dtype == dtype
    np.testing.assert_array_equal(back.numpy(), np.asarray(tf.constant(value, dtype).numpy()))


@pytest.mark.parametrize(
    "dtype",
    [
        tf.float16,
        tf.bfloat16,
        tf.float32,
        tf.float64,
        tf.int8,
        tf.int16,
        tf.int32,
        tf.int64,
        tf.uint8,
        tf.uint16,
        tf.uint32,
        tf.uint64,
        tf.bool,
        tf.complex64,
        tf.complex128,
        tf.string,
    ],
)
def test_roundtrip_every_dtype(dtype):
    rng = np.random.default_rng(0)
    if dtype == tf.string:
        x = tf.constant([[b"x", b""], [b"\x00\xff", b"long" * 50]])
    elif dtype == tf.bool:
        x = tf.constant(rng.random((2, 3)) > 0.5)
    else:
        x = tf.cast(
            tf.constant(rng.uniform(-100, 100, (2, 3)) * (1 + 1j if dtype.is_complex else 1)), dtype
        )
    y = tf.io.parse_tensor(tf.io.serialize_tensor(x), dtype)
    assert y.dtype == dtype and y.shape == x.shape
    np.testing.assert_array_equal(y.numpy(), x.numpy())


def test_parse_typed_value_fields():
    # make_tensor_proto's form: float_val with one value fills the whole shape
    proto = b"\x08\x01\x12\x04\x12\x02\x08\x03\x2a\x04" + struct.pack("<f", 7.0)
    np.testing.assert_array_equal(tf.io.parse_tensor(proto, tf.float32).numpy(), [7, 7, 7])
    # int_val (field 7) for int16, negative values as 10-byte varints; padded with the last
    proto = b"\x08\x05\x12\x04\x12\x02\x08\x03\x3a\x0b\x05" + b"\xfe" + b"\xff" * 8 + b"\x01"
    np.testing.assert_array_equal(tf.io.parse_tensor(proto, tf.int16).numpy(), [5, -2, -2])
    # no values at all: zeros
    np.testing.assert_array_equal(
        tf.io.parse_tensor(b"\x08\x09\x12\x04\x12\x02\x08\x02", tf.int64).numpy(), [0, 0]
    )
    dtype, arr = tensor_proto.decode(b"\x08\x07\x12\x04\x12\x02\x08\x02\x42\x01z")
    assert dtype == tf.string and arr.tolist() == [b"z", b"z"]


def test_parse_errors():
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Type mismatch between parsed tensor \(float\) and dtype \(double\)",
    ):
        tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant(1.0)), tf.float64)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="Could not parse `serialized` as TensorProto: '\\\\377'",
    ):
        tf.io.parse_tensor(b"\xff", tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="to be a scalar"):
        tf.io.parse_tensor([b"", b""], tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="string tensor"):
        tf.io.parse_tensor(1.0, tf.float32)
    bad_size = b'\x08\x01\x12\x04\x12\x02\x08\x02"\x04\x00\x00\x80?'  # 1 float for shape [2]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Could not parse"):
        tf.io.parse_tensor(bad_size, tf.float32)


def test_no_gradient_through_serialization():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.io.parse_tensor(tf.io.serialize_tensor(x), tf.float32)
    assert tape.gradient(y, x) is None
