"""Codecs: PNG/JPEG/BMP/GIF round trips and format details (libpng filter/zlib settings,
JFIF header, standard tables, IFAST vs ISLOW), checked without TensorFlow or Pillow; Pillow,
when installed, cross-checks the JPEG decoder (its libjpeg ISLOW equals TF INTEGER_ACCURATE)."""

import io
import struct
import zlib

import numpy as np
import pytest

import tensorlet as tf


def _test_image():
    yy, xx = np.mgrid[0:16, 0:24]
    return np.stack([xx * 10, yy * 15, (xx + yy) * 6], -1).astype(np.uint8)


IMG = _test_image()


def chunks(data):
    pos, out = 8, []
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos : pos + 8])
        out.append((kind, data[pos + 8 : pos + 8 + n]))
        pos += 12 + n
    return out


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_png_round_trip(channels):
    img = np.concatenate([IMG, IMG[..., :1]], -1)[..., :channels]
    data = tf.io.encode_png(img).numpy()
    np.testing.assert_array_equal(tf.io.decode_png(data).numpy(), img)
    np.testing.assert_array_equal(tf.io.decode_image(data).numpy(), img)


def test_png_libpng_layout_and_uint16():
    data = tf.io.encode_png(IMG).numpy()
    kinds = [k for k, _ in chunks(data)]
    assert kinds == [b"IHDR", b"IDAT", b"IEND"]
    idat = dict(chunks(data))[b"IDAT"]
    assert idat[0] >> 4 < 7  # window shrunk to the image size, as libpng's optimize_cmf
    raw = zlib.decompress(idat)
    assert raw[0] in range(5) and len(raw) == 16 * (24 * 3 + 1)
    img16 = np.arange(12, dtype=np.uint16).reshape(2, 2, 3) * 5000
    out = tf.io.decode_png(tf.io.encode_png(img16), dtype=tf.uint16)
    np.testing.assert_array_equal(out.numpy(), img16)
    gray = tf.io.decode_png(tf.io.encode_png(IMG), channels=1).numpy()[..., 0]
    v = IMG.astype(np.int64)
    want = (9797 * v[..., 0] + 19234 * v[..., 1] + 3737 * v[..., 2]) >> 15
    np.testing.assert_array_equal(gray, want)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Unknown image file format"):
        tf.io.decode_png(b"not a png")


def test_jpeg_round_trip_and_header():
    data = tf.io.encode_jpeg(IMG, quality=95).numpy()
    assert data[:2] == b"\xff\xd8" and data[6:11] == b"JFIF\x00"
    assert data[13:18] == b"\x01\x01\x2c\x01\x2c"  # dpi, 300 x 300 (TF's defaults)
    assert tf.io.extract_jpeg_shape(data).numpy().tolist() == [16, 24, 3]
    assert bool(tf.io.is_jpeg(data)) and not bool(tf.io.is_jpeg(tf.io.encode_png(IMG)))
    for method in ("", "INTEGER_ACCURATE"):
        out = tf.io.decode_jpeg(data, dct_method=method).numpy().astype(int)
        assert out.shape == IMG.shape and np.abs(out - IMG).mean() < 4
    for ratio in (2, 4, 8):
        assert tf.io.decode_jpeg(data, ratio=ratio).shape == (16 // ratio, 24 // ratio, 3)
    assert tf.io.decode_jpeg(data, channels=1).shape == (16, 24, 1)
    crop = tf.io.decode_and_crop_jpeg(data, [2, 3, 8, 9])
    assert crop.shape == (8, 9, 3)
    gray = tf.io.encode_jpeg(IMG[..., :1], quality=90)
    assert tf.io.decode_jpeg(gray).shape == (16, 24, 1)
    f = tf.io.decode_image(data, dtype=tf.float32)
    assert f.dtype == tf.float32 and float(tf.reduce_max(f)) <= 1.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="jpeg::Uncompress failed"):
        tf.io.decode_jpeg(data[:200])


def test_jpeg_against_pillow():
    Image = pytest.importorskip("PIL.Image")
    data = tf.io.encode_jpeg(IMG, quality=90).numpy()
    pil = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    ours = tf.io.decode_jpeg(data, dct_method="INTEGER_ACCURATE").numpy()
    np.testing.assert_array_equal(ours, pil)


def test_adjust_jpeg_quality_keeps_dtype():
    f = IMG.astype(np.float32) / 255
    out = tf.image.adjust_jpeg_quality(f, 50)
    assert out.dtype == tf.float32 and out.shape == f.shape


def test_bmp_and_gif():
    bmp = (
        b"BM"
        + (70).to_bytes(4, "little")
        + b"\0" * 4
        + (54).to_bytes(4, "little")
        + (40).to_bytes(4, "little")
        + (2).to_bytes(4, "little")
        + (2).to_bytes(4, "little")
        + (1).to_bytes(2, "little")
        + (24).to_bytes(2, "little")
        + b"\0" * 4
        + (16).to_bytes(4, "little")
        + b"\0" * 16
        + bytes([0, 0, 255, 0, 255, 0, 0, 0])
        + bytes([255, 0, 0, 255, 255, 255, 0, 0])
    )
    np.testing.assert_array_equal(
        tf.io.decode_bmp(bmp).numpy(), [[[0, 0, 255], [255, 255, 255]], [[255, 0, 0], [0, 255, 0]]]
    )
    # a 2x1 GIF: palette [black, white], LZW min code size 2, pixels [1, 0]
    gif = (
        b"GIF89a"
        + struct.pack("<HHBBB", 2, 1, 0x80, 0, 0)
        + b"\x00\x00\x00\xff\xff\xff"
        + b"\x2c"
        + struct.pack("<HHHHB", 0, 0, 2, 1, 0)
        + b"\x02\x02\x0c\x0a\x00\x3b"
    )
    frames = tf.io.decode_gif(gif).numpy()
    assert frames.shape == (1, 1, 2, 3)
    np.testing.assert_array_equal(frames[0, 0], [[255, 255, 255], [0, 0, 0]])


def test_jpeg_round_trip_of_noise_with_stuffed_bytes():
    # many 0xFF bytes in the entropy data (stuffed as FF 00), some followed by D0-D7 values
    img = (np.random.default_rng(0).random((64, 64, 3)) * 255).astype(np.uint8)
    data = tf.io.encode_jpeg(img, quality=95, chroma_downsampling=False)
    out = tf.io.decode_jpeg(data, dct_method="INTEGER_ACCURATE").numpy().astype(int)
    assert np.abs(out - img).mean() < 5
