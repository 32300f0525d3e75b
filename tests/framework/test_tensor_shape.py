import pytest

import tensorlet as tf


def test_known_and_partial_shapes():
    s = tf.TensorShape([2, None, 3])
    assert s.rank == 3 and s.as_list() == [2, None, 3] and s[1] is None and s[-1] == 3
    assert str(s) == "(2, None, 3)" and repr(s) == "TensorShape([2, None, 3])"
    assert not s.is_fully_defined() and s.num_elements() is None
    assert s[1:] == tf.TensorShape([None, 3]) and s == [2, None, 3]
    assert str(tf.TensorShape([3])) == "(3,)" and str(tf.TensorShape([])) == "()"


def test_unknown_rank():
    u = tf.TensorShape(None)
    assert u.rank is None and str(u) == "<unknown>" and repr(u) == "TensorShape(None)"
    with pytest.raises(ValueError):
        u.as_list()
    assert u.is_compatible_with([1, 2]) and u.merge_with([1, 2]) == [1, 2]


def test_merge_and_compatibility():
    a, b = tf.TensorShape([None, 3]), tf.TensorShape([2, None])
    assert a.is_compatible_with(b) and a.merge_with(b) == [2, 3]
    assert not a.is_compatible_with([2, 4])
    with pytest.raises(ValueError):
        a.merge_with([2, 4])
    assert a.concatenate([5]) == [None, 3, 5] and (a + b).rank == 4
    assert a.most_specific_compatible_shape([4, 3]) == [None, 3]
    assert tf.TensorShape([2, 3]).num_elements() == 6
