"""Graph editing helpers and a small pattern -> replacement engine over the graph IR.

A pattern is a tree of ``Pat``: ``Pat("Mul", X, ONE)`` matches a ``Mul`` node whose first input
matches ``X`` (any tensor, bound to the name ``"x"``) and whose second input matches ``ONE``
(a ``Const`` node whose value passes a predicate). A rule is a row of a table::

    RULES = [
        # pattern                    condition on the bindings    result
        (Pat("Neg", Pat("Neg", X)),  None,                        "x"),     # --x
    ]

``result`` is a binding name (the node's output becomes that tensor) or a function
``(graph, bindings) -> tensor or None`` that may add nodes with ``graph.add_node`` (``None``
declines the match). ``rewrite(graph, rules)`` visits the nodes once in program order; inputs are
resolved through earlier replacements first, so chains (``----x``, identity chains) collapse in
one visit. Only stateless single-output nodes are rewritten, and a replacement must have the
node's dtype. Replaced nodes stay in the graph, unused, for ``pruning`` to drop.
"""

from tensorlet.backend import xp
from tensorlet.framework import nest
from tensorlet.function import graph_ops

PLACEHOLDER, CONST, READ = graph_ops.placeholder_op, graph_ops.const_op, graph_ops.read_variable_op


# ---------------------------------------------------------------- graph helpers


def consumers(graph):
    """``{id(tensor): [node, ...]}``: the nodes reading each tensor (once per input slot)."""
    uses = {}
    for n in graph.get_operations():
        for t in n.inputs:
            uses.setdefault(id(t), []).append(n)
    return uses


def output_ids(graph):
    """Ids of the graph's output tensors (their buffers leave the function)."""
    return {id(t) for t in graph.outputs}


def const_value(t):
    """The array of ``t`` when a ``Const`` node produces it, else ``None``."""
    node = t._op
    return node.attrs["value"] if node.op is CONST else None


def resolve(subst, t):
    """``t`` after the replacements in ``subst`` (``{id(old): new}``, possibly chained)."""
    while True:
        new = subst.get(id(t))
        if new is None:
            return t
        t = new


def resolve_inputs(node, subst):
    """Points ``node``'s inputs at their replacements."""
    if subst and any(id(t) in subst for t in node.inputs):
        node.inputs = [resolve(subst, t) for t in node.inputs]


def finish(graph, subst, nodes=None):
    """Applies ``subst`` to the graph outputs (flat and structured) and sets the node list."""
    if subst:
        graph.outputs = [resolve(subst, t) for t in graph.outputs]
        so = getattr(graph, "structured_outputs", None)
        if so is not None:
            graph.structured_outputs = nest.map_structure(
                lambda x: resolve(subst, x) if id(x) in subst else x, so
            )
    graph.set_operations(graph.get_operations() if nodes is None else nodes)
    return graph


def cannot_enlarge(shape, other):
    """True when broadcasting ``other`` against static ``shape`` surely gives ``shape``."""
    if shape.rank is None or other.rank is None or other.rank > shape.rank:
        return False
    dims = list(shape)[shape.rank - other.rank :]
    return all(o == 1 or (d is not None and o == d) for d, o in zip(dims, other))


# ---------------------------------------------------------------- patterns


class Pat:
    """A node pattern: ``ops`` (a type name, a tuple of them, or ``None`` for any tensor),
    input patterns, an optional binding ``name`` and a ``where(tensor) -> bool`` test."""

    __slots__ = ("inputs", "name", "ops", "where")

    def __init__(self, ops, *inputs, name=None, where=None):
        self.ops = (ops,) if isinstance(ops, str) else ops
        self.inputs = inputs
        self.name = name
        self.where = where

    def match(self, t, bindings):
        """Binds names in ``bindings`` and returns True when ``t`` matches."""
        if self.ops is not None:
            node = t._op
            if node.op.name not in self.ops:
                return False
            if self.inputs:
                if len(node.inputs) != len(self.inputs):
                    return False
                if not all(p.match(i, bindings) for p, i in zip(self.inputs, node.inputs)):
                    return False
        if self.where is not None and not self.where(t):
            return False
        if self.name is not None:
            prev = bindings.get(self.name)
            if prev is not None and prev is not t:
                return False
            bindings[self.name] = t
        return True


def var(name):
    """A pattern matching any tensor, bound to ``name``."""
    return Pat(None, name=name)


def const(name, test):
    """A pattern matching a ``Const`` whose array passes ``test(array)``, bound to ``name``."""

    def where(t):
        v = const_value(t)
        return v is not None and bool(test(v))

    return Pat("Const", name=name, where=where)


def all_equal(value, negative_zero=None):
    """``test(array)``: every element equals ``value`` (and, for zeros, has the given sign)."""

    def test(a):
        if a.dtype.kind not in "biuf" or not (a == value).all():
            return False
        return negative_zero is None or bool((xp.signbit(a) == negative_zero).all())

    return test


# ---------------------------------------------------------------- the engine


def rewrite(graph, rules, guard=None):
    """Applies the first matching rule of ``rules`` to every node (see the module doc).

    ``guard(node, new, output_ids) -> bool`` may veto a replacement (``output_ids``: the ids
    of the graph's output tensors).
    """
    outs = output_ids(graph)
    by_op = {}
    for rule in rules:
        for name in rule[0].ops:
            by_op.setdefault(name, []).append(rule)
    subst, out = {}, []
    created_from = len(graph.get_operations())
    for node in graph.get_operations():
        resolve_inputs(node, subst)
        candidates = by_op.get(node.op.name)
        if candidates and not node.op.stateful and len(node.outputs) == 1:
            new = _first_match(graph, node.outputs[0], candidates)
            if new is not None and (guard is None or guard(node, new, outs)):
                subst[id(node.outputs[0])] = new
                added = graph.get_operations()[created_from:]
                out.extend(added)  # nodes a result function made: their inputs precede `node`
                created_from += len(added)
        out.append(node)
    return finish(graph, subst, out)


def _first_match(graph, t, rules):
    for pattern, condition, result in rules:
        b = {}
        if not pattern.match(t, b) or (condition is not None and not condition(b)):
            continue
        new = b[result] if isinstance(result, str) else result(graph, b)
        if new is None or new is t or new._dtype != t._dtype:
            continue
        if new._shape.is_compatible_with(t._shape):
            return new
    return None


__all__ = [
    "CONST",
    "PLACEHOLDER",
    "READ",
    "Pat",
    "all_equal",
    "cannot_enlarge",
    "const",
    "const_value",
    "consumers",
    "finish",
    "output_ids",
    "resolve",
    "resolve_inputs",
    "rewrite",
    "var",
]
