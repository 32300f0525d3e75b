"""tf.train.Example & co: the hand-written protobuf messages."""

import copy
import os
import pickle

import pytest

import tensorlet as tf
from tensorlet.io_ops import wire
from tensorlet.io_ops.tfrecord import read_tfrecords

T = tf.train


def _example():
    return T.Example(
        features=T.Features(
            feature={
                "i": T.Feature(int64_list=T.Int64List(value=[1, -2, 2**40])),
                "f": T.Feature(float_list=T.FloatList(value=[0.5, 0.1])),
                "b": T.Feature(bytes_list=T.BytesList(value=[b"ab", b"\xff\n"])),
            }
        )
    )


def test_wire_format_bytes():
    # field 1 (Int64List.value), packed: 0a 02 01 02
    assert T.Int64List(value=[1, 2]).SerializeToString() == b"\n\x02\x01\x02"
    assert T.Int64List(value=[-1]).SerializeToString() == b"\n\x0a" + b"\xff" * 9 + b"\x01"
    assert T.FloatList(value=[1.0]).SerializeToString() == b"\n\x04\x00\x00\x80?"
    assert T.BytesList(value=[b"a", b""]).SerializeToString() == b"\n\x01a\n\x00"
    assert T.Feature(int64_list=T.Int64List()).SerializeToString() == b"\x1a\x00"  # set, empty
    assert T.Feature().SerializeToString() == b""
    ex = T.Example(features=T.Features(feature={"k": T.Feature(int64_list=T.Int64List(value=[7]))}))
    # Example{features = 1: Features{feature = 1: entry{key = 1, value = 2: Feature{...}}}}
    assert ex.SerializeToString() == b"\n\x0c\n\x0a\n\x01k\x12\x05\x1a\x03\n\x01\x07"
    parsed = T.Example.FromString(ex.SerializeToString())
    assert parsed.features.feature["k"].int64_list.value == [7]


def test_roundtrip_and_api():
    ex = _example()
    data = ex.SerializeToString()
    back = T.Example.FromString(data)
    assert back == ex and back.SerializeToString() == data
    assert back.features.feature["i"].int64_list.value == [1, -2, 2**40]
    assert back.features.feature["f"].float_list.value == [0.5, pytest.approx(0.1, rel=1e-7)]
    assert back.features.feature["f"].float_list.value[1] != 0.1  # stored as a float32
    assert back.features.feature["b"].WhichOneof("kind") == "bytes_list"
    assert back.HasField("features") and not T.Example().HasField("features")
    other = T.Example()
    assert other.ParseFromString(data) == len(data) and other == ex
    copied = T.Example()
    copied.CopyFrom(ex)
    assert copied == ex and copy.deepcopy(ex) == ex and pickle.loads(pickle.dumps(ex)) == ex
    assert ex.ByteSize() == len(data)
    assert ex.SerializeToString(deterministic=True) == T.Example.FromString(data).SerializeToString(
        deterministic=True
    )


def test_mutation_marks_presence_and_oneof():
    ex = T.Example()
    ex.features.feature["x"].float_list.value.append(1.5)
    ex.features.feature["x"].float_list.value.extend([2, 3])
    assert ex.HasField("features")
    assert T.Example.FromString(ex.SerializeToString()).features.feature["x"].float_list.value == [
        1.5,
        2.0,
        3.0,
    ]
    f = ex.features.feature["x"]
    f.int64_list.value.append(4)  # setting another member of the oneof clears float_list
    assert f.WhichOneof("kind") == "int64_list" and not f.HasField("float_list")
    fl = T.FeatureList()
    fl.feature.add(bytes_list=T.BytesList(value=[b"s"]))
    fl.feature.append(T.Feature(float_list=T.FloatList(value=[1.0])))
    seq = T.SequenceExample(feature_lists=T.FeatureLists(feature_list={"w": fl}))
    seq.context.feature["id"].int64_list.value.append(3)
    back = T.SequenceExample.FromString(seq.SerializeToString())
    assert back.context.feature["id"].int64_list.value == [3]
    assert len(back.feature_lists.feature_list["w"].feature) == 2


def test_type_errors():
    with pytest.raises(TypeError):
        T.Int64List(value=[1.5])
    with pytest.raises(TypeError):
        T.BytesList(value=["str"])
    with pytest.raises(TypeError):
        T.FloatList(value=["1.0"])
    with pytest.raises(ValueError, match="out of range"):
        T.Int64List(value=[2**63])
    with pytest.raises(ValueError, match='has no "nope" field'):
        T.Example(nope=1)
    with pytest.raises(AttributeError, match="Assignment not allowed"):
        T.Int64List().value = [1]
    with pytest.raises(wire.DecodeError):
        T.Example.FromString(b"\x0a\x05ab")


def test_text_format():
    ex = T.Example(
        features=T.Features(
            feature={
                "b": T.Feature(bytes_list=T.BytesList(value=[b'q"\n\xff'])),
                "a": T.Feature(float_list=T.FloatList(value=[0.1, 2.0])),
            }
        )
    )
    assert str(ex) == (
        'features {\n  feature {\n    key: "a"\n    value {\n      float_list {\n'
        "        value: 0.1\n        value: 2.0\n      }\n    }\n  }\n"
        '  feature {\n    key: "b"\n    value {\n      bytes_list {\n'
        '        value: "q\\"\\n\\377"\n      }\n    }\n  }\n}\n'
    )


def test_golden_examples_reserialize_identically(tfrecord_dir):
    for r in read_tfrecords(os.path.join(tfrecord_dir, "examples.tfrecord")):
        assert T.Example.FromString(r).SerializeToString() == r
    for r in read_tfrecords(os.path.join(tfrecord_dir, "sequence_examples.tfrecord")):
        assert T.SequenceExample.FromString(r).SerializeToString() == r
