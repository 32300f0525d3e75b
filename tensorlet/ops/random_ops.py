"""``tf.random``: stateless and stateful (global/op seed) random ops.

The numbers come from ``random_kernels`` (TF's Philox4x32-10 CPU streams, bit for bit). This
module holds TF's seed machinery: the global seed and its ``random.Random`` op-seed source,
and the eager kernel cache that makes repeated calls with the same ``(seed, seed2)`` attrs
continue one stream (TF caches eager kernels by attributes, shapes are inputs).
``tf.random.Generator`` lives in ``stateful_random_ops.py`` and reuses the stateless ops here.
"""
import collections
import enum
import numbers
import random as _pyrandom
import secrets

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import math_ops
from tensorlet.ops import random_kernels as K
from tensorlet.ops import shape_rules as R
from tensorlet.ops import array_ops
from tensorlet.ops.array_ops import py_value
from tensorlet.ops.op_def import apply, defop

D = dtypes
_FLOATS = (D.float16, D.bfloat16, D.float32, D.float64)
_STATELESS_UNIFORM = _FLOATS + (D.int32, D.int64, D.uint32, D.uint64)


# ------------------------------------------------------------------ seed state
class _SeedState:
    """The global seed, its op-seed generator and the stateful kernels' streams."""

    def __init__(self):
        self.global_seed = None
        self.rng = _pyrandom.Random(None)
        self.kernels = {}  # (op, seed, seed2, dtype...) -> [key, counter]


_seed_state = _SeedState()


@tf_export("random.set_seed", "compat.v1.set_random_seed", "compat.v1.random.set_random_seed")
def set_seed(seed):
    """Sets the global seed (None clears it) and resets the op-seed sequence and kernels."""
    if seed is not None:
        seed = int(xp.asarray(seed))
    _seed_state.global_seed = seed
    _seed_state.rng = _pyrandom.Random(seed)
    _seed_state.kernels.clear()  # TF clears its kernel cache, restarting every stream


@tf_export("compat.v1.get_seed", "compat.v1.random.get_seed")
def get_seed(op_seed):
    """``(seed, seed2)`` for a stateful op from the global seed and ``op_seed``."""
    return K.get_seed(_seed_state.global_seed, op_seed, _seed_state.rng)


def _reserve(cache_key, seed, seed2, skip):
    """Key/counter for one call of a cached stateful kernel; advances its stream by ``skip``."""
    stream = _seed_state.kernels.get(cache_key)
    if stream is None:
        if seed == 0 and seed2 == 0:  # TF: (0, 0) means seed the kernel non-deterministically
            seed, seed2 = secrets.randbits(64), secrets.randbits(64)
        stream = _seed_state.kernels[cache_key] = list(K.stateful_key_counter(seed, seed2))
    key, counter = stream
    stream[1] = K.counter_add(counter, skip)
    return key, counter


# -------------------------------------------------------------------- helpers
def _shape_tuple(shape):
    """A static shape tuple from a list/tuple/TensorShape/tensor."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, Tensor) or hasattr(shape, "numpy") or isinstance(shape, (list, tuple)):
        shape = py_value(shape)  # tensors (also symbolic ones tracing can compute) -> ints
    if isinstance(shape, numbers.Integral):
        shape = [shape]
    dims = tuple(int(d) for d in shape)
    if any(d < 0 for d in dims):
        raise errors.InvalidArgumentError(None, None, f"Dimension {min(dims)} must be >= 0")
    return dims


def _num(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def _shape_attr_rule(op, inputs, attrs):
    return (TensorShape(attrs["shape"]),)


def _dtype_attr(attr, allowed, tf_attr="dtype"):
    """dtype rule: the output dtype is ``attrs[attr]``, which must be in ``allowed``."""

    def rule(op, inputs, attrs):
        d = attrs[attr]
        if d not in allowed:
            raise errors.op_error(errors.InvalidArgumentError, op.name, (
                f"Value for attr '{tf_attr}' of {d.name} is not in the list of allowed values: "
                + ", ".join(x.name for x in allowed)))
        return (d,)

    return rule


def _np(dtype):
    return dtype.as_numpy_dtype


# ------------------------------------------------------------ stateless ops
def _seed_words(op_name, seed):
    seed = xp.asarray(seed)
    if seed.shape != (2,):
        raise errors.op_error(errors.InvalidArgumentError, op_name,
                              f"seed must have shape [2], not {list(seed.shape)}")
    return seed


def _check_seed_dtype(op, inputs, index=0):
    d = inputs[index].dtype
    if d not in (D.int32, D.int64):
        name = {"float32": "float", "float64": "double"}.get(d.name, d.name)
        raise errors.op_error(errors.InvalidArgumentError, op.name, (
            f"Value for attr 'Tseed' of {name} is not in the list of allowed values: int32, int64"
            f"\n\t; NodeDef: {{{{node {op.name}}}}}; Op<name={op.name}; signature=seed:Tseed -> "
            "key:uint64, counter:uint64; attr=Tseed:type,default=DT_INT64,allowed=[DT_INT32, "
            "DT_INT64]>"))


def _get_key_counter(seed):
    kc = K.stateless_key_counter(_seed_words("StatelessRandomGetKeyCounter", seed))
    return K.key_counter_as_uint64(*kc)


def _key_counter_dtypes(op, inputs, attrs):
    _check_seed_dtype(op, inputs)
    return (D.uint64, D.uint64)


get_key_counter_op = defop("StatelessRandomGetKeyCounter", _get_key_counter, num_outputs=2,
                           dtype_rule=_key_counter_dtypes,
                           shape_rule=lambda op, i, a: (TensorShape([1]), TensorShape([2])))


def _v2_key_counter(op_name, key, counter, alg):
    if int(alg) == Algorithm.THREEFRY.value or xp.asarray(counter).size < 2:
        raise errors.op_error(errors.InvalidArgumentError, op_name, (
            f"counter must be a vector with length at least 2; got shape: "
            f"{list(xp.asarray(counter).shape)}. "
            "(Note that batched counters are not supported yet.)"))
    return K.key_counter_from_uint64(key, counter)


def _stateless_v2(op_name, draw, allowed):
    def forward(key, counter, alg, shape, dtype):
        return draw(*_v2_key_counter(op_name, key, counter, alg), shape, _np(dtype))

    return defop(op_name, forward, dtype_rule=_dtype_attr("dtype", allowed),
                 shape_rule=_shape_attr_rule)


uniform_v2_op = _stateless_v2("StatelessRandomUniformV2", K.uniform, _FLOATS)
normal_v2_op = _stateless_v2("StatelessRandomNormalV2", K.normal, _FLOATS)
truncated_normal_v2_op = _stateless_v2("StatelessTruncatedNormalV2", K.truncated_normal, _FLOATS)
full_int_v2_op = _stateless_v2("StatelessRandomUniformFullIntV2", K.uniform_full_int,
                               (D.int32, D.int64, D.uint32, D.uint64))


def _check_int_range(op_name, minval, maxval):
    for nm, v in (("minval", minval), ("maxval", maxval)):
        if xp.ndim(v) != 0:
            raise errors.op_error(errors.InvalidArgumentError, op_name,
                                  f"{nm} must be 0-D, got shape {list(xp.shape(v))}")
    if not minval < maxval:
        raise errors.op_error(errors.InvalidArgumentError, op_name,
                              f"Need minval < maxval: {minval} >= {maxval}")


def _uniform_int_v2(key, counter, alg, minval, maxval, shape):
    _check_int_range("StatelessRandomUniformIntV2", minval, maxval)
    kc = _v2_key_counter("StatelessRandomUniformIntV2", key, counter, alg)
    return K.uniform_int(*kc, shape, int(minval), int(maxval), minval.dtype)


uniform_int_v2_op = defop("StatelessRandomUniformIntV2", _uniform_int_v2,
                          dtype_rule=lambda op, inputs, attrs: (inputs[3].dtype,),
                          shape_rule=_shape_attr_rule)


def _stateless_multinomial(logits, seed, num_samples, output_dtype):
    kc = K.stateless_key_counter(_seed_words("StatelessMultinomial", seed))
    return K.categorical(_check_logits("StatelessMultinomial", logits, num_samples), num_samples,
                         *kc, _np(output_dtype))


def _check_logits(op_name, logits, num_samples):
    if logits.ndim != 2:
        raise errors.op_error(errors.InvalidArgumentError, op_name,
                              f"logits should be a matrix, got shape {list(logits.shape)}")
    if num_samples < 0:
        raise errors.op_error(errors.InvalidArgumentError, op_name,
                              f"num_samples should be nonnegative, got {num_samples}")
    if logits.shape[1] == 0 and logits.shape[0] > 0:
        raise errors.op_error(errors.InvalidArgumentError, op_name,
                              "num_classes should be positive, got 0")
    return logits


def _multinomial_shape(op, inputs, attrs):
    return (TensorShape([inputs[0].shape[0], attrs["num_samples"]]),)


def _multinomial_dtypes(op, inputs, attrs):
    if len(inputs) > 1:
        _check_seed_dtype(op, inputs, 1)
    return _dtype_attr("output_dtype", (D.int32, D.int64))(op, inputs, attrs)


stateless_multinomial_op = defop("StatelessMultinomial", _stateless_multinomial,
                                 dtype_rule=_multinomial_dtypes, shape_rule=_multinomial_shape)


def _shuffled(value, key, counter):
    value = xp.asarray(value)
    if value.ndim == 0 or value.size <= 1 or value.shape[0] <= 1:
        return value.copy()
    return value[K.shuffle_permutation(value.shape[0], key, counter)]


stateless_shuffle_op = defop(
    "StatelessShuffle",
    lambda value, key, counter, alg: _shuffled(value, *_v2_key_counter("StatelessShuffle", key,
                                                                         counter, alg)),
    dtype_rule=lambda op, inputs, attrs: (inputs[0].dtype,), shape_rule=R.unchanged)


# ------------------------------------------------------ public stateless API
@tf_export("random.Algorithm", "random.experimental.Algorithm")
class Algorithm(enum.Enum):
    """The RNG algorithms (CPU supports Philox; auto_select picks Philox)."""

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


def _alg_value(alg):
    if alg is None:
        return Algorithm.AUTO_SELECT.value
    if isinstance(alg, Algorithm):
        return alg.value
    if isinstance(alg, str):
        names = {"philox": 1, "philox4x32_10": 1, "threefry": 2, "threefry2x32_20": 2,
                 "auto_select": 3}
        if alg.lower() in names:
            return names[alg.lower()]
    elif isinstance(alg, (numbers.Integral, Tensor)):
        return int(alg)
    raise ValueError(f"Argument `alg` got unsupported value {alg}. Supported values are "
                     f"{Algorithm.PHILOX}, {Algorithm.THREEFRY}, {Algorithm.AUTO_SELECT}.")


def _key_counter_alg(seed, alg):
    """TF's ``_get_key_counter_alg``: the V2 ops' key/counter/alg tensors for a seed."""
    alg = _alg_value(alg)
    seed = convert_to_tensor(seed)
    if alg == Algorithm.THREEFRY.value:  # TF passes a 1-word counter, which the kernel rejects
        key = convert_to_tensor(xp.zeros([1], xp.uint64))
        counter = convert_to_tensor(xp.zeros([1], xp.uint64))
    else:
        key, counter = apply(get_key_counter_op, seed)
    return key, counter, convert_to_tensor(xp.int32(alg))


def _check_stateless_dtype(dtype, accepted):
    if dtype not in accepted:
        raise ValueError(f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are "
                         f"({', '.join(repr(d) for d in accepted)}).")


@tf_export("random.stateless_uniform")
def stateless_random_uniform(shape, seed, minval=0, maxval=None, dtype=D.float32, name=None,
                             alg="auto_select"):
    """Deterministic uniform values in ``[minval, maxval)`` for ``seed`` (shape [2] ints)."""
    dtype = D.as_dtype(dtype)
    _check_stateless_dtype(dtype, _STATELESS_UNIFORM)
    if dtype.is_integer and (minval is None) != (maxval is None):
        raise ValueError(f"For integer `dtype` argument {dtype}, argument `minval` and `maxval` "
                         f"must be both None or not None. Got `minval`={minval} and "
                         f"`maxval`={maxval}.")
    if not dtype.is_integer and maxval is None:
        maxval = 1
    shape = _shape_tuple(shape)
    key, counter, alg = _key_counter_alg(seed, alg)
    if dtype.is_integer and minval is None:
        return apply(full_int_v2_op, key, counter, alg, shape=shape, dtype=dtype, name=name)
    minval = convert_to_tensor(minval, dtype=dtype)
    maxval = convert_to_tensor(maxval, dtype=dtype)
    if dtype.is_integer:
        return apply(uniform_int_v2_op, key, counter, alg, minval, maxval, shape=shape, name=name)
    rnd = apply(uniform_v2_op, key, counter, alg, shape=shape, dtype=dtype)
    return math_ops.add(rnd * (maxval - minval), minval, name=name)


def _stateless_scaled(op, shape, seed, mean, stddev, dtype, name, alg):
    dtype = D.as_dtype(dtype)
    shape = _shape_tuple(shape)
    mean = convert_to_tensor(mean, dtype=dtype)
    stddev = convert_to_tensor(stddev, dtype=dtype)
    key, counter, alg = _key_counter_alg(seed, alg)
    rnd = apply(op, key, counter, alg, shape=shape, dtype=dtype)
    return math_ops.add(rnd * stddev, mean, name=name)


@tf_export("random.stateless_normal")
def stateless_random_normal(shape, seed, mean=0.0, stddev=1.0, dtype=D.float32, name=None,
                            alg="auto_select"):
    """Deterministic normal values for ``seed`` (``z * stddev + mean``)."""
    return _stateless_scaled(normal_v2_op, shape, seed, mean, stddev, dtype, name, alg)


@tf_export("random.stateless_truncated_normal")
def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=D.float32, name=None,
                               alg="auto_select"):
    """Deterministic normal values re-drawn beyond 2 standard deviations."""
    return _stateless_scaled(truncated_normal_v2_op, shape, seed, mean, stddev, dtype, name, alg)


@tf_export("random.stateless_categorical")
def stateless_categorical(logits, num_samples, seed, dtype=D.int64, name=None):
    """Deterministic class samples from unnormalised log-probabilities ``logits`` [batch, n]."""
    logits = convert_to_tensor(logits)
    return apply(stateless_multinomial_op, logits, convert_to_tensor(seed),
                 num_samples=int(num_samples), output_dtype=D.as_dtype(dtype), name=name)


@tf_export("random.split", "random.experimental.stateless_split")
def stateless_split(seed, num=2, alg="auto_select"):
    """Splits a seed into ``num`` new seeds (a [num, 2] tensor of the seed's dtype)."""
    seed = convert_to_tensor(seed)
    return stateless_random_uniform([num, 2], seed, minval=None, maxval=None, dtype=seed.dtype,
                                    alg=alg)


@tf_export("random.fold_in", "random.experimental.stateless_fold_in")
def stateless_fold_in(seed, data, alg="auto_select"):
    """Folds the integer ``data`` into ``seed``: ``[full-range int from seed, data]``."""
    data = convert_to_tensor(data)
    first = stateless_random_uniform([], seed, minval=None, maxval=None, dtype=data.dtype, alg=alg)
    return convert_to_tensor(xp.stack([xp.asarray(first), xp.asarray(data)]))


@tf_export("random.experimental.stateless_shuffle")
def stateless_shuffle(value, seed, alg="auto_select", name=None):
    """Deterministically shuffles ``value`` along its first dimension."""
    key, counter, alg = _key_counter_alg(seed, alg)
    return apply(stateless_shuffle_op, convert_to_tensor(value), key, counter, alg, name=name)


_KeyCounter = collections.namedtuple("StatelessRandomGetKeyCounter", ["key", "counter"])


@tf_export("raw_ops.StatelessRandomGetKeyCounter")
def stateless_random_get_key_counter(seed, name=None):
    """The raw op: ``(key uint64[1], counter uint64[2])`` for a seed (a namedtuple, as TF)."""
    return _KeyCounter(*apply(get_key_counter_op, convert_to_tensor(seed), name=name))


# ------------------------------------------------------------- stateful ops
def _stateful_op(op_name, draw, allowed):
    """A legacy stateful op (``RandomStandardNormal`` ...) with attrs seed, seed2, dtype, shape."""

    def forward(seed, seed2, dtype, shape):
        kc = _reserve((op_name, seed, seed2, dtype.name), seed, seed2, K.stateful_skip(_num(shape)))
        return draw(*kc, shape, _np(dtype))

    return defop(op_name, forward, dtype_rule=_dtype_attr("dtype", allowed),
                 shape_rule=_shape_attr_rule, stateful=True)


random_standard_normal_op = _stateful_op("RandomStandardNormal", K.normal, _FLOATS)
random_uniform_op = _stateful_op("RandomUniform", K.uniform, _FLOATS)
truncated_normal_op = _stateful_op("TruncatedNormal", K.truncated_normal, _FLOATS)


def _random_uniform_int(minval, maxval, seed, seed2, shape):
    _check_int_range("RandomUniformInt", minval, maxval)
    key = ("RandomUniformInt", seed, seed2, minval.dtype.name)
    kc = _reserve(key, seed, seed2, K.stateful_skip(_num(shape)))
    return K.uniform_int(*kc, shape, int(minval), int(maxval), minval.dtype)


random_uniform_int_op = defop("RandomUniformInt", _random_uniform_int,
                              dtype_rule=R.same_dtype((D.int32, D.int64)),
                              shape_rule=_shape_attr_rule, stateful=True)


def _random_shuffle(value, seed, seed2):
    value = xp.asarray(value)
    n = value.shape[0] if value.ndim else 1
    skip = K.shuffle_skip(n) if value.size > 1 else 0
    kc = _reserve(("RandomShuffle", seed, seed2, value.dtype.name), seed, seed2, skip)
    return _shuffled(value, *kc)


random_shuffle_op = defop("RandomShuffle", _random_shuffle, dtype_rule=R.same_dtype(),
                          shape_rule=R.unchanged, stateful=True)


def _multinomial(logits, seed, seed2, num_samples, output_dtype):
    _check_logits("Multinomial", logits, num_samples)
    key = ("Multinomial", seed, seed2, logits.dtype.name, output_dtype.name)
    kc = _reserve(key, seed, seed2, K.categorical_skip(logits.shape[0], num_samples))
    return K.categorical(logits, num_samples, *kc, _np(output_dtype))


multinomial_op = defop("Multinomial", _multinomial, dtype_rule=_multinomial_dtypes,
                       shape_rule=_multinomial_shape, stateful=True)


def _op_seeds(seed):
    s1, s2 = get_seed(seed)
    return (0, 0) if s1 is None else (s1, s2)


# ------------------------------------------------------- public stateful API
@tf_export("random.normal")
def random_normal(shape, mean=0.0, stddev=1.0, dtype=D.float32, seed=None, name=None):
    """Normal values from the global/op-seeded stream (``z * stddev + mean``)."""
    dtype = D.as_dtype(dtype)
    shape = _shape_tuple(shape)
    mean = convert_to_tensor(mean, dtype=dtype)
    stddev = convert_to_tensor(stddev, dtype=dtype)
    s1, s2 = _op_seeds(seed)
    rnd = apply(random_standard_normal_op, seed=s1, seed2=s2, dtype=dtype, shape=shape)
    return math_ops.add(rnd * stddev, mean, name=name)


@tf_export("random.truncated_normal")
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=D.float32, seed=None, name=None):
    """Normal values re-drawn beyond 2 standard deviations (global/op-seeded)."""
    dtype = D.as_dtype(dtype)
    shape = _shape_tuple(shape)
    mean = convert_to_tensor(mean, dtype=dtype)
    stddev = convert_to_tensor(stddev, dtype=dtype)
    s1, s2 = _op_seeds(seed)
    rnd = apply(truncated_normal_op, seed=s1, seed2=s2, dtype=dtype, shape=shape)
    return math_ops.add(rnd * stddev, mean, name=name)


@tf_export("random.uniform")
def random_uniform(shape, minval=0, maxval=None, dtype=D.float32, seed=None, name=None):
    """Uniform values in ``[minval, maxval)``; integer dtypes need ``maxval``."""
    dtype = D.as_dtype(dtype)
    accepted = _FLOATS + (D.int32, D.int64)
    if dtype not in accepted:
        raise ValueError(f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are "
                         f"({', '.join(repr(d) for d in accepted)}).")
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        maxval = 1
    shape = _shape_tuple(shape)
    # TF skips the scaling ops for the literal defaults 0 and 1 (ints, not floats)
    minval_is_zero = isinstance(minval, int) and minval == 0
    maxval_is_one = isinstance(maxval, int) and maxval == 1
    if not minval_is_zero or not maxval_is_one or dtype.is_integer:
        minval = convert_to_tensor(minval, dtype=dtype)
        maxval = convert_to_tensor(maxval, dtype=dtype)
    s1, s2 = _op_seeds(seed)
    if dtype.is_integer:
        return apply(random_uniform_int_op, minval, maxval, seed=s1, seed2=s2, shape=shape,
                     name=name)
    result = apply(random_uniform_op, seed=s1, seed2=s2, dtype=dtype, shape=shape)
    if minval_is_zero:
        return result if maxval_is_one else math_ops.multiply(result, maxval)
    return math_ops.add(result * (maxval - minval), minval, name=name)


@tf_export("random.shuffle")
def random_shuffle(value, seed=None, name=None):
    """Shuffles ``value`` along its first dimension (global/op-seeded Fisher-Yates)."""
    s1, s2 = _op_seeds(seed)
    return apply(random_shuffle_op, convert_to_tensor(value), seed=s1, seed2=s2, name=name)


@tf_export("random.categorical")
def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """Class samples from unnormalised log-probabilities ``logits`` [batch, classes]."""
    logits = convert_to_tensor(logits)
    dtype = D.as_dtype(dtype) if dtype is not None else D.int64
    s1, s2 = _op_seeds(seed)
    return apply(multinomial_op, logits, seed=s1, seed2=s2, num_samples=int(num_samples),
                 output_dtype=dtype, name=name)


# ------------------------------------------------------------------ dropout
def _select_forward(x, keep, factor, divide):
    scaled = x / factor if divide else x * factor
    return xp.where(keep, scaled, xp.zeros((), x.dtype)).astype(x.dtype)


def _select_grad(op, dy):
    _, keep, factor = op.inputs
    return [apply(dropout_select_op, dy, keep, factor, divide=op.attrs["divide"]), None, None]


# x*scale (or x/(1-rate)) where kept, 0 elsewhere: TF's Mul/RealDiv + SelectV2 in one op
dropout_select_op = defop("TensorletDropoutSelect", _select_forward,
                          dtype_rule=lambda op, inputs, attrs: (inputs[0].dtype,),
                          shape_rule=R.unchanged, grad=_select_grad)


def _noise_shape(x, noise_shape):
    full = x.shape.as_list()
    if None in full:  # traced with unknown dims: the run-time shape (guarded by tf.function)
        full = py_value(array_ops.shape(x))
    if noise_shape is None:
        return tuple(full)
    dims = list(noise_shape.as_list() if isinstance(noise_shape, TensorShape)
                else py_value(noise_shape))
    if len(dims) == len(full):
        dims = [xd if d is None else d for d, xd in zip(dims, full)]
    return tuple(int(d) for d in dims)


def _dropout(x, rate, noise_shape, uniform_sampler, dummy_rng_step):
    """TF's ``nn_ops._dropout``: keep where ``uniform >= rate``, scaled by ``1 / (1 - rate)``."""
    is_number = isinstance(rate, numbers.Real) and not isinstance(rate, bool)
    if is_number and (rate < 0 or rate >= 1):
        raise ValueError("`rate` must be a scalar tensor or a float in the range [0, 1). "
                         f"Received: rate={rate}")
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        raise ValueError("`x.dtype` must be a floating point tensor as `x` will be scaled. "
                         f"Received: x_dtype={x.dtype}")
    if is_number and rate == 0:
        dummy_rng_step()
        return x
    if is_number:
        factor, divide = convert_to_tensor(1 / (1 - rate), dtype=x.dtype), False
        rate_arr = xp.asarray(rate).astype(_np(x.dtype))
    else:
        rate_arr = xp.asarray(rate).astype(_np(x.dtype))
        factor, divide = convert_to_tensor(xp.asarray(1 - rate_arr, _np(x.dtype))), True
    noise = uniform_sampler(shape=_noise_shape(x, noise_shape), dtype=x.dtype)
    from tensorlet.ops import comparison_ops  # an op, not NumPy: the mask must trace in graphs

    keep = comparison_ops.greater_equal(noise, convert_to_tensor(rate_arr))
    return apply(dropout_select_op, x, keep, factor, divide=divide)


@tf_export("nn.experimental.stateless_dropout")
def stateless_dropout(x, rate, seed, rng_alg=None, noise_shape=None, name=None):
    """Dropout whose mask comes from ``stateless_uniform(noise_shape, seed)``."""

    def sampler(shape, dtype):
        return stateless_random_uniform(shape, seed, dtype=dtype, alg=rng_alg)

    return _dropout(x, rate, noise_shape, sampler, lambda: None)


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """``tf.nn.dropout`` (exported by the nn module): mask from the stateful ``random.uniform``."""

    def sampler(shape, dtype):
        return random_uniform(shape, dtype=dtype, seed=seed)

    return _dropout(x, rate, noise_shape, sampler, lambda: get_seed(seed))

