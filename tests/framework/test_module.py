"""tf.Module (variable/submodule tracking, names, name scopes) and tf.name_scope."""
import pytest

import tensorlet as tf


class Dense(tf.Module):
    def __init__(self, n_in, n_out, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.w = tf.Variable(tf.ones([n_in, n_out]), name="w")
            self.b = tf.Variable(tf.zeros([n_out]), name="b", trainable=False)

    @tf.Module.with_name_scope
    def __call__(self, x):
        self.last_scope = tf.Variable(0.0, name="inside")
        return x


class MLP(tf.Module):
    def __init__(self):
        super().__init__()
        self.layers = [Dense(2, 3, name="l0"), {"b": Dense(3, 1, name="l1")}]
        self.extra = (tf.Variable(1.0, name="e"),)
        self.alias = self.layers[0]  # seen once


def test_default_names_are_snake_case_class_names():
    assert Dense(1, 1).name == "dense"
    assert MLP().name == "mlp"

    class HTTPServerModule(tf.Module):
        pass

    assert HTTPServerModule().name == "http_server_module"
    with pytest.raises(ValueError, match="is not a valid module name"):
        tf.Module(name="not valid")


def test_variables_are_collected_through_attributes_and_containers():
    m = MLP()
    names = [v.name for v in m.variables]
    assert names == ["e:0", "l0/b:0", "l0/w:0", "l1/b:0", "l1/w:0"]
    assert [v.name for v in m.trainable_variables] == ["e:0", "l0/w:0", "l1/w:0"]
    assert [v.name for v in m.non_trainable_variables] == ["l0/b:0", "l1/b:0"]
    assert [s.name for s in m.submodules] == ["l0", "l1"]


def test_flatten_with_path_and_predicate():
    m = MLP()
    paths = [p for p, _ in m._flatten(with_path=True, predicate=lambda v: isinstance(v, tf.Variable))]
    assert ("extra", 0) in paths and ("layers", 0, "w") in paths and ("layers", 1, "b", "w") in paths
    assert list(m._flatten(recursive=False, predicate=lambda v: isinstance(v, tf.Variable)))[0].name == "e:0"


def test_cycles_terminate():
    a, b = tf.Module(name="a"), tf.Module(name="b")
    a.child, b.child = b, a
    assert [s.name for s in a.submodules] == ["b"]


def test_name_scope_of_modules():
    d = Dense(1, 1, name="outer")
    assert d.name_scope.name == "outer/"
    d(1.0)
    assert d.last_scope.name == "outer/inside:0"
    with tf.name_scope("top"):
        inner = Dense(1, 1, name="inner")
    assert inner.name_scope.name == "top/inner/" and inner.w.name == "top/inner/w:0"


def test_name_scope_rules():
    with tf.name_scope("a") as a:
        with tf.name_scope("b") as b:
            with tf.name_scope("abs/") as c:
                pass
        with tf.name_scope("") as d:
            pass
    assert (a, b, c, d) == ("a/", "a/b/", "abs/", "")
    with pytest.raises(ValueError, match="must be a string"):
        tf.name_scope(3)
    with tf.compat.v1.name_scope(None, "default") as s:
        assert s == "default/"
