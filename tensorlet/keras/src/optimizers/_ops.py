"""The element-wise math of optimizer update steps, with Keras' TF-backend IndexedSlices rules.

Keras' TensorFlow backend keeps a sparse gradient (``tf.IndexedSlices``, e.g. from an embedding
lookup) sparse through its ``ops`` wherever that is zero-preserving, and densifies it (summing
repeated indices) where it is not:

* unary zero-preserving ops (``square``, ``sqrt``, ``abs``, ``sign``, ``negative``, ``cast``)
  act on ``values``, so repeated indices are transformed *before* they are summed
  (``square`` of a gradient with the index 3 twice adds ``g1**2 + g2**2`` to row 3);
* ``multiply`` / ``divide`` by a scalar or a dense tensor keep the indices (the dense operand is
  gathered at them);
* ``add`` / ``subtract`` / ``maximum`` / ``minimum`` with a dense operand, ``power``, ``clip``,
  ``sum`` densify;
* assigning an IndexedSlices to a variable scatters it (``scatter_add`` / ``scatter_sub``).

These functions reproduce that for the optimizers (dense inputs go straight to tensorlet's ops).
"""

from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.keras.src import backend
from tensorlet.ops import (
    array_ops,
    gather_ops,
    math_ops,
    reduction_ops,
    unary_math_ops,
)


def is_sparse(x):
    return isinstance(x, IndexedSlices)


def densify(x):
    return backend.convert_to_tensor(x) if isinstance(x, IndexedSlices) else x


def _slices(values, like):
    return IndexedSlices(values, like.indices, like.dense_shape)


def _is_scalar(x):
    shape = getattr(x, "shape", None)
    return shape is None or len(shape) == 0


def _read(x):
    """A tensor of a Keras / TF variable (other values unchanged)."""
    if getattr(x, "_is_keras_variable", False):
        return x._read()
    if getattr(x, "_is_variable", False):
        return x.value()
    return x


def _scalars(x1, x2):
    """Python numbers take the other operand's dtype (Keras' ``result_type`` for a tensor and
    a weak Python scalar; TF's ``tf.add(1, float_tensor)`` would refuse)."""
    if isinstance(x1, (int, float)) and not isinstance(x1, bool) and hasattr(x2, "dtype"):
        x1 = backend.convert_to_tensor(x1, _float_dtype(x2, x1))
    elif isinstance(x2, (int, float)) and not isinstance(x2, bool) and hasattr(x1, "dtype"):
        x2 = backend.convert_to_tensor(x2, _float_dtype(x1, x2))
    return x1, x2


def _float_dtype(tensor, scalar):
    name = getattr(tensor.dtype, "name", tensor.dtype)
    if isinstance(scalar, float) and not ("float" in name or "complex" in name):
        return "float32"
    return name


def cast(x, dtype):
    if isinstance(x, IndexedSlices):
        return _slices(backend.cast(x.values, dtype), x)
    return backend.cast(x, dtype)


# ------------------------------------------------------------------ zero-preserving unary ops
def _unary(fn):
    def op(x):
        if isinstance(x, IndexedSlices):
            return _slices(fn(x.values), x)
        return fn(_read(x))

    op.__name__ = fn.__name__
    return op


square = _unary(unary_math_ops.square)
sqrt = _unary(unary_math_ops.sqrt)
abs = _unary(unary_math_ops.abs)
sign = _unary(unary_math_ops.sign)
negative = _unary(unary_math_ops.negative)


# ------------------------------------------------------------------ binary ops
def _union(fn):
    """add / subtract / maximum / minimum: sparse with sparse (same indices) stays sparse,
    anything mixed is densified."""

    def op(x1, x2):
        s1, s2 = isinstance(x1, IndexedSlices), isinstance(x2, IndexedSlices)
        if s1 and s2 and x1.indices is x2.indices:
            return _slices(fn(x1.values, x2.values), x1)
        if s1:
            x1 = densify(x1)
        if s2:
            x2 = densify(x2)
        return fn(*_scalars(_read(x1), _read(x2)))

    op.__name__ = fn.__name__
    return op


add = _union(math_ops.add)
subtract = _union(math_ops.subtract)
maximum = _union(math_ops.maximum)
minimum = _union(math_ops.minimum)


def multiply(x1, x2):
    """The indices of the sparse operand are kept (the other one is gathered at them)."""
    s1, s2 = isinstance(x1, IndexedSlices), isinstance(x2, IndexedSlices)
    if s1 and s2:
        if x1.indices is x2.indices:
            return _slices(math_ops.multiply(x1.values, x2.values), x1)
        return math_ops.multiply(densify(x1), densify(x2))
    if s1:
        other = _read(x2)
        if not _is_scalar(other):
            other = gather_ops.gather(other, x1.indices)
        return _slices(math_ops.multiply(x1.values, other), x1)
    if s2:
        other = _read(x1)
        if not _is_scalar(other):
            other = gather_ops.gather(other, x2.indices)
        return _slices(math_ops.multiply(other, x2.values), x2)
    return math_ops.multiply(*_scalars(_read(x1), _read(x2)))


def divide(x1, x2):
    """A sparse dividend keeps its indices; a sparse divisor is densified."""
    if isinstance(x2, IndexedSlices):
        x2 = densify(x2)
        if isinstance(x1, IndexedSlices):
            x1 = densify(x1)
    if isinstance(x1, IndexedSlices):
        other = _read(x2)
        if not _is_scalar(other):
            other = gather_ops.gather(other, x1.indices)
        return _slices(math_ops.divide(x1.values, other), x1)
    return math_ops.divide(*_scalars(_read(x1), _read(x2)))


def power(x1, x2):
    return math_ops.pow(*_scalars(_read(densify(x1)), _read(densify(x2))))


# ------------------------------------------------------------------ reductions
def sum(x, axis=None, keepdims=False):
    return reduction_ops.reduce_sum(_read(densify(x)), axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    """Of an IndexedSlices over all axes: ``sum(values) / number of dense elements``."""
    if isinstance(x, IndexedSlices) and axis is None:
        total = reduction_ops.reduce_sum(x.values, keepdims=keepdims)
        count = reduction_ops.reduce_prod(backend.convert_to_tensor(x.dense_shape))
        return total / backend.cast(count, total.dtype)
    return reduction_ops.reduce_mean(_read(densify(x)), axis, keepdims=keepdims)


def expand_dims(x, axis):
    return array_ops.expand_dims(_read(densify(x)), axis)
