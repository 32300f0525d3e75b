"""tf.data file readers: list_files, TextLineDataset, TFRecordDataset, FixedLengthRecordDataset."""

import gzip
import os

import pytest

import tensorlet as tf

D = tf.data.Dataset


def values(ds):
    return list(ds.as_numpy_iterator())


def test_list_files_sorted_shuffled_and_errors(tmp_path):
    for name in ("b.txt", "a.txt", "c.txt", "x.bin"):
        (tmp_path / name).write_text(name)
    pattern = str(tmp_path / "*.txt")
    plain = values(D.list_files(pattern, shuffle=False))
    assert [os.path.basename(p) for p in plain] == [b"a.txt", b"b.txt", b"c.txt"]
    tf.random.set_seed(None)
    shuffled = D.list_files(pattern, seed=3)
    assert sorted(values(shuffled)) == plain
    assert values(D.list_files(pattern, seed=3)) == values(D.list_files(pattern, seed=3))
    assert repr(shuffled).startswith("<_ShuffleDataset")
    with pytest.raises(tf.errors.InvalidArgumentError, match="No files matched pattern"):
        D.list_files(str(tmp_path / "*.png"))


def test_text_line_dataset(tmp_path):
    a = tmp_path / "a.txt"
    a.write_bytes(b"one\r\ntwo\nthree")
    b = tmp_path / "b.txt.gz"
    with gzip.open(b, "wb") as f:
        f.write(b"x\ny\n")
    ds = tf.data.TextLineDataset([str(a)])
    assert repr(ds) == (
        "<TextLineDatasetV2 element_spec=TensorSpec(shape=(), dtype=tf.string, name=None)>"
    )
    assert values(ds) == [b"one", b"two", b"three"]
    assert values(tf.data.TextLineDataset(str(b), compression_type="GZIP")) == [b"x", b"y"]
    both = tf.data.TextLineDataset([str(a), str(a)], num_parallel_reads=2)
    assert values(both)[:4] == [b"one", b"one", b"two", b"two"]
    missing = tf.data.TextLineDataset(str(tmp_path / "nope.txt"))  # lazy: fails when read
    with pytest.raises(tf.errors.NotFoundError):
        values(missing)
    files = D.from_tensor_slices([str(a)])
    assert values(files.interleave(tf.data.TextLineDataset))[0] == b"one"


def test_tfrecord_dataset_round_trip(tmp_path):
    path = str(tmp_path / "r.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        for rec in (b"a", b"bc", b""):
            w.write(rec)
    ds = tf.data.TFRecordDataset(path)
    assert values(ds) == [b"a", b"bc", b""]
    assert type(ds).__name__ == "TFRecordDatasetV2"
    out = str(tmp_path / "w.tfrecord")
    tf.data.experimental.TFRecordWriter(out).write(ds)
    assert values(tf.data.TFRecordDataset([out])) == [b"a", b"bc", b""]
    with pytest.raises(tf.errors.NotFoundError):
        values(tf.data.TFRecordDataset(str(tmp_path / "none")))


def test_tfrecord_parse_pipeline(tmp_path):
    path = str(tmp_path / "ex.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        for i in range(3):
            feat = {"v": tf.train.Feature(int64_list=tf.train.Int64List(value=[i]))}
            w.write(tf.train.Example(features=tf.train.Features(feature=feat)).SerializeToString())
    spec = {"v": tf.io.FixedLenFeature([], tf.int64)}
    ds = tf.data.TFRecordDataset(path).map(lambda s: tf.io.parse_single_example(s, spec)["v"])
    assert ds.element_spec == tf.TensorSpec([], tf.int64)
    assert values(ds.batch(2))[0].tolist() == [0, 1]


def test_fixed_length_record_dataset(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"HH" + b"abcdef" + b"F")
    ds = tf.data.FixedLengthRecordDataset(str(path), 2, header_bytes=2, footer_bytes=1)
    assert values(ds) == [b"ab", b"cd", b"ef"]
