"""``keras.optimizers``: ``get`` / ``serialize`` / ``deserialize`` and the name table."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.optimizers.adadelta import Adadelta
from tensorlet.keras.src.optimizers.adafactor import Adafactor
from tensorlet.keras.src.optimizers.adagrad import Adagrad
from tensorlet.keras.src.optimizers.adam import Adam
from tensorlet.keras.src.optimizers.adamax import Adamax
from tensorlet.keras.src.optimizers.adamw import AdamW
from tensorlet.keras.src.optimizers.ftrl import Ftrl
from tensorlet.keras.src.optimizers.lamb import Lamb  # noqa: F401 (exported, not in the table)
from tensorlet.keras.src.optimizers.lion import Lion
from tensorlet.keras.src.optimizers.loss_scale_optimizer import LossScaleOptimizer
from tensorlet.keras.src.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap
from tensorlet.keras.src.optimizers.muon import Muon
from tensorlet.keras.src.optimizers.nadam import Nadam
from tensorlet.keras.src.optimizers.optimizer import Optimizer
from tensorlet.keras.src.optimizers.rmsprop import RMSprop
from tensorlet.keras.src.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from tensorlet.keras.src.optimizers.sgd import SGD
from tensorlet.keras.src.saving import serialization_lib

# as in Keras 3.15 (Lamb is exported but not in the name table)
ALL_OBJECTS = {
    Optimizer,
    Adam,
    SGD,
    RMSprop,
    Adadelta,
    AdamW,
    Adagrad,
    Adamax,
    Adafactor,
    Muon,
    MultiOptimizer,
    OptimizerMap,
    Nadam,
    Ftrl,
    Lion,
    LossScaleOptimizer,
    ScheduleFreeAdamW,
}
ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in ALL_OBJECTS}


@keras_export("keras.optimizers.serialize")
def serialize(optimizer):
    """The optimizer's config dict (``module``, ``class_name``, ``config``, ...)."""
    return serialization_lib.serialize_keras_object(optimizer)


@keras_export("keras.optimizers.deserialize")
def deserialize(config, custom_objects=None):
    """An optimizer from its config (built-in class names are case-insensitive)."""
    if config["class_name"].lower() in ALL_OBJECTS_DICT:
        config["class_name"] = config["class_name"].lower()
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects
    )


@keras_export("keras.optimizers.get")
def get(identifier):
    """An optimizer from a name (``'adam'``), a config dict or an Optimizer instance."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")


@keras_export(
    [
        "keras.optimizers.legacy.Adagrad",
        "keras.optimizers.legacy.Adam",
        "keras.optimizers.legacy.Ftrl",
        "keras.optimizers.legacy.RMSprop",
        "keras.optimizers.legacy.SGD",
        "keras.optimizers.legacy.Optimizer",
    ]
)
class LegacyOptimizerWarning:
    """``keras.optimizers.legacy.*``: Keras 2 optimizers, which Keras 3 does not have."""

    def __init__(self, *args, **kwargs):
        raise ImportError(
            "`keras.optimizers.legacy` is not supported in Keras 3. When using "
            "`tf.keras`, to continue using a `tf.keras.optimizers.legacy` "
            "optimizer, you can install the `tf_keras` package (Keras 2) and "
            "set the environment variable `TF_USE_LEGACY_KERAS=True` to "
            "configure TensorFlow to use `tf_keras` when accessing `tf.keras`."
        )
