"""Random augmentation: ``random_*`` (stateful, op seeds) and ``stateless_random_*`` (seed pairs),
composites over tensorlet's random ops and the colour/flip/crop functions, drawing the same
random values in the same order as TF (so stateless results equal TF's).
"""

import functools

from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.image_ops import color
from tensorlet.image_ops._common import as_image, check_at_least_3d
from tensorlet.ops import array_ops, cast_ops, indexing, math_ops, random_ops
from tensorlet.ops.array_ops import py_value

D = dtypes


def _random_flip(image, flip_index, random_func):
    image = as_image(image)
    check_at_least_3d(image)
    rank = image.shape.rank
    if rank == 3:
        u = random_func(shape=[], minval=0, maxval=1.0)
        return array_ops.reverse(image, [flip_index]) if float(u.numpy()) < 0.5 else image
    if rank == 4:
        b = image.shape[0]
        u = random_func(shape=[b], minval=0, maxval=1.0)
        flips = cast_ops.cast(math_ops.round(array_ops.reshape(u, [b, 1, 1, 1])), image.dtype)
        flipped = array_ops.reverse(image, [flip_index + 1])
        return flips * flipped + (1 - flips) * image
    raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions." % (image.shape,))


def _stateless(seed):
    return functools.partial(random_ops.stateless_random_uniform, seed=seed)


def _stateful(seed):
    return functools.partial(random_ops.random_uniform, seed=seed)


@tf_export("image.random_flip_left_right")
def random_flip_left_right(image, seed=None):
    """Mirrors the width axis with probability 1/2 (each image of a batch independently)."""
    return _random_flip(image, 1, _stateful(seed))


@tf_export("image.random_flip_up_down")
def random_flip_up_down(image, seed=None):
    """Mirrors the height axis with probability 1/2."""
    return _random_flip(image, 0, _stateful(seed))


@tf_export("image.stateless_random_flip_left_right")
def stateless_random_flip_left_right(image, seed):
    """Deterministic ``random_flip_left_right`` for ``seed`` (shape [2])."""
    return _random_flip(image, 1, _stateless(seed))


@tf_export("image.stateless_random_flip_up_down")
def stateless_random_flip_up_down(image, seed):
    """Deterministic ``random_flip_up_down`` for ``seed``."""
    return _random_flip(image, 0, _stateless(seed))


def _check_delta(max_delta):
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")


def _check_range(lower, upper):
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")


@tf_export("image.random_brightness")
def random_brightness(image, max_delta, seed=None):
    """``adjust_brightness`` by a delta uniform in ``[-max_delta, max_delta)``."""
    _check_delta(max_delta)
    delta = random_ops.random_uniform([], -max_delta, max_delta, seed=seed)
    return color.adjust_brightness(image, delta)


@tf_export("image.stateless_random_brightness")
def stateless_random_brightness(image, max_delta, seed):
    """Deterministic ``random_brightness``."""
    _check_delta(max_delta)
    delta = random_ops.stateless_random_uniform([], seed=seed, minval=-max_delta, maxval=max_delta)
    return color.adjust_brightness(image, delta)


@tf_export("image.random_contrast")
def random_contrast(image, lower, upper, seed=None):
    """``adjust_contrast`` by a factor uniform in ``[lower, upper)``."""
    _check_range(lower, upper)
    factor = random_ops.random_uniform([], lower, upper, seed=seed)
    return color.adjust_contrast(image, factor)


@tf_export("image.stateless_random_contrast")
def stateless_random_contrast(image, lower, upper, seed):
    """Deterministic ``random_contrast``."""
    _check_range(lower, upper)
    factor = random_ops.stateless_random_uniform([], seed=seed, minval=lower, maxval=upper)
    return color.adjust_contrast(image, factor)


def _check_hue(max_delta):
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    _check_delta(max_delta)


@tf_export("image.random_hue")
def random_hue(image, max_delta, seed=None):
    """``adjust_hue`` by a delta uniform in ``[-max_delta, max_delta)`` (max_delta <= 0.5)."""
    _check_hue(max_delta)
    delta = random_ops.random_uniform([], -max_delta, max_delta, seed=seed)
    return color.adjust_hue(image, delta)


@tf_export("image.stateless_random_hue")
def stateless_random_hue(image, max_delta, seed):
    """Deterministic ``random_hue``."""
    _check_hue(max_delta)
    delta = random_ops.stateless_random_uniform([], seed=seed, minval=-max_delta, maxval=max_delta)
    return color.adjust_hue(image, delta)


@tf_export("image.random_saturation")
def random_saturation(image, lower, upper, seed=None):
    """``adjust_saturation`` by a factor uniform in ``[lower, upper)``."""
    _check_range(lower, upper)
    factor = random_ops.random_uniform([], lower, upper, seed=seed)
    return color.adjust_saturation(image, factor)


@tf_export("image.stateless_random_saturation")
def stateless_random_saturation(image, lower, upper, seed):
    """Deterministic ``random_saturation``."""
    _check_range(lower, upper)
    factor = random_ops.stateless_random_uniform([], seed=seed, minval=lower, maxval=upper)
    return color.adjust_saturation(image, factor)


def _crop(value, size, offset_fn):
    value = convert_to_tensor(value)
    size = [int(s) for s in py_value(size)]
    shape = list(value.shape)
    if len(size) != len(shape) or any(s < z for s, z in zip(shape, size)):
        raise errors.InvalidArgumentError(
            None,
            None,
            "assertion failed: [Need value.shape >= size, got ] [%s] [%s]"
            % (" ".join(map(str, shape)), " ".join(map(str, size))),
        )
    limit = convert_to_tensor([s - z + 1 for s, z in zip(shape, size)], D.int32)
    offset = math_ops.floormod(offset_fn(len(shape)), limit)
    return indexing.slice(value, offset, size)


@tf_export("image.random_crop")
def random_crop(value, size, seed=None, name=None):
    """A random ``size`` slice of ``value`` (offsets uniform over the valid range)."""
    return _crop(
        value,
        size,
        lambda n: random_ops.random_uniform([n], dtype=D.int32, maxval=D.int32.max, seed=seed),
    )


@tf_export("image.stateless_random_crop")
def stateless_random_crop(value, size, seed, name=None):
    """Deterministic ``random_crop``."""
    return _crop(
        value,
        size,
        lambda n: random_ops.stateless_random_uniform(
            [n], seed=seed, dtype=D.int32, minval=0, maxval=D.int32.max
        ),
    )
