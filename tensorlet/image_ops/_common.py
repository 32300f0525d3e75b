"""Checks shared by the tf.image families (TF's ``_CheckAtLeast3DImage``, ``_assert``)."""

from tensorlet.framework import errors
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops.array_ops import py_value


def as_image(image, name="image"):
    return image if isinstance(image, Tensor) else convert_to_tensor(image)


def check_at_least_3d(image, require_static=False):
    """TF's _CheckAtLeast3DImage: rank >= 3 and inner 3 dims > 0 (ValueError)."""
    shape = image.shape
    if shape.rank is None:
        if require_static:
            raise ValueError("'image' (shape %s) must be fully defined." % (shape,))
        return
    if shape.rank < 3:
        raise ValueError("'image' (shape %s) must be at least three-dimensional." % (shape,))
    if any(d is not None and d <= 0 for d in shape[-3:]):
        raise ValueError("inner 3 dims of 'image.shape' must be > 0: %s" % (shape,))


def static_assert(cond, message, exc=ValueError):
    """TF's _assert with a statically known condition."""
    if not cond:
        raise exc(message)


def as_int(v):
    return int(py_value(v))


def invalid(op_name, message):
    return errors.op_error(errors.InvalidArgumentError, op_name, message)


def no_gradient(name):
    def grad(op, *dys):
        raise LookupError(f"gradient registry has no entry for: {name}")

    return grad


def batch_image(image):
    """(image as 4-D, is_batch) for functions that accept 3-D or 4-D images."""
    if image.shape.rank == 3:
        from tensorlet.ops import array_ops

        return array_ops.expand_dims(image, 0), False
    return image, True


def unbatch(image, is_batch):
    if is_batch:
        return image
    from tensorlet.ops import array_ops

    return array_ops.squeeze(image, [0])
