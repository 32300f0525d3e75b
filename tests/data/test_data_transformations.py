"""tf.data transformations: map (traced / eager), filter, flat_map, interleave, scan, reduce,
shuffle (TF's order), count/order transformations and their cardinalities, cache, options."""

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.data_ops import functions

D = tf.data.Dataset


def values(ds):
    return list(ds.as_numpy_iterator())


# -------------------------------------------------------------------------------------- map


def test_map_traced_runs_python_once():
    calls = []

    def f(x):
        calls.append(1)
        return x * x

    ds = D.range(4).map(f)
    assert len(calls) == 1  # traced at construction, as TF does
    assert values(ds) == [0, 1, 4, 9] and len(calls) == 1
    assert ds._fn.traced and ds.element_spec == tf.TensorSpec([], tf.int64)


def test_map_eager_fallback_and_relaxed_spec():
    ds = D.range(1, 4).map(lambda x: tf.fill([x], x))  # needs the value of x: runs eagerly
    assert not ds._fn.traced
    assert [v.tolist() for v in values(ds)] == [[1], [2, 2], [3, 3, 3]]
    assert ds.element_spec == tf.TensorSpec([None], tf.int64)


def test_map_eager_mode_switch(monkeypatch):
    monkeypatch.setattr(functions, "TRACE", False)
    ds = D.range(3).map(lambda x: x + 1)
    assert not ds._fn.traced
    assert values(ds) == [1, 2, 3]


def test_map_argument_unpacking_and_outputs():
    ds = D.from_tensor_slices(([1, 2], [3, 4])).map(lambda a, b: a * b)
    assert values(ds) == [3, 8]
    ds = D.from_tensor_slices({"a": [1], "b": [2]}).map(lambda d: d["a"] + d["b"])
    assert values(ds) == [3]
    ds = D.range(2).map(lambda x: [x, x + 1])  # a returned list is a tuple element
    assert ds.element_spec == (tf.TensorSpec([], tf.int64),) * 2
    assert values(ds) == [(0, 1), (1, 2)]
    ds = D.range(2).map(lambda x: {"y": x, "z": 1.5})
    assert values(ds)[1] == {"y": 1, "z": np.float32(1.5)}


def test_map_closure_capture_and_parallel_class():
    c = tf.constant(10, tf.int64)
    ds = D.range(3).map(lambda x: x + c, num_parallel_calls=tf.data.AUTOTUNE)
    assert type(ds).__name__ == "_ParallelMapDataset"
    assert values(ds) == [10, 11, 12]
    with pytest.raises(tf.errors.InvalidArgumentError):
        D.range(3).map(lambda x: x, num_parallel_calls=0)


def test_map_not_recorded_by_tape():
    v = tf.Variable(2.0)
    ds = D.range(2).map(lambda x: tf.cast(x, tf.float32))
    with tf.GradientTape() as tape:
        total = v * 0.0
        for x in ds:
            total = total + v * x
    assert float(tape.gradient(total, v)) == 1.0


# ------------------------------------------------------------------- filter, scan, reduce


def test_filter_take_while_unique():
    assert values(D.range(10).filter(lambda x: x % 3 == 0)) == [0, 3, 6, 9]
    with pytest.raises(ValueError, match="Invalid `predicate`"):
        D.range(3).filter(lambda x: x)
    assert values(D.range(10).take_while(lambda x: x < 4)) == [0, 1, 2, 3]
    assert values(D.from_tensor_slices([1, 3, 1, 2, 3]).unique()) == [1, 3, 2]
    assert values(D.from_tensor_slices(["b", "a", "b"]).unique()) == [b"b", b"a"]
    with pytest.raises(TypeError, match="does not support type"):
        D.from_tensor_slices([1.0]).unique()


def test_scan_and_reduce():
    ds = D.range(5).scan(tf.constant(0, tf.int64), lambda s, x: (s + x, s * 10))
    assert values(ds) == [0, 0, 10, 30, 60]
    assert int(D.range(5).reduce(tf.constant(0, tf.int64), lambda a, b: a + b)) == 10
    grow = D.range(3).reduce(tf.constant([], tf.int64), lambda s, x: tf.concat([s, [x]], 0))
    assert grow.numpy().tolist() == [0, 1, 2]
    with pytest.raises(TypeError, match="must match the initial state"):
        D.range(3).reduce(tf.constant(0.0), lambda s, x: x)
    with pytest.raises(TypeError, match="scan function must return a pair"):
        D.range(3).scan(tf.constant(0, tf.int64), lambda s, x: s + x)
    assert values(tf.data.experimental.Counter(2).take(2)) == [2, 3]


def test_get_single_element():
    assert int(D.from_tensors(7).get_single_element()) == 7
    assert int(tf.data.experimental.get_single_element(D.range(1))) == 0
    with pytest.raises(tf.errors.InvalidArgumentError, match="more than one element"):
        D.range(2).get_single_element()
    with pytest.raises(tf.errors.InvalidArgumentError, match="empty"):
        D.range(0).get_single_element()


# -------------------------------------------------------------------- flat_map, interleave


def _repeat3(x):
    return D.from_tensors(x).repeat(3)


@pytest.mark.parametrize(
    "cycle, block, expected",
    [
        (2, 1, [1, 2, 1, 2, 1, 2, 3, 3, 3]),
        (2, 2, [1, 1, 2, 2, 1, 2, 3, 3, 3]),
        (1, 1, [1, 1, 1, 2, 2, 2, 3, 3, 3]),
        (3, 2, [1, 1, 2, 2, 3, 3, 1, 2, 3]),
    ],
)
def test_interleave_order(cycle, block, expected):
    ds = D.range(1, 4).interleave(_repeat3, cycle_length=cycle, block_length=block)
    assert values(ds) == expected


def test_interleave_uneven_and_flat_map():
    ds = D.range(1, 5).interleave(lambda x: D.range(x), cycle_length=3, block_length=1)
    assert values(ds) == [0, 0, 0, 1, 1, 0, 2, 1, 2, 3]
    fm = D.range(1, 4).flat_map(lambda x: D.range(x))
    assert values(fm) == [0, 0, 1, 0, 1, 2]
    assert fm.element_spec == tf.TensorSpec([], tf.int64)
    assert int(fm.cardinality()) == tf.data.UNKNOWN_CARDINALITY
    with pytest.raises(TypeError, match="must return a `Dataset`"):
        values(D.range(2).flat_map(lambda x: x))


# --------------------------------------------------------------------------------- shuffle

# Orders recorded on TF 2.21 (topic 10 fixtures): ShuffleDatasetV3 seeded with (seed, seed2).
SHUFFLES = [
    ((10, 4, 1, True), 1, [0, 4, 5, 1, 2, 7, 9, 8, 6, 3]),
    ((10, 4, 1, True), 2, [0, 4, 5, 1, 2, 7, 9, 8, 6, 3, 2, 1, 3, 4, 6, 8, 7, 9, 5, 0]),
    ((10, 4, 1, False), 2, [3, 4, 0, 5, 2, 7, 8, 9, 1, 6] * 2),
    ((10, 10, 42, True), 1, [5, 9, 6, 4, 7, 1, 2, 8, 3, 0]),
    ((6, 1, 3, True), 1, [0, 1, 2, 3, 4, 5]),
]


@pytest.mark.parametrize("args, epochs, expected", SHUFFLES)
def test_shuffle_matches_tf(args, epochs, expected):
    n, buffer, seed, reshuffle = args
    tf.random.set_seed(None)
    ds = D.range(n).shuffle(buffer, seed=seed, reshuffle_each_iteration=reshuffle).repeat(epochs)
    assert values(ds) == expected


def test_shuffle_global_seed_and_epochs():
    tf.random.set_seed(42)
    assert values(D.range(10).shuffle(4)) == [3, 2, 1, 5, 6, 0, 8, 7, 9, 4]
    tf.random.set_seed(42)
    assert values(D.range(10).shuffle(4, seed=1)) == [1, 2, 3, 0, 7, 6, 9, 8, 5, 4]
    tf.random.set_seed(None)
    ds = D.range(50).shuffle(50, seed=7)
    a, b = values(ds), values(ds)
    assert sorted(a) == list(range(50)) and a != b  # reshuffled on every pass
    with pytest.raises(tf.errors.InvalidArgumentError, match="buffer_size must be greater"):
        D.range(3).shuffle(0)


def test_spec_peek_does_not_change_shuffle_order():
    tf.random.set_seed(None)
    ds = D.range(6).shuffle(6, seed=5).map(lambda x: tf.fill([x], x))
    ds2 = D.range(6).shuffle(6, seed=5).map(lambda x: tf.fill([x], x))
    assert ds.element_spec == tf.TensorSpec([None], tf.int64)  # a peek at the first element
    assert [len(v) for v in values(ds)] == [len(v) for v in values(ds2)]


def test_sample_and_choose_from_datasets():
    tf.random.set_seed(None)
    ds = D.sample_from_datasets([D.range(5), D.range(100, 105)], weights=[0.5, 0.5], seed=1)
    assert values(ds) == [100, 0, 1, 2, 3, 4, 101, 102, 103, 104]
    choice = D.from_tensor_slices(tf.constant([0, 1, 1, 0, 0], tf.int64))
    ds = D.choose_from_datasets([D.range(3), D.range(10, 13)], choice)
    assert values(ds) == [0, 10, 11, 1, 2]
    with pytest.raises(TypeError, match="Invalid `choice_dataset`"):
        D.choose_from_datasets([D.range(1)], D.range(1, output_type=tf.int32))
    with pytest.raises(ValueError, match="should not be empty"):
        D.sample_from_datasets([])


# ------------------------------------------------------------------------ count and order

CARDINALITY = [
    (lambda: D.range(10), 10),
    (lambda: D.range(3).repeat(), -1),
    (lambda: D.range(3).repeat().take(5), 5),
    (lambda: D.range(3).repeat(2), 6),
    (lambda: D.range(0).repeat(), 0),
    (lambda: D.range(10).skip(4), 6),
    (lambda: D.range(10).skip(-1), 0),
    (lambda: D.range(3).take(10), 3),
    (lambda: D.range(3).take(-1), 3),
    (lambda: D.range(10).shard(3, 1), 3),
    (lambda: D.range(10).shard(3, 0), 4),
    (lambda: D.range(10).filter(lambda x: x > 3), -2),
    (lambda: D.range(10).filter(lambda x: x > 3).repeat(), -1),
    (lambda: D.range(3).concatenate(D.range(4)), 7),
    (lambda: D.range(4).cache().prefetch(2), 4),
]


@pytest.mark.parametrize("make, expected", CARDINALITY)
def test_cardinality(make, expected):
    ds = make()
    assert int(ds.cardinality()) == expected
    assert int(tf.data.experimental.cardinality(ds)) == expected
    if expected >= 0 and expected < 100:
        assert len(values(ds)) == expected


def test_take_skip_repeat_shard_values():
    assert values(D.range(10).skip(3).take(4)) == [3, 4, 5, 6]
    assert values(D.range(4).skip(10)) == []
    assert values(D.range(3).repeat().take(7)) == [0, 1, 2, 0, 1, 2, 0]
    assert values(D.range(0).repeat()) == []  # an empty input repeated forever stays empty
    assert values(D.range(10).shard(num_shards=3, index=1)) == [1, 4, 7]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Index must be between 0 and 2"):
        D.range(3).shard(3, 3)


def test_take_does_not_pull_extra_elements():
    pulled = []

    def gen():
        for i in range(10):
            pulled.append(i)
            yield i

    ds = D.from_generator(gen, output_types=tf.int64).take(2)
    assert values(ds) == [0, 1] and pulled == [0, 1]


def test_ignore_errors_and_assert_cardinality():
    def check(x):
        return tf.debugging.check_numerics(1.0 / tf.cast(x, tf.float32), "bad")

    ds = D.range(3).map(check).ignore_errors()
    assert values(ds) == [1.0, 0.5]
    with pytest.raises(tf.errors.FailedPreconditionError, match="but contained only 3"):
        values(D.range(3).apply(tf.data.experimental.assert_cardinality(4)))
    assert int(D.range(3).assert_cardinality(3).cardinality()) == 3


# ------------------------------------------------------------------------ cache, options


def test_cache_memory_replays_first_complete_pass():
    calls = []

    def f(x):
        calls.append(int(x.numpy()))  # needs a value: runs eagerly, once per element
        return x * 2

    ds = D.range(3).map(f).cache()
    it = iter(ds)
    next(it)  # a partial pass is not cached
    assert values(ds) == [0, 2, 4] and calls == [0, 0, 1, 2]
    assert values(ds) == [0, 2, 4] and calls == [0, 0, 1, 2]


def test_cache_file(tmp_path):
    path = str(tmp_path / "c")
    seen = []

    def gen():
        seen.append(1)
        yield from range(3)

    ds = D.from_generator(gen, output_types=tf.int64).cache(path)
    assert values(ds) == [0, 1, 2] and values(ds) == [0, 1, 2]
    assert len(seen) == 1  # the second pass read the files
    assert (tmp_path / "c.index").exists() and (tmp_path / "c.data-00000-of-00001").exists()
    again = D.from_generator(gen, output_types=tf.int64).cache(path)
    assert values(again) == [0, 1, 2] and len(seen) == 1  # an existing cache is read


def test_options_merge():
    opts = tf.data.Options()
    opts.deterministic = False
    opts.threading.private_threadpool_size = 2
    ds = D.range(3).with_options(opts).map(lambda x: x)
    got = ds.options()
    assert got.deterministic is False and got.threading.private_threadpool_size == 2
    assert D.range(1).options() == tf.data.Options()
    with pytest.raises(AttributeError, match="Cannot set the property"):
        opts.not_an_option = 1
    d = tf.data.Options()
    d.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    assert d.experimental_distribute.auto_shard_policy == 2


# ------------------------------------------------------------------------------- iterators


def test_iterator_protocol():
    it = iter(D.range(2))
    assert int(it.get_next()) == 0
    opt = it.get_next_as_optional()
    assert bool(opt.has_value()) and int(opt.get_value()) == 1
    assert not bool(it.get_next_as_optional().has_value())
    with pytest.raises(tf.errors.OutOfRangeError):
        it.get_next()
    with pytest.raises(StopIteration):
        next(it)
    assert it.element_spec == tf.TensorSpec([], tf.int64)


def test_iteration_inside_tf_function_unrolls():
    ds = D.range(4)

    @tf.function
    def total():
        s = tf.constant(0, tf.int64)
        for x in ds:
            s += x
        return s

    assert int(total()) == 6


def test_stats_transformations():
    ds = D.range(3).apply(tf.data.experimental.latency_stats())
    out = list(ds)
    assert [int(d) for d, _ in out] == [0, 1, 2] and all(int(t) >= 0 for _, t in out)
    ds = D.from_tensor_slices((np.zeros((2, 4), np.float32), [1, 2]))
    (data, nbytes), _ = list(ds.apply(tf.data.experimental.bytes_produced_stats()))
    assert int(nbytes) == 4 * 4 + 4 and data.numpy()[1] == 1
    tagged = D.range(2).apply(tf.data.experimental.latency_stats("tag"))
    assert values(tagged) == [0, 1]


def test_save_and_load(tmp_path):
    ds = D.from_tensor_slices({"a": [1, 2], "b": ["x", "y"]})
    ds.save(str(tmp_path / "saved"))
    back = D.load(str(tmp_path / "saved"))
    assert back.element_spec == ds.element_spec
    assert values(back) == values(ds)


def _branchy(x):
    if x > 2:  # AutoGraph turns this into a cond: the function is traced
        y = x * 10
    else:
        y = -x
    return y


def _asserts(x):
    assert tf.shape(x)[-1] == 3, "three channels"
    return x


def test_map_autograph_and_user_graph_errors():
    ds = D.range(5).map(_branchy)
    assert ds._fn.traced and values(ds) == [0, -1, -2, 30, 40]
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="as a Python `bool`"):
        D.from_tensors(tf.zeros([2, 3])).map(_asserts)  # TF raises it at map() too
