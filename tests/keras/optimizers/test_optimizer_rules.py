"""Every keras.optimizers update rule against an independent NumPy (float64) reference, on a
matrix ``w`` and a vector ``b`` over three steps (with a zero gradient entry and an all-zero
step), eagerly and inside tf.function."""

import math

import numpy as np
import pytest

import tensorlet as tf

keras = tf.keras
RNG = np.random.default_rng(7)
W0 = RNG.standard_normal((2, 3)).astype(np.float32)
B0 = (RNG.standard_normal(3) * 0.5).astype(np.float32)
STEPS = [
    (RNG.standard_normal((2, 3)).astype(np.float32), RNG.standard_normal(3).astype(np.float32))
    for _ in range(3)
]
STEPS[1][0][0, 0] = 0.0
STEPS[2][1][:] = 0.0


def run(opt, traced=False, steps=STEPS):
    keras.backend.clear_session()
    w = keras.Variable(W0, name="w")
    b = keras.Variable(B0, name="b")

    def step(gw, gb):
        opt.apply_gradients([(gw, w), (gb, b)])

    if traced:
        step = tf.function(step)
    for gw, gb in steps:
        step(tf.constant(gw), tf.constant(gb))
    return w.numpy(), b.numpy()


# ------------------------------------------------------------------ NumPy references
def per_var(rule, **state0):
    """Applies ``rule(t, g, p, state) -> p`` to w and b independently."""
    out = []
    for j, p in enumerate((W0, B0)):
        p = p.astype(np.float64)
        state = {k: (v(p) if callable(v) else np.full(p.shape, v)) for k, v in state0.items()}
        for t, grads in enumerate(STEPS, 1):
            p = rule(t, grads[j].astype(np.float64), p, state)
        out.append(p)
    return out


def ref_rmsprop(lr=0.001, rho=0.9, momentum=0.0, eps=1e-7, centered=False):
    def rule(t, g, p, s):
        s["v"] = rho * s["v"] + (1 - rho) * g * g
        if centered:
            s["a"] = rho * s["a"] + (1 - rho) * g
            den = s["v"] - s["a"] ** 2 + eps
        else:
            den = s["v"] + eps
        inc = lr * g / np.sqrt(den)
        if momentum > 0:
            s["m"] = momentum * s["m"] + inc
            return p - s["m"]
        return p - inc

    return per_var(rule, v=0.0, a=0.0, m=0.0)


def ref_adagrad(lr=0.001, init=0.1, eps=1e-7):
    def rule(t, g, p, s):
        s["acc"] = s["acc"] + g * g
        return p - lr * g / np.sqrt(s["acc"] + eps)

    return per_var(rule, acc=init)


def ref_adadelta(lr=0.001, rho=0.95, eps=1e-7):
    def rule(t, g, p, s):
        s["eg"] = rho * s["eg"] + (1 - rho) * g * g
        d = -np.sqrt(s["ed"] + eps) / np.sqrt(s["eg"] + eps) * g
        s["ed"] = rho * s["ed"] + (1 - rho) * d * d
        return p + lr * d

    return per_var(rule, eg=0.0, ed=0.0)


def ref_adamax(lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    def rule(t, g, p, s):
        s["m"] = s["m"] + (g - s["m"]) * (1 - b1)
        s["u"] = np.maximum(b2 * s["u"], np.abs(g))
        return p - lr * s["m"] / ((1 - b1**t) * (s["u"] + eps))

    return per_var(rule, m=0.0, u=0.0)


def ref_nadam(lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    def rule(t, g, p, s):
        u_t = b1 * (1 - 0.5 * 0.96**t)
        u_next = b1 * (1 - 0.5 * 0.96 ** (t + 1))
        s["prod"] = s["prod"] * u_t
        s["m"] = s["m"] + (g - s["m"]) * (1 - b1)
        s["v"] = s["v"] + (g * g - s["v"]) * (1 - b2)
        m_hat = u_next * s["m"] / (1 - s["prod"] * u_next) + (1 - u_t) * g / (1 - s["prod"])
        v_hat = s["v"] / (1 - b2**t)
        return p - lr * m_hat / (np.sqrt(v_hat) + eps)

    return per_var(rule, m=0.0, v=0.0, prod=1.0)


def ref_adam(lr=0.001, b1=0.9, b2=0.999, eps=1e-7, amsgrad=False, wd=None, lr_scale=1.0):
    def rule(t, g, p, s):
        if wd is not None:
            p = p - p * wd * lr
        a = lr * lr_scale
        s["m"] = s["m"] + (g - s["m"]) * (1 - b1)
        s["v"] = s["v"] + (g * g - s["v"]) * (1 - b2)
        s["vh"] = np.maximum(s["vh"], s["v"])
        alpha = a * math.sqrt(1 - b2**t) / (1 - b1**t)
        return p - s["m"] * alpha / (np.sqrt(s["vh"] if amsgrad else s["v"]) + eps)

    return per_var(rule, m=0.0, v=0.0, vh=0.0)


def ref_ftrl(lr=0.001, power=-0.5, init=0.1, l1=0.0, l2=0.0, l2s=0.0, beta=0.0):
    def rule(t, g, p, s):
        n_new = s["n"] + g * g
        s["z"] = s["z"] + g + 2 * l2s * p - (n_new ** (-power) - s["n"] ** (-power)) / lr * p
        quad = n_new ** (-power) / lr + 2 * (l2 + beta / (2 * lr))
        s["n"] = n_new
        return (np.clip(s["z"], -l1, l1) - s["z"]) / quad

    return per_var(rule, n=init, z=0.0)


def ref_lion(lr=0.001, b1=0.9, b2=0.99, wd=None):
    def rule(t, g, p, s):
        if wd is not None:
            p = p - p * wd * lr
        p = p - lr * np.sign(b1 * s["m"] + (1 - b1) * g)
        s["m"] = b2 * s["m"] + (1 - b2) * g
        return p

    return per_var(rule, m=0.0)


def ref_lamb(lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    def rule(t, g, p, s):
        s["m"] = s["m"] + (g - s["m"]) * (1 - b1)
        s["v"] = s["v"] + (g * g - s["v"]) * (1 - b2)
        update = (s["m"] / (1 - b1**t)) / (np.sqrt(s["v"] / (1 - b2**t)) + eps)
        wn, un = np.linalg.norm(p), np.linalg.norm(update)
        ratio = wn / un if wn > 0 and un > 0 else 1.0
        return p - ratio * lr * update

    return per_var(rule, m=0.0, v=0.0)


def ref_adafactor(lr=0.001, decay=-0.8, eps1=1e-30, eps2=1e-3, clip=1.0, relative=True):
    def rms(x):
        return np.sqrt(np.mean(x * x))

    def rule(t, g, p, s):
        a = min(lr, 1 / math.sqrt(t)) if relative else lr
        rho = min(a, 1 / math.sqrt(t))
        alpha = max(eps2, rms(p)) * rho
        g2 = g * g + eps1
        beta = 1 - t**decay
        if p.ndim >= 2:
            s["r"] = beta * s.get("r", 0.0) + (1 - beta) * g2.mean(-1)
            s["c"] = beta * s.get("c", 0.0) + (1 - beta) * g2.mean(-2)
            s["v"] = (s["r"] / s["r"].mean(-1, keepdims=True))[..., None] * s["c"][..., None, :]
        else:
            s["v"] = beta * s["v"] + (1 - beta) * g2
        u = g / np.sqrt(s["v"])
        u = u / max(1.0, rms(u) / clip)
        return p - alpha * u

    return per_var(rule, v=0.0)


def ref_schedule_free(lr=0.0025, b1=0.9, b2=0.999, eps=1e-8, warmup=0):
    def rule(t, g, p, s):
        a = lr * min(t / warmup, 1.0) if warmup > 0 else lr
        s["v"] = s["v"] + (g * g - s["v"]) * (1 - b2)
        s["z"] = s["z"] - a * g / (np.sqrt(s["v"] / (1 - b2**t)) + eps)
        # Keras recovers x from y with the *updated* z (it reads the live slot variable)
        x = (p - (1 - b1) * s["z"]) / b1
        x = (1 - 1 / t) * x + s["z"] / t
        return (1 - b1) * s["z"] + b1 * x

    return per_var(rule, v=0.0, z=lambda p: p.copy())


def newton_schulz(x, steps, a=3.4445, b=-4.775, c=2.0315):
    tall = x.shape[0] > x.shape[1]
    if tall:
        x = x.T
    x = x / (np.linalg.norm(x) + 1e-7)
    for _ in range(steps):
        xa = x @ x.T
        x = a * x + (b * xa + c * xa @ xa) @ x
    return x.T if tall else x


def ref_muon(lr=0.001, momentum=0.95, wd=0.004, adam_wd=0.004, rms_rate=0.2, ns_steps=5):
    def muon_rule(t, g, p, s):
        if p.ndim != 2:  # b: the AdamW step below
            return p
        p = p - p * wd * lr
        s["m"] = s["m"] * momentum + g
        update = newton_schulz(g + momentum * s["m"], ns_steps)
        return p - lr * update * math.sqrt(max(p.shape)) * rms_rate

    w = per_var(muon_rule, m=0.0)[0]
    b = ref_adam(lr=lr, wd=adam_wd)[1]
    return [w, b]


CASES = [
    ("RMSprop", lambda: keras.optimizers.RMSprop(), ref_rmsprop()),
    (
        "RMSprop/all",
        lambda: keras.optimizers.RMSprop(0.01, rho=0.8, momentum=0.5, centered=True, epsilon=1e-3),
        ref_rmsprop(0.01, 0.8, 0.5, 1e-3, True),
    ),
    ("Adagrad", lambda: keras.optimizers.Adagrad(0.1), ref_adagrad(0.1)),
    (
        "Adagrad/custom",
        lambda: keras.optimizers.Adagrad(0.1, initial_accumulator_value=0.5, epsilon=1e-5),
        ref_adagrad(0.1, 0.5, 1e-5),
    ),
    ("Adadelta", lambda: keras.optimizers.Adadelta(1.0, rho=0.9), ref_adadelta(1.0, 0.9)),
    ("Adamax", lambda: keras.optimizers.Adamax(0.01, beta_1=0.8), ref_adamax(0.01, 0.8)),
    ("Nadam", lambda: keras.optimizers.Nadam(0.01, beta_1=0.8), ref_nadam(0.01, 0.8)),
    ("AdamW", lambda: keras.optimizers.AdamW(0.01, weight_decay=0.1), ref_adam(0.01, wd=0.1)),
    (
        "AdamW/amsgrad",
        lambda: keras.optimizers.AdamW(0.01, beta_1=0.85, amsgrad=True),
        ref_adam(0.01, b1=0.85, amsgrad=True, wd=0.004),
    ),
    ("Ftrl", lambda: keras.optimizers.Ftrl(0.1), ref_ftrl(0.1)),
    (
        "Ftrl/custom",
        lambda: keras.optimizers.Ftrl(
            0.1,
            learning_rate_power=-0.3,
            initial_accumulator_value=0.2,
            l1_regularization_strength=0.01,
            l2_regularization_strength=0.1,
            l2_shrinkage_regularization_strength=0.05,
            beta=0.5,
        ),
        ref_ftrl(0.1, -0.3, 0.2, 0.01, 0.1, 0.05, 0.5),
    ),
    ("Lion", lambda: keras.optimizers.Lion(0.01, weight_decay=0.1), ref_lion(0.01, wd=0.1)),
    ("Lamb", lambda: keras.optimizers.Lamb(0.01, beta_1=0.8), ref_lamb(0.01, 0.8)),
    ("Adafactor", lambda: keras.optimizers.Adafactor(), ref_adafactor()),
    (
        "Adafactor/custom",
        lambda: keras.optimizers.Adafactor(
            0.01, beta_2_decay=-0.5, clip_threshold=0.5, relative_step=False
        ),
        ref_adafactor(0.01, -0.5, clip=0.5, relative=False),
    ),
    ("Muon", lambda: keras.optimizers.Muon(learning_rate=0.01), ref_muon(0.01)),
    (
        "ScheduleFreeAdamW",
        lambda: keras.optimizers.ScheduleFreeAdamW(0.01, warmup_steps=2),
        ref_schedule_free(0.01, warmup=2),
    ),
]


@pytest.mark.parametrize("traced", [False, True], ids=["eager", "tf.function"])
@pytest.mark.parametrize("name,ctor,ref", CASES, ids=[c[0] for c in CASES])
def test_update_rule(name, ctor, ref, traced):
    w, b = run(ctor(), traced)
    np.testing.assert_allclose(w, ref[0], rtol=2e-5, atol=2e-6)
    np.testing.assert_allclose(b, ref[1], rtol=2e-5, atol=2e-6)


SLOTS = [
    (
        lambda: keras.optimizers.RMSprop(momentum=0.5, centered=True),
        [
            "w_velocity",
            "b_velocity",
            "w_momentum",
            "b_momentum",
            "w_average_gradient",
            "b_average_gradient",
        ],
    ),
    (lambda: keras.optimizers.Adagrad(), ["w_accumulator", "b_accumulator"]),
    (
        lambda: keras.optimizers.Adadelta(),
        [
            "w_accumulated_grad",
            "w_accumulated_delta_var",
            "b_accumulated_grad",
            "b_accumulated_delta_var",
        ],
    ),
    (lambda: keras.optimizers.Adamax(), ["w_momentum", "w_norm", "b_momentum", "b_norm"]),
    (
        lambda: keras.optimizers.Nadam(),
        ["w_momentum", "w_velocity", "b_momentum", "b_velocity", "variable"],
    ),
    (lambda: keras.optimizers.Ftrl(), ["w_accumulator", "w_linear", "b_accumulator", "b_linear"]),
    (lambda: keras.optimizers.Lion(), ["w_momentum", "b_momentum"]),
    (lambda: keras.optimizers.Adafactor(), ["w", "w", "w_velocity", "b", "b", "b_velocity"]),
    (lambda: keras.optimizers.Muon(), ["w_momentum", "b_momentum", "b_velocity"]),
    (
        lambda: keras.optimizers.AdamW(amsgrad=True, use_ema=True),
        [
            "w_average",
            "b_average",
            "w_momentum",
            "w_velocity",
            "b_momentum",
            "b_velocity",
            "w_velocity_hat",
            "b_velocity_hat",
        ],
    ),
    (
        lambda: keras.optimizers.SGD(momentum=0.5, gradient_accumulation_steps=2),
        ["w_gradient_accumulator", "b_gradient_accumulator", "w_momentum", "b_momentum"],
    ),
]


@pytest.mark.parametrize("ctor,slots", SLOTS)
def test_slot_variables(ctor, slots):
    keras.backend.clear_session()
    opt = ctor()
    run(opt, steps=STEPS[:1])
    prefix = opt.name + "/"
    paths = [v.path for v in opt.variables]
    assert paths == [prefix + "iteration", prefix + "learning_rate"] + [prefix + s for s in slots]


def test_adafactor_placeholders_and_nadam_product():
    opt = keras.optimizers.Adafactor()
    run(opt, steps=STEPS[:1])
    dtypes = [(v.path.split("/")[1], tuple(v.shape), v.dtype) for v in opt.variables[2:]]
    assert dtypes == [
        ("w", (2,), "float32"),
        ("w", (3,), "float32"),
        ("w_velocity", (2, 3), "float32"),
        ("b", (), "int32"),
        ("b", (), "int32"),
        ("b_velocity", (3,), "float32"),
    ]
    opt = keras.optimizers.Nadam()
    run(opt)
    expected = np.prod([0.9 * (1 - 0.5 * 0.96**t) for t in (1, 2, 3)])
    np.testing.assert_allclose(opt.variables[-1].numpy(), expected, rtol=1e-6)


# ------------------------------------------------------------------ construction errors
@pytest.mark.parametrize(
    "ctor,match",
    [
        (lambda: keras.optimizers.AdamW(weight_decay=None), "must be a float"),
        (lambda: keras.optimizers.Lion(beta_1=0.0), "degenerates to SignSGD"),
        (lambda: keras.optimizers.Ftrl(learning_rate_power=0.5), "negative or zero"),
        (lambda: keras.optimizers.Ftrl(initial_accumulator_value=-1.0), "positive or zero"),
        (lambda: keras.optimizers.Ftrl(l2_shrinkage_regularization_strength=-1.0), "shrinkage"),
        (lambda: keras.optimizers.SGD(momentum=1), "between \\[0, 1\\]"),
        (lambda: keras.optimizers.Adam(foo=1), "not recognized"),
        (lambda: keras.optimizers.Adam(gradient_accumulation_steps=1), ">= 2"),
        (lambda: keras.optimizers.Adam(use_ema=True, ema_momentum=2.0), "range \\[0, 1\\]"),
        (lambda: keras.optimizers.Adam(clipnorm=1.0, global_clipnorm=1.0), "Only one of"),
        (
            lambda: keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(), clipnorm=1.0),
            "does not support `clipnorm`",
        ),
        (
            lambda: keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(), dynamic=False),
            "no longer supports",
        ),
    ],
)
def test_argument_errors(ctor, match):
    with pytest.raises(ValueError, match=match):
        ctor()


def test_legacy_optimizers_raise_import_error():
    with pytest.raises(ImportError, match="not supported in Keras 3"):
        keras.optimizers.legacy.Adam()
