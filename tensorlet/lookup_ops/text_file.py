"""Reading a vocabulary file into ``(key, value)`` pairs (TF's ``TextFileLineIterator``).

Each line gives one pair. An index picks the line number (-1, int64, plus ``offset``), the whole
line (-2) or a field of the line split at the one-character ``delimiter``. Lines end at
``\\n`` (a trailing ``\\r`` is dropped); an empty line is an error; ``vocab_size`` truncates the
file and must not exceed its line count. Numbers parse as TF's ``safe_strto*``: optional
surrounding whitespace, no underscores, no overflow.
"""

import re

from tensorlet.framework import dtypes, errors
from tensorlet.lookup_ops.table_resources import TableError, invalid
from tensorlet.ops.op_def import _tf_type_word

D = dtypes
LINE_NUMBER, WHOLE_LINE = -1, -2
_INT = re.compile(rb"\s*([+-]?[0-9]+)\s*")
_FLOAT = re.compile(
    rb"\s*([+-]?(?:[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?"
    rb"|inf|infinity|nan))\s*",
    re.IGNORECASE,
)
_INT_RANGE = {"int32": (-(1 << 31), (1 << 31) - 1), "int64": (-(1 << 63), (1 << 63) - 1)}


def check_indices(key_dtype, key_index, value_dtype, value_index):
    """The kernel's checks of the indices against the table's dtypes."""
    if key_index == LINE_NUMBER and key_dtype != D.int64:
        raise invalid(
            "Key index for line number requires table key dtype of int64, got "
            f"{_tf_type_word(key_dtype)}"
        )
    if key_index == WHOLE_LINE and not key_dtype.is_integer and key_dtype != D.string:
        raise invalid(
            "Key index for whole line requires string or integer table key, got "
            f"{_tf_type_word(key_dtype)}"
        )
    if value_index == LINE_NUMBER and value_dtype != D.int64:
        raise invalid(
            "Value index for line number requires table value dtype of int64, got "
            f"{_tf_type_word(value_dtype)}"
        )
    if value_index == WHOLE_LINE and not value_dtype.is_integer and value_dtype != D.string:
        raise invalid(
            "Value index for whole line requires table value dtype of integer or "
            f"string, got {_tf_type_word(value_dtype)}"
        )


def read_lines(filename):
    """``[(line bytes, byte position after it)]`` as TF's ``InputBuffer::ReadLine`` reads."""
    try:
        with open(filename, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise TableError(errors.NotFoundError, f"{filename}; No such file or directory") from None
    except IsADirectoryError:
        raise TableError(errors.FailedPreconditionError, f"{filename}; Is a directory") from None
    parts = data.split(b"\n")
    if parts[-1] == b"":
        parts.pop()
    out, pos = [], 0
    for line in parts:
        pos = min(pos + len(line) + 1, len(data))
        out.append((line[:-1] if line.endswith(b"\r") else line, pos))
    return out


def _parse(token, dtype, line_no, offset):
    name = dtype.name
    if dtype == D.string:
        return token
    if name in _INT_RANGE:
        m = _INT.fullmatch(token)
        lo, hi = _INT_RANGE[name]
        if m is None or not lo <= int(m.group(1)) <= hi:
            raise _bad_field(token, line_no, name)
        value = int(m.group(1))
        return value + offset if name == "int32" else value  # (TF adds offset to int32 only)
    if name in ("float32", "float64"):
        m = _FLOAT.fullmatch(token)
        if m is None:
            raise _bad_field(token, line_no, _tf_type_word(dtype))
        return float(m.group(1))
    raise invalid(f"Data type {_tf_type_word(dtype)} not supported.")


def _bad_field(token, line_no, type_word):
    text = token.decode("utf-8", "backslashreplace")
    return invalid(f"Field {text} in line {line_no} is not a valid {type_word}.")


def _pick(line, tokens, line_no, index, dtype, offset):
    """The line number, the whole line or field ``index``, as ``dtype``."""
    if index == LINE_NUMBER:
        return line_no + offset
    return _parse(line if index == WHOLE_LINE else tokens[index], dtype, line_no, offset)


def pairs(filename, key_dtype, key_index, value_dtype, value_index, vocab_size, delimiter, offset):
    """Yields the file's ``(key, value)`` pairs in order; raises TF's errors on the way."""
    lines = read_lines(filename)
    split = max(key_index, value_index) >= 0
    need = max(key_index, value_index) + 1
    sep = delimiter.encode() if isinstance(delimiter, str) else delimiter
    for line_no, (line, pos) in enumerate(lines):
        if vocab_size != -1 and line_no >= vocab_size:
            return
        if not line:
            raise invalid(f"Invalid content in {filename}: empty line found at position {pos}.")
        tokens = line.split(sep) if split else ()
        if split and len(tokens) < need:
            raise invalid(
                f"Invalid number of columns in {filename} line {line_no} "
                f"({line.decode('utf-8', 'backslashreplace')}) : expected at least "
                f"{need} got {len(tokens)}"
            )

        yield (
            _pick(line, tokens, line_no, key_index, key_dtype, offset),
            _pick(line, tokens, line_no, value_index, value_dtype, offset),
        )
    if vocab_size != -1 and len(lines) < vocab_size:
        raise invalid(
            f"Invalid vocab_size in {filename}: expected {vocab_size} but got {len(lines)}"
        )


def total_size(filename, vocab_size):
    """TF's ``total_size``: ``vocab_size``, else the number of lines."""
    return vocab_size if vocab_size != -1 else len(read_lines(filename))


__all__ = ["check_indices", "pairs", "total_size"]
