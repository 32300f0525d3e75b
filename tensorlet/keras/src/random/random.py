"""``keras.random``: random draws as ``tf.random.stateless_*`` calls (Keras' TF backend).

Every function takes ``seed``: an int (the same values on every call), a ``SeedGenerator``
(new values on each call) or None (the global generator). The int64 seed pair is mapped to the
int32 seed TF's stateless ops take by ``floormod(seed, 2**31 - 2)``.
"""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.random.seed_generator import draw_seed
from tensorlet.ops import (
    array_ops,
    cast_ops,
    gather_ops,
    math_ops,
    random_ops,
    random_sampler_ops,
    sort_ops,
)


def tf_draw_seed(seed):
    """The int32 ``[2]`` seed TF's stateless ops receive."""
    s = draw_seed(seed)
    return cast_ops.cast(math_ops.floormod(s, 2**31 - 2), "int32")


@keras_export("keras.random.normal")
def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Values drawn from a normal distribution ``N(mean, stddev**2)``.

    Example:
        >>> keras.random.normal((2,), seed=42).shape
        TensorShape([2])
    """
    dtype = backend.standardize_dtype(dtype)
    return random_ops.stateless_random_normal(
        shape, tf_draw_seed(seed), mean=mean, stddev=stddev, dtype=dtype
    )


@keras_export("keras.random.uniform")
def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Values drawn uniformly from ``[minval, maxval)`` (float dtypes only)."""
    if dtype and not backend.is_float_dtype(dtype):
        raise ValueError(
            f"`keras.random.uniform` requires a floating point `dtype`. Received: dtype={dtype} "
        )
    dtype = backend.standardize_dtype(dtype)
    return random_ops.stateless_random_uniform(
        shape,
        tf_draw_seed(seed),
        minval=cast_ops.cast(minval, dtype),
        maxval=cast_ops.cast(maxval, dtype),
        dtype=dtype,
    )


@keras_export("keras.random.truncated_normal")
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal values, re-drawn when more than two standard deviations from the mean."""
    dtype = backend.standardize_dtype(dtype)
    return random_ops.stateless_truncated_normal(
        shape, tf_draw_seed(seed), mean=mean, stddev=stddev, dtype=dtype
    )


@keras_export("keras.random.randint")
def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Integers drawn uniformly from ``[minval, maxval)``."""
    dtype = backend.standardize_dtype(dtype)
    if not backend.is_int_dtype(dtype):
        raise ValueError(
            f"`keras.random.randint` requires an integer `dtype`. Received: dtype={dtype} "
        )
    inter = dtype if dtype in ("int32", "int64") else "int64"
    out = random_ops.stateless_random_uniform(
        shape, tf_draw_seed(seed), minval=minval, maxval=maxval, dtype=inter
    )
    return cast_ops.cast(out, dtype)


@keras_export("keras.random.categorical")
def categorical(logits, num_samples, dtype="int32", seed=None):
    """Samples of class indices from the unnormalised log-probabilities ``logits`` [batch, n]."""
    logits = backend.convert_to_tensor(logits)
    if logits.shape.rank != 2:
        raise ValueError(
            "`logits` should be a 2-D tensor with shape [batch_size, num_classes]. "
            f"Received: logits={logits}"
        )
    out = random_ops.stateless_categorical(logits, num_samples, seed=tf_draw_seed(seed))
    return cast_ops.cast(out, backend.standardize_dtype(dtype))


@keras_export("keras.random.dropout")
def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries with probability ``rate`` and scales the others by ``1 / (1 - rate)``."""
    seed = tf_draw_seed(seed)
    inputs = backend.convert_to_tensor(inputs)
    if noise_shape is not None:
        dims = array_ops.shape(inputs)
        noise_shape = [dims[i] if d is None else d for i, d in enumerate(noise_shape)]
    return random_ops.stateless_dropout(inputs, rate=rate, noise_shape=noise_shape, seed=seed)


@keras_export("keras.random.shuffle")
def shuffle(x, axis=0, seed=None):
    """Shuffles ``x`` along ``axis``."""
    seed = tf_draw_seed(seed)
    x = backend.convert_to_tensor(x)
    # Keras 3.15's TF backend: a permutation from argsort of stateless uniform keys
    keys = random_ops.stateless_random_uniform(array_ops.shape(x)[axis : axis + 1], seed)
    return gather_ops.gather(x, sort_ops.argsort(keys), axis=axis)


@keras_export("keras.random.gamma")
def gamma(shape, alpha, dtype=None, seed=None):
    """Values drawn from a gamma distribution with concentration ``alpha``."""
    dtype = backend.standardize_dtype(dtype)
    inter = "float32" if dtype == "bfloat16" else dtype
    out = random_sampler_ops.stateless_random_gamma(
        shape, seed=tf_draw_seed(seed), alpha=alpha, dtype=inter
    )
    return cast_ops.cast(out, dtype)


@keras_export("keras.random.binomial")
def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Values drawn from binomial distributions with ``counts`` trials of ``probabilities``."""
    dtype = backend.standardize_dtype(dtype)
    inter = "float32" if dtype == "bfloat16" else dtype
    out = random_sampler_ops.stateless_random_binomial(
        shape, seed=tf_draw_seed(seed), counts=counts, probs=probabilities, output_dtype=inter
    )
    return cast_ops.cast(out, dtype)


@keras_export("keras.random.beta")
def beta(shape, alpha, beta, dtype=None, seed=None):
    """Values drawn from a beta distribution: ``X / (X + Y)`` with gamma draws X, Y."""
    dtype = backend.standardize_dtype(dtype)
    inter = "float32" if dtype == "bfloat16" else dtype
    seed_1 = tf_draw_seed(seed)
    seed_2 = seed_1 + 12  # Keras' arbitrary constant offset for the second draw
    alpha = backend.convert_to_tensor(alpha, dtype=inter)
    beta = backend.convert_to_tensor(beta, dtype=inter)
    if alpha.shape.rank > 1:
        alpha = array_ops.broadcast_to(alpha, shape)
    if beta.shape.rank > 1:
        beta = array_ops.broadcast_to(beta, shape)
    gamma_a = random_sampler_ops.stateless_random_gamma(
        shape, seed=seed_1, alpha=alpha, dtype=inter
    )
    gamma_b = random_sampler_ops.stateless_random_gamma(shape, seed=seed_2, alpha=beta, dtype=inter)
    return cast_ops.cast(gamma_a / (gamma_a + gamma_b), dtype)
