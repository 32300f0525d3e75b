"""``tfmot.clustering``: weight clustering (not implemented in tensorlet)."""

from tensorlet.model_optimization.clustering import keras

__all__ = ["keras"]
