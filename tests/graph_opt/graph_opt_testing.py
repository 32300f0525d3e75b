"""Shared helpers of the graph optimizer tests (trace, run passes, compare bit for bit)."""

import numpy as np

import tensorlet as tf
from tensorlet.function.concrete_function import ConcreteFunction
from tensorlet.graph_opt import pipeline


def trace(fn, *specs):
    """The ConcreteFunction of ``fn`` for ``specs`` (TensorSpecs or tensors), no passes."""
    c = tf.function(fn, autograph=False).get_concrete_function(*specs)
    c.graph_passes = []
    return c


def optimize(c, *passes):
    """A copy of ``c``'s traced graph after ``passes`` (default: the whole pipeline)."""
    g = c.graph.copy()
    for p in passes or (pipeline.optimize,):
        g = p(g)
    return g


def types(graph):
    return [op.type for op in graph.get_operations()]


def count(graph, op_type):
    return types(graph).count(op_type)


def run(graph, *arrays):
    """Runs ``graph`` (inputs in order) with the executor; returns the output arrays."""
    return graph.as_function()(*[np.asarray(a) for a in arrays])


def with_passes(c, passes):
    """Another ConcreteFunction over ``c``'s traced graph, optimized by ``passes``."""
    other = ConcreteFunction(c.graph, c._parameters)
    other.graph_passes = list(passes)
    return other


def assert_same(a, b):
    """Same dtype, shape and bytes (so -0.0 != 0.0 and NaN payloads count)."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    assert a.shape == b.shape, (a.shape, b.shape)
    assert a.tobytes() == b.tobytes(), (a, b)


def special_values(rng, shape, dtype=np.float32):
    """Random values with NaN, +-inf, +-0.0, 1 and large/tiny numbers mixed in."""
    x = rng.standard_normal(shape) * rng.choice([1e-3, 1.0, 10.0], size=shape)
    specials = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 1e30, -1e-30])
    mask = rng.random(shape) < 0.3
    x = np.where(mask, rng.choice(specials, size=shape), x)
    with np.errstate(over="ignore"):
        return x.astype(dtype)
