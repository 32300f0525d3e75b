"""TF's own variable initializers (not Keras'): ``init_ops_v2`` and TF 1's ``init_ops``.

TF 2 (``tf.zeros_initializer``, ``tf.ones_initializer``, ``tf.constant_initializer``,
``tf.random_uniform_initializer``, ``tf.random_normal_initializer``): ``init(shape, dtype)``;
a seeded random initializer draws from the *stateless* ops with seed ``[seed, 0]``, so every
call gives the same values; unseeded ones use the stateful ops (global seed). The other
``init_ops_v2`` classes (TruncatedNormal, VarianceScaling, Orthogonal, Identity, Glorot*) are not
exported by TF (Keras exports its own) but are here for completeness.

TF 1 (``tf.compat.v1.*_initializer``, ``tf.compat.v1.initializers.*``): ``dtype`` in the
constructor, ``init(shape, dtype=None, partition_info=None)``; the seed is an *op seed* of the
stateful random ops (combined with the global seed as ``tf.random`` does, so successive calls
differ). ``partition_info`` (an object with ``full_shape`` / ``var_offset``) scales by the full
variable's shape, as TF does. ``tf.initializers`` / ``tf.keras.initializers`` are Keras'.
"""

import math

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import array_creation_ops as C
from tensorlet.ops import array_ops, linalg_decomp_ops, linalg_ops, random_ops, unary_math_ops

D = dtypes
_PARTITION_SHAPE = "partition_shape"
_PARTITION_OFFSET = "partition_offset"


def _compute_fans(shape):
    """(fan_in, fan_out) of a weight shape: conv kernels are (..., in_depth, depth)."""
    if len(shape) < 1:
        fan_in = fan_out = 1
    elif len(shape) == 1:
        fan_in = fan_out = shape[0]
    elif len(shape) == 2:
        fan_in, fan_out = shape[0], shape[1]
    else:
        receptive_field_size = 1
        for dim in shape[:-2]:
            receptive_field_size *= dim
        fan_in = shape[-2] * receptive_field_size
        fan_out = shape[-1] * receptive_field_size
    return int(fan_in), int(fan_out)


def _assert_float_dtype(dtype):
    dtype = D.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"Argument `dtype` is expected to be floating point. Received: {dtype}.")
    return dtype


def _numeric_or_bool(dtype):
    dtype = D.as_dtype(dtype)
    if dtype in (D.resource, D.variant, D.string):  # not is_numpy_compatible, or a string
        raise ValueError(f"Argument `dtype` expected to be numeric or boolean. Received {dtype}.")
    return dtype


def _dims(shape):
    return shape.as_list() if isinstance(shape, TensorShape) else shape


class _RandomGenerator:
    """TF 2: stateless ops with seed ``[seed, 0]`` when seeded, else the stateful ones."""

    def __init__(self, seed=None):
        self.seed = [seed, 0] if seed is not None else None

    def random_normal(self, shape, mean=0.0, stddev=1, dtype=D.float32):
        if self.seed:
            return random_ops.stateless_random_normal(shape, self.seed, mean, stddev, dtype)
        return random_ops.random_normal(shape, mean, stddev, dtype)

    def random_uniform(self, shape, minval, maxval, dtype):
        if self.seed:
            return random_ops.stateless_random_uniform(shape, self.seed, minval, maxval, dtype)
        return random_ops.random_uniform(shape, minval, maxval, dtype)

    def truncated_normal(self, shape, mean, stddev, dtype):
        if self.seed:
            return random_ops.stateless_truncated_normal(shape, self.seed, mean, stddev, dtype)
        return random_ops.truncated_normal(shape, mean, stddev, dtype)


def _orthogonal(shape, dtype, gain, normal):
    """QR of a normal matrix, signs fixed by diag(r), reshaped (Saxe et al., 2014)."""
    if len(shape) < 2:
        raise ValueError(
            "The tensor to initialize, specified by argument `shape` must be at "
            f"least two-dimensional. Received shape={shape}"
        )
    num_rows = 1
    for dim in shape[:-1]:
        num_rows *= dim
    num_rows, num_cols = int(num_rows), int(shape[-1])
    flat_shape = (max(num_cols, num_rows), min(num_cols, num_rows))
    q, r = linalg_decomp_ops.qr(normal(flat_shape), full_matrices=False)
    q = q * unary_math_ops.sign(linalg_ops.matrix_diag_part(r))
    if num_rows < num_cols:
        q = array_ops.matrix_transpose(q)
    return gain * array_ops.reshape(q, shape)


def _scaled(mode, scale, fan_in, fan_out):
    if mode == "fan_in":
        return scale / max(1.0, fan_in)
    if mode == "fan_out":
        return scale / max(1.0, fan_out)
    return scale / max(1.0, (fan_in + fan_out) / 2.0)


# stddev of a standard normal truncated to [-2, 2] (scipy.stats.truncnorm.std(a=-2, b=2))
_TRUNCATED_STD = 0.87962566103423978


def _check_variance_scaling(scale, mode, distribution, allowed):
    if scale <= 0.0:
        raise ValueError(f"Argument `scale` must be a positive float. Received: {scale}")
    if mode not in {"fan_in", "fan_out", "fan_avg"}:
        raise ValueError(
            f"Argument `mode` should be one of ('fan_in', 'fan_out', 'fan_avg'). Received: {mode}"
        )
    distribution = distribution.lower()
    if distribution not in allowed:
        names = ", ".join(f"'{a}'" for a in allowed)
        raise ValueError(
            f"Argument `distribution` should be one of ({names}). Received: {distribution}"
        )
    return distribution


# ================================================================ TF 2 (init_ops_v2)


class Initializer:
    """Base of TF 2's initializers: ``init(shape, dtype=None, **kwargs)``."""

    _MODULE = "tensorflow.python.ops.init_ops_v2"

    def __call__(self, shape, dtype=None, **kwargs):
        raise NotImplementedError

    def get_config(self):
        """The constructor arguments, as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """An initializer from ``get_config()``'s dict."""
        config.pop("dtype", None)
        return cls(**config)

    def _validate_kwargs(self, kwargs, support_partition=True):
        for kwarg in kwargs:
            if kwarg not in [_PARTITION_SHAPE, _PARTITION_OFFSET]:
                raise TypeError(
                    "Keyword argument should be one of "
                    f"{[_PARTITION_SHAPE, _PARTITION_OFFSET]}. Received: {kwarg}"
                )
            if not support_partition:
                raise ValueError(
                    f"{self.__class__.__name__} initializer doesn't support "
                    "partition-related arguments"
                )

    def __repr__(self):
        return f"<{self._MODULE}.{type(self).__name__} object at {hex(id(self))}>"


@tf_export("zeros_initializer")
class Zeros(Initializer):
    """Initializer that generates tensors initialized to 0.

    Example:
        >>> tf.zeros_initializer()(shape=[2], dtype=tf.float32)
        <tf.Tensor: shape=(2,), dtype=float32, numpy=array([0., 0.], dtype=float32)>
    """

    def __call__(self, shape, dtype=D.float32, **kwargs):
        self._validate_kwargs(kwargs)
        dtype = _numeric_or_bool(dtype)
        return C.zeros(kwargs.get(_PARTITION_SHAPE, shape), dtype)


@tf_export("ones_initializer")
class Ones(Initializer):
    """Initializer that generates tensors initialized to 1.

    Example:
        >>> tf.ones_initializer()(shape=[2], dtype=tf.int32)
        <tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 1], dtype=int32)>
    """

    def __call__(self, shape, dtype=D.float32, **kwargs):
        self._validate_kwargs(kwargs)
        dtype = _numeric_or_bool(dtype)
        return C.ones(kwargs.get(_PARTITION_SHAPE, shape), dtype)


def _check_constant_value(value):
    if not (xp.isscalar(value) or isinstance(value, (list, tuple, xp.ndarray))):
        raise TypeError(
            f"Invalid type for initial value: {type(value).__name__}. Expected Python "
            "scalar, list or tuple of values, or numpy.ndarray."
        )


@tf_export("constant_initializer")
class Constant(Initializer):
    """Initializer that generates tensors with constant values (``tf.constant(value, dtype,
    shape)``: a scalar is broadcast, a list must have exactly as many elements as the shape).

    Example:
        >>> tf.constant_initializer([1, 2, 3, 4])(shape=[2, 2], dtype=tf.float32).numpy()
        array([[1., 2.],
               [3., 4.]], dtype=float32)
    """

    def __init__(self, value=0, support_partition=False):
        _check_constant_value(value)
        self.value = value
        self.support_partition = support_partition

    def __call__(self, shape, dtype=None, **kwargs):
        self._validate_kwargs(kwargs, support_partition=self.support_partition)
        if dtype is not None:
            dtype = D.as_dtype(dtype)
        return C.constant(self.value, dtype=dtype, shape=shape)

    def get_config(self):
        return {"value": self.value}


@tf_export("random_uniform_initializer")
class RandomUniform(Initializer):
    """Initializer that generates tensors with a uniform distribution in [minval, maxval).

    Example:
        >>> init = tf.random_uniform_initializer(-1.0, 1.0, seed=1)
        >>> bool(tf.reduce_all(init([3]) == init([3])))  # seeded: stateless, repeatable
        True
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        self.seed = seed
        self._random_generator = _RandomGenerator(seed)

    def __call__(self, shape, dtype=D.float32, **kwargs):
        self._validate_kwargs(kwargs)
        dtype = D.as_dtype(dtype)
        if not dtype.is_floating and not dtype.is_integer:
            raise ValueError(
                f"Argument `dtype` expected to be numeric or boolean. Received {dtype}."
            )
        shape = kwargs.get(_PARTITION_SHAPE, shape)
        return self._random_generator.random_uniform(shape, self.minval, self.maxval, dtype)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


@tf_export("random_normal_initializer")
class RandomNormal(Initializer):
    """Initializer that generates tensors with a normal distribution.

    Example:
        >>> tf.random_normal_initializer(mean=1.0, stddev=2.0, seed=3)([2]).shape
        TensorShape([2])
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        self.seed = seed
        self._random_generator = _RandomGenerator(seed)

    def __call__(self, shape, dtype=D.float32, **kwargs):
        self._validate_kwargs(kwargs)
        dtype = _assert_float_dtype(dtype)
        shape = kwargs.get(_PARTITION_SHAPE, shape)
        return self._random_generator.random_normal(shape, self.mean, self.stddev, dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class TruncatedNormal(RandomNormal):
    """Normal values re-drawn beyond two standard deviations (init_ops_v2, not exported)."""

    def __call__(self, shape, dtype=D.float32, **kwargs):
        self._validate_kwargs(kwargs)
        dtype = _assert_float_dtype(dtype)
        shape = kwargs.get(_PARTITION_SHAPE, shape)
        return self._random_generator.truncated_normal(shape, self.mean, self.stddev, dtype)


class VarianceScaling(Initializer):
    """``stddev = sqrt(scale / n)`` (n from ``mode``); uniform limit ``sqrt(3 * scale / n)``."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        distribution = distribution.lower()
        if distribution == "normal":  # compatibility with keras-team/keras, as in TF
            distribution = "truncated_normal"
        self.distribution = _check_variance_scaling(
            scale, mode, distribution, ("uniform", "truncated_normal", "untruncated_normal")
        )
        self.scale = scale
        self.mode = mode
        self.seed = seed
        self._random_generator = _RandomGenerator(seed)

    def __call__(self, shape, dtype=D.float32, **kwargs):
        self._validate_kwargs(kwargs)
        dtype = _assert_float_dtype(dtype)
        fan_in, fan_out = _compute_fans(shape)
        shape = kwargs.get(_PARTITION_SHAPE, shape)
        scale = _scaled(self.mode, self.scale, fan_in, fan_out)
        gen = self._random_generator
        if self.distribution == "truncated_normal":
            return gen.truncated_normal(shape, 0.0, math.sqrt(scale) / _TRUNCATED_STD, dtype)
        if self.distribution == "untruncated_normal":
            return gen.random_normal(shape, 0.0, math.sqrt(scale), dtype)
        limit = math.sqrt(3.0 * scale)
        return gen.random_uniform(shape, -limit, limit, dtype)

    def get_config(self):
        return {
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "seed": self.seed,
        }


class Orthogonal(Initializer):
    """An orthogonal matrix (reshaped for more than two dimensions), times ``gain``."""

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        self.seed = seed
        self._random_generator = _RandomGenerator(seed)

    def __call__(self, shape, dtype=D.float32, **kwargs):
        self._validate_kwargs(kwargs, support_partition=False)
        dtype = _assert_float_dtype(dtype)
        return _orthogonal(
            _dims(shape),
            dtype,
            self.gain,
            lambda s: self._random_generator.random_normal(s, dtype=dtype),
        )

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    """The identity matrix (2-D shapes only), times ``gain``."""

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=D.float32, **kwargs):
        self._validate_kwargs(kwargs, support_partition=False)
        dtype = _assert_float_dtype(dtype)
        if len(shape) != 2:
            raise ValueError(
                "The tensor to initialize, specified by argument `shape` must be at "
                f"least two-dimensional. Received shape={shape}"
            )
        return self.gain * linalg_ops.eye(*_dims(shape), dtype=dtype)

    def get_config(self):
        return {"gain": self.gain}


class GlorotUniform(VarianceScaling):
    """Uniform in ``[-limit, limit]``, ``limit = sqrt(6 / (fan_in + fan_out))``."""

    def __init__(self, seed=None):
        super().__init__(scale=1.0, mode="fan_avg", distribution="uniform", seed=seed)

    def get_config(self):
        return {"seed": self.seed}


class GlorotNormal(VarianceScaling):
    """Truncated normal with ``stddev = sqrt(2 / (fan_in + fan_out))``."""

    def __init__(self, seed=None):
        super().__init__(scale=1.0, mode="fan_avg", distribution="truncated_normal", seed=seed)

    def get_config(self):
        return {"seed": self.seed}


# ================================================================ TF 1 (init_ops)


def _v1(cls, name):
    """TF 1's class has TF 2's class name (``type(init).__name__``), in ``init_ops``."""
    cls.__name__ = name
    return cls


class InitializerV1:
    """Base of TF 1's initializers: ``init(shape, dtype=None, partition_info=None)``."""

    _MODULE = "tensorflow.python.ops.init_ops"

    def __call__(self, shape, dtype=None, partition_info=None):
        raise NotImplementedError

    def get_config(self):
        """The constructor arguments (with ``dtype`` as a name), JSON-serializable."""
        return {}

    @classmethod
    def from_config(cls, config):
        """An initializer from ``get_config()``'s dict."""
        return cls(**config)

    __repr__ = Initializer.__repr__


@tf_export("compat.v1.zeros_initializer", "compat.v1.initializers.zeros")
class ZerosV1(InitializerV1):
    """TF 1: zeros of ``dtype`` (the constructor's unless given to the call)."""

    def __init__(self, dtype=D.float32):
        self.dtype = D.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return C.zeros(shape, self.dtype if dtype is None else dtype)

    def get_config(self):
        return {"dtype": self.dtype.name}


@tf_export("compat.v1.ones_initializer", "compat.v1.initializers.ones")
class OnesV1(ZerosV1):
    """TF 1: ones of ``dtype``."""

    def __call__(self, shape, dtype=None, partition_info=None):
        return C.ones(shape, self.dtype if dtype is None else dtype)


def _padded_constant(value, dtype, shape, verify_shape):
    """``constant_v1`` in a graph (``make_tensor_proto``): fewer values repeat the last one."""
    np_dt = None if dtype is None else D.as_dtype(dtype).as_numpy_dtype
    arr = xp.asarray(value.numpy() if hasattr(value, "numpy") else value, dtype=np_dt)
    shape = [int(d) for d in _dims(shape)]
    size = int(xp.prod(shape, dtype=xp.int64))
    if verify_shape and arr.shape != tuple(shape):
        raise TypeError(f"Expected Tensor's shape: {tuple(shape)}, but got {arr.shape}.")
    if arr.size > size:
        raise ValueError(
            f"Too many elements provided. Takes at most {size:d}, but got {arr.size:d}."
        )
    flat = arr.reshape(-1)
    if 0 < arr.size < size:
        flat = xp.concatenate([flat, xp.repeat(flat[-1:], size - arr.size)])
    elif arr.size == 0:
        flat = xp.zeros(size, arr.dtype)
    return C.constant(flat.reshape(shape), dtype=dtype)


@tf_export("compat.v1.constant_initializer", "compat.v1.initializers.constant")
class ConstantV1(InitializerV1):
    """TF 1: ``constant_v1(value, dtype, shape, verify_shape)``. Eagerly a scalar is broadcast
    and a list must fill the shape exactly; in graphs a shorter list repeats its last value.

    Example:
        >>> init = tf.compat.v1.constant_initializer([1.0, 2.0, 3.0, 4.0])
        >>> init([2, 2]).numpy()
        array([[1., 2.],
               [3., 4.]], dtype=float32)
    """

    def __init__(self, value=0, dtype=D.float32, verify_shape=False):
        if not (xp.isscalar(value) or isinstance(value, (list, tuple, xp.ndarray))):
            raise TypeError(
                f"Invalid type for initial value={value} of type: "
                f"{type(value).__name__}. Expected Python scalar, list or tuple of "
                "values, or numpy.ndarray."
            )
        self.value = value
        self.dtype = D.as_dtype(dtype)
        self._verify_shape = verify_shape

    def __call__(self, shape, dtype=None, partition_info=None, verify_shape=None):
        dtype = self.dtype if dtype is None else dtype
        verify_shape = self._verify_shape if verify_shape is None else verify_shape
        if state.graph is not None:
            return _padded_constant(self.value, dtype, shape, verify_shape)
        t = C.constant(self.value, dtype=dtype)
        if verify_shape and tuple(_dims(shape)) != tuple(t.shape.as_list()):
            raise TypeError(
                f"Expected Tensor {t} (converted from {self.value}) with shape "
                f"{tuple(_dims(shape))}, but got shape {tuple(t.shape)}."
            )
        return C.constant(self.value, dtype=dtype, shape=shape)

    def get_config(self):
        # TF leaves verify_shape out, for compatibility with Keras
        return {"value": self.value, "dtype": self.dtype.name}


@tf_export("compat.v1.random_uniform_initializer", "compat.v1.initializers.random_uniform")
class RandomUniformV1(InitializerV1):
    """TF 1: ``tf.random.uniform(shape, minval, maxval, dtype, seed=seed)``."""

    def __init__(self, minval=0.0, maxval=None, seed=None, dtype=D.float32):
        self.minval = minval
        self.maxval = maxval
        self.seed = seed
        self.dtype = D.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self.dtype if dtype is None else dtype
        return random_ops.random_uniform(shape, self.minval, self.maxval, dtype, seed=self.seed)

    def get_config(self):
        return {
            "minval": self.minval,
            "maxval": self.maxval,
            "seed": self.seed,
            "dtype": self.dtype.name,
        }


@tf_export("compat.v1.random_normal_initializer", "compat.v1.initializers.random_normal")
class RandomNormalV1(InitializerV1):
    """TF 1: ``tf.random.normal(shape, mean, stddev, dtype, seed=seed)``."""

    _draw = staticmethod(random_ops.random_normal)

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=D.float32):
        self.mean = mean
        self.stddev = stddev
        self.seed = seed
        self.dtype = _assert_float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self.dtype if dtype is None else dtype
        return self._draw(shape, self.mean, self.stddev, dtype, seed=self.seed)

    def get_config(self):
        return {
            "mean": self.mean,
            "stddev": self.stddev,
            "seed": self.seed,
            "dtype": self.dtype.name,
        }


@tf_export("compat.v1.truncated_normal_initializer", "compat.v1.initializers.truncated_normal")
class TruncatedNormalV1(RandomNormalV1):
    """TF 1: ``tf.random.truncated_normal(shape, mean, stddev, dtype, seed=seed)``."""

    _draw = staticmethod(random_ops.truncated_normal)


def _full_shape(shape, partition_info):
    return shape if partition_info is None else partition_info.full_shape


@tf_export(
    "compat.v1.uniform_unit_scaling_initializer", "compat.v1.initializers.uniform_unit_scaling"
)
class UniformUnitScaling(InitializerV1):
    """TF 1: uniform in ``[-m, m]``, ``m = factor * sqrt(3 / input_size)`` (all dims but the
    last multiplied)."""

    def __init__(self, factor=1.0, seed=None, dtype=D.float32):
        self.factor = factor
        self.seed = seed
        self.dtype = _assert_float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self.dtype if dtype is None else dtype
        input_size = 1.0
        for dim in _dims(_full_shape(shape, partition_info))[:-1]:
            input_size *= float(dim)
        max_val = math.sqrt(3 / max(input_size, 1.0)) * self.factor
        return random_ops.random_uniform(shape, -max_val, max_val, dtype, seed=self.seed)

    def get_config(self):
        return {"factor": self.factor, "seed": self.seed, "dtype": self.dtype.name}


@tf_export("compat.v1.variance_scaling_initializer", "compat.v1.initializers.variance_scaling")
class VarianceScalingV1(InitializerV1):
    """TF 1's VarianceScaling: ``"normal"`` is kept (and means truncated normal)."""

    def __init__(
        self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None, dtype=D.float32
    ):
        self.distribution = _check_variance_scaling(
            scale,
            mode,
            distribution,
            ("normal", "uniform", "truncated_normal", "untruncated_normal"),
        )
        self.scale = scale
        self.mode = mode
        self.seed = seed
        self.dtype = _assert_float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self.dtype if dtype is None else dtype
        fan_in, fan_out = _compute_fans(_dims(_full_shape(shape, partition_info)))
        scale = _scaled(self.mode, self.scale, fan_in, fan_out)
        if self.distribution in ("normal", "truncated_normal"):
            stddev = math.sqrt(scale) / _TRUNCATED_STD
            return random_ops.truncated_normal(shape, 0.0, stddev, dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random_ops.random_normal(shape, 0.0, math.sqrt(scale), dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return random_ops.random_uniform(shape, -limit, limit, dtype, seed=self.seed)

    def get_config(self):
        return {
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "seed": self.seed,
            "dtype": self.dtype.name,
        }


@tf_export("compat.v1.orthogonal_initializer", "compat.v1.initializers.orthogonal")
class OrthogonalV1(InitializerV1):
    """TF 1's Orthogonal: the normal matrix comes from ``tf.random.normal(seed=seed)``."""

    def __init__(self, gain=1.0, seed=None, dtype=D.float32):
        self.gain = gain
        self.dtype = _assert_float_dtype(dtype)
        self.seed = seed

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self.dtype if dtype is None else dtype
        return _orthogonal(
            _dims(shape),
            dtype,
            self.gain,
            lambda s: random_ops.random_normal(s, dtype=dtype, seed=self.seed),
        )

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed, "dtype": self.dtype.name}


@tf_export("compat.v1.initializers.identity")
class IdentityV1(InitializerV1):
    """TF 1's Identity: a partition gets its slice of the full identity matrix."""

    def __init__(self, gain=1.0, dtype=D.float32):
        self.gain = gain
        self.dtype = _assert_float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        full_shape = _dims(_full_shape(shape, partition_info))
        if len(full_shape) != 2:
            raise ValueError(
                "The tensor to initialize, specified by argument `shape` must be at "
                f"least two-dimensional. Received shape={shape}"
            )
        dtype = self.dtype if dtype is None else dtype
        initializer = linalg_ops.eye(*full_shape, dtype=dtype)
        if partition_info is not None:
            initializer = array_ops.slice(initializer, partition_info.var_offset, _dims(shape))
        return self.gain * initializer

    def get_config(self):
        return {"gain": self.gain, "dtype": self.dtype.name}


@tf_export("compat.v1.glorot_uniform_initializer", "compat.v1.initializers.glorot_uniform")
class GlorotUniformV1(VarianceScalingV1):
    """TF 1's GlorotUniform. As in TF, the ``dtype`` argument is ignored (float32)."""

    def __init__(self, seed=None, dtype=D.float32):
        super().__init__(scale=1.0, mode="fan_avg", distribution="uniform", seed=seed)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


@tf_export("compat.v1.glorot_normal_initializer", "compat.v1.initializers.glorot_normal")
class GlorotNormalV1(VarianceScalingV1):
    """TF 1's GlorotNormal. As in TF, the ``dtype`` argument is ignored (float32)."""

    def __init__(self, seed=None, dtype=D.float32):
        super().__init__(scale=1.0, mode="fan_avg", distribution="truncated_normal", seed=seed)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


for _cls, _name in (
    (ZerosV1, "Zeros"),
    (OnesV1, "Ones"),
    (ConstantV1, "Constant"),
    (RandomUniformV1, "RandomUniform"),
    (RandomNormalV1, "RandomNormal"),
    (TruncatedNormalV1, "TruncatedNormal"),
    (VarianceScalingV1, "VarianceScaling"),
    (OrthogonalV1, "Orthogonal"),
    (IdentityV1, "Identity"),
    (GlorotUniformV1, "GlorotUniform"),
    (GlorotNormalV1, "GlorotNormal"),
    (InitializerV1, "Initializer"),
):
    _v1(_cls, _name)


@tf_export("compat.v1.initializers.lecun_normal")
def lecun_normal(seed=None):
    """TF 1: truncated normal, ``stddev = sqrt(1 / fan_in)``."""
    return VarianceScalingV1(scale=1.0, mode="fan_in", distribution="truncated_normal", seed=seed)


@tf_export("compat.v1.initializers.lecun_uniform")
def lecun_uniform(seed=None):
    """TF 1: uniform, ``limit = sqrt(3 / fan_in)``."""
    return VarianceScalingV1(scale=1.0, mode="fan_in", distribution="uniform", seed=seed)


@tf_export("compat.v1.initializers.he_normal")
def he_normal(seed=None):
    """TF 1: truncated normal, ``stddev = sqrt(2 / fan_in)``."""
    return VarianceScalingV1(scale=2.0, mode="fan_in", distribution="truncated_normal", seed=seed)


@tf_export("compat.v1.initializers.he_uniform")
def he_uniform(seed=None):
    """TF 1: uniform, ``limit = sqrt(6 / fan_in)``."""
    return VarianceScalingV1(scale=2.0, mode="fan_in", distribution="uniform", seed=seed)


__all__ = ["Constant", "Ones", "RandomNormal", "RandomUniform", "Zeros"]
