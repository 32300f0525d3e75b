"""keras.utils.pad_sequences (all arguments, as Keras 3)."""

import numpy as np
import pytest

import tensorlet as tf

pad = tf.keras.utils.pad_sequences
SEQS = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10], []]


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({}, [[0, 0, 1, 2, 3], [0, 0, 0, 4, 5], [6, 7, 8, 9, 10], [0] * 5]),
        ({"maxlen": 3}, [[1, 2, 3], [0, 4, 5], [8, 9, 10], [0, 0, 0]]),
        ({"padding": "post"}, [[1, 2, 3, 0, 0], [4, 5, 0, 0, 0], [6, 7, 8, 9, 10], [0] * 5]),
        ({"truncating": "post", "maxlen": 3}, [[1, 2, 3], [0, 4, 5], [6, 7, 8], [0, 0, 0]]),
        ({"value": -1}, [[-1, -1, 1, 2, 3], [-1, -1, -1, 4, 5], [6, 7, 8, 9, 10], [-1] * 5]),
        (
            {"maxlen": 6, "value": 9},
            [[9, 9, 9, 1, 2, 3], [9, 9, 9, 9, 4, 5], [9, 6, 7, 8, 9, 10], [9] * 6],
        ),
    ],
)
def test_pad_sequences(kwargs, expected):
    out = pad(SEQS, **kwargs)
    assert out.dtype == np.int32 and out.tolist() == expected


def test_pad_sequences_dtypes_and_shapes():
    assert pad(SEQS, dtype="int64").dtype == np.int64
    out = pad(SEQS, dtype="float32", value=0.5)
    assert out.dtype == np.float32 and out[3].tolist() == [0.5] * 5
    assert pad([[1.7, 2.2], [3.9]]).tolist() == [[1, 2], [0, 3]]  # int32 truncates floats
    assert pad([[[1, 2], [3, 4]], [[5, 6]]]).tolist() == [[[1, 2], [3, 4]], [[0, 0], [5, 6]]]
    strings = pad([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert strings.tolist() == [["a", "b"], ["<pad>", "c"]]
    assert tf.keras.preprocessing.sequence.pad_sequences is pad


def test_pad_sequences_errors():
    with pytest.raises(ValueError, match="could not broadcast"):
        pad(SEQS, maxlen=0)
    with pytest.raises(ValueError, match="invalid literal for int"):
        pad([["a", "b"], ["c"]])
    with pytest.raises(ValueError, match="not compatible with `value`'s type"):
        pad([[1]], value="x")
    with pytest.raises(ValueError, match='Padding type "mid" not understood'):
        pad([[1]], padding="mid")
    with pytest.raises(ValueError, match="must be iterable"):
        pad(3)
