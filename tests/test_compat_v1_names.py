"""tf.compat.v1 mirrors TF 2 functions under TF 1's names (tools/reference/tf_compat_v1_names.txt)
except where TF 1's function differs; those have their own v1 versions."""

import numpy as np

import tensorlet as tf

v1 = tf.compat.v1


def test_v1_names_are_the_v2_functions():
    assert v1.gather is tf.gather
    assert v1.pad is tf.pad
    assert v1.map_fn is tf.map_fn
    assert v1.nn.relu is tf.nn.relu
    assert v1.image.decode_png is tf.image.decode_png
    assert v1.math.exp is tf.math.exp


def test_names_that_differ_in_tf1_are_not_the_v2_functions():
    assert v1.where is not tf.where
    assert v1.nn.dropout is not tf.nn.dropout


def test_where_v1_selects_rows_with_a_vector_condition():
    x = [[1, 2], [3, 4]]
    y = [[5, 6], [7, 8]]
    np.testing.assert_array_equal(v1.where([True, False], x, y), [[1, 2], [7, 8]])
    np.testing.assert_array_equal(v1.where_v2([True, False], x, y), [[1, 6], [3, 8]])
    np.testing.assert_array_equal(v1.where([[True, False], [False, True]], x, y), [[1, 6], [7, 4]])
    np.testing.assert_array_equal(v1.where([[0, 1], [1, 0]]), [[0, 1], [1, 0]])


def test_keras_namespaces_under_tf_load_lazily():
    assert tf.losses is tf.keras.losses
    assert tf.metrics is tf.keras.metrics
    assert tf.optimizers is tf.keras.optimizers
    assert tf.initializers is tf.keras.initializers


def test_v1_gradients_of_unknown_rank_placeholders():
    g = tf.compat.v1.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32)  # no shape at all
        (dx,) = tf.compat.v1.gradients(x * x, [x])
        with tf.compat.v1.Session() as sess:
            np.testing.assert_allclose(sess.run(dx, {x: [1.0, 3.0]}), [2.0, 6.0])
