"""Feature crosses: ``tf.ragged.cross`` / ``cross_hashed`` (op RaggedCross) and
``tf.sparse.cross`` / ``cross_hashed`` (ops SparseCrossV2 / SparseCross).

Every input is a rank-2 batch of features (RaggedTensor, SparseTensor or dense Tensor; int64
or string values). Row ``b`` of the result holds one cross per combination of one feature of
row ``b`` of every input, the last input varying fastest. A string cross joins the features
(ints printed in decimal) with ``"_X_"``; a hashed cross starts from ``hash_key`` and folds in
each feature with FarmHash's ``FingerprintCat64`` (a string feature contributes its
``Fingerprint64``, an int64 feature its own bits), then takes ``% num_buckets`` (or
``% (2**63 - 1)`` when ``num_buckets == 0``).

The ragged op keeps the inputs' order; the sparse ops, as in TF, cross the sparse inputs first
and the dense ones after them.
"""

import itertools

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops import cast_ops
from tensorlet.ops.op_def import apply, defop
from tensorlet.ops.string_ops_hash import fingerprint64
from tensorlet.ragged_tensors.ragged_tensor import RaggedTensor, convert_to_tensor_or_ragged_tensor
from tensorlet.sparse_tensors.sparse_tensor import SparseTensor

D = dtypes
_DEFAULT_HASH_KEY = 0xDECAFCAFFE
_K_MUL = xp.uint64(0xC6A4A7935BD1E995)
_INT64_MAX = xp.uint64(2**63 - 1)
_FEATURE_TYPES = (D.int64, D.string)


# ---------------------------------------------------------------- the crossing kernel


class _Column:
    """One input's features: ``values`` (1-D), and per batch row its first value and count."""

    __slots__ = ("counts", "starts", "values")

    def __init__(self, values, starts, counts):
        self.values, self.starts, self.counts = values, starts, counts


def _ragged_column(values, splits):
    s = splits.astype(xp.int64)
    return _Column(values, s[:-1], s[1:] - s[:-1])


def _dense_column(dense):
    batch, n = dense.shape
    return _Column(dense.reshape(-1), xp.arange(batch, dtype=xp.int64) * n, xp.full(batch, n))


def _combinations(columns, batch):
    """(row of every cross, [feature index into column i for every cross] per column)."""
    if not columns:
        return xp.zeros(0, xp.int64), [], xp.zeros(batch, xp.int64)
    counts = xp.stack([c.counts for c in columns]).astype(xp.int64)  # [ncols, batch]
    per_row = counts.prod(axis=0)
    rows = xp.repeat(xp.arange(batch, dtype=xp.int64), per_row)
    j = xp.arange(int(per_row.sum()), dtype=xp.int64) - xp.repeat(
        xp.cumsum(per_row) - per_row, per_row
    )
    picks = [None] * len(columns)
    for i in range(len(columns) - 1, -1, -1):  # mixed radix: the last column varies fastest
        n = counts[i][rows]
        picks[i] = columns[i].starts[rows] + j % n
        j = j // n
    return rows, picks, per_row


def _as_bytes(values):
    if values.dtype == object:
        return values
    out = xp.empty(values.shape[0], dtype=object)
    out[:] = [str(v).encode() for v in values.tolist()]
    return out


def _fingerprints(values):
    if values.dtype != object:
        return values.astype(xp.int64).view(xp.uint64)
    return xp.array([fingerprint64(v) for v in values.tolist()], dtype=xp.uint64)


def _cat64(fp1, fp2):
    """TF's FingerprintCat64 on uint64 arrays (products wrap modulo 2**64)."""
    with xp.errstate(over="ignore"):
        result = fp1 ^ _K_MUL
        t = fp2 * _K_MUL
        result ^= (t ^ (t >> xp.uint64(47))) * _K_MUL
        result *= _K_MUL
        result = (result ^ (result >> xp.uint64(47))) * _K_MUL
        return result ^ (result >> xp.uint64(47))


def _cross_values(columns, rows, picks, sep, hashed, num_buckets, hash_key):
    if hashed:
        h = xp.full(rows.shape[0], hash_key % 2**64, dtype=xp.uint64)
        for col, pick in zip(columns, picks):
            h = _cat64(h, _fingerprints(col.values)[pick])
        h %= xp.uint64(num_buckets) if num_buckets > 0 else _INT64_MAX
        return h.astype(xp.int64)
    out = xp.empty(rows.shape[0], dtype=object)
    if columns:
        out[:] = _as_bytes(columns[0].values)[picks[0]]
        for col, pick in zip(columns[1:], picks[1:]):
            out = out + sep + _as_bytes(col.values)[pick]
    return out


def _invalid(op, message):
    return errors.op_error(errors.InvalidArgumentError, op, message)


# ---------------------------------------------------------------- RaggedCross


def _split_inputs(arrays, order):
    nr, ns = order.count("R"), order.count("S")
    bounds = [0, nr, 2 * nr, 2 * nr + ns, 2 * nr + 2 * ns, 2 * nr + 3 * ns]
    parts = [list(arrays[a:b]) for a, b in itertools.pairwise(bounds)]
    return (*parts, list(arrays[bounds[-1] :]))


def _verify_splits(splits, nvals):
    if splits.shape[0] == 0 or splits[0] != 0:
        first = splits[0] if splits.shape[0] else "missing"
        raise _invalid("RaggedCross", f"Invalid ragged splits: first element of ragged splits "
                                      f" must be 0 but is {first}")  # fmt: skip
    if (splits[1:] < splits[:-1]).any():
        raise _invalid("RaggedCross", "Invalid ragged splits: ragged splits must be sorted in "
                                      "ascending order")  # fmt: skip
    if splits[-1] != nvals:
        raise _invalid("RaggedCross", f"Invalid ragged splits: last element of ragged splits  "
                                      f"must be the number of ragged values({nvals}) but is "
                                      f"{splits[-1]}")  # fmt: skip


def _sparse_rows(indices, batch):
    """RaggedCross's SparseFeatureReader: row ``r`` ends at the first value whose row (or an
    earlier value's row) is past ``r`` (exactly the row counts for ordered indices)."""
    rows = indices[:, 0] if indices.shape[0] else xp.zeros(0, xp.int64)
    ends = xp.searchsorted(xp.maximum.accumulate(rows), xp.arange(batch), side="right")
    splits = xp.concatenate([[0], ends]).astype(xp.int64)
    return splits[:-1], splits[1:] - splits[:-1]


def _ragged_cross_kernel(*arrays, input_order, hashed_output, num_buckets, hash_key,
                         out_values_type, out_row_splits_type):  # fmt: skip
    r_vals, r_splits, s_idx, s_vals, s_shape, dense = _split_inputs(arrays, input_order)
    rank2 = "tf.ragged.cross only supports inputs with rank=2."
    for v, s in zip(r_vals, r_splits):
        if v.ndim != 1 or s.ndim != 1:
            raise _invalid("RaggedCross", rank2)
        _verify_splits(s, v.shape[0])
    for i, (ix, v, sh) in enumerate(zip(s_idx, s_vals, s_shape)):
        if ix.ndim != 2 or v.ndim != 1 or sh.ndim != 1:
            raise _invalid("RaggedCross", f"Invalid SparseTensor {i}")
        if sh.shape[0] != 2:
            raise _invalid("RaggedCross", rank2)
    if any(d.ndim != 2 for d in dense):
        raise _invalid("RaggedCross", rank2)
    if r_splits:
        batch = r_splits[0].shape[0] - 1
    elif dense:
        batch = dense[0].shape[0]
    else:
        batch = int(s_shape[0][0]) if s_shape else 0
    sizes = [s.shape[0] - 1 for s in r_splits] + [int(sh[0]) for sh in s_shape]
    if any(n != batch for n in sizes + [d.shape[0] for d in dense]):
        raise _invalid("RaggedCross", "inputs must all have the same batch dimension size.")
    readers = {"R": iter(zip(r_vals, r_splits)), "S": iter(zip(s_idx, s_vals)), "D": iter(dense)}
    columns = []
    for c in input_order:
        item = next(readers[c])
        if c == "R":
            columns.append(_ragged_column(*item))
        elif c == "S":
            columns.append(_Column(item[1], *_sparse_rows(item[0], batch)))
        else:
            columns.append(_dense_column(item))
    rows, picks, per_row = _combinations(columns, batch)
    values = _cross_values(columns, rows, picks, b"_X_", hashed_output, num_buckets, hash_key)
    splits = xp.concatenate([[0], xp.cumsum(per_row)]).astype(out_row_splits_type.as_numpy_dtype)
    return values, splits


def _check_attr_min(op, attrs, name, minimum):
    if attrs[name] < minimum:
        raise _invalid(op.name, f"Value for attr '{name}' of {attrs[name]} must be at least "
                                f"minimum {minimum}")  # fmt: skip


def _check_feature_dtypes(op, tensors, attr):
    for t in tensors:
        if t.dtype not in _FEATURE_TYPES:
            raise _invalid(op.name, f"Value for attr '{attr}' of {t.dtype.name} is not in the "
                                    "list of allowed values: int64, string")  # fmt: skip


def _ragged_cross_dtypes(op, inputs, attrs):
    _check_attr_min(op, attrs, "num_buckets", 0)
    r_vals, _, _, s_vals, _, dense = _split_inputs(inputs, attrs["input_order"])
    _check_feature_dtypes(op, r_vals, "ragged_values_types")
    _check_feature_dtypes(op, s_vals, "sparse_values_types")
    _check_feature_dtypes(op, dense, "dense_types")
    return attrs["out_values_type"], attrs["out_row_splits_type"]


def _ragged_cross_shapes(op, inputs, attrs):
    _, r_splits, _, _, _, dense = _split_inputs(inputs, attrs["input_order"])
    n = None
    if r_splits and r_splits[0].shape.rank == 1:
        n = r_splits[0].shape[0]
    elif dense and dense[0].shape.rank == 2 and dense[0].shape[0] is not None:
        n = dense[0].shape[0] + 1
    return TensorShape([None]), TensorShape([n])


ragged_cross_op = defop(
    "RaggedCross",
    _ragged_cross_kernel,
    dtype_rule=_ragged_cross_dtypes,
    shape_rule=_ragged_cross_shapes,
    num_outputs=2,
)


def _ragged_cross(inputs, hashed_output, num_buckets=0, hash_key=None):
    if not isinstance(inputs, (tuple, list)):
        raise TypeError("Inputs must be a list")
    hash_key = _DEFAULT_HASH_KEY if hash_key is None else int(hash_key)
    groups, order = {"R": [], "S": [], "D": []}, []
    for i, t in enumerate(inputs):
        if isinstance(t, SparseTensor):
            t = SparseTensor.from_value(t)
        else:
            t = convert_to_tensor_or_ragged_tensor(t)
        if t.dtype.is_integer:
            t = _cast_int64(t)
        elif t.dtype != D.string:
            raise ValueError(f"Unexpected dtype for inputs[{i}]: {t.dtype}")
        if isinstance(t, RaggedTensor):
            if t.ragged_rank != 1:
                raise ValueError("tf.ragged.cross only supports inputs with rank=2")
            kind = "R"
        else:
            kind = "S" if isinstance(t, SparseTensor) else "D"
        groups[kind].append(t)
        order.append(kind)
    ragged = groups["R"]
    splits_type = (
        D.int32 if ragged and all(t.row_splits.dtype == D.int32 for t in ragged) else D.int64
    )
    if hash_key > 2**63:
        hash_key -= 2**64
    sparse = groups["S"]
    values, splits = apply(
        ragged_cross_op,
        *[t.values for t in ragged],
        *[t.row_splits for t in ragged],
        *[t.indices for t in sparse],
        *[t.values for t in sparse],
        *[t.dense_shape for t in sparse],
        *groups["D"],
        input_order="".join(order),
        hashed_output=hashed_output,
        num_buckets=int(num_buckets),
        hash_key=hash_key,
        out_values_type=D.int64 if hashed_output else D.string,
        out_row_splits_type=splits_type,
    )
    return RaggedTensor.from_row_splits(values, splits, validate=False)


def _cast_int64(t):
    if t.dtype == D.int64:
        return t
    if isinstance(t, RaggedTensor):
        return t.with_flat_values(cast_ops.cast(t.flat_values, D.int64))
    if isinstance(t, SparseTensor):
        return t.with_values(cast_ops.cast(t.values, D.int64))
    return cast_ops.cast(t, D.int64)


@tf_export("ragged.cross")
def cross(inputs, name=None):
    """Feature crosses of rank-2 inputs (RaggedTensor, SparseTensor or Tensor; int or string):
    row ``b`` holds every combination of one value per input's row ``b``, joined with "_X_".

    Example:
      >>> tf.ragged.cross([tf.ragged.constant([['a'], ['b', 'c']]),
      ...                  tf.ragged.constant([['d'], ['e']]),
      ...                  tf.ragged.constant([['f'], ['g']])])
      <tf.RaggedTensor [[b'a_X_d_X_f'], [b'b_X_e_X_g', b'c_X_e_X_g']]>
    """
    return _ragged_cross(inputs, hashed_output=False)


@tf_export("ragged.cross_hashed")
def cross_hashed(inputs, num_buckets=0, hash_key=None, name=None):
    """Hashed feature crosses (int64): the combinations of ``tf.ragged.cross``, each hashed by
    chaining ``FingerprintCat64`` from ``hash_key`` (default 0xDECAFCAFFE), modulo
    ``num_buckets`` when it is positive.

    Example:
      >>> tf.ragged.cross_hashed([tf.ragged.constant([['a'], ['b', 'c']]),
      ...                         tf.ragged.constant([['d'], ['e']]),
      ...                         tf.ragged.constant([['f'], ['g']])],
      ...                        num_buckets=100)
      <tf.RaggedTensor [[78], [66, 74]]>
    """
    return _ragged_cross(inputs, True, num_buckets, hash_key)


# ---------------------------------------------------------------- SparseCross / SparseCrossV2


def _sparse_cross_rows(indices, batch):
    """SparseCross's ExtractFeatureData: a pointer per input walks the values once; row ``b``
    takes the run of values (at the pointer) whose row index is ``b``."""
    rows = indices[:, 0]
    n = rows.shape[0]
    starts = xp.zeros(batch, xp.int64)
    counts = xp.zeros(batch, xp.int64)
    if n:
        first = xp.concatenate([[True], rows[1:] != rows[:-1]])
        run_starts = xp.flatnonzero(first)
        run_vals = rows[run_starts]
        run_lens = xp.diff(xp.concatenate([run_starts, [n]]))
        ok = (run_vals >= 0) & (run_vals < batch)
        ok[1:] &= run_vals[1:] > run_vals[:-1]
        stop = int(xp.argmin(ok)) if not ok.all() else ok.shape[0]
        starts[run_vals[:stop]] = run_starts[:stop]
        counts[run_vals[:stop]] = run_lens[:stop]
    return starts, counts


def _split_sparse_inputs(arrays, n):
    return arrays[:n], arrays[n : 2 * n], arrays[2 * n : 3 * n], arrays[3 * n :]


def _validate_sparse_cross(op, indices, values, shapes, dense):
    for i, ix in enumerate(indices):
        if ix.ndim != 2:
            raise _invalid(op, f"Input indices should be a matrix but received shape "
                               f"{_shape_str(ix)} at position {i}")  # fmt: skip
        if ix.shape[1] != 2:
            raise _invalid(op, f"Expected D2 of index to be 2 got {ix.shape[1]} at position {i}")
    for i, (ix, v) in enumerate(zip(indices, values)):
        if v.ndim != 1:
            raise _invalid(op, f"Input values should be a vector but received shape "
                               f"{_shape_str(v)} at position {i}")  # fmt: skip
        if ix.shape[0] != v.shape[0]:
            raise _invalid(op, f"Expected size of values to be {ix.shape[0]} got {v.shape[0]} "
                               f"at position {i}")  # fmt: skip
    for i, sh in enumerate(shapes):
        if sh.ndim != 1:
            raise _invalid(op, f"Input shapes should be a vector but received shape "
                               f"{_shape_str(sh)} at position {i}")  # fmt: skip
        if sh.shape[0] != 2:
            raise _invalid(op, f"shape should imply a 2D tensor, but got {_shape_str(sh)} at "
                               f"position {i}")  # fmt: skip
    for i, d in enumerate(dense):
        if d.ndim != 2:
            raise _invalid(op, f"Dense inputs should be a matrix but received shape "
                               f"{_shape_str(d)} at position {i}")  # fmt: skip
    batch = int(shapes[0][0]) if shapes else (dense[0].shape[0] if dense else 0)
    for i, sh in enumerate(shapes):
        if sh[0] != batch:
            raise _invalid(op, f"Expected batch size {batch} got {sh[0]} at position {i}")
    for i, d in enumerate(dense):
        if d.shape[0] != batch:
            raise _invalid(op, f"Expected batch size {batch} got {d.shape[0]} at dense tensor {i}")
    return batch


def _shape_str(a):
    return "[" + ",".join(str(d) for d in a.shape) + "]"


def _sparse_cross_outputs(op, arrays, n, sep, hashed, num_buckets, hash_key):
    indices, values, shapes, dense = _split_sparse_inputs(arrays, n)
    batch = _validate_sparse_cross(op, indices, values, shapes, dense)
    columns = [_Column(v, *_sparse_cross_rows(ix, batch)) for ix, v in zip(indices, values)]
    columns += [_dense_column(d) for d in dense]
    rows, picks, per_row = _combinations(columns, batch)
    out = _cross_values(columns, rows, picks, sep, hashed, num_buckets, hash_key)
    pos = xp.arange(rows.shape[0], dtype=xp.int64) - xp.repeat(
        xp.cumsum(per_row) - per_row, per_row
    )
    out_indices = xp.stack([rows, pos], axis=1).reshape(-1, 2)
    shape = xp.array([batch, int(per_row.max()) if batch else 0], dtype=xp.int64)
    return out_indices, out, shape


def _sparse_cross_v2_kernel(*arrays, N):
    sep = arrays[-1]
    if sep.ndim != 0:
        raise _invalid("SparseCrossV2", f"Input separator should be a scalar. Received: {sep}")
    return _sparse_cross_outputs("SparseCrossV2", arrays[:-1], N, sep.item(), False, 0, 0)


def _sparse_cross_kernel(*arrays, N, hashed_output, num_buckets, hash_key, out_type,
                         internal_type):  # fmt: skip
    return _sparse_cross_outputs("SparseCross", arrays, N, b"_X_", hashed_output, num_buckets,
                                 hash_key)  # fmt: skip


def _sparse_cross_dtypes(op, inputs, attrs):
    n = attrs["N"]
    indices, values, shapes, dense = _split_sparse_inputs(inputs, n)
    if op.name == "SparseCrossV2":
        dense = dense[:-1]
        if inputs[-1].dtype != D.string:
            raise _invalid(op.name, f"cannot compute {op.name} as input #{len(inputs) - 1}"
                                    f"(zero-based) was expected to be a string tensor but is a "
                                    f"{inputs[-1].dtype.name} tensor")  # fmt: skip
    else:
        _check_attr_min(op, attrs, "num_buckets", 0)
    for i, t in enumerate(list(indices) + list(shapes)):
        if t.dtype != D.int64:
            raise _invalid(op.name, f"cannot compute {op.name} as input #{i if i < n else i + n}"
                                    f"(zero-based) was expected to be a int64 tensor but is a "
                                    f"{t.dtype.name} tensor")  # fmt: skip
    _check_feature_dtypes(op, values, "sparse_types")
    _check_feature_dtypes(op, dense, "dense_types")
    out = attrs.get("out_type", D.string)
    return D.int64, out, D.int64


def _sparse_cross_shapes(op, inputs, attrs):
    return TensorShape([None, 2]), TensorShape([None]), TensorShape([2])


sparse_cross_op = defop(
    "SparseCross",
    _sparse_cross_kernel,
    dtype_rule=_sparse_cross_dtypes,
    shape_rule=_sparse_cross_shapes,
    num_outputs=3,
)
sparse_cross_v2_op = defop(
    "SparseCrossV2",
    _sparse_cross_v2_kernel,
    dtype_rule=_sparse_cross_dtypes,
    shape_rule=_sparse_cross_shapes,
    num_outputs=3,
)


def _sparse_and_dense(inputs, message):
    if not isinstance(inputs, (tuple, list)):
        raise TypeError("Inputs must be a list")
    if not all(isinstance(i, (SparseTensor, Tensor)) for i in inputs):
        raise TypeError(message)
    sparse = [i for i in inputs if isinstance(i, SparseTensor)]
    dense = [i for i in inputs if not isinstance(i, SparseTensor)]
    values = [_cast_int64(s.values) if s.dtype != D.string else s.values for s in sparse]
    dense = [_cast_int64(d) if d.dtype != D.string else d for d in dense]
    return sparse, values, dense


@tf_export("sparse.cross")
def sparse_cross(inputs, name=None, separator=None):
    """Sparse feature crosses of rank-2 SparseTensor / Tensor inputs (sparse inputs first,
    then dense), joined with ``separator`` (default "_X_").

    Example:
      >>> out = tf.sparse.cross([tf.constant([['a'], ['b']]), tf.constant([['c'], ['d']])],
      ...                       separator='_Y_')
      >>> out.values.numpy()
      array([b'a_Y_c', b'b_Y_d'], dtype=object)
    """
    sparse, values, dense = _sparse_and_dense(inputs, "All inputs must be Tensor or SparseTensor.")
    sep = convert_to_tensor("_X_" if separator is None else separator, D.string)
    indices, out, shape = apply(
        sparse_cross_v2_op,
        *[s.indices for s in sparse],
        *values,
        *[s.dense_shape for s in sparse],
        *dense,
        sep,
        N=len(sparse),
        name=name,
    )
    return SparseTensor(indices, out, shape)


@tf_export("sparse.cross_hashed")
def sparse_cross_hashed(inputs, num_buckets=0, hash_key=None, name=None):
    """Hashed sparse feature crosses (int64; sparse inputs first, then dense): each
    combination's features chained with ``FingerprintCat64`` from ``hash_key`` (default, and
    when 0: 0xDECAFCAFFE), modulo ``num_buckets`` when positive.

    Example:
      >>> out = tf.sparse.cross_hashed([tf.constant([['a'], ['b']]), tf.constant([['c'], ['d']])],
      ...                              num_buckets=1000)
      >>> out.indices.numpy().tolist(), out.dense_shape.numpy().tolist()
      ([[0, 0], [1, 0]], [2, 1])
    """
    sparse, values, dense = _sparse_and_dense(inputs, "All inputs must be SparseTensors")
    internal = D.int64 if any(t.dtype != D.string for t in values + dense) else D.string
    indices, out, shape = apply(
        sparse_cross_op,
        *[s.indices for s in sparse],
        *values,
        *[s.dense_shape for s in sparse],
        *dense,
        N=len(sparse),
        hashed_output=True,
        num_buckets=int(num_buckets),
        hash_key=int(hash_key or _DEFAULT_HASH_KEY),
        out_type=D.int64,
        internal_type=internal,
        name=name,
    )
    return SparseTensor(indices, out, shape)
