"""keras.losses: every loss class and function against NumPy formulas, reductions, sample
weights, masks, configs, names, gradients, tf.function, and the errors Keras raises."""

import doctest
import importlib
import inspect
import json
import pkgutil
import warnings

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src import losses as losses_src
from tensorlet.testing import gradient_check

keras = tf.keras
EPS = 1e-7
RNG = np.random.RandomState(0)
REG_T = RNG.uniform(0.1, 2.0, (3, 4)).astype(np.float32)
REG_P = RNG.uniform(0.1, 2.0, (3, 4)).astype(np.float32)
BIN_T = np.array([[0, 1, 1, 0], [1, 1, 0, 0], [0, 0, 0, 1]], np.float32)
BIN_P = RNG.uniform(0.02, 0.98, (3, 4)).astype(np.float32)
LOGITS = RNG.randn(3, 4).astype(np.float32)
CAT_IDX = np.array([1, 3, 0], np.int32)
CAT_T = np.eye(4, dtype=np.float32)[CAT_IDX]
CAT_P = RNG.uniform(0.05, 1.0, (3, 4)).astype(np.float32)
CAT_P /= CAT_P.sum(-1, keepdims=True)
HINGE_T = 2 * BIN_T - 1
SW = np.array([1.0, 0.5, 2.0], np.float32)


# ---------------------------------------------------------------- NumPy references (per sample)
def _clip(p):
    return np.clip(p, EPS, 1 - EPS)


def _bce(t, p):
    p = _clip(p)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


def _cce(t, p):
    p = _clip(p / p.sum(-1, keepdims=True))
    return -(t * np.log(p)).sum(-1)


def _l2n(x):
    return x / np.sqrt((x * x).sum(-1, keepdims=True))


def _huber(t, p, d=1.0):
    e = np.abs(p - t)
    return np.where(e <= d, 0.5 * e**2, d * e - 0.5 * d**2).mean(-1)


def _focal_bce(t, p, gamma=2.0):
    p_t = t * p + (1 - t) * (1 - p)
    return ((1 - p_t) ** gamma * _bce(t, p)).mean(-1)


def _focal_cce(t, p, alpha=0.25, gamma=2.0):
    out = _clip(p / p.sum(-1, keepdims=True))
    return (alpha * (1 - out) ** gamma * -t * np.log(out)).sum(-1)


CASES = [  # (class, kwargs, y_true, y_pred, reference(y_true, y_pred) -> per-sample values)
    ("MeanSquaredError", {}, REG_T, REG_P, lambda t, p: ((t - p) ** 2).mean(-1)),
    ("MeanAbsoluteError", {}, REG_T, REG_P, lambda t, p: np.abs(t - p).mean(-1)),
    (
        "MeanAbsolutePercentageError",
        {},
        REG_T,
        REG_P,
        lambda t, p: 100 * np.abs((t - p) / np.maximum(np.abs(t), EPS)).mean(-1),
    ),
    (
        "MeanSquaredLogarithmicError",
        {},
        REG_T,
        REG_P,
        lambda t, p: ((np.log(p + 1) - np.log(t + 1)) ** 2).mean(-1),
    ),
    ("CosineSimilarity", {}, REG_T - 1, REG_P - 1, lambda t, p: -(_l2n(t) * _l2n(p)).sum(-1)),
    ("Huber", {}, REG_T, REG_P, _huber),
    ("Huber", {"delta": 0.3}, REG_T, REG_P, lambda t, p: _huber(t, p, 0.3)),
    ("LogCosh", {}, REG_T, REG_P, lambda t, p: np.log(np.cosh(p - t)).mean(-1)),
    ("Poisson", {}, REG_T, REG_P, lambda t, p: (p - t * np.log(p + EPS)).mean(-1)),
    (
        "KLDivergence",
        {},
        CAT_P[::-1].copy(),
        CAT_P,
        lambda t, p: (t * np.log(t / p)).sum(-1),
    ),
    ("Hinge", {}, HINGE_T, LOGITS, lambda t, p: np.maximum(1 - t * p, 0).mean(-1)),
    ("Hinge", {}, BIN_T, LOGITS, lambda t, p: np.maximum(1 - (2 * t - 1) * p, 0).mean(-1)),
    (
        "SquaredHinge",
        {},
        HINGE_T,
        LOGITS,
        lambda t, p: (np.maximum(1 - t * p, 0) ** 2).mean(-1),
    ),
    (
        "CategoricalHinge",
        {},
        CAT_T,
        LOGITS,
        lambda t, p: np.maximum(((1 - t) * p).max(-1) - (t * p).sum(-1) + 1, 0),
    ),
    ("BinaryCrossentropy", {}, BIN_T, BIN_P, lambda t, p: _bce(t, p).mean(-1)),
    (
        "BinaryCrossentropy",
        {"from_logits": True, "label_smoothing": 0.2},
        BIN_T,
        LOGITS,
        lambda t, p: _bce(t * 0.8 + 0.1, 1 / (1 + np.exp(-p.astype(np.float64)))).mean(-1),
    ),
    ("BinaryFocalCrossentropy", {}, BIN_T, BIN_P, _focal_bce),
    ("CategoricalCrossentropy", {}, CAT_T, CAT_P, _cce),
    ("CategoricalCrossentropy", {}, CAT_T, CAT_P * 3, _cce),  # renormalized
    (
        "CategoricalCrossentropy",
        {"from_logits": True, "label_smoothing": 0.1},
        CAT_T,
        LOGITS,
        lambda t, p: -((t * 0.9 + 0.025) * np.log(_softmax(p.astype(np.float64)))).sum(-1),
    ),
    ("CategoricalFocalCrossentropy", {}, CAT_T, CAT_P, _focal_cce),
    (
        "SparseCategoricalCrossentropy",
        {},
        CAT_IDX,
        CAT_P,
        lambda t, p: -np.log(_clip(p)[np.arange(3), t.astype(int)]),
    ),
    (
        "SparseCategoricalCrossentropy",
        {"from_logits": True},
        CAT_IDX,
        LOGITS,
        lambda t, p: -np.log(_softmax(p.astype(np.float64))[np.arange(3), t.astype(int)]),
    ),
    (
        "CategoricalGeneralizedCrossEntropy",
        {"q": 0.3},
        CAT_IDX,
        CAT_P,
        lambda t, p: (1 - p[np.arange(3), t.astype(int)] ** 0.3) / 0.3,
    ),
    (
        "Dice",
        {"axis": (1,)},
        BIN_T,
        BIN_P,
        lambda t, p: 1 - 2 * (t * p).sum(1) / (t.sum(1) + p.sum(1) + EPS),
    ),
    (
        "Tversky",
        {"alpha": 0.3, "beta": 0.7, "axis": (1,)},
        BIN_T,
        BIN_P,
        lambda t, p: (
            1
            - (t * p).sum(1)
            / ((t * p).sum(1) + 0.3 * ((1 - p) * t).sum(1) + 0.7 * (p * (1 - t)).sum(1) + EPS)
        ),
    ),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_values_and_reductions(case):
    cls, kwargs, t, p, ref = case
    per_sample = ref(t.astype(np.float64), p.astype(np.float64))
    loss_cls = getattr(keras.losses, cls)
    none = loss_cls(reduction=None, **kwargs)(t, p)
    assert none.dtype == tf.float32 and none.shape == per_sample.shape
    np.testing.assert_allclose(none.numpy(), per_sample, rtol=2e-5, atol=1e-5)
    np.testing.assert_allclose(
        float(loss_cls(**kwargs)(t, p)), per_sample.mean(), rtol=2e-5, atol=1e-5
    )
    np.testing.assert_allclose(
        float(loss_cls(reduction="sum", **kwargs)(t, p)), per_sample.sum(), rtol=2e-5, atol=1e-5
    )
    weighted = loss_cls(reduction="mean_with_sample_weight", **kwargs)(t, p, sample_weight=SW)
    np.testing.assert_allclose(
        float(weighted), (per_sample * SW).sum() / SW.sum(), rtol=2e-5, atol=1e-5
    )
    np.testing.assert_allclose(
        float(loss_cls(**kwargs)(t, p, sample_weight=SW)),
        (per_sample * SW).mean(),
        rtol=2e-5,
        atol=1e-5,
    )


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_function_matches_class(case):
    cls, kwargs, t, p, _ = case
    fn = keras.losses.get(cls).fn
    extra = {k: v for k, v in keras.losses.get(cls)._fn_kwargs.items()}
    extra.update(kwargs)
    np.testing.assert_allclose(
        fn(t, p, **extra).numpy(),
        getattr(keras.losses, cls)(reduction="none", **kwargs)(t, p).numpy(),
        rtol=1e-6,
    )


GRAD_CASES = [c for c in CASES if c[0] not in ("Hinge", "SquaredHinge", "CategoricalHinge")]


@pytest.mark.parametrize("case", GRAD_CASES, ids=[f"{c[0]}" for c in GRAD_CASES])
def test_gradients_numerically(case):
    cls, kwargs, t, p, _ = case
    loss = getattr(keras.losses, cls)(dtype="float64", **kwargs)
    t64 = tf.constant(t.astype(np.float64))
    gradient_check.check_vjp(
        lambda y_pred: loss(t64, y_pred), [p.astype(np.float64)], rtol=1e-5, atol=1e-7
    )


def test_hinge_gradient_is_the_subgradient():
    y_pred = tf.constant([[0.5, -2.0], [3.0, 0.2]])
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        loss = keras.losses.Hinge()([[1.0, 1.0], [1.0, -1.0]], y_pred)
    # d/dp mean(max(1 - t p, 0)) / batch: -t/2/2 where active, else 0
    np.testing.assert_allclose(tape.gradient(loss, y_pred).numpy(), [[-0.25, -0.25], [0, 0.25]])


def test_sample_weight_shapes_and_errors():
    mse = keras.losses.MeanSquaredError()
    per_sample = ((REG_T - REG_P) ** 2).mean(-1)
    # (batch, 1) weights are squeezed to the per-sample values
    np.testing.assert_allclose(
        float(mse(REG_T, REG_P, sample_weight=SW[:, None])), (per_sample * SW).mean(), rtol=1e-6
    )
    assert float(mse(REG_T, REG_P, sample_weight=np.zeros(3, np.float32))) == 0.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="Incompatible shapes"):
        mse(REG_T, REG_P, sample_weight=np.ones((3, 4), np.float32))
    # Dice reduces everything (axis=None): a scalar loss, scaled by the weights' mean
    dice = float(keras.losses.Dice()(BIN_T, BIN_P))
    np.testing.assert_allclose(
        float(keras.losses.Dice()(BIN_T, BIN_P, sample_weight=SW)), dice * SW.mean(), rtol=1e-6
    )


def test_rank_alignment():
    out = keras.losses.mse(tf.constant([1.0, 2.0]), tf.constant([[1.0], [0.0]]))
    np.testing.assert_allclose(out.numpy(), [0.0, 4.0])
    # labels (batch, 1) against predictions (batch,): squeezed
    out = keras.losses.MeanSquaredError(reduction=None)([[1.0], [2.0]], [1.0, 0.0])
    np.testing.assert_allclose(out.numpy(), [0.0, 4.0])
    scce = keras.losses.SparseCategoricalCrossentropy(reduction=None)
    np.testing.assert_allclose(
        scce(CAT_IDX[:, None], CAT_P).numpy(), scce(CAT_IDX, CAT_P).numpy(), rtol=1e-6
    )


def test_integer_inputs_compute_in_float():
    assert float(keras.losses.MeanSquaredError()([[1, 2]], [[1.0, 3.0]])) == 0.5
    np.testing.assert_allclose(keras.losses.mean_squared_error([[0, 1]], [[1, 1]]).numpy(), [0.5])
    np.testing.assert_allclose(keras.losses.mean_absolute_error([[0, 1]], [[1, 1]]).numpy(), [0.5])


def test_ignore_class_masks_the_mean():
    y_true = np.array([1, 3, 0, 3], np.int32)
    y_pred = np.concatenate([CAT_P, CAT_P[:1]])
    full = keras.losses.SparseCategoricalCrossentropy(reduction=None)(y_true, y_pred).numpy()
    ignored = keras.losses.SparseCategoricalCrossentropy(ignore_class=3, reduction=None)
    per_sample = ignored(y_true, y_pred).numpy()
    np.testing.assert_allclose(per_sample, [full[0], 0.0, full[2], 0.0], rtol=1e-6)
    mean = keras.losses.SparseCategoricalCrossentropy(ignore_class=3)(y_true, y_pred)
    np.testing.assert_allclose(float(mean), (full[0] + full[2]) / 2, rtol=1e-6)
    total = keras.losses.SparseCategoricalCrossentropy(ignore_class=3, reduction="sum")
    np.testing.assert_allclose(float(total(y_true, y_pred)), full[0] + full[2], rtol=1e-6)


def test_prediction_masks_weight_the_reduction():
    y_pred = tf.constant(REG_P)
    losses_src.loss.set_keras_mask(y_pred, tf.constant([True, False, True]))
    per_sample = ((REG_T - REG_P) ** 2).mean(-1)
    got = keras.losses.MeanSquaredError()(REG_T, y_pred)
    np.testing.assert_allclose(float(got), (per_sample[0] + per_sample[2]) / 2, rtol=1e-6)
    assert losses_src.loss.get_keras_mask(tf.constant(REG_P)) is None


def test_circle():
    emb = REG_P / np.linalg.norm(REG_P, axis=-1, keepdims=True)
    labels = np.array([0, 0, 1], np.int32)
    values = keras.losses.circle(labels, emb).numpy()
    d = np.maximum(1 - emb @ emb.T, 0)
    pos = (labels[:, None] == labels[None]) & ~np.eye(3, dtype=bool)
    want = []
    for i in range(3):
        p = [-80 * max(0.4 + d[i, j], 0) * (0.4 - d[i, j]) for j in range(3) if pos[i, j]]
        n = [
            80 * max(1.4 - d[i, j], 0) * (0.6 - d[i, j]) for j in range(3) if labels[i] != labels[j]
        ]
        lse = lambda v: np.log(np.exp(v).sum()) if v else -np.inf
        want.append(np.logaddexp(0, lse(p) + lse(n)))
    np.testing.assert_allclose(values, want, rtol=1e-4)
    # samples without positive pairs give 0 and are masked out of the mean
    mean = float(keras.losses.Circle()(labels, emb))
    np.testing.assert_allclose(mean, values[values > 0].mean(), rtol=1e-5)


def test_ctc():
    logits = RNG.randn(2, 5, 4).astype(np.float32)
    labels = np.array([[1, 2, 0], [2, 2, 1]], np.int32)
    want = tf.nn.ctc_loss(labels, logits, [2, 3], [5, 5], logits_time_major=False, blank_index=0)
    np.testing.assert_allclose(keras.losses.ctc(labels, logits).numpy(), want.numpy(), rtol=1e-6)
    np.testing.assert_allclose(
        float(keras.losses.CTC()(labels, logits)), want.numpy().mean(), rtol=1e-6
    )
    with pytest.raises(ValueError, match="Targets `y_true` are expected"):
        keras.losses.ctc(labels[0], logits)


def test_extreme_probabilities_are_clipped():
    out = keras.losses.binary_crossentropy([[0.0, 1.0, 1.0, 0.0]], [[0.0, 1.0, 0.0, 1.0]])
    # float32 clipping: 1 - epsilon is 1 - 2**-23, so log(1 - p) bottoms out at log(2**-23)
    want = (-np.log(np.float32(EPS)) - np.log(1 - (np.float32(1) - np.float32(EPS)))) / 4
    np.testing.assert_allclose(out.numpy(), [want], rtol=1e-5)
    assert np.isfinite(keras.losses.categorical_crossentropy(CAT_T, [[0.5, 0, 0.5, 0]] * 3)).all()


def test_float64_dtype():
    loss = keras.losses.BinaryCrossentropy(dtype="float64")
    out = loss(BIN_T, BIN_P)
    assert out.dtype == tf.float64
    np.testing.assert_allclose(
        float(out), _bce(BIN_T.astype(np.float64), BIN_P.astype(np.float64)).mean(), rtol=1e-12
    )
    assert "dtype" not in loss.get_config()  # Keras 3 leaves it out of the config
    policy = keras.dtype_policies.DTypePolicy("float64")
    assert keras.losses.MeanSquaredError(dtype=policy)(REG_T, REG_P).dtype == tf.float64


def test_traced_equals_eager_and_softmax_logits_are_used():
    cce = keras.losses.CategoricalCrossentropy()
    logits = tf.constant([[30.0, -30.0, 0.0, 1.0]] * 3)

    @tf.function
    def traced(t, x):
        return cce(t, tf.nn.softmax(x))

    # in a graph the Softmax node's input is used as logits: no clipping at 1 - epsilon
    exact = keras.losses.CategoricalCrossentropy(from_logits=True)(CAT_T, logits)
    np.testing.assert_allclose(float(traced(CAT_T, logits)), float(exact), rtol=1e-6)
    eager = cce(CAT_T, tf.nn.softmax(logits))
    assert abs(float(eager) - float(exact)) > 1e-3  # eager clips the probabilities

    @tf.function
    def traced_mse(t, p):
        return keras.losses.MeanSquaredError()(t, p, sample_weight=SW)

    np.testing.assert_allclose(
        float(traced_mse(REG_T, REG_P)),
        float(keras.losses.MeanSquaredError()(REG_T, REG_P, sample_weight=SW)),
        rtol=1e-7,
    )


def test_errors():
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        keras.losses.MeanSquaredError(reduction="avg")
    with pytest.raises(ValueError, match="q must be in the interval"):
        keras.losses.CategoricalGeneralizedCrossEntropy(q=1.5)
    with pytest.raises(ValueError, match="must have the same rank"):
        keras.losses.binary_crossentropy(tf.constant([[0.0]]), tf.constant([[[0.5]]]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="outside the valid range"):
        keras.losses.SparseCategoricalCrossentropy()(np.array([1, 4, 0]), CAT_P)
    with pytest.raises(TypeError):
        keras.losses.categorical_generalized_cross_entropy(CAT_IDX, CAT_P)
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        keras.losses.get("nope")
    with pytest.raises(ValueError, match="`axis` must be of type `int`"):
        keras.losses.categorical_crossentropy(CAT_T, CAT_P, axis=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keras.losses.categorical_crossentropy([[1.0]], [[1.0]])
    assert any(issubclass(w.category, SyntaxWarning) for w in caught)


def _loss_classes():
    return sorted(
        (
            obj
            for obj in losses_src.ALL_OBJECTS
            if inspect.isclass(obj) and obj not in (losses_src.Loss, losses_src.LossFunctionWrapper)
        ),
        key=lambda c: c.__name__,
    )


@pytest.mark.parametrize("cls", _loss_classes(), ids=lambda c: c.__name__)
def test_config_round_trip(cls):
    loss = cls()
    config = loss.get_config()
    assert config["reduction"] == "sum_over_batch_size" and "name" in config
    assert json.loads(json.dumps(config)) == config
    assert cls.from_config(config).get_config() == config
    restored = keras.losses.deserialize(keras.losses.serialize(loss))
    assert type(restored) is cls and restored.get_config() == config
    assert type(keras.losses.get(cls.__name__)) is cls


def test_configs_keep_the_options():
    assert keras.losses.BinaryFocalCrossentropy(alpha=0.3, gamma=1.5).get_config() == {
        "name": "binary_focal_crossentropy",
        "reduction": "sum_over_batch_size",
        "from_logits": False,
        "label_smoothing": 0.0,
        "axis": -1,
        "apply_class_balancing": False,
        "alpha": 0.3,
        "gamma": 1.5,
    }
    assert keras.losses.Huber(delta=0.3).get_config() == {
        "name": "huber_loss",
        "reduction": "sum_over_batch_size",
    }
    assert keras.losses.Tversky().get_config()["axis"] is None
    assert keras.losses.Circle().get_config()["gamma"] == 80.0
    assert (
        keras.losses.SparseCategoricalCrossentropy(ignore_class=-1).get_config()["ignore_class"]
        == -1
    )


def test_names_aliases_and_get():
    assert keras.losses.mse is keras.losses.MSE is keras.losses.mean_squared_error
    assert keras.metrics.mean_squared_error is keras.losses.mean_squared_error
    assert keras.losses.mae is keras.metrics.MAE is keras.losses.mean_absolute_error
    assert keras.losses.kld is keras.losses.kullback_leibler_divergence
    assert keras.losses.logcosh is keras.losses.log_cosh
    assert keras.losses.msle is keras.losses.mean_squared_logarithmic_error
    assert keras.losses.get("mse") is keras.losses.mean_squared_error
    assert keras.losses.get("bce") is keras.losses.binary_crossentropy
    assert keras.losses.get(None) is None
    cfg = {"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}}
    assert keras.losses.get(cfg).from_logits is True
    assert keras.losses.Reduction.SUM == "sum" and "auto" in keras.losses.Reduction.all()
    fn_config = keras.losses.serialize(keras.losses.mean_squared_error)
    assert keras.losses.deserialize(fn_config) is keras.losses.mean_squared_error
    assert issubclass(keras.losses.MeanSquaredError, keras.Loss)


def test_repr():
    loss = keras.losses.MeanSquaredError()
    assert repr(loss).startswith("<LossFunctionWrapper(<function mean_squared_error at 0x")
    assert repr(loss).endswith(", kwargs={})>")


def test_custom_loss_subclass():
    class Scaled(keras.losses.Loss):
        def call(self, y_true, y_pred):
            return tf.reduce_sum(y_pred - y_true, axis=-1) * 2.0

    loss = Scaled(name="scaled")
    assert float(loss([[0.0, 0.0]], [[1.0, 2.0]])) == 6.0
    assert loss.get_config() == {"name": "scaled", "reduction": "sum_over_batch_size"}


def test_docstring_examples():
    globs = {"tf": tf, "keras": keras, "np": np}
    failed = 0
    for info in pkgutil.iter_modules(losses_src.__path__, losses_src.__name__ + "."):
        failed += doctest.testmod(importlib.import_module(info.name), extraglobs=globs).failed
    failed += doctest.testmod(losses_src, extraglobs=globs).failed
    assert failed == 0
