"""keras.backend's Keras 2 functions (keras.src.legacy.backend) against NumPy: element-wise math,
reductions, dot/batch_dot, shapes, padding/resizing, conv/pool, losses, CTC, control flow,
variables, randomness, errors; plus tf.function, GradientTape and the corpus uses (K.dot in a
layer, K.mean/K.square in a loss, K.exp in a scheduler)."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import backend as K
from tensorlet.keras.src.legacy import backend as legacy

RNG = np.random.RandomState(0)
X = RNG.randn(3, 4).astype(np.float32)
Y = RNG.randn(3, 4).astype(np.float32)
POS = RNG.uniform(0.1, 2.0, (3, 4)).astype(np.float32)
EPS = 1e-7


def _np(t):
    return np.asarray(t.numpy() if hasattr(t, "numpy") else t)


def _close(a, b, tol=1e-5):
    np.testing.assert_allclose(_np(a), b, rtol=tol, atol=tol)


# ---------------------------------------------------------------- element-wise


UNARY = [
    ("abs", X, np.abs),
    ("cos", X, np.cos),
    ("sin", X, np.sin),
    ("exp", X, np.exp),
    ("log", POS, np.log),
    ("round", np.array([0.5, 1.5, 2.5, -0.5, 1.2], np.float32), np.round),
    ("sign", X, np.sign),
    ("sqrt", X, lambda x: np.sqrt(np.maximum(x, 0))),
    ("square", X, np.square),
    ("tanh", X, np.tanh),
    ("sigmoid", X, lambda x: 1 / (1 + np.exp(-x))),
    ("hard_sigmoid", X, lambda x: np.clip(0.2 * x + 0.5, 0, 1)),
    ("softplus", X, lambda x: np.log1p(np.exp(x))),
    ("softsign", X, lambda x: x / (1 + np.abs(x))),
    ("elu", X, lambda x: np.where(x > 0, x, np.exp(x) - 1)),
    ("relu", X, lambda x: np.maximum(x, 0)),
    ("flatten", X, lambda x: x.reshape(-1)),
    ("transpose", X, lambda x: x.T),
    ("zeros_like", X, np.zeros_like),
    ("ones_like", X, np.ones_like),
    ("stop_gradient", X, lambda x: x),
]


@pytest.mark.parametrize("name,x,ref", UNARY, ids=[u[0] for u in UNARY])
def test_unary_vs_numpy(name, x, ref):
    out = getattr(K, name)(tf.constant(x))
    assert out.dtype == tf.float32
    _close(out, ref(x))


BINARY = [
    ("maximum", np.maximum),
    ("minimum", np.minimum),
    ("equal", np.equal),
    ("not_equal", np.not_equal),
    ("greater", np.greater),
    ("greater_equal", np.greater_equal),
    ("less", np.less),
    ("less_equal", np.less_equal),
]


@pytest.mark.parametrize("name,ref", BINARY, ids=[b[0] for b in BINARY])
def test_binary_vs_numpy(name, ref):
    y = Y.copy()
    y[0, 0] = X[0, 0]
    np.testing.assert_array_equal(_np(getattr(K, name)(tf.constant(X), tf.constant(y))), ref(X, y))


def test_pow_clip_and_elu_alpha():
    _close(K.pow(tf.constant(POS), 3), POS**3, 1e-4)
    _close(K.clip(tf.constant(X), -0.5, 0.5), np.clip(X, -0.5, 0.5))
    _close(K.clip(tf.constant(X), 0.5, -1.0), np.full_like(X, 0.5))  # max raised to min
    _close(K.clip(tf.constant(X), None, 0.0), np.minimum(X, 0))
    _close(K.elu(tf.constant(X), alpha=0.5), np.where(X > 0, X, 0.5 * (np.exp(X) - 1)))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"alpha": 0.1},
        {"max_value": 1.0},
        {"max_value": 6.0},
        {"threshold": 0.5},
        {"alpha": 0.1, "max_value": 1.0, "threshold": 0.5},
        {"alpha": 0.2, "threshold": -0.3},
    ],
)
def test_relu_options(kwargs):
    alpha, max_value, threshold = (
        kwargs.get("alpha", 0.0),
        kwargs.get("max_value"),
        kwargs.get("threshold", 0.0),
    )
    x = np.linspace(-8, 8, 33).astype(np.float32)
    if alpha and max_value is None and threshold == 0:
        ref = np.where(x >= 0, x, alpha * x)
    else:
        ref = np.where(x > threshold, x, 0.0) if threshold else np.maximum(x, 0)
        if max_value is not None:
            ref = np.minimum(ref, max_value)
        ref = ref - alpha * np.maximum(threshold - x, 0)
    _close(K.relu(tf.constant(x), **kwargs), ref)


def test_softmax_axes_and_logits():
    out = K.softmax(tf.constant(X))
    e = np.exp(X - X.max(-1, keepdims=True))
    _close(out, e / e.sum(-1, keepdims=True))
    assert out._keras_logits.shape == (3, 4)
    x3 = RNG.randn(2, 3, 4).astype(np.float32)
    e = np.exp(x3 - x3.max((1, 2), keepdims=True))
    _close(K.softmax(tf.constant(x3), axis=(1, 2)), e / e.sum((1, 2), keepdims=True))
    with pytest.raises(ValueError, match="Cannot apply softmax to a tensor that is 1D"):
        K.softmax(tf.constant([1.0, 2.0]))


def test_l2_normalize():
    _close(K.l2_normalize(tf.constant(X), axis=1), X / np.linalg.norm(X, axis=1, keepdims=True))


# ---------------------------------------------------------------- reductions


REDUCTIONS = [
    ("max", np.max),
    ("min", np.min),
    ("sum", np.sum),
    ("prod", np.prod),
    ("mean", np.mean),
    ("std", np.std),
    ("var", np.var),
]


@pytest.mark.parametrize("name,ref", REDUCTIONS, ids=[r[0] for r in REDUCTIONS])
@pytest.mark.parametrize("axis,keepdims", [(None, False), (0, False), (-1, True), (1, False)])
def test_reductions(name, ref, axis, keepdims):
    out = getattr(K, name)(tf.constant(X), axis=axis, keepdims=keepdims)
    _close(out, ref(X, axis=axis, keepdims=keepdims), 1e-4)


def test_bool_reductions():
    b = X > 0
    np.testing.assert_array_equal(_np(K.all(tf.constant(X), axis=1)), (X != 0).all(1))
    np.testing.assert_array_equal(_np(K.any(tf.constant(b), axis=0)), b.any(0))
    m = K.mean(tf.constant(b))  # booleans averaged as floatx
    assert m.dtype == tf.float32
    _close(m, b.mean())
    assert K.std(tf.constant(b)).dtype == tf.float32
    assert K.var(tf.constant(b), axis=0).shape == (4,)


def test_argmax_argmin_cumsum_cumprod():
    np.testing.assert_array_equal(_np(K.argmax(tf.constant(X))), X.argmax(-1))
    np.testing.assert_array_equal(_np(K.argmin(tf.constant(X), axis=0)), X.argmin(0))
    _close(K.cumsum(tf.constant(X)), X.cumsum(0))
    _close(K.cumprod(tf.constant(POS), axis=1), POS.cumprod(1), 1e-4)


# ---------------------------------------------------------------- dot products


@pytest.mark.parametrize(
    "xs,ys",
    [
        ((2, 3), (3, 4)),
        ((2, 5, 3), (3, 4)),
        ((2, 3), (6, 3, 4)),
        ((2, 5, 3), (6, 3, 4)),
        ((7, 2, 5, 3), (3, 2)),
    ],
)
def test_dot_matches_keras2_contraction(xs, ys):
    a = RNG.randn(*xs).astype(np.float32)
    b = RNG.randn(*ys).astype(np.float32)
    # Keras 2: the last axis of x with the second-to-last axis of y
    ref = np.tensordot(a, b, axes=([-1], [len(ys) - 2 if len(ys) > 1 else 0]))
    _close(K.dot(tf.constant(a), tf.constant(b)), ref, 1e-4)


def test_dot_accepts_variables():
    w = tf.Variable(Y.T.copy())
    _close(K.dot(tf.constant(X), w), X @ Y.T, 1e-4)
    kv = tf.keras.Variable(Y.T.copy())
    _close(K.dot(tf.constant(X), kv), X @ Y.T, 1e-4)


def _batch_dot_ref(x, y, axes):
    out = [np.tensordot(x[i], y[i], axes=(axes[0] - 1, axes[1] - 1)) for i in range(x.shape[0])]
    out = np.stack(out)
    return out if out.ndim > 1 else out[:, None]


@pytest.mark.parametrize(
    "xs,ys,axes",
    [
        ((32, 20, 1), (32, 30, 20), (1, 2)),
        ((4, 5), (4, 5), None),
        ((4, 5), (4, 5, 6), None),
        ((4, 3, 5), (4, 5), None),
        ((4, 3, 5), (4, 6, 5), 2),
        ((4, 2, 3, 5), (4, 5, 6), (3, 1)),
        ((4, 3, 5), (4, 6, 5, 2), (2, 2)),
    ],
)
def test_batch_dot(xs, ys, axes):
    a = RNG.randn(*xs).astype(np.float32)
    b = RNG.randn(*ys).astype(np.float32)
    if axes is None:
        ax = [len(xs) - 1, len(ys) - 1] if len(ys) == 2 else [len(xs) - 1, len(ys) - 2]
    elif isinstance(axes, int):
        ax = [axes, axes]
    else:
        ax = list(axes)
    _close(K.batch_dot(tf.constant(a), tf.constant(b), axes), _batch_dot_ref(a, b, ax), 1e-4)


@pytest.mark.parametrize(
    "xs,ys,axes,match",
    [
        ((4,), (4, 5), None, "rank < 2"),
        ((4, 5), (3, 5), None, "different batch sizes"),
        ((4, 5), (4, 5), 0, "axis 0"),
        ((4, 5), (4, 6), None, r"x.shape\[1\] != y.shape\[1\] \(5 != 6\)"),
        ((4, 5), (4, 5), ([1], [1]), "Multiple target dimensions"),
    ],
)
def test_batch_dot_errors(xs, ys, axes, match):
    with pytest.raises(ValueError, match=match):
        K.batch_dot(tf.ones(xs), tf.ones(ys), axes)


def test_permute_and_reshape_family():
    a = RNG.randn(2, 3, 4).astype(np.float32)
    _close(K.permute_dimensions(tf.constant(a), (2, 0, 1)), a.transpose(2, 0, 1))
    _close(K.reshape(tf.constant(a), (6, 4)), a.reshape(6, 4))
    _close(K.batch_flatten(tf.constant(a)), a.reshape(2, 12))
    _close(K.expand_dims(tf.constant(a)), a[..., None])
    _close(K.squeeze(tf.constant(a[:, :1]), 1), a[:, 0])
    _close(K.stack([tf.constant(X), tf.constant(Y)], axis=1), np.stack([X, Y], 1))
    _close(K.concatenate([tf.constant(X), tf.constant(Y)]), np.concatenate([X, Y], -1))
    _close(K.concatenate([tf.constant(X), tf.constant(Y)], axis=0), np.concatenate([X, Y], 0))
    _close(K.tile(tf.constant(X), (2, 1)), np.tile(X, (2, 1)))
    _close(K.tile(tf.constant([1.0, 2.0]), 3), np.tile([1.0, 2.0], 3))
    _close(K.repeat(tf.constant(X), 2), np.repeat(X[:, None], 2, axis=1))
    _close(K.reverse(tf.constant(X), 1), X[:, ::-1])
    _close(K.reverse(tf.constant(X), [0, 1]), X[::-1, ::-1])
    _close(K.gather(tf.constant(X), tf.constant([2, 0])), X[[2, 0]])
    _close(K.one_hot(tf.constant([0, 2]), 3), np.eye(3)[[0, 2]])


@pytest.mark.parametrize("axis", [0, 1, 2])
def test_repeat_elements(axis):
    a = RNG.randn(2, 3, 4).astype(np.float32)
    _close(K.repeat_elements(tf.constant(a), 3, axis), np.repeat(a, 3, axis=axis))


def test_repeat_elements_unknown_length_in_tf_function():
    f = tf.function(
        lambda x: K.repeat_elements(x, 2, 1), input_signature=[tf.TensorSpec([2, None], tf.float32)]
    )
    _close(f(tf.constant(X[:2])), np.repeat(X[:2], 2, axis=1))


def test_shapes_and_dtypes():
    v = tf.Variable(X)
    assert K.int_shape(v) == (3, 4)
    assert K.int_shape(tf.keras.Variable(X)) == (3, 4)
    assert K.ndim(v) == 2 and K.ndim(tf.keras.Variable(X)) == 2
    assert K.dtype(v) == "float32" and K.dtype(tf.constant([1], tf.int64)) == "int64"
    assert K.dtype(tf.keras.Variable(X)) == "float32"
    assert int(K.count_params(v)) == 12
    np.testing.assert_array_equal(_np(K.shape(v)), [3, 4])
    assert K.shape(v).dtype == tf.int32
    assert K.cast(tf.constant(X), "float16").dtype == tf.float16
    assert K.cast_to_floatx([1, 2]).dtype == np.float32
    assert K.cast_to_floatx(tf.constant([1, 2])).dtype == tf.float32


def test_arange():
    np.testing.assert_array_equal(_np(K.arange(5)), np.arange(5))
    assert K.arange(-3).shape == (0,)  # a single negative bound: empty
    out = K.arange(1, 6, 2, dtype="float32")
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(_np(out), [1, 3, 5])
    assert K.arange(3).dtype == tf.int32


# ---------------------------------------------------------------- padding / resizing


def test_paddings():
    a = RNG.randn(2, 3, 4).astype(np.float32)
    _close(K.temporal_padding(tf.constant(a), (1, 2)), np.pad(a, [(0, 0), (1, 2), (0, 0)]))
    b = RNG.randn(1, 2, 3, 2).astype(np.float32)
    _close(K.spatial_2d_padding(tf.constant(b)), np.pad(b, [(0, 0), (1, 1), (1, 1), (0, 0)]))
    _close(
        K.spatial_2d_padding(tf.constant(b), ((0, 1), (2, 0)), "channels_first"),
        np.pad(b, [(0, 0), (0, 0), (0, 1), (2, 0)]),
    )
    c = RNG.randn(1, 2, 2, 2, 1).astype(np.float32)
    _close(K.spatial_3d_padding(tf.constant(c)), np.pad(c, [(0, 0)] + [(1, 1)] * 3 + [(0, 0)]))
    _close(
        K.spatial_3d_padding(tf.constant(c), data_format="channels_first"),
        np.pad(c, [(0, 0), (0, 0)] + [(1, 1)] * 3),
    )
    with pytest.raises(ValueError, match="Unknown data_format"):
        K.spatial_2d_padding(tf.constant(b), data_format="nhwc")


def test_resize_images_and_volumes():
    a = RNG.randn(1, 2, 3, 2).astype(np.float32)
    out = K.resize_images(tf.constant(a), 2, 3, "channels_last")
    _close(out, a.repeat(2, axis=1).repeat(3, axis=2))
    af = a.transpose(0, 3, 1, 2)
    _close(
        K.resize_images(tf.constant(af), 2, 2, "channels_first"),
        af.repeat(2, axis=2).repeat(2, axis=3),
    )
    assert K.resize_images(tf.constant(a), 2, 2, "channels_last", "bilinear").shape == (1, 4, 6, 2)
    with pytest.raises(ValueError, match="`interpolation` argument should be one of"):
        K.resize_images(tf.constant(a), 2, 2, "channels_last", "cubic")
    with pytest.raises(ValueError, match="Invalid `data_format` argument"):
        K.resize_images(tf.constant(a), 2, 2, None)
    v = RNG.randn(1, 2, 2, 2, 1).astype(np.float32)
    _close(
        K.resize_volumes(tf.constant(v), 2, 1, 3, "channels_last"),
        v.repeat(2, 1).repeat(1, 2).repeat(3, 3),
    )
    with pytest.raises(ValueError, match="Invalid data_format"):
        K.resize_volumes(tf.constant(v), 2, 2, 2, "x")


# ---------------------------------------------------------------- conv / pool / bias / BN


def _conv2d_ref(x, k, stride=1):
    n, h, w, _ = x.shape
    kh, kw, _, co = k.shape
    oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    out = np.zeros((n, oh, ow, co), np.float32)
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * stride : i * stride + kh, j * stride : j * stride + kw, :]
            out[:, i, j] = np.tensordot(patch, k, axes=([1, 2, 3], [0, 1, 2]))
    return out


def test_conv2d_formats():
    x = RNG.randn(2, 5, 6, 3).astype(np.float32)
    k = RNG.randn(3, 2, 3, 4).astype(np.float32)
    ref = _conv2d_ref(x, k)
    _close(K.conv2d(tf.constant(x), tf.constant(k)), ref, 1e-4)
    # channels_first runs as NCHW, which TF's CPU kernels refuse
    with pytest.raises(tf.errors.UnimplementedError, match="NHWC"):
        K.conv2d(tf.constant(x.transpose(0, 3, 1, 2)), tf.constant(k), data_format="channels_first")
    assert K.conv2d(tf.constant(x), tf.constant(k), padding="same").shape == (2, 5, 6, 4)
    assert K.conv2d(tf.constant(x), tf.constant(k), strides=(2, 2)).shape == (2, 2, 3, 4)
    with pytest.raises(ValueError, match="Invalid padding"):
        K.conv2d(tf.constant(x), tf.constant(k), padding="full")


def test_conv1d_causal_and_conv3d():
    x = RNG.randn(2, 7, 3).astype(np.float32)
    k = RNG.randn(3, 3, 4).astype(np.float32)
    out = K.conv1d(tf.constant(x), tf.constant(k), padding="causal", dilation_rate=2)
    xp_ = np.pad(x, [(0, 0), (4, 0), (0, 0)])
    ref = np.stack([sum(xp_[:, t + 2 * i] @ k[i] for i in range(3)) for t in range(7)], 1)
    _close(out, ref, 1e-4)
    v = RNG.randn(1, 4, 4, 4, 2).astype(np.float32)
    kv = RNG.randn(2, 2, 2, 2, 3).astype(np.float32)
    assert K.conv3d(tf.constant(v), tf.constant(kv)).shape == (1, 3, 3, 3, 3)
    with pytest.raises(tf.errors.UnimplementedError, match="NDHWC"):
        K.conv3d(
            tf.constant(v.transpose(0, 4, 1, 2, 3)), tf.constant(kv), data_format="channels_first"
        )


def test_conv2d_transpose_depthwise_separable():
    x = RNG.randn(2, 3, 3, 4).astype(np.float32)
    k = RNG.randn(3, 3, 2, 4).astype(np.float32)
    out = K.conv2d_transpose(tf.constant(x), tf.constant(k), (None, 5, 5, 2))
    assert out.shape == (2, 5, 5, 2)
    # transposed conv = gradient of conv: <conv(y), x> == <y, conv_t(x)>
    y = RNG.randn(2, 5, 5, 2).astype(np.float32)
    lhs = (_conv2d_ref(y, k) * x).sum()
    _close(np.asarray((_np(out) * y).sum()), lhs, 1e-3)
    with pytest.raises(tf.errors.UnimplementedError, match="NHWC"):
        K.conv2d_transpose(
            tf.constant(x.transpose(0, 3, 1, 2)),
            tf.constant(k),
            (2, 2, 5, 5),
            data_format="channels_first",
        )
    # with a dilation, channels_first inputs are transposed to NHWC first
    outd = K.conv2d_transpose(
        tf.constant(x.transpose(0, 3, 1, 2)),
        tf.constant(k),
        (2, 2, 7, 7),
        data_format="channels_first",
        dilation_rate=(2, 2),
    )
    assert outd.shape == (2, 2, 7, 7)
    dk = RNG.randn(3, 3, 4, 2).astype(np.float32)
    dw = K.depthwise_conv2d(tf.constant(np.tile(x, (1, 2, 2, 1))), tf.constant(dk))
    assert dw.shape == (2, 4, 4, 8)
    pk = RNG.randn(1, 1, 8, 5).astype(np.float32)
    sep = K.separable_conv2d(
        tf.constant(np.tile(x, (1, 2, 2, 1))), tf.constant(dk), tf.constant(pk)
    )
    _close(sep, np.tensordot(_np(dw), pk[0, 0], axes=1), 1e-4)
    with pytest.raises(ValueError, match="`strides` must be a tuple of 2 integers"):
        K.separable_conv2d(tf.constant(x), tf.constant(dk), tf.constant(pk), strides=(1,))


def test_pooling():
    x = RNG.randn(2, 4, 6, 3).astype(np.float32)
    blocks = x.reshape(2, 2, 2, 3, 2, 3)
    _close(K.pool2d(tf.constant(x), (2, 2), (2, 2)), blocks.max((2, 4)))
    _close(K.pool2d(tf.constant(x), (2, 2), (2, 2), pool_mode="avg"), blocks.mean((2, 4)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="NHWC"):
        K.pool2d(tf.constant(x.transpose(0, 3, 1, 2)), (2, 2), (2, 2), data_format="channels_first")
    with pytest.raises(ValueError, match="Invalid pooling mode"):
        K.pool2d(tf.constant(x), (2, 2), (2, 2), pool_mode="min")
    with pytest.raises(ValueError, match="`pool_size` must be a tuple of 2 integers"):
        K.pool2d(tf.constant(x), (2,), (2, 2))
    v = RNG.randn(1, 4, 4, 4, 2).astype(np.float32)
    vb = v.reshape(1, 2, 2, 2, 2, 2, 2, 2)
    _close(K.pool3d(tf.constant(v), (2, 2, 2), (2, 2, 2)), vb.max((2, 4, 6)))
    _close(K.pool3d(tf.constant(v), (2, 2, 2), (2, 2, 2), pool_mode="avg"), vb.mean((2, 4, 6)))


def test_bias_add_and_batch_normalization():
    x = RNG.randn(2, 3, 4).astype(np.float32)
    b = RNG.randn(4).astype(np.float32)
    _close(K.bias_add(tf.constant(x), tf.constant(b)), x + b)
    b2 = RNG.randn(3, 4).astype(np.float32)
    _close(K.bias_add(tf.constant(x), tf.constant(b2)), x + b2)
    bf = RNG.randn(3).astype(np.float32)
    _close(K.bias_add(tf.constant(x), tf.constant(bf), "channels_first"), x + bf[None, :, None])
    with pytest.raises(ValueError, match="Unexpected bias dimensions 3"):
        K.bias_add(tf.constant(x), tf.ones((1, 2, 3)))
    m, v, beta, gamma = (RNG.rand(4).astype(np.float32) + 0.5 for _ in range(4))
    _close(
        K.batch_normalization(tf.constant(x), m, v, beta, gamma, epsilon=1e-3),
        (x - m) / np.sqrt(v + 1e-3) * gamma + beta,
        1e-4,
    )


# ---------------------------------------------------------------- losses


T_BIN = (RNG.rand(3, 4) > 0.5).astype(np.float32)
P_BIN = RNG.uniform(0.05, 0.95, (3, 4)).astype(np.float32)
T_CAT = np.eye(4, dtype=np.float32)[[1, 3, 0]]
P_CAT = RNG.uniform(0.05, 1.0, (3, 4)).astype(np.float32)


def _bce(t, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p + EPS) + (1 - t) * np.log(1 - p + EPS))


def test_binary_crossentropy():
    _close(K.binary_crossentropy(tf.constant(T_BIN), tf.constant(P_BIN)), _bce(T_BIN, P_BIN))
    logits = RNG.randn(3, 4).astype(np.float32)
    ref = np.maximum(logits, 0) - logits * T_BIN + np.log1p(np.exp(-np.abs(logits)))
    _close(K.binary_crossentropy(tf.constant(T_BIN), tf.constant(logits), from_logits=True), ref)


def test_binary_focal_crossentropy():
    p_t = T_BIN * P_BIN + (1 - T_BIN) * (1 - P_BIN)
    ref = (1 - p_t) ** 2 * _bce(T_BIN, P_BIN)
    _close(K.binary_focal_crossentropy(tf.constant(T_BIN), tf.constant(P_BIN)), ref)
    w = T_BIN * 0.25 + (1 - T_BIN) * 0.75
    _close(
        K.binary_focal_crossentropy(
            tf.constant(T_BIN), tf.constant(P_BIN), apply_class_balancing=True
        ),
        w * ref,
    )


def test_categorical_crossentropies():
    p = np.clip(P_CAT / P_CAT.sum(-1, keepdims=True), EPS, 1 - EPS)
    _close(
        K.categorical_crossentropy(tf.constant(T_CAT), tf.constant(P_CAT)),
        -(T_CAT * np.log(p)).sum(-1),
    )
    logits = RNG.randn(3, 4).astype(np.float32)
    ls = logits - logits.max(-1, keepdims=True)
    ls = ls - np.log(np.exp(ls).sum(-1, keepdims=True))
    _close(
        K.categorical_crossentropy(tf.constant(T_CAT), tf.constant(logits), from_logits=True),
        -(T_CAT * ls).sum(-1),
    )
    focal = (0.25 * (1 - p) ** 2 * -T_CAT * np.log(p)).sum(-1)
    _close(K.categorical_focal_crossentropy(tf.constant(T_CAT), tf.constant(P_CAT)), focal)
    with pytest.raises(ValueError):
        K.categorical_crossentropy(tf.ones((3, 4)), tf.ones((3, 5)))


def test_sparse_categorical_crossentropy():
    idx = np.array([1, 3, 0])
    p = np.clip(P_CAT, EPS, 1 - EPS)
    logp = np.log(p)
    ls = logp - np.log(np.exp(logp).sum(-1, keepdims=True))
    ref = -ls[np.arange(3), idx]
    _close(K.sparse_categorical_crossentropy(tf.constant(idx), tf.constant(P_CAT)), ref, 1e-4)
    # targets with a trailing 1 axis, and a time axis
    _close(
        K.sparse_categorical_crossentropy(tf.constant(idx[:, None]), tf.constant(P_CAT)), ref, 1e-4
    )
    p3 = np.stack([P_CAT, P_CAT])
    out = K.sparse_categorical_crossentropy(
        tf.constant(np.stack([idx, idx])[..., None]), tf.constant(p3)
    )
    assert out.shape == (2, 3)
    # the class axis first
    _close(
        K.sparse_categorical_crossentropy(tf.constant(idx), tf.constant(P_CAT.T.copy()), axis=0),
        ref,
        1e-4,
    )
    res = K.sparse_categorical_crossentropy(tf.constant(idx), tf.constant(P_CAT), ignore_class=3)
    _close(res, np.where(idx == 3, 0.0, ref), 1e-4)
    np.testing.assert_array_equal(_np(res._keras_mask), idx != 3)


# ---------------------------------------------------------------- CTC


def test_ctc_label_dense_to_sparse():
    labels = np.array([[1, 2, 3], [4, 5, 0]], np.int32)
    sp = K.ctc_label_dense_to_sparse(tf.constant(labels), tf.constant([2, 3]))
    np.testing.assert_array_equal(_np(sp.indices), [[0, 0], [0, 1], [1, 0], [1, 1], [1, 2]])
    np.testing.assert_array_equal(_np(sp.values), [1, 2, 4, 5, 0])
    np.testing.assert_array_equal(_np(sp.dense_shape), [2, 3])


def test_ctc_batch_cost_and_decode():
    # one time step per label with a certain prediction: the loss is ~0 and decoding returns it
    probs = np.full((1, 3, 4), 1e-6, np.float32)
    probs[0, 0, 1] = probs[0, 1, 3] = probs[0, 2, 2] = 1.0  # 1, blank(3), 2
    probs /= probs.sum(-1, keepdims=True)
    loss = K.ctc_batch_cost(
        tf.constant([[1, 2]]), tf.constant(probs), tf.constant([[3]]), tf.constant([[2]])
    )
    assert loss.shape == (1, 1)
    assert float(_np(loss)[0, 0]) < 1e-3
    decoded, log_prob = K.ctc_decode(tf.constant(probs), tf.constant([3]))
    np.testing.assert_array_equal(_np(decoded[0]), [[1, 2, -1]])
    assert log_prob.shape == (1, 1)
    decoded, log_prob = K.ctc_decode(
        tf.constant(probs), tf.constant([3]), greedy=False, beam_width=4, top_paths=2
    )
    assert len(decoded) == 2 and log_prob.shape == (1, 2)
    np.testing.assert_array_equal(_np(decoded[0]), [[1, 2, -1]])
    # the loss grows when the labels disagree with the predictions
    worse = K.ctc_batch_cost(
        tf.constant([[2, 1]]), tf.constant(probs), tf.constant([[3]]), tf.constant([[2]])
    )
    assert float(_np(worse)[0, 0]) > 5


# ---------------------------------------------------------------- control flow


def test_switch():
    c = tf.constant([[True], [False], [True]])
    _close(K.switch(c, tf.constant(X), tf.constant(Y)), np.where(c.numpy(), X, Y))
    _close(K.switch(tf.constant(True), lambda: tf.constant(X), lambda: tf.constant(Y)), X)
    _close(K.switch(tf.constant(0), tf.constant(X), tf.constant(Y)), Y)
    _close(K.switch(tf.constant(X > 0), tf.constant(X), tf.zeros_like(X)), np.maximum(X, 0))
    with pytest.raises(ValueError, match="Rank of `condition` should be less than"):
        K.switch(tf.ones((2, 2, 2)), tf.ones((2, 2)), tf.ones((2, 2)))


def test_map_fn_foldl_foldr():
    a = tf.constant([1.0, 2.0, 3.0])
    _close(K.map_fn(lambda v: v * 2, a), [2, 4, 6])
    _close(K.foldl(lambda acc, v: acc - v, a), 1 - 2 - 3)
    _close(K.foldr(lambda acc, v: acc - v, a), 3 - 2 - 1)
    _close(K.foldl(lambda acc, v: acc + v, a, initializer=tf.constant(10.0)), 16)
    pair = K.map_fn(lambda v: (v[0] + v[1], v[0] * v[1]), (a, a))
    _close(pair[0], [2, 4, 6])
    _close(pair[1], [1, 4, 9])


def test_rnn_matches_a_loop():
    x = RNG.randn(2, 5, 3).astype(np.float32)

    def step(inp, states):
        out = inp + states[0]
        return out, [out]

    last, outputs, states = K.rnn(step, tf.constant(x), [tf.zeros((2, 3))])
    _close(outputs, np.cumsum(x, axis=1))
    _close(last, x.sum(1))
    _close(states[0], x.sum(1))
    mask = np.array([[1, 1, 0, 1, 0], [1, 0, 0, 0, 0]], bool)
    last, outputs, _ = K.rnn(step, tf.constant(x), [tf.zeros((2, 3))], mask=tf.constant(mask))
    _close(last, (x * mask[..., None]).sum(1))
    last, _, _ = K.rnn(step, tf.constant(x), [tf.zeros((2, 3))], go_backwards=True, unroll=True)
    _close(last, x.sum(1))


def test_in_top_k():
    p = tf.constant([[0.1, 0.5, 0.4], [0.3, 0.3, 0.4]])
    np.testing.assert_array_equal(_np(K.in_top_k(p, tf.constant([2, 0]), 1)), [False, False])
    np.testing.assert_array_equal(_np(K.in_top_k(p, tf.constant([2, 0]), 2)), [True, True])


def test_gradients_refused_eagerly():
    with pytest.raises(RuntimeError, match="tf.gradients is not supported when eager execution"):
        K.gradients(tf.constant(1.0), [tf.Variable(1.0)])


def test_name_scope():
    with K.name_scope("block"):
        v = tf.constant(1.0)
    assert float(v) == 1.0


# ---------------------------------------------------------------- variables and values


def test_variable_constant_zeros_ones_eye():
    v = K.variable([[1, 2]], name="w")
    assert isinstance(v, tf.Variable) and v.dtype == tf.float32
    assert K.variable([1, 2], dtype="int32").dtype == tf.int32
    c = K.constant(3)
    assert c.dtype == tf.float32 and float(c) == 3.0
    assert K.constant(1, shape=(2, 2)).shape == (2, 2)
    z = K.zeros((2, 3))
    assert isinstance(z, tf.Variable)
    np.testing.assert_array_equal(z.numpy(), np.zeros((2, 3)))
    o = K.ones((2,), dtype="float64")
    assert isinstance(o, tf.Variable) and o.dtype == tf.float64
    empty = K.zeros((0, 3))  # a zero dimension gives a tensor, not a variable
    assert not isinstance(empty, tf.Variable) and empty.shape == (0, 3)
    e = K.eye(3)
    assert isinstance(e, tf.Variable)
    np.testing.assert_array_equal(e.numpy(), np.eye(3))


def test_values_and_updates():
    v = tf.Variable([1.0, 2.0])
    np.testing.assert_array_equal(K.get_value(v), [1.0, 2.0])
    assert K.get_value(3) == 3
    np.testing.assert_array_equal(K.eval(tf.constant([1, 2])), [1, 2])
    K.set_value(v, [3, 4])
    np.testing.assert_array_equal(v.numpy(), [3.0, 4.0])
    w = tf.Variable([0, 0])
    K.batch_set_value([(v, [5.0, 6.0]), (w, np.array([1, 2]))])
    assert [list(a) for a in K.batch_get_value([v, w])] == [[5.0, 6.0], [1, 2]]
    K.update(v, [1.0, 1.0])
    K.update_add(v, [1.0, 2.0])
    K.update_sub(v, [0.5, 0.5])
    np.testing.assert_array_equal(v.numpy(), [1.5, 2.5])
    K.moving_average_update(v, tf.constant([0.0, 0.0]), 0.9)
    _close(v, [1.35, 2.25])
    kv = tf.keras.Variable([1.0, 2.0])
    np.testing.assert_array_equal(K.get_value(kv), [1.0, 2.0])
    K.set_value(kv, [7, 8])
    np.testing.assert_array_equal(kv.numpy(), [7.0, 8.0])


def test_sparse_helpers():
    sp = tf.SparseTensor([[0, 1]], [2.0], [2, 2])
    assert K.is_sparse(sp) and not K.is_sparse(tf.constant(X))
    np.testing.assert_array_equal(_np(K.to_dense(sp)), [[0, 2], [0, 0]])
    np.testing.assert_array_equal(K.eval(sp), [[0, 2], [0, 0]])
    x = tf.constant(X)
    assert K.to_dense(x) is x
    cat = K.concatenate([sp, sp], axis=0)
    assert K.is_sparse(cat)
    np.testing.assert_array_equal(_np(K.to_dense(cat)), [[0, 2], [0, 0], [0, 2], [0, 0]])
    _close(K.dot(sp, tf.constant(np.eye(2, dtype=np.float32))), [[0, 2], [0, 0]])


def test_random_functions():
    for fn, kw in [
        (K.random_uniform, {}),
        (K.random_normal, {}),
        (K.truncated_normal, {}),
        (K.random_bernoulli, {"p": 0.5}),
    ]:
        out = fn((200, 50), seed=3, **kw)
        assert out.shape == (200, 50) and out.dtype == tf.float32
        # as TF eager: a repeated op seed continues the sequence
        assert not np.array_equal(out.numpy(), fn((200, 50), seed=3, **kw).numpy())
    u = K.random_uniform((1000,), -2.0, 3.0).numpy()
    assert u.min() >= -2 and u.max() < 3 and abs(u.mean() - 0.5) < 0.2
    t = K.truncated_normal((1000,), stddev=2.0).numpy()
    assert np.abs(t).max() <= 4.0
    b = K.random_bernoulli((1000,), p=0.3).numpy()
    assert set(np.unique(b)) <= {0.0, 1.0} and abs(b.mean() - 0.3) < 0.06
    assert K.random_normal((2,), dtype="float64").dtype == tf.float64
    nv = K.random_normal_variable((300,), 1.0, 0.5, seed=1)
    assert isinstance(nv, tf.Variable) and abs(nv.numpy().mean() - 1.0) < 0.15
    uv = K.random_uniform_variable((300,), 2.0, 3.0)
    assert isinstance(uv, tf.Variable) and uv.numpy().min() >= 2.0


def test_unseeded_randomness_draws_the_op_seed_from_numpy():
    np.random.seed(5)
    expected = np.random.randint(10e6)
    np.random.seed(5)
    K.random_uniform((4,))
    assert np.random.randint(10e6) != expected  # the call consumed NumPy's first draw
    np.random.seed(5)
    np.random.randint(10e6)
    after_one = np.random.randint(10e6)
    np.random.seed(5)
    K.dropout(tf.ones((4,)), 0.5)
    assert np.random.randint(10e6) == after_one


def test_dropout():
    x = tf.ones((1000,))
    out = K.dropout(x, 0.25, seed=2).numpy()
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / 0.75, rtol=1e-6)
    assert abs(kept.mean() - 0.75) < 0.06


# ---------------------------------------------------------------- tracing, gradients, Keras


def test_inside_tf_function_and_gradient_tape():
    @tf.function
    def f(a, b):
        return K.sum(K.square(K.dot(a, b) - 1.0)) + K.mean(K.exp(a))

    a, b = tf.constant(X), tf.constant(Y.T.copy())
    _close(f(a, b), ((X @ Y.T - 1) ** 2).sum() + np.exp(X).mean(), 1e-3)
    w = tf.Variable(Y.T.copy())
    with tf.GradientTape() as tape:
        loss = K.sum(K.square(K.dot(a, w)))
    g = tape.gradient(loss, w)
    _close(g, 2 * X.T @ (X @ Y.T), 1e-3)


def test_custom_layer_with_k_dot():
    class MyLayer(tf.keras.layers.Layer):
        def __init__(self, output_dim, **kwargs):
            self.output_dim = output_dim
            super().__init__(**kwargs)

        def build(self, input_shape):
            self.kernel = self.add_weight(
                name="kernel",
                shape=(input_shape[1], self.output_dim),
                initializer="uniform",
                trainable=True,
            )
            super().build(input_shape)

        def call(self, x):
            return K.dot(x, self.kernel)

    layer = MyLayer(4)
    out = layer(np.ones((2, 3), dtype="float32"))
    assert out.shape == (2, 4)
    _close(out, np.ones((2, 3)) @ layer.kernel.numpy())


def test_custom_loss_and_scheduler_in_fit():
    def custom_loss(y_true, y_pred):
        return K.mean(K.square(y_pred - y_true), axis=-1)

    def scheduler(epoch, lr):
        return lr if epoch < 1 else lr * K.exp(-0.1)

    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss=custom_loss)
    x = RNG.randn(16, 3).astype(np.float32)
    y = RNG.randn(16, 2).astype(np.float32)
    hist = model.fit(
        x, y, epochs=3, verbose=0, callbacks=[tf.keras.callbacks.LearningRateScheduler(scheduler)]
    )
    assert len(hist.history["loss"]) == 3
    np.testing.assert_allclose(
        hist.history["learning_rate"], [0.01, 0.01 * np.exp(-0.1), 0.01 * np.exp(-0.2)], rtol=1e-5
    )


def test_exported_under_keras_backend():
    assert tf.keras.backend.dot is legacy.dot
    assert K.floatx() == "float32" and K.epsilon() == 1e-7  # the Keras 3 functions stay
    for name in (
        "abs",
        "all",
        "any",
        "batch_dot",
        "ctc_decode",
        "rnn",
        "variable",
        "zeros_like",
        "eval",
        "max",
        "min",
        "sum",
        "pow",
        "round",
    ):
        assert getattr(K, name) is getattr(legacy, name)
