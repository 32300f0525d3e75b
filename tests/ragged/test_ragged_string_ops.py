"""tf.strings ops with ragged results: split, bytes_split, unicode_*, ngrams."""

import numpy as np
import pytest

import tensorlet as tf

SENT = ["hello  world", " a b ", "x,y,,z", ""]


def _list(x):
    return x.to_list() if isinstance(x, tf.RaggedTensor) else x.numpy().tolist()


def _b(nested):
    if isinstance(nested, list):
        return [_b(x) for x in nested]
    return nested.encode("utf-8") if isinstance(nested, str) else nested


@pytest.mark.parametrize(
    "args,kwargs,expected",
    [
        ((SENT,), {}, [["hello", "world"], ["a", "b"], ["x,y,,z"], []]),
        ((SENT,), {"sep": " "}, [["hello", "", "world"], ["", "a", "b", ""], ["x,y,,z"], [""]]),
        ((SENT,), {"sep": ","}, [["hello  world"], [" a b "], ["x", "y", "", "z"], [""]]),
        ((SENT,), {"sep": ",", "maxsplit": 1}, [["hello  world"], [" a b "], ["x", "y,,z"], [""]]),
        (("a b  c",), {}, ["a", "b", "c"]),
        (("a<>b<>c",), {"sep": "<>"}, ["a", "b", "c"]),
        (([["a b", "c"], ["d", ""]],), {}, [[["a", "b"], ["c"]], [["d"], []]]),
    ],
)
def test_split(args, kwargs, expected):
    out = tf.strings.split(*args, **kwargs)
    assert _list(out) == _b(expected)
    if isinstance(out, tf.RaggedTensor):
        assert out.dtype == tf.string and out.row_splits.dtype == tf.int64


def test_split_ragged_input_and_to_sparse():
    rt = tf.ragged.constant([["a b"], ["c", "d e"]])
    assert tf.strings.split(rt).to_list() == _b([[["a", "b"]], [["c"], ["d", "e"]]])
    st = tf.strings.split(["a b", "c"]).to_sparse()
    dense = tf.sparse.to_dense(st, default_value="<>")
    assert dense.numpy().tolist() == _b([["a", "b"], ["c", "<>"]])


def test_bytes_split():
    out = tf.strings.bytes_split("héllo")
    assert out.numpy().tolist() == [b"h", b"\xc3", b"\xa9", b"l", b"l", b"o"]
    assert tf.strings.bytes_split(["ab", ""]).to_list() == [[b"a", b"b"], []]


def test_unicode_decode_encode():
    s = ["你好世界", "héllo", "abc", ""]
    cps = tf.strings.unicode_decode(s, "UTF-8")
    assert cps.dtype == tf.int32
    assert cps.to_list() == [[ord(c) for c in x] for x in s]
    assert tf.strings.unicode_encode(cps, "UTF-8").numpy().tolist() == _b(s)
    assert tf.strings.unicode_decode("hé", "UTF-8").numpy().tolist() == [104, 233]
    cps, offsets = tf.strings.unicode_decode_with_offsets(["你好", "hé"], "UTF-8")
    assert offsets.dtype == tf.int64 and offsets.to_list() == [[0, 3], [0, 1]]
    assert tf.strings.unicode_encode([72, 233, 108], "UTF-8").numpy() == "Hél".encode()
    enc = tf.strings.unicode_encode([[104, 105], [33, 33]], "UTF-16-BE")
    assert enc.numpy().tolist() == ["hi".encode("utf-16-be"), "!!".encode("utf-16-be")]


@pytest.mark.parametrize(
    "errors,expected",
    [
        ("replace", [97, 98, 65533, 99]),
        ("ignore", [97, 98, 99]),
    ],
)
def test_unicode_decode_invalid(errors, expected):
    s = np.array([b"ab\xffc"], dtype=object)
    assert tf.strings.unicode_decode(s, "UTF-8", errors=errors).to_list() == [expected]


def test_unicode_decode_strict_and_truncated_sequences():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid formatting"):
        tf.strings.unicode_decode(np.array([b"\xff"], dtype=object), "UTF-8", errors="strict")
    # a truncated 3-byte sequence is one maximal subpart: one replacement character
    out = tf.strings.unicode_decode(np.array([b"\xe4\xbd!"], dtype=object), "UTF-8")
    assert out.to_list() == [[65533, 33]]
    out = tf.strings.unicode_decode(
        np.array([b"a\x01"], dtype=object), "UTF-8", replace_control_characters=True
    )
    assert out.to_list() == [[97, 65533]]


def test_unicode_split():
    assert tf.strings.unicode_split("héllo你", "UTF-8").numpy().tolist() == _b(
        ["h", "é", "l", "l", "o", "你"]
    )
    chars, offsets = tf.strings.unicode_split_with_offsets(["hé"], "UTF-8")
    assert chars.to_list() == [_b(["h", "é"])] and offsets.to_list() == [[0, 1]]


@pytest.mark.parametrize(
    "data,args,kwargs,expected",
    [
        (["a b c d", "x y", "z"], (2,), {}, [["a b", "b c", "c d"], ["x y"], []]),
        (
            ["a b c d", "x y"],
            ((2, 3),),
            {"separator": "_"},
            [["a_b", "b_c", "c_d", "a_b_c", "b_c_d"], ["x_y"]],
        ),
        (
            ["a b", "x"],
            (3,),
            {"pad_values": ("<s>", "</s>")},
            [
                ["<s> <s> a", "<s> a b", "a b </s>", "b </s> </s>"],
                ["<s> <s> x", "<s> x </s>", "x </s> </s>"],
            ],
        ),
        (["a b c"], (2,), {"pad_values": "#", "padding_width": 1}, [["# a", "a b", "b c", "c #"]]),
        (
            ["a b", "a b c d"],
            (3,),
            {"preserve_short_sequences": True},
            [["a b"], ["a b c", "b c d"]],
        ),
    ],
)
def test_ngrams(data, args, kwargs, expected):
    out = tf.strings.ngrams(tf.strings.split(data), *args, **kwargs)
    assert out.to_list() == _b(expected)


def test_ngrams_dense():
    assert tf.strings.ngrams(["a", "b", "c"], 2).numpy().tolist() == [b"a b", b"b c"]
    out = tf.strings.ngrams([["a", "b", "c"], ["d", "e", "f"]], 2)
    assert out.shape == [2, 2] and out.numpy().tolist() == _b([["a b", "b c"], ["d e", "e f"]])
    with pytest.raises(ValueError):
        tf.strings.ngrams(["a"], 2, pad_values=3)


def test_split_maxsplit_whitespace_is_tf_not_python():
    out = tf.strings.split(["a ", " a b  c ", "", " "], maxsplit=1)
    assert out.to_list() == _b([["a", ""], ["a", "b  c "], [], []])
    assert tf.strings.split([" a", ""], maxsplit=0).to_list() == _b([[" a"], [""]])
