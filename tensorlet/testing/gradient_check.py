"""Numeric gradient checks: the tape's gradients against central differences, in float64.

``check_vjp(fn, args)`` checks a random projection: with random ``u`` (one per float output) and
``v`` (one per differentiated input), the tape's vector-Jacobian product gives ``<J^T u, v>`` and a
central-difference Jacobian-vector product gives
``<u, J v>`` = ``(<u, f(x + e v)> - <u, f(x - e v)>) / 2e``: two extra evaluations whatever the
size (autograd ``check_grads``, JAX ``check_vjp``).

``check_second_order(fn, args)`` runs the same check on the gradient function itself,
``g(x, u) = J(x)^T u`` differentiated w.r.t. both ``x`` and ``u``: it covers the gradient rules
of the ops that gradient rules emit (``ReluGrad``, ``TanhGrad``, ``Conv2DBackpropInput``...).

``check_jacobian(fn, args)`` compares full Jacobians through ``tf.test.compute_gradient`` (small
inputs only); ``numeric_jacobian`` is its central-difference half.
"""

from tensorlet.autodiff import gradient_checker
from tensorlet.autodiff.gradient_tape import GradientTape
from tensorlet.backend import xp
from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.framework.tensor import Tensor
from tensorlet.framework.tensor_conversion import convert_to_tensor


class GradientCheckError(AssertionError):
    """The tape's projected gradient disagrees with the central difference."""


def _leaves(out):
    """Real floating-point tensor leaves of a nested output, in order; others are dropped
    (a complex result is checked through a real function of it: ``real``, ``imag``, ``abs``)."""
    if isinstance(out, (list, tuple)):
        return [leaf for o in out for leaf in _leaves(o)]
    if isinstance(out, dict):
        return [leaf for k in sorted(out) for leaf in _leaves(out[k])]
    if isinstance(out, IndexedSlices):
        out = convert_to_tensor(out)
    if isinstance(out, Tensor) and out.dtype.is_floating:
        return [out]
    return []


def _is_float_array(a):
    return hasattr(a, "dtype") and hasattr(a, "shape") and xp.asarray(a).dtype.kind == "f"


def _to_tensors(args):
    return [
        convert_to_tensor(a)
        if hasattr(a, "dtype") and hasattr(a, "shape") and not isinstance(a, Tensor)
        else a
        for a in args
    ]


def _numpy(t):
    return xp.asarray(convert_to_tensor(t).numpy())


def _dot(a, b):
    return float(xp.sum(xp.asarray(a, dtype=xp.float64) * xp.asarray(b, dtype=xp.float64)))


def _wrt(args, wrt):
    return [i for i, a in enumerate(args) if _is_float_array(a)] if wrt is None else list(wrt)


def check_vjp(fn, args, wrt=None, eps=1e-6, rtol=1e-6, atol=1e-8, seed=0):
    """Checks ``<J^T u, v>`` (tape) against the central difference ``<u, J v>``.

    Args:
      fn: ``fn(*tensors)`` -> a tensor or nested structure of tensors (non-float leaves ignored).
      args: NumPy float arrays (differentiated: positions ``wrt``, default all float arrays;
        float64 unless the op has no float64 kernel) and other values, passed through unchanged.
      eps, rtol, atol: the difference step and the tolerance of the comparison.
      seed: the random projection's seed.

    Returns:
      The tape's gradients w.r.t. ``args[wrt]`` (``None`` where unconnected).

    Raises:
      GradientCheckError: the two numbers differ by more than ``atol + rtol * |jvp|``.
    """
    rng = xp.random.default_rng(seed)
    wrt = _wrt(args, wrt)
    tensors = _to_tensors(args)
    with GradientTape() as tape:
        for i in wrt:
            tape.watch(tensors[i])
        outs = _leaves(fn(*tensors))
    if not outs:
        raise GradientCheckError("fn has no floating-point output to differentiate")
    ups = [rng.standard_normal(o.shape.as_list()) for o in outs]
    grads = tape.gradient(
        outs,
        [tensors[i] for i in wrt],
        output_gradients=[convert_to_tensor(u, dtype=o.dtype) for u, o in zip(ups, outs)],
    )
    dirs = [rng.standard_normal(xp.shape(args[i])) for i in wrt]
    vjp = sum(_dot(_numpy(g), v) for g, v in zip(grads, dirs) if g is not None)

    def projected(sign):
        moved = list(tensors)
        for i, v in zip(wrt, dirs):
            a = xp.asarray(args[i])
            moved[i] = convert_to_tensor((a + sign * eps * v).astype(a.dtype))
        return sum(_dot(_numpy(o), u) for o, u in zip(_leaves(fn(*moved)), ups))

    jvp = (projected(1.0) - projected(-1.0)) / (2 * eps)
    if not abs(vjp - jvp) <= atol + rtol * abs(jvp):  # NaN fails too
        raise GradientCheckError(
            f"projected gradient mismatch: tape <J^T u, v> = {vjp!r}, central difference "
            f"<u, J v> = {jvp!r} (|diff| = {abs(vjp - jvp):.3g}, "
            f"allowed {atol + rtol * abs(jvp):.3g})"
        )
    return grads


def gradient_fn(fn, n_args, wrt, n_outs):
    """``g(*args, *ups) = J(args)^T ups``: the tape's gradient of ``fn`` as a function."""

    def g(*xs_and_ups):
        xs, ups = list(xs_and_ups[:n_args]), xs_and_ups[n_args:]
        with GradientTape() as tape:
            for i in wrt:
                tape.watch(xs[i])
            outs = _leaves(fn(*xs))
        assert len(outs) == n_outs, "fn's float outputs changed between calls"
        return [
            r
            for r in tape.gradient(outs, [xs[i] for i in wrt], output_gradients=list(ups))
            if r is not None
        ]

    return g


def check_second_order(fn, args, wrt=None, eps=1e-6, rtol=1e-5, atol=1e-7, seed=0):
    """``check_vjp`` on the gradient function ``g(x, u) = J(x)^T u``, w.r.t. ``x`` and ``u``."""
    rng = xp.random.default_rng(seed + 1)
    wrt = _wrt(args, wrt)
    outs = _leaves(fn(*_to_tensors(args)))
    ups = [rng.standard_normal(o.shape.as_list()).astype(o.dtype.as_numpy_dtype) for o in outs]
    g = gradient_fn(fn, len(args), wrt, len(outs))
    return check_vjp(
        g,
        list(args) + ups,
        wrt=wrt + list(range(len(args), len(args) + len(ups))),
        eps=eps,
        rtol=rtol,
        atol=atol,
        seed=seed,
    )


def numeric_jacobian(fn, args, index, delta=1.0 / 1024):
    """The [y_size, x_size] central-difference Jacobian of ``fn`` w.r.t. ``args[index]``."""
    xs = [convert_to_tensor(a) for a in args]
    y_size = int(xp.size(_numpy(fn(*xs))))
    return gradient_checker._numerical(fn, xs, index, y_size, delta)


def check_jacobian(fn, args, rtol=1e-6, atol=1e-8, delta=1.0 / 1024):
    """Full theoretical vs numerical Jacobians (``tf.test.compute_gradient``) for small inputs."""
    theoretical, numerical = gradient_checker.compute_gradient(fn, list(args), delta=delta)
    for i, (t, n) in enumerate(zip(theoretical, numerical)):
        if not xp.allclose(t, n, rtol=rtol, atol=atol):
            worst = xp.unravel_index(xp.argmax(xp.abs(t - n)), t.shape)
            raise GradientCheckError(
                f"Jacobian w.r.t. argument {i}: tape {t[worst]!r} vs numerical "
                f"{n[worst]!r} at (output, input) {worst}"
            )
    return theoretical, numerical


__all__ = [
    "GradientCheckError",
    "check_jacobian",
    "check_second_order",
    "check_vjp",
    "gradient_fn",
    "numeric_jacobian",
]
