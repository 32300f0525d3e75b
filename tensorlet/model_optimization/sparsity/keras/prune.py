"""Entry points: ``prune_low_magnitude``, ``strip_pruning`` and ``prune_scope``."""

from tensorlet.keras.src.layers.core.input_layer import InputLayer
from tensorlet.keras.src.layers.layer import Layer
from tensorlet.keras.src.models.model import Model
from tensorlet.keras.src.saving.object_registration import CustomObjectScope
from tensorlet.model_optimization import keras_utils
from tensorlet.model_optimization.sparsity.keras import pruning_schedule as pruning_sched
from tensorlet.model_optimization.sparsity.keras import pruning_wrapper


def prune_scope():
    """A scope in which models and layers saved with pruning wrappers can be loaded.

    Example:
        >>> with prune_scope():                                  # doctest: +SKIP
        ...     loaded = keras.models.load_model("pruned.keras")
    """
    return CustomObjectScope({"PruneLowMagnitude": pruning_wrapper.PruneLowMagnitude})


def prune_low_magnitude(
    to_prune,
    pruning_schedule=pruning_sched.ConstantSparsity(0.5, 0),  # noqa: B008
    block_size=(1, 1),
    block_pooling_type="AVG",
    pruning_policy=None,
    sparsity_m_by_n=None,
    **kwargs,
):
    """Wraps a Keras layer, a list of layers, or the layers of a Sequential or functional
    model in ``PruneLowMagnitude`` wrappers, which prune the weights by magnitude while the
    model trains (with the ``UpdatePruningStep`` callback).

    A model is rebuilt with each layer wrapped (the layers, hence their weights, are shared
    with ``to_prune``); it needs to be compiled again.

    Args:
        to_prune: a Keras layer, a list of layers, or a Sequential / functional model.
        pruning_schedule: a ``PruningSchedule`` (default ``ConstantSparsity(0.5, 0)``).
        block_size: ``(height, width)`` of the blocks pruned together in 2-D weights.
        block_pooling_type: ``'AVG'`` or ``'MAX'``.
        pruning_policy: a ``PruningPolicy`` choosing the layers of a model to prune.
        sparsity_m_by_n: ``(m, n)``: prune ``m`` of every ``n`` consecutive values.
        **kwargs: other layer arguments (used when ``to_prune`` is a layer).

    Returns:
        The wrapped layer, list of layers or model.

    Example:
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
        >>> pruned = prune_low_magnitude(model)
        >>> [type(layer).__name__ for layer in pruned.layers]
        ['PruneLowMagnitude']
    """
    params = {
        "pruning_schedule": pruning_schedule,
        "block_size": block_size,
        "block_pooling_type": block_pooling_type,
        "sparsity_m_by_n": sparsity_m_by_n,
    }

    def prune_list(layers):
        wrapped = []
        for layer in layers:
            if isinstance(layer, pruning_wrapper.PruneLowMagnitude):
                wrapped.append(layer)
            elif isinstance(layer, InputLayer):
                wrapped.append(layer.__class__.from_config(layer.get_config()))
            else:
                wrapped.append(pruning_wrapper.PruneLowMagnitude(layer, **params))
        return wrapped

    def add_pruning_wrapper(layer):
        if isinstance(layer, Model):
            if not keras_utils.is_sequential_or_functional(layer):
                raise ValueError("Subclassed models are not supported currently.")
            return keras_utils.clone_model(layer, add_pruning_wrapper)
        if isinstance(layer, pruning_wrapper.PruneLowMagnitude):
            return layer
        if pruning_policy and not pruning_policy.allow_pruning(layer):
            return layer
        return pruning_wrapper.PruneLowMagnitude(layer, **params)

    if isinstance(to_prune, list):
        return prune_list(to_prune)
    if keras_utils.is_sequential_or_functional(to_prune):
        if pruning_policy:
            pruning_policy.ensure_model_supports_pruning(to_prune)
        return add_pruning_wrapper(to_prune)
    if isinstance(to_prune, Layer) and not isinstance(to_prune, Model):
        params.update(kwargs)
        return pruning_wrapper.PruneLowMagnitude(to_prune, **params)
    raise ValueError(
        "`prune_low_magnitude` can only prune an object of the following types: "
        "keras.models.Sequential, keras functional model, keras.layers.Layer, list of "
        f"keras.layers.Layer. You passed an object of type: {to_prune.__class__.__name__}."
    )


def strip_pruning(model):
    """The model (or layer) with its pruning wrappers replaced by the wrapped layers, which
    hold the pruned (zeroed) weights.

    Args:
        model: a Sequential / functional ``keras.Model`` with pruning wrappers, or a layer.

    Returns:
        A model of the same structure as the original one, or the unwrapped layer.

    Example:
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
        >>> stripped = strip_pruning(prune_low_magnitude(model))
        >>> [type(layer).__name__ for layer in stripped.layers]
        ['Dense']
    """
    if not isinstance(model, Layer):
        raise ValueError(  # noqa: TRY004 (tfmot's class)
            "Expected model to be a `tf.keras.Model` instance but got: ", model
        )

    def strip_pruning_wrapper(layer):
        if isinstance(layer, Model):
            return keras_utils.clone_model(layer, strip_pruning_wrapper)
        if isinstance(layer, pruning_wrapper.PruneLowMagnitude):
            return layer.layer
        return layer

    if isinstance(model, Model):
        if not keras_utils.is_sequential_or_functional(model):
            raise ValueError("Subclassed models are not supported currently.")
        return keras_utils.clone_model(model, strip_pruning_wrapper)
    return strip_pruning_wrapper(model)
