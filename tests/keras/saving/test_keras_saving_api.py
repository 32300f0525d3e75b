"""keras.saving / keras.models saving API: formats by file name, Keras 3's errors, overwrite and
atomic writes, custom objects, safe mode, (de)serialization of special values, subclassed and
nested models, ModelCheckpoint."""

import doctest
import importlib
import json
import os
import tempfile
import zipfile

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.saving import serialization_lib

h5py = pytest.importorskip("h5py")
keras = tf.keras
FIXTURES = "/work/shared/fixtures/formats"


def small_model(name="small"):
    return keras.Sequential(
        [
            keras.Input((3,), name="x"),
            keras.layers.Dense(4, activation="relu"),
            keras.layers.Dense(2),
        ],
        name=name,
    )


def data(n=16, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 2)).astype("float32")


def assert_same_model(a, b, x):
    assert len(a.weights) == len(b.weights)
    for va, vb in zip(a.weights, b.weights):
        assert np.array_equal(va.numpy(), vb.numpy())
    assert np.array_equal(np.asarray(a(x)), np.asarray(b(x)))


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def errors_json():
    path = os.path.join(FIXTURES, "inspect", "errors.json")
    if not os.path.exists(path):
        pytest.skip("inspect/errors.json not available")
    with open(path) as f:
        return json.load(f)


# --------------------------------------------------------------------------- file names
@pytest.mark.parametrize("path", ["my_model", "my_model.tf"])
def test_save_refuses_savedmodel_paths(path, tmp_path):
    target = str(tmp_path / path)
    with pytest.raises(ValueError) as e:
        small_model().save(target)
    assert str(e.value) == (
        "Invalid filepath extension for saving. Please add either a `.keras` extension for the "
        "native Keras format (recommended) or a `.h5` extension. Use `model.export(filepath)` if "
        "you want to export a SavedModel for use with TFLite/TFServing/etc. Received: "
        f"filepath={target}."
    )
    assert not os.path.exists(target)


def test_save_format_argument_is_refused(tmp_path):
    message = errors_json()["model.save('_tmp_errors/my_model', save_format='tf')"]["message"]
    with pytest.raises(ValueError) as e:
        small_model().save("_tmp_errors/my_model", save_format="tf")
    assert str(e.value) == message


@pytest.mark.parametrize("path", ["my_model_weights", "x.ckpt"])  # .h5: Keras 2 weights (test_keras2_era)
def test_save_weights_needs_weights_h5(path, tmp_path):
    target = str(tmp_path / path)
    with pytest.raises(ValueError) as e:
        small_model().save_weights(target)
    assert str(e.value) == f"The filename must end in `.weights.h5`. Received: filepath={target}"


def test_errors_match_keras_verbatim():
    errors = errors_json()
    cwd = os.getcwd()
    os.chdir(FIXTURES)  # the recorded messages use paths relative to the fixtures folder
    try:
        for api, call in [
            (
                "keras.models.load_model('keras/a_mlp.weights.h5')",
                lambda: keras.models.load_model("keras/a_mlp.weights.h5"),
            ),
            (
                "keras.models.load_model('savedmodel/a_mlp_export')  (a SavedModel directory)",
                lambda: keras.models.load_model("savedmodel/a_mlp_export"),
            ),
            (
                "tf.keras.models.load_model('tfrecord/examples.tfrecord') (unknown extension)",
                lambda: keras.models.load_model("tfrecord/examples.tfrecord"),
            ),
            (
                "model.load_weights('checkpoint/a_mlp_tfckpt')",
                lambda: small_model().load_weights("checkpoint/a_mlp_tfckpt"),
            ),
            (
                "model.save_weights('checkpoint/my_model_weights')",
                lambda: small_model().save_weights("checkpoint/my_model_weights"),
            ),
        ]:
            with pytest.raises(ValueError) as e:
                call()
            assert str(e.value) == errors[api]["message"], api
    finally:
        os.chdir(cwd)


def test_load_missing_keras_file(tmp_path):
    with pytest.raises(
        ValueError,
        match="File not found: filepath=.*Please ensure the file is an accessible `.keras` zip file.",
    ):
        keras.models.load_model(str(tmp_path / "nope.keras"))


def test_save_model_aliases_and_pathlib(tmp_path):
    model = small_model()
    x, _ = data()
    keras.saving.save_model(model, tmp_path / "a.keras")
    keras.models.save_model(model, tmp_path / "b.h5")
    for p in ("a.keras", "b.h5"):
        assert_same_model(keras.saving.load_model(tmp_path / p), model, x)
        assert_same_model(keras.models.load_model(str(tmp_path / p)), model, x)
    keras.saving.save_weights(model, tmp_path / "c.weights.h5")
    fresh = small_model("other")
    keras.saving.load_weights(fresh, tmp_path / "c.weights.h5")
    assert np.array_equal(np.asarray(fresh(x)), np.asarray(model(x)))


def test_unsupported_keyword_arguments(tmp_path):
    with pytest.raises(
        ValueError, match=r"The following argument\(s\) are not supported: \['foo'\]"
    ):
        small_model().save(str(tmp_path / "m.keras"), foo=1)
    with pytest.raises(ValueError, match="Invalid keyword arguments"):
        small_model().load_weights(str(tmp_path / "m.weights.h5"), foo=1)
    small_model().save(str(tmp_path / "m.keras"))
    with pytest.raises(ValueError, match="`by_name` only supports loading legacy"):
        small_model().load_weights(str(tmp_path / "m.keras"), by_name=True)


# --------------------------------------------------------------------------- overwrite / atomic
@pytest.mark.parametrize("ext", [".keras", ".h5", ".weights.h5"])
def test_overwrite_false_asks(ext, tmp_path, monkeypatch):
    path = str(tmp_path / ("m" + ext))
    first, second = small_model("first"), small_model("second")
    save = (
        (lambda m, **kw: m.save_weights(path, **kw))
        if ext == ".weights.h5"
        else (lambda m, **kw: m.save(path, **kw))
    )
    save(first)
    before = _read(path)
    answers = iter(["maybe", "n"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    save(second, overwrite=False)
    assert _read(path) == before
    monkeypatch.setattr("builtins.input", lambda prompt="": "y")
    save(second, overwrite=False)
    assert _read(path) != before
    save(first, overwrite=True)  # no question asked
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail("asked"))
    save(first)


class _Exploding(keras.layers.Layer):
    def save_own_variables(self, store):
        raise RuntimeError("disk full")


@pytest.mark.parametrize("ext", [".keras", ".weights.h5", ".h5"])
def test_failed_save_leaves_the_old_file(ext, tmp_path):
    path = str(tmp_path / ("m" + ext))
    model = small_model()
    (model.save_weights if ext == ".weights.h5" else model.save)(path)
    before = _read(path)
    broken = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), _Exploding()])
    if ext == ".h5":  # the legacy writer does not call save_own_variables: break the config
        broken = keras.Sequential(
            [keras.Input((3,)), keras.layers.Lambda(lambda v: v, output_shape=(3,))]
        )
        broken.get_config = lambda: (_ for _ in ()).throw(RuntimeError("disk full"))
    with pytest.raises(RuntimeError, match="disk full"):
        (broken.save_weights if ext == ".weights.h5" else broken.save)(path)
    assert _read(path) == before
    assert os.listdir(tmp_path) == ["m" + ext]  # no temporary file left behind


def test_save_creates_missing_folders(tmp_path):
    path = str(tmp_path / "a" / "b" / "m.keras")
    small_model().save(path)
    assert zipfile.is_zipfile(path)


# --------------------------------------------------------------------------- round trips
def test_round_trip_with_optimizer_state(tmp_path):
    x, y = data()
    model = small_model()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mean_squared_error", metrics=["mae"])
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    again = keras.models.load_model(path)
    assert_same_model(again, model, x)
    assert int(again.optimizer.iterations.numpy()) == 4
    for a, b in zip(again.optimizer.variables, model.optimizer.variables):
        assert np.array_equal(a.numpy(), b.numpy())
    # the same next step from the same state (the metrics of `fit` are still running in model)
    model.reset_metrics()
    la = again.train_on_batch(x, y, return_dict=True)
    lb = model.train_on_batch(x, y, return_dict=True)
    assert la == lb
    assert_same_model(again, model, x)


def test_compiled_but_unbuilt_optimizer_warns_on_load(tmp_path):
    model = small_model()
    model.compile(optimizer="adam", loss="mse")
    path = str(tmp_path / "m.keras")
    model.save(path)
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer"):
        again = keras.models.load_model(path)
    assert again.compiled and type(again.optimizer).__name__ == "Adam"


def test_legacy_h5_round_trip_compiled(tmp_path):
    x, y = data()
    model = small_model()
    model.compile(
        optimizer=keras.optimizers.SGD(0.1), loss=keras.losses.MeanSquaredError(), metrics=["mae"]
    )
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    path = str(tmp_path / "m.h5")
    model.save(path)
    with h5py.File(path, "r") as f:
        training = json.loads(f.attrs["training_config"])
        assert training["loss"]["class_name"] == "MeanSquaredError"
        assert training["optimizer_config"]["class_name"] == "SGD"
        assert list(f["optimizer_weights"].attrs["weight_names"]) == [
            v.path for v in model.optimizer.variables
        ]
    again = keras.models.load_model(path)
    assert_same_model(again, model, x)
    assert type(again.optimizer).__name__ == "SGD"
    assert int(again.optimizer.iterations.numpy()) == 2
    assert keras.models.load_model(path, compile=False).optimizer is None


def test_legacy_h5_by_name_and_skip_mismatch(tmp_path):
    x, _ = data()
    model = small_model()
    path = str(tmp_path / "m.h5")
    model.save(path)
    # by name: layers are matched by name, whatever their order
    fresh = small_model("other")
    for src, dst in zip(model.layers, fresh.layers):
        dst.name = src.name
    fresh.load_weights(path, by_name=True)
    assert np.array_equal(np.asarray(fresh(x)), np.asarray(model(x)))
    wider = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="Shape mismatch"):
        wider.load_weights(path)
    with pytest.warns(UserWarning, match="Skipping loading weights"):
        wider.load_weights(path, skip_mismatch=True)


def test_weights_file_mismatch_errors(tmp_path):
    path = str(tmp_path / "m.weights.h5")
    small_model().save_weights(path)
    other = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2), keras.layers.Dense(1)]
    )
    with pytest.raises(ValueError, match="A total of 1 objects could not be loaded"):
        other.load_weights(path)
    with pytest.warns(UserWarning, match="A total of 1 objects could not be loaded"):
        other.load_weights(path, skip_mismatch=True)


def test_functional_with_nested_sequential_and_shared_layers(tmp_path):
    inner = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(3, activation="tanh")], name="inner"
    )
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    shared = keras.layers.Dense(3, name="shared")
    merged = keras.layers.Add(name="add")([inner(shared(a)), shared(b)])
    out = keras.layers.Dense(1, name="out")(merged)
    model = keras.Model([a, b], out, name="outer")
    x = [np.ones((2, 3), "float32"), np.full((2, 3), 0.5, "float32")]
    path = str(tmp_path / "m.keras")
    model.save(path)
    with (
        zipfile.ZipFile(path) as z,
        h5py.File(__import__("io").BytesIO(z.read("model.weights.h5"))) as f,
    ):
        names = []
        f.visit(names.append)
    assert "layers/sequential/layers/dense/vars/0" in names  # nested models nest their groups
    again = keras.models.load_model(path)
    assert [layer.name for layer in again.layers] == [layer.name for layer in model.layers]
    assert np.array_equal(np.asarray(again(x)), np.asarray(model(x)))
    clone = keras.Model.from_config(model.get_config())
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    assert json.loads(clone.to_json())["config"] == json.loads(model.to_json())["config"]


def test_dict_inputs_round_trip(tmp_path):
    inputs = {"p": keras.Input((2,), name="p"), "q": keras.Input((2,), name="q")}
    out = keras.layers.Dense(1, name="d")(
        keras.layers.Concatenate(name="c")([inputs["p"], inputs["q"]])
    )
    model = keras.Model(inputs, out, name="dicts")
    config = model.get_config()
    assert config["input_layers"] == {"p": ["p", 0, 0], "q": ["q", 0, 0]}
    assert config["output_layers"] == ["d", 0, 0]
    path = str(tmp_path / "m.keras")
    model.save(path)
    x = {"p": np.ones((2, 2), "float32"), "q": np.zeros((2, 2), "float32")}
    assert np.array_equal(np.asarray(keras.models.load_model(path)(x)), np.asarray(model(x)))


@keras.saving.register_keras_serializable(package="saving_test")
class Tower(keras.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.first = keras.layers.Dense(units)
        self.blocks = [keras.layers.Dense(2), keras.layers.Dense(2)]

    def call(self, x):
        x = self.first(x)
        for block in self.blocks:
            x = block(x)
        return x


def test_subclassed_model_layout_and_keras_build_config(tmp_path):
    model = Tower(units=4, name="tower")
    x, _ = data()
    model(x)
    path = str(tmp_path / "m.keras")
    model.save(path)
    with zipfile.ZipFile(path) as z:
        config = json.loads(z.read("config.json"))
        with h5py.File(__import__("io").BytesIO(z.read("model.weights.h5"))) as f:
            groups = []
            f.visit(groups.append)
    assert config["registered_name"] == "saving_test>Tower"
    assert config["config"]["units"] == 4
    # attribute paths, layers in lists named after their class (Keras' walk)
    assert {"first/vars/0", "blocks/dense/vars/0", "blocks/dense_1/vars/1", "vars"} <= set(groups)
    # a Keras-written config records the input shape: the model is built by calling it
    config["build_config"] = {"input_shape": [None, 3]}
    again = serialization_lib.deserialize_keras_object(config)
    assert again.built and len(again.weights) == 6
    again.load_weights(path)
    assert np.array_equal(np.asarray(again(x)), np.asarray(model(x)))


# --------------------------------------------------------------------------- custom objects
def test_custom_activation_in_saved_model(tmp_path):
    def scaled(x):
        return 3.0 * x

    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(2, activation=scaled)], name="act"
    )
    path = str(tmp_path / "m.keras")
    model.save(path)
    with pytest.raises(TypeError, match="Could not locate function 'scaled'"):
        keras.models.load_model(path)
    x, _ = data()
    for loaded in (
        keras.models.load_model(path, custom_objects={"scaled": scaled}),
        _load_in_scope(path, {"scaled": scaled}),
    ):
        assert np.array_equal(np.asarray(loaded(x)), np.asarray(model(x)))


def _load_in_scope(path, objects):
    with keras.saving.custom_object_scope(objects):
        return keras.models.load_model(path)


def test_compile_config_with_loss_function_round_trip(tmp_path):
    x, y = data()
    model = small_model()
    model.compile(optimizer="sgd", loss=keras.losses.mean_squared_error)
    model.fit(x, y, verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    with zipfile.ZipFile(path) as z:
        compile_config = json.loads(z.read("config.json"))["compile_config"]
    assert compile_config["loss"]["class_name"] == "function"
    again = keras.models.load_model(path)
    model.reset_metrics()
    assert again.train_on_batch(x, y) == model.train_on_batch(x, y)


# --------------------------------------------------------------------------- safe mode
def test_lambda_layer_needs_unsafe_mode(tmp_path):
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Lambda(lambda v: v * 2.0, output_shape=(3,))], name="lam"
    )
    path = str(tmp_path / "m.keras")
    model.save(path)
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(path)
    x, _ = data()
    again = keras.models.load_model(path, safe_mode=False)
    assert np.array_equal(np.asarray(again(x)), np.asarray(model(x)))


# --------------------------------------------------------------------------- serialization
# --------------------------------------------------------------------------- ModelCheckpoint
@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_model_checkpoint_best_only_writes_loadable_model(ext, tmp_path):
    x, y = data(32)
    vx, vy = data(8, seed=1)
    model = small_model()
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mean_squared_error")
    path = str(tmp_path / ("best" + ext))
    checkpoint = keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True)
    history = model.fit(
        x, y, validation_data=(vx, vy), epochs=4, batch_size=8, verbose=0, callbacks=[checkpoint]
    )
    best = min(history.history["val_loss"])
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.evaluate(vx, vy, verbose=0), best, rtol=1e-6)
    assert os.listdir(tmp_path) == ["best" + ext]


def test_model_checkpoint_weights_only(tmp_path):
    x, y = data(32)
    model = small_model()
    model.compile(optimizer="adam", loss="mse")
    path = str(tmp_path / "w-{epoch:02d}.weights.h5")
    model.fit(
        x,
        y,
        epochs=2,
        verbose=0,
        callbacks=[keras.callbacks.ModelCheckpoint(path, monitor="loss", save_weights_only=True)],
    )
    assert sorted(os.listdir(tmp_path)) == ["w-01.weights.h5", "w-02.weights.h5"]
    fresh = small_model("fresh")
    fresh.compile(optimizer="adam", loss="mse")
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer"):
        fresh.load_weights(str(tmp_path / "w-02.weights.h5"))  # its Adam is not built yet
    assert_same_model(fresh, model, x)


# --------------------------------------------------------------------------- docs
@pytest.mark.parametrize(
    "module", ["saving_api", "saving_lib", "legacy_h5_format", "legacy_config", "scopes"]
)
def test_doctests(module):
    mod = importlib.import_module(f"tensorlet.keras.src.saving.{module}")
    result = doctest.testmod(
        mod, extraglobs={"tf": tf, "keras": keras, "os": os, "tempfile": tempfile}
    )
    assert result.failed == 0
