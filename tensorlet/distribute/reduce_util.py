"""``tf.distribute.ReduceOp``: how values from several replicas are combined."""

import enum

from tensorlet.framework.export import tf_export
from tensorlet.framework.variables import VariableAggregation


@tf_export("distribute.ReduceOp")
class ReduceOp(enum.Enum):
    """Indicates how a set of values should be reduced: ``SUM`` or ``MEAN``.

    Example:
        >>> tf.distribute.ReduceOp("SUM")
        <ReduceOp.SUM: 'SUM'>
    """

    SUM = "SUM"
    MEAN = "MEAN"

    @staticmethod
    def from_variable_aggregation(aggregation):
        """The ReduceOp of a ``tf.VariableAggregation`` (``SUM`` or ``MEAN``)."""
        mapping = {VariableAggregation.SUM: ReduceOp.SUM, VariableAggregation.MEAN: ReduceOp.MEAN}
        reduce_op = mapping.get(aggregation)
        if not reduce_op:
            raise ValueError(
                f"Could not convert from `tf.VariableAggregation` {aggregation} to`tf.distribute.ReduceOp` "
                "type"
            )
        return reduce_op


def as_reduce_op(reduce_op):
    """``reduce_op`` as a ReduceOp: strings are accepted in any case (``"sum"``), as in TF."""
    if isinstance(reduce_op, str):
        return ReduceOp(reduce_op.upper())
    return reduce_op
