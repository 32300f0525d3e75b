"""``tfmot.quantization``: quantization-aware training (not implemented in tensorlet)."""

from tensorlet.model_optimization.quantization import keras

__all__ = ["keras"]
