"""``tf.io.gfile``: TF's file API over the local file system (and ``tf.compat.v1.gfile``).

Failures raise TF's error classes with the local file system's messages
(``NotFoundError("<path>; No such file or directory")``, ``AlreadyExistsError`` ...).
"""

import errno as _errno
import glob as _glob
import os
import shutil

from tensorlet.framework import errors
from tensorlet.framework.export import tf_export

_ERRNO_CLASSES = {
    _errno.ENOENT: errors.NotFoundError,
    _errno.ENOTDIR: errors.FailedPreconditionError,
    _errno.EEXIST: errors.AlreadyExistsError,
    _errno.EACCES: errors.PermissionDeniedError,
    _errno.EPERM: errors.PermissionDeniedError,
    _errno.EISDIR: errors.FailedPreconditionError,
    _errno.ENOTEMPTY: errors.FailedPreconditionError,
    _errno.ENOSPC: errors.ResourceExhaustedError,
}


def os_error(e, path, op_name=None):
    """A TF error for the OSError ``e`` on ``path`` (``"<path>; <strerror>"``, as TF's IOError)."""
    cls = _ERRNO_CLASSES.get(e.errno, errors.UnknownError)
    return errors.op_error(cls, op_name, f"{path}; {e.strerror}")


def _path(p):
    p = os.fspath(p)
    return p.decode("utf-8") if isinstance(p, bytes) else p


@tf_export("io.gfile.exists")
def exists(path):
    """Whether a path exists (file or directory)."""
    return os.path.exists(_path(path))


@tf_export("io.gfile.isdir")
def isdir(path):
    """Whether ``path`` is a directory."""
    return os.path.isdir(_path(path))


@tf_export("io.gfile.glob")
def glob(pattern):
    """The paths matching ``pattern`` (a str or a list of them), sorted.

    ``*``, ``?`` and ``[...]`` match in any path component; as in TF, ``*`` also matches names
    that start with a dot.
    """
    patterns = [pattern] if isinstance(pattern, (str, bytes, os.PathLike)) else pattern
    out = []
    for p in patterns:
        out.extend(sorted(_glob.glob(_path(p), include_hidden=True)))
    return out


@tf_export("io.gfile.listdir")
def listdir(path):
    """The entries (names, no ``.``/``..``) of the directory ``path``."""
    path = _path(path)
    if not os.path.isdir(path):
        raise errors.NotFoundError(None, None, "Could not find directory")
    return sorted(os.listdir(path))


@tf_export("io.gfile.makedirs")
def makedirs(path):
    """Creates ``path`` and its missing parents; an existing directory is fine."""
    path = _path(path)
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise os_error(e, path) from None


@tf_export("io.gfile.mkdir")
def mkdir(path):
    """Creates the directory ``path`` (its parent must exist; AlreadyExistsError if it exists)."""
    path = _path(path)
    try:
        os.mkdir(path)
    except OSError as e:
        raise os_error(e, path) from None


@tf_export("io.gfile.remove")
def remove(path):
    """Deletes the file ``path`` (NotFoundError when missing)."""
    path = _path(path)
    try:
        os.remove(path)
    except OSError as e:
        raise os_error(e, path) from None


@tf_export("io.gfile.rmtree")
def rmtree(path):
    """Deletes everything under ``path`` (a file is simply deleted)."""
    path = _path(path)
    if not os.path.lexists(path):
        raise errors.NotFoundError(None, None, f"{path} not found")
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
    except OSError as e:
        raise os_error(e, e.filename or path) from None


def _check_target(dst, overwrite):
    if not overwrite and os.path.exists(dst):
        raise errors.AlreadyExistsError(None, None, "file already exists")


@tf_export("io.gfile.rename")
def rename(src, dst, overwrite=False):
    """Renames ``src`` to ``dst``; an existing ``dst`` needs ``overwrite=True``."""
    src, dst = _path(src), _path(dst)
    _check_target(dst, overwrite)
    try:
        os.replace(src, dst)
    except OSError as e:
        raise os_error(e, src) from None


@tf_export("io.gfile.copy")
def copy(src, dst, overwrite=False):
    """Copies the file ``src`` to ``dst``; an existing ``dst`` needs ``overwrite=True``."""
    src, dst = _path(src), _path(dst)
    _check_target(dst, overwrite)
    try:
        shutil.copyfile(src, dst)
    except OSError as e:
        raise os_error(e, e.filename or src) from None


class FileStatistics:
    """What ``tf.io.gfile.stat`` returns: ``length``, ``mtime_nsec``, ``is_directory``."""

    __slots__ = ("is_directory", "length", "mtime_nsec")

    def __init__(self, length, mtime_nsec, is_directory):
        self.length = length
        self.mtime_nsec = mtime_nsec
        self.is_directory = is_directory

    def __repr__(self):
        return (
            f"FileStatistics(length={self.length}, mtime_nsec={self.mtime_nsec}, "
            f"is_directory={self.is_directory})"
        )


@tf_export("io.gfile.stat")
def stat(path):
    """``FileStatistics`` of ``path`` (NotFoundError when missing)."""
    path = _path(path)
    try:
        st = os.stat(path)
    except OSError as e:
        raise os_error(e, path) from None
    is_dir = os.path.isdir(path)
    return FileStatistics(0 if is_dir else st.st_size, st.st_mtime_ns, is_dir)


def _join_child(top, item):
    return top + item if top.endswith("/") else top + "/" + item


@tf_export("io.gfile.walk")
def walk(top, topdown=True, onerror=None):
    """Yields ``(dirname, subdirs, filenames)`` for each directory under ``top``.

    Errors listing a directory go to ``onerror(error)`` when given, else that directory is
    skipped. With ``topdown=False`` children come before their parent.
    """
    top = _path(top)
    try:
        listing = listdir(top)
    except errors.NotFoundError as e:
        if onerror:
            onerror(e)
        return
    files, subdirs = [], []
    for item in listing:
        (subdirs if os.path.isdir(_join_child(top, item)) else files).append(item)
    here = (top, subdirs, files)
    if topdown:
        yield here
    for sub in subdirs:
        yield from walk(_join_child(top, sub), topdown, onerror)
    if not topdown:
        yield here


@tf_export("io.gfile.join")
def join(path, *paths):
    """Joins path components (URL-like paths ``scheme://...`` always with ``/``)."""
    path = _path(path)
    if "://" in path:
        out = path
        for p in paths:
            p = _path(p)
            out = p if p.startswith("/") else (out if out.endswith("/") else out + "/") + p
        return out
    return os.path.join(path, *[_path(p) for p in paths])


@tf_export("io.gfile.get_registered_schemes")
def get_registered_schemes():
    """The registered file system schemes ("" and "file": the local file system)."""
    return ["", "file"]


# ---------------------------------------------------------------- GFile

_MODES = ("r", "w", "a", "r+", "w+", "a+")


@tf_export(
    "io.gfile.GFile", "compat.v1.gfile.GFile", "compat.v1.gfile.Open", "compat.v1.gfile.FastGFile"
)
class GFile:
    """File I/O wrapper without thread locking (TF's ``FileIO``).

    Text modes read and write ``str`` (UTF-8), binary modes ``bytes``; ``tell``/``seek`` count
    bytes. The file is opened on the first read or write, as in TF: a missing file raises
    ``NotFoundError`` then, and a ``"w"`` file is truncated then.
    """

    def __init__(self, name, mode="r"):
        self._name = _path(name)
        self._mode = mode
        self._binary = "b" in mode
        plain = mode.replace("b", "")
        if plain not in _MODES:
            raise errors.InvalidArgumentError(
                None, None, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'"
            )
        self._readable = plain in ("r", "r+", "a+", "w+")
        self._writable = plain in ("a", "w", "r+", "a+", "w+")
        self._py_mode = plain + "b"
        self._f = None

    name = property(lambda self: self._name, doc="Returns the file name.")
    mode = property(lambda self: self._mode, doc="Returns the mode in which the file was opened.")

    def _file(self):
        if self._f is None:
            try:
                self._f = open(self._name, self._py_mode)  # noqa: SIM115
            except OSError as e:
                raise os_error(e, self._name) from None
        return self._f

    def _reader(self):
        if not self._readable:
            raise errors.PermissionDeniedError(None, None, "File isn't open for reading")
        return self._file()

    def _writer(self):
        if not self._writable:
            raise errors.PermissionDeniedError(None, None, "File isn't open for writing")
        return self._file()

    def _out(self, data):
        return data if self._binary else data.decode("utf-8")

    def size(self):
        """The size of the file in bytes."""
        return stat(self._name).length

    def write(self, file_content):
        """Writes ``file_content`` (str or bytes) at the current position."""
        data = (
            file_content.encode("utf-8") if isinstance(file_content, str) else bytes(file_content)
        )
        self._writer().write(data)

    def read(self, n=-1):
        """Reads ``n`` bytes (all the rest when ``n`` is -1)."""
        f = self._reader()
        return self._out(f.read() if n is None or n < 0 else f.read(n))

    def readline(self):
        """The next line, with its newline ('' at the end of the file)."""
        return self._out(self._reader().readline())

    def readlines(self):
        """All the remaining lines."""
        return [self._out(line) for line in self._reader().readlines()]

    def seek(self, offset=None, whence=0, position=None):
        """Seeks to ``offset`` bytes from the start (``whence`` 0), the current position (1) or
        the end (2). ``position`` is the deprecated name of ``offset``."""
        if position is not None:
            if offset is not None:
                raise TypeError("Cannot specify both 'position' and 'offset'")
            offset = position
        self._file().seek(offset or 0, whence)
        return self._f.tell()

    def tell(self):
        """The current position in the file, in bytes."""
        if self._f is None:
            if self._readable:
                self._reader()
            else:
                return 0
        return self._f.tell()

    def flush(self):
        """Flushes written data to the file."""
        if self._f is not None:
            self._f.flush()

    def close(self):
        """Closes the file (further reads or writes reopen it, as in TF)."""
        if self._f is not None:
            self._f.close()
            self._f = None

    def seekable(self):
        return True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    next = __next__

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001,S110
            pass


# ---------------------------------------------------------------- tf.compat.v1.gfile names


@tf_export("compat.v1.gfile.Exists")
def Exists(filename):
    return exists(filename)


@tf_export("compat.v1.gfile.IsDirectory")
def IsDirectory(dirname):
    return isdir(dirname)


@tf_export("compat.v1.gfile.Glob")
def Glob(filename):
    return glob(filename)


@tf_export("compat.v1.gfile.ListDirectory")
def ListDirectory(dirname):
    return listdir(dirname)


@tf_export("compat.v1.gfile.MakeDirs")
def MakeDirs(dirname):
    return makedirs(dirname)


@tf_export("compat.v1.gfile.MkDir")
def MkDir(dirname):
    return mkdir(dirname)


@tf_export("compat.v1.gfile.Remove")
def Remove(filename):
    return remove(filename)


@tf_export("compat.v1.gfile.DeleteRecursively")
def DeleteRecursively(dirname):
    return rmtree(dirname)


@tf_export("compat.v1.gfile.Rename")
def Rename(oldname, newname, overwrite=False):
    return rename(oldname, newname, overwrite)


@tf_export("compat.v1.gfile.Copy")
def Copy(oldpath, newpath, overwrite=False):
    return copy(oldpath, newpath, overwrite)


@tf_export("compat.v1.gfile.Stat")
def Stat(filename):
    return stat(filename)


@tf_export("compat.v1.gfile.Walk")
def Walk(top, in_order=True):
    return walk(top, topdown=in_order)
