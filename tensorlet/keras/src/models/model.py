"""``keras.Model``: a Layer that groups layers, with training (``trainers.trainer.Trainer``:
compile / fit / evaluate / predict), ``summary()`` and the model utilities.

``keras.Model(inputs, outputs)`` builds a functional model (``functional.Functional``);
subclassing ``keras.Model`` and defining ``call`` gives a subclassed model.
"""

import inspect
import json

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.trainers.trainer import Trainer
from tensorlet.keras.src.utils import summary_utils


@keras_export("keras.Model", "keras.models.Model")
class Model(Trainer, Layer):
    """A group of layers with training and inference features.

    Example:
        >>> inputs = keras.Input((3,))
        >>> outputs = keras.layers.Dense(2)(inputs)
        >>> model = keras.Model(inputs, outputs)
        >>> model(tf.ones((1, 3))).shape
        TensorShape([1, 2])
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and (args or "inputs" in kwargs or "outputs" in kwargs):
            from tensorlet.keras.src.models.functional import Functional

            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        trainable = kwargs.pop("trainable", True)
        name = kwargs.pop("name", None)
        dtype = kwargs.pop("dtype", None)
        super().__init__(trainable=trainable, name=name, dtype=dtype, **kwargs)
        self._init_trainer()

    @property
    def layers(self):
        """The model's direct sub-layers (no InputLayer), in tracking order."""
        return list(self._layers)

    def get_layer(self, name=None, index=None):
        """A sub-layer by ``name`` or ``index``."""
        if index is not None and name is not None:
            raise ValueError(
                f"Provide only a layer name or a layer index. Received: index={index}, name={name}."
            )
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only "
                    f"has {len(self.layers)} layers."
                )
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: "
                f"{[layer.name for layer in self.layers]}."
            )
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def summary(
        self,
        line_length=None,
        positions=None,
        print_fn=None,
        expand_nested=False,
        show_trainable=False,
        layer_range=None,
    ):
        """Prints a table of the layers (name, output shape, parameter count) and totals."""
        summary_utils.print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )

    # ---------------------------------------------------------------- saving
    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves the model (architecture, weights, optimizer state) to a ``.keras`` file (or a
        legacy ``.h5`` file); ``keras.saving.save_model(self, filepath)``."""
        from tensorlet.keras.src.saving import saving_api

        return saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        """Saves the weights (and optimizer state) to a ``.weights.h5`` file."""
        from tensorlet.keras.src.saving import saving_api

        return saving_api.save_weights(
            self, filepath, overwrite=overwrite, max_shard_size=max_shard_size
        )

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads weights from a ``.weights.h5``, ``.keras`` or legacy ``.h5`` file."""
        from tensorlet.keras.src.saving import saving_api

        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def to_json(self, **kwargs):
        """The model's config as a JSON string (``keras.models.model_from_json`` reads it);
        ``kwargs`` go to ``json.dumps``."""
        from tensorlet.keras.src.saving import serialization_lib

        return json.dumps(serialization_lib.serialize_keras_object(self), **kwargs)

    def to_yaml(self, **kwargs):
        """Keras 2's YAML form of ``to_json()`` (Keras 3 removed it; kept because the seed
        document uses it): PyYAML's ``dump`` when installed, else the JSON text, which is
        valid YAML. ``keras.models.model_from_yaml`` reads it back."""
        from tensorlet.keras.src.saving import serialization_lib

        config = serialization_lib.serialize_keras_object(self)
        try:
            import yaml
        except ImportError:
            return json.dumps(config, **kwargs)
        return yaml.dump(json.loads(json.dumps(config)), **kwargs)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A functional model from a functional config, else ``cls(**config)``."""
        from tensorlet.keras.src.models.functional import Functional, functional_from_config

        is_functional_config = all(
            key in config for key in ("name", "layers", "input_layers", "output_layers")
        )
        argspec = inspect.getfullargspec(cls.__init__)
        functional_args = inspect.getfullargspec(Functional.__init__).args[1:]
        revivable_as_functional = (
            cls in (Functional, Model)
            or argspec.args[1:] == functional_args
            or (argspec.varargs == "args" and argspec.varkw == "kwargs")
        )
        if is_functional_config and revivable_as_functional:
            return functional_from_config(cls, config, custom_objects=custom_objects)
        try:
            return cls(**config)
        except TypeError as e:
            raise TypeError(
                "Unable to revive model from config. When overriding the `get_config()` "
                "method, make sure that the returned config contains all items used as "
                f"arguments in the  constructor to {cls}, which is the default behavior. You "
                "can override this default behavior by defining a `from_config(cls, config)` "
                f"class method to specify how to create an instance of {cls.__name__} from its "
                f"config.\n\nReceived config={config}\n\nError encountered during "
                f"deserialization: {e}"
            ) from e
