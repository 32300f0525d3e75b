"""Keras' error context for layer calls: an exception raised inside ``Layer.call`` is re-raised
(same class) as ``Exception encountered when calling Dense.call(). <message> Arguments received
by Dense.call(): • inputs=tf.Tensor(shape=(2, 3), dtype=float32) ...``, once, by the innermost
failing call (``keras.config.disable_traceback_filtering()`` turns it off)."""

import inspect

from tensorlet.framework import errors, nest
from tensorlet.framework.export import keras_export
from tensorlet.framework.tensor import Tensor

_state = {"filtering": True}


@keras_export("keras.config.enable_traceback_filtering")
def enable_traceback_filtering():
    _state["filtering"] = True


@keras_export("keras.config.disable_traceback_filtering")
def disable_traceback_filtering():
    _state["filtering"] = False


@keras_export("keras.config.is_traceback_filtering_enabled")
def is_traceback_filtering_enabled():
    return _state["filtering"]


def format_argument_value(value):
    if isinstance(value, Tensor):
        return f"tf.Tensor(shape={value.shape}, dtype={value.dtype.name})"
    if hasattr(value, "_is_keras_tensor") or type(value).__name__ == "KerasTensor":
        return f"KerasTensor(shape={value.shape}, dtype={value.dtype})"
    return repr(value)


def with_call_context(exc, fn, args, kwargs, display_name):
    """The exception to raise for ``exc`` raised by ``fn(*args, **kwargs)`` (``exc`` itself when
    context was added already, filtering is off, or the arguments don't bind)."""
    if not _state["filtering"] or getattr(exc, "_keras_call_info_injected", False):
        return exc
    try:
        signature = inspect.signature(fn)
        bound = signature.bind(*args, **kwargs)
    except (TypeError, ValueError):
        return exc
    lines = []
    for param in signature.parameters.values():
        if param.name in bound.arguments:
            value = nest.map_structure(format_argument_value, bound.arguments[param.name])
        else:
            value = param.default
        lines.append(f"  • {param.name}={value}")
    if not lines:
        return exc
    if isinstance(exc, errors.OpError):
        message = exc.message
    else:
        message = exc.args[0] if exc.args else ""
    message = (
        f"Exception encountered when calling {display_name}.\n\n"
        f"\x1b[1m{message}\x1b[0m\n\n"
        f"Arguments received by {display_name}:\n" + "\n".join(lines)
    )
    if isinstance(exc, errors.OpError):
        new = exc.__class__(exc.node_def, exc.op, message)
    else:
        try:
            new = exc.__class__(message)
        except TypeError:
            new = RuntimeError(message)
    new._keras_call_info_injected = True
    return new.with_traceback(exc.__traceback__)
