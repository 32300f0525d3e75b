"""tensorlet: TensorFlow 2 and Keras, re-implemented in Python on NumPy.

``import tensorlet as tf``. The public namespace is generated (``tensorlet/_api``, by
``tools/gen_api.py`` from the ``@tf_export`` decorators); this file only re-exports it.
``tf.keras`` (generated into ``tensorlet/keras``) is imported on first use.
"""
import os as _os
import sys as _sys

__version__ = "2.21.0"

if not _os.environ.get("TENSORLET_GEN_API"):
    from tensorlet import _api
    from tensorlet._api import *  # noqa: F401,F403
    from tensorlet._api import _SUBMODULES

    # `import tensorlet.math` / `from tensorflow.math import exp` resolve to the namespaces
    for _name, _mod in _SUBMODULES.items():
        _sys.modules.setdefault(__name__ + "." + _name, _mod)
        if "." not in _name:
            globals()[_name] = _mod
    del _SUBMODULES

    def __getattr__(name):  # lazy namespaces (tf.keras)
        return getattr(_api, name)

    # tf.function graphs are optimized (constant folding, CSE, pruning, fusion, buffer reuse);
    # installed here because tensorlet.function sits below tensorlet.graph_opt in the layering
    from tensorlet.graph_opt import pipeline as _graph_opt_pipeline

    _graph_opt_pipeline.install()
    del _graph_opt_pipeline
