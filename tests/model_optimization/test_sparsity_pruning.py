"""tfmot pruning on Keras 3 models: schedules, the wrapper, prune/strip, callbacks."""

import json
import os

import numpy as np
import pytest

import tensorlet as tf
import tensorlet.model_optimization as tfmot
from tensorlet.model_optimization.sparsity.keras import pruning_utils, pruning_wrapper

sparsity = tfmot.sparsity.keras
keras = tf.keras


def _data(n=64, d=8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, d)).astype("float32")
    return x, (x.sum(axis=1) > d / 2).astype("int32")


def _mlp(d=8):
    keras.backend.clear_session()  # layer names from "dense", "sequential"
    keras.utils.set_random_seed(3)
    return keras.Sequential(
        [keras.Input((d,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(2)]
    )


def _compile(model, **kwargs):
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        **kwargs,
    )
    return model


def _zeros(x):
    return float(np.mean(np.asarray(x) == 0))


# ---------------------------------------------------------------- schedules


def test_constant_sparsity_schedule():
    s = sparsity.ConstantSparsity(0.6, begin_step=10, end_step=50, frequency=20)
    steps = [0, 9, 10, 20, 30, 50, 70]
    assert [bool(s(tf.constant(i, tf.int64))[0]) for i in steps] == [
        False,
        False,
        True,
        False,
        True,
        True,
        False,
    ]
    assert float(s(tf.constant(0, tf.int64))[1]) == pytest.approx(0.6)
    forever = sparsity.ConstantSparsity(0.5, 0, frequency=10)
    assert bool(forever(tf.constant(10_000, tf.int64))[0])
    assert s.get_config() == {
        "class_name": "ConstantSparsity",
        "config": {"target_sparsity": 0.6, "begin_step": 10, "end_step": 50, "frequency": 20},
    }
    again = sparsity.ConstantSparsity.from_config(s.get_config()["config"])
    assert again.get_config() == s.get_config()


def test_polynomial_decay_schedule():
    s = sparsity.PolynomialDecay(0.5, 0.9, begin_step=0, end_step=1000)
    expected = {0: 0.5, 100: 0.9 - 0.4 * 0.9**3, 500: 0.9 - 0.4 * 0.5**3, 1000: 0.9, 2000: 0.9}
    for step, value in expected.items():
        assert float(s(tf.constant(step, tf.int64))[1]) == pytest.approx(value, rel=1e-6)
    assert [bool(s(tf.constant(i, tf.int64))[0]) for i in (0, 50, 100, 1000, 1100)] == [
        True,
        False,
        True,
        True,
        False,
    ]
    cfg = s.get_config()["config"]
    assert cfg == {
        "initial_sparsity": 0.5,
        "final_sparsity": 0.9,
        "power": 3,
        "begin_step": 0,
        "end_step": 1000,
        "frequency": 100,
    }


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: sparsity.ConstantSparsity(0.5, -1), "begin_step should be >= 0"),
        (lambda: sparsity.ConstantSparsity(0.5, 10, 5), "begin_step should be <= end_step"),
        (lambda: sparsity.ConstantSparsity(0.5, 0, -5), "end_step can be -1 or >= 0"),
        (lambda: sparsity.ConstantSparsity(0.5, 0, frequency=0), "frequency should be > 0"),
        (lambda: sparsity.ConstantSparsity(1.0, 0), r"target_sparsity must be in range \[0,1\)"),
        (lambda: sparsity.PolynomialDecay(0.1, 0.5, 0, -1), "end_step cannot be -1."),
        (
            lambda: sparsity.PolynomialDecay(-0.1, 0.5, 0, 10),
            r"initial_sparsity must be in range \[0,1\)",
        ),
    ],
)
def test_schedule_validation(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_custom_schedule_subclass():
    class Every(sparsity.PruningSchedule):
        def __call__(self, step):
            return tf.constant(True), tf.constant(0.25)

        def get_config(self):
            return {}

    with pytest.raises(TypeError):
        sparsity.PruningSchedule()
    assert float(Every()(0)[1]) == 0.25


# ---------------------------------------------------------------- prune_low_magnitude


def test_prune_sequential_model_structure():
    model = _mlp()
    pruned = sparsity.prune_low_magnitude(model)
    assert [layer.name for layer in pruned.layers] == [
        "prune_low_magnitude_dense",
        "prune_low_magnitude_dense_1",
    ]
    wrapper = pruned.layers[0]
    assert isinstance(wrapper, pruning_wrapper.PruneLowMagnitude)
    assert wrapper.layer is model.layers[0]  # the original layers (and weights) are shared
    assert [w.path for w in wrapper.non_trainable_weights] == [
        "sequential/prune_low_magnitude_dense/kernel_mask",
        "sequential/prune_low_magnitude_dense/kernel_threshold",
        "sequential/prune_low_magnitude_dense/pruning_step",
    ]
    assert wrapper.trainable_weights == model.layers[0].trainable_weights
    assert int(wrapper.pruning_step.numpy()) == -1
    assert wrapper.prunable_weights == [model.layers[0].kernel]
    mask = wrapper.pruning_vars[0][1]
    assert mask.shape == (8, 16) and float(np.min(mask.numpy())) == 1.0
    x, _ = _data()
    np.testing.assert_allclose(pruned.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_prune_functional_and_nested_models():
    inp = keras.Input((8,), name="features")
    inner = keras.Sequential([keras.Input((16,)), keras.layers.Dense(4)], name="inner")
    h = keras.layers.Dense(16)(inp)
    out = keras.layers.Add()([inner(h), keras.layers.Dense(4)(h)])
    model = keras.Model(inp, out, name="outer")
    pruned = sparsity.prune_low_magnitude(model)
    assert pruned.name == "outer" and pruned.inputs[0].shape == (None, 8)
    kinds = [type(layer).__name__ for layer in pruned.layers]
    assert kinds == [
        "InputLayer",
        "PruneLowMagnitude",
        "Sequential",
        "PruneLowMagnitude",
        "PruneLowMagnitude",
    ]
    assert type(pruned.layers[2].layers[0]).__name__ == "PruneLowMagnitude"
    found = pruning_wrapper.collect_prunable_layers(pruned)
    assert len(found) == 4  # Dense x3 and the Add layer (nothing to prune there)
    x, _ = _data()
    np.testing.assert_allclose(pruned(x), model(x), rtol=1e-6)
    stripped = sparsity.strip_pruning(pruned)
    assert [type(layer).__name__ for layer in stripped.layers] == [
        "InputLayer",
        "Dense",
        "Sequential",
        "Dense",
        "Add",
    ]


def test_prune_single_layer_and_lists():
    dense = keras.layers.Dense(3, input_shape=(5,))
    wrapped = sparsity.prune_low_magnitude(
        dense, pruning_schedule=sparsity.ConstantSparsity(0.2, 0), block_size=(1, 1)
    )
    model = keras.Sequential([wrapped, keras.layers.Dense(1)])
    assert model.built and model.input_shape == (None, 5)
    layers = sparsity.prune_low_magnitude(
        [keras.layers.InputLayer(shape=(4,)), keras.layers.Dense(2), wrapped]
    )
    assert [type(layer).__name__ for layer in layers] == [
        "InputLayer",
        "PruneLowMagnitude",
        "PruneLowMagnitude",
    ]
    assert layers[2] is wrapped
    assert sparsity.prune_low_magnitude(wrapped.layer).name == "prune_low_magnitude_" + dense.name


def test_prune_errors():
    class Subclassed(keras.Model):
        def call(self, x):
            return x

    with pytest.raises(
        ValueError,
        match="`prune_low_magnitude` can only prune an object of the "
        "following types: keras.models.Sequential, keras "
        "functional model, keras.layers.Layer, list of "
        "keras.layers.Layer. You passed an object of type: "
        "Subclassed.",
    ):
        sparsity.prune_low_magnitude(Subclassed())
    with pytest.raises(ValueError, match="Please initialize `Prune` with a supported layer"):
        sparsity.prune_low_magnitude(keras.layers.Layer())
    with pytest.raises(ValueError, match="Unsupported pooling type 'MIN'"):
        sparsity.prune_low_magnitude(keras.layers.Dense(2), block_pooling_type="MIN")
    with pytest.raises(ValueError, match="The sparsity_m_by_n argument must be a tuple/list"):
        sparsity.prune_low_magnitude(keras.layers.Dense(2), sparsity_m_by_n=(2, 4, 1))
    with pytest.raises(ValueError, match="Block Sparsity can only be used for layers which"):
        layer = sparsity.prune_low_magnitude(keras.layers.Conv2D(2, 3), block_size=(2, 2))
        layer.build((None, 8, 8, 1))
    with pytest.raises(ValueError, match="Expected model to be a `tf.keras.Model` instance"):
        sparsity.strip_pruning("model")


def test_pruning_policy():
    class OnlyFirst(sparsity.PruningPolicy):
        def allow_pruning(self, layer):
            return layer.name == "first"

        def ensure_model_supports_pruning(self, model):
            if len(model.layers) > 5:
                raise ValueError("too deep")

    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(3, name="first"),
            keras.layers.Dense(2, name="second"),
        ]
    )
    pruned = sparsity.prune_low_magnitude(model, pruning_policy=OnlyFirst())
    assert [type(layer).__name__ for layer in pruned.layers] == ["PruneLowMagnitude", "Dense"]


def test_custom_prunable_layers():
    class MyDense(keras.layers.Dense, sparsity.PrunableLayer):
        def get_prunable_weights(self):
            return [self.kernel]

    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, x):
            return x * self.w

        def get_prunable_weights(self):
            return [self.w]

    for layer in (MyDense(3), Scale()):
        wrapped = sparsity.prune_low_magnitude(layer)
        out = wrapped(tf.ones((2, 3)))
        assert out.shape == (2, 3)
        assert wrapped.prunable_weights[0] is layer.get_prunable_weights()[0]


@pytest.mark.parametrize(
    "layer, shape, n_masks",
    [
        (lambda: keras.layers.Conv2D(4, 3), (2, 6, 6, 3), 1),
        (lambda: keras.layers.Embedding(20, 4), None, 1),
        (lambda: keras.layers.SeparableConv2D(4, 3), (2, 6, 6, 3), 1),
        (lambda: keras.layers.LSTM(3), (2, 5, 4), 2),
        (lambda: keras.layers.BatchNormalization(), (2, 4), 0),
        (lambda: keras.layers.MultiHeadAttention(num_heads=2, key_dim=2), None, 4),
    ],
)
def test_registry_layers(layer, shape, n_masks):
    layer = layer()
    wrapped = sparsity.prune_low_magnitude(layer)
    if isinstance(layer, keras.layers.Embedding):
        out = wrapped(tf.constant([[1, 2, 3]]))
    elif isinstance(layer, keras.layers.MultiHeadAttention):
        q = tf.ones((1, 3, 4))
        wrapped.build(q.shape)  # build the attention for (query, value) of shape (1, 3, 4)
        layer.build(q.shape, q.shape)
        out = layer(q, q)
        wrapped.built = False
        wrapped.build(q.shape)
    else:
        out = wrapped(tf.ones(shape))
    assert out is not None
    assert len(wrapped.pruning_vars) == n_masks


# ---------------------------------------------------------------- training


def _train(schedule, epochs=2, run_eagerly=False, **kwargs):
    x, y = _data()
    pruned = sparsity.prune_low_magnitude(_mlp(), pruning_schedule=schedule, **kwargs)
    _compile(pruned, run_eagerly=run_eagerly)
    pruned.fit(
        x, y, epochs=epochs, batch_size=16, verbose=0, callbacks=[sparsity.UpdatePruningStep()]
    )
    return pruned


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_constant_sparsity_is_reached(run_eagerly):
    pruned = _train(sparsity.ConstantSparsity(0.75, 0, frequency=1), run_eagerly=run_eagerly)
    for layer in pruned.layers:
        kernel = layer.layer.kernel.numpy()
        mask = layer.pruning_vars[0][1].numpy()
        assert int(layer.pruning_step.numpy()) == 8  # 4 batches x 2 epochs
        assert _zeros(mask) == 0.75 and _zeros(kernel) == 0.75
        np.testing.assert_array_equal(kernel == 0, mask == 0)
        threshold = float(layer.pruning_vars[0][2].numpy())
        kept = np.abs(kernel[mask == 1])
        assert threshold > 0 and kept.min() >= threshold * (1 - 1e-6)


def test_polynomial_decay_follows_the_schedule():
    # 4 batches per epoch; pruning on steps 2, 4, 6 (begin_step=2, frequency=2, end_step=6)
    schedule = sparsity.PolynomialDecay(0.2, 0.8, begin_step=2, end_step=6, power=1, frequency=2)
    x, y = _data()
    pruned = _compile(sparsity.prune_low_magnitude(_mlp(), pruning_schedule=schedule))
    seen = []

    class Record(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            mask = pruned.layers[0].pruning_vars[0][1].numpy()
            seen.append(round(_zeros(mask), 4))

    pruned.fit(
        x,
        y,
        epochs=2,
        batch_size=16,
        verbose=0,
        shuffle=False,
        callbacks=[sparsity.UpdatePruningStep(), Record()],
    )
    # steps 1..8: no mask before step 2; 0.2 at 2, 0.5 at 4, 0.8 from step 6 on
    assert seen == [0.0, 0.2031, 0.2031, 0.5, 0.5, 0.7969, 0.7969, 0.7969]


def test_masks_are_respected_through_training():
    # masks fixed after the first update (end_step=1): training never revives pruned weights
    pruned = _train(sparsity.ConstantSparsity(0.5, 1, end_step=1, frequency=1), epochs=3)
    layer = pruned.layers[0]
    mask = layer.pruning_vars[0][1].numpy()
    assert _zeros(mask) == 0.5
    x, y = _data()
    pruned.fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[sparsity.UpdatePruningStep()])
    kernel = layer.layer.kernel.numpy()
    np.testing.assert_array_equal(layer.pruning_vars[0][1].numpy(), mask)
    assert np.all(kernel[mask == 0] == 0)
    # the forward pass uses the masked weights
    ref = np.maximum(x @ kernel + layer.layer.bias.numpy(), 0)
    ref = (
        ref @ (pruned.layers[1].layer.kernel.numpy() * pruned.layers[1].pruning_vars[0][1].numpy())
        + pruned.layers[1].layer.bias.numpy()
    )
    np.testing.assert_allclose(pruned.predict(x, verbose=0), ref, rtol=1e-5, atol=1e-6)


def test_training_without_the_callback_fails():
    x, y = _data()
    pruned = _compile(sparsity.prune_low_magnitude(_mlp()))
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="Prune\\(\\) wrapper requires the UpdatePruningStep callback",
    ):
        pruned.fit(x, y, epochs=1, verbose=0)
    pruned.predict(x, verbose=0)  # inference does not need it


def test_block_sparsity():
    x, y = _data()
    model = keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(4)]
    )
    pruned = _compile(
        sparsity.prune_low_magnitude(
            model,
            pruning_schedule=sparsity.ConstantSparsity(0.5, 0, frequency=1),
            block_size=(2, 2),
            block_pooling_type="MAX",
        )
    )
    pruned.fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[sparsity.UpdatePruningStep()])
    mask = pruned.layers[0].pruning_vars[0][1].numpy()  # (8, 16): 4 x 8 blocks of 2 x 2
    blocks = mask.reshape(4, 2, 8, 2).transpose(0, 2, 1, 3).reshape(32, 4)
    assert all(len(set(b)) == 1 for b in blocks.tolist())
    assert _zeros(mask) == 0.5
    assert _zeros(pruned.layers[1].pruning_vars[0][1].numpy()) == 0.5  # (16, 4): 8 x 2 blocks
    # a kernel that pools to a single column is squeezed to rank 1: tfmot's error
    bad = sparsity.prune_low_magnitude(
        keras.Sequential([keras.Input((8,)), keras.layers.Dense(2)]), block_size=(2, 4)
    )
    _compile(bad)
    with pytest.raises(ValueError, match="Input tensor must be rank 2"):
        bad.fit(x, y, epochs=1, verbose=0, callbacks=[sparsity.UpdatePruningStep()])


def test_block_pooling_helpers():
    t = tf.constant([[1, 2], [3, 4]])
    assert pruning_utils.expand_tensor(t, [2, 1]).numpy().tolist() == [
        [1, 2],
        [1, 2],
        [3, 4],
        [3, 4],
    ]
    x = tf.constant(np.arange(12, dtype="float32").reshape(3, 4))
    pooled = pruning_utils.factorized_pool(x, [2, 2], "AVG", [2, 2], "SAME")
    np.testing.assert_allclose(pooled.numpy(), [[2.5, 4.5], [8.5, 10.5]])
    pooled = pruning_utils.factorized_pool(x, [2, 2], "MAX", [2, 2], "VALID")
    np.testing.assert_allclose(pooled.numpy(), [5.0, 7.0])


def test_m_by_n_sparsity():
    pruned = _train(sparsity.ConstantSparsity(0.5, 0, frequency=1), sparsity_m_by_n=(2, 4))
    kernel = pruned.layers[0].layer.kernel
    assert pruning_utils.is_pruned_m_by_n(kernel, (2, 4))
    assert _zeros(kernel.numpy()) == 0.5
    assert float(pruned.layers[0].pruning_vars[0][2].numpy()) == 999.0
    conv = tf.constant(np.random.default_rng(0).normal(size=(3, 3, 8, 2)).astype("float32"))
    mask = pruning_utils.generate_m_by_n_mask(pruning_utils.weights_rearrange(conv), (1, 4))
    restored = pruning_utils.m_by_n_sparsity_mask_prepare(mask, conv.shape)
    assert restored.shape == conv.shape
    assert pruning_utils.is_pruned_m_by_n(conv * restored, (1, 4))
    assert not pruning_utils.is_pruned_m_by_n(conv, (1, 4))


def test_pruning_under_a_distribution_strategy():
    strategy = tf.distribute.MirroredStrategy()
    x, y = _data()
    with strategy.scope():
        pruned = _compile(
            sparsity.prune_low_magnitude(
                _mlp(), pruning_schedule=sparsity.ConstantSparsity(0.5, 0, frequency=1)
            )
        )
    pruned.fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[sparsity.UpdatePruningStep()])
    assert _zeros(pruned.layers[0].layer.kernel.numpy()) == 0.5

    @tf.function
    def step(inputs):
        def replica_fn(features):
            return pruned(features, training=True)

        return strategy.run(replica_fn, args=(inputs,))

    assert step(tf.constant(x[:4])).shape == (4, 2)
    assert int(pruned.layers[0].pruning_step.numpy()) == 5


# ---------------------------------------------------------------- strip, save, summaries


def test_strip_pruning_gives_plain_layers_with_the_zeros():
    pruned = _train(sparsity.ConstantSparsity(0.8, 0, frequency=1))
    stripped = sparsity.strip_pruning(pruned)
    assert [type(layer).__name__ for layer in stripped.layers] == ["Dense", "Dense"]
    assert [w.name for w in stripped.weights] == ["kernel", "bias", "kernel", "bias"]
    # 128 weights: round(128 * 0.2) = 26 are kept
    assert _zeros(stripped.layers[0].get_weights()[0]) == 102 / 128
    x, _ = _data()
    np.testing.assert_allclose(
        stripped.predict(x, verbose=0), pruned.predict(x, verbose=0), rtol=1e-6
    )
    layer = sparsity.strip_pruning(pruned.layers[0])
    assert layer is pruned.layers[0].layer


def test_save_and_load_in_prune_scope(tmp_path):
    pruned = _train(sparsity.PolynomialDecay(0.1, 0.5, 0, 4, frequency=2))
    path = os.path.join(tmp_path, "pruned.keras")
    pruned.save(path)
    with sparsity.prune_scope():
        loaded = keras.models.load_model(path)
    assert type(loaded.layers[0]).__name__ == "PruneLowMagnitude"
    assert loaded.layers[0].pruning_schedule.get_config() == (
        pruned.layers[0].pruning_schedule.get_config()
    )
    assert int(loaded.layers[0].pruning_step.numpy()) == 8
    x, _ = _data()
    np.testing.assert_allclose(
        loaded.predict(x, verbose=0), pruned.predict(x, verbose=0), rtol=1e-6
    )
    config = pruned.layers[0].get_config()
    assert json.loads(json.dumps(config))["pruning_schedule"]["class_name"] == "PolynomialDecay"
    with sparsity.prune_scope():
        clone = pruning_wrapper.PruneLowMagnitude.from_config(config)
    assert clone.name == pruned.layers[0].name


def test_pruning_summaries(tmp_path):
    from tensorlet.summary_ops.event_file import summary_iterator

    x, y = _data()
    pruned = _compile(
        sparsity.prune_low_magnitude(
            _mlp(), pruning_schedule=sparsity.ConstantSparsity(0.5, 0, frequency=1)
        )
    )
    log_dir = str(tmp_path / "logs")
    pruned.fit(
        x,
        y,
        epochs=2,
        batch_size=16,
        verbose=0,
        callbacks=[sparsity.UpdatePruningStep(), sparsity.PruningSummaries(log_dir)],
    )
    files = os.listdir(os.path.join(log_dir, "metrics"))
    assert files
    tags = {}
    for name in files:
        for event in summary_iterator(os.path.join(log_dir, "metrics", name)):
            for value in event.summary.value:
                tags.setdefault(value.tag, []).append(event.step)
    assert tags["sequential/prune_low_magnitude_dense/kernel_mask/sparsity"] == [0, 4]
    assert "sequential/prune_low_magnitude_dense_1/kernel_threshold/threshold" in tags
    with pytest.raises(ValueError, match="`log_dir` must be a non-empty string."):
        sparsity.PruningSummaries("")


def test_trainable_is_delegated():
    pruned = sparsity.prune_low_magnitude(_mlp())
    wrapper = pruned.layers[0]
    wrapper.trainable = False
    assert not wrapper.layer.trainable and wrapper.trainable_weights == []
    assert all(not v.trainable for v in wrapper.non_trainable_weights)


def test_quantization_and_clustering_are_not_implemented():
    with pytest.raises(NotImplementedError, match="quantization-aware training"):
        tfmot.quantization.keras.quantize_model(_mlp())
    with pytest.raises(NotImplementedError, match="weight clustering"):
        tfmot.clustering.keras.cluster_weights(_mlp())


def test_alias_import():
    from tensorlet import _alias

    finder = _alias.install()
    try:
        import tensorflow_model_optimization as alias_tfmot

        assert alias_tfmot is tfmot
        assert alias_tfmot.sparsity.keras.strip_pruning is sparsity.strip_pruning
        assert alias_tfmot.__version__ == "0.8.1"
    finally:
        import sys

        _alias.uninstall()
        for name in [
            n
            for n in sys.modules
            if n.split(".")[0]
            in ("tensorflow_model_optimization", "tensorflow", "keras", "tf_keras", "keras_tuner")
        ]:
            del sys.modules[name]
    del finder


def test_doctests():
    import doctest

    from tensorlet.model_optimization.sparsity.keras import (
        prunable_layer,
        prune,
        pruning_schedule,
    )

    for module in (pruning_schedule, pruning_utils, prune, prunable_layer, sparsity):
        result = doctest.testmod(module, extraglobs={"tf": tf, "keras": keras})
        assert result.failed == 0, module.__name__
