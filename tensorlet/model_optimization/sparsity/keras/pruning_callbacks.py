"""Keras callbacks of pruning: ``UpdatePruningStep`` (required) and ``PruningSummaries``."""

from tensorlet.backend import xp
from tensorlet.keras.src.callbacks.callback import Callback
from tensorlet.keras.src.callbacks.tensorboard import TensorBoard
from tensorlet.model_optimization.sparsity.keras import pruning_wrapper


class UpdatePruningStep(Callback):
    """Starts and maintains pruning during ``fit``: sets the pruning step of the wrappers to 0
    when training begins (wrappers then count the training steps and update their masks on the
    schedule's steps), and re-applies the masks at the end of each epoch so that the weights
    hold their zeros.

    Example:
        >>> model.fit(x, y, callbacks=[UpdatePruningStep()])   # doctest: +SKIP
    """

    def __init__(self):
        super().__init__()
        self.prunable_layers = []

    def on_train_begin(self, logs=None):
        self.prunable_layers = pruning_wrapper.collect_prunable_layers(self.model)
        if not self.prunable_layers:
            return
        # a new model starts at 0; a saved and restored one continues where it was
        if int(self.prunable_layers[0].pruning_step.numpy()) == -1:
            for layer in self.prunable_layers:
                layer.pruning_step.assign(0)

    def on_epoch_end(self, batch, logs=None):
        for layer in self.prunable_layers:
            if layer.built:
                layer.pruning_obj.weight_mask_op()


class PruningSummaries(TensorBoard):
    """A TensorBoard callback that also writes, at the start of each epoch, each mask's
    sparsity (``<mask>/sparsity``) and each threshold (``<threshold>/threshold``) to
    ``<log_dir>/metrics``, at the optimizer's iteration.

    Args:
        log_dir: the TensorBoard log directory (a non-empty string).
        update_freq: as ``keras.callbacks.TensorBoard``.
        **kwargs: other TensorBoard arguments.
    """

    def __init__(self, log_dir, update_freq="epoch", **kwargs):
        if not isinstance(log_dir, str) or not log_dir:
            raise ValueError(
                f"`log_dir` must be a non-empty string. You passed `log_dir`={log_dir}."
            )
        super().__init__(log_dir=log_dir, update_freq=update_freq, **kwargs)
        from tensorlet.summary_ops import summary_ops

        self._file_writer = summary_ops.create_file_writer(self.log_dir + "/metrics")

    def _log_pruning_metrics(self, logs, step):
        from tensorlet.summary_ops import plugins

        with self._file_writer.as_default():
            for name, value in logs.items():
                plugins.scalar(name, value, step=step)
            self._file_writer.flush()

    def on_epoch_begin(self, epoch, logs=None):
        if logs is not None:
            super().on_epoch_begin(epoch, logs)
        pruning_logs = {}
        for layer in pruning_wrapper.collect_prunable_layers(self.model):
            for _, mask, threshold in layer.pruning_vars:
                pruning_logs[mask.path + "/sparsity"] = 1 - float(xp.mean(mask.numpy()))
                pruning_logs[threshold.path + "/threshold"] = float(threshold.numpy())
        iteration = int(self.model.optimizer.iterations.numpy())
        self._log_pruning_metrics(pruning_logs, iteration)
