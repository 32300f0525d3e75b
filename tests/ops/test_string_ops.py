"""tf.strings dense ops: forward against Python references, dtypes, shapes, TF's errors.

The ragged-result ops (split, unicode_decode, ngrams ...) are in tests/ragged.
Shape inference is checked on every eager call by the test-mode hook (tests/conftest.py).
"""

import numpy as np
import pytest

import tensorlet as tf

U = ["你好世界", "héllo", "abc", "", "Straße ÄÖÜ"]


def _b(x):
    return np.vectorize(lambda s: s.encode("utf-8"), otypes=[object])(np.array(x))


def _eq(t, expected, dtype="string"):
    assert t.dtype.name == dtype
    np.testing.assert_array_equal(
        t.numpy(), np.asarray(expected, dtype=object if dtype == "string" else None)
    )


# ---------------------------------------------------------------- elementwise

ELEMENTWISE = [
    # (fn, input, expected (str results are utf-8 encoded), dtype)
    (lambda s: tf.strings.lower(s), U, ["你好世界", "héllo", "abc", "", "straße ÄÖÜ"], "string"),
    (lambda s: tf.strings.lower(s, encoding="utf-8"), U, [s.lower() for s in U], "string"),
    (lambda s: tf.strings.upper(s), U, ["你好世界", "HéLLO", "ABC", "", "STRAßE ÄÖÜ"], "string"),
    (lambda s: tf.strings.upper(s, encoding="utf-8"), U, [s.upper() for s in U], "string"),
    (lambda s: tf.strings.length(s), U, [len(s.encode()) for s in U], "int32"),
    (lambda s: tf.strings.length(s, unit="UTF8_CHAR"), U, [len(s) for s in U], "int32"),
    (
        lambda s: tf.strings.strip(s),
        ["  a b \t\n", "\u3000x", ""],
        ["a b", "\u3000x", ""],
        "string",
    ),
    (
        lambda s: tf.strings.regex_replace(s, "[aeiou]", "_"),
        ["banana", "xyz"],
        ["b_n_n_", "xyz"],
        "string",
    ),
    (
        lambda s: tf.strings.regex_replace(s, "a", "A", replace_global=False),
        ["banana"],
        ["bAnana"],
        "string",
    ),
    (
        lambda s: tf.strings.regex_replace(s, r"(\w+)@(\w+)", r"\2 at \1"),
        ["me@home x@y"],
        ["home at me y at x"],
        "string",
    ),
    (
        lambda s: tf.strings.regex_replace(s, tf.constant("[[:digit:]]+"), tf.constant("#")),
        ["a12b3"],
        ["a#b#"],
        "string",
    ),
    (
        lambda s: tf.strings.regex_full_match(s, "[a-z]+"),
        ["abc", "ab1", ""],
        [True, False, False],
        "bool",
    ),
    (
        lambda s: tf.strings.regex_full_match(s, tf.constant(r"\w+")),
        ["é", "ab"],
        [False, True],
        "bool",
    ),
    (
        lambda s: tf.strings.unicode_transcode(s, "UTF-8", "UTF-16-BE"),
        ["hé"],
        ["hé".encode("utf-16-be").decode("latin-1")],
        "latin1",
    ),
]


@pytest.mark.parametrize("fn,x,expected,dtype", ELEMENTWISE)
def test_elementwise(fn, x, expected, dtype):
    out = fn(tf.constant(x))
    if dtype == "latin1":
        assert out.numpy().tolist() == [e.encode("latin-1") for e in expected]
    elif dtype == "string":
        _eq(out, _b(expected))
    else:
        _eq(out, expected, dtype)


def test_lower_ascii_only_by_default():
    assert tf.strings.lower("ÄB").numpy() == "Äb".encode()
    assert tf.strings.upper("ß", encoding="utf-8").numpy() == b"SS"


def test_elementwise_on_ragged_maps_flat_values():
    rt = tf.ragged.constant([["A", "b"], ["C"]])
    assert tf.strings.lower(rt).to_list() == [[b"a", b"b"], [b"c"]]
    assert tf.strings.length(rt).to_list() == [[1, 1], [1]]


def test_strip_keeps_unicode_space():
    _eq(tf.strings.strip([" \x0b\x0ca\r "]), _b(["a"]))


@pytest.mark.parametrize(
    "call,cls",
    [
        (lambda: tf.strings.length("a", unit="CHAR"), tf.errors.InvalidArgumentError),
        (lambda: tf.strings.lower("a", encoding="latin-1"), tf.errors.InvalidArgumentError),
        (lambda: tf.strings.lower(tf.constant([1])), tf.errors.InvalidArgumentError),
        (lambda: tf.strings.regex_replace("a", "(", "b"), tf.errors.InvalidArgumentError),
        (lambda: tf.strings.regex_replace("a", "(a)", r"\2"), tf.errors.InvalidArgumentError),
        (lambda: tf.strings.regex_full_match("a", "(?=a)"), tf.errors.InvalidArgumentError),
    ],
)
def test_errors(call, cls):
    with pytest.raises(cls):
        call()


# ---------------------------------------------------------------- join / reduce_join / segments


def test_join_broadcasts_scalars():
    _eq(tf.strings.join([["x", "y"], ["1", "2"]], separator="-"), _b(["x-1", "y-2"]))
    _eq(tf.strings.join(["pre", ["x", "y"]]), _b(["prex", "prey"]))
    assert tf.strings.join(["a", "b"]).shape == []
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input shapes do not match"):
        tf.strings.join([["a", "b"], ["c", "d", "e"]])


@pytest.mark.parametrize(
    "kwargs,expected",
    [
        ({"axis": -1, "separator": "|"}, ["a|b", "c|d"]),
        ({}, "abcd"),
        ({"axis": [1, 0]}, "abcd"),
        ({"axis": [0, 1]}, "acbd"),
        ({"axis": 0, "keepdims": True}, [["ac", "bd"]]),
        ({"axis": []}, [["a", "b"], ["c", "d"]]),
    ],
)
def test_reduce_join(kwargs, expected):
    out = tf.strings.reduce_join([["a", "b"], ["c", "d"]], **kwargs)
    _eq(out, _b(expected))


def test_reduce_join_errors_and_empty():
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.strings.reduce_join([["a"]], axis=[0, 0])
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.strings.reduce_join([["a"]], axis=2)
    _eq(tf.strings.reduce_join(tf.zeros([2, 0], tf.string), axis=1), _b(["", ""]))


def test_unsorted_segment_join():
    out = tf.strings.unsorted_segment_join(["a", "b", "c"], [1, 0, 1], 3, separator=":")
    _eq(out, _b(["b", "a:c", ""]))
    out = tf.strings.unsorted_segment_join([["a", "b"], ["c", "d"]], [0, 0], 1)
    _eq(out, _b([["ac", "bd"]]))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.strings.unsorted_segment_join(["a"], [3], 2)


# ---------------------------------------------------------------- substr


@pytest.mark.parametrize(
    "args,kwargs,expected",
    [
        ((["Hello", "World"], 1, 3), {}, ["ell", "orl"]),
        (("hello", -3, 2), {}, "ll"),
        (("hello", 3, 10), {}, "lo"),
        (("hello", 1, -1), {}, "ello"),
        (("hello", 5, 1), {}, ""),
        ((["你好世界", "héllo"], 1, 3), {"unit": "UTF8_CHAR"}, ["好世界", "éll"]),
        (
            ([["ten", "eleven"], ["twelve", "sixteen"]], [1, 2], [2, 3]),
            {},
            [["en", "eve"], ["we", "xte"]],
        ),
    ],
)
def test_substr(args, kwargs, expected):
    _eq(tf.strings.substr(*args, **kwargs), _b(expected))


def test_substr_cuts_utf8_bytes_and_errors():
    assert tf.strings.substr("你", 1, 1).numpy() == "你".encode()[1:2]
    for pos in (9, -6):
        with pytest.raises(tf.errors.InvalidArgumentError, match="out of range for string"):
            tf.strings.substr("hello", pos, 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="index 1"):
        tf.strings.substr(["abc", ""], 1, 3)


# ---------------------------------------------------------------- to_number / as_string


def test_to_number():
    out = tf.strings.to_number(["1.5", "-2", "1e3", " 7", "inf", "NaN", "0x10", "-0x1f "])
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(
        out.numpy(), np.float32([1.5, -2, 1e3, 7, np.inf, np.nan, 16, -31])
    )
    out = tf.strings.to_number(["12", "-7", "+3", " 9 "], out_type=tf.int32)
    _eq(out, [12, -7, 3, 9], "int32")
    _eq(tf.strings.to_number(["9223372036854775807"], tf.int64), [2**63 - 1], "int64")
    assert tf.strings.to_number(["0.1"], tf.float64).numpy()[0] == 0.1


@pytest.mark.parametrize(
    "s,out_type",
    [
        ("1.5", tf.int32),
        ("abc", tf.float32),
        ("2147483648", tf.int32),
        ("1e", tf.float32),
        ("infinity", tf.float32),
        ("1 2", tf.float32),
        ("", tf.int64),
        ("0" * 40, tf.float32),
    ],
)
def test_to_number_errors(s, out_type):
    with pytest.raises(tf.errors.InvalidArgumentError, match="StringToNumberOp could not"):
        tf.strings.to_number([s], out_type)


F = np.array([3.14159, -0.0, 1e-7, 123456789.0, np.nan, np.inf], np.float32)


@pytest.mark.parametrize(
    "kwargs,expected",
    [
        ({}, ["3.141590", "-0.000000", "0.000000", "123456792.000000", "nan", "inf"]),
        ({"precision": 2}, ["3.14", "-0.00", "0.00", "123456792.00", "nan", "inf"]),
        (
            {"scientific": True},
            ["3.141590e+00", "-0.000000e+00", "1.000000e-07", "1.234568e+08", "nan", "inf"],
        ),
        ({"shortest": True}, ["3.14159", "-0", "1e-07", "1.23457e+08", "nan", "inf"]),
        (
            {"width": 10, "fill": "0"},
            [
                "003.141590",
                "-00.000000",
                "000.000000",
                "123456792.000000",
                "       nan",
                "       inf",
            ],
        ),
    ],
)
def test_as_string_float(kwargs, expected):
    _eq(tf.strings.as_string(F, **kwargs), _b(expected))


def test_as_string_other_dtypes():
    _eq(
        tf.strings.as_string(np.int32([7, -7, 12345]), width=4, fill="0"),
        _b(["0007", "-007", "12345"]),
    )
    _eq(tf.as_string([True, False]), _b(["true", "false"]))
    _eq(tf.strings.as_string(np.float64([0.1, 1 / 3])), _b(["0.100000", "0.333333"]))
    _eq(tf.strings.as_string(np.complex64([1 + 2j])), _b(["(1.000000,2.000000)"]))
    _eq(tf.strings.as_string(np.int64([5]), width=3, fill="-"), _b(["5  "]))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scientific": True, "shortest": True},
        {"fill": "ab"},
        {"fill": "x"},
    ],
)
def test_as_string_errors(kwargs):
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.strings.as_string([1.0], **kwargs)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.strings.as_string([1], precision=2)


# ---------------------------------------------------------------- format


@pytest.mark.parametrize(
    "template,inputs,kwargs,expected",
    [
        ("x={} y={}", (np.float32([1.5, 2.0]), np.int32(3)), {}, "x=[1.5 2] y=3"),
        ("{}", np.arange(10, dtype=np.int32), {"summarize": 2}, "[0 1 ... 8 9]"),
        ("{}", np.arange(6, dtype=np.float32).reshape(2, 3), {}, "[[0 1 2]\n [3 4 5]]"),
        ("[{}]", np.array(["a", "b"]), {}, '[["a" "b"]]'),
        ("<>", np.array([True]), {"placeholder": "<>"}, "[1]"),
    ],
)
def test_format(template, inputs, kwargs, expected):
    inputs = (
        tuple(tf.constant(i) for i in inputs) if isinstance(inputs, tuple) else tf.constant(inputs)
    )
    out = tf.strings.format(template, inputs, **kwargs)
    assert out.shape == [] and out.numpy() == expected.encode()


def test_format_placeholder_count():
    with pytest.raises(ValueError, match="template expects 2 tensors"):
        tf.strings.format("{} {}", tf.constant(1))


# ---------------------------------------------------------------- hashing

FARMHASH = [  # FarmHash Fingerprint64 reference values (farmhash test vectors)
    ("", 0x9AE16A3B2F90404F),
    ("a", 0xB3454265B6DF75E3),
    ("abcdefgh", 0xFEE9D22990C82909),
    ("abcdefghi", 0x332C8ED4DAE5BA42),
    ("0123456789=012345", 0x46A7416ED4861E3B),
    ("size:  a.out:  bad magic", 0x80D73B843BA57DB8),
    ("C is as portable as Stonehedge!!", 0xB944F8A16261E414),
    ("I wouldn't marry him with a ten foot pole.", 0xA9961670CE2A46D9),
    ("For every action there is an equal and opposite government program.", 0x55182F8859ECA4CE),
    (
        (
            "The fugacity of a constituent in a mixture of gases at a given temperature is "
            "proportional to its mole fraction.  Lewis-Randall Rule"
        ),
        0x098EFF6958C5E91A,
    ),
]


@pytest.mark.parametrize("s,expected", FARMHASH)
def test_fingerprint_is_farmhash64(s, expected):
    out = tf.fingerprint(tf.constant([s]))
    assert out.dtype == tf.uint8 and out.shape == [1, 8]
    assert int.from_bytes(bytes(out.numpy()[0].tolist()), "little") == expected


def test_hash_buckets():
    s = tf.constant(["a", "b", "hello", ""])
    _eq(tf.strings.to_hash_bucket_fast(s, 10), [9, 2, 6, 3], "int64")
    _eq(tf.strings.to_hash_bucket_strong(s[:3], 10, key=[1, 2]), [6, 4, 2], "int64")
    _eq(tf.strings.to_hash_bucket(s[:3], 10), [8, 0, 8], "int64")
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.strings.to_hash_bucket_strong(s, 10, key=[1])


def test_siphash_reference_vector():
    from tensorlet.ops.string_ops_hash import siphash

    # SipHash-2-4 paper, appendix A: key 00..0f, message 00..0e
    assert siphash(0x0706050403020100, 0x0F0E0D0C0B0A0908, bytes(range(15))) == 0xA129CA6149BE45E5


def test_fingerprint_numeric_rows_and_rank_error():
    x = np.arange(6, dtype=np.int32).reshape(2, 3)
    from tensorlet.ops.string_ops_hash import fingerprint64

    out = tf.fingerprint(x).numpy()
    assert int.from_bytes(bytes(out[1].tolist()), "little") == fingerprint64(x[1].tobytes())
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.fingerprint(tf.constant(1))


def test_unicode_script():
    _eq(
        tf.strings.unicode_script([20320, 65, 1055, 945, 48, -1, 0x110000]),
        [17, 25, 8, 14, 0, -1, -1],
        "int32",
    )


@pytest.mark.parametrize(
    "pattern,rewrite,x,expected",
    [
        (r"\p{P}", "", "Héllo, wörld! ¿Qué?", "Héllo wörld Qué"),
        (r"\pL+", "W", "Hé 12 ψ", "W 12 W"),
        (r"\p{Greek}+", "G", "αβ ab", "G ab"),
        (r"[[:alpha:]]", "x", "a[b]c", "x[x]x"),
        (r"\Q.\E", "!", "a.b", "a!b"),
        (r"[][]", "_", "x[y]", "x_y_"),
        (r"\\1", "!", r"a\1", "a!"),
        (r"a\z", "!", "aa", "a!"),
        (r"\w+", "<\\0>", "é ab", "é <ab>"),
    ],
)
def test_regex_re2_syntax(pattern, rewrite, x, expected):
    assert tf.strings.regex_replace(x, pattern, rewrite).numpy() == expected.encode()
