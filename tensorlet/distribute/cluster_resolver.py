"""Cluster descriptions: ``tf.train.ClusterSpec`` and the ``tf.distribute.cluster_resolver``
classes that read them (``TF_CONFIG``, explicit specs, TPUs).

tensorlet never connects to other machines; these objects only describe a cluster, so code that
inspects ``TF_CONFIG`` (task type, index, worker addresses) behaves as with TF.
"""

import json
import os

from tensorlet.framework.export import tf_export


@tf_export("train.ClusterSpec")
class ClusterSpec:
    """A cluster as a map from job names to task addresses.

    Example:
        >>> spec = tf.train.ClusterSpec({"worker": ["w0:2222", "w1:2222"], "ps": ["ps0:2222"]})
        >>> spec.jobs
        ['ps', 'worker']
        >>> spec.num_tasks("worker")
        2
    """

    def __init__(self, cluster):
        if isinstance(cluster, ClusterSpec):
            cluster = cluster.as_dict()
        if not isinstance(cluster, dict):
            raise TypeError(
                "`cluster` must be a dictionary mapping one or more job names to "
                "(i) a list of network addresses, or (ii) a dictionary mapping "
                "integer task indices to network addresses."
            )
        self._cluster_spec = {}
        for job, tasks in cluster.items():
            if isinstance(tasks, (list, tuple)):
                job_tasks = {i: t for i, t in enumerate(tasks)}
            elif isinstance(tasks, dict):
                job_tasks = {int(i): t for i, t in tasks.items()}
            else:
                raise TypeError(
                    f"The tasks for job {job!r} must be a list or a dictionary from "
                    "integers to strings."
                )
            self._cluster_spec[job] = job_tasks

    def __bool__(self):
        return bool(self._cluster_spec)

    def __eq__(self, other):
        return isinstance(other, ClusterSpec) and self._cluster_spec == other._cluster_spec

    def __ne__(self, other):
        return not self == other

    def __repr__(self):
        return "ClusterSpec(" + repr(self.as_dict()) + ")"

    def as_dict(self):
        """``{job: [addresses]}`` (or ``{job: {index: address}}`` when indices are sparse)."""
        out = {}
        for job, tasks in self._cluster_spec.items():
            if tasks and max(tasks) + 1 == len(tasks):
                out[job] = [tasks[i] for i in range(len(tasks))]
            else:
                out[job] = dict(tasks)
        return out

    @property
    def jobs(self):
        """The job names, sorted."""
        return sorted(self._cluster_spec)

    def _job(self, job_name):
        try:
            return self._cluster_spec[job_name]
        except KeyError:
            raise ValueError(f"No such job in cluster: {job_name!r}") from None

    def num_tasks(self, job_name):
        return len(self._job(job_name))

    def task_indices(self, job_name):
        return sorted(self._job(job_name))

    def task_address(self, job_name, task_index):
        job = self._job(job_name)
        try:
            return job[task_index]
        except KeyError:
            raise ValueError(f"No task with index {task_index!r} in job {job_name!r}") from None

    def job_tasks(self, job_name):
        job = self._job(job_name)
        ret = [None] * (max(job) + 1 if job else 0)
        for i, address in job.items():
            ret[i] = address
        return ret


@tf_export("distribute.cluster_resolver.ClusterResolver")
class ClusterResolver:
    """Base class of cluster resolvers: ``cluster_spec()``, ``master()``, task information."""

    task_type = None
    task_id = None
    rpc_layer = None
    environment = ""

    def cluster_spec(self):
        raise NotImplementedError()

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        raise NotImplementedError()

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None):
        """The accelerators per type on this machine (none: tensorlet runs on the CPU)."""
        return {}


@tf_export("distribute.cluster_resolver.SimpleClusterResolver")
class SimpleClusterResolver(ClusterResolver):
    """A resolver holding the given cluster spec and task information."""

    def __init__(
        self,
        cluster_spec,
        master="",
        task_type=None,
        task_id=None,
        environment="",
        num_accelerators=None,
        rpc_layer=None,
    ):
        if not isinstance(cluster_spec, ClusterSpec):
            raise TypeError("cluster_spec must be a `tf.train.ClusterSpec`.")
        self._cluster_spec = cluster_spec
        if not isinstance(master, str):
            raise TypeError("master must be a string.")
        self._master = master
        self.task_type = task_type
        self.task_id = task_id
        self.environment = environment
        self._num_accelerators = num_accelerators
        self.rpc_layer = rpc_layer

    def cluster_spec(self):
        return self._cluster_spec

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        if task_type is not None and task_id is not None:
            master = self.cluster_spec().task_address(task_type, task_id)
        else:
            master = self._master
        return _format_master_url(master, rpc_layer or self.rpc_layer)

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None):
        return self._num_accelerators or {}


def _format_master_url(master, rpc_layer=None):
    return f"{rpc_layer}://{master}" if rpc_layer else master


def _load_tf_config():
    return json.loads(os.environ.get("TF_CONFIG", "{}"))


@tf_export("distribute.cluster_resolver.TFConfigClusterResolver")
class TFConfigClusterResolver(ClusterResolver):
    """Reads the cluster from the ``TF_CONFIG`` environment variable (JSON with ``cluster``,
    ``task`` ``{type, index}``, ``rpc_layer`` and ``environment``)."""

    def __init__(self, task_type=None, task_id=None, rpc_layer=None, environment=None):
        self._task_type = task_type
        self._task_id = task_id
        self._rpc_layer = rpc_layer
        self._environment = environment

    @property
    def task_type(self):
        if self._task_type is None:
            task = _load_tf_config().get("task", {})
            return str(task["type"]) if "type" in task else None
        return self._task_type

    @task_type.setter
    def task_type(self, task_type):
        self._task_type = task_type

    @property
    def task_id(self):
        if self._task_id is None:
            task = _load_tf_config().get("task", {})
            return int(task["index"]) if "index" in task else None
        return self._task_id

    @task_id.setter
    def task_id(self, task_id):
        self._task_id = task_id

    @property
    def environment(self):
        return self._environment or _load_tf_config().get("environment", "")

    @property
    def rpc_layer(self):
        return self._rpc_layer or _load_tf_config().get("rpc_layer")

    @rpc_layer.setter
    def rpc_layer(self, rpc_layer):
        self._rpc_layer = rpc_layer

    def cluster_spec(self):
        """The ``tf.train.ClusterSpec`` of ``TF_CONFIG['cluster']`` (empty without one)."""
        return ClusterSpec(_load_tf_config().get("cluster", {}))

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        """The address of the given (default: this) task, with the RPC layer prefix."""
        task_type = task_type if task_type is not None else self.task_type
        task_id = task_id if task_id is not None else self.task_id
        if task_type is not None and task_id is not None:
            address = self.cluster_spec().task_address(task_type, task_id)
            return _format_master_url(address, rpc_layer or self.rpc_layer)
        return ""


@tf_export("distribute.cluster_resolver.TPUClusterResolver")
class TPUClusterResolver(ClusterResolver):
    """Resolves a Cloud TPU by name; there is no TPU to find here."""

    def __init__(
        self,
        tpu=None,
        zone=None,
        project=None,
        job_name="worker",
        coordinator_name=None,
        coordinator_address=None,
        credentials="default",
        service=None,
        discovery_url=None,
    ):
        if tpu is None:
            tpu = os.environ.get("TPU_NAME")
        if tpu is None:
            raise ValueError("Please provide a TPU Name to connect to.")
        self._tpu = tpu
        self.task_type = job_name
        self.task_id = 0

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        return self._tpu if self._tpu.startswith("grpc://") else ""

    def cluster_spec(self):
        return ClusterSpec({})
