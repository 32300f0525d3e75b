"""``tf.autodiff.ForwardAccumulator``: forward-mode (Jacobian-vector products).

Implemented with the "double VJP" identity: for y = f(x), the VJP g(u) = J^T u is linear in u,
so J v = d<g(u), v>/du. Because every gradient rule is written with tensorlet ops, the backward
pass itself is differentiable and the second tape recovers J v exactly.
"""
from tensorlet.autodiff.gradient_tape import GradientTape
from tensorlet.framework import nest
from tensorlet.framework.export import tf_export


@tf_export("autodiff.ForwardAccumulator")
class ForwardAccumulator:
    """Computes Jacobian-vector products of the ops run in its context."""

    def __init__(self, primals, tangents):
        self._primals = nest.flatten(primals)
        self._tangents = nest.flatten(tangents)
        if len(self._primals) != len(self._tangents):
            raise ValueError("primals and tangents must have the same structure")
        self._tape = GradientTape(persistent=True, watch_accessed_variables=False)

    def __enter__(self):
        self._tape.__enter__()
        self._tape.watch(self._primals)
        return self

    def __exit__(self, *exc):
        self._tape.__exit__(*exc)

    def jvp(self, primals, unconnected_gradients="none"):
        """J v for each tensor in ``primals`` (same structure); None when unconnected."""
        from tensorlet.ops import array_ops, math_ops, reduction_ops
        out = []
        for y in nest.flatten(primals):
            u = array_ops.zeros_like(y)
            with GradientTape() as outer:
                outer.watch(u)
                with self._tape.stop_recording():
                    gs = self._tape.gradient(y, self._primals, output_gradients=u)
                terms = [reduction_ops.reduce_sum(math_ops.multiply(g, v))
                         for g, v in zip(gs, self._tangents) if g is not None]
                s = terms[0] if terms else None
                for t in terms[1:]:
                    s = s + t
            jv = outer.gradient(s, u) if s is not None else None
            if jv is None and unconnected_gradients == "zero":
                jv = array_ops.zeros_like(y)
            out.append(jv)
        return nest.pack_sequence_as(primals, out)
