"""Dtype and shape rules shared by the string-input ops of ``tensorlet.io_ops``."""

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops.op_def import dtype_mismatch

D = dtypes


def string_inputs(*out_dtypes, n=None):
    """Dtype rule: the first ``n`` inputs (all when None) are strings; outputs ``out_dtypes``."""

    def rule(op, inputs, attrs):
        for i, t in enumerate(inputs if n is None else inputs[:n]):
            if t.dtype is not D.string:
                raise dtype_mismatch(op, i, D.string, t.dtype)
        return out_dtypes

    return rule


def require_rank(op, shape, ranks, message):
    """Raises InvalidArgumentError ``message + shape`` unless ``shape``'s rank is in ``ranks``."""
    if shape.rank is not None and shape.rank not in ranks:
        raise errors.op_error(errors.InvalidArgumentError, op.name, message + _debug(shape))


def _debug(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def string_array(values, shape=None):
    """An object array of bytes (TF's string tensor storage) from a list of bytes."""
    out = xp.empty(len(values), dtype=object)
    out[:] = values
    return out if shape is None else out.reshape(shape)


def scalar_string(value):
    out = xp.empty((), dtype=object)
    out[()] = value
    return out


def as_bytes(v):
    return v.encode("utf-8") if isinstance(v, str) else bytes(v)


def unknown_vector():
    return TensorShape([None])
