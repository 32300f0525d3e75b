"""``tfmot.sparsity.keras.PrunableLayer``: the interface of custom layers that can be pruned."""

import abc


class PrunableLayer(abc.ABC):
    """Mix-in of custom Keras layers that can be wrapped by ``prune_low_magnitude``:
    ``get_prunable_weights()`` lists the weight variables to prune.

    Example:
        >>> class MyDense(keras.layers.Dense, PrunableLayer):
        ...     def get_prunable_weights(self):
        ...         return [self.kernel]
    """

    @abc.abstractmethod
    def get_prunable_weights(self):
        """The weight variables of the layer to prune (e.g. ``[self.kernel]``)."""
        raise NotImplementedError("Must be implemented in subclasses.")
