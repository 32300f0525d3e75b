"""The README's headline overheads, for one framework per process (run it for both, interleaved).

    FW=tensorlet python benchmarks/headline.py
    FW=tensorflow /path/to/tf-venv/bin/python benchmarks/headline.py

Prints one JSON line (microseconds): NumPy 0-d add floor, scalar ``a + b``, the seed's
GradientTape step (``x**2 + 2x + 1``), a ``tf.function`` call of ``x*y + x`` and a 20-op
elementwise chain on 1000 floats, eager and as a ``tf.function``. Best of several repeats.
"""
import importlib
import json
import os
import timeit

import numpy as np
tf = importlib.import_module(os.environ["FW"])
def best(stmt, g, n, r=7):
    return min(timeit.repeat(stmt, globals=g, number=n, repeat=r)) / n
a, b = tf.constant(1.0), tf.constant(2.0)
x, y = np.array(1.0, np.float32), np.array(2.0, np.float32)
v = tf.Variable(3.0)
def step():
    with tf.GradientTape() as tape:
        yy = v ** 2 + 2 * v + 1
    return tape.gradient(yy, v)
@tf.function
def f(p, q):
    return p * q + p
f(a, b)
c = tf.constant(np.random.rand(1000).astype(np.float32))
def chain(t):
    for _ in range(10):
        t = tf.tanh(t * 1.01 + 0.1)
    return t
gchain = tf.function(chain); gchain(c)
out = {
    "numpy_0d_add_us": best("x + y", globals(), 100000) * 1e6,
    "scalar_add_us": best("a + b", globals(), 100000) * 1e6,
    "tape_step_us": min(timeit.repeat(step, number=2000, repeat=5)) / 2000 * 1e6,
    "function_call_us": min(timeit.repeat(lambda: f(a, b), number=5000, repeat=5)) / 5000 * 1e6,
    "chain20_eager_us": min(timeit.repeat(lambda: chain(c), number=2000, repeat=5)) / 2000 * 1e6,
    "chain20_function_us": min(timeit.repeat(lambda: gchain(c), number=2000, repeat=5)) / 2000 * 1e6,
}
print(json.dumps(out))
