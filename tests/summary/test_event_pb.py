"""The event-file messages (tf.compat.v1.Event & co.): protobuf's Python API and wire format."""

import copy
import pickle

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.summary_ops import event_pb


def test_event_wire_format_by_hand():
    e = tf.compat.v1.Event(wall_time=1.5, step=3)
    e.summary.value.add(tag="a", simple_value=2.0)
    # wall_time: fixed64; step: varint; summary {value {tag, simple_value: fixed32}}
    expected = (
        b"\x09"
        + np.float64(1.5).tobytes()
        + b"\x10\x03"
        + b"\x2a\x0a"
        + b"\x0a\x08"
        + b"\x0a\x01a"
        + b"\x15"
        + np.float32(2).tobytes()
    )
    assert e.SerializeToString() == expected
    back = tf.compat.v1.Event.FromString(expected)
    assert back == e and back.step == 3 and back.summary.value[0].simple_value == 2.0


def test_defaults_presence_and_oneofs():
    e = tf.compat.v1.Event()
    assert e.step == 0 and e.wall_time == 0.0 and e.file_version == ""
    assert not e.HasField("summary") and e.WhichOneof("what") is None
    _ = e.summary.value  # reading does not set
    assert not e.HasField("summary") and e.SerializeToString() == b""
    e.file_version = "brain.Event:2"
    assert e.WhichOneof("what") == "file_version" and e.HasField("file_version")
    e.summary.value.add(tag="x")  # setting another member clears the first
    assert e.WhichOneof("what") == "summary" and e.file_version == ""
    e.source_metadata.writer = "w"
    assert e.HasField("source_metadata")
    e.ClearField("summary")
    assert e.WhichOneof("what") is None
    with pytest.raises(ValueError, match="no oneof"):
        e.WhichOneof("nope")
    with pytest.raises(ValueError, match="has no"):
        tf.compat.v1.Event(nope=1)
    with pytest.raises(AttributeError):
        e.summary = tf.compat.v1.Summary()
    with pytest.raises(TypeError):
        e.step = "3"
    with pytest.raises(ValueError, match="singular"):
        e.HasField("step")


def test_negative_and_large_ints_round_trip():
    e = tf.compat.v1.Event(step=-5)
    assert tf.compat.v1.Event.FromString(e.SerializeToString()).step == -5
    t = event_pb.TensorProto(int_val=[-1, 2**31 - 1], int64_val=[-(2**63)], uint64_val=[2**64 - 1])
    back = event_pb.TensorProto.FromString(t.SerializeToString())
    assert list(back.int_val) == [-1, 2**31 - 1] and list(back.int64_val) == [-(2**63)]
    assert list(back.uint64_val) == [2**64 - 1]


def test_text_format():
    md = tf.compat.v1.SummaryMetadata(summary_description="d")
    md.plugin_data.plugin_name = "scalars"
    e = tf.compat.v1.Event(wall_time=2.0, step=1)
    v = e.summary.value.add(tag="t\n")
    v.metadata.CopyFrom(md)
    v.tensor.dtype = 1
    v.tensor.tensor_shape.SetInParent()
    v.tensor.tensor_content = b"\x00\x00\x80?"
    text = str(e)
    assert text.startswith('wall_time: 2\nstep: 1\nsummary {\n  value {\n    tag: "t\\n"\n')
    assert (
        "dtype: DT_FLOAT\n      tensor_shape {\n      }\n" in text
        and 'tensor_content: "\\000\\000\\200?"' in text
    )
    assert 'plugin_name: "scalars"' in text and 'summary_description: "d"' in text


def test_merge_copy_pickle_equality():
    a = tf.compat.v1.Summary()
    a.value.add(tag="x", simple_value=1.0)
    b = tf.compat.v1.Summary()
    b.MergeFrom(a)
    b.value.add(tag="y")
    assert len(b.value) == 2 and a != b
    c = copy.deepcopy(b)
    assert c == b and pickle.loads(pickle.dumps(b)) == b
    d = tf.compat.v1.Summary()
    d.CopyFrom(a)
    assert d == a
    d.ParseFromString(b.SerializeToString())
    assert d == b
    with pytest.raises(TypeError):
        d.MergeFrom(tf.compat.v1.Event())
    with pytest.raises(Exception, match="Error parsing"):
        tf.compat.v1.Event.FromString(b"\x0a\xff")


def test_histogram_and_session_log_messages():
    h = tf.compat.v1.HistogramProto(
        min=-1.0, max=2.0, num=3, bucket_limit=[0.0, 2.0], bucket=[1, 2]
    )
    back = tf.compat.v1.HistogramProto.FromString(h.SerializeToString())
    assert list(back.bucket_limit) == [0.0, 2.0] and list(back.bucket) == [1.0, 2.0]
    log = tf.compat.v1.SessionLog(status=tf.compat.v1.SessionLog.START, msg="hi")
    assert "status: START" in str(log)
    e = tf.compat.v1.Event(session_log=log)
    assert e.WhichOneof("what") == "session_log"
    assert tf.compat.v1.Event.FromString(e.SerializeToString()).session_log.msg == "hi"


@pytest.mark.parametrize(
    "value, dtype",
    [
        (np.array(1.5, np.float32), tf.float32),
        (np.arange(6, dtype=np.int64).reshape(2, 3), tf.int64),
        (np.array([b"a", b"bc"], dtype=object), tf.string),
        (np.array([True, False]), tf.bool),
        (np.zeros([0, 3]), tf.float64),
    ],
)
def test_make_ndarray_from_raw_content(value, dtype):
    proto = event_pb.TensorProto.FromString(event_pb.tensor_proto_bytes(value, dtype))
    out = tf.make_ndarray(proto)
    assert out.shape == value.shape and out.tolist() == value.tolist()


def test_make_ndarray_from_typed_values():
    proto = event_pb.TensorProto(dtype=tf.float32.as_datatype_enum, float_val=[2.0])
    proto.tensor_shape.dim.add(size=3)
    assert tf.make_ndarray(proto).tolist() == [2.0, 2.0, 2.0]
    assert tf.compat.v1.make_ndarray is tf.make_ndarray
