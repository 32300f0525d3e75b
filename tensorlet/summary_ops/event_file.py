"""Event files: TF's ``SummaryFileWriter`` + ``EventsWriter``, and ``summary_iterator``.

A file is ``<logdir>/events.out.tfevents.<%010d seconds>.<hostname>.<pid>.<n><suffix>`` (``n``
counts the writers of this process), a TFRecord file (masked CRC32C framing, written by
``tf.io.TFRecordWriter``) of serialized ``Event`` protos. The first record, written and flushed
when the writer is created, is ``Event{wall_time: <whole seconds>, file_version:
"brain.Event:2", source_metadata{writer: "tensorflow.core.util.events_writer"}}``.

As in TF, events are queued and written when more than ``max_queue`` are waiting, when
``flush_millis`` have passed since the last flush, on ``flush()`` and on ``close()`` (also when
the writer is garbage collected).
"""

import itertools
import os
import socket
import struct
import time

from tensorlet.framework import errors
from tensorlet.framework.export import tf_export
from tensorlet.io_ops import tfrecord, wire
from tensorlet.summary_ops import event_pb

FILE_VERSION = "brain.Event:2"
SOURCE_WRITER = "tensorflow.core.util.events_writer"
_FILE_IDS = itertools.count()  # TF's process-wide file_id_counter


def event_bytes(wall_time, step, summary=None, graph_def=None):
    """A serialized ``Event`` (fields in number order: wall_time, step, then the payload)."""
    out = [wire.key(1, wire.FIXED64) + struct.pack("<d", wall_time)]
    if step:
        out.append(wire.varint_field(2, step))
    if graph_def is not None:
        out.append(wire.length_delimited(4, graph_def))
    if summary is not None:
        out.append(wire.length_delimited(5, summary))
    return b"".join(out)


def summary_value_bytes(tag, tensor, metadata=b""):
    """A serialized ``Summary`` with one ``Value{tag, tensor, metadata}`` (TensorProto bytes)."""
    value = wire.length_delimited(1, tag) + wire.length_delimited(8, tensor)
    if metadata:
        value += wire.length_delimited(9, metadata)
    return wire.length_delimited(1, value)


class EventFileWriter:
    """Writes events to a new event file in ``logdir`` (TF's ``SummaryFileWriter``)."""

    def __init__(self, logdir, max_queue=10, flush_millis=120000, filename_suffix=".v2"):
        logdir = os.fspath(logdir)
        try:
            os.makedirs(logdir, exist_ok=True)
        except OSError as e:
            raise errors.FailedPreconditionError(None, None, f"{logdir}: {e.strerror}") from None
        sep = "" if filename_suffix.startswith(".") else "."
        suffix = f".{os.getpid()}.{next(_FILE_IDS)}{sep}{filename_suffix}"
        seconds = int(time.time())
        name = f"events.out.tfevents.{seconds:010d}.{socket.gethostname()}{suffix}"
        self.path = os.path.join(logdir, name)
        self.logdir = logdir
        self._max_queue = int(max_queue)
        self._flush_seconds = float(flush_millis) / 1000.0
        self._queue = []
        self._file = tfrecord.TFRecordWriter(self.path)
        first = event_pb.Event(wall_time=float(seconds), file_version=FILE_VERSION)
        first.source_metadata.writer = SOURCE_WRITER
        self._file.write(first.SerializeToString())
        self._file.flush()
        self._last_flush = time.time()

    @property
    def closed(self):
        return self._file is None

    def add_event(self, serialized_event):
        """Queues one serialized ``Event``; writes the queue when it is due."""
        if self._file is None:
            raise errors.FailedPreconditionError(None, None, "The event file writer is closed.")
        self._queue.append(serialized_event)
        now = time.time()
        if len(self._queue) > self._max_queue or now - self._last_flush > self._flush_seconds:
            self.flush()

    def add_tensor(self, step, tag, tensor, metadata=b""):
        """Queues an ``Event{wall_time: now, step, summary{value{tag, tensor, metadata}}}``."""
        summary = summary_value_bytes(tag, tensor, metadata)
        self.add_event(event_bytes(time.time(), step, summary=summary))

    def flush(self):
        if self._file is None:
            return
        for record in self._queue:
            self._file.write(record)
        self._queue.clear()
        self._file.flush()
        self._last_flush = time.time()

    def close(self):
        if self._file is None:
            return
        self.flush()
        self._file.close()
        self._file = None

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001,S110 (interpreter shutdown)
            pass


@tf_export("compat.v1.train.summary_iterator")
def summary_iterator(path):
    """Yields the ``tf.compat.v1.Event`` protos of the event file ``path``, in file order.

    Damaged records raise ``DataLossError`` as ``tf.data.TFRecordDataset`` does.

    Example:
        >>> for event in tf.compat.v1.train.summary_iterator(path):   # doctest: +SKIP
        ...     for value in event.summary.value:
        ...         print(event.step, value.tag, tf.make_ndarray(value.tensor))
    """
    for record in tfrecord.read_tfrecords(path):
        yield event_pb.Event.FromString(record)
