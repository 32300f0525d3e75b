"""Conditions that make a hyperparameter active only for some values of another one."""


class Condition:
    """Base class: ``is_active(values)`` decides from the current values of a trial."""

    def is_active(self, values):
        raise NotImplementedError

    def __eq__(self, other):
        raise NotImplementedError

    def get_config(self):
        raise NotImplementedError

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class Parent(Condition):
    """Active when the hyperparameter ``name`` currently has one of ``values``.

    Example:
        >>> hp.Choice("model_type", ["mlp", "cnn"])
        >>> hp.Int("units", 32, 128, parent_name="model_type", parent_values=["mlp"])
    """

    def __init__(self, name, values):
        self.name = name
        values = values if isinstance(values, (list, tuple)) else [values]
        if not values:
            raise ValueError("`values` must be a non-empty list.")
        first = values[0]
        if isinstance(first, str):
            values = [str(v) for v in values]
        elif isinstance(first, bool):
            values = [bool(v) for v in values]
        elif isinstance(first, int):
            values = [int(v) for v in values]
        elif not isinstance(first, float):
            raise TypeError(
                "Can contain only one type of value, found values: "
                f"{values} with types { {type(v) for v in values} }."
            )
        self.values = list(values)

    def is_active(self, values):
        return self.name in values and values[self.name] in self.values

    def __eq__(self, other):
        return isinstance(other, Parent) and other.name == self.name and other.values == self.values

    def __repr__(self):
        return f"Parent(name={self.name!r}, values={self.values!r})"

    def get_config(self):
        return {"name": self.name, "values": self.values}


_CLASSES = {"Parent": Parent}


def serialize(condition):
    return {"class_name": condition.__class__.__name__, "config": condition.get_config()}


def deserialize(config):
    if isinstance(config, Condition):
        return config
    return _CLASSES[config["class_name"]].from_config(dict(config["config"]))
