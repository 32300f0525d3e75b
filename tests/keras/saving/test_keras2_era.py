"""Keras 2 APIs the seed document uses that Keras 3 removed, kept in tensorlet: `to_yaml` /
`model_from_yaml`, and `save_weights` to a plain `.h5` file (Keras 2's HDF5 weights layout)."""

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras


def _model():
    keras.utils.set_random_seed(1)
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])


def test_to_yaml_round_trip():
    model = _model()
    text = model.to_yaml()
    assert isinstance(text, str) and "Sequential" in text
    again = keras.models.model_from_yaml(text)
    assert again.count_params() == model.count_params() == 23
    assert [type(la).__name__ for la in again.layers] == ["Dense", "Dense"]


def test_save_weights_to_a_plain_h5_file(tmp_path):
    h5py = pytest.importorskip("h5py")
    model = _model()
    path = str(tmp_path / "w.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as f:  # Keras 2's layout: layer_names, a group per layer
        names = [n.decode() if isinstance(n, bytes) else n for n in f.attrs["layer_names"]]
        assert names == [layer.name for layer in model.layers]
        assert len(f[names[0]].attrs["weight_names"]) == 2
    other = _model()
    other.set_weights([np.zeros_like(w) for w in other.get_weights()])
    other.load_weights(path)
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="must end in `.weights.h5`"):
        model.save_weights(str(tmp_path / "w.bin"))


def test_float_dtype_policy_configs_load():
    """Older Keras 3 files record `FloatDTypePolicy` (now an alias of DTypePolicy)."""
    config = {"module": "keras", "class_name": "FloatDTypePolicy",
              "config": {"name": "float32"}, "registered_name": None}
    policy = keras.dtype_policies.deserialize(config)
    assert isinstance(policy, keras.dtype_policies.DTypePolicy) and policy.name == "float32"
    layer = keras.layers.Dense.from_config({"name": "d", "units": 2, "dtype": config})
    assert layer.dtype_policy.name == "float32"
