"""``tf.RaggedTensor``: a tensor whose rows have different lengths, and ``tf.RaggedTensorSpec``.

A RaggedTensor is ``values`` (a dense tensor, or another RaggedTensor for several ragged
dimensions) partitioned into rows by ``row_splits`` (int64 or int32, ``row_splits[0] == 0``,
``row_splits[-1] == nvals``): row ``i`` is ``values[row_splits[i]:row_splits[i + 1]]``.

The row partitions are index data: they are computed with NumPy on the backend arrays. Every
operation that moves *values* goes through tensorlet ops (``gather``, ``concat``), so the
gradient tape sees them and ``tape.gradient`` reaches ``flat_values``.
"""

import itertools

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape, as_shape

D = dtypes
_SPLITS_DTYPES = (D.int32, D.int64)
_PRIVATE = (
    "RaggedTensor constructor is private; please use one of the factory methods "
    "instead (e.g., RaggedTensor.from_row_lengths())"
)


# ---------------------------------------------------------------- partition helpers


def _int_tensor(arr, dtype):
    return EagerTensor(xp.asarray(arr, dtype=dtype._np), dtype)


def _np(t):
    return t._value if isinstance(t, EagerTensor) else xp.asarray(t.numpy())


def _splits_dtype(dtype):
    dtype = D.as_dtype(dtype)
    if dtype not in _SPLITS_DTYPES:
        raise ValueError(f"row_splits_dtype must be int32 or int64; got {dtype!r}")
    return dtype


def _partition(value, name, values=None):
    """Converts a row partition argument (int32/int64, default int64) to a rank-1 tensor."""
    t = convert_to_tensor(value, dtype_hint=D.int64)
    if t.dtype not in _SPLITS_DTYPES:
        raise ValueError(f"{name} must have dtype int32 or int64")
    if isinstance(values, RaggedTensor) and values.row_splits.dtype != t.dtype:
        raise ValueError(
            "dtype mismatch: row_splits of values have dtype "
            f"{values.row_splits.dtype.name} but {name} has dtype {t.dtype.name}; use "
            "RaggedTensor.with_row_splits_dtype() to convert them to compatible dtypes."
        )
    return t


def _values(values):
    if isinstance(values, RaggedTensor):
        return values
    values = convert_to_tensor(values)
    if values.shape.rank == 0:
        raise ValueError("Shape () must have rank at least 1")
    return values


def _nvals(values):
    return values.nrows_int() if isinstance(values, RaggedTensor) else int(values.shape[0])


def _invalid(factory, what):
    return errors.InvalidArgumentError(
        None, None, f"Arguments to {factory} do not form a valid RaggedTensor:{what}"
    )


def _rank1(t, name):
    if t.shape.rank != 1:
        raise ValueError(f"Shape {t.shape} must have rank 1")


def _check_splits(s, nvals, factory="from_row_splits"):
    if s.shape[0] == 0:
        raise _invalid(factory, "zero")
    if s[0] != 0:
        raise _invalid(factory, "zero")
    if (s[1:] < s[:-1]).any():
        raise _invalid(factory, "monotonic")
    if s[-1] != nvals:
        raise _invalid(factory, "Assertion failed: nvals")


def _lengths_to_splits(lengths, dtype):
    out = xp.zeros(lengths.shape[0] + 1, dtype=dtype._np)
    xp.cumsum(lengths, out=out[1:])
    return out


# ---------------------------------------------------------------- the class


@tf_export("RaggedTensor")
class RaggedTensor:
    """Represents a ragged tensor: ``values`` partitioned into rows by ``row_splits``.

    Example:
      >>> rt = tf.RaggedTensor.from_row_splits([3, 1, 4, 1, 5, 9, 2], row_splits=[0, 4, 4, 7])
      >>> rt
      <tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9, 2]]>
      >>> rt.shape
      TensorShape([3, None])
    """

    _is_tensor_like = True
    __array_priority__ = 100

    def __init__(self, values, row_partition, internal=False):
        if not internal:
            raise ValueError(_PRIVATE)
        self._values = values
        self._row_splits = row_partition
        self._uniform_row_length = None

    @classmethod
    def _make(cls, values, row_splits, uniform_row_length=None):
        rt = cls(values, row_splits, internal=True)
        rt._uniform_row_length = uniform_row_length
        return rt

    # ------------------------------------------------------------ factories

    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate=True):
        """``values`` split into rows at ``row_splits`` (row i = values[splits[i]:splits[i+1]])."""
        values = _values(values)
        splits = _partition(row_splits, "row_splits", values)
        _rank1(splits, "row_splits")
        if validate:
            _check_splits(_np(splits), _nvals(values))
        return cls._make(values, splits)

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate=True):
        """``values`` split into consecutive rows of ``row_lengths`` elements."""
        values = _values(values)
        lengths = _partition(row_lengths, "row_lengths", values)
        _rank1(lengths, "row_lengths")
        n = _np(lengths)
        if validate and ((n < 0).any() or int(n.sum()) != _nvals(values)):
            raise _invalid("from_row_lengths", "Assertion failed: nvals")
        return cls._make(values, _int_tensor(_lengths_to_splits(n, lengths.dtype), lengths.dtype))

    @classmethod
    def from_value_rowids(cls, values, value_rowids, nrows=None, name=None, validate=True):
        """Row ``value_rowids[i]`` holds ``values[i]`` (``value_rowids`` sorted ascending)."""
        values = _values(values)
        rowids = _partition(value_rowids, "value_rowids", values)
        _rank1(rowids, "value_rowids")
        ids = _np(rowids).astype(xp.int64)
        n = (int(ids[-1]) + 1 if ids.size else 0) if nrows is None else int(_np_scalar(nrows))
        if validate:
            if ids.size != _nvals(values) or (ids[1:] < ids[:-1]).any():
                raise _invalid("from_value_rowids", "value_rowids must be sorted")
            if ids.size and (ids[0] < 0 or ids[-1] >= n):
                raise _invalid("from_value_rowids", "value_rowids out of range")
        counts = xp.bincount(ids, minlength=n)[:n] if ids.size else xp.zeros(n, xp.int64)
        return cls._make(
            values, _int_tensor(_lengths_to_splits(counts, rowids.dtype), rowids.dtype)
        )

    @classmethod
    def from_row_starts(cls, values, row_starts, name=None, validate=True):
        """Rows start at ``row_starts`` (the last row ends at ``nvals``)."""
        values = _values(values)
        starts = _partition(row_starts, "row_starts", values)
        s = xp.concatenate([_np(starts), [_nvals(values)]]).astype(starts.dtype._np)
        return cls.from_row_splits(values, _int_tensor(s, starts.dtype), validate=validate)

    @classmethod
    def from_row_limits(cls, values, row_limits, name=None, validate=True):
        """Rows end at ``row_limits`` (the first row starts at 0)."""
        values = _values(values)
        limits = _partition(row_limits, "row_limits", values)
        s = xp.concatenate([[0], _np(limits)]).astype(limits.dtype._np)
        return cls.from_row_splits(values, _int_tensor(s, limits.dtype), validate=validate)

    @classmethod
    def from_uniform_row_length(
        cls, values, uniform_row_length, nrows=None, validate=True, name=None
    ):
        """Rows of ``uniform_row_length`` elements each (the dimension stays known in ``shape``)."""
        values = _values(values)
        length_t = _partition(uniform_row_length, "uniform_row_length", values)
        length, nvals = int(_np(length_t)), _nvals(values)
        if nrows is None:
            nrows = nvals // length if length else 0
        nrows = int(_np_scalar(nrows))
        if validate and nrows * length != nvals:
            raise _invalid("from_uniform_row_length", "uniform_row_length must divide nvals")
        splits = xp.arange(nrows + 1, dtype=length_t.dtype._np) * length
        return cls._make(values, _int_tensor(splits, length_t.dtype), uniform_row_length=length)

    @classmethod
    def from_nested_row_splits(cls, flat_values, nested_row_splits, name=None, validate=True):
        """Several ragged dimensions at once: ``nested_row_splits`` outermost first."""
        if isinstance(nested_row_splits, Tensor):
            raise TypeError("nested_row_splits must be a list of Tensors")
        result = flat_values
        for splits in reversed(list(nested_row_splits)):
            result = cls.from_row_splits(result, splits, validate=validate)
        return result

    @classmethod
    def from_nested_row_lengths(cls, flat_values, nested_row_lengths, name=None, validate=True):
        if isinstance(nested_row_lengths, Tensor):
            raise TypeError("nested_row_lengths must be a list of Tensors")
        result = flat_values
        for lengths in reversed(list(nested_row_lengths)):
            result = cls.from_row_lengths(result, lengths, validate=validate)
        return result

    @classmethod
    def from_nested_value_rowids(
        cls, flat_values, nested_value_rowids, nested_nrows=None, name=None, validate=True
    ):
        if isinstance(nested_value_rowids, Tensor):
            raise TypeError("nested_value_rowids must be a list of Tensors")
        rowids = list(nested_value_rowids)
        nrows = [None] * len(rowids) if nested_nrows is None else list(nested_nrows)
        if len(nrows) != len(rowids):
            raise ValueError(
                "Argument `nested_nrows` must have the same length as argument "
                "`nested_value_rowids`"
            )
        result = flat_values
        for ids, n in reversed(list(zip(rowids, nrows))):
            result = cls.from_value_rowids(result, ids, n, validate=validate)
        return result

    @classmethod
    def from_tensor(
        cls, tensor, lengths=None, padding=None, ragged_rank=1, name=None, row_splits_dtype=D.int64
    ):
        """A RaggedTensor from a dense ``tensor``, optionally cut at ``lengths`` or trailing
        ``padding`` (only the innermost ragged dimension is cut; outer ones are uniform)."""
        from tensorlet.ragged_tensors import ragged_conversion

        return ragged_conversion.from_tensor(
            tensor, lengths, padding, ragged_rank, _splits_dtype(row_splits_dtype)
        )

    @classmethod
    def from_sparse(cls, st_input, name=None, row_splits_dtype=D.int64):
        """Rows of a rank-2 right-ragged ``SparseTensor`` (indices ``[r, 0..k)`` per row)."""
        from tensorlet.ragged_tensors import ragged_conversion

        return ragged_conversion.from_sparse(st_input, _splits_dtype(row_splits_dtype))

    # ------------------------------------------------------------ structure

    dtype = property(lambda self: self._values.dtype)
    values = property(lambda self: self._values)
    row_splits = property(lambda self: self._row_splits)
    ragged_rank = property(
        lambda self: self._values.ragged_rank + 1 if isinstance(self._values, RaggedTensor) else 1
    )

    @property
    def flat_values(self):
        v = self._values
        while isinstance(v, RaggedTensor):
            v = v._values
        return v

    @property
    def nested_row_splits(self):
        out, rt = [self._row_splits], self._values
        while isinstance(rt, RaggedTensor):
            out.append(rt._row_splits)
            rt = rt._values
        return tuple(out)

    @property
    def uniform_row_length(self):
        u = self._uniform_row_length
        return None if u is None else _int_tensor(u, self._row_splits.dtype)

    @property
    def shape(self):
        inner = self._values.shape
        return TensorShape([self.nrows_int(), self._uniform_row_length] + inner.as_list()[1:])

    def get_shape(self):
        return self.shape

    @property
    def _type_spec(self):
        return RaggedTensorSpec.from_value(self)

    def nrows_int(self):
        return int(self._row_splits.shape[0]) - 1

    def nrows(self, out_type=None, name=None):
        dtype = self._row_splits.dtype if out_type is None else D.as_dtype(out_type)
        return _int_tensor(self.nrows_int(), dtype)

    def _splits(self):
        return _np(self._row_splits)

    def _lengths(self):
        s = self._splits()
        return s[1:] - s[:-1]

    def row_starts(self, name=None):
        return _int_tensor(self._splits()[:-1], self._row_splits.dtype)

    def row_limits(self, name=None):
        return _int_tensor(self._splits()[1:], self._row_splits.dtype)

    def row_lengths(self, axis=1, name=None):
        """Lengths of the rows of dimension ``axis`` (a RaggedTensor when ``axis > 1``)."""
        axis = _normalize_axis(axis, self.shape.rank, "axis")
        if axis == 0:
            return self.nrows()
        if axis == 1:
            return _int_tensor(self._lengths(), self._row_splits.dtype)
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.row_lengths(axis - 1))
        dims = self._values.shape.as_list()
        return self.with_values(
            _int_tensor(xp.full(dims[:1], dims[axis - 1]), self._row_splits.dtype)
        )

    def nested_row_lengths(self, name=None):
        return tuple(_int_tensor(_np(s)[1:] - _np(s)[:-1], s.dtype) for s in self.nested_row_splits)

    def value_rowids(self, name=None):
        ids = xp.repeat(xp.arange(self.nrows_int()), self._lengths())
        return _int_tensor(ids, self._row_splits.dtype)

    def nested_value_rowids(self, name=None):
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.value_rowids())
            rt = rt._values
        return tuple(out)

    def bounding_shape(self, axis=None, name=None, out_type=None):
        """``[nrows, longest row of each ragged dimension..., inner dims]``."""
        dtype = self._row_splits.dtype if out_type is None else D.as_dtype(out_type)
        dims = self._bounding_dims()
        if axis is None:
            return _int_tensor(dims, dtype)
        axes = xp.asarray(_np_scalar(axis) if not isinstance(axis, (list, tuple)) else axis)
        return _int_tensor(xp.asarray(dims)[axes], dtype)

    def _bounding_dims(self):
        dims, rt = [self.nrows_int()], self
        while isinstance(rt, RaggedTensor):
            lengths = rt._lengths()
            dims.append(int(lengths.max()) if lengths.size else 0)
            rt = rt._values
        return dims + rt.shape.as_list()[1:]

    # ------------------------------------------------------------ rebuilding

    def with_values(self, new_values):
        """The same row partition over ``new_values`` (same outer dimension)."""
        new_values = _values(new_values)
        if (
            isinstance(new_values, RaggedTensor)
            and new_values.row_splits.dtype != self._row_splits.dtype
        ):
            raise ValueError(
                "self and new_values have mismatched row_splits dtypes; use "
                "RaggedTensor.with_row_splits_dtype() to convert them to "
                "compatible dtypes."
            )
        return RaggedTensor._make(new_values, self._row_splits, self._uniform_row_length)

    def with_flat_values(self, new_values):
        """The same nested partition over new ``flat_values``."""
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def with_row_splits_dtype(self, dtype):
        dtype = _splits_dtype(dtype)
        if dtype == self._row_splits.dtype:
            return self
        values = self._values
        if isinstance(values, RaggedTensor):
            values = values.with_row_splits_dtype(dtype)
        return RaggedTensor._make(
            values, _int_tensor(self._splits(), dtype), self._uniform_row_length
        )

    def merge_dims(self, outer_axis, inner_axis):
        """Merges dimensions ``outer_axis..inner_axis`` into one."""
        from tensorlet.ragged_tensors import ragged_conversion

        return ragged_conversion.merge_dims(self, outer_axis, inner_axis)

    # ------------------------------------------------------------ conversion

    def to_tensor(self, default_value=None, name=None, shape=None):
        """A dense tensor, padded with ``default_value`` (zero/empty) to the bounding shape."""
        from tensorlet.ragged_tensors import ragged_conversion

        return ragged_conversion.to_tensor(self, default_value, shape)

    def to_sparse(self, name=None):
        from tensorlet.ragged_tensors import ragged_conversion

        return ragged_conversion.to_sparse(self)

    def to_list(self):
        """Nested Python lists (bytes for strings)."""
        flat = xp.asarray(self.flat_values.numpy())
        rows = flat.tolist()
        for splits in reversed(self.nested_row_splits):
            s = _np(splits).tolist()
            rows = [rows[a:b] for a, b in itertools.pairwise(s)]
        return rows

    def numpy(self):
        """A NumPy array: rank-1 ``object`` array of row arrays when the rows differ in length."""
        values = self._values.numpy()
        s = self._splits()
        rows = [values[s[i] : s[i + 1]] for i in range(len(s) - 1)]
        if not rows:
            return xp.zeros((0, 0) + tuple(values.shape[1:]), dtype=values.dtype)
        if any(len(r) != len(rows[0]) for r in rows):
            out = xp.empty(len(rows), dtype=object)
            for i, r in enumerate(rows):
                out[i] = r
            return out
        return xp.array(rows)

    def __tf_tensor__(self, dtype=None, name=None):
        raise TypeError(
            f"Failed to convert elements of {self!r} to Tensor. Consider casting "
            "elements to a supported type. See "
            "https://www.tensorflow.org/api_docs/python/tf/dtypes for supported TF "
            "dtypes."
        )

    # ------------------------------------------------------------ python protocol

    def __repr__(self):
        return f"<tf.RaggedTensor {self.to_list()!r}>"

    __str__ = __repr__

    def __hash__(self):
        raise TypeError("RaggedTensor is unhashable.")

    def __bool__(self):
        raise TypeError("RaggedTensor may not be used as a boolean.")

    def __getitem__(self, key):
        from tensorlet.ragged_tensors import ragged_getitem

        return ragged_getitem.ragged_tensor_getitem(self, key)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def _np_scalar(x):
    return int(x.numpy()) if hasattr(x, "numpy") else int(x)


def _normalize_axis(axis, rank, name):
    axis = _np_scalar(axis)
    if rank is not None:
        if not -rank <= axis < rank:
            raise ValueError(f"{name}={axis} out of bounds: expected {-rank}<={name}<{rank}")
        axis %= rank
    return axis


def is_ragged(x):
    return isinstance(x, RaggedTensor)


def convert_to_tensor_or_ragged_tensor(value, dtype=None, name=None):
    """RaggedTensors pass through (dtype checked); anything else becomes a dense tensor."""
    if isinstance(value, RaggedTensor):
        if dtype is not None and value.dtype != D.as_dtype(dtype):
            raise ValueError(
                f"Tensor conversion requested dtype {D.as_dtype(dtype).name} for "
                f"RaggedTensor with dtype {value.dtype.name}: {value}"
            )
        return value
    return convert_to_tensor(value, dtype=dtype)


# ---------------------------------------------------------------- the spec


@tf_export("RaggedTensorSpec")
class RaggedTensorSpec:
    """Type specification of a ``tf.RaggedTensor``: shape, dtype, ragged_rank, splits dtype.

    Example:
      >>> tf.RaggedTensorSpec([2, None], tf.int32)
      RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64)
    """

    __slots__ = ("_dtype", "_flat_values_spec", "_ragged_rank", "_row_splits_dtype", "_shape")

    def __init__(
        self,
        shape=None,
        dtype=D.float32,
        ragged_rank=None,
        row_splits_dtype=D.int64,
        flat_values_spec=None,
    ):
        self._shape = as_shape(shape)
        self._dtype = D.as_dtype(dtype) if flat_values_spec is None else flat_values_spec.dtype
        self._row_splits_dtype = D.as_dtype(row_splits_dtype)
        self._flat_values_spec = flat_values_spec
        rank = self._shape.rank
        if ragged_rank is None:
            if rank is None:
                raise ValueError("Must specify ragged_rank or a shape with a known rank.")
            ragged_rank = rank - 1
        if not isinstance(ragged_rank, int):
            raise TypeError(f"Argument `ragged_rank` must be an int. Received {ragged_rank}.")
        if rank is not None and not 0 <= ragged_rank < max(rank, 1):
            raise ValueError(
                f"Argument `ragged_rank` ({ragged_rank}) must be less than rank ({rank})."
            )
        self._ragged_rank = ragged_rank

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    ragged_rank = property(lambda self: self._ragged_rank)
    row_splits_dtype = property(lambda self: self._row_splits_dtype)
    flat_values_spec = property(lambda self: self._flat_values_spec)
    value_type = property(lambda self: RaggedTensor if self._ragged_rank > 0 else Tensor)

    @classmethod
    def from_value(cls, value):
        if isinstance(value, RaggedTensor):
            return cls(value.shape, value.dtype, value.ragged_rank, value.row_splits.dtype)
        return cls(value.shape, value.dtype, 0)

    def _serialize(self):
        parts = (self._shape, self._dtype, self._ragged_rank, self._row_splits_dtype)
        return parts + ((self._flat_values_spec,) if self._flat_values_spec is not None else ())

    def is_compatible_with(self, spec_or_value):
        other = spec_or_value
        if isinstance(other, RaggedTensor):
            other = RaggedTensorSpec.from_value(other)
        if not isinstance(other, RaggedTensorSpec):
            return False
        return (
            self._dtype == other._dtype
            and self._ragged_rank == other._ragged_rank
            and self._row_splits_dtype == other._row_splits_dtype
            and self._shape.is_compatible_with(other._shape)
        )

    def __eq__(self, other):
        return type(other) is type(self) and self._serialize() == other._serialize()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(
            (
                tuple(self._shape.as_list()) if self._shape.rank is not None else None,
                self._dtype.name,
                self._ragged_rank,
                self._row_splits_dtype.name,
            )
        )

    def __repr__(self):
        return f"RaggedTensorSpec{self._serialize()!r}"
