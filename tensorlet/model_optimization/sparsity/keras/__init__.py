"""``tfmot.sparsity.keras``: magnitude-based weight pruning of Keras models.

Example:
    >>> schedule = PolynomialDecay(initial_sparsity=0.5, final_sparsity=0.9, begin_step=0,
    ...                            end_step=1000)
    >>> model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])
    >>> pruned = prune_low_magnitude(model, pruning_schedule=schedule)
    >>> type(pruned.layers[0]).__name__
    'PruneLowMagnitude'
"""

from tensorlet.model_optimization.sparsity.keras.prunable_layer import PrunableLayer
from tensorlet.model_optimization.sparsity.keras.prune import (
    prune_low_magnitude,
    prune_scope,
    strip_pruning,
)
from tensorlet.model_optimization.sparsity.keras.pruning_callbacks import (
    PruningSummaries,
    UpdatePruningStep,
)
from tensorlet.model_optimization.sparsity.keras.pruning_policy import PruningPolicy
from tensorlet.model_optimization.sparsity.keras.pruning_schedule import (
    ConstantSparsity,
    PolynomialDecay,
    PruningSchedule,
)

__all__ = [
    "ConstantSparsity",
    "PolynomialDecay",
    "PrunableLayer",
    "PruningPolicy",
    "PruningSchedule",
    "PruningSummaries",
    "UpdatePruningStep",
    "prune_low_magnitude",
    "prune_scope",
    "strip_pruning",
]
