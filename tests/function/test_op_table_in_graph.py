"""Every row of the gradient op table, eager vs tf.function: outputs and gradients must agree.

Two ways through the graph: the tape inside the function (the backward pass is traced into the
graph) and the tape around the call (one tape record, its backward pass traced on first use).
"""

import os
import sys

import numpy as np
import pytest

import tensorlet as tf

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "autodiff"))
from op_table import CASES

# rows whose public function cannot be traced yet (the reason is in another module)
KNOWN = {
    "sparse.segment_sum": "segment_ops reads the segment ids with .numpy()",
    "sparse.segment_mean": "segment_ops reads the segment ids with .numpy()",
    "sparse.segment_sqrt_n": "segment_ops reads the segment ids with .numpy()",
}


def _float_leaves(out):
    return [
        o
        for o in tf.nest.flatten(out)
        if hasattr(o, "dtype") and (o.dtype.is_floating or o.dtype.is_complex)
    ]


def _outputs_and_grads(case, tensors):
    with tf.GradientTape() as tape:
        for i in case.wrt:
            tape.watch(tensors[i])
        out = case.call(*tensors)
    grads = tape.gradient(_float_leaves(out), [tensors[i] for i in case.wrt])
    return tf.nest.flatten(out), grads


def _compare(want, got):
    for w, g in zip(want, got):
        assert (w is None) == (g is None)
        if w is not None:
            w, g = tf.convert_to_tensor(w), tf.convert_to_tensor(g)
            assert w.dtype == g.dtype
            np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-6, atol=1e-9)


KNOWN_AROUND = KNOWN  # the tape around the call traces the backward pass too


def _params(known):
    return [
        pytest.param(
            c,
            id=c.name,
            marks=[pytest.mark.xfail(reason=known[c.name], strict=True)] if c.name in known else [],
        )
        for c in CASES
    ]


def _tensors(case):
    return [tf.constant(a) if isinstance(a, np.ndarray) else a for a in case.inputs()]


@pytest.mark.parametrize("case", _params(KNOWN))
def test_tape_inside_function(case):
    tf.random.set_seed(3)
    want_out, want_g = _outputs_and_grads(case, _tensors(case))
    tf.random.set_seed(3)
    got_out, got_g = tf.function(lambda *ts: _outputs_and_grads(case, list(ts)), autograph=False)(
        *_tensors(case)
    )
    _compare(want_out + list(want_g), got_out + list(got_g))


@pytest.mark.parametrize("case", _params(KNOWN_AROUND))
def test_tape_around_call(case):
    tensors = _tensors(case)
    tf.random.set_seed(3)
    want_out, want_g = _outputs_and_grads(case, tensors)
    f = tf.function(case.call, autograph=False)
    tf.random.set_seed(3)
    with tf.GradientTape() as tape:
        for i in case.wrt:
            tape.watch(tensors[i])
        out = f(*tensors)
    got_g = tape.gradient(_float_leaves(out), [tensors[i] for i in case.wrt])
    _compare(want_out + list(want_g), tf.nest.flatten(out) + list(got_g))
