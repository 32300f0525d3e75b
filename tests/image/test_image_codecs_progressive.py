"""Progressive JPEG (SOF2) and interlaced (Adam7) PNG decoding, and progressive / Huffman-optimised
JPEG encoding.

Progressive files come from Pillow (libjpeg-turbo, like TF): tensorlet's decode with
``dct_method='INTEGER_ACCURATE'`` (libjpeg's ISLOW, Pillow's default) must equal Pillow's pixels
exactly, and for every decode option it must equal tensorlet's decode of the baseline file Pillow
writes from the same image and settings (the quantised coefficients are the same; only the entropy
coding differs).  Interlaced PNGs are written here by a small Adam7 encoder (Pillow cannot write
them) and must decode like the same image stored without interlacing.
"""

import io
import struct
import time
import zlib

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.image_ops import jpeg as J


def _image(h, w, seed=0, gray=False):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    base = np.stack(
        [xx * 255 // max(w - 1, 1), yy * 255 // max(h - 1, 1), (xx * 7 + yy * 3) % 256], -1
    )
    img = np.clip(base + rng.integers(-30, 30, (h, w, 3)), 0, 255).astype(np.uint8)
    return img[..., :1] if gray else img


def _pil():
    Image = pytest.importorskip("PIL.Image")
    ImageFile = pytest.importorskip("PIL.ImageFile")
    ImageFile.MAXBLOCK = max(ImageFile.MAXBLOCK, 1 << 22)  # progressive noise needs a big buffer
    return Image


def _jpeg(img, **kw):
    Image = _pil()
    b = io.BytesIO()
    pic = Image.fromarray(img[..., 0] if img.shape[-1] == 1 else img)
    pic.save(b, "JPEG", **kw)
    return b.getvalue()


def _pil_decode(data):
    Image = _pil()
    out = np.asarray(Image.open(io.BytesIO(data)))
    return out[..., None] if out.ndim == 2 else out


def _sof(data):
    """The SOF marker byte and the scans' (Ss, Se, Ah, Al) of a JPEG."""
    pos, sof, scans = 2, None, []
    while pos < len(data):
        marker = data[pos + 1]
        if marker == 0xD9:
            break
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        seg = data[pos + 4 : pos + 2 + length]
        pos += 2 + length
        if 0xC0 <= marker <= 0xC2:
            sof = marker
        if marker == 0xDA:
            ns = seg[0]
            ss, se, a = seg[1 + 2 * ns : 4 + 2 * ns]
            scans.append((ss, se, a >> 4, a & 15))
            while not (
                data[pos] == 0xFF
                and data[pos + 1] not in (0,)
                and not 0xD0 <= data[pos + 1] <= 0xD7
            ):
                pos += 1
    return sof, scans


def _pieces(data):
    """Marker segments and whole scans (SOS + entropy data) of a JPEG, in order."""
    out, pos = [("SOI", data[:2])], 2
    while pos < len(data):
        marker = data[pos + 1]
        if marker == 0xD9:
            out.append(("EOI", data[pos : pos + 2]))
            break
        end = pos + 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if marker == 0xDA:
            while not (
                data[end] == 0xFF and data[end + 1] != 0 and not 0xD0 <= data[end + 1] <= 0xD7
            ):
                end += 1
            out.append(("SOS", data[pos:end]))
        else:
            out.append(("SEG", data[pos:end]))
        pos = end
    return out


def _keep_scans(data, keep):
    out, k = [], 0
    for kind, b in _pieces(data):
        if kind == "SOS":
            if k in keep:
                out.append(b)
            k += 1
        else:
            out.append(b)
    return b"".join(out)


def _accurate(data, **kw):
    return tf.io.decode_jpeg(data, dct_method="INTEGER_ACCURATE", **kw).numpy()


# ---------------------------------------------------------------- progressive JPEG decoding

SIZES = [(1, 1), (8, 8), (17, 33), (40, 23), (64, 64), (9, 31)]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("sampling", ["gray", 0, 1, 2])  # 4:4:4, 4:2:2, 4:2:0
@pytest.mark.parametrize("quality", [30, 90])
def test_progressive_equals_pillow(size, sampling, quality):
    img = _image(*size, seed=size[0], gray=sampling == "gray")
    kw = {} if sampling == "gray" else {"subsampling": sampling}
    data = _jpeg(img, quality=quality, progressive=True, **kw)
    sof, scans = _sof(data)
    assert sof == 0xC2 and len(scans) > 2
    assert any(ah for _, _, ah, _ in scans) and any(ss for ss, _, _, _ in scans)
    np.testing.assert_array_equal(_accurate(data), _pil_decode(data))


@pytest.mark.parametrize(
    "restart",
    [{"restart_marker_blocks": 1}, {"restart_marker_blocks": 3}, {"restart_marker_rows": 1}],
)
@pytest.mark.parametrize("sampling", [0, 2])
def test_progressive_restart_markers(restart, sampling):
    img = (np.random.default_rng(3).random((37, 45, 3)) * 255).astype(np.uint8)
    data = _jpeg(img, quality=95, progressive=True, subsampling=sampling, **restart)
    assert b"\xff\xdd" in data and b"\xff\xd0" in data
    np.testing.assert_array_equal(_accurate(data), _pil_decode(data))
    base = _jpeg(img, quality=95, subsampling=sampling, **restart)
    np.testing.assert_array_equal(tf.io.decode_jpeg(data).numpy(), tf.io.decode_jpeg(base).numpy())


def test_progressive_has_the_baseline_coefficients():
    img = _image(33, 50)
    prog = _jpeg(img, quality=75, progressive=True, subsampling=2)
    base = _jpeg(img, quality=75, subsampling=2)
    fp, cp = J.parse(prog)
    fb, cb = J.parse(base)
    assert fp.progressive and not fb.progressive
    for c in fp.comps:
        bh, bw = c["bh"], c["bw"]
        np.testing.assert_array_equal(cp[c["id"]][:bh, :bw], cb[c["id"]][:bh, :bw])


OPTIONS = [
    {},
    {"dct_method": "INTEGER_FAST"},
    {"dct_method": "INTEGER_ACCURATE"},
    {"fancy_upscaling": False},
    {"ratio": 2},
    {"ratio": 4},
    {"ratio": 8},
    {"ratio": 2, "dct_method": "INTEGER_ACCURATE", "fancy_upscaling": False},
    {"channels": 1},
    {"channels": 3},
    {"try_recover_truncated": True, "acceptable_fraction": 0.5},
]


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("sampling", ["gray", 0, 1, 2])
def test_progressive_options_as_baseline(options, sampling):
    img = _image(29, 43, seed=7, gray=sampling == "gray")
    kw = {} if sampling == "gray" else {"subsampling": sampling}
    prog = _jpeg(img, quality=85, progressive=True, **kw)
    base = _jpeg(img, quality=85, **kw)
    got = tf.io.decode_jpeg(prog, **options)
    want = tf.io.decode_jpeg(base, **options)
    assert got.dtype == tf.uint8
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    np.testing.assert_array_equal(tf.image.decode_jpeg(prog, **options).numpy(), want.numpy())


def test_progressive_other_entry_points():
    img = _image(30, 41, seed=2)
    prog = _jpeg(img, quality=80, progressive=True)
    base = _jpeg(img, quality=80)
    for fn in (tf.io.decode_image, tf.image.decode_image, tf.io.decode_png):
        np.testing.assert_array_equal(fn(prog).numpy(), fn(base).numpy())
    f = tf.io.decode_image(prog, dtype=tf.float32).numpy()
    np.testing.assert_allclose(f, tf.io.decode_image(base, dtype=tf.float32).numpy())
    for window in ([2, 3, 8, 9], [0, 0, 30, 41], [13, 17, 5, 20]):
        got = tf.io.decode_and_crop_jpeg(prog, window).numpy()
        np.testing.assert_array_equal(got, tf.io.decode_and_crop_jpeg(base, window).numpy())
        assert got.shape == (window[2], window[3], 3)
    assert tf.io.extract_jpeg_shape(prog).numpy().tolist() == [30, 41, 3]
    assert bool(tf.io.is_jpeg(prog))


def test_progressive_decode_is_fast():
    img = _image(256, 256, seed=1)
    data = _jpeg(img, quality=90, progressive=True)
    J.decode(data)  # warm up
    t = time.perf_counter()
    out = J.decode(data, dct_method="INTEGER_ACCURATE")
    assert time.perf_counter() - t < 1.0
    np.testing.assert_array_equal(out, _pil_decode(data))


@pytest.mark.parametrize("sampling", [0, 2])
@pytest.mark.parametrize("keep", [[0], [0, 1], [0, 1, 2], [0, 1, 2, 3, 4], [0, 5], "all but last"])
def test_incomplete_progression_uses_block_smoothing(sampling, keep):
    # libjpeg estimates the missing low AC coefficients (and, with DC only, the DC too) from the
    # neighbouring blocks' DC values; Pillow decodes the file with the same libjpeg-turbo
    img = _image(40, 23, seed=5)
    data = _jpeg(img, quality=75, progressive=True, subsampling=sampling)
    n = sum(kind == "SOS" for kind, _ in _pieces(data))
    keep = set(range(n - 1)) if keep == "all but last" else set(keep)
    partial = _keep_scans(data, keep)
    np.testing.assert_array_equal(_accurate(partial), _pil_decode(partial))


def test_incomplete_progression_gray_2x2_sampling():
    img = _image(17, 33, seed=6, gray=True)
    data = _jpeg(img, quality=75, progressive=True, subsampling=2)  # Y written with 2x2 factors
    partial = _keep_scans(data, {0})
    np.testing.assert_array_equal(_accurate(partial), _pil_decode(partial))


def _write_sampled(img, factors, progressive, quality=85):
    """A JPEG of ``img`` with any sampling factors (Pillow only writes 4:4:4/4:2:2/4:2:0): box
    downsampling, libjpeg's forward DCT and quantisation, tensorlet's coefficient writer."""
    from tensorlet.image_ops import jpeg_encode as JE

    h, w = img.shape[:2]
    planes = JE._rgb_to_ycc(img) if len(factors) == 3 else [img[..., 0].astype(np.int64)]
    hmax, vmax = max(f[0] for f in factors), max(f[1] for f in factors)
    mh, mw = -(-h // (8 * vmax)), -(-w // (8 * hmax))
    qs = [JE._quant_table(JE._STD_LUMA_Q, quality), JE._quant_table(JE._STD_CHROMA_Q, quality)]
    comps = []
    for ci, (p, (fh, fv)) in enumerate(zip(planes, factors)):
        sx, sy = hmax // fh, vmax // fv
        p = JE._pad_plane(p, mh * 8 * vmax, mw * 8 * hmax)
        p = p.reshape(p.shape[0] // sy, sy, p.shape[1] // sx, sx).mean((1, 3)).round()
        ch, cw = p.shape[0] // 8, p.shape[1] // 8
        blocks = p.astype(np.int64).reshape(ch, 8, cw, 8).transpose(0, 2, 1, 3).reshape(-1, 8, 8)
        coef = JE._quantize(JE._fdct(blocks), qs[min(ci, 1)]).reshape(ch, cw, 64)
        comps.append({"h": fh, "v": fv, "tq": min(ci, 1), "coef": coef})
    return JE.write(h, w, comps, qs, progressive=progressive)


SAMPLINGS = [
    ((1, 2), (1, 1), (1, 1)),  # 4:4:0 (libjpeg-turbo's fancy h1v2 upsampling)
    ((2, 1), (1, 1), (1, 1)),
    ((4, 1), (1, 1), (1, 1)),  # 4:1:1
    ((1, 4), (1, 1), (1, 1)),
    ((2, 2), (2, 1), (1, 1)),  # mixed chroma factors
    ((4, 2), (1, 1), (1, 1)),
    ((1, 1), (2, 2), (1, 1)),  # chroma sampled finer than luma
    ((2, 2),),  # grey with 2x2 factors
]


@pytest.mark.parametrize("factors", SAMPLINGS)
@pytest.mark.parametrize("progressive", [False, True])
def test_other_samplings_equal_pillow(factors, progressive):
    for size in ((17, 33), (40, 23)):
        img = _image(*size, seed=8, gray=len(factors) == 1)
        data = _write_sampled(img, factors, progressive)
        assert _sof(data)[0] == (0xC2 if progressive else 0xC0)
        np.testing.assert_array_equal(_accurate(data), _pil_decode(data))


@pytest.mark.parametrize(
    "factors",
    [((2, 2), (1, 1), (1, 1)), ((2, 1), (1, 1), (1, 1)), ((1, 2), (1, 1), (1, 1)), ((1, 1),)],
)
@pytest.mark.parametrize("progressive", [False, True])
def test_ratio_equals_pillow_scaled_decoding(factors, progressive):
    Image = _pil()
    h, w = 40, 23
    img = _image(h, w, seed=4, gray=len(factors) == 1)
    data = _write_sampled(img, factors, progressive)
    for ratio in (2, 4, 8):
        pic = Image.open(io.BytesIO(data))
        pic.draft(pic.mode, (w // ratio, h // ratio))  # libjpeg scale_denom = ratio
        want = np.asarray(pic)
        want = want[..., None] if want.ndim == 2 else want
        np.testing.assert_array_equal(_accurate(data, ratio=ratio), want)


@pytest.mark.parametrize("sampling", ["gray", 0, 2])
def test_transcode_progressive_to_baseline(sampling):
    # jpegtran-style: the progressive file's coefficients rewritten as a baseline file decode to
    # the same pixels under every option
    from tensorlet.image_ops import jpeg_encode as JE

    img = _image(35, 26, seed=12, gray=sampling == "gray")
    kw = {} if sampling == "gray" else {"subsampling": sampling}
    prog = _jpeg(img, quality=70, progressive=True, **kw)
    frame, coefs = J.parse(prog)
    comps = [{"h": c["h"], "v": c["v"], "tq": c["tq"], "coef": coefs[c["id"]]} for c in frame.comps]
    qtables = {c["tq"]: c["q"] for c in frame.comps}
    for optimize in (False, True):
        base = JE.write(frame.h, frame.w, comps, qtables, optimize=optimize)
        assert _sof(base) == (0xC0, [(0, 63, 0, 0)])
        for options in OPTIONS:
            np.testing.assert_array_equal(
                tf.io.decode_jpeg(prog, **options).numpy(),
                tf.io.decode_jpeg(base, **options).numpy(),
            )
        np.testing.assert_array_equal(_pil_decode(base), _pil_decode(prog))


def _scan_ranges(data):
    out, pos = [], 0
    for kind, b in _pieces(data):
        if kind == "SOS":
            length = struct.unpack(">H", b[2:4])[0]
            out.append((pos + 2 + length, pos + len(b)))
        pos += len(b)
    return out


@pytest.mark.parametrize("progressive", [True, False])
@pytest.mark.parametrize("sampling", [0, 2])
def test_truncated_files(progressive, sampling):
    img = _image(40, 37, seed=9)
    data = _jpeg(
        img, quality=80, progressive=progressive, subsampling=sampling, restart_marker_blocks=3
    )
    rng = np.random.default_rng(0)
    cuts = {len(data) - 2, len(data) - 1}  # no EOI / half an EOI
    for a, e in _scan_ranges(data):
        cuts |= {a, e} | {int(v) for v in rng.integers(a, e, 2)}
    for n in sorted(cuts):
        cut = data[:n]
        with pytest.raises(
            tf.errors.InvalidArgumentError,
            match=r"jpeg::Uncompress failed\. Invalid JPEG data or crop window\.",
        ):
            tf.io.decode_jpeg(cut)
        got = tf.io.decode_jpeg(
            cut, try_recover_truncated=True, dct_method="INTEGER_ACCURATE"
        ).numpy()
        # TF's memory source ends truncated data with a fake EOI marker: Pillow decodes the same
        want = _pil_decode(cut + b"\xff\xd9")
        frame, _ = J.parse(cut, recover=True)
        # the one MCU decoded from zero bits past the end can hold huge coefficients, where
        # libjpeg-turbo's 16-bit SIMD IDCT (Pillow's) overflows and the C IDCT does not
        mcu_h = 8 * frame.vmax
        bad = np.zeros(len(want), bool)
        if n < len(data) - 2:
            bad[max(frame.last_good * mcu_h - 1, 0) : (frame.last_good + 1) * mcu_h + 1] = True
        np.testing.assert_array_equal(got[~bad], want[~bad])
    # truncated inside the headers: an error even when recovering
    with pytest.raises(tf.errors.InvalidArgumentError, match="jpeg::Uncompress failed"):
        tf.io.decode_jpeg(data[:150], try_recover_truncated=True)


def test_truncated_between_scans_keeps_the_decoded_scans():
    img = _image(32, 32, seed=4)
    data = _jpeg(img, quality=80, progressive=True)
    (_, end0), *_ = _scan_ranges(data)
    cut = data[:end0]  # exactly after the first (DC) scan
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.io.decode_jpeg(cut)
    got = tf.io.decode_jpeg(cut, try_recover_truncated=True, dct_method="INTEGER_ACCURATE")
    np.testing.assert_array_equal(got.numpy(), _pil_decode(cut + b"\xff\xd9"))


def test_unsupported_and_corrupt_progressive():
    img = _image(16, 16)
    data = bytearray(_jpeg(img, quality=80, progressive=True))
    lossless = bytes(data).replace(b"\xff\xc2", b"\xff\xc3", 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="jpeg::Uncompress failed"):
        tf.io.decode_jpeg(lossless)
    # a refinement scan whose Al is not Ah - 1 is a bad progression (libjpeg's JERR_BAD_PROGRESSION)
    k = 0
    for kind, b in _pieces(bytes(data)):
        ahal = k + 1 + struct.unpack(">H", b[2:4])[0] if kind == "SOS" else None
        if ahal is not None and data[ahal] >> 4:
            data[ahal] = 0x31
            break
        k += len(b)
    else:
        raise AssertionError("no refinement scan")
    with pytest.raises(tf.errors.InvalidArgumentError, match="jpeg::Uncompress failed"):
        tf.io.decode_jpeg(bytes(data))


def test_baseline_without_eoi_needs_recover():
    img = _image(16, 24)
    data = tf.io.encode_jpeg(img, quality=90).numpy()
    assert data.endswith(b"\xff\xd9")
    with pytest.raises(tf.errors.InvalidArgumentError, match="jpeg::Uncompress failed"):
        tf.io.decode_jpeg(data[:-2])
    np.testing.assert_array_equal(
        tf.io.decode_jpeg(data[:-2], try_recover_truncated=True), tf.io.decode_jpeg(data)
    )


# ---------------------------------------------------------------- interlaced (Adam7) PNG

ADAM7 = [
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _chunk(kind, body):
    return (
        struct.pack(">I", len(body))
        + kind
        + body
        + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    )


def _filter(raw, bpp, rng):
    """Each row with a random PNG filter (0-4), as an encoder may choose."""
    x = raw.astype(np.int64)
    h, n = x.shape
    up = np.vstack([np.zeros((1, n), np.int64), x[:-1]])
    left = np.hstack([np.zeros((h, bpp), np.int64), x[:, :-bpp]])
    ul = np.hstack([np.zeros((h, bpp), np.int64), up[:, :-bpp]])
    p = left + up - ul
    pa, pb, pc = np.abs(p - left), np.abs(p - up), np.abs(p - ul)
    paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, ul))
    cands = [x, x - left, x - up, x - (left + up) // 2, x - paeth]
    kinds = rng.integers(0, 5, h)
    rows = np.stack(cands)[kinds, np.arange(h)] % 256
    return np.hstack([kinds[:, None], rows]).astype(np.uint8).tobytes()


def _pack(samples, depth):
    h = samples.shape[0]
    if depth == 16:
        return samples.astype(">u2").reshape(h, -1).view(np.uint8)
    if depth == 8:
        return samples.reshape(h, -1).astype(np.uint8)
    flat = samples.reshape(h, -1).astype(np.int64)
    bits = (flat[..., None] >> np.arange(depth - 1, -1, -1)) & 1
    bits = bits.reshape(h, -1).astype(np.uint8)
    return np.packbits(bits, axis=1)


def png_file(samples, depth, ctype, interlace, plte=None, trns=None, seed=0):
    """A PNG of raw ``samples`` (h, w, c) (palette indices for colour type 3)."""
    rng = np.random.default_rng(seed)
    h, w, c = samples.shape
    bpp = max(1, depth * c // 8)
    if interlace:
        parts = []
        for x0, y0, dx, dy in ADAM7:
            sub = samples[y0::dy, x0::dx]
            if sub.size:
                parts.append(_filter(_pack(sub, depth), bpp, rng))
        data = b"".join(parts)
    else:
        data = _filter(_pack(samples, depth), bpp, rng) if samples.size else b""
    out = [
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, interlace)),
    ]
    if plte is not None:
        out.append(_chunk(b"PLTE", plte.astype(np.uint8).tobytes()))
    if trns is not None:
        out.append(_chunk(b"tRNS", trns))
    z = zlib.compress(data, 9)
    out += [
        _chunk(b"IDAT", z[: len(z) // 2]),
        _chunk(b"IDAT", z[len(z) // 2 :]),
        _chunk(b"IEND", b""),
    ]
    return b"".join(out)


FORMATS = [
    (0, 1),
    (0, 2),
    (0, 4),
    (0, 8),
    (0, 16),
    (2, 8),
    (2, 16),
    (3, 1),
    (3, 2),
    (3, 4),
    (3, 8),
    (4, 8),
    (4, 16),
    (6, 8),
    (6, 16),
]
PNG_SIZES = [
    (1, 1),
    (1, 2),
    (2, 1),
    (2, 3),
    (3, 2),
    (1, 13),
    (13, 1),
    (5, 5),
    (8, 8),
    (9, 9),
    (13, 9),
    (9, 13),
]


def _samples(ctype, depth, h, w, seed):
    rng = np.random.default_rng(seed)
    top = (1 << depth) - 1
    return rng.integers(0, top + 1, (h, w, CHANNELS[ctype])).astype(
        np.uint16 if depth == 16 else np.uint8
    )


def _expected(samples, ctype, depth, plte=None, trns=None):
    """What TF's decode_png gives for these samples (libpng's 8-bit grey expansion, palettes)."""
    if ctype == 3:
        rgb = plte[samples[..., 0]]
        if trns is None:
            return rgb.astype(np.uint8)
        alpha = np.full(len(plte), 255, np.uint8)
        alpha[: len(trns)] = np.frombuffer(trns, np.uint8)
        return np.concatenate([rgb, alpha[samples[..., 0]][..., None]], -1).astype(np.uint8)
    if depth < 8:
        return (samples.astype(np.int64) * (255 // ((1 << depth) - 1))).astype(np.uint8)
    return samples


@pytest.mark.parametrize("size", PNG_SIZES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_adam7_png_decodes_like_non_interlaced(fmt, size):
    ctype, depth = fmt
    h, w = size
    samples = _samples(ctype, depth, h, w, seed=h * 31 + w + depth)
    plte = trns = None
    if ctype == 3:
        plte = np.random.default_rng(depth).integers(0, 256, (1 << depth, 3))
        trns = bytes(range(7, 7 + min(3, len(plte)) * 50, 50)) if w % 2 else None
    inter = png_file(samples, depth, ctype, 1, plte, trns, seed=1)
    flat = png_file(samples, depth, ctype, 0, plte, trns, seed=2)
    want = _expected(samples, ctype, depth, plte, trns)
    dtype = tf.uint16 if depth == 16 else tf.uint8
    got = tf.io.decode_png(inter, dtype=dtype).numpy()
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(got, tf.io.decode_png(flat, dtype=dtype).numpy())
    np.testing.assert_array_equal(tf.io.decode_image(inter, dtype=dtype).numpy(), want)
    np.testing.assert_array_equal(tf.image.decode_png(inter, dtype=dtype).numpy(), want)


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
@pytest.mark.parametrize("fmt", [(0, 8), (2, 8), (3, 4), (4, 16), (6, 8)])
def test_adam7_png_channel_conversions(fmt, channels):
    ctype, depth = fmt
    samples = _samples(ctype, depth, 11, 7, seed=channels)
    plte = np.random.default_rng(0).integers(0, 256, (16, 3)) if ctype == 3 else None
    inter = png_file(samples, depth, ctype, 1, plte, seed=3)
    flat = png_file(samples, depth, ctype, 0, plte, seed=4)
    for dtype in (tf.uint8, tf.uint16):
        np.testing.assert_array_equal(
            tf.io.decode_png(inter, channels=channels, dtype=dtype).numpy(),
            tf.io.decode_png(flat, channels=channels, dtype=dtype).numpy(),
        )


@pytest.mark.parametrize("fmt", [(0, 8), (2, 8), (4, 8), (6, 8), (3, 8), (0, 1), (3, 2)])
@pytest.mark.parametrize("size", [(1, 1), (2, 3), (13, 9), (16, 16)])
def test_adam7_png_against_pillow(fmt, size):
    Image = _pil()
    ctype, depth = fmt
    samples = _samples(ctype, depth, *size, seed=5)
    plte = np.random.default_rng(1).integers(0, 256, (1 << depth, 3)) if ctype == 3 else None
    data = png_file(samples, depth, ctype, 1, plte, seed=6)
    pic = Image.open(io.BytesIO(data))
    assert pic.info.get("interlace") == 1
    mode = {0: "L", 2: "RGB", 3: "RGB", 4: "LA", 6: "RGBA"}[ctype]
    want = np.asarray(pic.convert(mode))
    want = want[..., None] if want.ndim == 2 else want
    np.testing.assert_array_equal(tf.io.decode_png(data).numpy(), want)


def test_adam7_png_corrupt_data():
    samples = _samples(2, 8, 9, 9, seed=0)
    data = png_file(samples, 8, 2, 1)
    ihdr_end = 8 + 25
    z = zlib.decompress(b"".join(body for kind, body in _png_chunks(data) if kind == b"IDAT"))
    short = data[:ihdr_end] + _chunk(b"IDAT", zlib.compress(z[:-10])) + _chunk(b"IEND", b"")
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.io.decode_png(short)
    bad_filter = bytearray(z)
    bad_filter[0] = 7
    bad = data[:ihdr_end] + _chunk(b"IDAT", zlib.compress(bytes(bad_filter))) + _chunk(b"IEND", b"")
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.io.decode_png(bad)


def _png_chunks(data):
    pos, out = 8, []
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos : pos + 8])
        out.append((kind, data[pos + 8 : pos + 8 + n]))
        pos += 12 + n
    return out


# ---------------------------------------------------------------- progressive / optimised encoding


def _from_dqt(data):
    """Everything after the JFIF APP0 segment (Pillow writes other density fields than TF)."""
    return data[data.index(b"\xff\xdb") :]


ENCODE_SIZES = [(1, 1), (16, 16), (17, 33), (40, 23), (9, 31), (64, 48)]


@pytest.mark.parametrize("size", ENCODE_SIZES)
@pytest.mark.parametrize("kind", ["rgb420", "rgb444", "gray"])
@pytest.mark.parametrize("mode", ["baseline", "progressive", "optimize"])
def test_encode_matches_libjpeg_turbo_bytes(size, kind, mode):
    # Pillow drives the same libjpeg-turbo calls (jpeg_set_quality, ISLOW forward DCT, simple
    # progression, optimised tables): every byte after the APP0 segment must agree
    img = _image(*size, seed=size[1], gray=kind == "gray")
    kw = {"progressive": mode == "progressive", "optimize": mode == "optimize"}
    for quality in (50, 95):
        pil = _jpeg(img, quality=quality, subsampling=0 if kind != "rgb420" else 2, **kw)
        ours = tf.io.encode_jpeg(
            img,
            quality=quality,
            chroma_downsampling=kind == "rgb420",
            progressive=kw["progressive"],
            optimize_size=kw["optimize"],
        ).numpy()
        assert _from_dqt(ours) == _from_dqt(pil)


@pytest.mark.parametrize("kind", ["rgb420", "rgb444", "gray"])
def test_progressive_and_optimized_encoding_decode_to_the_baseline_pixels(kind):
    img = _image(37, 29, seed=11, gray=kind == "gray")
    fmt = {"chroma_downsampling": kind == "rgb420"}
    base = tf.io.encode_jpeg(img, quality=80, **fmt).numpy()
    prog = tf.io.encode_jpeg(img, quality=80, progressive=True, **fmt).numpy()
    opt = tf.io.encode_jpeg(img, quality=80, optimize_size=True, **fmt).numpy()
    both = tf.io.encode_jpeg(img, quality=80, progressive=True, optimize_size=True, **fmt).numpy()
    assert _sof(prog)[0] == 0xC2 and _sof(opt)[0] == 0xC0 and _sof(base)[0] == 0xC0
    assert both == prog  # libjpeg always optimises progressive tables
    assert len(opt) < len(base)
    assert prog[:20] == base[:20]  # SOI, TF's JFIF header
    want = tf.io.decode_jpeg(base).numpy()
    for data in (prog, opt):
        np.testing.assert_array_equal(tf.io.decode_jpeg(data).numpy(), want)
        np.testing.assert_array_equal(_accurate(data), _accurate(base))
    Image = pytest.importorskip("PIL.Image")
    for data in (prog, opt):
        np.testing.assert_array_equal(_pil_decode(data), _pil_decode(base))
        assert Image.open(io.BytesIO(data)).info.get("progressive", 0) == (data is prog)


def test_progressive_scans_follow_jpeg_simple_progression():
    img = _image(24, 24)
    _, scans = _sof(tf.io.encode_jpeg(img, progressive=True).numpy())
    assert scans == [
        (0, 0, 0, 1),
        (1, 5, 0, 2),
        (1, 63, 0, 1),
        (1, 63, 0, 1),
        (6, 63, 0, 2),
        (1, 63, 2, 1),
        (0, 0, 1, 0),
        (1, 63, 1, 0),
        (1, 63, 1, 0),
        (1, 63, 1, 0),
    ]
    _, scans = _sof(tf.io.encode_jpeg(img[..., :1], progressive=True).numpy())
    assert scans == [
        (0, 0, 0, 1),
        (1, 5, 0, 2),
        (6, 63, 0, 2),
        (1, 63, 2, 1),
        (0, 0, 1, 0),
        (1, 63, 1, 0),
    ]


def test_progressive_encoding_of_noise_with_long_eob_runs():
    # noise exercises stuffed 0xFF bytes and long correction-bit lists; a flat image long EOB runs
    noise = (np.random.default_rng(1).random((48, 80, 3)) * 255).astype(np.uint8)
    flat = np.full((160, 160, 3), 77, np.uint8)
    for img in (noise, flat):
        for q in (10, 75, 100):
            prog = tf.io.encode_jpeg(img, quality=q, progressive=True).numpy()
            base = tf.io.encode_jpeg(img, quality=q).numpy()
            np.testing.assert_array_equal(
                tf.io.decode_jpeg(prog).numpy(), tf.io.decode_jpeg(base).numpy()
            )
            if q == 75:
                assert _from_dqt(prog) == _from_dqt(_jpeg(img, quality=q, progressive=True))


def test_optimal_table_limits_code_lengths_to_16_bits():
    from tensorlet.image_ops import jpeg_encode as JE

    fib = [1, 1]
    while len(fib) < 30:
        fib.append(fib[-1] + fib[-2])
    freq = [0] * 256
    for i, f in enumerate(fib):
        freq[i * 3] = f  # a Fibonacci distribution makes the plain Huffman tree 29 deep
    counts, vals = JE._optimal_table(freq)
    assert len(counts) == 16 and sum(counts) == 30 and sorted(vals) == [i * 3 for i in range(30)]
    kraft = sum(n / 2 ** (k + 1) for k, n in enumerate(counts))
    assert kraft < 1  # still a prefix code, and no code of all ones
    codes = J._huff_table(counts, vals, False)
    assert max(v >> 8 for v in codes if v >> 8 != 17) <= 16
