"""``KerasTensor``: a symbolic placeholder (shape, dtype) for building functional models.

``keras.Input((3,))`` returns one; calling a layer on it computes the output's shape and dtype
without real data (``compute_output_spec``). Arithmetic operators give new KerasTensors with
Keras' shape/dtype/sparseness rules. Converting one to a TF tensor is an error, as in Keras.
"""

from tensorlet.framework.export import keras_export
from tensorlet.keras.src.backend import core
from tensorlet.keras.src.backend.dtypes import result_type, standardize_dtype
from tensorlet.keras.src.utils.naming import auto_name

_TF_FN_ERROR = (
    "A KerasTensor cannot be used as input to a TensorFlow function. A KerasTensor is a symbolic "
    "placeholder for a shape and dtype, used when constructing Keras Functional models or Keras "
    "Functions. You can only use it as input to a Keras layer or a Keras operation (from the "
    "namespaces `keras.layers` and `keras.ops`). You are likely doing something like:\n\n```\n"
    "x = Input(...)\n...\ntf_fn(x)  # Invalid.\n```\n\nWhat you should do instead is wrap "
    "`tf_fn` in a layer:\n\n```\nclass MyLayer(Layer):\n    def call(self, x):\n        return "
    "tf_fn(x)\n\nx = MyLayer()(x)\n```\n"
)


@keras_export("keras.KerasTensor")
class KerasTensor:
    """A symbolic tensor: ``shape`` (tuple, ``None`` for unknown dims), ``dtype`` (string).

    Example:
        >>> keras.Input((3,))
        <KerasTensor shape=(None, 3), dtype=float32, sparse=False, ragged=False, name=keras_tensor>
    """

    def __init__(
        self,
        shape,
        dtype="float32",
        sparse=False,
        ragged=False,
        record_history=True,
        name=None,
        **kwargs,
    ):
        self._shape = core.standardize_shape(shape)
        self._dtype = standardize_dtype(dtype)
        self._sparse = bool(sparse)
        self._ragged = bool(ragged)
        self.name = name or auto_name(self.__class__.__name__)
        self.record_history = record_history
        self._keras_history = None

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    sparse = property(lambda self: self._sparse)
    ragged = property(lambda self: self._ragged)
    ndim = property(lambda self: len(self._shape))

    def reshape(self, newshape):
        from tensorlet.keras.src.backend.output_spec import run_op

        return run_op(lambda x: _tf_reshape(x, newshape), self)

    def __repr__(self):
        return (
            f"<KerasTensor shape={self._shape}, dtype={self._dtype}, sparse={self._sparse}, "
            f"ragged={self._ragged}, name={self.name}>"
        )

    __str__ = __repr__

    def __iter__(self):
        raise NotImplementedError("Iterating over a symbolic KerasTensor is not supported.")

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a boolean.")

    def __tf_tensor__(self, dtype=None, name=None):
        raise ValueError(_TF_FN_ERROR)

    def __array__(self, *args, **kwargs):
        raise ValueError(_TF_FN_ERROR)

    def __getitem__(self, key):
        from tensorlet.keras.src.backend.output_spec import run_op

        return run_op(lambda x: x[key], self)


def _tf_reshape(x, newshape):
    from tensorlet.ops import array_ops

    return array_ops.reshape(x, newshape)


def is_keras_tensor(x):
    return isinstance(x, KerasTensor)


def any_symbolic_tensors(args=(), kwargs=None):
    from tensorlet.framework import nest

    for x in nest.flatten((args, kwargs or {})):
        if isinstance(x, KerasTensor):
            return True
    return False


# ---------------------------------------------------------------- operators
def _dtype_of(x):
    if isinstance(x, KerasTensor):
        return x.dtype
    d = getattr(x, "dtype", None)
    return d if d is not None else type(x)


def _shape_of(x):
    if isinstance(x, KerasTensor):
        return x.shape
    s = getattr(x, "shape", ())
    return tuple(s.as_list()) if hasattr(s, "as_list") else tuple(s)


def broadcast_shapes(a, b):
    """NumPy broadcasting of two static shapes (``None`` broadcasts with anything)."""
    a, b = list(a), list(b)
    n = max(len(a), len(b))
    a = [1] * (n - len(a)) + a
    b = [1] * (n - len(b)) + b
    out = []
    for x, y in zip(a, b):
        if x == 1:
            out.append(y)
        elif y == 1 or y is None or x == y:
            out.append(x)
        elif x is None:
            out.append(y)
        else:
            raise ValueError(
                f"Cannot broadcast shape, the failure dim has value {x}, which "
                f"cannot be broadcasted to {y}. Input shapes are: {tuple(a)} and "
                f"{tuple(b)}."
            )
    return tuple(out)


# Keras' sparseness rules: an operand without `.sparse` (a Python scalar) counts as sparse for
# multiply (sparse * dense = sparse) but dense for add/subtract.
def _sparse_and(x1, x2):
    return getattr(x1, "sparse", False) and getattr(x2, "sparse", False)


def _sparse_mul(x1, x2):
    return getattr(x1, "sparse", True) or getattr(x2, "sparse", True)


def _sparse_div(x1, x2):
    return getattr(x1, "sparse", False) and not getattr(x2, "sparse", True)


def _binary(sparse_rule, true_div=False):
    def op(x1, x2):
        shape = broadcast_shapes(_shape_of(x1), _shape_of(x2))
        dtype = result_type(_dtype_of(x1), _dtype_of(x2))
        if true_div and dtype not in ("float16", "bfloat16", "float32", "float64"):
            dtype = "float32"
        return KerasTensor(shape, dtype=dtype, sparse=sparse_rule(x1, x2))

    return op


_add = _binary(_sparse_and)
_mul = _binary(_sparse_mul)
_div = _binary(_sparse_div, true_div=True)
_pow = _binary(lambda a, b: False)


def _install(name, fn, reflected=False):
    if reflected:
        setattr(KerasTensor, name, lambda self, other: fn(other, self))
    else:
        setattr(KerasTensor, name, lambda self, other: fn(self, other))


for _n, _f in (
    ("add", _add),
    ("sub", _add),
    ("mul", _mul),
    ("truediv", _div),
    ("floordiv", _pow),
    ("mod", _pow),
    ("pow", _pow),
):
    _install(f"__{_n}__", _f)
    _install(f"__r{_n}__", _f, reflected=True)


def _unary(self):
    return KerasTensor(self.shape, dtype=self.dtype, sparse=self.sparse)


KerasTensor.__neg__ = _unary
KerasTensor.__abs__ = _unary


def _matmul(x1, x2):
    from tensorlet.keras.src.backend.output_spec import run_op
    from tensorlet.ops import linalg_ops

    return run_op(linalg_ops.matmul, x1, x2)


KerasTensor.__matmul__ = lambda self, other: _matmul(self, other)
KerasTensor.__rmatmul__ = lambda self, other: _matmul(other, self)
