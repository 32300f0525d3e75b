"""``keras.losses.Loss``: the base class, reductions, masks and sample weighting.

``Loss.__call__`` converts both arguments to the loss dtype, asks ``call`` for per-sample
values, merges the prediction's and the values' Keras masks into ``sample_weight`` and reduces:
``'sum'`` sums, ``'sum_over_batch_size'``/``'mean'`` divide the sum by the number of values,
``'mean_with_sample_weight'`` by the sum of the weights, ``'none'``/None keep every value.
"""

import weakref

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend, dtype_policies
from tensorlet.keras.src.utils.naming import auto_name
from tensorlet.ops import array_ops, cast_ops, comparison_ops, math_ops, reduction_ops

_REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")
_MEAN_REDUCTIONS = ("sum_over_batch_size", "mean", "mean_with_sample_weight")


@keras_export("keras.Loss", "keras.losses.Loss")
class Loss:
    """Loss base class: ``call(y_true, y_pred)`` gives per-sample losses, ``__call__`` weights and
    reduces them.

    Args:
        name: the loss name (default: the snake-case class name).
        reduction: ``'sum_over_batch_size'`` (default), ``'sum'``, ``'mean'``,
            ``'mean_with_sample_weight'``, ``'none'`` or None.
        dtype: the dtype of the computation (default ``floatx()``; a ``DTypePolicy`` gives its
            compute dtype).

    Example:
        >>> class MyMSE(keras.losses.Loss):
        ...     def call(self, y_true, y_pred):
        ...         return tf.reduce_mean(tf.square(y_pred - y_true), axis=-1)
        >>> float(MyMSE()([[0.0, 1.0]], [[1.0, 1.0]]))
        0.5
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or auto_name(self.__class__.__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype_policy = dtype_policies.get(dtype or backend.floatx())
        self._dtype = self._dtype_policy.compute_dtype

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        in_mask = get_keras_mask(y_pred)
        y_pred = _map(lambda x: backend.convert_to_tensor(x, dtype=self.dtype), y_pred)
        y_true = _map(lambda x: backend.convert_to_tensor(x, dtype=self.dtype), y_true)
        losses = self.call(y_true, y_pred)
        out_mask = get_keras_mask(losses)
        if in_mask is not None and out_mask is not None:
            mask = comparison_ops.logical_and(in_mask, out_mask)
        else:
            mask = out_mask if in_mask is None else in_mask
        return reduce_weighted_values(
            losses,
            sample_weight=sample_weight,
            mask=mask,
            reduction=self.reduction,
            dtype=self.dtype,
        )

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def get_config(self):
        # as in Keras 3, the dtype is not part of a loss's config
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        if isinstance(config.get("dtype"), dict):
            config = dict(config, dtype=dtype_policies.deserialize(config["dtype"]))
        return cls(**config)

    def _obj_type(self):
        return "Loss"


@keras_export("keras.losses.Reduction")
class Reduction:
    """The legacy (``tf.keras`` 2) reduction names, kept by ``tf.keras.losses``."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls):
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')


def _map(fn, structure):
    """``fn`` over a structure of tensors; nested lists of numbers are one array-like leaf."""
    if isinstance(structure, (list, tuple)) and structure and hasattr(structure[0], "shape"):
        return type(structure)(_map(fn, x) for x in structure)
    if isinstance(structure, dict):
        return {k: _map(fn, v) for k, v in structure.items()}
    return fn(structure)


def standardize_reduction(reduction):
    if reduction not in _REDUCTIONS:
        allowed = "{" + ", ".join(repr(r) for r in _REDUCTIONS) + "}"
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {allowed}. "
            f"Received: reduction={reduction}"
        )
    return reduction


# ---------------------------------------------------------------- Keras masks of tensors
# Keras attaches masks to tensors as a `_keras_mask` attribute. tensorlet's eager tensors have
# __slots__ (no attributes), so masks set here live in a side table keyed by the tensor's id and
# dropped with the tensor (a weak reference's callback).
_MASKS = {}


def set_keras_mask(x, mask):
    """Attaches ``mask`` to the tensor ``x`` (``None`` removes it)."""
    try:
        x._keras_mask = mask
        return
    except AttributeError:
        pass
    key = id(x)
    if mask is None:
        _MASKS.pop(key, None)
        return
    _MASKS[key] = (weakref.ref(x, lambda _, k=key: _MASKS.pop(k, None)), mask)


def get_keras_mask(x):
    """The mask attached to ``x`` (``_keras_mask`` or :func:`set_keras_mask`), or None."""
    mask = getattr(x, "_keras_mask", None)
    if mask is not None:
        return mask
    entry = _MASKS.get(id(x))
    if entry is not None and entry[0]() is x:
        return entry[1]
    return None


# ---------------------------------------------------------------- shapes, weights, reductions
def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes ranks equal when they differ by one and the longer ends in a dimension of 1:
    that dimension is squeezed (or, if the other is rank 1, the other is expanded)."""
    r1, r2 = x1.shape.rank, x2.shape.rank
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = array_ops.expand_dims(x2, axis=-1)
        else:
            x1 = array_ops.squeeze(x1, axis=-1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = array_ops.expand_dims(x1, axis=-1)
        else:
            x2 = array_ops.squeeze(x2, axis=-1)
    return x1, x2


def _num_elements(x):
    """The static element count (a Python int), else a tensor."""
    n = x.shape.num_elements()
    if n is not None:
        return n
    return reduction_ops.reduce_prod(array_ops.shape(x))


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Sums ``values`` and divides as ``reduction`` says (rank-0 or empty values are kept)."""
    if reduction is None or reduction == "none":
        return values
    shape = values.shape
    if shape.rank == 0 or (shape.rank == 1 and shape[0] == 0):
        return values
    loss = reduction_ops.reduce_sum(values)
    if reduction in _MEAN_REDUCTIONS:
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            divisor = cast_ops.cast(reduction_ops.reduce_sum(sample_weight), loss.dtype)
            return math_ops.divide_no_nan(loss, divisor)
        n = _num_elements(values)
        if isinstance(n, int) and n > 0:
            return loss / n
        return math_ops.divide_no_nan(loss, cast_ops.cast(n, loss.dtype))
    return loss


def apply_mask(sample_weight, mask, dtype, reduction):
    """Merges ``mask`` into ``sample_weight``; for mean reductions the valid entries are
    rescaled by ``total / valid`` so the mean runs over valid entries only."""
    if mask is None:
        return sample_weight
    mask = cast_ops.cast(mask, dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        total = cast_ops.cast(_num_elements(mask), dtype)
        valid = reduction_ops.reduce_sum(mask)  # may be 0
        mask = mask * math_ops.divide_no_nan(total, valid)
    if sample_weight is None:
        return mask
    sample_weight = cast_ops.cast(sample_weight, dtype)
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
    return sample_weight * mask


def reduce_weighted_values(
    values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None
):
    """Applies ``sample_weight`` (and ``mask``) to per-sample losses, then ``reduction``."""
    reduction = standardize_reduction(reduction)
    values = backend.convert_to_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = backend.convert_to_tensor(sample_weight, dtype=dtype)
    if mask is not None:
        mask = backend.convert_to_tensor(mask, dtype=dtype)
    sample_weight = apply_mask(sample_weight, mask, dtype=values.dtype, reduction=reduction)
    if sample_weight is not None:
        sample_weight = cast_ops.cast(sample_weight, values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)
