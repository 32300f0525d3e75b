"""Sequential and progressive JPEG decoding in NumPy, bit-exact with the libjpeg-turbo code paths
TF uses.

Decoding: Huffman entropy decoding in Python (sequential scans as ``jdhuff.c``; progressive DC/AC
first and refinement scans, EOB runs and restart intervals as ``jdphuff.c``; data that runs out
leaves the rest of the segment zero, as libjpeg's ``insufficient_data``), libjpeg-turbo's block
smoothing for progressive files whose coefficients stay imprecise, then vectorised over all
blocks: dequantisation and libjpeg's integer IDCTs -- ``jidctfst.c`` (IFAST, TF's default
``dct_method=''``), ``jidctint.c`` (ISLOW = 'INTEGER_ACCURATE') and the reduced ``jidctred.c``
4x4 / 2x2 transforms for ``ratio`` 2 / 4 -- then chroma upsampling (``jdsample.c`` fancy h2v1 /
h2v2 triangle filters, or replication when ``fancy_upscaling=False`` as the merged upsampler
does) and ``jdcolor.c``'s fixed-point YCbCr -> RGB.

The encoder is in ``jpeg_encode.py``.
"""

import struct
from array import array

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


def _fancy_h1v2(x, width, height):
    """jdsample.c h1v2_fancy_upsample: each output row 3/4 nearer input row + 1/4 the other."""
    v = x[:height, :width].astype(_I64)
    above = xp.concatenate([v[:1], v[:-1]], 0)
    below = xp.concatenate([v[1:], v[-1:]], 0)
    out = xp.empty((2 * height, width), _I64)
    out[0::2] = (v * 3 + above + 1) >> 2
    out[1::2] = (v * 3 + below + 2) >> 2
    return out


def upsample(comp, hf, vf, width, height, fancy):
    """Component plane (rows, cols) at its own resolution -> full resolution.  ``fancy``:
    libjpeg's do_fancy (fancy_upscaling, and not at ratio 8, where it needs no context rows)."""
    dw = -(-width // hf)
    dh = -(-height // vf)
    if hf == 1 and vf == 1:
        return comp[:height, :width].astype(_I64)
    if fancy and dw > 2 and hf == 2 and vf == 1:
        return _fancy_h2v1(comp[:dh], dw)[:height, :width]
    if fancy and dw > 2 and hf == 2 and vf == 2:
        return _fancy_h2v2(comp, dw, dh)[:height, :width]
    if fancy and hf == 1 and vf == 2:
        return _fancy_h1v2(comp, dw, dh)[:height, :width]
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
#
# The entropy decoders run in Python over a list of 32-bit big-endian words, one per unstuffed
# byte of the scan (``win[i]`` = bytes i..i+3), so reading n bits at bit offset p is one list
# index and a shift.  Each restart segment is followed by zero bytes: libjpeg feeds zeros once it
# reaches a marker, and a block that needs bits past its segment's end marks the segment
# "insufficient" (libjpeg's ``insufficient_data``): the rest of the segment is left zero.
# Coefficients live in one flat ``array('i')`` per component, zigzag order, 64 per block.

_PAD = 64  # zero bytes after each restart segment
_PAD_LAST = 4096  # ... and after the scan's last one (a truncated scan is decoded from zeros)
_SOF_SEQ = (0xC0, 0xC1)
_SOF_PROG = 0xC2


class Truncated(CodecError):
    """The data ended before EOI: TF's DecodeJpeg fails unless ``try_recover_truncated``."""


def _segments(data, pos):
    """The entropy-coded data of one scan, from ``pos`` to the first non-RST marker.

    Returns ``(win, starts, ends, end, at_eof)``: the word list, the bit offsets of each restart
    segment's start and end in it, the offset in ``data`` of the marker that ends the scan, and
    whether the data ran out before such a marker.
    """
    n = len(data) - pos
    a = xp.frombuffer(data, xp.uint8, offset=pos) if n > 0 else xp.zeros(0, xp.uint8)
    n = len(a)
    ff = xp.flatnonzero(a[:-1] == 0xFF) if n > 1 else xp.zeros(0, _I64)
    nxt = a[ff + 1]
    rst = (nxt >= 0xD0) & (nxt <= 0xD7)
    is_marker = (nxt != 0) & (nxt != 0xFF) & ~rst
    if is_marker.any():
        e = int(ff[xp.argmax(is_marker)])
        at_eof = False
    else:
        e = n - 1 if n and a[-1] == 0xFF else n  # a dangling 0xFF: the marker after it is lost
        at_eof = True
    inside = ff < e
    ff, nxt, rst = ff[inside], nxt[inside], rst[inside]
    keep = xp.ones(e, bool)
    keep[ff[nxt == 0] + 1] = False  # FF 00: a stuffed FF
    keep[ff[nxt == 0xFF]] = False  # FF FF: fill byte
    keep[ff[rst]] = False
    keep[ff[rst] + 1] = False
    kept = a[:e][keep]
    cuts = xp.cumsum(keep)[ff[rst]] if rst.any() else xp.zeros(0, _I64)  # kept bytes before RSTs
    nseg = len(cuts) + 1
    m = len(kept)
    seg_of = xp.searchsorted(cuts, xp.arange(m), side="right")
    buf = xp.zeros(m + (nseg - 1) * _PAD + _PAD_LAST + 3, xp.uint32)
    buf[xp.arange(m) + seg_of * _PAD] = kept
    win = (buf[:-3] << 24) | (buf[1:-2] << 16) | (buf[2:-1] << 8) | buf[3:]
    bounds = [0] + [int(c) for c in cuts] + [m]
    starts = [(bounds[k] + k * _PAD) * 8 for k in range(nseg)]
    ends = [(bounds[k + 1] + k * _PAD) * 8 for k in range(nseg)]
    return win.tolist(), starts, ends, pos + e, at_eof


def _huff_table(counts, symbols, is_dc):
    """65536-entry peek table: ``(code length << 8) | symbol`` for every 16-bit lookahead.

    A lookahead that starts no code decodes as libjpeg's bad code: 17 bits, symbol 0.
    """
    if sum(counts) > 256 or len(symbols) < sum(counts):
        raise CodecError("Bogus Huffman table definition")
    if is_dc and any(s > 15 for s in symbols[: sum(counts)]):
        raise CodecError("Bogus Huffman table definition")
    look = xp.full(65536, 17 << 8, _I64)
    code, k = 0, 0
    for length in range(1, 17):
        cnt = counts[length - 1]
        if cnt:
            if code + cnt > (1 << length):
                raise CodecError("Bogus Huffman table definition")
            span = 1 << (16 - length)
            vals = (length << 8) | xp.asarray(symbols[k : k + cnt], _I64)
            look[code * span : (code + cnt) * span] = xp.repeat(vals, span)
            k += cnt
        code = (code + cnt) << 1
    return look.tolist()


def _std_table(tc, th):
    from tensorlet.image_ops import jpeg_encode as JE  # the Annex K tables (libjpeg's defaults)

    spec = [[JE._DC_LUMA, JE._DC_CHROMA], [JE._AC_LUMA, JE._AC_CHROMA]][tc][th]
    return _huff_table(spec[0], spec[1], tc == 0)


# ---- one restart interval of each scan kind.  All return (bit position, n): n > 0 when the
# n-th unit needed bits past the segment (the rest of the interval stays zero), else 0.


def _seq_interval(win, pos, limit, units, cfs, dls, als):
    """Sequential Huffman (jdhuff.c): DC difference + AC run/size codes per block."""
    pred = [0, 0, 0, 0]
    for j, unit in enumerate(units):
        for slot, base in unit:
            cf = cfs[slot]
            v = dls[slot][(win[pos >> 3] >> (16 - (pos & 7))) & 0xFFFF]
            pos += v >> 8
            t = v & 255
            if t:
                x = (win[pos >> 3] >> (32 - (pos & 7) - t)) & ((1 << t) - 1)
                pos += t
                if x < (1 << (t - 1)):
                    x -= (1 << t) - 1
                pred[slot] += x
            cf[base] = pred[slot]
            al = als[slot]
            k = 1
            while k < 64:
                v = al[(win[pos >> 3] >> (16 - (pos & 7))) & 0xFFFF]
                pos += v >> 8
                s = v & 15
                if s:
                    k += (v >> 4) & 15
                    x = (win[pos >> 3] >> (32 - (pos & 7) - s)) & ((1 << s) - 1)
                    pos += s
                    if x < (1 << (s - 1)):
                        x -= (1 << s) - 1
                    cf[base + (k if k < 64 else 63)] = x
                    k += 1
                elif v & 0xF0 == 0xF0:
                    k += 16
                else:
                    break
        if pos > limit:
            return pos, j + 1
    return pos, 0


def _dc_first_interval(win, pos, limit, units, cfs, dls, al):
    """Progressive DC first pass (jdphuff.c decode_mcu_DC_first)."""
    pred = [0, 0, 0, 0]
    for j, unit in enumerate(units):
        for slot, base in unit:
            v = dls[slot][(win[pos >> 3] >> (16 - (pos & 7))) & 0xFFFF]
            pos += v >> 8
            t = v & 255
            if t:
                x = (win[pos >> 3] >> (32 - (pos & 7) - t)) & ((1 << t) - 1)
                pos += t
                if x < (1 << (t - 1)):
                    x -= (1 << t) - 1
                pred[slot] += x
            cfs[slot][base] = pred[slot] << al
        if pos > limit:
            return pos, j + 1
    return pos, 0


def _dc_refine_interval(win, pos, limit, units, cfs, al):
    """Progressive DC refinement: one raw bit per block."""
    p1 = 1 << al
    for j, unit in enumerate(units):
        for slot, base in unit:
            if (win[pos >> 3] >> (31 - (pos & 7))) & 1:
                cfs[slot][base] |= p1
            pos += 1
        if pos > limit:
            return pos, j + 1
    return pos, 0


def _ac_first_interval(win, pos, limit, bases, cf, look, ss, se, al):
    """Progressive AC first pass over one component's blocks (decode_mcu_AC_first)."""
    eobrun = 0
    for j, base in enumerate(bases):
        if eobrun:
            eobrun -= 1
            continue
        k = ss
        while k <= se:
            v = look[(win[pos >> 3] >> (16 - (pos & 7))) & 0xFFFF]
            pos += v >> 8
            s = v & 15
            r = (v >> 4) & 15
            if s:
                k += r
                x = (win[pos >> 3] >> (32 - (pos & 7) - s)) & ((1 << s) - 1)
                pos += s
                if x < (1 << (s - 1)):
                    x -= (1 << s) - 1
                cf[base + (k if k < 64 else 63)] = x << al
                k += 1
            elif r == 15:
                k += 16
            else:
                eobrun = 1 << r
                if r:
                    eobrun += (win[pos >> 3] >> (32 - (pos & 7) - r)) & ((1 << r) - 1)
                    pos += r
                eobrun -= 1
                break
        if pos > limit:
            return pos, j + 1
    return pos, 0


def _ac_refine_interval(win, pos, limit, bases, cf, look, ss, se, al):
    """Progressive AC refinement (decode_mcu_AC_refine): correction bits for the coefficients
    already nonzero, new +-1 << Al coefficients at the coded zero-run positions, EOB runs."""
    p1 = 1 << al
    m1 = -1 << al
    eobrun = 0
    for j, base in enumerate(bases):
        k = ss
        if not eobrun:
            while k <= se:
                v = look[(win[pos >> 3] >> (16 - (pos & 7))) & 0xFFFF]
                pos += v >> 8
                s = v & 15
                r = (v >> 4) & 15
                if s:  # the size should be 1 (libjpeg only warns otherwise)
                    s = p1 if (win[pos >> 3] >> (31 - (pos & 7))) & 1 else m1
                    pos += 1
                elif r != 15:
                    eobrun = 1 << r
                    if r:
                        eobrun += (win[pos >> 3] >> (32 - (pos & 7) - r)) & ((1 << r) - 1)
                        pos += r
                    break
                while k <= se:
                    c = cf[base + k]
                    if c:
                        if (win[pos >> 3] >> (31 - (pos & 7))) & 1 and not c & p1:
                            cf[base + k] = c + (p1 if c >= 0 else m1)
                        pos += 1
                    else:
                        r -= 1
                        if r < 0:
                            break
                    k += 1
                if s:
                    cf[base + (k if k < 64 else 63)] = s
                k += 1
        if eobrun:
            if any(cf[base + k : base + se + 1]):
                while k <= se:
                    c = cf[base + k]
                    if c:
                        if (win[pos >> 3] >> (31 - (pos & 7))) & 1 and not c & p1:
                            cf[base + k] = c + (p1 if c >= 0 else m1)
                        pos += 1
                    k += 1
            eobrun -= 1
        if pos > limit:
            return pos, j + 1
    return pos, 0


# ---- frame / scan parsing


class _Frame:
    """SOF parameters plus the coefficient store that the scans fill in."""

    def __init__(self, seg, progressive):
        precision, h, w, nc = struct.unpack(">BHHB", seg[:6])
        if precision != 8:
            raise CodecError(f"Unsupported JPEG data precision {precision}")
        if h == 0 or w == 0 or nc == 0 or len(seg) < 6 + 3 * nc:
            raise CodecError("Empty JPEG image (DNL not supported)")
        self.h, self.w, self.progressive = h, w, progressive
        self.comps = []
        for k in range(nc):
            cid, s, tq = seg[6 + 3 * k : 9 + 3 * k]
            if not (1 <= s >> 4 <= 4 and 1 <= s & 15 <= 4):
                raise CodecError("Bogus sampling factors")
            self.comps.append({"id": cid, "h": s >> 4, "v": s & 15, "tq": tq, "index": k})
        self.hmax = max(c["h"] for c in self.comps)
        self.vmax = max(c["v"] for c in self.comps)
        self.mcux = _ceil_div(w, 8 * self.hmax)
        self.mcuy = _ceil_div(h, 8 * self.vmax)
        for c in self.comps:
            c["bw"] = _ceil_div(_ceil_div(w * c["h"], self.hmax), 8)  # blocks holding pixels
            c["bh"] = _ceil_div(_ceil_div(h * c["v"], self.vmax), 8)
            c["pw"] = max(self.mcux * c["h"], c["bw"])  # allocated (MCU-padded) blocks
            c["ph"] = max(self.mcuy * c["v"], c["bh"])
            c["coef"] = array("i", bytes(4 * 64 * c["pw"] * c["ph"]))
            c["q"] = None  # latched at the component's first scan
            c["bits"] = [-1] * 64  # libjpeg's coef_bits: Al still missing per coefficient
            c["prev_bits"] = [-1] * 64
        self.scans = 0
        self.last_good = 0

    def units(self, comps):
        """Block offsets of the scan's MCUs: one block each for a single component, else
        the interleaved MCU layout (component by component, h x v blocks each)."""
        if len(comps) == 1:
            c = comps[0]
            rows = xp.arange(c["bh"])[:, None] * c["pw"] + xp.arange(c["bw"])[None, :]
            return None, (rows.reshape(-1) * 64).tolist()
        offs, slots = [], []
        for slot, c in enumerate(comps):
            vy, hx = xp.meshgrid(xp.arange(c["v"]), xp.arange(c["h"]), indexing="ij")
            my, mx = xp.meshgrid(xp.arange(self.mcuy), xp.arange(self.mcux), indexing="ij")
            by = my[..., None] * c["v"] + vy.reshape(-1)
            bx = mx[..., None] * c["h"] + hx.reshape(-1)
            offs.append((by * c["pw"] + bx) * 64)
            slots += [slot] * (c["h"] * c["v"])
        offs = xp.concatenate(offs, -1).reshape(self.mcuy * self.mcux, -1).tolist()
        return slots, [tuple(zip(slots, row)) for row in offs]

    def coefficients(self):
        """Per component id: (rows, cols, 64) int64 blocks in natural order (JCOEF = int16)."""
        out = {}
        for c in self.comps:
            z = xp.frombuffer(c["coef"], xp.int32).astype(xp.int16).astype(_I64)
            z = z.reshape(c["ph"], c["pw"], 64)
            nat = xp.zeros_like(z)
            nat[..., ZIGZAG] = z
            out[c["id"]] = nat
        return out


def _scan(data, start, frame, sel, spectral, qt, ht, restart, recover):
    """Decodes one scan into ``frame``'s coefficients; returns the offset after its data."""
    by_id = {c["id"]: c for c in frame.comps}
    ns = len(sel)
    if not 1 <= ns <= 4 or any(cid not in by_id for cid, _, _ in sel):
        raise CodecError("Bogus SOS: unknown component")
    comps = [by_id[cid] for cid, _, _ in sel]
    ss, se, ah, al = spectral
    if ns > 1 and sum(c["h"] * c["v"] for c in comps) > 10:
        raise CodecError("Sampling factors too large for interleaved scan")
    for c in comps:  # libjpeg latches each component's quantisation table at its first scan
        if c["q"] is None:
            if c["tq"] not in qt:
                raise CodecError(f"Quantization table 0x{c['tq']:02x} was not defined")
            c["q"] = qt[c["tq"]]
    frame.scans += 1

    def table(tc, th):
        if (tc, th) not in ht:
            if th > 1 or frame.progressive:
                raise CodecError(f"Huffman table 0x{th:02x} was not defined")
            ht[(tc, th)] = _std_table(tc, th)  # libjpeg-turbo's default (Motion-JPEG) tables
        return ht[(tc, th)]

    if frame.progressive:
        bad = se != 0 if ss == 0 else (ss > se or se > 63 or ns != 1)
        if bad or (ah and al != ah - 1) or al > 13:
            raise CodecError(f"Invalid progressive parameters Ss={ss} Se={se} Ah={ah} Al={al}")
        for c in comps:
            for k in range(min(ss, 1), max(se, 9) + 1):
                c["prev_bits"][k] = c["bits"][k] if frame.scans > 1 else 0
            for k in range(ss, se + 1):
                c["bits"][k] = al
    else:
        ss, se, ah, al = 0, 63, 0, 0
    win, starts, ends, end, at_eof = _segments(data, start)
    if at_eof and not recover:
        raise Truncated("Premature end of JPEG file")
    cfs = [c["coef"] for c in comps]
    slots, units = frame.units(comps)
    if slots is None:  # one component: an MCU is one block
        bases = units
        units = [((0, b),) for b in bases] if not (frame.progressive and ss) else None
    if frame.progressive and ss:
        look = table(1, sel[0][2])
        fn = _ac_refine_interval if ah else _ac_first_interval
        run = lambda p, lim, chunk: fn(win, p, lim, chunk, cfs[0], look, ss, se, al)
        items = bases
    elif frame.progressive and ah:
        run = lambda p, lim, chunk: _dc_refine_interval(win, p, lim, chunk, cfs, al)
        items = units
    elif frame.progressive:
        dls = [table(0, td) for _, td, _ in sel]
        run = lambda p, lim, chunk: _dc_first_interval(win, p, lim, chunk, cfs, dls, al)
        items = units
    else:
        dls = [table(0, td) for _, td, _ in sel]
        als = [table(1, ta) for _, _, ta in sel]
        run = lambda p, lim, chunk: _seq_interval(win, p, lim, chunk, cfs, dls, als)
        items = units
    step = restart or len(items) or 1
    pos, limit, short, good = starts[0], ends[0], False, 0
    for i in range(0, len(items), step):
        seg = i // step
        if seg:
            if seg < len(starts):
                pos, limit, short = starts[seg], ends[seg], False
            else:  # no RST marker left: libjpeg keeps reading zeros at the marker it stopped at
                pos = limit
        if short:
            continue
        chunk = items[i : i + step]
        pos, n = run(pos, limit, chunk)
        short = n > 0
        good = i + (n or len(chunk)) - 1
    # libjpeg's last_good_iMCU_row: the iMCU row of the last unit decoded with data left
    if slots is None:
        c = comps[0]
        frame.last_good = good // c["bw"] // c["v"] if c["bw"] else 0
    else:
        frame.last_good = good // frame.mcux
    return end, at_eof


def parse(data, recover=False):
    """Headers and quantised coefficients of a sequential or progressive Huffman JPEG.

    Returns ``(frame, coefficients by component id)``.  Data that ends before EOI raises
    :class:`Truncated` unless ``recover`` (TF's ``try_recover_truncated``), which, as TF's
    memory source does, ends the data with a fake EOI marker.
    """
    if data[:2] != b"\xff\xd8":
        raise CodecError("Not a JPEG file")
    qt, ht, frame, restart = {}, {}, None, 0
    pos, n = 2, len(data)
    while True:
        while pos < n and data[pos] != 0xFF:  # libjpeg skips (and warns about) garbage
            pos += 1
        while pos < n and data[pos] == 0xFF:
            pos += 1
        if pos >= n:
            if not recover or frame is None or not frame.scans:
                raise Truncated("Premature end of JPEG file")
            break  # the fake EOI
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            break
        if 0xD0 <= marker <= 0xD8 or marker == 0x01:
            if marker == 0xD8:
                raise CodecError("Invalid JPEG file structure: two SOI markers")
            continue
        if pos + 2 > n:
            if not recover or frame is None or not frame.scans:
                raise Truncated("Premature end of JPEG file")
            break
        length = struct.unpack(">H", data[pos : pos + 2])[0]
        if length < 2:
            raise CodecError("Bogus marker length")
        if pos + length > n:
            skipped = 0xE0 <= marker <= 0xEF or marker == 0xFE  # APPn/COM bodies are skipped
            if recover and skipped and frame is not None and frame.scans:
                break
            raise Truncated("Premature end of JPEG file")
        seg = data[pos + 2 : pos + length]
        pos += length
        if marker == 0xDB:
            i = 0
            while i < len(seg):
                pq, tq = seg[i] >> 4, seg[i] & 15
                size = 128 if pq else 64
                if i + 1 + size > len(seg) or tq > 3:
                    raise CodecError("Bogus DQT marker")
                raw = seg[i + 1 : i + 1 + size]
                vals = struct.unpack(">64H", raw) if pq else list(raw)
                q = xp.zeros(64, _I64)
                q[ZIGZAG] = xp.asarray(vals, _I64)
                qt[tq] = q.reshape(8, 8)
                i += 1 + size
        elif marker == 0xC4:
            i = 0
            while i < len(seg):
                tc, th = seg[i] >> 4, seg[i] & 15
                counts = list(seg[i + 1 : i + 17])
                total = sum(counts)
                if tc > 1 or th > 3 or len(counts) < 16 or i + 17 + total > len(seg):
                    raise CodecError("Bogus DHT marker")
                ht[(tc, th)] = _huff_table(counts, list(seg[i + 17 : i + 17 + total]), tc == 0)
                i += 17 + total
        elif marker in _SOF_SEQ or marker == _SOF_PROG:
            if frame is not None:
                raise CodecError("Invalid JPEG file structure: two SOF markers")
            frame = _Frame(seg, marker == _SOF_PROG)
        elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            raise CodecError(f"Unsupported JPEG process: SOF type 0x{marker:02x}")
        elif marker == 0xDD:
            restart = struct.unpack(">H", seg[:2])[0]
        elif marker == 0xDA:
            if frame is None:
                raise CodecError("Invalid JPEG file structure: SOS before SOF")
            ns = seg[0] if seg else 0
            if len(seg) < 4 + 2 * ns:
                raise CodecError("Bogus SOS marker length")
            sel = [(seg[1 + 2 * k], seg[2 + 2 * k] >> 4, seg[2 + 2 * k] & 15) for k in range(ns)]
            tail = seg[1 + 2 * ns : 4 + 2 * ns]
            spectral = (tail[0], tail[1], tail[2] >> 4, tail[2] & 15)
            pos, at_eof = _scan(data, pos, frame, sel, spectral, qt, ht, restart, recover)
            if at_eof:
                break
    if frame is None or not frame.scans:
        raise CodecError("Invalid JPEG file structure: missing SOS marker")
    return frame, frame.coefficients()


# ---------------------------------------------------------------- progressive block smoothing
#
# jdcoefct.c decompress_smooth_data (libjpeg-turbo >= 2.1): when a progressive file leaves some
# of the first nine AC coefficients imprecise (missing scans, a truncated file), each zero
# estimate among them is predicted from the DC values of the 5x5 neighbouring blocks; when no AC
# data arrived at all, the DC is interpolated too.  Kernels over the DC window rows (-2..2) x
# columns (-2..2), by zigzag index; the first set is used while some AC data exists.  Row and
# column neighbours follow libjpeg-turbo 3.1 (Pillow's; earlier releases picked a few edge rows
# differently): columns clamp to the component's blocks (and a crop window's first column), rows
# to the iMCU-padded rows, except in a partial last iMCU row.

_SMOOTH_POS = (0, 1, 8, 16, 9, 2, 3, 10, 17, 24)  # natural positions of zigzag 0..9


def _k(*rows):
    return xp.asarray(rows, _I64)


_SMOOTH_AC = {
    1: _k([0] * 5, [0] * 5, [-7, 50, 0, -50, 7], [0] * 5, [0] * 5),
    2: _k([0, 0, -7, 0, 0], [0, 0, 50, 0, 0], [0] * 5, [0, 0, -50, 0, 0], [0, 0, 7, 0, 0]),
    3: _k(
        [0, 0, -1, 0, 0], [0, 0, 13, 0, 0], [0, 0, -24, 0, 0], [0, 0, 13, 0, 0], [0, 0, -1, 0, 0]
    ),
    4: _k([0, -1, 0, 1, 0], [-1, 10, 0, -10, 1], [0] * 5, [1, -10, 0, 10, -1], [0, 1, 0, -1, 0]),
    5: _k([0] * 5, [0] * 5, [-1, 13, -24, 13, -1], [0] * 5, [0] * 5),
}
_SMOOTH_DC_ONLY = {
    1: _k(
        [-1, -1, 0, 1, 1],
        [-3, 13, 0, -13, 3],
        [-3, 38, 0, -38, 3],
        [-3, 13, 0, -13, 3],
        [-1, -1, 0, 1, 1],
    ),
    2: _k(
        [-1, -3, -3, -3, -1], [-1, 13, 38, 13, -1], [0] * 5, [1, -13, -38, -13, 1], [1, 3, 3, 3, 1]
    ),
    3: _k([0, 0, 1, 0, 0], [0, 2, 7, 2, 0], [0, -5, -14, -5, 0], [0, 2, 7, 2, 0], [0, 0, 1, 0, 0]),
    4: _k([-1, 0, 0, 0, 1], [0, 9, 0, -9, 0], [0] * 5, [0, -9, 0, 9, 0], [1, 0, 0, 0, -1]),
    5: _k([0] * 5, [0, 2, -5, 2, 0], [1, 7, -14, 7, 1], [0, 2, -5, 2, 0], [0] * 5),
    6: _k([0] * 5, [0, 1, 0, -1, 0], [0, 2, 0, -2, 0], [0, 1, 0, -1, 0], [0] * 5),
    7: _k([0] * 5, [0, 1, -3, 1, 0], [0] * 5, [0, -1, 3, -1, 0], [0] * 5),
    8: _k([0] * 5, [0, 1, 0, -1, 0], [0, -3, 0, 3, 0], [0, 1, 0, -1, 0], [0] * 5),
    9: _k([0] * 5, [0, 1, 2, 1, 0], [0] * 5, [0, -1, -2, -1, 0], [0] * 5),
    0: _k(
        [-2, -6, -8, -6, -2],
        [-6, 6, 42, 6, -6],
        [-8, 42, 152, 42, -8],
        [-6, 6, 42, 6, -6],
        [-2, -6, -8, -6, -2],
    ),
}


def _smooth_pred(num, q, al):
    """libjpeg's rounding of a coefficient estimate, capped below 1 << Al when Al > 0."""
    mag = ((q << 7) + xp.abs(num)) // (q << 8)
    if al > 0:
        mag = xp.minimum(mag, (1 << al) - 1)
    return xp.where(num >= 0, mag, -mag)


def block_smoothing(frame, coefs, first_cols=None):
    """Applies libjpeg's progressive block smoothing to ``coefs`` (natural order) in place."""
    comps = frame.comps
    for c in comps:  # smoothing_ok()
        q = c["q"]
        if q is None or c["bits"][0] < 0 or (q.reshape(-1)[list(_SMOOTH_POS)] == 0).any():
            return
    if not any(b != 0 for c in comps for b in c["bits"][1:10]):
        return
    last = frame.mcuy - 1
    for ci, c in enumerate(comps):
        arr = coefs[c["id"]]
        hb, wb, v = c["bh"], c["bw"], c["v"]
        r = xp.arange(hb)
        imcu = r // v
        # decompress_smooth_data's row window: image_block_row / image_block_rows are counted
        # with the iMCU row's block-row count, which is smaller in a partial last iMCU row
        brows = xp.where(imcu < last, v, hb % v or v)
        ibr, ibrs = imcu * brows + r % v, brows * (last + 1)
        rp = xp.where(ibr > 0, r - 1, r)
        rpp = xp.where(ibr > 1, r - 2, rp)
        rn = xp.where(ibr < ibrs - 1, r + 1, r)
        rnn = xp.where(ibr < ibrs - 2, r + 2, rn)
        first = first_cols[ci] if first_cols else 0
        cols = [xp.clip(xp.arange(wb) + d, first, wb - 1) for d in (-2, -1, 0, 1, 2)]
        dc = arr[:, :, 0].copy()
        win = xp.stack([xp.stack([dc[rr][:, cc] for cc in cols]) for rr in (rpp, rp, r, rn, rnn)])
        q = c["q"].reshape(-1)
        prev = [-1] * 10 if frame.scans <= 1 else c["prev_bits"][:10]
        use_prev = (imcu > frame.last_good)[:, None]
        for bits, rows in ((c["bits"][:10], ~use_prev), (prev, use_prev)):
            if not rows.any():
                continue
            dc_only = all(b == -1 for b in bits[1:10])
            kernels = _SMOOTH_DC_ONLY if dc_only else _SMOOTH_AC
            for zz, kern in kernels.items():
                pos = _SMOOTH_POS[zz]
                block = arr[:hb, :wb, pos]
                if zz == 0:
                    num = int(q[0]) * xp.einsum("ij,ij...->...", kern, win)
                    arr[:hb, :wb, 0] = xp.where(rows, _smooth_pred(num, int(q[0]), 0), block)
                    continue
                al = bits[zz]
                if al == 0:
                    continue
                num = int(q[0]) * xp.einsum("ij,ij...->...", kern, win)
                pred = _smooth_pred(num, int(q[pos]), al)
                arr[:hb, :wb, pos] = xp.where(rows & (block == 0), pred, block)


def decode(
    data, channels=0, ratio=1, fancy_upscaling=True, dct_method="", crop=None, recover=False
):
    """(h, w, c) uint8 pixels, as TF's DecodeJpeg / DecodeAndCropJpeg compute them."""
    frame, coefs = parse(data, recover)
    comps = frame.comps
    nc = len(comps)
    method = "islow" if dct_method == "INTEGER_ACCURATE" else "ifast"
    hmax = max(c["h"] for c in comps)
    vmax = max(c["v"] for c in comps)
    scaled = 8 // ratio
    out_w = -(-frame.w // ratio)
    out_h = -(-frame.h // ratio)
    gray_out = channels == 1 or nc == 1  # a grey JPEG decoded to RGB repeats Y (jdcolor.c)
    width, height, x0 = out_w, out_h, 0
    imcu_w = scaled * hmax if nc > 1 else scaled
    if crop is not None:  # jpeg_crop_scanline: the window starts on an iMCU column
        cy, cx, ch, cw = crop
        x0 = (cx // imcu_w) * imcu_w
        width = cx + cw - x0
    if frame.progressive:
        block_smoothing(frame, coefs, [x0 // imcu_w * c["h"] for c in comps])
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
        q = c["q"]
        if q is None:  # a component no scan carried: libjpeg decodes it as all-zero blocks
            q = xp.ones((8, 8), _I64)
        px = idct_blocks(arr.reshape(-1, 8, 8), q, size, method)
        px = px.reshape(bh, bw, size, size).transpose(0, 2, 1, 3).reshape(bh * size, bw * size)
        hf = hmax * scaled // (c["h"] * size)
        vf = vmax * scaled // (c["v"] * size)
        planes.append((px, hf, vf))
    full = []
    for px, hf, vf in planes:
        if crop is not None:
            px = px[:, x0 // hf :]
        full.append(upsample(px, hf, vf, width, height, fancy_upscaling and scaled > 1))
    if gray_out:
        out = full[0].astype(xp.uint8)[..., None]
        if channels == 3:
            out = xp.repeat(out, 3, -1)
    elif nc == 3:
        out = ycc_to_rgb(full[0], full[1], full[2])
        if channels == 1:
            out = out[..., :1]
    else:
        raise CodecError(f"Unsupported JPEG component count {nc}")
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
