"""Execution state: eager vs tracing, the active gradient tapes, the device scope.

One module-level object, ``state``, is read on every op (``apply``), so it is a plain object with
slots rather than a thread-local: attribute reads on it are as cheap as Python allows.
"""
from tensorlet.framework.export import tf_export


class _State:
    __slots__ = ("tapes", "graph", "device_stack", "run_functions_eagerly", "check_infer")

    def __init__(self):
        self.tapes = []           # active GradientTapes, innermost last
        self.graph = None         # the FuncGraph being traced, or None when eager
        self.device_stack = []    # device strings pushed by tf.device(...)
        self.run_functions_eagerly = False
        self.check_infer = False  # test mode: eager results are checked against OpDef.infer


state = _State()

CPU_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


@tf_export("executing_eagerly")
def executing_eagerly():
    """True unless a ``tf.function`` is being traced."""
    return state.graph is None


@tf_export("compat.v1.executing_eagerly_outside_functions")
def executing_eagerly_outside_functions():
    return True


def notify_variable_read(variable, tensor):
    """Called by ``Variable`` whenever it produces a tensor of its value.

    Active gradient tapes link ``tensor`` to ``variable`` (watching trainable variables
    automatically, as TF's ``watch_accessed_variables=True`` does).
    """
    for tape in state.tapes:
        tape._variable_read(variable, tensor)
