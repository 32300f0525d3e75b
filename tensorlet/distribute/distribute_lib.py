"""The Strategy API: strategies, the replica / cross-replica contexts and the default strategy.

Execution starts in the *default replica context* (``get_replica_context()`` returns the default
``ReplicaContext``, ``get_strategy()`` the default strategy). ``with strategy.scope():`` enters
the strategy's *cross-replica context* (``get_replica_context()`` is None); ``strategy.run(fn)``
calls ``fn`` in a *replica context*; ``ReplicaContext.merge_call(merge_fn)`` goes back to the
cross-replica context for ``merge_fn``. The current mode is a per-thread stack, as in TF.
"""

import collections
import copy
import enum
import threading
import weakref

from tensorlet.distribute import device_util, reduce_util
from tensorlet.distribute import values as values_lib
from tensorlet.distribute.reduce_util import ReduceOp
from tensorlet.framework import nest
from tensorlet.framework.context import state
from tensorlet.framework.device import device as device_scope
from tensorlet.framework.export import tf_export
from tensorlet.framework.indexed_slices import IndexedSlices
from tensorlet.framework.tensor import is_tensor
from tensorlet.framework.variables import VariableAggregation

# ---------------------------------------------------------------- the per-thread mode


class _ThreadMode:
    __slots__ = ("cross_replica_context", "replica_context", "strategy")

    def __init__(self, strategy, cross, replica):
        self.strategy = strategy
        self.cross_replica_context = cross
        self.replica_context = replica


def _cross_replica_mode(strategy):
    return _ThreadMode(strategy, strategy, None)


_local = threading.local()


def _stack():
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def _push_per_thread_mode(mode):
    _stack().append(mode)


def _pop_per_thread_mode():
    _stack().pop()


def _get_per_thread_mode():
    stack = _stack()
    return stack[-1] if stack else _get_default_replica_mode()


_defaults = {"strategy": None, "replica_context": None, "replica_mode": None}
_creating_default_strategy = [False]


def _get_default_strategy():
    if _defaults["strategy"] is None:
        _creating_default_strategy[0] = True
        try:
            _defaults["strategy"] = _DefaultDistributionStrategy()
        finally:
            _creating_default_strategy[0] = False
    return _defaults["strategy"]


def _get_default_replica_context():
    if _defaults["replica_context"] is None:
        _defaults["replica_context"] = _DefaultReplicaContext(
            _get_default_strategy(), replica_id_in_sync_group=0
        )
    return _defaults["replica_context"]


def _get_default_replica_mode():
    if _defaults["replica_mode"] is None:
        _defaults["replica_mode"] = _ThreadMode(
            _get_default_strategy(), None, _get_default_replica_context()
        )
    return _defaults["replica_mode"]


# ---------------------------------------------------------------- public context queries


@tf_export("distribute.get_replica_context")
def get_replica_context():
    """The current ``tf.distribute.ReplicaContext``, or None in a cross-replica context.

    Outside any strategy this is the default replica context; inside ``strategy.scope()`` it is
    None; inside ``strategy.run(fn)`` it is the strategy's replica context.

    Example:
        >>> tf.distribute.get_replica_context() is not None
        True
    """
    return _get_per_thread_mode().replica_context


def get_cross_replica_context():
    """The current strategy in a cross-replica context, else None (deprecated in TF)."""
    return _get_per_thread_mode().cross_replica_context


@tf_export("distribute.in_cross_replica_context")
def in_cross_replica_context():
    """True inside ``strategy.scope()`` (outside ``strategy.run``), False in a replica context.

    Example:
        >>> tf.distribute.in_cross_replica_context()
        False
    """
    return _get_per_thread_mode().cross_replica_context is not None


@tf_export("distribute.get_strategy")
def get_strategy():
    """The current ``tf.distribute.Strategy``: the one whose scope is entered, else the default
    (single-replica) strategy."""
    return _get_per_thread_mode().strategy


@tf_export("distribute.has_strategy")
def has_strategy():
    """True inside a ``with strategy.scope():`` of a non-default strategy.

    Example:
        >>> tf.distribute.has_strategy()
        False
    """
    return get_strategy() is not _get_default_strategy()


def get_strategy_and_replica_context():
    mode = _get_per_thread_mode()
    return mode.strategy, mode.replica_context


_global_scope = [None]


@tf_export("distribute.experimental_set_strategy")
def experimental_set_strategy(strategy):
    """Makes ``strategy`` current without a ``with strategy.scope():`` block (None resets it).

    Raises:
        RuntimeError: if called inside a ``strategy.scope()``.
    """
    old = _global_scope[0]
    if old is not None:
        old.__exit__(None, None, None)
        _global_scope[0] = None
    if has_strategy():
        raise RuntimeError("Must not be called inside a `tf.distribute.Strategy` scope.")
    if strategy is not None:
        scope = strategy.scope()
        scope.__enter__()
        _global_scope[0] = scope


def current_replica_id():
    """The replica id (int) of the current replica context or ``update`` call, or None."""
    ctx = get_replica_context()
    if ctx is not None:
        replica_id = ctx._replica_id
        if not isinstance(replica_id, int):
            from tensorlet.framework.tensor_util import constant_value

            replica_id = constant_value(replica_id)
        return None if replica_id is None else int(replica_id)
    return get_update_replica_id()


# ---------------------------------------------------------------- checks with TF's errors


def _wrong_strategy_scope(strategy, context):
    if not has_strategy():
        raise RuntimeError(f'Need to be inside "with strategy.scope()" for {strategy}')
    raise RuntimeError(
        f"Mixing different tf.distribute.Strategy objects: {context.strategy} is not {strategy}"
    )


def require_cross_replica_or_default_context(extended, error_message=None):
    """Raises TF's RuntimeError unless in ``extended``'s cross-replica (or the default) context."""
    context = _get_per_thread_mode()
    cross = context.cross_replica_context
    if cross is not None and cross.extended is extended:
        return
    if context is _get_default_replica_mode():
        return
    strategy = extended._container_strategy()
    if context.strategy is not strategy:
        _wrong_strategy_scope(strategy, context)
    raise RuntimeError(
        error_message
        or "Method requires being in cross-replica context, use get_replica_context().merge_call()"
    )


def require_replica_context(replica_ctx):
    """Raises TF's RuntimeError unless ``replica_ctx`` is the current replica context."""
    context = _get_per_thread_mode()
    if context.replica_context is replica_ctx:
        return
    if context.replica_context is None:
        raise RuntimeError("Need to be inside `call_for_each_replica()`")
    if context.strategy is replica_ctx.strategy:
        raise RuntimeError("Mismatching ReplicaContext.")
    raise RuntimeError(
        f"Mismatching tf.distribute.Strategy objects: {context.strategy} is not {replica_ctx.strategy}."
    )


def _require_strategy_scope_extended(extended):
    context = _get_per_thread_mode()
    if context.strategy.extended is extended:
        return
    _wrong_strategy_scope(extended._container_strategy(), context)


# ---------------------------------------------------------------- update context

_update_replica_id = threading.local()


def get_update_replica_id():
    """The replica id inside a ``strategy.extended.update()`` call, else None."""
    return getattr(_update_replica_id, "current", None)


class UpdateContext:
    """Context manager marking a ``strategy.extended.update()`` for replica ``replica_id``."""

    __slots__ = ("_old_replica_id", "_replica_id")

    def __init__(self, replica_id):
        self._replica_id = replica_id
        self._old_replica_id = None

    def __enter__(self):
        self._old_replica_id = get_update_replica_id()
        _update_replica_id.current = self._replica_id

    def __exit__(self, *exc):
        _update_replica_id.current = self._old_replica_id


# ---------------------------------------------------------------- input / run options


@tf_export("distribute.InputReplicationMode")
class InputReplicationMode(enum.Enum):
    """How the input function is replicated: once per worker or once per replica."""

    PER_WORKER = "PER_WORKER"
    PER_REPLICA = "PER_REPLICA"


@tf_export("distribute.InputContext")
class InputContext:
    """What an input function needs to know: the number of input pipelines, this pipeline's id
    and the number of replicas in sync (to compute the per-replica batch size).

    Example:
        >>> ctx = tf.distribute.InputContext(num_replicas_in_sync=2)
        >>> ctx.get_per_replica_batch_size(64)
        32
    """

    __slots__ = ("_input_pipeline_id", "_num_input_pipelines", "_num_replicas_in_sync")

    def __init__(self, num_input_pipelines=1, input_pipeline_id=0, num_replicas_in_sync=1):
        self._num_input_pipelines = num_input_pipelines
        self._input_pipeline_id = input_pipeline_id
        self._num_replicas_in_sync = num_replicas_in_sync

    num_replicas_in_sync = property(lambda self: self._num_replicas_in_sync)
    input_pipeline_id = property(lambda self: self._input_pipeline_id)
    num_input_pipelines = property(lambda self: self._num_input_pipelines)

    def get_per_replica_batch_size(self, global_batch_size):
        """``global_batch_size // num_replicas_in_sync`` (ValueError if not divisible)."""
        if global_batch_size % self._num_replicas_in_sync != 0:
            raise ValueError(
                f"The `global_batch_size` {global_batch_size!r} is not divisible by "
                f"`num_replicas_in_sync` {self._num_replicas_in_sync!r} "
            )
        return global_batch_size // self._num_replicas_in_sync

    def __str__(self):
        return f"tf.distribute.InputContext(input pipeline id {self.input_pipeline_id}, total: {self.num_input_pipelines})"


@tf_export("distribute.experimental.ValueContext")
class ValueContext:
    """What ``experimental_distribute_values_from_function``'s ``value_fn`` gets: the replica id
    and the number of replicas in sync."""

    __slots__ = ("_num_replicas_in_sync", "_replica_id_in_sync_group")

    def __init__(self, replica_id_in_sync_group=0, num_replicas_in_sync=1):
        self._replica_id_in_sync_group = replica_id_in_sync_group
        self._num_replicas_in_sync = num_replicas_in_sync

    num_replicas_in_sync = property(lambda self: self._num_replicas_in_sync)
    replica_id_in_sync_group = property(lambda self: self._replica_id_in_sync_group)

    def __str__(self):
        return f"tf.distribute.ValueContext(replica id {self.replica_id_in_sync_group},  total replicas in sync: {self.num_replicas_in_sync})"


@tf_export("distribute.RunOptions")
class RunOptions(
    collections.namedtuple(
        "RunOptions",
        [
            "experimental_enable_dynamic_batch_size",
            "experimental_bucketizing_dynamic_shape",
            "experimental_xla_options",
        ],
    )
):
    """Options of ``strategy.run`` (they only matter to TPUStrategy)."""

    def __new__(
        cls,
        experimental_enable_dynamic_batch_size=True,
        experimental_bucketizing_dynamic_shape=False,
        experimental_xla_options=None,
    ):
        return super().__new__(
            cls,
            experimental_enable_dynamic_batch_size,
            experimental_bucketizing_dynamic_shape,
            experimental_xla_options,
        )


@tf_export("distribute.InputOptions")
class InputOptions(
    collections.namedtuple(
        "InputOptions",
        [
            "experimental_fetch_to_device",
            "experimental_replication_mode",
            "experimental_place_dataset_on_device",
            "experimental_per_replica_buffer_size",
        ],
    )
):
    """Options of ``experimental_distribute_dataset`` / ``distribute_datasets_from_function``."""

    def __new__(
        cls,
        experimental_fetch_to_device=None,
        experimental_replication_mode=InputReplicationMode.PER_WORKER,
        experimental_place_dataset_on_device=False,
        experimental_per_replica_buffer_size=1,
    ):
        if experimental_fetch_to_device is None:
            experimental_fetch_to_device = True
        return super().__new__(
            cls,
            experimental_fetch_to_device,
            experimental_replication_mode,
            experimental_place_dataset_on_device,
            experimental_per_replica_buffer_size,
        )


# ---------------------------------------------------------------- scopes


class _CurrentDistributionContext:
    """``strategy.scope()``: makes ``strategy`` current and enters its cross-replica context
    (entering the scope of the strategy already current only counts the nesting)."""

    def __init__(self, strategy, default_device=None):
        self._mode = _cross_replica_mode(strategy)
        self._device_scope = device_scope(default_device) if default_device else None
        self._same_scope_again_count = 0

    def __enter__(self):
        strategy = self._mode.strategy
        if has_strategy():
            require_cross_replica_or_default_context(strategy.extended)
            self._same_scope_again_count += 1
        else:
            _push_per_thread_mode(self._mode)
            if self._device_scope is not None:
                self._device_scope.__enter__()
        return strategy

    def __exit__(self, *exc):
        if self._same_scope_again_count > 0:
            self._same_scope_again_count -= 1
            return
        if self._device_scope is not None:
            self._device_scope.__exit__(*exc)
        _pop_per_thread_mode()


class _DefaultDistributionContext:
    """The default strategy's ``scope()``: nothing to enter, but not inside another strategy."""

    __slots__ = ("_nested_count", "_strategy")

    def __init__(self, strategy):
        self._strategy = strategy
        self._nested_count = 0

    def __enter__(self):
        if has_strategy():
            raise RuntimeError("Must not nest tf.distribute.Strategy scopes.")
        self._nested_count += 1
        return self._strategy

    def __exit__(self, *exc):
        self._nested_count -= 1


# ---------------------------------------------------------------- Strategy


def _tf_repr(obj):
    cls = type(obj)
    module = getattr(cls, "_TF_MODULE", cls.__module__)
    return f"<{module}.{cls.__name__} object at {id(obj):#x}>"


@tf_export("distribute.Strategy")
class Strategy:
    """A state & compute distribution policy on a list of devices.

    ``scope()`` makes the strategy current for variable creation and Keras ``compile``/``fit``;
    ``run(fn, args)`` calls ``fn`` on each replica; ``reduce`` combines the per-replica results;
    ``experimental_distribute_dataset`` splits input batches over the replicas.
    """

    _TF_MODULE = "tensorflow.python.distribute.distribute_lib"

    def __init__(self, extended):
        self._extended = extended
        self._mean_reduce_helper_fns = {}
        self._reduce_sum_fns = {}
        self._scale_loss_for_estimator = False
        self._should_use_with_coordinator = False

    def __repr__(self):
        return _tf_repr(self)

    @property
    def extended(self):
        """The ``tf.distribute.StrategyExtended`` with additional methods."""
        return self._extended

    def scope(self):
        """A context manager making this strategy current (its cross-replica context)."""
        return self._extended._scope(self)

    def colocate_vars_with(self, colocate_with_variable):
        """Deprecated: ``extended.colocate_vars_with``."""
        return self._extended.colocate_vars_with(colocate_with_variable)

    @property
    def num_replicas_in_sync(self):
        """The number of replicas over which gradients are aggregated."""
        return self._extended._num_replicas_in_sync

    @property
    def cluster_resolver(self):
        """The ``ClusterResolver`` of a multi-worker strategy, else None."""
        return getattr(self._extended, "_cluster_resolver", None)

    # ---------------------------------------------------------------- input
    def experimental_distribute_dataset(self, dataset, options=None):
        """A ``tf.distribute.DistributedDataset`` over ``dataset`` (global batches are split over
        the replicas; with one replica, iterating it yields ``dataset``'s batches)."""
        return self._extended._experimental_distribute_dataset(dataset, options)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        """A ``tf.distribute.DistributedDataset`` from ``dataset_fn(input_context)`` (called once
        per input pipeline; it should batch by the per-replica batch size)."""
        return self._extended._distribute_datasets_from_function(dataset_fn, options)

    def experimental_distribute_datasets_from_function(self, dataset_fn, options=None):
        """Deprecated name of ``distribute_datasets_from_function``."""
        return self.distribute_datasets_from_function(dataset_fn, options)

    def experimental_distribute_values_from_function(self, value_fn):
        """Distributed values made by ``value_fn(tf.distribute.experimental.ValueContext)``,
        called once per replica."""
        return self._extended._experimental_distribute_values_from_function(value_fn)

    # ---------------------------------------------------------------- computation
    def run(self, fn, args=(), kwargs=None, options=None):
        """Calls ``fn(*args, **kwargs)`` on each replica, in a replica context.

        Distributed values in ``args`` / ``kwargs`` are unwrapped to each replica's component;
        the results are merged (one replica: ``fn``'s result itself). Works eagerly and inside
        ``tf.function``.
        """
        del options
        if not isinstance(args, (list, tuple)):
            raise ValueError(  # noqa: TRY004 (TF's class)
                f"positional args must be a list or tuple, got {type(args)}"
            )
        with self.scope():
            if not _is_tf_function(fn):  # TF re-wraps a tf.function's python function instead
                fn = autograph_convert(fn, convert_by_default=False)
            return self._extended.call_for_each_replica(fn, args=args, kwargs=kwargs)

    def reduce(self, reduce_op, value, axis):
        """Reduces ``value`` across replicas (``axis``: also reduce that dimension of each
        replica's tensor; None: only across replicas) and returns a tensor.

        Args:
            reduce_op: a ``tf.distribute.ReduceOp`` or its name (``"SUM"``, ``"MEAN"``).
            value: a per-replica value (from ``run``) or a tensor.
            axis: the batch dimension to reduce too, or None.
        """
        require_cross_replica_or_default_context(self._extended)
        reduce_op = reduce_util.as_reduce_op(reduce_op)
        if axis is None:
            return self._extended._reduce(reduce_op, value)
        if reduce_op == ReduceOp.SUM:
            value = self.run(self._reduce_sum_fn(axis), args=(value,))
            return self._extended._reduce(reduce_op, value)
        if reduce_op != ReduceOp.MEAN:
            raise TypeError(
                f"Expected `reduce_op` to be a `tf.distribute.ReduceOp`, not: {reduce_op!r}"
            )
        numer, denom = self.run(self._mean_reduce_fn(axis), args=(value,))
        numer = self._extended._reduce(ReduceOp.SUM, numer)
        denom = self._extended._reduce(ReduceOp.SUM, denom)
        from tensorlet.ops import cast_ops, math_ops

        return math_ops.truediv(numer, cast_ops.cast(denom, numer.dtype))

    def _reduce_sum_fn(self, axis):
        from tensorlet.ops import reduction_ops

        def reduce_sum(v):
            return reduction_ops.reduce_sum(v, axis=axis)

        return self._cached_helper(self._reduce_sum_fns, axis, reduce_sum)

    def _mean_reduce_fn(self, axis):
        def mean_reduce_helper(v, axes=axis):
            return _mean_reduce_parts(v, axes)

        return self._cached_helper(self._mean_reduce_helper_fns, axis, mean_reduce_helper)

    @staticmethod
    def _cached_helper(cache, axis, fn):
        # TF wraps the helpers in a tf.function when called eagerly (cached by axis)
        if state.graph is not None:
            return fn
        key = tuple(axis) if isinstance(axis, list) else axis
        if key not in cache:
            from tensorlet.function import polymorphic_function

            cache[key] = polymorphic_function.function(fn)
        return cache[key]

    def experimental_local_results(self, value):
        """The per-replica components of ``value`` as a tuple (``(value,)`` for a plain value)."""
        return self._extended._local_results(value)

    def unwrap(self, value):
        """Deprecated name of ``experimental_local_results``."""
        return self._extended._local_results(value)

    def gather(self, value, axis):
        """Concatenates ``value``'s per-replica components along ``axis`` (cross-replica)."""
        require_cross_replica_or_default_context(
            self._extended,
            "tf.distribute.Strategy.gather method requires cross-replica "
            "context, use get_replica_context().all_gather() instead",
        )
        dst = device_util.current() or self._extended._default_device or "/device:CPU:0"
        if isinstance(value, IndexedSlices):
            raise NotImplementedError("gather does not support IndexedSlices")
        return self._extended._local_results(self._extended._gather_to(value, dst, axis))[0]

    def __deepcopy__(self, memo):
        cls = type(self)
        result = cls.__new__(cls)
        memo[id(self)] = result
        for k, v in self.__dict__.items():
            setattr(result, k, copy.deepcopy(v, memo))
        result._extended._container_strategy_weakref = weakref.ref(result)
        return result

    def __copy__(self):
        raise RuntimeError("Must only deepcopy DistributionStrategy.")


def autograph_convert(fn, convert_by_default):
    """``fn`` as AutoGraph would run it when library code calls it (TF's ``tf_convert``):
    converted when AutoGraph is on (in tensorlet: also while a tf.function is traced, where TF
    has it on) or when ``convert_by_default``, unconverted when it is off, else as is."""
    from tensorlet.autograph import impl as autograph

    status = autograph.control_status_ctx().status
    if status is autograph.Status.DISABLED:
        return autograph.do_not_convert(fn)
    if status is autograph.Status.ENABLED or convert_by_default or state.graph is not None:
        return autograph.tf_convert(fn, autograph.ControlStatusCtx(autograph.Status.ENABLED))
    return fn


def _is_tf_function(fn):
    from tensorlet.function.polymorphic_function import Function

    return isinstance(fn, Function)


def _mean_reduce_parts(v, axes):
    """(sum over ``axes``, number of elements summed) of one replica's tensor."""
    from tensorlet.framework import dtypes
    from tensorlet.ops import array_creation_ops, array_ops, reduction_ops

    numer = reduction_ops.reduce_sum(v, axis=axes)
    rank = v.shape.rank

    def dimension(axis):
        if rank is not None:
            if axis < 0:
                if axis + rank < 0:
                    raise ValueError(f"`axis` = {axis!r} out of range for `value` with rank {rank}")
                axis += rank
            elif axis >= rank:
                raise ValueError(f"`axis` = {axis!r} out of range for `value` with rank {rank}")
            dim = v.shape[axis]
            if dim is not None:
                return array_ops.identity(array_creation_ops.constant(dim, dtype=dtypes.int64))
        elif axis < 0:
            axis = axis + array_ops.rank(v)
        return array_ops.identity(array_ops.shape(v, out_type=dtypes.int64)[axis])

    if isinstance(axes, int):
        denom = dimension(axes)
    elif isinstance(axes, (tuple, list)):
        denom = reduction_ops.reduce_prod([dimension(a) for a in axes])
    else:
        raise TypeError(f"Expected `axis` to be an integer, tuple or list not: {axes!r}")
    return numer, denom


# ---------------------------------------------------------------- StrategyExtended


@tf_export("distribute.StrategyExtended")
class StrategyExtended:
    """Additional APIs for distribution-aware algorithms: ``reduce_to``, ``batch_reduce_to``,
    ``update``, ``colocate_vars_with``, ``variable_created_in_scope``, device lists."""

    _TF_MODULE = "tensorflow.python.distribute.distribute_lib"

    def __init__(self, container_strategy):
        self._container_strategy_weakref = weakref.ref(container_strategy)
        self._default_device = None
        self._require_static_shapes = False

    def __repr__(self):
        return _tf_repr(self)

    def _container_strategy(self):
        strategy = self._container_strategy_weakref()
        assert strategy is not None
        return strategy

    def _scope(self, strategy):
        return _CurrentDistributionContext(strategy, self._default_device)

    def variable_created_in_scope(self, v):
        """True if ``v`` was created inside this strategy's scope."""
        return getattr(v, "_distribute_strategy", None) is self._container_strategy()

    def colocate_vars_with(self, colocate_with_variable):
        """A scope creating variables on ``colocate_with_variable``'s devices (one device here)."""
        _require_strategy_scope_extended(self)
        import contextlib

        return contextlib.nullcontext()

    # ---------------------------------------------------------------- reductions
    def _reduce(self, reduce_op, value):
        dst = device_util.current() or self._default_device or "/device:CPU:0"
        return self._local_results(self.reduce_to(reduce_op, value, dst))[0]

    def reduce_to(self, reduce_op, value, destinations, options=None):
        """Combines ``value`` across replicas (SUM or MEAN) onto ``destinations``
        (cross-replica context)."""
        require_cross_replica_or_default_context(self)
        assert not isinstance(destinations, (list, tuple))
        assert not isinstance(reduce_op, VariableAggregation)
        reduce_op = reduce_util.as_reduce_op(reduce_op)
        assert reduce_op in (ReduceOp.SUM, ReduceOp.MEAN)
        return self._reduce_to(reduce_op, value, destinations, options)

    def _reduce_to(self, reduce_op, value, destinations, options):
        raise NotImplementedError("must be implemented in descendants")

    def batch_reduce_to(self, reduce_op, value_destination_pairs, options=None):
        """``reduce_to`` for several ``(value, destinations)`` pairs; a list of results."""
        require_cross_replica_or_default_context(self)
        assert not isinstance(reduce_op, VariableAggregation)
        reduce_op = reduce_util.as_reduce_op(reduce_op)
        return self._batch_reduce_to(reduce_op, value_destination_pairs, options)

    def _batch_reduce_to(self, reduce_op, value_destination_pairs, options):
        return [
            self.reduce_to(reduce_op, t, destinations=v, options=options)
            for t, v in value_destination_pairs
        ]

    def _gather_to(self, value, destinations, axis, options=None):
        require_cross_replica_or_default_context(self)
        assert not isinstance(destinations, (list, tuple))
        return self._gather_to_implementation(value, destinations, axis, options)

    def _gather_to_implementation(self, value, destinations, axis, options):
        raise NotImplementedError("_gather_to must be implemented in descendants")

    def _batch_gather_to(self, value_destination_pairs, axis, options=None):
        require_cross_replica_or_default_context(self)
        return [
            self._gather_to(t, destinations=v, axis=axis, options=options)
            for t, v in value_destination_pairs
        ]

    # ---------------------------------------------------------------- updates
    def update(self, var, fn, args=(), kwargs=None, group=True):
        """Runs ``fn(var, *args, **kwargs)`` to update ``var`` on each of its devices."""
        if kwargs is None:
            kwargs = {}
        replica_context = get_replica_context()
        if replica_context is None or replica_context is _get_default_replica_context():
            with self._container_strategy().scope():
                return self._update(var, fn, args, kwargs, group)
        return self._replica_ctx_update(var, fn, args=args, kwargs=kwargs, group=group)

    def _update(self, var, fn, args, kwargs, group):
        return self._update_non_slot(var, fn, (var,) + tuple(args), kwargs, group)

    def _update_non_slot(self, colocate_with, fn, args, kwargs, should_group):
        with UpdateContext(0):
            result = fn(*args, **kwargs)
        if should_group:
            return result
        return nest.map_structure(self._local_results, result)

    def update_non_slot(self, colocate_with, fn, args=(), kwargs=None, group=True):
        """Runs ``fn(*args, **kwargs)`` on the ``colocate_with`` devices (TF1)."""
        require_cross_replica_or_default_context(self)
        with self._container_strategy().scope():
            return self._update_non_slot(colocate_with, fn, args, kwargs or {}, group)

    def _replica_ctx_all_reduce(self, reduce_op, value, options=None):
        replica_context = get_replica_context()
        assert replica_context, (
            "`StrategyExtended._replica_ctx_all_reduce` must be called in a replica context"
        )

        def merge_fn(_, flat_value):
            return self.batch_reduce_to(reduce_op, [(v, v) for v in flat_value], options)

        reduced = replica_context.merge_call(merge_fn, args=(nest.flatten(value),))
        return nest.pack_sequence_as(value, reduced)

    def _replica_ctx_update(self, var, fn, args=(), kwargs=None, group=True):
        replica_context = get_replica_context()
        if not replica_context:
            raise ValueError(
                "`StrategyExtended._replica_ctx_update` must be called in a replica context."
            )

        def merge_fn(_, *merged_args, **merged_kwargs):
            return self.update(var, fn, merged_args, merged_kwargs, group=group)

        return replica_context.merge_call(merge_fn, args=args, kwargs=kwargs)

    # ---------------------------------------------------------------- per-replica calls
    def call_for_each_replica(self, fn, args=(), kwargs=None):
        """Runs ``fn`` once per replica (see ``Strategy.run``)."""
        require_cross_replica_or_default_context(self)
        if kwargs is None:
            kwargs = {}
        with self._container_strategy().scope():
            return self._call_for_each_replica(fn, args, kwargs)

    def _call_for_each_replica(self, fn, args, kwargs):
        raise NotImplementedError("must be implemented in descendants")

    def _local_results(self, val):
        if isinstance(val, values_lib.DistributedValues):
            return val._values
        if nest.is_nested(val):
            return tuple(values_lib.select_replica(i, val) for i in range(len(self.worker_devices)))
        return (val,)

    def value_container(self, value):
        """The container (distributed variable) ``value`` belongs to, or ``value`` itself."""
        return value

    def read_var(self, v):
        """The value of variable ``v`` (aggregated across replicas if needed)."""
        from tensorlet.ops import array_ops

        return array_ops.identity(v)

    def non_slot_devices(self, var_list):
        raise NotImplementedError("must be implemented in descendants")

    def _experimental_distribute_dataset(self, dataset, options):
        raise NotImplementedError("must be implemented in descendants")

    def _distribute_datasets_from_function(self, dataset_fn, options):
        raise NotImplementedError("must be implemented in descendants")

    def _experimental_distribute_values_from_function(self, value_fn):
        raise NotImplementedError("must be implemented in descendants")

    # ---------------------------------------------------------------- properties
    @property
    def experimental_require_static_shapes(self):
        return self._require_static_shapes

    @property
    def _num_replicas_in_sync(self):
        raise NotImplementedError("must be implemented in descendants")

    @property
    def worker_devices(self):
        """The devices of the compute replicas."""
        raise NotImplementedError("must be implemented in descendants")

    @property
    def parameter_devices(self):
        """The devices variables are placed on."""
        raise NotImplementedError("must be implemented in descendants")

    @property
    def experimental_between_graph(self):
        return False

    @property
    def experimental_should_init(self):
        return True

    @property
    def should_checkpoint(self):
        return True

    @property
    def should_save_summary(self):
        return True

    def _in_multi_worker_mode(self):
        return False

    def _use_merge_call(self):
        return True

    def _get_local_replica_id(self, replica_id_in_sync_group):
        return replica_id_in_sync_group

    def _get_replica_id_in_sync_group(self, replica_id):
        return replica_id


# ---------------------------------------------------------------- ReplicaContext


@tf_export("distribute.ReplicaContext")
class ReplicaContext:
    """The API available in a replica context (inside ``strategy.run``): the replica id,
    ``all_reduce``, ``all_gather`` and ``merge_call``.

    Example:
        >>> ctx = tf.distribute.get_replica_context()   # the default replica context
        >>> ctx.num_replicas_in_sync
        1
    """

    _TF_MODULE = "tensorflow.python.distribute.distribute_lib"

    def __init__(self, strategy, replica_id_in_sync_group):
        self._strategy = strategy
        self._thread_context = _ThreadMode(strategy, None, self)
        if not (
            replica_id_in_sync_group is None
            or is_tensor(replica_id_in_sync_group)
            or isinstance(replica_id_in_sync_group, int)
        ):
            raise ValueError("replica_id_in_sync_group can only be an integer, a Tensor or None.")
        self._replica_id_in_sync_group = replica_id_in_sync_group
        if strategy:
            self._local_replica_id = strategy.extended._get_local_replica_id(
                replica_id_in_sync_group
            )
        self._summary_recording_distribution_strategy = None

    def __repr__(self):
        return _tf_repr(self)

    def __enter__(self):
        from tensorlet.summary_ops import summary_ops

        _push_per_thread_mode(self._thread_context)

        def replica_id_is_zero():
            from tensorlet.ops import array_creation_ops, comparison_ops

            return comparison_ops.equal(
                self.replica_id_in_sync_group, array_creation_ops.constant(0)
            )

        st = summary_ops._summary_state
        self._summary_recording_distribution_strategy = st.is_recording_distribution_strategy
        st.is_recording_distribution_strategy = replica_id_is_zero

    def __exit__(self, *exc):
        from tensorlet.summary_ops import summary_ops

        summary_ops._summary_state.is_recording_distribution_strategy = (
            self._summary_recording_distribution_strategy
        )
        _pop_per_thread_mode()

    def merge_call(self, merge_fn, args=(), kwargs=None):
        """Runs ``merge_fn(strategy, *args, **kwargs)`` in the cross-replica context, with the
        arguments of all replicas merged (one replica: as given)."""
        require_replica_context(self)
        if kwargs is None:
            kwargs = {}
        merge_fn = autograph_convert(merge_fn, convert_by_default=False)
        return self._merge_call(merge_fn, args, kwargs)

    def _merge_call(self, merge_fn, args, kwargs):
        _push_per_thread_mode(_cross_replica_mode(self._strategy))
        try:
            return merge_fn(self._strategy, *args, **kwargs)
        finally:
            _pop_per_thread_mode()

    @property
    def num_replicas_in_sync(self):
        """The number of replicas kept in sync."""
        return self._strategy.num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self):
        """This replica's id in ``[0, num_replicas_in_sync)``, as an int32 tensor."""
        if is_tensor(self._replica_id_in_sync_group):
            return self._replica_id_in_sync_group
        from tensorlet.framework import dtypes
        from tensorlet.ops import array_creation_ops

        return array_creation_ops.constant(
            self._replica_id_in_sync_group, dtypes.int32, name="replica_id_in_sync_group"
        )

    @property
    def _replica_id(self):
        return self._local_replica_id

    @property
    def strategy(self):
        """The current ``tf.distribute.Strategy``."""
        return self._strategy

    @property
    def devices(self):
        """The devices this replica runs on (deprecated)."""
        require_replica_context(self)
        return (device_util.current(),)

    def all_reduce(self, reduce_op, value, options=None):
        """Combines ``value`` (a nest of tensors) across all replicas; every replica gets the
        result. With one replica the result equals ``value``."""
        reduce_op = reduce_util.as_reduce_op(reduce_op)
        flat = nest.flatten(value)

        def batch_all_reduce(strategy, *value_flat):
            return strategy.extended.batch_reduce_to(
                reduce_op, [(v, _batch_reduce_destination(v)) for v in value_flat], options
            )

        reduced = self.merge_call(batch_all_reduce, args=flat)
        # TF routes the result through a custom gradient whose backward pass is the same
        # all-reduce: per tensor, an identity (gradients pass straight through one replica).
        return nest.pack_sequence_as(value, [_identity_unless_slices(v) for v in reduced])

    def all_gather(self, value, axis, options=None):
        """Concatenates ``value`` (a nest of tensors) from all replicas along ``axis``."""
        for v in nest.flatten(value):
            if isinstance(v, IndexedSlices):
                raise NotImplementedError("all_gather does not support IndexedSlices")

        def batch_all_gather(strategy, *value_flat):
            return strategy.extended._batch_gather_to(
                [(v, _batch_reduce_destination(v)) for v in value_flat], axis, options
            )

        gathered = self.merge_call(batch_all_gather, args=nest.flatten(value))
        return nest.pack_sequence_as(value, [_identity_unless_slices(v) for v in gathered])

    def _update(self, var, fn, args=(), kwargs=None, group=True):
        if kwargs is None:
            kwargs = {}
        return self._strategy.extended._replica_ctx_update(
            var, fn, args=args, kwargs=kwargs, group=group
        )


class _DefaultReplicaContext(ReplicaContext):
    """The replica context of the default strategy (its replica id is the int 0)."""

    @property
    def replica_id_in_sync_group(self):
        return 0


def _batch_reduce_destination(x):
    if is_tensor(x):
        return getattr(x, "device", None) or "/job:localhost/replica:0/task:0/device:CPU:0"
    return x


def _identity_unless_slices(v):
    if isinstance(v, (IndexedSlices, values_lib.DistributedValues)):
        return v
    from tensorlet.ops import array_ops

    return array_ops.identity(v)


# ---------------------------------------------------------------- the default strategy


class _DefaultDistributionStrategy(Strategy):
    """The strategy in effect when no other is: one replica, no distribution."""

    def __init__(self):
        if not _creating_default_strategy[0]:
            raise RuntimeError(
                "Should only create a single instance of _DefaultDistributionStrategy"
            )
        super().__init__(_DefaultDistributionExtended(self))

    def __deepcopy__(self, memo):
        raise RuntimeError("Should only create a single instance of _DefaultDistributionStrategy")


class _DefaultDistributionExtended(StrategyExtended):
    """The default strategy's implementation: values pass through unchanged."""

    def _scope(self, strategy):
        return _DefaultDistributionContext(strategy)

    def colocate_vars_with(self, colocate_with_variable):
        _require_strategy_scope_extended(self)
        import contextlib

        return contextlib.nullcontext()

    def variable_created_in_scope(self, v):
        return getattr(v, "_distribute_strategy", None) is None

    def _experimental_distribute_dataset(self, dataset, options):
        return dataset

    def _distribute_datasets_from_function(self, dataset_fn, options):
        return dataset_fn(InputContext())

    def _experimental_distribute_values_from_function(self, value_fn):
        return value_fn(ValueContext())

    def _call_for_each_replica(self, fn, args, kwargs):
        with ReplicaContext(self._container_strategy(), replica_id_in_sync_group=0):
            return fn(*args, **kwargs)

    def _reduce_to(self, reduce_op, value, destinations, options):
        return value

    def _gather_to_implementation(self, value, destinations, axis, options):
        return value

    def _local_results(self, distributed_value):
        return (distributed_value,)

    def non_slot_devices(self, var_list):
        return min(var_list, key=lambda x: x.name)

    @property
    def _num_replicas_in_sync(self):
        return 1

    @property
    def worker_devices(self):
        raise RuntimeError("worker_devices() method unsupported by default tf.distribute.Strategy.")

    @property
    def parameter_devices(self):
        raise RuntimeError(
            "parameter_devices() method unsupported by default tf.distribute.Strategy."
        )

    @property
    def _global_batch_size(self):
        return True
