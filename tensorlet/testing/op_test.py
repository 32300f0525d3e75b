"""``OpCase``: one op test record (public function, input makers, attrs, tolerances).

A case says how to produce an op through its public function and with which inputs, e.g.::

    OpCase("log", tf.math.log, [Arg((2, 3), "positive")], ops=("Log",))
    OpCase("reduce_max/axis1", tf.math.reduce_max, [Arg((2, 3), "distinct")], {"axis": 1})

``Arg(shape, domain)`` makes a float64 input in a domain chosen to keep the op smooth there
(positive for ``log``, away from 0 for ``abs``/``relu``, distinct values for ``max``/``sort``,
well-conditioned matrices for ``inv``...); any other value in ``args`` (int indices, shapes, lists)
is passed through unchanged and not differentiated. ``check_gradients(case)`` runs the numeric
first- (and second-) order checks of ``gradient_check``.
"""

import dataclasses
import zlib
from collections.abc import Callable
from typing import Any

from tensorlet.backend import xp
from tensorlet.testing import gradient_check


def _sym(m):
    return (m + xp.swapaxes(m, -1, -2)) / 2


def _eye_like(shape):
    return xp.broadcast_to(xp.eye(shape[-2], shape[-1]), shape)


def _spd(a):
    return a @ xp.swapaxes(a, -1, -2) + a.shape[-1] * _eye_like(a.shape)


def _distinct(rng, shape):
    """Values at least 0.1 apart (no ties for max/min/sort/top_k, no kinks within eps)."""
    n = int(xp.prod(shape, dtype=xp.int64))
    vals = (rng.permutation(n) - n / 2) * 0.37 + rng.uniform(-0.05, 0.05, n)
    return vals.reshape(shape)


def _away0(rng, shape):
    return rng.uniform(0.3, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


# domain name -> maker(rng, shape): inputs where the op is smooth and well-conditioned
DOMAINS = {
    "real": lambda rng, s: rng.standard_normal(s),
    "positive": lambda rng, s: rng.uniform(0.5, 2.0, s),
    "unit": lambda rng, s: rng.uniform(-0.8, 0.8, s),  # asin, atanh, erfinv
    "prob": lambda rng, s: rng.uniform(0.15, 0.85, s),  # ndtri, betainc's x
    "gt1": lambda rng, s: rng.uniform(1.3, 3.0, s),  # acosh, zeta's x
    "away0": _away0,  # abs, sign, relu, division
    "distinct": _distinct,  # max, min, sort, top_k, pooling
    "small": lambda rng, s: rng.uniform(-0.5, 0.5, s),  # tan, exp of big tensors
    # square matrices over the last two axes
    "spd": lambda rng, s: _spd(rng.standard_normal(s)),
    "wellcond": lambda rng, s: rng.standard_normal(s) + 3.0 * _eye_like(s),  # also m x n
    "lower": lambda rng, s: xp.tril(rng.standard_normal(s)) + 3.0 * _eye_like(s),
    "symmetric": lambda rng, s: (
        _sym(rng.standard_normal(s)) + xp.broadcast_to(xp.diag(xp.arange(s[-1]) * 2.0), s)
    ),  # well-separated eigenvalues
}


@dataclasses.dataclass(frozen=True)
class Arg:
    """A differentiated float input: shape, domain (a ``DOMAINS`` key or a maker ``(rng, shape)``)
    and dtype (float64 unless the op has no float64 kernel)."""

    shape: tuple
    domain: Any = "real"
    dtype: str = "float64"

    def make(self, rng):
        maker = DOMAINS[self.domain] if isinstance(self.domain, str) else self.domain
        return xp.asarray(maker(rng, tuple(self.shape)), dtype=self.dtype)


@dataclasses.dataclass(frozen=True)
class OpCase:
    """One gradient-check record.

    Attributes:
      name: the test id (``"<public name>[/<variant>]"``).
      fn: the public function; called as ``fn(*inputs, **attrs)``.
      args: ``Arg`` makers (differentiated float64 inputs) and plain values (passed through).
      attrs: keyword arguments of ``fn``.
      ops: the TF op types (``OpDef`` names) the case is written to exercise.
      order: 2 also checks the gradient of the gradient; 1 for piecewise-linear ops (second
        derivative zero or undefined) and ops whose gradient is not itself differentiable.
      rtol, atol, eps: tolerance and difference step of the first-order check (the second-order
        check uses 10x the tolerances).
      post: optional ``post(outputs) -> outputs`` written with tensorlet ops, applied to the op's
        outputs before projecting (e.g. to drop the sign freedom of eigenvectors).
    """

    name: str
    fn: Callable
    args: tuple
    attrs: dict = dataclasses.field(default_factory=dict)
    ops: tuple = ()
    order: int = 2
    rtol: float = 1e-6
    atol: float = 1e-8
    eps: float = 1e-6
    post: Callable | None = None

    def inputs(self):
        """The case's inputs (deterministic: seeded by the case name)."""
        rng = xp.random.default_rng(zlib.crc32(self.name.encode()))
        return [a.make(rng) if isinstance(a, Arg) else a for a in self.args]

    @property
    def wrt(self):
        return [i for i, a in enumerate(self.args) if isinstance(a, Arg)]

    def call(self, *inputs):
        out = self.fn(*inputs, **self.attrs)
        return self.post(out) if self.post is not None else out


def check_gradients(case, order=None):
    """First-order check of ``case`` (and second order when ``case.order`` >= 2)."""
    order = case.order if order is None else order
    args = case.inputs()
    gradient_check.check_vjp(
        case.call, args, wrt=case.wrt, eps=case.eps, rtol=case.rtol, atol=case.atol
    )
    if order >= 2:
        gradient_check.check_second_order(
            case.call, args, wrt=case.wrt, eps=case.eps, rtol=10 * case.rtol, atol=10 * case.atol
        )


__all__ = ["DOMAINS", "Arg", "OpCase", "check_gradients"]


def graph_node_call(op_name, fn, *specs):
    """A function applying the ``op_name`` node of ``fn``'s traced graph eagerly.

    For ops that only exist in graphs (``If``, ``While`` ...): the node is traced once from
    ``fn`` with ``specs`` and then run through ``apply`` on eager inputs, so tapes record it and
    its gradient rule can be checked like any other op. Returns the node's float outputs.
    """
    from tensorlet.function.polymorphic_function import function
    from tensorlet.ops.array_creation_ops import constant
    from tensorlet.ops.op_def import apply

    graph = function(fn, autograph=False).get_concrete_function(*specs).graph
    node = next(n for n in graph.get_operations() if n.op.name == op_name)
    pos = {id(p): i for i, p in enumerate(graph.inputs)}

    def value(t, xs):
        if id(t) in pos:
            return xs[pos[id(t)]]
        if t.op.variable is not None:  # the read of a variable the sub-graphs use
            return t.op.variable.value()
        return constant(t._const)

    def call(*xs):
        outs = apply(node.op, *[value(t, xs) for t in node.inputs], **node.attrs)
        outs = outs if isinstance(outs, tuple) else (outs,)
        return [o for o in outs if o.dtype.is_floating]

    return call
