"""``keras.callbacks.LearningRateScheduler``: sets the learning rate at each epoch start."""

from tensorlet.backend import xp
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.callbacks.callback import Callback
from tensorlet.keras.src.utils import io_utils


@keras_export("keras.callbacks.LearningRateScheduler")
class LearningRateScheduler(Callback):
    """``schedule(epoch, lr) -> new lr`` (or ``schedule(epoch)``) applied before each epoch;
    adds ``learning_rate`` to the epoch logs."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:  # new API
            lr = float(xp.asarray(optimizer.learning_rate))
            lr = self.schedule(epoch, lr)
        except TypeError:  # the schedule takes the epoch only
            lr = self.schedule(epoch)
        if hasattr(lr, "numpy"):
            lr = lr.numpy()
        if not isinstance(lr, (float, int, xp.floating, xp.integer)) and xp.ndim(lr) != 0:
            raise ValueError(
                f"The output of the `schedule` function should be a float. Got: {lr}"
            )
        optimizer.learning_rate = float(lr)
        if self.verbose > 0:
            io_utils.print_msg(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}."
            )

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        logs["learning_rate"] = float(xp.asarray(self.model.optimizer.learning_rate))
