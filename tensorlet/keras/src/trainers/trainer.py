"""``Trainer``: ``compile``, ``fit``, ``evaluate``, ``predict`` and the ``*_on_batch`` methods
of ``keras.Model``, as Keras 3's TensorFlow trainer does them.

A training step is ``train_step(data)``: forward pass under a ``tf.GradientTape``, the compiled
loss (plus ``model.losses``), gradients, ``optimizer.apply_gradients``, then the metrics. Unless
``run_eagerly``, the step runs as a ``tf.function`` (traced once per batch shape: the full
batches and the last, partial one), so its Python runs once and later steps replay the graph.
Logs are the running means of the epoch, converted to Python floats and sorted by name, as
Keras reports them (``accuracy`` before ``loss``).
"""

import inspect
import warnings

from tensorlet.backend import xp
from tensorlet.framework import nest
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_spec import TensorSpec
from tensorlet.function import polymorphic_function
from tensorlet.keras.src import metrics as metrics_module
from tensorlet.keras.src import optimizers as optimizers_module
from tensorlet.keras.src.callbacks.callback_list import CallbackList
from tensorlet.keras.src.saving import serialization_lib
from tensorlet.keras.src.trainers import data_adapters
from tensorlet.keras.src.trainers.compile_utils import CompileLoss, CompileMetrics
from tensorlet.ops import array_ops, cast_ops, math_ops, reduction_ops


class Trainer:
    """The training half of ``keras.Model`` (see the module docstring)."""

    def _init_trainer(self):
        self.compiled = False
        self.loss = None
        self.optimizer = None
        self.steps_per_execution = 1
        self.stop_training = False
        self._run_eagerly = False
        self._jit_compile = False
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self.train_function = None
        self.test_function = None
        self.predict_function = None
        self._initial_epoch = None
        from tensorlet.distribute import distribute_lib  # noqa: PLC0415

        # as Keras' TF trainer: a model made under a strategy scope belongs to that strategy
        self._distribute_strategy = (
            distribute_lib.get_strategy() if distribute_lib.has_strategy() else None
        )

    # ---------------------------------------------------------------- compile

    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=False,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=True,
    ):
        """Configures the model for training (optimizer, loss, metrics)."""
        self.optimizer = optimizers_module.get(optimizer)
        output_names = getattr(self, "output_names", None)
        self._compile_loss = None
        self._compile_metrics = None
        if loss is not None:
            self._compile_loss = CompileLoss(loss, loss_weights, output_names=output_names)
            self.loss = loss
        if metrics is not None or weighted_metrics is not None:
            self._compile_metrics = CompileMetrics(
                metrics, weighted_metrics, output_names=output_names
            )
        if jit_compile == "auto" or run_eagerly:
            jit_compile = False  # CPU only: Keras disables XLA there
        self._jit_compile = jit_compile
        self._run_eagerly = run_eagerly
        self.stop_training = False
        self.compiled = True
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.steps_per_execution = steps_per_execution
        self.train_function = None
        self.test_function = None
        self.predict_function = None
        self._compile_config = serialization_lib.SerializableDict(
            optimizer=self.optimizer,
            loss=loss,
            loss_weights=loss_weights,
            metrics=metrics,
            weighted_metrics=weighted_metrics,
            run_eagerly=run_eagerly,
            steps_per_execution=steps_per_execution,
            jit_compile=jit_compile,
        )

    @property
    def run_eagerly(self):
        return self._run_eagerly

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = value
        self.train_function = self.test_function = self.predict_function = None

    @property
    def jit_compile(self):
        return self._jit_compile

    @jit_compile.setter
    def jit_compile(self, value):
        self._jit_compile = bool(value)

    def get_compile_config(self):
        if self.compiled and hasattr(self, "_compile_config"):
            return self._compile_config.serialize()
        return {}

    def compile_from_config(self, config):
        config = serialization_lib.deserialize_keras_object(config)
        self.compile(**config)
        if self.optimizer is not None and self.built:
            self.optimizer.build(self.trainable_variables)

    # ---------------------------------------------------------------- metrics

    @property
    def metrics(self):
        """Loss tracker, compiled metrics, per-output losses, then the layers' own metrics."""
        out = []
        if self.compiled:
            if self._loss_tracker is not None:
                out.append(self._loss_tracker)
            if self._compile_metrics is not None:
                out.append(self._compile_metrics)
            if self._compile_loss is not None:
                out.extend(self._compile_loss.metrics)
        out.extend(getattr(self, "_metrics", []))
        for layer in self._flatten_layers(include_self=False):
            if isinstance(layer, Trainer):
                continue
            out.extend(layer.metrics)
        return out

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss of ``(y, y_pred)`` plus the layers' ``losses`` (regularizers)."""
        del x, training
        losses = []
        if self._compile_loss is not None:
            value = self._compile_loss(y, y_pred, sample_weight)
            if value is not None:
                losses.append(value)
        for extra in self.losses:
            if not extra.dtype.is_floating:
                extra = cast_ops.cast(extra, "float32")
            losses.append(reduction_ops.reduce_sum(extra))
        if not losses:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        total = losses[0]
        for value in losses[1:]:
            total = math_ops.add(total, cast_ops.cast(value, total.dtype))
        return total

    def _compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        if "training" in inspect.signature(self.compute_loss).parameters:
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self.compute_loss(x, y, y_pred, sample_weight)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics; returns every metric's result."""
        del x
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        """``{name: result}`` of ``self.metrics`` (compiled metrics flattened in)."""
        out = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                out.update(result)
            else:
                out[metric.name] = result
        return out

    # ---------------------------------------------------------------- steps

    def _call_for_training(self, x, training):
        info = getattr(self, "_call_info", None)
        if info is None or info.has_training or info.has_kwargs:
            return self(x, training=training)
        return self(x)

    def train_step(self, data):
        """One step of ``fit`` on a batch: forward, loss, gradients, update, metrics."""
        import tensorlet as tf

        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            y_pred = self._call_for_training(x, True)
            loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                      training=True)
            self._loss_tracker.update_state(
                loss, sample_weight=array_ops.shape(nest.flatten(x)[0])[0]
            )
            if self.optimizer is not None and hasattr(self.optimizer, "scale_loss"):
                loss = self.optimizer.scale_loss(loss)
        trainable = self.trainable_weights
        if trainable:
            grads = tape.gradient(loss, trainable)
            self.optimizer.apply_gradients(zip(grads, trainable))
        else:
            warnings.warn("The model does not have any trainable weights.", stacklevel=2)
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def test_step(self, data):
        """One step of ``evaluate``: forward, loss, metrics."""
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        y_pred = self._call_for_training(x, False)
        loss = self._compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                  training=False)
        self._loss_tracker.update_state(loss, sample_weight=array_ops.shape(nest.flatten(x)[0])[0])
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def predict_step(self, data):
        """One step of ``predict``: the model's outputs for a batch."""
        x, _, _ = data_adapters.unpack_x_y_sample_weight(data)
        return self._call_for_training(x, False)

    def _step_function(self, step):
        if self.run_eagerly:
            return step
        return _BatchRelaxedStep(step)

    def make_train_function(self, force=False):
        if self.train_function is None or force:
            self.train_function = self._step_function(self.train_step)
        return self.train_function

    def make_test_function(self, force=False):
        if self.test_function is None or force:
            self.test_function = self._step_function(self.test_step)
        return self.test_function

    def make_predict_function(self, force=False):
        if self.predict_function is None or force:
            self.predict_function = self._step_function(self.predict_step)
        return self.predict_function

    def _assert_compile_called(self, method_name=None):
        if not self.compiled:
            raise ValueError("You must call `compile()` before using the model.")

    def _symbolic_build(self, data):
        """Builds the model (and, under a distribution strategy, the compiled metrics and loss:
        their errors then come first, in Keras' order) and the optimizer's slots before the
        first step, with variables created outside the step function."""
        x, y, _ = data_adapters.unpack_x_y_sample_weight(data)
        if not self.built:
            self._call_for_training(x, False)
        # Keras' TF trainer builds the compiled metrics and loss ahead of the first step only
        # under a distribution strategy; otherwise the traced train step builds them (loss first)
        metrics_unbuilt = self._compile_metrics is not None and not self._compile_metrics.built
        loss_unbuilt = self._compile_loss is not None and not self._compile_loss.built
        if (metrics_unbuilt or loss_unbuilt) and y is not None and self._distribute_strategy:

            def build(data):
                x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
                y_pred = self._call_for_training(x, False)
                if metrics_unbuilt:
                    self._compile_metrics.update_state(y, y_pred, sample_weight)
                if loss_unbuilt:
                    self._compile_loss(y, y_pred, sample_weight)
                return 0

            from tensorlet.summary_ops import summary_ops  # noqa: PLC0415

            # concrete shapes, as Keras' symbolic build of the first batch (the train step
            # itself is traced with a None batch)
            run = build if self.run_eagerly else polymorphic_function.function(build)
            with summary_ops.record_if(False):  # Keras builds symbolically: nothing is logged
                run(data)
            self.reset_metrics()
        if self.optimizer is not None and not getattr(self.optimizer, "built", True):
            self.optimizer.build(self.trainable_variables)

    # ---------------------------------------------------------------- fit / evaluate / predict

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
    ):
        """Trains the model for ``epochs`` epochs; returns the ``History``."""
        self._assert_compile_called("fit")
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapters.train_validation_split(
                (x, y, sample_weight), validation_split
            )
        val = None
        if validation_data is not None:
            val = data_adapters.unpack_x_y_sample_weight(validation_data)
        adapter = data_adapters.get_data_adapter(
            x, y, sample_weight, batch_size=batch_size, steps_per_epoch=steps_per_epoch,
            shuffle=shuffle, class_weight=class_weight,
        )
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(
                callbacks, add_history=True, add_progbar=verbose != 0, verbose=verbose,
                epochs=epochs, steps=steps_per_epoch or adapter.num_batches, model=self,
            )
        self.stop_training = False
        train_function = self.make_train_function()
        callbacks.on_train_begin()
        training_logs = logs = None
        iterator = None
        initial_epoch = self._initial_epoch or initial_epoch
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            adapter.on_epoch_begin()
            if iterator is None or not steps_per_epoch:
                iterator = adapter.get_iterator()
            step = 0
            while steps_per_epoch is None or step < steps_per_epoch:
                try:
                    data = next(iterator)
                except StopIteration:
                    if steps_per_epoch is not None:
                        warnings.warn(
                            "Your input ran out of data; interrupting training. Make sure that "
                            "your dataset or generator can generate at least `steps_per_epoch "
                            "* epochs` batches. You may need to use the `.repeat()` function "
                            "when building your dataset.",
                            stacklevel=2,
                        )
                        self.stop_training = True
                        iterator = None
                    break
                if logs is None and step == 0:
                    self._symbolic_build(data)
                callbacks.on_train_batch_begin(step)
                logs = _pythonify_logs(train_function(data))
                callbacks.on_train_batch_end(step, logs)
                step += 1
                if self.stop_training:
                    break
            adapter.on_epoch_end()
            epoch_logs = dict(self._get_metrics_result_or_logs(logs))
            if val is not None and self._should_eval(epoch, validation_freq):
                val_logs = self.evaluate(
                    x=val[0], y=val[1], sample_weight=val[2],
                    batch_size=validation_batch_size or batch_size, steps=validation_steps,
                    callbacks=callbacks, return_dict=True,
                )
                epoch_logs.update({"val_" + name: v for name, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        if self.optimizer is not None and hasattr(self.optimizer, "finalize_variable_values"):
            self.optimizer.finalize_variable_values(self.trainable_weights)
        callbacks.on_train_end(logs=training_logs)
        return self.history

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict=False,
        **kwargs,
    ):
        """The loss and metrics on the data, in test mode: a scalar, a list or a dict."""
        self._assert_compile_called("evaluate")
        kwargs.pop("_use_cached_eval_dataset", None)
        if kwargs:
            raise ValueError(f"Arguments not recognized: {kwargs}")
        adapter = data_adapters.get_data_adapter(
            x, y, sample_weight, batch_size=batch_size, steps_per_epoch=steps, shuffle=False
        )
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(
                callbacks, add_history=True, add_progbar=verbose != 0, verbose=verbose,
                epochs=1, steps=steps or adapter.num_batches, model=self,
            )
        test_function = self.make_test_function()
        self.stop_evaluating = False
        callbacks.on_test_begin()
        logs = None
        self.reset_metrics()
        for step, data in enumerate(adapter.get_iterator()):
            if steps is not None and step >= steps:
                break
            if logs is None and step == 0:
                self._symbolic_build(data)
            callbacks.on_test_batch_begin(step)
            logs = _pythonify_logs(test_function(data))
            callbacks.on_test_batch_end(step, logs)
            if self.stop_evaluating:
                break
        logs = self._get_metrics_result_or_logs(logs)
        callbacks.on_test_end(logs)
        if return_dict:
            return logs
        return self._flatten_metrics_in_order(logs)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs for ``x``, batch by batch, as NumPy arrays."""
        adapter = data_adapters.get_data_adapter(
            x, batch_size=batch_size, steps_per_epoch=steps, shuffle=False
        )
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(
                callbacks, add_history=True, add_progbar=verbose != 0, verbose=verbose,
                epochs=1, steps=steps or adapter.num_batches, model=self,
            )
        predict_function = self.make_predict_function()
        self.stop_predicting = False
        callbacks.on_predict_begin()
        outputs = None
        for step, data in enumerate(adapter.get_iterator()):
            if steps is not None and step >= steps:
                break
            callbacks.on_predict_batch_begin(step)
            batch_outputs = predict_function(data)
            flat = nest.flatten(batch_outputs)
            if outputs is None:
                outputs = [[] for _ in flat]
            for acc, b in zip(outputs, flat):
                acc.append(b)
            callbacks.on_predict_batch_end(step, {"outputs": batch_outputs})
            if self.stop_predicting:
                break
        callbacks.on_predict_end()
        if outputs is None:
            raise ValueError(
                "Unexpected result of `predict_function` (Empty batch_outputs). Please use "
                "`Model.compile(..., run_eagerly=True)`, or `tf.config.run_functions_eagerly("
                "True)` for more information of where went wrong, or file a issue/bug to "
                "`tf.keras`."
            )
        return nest.pack_sequence_as(batch_outputs, [_concat_numpy(acc) for acc in outputs])

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """One gradient update on one batch; returns the loss (and metrics)."""
        self._assert_compile_called("train_on_batch")
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError(
                    "Arguments `sample_weight` and `class_weight` cannot be specified at the "
                    f"same time. Received: sample_weight={sample_weight}, "
                    f"class_weight={class_weight}"
                )
            sample_weight = data_adapters.class_weight_to_sample_weights(y, class_weight)
        data = data_adapters._as_batch((x, y, sample_weight))
        self._symbolic_build(data)
        logs = _pythonify_logs(self.make_train_function()(data))
        logs = self._get_metrics_result_or_logs(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """The loss (and metrics) on one batch, in test mode."""
        self._assert_compile_called("test_on_batch")
        data = data_adapters._as_batch((x, y, sample_weight))
        self._symbolic_build(data)
        logs = _pythonify_logs(self.make_test_function()(data))
        logs = self._get_metrics_result_or_logs(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def predict_on_batch(self, x):
        """The outputs for one batch, as NumPy arrays."""
        data = data_adapters._as_batch((x,))
        out = self.make_predict_function()(data)
        return nest.map_structure(lambda t: t.numpy() if isinstance(t, Tensor) else t, out)

    # ---------------------------------------------------------------- helpers

    def _should_eval(self, epoch, validation_freq):
        epoch += 1
        if isinstance(validation_freq, int):
            return epoch % validation_freq == 0
        if isinstance(validation_freq, list):
            return epoch in validation_freq
        raise ValueError(
            "Expected `validation_freq` to be a list or int. Received: "
            f"validation_freq={validation_freq} of the type {type(validation_freq)}."
        )

    def _get_metrics_result_or_logs(self, logs):
        metric_logs = _pythonify_logs(self.get_metrics_result())
        if logs is None or (isinstance(logs, dict) and set(logs) == set(metric_logs)):
            return metric_logs
        return logs

    def _flatten_metrics_in_order(self, logs):
        names = []
        for metric in self.metrics:
            if isinstance(metric, CompileMetrics):
                names += list(metric.result()) if metric.built else []
            else:
                names.append(metric.name)
        results = [logs[n] for n in names if n in logs]
        results += [logs[k] for k in sorted(logs) if k not in names]
        return results[0] if len(results) == 1 else results


class _BatchRelaxedStep:
    """A step function as a ``tf.function`` traced with an unknown (``None``) batch dimension,
    as Keras' TensorFlow trainer traces it from a dataset's element spec: layers see Keras'
    static shapes (and errors name ``None`` batches). Where an op needs the run-time batch
    size, tensorlet reads it while tracing and keeps one graph per batch size."""

    def __init__(self, step):
        self._step = step
        self._functions = {}

    def __call__(self, data):
        flat = nest.flatten(data)
        if not all(type(t) is EagerTensor and t.shape.rank for t in flat):
            key = None  # ragged/sparse/scalar leaves: a plain trace
        else:
            key = (repr(nest.map_structure(lambda _: 0, data)),
                   tuple((t.dtype, tuple(t.shape[1:])) for t in flat))
        fn = self._functions.get(key)
        if fn is None:
            if key is None:
                fn = polymorphic_function.function(self._step)
            else:
                signature = nest.map_structure(
                    lambda t: TensorSpec([None] + t.shape.as_list()[1:], t.dtype), data)
                fn = polymorphic_function.function(self._step, input_signature=[signature])
            self._functions[key] = fn
        return fn(data)


def _pythonify_logs(logs):
    """Tensors to Python floats, nested dicts flattened, keys sorted (Keras' log order)."""
    out = {}
    for key, value in sorted(logs.items()):
        if isinstance(value, dict):
            out.update(_pythonify_logs(value))
            continue
        try:
            value = float(value)
        except (TypeError, ValueError):
            pass
        out[key] = value
    return out


def _concat_numpy(batches):
    arrays = [b.numpy() if isinstance(b, Tensor) else xp.asarray(b) for b in batches]
    if arrays[0].ndim == 0:
        return xp.stack(arrays)
    return xp.concatenate(arrays, axis=0)
