"""String <-> number conversions: ``tf.strings.to_number`` and ``tf.strings.as_string``.

``StringToNumber`` follows TF's ``safe_strto*`` parsers: ASCII whitespace around the number is
allowed, floats accept ``inf``/``nan`` (any case) and hexadecimal integers (``0x10`` = 16.0),
integers accept a sign but no fraction, and anything else (or an out-of-range integer) is an
InvalidArgumentError. ``AsString`` is C ``printf`` (Python's ``%`` operator formats the same).
"""

import math
import re

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop, dtype_not_allowed
from tensorlet.ops.string_ops import ragged_map, string_input, to_object

D = dtypes

# ---------------------------------------------------------------- StringToNumber

_WS = " \t\n\v\f\r"
_FLOAT = re.compile(
    rb"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]+"
    rb"|(?i:inf)|(?i:nan))"
)
_INT = re.compile(rb"[+-]?\d+")
_FAST_TO_BUFFER_SIZE = 32  # TF rejects float strings of 32 bytes or more
_NUMBER_TYPES = (D.float32, D.float64, D.int32, D.int64, D.uint32, D.uint64)


def _parse_float(s):
    t = s.strip(_WS.encode())
    if len(s) >= _FAST_TO_BUFFER_SIZE or not _FLOAT.fullmatch(t):
        return None
    body = t.lstrip(b"+-")
    if body[:2] in (b"0x", b"0X"):
        value = float(int(body, 16))
        return -value if t.startswith(b"-") else value
    return float(t)


def _parse_int(s, lo, hi):
    t = s.strip(_WS.encode())
    if not _INT.fullmatch(t):
        return None
    value = int(t)
    return value if lo <= value <= hi else None


def _string_to_number(x, out_type):
    flat = x.ravel().tolist()
    if out_type.is_floating:
        values = [_parse_float(s) for s in flat]
    else:
        lo, hi = out_type.min, out_type.max
        values = [_parse_int(s, lo, hi) for s in flat]
    for s, v in zip(flat, values):
        if v is None:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "StringToNumber",
                "StringToNumberOp could not correctly convert string: "
                f"{s.decode('utf-8', 'replace')}",
            )
    with xp.errstate(over="ignore"):
        return xp.array(values, dtype=out_type._np).reshape(x.shape)


def _to_number_dtypes(op, inputs, attrs):
    string_input()(op, inputs, attrs)
    out = attrs["out_type"]
    if out not in _NUMBER_TYPES:
        raise dtype_not_allowed(op, out, _NUMBER_TYPES)
    return (out,)


string_to_number_op = defop(
    "StringToNumber", _string_to_number, dtype_rule=_to_number_dtypes, shape_rule=R.unchanged
)


@tf_export("strings.to_number")
def to_number(input, out_type=D.float32, name=None):
    """Parses every string as a number of ``out_type`` (float32 by default).

    Example:
      >>> tf.strings.to_number(["1.55", "-2", " 0x10"]).numpy()
      array([ 1.55, -2.  , 16.  ], dtype=float32)
    """
    out_type = D.as_dtype(out_type)
    return ragged_map(lambda x: apply(string_to_number_op, x, out_type=out_type, name=name), input)


@tf_export("compat.v1.string_to_number", "compat.v1.strings.to_number")
def to_number_v1(string_tensor=None, out_type=D.float32, name=None, input=None):
    return to_number(input if string_tensor is None else string_tensor, out_type, name)


# ---------------------------------------------------------------- AsString

_AS_STRING_TYPES = (
    D.float16,
    D.bfloat16,
    D.float32,
    D.float64,
    D.int8,
    D.int16,
    D.int32,
    D.int64,
    D.uint8,
    D.uint16,
    D.uint32,
    D.uint64,
    D.complex64,
    D.complex128,
    D.bool,
    D.string,
)


def _as_string_kernel(x, fmt, kind):
    flat = x.ravel().tolist()
    if kind == "bool":
        out = [b"true" if v else b"false" for v in flat]
    elif kind == "string":
        out = [
            (fmt % v.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
            for v in flat
        ]
    elif kind == "complex":
        out = [
            b"(" + _float_text(fmt, v.real) + b"," + _float_text(fmt, v.imag) + b")" for v in flat
        ]
    elif kind == "float":
        out = [_float_text(fmt, float(v)) for v in flat]
    else:
        out = [(fmt % v).encode() for v in flat]
    return to_object(out, x.shape)


def _float_text(fmt, v):
    if math.isnan(v) or math.isinf(v):  # C printf pads nan/inf with spaces even with the 0 flag
        fmt = fmt[0] + fmt[1:].replace("0", "", 1) if fmt[1:2] == "0" else fmt
        if math.isnan(v) and math.copysign(1.0, v) < 0:  # glibc prints the sign of a NaN
            text = fmt % v
            return (text.removeprefix(" ")).replace("nan", "-nan").encode()
    return (fmt % v).encode()


def _as_string_dtypes(op, inputs, attrs):
    d = inputs[0].dtype
    if d not in _AS_STRING_TYPES:
        raise dtype_not_allowed(op, d, _AS_STRING_TYPES)
    return (D.string,)


as_string_op = defop(
    "AsString", _as_string_kernel, dtype_rule=_as_string_dtypes, shape_rule=R.unchanged
)


def _format_for(dtype, precision, scientific, shortest, width, fill):
    """The printf format AsStringOp builds (and validates) for ``dtype``."""

    def bad(msg):
        return errors.op_error(errors.InvalidArgumentError, "AsString", msg)

    is_float = dtype.is_floating or dtype.is_complex
    if scientific and shortest:
        raise bad("Cannot select both scientific and shortest notation")
    if len(fill) > 1:
        raise bad(f"Fill string must be one or fewer characters: {fill}")
    if (scientific or shortest) and not is_float:
        raise bad(f"scientific and shortest format not supported for datatype {dtype.name}")
    if precision > -1 and not is_float:
        raise bad(f"precision not supported for datatype {dtype.name}")
    fmt = "%"
    if fill:
        if fill not in " +-0#":
            raise bad(f'Fill argument not supported: "{fill}"')
        fmt += fill
    if width > -1:
        fmt += str(width)
    if precision > -1:
        fmt += f".{precision}"
    if dtype == D.string:
        return fmt + "s", "string"
    if dtype == D.bool:
        return fmt, "bool"
    if dtype.is_integer:
        return fmt + "d", "int"
    kind = "complex" if dtype.is_complex else "float"
    return fmt + ("g" if shortest else "e" if scientific else "f"), kind


@tf_export("strings.as_string", "as_string")
def as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill="", name=None):
    """Formats every number as a string with C printf rules (``%f`` by default, ``%e`` with
    ``scientific``, ``%g`` with ``shortest``; ``width``/``fill`` pad on the left).

    Example:
      >>> tf.strings.as_string([3.1415926, 2.71828], precision=2).numpy()
      array([b'3.14', b'2.72'], dtype=object)
    """

    def run(x):
        fmt, kind = _format_for(
            x.dtype, int(precision), bool(scientific), bool(shortest), int(width), fill
        )
        return apply(as_string_op, x, fmt=fmt, kind=kind, name=name)

    return ragged_map(run, input)
