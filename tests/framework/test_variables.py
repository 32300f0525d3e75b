"""tf.Variable: creation, naming, reads, the update ops (AssignVariableOp & co., tables against
NumPy), sliced assignment, scatter updates, operators, conversion, tapes and reprs."""
import copy
import pickle

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework import errors
from tensorlet.ops import state_ops

F32 = np.float32


# ---------------------------------------------------------------- creation

@pytest.mark.parametrize("init,dtype", [
    (1, tf.int32), (1.0, tf.float32), ([1, 2.5], tf.float32), (np.array([1.0]), tf.float64),
    (True, tf.bool), ("s", tf.string), (2**40, tf.int64), (np.float16(1), tf.float16),
])
def test_initial_value_dtype_follows_tf_conversion(init, dtype):
    assert tf.Variable(init).dtype == dtype


def test_dtype_argument_converts_python_values_but_not_tensors():
    assert tf.Variable(1, dtype=tf.float32).dtype == tf.float32
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32"):
        tf.Variable(tf.constant(1), dtype=tf.float32)


def test_callable_initial_value_and_independent_copies():
    a = tf.Variable(lambda: tf.ones([2]))
    b = tf.Variable(a)
    a.assign([5.0, 6.0])
    np.testing.assert_array_equal(b.numpy(), [1.0, 1.0])


def test_numpy_initial_value_and_assign_do_not_alias_user_memory():
    arr = np.array([1.0, 2.0], F32)
    v = tf.Variable(arr)
    arr[0] = 9.0
    assert v.numpy()[0] == 1.0
    src = np.array([3.0, 4.0], F32)
    v.assign(src)
    src[0] = 9.0
    assert v.numpy()[0] == 3.0


def test_numpy_returns_a_copy_and_earlier_reads_keep_their_value():
    v = tf.Variable([1.0, 2.0])
    a = v.numpy()
    a[0] = 7.0
    t = v.value()
    v.assign([3.0, 4.0])
    np.testing.assert_array_equal(v.numpy(), [3.0, 4.0])
    np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])


def test_shape_argument_and_errors():
    v = tf.Variable([1.0, 2.0], shape=tf.TensorShape(None))
    assert v.shape == tf.TensorShape(None)
    v.assign([1.0, 2.0, 3.0])
    assert v.numpy().shape == (3,)
    assert "shape=<unknown>" in repr(v)
    with pytest.raises(ValueError, match="is not compatible with the explicitly supplied"):
        tf.Variable([1.0, 2.0], shape=[3])
    assert tf.Variable([[1.0]], shape=[None, 1]).shape.as_list() == [None, 1]


@pytest.mark.parametrize("kwargs,exc", [
    ({}, ValueError),                                   # no initial value
    ({"initial_value": 1.0, "constraint": 3}, ValueError),
    ({"initial_value": 1.0, "synchronization": 7}, ValueError),
    ({"initial_value": 1.0, "aggregation": "bad"}, ValueError),
])
def test_constructor_errors(kwargs, exc):
    with pytest.raises(exc):
        tf.Variable(**kwargs)


def test_trainable_defaults_and_sync_aggregation():
    assert tf.Variable(1.0).trainable
    assert not tf.Variable(1.0, trainable=False).trainable
    v = tf.Variable(1.0, synchronization=tf.VariableSynchronization.ON_READ,
                    aggregation=tf.VariableAggregation.MEAN, trainable=None)
    assert not v.trainable and v.aggregation == tf.VariableAggregation.MEAN
    assert tf.Variable(1.0, aggregation=1).aggregation is tf.VariableAggregation.SUM
    assert tf.Variable(1.0).synchronization is tf.VariableSynchronization.AUTO


# ---------------------------------------------------------------- names

def test_names_are_not_uniquified_in_eager_mode():
    assert tf.Variable(1.0).name == "Variable:0"
    assert tf.Variable(1.0).name == "Variable:0"
    assert tf.Variable(1.0, name="w").name == "w:0"


def test_names_follow_name_scopes():
    with tf.name_scope("outer"):
        with tf.name_scope("inner") as scope:
            v = tf.Variable(1.0, name="w")
            u = tf.Variable(1.0)
        a = tf.Variable(1.0, name="abs/")
    assert scope == "outer/inner/"
    assert (v.name, u.name, a.name) == ("outer/inner/w:0", "outer/inner/Variable:0", "abs:0")
    assert tf.Variable(1.0, name="w").name == "w:0"


# ---------------------------------------------------------------- the update ops

def _upd_cases():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4)).astype(F32)
    d = rng.normal(size=(3, 4)).astype(F32)
    return [
        ("assign", x, d, d),
        ("assign_add", x, d, x + d),
        ("assign_sub", x, d, x - d),
        ("assign_add", np.arange(6, dtype=np.int64).reshape(2, 3), np.ones((2, 3), np.int64),
         np.arange(6).reshape(2, 3) + 1),
        ("assign_sub", np.float64(2.5), np.float64(0.5), np.float64(2.0)),
    ]


@pytest.mark.parametrize("method,init,delta,expected", _upd_cases())
def test_update_ops_forward_and_dtype(method, init, delta, expected):
    v = tf.Variable(init)
    out = getattr(v, method)(delta)
    np.testing.assert_allclose(v.numpy(), expected, rtol=1e-6)
    assert v.dtype == tf.as_dtype(np.asarray(init).dtype)
    assert out.name == "UnreadVariable"
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    assert getattr(v, method)(delta, read_value=False) is None


def test_assign_errors_match_tf():
    with pytest.raises(ValueError) as e:
        tf.Variable([1.0, 2.0]).assign([1.0, 2.0, 3.0])
    assert str(e.value) == ("Cannot assign value to variable ' Variable:0': Shape mismatch.The "
                            "variable shape (2,), and the assigned value shape (3,) are "
                            "incompatible.")
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32"):
        tf.Variable(1.0).assign(tf.constant(2))
    with pytest.raises(TypeError, match="Cannot convert 2.5 to EagerTensor of dtype int32"):
        tf.Variable(1).assign(2.5)
    with pytest.raises(errors.InvalidArgumentError,
                       match=r"Cannot update variable with shape \[2\] using a Tensor with shape "
                             r"\[\], shapes must be equal. \[Op:AssignAddVariableOp\]"):
        tf.Variable([1.0, 2.0]).assign_add(1.0)
    with pytest.raises(errors.InvalidArgumentError, match="AssignSubVariableOp"):
        tf.Variable("s").assign_sub("t")


def test_validate_shape_false_keeps_the_static_shape_check():
    with pytest.raises(ValueError):
        tf.Variable([1.0, 2.0], validate_shape=False).assign([1.0, 2.0, 3.0])


def test_unread_variable_is_a_live_view():
    v = tf.Variable(1.0)
    r = v.assign(2.0)
    v.assign(3.0)
    assert float(r) == 3.0
    r.assign_add(1.0)
    assert float(v) == 4.0
    assert float(r + 1.0) == 5.0


def test_state_ops_are_stateful_and_registered():
    for op in [state_ops.assign_variable_op, state_ops.assign_add_variable_op,
               state_ops.assign_sub_variable_op, state_ops.resource_strided_slice_assign_op,
               *state_ops.SCATTER_OPS.values()]:
        assert op.stateful and op.grad is None


def test_tf1_function_forms():
    v = tf.Variable(1.0)
    tf.compat.v1.assign(v, 3.0)
    tf.compat.v1.assign_add(v, 2.0)
    tf.compat.v1.assign_sub(v, 1.0)
    assert float(v) == 4.0


# ---------------------------------------------------------------- sliced assignment

SLICE_CASES = [  # (index, value)
    ((0, 0), 5.0),
    ((slice(None), 0), [7.0, 8.0]),
    ((slice(1, 3),), np.ones((1, 3), F32)),      # clipped slice
    ((Ellipsis, 2), -1.0),                          # broadcast scalar
    ((None, 0), [[1.0, 2.0, 3.0]]),                 # new axis
    ((slice(None, None, -1), slice(None, None, 2)), np.zeros((2, 2), F32)),
    ([1, 1], 4.0),                                  # a list reads as a tuple
    ((slice(None), slice(5, 9)), np.zeros((2, 0), F32)),  # empty slice: no-op
]


@pytest.mark.parametrize("index,value", SLICE_CASES)
def test_sliced_assign_matches_numpy(index, value):
    init = np.arange(6, dtype=F32).reshape(2, 3)
    v = tf.Variable(init)
    out = v[index].assign(value)
    expected = init.copy()
    np_index = tuple(index) if isinstance(index, list) else index
    expected[np_index] = value
    np.testing.assert_array_equal(v.numpy(), expected)
    assert out.shape == v.shape


def test_sliced_read_is_a_tensor_and_gradients_flow_through_it():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    t = v[0, 1]
    assert isinstance(t, tf.Tensor) and float(t) == 2.0
    assert "tf.Tensor(2.0, shape=(), dtype=float32)" == str(t)
    with tf.GradientTape() as tape:
        y = v[1] * 3.0
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [[0, 0], [3, 3]])


def test_sliced_assign_errors():
    v = tf.Variable(np.zeros((2, 3), F32))
    with pytest.raises(errors.InvalidArgumentError,
                       match=r"Cannot broadcast input shape \[3\] into final shape \[2\]"):
        v[:, 0].assign([1.0, 2.0, 3.0])
    with pytest.raises(errors.InvalidArgumentError, match="out of bounds"):
        v[5]
    with pytest.raises(TypeError, match="Only integers, slices"):
        v[1.5]
    with pytest.raises(ValueError):
        v[0].assign(tf.constant([1, 2, 3]))
    assert not hasattr(v[v > 0.0] if hasattr(tf, "greater") else v[np.ones((2, 3), bool)],
                       "assign")


# ---------------------------------------------------------------- scatter updates

SCATTER_ND = [  # (method, ufunc applied at the indices; None = overwrite)
    ("scatter_nd_update", None), ("scatter_nd_add", np.add), ("scatter_nd_sub", np.subtract),
    ("scatter_nd_max", np.maximum), ("scatter_nd_min", np.minimum),
]


@pytest.mark.parametrize("method,ufunc", SCATTER_ND)
@pytest.mark.parametrize("indices,updates", [
    ([[0, 1], [3, 2]], [9.0, -9.0]),                   # elements
    ([[1], [3]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),  # rows
    ([1, 3], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),      # rank-1 indices: rows
])
def test_scatter_nd_updates_match_numpy(method, ufunc, indices, updates):
    init = np.arange(12, dtype=F32).reshape(4, 3)
    v = tf.Variable(init)
    getattr(v, method)(indices, updates)
    idx = np.asarray(indices)
    idx = idx[:, None] if idx.ndim == 1 else idx
    expected = init.copy()
    pos = tuple(idx[..., k] for k in range(idx.shape[-1]))
    if ufunc is None:
        expected[pos] = updates
    else:
        ufunc.at(expected, pos, np.asarray(updates, F32))
    np.testing.assert_array_equal(v.numpy(), expected)


def test_scatter_nd_errors():
    v = tf.Variable(np.zeros((4, 3), F32))
    with pytest.raises(errors.InvalidArgumentError,
                       match=r"indices\[1\] = \[5, 0\] does not index into shape \[4,3\]"):
        v.scatter_nd_update([[0, 0], [5, 0]], [1.0, 2.0])
    with pytest.raises(errors.InvalidArgumentError, match="must match dimensions"):
        v.scatter_nd_add([[0, 0]], [1.0, 2.0])
    with pytest.raises(errors.InvalidArgumentError, match="Tindices|allowed values"):
        v.scatter_nd_update(tf.constant([[0.0, 0.0]]), [1.0])


SCATTER = [("scatter_update", None), ("scatter_add", np.add), ("scatter_sub", np.subtract),
           ("scatter_mul", np.multiply), ("scatter_div", np.divide), ("scatter_max", np.maximum),
           ("scatter_min", np.minimum)]


@pytest.mark.parametrize("method,ufunc", SCATTER)
def test_scatter_indexed_slices_match_numpy(method, ufunc):
    init = np.arange(1, 13, dtype=F32).reshape(4, 3)
    v = tf.Variable(init)
    vals = np.full((2, 3), 2.0, F32)
    getattr(v, method)(tf.IndexedSlices(tf.constant(vals), tf.constant([2, 0])))
    expected = init.copy()
    if ufunc is None:
        expected[[2, 0]] = vals
    else:
        ufunc.at(expected, [2, 0], vals)
    np.testing.assert_array_equal(v.numpy(), expected)


def test_scatter_errors():
    v = tf.Variable(np.zeros((4, 3), F32))
    with pytest.raises(TypeError, match="must be a `tf.IndexedSlices`"):
        v.scatter_update([1.0])
    with pytest.raises(errors.InvalidArgumentError, match=r"indices\[0\] = 7 is not in \[0, 4\)"):
        v.scatter_add(tf.IndexedSlices(tf.ones([1, 3]), tf.constant([7])))


# ---------------------------------------------------------------- behaving like a tensor

def test_operators_delegate_to_the_value():
    v = tf.Variable([1.0, 2.0])
    np.testing.assert_array_equal((v + 1).numpy(), [2.0, 3.0])
    np.testing.assert_array_equal((1 + v).numpy(), [2.0, 3.0])
    np.testing.assert_array_equal((v * v).numpy(), [1.0, 4.0])
    np.testing.assert_array_equal((-v).numpy(), [-1.0, -2.0])
    np.testing.assert_array_equal((v - tf.constant([1.0, 1.0])).numpy(), [0.0, 1.0])
    np.testing.assert_array_equal((np.array([1.0, 1.0], F32) + v).numpy(), [2.0, 3.0])
    with pytest.raises(TypeError):
        +v  # noqa: B018 (TF has no unary plus)
    with pytest.raises(RuntimeError, match="assign_add"):
        v += 1.0


def test_conversion_protocols():
    v = tf.Variable([1.0, 2.0])
    assert tf.is_tensor(v) and isinstance(v, tf.Variable) and not isinstance(v, tf.Tensor)
    assert tf.convert_to_tensor(v).dtype == tf.float32
    with pytest.raises(ValueError, match="Incompatible type conversion requested to type int32"):
        tf.convert_to_tensor(v, dtype=tf.int32)
    np.testing.assert_array_equal(np.array(v), [1.0, 2.0])
    assert np.asarray(v).dtype == F32
    assert float(tf.Variable(2.5)) == 2.5 and int(tf.Variable(3)) == 3
    assert bool(tf.Variable(True))
    assert [float(x) for x in v] == [1.0, 2.0]
    with pytest.raises(TypeError):
        len(v)
    assert float(tf.identity(tf.Variable(2.0))) == 2.0


def test_hash_ref_copy_pickle():
    v = tf.Variable([1.0, 2.0], name="p")
    with pytest.raises(TypeError, match="Variable is unhashable"):
        hash(v)
    assert v.ref().deref() is v and {v.ref(): 1}[v.ref()] == 1
    assert copy.copy(v) is v
    d = copy.deepcopy(v)
    assert d is not v and d.name == "p:0"
    d.assign([0.0, 0.0])
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    p = pickle.loads(pickle.dumps(v))
    assert p.name == "p:0" and p.numpy().tolist() == [1.0, 2.0]


def test_sparse_reads_and_their_gradient():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_array_equal(v.sparse_read([2, 0]).numpy(), [[5, 6], [1, 2]])
    np.testing.assert_array_equal(v.gather_nd([[1, 1]]).numpy(), [4.0])
    with tf.GradientTape() as tape:
        y = v.sparse_read([2, 2]) * 2.0
    np.testing.assert_array_equal(tf.convert_to_tensor(tape.gradient(y, v)).numpy(),
                                  [[0, 0], [0, 0], [4, 4]])


def test_eager_properties():
    v = tf.Variable([1.0], name="w")
    assert v.device == "/job:localhost/replica:0/task:0/device:CPU:0"
    assert v.handle.dtype == tf.resource and v.initializer is None
    assert v.get_shape() == v.shape and v.constraint is None
    with pytest.raises(RuntimeError):
        v.initial_value  # noqa: B018
    with pytest.raises(AttributeError):
        v.op  # noqa: B018
    assert bool(v.is_initialized())


# ---------------------------------------------------------------- tapes

def test_tape_sees_reads_of_trainable_variables_only():
    x = tf.Variable(3.0)
    n = tf.Variable(2.0, trainable=False)
    with tf.GradientTape(persistent=True) as tape:
        y = x * x + n * x
    assert float(tape.gradient(y, x)) == 8.0
    assert tape.gradient(y, n) is None
    with tf.GradientTape() as tape:
        tape.watch(n)
        y = n * 3.0
    assert float(tape.gradient(y, n)) == 3.0


def test_variable_creation_is_not_recorded():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = tf.Variable(x) * 1.0
    assert tape.gradient(y, x) is None


# ---------------------------------------------------------------- repr

@pytest.mark.parametrize("make,text", [
    (lambda: tf.Variable(1.0), "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=1.0>"),
    (lambda: tf.Variable([1, 2], name="w"),
     "<tf.Variable 'w:0' shape=(2,) dtype=int32, numpy=array([1, 2], dtype=int32)>"),
    (lambda: tf.Variable(tf.zeros([2, 2])),
     "<tf.Variable 'Variable:0' shape=(2, 2) dtype=float32, numpy=\narray([[0., 0.],\n"
     "       [0., 0.]], dtype=float32)>"),
    (lambda: tf.Variable("s"), "<tf.Variable 'Variable:0' shape=() dtype=string, numpy=b's'>"),
])
def test_repr_and_str(make, text):
    v = make()
    assert repr(v) == text and str(v) == text and f"{v}" == text
