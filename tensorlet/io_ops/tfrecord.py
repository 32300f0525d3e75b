"""TFRecord files: ``tf.io.TFRecordWriter``, ``tf.io.TFRecordOptions`` and the reader that
``tf.data.TFRecordDataset`` and ``tf.compat.v1.io.tf_record_iterator`` use (``read_tfrecords``).

Each record is framed as TF's ``RecordWriter`` does::

    uint64 length (little-endian) | uint32 masked_crc32c(length bytes) | data | uint32 masked_crc32c(data)

``GZIP`` / ``ZLIB`` compress the whole framed stream as one gzip / zlib stream (zlib's defaults
with TF's ``mem_level`` 9). A damaged file fails like TF's ``RecordReader``: a bad CRC raises
``DataLossError("corrupted record at <offset>")`` (the header's offset for a bad length CRC,
the payload's for a bad data CRC); a record cut short raises ``DataLossError("truncated record at
<header offset>' failed with Read less bytes than requested")``; a partial header at the end is
read as the end of the file, as in TF.
"""

import enum
import os
import struct
import zlib

from tensorlet.framework import errors
from tensorlet.framework.export import tf_export
from tensorlet.io_ops import crc32c

_HEADER = 12


@tf_export("compat.v1.io.TFRecordCompressionType", "compat.v1.python_io.TFRecordCompressionType")
class TFRecordCompressionType(enum.IntEnum):
    """The type of compression for the record (TF1)."""

    NONE = 0
    ZLIB = 1
    GZIP = 2


@tf_export(
    "io.TFRecordOptions", "compat.v1.io.TFRecordOptions", "compat.v1.python_io.TFRecordOptions"
)
class TFRecordOptions:
    """Options used for manipulating TFRecord files: ``compression_type`` ("", "ZLIB", "GZIP")
    and the zlib settings."""

    compression_type_map = {  # noqa: RUF012
        TFRecordCompressionType.NONE: "",
        TFRecordCompressionType.ZLIB: "ZLIB",
        TFRecordCompressionType.GZIP: "GZIP",
    }

    def __init__(
        self,
        compression_type=None,
        flush_mode=None,
        input_buffer_size=None,
        output_buffer_size=None,
        window_bits=None,
        compression_level=None,
        compression_method=None,
        mem_level=None,
        compression_strategy=None,
    ):
        # An explicit type string validates now; zlib settings imply ZLIB when no type is given.
        if compression_type is None and any(
            v is not None
            for v in (
                flush_mode,
                input_buffer_size,
                output_buffer_size,
                window_bits,
                compression_level,
                compression_method,
                mem_level,
                compression_strategy,
            )
        ):
            compression_type = TFRecordCompressionType.ZLIB
        self.get_compression_type_string(compression_type)
        self.compression_type = compression_type
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_level = compression_level
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy

    @classmethod
    def get_compression_type_string(cls, options):
        """The compression string ("", "ZLIB" or "GZIP") of ``options`` (options, enum or str)."""
        if options is None:
            return ""
        if isinstance(options, TFRecordOptions):
            return cls.get_compression_type_string(options.compression_type)
        if isinstance(options, TFRecordCompressionType):
            return cls.compression_type_map[options]
        if options in cls.compression_type_map:
            return cls.compression_type_map[options]
        if options in cls.compression_type_map.values():
            return options
        raise ValueError(f'Not a valid compression_type: "{options}"')

    def __repr__(self):
        return f"TFRecordOptions(compression_type={self.compression_type!r})"


def _zlib_wbits(kind, window_bits=None):
    bits = 15 if window_bits is None else window_bits
    return bits + 16 if kind == "GZIP" else bits


def _os_error(e, path, op=None):
    cls = {
        2: errors.NotFoundError,
        13: errors.PermissionDeniedError,
        17: errors.AlreadyExistsError,
        21: errors.FailedPreconditionError,
    }.get(e.errno, errors.UnknownError)
    return errors.op_error(cls, op, f"{path}; {e.strerror}")


@tf_export("io.TFRecordWriter", "compat.v1.io.TFRecordWriter", "compat.v1.python_io.TFRecordWriter")
class TFRecordWriter:
    """A class to write records to a TFRecords file.

    Example:
      >>> with tf.io.TFRecordWriter(path) as w:   # doctest: +SKIP
      ...     w.write(example.SerializeToString())
    """

    def __init__(self, path, options=None):
        if not isinstance(options, TFRecordOptions):
            options = TFRecordOptions(compression_type=options)
        self._kind = TFRecordOptions.get_compression_type_string(options)
        self._path = os.fspath(path)
        try:
            self._file = open(self._path, "wb")  # noqa: SIM115
        except OSError as e:
            raise _os_error(e, self._path) from None
        self._compressor = None
        if self._kind:
            level = -1 if options.compression_level is None else options.compression_level
            mem = 9 if options.mem_level is None else options.mem_level
            strategy = options.compression_strategy or zlib.Z_DEFAULT_STRATEGY
            self._compressor = zlib.compressobj(
                level, zlib.DEFLATED, _zlib_wbits(self._kind, options.window_bits), mem, strategy
            )

    def _put(self, data):
        if self._file is None:
            raise errors.FailedPreconditionError(None, None, "Writer is closed.")
        if self._compressor is not None:
            data = self._compressor.compress(data)
        self._file.write(data)

    def write(self, record):
        """Writes one record (bytes; a str is written as UTF-8)."""
        if isinstance(record, str):
            record = record.encode("utf-8")
        record = bytes(record)
        length = struct.pack("<Q", len(record))
        self._put(
            b"".join(
                (
                    length,
                    struct.pack("<I", crc32c.masked_crc32c(length)),
                    record,
                    struct.pack("<I", crc32c.masked_crc32c(record)),
                )
            )
        )

    def flush(self):
        """Flushes the file (and the compressor's pending output)."""
        if self._file is None:
            raise errors.FailedPreconditionError(None, None, "Writer is closed.")
        if self._compressor is not None:
            self._file.write(self._compressor.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self):
        """Flushes and closes the file."""
        if self._file is None:
            return
        if self._compressor is not None:
            self._file.write(self._compressor.flush(zlib.Z_FINISH))
        self._file.close()
        self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001,S110 (interpreter shutdown)
            pass


class _Inflating:
    """A readable stream over a zlib/gzip-compressed file (``read(n)`` of the plain bytes)."""

    def __init__(self, raw, wbits):
        self._raw = raw
        self._d = zlib.decompressobj(wbits)
        self._buf = b""

    def read(self, n):
        while len(self._buf) < n and not self._d.eof:
            chunk = self._raw.read(1 << 16)
            if not chunk:
                break
            try:
                self._buf += self._d.decompress(chunk)
            except zlib.error as e:
                raise errors.DataLossError(None, None, f"inflate() failed: {e}") from None
        out, self._buf = self._buf[:n], self._buf[n:]
        return out

    def close(self):
        self._raw.close()


def _open_stream(path, kind):
    try:
        raw = open(os.fspath(path), "rb")  # noqa: SIM115
    except OSError as e:
        raise _os_error(e, os.fspath(path)) from None
    if kind:
        return _Inflating(raw, _zlib_wbits(kind))
    return raw


def read_tfrecords(path, compression_type=None):
    """Yields the records (bytes) of the TFRecord file ``path``.

    ``compression_type``: "", "ZLIB", "GZIP" (or a ``TFRecordOptions``). Raises TF's
    ``DataLossError`` at the first damaged record (see the module docstring); the records before
    it have been yielded.
    """
    kind = TFRecordOptions.get_compression_type_string(compression_type)
    stream = _open_stream(path, kind)
    offset = 0
    try:
        while True:
            header = stream.read(_HEADER)
            if len(header) < _HEADER:  # TF: a (partial) header at the end is the end of data
                return
            length_bytes = header[:8]
            if crc32c.unmask(struct.unpack("<I", header[8:])[0]) != crc32c.crc32c(length_bytes):
                raise errors.DataLossError(None, None, f"corrupted record at {offset}")
            length = struct.unpack("<Q", length_bytes)[0]
            body = stream.read(length + 4)
            if len(body) < length + 4:
                raise errors.DataLossError(
                    None,
                    None,
                    f"truncated record at {offset}' failed with Read less bytes than requested",
                )
            data = body[:length]
            if crc32c.unmask(struct.unpack("<I", body[length:])[0]) != crc32c.crc32c(data):
                raise errors.DataLossError(None, None, f"corrupted record at {offset + _HEADER}")
            yield data
            offset += _HEADER + length + 4
    finally:
        stream.close()


@tf_export("compat.v1.io.tf_record_iterator", "compat.v1.python_io.tf_record_iterator")
def tf_record_iterator(path, options=None):
    """An iterator over the records (bytes) of a TFRecords file (TF1)."""
    return read_tfrecords(path, options)
