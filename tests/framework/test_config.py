"""tf.config, tf.device / tf.DeviceSpec, tf.test build queries, tf.sysconfig and tf.version."""
import pytest

import tensorlet as tf
from tensorlet.framework import config as config_mod
from tensorlet.framework.context import state

CPU = tf.config.PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")


@pytest.fixture(autouse=True)
def _fresh_config(monkeypatch):
    monkeypatch.setattr(config_mod, "config", config_mod._Config())
    yield


def test_physical_and_logical_devices():
    assert tf.config.list_physical_devices() == [CPU]
    assert tf.config.list_physical_devices("CPU") == [CPU]
    assert tf.config.list_physical_devices("GPU") == []
    assert tf.config.experimental.list_physical_devices("GPU") == []
    assert repr(CPU) == "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')"
    assert repr(tf.config.list_logical_devices()) == (
        "[LogicalDevice(name='/device:CPU:0', device_type='CPU')]")


def test_logical_device_configuration_splits_the_cpu():
    tf.config.set_logical_device_configuration(
        CPU, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()])
    assert [d.name for d in tf.config.list_logical_devices("CPU")] == ["/device:CPU:0",
                                                                       "/device:CPU:1"]
    assert len(tf.config.get_logical_device_configuration(CPU)) == 2
    assert tf.config.LogicalDeviceConfiguration(memory_limit=5).memory_limit == 5


def test_visible_devices():
    assert tf.config.get_visible_devices() == [CPU]
    tf.config.set_visible_devices([], "GPU")
    assert tf.config.get_visible_devices("CPU") == [CPU]
    with pytest.raises(ValueError, match="Unrecognized device"):
        tf.config.set_visible_devices([CPU], "GPU")


def test_memory_growth_is_gpu_only():
    with pytest.raises(ValueError, match="Cannot set memory growth on non-GPU"):
        tf.config.experimental.set_memory_growth(CPU, True)
    fake = tf.config.PhysicalDevice(name="/physical_device:GPU:0", device_type="GPU")
    with pytest.raises(ValueError, match="Unrecognized device"):
        tf.config.experimental.set_memory_growth(fake, True)


@pytest.mark.parametrize("setter,getter,value,default", [
    ("config.threading.set_inter_op_parallelism_threads",
     "config.threading.get_inter_op_parallelism_threads", 2, 0),
    ("config.threading.set_intra_op_parallelism_threads",
     "config.threading.get_intra_op_parallelism_threads", 3, 0),
    ("config.set_soft_device_placement", "config.get_soft_device_placement", False, True),
    ("config.experimental.set_synchronous_execution",
     "config.experimental.get_synchronous_execution", False, True),
    ("config.experimental.set_device_policy", "config.experimental.get_device_policy",
     "explicit", "silent"),
    ("config.optimizer.set_jit", "config.optimizer.get_jit", True, ""),
    ("config.experimental.enable_tensor_float_32_execution",
     "config.experimental.tensor_float_32_execution_enabled", False, True),
])
def test_stored_settings(setter, getter, value, default):
    def resolve(path):
        obj = tf
        for p in path.split("."):
            obj = getattr(obj, p)
        return obj

    assert resolve(getter)() == default
    resolve(setter)(value)
    assert resolve(getter)() == ("autoclustering" if value is True else value)


def test_run_functions_eagerly_sets_the_context_flag():
    try:
        tf.config.run_functions_eagerly(True)
        assert tf.config.functions_run_eagerly() and state.run_functions_eagerly
    finally:
        tf.config.run_functions_eagerly(False)
    assert not tf.config.functions_run_eagerly()


def test_misc_settings():
    tf.config.experimental.enable_op_determinism()
    tf.debugging.set_log_device_placement(True)
    tf.config.optimizer.set_experimental_options({"constant_folding": False})
    assert tf.config.optimizer.get_experimental_options() == {"constant_folding": False}
    assert tf.config.experimental.get_device_details(CPU) == {}


def test_test_queries_and_sysconfig():
    assert tf.test.is_gpu_available() is False and tf.test.is_built_with_cuda() is False
    assert tf.test.is_built_with_rocm() is False and tf.test.gpu_device_name() == ""
    assert tf.test.is_built_with_gpu_support() is False
    assert tf.sysconfig.get_build_info()["is_cuda_build"] is False
    assert tf.sysconfig.get_compile_flags()[0].startswith("-I")
    assert tf.version.VERSION == "2.21.0" == tf.__version__
    assert isinstance(tf.version.GIT_VERSION, str) and tf.version.COMPILER_VERSION
    assert tf.version.GRAPH_DEF_VERSION_MIN_CONSUMER == 0


# ---------------------------------------------------------------- devices

def test_device_spec_repr_and_strings():
    s = tf.DeviceSpec(job="localhost", device_type="CPU", device_index=0)
    text = "<DeviceSpec(job=localhost, replica=None, task=None, device_type=CPU, device_index=0)>"
    assert repr(s) == text and str(s) == text
    assert s.to_string() == "/job:localhost/device:CPU:0"
    assert tf.DeviceSpec(device_type="gpu").to_string() == "/device:GPU:*"


@pytest.mark.parametrize("spec,fields", [
    ("/job:worker/replica:1/task:2/device:GPU:3", ("worker", 1, 2, "GPU", 3)),
    ("/GPU:0", (None, None, None, "GPU", 0)),
    ("cpu:1", (None, None, None, "CPU", 1)),
    ("/device:CPU:*", (None, None, None, "CPU", None)),
    ("", (None, None, None, None, None)),
])
def test_device_spec_parsing(spec, fields):
    s = tf.DeviceSpec.from_string(spec)
    assert (s.job, s.replica, s.task, s.device_type, s.device_index) == fields


def test_device_spec_merge_replace_eq():
    a = tf.DeviceSpec.from_string("/job:w/device:CPU:0")
    b = a.make_merged_spec(tf.DeviceSpec.from_string("/GPU:1"))
    assert b.to_string() == "/job:w/device:GPU:1"
    assert a.replace(task=3).to_string() == "/job:w/task:3/device:CPU:0"
    assert a == tf.DeviceSpec(job="w", device_type="CPU", device_index=0)
    assert len({a, tf.DeviceSpec.from_string("/job:w/device:CPU:0")}) == 1
    with pytest.raises(ValueError, match="Unknown attribute 'foo'"):
        tf.DeviceSpec.from_string("/foo:0")
    with pytest.raises(ValueError, match="Multiple device types"):
        tf.DeviceSpec.from_string("/CPU:0/GPU:0")


def test_device_scope_soft_placement():
    with tf.device("/GPU:0"):
        assert state.device_stack[-1] == "/job:localhost/replica:0/task:0/device:GPU:0"
        with tf.device("/CPU:1"):
            assert state.device_stack[-1] == "/job:localhost/replica:0/task:0/device:CPU:1"
        with tf.device(None):
            assert state.device_stack[-1] == ""
        t = tf.constant(1.0) + 1.0
        v = tf.Variable(1.0)
    assert state.device_stack == []
    assert t.device == v.device == "/job:localhost/replica:0/task:0/device:CPU:0"
    with tf.device(tf.DeviceSpec(device_type="CPU", device_index=0)):
        pass
    with pytest.raises(RuntimeError, match="does not support functions"):
        tf.device(lambda op: "/cpu:0")
    with pytest.raises(ValueError):
        with tf.device("/bad:0"):
            pass
