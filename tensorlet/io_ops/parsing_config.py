"""The feature configurations of ``tf.io.parse_example`` & co: ``FixedLenFeature``,
``VarLenFeature``, ``SparseFeature``, ``FixedLenSequenceFeature`` and ``RaggedFeature``
(namedtuples, as in TF), plus ``normalize``, which turns a ``{key: config}`` dict into the
hashable attr tuple the parsing ops take.
"""

import collections

from tensorlet.framework import dtypes
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor_shape import TensorShape

D = dtypes
PARSE_TYPES = (D.float32, D.int64, D.string)


@tf_export("io.FixedLenFeature", "compat.v1.io.FixedLenFeature", "compat.v1.FixedLenFeature")
class FixedLenFeature(
    collections.namedtuple("FixedLenFeature", ["shape", "dtype", "default_value"])
):
    """Configuration for parsing a fixed-length input feature: ``shape``, ``dtype`` and an
    optional ``default_value`` used when an example lacks the feature."""

    def __new__(cls, shape, dtype, default_value=None):
        return super().__new__(cls, shape, dtype, default_value)


@tf_export(
    "io.FixedLenSequenceFeature",
    "compat.v1.io.FixedLenSequenceFeature",
    "compat.v1.FixedLenSequenceFeature",
)
class FixedLenSequenceFeature(
    collections.namedtuple(
        "FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"]
    )
):
    """Configuration for parsing a variable-length input feature into a dense ``Tensor`` of
    ``[steps] + shape`` (``allow_missing``: a missing feature gives zero steps)."""

    def __new__(cls, shape, dtype, allow_missing=False, default_value=None):
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


@tf_export("io.VarLenFeature", "compat.v1.io.VarLenFeature", "compat.v1.VarLenFeature")
class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """Configuration for parsing a variable-length input feature into a ``SparseTensor``."""


@tf_export("io.SparseFeature", "compat.v1.io.SparseFeature", "compat.v1.SparseFeature")
class SparseFeature(
    collections.namedtuple(
        "SparseFeature", ["index_key", "value_key", "dtype", "size", "already_sorted"]
    )
):
    """Configuration for parsing a sparse input feature from an ``Example``: the values of
    ``value_key`` at the indices held by ``index_key`` (one key per dimension of ``size``)."""

    def __new__(cls, index_key, value_key, dtype, size, already_sorted=False):
        return super().__new__(cls, index_key, value_key, dtype, size, already_sorted)


@tf_export("io.RaggedFeature")
class RaggedFeature(
    collections.namedtuple(
        "RaggedFeature", ["dtype", "value_key", "partitions", "row_splits_dtype", "validate"]
    )
):
    """Configuration for passing a ``RaggedTensor`` input feature (the feature's values, one
    row per example; ``partitions`` are not supported here)."""

    def __new__(
        cls, dtype, value_key=None, partitions=(), row_splits_dtype=D.int32, validate=False
    ):
        return super().__new__(cls, dtype, value_key, partitions, row_splits_dtype, validate)


def _dtype(config, key):
    d = D.as_dtype(config.dtype)
    if d not in PARSE_TYPES:
        raise ValueError(
            f"Unsupported dtype {d.name} for feature {key!r}: an Example feature "
            "is float32, int64 or string."
        )
    return d


def _shape(shape, key):
    s = TensorShape(shape)
    if not s.is_fully_defined():
        raise ValueError(
            f"All dimensions of shape for feature {key} need to be known but received {list(s)}."
        )
    return tuple(s.as_list())


def normalize(features, sequence=False):
    """``{key: config}`` -> tuple of hashable entries, sorted by key (TF's order):

    ("sparse", key, dtype) | ("dense", key, dtype, shape, has_default, seq) |
    ("ragged", key, value_key, dtype, splits_dtype) |
    ("sparse_feature", key, index_keys, value_key, dtype, size, already_sorted).
    ``seq`` marks a FixedLenSequenceFeature: (allow_missing,) or None.
    """
    if not features:
        return ()
    entries = []
    for key in sorted(features):
        c = features[key]
        if isinstance(c, VarLenFeature):
            entries.append(("sparse", key, _dtype(c, key)))
        elif isinstance(c, FixedLenSequenceFeature):
            if not sequence and not c.allow_missing:
                raise ValueError(
                    "Unsupported: FixedLenSequenceFeature requires allow_missing to be True."
                )
            entries.append(
                (
                    "dense",
                    key,
                    _dtype(c, key),
                    _shape(c.shape, key),
                    c.default_value is not None,
                    (bool(c.allow_missing),),
                )
            )
        elif isinstance(c, FixedLenFeature):
            if sequence:
                raise ValueError(f"Unsupported feature type for a sequence feature: {key}")
            entries.append(
                (
                    "dense",
                    key,
                    _dtype(c, key),
                    _shape(c.shape, key),
                    c.default_value is not None,
                    None,
                )
            )
        elif isinstance(c, RaggedFeature):
            if c.partitions:
                raise NotImplementedError("RaggedFeature partitions are not supported.")
            entries.append(
                ("ragged", key, c.value_key or key, _dtype(c, key), D.as_dtype(c.row_splits_dtype))
            )
        elif isinstance(c, SparseFeature):
            index_keys = (c.index_key,) if isinstance(c.index_key, str) else tuple(c.index_key)
            size = (c.size,) if isinstance(c.size, int) else tuple(int(s) for s in c.size)
            if len(size) != len(index_keys):
                raise ValueError(
                    f"SparseFeature {key}: size {list(size)} and index_key "
                    f"{list(index_keys)} have different lengths."
                )
            entries.append(
                (
                    "sparse_feature",
                    key,
                    index_keys,
                    c.value_key,
                    _dtype(c, key),
                    size,
                    bool(c.already_sorted),
                )
            )
        else:
            raise ValueError(f"Unsupported feature type: {type(c).__name__}")  # noqa: TRY004
    return tuple(entries)
