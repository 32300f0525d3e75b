"""``keras.layers.Embedding``: integer ids -> rows of a trainable ``(input_dim, output_dim)``
table."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend, initializers
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.layers.layer_utils import get_optional
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.ops import comparison_ops, gather_ops


@keras_export("keras.layers.Embedding")
class Embedding(Layer):
    """Looks up ``embeddings[ids]``; non-integer ids are cast to int32 first.

    Args:
        input_dim: vocabulary size (largest id + 1).
        output_dim: size of each embedding vector.
        embeddings_initializer: default ``'uniform'`` (``RandomUniform(-0.05, 0.05)``).
        embeddings_regularizer, embeddings_constraint: optional.
        mask_zero: whether id 0 is padding (``compute_mask`` returns ``ids != 0``).
        weights: optional initial ``[table]``.

    Input shape: ``(batch_size, ...)`` integer ids. Output shape: ``input_shape + (output_dim,)``.

    Example:
        >>> keras.layers.Embedding(5, 3)(tf.constant([[0, 4]])).shape
        TensorShape([1, 2, 3])
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        weights=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        **kwargs,
    ):
        input_length = kwargs.pop("input_length", None)
        if input_length is not None:
            import warnings

            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = get_optional("regularizers", embeddings_regularizer)
        self.embeddings_constraint = get_optional("constraints", embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.quantization_config = quantization_config
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        if self.built:
            return
        self._embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            name="embeddings",
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
            trainable=True,
        )
        self.built = True

    @property
    def embeddings(self):
        return self._embeddings

    def call(self, inputs):
        inputs = backend.convert_to_tensor(inputs)
        if inputs.dtype.name not in ("int32", "int64"):
            inputs = backend.cast(inputs, "int32")
        outputs = gather_ops.gather(self._embeddings.value(), inputs, axis=0)
        return backend.cast(outputs, self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return comparison_ops.not_equal(backend.convert_to_tensor(inputs), 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        ser = serialization_lib.serialize_keras_object
        config = {
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": ser(self.embeddings_regularizer),
            "activity_regularizer": ser(self.activity_regularizer),
            "embeddings_constraint": ser(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": self.quantization_config,
        }
        if self.lora_rank:
            config["lora_rank"] = self.lora_rank
            config["lora_alpha"] = self.lora_alpha
        return {**super().get_config(), **config}
