"""JPEG encoding in NumPy, byte-for-byte as libjpeg-turbo does it for TF's EncodeJpeg:
``jccolor.c`` fixed-point RGB -> YCbCr, ``jcsample.c`` 2x2 downsampling (alternating bias),
``jfdctint.c`` ISLOW forward DCT, ``jcdctmgr.c`` reciprocal quantisation, ``jchuff.c`` with the
standard (Annex K) Huffman tables or (``optimize_size``) ``jpeg_gen_optimal_table``'s, ``jcphuff.c``
for ``jpeg_simple_progression``'s scans (``progressive``), and TF's JFIF header (300 dpi).
"""

import heapq
import struct

from tensorlet.backend import xp
from tensorlet.image_ops.jpeg import _I64, ZIGZAG, _ceil_div, _fix

# ---------------------------------------------------------------- encoder

# fmt: off
_STD_LUMA_Q = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
               14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
               18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
               49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99]
_STD_CHROMA_Q = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
                 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99] + [99] * 32


def _ac_values(head):
    rest = sorted(({(r << 4) | s for r in range(16) for s in range(1, 11)} | {0, 0xF0})
                  - set(head))
    return head + rest


_DC_LUMA = ([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], list(range(12)))
_DC_CHROMA = ([0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], list(range(12)))
_AC_LUMA = ([0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D], _ac_values([
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61,
    0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52,
    0xD1, 0xF0, 0x24, 0x33, 0x62, 0x72, 0x82]))
_AC_CHROMA = ([0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77], _ac_values([
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61,
    0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33,
    0x52, 0xF0, 0x15, 0x62, 0x72, 0xD1, 0x0A, 0x16, 0x24, 0x34, 0xE1, 0x25, 0xF1]))
# fmt: on


def _codes(spec):
    counts, vals = spec
    table, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(counts[length - 1]):
            table[vals[k]] = (code, length)
            k += 1
            code += 1
        code <<= 1
    return table


def _quant_table(base, quality):
    quality = min(max(int(quality), 1), 100)
    scale = 5000 // quality if quality < 50 else 200 - quality * 2
    q = (xp.asarray(base, _I64) * scale + 50) // 100
    return xp.clip(q, 1, 255).reshape(8, 8)


def _fdct_pass(d, shift_even, shift_odd):
    d0, d1, d2, d3, d4, d5, d6, d7 = (d[..., i] for i in range(8))
    t0, t7, t1, t6 = d0 + d7, d0 - d7, d1 + d6, d1 - d6
    t2, t5, t3, t4 = d2 + d5, d2 - d5, d3 + d4, d3 - d4
    t10, t13, t11, t12 = t0 + t3, t0 - t3, t1 + t2, t1 - t2

    def desc(v, n):
        return (v + (1 << (n - 1))) >> n if n > 0 else v << -n

    o = [None] * 8
    o[0] = desc(t10 + t11, shift_even)
    o[4] = desc(t10 - t11, shift_even)
    z1 = (t12 + t13) * 4433
    o[2] = desc(z1 + t13 * 6270, shift_odd)
    o[6] = desc(z1 + t12 * -15137, shift_odd)
    z1, z2, z3, z4 = t4 + t7, t5 + t6, t4 + t6, t5 + t7
    z5 = (z3 + z4) * 9633
    t4, t5, t6, t7 = t4 * 2446, t5 * 16819, t6 * 25172, t7 * 12299
    z1, z2, z3, z4 = z1 * -7373, z2 * -20995, z3 * -16069 + z5, z4 * -3196 + z5
    o[7] = desc(t4 + z1 + z3, shift_odd)
    o[5] = desc(t5 + z2 + z4, shift_odd)
    o[3] = desc(t6 + z2 + z3, shift_odd)
    o[1] = desc(t7 + z1 + z4, shift_odd)
    return xp.stack(o, -1)


def _fdct(blocks):
    d = blocks.astype(_I64) - 128
    d = _fdct_pass(d, -2, 11)  # rows: << PASS1_BITS, DESCALE by CONST_BITS - PASS1_BITS
    return _fdct_pass(d.transpose(0, 2, 1), 2, 15).transpose(0, 2, 1)


def _quantize(coef, q):
    """libjpeg-turbo's reciprocal quantisation (16-bit DCTELEM), divisor = q * 8."""
    div = (q * 8).astype(_I64)
    b = xp.floor(xp.log2(div)).astype(_I64)
    r = 16 + b
    one = xp.left_shift(_I64(1), r)
    fq, fr = one // div, one % div
    c = div // 2
    pow2 = fr == 0
    fq = xp.where(pow2, fq >> 1, fq)
    r = xp.where(pow2, r - 1, r)
    c = xp.where(~pow2 & (fr <= div // 2), c + 1, c)
    fq = xp.where(~pow2 & (fr > div // 2), fq + 1, fq)
    shift = r - 16
    ones = div == 1
    mag = ((xp.abs(coef) + c) * fq) >> (shift + 16)
    mag = xp.where(ones, xp.abs(coef), mag)
    return xp.where(coef < 0, -mag, mag)


def _rgb_to_ycc(rgb):
    x = rgb.astype(_I64)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    half = 1 << 15
    y = (_fix(0.299) * r + _fix(0.587) * g + _fix(0.114) * b + half) >> 16
    cb = (-_fix(0.16874) * r - _fix(0.33126) * g + _fix(0.5) * b + (128 << 16) + half - 1) >> 16
    cr = (_fix(0.5) * r - _fix(0.41869) * g - _fix(0.08131) * b + (128 << 16) + half - 1) >> 16
    return [y, cb, cr]


def _pad_plane(p, h, w):
    p = xp.concatenate([p, xp.repeat(p[:, -1:], w - p.shape[1], 1)], 1) if w > p.shape[1] else p
    return xp.concatenate([p, xp.repeat(p[-1:], h - p.shape[0], 0)], 0) if h > p.shape[0] else p


class _BitWriter:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, code, length):
        self.acc = (self.acc << length) | code
        self.n += length
        while self.n >= 8:
            self.n -= 8
            byte = (self.acc >> self.n) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0)
        self.acc &= (1 << self.n) - 1

    def flush(self):
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)


def _category(v):
    return int(abs(int(v))).bit_length()


def _encode_block(w, blk, prev_dc, dc_tab, ac_tab):
    diff = int(blk[0]) - prev_dc
    t = _category(diff)
    w.put(*dc_tab[t])
    if t:
        w.put(diff if diff >= 0 else diff + (1 << t) - 1, t)
    run = 0
    zz = blk[ZIGZAG]
    nz = xp.nonzero(zz[1:])[0]
    last = int(nz[-1]) + 1 if len(nz) else 0
    for k in range(1, last + 1):
        v = int(zz[k])
        if v == 0:
            run += 1
            continue
        while run > 15:
            w.put(*ac_tab[0xF0])
            run -= 16
        s = _category(v)
        w.put(*ac_tab[(run << 4) | s])
        w.put(v if v >= 0 else v + (1 << s) - 1, s)
        run = 0
    if last < 63:
        w.put(*ac_tab[0x00])
    return int(blk[0])


def _marker(m, body):
    return b"\xff" + bytes([m]) + struct.pack(">H", len(body) + 2) + body


def _dht(tc, th, spec):
    return _marker(0xC4, bytes([(tc << 4) | th]) + bytes(spec[0]) + bytes(spec[1]))


def encode(
    image,
    quality=95,
    chroma_downsampling=True,
    density_unit=1,
    x_density=300,
    y_density=300,
    progressive=False,
    optimize=False,
):
    """JPEG bytes of a (h, w, 1|3) uint8 image, as libjpeg-turbo writes them for TF's EncodeJpeg.

    Baseline with the standard tables by default; ``optimize``: one gathering pass and
    ``jpeg_gen_optimal_table`` tables (still SOF0); ``progressive``: SOF2 with
    ``jpeg_simple_progression``'s scans, each with its own optimal tables (libjpeg always
    optimises progressive files).
    """
    h, w, c = image.shape
    gray = c == 1
    qs = [_quant_table(_STD_LUMA_Q, quality)] + (
        [] if gray else [_quant_table(_STD_CHROMA_Q, quality)]
    )
    sub = 2 if (chroma_downsampling and not gray) else 1
    planes = [image[..., 0].astype(_I64)] if gray else _rgb_to_ycc(image)
    mcu = 8 * sub
    mh, mw = -(-h // mcu), -(-w // mcu)
    comp_blocks = []
    for ci, p in enumerate(planes):
        if ci and sub == 2:  # jcsample.c h2v2_downsample: bias 1, 2, 1, 2 ...
            # jcprepct.c pads the full-size rows to a row pair, the downsampled plane to whole
            # blocks (so its padding repeats the last downsampled row)
            p = _pad_plane(p, h + (h & 1), mw * mcu)
            s = p[0::2, 0::2] + p[0::2, 1::2] + p[1::2, 0::2] + p[1::2, 1::2]
            bias = xp.tile(xp.array([1, 2]), s.shape[1] // 2 + 1)[: s.shape[1]]
            p = _pad_plane((s + bias) >> 2, mh * 8, mw * 8)
        else:
            p = _pad_plane(p, mh * mcu, mw * mcu)
        cw, ch = p.shape[1] // 8, p.shape[0] // 8
        blocks = p.reshape(ch, 8, cw, 8).transpose(0, 2, 1, 3).reshape(-1, 8, 8)
        q = qs[0 if ci == 0 else 1]
        coef = _quantize(_fdct(blocks), q).reshape(ch, cw, 64)
        comp_blocks.append(coef)
    _dummy_edges(comp_blocks, h, w, sub)
    comps = [
        {"h": sub if ci == 0 else 1, "v": sub if ci == 0 else 1, "tq": min(ci, 1), "coef": coef}
        for ci, coef in enumerate(comp_blocks)
    ]
    return write(h, w, comps, qs, progressive, optimize, (density_unit, x_density, y_density))


def write(height, width, comps, qtables, progressive=False, optimize=False, density=(1, 300, 300)):
    """JPEG bytes of quantised coefficients, as libjpeg-turbo writes them (a ``jpegtran``).

    ``comps``: per component ``h``, ``v`` (sampling factors), ``tq`` (index into ``qtables``,
    8x8 natural order) and ``coef`` (blocks, at least MCU-padded, x 64 natural order).  The
    first component uses Huffman tables 0, the others tables 1 (libjpeg's YCbCr defaults).
    Standard tables, optimised ones (``optimize``), or the simple progression (1 or 3
    components).
    """
    hmax = max(c["h"] for c in comps)
    vmax = max(c["v"] for c in comps)
    mh, mw = _ceil_div(height, 8 * vmax), _ceil_div(width, 8 * hmax)
    comps = [
        dict(
            c,
            id=ci + 1,
            tbl=min(ci, 1),
            bw=_ceil_div(_ceil_div(width * c["h"], hmax), 8),
            bh=_ceil_div(_ceil_div(height * c["v"], vmax), 8),
        )
        for ci, c in enumerate(comps)
    ]
    unit, xd, yd = density
    out = [
        b"\xff\xd8",
        _marker(0xE0, b"JFIF\x00\x01\x01" + struct.pack(">BHHBB", unit, xd, yd, 0, 0)),
    ]
    sent = []
    for c in comps:  # jcmarker.c emit_dqt: each table once, in component order
        if c["tq"] not in sent:
            q = qtables[c["tq"]]
            out.append(
                _marker(0xDB, bytes([c["tq"]]) + bytes(int(v) for v in q.reshape(-1)[ZIGZAG]))
            )
            sent.append(c["tq"])
    sof = struct.pack(">BHHB", 8, height, width, len(comps))
    for c in comps:
        sof += bytes([c["id"], c["h"] << 4 | c["v"], c["tq"]])
    out.append(_marker(0xC2 if progressive else 0xC0, sof))
    if progressive:
        out += _progressive_scans(comps, mh, mw)
    else:
        if optimize:
            events = _sequential_events(comps, mh, mw)
            specs = _gather(events)
        else:
            specs = {(0, 0): _DC_LUMA, (1, 0): _AC_LUMA, (0, 1): _DC_CHROMA, (1, 1): _AC_CHROMA}
        for tc, th in dict.fromkeys((tc, c["tbl"]) for c in comps for tc in (0, 1)):
            out.append(_dht(tc, th, specs[(tc, th)]))
        sos = bytes([len(comps)]) + b"".join(bytes([c["id"], c["tbl"] * 0x11]) for c in comps)
        out.append(_marker(0xDA, sos + b"\x00\x3f\x00"))
        out.append(_emit(events, specs) if optimize else _standard_scan(comps, mh, mw))
    out.append(b"\xff\xd9")
    return b"".join(out)


def _standard_scan(comps, mh, mw):
    """The interleaved baseline scan with the standard (Annex K) tables."""
    tabs = [(_codes(_DC_LUMA), _codes(_AC_LUMA)), (_codes(_DC_CHROMA), _codes(_AC_CHROMA))]
    wr = _BitWriter()
    prev = [0] * len(comps)
    for k, blk in _mcu_blocks(comps, mh, mw):
        dc_tab, ac_tab = tabs[comps[k]["tbl"]]
        prev[k] = _encode_block(wr, blk, prev[k], dc_tab, ac_tab)
    wr.flush()
    return bytes(wr.out)


# ---------------------------------------------------------------- optimised Huffman coding
#
# The entropy coders below produce a list of events -- ``(table, symbol)`` for a Huffman symbol,
# ``(None, value, nbits)`` for raw bits -- in the order libjpeg emits them; a first pass counts
# the symbols (libjpeg's gathering pass), the second writes them with the optimal tables.


def _optimal_table(freq):
    """jchuff.c jpeg_gen_optimal_table: (BITS counts for lengths 1..16, HUFFVAL) from symbol
    frequencies, with libjpeg's tie-breaking (larger symbol first) and length limiting."""
    freq = list(freq) + [1]  # pseudo-symbol 256 keeps every real code off all-ones
    codesize = [0] * 257
    others = [-1] * 257
    heap = [(f, -i) for i, f in enumerate(freq) if f]
    heapq.heapify(heap)
    while len(heap) > 1:  # smallest count first, the larger symbol on ties
        f1, c1 = heapq.heappop(heap)
        f2, c2 = heapq.heappop(heap)
        c1, c2 = -c1, -c2
        heapq.heappush(heap, (f1 + f2, -c1))  # the merged tree keeps c1's slot
        codesize[c1] += 1
        while others[c1] >= 0:
            c1 = others[c1]
            codesize[c1] += 1
        others[c1] = c2
        codesize[c2] += 1
        while others[c2] >= 0:
            c2 = others[c2]
            codesize[c2] += 1
    bits = [0] * 33
    for n in codesize:
        if n:
            bits[n] += 1
    for i in range(32, 16, -1):
        while bits[i] > 0:
            j = i - 2
            while bits[j] == 0:
                j -= 1
            bits[i] -= 2
            bits[i - 1] += 1
            bits[j + 1] += 2
            bits[j] -= 1
    i = 16
    while bits[i] == 0:
        i -= 1
    bits[i] -= 1
    vals = [j for n in range(1, 33) for j in range(256) if codesize[j] == n]
    return bits[1:17], vals


def _gather(events):
    """Optimal table specs for every table the events use (libjpeg's gathering pass)."""
    counts = {}
    for ev in events:
        if ev[0] is not None:
            freq = counts.setdefault(ev[0], [0] * 256)
            freq[ev[1]] += 1
    return {key: _optimal_table(freq) for key, freq in counts.items()}


def _emit(events, specs):
    codes = {key: _codes(spec) for key, spec in specs.items()}
    wr = _BitWriter()
    put = wr.put
    for ev in events:
        if ev[0] is None:
            if ev[2]:
                put(ev[1] & ((1 << ev[2]) - 1), ev[2])
        else:
            put(*codes[ev[0]][ev[1]])
    wr.flush()
    return bytes(wr.out)


def _mcu_blocks(comps, mh, mw):
    """(component, block) pairs of an interleaved scan, MCU by MCU."""
    for my in range(mh):
        for mx in range(mw):
            for k, cp in enumerate(comps):
                fh, fv = cp["h"], cp["v"]
                for by in range(fv):
                    for bx in range(fh):
                        yield k, cp["coef"][my * fv + by, mx * fh + bx]


def _comp_blocks(cp):
    """The blocks of one component's non-interleaved scan (no MCU padding)."""
    coef = cp["coef"][: cp["bh"], : cp["bw"]]
    return coef.reshape(-1, 64)


def _sequential_events(comps, mh, mw):
    events = []
    add = events.append
    prev = [0] * len(comps)
    for k, blk in _mcu_blocks(comps, mh, mw):
        t = comps[k]["tbl"]
        zz = blk[ZIGZAG].tolist()
        diff = zz[0] - prev[k]
        prev[k] = zz[0]
        n = abs(diff).bit_length()
        add(((0, t), n))
        add((None, diff - 1 if diff < 0 else diff, n))
        run = 0
        for v in zz[1:]:
            if not v:
                run += 1
                continue
            while run > 15:
                add(((1, t), 0xF0))
                run -= 16
            n = abs(v).bit_length()
            add(((1, t), (run << 4) | n))
            add((None, v - 1 if v < 0 else v, n))
            run = 0
        if run:
            add(((1, t), 0))
    return events


# jcparam.c jpeg_simple_progression: (components, Ss, Se, Ah, Al)
_YCC_SCRIPT = (
    ((0, 1, 2), 0, 0, 0, 1),
    ((0,), 1, 5, 0, 2),
    ((2,), 1, 63, 0, 1),
    ((1,), 1, 63, 0, 1),
    ((0,), 6, 63, 0, 2),
    ((0,), 1, 63, 2, 1),
    ((0, 1, 2), 0, 0, 1, 0),
    ((2,), 1, 63, 1, 0),
    ((1,), 1, 63, 1, 0),
    ((0,), 1, 63, 1, 0),
)
_GRAY_SCRIPT = (
    ((0,), 0, 0, 0, 1),
    ((0,), 1, 5, 0, 2),
    ((0,), 6, 63, 0, 2),
    ((0,), 1, 63, 2, 1),
    ((0,), 0, 0, 1, 0),
    ((0,), 1, 63, 1, 0),
)


def _progressive_scans(comps, mh, mw):
    """jcphuff.c: every scan of the simple progression with its own optimal tables."""
    out = []
    script = _GRAY_SCRIPT if len(comps) == 1 else _YCC_SCRIPT
    for members, ss, se, ah, al in script:
        scomps = [comps[i] for i in members]
        if ss == 0:
            if len(scomps) > 1:
                blocks = list(_mcu_blocks(scomps, mh, mw))
            else:
                blocks = [(0, b) for b in _comp_blocks(scomps[0])]
            dcs = [(k, int(b[0])) for k, b in blocks]
            tbls = [cp["tbl"] for cp in scomps]
            events = _dc_first(dcs, tbls, al) if ah == 0 else _dc_refine(dcs, al)
        else:
            zz = _comp_blocks(scomps[0])[:, ZIGZAG][:, ss : se + 1]
            key = (1, scomps[0]["tbl"])
            events = (_ac_first if ah == 0 else _ac_refine)(zz, key, al)
        specs = _gather(events)
        sent = set()
        for cp in scomps:  # jcmarker.c write_scan_header: the scan's tables, each once
            for tc, th in ((0, cp["tbl"]),) if ss == 0 else ((1, cp["tbl"]),):
                if (tc, th) in specs and (tc, th) not in sent:
                    out.append(_dht(tc, th, specs[(tc, th)]))
                    sent.add((tc, th))
        sel = b"".join(
            bytes(
                [
                    cp["id"],
                    (cp["tbl"] << 4 if ss == 0 and ah == 0 else 0) | (cp["tbl"] if ss else 0),
                ]
            )
            for cp in scomps
        )
        out.append(_marker(0xDA, bytes([len(scomps)]) + sel + bytes([ss, se, ah << 4 | al])))
        out.append(_emit(events, specs))
    return out


def _dc_first(dcs, tbls, al):
    events = []
    add = events.append
    last = [0] * len(tbls)
    for k, dc in dcs:
        v = dc >> al
        diff = v - last[k]
        last[k] = v
        n = abs(diff).bit_length()
        add(((0, tbls[k]), n))
        if n:
            add((None, diff - 1 if diff < 0 else diff, n))
    return events


def _dc_refine(dcs, al):
    return [(None, (dc >> al) & 1, 1) for _, dc in dcs]


def _eob_events(add, key, eobrun, pending):
    n = eobrun.bit_length() - 1
    add((key, n << 4))
    if n:
        add((None, eobrun, n))
    for bit in pending:
        add((None, bit, 1))


def _ac_first(zz, key, al):
    """encode_mcu_AC_first over (blocks, band) zigzag coefficients."""
    events = []
    add = events.append
    mag = xp.abs(zz) >> al
    eobrun = 0
    nonzero = mag != 0
    for row, vals, nz in zip(zz.tolist(), mag.tolist(), nonzero.tolist()):
        if not any(nz):
            eobrun += 1
            if eobrun == 0x7FFF:
                _eob_events(add, key, eobrun, ())
                eobrun = 0
            continue
        r = 0
        for coef, m in zip(row, vals):
            if not m:
                r += 1
                continue
            if eobrun:
                _eob_events(add, key, eobrun, ())
                eobrun = 0
            while r > 15:
                add((key, 0xF0))
                r -= 16
            n = m.bit_length()
            add((key, (r << 4) | n))
            add((None, m if coef >= 0 else ~m, n))
            r = 0
        if r:
            eobrun += 1
            if eobrun == 0x7FFF:
                _eob_events(add, key, eobrun, ())
                eobrun = 0
    if eobrun:
        _eob_events(add, key, eobrun, ())
    return events


def _ac_refine(zz, key, al):
    """encode_mcu_AC_refine: new +-1 coefficients with their zero runs, correction bits for the
    older ones (held back with the pending EOB run, at most ~1000 of them)."""
    events = []
    add = events.append
    mag = (xp.abs(zz) >> al).tolist()
    eobrun, pending = 0, []
    for row, vals in zip(zz.tolist(), mag):
        last_new = max((k for k, m in enumerate(vals) if m == 1), default=-1)
        r, br = 0, []
        for k, m in enumerate(vals):
            if not m:
                r += 1
                continue
            while r > 15 and k <= last_new:
                if eobrun:
                    _eob_events(add, key, eobrun, pending)
                    eobrun, pending = 0, []
                add((key, 0xF0))
                r -= 16
                for bit in br:
                    add((None, bit, 1))
                br = []
            if m > 1:
                br.append(m & 1)
                continue
            if eobrun:
                _eob_events(add, key, eobrun, pending)
                eobrun, pending = 0, []
            add((key, (r << 4) | 1))
            add((None, 0 if row[k] < 0 else 1, 1))
            for bit in br:
                add((None, bit, 1))
            br = []
            r = 0
        if r or br:
            eobrun += 1
            pending += br
            if eobrun == 0x7FFF or len(pending) > 1000 - 64 + 1:
                _eob_events(add, key, eobrun, pending)
                eobrun, pending = 0, []
    if eobrun:
        _eob_events(add, key, eobrun, pending)
    return events


def _dummy_edges(comp_blocks, h, w, sub):
    """jccoefct.c: blocks past the image edge get zero AC; a dummy column takes the DC of its
    left neighbour, a dummy row in an MCU the DC of the MCU's last block in the row above."""
    for ci, coef in enumerate(comp_blocks):
        f = sub if ci == 0 else 1
        cw = _ceil_div(_ceil_div(w * f, sub), 8)
        ch = _ceil_div(_ceil_div(h * f, sub), 8)
        if coef.shape[1] > cw:
            for x in range(cw, coef.shape[1]):
                coef[:, x, 1:] = 0
                coef[:, x, 0] = coef[:, x - 1, 0]
        if coef.shape[0] > ch:
            last_in_mcu = (xp.arange(coef.shape[1]) // f) * f + f - 1
            for y in range(ch, coef.shape[0]):
                coef[y, :, :] = 0
                coef[y, :, 0] = coef[y - 1, last_in_mcu, 0]
