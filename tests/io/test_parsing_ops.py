"""tf.io.parse_example / parse_single_example / parse_(single_)sequence_example."""

import json
import os
import struct
from pathlib import Path

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.io_ops.tfrecord import read_tfrecords

T = tf.train
IAE = tf.errors.InvalidArgumentError


def _ex(**features):
    def feature(v):
        if isinstance(v, list) and v and isinstance(v[0], bytes):
            return T.Feature(bytes_list=T.BytesList(value=v))
        if isinstance(v, list) and v and isinstance(v[0], float):
            return T.Feature(float_list=T.FloatList(value=v))
        return T.Feature(int64_list=T.Int64List(value=v))

    return T.Example(
        features=T.Features(feature={k: feature(v) for k, v in features.items()})
    ).SerializeToString()


SPEC = {
    "id": tf.io.FixedLenFeature([], tf.int64),
    "score": tf.io.FixedLenFeature([3], tf.float32),
    "image_png": tf.io.FixedLenFeature([], tf.string),
    "label": tf.io.FixedLenFeature([], tf.string),
    "tokens": tf.io.VarLenFeature(tf.int64),
}


def test_golden_examples(tfrecord_dir):
    expected = json.loads(Path(tfrecord_dir, "examples_expected.json").read_text())["records"]
    records = list(read_tfrecords(os.path.join(tfrecord_dir, "examples.tfrecord")))
    for r, e in zip(records, expected):
        p = tf.io.parse_single_example(r, SPEC)
        assert p["id"].dtype == tf.int64 and p["id"].shape == () and int(p["id"]) == e["id"]
        bits = [struct.unpack("<I", bytes.fromhex(h))[0] for h in e["score_float32_hex"]]
        assert p["score"].shape == (3,) and p["score"].numpy().view(np.uint32).tolist() == bits
        assert p["label"].numpy().decode("utf-8") == e["label"]
        assert p["tokens"].values.numpy().tolist() == e["tokens"]
        assert p["tokens"].dense_shape.numpy().tolist() == [len(e["tokens"])]
        assert p["tokens"].indices.numpy().tolist() == [[i] for i in range(len(e["tokens"]))]
    batch = tf.io.parse_example(tf.constant(records), SPEC)
    assert batch["id"].numpy().tolist() == list(range(20))
    assert batch["score"].shape == (20, 3) and batch["label"].shape == (20,)
    tokens = batch["tokens"]
    assert tokens.dense_shape.numpy().tolist() == [20, 4]
    assert tokens.values.numpy().tolist() == [t for e in expected for t in e["tokens"]]
    assert tokens.indices.numpy()[:3].tolist() == [[1, 0], [2, 0], [2, 1]]


def test_golden_sequence_examples(tfrecord_dir):
    expected = json.loads(Path(tfrecord_dir, "sequence_examples_expected.json").read_text())
    records = list(read_tfrecords(os.path.join(tfrecord_dir, "sequence_examples.tfrecord")))
    context_spec = {
        "id": tf.io.FixedLenFeature([], tf.int64),
        "name": tf.io.FixedLenFeature([], tf.string),
    }
    sequence_spec = {
        "frames": tf.io.FixedLenSequenceFeature([2], tf.float32),
        "words": tf.io.RaggedFeature(tf.string),
    }
    for r, e in zip(records, expected["records"]):
        ctx, seq = tf.io.parse_single_sequence_example(r, context_spec, sequence_spec)
        assert int(ctx["id"]) == e["context"]["id"]
        assert ctx["name"].numpy().decode() == e["context"]["name"]
        np.testing.assert_array_equal(
            seq["frames"].numpy(), np.array(e["feature_lists"]["frames"], np.float32)
        )
        assert seq["words"].to_list() == [
            [w.encode() for w in step] for step in e["feature_lists"]["words"]
        ]
    ctx, seq, lengths = tf.io.parse_sequence_example(
        records, context_spec, {**sequence_spec, "words_sparse": tf.io.VarLenFeature(tf.string)}
    )
    steps = [len(e["feature_lists"]["frames"]) for e in expected["records"]]
    assert lengths["frames"].numpy().tolist() == steps
    assert seq["frames"].shape == (8, max(steps), 2)
    assert np.all(seq["frames"].numpy()[0, 1:] == 0)  # padding
    assert seq["words"].to_list()[2] == [[], [b"w2_1_0"], [b"w2_2_0", b"w2_2_1"]]
    assert seq["words_sparse"].dense_shape.numpy().tolist() == [8, 0, 0]  # absent everywhere


def test_defaults_ragged_and_sequence_features():
    a = _ex(x=[1.0, 2.0], v=[5, 6, 7])
    b = _ex(v=[8])
    spec = {
        "x": tf.io.FixedLenFeature([2], tf.float32, default_value=[-1.0, -2.0]),
        "v": tf.io.RaggedFeature(tf.int64),
        "s": tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=True),
        "w": tf.io.FixedLenFeature([], tf.string, default_value="none"),
    }
    out = tf.io.parse_example([a, b], spec)
    assert out["x"].numpy().tolist() == [[1, 2], [-1, -2]]
    assert out["v"].to_list() == [[5, 6, 7], [8]]
    assert out["s"].shape == (2, 0)
    assert out["w"].numpy().tolist() == [b"none", b"none"]
    single = tf.io.parse_single_example(a, {"v": tf.io.RaggedFeature(tf.int64)})
    assert single["v"].numpy().tolist() == [5, 6, 7]  # no batch: a plain tensor
    seq = tf.io.parse_example(
        [a, b],
        {"v": tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=True, default_value=-1)},
    )
    assert seq["v"].numpy().tolist() == [[5, 6, 7], [8, -1, -1]]


def test_sparse_feature():
    a = _ex(ix=[3, 1], iy=[0, 2], val=[0.5, 0.25])
    out = tf.io.parse_example(
        [a, _ex(other=[1])], {"sp": tf.io.SparseFeature(["ix", "iy"], "val", tf.float32, [4, 3])}
    )["sp"]
    assert out.indices.numpy().tolist() == [[0, 1, 2], [0, 3, 0]]  # sorted
    assert out.values.numpy().tolist() == [0.25, 0.5]
    assert out.dense_shape.numpy().tolist() == [2, 4, 3]


def test_parse_errors():
    ex = _ex(a=[1.0, 2.0])
    with pytest.raises(
        IAE,
        match="Name: <unknown>, Key: a, Index: 0.  Data types don't match. "
        "Data type: float but expected type: int64",
    ):
        tf.io.parse_single_example(ex, {"a": tf.io.FixedLenFeature([], tf.int64)})
    with pytest.raises(
        IAE,
        match=r"Key: a, Index: 0.  Number of float values != expected.  "
        r"Values size: 2 but output shape: \[3\]",
    ):
        tf.io.parse_single_example(ex, {"a": tf.io.FixedLenFeature([3], tf.float32)})
    with pytest.raises(
        IAE,
        match=r"Feature: b \(data type: int64\) is required but could not "
        "be found.",
    ):
        tf.io.parse_example([ex], {"b": tf.io.FixedLenFeature([], tf.int64)})
    with pytest.raises(IAE, match="Name: second, Key: a, Index: 1"):
        tf.io.parse_example(
            [_ex(a=[1]), ex],
            {"a": tf.io.VarLenFeature(tf.int64)},
            example_names=["first", "second"],
        )
    with pytest.raises(IAE, match="Could not parse example input"):
        tf.io.parse_single_example(b"\xff\xff", {"a": tf.io.VarLenFeature(tf.int64)})
    with pytest.raises(ValueError, match="Unsupported dtype int32"):
        tf.io.parse_single_example(ex, {"a": tf.io.FixedLenFeature([], tf.int32)})
    with pytest.raises(ValueError, match="allow_missing to be True"):
        tf.io.parse_example([ex], {"a": tf.io.FixedLenSequenceFeature([], tf.float32)})
    with pytest.raises(ValueError, match="must be a scalar"):
        tf.io.parse_single_example([ex], {"a": tf.io.VarLenFeature(tf.float32)})
    seq = T.SequenceExample().SerializeToString()
    with pytest.raises(IAE, match="Feature list 'f' is required but could not be found"):
        tf.io.parse_single_sequence_example(
            seq, sequence_features={"f": tf.io.FixedLenSequenceFeature([], tf.float32)}
        )


def test_feature_configs():
    f = tf.io.FixedLenFeature([2], tf.float32)
    assert f.default_value is None and f._fields == ("shape", "dtype", "default_value")
    assert tf.io.FixedLenSequenceFeature([], tf.int64).allow_missing is False
    assert tf.io.SparseFeature("i", "v", tf.float32, 3).already_sorted is False
    assert tf.io.RaggedFeature(tf.string).row_splits_dtype == tf.int32
    assert tf.io.VarLenFeature(tf.int64).dtype == tf.int64
