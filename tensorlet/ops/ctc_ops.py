"""CTC decoders: ``tf.nn.ctc_greedy_decoder`` and ``tf.nn.ctc_beam_search_decoder``.

Two ops, as in TF, both without a gradient: ``CTCGreedyDecoder`` (best path: the arg-max class
per time step, repeats merged, blanks dropped) and ``CTCBeamSearchDecoder`` (TF's CPU beam
search: a prefix trie whose nodes are label sequences, so alignments of one labelling share a
node and their probabilities are summed; ``beam_width`` nodes survive each step; the blank is
the last class). Both return ``([SparseTensor(indices, values, dense_shape)...], scores)``.
``ctc_loss`` lives in ``nn_ops``.
"""

import heapq
import math

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.ops.op_def import apply, defop, dtype_mismatch, dtype_not_allowed
from tensorlet.sparse_tensors.sparse_tensor import SparseTensor

D = dtypes
_FLOATS = (D.float32, D.float64)
_NEG_INF = -math.inf


# ---------------------------------------------------------------- shared rules and checks


def _decoder_dtypes(op, inputs, attrs):
    x, seq = inputs
    if x.dtype not in _FLOATS:
        raise dtype_not_allowed(op, x.dtype, _FLOATS)
    if seq.dtype != D.int32:
        raise dtype_mismatch(op, 1, D.int32, seq.dtype)
    for attr in ("beam_width", "top_paths"):
        if attr in attrs and attrs[attr] < 1:  # TF's op def: int >= 1
            raise errors.op_error(
                errors.InvalidArgumentError,
                op.name,
                f"Value for attr '{attr}' of {attrs[attr]} must be at least minimum 1",
            )
    n = attrs.get("top_paths", 1)
    return (D.int64,) * (3 * n) + (x.dtype,)


def _decoder_shapes(op, inputs, attrs):
    x, seq = inputs[0].shape, inputs[1].shape
    if x.rank is not None and x.rank != 3:
        raise _shape_error(op, f"Shape must be rank 3 but is rank {x.rank}")
    if seq.rank is not None and seq.rank != 1:
        raise _shape_error(op, f"Shape must be rank 1 but is rank {seq.rank}")
    batch = x[1] if x.rank is not None else None
    if seq.rank is not None:
        other = seq[0]
        if batch is not None and other is not None and batch != other:
            raise _shape_error(op, f"Dimensions must be equal, but are {batch} and {other}")
        batch = other if batch is None else batch
    n = attrs.get("top_paths", 1)
    return (
        (TensorShape([None, 2]),) * n
        + (TensorShape([None]),) * n
        + (TensorShape([2]),) * n
        + (TensorShape([batch, n]),)
    )


def _shape_error(op, message):
    return errors.op_error(errors.InvalidArgumentError, op.name, message)


def _validate(op_name, inputs, seq_len):
    """TF's CTCDecodeHelper::ValidateInputsGenerateOutputs, with its error classes."""
    if inputs.ndim != 3:
        raise errors.op_error(errors.InvalidArgumentError, op_name, "inputs is not a 3-Tensor")
    if inputs.size == 0:
        raise errors.op_error(errors.InvalidArgumentError, op_name, "inputs must not be empty")
    max_time, batch = inputs.shape[0], inputs.shape[1]
    if seq_len.ndim != 1:
        raise errors.op_error(
            errors.InvalidArgumentError, op_name, "sequence_length is not a vector"
        )
    if seq_len.shape[0] != batch:
        raise errors.op_error(
            errors.FailedPreconditionError,
            op_name,
            "len(sequence_length) != batch_size.  len(sequence_length):  "
            f"{seq_len.shape[0]} batch_size: {batch}",
        )
    over = xp.flatnonzero(seq_len > max_time)
    if over.size:
        raise errors.op_error(
            errors.FailedPreconditionError, op_name, f"sequence_length({over[0]}) <= {max_time}"
        )


def _to_sparse_parts(sequences, batch):
    """(indices [n, 2], values [n], dense_shape [2]) of per-batch decoded label lists."""
    counts = [len(s) for s in sequences]
    n = sum(counts)
    rows = xp.repeat(xp.arange(batch, dtype=xp.int64), counts)
    starts = xp.repeat(xp.cumsum([0] + counts[:-1]), counts).astype(xp.int64)
    cols = xp.arange(n, dtype=xp.int64) - starts
    values = xp.asarray([v for s in sequences for v in s], dtype=xp.int64).reshape(n)
    shape = xp.asarray([batch, max(counts, default=0)], dtype=xp.int64)
    return xp.stack([rows, cols], axis=1).reshape(n, 2), values, shape


# ---------------------------------------------------------------- CTCGreedyDecoder


def _row_max(x):
    """Eigen-free ``RowMax`` of TF's kernel: the first strictly larger entry wins, so NaN is
    skipped unless it is entry 0 (then entry 0, NaN, is the answer)."""
    nan = xp.isnan(x)
    idx = xp.argmax(xp.where(nan, -xp.inf, x), axis=-1)
    idx = xp.where(nan[..., 0], 0, idx)
    return idx, xp.take_along_axis(x, idx[..., None], -1)[..., 0]


def _greedy_kernel(inputs, sequence_length, merge_repeated, blank_index):
    _validate("CTCGreedyDecoder", inputs, sequence_length)
    max_time, batch, num_classes = inputs.shape
    blank = blank_index + num_classes if blank_index < 0 else blank_index
    if not 0 <= blank < num_classes:
        raise errors.op_error(
            errors.InvalidArgumentError,
            "CTCGreedyDecoder",
            f"blank_index expected to be between {-num_classes} and {num_classes - 1} "
            f"but was {blank_index}",
        )
    best, best_val = _row_max(inputs)  # [T, B]
    live = xp.arange(max_time)[:, None] < sequence_length[None, :]
    log_prob = xp.zeros(batch, inputs.dtype)
    for t in range(max_time):  # TF accumulates -max step by step, in the input dtype
        log_prob += xp.where(live[t], -best_val[t], inputs.dtype.type(0))
    prev = xp.concatenate([xp.full((1, batch), -1), best[:-1]], axis=0)
    keep = live & (best != blank)
    if merge_repeated:
        keep &= best != prev
    sequences = [best[keep[:, b], b].tolist() for b in range(batch)]
    return _to_sparse_parts(sequences, batch) + (log_prob[:, None],)


ctc_greedy_decoder_op = defop(
    "CTCGreedyDecoder",
    _greedy_kernel,
    dtype_rule=_decoder_dtypes,
    shape_rule=_decoder_shapes,
    grad=None,
    num_outputs=4,
)


def _seq_len(sequence_length):
    if isinstance(sequence_length, Tensor):
        return sequence_length
    return convert_to_tensor(sequence_length, dtype=D.int32)


@tf_export("nn.ctc_greedy_decoder", "compat.v1.nn.ctc_greedy_decoder")
def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """Best-path decoding of ``inputs`` ([max_time, batch, num_classes] logits).

    At each time step the arg-max class is taken; with ``merge_repeated`` a class equal to the
    previous step's is dropped, and the blank (``blank_index``, default ``num_classes - 1``,
    negative counts from the end) is never emitted. Returns ``([decoded], neg_sum_logits)``:
    ``decoded`` a SparseTensor [batch, max_decoded_length] of int64 labels, ``neg_sum_logits``
    [batch, 1] the negated sum of the per-step maxima.

    Example:
      >>> x = tf.math.log([[[0.1, 0.8, 0.1]], [[0.1, 0.8, 0.1]], [[0.7, 0.2, 0.1]]])
      >>> (decoded,), _ = tf.nn.ctc_greedy_decoder(x, [3])
      >>> decoded.values.numpy()
      array([1, 0])
    """
    x = convert_to_tensor(inputs)
    blank = -1 if blank_index is None else int(blank_index)
    ix, vals, shape, log_prob = apply(
        ctc_greedy_decoder_op,
        x,
        _seq_len(sequence_length),
        merge_repeated=bool(merge_repeated),
        blank_index=blank,
    )
    return [SparseTensor(ix, vals, shape)], log_prob


# ---------------------------------------------------------------- CTCBeamSearchDecoder


def _log_sum_exp(a, b):
    """TF's ctc LogSumExp (exact for log(0) = -inf operands)."""
    if a == _NEG_INF:
        return b
    if b == _NEG_INF:
        return a
    if a > b:
        return a + math.log1p(math.exp(b - a))
    return b + math.log1p(math.exp(a - b))


class _Entry:
    """A beam-trie node: the label sequence parent.labels + [label] and its probabilities
    (log; ``old`` at t - 1, ``new`` at t; total = blank-ending + label-ending)."""

    __slots__ = (
        "children",
        "label",
        "new_blank",
        "new_label",
        "new_total",
        "old_blank",
        "old_total",
        "parent",
    )

    def __init__(self, parent, label):
        self.parent, self.label, self.children = parent, label, {}
        self.old_total = self.old_blank = _NEG_INF
        self.new_total = self.new_blank = self.new_label = _NEG_INF

    def child(self, label):
        c = self.children.get(label)
        if c is None:
            c = self.children[label] = _Entry(self, label)
        return c

    def reset_new(self):
        self.new_total = self.new_blank = self.new_label = _NEG_INF

    def label_seq(self, merge_repeated):
        out, prev, e = [], -1, self
        while e.parent is not None:
            if not merge_repeated or e.label != prev:
                out.append(e.label)
            prev, e = e.label, e.parent
        return out[::-1]


class _Beam:
    """TF's CTCBeamSearchDecoder with the default scorer, for one batch entry.

    ``leaves`` (at most ``beam_width`` entries) plays gtl::TopN: sorted by total descending
    (ties: insertion order) when extracted; while new leaves grow it is a min-heap whose bottom
    is evicted (and deactivated) when a better candidate arrives."""

    def __init__(self, num_classes, beam_width):
        self.blank = num_classes - 1
        self.width = beam_width
        root = _Entry(None, -1)
        root.new_total = root.new_blank = 0.0
        self.leaves = [root]

    def step(self, row):
        m = max(row)
        norm = m + math.log(sum(math.exp(v - m) for v in row))  # log-softmax offset
        branches = sorted(self.leaves, key=lambda e: -e.new_total)
        for b in branches:
            b.old_total, b.old_blank = b.new_total, b.new_blank
        for b in branches:
            if b.parent is not None:
                p = b.parent
                lab = b.new_label
                if p.new_total != _NEG_INF:  # parent still active
                    lab = _log_sum_exp(lab, p.old_blank if b.label == p.label else p.old_total)
                b.new_label = lab + row[b.label] - norm
            b.new_blank = b.old_total + row[self.blank] - norm
            b.new_total = _log_sum_exp(b.new_blank, b.new_label)
        heap = [(b.new_total, i, b) for i, b in enumerate(branches)]
        heapq.heapify(heap)
        order = len(heap)
        width = self.width
        for b in branches:
            total = b.old_total
            if total == _NEG_INF or (len(heap) >= width and not total > heap[0][0]):
                continue
            for label in range(self.blank):
                c = b.child(label)
                if c.new_total != _NEG_INF:  # already in the beam
                    continue
                prev = b.old_blank if label == b.label else b.old_total
                score = row[label] - norm + prev
                c.new_blank, c.new_label, c.new_total = _NEG_INF, score, score
                if score != _NEG_INF and (len(heap) < width or score > heap[0][0]):
                    if len(heap) >= width:
                        heapq.heappop(heap)[2].reset_new()
                    heapq.heappush(heap, (score, order, c))
                    order += 1
                else:
                    c.old_total = c.old_blank = _NEG_INF
                    c.reset_new()
        self.leaves = [e for _, _, e in sorted(heap, key=lambda h: h[1])]

    def top_paths(self, n, merge_repeated):
        if n > self.width:
            raise errors.op_error(
                errors.InvalidArgumentError,
                "CTCBeamSearchDecoder",
                "requested more paths than the beam width.",
            )
        if n > len(self.leaves):
            raise errors.op_error(
                errors.InvalidArgumentError,
                "CTCBeamSearchDecoder",
                "Less leaves in the beam search than requested.",
            )
        best = sorted(self.leaves, key=lambda e: -e.new_total)[:n]
        return [e.label_seq(merge_repeated) for e in best], [e.new_total for e in best]


def _beam_kernel(inputs, sequence_length, beam_width, top_paths, merge_repeated):
    _validate("CTCBeamSearchDecoder", inputs, sequence_length)
    _, batch, num_classes = inputs.shape
    rows = inputs.astype(xp.float64).tolist()
    paths = [[None] * batch for _ in range(top_paths)]
    log_prob = xp.zeros((batch, top_paths), inputs.dtype)
    for b in range(batch):
        beam = _Beam(num_classes, beam_width)
        for t in range(int(sequence_length[b])):
            beam.step(rows[t][b])
        seqs, scores = beam.top_paths(top_paths, merge_repeated)
        for p in range(top_paths):
            paths[p][b] = seqs[p]
        log_prob[b] = scores
    parts = [_to_sparse_parts(paths[p], batch) for p in range(top_paths)]
    return tuple([q[0] for q in parts] + [q[1] for q in parts] + [q[2] for q in parts] + [log_prob])


ctc_beam_search_decoder_op = defop(
    "CTCBeamSearchDecoder",
    _beam_kernel,
    dtype_rule=_decoder_dtypes,
    shape_rule=_decoder_shapes,
    grad=None,
    num_outputs=None,
)


@tf_export("compat.v1.nn.ctc_beam_search_decoder")
def ctc_beam_search_decoder(
    inputs, sequence_length, beam_width=100, top_paths=1, merge_repeated=True
):
    """TF1 beam search decoding (``merge_repeated`` also merges repeated labels of a path).

    Returns ``(decoded, log_probabilities)``: ``top_paths`` SparseTensors [batch,
    max_decoded_length] and the [batch, top_paths] log-probabilities of the paths.
    """
    outs = apply(
        ctc_beam_search_decoder_op,
        convert_to_tensor(inputs),
        _seq_len(sequence_length),
        beam_width=int(beam_width),
        top_paths=int(top_paths),
        merge_repeated=bool(merge_repeated),
    )
    n = (len(outs) - 1) // 3
    decoded = [SparseTensor(outs[i], outs[n + i], outs[2 * n + i]) for i in range(n)]
    return decoded, outs[-1]


@tf_export("nn.ctc_beam_search_decoder", "compat.v1.nn.ctc_beam_search_decoder_v2")
def ctc_beam_search_decoder_v2(inputs, sequence_length, beam_width=100, top_paths=1):
    """Beam search decoding of ``inputs`` ([max_time, batch, num_classes] logits, blank = last
    class): the ``top_paths`` most probable labellings, alignments of one labelling summed.

    Returns ``(decoded, log_probabilities)``: ``decoded[j]`` a SparseTensor [batch,
    max_decoded_length[j]] of int64 labels of path ``j``, ``log_probabilities`` [batch,
    top_paths].

    Example:
      >>> x = tf.math.log([[[0.3, 0.7]], [[0.4, 0.6]]])
      >>> (decoded,), log_p = tf.nn.ctc_beam_search_decoder(x, [2], beam_width=2)
      >>> decoded.values.numpy(), round(float(tf.exp(log_p)[0, 0]), 2)
      (array([0]), 0.58)
    """
    return ctc_beam_search_decoder(
        inputs, sequence_length, beam_width=beam_width, top_paths=top_paths, merge_repeated=False
    )
