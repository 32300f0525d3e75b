"""Options of the collective communications that all-reduces use (recorded, not acted on:
a single replica communicates with nobody)."""

import copy
import enum

from tensorlet.framework.export import tf_export


@tf_export(
    "distribute.experimental.CommunicationImplementation",
    "distribute.experimental.CollectiveCommunication",
)
class CommunicationImplementation(enum.Enum):
    """The collective implementation: ``AUTO``, ``RING`` (gRPC) or ``NCCL`` (GPUs)."""

    AUTO = "AUTO"
    RING = "RING"
    NCCL = "NCCL"


CollectiveCommunication = CommunicationImplementation


class Options:
    """Options for cross-device communications (see ``CommunicationOptions``)."""

    def __init__(
        self,
        bytes_per_pack=0,
        timeout_seconds=None,
        implementation=CommunicationImplementation.AUTO,
    ):
        if bytes_per_pack < 0:
            raise ValueError(f"Argument `bytes_per_pack` must be >=0, Received {bytes_per_pack}.")
        if isinstance(implementation, str):
            implementation = CommunicationImplementation(implementation.upper())
        if not isinstance(implementation, CommunicationImplementation):
            raise ValueError(  # noqa: TRY004 (TF's class)
                "Argument `implementation` must be instance of "
                "`tf.distribute.experimental.CommunicationImplementation`."
            )
        self.bytes_per_pack = bytes_per_pack
        self.timeout_seconds = timeout_seconds
        self.implementation = implementation

    def merge(self, options):
        """A copy of these options with the non-default fields of ``options`` applied."""
        merged = copy.deepcopy(self)
        if options is None:
            return merged
        if options.bytes_per_pack != 0:
            merged.bytes_per_pack = options.bytes_per_pack
        if options.timeout_seconds is not None:
            merged.timeout_seconds = options.timeout_seconds
        if options.implementation != CommunicationImplementation.AUTO:
            merged.implementation = options.implementation
        return merged

    def __str__(self):
        return (
            f"Options(bytes_per_pack={self.bytes_per_pack},"
            f"timeout_seconds={self.timeout_seconds}, "
            f"implementation={self.implementation})"
        )


@tf_export("distribute.experimental.CommunicationOptions")
class CommunicationOptions:
    """Options for cross-device communications such as all-reduce.

    Args:
        bytes_per_pack: split the all-reduced tensors into packs of this size (0: no split).
        timeout_seconds: a timeout for each collective (None: no timeout).
        implementation: a ``CommunicationImplementation`` or its name.

    Example:
        >>> opts = tf.distribute.experimental.CommunicationOptions(implementation="ring")
        >>> opts.implementation
        <CommunicationImplementation.RING: 'RING'>
    """

    def __new__(cls, *args, **kwargs):
        # as in TF, the public class is a factory of the internal Options
        return Options(*args, **kwargs)

    def __init__(
        self,
        bytes_per_pack=0,
        timeout_seconds=None,
        implementation=CommunicationImplementation.AUTO,
    ):
        pass


@tf_export("distribute.experimental.CollectiveHints")
class CollectiveHints:
    """Deprecated: use ``tf.distribute.experimental.CommunicationOptions``."""

    def __new__(cls, bytes_per_pack=0, timeout_seconds=None):
        return Options(bytes_per_pack=bytes_per_pack, timeout_seconds=timeout_seconds)

    def __init__(self, bytes_per_pack=0, timeout_seconds=None):
        pass
