"""Distributed datasets, input contexts, communication options, cluster resolvers and the
strategies that need a cluster."""

import json

import numpy as np
import pytest

import tensorlet as tf


def _batches(n=10, batch=4):
    return tf.data.Dataset.from_tensor_slices(np.arange(n, dtype="float32")).batch(batch)


# ---------------------------------------------------------------- distributed datasets


@pytest.mark.parametrize(
    "make", [tf.distribute.MirroredStrategy, lambda: tf.distribute.OneDeviceStrategy("/cpu:0")]
)
def test_distribute_dataset_yields_the_batches(make):
    s = make()
    ds = _batches()
    dist = s.experimental_distribute_dataset(ds)
    assert isinstance(dist, tf.distribute.DistributedDataset)
    assert [b.numpy().tolist() for b in dist] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert dist.element_spec == ds.element_spec
    assert dist.cardinality == 3
    it = iter(dist)
    assert isinstance(it, tf.distribute.DistributedIterator)
    assert it.element_spec == ds.element_spec
    assert it.get_next().numpy().tolist() == [0, 1, 2, 3]
    opt = it.get_next_as_optional()
    assert bool(opt.has_value()) and opt.get_value().numpy().tolist() == [4, 5, 6, 7]
    next(it)
    with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
        it.get_next()
    assert not bool(it.get_next_as_optional().has_value())
    assert float(dist.reduce(0.0, lambda acc, b: acc + tf.reduce_sum(b))) == 45.0


def test_default_strategy_returns_the_dataset():
    s = tf.distribute.get_strategy()
    ds = _batches()
    assert s.experimental_distribute_dataset(ds) is ds
    assert s.distribute_datasets_from_function(lambda ctx: ds) is ds


def test_distribute_dataset_in_a_training_loop():
    s = tf.distribute.MirroredStrategy()
    with s.scope():
        w = tf.Variable(0.0)
    dist = s.experimental_distribute_dataset(_batches())

    @tf.function
    def step(batch):
        def replica_fn(b):
            w.assign_add(tf.reduce_sum(b))
            return tf.reduce_sum(b)

        return s.reduce("SUM", s.run(replica_fn, args=(batch,)), axis=None)

    totals = [float(step(b)) for b in dist]
    assert totals == [6.0, 22.0, 17.0] and float(w) == 45.0

    @tf.function
    def epoch():
        total = tf.constant(0.0)
        for b in dist:  # iterating inside tf.function too
            total += s.reduce("SUM", s.run(tf.reduce_sum, args=(b,)), axis=None)
        return total

    assert float(epoch()) == 45.0


def test_distribute_datasets_from_function():
    s = tf.distribute.MirroredStrategy()
    seen = []

    def dataset_fn(ctx):
        seen.append(ctx)
        return _batches(batch=ctx.get_per_replica_batch_size(4))

    dist = s.distribute_datasets_from_function(dataset_fn)
    assert next(b.numpy().tolist() for b in dist) == [0, 1, 2, 3]
    ctx = seen[0]
    assert (ctx.num_input_pipelines, ctx.input_pipeline_id, ctx.num_replicas_in_sync) == (1, 0, 1)
    dist2 = s.experimental_distribute_datasets_from_function(dataset_fn)
    assert len(list(dist2)) == 3


def test_per_replica_input_options():
    s = tf.distribute.MirroredStrategy()
    opts = tf.distribute.InputOptions(
        experimental_replication_mode=tf.distribute.InputReplicationMode.PER_REPLICA
    )
    assert opts.experimental_fetch_to_device is True
    with pytest.raises(NotImplementedError, match="InputReplicationMode.PER_REPLICA is only"):
        s.experimental_distribute_dataset(_batches(), opts)


def test_input_context():
    ctx = tf.distribute.InputContext(
        num_input_pipelines=2, input_pipeline_id=1, num_replicas_in_sync=4
    )
    assert ctx.get_per_replica_batch_size(64) == 16
    assert str(ctx) == "tf.distribute.InputContext(input pipeline id 1, total: 2)"
    with pytest.raises(
        ValueError, match="The `global_batch_size` 10 is not divisible by `num_replicas_in_sync` 4 "
    ):
        ctx.get_per_replica_batch_size(10)
    default = tf.distribute.InputContext()
    assert (
        default.num_input_pipelines,
        default.input_pipeline_id,
        default.num_replicas_in_sync,
    ) == (1, 0, 1)


def test_run_options():
    opts = tf.distribute.RunOptions()
    assert opts.experimental_enable_dynamic_batch_size is True
    assert opts.experimental_bucketizing_dynamic_shape is False
    s = tf.distribute.MirroredStrategy()
    assert float(s.run(lambda: tf.constant(1.0), options=opts)) == 1.0


# ---------------------------------------------------------------- communication options


def test_communication_options():
    exp = tf.distribute.experimental
    opts = exp.CommunicationOptions(bytes_per_pack=50, implementation="nccl")
    assert opts.implementation is exp.CommunicationImplementation.NCCL
    assert exp.CollectiveCommunication is exp.CommunicationImplementation
    merged = exp.CommunicationOptions(timeout_seconds=3).merge(opts)
    assert (merged.bytes_per_pack, merged.timeout_seconds) == (50, 3)
    assert str(exp.CommunicationOptions()) == (
        "Options(bytes_per_pack=0,timeout_seconds=None, "
        "implementation=CommunicationImplementation.AUTO)"
    )
    with pytest.raises(ValueError, match="Argument `bytes_per_pack` must be >=0, Received -1."):
        exp.CommunicationOptions(bytes_per_pack=-1)
    with pytest.raises(ValueError, match="Argument `implementation` must be instance of"):
        exp.CommunicationOptions(implementation=3)
    hints = exp.CollectiveHints(bytes_per_pack=8)
    assert hints.bytes_per_pack == 8


def test_cross_device_ops():
    for ops in (
        tf.distribute.ReductionToOneDevice(),
        tf.distribute.NcclAllReduce(),
        tf.distribute.HierarchicalCopyAllReduce(num_packs=2),
    ):
        s = tf.distribute.MirroredStrategy(cross_device_ops=ops)
        assert float(s.reduce("SUM", s.run(lambda: tf.constant(2.0)), axis=None)) == 2.0
        out = ops.reduce("MEAN", tf.constant(3.0), destinations="/cpu:0")
        assert float(out) == 3.0
    with pytest.raises(ValueError, match="NCCL all-reduce requires num_packs >= 0, but -1 is"):
        tf.distribute.NcclAllReduce(num_packs=-1)
    with pytest.raises(ValueError, match="destinations must be one of a `DistributedValues`"):
        tf.distribute.ReductionToOneDevice().reduce("SUM", tf.constant(1.0), destinations=3)
    with pytest.raises(ValueError, match="destinations can not be empty"):
        tf.distribute.ReductionToOneDevice().reduce("SUM", tf.constant(1.0), destinations="")


# ---------------------------------------------------------------- cluster resolvers


def test_cluster_spec():
    spec = tf.train.ClusterSpec({"worker": ["w0:1", "w1:1"], "ps": {0: "p0:1"}})
    assert spec.jobs == ["ps", "worker"]
    assert spec.num_tasks("worker") == 2 and spec.task_indices("ps") == [0]
    assert spec.task_address("worker", 1) == "w1:1"
    assert spec.as_dict() == {"worker": ["w0:1", "w1:1"], "ps": ["p0:1"]}
    assert spec == tf.train.ClusterSpec(spec) and bool(spec)
    assert not tf.train.ClusterSpec({})
    with pytest.raises(ValueError, match="No such job in cluster"):
        spec.num_tasks("chief")


def test_tf_config_cluster_resolver(monkeypatch):
    resolver_cls = tf.distribute.cluster_resolver.TFConfigClusterResolver
    monkeypatch.delenv("TF_CONFIG", raising=False)
    empty = resolver_cls()
    assert not empty.cluster_spec() and empty.task_type is None and empty.master() == ""
    monkeypatch.setenv(
        "TF_CONFIG",
        json.dumps(
            {
                "cluster": {"worker": ["localhost:2222", "localhost:2223"]},
                "task": {"type": "worker", "index": 1},
                "rpc_layer": "grpc",
            }
        ),
    )
    r = resolver_cls()
    assert (r.task_type, r.task_id, r.rpc_layer) == ("worker", 1, "grpc")
    assert r.cluster_spec().as_dict() == {"worker": ["localhost:2222", "localhost:2223"]}
    assert r.master() == "grpc://localhost:2223"
    simple = tf.distribute.cluster_resolver.SimpleClusterResolver(
        r.cluster_spec(), task_type="worker", task_id=0
    )
    assert simple.master("worker", 0, rpc_layer="grpc") == "grpc://localhost:2222"


def test_multi_worker_mirrored_strategy(monkeypatch):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    s = tf.distribute.MultiWorkerMirroredStrategy()
    assert s.num_replicas_in_sync == 1
    assert isinstance(s.cluster_resolver, tf.distribute.cluster_resolver.TFConfigClusterResolver)
    with s.scope():
        v = tf.Variable(1.0)
    assert float(s.reduce("SUM", s.run(lambda: v * 3), axis=None)) == 3.0
    exp = tf.distribute.experimental.MultiWorkerMirroredStrategy(
        tf.distribute.experimental.CollectiveCommunication.RING
    )
    assert exp.num_replicas_in_sync == 1
    monkeypatch.setenv(
        "TF_CONFIG",
        json.dumps(
            {
                "cluster": {"worker": ["localhost:1", "localhost:2"]},
                "task": {"type": "worker", "index": 0},
            }
        ),
    )
    with pytest.raises(NotImplementedError, match="several workers"):
        tf.distribute.MultiWorkerMirroredStrategy()


def test_central_storage_strategy():
    s = tf.distribute.experimental.CentralStorageStrategy()
    assert s.num_replicas_in_sync == 1
    assert float(s.run(lambda: tf.constant(2.0))) == 2.0


def test_strategies_that_need_a_cluster(monkeypatch):
    monkeypatch.delenv("TPU_NAME", raising=False)
    with pytest.raises(RuntimeError, match="Cannot find any TPU cores in the system"):
        tf.distribute.TPUStrategy()
    with pytest.raises(ValueError, match="Please provide a TPU Name to connect to."):
        tf.distribute.cluster_resolver.TPUClusterResolver()
    simple = tf.distribute.cluster_resolver.SimpleClusterResolver
    with pytest.raises(ValueError, match="Cluster spec must be non-empty"):
        tf.distribute.ParameterServerStrategy(simple(tf.train.ClusterSpec({})))
    with pytest.raises(ValueError, match="There must be at least one ps."):
        tf.distribute.ParameterServerStrategy(simple(tf.train.ClusterSpec({"worker": ["a:1"]})))
    with pytest.raises(ValueError, match="There must be at least one worker."):
        tf.distribute.ParameterServerStrategy(simple(tf.train.ClusterSpec({"ps": ["a:1"]})))
    assert (
        tf.distribute.experimental.ParameterServerStrategy is tf.distribute.ParameterServerStrategy
    )
