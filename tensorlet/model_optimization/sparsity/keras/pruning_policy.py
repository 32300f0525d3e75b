"""``tfmot.sparsity.keras.PruningPolicy``: which layers of a model get pruned."""

import abc


class PruningPolicy(abc.ABC):
    """Decides which layers ``prune_low_magnitude`` wraps when it prunes a whole model.

    ``allow_pruning(layer)`` says whether ``layer`` is wrapped; ``ensure_model_supports_pruning
    (model)`` raises ``ValueError`` for models the policy cannot handle.
    """

    @abc.abstractmethod
    def allow_pruning(self, layer):
        """True if ``layer`` should be pruned."""
        raise NotImplementedError("PruningPolicy implementation must override allow_pruning.")

    @abc.abstractmethod
    def ensure_model_supports_pruning(self, model):
        """Raises ``ValueError`` if the policy cannot prune ``model``."""
        raise NotImplementedError(
            "PruningPolicy implementation must override ensure_model_supports_pruning."
        )
