"""The ``training`` flag of nested layer calls, and what each ``call`` signature accepts."""

import inspect

from tensorlet.keras.src.backend import global_state


class CallInfo:
    __slots__ = ("has_kwargs", "has_mask", "has_training", "training_default", "training_index")


def call_info(cls):
    """What ``cls.call`` accepts (cached per class): ``training`` / ``mask`` arguments."""
    info = cls.__dict__.get("_call_info_cache")
    if info is not None:
        return info
    info = CallInfo()
    try:
        params = list(inspect.signature(cls.call).parameters.values())[1:]
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params]
    info.has_training = "training" in names
    info.has_mask = "mask" in names
    info.has_kwargs = any(p.kind == p.VAR_KEYWORD for p in params)
    info.training_index = None
    info.training_default = None
    if info.has_training:
        p = params[names.index("training")]
        if p.kind == p.POSITIONAL_OR_KEYWORD:
            info.training_index = names.index("training")
        if p.default is not p.empty:
            info.training_default = p.default
    type.__setattr__(cls, "_call_info_cache", info)
    return info


class CallContext:
    """The ``training`` value of the outermost layer call, seen by nested layer calls."""

    @staticmethod
    def enter(training):
        stack = global_state.get_global_attribute("call_context_stack", [], set_to_default=True)
        outer = stack[-1] if stack else None
        if training is None and outer is not None:
            training = outer
        stack.append(training)
        return len(stack)

    @staticmethod
    def exit(depth):
        stack = global_state.get_global_attribute("call_context_stack", [], set_to_default=True)
        del stack[depth - 1 :]

    @staticmethod
    def training():
        stack = global_state.get_global_attribute("call_context_stack")
        return stack[-1] if stack else None
