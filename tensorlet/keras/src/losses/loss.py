"""``keras.losses.Loss``: the base class, reductions and sample weighting."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend, dtype_policies
from tensorlet.keras.src.utils.naming import auto_name
from tensorlet.ops import array_ops, cast_ops, math_ops, reduction_ops

_REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


@keras_export("keras.Loss", "keras.losses.Loss")
class Loss:
    """Loss base class: ``call(y_true, y_pred)`` gives per-sample losses, ``__call__`` weights and
    reduces them.

    Args:
        name: the loss name.
        reduction: ``'sum_over_batch_size'`` (default), ``'sum'``, ``'mean'``,
            ``'mean_with_sample_weight'``, ``'none'`` or None.
        dtype: the dtype of the computation (default ``floatx()``).
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
        y_pred = backend.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true = backend.convert_to_tensor(y_true, dtype=self.dtype)
        losses = self.call(y_true, y_pred)
        return reduce_weighted_values(
            losses, sample_weight=sample_weight, reduction=self.reduction, dtype=self.dtype
        )

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def get_config(self):
        config = {"name": self.name, "reduction": self.reduction}
        if self._dtype_policy.name != backend.floatx():
            config["dtype"] = dtype_policies.serialize(self._dtype_policy)
        return config

    @classmethod
    def from_config(cls, config):
        if isinstance(config.get("dtype"), dict):
            config = dict(config, dtype=dtype_policies.deserialize(config["dtype"]))
        return cls(**config)


def standardize_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of "
            f"{_REDUCTIONS}. Received: reduction={reduction}"
        )
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes ranks equal by squeezing (or expanding) a trailing dimension of size 1."""
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


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    if (
        reduction is None
        or reduction == "none"
        or values.shape.rank == 0
        or tuple(values.shape.as_list()) == (0,)
    ):
        return values
    loss = reduction_ops.reduce_sum(values)
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            divisor = cast_ops.cast(reduction_ops.reduce_sum(sample_weight), loss.dtype)
        else:
            divisor = cast_ops.cast(
                reduction_ops.reduce_prod(cast_ops.cast(array_ops.shape(values), "int32")),
                loss.dtype,
            )
        loss = math_ops.divide_no_nan(loss, divisor)
    return loss


def reduce_weighted_values(
    values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None
):
    """Applies ``sample_weight`` (and ``mask``) to per-sample losses, then ``reduction``."""
    reduction = standardize_reduction(reduction)
    values = backend.convert_to_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = backend.convert_to_tensor(sample_weight, dtype=dtype)
    if mask is not None:
        mask = cast_ops.cast(backend.convert_to_tensor(mask), dtype or values.dtype.name)
        sample_weight = mask if sample_weight is None else sample_weight * mask
    if sample_weight is not None:
        sample_weight = cast_ops.cast(sample_weight, values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)
