"""Distributed input: ``tf.distribute.DistributedDataset`` and its iterator.

A distributed dataset hands each replica its share of every global batch. With one replica the
share is the whole batch, so iterating yields the underlying dataset's elements unchanged (TF
wraps them in ``PerReplica`` only when there are several replicas).
"""

from tensorlet.framework import errors
from tensorlet.framework.export import tf_export


@tf_export("distribute.DistributedIterator")
class DistributedIterator:
    """An iterator over a ``tf.distribute.DistributedDataset``: each element holds one batch per
    replica (one replica: the batch itself)."""

    _TF_MODULE = "tensorflow.python.distribute.input_lib"

    def __init__(self, datasets, element_spec):
        self._iterators = [iter(ds) for ds in datasets]
        self._element_spec = element_spec

    def __repr__(self):
        return f"<{self._TF_MODULE}.{type(self).__name__} object at {id(self):#x}>"

    def __iter__(self):
        return self

    def __next__(self):
        # one input pipeline, one replica: the pipeline's element is the replica's batch
        return next(self._iterators[0])

    def get_next(self):
        """The next element; ``tf.errors.OutOfRangeError`` at the end."""
        try:
            return next(self)
        except StopIteration:
            raise errors.OutOfRangeError(None, None, "End of sequence") from None

    def get_next_as_optional(self):
        """A ``tf.experimental.Optional`` with the next element, empty at the end."""
        from tensorlet.data_ops.optional import Optional

        try:
            value = next(self)
        except StopIteration:
            return Optional.empty(self._element_spec)
        return Optional.from_value(value)

    @property
    def element_spec(self):
        """The type specification of the elements."""
        return self._element_spec


@tf_export("distribute.DistributedDataset")
class DistributedDataset:
    """A dataset distributed over the replicas of a strategy (made by
    ``strategy.experimental_distribute_dataset`` or ``distribute_datasets_from_function``).

    It can be iterated (eagerly or inside ``tf.function``) but not transformed further.
    """

    _TF_MODULE = "tensorflow.python.distribute.input_lib"

    def __init__(self, strategy, dataset=None, dataset_fn=None, input_contexts=None):
        self._strategy = strategy
        self._dataset_fn = dataset_fn
        self._input_contexts = input_contexts
        if dataset_fn is not None:
            self._datasets = [dataset_fn(ctx) for ctx in input_contexts]
        else:
            self._datasets = [dataset]

    def __repr__(self):
        return f"<{self._TF_MODULE}.{type(self).__name__} object at {id(self):#x}>"

    def __iter__(self):
        return DistributedIterator(self._datasets, self.element_spec)

    @property
    def element_spec(self):
        """The type specification of an element (one replica: the dataset's element spec)."""
        return self._datasets[0].element_spec

    def reduce(self, initial_state, reduce_func):
        """Folds ``reduce_func(state, element)`` over the elements, from ``initial_state``."""
        result = initial_state
        for element in self:
            result = reduce_func(result, element)
        return result

    @property
    def cardinality(self):
        """The number of elements of the underlying dataset (an int; ``-1`` infinite,
        ``-2`` unknown)."""
        return int(self._datasets[0].cardinality())
