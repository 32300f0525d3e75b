"""``tf.DeviceSpec`` and ``tf.device``: device names, parsed and merged as TF does.

tensorlet computes on the CPU only. As with TF's soft placement (on by default), a
``with tf.device('/GPU:0')`` scope is accepted and recorded on ``state.device_stack``, and ops
inside it run on the CPU.
"""
from tensorlet.framework.context import CPU_DEVICE, state
from tensorlet.framework.export import tf_export

_VALID_DEVICE_TYPES = frozenset({"CPU", "GPU", "TPU", "CUSTOM", "EPU"})
_PARSE_CACHE = {}


def _as_str_or_none(x):
    return None if x is None else str(x)


def _as_int_or_none(x):
    return None if x is None else int(x)


def _as_device_type(device_type):
    # TF accepts lowercase 'cpu' / 'gpu' for backwards compatibility.
    return device_type.upper() if device_type in ("cpu", "gpu") else _as_str_or_none(device_type)


@tf_export("DeviceSpec")
class DeviceSpec:
    """A (partial) device location: job, replica, task, device type and index.

    Example:
        >>> tf.DeviceSpec.from_string("/job:worker/device:GPU:1").to_string()
        '/job:worker/device:GPU:1'
    """

    __slots__ = ("_as_string", "_device_index", "_device_type", "_job", "_replica", "_task")

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self._job = _as_str_or_none(job)
        self._replica = _as_int_or_none(replica)
        self._task = _as_int_or_none(task)
        self._device_type = _as_device_type(device_type)
        self._device_index = _as_int_or_none(device_index)
        self._as_string = _components_to_string(self._job, self._replica, self._task,
                                                self._device_type, self._device_index)

    job = property(lambda self: self._job)
    replica = property(lambda self: self._replica)
    task = property(lambda self: self._task)
    device_type = property(lambda self: self._device_type)
    device_index = property(lambda self: self._device_index)

    def to_string(self):
        """``'/job:<job>/replica:<r>/task:<t>/device:<type>:<index>'`` for the set fields."""
        return self._as_string

    @classmethod
    def from_string(cls, spec):
        """Parses ``'/job:w/task:1/device:GPU:0'``, ``'/GPU:0'``, ``'cpu'`` ..."""
        return cls(*_string_to_components(spec))

    def parse_from_string(self, spec):
        return self.from_string(spec)

    def make_merged_spec(self, dev):
        """A new spec: ``dev``'s fields where set, else this spec's."""
        return self.__class__(*[b if b is not None else a for a, b in
                                zip(self._fields(), dev._fields())])

    def replace(self, **kwargs):
        fields = dict(job=self.job, replica=self.replica, task=self.task,
                      device_type=self.device_type, device_index=self.device_index)
        fields.update(kwargs)
        return self.__class__(**fields)

    def _fields(self):
        return (self._job, self._replica, self._task, self._device_type, self._device_index)

    def __eq__(self, other):
        return isinstance(other, self.__class__) and self.to_string() == other.to_string()

    def __hash__(self):
        return hash(self._as_string)

    def __repr__(self):
        return (f"<DeviceSpec(job={self.job}, replica={self.replica}, task={self.task}, "
                f"device_type={self.device_type}, device_index={self.device_index})>")


def _string_to_components(spec):
    cached = _PARSE_CACHE.get(spec)
    if cached is not None:
        return cached
    job = replica = task = device_type = device_index = None
    for part in (spec or "").split("/"):
        y = part.split(":")
        n = len(y)
        if n == 2 and y[0] == "job":
            job = y[1]
        elif n == 2 and y[0] == "replica":
            replica = y[1]
        elif n == 2 and y[0] == "task":
            task = y[1]
        elif n in (1, 2) and y[0].upper() in _VALID_DEVICE_TYPES:
            if device_type is not None:
                raise ValueError(f"Multiple device types are not allowed while parsing the "
                                 f"device spec: {spec}.")
            device_type = y[0].upper()
            if n == 2 and y[1] != "*":
                device_index = int(y[1])
        elif n == 3 and y[0] == "device":
            if device_type is not None:
                raise ValueError(f"Multiple device types are not allowed while parsing the "
                                 f"device spec: {spec}.")
            device_type = y[1]
            if y[2] != "*":
                device_index = int(y[2])
        elif n and y[0] != "":
            raise ValueError(f"Unknown attribute '{y[0]}' is encountered while parsing the "
                             f"device spec: '{spec}'.")
    out = (job, replica, task, device_type, device_index)
    _PARSE_CACHE[spec] = out
    return out


def _components_to_string(job, replica, task, device_type, device_index):
    out = []
    if job is not None:
        out.append("/job:" + job)
    if replica is not None:
        out.append("/replica:" + str(replica))
    if task is not None:
        out.append("/task:" + str(task))
    if device_type is not None:
        out.append(f"/device:{device_type}:{'*' if device_index is None else device_index}")
    return "".join(out)


class _DeviceScope:
    """The context manager returned by ``tf.device``: pushes the merged full device name."""

    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name

    def __enter__(self):
        stack = state.device_stack
        name = self._name
        if name is None:
            full = ""
        else:
            if not isinstance(name, str):
                raise ValueError(f"Expecting a string device name. Got {type(name)}({name})")
            base = DeviceSpec.from_string(stack[-1] if stack and stack[-1] else CPU_DEVICE)
            full = base.make_merged_spec(DeviceSpec.from_string(name)).to_string()
        stack.append(full)

    def __exit__(self, *exc):
        state.device_stack.pop()
        return False


@tf_export("device")
def device(device_name):
    """Specifies the device for ops created in the context (a no-op beyond bookkeeping here:
    like TF with soft placement, ops run on the CPU whatever the requested device).

    Args:
      device_name: A device name string (``'/GPU:0'``), a ``tf.DeviceSpec``, a
        ``LogicalDevice`` or ``None`` (clears the device).
    """
    if callable(device_name):
        raise RuntimeError("tf.device does not support functions.")
    if isinstance(device_name, DeviceSpec):
        device_name = device_name.to_string()
    elif hasattr(device_name, "device_type") and hasattr(device_name, "name"):
        device_name = device_name.name  # a LogicalDevice
    return _DeviceScope(device_name)


def current_device():
    """The device name set by the innermost ``tf.device`` scope, or ``''``."""
    stack = state.device_stack
    return stack[-1] if stack else ""
