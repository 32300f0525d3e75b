"""``run_layer_test``: the checks every layer must pass, as one call per configuration.

Checks: build and weight counts; eager call and output shape; symbolic call on ``keras.Input``;
``get_config`` -> ``from_config`` -> ``get_config`` equal as JSON; deserialization by the
registered name; the same output inside ``tf.function``; one SGD step that lowers a loss.
"""

import json

from tensorlet.autodiff.gradient_tape import GradientTape
from tensorlet.backend import xp
from tensorlet.function import polymorphic_function
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.core.input_layer import Input
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_creation_ops, random_ops, reduction_ops, unary_math_ops


def run_layer_test(
    layer_cls,
    init_kwargs,
    input_shape,
    expected_output_shape=None,
    expected_num_trainable_weights=None,
    expected_num_non_trainable_weights=None,
    expected_num_seed_generators=None,
    input_dtype="float32",
    call_kwargs=None,
    run_training_check=True,
    supports_symbolic=True,
    input_data=None,
):
    """Runs the standard layer checks; raises AssertionError on the first difference."""
    call_kwargs = call_kwargs or {}
    layer = layer_cls(**init_kwargs)
    _check_config_round_trip(layer, layer_cls)
    x = input_data if input_data is not None else _input(input_shape, input_dtype)
    out = layer(x, **call_kwargs)
    if expected_output_shape is not None:
        got = tuple(out.shape.as_list())
        assert got == tuple(expected_output_shape), (
            f"output shape {got}, expected {expected_output_shape}"
        )
    _check_counts(
        layer,
        expected_num_trainable_weights,
        expected_num_non_trainable_weights,
        expected_num_seed_generators,
    )
    _check_config_round_trip(layer, layer_cls)
    if supports_symbolic:
        symbolic = layer_cls(**init_kwargs)
        spec = symbolic(Input(batch_shape=tuple(input_shape), dtype=input_dtype), **call_kwargs)
        want = tuple(out.shape.as_list())
        assert tuple(spec.shape) == want, f"symbolic output shape {spec.shape}, eager {want}"

    def forward(t):
        return layer(t, **call_kwargs)

    traced = polymorphic_function.function(forward)(x)
    if not call_kwargs.get("training"):
        xp.testing.assert_allclose(traced.numpy(), out.numpy(), rtol=1e-6, atol=1e-6)
    if run_training_check and layer.trainable_weights:
        _check_training_step(layer, x, call_kwargs)
    return layer


def _input(shape, dtype):
    if "float" in dtype:
        return random_ops.stateless_random_normal(shape, seed=[1, 2], dtype=dtype)
    return array_creation_ops.ones(shape, dtype=dtype)


def _check_counts(layer, n_trainable, n_non_trainable, n_seed):
    if n_trainable is not None:
        assert len(layer.trainable_weights) == n_trainable, (
            f"{len(layer.trainable_weights)} trainable weights, expected {n_trainable}"
        )
    if n_non_trainable is not None:
        assert len(layer.non_trainable_weights) == n_non_trainable, (
            f"{len(layer.non_trainable_weights)} non-trainable weights, expected {n_non_trainable}"
        )
    if n_seed is not None:
        found = len(layer._tracked()[2])
        assert found == n_seed, f"{found} seed generators, expected {n_seed}"


def _check_config_round_trip(layer, layer_cls):
    config = layer.get_config()
    as_json = json.dumps(serialization_lib.serialize_keras_object(config), sort_keys=True)
    clone = layer_cls.from_config(config)
    again = json.dumps(serialization_lib.serialize_keras_object(clone.get_config()), sort_keys=True)
    assert _strip_name(as_json) == _strip_name(again), f"{as_json}\n!=\n{again}"
    revived = serialization_lib.deserialize_keras_object(
        serialization_lib.serialize_keras_object(layer)
    )
    assert type(revived) is layer_cls


def _strip_name(text):
    data = json.loads(text)
    data.pop("name", None)
    return json.dumps(data, sort_keys=True)


def _check_training_step(layer, x, call_kwargs):
    weights = layer.trainable_weights

    def loss_fn():
        out = layer(x, **call_kwargs)
        return reduction_ops.reduce_mean(unary_math_ops.square(backend.cast(out, "float32")))

    with GradientTape() as tape:
        before = loss_fn()
    grads = tape.gradient(before, weights)
    assert all(g is not None for g in grads), "a trainable weight got no gradient"
    for w, g in zip(weights, grads):
        w.assign(w.value() - 0.01 * g)
    after = loss_fn()
    assert float(after) < float(before), f"loss did not decrease: {float(before)} -> {float(after)}"
