"""``keras.callbacks.TensorBoard``: event files of the losses, metrics and weights of ``fit``.

As Keras 3 (TF backend) does, it writes to ``<log_dir>/train`` and ``<log_dir>/validation``:

- ``keras`` (step 0, train): the model's JSON config, plugin ``graph_keras_model`` (Sequential and
  Functional models, when ``write_graph``). No GraphDef is written (Keras 3 writes none either);
- ``epoch_<name>`` per epoch: the training logs and ``epoch_learning_rate`` in ``train``, the
  ``val_*`` logs (prefix removed) in ``validation``;
- ``evaluation_<name>_vs_iterations`` at the end of each evaluation (in ``validation``), at step
  ``model.optimizer.iterations``;
- ``<weight path>/histogram`` (and ``/image`` with ``write_images``) every ``histogram_freq``
  epochs;
- ``batch_<name>`` after every training batch when ``update_freq`` is an integer or ``"batch"``
  (and ``batch_steps_per_second`` with ``write_steps_per_second``). The train writer is then the
  default writer during ``fit``, so ``tf.summary`` calls in the model are recorded too.

Profiling (``profile_batch``) is accepted and ignored: tensorlet has no profiler.
"""

import json
import logging
import os
import sys
import time
import warnings

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.backend import config as backend_config
from tensorlet.keras.src.callbacks.callback import Callback
from tensorlet.keras.src.ops.core import convert_to_numpy
from tensorlet.ops import array_ops
from tensorlet.summary_ops import event_pb, plugins, summary_ops

_EMBEDDING_TENSOR = "layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"


class _Summary:
    """The ``tf.summary`` functions the callback uses (Keras reaches them as a module)."""

    create_file_writer = staticmethod(summary_ops.create_file_writer)
    record_if = staticmethod(summary_ops.record_if)
    scalar = staticmethod(plugins.scalar)
    histogram = staticmethod(plugins.histogram)
    image = staticmethod(plugins.image)
    write = staticmethod(summary_ops.write)
    graph = staticmethod(summary_ops.graph)
    trace_on = staticmethod(summary_ops.trace_on)
    trace_export = staticmethod(summary_ops.trace_export)


@keras_export("keras.callbacks.TensorBoard")
class TensorBoard(Callback):
    """Enable visualizations for TensorBoard.

    Args:
        log_dir: the directory where the ``train/`` and ``validation/`` event files are written.
        histogram_freq: frequency (in epochs) of weight histograms; 0 writes none.
        write_graph: whether to write the model's config (``keras`` tag); no GraphDef is
            written, as in Keras 3.
        write_images: whether to also write the weights as images.
        write_steps_per_second: whether to log the training steps per second.
        update_freq: ``"batch"``, ``"epoch"`` or an integer: with ``"batch"`` or an integer,
            batch-level ``batch_<metric>`` scalars are written and the train writer is the
            default writer during training.
        profile_batch: accepted (non-negative int or pair of ints) and ignored.
        embeddings_freq: frequency (in epochs) at which embedding layers are saved for the
            projector; 0 disables it.
        embeddings_metadata: maps embedding layer names to metadata files (or one filename).

    Example:
        >>> tb = keras.callbacks.TensorBoard(log_dir="./logs")           # doctest: +SKIP
        >>> model.fit(x_train, y_train, epochs=2, callbacks=[tb])      # doctest: +SKIP
    """

    def __init__(
        self,
        log_dir="logs",
        histogram_freq=0,
        write_graph=True,
        write_images=False,
        write_steps_per_second=False,
        update_freq="epoch",
        profile_batch=0,
        embeddings_freq=0,
        embeddings_metadata=None,
    ):
        super().__init__()
        self.log_dir = str(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._init_profile_batch(profile_batch)
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._previous_epoch_iterations = 0
        self._train_accumulated_time = 0
        self._batch_start_time = 0
        self._epoch_start_time = 0
        self._summary_module = None
        self._writers = {}  # created lazily: no event file until something is written
        self._prev_summary_state = []

    def set_model(self, model):
        """Sets the Keras model and writes its config if ``write_graph``."""
        self._model = model
        self._log_write_dir = self.log_dir
        self._train_dir = os.path.join(self._log_write_dir, "train")
        self._val_dir = os.path.join(self._log_write_dir, "validation")
        self._writers = {}
        self._should_write_train_graph = False
        if self.write_graph:
            self._write_keras_model_summary()
            self._should_write_train_graph = True
        if self.embeddings_freq:
            self._configure_embeddings()

    @property
    def summary(self):
        if self._summary_module is None:
            self._summary_module = _Summary
        return self._summary_module

    @property
    def _train_writer(self):
        if "train" not in self._writers:
            self._writers["train"] = self.summary.create_file_writer(self._train_dir)
        return self._writers["train"]

    @property
    def _val_writer(self):
        if "val" not in self._writers:
            self._writers["val"] = self.summary.create_file_writer(self._val_dir)
        return self._writers["val"]

    def _write_keras_model_train_graph(self):
        """Keras writes the train function's graph when it has a ``function_spec``; with TF 2.21
        none is written, and tensorlet's graphs have no GraphDef proto: nothing to do."""

    def _write_keras_model_summary(self):
        """Writes the Keras model's config (Sequential and Functional models)."""
        with self._train_writer.as_default():
            if self.model.__class__.__name__ in ("Functional", "Sequential"):
                keras_model_summary("keras", self.model, step=0)

    def _configure_embeddings(self):
        """Writes the projector config (``projector_config.pbtxt``) for Embedding layers."""
        from tensorlet.keras.src.layers.core.embedding import Embedding

        entries = []
        for layer in self.model.layers:
            if isinstance(layer, Embedding):
                entry = {"tensor_name": _EMBEDDING_TENSOR}
                if self.embeddings_metadata is not None:
                    if isinstance(self.embeddings_metadata, str):
                        entry["metadata_path"] = self.embeddings_metadata
                    elif layer.name in self.embeddings_metadata:
                        entry["metadata_path"] = self.embeddings_metadata.pop(layer.name)
                entries.append(entry)
        if self.embeddings_metadata and not isinstance(self.embeddings_metadata, str):
            raise ValueError(
                "Unrecognized `Embedding` layer names passed to `keras.callbacks.TensorBoard` "
                f"`embeddings_metadata` argument: {self.embeddings_metadata.keys()}"
            )
        text = "".join(
            "embeddings {\n" + "".join(f'  {k}: "{v}"\n' for k, v in e.items()) + "}\n"
            for e in entries
        )
        os.makedirs(self._log_write_dir, exist_ok=True)
        with open(os.path.join(self._log_write_dir, "projector_config.pbtxt"), "w") as f:
            f.write(text)

    def _push_writer(self, writer, step):
        """Sets the default writer for custom batch-level summaries."""
        if self.update_freq == "epoch":
            return

        def should_record():
            return step % self.update_freq == 0

        summary_context = (writer.as_default(step), self.summary.record_if(should_record))
        self._prev_summary_state.append(summary_context)
        summary_context[0].__enter__()
        summary_context[1].__enter__()

    def _pop_writer(self):
        """Pops the current writer."""
        if self.update_freq == "epoch":
            return
        previous_context = self._prev_summary_state.pop()
        previous_context[1].__exit__(*sys.exc_info())
        previous_context[0].__exit__(*sys.exc_info())

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()

    def _init_profile_batch(self, profile_batch):
        """Validates ``profile_batch`` (Keras' rules); profiling itself is not available."""
        message = (
            "profile_batch must be a non-negative integer or 2-tuple of positive integers. A "
            "pair of positive integers signifies a range of batches to profile. Found: "
            f"{profile_batch}"
        )
        if isinstance(profile_batch, str):
            profile_batch = [int(p) for p in str(profile_batch).split(",")]
        if isinstance(profile_batch, int):
            self._start_batch = self._stop_batch = profile_batch
        elif isinstance(profile_batch, (tuple, list)) and len(profile_batch) == 2:
            self._start_batch, self._stop_batch = profile_batch
        else:
            raise ValueError(message)
        if self._start_batch < 0 or self._stop_batch < self._start_batch:
            raise ValueError(message)
        self._profiler_started = False
        self._batch_trace_context = None
        self._is_tracing = False
        self._should_trace = not (self._start_batch == 0 and self._stop_batch == 0)
        if self._should_trace:
            logging.getLogger("tensorflow").warning(
                "TensorBoard(profile_batch=%s): tensorlet has no profiler; nothing is profiled.",
                profile_batch,
            )
            self._should_trace = False

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0
        self._push_writer(self._train_writer, self._global_train_batch)

    def on_train_end(self, logs=None):
        self._pop_writer()
        self._close_writers()

    def on_test_begin(self, logs=None):
        self._push_writer(self._val_writer, self._global_test_batch)

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer and hasattr(optimizer, "iterations"):
            with self._val_writer.as_default():
                for name, value in (logs or {}).items():
                    self.summary.scalar(
                        f"evaluation_{name}_vs_iterations", value, step=optimizer.iterations
                    )
        self._pop_writer()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch, logs=None):
        if self._should_write_train_graph:
            self._write_keras_model_train_graph()
            self._should_write_train_graph = False
        if self.write_steps_per_second:
            batch_run_time = time.time() - self._batch_start_time
            self.summary.scalar(
                "batch_steps_per_second", 1.0 / batch_run_time, step=self._global_train_batch
            )
        if isinstance(logs, dict):
            for name, value in logs.items():
                self.summary.scalar("batch_" + name, value, step=self._global_train_batch)

    def on_test_batch_begin(self, batch, logs=None):
        self._global_test_batch += 1

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_epoch_iterations = float(
                convert_to_numpy(self.model.optimizer.iterations)
            )
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch, logs=None):
        """Writes the epoch's metrics, and the weight histograms every ``histogram_freq``."""
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._log_embeddings(epoch)

    def _collect_learning_rate(self, logs):
        from tensorlet.keras.src.optimizers.optimizer import Optimizer

        if isinstance(self.model.optimizer, Optimizer):
            logs["learning_rate"] = float(convert_to_numpy(self.model.optimizer.learning_rate))
        return logs

    def _compute_steps_per_second(self):
        iterations = float(convert_to_numpy(self.model.optimizer.iterations))
        elapsed = time.time() - self._epoch_start_time
        return float((iterations - self._previous_epoch_iterations) / max(elapsed, 1e-12))

    def _log_epoch_metrics(self, epoch, logs):
        """Writes the epoch logs as ``epoch_<name>`` scalars (``val_*`` to validation/)."""
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k: v for k, v in logs.items() if k.startswith("val_")}
        train_logs = self._collect_learning_rate(train_logs)
        if self.write_steps_per_second:
            train_logs["steps_per_second"] = self._compute_steps_per_second()
        if train_logs:
            with self._train_writer.as_default():
                for name, value in train_logs.items():
                    self.summary.scalar("epoch_" + name, value, step=epoch)
        if val_logs:
            with self._val_writer.as_default():
                for name, value in val_logs.items():
                    self.summary.scalar("epoch_" + name[4:], value, step=epoch)

    def _log_weights(self, epoch):
        """Writes a histogram (and image) of each layer weight, tagged with its path."""
        with self._train_writer.as_default():
            for layer in self.model.layers:
                for weight in layer.weights:
                    weight_name = weight.path.replace(":", "_")
                    self.summary.histogram(f"{weight_name}/histogram", weight, step=epoch)
                    if self.write_images:
                        self._log_weight_as_image(weight, f"{weight_name}/image", epoch)
            self._train_writer.flush()

    def _log_weight_as_image(self, weight, weight_name, epoch):
        """Writes a weight as an image (bias: a column; kernel: a matrix; conv: per filter)."""
        w_img = array_ops.squeeze(convert_to_numpy(weight))
        shape = w_img.shape
        if len(shape) == 1:
            w_img = array_ops.reshape(w_img, [1, shape[0], 1, 1])
        elif len(shape) == 2:
            if shape[0] > shape[1]:
                w_img = array_ops.transpose(w_img)
                shape = w_img.shape
            w_img = array_ops.reshape(w_img, [1, shape[0], shape[1], 1])
        elif len(shape) == 3:
            if backend_config.image_data_format() == "channels_last":
                w_img = array_ops.transpose(w_img, [2, 0, 1])
                shape = w_img.shape
            w_img = array_ops.reshape(w_img, [shape[0], shape[1], shape[2], 1])
        w_img = convert_to_numpy(w_img)
        shape = w_img.shape
        if len(shape) == 4 and shape[-1] in [1, 3, 4]:
            self.summary.image(weight_name, w_img, step=epoch)

    def _log_embeddings(self, epoch):
        path = os.path.join(
            self._log_write_dir, "train", f"keras_embedding.ckpt-{epoch}.weights.h5"
        )
        if hasattr(self.model, "save_weights"):
            self.model.save_weights(path)
        else:
            warnings.warn("TensorBoard embeddings: the model has no `save_weights`.", stacklevel=2)


def _model_json(model):
    if hasattr(model, "to_json"):
        return model.to_json()
    from tensorlet.keras.src.saving.serialization_lib import serialize_keras_object

    return json.dumps(serialize_keras_object(model))


def keras_model_summary(name, data, step=None):
    """Writes a Keras model's JSON config as a ``graph_keras_model`` summary (content ``b"1"``).

    Returns True on success, False when no default writer exists or the model cannot be
    serialized (with a warning).
    """
    summary_metadata = event_pb.SummaryMetadata()
    summary_metadata.plugin_data.plugin_name = "graph_keras_model"
    summary_metadata.plugin_data.content = b"1"  # version number = 1
    try:
        json_string = _model_json(data)
    except Exception as exc:  # noqa: BLE001 (an exception should not break model code)
        warnings.warn(f"Model failed to serialize as JSON. Ignoring... {exc}", stacklevel=2)
        return False
    with summary_ops.summary_scope(name, "graph_keras_model", [data, step]) as (tag, _):
        return summary_ops.write(tag=tag, tensor=json_string, step=step, metadata=summary_metadata)
