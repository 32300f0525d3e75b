"""``keras.Sequential``: a plain stack of layers, each with one input and one output."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.layers.core.input_layer import InputLayer
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.models.model import Model
from tensorlet.keras.src.saving import serialization_lib


@keras_export("keras.Sequential", "keras.models.Sequential")
class Sequential(Model):
    """A linear stack of layers.

    With a first ``keras.Input`` (or a first layer given ``input_shape=``) the model is built
    at once, so ``summary()`` shows output shapes; otherwise it builds on its first call.

    Example:
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
        >>> model.count_params()
        15
        >>> model(tf.ones((2, 4))).shape
        TensorShape([2, 3])
    """

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._layers_list = []
        self._symbolic_outputs = None
        if layers:
            for layer in layers:
                self.add(layer, rebuild=False)
            self._maybe_rebuild()

    @property
    def _layers(self):
        layers = self._layers_list
        return layers[1:] if layers and isinstance(layers[0], InputLayer) else list(layers)

    @property
    def layers(self):
        return self._layers

    def add(self, layer, rebuild=True):
        """Appends a layer (or the InputLayer of a ``keras.Input`` tensor)."""
        if not self._layers_list and getattr(layer, "_input_shape_arg", None) is not None:
            self.add(
                InputLayer(
                    shape=layer._input_shape_arg, batch_size=getattr(layer, "_batch_size_arg", None)
                ),
                rebuild=False,
            )
        history = getattr(layer, "_keras_history", None)
        if history is not None and isinstance(history[0], InputLayer):
            layer = history[0]
        if not isinstance(layer, Layer):
            raise ValueError(  # noqa: TRY004 (Keras' class)
                "Only instances of `keras.Layer` can be added to a Sequential model. "
                f"Received: {layer} (of type {type(layer)})"
            )
        if any(existing.name == layer.name for existing in self._layers_list):
            raise ValueError(
                "All layers added to a Sequential model should have unique names. "
                f"Name '{layer.name}' is already the name of a layer in this model. "
                "Update the `name` argument to pass a unique name."
            )
        if (
            isinstance(layer, InputLayer)
            and self._layers_list
            and isinstance(self._layers_list[0], InputLayer)
        ):
            raise ValueError(
                f"Sequential model '{self.name}' has already been configured to use "
                f"input shape {self._layers_list[0].batch_shape}. You cannot add a "
                "different Input layer to it."
            )
        self._layers_list.append(layer)
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built = False
            self._symbolic_outputs = None

    def pop(self, rebuild=True):
        """Removes and returns the last layer."""
        layer = self._layers_list.pop()
        self.built = False
        self._symbolic_outputs = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self):
        self.built = False
        self._symbolic_outputs = None
        if (
            self._layers_list
            and isinstance(self._layers_list[0], InputLayer)
            and len(self._layers_list) > 1
        ):
            self.build(self._layers_list[0].batch_shape)

    def build(self, input_shape=None):
        try:
            input_shape = backend.standardize_shape(input_shape)
        except (ValueError, TypeError):
            return  # not a single input tensor: build on call instead
        if not self._layers_list:
            raise ValueError(
                f"Sequential model {self.name} cannot be built because it has no "
                "layers. Call `model.add(layer)`."
            )
        first = self._layers_list[0]
        if isinstance(first, InputLayer):
            if first.batch_shape != input_shape:
                raise ValueError(
                    f"Sequential model '{self.name}' has already been configured to "
                    f"use input shape {first.batch_shape}. You cannot build it with "
                    f"input_shape {input_shape}"
                )
        else:
            self._layers_list.insert(
                0, InputLayer(batch_shape=input_shape, dtype=first.compute_dtype)
            )
        x = self._layers_list[0].output
        for layer in self._layers_list[1:]:
            try:
                x = layer(x)
            except NotImplementedError:
                return
        self._symbolic_outputs = x
        self.built = True

    def call(self, inputs, training=None, mask=None):
        if self._layers_list and isinstance(self._layers_list[0], InputLayer) and not isinstance(
            inputs, (list, tuple, dict)
        ):
            from tensorlet.keras.src.models.functional import adjust_input_rank

            inputs = adjust_input_rank([inputs], [self._layers_list[0].output])[0]
        outputs = inputs
        for layer in self._layers:
            kwargs = {}
            info = layer._call_info
            if info.has_mask and mask is not None:
                kwargs["mask"] = mask
            if info.has_training and training is not None:
                kwargs["training"] = training
            outputs = layer(inputs, **kwargs)
            inputs = outputs
            mask = getattr(outputs, "_keras_mask", None)
        return outputs

    def compute_output_spec(self, inputs, training=None, mask=None):
        for layer in self._layers:
            inputs = (
                layer.compute_output_spec(inputs, training=training)
                if layer._call_info.has_training
                else layer.compute_output_spec(inputs)
            )
        return inputs

    @property
    def inputs(self):
        if self._layers_list and isinstance(self._layers_list[0], InputLayer):
            return [self._layers_list[0].output]
        raise AttributeError(f"Sequential model '{self.name}' has no defined inputs yet.")

    @property
    def outputs(self):
        if self._symbolic_outputs is not None:
            return [self._symbolic_outputs]
        raise AttributeError(f"Sequential model '{self.name}' has no defined outputs yet.")

    @property
    def input_shape(self):
        return self.inputs[0].shape

    @property
    def output_shape(self):
        return self.outputs[0].shape

    @property
    def input(self):
        return self.inputs[0]

    @property
    def output(self):
        return self.outputs[0]

    def get_config(self):
        if serialization_lib.in_legacy_config():  # HDF5 files: layers without module keys
            from tensorlet.keras.src.saving.legacy_config import legacy_serialize

            serialize = legacy_serialize
        else:
            serialize = serialization_lib.serialize_keras_object
        layer_configs = [serialize(layer) for layer in self._layers_list]
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": serialization_lib.serialize_keras_object(self.dtype_policy),
            "layers": layer_configs,
        }
        if self._symbolic_outputs is not None:
            config["build_input_shape"] = self._layers_list[0].batch_shape
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        if isinstance(config, dict) and "layers" in config:
            layer_configs = config["layers"]
            model = cls(name=config.get("name"), trainable=config.get("trainable", True))
            build_input_shape = config.get("build_input_shape")
        else:  # the oldest Keras form: the list of layer configs
            layer_configs, model, build_input_shape = config, cls(), None
        for layer_config in layer_configs:
            if "module" not in layer_config:  # legacy (HDF5 / Keras 2) layer config
                from tensorlet.keras.src.saving.legacy_config import model_from_config

                layer = model_from_config(layer_config, custom_objects=custom_objects)
            else:
                layer = serialization_lib.deserialize_keras_object(
                    layer_config, custom_objects=custom_objects
                )
            model.add(layer, rebuild=False)
        model._maybe_rebuild()
        if not model.built and isinstance(build_input_shape, (tuple, list)):
            model.build(build_input_shape)
        return model
