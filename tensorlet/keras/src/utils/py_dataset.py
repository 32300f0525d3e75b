"""``keras.utils.PyDataset`` (alias ``Sequence``): batches by index, for ``fit``."""

from tensorlet.framework.export import keras_export


@keras_export("keras.utils.PyDataset", "keras.utils.Sequence")
class PyDataset:
    """Base class of Python datasets: ``__getitem__(index)`` returns one batch, ``__len__``
    the number of batches; ``on_epoch_begin`` / ``on_epoch_end`` run around each epoch.

    ``workers`` / ``use_multiprocessing`` / ``max_queue_size`` are accepted; batches are
    loaded on the calling thread.
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self):
        return getattr(self, "_workers", 1)

    @property
    def use_multiprocessing(self):
        return getattr(self, "_use_multiprocessing", False)

    @property
    def max_queue_size(self):
        return getattr(self, "_max_queue_size", 10)

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    @property
    def num_batches(self):
        return len(self)

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass
