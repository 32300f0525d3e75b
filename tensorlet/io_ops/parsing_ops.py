"""``tf.io.parse_example``, ``parse_single_example``, ``parse_sequence_example`` and
``parse_single_sequence_example``: serialized ``tf.train.Example`` / ``SequenceExample`` protos
to tensors, through the ops ``ParseExampleV2`` and ``ParseSequenceExampleV2``.

The ops take the parse configuration as one hashable attr (``parsing_config.normalize``) and
give a flat list of outputs: a VarLen / SparseFeature gives (indices, values, dense_shape), a
FixedLen feature one dense tensor, a RaggedFeature (values, row_splits...). The public
functions reassemble ``SparseTensor`` / ``RaggedTensor`` values from them. Errors are TF's
(``Feature: id (data type: int64) is required but could not be found.``, ``Name: <unknown>, Key:
score, Index: 0.  Number of float values != expected. ...``).
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.io_ops import example_pb
from tensorlet.io_ops._rules import as_bytes, string_array
from tensorlet.io_ops.message import c_escape
from tensorlet.io_ops.parsing_config import normalize
from tensorlet.io_ops.tensor_proto import TF_TYPE_NAMES
from tensorlet.io_ops.wire import DecodeError
from tensorlet.ops.op_def import apply, defop, dtype_mismatch
from tensorlet.ragged_tensors.ragged_tensor import RaggedTensor
from tensorlet.sparse_tensors.sparse_tensor import SparseTensor

D = dtypes
_KIND_OF = {D.string: example_pb.BYTES, D.float32: example_pb.FLOAT, D.int64: example_pb.INT64}
_KIND_TYPE = {example_pb.BYTES: "string", example_pb.FLOAT: "float", example_pb.INT64: "int64"}
_NP = {D.float32: xp.float32, D.int64: xp.int64}


# ---------------------------------------------------------------- shared helpers


def _error(op_name, message):
    return errors.op_error(errors.InvalidArgumentError, op_name, message)


def _shape_str(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _array(values, dtype):
    if dtype is D.string:
        return string_array(list(values))
    return xp.array(values, dtype=_NP[dtype])


def _decode_all(serialized, decode, op_name):
    out = []
    for s in serialized.reshape(-1):
        b = as_bytes(s)
        try:
            out.append(decode(b))
        except (DecodeError, UnicodeDecodeError):
            raise _error(
                op_name, f"Could not parse example input, value: '{c_escape(b)}'"
            ) from None
    return out


def _names(names, n):
    flat = [as_bytes(s).decode("utf-8", "replace") for s in names.reshape(-1)]
    return flat if len(flat) == n else ["<unknown>"] * n


class _Ctx:
    """Where a feature is read from: for error messages."""

    def __init__(self, op_name, names):
        self.op_name = op_name
        self.names = names

    def values(self, feature, key, dtype, i):
        """The values of ``feature`` ((kind, values) or None) checked against ``dtype``."""
        if feature is None or feature[0] is None:
            return None
        kind, values = feature
        if kind != _KIND_OF[dtype]:
            raise _error(
                self.op_name,
                f"Name: {self.names[i]}, Key: {key}, Index: {i}.  Data types don't match. "
                f"Data type: {_KIND_TYPE[kind]} but expected type: {TF_TYPE_NAMES[dtype]}",
            )
        return values


def _sparse(rows, dtype, batched):
    """(indices, values, dense_shape) of per-example value lists."""
    idx, vals, width = [], [], 0
    for i, v in enumerate(rows):
        width = max(width, len(v))
        idx.extend([i, j] if batched else [j] for j in range(len(v)))
        vals.extend(v)
    rank = 2 if batched else 1
    indices = xp.array(idx, dtype=xp.int64).reshape(-1, rank)
    shape = xp.array([len(rows), width] if batched else [width], dtype=xp.int64)
    return indices, _array(vals, dtype), shape


def _splits(lengths, dtype):
    out = xp.zeros(len(lengths) + 1, dtype=dtype._np)
    out[1:] = xp.cumsum(lengths) if lengths else []
    return out


def _dense(ctx, rows, key, dtype, shape, default, batched):
    n = 1
    for d in shape:
        n *= d
    out = []
    for i, v in enumerate(rows):
        if v is None:
            if default is None:
                raise _error(
                    ctx.op_name,
                    f"Feature: {key} (data type: {TF_TYPE_NAMES[dtype]}) is "
                    "required but could not be found.",
                )
            out.append(default.reshape(shape))
            continue
        if len(v) != n:
            raise _error(
                ctx.op_name,
                f"Name: {ctx.names[i]}, Key: {key}, Index: {i}.  Number of "
                f"{TF_TYPE_NAMES[dtype]} values != expected.  Values size: {len(v)} but "
                f"output shape: {_shape_str(shape)}",
            )
        out.append(_array(v, dtype).reshape(shape))
    if not batched:
        return out[0]
    np_t = object if dtype is D.string else _NP[dtype]
    return xp.stack(out) if out else xp.zeros((0,) + tuple(shape), dtype=np_t)


def _padded_sequences(ctx, seqs, key, dtype, shape, default, batched):
    """FixedLenSequenceFeature rows: each a flat value list of k * prod(shape) values."""
    stride = 1
    for d in shape:
        stride *= d
    blocks = []
    for i, v in enumerate(seqs):
        v = v or []
        if (stride == 0 and v) or (stride and len(v) % stride):
            raise _error(
                ctx.op_name,
                f"Name: {ctx.names[i]}, Key: {key}, Index: {i}.  Number of "
                f"{TF_TYPE_NAMES[dtype]} values is not a multiple of stride length. "
                f"Saw {len(v)} values but output shape is: {_shape_str(shape)}",
            )
        steps = len(v) // stride if stride else 0
        blocks.append(_array(v, dtype).reshape((steps, *shape)))
    steps = max((b.shape[0] for b in blocks), default=0)
    return _pad_blocks(blocks, steps, dtype, shape, default, batched)


def _pad_blocks(blocks, steps, dtype, shape, default, batched):
    pad = (b"" if dtype is D.string else 0) if default is None else default.reshape(-1)[0]
    np_t = object if dtype is D.string else _NP[dtype]
    out = xp.empty((len(blocks), steps) + tuple(shape), dtype=np_t)
    out[...] = pad
    for i, b in enumerate(blocks):
        out[i, : b.shape[0]] = b
    return out if batched else out[0]


def _sparse_feature(ctx, examples, entry, batched):
    _, key, index_keys, value_key, dtype, size, already_sorted = entry
    idx, vals = [], []
    for i, ex in enumerate(examples):
        v = ctx.values(ex.get(value_key), value_key, dtype, i) or []
        cols = [ctx.values(ex.get(k), k, D.int64, i) or [] for k in index_keys]
        for k, c in zip(index_keys, cols):
            if len(c) != len(v):
                raise _error(
                    ctx.op_name,
                    f"Name: {ctx.names[i]}, Key: {key}, Index: {i}.  "
                    f"SparseFeature index {k} has {len(c)} values but {value_key} has "
                    f"{len(v)}",
                )
        rows = list(zip(*cols, range(len(v)))) if v else []
        if not already_sorted:
            rows.sort()
        for r in rows:
            idx.append(([i] if batched else []) + list(r[:-1]))
            vals.append(v[r[-1]])
    rank = len(index_keys) + (1 if batched else 0)
    indices = xp.array(idx, dtype=xp.int64).reshape(-1, rank)
    shape = xp.array(([len(examples)] if batched else []) + list(size), dtype=xp.int64)
    return indices, _array(vals, dtype), shape


def _features_outputs(ctx, examples, config, defaults, batched):
    """The flat outputs of ``config`` entries over decoded feature dicts."""
    outs, d = [], iter(defaults)
    for entry in config:
        kind, key = entry[0], entry[1]
        if kind == "sparse":
            dtype = entry[2]
            rows = [ctx.values(ex.get(key), key, dtype, i) or [] for i, ex in enumerate(examples)]
            outs.extend(_sparse(rows, dtype, batched))
        elif kind == "dense":
            _, _, dtype, shape, has_default, seq = entry
            default = next(d) if has_default else None
            rows = [ctx.values(ex.get(key), key, dtype, i) for i, ex in enumerate(examples)]
            if seq is None:
                outs.append(_dense(ctx, rows, key, dtype, shape, default, batched))
            else:
                outs.append(_padded_sequences(ctx, rows, key, dtype, shape, default, batched))
        elif kind == "ragged":
            _, _, value_key, dtype, splits_dtype = entry
            rows = [
                ctx.values(ex.get(value_key), value_key, dtype, i) or []
                for i, ex in enumerate(examples)
            ]
            outs.append(_array([x for r in rows for x in r], dtype))
            outs.append(_splits([len(r) for r in rows], splits_dtype))
        else:
            outs.extend(_sparse_feature(ctx, examples, entry, batched))
    return outs


def _output_dtypes(config, sequence=False):
    out = []
    for entry in config:
        kind = entry[0]
        if kind in ("sparse", "sparse_feature"):
            out += [D.int64, entry[2] if kind == "sparse" else entry[4], D.int64]
        elif kind == "dense":
            out.append(entry[2])
        else:
            out += [entry[3], entry[4]] + ([entry[4]] if sequence else [])
    return out


def _output_shapes(config, batch, sequence=False, lead=()):
    """Static shapes; ``batch`` is None (scalar input) or the batch dimension (maybe None)."""
    b = [] if batch is False else [batch]
    out = []
    for entry in config:
        kind = entry[0]
        if kind in ("sparse", "sparse_feature"):
            extra = 1 if kind == "sparse" else len(entry[2])
            rank = len(b) + len(lead) + extra
            out += [TensorShape([None, rank]), TensorShape([None]), TensorShape([rank])]
        elif kind == "dense":
            steps = [None] if entry[5] is not None else []
            out.append(TensorShape(b + steps + list(entry[3])))
        else:
            n = None if batch is None else (batch + 1 if batch is not False else 2)
            out += [TensorShape([None]), TensorShape([None] if sequence else [n])]
            if sequence:
                out.append(TensorShape([None]))
    return out


def _check_dtypes(op, inputs, n_defaults_expected):
    if inputs[0].dtype is not D.string:
        raise dtype_mismatch(op, 0, D.string, inputs[0].dtype)
    if inputs[1].dtype is not D.string:
        raise dtype_mismatch(op, 1, D.string, inputs[1].dtype)


def _serialized_rank(op, shape):
    if shape.rank is not None and shape.rank > 1:
        raise _error(
            op.name, "Expected serialized to be a scalar or vector, got shape: " + _shape_str(shape)
        )
    if shape.rank == 0:
        return False
    return shape[0] if shape.rank == 1 else None


# ---------------------------------------------------------------- ParseExampleV2


def _parse_example_kernel(serialized, names, *defaults, config):
    if serialized.ndim > 1:
        raise ValueError("rank")
    batched = serialized.ndim == 1
    examples = _decode_all(serialized, example_pb.decode_example, "ParseExampleV2")
    ctx = _Ctx("ParseExampleV2", _names(names, len(examples)))
    return tuple(_features_outputs(ctx, examples, config, defaults, batched))


def _parse_example_dtypes(op, inputs, attrs):
    _check_dtypes(op, inputs, None)
    return tuple(_output_dtypes(attrs["config"]))


def _parse_example_shapes(op, inputs, attrs):
    batch = _serialized_rank(op, inputs[0].shape)
    return tuple(_output_shapes(attrs["config"], batch))


parse_example_op = defop(
    "ParseExampleV2",
    _parse_example_kernel,
    dtype_rule=_parse_example_dtypes,
    shape_rule=_parse_example_shapes,
    num_outputs=None,
)


def _defaults(features, config, sequence=False):
    out = []
    for entry in config:
        if entry[0] == "dense" and entry[4]:
            c = features[entry[1]]
            t = convert_to_tensor(c.default_value, dtype=entry[2])
            if entry[5] is None:
                n = 1
                for s in entry[3]:
                    n *= s
                if t.shape.num_elements() != n:
                    raise ValueError(
                        f"Cannot reshape a tensor with {t.shape.num_elements()} "
                        f"elements to shape {list(entry[3])} for the default value "
                        f"of {entry[1]}"
                    )
            out.append(t)
    return out


def _names_tensor(names):
    return convert_to_tensor([] if names is None else names, dtype=D.string)


def _assemble(config, outs, batched_rank):
    """``{key: Tensor | SparseTensor | RaggedTensor}`` from the flat op outputs."""
    result, it = {}, iter(outs)
    for entry in config:
        kind, key = entry[0], entry[1]
        if kind in ("sparse", "sparse_feature"):
            result[key] = make_sparse(next(it), next(it), next(it))
        elif kind == "dense":
            result[key] = next(it)
        else:
            values, splits = next(it), next(it)
            result[key] = make_ragged(values, [splits]) if batched_rank else values
    return result


@tf_export("io.parse_example", "compat.v1.io.parse_example", "compat.v1.parse_example")
def parse_example(serialized, features, example_names=None, name=None):
    """Parses a batch (vector) of serialized ``Example`` protos into a dict of tensors.

    ``features`` maps keys to ``FixedLenFeature`` (a dense ``[batch] + shape`` tensor),
    ``VarLenFeature`` / ``SparseFeature`` (a ``SparseTensor``), ``FixedLenSequenceFeature``
    with ``allow_missing=True`` (a zero-padded ``[batch, None] + shape`` tensor) or
    ``RaggedFeature`` (a ``RaggedTensor`` ``[batch, None]``).
    """
    if not features:
        raise ValueError("Argument `features` cannot be None.")
    config = normalize(features)
    serialized = convert_to_tensor(serialized, dtype=D.string)
    outs = apply(
        parse_example_op,
        serialized,
        _names_tensor(example_names),
        *_defaults(features, config),
        config=config,
        name=name,
    )
    return _assemble(config, outs, serialized.shape.rank != 0)


@tf_export(
    "io.parse_single_example", "compat.v1.io.parse_single_example", "compat.v1.parse_single_example"
)
def parse_single_example(serialized, features, example_names=None, name=None):
    """Parses one serialized ``Example`` (a scalar string) into a dict of tensors: like
    ``parse_example`` without the batch dimension.

    Example:
      >>> ex = tf.train.Example(features=tf.train.Features(feature={
      ...     "x": tf.train.Feature(int64_list=tf.train.Int64List(value=[7]))}))
      >>> parsed = tf.io.parse_single_example(ex.SerializeToString(),
      ...                                     {"x": tf.io.FixedLenFeature([], tf.int64)})
      >>> int(parsed["x"])
      7
    """
    serialized = convert_to_tensor(serialized, dtype=D.string)
    if serialized.shape.rank not in (None, 0):
        raise ValueError(f"Input serialized must be a scalar, got shape {serialized.shape}")
    if example_names is not None:
        example_names = [example_names]
    return parse_example(serialized, features, example_names, name)


# ---------------------------------------------------------------- ParseSequenceExampleV2


def _sequence_outputs(ctx, lists, config, defaults, batched):
    """Outputs of the sequence config over ``lists`` ({key: [(kind, values) per step]}).

    dense: padded ``[batch?, steps] + shape`` then lengths; sparse: indices over (batch?, step,
    position); ragged: values, inner splits (per step), outer splits (per example)."""
    outs, lengths, d = [], [], iter(defaults)
    for entry in config:
        kind, key = entry[0], entry[1]
        if kind == "dense":
            _, _, dtype, shape, has_default, (allow_missing,) = entry
            default = next(d) if has_default else None
            blocks = []
            for i, fl in enumerate(lists):
                steps = fl.get(key)
                if steps is None:
                    if not (allow_missing or has_default):
                        raise _error(
                            ctx.op_name,
                            f"Name: {ctx.names[i]}, Feature list '{key}' is required but "
                            "could not be found.  Did you mean to include it in "
                            "feature_list_dense_missing_assumed_empty or "
                            "feature_list_dense_defaults?",
                        )
                    steps = []
                rows = [ctx.values(f, key, dtype, s) or [] for s, f in enumerate(steps)]
                step_block = _dense(
                    _Ctx(ctx.op_name, [ctx.names[i]] * len(rows)),
                    rows,
                    key,
                    dtype,
                    shape,
                    None,
                    True,
                )
                blocks.append(step_block)
            n_steps = max((b.shape[0] for b in blocks), default=0)
            outs.append(_pad_blocks(blocks, n_steps, dtype, shape, default, batched))
            lens = xp.array([b.shape[0] for b in blocks], dtype=xp.int64)
            lengths.append(lens if batched else lens[0])
        elif kind == "sparse":
            dtype = entry[2]
            idx, vals, n_steps, width = [], [], 0, 0
            for i, fl in enumerate(lists):
                steps = fl.get(key) or []
                n_steps = max(n_steps, len(steps))
                for s, f in enumerate(steps):
                    v = ctx.values(f, key, dtype, i) or []
                    width = max(width, len(v))
                    idx.extend(([i] if batched else []) + [s, j] for j in range(len(v)))
                    vals.extend(v)
            rank = 3 if batched else 2
            outs.append(xp.array(idx, dtype=xp.int64).reshape(-1, rank))
            outs.append(_array(vals, dtype))
            outs.append(
                xp.array(([len(lists)] if batched else []) + [n_steps, width], dtype=xp.int64)
            )
        else:  # ragged
            _, _, value_key, dtype, splits_dtype = entry
            vals, inner, outer = [], [], []
            for i, fl in enumerate(lists):
                steps = fl.get(value_key) or []
                outer.append(len(steps))
                for f in steps:
                    v = ctx.values(f, value_key, dtype, i) or []
                    inner.append(len(v))
                    vals.extend(v)
            outs += [
                _array(vals, dtype),
                _splits(inner, splits_dtype),
                _splits(outer, splits_dtype),
            ]
    return outs, lengths


def _parse_sequence_kernel(serialized, names, *defaults, context, sequence):
    if serialized.ndim > 1:
        raise ValueError("rank")
    batched = serialized.ndim == 1
    decoded = _decode_all(serialized, example_pb.decode_sequence_example, "ParseSequenceExampleV2")
    ctx = _Ctx("ParseSequenceExampleV2", _names(names, len(decoded)))
    n_context = sum(1 for e in context if e[0] == "dense" and e[4])
    outs = _features_outputs(ctx, [c for c, _ in decoded], context, defaults[:n_context], batched)
    seq_outs, lengths = _sequence_outputs(
        ctx, [f for _, f in decoded], sequence, defaults[n_context:], batched
    )
    return tuple(outs + seq_outs + lengths)


def _n_lengths(sequence):
    return sum(1 for e in sequence if e[0] == "dense")


def _parse_sequence_dtypes(op, inputs, attrs):
    _check_dtypes(op, inputs, None)
    seq = attrs["sequence"]
    return tuple(
        _output_dtypes(attrs["context"])
        + _output_dtypes(seq, sequence=True)
        + [D.int64] * _n_lengths(seq)
    )


def _parse_sequence_shapes(op, inputs, attrs):
    batch = _serialized_rank(op, inputs[0].shape)
    seq = attrs["sequence"]
    lens = TensorShape([] if batch is False else [batch])
    return tuple(
        _output_shapes(attrs["context"], batch)
        + _output_shapes(seq, batch, sequence=True, lead=(None,))
        + [lens] * _n_lengths(seq)
    )


parse_sequence_example_op = defop(
    "ParseSequenceExampleV2",
    _parse_sequence_kernel,
    dtype_rule=_parse_sequence_dtypes,
    shape_rule=_parse_sequence_shapes,
    num_outputs=None,
)


def _parse_sequence(serialized, context_features, sequence_features, example_names, name):
    context = normalize(context_features or {})
    sequence = normalize(sequence_features or {}, sequence=True)
    if not context and not sequence:
        raise ValueError("Missing features.")
    serialized = convert_to_tensor(serialized, dtype=D.string)
    defaults = _defaults(context_features or {}, context) + _defaults(
        sequence_features or {}, sequence, sequence=True
    )
    outs = apply(
        parse_sequence_example_op,
        serialized,
        _names_tensor(example_names),
        *defaults,
        context=context,
        sequence=sequence,
        name=name,
    )
    batched = serialized.shape.rank != 0
    n_ctx = len(_output_dtypes(context))
    ctx_result = _assemble(context, outs[:n_ctx], batched)
    seq_result, lengths, it = {}, {}, iter(outs[n_ctx:])
    for entry in sequence:
        kind, key = entry[0], entry[1]
        if kind == "sparse":
            seq_result[key] = make_sparse(next(it), next(it), next(it))
        elif kind == "dense":
            seq_result[key] = next(it)
        else:
            values, inner, outer = next(it), next(it), next(it)
            seq_result[key] = make_ragged(values, [outer, inner] if batched else [inner])
    for entry in sequence:
        if entry[0] == "dense":
            lengths[entry[1]] = next(it)
    return ctx_result, seq_result, lengths


@tf_export("io.parse_sequence_example")
def parse_sequence_example(
    serialized, context_features=None, sequence_features=None, example_names=None, name=None
):
    """Parses a batch of serialized ``SequenceExample`` protos.

    Returns ``(context, feature_lists, feature_list_lengths)``: dicts of tensors for the
    context features, for the sequence features (``FixedLenSequenceFeature`` padded to
    ``[batch, max_steps] + shape``, ``VarLenFeature`` sparse, ``RaggedFeature`` ragged) and the
    number of steps of each dense sequence feature.
    """
    return _parse_sequence(serialized, context_features, sequence_features, example_names, name)


@tf_export(
    "io.parse_single_sequence_example",
    "compat.v1.io.parse_single_sequence_example",
    "compat.v1.parse_single_sequence_example",
)
def parse_single_sequence_example(
    serialized, context_features=None, sequence_features=None, example_name=None, name=None
):
    """Parses one serialized ``SequenceExample``: returns ``(context, feature_lists)`` dicts
    (``FixedLenSequenceFeature`` gives ``[steps] + shape``)."""
    serialized = convert_to_tensor(serialized, dtype=D.string)
    if serialized.shape.rank not in (None, 0):
        raise ValueError(f"Input serialized must be a scalar, got shape {serialized.shape}")
    names = None if example_name is None else [example_name]
    context, lists, _ = _parse_sequence(
        serialized, context_features, sequence_features, names, name
    )
    return context, lists


# ---------------------------------------------------------------- SparseTensor / RaggedTensor


def make_sparse(indices, values, dense_shape):
    return SparseTensor(indices, values, dense_shape)


def make_ragged(values, nested_splits):
    return RaggedTensor.from_nested_row_splits(values, nested_splits, validate=False)
