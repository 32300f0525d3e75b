"""Batching transformations: batch, padded_batch, ragged_batch, sparse_batch, unbatch, rebatch
(windows and groups are in ``grouping``)."""

from tensorlet.backend import xp
from tensorlet.data_ops import options as options_lib
from tensorlet.data_ops import structure
from tensorlet.data_ops.dataset import UnaryDataset
from tensorlet.data_ops.sources import _TensorSliceDataset
from tensorlet.framework import dtypes, errors
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape, as_shape
from tensorlet.framework.tensor_spec import TensorSpec
from tensorlet.ragged_tensors.ragged_tensor import RaggedTensorSpec

INF, UNK = options_lib.INFINITE, options_lib.UNKNOWN


def _int64(value):
    return int(convert_to_tensor(value, dtype=dtypes.int64)._value)


def _batch_size(value, op="BatchDatasetV2"):
    n = _int64(value)
    if n <= 0:
        raise errors.op_error(
            errors.InvalidArgumentError, op, "Batch size must be greater than zero."
        )
    return n


def _batched_cardinality(n, size, drop):
    if n in (INF, UNK):
        return n
    return n // size if drop else -(-n // size)


def _chunks(it, size, drop):
    """Lists of ``size`` consecutive elements (the last one shorter unless ``drop``)."""
    while True:
        chunk = []
        for el in it:
            chunk.append(el)
            if len(chunk) == size:
                break
        if len(chunk) < size and (drop or not chunk):
            return
        yield chunk


# ---------------------------------------------------------------------------------- batch


class _BatchDataset(UnaryDataset):
    """``batch(batch_size, drop_remainder)``: stacks consecutive elements component-wise."""

    def __init__(self, input_dataset, batch_size, drop_remainder):
        super().__init__(input_dataset)
        self._size = batch_size
        self._drop = bool(drop_remainder)

    def _compute_spec(self, peek):
        spec = self._input_spec(peek)
        if spec is None:
            return None
        dim = self._size if self._drop else None
        return structure.pack_sequence_as(
            spec, [structure.batch_spec_leaf(s, dim) for s in structure.flatten(spec)]
        )

    def _cardinality(self):
        return _batched_cardinality(self._input._cardinality(), self._size, self._drop)

    def _iterator(self):
        ds = self._input
        if (type(ds) is _TensorSliceDataset and ds._dense) or getattr(ds, "_dense_slices", False):
            return ds._batches(self._size, self._drop)
        spec = ds._spec_or_none()
        chunks = _chunks(ds._iterator(), self._size, self._drop)
        if spec is None or not any(
            isinstance(s, RaggedTensorSpec) for s in structure.flatten(spec)
        ):
            return map(structure.batch_elements, chunks)
        return (structure.batch_elements(c, spec=spec) for c in chunks)


class _ParallelBatchDataset(_BatchDataset):
    """``batch`` with ``num_parallel_calls`` (computed in order in tensorlet)."""


def batch(input_dataset, batch_size, drop_remainder=False, num_parallel_calls=None):
    size = _batch_size(batch_size)
    if num_parallel_calls is None:
        return _BatchDataset(input_dataset, size, drop_remainder)
    return _ParallelBatchDataset(input_dataset, size, drop_remainder)


# ---------------------------------------------------------------------------- padded_batch


def _default_padding(dtype):
    if dtype == dtypes.string:
        return ""
    return xp.zeros(
        (), dtype=xp.dtype(dtype.as_numpy_dtype) if dtype != dtypes.bfloat16 else xp.float32
    )


def _padded_shape(padded_shape, input_shape):
    """``padded_shape`` as a TensorShape (None = pad to the batch's longest), checked against
    the component's shape."""
    try:
        shape = as_shape(padded_shape)
        shape.as_list()
    except (TypeError, ValueError) as e:
        t = convert_to_tensor(padded_shape, dtype_hint=dtypes.int64)
        if t.shape.rank is not None and t.shape.rank != 1:
            raise ValueError(
                f"Padded shape {padded_shape} must be a `tf.int64` vector tensor, but "
                f"its shape was {t.shape}."
            ) from e
        if t.dtype != dtypes.int64:
            raise TypeError(
                f"Padded shape {padded_shape} must be a `tf.int64` vector tensor, but "
                f"its element type was {t.dtype.name}."
            ) from e
        shape = TensorShape([None if d < 0 else int(d) for d in t.numpy().tolist()])
    if shape.rank is not None:
        shape = TensorShape([None if d is not None and d < 0 else d for d in shape.as_list()])
    if not _paddable(shape, input_shape):
        raise ValueError(
            f"The padded shape {shape} is not compatible with the shape "
            f"{input_shape} of the corresponding input component."
        )
    return shape


def _paddable(padded, shape):
    if padded.rank is None or shape.rank is None:
        return True
    if padded.rank != shape.rank:
        return False
    return all(p is None or s is None or p >= s for p, s in zip(padded.as_list(), shape.as_list()))


def _padding_value(value, dtype):
    t = convert_to_tensor(value)
    if not t.shape.is_compatible_with(TensorShape([])):
        raise ValueError(
            f"Invalid `padding_values`. `padding_values` values should be scalars, "
            f"but got {t.shape}."
        )
    if t.dtype != dtype:
        raise TypeError(
            f"Invalid `padding_values`. `padding_values` values type {t.dtype} does "
            f"not match type {dtype} of the corresponding input component."
        )
    return t


class _PaddedBatchDataset(UnaryDataset):
    """``padded_batch``: each component padded to its padded shape, then stacked."""

    def __init__(self, input_dataset, batch_size, padded_shapes, padding_values, drop_remainder):
        super().__init__(input_dataset)
        self._size = _batch_size(batch_size, "PaddedBatchDatasetV2")
        self._drop = bool(drop_remainder)
        self._args = (padded_shapes, padding_values)
        self._plan = None
        spec = input_dataset._spec_or_none()
        if spec is not None:
            self._make_plan(spec)

    def _make_plan(self, spec):
        """Per component (flat): (padded TensorShape, padding value tensor)."""
        padded_shapes, padding_values = self._args
        for s in structure.flatten(spec):
            if not isinstance(s, TensorSpec):
                if isinstance(s, structure.DatasetSpec):
                    raise TypeError("`padded_batch` is not supported for datasets of datasets")
                raise TypeError(
                    f"`padded_batch` is only supported for datasets that produce "
                    f"tensor elements but type spec of elements in the input dataset "
                    f"is not a subclass of TensorSpec: `{s}`."
                )
        types = structure.map_structure(lambda s: s.dtype, spec)
        shapes = structure.map_structure(lambda s: s.shape, spec)
        if padded_shapes is None:
            for i, sh in enumerate(structure.flatten(shapes)):
                if sh.rank is None:
                    raise ValueError(
                        f"You must provide `padded_shapes` argument because "
                        f"component {i} has unknown rank."
                    )
            padded_shapes = shapes
        defaults = structure.map_structure(_default_padding, types)
        if padding_values is None:
            padding_values = defaults
        else:
            padding_values = structure.map_structure_up_to(
                padding_values, lambda v, d: d if v is None else v, padding_values, defaults
            )
        flat_padded = structure.flatten_up_to(shapes, padded_shapes)
        flat_shapes = [_padded_shape(p, s) for p, s in zip(flat_padded, structure.flatten(shapes))]
        if structure.is_nested(shapes) and not structure.is_nested(padding_values):
            padding_values = structure.map_structure(lambda _: padding_values, shapes)
        flat_values = structure.flatten(
            structure.map_structure_up_to(shapes, _padding_value, padding_values, types)
        )
        self._plan = (flat_shapes, flat_values)
        dim = self._size if self._drop else None
        self._spec = structure.pack_sequence_as(
            spec,
            [
                TensorSpec(TensorShape([dim]).concatenate(p), s.dtype)
                for p, s in zip(flat_shapes, structure.flatten(spec))
            ],
        )

    def _compute_spec(self, peek):
        if self._plan is None:
            if not peek:
                return None
            self._make_plan(self._input.element_spec)
        return self._spec

    def _cardinality(self):
        return _batched_cardinality(self._input._cardinality(), self._size, self._drop)

    def _iterator(self):
        if self._plan is None:
            self._make_plan(self._input.element_spec)
        shapes, values = self._plan
        chunks = _chunks(self._input._iterator(), self._size, self._drop)

        def gen():
            for chunk in chunks:
                flats = [structure.flatten(e) for e in chunk]
                cols = [
                    _pad_stack([row[i] for row in flats], shapes[i], values[i], i)
                    for i in range(len(shapes))
                ]
                yield structure.pack_sequence_as(chunk[0], cols)

        return gen()


def _pad_stack(tensors, padded, pad_value, index):
    arrays = [xp.asarray(t._value) for t in tensors]
    rank = arrays[0].ndim
    target = padded.as_list() if padded.rank is not None else [None] * rank
    for a in arrays:
        if a.ndim != len(target):
            raise errors.op_error(
                errors.InvalidArgumentError,
                "PaddedBatchDatasetV2",
                (
                    f"All elements in a batch must have the same rank as the padded shape for "
                    f"component{index}: expected rank {len(target)} but got element with rank "
                    f"{a.ndim}"
                ),
            )
    dims = []
    for d, want in enumerate(target):
        longest = max(a.shape[d] for a in arrays)
        if want is not None and longest > want:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "PaddedBatchDatasetV2",
                "Attempted to pad to a smaller size than the input element.",
            )
        dims.append(longest if want is None else want)
    out = xp.full([len(arrays)] + dims, xp.asarray(pad_value._value), dtype=arrays[0].dtype)
    for i, a in enumerate(arrays):
        out[(i,) + tuple(slice(0, s) for s in a.shape)] = a
    return EagerTensor(out, tensors[0]._dtype)


def padded_batch(
    input_dataset, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False
):
    return _PaddedBatchDataset(
        input_dataset, batch_size, padded_shapes, padding_values, drop_remainder
    )


# ------------------------------------------------------------------ ragged / sparse batches


class _DenseToRaggedDataset(UnaryDataset):
    """``ragged_batch``: components with unknown dimensions are batched as RaggedTensors."""

    def __init__(self, input_dataset, batch_size, drop_remainder, row_splits_dtype):
        super().__init__(input_dataset)
        self._size = _batch_size(batch_size)
        self._drop = bool(drop_remainder)
        self._splits = dtypes.as_dtype(row_splits_dtype)

    def _ragged(self, spec):
        return [
            isinstance(s, TensorSpec)
            and s.shape.rank not in (None, 0)
            and not s.shape.is_fully_defined()
            for s in structure.flatten(spec)
        ]

    def _compute_spec(self, peek):
        spec = self._input_spec(peek)
        if spec is None:
            return None
        dim = self._size if self._drop else None
        out = []
        for s, ragged in zip(structure.flatten(spec), self._ragged(spec)):
            if ragged:
                s = RaggedTensorSpec(s.shape, s.dtype, 0, self._splits)
            out.append(structure.batch_spec_leaf(s, dim))
        return structure.pack_sequence_as(spec, out)

    def _cardinality(self):
        return _batched_cardinality(self._input._cardinality(), self._size, self._drop)

    def _iterator(self):
        from tensorlet.ragged_tensors import ragged_ops

        ragged = self._ragged(self._input.element_spec)
        splits = self._splits

        def stack(chunk):
            flats = [structure.flatten(e) for e in chunk]
            cols = []
            for i, r in enumerate(ragged):
                col = [row[i] for row in flats]
                if r:
                    rt = ragged_ops.stack(col, axis=0)
                    cols.append(rt.with_row_splits_dtype(splits))
                else:
                    cols.append(structure.stack_leaf(col, index=i))
            return structure.pack_sequence_as(chunk[0], cols)

        return map(stack, _chunks(self._input._iterator(), self._size, self._drop))


class _DenseToSparseBatchDataset(UnaryDataset):
    """``sparse_batch(batch_size, row_shape)``: elements batched into a SparseTensor."""

    def __init__(self, input_dataset, batch_size, row_shape):
        super().__init__(input_dataset)
        self._size = _batch_size(batch_size, "DenseToSparseBatchDataset")
        self._row_shape = as_shape(row_shape)

    def _compute_spec(self, peek):
        from tensorlet.sparse_tensors.sparse_tensor import SparseTensorSpec

        spec = self._input_spec(peek)
        if spec is None:
            return None
        return SparseTensorSpec(TensorShape([None]).concatenate(self._row_shape), spec.dtype)

    def _cardinality(self):
        return _batched_cardinality(self._input._cardinality(), self._size, False)

    def _iterator(self):
        from tensorlet.sparse_tensors.sparse_tensor import SparseTensor

        row_shape = [d if d is not None else -1 for d in self._row_shape.as_list()]

        def to_sparse(chunk):
            idx, vals = [], []
            dense = [0] * len(row_shape)
            for b, t in enumerate(chunk):
                a = xp.asarray(t._value)
                for d, n in enumerate(a.shape):
                    if row_shape[d] >= 0 and n > row_shape[d]:
                        raise errors.op_error(
                            errors.InvalidArgumentError,
                            "DenseToSparseBatchDataset",
                            (
                                f"Input element had shape ({a.shape}) that is incompatible with the "
                                f"row shape ({self._row_shape})."
                            ),
                        )
                    dense[d] = max(dense[d], n)
                nz = xp.argwhere(xp.ones(a.shape, dtype=bool))
                idx.append(xp.concatenate([xp.full((len(nz), 1), b), nz], axis=1))
                vals.append(a.reshape(-1))
            shape = [len(chunk)] + [r if r >= 0 else d for r, d in zip(row_shape, dense)]
            return SparseTensor(
                EagerTensor(
                    xp.concatenate(idx).astype(xp.int64).reshape(-1, len(shape)), dtypes.int64
                ),
                EagerTensor(xp.concatenate(vals), chunk[0]._dtype),
                EagerTensor(xp.array(shape, dtype=xp.int64), dtypes.int64),
            )

        return map(to_sparse, _chunks(self._input._iterator(), self._size, False))


# ------------------------------------------------------------------------ unbatch, rebatch


class _UnbatchDataset(UnaryDataset):
    """``unbatch()``: every element split into its rows."""

    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        self._spec_or_none()  # validates (scalar components) when the spec is known

    def _compute_spec(self, peek):
        spec = self._input_spec(peek)
        if spec is None:
            return None
        return structure.pack_sequence_as(
            spec, [structure.unbatch_spec_leaf(s) for s in structure.flatten(spec)]
        )

    def _cardinality(self):
        n = self._input._cardinality()
        if n in (0, INF):
            return n
        spec = self._input._spec_or_none()
        if n == UNK or spec is None:
            return UNK
        dims = {s.shape[0] for s in structure.flatten(spec) if s.shape.rank}
        return n * dims.pop() if len(dims) == 1 and None not in dims else UNK

    def _iterator(self):
        def gen(it):
            for el in it:
                yield from structure.unbatch_element(el)

        return gen(self._input._iterator())


class _RebatchDataset(UnaryDataset):
    """``rebatch(batch_size)``: the rows of the input batches regrouped into batches of
    ``batch_size`` (a list of sizes is cycled through)."""

    def __init__(self, input_dataset, batch_size, drop_remainder=False):
        super().__init__(input_dataset)
        sizes = batch_size if isinstance(batch_size, (list, tuple)) else None
        if sizes is None:
            t = convert_to_tensor(batch_size, dtype=dtypes.int64)
            sizes = [int(v) for v in xp.asarray(t._value).reshape(-1)]
        self._sizes = [int(s) for s in sizes]
        if not self._sizes or any(s < 0 for s in self._sizes):
            raise errors.op_error(
                errors.InvalidArgumentError,
                "RebatchDatasetV2",
                "batch_sizes must be a vector of non-negative integers.",
            )
        self._drop = bool(drop_remainder)

    def _compute_spec(self, peek):
        spec = self._input_spec(peek)
        if spec is None:
            return None
        dim = self._sizes[0] if self._drop and len(set(self._sizes)) == 1 else None
        return structure.pack_sequence_as(
            spec,
            [
                structure.batch_spec_leaf(structure.unbatch_spec_leaf(s), dim)
                for s in structure.flatten(spec)
            ],
        )

    def _cardinality(self):
        return UNK

    def _iterator(self):
        sizes, drop = self._sizes, self._drop

        def gen(it):
            rows = (r for el in it for r in structure.unbatch_element(el))
            k = 0
            while True:
                size = sizes[k % len(sizes)]
                k += 1
                chunk = []
                for r in rows:
                    chunk.append(r)
                    if len(chunk) == size:
                        break
                if len(chunk) < size and (drop or not chunk):
                    return
                if chunk:
                    yield structure.batch_elements(chunk)

        return gen(self._input._iterator())
