"""The messages of TensorBoard event files, with protobuf's Python API and no protobuf dependency.

    message Event { double wall_time = 1; int64 step = 2;
      oneof what { string file_version = 3; bytes graph_def = 4; Summary summary = 5;
                   LogMessage log_message = 6; SessionLog session_log = 7;
                   TaggedRunMetadata tagged_run_metadata = 8; bytes meta_graph_def = 9; }
      SourceMetadata source_metadata = 10; }
    message Summary { repeated Value value = 1;
      message Value { string node_name = 7; string tag = 1; SummaryMetadata metadata = 9;
        oneof value { float simple_value = 2; bytes obsolete_old_style_histogram = 3;
                      Image image = 4; HistogramProto histo = 5; Audio audio = 6;
                      TensorProto tensor = 8; } } }
    message SummaryMetadata { PluginData plugin_data = 1; string display_name = 2;
                              string summary_description = 3; DataClass data_class = 4; }

plus ``TensorProto`` / ``TensorShapeProto`` (``tensor.proto``), ``HistogramProto``,
``SessionLog``, ``LogMessage``, ``TaggedRunMetadata`` and ``SourceMetadata``.

``_Message`` is a small proto3 runtime: ``_FIELDS`` rows ``(name, number, kind, arg, oneof)``
with kinds ``double float int64 uint64 int32 uint32 enum bool string bytes`` (singular, no
presence outside a oneof), ``message`` (arg: the class), ``repeated <scalar kind>`` (numbers
packed on the wire) and ``messages`` (repeated sub-messages). Fields are written in field-number
order, as protobuf does, so ``SerializeToString`` gives the bytes TF's ``EventsWriter`` writes.
"""

import math
import struct
from typing import ClassVar

from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.io_ops import tensor_proto, wire
from tensorlet.io_ops.message import c_escape

_DEFAULTS = {
    "double": 0.0,
    "float": 0.0,
    "int64": 0,
    "uint64": 0,
    "int32": 0,
    "uint32": 0,
    "enum": 0,
    "bool": False,
    "string": "",
    "bytes": b"",
}
_VARINT_KINDS = ("int64", "uint64", "int32", "uint32", "enum", "bool")


def _check(kind, value, name=None):
    """Protobuf's type check of an assignment; returns the stored value."""
    if kind in ("double", "float"):
        if isinstance(value, (str, bytes)) or not hasattr(value, "__float__"):
            raise TypeError(
                f"{value!r} has type {type(value).__name__}, but expected one of: int, float"
            )
        value = float(value)
        if kind == "float":  # a float field holds a float32: reading it back gives the rounding
            try:
                return struct.unpack("<f", struct.pack("<f", value))[0]
            except OverflowError:
                return math.copysign(math.inf, value)
        return value
    if kind == "bool":
        return bool(value)
    if kind in ("string", "bytes"):
        if isinstance(value, str):
            return value if kind == "string" else value.encode("utf-8")
        if isinstance(value, bytes):
            return value.decode("utf-8") if kind == "string" else value
        raise TypeError(
            f"{value!r} has type {type(value).__name__}, but expected one of: "
            + ("bytes, unicode" if kind == "string" else "bytes")
        )
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(f"{value!r} has type {type(value).__name__}, but expected one of: int")
    return value.__index__()


def _encode_scalar(kind, value):
    if kind == "double":
        return struct.pack("<d", value)
    if kind == "float":
        return struct.pack("<f", value)
    if kind in ("string", "bytes"):
        return value.encode("utf-8") if kind == "string" else value
    return wire.varint(int(value))


def _wire_type(kind):
    return {"double": wire.FIXED64, "float": wire.FIXED32}.get(
        kind, wire.VARINT if kind in _VARINT_KINDS else wire.LENGTH
    )


def _decode_scalars(kind, wt, value):
    """The values of one occurrence of a scalar field (packed or not)."""
    if kind in ("string", "bytes"):
        return [value.decode("utf-8") if kind == "string" else value]
    if kind in ("double", "float"):
        size, fmt = (8, "d") if kind == "double" else (4, "f")
        return list(
            struct.unpack(f"<{len(value) // size}{fmt}", value[: len(value) // size * size])
        )
    raw = wire.packed_varints(value) if wt == wire.LENGTH else [value]
    if kind == "bool":
        return [bool(v) for v in raw]
    if kind in ("int64", "enum"):
        return [wire.signed64(v) for v in raw]
    if kind == "int32":
        return [((v + (1 << 31)) & 0xFFFFFFFF) - (1 << 31) for v in raw]
    return [v & (0xFFFFFFFF if kind == "uint32" else (1 << 64) - 1) for v in raw]


class _Repeated(list):
    """A repeated field: checks what goes in (scalars) or copies it (messages)."""

    __slots__ = ("_cls", "_kind", "_owner")

    def __init__(self, kind, cls, owner):
        super().__init__()
        self._kind, self._cls, self._owner = kind, cls, owner

    def _item(self, v):
        if self._cls is None:
            return _check(self._kind, v, None)
        if isinstance(v, dict):
            return self._cls(**v)
        if not isinstance(v, self._cls):
            raise TypeError(
                f"Parameter to initialize message field must be dict or instance of "
                f"same class: expected {self._cls.__name__} got {type(v).__name__}."
            )
        return self._cls.FromString(v.SerializeToString())

    def add(self, **kwargs):
        m = self._cls(**kwargs)
        list.append(self, m)
        self._owner._mark()
        return m

    def append(self, v):
        list.append(self, self._item(v))
        self._owner._mark()

    def extend(self, vs):
        list.extend(self, [self._item(v) for v in vs])
        self._owner._mark()

    def __setitem__(self, i, v):
        list.__setitem__(
            self, i, [self._item(x) for x in v] if isinstance(i, slice) else self._item(v)
        )

    def __eq__(self, other):
        return list(self) == list(other) if isinstance(other, (list, tuple)) else NotImplemented

    __hash__ = None


class _Message:
    """A proto3 message; subclasses list ``_FIELDS`` (see the module docstring)."""

    _FIELDS = ()
    _ENUMS: ClassVar[dict] = {}  # field name -> {number: name}, for the text format
    __slots__ = ("_oneof_set", "_parent", "_present", "_values")

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        cls._BY_NAME = {f[0]: f for f in cls._FIELDS}
        cls._BY_NUMBER = {f[1]: f for f in cls._FIELDS}
        cls._ORDERED = sorted(cls._FIELDS, key=lambda f: f[1])

    def __init__(self, **kwargs):
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_oneof_set", {})  # oneof group -> member name
        object.__setattr__(self, "_parent", None)
        object.__setattr__(self, "_present", False)
        for k, v in kwargs.items():
            f = self._field(k)
            if v is None:
                continue
            if f[2] == "message":
                getattr(self, k).MergeFrom(v if isinstance(v, f[3]) else f[3](**v))
                getattr(self, k)._mark()
            elif f[2].startswith("repeated") or f[2] == "messages":
                getattr(self, k).extend(v)
            else:
                setattr(self, k, v)

    @classmethod
    def _field(cls, name):
        f = cls._BY_NAME.get(name)
        if f is None:
            raise ValueError(f'Protocol message {cls.__name__} has no "{name}" field.')
        return f

    def _mark(self):
        """This message (and its parents) now have content: they serialize."""
        msg = self
        while True:
            object.__setattr__(msg, "_present", True)
            parent = msg._parent
            if parent is None:
                return
            owner, name = parent
            owner._set_oneof(name)
            msg = owner

    def _set_oneof(self, name):
        group = self._BY_NAME[name][4]
        if group:
            old = self._oneof_set.get(group)
            if old is not None and old != name:
                self._values.pop(old, None)
            self._oneof_set[group] = name

    def __getattr__(self, name):
        f = type(self)._BY_NAME.get(name) if not name.startswith("_") else None
        if f is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        v = self._values.get(name)
        if v is not None:
            return v
        kind = f[2]
        if kind == "message":
            v = f[3]()
            object.__setattr__(v, "_parent", (self, name))
        elif kind == "messages" or kind.startswith("repeated"):
            v = _Repeated(kind[9:], f[3] if kind == "messages" else None, self)
        else:
            return _DEFAULTS[kind]
        self._values[name] = v
        return v

    def __setattr__(self, name, value):
        f = self._field(name)
        if f[2] in ("message", "messages") or f[2].startswith("repeated"):
            raise AttributeError(
                f'Assignment not allowed to field "{name}" in protocol message object.'
            )
        self._values[name] = _check(f[2], value, name)
        self._set_oneof(name)
        self._mark()

    # ---- protobuf API

    def HasField(self, name):
        f = self._field(name)
        if f[4]:
            return self._oneof_set.get(f[4]) == name
        if f[2] != "message":
            raise ValueError(f'Protocol message has no singular "{name}" field.')
        v = self._values.get(name)
        return v is not None and v._present

    def WhichOneof(self, group):
        if not any(f[4] == group for f in self._FIELDS):
            raise ValueError(f'Protocol message has no oneof "{group}" field.')
        return self._oneof_set.get(group)

    def ClearField(self, name):
        f = self._field(name)
        self._values.pop(name, None)
        if f[4] and self._oneof_set.get(f[4]) == name:
            del self._oneof_set[f[4]]

    def Clear(self):
        self._values.clear()
        self._oneof_set.clear()

    def ListFields(self):
        out = []
        for f in self._ORDERED:
            name, kind = f[0], f[2]
            if name not in self._values:
                continue
            v = self._values[name]
            if kind == "message":
                if not v._present:
                    continue
            elif kind == "messages" or kind.startswith("repeated"):
                if not v:
                    continue
            elif f[4]:
                if self._oneof_set.get(f[4]) != name:
                    continue
            elif v == _DEFAULTS[kind]:
                continue
            out.append((name, v))
        return out

    def SerializeToString(self, deterministic=False):
        out = []
        for name, v in self.ListFields():
            _, number, kind, _, _ = self._BY_NAME[name]
            if kind == "message":
                out.append(wire.length_delimited(number, v.SerializeToString()))
            elif kind == "messages":
                out.extend(wire.length_delimited(number, m.SerializeToString()) for m in v)
            elif kind.startswith("repeated"):
                k = kind[9:]
                if k in ("string", "bytes"):
                    out.extend(wire.length_delimited(number, _encode_scalar(k, x)) for x in v)
                else:
                    payload = b"".join(_encode_scalar(k, x) for x in v)
                    out.append(wire.length_delimited(number, payload))
            elif _wire_type(kind) == wire.LENGTH:
                out.append(wire.length_delimited(number, _encode_scalar(kind, v)))
            else:
                out.append(wire.key(number, _wire_type(kind)) + _encode_scalar(kind, v))
        return b"".join(out)

    SerializePartialToString = SerializeToString

    def ByteSize(self):
        return len(self.SerializeToString())

    def MergeFromString(self, data):
        data = bytes(data)
        try:
            self._merge(data)
        except (wire.DecodeError, struct.error, UnicodeDecodeError) as e:
            raise wire.DecodeError(f"Error parsing message: {e}") from None
        return len(data)

    def ParseFromString(self, data):
        self.Clear()
        return self.MergeFromString(data)

    @classmethod
    def FromString(cls, data):
        m = cls()
        m.MergeFromString(data)
        return m

    def MergeFrom(self, other):
        if not isinstance(other, type(self)):
            raise TypeError(
                f"Parameter to MergeFrom() must be instance of same class: expected "
                f"{type(self).__name__} got {type(other).__name__}."
            )
        self.MergeFromString(other.SerializeToString())

    def CopyFrom(self, other):
        if other is not self:
            self.Clear()
            self.MergeFrom(other)

    def IsInitialized(self):
        return True

    def SetInParent(self):
        """Marks this (sub-)message as set, even while empty."""
        self._mark()

    def _merge(self, data):
        for number, wt, value in wire.fields(data):
            f = self._BY_NUMBER.get(number)
            if f is None:
                continue  # unknown fields are skipped
            name, _, kind, arg, _ = f
            if kind == "message":
                child = getattr(self, name)
                child._merge(value)
                child._mark()
            elif kind == "messages":
                m = arg()
                m._merge(value)
                list.append(getattr(self, name), m)
                self._mark()
            elif kind.startswith("repeated"):
                list.extend(getattr(self, name), _decode_scalars(kind[9:], wt, value))
                self._mark()
            else:
                self._values[name] = _decode_scalars(kind, wt, value)[-1]
                self._set_oneof(name)
                self._mark()

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self.SerializeToString() == other.SerializeToString()

    __hash__ = None

    def __reduce__(self):
        return type(self).FromString, (self.SerializeToString(),)

    def __deepcopy__(self, memo):
        return type(self).FromString(self.SerializeToString())

    def __str__(self):
        return "".join(self._text(0))

    __repr__ = __str__

    def _text(self, indent):
        pad = "  " * indent
        for name, v in self.ListFields():
            kind = self._BY_NAME[name][2]
            if kind in ("message", "messages"):
                for m in v if kind == "messages" else [v]:
                    yield f"{pad}{name} {{\n"
                    yield from m._text(indent + 1)
                    yield f"{pad}}}\n"
            else:
                k = kind[9:] if kind.startswith("repeated") else kind
                for x in v if kind.startswith("repeated") else [v]:
                    yield f"{pad}{name}: {self._text_value(name, k, x)}\n"

    def _text_value(self, name, kind, x):
        if kind in ("string", "bytes"):
            return '"' + c_escape(x.encode("utf-8") if kind == "string" else x) + '"'
        if kind == "enum":
            return self._ENUMS.get(name, {}).get(x, str(x))
        if kind == "bool":
            return "true" if x else "false"
        if kind in ("double", "float"):
            if math.isnan(x):
                return "nan"
            if math.isinf(x):
                return "inf" if x > 0 else "-inf"
            return repr(x) if x != int(x) or abs(x) >= 1e16 else str(int(x))
        return str(x)


# ---------------------------------------------------------------- tensor.proto


class _Dim(_Message):
    __slots__ = ()
    _FIELDS = (("size", 1, "int64", None, None), ("name", 2, "string", None, None))


class TensorShapeProto(_Message):
    """TF's ``TensorShapeProto``: ``dim`` (``size``, ``name``) and ``unknown_rank``."""

    __slots__ = ()
    Dim = _Dim
    _FIELDS = (("dim", 2, "messages", _Dim, None), ("unknown_rank", 3, "bool", None, None))


_DT_NAMES = {d.as_datatype_enum: "DT_" + n.upper() for d, n in tensor_proto.TF_TYPE_NAMES.items()}


class TensorProto(_Message):
    """TF's ``TensorProto``: ``dtype``, ``tensor_shape``, raw ``tensor_content`` or the typed
    ``*_val`` fields."""

    __slots__ = ()
    _ENUMS: ClassVar[dict] = {"dtype": _DT_NAMES}
    _FIELDS = (
        ("dtype", 1, "enum", None, None),
        ("tensor_shape", 2, "message", TensorShapeProto, None),
        ("version_number", 3, "int32", None, None),
        ("tensor_content", 4, "bytes", None, None),
        ("half_val", 13, "repeated int32", None, None),
        ("float_val", 5, "repeated float", None, None),
        ("double_val", 6, "repeated double", None, None),
        ("int_val", 7, "repeated int32", None, None),
        ("string_val", 8, "repeated bytes", None, None),
        ("scomplex_val", 9, "repeated float", None, None),
        ("int64_val", 10, "repeated int64", None, None),
        ("bool_val", 11, "repeated bool", None, None),
        ("dcomplex_val", 12, "repeated double", None, None),
        ("uint32_val", 16, "repeated uint32", None, None),
        ("uint64_val", 17, "repeated uint64", None, None),
    )


@tf_export("make_ndarray", "compat.v1.make_ndarray")
def make_ndarray(tensor):
    """Creates a NumPy array with the values of a ``TensorProto`` (raw content or typed values).

    Example:
        >>> tensor = tf.compat.v1.Event.FromString(record).summary.value[0].tensor  # doctest: +SKIP
        >>> tf.make_ndarray(tensor)                                           # doctest: +SKIP
        array(0.5, dtype=float32)
    """
    data = tensor if isinstance(tensor, bytes) else tensor.SerializeToString()
    try:
        return tensor_proto.decode(data)[1]
    except tensor_proto.ProtoError as e:
        raise TypeError(f"Unsupported tensor proto: {e}") from None


def tensor_proto_bytes(array, dtype):
    """The ``TensorProto`` bytes TF's summary writer stores for ``array`` (``AsProtoField`` for
    strings, ``AsProtoTensorContent`` otherwise)."""
    return tensor_proto.encode(array, dtypes.as_dtype(dtype))


# ---------------------------------------------------------------- summary.proto


class HistogramProto(_Message):
    """A TF1 histogram: ``min max num sum sum_squares`` and the ``bucket_limit`` / ``bucket``
    lists."""

    __slots__ = ()
    _FIELDS = (
        ("min", 1, "double", None, None),
        ("max", 2, "double", None, None),
        ("num", 3, "double", None, None),
        ("sum", 4, "double", None, None),
        ("sum_squares", 5, "double", None, None),
        ("bucket_limit", 6, "repeated double", None, None),
        ("bucket", 7, "repeated double", None, None),
    )


class _PluginData(_Message):
    __slots__ = ()
    _FIELDS = (("plugin_name", 1, "string", None, None), ("content", 2, "bytes", None, None))


_DATA_CLASSES = {
    0: "DATA_CLASS_UNKNOWN",
    1: "DATA_CLASS_SCALAR",
    2: "DATA_CLASS_TENSOR",
    3: "DATA_CLASS_BLOB_SEQUENCE",
}


class SummaryMetadata(_Message):
    """Which TensorBoard plugin owns a summary (``plugin_data.plugin_name``/``content``), its
    ``display_name``, ``summary_description`` and ``data_class``."""

    __slots__ = ()
    PluginData = _PluginData
    _ENUMS: ClassVar[dict] = {"data_class": _DATA_CLASSES}
    _FIELDS = (
        ("plugin_data", 1, "message", _PluginData, None),
        ("display_name", 2, "string", None, None),
        ("summary_description", 3, "string", None, None),
        ("data_class", 4, "enum", None, None),
    )


class SummaryDescription(_Message):
    """``type_hint``: the kind of data a summary op produces (TF1)."""

    __slots__ = ()
    _FIELDS = (("type_hint", 1, "string", None, None),)


class _Image(_Message):
    __slots__ = ()
    _FIELDS = (
        ("height", 1, "int32", None, None),
        ("width", 2, "int32", None, None),
        ("colorspace", 3, "int32", None, None),
        ("encoded_image_string", 4, "bytes", None, None),
    )


class _Audio(_Message):
    __slots__ = ()
    _FIELDS = (
        ("sample_rate", 1, "float", None, None),
        ("num_channels", 2, "int64", None, None),
        ("length_frames", 3, "int64", None, None),
        ("encoded_audio_string", 4, "bytes", None, None),
        ("content_type", 5, "string", None, None),
    )


class _Value(_Message):
    __slots__ = ()
    _FIELDS = (
        ("node_name", 7, "string", None, None),
        ("tag", 1, "string", None, None),
        ("metadata", 9, "message", SummaryMetadata, None),
        ("simple_value", 2, "float", None, "value"),
        ("obsolete_old_style_histogram", 3, "bytes", None, "value"),
        ("image", 4, "message", _Image, "value"),
        ("histo", 5, "message", HistogramProto, "value"),
        ("audio", 6, "message", _Audio, "value"),
        ("tensor", 8, "message", TensorProto, "value"),
    )


class Summary(_Message):
    """A list of ``Summary.Value`` (``tag``, ``metadata`` and one of ``simple_value``,
    ``image``, ``histo``, ``audio``, ``tensor``)."""

    __slots__ = ()
    Value, Image, Audio = _Value, _Image, _Audio
    _FIELDS = (("value", 1, "messages", _Value, None),)


# ---------------------------------------------------------------- event.proto


class LogMessage(_Message):
    """A (deprecated) log line in an event file: ``level`` and ``message``."""

    __slots__ = ()
    UNKNOWN, DEBUGGING, INFO, WARN, ERROR, FATAL = 0, 10, 20, 30, 40, 50
    _ENUMS: ClassVar[dict] = {
        "level": {0: "UNKNOWN", 10: "DEBUGGING", 20: "INFO", 30: "WARN", 40: "ERROR", 50: "FATAL"}
    }
    _FIELDS = (("level", 1, "enum", None, None), ("message", 2, "string", None, None))


class SessionLog(_Message):
    """A session status (``START``, ``STOP``, ``CHECKPOINT``) in an event file."""

    __slots__ = ()
    STATUS_UNSPECIFIED, START, STOP, CHECKPOINT = 0, 1, 2, 3
    _ENUMS: ClassVar[dict] = {
        "status": {0: "STATUS_UNSPECIFIED", 1: "START", 2: "STOP", 3: "CHECKPOINT"}
    }
    _FIELDS = (
        ("status", 1, "enum", None, None),
        ("checkpoint_path", 2, "string", None, None),
        ("msg", 3, "string", None, None),
    )


class TaggedRunMetadata(_Message):
    """A tagged, serialized ``RunMetadata``."""

    __slots__ = ()
    _FIELDS = (("tag", 1, "string", None, None), ("run_metadata", 2, "bytes", None, None))


class SourceMetadata(_Message):
    """Which library wrote an event file (``writer``)."""

    __slots__ = ()
    _FIELDS = (("writer", 1, "string", None, None),)


class Event(_Message):
    """One record of an event file: ``wall_time``, ``step`` and one of ``file_version``,
    ``graph_def``, ``summary``, ``log_message``, ``session_log``, ``tagged_run_metadata``,
    ``meta_graph_def``; ``source_metadata`` in the first record."""

    __slots__ = ()
    _FIELDS = (
        ("wall_time", 1, "double", None, None),
        ("step", 2, "int64", None, None),
        ("file_version", 3, "string", None, "what"),
        ("graph_def", 4, "bytes", None, "what"),
        ("summary", 5, "message", Summary, "what"),
        ("log_message", 6, "message", LogMessage, "what"),
        ("session_log", 7, "message", SessionLog, "what"),
        ("tagged_run_metadata", 8, "message", TaggedRunMetadata, "what"),
        ("meta_graph_def", 9, "bytes", None, "what"),
        ("source_metadata", 10, "message", SourceMetadata, None),
    )


for _cls, _names in (
    (Event, ("compat.v1.Event", "compat.v1.summary.Event")),
    (Summary, ("compat.v1.Summary", "compat.v1.summary.Summary")),
    (SummaryMetadata, ("compat.v1.SummaryMetadata",)),
    (SummaryDescription, ("compat.v1.summary.SummaryDescription",)),
    (HistogramProto, ("compat.v1.HistogramProto",)),
    (SessionLog, ("compat.v1.SessionLog", "compat.v1.summary.SessionLog")),
    (LogMessage, ("compat.v1.LogMessage",)),
    (TaggedRunMetadata, ("compat.v1.summary.TaggedRunMetadata",)),
):
    tf_export(*_names)(_cls)
