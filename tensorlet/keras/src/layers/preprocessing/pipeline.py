"""``keras.layers.Pipeline``: a plain layer applying a list of layers in order."""

from tensorlet.framework import nest
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.call_context import call_info
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.saving import serialization_lib


@keras_export("keras.layers.Pipeline")
class Pipeline(Layer):
    """Applies ``layers`` one after the other (passing ``training`` and masks on). Unlike a
    ``Sequential`` model it is a plain layer, usable in ``tf.data`` maps as its layers are.

    Args:
        layers: the list of layers.

    Example:
        >>> pipeline = keras.layers.Pipeline(
        ...     [keras.layers.Rescaling(1 / 255.0), keras.layers.RandomFlip(seed=1)]
        ... )
        >>> pipeline(tf.ones((2, 4, 4, 3)), training=False).numpy().max()
        np.float32(0.003921569)
    """

    def __init__(self, layers, name=None):
        super().__init__(name=name)
        self._pipeline_layers = layers
        self.built = True

    def _convert_input(self, x):
        return x

    @property
    def layers(self):
        return self._pipeline_layers

    def call(self, inputs, training=True, mask=None):
        outputs = inputs
        for layer in self._pipeline_layers:
            info = call_info(type(layer))
            kwargs = {}
            if info.has_mask:
                kwargs["mask"] = mask
            if info.has_training and training is not None:
                kwargs["training"] = training
            outputs = layer(inputs, **kwargs)
            inputs = outputs
            mask = nest.map_structure(lambda t: getattr(t, "_keras_mask", None), outputs)
        return outputs

    @classmethod
    def from_config(cls, config):
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(  # noqa: TRY004 (Keras' class)
                "`Pipeline` config must contain a `layers` key mapping to a list of serialized "
                f"layers. Received config with layers={layers}."
            )
        config = dict(config)
        config["layers"] = [serialization_lib.deserialize_keras_object(x) for x in layers]
        return cls(**config)

    def get_config(self):
        return {
            "layers": serialization_lib.serialize_keras_object(self._pipeline_layers),
            "name": self.name,
        }
