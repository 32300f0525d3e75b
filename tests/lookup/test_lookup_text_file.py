"""tf.lookup.TextFileInitializer / TextFileIndex: columns, whole lines, line numbers, offsets,
vocab_size, TF's parse rules and error messages."""

import os

import pytest

import tensorlet as tf

IDX = tf.lookup.TextFileIndex


@pytest.fixture
def vocab(tmp_path):
    def write(text, name="vocab.txt"):
        path = os.path.join(tmp_path, name)
        with open(path, "wb") as f:
            f.write(text.encode() if isinstance(text, str) else text)
        return path

    return write


def _table(path, key_dtype, key_index, value_dtype, value_index, default=-1, **kw):
    init = tf.lookup.TextFileInitializer(path, key_dtype, key_index, value_dtype, value_index, **kw)
    return tf.lookup.StaticHashTable(init, default)


def test_columns_with_a_delimiter(vocab):
    path = vocab("emerson 10\nlake 20\npalmer 30\n")
    table = _table(path, tf.string, 0, tf.int64, 1, delimiter=" ")
    out = table.lookup(tf.constant(["palmer", "lake", "tarkus"]))
    assert out.dtype == tf.int64 and out.numpy().tolist() == [30, 20, -1]
    inverse = _table(path, tf.int64, 1, tf.string, 0, default="?", delimiter=" ")
    assert inverse.lookup(tf.constant([20, 5], tf.int64)).numpy().tolist() == [b"lake", b"?"]


def test_whole_line_and_line_number(vocab):
    path = vocab("emerson 10\nlake 20\npalmer 30")  # no final newline
    table = _table(path, tf.string, IDX.WHOLE_LINE, tf.int64, IDX.LINE_NUMBER)
    assert table.lookup(tf.constant("palmer 30")).numpy() == 2
    assert table.size().numpy() == 3
    by_number = _table(path, tf.int64, IDX.LINE_NUMBER, tf.string, IDX.WHOLE_LINE, default="")
    assert by_number.lookup(tf.constant([0, 2], tf.int64)).numpy().tolist() == [
        b"emerson 10",
        b"palmer 30",
    ]
    assert IDX.WHOLE_LINE == -2 and IDX.LINE_NUMBER == -1


def test_tab_delimiter_crlf_and_offsets(vocab):
    path = vocab("a\t1\t1.5\r\nb\t2\t2.5\r\n")
    t = _table(path, tf.string, 0, tf.float32, 2)
    assert t.lookup(tf.constant(["b", "a"])).numpy().tolist() == [2.5, 1.5]
    t = _table(path, tf.string, 0, tf.int64, IDX.LINE_NUMBER, value_index_offset=5)
    assert t.lookup(tf.constant(["a", "b"])).numpy().tolist() == [5, 6]
    # TF adds the offset to int32 fields too (not to int64 ones)
    t = _table(path, tf.string, 0, tf.int32, 1, value_index_offset=5)
    assert t.lookup(tf.constant(["a", "b"])).numpy().tolist() == [6, 7]
    t = _table(path, tf.string, 0, tf.int64, 1, value_index_offset=5)
    assert t.lookup(tf.constant(["a", "b"])).numpy().tolist() == [1, 2]


def test_numbers_allow_surrounding_whitespace(vocab):
    path = vocab("a, 7 \nb,-3\n")
    t = _table(path, tf.string, 0, tf.int64, 1, delimiter=",")
    assert t.lookup(tf.constant(["a", "b"])).numpy().tolist() == [7, -3]


def test_vocab_size(vocab):
    path = vocab("a\nb\nc\n")
    t = _table(path, tf.string, IDX.WHOLE_LINE, tf.int64, IDX.LINE_NUMBER, vocab_size=2)
    assert t.size().numpy() == 2 and t.lookup(tf.constant(["c"])).numpy().tolist() == [-1]
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=f"Invalid vocab_size in {path}: expected 5 but got 3 "
        r"\[Op:InitializeTableFromTextFileV2\]",
    ):
        _table(path, tf.string, IDX.WHOLE_LINE, tf.int64, IDX.LINE_NUMBER, vocab_size=5)


def test_filename_as_a_tensor(vocab):
    path = vocab("x\ny\n")
    t = _table(tf.constant(path), tf.string, IDX.WHOLE_LINE, tf.int64, IDX.LINE_NUMBER)
    assert t.lookup(tf.constant(["y"])).numpy().tolist() == [1]


@pytest.mark.parametrize(
    "text,key_index,value_dtype,value_index,message",
    [
        (
            "a\n\nb\n",
            IDX.WHOLE_LINE,
            tf.int64,
            IDX.LINE_NUMBER,
            r"Invalid content in .*vocab.txt: empty line found at position 3\.",
        ),
        (
            "a 1\nb\n",
            0,
            tf.int64,
            1,
            r"Invalid number of columns in .*vocab.txt line 1 \(b\) : expected at least 2 got 1",
        ),
        ("a 1\nb x\n", 0, tf.int64, 1, r"Field x in line 1 is not a valid int64\."),
        ("a 1_0\n", 0, tf.int64, 1, r"Field 1_0 in line 0 is not a valid int64\."),
        ("a 99999999999\n", 0, tf.int32, 1, r"Field 99999999999 in line 0 is not a valid int32\."),
        ("a 1.x\n", 0, tf.float32, 1, r"Field 1.x in line 0 is not a valid float\."),
        ("a 1.x\n", 0, tf.float64, 1, r"Field 1.x in line 0 is not a valid double\."),
    ],
)
def test_kernel_errors(vocab, text, key_index, value_dtype, value_index, message):
    path = vocab(text)
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        _table(path, tf.string, key_index, value_dtype, value_index, delimiter=" ")


def test_duplicate_keys_in_a_file(vocab):
    path = vocab("a 1\na 2\n")
    with pytest.raises(
        tf.errors.FailedPreconditionError,
        match="HashTable has different value for same key. Key a has 1 and trying to add value 2",
    ):
        _table(path, tf.string, 0, tf.int64, 1, delimiter=" ")


def test_missing_file_is_not_found(tmp_path):
    path = os.path.join(tmp_path, "nope.txt")
    with pytest.raises(tf.errors.NotFoundError, match="nope.txt; No such file or directory"):
        _table(path, tf.string, IDX.WHOLE_LINE, tf.int64, IDX.LINE_NUMBER)


def test_delimiter_must_be_one_character(vocab):
    path = vocab("a\n")
    with pytest.raises(tf.errors.InvalidArgumentError, match="delimiter should be only 1 char"):
        _table(path, tf.string, 0, tf.int64, 1, delimiter="::")


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ("", tf.string, -2, tf.int64, -1),
            "`filename` argument required for tf.lookup.TextFileInitializer",
        ),
        (("f", tf.string, -3, tf.int64, -1), r"`key_index` should be >= -2, received: -3\."),
        (("f", tf.string, -2, tf.int64, -4), r"`value_index` should be >= -2, received: -4$"),
        (
            ("f", tf.string, -1, tf.int64, -1),
            r"`key_dtype` must be int64 if `key_index` is -1, received: <dtype: 'string'>",
        ),
        (
            ("f", tf.float32, -2, tf.int64, -1),
            (
                r"`key_dtype` should be either integer or string for `key_index` -2, received: "
                r"<dtype: 'float32'>"
            ),
        ),
        (
            ("f", tf.string, 0, tf.int32, -1),
            r"`value_dtype` must be int64 for `value_index` -1, received: <dtype: 'int32'>",
        ),
        (
            ("f", tf.string, 0, tf.float64, -2),
            (
                r"`value_dtype` should be either integer or string for `value_index` -2, received: "
                r"<dtype: 'float64'>"
            ),
        ),
    ],
)
def test_constructor_value_errors(args, message):
    with pytest.raises(ValueError, match=message):
        tf.lookup.TextFileInitializer(*args)
    with pytest.raises(ValueError, match=r"`vocab_size` should be > 0, received: 0"):
        tf.lookup.TextFileInitializer("f", tf.string, -2, tf.int64, -1, vocab_size=0)


def test_initializer_dtypes():
    init = tf.lookup.TextFileInitializer("f", "string", -2, "int64", -1)
    assert init.key_dtype == tf.string and init.value_dtype == tf.int64
