"""keras.callbacks.TensorBoard during model.fit: the same runs, tags, plugins, dtypes, shapes and
steps as the event files Keras 3.15 / TF 2.21 wrote (shared/fixtures/formats/tensorboard)."""

import glob
import json
import os

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras
_REPO = os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
)
SHARED = os.environ.get("TENSORLET_SHARED") or os.path.join(os.path.dirname(_REPO), "shared")
GOLDEN = os.path.join(SHARED, "fixtures", "formats", "tensorboard", "keras_callback")


def _event_file(logdir):
    (path,) = glob.glob(os.path.join(logdir, "events.out.tfevents.*"))
    return path


def _layout(path):
    """[(step, tag, plugin, content, dtype enum, shape)] and the file version of an event file."""
    out = []
    for event in tf.compat.v1.train.summary_iterator(path):
        if event.WhichOneof("what") == "file_version":
            out.append(("version", event.file_version))
        for v in event.summary.value:
            md = v.metadata.plugin_data
            arr = tf.make_ndarray(v.tensor)
            out.append((event.step, v.tag, md.plugin_name, md.content, v.tensor.dtype, arr.shape))
    return out


def _values(path, tag):
    return [
        (e.step, tf.make_ndarray(v.tensor))
        for e in tf.compat.v1.train.summary_iterator(path)
        for v in e.summary.value
        if v.tag == tag
    ]


def _fixture_model():
    model = keras.Sequential(
        [
            keras.Input(shape=(8,), name="x"),
            keras.layers.Dense(4, activation="relu", name="d1"),
            keras.layers.Dense(1, name="d2"),
        ],
        name="tb_model",
    )
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    rng = np.random.default_rng(9)
    x = rng.normal(size=(64, 8)).astype(np.float32)
    y = x.sum(axis=1, keepdims=True).astype(np.float32)
    return model, x, y


def _fit_like_fixture(log_dir, **kwargs):
    model, x, y = _fixture_model()
    cb = keras.callbacks.TensorBoard(log_dir=log_dir, **kwargs)
    history = model.fit(
        x,
        y,
        validation_data=(x[:16] * 0.5, y[:16] * 0.5),
        batch_size=16,
        epochs=2,
        shuffle=False,
        verbose=0,
        callbacks=[cb],
    )
    return model, history


@pytest.fixture
def golden():
    if not os.path.isdir(GOLDEN):
        pytest.skip("shared/fixtures/formats/tensorboard not found")
    return GOLDEN


def test_fit_writes_the_golden_layout(tmp_path, golden):
    _fit_like_fixture(str(tmp_path), histogram_freq=1)
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    for run in ("train", "validation"):
        ours = _layout(_event_file(str(tmp_path / run)))
        theirs = _layout(_event_file(os.path.join(golden, run)))
        assert ours == theirs, run


def test_values_are_the_history(tmp_path):
    model, history = _fit_like_fixture(str(tmp_path), histogram_freq=1)
    train, val = _event_file(str(tmp_path / "train")), _event_file(str(tmp_path / "validation"))
    h = history.history
    f32 = [float(np.float32(v)) for v in h["loss"]]
    assert [(s, float(a)) for s, a in _values(train, "epoch_loss")] == list(enumerate(f32))
    assert [float(a) for _, a in _values(train, "epoch_mae")] == [
        float(np.float32(v)) for v in h["mae"]
    ]
    assert [float(a) for _, a in _values(val, "epoch_loss")] == [
        float(np.float32(v)) for v in h["val_loss"]
    ]
    assert [float(a) for _, a in _values(train, "epoch_learning_rate")] == [
        float(np.float32(0.05))
    ] * 2
    evals = _values(val, "evaluation_loss_vs_iterations")
    assert [s for s, _ in evals] == [4, 8]  # optimizer.iterations after each epoch
    assert [float(a) for _, a in evals] == [float(np.float32(v)) for v in h["val_loss"]]
    (config,) = [a for _, a in _values(train, "keras")]
    assert json.loads(config.item())["config"]["name"] == "tb_model"
    # the last histogram of d1/kernel is of the final weights
    (_, last) = _values(train, "tb_model/d1/kernel/histogram")[-1]
    kernel = model.layers[0].kernel.numpy().astype(np.float64)
    assert last[0, 0] == kernel.min() and last[-1, 1] == kernel.max()
    assert last[:, 2].sum() == kernel.size


def test_defaults_write_no_histograms_and_lazy_validation_writer(tmp_path):
    model, x, y = _fixture_model()
    model.fit(
        x,
        y,
        epochs=1,
        batch_size=32,
        verbose=0,
        callbacks=[keras.callbacks.TensorBoard(log_dir=str(tmp_path))],
    )
    assert os.listdir(tmp_path) == ["train"]  # no validation data: no validation run
    tags = [t for _, t, *_ in _layout(_event_file(str(tmp_path / "train")))]
    assert tags == ["brain.Event:2", "keras", "epoch_loss", "epoch_mae", "epoch_learning_rate"]


def test_write_graph_false_and_batch_level_summaries(tmp_path):
    model, x, y = _fixture_model()
    cb = keras.callbacks.TensorBoard(
        log_dir=str(tmp_path), write_graph=False, update_freq=2, write_steps_per_second=True
    )
    model.fit(x, y, epochs=2, batch_size=32, verbose=0, callbacks=[cb])
    path = _event_file(str(tmp_path / "train"))
    tags = [t for _, t, *_ in _layout(path)][1:]
    assert "keras" not in tags
    assert [s for s, _ in _values(path, "batch_loss")] == [1, 2, 3, 4]
    assert len(_values(path, "batch_steps_per_second")) == 4
    assert [s for s, _ in _values(path, "epoch_steps_per_second")] == [0, 1]


def test_tf_summary_inside_the_model_goes_to_the_train_run(tmp_path):
    class Logging(keras.layers.Layer):
        def call(self, x):
            tf.summary.histogram("activations", x)
            return x

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), Logging()])
    model.compile("sgd", "mse")
    x, y = np.ones((8, 3), np.float32), np.zeros((8, 2), np.float32)
    cb = keras.callbacks.TensorBoard(log_dir=str(tmp_path), update_freq="batch")
    model.fit(x, y, epochs=1, batch_size=4, verbose=0, callbacks=[cb])
    acts = _values(_event_file(str(tmp_path / "train")), "sequential/logging/activations")
    assert len(acts) == 2 and all(a.shape == (30, 3) for _, a in acts)


def test_write_images_and_evaluate(tmp_path):
    model, x, y = _fixture_model()
    cb = keras.callbacks.TensorBoard(log_dir=str(tmp_path), histogram_freq=1, write_images=True)
    model.fit(x, y, epochs=1, batch_size=32, verbose=0, callbacks=[cb])
    train = _event_file(str(tmp_path / "train"))
    ((_, kernel_img),) = _values(train, "tb_model/d1/kernel/image")
    assert kernel_img[:2].tolist() == [b"8", b"4"]  # the (8, 4) kernel, transposed: 4 x 8
    ((_, bias_img),) = _values(train, "tb_model/d1/bias/image")
    assert bias_img[:2].tolist() == [b"1", b"4"]
    # model.evaluate alone: evaluation_* at the optimizer's step in a new validation file
    cb2 = keras.callbacks.TensorBoard(log_dir=str(tmp_path / "eval"), write_graph=False)
    model.evaluate(x, y, verbose=0, callbacks=[cb2])
    val = _event_file(str(tmp_path / "eval" / "validation"))
    assert [s for s, _ in _values(val, "evaluation_loss_vs_iterations")] == [2]


def test_constructor_arguments():
    cb = keras.callbacks.TensorBoard()
    assert (cb.log_dir, cb.histogram_freq, cb.write_graph, cb.update_freq) == (
        "logs",
        0,
        True,
        "epoch",
    )
    assert keras.callbacks.TensorBoard(update_freq="batch").update_freq == 1
    for bad in (-1, (3, 1), "a,b,c", 1.5):
        with pytest.raises(ValueError):
            keras.callbacks.TensorBoard(profile_batch=bad)
    keras.callbacks.TensorBoard(profile_batch="2,4")  # accepted (profiling is unavailable)


def test_embeddings_projector_config(tmp_path):
    model = keras.Sequential(
        [keras.Input((2,), dtype="int32"), keras.layers.Embedding(5, 3, name="emb")]
    )
    model.compile("sgd", "mse")
    cb = keras.callbacks.TensorBoard(
        log_dir=str(tmp_path),
        write_graph=False,
        embeddings_freq=1,
        embeddings_metadata={"emb": "meta.tsv"},
    )
    cb.set_model(model)
    text = (tmp_path / "projector_config.pbtxt").read_text()
    assert text == (
        'embeddings {\n  tensor_name: "layer_with_weights-0/embeddings/.ATTRIBUTES/'
        'VARIABLE_VALUE"\n  metadata_path: "meta.tsv"\n}\n'
    )
    with pytest.raises(ValueError, match="Unrecognized `Embedding` layer names"):
        keras.callbacks.TensorBoard(
            log_dir=str(tmp_path), embeddings_freq=1, embeddings_metadata={"nope": "m"}
        ).set_model(model)
