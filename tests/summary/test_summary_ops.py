"""tf.summary: writers, steps, record_if, tf.function (stateful WriteSummary nodes with run-time
steps), the TensorBoard plugin tensors (scalar/histogram/image/text/audio) and errors."""

import logging
import struct

import numpy as np
import pytest
from summary_helpers import event_file, values

import tensorlet as tf


@pytest.fixture
def writer(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path))
    yield w
    w.close()


def _read(w):
    w.flush()
    return values(w._events.path)


# ---------------------------------------------------------------- writers and state


def test_no_default_writer_writes_nothing_and_returns_false():
    assert tf.summary.should_record_summaries().numpy() is np.False_
    r = tf.summary.scalar("x", 1.0, step=1)
    assert r.dtype == tf.bool and not r.numpy()


def test_write_returns_true_and_writes(writer):
    with writer.as_default():
        r = tf.summary.write("raw", tf.constant([1, 2], tf.int64), step=4)
        assert r.numpy() is np.True_
        assert tf.summary.should_record_summaries().numpy()
    ((step, tag, plugin, arr),) = _read(writer)
    assert (step, tag, plugin) == (4, "raw", "")
    assert arr.dtype == np.int64 and arr.tolist() == [1, 2]


def test_write_with_metadata_proto_and_callable(writer):
    md = tf.compat.v1.SummaryMetadata(display_name="shown")
    md.plugin_data.plugin_name = "custom"
    md.plugin_data.content = b"\x01"
    calls = []

    def tensor():
        calls.append(1)
        return tf.constant("v")

    with writer.as_default(step=2):
        tf.summary.write("t", tensor, metadata=md)
        with tf.summary.record_if(False):
            tf.summary.write("t", tensor, metadata=md)
    assert calls == [1]  # the callable runs only when recording
    event = list(tf.compat.v1.train.summary_iterator(writer._events.path))[1]
    assert event.summary.value[0].metadata == md
    assert event.summary.value[0].metadata.display_name == "shown"


def test_missing_step_raises(writer):
    with writer.as_default(), pytest.raises(ValueError, match="No step set"):
        tf.summary.scalar("x", 1.0)
    assert tf.summary.scalar("x", 1.0).numpy() is np.False_  # no writer: no step needed


def test_default_steps_set_step_and_as_default(writer):
    assert tf.summary.experimental.get_step() is None
    tf.summary.experimental.set_step(5)
    assert tf.summary.experimental.get_step() == 5
    with writer.as_default():
        tf.summary.scalar("a", 1.0)
        with writer.as_default(step=9):
            assert tf.summary.experimental.get_step() == 9
            tf.summary.scalar("b", 1.0)
        tf.summary.scalar("c", 1.0, step=np.int64(11))
    assert tf.summary.experimental.get_step() == 5
    tf.summary.experimental.set_step(None)
    assert [(s, t) for s, t, _, _ in _read(writer)] == [(5, "a"), (9, "b"), (11, "c")]


def test_variable_step_is_read_each_time(writer):
    step = tf.Variable(3, dtype=tf.int64)
    with writer.as_default(step=step):
        tf.summary.scalar("a", 1.0)
        step.assign_add(1)
        tf.summary.scalar("a", 2.0)
    assert [s for s, _, _, _ in _read(writer)] == [3, 4]


def test_step_must_be_int64(writer):
    with writer.as_default(), pytest.raises(tf.errors.InvalidArgumentError, match="#1.*int64"):
        tf.summary.scalar("a", 1.0, step=tf.constant(1))


def test_set_as_default_and_flush(writer):
    writer.set_as_default(step=1)
    tf.summary.scalar("a", 1.0)
    assert tf.summary.flush() is None
    assert [t for _, t, _, _ in values(writer._events.path)] == ["a"]
    assert writer.init() is None


def test_closed_writer(writer):
    writer.close()
    writer.close()  # closing twice is fine
    assert writer.flush() is None
    with pytest.raises(RuntimeError, match="already closed"):
        writer.as_default()
    with pytest.raises(RuntimeError, match="already closed"):
        writer.set_as_default()
    with pytest.raises(RuntimeError, match="already closed"):
        writer.init()


def test_write_to_writer_closed_while_default(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path))
    w.set_as_default(step=1)
    w.close()
    with pytest.raises(tf.errors.NotFoundError, match="does not exist"):
        tf.summary.scalar("a", 1.0)


def test_record_if(writer):
    with writer.as_default(step=0):
        with tf.summary.record_if(False):
            assert not tf.summary.should_record_summaries().numpy()
            assert not tf.summary.scalar("off", 1.0).numpy()
        with tf.summary.record_if(tf.constant(True)):
            tf.summary.scalar("on", 1.0)
        flag = []
        with tf.summary.record_if(lambda: bool(flag)):
            tf.summary.scalar("lazy_off", 1.0)
            flag.append(1)
            tf.summary.scalar("lazy_on", 1.0)
    assert [t for _, t, _, _ in _read(writer)] == ["on", "lazy_on"]


def test_create_file_writer_arguments(tmp_path):
    with pytest.raises(ValueError, match="`logdir` cannot be None"):
        tf.summary.create_file_writer(None)
    w = tf.summary.create_file_writer(
        tf.constant(str(tmp_path / "t")),
        max_queue=tf.constant(2),
        flush_millis=1000,
        filename_suffix=".x",
        experimental_trackable=True,
    )
    assert w._events.path.endswith(".x") and "/t/" in w._events.path
    w.close()

    @tf.function
    def make(logdir):
        tf.summary.create_file_writer(logdir)

    with pytest.raises(
        ValueError, match="Invalid graph Tensor argument 'logdir=.*inside an @tf.function"
    ):
        make(tf.constant(str(tmp_path)))


def test_noop_writer():
    w = tf.summary.create_noop_writer()
    assert isinstance(w, tf.summary.SummaryWriter)
    with w.as_default(step=3):
        assert not tf.summary.scalar("x", 1.0).numpy()
    w.set_as_default()
    assert w.flush() is None and w.close() is None and w.init() is None


def test_summary_scope_and_name_scope_tags(writer):
    with writer.as_default(step=0), tf.name_scope("outer"):
        tf.summary.scalar("loss", 1.0)
        with tf.summary.experimental.summary_scope("a b", "default") as (tag, scope):
            assert (tag, scope) == ("outer/a b", "outer/ab/")
        with tf.summary.experimental.summary_scope(None, "dflt") as (tag, scope):
            assert (tag, scope) == ("outer/dflt", "outer/dflt/")
    assert [t for _, t, _, _ in _read(writer)] == ["outer/loss"]


# ---------------------------------------------------------------- tf.function


def test_tf_function_writes_each_call_with_run_time_steps(writer):
    var_step = tf.Variable(10, dtype=tf.int64)
    traces = []

    @tf.function
    def f(x, s):
        traces.append(1)
        with writer.as_default():
            tf.summary.scalar("arg_step", x, step=s)
            tf.summary.scalar("var_step", x * 2, step=var_step)
            tf.summary.histogram("h", tf.stack([x, x + 1.0, x + 3.0]), step=s, buckets=3)
            tf.summary.text("t", tf.strings.as_string(x, precision=1), step=s)
        return x

    for i in range(3):
        var_step.assign(10 + i)
        f(tf.constant(float(i)), tf.constant(i, tf.int64))
    assert len(traces) == 1
    got = _read(writer)
    assert [(s, t, float(a)) for s, t, _, a in got if t == "arg_step"] == [
        (0, "arg_step", 0.0),
        (1, "arg_step", 1.0),
        (2, "arg_step", 2.0),
    ]
    assert [(s, float(a)) for s, t, _, a in got if t == "var_step"] == [
        (10, 0.0),
        (11, 2.0),
        (12, 4.0),
    ]
    hists = [a for _, t, _, a in got if t == "h"]
    assert [h[:, 2].tolist() for h in hists] == [[1.0, 1.0, 1.0]] * 3
    assert hists[2][0, 0] == 2.0 and hists[2][-1, 1] == 5.0
    assert [a.item() for _, t, _, a in got if t == "t"] == [b"0.0", b"1.0", b"2.0"]


def test_tf_function_traced_graph_has_stateful_write_nodes(writer):
    @tf.function
    def f(x):
        with writer.as_default(step=1):
            tf.summary.scalar("x", x)
        return x + 1

    graph = f.get_concrete_function(tf.TensorSpec([], tf.float32)).graph
    types = [op.type for op in graph.get_operations()]
    assert "WriteSummary" in types and "FlushSummaryWriter" in types
    node = graph.get_operations()[types.index("WriteSummary")]
    assert node.op.stateful and node.get_attr("writer") is writer


def test_tf_function_with_default_step_variable(writer):
    step = tf.Variable(0, dtype=tf.int64)
    tf.summary.experimental.set_step(step)

    @tf.function
    def train():
        tf.summary.scalar("loss", tf.cast(step, tf.float32) / 2.0)
        step.assign_add(1)

    with writer.as_default():
        for _ in range(3):
            train()
    assert [(s, float(a)) for s, _, _, a in _read(writer)] == [(0, 0.0), (1, 0.5), (2, 1.0)]


def test_tf_function_record_if_run_time_condition(writer):
    @tf.function
    def f(s):
        with writer.as_default(step=s), tf.summary.record_if(lambda: tf.equal(s % 2, 0)):
            tf.summary.scalar("even", tf.cast(s, tf.float32))

    for i in range(5):
        f(tf.constant(i, tf.int64))
    assert [s for s, _, _, _ in _read(writer)] == [0, 2, 4]


def test_tf_function_image_with_unknown_batch(writer):
    @tf.function(input_signature=[tf.TensorSpec([None, 2, 3, 1], tf.float32)])
    def f(images):
        with writer.as_default(step=0):
            tf.summary.image("im", images, max_outputs=2)

    f(tf.ones([3, 2, 3, 1]))
    f(tf.zeros([0, 2, 3, 1]))
    (a, b) = [arr for _, _, _, arr in _read(writer)]
    assert a.shape == (4,) and a[:2].tolist() == [b"3", b"2"]
    assert tf.io.decode_png(a[2]).numpy().tolist() == [[[255]] * 3] * 2
    assert b.tolist() == [b"3", b"2"]


def test_flush_and_close_inside_tf_function(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path), max_queue=100)

    @tf.function
    def f():
        with w.as_default(step=1):
            tf.summary.scalar("x", 1.0)
        tf.summary.flush(w)

    f()
    assert len(values(w._events.path)) == 1
    w.close()


# ---------------------------------------------------------------- plugin tensors


def _hist_reference(data, bucket_count):
    """TensorBoard's bucketing, in NumPy (TF's linspace: start + i * delta, last edge = max)."""
    data = np.asarray(data, np.float64).reshape(-1)
    if data.size == 0 or bucket_count <= 0:
        return np.zeros((max(bucket_count, 0), 3))
    lo, hi = data.min(), data.max()
    if lo == hi:
        counts = np.zeros(bucket_count)
        counts[-1] = data.size
        return np.stack([np.full(bucket_count, hi), np.full(bucket_count, hi), counts], 1)
    width = (hi - lo) / bucket_count
    idx = np.minimum(np.floor((data - lo) / width).astype(np.int32), bucket_count - 1)
    counts = np.bincount(idx, minlength=bucket_count).astype(np.float64)
    delta = (hi - lo) / bucket_count
    edges = np.array([lo] + [lo + delta * i for i in range(1, bucket_count)] + [hi])
    return np.stack([edges[:-1], edges[1:], counts], 1)


@pytest.mark.parametrize(
    "data, buckets",
    [
        (np.random.default_rng(0).normal(size=1000).astype(np.float32), None),
        (np.random.default_rng(1).uniform(-5, 5, size=(7, 9)), 12),
        (np.arange(10, dtype=np.int32), 3),  # values on bucket edges
        (np.array([2.5] * 4), 5),  # a single value
        (np.array([7]), None),
        (np.zeros([0, 3], np.float32), 4),  # no data
        (np.array([1.0, 2.0]), 0),  # no buckets
    ],
)
def test_histogram_buckets(writer, data, buckets):
    with writer.as_default(step=0):
        tf.summary.histogram("h", data, buckets=buckets)
    ((_, _, plugin, got),) = _read(writer)
    assert plugin == "histograms" and got.dtype == np.float64
    np.testing.assert_array_equal(got, _hist_reference(data, 30 if buckets is None else buckets))


def test_histogram_bucket_count_must_be_int32(writer):
    with writer.as_default(step=0), pytest.raises(TypeError):
        tf.summary.histogram("h", [1.0, 2.0], buckets=tf.constant(3, tf.int64))


def test_scalar_dtypes_and_errors(writer):
    with writer.as_default(step=0):
        tf.summary.scalar("i", 3)
        tf.summary.scalar("d", np.float64(0.1))
        tf.summary.scalar("b", tf.constant(True))
        with pytest.raises(ValueError, match="scalar"):
            tf.summary.scalar("v", [1.0, 2.0])
    got = _read(writer)
    assert [(a.dtype, a.shape) for _, _, _, a in got] == [(np.float32, ())] * 3
    assert [float(a) for _, _, _, a in got] == [3.0, float(np.float32(0.1)), 1.0]


def test_scalar_description_metadata(writer):
    with writer.as_default(step=0):
        tf.summary.scalar("a", 1.0, description="words")
    event = list(tf.compat.v1.train.summary_iterator(writer._events.path))[1]
    md = event.summary.value[0].metadata
    assert md.summary_description == "words" and md.plugin_data.plugin_name == "scalars"
    assert md.plugin_data.content == b"" and md.display_name == ""


def test_image_formats_and_max_outputs(writer):
    rgb = np.zeros((4, 2, 5, 3), np.float32)
    rgb[..., 0] = 1.0
    gray = np.arange(6, dtype=np.uint8).reshape(1, 2, 3, 1)
    with writer.as_default(step=0):
        tf.summary.image("rgb", rgb)  # max_outputs=3 by default
        tf.summary.image("gray", gray, max_outputs=5)
        tf.summary.image("none", rgb, max_outputs=0)
        with pytest.raises(ValueError):
            tf.summary.image("bad", rgb[0])
    rgb_t, gray_t, none_t = [a for _, _, _, a in _read(writer)]
    assert rgb_t.shape == (5,) and rgb_t[:2].tolist() == [b"5", b"2"]
    assert tf.io.decode_png(rgb_t[2]).numpy()[..., 0].tolist() == [[255] * 5] * 2
    assert gray_t.shape == (3,)
    np.testing.assert_array_equal(tf.io.decode_png(gray_t[2]).numpy(), gray[0])
    assert none_t.tolist() == [b"5", b"2"]


def test_text_any_shape(writer):
    with writer.as_default(step=0):
        tf.summary.text("t", [["a", "b"], ["c", "d"]])
        with pytest.raises(TypeError):
            tf.summary.text("bad", 3)
    ((_, _, plugin, arr),) = _read(writer)
    assert plugin == "text" and arr.tolist() == [[b"a", b"b"], [b"c", b"d"]]


def test_audio_wav(writer):
    clips = np.stack([np.linspace(-1, 1, 5), np.zeros(5)])[..., None].astype(np.float32)
    with writer.as_default(step=0):
        tf.summary.audio("snd", clips, 8000, max_outputs=1)
        with pytest.raises(ValueError, match="Unknown encoding"):
            tf.summary.audio("snd", clips, 8000, encoding="mp3")
    event = list(tf.compat.v1.train.summary_iterator(writer._events.path))[1]
    value = event.summary.value[0]
    assert value.metadata.plugin_data.plugin_name == "audio"
    assert value.metadata.plugin_data.content == b"\x10\x0b"  # AudioPluginData encoding WAV
    arr = tf.make_ndarray(value.tensor)
    assert arr.shape == (1, 2) and arr[0, 1] == b""
    wav = arr[0, 0]
    assert wav[:4] == b"RIFF" and wav[8:16] == b"WAVEfmt "
    assert struct.unpack("<IHHIIHH", wav[16:36]) == (16, 1, 1, 8000, 16000, 2, 16)
    assert struct.unpack("<5h", wav[44:]) == (-32768, -16384, 0, 16384, 32767)


def test_encode_wav_op():
    wav = tf.audio.encode_wav(tf.constant([[0.5, -0.5], [1e-5, 2.0]]), 44100).numpy()
    assert struct.unpack("<I", wav[4:8])[0] == 36 + 8
    assert struct.unpack("<HII", wav[22:32]) == (2, 44100, 44100 * 4)
    assert struct.unpack("<4h", wav[44:]) == (16384, -16384, 0, 32767)
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a float"):
        tf.audio.encode_wav(tf.constant([[1]]), 10)
    with pytest.raises(tf.errors.InvalidArgumentError, match="2-dimensional"):
        tf.audio.encode_wav(tf.constant([1.0]), 10)


def test_write_raw_pb(writer):
    summary = tf.compat.v1.Summary()
    value = summary.value.add(tag="legacy")
    value.simple_value = 1.5
    with writer.as_default(step=6):
        assert tf.summary.experimental.write_raw_pb(summary.SerializeToString()).numpy()
        with pytest.raises(tf.errors.InvalidArgumentError, match="failed to parse"):
            tf.summary.experimental.write_raw_pb(b"\xff\xff")
    event = list(tf.compat.v1.train.summary_iterator(writer._events.path))[1]
    assert event.step == 6 and event.summary.value[0].simple_value == 1.5
    assert event.summary.value[0].WhichOneof("value") == "simple_value"


def test_graph_summary(writer):
    @tf.function
    def f(x):
        return tf.exp(x) + 1.0

    g = f.get_concrete_function(tf.TensorSpec([2], tf.float32)).graph
    assert not tf.summary.graph(g).numpy()  # no default writer
    with writer.as_default():
        assert tf.summary.graph(g).numpy()
        with pytest.raises(ValueError, match="not tf.Graph"):
            tf.summary.graph("nope")
    writer.flush()
    event = list(tf.compat.v1.train.summary_iterator(writer._events.path))[1]
    assert event.WhichOneof("what") == "graph_def" and event.step == 0
    assert b"Exp" in event.graph_def


def test_trace_functions(writer, caplog):
    with pytest.raises(ValueError, match="Must enable trace before export"):
        tf.summary.trace_export("t", step=0)
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        tf.summary.trace_on(graph=True, profiler=False)
        tf.summary.trace_on()
        with writer.as_default():
            tf.summary.trace_export("trace", step=1)
    assert "Trace already enabled" in caplog.text
    assert len(values(writer._events.path)) == 0
    tf.summary.trace_on(profiler=True)
    with pytest.raises(ValueError, match="profiler_outdir"):
        tf.summary.trace_export("trace", step=1)
    tf.summary.trace_off()
    tf.summary.trace_off()
    assert event_file(str(writer._events.logdir)) == writer._events.path


def test_doctests():
    import doctest

    from tensorlet.summary_ops import event_file, event_pb, plugins, summary_ops

    for module in (summary_ops, plugins, event_pb, event_file):
        assert doctest.testmod(module, extraglobs={"tf": tf}).failed == 0, module.__name__
