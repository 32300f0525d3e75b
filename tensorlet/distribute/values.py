"""Distributed values: one value per replica (``PerReplica``) or one kept in sync (``Mirrored``).

``regroup`` merges the per-replica results of ``strategy.run`` into one structure (a value that is
the same object on every replica, as with a single replica, is returned as is); ``select_replica``
picks replica ``i``'s component out of a structure that holds distributed values.
"""

from tensorlet.framework import nest
from tensorlet.framework.export import tf_export


@tf_export("distribute.DistributedValues")
class DistributedValues:
    """Base class of values that hold one component per replica.

    ``strategy.experimental_local_results(value)`` gives the components as a tuple.
    """

    _TF_MODULE = "tensorflow.python.distribute.values"

    def __init__(self, values):
        self._values = tuple(values)

    @property
    def values(self):
        """The per-replica components, as a tuple."""
        return self._values

    def _primary(self):
        return self._values[0]

    def _get_replica(self, replica_id):
        return self._values[replica_id]

    def _get(self):
        from tensorlet.distribute import distribute_lib

        replica_id = distribute_lib.current_replica_id()
        if replica_id is None:
            return self._get_cross_replica()
        return self._values[replica_id]

    def _get_cross_replica(self):
        raise NotImplementedError(
            "DistributedValues._get_cross_replica should be implemented by "
            "sub-classes which support cross-replica accesses."
        )

    @property
    def _devices(self):
        return tuple(getattr(v, "device", None) for v in self._values)

    def __str__(self):
        body = ",\n".join(f"  {i}: {v}" for i, v in enumerate(self._values))
        return f"{type(self).__name__}:{{\n{body}\n}}"

    def __repr__(self):
        body = ",\n".join(f"  {i}: {v!r}" for i, v in enumerate(self._values))
        return f"{type(self).__name__}:{{\n{body}\n}}"


class PerReplica(DistributedValues):
    """Values that differ from replica to replica (readable in a replica context only)."""

    def _get_cross_replica(self):
        raise ValueError(
            "Cannot access the per-replica values of a `PerReplica` in a cross-replica context; "
            "use `strategy.reduce` or `strategy.experimental_local_results`."
        )


class Mirrored(DistributedValues):
    """Values known to be the same on every replica: in a cross-replica context they read as
    the first replica's value (attributes and operators are delegated to it)."""

    def _get_cross_replica(self):
        return self._values[0]

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._get(), name)

    def __tf_tensor__(self, dtype=None, name=None):
        from tensorlet.framework.tensor_conversion import convert_to_tensor

        return convert_to_tensor(self._get(), dtype=dtype, name=name)


def _delegate(op):
    def method(self, *args):
        return getattr(self._get(), op)(*args)

    method.__name__ = op
    return method


for _op in (
    "__add__",
    "__radd__",
    "__sub__",
    "__rsub__",
    "__mul__",
    "__rmul__",
    "__truediv__",
    "__rtruediv__",
    "__floordiv__",
    "__rfloordiv__",
    "__mod__",
    "__rmod__",
    "__pow__",
    "__rpow__",
    "__neg__",
    "__abs__",
    "__matmul__",
    "__rmatmul__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__getitem__",
    "__array__",
):
    setattr(Mirrored, _op, _delegate(_op))


def regroup(values, wrap_class=PerReplica, always_wrap=False):
    """One structure from the per-replica structures ``values`` (a tuple, one per replica):
    lists, tuples, namedtuples and dicts are rebuilt, each leaf becomes ``wrap_class(leaves)``
    unless it is the same object on every replica (then it is returned as is)."""
    v0 = values[0]
    if isinstance(v0, list):
        return [
            regroup(tuple(v[i] for v in values), wrap_class, always_wrap) for i in range(len(v0))
        ]
    if isinstance(v0, tuple):
        items = tuple(
            regroup(tuple(v[i] for v in values), wrap_class, always_wrap) for i in range(len(v0))
        )
        return v0._make(items) if hasattr(v0, "_fields") else items
    if isinstance(v0, dict):
        return type(v0)(
            {k: regroup(tuple(v[k] for v in values), wrap_class, always_wrap) for k in v0}
        )
    if all(v is v0 for v in values[1:]) and not always_wrap:
        return v0
    return wrap_class(values)


def select_replica(replica_id, structured):
    """``structured`` with every DistributedValues replaced by its ``replica_id`` component."""

    def select(x):
        return x._values[replica_id] if isinstance(x, DistributedValues) else x

    return nest.map_structure(select, structured)


def is_distributed(x):
    return isinstance(x, DistributedValues)


def is_mirrored(x):
    return isinstance(x, Mirrored)
