"""CTC decoders (CTCGreedyDecoder, CTCBeamSearchDecoder): TF's documented and kernel-test
cases, hand-checked examples, a brute-force reference (every alignment enumerated) for the
beam search, shapes and errors."""

import itertools
import math

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework import errors

INF = np.inf
RNG = np.random.default_rng(3)


def _sparse(st):
    return st.indices.numpy().tolist(), st.values.numpy().tolist(), st.dense_shape.numpy().tolist()


# ---------------------------------------------------------------- greedy


def _tf_kernel_test_inputs():
    """TF's ctc_decoder_ops_test: two batch entries of log-probabilities, lengths 4 and 5."""
    p0 = [[1.0, 0, 0, 0], [0, 0, 0.4, 0.6], [0, 0, 0.4, 0.6], [0, 0.9, 0.1, 0], [0] * 4, [0] * 4]
    p1 = [[0.1, 0.9, 0, 0], [0, 0.9, 0.1, 0], [0, 0, 0.1, 0.9], [0, 0.9, 0.1, 0.1],
          [0.9, 0.1, 0, 0], [0] * 4]  # fmt: skip
    with np.errstate(divide="ignore"):
        return np.log(np.stack([np.array(p0, np.float32), np.array(p1, np.float32)], axis=1))


def test_greedy_tf_kernel_test_case():
    x = _tf_kernel_test_inputs()
    (decoded,), neg_sum = tf.nn.ctc_greedy_decoder(x, np.array([4, 5], np.int32))
    assert _sparse(decoded) == ([[0, 0], [0, 1], [1, 0], [1, 1], [1, 2]], [0, 1, 1, 1, 0], [2, 3])
    want = [np.sum(-np.log([1.0, 0.6, 0.6, 0.9])), np.sum(-np.log([0.9] * 5))]
    assert neg_sum.dtype == tf.float32 and neg_sum.shape == (2, 1)
    np.testing.assert_allclose(neg_sum.numpy()[:, 0], want, atol=1e-6)
    assert decoded.values.dtype == tf.int64 and decoded.indices.dtype == tf.int64


@pytest.mark.parametrize("blank_index", [2, -2])
def test_greedy_blank_index_moved_into_the_middle(blank_index):
    x = _tf_kernel_test_inputs()
    x = np.concatenate((x[:, :, :2], x[:, :, -1:], x[:, :, 2:-1]), axis=2)
    (decoded,), neg_sum = tf.nn.ctc_greedy_decoder(x, [4, 5], blank_index=blank_index)
    assert decoded.values.numpy().tolist() == [0, 1, 1, 1, 0]
    np.testing.assert_allclose(neg_sum.numpy()[:, 0], [1.1270118, 0.5268026], atol=1e-6)


def test_greedy_tf_docstring_example_blank_index_1():
    logits = tf.constant([[[0.0, -INF, -INF], [-2.3, -INF, -0.1]],
                          [[-INF, -0.5, -INF], [-INF, -INF, -0.1]],
                          [[-INF, -INF, -INF], [-0.1, -INF, -2.3]]])  # fmt: skip
    (decoded,), neg_sum = tf.nn.ctc_greedy_decoder(logits, tf.constant([2, 3]), blank_index=1)
    # batch 0: classes 0, 1(blank) -> [0]; batch 1: 2, 2 (merged), 0 -> [2, 0]
    assert _sparse(decoded) == ([[0, 0], [1, 0], [1, 1]], [0, 2, 0], [2, 2])
    np.testing.assert_allclose(neg_sum.numpy(), [[0.5], [0.3]], rtol=1e-6)


@pytest.mark.parametrize("merge,want", [(True, [0, 1, 1, 1]), (False, [0, 1, 1, 1, 1])])
def test_greedy_merge_repeated_a_b_b_blank_b_blank_b(merge, want):
    # the documented sequence "A B B * B * B" (A=0, B=1, blank=2)
    path = [0, 1, 1, 2, 1, 2, 1]
    x = np.full((len(path), 1, 3), -5.0)
    x[np.arange(len(path)), 0, path] = 0.0
    (decoded,), _ = tf.nn.ctc_greedy_decoder(x, [len(path)], merge_repeated=merge)
    assert decoded.values.numpy().tolist() == want
    assert decoded.dense_shape.dtype == tf.int64


def test_greedy_fixture_case_and_float64():
    x = np.log(np.array([[[0.1, 0.8, 0.1]], [[0.1, 0.8, 0.1]], [[0.7, 0.2, 0.1]]]))
    (decoded,), neg_sum = tf.nn.ctc_greedy_decoder(x, [3])
    assert _sparse(decoded) == ([[0, 0], [0, 1]], [1, 0], [1, 2])
    assert neg_sum.dtype == tf.float64
    np.testing.assert_allclose(neg_sum.numpy(), [[-np.log(0.8 * 0.8 * 0.7)]])


def test_greedy_ties_take_the_first_class_and_empty_rows():
    x = np.zeros((2, 2, 3), np.float32)  # every class ties: class 0 wins
    (decoded,), neg_sum = tf.nn.ctc_greedy_decoder(x, [2, 0])
    assert _sparse(decoded) == ([[0, 0]], [0], [2, 1])
    np.testing.assert_array_equal(neg_sum.numpy(), [[0.0], [0.0]])


def test_greedy_random_against_numpy_reference():
    x = RNG.standard_normal((6, 4, 5)).astype(np.float32)
    lens = np.array([6, 3, 0, 5], np.int32)
    (decoded,), neg_sum = tf.nn.ctc_greedy_decoder(x, lens)
    best = x.argmax(-1)
    want_rows = []
    for b in range(4):
        seq, prev = [], -1
        for t in range(lens[b]):
            c = best[t, b]
            if c != 4 and c != prev:
                seq.append(int(c))
            prev = c
        want_rows.append(seq)
    got_rows = [[] for _ in range(4)]
    for (b, t), v in zip(*_sparse(decoded)[:2]):
        assert t == len(got_rows[b])
        got_rows[b].append(v)
    assert got_rows == want_rows
    want = [-sum(x[t, b].max() for t in range(lens[b])) for b in range(4)]
    np.testing.assert_allclose(neg_sum.numpy()[:, 0], want, rtol=1e-6, atol=1e-6)


# ---------------------------------------------------------------- beam search


def _tf_beam_test_inputs():
    """TF's testCTCDecoderBeamSearch: one batch entry, 5 steps, offset probabilities as logits."""
    p = np.asarray([
        [0.30999, 0.309938, 0.0679938, 0.0673362, 0.0708352, 0.173908],
        [0.215136, 0.439699, 0.0370931, 0.0393967, 0.0381581, 0.230517],
        [0.199959, 0.489485, 0.0233221, 0.0251417, 0.0233289, 0.238763],
        [0.279611, 0.452966, 0.0204795, 0.0209126, 0.0194803, 0.20655],
        [0.51286, 0.288951, 0.0243026, 0.0220788, 0.0219297, 0.129878],
    ], np.float32) + 2.0  # fmt: skip
    return np.concatenate([p, np.zeros((2, 6), np.float32)])[:, None, :]


def test_beam_v1_tf_kernel_test_case():
    decoded, log_p = tf.compat.v1.nn.ctc_beam_search_decoder(
        _tf_beam_test_inputs(), [5], beam_width=2, top_paths=2
    )
    assert [_sparse(d) for d in decoded] == [
        ([[0, 0], [0, 1]], [1, 0], [1, 2]),
        ([[0, 0]], [1], [1, 1]),
    ]
    np.testing.assert_allclose(log_p.numpy(), [[-5.811451, -6.63339]], atol=1e-5)
    with pytest.raises(errors.InvalidArgumentError, match="requested more paths than the beam"):
        tf.compat.v1.nn.ctc_beam_search_decoder(
            _tf_beam_test_inputs(), [5], beam_width=2, top_paths=3
        )


def test_beam_graves_example_beats_best_path():
    # Graves' thesis fig 7.5: P(-) = 0.42 but P(a) = 0.58 (sum of a-, aa, -a)
    x = np.log(np.array([[[0.3, 0.7]], [[0.4, 0.6]]]))
    (greedy,), _ = tf.nn.ctc_greedy_decoder(x, [2])
    assert greedy.values.numpy().tolist() == []
    decoded, log_p = tf.nn.ctc_beam_search_decoder(x, [2], beam_width=2, top_paths=2)
    assert [d.values.numpy().tolist() for d in decoded] == [[0], []]
    np.testing.assert_allclose(np.exp(log_p.numpy()), [[0.58, 0.42]])
    assert log_p.dtype == tf.float64


def _labelling_probs(logp, blank):
    """Brute force: every alignment of T steps, collapsed (repeats merged, blanks dropped);
    returns {labelling: probability}."""
    t_max, ncls = logp.shape
    out = {}
    for path in itertools.product(range(ncls), repeat=t_max):
        labels, prev = [], -1
        for c in path:
            if c != blank and c != prev:
                labels.append(c)
            prev = c
        p = math.exp(sum(logp[t, c] for t, c in enumerate(path)))
        out[tuple(labels)] = out.get(tuple(labels), 0.0) + p
    return out


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("t_max,ncls", [(3, 3), (4, 3), (3, 4), (5, 2)])
def test_beam_top_paths_match_brute_force(seed, t_max, ncls):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((t_max, 1, ncls)) * 2
    logp = logits[:, 0] - np.log(np.exp(logits[:, 0]).sum(-1, keepdims=True))
    probs = sorted(_labelling_probs(logp, ncls - 1).items(), key=lambda kv: -kv[1])
    width = 200  # wider than the number of prefixes: the search is exhaustive
    top = min(3, len(probs))
    decoded, log_p = tf.nn.ctc_beam_search_decoder(logits, [t_max], beam_width=width,
                                                   top_paths=top)  # fmt: skip
    got = [tuple(d.values.numpy().tolist()) for d in decoded]
    assert got == [labels for labels, _ in probs[:top]]
    np.testing.assert_allclose(np.exp(log_p.numpy()[0]), [p for _, p in probs[:top]], rtol=1e-9)


def test_beam_narrow_beam_keeps_the_brute_force_best_on_a_clear_case():
    logits = np.log(np.array([[[0.1, 0.6, 0.3]], [[0.7, 0.1, 0.2]], [[0.1, 0.1, 0.8]]]))
    probs = _labelling_probs(logits[:, 0], 2)
    best = max(probs, key=probs.get)
    (decoded,), log_p = tf.nn.ctc_beam_search_decoder(logits, [3], beam_width=1)
    assert tuple(decoded.values.numpy().tolist()) == best == (1, 0)
    assert np.exp(log_p.numpy()[0, 0]) <= probs[best] + 1e-12  # a narrow beam sums fewer paths


def test_beam_v1_merge_repeated_collapses_a_labelled_repeat():
    # label sequence "a a" (a blank between): v2 keeps it, v1's merge_repeated collapses it
    x = np.log(np.array([[[0.9, 0.1]], [[0.05, 0.95]], [[0.9, 0.1]]]))
    (d2,), _ = tf.nn.ctc_beam_search_decoder(x, [3], beam_width=4)
    (d1,), _ = tf.compat.v1.nn.ctc_beam_search_decoder(x, [3], beam_width=4)
    assert d2.values.numpy().tolist() == [0, 0] and d1.values.numpy().tolist() == [0]


def test_beam_batch_with_lengths_and_empty_entry():
    x = RNG.standard_normal((4, 3, 3)).astype(np.float32)
    decoded, log_p = tf.nn.ctc_beam_search_decoder(x, [4, 0, 2], beam_width=5)
    (d,) = decoded
    assert log_p.shape == (3, 1) and log_p.dtype == tf.float32
    assert log_p.numpy()[1, 0] == 0.0  # nothing read: the root, log(1)
    rows = [r for r, _ in d.indices.numpy().tolist()]
    assert 1 not in rows and d.dense_shape.numpy()[0] == 3
    for b, length in [(0, 4), (2, 2)]:  # each entry alone gives the same answer
        (db,), lb = tf.nn.ctc_beam_search_decoder(x[:length, b : b + 1], [length], beam_width=5)
        assert db.values.numpy().tolist() == d.values.numpy()[np.array(rows) == b].tolist()
        np.testing.assert_allclose(lb.numpy()[0], log_p.numpy()[b], rtol=1e-6)


def test_beam_less_leaves_than_requested():
    with pytest.raises(errors.InvalidArgumentError, match="Less leaves in the beam search"):
        tf.nn.ctc_beam_search_decoder(np.zeros((2, 1, 3), np.float32), [0], top_paths=2)


# ---------------------------------------------------------------- shapes, dtypes, errors


def test_static_shapes_under_tf_function():
    @tf.function
    def f(x, n):
        (g,), neg = tf.nn.ctc_greedy_decoder(x, n)
        beams, logp = tf.nn.ctc_beam_search_decoder(x, n, beam_width=3, top_paths=2)
        assert g.indices.shape.as_list() == [None, 2] and g.values.shape.as_list() == [None]
        assert neg.shape.as_list() == [2, 1] and logp.shape.as_list() == [2, 2]
        assert len(beams) == 2 and beams[1].dense_shape.shape.as_list() == [2]
        return g.values, beams[0].values, logp

    x = RNG.standard_normal((3, 2, 4)).astype(np.float32)
    g, b0, logp = f(tf.constant(x), tf.constant([3, 2]))
    (eg,), _ = tf.nn.ctc_greedy_decoder(x, [3, 2])
    np.testing.assert_array_equal(g.numpy(), eg.values.numpy())
    (eb, _), elogp = tf.nn.ctc_beam_search_decoder(x, [3, 2], beam_width=3, top_paths=2)
    np.testing.assert_array_equal(b0.numpy(), eb.values.numpy())
    np.testing.assert_allclose(logp.numpy(), elogp.numpy())


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (lambda: tf.nn.ctc_greedy_decoder(np.zeros((2, 3), np.float32), [2]),
         errors.InvalidArgumentError, "inputs is not a 3-Tensor"),
        (lambda: tf.nn.ctc_greedy_decoder(np.zeros((0, 1, 3), np.float32), [0]),
         errors.InvalidArgumentError, "inputs must not be empty"),
        (lambda: tf.nn.ctc_greedy_decoder(np.zeros((2, 2, 3), np.float32), [2]),
         errors.FailedPreconditionError, r"len\(sequence_length\) != batch_size"),
        (lambda: tf.nn.ctc_greedy_decoder(np.zeros((2, 1, 3), np.float32), [3]),
         errors.FailedPreconditionError, r"sequence_length\(0\) <= 2"),
        (lambda: tf.nn.ctc_greedy_decoder(np.zeros((2, 1, 3), np.float32), [2], blank_index=3),
         errors.InvalidArgumentError, "blank_index expected to be between -3 and 2 but was 3"),
        (lambda: tf.nn.ctc_greedy_decoder(np.zeros((2, 1, 3), np.float16), [2]),
         errors.InvalidArgumentError, "Value for attr 'T' of half"),
        (lambda: tf.nn.ctc_greedy_decoder(np.zeros((2, 1, 3), np.float32),
                                          tf.constant([2], tf.int64)),
         errors.InvalidArgumentError, "expected to be a int32 tensor"),
        (lambda: tf.nn.ctc_beam_search_decoder(np.zeros((2, 1, 3), np.float32), [2],
                                               beam_width=0),
         errors.InvalidArgumentError, "'beam_width' of 0 must be at least minimum 1"),
        (lambda: tf.nn.ctc_beam_search_decoder(np.zeros((2, 1, 3), np.float32), [2],
                                               top_paths=0),
         errors.InvalidArgumentError, "'top_paths' of 0 must be at least minimum 1"),
        (lambda: tf.nn.ctc_beam_search_decoder(np.zeros((2, 3), np.float32), [2]),
         errors.InvalidArgumentError, "inputs is not a 3-Tensor"),
    ],
)  # fmt: skip
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_no_gradient_like_tf():
    from tensorlet.ops import ctc_ops

    assert ctc_ops.ctc_greedy_decoder_op.grad is None
    assert ctc_ops.ctc_beam_search_decoder_op.grad is None
    x = tf.constant(RNG.standard_normal((2, 1, 3)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        _, neg = tf.nn.ctc_greedy_decoder(x, [2])
    assert tape.gradient(neg, x) is None


def test_public_names():
    assert tf.compat.v1.nn.ctc_greedy_decoder is tf.nn.ctc_greedy_decoder
    assert tf.compat.v1.nn.ctc_beam_search_decoder_v2 is tf.nn.ctc_beam_search_decoder
    assert tf.compat.v1.nn.ctc_beam_search_decoder is not tf.nn.ctc_beam_search_decoder


def test_docstring_examples():
    import doctest

    from tensorlet.ops import ctc_ops

    assert doctest.testmod(ctc_ops, extraglobs={"tf": tf}).failed == 0
