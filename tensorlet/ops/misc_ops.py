"""Small top-level pieces of TF's API: ``tf.timestamp``, ``tf.guarantee_const``,
``tf.make_tensor_proto``, ``tf.TypeSpec``, ``tf.OptionalSpec``, ``tf.recompute_grad`` and
``tf.nondifferentiable_batch_function``.

``tf.TypeSpec`` is TF's abstract base of type specifications. tensorlet's concrete specs
(``TensorSpec``, ``RaggedTensorSpec``, ...) are defined in lower layers without it, so they count
as its (virtual) subclasses: ``isinstance(tf.TensorSpec([]), tf.TypeSpec)`` holds as in TF.
"""

import abc
import functools
import numbers
import time

from tensorlet.backend import xp
from tensorlet.framework import dtypes, nest
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.framework.tensor_spec import TensorSpec
from tensorlet.ops import shape_rules
from tensorlet.ops.op_def import apply, defop

D = dtypes

# ---------------------------------------------------------------- tf.timestamp


def _timestamp():
    # TF's kernel: EnvTime::NowMicros() / 1e6 (microsecond resolution)
    return xp.float64(time.time_ns() // 1000 / 1.0e6)


timestamp_op = defop(
    "Timestamp",
    _timestamp,
    dtype_rule=shape_rules.fixed(D.float64),
    shape_rule=shape_rules.scalar,
    stateful=True,
)


@tf_export("timestamp")
def timestamp(name=None):
    """The current time in seconds since the Unix epoch (float64), when the op runs.

    Inside a ``tf.function`` the op runs (and reads the clock) on every call.

    Example:
        >>> t = tf.timestamp()
        >>> t.dtype, t.shape
        (tf.float64, TensorShape([]))
    """
    return apply(timestamp_op, name=name)


# ---------------------------------------------------------------- tf.guarantee_const


def _identity(x):
    return x


guarantee_const_op = defop(
    "GuaranteeConst",
    _identity,
    dtype_rule=lambda op, ins, attrs: (ins[0].dtype,),
    shape_rule=shape_rules.unchanged,
)


@tf_export("guarantee_const")
def guarantee_const(input, name=None):
    """Promises the runtime that ``input`` is constant for the graph's lifetime (identity).

    Deprecated in TF (not needed in TF 2). TF registers no gradient for ``GuaranteeConst``;
    tensorlet gives none (``None``).

    Example:
        >>> tf.guarantee_const(tf.constant([1, 2]))
        <tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 2], dtype=int32)>
    """
    return apply(guarantee_const_op, input, name=name)


# ---------------------------------------------------------------- tf.make_tensor_proto

_CONTENT_TYPES = frozenset(
    [
        D.float16,
        D.float32,
        D.float64,
        D.int32,
        D.uint8,
        D.int16,
        D.int8,
        D.int64,
        D.uint32,
        D.uint64,
        D.bfloat16,
    ]
)
_INT_VAL = frozenset([D.int32, D.int16, D.int8, D.uint8, D.uint16])
_VAL_FIELDS = {
    D.float32: "float_val",
    D.float64: "double_val",
    D.int64: "int64_val",
    D.uint32: "uint32_val",
    D.uint64: "uint64_val",
    D.bool: "bool_val",
}
_CHECKS = (  # (dtype predicate, Python types accepted) for _AssertCompatible
    (lambda d: d.is_bool, (bool,)),
    (lambda d: d.is_complex, (numbers.Complex,)),
    (lambda d: d.is_floating, (numbers.Real,)),
    (lambda d: d.is_integer, (numbers.Integral,)),
    (lambda d: d is D.string, (bytes, str)),
)


def _dense_dims(values):
    if not isinstance(values, (list, tuple)):
        return []
    if not values:
        return [0]
    return [len(values)] + _dense_dims(values[0])


def _assert_compatible(values, dtype):
    """TF's ``_AssertCompatible``: Python leaves must suit ``dtype`` (TypeError otherwise)."""
    leaves = nest.flatten(values)
    if dtype is None:
        if any(isinstance(v, Tensor) for v in leaves):
            raise TypeError("Expected any non-tensor type, but got a tensor instead.")
        return
    ok = next((types for pred, types in _CHECKS if pred(dtype)), None)
    if ok is None:
        return
    for v in leaves:
        if isinstance(v, xp.ndarray) and issubclass(v.dtype.type, ok):
            continue
        if not isinstance(v, ok):
            raise TypeError(f"Expected {dtype.name}, but got {v} of type '{type(v).__name__}'.")


def _flatten_strings(values):
    if isinstance(values, (list, tuple)):
        for v in values:
            yield from _flatten_strings(v)
    else:
        yield values


def _as_bytes(x):
    if isinstance(x, bytes):
        return x
    if isinstance(x, str):
        return x.encode("utf-8")
    raise TypeError(f"Expected binary or unicode string, got {x!r}")


def _to_nparray(values, dtype, shape):
    if hasattr(values, "__array__") and not isinstance(values, (list, tuple)):
        values = xp.asarray(values)
    if isinstance(values, (xp.ndarray, xp.generic)):
        return (
            values.astype(dtype.as_numpy_dtype)
            if dtype is not None and dtype not in (D.resource, D.variant)
            else values
        )
    if values is None:
        raise ValueError("None values not supported.")
    np_dt = dtype.as_numpy_dtype if dtype is not None else None
    if shape is not None and int(xp.prod(shape, dtype=xp.int64)) == 0:
        nparray = xp.empty(shape, dtype=np_dt)
    else:
        _assert_compatible(values, dtype)
        nparray = xp.array(values, dtype=np_dt)
        if list(nparray.shape) != _dense_dims(values):
            raise ValueError(
                f"Expected values {values} to be a dense tensor with shape "
                f"{_dense_dims(values)}, but got shape {list(nparray.shape)}."
            )
    if dtype is None and nparray.dtype == xp.float64:
        nparray = nparray.astype(xp.float32)
    elif dtype is None and nparray.dtype == xp.int64:
        down = nparray.astype(xp.int32)
        if xp.array_equal(down, nparray):
            nparray = down
    return nparray


def _append_values(proto, dtype, flat):
    if dtype is D.string:
        proto.string_val.extend(_as_bytes(x) for x in flat)
    elif dtype in (D.float16, D.bfloat16):
        proto.half_val.extend(int(v) for v in flat.view(xp.uint16))
    elif dtype in _INT_VAL:
        proto.int_val.extend(int(v) for v in flat)
    elif dtype in (D.complex64, D.complex128):
        parts = xp.stack([flat.real, flat.imag], axis=-1).reshape(-1)
        field = proto.scomplex_val if dtype is D.complex64 else proto.dcomplex_val
        field.extend(float(v) for v in parts)
    elif dtype in _VAL_FIELDS:
        kind = bool if dtype is D.bool else float if dtype.is_floating else int
        getattr(proto, _VAL_FIELDS[dtype]).extend(kind(v) for v in flat)
    else:
        raise TypeError(f"Element type not supported in TensorProto: {dtype.name}.")


@tf_export("make_tensor_proto")
def make_tensor_proto(values, dtype=None, shape=None, verify_shape=False, allow_broadcast=False):
    """A ``TensorProto`` holding ``values`` (a Python scalar or list, a NumPy array or a tensor).

    Without ``dtype``, Python floats become float32 and Python ints int32 when they fit. With
    ``shape``, the values may be fewer than the shape's elements (``tf.make_ndarray`` repeats the
    last one); ``verify_shape`` requires the exact shape and ``allow_broadcast`` a scalar or a
    size-1 vector. Big numeric tensors store raw ``tensor_content``; others the ``*_val`` fields.

    Example:
        >>> proto = tf.make_tensor_proto([1.0, 2.0])
        >>> tf.make_ndarray(proto)
        array([1., 2.], dtype=float32)
    """
    from tensorlet.summary_ops.event_pb import TensorProto

    if allow_broadcast and verify_shape:
        raise ValueError("allow_broadcast and verify_shape are not both allowed.")
    if isinstance(values, TensorProto):
        return values
    if dtype:
        dtype = D.as_dtype(dtype)
    nparray = _to_nparray(values, dtype, shape)
    np_dtype = D.string if nparray.dtype.char in "OSU" else D.as_dtype(nparray.dtype)
    if dtype is not None and dtype.base_dtype != np_dtype.base_dtype:
        raise TypeError(
            f"`dtype` {dtype} is not compatible with {values} of dtype {nparray.dtype}."
        )
    if shape is None:
        shape, is_same_size, shape_size = nparray.shape, True, nparray.size
    else:
        shape = [int(dim) for dim in shape]
        shape_size = int(xp.prod(shape, dtype=xp.int64))
        is_same_size = shape_size == nparray.size
        if allow_broadcast:
            if nparray.shape not in ((1,), ()) and nparray.size != shape_size:
                raise TypeError(
                    f"Expected Tensor's shape: {tuple(shape)}, but got {nparray.shape}."
                )
        else:
            if verify_shape and nparray.shape != tuple(shape):
                raise TypeError(
                    f"Expected Tensor's shape: {tuple(shape)}, but got {nparray.shape}."
                )
            if nparray.size > shape_size:
                raise ValueError(
                    f"Too many elements provided. Takes at most {shape_size:d}, but "
                    f"got {nparray.size:d}."
                )
    proto = TensorProto(dtype=np_dtype.as_datatype_enum)
    proto.tensor_shape.SetInParent()  # TF always sets tensor_shape (empty for a scalar)
    for d in shape:
        proto.tensor_shape.dim.add(size=int(d))
    if is_same_size and np_dtype in _CONTENT_TYPES and shape_size > 1:
        if nparray.size * nparray.itemsize >= (1 << 31):
            raise ValueError("Cannot create a tensor proto whose content is larger than 2GB.")
        proto.tensor_content = nparray.astype(nparray.dtype.newbyteorder("<")).tobytes()
        return proto
    if np_dtype is D.string and not isinstance(values, xp.ndarray):
        try:
            proto.string_val.extend(_as_bytes(x) for x in _flatten_strings(values))
        except TypeError:
            raise TypeError(
                f"Failed to convert elements of {values} to Tensor. Consider casting "
                "elements to a supported type. See https://www.tensorflow.org/api_docs"
                "/python/tf/dtypes for supported TF dtypes."
            ) from None
        return proto
    _append_values(proto, np_dtype, nparray.reshape(-1))
    return proto


# ---------------------------------------------------------------- tf.TypeSpec


def _leaf_is_subtype(a, b):
    if isinstance(a, TensorShape):
        if b.rank is None:
            return True
        return a.rank == b.rank and all(y is None or x == y for x, y in zip(a, b))
    if hasattr(a, "is_subtype_of"):
        return a.is_subtype_of(b)
    return a == b


def _leaf_supertype(a, others):
    if isinstance(a, TensorShape):
        out = a
        for o in others:
            out = out.most_specific_compatible_shape(o)
        return out, True
    if hasattr(a, "most_specific_common_supertype"):
        sup = a.most_specific_common_supertype(list(others))
        return sup, sup is not None
    return a, all(a == o for o in others)


def _is_compatible(a, b):
    """TypeSpec's comparison of two serializations (nested specs, shapes and dtypes)."""
    if hasattr(a, "is_compatible_with") and not isinstance(a, (TensorShape, D.DType)):
        return a.is_compatible_with(b)
    if isinstance(a, (list, tuple)):
        return (
            type(a) is type(b)
            and len(a) == len(b)
            and all(_is_compatible(x, y) for x, y in zip(a, b))
        )
    if isinstance(a, dict):
        return (
            isinstance(b, dict)
            and sorted(a) == sorted(b)
            and all(_is_compatible(a[k], b[k]) for k in a)
        )
    if isinstance(a, (TensorShape, D.DType)):
        return type(b) is type(a) and a.is_compatible_with(b)
    return type(a) is type(b) and a == b


def _is_spec_class(cls):
    return any("value_type" in vars(base) for base in cls.__mro__[:-1])


@tf_export("TypeSpec", "compat.v1.data.experimental.Structure")
class TypeSpec(metaclass=abc.ABCMeta):
    """Specifies a TensorFlow value type (the base of ``tf.TensorSpec``, ``tf.RaggedTensorSpec``).

    A subclass defines ``value_type`` and ``_serialize()`` (its constructor arguments);
    equality, hashing, ``repr``, compatibility, subtyping and supertypes follow from them.

    Example:
        >>> isinstance(tf.TensorSpec([2], tf.float32), tf.TypeSpec)
        True
    """

    __slots__ = ()

    @classmethod
    def __subclasshook__(cls, other):
        if cls is TypeSpec:  # tensorlet's specs, defined below this module, count as TypeSpecs
            return True if _is_spec_class(other) else NotImplemented
        return NotImplemented

    @property
    @abc.abstractmethod
    def value_type(self):
        """The Python type of values this spec describes."""
        raise NotImplementedError

    @abc.abstractmethod
    def _serialize(self):
        """The tuple of constructor arguments that rebuild this spec."""
        raise NotImplementedError

    @classmethod
    def _deserialize(cls, serialization):
        return cls(*serialization)

    def is_compatible_with(self, spec_or_value):
        """True when ``spec_or_value`` (a spec or a value) could be described by this spec."""
        if not isinstance(spec_or_value, TypeSpec):
            spec_or_value = type_spec_from_value(spec_or_value)
        if type(self) is not type(spec_or_value):
            return False
        return _is_compatible(self._serialize(), spec_or_value._serialize())

    def is_subtype_of(self, other):
        """True when every value of this spec is a value of ``other``."""
        if type(self) is not type(other):
            return False
        try:
            pairs = zip(
                nest.flatten(self._serialize()), nest.flatten(other._serialize()), strict=True
            )
            return all(_leaf_is_subtype(a, b) for a, b in pairs)
        except (ValueError, TypeError):
            return False

    def most_specific_common_supertype(self, others):
        """The most specific spec of this type describing this and ``others``, or None."""
        if any(type(self) is not type(o) for o in others):
            return None
        mine = nest.flatten(self._serialize())
        theirs = [nest.flatten(o._serialize()) for o in others]
        if any(len(t) != len(mine) for t in theirs):
            return None
        out = []
        for i, a in enumerate(mine):
            sup, ok = _leaf_supertype(a, [t[i] for t in theirs])
            if not ok:
                return None
            out.append(sup)
        return self._deserialize(nest.pack_sequence_as(self._serialize(), out))

    def most_specific_compatible_type(self, other):
        """Deprecated TF 1 name of ``most_specific_common_supertype([other])``."""
        result = self.most_specific_common_supertype([other])
        if result is None:
            raise ValueError(f"No TypeSpec is compatible with both {self} and {other}")
        return result

    def __eq__(self, other):
        return type(other) is type(self) and self._serialize() == other._serialize()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((type(self), _hashable(self._serialize())))

    def __repr__(self):
        return f"{type(self).__name__}{self._serialize()!r}"

    def __reduce__(self):
        return type(self)._deserialize, (self._serialize(),)


def _hashable(x):
    if isinstance(x, dict):
        return tuple((k, _hashable(v)) for k, v in sorted(x.items()))
    if isinstance(x, (list, tuple)):
        return tuple(_hashable(v) for v in x)
    if isinstance(x, TensorShape):
        return None if x.rank is None else tuple(x.as_list())
    return x


def type_spec_from_value(value):
    """The spec of a value (TF's ``type_spec.type_spec_from_value``); TypeError if none."""
    spec = getattr(value, "_type_spec", None)
    if spec is not None:
        return spec
    if getattr(type(value), "_is_optional", False) or type(value).__name__ == "Optional":
        return OptionalSpec.from_value(value)
    if isinstance(value, Tensor):
        return TensorSpec(value.shape, value.dtype)
    from tensorlet.framework.tensor_conversion import convert_to_tensor

    try:
        t = convert_to_tensor(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"Could not build a TypeSpec for {value!r} of unsupported type {type(value)}."
        ) from None
    return TensorSpec(t.shape, t.dtype)


@tf_export("OptionalSpec", "compat.v1.data.experimental.OptionalStructure")
class OptionalSpec(TypeSpec):
    """Type specification for ``tf.experimental.Optional``: the spec of its element.

    Example:
        >>> tf.OptionalSpec(tf.TensorSpec([], tf.int32))
        OptionalSpec(TensorSpec(shape=(), dtype=tf.int32, name=None),)
    """

    __slots__ = ("_element_spec",)

    def __init__(self, element_spec):
        self._element_spec = element_spec

    @property
    def value_type(self):
        from tensorlet.data_ops.optional import Optional

        return Optional

    @property
    def element_spec(self):
        return self._element_spec

    def _serialize(self):
        return (self._element_spec,)

    @property
    def _component_specs(self):
        return [TensorSpec((), D.variant)]

    @staticmethod
    def from_value(value):
        """The spec of the ``tf.experimental.Optional`` ``value``."""
        return OptionalSpec(value.element_spec)

    def _to_legacy_output_types(self):
        return self

    def _to_legacy_output_shapes(self):
        return self

    def _to_legacy_output_classes(self):
        return self


# ---------------------------------------------------------------- tf.recompute_grad


@tf_export("recompute_grad")
def recompute_grad(f):
    """Decorator: ``f``'s gradient recomputes its forward pass instead of keeping it.

    Same values and gradients as ``f`` (tensorlet keeps no less memory for it: the forward runs
    without recording, and the gradient re-runs ``f`` under a tape).

    Example:
        >>> g = tf.recompute_grad(lambda x: tf.sin(x) * x)
        >>> x = tf.constant(1.0)
        >>> with tf.GradientTape() as t:
        ...   t.watch(x)
        ...   y = g(x)
        >>> round(float(t.gradient(y, x)), 5)
        1.38177
    """
    from tensorlet.autodiff.custom_gradient import custom_gradient
    from tensorlet.autodiff.gradient_tape import GradientTape, UnconnectedGradients
    from tensorlet.ops import array_ops

    @custom_gradient
    def inner(*args, **kwargs):
        result = f(*args, **kwargs)  # custom_gradient runs it with no tape recording

        def grad_wrapper(*dresult, variables=None):
            with GradientTape() as t:
                id_args = [array_ops.identity(a) for a in args]
                t.watch(id_args)
                if variables is not None:
                    t.watch(variables)
                recomputed = f(*id_args, **kwargs)
            kw_vars = list(variables) if variables is not None else []
            grads = t.gradient(
                recomputed,
                id_args + kw_vars,
                output_gradients=list(dresult),
                unconnected_gradients=UnconnectedGradients.ZERO,
            )
            return grads[: len(id_args)], grads[len(id_args) :]

        return result, grad_wrapper

    return functools.wraps(f)(inner)


# ---------------------------------------------------------------- batch_function


@tf_export("nondifferentiable_batch_function")
def batch_function(
    num_batch_threads,
    max_batch_size,
    batch_timeout_micros,
    allowed_batch_sizes=None,
    max_enqueued_batches=10,
    autograph=True,
    enable_large_batch_splitting=True,
):
    """Decorator batching concurrent calls of a tensor function (TF's ``BatchFunction`` op).

    tensorlet runs the decorated function directly, once per call (a batch of one call): the
    values are the function's; no gradient flows through it, as the name says.

    Example:
        >>> @tf.nondifferentiable_batch_function(1, 2, 3)
        ... def layer(a):
        ...   return tf.matmul(a, a)
        >>> layer(tf.constant([[1.0, 2.0], [3.0, 4.0]])).numpy()
        array([[ 7., 10.],
               [15., 22.]], dtype=float32)
    """

    def decorator(fn):
        from tensorlet.function.polymorphic_function import function

        computation = function(fn, autograph=autograph)

        @functools.wraps(fn)
        def decorated(*args):
            for a in args:
                a.dtype, a.shape  # noqa: B018 - TF builds a TensorSpec of every argument first
                if not isinstance(a, Tensor):
                    raise ValueError(  # noqa: TRY004 - TF's class
                        "All arguments to functions decorated with `batch_function`"
                        f"  are supposed to be Tensors; found {a!r}"
                    )
            tapes, state.tapes = state.tapes, []  # BatchFunction has no gradient
            try:
                return computation(*args)
            finally:
                state.tapes = tapes

        return decorated

    return decorator


__all__ = [
    "OptionalSpec",
    "TypeSpec",
    "batch_function",
    "guarantee_const",
    "make_tensor_proto",
    "recompute_grad",
    "timestamp",
]
