"""``tf.config``, ``tf.test`` build queries and ``tf.sysconfig``: the (CPU-only) runtime setup.

tensorlet has one physical device, the CPU. Settings TF applies to its runtime (thread pools,
JIT, determinism, device policies) are stored and reported back; they do not change results.
"""
import collections
import os

from tensorlet.framework import versions
from tensorlet.framework.context import state
from tensorlet.framework.export import tf_export

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])
tf_export("config.PhysicalDevice")(PhysicalDevice)
tf_export("config.LogicalDevice")(LogicalDevice)


@tf_export("config.LogicalDeviceConfiguration",
           "config.experimental.VirtualDeviceConfiguration")
class LogicalDeviceConfiguration(collections.namedtuple(
        "LogicalDeviceConfiguration",
        ["memory_limit", "experimental_priority", "experimental_device_ordinal"])):
    """Configuration of one logical device carved out of a physical device."""

    def __new__(cls, memory_limit=None, experimental_priority=None,
                experimental_device_ordinal=None):
        return super().__new__(cls, memory_limit, experimental_priority,
                               experimental_device_ordinal)


_CPU = PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")
_PHYSICAL = (_CPU,)


class _Config:
    """Process-wide runtime settings (TF keeps them on its eager context)."""

    def __init__(self):
        self.visible = list(_PHYSICAL)
        self.logical_configs = {}
        self.soft_device_placement = True
        self.synchronous_execution = True
        self.device_policy = "silent"
        self.inter_op_threads = 0
        self.intra_op_threads = 0
        self.jit = False
        self.optimizer_options = {}
        self.op_determinism = False
        self.tensor_float_32 = True
        self.log_device_placement = False


config = _Config()


def _check_physical(dev):
    if dev not in _PHYSICAL:
        raise ValueError("Unrecognized device: %s" % repr(dev))


# ---------------------------------------------------------------- devices

@tf_export("config.list_physical_devices", "config.experimental.list_physical_devices")
def list_physical_devices(device_type=None):
    """The physical devices of ``device_type`` ('CPU', 'GPU', ...; None = all): here the CPU."""
    return [d for d in _PHYSICAL if device_type is None or d.device_type == device_type]


@tf_export("config.list_logical_devices", "config.experimental.list_logical_devices")
def list_logical_devices(device_type=None):
    """The logical devices ops can be placed on: ``LogicalDevice(name='/device:CPU:0', ...)``."""
    out, counts = [], collections.Counter()
    for dev in config.visible:
        for _ in config.logical_configs.get(dev) or [None]:
            i = counts[dev.device_type]
            counts[dev.device_type] += 1
            if device_type is None or dev.device_type == device_type:
                out.append(LogicalDevice(name=f"/device:{dev.device_type}:{i}",
                                         device_type=dev.device_type))
    return out


@tf_export("config.get_visible_devices", "config.experimental.get_visible_devices")
def get_visible_devices(device_type=None):
    return [d for d in config.visible if device_type is None or d.device_type == device_type]


@tf_export("config.set_visible_devices", "config.experimental.set_visible_devices")
def set_visible_devices(devices, device_type=None):
    """Restricts the devices the runtime uses (those of ``device_type`` when given)."""
    if not isinstance(devices, list):
        devices = [devices]
    for d in devices:
        _check_physical(d)
        if device_type is not None and d.device_type != device_type:
            raise ValueError("Unrecognized device: %s" % repr(d))
    keep = [] if device_type is None else [d for d in config.visible if d.device_type != device_type]
    config.visible = keep + list(devices)


@tf_export("config.experimental.get_memory_growth")
def get_memory_growth(device):
    _check_physical(device)
    raise KeyError(device)  # TF keeps a memory-growth entry for GPUs only


@tf_export("config.experimental.set_memory_growth")
def set_memory_growth(device, enable):
    """Only GPUs have memory growth: TF raises ValueError for the CPU as here."""
    _check_physical(device)
    raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")


@tf_export("config.get_logical_device_configuration",
           "config.experimental.get_virtual_device_configuration")
def get_logical_device_configuration(device):
    _check_physical(device)
    return config.logical_configs.get(device)


@tf_export("config.set_logical_device_configuration",
           "config.experimental.set_virtual_device_configuration")
def set_logical_device_configuration(device, logical_devices):
    """Splits ``device`` into logical devices (for the CPU: several '/device:CPU:i')."""
    _check_physical(device)
    config.logical_configs[device] = None if logical_devices is None else list(logical_devices)


@tf_export("config.experimental.get_device_details")
def get_device_details(device):
    """Details of a physical device: empty for the CPU (as in TF)."""
    _check_physical(device)
    return {}


@tf_export("config.get_soft_device_placement")
def get_soft_device_placement():
    return config.soft_device_placement


@tf_export("config.set_soft_device_placement")
def set_soft_device_placement(enabled):
    config.soft_device_placement = bool(enabled)


@tf_export("config.experimental.get_device_policy")
def get_device_policy():
    return config.device_policy


@tf_export("config.experimental.set_device_policy")
def set_device_policy(device_policy):
    if device_policy not in (None, "silent", "silent_for_int32", "warn", "explicit"):
        raise ValueError(f"Not a valid device policy: {device_policy!r}")
    config.device_policy = "silent" if device_policy is None else device_policy


@tf_export("config.experimental.get_synchronous_execution")
def get_synchronous_execution():
    return config.synchronous_execution


@tf_export("config.experimental.set_synchronous_execution")
def set_synchronous_execution(enable):
    config.synchronous_execution = True if enable is None else bool(enable)


@tf_export("debugging.set_log_device_placement")
def set_log_device_placement(enabled):
    """Stores whether op placement should be logged (everything runs on the CPU here)."""
    config.log_device_placement = bool(enabled)


# ---------------------------------------------------------------- threads, functions, optimizer

@tf_export("config.threading.get_inter_op_parallelism_threads")
def get_inter_op_parallelism_threads():
    return config.inter_op_threads


@tf_export("config.threading.set_inter_op_parallelism_threads")
def set_inter_op_parallelism_threads(num_threads):
    config.inter_op_threads = num_threads


@tf_export("config.threading.get_intra_op_parallelism_threads")
def get_intra_op_parallelism_threads():
    return config.intra_op_threads


@tf_export("config.threading.set_intra_op_parallelism_threads")
def set_intra_op_parallelism_threads(num_threads):
    config.intra_op_threads = num_threads


@tf_export("config.run_functions_eagerly")
def run_functions_eagerly(run_eagerly):
    """Makes every ``tf.function`` run its Python function eagerly (for debugging)."""
    state.run_functions_eagerly = bool(run_eagerly)


@tf_export("config.functions_run_eagerly")
def functions_run_eagerly():
    return state.run_functions_eagerly


@tf_export("config.experimental_run_functions_eagerly")
def experimental_run_functions_eagerly(run_eagerly):
    """Deprecated alias of ``tf.config.run_functions_eagerly``."""
    run_functions_eagerly(run_eagerly)


@tf_export("config.experimental_functions_run_eagerly")
def experimental_functions_run_eagerly():
    return functions_run_eagerly()


@tf_export("config.optimizer.get_jit")
def get_optimizer_jit():
    """``'autoclustering'`` when XLA auto-clustering was requested, else ``''``."""
    return "autoclustering" if config.jit else ""


@tf_export("config.optimizer.set_jit")
def set_optimizer_jit(enabled):
    config.jit = enabled in (True, "autoclustering")


@tf_export("config.optimizer.get_experimental_options")
def get_optimizer_experimental_options():
    return dict(config.optimizer_options)


@tf_export("config.optimizer.set_experimental_options")
def set_optimizer_experimental_options(options):
    config.optimizer_options.update(options)


@tf_export("config.experimental.enable_op_determinism")
def enable_op_determinism():
    """Requests deterministic ops (tensorlet's NumPy kernels are deterministic anyway)."""
    config.op_determinism = True


@tf_export("config.experimental.enable_tensor_float_32_execution")
def enable_tensor_float_32_execution(enabled):
    config.tensor_float_32 = bool(enabled)


@tf_export("config.experimental.tensor_float_32_execution_enabled")
def tensor_float_32_execution_enabled():
    return config.tensor_float_32


# ---------------------------------------------------------------- tf.test build queries

@tf_export("test.is_gpu_available")
def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    """Deprecated in TF (use ``tf.config.list_physical_devices('GPU')``): always False here."""
    return False


@tf_export("test.is_built_with_cuda")
def is_built_with_cuda():
    return False


@tf_export("test.is_built_with_rocm")
def is_built_with_rocm():
    return False


@tf_export("test.is_built_with_gpu_support")
def is_built_with_gpu_support():
    return False


@tf_export("test.is_built_with_xla")
def is_built_with_xla():
    return False


@tf_export("test.gpu_device_name")
def gpu_device_name():
    """The name of a GPU device if available, else ``''``."""
    return ""


# ---------------------------------------------------------------- tf.sysconfig

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@tf_export("sysconfig.get_build_info")
def get_build_info():
    """A dict describing the build (no CUDA, ROCm or TensorRT)."""
    return {"cpu_compiler": "python", "is_cuda_build": False, "is_rocm_build": False,
            "is_tensorrt_build": False}


@tf_export("sysconfig.get_include")
def get_include():
    return os.path.join(_PACKAGE_DIR, "include")


@tf_export("sysconfig.get_lib")
def get_lib():
    return _PACKAGE_DIR


@tf_export("sysconfig.get_compile_flags")
def get_compile_flags():
    return ["-I" + get_include(), "-D_GLIBCXX_USE_CXX11_ABI=%d" % versions.CXX11_ABI_FLAG,
            "--std=c++17", "-DEIGEN_MAX_ALIGN_BYTES=64"]


@tf_export("sysconfig.get_link_flags")
def get_link_flags():
    return ["-L" + get_lib(), "-l:libtensorflow_framework.so.2"]
