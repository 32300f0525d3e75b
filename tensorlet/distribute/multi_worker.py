"""Strategies for clusters: multi-worker mirrored, parameter server, TPU, central storage.

Without a cluster, ``MultiWorkerMirroredStrategy`` is a single worker on the local device (as in
TF) and ``CentralStorageStrategy`` keeps the variables on the one device: both run one replica.
A cluster with other workers, a parameter-server cluster or a TPU would need other machines or
accelerators; their constructors raise TF's errors for a missing cluster or say so.
"""

import logging

from tensorlet.distribute import collective_util, device_util, distribute_lib, mirrored_strategy
from tensorlet.distribute.cluster_resolver import TFConfigClusterResolver, TPUClusterResolver
from tensorlet.framework import config
from tensorlet.framework.export import tf_export


def _local_device():
    gpus = config.list_logical_devices("GPU")
    return device_util.canonicalize(gpus[0].name if gpus else "/device:CPU:0")


class CollectiveAllReduceExtended(mirrored_strategy.SingleReplicaExtended):
    """Implementation of MultiWorkerMirroredStrategy for a single worker."""

    def __init__(self, container_strategy, cluster_resolver, communication_options):
        if communication_options is None:
            communication_options = collective_util.Options()
        self._communication_options = communication_options
        self._cluster_resolver = cluster_resolver or TFConfigClusterResolver()
        cluster_spec = self._cluster_resolver.cluster_spec()
        workers = sum(
            cluster_spec.num_tasks(job) for job in cluster_spec.jobs if job in ("chief", "worker")
        )
        if workers > 1:
            raise NotImplementedError(
                "tensorlet cannot run MultiWorkerMirroredStrategy across several workers (the "
                f"cluster in TF_CONFIG has {workers}); it runs on this machine only."
            )
        super().__init__(container_strategy, _local_device())
        logging.getLogger("tensorflow").info(
            "Single-worker MultiWorkerMirroredStrategy with local_devices = %r, communication = %s",
            self._devices,
            communication_options.implementation,
        )


@tf_export("distribute.MultiWorkerMirroredStrategy")
class MultiWorkerMirroredStrategy(distribute_lib.Strategy):
    """Synchronous training on several workers, each with one or more replicas.

    The cluster comes from ``cluster_resolver`` (default: ``TF_CONFIG``). Without a cluster it
    is a single worker on the local device, as in TF: one replica here.

    Args:
        cluster_resolver: a ``tf.distribute.cluster_resolver.ClusterResolver`` (None:
            ``TFConfigClusterResolver``).
        communication_options: a ``tf.distribute.experimental.CommunicationOptions``.
    """

    _TF_MODULE = "tensorflow.python.distribute.collective_all_reduce_strategy"

    def __init__(self, cluster_resolver=None, communication_options=None):
        super().__init__(CollectiveAllReduceExtended(self, cluster_resolver, communication_options))


@tf_export("distribute.experimental.MultiWorkerMirroredStrategy")
class _CollectiveAllReduceStrategyExperimental(MultiWorkerMirroredStrategy):
    """Deprecated: use ``tf.distribute.MultiWorkerMirroredStrategy``."""

    def __init__(
        self,
        communication=collective_util.CommunicationImplementation.AUTO,
        cluster_resolver=None,
        communication_options=None,
    ):
        if communication_options is None:
            communication_options = collective_util.Options(implementation=communication)
        super().__init__(cluster_resolver, communication_options)


@tf_export("distribute.experimental.CentralStorageStrategy")
class CentralStorageStrategy(distribute_lib.Strategy):
    """Variables on one device, computation replicated on the local GPUs (or the CPU).

    Args:
        compute_devices: the compute devices (None: all local GPUs, else the CPU).
        parameter_device: where the variables live (None: the CPU when there are several
            compute devices, else the compute device).
    """

    _TF_MODULE = "tensorflow.python.distribute.central_storage_strategy"

    def __init__(self, compute_devices=None, parameter_device=None):
        devices = compute_devices or mirrored_strategy.all_local_devices()
        devices = mirrored_strategy._resolve_devices(devices)
        mirrored_strategy._one_replica_only("CentralStorageStrategy", devices)
        extended = mirrored_strategy.SingleReplicaExtended(self, devices[0])
        extended._parameter_device = device_util.resolve(parameter_device or devices[0])
        super().__init__(extended)


def _task_count(cluster_spec, job):
    return cluster_spec.num_tasks(job) if job in cluster_spec.jobs else 0


@tf_export("distribute.ParameterServerStrategy", "distribute.experimental.ParameterServerStrategy")
class ParameterServerStrategy(distribute_lib.Strategy):
    """Asynchronous training with variables on parameter servers (needs a cluster with ``ps``
    and ``worker`` tasks and a running coordinator; not available in tensorlet).

    Args:
        cluster_resolver: a ``tf.distribute.cluster_resolver.ClusterResolver``.
        variable_partitioner: how to shard variables over the parameter servers.
    """

    _TF_MODULE = "tensorflow.python.distribute.parameter_server_strategy_v2"

    def __init__(self, cluster_resolver, variable_partitioner=None):
        if cluster_resolver is None:
            cluster_resolver = TFConfigClusterResolver()
        cluster_spec = cluster_resolver.cluster_spec()
        if not cluster_spec:
            raise ValueError(
                "Cluster spec must be non-empty in "
                "`tf.distribute.cluster_resolver.ClusterResolver`."
            )
        if _task_count(cluster_spec, "ps") < 1:
            raise ValueError("There must be at least one ps.")
        if _task_count(cluster_spec, "worker") < 1:
            raise ValueError("There must be at least one worker.")
        raise NotImplementedError(
            "tensorlet cannot run ParameterServerStrategy: it needs the parameter servers and "
            f"workers of {cluster_spec!r} to be reachable."
        )


@tf_export("distribute.TPUStrategy", "distribute.experimental.TPUStrategy")
class TPUStrategy(distribute_lib.Strategy):
    """Synchronous training on TPU cores (there are none here: the constructor fails as TF's
    does on a machine without TPUs).

    Args:
        tpu_cluster_resolver: a ``TPUClusterResolver`` (None: the local TPU).
        experimental_device_assignment: a ``tf.tpu.experimental.DeviceAssignment``.
        experimental_spmd_xla_partitioning: use SPMD partitioning.
    """

    _TF_MODULE = "tensorflow.python.distribute.tpu_strategy"

    def __init__(
        self,
        tpu_cluster_resolver=None,
        experimental_device_assignment=None,
        experimental_spmd_xla_partitioning=False,
    ):
        if tpu_cluster_resolver is None:
            tpu_cluster_resolver = TPUClusterResolver("")
        devices = [d.name for d in config.list_logical_devices()]
        raise RuntimeError(
            f"Cannot find any TPU cores in the system (master address {tpu_cluster_resolver.master()}). This usually means "
            "the master address is incorrect or the TPU worker has some problems. Available "
            f"devices: {devices}"
        )
