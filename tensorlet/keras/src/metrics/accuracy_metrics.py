"""Accuracy metrics: the per-sample match functions and their mean metrics."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.losses.loss import squeeze_or_expand_to_same_rank
from tensorlet.keras.src.metrics.reduction_metrics import MeanMetricWrapper
from tensorlet.ops import array_ops, cast_ops, comparison_ops, reduction_ops, sort_ops


def _matches(a, b):
    return cast_ops.cast(comparison_ops.equal(a, b), backend.floatx())


class _AccuracyWrapper(MeanMetricWrapper):
    """An accuracy: maximized during training; config ``name``, ``dtype`` and ``_options``."""

    _options = ()

    def __init__(self, fn, name, dtype, **options):
        super().__init__(fn=fn, name=name, dtype=dtype, **options)
        for key in self._options:
            setattr(self, key, options[key])
        self._direction = "up"

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype}
        config.update({key: getattr(self, key) for key in self._options})
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def accuracy(y_true, y_pred):
    """1.0 where ``y_true == y_pred`` exactly, else 0.0 (per element)."""
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _matches(y_true, y_pred)


@keras_export("keras.metrics.Accuracy")
class Accuracy(_AccuracyWrapper):
    """How often predictions equal labels: ``mean(y_true == y_pred)`` (weighted).

    Example:
        >>> m = keras.metrics.Accuracy()
        >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
        >>> float(m.result())
        0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name, dtype)


@keras_export("keras.metrics.binary_accuracy")
def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where ``y_true`` equals ``y_pred > threshold`` (per element).

    Example:
        >>> keras.metrics.binary_accuracy([[1., 0.]], [[0.7, 0.6]]).numpy()
        array([[1., 0.]], dtype=float32)
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    threshold = backend.cast(threshold, y_pred.dtype)
    y_pred = cast_ops.cast(y_pred > threshold, y_true.dtype)
    return _matches(y_true, y_pred)


@keras_export("keras.metrics.BinaryAccuracy")
class BinaryAccuracy(_AccuracyWrapper):
    """How often ``y_pred > threshold`` matches the binary labels.

    Args:
        threshold: in (0, 1) (default 0.5).

    Example:
        >>> m = keras.metrics.BinaryAccuracy()
        >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
        >>> float(m.result())
        0.75
    """

    _options = ("threshold",)

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        if threshold is not None and (threshold <= 0 or threshold >= 1):
            raise ValueError(
                "Invalid value for argument `threshold`. Expected a value in interval (0, 1). "
                f"Received: threshold={threshold}"
            )
        super().__init__(binary_accuracy, name, dtype, threshold=threshold)


def _sparse_matches(y_true, y_pred):
    """``y_true == argmax(y_pred)``; a trailing label dimension of 1 is kept in the result."""
    y_true_org_shape = array_ops.shape(y_true)
    reshape_matches = False
    if y_true.shape.rank == y_pred.shape.rank and y_true.shape[-1] == 1:
        y_true = array_ops.squeeze(y_true, -1)
        reshape_matches = True
    y_pred = reduction_ops.argmax(y_pred, axis=-1)
    if y_pred.dtype != y_true.dtype:
        y_pred = cast_ops.cast(y_pred, y_true.dtype)
    matches = _matches(y_true, y_pred)
    if reshape_matches:
        matches = array_ops.reshape(matches, y_true_org_shape)
    return matches


@keras_export("keras.metrics.categorical_accuracy")
def categorical_accuracy(y_true, y_pred):
    """1.0 where ``argmax(y_true) == argmax(y_pred)`` (ties: the first index), per sample.

    Example:
        >>> keras.metrics.categorical_accuracy([[0., 1.]], [[0.3, 0.7]]).numpy()
        array([1.], dtype=float32)
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = reduction_ops.argmax(backend.convert_to_tensor(y_true), axis=-1)
    y_true = backend.convert_to_tensor(y_true, dtype=y_pred.dtype)
    if y_true.shape.rank == y_pred.shape.rank:  # (batch, 1) one-hot labels
        return _sparse_matches(y_true, y_pred)
    return _matches(y_true, cast_ops.cast(reduction_ops.argmax(y_pred, axis=-1), y_true.dtype))


@keras_export("keras.metrics.CategoricalAccuracy")
class CategoricalAccuracy(_AccuracyWrapper):
    """How often ``argmax(y_pred)`` matches the one-hot labels.

    Example:
        >>> m = keras.metrics.CategoricalAccuracy()
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name, dtype)


@keras_export("keras.metrics.sparse_categorical_accuracy")
def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the integer label equals ``argmax(y_pred)``, per sample.

    Example:
        >>> keras.metrics.sparse_categorical_accuracy([1], [[0.3, 0.7]]).numpy()
        array([1.], dtype=float32)
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, dtype=y_pred.dtype)
    matches = _sparse_matches(y_true, y_pred)
    if matches.shape.rank > 1 and matches.shape[-1] == 1:
        matches = array_ops.squeeze(matches, -1)
    return matches


@keras_export("keras.metrics.SparseCategoricalAccuracy")
class SparseCategoricalAccuracy(_AccuracyWrapper):
    """How often ``argmax(y_pred)`` matches the integer labels.

    Example:
        >>> m = keras.metrics.SparseCategoricalAccuracy()
        >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name, dtype)


def _in_top_k(y_true, y_pred, k):
    """``in_top_k`` over flattened leading dimensions, reshaped back to ``y_true``'s shape."""
    y_true_org_shape = array_ops.shape(y_true)
    if y_pred.shape.rank > 2:
        y_pred = array_ops.reshape(y_pred, [-1, y_pred.shape[-1]])
    reshape_matches = y_true.shape.rank > 1
    if reshape_matches:
        y_true = array_ops.reshape(y_true, [-1])
    matches = cast_ops.cast(
        sort_ops.in_top_k(cast_ops.cast(y_true, "int32"), y_pred, k=k), backend.floatx()
    )
    if reshape_matches:
        matches = array_ops.reshape(matches, y_true_org_shape)
    return matches


@keras_export("keras.metrics.top_k_categorical_accuracy")
def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where ``argmax(y_true)`` is among the ``k`` largest predictions (ties count)."""
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, dtype=y_pred.dtype)
    return _in_top_k(reduction_ops.argmax(y_true, axis=-1), y_pred, k)


@keras_export("keras.metrics.TopKCategoricalAccuracy")
class TopKCategoricalAccuracy(_AccuracyWrapper):
    """How often the one-hot target is among the top ``k`` (default 5) predictions."""

    _options = ("k",)

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name, dtype, k=k)


@keras_export("keras.metrics.sparse_top_k_categorical_accuracy")
def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the ``k`` largest predictions (ties count).

    With ``from_sorted_ids=True``, ``y_pred`` holds class ids sorted by decreasing score and
    the label is looked for among its first ``k`` entries.
    """
    y_pred = backend.convert_to_tensor(y_pred)
    y_true = backend.convert_to_tensor(y_true, y_pred.dtype if from_sorted_ids else "int32")
    if not from_sorted_ids:
        return _in_top_k(y_true, y_pred, k)
    y_true_org_shape = array_ops.shape(y_true)
    if y_pred.shape.rank > 2:
        y_pred = array_ops.reshape(y_pred, [-1, y_pred.shape[-1]])
    if y_true.shape.rank > 1:
        y_true = array_ops.reshape(y_true, [-1])
    hits = comparison_ops.equal(array_ops.expand_dims(y_true, axis=1), y_pred[:, :k])
    matches = cast_ops.cast(reduction_ops.reduce_any(hits, axis=1), backend.floatx())
    return array_ops.reshape(matches, y_true_org_shape)


@keras_export("keras.metrics.SparseTopKCategoricalAccuracy")
class SparseTopKCategoricalAccuracy(_AccuracyWrapper):
    """How often the integer target is among the top ``k`` (default 5) predictions.

    Args:
        k: how many top predictions count.
        from_sorted_ids: ``y_pred`` holds class ids sorted by score, not scores.
    """

    def __init__(
        self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False
    ):
        super().__init__(
            sparse_top_k_categorical_accuracy, name, dtype, k=k, from_sorted_ids=from_sorted_ids
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
