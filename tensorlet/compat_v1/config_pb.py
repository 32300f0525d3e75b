"""``tf.compat.v1.ConfigProto`` and its nested messages, as plain Python protobuf look-alikes.

Fields keep TF's names, defaults and numbering (text format lists set fields in field order,
proto3 style: fields at their default are omitted). Nothing here changes how tensorlet runs:
sessions accept and keep the configuration.
"""

from tensorlet.framework.export import tf_export


class _Enum:
    """A protobuf enum: named ints (``OptimizerOptions.ON_1 == 1``)."""

    def __init__(self, **values):
        self._names = {v: k for k, v in values.items()}
        for k, v in values.items():
            setattr(self, k, v)

    def Name(self, number):
        return self._names[number]

    def Value(self, name):
        return getattr(self, name)


class _Message:
    """Fields from ``_FIELDS``: [(number, name, default or message class or dict)]."""

    _FIELDS = ()

    def __init__(self, **kwargs):
        for _, name, default in self._FIELDS:
            if isinstance(default, type):
                value = default()
            elif isinstance(default, (dict, list)):
                value = type(default)()
            else:
                value = default
            object.__setattr__(self, name, value)
        for k, v in kwargs.items():
            if k not in self._names():
                raise ValueError(f'Protocol message {type(self).__name__} has no "{k}" field.')
            if isinstance(getattr(self, k), _Message):
                getattr(self, k).MergeFrom(v)
            elif isinstance(getattr(self, k), dict):
                getattr(self, k).update(v)
            else:
                object.__setattr__(self, k, v)

    @classmethod
    def _names(cls):
        return {name for _, name, _ in cls._FIELDS}

    def __setattr__(self, name, value):
        if name not in self._names():
            raise AttributeError(
                f'Assignment not allowed (no field "{name}" in protocol message object).'
            )
        if isinstance(getattr(self, name), (_Message, dict)):
            raise AttributeError(
                f'Assignment not allowed to field "{name}" in protocol message object.'
            )
        object.__setattr__(self, name, value)

    def MergeFrom(self, other):
        for _, name, default in self._FIELDS:
            v = getattr(other, name)
            if isinstance(v, _Message):
                getattr(self, name).MergeFrom(v)
            elif isinstance(v, dict):
                getattr(self, name).update(v)
            elif v != (default if not isinstance(default, (type, list)) else None):
                object.__setattr__(self, name, v)

    def CopyFrom(self, other):
        self.Clear()
        self.MergeFrom(other)

    def Clear(self):
        self.__init__()

    def HasField(self, name):
        v = getattr(self, name)
        return bool(v.ListFields()) if isinstance(v, _Message) else bool(v)

    def ListFields(self):
        out = []
        for number, name, default in self._FIELDS:
            v = getattr(self, name)
            if isinstance(v, _Message):
                if v.ListFields():
                    out.append((name, v))
            elif isinstance(v, (dict, list)):
                if v:
                    out.append((name, v))
            elif v != default:
                out.append((name, v))
        return out

    def SerializeToString(self, deterministic=None):
        return str(self).encode()

    def __eq__(self, other):
        return type(other) is type(self) and str(other) == str(self)

    def __str__(self):
        return "".join(self._text(""))

    __repr__ = __str__

    def _text(self, indent):
        for name, v in self.ListFields():
            if isinstance(v, _Message):
                yield f"{indent}{name} {{\n"
                yield from v._text(indent + "  ")
                yield f"{indent}}}\n"
            elif isinstance(v, dict):
                for key, val in v.items():
                    yield (
                        f"{indent}{name} {{\n{indent}  key: {_scalar(key)}\n"
                        f"{indent}  value: {_scalar(val)}\n{indent}}}\n"
                    )
            elif isinstance(v, list):
                for item in v:
                    yield f"{indent}{name}: {_scalar(item)}\n"
            else:
                enum = self._ENUMS.get(name) if hasattr(self, "_ENUMS") else None
                text = enum.Name(v) if enum is not None else _scalar(v)
                yield f"{indent}{name}: {text}\n"


def _scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v + '"'
    return str(v)


@tf_export("compat.v1.OptimizerOptions")
class OptimizerOptions(_Message):
    """Graph optimizer options (``global_jit_level``, ``opt_level``, ...)."""

    Level = _Enum(L1=0, L0=-1)
    L1, L0 = 0, -1
    GlobalJitLevel = _Enum(DEFAULT=0, OFF=-1, ON_1=1, ON_2=2)
    DEFAULT, OFF, ON_1, ON_2 = 0, -1, 1, 2
    _ENUMS = {"opt_level": Level, "global_jit_level": GlobalJitLevel}
    _FIELDS = (
        (1, "do_common_subexpression_elimination", False),
        (2, "do_constant_folding", False),
        (3, "opt_level", 0),
        (4, "do_function_inlining", False),
        (5, "global_jit_level", 0),
        (6, "max_folded_constant_in_bytes", 0),
        (7, "cpu_global_jit", False),
    )


@tf_export("compat.v1.GPUOptions")
class GPUOptions(_Message):
    """GPU memory options (``allow_growth``, ``per_process_gpu_memory_fraction``, ...)."""

    _FIELDS = (
        (1, "per_process_gpu_memory_fraction", 0.0),
        (2, "allocator_type", ""),
        (3, "deferred_deletion_bytes", 0),
        (4, "allow_growth", False),
        (5, "visible_device_list", ""),
        (6, "polling_active_delay_usecs", 0),
        (7, "polling_inactive_delay_msecs", 0),
        (8, "force_gpu_compatible", False),
    )


@tf_export("compat.v1.GraphOptions")
class GraphOptions(_Message):
    """Graph construction/optimization options."""

    _FIELDS = (
        (2, "enable_recv_scheduling", False),
        (3, "optimizer_options", OptimizerOptions),
        (4, "build_cost_model", 0),
        (5, "infer_shapes", False),
        (6, "place_pruned_graph", False),
        (7, "enable_bfloat16_sendrecv", False),
        (8, "timeline_step", 0),
        (9, "build_cost_model_after", 0),
    )


@tf_export("compat.v1.ConfigProto")
class ConfigProto(_Message):
    """Session configuration (accepted and kept; tensorlet runs on one CPU device)."""

    _FIELDS = (
        (1, "device_count", {}),
        (2, "intra_op_parallelism_threads", 0),
        (3, "placement_period", 0),
        (4, "device_filters", []),
        (5, "inter_op_parallelism_threads", 0),
        (6, "gpu_options", GPUOptions),
        (7, "allow_soft_placement", False),
        (8, "log_device_placement", False),
        (9, "use_per_session_threads", False),
        (10, "graph_options", GraphOptions),
        (11, "operation_timeout_in_ms", 0),
        (15, "isolate_session_state", False),
        (17, "share_cluster_devices_in_session", False),
    )


@tf_export("compat.v1.RunOptions")
class RunOptions(_Message):
    """Options of one ``Session.run`` (``trace_level``, ``timeout_in_ms``)."""

    TraceLevel = _Enum(NO_TRACE=0, SOFTWARE_TRACE=1, HARDWARE_TRACE=2, FULL_TRACE=3)
    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3
    _ENUMS = {"trace_level": TraceLevel}
    _FIELDS = (
        (1, "trace_level", 0),
        (2, "timeout_in_ms", 0),
        (3, "inter_op_thread_pool", 0),
        (5, "output_partition_graphs", False),
        (6, "debug_options", None),
        (7, "report_tensor_allocations_upon_oom", False),
    )


@tf_export("compat.v1.RunMetadata")
class RunMetadata(_Message):
    """What a traced ``Session.run`` reports (empty in tensorlet)."""

    _FIELDS = ((1, "step_stats", None), (2, "cost_graph", None), (3, "partition_graphs", []))


__all__ = [
    "ConfigProto",
    "GPUOptions",
    "GraphOptions",
    "OptimizerOptions",
    "RunMetadata",
    "RunOptions",
]
