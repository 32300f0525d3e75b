"""tf.TensorArray: the eager (Python list) and graph (TensorList) implementations, TF's errors,
loops carrying TensorArrays, and the TensorList ops and their gradient rules."""
import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff import backprop, gradient_tape
from tensorlet.framework.tensor import EagerTensor
from tensorlet.ops import list_ops
from tensorlet.ops.op_def import OpRecord, apply


def _both(fn):
    """``fn`` run eagerly and inside tf.function (autograph off): the same values."""
    eager = fn()
    traced = tf.function(fn, autograph=False)()
    if isinstance(eager, (list, tuple)):
        for e, t in zip(eager, traced):
            np.testing.assert_array_equal(e.numpy(), t.numpy())
    else:
        np.testing.assert_array_equal(eager.numpy(), traced.numpy())
    return eager


# ---------------------------------------------------------------- both implementations

def test_write_read_stack_size():
    def fn():
        ta = tf.TensorArray(tf.float32, size=3)
        ta = ta.write(0, 1.0).write(1, [2.0][0]).write(2, tf.constant(3.0))
        return ta.stack(), ta.size(), ta.read(1)

    stacked, size, item = _both(fn)
    assert stacked.numpy().tolist() == [1.0, 2.0, 3.0] and size.numpy() == 3
    assert size.dtype == tf.int32 and item.numpy() == 2.0


def test_dynamic_size_unstack_gather_scatter_concat_split():
    def fn():
        ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True, clear_after_read=False)
        ta = ta.unstack(tf.constant([[1, 2], [3, 4], [5, 6]]))
        ta = ta.write(4, tf.constant([9, 9]))  # index 3 stays unwritten: zeros
        g = ta.gather([4, 0])
        c = ta.concat()
        s = ta.scatter([1, 3], tf.constant([[7, 7], [8, 8]])).stack()  # eagerly: in place
        parts = tf.TensorArray(tf.float32, size=2).split(tf.constant([1.0, 2.0, 3.0]), [1, 2])
        return g, s, c, ta.size(), parts.read(1)

    g, s, c, size, part = _both(fn)
    assert g.numpy().tolist() == [[9, 9], [1, 2]]
    assert s.numpy().tolist() == [[1, 2], [7, 7], [5, 6], [8, 8], [9, 9]]
    assert c.numpy().tolist() == [1, 2, 3, 4, 5, 6, 0, 0, 9, 9]
    assert size.numpy() == 5 and part.numpy().tolist() == [2.0, 3.0]


def test_element_shape_and_empty_stack():
    def fn():
        ta = tf.TensorArray(tf.float32, size=0, element_shape=[2])
        return ta.stack()

    assert _both(fn).shape == (0, 2)
    ta = tf.TensorArray(tf.float32, size=2, element_shape=[None, 3])
    assert ta.element_shape.as_list() == [None, 3]
    ta = ta.write(0, tf.zeros([4, 3]))
    assert ta.element_shape.as_list() == [4, 3]  # infer_shape merges the written shape
    with pytest.raises(ValueError, match=r"Incompatible shape for value \(\(5, 3\)\), expected "
                                         r"\(\(4, 3\)\)"):
        ta.write(1, tf.zeros([5, 3]))

    @tf.function(autograph=False)
    def traced():
        t = tf.TensorArray(tf.float32, size=2, element_shape=[3])
        return t.write(0, tf.zeros([4]))

    with pytest.raises(ValueError, match=r"Inconsistent shapes: saw \(4,\) but expected \(3,\)"):
        traced()


def test_tensor_array_properties():
    ta = tf.TensorArray(tf.float64, size=2, dynamic_size=True)
    assert ta.dtype == tf.float64 and ta.dynamic_size is True
    assert ta.flow.dtype == tf.int32 and ta.handle is None
    assert ta.identity() is ta
    spec = tf.TensorArraySpec.from_value(ta)
    assert spec == tf.TensorArraySpec(None, tf.float64, True)
    assert spec.is_compatible_with(tf.TensorArraySpec([3], tf.float64, True))
    with pytest.raises(NotImplementedError, match="TensorArray.grad is not supported"):
        ta.grad("x")


# ---------------------------------------------------------------- eager errors (TF's messages)

@pytest.mark.parametrize("action, err, msg", [
    (lambda ta: ta.read(5), tf.errors.OutOfRangeError,
     "Tried to read from index 5 but array size is: 2"),
    (lambda ta: ta.read(-1), tf.errors.OutOfRangeError,
     r"Reading from negative indices \(index -1\) is not allowed."),
    (lambda ta: ta.write(2, 1.0), tf.errors.OutOfRangeError,
     "Tried to write to index 2 but array is not resizeable and size is: 2"),
    (lambda ta: ta.write(-1, 1.0), tf.errors.OutOfRangeError,
     r"Writing to negative indices \(index -1\) is not allowed."),
    (lambda ta: ta.write(0, tf.constant(1, tf.int32)), tf.errors.InvalidArgumentError,
     "TensorArray dtype is float32 but Op is trying to write dtype int32"),
    (lambda ta: ta.unstack([1.0, 2.0, 3.0]), ValueError,
     "Cannot unstack 3 tensors into a TensorArray of static size 2"),
    (lambda ta: ta.split([1.0, 2.0, 3.0], [1, 1]), tf.errors.InvalidArgumentError,
     "Expected sum of lengths to be equal to values.shape"),
])
def test_eager_errors(action, err, msg):
    ta = tf.TensorArray(tf.float32, size=2)
    with pytest.raises(err, match=msg):
        action(ta)


def test_eager_clear_after_read_and_size_required():
    ta = tf.TensorArray(tf.float32, size=2).write(0, 1.0)
    assert ta.read(0).numpy() == 1.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="Could not read index 0 twice"):
        ta.read(0)
    assert ta.read(1).numpy() == 0.0  # never written: zeros of the element shape
    with pytest.raises(ValueError, match="Size must be declared for TensorArrays"):
        tf.TensorArray(tf.float32)
    keep = tf.TensorArray(tf.float32, size=1, clear_after_read=False).write(0, 2.0)
    assert keep.read(0).numpy() == keep.read(0).numpy() == 2.0


def test_graph_errors_at_run_time():
    @tf.function(autograph=False)
    def read_past_end(i):
        return tf.TensorArray(tf.float32, size=2).write(0, 1.0).read(i)

    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Trying to access element 3 in a list with 2 elements."):
        read_past_end(tf.constant(3))

    @tf.function(autograph=False)
    def write_past_end(i):
        return tf.TensorArray(tf.float32, size=2).write(i, 1.0).stack()

    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Trying to modify element 5 in a list with 2 elements."):
        write_past_end(tf.constant(5))


# ---------------------------------------------------------------- in loops

def test_tensor_array_as_while_loop_variable():
    def fn(n=5):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)

        def body(i, ta):
            return i + 1, ta.write(i, tf.cast(i * i, tf.float32))

        _, ta = tf.while_loop(lambda i, ta: i < n, body, (0, ta))
        return ta.stack()

    assert _both(fn).numpy().tolist() == [0, 1, 4, 9, 16]

    @tf.function(autograph=False)
    def traced(n):
        return fn(n)

    assert traced(tf.constant(3)).numpy().tolist() == [0, 1, 4]


def test_fibonacci_with_autograph():
    @tf.function
    def fibonacci(n):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        ta = ta.unstack([0.0, 1.0])
        for i in range(2, n):
            ta = ta.write(i, ta.read(i - 1) + ta.read(i - 2))
        return ta.stack()

    assert fibonacci(7).numpy().tolist() == [0, 1, 1, 2, 3, 5, 8]

    @tf.function
    def fibonacci_tensor(n):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True, clear_after_read=False)
        ta = ta.unstack([0.0, 1.0])
        for i in tf.range(2, n):
            ta = ta.write(i, ta.read(i - 1) + ta.read(i - 2))
        return ta.stack()

    assert fibonacci_tensor(tf.constant(7)).numpy().tolist() == [0, 1, 1, 2, 3, 5, 8]


def test_eager_tensor_array_gradients():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        ta = tf.TensorArray(tf.float32, size=3)
        for i in range(3):
            ta = ta.write(i, x * float(i + 1))
        y = tf.reduce_sum(ta.stack()) + ta.gather([1])[0] * 10.0
    assert tape.gradient(y, x).numpy() == 26.0


@pytest.fixture
def variant_gradients(monkeypatch):
    """Gradients through ``variant`` (TensorList) tensors, as TF's ``IsTrainable``; the tape
    currently stops at variants (autodiff/backprop.py), so the rules are tested with it on."""
    orig = backprop._differentiable
    diff = lambda d: orig(d) or d.name == "variant"
    agg = backprop.aggregate

    def aggregate(a, b):
        if getattr(a, "dtype", None) == tf.variant:
            return list_ops.add_lists(a, b)
        return agg(a, b)

    for mod in (backprop, gradient_tape):
        monkeypatch.setattr(mod, "_differentiable", diff)
        monkeypatch.setattr(mod, "aggregate", aggregate)


def test_graph_tensor_array_gradients(variant_gradients):
    @tf.function
    def f(x):
        ta = tf.TensorArray(tf.float32, size=3, clear_after_read=False)
        for i in tf.range(3):
            ta = ta.write(i, x * tf.cast(i + 1, tf.float32))
        return tf.reduce_sum(ta.stack()) + ta.read(1) * 10.0

    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    assert y.numpy() == 52.0 and tape.gradient(y, x).numpy() == 26.0

    @tf.function
    def inside(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            ta = tf.TensorArray(tf.float32, size=3).unstack(x * tf.constant([1.0, 2.0, 3.0]))
            s = tf.constant(0.0)
            for i in tf.range(3):
                s += ta.read(i) ** 2
        return s, tape.gradient(s, x)

    s, g = inside(x)
    assert s.numpy() == 56.0 and g.numpy() == 56.0


def test_graph_tensor_array_gradients_through_variant_handles():
    @tf.function
    def f(x):
        ta = tf.TensorArray(tf.float32, size=2).write(0, x).write(1, 2 * x)
        return tf.reduce_sum(ta.stack())

    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    assert tape.gradient(y, x).numpy() == 3.0


# ---------------------------------------------------------------- the TensorList ops

def _items(t):
    return [None if v is None else np.asarray(v).tolist() for v in t._value[()].items]


def _list(*rows, shape=(2,)):
    lst = apply(list_ops.reserve_op, tf.constant(len(rows)), element_shape=shape,
                element_dtype=tf.float32)
    for i, r in enumerate(rows):
        if r is not None:
            lst = apply(list_ops.set_item_op, lst, tf.constant(i), tf.constant(r, tf.float32),
                        resize_if_index_out_of_bounds=False)
    return lst


def test_tensor_list_ops_eagerly():
    lst = _list([1.0, 2.0], None, [5.0, 6.0])
    assert lst.dtype == tf.variant and lst.shape == ()
    assert apply(list_ops.length_op, lst).numpy() == 3
    st = apply(list_ops.stack_op, lst, element_shape=(2,), element_dtype=tf.float32,
               num_elements=3)
    assert st.numpy().tolist() == [[1, 2], [0, 0], [5, 6]]
    g = apply(list_ops.gather_op, lst, tf.constant([2, 0]), element_shape=(2,),
              element_dtype=tf.float32)
    assert g.numpy().tolist() == [[5, 6], [1, 2]]
    cat, lengths = apply(list_ops.concat_op, lst, element_shape=(None,),
                         element_dtype=tf.float32)
    assert cat.numpy().tolist() == [1, 2, 0, 0, 5, 6] and lengths.numpy().tolist() == [2, 2, 2]
    sc = apply(list_ops.scatter_op, lst, tf.constant([[7.0, 7.0]]), tf.constant([1]))
    assert _items(sc)[1] == [7.0, 7.0]
    ft = apply(list_ops.from_tensor_op, tf.constant([[1.0], [2.0]]), element_shape=(1,))
    assert _items(ft) == [[1.0], [2.0]]
    sp = apply(list_ops.split_op, tf.constant([1.0, 2.0, 3.0]), tf.constant([1, 2], tf.int64),
               element_shape=None)
    assert _items(sp) == [[1.0], [2.0, 3.0]]
    pb = apply(list_ops.push_back_op, ft, tf.constant([3.0]))
    assert _items(pb) == [[1.0], [2.0], [3.0]]
    item = apply(list_ops.get_item_op, lst, tf.constant(1), element_shape=(2,),
                 element_dtype=tf.float32)
    assert item.numpy().tolist() == [0.0, 0.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="element_shape is not fully defined"):
        apply(list_ops.get_item_op, _list(None, shape=(None,)), tf.constant(0),
              element_shape=(None,), element_dtype=tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="incompatible shape"):
        apply(list_ops.set_item_op, lst, tf.constant(0), tf.constant([1.0]),
              resize_if_index_out_of_bounds=False)


def test_tensor_list_gradient_rules():
    lst = _list([1.0, 2.0], [3.0, 4.0])
    d = _list([1.0, 1.0], [2.0, 2.0])
    idx, item = tf.constant(1), tf.constant([3.0, 4.0])
    rec = OpRecord(list_ops.set_item_op, [lst, idx, item], {}, ())
    d_list, _, d_item = list_ops._set_item_grad(rec, d)
    assert _items(d_list) == [[1.0, 1.0], None] and d_item.numpy().tolist() == [2.0, 2.0]
    rec = OpRecord(list_ops.get_item_op, [lst, idx], {}, ())
    assert _items(list_ops._get_item_grad(rec, tf.constant([5.0, 5.0]))[0]) == [None, [5, 5]]
    assert _items(list_ops.add_lists(d, list_ops._get_item_grad(rec, item)[0])) == [
        [1, 1], [5, 6]]
    assert _items(list_ops.add_lists(list_ops.zero_list(), d)) == _items(d)
    dense = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    rec = OpRecord(list_ops.stack_op, [lst], {}, ())
    assert _items(list_ops._stack_grad(rec, dense)[0]) == [[1, 2], [3, 4]]
    rec = OpRecord(list_ops.from_tensor_op, [dense], {}, ())
    assert list_ops._from_tensor_grad(rec, _list(None, [1.0, 1.0]))[0].numpy().tolist() == [
        [0, 0], [1, 1]]
    rec = OpRecord(list_ops.gather_op, [lst, tf.constant([1, 1])], {}, ())
    assert _items(list_ops._gather_grad(rec, dense)[0]) == [None, [4, 6]]
    rec = OpRecord(list_ops.scatter_op, [lst, dense, tf.constant([1, 0])], {}, ())
    d_in, d_tensor, _ = list_ops._scatter_grad(rec, d)
    assert _items(d_in) == [None, None] and d_tensor.numpy().tolist() == [[2, 2], [1, 1]]
    cat = tf.constant([1.0, 2.0, 3.0])
    lengths = tf.constant([1, 2], tf.int64)
    rec = OpRecord(list_ops.concat_op, [lst], {}, (cat, lengths))
    assert _items(list_ops._concat_grad(rec, cat, None)[0]) == [[1.0], [2.0, 3.0]]
    rec = OpRecord(list_ops.split_op, [cat, lengths], {}, ())
    split_d = apply(list_ops.split_op, tf.constant([4.0, 5.0, 6.0]), lengths, element_shape=None)
    assert list_ops._split_grad(rec, split_d)[0].numpy().tolist() == [4, 5, 6]
    assert isinstance(list_ops.zero_list(), EagerTensor)
