"""Unicode and splitting kernels: UnicodeDecode(WithOffsets), UnicodeEncode, UnicodeTranscode,
UnicodeScript, StringSplit(V2) and StringNGrams.

The ops with ragged results return TF's raw parts (row splits + values, or sparse indices);
the public ``tf.strings.split`` / ``unicode_decode`` / ``ngrams`` ... that wrap them into
RaggedTensors are in ``tensorlet/ragged_tensors/ragged_string_ops.py``. UTF-8 is decoded by
hand so that invalid bytes are replaced per maximal subpart (ICU's rule) with byte offsets.
"""

import codecs
import itertools

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop, dtype_mismatch
from tensorlet.ops.string_ops import attr_in, ragged_map, string_input, to_object

D = dtypes
REPLACEMENT = 0xFFFD
ERRORS = ("strict", "replace", "ignore")


# ---------------------------------------------------------------- UTF-8 / codec decoding


def _utf8_length(s, i):
    """Length of the valid UTF-8 sequence at ``s[i]``, or of its maximal invalid subpart as a
    negative number."""
    b = s[i]
    if b < 0x80:
        return 1
    if 0xC2 <= b <= 0xDF:
        need, lo, hi = 1, 0x80, 0xBF
    elif 0xE0 <= b <= 0xEF:
        need = 2
        lo, hi = (0xA0, 0xBF) if b == 0xE0 else (0x80, 0x9F) if b == 0xED else (0x80, 0xBF)
    elif 0xF0 <= b <= 0xF4:
        need = 3
        lo, hi = (0x90, 0xBF) if b == 0xF0 else (0x80, 0x8F) if b == 0xF4 else (0x80, 0xBF)
    else:
        return -1
    for k in range(need):
        j = i + 1 + k
        if j >= len(s) or not (lo <= s[j] <= hi if k == 0 else 0x80 <= s[j] <= 0xBF):
            return -(k + 1)
    return need + 1


def _decode_utf8(s):
    """``[(codepoint or None for invalid, byte offset)]`` of the bytes ``s``."""
    out, i, n = [], 0, len(s)
    while i < n:
        k = _utf8_length(s, i)
        if k < 0:
            out.append((None, i))
            i -= k
            continue
        out.append((ord(s[i : i + k].decode("utf-8")), i))
        i += k
    return out


def _codec(encoding, op_name):
    name = encoding.strip().lower().replace(" ", "-")
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"Could not create converter for input encoding: {encoding}",
        ) from None


def decode_chars(s, encoding, errors_mode, replacement_char, replace_control, op_name):
    """Codepoints and byte offsets of one string, with TF's error handling."""
    if encoding == "utf-8":
        pairs = _decode_utf8(s)
    else:
        text = s.decode(encoding, "surrogatepass" if errors_mode == "strict" else "replace")
        pairs, pos = [], 0
        for ch in text:
            pairs.append((None if ch == "\ufffd" and errors_mode != "strict" else ord(ch), pos))
            pos += len(ch.encode(encoding, "surrogatepass"))
    cps, offsets = [], []
    for cp, off in pairs:
        if cp is not None and replace_control and cp < 0x20:
            cp = replacement_char
        if cp is None:
            if errors_mode == "strict":
                raise errors.op_error(
                    errors.InvalidArgumentError, op_name, "Invalid formatting on input string"
                )
            if errors_mode == "ignore":
                continue
            cp = replacement_char
        cps.append(cp)
        offsets.append(off)
    return cps, offsets


def _decode_kernel(
    x, input_encoding, errors, replacement_char, replace_control_characters, with_offsets, op_name
):
    splits, values, offsets = [0], [], []
    for s in x.ravel().tolist():
        cps, offs = decode_chars(
            s, input_encoding, errors, replacement_char, replace_control_characters, op_name
        )
        values += cps
        offsets += offs
        splits.append(len(values))
    out = (xp.array(splits, dtype=xp.int64), xp.array(values, dtype=xp.int32))
    return out + (xp.array(offsets, dtype=xp.int64),) if with_offsets else out


def _decode_shape(n):
    def rule(op, inputs, attrs):
        rows = inputs[0].shape.num_elements()
        return (TensorShape([None if rows is None else rows + 1]),) + (TensorShape([None]),) * n

    return rule


unicode_decode_op = defop(
    "UnicodeDecode",
    lambda x, **a: _decode_kernel(x, with_offsets=False, op_name="UnicodeDecode", **a),
    dtype_rule=lambda op, inputs, attrs: string_input()(op, inputs, attrs) and (D.int64, D.int32),
    shape_rule=_decode_shape(1),
    num_outputs=2,
)
unicode_decode_with_offsets_op = defop(
    "UnicodeDecodeWithOffsets",
    lambda x, **a: _decode_kernel(x, with_offsets=True, op_name="UnicodeDecodeWithOffsets", **a),
    dtype_rule=lambda op, inputs, attrs: (
        string_input()(op, inputs, attrs) and (D.int64, D.int32, D.int64)
    ),
    shape_rule=_decode_shape(2),
    num_outputs=3,
)


def decode_attrs(
    op_name, input_encoding, errors_mode, replacement_char, replace_control_characters=False
):
    return {
        "input_encoding": _codec(input_encoding, op_name).replace("_", "-"),
        "errors": attr_in(op_name, "errors", errors_mode, ERRORS),
        "replacement_char": int(replacement_char),
        "replace_control_characters": bool(replace_control_characters),
    }


def decode_flat(x, with_offsets, **attrs):
    """Runs UnicodeDecode(WithOffsets) on the flat string tensor ``x``."""
    op = unicode_decode_with_offsets_op if with_offsets else unicode_decode_op
    return apply(op, x, **attrs)


# ---------------------------------------------------------------- encoding

_ENCODINGS = ("UTF-8", "UTF-16-BE", "UTF-32-BE")


def _valid_cp(cp):
    return 0 <= cp <= 0x10FFFF and not 0xD800 <= cp <= 0xDFFF


def encode_chars(cps, encoding, errors_mode, replacement_char, op_name):
    chars = []
    for cp in cps:
        if not _valid_cp(cp):
            if errors_mode == "strict":
                raise errors.op_error(
                    errors.InvalidArgumentError, op_name, f"Invalid code point: {cp}"
                )
            if errors_mode == "ignore":
                continue
            cp = replacement_char
        chars.append(chr(cp))
    return "".join(chars).encode(encoding, "surrogatepass")


def _encode_kernel(values, splits, output_encoding, errors, replacement_char):
    v, s = values.tolist(), splits.tolist()
    out = [
        encode_chars(v[a:b], output_encoding, errors, replacement_char, "UnicodeEncode")
        for a, b in itertools.pairwise(s)
    ]
    return to_object(out, (len(out),))


def _encode_dtypes(op, inputs, attrs):
    if inputs[0].dtype != D.int32:
        raise dtype_mismatch(op, 0, D.int32, inputs[0].dtype)
    return (D.string,)


def _encode_shape(op, inputs, attrs):
    n = inputs[1].shape[0] if inputs[1].shape.rank else None
    return (TensorShape([None if n is None else n - 1]),)


unicode_encode_op = defop(
    "UnicodeEncode", _encode_kernel, dtype_rule=_encode_dtypes, shape_rule=_encode_shape
)


def encode_attrs(output_encoding, errors_mode, replacement_char):
    attr_in("UnicodeEncode", "output_encoding", output_encoding, _ENCODINGS)
    return {
        "output_encoding": output_encoding.lower(),
        "errors": attr_in("UnicodeEncode", "errors", errors_mode, ERRORS),
        "replacement_char": int(replacement_char),
    }


# ---------------------------------------------------------------- transcode


def _transcode_kernel(
    x, input_encoding, output_encoding, errors, replacement_char, replace_control_characters
):
    def one(s):
        cps, _ = decode_chars(
            s,
            input_encoding,
            errors,
            replacement_char,
            replace_control_characters,
            "UnicodeTranscode",
        )
        return encode_chars(cps, output_encoding, errors, replacement_char, "UnicodeTranscode")

    return to_object([one(s) for s in x.ravel().tolist()], x.shape)


unicode_transcode_op = defop(
    "UnicodeTranscode", _transcode_kernel, dtype_rule=string_input(), shape_rule=R.unchanged
)


@tf_export("strings.unicode_transcode")
def unicode_transcode(
    input,
    input_encoding,
    output_encoding,
    errors="replace",
    replacement_char=65533,
    replace_control_characters=False,
    name=None,
):
    """Re-encodes every string from ``input_encoding`` to ``output_encoding``.

    Example:
      >>> tf.strings.unicode_transcode(["hé"], "UTF-8", "UTF-16-BE").numpy()
      array([b'\\x00h\\x00\\xe9'], dtype=object)
    """
    attrs = decode_attrs(
        "UnicodeTranscode", input_encoding, errors, replacement_char, replace_control_characters
    )
    attrs["output_encoding"] = encode_attrs(output_encoding, errors, replacement_char)[
        "output_encoding"
    ]
    return ragged_map(lambda x: apply(unicode_transcode_op, x, name=name, **attrs), input)


# ---------------------------------------------------------------- script

# ICU UScriptCode of code point ranges (first, last, script); unlisted code points are
# Common (0) below U+0250 and Unknown (103) elsewhere. Major scripts only.
_COMMON, _INHERITED, _UNKNOWN = 0, 1, 103
_SCRIPT_RANGES = [
    (0x41, 0x5A, 25),
    (0x61, 0x7A, 25),
    (0xAA, 0xAA, 25),
    (0xBA, 0xBA, 25),
    (0xC0, 0xD6, 25),
    (0xD8, 0xF6, 25),
    (0xF8, 0x24F, 25),
    (0x250, 0x2AF, 25),
    (0x2B0, 0x2FF, 0),
    (0x300, 0x36F, 1),
    (0x370, 0x3E1, 14),
    (0x3E2, 0x3EF, 7),
    (0x3F0, 0x3FF, 14),
    (0x400, 0x484, 8),
    (0x485, 0x486, 1),
    (0x487, 0x52F, 8),
    (0x530, 0x58F, 3),
    (0x590, 0x5FF, 19),
    (0x600, 0x6FF, 2),
    (0x700, 0x74F, 34),
    (0x750, 0x77F, 2),
    (0x780, 0x7BF, 37),
    (0x900, 0x963, 10),
    (0x964, 0x965, 0),
    (0x966, 0x97F, 10),
    (0x980, 0x9FF, 4),
    (0xA00, 0xA7F, 16),
    (0xA80, 0xAFF, 15),
    (0xB00, 0xB7F, 31),
    (0xB80, 0xBFF, 35),
    (0xC00, 0xC7F, 36),
    (0xC80, 0xCFF, 21),
    (0xD00, 0xD7F, 26),
    (0xD80, 0xDFF, 33),
    (0xE00, 0xE3E, 38),
    (0xE3F, 0xE3F, 0),
    (0xE40, 0xE7F, 38),
    (0xE80, 0xEFF, 24),
    (0xF00, 0xFFF, 39),
    (0x1000, 0x109F, 28),
    (0x10A0, 0x10FF, 12),
    (0x1100, 0x11FF, 18),
    (0x1200, 0x139F, 11),
    (0x13A0, 0x13FF, 6),
    (0x1400, 0x167F, 40),
    (0x1680, 0x169F, 29),
    (0x16A0, 0x16FF, 32),
    (0x1780, 0x17FF, 23),
    (0x1800, 0x18AF, 27),
    (0x1E00, 0x1EFF, 25),
    (0x1F00, 0x1FFF, 14),
    (0x2000, 0x200B, 0),
    (0x200C, 0x200D, 1),
    (0x200E, 0x20CF, 0),
    (0x20D0, 0x20FF, 1),
    (0x2100, 0x2BFF, 0),
    (0x2C00, 0x2C5F, 56),
    (0x2C60, 0x2C7F, 25),
    (0x2C80, 0x2CFF, 7),
    (0x2D00, 0x2D2F, 12),
    (0x2D30, 0x2D7F, 60),
    (0x2E00, 0x2E7F, 0),
    (0x2E80, 0x2FDF, 17),
    (0x2FF0, 0x3004, 0),
    (0x3005, 0x3005, 17),
    (0x3006, 0x3006, 0),
    (0x3007, 0x3007, 17),
    (0x3008, 0x3020, 0),
    (0x3021, 0x3029, 17),
    (0x302A, 0x302D, 1),
    (0x302E, 0x3037, 0),
    (0x3038, 0x303B, 17),
    (0x303C, 0x303F, 0),
    (0x3041, 0x3096, 20),
    (0x3099, 0x309A, 1),
    (0x309B, 0x309C, 0),
    (0x309D, 0x309F, 20),
    (0x30A0, 0x30A0, 0),
    (0x30A1, 0x30FA, 22),
    (0x30FB, 0x30FC, 0),
    (0x30FD, 0x30FF, 22),
    (0x3105, 0x312F, 5),
    (0x3131, 0x318E, 18),
    (0x31A0, 0x31BF, 5),
    (0x31F0, 0x31FF, 22),
    (0x3200, 0x33FF, 0),
    (0x3400, 0x4DBF, 17),
    (0x4DC0, 0x4DFF, 0),
    (0x4E00, 0x9FFF, 17),
    (0xA000, 0xA4CF, 41),
    (0xAC00, 0xD7A3, 18),
    (0xF900, 0xFAFF, 17),
    (0xFB00, 0xFB06, 25),
    (0xFB1D, 0xFB4F, 19),
    (0xFB50, 0xFDFF, 2),
    (0xFE00, 0xFE0F, 1),
    (0xFE20, 0xFE2F, 1),
    (0xFE30, 0xFE6F, 0),
    (0xFE70, 0xFEFE, 2),
    (0xFEFF, 0xFF20, 0),
    (0xFF21, 0xFF3A, 25),
    (0xFF3B, 0xFF40, 0),
    (0xFF41, 0xFF5A, 25),
    (0xFF5B, 0xFF65, 0),
    (0xFF66, 0xFF6F, 22),
    (0xFF70, 0xFF70, 0),
    (0xFF71, 0xFF9D, 22),
    (0xFF9E, 0xFF9F, 0),
    (0xFFA0, 0xFFDC, 18),
    (0xFFE0, 0xFFFD, 0),
    (0x1F000, 0x1FAFF, 0),
    (0x20000, 0x2FA1F, 17),
    (0x30000, 0x3134F, 17),
]
_SCRIPT_STARTS = xp.array([r[0] for r in _SCRIPT_RANGES], dtype=xp.int64)
_SCRIPT_ENDS = xp.array([r[1] for r in _SCRIPT_RANGES], dtype=xp.int64)
_SCRIPT_CODES = xp.array([r[2] for r in _SCRIPT_RANGES], dtype=xp.int32)


def _script_kernel(x):
    cp = x.astype(xp.int64)
    i = xp.searchsorted(_SCRIPT_STARTS, cp, side="right") - 1
    i_safe = xp.clip(i, 0, len(_SCRIPT_RANGES) - 1)
    inside = (i >= 0) & (cp <= _SCRIPT_ENDS[i_safe])
    out = xp.where(inside, _SCRIPT_CODES[i_safe], xp.where(cp < 0x250, _COMMON, _UNKNOWN))
    return xp.where((cp < 0) | (cp > 0x10FFFF), -1, out).astype(xp.int32)


def _script_dtypes(op, inputs, attrs):
    if inputs[0].dtype != D.int32:
        raise dtype_mismatch(op, 0, D.int32, inputs[0].dtype)
    return (D.int32,)


unicode_script_op = defop(
    "UnicodeScript", _script_kernel, dtype_rule=_script_dtypes, shape_rule=R.unchanged
)


@tf_export("strings.unicode_script")
def unicode_script(input, name=None):
    """ICU ``UScriptCode`` of every int32 code point (-1 for invalid code points).

    Example:
      >>> tf.strings.unicode_script([1055, 945, 65]).numpy()
      array([ 8, 14, 25], dtype=int32)
    """
    return ragged_map(lambda x: apply(unicode_script_op, x, name=name), input)


# ---------------------------------------------------------------- split


def _split_parts(x, tokens_of):
    rows, cols, values = [], [], []
    width = 0
    for r, s in enumerate(x.tolist()):
        toks = tokens_of(s)
        rows += [r] * len(toks)
        cols += range(len(toks))
        values += toks
        width = max(width, len(toks))
    indices = xp.array([rows, cols], dtype=xp.int64).T.reshape(-1, 2)
    return indices, to_object(values, (len(values),)), xp.array([x.shape[0], width], xp.int64)


_WS = b" \t\n\v\f\r"


def _split_v2(s, sep, maxsplit):
    """TF's SplitV2 (Python's str.split, except that the text left after ``maxsplit``
    whitespace splits is kept as is, even when empty, and ``maxsplit=0`` keeps ``s``)."""
    if maxsplit == 0:
        return [s]
    if sep:
        return s.split(sep, maxsplit)
    out, text = [], s.lstrip(_WS)
    while text:
        end = next((i for i, b in enumerate(text) if b in _WS), len(text))
        out.append(text[:end])
        text = text[end:].lstrip(_WS)
        if 0 < maxsplit == len(out):
            out.append(text)
            break
    return out


def _split_v2_kernel(x, sep, maxsplit):
    sep = sep.item()  # empty: runs of ASCII whitespace, no empty tokens
    return _split_parts(x, lambda s: _split_v2(s, sep, maxsplit))


def _split_v1_kernel(x, delimiter, skip_empty):
    d = delimiter.item()

    def tokens(s):
        if not s:
            return []
        if d == b"":
            toks = [s[i : i + 1] for i in range(len(s))]
        else:  # every byte of the delimiter is a separator
            toks, cur = [], bytearray()
            for b in s:
                if b in d:
                    toks.append(bytes(cur))
                    cur = bytearray()
                else:
                    cur.append(b)
            toks.append(bytes(cur))
        return [t for t in toks if t] if skip_empty else toks

    return _split_parts(x, tokens)


def _split_shape(op, inputs, attrs):
    if inputs[0].shape.rank not in (None, 1):
        raise errors.op_error(
            errors.InvalidArgumentError,
            op.name,
            f"input must be a vector, got shape: {inputs[0].shape}",
        )
    return (TensorShape([None, 2]), TensorShape([None]), TensorShape([2]))


_SPLIT_DTYPES = lambda op, inputs, attrs: (
    string_input(n=2)(op, inputs, attrs) and (D.int64, D.string, D.int64)
)
string_split_v2_op = defop(
    "StringSplitV2",
    _split_v2_kernel,
    dtype_rule=_SPLIT_DTYPES,
    shape_rule=_split_shape,
    num_outputs=3,
)
string_split_op = defop(
    "StringSplit",
    _split_v1_kernel,
    dtype_rule=_SPLIT_DTYPES,
    shape_rule=_split_shape,
    num_outputs=3,
)


def split_v2(x, sep, maxsplit):
    """StringSplitV2 of the 1-D string tensor ``x``: ``(indices, values, dense_shape)``."""
    sep = b"" if sep is None else (sep.encode("utf-8") if isinstance(sep, str) else sep)
    return apply(
        string_split_v2_op, x, convert_to_tensor(sep, dtype=D.string), maxsplit=int(maxsplit)
    )


def split_v1(x, delimiter, skip_empty):
    d = delimiter.encode("utf-8") if isinstance(delimiter, str) else delimiter
    return apply(
        string_split_op, x, convert_to_tensor(d, dtype=D.string), skip_empty=bool(skip_empty)
    )


# ---------------------------------------------------------------- ngrams


def _ngrams_kernel(
    data, splits, separator, ngram_widths, left_pad, right_pad, pad_width, preserve_short_sequences
):
    words, s = data.tolist(), splits.tolist()
    out, out_splits = [], [0]
    for a, b in itertools.pairwise(s):
        row, start = words[a:b], len(out)
        for width in ngram_widths:
            pad = min(pad_width if pad_width >= 0 else width - 1, width - 1)
            out += _windows(row, width, pad, left_pad, right_pad, separator)
        if preserve_short_sequences and len(out) == start and row:
            pad = max(pad_width, 0)
            out += _windows(row, len(row) + 2 * pad, pad, left_pad, right_pad, separator)
        out_splits.append(len(out))
    return to_object(out, (len(out),)), xp.array(out_splits, dtype=splits.dtype)


def _windows(row, width, pad, left, right, separator):
    padded = [left] * pad + row + [right] * pad
    return [separator.join(padded[i : i + width]) for i in range(len(padded) - width + 1)]


def _ngrams_dtypes(op, inputs, attrs):
    if inputs[0].dtype != D.string:
        raise dtype_mismatch(op, 0, D.string, inputs[0].dtype)
    return (D.string, inputs[1].dtype)


string_ngrams_op = defop(
    "StringNGrams",
    _ngrams_kernel,
    dtype_rule=_ngrams_dtypes,
    shape_rule=lambda op, inputs, attrs: (TensorShape([None]), inputs[1].shape),
    num_outputs=2,
)


def ngrams_flat(values, splits, **attrs):
    return apply(string_ngrams_op, values, splits, **attrs)
