"""Numeric gradient checks over the op table (tests/autodiff/op_table.py).

* ``test_first_order``: every case, tape VJP vs central-difference JVP on a random projection.
* ``test_second_order``: the gradient of the gradient (w.r.t. inputs and upstream gradients) for
  every case with ``order=2``; this is what checks the rules of the ``*Grad`` ops.
* ``test_every_gradient_rule_is_exercised``: fails when an op of ``REGISTRY`` with a gradient rule
  was recorded on no tape during the checks and is not in ``EXCLUDED`` (with a reason).
"""

import contextlib

import numpy as np
import pytest
from op_table import CASES

import tensorlet as tf
from tensorlet.ops import op_def
from tensorlet.testing import gradient_check
from tensorlet.testing.op_test import Arg, OpCase, check_gradients

# ---- ops with a gradient rule that a numeric check cannot exercise, and why.
# Their rules are checked exactly below instead (None for every input / LookupError as in TF).
NOT_DIFFERENTIABLE = {  # TF's ops.NotDifferentiable: the rule returns None for every input
    "Shape": "integer output (the shape)",
    "Size": "integer output",
    "Rank": "integer output",
    "ShapeN": "integer outputs",
    "InvertPermutation": "integer-only op",
    "BroadcastArgs": "integer-only op (shapes)",
    "Where": "integer output (coordinates of true elements)",
    "LowerBound": "integer output (insertion indices); piecewise constant in its inputs",
    "UpperBound": "integer output (insertion indices); piecewise constant in its inputs",
    "UnravelIndex": "integer-only op",
    "OneHot": "TF: not differentiable (on/off values included)",
    "ZerosLike": "constant output; TF: not differentiable (None, not zeros)",
    "OnesLike": "constant output; TF: not differentiable (None, not zeros)",
    "Range": "TF: not differentiable",
}
NO_GRADIENT = {  # TF registers no gradient: differentiating through them raises LookupError
    "TruncateMod": "TF has no TruncateMod gradient",
    "DenseBincount": "TF has no DenseBincount gradient (bincount's weights included)",
    "Unique": "TF has no Unique gradient",
    "UniqueWithCounts": "TF has no UniqueWithCounts gradient",
    "IgammaGradA": "TF has no gradient for igamma's d/da (third derivative of igamma)",
    "SoftsignGrad": "TF has no SoftsignGrad gradient (no second derivative of softsign)",
    "Lu": "TF 2.21 has no Lu gradient (fixture linalg/lu records the LookupError)",
    "ResizeArea": "TF has no ResizeArea gradient",
    "AdjustContrastv2": "TF has no AdjustContrastv2 gradient",
    "AdjustHue": "TF has no AdjustHue gradient",
    "AdjustSaturation": "TF has no AdjustSaturation gradient",
    "RFFT3D": "TF registers no RFFT3D gradient",
    "IRFFT3D": "TF registers no IRFFT3D gradient",
    "FFTND": "TF registers no FFTND gradient",
    "IFFTND": "TF registers no IFFTND gradient",
    "RFFTND": "TF registers no RFFTND gradient",
    "IRFFTND": "TF registers no IRFFTND gradient",
}
_LIST_OPS = ("TensorListConcatV2", "TensorListFromTensor", "TensorListGather", "TensorListGetItem",
             "TensorListScatterIntoExistingList", "TensorListSetItem", "TensorListSplit",
             "TensorListStack")
CHECKED_ELSEWHERE = {  # rules whose inputs/outputs are variant handles, not float arrays
    name: "variant TensorList handle: checked through tf.TensorArray gradients in graphs "
          "(tests/ops/test_tensor_array_ops.py)" for name in _LIST_OPS
}
_GAMMA = ("implicit reparameterization gradient (samples are not a smooth function of alpha at "
          "a fixed seed): checked against SciPy's gammaincinv in tests/ops/test_gamma_gradients.py")
CHECKED_ELSEWHERE.update({
    "RandomGamma": _GAMMA,
    "StatelessRandomGammaV2": _GAMMA,
    "TensorletGammaRescale": "checked with the gamma gradients in tests/ops/test_gamma_gradients.py",
})
EXCLUDED = {**NOT_DIFFERENTIABLE, **NO_GRADIENT, **CHECKED_ELSEWHERE}

# Checks that fail because of a bug in an op's gradient rule (someone else's module): strict
# xfails, so fixing the rule makes the run fail here until the entry is removed.
_MAX_POOL_GRAD_GRAD = (
    "has grad=None, so the second derivative through max pooling is silently "
    "zero; TF registers _{0}GradGrad (zeros for the inputs, {0}GradGrad for "
    "the upstream gradient)"
)
KNOWN_BUGS = {
    ("max_pool3d", 2): "pooling_ops.py MaxPool3DGrad " + _MAX_POOL_GRAD_GRAD.format("MaxPool3D"),
    ("fused_batch_norm", 2): "nn_impl.py _fbn_grad (is_training) builds the gradient from "
    "op.outputs[3:5], the batch mean/variance, whose own gradients FusedBatchNormV3 drops: the "
    "second derivative misses their dependence on x (TF's _FusedBatchNormGradGrad recomputes "
    "them from x in _BatchNormGrad and is exact)",
}

def _import_all_op_modules():
    """Some op modules load on first use (list_ops via TensorArray): register every op now."""
    import importlib
    import pkgutil

    import tensorlet.ops

    for info in pkgutil.iter_modules(tensorlet.ops.__path__, "tensorlet.ops."):
        importlib.import_module(info.name)


_import_all_op_modules()

COVERED = set()  # op names recorded on a tape while the table's checks ran
_RAN = set()  # (case name, order) already run in this session


@pytest.fixture(autouse=True)
def _record_coverage(monkeypatch):
    record = op_def._record

    def recording(op, inputs, attrs, outputs):
        COVERED.add(op.name)
        return record(op, inputs, attrs, outputs)

    monkeypatch.setattr(op_def, "_record", recording)


def _run(case, order):
    _RAN.add((case.name, order))
    args = case.inputs()
    if order == 1:
        gradient_check.check_vjp(
            case.call, args, wrt=case.wrt, eps=case.eps, rtol=case.rtol, atol=case.atol
        )
    else:
        gradient_check.check_second_order(
            case.call, args, wrt=case.wrt, eps=case.eps, rtol=10 * case.rtol, atol=10 * case.atol
        )


def _params(cases, order):
    return [
        pytest.param(
            c,
            id=c.name,
            marks=[pytest.mark.xfail(reason=KNOWN_BUGS[c.name, order], strict=True)]
            if (c.name, order) in KNOWN_BUGS
            else [],
        )
        for c in cases
    ]


@pytest.mark.parametrize("case", _params(CASES, 1))
def test_first_order(case):
    _run(case, 1)


@pytest.mark.parametrize("case", _params([c for c in CASES if c.order >= 2], 2))
def test_second_order(case):
    _run(case, 2)


def test_case_names_are_unique():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_every_gradient_rule_is_exercised():
    for case in CASES:  # cases deselected in this session still count (their failures are theirs)
        for order in (1, 2)[: case.order]:
            if (case.name, order) not in _RAN:
                with contextlib.suppress(Exception):  # a failure is reported by its own test
                    _run(case, order)
    with_rule = {n for n, op in op_def.REGISTRY.items() if op.grad is not None}
    missing = sorted(with_rule - COVERED - set(EXCLUDED))
    assert not missing, f"ops with a gradient rule exercised by no op_table case: {missing}"
    stale = sorted(n for n in EXCLUDED if n not in with_rule)
    assert not stale, f"EXCLUDED lists ops that have no gradient rule: {stale}"


class _FakeOp:
    def __init__(self, n_inputs):
        self.inputs = [tf.constant(1.0)] * n_inputs
        self.outputs = [tf.constant(1.0)]
        self.attrs = {}
        self.skip_input_indices = ()


@pytest.mark.parametrize("name", sorted(NOT_DIFFERENTIABLE))
def test_not_differentiable_rules_return_none(name):
    grads = op_def.REGISTRY[name].grad(_FakeOp(3), tf.constant(1.0))
    assert list(grads) == [None] * 3


_NO_GRADIENT_CALLS = {
    "TruncateMod": lambda x: tf.truncatemod(x, 0.7),
    "DenseBincount": lambda x: tf.math.bincount(np.array([0, 1, 1], np.int32), weights=x),
    "Unique": lambda x: tf.unique(x)[0],
    "UniqueWithCounts": lambda x: tf.unique_with_counts(x)[0],
    "IgammaGradA": None,  # reached only as the second derivative of igamma w.r.t. a
    "SoftsignGrad": None,  # reached only as the second derivative of softsign
    "Lu": lambda x: tf.linalg.lu(tf.reshape(tf.concat([x, x * x, [3.0, 1.0, 2.0]], 0), [3, 3]))[0],
    "ResizeArea": lambda x: tf.compat.v1.image.resize_area(tf.reshape(x, [1, 1, 3, 1]), [2, 2]),
    "AdjustContrastv2": lambda x: tf.image.adjust_contrast(tf.reshape(x, [1, 1, 3]), 1.5),
    "AdjustHue": lambda x: tf.image.adjust_hue(tf.reshape(x, [1, 1, 3]) / 3.0, 0.2),
    "AdjustSaturation": lambda x: tf.image.adjust_saturation(tf.reshape(x, [1, 1, 3]) / 3.0, 1.5),
    "RFFT3D": lambda x: tf.math.real(tf.signal.rfft3d(tf.reshape(x, [1, 1, 3]))),
    "IRFFT3D": lambda x: tf.signal.irfft3d(
        tf.complex(tf.reshape(x, [1, 1, 3]), tf.zeros([1, 1, 3], tf.float64))),
    "FFTND": lambda x: tf.math.real(tf.signal.fftnd(tf.complex(x, x))),
    "IFFTND": lambda x: tf.math.real(tf.signal.ifftnd(tf.complex(x, x))),
    "RFFTND": lambda x: tf.math.real(tf.signal.rfftnd(x)),
    "IRFFTND": lambda x: tf.signal.irfftnd(tf.complex(x, x)),
}

_SECOND_DERIVATIVE = {
    "IgammaGradA": lambda x: tf.math.igamma(x, tf.constant(1.0, tf.float64)),
    "SoftsignGrad": tf.math.softsign,
}


@pytest.mark.parametrize("name", sorted(NO_GRADIENT))
def test_ops_without_tf_gradient_raise_lookup_error(name):
    x = tf.constant([1.5, 2.5, 1.5], dtype=tf.float64)
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(x)
        if _NO_GRADIENT_CALLS[name] is None:
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = _SECOND_DERIVATIVE[name](x)
            y = inner.gradient(y, x)
        else:
            y = _NO_GRADIENT_CALLS[name](x)
    assert name in {r.opdef.name for r in outer._records}
    with pytest.raises(LookupError, match=name):
        outer.gradient(y, x)


# ---- the checker itself must be able to fail, and agree with tf.test.compute_gradient


def test_check_vjp_catches_a_wrong_gradient():
    @tf.custom_gradient
    def bad_square(x):
        return x * x, lambda dy: dy * x  # missing the factor 2

    with pytest.raises(gradient_check.GradientCheckError):
        gradient_check.check_vjp(bad_square, [np.linspace(0.5, 1.5, 6).reshape(2, 3)])


def test_check_second_order_catches_a_wrong_second_derivative():
    @tf.custom_gradient
    def cube(x):  # first derivative right, its gradient (through tf.stop_gradient) wrong
        return x * x * x, lambda dy: dy * 3.0 * tf.stop_gradient(x) * x

    gradient_check.check_vjp(cube, [np.array([0.5, 1.5])])
    with pytest.raises(gradient_check.GradientCheckError):
        gradient_check.check_second_order(cube, [np.array([0.5, 1.5])])


def test_check_jacobian_full_small():
    x = np.array([[0.3, -1.2], [0.7, 2.0]])
    theoretical, numerical = gradient_check.check_jacobian(
        lambda a: tf.math.tanh(tf.linalg.matmul(a, a)), [x], rtol=1e-5, atol=1e-7
    )
    assert theoretical[0].shape == (4, 4)
    np.testing.assert_allclose(
        gradient_check.numeric_jacobian(lambda a: tf.math.tanh(tf.linalg.matmul(a, a)), [x], 0),
        numerical[0],
    )


def test_check_gradients_on_a_case():
    check_gradients(OpCase("exp", tf.math.exp, (Arg((2, 3)),)))
