"""keras_tuner HyperParameters: entry types, defaults, sampling, grids, conditions, scopes,
configs (the keys keras_tuner prints and saves) and errors."""

import random

import pytest

from tensorlet.tuner import HyperParameters
from tensorlet.tuner.engine import conditions
from tensorlet.tuner.engine import hyperparameters as hpm


def test_int_registration_and_values():
    hp = HyperParameters()
    assert hp.Int("units", min_value=32, max_value=512, step=32) == 32
    assert hp.values == {"units": 32}
    assert hp.Int("units", 32, 512, step=32) == 32  # a second call returns the current value
    hp.values["units"] = 96
    assert hp.Int("units", 32, 512, step=32) == 96
    assert hp.get("units") == 96 and hp["units"] == 96 and "units" in hp
    assert len(hp.space) == 1


@pytest.mark.parametrize(
    "cls,kwargs,config",
    [
        (
            hpm.Int,
            {"min_value": 32, "max_value": 512, "step": 32},
            {
                "default": None,
                "conditions": [],
                "min_value": 32,
                "max_value": 512,
                "step": 32,
                "sampling": "linear",
            },
        ),
        (
            hpm.Int,
            {"min_value": 1, "max_value": 5},
            {
                "default": None,
                "conditions": [],
                "min_value": 1,
                "max_value": 5,
                "step": 1,
                "sampling": "linear",
            },
        ),
        (
            hpm.Int,
            {"min_value": 2, "max_value": 64, "sampling": "log", "default": 8},
            {
                "default": 8,
                "conditions": [],
                "min_value": 2,
                "max_value": 64,
                "step": None,
                "sampling": "log",
            },
        ),
        (
            hpm.Float,
            {"min_value": 1e-4, "max_value": 1e-2, "sampling": "log"},
            {
                "default": 0.0001,
                "conditions": [],
                "min_value": 0.0001,
                "max_value": 0.01,
                "step": None,
                "sampling": "log",
            },
        ),
        (
            hpm.Float,
            {"min_value": 0, "max_value": 1, "step": 0.25},
            {
                "default": 0.0,
                "conditions": [],
                "min_value": 0.0,
                "max_value": 1.0,
                "step": 0.25,
                "sampling": "linear",
            },
        ),
        (
            hpm.Choice,
            {"values": [1e-2, 1e-3, 1e-4]},
            {"default": 0.01, "conditions": [], "values": [0.01, 0.001, 0.0001], "ordered": True},
        ),
        (
            hpm.Choice,
            {"values": ["relu", "tanh"], "default": "tanh"},
            {"default": "tanh", "conditions": [], "values": ["relu", "tanh"], "ordered": False},
        ),
        (hpm.Boolean, {}, {"default": False, "conditions": []}),
        (hpm.Fixed, {"value": "adam"}, {"conditions": [], "value": "adam"}),
    ],
)
def test_configs_as_keras_tuner_prints_them(cls, kwargs, config):
    p = cls(name="x", **kwargs)
    got = p.get_config()
    assert got.pop("name") == "x"
    assert got == config
    assert list(got) == list(config)  # the printed order
    again = cls.from_config(p.get_config())
    assert again.get_config() == p.get_config()


def test_defaults():
    hp = HyperParameters()
    assert hp.Float("lr", 1e-4, 1e-2, sampling="log") == 1e-4
    assert hp.Float("d", 0.1, 0.5, default=0.3) == 0.3
    assert hp.Choice("act", ["relu", "tanh"]) == "relu"
    assert hp.Choice("n", [4, 8], default=8) == 8
    assert hp.Boolean("flag") is False
    assert hp.Boolean("flag2", default=True) is True
    assert hp.Fixed("opt", "adam") == "adam"
    assert hp.Int("k", 3, 9, default=5) == 5
    assert list(hp.values) == ["lr", "d", "act", "n", "flag", "flag2", "opt", "k"]


@pytest.mark.parametrize(
    "entry,expected",
    [
        (hpm.Int("a", 32, 512, step=32), tuple(range(32, 513, 32))),
        (hpm.Int("a", 1, 4), (1, 2, 3, 4)),
        (hpm.Int("a", 2, 32, step=2, sampling="log"), (2, 4, 8, 16, 32)),
        (hpm.Float("a", 0.0, 1.0, step=0.25), (0.0, 0.25, 0.5, 0.75, 1.0)),
        (hpm.Float("a", 0.001, 10, step=10, sampling="log"), (0.001, 0.01, 0.1, 1.0, 10.0)),
        (hpm.Choice("a", ["x", "y"]), ["x", "y"]),
        (hpm.Boolean("a"), (True, False)),
        (hpm.Fixed("a", 3), (3,)),
    ],
)
def test_value_grids(entry, expected):
    values = entry.values
    assert len(values) == len(expected)
    assert all(
        abs(v - e) < 1e-9 if isinstance(e, float) else v == e for v, e in zip(values, expected)
    )


def test_unstepped_float_grid_is_ten_samples():
    values = hpm.Float("a", 0.0, 1.0).values
    assert len(values) == 10
    assert values[0] == pytest.approx(0.05) and values[-1] == pytest.approx(0.95)


@pytest.mark.parametrize(
    "entry",
    [
        hpm.Int("a", 32, 512, step=32),
        hpm.Int("a", 1, 10),
        hpm.Int("a", 1, 1000, sampling="log"),
        hpm.Int("a", 2, 64, step=2, sampling="log"),
        hpm.Int("a", 1, 100, sampling="reverse_log"),
        hpm.Float("a", -1.0, 3.0),
        hpm.Float("a", 1e-5, 1e-1, sampling="log"),
        hpm.Float("a", 0.1, 1.0, sampling="reverse_log"),
        hpm.Float("a", 0.0, 1.0, step=0.1),
        hpm.Choice("a", [3, 1, 2]),
        hpm.Boolean("a"),
    ],
)
def test_prob_round_trip_and_sampling_range(entry):
    for v in entry.values:
        assert entry.prob_to_value(entry.value_to_prob(v)) == pytest.approx(v)
    rng = random.Random(0)
    for _ in range(200):
        v = entry.prob_to_value(rng.random())
        if isinstance(entry, hpm.Numerical):
            assert entry.min_value <= v <= entry.max_value
            if isinstance(entry, hpm.Int):
                assert isinstance(v, int)
        else:
            assert v in entry.values


def test_random_sample_is_seeded_by_python_random():
    entry = hpm.Int("units", 32, 512, step=32)
    # keras_tuner: random.Random(seed).random() mapped through prob_to_value
    for seed in (1, 7, 4674):
        assert entry.random_sample(seed) == entry.prob_to_value(random.Random(seed).random())
    assert entry.random_sample(3) == entry.random_sample(3)


@pytest.mark.parametrize(
    "make,error,match",
    [
        (lambda: hpm.Int("a", 5, 1), ValueError, "min_value 5 is greater than the max_value 1"),
        (lambda: hpm.Int("a", 1, 5, sampling="cubic"), ValueError, "sampling must be one of"),
        (lambda: hpm.Int("a", 0, 5, sampling="log"), ValueError, "does not support negative"),
        (lambda: hpm.Int("a", 1, 5, step=1, sampling="log"), ValueError, "expected step > 1"),
        (lambda: hpm.Int("a", 1.5, 5), ValueError, "min_value must be an int"),
        (lambda: hpm.Int("a", 1, 5, step=0.5), ValueError, "step must be an int"),
        (lambda: hpm.Choice("a", []), ValueError, "`values` must be provided"),
        (lambda: hpm.Choice("a", [1, "x"]), TypeError, "only one type of value"),
        (lambda: hpm.Choice("a", [1, 2], default=3), ValueError, "should be one of the choices"),
        (
            lambda: hpm.Choice("a", ["x"], ordered=True),
            ValueError,
            "must be `False` for non-numeric",
        ),
        (lambda: hpm.Choice("a", [[1]]), TypeError, "only `int`, `float`, `str`, or `bool`"),
        (lambda: hpm.Boolean("a", default=3), ValueError, "must be a Python boolean"),
        (lambda: hpm.Fixed("a", [1]), ValueError, "must be an `int`, `float`, `str`, or `bool`"),
    ],
)
def test_entry_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_get_errors_and_contains():
    hp = HyperParameters()
    with pytest.raises(KeyError, match="missing does not exist"):
        hp.get("missing")
    hp.Choice("model", ["a", "b"])
    with hp.conditional_scope("model", ["b"]):
        assert hp.Int("depth", 1, 3) is None  # inactive: registered, no value
    with pytest.raises(ValueError, match="depth is currently inactive"):
        hp.get("depth")
    assert "depth" not in hp and "model" in hp


def test_conditional_scopes():
    hp = HyperParameters()
    model = hp.Choice("model", ["mlp", "cnn"])
    with hp.conditional_scope("model", ["mlp"]):
        units = hp.Int("units", 8, 32, step=8)
    with hp.conditional_scope("model", ["cnn"]):
        filters = hp.Int("filters", 4, 16, step=4)
    assert (model, units, filters) == ("mlp", 8, None)
    assert hp.values == {"model": "mlp", "units": 8}
    assert len(hp.active_scopes) == 1 and len(hp.inactive_scopes) == 1
    assert hp.is_active("units") and not hp.is_active("filters")
    hp.values["model"] = "cnn"
    hp.ensure_active_values()
    assert "units" not in hp.values and hp.values["filters"] in (4, 8, 12, 16)
    # the parent_name/parent_values shortcut
    hp2 = HyperParameters()
    hp2.Boolean("deep")
    assert hp2.Int("layers", 2, 4, parent_name="deep", parent_values=[True]) is None
    assert hp2.space[1].conditions == [conditions.Parent("deep", [True])]
    with (
        pytest.raises(ValueError, match="`HyperParameter` named: nothing not defined"),
        hp2.conditional_scope("nothing", [1]),
    ):
        pass
    with (
        pytest.raises(ValueError, match="cannot have the same name as its parent"),
        hp2.conditional_scope("deep", [True]),
    ):
        hp2.Boolean("deep")


def test_name_scope():
    hp = HyperParameters()
    with hp.name_scope("block1"):
        hp.Int("units", 1, 4)
        with hp.name_scope("conv"):
            hp.Boolean("bn")
    assert list(hp.values) == ["block1/units", "block1/conv/bn"]


def test_config_round_trip_copy_and_merge():
    hp = HyperParameters()
    hp.Choice("model", ["mlp", "cnn"])
    with hp.conditional_scope("model", ["mlp"]):
        hp.Float("dropout", 0.0, 0.5, step=0.1)
    config = hp.get_config()
    assert config["space"][0] == {
        "class_name": "Choice",
        "config": {
            "name": "model",
            "default": "mlp",
            "conditions": [],
            "values": ["mlp", "cnn"],
            "ordered": False,
        },
    }
    assert config["space"][1]["config"]["conditions"] == [
        {"class_name": "Parent", "config": {"name": "model", "values": ["mlp"]}}
    ]
    again = HyperParameters.from_config(config)
    assert again.get_config() == config
    cp = hp.copy()
    cp.values["model"] = "cnn"
    assert hp.values["model"] == "mlp"
    other = HyperParameters()
    other.Int("units", 1, 3)
    hp.merge(other)
    assert [p.name for p in hp.space] == ["model", "dropout", "units"]
    assert hp.values["units"] == 1
    hp.values["units"] = 3
    hp.merge(other, overwrite=False)  # already there: kept
    assert hp.values["units"] == 3


def test_choice_types_are_standardized():
    assert hpm.Choice("a", [True, False]).values == [True, False]
    assert hpm.Choice("a", [1, 2]).ordered is True
    assert hpm.Choice("a", [1.5, 2.5], ordered=False).ordered is False
    assert (
        repr(hpm.Choice("a", [1, 2]))
        == "Choice(name: 'a', values: [1, 2], ordered: True, default: 1)"
    )
    assert repr(hpm.Int("a", 1, 4)) == (
        "Int(name: 'a', min_value: 1, max_value: 4, step: 1, sampling: linear, default: 1)"
    )
