"""``tf.Variable``: a named, mutable buffer whose reads are tensors.

The value is a backend array that is *replaced* on every update (the update ops in
``ops/state_ops.py`` return new arrays), never written in place, so a tensor read earlier keeps
its value. Each read (``value()``, conversion, operators) makes a fresh ``EagerTensor`` and tells
the active gradient tapes (``context.notify_variable_read``), which is how ``tape.gradient(y, v)``
finds the variable. Operators delegate to the value tensor's operators, as TF's
``_OverloadAllOperators`` does; ``v[...]`` returns a tensor whose ``assign`` writes the slice.

Tracing hooks: while a ``tf.function`` graph is active (``state.graph``), reads call
``state.graph.read_variable(var)`` and updates ``state.graph.write_variable(var, new_value)``.
"""
import enum
import itertools
import weakref

from tensorlet.backend import xp
from tensorlet.framework import dtypes, tensor_format
from tensorlet.framework.context import CPU_DEVICE, notify_variable_read, state
from tensorlet.framework.export import tf_export
from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.framework.module import current_name_scope
from tensorlet.framework.tensor import EagerTensor, Reference
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import as_shape
from tensorlet.ops import state_ops
from tensorlet.ops.op_def import apply

_new = object.__new__
_uid = itertools.count(1)


@tf_export("VariableSynchronization")
class VariableSynchronization(enum.Enum):
    """When a distributed variable is aggregated (``AUTO``, ``NONE``, ``ON_WRITE``, ``ON_READ``)."""

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


@tf_export("VariableAggregation")
class VariableAggregation(enum.Enum):
    """How a distributed variable is aggregated (``NONE``, ``SUM``, ``MEAN``, ``ONLY_FIRST_REPLICA``)."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3

    def __hash__(self):
        return hash(self.value)

    def __eq__(self, other):
        return self is other or (isinstance(other, VariableAggregation)
                                 and int(self.value) == int(other.value))


def validate_synchronization_aggregation_trainable(synchronization, aggregation, trainable, name):
    """TF's defaults: trainable unless synchronized ON_READ; invalid modes raise ValueError."""
    if aggregation is None:
        aggregation = VariableAggregation.NONE
    elif not isinstance(aggregation, VariableAggregation):
        try:
            aggregation = VariableAggregation(aggregation)
        except ValueError:
            raise ValueError(f"Invalid variable aggregation mode: {aggregation} for variable: "
                             f"{name}") from None
    if synchronization is None:
        synchronization = VariableSynchronization.AUTO
    else:
        try:
            synchronization = VariableSynchronization(synchronization)
        except ValueError:
            raise ValueError(f"Invalid variable synchronization mode: {synchronization} for "
                             f"variable: {name}") from None
    if trainable is None:
        trainable = synchronization != VariableSynchronization.ON_READ
    return synchronization, aggregation, trainable


def _handle_name(name):
    """The variable's name without ':0', under the current name scope (never uniquified)."""
    name = "Variable" if name is None else name
    if name and name[-1] == "/":  # a trailing slash means an absolute name
        return name[:-1]
    return current_name_scope() + name


@tf_export("Variable")
class Variable:
    """A variable: state that persists across calls, read as tensors, updated by ``assign*``.

    Example:
        >>> v = tf.Variable([1.0, 2.0])
        >>> v.assign_add([1.0, 1.0])
        <tf.Variable 'UnreadVariable' shape=(2,) dtype=float32, numpy=array([2., 3.], dtype=float32)>
        >>> (v * 2).numpy()
        array([4., 6.], dtype=float32)
    """

    _is_variable = True      # duck-typed by GradientTape, tf.Module, tf.nest
    _is_tensor_like = True   # tf.is_tensor(v) is True
    __array_priority__ = 100

    def __new__(cls, *args, **kwargs):
        # tf.Variable(...) makes a ResourceVariable, as TF's metaclass does.
        return _new(ResourceVariable if cls is Variable else cls)

    def __init__(self, initial_value=None, trainable=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 import_scope=None, constraint=None,
                 synchronization=VariableSynchronization.AUTO,
                 aggregation=VariableAggregation.NONE, shape=None,
                 experimental_enable_variable_lifting=True):
        if variable_def is not None:
            raise ValueError("Creating a `tf.Variable` with a `variable_def` arg is not supported "
                             f"when eager execution is enabled. Got: variable_def={variable_def}")
        synchronization, aggregation, trainable = validate_synchronization_aggregation_trainable(
            synchronization, aggregation, trainable, name)
        if initial_value is None:
            raise ValueError("The `initial_value` arg to `tf.Variable` must be specified except "
                             "when you are not providing a `variable_def`. You provided neither.")
        if constraint is not None and not callable(constraint):
            raise ValueError("Argument `constraint` must be None or a callable. a callable. "
                             f"Got a {type(constraint)}:  {constraint}")
        handle_name = _handle_name(name)
        value, vdtype = _initial_array(initial_value, dtype)
        vshape = value.shape
        if shape is not None:
            shape = as_shape(shape)
            if not shape.is_compatible_with(as_shape(vshape)):
                raise ValueError(f"In this `tf.Variable` creation, the initial value's shape "
                                 f"({as_shape(vshape)}) is not compatible with the explicitly "
                                 f"supplied `shape` argument ({shape}).")
        self._value = value
        self._dtype = vdtype
        self._shape = as_shape(vshape) if shape is None else shape
        self._trainable = trainable
        self._synchronization = synchronization
        self._aggregation = aggregation
        self._constraint = constraint
        self._handle_name = handle_name + ":0"
        self._unique_id = f"{handle_name}_{next(_uid)}"
        self._validate_shape = validate_shape
        self._caching_device = caching_device
        self._handle = None

    # ---- reading
    def value(self):
        """The current value as a tensor (recorded by active gradient tapes)."""
        if state.graph is not None:
            return state.graph.read_variable(self)
        t = _new(EagerTensor)
        t._value = self._value
        t._dtype = self._dtype
        if state.tapes:
            notify_variable_read(self, t)
        return t

    def read_value(self):
        """Reads the current value (a new tensor each call)."""
        return self.value()

    def read_value_no_copy(self):
        return self.value()

    def numpy(self):
        """A copy of the value as a NumPy array (a NumPy scalar for rank 0)."""
        v = self._value
        return v[()] if v.ndim == 0 else v.copy()

    def _raw(self):
        """The value as a tensor, invisible to tapes: the 'resource' input of update ops."""
        if state.graph is not None:
            return state.graph.read_variable(self)
        t = _new(EagerTensor)
        t._value = self._value
        t._dtype = self._dtype
        return t

    def __tf_tensor__(self, dtype=None, name=None):
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(self._dtype):
            raise ValueError(f"Incompatible type conversion requested to type "
                             f"{dtypes.as_dtype(dtype).name} for `tf.Variable of type "
                             f"{self._dtype.name}. (Variable: {self})")
        return self.value()

    def sparse_read(self, indices, name=None):
        """Gathers rows ``indices`` of the value (``tf.gather``)."""
        from tensorlet.ops import gather_ops
        return gather_ops.gather(self.value(), indices, name=name)

    def gather_nd(self, indices, name=None):
        """Reads the value sparsely with ``tf.gather_nd``."""
        from tensorlet.ops import gather_ops
        return gather_ops.gather_nd(self.value(), indices, name=name)

    # ---- updating
    def _write(self, new):
        if state.graph is not None:
            state.graph.write_variable(self, new)
        else:
            self._value = new._value

    def _lazy_read(self, read_value=True):
        return _UnreadVariable(self) if read_value else None

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Sets the variable to ``value`` (same dtype; compatible shape)."""
        t = _update_operand(value, self._dtype)
        if not self._shape.is_compatible_with(t.shape):
            raise ValueError(f"Cannot assign value to variable ' {self.name}': Shape mismatch."
                             f"The variable shape {self._shape}, and the assigned value shape "
                             f"{t.shape} are incompatible.")
        self._write(apply(state_ops.assign_variable_op, self._raw(), t, name=name))
        return self._lazy_read(read_value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """Adds ``delta`` (same shape) to the variable."""
        t = convert_to_tensor(delta, dtype=self._dtype)
        self._write(apply(state_ops.assign_add_variable_op, self._raw(), t, name=name))
        return self._lazy_read(read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """Subtracts ``delta`` (same shape) from the variable."""
        t = convert_to_tensor(delta, dtype=self._dtype)
        self._write(apply(state_ops.assign_sub_variable_op, self._raw(), t, name=name))
        return self._lazy_read(read_value)

    def _strided_slice_assign(self, slice_spec, value, name=None):
        """``v[slice_spec] = value`` (TF's ResourceStridedSliceAssign; value broadcasts)."""
        attrs = state_ops.strided_slice_attrs(slice_spec)
        t = _update_operand(value, self._dtype)
        self._write(apply(state_ops.resource_strided_slice_assign_op, self._raw(), t, name=name,
                          **attrs))
        return self._lazy_read()

    def _scatter(self, op_name, indices, updates, name):
        u = convert_to_tensor(updates, dtype=self._dtype)
        self._write(apply(state_ops.SCATTER_OPS[op_name], self._raw(), indices, u, name=name))
        return self._lazy_read()

    def scatter_nd_update(self, indices, updates, name=None):
        """Sets the elements/slices at ``indices`` (shape ``[..., K]``) to ``updates``."""
        return self._scatter("ResourceScatterNdUpdate", indices, updates, name)

    def scatter_nd_add(self, indices, updates, name=None):
        return self._scatter("ResourceScatterNdAdd", indices, updates, name)

    def scatter_nd_sub(self, indices, updates, name=None):
        return self._scatter("ResourceScatterNdSub", indices, updates, name)

    def scatter_nd_max(self, indices, updates, name=None):
        return self._scatter("ResourceScatterNdMax", indices, updates, name)

    def scatter_nd_min(self, indices, updates, name=None):
        return self._scatter("ResourceScatterNdMin", indices, updates, name)

    def _scatter_slices(self, op_name, sparse_delta, name):
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError("Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: "
                            f"{sparse_delta}")
        return self._scatter(op_name, sparse_delta.indices, sparse_delta.values, name)

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        """Sets rows ``sparse_delta.indices`` to ``sparse_delta.values`` (a ``tf.IndexedSlices``)."""
        return self._scatter_slices("ResourceScatterUpdate", sparse_delta, name)

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        return self._scatter_slices("ResourceScatterAdd", sparse_delta, name)

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        return self._scatter_slices("ResourceScatterSub", sparse_delta, name)

    def scatter_mul(self, sparse_delta, use_locking=False, name=None):
        return self._scatter_slices("ResourceScatterMul", sparse_delta, name)

    def scatter_div(self, sparse_delta, use_locking=False, name=None):
        return self._scatter_slices("ResourceScatterDiv", sparse_delta, name)

    def scatter_max(self, sparse_delta, use_locking=False, name=None):
        return self._scatter_slices("ResourceScatterMax", sparse_delta, name)

    def scatter_min(self, sparse_delta, use_locking=False, name=None):
        return self._scatter_slices("ResourceScatterMin", sparse_delta, name)

    def load(self, value, session=None):
        """Deprecated TF1 API: in eager mode, ``assign(value)``."""
        self.assign(value)

    # ---- properties
    @property
    def name(self):
        return self._handle_name

    @property
    def _shared_name(self):
        return self.name[:self.name.index(":")]

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        return self._shape

    def set_shape(self, shape):
        self._shape = self._shape.merge_with(shape)

    @property
    def trainable(self):
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def synchronization(self):
        return self._synchronization

    @property
    def aggregation(self):
        return self._aggregation

    @property
    def device(self):
        return CPU_DEVICE

    @property
    def handle(self):
        """A scalar ``resource`` tensor standing for the variable (TF's resource handle)."""
        if self._handle is None:
            cell = xp.empty((), dtype=object)
            cell[()] = weakref.ref(self)
            self._handle = EagerTensor(cell, dtypes.resource)
        return self._handle

    @property
    def op(self):
        raise AttributeError("Tensor.op is undefined when eager execution is enabled.")

    @property
    def graph(self):
        raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")

    @property
    def initializer(self):
        return None  # eager variables are initialized at creation

    @property
    def initial_value(self):
        raise RuntimeError("This property is not supported when eager execution is enabled.")

    def is_initialized(self, name=None):
        return convert_to_tensor(True)

    def eval(self, session=None):
        raise RuntimeError("This operation is not supported when eager execution is enabled.")

    def to_proto(self, export_scope=None):
        raise RuntimeError("This operation is not supported when eager execution is enabled.")

    @staticmethod
    def from_proto(variable_def, import_scope=None):
        raise RuntimeError("This operation is not supported when eager execution is enabled.")

    def ref(self):
        """A hashable reference to this variable (``v.ref().deref() is v``)."""
        return Reference(self)

    experimental_ref = ref

    # ---- Python protocols
    def __repr__(self):
        if state.graph is not None:
            return f"<tf.Variable '{self.name}' shape={self._shape} dtype={self._dtype.name}>"
        dims = self._shape.as_list() if self._shape.rank is not None else None
        if dims is None:  # unknown rank: TF prints the static shape, '<unknown>'
            return (f"<tf.Variable '{self.name}' shape=<unknown> dtype={self._dtype.name}, numpy="
                    f"{tensor_format.numpy_text(self._value, self._dtype.name, True)}>")
        return tensor_format.variable_repr(self.name, self._value, self._dtype.name, dims)

    def __hash__(self):
        raise TypeError("Variable is unhashable. Instead, use variable.ref() as the key. "
                        f"(Variable: {self})")

    def __eq__(self, other):
        return self.value() == other

    def __ne__(self, other):
        return self.value() != other

    def __getitem__(self, slice_spec):
        """``v[...]``: a tensor of the slice whose ``assign(value)`` writes it into ``v``."""
        t = self.value()[slice_spec]
        if type(t) is EagerTensor and not _is_bool_mask(slice_spec):
            _bind_slice(t, self, slice_spec)
        return t

    def __iter__(self):
        return iter(self.read_value())

    def __bool__(self):
        return bool(self.read_value())

    def __int__(self):
        return int(self.value().numpy())

    def __float__(self):
        return float(self.value().numpy())

    def __complex__(self):
        return complex(self.value().numpy())

    def __array__(self, dtype=None, copy=None):
        return xp.asarray(self.numpy(), dtype=dtype)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        copied = Variable(self.read_value(), trainable=self._trainable,
                          constraint=self._constraint, dtype=self._dtype, name=self._shared_name,
                          synchronization=self._synchronization, aggregation=self._aggregation)
        memo[id(self)] = copied
        return copied

    def __reduce__(self):
        return _rebuild_variable, (self.numpy(), self._trainable, self._shared_name,
                                   self._dtype, self._constraint)

    def __iadd__(self, other):
        raise RuntimeError("`variable += value` with `tf.Variable`s is not supported. Use "
                           "`variable.assign_add(value)` to modify the variable, or `out = "
                           "variable + value` if you need to get a new output Tensor.")

    def __isub__(self, other):
        raise RuntimeError("`variable -= value` with `tf.Variable`s is not supported. Use "
                           "`variable.assign_sub(value)` to modify the variable, or `out = "
                           "variable * value` if you need to get a new output Tensor.")

    def __imul__(self, other):
        raise RuntimeError("`var *= value` with `tf.Variable`s is not supported. Use "
                           "`var.assign(var * value)` to modify the variable, or `out = var * "
                           "value` if you need to get a new output Tensor.")

    def __itruediv__(self, other):
        raise RuntimeError("`var /= value` with `tf.Variable`s is not supported. Use "
                           "`var.assign(var / value)` to modify the variable, or `out = var / "
                           "value` if you need to get a new output Tensor.")

    def __ipow__(self, other):
        raise RuntimeError("`var **= value` with `tf.Variable`s is not supported. Use "
                           "`var.assign(var ** value)` to modify the variable, or `out = var ** "
                           "value` if you need to get a new output Tensor.")


# TF's Tensor.OVERLOADABLE_OPERATORS minus __eq__/__ne__/__getitem__ (defined above): each
# runs the tensor operator on the current value, looked up at call time.
_DELEGATED_OPERATORS = (
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
    "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__",
    "__matmul__", "__rmatmul__", "__lt__", "__le__", "__gt__", "__ge__", "__and__", "__rand__",
    "__or__", "__ror__", "__xor__", "__rxor__", "__neg__", "__abs__", "__invert__",
)


def _delegate(op_name):
    def operator(self, *args):
        return getattr(self.value(), op_name)(*args)

    operator.__name__ = op_name
    return operator


for _op_name in _DELEGATED_OPERATORS:
    setattr(Variable, _op_name, _delegate(_op_name))


class ResourceVariable(Variable):
    """The concrete class of ``tf.Variable(...)`` (TF's ``ResourceVariable``)."""


class _UnreadVariable(Variable):
    """What ``assign*`` return: a view of the updated variable, named 'UnreadVariable'.

    Reads see the variable's current value and updates go to the variable (TF's
    ``_UnreadVariable`` shares the handle).
    """

    def __init__(self, parent):
        self._parent = parent
        self._dtype = parent._dtype
        self._shape = parent._shape
        self._trainable = parent._synchronization != VariableSynchronization.ON_READ
        self._synchronization = parent._synchronization
        self._aggregation = parent._aggregation
        self._constraint = None
        self._handle_name = parent._handle_name
        self._unique_id = parent._unique_id
        self._validate_shape = parent._validate_shape
        self._caching_device = None
        self._handle = None

    _value = property(lambda self: self._parent._value,
                      lambda self, v: setattr(self._parent, "_value", v))
    name = property(lambda self: "UnreadVariable")

    def value(self):
        return self._parent.value()

    def read_value(self):
        return self._parent.value()


def _rebuild_variable(value, trainable, name, dtype, constraint):
    return Variable(value, trainable=trainable, name=name, dtype=dtype, constraint=constraint)


def _initial_array(initial_value, dtype):
    """Calls / converts ``initial_value`` with tapes paused (TF's init_scope); returns (array, dtype)."""
    tapes = state.tapes
    if tapes:
        state.tapes = []
    try:
        if callable(initial_value):
            initial_value = initial_value()
        t = convert_to_tensor(initial_value, dtype=dtype)
    finally:
        if tapes:
            state.tapes = tapes
    value = t._value if type(t) is EagerTensor else t._lifted_value()
    if isinstance(initial_value, xp.ndarray):  # never alias the caller's (mutable) array
        value = value.copy()
    return value, t._dtype


def _update_operand(value, dtype):
    t = convert_to_tensor(value, dtype=dtype)
    if isinstance(value, xp.ndarray) and t._value is value:
        t = EagerTensor(value.copy(), t._dtype)
    return t


# ---------------------------------------------------------------- sliced reads with .assign

class _VariableSliceTensor(EagerTensor):
    """``v[...]``: an EagerTensor that remembers its variable and slice (TF sets ``.assign``)."""

    __slots__ = ()

    def assign(self, val, name=None):
        """Writes ``val`` into the variable slice this tensor was read from."""
        _, var, spec = _SLICES[id(self)]
        return var._strided_slice_assign(spec, val, name=name)


_SLICES = {}  # id(tensor) -> (weakref to it, variable, slice spec); dropped with the tensor


def _bind_slice(t, var, spec):
    t.__class__ = _VariableSliceTensor  # same layout; keeps the identity the tape recorded
    key = id(t)
    _SLICES[key] = (weakref.ref(t, lambda _, key=key: _SLICES.pop(key, None)), var, spec)


def _is_bool_mask(spec):
    if isinstance(spec, bool):
        return True
    d = getattr(spec, "dtype", None)
    return d is not None and (d == dtypes.bool or d == xp.bool_)


__all__ = ["Variable", "VariableAggregation", "VariableSynchronization"]
