"""A small protobuf runtime over the hand-written wire format (``wire.py``): message classes
declare their fields in ``_SPEC`` and get protobuf's Python API (``SerializeToString``,
``FromString``, ``ParseFromString``, ``MergeFrom``, ``CopyFrom``, ``HasField``, ``WhichOneof``,
``ListFields``, text-format ``str``), with type-checked repeated fields and message maps.

Field kinds: ``"message"`` (singular sub-message, with presence), ``"scalars"`` (repeated
int64 / float / bytes, packed on the wire for numbers), ``"messages"`` (repeated sub-message)
and ``"map"`` (``map<string, Message>``). A ``_SPEC`` entry is ``(name, number, kind, arg,
oneof)``: ``arg`` is the element checker or the sub-message class.
"""

import math
import struct

from tensorlet.io_ops import wire
from tensorlet.io_ops.wire import DecodeError

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


# ---------------------------------------------------------------- repeated scalar fields


def _check_int64(v):
    if isinstance(v, bool) or not hasattr(v, "__index__"):
        raise TypeError(f"{v!r} has type {type(v).__name__}, but expected one of: int")
    v = v.__index__()
    if not _INT64_MIN <= v <= _INT64_MAX:
        raise ValueError(f"Value out of range: {v}")
    return v


def _check_float(v):
    if isinstance(v, (str, bytes)) or not hasattr(v, "__float__"):
        raise TypeError(f"{v!r} has type {type(v).__name__}, but expected one of: int, float")
    f = float(v)
    try:  # a float field holds a float32: reading it back gives the rounded value
        return struct.unpack("<f", struct.pack("<f", f))[0]
    except OverflowError:
        return float("inf") if f > 0 else float("-inf")


def _check_bytes(v):
    if not isinstance(v, bytes):
        raise TypeError(f"{v!r} has type {type(v).__name__}, but expected one of: bytes")
    return v


class RepeatedScalar(list):
    """A repeated scalar field: a list that type-checks what goes in and tells its owner."""

    __slots__ = ("_check", "_owner")

    def __init__(self, check, owner, values=()):
        super().__init__(check(v) for v in values)
        self._check = check
        self._owner = owner  # (message, field name)

    def _changed(self):
        _field_changed(self._owner)

    def append(self, v):
        super().append(self._check(v))
        self._changed()

    def extend(self, values):
        super().extend(self._check(v) for v in values)
        self._changed()

    def insert(self, i, v):
        super().insert(i, self._check(v))
        self._changed()

    def __iadd__(self, values):
        self.extend(values)
        return self

    def __setitem__(self, i, v):
        if isinstance(i, slice):
            super().__setitem__(i, [self._check(x) for x in v])
        else:
            super().__setitem__(i, self._check(v))
        self._changed()

    def __eq__(self, other):
        return (
            list.__eq__(self, list(other)) if isinstance(other, (list, tuple)) else NotImplemented
        )

    __hash__ = None


class RepeatedMessage(list):
    """A repeated message field (``FeatureList.feature``): ``add()`` appends a new message."""

    __slots__ = ("_cls", "_owner")

    def __init__(self, cls, owner, values=()):
        super().__init__(_coerce(cls, v) for v in values)
        self._cls = cls
        self._owner = owner

    def add(self, **kwargs):
        m = self._cls(**kwargs)
        super().append(m)
        _field_changed(self._owner)
        return m

    def append(self, m):
        super().append(_coerce(self._cls, m))
        _field_changed(self._owner)

    def extend(self, ms):
        super().extend(_coerce(self._cls, m) for m in ms)
        _field_changed(self._owner)

    __hash__ = None


class MessageMap(dict):
    """A ``map<string, Message>`` field: reading a missing key creates an empty entry."""

    __slots__ = ("_cls", "_owner")

    def __init__(self, cls, owner, values=None):
        super().__init__()
        self._cls = cls
        self._owner = owner
        for k, v in (values or {}).items():
            dict.__setitem__(self, _check_key(k), _coerce(cls, v))

    def __getitem__(self, k):
        k = _check_key(k)
        m = self.get(k)
        if m is None:
            m = self._cls()
            dict.__setitem__(self, k, m)
            _field_changed(self._owner)
        return m

    def __setitem__(self, k, v):
        dict.__setitem__(self, _check_key(k), _coerce(self._cls, v))
        _field_changed(self._owner)

    def __delitem__(self, k):
        dict.__delitem__(self, _check_key(k))

    def get_or_create(self, k):
        return self[k]

    __hash__ = None


def _field_changed(owner):
    msg, name = owner
    msg._present.add(name)
    msg._mark_present()


def _check_key(k):
    if isinstance(k, bytes):
        k = k.decode("utf-8")
    if not isinstance(k, str):
        raise TypeError(f"{k!r} has type {type(k).__name__}, but expected one of: bytes, str")
    return k


def _coerce(cls, v):
    if isinstance(v, cls):
        return cls(_copy_of=v)
    if isinstance(v, dict):
        return cls(**v)
    raise TypeError(
        f"Parameter to initialize message field must be dict or instance of same "
        f"class: expected {cls.__name__} got {type(v).__name__}."
    )


# ---------------------------------------------------------------- the message base


class Message:
    """A protobuf message. Subclasses list ``_SPEC``: (name, number, kind, arg, oneof)."""

    _SPEC = ()
    __slots__ = ("_parent", "_present", "_values")

    def __init__(self, _copy_of=None, **kwargs):
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_present", set())
        object.__setattr__(self, "_parent", None)
        if _copy_of is not None:
            self.MergeFromString(_copy_of.SerializeToString())
        for name, value in kwargs.items():
            spec = self._spec(name)
            if value is None:
                continue
            kind = spec[2]
            if kind == "message":
                child = _coerce(spec[3], value)
                self._attach(name, child)
                child._mark_present()
            else:
                self._values[name] = self._container(spec, value)
                if len(value):
                    self._present.add(name)

    @classmethod
    def _spec(cls, name):
        for s in cls._SPEC:
            if s[0] == name:
                return s
        raise ValueError(f'Protocol message {cls.__name__} has no "{name}" field.')

    def _container(self, spec, values=()):
        kind, arg, owner = spec[2], spec[3], (self, spec[0])
        if kind == "scalars":
            return RepeatedScalar(arg, owner, values)
        if kind == "messages":
            return RepeatedMessage(arg, owner, values)
        return MessageMap(arg, owner, values)  # "map"

    def _attach(self, name, child):
        object.__setattr__(child, "_parent", (self, name))
        self._values[name] = child

    def _mark_present(self):
        parent = self._parent
        if parent is not None:
            owner, field = parent
            spec = owner._spec(field)
            if spec[4]:  # a oneof member becoming set clears the others
                for s in owner._SPEC:
                    if s[4] == spec[4] and s[0] != field:
                        owner._values.pop(s[0], None)
                        owner._present.discard(s[0])
            owner._present.add(field)
            owner._mark_present()

    def __getattr__(self, name):
        spec = None
        if not name.startswith("_"):
            spec = next((s for s in self._SPEC if s[0] == name), None)
        if spec is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        v = self._values.get(name)
        if v is None:
            if spec[2] == "message":
                v = spec[3]()
                self._attach(name, v)
            else:
                v = self._values[name] = self._container(spec)
        return v

    def __setattr__(self, name, value):
        spec = self._spec(name)
        if spec[2] == "message":
            raise AttributeError(
                f'Assignment not allowed to field "{name}" in protocol message object.'
            )
        raise AttributeError(
            f'Assignment not allowed to repeated field "{name}" in protocol message object.'
        )

    # -- protobuf API

    def HasField(self, name):
        spec = self._spec(name)
        if spec[2] != "message":
            raise ValueError(f'Protocol message has no singular "{name}" field.')
        return name in self._present

    def WhichOneof(self, group):
        for s in self._SPEC:
            if s[4] == group and s[0] in self._present:
                return s[0]
        if not any(s[4] == group for s in self._SPEC):
            raise ValueError(f'Protocol message has no oneof "{group}" field.')
        return None

    def ClearField(self, name):
        self._spec(name)
        self._values.pop(name, None)
        self._present.discard(name)

    def Clear(self):
        self._values.clear()
        self._present.clear()

    def ListFields(self):
        return [
            (s[0], self._values[s[0]])
            for s in self._SPEC
            if s[0] in self._present and (s[2] == "message" or len(self._values[s[0]]))
        ]

    def IsInitialized(self):
        return True

    def CopyFrom(self, other):
        if other is self:
            return
        self.Clear()
        self.MergeFrom(other)

    def MergeFrom(self, other):
        if not isinstance(other, type(self)):
            raise TypeError(
                f"Parameter to MergeFrom() must be instance of same class: expected "
                f"{type(self).__name__} got {type(other).__name__}."
            )
        self.MergeFromString(other.SerializeToString())

    def ParseFromString(self, data):
        self.Clear()
        return self.MergeFromString(data)

    def MergeFromString(self, data):
        data = bytes(data)
        try:
            self._merge(data)
        except DecodeError as e:
            raise DecodeError(f"Error parsing message: {e}") from None
        return len(data)

    @classmethod
    def FromString(cls, data):
        m = cls()
        m.MergeFromString(data)
        return m

    def SerializeToString(self, deterministic=False):
        return self._serialize(deterministic)

    def SerializePartialToString(self, deterministic=False):
        return self._serialize(deterministic)

    def ByteSize(self):
        return len(self._serialize(False))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self.SerializeToString(deterministic=True) == other.SerializeToString(
            deterministic=True
        )

    __hash__ = None

    def __str__(self):
        return "".join(self._text(0))

    __repr__ = __str__

    def __reduce__(self):
        return type(self).FromString, (self.SerializeToString(),)

    def __deepcopy__(self, memo):
        return type(self).FromString(self.SerializeToString())

    # -- wire format

    def _serialize(self, deterministic):
        out = []
        for name, number, kind, arg, _ in self._SPEC:
            if name not in self._present:
                continue
            v = self._values[name]
            if kind == "message":
                out.append(wire.length_delimited(number, v._serialize(deterministic)))
            elif kind == "scalars":
                if not v:
                    continue
                if arg is _check_bytes:
                    out.extend(wire.length_delimited(number, b) for b in v)
                elif arg is _check_float:
                    out.append(wire.length_delimited(number, wire.pack_floats(v)))
                else:
                    out.append(wire.length_delimited(number, wire.pack_varints(v)))
            elif kind == "messages":
                out.extend(wire.length_delimited(number, m._serialize(deterministic)) for m in v)
            else:  # map<string, message>: entries {key = 1, value = 2}
                keys = sorted(v) if deterministic else list(v)
                for k in keys:
                    kb = k.encode("utf-8")
                    entry = wire.length_delimited(1, kb) + wire.length_delimited(
                        2, v[k]._serialize(deterministic)
                    )
                    out.append(wire.length_delimited(number, entry))
        return b"".join(out)

    def _merge(self, data):
        by_number = {s[1]: s for s in self._SPEC}
        for number, wt, value in wire.fields(data):
            spec = by_number.get(number)
            if spec is None:
                continue  # unknown fields are skipped
            name, _, kind, arg, _ = spec
            if kind == "message":
                _expect(wt, wire.LENGTH, name)
                getattr(self, name)._merge(value)
                getattr(self, name)._mark_present()
                self._present.add(name)
            elif kind == "scalars":
                container = getattr(self, name)
                list.extend(container, _scalars(arg, wt, value, name))
                self._present.add(name)
            elif kind == "messages":
                _expect(wt, wire.LENGTH, name)
                m = arg()
                m._merge(value)
                list.append(getattr(self, name), m)
                self._present.add(name)
            else:
                _expect(wt, wire.LENGTH, name)
                k, m = "", arg()
                for f, fwt, fv in wire.fields(value):
                    if f == 1 and fwt == wire.LENGTH:
                        k = fv.decode("utf-8", "strict")
                    elif f == 2 and fwt == wire.LENGTH:
                        m._merge(fv)
                container = getattr(self, name)
                old = dict.get(container, k)
                if old is not None:  # a repeated key merges, as protobuf does
                    old._merge(m._serialize(False))
                else:
                    dict.__setitem__(container, k, m)
                self._present.add(name)

    def _text(self, indent):
        pad = "  " * indent
        for name, _, kind, arg, _ in self._SPEC:
            if name not in self._present:
                continue
            v = self._values[name]
            if kind == "message":
                yield f"{pad}{name} {{\n"
                yield from v._text(indent + 1)
                yield f"{pad}}}\n"
            elif kind == "scalars":
                for x in v:
                    yield f"{pad}{name}: {_text_scalar(arg, x)}\n"
            elif kind == "messages":
                for m in v:
                    yield f"{pad}{name} {{\n"
                    yield from m._text(indent + 1)
                    yield f"{pad}}}\n"
            else:
                for k in sorted(v):
                    yield f'{pad}{name} {{\n{pad}  key: "{c_escape(k.encode("utf-8"))}"\n'
                    yield f"{pad}  value {{\n"
                    yield from v[k]._text(indent + 2)
                    yield f"{pad}  }}\n{pad}}}\n"


def _expect(wt, expected, name):
    if wt != expected:
        raise DecodeError(f"wrong wire type {wt} for field {name}")


def _scalars(check, wt, value, name):
    if check is _check_bytes:
        _expect(wt, wire.LENGTH, name)
        return [value]
    if check is _check_float:
        if wt == wire.FIXED32:
            return [struct.unpack("<f", value)[0]]
        _expect(wt, wire.LENGTH, name)
        return wire.unpack_floats(value)
    if wt == wire.VARINT:
        return [wire.signed64(value)]
    _expect(wt, wire.LENGTH, name)
    return [wire.signed64(u) for u in wire.packed_varints(value)]


def _text_scalar(check, x):
    if check is _check_bytes:
        return f'"{c_escape(x)}"'
    if check is _check_float:
        return _shortest_float(x)
    return str(x)


def _shortest_float(x):
    """protobuf text format: the shortest decimal that reads back as the same float32."""
    if math.isnan(x):
        return "nan"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    for precision in range(6, 18):
        r = float(f"{x:.{precision}g}")
        if _check_float(r) == x:
            return str(r)
    return str(x)


_ESCAPES = {
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
    ord('"'): '\\"',
    ord("'"): "\\'",
    ord("\\"): "\\\\",
}


def c_escape(b):
    return "".join(_ESCAPES.get(c) or (chr(c) if 32 <= c < 127 else f"\\{c:03o}") for c in b)
