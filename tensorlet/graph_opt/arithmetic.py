"""Arithmetic simplification: a table of exact algebraic identities.

Every rule gives bit-for-bit what the original node computes, for every input value:

* ``x * 1``, ``1 * x``, ``x / 1``: exact in IEEE and integer arithmetic, for real dtypes only
  (complex ``x * (1+0j)`` computes ``b * 0``, which is NaN for infinite parts);
* ``x + c`` only when ``c`` is all ``-0.0`` for floats (``-0.0 + 0.0`` is ``+0.0``) or all 0 for
  integers; ``x - c`` only when ``c`` is all ``+0.0`` (or integer 0);
* never ``x * 0 -> 0`` nor ``x - x -> 0`` (NaN and inf), never ``x * -1 -> -x`` (NaN sign);
* the constant must not broadcast ``x`` to a larger shape (``cannot_enlarge``), so ``x`` keeps the
  output's shape;
* ``--x``, ``!!x``, ``Identity``/``StopGradient`` (the optimized graph only runs forward: gradients
  use the traced graph), ``Cast`` to the same dtype, ``Reshape``/``BroadcastTo`` to the same fully
  known shape, ``Reshape`` of a ``Reshape`` whose input shape is fully known (so the inner one
  cannot fail), ``Transpose`` by the identity and ``Transpose`` of ``Transpose`` (one transpose
  by the composed permutation, or none);
* a graph output computed by an arithmetic op (``x * 1`` returned) is only replaced by a fresh
  elementwise result: the caller must not receive its own input's or a variable's buffer.
"""

from tensorlet.graph_opt import rewrite as R
from tensorlet.graph_opt.elementwise import is_fusable
from tensorlet.graph_opt.rewrite import Pat, all_equal, const, var

X = var("x")
ONE = const("c", all_equal(1))
NEG_ZERO = const("c", all_equal(0, negative_zero=True))  # -0.0 (never an integer)
POS_ZERO = const("c", all_equal(0, negative_zero=False))  # +0.0 or integer 0
INT_ZERO = const("c", lambda a: a.dtype.kind in "iu" and not a.any())
ADD = ("AddV2", "Add")
IDENTITIES = ("Identity", "StopGradient", "Snapshot")


def _keeps(b):
    """x is real and the constant cannot broadcast it to a larger shape."""
    x, c = b["x"], b["c"]
    return (x._dtype.is_floating or x._dtype.is_integer) and R.cannot_enlarge(x._shape, c._shape)


def _full(t):
    return t._shape.is_fully_defined()


def _same_known_shape(b):
    return _full(b["x"]) and _full(b["y"]) and b["x"]._shape == b["y"]._shape


def _perm(node):
    """The node's permutation, normalised (None when its input rank is unknown or it is bad)."""
    rank = node.inputs[0]._shape.rank
    if rank is None:
        return None
    try:
        perm = [int(p) % rank if rank else int(p) for p in node.attrs["perm"]]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return perm if sorted(perm) == list(range(rank)) else None


def _identity_perm(b):
    perm = _perm(b["y"]._op)
    return perm is not None and perm == sorted(perm)


def _compose_transposes(graph, b):
    """transpose(transpose(x, p), q) = transpose(x, [p[i] for i in q]); x when that is sorted."""
    outer, inner = b["y"]._op, b["inner"]._op
    p, q = _perm(inner), _perm(outer)
    if p is None or q is None:
        return None
    perm = [p[i] for i in q]
    if perm == sorted(perm):
        return b["x"]
    return _new_node(graph, outer, [b["x"]], {"perm": tuple(perm)}).outputs[0]


def _reshape_once(graph, b):
    """reshape(reshape(x, a), s) = reshape(x, s) when x's shape is known (a was valid)."""
    if not _full(b["x"]):
        return None
    outer = b["y"]._op
    return _new_node(graph, outer, [b["x"]], dict(outer.attrs)).outputs[0]


def _new_node(graph, like, inputs, attrs):
    """A node of ``like``'s op with ``like``'s output dtypes/shapes (shape rule re-checked)."""
    out = like.outputs[0]
    like.op.shape_rule(like.op, inputs, attrs)  # raises if the new node would be invalid
    return graph.add_node(like.op, inputs, attrs, (out._dtype,), (out._shape,), like.name)


def _with(pattern, name):
    pattern.name = name
    return pattern


TRANSPOSE_2 = Pat("Transpose", _with(Pat("Transpose", X), "inner"), name="y")

# fmt: off
RULES = [
    # pattern                                       condition          result
    (Pat("Mul", X, ONE),                            _keeps,            "x"),  # x * 1
    (Pat("Mul", ONE, X),                            _keeps,            "x"),  # 1 * x
    (Pat("RealDiv", X, ONE),                        _keeps,            "x"),  # x / 1
    (Pat(ADD, X, NEG_ZERO),                         _keeps,            "x"),  # x + -0.0
    (Pat(ADD, NEG_ZERO, X),                         _keeps,            "x"),  # -0.0 + x
    (Pat(ADD, X, INT_ZERO),                         _keeps,            "x"),  # i + 0
    (Pat(ADD, INT_ZERO, X),                         _keeps,            "x"),  # 0 + i
    (Pat("Sub", X, POS_ZERO),                       _keeps,            "x"),  # x - +0.0
    (Pat("Neg", Pat("Neg", X)),                     None,              "x"),  # --x
    (Pat("LogicalNot", Pat("LogicalNot", X)),       None,              "x"),  # !!x
    (Pat(IDENTITIES, X),                            None,              "x"),  # identity(x)
    (Pat("AddN", X),                                None,              "x"),  # AddN([x])
    (Pat("Cast", X),                                None,              "x"),  # to x's dtype
    (Pat("Reshape", X, name="y"),                   _same_known_shape, "x"),  # to x's shape
    (Pat("BroadcastTo", X, name="y"),               _same_known_shape, "x"),  # to x's shape
    (Pat("Reshape", Pat("Reshape", X), name="y"),   None,    _reshape_once),  # 2 -> 1
    (Pat("Transpose", X, name="y"),                 _identity_perm,    "x"),  # by 0..n-1
    (TRANSPOSE_2,                                   None, _compose_transposes),  # 2 -> 1 or 0
]
# fmt: on
# (a Cast whose output dtype differs from x's is never replaced: the engine checks dtypes)


# ops whose result already is (a view of) their input: replacing them returns the same buffer
ALIASING = (*IDENTITIES, "Reshape", "BroadcastTo", "Transpose", "Cast", "AddN")


def _own_buffer(node, new, outputs):
    """A graph output computed by an arithmetic op keeps a buffer of its own: replaced only
    by a fresh elementwise result, never by an input, a constant or a variable's value (the
    caller could write into it through ``.numpy()``)."""
    if id(node.outputs[0]) not in outputs or node.op.name in ALIASING:
        return True
    return is_fusable(new._op)


def simplify(graph):
    """Applies ``RULES`` to ``graph`` (edited in place); returns it."""
    return R.rewrite(graph, RULES, _own_buffer)


__all__ = ["RULES", "simplify"]
