"""Device strings as tf.distribute writes them: ``'/job:localhost/replica:0/task:0/device:CPU:0'``."""

from tensorlet.framework import config
from tensorlet.framework.context import state
from tensorlet.framework.device import DeviceSpec


def canonicalize(d, default=None):
    """The full name of device ``d`` (a string or ``LogicalDevice``): missing fields are filled
    from ``default``, then from ``/job:localhost/replica:0/task:0/device:CPU:0``."""
    d = getattr(d, "name", d)
    result = DeviceSpec(job="localhost", replica=0, task=0, device_type="CPU", device_index=0)
    if default:
        result = result.make_merged_spec(DeviceSpec.from_string(getattr(default, "name", default)))
    return result.make_merged_spec(DeviceSpec.from_string(d)).to_string()


def current():
    """The device of the innermost ``tf.device`` scope (canonical), or None."""
    stack = state.device_stack
    if not stack or not stack[-1]:
        return None
    return canonicalize(stack[-1])


def resolve(d):
    """``d`` canonicalized with the current ``tf.device`` scope as default."""
    return canonicalize(d, default=current())


def local_devices():
    """The canonical names of the logical devices of this machine."""
    return [canonicalize(dev.name) for dev in config.list_logical_devices()]


def is_single_worker(devices):
    """True when every device is on this machine (no job other than ``localhost``)."""
    specs = [DeviceSpec.from_string(getattr(d, "name", d)) for d in devices]
    all_local = all(s.job in (None, "localhost") for s in specs)
    if any(s.job in (None, "localhost") for s in specs) and not all_local:
        raise ValueError("Local device string cannot have job specified other than 'localhost'")
    num_workers = len({(s.job, s.task, s.replica) for s in specs})
    if num_workers == 1 and not all_local and any(s.task is None for s in specs):
        raise ValueError("Remote device string must have task specified.")
    return num_workers == 1
