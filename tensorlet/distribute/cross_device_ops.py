"""Cross-device reductions (``tf.distribute.CrossDeviceOps`` and its implementations).

All devices are the one CPU here, so every implementation reduces by adding the per-replica
components in place (``ReductionToOneDevice``'s algorithm); NCCL and hierarchical copy are
accepted names for the same thing. A value with one component reduces to a copy of it.
"""

from tensorlet.distribute import collective_util, device_util
from tensorlet.distribute import values as values_lib
from tensorlet.distribute.reduce_util import ReduceOp
from tensorlet.framework import nest
from tensorlet.framework.export import tf_export
from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.framework.tensor import is_tensor


def _is_variable(x):
    return getattr(x, "_is_variable", False) or getattr(x, "_is_keras_variable", False)


def validate_destinations(destinations):
    """Raises TF's ValueError unless ``destinations`` is a device string, tensor, variable or
    distributed value (and not empty)."""
    if not (
        isinstance(destinations, (values_lib.DistributedValues, IndexedSlices, str))
        or is_tensor(destinations)
        or _is_variable(destinations)
    ):
        raise ValueError(
            "destinations must be one of a `DistributedValues` object, a "
            "tf.Variable object, or a device string."
        )
    if isinstance(destinations, str) and not destinations:
        raise ValueError("destinations can not be empty")


def _identity(value):
    from tensorlet.ops import array_ops

    if isinstance(value, IndexedSlices):
        return value
    return array_ops.identity(value)


def reduce_non_distributed_value(reduce_op, value, destinations, num_replicas_in_graph):
    """Reduces a plain value (the same on every replica) onto ``destinations``: MEAN gives it
    back, SUM only makes sense with one replica."""
    if isinstance(value, values_lib.DistributedValues):
        raise ValueError(  # noqa: TRY004 (TF's class)
            "You are passing a `DistributedValues` to "
            "`reduce_non_distributed_value`, which is not allowed."
        )
    if reduce_op == ReduceOp.MEAN:
        return value
    if num_replicas_in_graph != 1:
        raise ValueError(
            f"A non-DistributedValues value {value} cannot be reduced with the given "
            f"reduce op {reduce_op}."
        )
    validate_destinations(destinations)
    return _identity(value)


def _make_tensor_into_per_replica(value):
    if isinstance(value, values_lib.DistributedValues):
        return value
    if not is_tensor(value) and not isinstance(value, IndexedSlices):
        from tensorlet.framework.tensor_conversion import convert_to_tensor

        value = convert_to_tensor(value)
    return values_lib.PerReplica((value,))


@tf_export("distribute.CrossDeviceOps")
class CrossDeviceOps:
    """Base class of cross-device reduction and broadcasting algorithms."""

    _TF_MODULE = "tensorflow.python.distribute.cross_device_ops"

    def __init__(self):
        self._canonicalize_devices = True

    def __repr__(self):
        return f"<{self._TF_MODULE}.{type(self).__name__} object at {id(self):#x}>"

    @property
    def _num_between_graph_workers(self):
        return 1

    def reduce(self, reduce_op, per_replica_value, destinations, options=None):
        """Reduces a per-replica value (SUM or MEAN) onto ``destinations``."""
        per_replica_value = _make_tensor_into_per_replica(per_replica_value)
        validate_destinations(destinations)
        if len(per_replica_value.values) == 1:
            return _identity(per_replica_value.values[0])
        return self.reduce_implementation(
            reduce_op, per_replica_value, destinations, options or collective_util.Options()
        )

    def batch_reduce(self, reduce_op, value_destination_pairs, options=None):
        """``reduce`` of each ``(per_replica_value, destinations)`` pair; a list of results."""
        pairs = [(_make_tensor_into_per_replica(v), d) for v, d in value_destination_pairs]
        for _, d in pairs:
            validate_destinations(d)
        if pairs and all(len(v.values) == 1 for v, _ in pairs):
            return [values_lib.regroup(v.values, wrap_class=values_lib.Mirrored) for v, _ in pairs]
        return self.batch_reduce_implementation(
            reduce_op, pairs, options or collective_util.Options()
        )

    def broadcast(self, tensor, destinations):
        """``tensor`` mirrored onto ``destinations``."""
        validate_destinations(destinations)
        return self.broadcast_implementation(tensor, destinations)

    def reduce_implementation(self, reduce_op, per_replica_value, destinations, options):
        from tensorlet.ops import math_ops

        total = math_ops.add_n(list(per_replica_value.values))
        if reduce_op == ReduceOp.MEAN:
            total = total / len(per_replica_value.values)
        return total

    def batch_reduce_implementation(self, reduce_op, value_destination_pairs, options):
        return [
            self.reduce_implementation(reduce_op, v, d, options) for v, d in value_destination_pairs
        ]

    def broadcast_implementation(self, tensor, destinations):
        return _identity(tensor)

    def _gather(self, per_replica_value, destinations, axis, options=None):
        from tensorlet.ops import array_ops

        per_replica_value = _make_tensor_into_per_replica(per_replica_value)
        validate_destinations(destinations)
        parts = list(per_replica_value.values)
        return _identity(parts[0]) if len(parts) == 1 else array_ops.concat(parts, axis)


@tf_export("distribute.ReductionToOneDevice")
class ReductionToOneDevice(CrossDeviceOps):
    """Copies the values to one device, reduces them there and broadcasts the result.

    Args:
        reduce_to_device: the device to reduce on (default: the first destination).
        accumulation_fn: the function adding the values (default ``tf.math.add_n``).
    """

    def __init__(self, reduce_to_device=None, accumulation_fn=None):
        self.reduce_to_device = reduce_to_device
        self.accumulation_fn = accumulation_fn
        super().__init__()

    def reduce_implementation(self, reduce_op, per_replica_value, destinations, options):
        if self.accumulation_fn is None:
            return super().reduce_implementation(
                reduce_op, per_replica_value, destinations, options
            )
        total = self.accumulation_fn(list(per_replica_value.values))
        if reduce_op == ReduceOp.MEAN:
            total = total / len(per_replica_value.values)
        return total


class _AllReduceCrossDeviceOps(CrossDeviceOps):
    def __init__(self, all_reduce_alg="nccl", num_packs=1):
        self._all_reduce_alg = all_reduce_alg
        self._num_packs = num_packs
        super().__init__()


@tf_export("distribute.NcclAllReduce")
class NcclAllReduce(_AllReduceCrossDeviceOps):
    """NCCL all-reduce (GPUs); on the CPU the values are added in place."""

    def __init__(self, num_packs=1):
        if num_packs < 0:
            raise ValueError(
                f"NCCL all-reduce requires num_packs >= 0, but {num_packs} is specified"
            )
        super().__init__(all_reduce_alg="nccl", num_packs=num_packs)


@tf_export("distribute.HierarchicalCopyAllReduce")
class HierarchicalCopyAllReduce(_AllReduceCrossDeviceOps):
    """Hierarchical copy all-reduce (DGX-1 style GPU topologies)."""

    def __init__(self, num_packs=1):
        if num_packs < 0:
            raise ValueError(
                f"HierarchicalCopy requires num_packs >= 0, but {num_packs} is specified"
            )
        super().__init__(all_reduce_alg="hierarchical_copy", num_packs=num_packs)


def select_cross_device_ops(devices):
    """The default reduction for ``devices``: NCCL for GPUs only, else ReductionToOneDevice.

    Logs TF's warning when some requested devices do not exist on this machine."""
    requested = {device_util.canonicalize(d) for d in devices}
    visible = set(device_util.local_devices())
    missing = requested - visible
    if missing:
        import logging

        logging.getLogger("tensorflow").warning(
            "Some requested devices in `tf.distribute.Strategy` are not visible to TensorFlow: %s",
            ",".join(sorted(missing)),
        )
    if any("gpu" not in d.lower() for d in requested):
        return ReductionToOneDevice()
    return NcclAllReduce()


def reduce_structure(cross_device_ops, reduce_op, value, destinations, num_replicas):
    """Reduces every leaf of ``value`` (distributed or not) onto ``destinations``."""

    def get_values(v):
        if not isinstance(v, values_lib.DistributedValues):
            return reduce_non_distributed_value(reduce_op, v, destinations, num_replicas)
        return cross_device_ops.reduce(reduce_op, v, destinations=destinations)

    return nest.map_structure(get_values, value)
