"""Intersection-over-Union metrics (semantic segmentation): a confusion matrix of integer
class ids accumulated over batches, ``IoU = TP / (TP + FP + FN)`` per class.

The matrix has the metric's dtype, ``int64`` by default, so fractional ``sample_weight``s are
truncated (Keras 3 behaviour); classes absent from both labels and predictions are left out of
the mean.
"""

import warnings

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.metrics.metric import Metric
from tensorlet.keras.src.metrics.metrics_utils import confusion_matrix
from tensorlet.ops import (
    array_creation_ops,
    array_ops,
    cast_ops,
    comparison_ops,
    gather_ops,
    linalg_ops,
    math_ops,
    reduction_ops,
)


class _IoUBase(Metric):
    """Accumulates the confusion matrix ``total_confusion_matrix`` (rows: labels).

    Args:
        num_classes: the number of classes (the matrix is ``num_classes`` square).
        ignore_class: a label whose entries are left out.
        sparse_y_true, sparse_y_pred: whether labels / predictions are class ids (True) or
            scores whose ``argmax`` along ``axis`` is taken (False).
        axis: the class axis of dense inputs (default -1).
    """

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(name=name, dtype=dtype or "int")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            shape=(num_classes, num_classes),
            initializer="zeros",
            dtype=self.dtype,
            name="total_confusion_matrix",
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds this batch's (weighted) label/prediction pairs to the confusion matrix."""
        if not self.sparse_y_true:
            y_true = reduction_ops.argmax(backend.convert_to_tensor(y_true), axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = reduction_ops.argmax(backend.convert_to_tensor(y_pred), axis=self.axis)
        y_true = backend.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = backend.convert_to_tensor(y_pred, dtype=self.dtype)
        if y_pred.shape.rank > 1:
            y_pred = array_ops.reshape(y_pred, [-1])
        if y_true.shape.rank > 1:
            y_true = array_ops.reshape(y_true, [-1])
        if sample_weight is None:
            sample_weight = 1
        elif "float" in str(getattr(sample_weight, "dtype", "")) and "int" in self.dtype:
            warnings.warn(
                "You are passing weight as `float`, but dtype is `int`. This may result in an "
                "incorrect weight due to type casting Consider using integer weights."
            )
        sample_weight = backend.convert_to_tensor(sample_weight, dtype=self.dtype)
        if sample_weight.shape.rank > 1:
            sample_weight = array_ops.reshape(sample_weight, [-1])
        sample_weight = array_ops.broadcast_to(sample_weight, array_ops.shape(y_true))
        if self.ignore_class is not None:
            ignore_class = backend.convert_to_tensor(self.ignore_class, y_true.dtype)
            valid = cast_ops.cast(comparison_ops.not_equal(y_true, ignore_class), y_true.dtype)
            y_true = y_true * valid
            y_pred = y_pred * valid
            sample_weight = sample_weight * valid
        current_cm = confusion_matrix(
            y_true, y_pred, self.num_classes, weights=sample_weight, dtype=self.dtype
        )
        return self.total_cm.assign(self.total_cm + current_cm)

    def reset_state(self):
        self.total_cm.assign(array_creation_ops.zeros(self.total_cm.shape, dtype=self.dtype))


@keras_export("keras.metrics.IoU")
class IoU(_IoUBase):
    """The mean IoU of the classes ``target_class_ids``.

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes averaged (one id gives that class's IoU).
        ignore_class, sparse_y_true, sparse_y_pred, axis: see the confusion matrix above.

    Example:
        >>> m = keras.metrics.IoU(num_classes=2, target_class_ids=[0])
        >>> _ = m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> round(float(m.result()), 4)
        0.3333
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            name=name,
            num_classes=num_classes,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
            dtype=dtype,
        )
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"Target class id {max(target_class_ids)} is out of range, which is "
                f"[0, {num_classes})."
            )
        self.target_class_ids = list(target_class_ids)

    def result(self):
        """``mean(TP / (TP + FP + FN))`` over the target classes seen at least once."""
        cm = self.total_cm._read()
        sum_over_row = cast_ops.cast(reduction_ops.reduce_sum(cm, axis=0), self.dtype)
        sum_over_col = cast_ops.cast(reduction_ops.reduce_sum(cm, axis=1), self.dtype)
        true_positives = cast_ops.cast(linalg_ops.matrix_diag_part(cm), self.dtype)
        denominator = sum_over_row + sum_over_col - true_positives
        target_class_ids = backend.convert_to_tensor(self.target_class_ids, dtype="int32")
        true_positives = gather_ops.gather(true_positives, target_class_ids)
        denominator = cast_ops.cast(gather_ops.gather(denominator, target_class_ids), "float32")
        num_valid_entries = reduction_ops.reduce_sum(
            cast_ops.cast(comparison_ops.greater(denominator, 1e-9), "float32")
        )
        eps = backend.epsilon()
        result_dtype = backend.result_type(true_positives.dtype, denominator.dtype)
        iou = math_ops.divide(
            cast_ops.cast(true_positives, result_dtype),
            cast_ops.cast(denominator + eps, result_dtype),
        )
        return math_ops.divide(
            reduction_ops.reduce_sum(iou, axis=self.axis), num_valid_entries + eps
        )

    def get_config(self):
        config = {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
        return {**super().get_config(), **config}


@keras_export("keras.metrics.BinaryIoU")
class BinaryIoU(IoU):
    """IoU of the classes 0 and/or 1 after thresholding: predictions ``>= threshold`` are 1.

    Args:
        target_class_ids: ``[0]``, ``[1]`` or ``[0, 1]`` (default both).
        threshold: the decision threshold (default 0.5).
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = backend.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = backend.convert_to_tensor(y_pred, dtype="float32")
        y_pred = cast_ops.cast(y_pred >= self.threshold, self.dtype)
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self._dtype,
        }


@keras_export("keras.metrics.MeanIoU")
class MeanIoU(IoU):
    """The mean IoU over all ``num_classes`` classes (those never seen are left out).

    Example:
        >>> m = keras.metrics.MeanIoU(num_classes=2)
        >>> _ = m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> round(float(m.result()), 4)
        0.3333
    """

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            name=name,
            num_classes=num_classes,
            target_class_ids=list(range(num_classes)),
            axis=axis,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self._dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


@keras_export("keras.metrics.OneHotIoU")
class OneHotIoU(IoU):
    """``IoU`` for one-hot labels (and, unless ``sparse_y_pred``, score predictions)."""

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "name": self.name,
            "dtype": self._dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


@keras_export("keras.metrics.OneHotMeanIoU")
class OneHotMeanIoU(MeanIoU):
    """``MeanIoU`` for one-hot labels (and, unless ``sparse_y_pred``, score predictions)."""

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            axis=axis,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self._dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
