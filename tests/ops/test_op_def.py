"""The op mechanism: one OpDef per TF op, apply() validates dtypes, infers shapes, maps errors."""
import numpy as np
import pytest

import tensorlet as tf
from tensorlet.framework.context import state
from tensorlet.ops import op_def
from tensorlet.ops.math_ops import add_v2_op


def test_registry_holds_each_op_once_under_its_tf_name():
    assert op_def.REGISTRY["AddV2"] is add_v2_op
    with pytest.raises(ValueError):
        op_def.defop("AddV2", np.add, dtype_rule=None)


def test_dtype_mismatch_is_tf_error_naming_the_op():
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        op_def.apply(add_v2_op, tf.convert_to_tensor(1), tf.convert_to_tensor(1.5))
    assert "AddV2" in str(e.value) and "int32" in str(e.value)


def test_incompatible_shapes_are_invalid_argument_with_shapes():
    a = tf.convert_to_tensor(np.zeros((2, 3), np.float32))
    b = tf.convert_to_tensor(np.zeros((4,), np.float32))
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        op_def.apply(add_v2_op, a, b)
    assert "Incompatible shapes: [2,3] vs. [4]" in str(e.value) and "[Op:AddV2]" in str(e.value)


def test_infer_agrees_with_kernel_and_broadcasts_unknown_dims():
    a = tf.convert_to_tensor(np.ones((2, 1), np.float32))
    b = tf.convert_to_tensor(np.ones((3,), np.float32))
    out = op_def.apply(add_v2_op, a, b)
    (d,), (s,) = add_v2_op.infer([a, b], {})
    assert d is out.dtype and s == out.shape == [2, 3]
    spec = type("Spec", (), {"_dtype": tf.float32, "dtype": tf.float32,
                             "shape": tf.TensorShape([None, 1])})()
    assert add_v2_op.infer([spec, b], {})[1][0] == [None, 3]


def test_check_infer_catches_a_wrong_shape_rule():
    bad = op_def.OpDef("BadOp", lambda x: x[:1], add_v2_op.dtype_rule,
                       lambda op, i, a: (i[0].shape,), None, False, 1)
    assert state.check_infer  # tests run in test mode (tests/conftest.py)
    with pytest.raises(AssertionError):
        op_def.apply(bad, tf.convert_to_tensor([1.0, 2.0]))


def test_every_registered_op_has_dtype_and_shape_rules():
    import tensorlet  # noqa: F401  (imports every op module)
    missing = [n for n, op in op_def.REGISTRY.items()
               if op.dtype_rule is None or op.shape_rule is None]
    assert not missing, f"ops without a dtype or shape rule: {missing}"
