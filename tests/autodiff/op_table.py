"""The op table: one or more ``OpCase`` per differentiable TF op, through its public function.

``ops`` names the OpDef(s) a row is written for; ``test_op_gradients.py`` checks every row
numerically (first order; second order unless ``order=1``) and fails when an op with a gradient
rule is exercised by no row (coverage is recorded from the tapes, not read from ``ops``).
Ops that only appear inside gradients (``ReluGrad``, ``Conv2DBackpropFilter``, ``AvgPoolGrad``...)
are covered by the second-order checks of the op that emits them. A few ops have no public
float path (TF's ``Add`` is the string op here): their rows call ``op_def.apply`` directly.

Shapes are tiny on purpose: the whole table runs in seconds.
"""

import numpy as np

import tensorlet as tf
from tensorlet.ops import op_def
from tensorlet.testing.op_test import Arg, OpCase

# fmt: off
# (one row per line, as a table reads best; ruff format leaves the rest of the file alone)


def A(*shape, domain="real", dtype="float64"):
    return Arg(tuple(shape), domain, dtype)


def A32(*shape, domain="real"):
    """float32 input, for the ops TF gives no float64 kernel (LRN, FusedBatchNorm, image resize)."""
    return Arg(tuple(shape), domain, "float32")


F32_TOL = {"eps": 1e-2, "rtol": 2e-3, "atol": 1e-4}  # float32: a bigger step, looser tolerance


def _relu6_domain(rng, s):
    """Away from both kinks of relu6 (0 and 6)."""
    return rng.choice([-1.0, 1.0], s) * rng.uniform(0.3, 1.0, s) + rng.choice([0.0, 3.0], s)


def _rgb_domain(rng, s):
    """Colour values in (0.1, 0.9), all distinct (no ties between channels)."""
    n = int(np.prod(s))
    return (0.1 + 0.8 * (rng.permutation(n) + 0.5) / n).reshape(s)


def _seeded(fn, seed=7):
    """Random ops (dropout, fractional pooling) draw the same sample on every evaluation."""
    def call(*args, **kwargs):
        tf.random.set_seed(seed)
        return fn(*args, **kwargs)
    return call


def _raw(name):
    """Runs the op ``name`` directly (no public function reaches it with float inputs)."""
    return lambda *xs, **attrs: op_def.apply(op_def.REGISTRY[name], *xs, **attrs)


def _c(a, b):
    return tf.dtypes.complex(a, b)


_C = np.complex128(0.5 + 2.0j)


def _re_im(z):
    return [tf.math.real(z), tf.math.imag(z)]


def _abs_sq(outs):
    """Drops the sign freedom of eigen/singular vectors: columns enter squared (elementwise)."""
    return [o * o if i else o for i, o in enumerate(outs)]


I32 = np.int32
BOOL = np.array([[True, False, True], [False, True, True]])

# ---------------------------------------------------------------- unary math (x: (2, 3))
_UNARY = [  # (public function, domain, op, order)
    (tf.math.abs, "away0", "Abs", 2),
    (tf.math.negative, "real", "Neg", 2),
    (tf.math.sign, "away0", "Sign", 2),
    (tf.math.square, "real", "Square", 2),
    (tf.math.sqrt, "positive", "Sqrt", 2),
    (tf.math.rsqrt, "positive", "Rsqrt", 2),
    (tf.math.exp, "real", "Exp", 2),
    (tf.math.expm1, "real", "Expm1", 2),
    (tf.math.log, "positive", "Log", 2),
    (tf.math.log1p, "positive", "Log1p", 2),
    (tf.math.sin, "real", "Sin", 2),
    (tf.math.cos, "real", "Cos", 2),
    (tf.math.tan, "small", "Tan", 2),
    (tf.math.asin, "unit", "Asin", 2),
    (tf.math.acos, "unit", "Acos", 2),
    (tf.math.atan, "real", "Atan", 2),
    (tf.math.sinh, "real", "Sinh", 2),
    (tf.math.cosh, "real", "Cosh", 2),
    (tf.math.tanh, "real", "Tanh", 2),
    (tf.math.asinh, "real", "Asinh", 2),
    (tf.math.acosh, "gt1", "Acosh", 2),
    (tf.math.atanh, "unit", "Atanh", 2),
    (tf.math.sigmoid, "real", "Sigmoid", 2),
    (tf.math.softplus, "real", "Softplus", 2),
    (tf.math.softsign, "real", "Softsign", 1),  # TF: SoftsignGrad has no gradient
    (tf.math.reciprocal, "away0", "Reciprocal", 2),
    # special functions
    (tf.math.erf, "real", "Erf", 2),
    (tf.math.erfc, "real", "Erfc", 2),
    (tf.math.erfinv, "unit", "Erfinv", 2),
    (tf.math.ndtri, "prob", "Ndtri", 2),
    (tf.math.lgamma, "positive", "Lgamma", 2),
    (tf.math.digamma, "positive", "Digamma", 2),
    (tf.math.special.bessel_i0e, "real", "BesselI0e", 2),
    (tf.math.special.bessel_i1e, "real", "BesselI1e", 2),
    (tf.math.special.bessel_i0, "real", "BesselI0", 2),
    (tf.math.special.bessel_i1, "real", "BesselI1", 2),
    (tf.math.special.bessel_j0, "real", "BesselJ0", 2),
    (tf.math.special.bessel_j1, "real", "BesselJ1", 2),
    (tf.math.special.bessel_y0, "positive", "BesselY0", 2),
    (tf.math.special.bessel_y1, "positive", "BesselY1", 2),
    (tf.math.special.bessel_k0, "positive", "BesselK0", 2),
    (tf.math.special.bessel_k0e, "positive", "BesselK0e", 2),
    (tf.math.special.bessel_k1, "positive", "BesselK1", 2),
    (tf.math.special.bessel_k1e, "positive", "BesselK1e", 2),
    (tf.math.special.dawsn, "real", "Dawsn", 2),
    (tf.math.special.expint, "positive", "Expint", 2),
    (tf.math.special.fresnel_cos, "real", "FresnelCos", 2),
    (tf.math.special.fresnel_sin, "real", "FresnelSin", 2),
    (tf.math.special.spence, "positive", "Spence", 2),
]
UNARY_CASES = [OpCase(fn.__name__, fn, (A(2, 3, domain=dom),), ops=(op,), order=order)
               for fn, dom, op, order in _UNARY]

# ---------------------------------------------------------------- binary math ((2, 3) x (3,))
_BINARY = [  # (public function, x domain, y domain, op, order)
    (tf.math.add, "real", "real", "AddV2", 2),
    (tf.math.subtract, "real", "real", "Sub", 2),
    (tf.math.multiply, "real", "real", "Mul", 2),
    (tf.math.truediv, "real", "away0", "RealDiv", 2),
    (tf.math.divide_no_nan, "real", "away0", "DivNoNan", 2),
    (tf.math.multiply_no_nan, "real", "real", "MulNoNan", 2),
    (tf.math.floormod, "real", "positive", "FloorMod", 2),
    (tf.math.pow, "positive", "real", "Pow", 2),
    (tf.math.maximum, "distinct", "real", "Maximum", 2),
    (tf.math.minimum, "distinct", "real", "Minimum", 2),
    (tf.math.squared_difference, "real", "real", "SquaredDifference", 2),
    (tf.math.atan2, "real", "away0", "Atan2", 2),
    (tf.math.xlogy, "real", "positive", "Xlogy", 2),
    (tf.math.xlog1py, "real", "positive", "Xlog1py", 2),
    (tf.math.xdivy, "real", "away0", "Xdivy", 2),
    (tf.math.nextafter, "real", "real", "NextAfter", 2),
    (_raw("Add"), "real", "real", "Add", 2),
]
BINARY_CASES = [OpCase("raw/" + op if fn.__name__ == "<lambda>" else fn.__name__, fn,
                       (A(2, 3, domain=dx), A(3, domain=dy)), ops=(op,), order=order)
                for fn, dx, dy, op, order in _BINARY]

MATH_CASES = [
    OpCase("add_n", lambda a, b, c: tf.math.add_n([a, b, c]), (A(2, 3), A(2, 3), A(2, 3)),
           ops=("AddN",)),
    OpCase("polygamma", tf.math.polygamma, (np.array([[1.0], [2.0]]), A(2, 3, domain="positive")),
           ops=("Polygamma",)),  # TF: no gradient w.r.t. the order a
    OpCase("zeta", tf.math.zeta, (np.full((2, 3), 2.5), A(2, 3, domain="positive")),
           ops=("Zeta",)),  # TF: no gradient w.r.t. x
    # IgammaGradA (d/da) has no gradient in TF: second order would raise LookupError
    OpCase("igamma", tf.math.igamma, (A(2, 3, domain="positive"), A(2, 3, domain="positive")),
           ops=("Igamma",), order=1, rtol=1e-5),
    OpCase("igammac", tf.math.igammac, (A(2, 3, domain="positive"), A(2, 3, domain="positive")),
           ops=("Igammac",), order=1, rtol=1e-5),
    OpCase("betainc", tf.math.betainc,  # TF: gradient only w.r.t. x
           (np.full((2, 3), 1.5), np.full((2, 3), 2.5), A(2, 3, domain="prob")), ops=("Betainc",)),
    OpCase("cast", lambda x: tf.math.real(tf.cast(x, tf.complex128) * _C), (A(2, 3),),
           ops=("Cast",)),
    OpCase("complex", lambda a, b: _re_im(_c(a, b) * _c(a, b)), (A(2, 3), A(2, 3)),
           ops=("Complex", "Real", "Imag")),
    OpCase("angle", lambda a, b: tf.math.angle(_c(a, b)), (A(2, 3, domain="positive"), A(2, 3)),
           ops=("Angle",)),
    OpCase("conj", lambda a, b: _re_im(tf.math.conj(_c(a, b)) * _c(b, a)), (A(2, 3), A(2, 3)),
           ops=("Conj",)),
    OpCase("complex_abs", lambda a, b: tf.math.abs(_c(a, b)), (A(2, 3, domain="away0"), A(2, 3)),
           ops=("ComplexAbs",)),
    OpCase("check_numerics", lambda x: tf.debugging.check_numerics(x, "msg") * x, (A(2, 3),),
           ops=("CheckNumerics",)),
]

# ---------------------------------------------------------------- reductions and scans
REDUCTION_CASES = [
    OpCase("reduce_sum", tf.math.reduce_sum, (A(2, 3),), {"axis": 1}, ops=("Sum",)),
    OpCase("reduce_sum/all_keepdims", tf.math.reduce_sum, (A(2, 3, 2),), {"keepdims": True},
           ops=("Sum",)),
    OpCase("reduce_mean", tf.math.reduce_mean, (A(2, 3),), {"axis": 0}, ops=("Mean",)),
    OpCase("reduce_prod", tf.math.reduce_prod, (A(2, 3, domain="away0"),), {"axis": 1},
           ops=("Prod",)),
    OpCase("reduce_max", tf.math.reduce_max, (A(2, 3, domain="distinct"),), {"axis": 1},
           ops=("Max",)),
    OpCase("reduce_max/axes_keepdims", tf.math.reduce_max, (A(2, 3, 2, domain="distinct"),),
           {"axis": [0, 2], "keepdims": True}, ops=("Max",)),
    OpCase("reduce_min", tf.math.reduce_min, (A(2, 3, domain="distinct"),), {"axis": 0},
           ops=("Min",)),
    OpCase("reduce_euclidean_norm", tf.math.reduce_euclidean_norm, (A(2, 3, domain="away0"),),
           {"axis": 1}, ops=("EuclideanNorm",)),
    OpCase("cumsum", tf.math.cumsum, (A(2, 3),), {"axis": 1}, ops=("Cumsum",)),
    OpCase("cumsum/exclusive_reverse", tf.math.cumsum, (A(2, 3),),
           {"axis": 1, "exclusive": True, "reverse": True}, ops=("Cumsum",)),
    OpCase("cumprod", tf.math.cumprod, (A(2, 3, domain="away0"),), {"axis": 1}, ops=("Cumprod",)),
    OpCase("cumprod/exclusive_reverse", tf.math.cumprod, (A(2, 3, domain="away0"),),
           {"axis": 1, "exclusive": True, "reverse": True}, ops=("Cumprod",)),
    OpCase("cumulative_logsumexp", tf.math.cumulative_logsumexp, (A(2, 3),), {"axis": 1},
           ops=("CumulativeLogsumexp",)),
    # the exclusive scan's empty end is -inf (log 0): left out of the projection
    OpCase("cumulative_logsumexp/exclusive_reverse", tf.math.cumulative_logsumexp, (A(2, 3),),
           {"axis": 1, "exclusive": True, "reverse": True}, ops=("CumulativeLogsumexp",),
           post=lambda y: y[:, :-1]),
    OpCase("top_k", tf.math.top_k, (A(2, 4, domain="distinct"),), {"k": 2}, ops=("TopKV2",)),
    # ApproxTopK has float32/half/bfloat16 kernels only
    OpCase("approx_max_k", tf.math.approx_max_k, (A32(2, 5, domain="distinct"),), {"k": 2},
           ops=("ApproxTopK",), **F32_TOL),
    OpCase("approx_min_k/axis0", tf.math.approx_min_k, (A32(4, 3, domain="distinct"),),
           {"k": 2, "reduction_dimension": 0}, ops=("ApproxTopK",), **F32_TOL),
]

# ---------------------------------------------------------------- array ops
ARRAY_CASES = [
    OpCase("reshape", tf.reshape, (A(2, 3), [3, 2]), ops=("Reshape",)),
    OpCase("identity", tf.identity, (A(2, 3),), ops=("Identity",)),
    OpCase("identity_n", lambda a, b: tf.identity_n([a, b]), (A(2, 3), A(3)), ops=("IdentityN",)),
    OpCase("ensure_shape", tf.ensure_shape, (A(2, 3), [2, None]), ops=("EnsureShape",)),
    OpCase("expand_dims", tf.expand_dims, (A(2, 3), 1), ops=("ExpandDims",)),
    OpCase("squeeze", tf.squeeze, (A(2, 1, 3),), {"axis": 1}, ops=("Squeeze",)),
    OpCase("transpose", tf.transpose, (A(2, 3, 4),), {"perm": [2, 0, 1]}, ops=("Transpose",)),
    OpCase("transpose/conjugate", lambda a, b: _re_im(tf.transpose(_c(a, b), conjugate=True)),
           (A(2, 3), A(2, 3)), ops=("ConjugateTranspose",)),
    OpCase("concat", lambda a, b: tf.concat([a, b], axis=1), (A(2, 3), A(2, 2)),
           ops=("ConcatV2",)),
    OpCase("stack", lambda a, b: tf.stack([a, b], axis=1), (A(2, 3), A(2, 3)), ops=("Pack",)),
    OpCase("unstack", tf.unstack, (A(2, 3),), {"axis": 1}, ops=("Unpack",)),
    OpCase("split", tf.split, (A(2, 6), 3), {"axis": 1}, ops=("Split",)),
    OpCase("split/sizes", tf.split, (A(2, 6), [1, 2, 3]), {"axis": 1}, ops=("SplitV",)),
    OpCase("tile", tf.tile, (A(2, 3), [2, 2]), ops=("Tile",)),
    OpCase("pad", tf.pad, (A(2, 3), [[1, 0], [0, 2]]), ops=("Pad",)),
    OpCase("pad/constant_values", tf.pad, (A(2, 3), [[1, 0], [0, 2]]), {"constant_values": 1.5},
           ops=("PadV2",)),
    OpCase("pad/reflect", tf.pad, (A(3, 4), [[1, 2], [2, 1]]), {"mode": "REFLECT"},
           ops=("MirrorPad", "MirrorPadGrad")),
    OpCase("pad/symmetric", tf.pad, (A(3, 4), [[1, 2], [2, 1]]), {"mode": "SYMMETRIC"},
           ops=("MirrorPad", "MirrorPadGrad")),
    OpCase("reverse", tf.reverse, (A(2, 3), [1]), ops=("ReverseV2",)),
    OpCase("roll", tf.roll, (A(2, 3),), {"shift": [1, -1], "axis": [0, 1]}, ops=("Roll",)),
    OpCase("reverse_sequence", tf.reverse_sequence, (A(2, 4), np.array([3, 1])),
           {"seq_axis": 1, "batch_axis": 0}, ops=("ReverseSequence",)),
    OpCase("broadcast_to", tf.broadcast_to, (A(1, 3), [2, 3]), ops=("BroadcastTo",)),
    OpCase("where", lambda x, y: tf.where(BOOL, x, y), (A(2, 3), A(3)), ops=("SelectV2",)),
    OpCase("getitem", lambda x: x[::2, 1:], (A(3, 4),), ops=("StridedSlice", "StridedSliceGrad")),
    OpCase("getitem/negative_ellipsis_newaxis", lambda x: x[::-1, ..., None, 1], (A(3, 4, 2),),
           ops=("StridedSlice", "StridedSliceGrad")),
    OpCase("strided_slice/shrink", tf.strided_slice, (A(3, 4), [1, 0], [2, 4], [1, 2]),
           {"shrink_axis_mask": 1}, ops=("StridedSlice", "StridedSliceGrad")),
    OpCase("slice", tf.slice, (A(3, 4), [1, 1], [2, 2]), ops=("Slice",)),
    OpCase("fill", lambda v: tf.fill([2, 3], v), (A(),), ops=("Fill",)),
    OpCase("space_to_batch_nd", tf.space_to_batch_nd, (A(1, 4, 4, 1), [2, 2], [[0, 0], [0, 0]]),
           ops=("SpaceToBatchND",)),
    OpCase("batch_to_space_nd", tf.compat.v1.batch_to_space_nd,
           (A(4, 2, 2, 1), [2, 2], [[0, 0], [0, 0]]), ops=("BatchToSpaceND",)),
]

GATHER_CASES = [
    OpCase("gather", tf.gather, (A(4, 3), np.array([2, 0, 2], I32)), ops=("GatherV2",)),
    OpCase("gather/axis1", tf.gather, (A(2, 4), np.array([3, 0, 3], I32)), {"axis": 1},
           ops=("GatherV2",)),
    OpCase("gather/batch_dims", tf.gather, (A(2, 4), np.array([[3, 0], [1, 1]], I32)),
           {"axis": 1, "batch_dims": 1}, ops=("GatherV2",)),
    OpCase("gather_nd", tf.gather_nd, (A(3, 4), np.array([[0, 1], [2, 3], [0, 1]], I32)),
           ops=("GatherNd",)),
    OpCase("gather_nd/batch_dims", tf.gather_nd, (A(2, 3, 4), np.array([[1], [2]], I32)),
           {"batch_dims": 1}, ops=("GatherNd",)),
    OpCase("embedding_lookup", lambda p: tf.nn.embedding_lookup(p, np.array([[0, 2], [2, 1]], I32)),
           (A(4, 3),), ops=("GatherV2",)),
    OpCase("scatter_nd", lambda u: tf.scatter_nd(np.array([[1], [3], [1]], I32), u, [4, 2]),
           (A(3, 2),), ops=("ScatterNd",)),
    OpCase("tensor_scatter_nd_update", tf.tensor_scatter_nd_update,
           (A(4, 2), np.array([[1], [3]], I32), A(2, 2)), ops=("TensorScatterUpdate",)),
    OpCase("tensor_scatter_nd_add", tf.tensor_scatter_nd_add,
           (A(4, 2), np.array([[1], [3], [1]], I32), A(3, 2)), ops=("TensorScatterAdd",)),
    OpCase("tensor_scatter_nd_sub", tf.tensor_scatter_nd_sub,
           (A(4, 2), np.array([[1], [3], [1]], I32), A(3, 2)), ops=("TensorScatterSub",)),
    OpCase("tensor_scatter_nd_max", tf.tensor_scatter_nd_max,
           (A(4, 2, domain="distinct"), np.array([[1], [3]], I32), A(2, 2, domain="distinct")),
           ops=("TensorScatterMax",)),
    OpCase("tensor_scatter_nd_min", tf.tensor_scatter_nd_min,
           (A(4, 2, domain="distinct"), np.array([[1], [3]], I32), A(2, 2, domain="distinct")),
           ops=("TensorScatterMin",)),
    OpCase("dynamic_partition", tf.dynamic_partition, (A(4, 2), np.array([1, 0, 2, 1], I32), 3),
           ops=("DynamicPartition",)),
    # no duplicate indices: as in TF, an overwritten row still receives its gradient
    OpCase("dynamic_stitch",
           lambda a, b: tf.dynamic_stitch([np.array([0, 2], I32), np.array([1, 4, 3], I32)],
                                          [a, b]),
           (A(2, 3), A(3, 3)), ops=("DynamicStitch",)),
]

# No empty segment: TF's rules divide by the segment size (NaN second derivatives of an empty
# segment's mean) and unsorted max/min fill empty segments with the dtype's lowest value.
SEGMENT_CASES = [
    OpCase(name, fn, (A(4, 3, domain=dom), np.array([0, 0, 1, 2], I32)), ops=(op,))
    for name, fn, dom, op in [
        ("segment_sum", tf.math.segment_sum, "real", "SegmentSum"),
        ("segment_mean", tf.math.segment_mean, "real", "SegmentMean"),
        ("segment_max", tf.math.segment_max, "distinct", "SegmentMax"),
        ("segment_min", tf.math.segment_min, "distinct", "SegmentMin"),
        ("segment_prod", tf.math.segment_prod, "away0", "SegmentProd"),
    ]
] + [
    OpCase(name, fn, (A(4, 3, domain=dom), np.array([0, 2, 0, 1], I32), 3), ops=(op,))
    for name, fn, dom, op in [
        ("unsorted_segment_sum", tf.math.unsorted_segment_sum, "real", "UnsortedSegmentSum"),
        ("unsorted_segment_max", tf.math.unsorted_segment_max, "distinct", "UnsortedSegmentMax"),
        ("unsorted_segment_min", tf.math.unsorted_segment_min, "distinct", "UnsortedSegmentMin"),
        ("unsorted_segment_prod", tf.math.unsorted_segment_prod, "away0", "UnsortedSegmentProd"),
    ]
] + [
    # order 1: TF's rule emits SparseSegment*Grad, which has no gradient in TF
    OpCase(name, fn, (A(4, 3), np.array([0, 2, 2, 3], I32), np.array([0, 0, 1, 1], I32)),
           ops=(op,), order=1)
    for name, fn, op in [
        ("sparse.segment_sum", tf.sparse.segment_sum, "SparseSegmentSum"),
        ("sparse.segment_mean", tf.sparse.segment_mean, "SparseSegmentMean"),
        ("sparse.segment_sqrt_n", tf.sparse.segment_sqrt_n, "SparseSegmentSqrtN"),
    ]
]

# ---------------------------------------------------------------- linear algebra
LINALG_CASES = [
    OpCase("matmul", tf.linalg.matmul, (A(2, 3), A(3, 4)), ops=("MatMul",)),
    OpCase("matmul/transpose_a", tf.linalg.matmul, (A(3, 2), A(3, 4)), {"transpose_a": True},
           ops=("MatMul",)),
    OpCase("matmul/batch", tf.linalg.matmul, (A(2, 2, 3), A(4, 3)), {"transpose_b": True},
           ops=("BatchMatMulV2",)),
    OpCase("matmul/batch_broadcast_adjoint", tf.linalg.matmul, (A(2, 1, 3, 2), A(3, 4, 3)),
           {"adjoint_a": True, "adjoint_b": True}, ops=("BatchMatMulV2",)),
    OpCase("cross", tf.linalg.cross, (A(2, 3), A(2, 3)), ops=("Cross",)),
    OpCase("einsum", lambda a, b: tf.einsum("ij,jk->ik", a, b), (A(2, 3), A(3, 2)),
           ops=("Einsum",)),
    OpCase("einsum/trace_batch", lambda a, b: tf.einsum("bii,bj->bj", a, b), (A(2, 3, 3), A(2, 2)),
           ops=("Einsum",)),
    OpCase("einsum/ellipsis_broadcast", lambda a, b: tf.einsum("...ij,...jk->...ik", a, b),
           (A(2, 1, 2, 3), A(3, 3, 2)), ops=("Einsum",)),
    OpCase("einsum/unary", lambda a: tf.einsum("ijk->kj", a), (A(2, 3, 2),), ops=("Einsum",)),
    OpCase("diag_part", tf.linalg.diag_part, (A(2, 3, 3),), ops=("MatrixDiagPartV3",)),
    OpCase("diag", tf.linalg.diag, (A(2, 3),), ops=("MatrixDiagV3",)),
    OpCase("diag/k", tf.linalg.diag, (A(2, 3),), {"k": 1}, ops=("MatrixDiagV3",)),
    OpCase("set_diag", tf.linalg.set_diag, (A(2, 3, 3), A(2, 3)), ops=("MatrixSetDiagV3",)),
    OpCase("tensor_diag", tf.linalg.tensor_diag, (A(3),), ops=("Diag",)),
    OpCase("tensor_diag_part", tf.linalg.tensor_diag_part, (A(3, 3),), ops=("DiagPart",)),
    OpCase("band_part", tf.linalg.band_part, (A(3, 4), 1, 0), ops=("MatrixBandPart",)),
    OpCase("inv", tf.linalg.inv, (A(3, 3, domain="wellcond"),), ops=("MatrixInverse",)),
    OpCase("det", tf.linalg.det, (A(2, 3, 3, domain="wellcond"),), ops=("MatrixDeterminant",)),
    OpCase("slogdet", tf.linalg.slogdet, (A(3, 3, domain="wellcond"),),
           ops=("LogMatrixDeterminant",)),
    OpCase("solve", tf.linalg.solve, (A(3, 3, domain="wellcond"), A(3, 2)), ops=("MatrixSolve",)),
    OpCase("solve/adjoint", tf.linalg.solve, (A(3, 3, domain="wellcond"), A(3, 2)),
           {"adjoint": True}, ops=("MatrixSolve",)),
    OpCase("triangular_solve", tf.linalg.triangular_solve, (A(3, 3, domain="lower"), A(3, 2)),
           ops=("MatrixTriangularSolve",)),
    OpCase("triangular_solve/upper_adjoint", tf.linalg.triangular_solve,
           (A(3, 3, domain="wellcond"), A(3, 2)), {"lower": False, "adjoint": True},
           ops=("MatrixTriangularSolve",)),
    # the kernel reads one triangle, TF's gradient is the symmetric one: perturb symmetrically
    OpCase("cholesky", lambda a: tf.linalg.cholesky((a + tf.linalg.matrix_transpose(a)) / 2),
           (A(3, 3, domain="spd"),), ops=("Cholesky",), rtol=1e-5),
    OpCase("qr", tf.linalg.qr, (A(4, 3, domain="wellcond"),), ops=("Qr",), rtol=1e-5),
    OpCase("qr/square", tf.linalg.qr, (A(3, 3, domain="wellcond"),), ops=("Qr",), rtol=1e-5),
    OpCase("svd", tf.linalg.svd, (A(4, 3, domain="wellcond"),), ops=("Svd",), post=_abs_sq,
           rtol=1e-5),
    OpCase("svd/values", tf.linalg.svd, (A(3, 3, domain="wellcond"),), {"compute_uv": False},
           ops=("Svd",), rtol=1e-5),
    OpCase("eigh", tf.linalg.eigh, (A(3, 3, domain="symmetric"),), ops=("SelfAdjointEigV2",),
           post=_abs_sq, rtol=1e-5),
    OpCase("eigvalsh", tf.linalg.eigvalsh, (A(3, 3, domain="symmetric"),),
           ops=("SelfAdjointEigV2",), rtol=1e-5),
]

# ---------------------------------------------------------------- nn: activations, losses, misc
NN_CASES = [
    OpCase("relu", tf.nn.relu, (A(2, 3, domain="away0"),), ops=("Relu", "ReluGrad")),
    OpCase("relu6", tf.nn.relu6, (A(2, 3, domain=_relu6_domain),), ops=("Relu6", "Relu6Grad")),
    OpCase("leaky_relu", tf.nn.leaky_relu, (A(2, 3, domain="away0"),),
           ops=("LeakyRelu", "LeakyReluGrad")),
    OpCase("elu", tf.nn.elu, (A(2, 3, domain="away0"),), ops=("Elu", "EluGrad")),
    OpCase("selu", tf.nn.selu, (A(2, 3, domain="away0"),), ops=("Selu", "SeluGrad")),
    OpCase("softmax", tf.nn.softmax, (A(2, 3),), ops=("Softmax",)),
    OpCase("log_softmax", tf.nn.log_softmax, (A(2, 3),), ops=("LogSoftmax",)),
    OpCase("softmax_cross_entropy_with_logits", tf.nn.softmax_cross_entropy_with_logits,
           (np.array([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]]), A(2, 3)),
           ops=("SoftmaxCrossEntropyWithLogits",)),
    # TF's logits gradient (softmax - labels) assumes labels sum to 1: keep them a distribution.
    # Order 1: TF's rule gives labels no share of the second derivative (grad_grad only flows
    # to the logits), so d/dlabels of the logits gradient is missing, as in TF.
    OpCase("softmax_cross_entropy_with_logits/labels",
           lambda l, x: tf.nn.softmax_cross_entropy_with_logits(tf.nn.softmax(l), x),
           (A(2, 3), A(2, 3)), ops=("SoftmaxCrossEntropyWithLogits",), order=1),
    OpCase("sparse_softmax_cross_entropy_with_logits",
           lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(np.array([2, 0], I32), x),
           (A(2, 3),), ops=("SparseSoftmaxCrossEntropyWithLogits",)),
    OpCase("isotonic_regression", tf.nn.isotonic_regression, (A(2, 4, domain="distinct"),),
           ops=("IsotonicRegression",)),
    OpCase("ctc_loss", lambda x: tf.nn.ctc_loss(np.array([[1, 2], [1, 0]], I32), x,
                                                np.array([2, 1], I32), np.array([4, 3], I32),
                                                blank_index=0),
           (A(4, 2, 3),), ops=("CTCLoss",), rtol=1e-5,
           order=1),  # TF: the fused CTC gradient has no second derivative
    OpCase("bias_add", tf.nn.bias_add, (A(2, 3, 4), A(4)), ops=("BiasAdd", "BiasAddGrad")),
    OpCase("bias_add/nchw", tf.nn.bias_add, (A(2, 4, 3), A(4)), {"data_format": "NCHW"},
           ops=("BiasAdd", "BiasAddGrad")),
    OpCase("l2_loss", tf.nn.l2_loss, (A(2, 3),), ops=("L2Loss",)),
    OpCase("local_response_normalization", tf.nn.local_response_normalization,
           (A32(1, 2, 2, 5),), {"depth_radius": 2, "bias": 1.0, "alpha": 0.5, "beta": 0.75},
           ops=("LRN",), order=1, **F32_TOL),  # TF: LRNGrad has no gradient
    OpCase("fused_batch_norm", tf.compat.v1.nn.fused_batch_norm,
           (A32(2, 2, 2, 3), A32(3, domain="positive"), A32(3)), ops=("FusedBatchNormV3",),
           post=lambda outs: outs[0], **F32_TOL),  # second order: see KNOWN_BUGS
    # TF gives the population mean and variance no gradient
    OpCase("fused_batch_norm/inference", tf.compat.v1.nn.fused_batch_norm,
           (A32(2, 2, 2, 3), A32(3, domain="positive"), A32(3), np.float32([0.1, -0.2, 0.3]),
            np.float32([0.5, 1.5, 1.0])), {"is_training": False}, ops=("FusedBatchNormV3",),
           post=lambda outs: outs[0], **F32_TOL),
    OpCase("depth_to_space", tf.nn.depth_to_space, (A(1, 2, 2, 4), 2), ops=("DepthToSpace",)),
    OpCase("space_to_depth", tf.nn.space_to_depth, (A(1, 4, 4, 1), 2), ops=("SpaceToDepth",)),
    OpCase("dropout", _seeded(tf.nn.dropout), (A(3, 4),), {"rate": 0.5, "seed": 3},
           ops=("TensorletDropoutSelect",)),
]

# ---------------------------------------------------------------- convolutions and pooling
_x4, _f33 = A(1, 5, 5, 2), A(3, 3, 2, 3)
CONV_CASES = [
    OpCase("conv2d", tf.nn.conv2d, (_x4, _f33), {"strides": 1, "padding": "VALID"},
           ops=("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter")),
    # (dilations > 1: TF's CPU Conv2DBackpropInput raises "do not yet support dilation rates")
    OpCase("conv2d/strided", tf.nn.conv2d, (A(1, 6, 6, 2), A(3, 3, 2, 2)),
           {"strides": 2, "padding": "SAME"}, ops=("Conv2D",)),
    OpCase("conv1d", tf.nn.conv1d, (A(2, 5, 2), A(3, 2, 3)), {"stride": 1, "padding": "SAME"},
           ops=("Conv2D",)),
    OpCase("conv2d_transpose", tf.nn.conv2d_transpose, (A(1, 3, 3, 3), A(3, 3, 2, 3)),
           {"output_shape": [1, 5, 5, 2], "strides": 1, "padding": "VALID"},
           ops=("Conv2DBackpropInput",)),
    OpCase("conv2d_transpose/strided_same", tf.nn.conv2d_transpose, (A(1, 3, 3, 3), A(3, 3, 2, 3)),
           {"output_shape": [1, 6, 6, 2], "strides": 2, "padding": "SAME"},
           ops=("Conv2DBackpropInput",)),
    OpCase("conv2d/explicit_padding", tf.nn.conv2d, (A(1, 4, 4, 2), A(3, 3, 2, 2)),
           {"strides": 1, "padding": [[0, 0], [1, 0], [0, 2], [0, 0]]}, ops=("Conv2D",)),
    OpCase("depthwise_conv2d/strided_same", tf.nn.depthwise_conv2d, (A(1, 5, 5, 2), A(3, 3, 2, 2)),
           {"strides": [1, 2, 2, 1], "padding": "SAME"}, ops=("DepthwiseConv2dNative",)),
    OpCase("conv2d_backprop_filter", tf.compat.v1.nn.conv2d_backprop_filter,
           (_x4, [3, 3, 2, 3], A(1, 3, 3, 3)), {"strides": [1, 1, 1, 1], "padding": "VALID"},
           ops=("Conv2DBackpropFilter",)),
    OpCase("conv3d", tf.nn.conv3d, (A(1, 3, 4, 4, 2), A(2, 2, 2, 2, 2)),
           {"strides": [1, 1, 1, 1, 1], "padding": "VALID"},
           ops=("Conv3D", "Conv3DBackpropInputV2", "Conv3DBackpropFilterV2")),
    OpCase("conv3d_transpose", tf.nn.conv3d_transpose, (A(1, 2, 3, 3, 2), A(2, 2, 2, 2, 2)),
           {"output_shape": [1, 3, 4, 4, 2], "strides": [1, 1, 1, 1, 1], "padding": "VALID"},
           ops=("Conv3DBackpropInputV2",)),
    OpCase("depthwise_conv2d", tf.nn.depthwise_conv2d, (A(1, 4, 4, 2), A(2, 2, 2, 2)),
           {"strides": [1, 1, 1, 1], "padding": "VALID"},
           ops=("DepthwiseConv2dNative", "DepthwiseConv2dNativeBackpropInput",
                "DepthwiseConv2dNativeBackpropFilter")),
    OpCase("depthwise_conv2d_backprop_input", tf.nn.depthwise_conv2d_backprop_input,
           ([1, 4, 4, 2], A(2, 2, 2, 2), A(1, 3, 3, 4)),
           {"strides": [1, 1, 1, 1], "padding": "VALID"},
           ops=("DepthwiseConv2dNativeBackpropInput",)),
    OpCase("depthwise_conv2d_backprop_filter", tf.nn.depthwise_conv2d_backprop_filter,
           (A(1, 4, 4, 2), [2, 2, 2, 2], A(1, 3, 3, 4)),
           {"strides": [1, 1, 1, 1], "padding": "VALID"},
           ops=("DepthwiseConv2dNativeBackpropFilter",)),
    OpCase("separable_conv2d", tf.nn.separable_conv2d,
           (A(1, 4, 4, 2), A(2, 2, 2, 2), A(1, 1, 4, 3)),
           {"strides": [1, 1, 1, 1], "padding": "VALID"},
           ops=("DepthwiseConv2dNative", "Conv2D")),
]

_xd = A(1, 4, 4, 2, domain="distinct")
POOL_CASES = [
    # max pools: second order fails today, see KNOWN_BUGS in test_op_gradients.py
    OpCase("max_pool2d", tf.nn.max_pool2d, (_xd,), {"ksize": 2, "strides": 2, "padding": "VALID"},
           ops=("MaxPool",)),
    OpCase("max_pool2d/overlapping_same", tf.nn.max_pool2d, (_xd,),
           {"ksize": 3, "strides": 1, "padding": "SAME"}, ops=("MaxPool",)),
    OpCase("avg_pool2d", tf.nn.avg_pool2d, (A(1, 4, 4, 2),),
           {"ksize": 3, "strides": 1, "padding": "SAME"}, ops=("AvgPool", "AvgPoolGrad")),
    OpCase("avg_pool2d/valid_strided", tf.nn.avg_pool2d, (A(1, 5, 5, 2),),
           {"ksize": [2, 3], "strides": [2, 1], "padding": "VALID"},
           ops=("AvgPool", "AvgPoolGrad")),
    OpCase("max_pool3d", tf.nn.max_pool3d, (A(1, 2, 4, 4, 1, domain="distinct"),),
           {"ksize": 2, "strides": 2, "padding": "VALID"}, ops=("MaxPool3D",)),
    OpCase("avg_pool3d", tf.nn.avg_pool3d, (A(1, 2, 4, 4, 1),),
           {"ksize": 2, "strides": 1, "padding": "SAME"}, ops=("AvgPool3D", "AvgPool3DGrad")),
    OpCase("max_pool_with_argmax", tf.nn.max_pool_with_argmax, (_xd,),
           {"ksize": 2, "strides": 2, "padding": "VALID"}, ops=("MaxPoolWithArgmax",)),
    OpCase("fractional_max_pool", _seeded(tf.nn.fractional_max_pool),
           (A(1, 6, 6, 1, domain="distinct"),), {"pooling_ratio": [1, 1.5, 1.5, 1], "seed": 3},
           ops=("FractionalMaxPool",), order=1),  # TF: FractionalMaxPoolGrad has no gradient
    OpCase("fractional_avg_pool", _seeded(tf.nn.fractional_avg_pool),
           (A(1, 6, 6, 1),), {"pooling_ratio": [1, 1.5, 1.5, 1], "seed": 3, "overlapping": True},
           ops=("FractionalAvgPool",), order=1),  # TF: FractionalAvgPoolGrad has no gradient
    OpCase("dilation2d", tf.nn.dilation2d, (A(1, 4, 4, 1, domain="distinct"),
                                            A(2, 2, 1, domain="distinct")),
           {"strides": [1, 1, 1, 1], "padding": "VALID", "data_format": "NHWC",
            "dilations": [1, 1, 1, 1]}, ops=("Dilation2D",),
           order=1),  # TF: Dilation2DBackpropInput/Filter have no gradient
]

# ---------------------------------------------------------------- image (float32 kernels)
# Order 1: TF registers no gradient for ResizeBilinearGrad & co. (the ops are linear in the
# image anyway).
_SMOOTH_IMAGE = np.linspace(0, 1, 40, dtype=np.float32).reshape(1, 4, 5, 2) ** 2


def _image_cases():
    image = getattr(tf, "image", None)
    if image is None or not hasattr(image, "crop_and_resize"):
        return []  # tf.image not in this tree yet
    resize_v1 = tf.compat.v1.image
    return [
        OpCase(f"image.resize/{method}", image.resize, (A32(1, 3, 4, 2), [5, 3]),
               {"method": method}, ops=(op,), order=1, **F32_TOL)
        for method, op in [("bilinear", "ResizeBilinear"), ("nearest", "ResizeNearestNeighbor"),
                           ("bicubic", "ResizeBicubic"), ("lanczos3", "ScaleAndTranslate")]
    ] + [
        OpCase("compat.v1.image.resize_bilinear/align_corners", resize_v1.resize_bilinear,
               (A32(1, 3, 4, 2), [5, 3]), {"align_corners": True}, ops=("ResizeBilinear",),
               order=1, **F32_TOL),
        OpCase("image.crop_and_resize", image.crop_and_resize,
               (A32(1, 4, 5, 2), np.array([[0.1, 0.2, 0.8, 0.7]], np.float32),
                np.array([0], I32), [3, 3]), ops=("CropAndResize",), order=1, **F32_TOL),
        # boxes: sample positions move with the box (smooth inside a pixel cell)
        OpCase("image.crop_and_resize/boxes",
               lambda b: image.crop_and_resize(_SMOOTH_IMAGE, b, np.array([0], I32), [3, 3]),
               (Arg((1, 4), lambda rng, s: np.array([[0.13, 0.21, 0.77, 0.69]]), "float32"),),
               ops=("CropAndResize",), order=1, **F32_TOL),
        # RGBToHSV: distinct channels (the max/min channel choice is stable); order 1: TF's rule
        # is piecewise and built from comparisons
        OpCase("image.rgb_to_hsv", image.rgb_to_hsv, (A(1, 2, 2, 3, domain=_rgb_domain),),
               ops=("RGBToHSV",), order=1),
        OpCase("image.extract_patches", image.extract_patches, (A(1, 4, 4, 2),),
               {"sizes": [1, 2, 2, 1], "strides": [1, 2, 1, 1], "rates": [1, 1, 1, 1],
                "padding": "SAME"}, ops=("ExtractImagePatches",)),
    ]


def _sparse_cases():
    sparse = getattr(tf, "sparse", None)
    if sparse is None or not hasattr(sparse, "SparseTensor"):
        return []  # tf.sparse.SparseTensor not in this tree yet
    indices = np.array([[0, 1], [1, 0], [2, 2]], np.int64)
    return [
        OpCase("sparse.to_dense",
               lambda v, d: sparse.to_dense(sparse.SparseTensor(indices, v, [3, 3]), d),
               (A(3), A()), ops=("SparseToDense",)),
    ]


def _signal_cases():
    """FFT ops: complex results are checked through their real and imaginary parts."""
    def parts(f):
        return lambda x, **kw: tf.stack([tf.math.real(f(x, **kw)), tf.math.imag(f(x, **kw))])

    def complex_in(f):
        return lambda a, b, **kw: f(_c(a, b), **kw)

    def fft_case(name, fn, *shape):
        op = name.split(".")[1].upper()
        return OpCase(name, complex_in(parts(fn)), (A(*shape), A(*shape)), ops=(op,))

    sig = tf.signal
    return [
        fft_case("signal.fft", sig.fft, 2, 5), fft_case("signal.ifft", sig.ifft, 2, 5),
        fft_case("signal.fft2d", sig.fft2d, 2, 3, 4), fft_case("signal.ifft2d", sig.ifft2d, 3, 4),
        fft_case("signal.fft3d", sig.fft3d, 2, 2, 3),
        fft_case("signal.ifft3d", sig.ifft3d, 2, 2, 3),
        OpCase("signal.rfft", parts(sig.rfft), (A(2, 6),), ops=("RFFT",)),
        OpCase("signal.rfft/odd_crop", parts(sig.rfft), (A(2, 7),), {"fft_length": [5]},
               ops=("RFFT",)),
        OpCase("signal.irfft", complex_in(sig.irfft), (A(2, 4), A(2, 4)), ops=("IRFFT",)),
        OpCase("signal.irfft/odd", complex_in(sig.irfft), (A(2, 4), A(2, 4)),
               {"fft_length": [7]}, ops=("IRFFT",)),
        OpCase("signal.rfft2d", parts(sig.rfft2d), (A(2, 3, 4),), ops=("RFFT2D",)),
        OpCase("signal.irfft2d", complex_in(sig.irfft2d), (A(3, 3), A(3, 3)),
               {"fft_length": [3, 5]}, ops=("IRFFT2D",)),
    ]


def _control_flow_cases():
    """Graph-only control-flow nodes, applied eagerly (tensorlet.testing.graph_node_call)."""
    from tensorlet.testing.op_test import graph_node_call

    v = tf.Variable(np.full([2, 3], 0.5))
    f64, p, i32 = (tf.TensorSpec([2, 3], tf.float64), tf.TensorSpec([], tf.bool),
                   tf.TensorSpec([], tf.int32))

    def loop(x, y, w=1.0):
        return tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, tf.sin(a) * x * w + y),
                             (0, y))

    def case(op, fn, specs, lead):
        call = graph_node_call(op, fn, *specs)
        lead = [tf.constant(x) for x in lead]
        args = tuple(A(2, 3, domain="positive") for _ in range(len(specs) - len(lead)))
        return OpCase(f"control_flow/{op}", lambda *xs: call(*lead, *xs)[-1], args, ops=(op,))

    return [
        case("StatelessIf", lambda q, x, y: tf.cond(q, lambda: tf.sin(x) * y, lambda: x * y),
             (p, f64, f64), (True,)),
        case("If", lambda q, x, y: tf.cond(q, lambda: tf.sin(x) * y * v, lambda: x * y),
             (p, f64, f64), (True,)),
        case("StatelessCase", lambda k, x, y: tf.switch_case(k, [lambda: x * y,
                                                                 lambda: tf.sin(x) * y]),
             (i32, f64, f64), (1,)),
        case("Case", lambda k, x, y: tf.switch_case(k, [lambda: x * y * v, lambda: tf.sin(x) * y]),
             (i32, f64, f64), (0,)),
        case("StatelessWhile", loop, (f64, f64), ()),
        case("While", lambda x, y: loop(x, y, v), (f64, f64), ()),
    ]


def _script_cases():
    """tf.py_function: once differentiable (TF's gradient EagerPyFunc is not differentiable)."""
    def py_fn(x, y):
        return tf.py_function(lambda a, b: tf.sin(a) * b + a * a, [x, y], tf.float64)

    return [OpCase("py_function", py_fn, (A(2, 3), A(2, 3)), ops=("EagerPyFunc",), order=1)]


IMAGE_CASES = _image_cases()
SPARSE_CASES = _sparse_cases()
SIGNAL_CASES = _signal_cases()
CONTROL_FLOW_CASES = _control_flow_cases()
SCRIPT_CASES = _script_cases()

CASES = (UNARY_CASES + BINARY_CASES + MATH_CASES + REDUCTION_CASES + ARRAY_CASES + GATHER_CASES
         + SEGMENT_CASES + LINALG_CASES + NN_CASES + CONV_CASES + POOL_CASES + IMAGE_CASES
         + SPARSE_CASES + SIGNAL_CASES + CONTROL_FLOW_CASES + SCRIPT_CASES)
# fmt: on
