"""tf.data sources: from_tensors, from_tensor_slices, range, counter, random, from_generator,
zip, concatenate, enumerate, and the element spec / repr / cardinality / len protocol."""

import numpy as np
import pytest

import tensorlet as tf

D = tf.data.Dataset


def values(ds):
    return list(ds.as_numpy_iterator())


# ------------------------------------------------------------------------------------ range


@pytest.mark.parametrize(
    "args, expected",
    [
        ((5,), [0, 1, 2, 3, 4]),
        ((2, 11, 3), [2, 5, 8]),
        ((5, 1, -2), [5, 3]),
        ((3, 3), []),
        ((0,), []),
        ((-3,), []),
    ],
)
def test_range_values_and_cardinality(args, expected):
    ds = D.range(*args)
    got = values(ds)
    assert got == expected
    assert all(type(v) is np.int64 for v in got)
    assert int(ds.cardinality()) == len(expected) == len(ds)


def test_range_output_type_and_errors():
    ds = D.range(3, output_type=tf.int32)
    assert ds.element_spec == tf.TensorSpec([], tf.int32)
    assert [type(v) for v in values(ds)] == [np.int32] * 3
    with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int64"):
        D.range(1.5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="step must be a non-zero integer"):
        D.range(0, 5, 0)
    with pytest.raises(ValueError, match="between 1 and 3"):
        D.range(1, 2, 3, 4)


def test_counter_and_random():
    assert values(D.counter(start=3, step=2).take(3)) == [3, 5, 7]
    assert int(D.counter().cardinality()) == tf.data.INFINITE_CARDINALITY
    tf.random.set_seed(None)
    # TF 2.21 with seed=4 (topic 10 fixture): Philox(87654321, 4) samples
    assert values(D.random(seed=4).take(3)) == [3128586565, 2023892699, 452966358]
    a = D.random(seed=4)
    assert values(a.take(2)) == values(a.take(2))  # fixed seeds: same stream every pass
    r = D.random(seed=4, rerandomize_each_iteration=True)
    assert values(r.take(2)) != values(r.take(2))


# ----------------------------------------------------------------------- tensors and slices


def test_from_tensors_keeps_lists_as_values():
    ds = D.from_tensors([1, 2])
    assert ds.element_spec == tf.TensorSpec([2], tf.int32)
    (only,) = values(ds)
    np.testing.assert_array_equal(only, [1, 2])
    assert len(ds) == 1


def test_from_tensor_slices_structures():
    ds = D.from_tensor_slices(([1, 2], [[3.0, 4.0], [5.0, 6.0]]))
    assert ds.element_spec == (tf.TensorSpec([], tf.int32), tf.TensorSpec([2], tf.float32))
    (a0, b0), (a1, b1) = values(ds)
    assert (a0, a1) == (1, 2)
    np.testing.assert_array_equal(b1, [5.0, 6.0])
    d = values(D.from_tensor_slices({"x": [1, 2], "y": ["a", "b"]}))
    assert d == [{"x": 1, "y": b"a"}, {"x": 2, "y": b"b"}]


def test_from_tensor_slices_errors_and_ragged():
    with pytest.raises(ValueError, match="rank >= 1"):
        D.from_tensor_slices(3)
    with pytest.raises(ValueError, match="not compatible"):
        D.from_tensor_slices(([1, 2], [1, 2, 3]))
    rt = tf.ragged.constant([[1], [2, 3]])
    rows = list(D.from_tensor_slices(rt))
    assert [r.numpy().tolist() for r in rows] == [[1], [2, 3]]


def test_numpy_iterator_is_read_only():
    (row,) = values(D.from_tensors(np.arange(3)))
    assert not row.flags.writeable


def test_element_spec_and_repr():
    assert repr(D.range(3)) == (
        "<_RangeDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>"
    )
    ds = D.from_tensor_slices(([1, 2], [[3.0], [4.0]])).batch(2)
    assert repr(ds.element_spec) == (
        "(TensorSpec(shape=(None,), dtype=tf.int32, name=None), "
        "TensorSpec(shape=(None, 1), dtype=tf.float32, name=None))"
    )
    assert str(D.range(3).batch(2)).startswith("<_BatchDataset element_spec=")
    assert isinstance(iter(D.range(1)), tf.data.Iterator)


def test_len_errors():
    with pytest.raises(TypeError, match="The dataset is infinite."):
        len(D.range(3).repeat())
    with pytest.raises(TypeError, match="The dataset length is unknown."):
        len(D.range(3).filter(lambda x: True))
    assert (tf.data.INFINITE_CARDINALITY, tf.data.UNKNOWN_CARDINALITY) == (-1, -2)
    assert tf.data.AUTOTUNE == tf.data.experimental.AUTOTUNE == -1


# ---------------------------------------------------------------------------- from_generator


def test_from_generator_signature_and_types():
    def gen():
        yield from range(3)

    ds = D.from_generator(gen, output_types=tf.int32)
    assert repr(ds.element_spec) == "TensorSpec(shape=<unknown>, dtype=tf.int32, name=None)"
    assert values(ds) == [0, 1, 2]
    assert values(ds) == [0, 1, 2]  # the generator is called again for every pass
    assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY
    assert type(ds).__name__ == "_FlatMapDataset"
    sig = (tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.string))
    ds = D.from_generator(lambda: iter([([1, 2], "a"), ([3], "b")]), output_signature=sig)
    out = values(ds)
    assert out[1][1] == b"b" and out[0][0].dtype == np.float32


def test_from_generator_args_and_errors():
    ds = D.from_generator(lambda n: range(int(n)), output_types=tf.int64, args=(3,))
    assert values(ds) == [0, 1, 2]
    with pytest.raises(TypeError, match="must be a Python callable"):
        D.from_generator(3, output_types=tf.int32)
    with pytest.raises(TypeError, match="either the `output_signature`"):
        D.from_generator(lambda: [1])
    with pytest.raises(TypeError, match="can not be used together"):
        D.from_generator(lambda: [1], tf.int32, output_signature=tf.TensorSpec([], tf.int32))
    bad = D.from_generator(lambda: [[1, 2, 3]], output_signature=tf.TensorSpec([2], tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="of shape \\(3,\\)"):
        values(bad)
    bad = D.from_generator(lambda: ["x"], output_signature=tf.TensorSpec([], tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="could not be converted"):
        values(bad)


# ------------------------------------------------------------------- zip, concat, enumerate


def test_zip_and_cardinality():
    z = D.zip((D.range(3), D.range(10, 15)))
    assert values(z) == [(0, 10), (1, 11), (2, 12)]
    assert int(z.cardinality()) == 3
    assert values(D.zip(D.range(2), D.range(5, 7))) == [(0, 5), (1, 6)]
    assert values(D.zip(datasets={"a": D.range(1)})) == [{"a": 0}]
    with pytest.raises(TypeError, match="Python `list` is not supported"):
        D.zip([D.range(1), D.range(1)])
    assert int(D.zip((D.range(3), D.range(3).repeat())).cardinality()) == 3
    assert int(D.zip((D.range(3), D.range(3).filter(bool))).cardinality()) == -2


def test_concatenate_and_enumerate():
    ds = D.range(2).concatenate(D.range(5, 7))
    assert values(ds) == [0, 1, 5, 6] and int(ds.cardinality()) == 4
    mixed = D.from_tensors([1, 2]).concatenate(D.from_tensors([1, 2, 3]))
    assert mixed.element_spec == tf.TensorSpec([None], tf.int32)
    with pytest.raises(TypeError, match="Incompatible dataset elements"):
        D.range(1).concatenate(D.from_tensors(1.0))
    assert values(D.from_tensor_slices(["a", "b"]).enumerate(start=5)) == [(5, b"a"), (6, b"b")]


@pytest.mark.parametrize(
    "module",
    ["dataset", "structure", "options", "optional", "readers", "experimental", "iterator"],
)
def test_docstring_examples(module):
    import doctest
    import importlib

    mod = importlib.import_module("tensorlet.data_ops." + module)
    assert doctest.testmod(mod, extraglobs={"tf": tf, "np": np}).failed == 0
