"""``BaseTuner``: the search loop, saving and reloading (no Keras specifics)."""

import copy
import os
import shutil
import sys
import traceback

from tensorlet.tuner import config as config_module
from tensorlet.tuner import errors, utils
from tensorlet.tuner.engine import hypermodel as hm_module
from tensorlet.tuner.engine import oracle as oracle_module
from tensorlet.tuner.engine import stateful, tuner_utils
from tensorlet.tuner.engine import trial as trial_module


class BaseTuner(stateful.Stateful):
    """Runs a search: asks the oracle for trials, evaluates them with ``run_trial`` and reports
    the results back. Subclass it (and implement ``run_trial``) to tune anything.

    Args:
        oracle: the ``Oracle`` (search algorithm).
        hypermodel: a ``HyperModel`` or a callable ``build(hp)``; optional when ``run_trial``
            is overridden and does not use it.
        directory: where the project folder goes (default ``'.'``).
        project_name: the project folder (default ``'untitled_project'``).
        overwrite: start afresh instead of reloading an existing project of the same name.
    """

    def __init__(
        self,
        oracle,
        hypermodel=None,
        directory=None,
        project_name=None,
        overwrite=False,
        logger=None,
        **kwargs,
    ):
        if kwargs:
            raise ValueError(
                f"Unrecognized arguments {list(kwargs.keys())} for `BaseTuner.__init__()`."
            )
        self.directory = directory or "."
        self.project_name = project_name or "untitled_project"
        self.logger = logger
        if overwrite and os.path.exists(self.project_dir):
            shutil.rmtree(self.project_dir)
        if not isinstance(oracle, oracle_module.Oracle):
            raise ValueError(  # noqa: TRY004 (keras_tuner's class)
                "Expected `oracle` argument to be an instance of `Oracle`. "
                f"Received: oracle={oracle} (of type ({type(oracle)})."
            )
        self.oracle = oracle
        self.oracle._set_project_dir(self.directory, self.project_name, overwrite=overwrite)
        self.tuner_id = os.environ.get("KERASTUNER_TUNER_ID", "tuner0")
        self.hypermodel = hm_module.get_hypermodel(hypermodel)
        self._populate_initial_space()
        if not overwrite and os.path.exists(self._get_tuner_fname()):
            print(f"Reloading Tuner from {self._get_tuner_fname()}")
            self.reload()

    def _populate_initial_space(self):
        """Registers the hypermodel's entries by building it, once per conditional scope that
        has not been active yet."""
        if self.hypermodel is None:
            return
        hp = self.oracle.get_space()
        self.hypermodel.declare_hyperparameters(hp)
        self.oracle.update_space(hp)
        self._activate_all_conditions()

    def _activate_all_conditions(self):
        never_active = []
        once_active = []
        hp = self.oracle.get_space()
        while True:
            self.hypermodel.build(hp)
            self.oracle.update_space(hp)
            for conditions in hp.active_scopes:
                if conditions not in once_active:
                    once_active.append(copy.deepcopy(conditions))
                if conditions in never_active:
                    never_active.remove(conditions)
            for conditions in hp.inactive_scopes:
                if conditions not in once_active and conditions not in never_active:
                    never_active.append(copy.deepcopy(conditions))
            if not never_active:
                break
            hp = self.oracle.get_space()
            for condition in never_active[0]:
                hp.values[condition.name] = condition.values[0]
            hp.ensure_active_values()

    # ---- the search loop

    def search(self, *fit_args, **fit_kwargs):
        """Runs trials until the oracle stops; the arguments go to ``run_trial`` (for a Keras
        ``Tuner``: to ``model.fit``)."""
        if "verbose" in fit_kwargs:
            self.oracle.verbose = fit_kwargs.get("verbose")
        self.on_search_begin()
        while True:
            self.pre_create_trial()
            trial = self.oracle.create_trial(self.tuner_id)
            if trial.status == trial_module.TrialStatus.STOPPED:
                break
            if trial.status == trial_module.TrialStatus.IDLE:
                continue
            self.on_trial_begin(trial)
            self._try_run_and_update_trial(trial, *fit_args, **fit_kwargs)
            self.on_trial_end(trial)
        self.on_search_end()

    def _run_and_update_trial(self, trial, *fit_args, **fit_kwargs):
        results = self.run_trial(trial, *fit_args, **fit_kwargs)
        if self.oracle.get_trial(trial.trial_id).metrics.exists(self.oracle.objective.name):
            # run_trial reported through oracle.update_trial itself (the old protocol)
            return
        tuner_utils.validate_trial_results(results, self.oracle.objective, "Tuner.run_trial()")
        self.oracle.update_trial(
            trial.trial_id,
            tuner_utils.convert_to_metrics_dict(results, self.oracle.objective),
            step=tuner_utils.get_best_step(results, self.oracle.objective),
        )

    def _try_run_and_update_trial(self, trial, *fit_args, **fit_kwargs):
        try:
            self._run_and_update_trial(trial, *fit_args, **fit_kwargs)
            trial.status = trial_module.TrialStatus.COMPLETED
        except Exception as e:
            if isinstance(e, errors.FatalError):
                raise
            if config_module.DEBUG:
                traceback.print_exc()
                sys.stderr.flush()
            if isinstance(e, errors.FailedTrialError):
                trial.status = trial_module.TrialStatus.FAILED
            else:
                trial.status = trial_module.TrialStatus.INVALID
            trial.message = traceback.format_exc()

    def run_trial(self, trial, *fit_args, **fit_kwargs):
        """Evaluates ``trial.hyperparameters``; returns a float, a dict of metrics, a
        ``History`` or a list of these."""
        raise NotImplementedError

    def save_model(self, trial_id, model, step=0):
        raise NotImplementedError

    def load_model(self, trial):
        raise NotImplementedError

    # ---- hooks

    def pre_create_trial(self):
        """Called before each ``oracle.create_trial``."""

    def on_trial_begin(self, trial):
        if self.logger:
            self.logger.register_trial(trial.trial_id, trial.get_state())

    def on_trial_end(self, trial):
        if self.logger:
            self.logger.report_trial_state(trial.trial_id, trial.get_state())
        self.oracle.end_trial(trial)
        self.save()

    def on_search_begin(self):
        if self.logger:
            self.logger.register_tuner(self.get_state())

    def on_search_end(self):
        if self.logger:
            self.logger.exit()

    # ---- results

    def get_best_models(self, num_models=1):
        """The trained models of the best trials, best first (reloaded from their
        checkpoints)."""
        return [self.load_model(trial) for trial in self.oracle.get_best_trials(num_models)]

    def get_best_hyperparameters(self, num_trials=1):
        """The ``HyperParameters`` of the best trials, best first."""
        return [t.hyperparameters for t in self.oracle.get_best_trials(num_trials)]

    def search_space_summary(self, extended=False):
        """Prints the entries of the search space with their configs."""
        print("Search space summary")
        hp = self.oracle.get_space()
        print(f"Default search space size: {len(hp.space)}")
        for p in hp.space:
            config = p.get_config()
            name = config.pop("name")
            print(f"{name} ({p.__class__.__name__})")
            print(config)

    def results_summary(self, num_trials=10):
        """Prints the best trials with their values and scores."""
        print("Results summary")
        print(f"Results in {self.project_dir}")
        print(f"Showing {num_trials} best trials")
        print(f"{self.oracle.objective}")
        for trial in self.oracle.get_best_trials(num_trials):
            print()
            trial.summary()

    @property
    def remaining_trials(self):
        """Trials left to run (``None`` without ``max_trials``)."""
        return self.oracle.remaining_trials()

    # ---- state

    def get_state(self):
        return {}

    def set_state(self, state):
        pass

    def save(self):
        self.oracle.save()
        super().save(self._get_tuner_fname())

    def reload(self):
        self.oracle.reload()
        super().reload(self._get_tuner_fname())

    @property
    def project_dir(self):
        dirname = os.path.join(str(self.directory), self.project_name)
        utils.create_directory(dirname)
        return dirname

    def get_trial_dir(self, trial_id):
        dirname = os.path.join(str(self.project_dir), "trial_" + str(trial_id))
        utils.create_directory(dirname)
        return dirname

    def _get_tuner_fname(self):
        return os.path.join(str(self.project_dir), str(self.tuner_id) + ".json")
