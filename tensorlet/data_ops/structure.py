"""tf.data's element structure: nesting rules, the type spec of an element, batched specs.

tf.data nests like ``tf.nest`` with one difference: a Python ``list`` is *not* a structure but a
value (``from_tensor_slices([[1, 2], [3, 4]])`` slices one int32 tensor). Tuples, namedtuples,
dicts and attrs classes are structures; dicts flatten in sorted-key order.

Every leaf of an element is a ``Tensor``, ``RaggedTensor``, ``SparseTensor``, a ``Dataset``
(``window`` yields datasets) or ``None``; its spec is a ``TensorSpec``, ``RaggedTensorSpec``,
``SparseTensorSpec``, ``DatasetSpec`` or ``NoneTensorSpec``.
"""

import collections
from collections.abc import Mapping

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape, as_shape
from tensorlet.framework.tensor_spec import TensorSpec
from tensorlet.ragged_tensors.ragged_tensor import RaggedTensor, RaggedTensorSpec
from tensorlet.sparse_tensors.sparse_tensor import SparseTensor, SparseTensorSpec

# ------------------------------------------------------------------------------- nesting


_NESTED = {tuple: True, dict: True, list: False, type(None): False}  # type -> is a structure


def is_nested(x):
    """True for tuples (incl. namedtuples), mappings and attrs objects; lists are values."""
    t = type(x)
    r = _NESTED.get(t)
    if r is None:
        r = _NESTED[t] = issubclass(t, (tuple, Mapping)) or hasattr(t, "__attrs_attrs__")
    return r


def _keys(d):
    try:
        return sorted(d)
    except TypeError:
        return sorted(d, key=repr)


def _children(x):
    if isinstance(x, Mapping):
        return [x[k] for k in _keys(x)]
    if isinstance(x, tuple):
        return list(x)
    return [getattr(x, a.name) for a in type(x).__attrs_attrs__]


def _rebuild(like, items):
    if isinstance(like, Mapping):
        by_key = dict(zip(_keys(like), items))
        return (
            type(like)((k, by_key[k]) for k in like)
            if type(like) is not dict
            else {k: by_key[k] for k in like}
        )
    if isinstance(like, tuple):
        return type(like)(*items) if hasattr(type(like), "_fields") else tuple(items)
    return type(like)(*items)


def flatten(structure):
    """The leaves of ``structure`` in TF's order."""
    if not is_nested(structure):
        return [structure]
    if type(structure) is tuple:  # the common case: a flat tuple of components
        for c in structure:
            if is_nested(c):
                break
        else:
            return list(structure)
    out = []
    for c in _children(structure):
        out.extend(flatten(c))
    return out


def pack_sequence_as(structure, flat):
    """Rebuilds ``structure`` with leaves taken in order from ``flat``."""
    if type(structure) is tuple and len(structure) == len(flat):
        for c in structure:
            if is_nested(c):
                break
        else:
            return tuple(flat)
    it = iter(flat)

    def build(s):
        if not is_nested(s):
            return next(it)
        return _rebuild(s, [build(c) for c in _children(s)])

    return build(structure)


def map_structure(fn, *structures):
    """``fn`` applied leaf-wise to structures of the same nesting."""
    first = structures[0]
    for s in structures[1:]:
        assert_same_structure(first, s)
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(first, [fn(*leaves) for leaves in zip(*flats)])


def assert_same_structure(a, b):
    if is_nested(a) != is_nested(b) or (
        is_nested(a)
        and (
            len(_children(a)) != len(_children(b))
            or (isinstance(a, Mapping) and _keys(a) != _keys(b))
        )
    ):
        raise ValueError(
            "The two structures don't have the same nested structure.\n\n"
            f"First structure: {a}\n\nSecond structure: {b}"
        )
    if is_nested(a):
        for x, y in zip(_children(a), _children(b)):
            assert_same_structure(x, y)


def flatten_up_to(shallow, value):
    """The sub-structures of ``value`` at the leaves of ``shallow`` (TF's error messages)."""
    if not is_nested(shallow):
        return [value]
    if not is_nested(value):
        raise TypeError(
            "If shallow structure is a sequence, input must also be a sequence. "
            f"Input has type: '{type(value).__name__}'."
        )
    if isinstance(shallow, Mapping) and isinstance(value, Mapping):
        missing = [k for k in shallow if k not in value]
        if missing:
            raise ValueError(
                f"The shallow_tree's keys are not a subset of the input_tree's keys. "
                f"Shallow tree has keys {list(shallow)}, but the input tree has keys "
                f"{list(value)}."
            )
        vals = [value[k] for k in _keys(shallow)]
    else:
        vals = _children(value)
    kids = _children(shallow)
    if len(kids) != len(vals):
        raise ValueError(
            "The two structures don't have the same sequence length. Input structure has length "
            f"{len(vals)}, while shallow structure has length {len(kids)}."
        )
    out = []
    for s, v in zip(kids, vals):
        out.extend(flatten_up_to(s, v))
    return out


def map_structure_up_to(shallow, fn, *inputs):
    flats = [flatten_up_to(shallow, x) for x in inputs]
    return pack_sequence_as(shallow, [fn(*leaves) for leaves in zip(*flats)])


# ------------------------------------------------------------------------------ the specs


class NoneTensorSpec:
    """The spec of a ``None`` component of a dataset element."""

    __slots__ = ()
    shape = TensorShape([])
    dtype = None
    value_type = type(None)

    def is_compatible_with(self, other):
        return other is None or isinstance(other, NoneTensorSpec)

    def __eq__(self, other):
        return isinstance(other, NoneTensorSpec)

    def __hash__(self):
        return hash(NoneTensorSpec)

    def __repr__(self):
        return "NoneTensorSpec()"


@tf_export("data.DatasetSpec")
class DatasetSpec:
    """Type specification of a ``tf.data.Dataset`` (the elements of ``window``).

    Example:
      >>> tf.data.DatasetSpec(tf.TensorSpec([], tf.int64))
      DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorShape([]))
    """

    __slots__ = ("_dataset_shape", "_element_spec")

    def __init__(self, element_spec, dataset_shape=()):
        self._element_spec = element_spec
        self._dataset_shape = as_shape(dataset_shape)

    element_spec = property(lambda self: self._element_spec)
    shape = property(lambda self: self._dataset_shape)

    @property
    def value_type(self):
        from tensorlet.data_ops.dataset import DatasetV2

        return DatasetV2

    @staticmethod
    def from_value(value):
        return DatasetSpec(value.element_spec)

    def is_compatible_with(self, other):
        if not isinstance(other, DatasetSpec):
            other = getattr(other, "element_spec", None)
            return other is not None and _compatible(self._element_spec, other)
        return _compatible(self._element_spec, other._element_spec)

    def __eq__(self, other):
        return (
            isinstance(other, DatasetSpec)
            and self._element_spec == other._element_spec
            and self._dataset_shape == other._dataset_shape
        )

    def __hash__(self):
        return hash((DatasetSpec, repr(self._element_spec)))

    def __repr__(self):
        return f"DatasetSpec({self._element_spec!r}, {self._dataset_shape!r})"


def _compatible(a, b):
    try:
        assert_same_structure(a, b)
    except (ValueError, TypeError):
        return False
    return all(x == y or common_supertype(x, y) is not None for x, y in zip(flatten(a), flatten(b)))


def spec_of_leaf(value):
    """The spec of one normalized component."""
    if isinstance(value, Tensor):
        return TensorSpec(value.shape, value.dtype)
    if isinstance(value, RaggedTensor):
        return RaggedTensorSpec(value.shape, value.dtype, value.ragged_rank, value.row_splits.dtype)
    if isinstance(value, SparseTensor):
        return SparseTensorSpec(value.shape, value.dtype)
    if value is None:
        return NoneTensorSpec()
    if hasattr(value, "_is_dataset"):
        return DatasetSpec(value.element_spec)
    raise TypeError(f"Could not build a `TypeSpec` for {value!r} with type {type(value).__name__}")


def spec_of(element):
    """The structure of specs of a normalized element."""
    return pack_sequence_as(element, [spec_of_leaf(v) for v in flatten(element)])


def _normalize_leaf(value, spec=None):
    if isinstance(value, (Tensor, RaggedTensor, SparseTensor)) or value is None:
        if (
            spec is not None
            and getattr(spec, "dtype", None) is not None
            and not (value is None)
            and value.dtype != spec.dtype
        ):
            return convert_to_tensor(value, dtype=spec.dtype)
        return value
    if hasattr(value, "_is_dataset"):
        return value
    if getattr(value, "_is_variable", False):
        return value.value()
    if type(value).__name__ == "SparseTensorValue":
        return SparseTensor.from_value(value)
    dtype = getattr(spec, "dtype", None)
    return convert_to_tensor(value, dtype=dtype)


def normalize_element(element, element_signature=None):
    """Converts every leaf that is not a tensor/ragged/sparse/dataset/None into a tensor."""
    if element_signature is None:
        leaves = flatten(element)
        return pack_sequence_as(element, [_normalize_leaf(v) for v in leaves])
    leaves = flatten_up_to(element_signature, element)
    specs = flatten(element_signature)
    return pack_sequence_as(
        element_signature, [_normalize_leaf(v, s) for v, s in zip(leaves, specs)]
    )


def normalize_output(ret):
    """A function's return value as a dataset element: a top-level list becomes a tuple."""
    if type(ret) is list:
        ret = tuple(ret)
    return normalize_element(ret)


# ---------------------------------------------------------------------------- spec algebra


def relax_leaf(spec):
    """The spec with every dimension unknown (its rank kept)."""
    if isinstance(spec, TensorSpec):
        rank = spec.shape.rank
        return TensorSpec(None if rank is None else [None] * rank, spec.dtype)
    if isinstance(spec, RaggedTensorSpec):
        rank = spec.shape.rank
        return RaggedTensorSpec(
            None if rank is None else [None] * rank,
            spec.dtype,
            spec.ragged_rank,
            spec.row_splits_dtype,
        )
    if isinstance(spec, SparseTensorSpec):
        rank = spec.shape.rank
        return SparseTensorSpec(None if rank is None else [None] * rank, spec.dtype)
    return spec


def relax(structure):
    return pack_sequence_as(structure, [relax_leaf(s) for s in flatten(structure)])


def common_supertype(a, b):
    """The most specific spec describing both leaf specs ``a`` and ``b``, or None."""
    if type(a) is not type(b):
        return None
    if isinstance(a, (NoneTensorSpec,)):
        return a
    if isinstance(a, DatasetSpec):
        return a if _compatible(a.element_spec, b.element_spec) else None
    if a.dtype != b.dtype:
        return None
    shape = a.shape.most_specific_compatible_shape(b.shape)
    if isinstance(a, TensorSpec):
        return TensorSpec(shape, a.dtype)
    if isinstance(a, RaggedTensorSpec):
        if a.ragged_rank != b.ragged_rank or a.row_splits_dtype != b.row_splits_dtype:
            return None
        return RaggedTensorSpec(shape, a.dtype, a.ragged_rank, a.row_splits_dtype)
    return SparseTensorSpec(shape, a.dtype)


def common_structure(a, b, what="dataset elements"):
    """Leaf-wise common supertype of two spec structures; TypeError when incompatible."""
    try:
        assert_same_structure(a, b)
        flat = [common_supertype(x, y) for x, y in zip(flatten(a), flatten(b))]
    except (ValueError, TypeError):
        flat = [None]
    if any(s is None for s in flat):
        raise TypeError(f"Incompatible {what}:\n  {a} vs. \n  {b}")
    return pack_sequence_as(a, flat)


def batch_spec_leaf(spec, batch_size):
    """The spec of ``batch_size`` stacked components (``None``: unknown batch size)."""
    if isinstance(spec, TensorSpec):
        return TensorSpec(TensorShape([batch_size]).concatenate(spec.shape), spec.dtype)
    if isinstance(spec, RaggedTensorSpec):
        return RaggedTensorSpec(
            TensorShape([batch_size]).concatenate(spec.shape),
            spec.dtype,
            spec.ragged_rank + 1,
            spec.row_splits_dtype,
        )
    if isinstance(spec, SparseTensorSpec):
        return SparseTensorSpec(TensorShape([batch_size]).concatenate(spec.shape), spec.dtype)
    if isinstance(spec, NoneTensorSpec):
        return spec
    raise TypeError(f"Batching of components of type {spec} is not supported.")


def unbatch_spec_leaf(spec):
    rank = spec.shape.rank
    if rank == 0:
        raise ValueError("Cannot unbatch an input with scalar components.")
    if isinstance(spec, TensorSpec):
        return TensorSpec(spec.shape[1:], spec.dtype)
    if isinstance(spec, RaggedTensorSpec):
        shape = spec.shape[1:] if rank is not None else None
        if spec.ragged_rank == 0:
            return TensorSpec(shape, spec.dtype)
        # TF keeps a RaggedTensorSpec (ragged_rank 0 for the rows of a 2-D ragged tensor: its
        # values are plain tensors, which batch back into a RaggedTensor)
        return RaggedTensorSpec(shape, spec.dtype, spec.ragged_rank - 1, spec.row_splits_dtype)
    if isinstance(spec, SparseTensorSpec):
        return SparseTensorSpec(spec.shape[1:] if rank is not None else None, spec.dtype)
    if isinstance(spec, NoneTensorSpec):
        return spec
    raise TypeError(f"Unbatching of components of type {spec} is not supported.")


def is_compatible(spec, value):
    """True when the normalized ``value`` fits ``spec`` (structure, dtypes, shapes)."""
    try:
        assert_same_structure(spec, value)
    except (ValueError, TypeError):
        return False
    for s, v in zip(flatten(spec), flatten(value)):
        if isinstance(s, NoneTensorSpec):
            if v is not None:
                return False
        elif not s.is_compatible_with(v):
            return False
    return True


# ------------------------------------------------------------------- batching the values


def _array(t):
    v = t._value
    return v if type(v) is xp.ndarray else xp.asarray(v)


def stack_leaf(values, op_name="BatchDatasetV2", index=0, spec=None):
    """Stacks the components ``values`` (all of one kind) along a new first axis; components of
    a ``RaggedTensorSpec`` stack into a RaggedTensor."""
    if isinstance(spec, RaggedTensorSpec):
        from tensorlet.ragged_tensors import ragged_ops

        stacked = ragged_ops.stack(list(values), axis=0)
        splits_dtype = getattr(spec, "row_splits_dtype", None)
        if splits_dtype is not None and hasattr(stacked, "with_row_splits_dtype"):
            stacked = stacked.with_row_splits_dtype(splits_dtype)
        return stacked
    first = values[0]
    if isinstance(first, EagerTensor):
        arrays = [_array(v) for v in values]
        shape = arrays[0].shape
        for i, a in enumerate(arrays):
            if a.shape != shape:
                from tensorlet.framework import errors

                raise errors.op_error(
                    errors.InvalidArgumentError,
                    op_name,
                    (
                        f"Cannot batch tensors with different shapes in component {index}. First "
                        f"element had shape {list(shape)} and element {i} had shape {list(a.shape)}."
                    ),
                )
        return EagerTensor(xp.stack(arrays), first._dtype)
    if first is None:
        return None
    if isinstance(first, (RaggedTensor, Tensor)):
        from tensorlet.ragged_tensors import ragged_ops

        return ragged_ops.stack(list(values), axis=0)
    if isinstance(first, SparseTensor):
        return _stack_sparse(values)
    raise TypeError(f"Cannot batch components of type {type(first).__name__}.")


def _stack_sparse(values):
    rank = len(values[0].shape)
    dense = [max(int(v.dense_shape.numpy()[d]) for v in values) for d in range(rank)]
    idx, vals = [], []
    for i, v in enumerate(values):
        ind = xp.asarray(v.indices.numpy(), dtype=xp.int64)
        idx.append(xp.concatenate([xp.full((ind.shape[0], 1), i, dtype=xp.int64), ind], axis=1))
        vals.append(xp.asarray(v.values.numpy()))
    return SparseTensor(
        EagerTensor(xp.concatenate(idx, axis=0).reshape(-1, rank + 1), dtypes.int64),
        EagerTensor(xp.concatenate(vals, axis=0), values[0].dtype),
        EagerTensor(xp.array([len(values)] + dense, dtype=xp.int64), dtypes.int64),
    )


def batch_elements(elements, op_name="BatchDatasetV2", spec=None):
    """Stacks a list of elements of one structure component-wise (``spec``: their spec)."""
    first = elements[0]
    if not is_nested(first):
        return stack_leaf(elements, op_name, 0, spec)
    flats = [flatten(e) for e in elements]
    specs = flatten(spec) if spec is not None else [None] * len(flats[0])
    return pack_sequence_as(
        first,
        [
            stack_leaf(list(col), op_name, i, s)
            for i, (col, s) in enumerate(zip(zip(*flats), specs))
        ],
    )


def unbatch_leaf(value):
    """The rows of one component (a list)."""
    if isinstance(value, EagerTensor):
        arr = _array(value)
        if arr.ndim == 0:
            raise ValueError("Cannot unbatch an input with scalar components.")
        d = value._dtype
        return [EagerTensor(arr[i], d) for i in range(arr.shape[0])]
    if value is None:
        return None
    if isinstance(value, RaggedTensor):
        return [
            value[i]
            for i in range(value.nrows_int() if hasattr(value, "nrows_int") else int(value.nrows()))
        ]
    if isinstance(value, SparseTensor):
        return _sparse_rows(value)
    raise TypeError(f"Cannot unbatch components of type {type(value).__name__}.")


def _sparse_rows(sp):
    """The rows of a SparseTensor: rank - 1 SparseTensors (TF's unbatching)."""
    indices = xp.asarray(sp.indices.numpy(), dtype=xp.int64)
    values = xp.asarray(sp.values.numpy())
    shape = [int(d) for d in sp.dense_shape.numpy()]
    rows = []
    for i in range(shape[0]):
        mask = indices[:, 0] == i
        rows.append(
            SparseTensor(
                EagerTensor(indices[mask][:, 1:].reshape(-1, len(shape) - 1), dtypes.int64),
                EagerTensor(values[mask], sp.dtype),
                EagerTensor(xp.array(shape[1:], dtype=xp.int64), dtypes.int64),
            )
        )
    return rows


def unbatch_element(element):
    """The rows of a batched element (a list of elements)."""
    leaves = flatten(element)
    cols = [unbatch_leaf(v) for v in leaves]
    n = None
    for c in cols:
        if c is not None:
            if n is not None and len(c) != n:
                from tensorlet.framework import errors

                raise errors.op_error(
                    errors.InvalidArgumentError,
                    "UnbatchDataset",
                    (
                        "Input element must have the same batch size in each component. Component 0 "
                        f"had size {n} but component had size {len(c)}."
                    ),
                )
            n = len(c)
    n = n or 0
    if not is_nested(element):
        return cols[0] if cols[0] is not None else [None] * n
    rows = []
    for i in range(n):
        rows.append(pack_sequence_as(element, [None if c is None else c[i] for c in cols]))
    return rows


SparseTensorValue = collections.namedtuple(
    "SparseTensorValue", ["indices", "values", "dense_shape"]
)


def to_numpy(value):
    """A component as NumPy, like ``as_numpy_iterator`` (read-only arrays)."""
    if value is None:
        return None
    if hasattr(value, "_is_dataset"):
        raise TypeError(
            "Dataset.as_numpy_iterator() is not supported for datasets that produce "
            "values of type <class 'tensorflow.python.data.ops.dataset_ops."
            "DatasetSpec'>"
        )
    if isinstance(value, SparseTensor):
        return SparseTensorValue(
            value.indices.numpy(), value.values.numpy(), value.dense_shape.numpy()
        )
    out = value.numpy()
    if type(out) is xp.ndarray:
        out = out.view()
        out.flags.writeable = False
    return out
