"""tf.io.gfile (and tf.compat.v1.gfile): the file-system functions and GFile."""

import os
from pathlib import Path

import pytest

import tensorlet as tf

gfile = tf.io.gfile


def test_paths(tmp_path):
    d = str(tmp_path / "a" / "b")
    assert not gfile.exists(d)
    gfile.makedirs(d)
    gfile.makedirs(d)  # existing: fine
    assert gfile.exists(d) and gfile.isdir(d)
    with pytest.raises(tf.errors.AlreadyExistsError):
        gfile.mkdir(d)
    with pytest.raises(tf.errors.NotFoundError):
        gfile.mkdir(str(tmp_path / "x" / "y"))
    gfile.mkdir(str(tmp_path / "c"))
    assert gfile.listdir(str(tmp_path)) == ["a", "c"]
    with pytest.raises(tf.errors.NotFoundError, match="Could not find directory"):
        gfile.listdir(str(tmp_path / "nope"))
    assert gfile.join("a", "b", "c") == os.path.join("a", "b", "c")
    assert gfile.join("gs://bucket", "x", "y") == "gs://bucket/x/y"
    assert "" in gfile.get_registered_schemes()


def test_files(tmp_path):
    src, dst = str(tmp_path / "src.txt"), str(tmp_path / "dst.txt")
    with gfile.GFile(src, "w") as f:
        f.write("hello")
    st = gfile.stat(src)
    assert st.length == 5 and not st.is_directory and st.mtime_nsec > 0
    assert gfile.stat(str(tmp_path)).is_directory
    gfile.copy(src, dst)
    with pytest.raises(tf.errors.AlreadyExistsError, match="file already exists"):
        gfile.copy(src, dst)
    gfile.copy(src, dst, overwrite=True)
    with pytest.raises(tf.errors.AlreadyExistsError):
        gfile.rename(src, dst)
    gfile.rename(src, dst, overwrite=True)
    assert not gfile.exists(src) and Path(dst).read_text() == "hello"
    with pytest.raises(tf.errors.NotFoundError):
        gfile.rename(src, str(tmp_path / "other"))
    with pytest.raises(tf.errors.NotFoundError):
        gfile.copy(src, str(tmp_path / "other"))
    with pytest.raises(tf.errors.NotFoundError):
        gfile.stat(src)
    gfile.remove(dst)
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        gfile.remove(dst)


def test_glob_rmtree_walk(tmp_path):
    for p in ["a/x.txt", "a/b/y.txt", "a/b/z.csv", "c/w.txt"]:
        full = tmp_path / p
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_text(p)
    root = str(tmp_path)
    assert gfile.glob(os.path.join(root, "*", "*.txt")) == [
        os.path.join(root, "a", "x.txt"),
        os.path.join(root, "c", "w.txt"),
    ]
    assert len(gfile.glob([os.path.join(root, "a", "b", "*"), os.path.join(root, "c", "*")])) == 3
    top_down = list(gfile.walk(root))
    assert top_down[0] == (root, ["a", "c"], [])
    assert [w[0] for w in top_down] == [root, root + "/a", root + "/a/b", root + "/c"]
    assert top_down[2][2] == ["y.txt", "z.csv"]
    assert [w[0] for w in gfile.walk(root, topdown=False)][-1] == root
    errors = []
    assert list(gfile.walk(root + "/nope", onerror=errors.append)) == [] and len(errors) == 1
    gfile.rmtree(root + "/a")
    assert not gfile.exists(root + "/a")
    gfile.rmtree(root + "/c/w.txt")  # a file is simply deleted
    with pytest.raises(tf.errors.NotFoundError):
        gfile.rmtree(root + "/a")


def test_gfile_text_and_binary(tmp_path):
    path = str(tmp_path / "f.txt")
    with gfile.GFile(path, "w") as f:
        f.write("line one\n")
        f.write(b"line two\n")
        f.write("caf\u00e9\n")
        assert f.tell() == 24
        f.flush()
    with gfile.GFile(path) as f:
        assert f.size() == 24
        assert f.readline() == "line one\n"
        assert f.tell() == 9
        assert f.read(4) == "line"
        assert f.readlines() == [" two\n", "caf\u00e9\n"]
        assert f.readline() == ""
        assert f.seek(0) == 0
        assert list(f) == ["line one\n", "line two\n", "caf\u00e9\n"]
        f.seek(offset=-6, whence=2)
        assert f.read() == "caf\u00e9\n"
        f.seek(position=5)
        assert f.read(3) == "one"
    with gfile.GFile(path, "rb") as f:
        data = f.read()
        assert isinstance(data, bytes) and data.endswith("caf\u00e9\n".encode())
    with gfile.GFile(path, "a") as f:
        f.write("more")
    assert Path(path).read_text().endswith("more")
    with gfile.GFile(path, "wb") as f:
        f.write(b"\x00\x01")
    assert gfile.GFile(path, "rb").read() == b"\x00\x01"
    assert gfile.GFile(path, "rb").mode == "rb" and gfile.GFile(path).name == path


def test_gfile_errors(tmp_path):
    path = str(tmp_path / "missing.txt")
    f = gfile.GFile(path)  # opened lazily: the error comes with the first read
    with pytest.raises(tf.errors.NotFoundError):
        f.read()
    with pytest.raises(tf.errors.InvalidArgumentError, match="mode is not"):
        gfile.GFile(path, "x")
    with pytest.raises(tf.errors.PermissionDeniedError, match="isn't open for writing"):
        gfile.GFile(path, "r").write("x")
    with pytest.raises(tf.errors.PermissionDeniedError, match="isn't open for reading"):
        gfile.GFile(path, "w").read()


def test_compat_v1_gfile(tmp_path):
    g = tf.compat.v1.gfile
    path = str(tmp_path / "f")
    assert g.GFile is gfile.GFile and g.Open is gfile.GFile and g.FastGFile is gfile.GFile
    with g.Open(path, "w") as f:
        f.write("x")
    assert g.Exists(path) and not g.IsDirectory(path)
    g.Copy(path, path + "2")
    g.Rename(path + "2", path, overwrite=True)
    g.MakeDirs(str(tmp_path / "d" / "e"))
    g.MkDir(str(tmp_path / "f2"))
    assert g.ListDirectory(str(tmp_path)) == ["d", "f", "f2"]
    assert g.Glob(str(tmp_path / "f*")) == [path, path + "2"]
    assert g.Stat(path).length == 1
    assert next(iter(g.Walk(str(tmp_path))))[0] == str(tmp_path)
    g.Remove(path)
    g.DeleteRecursively(str(tmp_path / "d"))
    assert g.ListDirectory(str(tmp_path)) == ["f2"]
