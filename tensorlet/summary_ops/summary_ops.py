"""``tf.summary`` core (TF's ``summary_ops_v2``): writers, recording state and the write ops.

The summary writer is the "resource": a Python object (``_ResourceSummaryWriter``) owning an
``EventFileWriter``. The ops that use it take it as the ``writer`` attr (hashable by identity), so
a summary call traced into a ``tf.function`` becomes a stateful ``WriteSummary`` node that
writes every time the graph runs, with the step read at run time (a ``tf.Variable`` step, a
function argument)::

    WriteSummary(step: int64, tensor: T, tag: string, summary_metadata: string) -> ()
    WriteRawProtoSummary(step: int64, tensor: string) -> ()
    FlushSummaryWriter() -> ()      CloseSummaryWriter() -> ()

(TF's ops take the writer's resource handle as input #0, so TF's input numbers in messages are
one more than the positions here.) Which writer, step and recording condition apply is
per-thread state set by ``writer.as_default(step)``, ``tf.summary.experimental.set_step`` and
``tf.summary.record_if``, read when a summary function is called (traced).
"""

import abc
import contextlib
import logging
import re
import threading
import time

from tensorlet.framework import dtypes, errors
from tensorlet.framework import module as tf_module
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_util import constant_value
from tensorlet.io_ops._rules import as_bytes
from tensorlet.ops import array_ops, comparison_ops, control_flow_ops
from tensorlet.ops.op_def import apply, defop, dtype_mismatch
from tensorlet.summary_ops import event_file, event_pb

D = dtypes
_log = logging.getLogger("tensorflow")


class _SummaryState(threading.local):
    def __init__(self):
        super().__init__()
        self.is_recording = None
        self.is_recording_distribution_strategy = True
        self.writer = None
        self.step = None


_summary_state = _SummaryState()


# ---------------------------------------------------------------- the ops


def _no_outputs(op, inputs, attrs):
    return ()


def _scalar(op, arr, what):
    if getattr(arr, "ndim", 0) != 0:
        raise errors.op_error(
            errors.InvalidArgumentError, op, f"{what} must be a scalar, got shape {list(arr.shape)}"
        )
    return arr[()] if hasattr(arr, "ndim") else arr


def _write_summary_kernel(step, tensor, tag, summary_metadata, *, writer, T):
    events = writer._events_or_raise()
    step = int(_scalar("WriteSummary", step, "step"))
    tag = as_bytes(_scalar("WriteSummary", tag, "tag"))
    metadata = as_bytes(_scalar("WriteSummary", summary_metadata, "summary_metadata"))
    events.add_tensor(step, tag, event_pb.tensor_proto_bytes(tensor, T), metadata)
    return ()


def _write_summary_dtypes(op, inputs, attrs):
    for i, want in ((0, D.int64), (2, D.string), (3, D.string)):
        if inputs[i].dtype is not want:
            raise dtype_mismatch(op, i + 1, want, inputs[i].dtype)
    return ()


write_summary_op = defop(
    "WriteSummary",
    _write_summary_kernel,
    dtype_rule=_write_summary_dtypes,
    shape_rule=_no_outputs,
    stateful=True,
    num_outputs=0,
)


def _write_raw_kernel(step, tensor, *, writer):
    events = writer._events_or_raise()
    step = int(_scalar("WriteRawProtoSummary", step, "step"))
    for item in tensor.reshape(-1):
        data = as_bytes(item)
        try:
            event_pb.Summary.FromString(data)
        except ValueError:
            raise errors.op_error(
                errors.InvalidArgumentError, "WriteRawProtoSummary", "failed to parse summary"
            ) from None
        events.add_event(event_file.event_bytes(_now(), step, summary=data))
    return ()


def _write_raw_dtypes(op, inputs, attrs):
    for i, want in ((0, D.int64), (1, D.string)):
        if inputs[i].dtype is not want:
            raise dtype_mismatch(op, i + 1, want, inputs[i].dtype)
    return ()


write_raw_proto_summary_op = defop(
    "WriteRawProtoSummary",
    _write_raw_kernel,
    dtype_rule=_write_raw_dtypes,
    shape_rule=_no_outputs,
    stateful=True,
    num_outputs=0,
)


def _flush_kernel(*, writer):
    writer._events_or_raise().flush()
    return ()


def _close_kernel(*, writer):
    writer._events_or_raise().close()
    return ()


flush_summary_writer_op = defop(
    "FlushSummaryWriter",
    _flush_kernel,
    dtype_rule=_no_outputs,
    shape_rule=_no_outputs,
    stateful=True,
    num_outputs=0,
)
close_summary_writer_op = defop(
    "CloseSummaryWriter",
    _close_kernel,
    dtype_rule=_no_outputs,
    shape_rule=_no_outputs,
    stateful=True,
    num_outputs=0,
)


def _now():
    return time.time()


# ---------------------------------------------------------------- writers


class _SummaryContextManager:
    """``SummaryWriter.as_default(step)``: sets the default writer (and step); flushes on exit."""

    def __init__(self, writer, step=None):
        self._writer = writer
        self._step = step
        self._old_writer = None
        self._old_step = None

    def __enter__(self):
        self._old_writer = _summary_state.writer
        _summary_state.writer = self._writer
        if self._step is not None:
            self._old_step = _summary_state.step
            _summary_state.step = self._step
        return self._writer

    def __exit__(self, *exc):
        _summary_state.writer.flush()
        _summary_state.writer = self._old_writer
        if self._step is not None:
            _summary_state.step = self._old_step
        return False


@tf_export("summary.SummaryWriter")
class SummaryWriter(metaclass=abc.ABCMeta):
    """Interface representing a stateful summary writer object."""

    def set_as_default(self, step=None):
        """Enables this summary writer for the current thread (and sets the default ``step``
        when it is not None)."""
        self.as_default(step).__enter__()

    def as_default(self, step=None):
        """A context manager that makes this the default writer (and ``step``, when not None,
        the default step); the writer is flushed and the old state restored on exit.

        Example:
            >>> with writer.as_default(step=10):     # doctest: +SKIP
            ...     tf.summary.scalar("loss", 0.5)   # written at step 10
        """
        return _SummaryContextManager(self, step)

    def init(self):
        """Initializes the summary writer."""
        raise NotImplementedError()

    def flush(self):
        """Flushes any buffered data."""
        raise NotImplementedError()

    def close(self):
        """Flushes and closes the summary writer."""
        raise NotImplementedError()


class _ResourceSummaryWriter(SummaryWriter):
    """A writer of one event file (TF's ``_ResourceSummaryWriter``)."""

    def __init__(self, logdir, max_queue, flush_millis, filename_suffix, mesh=None):
        self._events = event_file.EventFileWriter(logdir, max_queue, flush_millis, filename_suffix)
        self._closed = False
        self._mesh = mesh
        self._metadata = {"logdir": logdir}

    def __repr__(self):
        return f"<tensorlet summary writer for {self._events.path!r}>"

    def _events_or_raise(self):
        if self._events.closed:
            raise errors.NotFoundError(
                None,
                None,
                f"Resource localhost/{self._events.path}/N10tensorflow22Summary"
                "WriterInterfaceE does not exist.",
            )
        return self._events

    def set_as_default(self, step=None):
        """See ``SummaryWriter.set_as_default``."""
        if state.graph is None and self._closed:
            raise RuntimeError(f"SummaryWriter {self!r} is already closed")
        super().set_as_default(step)

    def as_default(self, step=None):
        """See ``SummaryWriter.as_default``."""
        if state.graph is None and self._closed:
            raise RuntimeError(f"SummaryWriter {self!r} is already closed")
        return super().as_default(step)

    def init(self):
        """See ``SummaryWriter.init``: the file exists from creation on; nothing to do."""
        if state.graph is None and self._closed:
            raise RuntimeError(f"SummaryWriter {self!r} is already closed")

    def flush(self):
        """See ``SummaryWriter.flush`` (inside ``tf.function``: a ``FlushSummaryWriter`` node)."""
        if state.graph is None and self._closed:
            return
        apply(flush_summary_writer_op, writer=self)
        return

    def close(self):
        """See ``SummaryWriter.close``."""
        if state.graph is None and self._closed:
            return
        try:
            self.flush()
            apply(close_summary_writer_op, writer=self)
        finally:
            if state.graph is None:
                self._closed = True
        return


class _NoopSummaryWriter(SummaryWriter):
    """A summary writer that does nothing, for ``create_noop_writer()``."""

    def set_as_default(self, step=None):
        pass

    @contextlib.contextmanager
    def as_default(self, step=None):
        yield

    def init(self):
        pass

    def flush(self):
        pass

    def close(self):
        pass


def _host_arg(name, value, inside_function):
    """A Python value of a ``create_file_writer`` argument; graph tensors are refused as TF does."""
    if isinstance(value, Tensor):
        if not hasattr(value, "numpy"):
            if inside_function:
                raise ValueError(
                    f"Invalid graph Tensor argument '{name}={value}' to create_file_writer() "
                    "inside an @tf.function. The create call will be lifted into the outer "
                    "eager execution context, so it cannot consume graph tensors defined inside "
                    "the function body."
                )
            raise ValueError(
                f"Invalid graph Tensor argument '{name}={value}' to eagerly "
                "executed create_file_writer()."
            )
        value = value.numpy()
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        elif hasattr(value, "item"):
            value = value.item()
    return value


@tf_export("summary.create_file_writer")
def create_file_writer(
    logdir,
    max_queue=None,
    flush_millis=None,
    filename_suffix=None,
    name=None,
    experimental_trackable=False,
    experimental_mesh=None,
):
    """Creates a summary file writer for the given log directory.

    The directory and a new event file ``events.out.tfevents.<time>.<host>.<pid>.<n><suffix>``
    are created now (its first record is the ``brain.Event:2`` file version).

    Args:
        logdir: a string specifying the directory in which to write an event file.
        max_queue: the largest number of summaries to keep in a queue; will flush once the queue
            gets bigger than this. Defaults to 10.
        flush_millis: the largest interval between flushes. Defaults to 120,000.
        filename_suffix: optional suffix for the event file name. Defaults to `.v2`.
        name: a name for the op that creates the writer (unused).
        experimental_trackable: accepted for compatibility.
        experimental_mesh: accepted for compatibility (no DTensor).

    Returns:
        A ``tf.summary.SummaryWriter``.
    """
    if logdir is None:
        raise ValueError("Argument `logdir` cannot be None")
    inside = state.graph is not None
    args = {
        "logdir": logdir,
        "max_queue": max_queue,
        "flush_millis": flush_millis,
        "filename_suffix": filename_suffix,
    }
    args = {k: _host_arg(k, v, inside) for k, v in args.items()}
    logdir = args["logdir"]
    if isinstance(logdir, bytes):
        logdir = logdir.decode("utf-8")
    return _ResourceSummaryWriter(
        str(logdir) if not hasattr(logdir, "__fspath__") else logdir,
        10 if args["max_queue"] is None else args["max_queue"],
        120000 if args["flush_millis"] is None else args["flush_millis"],
        ".v2" if args["filename_suffix"] is None else str(args["filename_suffix"]),
        mesh=experimental_mesh,
    )


@tf_export("summary.create_noop_writer")
def create_noop_writer():
    """Returns a summary writer that does nothing (a placeholder context manager)."""
    return _NoopSummaryWriter()


# ---------------------------------------------------------------- recording state


def _should_record_summaries_internal(default_state):
    if _summary_state.writer is None:
        return convert_to_tensor(False)
    if not callable(_summary_state.is_recording):
        static = constant_value(_summary_state.is_recording)
        if static is not None and not static:
            return convert_to_tensor(False)

    def resolve(x):
        return x() if callable(x) else x

    cond_distributed = resolve(_summary_state.is_recording_distribution_strategy)
    cond = resolve(_summary_state.is_recording)
    if cond is None:
        cond = default_state
    return comparison_ops.logical_and(cond_distributed, cond)


@tf_export("summary.should_record_summaries")
def should_record_summaries():
    """A boolean tensor: whether summaries will be recorded.

    False without a default writer; otherwise the condition set by ``tf.summary.record_if``
    (True when none is set).
    """
    return _should_record_summaries_internal(default_state=True)


def has_default_writer():
    """Whether a default summary writer exists."""
    return _summary_state.writer is not None


@tf_export("summary.record_if")
@contextlib.contextmanager
def record_if(condition):
    """Sets summary recording on or off per the provided boolean value.

    ``condition``: True, False, a bool tensor, or a callable providing such (called each time a
    summary is about to be written; inside ``tf.function`` its result is a run-time value).
    """
    old = _summary_state.is_recording
    try:
        _summary_state.is_recording = condition
        yield
    finally:
        _summary_state.is_recording = old


@tf_export("summary.experimental.get_step")
def get_step():
    """The default summary step of this thread (set by ``set_step`` or ``as_default(step)``),
    or None."""
    return _summary_state.step


@tf_export("summary.experimental.set_step")
def set_step(step):
    """Sets the default summary step of this thread: an ``int64``-castable value or a
    ``tf.Variable`` (read each time a traced function runs), or None to unset."""
    _summary_state.step = step


_INVALID_SCOPE_CHARACTERS = re.compile(r"[^-_/.A-Za-z0-9]")


@tf_export("summary.experimental.summary_scope")
@contextlib.contextmanager
def summary_scope(name, default_name="summary", values=None):
    """Yields ``(tag, scope)`` for a custom summary op: ``tag`` is ``name`` (or
    ``default_name``) prefixed by the enclosing name scopes, unchanged otherwise; ``scope`` is
    the name scope entered (``name`` with characters that names cannot hold removed).

    Example:
        >>> with tf.name_scope("outer"):
        ...     with tf.summary.experimental.summary_scope("a b") as (tag, scope):
        ...         print(tag, scope)
        outer/a b outer/ab/
    """
    name = name or default_name
    current = tf_module.current_name_scope()
    tag = current + name
    scope_name = _INVALID_SCOPE_CHARACTERS.sub("", name) or default_name
    with tf_module.name_scope(scope_name) as scope:
        yield tag, scope


def _smart_cond(pred, true_fn, false_fn):
    value = constant_value(pred)
    if value is not None:
        return true_fn() if bool(value) else false_fn()
    return control_flow_ops.cond(pred, true_fn, false_fn)


def _nothing():
    return convert_to_tensor(False)


def _step_tensor(step):
    if step is None:
        raise ValueError(
            "No step set. Please specify one either through the `step` argument "
            "or through tf.summary.experimental.set_step()"
        )
    if isinstance(step, Tensor):
        return step
    return convert_to_tensor(step, dtype=D.int64)


def _serialized_metadata(metadata):
    if metadata is None:
        return b""
    if hasattr(metadata, "SerializeToString"):
        return metadata.SerializeToString()
    return metadata


@tf_export("summary.write")
def write(tag, tensor, step=None, metadata=None, name=None):
    """Writes a generic summary to the default SummaryWriter if one exists.

    Args:
        tag: string tag used to identify the summary (e.g. in TensorBoard).
        tensor: the Tensor holding the summary data, or a callable that returns it (called
            only when a default writer exists and ``record_if`` allows recording).
        step: explicit ``int64``-castable step; defaults to
            ``tf.summary.experimental.get_step()``, which must not be None.
        metadata: optional ``SummaryMetadata``, as a proto or serialized bytes.
        name: optional name for the op.

    Returns:
        A bool tensor: True when the summary was written, False without a default writer.

    Raises:
        ValueError: if a default writer exists but no step was provided or set.
    """
    writer = _summary_state.writer
    if writer is None:
        return convert_to_tensor(False)
    if step is None:
        step = get_step()
    serialized = _serialized_metadata(metadata)

    def record():
        step_t = _step_tensor(step)
        value = tensor() if callable(tensor) else array_ops.identity(tensor)
        value = convert_to_tensor(value)
        apply(
            write_summary_op,
            step_t,
            value,
            convert_to_tensor(tag, D.string),
            convert_to_tensor(serialized, D.string),
            writer=writer,
            T=value.dtype,
            name=name,
        )
        return convert_to_tensor(True)

    return _smart_cond(should_record_summaries(), record, _nothing)


@tf_export("summary.experimental.write_raw_pb")
def write_raw_pb(tensor, step=None, name=None):
    """Writes serialized ``tf.compat.v1.Summary`` protos (a string tensor) to the default
    writer; returns True on success, False without a default writer."""
    writer = _summary_state.writer
    if writer is None:
        return convert_to_tensor(False)
    if step is None:
        step = get_step()
        if step is None:
            raise ValueError(
                "No step set. Please specify one either through the `step` "
                "argument or through tf.summary.experimental.set_step()"
            )

    def record():
        apply(
            write_raw_proto_summary_op,
            _step_tensor(step),
            array_ops.identity(convert_to_tensor(tensor, D.string)),
            writer=writer,
            name=name,
        )
        return convert_to_tensor(True)

    return _smart_cond(should_record_summaries(), record, _nothing)


@tf_export("summary.flush")
def flush(writer=None, name=None):
    """Forces ``writer`` (default: the current default writer) to write its buffered data."""
    del name
    if writer is None:
        writer = _summary_state.writer
        if writer is None:
            return control_flow_ops.no_op()
    if isinstance(writer, SummaryWriter):
        return writer.flush()
    raise ValueError(f"Invalid argument to flush(): {writer!r}")


# ---------------------------------------------------------------- graphs and traces


def _graph_def_bytes(graph_data):
    """A serialized ``GraphDef``: node {name = 1, op = 2, input = 3, device = 4} (no attrs)."""
    from tensorlet.io_ops import wire

    if hasattr(graph_data, "SerializeToString"):
        return graph_data.SerializeToString()
    graph_def = graph_data.as_graph_def() if hasattr(graph_data, "as_graph_def") else graph_data
    out = []
    for node in graph_def.node:
        fields = [
            wire.length_delimited(1, node.name.encode()),
            wire.length_delimited(2, node.op.encode()),
        ]
        fields += [wire.length_delimited(3, i.encode()) for i in node.input]
        if node.device:
            fields.append(wire.length_delimited(4, node.device.encode()))
        out.append(wire.length_delimited(1, b"".join(fields)))
    return b"".join(out)


def _is_graph(obj):
    from tensorlet.function import func_graph

    return isinstance(obj, (func_graph.Graph, func_graph.GraphDef)) or hasattr(
        obj, "SerializeToString"
    )


@tf_export("summary.graph")
def graph(graph_data):
    """Writes a TensorFlow graph (a ``tf.Graph`` or ``GraphDef``) to the default writer as the
    run's graph (``Event.graph_def``, step 0). Returns True on success, False without a default
    writer. Only eagerly."""
    if state.graph is not None:
        raise ValueError("graph() cannot be invoked inside a graph context.")
    writer = _summary_state.writer
    if writer is None:
        return convert_to_tensor(False)
    if not bool(should_record_summaries().numpy()):
        return convert_to_tensor(False)
    if not _is_graph(graph_data):
        raise ValueError(
            "Argument 'graph_data' is not tf.Graph or tf.compat.v1.GraphDef. "
            f"Received graph_data={graph_data} of type {type(graph_data).__name__}."
        )
    data = _graph_def_bytes(graph_data)
    writer._events_or_raise().add_event(event_file.event_bytes(_now(), 0, graph_def=data))
    return convert_to_tensor(True)


_trace_lock = threading.Lock()
_trace_context = None  # (graph, profiler) while a trace is on


@tf_export("summary.trace_on")
def trace_on(graph=True, profiler=False, profiler_outdir=None):
    """Starts a trace to record computation graphs and profiling information.

    tensorlet records neither executed graphs nor profiles: ``trace_export`` then writes
    nothing (with a warning). Must be invoked eagerly.
    """
    global _trace_context
    if state.graph is not None:
        _log.warning("Cannot enable trace inside a tf.function.")
        return
    with _trace_lock:
        if _trace_context is not None:
            _log.warning("Trace already enabled")
            return
        _trace_context = (graph, profiler)
    _log.warning(
        "tf.summary.trace_on: tensorlet collects no graphs or profiles; "
        "trace_export will write nothing."
    )


@tf_export("summary.trace_export")
def trace_export(name, step=None, profiler_outdir=None):
    """Stops the active trace. tensorlet collected nothing, so no summary is written."""
    if state.graph is not None:
        _log.warning("Cannot export trace inside a tf.function.")
        return
    with _trace_lock:
        if _trace_context is None:
            raise ValueError("Must enable trace before export through tf.summary.trace_on.")
        _, profiler = _trace_context
        if profiler and profiler_outdir is None:
            raise ValueError("Argument `profiler_outdir` is not specified.")
    _log.warning("tf.summary.trace_export(%r): no graph was collected; nothing written.", name)
    trace_off()


@tf_export("summary.trace_off")
def trace_off():
    """Stops the current trace and discards any collected information."""
    global _trace_context
    with _trace_lock:
        _trace_context = None
