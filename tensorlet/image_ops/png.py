"""PNG, BMP and GIF codecs in NumPy + zlib, byte-for-byte like TF's libpng/giflib code paths.

Encoding reproduces libpng 1.6 as TF calls it: all five row filters tried and the one with the
smallest sum of |signed bytes| kept (ties: the earlier filter), deflate level 6 (or the given
``compression``) with Z_FILTERED, the window shrunk to the image size and the CMF byte
optimised as libpng does, IDAT chunks of 8192 bytes.
"""

import struct
import zlib

from tensorlet.backend import xp

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOR_TYPES = {1: 0, 2: 4, 3: 2, 4: 6}  # channels -> PNG colour type
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


class CodecError(ValueError):
    """A corrupt or unsupported image; the op turns it into InvalidArgumentError."""


def _chunk(kind, data):
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _signed_sum(rows):
    return xp.where(rows < 128, rows, 256 - rows.astype(xp.int64)).sum(1)


def _filter_rows(raw, bpp):
    """libpng's adaptive filter choice per row; returns the filtered scanlines with type bytes."""
    x = raw.astype(xp.int64)
    h, n = x.shape
    up = xp.vstack([xp.zeros((1, n), xp.int64), x[:-1]])
    left = xp.hstack([xp.zeros((h, bpp), xp.int64), x[:, :-bpp]])
    ul = xp.hstack([xp.zeros((h, bpp), xp.int64), up[:, :-bpp]])
    p = left + up - ul
    pa, pb, pc = xp.abs(p - left), xp.abs(p - up), xp.abs(p - ul)
    paeth = xp.where((pa <= pb) & (pa <= pc), left, xp.where(pb <= pc, up, ul))
    cands = [x, x - left, x - up, x - (left + up) // 2, x - paeth]
    cands = [(c % 256).astype(xp.uint8) for c in cands]
    if h == 1:
        allowed = [0, 1]
    else:
        allowed = [0, 1, 2, 3, 4]
    if n // bpp == 1:
        allowed = [f for f in allowed if f in (0, 2)]
    sums = xp.stack([_signed_sum(cands[f]) for f in allowed], 1)
    best = xp.asarray(allowed)[xp.argmin(sums, 1)]
    rows = xp.stack(cands, 0)[best, xp.arange(h)]
    return xp.hstack([best.astype(xp.uint8)[:, None], rows])


def _optimize_cmf(data, size):
    z = bytearray(data)
    cmf = z[0]
    if size <= 16384 and (cmf & 0x0F) == 8 and (cmf & 0xF0) <= 0x70:
        cinfo = cmf >> 4
        half = 1 << (cinfo + 7)
        if size <= half:
            while True:
                half >>= 1
                cinfo -= 1
                if not (cinfo > 0 and size <= half):
                    break
            cmf = (cmf & 0x0F) | (cinfo << 4)
            z[0] = cmf
            tmp = z[1] & 0xE0
            tmp += 0x1F - ((cmf << 8) + tmp) % 0x1F
            z[1] = tmp
    return bytes(z)


def encode_png(image, compression=-1):
    """``image``: (h, w, c) uint8/uint16 array, c in 1..4."""
    h, w, c = image.shape
    depth = 16 if image.dtype == xp.uint16 else 8
    raw = image.astype(">u2").view(xp.uint8) if depth == 16 else image.astype(xp.uint8)
    raw = raw.reshape(h, -1)
    bpp = c * depth // 8
    data = _filter_rows(raw, bpp).tobytes() if h and w else b""
    size = len(data)
    wbits = 15
    if size <= 16384:
        half = 1 << (wbits - 1)
        while size + 262 <= half:
            half >>= 1
            wbits -= 1
    comp = zlib.compressobj(
        6 if compression == -1 else compression, zlib.DEFLATED, wbits, 8, zlib.Z_FILTERED
    )
    z = _optimize_cmf(comp.compress(data) + comp.flush(), size)
    ihdr = struct.pack(">IIBBBBB", w, h, depth, _COLOR_TYPES[c], 0, 0, 0)
    out = [PNG_SIGNATURE, _chunk(b"IHDR", ihdr)]
    out += [_chunk(b"IDAT", z[i : i + 8192]) for i in range(0, len(z), 8192)]
    out.append(_chunk(b"IEND", b""))
    return b"".join(out)


# ---------------------------------------------------------------- decode


def _unfilter(data, h, rowbytes, bpp):
    out = xp.zeros((h, rowbytes), xp.uint8)
    buf = xp.frombuffer(data, xp.uint8)
    if len(buf) < h * (rowbytes + 1):
        raise CodecError("Invalid PNG data, size")
    buf = buf[: h * (rowbytes + 1)].reshape(h, rowbytes + 1)
    prev = xp.zeros(rowbytes, xp.int64)
    for y in range(h):  # rows depend on the previous row; Avg/Paeth also left to right
        ftype, f = buf[y, 0], buf[y, 1:].astype(xp.int64)
        if ftype == 0:
            row = f
        elif ftype == 1:
            row = (
                f.reshape(-1, bpp).cumsum(0).reshape(-1) % 256
                if rowbytes % bpp == 0
                else _seq(f, prev, bpp, 1)
            )
        elif ftype == 2:
            row = (f + prev) % 256
        elif ftype in (3, 4):
            row = _seq(f, prev, bpp, ftype)
        else:
            raise CodecError("Invalid PNG filter type %d" % ftype)
        out[y] = row
        prev = row.astype(xp.int64)
    return out


def _seq(f, prev, bpp, ftype):
    row = f.copy()
    n = len(f)
    for i in range(0, n, bpp):  # one pixel (bpp bytes) at a time: inherently sequential
        a = row[i - bpp : i] if i else xp.zeros(min(bpp, n), xp.int64)
        b = prev[i : i + bpp]
        seg = f[i : i + bpp]
        a = a[: len(seg)]
        if ftype == 1:
            row[i : i + bpp] = (seg + a) % 256
        elif ftype == 3:
            row[i : i + bpp] = (seg + (a + b) // 2) % 256
        else:
            c = prev[i - bpp : i][: len(seg)] if i else xp.zeros(len(seg), xp.int64)
            p = a + b - c
            pa, pb, pc = xp.abs(p - a), xp.abs(p - b), xp.abs(p - c)
            pr = xp.where((pa <= pb) & (pa <= pc), a, xp.where(pb <= pc, b, c))
            row[i : i + bpp] = (seg + pr) % 256
    return row


def decode_png_raw(data):
    """Pixels (h, w, c) uint8 or uint16 of a PNG byte string, interlaced (Adam7) or not: grey
    below 8 bits scaled to 8, palettes expanded to RGB (RGBA with a tRNS chunk)."""
    if not data.startswith(PNG_SIGNATURE):
        raise CodecError("Invalid PNG header, data size %d" % len(data))
    pos = 8
    idat, plte, trns, hdr = [], None, None, None
    while pos + 8 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            plte = xp.frombuffer(body, xp.uint8).reshape(-1, 3)
        elif kind == b"tRNS":
            trns = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if hdr is None:
        raise CodecError("Invalid PNG: no IHDR")
    w, h, depth, ctype, _, _, interlace = hdr
    if ctype not in _CHANNELS or depth not in _DEPTHS.get(ctype, ()) or interlace > 1:
        raise CodecError("Invalid PNG header: bit depth %d, color type %d" % (depth, ctype))
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as e:
        raise CodecError("Invalid PNG data: %s" % e) from None
    c = _CHANNELS[ctype]
    if not interlace:
        px = _decode_pass(raw, w, h, depth, c, ctype)
    else:  # Adam7: seven sub-images, each filtered on its own (empty ones take no bytes)
        px = xp.zeros((h, w, c), xp.uint16 if depth == 16 else xp.uint8)
        pos = 0
        for x0, y0, dx, dy in _ADAM7:
            pw, ph = max(0, -(-(w - x0) // dx)), max(0, -(-(h - y0) // dy))
            if not pw or not ph:
                continue
            size = ph * (1 + (pw * depth * c + 7) // 8)
            px[y0::dy, x0::dx] = _decode_pass(raw[pos : pos + size], pw, ph, depth, c, ctype)
            pos += size
    if ctype == 3:
        idx = px[..., 0]
        rgb = plte[idx]
        if trns is not None:
            alpha = xp.full(len(plte), 255, xp.uint8)
            alpha[: len(trns)] = xp.frombuffer(trns, xp.uint8)[: len(plte)]
            px = xp.concatenate([rgb, alpha[idx][..., None]], -1)
        else:
            px = rgb
    return px


_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_ADAM7 = (
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
)  # (x0, y0, dx, dy) of each pass


def _decode_pass(raw, w, h, depth, c, ctype):
    """Unfiltered, unpacked (h, w, c) samples of one (sub-)image; low bit depths expand as
    libpng does (grey scaled to 8 bits, palette indices kept)."""
    bits = depth * c
    rowbytes = (w * bits + 7) // 8
    bpp = max(1, bits // 8)
    rows = _unfilter(raw, h, rowbytes, bpp)
    if depth == 16:
        return rows.view(">u2").reshape(h, w, c).astype(xp.uint16)
    if depth == 8:
        return rows.reshape(h, w, c)
    bitsx = xp.unpackbits(rows, axis=1).reshape(h, -1, depth)[:, :w]
    weights = (1 << xp.arange(depth - 1, -1, -1)).astype(xp.uint8)
    px = (bitsx * weights).sum(-1).astype(xp.uint8)[..., None]
    if ctype == 0:
        px = (px.astype(xp.int64) * (255 // ((1 << depth) - 1))).astype(xp.uint8)
    return px


def rgb_to_gray_libpng(px):
    """libpng's png_set_rgb_to_gray with TF's (0.299, 0.587) fixed-point coefficients."""
    if px.dtype == xp.uint16:
        v = px.astype(xp.int64)
        rc, gc = 9797, 19234
        bc = 32768 - rc - gc
        return ((rc * v[..., 0] + gc * v[..., 1] + bc * v[..., 2] + 16384) >> 15).astype(xp.uint16)
    v = px.astype(xp.int64)  # 8-bit, no gamma: libpng truncates
    rc, gc = 9797, 19234
    bc = 32768 - rc - gc
    return ((rc * v[..., 0] + gc * v[..., 1] + bc * v[..., 2]) >> 15).astype(xp.uint8)


def convert_channels(px, channels):
    """libpng-style channel conversion of decoded pixels to ``channels`` (0: keep)."""
    c = px.shape[-1]
    if channels in (0, c):
        return px
    maxv = 65535 if px.dtype == xp.uint16 else 255
    if c in (3, 4) and channels in (1, 2):
        gray = rgb_to_gray_libpng(px[..., :3])[..., None]
        return gray if channels == 1 else xp.concatenate([gray, _alpha(px, maxv)], -1)
    if c in (1, 2) and channels in (3, 4):
        rgb = xp.repeat(px[..., :1], 3, -1)
        return rgb if channels == 3 else xp.concatenate([rgb, _alpha(px, maxv)], -1)
    if channels in (1, 3):
        return px[..., :channels]
    return xp.concatenate([px, _alpha(px, maxv)], -1)


def _alpha(px, maxv):
    c = px.shape[-1]
    if c in (2, 4):
        return px[..., -1:]
    return xp.full(px.shape[:-1] + (1,), maxv, px.dtype)


# ---------------------------------------------------------------- BMP


def decode_bmp(data, channels=0):
    if data[:2] != b"BM" or len(data) < 54:
        raise CodecError("Invalid BMP data")
    offset = struct.unpack("<I", data[10:14])[0]
    header_size = struct.unpack("<I", data[14:18])[0]
    w, h = struct.unpack("<ii", data[18:26])
    bpp = struct.unpack("<H", data[28:30])[0]
    if bpp not in (8, 24, 32):
        raise CodecError("Channels must be 1, 3 or 4, was %d" % (bpp // 8))
    del header_size
    c = bpp // 8
    top_down = h < 0
    h = abs(h)
    row = ((w * c) + 3) // 4 * 4
    buf = xp.frombuffer(data, xp.uint8, count=row * h, offset=offset).reshape(h, row)
    px = buf[:, : w * c].reshape(h, w, c)
    if not top_down:
        px = px[::-1]
    if c >= 3:
        px = xp.concatenate([px[..., 2::-1], px[..., 3:]], -1)
    px = xp.ascontiguousarray(px)
    if channels and channels != c:
        raise CodecError(
            "channels attribute %d does not match bits per pixel from file %d" % (channels, c)
        )
    return px


# ---------------------------------------------------------------- GIF


def _lzw(data, min_code):
    clear, end = 1 << min_code, (1 << min_code) + 1
    out = bytearray()
    table = [bytes([i]) for i in range(clear)] + [b"", b""]
    size, prev, pos, nbits = min_code + 1, None, 0, len(data) * 8
    bits = int.from_bytes(data, "little")
    while pos + size <= nbits:
        code = (bits >> pos) & ((1 << size) - 1)
        pos += size
        if code == clear:
            table = table[: end + 1]
            size, prev = min_code + 1, None
            continue
        if code == end:
            break
        if code < len(table):
            entry = table[code]
            if prev is not None:
                table.append(prev + entry[:1])
        elif prev is not None:
            entry = prev + prev[:1]
            table.append(entry)
        else:
            raise CodecError("Invalid GIF LZW code")
        out += entry
        prev = entry
        if len(table) == (1 << size) and size < 12:
            size += 1
    return bytes(out)


def decode_gif(data):
    """All frames as (frames, h, w, 3) uint8 (later frames drawn over earlier ones)."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise CodecError("Invalid GIF data")
    w, h, flags = struct.unpack("<HHB", data[6:11])
    pos = 13
    gct = None
    if flags & 0x80:
        n = 3 * (2 << (flags & 7))
        gct = xp.frombuffer(data[pos : pos + n], xp.uint8).reshape(-1, 3)
        pos += n
    canvas = xp.zeros((h, w, 3), xp.uint8)
    frames, trans = [], None
    while pos < len(data):
        tag = data[pos]
        pos += 1
        if tag == 0x3B:
            break
        if tag == 0x21:
            label = data[pos]
            pos += 1
            if label == 0xF9 and data[pos] >= 4:
                trans = data[pos + 4] if data[pos + 1] & 1 else None
            while data[pos]:
                pos += data[pos] + 1
            pos += 1
            continue
        if tag != 0x2C:
            raise CodecError("Invalid GIF block")
        x0, y0, fw, fh, fl = struct.unpack("<HHHHB", data[pos : pos + 9])
        pos += 9
        table = gct
        if fl & 0x80:
            n = 3 * (2 << (fl & 7))
            table = xp.frombuffer(data[pos : pos + n], xp.uint8).reshape(-1, 3)
            pos += n
        min_code = data[pos]
        pos += 1
        blocks = bytearray()
        while data[pos]:
            blocks += data[pos + 1 : pos + 1 + data[pos]]
            pos += data[pos] + 1
        pos += 1
        idx = xp.frombuffer(_lzw(bytes(blocks), min_code), xp.uint8)[: fw * fh]
        idx = xp.pad(idx, (0, fw * fh - len(idx))).reshape(fh, fw)
        if fl & 0x40:
            order = (
                list(range(0, fh, 8))
                + list(range(4, fh, 8))
                + list(range(2, fh, 4))
                + list(range(1, fh, 2))
            )
            fixed = xp.empty_like(idx)
            fixed[order] = idx
            idx = fixed
        frame = canvas.copy()
        region = table[idx]
        if trans is not None:
            keep = idx == trans
            region = xp.where(keep[..., None], frame[y0 : y0 + fh, x0 : x0 + fw], region)
        frame[y0 : y0 + fh, x0 : x0 + fw] = region[: h - y0, : w - x0]
        frames.append(frame)
        canvas = frame
        trans = None
    return xp.stack(frames) if frames else xp.zeros((0, h, w, 3), xp.uint8)
