"""The base Optimizer's features (Keras 3.15 + TF backend): learning rates, loss scaling,
accumulation, EMA, weight-decay exclusion, constraints, weights, sparse gradients, tracing,
LossScaleOptimizer, MultiOptimizer, serialization."""

import warnings

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras
RNG = np.random.default_rng(3)
W0 = RNG.standard_normal((4, 3)).astype(np.float32)
G = [RNG.standard_normal((4, 3)).astype(np.float32) for _ in range(4)]


def var(value=W0, name="w"):
    return keras.Variable(value, name=name)


# ------------------------------------------------------------------ learning rates
def test_learning_rate_forms():
    w = var()
    opt = keras.optimizers.SGD(learning_rate=lambda: 0.5)
    opt.apply_gradients([(tf.constant(G[0]), w)])
    np.testing.assert_allclose(w.numpy(), W0 - 0.5 * G[0], rtol=1e-6)
    assert [v.path.split("/")[1] for v in opt.variables] == ["iteration"]

    opt = keras.optimizers.SGD(0.1)
    opt.learning_rate = 0.25
    assert float(opt.learning_rate.numpy()) == 0.25
    assert opt.get_config()["learning_rate"] == 0.25
    opt.learning_rate = keras.optimizers.schedules.ExponentialDecay(0.1, 1, 0.5)
    assert [v.path.split("/")[1] for v in opt.variables] == ["iteration"]
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.3


def test_schedule_uses_iterations_before_the_step():
    w = var()
    opt = keras.optimizers.SGD(keras.optimizers.schedules.ExponentialDecay(1.0, 1, 0.5))
    for g in G[:3]:
        opt.apply_gradients([(tf.constant(g), w)])
    np.testing.assert_allclose(w.numpy(), W0 - G[0] - 0.5 * G[1] - 0.25 * G[2], rtol=1e-5)
    assert int(opt.iterations.numpy()) == 3


def test_loss_scale_factor():
    w = var()
    opt = keras.optimizers.SGD(0.1, loss_scale_factor=4.0)
    assert float(opt.scale_loss(tf.constant(2.0))) == 8.0
    opt.apply_gradients([(tf.constant(G[0]), w)])
    np.testing.assert_allclose(w.numpy(), W0 - 0.1 * G[0] / 4, rtol=1e-6)


# ------------------------------------------------------------------ accumulation / EMA
def test_gradient_accumulation_iterations_and_lr_schedule():
    w = var()
    opt = keras.optimizers.SGD(1.0, gradient_accumulation_steps=2)
    for g in G:
        opt.apply_gradients([(tf.constant(g), w)])
    expected = W0 - (G[0] + G[1]) / 2 - (G[2] + G[3]) / 2
    np.testing.assert_allclose(w.numpy(), expected, rtol=1e-5)
    assert int(opt.iterations) == 2 and int(opt._iterations.numpy()) == 4
    np.testing.assert_array_equal(opt.variables[-1].numpy(), np.zeros_like(W0))


def test_ema_with_overwrite_frequency():
    w = var()
    opt = keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2)
    ref_w, avg = W0.astype(np.float64), None
    for step, g in enumerate(G):
        opt.apply_gradients([(tf.constant(g), w)])
        ref_w = ref_w - 0.1 * g
        avg = ref_w.copy() if step == 0 else 0.5 * avg + 0.5 * ref_w
        if (step + 1) % 2 == 0:
            ref_w = avg.copy()
        np.testing.assert_allclose(w.numpy(), ref_w, rtol=1e-5, atol=1e-6)
    w2 = var(W0 * 2)
    opt2 = keras.optimizers.SGD(0.1, use_ema=True)
    opt2.apply_gradients([(tf.constant(G[0]), w2)])
    w2.assign(np.zeros_like(W0))
    opt2.finalize_variable_values([w2])
    np.testing.assert_allclose(w2.numpy(), W0 * 2 - 0.1 * G[0], rtol=1e-6)


# ------------------------------------------------------------------ weight decay exclusion
def test_exclude_from_weight_decay():
    w, b = var(name="kernel"), var(W0[0], name="bias")
    opt = keras.optimizers.AdamW(0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    opt.apply_gradients([(tf.zeros_like(W0), w), (tf.zeros(3), b)])
    np.testing.assert_allclose(w.numpy(), W0 * (1 - 0.5 * 0.1), rtol=1e-6)
    np.testing.assert_array_equal(b.numpy(), W0[0])
    w = var()
    opt = keras.optimizers.SGD(0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_list=[w])
    opt.apply_gradients([(tf.zeros_like(W0), w)])
    np.testing.assert_array_equal(w.numpy(), W0)
    opt.exclude_from_weight_decay(var_names=["x"])  # Keras 3.15 does not refuse after build


# ------------------------------------------------------------------ per-variable behaviour
def test_constraint_and_overwrite_with_gradient():
    w = var()
    w.constraint = keras.constraints.NonNeg()
    scale = keras.Variable(np.ones(3, np.float32), name="scale")
    scale.overwrite_with_gradient = True
    opt = keras.optimizers.Adam(0.1)
    opt.apply_gradients([(tf.constant(G[0]), w), (tf.constant([5.0, 6.0, 7.0]), scale)])
    assert (w.numpy() >= 0).all()
    np.testing.assert_array_equal(scale.numpy(), [5.0, 6.0, 7.0])
    assert [v.path.split("/")[1] for v in opt.variables][2:] == ["w_momentum", "w_velocity"]


def test_none_gradients_and_unknown_variables():
    w, u = var(), var(W0[0], name="u")
    opt = keras.optimizers.SGD(0.1)
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['u'\]"):
        opt.apply_gradients([(tf.constant(G[0]), w), (None, u)])
    with pytest.raises(ValueError, match="No gradients provided"):
        opt.apply_gradients([(None, w)])
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply_gradients([(tf.constant(G[0]), var())])
    with pytest.raises(ValueError, match="must already be built"):
        keras.optimizers.SGD().apply([tf.constant(G[0])])
    opt.apply([tf.constant(G[1]), tf.constant(G[1][0])])  # grads only, in build order
    assert int(opt.iterations) == 2


def test_weights_saving_and_stateless_apply():
    w = var()
    opt = keras.optimizers.Adam(0.1)
    with pytest.raises(ValueError, match="has not yet been built"):
        opt.set_weights([])
    opt.apply_gradients([(tf.constant(G[0]), w)])
    store = {}
    opt.save_own_variables(store)
    assert sorted(store) == ["0", "1", "2", "3"]
    clone = keras.optimizers.Adam(0.1)
    clone.build([var()])
    clone.load_own_variables(store)
    for a, b in zip(opt.variables, clone.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    with pytest.raises(ValueError, match="not compatible"):
        clone.set_weights([np.zeros(3)] * 4)
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        keras.optimizers.Adam().load_own_variables(store)
    with pytest.raises(ValueError, match="stateless_apply is not supported"):
        opt.stateless_apply(opt.variables, [G[0]], [w])


def test_subclass_must_call_super_first():
    class Bad(keras.optimizers.Optimizer):
        def __init__(self):
            self.rate = 1.0
            super().__init__(learning_rate=0.1)

    with pytest.raises(RuntimeError, match="forgot to call `super\\(\\).__init__\\(\\)`"):
        Bad()


def test_custom_optimizer_variables_are_tracked():
    class Counting(keras.optimizers.Optimizer):
        def build(self, variables):
            super().build(variables)
            self.count = keras.Variable(0.0, name="count")
            self.scales = []
            self.by_path = {}
            for v in variables:
                self.scales.append(keras.Variable(np.ones(v.shape, np.float32), name="s"))
                self.by_path[v.path] = keras.Variable(np.ones(v.shape, np.float32), name="d")

        def update_step(self, gradient, variable, learning_rate):
            self.assign_add(self.count, 1.0)
            self.assign_sub(variable, gradient * learning_rate)

    w = var()
    opt = Counting(learning_rate=0.5)
    opt.apply_gradients([(tf.constant(G[0]), w)])
    names = [v.path for v in opt.variables]
    assert names == [
        "counting/iteration",
        "counting/learning_rate",
        "counting/count",
        "counting/s",
        "counting/d",
    ]
    assert float(opt.count.numpy()) == 1.0


# ------------------------------------------------------------------ sparse gradients
def _slices(values, indices, rows=4):
    return tf.IndexedSlices(
        tf.constant(values, tf.float32), tf.constant(indices), tf.constant([rows, 3])
    )


VALUES = np.array([[1.0, -2.0, 3.0], [0.5, 0.5, -1.0], [2.0, 1.0, 1.0]], np.float32)
INDICES = [1, 3, 1]


def _dense_and_squares():
    dense, sq = np.zeros((4, 3)), np.zeros((4, 3))
    for i, r in zip(INDICES, VALUES.astype(np.float64)):
        dense[i] += r
        sq[i] += r * r
    return dense, sq


def test_sparse_adam_squares_repeated_rows_separately():
    """Keras' TF backend squares the IndexedSlices values before summing repeated indices."""
    w = var()
    keras.optimizers.Adam(0.1).apply_gradients([(_slices(VALUES, INDICES), w)])
    dense, sq = _dense_and_squares()
    m, v = 0.1 * dense, 0.001 * sq
    alpha = 0.1 * np.sqrt(1 - 0.999) / (1 - 0.9)
    np.testing.assert_allclose(w.numpy(), W0 - m * alpha / (np.sqrt(v) + 1e-7), rtol=1e-5)


def test_sparse_adagrad_and_sgd():
    dense, sq = _dense_and_squares()
    w = var()
    opt = keras.optimizers.Adagrad(0.1)
    opt.apply_gradients([(_slices(VALUES, INDICES), w)])
    acc = 0.1 + sq
    expected = W0.astype(np.float64).copy()
    for i, r in zip(INDICES, VALUES):  # scattered per value, each over the final accumulator
        expected[i] -= 0.1 * r / np.sqrt(acc[i] + 1e-7)
    np.testing.assert_allclose(w.numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(opt.variables[-1].numpy(), acc, rtol=1e-6)
    w = var()
    keras.optimizers.SGD(0.1).apply_gradients([(_slices(VALUES, INDICES), w)])
    np.testing.assert_allclose(w.numpy(), W0 - 0.1 * dense, rtol=1e-6)
    np.testing.assert_array_equal(w.numpy()[[0, 2]], W0[[0, 2]])


def test_sparse_clipping_uses_the_norm_of_the_values():
    w = var()
    keras.optimizers.SGD(1.0, clipnorm=1.0).apply_gradients([(_slices(VALUES, INDICES), w)])
    dense, _ = _dense_and_squares()
    np.testing.assert_allclose(
        w.numpy(), W0 - dense / np.linalg.norm(VALUES.astype(np.float64)), rtol=1e-5
    )
    w = var()
    opt = keras.optimizers.SGD(1.0, global_clipnorm=1.0)
    opt.apply_gradients([(_slices(VALUES, INDICES), w)])
    np.testing.assert_allclose(
        w.numpy(), W0 - dense / np.linalg.norm(VALUES.astype(np.float64)), rtol=1e-5
    )


def test_sparse_gradient_from_an_embedding_lookup_matches_dense_for_unique_ids():
    for make in (lambda: keras.optimizers.Adam(0.1), lambda: keras.optimizers.RMSprop(0.1)):
        results = []
        for sparse in (True, False):
            w = var()
            opt = make()
            for _ in range(2):
                with tf.GradientTape() as tape:
                    emb = tf.gather(w, [2, 0])
                    loss = tf.reduce_sum(emb * emb)
                g = tape.gradient(loss, w)
                assert isinstance(g, tf.IndexedSlices)
                opt.apply_gradients([(g if sparse else tf.convert_to_tensor(g), w)])
            results.append(w.numpy())
        np.testing.assert_allclose(results[0], results[1], rtol=1e-6)


# ------------------------------------------------------------------ tracing
def test_traced_step_runs_without_retracing():
    w = var()
    opt = keras.optimizers.Adam(0.01, use_ema=True, ema_overwrite_frequency=3)

    @tf.function
    def step(g):
        opt.apply_gradients([(g, w)])

    for g in G:
        step(tf.constant(g))
    assert step.experimental_get_tracing_count() <= 2  # TF traces twice when variables appear
    assert int(opt.iterations.numpy()) == 4
    eager_w = var()
    eager = keras.optimizers.Adam(0.01, use_ema=True, ema_overwrite_frequency=3)
    for g in G:
        eager.apply_gradients([(tf.constant(g), eager_w)])
    np.testing.assert_allclose(w.numpy(), eager_w.numpy(), rtol=1e-6)


# ------------------------------------------------------------------ LossScaleOptimizer
def test_loss_scale_optimizer_dynamic_scale():
    w = var()
    inner = keras.optimizers.SGD(0.1)
    opt = keras.optimizers.LossScaleOptimizer(inner, initial_scale=8.0, dynamic_growth_steps=2)
    assert float(opt.scale_loss(tf.constant(1.0))) == 8.0
    opt.apply_gradients([(tf.constant(G[0]), w)])
    np.testing.assert_allclose(w.numpy(), W0 - 0.1 * G[0] / 8, rtol=1e-6)
    opt.apply_gradients([(tf.constant(G[1]), w)])
    assert float(opt.dynamic_scale.numpy()) == 16.0 and int(opt.step_counter.numpy()) == 0
    before = w.numpy()
    opt.apply_gradients([(tf.constant(np.full_like(W0, np.inf)), w)])
    np.testing.assert_array_equal(w.numpy(), before)
    assert float(opt.dynamic_scale.numpy()) == 8.0
    assert int(opt.iterations.numpy()) == 2 and opt.iterations is inner.iterations
    assert opt.learning_rate is inner.learning_rate
    assert [v.path.split("/")[1] for v in opt.variables] == [
        "iteration",
        "learning_rate",
        "step_counter",
        "dynamic_scale",
        "iteration",
        "learning_rate",
    ]
    clone = keras.optimizers.LossScaleOptimizer.from_config(opt.get_config())
    assert isinstance(clone.inner_optimizer, keras.optimizers.SGD)
    assert clone.get_config()["initial_scale"] == 8.0
    assert keras.mixed_precision.LossScaleOptimizer is keras.optimizers.LossScaleOptimizer


# ------------------------------------------------------------------ MultiOptimizer
def test_multi_optimizer_routes_by_path():
    w, b = var(name="kernel"), var(W0[0], name="bias")
    sgd, adam = keras.optimizers.SGD(1.0), keras.optimizers.Adam(0.1)
    omap = keras.optimizers.OptimizerMap(sgd, {"bias": adam})
    opt = keras.optimizers.MultiOptimizer(omap)
    opt.apply_gradients([(tf.constant(G[0]), w), (tf.constant(G[0][0]), b)])
    np.testing.assert_allclose(w.numpy(), W0 - G[0], rtol=1e-6)
    assert len(opt.variables) == 2 + 2 + 4
    assert int(opt.iterations.numpy()) == 1 and int(adam.iterations.numpy()) == 1
    with pytest.raises(AttributeError, match="cannot be accessed on a MultiOptimizer"):
        _ = opt.learning_rate
    with pytest.raises(ValueError, match="already exists"):
        omap["bias"] = sgd


# ------------------------------------------------------------------ serialization
ALL = [
    "SGD",
    "Adam",
    "AdamW",
    "Adamax",
    "Adadelta",
    "Adagrad",
    "Adafactor",
    "Ftrl",
    "Lion",
    "Lamb",
    "Muon",
    "Nadam",
    "RMSprop",
    "ScheduleFreeAdamW",
]


@pytest.mark.parametrize("name", ALL)
def test_config_round_trip(name):
    cls = getattr(keras.optimizers, name)
    opt = cls(learning_rate=0.05, clipnorm=2.0)
    config = opt.get_config()
    assert config["learning_rate"] == pytest.approx(0.05) and config["clipnorm"] == 2.0
    assert cls.from_config(dict(config)).get_config() == config
    clone = keras.optimizers.deserialize(keras.optimizers.serialize(opt))
    assert type(clone) is cls and clone.get_config() == config


def test_get():
    assert type(keras.optimizers.get("RMSprop")) is keras.optimizers.RMSprop
    assert type(keras.optimizers.get("adamw")) is keras.optimizers.AdamW
    assert type(keras.optimizers.get({"class_name": "Nadam", "config": {}})) is (
        keras.optimizers.Nadam
    )
    opt = keras.optimizers.Lion()
    assert keras.optimizers.get(opt) is opt and keras.optimizers.get(None) is None
    with pytest.raises(TypeError, match="Could not locate class"):
        keras.optimizers.get("no_such_optimizer")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        keras.optimizers.get(3)


def test_schedule_in_config_round_trip():
    sched = keras.optimizers.schedules.CosineDecay(0.1, 100, warmup_target=0.5, warmup_steps=5)
    opt = keras.optimizers.Adam(sched)
    config = opt.get_config()
    assert config["learning_rate"]["class_name"] == "CosineDecay"
    clone = keras.optimizers.Adam.from_config(config)
    assert isinstance(clone._learning_rate, keras.optimizers.schedules.CosineDecay)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        keras.optimizers.schedules.deserialize(keras.optimizers.schedules.serialize(sched))


def test_muon_routing_options():
    keras.backend.clear_session()
    emb = var(name="embedding_table")
    head = var(name="output_dense")
    body = var(name="body")
    opt = keras.optimizers.Muon(exclude_layers=["output"], rms_rate=None)
    opt.build([emb, head, body])
    assert [v.path for v in opt.variables][2:] == [
        "muon/embedding_table_momentum",
        "muon/embedding_table_velocity",
        "muon/output_dense_momentum",
        "muon/output_dense_velocity",
        "muon/body_momentum",
    ]
    x = tf.ones((4, 2))
    np.testing.assert_array_equal(opt.lr_adjust(x).numpy(), x.numpy())
    np.testing.assert_allclose(
        keras.optimizers.Muon().lr_adjust(x).numpy(), np.full((4, 2), 0.4), rtol=1e-6
    )
    out = opt.zeropower_via_newtonschulz5(tf.constant([[0.2499, 0.9105], [0.2655, 0.8824]]), 5)
    np.testing.assert_allclose(out.numpy(), [[-0.4422, 0.6457], [0.7285, 0.2968]], atol=1e-3)


def test_schedule_argument_errors():
    for make in (
        lambda: keras.optimizers.schedules.ExponentialDecay(0.1, 0, 0.5),
        lambda: keras.optimizers.schedules.InverseTimeDecay(0.1, 0, 0.5),
        lambda: keras.optimizers.schedules.PolynomialDecay(0.1, -1),
        lambda: keras.optimizers.schedules.CosineDecay(0.1, 0),
        lambda: keras.optimizers.schedules.CosineDecayRestarts(0.1, 0),
    ):
        with pytest.raises(ValueError, match="must be > 0"):
            make()
    with pytest.raises(ValueError, match="1 less than"):
        keras.optimizers.schedules.PiecewiseConstantDecay([1, 2], [1.0])


def test_docstring_examples():
    import doctest
    import importlib

    for name in ("optimizer", "sgd", "adam", "rmsprop"):
        module = importlib.import_module(f"tensorlet.keras.src.optimizers.{name}")
        result = doctest.testmod(module, extraglobs={"tf": tf, "keras": keras})
        assert result.failed == 0, name
