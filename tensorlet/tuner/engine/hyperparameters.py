"""Hyperparameters: the search-space entries (``Int``, ``Float``, ``Choice``, ``Boolean``,
``Fixed``) and the ``HyperParameters`` container passed to ``build(hp)``.

Every entry maps a cumulative probability in ``[0, 1)`` to a value (``prob_to_value``) and back
(``value_to_prob``); oracles sample and model in that unit interval. ``get_config()`` has the
keys keras_tuner prints in ``search_space_summary()`` and writes to ``oracle.json``.
"""

import contextlib
import copy
import math
import random

from tensorlet.tuner import utils
from tensorlet.tuner.engine import conditions as conditions_mod


def _prob_to_index(prob, n):
    index = math.floor(prob / (1 / n))
    return min(index, n - 1)  # prob very close to 1


def _index_to_prob(index, n):
    return (index + 0.5) * (1 / n)  # the centre of the value's bucket


class HyperParameter:
    """Base class of the search-space entries.

    An entry is identified by its ``name`` together with its ``conditions``: the same name
    under different conditions is a different entry.

    Args:
        name: the name (unique in a search space).
        default: the value used before the oracle assigns one.
        conditions: ``Condition``s under which the entry is active.
    """

    def __init__(self, name, default=None, conditions=None):
        self.name = name
        self._default = default
        self.conditions = utils.to_list(conditions) if conditions else []

    def get_config(self):
        return {
            "name": self.name,
            "default": self.default,
            "conditions": [conditions_mod.serialize(c) for c in self.conditions],
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["conditions"] = [conditions_mod.deserialize(c) for c in config.get("conditions", [])]
        return cls(**config)

    @property
    def default(self):
        return self._default

    # subclasses define ``values``: the possible values (a finite sample for continuous ranges)

    def random_sample(self, seed=None):
        """A value drawn uniformly in probability space (``seed`` seeds Python's ``random``)."""
        return self.prob_to_value(float(random.Random(seed).random()))

    def prob_to_value(self, prob):
        raise NotImplementedError

    def value_to_prob(self, value):
        raise NotImplementedError


class Boolean(HyperParameter):
    """``True`` or ``False`` (default ``False``)."""

    def __init__(self, name, default=False, **kwargs):
        super().__init__(name=name, default=default, **kwargs)
        if default not in {True, False}:
            raise ValueError(f"`default` must be a Python boolean. You passed: default={default}")

    def __repr__(self):
        return f'Boolean(name: "{self.name}", default: {self.default})'

    @property
    def values(self):
        return (True, False)

    def prob_to_value(self, prob):
        return bool(prob >= 0.5)

    def value_to_prob(self, value):
        return 0.75 if value else 0.25


class Fixed(HyperParameter):
    """A constant, untuned value (``int``, ``float``, ``str`` or ``bool``)."""

    def __init__(self, name, value, **kwargs):
        super().__init__(name=name, default=value, **kwargs)
        if isinstance(value, bool):
            value = bool(value)
        elif isinstance(value, int):
            value = int(value)
        elif isinstance(value, str):
            value = str(value)
        elif not isinstance(value, float):
            raise ValueError(  # noqa: TRY004 (keras_tuner's class)
                f"`Fixed` value must be an `int`, `float`, `str`, or `bool`, found {value}"
            )
        self.value = value

    def __repr__(self):
        return f"Fixed(name: {self.name}, value: {self.value})"

    @property
    def values(self):
        return (self.value,)

    @property
    def default(self):
        return self.value

    def prob_to_value(self, prob):
        return self.value

    def value_to_prob(self, value):
        return 0.5

    def get_config(self):
        config = super().get_config()
        config.pop("default")
        config["value"] = self.value
        return config


class Choice(HyperParameter):
    """One value among ``values`` (all of one type: ``int``, ``float``, ``str`` or ``bool``).

    Args:
        values: the choices; the default is the first one unless ``default`` is given.
        ordered: whether the values are ordered (default: True for numbers; must be False for
            other types).
    """

    def __init__(self, name, values, ordered=None, default=None, **kwargs):
        super().__init__(name=name, default=default, **kwargs)
        if not values:
            raise ValueError("`values` must be provided for `Choice`.")
        types = {type(v) for v in values}
        if len(types) > 1:
            raise TypeError(
                "A `Choice` can contain only one type of value, "
                f"found values: {values} with types {types}."
            )
        first = values[0]
        if isinstance(first, str):
            values = [str(v) for v in values]
            default = str(default) if default is not None else None
        elif isinstance(first, bool):
            values = [bool(v) for v in values]
        elif isinstance(first, int):
            values = [int(v) for v in values]
            default = int(default) if default is not None else None
        elif isinstance(first, float):
            values = [float(v) for v in values]
        else:
            raise TypeError(
                "A `Choice` can contain only `int`, `float`, `str`, or `bool`, "
                f"found values: {values} with types: {type(first)}"
            )
        self.values = values
        if default is not None and default not in values:
            raise ValueError(
                "The default value should be one of the choices. "
                f"You passed: values={values}, default={default}"
            )
        self._default = default
        numeric = isinstance(first, (int, float)) and not isinstance(first, bool)
        if ordered and not numeric:
            raise ValueError("`ordered` must be `False` for non-numeric types.")
        self.ordered = numeric if ordered is None else ordered

    def __repr__(self):
        return (
            f"Choice(name: '{self.name}', values: {self.values}, "
            f"ordered: {self.ordered}, default: {self.default})"
        )

    @property
    def default(self):
        return self.values[0] if self._default is None else self._default

    def prob_to_value(self, prob):
        return self.values[_prob_to_index(prob, len(self.values))]

    def value_to_prob(self, value):
        return _index_to_prob(self.values.index(value), len(self.values))

    def get_config(self):
        config = super().get_config()
        config["values"] = self.values
        config["ordered"] = self.ordered
        return config


_SAMPLINGS = ("linear", "log", "reverse_log")


class Numerical(HyperParameter):
    """Base of ``Int`` and ``Float``: a range ``[min_value, max_value]`` with a ``sampling``
    (``'linear'``, ``'log'`` or ``'reverse_log'``) and an optional ``step``."""

    def __init__(
        self, name, min_value, max_value, step=None, sampling="linear", default=None, **kwargs
    ):
        super().__init__(name=name, default=default, **kwargs)
        self.min_value = min_value
        self.max_value = max_value
        self.step = step
        self.sampling = "linear" if sampling is None else str(sampling).lower()
        where = f"For HyperParameters.{self.__class__.__name__}(name='{name}'), "
        if self.min_value > self.max_value:
            raise ValueError(
                where + f"min_value {min_value} is greater than the max_value {max_value}."
            )
        if self.sampling not in _SAMPLINGS:
            raise ValueError(where + f"sampling must be one of {set(_SAMPLINGS)}")
        if self.sampling != "linear" and self.min_value <= 0:
            raise ValueError(
                where + f"sampling='{self.sampling}' does not support negative values, "
                f"found min_value: {min_value}."
            )
        if self.sampling != "linear" and self.step is not None and self.step <= 1:
            raise ValueError(
                where + f"expected step > 1 with sampling='{self.sampling}'. Received: step={step}."
            )

    # continuous mapping
    def _from_prob(self, prob, max_value=None):
        lo, hi = self.min_value, self.max_value if max_value is None else max_value
        if self.sampling == "linear":
            return prob * (hi - lo) + lo
        if self.sampling == "log":
            return lo * math.pow(hi / lo, prob)
        return hi + lo - lo * math.pow(hi / lo, 1 - prob)

    def _to_prob(self, value, max_value=None):
        lo, hi = self.min_value, self.max_value if max_value is None else max_value
        if hi == lo:
            return 0.5
        if self.sampling == "linear":
            return (value - lo) / (hi - lo)
        if self.sampling == "log":
            return math.log(value / lo) / math.log(hi / lo)
        return 1.0 - math.log((hi + lo - value) / lo) / math.log(hi / lo)

    # stepped mapping: a finite grid of values
    def _num_steps(self):
        if self.sampling == "linear":
            return int((self.max_value - self.min_value) / self.step + 1e-9) + 1
        return int(math.log(self.max_value / self.min_value, self.step) + 1e-9) + 1

    def _value_at(self, index):
        if self.sampling == "linear":
            return self.min_value + index * self.step
        if self.sampling == "log":
            return self.min_value * math.pow(self.step, index)
        return self.max_value + self.min_value - self.min_value * math.pow(self.step, index)

    def _index_of(self, value):
        if self.sampling == "linear":
            return (value - self.min_value) / self.step
        if self.sampling == "log":
            return math.log(value / self.min_value, self.step)
        return math.log((self.max_value - value + self.min_value) / self.min_value, self.step)

    def _stepped_value(self, prob):
        return self._value_at(_prob_to_index(prob, self._num_steps()))

    def _stepped_prob(self, value):
        return _index_to_prob(self._index_of(value), self._num_steps())

    @property
    def values(self):
        """The grid of values with ``step``; ten evenly spread samples without."""
        if self.step is None:
            found = []
            for i in range(10):
                v = self.prob_to_value(i * 0.1 + 0.05)
                if v not in found:
                    found.append(v)
            return tuple(found)
        return tuple(self._cast(self._value_at(i)) for i in range(self._num_steps()))

    def _cast(self, value):
        return value

    def get_config(self):
        config = super().get_config()
        config["min_value"] = self.min_value
        config["max_value"] = self.max_value
        config["step"] = self.step
        config["sampling"] = self.sampling
        return config


def _check_int(value, arg):
    int_value = int(value)
    if int_value != value:
        raise ValueError(f"{arg} must be an int, Received: {value} of type {type(value)}.")
    return int_value


class Int(Numerical):
    """An integer in ``[min_value, max_value]`` (both included).

    ``step`` is the distance between values (a factor with log sampling; default 1 for linear
    sampling). The default is ``min_value``.
    """

    def __init__(
        self, name, min_value, max_value, step=None, sampling="linear", default=None, **kwargs
    ):
        if step is not None:
            step = _check_int(step, arg="step")
        elif sampling in ("linear", None):
            step = 1
        super().__init__(
            name=name,
            min_value=_check_int(min_value, arg="min_value"),
            max_value=_check_int(max_value, arg="max_value"),
            step=step,
            sampling=sampling,
            default=default,
            **kwargs,
        )

    def __repr__(self):
        return (
            f"Int(name: '{self.name}', min_value: {self.min_value}, "
            f"max_value: {self.max_value}, step: {self.step}, "
            f"sampling: {self.sampling}, default: {self.default})"
        )

    def _cast(self, value):
        return int(value)

    def prob_to_value(self, prob):
        if self.step is None:
            return int(self._from_prob(prob, self.max_value + 1))
        return int(self._stepped_value(prob))

    def value_to_prob(self, value):
        if self.step is None:
            return self._to_prob(value + 0.5, self.max_value + 1)
        return self._stepped_prob(value)

    @property
    def default(self):
        return self.min_value if self._default is None else self._default

    def get_config(self):
        config = super().get_config()
        config["default"] = self._default  # written as given (None: min_value)
        return config


class Float(Numerical):
    """A float in ``[min_value, max_value]``; ``step`` makes it a grid (a factor with log
    sampling). The default is ``min_value``."""

    def __init__(
        self, name, min_value, max_value, step=None, sampling="linear", default=None, **kwargs
    ):
        if step is not None:
            step = float(step)
        super().__init__(
            name=name,
            min_value=float(min_value),
            max_value=float(max_value),
            step=step,
            sampling=sampling,
            default=default,
            **kwargs,
        )

    def __repr__(self):
        return (
            f"Float(name: '{self.name}', min_value: '{self.min_value}', "
            f"max_value: '{self.max_value}', step: '{self.step}', "
            f"sampling: '{self.sampling}', default: '{self.default}')"
        )

    def _cast(self, value):
        return float(value)

    @property
    def default(self):
        return self.min_value if self._default is None else self._default

    def prob_to_value(self, prob):
        if self.step is None:
            return self._from_prob(prob)
        return self._stepped_value(prob)

    def value_to_prob(self, value):
        if self.step is None:
            return self._to_prob(value)
        return self._stepped_prob(value)


_TYPES = {cls.__name__: cls for cls in (Boolean, Choice, Fixed, Float, Int)}


def serialize(hp):
    return {"class_name": hp.__class__.__name__, "config": hp.get_config()}


def deserialize(config):
    if isinstance(config, HyperParameter):
        return config
    return _TYPES[config["class_name"]].from_config(config["config"])


class HyperParameters:
    """A search space and the current values of one trial.

    ``build(hp)`` calls ``hp.Int(...)``, ``hp.Choice(...)`` ...: the first call of a name
    registers the entry (and returns its default, or the value the oracle chose); later calls
    return the current value. ``values`` holds the values of the active entries.

    Example:
        >>> hp = HyperParameters()
        >>> hp.Int("units", min_value=32, max_value=512, step=32)
        32
        >>> hp.values
        {'units': 32}
    """

    def __init__(self):
        self._name_scopes = []
        self._conditions = []
        self._hps = {}  # name -> [entries with that name, under different conditions]
        self._space = []  # every entry, in registration order (parents before children)
        self.values = {}
        self.active_scopes = []
        self.inactive_scopes = []

    # ---- scopes

    @contextlib.contextmanager
    def name_scope(self, name):
        """Prefixes the names created inside with ``name/``."""
        self._name_scopes.append(name)
        try:
            yield
        finally:
            self._name_scopes.pop()

    @contextlib.contextmanager
    def conditional_scope(self, parent_name, parent_values):
        """Entries created inside are active only while ``parent_name`` has one of
        ``parent_values`` (inactive ones return ``None``; the code inside always runs)."""
        parent_name = self._get_name(parent_name)
        if not self._exists(parent_name):
            raise ValueError(f"`HyperParameter` named: {parent_name} not defined.")
        condition = conditions_mod.Parent(parent_name, parent_values)
        self._conditions.append(condition)
        if condition.is_active(self.values):
            self.active_scopes.append(copy.deepcopy(self._conditions))
        else:
            self.inactive_scopes.append(copy.deepcopy(self._conditions))
        try:
            yield
        finally:
            self._conditions.pop()

    @contextlib.contextmanager
    def _maybe_conditional_scope(self, parent_name, parent_values):
        if parent_name:
            with self.conditional_scope(parent_name, parent_values):
                yield
        else:
            yield

    def _get_name(self, name, name_scopes=None):
        scopes = self._name_scopes if name_scopes is None else name_scopes
        if scopes:
            return "/".join(scopes) + "/" + str(name)
        return str(name)

    # ---- activity

    def is_active(self, hyperparameter):
        """Whether an entry (or any entry with a given name) is active for the current values."""
        if isinstance(hyperparameter, HyperParameter):
            return self._conditions_are_active(hyperparameter.conditions)
        for hp in self._hps.get(str(hyperparameter), []):
            if self._conditions_are_active(hp.conditions):
                return True
        return False

    def _conditions_are_active(self, conditions):
        return all(c.is_active(self.values) for c in conditions)

    def _exists(self, name, conditions=None):
        if conditions is None:
            conditions = self._conditions
        return any(hp.conditions == conditions for hp in self._hps.get(name, []))

    def ensure_active_values(self):
        """Drops the values of inactive entries and samples missing active ones."""
        for hp in self._space:
            if self.is_active(hp):
                if hp.name not in self.values:
                    self.values[hp.name] = hp.random_sample()
            else:
                self.values.pop(hp.name, None)

    # ---- registration

    def _retrieve(self, hp):
        if self._exists(hp.name, hp.conditions):
            if self._conditions_are_active(hp.conditions):
                return self.values[hp.name]
            return None
        return self._register(hp)

    def _register(self, hyperparameter, overwrite=False):
        self._validate_name(hyperparameter.name)
        hp = hyperparameter.__class__.from_config(hyperparameter.get_config())  # a private copy
        self._hps.setdefault(hp.name, []).append(hp)
        self._space.append(hp)
        if self._conditions_are_active(hp.conditions):
            if overwrite or hp.name not in self.values:
                self.values[hp.name] = hp.default
            return self.values[hp.name]
        return None

    def _validate_name(self, name):
        for condition in self._conditions:
            if condition.name == name:
                raise ValueError(
                    "A conditional `HyperParameter` cannot have the same name as its parent. "
                    f"Found: {name} and parent_name: {condition.name}"
                )

    def declare_hp(self, hyperparameter):
        """Registers an entry without needing its value."""
        self._retrieve(hyperparameter)

    # ---- access

    def get(self, name):
        """The current value of ``name`` (``ValueError`` if inactive, ``KeyError`` if unknown)."""
        name = self._get_name(name)
        if name in self.values:
            return self.values[name]
        if name in self._hps:
            raise ValueError(f"{name} is currently inactive.")
        raise KeyError(f"{name} does not exist.")

    def __getitem__(self, name):
        return self.get(name)

    def __contains__(self, name):
        try:
            self.get(name)
            return True
        except (KeyError, ValueError):
            return False

    @property
    def space(self):
        """The list of entries, in registration order."""
        return self._space

    # ---- entry factories

    def Choice(
        self, name, values, ordered=None, default=None, parent_name=None, parent_values=None
    ):
        """One value among ``values``; returns the current value (``None`` if inactive)."""
        with self._maybe_conditional_scope(parent_name, parent_values):
            return self._retrieve(
                Choice(
                    name=self._get_name(name),
                    values=values,
                    ordered=ordered,
                    default=default,
                    conditions=self._conditions,
                )
            )

    def Int(
        self,
        name,
        min_value,
        max_value,
        step=None,
        sampling="linear",
        default=None,
        parent_name=None,
        parent_values=None,
    ):
        """An integer in ``[min_value, max_value]``; returns the current value."""
        with self._maybe_conditional_scope(parent_name, parent_values):
            return self._retrieve(
                Int(
                    name=self._get_name(name),
                    min_value=min_value,
                    max_value=max_value,
                    step=step,
                    sampling=sampling,
                    default=default,
                    conditions=self._conditions,
                )
            )

    def Float(
        self,
        name,
        min_value,
        max_value,
        step=None,
        sampling="linear",
        default=None,
        parent_name=None,
        parent_values=None,
    ):
        """A float in ``[min_value, max_value]``; returns the current value."""
        with self._maybe_conditional_scope(parent_name, parent_values):
            return self._retrieve(
                Float(
                    name=self._get_name(name),
                    min_value=min_value,
                    max_value=max_value,
                    step=step,
                    sampling=sampling,
                    default=default,
                    conditions=self._conditions,
                )
            )

    def Boolean(self, name, default=False, parent_name=None, parent_values=None):
        """``True`` or ``False``; returns the current value."""
        with self._maybe_conditional_scope(parent_name, parent_values):
            return self._retrieve(
                Boolean(name=self._get_name(name), default=default, conditions=self._conditions)
            )

    def Fixed(self, name, value, parent_name=None, parent_values=None):
        """A constant; returns it."""
        with self._maybe_conditional_scope(parent_name, parent_values):
            return self._retrieve(
                Fixed(name=self._get_name(name), value=value, conditions=self._conditions)
            )

    # ---- (de)serialization

    def get_config(self):
        return {
            "space": [serialize(p) for p in self._space],
            "values": dict(self.values),
        }

    @classmethod
    def from_config(cls, config):
        hps = cls()
        for p in config["space"]:
            p = deserialize(p)
            hps._hps.setdefault(p.name, []).append(p)
            hps._space.append(p)
        hps.values = dict(config["values"])
        return hps

    def copy(self):
        return HyperParameters.from_config(self.get_config())

    def merge(self, hps, overwrite=True):
        """Adds the entries of ``hps`` (a ``HyperParameters`` or a list of entries)."""
        if isinstance(hps, HyperParameters):
            hps = hps.space
        if not overwrite:
            hps = [hp for hp in hps if not self._exists(hp.name, hp.conditions)]
        for hp in hps:
            self._register(hp, overwrite)
