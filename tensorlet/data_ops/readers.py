"""File datasets: ``list_files``, ``TextLineDataset``, ``TFRecordDataset``,
``FixedLengthRecordDataset``. Files are opened lazily, when the dataset is iterated."""

import gzip
import os
import zlib

from tensorlet.backend import xp
from tensorlet.data_ops.dataset import DatasetV2
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_spec import TensorSpec

_STRING_SPEC = TensorSpec([], dtypes.string)


def list_files(file_pattern, shuffle=None, seed=None):
    """The files matching ``file_pattern`` (sorted, then shuffled with a buffer of all of
    them unless ``shuffle=False``); InvalidArgumentError when nothing matches."""
    from tensorlet.data_ops.ordering import _ShuffleDataset
    from tensorlet.data_ops.sources import _TensorSliceDataset
    from tensorlet.io_ops import file_io

    pattern = convert_to_tensor(file_pattern, dtype=dtypes.string)
    files = file_io.matching_files(pattern)
    n = int(files.shape[0])
    if n == 0:
        joined = b", ".join(xp.asarray(pattern._value, dtype=object).reshape(-1).tolist())
        raise errors.op_error(
            errors.InvalidArgumentError,
            "Assert",
            (
                "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: "
                f"{b'No files matched pattern: ' + joined!r}"
            ),
        )
    ds = _TensorSliceDataset(files, is_files=True)
    if shuffle is None or shuffle:
        ds = _ShuffleDataset(ds, max(n, 1), seed)
    return ds


def _filenames(filenames):
    """The file names as a dataset of scalar strings."""
    if isinstance(filenames, DatasetV2):
        spec = filenames._spec_or_none()
        if spec is not None and spec != _STRING_SPEC:
            raise TypeError(
                "The `filenames` argument must contain `tf.string` elements. Got a "
                f"dataset of `{spec}` elements."
            )
        return filenames
    from tensorlet.data_ops.sources import _TensorSliceDataset

    if isinstance(filenames, os.PathLike):
        filenames = os.fspath(filenames)
    if isinstance(filenames, (list, tuple)):
        filenames = [os.fspath(f) if isinstance(f, os.PathLike) else f for f in filenames]
    try:
        t = convert_to_tensor(filenames, dtype_hint=dtypes.string)
    except (TypeError, ValueError):
        t = None
    if t is None or t.dtype != dtypes.string:
        raise TypeError(
            f"The `filenames` argument must contain `tf.string` elements. Got "
            f"`{t.dtype.name if t is not None else type(filenames).__name__}` "
            "elements."
        )
    if t.shape.rank not in (0, 1):
        raise TypeError(
            f"The `filenames` argument must contain `tf.string` elements of shape "
            f"[] (i.e. scalars). Got elements of shape `{t.shape}`."
        )
    if t.shape.rank == 0:
        t = EagerTensor(xp.asarray(t._value, dtype=object).reshape(1), dtypes.string)
    return _TensorSliceDataset(t)


def _compression(compression_type):
    if compression_type is None:
        return ""
    c = convert_to_tensor(compression_type, dtype=dtypes.string).numpy()
    c = c.decode() if isinstance(c, bytes) else str(c)
    if c not in ("", "ZLIB", "GZIP"):
        raise errors.op_error(
            errors.InvalidArgumentError, "TextLineDataset", f"Unsupported compression_type: {c}."
        )
    return c


def _path(t):
    v = t.numpy()
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def _open(path, compression):
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed by the reading generator
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, None, f"{path}; Is a directory") from None
    except OSError as e:
        raise errors.UnknownError(None, None, f"{path}; {e.strerror}") from None
    if compression == "GZIP":
        return gzip.GzipFile(fileobj=f)
    if compression == "ZLIB":
        data = zlib.decompress(f.read())
        f.close()
        import io

        return io.BytesIO(data)
    return f


def _string(value):
    return EagerTensor(xp.array(value, dtype=object), dtypes.string)


class _FileDataset(DatasetV2):
    """A dataset reading records from every file of ``filenames`` in turn."""

    def __init__(self, filenames, compression_type=None, num_parallel_reads=None):
        self._files = _filenames(filenames)
        self._compression = _compression(compression_type)
        self._parallel = num_parallel_reads
        self._inputs = (self._files,) if isinstance(filenames, DatasetV2) else ()

    def _compute_spec(self, peek):
        return _STRING_SPEC

    def _records(self, path):
        raise NotImplementedError

    def _iterator(self):
        files = self._files._iterator()
        if self._parallel not in (None, 1):
            from tensorlet.data_ops.dataset import num_cpus
            from tensorlet.data_ops.mapping import _interleave

            n = int(self._parallel)
            cycle = num_cpus() if n == -1 else n
            return _interleave(files, lambda t: _OneFile(self, _path(t)), cycle, 1)

        def gen():
            for t in files:
                for rec in self._records(_path(t)):
                    yield _string(rec)

        return gen()


@tf_export("data.TextLineDataset")
class TextLineDatasetV2(_FileDataset):
    """The lines of text files (without their line endings).

    Args:
      filenames: a string, a list of strings, a string tensor or a dataset of file names.
      compression_type: "" (default), "ZLIB" or "GZIP".
      buffer_size: read buffer size (ignored).
      num_parallel_reads: read this many files interleaved line by line.
    """

    def __init__(
        self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None
    ):
        super().__init__(filenames, compression_type, num_parallel_reads)

    def _records(self, path):
        f = _open(path, self._compression)
        try:
            for line in f:
                if line.endswith(b"\n"):
                    line = line[:-1]
                    if line.endswith(b"\r"):
                        line = line[:-1]
                yield line
        finally:
            f.close()


@tf_export("data.TFRecordDataset")
class TFRecordDatasetV2(_FileDataset):
    """The records of TFRecord files.

    Args:
      filenames: a string, a list of strings, a string tensor or a dataset of file names.
      compression_type: "" (default), "ZLIB" or "GZIP".
      buffer_size: read buffer size (ignored).
      num_parallel_reads: read this many files interleaved record by record.
    """

    def __init__(
        self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None
    ):
        super().__init__(filenames, compression_type, num_parallel_reads)

    def _records(self, path):
        from tensorlet.io_ops import tfrecord

        if not os.path.exists(path):
            raise errors.NotFoundError(None, None, f"{path}; No such file or directory")
        return tfrecord.read_tfrecords(path, self._compression or None)


@tf_export("data.FixedLengthRecordDataset")
class FixedLengthRecordDatasetV2(_FileDataset):
    """Fixed-length records of binary files (after ``header_bytes``, before ``footer_bytes``)."""

    def __init__(
        self,
        filenames,
        record_bytes,
        header_bytes=None,
        footer_bytes=None,
        buffer_size=None,
        compression_type=None,
        num_parallel_reads=None,
        name=None,
    ):
        super().__init__(filenames, compression_type, num_parallel_reads)
        self._record = int(record_bytes)
        self._header = int(header_bytes or 0)
        self._footer = int(footer_bytes or 0)
        if self._record <= 0:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "FixedLengthRecordDatasetV2",
                f"record_bytes must be greater than zero but is {self._record}.",
            )

    def _records(self, path):
        f = _open(path, self._compression)
        try:
            data = f.read()
        finally:
            f.close()
        body = data[self._header : len(data) - self._footer if self._footer else len(data)]
        for i in range(0, len(body) - self._record + 1, self._record):
            yield body[i : i + self._record]


class _OneFile:
    """The records of one file as an interleave input."""

    def __init__(self, reader, path):
        self._reader, self._path = reader, path

    def _iterator(self):
        return map(_string, self._reader._records(self._path))
