"""``keras.initializers.Initializer``: the base class, ``initializer(shape, dtype) -> tensor``."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.utils.naming import keras_object_repr


@keras_export("keras.initializers.Initializer", "keras.Initializer")
class Initializer:
    """Initializer base class: subclasses implement ``__call__(shape, dtype=None)``.

    Example:
        >>> class ExampleRandomNormal(keras.initializers.Initializer):
        ...     def __call__(self, shape, dtype=None):
        ...         return keras.random.normal(shape, seed=1, dtype=dtype)
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError("Initializer subclasses must implement the `__call__()` method.")

    def get_config(self):
        """The constructor arguments of this initializer, as a dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        return self.__class__.from_config(self.get_config())

    def __repr__(self):
        return keras_object_repr(self)
