"""CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) and TFRecord's masked form.

``masked_crc32c(b) = ((c >> 15) | (c << 17)) + 0xA282EAD8 (mod 2**32)`` with ``c = crc32c(b)``.

Short inputs use the byte-at-a-time table loop. Long inputs (images in TFRecords) are cut into
``k`` blocks of ``L`` bytes whose CRCs are computed side by side with vectorised table lookups
(``L`` array steps instead of ``k * L`` Python steps), then chained: the CRC register is linear
over GF(2), so ``state_after(block) = advance_L(state_before) ^ crc_of_block_from_zero`` where
``advance_L`` (feeding ``L`` zero bytes) is applied through four 256-entry tables.
"""

from tensorlet.backend import xp

_POLY = 0x82F63B78
_MASK_DELTA = 0xA282EAD8
_M32 = 0xFFFFFFFF


def _make_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ _POLY if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _make_table()
_TABLE_ARR = xp.array(_TABLE, dtype=xp.uint32)
_BLOCK = 1024  # L: bytes per block in the vectorised path
_VECTOR_MIN = 8 * _BLOCK
_advance_tables = None


def _update_bytes(state, data):
    table = _TABLE
    for b in data:
        state = table[(state ^ b) & 0xFF] ^ (state >> 8)
    return state


def _advance_block_tables():
    """Four tables t[j][byte]: the register after L zero bytes, from ``byte << 8j``."""
    global _advance_tables
    if _advance_tables is None:
        basis = xp.array([1 << i for i in range(32)], dtype=xp.uint32)
        state = basis.copy()
        for _ in range(_BLOCK):
            state = _TABLE_ARR[state & 0xFF] ^ (state >> 8)
        images = [int(v) for v in state]
        tables = []
        for j in range(4):
            t = []
            for byte in range(256):
                v = 0
                for bit in range(8):
                    if byte >> bit & 1:
                        v ^= images[8 * j + bit]
                t.append(v)
            tables.append(t)
        _advance_tables = tables
    return _advance_tables


def _update(state, data):
    n = len(data)
    if n < _VECTOR_MIN:
        return _update_bytes(state, data)
    k = n // _BLOCK
    blocks = xp.frombuffer(bytes(data[: k * _BLOCK]), dtype=xp.uint8).reshape(k, _BLOCK)
    lanes = xp.zeros(k, dtype=xp.uint32)
    table = _TABLE_ARR
    for j in range(_BLOCK):
        lanes = table[(lanes ^ blocks[:, j]) & 0xFF] ^ (lanes >> 8)
    t0, t1, t2, t3 = _advance_block_tables()
    for c in lanes.tolist():
        state = (
            t0[state & 0xFF]
            ^ t1[(state >> 8) & 0xFF]
            ^ t2[(state >> 16) & 0xFF]
            ^ t3[state >> 24]
            ^ c
        )
    return _update_bytes(state, data[k * _BLOCK :])


def crc32c(data, crc=0):
    """The CRC-32C of ``data`` (bytes-like), continuing from ``crc``."""
    return _update(crc ^ _M32, memoryview(data).cast("B")) ^ _M32


def mask(crc):
    return ((((crc >> 15) | (crc << 17)) & _M32) + _MASK_DELTA) & _M32


def unmask(masked):
    rot = (masked - _MASK_DELTA) & _M32
    return ((rot >> 17) | (rot << 15)) & _M32


def masked_crc32c(data):
    return mask(crc32c(data))
