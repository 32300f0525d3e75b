"""The built-in ``Loss`` classes: each wraps one per-sample loss function (with its options)
in a ``LossFunctionWrapper``, which adds ``reduction``, ``sample_weight`` and masks.

Every class takes ``reduction`` (default ``'sum_over_batch_size'``), ``name`` (default: the
function's name) and ``dtype``; ``get_config()`` returns ``name``, ``reduction`` and the
class's own options.
"""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.losses.hinge_losses import (  # (re-exported)
    categorical_hinge,
    hinge,
    squared_hinge,
)
from tensorlet.keras.src.losses.loss import Loss, squeeze_or_expand_to_same_rank
from tensorlet.keras.src.losses.probabilistic_losses import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from tensorlet.keras.src.losses.regression_losses import (
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from tensorlet.keras.src.losses.segmentation_losses import dice, tversky
from tensorlet.keras.src.losses.sequence_losses import ctc
from tensorlet.keras.src.losses.similarity_losses import circle
from tensorlet.keras.src.saving import serialization_lib

_SBS = "sum_over_batch_size"


class LossFunctionWrapper(Loss):
    """A ``Loss`` computing ``fn(y_true, y_pred, **kwargs)`` per sample (labels and predictions
    first brought to the same rank), then weighted and reduced by ``Loss.__call__``."""

    def __init__(self, fn, reduction=_SBS, name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        if isinstance(y_true, (list, tuple)) and isinstance(y_pred, (list, tuple)):
            pairs = [squeeze_or_expand_to_same_rank(t, p) for t, p in zip(y_true, y_pred)]
            y_true = type(y_true)(t for t, _ in pairs)
            y_pred = type(y_pred)(p for _, p in pairs)
        else:
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"fn": serialization_lib.serialize_keras_object(self.fn)})
        config.update(serialization_lib.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        if "fn" in config:
            config = dict(config, fn=serialization_lib.deserialize_keras_object(config["fn"]))
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class _Wrapped(LossFunctionWrapper):
    """A built-in loss: its config is ``name``, ``reduction`` and the options in ``_options``."""

    _options = ()

    def __init__(self, fn, name, reduction, dtype, **options):
        super().__init__(fn, name=name, reduction=reduction, dtype=dtype, **options)
        for key in self._options:
            setattr(self, key, options[key])

    def get_config(self):
        config = Loss.get_config(self)
        config.update({key: getattr(self, key) for key in self._options})
        return config

    @classmethod
    def from_config(cls, config):
        return Loss.from_config.__func__(cls, config)


@keras_export("keras.losses.MeanSquaredError")
class MeanSquaredError(_Wrapped):
    """``mean(square(y_true - y_pred))`` per sample, then reduced.

    Example:
        >>> float(keras.losses.MeanSquaredError()([[0., 1.]], [[1., 1.]]))
        0.5
    """

    def __init__(self, reduction=_SBS, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name, reduction, dtype)


@keras_export("keras.losses.MeanAbsoluteError")
class MeanAbsoluteError(_Wrapped):
    """``mean(abs(y_true - y_pred))`` per sample, then reduced.

    Example:
        >>> float(keras.losses.MeanAbsoluteError()([[0., 1.]], [[1., 1.]]))
        0.5
    """

    def __init__(self, reduction=_SBS, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name, reduction, dtype)


@keras_export("keras.losses.MeanAbsolutePercentageError")
class MeanAbsolutePercentageError(_Wrapped):
    """``100 * mean(abs((y_true - y_pred) / y_true))`` per sample, then reduced."""

    def __init__(self, reduction=_SBS, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name, reduction, dtype)


@keras_export("keras.losses.MeanSquaredLogarithmicError")
class MeanSquaredLogarithmicError(_Wrapped):
    """``mean(square(log(y_true + 1) - log(y_pred + 1)))`` per sample, then reduced."""

    def __init__(self, reduction=_SBS, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name, reduction, dtype)


@keras_export("keras.losses.CosineSimilarity")
class CosineSimilarity(_Wrapped):
    """``-sum(l2_norm(y_true) * l2_norm(y_pred), axis)`` per sample, then reduced.

    Args:
        axis: the feature axis (default -1).
    """

    def __init__(self, axis=-1, reduction=_SBS, name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, name, reduction, dtype, axis=axis)

    def get_config(self):  # Keras leaves `axis` out of the config
        return Loss.get_config(self)


@keras_export("keras.losses.Huber")
class Huber(_Wrapped):
    """Huber loss: quadratic for errors up to ``delta`` (default 1.0), linear beyond."""

    def __init__(self, delta=1.0, reduction=_SBS, name="huber_loss", dtype=None):
        super().__init__(huber, name, reduction, dtype, delta=delta)

    def get_config(self):  # Keras leaves `delta` out of the config
        return Loss.get_config(self)


@keras_export("keras.losses.LogCosh")
class LogCosh(_Wrapped):
    """``mean(log(cosh(y_pred - y_true)))`` per sample, then reduced."""

    def __init__(self, reduction=_SBS, name="log_cosh", dtype=None):
        super().__init__(log_cosh, name, reduction, dtype)


@keras_export("keras.losses.Hinge")
class Hinge(_Wrapped):
    """``mean(maximum(1 - y_true * y_pred, 0))``; 0/1 labels are converted to -1/1."""

    def __init__(self, reduction=_SBS, name="hinge", dtype=None):
        super().__init__(hinge, name, reduction, dtype)


@keras_export("keras.losses.SquaredHinge")
class SquaredHinge(_Wrapped):
    """``mean(square(maximum(1 - y_true * y_pred, 0)))``; 0/1 labels become -1/1."""

    def __init__(self, reduction=_SBS, name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name, reduction, dtype)


@keras_export("keras.losses.CategoricalHinge")
class CategoricalHinge(_Wrapped):
    """``maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`` per sample."""

    def __init__(self, reduction=_SBS, name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name, reduction, dtype)


@keras_export("keras.losses.KLDivergence")
class KLDivergence(_Wrapped):
    """``sum(y_true * log(y_true / y_pred))`` per sample (both clipped to [epsilon, 1])."""

    def __init__(self, reduction=_SBS, name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name, reduction, dtype)


@keras_export("keras.losses.Poisson")
class Poisson(_Wrapped):
    """``mean(y_pred - y_true * log(y_pred + epsilon))`` per sample, then reduced."""

    def __init__(self, reduction=_SBS, name="poisson", dtype=None):
        super().__init__(poisson, name, reduction, dtype)


@keras_export("keras.losses.BinaryCrossentropy")
class BinaryCrossentropy(_Wrapped):
    """Binary crossentropy of 0/1 labels and probabilities (or logits).

    Args:
        from_logits: whether ``y_pred`` holds logits (default False: probabilities).
        label_smoothing: in [0, 1]; labels become ``t * (1 - s) + s / 2``.
        axis: the axis averaged over (default -1).

    Example:
        >>> bce = keras.losses.BinaryCrossentropy(from_logits=True)
        >>> round(float(bce([0., 1.], [-18.6, 0.51])), 4)
        0.2352
    """

    _options = ("from_logits", "label_smoothing", "axis")

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=_SBS,
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_crossentropy,
            name,
            reduction,
            dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


@keras_export("keras.losses.BinaryFocalCrossentropy")
class BinaryFocalCrossentropy(_Wrapped):
    """Binary crossentropy down-weighting easy examples by ``(1 - p_t) ** gamma``.

    Args:
        apply_class_balancing: weight class 1 by ``alpha`` and class 0 by ``1 - alpha``.
        alpha: the class-1 weight (default 0.25).
        gamma: the focusing parameter (default 2.0).
        from_logits, label_smoothing, axis: as in ``BinaryCrossentropy``.
    """

    _options = (
        "from_logits",
        "label_smoothing",
        "axis",
        "apply_class_balancing",
        "alpha",
        "gamma",
    )

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=_SBS,
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            name,
            reduction,
            dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


@keras_export("keras.losses.CategoricalCrossentropy")
class CategoricalCrossentropy(_Wrapped):
    """Crossentropy of one-hot labels and class probabilities (or logits).

    Args:
        from_logits: whether ``y_pred`` holds logits (default False).
        label_smoothing: in [0, 1]; labels become ``t * (1 - s) + s / num_classes``.
        axis: the class axis (default -1).

    Example:
        >>> cce = keras.losses.CategoricalCrossentropy()
        >>> round(float(cce([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 3)
        1.177
    """

    _options = ("from_logits", "label_smoothing", "axis")

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=_SBS,
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_crossentropy,
            name,
            reduction,
            dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


@keras_export("keras.losses.CategoricalFocalCrossentropy")
class CategoricalFocalCrossentropy(_Wrapped):
    """Alpha-balanced focal crossentropy of one-hot labels: ``alpha * (1 - p) ** gamma * CE``.

    Args:
        alpha: the class weight (default 0.25; a float or a per-class list).
        gamma: the focusing parameter (default 2.0).
        from_logits, label_smoothing, axis: as in ``CategoricalCrossentropy``.
    """

    _options = ("from_logits", "label_smoothing", "axis", "alpha", "gamma")

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=_SBS,
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            name,
            reduction,
            dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


@keras_export("keras.losses.SparseCategoricalCrossentropy")
class SparseCategoricalCrossentropy(_Wrapped):
    """Crossentropy of integer labels and class probabilities (or logits).

    Args:
        from_logits: whether ``y_pred`` holds logits (default False).
        ignore_class: a label value whose entries are left out (loss 0, masked from means).

    Example:
        >>> scce = keras.losses.SparseCategoricalCrossentropy()
        >>> round(float(scce([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 3)
        1.177
    """

    _options = ("from_logits", "ignore_class")

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction=_SBS,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name,
            reduction,
            dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
        )


@keras_export("keras.losses.CategoricalGeneralizedCrossEntropy")
class CategoricalGeneralizedCrossEntropy(_Wrapped):
    """Generalized crossentropy ``(1 - p ** q) / q`` of integer labels (noise-robust).

    Args:
        q: in (0, 1); near 0 it behaves like crossentropy, near 1 like MAE (default 0.5).
    """

    _options = ("q",)

    def __init__(
        self, q=0.5, reduction=_SBS, name="categorical_generalized_cross_entropy", dtype=None
    ):
        if not 0 < q < 1:
            raise ValueError("q must be in the interval (0, 1)")
        super().__init__(categorical_generalized_cross_entropy, name, reduction, dtype, q=q)


@keras_export("keras.losses.CTC")
class CTC(_Wrapped):
    """CTC loss of padded integer labels (0 = blank/padding) against logits."""

    def __init__(self, reduction=_SBS, name="ctc", dtype=None):
        super().__init__(ctc, name, reduction, dtype)


@keras_export("keras.losses.Dice")
class Dice(_Wrapped):
    """``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`` over ``axis``.

    Args:
        axis: the axes reduced (default None: all of them).
    """

    _options = ("axis",)

    def __init__(self, reduction=_SBS, name="dice", axis=None, dtype=None):
        super().__init__(dice, name, reduction, dtype, axis=axis)


@keras_export("keras.losses.Tversky")
class Tversky(_Wrapped):
    """``1 - TP / (TP + alpha * FP + beta * FN)`` over ``axis`` (Salehi et al. 2017).

    Args:
        alpha, beta: the false-positive / false-negative weights (default 0.5 each).
        axis: the axes reduced (default None: all of them).
    """

    _options = ("alpha", "beta", "axis")

    def __init__(self, alpha=0.5, beta=0.5, reduction=_SBS, name="tversky", axis=None, dtype=None):
        super().__init__(tversky, name, reduction, dtype, alpha=alpha, beta=beta, axis=axis)


@keras_export("keras.losses.Circle")
class Circle(_Wrapped):
    """Circle loss of integer labels and L2-normalized embeddings (Sun et al. 2020).

    Args:
        gamma: the scale of the similarity scores (default 80).
        margin: the relaxation margin (default 0.4).
        remove_diagonal: drop self-similarities from the positive pairs (default True).
    """

    _options = ("gamma", "margin", "remove_diagonal")

    def __init__(
        self,
        gamma=80.0,
        margin=0.4,
        remove_diagonal=True,
        reduction=_SBS,
        name="circle",
        dtype=None,
    ):
        super().__init__(
            circle,
            name,
            reduction,
            dtype,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
        )
