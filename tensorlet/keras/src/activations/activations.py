"""``keras.activations``: elementwise activation functions, as Keras' TF backend computes them."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    clip_ops,
    math_ops,
    nn_ops,
    reduction_ops,
    sort_ops,
    unary_math_ops,
)


def _t(x):
    return backend.convert_to_tensor(x)


def _const(v, x):
    return backend.convert_to_tensor(v, dtype=x.dtype.name)


@keras_export("keras.activations.relu")
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """``max(x, 0)``, with an optional slope below ``threshold`` and a cap at ``max_value``.

    Args:
        x: input tensor.
        negative_slope: slope for values below the threshold (default 0.0).
        max_value: saturation value (default None: no cap).
        threshold: values below it are damped or zeroed (default 0.0).

    Example:
        >>> keras.activations.relu([-1.0, 0.5, 8.0], max_value=6.0).numpy()
        array([0. , 0.5, 6. ], dtype=float32)
    """
    x = _t(x)
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return nn_ops.leaky_relu(x, alpha=negative_slope)
        negative_part = nn_ops.relu(-x + threshold) if threshold != 0 else nn_ops.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = array_ops.where(x > _const(threshold, x), x, array_creation_ops.zeros_like(x))
    elif max_value == 6:
        x = nn_ops.relu6(x)
        clip_max = False
    else:
        x = nn_ops.relu(x)
    if clip_max:
        x = clip_ops.clip_by_value(x, _const(0.0, x), _const(max_value, x))
    if negative_slope != 0.0:
        x = x - negative_slope * negative_part
    return x


@keras_export("keras.activations.leaky_relu")
def leaky_relu(x, negative_slope=0.2):
    """``x`` for ``x >= 0``, ``negative_slope * x`` otherwise."""
    return nn_ops.leaky_relu(_t(x), alpha=negative_slope)


@keras_export("keras.activations.relu6")
def relu6(x):
    """``min(max(x, 0), 6)``."""
    return nn_ops.relu6(_t(x))


@keras_export("keras.activations.elu")
def elu(x, alpha=1.0):
    """``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` otherwise."""
    x = _t(x)
    res = nn_ops.elu(x)
    if alpha == 1:
        return res
    return array_ops.where(x > 0, res, alpha * res)


@keras_export("keras.activations.selu")
def selu(x):
    """Scaled ELU (Klambauer et al. 2017): ``scale * elu(x, alpha)``."""
    return nn_ops.selu(_t(x))


@keras_export("keras.activations.softplus")
def softplus(x):
    """``log(exp(x) + 1)``."""
    return unary_math_ops.softplus(_t(x))


@keras_export("keras.activations.softsign")
def softsign(x):
    """``x / (abs(x) + 1)``."""
    return unary_math_ops.softsign(_t(x))


@keras_export("keras.activations.soft_shrink")
def soft_shrink(x, threshold=0.5):
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0."""
    x = _t(x)
    zeros = array_creation_ops.zeros_like(x)
    return array_ops.where(
        x > threshold, x - threshold, array_ops.where(x < -threshold, x + threshold, zeros)
    )


@keras_export("keras.activations.sparse_plus")
def sparse_plus(x):
    """0 for ``x <= -1``, ``(x + 1)**2 / 4`` for ``-1 < x < 1``, ``x`` for ``x >= 1``."""
    x = _t(x)
    return array_ops.where(
        x <= -1,
        array_creation_ops.zeros_like(x),
        array_ops.where(x < 1, (1 / 4) * math_ops.pow(x + 1, 2), x),
    )


@keras_export("keras.activations.silu", "keras.activations.swish")
def silu(x):
    """``x * sigmoid(x)``."""
    return nn_ops.silu(_t(x))


@keras_export("keras.activations.squareplus")
def squareplus(x, b=4):
    """``(x + sqrt(x**2 + b)) / 2``."""
    x = _t(x)
    b = _const(b, x)
    return (x + unary_math_ops.sqrt(unary_math_ops.square(x) + b)) / 2


@keras_export("keras.activations.gelu")
def gelu(x, approximate=False):
    """Gaussian error linear unit: ``x * P(X <= x)``, ``X ~ N(0, 1)`` (tanh form if ``approximate``)."""
    return nn_ops.gelu(_t(x), approximate=approximate)


@keras_export("keras.activations.celu")
def celu(x, alpha=1.0):
    """``max(x, 0) + alpha * expm1(min(x, 0) / alpha)``."""
    x = _t(x)
    return math_ops.maximum(x, 0.0) + alpha * unary_math_ops.expm1(math_ops.minimum(x, 0.0) / alpha)


@keras_export("keras.activations.glu")
def glu(x, axis=-1):
    """Gated linear unit: split ``x`` in halves ``a, b`` along ``axis``; ``a * sigmoid(b)``."""
    x = _t(x)
    if x.shape[axis] is not None and x.shape[axis] % 2 != 0:
        raise ValueError(
            "axis size must be divisible by 2. Received: "
            f"x.shape={tuple(x.shape.as_list())} with axis={axis}"
        )
    x1, x2 = array_ops.split(x, 2, axis=axis)
    return x1 * unary_math_ops.sigmoid(x2)


@keras_export("keras.activations.tanh")
def tanh(x):
    """Hyperbolic tangent."""
    return unary_math_ops.tanh(_t(x))


@keras_export("keras.activations.tanh_shrink")
def tanh_shrink(x):
    """``x - tanh(x)``."""
    x = _t(x)
    return x - unary_math_ops.tanh(x)


@keras_export("keras.activations.hard_tanh")
def hard_tanh(x):
    """``x`` clipped to ``[-1, 1]``."""
    return clip_ops.clip_by_value(_t(x), -1.0, 1.0)


@keras_export("keras.activations.sigmoid")
def sigmoid(x):
    """``1 / (1 + exp(-x))``; the output remembers its logits (``_keras_logits``), as in Keras."""
    x = _t(x)
    out = unary_math_ops.sigmoid(x)
    _remember_logits(out, x)
    return out


@keras_export("keras.activations.exponential")
def exponential(x):
    """``exp(x)``."""
    return unary_math_ops.exp(_t(x))


@keras_export("keras.activations.hard_sigmoid")
def hard_sigmoid(x):
    """``relu6(x + 3) / 6``: 0 below -3, 1 above 3, linear in between."""
    x = _t(x)
    return nn_ops.relu6(x + _const(3.0, x)) / _const(6.0, x)


@keras_export("keras.activations.hard_silu", "keras.activations.hard_swish")
def hard_silu(x):
    """``x * hard_sigmoid(x)``."""
    x = _t(x)
    return x * hard_sigmoid(x)


@keras_export("keras.activations.linear")
def linear(x):
    """The identity: returns ``x`` unchanged."""
    return x


@keras_export("keras.activations.mish")
def mish(x):
    """``x * tanh(softplus(x))`` (Misra 2019)."""
    x = _t(x)
    return x * unary_math_ops.tanh(unary_math_ops.softplus(x))


@keras_export("keras.activations.log_softmax")
def log_softmax(x, axis=-1):
    """``x - log(sum(exp(x)))`` along ``axis``."""
    return nn_ops.log_softmax(_t(x), axis=axis)


@keras_export("keras.activations.softmax")
def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x))`` along ``axis``; remembers its logits (``_keras_logits``)."""
    x = _t(x)
    if isinstance(axis, (tuple, list)):
        out = unary_math_ops.exp(x - reduction_ops.reduce_logsumexp(x, axis=axis, keepdims=True))
    else:
        out = nn_ops.softmax(x, axis=axis)
    _remember_logits(out, x)
    return out


@keras_export("keras.activations.sparsemax")
def sparsemax(x, axis=-1):
    """The Euclidean projection of ``x`` on the probability simplex (Martins & Astudillo 2016)."""
    logits = _t(x)
    logits_sorted = -1.0 * sort_ops.sort(logits * -1.0, axis=axis)
    logits_cumsum = reduction_ops.cumsum(logits_sorted, axis=axis)
    n = logits.shape[axis]
    r = array_creation_ops.range(1, n + 1, dtype=logits.dtype)
    r_shape = [1] * logits.shape.rank
    r_shape[axis] = -1
    r = array_ops.reshape(r, r_shape)
    support = logits_sorted - (logits_cumsum - 1) / r > 0
    logits_cumsum_safe = array_ops.where(
        support, logits_cumsum, array_creation_ops.zeros_like(logits_cumsum)
    )
    k = reduction_ops.reduce_sum(math_ops.cast(support, logits.dtype), axis=axis, keepdims=True)
    # Keras 3.15 sums the cumulative sums over the support (not the k-th one): kept for parity
    tau = (reduction_ops.reduce_sum(logits_cumsum_safe, axis=axis, keepdims=True) - 1) / k
    return math_ops.maximum(logits - tau, 0.0)


@keras_export("keras.activations.threshold")
def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, ``default_value`` elsewhere."""
    x = _t(x)
    return array_ops.where(x > threshold, x, _const(default_value, x))


@keras_export("keras.activations.hard_shrink")
def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, 0 elsewhere."""
    x = _t(x)
    return array_ops.where(unary_math_ops.abs(x) > threshold, x, array_creation_ops.zeros_like(x))


@keras_export("keras.activations.log_sigmoid")
def log_sigmoid(x):
    """``log(sigmoid(x))``, computed stably."""
    return unary_math_ops.log_sigmoid(_t(x))


def _remember_logits(out, logits):
    try:
        out._keras_logits = logits
    except AttributeError:  # tensors with __slots__
        pass
