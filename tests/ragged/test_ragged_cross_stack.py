"""tf.ragged.cross / cross_hashed, tf.sparse.cross / cross_hashed (RaggedCross, SparseCross,
SparseCrossV2) and tf.ragged.stack / ragged concat: TF's documented examples and kernel-test
tables, hashes recorded from TF's tests, mixed ragged/sparse/dense inputs, errors."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework import errors
from tensorlet.ragged_tensors import ragged_cross_ops, ragged_ops

R = tf.ragged.constant
KEY = 0xDECAFCAFFE


def S(matrix):
    """A SparseTensor holding each row's values left-aligned (TF's test helper)."""
    indices = [[i, j] for i, row in enumerate(matrix) for j in range(len(row))]
    values = [v for row in matrix for v in row]
    shape = [len(matrix), max((len(r) for r in matrix), default=0)]
    if not values:
        return tf.sparse.SparseTensor(np.zeros([0, 2], np.int64), np.zeros([0], np.int64), shape)
    return tf.sparse.SparseTensor(indices, values, shape)


def _rows(x):
    if isinstance(x, tf.sparse.SparseTensor):
        x = tf.RaggedTensor.from_sparse(x)
    return x.to_list()


# ---------------------------------------------------------------- cross


CROSS_CASES = [  # (inputs, expected crosses; from TF's ragged_cross_op_test)
    ([R([["a", "b"], [], ["c"]])], [[b"a", b"b"], [], [b"c"]]),
    ([R([[1, 2, 3], [4, 5]])], [[b"1", b"2", b"3"], [b"4", b"5"]]),
    ([np.array([[1, 2, 3], [4, 5, 6]])], [[b"1", b"2", b"3"], [b"4", b"5", b"6"]]),
    ([S([["a", "b"], [], ["c"]])], [[b"a", b"b"], [], [b"c"]]),
    ([R([["a", "b"], [], ["c"]]), R([["d", "e"], ["f"], ["g"]])],
     [[b"a_X_d", b"a_X_e", b"b_X_d", b"b_X_e"], [], [b"c_X_g"]]),
    ([R([[1, 2], [], [3]]), R([[4, 5, 6], [], [7]])],
     [[b"1_X_4", b"1_X_5", b"1_X_6", b"2_X_4", b"2_X_5", b"2_X_6"], [], [b"3_X_7"]]),
    ([S([["a", "b"], [], ["c"]]), S([["d", "e"], ["f"], ["g"]])],
     [[b"a_X_d", b"a_X_e", b"b_X_d", b"b_X_e"], [], [b"c_X_g"]]),
    ([np.array([[1, 2], [3, 4]]), np.array([[b"5", b"6"], [b"7", b"8"]])],
     [[b"1_X_5", b"1_X_6", b"2_X_5", b"2_X_6"], [b"3_X_7", b"3_X_8", b"4_X_7", b"4_X_8"]]),
    ([R([[], [], [1, 2], [3]]), np.array([[1, 2], [3, 4], [5, 6], [7, 8]])],
     [[], [], [b"1_X_5", b"1_X_6", b"2_X_5", b"2_X_6"], [b"3_X_7", b"3_X_8"]]),
    ([np.array([[1, 2], [3, 4], [5, 6]]), R([["d", "e"], ["f"], ["g"]])],  # input order kept
     [[b"1_X_d", b"1_X_e", b"2_X_d", b"2_X_e"], [b"3_X_f", b"4_X_f"], [b"5_X_g", b"6_X_g"]]),
    ([S([[1, 2], [3, 4], [5, 6]]), R([["d", "e"], ["f"], ["g"]])],
     [[b"1_X_d", b"1_X_e", b"2_X_d", b"2_X_e"], [b"3_X_f", b"4_X_f"], [b"5_X_g", b"6_X_g"]]),
    ([R([[11], [12, 13], [], [14, 15]]), S([[21, 22], [23], [24, 25], [26, 27]]),
      np.array([[31], [32], [33], [34]])],
     [[b"11_X_21_X_31", b"11_X_22_X_31"], [b"12_X_23_X_32", b"13_X_23_X_32"], [],
      [b"14_X_26_X_34", b"14_X_27_X_34", b"15_X_26_X_34", b"15_X_27_X_34"]]),
    ([R([[1]]), np.array([[2]]), R([[3]]), S([[4]]), R([[5]])], [[b"1_X_2_X_3_X_4_X_5"]]),
    ([[["11", "12"]], [["21", "22"]], [["31"]]],
     [[b"11_X_21_X_31", b"11_X_22_X_31", b"12_X_21_X_31", b"12_X_22_X_31"]]),
    ([R([[1, 2]]), R([[]], dtype=tf.int32), R([[3, 4]])], [[]]),
    ([R([[2**64 - 1]], dtype=tf.uint64)], [[b"-1"]]),
    ([], []),
]  # fmt: skip


@pytest.mark.parametrize("inputs,expected", CROSS_CASES)
def test_ragged_cross_tf_cases(inputs, expected):
    out = tf.ragged.cross(inputs)
    assert out.dtype == tf.string and out.to_list() == expected


def test_ragged_cross_docstring_examples():
    inputs = [R([["a"], ["b", "c"]]), R([["d"], ["e"]]), R([["f"], ["g"]])]
    assert tf.ragged.cross(inputs).to_list() == [[b"a_X_d_X_f"], [b"b_X_e_X_g", b"c_X_e_X_g"]]
    hashed = tf.ragged.cross_hashed(inputs, num_buckets=100)
    assert hashed.dtype == tf.int64 and hashed.to_list() == [[78], [66, 74]]


FC = [R([["batch1-FC1-F1"]]), R([["batch1-FC2-F1"]]), R([["batch1-FC3-F1"]])]


@pytest.mark.parametrize(
    "num_buckets,hash_key,want",
    [  # recorded in TF's ragged/sparse cross tests ("prevent unintentional hashing changes")
        (0, None, 1971693436396284976),
        (100, None, 83),
        (0, KEY + 1, 4847552627144134031),
        (100, KEY + 1, 31),
        (0, 0, 9077905385164735582),  # ragged keeps hash_key=0 (sparse treats it as None)
    ],
)
def test_cross_hashed_recorded_values(num_buckets, hash_key, want):
    assert tf.ragged.cross_hashed(FC, num_buckets, hash_key).to_list() == [[want]]
    sparse = tf.sparse.cross_hashed([t.to_sparse() for t in FC], num_buckets, hash_key)
    if hash_key == 0:
        want = 1971693436396284976
    assert sparse.values.numpy().tolist() == [want]


def test_hash_key_chaining_with_fingerprint_cat64_by_hand():
    from tensorlet.ops.string_ops_hash import fingerprint64

    m64 = 2**64 - 1

    def cat(fp1, fp2):  # TF's FingerprintCat64, in Python integers
        mul = 0xC6A4A7935BD1E995
        shift = lambda v: v ^ (v >> 47)
        r = fp1 ^ mul
        r ^= (shift((fp2 * mul) & m64) * mul) & m64
        r = (r * mul) & m64
        r = (shift(r) * mul) & m64
        return shift(r)

    h = cat(cat(KEY, fingerprint64(b"x")), 7)  # string: its fingerprint; int64: its bits
    out = tf.ragged.cross_hashed([R([["x"]]), tf.constant([[7]], tf.int64)])
    assert out.to_list() == [[h % (2**63 - 1)]]
    neg = tf.ragged.cross_hashed([tf.constant([[-1]])], num_buckets=1000)
    assert neg.to_list() == [[cat(KEY, m64) % 1000]]


def test_ragged_and_sparse_cross_agree():
    inputs = [R([[11], [12, 13], [], [14, 15]]), R([[21, 22], [23], [24, 25], [26, 27]]),
              R([["a"], ["b", "c"], ["d"], ["e"]])]  # fmt: skip
    sparse = [t.to_sparse() for t in inputs]
    assert _rows(tf.sparse.cross(sparse)) == tf.ragged.cross(inputs).to_list()
    for nb, key in [(0, None), (1000, 5)]:
        assert _rows(tf.sparse.cross_hashed(sparse, nb, key)) == (
            tf.ragged.cross_hashed(inputs, nb, key).to_list()
        )


def test_sparse_cross_docstring_and_sparse_first_order():
    st0 = tf.sparse.SparseTensor([[0, 0], [1, 0], [1, 1]], ["a", "b", "c"], [2, 2])
    st1 = tf.sparse.SparseTensor([[0, 0], [1, 0]], ["d", "e"], [2, 1])
    out = tf.sparse.cross([st0, st1, tf.constant([["f"], ["g"]])])
    assert out.indices.numpy().tolist() == [[0, 0], [1, 0], [1, 1]]
    assert out.values.numpy().tolist() == [b"a_X_d_X_f", b"b_X_e_X_g", b"c_X_e_X_g"]
    assert out.dense_shape.numpy().tolist() == [2, 2]
    # the dense input is crossed after every sparse one, whatever its position
    out = tf.sparse.cross([tf.constant([["f"], ["g"]]), st0, st1])
    assert out.values.numpy().tolist() == [b"a_X_d_X_f", b"b_X_e_X_g", b"c_X_e_X_g"]
    sep = tf.sparse.cross(
        [tf.constant([["a"], ["b"]]), tf.constant([["c"], ["d"]])], separator="_Y_"
    )
    assert sep.values.numpy().tolist() == [b"a_Y_c", b"b_Y_d"]


def test_sparse_cross_tf_kernel_cases():
    mixed = tf.sparse.cross([S([[11], [333, 55555]]),
                             S([["batch1-FC2-F1"], ["batch2-FC2-F1", "batch2-FC2-F2"]])])  # fmt: skip
    assert _rows(mixed) == [[b"11_X_batch1-FC2-F1"],
                            [b"333_X_batch2-FC2-F1", b"333_X_batch2-FC2-F2",
                             b"55555_X_batch2-FC2-F1", b"55555_X_batch2-FC2-F2"]]  # fmt: skip
    dense = tf.sparse.cross([tf.constant([[11, 333], [55555, 999999]], tf.int64),
                             tf.constant([["x1", "x2"], ["y1", "y2"]])])  # fmt: skip
    assert _rows(dense)[1] == [b"55555_X_y1", b"55555_X_y2", b"999999_X_y1", b"999999_X_y2"]
    empty = tf.sparse.cross([S([]), S([]), S([])])
    assert empty.values.shape == (0,) and empty.dense_shape.numpy().tolist() == [0, 0]
    hashed = tf.sparse.cross_hashed(
        [S([["a1", "a2", "a3"]]), S([["b1"]]), S([["c1", "c2"]])], num_buckets=1000
    )
    vals = hashed.values.numpy()
    assert hashed.indices.numpy().tolist() == [[0, i] for i in range(6)]
    assert ((vals >= 0) & (vals < 1000)).all() and len(set(vals.tolist())) == 6
    t1 = tf.constant([[359], [359 + 1024]])
    t2 = tf.constant([list(range(10)), list(range(10))])
    dense = tf.sparse.to_dense(tf.sparse.cross_hashed([t2, t1], 1024, KEY + 1)).numpy()
    assert (dense[0] != dense[1]).all()


def test_row_splits_dtype_follows_the_ragged_inputs():
    a = R([["a"], ["b"]], row_splits_dtype=tf.int32)
    assert tf.ragged.cross([a, a]).row_splits.dtype == tf.int32
    assert tf.ragged.cross([a, R([["c"], ["d"]])]).row_splits.dtype == tf.int64
    assert tf.ragged.cross([tf.constant([["a"]])]).row_splits.dtype == tf.int64


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (lambda: tf.ragged.cross([R([[1.1], [2.2, 3.3]])]), ValueError,
         r"Unexpected dtype for inputs\[0\]"),
        (lambda: tf.ragged.cross([R([[1]]), R([[2], [3]])]), errors.InvalidArgumentError,
         "inputs must all have the same batch dimension size"),
        (lambda: tf.ragged.cross([R([[1]]), np.array([[2], [3]])]), errors.InvalidArgumentError,
         "inputs must all have the same batch dimension size"),
        (lambda: tf.ragged.cross([np.array([[[1]]])]), errors.InvalidArgumentError,
         "only supports inputs with rank=2"),
        (lambda: tf.ragged.cross([np.array(1)]), errors.InvalidArgumentError,
         "only supports inputs with rank=2"),
        (lambda: tf.ragged.cross([R([[[1]]])]), ValueError, "only supports inputs with rank=2"),
        (lambda: tf.ragged.cross(R([[1]])), TypeError, "Inputs must be a list"),
        (lambda: tf.ragged.cross_hashed([R([[1]])], num_buckets=-1),
         errors.InvalidArgumentError, "'num_buckets' of -1 must be at least minimum 0"),
        (lambda: tf.sparse.cross([[["a"]]]), TypeError, "All inputs must be Tensor or SparseTensor"),
        (lambda: tf.sparse.cross([tf.zeros([2])]), errors.InvalidArgumentError,
         "Dense inputs should be a matrix"),
        (lambda: tf.sparse.cross([tf.sparse.SparseTensor([[0]], [0], [10])]),
         errors.InvalidArgumentError, "Expected D2 of index to be 2"),
        (lambda: tf.sparse.cross([tf.sparse.SparseTensor([[0, 0]], [0], [10, 10]),
                                  tf.zeros([5, 0])]),
         errors.InvalidArgumentError, "Expected batch size 10 got 5 at dense tensor 0"),
        (lambda: tf.sparse.cross_hashed([tf.sparse.SparseTensor([[0, 0]], [0], [10, 10]),
                                         tf.sparse.SparseTensor([[0, 0]], [0], [7, 10])]),
         errors.InvalidArgumentError, "Expected batch size 10 got 7 at position 1"),
    ],
)  # fmt: skip
def test_cross_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize("splits", [[], [-216, -114, -58, -54], [0, 1, 2, 10], [0, 2, 2, 1]])
def test_raw_ragged_cross_rejects_invalid_splits(splits):
    from tensorlet.ops.op_def import apply

    with pytest.raises(errors.InvalidArgumentError, match="Invalid ragged splits"):
        apply(ragged_cross_ops.ragged_cross_op, tf.constant(["1", "1", "1"]),
              tf.constant(splits, tf.int64), input_order="R", hashed_output=False,
              num_buckets=0, hash_key=956888297470, out_values_type=tf.string,
              out_row_splits_type=tf.int64)  # fmt: skip


# ---------------------------------------------------------------- stack


def _in(x, rrank=None):
    return tf.constant(x) if rrank == 0 else R(x, ragged_rank=rrank)


A2 = [["a00", "a01"], [], ["a20", "a21", "a22"]]
B2 = [["b00", "b01"], [], ["b20", "b21", "b22"]]
C2 = [["c00", "c01"], [], ["c20", "c21", "c22"]]
A3 = [[["a000", "a001"], ["a010"]], [["a100", "a101", "a102"], ["a110", "a111"]]]
B3 = [[[], ["b010", "b011"]], [["b100", "b101"], ["b110"]]]
C3 = [[["c000"], ["c010"]], [[], ["c110", "c111"]]]


def _b(x):
    if isinstance(x, list):
        return [_b(v) for v in x]
    return x.encode() if isinstance(x, str) else x


STACK_CASES = [  # (inputs, ragged ranks, axis, expected; from TF's ragged_stack_op_test)
    ((A2,), None, 0, [A2]),
    ((A2,), None, 1, [[r] for r in A2]),
    ((A2,), None, 2, [[[v] for v in r] for r in A2]),
    ((A2,), None, -3, [A2]),
    ((A2,), None, -1, [[[v] for v in r] for r in A2]),
    ((A2, [["b00"], ["b10"]]), None, 0, [A2, [["b00"], ["b10"]]]),
    ((A2, [["b00"], ["b10", "b11", "b12"], ["b20"]]), None, 1,
     [[["a00", "a01"], ["b00"]], [[], ["b10", "b11", "b12"]], [["a20", "a21", "a22"], ["b20"]]]),
    ((A2, B2, C2), None, 2,
     [[["a00", "b00", "c00"], ["a01", "b01", "c01"]], [],
      [["a20", "b20", "c20"], ["a21", "b21", "c21"], ["a22", "b22", "c22"]]]),
    ((A2, B2), None, -1,
     [[["a00", "b00"], ["a01", "b01"]], [], [["a20", "b20"], ["a21", "b21"], ["a22", "b22"]]]),
    ((A3, B3, C3), None, 0, [A3, B3, C3]),
    ((A3, B3, C3), None, 2,
     [[[["a000", "a001"], [], ["c000"]], [["a010"], ["b010", "b011"], ["c010"]]],
      [[["a100", "a101", "a102"], ["b100", "b101"], []],
       [["a110", "a111"], ["b110"], ["c110", "c111"]]]]),
    ((A3[:1], A3[:1], A3[:1]), None, 3,
     [[[["a000"] * 3, ["a001"] * 3], [["a010"] * 3]]]),
    (([["0("], ["1("], ["2("]], [["b00"], ["b10", "b11", "b12"], ["b20"]], [[")0"], [")1"], [")2"]]),
     [0, 1, 0], 1,
     [[["0("], ["b00"], [")0"]], [["1("], ["b10", "b11", "b12"], [")1"]],
      [["2("], ["b20"], [")2"]]]),
    (([["a00", "a01"], ["a10", "a11"]], [["b00", "b01", "b02"]]), [0, 0], 0,
     [[["a00", "a01"], ["a10", "a11"]], [["b00", "b01", "b02"]]]),
    ((["a", "b"], ["c", "d", "e"]), [0, 0], 0, [["a", "b"], ["c", "d", "e"]]),
    (([[[0, 1], [2, 3]], [[4, 5], [6, 7]]], [[[8], [8, 8]]]), [0, 2], 0,
     [[[[0, 1], [2, 3]], [[4, 5], [6, 7]]], [[[8], [8, 8]]]]),
    (([[[0, 1], [2, 3], [4, 5]], [], [[6, 7], [8, 9]]],
      [[[9, 8], [7, 6], [5, 4]], [], [[3, 2], [1, 0]]]), [1, 1], -2,
     [[[[0, 1], [9, 8]], [[2, 3], [7, 6]], [[4, 5], [5, 4]]], [], [[[6, 7], [3, 2]], [[8, 9], [1, 0]]]]),
]  # fmt: skip


@pytest.mark.parametrize("inputs,rranks,axis,expected", STACK_CASES)
def test_stack_tf_cases(inputs, rranks, axis, expected):
    rranks = rranks or [None] * len(inputs)
    out = tf.ragged.stack([_in(x, r) for x, r in zip(inputs, rranks)], axis)
    assert out.to_list() == _b(expected)


def test_stack_docstring_examples_shapes_and_ragged_ranks():
    t1, t2 = R([[1, 2], [3, 4, 5]]), R([[6], [7, 8, 9]])
    assert tf.ragged.stack([t1, t2], axis=0).to_list() == [[[1, 2], [3, 4, 5]], [[6], [7, 8, 9]]]
    assert tf.ragged.stack([t1, t2], axis=1).to_list() == [[[1, 2], [6]], [[3, 4, 5], [7, 8, 9]]]
    t3, t4 = tf.constant([[1, 2, 3], [4, 5, 6]]), tf.constant([[5], [6], [7]])
    assert tf.ragged.stack([t3, t4]).to_list() == [[[1, 2, 3], [4, 5, 6]], [[5], [6], [7]]]
    out = tf.ragged.stack([R(A2), R([["b"], ["c", "d"], []]), R([[], ["e"], ["f"]])], axis=1)
    assert out.shape.as_list() == [3, None, None]
    a = R([[[0, 1], [2, 3], [4, 5]], [], [[6, 7], [8, 9]]], ragged_rank=1)
    assert tf.ragged.stack([a, a], axis=-1).shape.as_list() == [3, None, 2, 2]
    assert tf.ragged.stack([tf.constant([1, 2])]).ragged_rank == 1
    assert tf.ragged.stack([tf.constant([[1, 2], [3, 4], [5, 6]])]).ragged_rank == 2
    assert tf.ragged.stack(R([[1, 2], [3, 4]]), 0).to_list() == [[[1, 2], [3, 4]]]


def test_stack_dense_results_and_splits_dtypes():
    scalars = tf.ragged.stack([tf.constant(1), tf.constant(2)])
    assert not isinstance(scalars, tf.RaggedTensor) and scalars.numpy().tolist() == [1, 2]
    t = tf.constant([[1, 2], [3, 4]])
    last = tf.ragged.stack([t, t], axis=2)  # dense inputs at the last axis: tf.stack
    assert not isinstance(last, tf.RaggedTensor) and last.shape == (2, 2, 2)
    # TF takes the row lengths of stacked vectors from tf.shape: int32 row splits
    assert tf.ragged.stack([tf.range(1), tf.range(2)]).row_splits.dtype == tf.int32
    r32 = R([[1]], row_splits_dtype=tf.int32)
    mixed = tf.ragged.stack([r32, tf.constant([[2, 3]])])
    assert mixed.row_splits.dtype == tf.int32 and mixed.values.row_splits.dtype == tf.int32
    assert tf.ragged.stack([R([[1]]), tf.constant([[2]])]).row_splits.dtype == tf.int64


@pytest.mark.parametrize(
    "inputs,axis,exc,match",
    [
        ((), 0, ValueError, r"rt_inputs may not be empty\."),
        (([[1, 2]], [[3, 4]]), "foo", TypeError, "axis must be an int"),
        (([[1, 2]], [[3, 4]]), -4, ValueError, "axis=-4 out of bounds: expected -3<=axis<3"),
        (([[1, 2]], [[3, 4]]), 3, ValueError, "axis=3 out of bounds: expected -3<=axis<3"),
        (([[1, 2]], [1]), 0, ValueError, r"Shape \(1,\) must have rank 2"),
        (([[1, 2]], [[3], [4]]), 2, errors.InvalidArgumentError, "identical ragged splits"),
    ],
)
def test_stack_errors(inputs, axis, exc, match):
    with pytest.raises(exc, match=match):
        tf.ragged.stack([R(x) for x in inputs], axis)


def test_stack_mismatched_row_splits_dtypes():
    with pytest.raises(ValueError, match="mismatched row_splits dtypes"):
        tf.ragged.stack([R([[1]], row_splits_dtype=tf.int32), R([[1]])])


def test_stack_keeps_the_gradient_path_to_flat_values():
    v = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(v)
        rt = tf.RaggedTensor.from_row_splits(v, [0, 1, 3])
        out = tf.ragged.stack([rt, rt * 2.0], axis=1)
        loss = tf.reduce_sum(out.flat_values * tf.range(6, dtype=tf.float32))
    # out rows: [v0], [2 v0] | [v1, v2], [2 v1, 2 v2] -> flat [v0, 2v0, v1, v2, 2v1, 2v2]
    np.testing.assert_allclose(tape.gradient(loss, v).numpy(), [0 + 2, 2 + 8, 3 + 10])


# ---------------------------------------------------------------- concat


def test_concat_docstring_and_mixed_inputs():
    t1, t2 = R([[1, 2], [3, 4, 5]]), R([[6], [7, 8, 9]])
    assert ragged_ops.concat([t1, t2], 0).to_list() == [[1, 2], [3, 4, 5], [6], [7, 8, 9]]
    assert ragged_ops.concat([t1, t2], 1).to_list() == [[1, 2, 6], [3, 4, 5, 7, 8, 9]]
    assert ragged_ops.concat([t1, R([[10, 11], [12]])], axis=-1).to_list() == (
        [[1, 2, 10, 11], [3, 4, 5, 12]]
    )
    assert ragged_ops.concat([t1, tf.constant([[0, 0]])], 0).to_list() == (
        [[1, 2], [3, 4, 5], [0, 0]]
    )
    r3 = R([[[1], [2, 3]], [[4]]])
    assert ragged_ops.concat([r3, r3], 2).to_list() == [[[1, 1], [2, 3, 2, 3]], [[4, 4]]]
    assert ragged_ops.concat([r3, tf.constant([[[7, 8]], [[9, 9]]])], 1).to_list() == (
        [[[1], [2, 3], [7, 8]], [[4], [9, 9]]]
    )
    assert ragged_ops.concat([t1], 1) is t1  # one input: returned as is
    dense = ragged_ops.concat([tf.constant([[1]]), tf.constant([[2]])], 1)
    assert not isinstance(dense, tf.RaggedTensor) and dense.numpy().tolist() == [[1, 2]]
    with pytest.raises(errors.InvalidArgumentError, match="incompatible shapes"):
        ragged_ops.concat([t1, R([[1]])], 1)


def test_docstring_examples():
    import doctest

    for module in (ragged_cross_ops, ragged_ops):
        assert (
            doctest.testmod(module, extraglobs={"tf": tf, "concat": ragged_ops.concat}).failed == 0
        )


def test_tf_concat_and_stack_dispatch_ragged_inputs():
    a = tf.ragged.constant([[1, 2], [3]])
    b = tf.ragged.constant([[4], [5, 6, 7]])
    assert tf.concat([a, b], 0).to_list() == [[1, 2], [3], [4], [5, 6, 7]]
    assert tf.concat([a, b], 1).to_list() == [[1, 2, 4], [3, 5, 6, 7]]
    assert tf.stack([a, b], 0).to_list() == [[[1, 2], [3]], [[4], [5, 6, 7]]]
