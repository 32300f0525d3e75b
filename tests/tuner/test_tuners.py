"""keras_tuner tuners on tensorlet's Keras: the search loop and its printed lines, state files
(oracle.json, trial_*/trial.json, checkpoints), best models/hyperparameters, summaries,
reloading, failures and retries, executions per trial, and the RandomSearch, Hyperband,
GridSearch and BayesianOptimization algorithms."""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import tensorlet as tf
import tensorlet.tuner as kt
from tensorlet.tuner import errors
from tensorlet.tuner.engine import base_tuner

keras = tf.keras
RNG = np.random.RandomState(0)
X = RNG.rand(32, 4).astype("float32")
W = RNG.rand(4, 2).astype("float32")
Y = X @ W
XV, YV = X[:8], Y[:8]


def build_model(hp):
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(hp.Int("units", 2, 8, step=2)),
            keras.layers.Dense(2),
        ]
    )
    lr = hp.Choice("learning_rate", values=[1e-2, 1e-3])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr), loss="mse", metrics=["mae"])
    return model


def _search(tuner, epochs=1, **kwargs):
    tuner.search(X, Y, epochs=epochs, validation_data=(XV, YV), **kwargs)


def test_search_space_summary(tmp_path, capsys):
    tuner = kt.RandomSearch(build_model, objective="val_loss", max_trials=2, directory=tmp_path)
    tuner.search_space_summary()
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Search space summary",
        "Default search space size: 2",
        "units (Int)",
        (
            "{'default': None, 'conditions': [], 'min_value': 2, 'max_value': 8, 'step': 2, "
            "'sampling': 'linear'}"
        ),
        "learning_rate (Choice)",
        "{'default': 0.01, 'conditions': [], 'values': [0.01, 0.001], 'ordered': True}",
    ]


def test_random_search_end_to_end(tmp_path, capsys):
    tuner = kt.RandomSearch(
        build_model,
        objective="val_loss",
        max_trials=3,
        seed=1,
        directory=tmp_path,
        project_name="proj",
    )
    _search(tuner, verbose=1)
    out = capsys.readouterr().out
    lines = out.splitlines()
    for n in (1, 2, 3):
        assert f"Search: Running Trial #{n}" in lines
        assert any(re.fullmatch(rf"Trial {n} Complete \[\d\dh \d\dm \d\ds\]", ln) for ln in lines)
    assert lines.count("Value             |Best Value So Far |Hyperparameter") == 3
    assert any(re.fullmatch(r"\d+\s+\|\d+\s+\|units", ln) for ln in lines)
    assert any(re.fullmatch(r"val_loss: [\d.e-]+", ln) for ln in lines)
    assert any(re.fullmatch(r"Best val_loss So Far: [\d.e-]+", ln) for ln in lines)
    assert any(re.fullmatch(r"Total elapsed time: \d\dh \d\dm \d\ds", ln) for ln in lines)
    # first trial: no best yet, so its own values are shown as the best
    first = lines.index("Search: Running Trial #1")
    assert re.fullmatch(r"(\d+)\s+\|\1\s+\|units", lines[first + 3])

    proj = tmp_path / "proj"
    assert sorted(os.listdir(proj)) == [
        "oracle.json",
        "trial_0",
        "trial_1",
        "trial_2",
        "tuner0.json",
    ]
    assert sorted(os.listdir(proj / "trial_0")) == [
        "build_config.json",
        "checkpoint.weights.h5",
        "trial.json",
    ]
    oracle = json.loads((proj / "oracle.json").read_text())
    assert list(oracle) == [
        "ongoing_trials",
        "hyperparameters",
        "start_order",
        "end_order",
        "run_times",
        "retry_queue",
        "seed",
        "seed_state",
        "tried_so_far",
        "id_to_hash",
        "display",
    ]
    assert oracle["end_order"] == ["0", "1", "2"] and oracle["seed"] == 1
    assert oracle["run_times"] == {"0": 1, "1": 1, "2": 1}
    assert len(oracle["tried_so_far"]) == 3
    trial = json.loads((proj / "trial_0" / "trial.json").read_text())
    assert list(trial) == [
        "trial_id",
        "metrics",
        "hyperparameters",
        "score",
        "best_step",
        "status",
        "message",
    ]
    assert trial["status"] == "COMPLETED" and trial["message"] is None
    assert set(trial["metrics"]["metrics"]) == {"loss", "mae", "val_loss", "val_mae"}
    assert trial["metrics"]["metrics"]["val_loss"]["direction"] == "min"
    assert trial["score"] == trial["metrics"]["metrics"]["val_loss"]["observations"][0]["value"][0]
    assert json.loads((proj / "tuner0.json").read_text()) == {}

    best_trials = tuner.oracle.get_best_trials(3)
    scores = [t.score for t in best_trials]
    assert scores == sorted(scores)
    best_hp = tuner.get_best_hyperparameters()[0]
    assert best_hp.values == best_trials[0].hyperparameters.values
    model = tuner.get_best_models(num_models=1)[0]
    assert isinstance(model, keras.Sequential)
    assert model.layers[0].units == best_hp.values["units"]
    val_loss = model.evaluate(XV, YV, verbose=0)[0]
    assert val_loss == pytest.approx(best_trials[0].score, rel=1e-4)
    assert tuner.remaining_trials == 0


def test_results_summary(tmp_path, capsys):
    tuner = kt.RandomSearch(
        build_model, objective="val_loss", max_trials=2, directory=tmp_path, project_name="p"
    )
    _search(tuner, verbose=0)
    capsys.readouterr()
    tuner.results_summary(num_trials=1)
    lines = capsys.readouterr().out.splitlines()
    best = tuner.oracle.get_best_trials()[0]
    assert lines[:4] == [
        "Results summary",
        f"Results in {tmp_path}/p",
        "Showing 1 best trials",
        'Objective(name="val_loss", direction="min")',
    ]
    assert lines[4:] == [
        "",
        f"Trial {best.trial_id} summary",
        "Hyperparameters:",
        f"units: {best.hyperparameters.values['units']}",
        f"learning_rate: {best.hyperparameters.values['learning_rate']}",
        f"Score: {best.score}",
    ]


def test_verbose_zero_is_silent(tmp_path, capsys):
    tuner = kt.RandomSearch(build_model, objective="val_loss", max_trials=1, directory=tmp_path)
    _search(tuner, verbose=0)
    assert capsys.readouterr().out == ""


def test_reload_and_overwrite(tmp_path, capsys):
    kwargs = {"objective": "val_loss", "max_trials": 2, "directory": tmp_path, "project_name": "p"}
    tuner = kt.RandomSearch(build_model, **kwargs)
    _search(tuner, verbose=0)
    values = tuner.get_best_hyperparameters()[0].values
    capsys.readouterr()
    again = kt.RandomSearch(build_model, **kwargs)
    out = capsys.readouterr().out
    assert f"Reloading Oracle from existing project {tmp_path}/p/oracle.json" in out
    assert f"Reloading Tuner from {tmp_path}/p/tuner0.json" in out
    assert len(again.oracle.trials) == 2
    assert again.get_best_hyperparameters()[0].values == values
    _search(again)  # max_trials reached: nothing runs
    assert "Search: Running Trial" not in capsys.readouterr().out
    fresh = kt.RandomSearch(build_model, overwrite=True, **kwargs)
    assert fresh.oracle.trials == {} and not os.path.exists(tmp_path / "p" / "trial_0")


def test_missing_objective_fails_after_three_trials(tmp_path, capsys):
    tuner = kt.Hyperband(
        build_model,
        objective="val_accuracy",
        max_epochs=3,
        factor=3,
        directory=tmp_path,
        project_name="hb",
    )
    with pytest.raises(RuntimeError) as info:
        _search(tuner, epochs=10)
    message = str(info.value)
    assert message.startswith("Number of consecutive failures exceeded the limit of 3.\n")
    assert "KeyError: 'val_accuracy'" in message
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines.count("Best val_accuracy So Far: None") == 2
    assert "Trial 3 Complete" not in captured.out
    assert captured.err.count("KeyError: 'val_accuracy'") == 3  # every failure is printed
    trials = [
        json.loads((tmp_path / "hb" / f"trial_000{i}" / "trial.json").read_text()) for i in range(3)
    ]
    assert [t["status"] for t in trials] == ["FAILED", "FAILED", "RUNNING"]
    assert "KeyError" in trials[0]["message"]
    assert os.path.exists(tmp_path / "hb" / "oracle.json")


def test_max_consecutive_failed_trials_and_retries(tmp_path, capsys):
    calls = []

    def broken(hp):
        calls.append(hp.Int("units", 1, 100))
        if len(calls) > 1:  # the first build only declares the space
            raise ValueError("cannot build")
        return build_model(hp)

    tuner = kt.RandomSearch(
        broken,
        objective="val_loss",
        max_trials=10,
        directory=tmp_path,
        max_retries_per_trial=1,
        max_consecutive_failed_trials=2,
    )
    with pytest.raises(RuntimeError, match="exceeded the limit of 2"):
        _search(tuner)
    out = capsys.readouterr().out
    assert "Trial 00 failed 1 times. 1 retries left." in out
    assert "Trial 01 failed 1 times. 1 retries left." in out
    assert len(calls) == 1 + 4  # two trials, each run twice


def test_failed_trial_error_skips_retries(tmp_path, capsys):
    def build(hp):
        units = hp.Int("units", 2, 8, step=2)
        if units == 8:
            raise errors.FailedTrialError("too big")
        return build_model(hp)

    tuner = kt.GridSearch(build, objective="val_loss", directory=tmp_path, max_retries_per_trial=3)
    _search(tuner, verbose=0)
    statuses = {t.hyperparameters.values["units"]: t.status for t in tuner.oracle.trials.values()}
    assert statuses[8] == "FAILED"
    assert all(statuses[u] == "COMPLETED" for u in (2, 4, 6))


def test_fatal_errors_stop_the_search(tmp_path):
    def build(hp):
        hp.Int("units", 2, 8)
        raise errors.FatalValueError("stop now")

    tuner = kt.RandomSearch(build_model, objective="val_loss", max_trials=3, directory=tmp_path)
    tuner.hypermodel.build = build
    with pytest.raises(errors.FatalValueError, match="stop now"):
        _search(tuner)


def test_executions_per_trial_average(tmp_path):
    tuner = kt.RandomSearch(
        build_model, objective="val_loss", max_trials=1, directory=tmp_path, executions_per_trial=2
    )
    _search(tuner, epochs=2, verbose=0)
    trial = tuner.oracle.trials["0"]
    obs = trial.metrics.get_history("val_loss")
    assert len(obs) == 1 and len(obs[0].value) == 1  # the averaged best epoch of 2 executions
    assert trial.best_step in (0, 1)


def test_hyperband_schedule(tmp_path):
    tuner = kt.Hyperband(
        build_model,
        objective="val_loss",
        max_epochs=3,
        factor=3,
        seed=3,
        directory=tmp_path,
        project_name="hb",
    )
    epochs_seen = []

    class Recorder(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            epochs_seen.append(epoch)

    tuner.search(X, Y, epochs=50, validation_data=(XV, YV), verbose=0, callbacks=[Recorder()])
    trials = [tuner.oracle.trials[k] for k in sorted(tuner.oracle.trials)]
    assert [t.trial_id for t in trials] == ["0000", "0001", "0002", "0003", "0004", "0005"]
    info = [
        (
            t.hyperparameters.values["tuner/bracket"],
            t.hyperparameters.values["tuner/round"],
            t.hyperparameters.values["tuner/epochs"],
            t.hyperparameters.values["tuner/initial_epoch"],
        )
        for t in trials
    ]
    # bracket 1: three 1-epoch trials, the best continues to epoch 3; bracket 0: two 3-epoch runs
    assert info == [(1, 0, 1, 0)] * 3 + [(1, 1, 3, 1)] + [(0, 0, 3, 0)] * 2
    promoted = trials[3].hyperparameters.values
    best_first_round = min(trials[:3], key=lambda t: t.score)
    assert promoted["tuner/trial_id"] == best_first_round.trial_id
    assert promoted["units"] == best_first_round.hyperparameters.values["units"]
    assert epochs_seen == [0, 0, 0, 1, 2, 0, 1, 2, 0, 1, 2]
    assert all(t.status == "COMPLETED" for t in trials)
    state = json.loads((tmp_path / "hb" / "oracle.json").read_text())
    assert state["max_epochs"] == 3 and state["factor"] == 3 and "brackets" in state


def test_grid_search_walks_every_combination(tmp_path):
    def build(hp):
        hp.Choice("a", [1, 2])
        hp.Boolean("b")
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
        model.compile(loss="mse")
        return model

    tuner = kt.GridSearch(build, objective="val_loss", directory=tmp_path)
    _search(tuner, verbose=0)
    combos = [
        (t.hyperparameters.values["a"], t.hyperparameters.values["b"])
        for t in tuner.oracle.trials.values()
    ]
    assert combos == [(1, False), (1, True), (2, False), (2, True)]
    assert list(tuner.oracle.trials) == ["0000", "0001", "0002", "0003"]


class FunctionTuner(base_tuner.BaseTuner):
    """Minimizes a function of the hyperparameters without training anything."""

    def run_trial(self, trial, fn):
        return fn(trial.hyperparameters)


def _oracle_search(oracle, tmp_path, fn):
    tuner = FunctionTuner(oracle=oracle, directory=tmp_path, project_name="f")
    hp = tuner.oracle.hyperparameters
    hp.Float("x", -2.0, 2.0)
    hp.Float("y", -2.0, 2.0)
    tuner.oracle.verbose = 0
    tuner.search(fn)
    return tuner


def test_bayesian_optimization_beats_its_random_start(tmp_path):
    def fn(hp):
        return (hp["x"] - 0.7) ** 2 + (hp["y"] + 0.3) ** 2

    oracle = kt.oracles.BayesianOptimizationOracle(max_trials=25, num_initial_points=6, seed=0)
    tuner = _oracle_search(oracle, tmp_path, fn)
    trials = list(tuner.oracle.trials.values())
    assert len(trials) == 25
    initial_best = min(t.score for t in trials[:6])
    best = tuner.oracle.get_best_trials()[0]
    assert best.score < initial_best and best.score < 0.02
    assert tuner.get_best_hyperparameters()[0]["x"] == pytest.approx(0.7, abs=0.15)


def test_default_objective_and_dict_results(tmp_path):
    oracle = kt.oracles.RandomSearchOracle(max_trials=4, seed=2)
    tuner = _oracle_search(oracle, tmp_path, lambda hp: abs(hp["x"]))
    assert tuner.oracle.objective.name == "default_objective"
    assert len(tuner.oracle.trials) == 4

    oracle = kt.oracles.RandomSearchOracle(objective=kt.Objective("score", "max"), max_trials=3)
    tuner = FunctionTuner(oracle=oracle, directory=tmp_path, project_name="g")
    tuner.oracle.hyperparameters.Int("n", 0, 100)
    tuner.oracle.verbose = 0
    tuner.search(lambda hp: {"score": hp["n"], "other": 1.0})
    best = tuner.oracle.get_best_trials(3)
    assert [t.score for t in best] == sorted((t.score for t in best), reverse=True)

    bad = FunctionTuner(
        oracle=kt.oracles.RandomSearchOracle(max_trials=2), directory=tmp_path, project_name="h"
    )
    bad.oracle.hyperparameters.Int("n", 0, 9)
    with pytest.raises(errors.FatalTypeError, match="to be a single float"):
        bad.search(lambda hp: {"loss": 1.0})


def test_hypermodel_subclass_with_fit_and_untunable(tmp_path):
    class MyHyperModel(kt.HyperModel):
        def build(self, hp):
            model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
            model.compile(optimizer="adam", loss="mse")
            return model

        def fit(self, hp, model, *args, **kwargs):
            return model.fit(*args, batch_size=hp.Choice("batch_size", [8, 16]), **kwargs)

    tuner = kt.RandomSearch(
        MyHyperModel(), objective="val_loss", max_trials=2, seed=5, directory=tmp_path
    )
    _search(tuner, verbose=0)
    assert sorted(t.hyperparameters.values["batch_size"] for t in tuner.oracle.trials.values()) == [
        8,
        16,
    ]

    class Untunable(kt.HyperModel):
        def build(self, hp):
            hp.Int("hidden", 1, 5)
            return MyHyperModel().build(hp)

    hp = kt.HyperParameters()
    Untunable(tunable=False).build(hp)
    assert hp.space == []


@pytest.mark.parametrize(
    "make,error,match",
    [
        (
            lambda d: kt.RandomSearch(build_model, objective="val_foo", directory=d),
            ValueError,
            "Could not infer optimization direction",
        ),
        (
            lambda d: kt.RandomSearch(None, objective="val_loss", directory=d),
            ValueError,
            "Received `hypermodel=None`",
        ),
        (
            lambda d: kt.RandomSearch(42, objective="val_loss", directory=d),
            errors.FatalValueError,
            "should be either a callable",
        ),
        (
            lambda d: kt.RandomSearch(build_model, objective=3, directory=d),
            TypeError,
            "`objective` not understood",
        ),
        (
            lambda d: kt.Hyperband(build_model, objective="val_loss", factor=1, directory=d),
            ValueError,
            "factor needs to be a int larger than 1",
        ),
        (
            lambda d: kt.RandomSearch(build_model, objective="val_loss", directory=d, bogus=1),
            ValueError,
            r"Unrecognized arguments \['bogus'\]",
        ),
    ],
)
def test_constructor_errors(tmp_path, make, error, match):
    with pytest.raises(error, match=match):
        make(tmp_path)


def test_objectives():
    obj = kt.Objective("val_auc", "max")
    assert str(obj) == 'Objective(name="val_auc", direction="max")'
    assert obj.better_than(0.9, 0.8) and not obj.better_than(0.8, 0.8)
    multi = kt.engine.objective.create_objective(["val_loss", kt.Objective("val_acc", "max")])
    assert multi.get_value({"val_loss": 2.0, "val_acc": 0.5, "x": 9}) == 1.5
    assert kt.engine.objective.create_objective("val_accuracy").direction == "max"
    assert kt.engine.objective.create_objective("mae").direction == "min"


def test_conditional_space_is_explored_at_construction(tmp_path):
    def build(hp):
        kind = hp.Choice("kind", ["a", "b"])
        with hp.conditional_scope("kind", ["b"]):
            if kind == "b":
                hp.Int("b_units", 1, 4)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
        model.compile(loss="mse")
        return model

    tuner = kt.RandomSearch(build, objective="val_loss", max_trials=2, directory=tmp_path)
    names = [p.name for p in tuner.oracle.get_space().space]
    assert names == ["kind", "b_units"]


def test_keras_tuner_alias():
    code = (
        "import tensorlet._alias as a; a.install(); import keras_tuner as kt, tensorlet; "
        "import keras_tuner.engine.hyperparameters as h; "
        "assert kt is tensorlet.tuner and h.HyperParameters is kt.HyperParameters; "
        "print(kt.__version__)"
    )
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=root
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1.4.7"
