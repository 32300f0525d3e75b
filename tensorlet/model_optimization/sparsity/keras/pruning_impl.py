"""Magnitude-based pruning of weight tensors: masks from a magnitude threshold.

For a target sparsity ``s`` the threshold is the ``k``-th largest magnitude with
``k = max(round(size * (1 - s)), 1)``; the mask keeps the weights at or above it. Block sparsity
pools the magnitudes over ``block_size`` blocks first (2-D weights only); m-by-n sparsity keeps
the ``n - m`` largest of every ``n`` consecutive input-channel values.

Updates go through ``tf.distribute`` as in tfmot: a ``merge_call`` of the current replica context,
then ``strategy.extended.update`` of each variable.
"""

from tensorlet.distribute import distribute_lib
from tensorlet.distribute.reduce_util import ReduceOp
from tensorlet.framework import dtypes
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.model_optimization.sparsity.keras import pruning_utils
from tensorlet.ops import (
    array_ops,
    cast_ops,
    comparison_ops,
    control_flow_ops,
    gather_ops,
    indexing,
    math_ops,
    sort_ops,
    unary_math_ops,
)


def _assign(variable, value):
    return variable.assign(value)


class Pruning:
    """The pruning logic of one layer.

    Args:
        training_step_fn: returns the current pruning step (an int64 variable).
        pruning_vars: ``(weight, mask, threshold)`` variable triples.
        pruning_schedule: a ``PruningSchedule``.
        block_size: ``(height, width)`` of the blocks pruned together (2-D weights only).
        block_pooling_type: ``'AVG'`` or ``'MAX'``: how a block's magnitude is pooled.
        sparsity_m_by_n: ``(m, n)``: ``m`` zeros in every ``n`` consecutive values, or None.
    """

    def __init__(
        self,
        training_step_fn,
        pruning_vars,
        pruning_schedule,
        block_size,
        block_pooling_type,
        sparsity_m_by_n=None,
    ):
        self._pruning_vars = pruning_vars
        self._pruning_schedule = pruning_schedule
        self._block_size = list(block_size)
        self._block_pooling_type = block_pooling_type
        self._sparsity_m_by_n = sparsity_m_by_n
        self._step_fn = training_step_fn
        self._validate_block()

    def _validate_block(self):
        if self._block_size != [1, 1]:
            for weight, _, _ in self._pruning_vars:
                if len(weight.shape) != 2:
                    raise ValueError(
                        "Block Sparsity can only be used for layers which have "
                        "2-dimensional weights."
                    )

    # ---------------------------------------------------------------- masks
    def _update_mask(self, weights):
        """``(threshold, mask)`` reaching the schedule's current sparsity on ``weights``."""
        sparsity = self._pruning_schedule(self._step_fn())[1]
        abs_weights = unary_math_ops.abs(weights)
        size = array_ops.size(abs_weights)
        k = cast_ops.cast(
            math_ops.maximum(
                unary_math_ops.round(cast_ops.cast(size, dtypes.float32) * (1 - sparsity)), 1
            ),
            dtypes.int32,
        )
        # the whole tensor sorted by magnitude; the (k-1)-th value is the threshold
        values, _ = sort_ops.top_k(array_ops.reshape(abs_weights, [-1]), k=size)
        threshold = gather_ops.gather(values, k - 1)
        mask = cast_ops.cast(comparison_ops.greater_equal(abs_weights, threshold), weights.dtype)
        return threshold, mask

    def _update_mask_sparsity_m_by_n(self, weights, m_by_n=(2, 4)):
        prepared = pruning_utils.weights_rearrange(weights)
        mask = pruning_utils.generate_m_by_n_mask(prepared, m_by_n)
        mask = pruning_utils.m_by_n_sparsity_mask_prepare(mask, weights.shape)
        return cast_ops.cast(mask, weights.dtype)

    def _maybe_update_block_mask(self, weights):
        """``(threshold, mask)`` for ``weights``: elementwise, block or m-by-n."""
        weights = convert_to_tensor(weights)  # a Keras variable's value (static shape)
        if self._sparsity_m_by_n:
            # no threshold for m-by-n sparsity: tfmot reports an arbitrary 999.0
            return 999.0, self._update_mask_sparsity_m_by_n(weights, self._sparsity_m_by_n)
        if self._block_size == [1, 1]:
            return self._update_mask(weights)
        squeezed = array_ops.squeeze(weights)
        pooled = pruning_utils.factorized_pool(
            unary_math_ops.abs(squeezed),
            window_shape=self._block_size,
            pooling_type=self._block_pooling_type,
            strides=self._block_size,
            padding="SAME",
        )
        if pooled.shape.rank != 2:
            pooled = array_ops.squeeze(pooled)
        threshold, mask = self._update_mask(pooled)
        expanded = pruning_utils.expand_tensor(mask, self._block_size)
        rows, cols = squeezed.shape.as_list()
        sliced = indexing.slice(expanded, [0, 0], [rows, cols])
        return threshold, array_ops.reshape(sliced, array_ops.shape(weights))

    # ---------------------------------------------------------------- updates
    def _weight_assign_objs(self):
        """``weight <- weight * mask`` for every pruned weight."""

        def update_fn(distribution, values_and_vars):
            # the weight belongs to the wrapped layer: its aggregation is unknown, so the
            # masked values are averaged over the replicas before the update (as tfmot)
            reduced = distribution.extended.batch_reduce_to(ReduceOp.MEAN, values_and_vars)
            variables = [v for _, v in values_and_vars]
            return [
                distribution.extended.update(var, _assign, args=(value,))
                for value, var in zip(reduced, variables)
            ]

        replica_context = distribute_lib.get_replica_context()
        if replica_context:
            values_and_vars = [
                (math_ops.multiply(weight, mask), weight) for weight, mask, _ in self._pruning_vars
            ]
            if values_and_vars:
                return [replica_context.merge_call(update_fn, args=(values_and_vars,))]
            return []
        return [
            _assign(weight, math_ops.multiply(weight, mask))
            for weight, mask, _ in self._pruning_vars
        ]

    def weight_mask_op(self):
        """Applies the masks to the weights (returns a grouping op in graphs, None eagerly)."""
        return control_flow_ops.group(self._weight_assign_objs())

    def conditional_mask_update(self):
        """Recomputes the masks and thresholds when the schedule says so at this step."""

        def should_update():
            return self._pruning_schedule(self._step_fn())[0]

        def no_update():
            return control_flow_ops.no_op()

        def mask_update_distributed(distribution):
            def update():
                ops = []
                for weight, mask, threshold in self._pruning_vars:
                    new_threshold, new_mask = self._maybe_update_block_mask(weight)
                    ops.append(distribution.extended.update(mask, _assign, (new_mask,)))
                    ops.append(distribution.extended.update(threshold, _assign, (new_threshold,)))
                return control_flow_ops.group(ops)

            return control_flow_ops.cond(should_update(), update, no_update)

        replica_context = distribute_lib.get_replica_context()
        if replica_context:
            return replica_context.merge_call(mask_update_distributed)

        def update():
            ops = []
            for weight, mask, threshold in self._pruning_vars:
                new_threshold, new_mask = self._maybe_update_block_mask(weight)
                ops.append(_assign(threshold, new_threshold))
                ops.append(_assign(mask, new_mask))
            return control_flow_ops.group(ops)

        return control_flow_ops.cond(should_update(), update, no_update)

    def add_pruning_summaries(self):
        """Writes the schedule's sparsity and each mask's sparsity and threshold as scalars."""
        from tensorlet.ops import reduction_ops
        from tensorlet.summary_ops import plugins

        plugins.scalar("sparsity", self._pruning_schedule(self._step_fn())[1])
        for _, mask, threshold in self._pruning_vars:
            plugins.scalar(mask.path + "/sparsity", 1.0 - reduction_ops.reduce_mean(mask))
            plugins.scalar(threshold.path + "/threshold", threshold)
