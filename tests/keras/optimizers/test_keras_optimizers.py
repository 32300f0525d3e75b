"""keras.optimizers Adam / SGD against NumPy references, slots, configs and schedules."""

import math

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras
RNG = np.random.default_rng(0)
W0 = RNG.standard_normal((2, 3)).astype(np.float32)
GRADS = [RNG.standard_normal((2, 3)).astype(np.float32) for _ in range(3)]


def _run(opt, grads=GRADS):
    w = keras.Variable(W0, name="w")
    for g in grads:
        opt.apply_gradients([(tf.constant(g), w)])
    return w.numpy().astype(np.float64)


def _adam_ref(lr=0.001, b1=0.9, b2=0.999, eps=1e-7, amsgrad=False):
    w, m, v, vhat = W0.astype(np.float64), 0.0, 0.0, 0.0
    for t, g in enumerate(GRADS, 1):
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        vhat = np.maximum(vhat, v)
        alpha = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        w = w - m * alpha / (np.sqrt(vhat if amsgrad else v) + eps)
    return w


def _sgd_ref(lr=0.01, momentum=0.0, nesterov=False):
    w, m = W0.astype(np.float64), 0.0
    for g in GRADS:
        if momentum:
            m = m * momentum - g * lr
            w = w + (m * momentum - g * lr if nesterov else m)
        else:
            w = w - g * lr
    return w


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.01, "beta_1": 0.8, "epsilon": 1e-3},
        {"learning_rate": 0.01, "amsgrad": True},
    ],
)
def test_adam(kwargs):
    ref = _adam_ref(
        lr=kwargs.get("learning_rate", 0.001),
        b1=kwargs.get("beta_1", 0.9),
        eps=kwargs.get("epsilon", 1e-7),
        amsgrad=kwargs.get("amsgrad", False),
    )
    np.testing.assert_allclose(_run(keras.optimizers.Adam(**kwargs)), ref, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"learning_rate": 0.1, "momentum": 0.9},
        {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True},
    ],
)
def test_sgd(kwargs):
    ref = _sgd_ref(
        lr=kwargs.get("learning_rate", 0.01),
        momentum=kwargs.get("momentum", 0.0),
        nesterov=kwargs.get("nesterov", False),
    )
    np.testing.assert_allclose(_run(keras.optimizers.SGD(**kwargs)), ref, rtol=1e-5, atol=1e-6)


def test_weight_decay_and_clipping():
    w = _run(keras.optimizers.SGD(learning_rate=0.1, weight_decay=0.1), GRADS[:1])
    np.testing.assert_allclose(w, (W0 - W0 * 0.1 * 0.1) - 0.1 * GRADS[0], rtol=1e-5)
    w = _run(keras.optimizers.SGD(learning_rate=1.0, clipvalue=0.3), GRADS[:1])
    np.testing.assert_allclose(w, W0 - np.clip(GRADS[0], -0.3, 0.3), rtol=1e-5)
    w = _run(keras.optimizers.SGD(learning_rate=1.0, clipnorm=1.0), GRADS[:1])
    g = GRADS[0] / max(np.linalg.norm(GRADS[0]), 1.0)
    np.testing.assert_allclose(w, W0 - g, rtol=1e-5)
    with pytest.raises(ValueError, match="Only one of"):
        keras.optimizers.SGD(clipnorm=1.0, clipvalue=1.0)


def test_gradient_accumulation_and_ema():
    opt = keras.optimizers.SGD(learning_rate=1.0, gradient_accumulation_steps=2)
    w = keras.Variable(W0)
    opt.apply_gradients([(tf.constant(GRADS[0]), w)])
    np.testing.assert_array_equal(w.numpy(), W0)
    opt.apply_gradients([(tf.constant(GRADS[1]), w)])
    np.testing.assert_allclose(w.numpy(), W0 - (GRADS[0] + GRADS[1]) / 2, rtol=1e-5)
    assert int(opt.iterations) == 1
    opt = keras.optimizers.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.5)
    w = keras.Variable(W0, name="w")
    opt.apply_gradients([(tf.constant(GRADS[0]), w)])
    assert [v.path for v in opt.variables][-1].endswith("w_average")


def test_slots_paths_and_iterations():
    keras.backend.clear_session()
    opt = keras.optimizers.Adam()
    w, b = keras.Variable(W0, name="w"), keras.Variable(np.zeros(3, np.float32), name="b")
    opt.apply_gradients([(tf.constant(GRADS[0]), w), (tf.ones(3), b)])
    assert [v.path for v in opt.variables] == [
        "adam/iteration",
        "adam/learning_rate",
        "adam/w_momentum",
        "adam/w_velocity",
        "adam/b_momentum",
        "adam/b_velocity",
    ]
    assert int(opt.iterations) == 1 and opt.iterations.dtype == "int64"
    assert repr(opt).startswith("<keras.src.optimizers.adam.Adam object at 0x")
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply_gradients([(tf.constant(GRADS[0]), keras.Variable(W0))])


def test_config_round_trip():
    opt = keras.optimizers.Adam(learning_rate=0.01, amsgrad=True)
    config = opt.get_config()
    assert config["learning_rate"] == pytest.approx(0.01) and config["amsgrad"] is True
    clone = keras.optimizers.Adam.from_config(config)
    assert clone.get_config()["beta_2"] == 0.999
    assert isinstance(keras.optimizers.get("sgd"), keras.optimizers.SGD)
    with pytest.raises(ValueError, match="should be float"):
        keras.optimizers.SGD(learning_rate="fast")


def test_tf_variables_and_none_gradients():
    v = tf.Variable([1.0, 2.0])
    u = tf.Variable([1.0])
    opt = keras.optimizers.SGD(learning_rate=0.5)
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        opt.apply_gradients([(tf.constant([1.0, 1.0]), v), (None, u)])
    np.testing.assert_allclose(v.numpy(), [0.5, 1.5])


SCHEDULES = [
    (keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5), lambda s: 0.1 * 0.5 ** (s / 10)),
    (
        keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True),
        lambda s: 0.1 * 0.5 ** (s // 10),
    ),
    (
        keras.optimizers.schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]),
        lambda s: 1.0 if s <= 10 else 0.5 if s <= 20 else 0.1,
    ),
    (
        keras.optimizers.schedules.PolynomialDecay(0.1, 100, end_learning_rate=0.01),
        lambda s: (0.1 - 0.01) * (1 - min(s, 100) / 100) + 0.01,
    ),
    (keras.optimizers.schedules.InverseTimeDecay(0.1, 10, 0.5), lambda s: 0.1 / (1 + 0.5 * s / 10)),
    (
        keras.optimizers.schedules.CosineDecay(0.1, 100, alpha=0.1),
        lambda s: 0.1 * (0.9 * 0.5 * (1 + math.cos(math.pi * min(s, 100) / 100)) + 0.1),
    ),
]


@pytest.mark.parametrize("schedule,ref", SCHEDULES)
def test_schedules(schedule, ref):
    for step in [0, 1, 5, 10, 11, 20, 99, 150]:
        assert float(schedule(step)) == pytest.approx(ref(step), rel=1e-5)
    assert type(schedule).from_config(schedule.get_config()).get_config() == schedule.get_config()


def test_schedule_is_evaluated_before_the_step():
    schedule = keras.optimizers.schedules.PiecewiseConstantDecay([0], [1.0, 0.5])
    opt = keras.optimizers.SGD(learning_rate=schedule)
    w = keras.Variable([0.0])
    opt.apply_gradients([(tf.constant([1.0]), w)])
    opt.apply_gradients([(tf.constant([1.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-1.5])
    assert opt.get_config()["learning_rate"]["class_name"] == "PiecewiseConstantDecay"
