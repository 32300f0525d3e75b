"""Numerical gradient checks for the array / linalg / clip op tests.

``check_grad(fn, *args)`` compares the tape's vector-Jacobian product with a central-difference
Jacobian-vector product along a random direction (float64, O(1) evaluations whatever the size):
``<u, J v>`` from the tape must equal ``(<u, f(x + e v)> - <u, f(x - e v)>) / 2e``.
"""

import numpy as np

import tensorlet as tf


def _flat_outputs(out):
    if isinstance(out, (list, tuple)):
        leaves = []
        for o in out:
            leaves.extend(_flat_outputs(o))
        return leaves
    return [out]


def _is_float(a):
    return isinstance(a, np.ndarray) and a.dtype.kind == "f"


def check_grad(fn, *args, wrt=None, eps=1e-6, rtol=1e-6, atol=1e-8, seed=0):
    """``fn(*tensors)``: float64 NumPy ``args`` (positions ``wrt``, default all float arrays)
    are differentiated; other args are passed through unchanged."""
    rng = np.random.default_rng(seed)
    wrt = [i for i, a in enumerate(args) if _is_float(a)] if wrt is None else wrt
    conv = [tf.constant(a) if isinstance(a, np.ndarray) else a for a in args]
    with tf.GradientTape() as tape:
        for i in wrt:
            tape.watch(conv[i])
        outs = [o for o in _flat_outputs(fn(*conv)) if o.dtype.is_floating]
    ups = [rng.standard_normal(o.shape.as_list()) for o in outs]
    grads = tape.gradient(
        outs,
        [conv[i] for i in wrt],
        output_gradients=[tf.constant(u, dtype=o.dtype) for u, o in zip(ups, outs)],
    )
    dirs = [rng.standard_normal(np.shape(args[i])) for i in wrt]
    vjp = 0.0
    for g, v in zip(grads, dirs):
        if g is not None:
            vjp += float(np.sum(np.asarray(tf.convert_to_tensor(g)) * v))

    def projected(sign):
        moved = list(conv)
        for i, v in zip(wrt, dirs):
            moved[i] = tf.constant(args[i] + sign * eps * v)
        leaves = [o for o in _flat_outputs(fn(*moved)) if o.dtype.is_floating]
        return sum(float(np.sum(o.numpy() * u)) for o, u in zip(leaves, ups))

    jvp = (projected(1.0) - projected(-1.0)) / (2 * eps)
    np.testing.assert_allclose(vjp, jvp, rtol=rtol, atol=atol)
    return grads
