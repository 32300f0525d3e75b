"""jacobian / batch_jacobian, ForwardAccumulator, compute_gradient, IndexedSlices accumulation."""
import numpy as np

import tensorlet as tf


def test_jacobian_of_elementwise_square_is_diagonal():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    np.testing.assert_allclose(tape.jacobian(y, x).numpy(), np.diag([2.0, 4.0, 6.0]))


def test_batch_jacobian_per_example():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    w = tf.constant([[1.0, 0.0, 2.0], [0.0, 1.0, 3.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.matmul(x, w) * 2.0
    j = tape.batch_jacobian(y, x)
    assert j.shape == [2, 3, 2]
    np.testing.assert_allclose(j.numpy()[0], 2.0 * w.numpy().T)
    np.testing.assert_allclose(j.numpy()[1], 2.0 * w.numpy().T)


def test_forward_accumulator_jvp_matches_jacobian_vector_product():
    x = tf.constant([1.0, 2.0, 3.0])
    v = tf.constant([1.0, 0.5, -1.0])
    with tf.autodiff.ForwardAccumulator(x, v) as acc:
        y = x * x * x
    np.testing.assert_allclose(acc.jvp(y).numpy(), 3 * x.numpy() ** 2 * v.numpy(), rtol=1e-6)


def test_compute_gradient_layout_and_agreement():
    theo, num = tf.test.compute_gradient(lambda a: a * a, [tf.constant([1.0, 2.0], tf.float64)])
    assert theo[0].shape == (2, 2) and num[0].shape == (2, 2)
    np.testing.assert_allclose(theo[0], [[2.0, 0.0], [0.0, 4.0]])
    np.testing.assert_allclose(num[0], theo[0], atol=1e-6)


def test_indexed_slices_accumulate_sparse_and_densify():
    from tensorlet.autodiff.backprop import aggregate
    a = tf.IndexedSlices(tf.constant([[1.0, 1.0]]), tf.constant([0]), tf.constant([3, 2]))
    b = tf.IndexedSlices(tf.constant([[2.0, 2.0]]), tf.constant([0]), tf.constant([3, 2]))
    s = aggregate(a, b)
    assert isinstance(s, tf.IndexedSlices)
    np.testing.assert_allclose(tf.convert_to_tensor(s).numpy(), [[3.0, 3.0], [0, 0], [0, 0]])
    d = aggregate(s, tf.ones([3, 2]))
    np.testing.assert_allclose(d.numpy(), [[4.0, 4.0], [1, 1], [1, 1]])


def test_max_pool_second_order_routes_through_first_maximum():
    """dx = MaxPoolGrad(x, y, dy) is linear in dy: d<dx, w>/d dy is w at each window's maximum."""
    xa = np.random.default_rng(0).permutation(32).reshape(2, 4, 4, 1).astype(np.float64)
    w = np.arange(32, dtype=np.float64).reshape(2, 4, 4, 1)
    windows = lambda a: a.reshape(2, 2, 2, 2, 2, 1).transpose(0, 1, 3, 2, 4, 5).reshape(2, 2, 2, 4)
    expected = np.take_along_axis(windows(w), windows(xa).argmax(-1)[..., None], -1)
    x = tf.constant(xa)
    for pool in (lambda t: tf.nn.max_pool2d(t, 2, 2, "VALID"),
                 lambda t: tf.nn.max_pool_with_argmax(t, 2, 2, "VALID")[0]):
        dy = tf.ones([2, 2, 2, 1], tf.float64)
        with tf.GradientTape() as outer:
            outer.watch(dy)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = pool(x)
            dx = inner.gradient(y, x, output_gradients=dy)
        g = outer.gradient(dx, dy, output_gradients=tf.constant(w))
        np.testing.assert_allclose(g.numpy(), expected)


def test_gather_gradient_is_indexed_slices_and_densifies_inside_tf_function():
    emb = tf.Variable(tf.ones([5, 2]))

    @tf.function
    def dense_grad(ids):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.gather(emb, ids) * 2.0)
        return tf.convert_to_tensor(tape.gradient(y, emb))

    np.testing.assert_allclose(dense_grad(tf.constant([0, 3, 3])).numpy(),
                               [[2, 2], [0, 0], [0, 0], [4, 4], [0, 0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(emb, [1, 1]))
    g = tape.gradient(y, emb)
    assert isinstance(g, tf.IndexedSlices) and g.shape == [5, 2]
