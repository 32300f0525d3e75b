"""Real Keras 3.15 / Keras 2 files (fixtures/formats/keras, keras2) load in tensorlet and give the
recorded outputs; files tensorlet writes have the same zip / HDF5 layout and configs as the real
ones and reload bit-exactly."""

import io
import json
import os
import warnings
import zipfile

import numpy as np
import pytest
from keras_fixture_models import (
    BUILDERS,
    K2DIR,
    MODELS,
    MyDense,
    assert_matches_expected,
    compile_like_fixture,
    expected,
    fixture_path,
    inputs,
    outputs,
    require_layers,
)

import tensorlet as tf

h5py = pytest.importorskip("h5py")
keras = tf.keras


def load(name, ext, **kwargs):
    require_layers(name)
    return keras.models.load_model(fixture_path(name + ext), **kwargs)


# --------------------------------------------------------------------------- reading real files
@pytest.mark.parametrize("name", MODELS)
def test_load_keras_file(name):
    model = load(name, ".keras")
    assert model.name == name
    assert_matches_expected(model, name)


@pytest.mark.parametrize("name", MODELS)
def test_load_legacy_h5_file(name):
    # g_adam was compiled with loss="mse": Keras 3 loads it only with compile=False (see below)
    model = load(name, ".h5", compile=name != "g_adam")
    assert_matches_expected(model, name)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("source", [".weights.h5", ".keras", ".h5"])
def test_load_weights_into_model_built_in_code(name, source):
    require_layers(name)
    model = BUILDERS[name]()
    model.load_weights(fixture_path(name + source))
    assert_matches_expected(model, name)


@pytest.mark.parametrize("name", MODELS)
def test_model_from_json_then_load_weights(name):
    require_layers(name)
    with open(fixture_path(name + ".json")) as f:
        model = keras.models.model_from_json(f.read())
    # compiled models: the JSON's compile config has no optimizer (Keras' legacy-H5 save
    # removed it), so the model gets RMSprop, whose variables do not match the file's: warning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.load_weights(fixture_path(name + ".weights.h5"))
    skipped = [w for w in caught if "Skipping variable loading for optimizer" in str(w.message)]
    assert bool(skipped) == (name in ("c_cnn", "g_adam"))
    assert_matches_expected(model, name)


def test_json_compiled_model_gets_default_optimizer():
    require_layers("c_cnn")
    with open(fixture_path("c_cnn.json")) as f:
        model = keras.models.model_from_json(f.read())
    assert model.compiled and type(model.optimizer).__name__ == "RMSprop"
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer 'rm_sprop"):
        model.load_weights(fixture_path("c_cnn.weights.h5"))


def test_load_keras_restores_compile_and_adam_state():
    model = load("g_adam", ".keras")
    assert model.compiled
    assert type(model.optimizer).__name__ == "Adam"
    assert int(model.optimizer.iterations.numpy()) == 8
    np.testing.assert_allclose(model.optimizer.learning_rate.numpy(), 0.01, rtol=1e-7)
    logs = model.train_on_batch(
        np.load(fixture_path("g_adam_next_batch_x.npy")),
        np.load(fixture_path("g_adam_next_batch_y.npy")),
        return_dict=True,
    )
    np.testing.assert_allclose(logs["loss"], 10.725421905517578, rtol=1e-5)
    np.testing.assert_allclose(logs["mae"], 2.679835796356201, rtol=1e-5)
    got = np.asarray(model(np.load(fixture_path("g_adam_input.npy"))))
    np.testing.assert_allclose(
        got, np.load(fixture_path("g_adam_after_step_expected.npy")), atol=1e-5
    )


def test_load_keras_compile_false():
    model = load("g_adam", ".keras", compile=False)
    assert not model.compiled and model.optimizer is None
    assert_matches_expected(model, "g_adam")


def test_training_golden_from_initial_weights():
    require_layers("g_adam")
    model = BUILDERS["g_adam"]()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse", metrics=["mae"])
    model.load_weights(fixture_path("g_adam_initial.weights.h5"))
    x, y = np.load(fixture_path("g_adam_train_x.npy")), np.load(fixture_path("g_adam_train_y.npy"))
    model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == 8
    np.testing.assert_allclose(
        np.asarray(model(np.load(fixture_path("g_adam_input.npy")))),
        np.load(fixture_path("g_adam_expected.npy")),
        atol=1e-4,
    )


def test_legacy_h5_string_loss_alias_refused_like_keras():
    # Keras 3.15 trap 1: 'mse' resolves through keras.metrics and is refused
    with pytest.raises(
        ValueError,
        match=r"Could not deserialize 'keras.metrics.mse' because it is not a KerasSaveable subclass",
    ):
        load("g_adam", ".h5")


def test_legacy_h5_optimizer_state_like_keras():
    # Keras 3.15 trap 2: the optimizer is built on the model's own variables (none), so only
    # `iterations` and `learning_rate` are restored, and training then fails
    model = load("c_cnn", ".h5")
    assert type(model.optimizer).__name__ == "SGD"
    assert len(model.optimizer.variables) == 2
    assert int(model.optimizer.iterations.numpy()) == 16
    x = np.load(fixture_path("c_cnn_input.npy"))
    with pytest.raises(ValueError, match="Unknown variable"):
        model.train_on_batch(x, np.zeros((4,), "int64"))


def test_load_unregistered_custom_class_fails(monkeypatch):
    require_layers("f_custom")
    registry = dict(keras.saving.get_custom_objects())
    registry.pop("tensorlet_fixtures>MyDense")
    monkeypatch.setattr(
        "tensorlet.keras.src.saving.object_registration.GLOBAL_CUSTOM_OBJECTS", registry
    )
    with pytest.raises(TypeError, match="Could not locate class 'MyDense'"):
        keras.models.load_model(fixture_path("f_custom.keras"))
    model = keras.models.load_model(
        fixture_path("f_custom.keras"), custom_objects={"MyDense": MyDense}
    )
    assert_matches_expected(model, "f_custom")
    with keras.saving.custom_object_scope({"tensorlet_fixtures>MyDense": MyDense}):
        assert_matches_expected(keras.models.load_model(fixture_path("f_custom.keras")), "f_custom")


# --------------------------------------------------------------------------- Keras 2 files
def _keras2(name):
    path = os.path.join(K2DIR, name)
    if not os.path.exists(path):
        pytest.skip(f"fixture {path} not available")
    return path


@pytest.mark.parametrize("name", ["a_mlp_keras2.h5", "c_cnn_keras2.h5", "a_mlp_keras2.keras"])
def test_load_keras2_files(name):
    base = name.split("_keras2")[0]
    require_layers(base)
    model = keras.models.load_model(_keras2(name))
    assert_matches_expected(model, base)


def test_keras2_keras_file_with_list_axis_fails_like_keras():
    # Keras 2 wrote BatchNormalization `axis=[3]`; Keras 3's `.keras` loader does not convert it
    require_layers("c_cnn")
    with pytest.raises(TypeError, match="could not be deserialized properly"):
        keras.models.load_model(_keras2("c_cnn_keras2.keras"))


def test_keras2_weights_h5():
    require_layers("a_mlp")
    model = BUILDERS["a_mlp"]()
    model.load_weights(_keras2("a_mlp_keras2_weights.h5"))
    assert_matches_expected(model, "a_mlp")
    model = BUILDERS["a_mlp"]()
    model.load_weights(_keras2("a_mlp_keras2_weights.h5"), by_name=True)
    assert_matches_expected(model, "a_mlp")


def test_keras2_json_fails_like_keras():
    with open(_keras2("a_mlp_keras2.json")) as f:
        text = f.read()
    with pytest.raises(TypeError, match="Could not locate class 'Sequential'"):
        keras.models.model_from_json(text)


def test_keras2_checkpoint_refused_by_load_weights():
    require_layers("a_mlp")
    path = os.path.join(K2DIR, "a_mlp_keras2_tfckpt")
    with pytest.raises(ValueError, match="File format not supported"):
        BUILDERS["a_mlp"]().load_weights(path)


# --------------------------------------------------------------------------- writing
def _strip(config):
    """A config without the opaque ``shared_object_id``s and the ``mask: None`` call argument
    (Keras passes it explicitly to layers whose ``call`` takes a mask; tensorlet's layer call
    does not record it). MyDense was defined in generate.py's ``__main__`` (module None)."""
    if isinstance(config, dict):
        out = {k: _strip(v) for k, v in config.items() if k != "shared_object_id"}
        if out.get("registered_name") == "tensorlet_fixtures>MyDense":
            out["module"] = None
        if set(out) == {"args", "kwargs"} and isinstance(out["kwargs"], dict):
            out["kwargs"] = {
                k: v for k, v in out["kwargs"].items() if not (k == "mask" and v is None)
            }
        return out
    if isinstance(config, list):
        return [_strip(x) for x in config]
    return config


def _h5_tree(f):
    """Every group / dataset with its attributes (HDF5 type class, string kind, values)."""
    out = {}

    def attrs(obj):
        result = {}
        for key in obj.attrs:
            kind = obj.attrs.get_id(key).get_type()
            is_str = isinstance(kind, h5py.h5t.TypeStringID)
            value = obj.attrs[key]
            if key in ("model_config", "training_config"):
                value = json.loads(value)
            elif hasattr(value, "tolist"):
                value = value.tolist()
            result[key] = (
                type(kind).__name__,
                kind.is_variable_str() if is_str else kind.get_size(),
                kind.get_cset() if is_str else None,
                _strip(value) if key == "model_config" else value,
            )
        return result

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            out[name] = ("dataset", obj.shape, str(obj.dtype), attrs(obj))
        else:
            out[name] = ("group", attrs(obj))

    visit("/", f)
    f.visititems(visit)
    return out


def _assert_same_tree(ours, real):
    a, b = _h5_tree(ours), _h5_tree(real)
    assert sorted(a) == sorted(b)
    for key in a:
        assert a[key] == b[key], key


def _model_like_fixture(name):
    require_layers(name)
    keras.backend.clear_session()  # auto names ('adam', 'lstm_cell') as in a fresh process
    model = BUILDERS[name]()
    compile_like_fixture(name, model)
    model.load_weights(fixture_path(name + ".weights.h5"))
    return model


@pytest.mark.parametrize("name", MODELS)
def test_saved_keras_file_has_the_real_layout(name, tmp_path):
    model = _model_like_fixture(name)
    path = str(tmp_path / f"{name}.keras")
    model.save(path)
    ours, real = zipfile.ZipFile(path), zipfile.ZipFile(fixture_path(name + ".keras"))
    assert [(i.filename, i.compress_type) for i in ours.infolist()] == [
        (i.filename, i.compress_type) for i in real.infolist()
    ]
    metadata = json.loads(ours.read("metadata.json"))
    assert list(metadata) == ["keras_version", "date_saved"]
    assert metadata["keras_version"] == "3.15.1"
    config, real_config = json.loads(ours.read("config.json")), json.loads(real.read("config.json"))
    assert list(config) == list(real_config)
    assert _strip(config) == _strip(real_config)
    with (
        h5py.File(io.BytesIO(ours.read("model.weights.h5")), "r") as a,
        h5py.File(io.BytesIO(real.read("model.weights.h5")), "r") as b,
    ):
        _assert_same_tree(a, b)


@pytest.mark.parametrize("name", MODELS)
def test_saved_weights_file_has_the_real_layout(name, tmp_path):
    model = _model_like_fixture(name)
    path = str(tmp_path / f"{name}.weights.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as a, h5py.File(fixture_path(name + ".weights.h5"), "r") as b:
        _assert_same_tree(a, b)


@pytest.mark.parametrize("name", MODELS)
def test_saved_legacy_h5_file_has_the_real_layout(name, tmp_path):
    model = _model_like_fixture(name)
    path = str(tmp_path / f"{name}.h5")
    model.save(path)
    with h5py.File(path, "r") as a, h5py.File(fixture_path(name + ".h5"), "r") as b:
        _assert_same_tree(a, b)


@pytest.mark.parametrize("name", MODELS)
def test_to_json_matches_real_json(name):
    model = _model_like_fixture(name)
    with open(fixture_path(name + ".json")) as f:
        real = json.load(f)
    ours = json.loads(model.to_json())
    if name in ("c_cnn", "g_adam"):  # Keras' legacy-H5 save had removed the optimizer
        ours["compile_config"].pop("optimizer")
    assert _strip(ours) == _strip(real)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_reload_of_tensorlet_files_is_bit_exact(name, ext, tmp_path):
    model = load(name, ".keras")
    path = str(tmp_path / (name + ext))
    model.save(path)
    again = keras.models.load_model(path, compile=not (ext == ".h5" and name == "g_adam"))
    assert len(again.weights) == len(model.weights)
    for a, b in zip(again.weights, model.weights):
        assert a.shape == b.shape and a.dtype == b.dtype
        assert np.array_equal(a.numpy(), b.numpy())
    for a, b in zip(outputs(again, name), outputs(model, name)):
        assert np.array_equal(a, b)
    assert_matches_expected(again, name)
    if ext == ".keras" and model.optimizer is not None:
        assert [v.path for v in again.optimizer.variables] == [
            v.path for v in model.optimizer.variables
        ]
        for a, b in zip(again.optimizer.variables, model.optimizer.variables):
            assert np.array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize("name", MODELS)
def test_weights_round_trip_bit_exact(name, tmp_path):
    model = load(name, ".keras")
    path = str(tmp_path / f"{name}.weights.h5")
    model.save_weights(path)
    fresh = BUILDERS[name]()
    fresh.load_weights(path)
    for a, b in zip(fresh.weights, model.weights):
        assert np.array_equal(a.numpy(), b.numpy())
    assert_matches_expected(fresh, name)


def test_expected_files_are_consistent():
    # guards the helpers: every fixture has inputs and expected outputs of the batch size
    for name in MODELS:
        x = inputs(name)
        for e in expected(name):
            assert e.shape[0] == (x[0] if isinstance(x, list) else x).shape[0] == 4
