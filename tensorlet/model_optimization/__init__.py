"""``tensorflow_model_optimization`` (tfmot) on tensorlet's Keras 3.

``import tensorflow_model_optimization as tfmot`` resolves here (see ``tensorlet/_alias.py``).
``tfmot.sparsity.keras`` implements magnitude-based weight pruning as tfmot 0.8 does, for
Keras 3 models (real tfmot only prunes Keras 2 / tf_keras models); quantization-aware training
and weight clustering are not implemented (their entry points say so).
"""

from tensorlet.model_optimization import clustering, quantization, sparsity

__version__ = "0.8.1"

__all__ = ["clustering", "quantization", "sparsity"]
