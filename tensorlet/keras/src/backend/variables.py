"""``keras.Variable``: a named, pathed piece of state backed by a ``tf.Variable``.

As in Keras' TensorFlow backend, the value lives in a ``tf.Variable`` (``variable.value``), so
every TF op, ``tf.function`` and ``tf.GradientTape`` sees an ordinary variable. Reads of the
backing variable are also reported to gradient tapes as reads of the Keras variable, so
``tape.gradient(loss, layer.trainable_variables)`` works with Keras variables as sources.
"""

from tensorlet.framework import variables as tf_variables
from tensorlet.framework.context import notify_variable_read, state
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.backend import core
from tensorlet.keras.src.backend.dtypes import DTypeName, standardize_dtype
from tensorlet.keras.src.backend.name_scope import current_path
from tensorlet.keras.src.utils import tracking
from tensorlet.keras.src.utils.naming import auto_name

_AGGREGATIONS = (None, "none", "mean", "sum", "only_first_replica")
_SYNCHRONIZATIONS = (None, "none", "on_read", "on_write", "auto")


class _BackingVariable(tf_variables.Variable):
    """The ``tf.Variable`` under a ``keras.Variable``; calling it reads it.

    ``v.value()`` is how tensorlet's ops read anything duck-typed as a variable, and
    ``keras.Variable.value`` is this object, so the call protocol keeps both spellings working.
    """

    def value(self):
        t = tf_variables.Variable.value(self)
        if state.tapes:
            notify_variable_read(self._keras_owner, t)
        return t

    __call__ = value


@keras_export("keras.Variable")
class Variable:
    """A Keras variable: state with a ``name``, a ``path`` (``'dense/kernel'``) and a value.

    Args:
        initializer: the initial value (array-like) or a callable ``initializer(shape, dtype)``
            (an initializer object or its name, e.g. ``'zeros'``).
        shape: the shape, required when ``initializer`` is callable.
        dtype: the dtype (default: the initial value's, or ``floatx()`` for callables).
        trainable: whether optimizers update it (default True).
        autocast: whether layers may cast it to their compute dtype (default True).
        aggregation: ``'none'``, ``'mean'``, ``'sum'`` or ``'only_first_replica'``.
        synchronization: ``'none'``, ``'on_read'``, ``'on_write'`` or ``'auto'``.
        name: the name (no ``/``); defaults to an auto-generated ``'variable'``, ``'variable_1'``.

    Example:
        >>> v = keras.Variable([1.0, 2.0], name='kv')
        >>> v
        <Variable path=kv, shape=(2,), dtype=float32, value=[1. 2.]>
        >>> v.assign([3.0, 4.0]).numpy()
        array([3., 4.], dtype=float32)
    """

    _is_variable = True  # tapes, tf.Module and tensorlet ops treat it as a variable
    _is_tensor_like = True
    _is_keras_variable = True
    __array_priority__ = 100

    def __init__(
        self,
        initializer,
        shape=None,
        dtype=None,
        trainable=True,
        autocast=True,
        aggregation="none",
        synchronization="auto",
        name=None,
        **kwargs,
    ):
        name = name or auto_name(self.__class__.__name__)
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain character "
                f"`/`. Received: name={name}"
            )
        _check_choice("aggregation", aggregation, _AGGREGATIONS)
        _check_choice("synchronization", synchronization, _SYNCHRONIZATIONS)
        self._name = name
        parent = current_path()
        self._path = f"{parent}/{name}" if parent else name
        self._trainable = bool(trainable)
        self._autocast = bool(autocast)
        self._aggregation = aggregation or "none"
        self._synchronization = synchronization or "none"
        self._regularizer = None
        self._constraint = None
        self._overwrite_with_gradient = False
        if isinstance(initializer, str):
            from tensorlet.keras.src import initializers

            initializer = initializers.get(initializer)
        with core.init_scope():
            if callable(initializer):
                if shape is None:
                    raise ValueError(
                        "When creating a Variable from an initializer, the `shape` "
                        f"argument should be specified. Received: initializer="
                        f"{initializer} and shape={shape}"
                    )
                self._shape = self._validate_shape(shape)
                dtype = standardize_dtype(dtype)
                value = core.convert_to_tensor(initializer(self._shape, dtype=dtype), dtype)
            else:
                value = core.convert_to_tensor(initializer, dtype)
                dtype = value.dtype.name
                self._shape = self._validate_shape(tuple(value.shape.as_list()))
            self._dtype = DTypeName(standardize_dtype(dtype))
            backing = _BackingVariable(
                value, trainable=self._trainable, name=name, dtype=value.dtype
            )
            backing._keras_owner = self
        self._value = backing
        self._ndim = len(self._shape)
        tracking.bump()

    def _validate_shape(self, shape):
        shape = core.standardize_shape(shape)
        if None in shape:
            raise ValueError(
                "Shapes used to initialize variables must be fully-defined (no "
                f"`None` dimensions). Received: shape={shape} for variable "
                f"path='{self.path}'"
            )
        return shape

    # ---- attributes
    name = property(lambda self: self._name)
    path = property(lambda self: self._path)
    shape = property(lambda self: self._shape)
    ndim = property(lambda self: self._ndim)
    dtype = property(lambda self: self._dtype)
    aggregation = property(lambda self: self._aggregation)
    synchronization = property(lambda self: self._synchronization)
    autocast = property(lambda self: self._autocast)
    handle = property(lambda self: self._value.handle)
    device = property(lambda self: self._value.device)
    _unique_id = property(lambda self: self._value._unique_id)

    @property
    def value(self):
        """The backing ``tf.Variable`` (call it, or convert it, to read a tensor)."""
        return self._value

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        self._value._trainable = self._trainable

    @property
    def constraint(self):
        return self._constraint

    @constraint.setter
    def constraint(self, value):
        if value is not None and not callable(value):
            raise ValueError(
                "Invalid value for attribute `constraint`. Expected an instance of "
                f"`keras.constraints.Constraint`, or `None`. Received: "
                f"constraint={value}"
            )
        self._constraint = value

    @property
    def regularizer(self):
        return self._regularizer

    @regularizer.setter
    def regularizer(self, value):
        if value is not None and not callable(value):
            raise ValueError(
                "Invalid value for attribute `regularizer`. Expected an instance of "
                f"`keras.regularizers.Regularizer`, or `None`. Received: "
                f"regularizer={value}"
            )
        self._regularizer = value

    @property
    def overwrite_with_gradient(self):
        return self._overwrite_with_gradient

    @overwrite_with_gradient.setter
    def overwrite_with_gradient(self, value):
        if not isinstance(value, bool):
            raise TypeError(f"`overwrite_with_gradient` must be a boolean. Received: {value}")
        self._overwrite_with_gradient = value

    # ---- reading and writing
    def numpy(self):
        return self._value.numpy()

    def _read(self):
        return self._value.value()

    def __tf_tensor__(self, dtype=None, name=None):
        return self._value.__tf_tensor__(dtype, name)

    def __array__(self, dtype=None, copy=None):
        return self._value.__array__(dtype)

    def assign(self, value):
        """Sets the value (cast to the variable's dtype; the shape must match)."""
        value = core.convert_to_tensor(value, dtype=self._dtype)
        if not _shape_equal(value.shape.as_list(), self._shape):
            raise ValueError(
                "The shape of the target variable and the shape of the target value "
                "in `variable.assign(value)` must match. variable.shape="
                f"{self._shape}, Received: value.shape={tuple(value.shape.as_list())}."
                f" Target variable: {self}"
            )
        self._value.assign(value, read_value=False)
        return value

    def assign_add(self, value):
        self._value.assign_add(core.convert_to_tensor(value, dtype=self._dtype), read_value=False)
        return self._value._raw()

    def assign_sub(self, value):
        self._value.assign_sub(core.convert_to_tensor(value, dtype=self._dtype), read_value=False)
        return self._value._raw()

    # ---- Python protocols
    def __repr__(self):
        value = self._value.numpy()
        return (
            f"<Variable path={self._path}, shape={self._shape}, dtype={self._dtype}, value={value}>"
        )

    __str__ = __repr__
    __hash__ = object.__hash__

    def __getitem__(self, idx):
        return self._read()[idx]

    def __bool__(self):
        return bool(self._read())

    def __int__(self):
        return int(self.numpy())

    def __float__(self):
        return float(self.numpy())

    def __len__(self):
        if not self._shape:
            raise TypeError("len() of unsized object")
        return self._shape[0]


_OPERATORS = (
    "__add__",
    "__radd__",
    "__sub__",
    "__rsub__",
    "__mul__",
    "__rmul__",
    "__truediv__",
    "__rtruediv__",
    "__floordiv__",
    "__rfloordiv__",
    "__mod__",
    "__rmod__",
    "__pow__",
    "__rpow__",
    "__matmul__",
    "__rmatmul__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__eq__",
    "__ne__",
    "__and__",
    "__rand__",
    "__or__",
    "__ror__",
    "__xor__",
    "__rxor__",
    "__neg__",
    "__abs__",
    "__invert__",
)


def _delegate(op_name):
    def operator(self, *args):
        return getattr(self._value.value(), op_name)(*args)

    operator.__name__ = op_name
    return operator


for _op in _OPERATORS:
    setattr(Variable, _op, _delegate(_op))
Variable.__hash__ = object.__hash__  # __eq__ above is elementwise, as in Keras


def _check_choice(arg, value, allowed):
    if value not in allowed:
        quoted = ", ".join("`None`" if a is None else f"`'{a}'`" for a in allowed)
        raise ValueError(
            f"Invalid value for argument `{arg}`. Expected one of {quoted}. Received: {arg}={value}"
        )


def _shape_equal(a, b):
    """Equal shapes, unknown (None) dimensions matching anything (symbolic values)."""
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))


def is_variable(x):
    return getattr(x, "_is_keras_variable", False)
