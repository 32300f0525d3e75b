"""``keras.DTypePolicy``: a layer's compute dtype and variable dtype (``'mixed_float16'``...)."""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src import backend
from tensorlet.keras.src.backend import global_state

_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}


@keras_export(
    "keras.DTypePolicy",
    "keras.dtype_policies.DTypePolicy",
    "keras.mixed_precision.DTypePolicy",
    "keras.mixed_precision.Policy",
)
class DTypePolicy:
    """The dtypes a layer computes in and stores its variables in.

    Args:
        name: a dtype name (``'float32'``) or ``'mixed_float16'`` / ``'mixed_bfloat16'``
            (compute in 16 bits, variables in float32). Default: ``keras.config.floatx()``.
    """

    def __init__(self, name=None):
        if name is None:
            name = backend.floatx()
        if not isinstance(name, str):
            raise TypeError(
                f"'name' must be a string, such as 'mixed_float16'. Received: "
                f"name={name} (of type {type(name)})"
            )
        self._name = name
        if name in _MIXED:
            self._compute_dtype, self._variable_dtype = _MIXED[name], "float32"
        else:
            try:
                dtype = backend.standardize_dtype(name)
            except ValueError:
                raise ValueError(
                    f"Cannot convert '{name}' to a mixed precision DTypePolicy. "
                    "Valid policies include 'mixed_float16', 'mixed_bfloat16', and "
                    "the name of any float dtype such as 'float32'."
                ) from None
            self._compute_dtype = self._variable_dtype = dtype

    name = property(lambda self: self._name)
    compute_dtype = property(lambda self: self._compute_dtype)
    variable_dtype = property(lambda self: self._variable_dtype)
    quantization_mode = property(lambda self: None)

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self._name

    def __hash__(self):
        return hash(self._name)


@keras_export("keras.FloatDTypePolicy", "keras.dtype_policies.FloatDTypePolicy")
class FloatDTypePolicy(DTypePolicy):
    """Keras 3's alias of ``DTypePolicy`` (the class name older ``.keras`` files record)."""


@keras_export(
    "keras.config.set_dtype_policy",
    "keras.mixed_precision.set_dtype_policy",
    "keras.mixed_precision.set_global_policy",
)
def set_dtype_policy(policy):
    """Sets the default dtype policy of new layers (a DTypePolicy or its name)."""
    if not isinstance(policy, DTypePolicy):
        policy = DTypePolicy(policy)
    global_state.set_global_attribute("dtype_policy", policy)


@keras_export(
    "keras.config.dtype_policy",
    "keras.mixed_precision.dtype_policy",
    "keras.mixed_precision.global_policy",
)
def dtype_policy():
    """The default dtype policy of new layers."""
    policy = global_state.get_global_attribute("dtype_policy")
    if policy is None:
        policy = DTypePolicy(backend.floatx())
        global_state.set_global_attribute("dtype_policy", policy)
    return policy
