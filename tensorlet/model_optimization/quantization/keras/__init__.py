"""``tfmot.quantization.keras``: quantization-aware training is not implemented in tensorlet.

Each entry point raises ``NotImplementedError``; post-training quantization is available through
``tf.lite.TFLiteConverter`` (``converter.optimizations = [tf.lite.Optimize.DEFAULT]``).
"""

_MESSAGE = (
    "tensorlet.model_optimization does not implement quantization-aware training "
    "(tfmot.quantization.keras.{name}). Train the float model and use post-training "
    "quantization instead: tf.lite.TFLiteConverter.from_keras_model(model) with "
    "converter.optimizations = [tf.lite.Optimize.DEFAULT]."
)


def _not_implemented(name):
    def entry_point(*args, **kwargs):
        raise NotImplementedError(_MESSAGE.format(name=name))

    entry_point.__name__ = name
    entry_point.__doc__ = f"Not implemented in tensorlet: raises NotImplementedError ({name})."
    return entry_point


quantize_model = _not_implemented("quantize_model")
quantize_annotate_layer = _not_implemented("quantize_annotate_layer")
quantize_annotate_model = _not_implemented("quantize_annotate_model")
quantize_apply = _not_implemented("quantize_apply")
quantize_scope = _not_implemented("quantize_scope")

__all__ = [
    "quantize_annotate_layer",
    "quantize_annotate_model",
    "quantize_apply",
    "quantize_model",
    "quantize_scope",
]
