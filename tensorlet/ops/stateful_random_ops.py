"""``tf.random.Generator``: an explicit RNG state, drawn through the stateless V2 ops.

Philox state is ``int64[3] = [counter_lo64, counter_hi64, key64]``. Every draw reads the state,
advances the counter by ``num_elements * 256`` (TF's ``RngReadAndSkip``) and feeds the old
key/counter to the same kernels as ``tf.random.stateless_*``.
"""
import secrets

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import OBJECTS, tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import math_ops, random_sampler_ops
from tensorlet.ops import random_kernels as K
from tensorlet.ops import random_ops as R
from tensorlet.ops import random_samplers as S
from tensorlet.ops.op_def import apply

D = dtypes
_U64 = (1 << 64) - 1
_STATE_SIZE = {R.Algorithm.PHILOX.value: 3, R.Algorithm.THREEFRY.value: 2,
               R.Algorithm.AUTO_SELECT.value: 3}


def _make_1d_state(state_size, seed):
    """TF's ``_make_1d_state``: a Python int is chopped into 64-bit words, zero padded."""
    if isinstance(seed, int):
        words = []
        for _ in range(state_size):
            words.append(seed & _U64)
            seed >>= 64
    else:
        words = [int(s) & _U64 for s in xp.asarray(seed).reshape(-1).tolist()]
    words = (words + [0] * state_size)[:state_size]
    return xp.array(words, dtype=xp.uint64).view(xp.int64)


def _alg(alg):
    return R.Algorithm.PHILOX.value if alg is None else R._alg_value(alg)


@tf_export("random.create_rng_state", "random.experimental.create_rng_state")
def create_rng_state(seed, alg):
    """The initial int64 state of a Generator for an integer ``seed``."""
    return convert_to_tensor(_make_1d_state(_STATE_SIZE[_alg(alg)], seed))


class _StateVariable:
    """Stand-in for ``tf.Variable`` (int64 state) when no Variable class is registered."""

    def __init__(self, value):
        self._value = xp.array(value, dtype=xp.int64)

    dtype = property(lambda self: D.int64)
    shape = property(lambda self: convert_to_tensor(self._value).shape)

    def numpy(self):
        return self._value.copy()

    def assign(self, value):
        self._value = xp.array(value, dtype=xp.int64)
        return self

    def read_value(self):
        return convert_to_tensor(self._value.copy())

    value = read_value

    def __array__(self, dtype=None, copy=None):
        return self._value.copy() if dtype is None else self._value.astype(dtype)

    def __getitem__(self, item):
        return convert_to_tensor(self._value[item])

    def __repr__(self):
        return (f"<tf.Variable 'Variable:0' shape={self._value.shape} dtype=int64, "
                f"numpy={self._value!r}>")


def _new_state_variable(value):
    variable = OBJECTS.get("Variable")
    if variable is not None:
        try:
            return variable(xp.array(value, dtype=xp.int64), trainable=False)
        except TypeError:
            pass
    return _StateVariable(value)


@tf_export("random.Generator", "random.experimental.Generator")
class Generator:
    """A random number generator with an explicit state (Philox on CPU)."""

    @classmethod
    def from_state(cls, state, alg):
        """A generator with the given state (a 1-D int array) and algorithm."""
        return cls(state=state, alg=alg)

    @classmethod
    def from_seed(cls, seed, alg=None):
        """A generator whose state is the integer ``seed`` split into 64-bit words."""
        alg = _alg(alg)
        return cls(state=_make_1d_state(_STATE_SIZE[alg], seed), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        """A generator seeded from the operating system's entropy."""
        alg = _alg(alg)
        return cls(state=_make_1d_state(_STATE_SIZE[alg], secrets.randbits(64 * 3)), alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        """A generator from a key (scalar) and a counter (``state size - 1`` words)."""
        words = [int(c) & _U64 for c in xp.asarray(counter).reshape(-1)] + [int(key) & _U64]
        return cls(state=xp.array(words, xp.uint64).view(xp.int64), alg=alg)

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            state, alg = xp.asarray(copy_from.state), copy_from.algorithm
        alg = _alg(alg)
        state = _make_1d_state(_STATE_SIZE[alg], xp.asarray(state))
        self._alg = alg
        self._state_var = _new_state_variable(state)

    # ---- state
    @property
    def state(self):
        """The state variable (int64); reads see later draws, like TF's ``tf.Variable``."""
        return self._state_var

    @property
    def algorithm(self):
        return self._alg

    @property
    def key(self):
        return convert_to_tensor(self._read()[-1])

    def _read(self):
        v = self._state_var
        return xp.array(v.numpy() if hasattr(v, "numpy") else v, dtype=xp.int64)

    def reset(self, state):
        self._state_var.assign(_make_1d_state(_STATE_SIZE[self._alg], xp.asarray(state)))

    def reset_from_seed(self, seed):
        self._state_var.assign(_make_1d_state(_STATE_SIZE[self._alg], seed))

    def reset_from_key_counter(self, key, counter):
        self.reset(Generator.from_key_counter(key, counter, self._alg)._read())

    def skip(self, delta):
        """Advances the counter by ``delta * 256``; returns the old state (``RngReadAndSkip``)."""
        if self._alg == R.Algorithm.THREEFRY.value:
            raise errors.op_error(errors.UnimplementedError, "RngReadAndSkip",
                                  "Non-XLA devices don't support the ThreeFry algorithm.")
        old = self._read()
        self._state_var.assign(K.advance_generator_state(old, K.stateful_skip(int(delta))))
        return convert_to_tensor(old)

    def _prepare_key_counter(self, shape):
        old = xp.asarray(self.skip(R._num(shape)))
        key, counter = K.key_counter_as_uint64(*K.generator_key_counter(old))
        return (convert_to_tensor(key), convert_to_tensor(counter),
                convert_to_tensor(xp.int32(self._alg)))

    # ---- draws
    def normal(self, shape, mean=0.0, stddev=1.0, dtype=D.float32, name=None):
        """Normal values: ``z * stddev + mean``."""
        return self._scaled(R.normal_v2_op, shape, mean, stddev, dtype, name)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=D.float32, name=None):
        """Normal values re-drawn beyond two standard deviations."""
        return self._scaled(R.truncated_normal_v2_op, shape, mean, stddev, dtype, name)

    def _scaled(self, op, shape, mean, stddev, dtype, name):
        dtype = D.as_dtype(dtype)
        shape = R._shape_tuple(shape)
        mean = convert_to_tensor(mean, dtype=dtype)
        stddev = convert_to_tensor(stddev, dtype=dtype)
        rnd = apply(op, *self._prepare_key_counter(shape), shape=shape, dtype=dtype)
        return math_ops.add(rnd * stddev, mean, name=name)

    def uniform(self, shape, minval=0, maxval=None, dtype=D.float32, name=None):
        """Uniform values in ``[minval, maxval)``; integer dtypes need ``maxval``."""
        dtype = D.as_dtype(dtype)
        if dtype.is_integer and (minval is None) != (maxval is None):
            raise ValueError(f"For integer `dtype` argument {dtype}, argument `minval` and "
                             f"`maxval` must be both None or not None. Got `minval`={minval} "
                             f"and `maxval`={maxval}.")
        if dtype.is_integer and minval is None:
            return self.uniform_full_int(shape, dtype, name)
        if maxval is None:
            if dtype.is_integer:
                raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
            maxval = 1
        shape = R._shape_tuple(shape)
        minval = convert_to_tensor(minval, dtype=dtype)
        maxval = convert_to_tensor(maxval, dtype=dtype)
        kc = self._prepare_key_counter(shape)
        if dtype.is_integer:
            return apply(R.uniform_int_v2_op, *kc, minval, maxval, shape=shape, name=name)
        rnd = apply(R.uniform_v2_op, *kc, shape=shape, dtype=dtype)
        return math_ops.add(rnd * (maxval - minval), minval, name=name)

    def uniform_full_int(self, shape, dtype=D.uint64, name=None):
        """Integers covering the whole range of ``dtype``."""
        shape = R._shape_tuple(shape)
        return apply(R.full_int_v2_op, *self._prepare_key_counter(shape), shape=shape,
                     dtype=D.as_dtype(dtype), name=name)

    def binomial(self, shape, counts, probs, dtype=D.int32, name=None):
        """Binomial(counts, probs) samples drawn at the current state.

        The state then advances by ``num_batches * 2 * 100 * (samples_per_batch + 3) // 4``
        (TF's StatefulRandomBinomial reservation, from its source; not fixture-verified).
        """
        shape = R._shape_tuple(shape)
        params = xp.broadcast_shapes(xp.shape(xp.asarray(counts)), xp.shape(xp.asarray(probs)))
        num_batches, per_batch = S.batch_layout(shape, params)
        if self._alg == R.Algorithm.THREEFRY.value:
            self.skip(0)  # raises TF's ThreeFry error
        old = self._read()
        delta = num_batches * 2 * 100 * (per_batch + 3) // 4
        self._state_var.assign(K.advance_generator_state(old, delta))
        key, counter = K.key_counter_as_uint64(*K.generator_key_counter(old))
        return random_sampler_ops.generator_binomial(
            convert_to_tensor(key), convert_to_tensor(counter), shape, counts, probs, dtype, name)

    def make_seeds(self, count=1):
        """``[2, count]`` int64 seeds for the stateless ops (second row zeros)."""
        keys = xp.asarray(self.uniform_full_int([count], D.int64))
        return convert_to_tensor(xp.stack([keys, xp.zeros_like(keys)]))

    def split(self, count=1):
        """``count`` new generators whose keys are drawn from this one (counters 0)."""
        keys = xp.asarray(self.uniform_full_int([count], D.int64)).tolist()
        size = _STATE_SIZE[self._alg]
        return [Generator(state=[0] * (size - 1) + [k], alg=self._alg) for k in keys]


_global = {"generator": None}


@tf_export("random.get_global_generator", "random.experimental.get_global_generator")
def get_global_generator():
    """The global Generator, created from non-deterministic state on first use."""
    if _global["generator"] is None:
        _global["generator"] = Generator.from_non_deterministic_state()
    return _global["generator"]


@tf_export("random.set_global_generator", "random.experimental.set_global_generator")
def set_global_generator(generator):
    """Replaces the global Generator (existing references keep the old one)."""
    _global["generator"] = generator
