"""The file ops: ``ReadFile`` (``tf.io.read_file``), ``WriteFile`` (``tf.io.write_file``) and
``MatchingFiles`` (``tf.io.matching_files``).

``write_file`` writes to a temporary file beside the target and renames it over the target, so a
reader never sees a half-written file (TF's local file system writes in place).
"""

import errno
import os
import tempfile

from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.io_ops import gfile
from tensorlet.io_ops._rules import (
    as_bytes,
    require_rank,
    scalar_string,
    string_array,
    string_inputs,
)
from tensorlet.ops.op_def import apply, defop

D = dtypes


def _scalar(arr):
    if arr.ndim != 0:  # apply() turns this into the shape rule's InvalidArgumentError
        raise ValueError("not a scalar")
    return as_bytes(arr[()])


def _name(arr):
    return _scalar(arr).decode("utf-8")


# ---------------------------------------------------------------- ReadFile


def _read_file_kernel(filename):
    path = _name(filename)
    try:
        with open(path, "rb") as f:
            return scalar_string(f.read())
    except OSError as e:
        if e.errno == errno.ENOENT:  # TF's local file system message
            raise errors.op_error(
                errors.NotFoundError,
                "ReadFile",
                f"NewRandomAccessFile failed to Create/Open: {path} : {e.strerror}; {e.strerror}",
            ) from None
        raise gfile.os_error(e, path, "ReadFile") from None


def _read_file_shape(op, inputs, attrs):
    require_rank(op, inputs[0].shape, (0,), "Input filename tensor must be scalar, but had shape: ")
    return (TensorShape([]),)


read_file_op = defop(
    "ReadFile",
    _read_file_kernel,
    dtype_rule=string_inputs(D.string),
    shape_rule=_read_file_shape,
    stateful=True,
)


@tf_export("io.read_file", "compat.v1.io.read_file", "compat.v1.read_file")
def read_file(filename, name=None):
    """Reads the contents of file ``filename``: a scalar string tensor of its bytes.

    Raises ``NotFoundError`` for a missing file.

    Example:
      >>> tf.io.write_file("/tmp/hello.txt", "hello")  # doctest: +SKIP
      >>> tf.io.read_file("/tmp/hello.txt").numpy()     # doctest: +SKIP
      b'hello'
    """
    return apply(read_file_op, filename, name=name)


# ---------------------------------------------------------------- WriteFile


def _write_file_kernel(filename, contents):
    path = _name(filename)
    data = _scalar(contents)
    directory = os.path.dirname(path) or "."
    try:  # TF creates missing parent directories
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory
        )
    except OSError as e:
        raise gfile.os_error(e, path, "WriteFile") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as e:
        _discard(tmp)
        raise gfile.os_error(e, path, "WriteFile") from None
    except BaseException:
        _discard(tmp)
        raise
    return ()


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _discard(tmp):
    try:
        os.remove(tmp)
    except OSError:
        pass


def _write_file_shape(op, inputs, attrs):
    require_rank(op, inputs[0].shape, (0,), "Input filename tensor must be scalar, but had shape: ")
    require_rank(op, inputs[1].shape, (0,), "Contents tensor must be scalar, but had shape: ")
    return ()


write_file_op = defop(
    "WriteFile",
    _write_file_kernel,
    dtype_rule=string_inputs(),
    shape_rule=_write_file_shape,
    stateful=True,
    num_outputs=0,
)


@tf_export("io.write_file", "compat.v1.io.write_file", "compat.v1.write_file")
def write_file(filename, contents, name=None):
    """Writes ``contents`` (a scalar string) to the file ``filename``, creating missing parent
    directories. The file is replaced atomically: it is written under a temporary name first."""
    apply(write_file_op, filename, contents, name=name)


# ---------------------------------------------------------------- MatchingFiles


def _matching_files_kernel(pattern):
    found = []
    for p in pattern.reshape(-1):
        found.extend(gfile.glob(as_bytes(p).decode("utf-8")))
    return string_array(sorted(f.encode("utf-8") for f in found))


def _matching_files_shape(op, inputs, attrs):
    require_rank(
        op,
        inputs[0].shape,
        (0, 1),
        "Input patterns tensor must be scalar or vector, but had shape: ",
    )
    return (TensorShape([None]),)


matching_files_op = defop(
    "MatchingFiles",
    _matching_files_kernel,
    dtype_rule=string_inputs(D.string),
    shape_rule=_matching_files_shape,
    stateful=True,
)


@tf_export("io.matching_files", "compat.v1.io.matching_files", "compat.v1.matching_files")
def matching_files(pattern, name=None):
    """The sorted files matching ``pattern`` (a scalar or vector of glob patterns): a 1-D string
    tensor (empty when nothing matches)."""
    return apply(matching_files_op, pattern, name=name)
