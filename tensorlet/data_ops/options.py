"""``tf.data.Options`` and its groups, the AUTOTUNE / cardinality constants, AutoShardPolicy.

Options are plain records here: tensorlet's pipeline is a sequential Python iterator, so thread
pools, autotuning and static optimizations have nothing to tune. They are kept, merged and
returned by ``Dataset.options()`` as TF does, so code that sets them runs unchanged.
"""

import enum
from typing import ClassVar

from tensorlet.framework.export import tf_export

AUTOTUNE = -1
INFINITE = -1
UNKNOWN = -2
INFINITE_CARDINALITY = INFINITE
UNKNOWN_CARDINALITY = UNKNOWN

tf_export.constant(__name__, "AUTOTUNE", "data.AUTOTUNE", "data.experimental.AUTOTUNE")
tf_export.constant(
    __name__, "INFINITE", "data.INFINITE_CARDINALITY", "data.experimental.INFINITE_CARDINALITY"
)
tf_export.constant(
    __name__, "UNKNOWN", "data.UNKNOWN_CARDINALITY", "data.experimental.UNKNOWN_CARDINALITY"
)


@tf_export("data.experimental.AutoShardPolicy")
class AutoShardPolicy(enum.IntEnum):
    """How a multi-worker input pipeline is sharded."""

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


@tf_export("data.experimental.ExternalStatePolicy")
class ExternalStatePolicy(enum.Enum):
    """What to do with external state (e.g. a Python generator) when serializing a dataset."""

    WARN = 0
    IGNORE = 1
    FAIL = 2


@tf_export("data.experimental.AutotuneAlgorithm")
class AutotuneAlgorithm(enum.Enum):
    DEFAULT = 0
    HILL_CLIMB = 1
    GRADIENT_DESCENT = 2
    MAX_PARALLELISM = 3
    STAGE_BASED = 4


class _OptionsBase:
    """A record of named options with defaults; unknown names raise AttributeError (TF)."""

    _FIELDS: ClassVar[dict] = {}  # name -> (default factory or value, allowed types or None)

    def __init__(self):
        for name, (default, _) in self._FIELDS.items():
            object.__setattr__(self, "_" + name, default() if callable(default) else default)

    def __getattr__(self, name):
        alias = self._ALIASES.get(name)
        if alias is not None:
            return getattr(self, alias)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name, value):
        name = self._ALIASES.get(name, name)
        if name not in self._FIELDS:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")
        allowed = self._FIELDS[name][1]
        if value is not None and allowed is not None and not isinstance(value, allowed):
            raise TypeError(
                f'Property "{name}" must be of type {allowed}, got: {value!r} '
                f"(type: {type(value)})."
            )
        object.__setattr__(self, "_" + name, value)

    _ALIASES: ClassVar[dict] = {}

    def _get(self, name):
        return object.__getattribute__(self, "_" + name)

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(self._get(n) == other._get(n) for n in self._FIELDS)

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None

    def _merge_from(self, other):
        """Copies every field ``other`` set (non-default) into self, recursing into groups."""
        fresh = type(self)()
        for n in self._FIELDS:
            mine, theirs = self._get(n), other._get(n)
            if isinstance(mine, _OptionsBase):
                mine._merge_from(theirs)
            elif theirs != fresh._get(n):
                object.__setattr__(self, "_" + n, theirs)

    def _copy(self):
        out = type(self)()
        for n in self._FIELDS:
            v = self._get(n)
            object.__setattr__(out, "_" + n, v._copy() if isinstance(v, _OptionsBase) else v)
        return out

    def __repr__(self):
        fields = ", ".join(f"{n}={self._get(n)!r}" for n in self._FIELDS)
        return f"{type(self).__name__}({fields})"


def _field(names, default=None, types=None):
    return {n: (default, types) for n in names}


@tf_export("data.experimental.AutotuneOptions")
class AutotuneOptions(_OptionsBase):
    """Autotuning options (recorded only)."""

    _FIELDS: ClassVar[dict] = {
        "enabled": (None, bool),
        "cpu_budget": (None, int),
        "ram_budget": (None, int),
        "autotune_algorithm": (None, AutotuneAlgorithm),
    }


@tf_export("data.experimental.DistributeOptions")
class DistributeOptions(_OptionsBase):
    """Options for distributed input pipelines."""

    _FIELDS: ClassVar[dict] = {
        "auto_shard_policy": (AutoShardPolicy.AUTO, AutoShardPolicy),
        "num_devices": (None, int),
    }


@tf_export("data.experimental.OptimizationOptions")
class OptimizationOptions(_OptionsBase):
    """Static optimizations of the pipeline graph (recorded only)."""

    _FIELDS: ClassVar[dict] = {
        **_field(
            (
                "apply_default_optimizations",
                "filter_fusion",
                "filter_parallelization",
                "inject_prefetch",
                "map_and_batch_fusion",
                "map_and_filter_fusion",
                "map_fusion",
                "map_parallelization",
                "noop_elimination",
                "parallel_batch",
                "seq_interleave_prefetch",
                "shuffle_and_repeat_fusion",
                "warm_start",
            ),
            types=bool,
        ),
    }


@tf_export("data.ThreadingOptions", "data.experimental.ThreadingOptions")
class ThreadingOptions(_OptionsBase):
    """Thread-pool options (recorded only: the pipeline runs in the calling thread)."""

    _FIELDS: ClassVar[dict] = {
        "max_intra_op_parallelism": (None, int),
        "private_threadpool_size": (None, int),
    }


@tf_export("data.Options")
class Options(_OptionsBase):
    """Options of a dataset, set with ``Dataset.with_options`` and read with ``options()``.

    Example:
      >>> options = tf.data.Options()
      >>> options.deterministic = False
      >>> ds = tf.data.Dataset.range(3).with_options(options)
      >>> ds.options().deterministic
      False
    """

    _FIELDS: ClassVar[dict] = {
        "autotune": (AutotuneOptions, None),
        "dataset_name": (None, str),
        "deterministic": (None, bool),
        "experimental_distribute": (DistributeOptions, None),
        "experimental_external_state_policy": (None, ExternalStatePolicy),
        "experimental_optimization": (OptimizationOptions, None),
        "experimental_slack": (None, bool),
        "experimental_symbolic_checkpoint": (None, bool),
        "experimental_warm_start": (None, bool),
        "framework_type": (None, list),
        "threading": (ThreadingOptions, None),
    }
    _ALIASES: ClassVar[dict] = {
        "experimental_deterministic": "deterministic",
        "experimental_threading": "threading",
    }

    def __getattr__(self, name):
        if name.startswith("_") and name[1:] in type(self)._FIELDS:
            raise AttributeError(name)
        return super().__getattr__(name)

    def __getattribute__(self, name):
        fields = type(self)._FIELDS
        if name in fields:
            return object.__getattribute__(self, "_" + name)
        return object.__getattribute__(self, name)

    def merge(self, options):
        """Options with every option set in ``options`` overriding this one's."""
        out = self._copy()
        if options is not None:
            out._merge_from(options)
        return out


for _cls in (AutotuneOptions, DistributeOptions, OptimizationOptions, ThreadingOptions):
    _cls.__getattribute__ = Options.__getattribute__
