"""``tf.distribute.MirroredStrategy``: synchronous training over the devices of one machine.

Without ``devices`` the strategy uses every GPU, else the CPU; tensorlet has the CPU only, so it
runs one replica (``num_replicas_in_sync == 1``). ``run`` calls the function once in a replica
context (on the replica's device), cross-replica reductions of that replica's values are copies
of them, and ``merge_call`` runs its function right away. Several devices would need replicas
running in lock-step (TF uses one thread per replica); that is not implemented.
"""

import logging

from tensorlet.distribute import cross_device_ops as cross_device_ops_lib
from tensorlet.distribute import device_util, distribute_lib, input_lib
from tensorlet.distribute import values as values_lib
from tensorlet.distribute.reduce_util import ReduceOp
from tensorlet.framework import config
from tensorlet.framework.context import state
from tensorlet.framework.device import device as device_scope
from tensorlet.framework.export import tf_export

_EAGER_WARNINGS = [0]


def all_local_devices(num_gpus=None):
    """The logical GPUs (at most ``num_gpus``), or the logical CPUs when there is no GPU."""
    devices = config.list_logical_devices("GPU")
    if num_gpus is not None:
        devices = devices[:num_gpus]
    return devices or config.list_logical_devices("CPU")


def _warn_eager(strategy):
    # TF logs this for the first 5 eager calls of `run` with a plain Python function
    if _EAGER_WARNINGS[0] < 5:
        _EAGER_WARNINGS[0] += 1
        logging.getLogger("tensorflow").warning(
            "Using %s eagerly has significant overhead currently. We will be working on "
            "improving this in the future, but for now please wrap `call_for_each_replica` or "
            "`experimental_run` or `run` inside a tf.function to get the best performance.",
            type(strategy).__name__,
        )


class SingleReplicaExtended(distribute_lib.StrategyExtended):
    """The implementation shared by the local strategies: one replica on ``device``."""

    def __init__(self, container_strategy, device):
        super().__init__(container_strategy)
        self._devices = (device,)
        self._host_device = device_util.canonicalize("/device:CPU:0", device)
        self._cross_device_ops = None
        self.experimental_enable_get_next_as_optional = True

    # ---------------------------------------------------------------- running
    def _call_for_each_replica(self, fn, args, kwargs):
        strategy = self._container_strategy()
        if not distribute_lib._is_tf_function(fn):
            if state.graph is None:
                _warn_eager(strategy)
            else:
                fn = distribute_lib.autograph_convert(fn, convert_by_default=True)
        args = values_lib.select_replica(0, args)
        kwargs = values_lib.select_replica(0, kwargs)
        with device_scope(self._devices[0]), _SingleReplicaContext(strategy, 0):
            result = fn(*args, **kwargs)
        return values_lib.regroup((result,))

    # ---------------------------------------------------------------- reductions
    def _get_cross_device_ops(self, value=None):
        return self._cross_device_ops or cross_device_ops_lib.ReductionToOneDevice()

    def _reduce_to(self, reduce_op, value, destinations, options):
        if values_lib.is_mirrored(value) and reduce_op == ReduceOp.MEAN:
            return value
        assert not values_lib.is_mirrored(value)
        return cross_device_ops_lib.reduce_structure(
            self._get_cross_device_ops(value),
            reduce_op,
            value,
            destinations,
            self._num_replicas_in_sync,
        )

    def _batch_reduce_to(self, reduce_op, value_destination_pairs, options):
        return self._get_cross_device_ops().batch_reduce(
            reduce_op, value_destination_pairs, options
        )

    def _gather_to_implementation(self, value, destinations, axis, options):
        if not isinstance(value, values_lib.DistributedValues):
            return value
        return self._get_cross_device_ops(value)._gather(value, destinations, axis, options)

    def _update(self, var, fn, args, kwargs, group):
        with device_scope(self._devices[0]), distribute_lib.UpdateContext(0):
            result = fn(
                var, *values_lib.select_replica(0, args), **values_lib.select_replica(0, kwargs)
            )
        if group:
            return result
        from tensorlet.framework import nest

        return nest.map_structure(self._local_results, result)

    def _update_non_slot(self, colocate_with, fn, args, kwargs, group):
        with device_scope(self._devices[0]), distribute_lib.UpdateContext(0):
            result = fn(*values_lib.select_replica(0, args), **values_lib.select_replica(0, kwargs))
        if group:
            return result
        from tensorlet.framework import nest

        return nest.map_structure(self._local_results, result)

    # ---------------------------------------------------------------- input
    def _input_contexts(self):
        return [
            distribute_lib.InputContext(
                num_input_pipelines=1,
                input_pipeline_id=0,
                num_replicas_in_sync=self._num_replicas_in_sync,
            )
        ]

    def _experimental_distribute_dataset(self, dataset, options):
        if (
            options
            and options.experimental_replication_mode
            == distribute_lib.InputReplicationMode.PER_REPLICA
        ):
            raise NotImplementedError(
                "InputReplicationMode.PER_REPLICA is only supported in "
                "`distribute_datasets_from_function`."
            )
        return input_lib.DistributedDataset(self._container_strategy(), dataset=dataset)

    def _distribute_datasets_from_function(self, dataset_fn, options):
        return input_lib.DistributedDataset(
            self._container_strategy(), dataset_fn=dataset_fn, input_contexts=self._input_contexts()
        )

    def _experimental_distribute_values_from_function(self, value_fn):
        n = self._num_replicas_in_sync
        per_replica = [value_fn(distribute_lib.ValueContext(i, n)) for i in range(n)]
        return values_lib.regroup(per_replica, always_wrap=True)

    def read_var(self, replica_local_var):
        from tensorlet.ops import array_ops

        return array_ops.identity(replica_local_var)

    def value_container(self, value):
        return value

    def non_slot_devices(self, var_list):
        return self._devices

    # ---------------------------------------------------------------- properties
    @property
    def _num_replicas_in_sync(self):
        return len(self._devices)

    @property
    def worker_devices(self):
        return self._devices

    @property
    def worker_devices_by_replica(self):
        return [[d] for d in self._devices]

    @property
    def parameter_devices(self):
        return self.worker_devices

    @property
    def _global_batch_size(self):
        return True


class _SingleReplicaContext(distribute_lib.ReplicaContext):
    """The replica context inside ``run`` of a local strategy."""

    @property
    def devices(self):
        distribute_lib.require_replica_context(self)
        return [self._strategy.extended.worker_devices_by_replica[self._local_replica_id]]

    def _merge_call(self, merge_fn, args, kwargs):
        # the merged arguments of one replica are its own; the result goes back to it unwrapped
        result = super()._merge_call(
            merge_fn, values_lib.regroup((args,)), values_lib.regroup((kwargs,))
        )
        return values_lib.select_replica(0, result)


def _resolve_devices(devices):
    devices = tuple(device_util.resolve(getattr(d, "name", d)) for d in devices)
    assert len(set(devices)) == len(devices), (
        f"No duplicates allowed in `devices` argument: {devices}"
    )
    return devices


def _one_replica_only(strategy_name, devices):
    if len(devices) > 1:
        raise NotImplementedError(
            f"tensorlet runs tf.distribute strategies on a single replica; {strategy_name} was "
            f"given {len(devices)} devices {devices}."
        )


class MirroredExtended(SingleReplicaExtended):
    """Implementation of MirroredStrategy."""

    def __init__(self, container_strategy, devices=None, cross_device_ops=None):
        if devices and not device_util.is_single_worker(devices):
            raise RuntimeError(
                "In-graph multi-worker training with `MirroredStrategy` is not "
                "supported in eager mode."
            )
        devices = devices or all_local_devices()
        assert devices, "Got an empty `devices` list and unable to recognize any local devices."
        devices = _resolve_devices(devices)
        _one_replica_only("MirroredStrategy", devices)
        super().__init__(container_strategy, device_util.canonicalize(devices[0]))
        self._cross_device_ops = cross_device_ops
        self._inferred_cross_device_ops = (
            None if cross_device_ops else cross_device_ops_lib.select_cross_device_ops(devices)
        )
        self._is_multi_worker_training = False

    def _get_cross_device_ops(self, value=None):
        return self._cross_device_ops or self._inferred_cross_device_ops


@tf_export("distribute.MirroredStrategy")
class MirroredStrategy(distribute_lib.Strategy):
    """Synchronous training across the replicas of one machine (all GPUs, else the CPU).

    Variables created in ``scope()`` are kept in sync across replicas, ``run`` executes a step
    on each replica and ``reduce`` combines the results. tensorlet has the CPU only: one
    replica.

    Args:
        devices: device strings such as ``['/gpu:0', '/gpu:1']`` (None: all local GPUs, or the
            CPU when there is none).
        cross_device_ops: a ``tf.distribute.CrossDeviceOps`` (None: chosen from the devices).

    Example:
        >>> strategy = tf.distribute.MirroredStrategy()
        >>> strategy.num_replicas_in_sync
        1
        >>> with strategy.scope():
        ...     v = tf.Variable(1.0)
        >>> strategy.reduce("SUM", strategy.run(lambda: v * 2), axis=None)
        <tf.Tensor: shape=(), dtype=float32, numpy=2.0>
    """

    _TF_MODULE = "tensorflow.python.distribute.mirrored_strategy"

    def __init__(self, devices=None, cross_device_ops=None):
        extended = MirroredExtended(self, devices=devices, cross_device_ops=cross_device_ops)
        super().__init__(extended)
