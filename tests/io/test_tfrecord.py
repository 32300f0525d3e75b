"""TFRecordWriter / read_tfrecords / tf_record_iterator, CRC32C, and the golden TF files."""

import json
import os
import struct
from pathlib import Path

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.io_ops import crc32c
from tensorlet.io_ops.tfrecord import read_tfrecords


def _crc_ref(data):  # bit-by-bit CRC-32C, the definition
    c = 0xFFFFFFFF
    for b in data:
        c ^= b
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    return c ^ 0xFFFFFFFF


def test_crc32c():
    assert crc32c.crc32c(b"123456789") == 0xE3069283  # the standard check value
    assert crc32c.crc32c(b"") == 0
    rng = np.random.default_rng(0)
    for n in (1, 100, 8191, 8192, 20000):  # both the byte loop and the blocked path
        data = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
        assert crc32c.crc32c(data) == _crc_ref(data), n
    assert crc32c.crc32c(b"6789", crc32c.crc32c(b"12345")) == 0xE3069283
    c = crc32c.crc32c(b"abc")
    assert crc32c.unmask(crc32c.mask(c)) == c
    assert crc32c.mask(c) == ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


@pytest.mark.parametrize("compression", ["", "GZIP", "ZLIB"])
def test_write_read_roundtrip(tmp_path, compression):
    path = str(tmp_path / "r.tfrecord")
    records = [b"", b"a", os.urandom(100), os.urandom(30000), "text"]
    with tf.io.TFRecordWriter(path, tf.io.TFRecordOptions(compression_type=compression)) as w:
        for r in records:
            w.write(r)
        w.flush()
    got = list(read_tfrecords(path, compression))
    assert got == records[:-1] + [b"text"]
    assert list(tf.compat.v1.io.tf_record_iterator(path, compression)) == got
    if not compression:  # the framing, byte by byte
        raw = Path(path).read_bytes()
        assert struct.unpack("<Q", raw[:8])[0] == 0
        assert crc32c.unmask(struct.unpack("<I", raw[8:12])[0]) == crc32c.crc32c(raw[:8])
        assert len(raw) == sum(16 + len(r) for r in got)


def test_writer_accepts_option_strings(tmp_path):
    path = str(tmp_path / "r.gz")
    w = tf.io.TFRecordWriter(path, "GZIP")
    w.write(b"x")
    w.close()
    w.close()  # closing twice is fine
    assert Path(path).read_bytes()[:2] == b"\x1f\x8b"
    assert list(read_tfrecords(path, tf.io.TFRecordOptions("GZIP"))) == [b"x"]
    with pytest.raises(ValueError, match="Not a valid compression_type"):
        tf.io.TFRecordOptions("BZ2")
    with pytest.raises(tf.errors.NotFoundError):
        tf.io.TFRecordWriter(str(tmp_path / "no" / "dir" / "f"))
    assert (
        tf.io.TFRecordOptions.get_compression_type_string(
            tf.compat.v1.io.TFRecordCompressionType.ZLIB
        )
        == "ZLIB"
    )
    assert tf.io.TFRecordOptions(compression_level=3).compression_type == 1  # ZLIB implied


def test_golden_files_read_and_rewrite_identically(tfrecord_dir, tmp_path):
    expected = json.loads(Path(tfrecord_dir, "examples_expected.json").read_text())
    for name, kind in (
        ("examples.tfrecord", ""),
        ("examples.tfrecord.gz", "GZIP"),
        ("examples.tfrecord.zlib", "ZLIB"),
    ):
        src = os.path.join(tfrecord_dir, name)
        records = list(read_tfrecords(src, kind))
        assert [len(r) for r in records] == [r["_record_length"] for r in expected["records"]]
        out = str(tmp_path / name)
        with tf.io.TFRecordWriter(out, kind) as w:
            for r in records:
                w.write(r)
        assert Path(out).read_bytes() == Path(src).read_bytes(), name  # TF's bytes exactly
    raw = Path(tfrecord_dir, "examples.tfrecord").read_bytes()
    for r in expected["records"]:
        off, n = r["_record_offset"], r["_record_length"]
        assert struct.unpack("<I", raw[off + 8 : off + 12])[0] == r["_masked_crc32c_of_length"]
        assert crc32c.masked_crc32c(raw[off + 12 : off + 12 + n]) == r["_masked_crc32c_of_data"]


@pytest.mark.parametrize(
    "name,before,message",
    [
        ("examples_corrupted_crc.tfrecord", 3, "corrupted record at 727"),
        (
            "examples_truncated.tfrecord",
            19,
            "truncated record at 4602' failed with Read less bytes than requested",
        ),
    ],
)
def test_damaged_golden_files(tfrecord_dir, name, before, message):
    behaviour = json.loads(Path(tfrecord_dir, "corruption_behaviour.json").read_text())
    assert behaviour[name]["tf.compat.v1.io.tf_record_iterator"]["message"] == message
    got = []
    with pytest.raises(tf.errors.DataLossError) as e:
        got.extend(tf.compat.v1.io.tf_record_iterator(os.path.join(tfrecord_dir, name)))
    assert len(got) == before and str(e.value) == message


def test_corrupted_header_and_partial_header(tmp_path):
    path = str(tmp_path / "r")
    with tf.io.TFRecordWriter(path) as w:
        w.write(b"abc")
        w.write(b"def")
    raw = bytearray(Path(path).read_bytes())
    Path(path).write_bytes(bytes(raw) + b"\x05\x00")  # a partial header reads as the end
    assert list(read_tfrecords(path)) == [b"abc", b"def"]
    raw[19 + 9] ^= 0xFF  # the length CRC of the second record (header at offset 19)
    Path(path).write_bytes(bytes(raw))
    with pytest.raises(tf.errors.DataLossError, match="^corrupted record at 19$"):
        list(read_tfrecords(path))
