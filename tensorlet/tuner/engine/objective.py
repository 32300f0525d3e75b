"""The quantity a search optimizes: a metric name and a direction (``'min'`` or ``'max'``)."""

from tensorlet.tuner.engine import metrics_tracking


class Objective:
    """A metric to minimize or maximize.

    Args:
        name: the metric's name in the training logs (``'val_loss'``, ``'val_accuracy'``).
        direction: ``'min'`` or ``'max'``.
    """

    def __init__(self, name, direction):
        self.name = name
        self.direction = direction

    def has_value(self, logs):
        """Whether ``logs`` (a dict of metric values) holds this objective."""
        return self.name in logs

    def get_value(self, logs):
        """This objective's value in ``logs`` (``KeyError`` if missing)."""
        return logs[self.name]

    def better_than(self, a, b):
        """Whether value ``a`` is strictly better than ``b``."""
        return (a > b and self.direction == "max") or (a < b and self.direction == "min")

    def __eq__(self, obj):
        if not isinstance(obj, Objective):
            return False
        return obj.name == self.name and obj.direction == self.direction

    def __hash__(self):
        return hash((self.name, self.direction))

    def __str__(self):
        return f'Objective(name="{self.name}", direction="{self.direction}")'

    __repr__ = __str__


class DefaultObjective(Objective):
    """The objective when none is given: ``run_trial`` / ``fit`` returns a float to minimize."""

    def __init__(self):
        super().__init__(name="default_objective", direction="min")


class MultiObjective(Objective):
    """A sum of objectives: minimized ones count positively, maximized ones negatively."""

    def __init__(self, objectives):
        super().__init__(name="multi_objective", direction="min")
        self.objectives = objectives
        self.name_to_direction = {o.name: o.direction for o in objectives}

    def has_value(self, logs):
        return all(name in logs for name in self.name_to_direction)

    def get_value(self, logs):
        total = 0
        for name, value in logs.items():
            direction = self.name_to_direction.get(name)
            if direction == "min":
                total += value
            elif direction == "max":
                total -= value
        return total

    def __eq__(self, obj):
        if not isinstance(obj, MultiObjective):
            return False
        return self.name_to_direction == obj.name_to_direction

    __hash__ = Objective.__hash__

    def __str__(self):
        return (
            "Multi" + super().__str__() + ": [" + ", ".join(str(o) for o in self.objectives) + "]"
        )

    __repr__ = __str__


def create_objective(objective):
    """An ``Objective`` from ``None``, a metric name, an ``Objective`` or a list of them."""
    if objective is None:
        return DefaultObjective()
    if isinstance(objective, list):
        return MultiObjective([create_objective(o) for o in objective])
    if isinstance(objective, Objective):
        return objective
    if not isinstance(objective, str):
        raise TypeError(
            f"`objective` not understood, expected str or `Objective` object, found: {objective}"
        )
    direction = metrics_tracking.infer_metric_direction(objective)
    if direction is None:
        raise ValueError(
            'Could not infer optimization direction ("min" or "max") for unknown metric '
            f'"{objective}". Please specify the objective  asa `keras_tuner.Objective`, for '
            f'example `keras_tuner.Objective("{objective}", direction="min")`.'
        )
    return Objective(name=objective, direction=direction)
