"""Baseline JPEG in NumPy, bit-exact with the libjpeg-turbo code paths TF uses.

Decoding: Huffman entropy decoding (sequential, Python), then vectorised over all blocks:
dequantisation and libjpeg's integer IDCTs -- ``jidctfst.c`` (IFAST, TF's default
``dct_method=''``), ``jidctint.c`` (ISLOW = 'INTEGER_ACCURATE') and the reduced ``jidctred.c``
4x4 / 2x2 transforms for ``ratio`` 2 / 4 -- then chroma upsampling (``jdsample.c`` fancy h2v1 /
h2v2 triangle filters, or replication when ``fancy_upscaling=False`` as the merged upsampler
does) and ``jdcolor.c``'s fixed-point YCbCr -> RGB.

The encoder is in ``jpeg_encode.py``.
"""

import struct

from tensorlet.backend import xp

from tensorlet.image_ops.png import CodecError

# fmt: off
ZIGZAG = xp.array([
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27,
    20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58,
    59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63])
# fmt: on

_I64 = xp.int64


def _ceil_div(a, b):
    return -(-a // b)


def _range_limit(x):
    """libjpeg's post-IDCT range-limit table: 10-bit wrap, then clamp of x + 128."""
    s = ((x + 512) & 1023) - 512
    return xp.clip(s + 128, 0, 255).astype(xp.uint8)


# ---------------------------------------------------------------- IDCTs (blocks: (n, 8, 8))


def _idct_islow(coef, q):
    c = coef.astype(_I64) * q.astype(_I64)
    ws = _islow_pass(c.transpose(0, 2, 1), 11, shift_dc=True).transpose(0, 2, 1)
    return _range_limit(_islow_pass(ws, 18, shift_dc=False))


def _islow_pass(d, shift, shift_dc):
    """One 1-D ISLOW pass over the last axis of (n, 8, 8)."""
    d0, d1, d2, d3, d4, d5, d6, d7 = (d[..., i] for i in range(8))
    z1 = (d2 + d6) * 4433
    tmp2 = z1 + d6 * -15137
    tmp3 = z1 + d2 * 6270
    tmp0 = (d0 + d4) << 13
    tmp1 = (d0 - d4) << 13
    t10, t13, t11, t12 = tmp0 + tmp3, tmp0 - tmp3, tmp1 + tmp2, tmp1 - tmp2
    o0, o1, o2, o3 = d7, d5, d3, d1
    z1, z2, z3, z4 = o0 + o3, o1 + o2, o0 + o2, o1 + o3
    z5 = (z3 + z4) * 9633
    o0, o1, o2, o3 = o0 * 2446, o1 * 16819, o2 * 25172, o3 * 12299
    z1, z2, z3, z4 = z1 * -7373, z2 * -20995, z3 * -16069 + z5, z4 * -3196 + z5
    o0 = o0 + z1 + z3
    o1 = o1 + z2 + z4
    o2 = o2 + z2 + z3
    o3 = o3 + z1 + z4
    r = 1 << (shift - 1)
    out = [t10 + o3, t11 + o2, t12 + o1, t13 + o0, t13 - o0, t12 - o1, t11 - o2, t10 - o3]
    return xp.stack([(v + r) >> shift for v in out], -1)


def _ifast_mult(q):
    # fmt: off
    aan = xp.array([
        16384, 22725, 21407, 19266, 16384, 12873, 8867, 4520,
        22725, 31521, 29692, 26722, 22725, 17855, 12299, 6270,
        21407, 29692, 27969, 25172, 21407, 16819, 11585, 5906,
        19266, 26722, 25172, 22654, 19266, 15137, 10426, 5315,
        16384, 22725, 21407, 19266, 16384, 12873, 8867, 4520,
        12873, 17855, 16819, 15137, 12873, 10114, 6967, 3552,
        8867, 12299, 11585, 10426, 8867, 6967, 4799, 2446,
        4520, 6270, 5906, 5315, 4520, 3552, 2446, 1247], _I64).reshape(8, 8)
    # fmt: on
    return (q.astype(_I64) * aan + (1 << 11)) >> 12


def _ifast_pass(d):
    def mul(v, c):
        return (v * c) >> 8

    d0, d1, d2, d3, d4, d5, d6, d7 = (d[..., i] for i in range(8))
    t10, t11 = d0 + d4, d0 - d4
    t13 = d2 + d6
    t12 = mul(d2 - d6, 362) - t13
    t0, t3, t1, t2 = t10 + t13, t10 - t13, t11 + t12, t11 - t12
    z13, z10, z11, z12 = d5 + d3, d5 - d3, d1 + d7, d1 - d7
    t7 = z11 + z13
    t11 = mul(z11 - z13, 362)
    z5 = mul(z10 + z12, 473)
    t10 = mul(z12, 277) - z5
    t12 = mul(z10, -669) + z5
    t6 = t12 - t7
    t5 = t11 - t6
    t4 = t10 + t5
    return [t0 + t7, t1 + t6, t2 + t5, t3 - t4, t3 + t4, t2 - t5, t1 - t6, t0 - t7]


def _idct_ifast(coef, q):
    c = coef.astype(_I64) * _ifast_mult(q)
    ws = xp.stack(_ifast_pass(c.transpose(0, 2, 1)), -1).transpose(0, 2, 1)
    out = xp.stack(_ifast_pass(ws), -1)
    return _range_limit(out >> 5)


def _red_pass(d, size, shift):
    """jidctred.c 4-point / 2-point pass (returns a list of outputs before the shift)."""
    if size == 4:
        t0 = d[..., 0] << 14
        t2 = d[..., 2] * 15137 + d[..., 6] * -6270
        t10, t12 = t0 + t2, t0 - t2
        z1, z2, z3, z4 = d[..., 7], d[..., 5], d[..., 3], d[..., 1]
        o0 = z1 * -1730 + z2 * 11893 + z3 * -17799 + z4 * 8697
        o2 = z1 * -4176 + z2 * -4926 + z3 * 7373 + z4 * 20995
        out = [t10 + o2, t12 + o0, t12 - o0, t10 - o2]
    else:
        t10 = d[..., 0] << 15
        o0 = d[..., 7] * -5906 + d[..., 5] * 6967 + d[..., 3] * -10426 + d[..., 1] * 29692
        out = [t10 + o0, t10 - o0]
    r = 1 << (shift - 1)
    return [(v + r) >> shift for v in out]


def _idct_reduced(coef, q, size):
    c = coef.astype(_I64) * q.astype(_I64)
    extra = 1 if size == 4 else 2
    cols = xp.stack(_red_pass(c.transpose(0, 2, 1), size, 11 + extra), -1)  # (n, 8 cols, size)
    ws = cols.transpose(0, 2, 1)  # (n, size rows, 8)
    return _range_limit(xp.stack(_red_pass(ws, size, 18 + extra), -1))


def _idct_1x1(coef, q):
    dc = coef[:, 0, 0].astype(_I64) * q[0, 0]
    return _range_limit((dc + 4) >> 3)[:, None, None]


def idct_blocks(coef, q, size, method):
    if size == 8:
        return (_idct_ifast if method == "ifast" else _idct_islow)(coef, q)
    if size == 1:
        return _idct_1x1(coef, q)
    return _idct_reduced(coef, q, size)


# ---------------------------------------------------------------- upsampling / colour


def _fancy_h2v1(x, width):
    """jdsample.c h2v1_fancy_upsample on (h, w) uint8 with ``width`` real columns."""
    v = x[:, :width].astype(_I64)
    out = xp.empty((v.shape[0], 2 * width), _I64)
    left = xp.concatenate([v[:, :1], v[:, :-1]], 1)
    right = xp.concatenate([v[:, 1:], v[:, -1:]], 1)
    out[:, 0::2] = (v * 3 + left + 1) >> 2
    out[:, 1::2] = (v * 3 + right + 2) >> 2
    out[:, 0] = v[:, 0]
    out[:, -1] = v[:, -1]
    return out


def _fancy_h2v2(x, width, height):
    v = x[:height, :width].astype(_I64)
    above = xp.concatenate([v[:1], v[:-1]], 0)
    below = xp.concatenate([v[1:], v[-1:]], 0)
    out = xp.empty((2 * height, 2 * width), _I64)
    for k, other in ((0, above), (1, below)):
        s = v * 3 + other  # column sums
        left = xp.concatenate([s[:, :1], s[:, :-1]], 1)
        right = xp.concatenate([s[:, 1:], s[:, -1:]], 1)
        rows = out[k::2]
        rows[:, 0::2] = (s * 3 + left + 8) >> 4
        rows[:, 1::2] = (s * 3 + right + 7) >> 4
        rows[:, 0] = (s[:, 0] * 4 + 8) >> 4
        rows[:, -1] = (s[:, -1] * 4 + 7) >> 4
    return out


def upsample(comp, hf, vf, width, height, fancy):
    """Component plane (rows, cols) at its own resolution -> full resolution."""
    dw = -(-width // hf)
    dh = -(-height // vf)
    if hf == 1 and vf == 1:
        return comp[:height, :width].astype(_I64)
    if fancy and dw > 2 and hf == 2 and vf == 1:
        return _fancy_h2v1(comp[:dh], dw)[:height, :width]
    if fancy and dw > 2 and hf == 2 and vf == 2:
        return _fancy_h2v2(comp, dw, dh)[:height, :width]
    rep = xp.repeat(xp.repeat(comp[:dh, :dw].astype(_I64), vf, 0), hf, 1)
    return rep[:height, :width]


def _fix(x):
    return int(x * 65536 + 0.5)


def ycc_to_rgb(y, cb, cr):
    x = xp.arange(256) - 128
    cr_r = (_fix(1.40200) * x + 32768) >> 16
    cb_b = (_fix(1.77200) * x + 32768) >> 16
    cr_g = -_fix(0.71414) * x
    cb_g = -_fix(0.34414) * x + 32768
    r = y + cr_r[cr]
    g = y + ((cb_g[cb] + cr_g[cr]) >> 16)
    b = y + cb_b[cb]
    return xp.clip(xp.stack([r, g, b], -1), 0, 255).astype(xp.uint8)


# ---------------------------------------------------------------- parsing / entropy decoding


class _Bits:
    """MSB-first bit reader over entropy-coded data (0xFF00 unstuffed, stops at markers).

    Restart markers are not kept in the byte buffer; their positions are, and reading past
    the next one feeds zeros (as libjpeg does) until ``restart()``.
    """

    def __init__(self, data, pos):
        end = pos
        out = bytearray()
        marks = []
        n = len(data)
        while end < n:
            b = data[end]
            if b == 0xFF:
                nxt = data[end + 1] if end + 1 < n else None
                if nxt == 0:
                    out.append(0xFF)
                    end += 2
                    continue
                if nxt is not None and 0xD0 <= nxt <= 0xD7:
                    marks.append(len(out))
                    end += 2
                    continue
                break
            out.append(b)
            end += 1
        self.buf = bytes(out)
        self.end = end
        self.marks = marks + [len(out)]
        self.mark = 0
        self.pos = 0
        self.acc = 0
        self.nbits = 0

    def _fill(self):
        self.acc &= (1 << self.nbits) - 1
        stop = self.marks[self.mark]
        while self.nbits <= 24:
            if self.pos < stop:
                self.acc = (self.acc << 8) | self.buf[self.pos]
                self.pos += 1
            else:
                self.acc <<= 8  # past the data or at a marker: libjpeg feeds zeros
            self.nbits += 8

    def bits(self, n):
        if n == 0:
            return 0
        if self.nbits < n:
            self._fill()
        self.nbits -= n
        return (self.acc >> self.nbits) & ((1 << n) - 1)

    def restart(self):
        self.acc = self.nbits = 0
        if self.mark < len(self.marks) - 1:
            self.pos = self.marks[self.mark]
            self.mark += 1


def _huff_lookup(counts, symbols):
    """16-bit peek tables (symbol, code length) of a DHT table (0 length: invalid code)."""
    sym, size = [0] * 65536, [0] * 65536
    code, k = 0, 0
    for length in range(1, 17):
        for _ in range(counts[length - 1]):
            lo = code << (16 - length)
            hi = lo + (1 << (16 - length))
            sym[lo:hi] = [symbols[k]] * (hi - lo)
            size[lo:hi] = [length] * (hi - lo)
            k += 1
            code += 1
        code <<= 1
    return sym, size


def _decode_symbol(reader, table):
    if reader.nbits < 16:
        reader._fill()
    peek = (reader.acc >> (reader.nbits - 16)) & 0xFFFF
    n = table[1][peek]
    if not n:
        raise CodecError("Corrupt JPEG data: bad Huffman code")
    reader.nbits -= n
    return table[0][peek]


def _extend(v, t):
    return v - (1 << t) + 1 if t and v < (1 << (t - 1)) else v


def parse(data):
    """Headers and quantised coefficients of a baseline/extended sequential JPEG."""
    if data[:2] != b"\xff\xd8":
        raise CodecError("Not a JPEG file")
    qt, ht, frame, restart = {}, {}, None, 0
    pos, n = 2, len(data)
    coefs = None
    while pos < n:
        if data[pos] != 0xFF:
            pos += 1
            continue
        marker = data[pos + 1] if pos + 1 < n else None
        if marker is None:
            break
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xD9:
            break
        if pos + 4 > n:
            raise CodecError("truncated")
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        seg = data[pos + 4 : pos + 2 + length]
        if pos + 2 + length > n:
            raise CodecError("truncated")
        if marker == 0xDB:
            i = 0
            while i < len(seg):
                pq, tq = seg[i] >> 4, seg[i] & 15
                if pq:
                    vals = struct.unpack(">64H", seg[i + 1 : i + 129])
                    i += 129
                else:
                    vals = seg[i + 1 : i + 65]
                    i += 65
                q = xp.zeros(64, _I64)
                q[ZIGZAG] = xp.asarray(list(vals), _I64)
                qt[tq] = q.reshape(8, 8)
        elif marker == 0xC4:
            i = 0
            while i < len(seg):
                tc, th = seg[i] >> 4, seg[i] & 15
                counts = list(seg[i + 1 : i + 17])
                total = sum(counts)
                ht[(tc, th)] = _huff_lookup(counts, list(seg[i + 17 : i + 17 + total]))
                i += 17 + total
        elif marker in (0xC0, 0xC1):
            _, h, w, nc = struct.unpack(">BHHB", seg[:6])
            comps = []
            for k in range(nc):
                cid, s, tq = seg[6 + 3 * k : 9 + 3 * k]
                comps.append({"id": cid, "h": s >> 4, "v": s & 15, "tq": tq})
            frame = {"h": h, "w": w, "comps": comps}
        elif marker == 0xC2:
            raise CodecError("progressive JPEG decoding is not supported by tensorlet")
        elif marker == 0xDD:
            restart = struct.unpack(">H", seg[:2])[0]
        elif marker == 0xDA:
            if frame is None:
                raise CodecError("SOS before SOF")
            ns = seg[0]
            sel = [(seg[1 + 2 * k], seg[2 + 2 * k] >> 4, seg[2 + 2 * k] & 15) for k in range(ns)]
            coefs, end = _decode_scan(data, pos + 2 + length, frame, sel, ht, restart)
            pos = end
            continue
        pos += 2 + length
    if frame is None or coefs is None:
        raise CodecError("truncated")
    return frame, qt, coefs


def _decode_scan(data, start, frame, sel, ht, restart):
    comps = frame["comps"]
    hmax = max(c["h"] for c in comps)
    vmax = max(c["v"] for c in comps)
    mcux = -(-frame["w"] // (8 * hmax))
    mcuy = -(-frame["h"] // (8 * vmax))
    by_id = {c["id"]: c for c in comps}
    scan = [(by_id[cid], ht[(0, td)], ht[(1, ta)]) for cid, td, ta in sel]
    single = len(scan) == 1
    coefs = {}
    for c in comps:
        if single:
            bw = _ceil_div(_ceil_div(frame["w"] * c["h"], hmax), 8)
            bh = _ceil_div(_ceil_div(frame["h"] * c["v"], vmax), 8)
        else:
            bw, bh = mcux * c["h"], mcuy * c["v"]
        coefs[c["id"]] = xp.zeros((bh, bw, 64), _I64)
    reader = _Bits(data, start)
    pred = {c["id"]: 0 for c, _, _ in scan}
    units = []
    if single:
        c = scan[0][0]
        arr = coefs[c["id"]]
        units = [
            [(c, scan[0][1], scan[0][2], by, bx)]
            for by in range(arr.shape[0])
            for bx in range(arr.shape[1])
        ]
    else:
        for my in range(mcuy):
            for mx in range(mcux):
                u = []
                for c, td, ta in scan:
                    for vy in range(c["v"]):
                        for hx in range(c["h"]):
                            u.append((c, td, ta, my * c["v"] + vy, mx * c["h"] + hx))
                units.append(u)
    for k, unit in enumerate(units):
        if restart and k and k % restart == 0:
            reader.restart()
            pred = {key: 0 for key in pred}
        for c, td, ta, by, bx in unit:
            blk = coefs[c["id"]][by, bx]
            t = _decode_symbol(reader, td)
            diff = _extend(reader.bits(t), t)
            pred[c["id"]] += diff
            blk[0] = pred[c["id"]]
            i = 1
            while i < 64:
                rs = _decode_symbol(reader, ta)
                r, s = rs >> 4, rs & 15
                if s == 0:
                    if r == 15:
                        i += 16
                        continue
                    break
                i += r
                if i > 63:
                    break
                blk[i] = _extend(reader.bits(s), s)
                i += 1
    for key, arr in coefs.items():
        nat = xp.zeros_like(arr)
        nat[..., ZIGZAG] = arr
        coefs[key] = nat
    return coefs, reader.end


def decode(data, channels=0, ratio=1, fancy_upscaling=True, dct_method="", crop=None):
    """(h, w, c) uint8 pixels, as TF's DecodeJpeg / DecodeAndCropJpeg compute them."""
    frame, qt, coefs = parse(data)
    comps = frame["comps"]
    nc = len(comps)
    method = "islow" if dct_method == "INTEGER_ACCURATE" else "ifast"
    hmax = max(c["h"] for c in comps)
    vmax = max(c["v"] for c in comps)
    scaled = 8 // ratio
    out_w = -(-frame["w"] // ratio)
    out_h = -(-frame["h"] // ratio)
    gray_out = channels == 1 or (channels == 0 and nc == 1)
    planes = []
    for ci, c in enumerate(comps):
        if gray_out and ci > 0:
            break
        size = scaled
        if scaled < 8:  # jdmaster: chroma may use a larger IDCT instead of upsampling
            while (
                size < 8
                and (hmax * scaled) % (c["h"] * size * 2) == 0
                and (vmax * scaled) % (c["v"] * size * 2) == 0
            ):
                size *= 2
        arr = coefs[c["id"]]
        bh, bw = arr.shape[:2]
        q = qt.get(c["tq"])
        if q is None:
            raise CodecError("Quantization table missing")
        px = idct_blocks(arr.reshape(-1, 8, 8), q, size, method)
        px = px.reshape(bh, bw, size, size).transpose(0, 2, 1, 3).reshape(bh * size, bw * size)
        hf = hmax * scaled // (c["h"] * size)
        vf = vmax * scaled // (c["v"] * size)
        planes.append((px, hf, vf))
    width, height, x0 = out_w, out_h, 0
    if crop is not None:
        cy, cx, ch, cw = crop
        imcu_w = (8 // ratio) * hmax if nc > 1 else 8 // ratio
        x0 = (cx // imcu_w) * imcu_w
        width = cx + cw - x0
    full = []
    for px, hf, vf in planes:
        if crop is not None:
            px = px[:, x0 // hf :]
        full.append(upsample(px, hf, vf, width, height, fancy_upscaling and True))
    if gray_out:
        out = full[0].astype(xp.uint8)[..., None]
        if channels == 3:
            out = xp.repeat(out, 3, -1)
    elif nc == 3:
        out = ycc_to_rgb(full[0], full[1], full[2])
        if channels == 1:
            out = out[..., :1]
    else:
        raise CodecError("Unsupported JPEG component count %d" % nc)
    if crop is not None:
        cy, cx, ch, cw = crop
        out = out[cy : cy + ch, cx - x0 : cx - x0 + cw]
    if channels == 4:
        raise CodecError("channels must be 0, 1, or 3 for JPEG")
    return xp.ascontiguousarray(out)


def shape(data):
    frame, _, _ = parse_header(data)
    return frame


def parse_header(data):
    """(height, width, components) from the SOF marker."""
    if data[:2] != b"\xff\xd8":
        raise CodecError("Not a JPEG file")
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            pos += 1
            continue
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            _, h, w, nc = struct.unpack(">BHHB", data[pos + 4 : pos + 10])
            return h, w, nc
        pos += 2 + length
    raise CodecError("truncated")
