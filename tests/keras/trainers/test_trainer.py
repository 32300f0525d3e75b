"""keras.Model training: compile / fit / evaluate / predict, data inputs, logs, callbacks."""

import csv
import io
import math
import re

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras
RNG = np.random.default_rng(0)


def _data(n=96, d=5):
    x = RNG.standard_normal((n, d)).astype("float32")
    w = RNG.standard_normal((d, 1)).astype("float32")
    return x, (x @ w + 0.5).astype("float32")


def _model(d=5, seed=1):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input((d,)), keras.layers.Dense(4), keras.layers.Dense(1)])


def _abs_err(y_true, y_pred):
    return tf.reduce_mean(tf.abs(y_true - y_pred), axis=-1)


def _plain(text):
    """The progress bar as a terminal shows it (escapes and \\b / \\r redraws applied)."""
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"\x1b\[[0-9;]*m", "", line)
        while "\b" in line:
            line = re.sub(r"[^\b]?\x08", "", line, count=1)
        lines.append(line.split("\r")[-1])
    return [ln for ln in lines if ln.strip()]


# ---------------------------------------------------------------- fit / evaluate / predict


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_fit_reduces_the_loss_and_matches_a_manual_loop(run_eagerly):
    x, y = _data()
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", run_eagerly=run_eagerly)
    twin = _model()
    hist = model.fit(x, y, batch_size=32, epochs=4, shuffle=False, verbose=0)
    assert list(hist.history) == ["loss"] and len(hist.history["loss"]) == 4
    assert hist.history["loss"][-1] < hist.history["loss"][0]
    assert hist.epoch == [0, 1, 2, 3] and model.history is hist
    # the same updates by hand: per batch, mean squared error, plain SGD
    for _ in range(4):
        for s in range(0, 96, 32):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(y[s : s + 32] - twin(x[s : s + 32])))
            grads = tape.gradient(loss, twin.trainable_weights)
            for v, g in zip(twin.trainable_weights, grads):
                v.assign_sub(0.05 * g)
    for a, b in zip(model.get_weights(), twin.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_epoch_loss_is_the_running_mean_weighted_by_batch_size():
    x, y = _data(n=40)
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")  # no updates
    hist = model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0)
    expected = float(np.mean((model.predict(x, verbose=0) - y) ** 2))
    np.testing.assert_allclose(hist.history["loss"][0], expected, rtol=1e-5)
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), expected, rtol=1e-5)


def test_logs_are_sorted_and_evaluate_returns_loss_then_metrics():
    x, y = _data()
    model = _model()
    model.compile(optimizer="sgd", loss="mse", metrics=[_abs_err, keras.metrics.Mean("m")])
    hist = model.fit(x, y, epochs=2, verbose=0, validation_data=(x[:10], y[:10]))
    assert list(hist.history) == ["_abs_err", "loss", "m", "val__abs_err", "val_loss", "val_m"]
    result = model.evaluate(x, y, verbose=0)
    assert isinstance(result, list) and len(result) == 3
    as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
    assert sorted(as_dict) == ["_abs_err", "loss", "m"]
    np.testing.assert_allclose(result[0], as_dict["loss"], rtol=1e-6)
    np.testing.assert_allclose(result[1], as_dict["_abs_err"], rtol=1e-6)
    pred = model.predict(x, verbose=0)
    np.testing.assert_allclose(as_dict["_abs_err"], np.mean(np.abs(pred - y)), rtol=1e-5)


def test_predict_concatenates_batches_and_matches_call():
    x, _ = _data(n=70)
    model = _model()
    out = model.predict(x, batch_size=32, verbose=0)
    assert isinstance(out, np.ndarray) and out.shape == (70, 1)
    np.testing.assert_allclose(out, model(x).numpy(), rtol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(x[:3]), model(x[:3]).numpy(), rtol=1e-6)


def test_validation_split_takes_the_last_samples():
    x, y = _data(n=100)
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    hist = model.fit(x, y, epochs=1, validation_split=0.2, verbose=0)
    np.testing.assert_allclose(
        hist.history["val_loss"][0], model.evaluate(x[80:], y[80:], verbose=0), rtol=1e-5
    )
    np.testing.assert_allclose(
        hist.history["loss"][0], model.evaluate(x[:80], y[:80], verbose=0), rtol=1e-5
    )
    with pytest.raises(ValueError, match="not sufficient to split"):
        model.fit(x[:1], y[:1], validation_split=0.5, verbose=0)


def test_sample_weight_and_class_weight():
    x, y = _data(n=64)
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    sw = np.zeros(64, "float32")
    sw[:32] = 1.0
    weighted = model.evaluate(x, y, sample_weight=sw, batch_size=64, verbose=0)
    pred = model.predict(x, verbose=0)
    # sum_over_batch_size: the weighted sum divided by the batch size
    np.testing.assert_allclose(weighted, np.sum(sw[:, None] * (pred - y) ** 2) / 64, rtol=1e-5)
    labels = np.array([0, 1] * 32, "float32")[:, None]
    w = keras.src.trainers.data_adapters.class_weight_to_sample_weights(labels, {0: 2.0, 1: 0.5})
    np.testing.assert_allclose(w, np.where(labels[:, 0] == 0, 2.0, 0.5))
    onehot = np.eye(3, dtype="float32")[[2, 0, 1]]
    np.testing.assert_allclose(
        keras.src.trainers.data_adapters.class_weight_to_sample_weights(onehot, {2: 3.0}),
        [3.0, 1.0, 1.0],
    )
    hist = model.fit(x, labels, class_weight={0: 2.0, 1: 0.5}, epochs=1, verbose=0)
    assert math.isfinite(hist.history["loss"][0])
    with pytest.raises(ValueError, match="at the same time"):
        model.fit(x, labels, class_weight={0: 1.0}, sample_weight=sw, verbose=0)


def test_dataset_generator_and_pydataset_inputs():
    x, y = _data(n=64)
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    want = model.evaluate(x, y, verbose=0)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    np.testing.assert_allclose(model.evaluate(ds, verbose=0), want, rtol=1e-5)
    hist = model.fit(ds.repeat(), steps_per_epoch=3, epochs=2, verbose=0)
    assert len(hist.history["loss"]) == 2

    def gen():
        for s in range(0, 64, 16):
            yield x[s : s + 16], y[s : s + 16]

    np.testing.assert_allclose(model.evaluate(gen(), verbose=0), want, rtol=1e-5)

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return x[16 * i : 16 * (i + 1)], y[16 * i : 16 * (i + 1)]

    np.testing.assert_allclose(model.evaluate(Batches(), verbose=0), want, rtol=1e-5)
    with pytest.raises(ValueError, match="`y` should not be passed"):
        model.fit(ds, y, verbose=0)


def test_on_batch_methods():
    x, y = _data(n=8)
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=[_abs_err])
    before = model.test_on_batch(x, y)
    logs = model.train_on_batch(x, y, return_dict=True)
    np.testing.assert_allclose(logs["loss"], before[0], rtol=1e-5)  # loss before the update
    assert model.test_on_batch(x, y)[0] < before[0]


def test_errors_before_compile_and_bad_arguments():
    x, y = _data(n=8)
    model = _model()
    with pytest.raises(ValueError, match="You must call `compile\\(\\)`"):
        model.fit(x, y, verbose=0)
    model.compile(loss="mse")
    with pytest.raises(ValueError, match="Data cardinality is ambiguous"):
        model.fit(x, y[:5], verbose=0)
    with pytest.raises(ValueError, match="Arguments not recognized"):
        model.evaluate(x, y, bogus=1)
    with pytest.raises(ValueError, match="Expected `metrics` argument to be a list"):
        model.compile(loss="mse", metrics="mse")


def test_multi_output_functional_model_with_dict_losses():
    keras.utils.set_random_seed(3)
    inp = keras.Input((5,))
    h = keras.layers.Dense(4)(inp)
    a = keras.layers.Dense(1, name="a")(h)
    b = keras.layers.Dense(2, name="b")(h)
    model = keras.Model(inp, [a, b])
    assert model.output_names == ["a", "b"]
    model.compile(
        optimizer=keras.optimizers.SGD(0.0),
        loss={"a": "mse", "b": "mse"},
        loss_weights={"a": 1.0, "b": 0.5},
        metrics={"b": [_abs_err]},
    )
    x = RNG.standard_normal((16, 5)).astype("float32")
    ya = RNG.standard_normal((16, 1)).astype("float32")
    yb = RNG.standard_normal((16, 2)).astype("float32")
    logs = model.evaluate(x, {"a": ya, "b": yb}, verbose=0, return_dict=True)
    assert sorted(logs) == ["a_loss", "b__abs_err", "b_loss", "loss"]
    pa, pb = model.predict(x, verbose=0)
    la, lb = np.mean((pa - ya) ** 2), np.mean((pb - yb) ** 2)
    np.testing.assert_allclose(logs["a_loss"], la, rtol=1e-5)
    np.testing.assert_allclose(logs["b_loss"], lb, rtol=1e-5)
    np.testing.assert_allclose(logs["loss"], la + 0.5 * lb, rtol=1e-5)
    np.testing.assert_allclose(logs["b__abs_err"], np.mean(np.abs(pb - yb)), rtol=1e-5)
    hist = model.fit(x, [ya, yb], epochs=1, verbose=0)
    assert "a_loss" in hist.history and "b_loss" in hist.history


def test_regularization_losses_join_the_loss():
    class Penalized(keras.layers.Layer):
        def call(self, x):
            self.add_loss(tf.reduce_sum(x) * 0.0 + 3.0)
            return x

    model = keras.Sequential([keras.Input((1,)), Penalized()])
    model.compile(loss="mse")
    x = np.zeros((4, 1), "float32")
    np.testing.assert_allclose(model.evaluate(x, x, verbose=0), 3.0, rtol=1e-6)


def test_compile_config_and_metrics_names():
    model = _model()
    model.compile(optimizer="sgd", loss="mse", metrics=[_abs_err])
    config = model.get_compile_config()
    assert config["loss"] == "mse" and config["optimizer"]["class_name"] == "SGD"
    assert model.metrics_names == ["loss", "compile_metrics"]
    x, y = _data(n=8)
    model.evaluate(x, y, verbose=0)
    assert [m.name for m in model.metrics] == ["loss", "compile_metrics"]
    # compile state is not model state
    assert len(model.variables) == 4 and len(model.weights) == 4


# ---------------------------------------------------------------- progress output


def test_progress_bar_lines(capsys):
    x, y = _data(n=64)
    model = _model()
    model.compile(optimizer="sgd", loss="mse", metrics=[_abs_err])
    model.fit(x, y, batch_size=32, epochs=2, validation_data=(x, y))
    lines = _plain(capsys.readouterr().out)
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    pattern = (
        r"^2/2 ━{20} \d+s \d+(us|ms)/step - _abs_err: \d\.\d{4} - loss: \d\.\d{4} "
        r"- val__abs_err: \d\.\d{4} - val_loss: \d\.\d{4}$"
    )
    assert re.match(pattern, lines[1]), lines[1]
    model.evaluate(x, y, batch_size=64)
    model.predict(x, batch_size=32)
    lines = _plain(capsys.readouterr().out)
    assert re.match(r"^1/1 ━{20} \d+s \d+(us|ms)/step - _abs_err: \d\.\d{4} - loss: \d\.\d{4}$",
                    lines[0]), lines[0]
    assert re.match(r"^2/2 ━{20} \d+s \d+(us|ms)/step *$", lines[1]), lines[1]  # padded over the last redraw
    model.fit(x, y, epochs=1, verbose=2)
    line = _plain(capsys.readouterr().out)[0]
    assert re.match(r"^2/2 - \d+s - \d+(us|ms)/step - _abs_err: \d\.\d{4} - loss: \d\.\d{4}$",
                    line), line
    model.fit(x, y, epochs=1, verbose=0)
    assert capsys.readouterr().out == ""


def test_progbar_formats_values_and_averages_stateless_metrics(capsys):
    bar = keras.utils.Progbar(None, verbose=1)
    bar.update(3, [("loss", 1e-5)], finalize=True)
    out = _plain(capsys.readouterr().out)[0]
    assert re.match(r"^      3/Unknown \d+s \d+(us|ms)/step - loss: 1\.0000e-05$", out), out
    bar = keras.utils.Progbar(10, verbose=1)
    bar.update(10, [("loss", 1e-5), ("acc", 0.25)])
    out = _plain(capsys.readouterr().out)[0]
    assert out.startswith("10/10 " + "━" * 20) and out.endswith(
        "- loss: 1.0000e-05 - acc: 0.2500"), out
    bar = keras.utils.Progbar(4, verbose=1, interval=0)
    bar.update(2, [("x", 1.0)])
    bar.update(3, [("x", 4.0)])  # stateless: averaged by steps, (1*2 + 4*1) / 3
    out = _plain(capsys.readouterr().out)
    assert out[-1].endswith("- x: 2.0000") and "3/4 " + "━" * 15 in out[-1], out


# ---------------------------------------------------------------- callbacks


class Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        if name.startswith("on_"):
            calls = object.__getattribute__(self, "calls")

            def hook(*args, **kwargs):
                calls.append(name)

            return hook
        return object.__getattribute__(self, name)


def test_callback_hook_order_and_params():
    x, y = _data(n=64)
    model = _model()
    model.compile(optimizer="sgd", loss="mse")
    rec = Recorder()
    model.fit(x, y, batch_size=32, epochs=1, verbose=0, callbacks=[rec],
              validation_data=(x, y))
    assert rec.calls == [
        "on_train_begin", "on_epoch_begin",
        "on_train_batch_begin", "on_train_batch_end",
        "on_train_batch_begin", "on_train_batch_end",
        "on_test_begin", "on_test_batch_begin", "on_test_batch_end",
        "on_test_batch_begin", "on_test_batch_end", "on_test_end",
        "on_epoch_end", "on_train_end",
    ]
    assert rec.params == {"verbose": 0, "epochs": 1, "steps": 2}
    assert rec.model is model


def test_early_stopping_stops_and_restores_best_weights():
    x, y = _data(n=32)
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")  # loss never improves
    stop = keras.callbacks.EarlyStopping(
        monitor="loss", patience=2, min_delta=1e-4, restore_best_weights=True
    )
    hist = model.fit(x, y, epochs=10, verbose=0, callbacks=[stop])
    assert len(hist.history["loss"]) == 3 and stop.stopped_epoch == 2
    # improving loss: never stops
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=0)
    assert len(model.fit(x, y, epochs=4, verbose=0, callbacks=[stop]).history["loss"]) == 4
    assert stop.stopped_epoch == 0
    # accuracy-like names are maximized
    assert keras.callbacks.EarlyStopping(monitor="val_accuracy").monitor_op is np.greater


def test_learning_rate_callbacks():
    x, y = _data(n=32)
    model = _model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    sched = keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    hist = model.fit(x, y, epochs=3, verbose=0, callbacks=[sched])
    np.testing.assert_allclose(hist.history["learning_rate"], [0.05, 0.025, 0.0125], rtol=1e-6)
    model = _model()  # zero bias: zero outputs for zero inputs
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    model.optimizer.learning_rate = 0.4
    plateau = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1)
    zeros = np.zeros_like(x), np.zeros_like(y)  # zero loss, zero gradients: never improves
    hist = model.fit(*zeros, epochs=3, verbose=0, callbacks=[plateau])
    # never improves after the first epoch: halved after epochs 2 and 3 (logged before)
    np.testing.assert_allclose(hist.history["learning_rate"], [0.4, 0.4, 0.2], rtol=1e-6)
    np.testing.assert_allclose(float(model.optimizer.learning_rate), 0.1, rtol=1e-6)
    with pytest.raises(ValueError, match="factor >= 1.0"):
        keras.callbacks.ReduceLROnPlateau(factor=1.5)


def test_csv_logger_lambda_and_terminate_on_nan(tmp_path):
    x, y = _data(n=32)
    model = _model()
    model.compile(optimizer="sgd", loss="mse")
    path = tmp_path / "log.csv"
    ends = []
    model.fit(
        x, y, epochs=2, verbose=0,
        callbacks=[keras.callbacks.CSVLogger(str(path)),
                   keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: ends.append(e))],
    )
    rows = list(csv.reader(io.StringIO(path.read_text())))
    # Keras adds val_ columns (NA) when the first epoch has none (validation_freq > 1)
    assert rows[0] == ["epoch", "loss", "val_loss"] and [r[0] for r in rows[1:]] == ["0", "1"]
    assert rows[1][2] == "NA" and float(rows[1][1]) > 0
    assert ends == [0, 1]
    bad_y = y.copy()
    bad_y[0] = np.nan
    hist = model.fit(x, bad_y, epochs=5, batch_size=8, verbose=0,
                     callbacks=[keras.callbacks.TerminateOnNaN()])
    assert len(hist.history["loss"]) == 1 and math.isnan(hist.history["loss"][0])


def test_model_checkpoint_validates_paths_and_formats_names(tmp_path):
    with pytest.raises(ValueError, match="must end in `.weights.h5`"):
        keras.callbacks.ModelCheckpoint(str(tmp_path / "w.h5"), save_weights_only=True)
    with pytest.raises(ValueError, match="must end in `.keras`"):
        keras.callbacks.ModelCheckpoint(str(tmp_path / "m.tf"))
    ckpt = keras.callbacks.ModelCheckpoint(str(tmp_path / "m-{epoch:02d}-{loss:.2f}.keras"))
    assert ckpt._get_file_path(2, None, {"loss": 0.123}).endswith("m-03-0.12.keras")


def test_masks_propagate_and_activity_losses_are_batch_normalized():
    emb = keras.layers.Embedding(10, 3, mask_zero=True)
    x = tf.constant([[1, 2, 0, 0], [3, 0, 0, 0]])
    out = emb(x)
    np.testing.assert_array_equal(out._keras_mask.numpy(), x.numpy() != 0)

    class SeesMask(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True
            self.seen = None

        def call(self, inputs, mask=None):
            self.seen = mask
            return inputs

    layer = SeesMask()
    passed = layer(out)
    np.testing.assert_array_equal(layer.seen.numpy(), x.numpy() != 0)
    np.testing.assert_array_equal(passed._keras_mask.numpy(), x.numpy() != 0)
    dense = keras.layers.Dense(2, activity_regularizer=keras.regularizers.L1(0.5))
    y = dense(tf.ones([4, 3]))
    np.testing.assert_allclose(float(dense.losses[0]), 0.5 * np.abs(y.numpy()).sum() / 4,
                               rtol=1e-6)


def test_build_with_several_shapes_gets_them_by_argument_name():
    class Two(keras.layers.Layer):
        def build(self, a_shape, b_shape):
            self.shapes = (a_shape, b_shape)

        def call(self, a, b):
            return a + b

    layer = Two()
    layer(tf.ones([2, 3]), b=tf.ones([2, 3]))
    assert layer.shapes == ((2, 3), (2, 3)) and layer.built

    class BadBuild(keras.layers.Layer):
        def build(self, a_shape, other):
            pass

        def call(self, a):
            return a

    with pytest.raises(ValueError, match="should have a `_shape` suffix"):
        BadBuild()(tf.ones([1]))


def test_reiterable_inputs_are_iterated_each_epoch():
    class Batches:  # iterable, not an iterator (like a distributed dataset)
        def __iter__(self):
            for _ in range(2):
                yield np.ones((4, 3), "float32"), np.ones((4, 1), "float32")

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(0.0))
    hist = model.fit(Batches(), epochs=3, verbose=0)
    assert len(hist.history["loss"]) == 3 and all(v > 0 for v in hist.history["loss"])


def test_train_step_is_traced_with_an_unknown_batch_dimension():
    """As Keras' TF trainer (which traces from a dataset's element spec), layers see a None
    batch while fit traces; Keras' input-shape errors name it so."""
    seen = []

    class Spy(keras.layers.Layer):
        def call(self, x):
            seen.append(tuple(x.shape))
            return x

    model = keras.Sequential([keras.Input((3,)), Spy(), keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer="sgd")
    x, y = np.ones((10, 3), "float32"), np.ones((10, 1), "float32")
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert (None, 3) in seen
    bad = keras.Sequential([keras.Input((784,)), keras.layers.Dense(2)])
    bad.compile(loss="mse", optimizer="sgd")
    with pytest.raises(ValueError, match=r"Expected shape \(None, 784\), but input has "
                                         r"incompatible shape \(None, 28, 28\)"):
        bad.fit(np.ones((8, 28, 28), "float32"), np.ones((8, 2), "float32"), verbose=0)
