"""``tfmot.sparsity``: weight pruning (``tfmot.sparsity.keras``)."""

from tensorlet.model_optimization.sparsity import keras

__all__ = ["keras"]
