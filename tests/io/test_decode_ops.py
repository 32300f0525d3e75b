"""tf.io.decode_raw, base64, decode_compressed and decode_csv."""

import gzip
import zlib

import numpy as np
import pytest

import tensorlet as tf

IAE = tf.errors.InvalidArgumentError


@pytest.mark.parametrize(
    "dtype",
    [
        tf.uint8,
        tf.int16,
        tf.uint16,
        tf.int32,
        tf.int64,
        tf.float16,
        tf.float32,
        tf.float64,
        tf.complex64,
        tf.bfloat16,
    ],
)
@pytest.mark.parametrize("little", [True, False])
def test_decode_raw(dtype, little):
    x = np.arange(1, 7).astype(dtype.as_numpy_dtype).reshape(2, 3)
    raw = [r.astype(r.dtype.newbyteorder("<" if little else ">")).tobytes() for r in x]
    got = tf.io.decode_raw(tf.constant(raw), dtype, little_endian=little)
    assert got.dtype == dtype and got.shape == (2, 3)
    np.testing.assert_array_equal(got.numpy(), x)


def test_decode_raw_shapes_and_padding():
    assert tf.io.decode_raw(b"\x01\x00\x02\x01", tf.int16).numpy().tolist() == [1, 258]
    assert tf.io.decode_raw(tf.constant([[b"ab"]]), tf.uint8).shape == (1, 1, 2)
    assert tf.io.decode_raw(tf.constant([], tf.string), tf.int32).shape == (0, 0)
    assert tf.io.decode_raw(b"\x00\x02", tf.bool).numpy().tolist() == [False, True]
    padded = tf.io.decode_raw(
        [b"\x01\x00\x02", b"\x03\x00\x04\x00\x05\x00"], tf.int16, fixed_length=4
    )
    assert padded.numpy().tolist() == [[1, 2], [3, 4]]


def test_decode_raw_errors():
    with pytest.raises(IAE, match="element 1 has size 1 != 2"):
        tf.io.decode_raw([b"ab", b"c"], tf.uint8)
    with pytest.raises(IAE, match="length 3 that is not a multiple of 2, the size of int16"):
        tf.io.decode_raw([b"abc"], tf.int16)
    with pytest.raises(IAE, match="attr 'out_type' of uint32 is not in the list"):
        tf.io.decode_raw([b"abcd"], tf.uint32)
    with pytest.raises(IAE, match=r"fixed_length \(3\) must be a multiple"):
        tf.io.decode_raw([b"abcd"], tf.int16, fixed_length=3)
    with pytest.raises(IAE, match="attr 'out_type' of complex64"):
        tf.io.decode_raw([b"abcdefgh"], tf.complex64, fixed_length=8)


def test_base64():
    s = tf.constant(["hello?>", "a", ""])
    assert tf.io.encode_base64(s).numpy().tolist() == [b"aGVsbG8_Pg", b"YQ", b""]
    assert tf.io.encode_base64(s, pad=True).numpy().tolist() == [b"aGVsbG8_Pg==", b"YQ==", b""]
    for padded in (False, True):
        back = tf.io.decode_base64(tf.io.encode_base64(s, pad=padded))
        assert back.numpy().tolist() == [b"hello?>", b"a", b""]
    data = bytes(range(256))
    assert tf.io.decode_base64(tf.io.encode_base64(data)).numpy() == data
    assert tf.io.encode_base64(tf.constant([[b"ab"]])).shape == (1, 1)
    with pytest.raises(IAE, match="Invalid character found in base64"):
        tf.io.decode_base64("aGVsbG8/Pg")  # the standard alphabet's / is not web-safe
    with pytest.raises(IAE, match="Invalid character found in base64"):
        tf.io.decode_base64("YQ=a")
    with pytest.raises(IAE, match="cannot be 1 modulo 4"):
        tf.io.decode_base64("abcde")


def test_decode_compressed():
    data = [b"hello" * 20, b""]
    assert (
        tf.io.decode_compressed([zlib.compress(d) for d in data], "ZLIB").numpy().tolist() == data
    )
    assert (
        tf.io.decode_compressed([gzip.compress(d) for d in data], "GZIP").numpy().tolist() == data
    )
    assert tf.io.decode_compressed(data).numpy().tolist() == data
    with pytest.raises(tf.errors.DataLossError):
        tf.io.decode_compressed([b"not zlib"], "ZLIB")


# ---------------------------------------------------------------- decode_csv


def test_decode_csv_types_and_defaults():
    records = tf.constant(["1,2.5,x,7,1e300", ",,,8,", '3,-0.5,"a,""b""",9,nan'])
    a, b, c, d, e = tf.io.decode_csv(
        records, [[0], [1.0], ["?"], tf.constant([0], tf.int64), tf.constant(0.25, tf.float64)]
    )
    assert (a.dtype, b.dtype, c.dtype, d.dtype, e.dtype) == (
        tf.int32,
        tf.float32,
        tf.string,
        tf.int64,
        tf.float64,
    )
    assert a.numpy().tolist() == [1, 0, 3]
    assert b.numpy().tolist() == [2.5, 1.0, -0.5]
    assert c.numpy().tolist() == [b"x", b"?", b'a,"b"']
    assert d.numpy().tolist() == [7, 8, 9]
    assert e.numpy()[0] == 1e300 and e.numpy()[1] == 0.25 and np.isnan(e.numpy()[2])


def test_decode_csv_options():
    out = tf.io.decode_csv(
        tf.constant([["1|NA"], [" 2 |3"]]), [[0], [-1]], field_delim="|", na_value="NA"
    )
    assert out[0].shape == (2, 1) and out[1].numpy().tolist() == [[-1], [3]]
    a, b = tf.io.decode_csv(["1,2,3,4", "5,6,7,8"], [[0], [0]], select_cols=[1, 3])
    assert a.numpy().tolist() == [2, 6] and b.numpy().tolist() == [4, 8]
    (q,) = tf.io.decode_csv(['"x"'], [[""]], use_quote_delim=False)
    assert q.numpy().tolist() == [b'"x"']
    a, b = tf.io.decode_csv(["1,"], [[0], [5]])  # a trailing delimiter: an empty last field
    assert b.numpy().tolist() == [5]
    assert tf.compat.v1.io.decode_csv(["1"], [[0]], ",", True, None, "")[0].numpy() == [1]


@pytest.mark.parametrize(
    "records,defaults,kwargs,match",
    [
        (["1,2"], [[0]], {}, "Expect 1 fields but have 2 in record 0"),
        (["1", "1,2"], [[0], [0]], {}, "Expect 2 fields but have 1 in record 0"),
        (["a"], [[0]], {}, "Field 0 in record 0 is not a valid int32: a"),
        (["1.5"], [[0]], {}, "is not a valid int32"),
        (["3000000000"], [[0]], {}, "is not a valid int32"),
        (["1_0"], [[0.0]], {}, "is not a valid float"),
        (["x"], [tf.constant(0.0, tf.float64)], {}, "is not a valid double"),
        (
            [","],
            [[0], tf.constant([], tf.int32)],
            {},
            "Field 1 is required but missing in record 0!",
        ),
        (['"a"b'], [[""]], {}, "Quote inside a string has to be escaped"),
        (['"ab'], [[""]], {}, "Quoted field has to end with quote followed by delim or end"),
        (['a"b'], [[""]], {}, "Unquoted fields cannot have quotes/CRLFs inside"),
        (["1"], [[0, 1]], {}, "There should only be 1 default per field but field 0 has 2"),
        (["1"], [[True]], {}, "attr 'OUT_TYPE' of bool"),
        (["1"], [[0]], {"field_delim": "||"}, "field_delim should be only 1 char"),
    ],
)
def test_decode_csv_errors(records, defaults, kwargs, match):
    with pytest.raises(IAE, match=match):
        tf.io.decode_csv(records, defaults, **kwargs)


@pytest.mark.parametrize(
    "select_cols,match",
    [
        ([1, 0], "not strictly increasing"),
        ([-1, 0], "contains negative values"),
        ([0], "do not match"),
    ],
)
def test_decode_csv_select_cols_errors(select_cols, match):
    with pytest.raises(ValueError, match=match):
        tf.io.decode_csv(["1,2"], [[0], [0]], select_cols=select_cols)
