"""``Tuner``: tunes Keras models (builds them from the hypermodel, fits them, checkpoints the
best epoch of each trial)."""

import copy
import gc
import os

from tensorlet.tuner import errors, utils
from tensorlet.tuner.engine import base_tuner, tuner_utils


class Tuner(base_tuner.BaseTuner):
    """A tuner for Keras models.

    ``search(*args, **kwargs)`` builds a model per trial with ``hypermodel.build(hp)`` and
    trains it with ``hypermodel.fit(hp, model, *args, **kwargs)`` (``model.fit`` by default),
    ``executions_per_trial`` times; the objective's best epoch is the trial's score and its
    weights are saved in ``trial_<id>/checkpoint.weights.h5``.

    Args:
        oracle: the ``Oracle``.
        hypermodel: a ``HyperModel`` or a callable ``build(hp)`` returning a compiled model.
        max_model_size: skip models with more trainable parameters than this.
        optimizer, loss, metrics: override the model's compile arguments.
        distribution_strategy: accepted for compatibility; models are built in the default
            strategy.
        directory, project_name, overwrite: the project folder (see ``BaseTuner``).
        tuner_id: this tuner's id (default ``'tuner0'``).
        executions_per_trial: how many models to train per trial (their metrics are averaged).
    """

    def __init__(
        self,
        oracle,
        hypermodel=None,
        max_model_size=None,
        optimizer=None,
        loss=None,
        metrics=None,
        distribution_strategy=None,
        directory=None,
        project_name=None,
        logger=None,
        tuner_id=None,
        overwrite=False,
        executions_per_trial=1,
        **kwargs,
    ):
        if hypermodel is None and self.__class__.run_trial is Tuner.run_trial:
            raise ValueError(
                "Received `hypermodel=None`. We only allow not specifying `hypermodel` if the "
                "user defines the search space in `Tuner.run_trial()` by subclassing a `Tuner` "
                "class without using a `HyperModel` instance."
            )
        super().__init__(
            oracle=oracle,
            hypermodel=hypermodel,
            directory=directory,
            project_name=project_name,
            logger=logger,
            overwrite=overwrite,
            **kwargs,
        )
        self.max_model_size = max_model_size
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.distribution_strategy = distribution_strategy
        self.executions_per_trial = executions_per_trial
        self._max_fail_streak = 5
        if tuner_id is not None:
            self.tuner_id = tuner_id

    # ---- building

    def _build_hypermodel(self, hp):
        model = self.hypermodel.build(hp)
        self._override_compile_args(model)
        return model

    def _try_build(self, hp):
        from tensorlet.keras.src.backend.global_state import clear_session
        from tensorlet.keras.src.models.model import Model

        oversized = 0
        while True:
            clear_session()
            gc.collect()
            model = self._build_hypermodel(hp)
            if not isinstance(model, Model):
                return model
            size = tuner_utils.maybe_compute_model_size(model)
            if self.max_model_size and size > self.max_model_size:
                oversized += 1
                if oversized >= self._max_fail_streak:
                    raise errors.FatalError("Oversized model")
                continue
            return model

    def _override_compile_args(self, model):
        if not (self.optimizer or self.loss or self.metrics):
            return
        kwargs = {
            "optimizer": self.optimizer or model.optimizer,
            "loss": self.loss or getattr(model, "loss", None),
        }
        if self.metrics:
            kwargs["metrics"] = self.metrics
        model.compile(**kwargs)

    def _build_and_fit_model(self, trial, *args, **kwargs):
        hp = trial.hyperparameters
        model = self._try_build(hp)
        results = self.hypermodel.fit(hp, model, *args, **kwargs)
        if hasattr(model, "get_build_config") and getattr(model, "built", False):
            build_config = model.get_build_config()
            if build_config is not None:
                utils.save_json(
                    self._get_build_config_fname(trial.trial_id), _jsonable(build_config)
                )
        tuner_utils.validate_trial_results(results, self.oracle.objective, "HyperModel.fit()")
        return results

    # ---- a trial

    def run_trial(self, trial, *args, **kwargs):
        """Fits ``executions_per_trial`` models; returns their ``History`` objects."""
        checkpoint = tuner_utils.SaveBestEpoch(
            objective=self.oracle.objective,
            filepath=self._get_checkpoint_fname(trial.trial_id),
        )
        original_callbacks = kwargs.pop("callbacks", [])
        histories = []
        for execution in range(self.executions_per_trial):
            run_kwargs = copy.copy(kwargs)
            callbacks = self._deepcopy_callbacks(original_callbacks)
            self._configure_tensorboard_dir(callbacks, trial, execution)
            callbacks.append(tuner_utils.TunerCallback(self, trial))
            callbacks.append(checkpoint)  # the best epoch over every execution
            run_kwargs["callbacks"] = callbacks
            histories.append(self._build_and_fit_model(trial, *args, **run_kwargs))
        return histories

    def load_model(self, trial):
        """The model of ``trial`` with the weights of its best epoch."""
        model = self._try_build(trial.hyperparameters)
        fname = self._get_build_config_fname(trial.trial_id)
        if not getattr(model, "built", True) and os.path.exists(fname):
            model.build_from_config(utils.load_json(fname))
        model.load_weights(self._get_checkpoint_fname(trial.trial_id))
        return model

    def get_best_models(self, num_models=1):
        """The best ``num_models`` trained models, best first."""
        return super().get_best_models(num_models)

    def save_model(self, trial_id, model, step=0):
        pass  # checkpoints are written by the SaveBestEpoch callback

    # ---- hooks (for subclasses)

    def on_epoch_begin(self, trial, model, epoch, logs=None):
        pass

    def on_batch_begin(self, trial, model, batch, logs):
        pass

    def on_batch_end(self, trial, model, batch, logs=None):
        pass

    def on_epoch_end(self, trial, model, epoch, logs=None):
        pass

    # ---- callbacks

    def _deepcopy_callbacks(self, callbacks):
        try:
            return copy.deepcopy(callbacks)
        except Exception as e:
            raise errors.FatalValueError(
                "All callbacks used during a search should be deep-copyable (since they are "
                f"reused across trials). It is not possible to do `copy.deepcopy({callbacks})`"
            ) from e

    def _configure_tensorboard_dir(self, callbacks, trial, execution=0):
        for callback in callbacks:
            if callback.__class__.__name__ == "TensorBoard":
                callback.log_dir = self._get_tensorboard_dir(
                    callback.log_dir, trial.trial_id, execution
                )

    def _get_tensorboard_dir(self, logdir, trial_id, execution):
        return os.path.join(str(logdir), str(trial_id), f"execution{execution}")

    def _get_checkpoint_fname(self, trial_id):
        return os.path.join(self.get_trial_dir(trial_id), "checkpoint.weights.h5")

    def _get_build_config_fname(self, trial_id):
        return os.path.join(self.get_trial_dir(trial_id), "build_config.json")


def _jsonable(obj):
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    return obj
