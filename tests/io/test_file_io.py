"""tf.io.read_file / write_file / matching_files (the ReadFile, WriteFile, MatchingFiles ops)."""

import os
from pathlib import Path

import pytest

import tensorlet as tf
from tensorlet.io_ops import file_io


def test_write_then_read(tmp_path):
    path = str(tmp_path / "sub" / "dir" / "f.bin")  # missing parents are created
    data = bytes(range(256)) * 3
    assert tf.io.write_file(path, data) is None
    out = tf.io.read_file(path)
    assert out.dtype == tf.string and out.shape == () and out.numpy() == data
    tf.io.write_file(tf.constant(path), tf.constant("é"))  # str contents are UTF-8
    assert tf.io.read_file(path).numpy() == "é".encode()


def test_write_file_is_atomic(tmp_path, monkeypatch):
    path = str(tmp_path / "f.txt")
    tf.io.write_file(path, "old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(file_io.os, "replace", broken_replace)
    with pytest.raises(tf.errors.ResourceExhaustedError, match="No space left"):
        tf.io.write_file(path, "new contents")
    monkeypatch.undo()
    assert Path(path).read_text() == "old"  # the target was never half-written
    assert os.listdir(tmp_path) == ["f.txt"]  # and the temporary file is gone
    tf.io.write_file(path, "new")
    assert Path(path).read_text() == "new" and os.listdir(tmp_path) == ["f.txt"]


def test_read_file_errors(tmp_path):
    missing = str(tmp_path / "nope")
    with pytest.raises(tf.errors.NotFoundError, match="NewRandomAccessFile failed to Create/Open"):
        tf.io.read_file(missing)
    with pytest.raises(tf.errors.FailedPreconditionError, match="Is a directory"):
        tf.io.read_file(str(tmp_path))
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="must be scalar, but had shape: "
        r"\[2\]",
    ):
        tf.io.read_file([missing, missing])
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a string tensor"):
        tf.io.read_file(3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Contents tensor must be scalar"):
        tf.io.write_file(missing, ["a", "b"])


def test_matching_files(tmp_path):
    for name in ["b.txt", "a.txt", ".hidden.txt", "c.csv"]:
        (tmp_path / name).write_text("x")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "e.txt").write_text("x")
    got = tf.io.matching_files(str(tmp_path / "*.txt"))
    assert got.dtype == tf.string and got.shape.rank == 1
    want = sorted(str(tmp_path / n) for n in [".hidden.txt", "a.txt", "b.txt"])
    assert [p.decode() for p in got.numpy()] == want
    both = tf.io.matching_files([str(tmp_path / "*.csv"), str(tmp_path / "*" / "?.txt")])
    assert [p.decode() for p in both.numpy()] == [
        str(tmp_path / "c.csv"),
        str(tmp_path / "d" / "e.txt"),
    ]
    assert tf.io.matching_files(str(tmp_path / "*.none")).shape == (0,)
    with pytest.raises(tf.errors.InvalidArgumentError, match="scalar or vector"):
        tf.io.matching_files([["*"]])
