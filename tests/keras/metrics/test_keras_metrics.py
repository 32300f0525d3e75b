"""keras.metrics: every metric against NumPy references over two ``update_state`` calls (the
second weighted), state variables, ``reset_state``, configs, names, tf.function and errors."""

import doctest
import importlib
import inspect
import json
import pkgutil

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.src import metrics as metrics_src

keras = tf.keras
RNG = np.random.RandomState(1)
BIN_T = [
    np.array([[0, 1, 1, 0], [1, 1, 0, 0], [0, 0, 0, 1]], np.float32),
    np.array([[1, 0, 1, 1], [0, 0, 1, 0], [1, 1, 1, 0]], np.float32),
]
BIN_P = [RNG.uniform(0, 1, (3, 4)).astype(np.float32) for _ in range(2)]
CAT_IDX = [np.array([1, 3, 0], np.int32), np.array([2, 2, 0], np.int32)]
CAT_T = [np.eye(4, dtype=np.float32)[i] for i in CAT_IDX]
CAT_P = [RNG.uniform(0.05, 1, (3, 4)).astype(np.float32) for _ in range(2)]
CAT_P = [p / p.sum(-1, keepdims=True) for p in CAT_P]
REG_T = [RNG.uniform(0.1, 2, (3, 4)).astype(np.float32) for _ in range(2)]
REG_P = [RNG.uniform(0.1, 2, (3, 4)).astype(np.float32) for _ in range(2)]
W = np.array([0.5, 1.0, 0.0], np.float32)


def _run(metric, t, p):
    """Two updates, the second with the per-sample weights W; returns both results."""
    metric.update_state(t[0], p[0])
    r0 = np.array(metric.result())
    metric.update_state(t[1], p[1], sample_weight=W)
    return r0, np.array(metric.result())


def _weighted_mean(per_sample):
    """The reference of a mean metric: per-sample values of both batches, weights 1 then W."""
    v = np.concatenate(per_sample)
    w = np.concatenate([np.ones(3), W])
    return per_sample[0].mean(), (v * w).sum() / w.sum()


def _bce(t, p):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean(-1)


def _l2n(x):
    return x / np.sqrt((x * x).sum(-1, keepdims=True))


MEAN_CASES = [  # (metric, data, per-sample reference)
    ("BinaryAccuracy()", "bin", lambda t, p: ((p > 0.5) == t).mean(-1)),
    ("BinaryAccuracy(threshold=0.7)", "bin", lambda t, p: ((p > 0.7) == t).mean(-1)),
    ("CategoricalAccuracy()", "cat", lambda t, p: (t.argmax(-1) == p.argmax(-1)) * 1.0),
    ("SparseCategoricalAccuracy()", "sparse", lambda t, p: (t == p.argmax(-1)) * 1.0),
    (
        "TopKCategoricalAccuracy(k=2)",
        "cat",
        lambda t, p: np.array([t[i].argmax() in np.argsort(-p[i])[:2] for i in range(3)]) * 1.0,
    ),
    (
        "SparseTopKCategoricalAccuracy(k=2)",
        "sparse",
        lambda t, p: np.array([t[i] in np.argsort(-p[i])[:2] for i in range(3)]) * 1.0,
    ),
    ("MeanSquaredError()", "reg", lambda t, p: ((t - p) ** 2).mean(-1)),
    ("MeanAbsoluteError()", "reg", lambda t, p: np.abs(t - p).mean(-1)),
    ("MeanAbsolutePercentageError()", "reg", lambda t, p: 100 * np.abs((t - p) / t).mean(-1)),
    (
        "MeanSquaredLogarithmicError()",
        "reg",
        lambda t, p: ((np.log1p(t) - np.log1p(p)) ** 2).mean(-1),
    ),
    ("LogCoshError()", "reg", lambda t, p: np.log(np.cosh(p - t)).mean(-1)),
    ("CosineSimilarity()", "reg", lambda t, p: (_l2n(t) * _l2n(p)).sum(-1)),
    ("Poisson()", "reg", lambda t, p: (p - t * np.log(p + 1e-7)).mean(-1)),
    ("Hinge()", "bin", lambda t, p: np.maximum(1 - (2 * t - 1) * p, 0).mean(-1)),
    ("SquaredHinge()", "bin", lambda t, p: (np.maximum(1 - (2 * t - 1) * p, 0) ** 2).mean(-1)),
    (
        "CategoricalHinge()",
        "cat",
        lambda t, p: np.maximum(((1 - t) * p).max(-1) - (t * p).sum(-1) + 1, 0),
    ),
    (
        "KLDivergence()",
        "cat",
        lambda t, p: (np.clip(t, 1e-7, 1) * np.log(np.clip(t, 1e-7, 1) / p)).sum(-1),
    ),
    ("BinaryCrossentropy()", "bin", _bce),
    (
        "CategoricalCrossentropy()",
        "cat",
        lambda t, p: -(t * np.log(np.clip(p, 1e-7, 1))).sum(-1),
    ),
    (
        "SparseCategoricalCrossentropy()",
        "sparse",
        lambda t, p: -np.log(p[np.arange(3), t.astype(int)]),
    ),
    (
        "PearsonCorrelation()",
        "reg",
        lambda t, p: np.array([np.corrcoef(t[i], p[i])[0, 1] for i in range(3)]),
    ),
]
DATA = {
    "bin": (BIN_T, BIN_P),
    "cat": (CAT_T, CAT_P),
    "sparse": (CAT_IDX, CAT_P),
    "reg": (REG_T, REG_P),
}


@pytest.mark.parametrize("case", MEAN_CASES, ids=[c[0] for c in MEAN_CASES])
def test_mean_metrics(case):
    ctor, data, ref = case
    t, p = DATA[data]
    metric = eval("keras.metrics." + ctor)
    got = _run(metric, t, p)
    want = _weighted_mean([ref(t[i].astype(np.float64), p[i].astype(np.float64)) for i in range(2)])
    np.testing.assert_allclose(got, want, rtol=2e-5, atol=2e-6)
    assert [v.name for v in metric.variables] == ["total", "count"]
    assert all(v.dtype == "float32" and not v.trainable for v in metric.variables)
    metric.reset_state()
    assert float(metric.result()) == 0.0


def test_mean_sum_and_wrapper():
    m = keras.metrics.Mean()
    m.update_state([1.0, 2.0, 3.0])
    m.update_state([4.0], sample_weight=[3.0])
    assert float(m.result()) == 3.0 and [float(v.numpy()) for v in m.variables] == [18.0, 6.0]
    m.update_state(tf.constant(2.0), sample_weight=2)  # scalar fast path
    assert float(m.result()) == 22.0 / 8.0
    s = keras.metrics.Sum()
    s.update_state([1.0, 2.0, 3.0])
    s.update_state([4.0], sample_weight=[0.5])
    assert float(s.result()) == 8.0 and [v.name for v in s.variables] == ["total"]
    assert float(keras.metrics.Mean().result()) == 0.0
    w = keras.metrics.MeanMetricWrapper(fn=keras.losses.mean_absolute_error)
    w.update_state(REG_T[0], REG_P[0])
    np.testing.assert_allclose(float(w.result()), np.abs(REG_T[0] - REG_P[0]).mean(), rtol=1e-6)
    assert w._direction == "down"
    mw = keras.metrics.MeanMetricWrapper(fn=keras.losses.mean_absolute_error, name="mae")
    cfg = mw.get_config()
    assert cfg["fn"]["config"] == "mean_absolute_error"
    assert type(keras.metrics.MeanMetricWrapper.from_config(cfg)._fn).__name__ == "function"


def test_accuracy_and_integer_inputs():
    m = keras.metrics.Accuracy()
    assert repr(m) == str(m) == "<Accuracy name=accuracy>"
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    assert float(m.result()) == 0.75
    m.update_state([[1], [2]], [[1], [0]], sample_weight=[1.0, 3.0])
    assert float(m.result()) == pytest.approx((3 + 1) / (4 + 4))
    assert [v.path for v in m.variables] == ["accuracy/total", "accuracy/count"]
    mse = keras.metrics.MeanSquaredError()
    mse.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    assert float(mse.result()) == 0.25
    rmse = keras.metrics.RootMeanSquaredError()
    rmse.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]], sample_weight=[1, 0])
    np.testing.assert_allclose(float(rmse.result()), np.sqrt(0.5), rtol=1e-6)


def test_accuracy_functions():
    np.testing.assert_array_equal(
        keras.metrics.binary_accuracy(BIN_T[0], BIN_P[0]).numpy(), (BIN_P[0] > 0.5) == BIN_T[0]
    )
    np.testing.assert_array_equal(
        keras.metrics.categorical_accuracy([[0, 1, 0]], [[0.4, 0.4, 0.2]]).numpy(), [0.0]
    )  # ties: the first index
    np.testing.assert_array_equal(
        keras.metrics.sparse_top_k_categorical_accuracy([1], [[0.5, 0.5, 0.0]], k=1).numpy(),
        [1.0],
    )  # in_top_k counts ties as hits
    sorted_ids = np.array([[2, 0, 1], [1, 2, 0]], np.int32)
    np.testing.assert_array_equal(
        keras.metrics.sparse_top_k_categorical_accuracy(
            [0, 0], sorted_ids, k=2, from_sorted_ids=True
        ).numpy(),
        [1.0, 0.0],
    )
    np.testing.assert_array_equal(
        keras.metrics.sparse_categorical_accuracy(CAT_IDX[0][:, None], CAT_P[0]).numpy(),
        (CAT_IDX[0] == CAT_P[0].argmax(-1)) * 1.0,
    )


# ---------------------------------------------------------------- confusion-matrix metrics
def _counts(t, p, thresholds, w=None):
    """TP, FP, TN, FN per threshold (flattened, weights broadcast over the last axis)."""
    w = np.ones_like(t) if w is None else np.broadcast_to(w[:, None], t.shape)
    out = []
    for th in thresholds:
        pos = p > th
        out.append(
            [
                (w * (t == 1) * pos).sum(),
                (w * (t == 0) * pos).sum(),
                (w * (t == 0) * ~pos).sum(),
                (w * (t == 1) * ~pos).sum(),
            ]
        )
    return np.array(out)


def _both_batches(thresholds, t=BIN_T, p=BIN_P):
    return _counts(t[0], p[0], thresholds), _counts(t[0], p[0], thresholds) + _counts(
        t[1], p[1], thresholds, W
    )


@pytest.mark.parametrize(
    "name,column",
    [("TruePositives", 0), ("FalsePositives", 1), ("TrueNegatives", 2), ("FalseNegatives", 3)],
)
def test_condition_counts(name, column):
    got = _run(getattr(keras.metrics, name)(), BIN_T, BIN_P)
    want = [c[0, column] for c in _both_batches([0.5])]
    np.testing.assert_allclose(got, want, rtol=1e-6)
    many = getattr(keras.metrics, name)(thresholds=[0.2, 0.6])
    _run(many, BIN_T, BIN_P)
    assert many.result() is many.accumulator  # several thresholds: the variable itself
    np.testing.assert_allclose(many.result().numpy(), _both_batches([0.2, 0.6])[1][:, column])


@pytest.mark.parametrize("thresholds", [None, [0.3, 0.5, 0.7], [0.0, 0.5, 1.0]])
def test_precision_and_recall(thresholds):
    th = [0.5] if thresholds is None else thresholds
    for cls, other in ((keras.metrics.Precision, 1), (keras.metrics.Recall, 3)):
        got = _run(cls(thresholds=thresholds), BIN_T, BIN_P)
        want = [
            np.divide(
                c[:, 0],
                c[:, 0] + c[:, other],
                out=np.zeros(len(th)),
                where=c[:, 0] + c[:, other] > 0,
            )
            for c in _both_batches(th)
        ]
        want = [w[0] if thresholds is None else w for w in want]
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_precision_top_k_and_class_id():
    def top_k_mask(p, k):
        out = np.zeros_like(p, dtype=bool)
        np.put_along_axis(out, np.argsort(-p, axis=-1)[:, :k], True, axis=-1)
        return out

    got = _run(keras.metrics.Precision(top_k=2), BIN_T, BIN_P)
    tp = [
        (top_k_mask(p, 2) * t * w[:, None]).sum() for t, p, w in zip(BIN_T, BIN_P, [np.ones(3), W])
    ]
    pos = [(top_k_mask(p, 2) * w[:, None]).sum() for p, w in zip(BIN_P, [np.ones(3), W])]
    np.testing.assert_allclose(got, [tp[0] / pos[0], sum(tp) / sum(pos)], rtol=1e-6)
    got = _run(keras.metrics.Recall(class_id=1), BIN_T, BIN_P)
    col = [(t[:, 1:2], p[:, 1:2]) for t, p in zip(BIN_T, BIN_P)]
    c0, c1 = _counts(*col[0], [0.5]), _counts(*col[1], [0.5], W)
    want = [c0[0, 0] / (c0[0, 0] + c0[0, 3]), (c0 + c1)[0, 0] / ((c0 + c1)[0, 0] + (c0 + c1)[0, 3])]
    np.testing.assert_allclose(got, want, rtol=1e-6)
    empty = keras.metrics.Precision()
    empty.update_state(np.zeros((1, 3)), np.zeros((1, 3)))
    assert float(empty.result()) == 0.0


def _even_thresholds(n):
    return [0.0] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1.0]


@pytest.mark.parametrize("num_thresholds", [200, 10])
def test_at_constraint_metrics(num_thresholds):
    th = _even_thresholds(num_thresholds)
    counts = _both_batches(th)[1]
    tp, fp, tn, fn = counts.T
    div = lambda a, b: np.where(b > 0, a / np.where(b > 0, b, 1), 0.0)
    sens, spec, prec = div(tp, tp + fn), div(tn, tn + fp), div(tp, tp + fp)
    best = lambda c, d, v: max([d[i] for i in range(len(c)) if c[i] >= v], default=0.0)
    cases = [
        (keras.metrics.SensitivityAtSpecificity(0.5, num_thresholds), best(spec, sens, 0.5)),
        (keras.metrics.SpecificityAtSensitivity(0.5, num_thresholds), best(sens, spec, 0.5)),
        (keras.metrics.PrecisionAtRecall(0.8, num_thresholds), best(sens, prec, 0.8)),
        (keras.metrics.RecallAtPrecision(0.6, num_thresholds), best(prec, sens, 0.6)),
    ]
    for metric, want in cases:
        np.testing.assert_allclose(_run(metric, BIN_T, BIN_P)[1], want, rtol=1e-5)
        assert [v.name for v in metric.variables] == [
            "true_positives",
            "false_positives",
            "true_negatives",
            "false_negatives",
        ]
    assert keras.metrics.RecallAtPrecision(1.0).result().numpy() == 0.0


def _auc_reference(counts, curve="ROC", method="interpolation"):
    tp, fp, tn, fn = counts.T
    div = lambda a, b: np.where(b > 0, a / np.where(b > 0, b, 1), 0.0)
    recall = div(tp, tp + fn)
    if curve == "ROC":
        x, y = div(fp, fp + tn), recall
    else:
        x, y = recall, div(tp, tp + fp)
    heights = {
        "interpolation": (y[:-1] + y[1:]) / 2,
        "minoring": np.minimum(y[:-1], y[1:]),
        "majoring": np.maximum(y[:-1], y[1:]),
    }[method]
    return ((x[:-1] - x[1:]) * heights).sum()


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"num_thresholds": 5},
        {"summation_method": "minoring"},
        {"summation_method": "majoring"},
        {"curve": "PR", "summation_method": "majoring"},
        {"thresholds": [0.25, 0.5, 0.75]},
        {"thresholds": [0.1, 0.3, 0.8]},
    ],
)
def test_auc(kwargs):
    metric = keras.metrics.AUC(**kwargs)
    th = metric.thresholds
    assert th[0] == -1e-7 and th[-1] == 1 + 1e-7 and len(th) == metric.num_thresholds
    got = _run(metric, BIN_T, BIN_P)
    want = [
        _auc_reference(
            c, kwargs.get("curve", "ROC"), kwargs.get("summation_method", "interpolation")
        )
        for c in _both_batches(th)
    ]
    np.testing.assert_allclose(got, want, rtol=1e-5)
    assert metric.true_positives.shape == (len(th),)
    cfg = metric.get_config()
    assert keras.metrics.AUC.from_config(cfg).thresholds == metric.thresholds


def test_auc_close_to_the_exact_area_and_pr_interpolation():
    t = (RNG.uniform(size=2000) > 0.5).astype(np.float32)
    p = np.clip(t * 0.3 + RNG.uniform(size=2000) * 0.7, 0, 1).astype(np.float32)
    m = keras.metrics.AUC(num_thresholds=1000)
    m.update_state(t, p)
    pos, neg = p[t == 1], p[t == 0]
    exact = (pos[:, None] > neg[None]).mean()
    np.testing.assert_allclose(float(m.result()), exact, atol=2e-3)
    pr = keras.metrics.AUC(num_thresholds=1000, curve="PR")
    pr.update_state(t, p)
    order = np.argsort(-p)
    hits = t[order].cumsum()
    ap = (hits / np.arange(1, 2001) * t[order]).sum() / t.sum()  # average precision
    np.testing.assert_allclose(float(pr.result()), ap, atol=1e-2)


def test_auc_multi_label_logits_and_reset():
    ml = keras.metrics.AUC(multi_label=True, label_weights=[1.0, 2.0, 0.0, 1.0])
    assert ml.variables == []  # made on the first update
    got = _run(ml, BIN_T, BIN_P)
    per_label = [
        [
            _auc_reference(
                np.stack(
                    [
                        _counts(BIN_T[0][:, j : j + 1], BIN_P[0][:, j : j + 1], ml.thresholds)
                        + (
                            k
                            * _counts(
                                BIN_T[1][:, j : j + 1], BIN_P[1][:, j : j + 1], ml.thresholds, W
                            )
                        )
                    ]
                )[0]
            )
            for j in range(4)
        ]
        for k in (0, 1)
    ]
    lw = np.array([1.0, 2.0, 0.0, 1.0])
    np.testing.assert_allclose(
        got, [(np.array(a) * lw).sum() / lw.sum() for a in per_label], rtol=1e-5
    )
    assert ml.true_positives.shape == (200, 4)
    logits = [RNG.randn(3, 4).astype(np.float32) for _ in range(2)]
    a = _run(keras.metrics.AUC(from_logits=True), BIN_T, logits)
    b = _run(keras.metrics.AUC(), BIN_T, [1 / (1 + np.exp(-x)) for x in logits])
    np.testing.assert_allclose(a, b, rtol=1e-6)
    ml.reset_state()
    assert float(ml.result()) == 0.0 and not ml.true_positives.numpy().any()
    with pytest.raises(ValueError, match="Invalid AUC summation method"):
        keras.metrics.AUC(summation_method="careful_interpolation")
    with pytest.raises(ValueError, match="Invalid AUC curve"):
        keras.metrics.AUC(curve="PRGAIN")
    with pytest.raises(ValueError, match="`num_labels` is needed only"):
        keras.metrics.AUC(num_labels=3)


# ---------------------------------------------------------------- IoU, F-scores, R2
def _confusion(t, p, n, w=None):
    cm = np.zeros((n, n), np.int64)
    w = np.ones(t.size, np.int64) if w is None else w.astype(np.int64)
    np.add.at(cm, (t.reshape(-1), p.reshape(-1)), w)
    return cm


def _iou(cm, ids):
    tp = np.diag(cm)[ids].astype(np.float64)
    denom = (cm.sum(0) + cm.sum(1) - np.diag(cm))[ids]
    return (tp / (denom + 1e-7)).sum() / ((denom > 0).sum() + 1e-7)


def test_iou_family():
    t = np.array([[0, 1, 2, 2], [1, 1, 0, 2]], np.int32)
    p = np.array([[0, 2, 2, 1], [1, 0, 0, 2]], np.int32)
    m = keras.metrics.MeanIoU(num_classes=3)
    m.update_state(t, p)
    np.testing.assert_allclose(float(m.result()), _iou(_confusion(t, p, 3), [0, 1, 2]), 1e-6)
    assert m.total_cm.dtype == "int64" and m.variables[0].name == "total_confusion_matrix"
    with pytest.warns(UserWarning, match="passing weight as `float`, but dtype is `int`"):
        m.update_state(t, p, sample_weight=np.full((2, 4), 0.5, np.float32))  # truncated to 0
    np.testing.assert_array_equal(m.total_cm.numpy(), _confusion(t, p, 3))
    m4 = keras.metrics.MeanIoU(num_classes=4)  # class 3 never seen: left out
    m4.update_state(t, p)
    np.testing.assert_allclose(float(m4.result()), float(m.result()), rtol=1e-6)
    iou = keras.metrics.IoU(num_classes=3, target_class_ids=[0, 2], ignore_class=1)
    iou.update_state(t, p)
    keep = t != 1
    cm = _confusion(t * keep, p * keep, 3, keep.reshape(-1))
    np.testing.assert_allclose(float(iou.result()), _iou(cm, [0, 2]), rtol=1e-6)
    one_hot = keras.metrics.OneHotMeanIoU(num_classes=4)
    one_hot.update_state(CAT_T[0], CAT_P[0])
    cm = _confusion(CAT_IDX[0], CAT_P[0].argmax(-1), 4)
    np.testing.assert_allclose(float(one_hot.result()), _iou(cm, [0, 1, 2, 3]), rtol=1e-6)
    binary = keras.metrics.BinaryIoU(target_class_ids=[1], threshold=0.3)
    binary.update_state(BIN_T[0], BIN_P[0])
    cm = _confusion(BIN_T[0].astype(int), (BIN_P[0] >= 0.3).astype(int), 2)
    np.testing.assert_allclose(float(binary.result()), _iou(cm, [1]), rtol=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Incompatible shapes"):
        binary.update_state(BIN_T[0], BIN_P[0], sample_weight=[1, 1, 0])  # (3,) vs 12 values
    with pytest.raises(ValueError, match="out of range"):
        keras.metrics.IoU(num_classes=2, target_class_ids=[2])
    m.reset_state()
    assert not m.total_cm.numpy().any()


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("beta", [1.0, 2.0])
def test_fbeta(average, beta):
    metric = keras.metrics.FBetaScore(average=average, beta=beta, threshold=0.5)
    got = _run(metric, BIN_T, BIN_P)
    want = []
    stats = np.zeros((4, 4))
    for t, p, w in zip(BIN_T, BIN_P, [np.ones(3), W]):
        yp = (p > 0.5).astype(np.float64)
        stats += np.stack(
            [
                (yp * t * w[:, None]).sum(0),
                (yp * (1 - t) * w[:, None]).sum(0),
                ((1 - yp) * t * w[:, None]).sum(0),
                (t * w[:, None]).sum(0),
            ]
        )
        tp, fp, fn, support = stats if average != "micro" else stats.sum(1)
        prec, rec = tp / (tp + fp + 1e-7), tp / (tp + fn + 1e-7)
        f = (1 + beta**2) * prec * rec / (beta**2 * prec + rec + 1e-7)
        if average == "weighted":
            f = (f * support / (support.sum() + 1e-7)).sum()
        elif average is not None:
            f = np.mean(f)
        want.append(f)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)
    shape = () if average == "micro" else (4,)
    assert [v.shape for v in metric.variables] == [shape] * 4


def test_f1_without_threshold_marks_the_row_maximum():
    metric = keras.metrics.F1Score()
    metric.update_state(CAT_T[0], CAT_P[0])
    yp = (CAT_P[0] == CAT_P[0].max(-1, keepdims=True)).astype(np.float64)
    tp, fp, fn = (yp * CAT_T[0]).sum(0), (yp * (1 - CAT_T[0])).sum(0), ((1 - yp) * CAT_T[0]).sum(0)
    prec, rec = tp / (tp + fp + 1e-7), tp / (tp + fn + 1e-7)
    np.testing.assert_allclose(
        metric.result().numpy(), 2 * prec * rec / (prec + rec + 1e-7), rtol=1e-5, atol=1e-7
    )
    assert "beta" not in metric.get_config()
    with pytest.raises(ValueError, match="Invalid `beta`"):
        keras.metrics.FBetaScore(beta=2)
    with pytest.raises(ValueError, match="Invalid `average`"):
        keras.metrics.F1Score(average="samples")


@pytest.mark.parametrize("aggregation", [None, "uniform_average", "variance_weighted_average"])
def test_r2(aggregation):
    metric = keras.metrics.R2Score(class_aggregation=aggregation)
    got = _run(metric, REG_T, REG_P)
    want = []
    for k in (1, 2):
        t = np.concatenate(REG_T[:k]).astype(np.float64)
        p = np.concatenate(REG_P[:k]).astype(np.float64)
        w = np.concatenate([np.ones(3), W][:k])[:, None]
        mean = (w * t).sum(0) / w.sum()
        ss_tot = (w * (t - mean) ** 2).sum(0)
        scores = 1 - (w * (t - p) ** 2).sum(0) / ss_tot
        if aggregation == "uniform_average":
            scores = scores.mean()
        elif aggregation == "variance_weighted_average":
            scores = (ss_tot * scores).sum() / ss_tot.sum()
        want.append(scores)
    np.testing.assert_allclose(got, want, rtol=2e-4, atol=1e-5)
    assert [v.name for v in metric.variables] == [
        "num_samples",
        "squared_sum",
        "sum",
        "residual",
        "count",
    ]
    adjusted = keras.metrics.R2Score(num_regressors=1)
    _run(adjusted, REG_T, REG_P)
    n = 24.0
    plain = keras.metrics.R2Score()
    _run(plain, REG_T, REG_P)
    np.testing.assert_allclose(
        float(adjusted.result()), 1 - (1 - float(plain.result())) * (n - 1) / (n - 2), rtol=1e-5
    )


# ---------------------------------------------------------------- tracing, configs, names
def test_updates_inside_tf_function_match_eager():
    def make():
        return [
            keras.metrics.AUC(),
            keras.metrics.Precision(thresholds=[0.3, 0.6]),
            keras.metrics.BinaryAccuracy(),
            keras.metrics.F1Score(threshold=0.5),
            keras.metrics.MeanIoU(2, sparse_y_pred=True),
            keras.metrics.Hinge(),
            keras.metrics.AUC(multi_label=True),
            keras.metrics.R2Score(),
        ]

    traced, eager = make(), make()

    @tf.function
    def step(t, p, w):
        for m in traced:
            if isinstance(m, keras.metrics.MeanIoU):  # per-element weights only
                m.update_state(t, tf.cast(p > 0.5, "int32"))
            else:
                m.update_state(t, p, sample_weight=w)

    for t, p in zip(BIN_T, BIN_P):
        step(tf.constant(t), tf.constant(p), tf.constant(W))
        for m in eager:
            if isinstance(m, keras.metrics.MeanIoU):
                m.update_state(t, (p > 0.5).astype(np.int32))
            else:
                m.update_state(t, p, sample_weight=W)
    for a, b in zip(traced, eager):
        np.testing.assert_allclose(np.array(a.result()), np.array(b.result()), rtol=1e-6)


def _metric_instances():
    args = {
        "PrecisionAtRecall": (0.5,),
        "RecallAtPrecision": (0.5,),
        "SensitivityAtSpecificity": (0.5,),
        "SpecificityAtSensitivity": (0.5,),
        "IoU": (3, [0]),
        "MeanIoU": (3,),
        "OneHotIoU": (3, [0]),
        "OneHotMeanIoU": (3,),
        "MeanMetricWrapper": (keras.losses.mean_squared_error,),
    }
    classes = sorted(
        (c for c in metrics_src.ALL_OBJECTS if c is not metrics_src.Metric),
        key=lambda c: c.__name__,
    )
    return [(c, args.get(c.__name__, ())) for c in classes]


@pytest.mark.parametrize("cls,args", _metric_instances(), ids=lambda x: getattr(x, "__name__", ""))
def test_config_round_trip(cls, args):
    metric = cls(*args)
    config = metric.get_config()
    assert json.loads(json.dumps(config)) == config and "name" in config
    assert cls.from_config(config).get_config() == config
    restored = keras.metrics.deserialize(keras.metrics.serialize(metric))
    assert type(restored) is cls


def test_get_and_names():
    assert type(keras.metrics.get("mse")) is keras.metrics.MeanSquaredError
    assert type(keras.metrics.get("categorical_accuracy")) is keras.metrics.CategoricalAccuracy
    assert type(keras.metrics.get("AUC")) is keras.metrics.AUC
    assert keras.metrics.get(keras.metrics.binary_accuracy) is keras.metrics.binary_accuracy
    cfg = {"class_name": "BinaryAccuracy", "config": {"threshold": 0.7}}
    assert keras.metrics.get(cfg).threshold == 0.7
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        keras.metrics.get("nope")
    keras.backend.clear_session()
    assert keras.metrics.MeanIoU(2).name == "mean_io_u"
    auc = keras.metrics.AUC()
    assert auc.variables[0].path == "auc/true_positives"
    for fn in (
        "binary_crossentropy",
        "hinge",
        "poisson",
        "kl_divergence",
        "huber",
        "log_cosh",
        "pearson_correlation",
        "concordance_correlation",
        "sparse_top_k_categorical_accuracy",
    ):
        assert callable(getattr(keras.metrics, fn))


def test_metric_requires_super_init_and_tracks_submetrics():
    class Broken(keras.metrics.Metric):
        def __init__(self):
            pass

    with pytest.raises(RuntimeError, match="forgot to call `super"):
        Broken().add_variable((), "zeros", name="x")

    class Nested(keras.metrics.Metric):
        def __init__(self):
            super().__init__(name="nested")
            self.inner = keras.metrics.Mean()
            self.own = self.add_variable((), "zeros", name="own")

    assert [v.name for v in Nested().variables] == ["own", "total", "count"]


def test_metrics_in_layers_are_tracked():
    class WithMetric(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.acc = keras.metrics.Accuracy()

        def call(self, x):
            return x

    layer = WithMetric()
    assert layer.metrics == [layer.acc] and len(layer.metrics_variables) == 2
    assert layer.weights == []


def test_docstring_examples():
    globs = {"tf": tf, "keras": keras, "np": np}
    failed = 0
    for info in pkgutil.iter_modules(metrics_src.__path__, metrics_src.__name__ + "."):
        failed += doctest.testmod(importlib.import_module(info.name), extraglobs=globs).failed
    failed += doctest.testmod(metrics_src, extraglobs=globs).failed
    assert failed == 0
    assert inspect.isclass(keras.metrics.Sum)
