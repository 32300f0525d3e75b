"""``keras.callbacks.Callback``: hooks called by ``fit``, ``evaluate`` and ``predict``."""

from tensorlet.framework.export import keras_export


@keras_export("keras.callbacks.Callback")
class Callback:
    """Base class of callbacks: override the ``on_*`` hooks.

    ``params`` (``verbose``, ``epochs``, ``steps``) and ``model`` are set by the trainer.
    The ``logs`` dicts hold the running (epoch-mean) values of the loss and metrics; epoch-end
    logs of ``fit`` also hold the ``val_*`` results.
    """

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self._model = model

    @property
    def model(self):
        return self._model

    def on_batch_begin(self, batch, logs=None):
        """Alias of ``on_train_batch_begin`` (Keras 2 name)."""

    def on_batch_end(self, batch, logs=None):
        """Alias of ``on_train_batch_end`` (Keras 2 name)."""

    def on_epoch_begin(self, epoch, logs=None):
        """At the start of an epoch of ``fit``."""

    def on_epoch_end(self, epoch, logs=None):
        """At the end of an epoch of ``fit`` (``logs``: the epoch's metrics, ``val_*``)."""

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Before a batch of ``evaluate`` (and of ``fit``'s validation)."""

    def on_test_batch_end(self, batch, logs=None):
        """After a batch of ``evaluate``."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Before a batch of ``predict``."""

    def on_predict_batch_end(self, batch, logs=None):
        """After a batch of ``predict`` (``logs["outputs"]``: the batch's predictions)."""

    def on_train_begin(self, logs=None):
        """At the start of ``fit``."""

    def on_train_end(self, logs=None):
        """At the end of ``fit`` (``logs``: the last epoch's)."""

    def on_test_begin(self, logs=None):
        """At the start of ``evaluate``."""

    def on_test_end(self, logs=None):
        """At the end of ``evaluate``."""

    def on_predict_begin(self, logs=None):
        """At the start of ``predict``."""

    def on_predict_end(self, logs=None):
        """At the end of ``predict``."""
