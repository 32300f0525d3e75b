"""Activations, softmax and softmax cross-entropies: forward vs NumPy references, dtypes,
special values (-0.0, NaN, -inf rows), gradients at the kinks, errors and numeric gradients."""

import math

import numpy as np
import pytest

import tensorlet as tf

RNG = np.random.default_rng(11)
X = np.array([-10, -3, -1, -0.5, 0.3, 0.5, 1, 3, 6.5, 10], np.float64)
_erf = np.vectorize(math.erf)


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


SELU_A, SELU_S = 1.6732632423543772, 1.0507009873554805
ACTIVATIONS = [  # (name, tensorlet fn, NumPy reference)
    ("relu", tf.nn.relu, lambda x: np.maximum(x, 0)),
    ("relu6", tf.nn.relu6, lambda x: np.clip(x, 0, 6)),
    ("leaky_relu", tf.nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x)),
    (
        "leaky_relu_001",
        lambda x: tf.nn.leaky_relu(x, alpha=0.01),
        lambda x: np.where(x > 0, x, 0.01 * x),
    ),
    ("elu", tf.nn.elu, lambda x: np.where(x > 0, x, np.expm1(x))),
    ("selu", tf.nn.selu, lambda x: SELU_S * np.where(x > 0, x, SELU_A * np.expm1(x))),
    ("gelu", tf.nn.gelu, lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    (
        "gelu_tanh",
        lambda x: tf.nn.gelu(x, approximate=True),
        lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))),
    ),
    ("silu", tf.nn.silu, lambda x: x / (1 + np.exp(-x))),
    ("swish_beta2", lambda x: tf.nn.swish(x, beta=2.0), lambda x: x / (1 + np.exp(-2 * x))),
    ("crelu", tf.nn.crelu, lambda x: np.concatenate([np.maximum(x, 0), np.maximum(-x, 0)], -1)),
    ("softmax", tf.nn.softmax, _softmax),
    ("log_softmax", tf.nn.log_softmax, lambda x: np.log(_softmax(x))),
]


@pytest.mark.parametrize("name,fn,ref", ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
@pytest.mark.parametrize("dtype,tol", [(np.float32, 1e-6), (np.float64, 1e-7)])
def test_activation_matches_reference(name, fn, ref, dtype, tol):
    y = fn(tf.constant(X.astype(dtype)))
    assert y.dtype == tf.as_dtype(dtype)
    np.testing.assert_allclose(
        y.numpy(), ref(X.astype(dtype).astype(np.float64)), rtol=tol, atol=tol
    )


@pytest.mark.parametrize("name,fn,ref", ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
def test_activation_gradient(name, fn, ref):
    grad_check(fn, X.reshape(2, 5))


def test_gelu_float64_uses_tf_constants():
    """TF casts its float constants through float32 first (erfc form for exact gelu)."""
    x = np.array([1.5614, -0.3], np.float64)
    c = float(np.float32(0.7071067811865476))
    want = 0.5 * x * np.array([math.erfc(-v * c) for v in x])
    np.testing.assert_allclose(tf.nn.gelu(x).numpy(), want, rtol=1e-15)


def test_relu_special_values_and_ints():
    y = tf.nn.relu(tf.constant([-0.0, 0.0, np.nan, -np.inf, np.inf], tf.float32)).numpy()
    assert np.signbit(y[0]) and not np.signbit(y[1])  # Eigen's max(x, 0) keeps -0.0
    assert np.isnan(y[2]) and y[3] == 0 and y[4] == np.inf
    r = tf.nn.relu(tf.constant([-2, 0, 3], tf.int32))
    assert r.dtype == tf.int32 and r.numpy().tolist() == [0, 0, 3]
    assert tf.nn.leaky_relu(tf.constant([-2, 3])).dtype == tf.float32
    np.testing.assert_array_equal(tf.nn.relu6(tf.constant([7, -1, 2], tf.int64)).numpy(), [6, 0, 2])


@pytest.mark.parametrize(
    "fn,x,want",
    [
        (tf.nn.relu, [0.0, -0.0, 1.0], [0, 0, 1]),
        (tf.nn.relu6, [0.0, 6.0, 3.0, 7.0], [0, 0, 1, 0]),
        (tf.nn.leaky_relu, [0.0, -1.0, 1.0], [0.2, 0.2, 1]),
        (tf.nn.elu, [0.0, 1.0], [1, 1]),
    ],
)
def test_gradients_at_kinks(fn, x, want):
    xt = tf.constant(np.array(x, np.float32))
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = fn(xt)
    np.testing.assert_allclose(tape.gradient(y, xt).numpy(), want, rtol=1e-6)


def test_activation_second_order():
    for fn in [tf.nn.elu, tf.nn.selu, tf.nn.relu, tf.nn.leaky_relu, tf.nn.relu6]:

        def first(t, fn=fn):
            with tf.GradientTape() as tape:
                tape.watch(t)
                y = fn(t)
            return tape.gradient(y, t, output_gradients=t)

        grad_check(first, X.reshape(2, 5) + 0.01)


def test_activation_dtype_errors():
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.nn.elu(tf.constant([1, 2]))
    with pytest.raises(ValueError, match="floating point"):
        tf.nn.gelu(tf.constant([1, 2]))


# ---------------------------------------------------------------- softmax


@pytest.mark.parametrize("axis", [-1, 0, 1, 2, None])
def test_softmax_axes(axis):
    x = RNG.standard_normal((2, 3, 4))
    ax = -1 if axis is None else axis
    np.testing.assert_allclose(tf.nn.softmax(x, axis=axis).numpy(), _softmax(x, ax), rtol=1e-12)
    np.testing.assert_allclose(
        tf.nn.log_softmax(x, axis=axis).numpy(), np.log(_softmax(x, ax)), rtol=1e-12
    )
    grad_check(lambda t: tf.nn.softmax(t, axis=axis), x)
    grad_check(lambda t: tf.nn.log_softmax(t, axis=axis), x)


def test_softmax_special_rows_follow_eigen():
    x = np.array(
        [[0, -np.inf, 1], [-np.inf, -np.inf, -np.inf], [1000, 1000, -1000], [np.nan, 0, 1]],
        np.float32,
    )
    y = tf.nn.softmax(x).numpy()
    np.testing.assert_allclose(y[0], [0.26894143, 0, 0.7310586], rtol=1e-6)
    assert np.isnan(y[1]).all() and np.isnan(y[3]).all()  # not oneDNN's [nan, 0, 0]
    np.testing.assert_allclose(y[2], [0.5, 0.5, 0])
    ls = tf.nn.log_softmax(x).numpy()
    assert ls[0, 1] == -np.inf and np.isnan(ls[3]).all()


def test_softmax_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=">= 1 dimension"):
        tf.nn.softmax(tf.constant(1.0))
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'T' of int32"):
        tf.nn.log_softmax(tf.constant([1, 2]))
    assert tf.math.softmax is tf.nn.softmax


# ---------------------------------------------------------------- cross-entropies


def test_softmax_cross_entropy_forward_and_label_gradient():
    logits = RNG.standard_normal((3, 4)) * 2
    labels = np.abs(RNG.standard_normal((3, 4)))
    labels /= labels.sum(1, keepdims=True)
    want = -(labels * np.log(_softmax(logits))).sum(-1)
    got = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)
    grad_check(
        lambda a, b: tf.nn.softmax_cross_entropy_with_logits(labels=a, logits=b), labels, logits
    )
    got0 = tf.nn.softmax_cross_entropy_with_logits(labels=labels.T, logits=logits.T, axis=0)
    np.testing.assert_allclose(got0.numpy(), want, rtol=1e-12)
    ext = tf.nn.softmax_cross_entropy_with_logits(labels=[[0, 1.0]], logits=[[1000.0, -1000.0]])
    assert ext.numpy().tolist() == [2000.0]


def test_softmax_cross_entropy_3d_and_half():
    logits = RNG.standard_normal((2, 3, 4))
    labels = _softmax(RNG.standard_normal((2, 3, 4)))
    got = tf.nn.softmax_cross_entropy_with_logits(labels, logits)
    assert got.shape == (2, 3)
    np.testing.assert_allclose(
        got.numpy(), -(labels * np.log(_softmax(logits))).sum(-1), rtol=1e-12
    )
    h = tf.nn.softmax_cross_entropy_with_logits(
        labels.astype(np.float16), tf.constant(logits.astype(np.float16))
    )
    assert h.dtype == tf.float16


def test_sparse_softmax_cross_entropy():
    logits = RNG.standard_normal((3, 4))
    for dt in [np.int32, np.int64]:
        labels = np.array([1, 0, 3], dt)
        got = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        np.testing.assert_allclose(
            got.numpy(), -np.log(_softmax(logits))[np.arange(3), labels], rtol=1e-12
        )
    grad_check(lambda t: tf.nn.sparse_softmax_cross_entropy_with_logits([1, 0, 3], t), logits)
    l3 = RNG.standard_normal((2, 2, 3))
    lab = np.array([[1, 0], [2, 2]], np.int32)
    got = tf.nn.sparse_softmax_cross_entropy_with_logits(lab, l3)
    assert got.shape == (2, 2)
    grad_check(lambda t: tf.nn.sparse_softmax_cross_entropy_with_logits(lab, t), l3)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"label value of 4 which is outside the valid range of \[0, 4\).  Label values: 1 4 3",
    ):
        tf.nn.sparse_softmax_cross_entropy_with_logits(np.array([1, 4, 3], np.int32), logits)
    with pytest.raises(tf.errors.InvalidArgumentError, match="label value of -1"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(np.array([-1, 0, 3], np.int32), logits)
    with pytest.raises(ValueError, match="must equal `logits.shape.rank - 1`"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(np.zeros((3, 4), np.int32), logits)


def test_cross_entropy_second_order_through_backprop_output():
    """The grad of the xent gradient (Hessian-vector product) is defined, as in TF."""
    labels = _softmax(RNG.standard_normal((2, 3)))

    def first(t):
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = tf.nn.softmax_cross_entropy_with_logits(labels, t)
        return tape.gradient(y, t)

    grad_check(first, RNG.standard_normal((2, 3)))


# ---------------------------------------------------------------- helper


def grad_check(fn, *args, eps=1e-6, tol=1e-6, seed=0):
    """<u, J v> from the tape (VJP) against central differences (float64)."""
    rng = np.random.default_rng(seed)
    xs = [tf.constant(np.asarray(a, np.float64)) for a in args]
    with tf.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        y = fn(*xs)
    u = rng.standard_normal(y.shape)
    gs = tape.gradient(y, xs, output_gradients=tf.constant(u))
    for i, (x, g) in enumerate(zip(xs, gs)):
        v = rng.standard_normal(x.shape)
        plus, minus = list(xs), list(xs)
        plus[i] = tf.constant(x.numpy() + eps * v)
        minus[i] = tf.constant(x.numpy() - eps * v)
        num = (np.sum(u * fn(*plus).numpy()) - np.sum(u * fn(*minus).numpy())) / (2 * eps)
        ana = np.sum(np.asarray(tf.convert_to_tensor(g).numpy()) * v)
        assert abs(num - ana) <= tol * max(1.0, abs(num)), (i, num, ana)


def test_isotonic_regression():
    out, segs = tf.nn.isotonic_regression(tf.constant([[3.0, 1, 2, 5, 4]]))
    np.testing.assert_array_equal(out.numpy(), [[3, 3, 3, 3, 3]])
    np.testing.assert_array_equal(segs.numpy(), [[0, 1, 1, 1, 1]])
    out, segs = tf.nn.isotonic_regression([[1, 3, 2, 4]], decreasing=False)
    assert out.dtype == tf.float64  # int32 input -> float64
    np.testing.assert_array_equal(out.numpy(), [[1, 2.5, 2.5, 4]])
    x = RNG.standard_normal((3, 6))
    out, _ = tf.nn.isotonic_regression(x, axis=0)
    assert np.all(np.diff(out.numpy(), axis=0) <= 1e-12)
    grad_check(lambda t: tf.nn.isotonic_regression(t).output, x)


def _ctc_brute_force(logits, label, t_len, blank):
    """-log of the summed probability of every alignment that collapses to ``label``."""
    import itertools

    p = _softmax(logits[:t_len])
    total = 0.0
    for path in itertools.product(range(logits.shape[-1]), repeat=t_len):
        out = [c for i, c in enumerate(path) if c != blank and (i == 0 or c != path[i - 1])]
        if out == list(label):
            total += np.prod([p[t, c] for t, c in enumerate(path)])
    return -np.log(total)


def test_ctc_loss_matches_brute_force_and_gradient():
    logits = RNG.standard_normal((5, 3, 3))  # time-major [T, B, C]
    codes = np.array([[0, 1], [1, 1], [1, 0]])  # indices into the non-blank classes
    label_len, logit_len = np.array([2, 2, 1]), np.array([5, 4, 3])
    for blank in [0, 1, -1]:
        b = blank % 3
        nonblank = np.array([c for c in range(3) if c != b])
        labels = nonblank[codes].astype(np.int32)
        got = tf.nn.ctc_loss(labels, logits, label_len, logit_len, blank_index=blank).numpy()
        want = [
            _ctc_brute_force(logits[:, i], labels[i, : label_len[i]], logit_len[i], b)
            for i in range(3)
        ]
        np.testing.assert_allclose(got, want, rtol=1e-10)
    labels = codes.astype(np.int32)
    grad_check(lambda t: tf.nn.ctc_loss(labels, t, label_len, logit_len, blank_index=-1), logits)
    batch_major = tf.nn.ctc_loss(
        labels,
        np.transpose(logits, (1, 0, 2)),
        label_len,
        logit_len,
        logits_time_major=False,
        blank_index=-1,
    )
    np.testing.assert_allclose(
        batch_major.numpy(),
        tf.nn.ctc_loss(labels, logits, label_len, logit_len, blank_index=-1).numpy(),
    )


def test_v1_softmax_cross_entropy_stops_label_gradient():
    labels, logits = tf.constant([[0.2, 0.8]]), tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as tape:
        tape.watch([labels, logits])
        y = tf.compat.v1.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    g_labels, g_logits = tape.gradient(y, [labels, logits])
    assert g_labels is None
    np.testing.assert_allclose(
        g_logits.numpy(), _softmax(np.array([[1.0, 2.0]])) - [[0.2, 0.8]], rtol=1e-6
    )
