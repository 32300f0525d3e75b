"""Event files: the golden TensorBoard files read back, ours written record-for-record like them
(modulo wall times), file names, TFRecord framing and CRCs, queueing and flushing."""

import glob
import json
import os
import re
import socket
import struct
from pathlib import Path

import numpy as np
import pytest
from summary_helpers import event_file, values

import tensorlet as tf
from tensorlet.io_ops import crc32c
from tensorlet.io_ops.tfrecord import read_tfrecords


def _json(path):
    return json.loads(Path(path).read_text())


def _fixture_file(tb_dir, run):
    return event_file(os.path.join(tb_dir, run))


def _fixture_images(tb_dir):
    """The images written to the summary_ops fixture, decoded from its own PNGs."""
    out = []
    for step, tag, _, arr in values(_fixture_file(tb_dir, "summary_ops")):
        if tag == "sample_image":
            out.append(tf.io.decode_png(arr[2]).numpy()[None])
    return out


def _write_like_fixture(logdir, tb_dir):
    """``generate.py``'s tf.summary calls (shared/fixtures/formats/README.md, section 3a)."""
    base = np.load(os.path.join(tb_dir, "summary_ops_histogram_base.npy"))
    images = _fixture_images(tb_dir)
    w = tf.summary.create_file_writer(logdir)
    with w.as_default():
        for step in range(3):
            tf.summary.scalar("loss", 1 / (step + 1), step=step)
            tf.summary.scalar(
                "accuracy", 0.5 + 0.1 * step, step=step, description="fraction correct"
            )
            tf.summary.histogram("weights", base + step, step=step, buckets=10)
            tf.summary.image("sample_image", images[step], step=step, max_outputs=1)
            tf.summary.text("note", f"step **{step}** of 3", step=step)
        w.flush()
    w.close()
    return event_file(logdir)


# ---------------------------------------------------------------- reading the golden files


def test_reader_reads_golden_summary_ops(tb_dir):
    expected = _json(os.path.join(tb_dir, "summary_ops_expected.json"))
    events = list(tf.compat.v1.train.summary_iterator(_fixture_file(tb_dir, "summary_ops")))
    first = events[0]
    assert first.file_version == "brain.Event:2"
    assert first.WhichOneof("what") == "file_version"
    assert first.source_metadata.writer == "tensorflow.core.util.events_writer"
    assert first.wall_time == int(first.wall_time)  # whole seconds, as EventsWriter writes
    got = values(_fixture_file(tb_dir, "summary_ops"))
    for tag in ("loss", "accuracy"):
        rows = [(s, float(a)) for s, t, p, a in got if t == tag]
        assert [p for s, t, p, a in got if t == tag] == ["scalars"] * 3
        exp = [(s, float(np.float32(v))) for s, v in expected["scalars"][tag]]
        assert rows == exp  # exact float32
    hists = [(s, a) for s, t, p, a in got if t == "weights"]
    for step, h in hists:
        src = expected["histograms_source_data"][str(step)]
        assert h.dtype == np.float64 and h.shape == (10, 3)
        assert h[0, 0] == pytest.approx(src["min"]) and h[-1, 1] == pytest.approx(src["max"])
        assert h[:, 2].sum() == src["count"]
    texts = [(s, a) for s, t, p, a in got if t == "note"]
    assert [a.item().decode() for s, a in texts] == [expected["texts"][str(i)] for i in range(3)]
    imgs = [(s, a) for s, t, p, a in got if t == "sample_image"]
    for step, a in imgs:
        assert a.shape == (3,) and a[0] == b"8" and a[1] == b"8"
        pixels = tf.io.decode_png(a[2]).numpy()
        exp = expected["images"][str(step)]
        assert int((pixels[0, :, 0] == 255).sum()) == exp["red_columns_255"]
        assert int(np.argmax(pixels[:, 0, 1] == 128)) == exp["green_row_128"]


def test_reader_reads_golden_keras_callback(tb_dir):
    history = _json(os.path.join(tb_dir, "keras_callback_expected.json"))["history"]
    train = values(_fixture_file(tb_dir, "keras_callback/train"))
    val = values(_fixture_file(tb_dir, "keras_callback/validation"))
    loss = [float(a) for s, t, p, a in train if t == "epoch_loss"]
    assert loss == [float(np.float32(v)) for v in history["loss"]]
    val_loss = [float(a) for s, t, p, a in val if t == "epoch_loss"]
    assert val_loss == [float(np.float32(v)) for v in history["val_loss"]]
    config = next(a for s, t, p, a in train if t == "keras")
    assert json.loads(config.item())["config"]["name"] == "tb_model"
    assert sorted({s for s, t, p, a in val if t.startswith("evaluation_")}) == [4, 8]


# ---------------------------------------------------------------- writing like TF


def test_written_records_equal_golden_file_modulo_wall_time(tmp_path, tb_dir):
    ours = list(tf.compat.v1.train.summary_iterator(_write_like_fixture(str(tmp_path), tb_dir)))
    theirs = list(tf.compat.v1.train.summary_iterator(_fixture_file(tb_dir, "summary_ops")))
    assert len(ours) == len(theirs) == 16
    for a, b in zip(ours, theirs):
        assert a.wall_time > 1e9
        a.wall_time = b.wall_time = 0.0
        assert a.SerializeToString() == b.SerializeToString(), (str(a), str(b))


def test_written_file_raw_layout(tmp_path, tb_dir):
    path = _write_like_fixture(str(tmp_path), tb_dir)
    theirs = list(read_tfrecords(_fixture_file(tb_dir, "summary_ops")))
    ours = list(read_tfrecords(path))
    # same payload sizes (wall_time is a fixed64, step a varint): byte-identical framing
    assert [len(r) for r in ours] == [len(r) for r in theirs]
    assert os.path.getsize(path) == os.path.getsize(_fixture_file(tb_dir, "summary_ops"))
    for a, b in zip(ours[1:], theirs[1:]):
        assert a[9:] == b[9:]  # everything after wall_time


def test_file_name_and_first_record(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path / "a" / "b"))
    w2 = tf.summary.create_file_writer(str(tmp_path / "a" / "b"), filename_suffix="xyz")
    names = sorted(os.listdir(tmp_path / "a" / "b"))
    assert len(names) == 2  # the directory and the files exist from creation on
    host = re.escape(socket.gethostname())
    pattern = rf"events\.out\.tfevents\.\d{{10}}\.{host}\.{os.getpid()}\.(\d+)(\.v2|\.xyz)$"
    matches = [re.match(pattern, n) for n in names]
    assert all(matches), names
    ids = sorted(int(m.group(1)) for m in matches)
    assert ids[1] == ids[0] + 1  # the per-process counter
    (first,) = tf.compat.v1.train.summary_iterator(w._events.path)
    assert first.file_version == "brain.Event:2" and first.step == 0
    assert first.wall_time == int(first.wall_time)
    assert str(int(first.wall_time)) in os.path.basename(w._events.path)
    w.close()
    w2.close()


def test_records_are_tfrecord_framed_with_masked_crc32c(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path))
    with w.as_default():
        tf.summary.scalar("s", 2.5, step=7)
    w.close()
    data = Path(event_file(str(tmp_path))).read_bytes()
    pos, records = 0, []
    while pos < len(data):
        (n,) = struct.unpack("<Q", data[pos : pos + 8])
        (len_crc,) = struct.unpack("<I", data[pos + 8 : pos + 12])
        assert len_crc == crc32c.masked_crc32c(data[pos : pos + 8])
        payload = data[pos + 12 : pos + 12 + n]
        (crc,) = struct.unpack("<I", data[pos + 12 + n : pos + 16 + n])
        assert crc == crc32c.masked_crc32c(payload)
        records.append(payload)
        pos += 16 + n
    assert len(records) == 2
    event = tf.compat.v1.Event.FromString(records[1])
    assert event.step == 7 and event.summary.value[0].tag == "s"
    assert tf.make_ndarray(event.summary.value[0].tensor) == np.float32(2.5)


def test_corrupted_record_raises_data_loss(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path))
    with w.as_default():
        tf.summary.scalar("s", 1.0, step=1)
    w.close()
    path = event_file(str(tmp_path))
    data = bytearray(Path(path).read_bytes())
    data[-6] ^= 0xFF  # inside the last payload
    Path(path).write_bytes(bytes(data))
    it = tf.compat.v1.train.summary_iterator(path)
    assert next(it).file_version == "brain.Event:2"
    with pytest.raises(tf.errors.DataLossError, match="corrupted record"):
        next(it)


def test_queue_is_written_when_full_or_flushed(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path), max_queue=3)
    path = w._events.path
    with w.as_default(step=0):
        for i in range(3):
            tf.summary.scalar("q", float(i))
        assert len(list(read_tfrecords(path))) == 1  # queued: only the version record
        tf.summary.scalar("q", 3.0)  # more than max_queue waiting: written
        assert len(list(read_tfrecords(path))) == 5
        tf.summary.scalar("q", 4.0)
        assert len(list(read_tfrecords(path))) == 5
        tf.summary.flush()
        assert len(list(read_tfrecords(path))) == 6
        tf.summary.scalar("q", 5.0)
    assert len(list(read_tfrecords(path))) == 7  # as_default flushes on exit
    w.close()


def test_flush_millis_zero_writes_every_event(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path), flush_millis=0)
    with w.as_default(step=1):
        tf.summary.scalar("a", 1.0)
        assert len(list(read_tfrecords(w._events.path))) == 2
    w.close()


def test_garbage_collected_writer_flushes(tmp_path):
    import gc

    w = tf.summary.create_file_writer(str(tmp_path))
    w.set_as_default(step=3)
    tf.summary.scalar("a", 1.0)
    path = w._events.path
    from tensorlet.summary_ops import summary_ops

    summary_ops._summary_state.writer = None  # the writer's last reference
    del w
    gc.collect()
    assert [e.step for e in tf.compat.v1.train.summary_iterator(path)] == [0, 3]


def test_events_of_several_writers_go_to_their_files(tmp_path):
    a = tf.summary.create_file_writer(str(tmp_path / "a"))
    b = tf.summary.create_file_writer(str(tmp_path / "b"))
    with a.as_default(step=1):
        tf.summary.scalar("x", 1.0)
        with b.as_default(step=2):
            tf.summary.scalar("y", 2.0)
        tf.summary.scalar("z", 3.0)
    a.close()
    b.close()
    assert [(s, t) for s, t, _, _ in values(event_file(str(tmp_path / "a")))] == [
        (1, "x"),
        (1, "z"),
    ]
    assert [(s, t) for s, t, _, _ in values(event_file(str(tmp_path / "b")))] == [(2, "y")]


def test_read_tfevents_reads_our_files(tmp_path, tb_dir):
    """The real TensorBoard reader sees the same runs, tags, plugins and values (run when
    ``tensorboard`` is importable, or with ``TENSORBOARD_PYTHON`` naming a Python that has it)."""
    import subprocess
    import sys

    python = os.environ.get("TENSORBOARD_PYTHON")
    if python is None:
        pytest.importorskip("tensorboard")
        python = sys.executable

    _write_like_fixture(str(tmp_path / "summary_ops"), tb_dir)
    script = os.path.join(os.path.dirname(tb_dir), "read_tfevents.py")
    out = subprocess.run(
        [python, script, "--json", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    ours = json.loads(out.stdout)["summary_ops"]
    golden = _json(
        os.path.join(os.path.dirname(tb_dir), "inspect", "tensorboard_read_tfevents.json")
    )["summary_ops"]
    assert ours["plugins"] == golden["plugins"]
    for tag, events in golden["tensors"].items():
        assert [(e["step"], e["value"]) for e in ours["tensors"][tag]] == [
            (e["step"], e["value"]) for e in events
        ]


def test_golden_files_listed(tb_dir):
    assert len(glob.glob(os.path.join(tb_dir, "**", "*tfevents*"), recursive=True)) == 3
