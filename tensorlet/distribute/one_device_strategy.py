"""``tf.distribute.OneDeviceStrategy``: everything on one named device, one replica."""

from tensorlet.distribute import device_util, distribute_lib
from tensorlet.distribute.mirrored_strategy import SingleReplicaExtended
from tensorlet.framework import dtypes
from tensorlet.framework.device import device as device_scope
from tensorlet.framework.export import tf_export


class OneDeviceExtended(SingleReplicaExtended):
    """Implementation of OneDeviceStrategy: ``run`` calls the function as is on the device and
    values are never wrapped."""

    def __init__(self, container_strategy, device):
        super().__init__(container_strategy, device_util.resolve(device))
        self._device = self._devices[0]
        self._input_device = self._device[: self._device.rfind("/")] + "/device:CPU:0"

    def _call_for_each_replica(self, fn, args, kwargs):
        strategy = self._container_strategy()
        with device_scope(self._device), _OneDeviceReplicaContext(strategy):
            return fn(*args, **kwargs)

    def _reduce_to(self, reduce_op, value, destinations, options):
        return value

    def _batch_reduce_to(self, reduce_op, value_destination_pairs, options):
        return [v for v, _ in value_destination_pairs]

    def _gather_to_implementation(self, value, destinations, axis, options):
        return value

    def _local_results(self, value):
        return (value,)

    def _experimental_distribute_values_from_function(self, value_fn):
        return value_fn(distribute_lib.ValueContext())

    def _input_contexts(self):
        return [distribute_lib.InputContext()]

    @property
    def _support_per_replica_values(self):
        return False


class _OneDeviceReplicaContext(distribute_lib.ReplicaContext):
    """The replica context of OneDeviceStrategy (replica id: a constant int32 0)."""

    def __init__(self, strategy):
        from tensorlet.ops import array_creation_ops

        zero = array_creation_ops.constant(0, dtypes.int32)
        super().__init__(strategy, replica_id_in_sync_group=zero)

    @property
    def devices(self):
        return self._strategy.extended.worker_devices


@tf_export("distribute.OneDeviceStrategy")
class OneDeviceStrategy(distribute_lib.Strategy):
    """A strategy for running on a single device: variables created in its scope and the
    functions given to ``run`` are placed on ``device``; ``reduce`` with ``axis=None`` returns
    the value itself.

    Args:
        device: the device string, e.g. ``"/cpu:0"`` or ``"/gpu:0"``.

    Example:
        >>> strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
        >>> strategy.run(lambda x: x * 2, args=(tf.constant(3.0),))
        <tf.Tensor: shape=(), dtype=float32, numpy=6.0>
    """

    _TF_MODULE = "tensorflow.python.distribute.one_device_strategy"

    def __init__(self, device):
        super().__init__(OneDeviceExtended(self, device))
