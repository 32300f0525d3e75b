"""The ``tf.strings`` ops whose results are ragged: split, bytes_split, unicode_decode,
unicode_split, unicode_encode (ragged input) and ngrams.

Rank conventions follow TF: a scalar input gives a dense 1-D result, a rank-N input a
RaggedTensor of rank N+1 (outer dimensions of a dense input become uniform), and a ragged input
maps its ``flat_values``.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import EagerTensor, Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.ops import array_ops
from tensorlet.ops import string_ops_unicode as U
from tensorlet.ops.op_def import apply
from tensorlet.ragged_tensors import ragged_conversion
from tensorlet.ragged_tensors.ragged_tensor import RaggedTensor, _int_tensor, _np

D = dtypes


def _string_input(x):
    if isinstance(x, RaggedTensor):
        if x.dtype != D.string:
            raise ValueError(
                f"Tensor conversion requested dtype string for RaggedTensor with "
                f"dtype {x.dtype.name}"
            )
        return x
    return x if isinstance(x, Tensor) else convert_to_tensor(x, dtype=D.string)


def _per_row(fn, x):
    """Applies ``fn`` (1-D dense -> RaggedTensor) with TF's rank conventions."""
    if isinstance(x, RaggedTensor):
        return x.with_flat_values(_per_row(fn, x.flat_values))
    rank = x.shape.rank
    if rank == 0:
        result = fn(array_ops.reshape(x, [1]))
        return result.values if isinstance(result, RaggedTensor) else result[0]
    if rank == 1:
        return fn(x)
    return _per_row(fn, ragged_conversion.from_tensor(x, None, None, rank - 1, D.int64))


def _from_sparse_parts(indices, values, dense_shape):
    rows = indices._value[:, 0]
    return RaggedTensor.from_value_rowids(
        values, _int_tensor(rows, D.int64), nrows=int(dense_shape._value[0]), validate=False
    )


@tf_export("strings.split")
def split(input, sep=None, maxsplit=-1, name=None):
    """Splits every string at ``sep`` (runs of whitespace when None, dropping empty tokens);
    at most ``maxsplit`` splits. A scalar gives a 1-D tensor, rank N a RaggedTensor of rank N+1.

    Example:
      >>> tf.strings.split(["hello world", "a b c"])
      <tf.RaggedTensor [[b'hello', b'world'], [b'a', b'b', b'c']]>
    """
    x = _string_input(input)
    return _per_row(lambda v: _from_sparse_parts(*U.split_v2(v, sep, maxsplit)), x)


def _sparse_or_ragged(rt, result_type):
    if result_type == "SparseTensor":
        return rt.to_sparse()
    if result_type == "RaggedTensor":
        return rt
    raise ValueError("result_type must be 'RaggedTensor' or 'SparseTensor'.")


@tf_export("compat.v1.string_split")
def string_split(
    source, sep=None, skip_empty=True, delimiter=None, result_type="SparseTensor", name=None
):
    """TF1 split of a 1-D string tensor: every character of ``sep`` (default ``" "``) is a
    delimiter (an empty ``sep`` splits into bytes); a SparseTensor by default."""
    if sep is not None and delimiter is not None:
        raise ValueError("Cannot specify both 'sep' and 'delimiter'.")
    sep = delimiter if sep is None else sep
    sep = " " if sep is None else sep
    x = _string_input(source)
    rt = _from_sparse_parts(
        *U.split_v1(array_ops.reshape(x, [-1]) if x.shape.rank == 0 else x, sep, skip_empty)
    )
    return _sparse_or_ragged(rt, result_type)


@tf_export("compat.v1.strings.split")
def split_v1(input=None, sep=None, maxsplit=-1, result_type="SparseTensor", source=None, name=None):
    """TF1 ``tf.strings.split``: the v2 split of a 1-D tensor as a SparseTensor (default) or
    RaggedTensor."""
    if input is not None and source is not None:
        raise ValueError("Cannot specify both 'input' and 'source'.")
    x = _string_input(source if input is None else input)
    if x.shape.rank != 1:
        raise ValueError("input must be a vector")
    return _sparse_or_ragged(split(x, sep, maxsplit), result_type)


@tf_export("strings.bytes_split")
def bytes_split(input, name=None):
    """Splits every string into its bytes (one string per byte).

    Example:
      >>> tf.strings.bytes_split("hello").numpy()
      array([b'h', b'e', b'l', b'l', b'o'], dtype=object)
    """
    x = _string_input(input)
    return _per_row(lambda v: _from_sparse_parts(*U.split_v1(v, b"", False)), x)


# ---------------------------------------------------------------- unicode decode / split


def _decode(
    input,
    input_encoding,
    errors,
    replacement_char,
    replace_control_characters,
    with_offsets,
    op_name,
):
    x = _string_input(input)
    attrs = U.decode_attrs(
        op_name, input_encoding, errors, replacement_char, replace_control_characters
    )

    def one(v):
        parts = U.decode_flat(v, with_offsets, **attrs)
        splits = parts[0]
        cps = RaggedTensor._make(parts[1], splits)
        return (cps, RaggedTensor._make(parts[2], splits)) if with_offsets else cps

    if not with_offsets:
        return _per_row(one, x)
    return (_per_row(lambda v: one(v)[0], x), _per_row(lambda v: one(v)[1], x))


@tf_export("strings.unicode_decode")
def unicode_decode(
    input,
    input_encoding,
    errors="replace",
    replacement_char=65533,
    replace_control_characters=False,
    name=None,
):
    """int32 code points of every string (a scalar gives 1-D, rank N a rank N+1 RaggedTensor).

    ``errors``: ``'replace'`` (invalid bytes become ``replacement_char``), ``'ignore'`` or
    ``'strict'`` (InvalidArgumentError).

    Example:
      >>> tf.strings.unicode_decode(["héllo"], "UTF-8")
      <tf.RaggedTensor [[104, 233, 108, 108, 111]]>
    """
    return _decode(
        input,
        input_encoding,
        errors,
        replacement_char,
        replace_control_characters,
        False,
        "UnicodeDecode",
    )


@tf_export("strings.unicode_decode_with_offsets")
def unicode_decode_with_offsets(
    input,
    input_encoding,
    errors="replace",
    replacement_char=65533,
    replace_control_characters=False,
    name=None,
):
    """``(codepoints, byte offsets)`` of every character (int32, int64)."""
    return _decode(
        input,
        input_encoding,
        errors,
        replacement_char,
        replace_control_characters,
        True,
        "UnicodeDecodeWithOffsets",
    )


def _chars(codepoints, encoding, errors, replacement_char):
    """Every code point of the ragged/dense ``codepoints`` encoded as its own string."""
    ragged = isinstance(codepoints, RaggedTensor)
    flat = codepoints.flat_values if ragged else codepoints
    n = int(flat.shape[0])
    singles = RaggedTensor._make(flat, _int_tensor(xp.arange(n + 1), D.int64))
    strings = unicode_encode(singles, encoding, errors, replacement_char)
    return codepoints.with_flat_values(strings) if ragged else strings


@tf_export("strings.unicode_split")
def unicode_split(input, input_encoding, errors="replace", replacement_char=65533, name=None):
    """Splits every string into its characters (re-encoded in ``input_encoding``).

    Example:
      >>> tf.strings.unicode_split("héllo", "UTF-8").numpy()
      array([b'h', b'\\xc3\\xa9', b'l', b'l', b'o'], dtype=object)
    """
    cps = unicode_decode(input, input_encoding, errors, replacement_char)
    return _chars(cps, input_encoding, errors, replacement_char)


@tf_export("strings.unicode_split_with_offsets")
def unicode_split_with_offsets(
    input, input_encoding, errors="replace", replacement_char=65533, name=None
):
    """``(characters, byte offsets)`` of every string."""
    cps, offsets = unicode_decode_with_offsets(input, input_encoding, errors, replacement_char)
    return _chars(cps, input_encoding, errors, replacement_char), offsets


# ---------------------------------------------------------------- unicode_encode


@tf_export("strings.unicode_encode")
def unicode_encode(input, output_encoding, errors="replace", replacement_char=65533, name=None):
    """Encodes int32 code point sequences (the innermost dimension) into strings.

    Example:
      >>> tf.strings.unicode_encode([72, 233, 108], "UTF-8").numpy()
      b'H\\xc3\\xa9l'
    """
    attrs = U.encode_attrs(output_encoding, errors, replacement_char)
    x = input if isinstance(input, RaggedTensor) else convert_to_tensor(input)
    if isinstance(x, RaggedTensor):
        if x.flat_values.shape.rank > 1:
            return x.with_flat_values(
                unicode_encode(x.flat_values, output_encoding, errors, replacement_char)
            )
        if x.ragged_rank > 1:
            return x.with_values(
                unicode_encode(x.values, output_encoding, errors, replacement_char)
            )
        splits = x.row_splits
        if splits.dtype != D.int64:
            splits = _int_tensor(_np(splits), D.int64)
        return apply(U.unicode_encode_op, x.values, splits, **attrs)
    rank = x.shape.rank
    if rank == 0:
        raise ValueError("input_tensor's rank must be at least 1.")
    if rank == 1:
        n = int(x.shape[0])
        splits = EagerTensor(xp.array([0, n], dtype=xp.int64), D.int64)
        return array_ops.reshape(apply(U.unicode_encode_op, x, splits, **attrs), [])
    dims = x.shape.as_list()
    flat = array_ops.reshape(x, [-1, dims[-1]])
    rt = ragged_conversion.from_tensor(flat, None, None, 1, D.int64)
    out = unicode_encode(rt, output_encoding, errors, replacement_char)
    return array_ops.reshape(out, dims[:-1])


# ---------------------------------------------------------------- ngrams


@tf_export("strings.ngrams")
def ngrams(
    data,
    ngram_width,
    separator=" ",
    pad_values=None,
    padding_width=None,
    preserve_short_sequences=False,
    name=None,
):
    """Joins every window of ``ngram_width`` consecutive strings of the innermost dimension.

    ``pad_values`` (a string or a ``(left, right)`` pair) pads each sequence with
    ``padding_width`` values (default ``ngram_width - 1``); ``preserve_short_sequences`` emits
    the whole (padded) sequence when it is too short for any n-gram.

    Example:
      >>> tf.strings.ngrams(["a", "b", "c"], 2).numpy()
      array([b'a b', b'b c'], dtype=object)
    """
    widths = (
        [int(ngram_width)]
        if not isinstance(ngram_width, (list, tuple))
        else [int(w) for w in ngram_width]
    )
    if pad_values is None:
        pads, pad_width = ("", ""), 0
    else:
        if isinstance(pad_values, (str, bytes)):
            pads = (pad_values, pad_values)
        elif (
            isinstance(pad_values, tuple)
            and len(pad_values) == 2
            and all(isinstance(p, (str, bytes)) for p in pad_values)
        ):
            pads = pad_values
        else:
            raise ValueError("pad_values must be a string, tuple of strings, or None.")
        pad_width = -1 if padding_width is None else int(padding_width)
        if padding_width is not None and pad_width < 1:
            raise ValueError("padding_width must be greater than 0.")
    pads = tuple(p.encode("utf-8") if isinstance(p, str) else p for p in pads)
    sep = separator.encode("utf-8") if isinstance(separator, str) else separator
    attrs = {
        "separator": sep,
        "ngram_widths": tuple(widths),
        "left_pad": pads[0],
        "right_pad": pads[1],
        "pad_width": pad_width,
        "preserve_short_sequences": bool(preserve_short_sequences),
    }
    return _ngrams(_string_input(data), attrs)


def _ngrams(data, attrs):
    if isinstance(data, RaggedTensor):
        if data.ragged_rank > 1:
            return data.with_values(_ngrams(data.values, attrs))
        values, splits = U.ngrams_flat(data.values, data.row_splits, **attrs)
        return RaggedTensor._make(values, splits)
    rank = data.shape.rank
    if rank == 0:
        raise ValueError("Data must have rank>0")
    if rank == 1:
        rt = RaggedTensor.from_row_splits(data, [0, int(data.shape[0])])
        return _ngrams(rt, attrs).values
    dims = data.shape.as_list()
    rt = ragged_conversion.from_tensor(data, None, None, rank - 1, D.int64)
    return array_ops.reshape(_ngrams(rt, attrs).flat_values, dims[:-1] + [-1])
