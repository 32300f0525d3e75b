"""``tfmot.clustering.keras``: weight clustering is not implemented in tensorlet.

Each entry point raises ``NotImplementedError``.
"""

_MESSAGE = (
    "tensorlet.model_optimization does not implement weight clustering "
    "(tfmot.clustering.keras.{name})."
)


def _not_implemented(name):
    def entry_point(*args, **kwargs):
        raise NotImplementedError(_MESSAGE.format(name=name))

    entry_point.__name__ = name
    entry_point.__doc__ = f"Not implemented in tensorlet: raises NotImplementedError ({name})."
    return entry_point


cluster_weights = _not_implemented("cluster_weights")
cluster_scope = _not_implemented("cluster_scope")
strip_clustering = _not_implemented("strip_clustering")

__all__ = ["cluster_scope", "cluster_weights", "strip_clustering"]
