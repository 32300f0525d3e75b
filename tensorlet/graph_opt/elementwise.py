"""Fused elementwise kernels: ``_FusedElementwise`` nodes, shared by ``fusion`` and ``buffer_reuse``.

An op is *elementwise-fusable* when its ``forward`` is a NumPy ufunc with one or two inputs and
one output, so calling the ufunc with an ``out=`` buffer gives bit-for-bit the eager result; a
node is fusable when, in addition, it is stateless, has no attrs and every input and its output
have one float dtype (float16/32/64: same-dtype ufunc loops, no casts).

A ``FusedOp`` is an unregistered ``OpDef`` (one per fused node; its TF-style name is
``_FusedElementwise``) whose forward is generated Python source over the steps, e.g.::

    def kernel(i0):
        s0 = u0(i0, c0)        # Mul    (allocates: i0 is the caller's array)
        s1 = u1(s0, c1, s0)    # AddV2  (writes into s0, dead after this step)
        s2 = u2(s1, s1)        # Tanh
        return s2

A step writes into an operand's buffer (NumPy ``out=``) when that operand is a
buffer the kernel owns (an earlier step's result, or an input listed in ``donated`` by
``buffer_reuse``), this is its last use, its static rank is at least 1 (rank-0 ufunc results are
NumPy scalars) and no operand can broadcast it to a larger shape. A kernel with ``donated``
inputs overwrites them: it is only valid in the executor of the graph whose lifetimes were
analysed (the optimized graph; gradients and replay use the traced graph).

``grad`` re-expands the steps through ``apply`` under a tape (TF's gradient of the unfused ops),
so a fused node can still be differentiated if it ever is.
"""

from tensorlet.backend import xp
from tensorlet.framework import dtypes
from tensorlet.framework.tensor import EagerTensor
from tensorlet.framework.tensor_shape import TensorShape
from tensorlet.graph_opt import rewrite as R
from tensorlet.ops.op_def import OpDef, apply

FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)
NAME = "_FusedElementwise"


def ufunc_of(op):
    """The op's ufunc when it is elementwise-fusable, else None."""
    f = op.forward
    if isinstance(f, xp.ufunc) and f.nin in (1, 2) and f.nout == 1 and not op.stateful:
        return f
    return None


def is_fusable(node):
    op = node.op
    if isinstance(op, FusedOp):
        return True
    if node.attrs or node.variable is not None or len(node.outputs) != 1 or ufunc_of(op) is None:
        return False
    d = node.outputs[0]._dtype
    return (
        d in FLOATS
        and len(node.inputs) == op.forward.nin
        and all(t._dtype == d for t in node.inputs)
    )


class FusedOp(OpDef):
    """A fused elementwise program: ``steps`` = ``[(opdef, refs, static shape)]`` where a ref is
    ``("i", k)`` (input k), ``("c", k)`` (``consts[k]``) or ``("s", j)`` (step j's result)."""

    __slots__ = ("consts", "donated", "dtype", "in_shapes", "source", "steps", "targets")

    def __init__(self, steps, consts, in_shapes, dtype, donated=()):
        super().__init__(NAME, None, _dtype_rule, _shape_rule, _fused_grad, False, 1)
        self.steps, self.consts, self.in_shapes = tuple(steps), tuple(consts), tuple(in_shapes)
        self.dtype, self.donated = dtype, frozenset(donated)
        self.source, self.forward, self.targets = _compile(self)

    def with_donated(self, donated):
        return FusedOp(self.steps, self.consts, self.in_shapes, self.dtype, donated)

    def describe(self):
        """One line per step: ``s1 = AddV2(s0, c1) -> s0`` (``a``: inputs, ``c``: constants,
        ``-> s0``: the result is written into s0's buffer)."""
        return [
            f"s{j} = {op.name}({', '.join(_ref_name(r) for r in refs)})"
            + ("" if target is None else f" -> {_ref_name(target)}")
            for j, ((op, refs, _), target) in enumerate(zip(self.steps, self.targets))
        ]

    def expand(self, inputs):
        """The steps applied to ``inputs`` (tensors) one op at a time; returns the result."""
        vals = []
        for op, refs, _ in self.steps:
            args = [_operand(self, r, inputs, vals) for r in refs]
            vals.append(apply(op, *args))
        return vals[-1]


def _ref_name(r):
    return f"{'a' if r[0] == 'i' else r[0]}{r[1]}"


def _operand(fused, r, inputs, vals):
    kind, k = r
    if kind == "i":
        return inputs[k]
    if kind == "c":
        return EagerTensor(fused.consts[k], fused.dtype)
    return vals[k]


def _shape_of(fused, r):
    kind, k = r
    if kind == "i":
        return fused.in_shapes[k]
    if kind == "c":
        return TensorShape._from_tuple(xp.shape(fused.consts[k]))
    return fused.steps[k][2]


def _compile(fused):
    """(source, kernel, per-step write target or None) of the generated function."""
    env = {"__name__": __name__}  # NumPy warnings from tensorlet frames are silenced
    last = {}
    for j, (_, refs, _) in enumerate(fused.steps):
        for r in refs:
            last[r] = j
    owned = {("i", k) for k in fused.donated}
    args = [f"a{k}" for k in range(len(fused.in_shapes))]
    lines, targets = [f"def kernel({', '.join(args)}):"], []
    for k, c in enumerate(fused.consts):
        env[f"c{k}"] = c
    for j, (op, refs, shape) in enumerate(fused.steps):
        env[f"u{j}"] = op.forward
        names = [_ref_name(r) for r in refs]
        target = next(
            (r for r in refs if r in owned and last[r] == j and _fits(fused, r, refs)), None
        )
        targets.append(target)
        if target is not None:
            names.append(f"out={_ref_name(target)}")  # keyword: NumPy deprecates positional out
            owned.discard(target)
        if shape.rank is not None and shape.rank >= 1:
            owned.add(("s", j))  # a fresh ndarray (or the target's buffer)
        comment = f"  # {op.name}" + (" (in place)" if target is not None else "")
        lines.append(f"    s{j} = u{j}({', '.join(names)}){comment}")
    lines.append(f"    return s{len(fused.steps) - 1}")
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<{NAME}>", "exec"), env)  # noqa: S102 (our own generated code)
    return source, env["kernel"], tuple(targets)


def _fits(fused, buf, refs):
    shape = _shape_of(fused, buf)
    if shape.rank is None or shape.rank < 1:
        return False
    return all(r == buf or R.cannot_enlarge(shape, _shape_of(fused, r)) for r in refs)


class _Spec:
    __slots__ = ("dtype", "shape")

    def __init__(self, dtype, shape):
        self.dtype, self.shape = dtype, shape


def _dtype_rule(op, inputs, attrs):
    return (op.dtype,)


def _shape_rule(op, inputs, attrs):
    """The steps' own shape rules (so a run-time failure gives the failing op's TF error)."""
    vals = []
    for step_op, refs, _ in op.steps:
        specs = [_spec(op, r, inputs, vals) for r in refs]
        vals.append(_Spec(op.dtype, step_op.shape_rule(step_op, specs, {})[0]))
    return (vals[-1].shape,)


def _spec(op, r, inputs, vals):
    kind, k = r
    if kind == "i":
        return _Spec(op.dtype, inputs[k].shape)
    if kind == "c":
        return _Spec(op.dtype, _shape_of(op, r))
    return vals[k]


def _fused_grad(op, dy):
    """Re-expands the steps under a tape: the gradients of the unfused ops."""
    from tensorlet.autodiff.gradient_tape import GradientTape

    xs = list(op.inputs)
    with GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        y = op.opdef.expand(xs)
    return tape.gradient(y, xs, output_gradients=dy)


__all__ = ["FLOATS", "NAME", "FusedOp", "is_fusable", "ufunc_of"]
