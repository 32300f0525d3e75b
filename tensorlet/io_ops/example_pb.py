"""``tf.train.Example`` and friends: the messages of TF's ``example.proto`` / ``feature.proto``,
with protobuf's Python API (``SerializeToString``, ``FromString``, ``ParseFromString``,
``CopyFrom``, ``HasField``, ``WhichOneof``, text-format ``str``) over the hand-written wire format.

    message BytesList { repeated bytes value = 1; }
    message FloatList { repeated float value = 1 [packed = true]; }
    message Int64List { repeated int64 value = 1 [packed = true]; }
    message Feature { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2;
                                   Int64List int64_list = 3; } }
    message Features { map<string, Feature> feature = 1; }
    message FeatureList { repeated Feature feature = 1; }
    message FeatureLists { map<string, FeatureList> feature_list = 1; }
    message Example { Features features = 1; }
    message SequenceExample { Features context = 1; FeatureLists feature_lists = 2; }

``decode_features(buf)`` is the fast path the parsing ops use: it reads a serialized
``Features`` straight into ``{name: (kind, values)}`` without building message objects.
"""

from tensorlet.framework.export import tf_export
from tensorlet.io_ops import wire
from tensorlet.io_ops.message import (
    Message,
    _check_bytes,
    _check_float,
    _check_int64,
    _scalars,
)

# ---------------------------------------------------------------- the messages


@tf_export("train.BytesList")
class BytesList(Message):
    """Container that holds repeated fundamental values of byte type in ``tf.train.Feature``."""

    __slots__ = ()
    _SPEC = (("value", 1, "scalars", _check_bytes, None),)


@tf_export("train.FloatList")
class FloatList(Message):
    """Container that holds repeated fundamental values of float type in ``tf.train.Feature``."""

    __slots__ = ()
    _SPEC = (("value", 1, "scalars", _check_float, None),)


@tf_export("train.Int64List")
class Int64List(Message):
    """Container that holds repeated fundamental values of int64 type in ``tf.train.Feature``."""

    __slots__ = ()
    _SPEC = (("value", 1, "scalars", _check_int64, None),)


@tf_export("train.Feature")
class Feature(Message):
    """One feature of an Example: exactly one of ``bytes_list``, ``float_list``, ``int64_list``."""

    __slots__ = ()
    _SPEC = (
        ("bytes_list", 1, "message", BytesList, "kind"),
        ("float_list", 2, "message", FloatList, "kind"),
        ("int64_list", 3, "message", Int64List, "kind"),
    )


@tf_export("train.Features")
class Features(Message):
    """A map from feature names to ``tf.train.Feature`` (``features.feature['name']``)."""

    __slots__ = ()
    _SPEC = (("feature", 1, "map", Feature, None),)


@tf_export("train.FeatureList")
class FeatureList(Message):
    """A list of ``tf.train.Feature`` (one per step of a SequenceExample)."""

    __slots__ = ()
    _SPEC = (("feature", 1, "messages", Feature, None),)


@tf_export("train.FeatureLists")
class FeatureLists(Message):
    """A map from names to ``tf.train.FeatureList``."""

    __slots__ = ()
    _SPEC = (("feature_list", 1, "map", FeatureList, None),)


@tf_export("train.Example")
class Example(Message):
    """An ``Example`` is a standard proto storing data for training and inference."""

    __slots__ = ()
    _SPEC = (("features", 1, "message", Features, None),)


@tf_export("train.SequenceExample")
class SequenceExample(Message):
    """A ``SequenceExample``: ``context`` features plus ``feature_lists`` of per-step features."""

    __slots__ = ()
    _SPEC = (
        ("context", 1, "message", Features, None),
        ("feature_lists", 2, "message", FeatureLists, None),
    )


# ---------------------------------------------------------------- fast decoding for parsing ops

BYTES, FLOAT, INT64 = "bytes", "float", "int64"
_KINDS = {1: BYTES, 2: FLOAT, 3: INT64}


def decode_feature(buf):
    """A serialized ``Feature`` as ``(kind, values)``; ``(None, [])`` when no kind is set."""
    kind, values = None, []
    for number, wt, payload in wire.fields(buf):
        k = _KINDS.get(number)
        if k is None:
            continue
        if k != kind:  # a later oneof member replaces an earlier one
            kind, values = k, []
        check = _check_bytes if k == BYTES else _check_float if k == FLOAT else _check_int64
        for f, fwt, fv in wire.fields(payload):
            if f == 1:
                values.extend(_scalars(check, fwt, fv, "value"))
    return kind, values


def _decode_map(buf, decode_value):
    out = {}
    for number, wt, entry in wire.fields(buf):
        if number != 1 or wt != wire.LENGTH:
            continue
        k, v = "", None
        for f, fwt, fv in wire.fields(entry):
            if f == 1 and fwt == wire.LENGTH:
                k = fv.decode("utf-8")
            elif f == 2 and fwt == wire.LENGTH:
                v = fv
        out[k] = decode_value(v or b"")
    return out


def decode_features(buf):
    """A serialized ``Features`` as ``{name: (kind, values)}``."""
    return _decode_map(buf, decode_feature)


def decode_example(buf):
    """A serialized ``Example`` as ``{name: (kind, values)}``."""
    features = b""
    for number, wt, payload in wire.fields(buf):
        if number == 1 and wt == wire.LENGTH:
            features += payload  # repeated sub-messages merge
    return decode_features(features)


def _decode_feature_list(buf):
    return [
        decode_feature(payload)
        for number, wt, payload in wire.fields(buf)
        if number == 1 and wt == wire.LENGTH
    ]


def decode_sequence_example(buf):
    """A serialized ``SequenceExample`` as ``(context, feature_lists)``: ``{name: (kind,
    values)}`` and ``{name: [(kind, values) per step]}``."""
    context, lists = b"", b""
    for number, wt, payload in wire.fields(buf):
        if number == 1 and wt == wire.LENGTH:
            context += payload
        elif number == 2 and wt == wire.LENGTH:
            lists += payload
    return decode_features(context), _decode_map(lists, _decode_feature_list)
