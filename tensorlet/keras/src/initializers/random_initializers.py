"""Random initializers, all stateless: the same seed gives the same values on every call.

An int seed ``s`` draws with the stateless seed ``[s, 0]``; an unseeded initializer picks its
seed from Python's ``random`` when it is constructed (``keras.utils.set_random_seed`` makes that
reproducible); a ``SeedGenerator`` seed gives new values on each call.
"""

import math
from typing import ClassVar

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.initializers.initializer import Initializer
from tensorlet.keras.src.random import random
from tensorlet.keras.src.random.seed_generator import SeedGenerator, make_default_seed
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import array_ops, linalg_decomp_ops, linalg_ops, unary_math_ops


class RandomInitializer(Initializer):
    """Base class: validates and stores ``seed`` (int, SeedGenerator or None)."""

    def __init__(self, seed=None):
        self._init_seed = seed
        if seed is None:
            seed = make_default_seed()
        elif isinstance(seed, dict):
            seed = serialization_lib.deserialize_keras_object(seed)
        elif not isinstance(seed, (int, SeedGenerator)):
            raise ValueError(
                "`seed` argument should be an instance of "
                f"`keras.random.SeedGenerator()` or an integer. Received: seed={seed}"
            )
        self.seed = seed

    def get_config(self):
        return {"seed": serialization_lib.serialize_keras_object(self._init_seed)}


@keras_export("keras.initializers.RandomNormal", "keras.initializers.random_normal")
class RandomNormal(RandomInitializer):
    """Values from ``N(mean, stddev**2)`` (defaults mean 0.0, stddev 0.05)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.normal(shape, mean=self.mean, stddev=self.stddev, seed=self.seed, dtype=dtype)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@keras_export("keras.initializers.TruncatedNormal", "keras.initializers.truncated_normal")
class TruncatedNormal(RandomInitializer):
    """Normal values re-drawn beyond two standard deviations (mean 0.0, stddev 0.05)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.truncated_normal(
            shape, mean=self.mean, stddev=self.stddev, seed=self.seed, dtype=dtype
        )

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@keras_export("keras.initializers.RandomUniform", "keras.initializers.random_uniform")
class RandomUniform(RandomInitializer):
    """Values uniform in ``[minval, maxval)`` (defaults -0.05, 0.05)."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return random.uniform(
            shape, minval=self.minval, maxval=self.maxval, seed=self.seed, dtype=dtype
        )

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


@keras_export("keras.initializers.VarianceScaling", "keras.initializers.variance_scaling")
class VarianceScaling(RandomInitializer):
    """Scales to the weight's fans: ``stddev = sqrt(scale / n)`` or ``limit = sqrt(3 scale / n)``.

    ``n`` is ``fan_in``, ``fan_out`` or their average (``mode``); truncated normals are divided
    by 0.87962566103423978, the stddev of a standard normal truncated to [-2, 2].

    Args:
        scale: positive float (default 1.0).
        mode: ``'fan_in'`` (default), ``'fan_out'`` or ``'fan_avg'``.
        distribution: ``'truncated_normal'`` (default; ``'normal'`` is an alias),
            ``'untruncated_normal'`` or ``'uniform'``.
        seed: int, ``SeedGenerator`` or None.
        input_axes, output_axes: the axes counted in ``fan_in`` / ``fan_out`` (default: the
            last two axes, times the receptive field for convolution kernels).
    """

    def __init__(
        self,
        scale=1.0,
        mode="fan_in",
        distribution="truncated_normal",
        seed=None,
        input_axes=None,
        output_axes=None,
    ):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        allowed_modes = {"fan_in", "fan_out", "fan_avg"}
        if mode not in allowed_modes:
            raise ValueError(f"Invalid `mode` argument: {mode}. Please use one of {allowed_modes}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        allowed = {"uniform", "truncated_normal", "untruncated_normal"}
        if distribution not in allowed:
            raise ValueError(
                f"Invalid `distribution` argument: {distribution}.Please use one of {allowed}"
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        scale = self.scale
        if self.mode == "fan_in":
            scale /= max(1.0, fan_in)
        elif self.mode == "fan_out":
            scale /= max(1.0, fan_out)
        else:
            scale /= max(1.0, (fan_in + fan_out) / 2.0)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / 0.87962566103423978
            return random.truncated_normal(
                shape, mean=0.0, stddev=stddev, dtype=dtype, seed=self.seed
            )
        if self.distribution == "untruncated_normal":
            return random.normal(
                shape, mean=0.0, stddev=math.sqrt(scale), dtype=dtype, seed=self.seed
            )
        limit = math.sqrt(3.0 * scale)
        return random.uniform(shape, minval=-limit, maxval=limit, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _FixedVarianceScaling(VarianceScaling):
    """A VarianceScaling whose scale/mode/distribution are fixed by the subclass."""

    _SETTINGS: ClassVar[dict] = {}

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(
            seed=seed, input_axes=input_axes, output_axes=output_axes, **self._SETTINGS
        )

    def get_config(self):
        return {
            "seed": serialization_lib.serialize_keras_object(self._init_seed),
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


@keras_export("keras.initializers.GlorotUniform", "keras.initializers.glorot_uniform")
class GlorotUniform(_FixedVarianceScaling):
    """Uniform in ``[-limit, limit]``, ``limit = sqrt(6 / (fan_in + fan_out))`` (Glorot 2010).

    Example:
        >>> keras.initializers.GlorotUniform(seed=1)((3, 4)).shape
        TensorShape([3, 4])
    """

    _SETTINGS: ClassVar[dict] = {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform"}


@keras_export("keras.initializers.GlorotNormal", "keras.initializers.glorot_normal")
class GlorotNormal(_FixedVarianceScaling):
    """Truncated normal with ``stddev = sqrt(2 / (fan_in + fan_out))`` (Glorot 2010)."""

    _SETTINGS: ClassVar[dict] = {
        "scale": 1.0,
        "mode": "fan_avg",
        "distribution": "truncated_normal",
    }


@keras_export("keras.initializers.LecunNormal", "keras.initializers.lecun_normal")
class LecunNormal(_FixedVarianceScaling):
    """Truncated normal with ``stddev = sqrt(1 / fan_in)`` (Klambauer 2017)."""

    _SETTINGS: ClassVar[dict] = {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal"}


@keras_export("keras.initializers.LecunUniform", "keras.initializers.lecun_uniform")
class LecunUniform(_FixedVarianceScaling):
    """Uniform in ``[-limit, limit]``, ``limit = sqrt(3 / fan_in)``."""

    _SETTINGS: ClassVar[dict] = {"scale": 1.0, "mode": "fan_in", "distribution": "uniform"}


@keras_export("keras.initializers.HeNormal", "keras.initializers.he_normal")
class HeNormal(_FixedVarianceScaling):
    """Truncated normal with ``stddev = sqrt(2 / fan_in)`` (He 2015)."""

    _SETTINGS: ClassVar[dict] = {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal"}


@keras_export("keras.initializers.HeUniform", "keras.initializers.he_uniform")
class HeUniform(_FixedVarianceScaling):
    """Uniform in ``[-limit, limit]``, ``limit = sqrt(6 / fan_in)`` (He 2015)."""

    _SETTINGS: ClassVar[dict] = {"scale": 2.0, "mode": "fan_in", "distribution": "uniform"}


def compute_fans(shape, input_axes=None, output_axes=None):
    """``(fan_in, fan_out)`` of a weight shape (kernels: ``(..., in_depth, out_depth)``)."""
    shape = tuple(shape)
    if input_axes is not None or output_axes is not None:
        fan_in = math.prod(shape[a] for a in (input_axes or ()))
        fan_out = math.prod(shape[a] for a in (output_axes or ()))
        return int(fan_in), int(fan_out)
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    if len(shape) == 2:
        return int(shape[0]), int(shape[1])
    receptive_field_size = math.prod(shape[:-2])
    return int(shape[-2] * receptive_field_size), int(shape[-1] * receptive_field_size)


@keras_export(
    "keras.initializers.Orthogonal",
    "keras.initializers.orthogonal",
    "keras.initializers.OrthogonalInitializer",
)
class Orthogonal(RandomInitializer):
    """An orthogonal matrix: Q of the QR decomposition of a normal matrix, with signs fixed so
    that ``R`` has a positive diagonal (Saxe 2014). Shapes of rank > 2 are flattened to
    ``(prod(shape[:-1]), shape[-1])``.

    Args:
        gain: multiplies the matrix (default 1.0).
        seed: int, ``SeedGenerator`` or None.
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        num_rows = math.prod(shape[:-1])
        num_cols = shape[-1]
        flat_shape = (max(num_cols, num_rows), min(num_cols, num_rows))
        a = random.normal(flat_shape, seed=self.seed, dtype=dtype)
        q, r = linalg_decomp_ops.qr(a)
        q = q * unary_math_ops.sign(linalg_ops.matrix_diag_part(r))
        if num_rows < num_cols:
            q = array_ops.transpose(q)
        return self.gain * array_ops.reshape(q, shape)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}
