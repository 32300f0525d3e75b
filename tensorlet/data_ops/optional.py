"""``tf.experimental.Optional``: a value that may be absent (``Iterator.get_next_as_optional``)."""

from tensorlet.backend import xp
from tensorlet.data_ops import structure
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor


@tf_export("experimental.Optional", "data.experimental.Optional")
class Optional:
    """Either a value (a nested structure of tensors) or nothing.

    Example:
      >>> opt = tf.experimental.Optional.from_value(42)
      >>> bool(opt.has_value().numpy()), int(opt.get_value().numpy())
      (True, 42)
    """

    __slots__ = ("_spec", "_value")

    def __init__(self, value, spec):
        self._value = value
        self._spec = spec

    @staticmethod
    def from_value(value):
        """An Optional holding ``value``."""
        value = structure.normalize_element(value)
        return Optional(value, structure.spec_of(value))

    @staticmethod
    def empty(element_spec):
        """An Optional without a value, for elements of ``element_spec``."""
        return Optional(None, element_spec)

    def has_value(self, name=None):
        return EagerTensor(xp.array(self._value is not None or self._spec_is_none()), dtypes.bool)

    def _spec_is_none(self):
        return False

    def get_value(self, name=None):
        if self._value is None:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "OptionalGetValue",
                "The optional does not have a value",
            )
        return self._value

    @property
    def element_spec(self):
        return self._spec

    def __repr__(self):
        return f"<tensorflow.python.data.ops.optional_ops._OptionalImpl object at {id(self):#x}>"
