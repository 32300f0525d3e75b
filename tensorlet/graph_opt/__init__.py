"""Graph optimization passes over the tf.function graph IR (``graph -> graph``), one per module.

``pipeline.optimize`` runs them in order (constant folding, arithmetic simplification, CSE,
pruning, elementwise fusion, buffer reuse); ``rewrite`` holds the shared graph-editing helpers
and the pattern engine; ``elementwise`` the fused kernels. Importing this package changes
nothing: ``pipeline.install()`` makes the pipeline the default of ``tf.function``.
"""
