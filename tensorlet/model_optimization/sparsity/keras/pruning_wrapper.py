"""``PruneLowMagnitude``: the Keras wrapper that prunes a layer's weights by magnitude.

For each prunable weight the wrapper holds a ``mask`` (ones at first) and a ``threshold``; it
also counts training steps in ``pruning_step`` (-1 until ``UpdatePruningStep`` starts training).
Each call applies ``weight <- weight * mask`` before running the wrapped layer, so the forward
pass only sees kept weights; in training it first advances ``pruning_step`` and, on the steps the
schedule says, recomputes the masks from the current magnitudes.
"""

import inspect
import re

from tensorlet.backend import xp
from tensorlet.framework.tensor_util import constant_value
from tensorlet.keras.src import initializers
from tensorlet.keras.src.layers.core.wrapper import Wrapper
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.model_optimization.sparsity.keras import (
    prunable_layer,
    prune_registry,
    pruning_impl,
)
from tensorlet.model_optimization.sparsity.keras import pruning_schedule as pruning_sched
from tensorlet.model_optimization.sparsity.keras.pruning_utils import (
    convert_to_tuple_of_two_int,
)
from tensorlet.ops import control_flow_ops, debugging_ops


def _to_snake_case(name):
    intermediate = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return insecure if insecure[0] != "_" else "private" + insecure


def _smart_cond(pred, true_fn, false_fn):
    """``true_fn()`` / ``false_fn()`` in Python when ``pred`` is known, else ``tf.cond``."""
    static = pred if isinstance(pred, bool) else constant_value(pred)
    if static is not None:
        return true_fn() if bool(static) else false_fn()
    return control_flow_ops.cond(pred, true_fn, false_fn)


class PruneLowMagnitude(Wrapper):
    """Wraps a Keras layer so that its weights are pruned by magnitude during training.

    Magnitude pruning reaches a target sparsity (fraction of zeros) by zeroing the weights whose
    magnitude is below a threshold; the schedule sets the sparsity at each step. Block sparsity
    (``block_size``) prunes 2-D weights in blocks whose magnitude is pooled (``'AVG'`` or
    ``'MAX'``). Layers are prunable when registered (Dense, Conv*, Embedding, ...), when they
    are a ``PrunableLayer`` or when they define ``get_prunable_weights()``.

    Args:
        layer: the Keras layer to prune.
        pruning_schedule: a ``PruningSchedule`` (default ``ConstantSparsity(0.5, 0)``).
        block_size: ``(height, width)`` of the blocks of 2-D weights pruned together.
        block_pooling_type: ``'AVG'`` or ``'MAX'``.
        sparsity_m_by_n: ``(m, n)``: prune ``m`` of every ``n`` consecutive values, or None.
        **kwargs: other Keras layer arguments.
    """

    _PRUNE_CALLBACK_ERROR_MSG = (
        "Prune() wrapper requires the UpdatePruningStep callback to be provided "
        "during training. Please add it as a callback to your model.fit call."
    )

    def __init__(
        self,
        layer,
        pruning_schedule=pruning_sched.ConstantSparsity(0.5, 0),  # noqa: B008
        block_size=(1, 1),
        block_pooling_type="AVG",
        sparsity_m_by_n=None,
        **kwargs,
    ):
        if sparsity_m_by_n:
            sparsity_m_by_n = convert_to_tuple_of_two_int(sparsity_m_by_n, "sparsity_m_by_n")
        if block_pooling_type not in ["AVG", "MAX"]:
            raise ValueError(
                f"Unsupported pooling type '{block_pooling_type}'. Should be 'AVG' or 'MAX'."
            )
        if not isinstance(layer, Layer):
            raise ValueError(  # noqa: TRY004 (tfmot's class)
                f"Please initialize `Prune` layer with a `Layer` instance. You passed: {layer}"
            )
        kwargs["name"] = f"{_to_snake_case(self.__class__.__name__)}_{layer.name}"
        if isinstance(layer, prunable_layer.PrunableLayer) or hasattr(
            layer, "get_prunable_weights"
        ):
            super().__init__(layer, **kwargs)
        elif prune_registry.PruneRegistry.supports(layer):
            super().__init__(prune_registry.PruneRegistry.make_prunable(layer), **kwargs)
        else:
            raise ValueError(
                "Please initialize `Prune` with a supported layer. Layers should either be "
                "supported by the PruneRegistry (built-in keras layers) or should be a "
                "`PrunableLayer` instance, or should has a customer defined "
                f"`get_prunable_weights` method. You passed: {layer.__class__}"
            )
        self.pruning_schedule = pruning_schedule
        self.block_size = block_size
        self.block_pooling_type = block_pooling_type
        self.sparsity_m_by_n = sparsity_m_by_n
        # the Pruning object (not searched for state): holds the (weight, mask, threshold)
        self.pruning_obj = None
        # a first layer given `input_shape=` keeps making its Sequential model buildable
        for attr in ("_input_shape_arg", "_batch_size_arg"):
            if hasattr(layer, attr):
                object.__setattr__(self, attr, getattr(layer, attr))

    @property
    def pruning_vars(self):
        """The ``(weight, mask, threshold)`` triples (empty before ``build``)."""
        return list(self.pruning_obj._pruning_vars) if self.pruning_obj is not None else []

    @property
    def prunable_weights(self):
        """The wrapped layer's weights being pruned."""
        return [w for w, _, _ in self.pruning_vars]

    def build(self, input_shape=None):
        super().build(input_shape)
        pruning_vars = []
        for weight in self.layer.get_prunable_weights():
            mask = self.add_weight(
                name=weight.name + "_mask",
                shape=weight.shape,
                initializer="ones",
                dtype=weight.dtype,
                trainable=False,
                aggregation="mean",
            )
            threshold = self.add_weight(
                name=weight.name + "_threshold",
                shape=(),
                initializer="zeros",
                dtype=weight.dtype,
                trainable=False,
                aggregation="mean",
            )
            pruning_vars.append((weight, mask, threshold))
        # the number of training steps seen by this layer (set to 0 by UpdatePruningStep)
        self.pruning_step = self.add_weight(
            name="pruning_step",
            shape=(),
            initializer=initializers.Constant(-1),
            dtype="int64",
            trainable=False,
        )
        self.pruning_obj = pruning_impl.Pruning(
            training_step_fn=lambda: self.pruning_step,
            pruning_vars=pruning_vars,
            pruning_schedule=self.pruning_schedule,
            block_size=self.block_size,
            block_pooling_type=self.block_pooling_type,
            sparsity_m_by_n=self.sparsity_m_by_n,
        )
        self.built = True

    def call(self, inputs, training=None, **kwargs):
        if training is None:
            training = False  # Keras' default learning phase: inference

        def increment_step():
            self.pruning_step.assign_add(1)
            return control_flow_ops.no_op("update")

        def add_update():
            debugging_ops.assert_greater_equal_v2(
                self.pruning_step, xp.int64(1), message=self._PRUNE_CALLBACK_ERROR_MSG
            )
            self.pruning_obj.conditional_mask_update()
            return control_flow_ops.no_op("update")

        def no_op():
            return control_flow_ops.no_op("no_update")

        _smart_cond(training, increment_step, no_op)
        _smart_cond(training, add_update, no_op)
        # always mask: the forward pass uses pruned weights even before the first update
        self.pruning_obj.weight_mask_op()
        if "training" in inspect.getfullargspec(self.layer.call).args:
            return self.layer.call(inputs, training=training, **kwargs)
        return self.layer.call(inputs, **kwargs)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def compute_output_spec(self, *args, **kwargs):
        kwargs.pop("training", None)
        return self.layer.compute_output_spec(*args, **kwargs)

    # ---------------------------------------------------------------- config
    def get_config(self):
        config = {
            "pruning_schedule": self.pruning_schedule.get_config(),
            "block_size": self.block_size,
            "block_pooling_type": self.block_pooling_type,
        }
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        schedule = config.pop("pruning_schedule")
        schedules = {
            "ConstantSparsity": pruning_sched.ConstantSparsity,
            "PolynomialDecay": pruning_sched.PolynomialDecay,
        }
        if isinstance(schedule, dict):
            schedule_cls = schedules.get(schedule.get("class_name"))
            if schedule_cls is None:
                schedule = serialization_lib.deserialize_keras_object(
                    schedule, custom_objects=custom_objects
                )
            else:
                schedule = schedule_cls.from_config(schedule["config"])
        config["pruning_schedule"] = schedule
        config["layer"] = serialization_lib.deserialize_keras_object(
            config["layer"], custom_objects=custom_objects
        )
        config.pop("name", None)  # derived from the wrapped layer's name
        return cls(**config)

    # ---------------------------------------------------------------- weights (tfmot's view)
    @property
    def trainable(self):
        return self.layer.trainable

    @trainable.setter
    def trainable(self, value):
        self.layer.trainable = value

    @property
    def trainable_weights(self):
        return self.layer.trainable_weights

    @property
    def non_trainable_weights(self):
        own = [v for v in self._own_weights() if not v.trainable]
        return self.layer.non_trainable_weights + own

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    @property
    def losses(self):
        return self.layer.losses + list(self._losses)

    def get_weights(self):
        return self.layer.get_weights()

    def set_weights(self, weights):
        self.layer.set_weights(weights)


def collect_prunable_layers(model):
    """The ``PruneLowMagnitude`` layers of ``model``, searching nested layers and models."""
    found = []
    for layer in model._flatten_layers(recursive=False, include_self=False):
        if isinstance(layer, PruneLowMagnitude):
            found.append(layer)
        elif isinstance(layer, Layer):
            found += collect_prunable_layers(layer)
    return found
