"""keras.saving (de)serialization: Keras 3's configs of functions, lambdas (safe mode),
KerasTensors, arrays and other values, registered objects, shared objects, model JSON.
Needs no h5py."""

import doctest
import json

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src.saving import serialization_lib

keras = tf.keras


def small_model(name="small"):
    return keras.Sequential(
        [
            keras.Input((3,), name="x"),
            keras.layers.Dense(4, activation="relu"),
            keras.layers.Dense(2),
        ],
        name=name,
    )


def test_registration_helpers():
    @keras.saving.register_keras_serializable(package="pkg", name="Twice")
    def twice(x):
        return 2 * x

    assert keras.saving.get_registered_name(twice) == "pkg>Twice"
    assert keras.saving.get_registered_object("pkg>Twice") is twice
    assert keras.saving.get_custom_objects()["pkg>Twice"] is twice
    config = keras.saving.serialize_keras_object(twice)
    assert config == {
        "module": "builtins",
        "class_name": "function",
        "config": "pkg>Twice",
        "registered_name": "function",
    }
    assert keras.saving.deserialize_keras_object(config) is twice
    with pytest.raises(ValueError, match="Cannot register a class that does not have a get_config"):
        keras.saving.register_keras_serializable()(type("NoConfig", (), {}))


def test_builtin_function_config_like_keras():
    config = keras.saving.serialize_keras_object(keras.losses.mean_squared_error)
    assert config == {
        "module": "builtins",
        "class_name": "function",
        "config": "mean_squared_error",
        "registered_name": "function",
    }
    assert keras.saving.deserialize_keras_object(config) is keras.losses.mean_squared_error
    # the form of earlier tensorlet files still loads
    old = {
        "module": "keras.losses",
        "class_name": "function",
        "config": "mean_squared_error",
        "registered_name": "mean_squared_error",
    }
    assert keras.saving.deserialize_keras_object(old) is keras.losses.mean_squared_error


def test_bare_lambda_serialization():
    fn = lambda v: v + 1
    with pytest.warns(UserWarning, match="includes a `lambda`"):
        config = keras.saving.serialize_keras_object(fn)
    assert config["class_name"] == "__lambda__"
    json.dumps(config)
    with pytest.raises(ValueError, match="Requested the deserialization of a `lambda` object"):
        keras.saving.deserialize_keras_object(config)
    assert keras.saving.deserialize_keras_object(config, safe_mode=False)(1) == 2
    with serialization_lib.SafeModeScope(False):
        assert keras.saving.deserialize_keras_object(config)(2) == 3


def test_enable_unsafe_deserialization():
    fn = lambda v: v * 3
    with pytest.warns(UserWarning):
        config = keras.saving.serialize_keras_object(fn)
    previous = serialization_lib.in_safe_mode()
    try:
        keras.config.enable_unsafe_deserialization()
        assert keras.saving.deserialize_keras_object(config)(2) == 6
    finally:
        tf.keras.src.backend.global_state.set_global_attribute("safe_mode_saving", previous)


def test_special_values_round_trip():
    kt = keras.Input((2,), name="k")
    values = {
        "bytes": b"abc",
        "slice": slice(1, None, 2),
        "ellipsis": Ellipsis,
        "array": np.arange(6, dtype="int32").reshape(2, 3),
        "scalar": np.float32(1.5),
        "tensor": tf.constant([[1.0, 2.0]]),
        "shape": tf.TensorShape([None, 3]),
        "dtype": tf.float16,
    }
    config = keras.saving.serialize_keras_object(values)
    json.dumps(config)
    assert config["scalar"] == 1.5 and config["shape"] == [None, 3] and config["dtype"] == "float16"
    back = keras.saving.deserialize_keras_object(config)
    assert (
        back["bytes"] == b"abc"
        and back["slice"] == slice(1, None, 2)
        and back["ellipsis"] is Ellipsis
    )
    assert np.array_equal(back["array"], values["array"]) and back["array"].dtype == np.int32
    assert np.array_equal(np.asarray(back["tensor"]), [[1.0, 2.0]])
    kconfig = keras.saving.serialize_keras_object(kt)
    assert kconfig == {
        "class_name": "__keras_tensor__",
        "config": {"shape": [None, 2], "dtype": "float32", "keras_history": ["k", 0, 0]},
    }
    revived = keras.saving.deserialize_keras_object(kconfig)
    assert revived.shape == (None, 2) and revived._pre_serialization_keras_history == ["k", 0, 0]


def test_shared_objects_are_marked_and_shared():
    init = keras.initializers.Constant(0.5)
    with serialization_lib.ObjectSharingScope():
        configs = keras.saving.serialize_keras_object([init, {"again": init}])
    ids = [configs[0].get("shared_object_id"), configs[1]["again"].get("shared_object_id")]
    assert ids[0] is not None and ids[0] == ids[1]
    assert "shared_object_id" not in keras.saving.serialize_keras_object([init, init])[0]
    with serialization_lib.ObjectSharingScope():
        revived = keras.saving.deserialize_keras_object(configs)
    assert revived[0] is revived[1]["again"]
    assert keras.saving.deserialize_keras_object(configs)[0] is not revived[0]


def test_unknown_module_class_is_refused():
    config = {"module": "os", "class_name": "system", "config": {}, "registered_name": None}
    with pytest.raises(ValueError, match="because it is not a KerasSaveable subclass"):
        keras.saving.deserialize_keras_object(config)
    config = {
        "module": "no_such_module_xyz",
        "class_name": "X",
        "config": {},
        "registered_name": None,
    }
    with pytest.raises(TypeError, match="its parent module no_such_module_xyz cannot be imported"):
        keras.saving.deserialize_keras_object(config)


def test_to_json_and_model_from_json():
    model = small_model()
    text = model.to_json(indent=2)
    assert "\n" in text
    config = json.loads(text)
    assert config["class_name"] == "Sequential" and config["module"] == "keras"
    again = keras.models.model_from_json(text)
    assert again.name == "small" and again(np.ones((16, 3), "float32")).shape == (16, 2)


def test_functional_config_like_keras():
    a = keras.Input((3,), name="a")
    model = keras.Model(a, keras.layers.Dense(2, name="d")(a), name="f")
    config = keras.saving.serialize_keras_object(model)
    assert config["module"] == "keras.src.models.functional"
    assert config["class_name"] == "Functional" and config["registered_name"] == "Functional"
    assert config["build_config"] == {"input_shape": None}
    assert config["config"]["input_layers"] == ["a", 0, 0]
    assert [layer["name"] for layer in config["config"]["layers"]] == ["a", "d"]


def test_doctests():
    result = doctest.testmod(serialization_lib, extraglobs={"tf": tf, "keras": keras})
    assert result.failed == 0
