"""``HyperModel``: builds (and optionally fits) a model from hyperparameters."""

from tensorlet.tuner import errors


class HyperModel:
    """Defines a search space by building a model: subclass it and implement ``build(hp)``.

    Args:
        name: an optional name.
        tunable: whether the hyperparameters ``build`` declares are tuned (with
            ``tunable=False`` it builds on a copy of ``hp``, so its entries stay out of the
            search space and keep their defaults).

    Example:
        >>> class MyHyperModel(HyperModel):
        ...     def build(self, hp):
        ...         model = keras.Sequential([keras.layers.Dense(hp.Int("units", 8, 64, 8))])
        ...         model.compile(loss="mse")
        ...         return model
        ...     def fit(self, hp, model, *args, **kwargs):
        ...         return model.fit(*args, batch_size=hp.Choice("batch_size", [16, 32]), **kwargs)
    """

    def __init__(self, name=None, tunable=True):
        self.name = name
        self.tunable = tunable
        self._build = self.build
        self.build = self._build_wrapper

    def build(self, hp):
        """Builds and compiles a model for the values in ``hp``."""
        raise NotImplementedError

    def _build_wrapper(self, hp, *args, **kwargs):
        if not self.tunable:
            hp = hp.copy()
        return self._build(hp, *args, **kwargs)

    def declare_hyperparameters(self, hp):
        """Registers entries in ``hp`` ahead of the first build (optional)."""

    def fit(self, hp, model, *args, **kwargs):
        """Trains ``model``; returns a ``History``, a dict of metrics or a float to minimize.

        The default calls ``model.fit(*args, **kwargs)`` with the arguments of
        ``Tuner.search``. Override it to tune the training (batch size, preprocessing ...).
        """
        return model.fit(*args, **kwargs)


class DefaultHyperModel(HyperModel):
    """Wraps a ``build(hp)`` function."""

    def __init__(self, build, name=None, tunable=True):
        super().__init__(name=name, tunable=tunable)
        self.build = build


def get_hypermodel(hypermodel):
    """A ``HyperModel`` from a ``HyperModel`` or a callable ``build(hp)`` (``None`` stays)."""
    if hypermodel is None:
        return None
    if isinstance(hypermodel, HyperModel):
        return hypermodel
    if not callable(hypermodel):
        raise errors.FatalValueError(
            "The `hypermodel` argument should be either a callable with signature `build(hp)` "
            f"returning a model, or an instance of `HyperModel`. Received: {hypermodel}"
        )
    return DefaultHyperModel(hypermodel)
