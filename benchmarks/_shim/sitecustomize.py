"""Benchmark-only shim (put on PYTHONPATH by benchmarks/run.py): a placeholder `tensorlet.keras`.

Every shared workload starts with `keras = tf.keras`, so without this a tensorlet that has no
Keras yet could not even run the workloads that never touch Keras (eager/tape/function
overhead, matmul/conv2d).  When `tensorlet` is imported by a workload and has no `keras`
attribute, `tensorlet.keras` becomes a module whose every attribute raises
AttributeError("... not implemented yet"), so Keras workloads still fail clearly.  Does
nothing once tensorlet has its own keras, and nothing for other frameworks.
"""
import importlib.abc
import importlib.machinery
import os
import sys
import types


class _MissingKeras(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError("tensorlet.keras is not implemented yet (benchmarks placeholder; "
                             "asked for keras.%s)" % name)


class _PlaceholderKerasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != "tensorlet":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        original = spec.loader.exec_module

        def exec_module(module):
            original(module)
            try:
                module.keras
            except AttributeError:
                module.keras = _MissingKeras("tensorlet.keras")
        spec.loader.exec_module = exec_module
        return spec


if os.environ.get("BENCH_FRAMEWORK") == "tensorlet" and os.environ.get("BENCH_KERAS_PLACEHOLDER", "1") == "1":
    sys.meta_path.insert(0, _PlaceholderKerasFinder())
