"""``keras.callbacks.History``: the per-epoch logs of ``fit`` (what ``fit`` returns)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.callbacks.callback import Callback


@keras_export("keras.callbacks.History")
class History(Callback):
    """Records ``epoch`` (indices) and ``history`` (``{name: [value per epoch]}``)."""

    def __init__(self):
        super().__init__()
        self.history = {}

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.epoch.append(epoch)
        for k, v in logs.items():
            self.history.setdefault(k, []).append(v)
        self.model.history = self
