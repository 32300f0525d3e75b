"""tf.distribute on one replica: contexts, scope, run, reduce, gather, local results, updates."""

import collections
import logging

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.distribute import distribute_lib, mirrored_strategy


@pytest.fixture(params=["mirrored", "one_device", "default"])
def strategy(request):
    if request.param == "mirrored":
        return tf.distribute.MirroredStrategy()
    if request.param == "one_device":
        return tf.distribute.OneDeviceStrategy("/cpu:0")
    return tf.distribute.get_strategy()


# ---------------------------------------------------------------- contexts


def test_default_context():
    assert not tf.distribute.has_strategy()
    assert not tf.distribute.in_cross_replica_context()
    ctx = tf.distribute.get_replica_context()
    assert isinstance(ctx, tf.distribute.ReplicaContext)
    assert ctx.replica_id_in_sync_group == 0  # the default context's id is the int 0
    assert ctx.num_replicas_in_sync == 1
    assert ctx.strategy is tf.distribute.get_strategy()
    assert isinstance(tf.distribute.get_strategy(), tf.distribute.Strategy)


def test_scope_switches_to_cross_replica_context():
    s = tf.distribute.MirroredStrategy()
    with s.scope() as entered:
        assert entered is s
        assert tf.distribute.get_strategy() is s
        assert tf.distribute.has_strategy()
        assert tf.distribute.in_cross_replica_context()
        assert tf.distribute.get_replica_context() is None
        with s.scope():  # the same strategy again: allowed
            assert tf.distribute.get_strategy() is s
        assert tf.distribute.get_strategy() is s
    assert not tf.distribute.has_strategy()
    assert tf.distribute.get_replica_context() is not None


def test_scope_errors():
    s1, s2 = tf.distribute.MirroredStrategy(), tf.distribute.OneDeviceStrategy("/cpu:0")
    with s1.scope():
        with pytest.raises(RuntimeError, match="Mixing different tf.distribute.Strategy objects"):
            s2.scope().__enter__()
        with pytest.raises(RuntimeError, match="Must not nest tf.distribute.Strategy scopes."):
            distribute_lib._get_default_strategy().scope().__enter__()
    assert not tf.distribute.has_strategy()


def test_experimental_set_strategy():
    s = tf.distribute.MirroredStrategy()
    tf.distribute.experimental_set_strategy(s)
    try:
        assert tf.distribute.get_strategy() is s
        assert tf.distribute.in_cross_replica_context()
    finally:
        tf.distribute.experimental_set_strategy(None)
    assert not tf.distribute.has_strategy()
    with s.scope(), pytest.raises(RuntimeError, match="Must not be called inside a"):
        tf.distribute.experimental_set_strategy(s)


def test_strategy_repr_and_copy():
    s = tf.distribute.MirroredStrategy()
    assert repr(s).startswith(
        "<tensorflow.python.distribute.mirrored_strategy.MirroredStrategy object at 0x"
    )
    import copy

    with pytest.raises(RuntimeError, match="Must only deepcopy DistributionStrategy."):
        copy.copy(s)
    c = copy.deepcopy(s)
    assert c.extended._container_strategy() is c


# ---------------------------------------------------------------- MirroredStrategy construction


def test_mirrored_defaults_to_the_cpu():
    s = tf.distribute.MirroredStrategy()
    assert s.num_replicas_in_sync == 1
    assert s.extended.worker_devices == ("/job:localhost/replica:0/task:0/device:CPU:0",)
    assert s.extended.parameter_devices == s.extended.worker_devices
    assert s.cluster_resolver is None


def test_mirrored_devices_argument(caplog):
    s = tf.distribute.MirroredStrategy(devices=["/cpu:0"])
    assert s.extended.worker_devices == ("/job:localhost/replica:0/task:0/device:CPU:0",)
    s = tf.distribute.MirroredStrategy(tf.config.list_logical_devices("CPU"))
    assert s.num_replicas_in_sync == 1
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        s = tf.distribute.MirroredStrategy(["GPU:0"])
    assert s.extended.worker_devices == ("/job:localhost/replica:0/task:0/device:GPU:0",)
    assert "Some requested devices in `tf.distribute.Strategy` are not visible" in caplog.text
    with pytest.raises(AssertionError, match="No duplicates allowed in `devices` argument"):
        tf.distribute.MirroredStrategy(["/cpu:0", "/device:CPU:0"])
    with pytest.raises(NotImplementedError, match="single replica"):
        tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with pytest.raises(RuntimeError, match="In-graph multi-worker training"):
        tf.distribute.MirroredStrategy(["/job:worker/task:0/cpu:0", "/job:worker/task:1/cpu:0"])


def test_mirrored_prints_nothing(capsys, caplog):
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        s = tf.distribute.MirroredStrategy()
        print(f"Number of devices: {s.num_replicas_in_sync}")
    assert capsys.readouterr().out == "Number of devices: 1\n"
    assert caplog.text == ""


def test_one_device_strategy():
    s = tf.distribute.OneDeviceStrategy("/cpu:0")
    assert s.extended.worker_devices == ("/job:localhost/replica:0/task:0/device:CPU:0",)
    assert s.run(lambda x: x * 2, args=(3,)) == 6  # Python values pass straight through
    with pytest.raises(TypeError):
        tf.distribute.OneDeviceStrategy()


# ---------------------------------------------------------------- run


def test_run_enters_a_replica_context(strategy):
    seen = {}

    def fn(x, y=None):
        ctx = tf.distribute.get_replica_context()
        seen["ctx"] = ctx
        seen["cross"] = tf.distribute.in_cross_replica_context()
        seen["strategy"] = tf.distribute.get_strategy()
        seen["id"] = ctx.replica_id_in_sync_group
        return x + y

    out = strategy.run(fn, args=(tf.constant(1.0),), kwargs={"y": tf.constant(2.0)})
    assert float(out) == 3.0
    assert seen["ctx"] is not None and not seen["cross"]
    assert seen["strategy"] is strategy
    assert seen["id"].dtype == tf.int32 and int(seen["id"]) == 0
    assert seen["ctx"].num_replicas_in_sync == 1


def test_run_keeps_the_structure(strategy):
    Pair = collections.namedtuple("Pair", ["a", "b"])
    t = tf.constant([1.0, 2.0])
    out = strategy.run(lambda: {"p": Pair(t, [t * 2, None]), "n": 3})
    assert isinstance(out["p"], Pair) and out["p"].a is t
    assert out["p"].b[1] is None and out["n"] == 3
    np.testing.assert_allclose(out["p"].b[0].numpy(), [2.0, 4.0])


def test_run_argument_errors():
    s = tf.distribute.MirroredStrategy()
    with pytest.raises(ValueError, match="positional args must be a list or tuple, got"):
        s.run(lambda x: x, args=tf.constant(1.0))


def test_run_inside_tf_function(strategy):
    v = tf.Variable(2.0)

    @tf.function
    def step(x):
        per_replica = strategy.run(lambda y: y * v, args=(x,))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

    assert float(step(tf.constant(3.0))) == 6.0
    v.assign(5.0)
    assert float(step(tf.constant(3.0))) == 15.0


def test_run_converts_python_control_flow_inside_tf_function():
    s = tf.distribute.MirroredStrategy()

    def replica_fn(x):
        if x > 0:  # a tensor condition: needs AutoGraph inside tf.function
            return x * 2
        return -x

    @tf.function
    def step(x):
        return s.run(replica_fn, args=(x,))

    assert float(step(tf.constant(3.0))) == 6.0
    assert float(step(tf.constant(-3.0))) == 3.0


def test_eager_run_warns_five_times(caplog):
    s = tf.distribute.MirroredStrategy()
    mirrored_strategy._EAGER_WARNINGS[0] = 0
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        for _ in range(7):
            s.run(lambda: tf.constant(1.0))
        s.run(tf.function(lambda: tf.constant(1.0)))
    msgs = [r.getMessage() for r in caplog.records]
    assert len(msgs) == 5
    assert msgs[0].startswith("Using MirroredStrategy eagerly has significant overhead currently.")


def test_nested_run_and_scope_in_replica_context_raise():
    s = tf.distribute.MirroredStrategy()

    def fn():
        with pytest.raises(RuntimeError, match="Method requires being in cross-replica context"):
            s.reduce("SUM", tf.constant(1.0), axis=None)
        with pytest.raises(RuntimeError, match="Method requires being in cross-replica context"):
            s.run(lambda: 1)
        with pytest.raises(
            RuntimeError,
            match="requires cross-replica context, use "
            r"get_replica_context\(\).all_gather\(\) instead",
        ):
            s.gather(tf.constant([1.0]), axis=0)
        return tf.constant(0.0)

    s.run(fn)


# ---------------------------------------------------------------- reduce


def test_reduce_axis_none(strategy):
    x = tf.constant([1.0, 2.0, 3.0])
    for op in (tf.distribute.ReduceOp.SUM, tf.distribute.ReduceOp.MEAN, "sum", "Mean"):
        out = strategy.reduce(op, strategy.run(lambda: x), axis=None)
        np.testing.assert_allclose(np.asarray(out), [1.0, 2.0, 3.0])


def test_reduce_along_an_axis(strategy):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert strategy.reduce("SUM", x, axis=0).numpy().tolist() == [9.0, 12.0]
    assert strategy.reduce("MEAN", x, axis=0).numpy().tolist() == [3.0, 4.0]
    assert float(strategy.reduce("MEAN", x, axis=[0, 1])) == 3.5
    assert strategy.reduce("MEAN", x, axis=-1).numpy().tolist() == [1.5, 3.5, 5.5]
    ints = strategy.reduce("MEAN", tf.constant([1, 2]), axis=0)
    assert ints.dtype == tf.float64 and float(ints) == 1.5  # int / int: truediv


def test_reduce_errors():
    s = tf.distribute.MirroredStrategy()
    x = tf.constant([[1.0, 2.0]])
    # the per-replica sum comes first (traced in a tf.function): its shape error, as in TF
    with pytest.raises(ValueError, match="Invalid reduction dimension"):
        s.reduce("MEAN", x, axis=2)
    with pytest.raises(TypeError, match="Expected `axis` to be an integer, tuple or list"):
        s.reduce("MEAN", x, axis=1.0)
    with pytest.raises(ValueError, match="'MAX' is not a valid ReduceOp"):
        s.reduce("max", x, axis=None)
    with pytest.raises(TypeError):
        s.reduce("SUM", x)  # axis is required in TF 2


def test_default_strategy_reduce_passes_values_through():
    s = tf.distribute.get_strategy()
    assert s.reduce("SUM", 3.0, axis=None) == 3.0
    mirrored = tf.distribute.MirroredStrategy()
    out = mirrored.reduce("SUM", 3.0, axis=None)  # a copy on the host: a tensor
    assert out.dtype == tf.float32 and float(out) == 3.0


def test_reduce_nested_structure():
    s = tf.distribute.MirroredStrategy()
    out = s.reduce("SUM", {"a": tf.constant(1.0), "b": [tf.constant(2)]}, axis=None)
    assert float(out["a"]) == 1.0 and int(out["b"][0]) == 2


# ---------------------------------------------------------------- local results, gather, values


def test_experimental_local_results(strategy):
    t = tf.constant(1.0)
    assert strategy.experimental_local_results(t) == (t,)
    out = strategy.experimental_local_results(strategy.run(lambda: (t, t)))
    assert len(out) == 1 and out[0][0] is t


def test_gather(strategy):
    x = tf.constant([[1], [2]])
    assert strategy.gather(x, axis=0).numpy().tolist() == [[1], [2]]
    with pytest.raises(NotImplementedError, match="gather does not support IndexedSlices"):
        strategy.gather(tf.IndexedSlices(x, tf.constant([0, 1])), axis=0)


def test_distribute_values_from_function():
    s = tf.distribute.MirroredStrategy()
    contexts = []

    def value_fn(ctx):
        contexts.append(ctx)
        return tf.constant(ctx.replica_id_in_sync_group + 10)

    values = s.experimental_distribute_values_from_function(value_fn)
    assert isinstance(values, tf.distribute.DistributedValues)
    assert repr(values).startswith(
        "PerReplica:{\n  0: <tf.Tensor: shape=(), dtype=int32, numpy=10>"
    )
    assert (
        str(contexts[0]) == "tf.distribute.ValueContext(replica id 0,  total replicas in sync: 1)"
    )
    assert [int(v) for v in s.experimental_local_results(values)] == [10]
    assert int(s.run(lambda v: v + 1, args=(values,))) == 11  # unwrapped per replica
    assert int(s.reduce("SUM", values, axis=None)) == 10
    assert s.gather(values, axis=0).shape == ()
    one = tf.distribute.OneDeviceStrategy("/cpu:0")
    assert int(one.experimental_distribute_values_from_function(value_fn)) == 10


# ---------------------------------------------------------------- replica context API


def test_all_reduce_and_all_gather(strategy):
    def fn(x):
        ctx = tf.distribute.get_replica_context()
        s = ctx.all_reduce(tf.distribute.ReduceOp.SUM, x)
        m = ctx.all_reduce("mean", [x, {"k": x * 2}])
        g = ctx.all_gather(x, axis=0)
        return s, m, g

    x = tf.constant([1.0, 2.0])
    s, m, g = strategy.run(fn, args=(x,))
    assert s.numpy().tolist() == [1.0, 2.0]
    assert m[1]["k"].numpy().tolist() == [2.0, 4.0]
    assert g.numpy().tolist() == [1.0, 2.0]


def test_all_reduce_outside_strategy_and_gradient():
    ctx = tf.distribute.get_replica_context()
    out = ctx.all_reduce("sum", 2.0)
    assert tf.is_tensor(out) and float(out) == 2.0
    s = tf.distribute.MirroredStrategy()
    w = tf.Variable(3.0)

    def fn():
        with tf.GradientTape() as tape:
            y = tf.distribute.get_replica_context().all_reduce("sum", w * w)
        return tape.gradient(y, w)

    assert float(s.run(fn)) == 6.0


def test_merge_call():
    s = tf.distribute.MirroredStrategy()
    seen = {}

    def merge_fn(strategy, value, scale=1.0):
        seen["strategy"] = strategy
        seen["cross"] = tf.distribute.in_cross_replica_context()
        return strategy.extended.reduce_to("SUM", value * scale, destinations="/cpu:0")

    def fn(x):
        return tf.distribute.get_replica_context().merge_call(
            merge_fn, args=(x,), kwargs={"scale": 2.0}
        )

    assert float(s.run(fn, args=(tf.constant(3.0),))) == 6.0
    assert seen["strategy"] is s and seen["cross"]
    ctx = tf.distribute.get_replica_context()
    with (
        s.scope(),
        pytest.raises(RuntimeError, match=r"Need to be inside `call_for_each_replica\(\)`"),
    ):
        ctx.merge_call(merge_fn, args=(1.0,))


def test_replica_context_devices_and_errors():
    s = tf.distribute.MirroredStrategy()
    devices = s.run(lambda: tf.distribute.get_replica_context().devices)
    assert devices == [["/job:localhost/replica:0/task:0/device:CPU:0"]]
    with pytest.raises(ValueError, match="replica_id_in_sync_group can only be an integer"):
        tf.distribute.ReplicaContext(s, replica_id_in_sync_group=1.5)


def test_summaries_record_on_replica_zero(tmp_path):
    s = tf.distribute.MirroredStrategy()
    writer = tf.summary.create_file_writer(str(tmp_path))

    def fn():
        return tf.summary.should_record_summaries()

    with writer.as_default(step=0):
        assert bool(s.run(fn))


# ---------------------------------------------------------------- extended


def test_extended_update_and_reductions(strategy):
    v = tf.Variable(1.0)
    out = strategy.extended.update(v, lambda var, d: var.assign_add(d), args=(2.0,))
    assert float(v) == 3.0 and out is not None
    out = strategy.extended.update(v, lambda var: var.assign(5.0), group=False)
    assert float(v) == 5.0
    r = strategy.extended.batch_reduce_to("MEAN", [(tf.constant(1.0), v), (tf.constant(2.0), v)])
    assert [float(x) for x in r] == [1.0, 2.0]
    assert strategy.extended.value_container(v) is v
    assert float(strategy.extended.read_var(v)) == 5.0


def test_update_in_replica_context_goes_through_merge_call():
    s = tf.distribute.MirroredStrategy()
    with s.scope():
        v = tf.Variable(0.0)

    def fn():
        ctx = tf.distribute.get_replica_context()
        ctx._update(v, lambda var, x: var.assign(x), args=(tf.constant(4.0),))
        return s.extended.update(v, lambda var: var.assign_add(1.0))

    s.run(fn)
    assert float(v) == 5.0


def test_variable_created_in_scope_default_strategy():
    v = tf.Variable(1.0)
    assert tf.distribute.get_strategy().extended.variable_created_in_scope(v)
    assert not tf.distribute.MirroredStrategy().extended.variable_created_in_scope(v)


def test_extended_properties():
    s = tf.distribute.MirroredStrategy()
    assert s.extended.experimental_require_static_shapes is False
    assert s.extended.should_checkpoint and s.extended.should_save_summary
    assert s.extended.experimental_should_init and not s.extended.experimental_between_graph
    default = tf.distribute.get_strategy()
    with pytest.raises(RuntimeError, match="worker_devices\\(\\) method unsupported by default"):
        _ = default.extended.worker_devices
    with s.scope(), s.extended.colocate_vars_with(tf.Variable(1.0)):
        pass
    with pytest.raises(RuntimeError, match='Need to be inside "with strategy.scope\\(\\)"'):
        s.extended.colocate_vars_with(tf.Variable(1.0))


def test_reduce_op():
    assert tf.distribute.ReduceOp("SUM") is tf.distribute.ReduceOp.SUM
    assert repr(tf.distribute.ReduceOp.MEAN) == "<ReduceOp.MEAN: 'MEAN'>"
    assert (
        tf.distribute.ReduceOp.from_variable_aggregation(tf.VariableAggregation.MEAN)
        is tf.distribute.ReduceOp.MEAN
    )
    with pytest.raises(ValueError, match="Could not convert from `tf.VariableAggregation`"):
        tf.distribute.ReduceOp.from_variable_aggregation(tf.VariableAggregation.NONE)


def test_doctests():
    import doctest

    from tensorlet import distribute
    from tensorlet.distribute import (
        cluster_resolver,
        collective_util,
        one_device_strategy,
        reduce_util,
    )

    for module in (
        distribute_lib,
        mirrored_strategy,
        one_device_strategy,
        reduce_util,
        collective_util,
        cluster_resolver,
        distribute,
    ):
        assert doctest.testmod(module, extraglobs={"tf": tf}).failed == 0, module.__name__
