"""Random augmentation: ``random_*`` (stateful, op seeds) and ``stateless_random_*`` (seed pairs),
composites over tensorlet's random ops and the colour/flip/crop functions, drawing the same
random values in the same order as TF (so stateless results equal TF's).
"""

import collections
import functools

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.image_ops import color
from tensorlet.image_ops._common import as_image, check_at_least_3d
from tensorlet.ops import array_ops, cast_ops, control_flow_ops, indexing, math_ops, random_ops
from tensorlet.ops import random_kernels as RK
from tensorlet.ops.array_ops import py_value
from tensorlet.ops.op_def import apply, defop

D = dtypes


def _random_flip(image, flip_index, random_func):
    image = as_image(image)
    check_at_least_3d(image)
    rank = image.shape.rank
    if rank == 3:
        u = random_func(shape=[], minval=0, maxval=1.0)
        return control_flow_ops.cond(  # a graph cond when traced (tf.data map, tf.function)
            math_ops.less(u, 0.5), lambda: array_ops.reverse(image, [flip_index]), lambda: image
        )
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


# ---------------------------------------------------------------- distorted bounding boxes


class _SimplePhilox:
    """TF's SimplePhilox over one Philox stream: 32-bit words one at a time."""

    def __init__(self, key, counter):
        self._key, self._counter, self._buf, self._used = key, counter, [], 0

    def rand32(self):
        if self._used == len(self._buf):
            calls = len(self._buf) // 4
            self._buf = RK.philox(self._key, self._counter, 64, start=calls).reshape(-1)
            self._buf = [int(v) for v in self._buf]
            self._counter = RK.counter_add(self._counter, 64)
            self._used = 0
        v = self._buf[self._used]
        self._used += 1
        return v

    def rand_float(self):
        return float(RK.bits_to_unit_float(xp.uint32(self.rand32()), "float32"))

    def uniform(self, n):
        """``Rand32() % n`` (modulo bias kept, as TF's fixture values show)."""
        return self.rand32() % n


def _lrint(v):
    return int(xp.rint(xp.float32(v)))


def _random_crop_rect(w, h, min_rel, max_rel, aspect, rnd):
    f32 = xp.float32
    if max_rel <= 0 or aspect <= 0 or w <= 0 or h <= 0 or min_rel > max_rel:
        return None
    min_area = f32(min_rel) * f32(w) * f32(h)
    max_area = f32(max_rel) * f32(w) * f32(h)
    height = _lrint(xp.sqrt(min_area / aspect))
    max_height = _lrint(xp.sqrt(max_area / aspect))
    if _lrint(f32(max_height) * aspect) > w:
        max_height = int((w + 0.5 - 1e-7) / float(aspect))
        if _lrint(f32(max_height) * aspect) > w:
            max_height -= 1
    max_height = min(max_height, h)
    height = min(height, max_height)
    if height < max_height:
        height += rnd.uniform(max_height - height + 1)
    width = _lrint(f32(height) * aspect)
    area = f32(width * height)
    if area < min_area:
        height += 1
        width = _lrint(f32(height) * aspect)
        area = f32(width * height)
    if area > max_area:
        height -= 1
        width = _lrint(f32(height) * aspect)
        area = f32(width * height)
    if area < min_area or area > max_area or width > w or height > h or width <= 0 or height <= 0:
        return None
    y = rnd.uniform(h - height) if height < h else 0
    x = rnd.uniform(w - width) if width < w else 0
    return (x, y, x + width, y + height)


def _area(r):
    return 0 if r[0] > r[2] or r[1] > r[3] else (r[2] - r[0]) * (r[3] - r[1])


def _covers(crop, boxes, min_covered):
    if _area(crop) < 1:
        return False
    for b in boxes:
        a = _area(b)
        if a < 1:
            continue
        inter = (max(crop[0], b[0]), max(crop[1], b[1]), min(crop[2], b[2]), min(crop[3], b[3]))
        if xp.float32(_area(inter)) / xp.float32(a) >= xp.float32(min_covered):
            return True
    return False


def _sample_box_fwd(
    image_size,
    bounding_boxes,
    min_object_covered,
    seed,
    aspect_ratio_range,
    area_range,
    max_attempts,
    use_image_if_no_bounding_boxes,
):
    h, w = int(image_size[0]), int(image_size[1])
    boxes = []
    for b in bounding_boxes.reshape(-1, 4).astype(xp.float32):
        if ((b < 0) | (b > 1)).any():
            raise errors.op_error(
                errors.InvalidArgumentError,
                "StatelessSampleDistortedBoundingBox",
                "All bounding box coordinates must be in [0.0, 1.0]",
            )
        boxes.append(
            (
                int(b[1] * xp.float32(w)),
                int(b[0] * xp.float32(h)),
                int(b[3] * xp.float32(w)),
                int(b[2] * xp.float32(h)),
            )
        )
    if not boxes:
        if not use_image_if_no_bounding_boxes:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "StatelessSampleDistortedBoundingBox",
                "No bounding boxes provided as input. One must enable "
                "use_image_if_no_bounding_boxes if you wish to not provide any bounding boxes.",
            )
        boxes.append((0, 0, w, h))
    key, counter = RK.stateless_key_counter([int(s) for s in seed.reshape(-1)])
    rnd = _SimplePhilox(key, counter)
    lo, hi = xp.float32(aspect_ratio_range[0]), xp.float32(aspect_ratio_range[1])
    crop = None
    for _ in range(max_attempts):
        aspect = xp.float32(rnd.rand_float()) * (hi - lo) + lo
        rect = _random_crop_rect(w, h, area_range[0], area_range[1], aspect, rnd)
        if rect is not None and _covers(rect, boxes, float(min_object_covered)):
            crop = rect
            break
    if crop is None:
        crop = (0, 0, w, h)
    x0, y0, x1, y1 = crop
    dt = image_size.dtype
    begin = xp.asarray([y0, x0, 0], dt)
    size = xp.asarray([y1 - y0, x1 - x0, -1], dt)
    f = xp.float32
    bbox = xp.asarray([[[f(y0) / f(h), f(x0) / f(w), f(y1) / f(h), f(x1) / f(w)]]], f)
    return begin, size, bbox


stateless_sample_distorted_bounding_box_op = defop(
    "StatelessSampleDistortedBoundingBox",
    _sample_box_fwd,
    dtype_rule=lambda op, inputs, attrs: (inputs[0].dtype, inputs[0].dtype, D.float32),
    shape_rule=lambda op, inputs, attrs: (
        TensorShape([3]),
        TensorShape([3]),
        TensorShape([1, 1, 4]),
    ),
    num_outputs=3,
)


@tf_export("image.stateless_sample_distorted_bounding_box")
def stateless_sample_distorted_bounding_box(
    image_size,
    bounding_boxes,
    seed,
    min_object_covered=0.1,
    aspect_ratio_range=(0.75, 1.33),
    area_range=(0.05, 1.0),
    max_attempts=100,
    use_image_if_no_bounding_boxes=None,
    name=None,
):
    """A random crop ``(begin, size, bboxes)`` covering at least ``min_object_covered`` of one
    of ``bounding_boxes``, with aspect ratio and relative area in the given ranges."""
    image_size = convert_to_tensor(image_size)
    return StatelessSampleDistortedBoundingBox(
        *apply(
            stateless_sample_distorted_bounding_box_op,
            image_size,
            convert_to_tensor(bounding_boxes, D.float32),
            convert_to_tensor(min_object_covered, D.float32),
            convert_to_tensor(
                seed, D.int64 if isinstance(seed, Tensor) and seed.dtype == D.int64 else D.int32
            ),
            aspect_ratio_range=tuple(float(v) for v in aspect_ratio_range),
            area_range=tuple(float(v) for v in area_range),
            max_attempts=int(max_attempts),
            use_image_if_no_bounding_boxes=bool(use_image_if_no_bounding_boxes),
            name=name,
        )
    )


StatelessSampleDistortedBoundingBox = collections.namedtuple(
    "StatelessSampleDistortedBoundingBox", ["begin", "size", "bboxes"]
)


def _check_jpeg_range(lo, hi):
    if lo < 0 or hi < 0 or lo > 100 or hi > 100:
        raise ValueError("jpeg encoding range must be between 0 and 100.")
    if lo >= hi:
        raise ValueError("`min_jpeg_quality` must be less than `max_jpeg_quality`.")


@tf_export("image.random_jpeg_quality")
def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None):
    """``adjust_jpeg_quality`` at a quality uniform in ``[min, max)``."""
    from tensorlet.image_ops import codecs

    _check_jpeg_range(min_jpeg_quality, max_jpeg_quality)
    q = random_ops.random_uniform([], min_jpeg_quality, max_jpeg_quality, seed=seed, dtype=D.int32)
    return codecs.adjust_jpeg_quality(image, q)


@tf_export("image.stateless_random_jpeg_quality")
def stateless_random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed):
    """Deterministic ``random_jpeg_quality``."""
    from tensorlet.image_ops import codecs

    _check_jpeg_range(min_jpeg_quality, max_jpeg_quality)
    q = random_ops.stateless_random_uniform(
        [], seed=seed, minval=min_jpeg_quality, maxval=max_jpeg_quality, dtype=D.int32
    )
    return codecs.adjust_jpeg_quality(image, q)
