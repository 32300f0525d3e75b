"""TF's own initializers: init_ops_v2 (tf.*_initializer) and TF 1's init_ops (tf.compat.v1)."""

import doctest
import math

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.ops import init_ops

V1 = tf.compat.v1


# ---------------------------------------------------------------- TF 2


def test_v2_exports_are_the_init_ops_v2_classes():
    assert tf.zeros_initializer is init_ops.Zeros
    assert tf.ones_initializer is init_ops.Ones
    assert tf.constant_initializer is init_ops.Constant
    assert tf.random_uniform_initializer is init_ops.RandomUniform
    assert tf.random_normal_initializer is init_ops.RandomNormal
    # TF 1's names are TF 1's classes, not mirrors of TF 2's
    assert V1.zeros_initializer is init_ops.ZerosV1
    assert V1.constant_initializer is init_ops.ConstantV1
    assert V1.initializers.glorot_uniform is V1.glorot_uniform_initializer
    assert type(V1.zeros_initializer()).__name__ == "Zeros"
    assert repr(tf.zeros_initializer()).startswith("<tensorflow.python.ops.init_ops_v2.Zeros ")
    assert repr(V1.ones_initializer()).startswith("<tensorflow.python.ops.init_ops.Ones ")


@pytest.mark.parametrize(
    "init,dtype,expected",
    [
        (tf.zeros_initializer(), tf.float32, np.zeros((2, 3), np.float32)),
        (tf.zeros_initializer(), tf.bool, np.zeros((2, 3), bool)),
        (tf.ones_initializer(), tf.int64, np.ones((2, 3), np.int64)),
        (tf.constant_initializer(2.5), tf.float64, np.full((2, 3), 2.5)),
        (tf.constant_initializer(list(range(6))), tf.float32, np.arange(6.0).reshape(2, 3)),
    ],
)
def test_v2_deterministic_values(init, dtype, expected):
    out = init(shape=[2, 3], dtype=dtype)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out.numpy(), expected)


def test_v2_defaults_and_dtype_errors():
    assert tf.zeros_initializer()([2]).dtype == tf.float32
    assert tf.constant_initializer([1, 2])([2]).dtype == tf.int32  # the value's dtype
    with pytest.raises(ValueError, match="expected to be numeric or boolean. Received <dtype"):
        tf.ones_initializer()([2], tf.string)
    with pytest.raises(ValueError, match="expected to be floating point. Received: <dtype"):
        tf.random_normal_initializer()([2], tf.int32)
    with pytest.raises(ValueError, match="expected to be numeric or boolean"):
        tf.random_uniform_initializer()([2], tf.bool)
    with pytest.raises(TypeError, match="Invalid type for initial value: dict"):
        tf.constant_initializer({"a": 1})
    with pytest.raises(TypeError, match="value has 3 elements|has 3 elements"):
        tf.constant_initializer([1.0, 2.0, 3.0])([2, 2])


def test_v2_partition_kwargs():
    assert tf.zeros_initializer()([4, 2], partition_shape=[2, 2]).shape == [2, 2]
    with pytest.raises(TypeError, match=r"Keyword argument should be one of \['partition_shape'"):
        tf.zeros_initializer()([2], foo=1)
    with pytest.raises(ValueError, match="Constant initializer doesn't support partition"):
        tf.constant_initializer(1.0)([2], partition_shape=[1])


def test_v2_seeded_random_initializers_are_stateless():
    u = tf.random_uniform_initializer(-1.0, 2.0, seed=7)
    np.testing.assert_array_equal(u([3, 2]).numpy(), u([3, 2]).numpy())  # repeatable
    np.testing.assert_array_equal(
        u([3, 2]).numpy(), tf.random.stateless_uniform([3, 2], [7, 0], -1.0, 2.0).numpy()
    )
    n = tf.random_normal_initializer(1.0, 3.0, seed=0)  # seed 0 is a seed too
    np.testing.assert_array_equal(
        n([4], tf.float64).numpy(),
        tf.random.stateless_normal([4], [0, 0], 1.0, 3.0, tf.float64).numpy(),
    )
    i = tf.random_uniform_initializer(0, 10, seed=3)([5], tf.int32)
    np.testing.assert_array_equal(
        i.numpy(), tf.random.stateless_uniform([5], [3, 0], 0, 10, tf.int32).numpy()
    )


def test_v2_unseeded_random_initializers_follow_the_global_seed():
    tf.random.set_seed(11)
    a = tf.random_normal_initializer()([3])
    tf.random.set_seed(11)
    b = tf.random.normal([3], 0.0, 0.05)
    np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_v2_configs_round_trip():
    for init in (
        tf.random_uniform_initializer(-1, 1, seed=2),
        tf.random_normal_initializer(),
        tf.constant_initializer([1, 2]),
        tf.zeros_initializer(),
    ):
        config = init.get_config()
        again = type(init).from_config(dict(config, dtype="float32"))  # dtype is dropped
        assert again.get_config() == config
    assert tf.random_uniform_initializer().get_config() == {
        "minval": -0.05,
        "maxval": 0.05,
        "seed": None,
    }
    assert tf.random_normal_initializer().get_config() == {
        "mean": 0.0,
        "stddev": 0.05,
        "seed": None,
    }


def test_v2_unexported_classes():
    vs = init_ops.VarianceScaling(scale=2.0, mode="fan_out", distribution="uniform", seed=1)
    limit = math.sqrt(3 * 2.0 / 4)  # fan_out = 4
    np.testing.assert_array_equal(
        vs([3, 4]).numpy(), tf.random.stateless_uniform([3, 4], [1, 0], -limit, limit).numpy()
    )
    tn = init_ops.VarianceScaling(seed=2)  # truncated normal, fan_in = 3 * 3 * 2
    std = math.sqrt(1.0 / 18) / 0.87962566103423978
    np.testing.assert_allclose(
        tn([3, 3, 2, 4]).numpy(),
        tf.random.stateless_truncated_normal([3, 3, 2, 4], [2, 0], 0.0, std).numpy(),
        rtol=1e-6,
    )
    assert init_ops.VarianceScaling(distribution="normal").distribution == "truncated_normal"
    with pytest.raises(ValueError, match="Argument `scale` must be a positive float"):
        init_ops.VarianceScaling(scale=0.0)
    with pytest.raises(ValueError, match="Argument `mode` should be one of"):
        init_ops.VarianceScaling(mode="x")
    with pytest.raises(ValueError, match="Argument `distribution` should be one of"):
        init_ops.VarianceScaling(distribution="x")
    assert init_ops.GlorotUniform(3).get_config() == {"seed": 3}
    np.testing.assert_array_equal(init_ops.Identity(2.0)([2, 3]).numpy(), 2 * np.eye(2, 3))
    t = init_ops.TruncatedNormal(seed=4)([100]).numpy()
    assert np.all(np.abs(t) <= 0.1)


@pytest.mark.parametrize("shape", [(3, 4), (5, 3), (2, 3, 4)])
def test_v2_orthogonal(shape):
    q = init_ops.Orthogonal(gain=2.0, seed=5)(shape).numpy().reshape(-1, shape[-1])
    rows, cols = q.shape
    gram = q @ q.T if rows < cols else q.T @ q
    np.testing.assert_allclose(gram, 4.0 * np.eye(min(rows, cols)), atol=1e-5)
    # the normal matrix is the stateless draw of seed [5, 0]
    a = tf.random.stateless_normal((max(rows, cols), min(rows, cols)), [5, 0]).numpy()
    qq, r = np.linalg.qr(a)
    qq = qq * np.sign(np.diag(r))
    expected = 2.0 * (qq.T if rows < cols else qq)
    np.testing.assert_allclose(q, expected, atol=1e-5)
    with pytest.raises(ValueError, match="at least two-dimensional"):
        init_ops.Orthogonal()([3])


# ---------------------------------------------------------------- TF 1


def test_v1_dtype_in_constructor_and_call():
    z = V1.zeros_initializer(dtype=tf.int32)
    assert z([2]).dtype == tf.int32 and z([2], dtype=tf.float64).dtype == tf.float64
    assert z.get_config() == {"dtype": "int32"}
    assert V1.ones_initializer()([2], partition_info=None).dtype == tf.float32
    with pytest.raises(ValueError, match="expected to be floating point"):
        V1.random_normal_initializer(dtype=tf.int32)
    with pytest.raises(ValueError, match="expected to be floating point"):
        V1.initializers.orthogonal(dtype=tf.int64)


def test_v1_constant_initializer():
    init = V1.constant_initializer([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(init([2, 2]).numpy(), [[1, 2], [3, 4]])
    assert init.get_config() == {"value": [1.0, 2.0, 3.0, 4.0], "dtype": "float32"}
    assert V1.constant_initializer(3)([2]).dtype == tf.float32  # dtype from the constructor
    with pytest.raises(TypeError, match=r"with shape \(2, 2\), but got shape \(4,\)"):
        V1.constant_initializer([1.0, 2.0, 3.0, 4.0], verify_shape=True)([2, 2])
    with pytest.raises(TypeError, match="Invalid type for initial value"):
        V1.constant_initializer(None)
    # in graphs (make_tensor_proto), a shorter value repeats its last element
    g = tf.function(lambda: V1.constant_initializer([0.0, 1.0, 2.0])([2, 3]))
    np.testing.assert_array_equal(g().numpy(), [[0, 1, 2], [2, 2, 2]])
    too_many = tf.function(lambda: V1.constant_initializer([0.0, 1.0, 2.0])([2]))
    with pytest.raises(ValueError, match="Too many elements provided. Takes at most 2, but got 3"):
        too_many()


def _same_stream(make, draw, seed=3):
    tf.random.set_seed(seed)
    a = make()
    tf.random.set_seed(seed)
    b = draw()
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


def test_v1_random_initializers_use_op_seeds():
    _same_stream(
        lambda: V1.random_uniform_initializer(-1.0, 1.0, seed=4)([3, 2]),
        lambda: tf.random.uniform([3, 2], -1.0, 1.0, seed=4),
    )
    _same_stream(
        lambda: V1.random_normal_initializer(1.0, 2.0, seed=4)([3]),
        lambda: tf.random.normal([3], 1.0, 2.0, seed=4),
    )
    _same_stream(
        lambda: V1.truncated_normal_initializer(0.0, 2.0, seed=4)([3]),
        lambda: tf.random.truncated_normal([3], 0.0, 2.0, seed=4),
    )
    limit = math.sqrt(6.0 / (3 + 5))
    _same_stream(
        lambda: V1.glorot_uniform_initializer(seed=1)([3, 5]),
        lambda: tf.random.uniform([3, 5], -limit, limit, seed=1),
    )
    std = math.sqrt(2.0 / 3) / 0.87962566103423978
    _same_stream(
        lambda: V1.initializers.he_normal(seed=2)([3, 5]),
        lambda: tf.random.truncated_normal([3, 5], 0.0, std, seed=2),
    )
    _same_stream(
        lambda: V1.initializers.lecun_uniform(seed=2)([4, 2]),
        lambda: tf.random.uniform([4, 2], -math.sqrt(3 / 4), math.sqrt(3 / 4), seed=2),
    )
    m = math.sqrt(3 / 6.0) * 1.5
    _same_stream(
        lambda: V1.uniform_unit_scaling_initializer(1.5, seed=9)([2, 3, 4]),
        lambda: tf.random.uniform([2, 3, 4], -m, m, seed=9),
    )
    # stateful: the second call continues the stream
    tf.random.set_seed(1)
    init = V1.random_normal_initializer(seed=5)
    assert not np.array_equal(init([4]).numpy(), init([4]).numpy())


def test_v1_variance_scaling_and_partitions():
    class Partition:
        full_shape = (8, 2)
        var_offset = (4, 0)

    vs = V1.variance_scaling_initializer(scale=2.0, mode="fan_avg", distribution="uniform", seed=1)
    limit = math.sqrt(3 * 2.0 / 5)  # the full shape's fans: (8 + 2) / 2
    _same_stream(
        lambda: vs([4, 2], partition_info=Partition()),
        lambda: tf.random.uniform([4, 2], -limit, limit, seed=1),
    )
    assert vs.get_config() == {
        "scale": 2.0,
        "mode": "fan_avg",
        "distribution": "uniform",
        "seed": 1,
        "dtype": "float32",
    }
    assert V1.variance_scaling_initializer().distribution == "truncated_normal"
    assert V1.variance_scaling_initializer(distribution="normal").distribution == "normal"
    eye = V1.initializers.identity(gain=3.0)(
        [2, 4], partition_info=type("P", (), {"full_shape": [4, 4], "var_offset": [2, 0]})()
    )
    np.testing.assert_array_equal(eye.numpy(), 3.0 * np.eye(4)[2:])
    # TF 1's Glorot classes ignore their dtype argument
    assert V1.glorot_normal_initializer(dtype=tf.float64).get_config()["dtype"] == "float32"


def test_v1_orthogonal_and_configs():
    tf.random.set_seed(2)
    q = V1.orthogonal_initializer(gain=1.0, seed=3)([6, 3]).numpy()
    np.testing.assert_allclose(q.T @ q, np.eye(3), atol=1e-5)
    for init in (
        V1.random_uniform_initializer(seed=1),
        V1.truncated_normal_initializer(),
        V1.orthogonal_initializer(2.0),
        V1.initializers.identity(),
        V1.uniform_unit_scaling_initializer(),
        V1.constant_initializer([1, 2]),
    ):
        config = init.get_config()
        assert type(init).from_config(config).get_config() == config


def test_doctests():
    assert doctest.testmod(init_ops, extraglobs={"tf": tf}).failed == 0
